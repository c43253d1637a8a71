// "Compare by": the controls the RFM, Cohorts and Lifetime value views share (an attribute of the
// book, how many of its values before the rest fold into "Other"), the engine options they give,
// and the card each view draws from its result's `compare` part: the segment mix per value
// (RFM), retention curves per value of the first purchase (Cohorts), repeat rate and lifetime
// value per value of the first purchase (CLV).
import { everyNth, lineChart } from '../charts/lineChart.js';
import { teal, inkOn } from '../charts/plot.js';
import { deferred, h } from '../dom.js';
import { card, selectField, swatch, tableAlternative } from './common.js';
import { TOP_CHOICES } from './defaults.js';
import { attributeName } from './filterModel.js';
import { valueName } from './overviewModel.js';

/** Colours of the compared values in their order; "Other" is grey. */
export const SERIES_COLORS = ['#0f5f66', '#d08a3c', '#5b6fb5', '#b33a3a', '#5fa8a8', '#8a5a9e', '#6b8e23', '#c2185b', '#7a6a3a', '#2f4f4f', '#e07b39', '#4a90a4', '#9c7c38', '#556b2f', '#a0522d', '#708090', '#bc8f8f', '#4682b4', '#8b4513', '#2e8b57'];
const OTHER_COLOR = '#9aa3a8';

/**
 * The engine's `compareBy`/`top` for the settings, or nothing when no attribute is compared, or
 * when `ctx`'s data has no such attribute (a link made on other data names one it lacks).
 */
export function compareOptions(settings, defaults, ctx = null) {
  if (!settings.compareBy) return {};
  const attributes = ctx?.analyses.get('attributes');
  if (attributes?.status === 'done' && !(attributes.value ?? []).some((a) => a.key === settings.compareBy)) return {};
  const top = Number(settings.top);
  return top && top !== defaults.top ? { compareBy: settings.compareBy, top } : { compareBy: settings.compareBy };
}

/**
 * The compare-by fields for a view's controls (`id` prefixes their ids): nothing while the book
 * has no attributes; `firstPurchase` says the value is the customer's first purchase's.
 */
export function compareFields(ctx, id, { firstPurchase = false } = {}) {
  const { locale, settings, setSettings } = ctx;
  const { t } = locale;
  const entry = ctx.analyses.get('attributes');
  const attributes = entry.status === 'done' ? entry.value ?? [] : [];
  if (!attributes.length) return null;
  const name = (attribute) => (firstPurchase ? t('compare.firstPurchase', { name: attributeName(locale, attribute) }) : attributeName(locale, attribute));
  return [
    selectField(`${id}-compare-by`, t('compare.by'), settings.compareBy, [['', t('compare.none')], ...attributes.map((attribute) => [attribute.key, name(attribute)])], (compareBy) => setSettings({ compareBy })),
    settings.compareBy ? selectField(`${id}-compare-top`, t('compare.top'), settings.top, TOP_CHOICES.map((n) => [n, String(n)]), (top) => setSettings({ top: Number(top) })) : null,
  ];
}

/** The name of the compared attribute, from the book's attributes (its key when unknown). */
function comparedName(ctx, by) {
  const entry = ctx.analyses.get('attributes');
  const attribute = entry.status === 'done' ? (entry.value ?? []).find((a) => a.key === by) : null;
  return attribute ? attributeName(ctx.locale, attribute) : by;
}

const colorOf = (entry, i) => (entry.other ? OTHER_COLOR : SERIES_COLORS[i % SERIES_COLORS.length]);
const labelOf = (locale, entry) => valueName(locale, entry.other ? null : entry.value);

/** RFM: how each value's customers spread over the segments, as shaded shares (the table is the chart). */
export function segmentMixCard(ctx, compare, segments) {
  if (!compare?.values?.length) return null;
  const { locale } = ctx;
  const { t, formatInteger, formatPercent } = locale;
  const name = comparedName(ctx, compare.by);
  // By name: a custom rule table's segments have no code.
  const segmentNames = segments.map((segment) => segment.name);
  const segmentName = (segment) => locale.segmentText(segment, 'name') || segment.name;
  return card(locale, 'rfm-compare', t('compare.rfm.heading', { name }), t('compare.rfm.caption'),
    h('div', { class: 'table-scroll full', tabindex: 0, role: 'region', 'aria-labelledby': 'rfm-compare-heading' },
      h('table', { class: 'data-table compact mix-table', id: 'rfm-compare-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, name),
          h('th', { scope: 'col', class: 'num' }, t('compare.customers')),
          segments.map((segment) => h('th', { scope: 'col', class: 'num' }, segmentName(segment))))),
        h('tbody', {}, compare.values.map((entry) => {
          const counts = new Map(entry.segments.map((segment) => [segment.name, segment.customers]));
          return h('tr', { dataset: { other: entry.other ? 'true' : null } },
            h('th', { scope: 'row' }, labelOf(locale, entry)),
            h('td', { class: 'num' }, formatInteger(entry.customers)),
            segmentNames.map((segment) => {
              const share = entry.customers ? (counts.get(segment) ?? 0) / entry.customers : 0;
              // Shaded against the largest share a segment takes anywhere, so small segments still read.
              const shade = Math.min(1, share * 2.5);
              return h('td', { class: 'num mix-cell', vars: { '--cell': teal(shade), '--ink': inkOn(shade) }, title: t('compare.rfm.cell', { value: labelOf(locale, entry), n: formatInteger(counts.get(segment) ?? 0) }) }, formatPercent(share, 0));
            }));
        })),
      ),
    ),
  );
}

