// The analysis engine's thread: owns the WASM module and the one loaded `OrderBook`.
// `startWorker()` installs the message handler; worker.js calls it (the site's worker, and built
// on its own the library's customer-lens-worker.js).
//
// Protocol (see engine.js for the page side). Every request carries an `id`:
//   { id, type: 'loadFile', file, options }      stream a File (or Blob) into an OrderBookBuilder;
//                                                an Excel workbook (recognised by its bytes) is
//                                                read by the Excel module (xlsx.js); options.sheet
//                                                names its sheet; a large file is read by
//                                                several workers (splitLoad.js), the summary
//                                                then saying how many (`workers`) and their WASM
//                                                memory in all (`workerMemory`)
//   { id, type: 'loadUrl', url, options }        fetch a URL here and stream it the same way
//   { id, type: 'loadRows', rows, options }      OrderBook.fromRows(rows, options); `rows` an
//                                                object of columns: OrderBook.fromColumns
//   { id, type: 'analyse', method, options, leading }  book[method](...leading, options), e.g.
//                                                summary, rfm, cohorts; `leading` (optional) the
//                                                arguments before the options (audienceCsv's id);
//                                                `sql` first loads the SQL module (lazyModule.js)
//   { id, type: 'fitGroupedSummary', file, periodDays }  the clvSummary query's CSV (a File or
//                                                Blob, .gz decompressed) fitted with weights; needs
//                                                no loaded book
//   { id, type: 'splitScan' | 'splitRead', file, start, end, options }  a helper's share of
//                                                reading a large file (splitLoad.js)
//   { id, type: 'cancel', target }               stop the load whose id is `target`
//   { type: 'configure', wasmUrl, xlsxWasmUrl, sqlWasmUrl }  where the .wasm, the Excel module's
//                                                and the SQL module's .wasm are, before any request
//                                                (the library's page side sends it: after a host's
//                                                bundler renamed the files, only it knows)
// Answers:
//   { id, type: 'progress', loaded, total }      bytes pushed so far (total null when unknown)
//   { id, type: 'result', value }                loads answer with the new book's summary(), and
//                                                for a workbook `workbook: { sheets, sheet }`
//   { id, type: 'error', code, message, params }  code: 'cancelled' | 'fetch' | 'http' |
//                                                'engine' (a WASM Error: message for the user) |
//                                                'crashed' (WASM trapped: restart the worker) |
//                                                'tooLarge' (memory ran out: restart the worker;
//                                                params.read and params.total are the bytes of
//                                                the load read so far and in all, when known) |
//                                                'unsupported' | 'protocol'
// A load replaces the current book only when it succeeds, so a cancelled or failed load leaves
// the previous data usable.
import init, {
  OrderBook,
  OrderBookBuilder,
  RangeReader,
  RangeScanner,
  fitBgNbd,
  fitGammaGamma,
  parseGroupedSummary,
  splitPartStarts,
  splitSampleBytes,
  splitStarts,
  useSqlModule,
} from 'customer-lens-wasm';
import { lazyModule } from './lazyModule.js';
import { memoryExhausted } from './memory.js';
import { answerRangeRequest, loadInParts, splitWorkerCount } from './splitLoad.js';
import { loadExcelModule, looksLikeWorkbook, readWorkbook } from './xlsx.js';

/** Progress messages at most this often, so a 250 MB file does not flood the page. */
const PROGRESS_INTERVAL_MS = 80;

/** What reading a file in ranges needs of the engine (splitLoad.js). */
const SPLIT_API = { RangeReader, RangeScanner, splitPartStarts, splitSampleBytes, splitStarts };

/** Methods of OrderBook the page may call through 'analyse'. */
const ANALYSIS_NAME = /^[a-z][A-Za-z0-9]*$/;
const NOT_ANALYSES = new Set(['free', 'constructor', 'toJSON', 'toString']);

class WorkerError extends Error {
  constructor(code, message, params = {}) {
    super(message);
    this.code = code;
    this.params = params;
  }
}

let initialised = null;
/** The module's memory, to tell running out of it from a crash. */
let wasmMemory = null;
/** Where the .wasm is: the package's default (next to its glue) unless `configure` says. */
let wasmLocation;
/** Where the Excel module's .wasm is, likewise. */
let xlsxWasmLocation;
/** Where the SQL module's .wasm is, likewise. */
let sqlWasmLocation;
/** The SQL rendering, a module of its own: loaded the first time SQL is asked for. */
const loadSqlModule = lazyModule(() => import('customer-lens-sql'));
/** Resolves once the SQL module is loaded and given to the engine. */
let sqlReady = null;
let book = null;
/** Loads in flight: id → { cancelled, reader, read, total }. */
const loads = new Map();

