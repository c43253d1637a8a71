// The lifetime-value view: model settings, headline figures with 90% intervals, the purchase model
// (chosen automatically among BG/NBD, MBG/NBD and Pareto/NBD, or by the user) and the spend model
// read in plain words (with intervals and the engine's warnings), the fit check (repeat
// purchases actual against the model, per period and by frequency), value by RFM segment, the
// CLV distribution, the P(alive) and expected-purchases matrices, the holdout check, and the lists a store acts on
// (likely to buy, high value at risk, top CLV), each with the median next-order date and an
// export.
import { frequencyBars } from '../charts/frequencyBars.js';
import { histogram } from '../charts/histogram.js';
import { holdoutChart } from '../charts/holdoutChart.js';
import { frequencyRecencyMatrix } from '../charts/frequencyRecencyMatrix.js';
import { trackingChart } from '../charts/trackingChart.js';
import { deferred, download, h } from '../dom.js';
import { card, dateField, errorCard, exportToFile, innerWidth, kpi, loadingCard, selectField, swatch, tableAlternative } from './common.js';
import { CLV_DEFAULTS } from './defaults.js';
import { clvOptions } from './clvOptions.js';
import { clvCompareCard, compareFields, compareOptions } from './compare.js';
import { MODEL_NAMES, fitLine, gammaGammaParameters, parameterTable, purchaseModelInWords, purchaseParameters, warningItems } from './modelFit.js';

const HOLDOUTS = [0, 30, 60, 90, 180];
const HORIZONS = [90, 180, 365, 730];
const MODELS = ['auto', 'bgNbd', 'mbgNbd', 'paretoNbd'];
/** Where each model's fit is in the result. */
const FIT_KEYS = { bgNbd: 'bgnbd', mbgNbd: 'mbgNbd', paretoNbd: 'paretoNbd' };


/** A share as the number a percentage input shows (0.3 → 30, not 30.000000000000004). */
function asPercent(share) {
  return Number((share * 100).toPrecision(12));
}

function controls(ctx, report) {
  const { settings, setSettings, summary } = ctx;
  const { t } = ctx.locale;
  const holdout = Number(settings.holdout) || 0;
  // A share (0–1, as the settings and the engine have it) typed as a percentage.
  const percent = (id, label, share, min, max, step, onChange) => h('label', { class: 'field narrow', for: id },
    h('span', { class: 'field-label' }, label),
    h('input', {
      id, type: 'number', inputmode: 'decimal', min, max, step, value: asPercent(share),
      onchange: (event) => {
        const parsed = Number(event.target.value);
        if (Number.isFinite(parsed) && parsed >= min && parsed <= max) onChange(parsed / 100);
        else event.target.value = asPercent(share);
      },
    }),
  );
  return h('form', { class: 'card controls', id: 'clv-controls', onsubmit: (event) => event.preventDefault() },
    selectField('clv-model-choice', t('clv.modelChoice'), settings.model || CLV_DEFAULTS.model,
      MODELS.map((model) => [model, model === 'auto' ? t('clv.modelChoice.auto') : MODEL_NAMES[model]]), (model) => setSettings({ model })),
    selectField('clv-holdout', t('clv.holdout'), holdout, HOLDOUTS.map((days) => [days, days ? t('clv.holdout.days', { days }) : t('clv.holdout.off')]), (days) => setSettings({ holdout: Number(days) })),
    dateField('clv-calibration-end', t('clv.calibrationEnd'), report?.calibrationEnd ?? settings.calibrationEnd ?? summary.lastDate,
      { min: summary.firstDate ?? null, max: summary.lastDate ?? null, disabled: holdout > 0 },
      (calibrationEnd) => setSettings({ calibrationEnd: calibrationEnd === summary.lastDate ? '' : calibrationEnd })),
    selectField('clv-horizon', t('clv.horizon'), settings.horizon, HORIZONS.map((days) => [days, t('clv.horizon.days', { days })]), (horizon) => setSettings({ horizon: Number(horizon) })),
    percent('clv-discount', t('clv.discount'), settings.discount, 0, 20, 0.1, (discount) => setSettings({ discount })),
    percent('clv-margin', t('clv.margin'), settings.margin, 1, 100, 1, (margin) => setSettings({ margin })),
    compareFields(ctx, 'clv', { firstPurchase: true }),
  );
}

