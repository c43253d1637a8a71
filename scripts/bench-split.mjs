#!/usr/bin/env node
// One large file read by one worker against several (www/src/splitLoad.js, as the page's worker
// runs it): the whole job — bytes → OrderBook → summary + RFM + monthly cohorts — timed inside an
// engine thread with its WASM module ready, as a page's worker is; helpers are started per load,
// as the page's are, so their start-up counts. Runs alternate between the modes in the same
// process (compare their ratio on a loaded machine), each in a fresh thread so that the WASM
// memory reported (all the workers' together, in bytes) is that load's peak. Prints figures;
// never part of a test run. Needs pkg/ (scripts/build.sh).
//
//   node scripts/bench-split.mjs FILE.csv [--runs 3] [--workers 2]
import { openAsBlob, readFileSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { answerRangeRequest, loadInParts } from '../www/src/splitLoad.js';

const ROOT = new URL('..', import.meta.url);

async function engineApi() {
  const api = await import(new URL('pkg/customer_lens.js', ROOT));
  const exports = api.initSync({ module: readFileSync(new URL('pkg/customer_lens_bg.wasm', ROOT)) });
  const { RangeReader, RangeScanner, splitPartStarts, splitSampleBytes, splitStarts } = api;
  return { api, split: { RangeReader, RangeScanner, splitPartStarts, splitSampleBytes, splitStarts }, memory: () => exports.memory.buffer.byteLength };
}

/** A worker thread with the calls of a Web Worker that splitLoad.js makes. */
function asWebWorker(thread) {
  return {
    postMessage: ({ file, ...request }) => thread.postMessage(request),
    addEventListener: (type, listener) =>
      thread.on(type, (value) => listener(type === 'message' ? { data: value } : { message: String(value?.message ?? value) })),
    terminate: () => thread.terminate(),
  };
}

/** A helper: answers range requests on the file at `workerData.path`. */
async function helper() {
  const { split, memory } = await engineApi();
  const file = await openAsBlob(workerData.path);
  parentPort.on('message', async (request) => {
    try {
      const value = await answerRangeRequest(split, { ...request, file }, memory);
      const transfer = value instanceof Float64Array ? [value.buffer] : value.part ? [value.part.buffer] : [];
      parentPort.postMessage({ id: request.id, type: 'result', value }, transfer);
    } catch (error) {
      parentPort.postMessage({ id: request.id, type: 'error', message: error.message });
    }
  });
}

/** An engine: reads the file with `workerData.workers` workers, then the analyses; posts timings. */
async function engine() {
  const { api, split, memory } = await engineApi();
  const { path, workers } = workerData;
  const file = await openAsBlob(path);
  const start = performance.now();
  let book;
  let merged = { mergeMs: 0, memory: 0, workers: 1 };
  if (workers > 1) {
    const spawn = () => asWebWorker(new Worker(new URL(import.meta.url), { workerData: { role: 'helper', path } }));
    merged = await loadInParts(split, { file, options: {}, count: workers, spawn, memory });
    if (!merged) throw new Error('the file could not be read in parts');
    book = merged.book;
  } else {
    const builder = new api.OrderBookBuilder({});
    builder.expectBytes(file.size);
    for await (const chunk of file.stream()) builder.push(chunk);
    book = builder.finish();
  }
  const read = performance.now();
  const summary = book.summary();
  book.rfm({});
  book.cohorts({ period: 'month' });
  const done = performance.now();
  parentPort.postMessage({
    workers: merged.workers,
    readMs: read - start,
    mergeMs: merged.mergeMs,
    totalMs: done - start,
    memory: workers > 1 ? merged.memory : memory(),
    orders: summary.orders,
    customers: summary.customers,
  });
}

function runEngine(path, workers) {
  return new Promise((resolve, reject) => {
    const thread = new Worker(new URL(import.meta.url), { workerData: { role: 'engine', path, workers } });
    thread.once('message', resolve);
    thread.once('error', reject);
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const args = process.argv.slice(2);
  const path = args.find((arg) => !arg.startsWith('--'));
  const option = (name, fallback) => Number(args[args.indexOf(name) + 1] ?? fallback) || fallback;
  if (!path) throw new Error('usage: node scripts/bench-split.mjs FILE.csv [--runs 3] [--workers 2]');
  const runs = args.includes('--runs') ? option('--runs', 3) : 3;
  const many = args.includes('--workers') ? option('--workers', 2) : 2;
  const results = { 1: [], [many]: [] };
  for (let run = 0; run < runs; run++) {
    for (const workers of [1, many]) {
      const result = await runEngine(path, workers);
      results[workers].push(result);
      console.error(`run ${run + 1}, ${result.workers} worker(s): ${result.totalMs.toFixed(0)} ms (read ${result.readMs.toFixed(0)}, merge ${result.mergeMs.toFixed(0)}), ${(result.memory / 2 ** 20).toFixed(0)} MiB WASM`);
    }
  }
  const row = (workers) => {
    const list = results[workers];
    const total = median(list.map((r) => r.totalMs));
    return `| ${list[0].workers} | ${total.toFixed(0)} | ${median(list.map((r) => r.readMs)).toFixed(0)} | ${median(list.map((r) => r.mergeMs)).toFixed(0)} | ${(median(list.map((r) => r.memory)) / 2 ** 20).toFixed(0)} | ${(median(results[1].map((r) => r.totalMs)) / total).toFixed(2)}× |`;
  };
  const { orders, customers } = results[1][0];
  console.log(`${path}: ${orders.toLocaleString('en')} orders, ${customers.toLocaleString('en')} customers; medians of ${runs} runs, alternating`);
  console.log('| workers | whole job ms | read ms | merge ms | WASM memory, all workers (MiB) | speed-up |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  console.log(row(1));
  console.log(row(many));
}

if (isMainThread) await main();
else if (workerData.role === 'engine') await engine();
else await helper();
