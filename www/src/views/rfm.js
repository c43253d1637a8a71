// The RFM view: controls (as-of date, score levels, monetary mode), headline figures (VIP,
// reactivate, Pareto), the segment treemap, the R×F heat map, the segment table with meaning and
// action, the score ranges, the Pareto curve and, for a chosen segment or group, its customer
// list with search, sorting and Export CSV.
import { paretoChart } from '../charts/pareto.js';
import { rfHeatmap } from '../charts/rfHeatmap.js';
import { segmentTreemap } from '../charts/segmentTreemap.js';
import { sortedRows, virtualTable } from '../components/virtualTable.js';
import { deferred, fileSlug, h, replaceContent } from '../dom.js';
import { card, dateField, errorCard, exportToFile, innerWidth, kpi, loadingCard, messageItem, selectField, tableAlternative } from './common.js';
import { clvOptions } from './clvOptions.js';
import { RFM_DEFAULTS } from './defaults.js';
import { customerIdsOf, engineOptions, parseList, parseRules } from './rfmOptions.js';
import { compareFields, compareOptions, segmentMixCard } from './compare.js';

const BIN_CHOICES = [3, 4, 5, 6, 7, 8, 9, 10];

/** A segment's name, meaning and action in the locale's language (by its code; a custom segment as named). */
function localized({ segmentText }, segment) {
  return {
    name: segmentText(segment, 'name'),
    meaning: segmentText(segment, 'meaning'),
    action: segmentText(segment, 'action'),
  };
}

function listTitle(locale, list, result) {
  const { t } = locale;
  if (list.kind === 'all') return t('rfm.list.all');
  if (list.kind === 'group') return t(`rfm.group.${list.name}`);
  const segment = result.segments.find((s) => s.name === list.name);
  return segment ? localized(locale, segment).name : list.name;
}

function listFilter(list) {
  if (list.kind === 'segment') return { segment: list.name };
  if (list.kind === 'group') return { group: list.name };
  return {};
}

function controls(ctx, result) {
  const { settings, setSettings, summary } = ctx;
  const { t } = ctx.locale;
  return h('form', { class: 'card controls', id: 'rfm-controls', onsubmit: (event) => event.preventDefault() },
    dateField('rfm-as-of', t('rfm.asOf'), settings.asOf || result?.asOf || summary.lastDate || '', { min: summary.firstDate ?? null },
      (asOf) => setSettings({ asOf: asOf === summary.lastDate ? '' : asOf })),
    selectField('rfm-bins', t('rfm.bins'), Number(settings.bins || RFM_DEFAULTS.bins), BIN_CHOICES.map((bins) => [bins, `1–${bins}`]),
      (bins) => setSettings({ bins: Number(bins) })),
    selectField('rfm-monetary', t('rfm.monetary'), settings.monetary || RFM_DEFAULTS.monetary, ['total', 'average'].map((mode) => [mode, t(`rfm.monetary.${mode}`)]),
      (monetary) => setSettings({ monetary })),
    compareFields(ctx, 'rfm'),
    h('button', { type: 'button', class: 'button quiet', id: 'rfm-defaults', onclick: () => setSettings({ asOf: RFM_DEFAULTS.asOf, bins: RFM_DEFAULTS.bins, monetary: RFM_DEFAULTS.monetary }) }, t('rfm.defaults')),
  );
}