/** CLV sums whole 30-day months (`report.months` = floor(horizonDays / 30)), so its labels say
 * how many, and the days they cover, rather than the horizon in days. */
function clvSpan(months) {
  return { months, days: months * 30 };
}

function kpis(ctx, report) {
  const { currency } = ctx;
  const { t, formatInteger, formatMoney, formatNumber } = ctx.locale;
  const totals = report.customers;
  const money = (value) => (value === null || value === undefined ? '–' : formatMoney(value, currency, { compact: Math.abs(value) >= 1_000_000 }));
  const store = report.intervals?.store;
  const range = (interval, format) => (interval ? t('clv.kpi.interval', { lower: format(interval.lower), upper: format(interval.upper) }) : null);
  const withRange = (detail, interval, format) => [detail, interval ? h('span', { class: 'kpi-interval' }, ' · ', range(interval, format)) : null];
  return h('div', { class: 'kpis' },
    kpi('total', t('clv.kpi.total', clvSpan(report.months)), money(totals.totalClv), withRange(t('clv.kpi.totalDetail', { n: totals.customers }), store?.clv, money)),
    kpi('mean', t('clv.kpi.mean'), money(totals.meanClv), t('clv.kpi.meanDetail', { median: money(totals.medianClv) })),
    kpi('buyers', t('clv.kpi.buyers'), formatInteger(totals.likelyBuyers30d), t('clv.kpi.buyersDetail', { expected: formatNumber(totals.expectedBuyers30d, 0) })),
    kpi('purchases', t('clv.kpi.purchases'), formatNumber(totals.expectedPurchases, 0), withRange(t('clv.kpi.purchasesDetail', { days: report.horizonDays }), store?.expectedPurchases, (v) => formatNumber(v, 0))),
  );
}

/** Why this purchase model: chosen by the user, or by the engine on the likelihood or the holdout
 * (its reason, a coded message, worded in the page's language), and which models failed. */
function choiceText(ctx, report) {
  const { t, describeMessage } = ctx.locale;
  const choice = report.modelChoice;
  const name = MODEL_NAMES[report.model];
  if (!choice) return h('p', { id: 'clv-model-choice-reason', dataset: { criterion: 'user' } }, t('clv.choice.user', { model: name }));
  const failed = choice.candidates.filter((c) => c.failure).map((c) => t('clv.choice.failed', { model: MODEL_NAMES[c.model] }));
  return h('p', { id: 'clv-model-choice-reason', dataset: { criterion: choice.criterion, code: choice.reason.code } },
    [t('clv.choice.auto'), describeMessage(choice.reason), ...failed].join(' '));
}

