// The Cohorts view: the cohort triangle (customers/retention, revenue, orders…) with a period
// switch, the average retention curve, cumulative revenue per customer, growth accounting and
// the retention/churn rate series: per customer (retained and lost out of S), with the published
// net formulas beside them and S, E, N shown so the arithmetic can be checked.
import { cohortHeatmap } from '../charts/cohortHeatmap.js';
import { GROWTH_COLORS, growthBars } from '../charts/growthBars.js';
import { everyNth, lineChart } from '../charts/lineChart.js';
import { deferred, h } from '../dom.js';
import { card, errorCard, innerWidth, kpi, loadingCard, selectField, swatch, tableAlternative } from './common.js';
import { COHORT_DEFAULTS, PERIODS } from './defaults.js';
import { acquisitionNote, compareFields, compareOptions, retentionCompareCard } from './compare.js';

const METRICS = ['customers', 'revenue', 'revenuePerCustomer', 'cumulative', 'orders'];
// 'auto': the store's typical repeat gap (the engine's default); or a fixed number of days.
const WINDOWS = ['auto', '30', '60', '90', '180', '365', '730'];
const GROWTH_COMPONENTS = ['new', 'retained', 'resurrected', 'churned'];
const RATE_COLORS = { retention: 'var(--cl-accent)', churn: '#b33a3a' };

/** A period label as people read it: months through Intl, weeks and quarters as they are. */
function periodLabel({ formatMonth }, period, label, start) {
  return period === 'month' ? formatMonth(start) : label;
}

function unit({ t }, period) {
  return t(`cohorts.unit.${period}`);
}

function units({ t }, period) {
  return t(`cohorts.units.${period}`);
}

function controls(ctx) {
  const { settings, setSettings } = ctx;
  const { t } = ctx.locale;
  return h('form', { class: 'card controls', id: 'cohort-controls', onsubmit: (event) => event.preventDefault() },
    h('fieldset', { class: 'segmented', id: 'cohort-period' },
      h('legend', { class: 'field-label' }, t('cohorts.period')),
      PERIODS.map((period) => h('label', { class: period === settings.period ? 'segment-option checked' : 'segment-option' },
        h('input', { type: 'radio', name: 'cohort-period', value: period, checked: period === settings.period, onchange: () => setSettings({ period }) }),
        t(`cohorts.period.${period}`),
      )),
    ),
    selectField('cohort-metric', t('cohorts.metric'), settings.metric, METRICS.map((metric) => [metric, t(`cohorts.metric.${metric}`)]), (metric) => setSettings({ metric })),
    selectField('cohort-window', t('cohorts.rates.window'), windowChoice(settings), WINDOWS.map((days) => [days, days === 'auto' ? t('cohorts.rates.window.auto') : t('cohorts.rates.days', { days })]), (window) => setSettings({ window })),
    compareFields(ctx, 'cohort', { firstPurchase: true }),
  );
}

/** The window setting as one of WINDOWS ('auto' for anything else). */
function windowChoice(settings) {
  const value = String(settings.window);
  return WINDOWS.includes(value) ? value : COHORT_DEFAULTS.window;
}

/** The retentionRates options: no activeWindowDays lets the engine use the store's typical gap. */
function rateOptions(period, settings) {
  const window = windowChoice(settings);
  return window === 'auto' ? { period } : { period, activeWindowDays: Number(window) };
}

/** One sentence saying what "active" means here and why. */
function activeWindowText({ t, formatInteger, formatNumber }, rates) {
  const days = formatInteger(rates.activeWindowDays);
  if (rates.activeWindowSource === 'storeGap') return t('cohorts.rates.active.storeGap', { days });
  if (rates.activeWindowSource === 'minimum') {
    return rates.storeGapDays == null
      ? t('cohorts.rates.active.minimumNoGap', { days })
      : t('cohorts.rates.active.minimum', { days, gap: formatNumber(rates.storeGapDays, 1) });
  }
  return t('cohorts.rates.active.chosen', { days });
}

