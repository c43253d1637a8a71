// Product analyses through the public JS API: `nonProducts()`, `products(options)` and
// `firstProducts(options)` on the committed Shopify-style export, worked out by hand from its
// seven lines (tests/data/shopify-lines.csv: #1001 an@ on 2024-01-05, two T-shirts and a cap;
// #1002 voided; #1003 an@ on 2024-02-10, a cap, three T-shirts and a free gift wrap; #1004 chi@ on
// 2024-02-11, a T-shirt), Online Retail's postage proposed, and the options' coded errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';

const pkgUrl = new URL('../../../pkg/', import.meta.url);
const data = (name) => new Uint8Array(readFileSync(new URL(`../../../tests/data/${name}`, import.meta.url)));
let api;
let shop;

before(async () => {
  api = await import(new URL('customer_lens.js', pkgUrl));
  api.initSync({ module: readFileSync(new URL('customer_lens_bg.wasm', pkgUrl)) });
  shop = api.OrderBook.fromCsv(data('shopify-lines.csv'));
});

describe('products', () => {
  test('the products table: revenue, units, orders, buyers and repeat buyers', () => {
    const table = shop.products();
    assert.equal(table.orders, 3);
    assert.equal(table.buyers, 2);
    assert.deepEqual(table.products.map((p) => [p.id, p.revenue, p.units, p.orders, p.buyers, p.repeatBuyers, p.repeatShare]), [
      ['AT-W-M', 900_000, 6, 3, 2, 1, 0.5],
      ['NON-01', 100_000, 2, 2, 1, 1, 1],
      ['Gói quà', 0, 1, 1, 1, 0, 0],
    ]);
    assert.equal(table.products[0].name, 'Áo thun trắng - M');
    assert.equal(table.products[0].category, 'Local Brand');
    assert.deepEqual(shop.products({ top: 1 }).products.map((p) => p.id), ['AT-W-M']);
    assert.deepEqual(shop.products({ exclude: ['NON-01'] }).products.map((p) => p.id), ['AT-W-M', 'Gói quà']);
    // February only: #1003 and #1004.
    const february = shop.products({ filter: { from: '2024-02-01' } });
    assert.equal(february.products[0].revenue, 600_000);
    assert.equal(february.products[0].repeatBuyers, 0);
  });

  test('first products: repeat on a later day, windows of observed customers', () => {
    const first = shop.firstProducts();
    // an@ comes back 36 days after the first day; chi@ was first seen on the last day.
    assert.deepEqual(first.store, {
      customers: 2, repeated: 1, repeatRate: 0.5,
      within: {
        d30: { eligible: 1, repeated: 0, rate: 0 },
        d90: { eligible: 0, repeated: 0, rate: null },
        d180: { eligible: 0, repeated: 0, rate: null },
        d365: { eligible: 0, repeated: 0, rate: null },
      },
      revenue90: null, revenue365: null,
    });
    assert.deepEqual(first.products.map((p) => [p.id, p.name, p.customers, p.repeated]), [
      ['AT-W-M', 'Áo thun trắng - M', 2, 1],
      ['NON-01', 'Nón lưỡi trai', 1, 1],
    ]);
    assert.deepEqual(shop.firstProducts({ minCustomers: 2 }).products.map((p) => p.id), ['AT-W-M']);
    const later = shop.firstProducts({ asOf: '2024-04-30' });
    assert.equal(later.store.within.d30.eligible, 2);
    // By April 30 an@ is observed 90 days (#1001 and #1003: 380,000 + 480,000), chi@ not yet.
    assert.equal(later.store.revenue90, 860_000);
  });

  test('not-a-product lines: nothing here, Online Retail postage and fees', () => {
    assert.deepEqual(shop.nonProducts(), { proposed: [] });
    const retail = api.OrderBook.fromCsv(data('online-retail-slice.csv'), { preset: 'online-retail' });
    const [post] = retail.nonProducts().proposed;
    assert.equal(post.id, 'POST');
    assert.equal(post.reason, 'code');
    assert.equal(post.name, 'POSTAGE');
    assert.ok(post.orders > 0 && post.orderShare > 0 && post.orderShare < 1);
    assert.ok(!retail.products().products.some((p) => p.id === 'POST'), 'postage is left out by default');
    assert.ok(retail.products({ exclude: [] }).products.some((p) => p.id === 'POST'), 'exclude: [] keeps it');
  });

  test('options and books without products are refused with a coded message', () => {
    assert.throws(() => shop.products({ exclude: ['NOPE'] }), (e) => e.code === 'unknown_product' && e.params.name === 'exclude' && e.params.given === 'NOPE');
    assert.throws(() => shop.products({ top: 0 }), (e) => e.code === 'option_invalid' && e.params.name === 'top');
    assert.throws(() => shop.firstProducts({ minCustomers: 1.5 }), (e) => e.code === 'option_invalid' && e.params.name === 'minCustomers');
    assert.throws(() => shop.firstProducts({ asOf: 'May' }), (e) => e.code === 'option_not_a_date');
    assert.throws(() => shop.products({ exclude: 'NON-01' }), (e) => e.code === 'option_wrong_type' && e.params.name === 'exclude');
    const plain = api.OrderBook.fromCsv(new TextEncoder().encode('order,customer,date,amount\n1,a,2024-01-01,5\n'));
    for (const call of [() => plain.nonProducts(), () => plain.products(), () => plain.firstProducts()]) {
      assert.throws(call, (e) => e.code === 'products_none');
    }
  });
});
