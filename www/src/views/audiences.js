// The Audiences view: who to contact this week, and why. The ready audiences of
// `book.audiences()` at the as-of date, each with its name and one-line definition in the page's
// language, the action it serves, its size, the revenue at stake, the dates it is for, its
// parameters (editable, defaults stated), a preview, Export CSV and, in the element, the
// `audience-select` event; how they overlap (with one audience per customer as an option); and
// the builder, whose custom audiences are evaluated here on the per-customer columns the other
// views use, their definitions kept by the lens's audience store (the page: localStorage; the
// element: its host, through a property and an event).
import { fileSlug, h } from '../dom.js';
import { clvOptions } from './clvOptions.js';
import { card, dateField, errorCard, exportToFile, fact, kpi, loadingCard, segmentName } from './common.js';
import { csvText } from './csv.js';
import { AUDIENCES_DEFAULTS } from './defaults.js';
import { customerIdsOf } from './rfmOptions.js';
import { RANGES, STAGES, audienceText, byPriority, definitionNeeds, emptyDefinition, evaluateDefinition, memberColumns, normalizeDefinition, overlapMatrix, paramFields, parseParams, withDefinition, withParam } from './audiencesModel.js';

const PREVIEW = 10;

/**
 * The engine options: the as-of date when one is chosen, the parameter overrides when any, one
 * audience per customer when asked. Exported for tests/api/defaults.test.mjs.
 */
export function engineOptions(settings) {
  const options = {};
  if (settings.asOf) options.asOf = settings.asOf;
  const params = parseParams(settings.params);
  if (Object.keys(params).length) options.params = params;
  if (Number(settings.exclusive)) options.exclusive = true;
  return options;
}

function stateOf(ctx) {
  const state = ctx.state;
  if (state.summary !== ctx.summary) Object.assign(state, { summary: ctx.summary, builder: null });
  state.builder ??= { draft: emptyDefinition(''), status: '' };
  state.open ??= new Set();
  return state;
}

function controls(ctx, result) {
  const { settings, setSettings, summary } = ctx;
  const { t } = ctx.locale;
  return h('form', { class: 'card controls', id: 'audiences-controls', onsubmit: (event) => event.preventDefault() },
    dateField('audiences-as-of', t('audiences.asOf'), settings.asOf || result?.asOf || summary.lastDate || '', { min: summary.firstDate ?? null, max: summary.lastDate ?? null },
      (asOf) => setSettings({ asOf: asOf === summary.lastDate ? '' : asOf })),
    h('label', { class: 'field check-field', for: 'audiences-exclusive' },
      h('span', { class: 'check-line' },
        h('input', { id: 'audiences-exclusive', type: 'checkbox', checked: Boolean(Number(settings.exclusive)), onchange: (event) => setSettings({ exclusive: event.target.checked ? 1 : 0 }) }),
        h('span', {}, t('audiences.exclusive'))),
      h('span', { class: 'muted small' }, t('audiences.exclusiveHint'))),
    h('button', { type: 'button', class: 'button quiet', id: 'audiences-defaults', disabled: !settings.params, onclick: () => setSettings({ params: AUDIENCES_DEFAULTS.params }) }, t('audiences.defaults')),
  );
}

/** A member column's cell in the locale's formats. */
function cellText(locale, currency, column, position) {
  const value = column.values[position];
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return '–';
  switch (column.kind) {
    case 'date': return locale.formatDate(value);
    case 'money': return locale.formatMoney(value, currency);
    case 'share': return locale.formatPercent(value);
    case 'number': return locale.formatNumber(value, 2);
    default: return String(value);
  }
}

