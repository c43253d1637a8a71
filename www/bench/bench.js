// The benchmark page: holds one input file in memory (fetched before any timing starts) and times,
// from those bytes, customer-lens in its own Web Worker and DuckDB-WASM in its own, doing the same
// job. scripts/bench-browser.mjs drives it through `window.bench`; a person can also pick a file
// and press Run.
//
// Every run hands the engine a fresh copy of the bytes by transfer (copied before the clock
// starts), so both engines pay the same hand-over and neither keeps anything between runs.
import { DuckDbJob } from './duckdb-job.js';

/** The app streams a File into the builder; its chunks are pushed in pieces of this size. */
const CHUNK_BYTES = 1 << 20;

let input = null; // { name, bytes: ArrayBuffer }
let duckdbStart = null; // Promise of { job, startMs }

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function medianPhases(list) {
  const names = Object.keys(list[0] ?? {});
  return Object.fromEntries(names.map((name) => [name, median(list.map((phases) => phases[name]))]));
}

/** Fetches a file into memory; nothing after this touches the network. */
async function loadInput(url) {
  input = null;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot fetch ${url}: HTTP ${response.status}`);
  input = { name: url, bytes: await response.arrayBuffer() };
  return input.bytes.byteLength;
}

function useFile(name, bytes) {
  input = { name, bytes };
}

/** Waits for the worker's next message of one of `types` (or an error). */
function nextMessage(worker, ...types) {
  return new Promise((resolve, reject) => {
    const onMessage = (event) => {
      if (event.data?.type === 'error') {
        cleanup();
        reject(Object.assign(new Error(event.data.message), { memoryBytes: event.data.memoryBytes }));
      } else if (types.includes(event.data?.type)) {
        cleanup();
        resolve({ data: event.data, at: performance.now() });
      }
    };
    const onError = (event) => {
      cleanup();
      reject(new Error(event.message || 'worker failed'));
    };
    const cleanup = () => {
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
  });
}

/**
 * customer-lens, `runs` times, in a fresh worker (so its memory size is this input's peak), the
 * bytes pushed into the builder `chunkBytes` at a time.
 * Returns medians: `coreMs` (bytes → summary + RFM + monthly cohorts, as the page sees it),
 * `clvMs` (the same plus the CLV fit), the worker's own per-phase times, and the module's memory.
 */
async function runLens({ runs = 5, options = { preset: 'online-retail' }, clv = true, chunkBytes = CHUNK_BYTES } = {}) {
  if (!input) throw new Error('no input loaded');
  const worker = new Worker(new URL('./lens-worker.js', import.meta.url), { type: 'module' });
  try {
    const ready = nextMessage(worker, 'ready');
    const initStart = performance.now();
    worker.postMessage({ type: 'init' });
    const initMs = (await ready).at - initStart;
    const core = [];
    const total = [];
    const phases = [];
    let last = null;
    let firstMemoryAfter = null;
    for (let run = 0; run < runs; run++) {
      const bytes = input.bytes.slice(0);
      const coreDone = nextMessage(worker, 'core');
      const done = nextMessage(worker, 'done');
      const start = performance.now();
      worker.postMessage({ type: 'run', bytes, options, chunkBytes, clv }, [bytes]);
      core.push((await coreDone).at - start);
      const finished = await done;
      total.push(finished.at - start);
      phases.push(finished.data.phases);
      firstMemoryAfter ??= finished.data.memoryAfter;
      last = finished.data;
    }
    return {
      initMs,
      coreMs: median(core),
      clvMs: clv ? median(total) : null,
      coreRuns: core,
      phases: medianPhases(phases),
      rowsRead: last.rowsRead,
      orders: last.orders,
      customers: last.customers,
      memoryBytes: last.memoryBytes,
      // Memory only grows, so the first run's sizes say which phase needed it.
      memoryAfter: firstMemoryAfter,
      clvError: last.clvError,
    };
  } finally {
    worker.terminate();
  }
}

/** DuckDB-WASM, `runs` times on one instance started once (its start is reported apart). */
async function runDuckDb({ runs = 5, shape = 'lines' } = {}) {
  if (!input) throw new Error('no input loaded');
  duckdbStart ??= DuckDbJob.start();
  const { job, startMs } = await duckdbStart;
  const times = [];
  const phases = [];
  let last = null;
  for (let run = 0; run < runs; run++) {
    const bytes = input.bytes.slice(0);
    const start = performance.now();
    last = await job.run(bytes, shape);
    times.push(performance.now() - start);
    phases.push(last.phases);
  }
  return { startMs, version: job.version, coreMs: median(times), coreRuns: times, phases: medianPhases(phases), rowsRead: last.rowsRead, orders: last.orders, customers: last.customers, rfmRows: last.rfmRows, cohortCells: last.cohortCells };
}

/** Throws DuckDB away (a failed or huge run can leave it unusable or holding memory). */
async function resetDuckDb() {
  const started = duckdbStart;
  duckdbStart = null;
  if (started) {
    const { job } = await started.catch(() => ({}));
    await job?.close().catch(() => {});
  }
}

window.bench = { loadInput, useFile, runLens, runDuckDb, resetDuckDb };

// ------------------------------------------------------------ by hand: pick a file, press Run

const output = document.getElementById('output');
const say = (line) => {
  output.textContent += `${line}\n`;
};

document.getElementById('file')?.addEventListener('change', async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  useFile(file.name, await file.arrayBuffer());
  say(`${file.name}: ${(file.size / 1e6).toFixed(1)} MB in memory`);
});

document.getElementById('run')?.addEventListener('click', async () => {
  if (!input) {
    say('pick a CSV file in the Online Retail format first');
    return;
  }
  const runs = Number(document.getElementById('runs').value) || 3;
  try {
    const lens = await runLens({ runs });
    say(`customer-lens: ${lens.coreMs.toFixed(0)} ms to summary + RFM + cohorts, ${lens.clvMs?.toFixed(0)} ms with CLV; ` +
      `${lens.orders} orders, ${(lens.memoryBytes / lens.orders).toFixed(1)} bytes of WASM memory per order`);
    const duck = await runDuckDb({ runs });
    say(`DuckDB-WASM ${duck.version}: ${duck.coreMs.toFixed(0)} ms (start ${duck.startMs.toFixed(0)} ms); ` +
      `customer-lens / DuckDB-WASM = ${(lens.coreMs / duck.coreMs).toFixed(2)}`);
  } catch (error) {
    say(`failed: ${error.message}`);
  }
});
