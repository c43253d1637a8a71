// Reading one file with several workers (splitLoad.js over the engine's RangeReader): the book
// merged from the parts answers every analysis as OrderBook.fromCsv does for the same bytes,
// with 2 to 4 workers; a cut inside a quoted field is caught (the file is then read whole).
// The helper workers are stand-ins answering in this thread, through the same code a worker runs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { answerRangeRequest, loadInParts, splitWorkerCount, SPLIT_MIN_BYTES } from '../../src/splitLoad.js';

const root = new URL('../../../', import.meta.url);
let api;
let splitApi;

before(async () => {
  api = await import(new URL('pkg/customer_lens.js', root));
  api.initSync({ module: readFileSync(new URL('pkg/customer_lens_bg.wasm', root)) });
  const { RangeReader, RangeScanner, splitPartStarts, splitSampleBytes, splitStarts } = api;
  splitApi = { RangeReader, RangeScanner, splitPartStarts, splitSampleBytes, splitStarts };
});

/**
 * The Online Retail slice, its rows repeated under new invoice numbers until the file is over
 * `bytes` bytes: enough for several ranges of a megabyte (each worker's sample).
 */
function largeFile(bytes) {
  const [header, ...rows] = readFileSync(new URL('tests/data/online-retail-slice.csv', root), 'utf8').trimEnd().split('\n');
  const lines = [header];
  let size = header.length;
  for (let copy = 0; size < bytes; copy++) {
    for (const row of rows) {
      const line = row.replace(/^([^,]*)/, `$1-${copy}`);
      lines.push(line);
      size += line.length + 1;
    }
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

/** A helper worker answering in this thread, as workerCore.js answers in its own. */
function standInWorker() {
  const listeners = [];
  return {
    addEventListener(type, listener) {
      if (type === 'message') listeners.push(listener);
    },
    postMessage(request) {
      answerRangeRequest(splitApi, request, () => 0).then(
        (value) => listeners.forEach((listener) => listener({ data: { id: request.id, type: 'result', value } })),
        (error) => listeners.forEach((listener) => listener({ data: { id: request.id, type: 'error', message: error.message } })),
      );
    },
    terminate() {},
  };
}

const ANALYSES = [
  ['summary', {}],
  ['rfm', {}],
  ['cohorts', { period: 'month' }],
  ['products', { top: 50 }],
  ['overview', {}],
];

describe('a file read by several workers', () => {
  test('answers every analysis as one pass does, with 2, 3 and 4 workers', async () => {
    const bytes = largeFile(4.5 * 1024 * 1024);
    const whole = api.OrderBook.fromCsv(bytes, {});
    for (const count of [2, 3, 4]) {
      let spawned = 0;
      const result = await loadInParts(splitApi, {
        file: new Blob([bytes]),
        options: {},
        count,
        spawn: () => (spawned++, standInWorker()),
        memory: () => 0,
      });
      assert.ok(result, `${count} workers`);
      assert.equal(result.workers, count);
      assert.equal(spawned, count - 1);
      for (const [method, options] of ANALYSES) {
        assert.deepEqual(result.book[method](options), whole[method](options), `${method}, ${count} workers`);
      }
      result.book.free();
    }
    whole.free();
  });

  test('a cut inside a quoted field is caught, and a cut between records is not', () => {
    const text = 'order,customer,date,amount,note\n1,a,2024-01-02,5,"two\nlines"\n2,b,2024-01-03,7,plain\n';
    const bytes = new TextEncoder().encode(text);
    const cutAt = (offset) => {
      const reader = new api.RangeReader(bytes, bytes.length, true, {});
      reader.push(bytes.subarray(0, offset));
      const aligned = reader.aligned;
      reader.free();
      return aligned;
    };
    assert.equal(cutAt(text.indexOf('lines')), false);
    assert.equal(cutAt(text.indexOf('2,b')), true);
    // The header must be behind the first range's end.
    assert.equal(cutAt(10), false);
  });

  test('a part that is not one is refused with a coded message', () => {
    const bytes = new TextEncoder().encode('order,customer,date,amount\n1,a,2024-01-02,5\n');
    const reader = new api.RangeReader(bytes, bytes.length, true, {});
    reader.push(bytes);
    assert.throws(() => reader.absorb(new Uint8Array([1, 2, 3])), (error) => error.code === 'part_unreadable');
    reader.free();
  });

  test('files from a few tens of megabytes on use the cores there are, streams and small files one', () => {
    assert.equal(splitWorkerCount(SPLIT_MIN_BYTES - 1, 8), 1);
    assert.equal(splitWorkerCount(SPLIT_MIN_BYTES, 8), 2);
    assert.equal(splitWorkerCount(150e6, 2), 2);
    assert.equal(splitWorkerCount(150e6, 1), 1);
    assert.equal(splitWorkerCount(1e9, 64), 8);
  });
});
