// The Products view's arithmetic apart from drawing (src/views/productsModel.js) on results of
// the agreed shapes: search and sort of the product table, the top bars, first products against
// the store, the not-a-product list being edited, pairs seen from a chosen product, the
// cross-sell request; and the page's own CSV (src/views/csv.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossSellOptions, excludedIds, exclusionRows, firstProductRows, hasProducts, mixRows, pairRows, parseIds, sameAsProposal, searchProducts, sortProducts, topBars, withinCell } from '../../src/views/productsModel.js';
import { csvText } from '../../src/views/csv.js';

const products = [
  { id: '85123A', name: 'WHITE HANGING HEART T-LIGHT HOLDER', revenue: 100, units: 40, orders: 20, buyers: 10, repeatShare: 0.5 },
  { id: '22423', name: 'REGENCY CAKESTAND 3 TIER', revenue: 300, units: 25, orders: 22, buyers: 12, repeatShare: null },
  { id: 'SP-1', name: 'Áo sơ mi trắng', revenue: 50, units: 5, orders: 5, buyers: 5, repeatShare: 0.2 },
  { id: '47566', name: '', revenue: 0, units: 0, orders: 0, buyers: 0, repeatShare: 0 },
];

test('whether the book has products: from the summary when it says, unknown otherwise', () => {
  assert.equal(hasProducts({ products: 3964 }), true);
  assert.equal(hasProducts({ products: 0 }), false);
  assert.equal(hasProducts({ lines: 12 }), true);
  assert.equal(hasProducts({ columns: [['customer', 'CustomerID'], ['productId', 'StockCode']] }), true);
  assert.equal(hasProducts({ columns: [['customer', 'CustomerID'], ['productName', '']] }), false);
  assert.equal(hasProducts({ orders: 5 }), null);
  assert.equal(hasProducts(null), null);
});

test('search finds ids and names whatever the case and accents; sort by a column keeps ties in order, nulls last', () => {
  assert.deepEqual(searchProducts(products, 'heart'), [0]);
  assert.deepEqual(searchProducts(products, '2242'), [1]);
  assert.deepEqual(searchProducts(products, 'ao so mi'), [2]);
  assert.deepEqual(searchProducts(products, '  '), [0, 1, 2, 3]);
  const all = [0, 1, 2, 3];
  assert.deepEqual(sortProducts(products, all, { key: 'revenue', descending: true }), [1, 0, 2, 3]);
  assert.deepEqual(sortProducts(products, all, { key: 'units', descending: false }), [3, 2, 1, 0]);
  assert.deepEqual(sortProducts(products, all, { key: 'repeatShare', descending: true }), [0, 2, 3, 1], 'no share (null) last');
  assert.deepEqual(sortProducts(products, all, { key: 'name', descending: false }, (a, b) => a.localeCompare(b, 'en')), [3, 2, 1, 0], 'a product without a name by its id');
});

test('top bars: the largest first, nothing without revenue', () => {
  assert.deepEqual(topBars(products, 2), [{ id: '22423', label: 'REGENCY CAKESTAND 3 TIER', value: 300 }, { id: '85123A', label: 'WHITE HANGING HEART T-LIGHT HOLDER', value: 100 }]);
  assert.equal(topBars(products, 10).length, 3);
});

const first = {
  store: { customers: 100, repeated: 40, repeatRate: 0.4, within: { d30: { eligible: 90, repeated: 9, rate: 0.1 }, d90: { eligible: 80, repeated: 20, rate: 0.25 }, d180: { eligible: 60, repeated: 24, rate: 0.4 }, d365: { eligible: 0, repeated: 0, rate: null } }, revenue90: 120, revenue365: 300 },
  products: [
    { id: 'A', name: 'Apple', customers: 10, repeated: 6, repeatRate: 0.6, within: { d30: { eligible: 10, repeated: 2, rate: 0.2 } } },
    { id: 'B', name: '', customers: 30, repeated: 9, repeatRate: 0.3, within: {} },
    { id: 'C', name: 'Cherry', customers: 10, repeated: 7, repeatRate: 0.7, within: {} },
  ],
};

