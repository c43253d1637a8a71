// The Overview: how the customer base is doing. The book's figures, then per week, month,
// quarter or year (`book.overview()`): new against returning customers and their revenue, active
// customers, repeat-purchase rate, orders per customer, average order value and churn, each with
// the change against the previous complete period and a table beside its chart; and the values
// of the data's attributes (country, channel, …) that bring the most revenue.
import { everyNth, lineChart } from '../charts/lineChart.js';
import { stackedBars } from '../charts/stackedBars.js';
import { deferred, h } from '../dom.js';
import { card, errorCard, innerWidth, kpi, loadingCard, selectField, swatch, tableAlternative } from './common.js';
import { summaryCard } from './data.js';
import { OVERVIEW_DEFAULTS, TOP_CHOICES } from './defaults.js';
import { GROUP_FIELDS, KPI_METRICS, OVERVIEW_PERIODS, changeBetween, changeText, comparedPeriods, formatValue, metricPoints, newReturningBars, periodName, toneOf, valueName } from './overviewModel.js';
import { attributeName } from './filterModel.js';
import { SERIES_COLORS, acquisitionNote, compareOptions } from './compare.js';

const GROUP_COLORS = { new: '#0f5f66', returning: '#d08a3c', other: '#9aa3a8' };

/** The line charts under the bars: each metric's kind says how its values read. */
const SERIES = ['activeCustomers', 'repeatRate', 'ordersPerCustomer', 'averageOrderValue', 'churnRate'];
const kindOf = (key) => KPI_METRICS.find((metric) => metric.key === key).kind;

/**
 * The engine options: the period (unless the default) and the attribute whose values it ranks
 * (`attribute`: `{ key }`, or null). Exported for tests/api/defaults.test.mjs.
 */
export function engineOptions(settings, attribute) {
  const options = settings.period && settings.period !== OVERVIEW_DEFAULTS.period ? { period: settings.period } : {};
  return attribute ? { ...options, ...compareOptions({ ...settings, compareBy: attribute.key }, OVERVIEW_DEFAULTS) } : options;
}

function controls(ctx) {
  const { settings, setSettings } = ctx;
  const { t } = ctx.locale;
  return h('form', { class: 'card controls', id: 'overview-controls', onsubmit: (event) => event.preventDefault() },
    selectField('overview-period', t('overview.period'), settings.period, OVERVIEW_PERIODS.map((period) => [period, t(`overview.period.${period}`)]), (period) => setSettings({ period })),
  );
}

/** The KPI cards: the last complete period's value and its change against the one before. */
function kpiCards(ctx, report) {
  const { locale, currency } = ctx;
  const { t } = locale;
  const { current, previous } = comparedPeriods(report);
  const span = current ? t('overview.kpis.caption', { current: periodName(locale, report.period, current.start), previous: previous ? periodName(locale, report.period, previous.start) : '–' }) : t('overview.kpis.none');
  return h('section', { class: 'card', id: 'overview-kpis', 'aria-labelledby': 'overview-kpis-heading' },
    h('h2', { id: 'overview-kpis-heading' }, t('overview.kpis.heading')),
    h('p', { class: 'muted caption' }, span),
    h('div', { class: 'kpis' }, KPI_METRICS.map(({ key, kind, better }) => {
      const change = changeBetween(current?.[key], previous?.[key], kind);
      const tone = toneOf(change, better);
      return kpi(key, t(`overview.metric.${key}`), formatValue(locale, current?.[key], kind, currency), [
        h('span', { class: 'kpi-change', dataset: { tone, direction: change?.direction ?? 'none' } }, changeText(locale, change)),
        ' ',
        previous ? t('overview.kpis.was', { value: formatValue(locale, previous[key], kind, currency) }) : null,
      ]);
    })),
  );
}

