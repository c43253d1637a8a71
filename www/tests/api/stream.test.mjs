// OrderBook.fromStream under Node: a ReadableStream read chunk by chunk inside the engine gives
// the book OrderBook.fromCsv gives for the same bytes, reports progress, and rejects with a
// readable error (the stream's own, or the engine's) while cancelling the stream.
import assert from 'node:assert/strict';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { before, describe, test } from 'node:test';

const root = new URL('../../../', import.meta.url);
const SLICE = new URL('tests/data/online-retail-slice.csv', root);
let api;

before(async () => {
  api = await import(new URL('pkg/customer_lens.js', root));
  api.initSync({ module: readFileSync(new URL('pkg/customer_lens_bg.wasm', root)) });
});

/** A web ReadableStream of the file, in chunks of `chunkBytes`. */
const fileStream = (url, chunkBytes) => Readable.toWeb(createReadStream(url, { highWaterMark: chunkBytes }));

function streamOf(chunks, { fail, onCancel } = {}) {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      if (index < chunks.length) controller.enqueue(chunks[index++]);
      else if (fail) controller.error(fail);
      else controller.close();
    },
    cancel: onCancel,
  });
}

function sameBook(book, reference) {
  assert.deepEqual(book.summary(), reference.summary());
  assert.deepEqual(book.rfm({}), reference.rfm({}));
  assert.deepEqual(book.cohorts({ period: 'month' }), reference.cohorts({ period: 'month' }));
}

describe('OrderBook.fromStream', () => {
  test('a file streamed in small chunks reads as the whole file, with progress after each chunk', async () => {
    const size = statSync(SLICE).size;
    const progress = [];
    const book = await api.OrderBook.fromStream(fileStream(SLICE, 4096), { expectedBytes: size }, (p) => progress.push(p));
    const whole = api.OrderBook.fromCsv(readFileSync(SLICE), {});
    try {
      sameBook(book, whole);
      assert.equal(progress.length, Math.ceil(size / 4096));
      assert.equal(progress.at(-1).bytesRead, size);
      for (let i = 1; i < progress.length; i++) {
        assert.ok(progress[i].bytesRead > progress[i - 1].bytesRead);
        assert.ok(progress[i].rowsRead >= progress[i - 1].rowsRead);
      }
      // Rows are counted once the first megabyte has decided how the file is read: this one is smaller.
      assert.ok(progress.at(-1).rowsRead <= book.summary().rowsRead);
    } finally {
      book.free();
      whole.free();
    }
  });

  test('rows are counted as they are read, past the first megabyte', async () => {
    const line = 'c1,2024-01-01,5.00\n';
    const body = new TextEncoder().encode(`customer,date,amount\n${line.repeat(200_000)}`);
    const chunks = [];
    for (let at = 0; at < body.length; at += 65_536) chunks.push(body.subarray(at, at + 65_536));
    const progress = [];
    const book = await api.OrderBook.fromStream(streamOf(chunks), {}, (p) => progress.push(p));
    try {
      assert.equal(book.summary().rowsRead, 200_000);
      assert.ok(progress.some((p) => p.rowsRead > 50_000 && p.bytesRead < body.length), 'rows counted before the end');
    } finally {
      book.free();
    }
  });

  test('through a DecompressionStream, without options or progress', async () => {
    const gzipped = gzipSync(readFileSync(SLICE));
    const stream = streamOf([gzipped.subarray(0, 5000), gzipped.subarray(5000)]).pipeThrough(new DecompressionStream('gzip'));
    const book = await api.OrderBook.fromStream(stream);
    const whole = api.OrderBook.fromCsv(readFileSync(SLICE), {});
    try {
      sameBook(book, whole);
    } finally {
      book.free();
      whole.free();
    }
  });

  test('a stream that fails rejects with its error; the engine’s errors reject coded; the stream is cancelled', async () => {
    const text = new TextEncoder().encode('customer,date,amount\nc1,2024-01-01,5\n');
    const aborted = new DOMException('The operation was aborted.', 'AbortError');
    await assert.rejects(api.OrderBook.fromStream(streamOf([text], { fail: aborted })), (error) => error === aborted);

    let cancelled = null;
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(2_000_000)]);
    await assert.rejects(
      api.OrderBook.fromStream(streamOf([png, png], { onCancel: (reason) => (cancelled = reason ?? 'cancelled') })),
      { code: 'binary_file', message: /PNG image/ },
    );
    assert.notEqual(cancelled, null, 'the source was told to stop');

    await assert.rejects(api.OrderBook.fromStream(streamOf(['customer,date,amount\n'])), /Uint8Array.*TextEncoderStream/);
    await assert.rejects(api.OrderBook.fromStream(streamOf([text]), { dateOrder: 'sideways' }), /dateOrder/);
    await assert.rejects(api.OrderBook.fromStream(streamOf([text]), { expectedBytes: -1 }), { code: 'option_invalid', message: "invalid expectedBytes '-1': a number, 0 or more", params: { name: 'expectedBytes', given: '-1', expected: 'a number, 0 or more', rule: 'number_at_least', min: '0' } });
    await assert.rejects(api.OrderBook.fromStream(streamOf([text]), {}, 'not a function'), { code: 'option_invalid', message: "invalid onProgress 'string': a function" });
    const refused = new Error('stop');
    await assert.rejects(api.OrderBook.fromStream(streamOf([text]), {}, () => { throw refused; }), (error) => error === refused);
  });
});