/** A column's heading: the page's words for the names it knows, else the name in words. */
function columnLabel({ t, messages }, key) {
  if (Object.hasOwn(messages, `audiences.col.${key}`)) return t(`audiences.col.${key}`);
  return key.replace(/([a-z])([A-Z0-9])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

function paramLabel({ t, messages }, key) {
  return Object.hasOwn(messages, `audience.param.${key}`) ? t(`audience.param.${key}`) : columnLabel({ t, messages }, key);
}

function formatParam(locale, value) {
  return typeof value === 'number' ? locale.formatNumber(value, 3) : String(value);
}

/** The preview of an audience's members (their positions `positions`): id and its columns. */
function previewTable(ctx, audience, positions, id) {
  const { locale, currency } = ctx;
  const { t, formatInteger } = locale;
  const columns = memberColumns(audience);
  const shown = positions.slice(0, PREVIEW);
  return [h('p', { class: 'muted small' }, t('audiences.previewCaption', { shown: formatInteger(shown.length), n: formatInteger(positions.length) })), h('div', { class: 'table-scroll' },
    h('table', { class: 'data-table compact', id },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('audiences.customer')), columns.map((column) => h('th', { scope: 'col', class: column.kind === 'text' ? null : 'num' }, columnLabel(locale, column.key))))),
      h('tbody', {}, shown.map((position) => h('tr', {},
        h('th', { scope: 'row', class: 'mono' }, audience.customerIds[position]),
        columns.map((column) => h('td', { class: column.kind === 'text' ? null : 'num' }, cellText(locale, currency, column, position)))))),
    ))];
}

/** One ready audience: words, figures, parameters, actions and preview. */
function audienceCard(ctx, audience, result) {
  const { locale, currency, settings, setSettings } = ctx;
  const { t, formatInteger, formatMoney, formatDate, formatNumber } = locale;
  const state = stateOf(ctx);
  const name = audienceText(locale, audience, 'name');
  const definition = audienceText(locale, audience, 'definition', (value) => (value === null ? formatNumber(result.storeGapDays ?? Number.NaN, 0) : formatParam(locale, value)));
  const action = audience.action ? (Object.hasOwn(locale.messages, `audience.action.${audience.action}`) ? t(`audience.action.${audience.action}`) : audience.action) : '';
  const asOf = result.asOf;
  const positions = audience.customerIds.map((_, i) => i);
  const status = h('p', { class: 'muted list-status', role: 'status', id: `audience-${audience.id}-status` });
  const file = `audience-${fileSlug(audience.id.replace(/[A-Z]/g, (c) => `-${c}`))}-${asOf}.csv`;
  const options = engineOptions(settings);
  const fields = paramFields(audience, result.defaults);
  const windowText = audience.window?.from || audience.window?.to ? t('audiences.windowRange', { from: audience.window.from ? formatDate(audience.window.from) : '…', to: audience.window.to ? formatDate(audience.window.to) : '…' }) : '–';
  const open = state.open.has(audience.id);
  return h('section', { class: 'card audience-card', id: `audience-${audience.id}`, dataset: { audience: audience.id }, 'aria-labelledby': `audience-${audience.id}-heading` },
    h('div', { class: 'audience-head' },
      h('div', { class: 'audience-words' },
        h('h2', { id: `audience-${audience.id}-heading` }, name),
        definition ? h('p', { class: 'audience-definition' }, definition) : null,
        action ? h('p', { class: 'audience-action' }, h('strong', {}, t('audiences.action'), ': '), action) : null,
      ),
      h('dl', { class: 'facts audience-facts' },
        fact(t('audiences.size'), formatInteger(audience.customers), 'size'),
        fact(t('audiences.stake'), [formatMoney(audience.revenueAtStake ?? Number.NaN, currency), h('small', {}, t(`audiences.stake.${audience.revenueBasis === 'past' ? 'past' : 'expected'}`))], 'stake'),
        fact(t('audiences.window'), windowText, 'window'),
      ),
    ),
    fields.length
      ? h('fieldset', { class: 'audience-params' },
        h('legend', {}, t('audiences.params')),
        fields.map((field) => {
          const id = `audience-${audience.id}-${field.key}`;
          // A parameter measured from the data (null) shows what was measured: the store's typical gap.
          const measured = formatNumber(result.storeGapDays ?? Number.NaN, 0);
          return h('label', { class: 'field param-field', for: id, dataset: { param: field.key } },
            h('span', { class: 'field-label' }, paramLabel(locale, field.key)),
            h('input', { id, type: 'number', step: 'any', inputmode: 'decimal', value: field.value ?? '', placeholder: field.value === null ? measured : null, onchange: (event) => setSettings({ params: withParam(settings.params, field.key, event.target.value, field.fallback) }) }),
            h('span', { class: field.changed ? 'param-default changed' : 'param-default' },
              field.fallback === null ? t('audiences.paramMeasured', { days: measured }) : t('audiences.paramDefault', { value: formatParam(locale, field.fallback) })));
        }))
      : null,
    h('div', { class: 'list-actions audience-actions' },
      h('button', {
        type: 'button',
        class: 'button primary',
        id: `audience-${audience.id}-export`,
        disabled: positions.length === 0,
        'aria-label': t('audiences.exportLabel', { name }),
        onclick: (event) => exportToFile({
          button: event.currentTarget,
          status,
          file,
          content: () => ctx.analyses.run('audienceCsv', options, [audience.id]),
          saved: t('audiences.saved', { file }),
        }),
      }, t('audiences.export')),
      ctx.selectAudience
        ? h('button', {
          type: 'button',
          class: 'button',
          id: `audience-${audience.id}-select`,
          disabled: positions.length === 0,
          'aria-label': t('audiences.selectLabel', { name }),
          onclick: () => {
            ctx.selectAudience({ audience: audience.id, customerIds: positions.map((position) => audience.customerIds[position]), asOf, params: audience.params ?? {} });
            status.textContent = t('audiences.selected', { n: formatInteger(positions.length) });
          },
        }, t('audiences.select'))
        : null,
    ),
    status,
    positions.length
      ? h('details', { class: 'audience-preview', id: `audience-${audience.id}-preview`, open: open ? true : null, ontoggle: (event) => { if (event.currentTarget.open) state.open.add(audience.id); else state.open.delete(audience.id); } },
        h('summary', {}, t('audiences.preview')),
        previewTable(ctx, audience, positions, `audience-${audience.id}-table`))
      : h('p', { class: 'muted' }, t('audiences.empty')),
  );
}

