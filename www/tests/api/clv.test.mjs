// The CLV part of the public JS API (DESIGN.md), run under Node against the built pkg/:
// fitBgNbd and fitGammaGamma on the published CDNOW summary, and book.clv / clvCsv /
// clvCustomers on the raw CDNOW transactions. Expected figures: the BG/NBD paper (Fader, Hardie &
// Lee 2005) and the Rust tests in tests/clv.rs, which check them against the `lifetimes` package.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { initSync, fitBgNbd, fitGammaGamma, OrderBook } from '../../../pkg/customer_lens.js';
import { MESSAGES, localeOf } from '../../src/i18n.js';

initSync({ module: fs.readFileSync(new URL('../../../pkg/customer_lens_bg.wasm', import.meta.url)) });

const data = (name) => fs.readFileSync(new URL(`../../../tests/data/${name}`, import.meta.url));

/** The published 39-week calibration summary: ID,x,t_x,T,zbar. */
function cdnowSummary() {
  const lines = data('cdnow_customers_summary_with_transactions.csv').toString('utf8').trim().split('\n').slice(1);
  const columns = { x: [], tx: [], T: [], zbar: [] };
  for (const line of lines) {
    const [, x, tx, T, zbar] = line.split(',').map(Number);
    columns.x.push(x);
    columns.tx.push(tx);
    columns.T.push(T);
    columns.zbar.push(zbar);
  }
  return Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, Float64Array.from(v)]));
}

/** Published estimates hold to their last printed digit (v is printed truncated: 15.4477 → 15.44). */
function assertPublished(actual, expected, decimals) {
  for (const [name, value] of Object.entries(expected)) {
    const tolerance = name === 'v' ? 0.01 : 0.5 * 10 ** -decimals;
    assert.ok(Math.abs(actual[name] - value) <= tolerance, `${name}: ${actual[name]} vs ${value}`);
  }
}

const BGNBD = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const GAMMA_GAMMA = { p: 6.25, q: 3.74, v: 15.44 };

