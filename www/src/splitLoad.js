// Reading one large file with several workers (the engine's `ingest::split`): each worker reads
// a byte range of the file, the ranges cut at record starts, and the worker that keeps the book
// merges the others' parts into the book one pass would build. Nothing is shared: every worker
// reads its range from the same File (a Blob slice), and parts come back as transferred bytes,
// so it works in any host page (no SharedArrayBuffer, no cross-origin isolation).
//
// 1. every worker scans its nominal range for quotes and line breaks (splitScan);
// 2. the scans place the parts' starts at record starts (splitPartStarts);
// 3. every worker reads its part (splitRead): the first here, kept; the others hand theirs back
//    as bytes, which the first absorbs in file order before finishing the book.
// A file that cannot be read in ranges (a workbook, UTF-16, a day/month order its first
// megabyte leaves open, a cut inside a quoted field) answers null: read it whole instead.

/** Files from this size on are read by several workers; smaller ones are quick on one. */
export const SPLIT_MIN_BYTES = 32 * 1024 * 1024;
/** Most workers one file is split across (each range at least half SPLIT_MIN_BYTES). */
export const SPLIT_MAX_WORKERS = 8;

/** How many workers read a file of `size` bytes on a machine with `cores` cores. */
export function splitWorkerCount(size, cores) {
  if (!(size >= SPLIT_MIN_BYTES)) return 1;
  const byCores = Math.floor(cores) || 1;
  return Math.max(1, Math.min(SPLIT_MAX_WORKERS, byCores, Math.floor(size / (SPLIT_MIN_BYTES / 2))));
}

/** Calls `onChunk` with each chunk of a Blob, in order. */
async function eachChunk(blob, onChunk) {
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    onChunk(value);
  }
}

/** The scan of `file`'s bytes `start..end`: [odd quotes, line start after even, after odd]. */
async function scanRange(wasm, file, start, end, onBytes) {
  const scanner = new wasm.RangeScanner();
  try {
    await eachChunk(file.slice(start, end), (chunk) => {
      scanner.push(chunk);
      onBytes?.(chunk.byteLength);
    });
    return scanner.scan();
  } finally {
    scanner.free();
  }
}

/** Reads `file`'s bytes `start..end` into a RangeReader; `{ reader: null }` if not splittable. */
async function readRange(wasm, { file, options, start, end, first }, onBytes) {
  const sample = new Uint8Array(await file.slice(0, wasm.splitSampleBytes()).arrayBuffer());
  const reader = new wasm.RangeReader(sample, file.size, first, options ?? {});
  if (!reader.splittable) {
    reader.free();
    return { reader: null, aligned: false };
  }
  try {
    reader.expectBytes(end - start);
    await eachChunk(file.slice(start, end), (chunk) => {
      reader.push(chunk);
      onBytes?.(chunk.byteLength);
    });
    return { reader, aligned: end >= file.size || reader.aligned };
  } catch (error) {
    reader.free();
    throw error;
  }
}

/**
 * A helper worker's answer to `{ type: 'splitScan' | 'splitRead', file, start, end, options }`:
 * the scan, or `{ splittable, aligned, part, memory }` with the part as bytes (its buffer to
 * transfer). `memory()` is the helper's WASM memory in bytes.
 */
export async function answerRangeRequest(wasm, request, memory) {
  if (request.type === 'splitScan') return scanRange(wasm, request.file, request.start, request.end);
  const { reader, aligned } = await readRange(wasm, { ...request, first: false });
  if (!reader) return { splittable: false, aligned };
  try {
    return { splittable: true, aligned, part: reader.intoPart(), memory: memory() };
  } finally {
    reader.free();
  }
}

/** A helper worker, answering range requests by id. */
class Helper {
  constructor(worker) {
    this.worker = worker;
    this.pending = new Map();
    this.nextId = 1;
    worker.addEventListener('message', ({ data }) => {
      const request = this.pending.get(data?.id);
      if (!request || data.type === 'progress') return;
      this.pending.delete(data.id);
      if (data.type === 'result') request.resolve(data.value);
      else request.reject(new Error(data.message ?? 'helper failed'));
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault?.();
      for (const request of this.pending.values()) request.reject(new Error(event.message || 'helper failed'));
      this.pending.clear();
    });
  }

  call(request) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...request });
    });
  }
}

/**
 * Reads `file` with `count` workers: this one (the first range, then the merge) and `count - 1`
 * helpers from `spawn()`, ended before this returns. Resolves to `{ book, workers, memory,
 * mergeMs }` (memory: the WASM memory of all the workers, in bytes), or null when the file must
 * be read whole. `onScanBytes(n)` and `onBytes(n)` follow this worker's own range, scanned
 * then read.
 */
export async function loadInParts(wasm, { file, options, count, spawn, memory, onScanBytes, onBytes, cancelled = () => false }) {
  const starts = [...wasm.splitStarts(file.size, count)];
  if (starts.length < 2) return null;
  // A cancelled load stops at this worker's next chunk (the helpers are ended below).
  const unlessCancelled = (callback) => (bytes) => {
    if (cancelled()) throw new Error('cancelled');
    callback?.(bytes);
  };
  const helpers = [];
  let first = null;
  try {
    for (let i = 1; i < starts.length; i++) helpers.push(new Helper(spawn()));
    const ends = starts.map((_, i) => starts[i + 1] ?? file.size);
    const scans = await Promise.all(
      starts.map((start, i) =>
        i === 0 ? scanRange(wasm, file, start, ends[0], unlessCancelled(onScanBytes)) : helpers[i - 1].call({ type: 'splitScan', file, start, end: ends[i] }),
      ),
    );
    const parts = [...wasm.splitPartStarts(Float64Array.from(starts), Float64Array.from(scans.flatMap((scan) => [...scan])))];
    if (parts.length < 2 || cancelled()) return null;
    const partEnds = parts.map((_, i) => parts[i + 1] ?? file.size);
    const reads = parts.map((start, i) =>
      i === 0
        ? readRange(wasm, { file, options, start, end: partEnds[0], first: true }, unlessCancelled(onBytes))
        : helpers[i - 1].call({ type: 'splitRead', file, options, start, end: partEnds[i] }),
    );
    const settled = await Promise.allSettled(reads);
    first = settled[0].value?.reader ?? null;
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [own, ...rest] = settled.map((result) => result.value);
    if (!first || !own.aligned || rest.some((part) => !part.splittable || !part.aligned) || cancelled()) return null;
    const mergeStart = performance.now();
    for (const part of rest) first.absorb(part.part);
    const book = first.finish();
    const mergeMs = performance.now() - mergeStart;
    return { book, workers: parts.length, memory: memory() + rest.reduce((sum, part) => sum + part.memory, 0), mergeMs };
  } finally {
    first?.free();
    for (const helper of helpers) helper.worker.terminate();
  }
}
