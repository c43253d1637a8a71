// The RFM part of the public JS API (DESIGN.md), run under Node against the built pkg/:
// book.rfm(), book.rfmCsv(), book.rfmCustomers() and their errors.
// Expected figures are worked out by hand from ORDERS_CSV below (as of 2024-03-31, 6 scored
// customers, score = 1 + floor(5 × rank of the first tied value / 6), customers ranked worst first).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { initSync, OrderBook } from '../../../pkg/customer_lens.js';

/** Shares computed from float sums. */
const SHARE_TOLERANCE = 1e-12;

/**
 * A: 3 purchases, last 2024-03-30, 175.00 · B: 500 bought, 500 returned, last 2024-01-10 ·
 * C: 10.00 on 03-29 · D: 2 × 80 in February · E: 5.00 on 03-31 · a formula-like id: 42 on 03-15 ·
 * F: a return only · a guest order.
 */
const ORDERS_CSV = `order_id,customer_id,order_date,total
1,A,2024-03-01,100.00
2,A,2024-03-20,50.00
3,A,2024-03-30,25.00
4,B,2024-01-10,500.00
5,B,2024-02-10,-500.00
6,C,2024-03-29,10.00
7,D,2024-02-01,80.00
8,D,2024-02-15,80.00
9,E,2024-03-31,5.00
10,=cmd|' /C calc'!A0,2024-03-15,42.00
11,F,2024-03-10,-20.00
12,,2024-03-31,99.00
`;

const FORMULA_ID = "=cmd|' /C calc'!A0";

/** Per customer: recency, frequency, monetary, R, F, M scores and segment (bins 5). */
const EXPECTED_ROWS = {
  A: ['1', '3', '175.00', '4', '5', '5', 'Champions'],
  B: ['81', '1', '0.00', '1', '1', '1', 'Lost'],
  C: ['2', '1', '10.00', '3', '1', '2', 'About To Sleep'],
  D: ['45', '2', '160.00', '1', '4', '4', "Can't Lose Them"],
  E: ['0', '1', '5.00', '5', '1', '1', 'New Customers'],
  [`'${FORMULA_ID}`]: ['16', '1', '42.00', '2', '1', '3', 'Hibernating'],
};

const HEADER = 'customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment';

let book;

before(() => {
  initSync({ module: readFileSync(new URL('../../../pkg/customer_lens_bg.wasm', import.meta.url)) });
  book = OrderBook.fromCsv(new TextEncoder().encode(ORDERS_CSV), { delimiter: ',' });
});

after(() => book?.free());

/** Rows of CSV text without quoted fields (the inputs here need none), keyed by customer id. */
function rowsById(text) {
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], HEADER);
  return Object.fromEntries(lines.slice(1).map((line) => {
    const [id, ...rest] = line.split(',');
    return [id, rest];
  }));
}

