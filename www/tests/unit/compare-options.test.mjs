// What the RFM, Cohorts and CLV views ask of the engine to compare by an attribute
// (compareOptions in src/views/compare.js): nothing unless an attribute is chosen, `top` only when
// not the default, and nothing when the loaded data has no such attribute.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareOptions } from '../../src/views/compare.js';

const DEFAULTS = { compareBy: '', top: 10 };
/** A view's context whose book.attributes() answered `attributes` (or is still running). */
const ctxWith = (entry) => ({ analyses: { get: (method) => (method === 'attributes' ? entry : assert.fail(`asked for ${method}`)) } });
const book = ctxWith({ status: 'done', value: [{ key: 'country', column: 'Country', role: 'country', values: [] }] });

test('nothing compared, the default top left to the engine, another top sent', () => {
  assert.deepEqual(compareOptions({ compareBy: '', top: 5 }, DEFAULTS, book), {});
  assert.deepEqual(compareOptions({ compareBy: 'country', top: 10 }, DEFAULTS, book), { compareBy: 'country' });
  assert.deepEqual(compareOptions({ compareBy: 'country', top: 5 }, DEFAULTS, book), { compareBy: 'country', top: 5 });
});

test('an attribute the data lacks (a link made on other data) is not asked for; while the attributes load, it is', () => {
  assert.deepEqual(compareOptions({ compareBy: 'channel', top: 10 }, DEFAULTS, book), {});
  assert.deepEqual(compareOptions({ compareBy: 'channel', top: 10 }, DEFAULTS, ctxWith({ status: 'pending' })), { compareBy: 'channel' });
  assert.deepEqual(compareOptions({ compareBy: 'channel', top: 10 }, DEFAULTS), { compareBy: 'channel' });
});