function kpis(ctx, result) {
  const { setSettings } = ctx;
  const { t, formatInteger, formatPercent } = ctx.locale;
  const { quartiles, pareto } = result;
  return h('div', { class: 'kpis' },
    kpi('scored', t('rfm.kpi.scored'), formatInteger(result.customers),
      result.customersReturnsOnly ? t('rfm.kpi.scoredDetail', { n: result.customersReturnsOnly }) : t('rfm.kpi.scoredAll'),
      () => setSettings({ list: 'all' }), t('rfm.list.allButton')),
    kpi('vip', t('rfm.kpi.vip'), `${formatInteger(quartiles.vip.customers)} · ${formatPercent(quartiles.vip.customerShare)}`,
      t('rfm.kpi.vipDetail', { share: formatPercent(quartiles.vip.revenueShare ?? 0) }),
      quartiles.vip.customers ? () => setSettings({ list: 'group:vip' }) : null, t('rfm.kpi.show')),
    kpi('reactivate', t('rfm.kpi.reactivate'), `${formatInteger(quartiles.reactivate.customers)} · ${formatPercent(quartiles.reactivate.customerShare)}`,
      t('rfm.kpi.reactivateDetail', { share: formatPercent(quartiles.reactivate.revenueShare ?? 0) }),
      quartiles.reactivate.customers ? () => setSettings({ list: 'group:reactivate' }) : null, t('rfm.kpi.show')),
    kpi('pareto', t('rfm.kpi.pareto'), pareto.top20RevenueShare === null || pareto.top20RevenueShare === undefined ? '–' : formatPercent(pareto.top20RevenueShare, 0), t('rfm.kpi.paretoDetail')),
  );
}

function segmentsCard(ctx, result, width) {
  const { setSettings, settings, locale } = ctx;
  const { t, formatInteger, formatPercent } = locale;
  const selected = parseList(settings.list);
  const tiles = result.segments.map((segment) => {
    const { name } = localized(locale, segment);
    const share = formatPercent(segment.revenueShare ?? 0);
    return {
      key: segment.name,
      label: name,
      customers: segment.customers,
      revenueShare: segment.revenueShare,
      detail: `${formatInteger(segment.customers)} · ${share}`,
      title: t('rfm.segments.tile', { segment: name, customers: segment.customers, share }),
    };
  });
  const height = Math.round(Math.max(260, Math.min(380, width * 0.62)));
  return card(locale, 'rfm-segments', t('rfm.segments.heading'), t('rfm.segments.caption'),
    h('div', { class: 'chart' },
      deferred(() => segmentTreemap(tiles, {
        width,
        height,
        selected: selected?.kind === 'segment' ? selected.name : null,
        onSelect: (name) => setSettings({ list: `segment:${name}` }, { focusList: true }),
        label: t('rfm.segments.heading'),
      }), { height: 340 })),
    h('div', { class: 'legend', 'aria-hidden': 'true' },
      h('span', {}, t('rfm.segments.legendLow')), h('span', { class: 'legend-ramp' }), h('span', {}, t('rfm.segments.legendHigh'))),
    tableAlternative(t('chart.table'), 'rfm-segments-table', [t('rfm.col.segment'), t('rfm.col.customers'), t('rfm.col.revenue')],
      tiles.map((tile) => [tile.label, formatInteger(tile.customers), tile.revenueShare === null ? '–' : formatPercent(tile.revenueShare)])),
  );
}

function gridCard(ctx, result, width) {
  const { currency, locale } = ctx;
  const { t, formatInteger, formatMoney } = locale;
  return card(locale, 'rfm-grid', t('rfm.grid.heading'), t('rfm.grid.caption', { bins: result.bins }),
    h('div', { class: 'chart chart-center' },
      deferred(() => rfHeatmap(result.grid, {
        bins: result.bins,
        width,
        xLabel: t('rfm.grid.f'),
        yLabel: t('rfm.grid.r'),
        ariaLabel: t('rfm.grid.heading'),
        cellTitle: (cell) => t('rfm.grid.cell', { r: cell.r, f: cell.f, customers: cell.customers, monetary: cell.meanMonetary === null ? '–' : formatMoney(cell.meanMonetary, currency) }),
      }), { height: 360 })),
    tableAlternative(t('chart.table'), 'rfm-grid-table',
      [`${t('rfm.grid.r')} ↓ · ${t('rfm.grid.f')} →`, ...Array.from({ length: result.bins }, (_, f) => `F ${f + 1}`)],
      Array.from({ length: result.bins }, (_, i) => {
        const r = result.bins - i;
        return [`R ${r}`, ...Array.from({ length: result.bins }, (_, f) => formatInteger(result.grid.find((cell) => cell.r === r && cell.f === f + 1)?.customers ?? 0))];
      })),
  );
}