function modelCard(ctx, report) {
  const { currency, locale } = ctx;
  const { t, formatMoney, formatNumber } = locale;
  const { gammaGamma, periodDays, model } = report;
  const fit = report[FIT_KEYS[model]];
  return card(locale, 'clv-model', t('clv.model.heading'), null,
    h('div', { class: 'model-columns' },
      h('div', { class: 'model', id: 'clv-purchase-model', dataset: { model } },
        h('h3', {}, t('clv.model.purchase', { model: MODEL_NAMES[model] })),
        choiceText(ctx, report),
        purchaseModelInWords(locale, fit, periodDays, 'clv.model', model),
        parameterTable(locale, purchaseParameters(fit, model)),
        h('p', { class: 'muted small' }, t(model === 'paretoNbd' ? 'clv.model.alphaBetaUnit' : 'clv.model.alphaUnit', { periodDays }), ' ', fitLine(locale, fit)),
      ),
      h('div', { class: 'model' },
        h('h3', {}, t('clv.model.gg')),
        gammaGamma
          ? [
            h('p', {}, t('clv.model.aov', { aov: formatMoney(gammaGamma.populationMeanOrderValue, currency) })),
            gammaGamma.frequencyMonetaryCorrelation === null || gammaGamma.frequencyMonetaryCorrelation === undefined
              ? null
              : h('p', {}, t('clv.model.correlation', { rho: formatNumber(gammaGamma.frequencyMonetaryCorrelation, 2) })),
            parameterTable(locale, gammaGammaParameters(gammaGamma)),
            h('p', { class: 'muted small' }, fitLine(locale, gammaGamma)),
          ]
          : h('p', {}, t('clv.model.none')),
      ),
    ),
  );
}

function warningsCard(locale, report) {
  if (!report.warnings?.length) return null;
  return h('section', { class: 'card warnings', 'aria-labelledby': 'clv-warnings-heading', id: 'clv-warnings' },
    h('h2', { id: 'clv-warnings-heading' }, locale.t('clv.warnings')),
    h('ul', {}, warningItems(locale, report.warnings)),
  );
}

function distributionCard(ctx, report, width) {
  const { currency, locale } = ctx;
  const { t, formatInteger, formatMoney } = locale;
  const { edges, counts, lastBarOpen } = report.distribution;
  if (!counts?.length) return null;
  const money = (value) => formatMoney(value, currency, { compact: true });
  const bins = counts.map((count, i) => {
    const open = lastBarOpen && i === counts.length - 1;
    return {
      from: edges[i],
      to: edges[i + 1],
      count,
      title: open ? t('clv.distribution.open', { from: money(edges[i]), n: count }) : t('clv.distribution.bar', { from: money(edges[i]), to: money(edges[i + 1]), n: count }),
    };
  });
  return card(locale, 'clv-distribution', t('clv.distribution.heading'), t('clv.distribution.caption', clvSpan(report.months)),
    h('div', { class: 'chart' }, deferred(() => histogram(bins, { width, xLabel: t('clv.distribution.x'), yLabel: t('clv.distribution.y'), xFormat: money, ariaLabel: t('clv.distribution.heading') }), { height: 240 })),
    tableAlternative(t('chart.table'), 'clv-distribution-table', [t('clv.distribution.x').replace(/ →$/, ''), t('clv.distribution.y').replace(/^↑ /, '')],
      bins.map((bin, i) => [lastBarOpen && i === bins.length - 1 ? `≥ ${money(bin.from)}` : `${money(bin.from)} – ${money(bin.to)}`, formatInteger(bin.count)])));
}

/** A frequency × recency matrix: P(alive) (`clv-matrix`) or, with `expected`, the expected
 * purchases over the horizon (`clv-expected-matrix`), shaded from 0 to its largest value. */