test('first products: the most first-day customers first, each against the store', () => {
  const rows = firstProductRows(first, 2);
  assert.deepEqual(rows.map((row) => [row.id, row.label]), [['B', 'B'], ['C', 'Cherry']]);
  assert.ok(Math.abs(rows[0].difference - -0.1) < 1e-12);
  assert.ok(Math.abs(rows[1].difference - 0.3) < 1e-12);
  assert.deepEqual(withinCell(first.store, 'd90'), { rate: 0.25, eligible: 80 });
  assert.deepEqual(withinCell(first.store, 'd365'), { rate: null, eligible: 0 }, 'nobody observed a year: no rate');
  assert.deepEqual(withinCell(first.products[1], 'd30'), { rate: null, eligible: 0 });
});

test('the not-a-product list: the proposal all left out until the user confirms; added ids after it', () => {
  const proposal = [{ id: 'POST', name: 'POSTAGE', reason: 'code' }, { id: 'DOT', name: 'DOTCOM POSTAGE', reason: 'name' }, { id: 'M', name: 'Manual', reason: 'code' }];
  const rows = exclusionRows(proposal, null);
  assert.deepEqual(excludedIds(rows), ['POST', 'DOT', 'M']);
  assert.ok(sameAsProposal(proposal, ['M', 'DOT', 'POST']));
  const edited = exclusionRows(proposal, ['POST', 'BANK CHARGES']);
  assert.deepEqual(edited.map((row) => [row.id, row.excluded, row.reason]), [['POST', true, 'code'], ['DOT', false, 'name'], ['M', false, 'code'], ['BANK CHARGES', true, 'user']]);
  assert.deepEqual(excludedIds(edited), ['POST', 'BANK CHARGES']);
  assert.equal(sameAsProposal(proposal, ['POST', 'BANK CHARGES']), false);
  assert.deepEqual(parseIds(' POST, DOT;\nM,,POST '), ['POST', 'DOT', 'M']);
});

test('pairs seen from the chosen product: the other product whichever side it is on', () => {
  const result = { orders: 100, pairs: [
    { a: 'A', aName: 'Apple', b: 'B', bName: 'Banana', both: 10, support: 0.1, confidence: 0.5, lift: 2 },
    { a: 'C', aName: '', b: 'A', bName: 'Apple', both: 5, support: 0.05, confidence: 0.25, lift: 1.2 },
  ] };
  assert.deepEqual(pairRows(result, 'A').map((row) => [row.other, row.otherName]), [['B', 'Banana'], ['C', 'C']]);
  assert.deepEqual(pairRows(result, null).map((row) => row.label), ['Apple + Banana', 'C + Apple']);
  assert.deepEqual(pairRows(undefined, 'A'), []);
  assert.deepEqual(crossSellOptions('A', ['B', 'A', 'C']), { bought: ['A'], notBought: ['B', 'C'] });
});

test('a group\'s mix: the most buyers first, at most top', () => {
  const group = { group: 'Champions', customers: 10, products: [{ id: 'x', buyers: 2, revenue: 5 }, { id: 'y', buyers: 5, revenue: 1 }, { id: 'z', buyers: 2, revenue: 9 }] };
  assert.deepEqual(mixRows(group, 2).map((p) => p.id), ['y', 'z']);
  assert.deepEqual(mixRows({}, 3), []);
});

test('the page\'s CSV is formula-safe and quotes what it must', () => {
  assert.equal(csvText(['id', 'name', 'n'], [['=1+2', 'a, "b"', 3], ['-5', null, Number.NaN], ['@x', 'line\nbreak', -2]]), `id,name,n\n'=1+2,"a, ""b""",3\n'-5,,\n'@x,"line\nbreak",-2\n`);
});