function segmentTable(ctx, result) {
  const { currency, setSettings, settings, locale } = ctx;
  const { t, formatInteger, formatMoney, formatNumber, formatPercent } = locale;
  const selected = parseList(settings.list);
  const maxShare = Math.max(0.0001, ...result.segments.map((s) => Math.max(s.customerShare, s.revenueShare ?? 0)));
  const bar = (share, kind) => {
    const element = h('span', { class: `share-bar ${kind}`, 'aria-hidden': 'true' });
    element.style.setProperty('--share', `${(100 * (share ?? 0)) / maxShare}%`);
    return element;
  };
  return card(locale, 'rfm-table', t('rfm.table.heading'), null,
    h('div', { class: 'table-scroll tall', tabindex: 0, role: 'region', 'aria-labelledby': 'rfm-table-heading' },
      h('table', { class: 'data-table segment-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('rfm.col.segment')),
          h('th', { scope: 'col', class: 'num' }, t('rfm.col.customers')),
          h('th', { scope: 'col', class: 'num' }, t('rfm.col.revenue')),
          h('th', { scope: 'col', class: 'num' }, t('rfm.col.recency')),
          h('th', { scope: 'col', class: 'num' }, t('rfm.col.frequency')),
          h('th', { scope: 'col', class: 'num' }, t('rfm.col.aov')),
          h('th', { scope: 'col' }, t('rfm.col.advice')),
        )),
        h('tbody', {}, result.segments.map((segment) => {
          const { name, meaning, action } = localized(locale, segment);
          const isSelected = selected?.kind === 'segment' && selected.name === segment.name;
          return h('tr', { class: isSelected ? 'selected' : null, dataset: { segment: segment.name } },
            h('th', { scope: 'row' },
              h('button', {
                type: 'button',
                class: 'link-button',
                'aria-label': t('rfm.table.openLabel', { segment: name }),
                disabled: segment.customers === 0,
                onclick: () => setSettings({ list: `segment:${segment.name}` }, { focusList: true }),
              }, name)),
            h('td', { class: 'num', dataset: { label: t('rfm.col.customers') } }, formatInteger(segment.customers), h('small', {}, formatPercent(segment.customerShare)), bar(segment.customerShare, 'customers')),
            h('td', { class: 'num', dataset: { label: t('rfm.col.revenue') } }, formatMoney(segment.revenue, currency, { compact: true }), h('small', {}, segment.revenueShare === null ? '–' : formatPercent(segment.revenueShare)), bar(segment.revenueShare, 'revenue')),
            h('td', { class: 'num', dataset: { label: t('rfm.col.recency') } }, segment.meanRecency === null ? '–' : formatNumber(segment.meanRecency, 0)),
            h('td', { class: 'num', dataset: { label: t('rfm.col.frequency') } }, segment.meanFrequency === null ? '–' : formatNumber(segment.meanFrequency, 1)),
            h('td', { class: 'num', dataset: { label: t('rfm.col.aov') } }, segment.meanOrderValue === null ? '–' : formatMoney(segment.meanOrderValue, currency)),
            h('td', { class: 'advice-cell' },
              meaning ? h('span', { class: 'meaning' }, meaning) : null,
              action ? h('span', { class: 'action' }, action) : null),
          );
        })),
      ),
    ),
  );
}

