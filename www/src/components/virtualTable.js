// A virtualised, sortable table for per-customer columns (typed arrays): only the rows in view
// are in the DOM, so 100 000+ customers scroll smoothly. ARIA table roles keep it readable by
// screen readers (aria-rowcount / aria-rowindex say where the visible rows are).
import { h } from '../dom.js';

const ROW_HEIGHT = 36;
const OVERSCAN = 8;

/**
 * @param {{
 *   columns: Array<{ key: string, label: string, numeric?: boolean,
 *     value: (row: number) => number|string, format?: (row: number) => string|Node }>,
 *   rows: Uint32Array,                 // row numbers to show, in display order
 *   sort: { key: string, descending: boolean },
 *   onSort: (sort) => void,
 *   label: string, sortedLabel: string, height?: number, id?: string,
 * }} options
 */
export function virtualTable({ columns, rows, sort, onSort, label, sortedLabel, height = 420, id }) {
  const template = columns.map((column) => column.width ?? (column.numeric ? 'minmax(6rem, 1fr)' : 'minmax(8rem, 2fr)')).join(' ');
  const header = h('div', { class: 'vt-row vt-head', role: 'row', 'aria-rowindex': 1 },
    columns.map((column) => {
      const active = sort.key === column.key;
      return h('div', {
        role: 'columnheader',
        class: column.numeric ? 'vt-cell num' : 'vt-cell',
        'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none',
      },
        h('button', {
          type: 'button',
          class: 'vt-sort',
          'aria-label': active ? `${column.label}, ${sortedLabel}` : column.label,
          onclick: () => onSort({ key: column.key, descending: active ? !sort.descending : column.numeric !== false }),
        }, column.label, h('span', { class: 'vt-arrow', 'aria-hidden': 'true' }, active ? (sort.descending ? '▼' : '▲') : '')),
      );
    }),
  );
  header.style.setProperty('--vt-columns', template);

  const spacer = h('div', { class: 'vt-spacer', role: 'presentation' });
  spacer.style.setProperty('--vt-total', `${rows.length * ROW_HEIGHT}px`);
  // The scrolling box is the rows' group (focusable, so the keyboard can scroll it); the header
  // row has its own group, so the table owns nothing but row groups.
  const body = h('div', { class: 'vt-body', role: 'presentation' });
  const viewport = h('div', { class: 'vt-viewport', tabindex: 0, role: 'rowgroup' }, spacer, body);
  viewport.style.setProperty('--vt-height', `${Math.min(height, rows.length * ROW_HEIGHT + 2)}px`);

  let first = -1;
  let last = -1;
  function draw() {
    const top = viewport.scrollTop;
    const visible = Math.ceil((viewport.clientHeight || height) / ROW_HEIGHT);
    const from = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const to = Math.min(rows.length, from + visible + 2 * OVERSCAN);
    if (from === first && to === last) return;
    first = from;
    last = to;
    const fragment = [];
    for (let position = from; position < to; position++) {
      const row = rows[position];
      const element = h('div', { class: 'vt-row', role: 'row', 'aria-rowindex': position + 2 },
        columns.map((column) => h('div', { role: 'cell', class: column.numeric ? 'vt-cell num' : 'vt-cell' }, column.format ? column.format(row) : String(column.value(row)))),
      );
      element.style.setProperty('--vt-columns', template);
      element.style.setProperty('--vt-top', `${position * ROW_HEIGHT}px`);
      fragment.push(element);
    }
    body.replaceChildren(...fragment);
  }
  let frame = 0;
  viewport.addEventListener('scroll', () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(draw);
  });
  // First draw once the viewport has a size (it is created detached).
  const observer = new ResizeObserver(() => {
    first = -1;
    draw();
  });
  observer.observe(viewport);
  draw();

  const table = h('div', { class: 'vt', role: 'table', 'aria-label': label, 'aria-rowcount': rows.length + 1, id },
    h('div', { class: 'vt-scroll-x' }, h('div', { role: 'rowgroup' }, header), viewport),
  );
  // Narrow screens scroll sideways rather than squeeze the columns.
  table.style.setProperty('--vt-min-width', `${columns.length * 7.25}rem`);
  return table;
}

/**
 * The row numbers 0..n-1 that pass `filter`, sorted by a column's values with `compare` (`<`
 * and `>` by default; a collator's for text); ties keep row order.
 */
export function sortedRows(count, value, descending, filter, compare = compareValues) {
  const rows = [];
  for (let row = 0; row < count; row++) if (!filter || filter(row)) rows.push(row);
  const direction = descending ? -1 : 1;
  rows.sort((a, b) => direction * compare(value(a), value(b)) || a - b);
  return Uint32Array.from(rows);
}

function compareValues(x, y) {
  if (x < y) return -1;
  return x > y ? 1 : 0;
}