function matrixCard(locale, report, width, expected = false) {
  const { t, formatDate, formatNumber, formatPercent } = locale;
  const matrix = expected ? report.expectedPurchasesMatrix : report.pAliveMatrix;
  if (!matrix?.values?.length) return null;
  const [id, key] = expected ? ['clv-expected-matrix', 'clv.expectedMatrix'] : ['clv-matrix', 'clv.matrix'];
  const max = expected ? matrix.values.flat().filter(Number.isFinite).reduce((a, b) => Math.max(a, b), 0) : 1;
  const format = expected ? (value) => formatNumber(value, 1) : (value) => formatPercent(value, 0);
  return card(locale, id, t(`${key}.heading`), t(`${key}.caption`, { weeks: formatNumber(matrix.age, 0), date: formatDate(report.calibrationEnd), days: report.horizonDays }),
    h('div', { class: 'chart' }, deferred(() => frequencyRecencyMatrix(matrix, {
      width,
      max,
      xLabel: t('clv.matrix.x'),
      yLabel: t('clv.matrix.y'),
      ariaLabel: t(`${key}.heading`),
      cellTitle: (frequency, recency, p) => t(`${key}.cell`, { frequency, recency: formatNumber(recency, 1), days: report.horizonDays, p: expected ? formatNumber(p, 2) : formatPercent(p) }),
    }), { height: 380 })),
    h('div', { class: 'legend', 'aria-hidden': 'true' }, h('span', {}, format(0)), h('span', { class: 'legend-ramp' }), h('span', {}, format(max))),
    // The table samples the recency columns as the chart's axis does, so it stays readable.
    tableAlternative(t('chart.table'), `${id}-table`,
      [`${t('clv.matrix.y').replace(/^↑ /, '')} ↓ · ${t('clv.matrix.x').replace(/ →$/, '')} →`, ...sampledColumns(matrix).map((j) => formatNumber(matrix.recencies[j], 0))],
      [...matrix.frequencies].map((frequency, i) => [String(frequency), ...sampledColumns(matrix).map((j) => format(matrix.values[i][j]))]).reverse()),
  );
}

/** Every n-th recency column of the P(alive) matrix, about eight in all, and the last. */
function sampledColumns(matrix) {
  const count = matrix.recencies.length;
  const step = Math.max(1, Math.ceil(count / 8));
  const columns = [];
  for (let j = 0; j < count; j += step) columns.push(j);
  if (columns.at(-1) !== count - 1) columns.push(count - 1);
  return columns;
}

function holdoutCard(locale, report, width) {
  const { t, formatDate, formatInteger, formatNumber, formatPercent } = locale;
  const { holdout } = report;
  if (!holdout) return card(locale, 'clv-holdout', t('clv.holdout.heading'), null, h('p', { class: 'muted' }, t('clv.holdout.none')));
  const error = holdout.relativeError === null || holdout.relativeError === undefined ? '' : `${holdout.relativeError > 0 ? '+' : ''}${formatPercent(holdout.relativeError)}`;
  return card(locale, 'clv-holdout', t('clv.holdout.heading'),
    t('clv.holdout.caption', { from: formatDate(report.calibrationEnd), start: formatDate(holdout.start), end: formatDate(holdout.end) }),
    h('p', { class: 'holdout-total', id: 'clv-holdout-total' }, t('clv.holdout.total', { predicted: formatNumber(holdout.predicted, 0), actual: formatInteger(holdout.actual), error })),
    h('div', { class: 'chart' }, deferred(() => holdoutChart(holdout.byFrequency, {
      width,
      xLabel: t('clv.holdout.bucket'),
      yLabel: t('clv.holdout.y'),
      predictedLabel: t('clv.holdout.predicted'),
      actualLabel: t('clv.holdout.actual'),
      format: (value) => formatNumber(value, 2),
      ariaLabel: t('clv.holdout.heading'),
    }), { height: 260 })),
    h('div', { class: 'legend swatches' },
      h('span', {}, swatch('var(--cl-accent)'), `${t('clv.holdout.predicted')} (- - -)`), h('span', {}, swatch('var(--cl-warm)'), t('clv.holdout.actual'))),
    tableAlternative(t('chart.table'), 'clv-holdout-table',
      [t('clv.holdout.bucket'), t('clv.holdout.customers'), t('clv.holdout.predicted'), t('clv.holdout.actual')],
      holdout.byFrequency.map((bucket) => [bucket.frequency, formatInteger(bucket.customers), formatNumber(bucket.predicted, 1), formatInteger(bucket.actual)])),
  );
}

/** Repeat purchases actual against the model: per period and cumulated over calibration and
 * holdout, and customers by calibration repeat purchases. */