function rangesCard(ctx, result) {
  const { currency, locale } = ctx;
  const { t, formatInteger, formatMoney } = locale;
  const { recencyDays, frequency, monetary } = result.scoreRanges;
  const span = (range, format) => (range.min === null || range.min === undefined ? '–' : range.min === range.max ? format(range.min) : `${format(range.min)} – ${format(range.max)}`);
  const rows = [...recencyDays].map((_, i) => recencyDays.length - 1 - i);
  return card(locale, 'rfm-ranges', t('rfm.ranges.heading'), null,
    h('div', { class: 'table-scroll' },
      h('table', { class: 'data-table ranges-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', class: 'num' }, t('rfm.ranges.score')),
          h('th', { scope: 'col', class: 'num' }, t('rfm.ranges.recency')),
          h('th', { scope: 'col', class: 'num' }, t('rfm.ranges.frequency')),
          h('th', { scope: 'col', class: 'num' }, t('rfm.ranges.monetary')),
        )),
        h('tbody', {}, rows.map((i) => h('tr', {},
          h('th', { scope: 'row', class: 'num' }, String(recencyDays[i].score)),
          h('td', { class: 'num' }, span(recencyDays[i], formatInteger)),
          h('td', { class: 'num' }, span(frequency[i], formatInteger)),
          h('td', { class: 'num' }, span(monetary[i], (value) => formatMoney(value, currency, { compact: value >= 10_000 }))),
        ))),
      ),
    ),
  );
}

function paretoCard(ctx, result, width) {
  const { locale } = ctx;
  const { t, formatPercent } = locale;
  const { points } = result.pareto;
  const percent = (share) => formatPercent(share, 0);
  return card(locale, 'rfm-pareto', t('rfm.pareto.heading'), t('rfm.pareto.caption'),
    points.length
      ? h('div', { class: 'chart' }, deferred(() => paretoChart(points, {
        width,
        xLabel: t('rfm.pareto.x'),
        yLabel: t('rfm.pareto.y'),
        formatPercent: percent,
        ariaLabel: t('rfm.pareto.heading'),
        pointTitle: (point) => t('rfm.pareto.point', { customers: percent(point.customerShare), revenue: percent(point.revenueShare) }),
      }), { height: 260 }))
      : h('p', { class: 'muted' }, t('rfm.pareto.empty')),
    points.length
      ? tableAlternative(t('chart.table'), 'rfm-pareto-table', [t('rfm.pareto.x').replace(/ →$/, ''), t('rfm.pareto.y').replace(/^↑ /, '')],
        points.filter((point) => [1, 5, 10, 20, 30, 50, 80, 100].includes(Math.round(point.customerShare * 100))).map((point) => [percent(point.customerShare), formatPercent(point.revenueShare)]))
      : null,
  );
}

// ------------------------------------------------------------------ the customer list

/** The list's sort and search, kept in the view's state: they survive re-renders (language, currency) of the same list. */
function listStateOf(viewState) {
  viewState.list ??= { key: null, sort: { key: 'monetary', descending: true }, query: '' };
  return viewState.list;
}

