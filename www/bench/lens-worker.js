// The benchmark's customer-lens side: a Web Worker that owns the WASM module as the app's
// worker (www/src/worker.js) does, but imports pkg/ directly (no Vite alias) and reports timings
// and the size of the module's memory instead of serving the page.
//
// Requests and answers:
//   { type: 'init' }  →  { type: 'ready' }                  compile and instantiate the module
//   { type: 'run', bytes: ArrayBuffer (transferred), options, chunkBytes, clv: boolean }
//     →  { type: 'core' }  as soon as summary, RFM and monthly cohorts are computed, then
//     →  { type: 'done', phases: { ingest, summary, rfm, cohorts, clv? } (ms in this worker),
//          memoryAfter: { …the same phases } (memory size in bytes after each),
//          rowsRead, orders, customers, memoryBytes, clvError }
//   any failure  →  { type: 'error', message, memoryBytes }
// memoryBytes is `memory.buffer.byteLength` after the run: WASM memory never shrinks, so it is
// the peak over every run this worker made.
import init, { OrderBookBuilder } from '../../pkg/customer_lens.js';

let wasm = null;

/** Streams the bytes into the builder in `chunkBytes` pieces, as the app feeds a File's stream. */
function buildBook(bytes, options, chunkBytes) {
  const builder = new OrderBookBuilder(options ?? {});
  builder.expectBytes(bytes.length);
  try {
    for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
      builder.push(bytes.subarray(offset, Math.min(offset + chunkBytes, bytes.length)));
    }
  } catch (error) {
    builder.free();
    throw error;
  }
  return builder.finish();
}

function run({ bytes, options, chunkBytes, clv }) {
  const phases = {};
  const memoryAfter = {};
  let mark = performance.now();
  const lap = (name) => {
    const now = performance.now();
    phases[name] = now - mark;
    memoryAfter[name] = wasm.memory.buffer.byteLength;
    mark = now;
  };
  const book = buildBook(new Uint8Array(bytes), options, chunkBytes);
  try {
    lap('ingest');
    const summary = book.summary();
    lap('summary');
    book.rfm({});
    lap('rfm');
    book.cohorts({ period: 'month' });
    lap('cohorts');
    self.postMessage({ type: 'core' });
    let clvError = null;
    if (clv) {
      try {
        book.clv({});
      } catch (error) {
        clvError = error?.message ?? String(error);
      }
      lap('clv');
    }
    return {
      type: 'done',
      phases,
      memoryAfter,
      clvError,
      rowsRead: summary.rowsRead,
      orders: summary.orders,
      customers: summary.customers,
      memoryBytes: wasm.memory.buffer.byteLength,
    };
  } finally {
    book.free();
  }
}

self.addEventListener('message', async (event) => {
  try {
    wasm ??= await init();
    self.postMessage(event.data.type === 'init' ? { type: 'ready' } : run(event.data));
  } catch (error) {
    self.postMessage({ type: 'error', message: error?.message ?? String(error), memoryBytes: wasm?.memory.buffer.byteLength ?? 0 });
  }
});