describe('rfm()', () => {
  test('counts, segments with both languages, grid, Pareto and rule counts', () => {
    const result = book.rfm();
    assert.equal(result.asOf, '2024-03-31');
    assert.equal(result.bins, 5);
    assert.equal(result.monetary, 'total');
    assert.equal(result.customers, 6);
    assert.equal(result.customersReturnsOnly, 1);
    assert.equal(result.customersAfterAsOf, 0);
    assert.ok(Math.abs(result.revenue - 392) < SHARE_TOLERANCE);

    assert.equal(result.segments.length, 11);
    const counts = Object.fromEntries(result.segments.map((s) => [s.name, s.customers]));
    for (const [, , , , , , segment] of Object.values(EXPECTED_ROWS)) {
      assert.equal(counts[segment], 1, segment);
    }
    const champions = result.segments.find((s) => s.name === 'Champions');
    assert.equal(champions.nameVi, 'Nhà vô địch');
    assert.match(champions.meaning, /recently/);
    assert.ok(champions.meaningVi && champions.action && champions.actionVi);
    assert.ok(Math.abs(champions.customerShare - 1 / 6) < SHARE_TOLERANCE);
    assert.ok(Math.abs(champions.revenueShare - 175 / 392) < SHARE_TOLERANCE);
    assert.equal(champions.meanFrequency, 3);
    assert.ok(Math.abs(champions.meanOrderValue - 175 / 3) < SHARE_TOLERANCE);
    const empty = result.segments.find((s) => s.name === 'At Risk');
    assert.equal(empty.customers, 0);
    assert.equal(empty.meanRecency, null);

    assert.equal(result.grid.length, 25);
    assert.equal(result.grid.reduce((sum, cell) => sum + cell.customers, 0), 6);
    assert.deepEqual(result.grid.find((cell) => cell.r === 4 && cell.f === 5), { r: 4, f: 5, customers: 1, meanMonetary: 175 });

    assert.equal(result.pareto.points.length, 101);
    // top 20% of 6 customers = 2 customers: A (175) and D (160)
    assert.ok(Math.abs(result.pareto.top20RevenueShare - 335 / 392) < SHARE_TOLERANCE);

    assert.equal(result.rules.length, 11);
    assert.equal(result.rules.reduce((sum, rule) => sum + rule.customers, 0), 6);
    assert.equal(result.rules.reduce((sum, rule) => sum + rule.combinations, 0), 125);
    assert.deepEqual(result.rules[0], { segment: 'Champions', r: [4, 5], f: [4, 5], m: [4, 5], combinations: 8, customers: 1 });

    assert.deepEqual(result.scoreRanges.frequency.map((range) => range.customers), [4, 0, 0, 1, 1]);
    assert.equal(result.quartiles.vip.customers, 0);
    assert.deepEqual(result.warnings, []);
  });

  test('an as-of date in the past ignores later orders', () => {
    const result = book.rfm({ asOf: '2024-02-29' });
    assert.equal(result.customers, 2); // B and D
    assert.equal(result.customersReturnsOnly, 0);
    assert.equal(result.customersAfterAsOf, 5); // A, C, E, the formula id and F start in March
  });

  test('a custom rule table, with per-rule counts', () => {
    const rules = [
      { segment: 'Recent', r: [4, 5], f: [1, 5], m: [1, 5] },
      { segment: 'Hidden', r: [5, 5], f: [1, 1], m: [1, 1] },
      { segment: 'Everyone else', r: [1, 5], f: [1, 5], m: [1, 5] },
    ];
    const result = book.rfm({ rules });
    assert.deepEqual(result.segments.map((s) => [s.name, s.customers]), [['Recent', 2], ['Hidden', 0], ['Everyone else', 4]]);
    assert.deepEqual(result.rules.map((rule) => rule.combinations), [50, 0, 75]);
    assert.match(result.warnings[0], /rule 2 \(Hidden\) never applies/);
  });

  test('other bins keep scores in range', () => {
    for (const bins of [3, 4, 10]) {
      const result = book.rfm({ bins });
      assert.equal(result.grid.length, bins * bins);
      const customers = book.rfmCustomers({ bins });
      for (const column of [customers.rScore, customers.fScore, customers.mScore]) {
        assert.ok(column.every((score) => score >= 1 && score <= bins), `bins ${bins}`);
      }
    }
  });

  test('bad options throw errors a person can act on', () => {
    const cases = [
      [{ bins: 2 }, /bins must be a whole number from 3 to 10/],
      [{ bins: 5.5 }, /bins must be a whole number from 3 to 10/],
      [{ asOf: '31/03/2024' }, /invalid asOf '31\/03\/2024': give a date as YYYY-MM-DD/],
      [{ monetary: 'median' }, /invalid options: monetary must be 'total' or 'average'/],
      [{ group: 'gold' }, /invalid options: group must be 'vip' or 'reactivate'/],
      [{ bins: '5' }, /invalid options: bins must be a number/],
      ['all', /invalid options: give an object such as \{ bins: 5, monetary: 'total' \}/],
      [{ rules: [] }, /the rule table is empty/],
      [{ rules: [{ segment: 'Lost', r: [1, 5], f: [1, 4], m: [1, 5] }] }, /no rule catches R=1 F=5 M=1 \(and 24 other combinations\)/],
      [{ rules: [{ segment: 'Lost', r: [0, 5], f: [1, 5], m: [1, 5] }] }, /rule 1 \(Lost\): R range \[0, 5\]/],
    ];
    for (const [options, message] of cases) {
      assert.throws(() => book.rfm(options), message, JSON.stringify(options));
    }
    assert.throws(() => book.rfmCsv({ segment: 'VIPs' }), /unknown segment 'VIPs': choose one of Champions/);
  });

  test('errors and warnings carry a stable code and params beside the English text', () => {
    assert.throws(() => book.rfm({ bins: 2 }), (error) => error instanceof Error
      && error.code === 'rfm_invalid_bins' && error.params.given === '2' && error.params.max === '10');
    assert.throws(() => book.rfm({ monetary: 'median' }), (error) => error.code === 'option_not_a_choice'
      && error.params.name === 'monetary' && error.params.given === 'median');
    const result = book.rfm({ rules: [
      { segment: 'Everyone', r: [1, 5], f: [1, 5], m: [1, 5] },
      { segment: 'Nobody', r: [5, 5], f: [5, 5], m: [5, 5] },
    ] });
    assert.deepEqual(result.warningCodes.map((w) => [w.code, w.params, w.message]),
      [['rfm_rule_never_applies', { rule: '2', segment: 'Nobody' }, result.warnings[0]]]);
    assert.equal(result.segments[0].code, null);
    assert.deepEqual(book.rfm().segments.map((s) => s.code).slice(0, 2), ['champions', 'loyal_customers']);
  });
});