/** The cell value, label and description of one cohort × period for the chosen metric. */
function cellOf({ formatInteger, formatMoney, formatPercent }, metric, cohort, k, currency) {
  switch (metric) {
    case 'revenue':
      return { value: cohort.revenue[k], label: formatMoney(cohort.revenue[k], currency, { compact: true }), text: formatMoney(cohort.revenue[k], currency) };
    case 'revenuePerCustomer':
      return { value: cohort.revenuePerCustomer[k], label: formatMoney(cohort.revenuePerCustomer[k], currency, { compact: true }), text: formatMoney(cohort.revenuePerCustomer[k], currency) };
    case 'cumulative':
      return { value: cohort.cumulativeRevenuePerCustomer[k], label: formatMoney(cohort.cumulativeRevenuePerCustomer[k], currency, { compact: true }), text: formatMoney(cohort.cumulativeRevenuePerCustomer[k], currency) };
    case 'orders':
      return { value: cohort.orders[k], label: formatInteger(cohort.orders[k]), text: formatInteger(cohort.orders[k]) };
    default:
      return { value: cohort.retention[k], label: formatPercent(cohort.retention[k], 0), text: formatPercent(cohort.retention[k]) };
  }
}

function triangleCard(ctx, table, width) {
  const { settings, currency, locale } = ctx;
  const { t, formatDate, formatInteger } = locale;
  const { period } = table;
  const metric = METRICS.includes(settings.metric) ? settings.metric : COHORT_DEFAULTS.metric;
  const rows = table.cohorts.map((cohort) => cohort.label);
  const sizes = new Map(table.cohorts.map((cohort) => [cohort.label, cohort]));
  const periods = Math.max(...table.cohorts.map((cohort) => cohort.customers.length));
  const cells = [];
  for (const cohort of table.cohorts) {
    const name = periodLabel(locale, period, cohort.label, cohort.start);
    for (let k = 0; k < cohort.customers.length; k++) {
      const cell = cellOf(locale, metric, cohort, k, currency);
      const incomplete = table.lastPeriodIncomplete && k === cohort.customers.length - 1;
      const title = metric === 'customers'
        ? t('cohorts.triangle.cellRetention', { cohort: name, unit: unit(locale, period), k, customers: cohort.customers[k], size: cohort.size, retention: cell.text })
        : t('cohorts.triangle.cell', { cohort: name, unit: unit(locale, period), k, value: cell.text });
      cells.push({ row: cohort.label, k, value: cell.value, label: cell.label, title, incomplete });
    }
  }
  const rowLabel = (label) => {
    const cohort = sizes.get(label);
    return `${periodLabel(locale, period, label, cohort.start)} · ${formatInteger(cohort.size)}`;
  };
  return card(locale, 'cohort-triangle', t('cohorts.triangle.heading'), t('cohorts.triangle.caption', { unit: unit(locale, period) }),
    table.lastPeriodIncomplete ? h('p', { class: 'muted caption' }, t('cohorts.triangle.incomplete', { unit: unit(locale, period), date: formatDate(table.lastDate) })) : null,
    h('div', { class: 'chart' }, deferred(() => cohortHeatmap(cells, {
      rows,
      periods,
      width,
      xLabel: t(`cohorts.axis.${period}`),
      rowLabel,
      marginLeft: period === 'week' ? 118 : 112,
      ariaLabel: t('cohorts.triangle.heading'),
    }), { height: 400 })),
    tableAlternative(t('chart.table'), 'cohort-triangle-table',
      [t('cohorts.triangle.cohort'), t('cohorts.triangle.size'), ...Array.from({ length: periods }, (_, k) => String(k))],
      table.cohorts.map((cohort) => [
        periodLabel(locale, period, cohort.label, cohort.start),
        formatInteger(cohort.size),
        ...Array.from({ length: periods }, (_, k) => (k < cohort.customers.length ? cellOf(locale, metric, cohort, k, currency).text : '')),
      ])),
  );
}

function averageCard(locale, table, width) {
  const { t, formatInteger, formatPercent } = locale;
  const { period } = table;
  const points = table.averageRetention.map((retention, k) => ({
    x: k,
    y: retention,
    title: t('cohorts.average.point', { unit: unit(locale, period), k, retention: formatPercent(retention), cohorts: table.averageRetentionCohorts[k], customers: table.averageRetentionCustomers[k] }),
  })).filter((point) => point.x > 0);
  return card(locale, 'cohort-average', t('cohorts.average.heading'), t('cohorts.average.caption', { unitPlural: units(locale, period) }),
    points.length
      ? h('div', { class: 'chart' }, deferred(() => lineChart(points, {
        width,
        xLabel: t(`cohorts.axis.${period}`),
        yLabel: t('cohorts.average.y'),
        yFormat: (value) => formatPercent(value, 0),
        yDomain: [0, Math.min(1, Math.max(0.1, ...points.map((point) => point.y)) * 1.15)],
        ariaLabel: t('cohorts.average.heading'),
      }), { height: 260 }))
      : null,
    tableAlternative(t('chart.table'), 'cohort-average-table',
      [t(`cohorts.axis.${period}`).replace(/ →$/, ''), t('cohorts.average.y').replace(/^↑ /, ''), t('cohorts.triangle.cohort'), t('cohorts.triangle.size')],
      table.averageRetention.map((retention, k) => [String(k), formatPercent(retention), formatInteger(table.averageRetentionCohorts[k]), formatInteger(table.averageRetentionCustomers[k])])),
  );
}

