// The analysis engine's worker entry (workerCore.js): the site's worker, with the WASM module Vite
// bundles, and, built on its own by vite.lib.config.js, the library's customer-lens-worker.js.
import { startWorker } from './workerCore.js';

startWorker();