/** New against returning customers (or their revenue) per period, stacked, with the table. */
function newReturningCard(ctx, report, field, width) {
  const { locale, currency } = ctx;
  const { t } = locale;
  const money = field === 'revenue';
  const format = money ? (value) => locale.formatMoney(value, currency) : locale.formatInteger;
  const name = (start) => periodName(locale, report.period, start);
  const bars = newReturningBars(report.periods, field, {
    format,
    label: (period, group, value) => t('overview.bar', { period: name(period.start), group: t(`overview.group.${group}`), value }),
  });
  const id = `overview-${field}`;
  const groups = Object.keys(GROUP_FIELDS[field]);
  const fields = Object.values(GROUP_FIELDS[field]);
  const colors = Object.fromEntries(groups.map((group) => [group, GROUP_COLORS[group]]));
  const total = (period) => (money ? period.revenue : fields.reduce((sum, key) => sum + (period[key] ?? 0), 0));
  return card(locale, id, t(`overview.${field}.heading`), t(`overview.${field}.caption`),
    h('div', { class: 'legend swatches' }, groups.map((group) => h('span', {}, swatch(colors[group]), t(`overview.group.${group}`)))),
    h('div', { class: 'chart' }, deferred(() => stackedBars(bars, {
      periods: report.periods.map((period) => period.start),
      colors,
      width,
      yLabel: t(`overview.${field}.y`),
      yFormat: money ? (value) => locale.formatMoney(value, currency, { compact: true }) : locale.formatInteger,
      xFormat: name,
      ariaLabel: t(`overview.${field}.heading`),
    }), { height: 280 })),
    tableAlternative(t('chart.table'), `${id}-table`,
      [t('overview.periodColumn'), ...groups.map((group) => t(`overview.group.${group}`)), t('overview.total')],
      report.periods.map((period) => [name(period.start), ...fields.map((key) => format(period[key] ?? 0)), format(total(period))])),
  );
}

/** One metric over the periods as a line, its table, and the latest change in the caption. */
function metricCard(ctx, report, key, width) {
  const { locale, currency } = ctx;
  const { t } = locale;
  const kind = kindOf(key);
  const format = (value) => formatValue(locale, value, kind, currency);
  const name = (start) => periodName(locale, report.period, start);
  const points = metricPoints(report.periods, key, (period, value) => `${name(period.start)}: ${format(value)}`);
  const id = `overview-${key}`;
  return card(locale, id, t(`overview.metric.${key}`), t(`overview.metric.${key}.caption`, { days: report.activeWindowDays }),
    points.length
      ? h('div', { class: 'chart' }, deferred(() => lineChart(points, {
        width,
        height: 220,
        yFormat: kind === 'money' ? (value) => locale.formatMoney(value, currency, { compact: true }) : kind === 'rate' ? (value) => locale.formatPercent(value, 0) : undefined,
        xFormat: (date) => name(date.toISOString().slice(0, 10)),
        xTicks: everyNth(points.map((point) => point.x), width),
        yDomain: kind === 'rate' ? [0, Math.max(0.05, ...points.map((point) => point.y))] : undefined,
        dots: points.length <= 60,
        ariaLabel: t(`overview.metric.${key}`),
      }), { height: 220 }))
      : h('p', { class: 'muted' }, t('overview.metric.empty')),
    tableAlternative(t('chart.table'), `${id}-table`, [t('overview.periodColumn'), t(`overview.metric.${key}`)],
      report.periods.map((period) => [name(period.start), format(period[key])])),
  );
}

/**
 * The compared attribute: the one chosen, else the book's first (the Overview always ranks one
 * when the data has any); null without attributes. `attributes` is the entry of book.attributes().
 */
function comparedAttribute(settings, attributes) {
  const list = attributes.status === 'done' ? attributes.value ?? [] : [];
  return list.find((a) => a.key === settings.compareBy) ?? list[0] ?? null;
}

/**
 * The values of one attribute with the most revenue (the filtered orders', from the overview's
 * comparison), the rest folded into "Other": a table with a bar behind each value, and each
 * value's revenue per period stacked.
 */