function ensureInitialised() {
  initialised ??= init(wasmLocation ? { module_or_path: wasmLocation } : undefined).then(
    (exports) => {
      wasmMemory = exports.memory;
      return exports;
    },
    (error) => {
      initialised = null;
      throw new WorkerError('unsupported', error?.message ?? String(error));
    },
  );
  return initialised;
}

/** Loads the SQL module (once) and gives it to the engine, for `book.sql` and `parseGroupedSummary`. */
function ensureSqlModule() {
  sqlReady ??= loadSqlModule(sqlWasmLocation).then(useSqlModule, (error) => {
    sqlReady = null;
    throw new WorkerError('unsupported', error?.message ?? String(error));
  });
  return sqlReady;
}

function replaceBook(newBook) {
  const previous = book;
  book = newBook;
  previous?.free();
}

/** Posts a load's progress, at most every PROGRESS_INTERVAL_MS unless `final`. */
function postProgress(id, job, final = false) {
  const now = performance.now();
  if (!final && now - job.lastPost < PROGRESS_INTERVAL_MS) return;
  job.lastPost = now;
  self.postMessage({ id, type: 'progress', loaded: final ? (job.total ?? job.read) : job.read, total: job.total });
}

/**
 * Streams bytes into a builder; returns the new book's summary. A stream whose first bytes are
 * an Excel workbook's goes to the Excel module instead (loadWorkbook).
 */
async function loadStream(id, stream, total, options, countedStream) {
  await ensureInitialised();
  const job = loads.get(id);
  if (job.cancelled) throw new WorkerError('cancelled', 'cancelled');
  // Made before the first read, so wrong options are reported without reading the file.
  let builder = new OrderBookBuilder(options ?? {});
  let finished = false;
  const reader = stream.getReader();
  job.reader = reader;
  job.total = total;
  try {
    let pushed = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (job.cancelled) throw new WorkerError('cancelled', 'cancelled');
      if (done) break;
      if (pushed === 0 && looksLikeWorkbook(value)) {
        builder.free();
        builder = null;
        return await loadWorkbook(id, reader, value, options, countedStream);
      }
      const first = pushed === 0;
      // Counted as read before the engine takes it: memory that runs out while the chunk is
      // pushed (the first chunks size the columns for the whole file) is then reported with how
      // far the file was read.
      pushed += value.byteLength;
      job.read = countedStream ? countedStream.count : pushed;
      // The size of a compressed stream says little about the text it holds.
      if (first && total && !countedStream) builder.expectBytes(total);
      builder.push(value);
      postProgress(id, job);
    }
    job.read = pushed;
    postProgress(id, job, true);
    finished = true;
    const newBook = builder.finish();
    replaceBook(newBook);
    return newBook.summary();
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  } finally {
    // After a trap the builder is still marked as in use, and freeing it throws: that error must
    // not replace the trap's, which says what happened (the worker is restarted anyway).
    if (!finished && builder) {
      try {
        builder.free();
      } catch {}
    }
  }
}

/**
 * Reads the rest of an Excel workbook (a ZIP archive is read whole), then its orders through the
 * Excel module, loaded now (the first time a workbook arrives). The summary says which sheet was
 * read and lists the others (`workbook: { sheets, sheet }`).
 */
