// Out-of-memory detection after a WASM trap, with real WebAssembly.Memory objects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryExhausted } from '../../src/memory.js';

test('memory that cannot grow is exhausted; memory with room is not', () => {
  assert.equal(memoryExhausted(new WebAssembly.Memory({ initial: 16, maximum: 16 })), true);
  assert.equal(memoryExhausted(new WebAssembly.Memory({ initial: 16, maximum: 32 })), true, 'cannot grow by 16 MiB');
  assert.equal(memoryExhausted(new WebAssembly.Memory({ initial: 16, maximum: 4096 })), false);
  assert.equal(memoryExhausted(undefined), false, 'no module yet: not a memory problem');
});