/** Cohorts: the retention curve of the customers whose first purchase had each value. */
export function retentionCompareCard(ctx, compare, { period, width, axis, unitName }) {
  if (!compare?.values?.length) return null;
  const { locale } = ctx;
  const { t, formatInteger, formatPercent } = locale;
  const name = comparedName(ctx, compare.by);
  const colors = Object.fromEntries(compare.values.map((entry, i) => [labelOf(locale, entry), colorOf(entry, i)]));
  const points = compare.values.flatMap((entry) => entry.retention.map((retention, k) => ({
    x: k,
    y: retention,
    series: labelOf(locale, entry),
    title: t('compare.cohorts.point', { value: labelOf(locale, entry), unit: unitName, k, retention: formatPercent(retention) }),
  })).filter((point) => point.x > 0 && Number.isFinite(point.y)));
  const longest = Math.max(0, ...compare.values.map((entry) => entry.retention.length));
  const ks = Array.from({ length: Math.max(0, longest - 1) }, (_, i) => i + 1);
  return card(locale, 'cohort-compare', t('compare.cohorts.heading', { name }), t('compare.cohorts.caption', { name }),
    h('div', { class: 'legend swatches' }, compare.values.map((entry, i) => h('span', {}, swatch(colorOf(entry, i)), `${labelOf(locale, entry)} (${formatInteger(entry.customers)})`))),
    points.length
      ? h('div', { class: 'chart' }, deferred(() => lineChart(points, {
        width,
        xLabel: axis,
        yLabel: t('cohorts.average.y'),
        yFormat: (value) => formatPercent(value, 0),
        yDomain: [0, Math.min(1, Math.max(0.1, ...points.map((point) => point.y)) * 1.15)],
        colors,
        xTicks: everyNth(ks, width, 48),
        dots: ks.length <= 24,
        ariaLabel: t('compare.cohorts.heading', { name }),
      }), { height: 280 }))
      : h('p', { class: 'muted' }, t('compare.cohorts.none', { period })),
    tableAlternative(t('chart.table'), 'cohort-compare-table',
      [name, t('compare.customers'), ...ks.map((k) => String(k))],
      compare.values.map((entry) => [labelOf(locale, entry), formatInteger(entry.customers), ...ks.map((k) => (Number.isFinite(entry.retention[k]) ? formatPercent(entry.retention[k]) : '–'))])),
  );
}

/** CLV: repeat rate and lifetime value of the customers acquired with each value. */
export function clvCompareCard(ctx, compare) {
  if (!compare?.values?.length) return null;
  const { locale, currency } = ctx;
  const { t, formatInteger, formatMoney, formatPercent } = locale;
  const name = comparedName(ctx, compare.by);
  const widest = Math.max(1e-9, ...compare.values.map((entry) => Math.abs(entry.clvMean ?? 0)));
  return card(locale, 'clv-compare', t('compare.clv.heading', { name }), t('compare.clv.caption'),
    h('div', { class: 'table-scroll full', tabindex: 0, role: 'region', 'aria-labelledby': 'clv-compare-heading' },
      h('table', { class: 'data-table value-table', id: 'clv-compare-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, name),
          h('th', { scope: 'col', class: 'num' }, t('compare.customers')),
          h('th', { scope: 'col', class: 'num' }, t('compare.clv.repeatRate')),
          h('th', { scope: 'col', class: 'num' }, t('compare.clv.mean')),
          h('th', { scope: 'col', class: 'num' }, t('compare.clv.total')))),
        h('tbody', {}, compare.values.map((entry) => h('tr', { dataset: { other: entry.other ? 'true' : null } },
          h('th', { scope: 'row' },
            h('span', { class: 'value-name' }, labelOf(locale, entry)),
            h('span', { class: 'value-bar', 'aria-hidden': 'true', vars: { '--share': `${Math.max(0, ((entry.clvMean ?? 0) / widest) * 100).toFixed(1)}%` } })),
          h('td', { class: 'num' }, formatInteger(entry.customers)),
          h('td', { class: 'num' }, Number.isFinite(entry.repeatRate) ? formatPercent(entry.repeatRate) : '–'),
          h('td', { class: 'num' }, formatMoney(entry.clvMean, currency)),
          h('td', { class: 'num' }, formatMoney(entry.clvTotal, currency)),
        ))),
      ),
    ),
  );
}

/** The note under a filter: acquisition comes from each customer's whole history. */
export function acquisitionNote(ctx) {
  return ctx.filtered ? h('p', { class: 'banner notice acquisition-note', id: 'acquisition-note', role: 'note' }, ctx.locale.t('filter.acquisition')) : null;
}
