// The Overview's arithmetic apart from drawing (src/views/overviewModel.js): which periods a KPI
// compares, the change between them and how it reads in both languages, period names, and the
// rows of the new-against-returning bars.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localeOf } from '../../src/i18n.js';
import { changeBetween, changeText, comparedPeriods, formatValue, metricPoints, newReturningBars, periodName, toneOf } from '../../src/views/overviewModel.js';

const en = localeOf('en');
const vi = localeOf('vi');
const plain = (text) => text.replace(/[\u00a0\u202f]/g, ' ');

test('a running last period is left out of the comparison; without two complete periods there is less to compare', () => {
  const periods = [{ start: '2011-10-01' }, { start: '2011-11-01' }, { start: '2011-12-01' }];
  assert.deepEqual(comparedPeriods({ periods, lastPeriodIncomplete: true }), { current: periods[1], previous: periods[0] });
  assert.deepEqual(comparedPeriods({ periods, lastPeriodIncomplete: false }), { current: periods[2], previous: periods[1] });
  assert.deepEqual(comparedPeriods({ periods: periods.slice(0, 1), lastPeriodIncomplete: false }), { current: periods[0], previous: null });
  assert.deepEqual(comparedPeriods({ periods: periods.slice(0, 1), lastPeriodIncomplete: true }), { current: null, previous: null });
  assert.deepEqual(comparedPeriods({ periods: [], lastPeriodIncomplete: false }), { current: null, previous: null });
});

test('changes: relative for counts and money, percentage points for rates, none without both values', () => {
  const cases = [
    [[120, 100, 'count'], { direction: 'up', delta: 20, points: null, relative: 0.2 }],
    [[75, 100, 'money'], { direction: 'down', delta: -25, points: null, relative: -0.25 }],
    [[5, 0, 'count'], { direction: 'up', delta: 5, points: null, relative: null }],
    [[100, 100, 'count'], { direction: 'flat', delta: 0, points: null, relative: 0 }],
    [[-50, -100, 'money'], { direction: 'up', delta: 50, points: null, relative: 0.5 }],
  ];
  for (const [[current, previous, kind], expected] of cases) assert.deepEqual(changeBetween(current, previous, kind), expected, `${current} against ${previous}`);
  const rate = changeBetween(0.32, 0.3, 'rate');
  assert.equal(rate.direction, 'up');
  assert.ok(Math.abs(rate.points - 2) < 1e-9, 'two percentage points, not +6.7 %');
  assert.equal(rate.relative, null);
  assert.equal(changeBetween(0.3 + 1e-15, 0.3, 'rate').direction, 'flat', 'float noise is no change');
  assert.equal(changeBetween(null, 0.3, 'rate'), null);
  assert.equal(changeBetween(3, undefined, 'count'), null);
  assert.equal(changeBetween(Number.NaN, 3, 'count'), null);
});

test('tone: up is good unless the metric is better going down (churn)', () => {
  assert.equal(toneOf(changeBetween(120, 100, 'count'), 'up'), 'good');
  assert.equal(toneOf(changeBetween(0.2, 0.1, 'rate'), 'down'), 'bad');
  assert.equal(toneOf(changeBetween(0.1, 0.2, 'rate'), 'down'), 'good');
  assert.equal(toneOf(changeBetween(1, 1, 'count'), 'up'), 'neutral');
  assert.equal(toneOf(null, 'up'), 'neutral');
});

test('a change reads with its arrow in both languages', () => {
  assert.equal(plain(changeText(en, changeBetween(120, 100, 'count'))), '▲ 20%');
  assert.equal(plain(changeText(en, changeBetween(75, 100, 'money'))), '▼ 25%');
  assert.equal(plain(changeText(en, changeBetween(0.3, 0.32, 'rate'))), '▼ 2 pts');
  assert.equal(plain(changeText(en, changeBetween(5, 0, 'count'))), '▲ from none');
  assert.equal(plain(changeText(en, changeBetween(1, 1, 'count'))), '= 0%');
  assert.equal(changeText(en, null), '–');
  assert.equal(plain(changeText(vi, changeBetween(0.345, 0.3, 'rate'))), '▲ 4,5 điểm %');
  assert.equal(plain(changeText(vi, changeBetween(1234, 1000, 'count'))), '▲ 23,4%');
});

test('values and period names as each kind reads', () => {
  assert.equal(plain(formatValue(en, 1234.5, 'money', 'GBP')), '£1,234.50');
  assert.equal(plain(formatValue(en, 0.256, 'rate')), '25.6%');
  assert.equal(formatValue(en, 2.345, 'number'), '2.35');
  assert.equal(formatValue(en, 1234, 'count'), '1,234');
  assert.equal(formatValue(en, null, 'count'), '–');
  assert.equal(periodName(en, 'year', '2011-01-01'), '2011');
  assert.equal(periodName(en, 'quarter', '2011-10-01'), 'Q4 2011');
  assert.equal(periodName(vi, 'quarter', '2011-04-01'), 'Quý 2/2011');
  assert.equal(periodName(en, 'month', '2010-12-01'), 'Dec 2010');
  assert.equal(periodName(en, 'week', '2010-12-06'), '6 Dec 2010');
});

test('bars of new against returning, and metric points without empty periods', () => {
  const periods = [
    { start: '2011-01-01', newCustomers: 3, returningCustomers: 5, newRevenue: 30, returningRevenue: 70, otherRevenue: -4, repeatRate: 0.625 },
    { start: '2011-02-01', newCustomers: 0, returningCustomers: 2, newRevenue: 0, returningRevenue: 20, otherRevenue: 6, repeatRate: null },
  ];
  const label = (period, group, value) => `${period.start} ${group} ${value}`;
  assert.deepEqual(newReturningBars(periods, 'customers', { label, format: String }), [
    { period: '2011-01-01', group: 'new', value: 3, title: '2011-01-01 new 3' },
    { period: '2011-01-01', group: 'returning', value: 5, title: '2011-01-01 returning 5' },
    { period: '2011-02-01', group: 'new', value: 0, title: '2011-02-01 new 0' },
    { period: '2011-02-01', group: 'returning', value: 2, title: '2011-02-01 returning 2' },
  ]);
  assert.deepEqual(newReturningBars(periods, 'revenue', { label, format: String }).map((bar) => [bar.group, bar.value]),
    [['new', 30], ['returning', 70], ['other', -4], ['new', 0], ['returning', 20], ['other', 6]], 'revenue no customer brought is its own group');
  const points = metricPoints(periods, 'repeatRate', (period, value) => `${period.start}: ${value}`);
  assert.deepEqual(points, [{ x: new Date('2011-01-01T00:00:00Z'), y: 0.625, title: '2011-01-01: 0.625' }]);
});