function customerList(ctx, result, list) {
  const { currency, settings, setSettings, locale } = ctx;
  const listState = listStateOf(ctx.state);
  const { t, formatInteger, formatMoney, formatPercent } = locale;
  const options = { ...engineOptions(settings), ...listFilter(list) };
  const entry = ctx.analyses.get('rfmCustomers', options);
  const title = listTitle(locale, list, result);
  const section = h('section', { class: 'card customer-list', id: 'rfm-list', 'aria-labelledby': 'rfm-list-heading', tabindex: -1 });
  if (entry.status !== 'done') {
    replaceContent(section, entry.status === 'pending' ? loadingCard(t('rfm.loading')) : errorCard(locale, entry.error));
    return section;
  }
  const columns = entry.value;
  const listKey = JSON.stringify(options);
  if (listState.key !== listKey) Object.assign(listState, { key: listKey, query: '' });

  let ids = null;
  const idOf = (row) => {
    ids ??= customerIdsOf(columns);
    return ids[row];
  };
  const segmentNames = columns.segments.map((name) => {
    const segment = result.segments.find((s) => s.name === name);
    return segment ? localized(locale, segment).name : name;
  });
  const collator = new Intl.Collator(undefined, { numeric: true });
  const predictions = clvColumns(ctx, columns);
  const tableColumns = [
    { key: 'id', label: t('rfm.list.id'), numeric: false, width: 'minmax(7rem, 1.3fr)', value: idOf, format: (row) => idOf(row) },
    { key: 'segment', label: t('rfm.list.segment'), numeric: false, width: 'minmax(9rem, 1.6fr)', value: (row) => segmentNames[columns.segment[row]] },
    { key: 'recency', label: t('rfm.list.recency'), numeric: true, value: (row) => columns.recencyDays[row], format: (row) => formatInteger(columns.recencyDays[row]) },
    { key: 'frequency', label: t('rfm.list.frequency'), numeric: true, value: (row) => columns.frequency[row], format: (row) => formatInteger(columns.frequency[row]) },
    { key: 'monetary', label: t('rfm.list.monetary'), numeric: true, width: 'minmax(7rem, 1.2fr)', value: (row) => columns.monetary[row], format: (row) => formatMoney(columns.monetary[row], currency) },
    { key: 'scores', label: t('rfm.list.scores'), numeric: true, value: (row) => columns.rScore[row] * 10000 + columns.fScore[row] * 100 + columns.mScore[row], format: (row) => `${columns.rScore[row]} · ${columns.fScore[row]} · ${columns.mScore[row]}` },
    ...(predictions
      ? [
        { key: 'pAlive', label: t('clv.col.pAlive'), numeric: true, value: (row) => orMinus(predictions.pAlive[row]), format: (row) => (Number.isNaN(predictions.pAlive[row]) ? '–' : formatPercent(predictions.pAlive[row], 0)) },
        { key: 'clv', label: t('clv.col.clv'), numeric: true, width: 'minmax(7rem, 1.2fr)', value: (row) => orMinus(predictions.clv[row]), format: (row) => (Number.isNaN(predictions.clv[row]) ? '–' : formatMoney(predictions.clv[row], currency)) },
      ]
      : []),
  ];

  const tableHolder = h('div', { class: 'list-table' });
  const status = h('p', { class: 'muted list-status', role: 'status', id: 'rfm-list-status' });
  const drawTable = () => {
    const column = tableColumns.find((c) => c.key === listState.sort.key) ?? tableColumns[4];
    const query = listState.query.trim().toLowerCase();
    const filter = query ? (row) => idOf(row).toLowerCase().includes(query) : null;
    const rows = sortedRows(columns.count, column.value, listState.sort.descending, filter, column.numeric ? undefined : collator.compare);
    status.textContent = query && rows.length === 0 ? t('rfm.list.none', { query: listState.query.trim() }) : t('rfm.list.shown', { shown: rows.length, n: columns.count });
    replaceContent(tableHolder, virtualTable({
      id: 'rfm-list-table',
      columns: tableColumns,
      rows,
      sort: listState.sort,
      label: title,
      sortedLabel: t('rfm.list.sorted'),
      onSort: (sort) => {
        listState.sort = sort;
        drawTable();
        tableHolder.querySelector(`[aria-sort]:not([aria-sort="none"]) button`)?.focus();
      },
    }));
  };
  drawTable();

  const exportCsv = (event) => {
    const file = `customers-${fileSlug(list.kind === 'all' ? 'all' : list.name)}-${result.asOf}.csv`;
    return exportToFile({ button: event.currentTarget, status, file, content: () => ctx.analyses.run('rfmCsv', options), saved: t('rfm.list.exported', { file }) });
  };

  replaceContent(section,
    h('div', { class: 'list-head' },
      h('h2', { id: 'rfm-list-heading' }, t('rfm.list.heading', { name: title, n: columns.count })),
      h('div', { class: 'list-actions' },
        h('button', { type: 'button', class: 'button primary', id: 'rfm-export', onclick: exportCsv }, t('rfm.list.export')),
        h('button', { type: 'button', class: 'button quiet', id: 'rfm-list-close', onclick: () => setSettings({ list: '' }) }, t('rfm.list.close')),
      ),
    ),
    list.kind === 'segment' ? segmentAdvice(locale, result, list.name) : null,
    h('div', { class: 'list-tools' },
      h('label', { class: 'field search', for: 'rfm-search' },
        h('span', { class: 'field-label' }, t('rfm.list.search')),
        h('input', {
          id: 'rfm-search',
          type: 'search',
          value: listState.query,
          autocomplete: 'off',
          spellcheck: 'false',
          oninput: (event) => {
            listState.query = event.target.value;
            drawTable();
          },
        }),
      ),
      status,
    ),
    tableHolder,
  );
  return section;
}

