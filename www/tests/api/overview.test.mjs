// The overview dashboard's figures through the public JS API, run under Node against the built
// pkg/. Every expected figure is worked out by hand from the small order history below (the
// same history as the Rust unit tests of src/overview.rs).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { initSync, OrderBook } from '../../../pkg/customer_lens.js';

initSync({ module: fs.readFileSync(new URL('../../../pkg/customer_lens_bg.wasm', import.meta.url)) });

// January: a buys twice (5th, 20th), b once (25th), e returns something and never buys.
// February: b buys twice on the 10th, c returns something on the 14th and buys on the 20th, a
// guest buys. March (the data stops on the 20th): a buys and returns, a guest returns, d buys.
const ORDERS_CSV = `order_id,customer_id,order_date,total
1,a,2011-01-05,10
2,a,2011-01-20,20
3,b,2011-01-25,40
4,e,2011-01-10,-3
5,b,2011-02-10,50
6,b,2011-02-10,5
7,c,2011-02-14,-8
8,c,2011-02-20,12
9,,2011-02-01,7
10,a,2011-03-03,30
11,a,2011-03-10,-5
12,,2011-03-15,-2
13,d,2011-03-20,100
`;

const book = OrderBook.fromCsv(new TextEncoder().encode(ORDERS_CSV), {});
const TOLERANCE = 1e-9;
const near = (actual, expected, what) => assert.ok(Math.abs(actual - expected) < TOLERANCE, `${what}: ${actual} vs ${expected}`);
const counts = (p) => [p.label, p.newCustomers, p.returningCustomers, p.repeatCustomers, p.orders, p.purchases, p.returns, p.activeCustomers, p.lostCustomers];
const money = (p) => [p.revenue, p.newRevenue, p.returningRevenue, p.otherRevenue];

describe('overview', () => {
  test('monthly figures worked out by hand', () => {
    const result = book.overview({ period: 'month', activeWindowDays: 30 });
    assert.deepEqual(
      [result.period, result.activeWindowDays, result.activeWindowSource, result.lastPeriodIncomplete, result.lastDate],
      ['month', 30, 'chosen', true, '2011-03-20'],
    );
    assert.deepEqual(result.periods.map(counts), [
      // January: a and b new, a back on a second day; active at the 31st: a, b.
      ['2011-01', 2, 0, 1, 4, 3, 1, 2, 0],
      // February: b returning (a repeat customer), c new; a lost of S = {a, b}.
      ['2011-02', 1, 1, 1, 5, 4, 1, 2, 1],
      // March to the 20th: a returning, d new; active a, c, d; b lost of S = {b, c}.
      ['2011-03', 1, 1, 1, 4, 2, 2, 3, 1],
    ]);
    // e's return is nobody's revenue; c's return before its first purchase, in the month it was
    // acquired, is new revenue; guests are other revenue.
    assert.deepEqual(result.periods.map(money), [[67, 70, 0, -3], [66, 4, 55, 7], [123, 100, 25, -2]]);
    const [january, february, march] = result.periods;
    assert.deepEqual([january.start, january.end, january.incomplete], ['2011-01-01', '2011-01-31', false]);
    assert.deepEqual([march.start, march.end, march.incomplete], ['2011-03-01', '2011-03-20', true]);
    near(january.repeatRate, 0.5, 'January repeat rate');
    near(january.ordersPerCustomer, 1.5, 'January orders per customer');
    near(january.averageOrderValue, 70 / 3, 'January average order value');
    assert.equal(january.churnRate, null, 'nobody was active before January');
    near(february.averageOrderValue, 74 / 4, 'guests count in the average order value');
    near(february.churnRate, 0.5, 'February churn');
    near(march.averageOrderValue, 65, 'returns are not orders of the average');
    near(march.churnRate, 0.5, 'March churn');

    const { totals } = result;
    assert.deepEqual(
      [totals.customers, totals.newCustomers, totals.returningCustomers, totals.repeatCustomers, totals.orders, totals.purchases, totals.returns],
      [4, 4, 0, 2, 13, 9, 4],
    );
    assert.deepEqual([totals.revenue, totals.newRevenue, totals.returningRevenue, totals.otherRevenue], [256, 174, 80, 2]);
    near(totals.repeatRate, 0.5, 'a and b bought on two days');
    near(totals.ordersPerCustomer, 2, '8 purchases of 4 customers');
    near(totals.averageOrderValue, 274 / 9, 'total average order value');
  });

  test('weeks, quarters and years, and the default window', () => {
    const weekly = book.overview({ period: 'week', activeWindowDays: 30 });
    assert.equal(weekly.periods.length, 11, 'the week of 3 January to the week ending Sunday 20 March');
    assert.equal(weekly.lastPeriodIncomplete, false);
    assert.ok(weekly.periods.some((p) => p.orders === 0 && p.repeatRate === null && p.averageOrderValue === null), 'weeks without orders are listed');
    const yearly = book.overview({ period: 'year' });
    assert.deepEqual(yearly.periods.map(counts).map((c) => c.slice(0, 4)), [['2011', 4, 0, 2]]);
    assert.equal(yearly.lastPeriodIncomplete, true);
    // a's gaps of 15 and 42 days (typical 28.5) and b's 16: a store gap under the 30-day floor.
    assert.deepEqual([yearly.activeWindowDays, yearly.activeWindowSource], [30, 'minimum']);
    for (const period of ['week', 'month', 'quarter', 'year']) {
      const result = book.overview({ period, activeWindowDays: 30 });
      const sum = (field) => result.periods.reduce((s, p) => s + p[field], 0);
      near(sum('revenue'), 256, `${period} revenue`);
      assert.equal(sum('newCustomers'), 4, `${period}: everyone is new once`);
      assert.equal(sum('orders'), 13, `${period} orders`);
    }
  });

  test('bad options are explained', () => {
    assert.throws(() => book.overview({ period: 'day' }), /invalid period 'day': use 'week', 'month', 'quarter' or 'year'/);
    assert.throws(() => book.overview({ activeWindowDays: 0 }), (e) => e.code === 'invalid_active_window');
    assert.throws(() => book.overview({ period: 3 }), /invalid options: period must be a string/);
    assert.throws(() => book.overview('month'), (e) => e.code === 'options_not_an_object');
  });
});
