// The audiences part of the public JS API, run under Node against the built pkg/:
// book.audiences(), book.audienceCsv() and their errors. The orders below are built so that each
// rule-based audience's members are known (as of 2024-06-30, every repeat customer buys every
// 10 days, so the store's typical gap is 10 days).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { initSync, OrderBook } from '../../../pkg/customer_lens.js';

const every10 = (id, first, count, value, contact = ',,') => Array.from({ length: count }, (_, i) => {
  const day = new Date(Date.parse(first) + i * 10 * 86_400_000).toISOString().slice(0, 10);
  return `${id}-${i},${id},${day},${value},${contact}`;
});

const ORDERS_CSV = [
  'Order ID,Customer ID,Order Date,Total,Email,Phone,Customer Name',
  ...every10('steady', '2024-03-22', 11, 10),
  // 25 days since the last purchase on 2024-06-30: past 2 × 10 days five days ago.
  ...every10('slipped', '2024-05-16', 3, 10, 'slipped@example.com,+84912345678,=cmd'),
  ...every10('lapsed', '2024-01-01', 2, 500, 'lapsed@example.com,,Lê Văn Cường'),
  'o1,once_old,2024-02-01,10,,,',
  'o2,once_new,2024-06-28,10,,,',
].join('\n');

let book;

before(() => {
  initSync({ module: readFileSync(new URL('../../../pkg/customer_lens_bg.wasm', import.meta.url)) });
  book = OrderBook.fromCsv(new TextEncoder().encode(ORDERS_CSV));
});

after(() => book?.free());

const byId = (result) => Object.fromEntries(result.audiences.map((a) => [a.id, a]));

