// The Lifecycle view: customers by stage today (each stage exportable), stage counts over time,
// how customers moved between two dates, and the time to a second purchase (a Kaplan–Meier
// estimate that counts the customers still waiting, beside the observed waits of those who came
// back).
import { bucketBars } from '../charts/histogram.js';
import { STAGE_COLORS, stageArea } from '../charts/stageArea.js';
import { transitionMatrix } from '../charts/transitionMatrix.js';
import { deferred, h } from '../dom.js';
import { card, dateField, errorCard, exportToFile, innerWidth, kpi, loadingCard, selectField, swatch, tableAlternative } from './common.js';
import { LIFECYCLE_DEFAULTS, PERIODS } from './defaults.js';
import { acquisitionNote } from './compare.js';

const AT_RISK = [1.5, 2, 3];
const LAPSED = [3, 4, 6];

/** The engine options for the settings; those at their defaults are left to the engine (tests/api/defaults.test.mjs). */
export function engineOptions(settings) {
  const options = {};
  if (settings.asOf) options.asOf = settings.asOf;
  if (settings.compareWith) options.compareWith = settings.compareWith;
  if (settings.period && settings.period !== LIFECYCLE_DEFAULTS.period) options.period = settings.period;
  if (Number(settings.atRisk) && Number(settings.atRisk) !== LIFECYCLE_DEFAULTS.atRisk) options.atRiskMultiplier = Number(settings.atRisk);
  if (Number(settings.lapsed) && Number(settings.lapsed) !== LIFECYCLE_DEFAULTS.lapsed) options.lapsedMultiplier = Number(settings.lapsed);
  return options;
}

function stageLabel({ t }, stage) {
  return t(`stage.${stage}`);
}

function controls(ctx, report) {
  const { settings, setSettings, summary } = ctx;
  const { t, formatNumber } = ctx.locale;
  const bounds = { min: summary.firstDate ?? null, max: summary.lastDate ?? null };
  return h('form', { class: 'card controls', id: 'lifecycle-controls', onsubmit: (event) => event.preventDefault() },
    dateField('lifecycle-as-of', t('lifecycle.asOf'), settings.asOf || report?.asOf || summary.lastDate || '', bounds, (asOf) => setSettings({ asOf: asOf === summary.lastDate ? '' : asOf })),
    dateField('lifecycle-compare', t('lifecycle.compareWith'), settings.compareWith || report?.transitions?.from || '', bounds, (compareWith) => setSettings({ compareWith })),
    selectField('lifecycle-at-risk', t('lifecycle.atRisk'), settings.atRisk, AT_RISK.map((n) => [n, t('lifecycle.multiplier', { n: formatNumber(n, 1) })]), (atRisk) => setSettings({ atRisk: Number(atRisk) })),
    selectField('lifecycle-lapsed', t('lifecycle.lapsed'), settings.lapsed, LAPSED.map((n) => [n, t('lifecycle.multiplier', { n: formatNumber(n, 1) })]), (lapsed) => setSettings({ lapsed: Number(lapsed) })),
    selectField('lifecycle-period', t('lifecycle.seriesPeriod'), settings.period, PERIODS.map((period) => [period, t(`cohorts.period.${period}`)]), (period) => setSettings({ period })),
  );
}

