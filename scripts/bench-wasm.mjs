// WASM benchmark under Node: ingest throughput of the built pkg/ on a CSV file (medians).
// node scripts/bench-wasm.mjs [FILE.csv|FILE.csv.gz] [--preset NAME] [--runs N]
// With no file, reads ../shared/data/online-retail.csv.gz with the online-retail preset.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { initSync, OrderBook, OrderBookBuilder } from '../pkg/customer_lens.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
let file = `${root}../shared/data/online-retail.csv.gz`;
let preset = 'online-retail';
let runs = 5;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--preset') preset = args[++i];
  else if (args[i] === '--runs') runs = Number(args[++i]);
  else { file = args[i]; if (!file.includes('online-retail')) preset = undefined; }
}

const wasm = initSync({ module: fs.readFileSync(`${root}pkg/customer_lens_bg.wasm`) });
const memoryMb = () => (wasm.memory.buffer.byteLength / 1e6).toFixed(1);
let bytes = fs.readFileSync(file);
if (file.endsWith('.gz')) bytes = zlib.gunzipSync(bytes);
const megabytes = bytes.length / 1e6;
const options = preset ? { preset } : {};

function median(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(label, work) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = work();
    times.push(performance.now() - start);
    if (result && typeof result.free === 'function' && i < runs - 1) result.free();
  }
  return [median(times), result];
}

console.log(`file: ${file} (${megabytes.toFixed(1)} MB), ${runs} runs, medians, WASM under Node ${process.version}`);
const [wholeMs, book] = measure('fromCsv', () => OrderBook.fromCsv(bytes, options));
const summary = book.summary();
const report = (label, ms) => console.log(
  `${label.padEnd(22)} ${ms.toFixed(1).padStart(8)} ms  ${(megabytes / (ms / 1e3)).toFixed(1).padStart(7)} MB/s  ` +
  `${(summary.rowsRead / (ms / 1e3) / 1e6).toFixed(2).padStart(6)} M rows/s`);
report('fromCsv (whole file)', wholeMs);
const chunk = 1 << 20;
const [streamMs, streamed] = measure('builder', () => {
  const builder = new OrderBookBuilder(options);
  for (let offset = 0; offset < bytes.length; offset += chunk) builder.push(bytes.subarray(offset, offset + chunk));
  return builder.finish();
});
report('builder (1 MB chunks)', streamMs);
console.log(`rows ${summary.rowsRead}, orders ${summary.orders}, customers ${summary.customers}, revenue ${summary.revenue.toFixed(2)}`);
console.log(`WASM memory after the runs: ${memoryMb()} MB (the file itself is copied in for fromCsv: ${megabytes.toFixed(1)} MB)`);
streamed.free();
book.free();
