// The page's defaults (src/views/defaults.js) and the engine's, tied. A view leaves a setting at its
// default out of what it asks of the engine, which then applies its own default: the two must be
// the same value. For each such setting, on the page's sample book, this test
//  - asks the view's own mapping what it sends at the defaults (the setting must be left out) and
//    for another value (it must name the engine option this test writes out),
//  - runs the analysis with what the view sends at the defaults and again with the defaults.js
//    value written out under the engine's option name: the results must be identical,
//  - and runs it with the other value, which must give another result (so the sample can tell a
//    changed default apart).
// A default changed on one side only fails here.
//
// Not tied, on purpose: what a view always sends (the Products view's `minSupport`, the
// engine's default being 0; the CLV view's `model`; the cohort views' `period`, though the
// engine's own default is checked below as the SQL view and the element's `period` attribute
// rely on it; the SQL view's dialect, query and table, likewise checked) and settings with no
// engine value (`asOf: ''`, `rules: ''`, the cohort window `'auto'`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';

import { AUDIENCES_DEFAULTS, CLV_DEFAULTS, COHORT_DEFAULTS, FIT_PERIOD_DAYS, LIFECYCLE_DEFAULTS, OVERVIEW_DEFAULTS, RFM_DEFAULTS, SQL_DEFAULTS } from '../../src/views/defaults.js';
import { engineOptions as rfmOptions } from '../../src/views/rfmOptions.js';
import { clvOptions } from '../../src/views/clvOptions.js';
import { compareOptions } from '../../src/views/compare.js';
import { engineOptions as overviewOptions } from '../../src/views/overview.js';
import { engineOptions as lifecycleOptions } from '../../src/views/lifecycle.js';
import { engineOptions as audiencesOptions } from '../../src/views/audiences.js';
import { sqlOptions } from '../../src/views/sql.js';

const root = new URL('../../../', import.meta.url);
/** The attribute compared in the `top` cases: the sample has 13 countries, more than any `top` choice but 20. */
const COMPARED = 'country';

let api;
let book;
let summary;

before(async () => {
  api = await import(new URL('pkg/customer_lens.js', root));
  api.initSync({ module: readFileSync(new URL('pkg/customer_lens_bg.wasm', root)) });
  // book.sql renders with the SQL module, a module of its own given to the engine.
  const sqlModule = await import(new URL('sql/pkg/customer_lens_sql.js', root));
  sqlModule.initSync({ module: readFileSync(new URL('sql/pkg/customer_lens_sql_bg.wasm', root)) });
  api.useSqlModule(sqlModule);
  // The sample the page offers ("Try the sample data"): 1,143 orders of 221 customers in 13 countries.
  book = api.OrderBook.fromCsv(readFileSync(new URL('www/public/samples/online-retail-sample.csv', root)), {});
  summary = book.summary();
  assert.ok(book.attributes().find((a) => a.key === COMPARED)?.values.length > 10, 'more countries than the default top');
});

/**
 * One default tied: `setting` of the view's `defaults`, sent by `view(settings)` (null: the view
 * does not map it, as for an option it always or never sends) as the engine's `option` (its
 * value `value(setting's value)`), to `book[analysis]`; `other` is another value of the setting.
 * `context`: engine options sent either way (for a view without a mapping).
 */
function tie({ analysis, defaults, setting, option, other, view = null, value = (v) => v, context = {} }) {
  const run = (options) => book[analysis]({ ...context, ...options });
  let atDefault = {};
  let atOther = { [option]: value(other) };
  if (view) {
    atDefault = view(defaults);
    assert.ok(!Object.hasOwn(atDefault, option), `at its default (${JSON.stringify(defaults[setting])}), ${setting} is left to the engine: ${JSON.stringify(atDefault)}`);
    atOther = view({ ...defaults, [setting]: other });
    assert.deepEqual(atOther[option], value(other), `${setting}: ${JSON.stringify(other)} is sent as ${option}`);
    for (const [name, sent] of Object.entries(atDefault)) assert.deepEqual(atOther[name], sent, `${setting} changes nothing else (${name})`);
  }
  const explicit = { ...atDefault, [option]: value(defaults[setting]) };
  const left = run(atDefault);
  assert.deepEqual(left, run(explicit), `${analysis}: the engine's default ${option} is defaults.js's ${JSON.stringify(explicit[option])}`);
  assert.notDeepEqual(run(atOther), left, `${analysis}: the sample tells ${option} ${JSON.stringify(atOther[option])} from the default`);
}

const withCompare = (defaults) => ({ ...defaults, compareBy: COMPARED });

describe('the Overview', () => {
  test('period', () => tie({ analysis: 'overview', defaults: OVERVIEW_DEFAULTS, setting: 'period', option: 'period', other: 'week', view: (s) => overviewOptions(s, null) }));
  test('top, comparing an attribute', () => tie({ analysis: 'overview', defaults: withCompare(OVERVIEW_DEFAULTS), setting: 'top', option: 'top', other: 5, view: (s) => overviewOptions(s, { key: s.compareBy }) }));
});