function stagesCard(ctx, report, options) {
  const { locale } = ctx;
  const { t, formatInteger, formatNumber, formatPercent } = locale;
  const status = h('p', { class: 'muted list-status', role: 'status', id: 'lifecycle-status' });
  const { rules } = report;
  const exportStage = (stage, button) => {
    const file = `lifecycle-${stage.replace('_', '-')}-${report.asOf}.csv`;
    return exportToFile({ button, status, file, content: () => ctx.analyses.run('lifecycleCsv', { ...options, stage }), saved: t('lifecycle.stages.saved', { file }) });
  };
  return h('section', { class: 'card', id: 'lifecycle-stages', 'aria-labelledby': 'lifecycle-stages-heading' },
    h('h2', { id: 'lifecycle-stages-heading' }, t('lifecycle.stages.heading')),
    h('div', { class: 'stage-tiles' }, report.stages.map((stage, i) => {
      const n = report.counts[i];
      const dot = swatch(STAGE_COLORS[stage] ?? 'var(--cl-muted)');
      return h('div', { class: 'stage-tile', dataset: { stage } },
        h('span', { class: 'kpi-label' }, dot, ' ', stageLabel(locale, stage)),
        h('span', { class: 'kpi-value' }, formatInteger(n)),
        h('span', { class: 'kpi-detail' }, t('lifecycle.stages.share', { share: formatPercent(report.customers ? n / report.customers : 0) })),
        h('span', { class: 'stage-rule' }, t(`stage.${stage}.rule`, { atRisk: formatNumber(rules.atRiskMultiplier, 1), lapsed: formatNumber(rules.lapsedMultiplier, 1) })),
        h('button', {
          type: 'button',
          class: 'button small-button',
          id: `lifecycle-export-${stage}`,
          disabled: n === 0,
          'aria-label': t('lifecycle.stages.exportLabel', { stage: stageLabel(locale, stage) }),
          onclick: (event) => exportStage(stage, event.currentTarget),
        }, t('lifecycle.stages.export')),
      );
    })),
    status,
  );
}

function seriesCard(locale, report, width) {
  const { t, formatDate, formatInteger, formatMonth } = locale;
  const stages = report.stages;
  const points = report.series.flatMap((point) => stages.map((stage, i) => ({
    date: new Date(`${point.date}T00:00:00Z`),
    stage,
    n: point.counts[i],
    title: t('lifecycle.series.point', { date: formatDate(point.date), stage: stageLabel(locale, stage), n: formatInteger(point.counts[i]) }),
  })));
  return card(locale, 'lifecycle-series', t('lifecycle.series.heading'), t('lifecycle.series.caption', { unit: t(`cohorts.unit.${report.seriesPeriod}`) }),
    h('div', { class: 'legend swatches' }, stages.map((stage) => h('span', {}, swatch(STAGE_COLORS[stage]), stageLabel(locale, stage)))),
    h('div', { class: 'chart' }, deferred(() => stageArea(points, {
      stages,
      width,
      yLabel: t('lifecycle.series.y'),
      xFormat: (date) => formatMonth(date.toISOString().slice(0, 10)),
      ariaLabel: t('lifecycle.series.heading'),
    }), { height: 300 })),
    tableAlternative(t('chart.table'), 'lifecycle-series-table',
      [t('lifecycle.series.date'), ...stages.map((stage) => stageLabel(locale, stage))],
      report.series.map((point) => [formatDate(point.date), ...point.counts.map((n) => formatInteger(n))])),
  );
}

function transitionsCard(locale, report) {
  const { t, formatDate, formatInteger } = locale;
  const { transitions } = report;
  if (!transitions) return null;
  return card(locale, 'lifecycle-transitions', t('lifecycle.transitions.heading'), t('lifecycle.transitions.caption', { from: formatDate(transitions.from), to: formatDate(transitions.to) }),
    h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'lifecycle-transitions-heading' },
      transitionMatrix(transitions, {
        label: (stage) => stageLabel(locale, stage),
        format: formatInteger,
        rowHeader: t('lifecycle.transitions.from', { date: formatDate(transitions.from) }),
        columnHeader: t('lifecycle.transitions.to', { date: formatDate(transitions.to) }),
        cellTitle: (n, from, to) => t('lifecycle.transitions.cell', { n: formatInteger(n), from: stageLabel(locale, from), to: stageLabel(locale, to) }),
      })),
  );
}