function overlapsCard(ctx, audiences, overlaps) {
  const { locale } = ctx;
  const { t, formatInteger } = locale;
  const names = audiences.map((audience) => audienceText(locale, audience, 'name'));
  const matrix = overlapMatrix(audiences, overlaps.pairs);
  return card(locale, 'audiences-overlaps', t('audiences.overlaps.heading'), t('audiences.overlaps.caption', { several: formatInteger(overlaps.inSeveral), distinct: formatInteger(overlaps.customers) }),
    h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'audiences-overlaps-heading' },
      h('table', { class: 'data-table compact overlap-table', id: 'audiences-overlap-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('audiences.overlaps.audience')), names.map((name) => h('th', { scope: 'col', class: 'num' }, name)))),
        h('tbody', {}, audiences.map((audience, i) => h('tr', { dataset: { audience: audience.id } },
          h('th', { scope: 'row' }, names[i]),
          matrix[i].map((n) => (n === null ? h('td', { class: 'num diagonal' }, '—') : h('td', { class: 'num', dataset: { n } }, formatInteger(n))))))),
      )),
  );
}

// ------------------------------------------------------------------ custom audiences

/** The per-customer columns a definition is evaluated on, or `{ pending }`/`{ error }` while they are not all here. */
function definitionColumns(ctx, definition, asOf) {
  const needs = definitionNeeds(definition);
  const options = asOf ? { asOf } : {};
  const entries = { rfm: ctx.analyses.get('rfmCustomers', options) };
  if (needs.clv) entries.clv = ctx.analyses.get('clvCustomers', clvOptions(ctx.allSettings?.clv ?? {}, ctx.summary));
  for (const stage of needs.stages) entries[`stage:${stage}`] = ctx.analyses.get('lifecycleCustomers', { ...options, stage });
  const all = Object.values(entries);
  const failed = all.find((entry) => entry.status === 'error');
  if (failed) return { error: failed.error };
  if (all.some((entry) => entry.status !== 'done')) return { pending: true };
  const stageMembers = new Map(needs.stages.map((stage) => [stage, entries[`stage:${stage}`].value]));
  return { rfm: entries.rfm.value, clv: entries.clv?.value ?? null, stageMembers };
}

