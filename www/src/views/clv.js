// The lifetime-value view: model settings, headline figures with 90% intervals, the purchase model
// (chosen automatically among BG/NBD, MBG/NBD and Pareto/NBD, or by the user) and the spend model
// read in plain words (with intervals and the engine's warnings), the fit check (repeat
// purchases actual against the model, per period and by frequency), value by RFM segment, the
// CLV distribution, the P(alive) matrix, the holdout check, and the lists a store acts on
// (likely to buy, high value at risk, top CLV), each with the median next-order date and an
// export.
import { frequencyBars } from '../charts/frequencyBars.js';
import { histogram } from '../charts/histogram.js';
import { holdoutChart } from '../charts/holdoutChart.js';
import { pAliveMatrix } from '../charts/pAliveMatrix.js';
import { trackingChart } from '../charts/trackingChart.js';
import { deferred, download, h } from '../dom.js';
import { formatDate, formatInteger, formatMoney, formatNumber, formatPercent, formatScientific, getLang, t } from '../i18n.js';
import { warningsVi } from '../messages/clv.js';
import { card, errorCard, innerWidth, kpi, loadingCard, tableAlternative } from './common.js';
import { CLV_DEFAULTS } from './defaults.js';
import { analysis } from './results.js';
import { clvOptions } from './clvOptions.js';

const HOLDOUTS = [0, 30, 60, 90, 180];
const HORIZONS = [90, 180, 365, 730];
/** The z of the 90% intervals the engine gives, for Gamma-Gamma's from its standard errors. */
const Z90 = 1.644854;
const MODELS = ['auto', 'bgNbd', 'mbgNbd', 'paretoNbd'];
const MODEL_NAMES = { bgNbd: 'BG/NBD', mbgNbd: 'MBG/NBD', paretoNbd: 'Pareto/NBD' };
/** Where each model's fit is in the result. */
const FIT_KEYS = { bgNbd: 'bgnbd', mbgNbd: 'mbgNbd', paretoNbd: 'paretoNbd' };


function controls(ctx, report) {
  const { settings, setSettings, summary } = ctx;
  const holdout = Number(settings.holdout) || 0;
  const select = (id, label, value, options, onChange) => h('label', { class: 'field', for: id },
    h('span', { class: 'field-label' }, label),
    h('select', { id, onchange: (event) => onChange(Number(event.target.value)) },
      options.map(([optionValue, text]) => h('option', { value: optionValue, selected: Number(optionValue) === Number(value) }, text))),
  );
  const number = (id, label, value, min, max, step, onChange) => h('label', { class: 'field narrow', for: id },
    h('span', { class: 'field-label' }, label),
    h('input', {
      id, type: 'number', inputmode: 'decimal', min, max, step, value,
      onchange: (event) => {
        const parsed = Number(event.target.value);
        if (Number.isFinite(parsed) && parsed >= min && parsed <= max) onChange(parsed);
        else event.target.value = value;
      },
    }),
  );
  return h('form', { class: 'card controls', id: 'clv-controls', onsubmit: (event) => event.preventDefault() },
    h('label', { class: 'field', for: 'clv-model-choice' },
      h('span', { class: 'field-label' }, t('clv.modelChoice')),
      h('select', { id: 'clv-model-choice', onchange: (event) => setSettings({ model: event.target.value }) },
        MODELS.map((model) => h('option', { value: model, selected: model === (settings.model || 'auto') }, model === 'auto' ? t('clv.modelChoice.auto') : MODEL_NAMES[model])))),
    select('clv-holdout', t('clv.holdout'), holdout, HOLDOUTS.map((days) => [days, days ? t('clv.holdout.days', { days }) : t('clv.holdout.off')]), (days) => setSettings({ holdout: days })),
    h('label', { class: 'field', for: 'clv-calibration-end' },
      h('span', { class: 'field-label' }, t('clv.calibrationEnd')),
      h('input', {
        id: 'clv-calibration-end',
        type: 'date',
        value: report?.calibrationEnd ?? settings.calibrationEnd ?? summary.lastDate,
        min: summary.firstDate ?? null,
        max: summary.lastDate ?? null,
        disabled: holdout > 0,
        onchange: (event) => setSettings({ calibrationEnd: event.target.value === summary.lastDate ? '' : event.target.value }),
      }),
    ),
    select('clv-horizon', t('clv.horizon'), settings.horizon, HORIZONS.map((days) => [days, t('clv.horizon.days', { days })]), (horizon) => setSettings({ horizon })),
    number('clv-discount', t('clv.discount'), settings.discount, 0, 20, 0.1, (discount) => setSettings({ discount })),
    number('clv-margin', t('clv.margin'), settings.margin, 1, 100, 1, (margin) => setSettings({ margin })),
  );
}

