// Detection choices for the UI (light: no detector code comes with it).
export { choiceFor, type DetectionChoice, type DetectionSettings } from '../detectors/detection-settings';
