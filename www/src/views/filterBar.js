// The filter bar above every view: a chip per filtered value (× removes it), "Add filter" (an
// attribute of the book, its values searchable with their order counts), a date range, and
// "Clear". The lens holds the filter and hands it to every analysis; the bar only edits it.
import { h } from '../dom.js';
import { attributeName, filterChips, isEmptyFilter, searchValues, withDates, withValue, withoutValue } from './filterModel.js';
import { valueName } from './overviewModel.js';

/** Values listed at once; the search finds the others. */
const LISTED_VALUES = 50;

/**
 * @param {object} ctx `{ locale, filter, setFilter(filter), attributes: entry of book.attributes(),
 *   summary, state }` — `state` keeps the open panel, its attribute and search between renders.
 */
export function filterBar(ctx) {
  const { locale, filter, setFilter, summary } = ctx;
  const { t } = locale;
  const attributes = ctx.attributes?.status === 'done' ? ctx.attributes.value ?? [] : [];
  const chips = filterChips(filter, attributes);
  const chipText = (chip) => {
    if (chip.key === 'from') return t('filter.fromChip', { date: locale.formatDate(chip.value) });
    if (chip.key === 'to') return t('filter.toChip', { date: locale.formatDate(chip.value) });
    return `${chip.attribute ? attributeName(locale, chip.attribute) : chip.key}: ${valueName(locale, chip.value)}`;
  };
  const remove = (chip) => setFilter(chip.key === 'from' || chip.key === 'to' ? withDates(filter, { [chip.key]: '' }) : withoutValue(filter, chip.key, chip.value));
  const bounds = { min: summary?.firstDate ?? null, max: summary?.lastDate ?? null };
  const dateInput = (key) => h('label', { class: 'filter-date', for: `filter-${key}` },
    h('span', {}, t(`filter.${key}`)),
    h('input', { id: `filter-${key}`, type: 'date', value: filter[key] ?? '', min: bounds.min, max: bounds.max, onchange: (event) => setFilter(withDates(filter, { [key]: event.target.value })) }));
  return h('section', { class: 'filter-bar', id: 'filter-bar', 'aria-label': t('filter.label'), dataset: { active: isEmptyFilter(filter) ? 'false' : 'true' } },
    h('span', { class: 'filter-title' }, t('filter.label')),
    h('ul', { class: 'chips', id: 'filter-chips', 'aria-label': t('filter.chips') },
      chips.length
        ? chips.map((chip) => h('li', { class: 'chip', dataset: { key: chip.key, value: chip.value } },
          h('span', {}, chipText(chip)),
          h('button', { type: 'button', class: 'chip-remove', 'aria-label': t('filter.remove', { what: chipText(chip) }), onclick: () => remove(chip) }, '×')))
        : h('li', { class: 'chip-none muted' }, t('filter.nothing'))),
    attributes.length ? addPanel(ctx, attributes) : null,
    h('div', { class: 'filter-dates' }, dateInput('from'), dateInput('to')),
    chips.length ? h('button', { type: 'button', class: 'button quiet', id: 'filter-clear', onclick: () => setFilter({}) }, t('filter.clear')) : null,
    ctx.attributes?.status === 'error' ? h('span', { class: 'muted' }, t('filter.noAttributes')) : null,
  );
}

/** "Add filter": the attribute, a search box and its values (already filtered values checked). */
function addPanel(ctx, attributes) {
  const { locale, filter, setFilter, state } = ctx;
  const { t, formatInteger } = locale;
  const attribute = attributes.find((a) => a.key === state.attribute) ?? attributes[0];
  const chosen = new Set(filter[attribute.key] ?? []);
  const list = h('ul', { class: 'filter-values', id: 'filter-values', role: 'list' });
  const fill = () => {
    const matches = searchValues(attribute, state.query ?? '', LISTED_VALUES);
    list.replaceChildren(...(matches.length
      ? matches.map((entry) => h('li', {},
        h('button', {
          type: 'button',
          // By the value's place in the book's list: redrawn (the filter changed, a result
          // arrived), the lens gives focus back to the same value.
          id: `filter-value-${attribute.values.indexOf(entry)}`,
          class: 'filter-value',
          dataset: { value: entry.value },
          'aria-pressed': chosen.has(entry.value) ? 'true' : 'false',
          onclick: () => {
            state.open = true;
            setFilter(chosen.has(entry.value) ? withoutValue(filter, attribute.key, entry.value) : withValue(filter, attribute.key, entry.value));
          },
        },
        h('span', { class: 'filter-value-name' }, valueName(locale, entry.value)),
        h('span', { class: 'filter-value-count' }, t('filter.orders', { n: formatInteger(entry.orders) })))))
      : [h('li', { class: 'muted' }, t('filter.noMatch'))]));
  };
  fill();
  return h('details', {
    class: 'filter-add',
    id: 'filter-add',
    open: state.open ? true : null,
    ontoggle: (event) => {
      state.open = event.currentTarget.open;
    },
    // Escape closes the panel and gives focus back to its button, as a menu does.
    onkeydown: (event) => {
      if (event.key !== 'Escape' || !event.currentTarget.open) return;
      event.currentTarget.open = false;
      state.open = false;
      event.currentTarget.querySelector('summary')?.focus();
    },
  },
    h('summary', { class: 'button', id: 'filter-add-button' }, t('filter.add')),
    h('div', { class: 'filter-panel' },
      h('label', { class: 'field', for: 'filter-attribute' },
        h('span', { class: 'field-label' }, t('filter.attribute')),
        h('select', {
          id: 'filter-attribute',
          onchange: (event) => {
            state.attribute = event.target.value;
            state.query = '';
            state.open = true;
            ctx.rerender();
          },
        }, attributes.map((a) => h('option', { value: a.key, selected: a.key === attribute.key }, t('filter.attributeOption', { name: attributeName(locale, a), n: formatInteger(a.values.length) }))))),
      h('label', { class: 'field', for: 'filter-search' },
        h('span', { class: 'field-label' }, t('filter.search')),
        h('input', {
          id: 'filter-search',
          type: 'search',
          autocomplete: 'off',
          value: state.query ?? '',
          placeholder: t('filter.searchPlaceholder'),
          // Only the list is redrawn: the box keeps its focus and caret while the user types.
          oninput: (event) => {
            state.query = event.target.value;
            fill();
          },
        })),
      list,
    ),
  );
}
