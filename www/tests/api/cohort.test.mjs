// Cohorts, retention rates, growth accounting and lifecycle stages through the public JS API,
// run under Node against the built pkg/. Every expected figure is worked out by hand from the
// small order history below (see the comments next to each assertion).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { initSync, OrderBook } from '../../../pkg/customer_lens.js';

initSync({ module: fs.readFileSync(new URL('../../../pkg/customer_lens_bg.wasm', import.meta.url)) });

// A buys on Mon 2020-12-28 (ISO week 2020-W53), Mon 2021-01-04 (2021-W01) and 2021-02-15.
// B buys once on Sun 2021-01-03 (still 2020-W53). C returns something on 2021-01-05 (a negative
// order: not a purchase) and buys on 2021-01-06. D and "=X" (an id a spreadsheet would run as a
// formula) buy once in March; a guest order closes the data on Wed 2021-03-31.
const ORDERS_CSV = `order_id,customer_id,order_date,total
1,A,2020-12-28,10
2,B,2021-01-03,20
3,A,2021-01-04,5
4,C,2021-01-06,8
5,C,2021-01-05,-5
6,A,2021-02-15,12
7,D,2021-03-01,7
8,=X,2021-03-02,3
9,,2021-03-31,1
`;

const book = OrderBook.fromCsv(new TextEncoder().encode(ORDERS_CSV), {});
const RATE_TOLERANCE = 1e-12;
const near = (actual, expected) => assert.ok(Math.abs(actual - expected) < RATE_TOLERANCE, `${actual} vs ${expected}`);

describe('cohorts', () => {
  test('monthly triangle with the DESIGN.md shape', () => {
    const table = book.cohorts({ period: 'month' });
    assert.equal(table.period, 'month');
    assert.equal(table.lastPeriodIncomplete, false, 'the data ends on 31 March');
    assert.equal(table.lastDate, '2021-03-31');
    const rows = table.cohorts.map(({ start, label, size, customers, revenue, orders }) => ({ start, label, size, customers, revenue, orders }));
    assert.deepEqual(rows, [
      { start: '2020-12-01', label: '2020-12', size: 1, customers: [1, 1, 1, 0], revenue: [10, 5, 12, 0], orders: [1, 1, 1, 0] },
      // C's return is neither a purchase nor revenue.
      { start: '2021-01-01', label: '2021-01', size: 2, customers: [2, 0, 0], revenue: [28, 0, 0], orders: [2, 0, 0] },
      { start: '2021-03-01', label: '2021-03', size: 2, customers: [2], revenue: [10], orders: [2] },
    ]);
    const december = table.cohorts[0];
    assert.deepEqual(december.retention, [1, 1, 1, 0]);
    assert.deepEqual(december.cumulativeRevenuePerCustomer, [10, 15, 27, 27]);
    assert.deepEqual(table.cohorts[1].revenuePerCustomer, [14, 0, 0]);
    // Size-weighted: k = 1 → (1 + 0) / (1 + 2); k = 3 only December reached.
    assert.equal(table.averageRetention.length, 4);
    near(table.averageRetention[1], 1 / 3);
    assert.deepEqual(table.averageRetentionCohorts, [3, 2, 2, 1]);
  });

  test('weeks cross the year end and the half-week at the end is flagged', () => {
    const table = book.cohorts({ period: 'week' });
    assert.equal(table.lastPeriodIncomplete, true, '2021-03-31 is a Wednesday');
    const first = table.cohorts[0];
    assert.deepEqual([first.label, first.start, first.size], ['2020-W53', '2020-12-28', 2]);
    assert.deepEqual(first.customers.slice(0, 2), [2, 1]);
    assert.deepEqual(table.cohorts.map((c) => c.label), ['2020-W53', '2021-W01', '2021-W09']);
  });

  test('quarters, years, the default period and a clear error for a bad one', () => {
    const table = book.cohorts({ period: 'quarter' });
    assert.deepEqual(table.cohorts.map((c) => [c.label, c.size, c.customers]), [['2020-Q4', 1, [1, 1]], ['2021-Q1', 4, [4]]]);
    const years = book.cohorts({ period: 'year' });
    assert.deepEqual(years.cohorts.map((c) => [c.label, c.start, c.size, c.customers]), [['2020', '2020-01-01', 1, [1, 1]], ['2021', '2021-01-01', 4, [4]]]);
    assert.equal(years.lastPeriodIncomplete, true);
    assert.equal(book.cohorts().period, 'month');
    assert.throws(() => book.cohorts({ period: 'day' }), /invalid period 'day': use 'week', 'month', 'quarter' or 'year'/);
    assert.throws(() => book.cohorts({ period: 3 }), /invalid options: period must be a string/);
    assert.equal(book.cohorts({ period: null }).period, 'month', 'null is the default');
  });
});