function cumulativeCard(ctx, table, width) {
  const { currency, locale } = ctx;
  const { t, formatMoney } = locale;
  const { period } = table;
  const cohorts = table.cohorts;
  const points = [];
  cohorts.forEach((cohort, index) => {
    const name = periodLabel(locale, period, cohort.label, cohort.start);
    const complete = table.lastPeriodIncomplete ? cohort.cumulativeRevenuePerCustomer.length - 1 : cohort.cumulativeRevenuePerCustomer.length;
    for (let k = 0; k < complete; k++) {
      const value = cohort.cumulativeRevenuePerCustomer[k];
      points.push({ x: k, y: value, series: name, title: `${name} · ${unit(locale, period)} ${k}: ${formatMoney(value, currency)}`, age: index });
    }
  });
  const names = cohorts.map((cohort) => periodLabel(locale, period, cohort.label, cohort.start));
  // Older cohorts darker: the eye follows how each generation of customers pays back.
  const colors = Object.fromEntries(names.map((name, i) => [name, `color-mix(in srgb, var(--cl-accent) ${Math.round(100 - (70 * i) / Math.max(1, names.length - 1))}%, var(--cl-surface))`]));
  return card(locale, 'cohort-cumulative', t('cohorts.cumulative.heading'), t('cohorts.cumulative.caption', { unit: unit(locale, period) }),
    h('div', { class: 'chart' }, deferred(() => lineChart(points, {
      width,
      xLabel: t(`cohorts.axis.${period}`),
      yLabel: t('cohorts.cumulative.y'),
      yFormat: (value) => formatMoney(value, currency, { compact: true }),
      dots: names.length <= 16,
      colors,
      ariaLabel: t('cohorts.cumulative.heading'),
    }), { height: 260 })),
    tableAlternative(t('chart.table'), 'cohort-cumulative-table',
      [t('cohorts.triangle.cohort'), ...Array.from({ length: Math.max(0, ...cohorts.map((cohort) => cohort.cumulativeRevenuePerCustomer.length)) }, (_, k) => String(k))],
      cohorts.map((cohort, index) => [names[index], ...cohort.cumulativeRevenuePerCustomer.map((value) => formatMoney(value, currency))])),
  );
}

