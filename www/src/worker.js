// The site's worker entry: the analysis engine (workerCore.js) with the WASM module Vite bundles.
import { startWorker } from './workerCore.js';

startWorker();