describe('rfmCsv()', () => {
  test('every scored customer with the documented header, formulas neutralised', () => {
    const text = book.rfmCsv();
    assert.ok(text.startsWith(`${HEADER}\n`));
    assert.deepEqual(rowsById(text), EXPECTED_ROWS);
  });

  test('one segment (case-insensitive), a quartile group, average order value', () => {
    assert.deepEqual(rowsById(book.rfmCsv({ segment: 'champions' })), { A: EXPECTED_ROWS.A });
    assert.deepEqual(rowsById(book.rfmCsv({ group: 'vip' })), {});
    const average = rowsById(book.rfmCsv({ monetary: 'average' }));
    assert.equal(average.A[2], '58.33');
    assert.equal(average.D[2], '80.00');
  });
});

describe('rfmCustomers()', () => {
  test('typed columns and ids for a virtualised list', () => {
    const list = book.rfmCustomers();
    assert.equal(list.count, 6);
    assert.ok(list.customer instanceof Uint32Array && list.recencyDays instanceof Uint32Array);
    assert.ok(list.monetary instanceof Float64Array && list.segment instanceof Uint8Array);
    assert.equal(list.idOffsets.length, 7);
    const id = (i) => list.idText.slice(list.idOffsets[i], list.idOffsets[i + 1]);
    const ids = Array.from({ length: list.count }, (_, i) => id(i));
    assert.deepEqual(ids, ['A', 'B', 'C', 'D', 'E', FORMULA_ID]);
    const a = ids.indexOf('A');
    assert.equal(list.recencyDays[a], 1);
    assert.equal(list.frequency[a], 3);
    assert.equal(list.monetary[a], 175);
    assert.deepEqual([list.rScore[a], list.fScore[a], list.mScore[a]], [4, 5, 5]);
    assert.equal(list.segments[list.segment[a]], 'Champions');
    assert.ok(list.group.every((g) => g === 0));

    const lost = book.rfmCustomers({ segment: 'Lost' });
    assert.equal(lost.count, 1);
    assert.equal(lost.idText, 'B');
  });
});