/** CLV sums whole 30-day months (`report.months` = floor(horizonDays / 30)), so its labels say
 * how many, and the days they cover, rather than the horizon in days. */
function clvSpan(months) {
  return { months, days: months * 30 };
}

function kpis(ctx, report) {
  const { currency } = ctx;
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

/** Model parameters span many magnitudes (a = 5e-7, b = 5e4): tiny ones in scientific notation. */
function formatParameter(value) {
  return value !== 0 && Math.abs(value) < 0.001 ? formatScientific(value) : formatNumber(value, 3);
}

/** A parameter row: estimate and its 90% interval ([lower, upper]) when there is one. */
function parameterRow(name, value, bounds) {
  const interval = !bounds || !bounds.every(Number.isFinite)
    ? h('span', { class: 'muted' }, t('clv.model.noInterval'))
    : `${formatParameter(bounds[0])} – ${formatParameter(bounds[1])}`;
  return h('tr', {}, h('th', { scope: 'row' }, name), h('td', { class: 'num' }, formatParameter(value)), h('td', { class: 'num' }, interval));
}

/** Gamma-Gamma's 90% interval from its standard error (normal, kept ≥ 0). */
function fromStandardError(value, standardError) {
  return Number.isFinite(standardError) ? [Math.max(0, value - Z90 * standardError), value + Z90 * standardError] : null;
}

/** The purchase model in plain words: how often an active customer buys, how customers leave. */
function purchaseModelText(model, fit, periodDays) {
  const perPeriod = fit.r / fit.alpha;
  const perYear = (perPeriod * 365) / periodDays;
  const rate = h('p', {}, t('clv.model.rate', { perYear: formatNumber(perYear, 1), perPeriod: formatNumber(perPeriod, 2), periodDays }));
  if (model === 'paretoNbd') {
    // P(still active a year later | active now) = (β/(β + a year))^s.
    const year = 365 / periodDays;
    const leave = 1 - (fit.beta / (fit.beta + year)) ** fit.s;
    return [rate, h('p', {}, t('clv.model.dropoutPareto', { dropout: formatPercent(leave, leave < 0.01 ? 2 : 1) }))];
  }
  const dropout = fit.a / (fit.a + fit.b);
  const text = dropout < 0.0001 ? t('clv.model.dropoutNone') : t(model === 'mbgNbd' ? 'clv.model.dropoutMbg' : 'clv.model.dropout', { dropout: formatPercent(dropout, dropout < 0.01 ? 2 : 1) });
  return [rate, h('p', {}, text)];
}

/** Why this purchase model: chosen by the user, or by the engine on the likelihood or the holdout. */
function choiceText(report) {
  const choice = report.modelChoice;
  const name = MODEL_NAMES[report.model];
  if (!choice) return h('p', { id: 'clv-model-choice-reason', dataset: { criterion: 'user' } }, t('clv.choice.user', { model: name }));
  const others = (figure) => choice.candidates.filter((c) => c.model !== choice.chosen && figure(c) !== null)
    .map((c) => `${MODEL_NAMES[c.model]} ${figure(c)}`).join(', ');
  const chosen = choice.candidates.find((c) => c.model === choice.chosen);
  const text = choice.criterion === 'holdout'
    ? t('clv.choice.holdout', { model: name, error: formatNumber(chosen.holdoutError, 3), others: others((c) => (c.holdoutError === null ? null : formatNumber(c.holdoutError, 3))) })
    : t('clv.choice.likelihood', { model: name, ll: formatNumber(chosen.logLikelihood, 1), others: others((c) => (c.logLikelihood === null ? null : formatNumber(c.logLikelihood, 1))) });
  const failed = choice.candidates.filter((c) => c.failure).map((c) => t('clv.choice.failed', { model: MODEL_NAMES[c.model] }));
  return h('p', { id: 'clv-model-choice-reason', dataset: { criterion: choice.criterion } }, [text, ...failed].join(' '));
}

function parameterTable(rows) {
  return h('div', { class: 'table-scroll parameters-scroll' }, h('table', { class: 'data-table compact parameters' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('clv.model.parameter')), h('th', { scope: 'col', class: 'num' }, t('clv.model.estimate')), h('th', { scope: 'col', class: 'num' }, t('clv.model.interval')))),
    h('tbody', {}, rows),
  ));
}