function secondPurchaseCard(locale, report, width) {
  const { t, formatInteger, formatNumber, formatPercent } = locale;
  const second = report.timeToSecondPurchase;
  if (!second) return null;
  const km = second.kaplanMeier;
  const buckets = second.bins.map((bin) => {
    const label = bin.toDays === null ? t('lifecycle.second.binOpen', { from: bin.fromDays }) : t('lifecycle.second.bin', { from: bin.fromDays, to: bin.toDays });
    return { label, count: bin.customers, title: t('lifecycle.second.bar', { label, n: formatInteger(bin.customers) }) };
  });
  const sofar = { repeat: formatInteger(second.repeatCustomers), customers: formatInteger(second.customers), rate: formatPercent(report.repeatPurchaseRate ?? 0) };
  let caption = t('lifecycle.second.captionNone');
  if (second.repeatCustomers && km.medianDays !== null) caption = t('lifecycle.second.caption', { ...sofar, median: formatInteger(km.medianDays) });
  else if (second.repeatCustomers) caption = t('lifecycle.second.captionNoMedian', { ...sofar, followUp: formatInteger(km.followUpDays ?? 0) });
  // The estimated share back within 30 … 365 days; '–' past the longest wait the data has seen.
  const within = second.repeatCustomers
    ? h('div', { class: 'kpis five', id: 'lifecycle-second-within' }, km.within.map(({ days, share }) => kpi(
      `within-${days}`,
      t('lifecycle.second.within', { days }),
      share === null ? '–' : formatPercent(share),
      share === null ? t('lifecycle.second.withinBeyond', { followUp: formatInteger(km.followUpDays ?? 0) }) : t('lifecycle.second.withinDetail'),
    )))
    : null;
  return card(locale, 'lifecycle-second', t('lifecycle.second.heading'), caption,
    within,
    second.repeatCustomers ? h('p', { class: 'muted caption', id: 'lifecycle-second-observed' }, t('lifecycle.second.observed', { repeat: formatInteger(second.repeatCustomers), median: formatNumber(second.medianDays ?? 0, 0) })) : null,
    second.repeatCustomers ? h('div', { class: 'chart' }, deferred(() => bucketBars(buckets, { width, xLabel: t('lifecycle.second.x'), yLabel: t('lifecycle.second.y'), ariaLabel: t('lifecycle.second.heading') }), { height: 240 })) : null,
    second.repeatCustomers ? tableAlternative(t('chart.table'), 'lifecycle-second-table', [t('lifecycle.second.x').replace(/ →$/, ''), t('lifecycle.second.y').replace(/^↑ /, '')], buckets.map((bucket) => [bucket.label, formatInteger(bucket.count)])) : null);
}

export function renderLifecycle(ctx) {
  const { settings, width, isPhone, locale } = ctx;
  const { t, formatDate, formatNumber } = locale;
  const options = engineOptions(settings);
  const entry = ctx.analyses.get('lifecycle', options);
  const head = (report) => h('div', { class: 'view-head' },
    h('h2', { class: 'view-title', id: 'view-heading', tabindex: -1 }, t('lifecycle.heading')),
    report ? h('p', { class: 'muted' }, t('lifecycle.intro', { date: formatDate(report.asOf), gap: formatNumber(report.storeGapDays, 0) })) : null,
  );
  if (entry.status === 'pending') return h('div', { class: 'view lifecycle' }, head(null), controls(ctx, null), loadingCard(t('lifecycle.loading')));
  if (entry.status === 'error') return h('div', { class: 'view lifecycle' }, head(null), controls(ctx, null), errorCard(locale, entry.error));
  const report = entry.value;
  return h('div', { class: 'view lifecycle' },
    head(report),
    acquisitionNote(ctx),
    controls(ctx, report),
    stagesCard(ctx, report, options),
    seriesCard(locale, report, innerWidth(width, isPhone)),
    transitionsCard(locale, report),
    secondPurchaseCard(locale, report, Math.min(innerWidth(width, isPhone), 760)),
  );
}
