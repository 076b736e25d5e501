// The engine worker's entry: expose the engine through Comlink and nothing else.
import * as Comlink from 'comlink';
import { createEngineApi } from './engine-api';

Comlink.expose(createEngineApi());