/** NaN (no prediction) sorts below every value. */
function orMinus(value) {
  return Number.isNaN(value) ? -Infinity : value;
}

/**
 * P(alive) and CLV per row of the RFM list, joined on the customer index both results share,
 * with the lifetime-value view's settings; null while the models are fitted or when they fail.
 */
function clvColumns(ctx, columns) {
  const entry = ctx.analyses.get('clvCustomers', clvOptions(ctx.allSettings?.clv ?? {}, ctx.summary));
  if (entry.status !== 'done') return null;
  const clv = entry.value;
  let size = 0;
  for (const customer of clv.customer) size = Math.max(size, customer + 1);
  const pAliveOf = new Float64Array(size).fill(Number.NaN);
  const clvOf = new Float64Array(size).fill(Number.NaN);
  clv.customer.forEach((customer, i) => {
    pAliveOf[customer] = clv.pAlive[i];
    clvOf[customer] = clv.clv[i];
  });
  const pAlive = new Float64Array(columns.count);
  const value = new Float64Array(columns.count);
  for (let row = 0; row < columns.count; row++) {
    const customer = columns.customer[row];
    pAlive[row] = customer < size ? pAliveOf[customer] : Number.NaN;
    value[row] = customer < size ? clvOf[customer] : Number.NaN;
  }
  return { pAlive, clv: value };
}

function segmentAdvice(locale, result, name) {
  const { t } = locale;
  const segment = result.segments.find((s) => s.name === name);
  if (!segment) return null;
  const { meaning, action } = localized(locale, segment);
  if (!meaning && !action) return null;
  return h('dl', { class: 'advice' },
    meaning ? h('div', {}, h('dt', {}, t('rfm.col.meaning')), h('dd', {}, meaning)) : null,
    action ? h('div', {}, h('dt', {}, t('rfm.col.action')), h('dd', {}, action)) : null,
  );
}

// ------------------------------------------------------------------ the rule editor

/** The rules being edited, kept in the view's state across re-renders until applied or reset. */
function rulesDraftOf(viewState) {
  viewState.rulesDraft ??= { source: null, rows: null, dirty: false, open: false };
  return viewState.rulesDraft;
}

const SCORES = ['r', 'f', 'm'];

