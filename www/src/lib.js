// The library build's single ES module (dist/lib/customer-lens.js). On a page it registers
// <customer-lens>; the same file, started as a module worker, is the element's analysis engine,
// so the whole widget is this file plus customer-lens.wasm next to it. Both are found relative
// to this module's own URL, never the page's.
import { CustomerLensElement } from './element.js';
import { startWorker } from './workerCore.js';

/** The WASM module's file name next to this one (the library build copies it there). */
const WASM_FILE = 'customer-lens.wasm';

const inWorker = typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope;

/**
 * This module as a worker. A worker must come from the page's origin; when the library is
 * served from another one, a tiny same-origin blob worker imports it instead (the page's CSP
 * then needs `worker-src blob:`).
 */
function createWorker() {
  const url = import.meta.url;
  if (new URL(url).origin === location.origin) return new Worker(url, { type: 'module', name: 'customer-lens' });
  const bootstrap = URL.createObjectURL(new Blob([`import ${JSON.stringify(url)};`], { type: 'text/javascript' }));
  return new Worker(bootstrap, { type: 'module', name: 'customer-lens' });
}

if (inWorker) {
  startWorker({ wasmUrl: new URL(WASM_FILE, import.meta.url) });
} else {
  CustomerLensElement.createWorker = createWorker;
  CustomerLensElement.define();
}

export { CustomerLensElement };