describe('retention and churn rates', () => {
  // (S, E, N, retained, lost, reactivated) of each period.
  const counts = (p) => [p.label, p.activeAtStart, p.activeAtEnd, p.acquired, p.retained, p.lost, p.reactivated];

  test('the default window: the store’s typical repeat gap, at least 30 days, and why', () => {
    const result = book.retentionRates({ period: 'month' });
    // Only A bought twice: gaps of 7 and 42 days, a typical gap of 24.5 (the lifecycle view's
    // store gap), under the 30-day minimum.
    assert.deepEqual([result.activeWindowDays, result.activeWindowSource, result.storeGapDays], [30, 'minimum', 24.5]);
    assert.equal(result.storeGapDays, book.lifecycle({}).storeGapDays);
    // Active for 30 days after each purchase. End of January: A, B (3 Jan), C (6 Jan). End of
    // February: A only (15 Feb): B and C are lost, A retained (it lapsed from 3 to 14 Feb but
    // is active at both ends). End of March: X (2 Mar); D's 1 March purchase is 30 days old.
    assert.deepEqual(result.periods.map(counts), [
      ['2020-12', 0, 1, 1, 0, 0, 0],
      ['2021-01', 1, 3, 2, 1, 0, 0],
      ['2021-02', 3, 1, 0, 1, 2, 0],
      ['2021-03', 1, 1, 2, 0, 1, 0],
    ]);
    const first = result.periods[0];
    assert.deepEqual([first.retentionRate, first.churnRate, first.netRetentionRate, first.netChurnRate], [null, null, null, null], 'nobody to retain');
    const [, january, february, march] = result.periods;
    near(january.retentionRate, 1);
    near(january.churnRate, 0);
    near(january.netRetentionRate, (3 - 2) / 1);
    near(january.netChurnRate, (1 - 3) / 1);
    near(february.retentionRate, 1 / 3);
    near(february.churnRate, 2 / 3);
    near(march.churnRate, 1);
    near(march.netRetentionRate, (1 - 2) / 1); // the published formula even goes below zero
    near(march.netChurnRate, 0);
    assert.equal(result.range, null);
  });

  test('a chosen window: per-customer churn stays at 0 where the net churn goes negative', () => {
    const result = book.retentionRates({ period: 'month', activeWindowDays: 365 });
    assert.deepEqual([result.activeWindowDays, result.activeWindowSource, result.storeGapDays], [365, 'chosen', null]);
    assert.deepEqual(result.periods.map(counts), [
      ['2020-12', 0, 1, 1, 0, 0, 0],
      ['2021-01', 1, 3, 2, 1, 0, 0],
      ['2021-02', 3, 3, 0, 3, 0, 0],
      ['2021-03', 3, 5, 2, 3, 0, 0],
    ]);
    near(result.periods[3].churnRate, 0);
    near(result.periods[3].retentionRate, 1);
    near(result.periods[3].netChurnRate, (3 - 5) / 3);
  });

  test('a chosen range, reactivated customers, and bad options', () => {
    const result = book.retentionRates({ period: 'month', activeWindowDays: 30, from: '2021-02-01', to: '2021-02-28' });
    assert.deepEqual({ ...result.range, label: undefined }, { ...result.periods[2], label: undefined });
    // With W = 10, A (12-28, 01-04) is inactive by 19 January and active again after 15 February:
    // reactivated, reported even though nobody was active at the start.
    const comeback = book.retentionRates({ activeWindowDays: 10, from: '2021-01-20', to: '2021-02-20' }).range;
    assert.deepEqual(counts(comeback).slice(1), [0, 1, 0, 0, 0, 1]);
    assert.equal(comeback.churnRate, null);
    for (const bad of [0, 2.5, -1]) assert.throws(() => book.retentionRates({ activeWindowDays: bad }), /activeWindowDays/);
    assert.throws(() => book.retentionRates({ from: '2021-02-01' }), /both from and to/);
  });
});

describe('growth accounting', () => {
  test('new, retained, resurrected and churned add up', () => {
    const { periods } = book.growthAccounting({ period: 'month' });
    assert.deepEqual(periods.map((p) => [p.label, p.active, p.new, p.retained, p.resurrected, p.churned]), [
      ['2020-12', 1, 1, 0, 0, 0],
      ['2021-01', 3, 2, 1, 0, 0],
      ['2021-02', 1, 0, 1, 0, -2],
      ['2021-03', 2, 2, 0, 0, -1],
    ]);
    for (let t = 1; t < periods.length; t++) {
      assert.equal(periods[t - 1].active, periods[t].retained - periods[t].churned);
    }
    assert.equal(periods[0].quickRatio, null);
    assert.equal(periods[2].quickRatio, 0);
    assert.equal(periods[3].quickRatio, 2);
    assert.equal(periods[2].churnedRevenue, -28, 'B and C spent 28 in January');
    assert.throws(() => book.growthAccounting({ period: 'day' }), /invalid period/);
  });
});