describe('RFM', () => {
  const view = (s) => ({ ...rfmOptions(s), ...compareOptions(s, RFM_DEFAULTS) });
  test('bins', () => tie({ analysis: 'rfm', defaults: RFM_DEFAULTS, setting: 'bins', option: 'bins', other: 4, view }));
  test('monetary', () => tie({ analysis: 'rfm', defaults: RFM_DEFAULTS, setting: 'monetary', option: 'monetary', other: 'average', view }));
  test('top, comparing an attribute', () => tie({ analysis: 'rfm', defaults: withCompare(RFM_DEFAULTS), setting: 'top', option: 'top', other: 5, view }));
});

describe('Cohorts', () => {
  test('top, comparing an attribute', () => tie({ analysis: 'cohorts', defaults: withCompare(COHORT_DEFAULTS), setting: 'top', option: 'top', other: 5, view: (s) => compareOptions(s, COHORT_DEFAULTS) }));
  // The view always sends the period; the SQL view and the element's `period` attribute leave
  // the default to the engine.
  for (const analysis of ['cohorts', 'growthAccounting', 'retentionRates']) {
    test(`${analysis}: period`, () => tie({ analysis, defaults: COHORT_DEFAULTS, setting: 'period', option: 'period', other: 'week' }));
  }
});

describe('Lifecycle', () => {
  test('period', () => tie({ analysis: 'lifecycle', defaults: LIFECYCLE_DEFAULTS, setting: 'period', option: 'period', other: 'week', view: lifecycleOptions }));
  test('at risk after', () => tie({ analysis: 'lifecycle', defaults: LIFECYCLE_DEFAULTS, setting: 'atRisk', option: 'atRiskMultiplier', other: 3, view: lifecycleOptions }));
  test('lapsed after', () => tie({ analysis: 'lifecycle', defaults: LIFECYCLE_DEFAULTS, setting: 'lapsed', option: 'lapsedMultiplier', other: 6, view: lifecycleOptions }));
});

describe('Lifetime value', () => {
  const view = (s) => ({ ...clvOptions(s, summary), ...compareOptions(s, CLV_DEFAULTS) });
  test('horizon', () => tie({ analysis: 'clv', defaults: CLV_DEFAULTS, setting: 'horizon', option: 'horizonDays', other: 180, view }));
  test('monthly discount rate', () => tie({ analysis: 'clv', defaults: CLV_DEFAULTS, setting: 'discount', option: 'monthlyDiscountRate', other: 0.02, view }));
  test('margin', () => tie({ analysis: 'clv', defaults: CLV_DEFAULTS, setting: 'margin', option: 'margin', other: 0.5, view }));
  test('top, comparing an attribute', () => tie({ analysis: 'clv', defaults: withCompare(CLV_DEFAULTS), setting: 'top', option: 'top', other: 5, view }));
  // The view never sends periodDays; the SQL view's fit of a grouped summary starts from FIT_PERIOD_DAYS, "the CLV models' periodDays".
  test('days per model period', () => tie({ analysis: 'clv', defaults: { periodDays: FIT_PERIOD_DAYS }, setting: 'periodDays', option: 'periodDays', other: 14, context: clvOptions(CLV_DEFAULTS, summary) }));
});

describe('Audiences', () => {
  test('one audience per customer', () => tie({ analysis: 'audiences', defaults: AUDIENCES_DEFAULTS, setting: 'exclusive', option: 'exclusive', other: 1, value: (v) => Boolean(Number(v)), view: audiencesOptions }));
});

describe('SQL', () => {
  const allSettings = { rfm: RFM_DEFAULTS, cohorts: COHORT_DEFAULTS, clv: CLV_DEFAULTS };
  const sqlView = (s) => sqlOptions(s, allSettings, summary);
  test('the CLV summary by day', () => tie({ analysis: 'sql', defaults: SQL_DEFAULTS, setting: 'grouping', option: 'clvTimeGrouping', other: 'period', view: sqlView }));
  // The other views' settings the SQL follows, left to the engine at their defaults.
  test('RFM bins', () => tie({ analysis: 'sql', defaults: RFM_DEFAULTS, setting: 'bins', option: 'bins', other: 4, view: (rfm) => sqlOptions(SQL_DEFAULTS, { ...allSettings, rfm }, summary) }));
  test('RFM monetary', () => tie({ analysis: 'sql', defaults: RFM_DEFAULTS, setting: 'monetary', option: 'monetary', other: 'average', view: (rfm) => sqlOptions(SQL_DEFAULTS, { ...allSettings, rfm }, summary) }));
  test('cohort period', () => tie({ analysis: 'sql', defaults: COHORT_DEFAULTS, setting: 'period', option: 'period', other: 'week', view: (cohorts) => sqlOptions(SQL_DEFAULTS, { ...allSettings, cohorts }, summary) }));
  // The view always sends these; the engine's own defaults are the same.
  for (const [setting, other] of [['dialect', 'postgres'], ['query', 'rfm'], ['table', 'sales']]) {
    test(setting, () => tie({ analysis: 'sql', defaults: SQL_DEFAULTS, setting, option: setting, other }));
  }
  // By period, the summary's days per period are left to the engine: FIT_PERIOD_DAYS, the fit's own start.
  test('days per period of the CLV summary by period', () => tie({ analysis: 'sql', defaults: { periodDays: FIT_PERIOD_DAYS }, setting: 'periodDays', option: 'periodDays', other: 14, context: sqlView({ ...SQL_DEFAULTS, grouping: 'period' }) }));
});