function modelCard(ctx, report) {
  const { currency } = ctx;
  const { gammaGamma, periodDays, model } = report;
  const fit = report[FIT_KEYS[model]];
  const bounds = (key) => (fit.intervals ? [fit.intervals.lower[key], fit.intervals.upper[key]] : null);
  const shapes = model === 'paretoNbd' ? [['s', 's'], ['β', 'beta']] : [['a', 'a'], ['b', 'b']];
  const fitLine = (fit) => t('clv.model.fit', { ll: formatNumber(fit.logLikelihood, 1), customers: fit.customers, status: fit.converged ? t('clv.model.converged') : t('clv.model.notConverged') });
  const ggSe = gammaGamma?.standardErrors ?? {};
  return card('clv-model', t('clv.model.heading'), null,
    h('div', { class: 'model-columns' },
      h('div', { class: 'model', id: 'clv-purchase-model', dataset: { model } },
        h('h3', {}, t('clv.model.purchase', { model: MODEL_NAMES[model] })),
        choiceText(report),
        purchaseModelText(model, fit, periodDays),
        parameterTable([
          parameterRow('r', fit.r, bounds('r')),
          parameterRow('α', fit.alpha, bounds('alpha')),
          ...shapes.map(([label, key]) => parameterRow(label, fit[key], bounds(key))),
        ]),
        h('p', { class: 'muted small' }, t(model === 'paretoNbd' ? 'clv.model.alphaBetaUnit' : 'clv.model.alphaUnit', { periodDays }), ' ', fitLine(fit)),
      ),
      h('div', { class: 'model' },
        h('h3', {}, t('clv.model.gg')),
        gammaGamma
          ? [
            h('p', {}, t('clv.model.aov', { aov: formatMoney(gammaGamma.populationMeanOrderValue, currency) })),
            gammaGamma.frequencyMonetaryCorrelation === null || gammaGamma.frequencyMonetaryCorrelation === undefined
              ? null
              : h('p', {}, t('clv.model.correlation', { rho: formatNumber(gammaGamma.frequencyMonetaryCorrelation, 2) })),
            parameterTable([
              parameterRow('p', gammaGamma.p, fromStandardError(gammaGamma.p, ggSe.p)),
              parameterRow('q', gammaGamma.q, fromStandardError(gammaGamma.q, ggSe.q)),
              parameterRow('v', gammaGamma.v, fromStandardError(gammaGamma.v, ggSe.v)),
            ]),
            h('p', { class: 'muted small' }, fitLine(gammaGamma)),
          ]
          : h('p', {}, t('clv.model.none')),
      ),
    ),
  );
}

function warningsCard(report) {
  if (!report.warnings?.length) return null;
  const vi = getLang() === 'vi';
  return h('section', { class: 'card warnings', 'aria-labelledby': 'clv-warnings-heading', id: 'clv-warnings' },
    h('h2', { id: 'clv-warnings-heading' }, t('clv.warnings')),
    h('ul', {}, report.warnings.map((warning) => h('li', { dataset: { code: warning.code } },
      vi && warningsVi[warning.code] ? [warningsVi[warning.code], h('small', { lang: 'en' }, warning.message)] : warning.message))),
  );
}

function distributionCard(ctx, report, width) {
  const { currency } = ctx;
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
  return card('clv-distribution', t('clv.distribution.heading'), t('clv.distribution.caption', clvSpan(report.months)),
    h('div', { class: 'chart' }, deferred(() => histogram(bins, { width, xLabel: t('clv.distribution.x'), yLabel: t('clv.distribution.y'), xFormat: money, ariaLabel: t('clv.distribution.heading') }), { height: 240 })),
    tableAlternative(t('chart.table'), 'clv-distribution-table', [t('clv.distribution.x').replace(/ →$/, ''), t('clv.distribution.y').replace(/^↑ /, '')],
      bins.map((bin, i) => [lastBarOpen && i === bins.length - 1 ? `≥ ${money(bin.from)}` : `${money(bin.from)} – ${money(bin.to)}`, formatInteger(bin.count)])));
}