function attributesCard(ctx, report, attributes, width) {
  const { locale, currency, settings, setSettings } = ctx;
  const { t, formatInteger, formatMoney, formatPercent } = locale;
  const list = attributes.status === 'done' ? attributes.value ?? [] : [];
  const compare = report.compare;
  if (!list.length || !compare?.values?.length) return null;
  const attribute = list.find((a) => a.key === compare.by) ?? { key: compare.by, column: compare.by, role: null };
  const top = Number(settings.top) || OVERVIEW_DEFAULTS.top;
  const rows = compare.values;
  const widest = Math.max(...rows.map((row) => Math.abs(row.revenue)), 1e-9);
  const label = (row) => valueName(locale, row.other ? null : row.value);
  const colors = Object.fromEntries(rows.map((row, i) => [label(row), row.other ? '#9aa3a8' : SERIES_COLORS[i % SERIES_COLORS.length]]));
  const name = (start) => periodName(locale, report.period, start);
  const bars = report.periods.flatMap((period, k) => rows.map((row) => ({
    period: period.start,
    group: label(row),
    value: row.periodRevenue?.[k] ?? 0,
    title: t('overview.bar', { period: name(period.start), group: label(row), value: formatMoney(row.periodRevenue?.[k] ?? 0, currency) }),
  })));
  return card(locale, 'overview-attributes', t('overview.attributes.heading'), t('overview.attributes.caption'),
    h('div', { class: 'controls-inline' },
      selectField('overview-compare-by', t('compare.by'), attribute.key, list.map((a) => [a.key, attributeName(locale, a)]), (compareBy) => setSettings({ compareBy })),
      selectField('overview-top', t('compare.top'), top, TOP_CHOICES.map((n) => [n, String(n)]), (value) => setSettings({ top: Number(value) })),
    ),
    h('div', { class: 'table-scroll full', tabindex: 0, role: 'region', 'aria-labelledby': 'overview-attributes-heading' },
      h('table', { class: 'data-table value-table', id: 'overview-attributes-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, attributeName(locale, attribute)),
          h('th', { scope: 'col', class: 'num' }, t('overview.attributes.revenue')),
          h('th', { scope: 'col', class: 'num' }, t('overview.attributes.share')),
          h('th', { scope: 'col', class: 'num' }, t('overview.attributes.orders')),
          h('th', { scope: 'col', class: 'num' }, t('overview.attributes.customers')),
        )),
        h('tbody', {}, rows.map((row) => h('tr', { dataset: { other: row.other ? 'true' : null } },
          h('th', { scope: 'row' },
            h('span', { class: 'value-name' }, label(row)),
            h('span', { class: 'value-bar', 'aria-hidden': 'true', vars: { '--share': `${Math.max(0, (row.revenue / widest) * 100).toFixed(1)}%` } })),
          h('td', { class: 'num' }, formatMoney(row.revenue, currency)),
          h('td', { class: 'num' }, row.revenueShare === null || row.revenueShare === undefined ? '–' : formatPercent(row.revenueShare)),
          h('td', { class: 'num' }, formatInteger(row.orders)),
          h('td', { class: 'num' }, formatInteger(row.customers)),
        ))),
      ),
    ),
    h('h3', { class: 'card-subheading' }, t('overview.attributes.perPeriod')),
    h('div', { class: 'legend swatches' }, Object.entries(colors).map(([value, color]) => h('span', {}, swatch(color), value))),
    h('div', { class: 'chart' }, deferred(() => stackedBars(bars, {
      periods: report.periods.map((period) => period.start),
      colors,
      width,
      yLabel: t('overview.revenue.y'),
      yFormat: (value) => formatMoney(value, currency, { compact: true }),
      xFormat: name,
      ariaLabel: t('overview.attributes.perPeriod'),
    }), { height: 280 })),
    tableAlternative(t('chart.table'), 'overview-attributes-periods-table', [t('overview.periodColumn'), ...rows.map(label)],
      report.periods.map((period, k) => [name(period.start), ...rows.map((row) => formatMoney(row.periodRevenue?.[k] ?? 0, currency))])),
  );
}

/** The summary card: the loaded data's, or under a filter the filtered book's. */
function summaryOf(ctx) {
  if (!ctx.filtered) return { status: 'done', value: ctx.summary };
  return ctx.analyses.get('summary');
}

export function renderOverview(ctx) {
  const { locale, width, isPhone, settings, currency } = ctx;
  const { t } = locale;
  const head = h('div', { class: 'view-head' },
    h('h2', { class: 'view-title', id: 'view-heading', tabindex: -1 }, t('overview.heading')),
    h('p', { class: 'muted' }, t('overview.intro')),
  );
  const summary = summaryOf(ctx);
  // The attributes first: the overview ranks the values of one of them (none while they load).
  const attributes = ctx.analyses.get('attributes');
  const entry = attributes.status === 'pending' ? attributes : ctx.analyses.get('overview', engineOptions(settings, comparedAttribute(settings, attributes)));
  const chartWidth = innerWidth(width, isPhone);
  // Two line charts side by side where `.chart-columns` lays them so.
  const halfWidth = width >= 860 ? innerWidth((width - 20) / 2, isPhone) : chartWidth;
  let body;
  if (entry.status === 'pending') body = loadingCard(t('overview.loading'));
  else if (entry.status === 'error') body = errorCard(locale, entry.error);
  else {
    const report = entry.value;
    body = [
      kpiCards(ctx, report),
      report.lastPeriodIncomplete ? h('p', { class: 'muted note', id: 'overview-incomplete' }, t('overview.incomplete', { period: periodName(locale, report.period, report.periods.at(-1).start) })) : null,
      newReturningCard(ctx, report, 'customers', chartWidth),
      newReturningCard(ctx, report, 'revenue', chartWidth),
      h('div', { class: 'chart-columns even' }, SERIES.map((key) => metricCard(ctx, report, key, halfWidth))),
      attributesCard(ctx, report, attributes, chartWidth),
    ];
  }
  return h('div', { class: 'view overview' },
    head,
    acquisitionNote(ctx),
    summary.status === 'done' ? summaryCard(locale, summary.value, currency) : summary.status === 'error' ? errorCard(locale, summary.error) : loadingCard(t('overview.loading')),
    controls(ctx),
    body,
  );
}