describe('audiences()', () => {
  test('every ready audience with its rule, parameters, size, window and members', () => {
    const result = book.audiences();
    assert.equal(result.asOf, '2024-06-30');
    assert.equal(result.storeGapDays, 10);
    assert.deepEqual(result.audiences.map((a) => a.id),
      ['dueToReorder', 'justSlipped', 'highValueAtRisk', 'oneAndDone', 'vipThankYou', 'winBack', 'replenishment', 'crossSell']);
    const audiences = byId(result);
    // A file without a product column: the product audiences are empty, and the note says why.
    assert.equal(result.productsNote?.code, 'products_none');
    assert.equal(audiences.replenishment.customers, 0);
    assert.deepEqual(audiences.crossSell.params, { boughtWithinDays: 14, minSupport: 0.005 });
    assert.deepEqual(audiences.justSlipped.customerIds, ['slipped']);
    assert.deepEqual(audiences.winBack.customerIds, ['lapsed']);
    assert.deepEqual(audiences.oneAndDone.customerIds, ['once_old']);
    const slipped = audiences.justSlipped;
    assert.deepEqual(slipped.window, { from: '2024-06-24', to: '2024-06-30' });
    assert.deepEqual(slipped.params, { slippedWithinDays: 7, atRiskMultiplier: 2, minTypicalGapDays: 7 });
    assert.equal(slipped.definition, 'Repeat customers whose time since their last purchase went past 2× their own typical gap within the last 7 days.');
    assert.deepEqual(slipped.lastPurchase, ['2024-06-05']);
    assert.ok(slipped.daysSinceLastPurchase instanceof Int32Array);
    assert.deepEqual([...slipped.daysSinceLastPurchase], [25]);
    assert.deepEqual([...slipped.purchaseDays], [3]);
    assert.ok(slipped.value instanceof Float64Array && slipped.pAlive instanceof Float64Array);
    assert.equal(audiences.oneAndDone.params.oneAndDoneAfterDays, 10);
    assert.equal(result.defaults.oneAndDoneAfterDays, null);
    assert.equal(result.defaults.dueWithinDays, 7);
    for (const audience of result.audiences) {
      assert.equal(audience.customers, audience.customerIds.length, audience.id);
      assert.ok(['expected', 'past'].includes(audience.revenueBasis));
      const values = [...audience.value].filter(Number.isFinite);
      assert.ok(Math.abs(audience.revenueAtStake - values.reduce((s, v) => s + v, 0)) < 1e-9, audience.id);
    }
    if (result.valueBasis === 'past') {
      assert.equal(audiences.winBack.revenueAtStake, 1000);
    }
    // The types declare exactly the fields an audience has.
    const declared = readFileSync(new URL('../../../pkg/customer_lens.d.ts', import.meta.url), 'utf8');
    const block = /export interface Audience \{([\s\S]*?)\n\}/.exec(declared)[1];
    const fields = [...block.replace(/\/\*\*[\s\S]*?\*\//g, '').replace(/\{[^{}]*\}/g, '').matchAll(/(\w+)\??:/g)].map((m) => m[1]);
    // productId: only on the product audiences of a file with products.
    assert.deepEqual(fields.filter((f) => f !== 'productId').sort(), Object.keys(result.audiences[0]).sort());
  });

  test('a parameter changes the audience and its definition', () => {
    const result = book.audiences({ params: { slippedWithinDays: 3 } });
    const slipped = byId(result).justSlipped;
    assert.deepEqual(slipped.customerIds, []);
    assert.match(slipped.definition, /within the last 3 days/);
    const later = byId(book.audiences({ asOf: '2024-07-25' }));
    assert.ok(later.winBack.customerIds.includes('lapsed'));
  });

  test('overlaps, and each customer in one audience only when exclusive', () => {
    const all = book.audiences();
    const exclusive = book.audiences({ exclusive: true, priority: ['winBack'] });
    assert.deepEqual(exclusive.overlaps, all.overlaps);
    assert.equal(exclusive.priority[0], 'winBack');
    const ids = exclusive.audiences.flatMap((a) => a.customerIds);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, all.overlaps.customers);
    const several = new Set(all.audiences.flatMap((a) => a.customerIds)
      .filter((id, i, list) => list.indexOf(id) !== i));
    assert.equal(all.overlaps.inSeveral, several.size);
  });

  test('options it cannot use are refused with a code naming the field', () => {
    const refused = (options, code, name) => assert.throws(() => book.audiences(options),
      (error) => error.code === code && error.params.name === name && error.message.length > 0);
    refused({ params: { minPAlive: 2 } }, 'option_invalid', 'minPAlive');
    refused({ params: { nope: 1 } }, 'option_not_a_choice', 'params');
    refused({ params: { minPAlive: 'high' } }, 'option_wrong_type', 'minPAlive');
    refused({ priority: ['nope'] }, 'option_not_a_choice', 'priority');
    refused({ asOf: '30/06/2024' }, 'option_not_a_date', 'asOf');
    refused({ params: { atRiskMultiplier: 5 } }, 'option_invalid', 'lapsedMultiplier');
    assert.throws(() => book.audienceCsv('nope'), (error) => error.code === 'option_not_a_choice' && error.params.name === 'id');
    assert.throws(() => book.audiences('soon'), (error) => error.code === 'options_not_an_object');
  });
});

describe('audienceCsv()', () => {
  test('the customer id, the contacts the export has, formula-safe', () => {
    const csv = book.audienceCsv('justSlipped');
    const [header, row, ...rest] = csv.trimEnd().split('\n');
    assert.equal(header, 'customer_id,email,phone,name,audience,last_purchase,days_since_last_purchase,purchase_days,value,p_alive,next_order_date,product_id');
    assert.match(row, /^slipped,slipped@example\.com,\+84912345678,'=cmd,justSlipped,2024-06-05,25,3,/);
    assert.deepEqual(rest, []);
    const winBack = book.audienceCsv('winBack', { params: { lapsedMultiplier: 4 } });
    assert.match(winBack, /\nlapsed,lapsed@example\.com,,Lê Văn Cường,winBack,2024-01-11,171,2,/);
  });

  test('a file without contact columns exports the id alone', () => {
    const plain = OrderBook.fromCsv(new TextEncoder().encode('order,customer,date,amount\n1,A,2024-01-01,5\n2,A,2024-01-11,5\n3,B,2024-03-01,5\n'));
    try {
      assert.match(plain.audienceCsv('winBack', { asOf: '2024-03-01' }), /^customer_id,audience,last_purchase,/);
      assert.match(plain.audienceCsv('winBack', { asOf: '2024-03-01' }), /\nA,winBack,2024-01-11,50,2,/);
    } finally {
      plain.free();
    }
  });
});