function rulesEditor(ctx, result) {
  const { settings, setSettings } = ctx;
  const { t, formatInteger } = ctx.locale;
  const rulesDraft = rulesDraftOf(ctx.state);
  const applied = result?.rules ?? parseRules(settings.rules) ?? [];
  const source = JSON.stringify(applied.map(({ segment, r, f, m }) => ({ segment, r, f, m })));
  if (rulesDraft.source !== source) Object.assign(rulesDraft, { source, rows: JSON.parse(source), dirty: false });
  const counts = new Map((result?.rules ?? []).map((rule, i) => [i, rule]));
  const holder = h('div', { class: 'rules-editor' });
  const status = h('p', { class: 'muted', role: 'status', id: 'rfm-rules-status' });

  const changed = () => {
    rulesDraft.dirty = true;
    status.textContent = t('rfm.rules.pending');
  };
  const move = (from, to) => {
    const [rule] = rulesDraft.rows.splice(from, 1);
    rulesDraft.rows.splice(to, 0, rule);
    changed();
    draw();
    holder.querySelector(`#rule-${to}-${to < from ? 'up' : 'down'}`)?.focus();
  };
  const rangeInput = (i, score, end) => h('input', {
    id: `rule-${i}-${score}-${end === 0 ? 'from' : 'to'}`,
    type: 'number',
    min: 1,
    max: 5,
    step: 1,
    inputmode: 'numeric',
    value: rulesDraft.rows[i][score][end],
    'aria-label': t(end === 0 ? 'rfm.rules.from' : 'rfm.rules.to', { score: score.toUpperCase(), n: i + 1 }),
    oninput: (event) => {
      rulesDraft.rows[i][score][end] = Number(event.target.value);
      changed();
    },
  });

  function draw() {
    const rows = rulesDraft.rows;
    replaceContent(holder,
      h('div', { class: 'table-scroll tall' },
        h('table', { class: 'data-table compact rules-table' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col', class: 'num' }, '#'),
            h('th', { scope: 'col' }, t('rfm.rules.segment')),
            SCORES.map((score) => h('th', { scope: 'col' }, t('rfm.rules.range', { score: score.toUpperCase() }))),
            h('th', { scope: 'col', class: 'num' }, t('rfm.rules.combinations')),
            h('th', { scope: 'col', class: 'num' }, t('rfm.rules.customers')),
            h('th', { scope: 'col' }, t('rfm.rules.actions')),
          )),
          h('tbody', {}, rows.map((rule, i) => {
            const counted = !rulesDraft.dirty ? counts.get(i) : null;
            const shadowed = counted && counted.combinations === 0;
            return h('tr', { class: shadowed ? 'shadowed' : null },
              h('td', { class: 'num' }, String(i + 1)),
              h('td', {}, h('input', {
                id: `rule-${i}-segment`,
                type: 'text',
                value: rule.segment,
                'aria-label': t('rfm.rules.name', { n: i + 1 }),
                oninput: (event) => {
                  rule.segment = event.target.value;
                  changed();
                },
              }), shadowed ? h('small', { class: 'warning' }, t('rfm.rules.shadowed')) : null),
              SCORES.map((score) => h('td', { class: 'range' }, rangeInput(i, score, 0), h('span', { 'aria-hidden': 'true' }, '–'), rangeInput(i, score, 1))),
              h('td', { class: 'num' }, counted ? formatInteger(counted.combinations) : '–'),
              h('td', { class: 'num' }, counted ? formatInteger(counted.customers) : '–'),
              h('td', { class: 'rule-actions' },
                h('button', { type: 'button', class: 'icon-button', id: `rule-${i}-up`, disabled: i === 0, 'aria-label': t('rfm.rules.up', { n: i + 1 }), title: t('rfm.rules.up', { n: i + 1 }), onclick: () => move(i, i - 1) }, '↑'),
                h('button', { type: 'button', class: 'icon-button', id: `rule-${i}-down`, disabled: i === rows.length - 1, 'aria-label': t('rfm.rules.down', { n: i + 1 }), title: t('rfm.rules.down', { n: i + 1 }), onclick: () => move(i, i + 1) }, '↓'),
                h('button', {
                  type: 'button',
                  class: 'icon-button',
                  disabled: rows.length === 1,
                  'aria-label': t('rfm.rules.remove', { n: i + 1 }),
                  title: t('rfm.rules.remove', { n: i + 1 }),
                  onclick: () => {
                    rows.splice(i, 1);
                    changed();
                    draw();
                  },
                }, '×'),
              ),
            );
          })),
        ),
      ),
      h('div', { class: 'actions' },
        h('button', {
          type: 'button',
          class: 'button',
          id: 'rfm-rules-add',
          onclick: () => {
            // New rules go before the last one, which is usually the catch-all.
            rows.splice(Math.max(0, rows.length - 1), 0, { segment: t('rfm.rules.newSegment'), r: [1, 5], f: [1, 5], m: [1, 5] });
            changed();
            draw();
            holder.querySelector(`#rule-${Math.max(0, rows.length - 2)}-segment`)?.focus();
          },
        }, t('rfm.rules.add')),
        h('button', { type: 'button', class: 'button primary', id: 'rfm-rules-apply', onclick: () => setSettings({ rules: JSON.stringify(rulesDraft.rows) }) }, t('rfm.rules.apply')),
        h('button', {
          type: 'button',
          class: 'button quiet',
          id: 'rfm-rules-reset',
          disabled: !settings.rules,
          onclick: () => {
            rulesDraft.source = null;
            setSettings({ rules: '' });
          },
        }, t('rfm.rules.reset')),
      ),
    );
  }
  draw();
  if (rulesDraft.dirty) status.textContent = t('rfm.rules.pending');
  const details = h('details', { class: 'card rules-card', id: 'rfm-rules', open: rulesDraft.open || Boolean(settings.rules) },
    h('summary', {}, h('h2', { id: 'rfm-rules-heading' }, t('rfm.rules.heading')), settings.rules ? h('span', { class: 'badge' }, t('rfm.rules.custom')) : null),
    h('p', { class: 'muted caption' }, t('rfm.rules.intro')),
    holder,
    status,
  );
  details.addEventListener('toggle', () => {
    rulesDraft.open = details.open;
  });
  return details;
}

