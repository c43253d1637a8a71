// WASM benchmark under Node: the built pkg/ on a CSV file — ingestion throughput, then the
// analyses on the book (medians of several runs). Prints figures; never part of a test run.
//
//   node scripts/bench-wasm.mjs [FILE.csv|FILE.csv.gz] [--preset NAME] [--runs N]
//   node scripts/bench-wasm.mjs --customers 1M     (an in-memory file: N customers, ~1.8 orders each)
//   node scripts/bench-wasm.mjs FILE --no-products   (the product columns left out: no line items)
//   node scripts/bench-wasm.mjs --orders 1M [--no-order-id]   (a store's order list, one row per
//        order: `synth --shape orders`, written to the OS temp folder by the release binary)
//   node scripts/bench-wasm.mjs … --pkg DIR   (another build of pkg/, to compare two builds)
//   node scripts/bench-wasm.mjs … --ingest-only   (ingestion and memory, not the analyses)
//   node scripts/bench-wasm.mjs --rows 200k   (N one-row-per-order orders a host holds: fromCsv
//                                             on their CSV text, fromRows, fromColumns; then exits)
//
// With no file, reads ../shared/data/online-retail.csv.gz with the online-retail preset. The
// WASM memory per order is measured in a fresh process (memory never shrinks): the file streamed
// through the builder in 1 MB chunks with its size given, as the page does.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
let file = `${root}../shared/data/online-retail.csv.gz`;
let preset = 'online-retail';
let runs = 5;
let customers = 0;
let products = true;
let orders = 0;
let orderIds = true;
let pkg = `${root}pkg`;
let ingestOnly = false;
let memoryOnly = false;
let hostRows = 0;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--preset') preset = args[++i];
  else if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--customers') customers = parseCount(args[++i]);
  else if (args[i] === '--no-products') products = false;
  else if (args[i] === '--orders') orders = parseCount(args[++i]);
  else if (args[i] === '--no-order-id') orderIds = false;
  else if (args[i] === '--pkg') pkg = path.resolve(args[++i]);
  else if (args[i] === '--ingest-only') ingestOnly = true;
  else if (args[i] === '--memory-only') memoryOnly = true;
  else if (args[i] === '--rows') hostRows = parseCount(args[++i]);
  else { file = args[i]; if (!file.includes('online-retail')) preset = undefined; }
}
if (orders > 0) {
  file = ordersCsv(orders, orderIds);
  preset = undefined;
}