describe('fitBgNbd / fitGammaGamma', () => {
  const s = cdnowSummary();

  test('BG/NBD on the CDNOW summary gives the published parameters', () => {
    const fit = fitBgNbd(s.x, s.tx, s.T);
    assertPublished(fit, BGNBD, 3);
    assert.equal(fit.converged, true);
    assert.equal(fit.customers, 2357);
    assert.ok(Math.abs(fit.logLikelihood - -9582.4) < 0.05, String(fit.logLikelihood));
    // Standard errors as `lifetimes` reports them.
    assert.ok(Math.abs(fit.standardErrors.r - 0.012557) < 1e-5);
    assert.ok(Math.abs(fit.standardErrors.alpha - 0.378221) < 1e-4);
    assert.deepEqual(fit.warnings, []);
  });

  test('weights: the same fit from distinct patterns with counts', () => {
    const counts = new Map();
    for (let i = 0; i < s.x.length; i++) {
      const key = `${s.x[i]},${s.tx[i]},${s.T[i]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const rows = [...counts.entries()].map(([key, n]) => [...key.split(',').map(Number), n]);
    const column = (j) => Float64Array.from(rows, (row) => row[j]);
    const grouped = fitBgNbd(column(0), column(1), column(2), Array.from(column(3)));
    const plain = fitBgNbd(s.x, s.tx, s.T);
    assert.ok(rows.length < s.x.length);
    assert.equal(grouped.customers, 2357);
    for (const name of ['r', 'alpha', 'a', 'b', 'logLikelihood']) {
      assert.ok(Math.abs(grouped[name] - plain[name]) <= 1e-6 * Math.abs(plain[name]), name);
    }
  });

  test('Gamma-Gamma on the repeat customers gives the published parameters', () => {
    const fit = fitGammaGamma(s.x, s.zbar);
    assertPublished(fit, GAMMA_GAMMA, 2);
    assert.equal(fit.customers, 946);
    assert.equal(fit.skipped, 2357 - 946);
    assert.ok(Math.abs(fit.frequencyMonetaryCorrelation - 0.1139) < 1e-3);
    assert.ok(Math.abs(fit.populationMeanOrderValue - 35.171) < 1e-2);
  });

  test('bad input is thrown as an Error a person can act on', () => {
    assert.throws(() => fitBgNbd([1, 2], [1], [3, 3]), (e) => e instanceof Error && /same length/.test(e.message));
    assert.throws(() => fitBgNbd([1.5, 0], [1, 0], [3, 3]), /whole number/);
    assert.throws(() => fitBgNbd([0, 0], [0, 0], [3, 4]), /bought again/);
    assert.throws(() => fitGammaGamma([0, 1], [0, 5]), /at least 2/);
  });

  test('bad input says why by code, and the page words each reason in both languages', () => {
    const cases = [
      [() => fitBgNbd([1, 2], [1], [3, 3]), 'lengths'],
      [() => fitGammaGamma([1, 2], [3], [1, 1]), 'lengths'],
      [() => fitBgNbd([1, Number.NaN], [1, 1], [3, 3]), 'not_finite'],
      [() => fitBgNbd([1.5, 0], [1, 0], [3, 3]), 'frequency_not_whole'],
      [() => fitBgNbd([1, 0], [-1, 0], [3, 3]), 'recency_negative'],
      [() => fitBgNbd([1, 0], [4, 0], [3, 3]), 'recency_after_age'],
      [() => fitBgNbd([0, 0], [1, 0], [3, 3]), 'recency_without_repeat'],
      [() => fitBgNbd([1, 0], [0, 0], [3, 3]), 'repeat_without_recency'],
      [() => fitBgNbd([1, 0], [1, 0], [3, 3], [1, -1]), 'weight_invalid'],
      [() => fitGammaGamma([1, 2], [5, Number.POSITIVE_INFINITY]), 'spend_row'],
    ];
    const vi = localeOf('vi');
    for (const [fit, reason] of cases) {
      assert.throws(fit, (e) => {
        assert.equal(e.code, 'clv_invalid_input');
        assert.equal(e.params.reason, reason);
        const worded = vi.describeMessage(e);
        assert.ok(Object.hasOwn(MESSAGES.vi, `message.clv_invalid_input.${reason}`), reason);
        assert.ok(worded.startsWith('dữ liệu đầu vào CLV không hợp lệ: ') && !/[{}]/.test(worded), worded);
        const english = localeOf('en').t(`message.clv_invalid_input.${reason}`, e.params);
        assert.ok(Object.hasOwn(MESSAGES.en, `message.clv_invalid_input.${reason}`) && !/[{}]/.test(english), english);
        return true;
      });
    }
  });
});

describe('book.clv on the raw CDNOW transactions', () => {
  const book = OrderBook.fromCsv(new Uint8Array(data('cdnow_sample.txt')), { preset: 'cdnow' });
  const options = { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' };

  test('clv(): model, totals, histogram, matrix, holdout, lists', () => {
    const result = book.clv(options);
    assertPublished(result.bgnbd, BGNBD, 3);
    assertPublished(result.gammaGamma, GAMMA_GAMMA, 2);
    assert.equal(result.calibrationEnd, '1997-09-30');
    assert.equal(result.periodDays, 7);
    assert.equal(result.months, 12);
    assert.deepEqual(result.warnings, []);
    assert.equal(result.customers.customers, 2357);
    assert.equal(result.customers.repeatBuyers, 946);
    assert.equal(result.distribution.counts.reduce((a, b) => a + b, 0), 2357);
    assert.equal(result.distribution.edges.length, result.distribution.counts.length + 1);
    assert.ok(result.pAliveMatrix.values.flat().every((p) => p >= 0 && p <= 1));
    assert.equal(result.holdout.actual, 1882);
    assert.ok(Math.abs(result.holdout.predicted - 1653.41) < 1.7, String(result.holdout.predicted));
    assert.deepEqual(result.holdout.byFrequency.map((b) => b.frequency), ['0', '1', '2', '3', '4', '5', '6', '7+']);
    for (const list of Object.values(result.top)) assert.equal(list.length, 20);
    const top = result.top.topClv[0];
    assert.equal(typeof top.customerId, 'string');
    assert.ok(top.clv >= result.top.topClv[1].clv);
    assert.ok(top.nextOrderDate === null || /^\d{4}-\d\d-\d\d$/.test(top.nextOrderDate));
  });

  test('clvCsv(): the exact header and one row per calibration customer', () => {
    const lines = book.clvCsv(options).trim().split('\n');
    assert.equal(lines[0], 'customer_id,frequency,recency,T,monetary_mean,p_alive,expected_purchases,expected_order_value,clv,p_purchase_30d,next_order_date');
    assert.equal(lines.length, 2358);
  });

  test('clvCustomers(): typed columns that join onto the customer index', () => {
    const columns = book.clvCustomers(options);
    assert.equal(columns.count, 2357);
    assert.ok(columns.customer instanceof Uint32Array && columns.pAlive instanceof Float64Array);
    assert.equal(columns.clv.length, 2357);
    assert.ok(columns.pAlive.every((p) => p >= 0 && p <= 1));
    assert.ok(columns.pPurchase30d.every((p, i) => p <= columns.pAlive[i]));
  });

  test('options and data problems are explained', () => {
    assert.throws(() => book.clv({ calibrationEnd: '1990-01-01' }), /outside the data/);
    assert.throws(() => book.clv({ calibrationEnd: '30/09/1997' }), /YYYY-MM-DD/);
    assert.throws(() => book.clv({ margin: 30 }), /margin/);
    const oneDay = OrderBook.fromCsv(new TextEncoder().encode('customer,date,amount\na,2024-01-01,5\nb,2024-01-01,7\n'));
    assert.throws(() => oneDay.clv(), /2024-01-01/);
  });

  test('range errors name options as JavaScript spells them, in the text and the params', () => {
    for (const [options, name] of [[{ monthlyDiscountRate: 2 }, 'monthlyDiscountRate'], [{ periodDays: 0 }, 'periodDays']]) {
      assert.throws(() => book.clv(options), (e) => e.code === 'option_invalid' && e.params.name === name
        && e.message.includes(name) && e.params.rule && !/[a-z]_[a-z]/.test(e.message + JSON.stringify({ ...e.params, rule: undefined })));
    }
    assert.throws(() => book.clv({ calibrationEnd: '1997-06-30', holdoutEnd: '1997-03-01' }), (e) =>
      e.params.name === 'holdoutEnd' && /a date after calibrationEnd \(1997-06-30\)/.test(e.message));
  });

  test('horizonDays: under 30 days is refused with the fix; 45 days sums one 30-day month', () => {
    for (const call of [() => book.clv({ ...options, horizonDays: 29 }), () => book.clvCsv({ horizonDays: 29 }), () => book.clvCustomers({ horizonDays: 1 })]) {
      assert.throws(call, (e) => e instanceof Error && /horizonDays is (29|1), shorter than one 30-day month/.test(e.message) && /30 or more/.test(e.message));
    }
    const month = book.clv({ ...options, horizonDays: 45 });
    assert.equal(month.months, 1);
    assert.equal(month.horizonDays, 45);
    const year = book.clv(options);
    // One month of value is far less than twelve, and more than nothing for everyone.
    assert.ok(month.customers.totalClv > 0 && month.customers.totalClv < year.customers.totalClv / 6);
    assert.ok(month.customers.expectedPurchases < year.customers.expectedPurchases);
    const columns = book.clvCustomers({ ...options, horizonDays: 45 });
    assert.ok(columns.clv.every((v) => v > 0));
  });
});
