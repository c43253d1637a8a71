// Telling "the file is too large for this browser" from a crash.
//
// When the engine asks for memory the browser will not give (a WASM module's memory is at most
// 4 GiB, less on some phones), the Rust allocator aborts and the call traps, exactly as a bug
// would. What differs is the memory afterwards: it cannot grow. The trap leaves the module
// unusable either way, so probing it by growing it costs nothing: the worker is restarted.

/** Memory this large is past what any analysis of a loadable file needs: a trap is exhaustion. */
const EXHAUSTED_BYTES = 2 ** 31;
const PAGE_BYTES = 65536;

/**
 * True when `memory` (a WebAssembly.Memory, after a trap) has run out: it is over 2 GiB, or it
 * cannot grow by half its size again (the most a growing column asks for at once).
 */
export function memoryExhausted(memory) {
  if (!memory) return false;
  const bytes = memory.buffer.byteLength;
  if (bytes >= EXHAUSTED_BYTES) return true;
  try {
    memory.grow(Math.max(256, Math.ceil(bytes / 2 / PAGE_BYTES)));
    return false;
  } catch {
    return true;
  }
}