/** The one-row-per-order synthetic file of `count` orders, written once by the release `synth`. */
function ordersCsv(count, withIds) {
  const synth = `${root}target/release/synth`;
  const path = `${os.tmpdir()}/customer-lens-orders-${count}${withIds ? '' : '-no-order-id'}.csv`;
  if (!fs.existsSync(path) || fs.statSync(path).mtimeMs < fs.statSync(synth).mtimeMs) {
    execFileSync(synth, [String(count), path, '--shape', 'orders', ...(withIds ? [] : ['--no-order-id'])], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return path;
}

function parseCount(text) {
  const scale = { k: 1e3, m: 1e6 }[text.slice(-1).toLowerCase()] ?? 1;
  return Math.round(parseFloat(text) * scale);
}

/** A generic orders file: `customers` customers with 1–3 orders each over two years (seeded). */
function syntheticCsv(count) {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const start = Date.UTC(2023, 0, 1);
  const parts = ['order,customer,date,amount\n'];
  let order = 0;
  for (let c = 0; c < count; c++) {
    const orders = 1 + Math.floor(random() * random() * 3.5);
    for (let k = 0; k < orders; k++) {
      const day = new Date(start + Math.floor(random() * 730) * 86400000).toISOString().slice(0, 10);
      parts.push(`${++order},C${c},${day},${(5 + random() * 200).toFixed(2)}\n`);
    }
  }
  return Buffer.from(parts.join(''));
}

const { initSync, OrderBook, OrderBookBuilder } = await import(pathToFileURL(`${pkg}/customer_lens.js`).href);
const wasm = initSync({ module: fs.readFileSync(`${pkg}/customer_lens_bg.wasm`) });
if (hostRows > 0) {
  benchHostRows(hostRows);
  process.exit(0);
}
let bytes;
let label;
if (customers > 0) {
  bytes = syntheticCsv(customers);
  label = `in-memory synthetic file, ${customers} customers`;
  preset = undefined;
} else {
  bytes = fs.readFileSync(file);
  if (file.endsWith('.gz')) bytes = zlib.gunzipSync(bytes);
  label = file;
}
const megabytes = bytes.length / 1e6;
const options = preset ? { preset } : {};
if (!products) options.columns = { productId: '', productName: '', category: '' };

// In a fresh process: the WASM memory the builder needed (streamed in 1 MB chunks, the file's
// size given), printed as JSON for the parent.
if (memoryOnly) {
  const before = wasm.memory.buffer.byteLength;
  const builder = new OrderBookBuilder(options);
  builder.expectBytes(bytes.length);
  for (let offset = 0; offset < bytes.length; offset += 1 << 20) builder.push(bytes.subarray(offset, offset + (1 << 20)));
  const reading = wasm.memory.buffer.byteLength;
  const book = builder.finish();
  const summary = book.summary();
  console.log(JSON.stringify({ before, reading, built: wasm.memory.buffer.byteLength, orders: summary.orders }));
  process.exit(0);
}

/** Peak WASM memory per order (a child process streams the file into a fresh module). */
function memoryPerOrder() {
  const child = execFileSync(process.execPath, [fileURLToPath(import.meta.url), ...args, '--memory-only'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const { before, reading, built, orders: count } = JSON.parse(child.trim().split('\n').pop());
  const perOrder = (bytes_) => ((bytes_ - before) / Math.max(count, 1)).toFixed(1);
  return `WASM memory per order: ${perOrder(reading)} B after reading the rows, ${perOrder(built)} B peak with the book built (${((built - before) / 1e6).toFixed(1)} MB over the ${(before / 1e6).toFixed(1)} MB at start; builder, 1 MB chunks, size given)`;
}

function median(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall time, the result, and the median CPU time of this process (on a shared machine
 * the wall time counts other processes' turns too). */
function measure(work, free = false, times_ = runs) {
  const times = [];
  const cpuTimes = [];
  let result;
  for (let i = 0; i < times_; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    result = work();
    const cpu = process.cpuUsage(cpuStart);
    times.push(performance.now() - start);
    cpuTimes.push((cpu.user + cpu.system) / 1e3);
    if (free && i < times_ - 1) result.free();
  }
  firstRun = times[0];
  return [median(times), result, median(cpuTimes)];
}
/** The first run's time of the last `measure` (a page analyses a file once per load). */
let firstRun = 0;

console.log(`file: ${label} (${megabytes.toFixed(1)} MB), ${runs} runs, medians, WASM under Node ${process.version}`);
const [wholeMs, book] = measure(() => OrderBook.fromCsv(bytes, options), true);
const summary = book.summary();
const throughput = (label, ms) => console.log(
  `${label.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms  ${(megabytes / (ms / 1e3)).toFixed(1).padStart(7)} MB/s  ` +
  `${(summary.rowsRead / (ms / 1e3) / 1e6).toFixed(2).padStart(6)} M rows/s`);
const firstMs = firstRun;
throughput('fromCsv (whole file)', wholeMs);
throughput('fromCsv, first run', firstMs);
const chunk = 1 << 20;
const [streamMs, streamed] = measure(() => {
  const builder = new OrderBookBuilder(options);
  builder.expectBytes(bytes.length);
  for (let offset = 0; offset < bytes.length; offset += chunk) builder.push(bytes.subarray(offset, offset + chunk));
  return builder.finish();
}, true);
throughput('builder (1 MB chunks)', streamMs);
streamed.free();
console.log(`rows ${summary.rowsRead}, orders ${summary.orders}, customers ${summary.customers}, revenue ${summary.revenue.toFixed(2)}`);
console.log(memoryPerOrder());
// Line items: the file read with and without its product columns, alternately, in CPU time of
// this process (on a busy machine wall times count other processes' turns).
if (products && orders === 0) {
  const without = { ...options, columns: { productId: '', productName: '', category: '' } };
  const cpu = { with: [], without: [] };
  for (let i = 0; i < runs; i++) {
    for (const [name, read] of [['with', options], ['without', without]]) {
      const start = process.cpuUsage();
      OrderBook.fromCsv(bytes, read).free();
      const used = process.cpuUsage(start);
      cpu[name].push((used.user + used.system) / 1e3);
    }
  }
  const [withMs, withoutMs] = [median(cpu.with), median(cpu.without)];
  console.log(`line items: fromCsv ${withMs.toFixed(1)} ms CPU with the product columns, ${withoutMs.toFixed(1)} ms without (${(withMs / withoutMs).toFixed(2)}×)`);
}

const [rfmMs] = measure(() => book.rfm());
const [cohortMs] = measure(() => book.cohorts({ period: 'month' }));
const job = () => console.log(`bytes → summary + RFM + monthly cohorts: ${(wholeMs + rfmMs + cohortMs).toFixed(1)} ms (first run of fromCsv: ${(firstMs + rfmMs + cohortMs).toFixed(1)} ms)`);
if (ingestOnly) {
  job();
  process.exit(0);
}

// Switching a filter (the budget: the visible view re-run in 100 ms on a million orders): the
// first attribute's two most frequent values, each timed right after the other one was in use
// (the engine keeps only the last filtered book, so each timed run filters anew).
const attribute = book.attributes()[0];
if (attribute && attribute.values.length > 1) {
  const filters = [0, 1].map((i) => ({ [attribute.key]: [attribute.values[i].value] }));
  const switched = [
    ['book.filter(f)', (filter) => book.filter(filter).free()],
    ['filter → summary', (filter) => book.summary({ filter })],
    ['filter → summary + rfm', (filter) => { book.summary({ filter }); book.rfm({ filter }); }],
    ['filter → cohorts(month)', (filter) => book.cohorts({ period: 'month', filter })],
    ['filter → lifecycle', (filter) => book.lifecycle({ filter })],
  ];
  for (const [i, filter] of filters.entries()) {
    const other = filters[1 - i];
    console.log(`filter ${attribute.key} = '${attribute.values[i].value}' (${attribute.values[i].orders} orders)`);
    for (const [name, work] of switched) {
      const times = [];
      for (let run = 0; run < runs; run++) {
        book.summary({ filter: other });
        const start = performance.now();
        work(filter);
        times.push(performance.now() - start);
      }
      console.log(`  ${name.padEnd(22)} ${median(times).toFixed(1).padStart(8)} ms`);
    }
  }
} else {
  console.log('filters: the file has no attribute with two values');
}
/** Marks an analysis timed once (its first call does work the book then keeps). */
const ONCE = true;
const PAGE_CLV = { model: 'auto', penalizer: 'whenDegenerate', intervals: true };
const HORIZONS = [730, 180, 90, 365];
let horizonCall = 0;
const nextHorizon = () => HORIZONS[horizonCall++ % HORIZONS.length];
const analyses = [
  ['summary()', () => book.summary()],
  ['rfm()', () => book.rfm()],
  ['rfmCustomers()', () => book.rfmCustomers()],
  ['cohorts(month)', () => book.cohorts({ period: 'month' })],
  ['growthAccounting(month)', () => book.growthAccounting({ period: 'month' })],
  ['lifecycle()', () => book.lifecycle()],
  // The book keeps its CLV fits (per calibration, period and penalizer), so only a first call
  // fits: it is timed once, and the calls after it that change only the scoring apart.
  ['clv() (fit + scoring)', () => book.clv(), ONCE],
  ['clv(), fits kept', () => book.clv({ horizonDays: nextHorizon() })],
  // The CLV view's settings: the three purchase models, the choice, the penalty when a fit is
  // degenerate, the intervals of the totals.
  ['clv() as the page asks', () => book.clv(PAGE_CLV), ONCE],
  ['… another horizon', () => book.clv({ ...PAGE_CLV, horizonDays: nextHorizon() })],
  ['overview(month)', () => book.overview({ period: 'month' })],
  ['overview(week)', () => book.overview({ period: 'week' })],
];
// The overview compared by the book's first attribute, and under a filter that changes on every
// run (each run filters the book anew, as switching a filter in the page does).
if (attribute) {
  const key = attribute.key;
  const [first, second] = attribute.values.map((v) => v.value);
  let flip = 0;
  const filter = () => ({ [key]: [(flip++ % 2 === 0 || second === undefined) ? first : second] });
  analyses.push(
    [`overview(month, by ${key})`, () => book.overview({ period: 'month', compareBy: key })],
    [`cohorts(month, by ${key})`, () => book.cohorts({ period: 'month', compareBy: key })],
    [`overview, new ${key} filter`, () => book.overview({ period: 'month', filter: filter() })],
  );
}
// The product analyses, on the product of the top pair (the one most often bought with another).
const topPair = products ? tryOr(() => book.boughtTogether({ top: 1 }).pairs[0]) : undefined;
if (topPair) {
  const product = topPair.a;
  analyses.push(
    [`boughtTogether(${product})`, () => book.boughtTogether({ product })],
    ['boughtTogether() top 20', () => book.boughtTogether({ top: 20 })],
    [`nextProducts(${product})`, () => book.nextProducts({ product })],
    ['productMix(segment)', () => book.productMix({ by: 'segment' })],
    ['productMix(stage)', () => book.productMix({ by: 'stage' })],
    ['crossSell(a, not b)', () => book.crossSell({ bought: [product], notBought: [topPair.b] })],
  );
}

function tryOr(work) {
  try { return work(); } catch { return undefined; }
}
for (const [name, work, once] of analyses) {
  try {
    const [ms, , cpuMs] = measure(work, false, once ? 1 : runs);
    console.log(`${name.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms  (CPU ${cpuMs.toFixed(1)} ms)`);
  } catch (error) {
    console.log(`${name.padEnd(24)} failed: ${error.message}`);
  }
}
job();
console.log(`WASM memory: ${(wasm.memory.buffer.byteLength / 1e6).toFixed(1)} MB (fromCsv copies the whole file in; the builder does not)`);
book.free();

/**
 * The same `count` orders three ways a host page may hold them — CSV text, plain objects
 * `{ customer, order, date, total }`, columns (`total` and `order` as Float64Array) — read by
 * fromCsv, fromRows and fromColumns: each one's first call in this process, then the median of
 * `runs` calls taken in turn (so that the machine's load weighs on all three alike).
 */
function benchHostRows(count) {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const start = Date.UTC(2023, 0, 1);
  const customers = Math.max(1, Math.round(count / 2.5));
  const rows = Array.from({ length: count }, (_, i) => ({
    customer: `C${Math.floor(random() * customers)}`,
    order: i + 1,
    date: new Date(start + Math.floor(random() * 730) * 86400000).toISOString().slice(0, 10),
    total: Math.round((5 + random() * 200) * 100) / 100,
  }));
  const csv = Buffer.from(`customer,order,date,total\n${rows.map((r) => `${r.customer},${r.order},${r.date},${r.total}`).join('\n')}\n`);
  const columns = {
    customer: rows.map((r) => r.customer),
    order: Float64Array.from(rows, (r) => r.order),
    date: rows.map((r) => r.date),
    total: Float64Array.from(rows, (r) => r.total),
  };
  const readers = [
    ['fromCsv', () => OrderBook.fromCsv(csv, {})],
    ['fromRows', () => OrderBook.fromRows(rows, {})],
    ['fromColumns', () => OrderBook.fromColumns(columns, {})],
  ];
  const times = readers.map(() => []);
  const cpuTimes = readers.map(() => []);
  const summaries = [];
  for (let run = 0; run <= runs; run++) {
    readers.forEach(([, read], i) => {
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      const book = read();
      times[i].push(performance.now() - started);
      const cpu = process.cpuUsage(cpuStart);
      cpuTimes[i].push((cpu.user + cpu.system) / 1e3);
      if (run === 0) summaries.push(book.summary());
      book.free();
    });
  }
  console.log(`${count} orders of ${customers} customers held by the host (CSV text ${(csv.length / 1e6).toFixed(1)} MB), WASM under Node ${process.version}; first call, then the median of ${runs}`);
  const warm = (list, i) => median(list[i].slice(1));
  readers.forEach(([name], i) => {
    const { orders, revenue } = summaries[i];
    console.log(`${name.padEnd(12)} first ${times[i][0].toFixed(1).padStart(7)} ms  warm ${warm(times, i).toFixed(1).padStart(7)} ms  ` +
      `${(warm(times, i) / warm(times, 0)).toFixed(2)}× fromCsv  (CPU: first ${cpuTimes[i][0].toFixed(1)} ms, warm ${warm(cpuTimes, i).toFixed(1)} ms, ` +
      `${(warm(cpuTimes, i) / warm(cpuTimes, 0)).toFixed(2)}×)  ${orders} orders, revenue ${revenue.toFixed(2)}`);
  });
}