async function loadWorkbook(id, reader, first, options, countedStream) {
  const job = loads.get(id);
  const chunks = [first];
  let size = first.byteLength;
  // Fetched while the file is read; its failure is reported where it is awaited.
  const excel = loadExcelModule(xlsxWasmLocation);
  excel.catch(() => {});
  for (;;) {
    const { done, value } = await reader.read();
    if (job.cancelled) throw new WorkerError('cancelled', 'cancelled');
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    job.read = countedStream ? countedStream.count : size;
    postProgress(id, job);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  chunks.length = 0;
  job.read = size;
  postProgress(id, job, true);
  const { book: newBook, workbook } = readWorkbook(bytes, options, { OrderBookBuilder }, await excel);
  replaceBook(newBook);
  return { ...newBook.summary(), workbook };
}

/**
 * Reads a large File with several workers (splitLoad.js) — this one and helpers it starts from
 * its own script — when the machine has the cores; resolves to the new book's summary (with
 * `workers` and `workerMemory`, the WASM bytes of all of them), or null to read it whole (a small
 * or compressed file, a workbook, a file that cannot be cut, no nested workers, any failure).
 */
async function loadFileInParts(id, file, options) {
  const count = isGzipName(file.name) ? 1 : splitWorkerCount(file.size, self.navigator?.hardwareConcurrency ?? 1);
  if (count < 2 || typeof Worker === 'undefined' || !self.location) return null;
  await ensureInitialised();
  const job = loads.get(id);
  if (looksLikeWorkbook(new Uint8Array(await file.slice(0, 8).arrayBuffer()))) return null;
  job.total = file.size;
  const spawn = () => {
    const helper = new Worker(self.location.href, { type: 'module', name: self.name });
    helper.postMessage({ type: 'configure', wasmUrl: wasmLocation, xlsxWasmUrl: xlsxWasmLocation, sqlWasmUrl: sqlWasmLocation });
    return helper;
  };
  // Progress from this worker's own range, the others going at about the same pace: its scan
  // a fifth of the way, its reading the rest.
  let scanned = 0;
  let read = 0;
  const progress = () => {
    job.read = Math.min(file.size, Math.round((scanned / 5 + (read * 4) / 5) * count));
    postProgress(id, job);
  };
  let result;
  try {
    result = await loadInParts(SPLIT_API, {
      file,
      options: options ?? {},
      count,
      spawn,
      memory: () => wasmMemory.buffer.byteLength,
      onScanBytes: (bytes) => {
        scanned += bytes;
        progress();
      },
      onBytes: (bytes) => {
        read += bytes;
        progress();
      },
      cancelled: () => job.cancelled,
    });
  } catch (error) {
    if (job.cancelled) throw new WorkerError('cancelled', 'cancelled');
    if (error instanceof WebAssembly.RuntimeError) throw error;
    result = null;
  }
  if (!result) {
    job.read = 0;
    return null;
  }
  postProgress(id, job, true);
  replaceBook(result.book);
  return { ...book.summary(), workers: result.workers, workerMemory: result.memory };
}

/** A pass-through stream that counts bytes (compressed bytes, for progress on .gz files). */
function byteCounter() {
  const counter = { count: 0 };
  counter.stream = new TransformStream({
    transform(chunk, controller) {
      counter.count += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return counter;
}

function isGzipName(name) {
  return /\.gz$/i.test(name ?? '');
}

/** The file's bytes, decompressed when it is gzip. */
function fileStream(file) {
  if (!isGzipName(file.name)) return { stream: file.stream(), counted: null };
  const counted = byteCounter();
  return { stream: file.stream().pipeThrough(counted.stream).pipeThrough(new DecompressionStream('gzip')), counted };
}

async function loadUrl(id, url, options) {
  let response;
  try {
    response = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (error) {
    throw new WorkerError('fetch', error?.message ?? String(error), { url, reason: error?.message ?? String(error) });
  }
  if (!response.ok) throw new WorkerError('http', `HTTP ${response.status}`, { url, status: response.status });
  if (!response.body) throw new WorkerError('fetch', 'empty response', { url, reason: 'empty response' });
  // Content-Length counts the bytes on the wire; with a Content-Encoding those are not the bytes
  // read here, so progress is then unknown rather than wrong.
  const length = Number(response.headers.get('content-length'));
  const encoded = response.headers.has('content-encoding') && response.headers.get('content-encoding') !== 'identity';
  const total = length > 0 && !encoded ? length : null;
  const path = new URL(response.url || url).pathname;
  const gzip = isGzipName(path) || /gzip/i.test(response.headers.get('content-type') ?? '');
  if (!gzip) return loadStream(id, response.body, total, options, null);
  const counted = byteCounter();
  const stream = response.body.pipeThrough(counted.stream).pipeThrough(new DecompressionStream('gzip'));
  return loadStream(id, stream, total, options, counted);
}

async function loadRows(rows, options) {
  await ensureInitialised();
  const read = Array.isArray(rows) ? OrderBook.fromRows : OrderBook.fromColumns;
  replaceBook(read(rows, options ?? {}));
  return book.summary();
}

async function analyse(method, options, leading = []) {
  await ensureInitialised();
  if (!book) throw new WorkerError('protocol', 'no data loaded');
  if (!ANALYSIS_NAME.test(method) || NOT_ANALYSES.has(method) || typeof book[method] !== 'function') {
    throw new WorkerError('protocol', `unknown analysis: ${method}`);
  }
  if (method === 'sql') await ensureSqlModule();
  return book[method](...(Array.isArray(leading) ? leading : []), options ?? {});
}

/**
 * The weighted BG/NBD and Gamma-Gamma fits of a grouped summary file. A file that cannot be read
 * fails the request; each model that cannot be fitted gets its message (`bgnbdError`,
 * `gammaGammaError`) so the other one is still shown.
 */
async function fitGroupedSummary(file, periodDays) {
  await ensureInitialised();
  await ensureSqlModule();
  const source = isGzipName(file.name) ? new Response(file.stream().pipeThrough(new DecompressionStream('gzip'))) : file;
  const text = await source.text();
  const started = performance.now();
  const summary = parseGroupedSummary(text, { periodDays });
  const { bgnbd, gammaGamma } = summary;
  const attempt = (fit) => {
    try {
      return { fit: fit(), error: null };
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) throw error;
      // Its code and params come along, for the page to word it.
      return { fit: null, error: { message: error?.message ?? String(error), code: error?.code, params: error?.params } };
    }
  };
  const purchases = attempt(() => fitBgNbd(bgnbd.frequency, bgnbd.recency, bgnbd.T, bgnbd.weights));
  const spend = attempt(() => fitGammaGamma(gammaGamma.frequency, gammaGamma.monetaryMean, gammaGamma.weights));
  return {
    customers: summary.customers,
    rows: summary.rows,
    bgnbdRows: bgnbd.weights.length,
    gammaGammaRows: gammaGamma.weights.length,
    periodDays: summary.periodDays,
    bytes: file.size,
    milliseconds: performance.now() - started,
    bgnbd: purchases.fit,
    bgnbdError: purchases.error,
    gammaGamma: spend.fit,
    gammaGammaError: spend.error,
  };
}

/** Typed arrays directly inside a result (one level deep) are transferred, not copied. */
function transferables(value) {
  const buffers = new Set();
  const visit = (item) => {
    if (ArrayBuffer.isView(item) && item.buffer instanceof ArrayBuffer) buffers.add(item.buffer);
  };
  if (value && typeof value === 'object') {
    visit(value);
    for (const item of Object.values(value)) visit(item);
  }
  return [...buffers];
}

function errorMessage(id, error) {
  if (error instanceof WorkerError) return { id, type: 'error', code: error.code, message: error.message, params: error.params };
  if (error instanceof WebAssembly.RuntimeError) {
    // A trap (a Rust panic under panic=abort, or memory the browser would not give) leaves the
    // module unusable: the page restarts us.
    if (memoryExhausted(wasmMemory)) {
      const job = loads.get(id);
      return { id, type: 'error', code: 'tooLarge', message: 'out of memory', params: { read: job?.read ?? null, total: job?.total ?? null } };
    }
    return { id, type: 'error', code: 'crashed', message: error.message, params: { message: error.message } };
  }
  if (error?.name === 'AbortError') return { id, type: 'error', code: 'cancelled', message: 'cancelled', params: {} };
  // Errors thrown by the WASM API carry a message written for the user.
  // An unreadable file also carries a stable code and params, for the page to word it.
  return { id, type: 'error', code: 'engine', message: error?.message ?? String(error), params: { ...(error?.params ?? {}), engineCode: error?.code } };
}

async function handle(request) {
  switch (request.type) {
    case 'loadFile': {
      const inParts = await loadFileInParts(request.id, request.file, request.options);
      if (inParts) return inParts;
      const { stream, counted } = fileStream(request.file);
      return loadStream(request.id, stream, request.file.size, request.options, counted);
    }
    case 'loadUrl':
      return loadUrl(request.id, request.url, request.options);
    case 'loadRows':
      return loadRows(request.rows, request.options);
    case 'analyse':
      return analyse(request.method, request.options, request.leading);
    case 'splitScan':
    case 'splitRead':
      await ensureInitialised();
      return answerRangeRequest(SPLIT_API, request, () => wasmMemory.buffer.byteLength);
    case 'fitGroupedSummary':
      return fitGroupedSummary(request.file, request.periodDays);
    default:
      throw new WorkerError('protocol', `unknown request: ${request.type}`);
  }
}

/** Answers the page's requests in this worker. */
export function startWorker() {
  self.addEventListener('message', onMessage);
}

async function onMessage(event) {
  const request = event.data;
  if (request?.type === 'configure') {
    wasmLocation = request.wasmUrl;
    xlsxWasmLocation = request.xlsxWasmUrl;
    sqlWasmLocation = request.sqlWasmUrl;
    return;
  }
  if (request?.type === 'cancel') {
    const job = loads.get(request.target);
    if (job) {
      job.cancelled = true;
      job.reader?.cancel().catch(() => {});
    }
    return;
  }
  const isLoad = request?.type?.startsWith('load');
  if (isLoad) loads.set(request.id, { cancelled: false, reader: null, read: 0, total: null, lastPost: 0 });
  try {
    const value = await handle(request);
    self.postMessage({ id: request.id, type: 'result', value }, transferables(value));
  } catch (error) {
    const cancelled = isLoad && loads.get(request.id)?.cancelled;
    self.postMessage(cancelled ? { id: request.id, type: 'error', code: 'cancelled', message: 'cancelled', params: {} } : errorMessage(request.id, error));
  } finally {
    if (isLoad) loads.delete(request.id);
  }
}
