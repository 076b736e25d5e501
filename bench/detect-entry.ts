// Entry bundled by bench/detect.mjs: options come in as JSON in the environment.
import { runDetectBench, type DetectOptions } from './detect-run';

runDetectBench(JSON.parse(process.env.TICKSCOPE_DETECT_OPTIONS ?? '{}') as DetectOptions);