function matrixCard(report, width) {
  const matrix = report.pAliveMatrix;
  if (!matrix?.values?.length) return null;
  return card('clv-matrix', t('clv.matrix.heading'), t('clv.matrix.caption', { weeks: formatNumber(matrix.age, 0), date: formatDate(report.calibrationEnd) }),
    h('div', { class: 'chart' }, deferred(() => pAliveMatrix(matrix, {
      width,
      xLabel: t('clv.matrix.x'),
      yLabel: t('clv.matrix.y'),
      ariaLabel: t('clv.matrix.heading'),
      cellTitle: (frequency, recency, p) => t('clv.matrix.cell', { frequency, recency: formatNumber(recency, 1), p: formatPercent(p) }),
    }), { height: 380 })),
    h('div', { class: 'legend', 'aria-hidden': 'true' }, h('span', {}, '0%'), h('span', { class: 'legend-ramp' }), h('span', {}, '100%')),
    // The table samples the recency columns as the chart's axis does, so it stays readable.
    tableAlternative(t('chart.table'), 'clv-matrix-table',
      [`${t('clv.matrix.y').replace(/^↑ /, '')} ↓ · ${t('clv.matrix.x').replace(/ →$/, '')} →`, ...sampledColumns(matrix).map((j) => formatNumber(matrix.recencies[j], 0))],
      [...matrix.frequencies].map((frequency, i) => [String(frequency), ...sampledColumns(matrix).map((j) => formatPercent(matrix.values[i][j], 0))]).reverse()),
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

function holdoutCard(report, width) {
  const { holdout } = report;
  if (!holdout) return card('clv-holdout', t('clv.holdout.heading'), null, h('p', { class: 'muted' }, t('clv.holdout.none')));
  const error = holdout.relativeError === null || holdout.relativeError === undefined ? '' : `${holdout.relativeError > 0 ? '+' : ''}${formatPercent(holdout.relativeError)}`;
  return card('clv-holdout', t('clv.holdout.heading'),
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
      swatch('var(--cl-accent)', `${t('clv.holdout.predicted')} (- - -)`), swatch('var(--cl-warm)', t('clv.holdout.actual'))),
    h('details', { class: 'table-alternative', id: 'clv-holdout-table' },
      h('summary', {}, t('chart.table')),
      h('div', { class: 'table-scroll' },
        h('table', { class: 'data-table compact' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, t('clv.holdout.bucket')),
            h('th', { scope: 'col', class: 'num' }, t('clv.holdout.customers')),
            h('th', { scope: 'col', class: 'num' }, t('clv.holdout.predicted')),
            h('th', { scope: 'col', class: 'num' }, t('clv.holdout.actual')))),
          h('tbody', {}, holdout.byFrequency.map((bucket) => h('tr', {},
            h('th', { scope: 'row' }, bucket.frequency),
            h('td', { class: 'num' }, formatInteger(bucket.customers)),
            h('td', { class: 'num' }, formatNumber(bucket.predicted, 1)),
            h('td', { class: 'num' }, formatInteger(bucket.actual))))),
        ),
      ),
    ),
  );
}

/** Repeat purchases actual against the model: per period and cumulated over calibration and
 * holdout, and customers by calibration repeat purchases. */