/** What a definition asks for, in a line: "segment Champions · stage Lapsed · purchases ≥ 2". */
function definitionText(locale, definition) {
  const { t, formatNumber } = locale;
  const parts = [];
  if (definition.segments.length) parts.push(t('audiences.custom.segments', { list: definition.segments.map((name) => segmentName(locale, name)).join(', ') }));
  if (definition.stages.length) parts.push(t('audiences.custom.stages', { list: definition.stages.map((stage) => t(`stage.${stage}`)).join(', ') }));
  for (const key of RANGES) {
    const [min, max] = definition[key];
    if (min === null && max === null) continue;
    const show = (value) => (key === 'pAlive' ? `${formatNumber(value * 100, 1)}%` : formatNumber(value, 2));
    const range = min !== null && max !== null ? t('audiences.custom.between', { min: show(min), max: show(max) }) : min !== null ? t('audiences.custom.atLeast', { min: show(min) }) : t('audiences.custom.atMost', { max: show(max) });
    parts.push(t('audiences.custom.range', { what: t(`audiences.builder.${key}`), range }));
  }
  return parts.length ? parts.join(' · ') : t('audiences.custom.every');
}

/** A custom audience's members as CSV (the columns the page has: id, segment, recency, purchases, monetary). */
function customCsv(rfm, rows, ids) {
  return csvText(['customer_id', 'segment', 'recency_days', 'purchases', 'monetary'], rows.map((row) => [ids[row], rfm.segments[rfm.segment[row]], rfm.recencyDays[row], rfm.frequency[row], rfm.monetary[row]]));
}