function fitCheckCard(locale, report, width, half) {
  const { t, formatDate, formatInteger, formatNumber } = locale;
  const check = report.fitCheck;
  if (!check?.tracking?.length) return null;
  const periods = check.tracking.map((period) => ({ ...period, date: new Date(`${period.start}T00:00:00Z`) }));
  const labels = { actualLabel: t('clv.fit.actual'), expectedLabel: t('clv.fit.expected', { model: MODEL_NAMES[report.model] }) };
  const calibrationEnd = new Date(`${report.calibrationEnd}T00:00:00Z`);
  const tracking = (id, key, expectedKey, title) => h('div', { class: 'fit-chart', id },
    h('h3', {}, title),
    h('div', { class: 'chart' }, deferred(() => trackingChart(periods.map((p) => ({ date: p.date, actual: p[key], expected: p[expectedKey] })), {
      width: half,
      calibrationEnd,
      ...labels,
      yLabel: t('clv.fit.y'),
      format: (value) => formatNumber(value, 1),
      dateFormat: (date) => formatDate(date.toISOString().slice(0, 10)),
      ariaLabel: title,
    }), { height: 240 })));
  const weeklyTitle = t('clv.fit.perPeriod', { periodDays: check.periodDays });
  return card(locale, 'clv-fit', t('clv.fit.heading'), t('clv.fit.caption', { n: formatInteger(report.customers.customers), date: formatDate(report.calibrationEnd), model: MODEL_NAMES[report.model] }),
    h('div', { class: 'chart-columns even' },
      tracking('clv-fit-tracking', 'actual', 'expected', weeklyTitle),
      tracking('clv-fit-cumulative', 'cumulativeActual', 'cumulativeExpected', t('clv.fit.cumulative'))),
    h('div', { class: 'legend swatches' },
      h('span', {}, swatch('var(--cl-accent)'), `${labels.expectedLabel} (- - -)`), h('span', {}, swatch('var(--cl-warm)'), labels.actualLabel)),
    tableAlternative(t('chart.table'), 'clv-fit-table', [t('clv.fit.period'), `${weeklyTitle}: ${labels.actualLabel}`, labels.expectedLabel, `${t('clv.fit.cumulative')}: ${labels.actualLabel}`, labels.expectedLabel],
      periods.map((p) => [formatDate(p.start), formatInteger(p.actual), formatNumber(p.expected, 1), formatInteger(p.cumulativeActual), formatNumber(p.cumulativeExpected, 1)])),
    h('div', { class: 'fit-chart', id: 'clv-fit-frequencies' },
      h('h3', {}, t('clv.fit.histogram', { date: formatDate(report.calibrationEnd) })),
      h('div', { class: 'chart' }, deferred(() => frequencyBars(check.frequencies, {
        width,
        ...labels,
        xLabel: t('clv.fit.histogramX'),
        yLabel: t('clv.fit.histogramY'),
        format: (value) => formatNumber(value, 0),
        ariaLabel: t('clv.fit.histogram', { date: formatDate(report.calibrationEnd) }),
      }), { height: 260 })),
      tableAlternative(t('chart.table'), 'clv-fit-frequency-table', [t('clv.fit.histogramX'), labels.actualLabel, labels.expectedLabel],
        check.frequencies.map((bar) => [bar.frequency, formatInteger(bar.actual), formatNumber(bar.expected, 0)]))),
  );
}