function growthCard(ctx, growth, width) {
  const { settings, setSettings, currency, locale } = ctx;
  const { t, formatInteger, formatMoney, formatNumber } = locale;
  const { period } = growth;
  const byRevenue = settings.growth === 'revenue';
  const field = (component) => (byRevenue ? `${component}Revenue` : component);
  const format = (value) => (byRevenue ? formatMoney(value, currency, { compact: true }) : formatInteger(value));
  const periods = growth.periods.map((p) => p.label);
  const labelOf = new Map(growth.periods.map((p) => [p.label, periodLabel(locale, period, p.label, p.start) + (p.incomplete ? ' *' : '')]));
  const incomplete = growth.periods.find((p) => p.incomplete);
  const bars = [];
  for (const p of growth.periods) {
    for (const component of GROWTH_COMPONENTS) {
      const value = p[field(component)] ?? 0;
      bars.push({ period: p.label, component, value, title: `${labelOf.get(p.label)} · ${t(`cohorts.growth.${component}`)}: ${format(value)}` });
    }
  }
  return card(locale, 'cohort-growth', t('cohorts.growth.heading'), t('cohorts.growth.caption', { unit: unit(locale, period) }),
    incomplete ? h('p', { class: 'muted caption' }, t('cohorts.growth.incomplete', { period: periodLabel(locale, period, incomplete.label, incomplete.start), unit: unit(locale, period) })) : null,
    h('div', { class: 'chart-toolbar' },
      h('div', { class: 'legend swatches', role: 'list' }, GROWTH_COMPONENTS.map((component) => h('span', { role: 'listitem' }, swatch(GROWTH_COLORS[component]), t(`cohorts.growth.${component}`)))),
      h('div', { class: 'segmented small', role: 'group', 'aria-label': t('cohorts.metric') },
        ['customers', 'revenue'].map((metric) => h('button', {
          type: 'button',
          class: (settings.growth === metric) ? 'segment-option checked' : 'segment-option',
          'aria-pressed': settings.growth === metric ? 'true' : 'false',
          id: `growth-${metric}`,
          onclick: () => setSettings({ growth: metric }),
        }, t(`cohorts.growth.metric.${metric}`)))),
    ),
    h('div', { class: 'chart' }, deferred(() => growthBars(bars, {
      periods,
      width,
      yLabel: byRevenue ? `↑ ${t('cohorts.growth.metric.revenue')}` : `↑ ${t('cohorts.growth.metric.customers')}`,
      yFormat: format,
      xFormat: (label) => labelOf.get(label) ?? label,
      ariaLabel: t('cohorts.growth.heading'),
    }), { height: 300 })),
    tableAlternative(t('chart.table'), 'cohort-growth-table',
      [t('cohorts.growth.period'), ...GROWTH_COMPONENTS.map((c) => t(`cohorts.growth.${c}`)), t('cohorts.growth.active'), t('cohorts.growth.quickRatio')],
      growth.periods.map((p) => [
        labelOf.get(p.label),
        ...GROWTH_COMPONENTS.map((c) => format(p[field(c)] ?? 0)),
        byRevenue ? format(p.revenue) : formatInteger(p.active),
        (byRevenue ? p.revenueQuickRatio : p.quickRatio) === null ? '–' : formatNumber(byRevenue ? p.revenueQuickRatio : p.quickRatio, 2),
      ])),
  );
}

function ratesCard(ctx, rates, width) {
  const { locale } = ctx;
  const { t, formatInteger, formatMonth, formatPercent } = locale;
  const { period } = rates;
  const percent = (value) => (value === null || value === undefined ? '–' : formatPercent(value));
  const points = [];
  for (const p of rates.periods) {
    if (p.retentionRate === null || p.incomplete) continue;
    const name = periodLabel(locale, period, p.label, p.start);
    for (const [key, rate, customers] of [['retention', p.retentionRate, p.retained], ['churn', p.churnRate, p.lost]]) {
      const series = t(`cohorts.rates.${key}`);
      points.push({ x: new Date(`${p.start}T00:00:00Z`), y: rate, series, title: `${name} · ${series}: ${percent(rate)} (${formatInteger(customers)} / ${formatInteger(p.activeAtStart)})` });
    }
  }
  const columns = [
    ['start', (p) => formatInteger(p.activeAtStart)],
    ['retained', (p) => formatInteger(p.retained)],
    ['lost', (p) => formatInteger(p.lost)],
    ['reactivated', (p) => formatInteger(p.reactivated)],
    ['acquired', (p) => formatInteger(p.acquired)],
    ['end', (p) => formatInteger(p.activeAtEnd)],
    ['retention', (p) => percent(p.retentionRate)],
    ['churn', (p) => percent(p.churnRate)],
    ['netRetention', (p) => percent(p.netRetentionRate)],
    ['netChurn', (p) => percent(p.netChurnRate)],
  ];
  return card(locale, 'cohort-rates', t('cohorts.rates.heading'), t('cohorts.rates.caption', { unit: unit(locale, period) }),
    h('p', { class: 'caption', id: 'cohort-rates-window' }, activeWindowText(locale, rates)),
    h('p', { class: 'muted caption', id: 'cohort-rates-net' }, t('cohorts.rates.net')),
    points.length ? h('div', { class: 'legend swatches', role: 'list' }, Object.entries(RATE_COLORS).map(([key, color]) => h('span', { role: 'listitem' }, swatch(color), t(`cohorts.rates.${key}`)))) : null,
    points.length
      ? h('div', { class: 'chart' }, deferred(() => lineChart(points, {
        width,
        yLabel: t('cohorts.rates.y'),
        yFormat: (value) => formatPercent(value, 0),
        xFormat: (date) => formatMonth(date.toISOString().slice(0, 10)),
        // Labelled by month: monthly periods get a tick each (the scale's own fall between a few
        // months and repeat a label); weeks and quarters keep the scale's month ticks.
        xTicks: period === 'month' ? everyNth([...new Set(points.map((point) => point.x.getTime()))].map((time) => new Date(time)), width) : undefined,
        colors: Object.fromEntries(Object.entries(RATE_COLORS).map(([key, color]) => [t(`cohorts.rates.${key}`), color])),
        yDomain: [0, 1],
        ariaLabel: t('cohorts.rates.heading'),
      }), { height: 260 }))
      : null,
    h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'cohort-rates-heading' },
      h('table', { class: 'data-table compact rates-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('cohorts.rates.period')),
          columns.map(([key]) => h('th', { scope: 'col', class: 'num', dataset: { column: key } }, t(`cohorts.rates.${key}`))),
        )),
        h('tbody', {}, rates.periods.map((p) => h('tr', { class: p.incomplete ? 'incomplete' : null },
          h('th', { scope: 'row' }, periodLabel(locale, period, p.label, p.start), p.incomplete ? h('small', {}, t('cohorts.rates.incomplete')) : null),
          columns.map(([key, value]) => h('td', { class: 'num', dataset: { column: key } }, value(p))),
        ))),
      ),
    ),
  );
}

