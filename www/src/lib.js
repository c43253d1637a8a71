// The library's element module (dist/lib/customer-lens.js, the package's entry): registers
// <customer-lens>. Its analysis engine is a second file, customer-lens-worker.js (worker.js built
// on its own), with the engine's customer-lens.wasm, the Excel reader's customer-lens-xlsx.wasm
// (fetched only when a workbook arrives) and the SQL module's customer-lens-sql.wasm (fetched
// when SQL is first asked for); all are found relative to this module's own
// URL, never the page's. The built module names them as literal `new URL('./…', import.meta.url)`
// (vite.lib.config.js checks it), the form a host's bundler (Vite, webpack 5, …) recognises: it
// copies both files into the host's build and rewrites the URLs. On a plain page they are simply
// the files beside this one.
import { CustomerLensElement } from './element.js';
import { startModuleWorker } from './trustedTypes.js';

const WORKER_NAME = 'customer-lens';

/** The engine's module. (@vite-ignore: rewritten by the host's bundler, not by ours.) */
const workerUrl = () => new URL(/* @vite-ignore */ './customer-lens-worker.js', import.meta.url);
/** The engine's WebAssembly, handed to the worker: a bundler renames it, and only this module knows. */
const wasmUrl = () => new URL(/* @vite-ignore */ './customer-lens.wasm', import.meta.url);
/** The Excel reader's WebAssembly, likewise; the worker fetches it only when a workbook arrives. */
const xlsxWasmUrl = () => new URL(/* @vite-ignore */ './customer-lens-xlsx.wasm', import.meta.url);
/** The SQL module's WebAssembly, likewise; the worker fetches it when SQL is first asked for. */
const sqlWasmUrl = () => new URL(/* @vite-ignore */ './customer-lens-sql.wasm', import.meta.url);

/**
 * The engine as a module worker. A worker must come from the page's origin; when the library is
 * served from another one, a tiny same-origin blob worker imports it instead (the page's CSP then
 * needs `worker-src blob:`). Either URL goes through the `customer-lens` Trusted Types policy.
 */
function createWorker() {
  const url = workerUrl();
  let worker;
  if (url.origin === location.origin) worker = startModuleWorker(url, { name: WORKER_NAME });
  else {
    const bootstrap = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' }));
    worker = startModuleWorker(bootstrap, { name: WORKER_NAME });
  }
  worker.postMessage({ type: 'configure', wasmUrl: wasmUrl().href, xlsxWasmUrl: xlsxWasmUrl().href, sqlWasmUrl: sqlWasmUrl().href });
  return worker;
}

CustomerLensElement.createWorker = createWorker;
if (globalThis.customElements) CustomerLensElement.define();

export { CustomerLensElement };