function fitCheckCard(report, width, half) {
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
  return card('clv-fit', t('clv.fit.heading'), t('clv.fit.caption', { n: formatInteger(report.customers.customers), date: formatDate(report.calibrationEnd), model: MODEL_NAMES[report.model] }),
    h('div', { class: 'chart-columns even' },
      tracking('clv-fit-tracking', 'actual', 'expected', weeklyTitle),
      tracking('clv-fit-cumulative', 'cumulativeActual', 'cumulativeExpected', t('clv.fit.cumulative'))),
    h('div', { class: 'legend swatches' },
      swatch('var(--cl-accent)', `${labels.expectedLabel} (- - -)`), swatch('var(--cl-warm)', labels.actualLabel)),
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
  const intervals = report.intervals;
  if (!intervals?.segments?.length) return null;
  const vi = getLang() === 'vi';
  const money = (value) => formatMoney(value, ctx.currency, { compact: Math.abs(value) >= 1_000_000 });
  const count = (value) => formatNumber(value, 0);
  const cell = (interval, format) => (interval
    ? [format(interval.estimate), h('small', { class: 'muted interval' }, ` ${format(interval.lower)} – ${format(interval.upper)}`)]
    : '–');
  const rows = [...intervals.segments, intervals.store];
  return card('clv-segments', t('clv.segments.heading'), t('clv.segments.caption', clvSpan(report.months)),
    h('div', { class: 'table-scroll' }, h('table', { class: 'data-table compact' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('clv.segments.segment')),
        h('th', { scope: 'col', class: 'num' }, t('clv.holdout.customers')),
        h('th', { scope: 'col', class: 'num' }, t('clv.segments.purchases', { days: report.horizonDays })),
        h('th', { scope: 'col', class: 'num' }, t('clv.segments.clv', clvSpan(report.months))))),
      h('tbody', {}, rows.map((row, i) => h('tr', { class: i === rows.length - 1 ? 'total' : null },
        h('th', { scope: 'row' }, i === rows.length - 1 ? t('clv.segments.all') : (vi && row.segmentVi) || row.segment),
        h('td', { class: 'num' }, formatInteger(row.customers)),
        h('td', { class: 'num' }, cell(row.expectedPurchases, count)),
        h('td', { class: 'num' }, cell(row.clv, money))))),
    )),
  );
}

function swatch(color, label) {
  const element = h('span', { class: 'swatch', 'aria-hidden': 'true' });
  element.style.setProperty('--swatch', color);
  return h('span', {}, element, label);
}

const LIST_COLUMNS = {
  likelyToBuy: ['p30', 'next', 'pAlive', 'expected', 'clv'],
  highValueAtRisk: ['clvIfActive', 'pAlive', 'last', 'frequency'],
  topClv: ['clv', 'expected', 'aov', 'pAlive', 'next'],
};

function cellValue(row, column, currency) {
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
  const { currency, engine } = ctx;
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
              columns.map((column) => h('td', { class: 'num' }, cellValue(row, column, currency)))))),
          ))
        : h('p', { class: 'muted' }, t('clv.lists.empty')),
    );
  });
  const exportAll = async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      const text = await engine.analyse('clvCsv', options);
      const file = `clv-all-customers-${report.calibrationEnd}.csv`;
      download(file, text);
      status.textContent = t('clv.lists.saved', { file });
    } catch (error) {
      status.textContent = error?.message ?? String(error);
    } finally {
      button.disabled = false;
    }
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
  const { settings, summary, width, isPhone } = ctx;
  // The page always asks for the intervals of the totals (the RFM list's CLV columns do not).
  const options = { ...clvOptions(settings, summary), intervals: true };
  const horizon = Number(settings.horizon) || 365;
  const entry = analysis(ctx, 'clv', options);
  const head = (report) => h('div', { class: 'view-head' },
    h('h2', { class: 'view-title', id: 'view-heading', tabindex: -1 }, t('clv.heading')),
    h('p', { class: 'muted' }, t('clv.intro', { date: formatDate(report?.calibrationEnd ?? options.calibrationEnd ?? summary.lastDate), horizon, ...clvSpan(Math.floor(horizon / 30)) })),
  );
  if (entry.status === 'pending') return h('div', { class: 'view clv' }, head(null), controls(ctx, null), loadingCard(t('clv.loading')));
  if (entry.status === 'error') return h('div', { class: 'view clv' }, head(null), controls(ctx, null), errorCard(entry.error));
  const report = entry.value;
  const half = innerWidth(width >= 860 ? (width - 20) / 2 : width, isPhone);
  return h('div', { class: 'view clv' },
    head(report),
    controls(ctx, report),
    kpis(ctx, report),
    warningsCard(report),
    modelCard(ctx, report),
    fitCheckCard(report, innerWidth(width, isPhone), half),
    segmentsCard(ctx, report),
    h('div', { class: 'chart-columns even' }, distributionCard(ctx, report, half), matrixCard(report, half)),
    holdoutCard(report, innerWidth(Math.min(width, 760), isPhone)),
    listsCard(ctx, report, options),
  );
}