function kpis(locale, table, growth, rates) {
  const { t, formatInteger, formatNumber, formatPercent } = locale;
  const { period } = table;
  const customers = table.cohorts.reduce((sum, cohort) => sum + cohort.size, 0);
  const lastComplete = (periods) => [...periods].reverse().find((p) => !p.incomplete);
  const growthPeriod = lastComplete(growth.periods);
  const ratePeriod = lastComplete(rates.periods);
  return h('div', { class: 'kpis' },
    kpi('cohorts', t('cohorts.kpi.cohorts'), formatInteger(table.cohorts.length), t('cohorts.kpi.cohortsDetail', { customers })),
    kpi('second', t('cohorts.kpi.second', { unit: unit(locale, period) }), table.averageRetention.length > 1 ? formatPercent(table.averageRetention[1]) : '–', t('cohorts.kpi.secondDetail')),
    kpi('quick', t('cohorts.kpi.quick', { unit: unit(locale, period) }), growthPeriod?.quickRatio == null ? '–' : formatNumber(growthPeriod.quickRatio, 2), t('cohorts.kpi.quickDetail')),
    kpi('churn', t('cohorts.kpi.churn', { unit: unit(locale, period) }), ratePeriod?.churnRate == null ? '–' : formatPercent(ratePeriod.churnRate), t('cohorts.kpi.churnDetail', { days: rates.activeWindowDays })),
  );
}

export function renderCohorts(ctx) {
  const { settings, width, isPhone, locale } = ctx;
  const { t } = locale;
  const period = PERIODS.includes(settings.period) ? settings.period : COHORT_DEFAULTS.period;
  const entries = [
    ctx.analyses.get('cohorts', { period, ...compareOptions(settings, COHORT_DEFAULTS, ctx) }),
    ctx.analyses.get('growthAccounting', { period }),
    ctx.analyses.get('retentionRates', rateOptions(period, settings)),
  ];
  const head = h('div', { class: 'view-head' },
    h('h2', { class: 'view-title', id: 'view-heading', tabindex: -1 }, t('cohorts.heading')),
    h('p', { class: 'muted' }, t('cohorts.intro', { period: unit(locale, period) })),
  );
  const note = acquisitionNote(ctx);
  const failed = entries.find((entry) => entry.status === 'error');
  if (failed) return h('div', { class: 'view cohorts' }, head, controls(ctx), errorCard(locale, failed.error));
  if (entries.some((entry) => entry.status === 'pending')) return h('div', { class: 'view cohorts' }, head, controls(ctx), loadingCard(t('cohorts.loading')));
  const [table, growth, rates] = entries.map((entry) => entry.value);
  if (table.cohorts.length === 0) return h('div', { class: 'view cohorts' }, head, controls(ctx), h('div', { class: 'card' }, h('p', {}, t('cohorts.none'))));
  const full = innerWidth(width, isPhone);
  const half = innerWidth(width >= 860 ? (width - 20) / 2 : width, isPhone);
  return h('div', { class: 'view cohorts' },
    head,
    note,
    controls(ctx),
    kpis(locale, table, growth, rates),
    triangleCard(ctx, table, full),
    retentionCompareCard(ctx, table.compare, { period, width: full, axis: t(`cohorts.axis.${period}`), unitName: unit(locale, period) }),
    h('div', { class: 'chart-columns even' }, averageCard(locale, table, half), cumulativeCard(ctx, table, half)),
    growthCard(ctx, growth, full),
    ratesCard(ctx, rates, full),
  );
}
