// Compare by an attribute through the public JS API (compareBy and top on rfm, cohorts, clv and
// overview), run under Node against the built pkg/. The expected figures are worked out by hand
// from the small order history below (the same history as the Rust unit tests of
// src/compare.rs).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { initSync, OrderBook } from '../../../pkg/customer_lens.js';

initSync({ module: fs.readFileSync(new URL('../../../pkg/customer_lens_bg.wasm', import.meta.url)) });

// a: web in January, shop in February; b: shop in January, a web return in March; c: web twice
// in February; d: no channel, in March; e: an app return only; a guest buys in the app. The data
// stops on 10 March.
const ORDERS_CSV = `order_id,customer_id,order_date,total,channel
1,a,2011-01-05,10,web
2,a,2011-02-10,20,shop
3,b,2011-01-20,30,shop
4,b,2011-03-05,-5,web
5,c,2011-02-01,40,web
6,c,2011-02-15,15,web
7,d,2011-03-10,50,
8,e,2011-01-08,-7,app
9,,2011-02-20,9,app
`;

const book = OrderBook.fromCsv(new TextEncoder().encode(ORDERS_CSV), {});
const groups = (result) => result.compare.values.map((v) => [v.value, v.other]);
// First purchases: a web, b shop, c web, d none; e never bought (its first order: app). By
// customers: web 2, then '' (ties go to ''), shop, app; top 2 keeps web and ''.
const BY_FIRST_PURCHASE = [['web', false], ['', false], [null, true]];

describe('compare by an attribute', () => {
  test('the book knows the channel', () => {
    assert.deepEqual(book.attributes().map((a) => a.key), ['channel']);
  });

  test('cohorts by the first purchase\'s channel pool the complete cells', () => {
    const result = book.cohorts({ period: 'month', compareBy: 'channel', top: 2 });
    assert.equal(result.compare.by, 'channel');
    assert.deepEqual(groups(result), BY_FIRST_PURCHASE);
    const [web, none, other] = result.compare.values;
    // a (January) bought in months 0 and 1, c (February) in month 0; March is incomplete.
    assert.deepEqual([web.customers, web.retention, web.revenuePerCustomer, web.cohortCustomers], [2, [1, 1], [32.5, 20], [2, 1]]);
    assert.deepEqual([none.customers, none.retention], [1, []], "d's March cohort has no complete period");
    assert.deepEqual([other.customers, other.retention, other.revenuePerCustomer], [1, [1, 0], [30, 0]]);
    assert.equal(book.cohorts({ period: 'month' }).compare, undefined, 'no compare without compareBy');
  });

  test('RFM segment mix and CLV per first-purchase channel', () => {
    const rfm = book.rfm({ compareBy: 'channel', top: 2 });
    assert.deepEqual(groups(rfm), BY_FIRST_PURCHASE);
    // e (returns only) is not scored.
    assert.deepEqual(rfm.compare.values.map((v) => v.customers), [2, 1, 1]);
    for (const value of rfm.compare.values) {
      assert.equal(value.segments.reduce((n, s) => n + s.customers, 0), value.customers);
      assert.deepEqual(value.segments.map((s) => s.code), rfm.segments.map((s) => s.code));
    }
    // Four buyers cannot pin the purchase model down without a penalty.
    const clv = book.clv({ compareBy: 'channel', top: 2, penalizer: 0.1 });
    assert.deepEqual(groups(clv), BY_FIRST_PURCHASE);
    // a and c bought on two days; b and d on one.
    assert.deepEqual(clv.compare.values.map((v) => [v.customers, v.repeatCustomers, v.repeatRate]), [[2, 2, 1], [1, 0, 0], [1, 0, 0]]);
    const total = clv.compare.values.reduce((sum, v) => sum + v.clvTotal, 0);
    assert.ok(Math.abs(total - clv.customers.totalClv) < 1e-6 * Math.abs(clv.customers.totalClv), `${total} vs ${clv.customers.totalClv}`);
  });

  test('the overview\'s revenue per order channel, per month', () => {
    const result = book.overview({ period: 'month', compareBy: 'channel', top: 2 });
    // Revenue: web 60, shop 50, '' 50, app 2; the tie between '' and shop goes to ''.
    assert.deepEqual(groups(result), BY_FIRST_PURCHASE);
    assert.deepEqual(result.compare.values.map((v) => [v.orders, v.customers, v.revenue, v.periodRevenue]), [
      [4, 3, 60, [10, 55, -5]],
      [1, 1, 50, [0, 0, 50]],
      // shop and app: a, b and e; the guest is no customer.
      [4, 3, 52, [23, 29, 0]],
    ]);
    assert.ok(Math.abs(result.compare.values[0].revenueShare - 60 / 162) < 1e-12);
    const all = book.overview({ compareBy: 'channel' });
    assert.deepEqual(all.compare.values.map((v) => v.value), ['web', '', 'shop', 'app'], 'top 10 by default: no Other');
  });

  test('the filter option and compareBy together', () => {
    // Only web orders: a (January), b's return, c. Customers are still grouped by the first
    // purchase of their whole history, as their cohort is: b by January's shop purchase (with no
    // purchase among the kept orders, b is in no cohort, so the group counts 0 cohort customers).
    const result = book.cohorts({ period: 'month', compareBy: 'channel', filter: { channel: ['web'] } });
    assert.deepEqual(groups(result), [['web', false], ['shop', false]]);
    assert.deepEqual(result.compare.values.map((v) => v.customers), [2, 0]);
  });

  test('bad compare options are explained', () => {
    assert.throws(() => book.rfm({ compareBy: 'country' }), (e) => e.code === 'compare_unknown_attribute' && /its attributes are: channel/.test(e.message));
    assert.throws(() => book.cohorts({ compareBy: 'channel', top: 0 }), (e) => e.code === 'option_invalid' && e.params.name === 'top');
    assert.throws(() => book.overview({ compareBy: 'channel', top: 2.5 }), /invalid top '2.5'/);
    assert.throws(() => book.clv({ compareBy: 3 }), /compareBy must be a string/);
  });
});