function builderCard(ctx, asOf) {
  const { locale, audienceStore } = ctx;
  const { t, formatInteger } = locale;
  const state = stateOf(ctx);
  const builder = state.builder;
  const draft = builder.draft;
  const rfmEntry = ctx.analyses.get('rfmCustomers', asOf ? { asOf } : {});
  const segments = rfmEntry.status === 'done' ? rfmEntry.value.segments : [];
  const update = (changes) => {
    Object.assign(draft, changes);
    builder.status = '';
    ctx.rerender();
  };
  const toggle = (list, value, on) => (on ? [...new Set([...list, value])] : list.filter((item) => item !== value));
  const checks = (key, values, label) => h('fieldset', { class: 'builder-checks', id: `builder-${key}` },
    h('legend', {}, t(`audiences.builder.${key}`), ' ', h('span', { class: 'muted small' }, `(${t('audiences.builder.any')})`)),
    values.map((value) => h('label', { class: 'check-line' },
      h('input', { type: 'checkbox', value, checked: draft[key].includes(value), onchange: (event) => update({ [key]: toggle(draft[key], value, event.target.checked) }) }),
      h('span', {}, label(value)))));
  const range = (key) => {
    const scale = key === 'pAlive' ? 100 : 1;
    const end = (i) => h('input', {
      id: `builder-${key}-${i ? 'max' : 'min'}`,
      type: 'number',
      step: 'any',
      min: 0,
      inputmode: 'decimal',
      placeholder: t(i ? 'audiences.builder.max' : 'audiences.builder.min'),
      'aria-label': t('audiences.builder.rangeLabel', { what: t(`audiences.builder.${key}`), end: t(i ? 'audiences.builder.max' : 'audiences.builder.min') }),
      value: draft[key][i] === null ? '' : String(Math.round(draft[key][i] * scale * 1e6) / 1e6),
      onchange: (event) => {
        const pair = [...draft[key]];
        pair[i] = event.target.value === '' ? null : Number(event.target.value) / scale;
        update({ [key]: pair });
      },
    });
    return h('div', { class: 'builder-range' }, h('span', { class: 'field-label' }, t(`audiences.builder.${key}`)), h('div', { class: 'range-inputs' }, end(0), h('span', { 'aria-hidden': 'true' }, '–'), end(1)));
  };
  const normalized = normalizeDefinition({ ...draft, name: draft.name || '·' });
  const columns = definitionColumns(ctx, normalized, asOf);
  const count = columns.rfm ? evaluateDefinition(normalized, columns).length : null;
  const status = h('p', { class: 'muted', role: 'status', id: 'builder-status' }, builder.status);
  const save = () => {
    const definition = normalizeDefinition(draft);
    if (!definition) {
      builder.status = t('audiences.builder.noName');
      ctx.rerender();
      ctx.byId('builder-name')?.focus();
      return;
    }
    audienceStore.save(withDefinition(audienceStore.load(), definition));
    builder.draft = emptyDefinition('');
    builder.status = t('audiences.builder.savedOne', { name: definition.name });
    ctx.rerender();
  };
  return h('section', { class: 'card builder-card', id: 'audiences-builder', 'aria-labelledby': 'audiences-builder-heading' },
    h('h2', { id: 'audiences-builder-heading' }, t('audiences.builder.heading')),
    h('p', { class: 'muted caption' }, t(audienceStore.kind === 'element' ? 'audiences.builder.captionElement' : 'audiences.builder.caption')),
    h('form', { class: 'builder-form', onsubmit: (event) => { event.preventDefault(); save(); } },
      h('label', { class: 'field', for: 'builder-name' },
        h('span', { class: 'field-label' }, t('audiences.builder.name')),
        h('input', { id: 'builder-name', type: 'text', autocomplete: 'off', maxlength: 80, placeholder: t('audiences.builder.namePlaceholder'), value: draft.name, oninput: (event) => { draft.name = event.target.value; } })),
      h('div', { class: 'builder-grid' },
        checks('segments', segments, (name) => segmentName(locale, name)),
        checks('stages', STAGES, (stage) => t(`stage.${stage}`)),
        h('div', { class: 'builder-ranges' }, RANGES.map(range)),
      ),
      h('p', { class: 'muted small' }, t('audiences.builder.modelNote')),
      h('p', { class: 'builder-count', id: 'builder-count', dataset: { n: count ?? '' } }, columns.error ? errorCard(locale, columns.error) : count === null ? t('audiences.builder.counting') : t('audiences.builder.matches', { n: formatInteger(count) })),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'button primary', id: 'builder-save' }, t('audiences.builder.save')),
        h('button', { type: 'button', class: 'button quiet', id: 'builder-clear', onclick: () => { builder.draft = emptyDefinition(''); builder.status = ''; ctx.rerender(); } }, t('audiences.builder.clear')),
      ),
      status,
    ),
  );
}

function customCard(ctx, definition, asOf) {
  const { locale, audienceStore } = ctx;
  const { t, formatInteger } = locale;
  const state = stateOf(ctx);
  const slug = fileSlug(definition.name);
  const columns = definitionColumns(ctx, definition, asOf);
  const status = h('p', { class: 'muted list-status', role: 'status', id: `custom-${slug}-status` });
  const section = h('section', { class: 'card audience-card custom', id: `custom-${slug}`, dataset: { audience: `custom:${definition.name}` }, 'aria-labelledby': `custom-${slug}-heading` },
    h('div', { class: 'audience-head' },
      h('div', { class: 'audience-words' },
        h('h2', { id: `custom-${slug}-heading` }, definition.name),
        h('p', { class: 'audience-definition' }, definitionText(locale, definition))),
    ),
  );
  if (!columns.rfm) {
    section.append(columns.error ? errorCard(locale, columns.error) : loadingCard(t('audiences.builder.counting')));
    return section;
  }
  const rows = evaluateDefinition(definition, columns);
  const allIds = customerIdsOf(columns.rfm);
  const file = `audience-${slug}-${asOf}.csv`;
  section.querySelector('.audience-head').append(h('dl', { class: 'facts audience-facts' }, fact(t('audiences.size'), formatInteger(rows.length), 'size')));
  section.append(
    h('div', { class: 'list-actions audience-actions' },
      h('button', { type: 'button', class: 'button primary', id: `custom-${slug}-export`, disabled: rows.length === 0, onclick: (event) => exportToFile({ button: event.currentTarget, status, file, content: async () => customCsv(columns.rfm, rows, allIds), saved: t('audiences.saved', { file }) }) }, t('audiences.export')),
      ctx.selectAudience
        ? h('button', {
          type: 'button',
          class: 'button',
          id: `custom-${slug}-select`,
          disabled: rows.length === 0,
          onclick: () => {
            ctx.selectAudience({ audience: `custom:${definition.name}`, customerIds: rows.map((row) => allIds[row]), asOf, params: definition });
            status.textContent = t('audiences.selected', { n: formatInteger(rows.length) });
          },
        }, t('audiences.select'))
        : null,
      h('button', { type: 'button', class: 'button quiet', id: `custom-${slug}-edit`, onclick: () => { state.builder = { draft: structuredClone(definition), status: '' }; ctx.rerender(); ctx.byId('builder-name')?.focus(); } }, t('audiences.custom.edit')),
      h('button', {
        type: 'button',
        class: 'button quiet',
        id: `custom-${slug}-delete`,
        'aria-label': t('audiences.custom.deleteLabel', { name: definition.name }),
        onclick: () => {
          audienceStore.save(audienceStore.load().filter((d) => d.name !== definition.name));
          ctx.rerender();
        },
      }, t('audiences.custom.delete')),
    ),
    status,
  );
  return section;
}