/** Expected purchases and CLV per RFM segment, with their 90% intervals. */
function segmentsCard(ctx, report) {
  const { locale } = ctx;
  const { t, formatInteger, formatMoney, formatNumber } = locale;
  const intervals = report.intervals;
  if (!intervals?.segments?.length) return null;
  const money = (value) => formatMoney(value, ctx.currency, { compact: Math.abs(value) >= 1_000_000 });
  const count = (value) => formatNumber(value, 0);
  const cell = (interval, format) => (interval
    ? [format(interval.estimate), h('small', { class: 'muted interval' }, ` ${format(interval.lower)} – ${format(interval.upper)}`)]
    : '–');
  const rows = [...intervals.segments, intervals.store];
  return card(locale, 'clv-segments', t('clv.segments.heading'), t('clv.segments.caption', clvSpan(report.months)),
    h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'clv-segments-heading' }, h('table', { class: 'data-table compact' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('clv.segments.segment')),
        h('th', { scope: 'col', class: 'num' }, t('clv.holdout.customers')),
        h('th', { scope: 'col', class: 'num' }, t('clv.segments.purchases', { days: report.horizonDays })),
        h('th', { scope: 'col', class: 'num' }, t('clv.segments.clv', clvSpan(report.months))))),
      h('tbody', {}, rows.map((row, i) => h('tr', { class: i === rows.length - 1 ? 'total' : null },
        h('th', { scope: 'row' }, i === rows.length - 1 ? t('clv.segments.all') : locale.segmentText({ code: row.segmentCode, name: row.segment }, 'name')),
        h('td', { class: 'num' }, formatInteger(row.customers)),
        h('td', { class: 'num' }, cell(row.expectedPurchases, count)),
        h('td', { class: 'num' }, cell(row.clv, money))))),
    )),
  );
}

const LIST_COLUMNS = {
  likelyToBuy: ['p30', 'next', 'pAlive', 'expected', 'clv'],
  highValueAtRisk: ['clvIfActive', 'pAlive', 'last', 'frequency'],
  topClv: ['clv', 'expected', 'aov', 'pAlive', 'next'],
};

function cellValue({ formatDate, formatInteger, formatMoney, formatNumber, formatPercent }, row, column, currency) {
  const money = (value) => (value === null || value === undefined ? '–' : formatMoney(value, currency));
  switch (column) {
    case 'p30': return formatPercent(row.pPurchase30d);
    case 'pAlive': return formatPercent(row.pAlive);
    case 'expected': return formatNumber(row.expectedPurchases, 2);
    case 'clv': return money(row.clv);
    case 'clvIfActive': return money(row.clvIfActive);
    case 'aov': return money(row.expectedOrderValue);
    case 'last': return formatDate(row.lastPurchase);
    case 'frequency': return formatInteger(row.frequency);
    case 'next': return row.nextOrderDate ? formatDate(row.nextOrderDate) : '–';
    default: return '';
  }
}

/** A short list as CSV (the rows the engine ranked; plain values, not formatted). */
function listCsv(rows) {
  const header = 'customer_id,frequency,last_purchase,p_alive,expected_purchases,expected_order_value,clv,clv_if_active,p_purchase_30d,next_order_date';
  const quote = (text) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const number = (value, digits) => (value === null || value === undefined ? '' : Number(value).toFixed(digits));
  return [header, ...rows.map((row) => [
    quote(row.customerId), row.frequency, row.lastPurchase, number(row.pAlive, 6), number(row.expectedPurchases, 6), number(row.expectedOrderValue, 2),
    number(row.clv, 2), number(row.clvIfActive, 2), number(row.pPurchase30d, 6), row.nextOrderDate ?? '',
  ].join(','))].join('\n') + '\n';
}