// ------------------------------------------------------------------ the view

export function renderRfm(ctx) {
  const { settings, width, isPhone, locale } = ctx;
  const { t, formatDate } = locale;
  const entry = ctx.analyses.get('rfm', { ...engineOptions(settings), ...compareOptions(settings, RFM_DEFAULTS, ctx) });
  if (entry.status === 'pending') return h('div', { class: 'view rfm' }, controls(ctx, null), loadingCard(t('rfm.loading')));
  // With custom rules, an error is most likely theirs: keep the editor in reach to fix them.
  if (entry.status === 'error') return h('div', { class: 'view rfm' }, controls(ctx, null), errorCard(locale, entry.error), settings.rules ? rulesEditor(ctx, null) : null);
  const result = entry.value;
  const asOf = formatDate(result.asOf);
  if (result.customers === 0) {
    return h('div', { class: 'view rfm' }, controls(ctx, result), h('div', { class: 'card' }, h('p', {}, t('rfm.none', { asOf }))));
  }
  const twoColumns = width >= 860;
  const treemapWidth = innerWidth(twoColumns ? (width - 20) * 0.58 : width, isPhone);
  const gridWidth = innerWidth(twoColumns ? (width - 20) * 0.42 : width, isPhone);
  const list = parseList(settings.list);
  const listExists = list && (list.kind !== 'segment' || result.segments.some((s) => s.name === list.name && s.customers > 0));
  return h('div', { class: 'view rfm' },
    h('div', { class: 'view-head' },
      h('h2', { class: 'view-title', id: 'view-heading', tabindex: -1 }, t('rfm.heading')),
      h('p', { class: 'muted' }, t('rfm.intro', { bins: result.bins, asOf })),
    ),
    controls(ctx, result),
    kpis(ctx, result),
    h('div', { class: 'chart-columns' }, segmentsCard(ctx, result, treemapWidth), gridCard(ctx, result, gridWidth)),
    segmentMixCard(ctx, result.compare, result.segments),
    listExists ? customerList(ctx, result, list) : null,
    segmentTable(ctx, result),
    h('div', { class: 'chart-columns even' }, paretoCard(ctx, result, innerWidth(twoColumns ? (width - 20) / 2 : width, isPhone)), rangesCard(ctx, result)),
    result.warnings?.length
      ? h('section', { class: 'card warnings', 'aria-labelledby': 'rfm-warnings-heading' },
        h('h2', { id: 'rfm-warnings-heading' }, t('rfm.warnings')),
        h('ul', {}, (result.warningCodes ?? []).map((warning) => messageItem(locale, warning))))
      : null,
    rulesEditor(ctx, result),
  );
}