// ------------------------------------------------------------------ the view

export function renderAudiences(ctx) {
  const { locale, settings } = ctx;
  const { t, formatDate, formatInteger } = locale;
  stateOf(ctx);
  const options = engineOptions(settings);
  const entry = ctx.analyses.get('audiences', options);
  const head = (result) => h('div', { class: 'view-head' },
    h('h2', { class: 'view-title', id: 'view-heading', tabindex: -1 }, t('audiences.heading')),
    h('p', { class: 'muted' }, t('audiences.intro', { date: formatDate(result?.asOf ?? (settings.asOf || ctx.summary.lastDate)) })),
  );
  if (entry.status === 'pending') return h('div', { class: 'view audiences' }, head(null), controls(ctx, null), loadingCard(t('audiences.loading')));
  if (entry.status === 'error') return h('div', { class: 'view audiences' }, head(null), controls(ctx, null), errorCard(locale, entry.error), builderCard(ctx, settings.asOf));
  const result = entry.value;
  // Listed in priority order: with one audience per customer, each stays in the first that holds them.
  const audiences = byPriority(result.audiences, result.priority);
  const counts = result.overlaps ?? { customers: 0, inSeveral: 0, pairs: [] };
  const definitions = ctx.audienceStore.load();
  return h('div', { class: 'view audiences' },
    head(result),
    result.modelNote ? h('p', { class: 'muted note', id: 'audiences-model-note' }, locale.describeMessage(result.modelNote)) : null,
    result.productsNote ? h('p', { class: 'muted note', id: 'audiences-products-note' }, locale.t('audiences.productsNote', { message: locale.describeMessage(result.productsNote) })) : null,
    controls(ctx, result),
    h('div', { class: 'kpis', id: 'audiences-kpis' },
      kpi('audiences', t('audiences.kpi.audiences'), formatInteger(audiences.length), t('audiences.kpi.audiencesDetail')),
      kpi('distinct', t('audiences.kpi.distinct'), formatInteger(counts.customers), t('audiences.kpi.distinctDetail')),
      kpi('several', t('audiences.kpi.several'), formatInteger(counts.inSeveral), t('audiences.kpi.severalDetail')),
    ),
    h('div', { class: 'audience-list', id: 'audiences-list' }, audiences.map((audience) => audienceCard(ctx, audience, result))),
    audiences.length > 1 ? overlapsCard(ctx, audiences, counts) : null,
    builderCard(ctx, result.asOf),
    h('section', { class: 'custom-list', id: 'audiences-custom', 'aria-label': t('audiences.custom.heading') },
      h('h2', { class: 'section-title' }, t('audiences.custom.heading')),
      definitions.length ? definitions.map((definition) => customCard(ctx, definition, result.asOf)) : h('p', { class: 'muted' }, t('audiences.custom.none'))),
  );
}