describe('lifecycle', () => {
  const options = { asOf: '2021-03-31', compareWith: '2021-01-31' };

  test('stages, series, transitions and time to second purchase', () => {
    const report = book.lifecycle(options);
    assert.equal(report.asOf, '2021-03-31');
    assert.deepEqual(report.stages, ['new', 'active', 'at_risk', 'lapsed', 'won_back']);
    // Store gap: A's median gap, (7 + 42) / 2. A: 44 days since, within 2 × 24.5, and the
    // 42-day gap before was over 4 × 7 → won back. B, C: one order 87 and 84 days ago, over
    // 2 × 24.5 → at risk. D, X: bought within the month → new.
    assert.equal(report.storeGapDays, 24.5);
    assert.deepEqual(report.counts, [2, 0, 2, 0, 1]);
    assert.equal(report.customers, 5);
    assert.deepEqual(report.series.map((p) => p.label), ['2020-12', '2021-01', '2021-02', '2021-03']);
    assert.deepEqual(report.series.at(-1).counts, report.counts);
    const { states, customers } = report.transitions;
    assert.deepEqual(states, ['none', ...report.stages]);
    assert.equal(customers[0][1], 2, 'D and X were not customers yet and are new');
    assert.equal(customers[3][5], 1, 'A went from at risk to won back');
    assert.equal(customers[3][3], 2, 'B and C stayed at risk');
    const second = report.timeToSecondPurchase;
    assert.deepEqual([second.customers, second.repeatCustomers, second.medianDays], [5, 1, 7]);
    assert.deepEqual(second.bins[0], { fromDays: 1, toDays: 7, customers: 1 });
    // Kaplan–Meier over all five: A came back after 7 days; B, C, D and X are still waiting
    // after 87, 84, 30 and 29 days. At 7 days 5 are waiting and 1 comes back: 1/5. Never half;
    // nobody has been watched for 90 days.
    const km = second.kaplanMeier;
    assert.deepEqual(km.curve.map(({ days, atRisk, events }) => [days, atRisk, events]), [[7, 5, 1]]);
    near(km.curve[0].share, 1 / 5);
    assert.equal(km.medianDays, null);
    assert.equal(km.followUpDays, 87);
    assert.deepEqual(km.within.map((w) => w.days), [30, 60, 90, 180, 365]);
    near(km.within[0].share, 1 / 5);
    near(km.within[1].share, 1 / 5);
    assert.deepEqual(km.within.slice(2).map((w) => w.share), [null, null, null]);
    near(report.repeatPurchaseRate, 1 / 5);
    assert.equal(report.rules.atRiskMultiplier, 2);
  });

  test('CSV per stage, with formula-like ids neutralised', () => {
    const csv = book.lifecycleCsv({ ...options, stage: 'new' });
    const [header, ...lines] = csv.trim().split('\n');
    assert.equal(header, 'customer_id,stage,last_purchase,days_since_last_purchase,orders,typical_gap_days');
    assert.deepEqual(lines.sort(), ["'=X,new,2021-03-02,29,1,24.5", 'D,new,2021-03-01,30,1,24.5']);
    assert.equal(book.lifecycleCsv(options).trim().split('\n').length, 1 + 5, 'no stage: everyone');
    assert.equal(book.lifecycleCustomers({ ...options, stage: 'atRisk' }).length, 2);
    assert.ok(book.lifecycleCustomers({ ...options, stage: 'won_back' }) instanceof Uint32Array);
  });

  test('options are checked', () => {
    assert.throws(() => book.lifecycle({ asOf: 'yesterday' }), /invalid asOf 'yesterday'/);
    assert.throws(() => book.lifecycleCsv({ stage: 'sleepy' }), /invalid stage 'sleepy'/);
    assert.throws(() => book.lifecycle({ atRiskMultiplier: 3, lapsedMultiplier: 2 }), /lapsedMultiplier/);
    // Stricter rules: at risk after 1.5 × the typical gap → A (44 > 36.75) is at risk too.
    const strict = book.lifecycle({ ...options, atRiskMultiplier: 1.5 });
    assert.deepEqual(strict.counts, [2, 0, 3, 0, 0]);
  });
});