function listsCard(ctx, report, options) {
  const { currency, analyses, locale } = ctx;
  const { t, formatInteger } = locale;
  const status = h('p', { class: 'muted list-status', role: 'status', id: 'clv-list-status' });
  const lists = Object.entries(LIST_COLUMNS).map(([key, columns]) => {
    const rows = report.top[key] ?? [];
    const file = `clv-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-${report.calibrationEnd}.csv`;
    return h('section', { class: 'clv-list', id: `clv-list-${key}`, 'aria-labelledby': `clv-list-${key}-heading` },
      h('div', { class: 'list-head' },
        h('h3', { id: `clv-list-${key}-heading` }, t(`clv.lists.${key}`), ' ', h('span', { class: 'badge' }, formatInteger(rows.length))),
        rows.length
          ? h('button', { type: 'button', class: 'button', id: `clv-export-${key}`, onclick: () => { download(file, listCsv(rows)); status.textContent = t('clv.lists.saved', { file }); } }, t('clv.lists.export'))
          : null,
      ),
      h('p', { class: 'muted small' }, t(`clv.lists.${key}Hint`)),
      rows.length
        ? h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': `clv-list-${key}-heading` },
          h('table', { class: 'data-table compact' },
            h('thead', {}, h('tr', {},
              h('th', { scope: 'col' }, t('clv.col.customer')),
              columns.map((column) => h('th', { scope: 'col', class: 'num', title: column === 'next' ? t('clv.col.nextHint') : null }, t(`clv.col.${column}`))))),
            h('tbody', {}, rows.map((row) => h('tr', {},
              h('th', { scope: 'row' }, row.customerId),
              columns.map((column) => h('td', { class: 'num' }, cellValue(locale, row, column, currency)))))),
          ))
        : h('p', { class: 'muted' }, t('clv.lists.empty')),
    );
  });
  const exportAll = (event) => {
    const file = `clv-all-customers-${report.calibrationEnd}.csv`;
    return exportToFile({ button: event.currentTarget, status, file, content: () => analyses.run('clvCsv', options), saved: t('clv.lists.saved', { file }) });
  };
  return h('section', { class: 'card', id: 'clv-lists', 'aria-labelledby': 'clv-lists-heading' },
    h('div', { class: 'list-head' },
      h('h2', { id: 'clv-lists-heading' }, t('clv.lists.heading')),
      h('button', { type: 'button', class: 'button primary', id: 'clv-export-all', onclick: exportAll }, t('clv.lists.exportAll')),
    ),
    status,
    h('div', { class: 'clv-lists' }, lists),
  );
}

export function renderClv(ctx) {
  const { settings, summary, width, isPhone, locale } = ctx;
  const { t, formatDate } = locale;
  // The page always asks for the intervals of the totals (the RFM list's CLV columns do not).
  const options = { ...clvOptions(settings, summary), intervals: true, ...compareOptions(settings, CLV_DEFAULTS, ctx) };
  const horizon = Number(settings.horizon) || CLV_DEFAULTS.horizon;
  const entry = ctx.analyses.get('clv', options);
  const head = (report) => h('div', { class: 'view-head' },
    h('h2', { class: 'view-title', id: 'view-heading', tabindex: -1 }, t('clv.heading')),
    h('p', { class: 'muted' }, t('clv.intro', { date: formatDate(report?.calibrationEnd ?? options.calibrationEnd ?? summary.lastDate), horizon, ...clvSpan(Math.floor(horizon / 30)) })),
  );
  if (entry.status === 'pending') return h('div', { class: 'view clv' }, head(null), controls(ctx, null), loadingCard(t('clv.loading')));
  if (entry.status === 'error') return h('div', { class: 'view clv' }, head(null), controls(ctx, null), errorCard(locale, entry.error));
  const report = entry.value;
  const half = innerWidth(width >= 860 ? (width - 20) / 2 : width, isPhone);
  return h('div', { class: 'view clv' },
    head(report),
    controls(ctx, report),
    kpis(ctx, report),
    warningsCard(locale, report),
    modelCard(ctx, report),
    fitCheckCard(locale, report, innerWidth(width, isPhone), half),
    segmentsCard(ctx, report),
    clvCompareCard(ctx, report.compare),
    distributionCard(ctx, report, innerWidth(width, isPhone)),
    h('div', { class: 'chart-columns even' }, matrixCard(locale, report, half), matrixCard(locale, report, half, true)),
    holdoutCard(locale, report, innerWidth(Math.min(width, 760), isPhone)),
    listsCard(ctx, report, options),
  );
}
