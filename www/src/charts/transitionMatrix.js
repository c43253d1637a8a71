// The stage transition matrix as a shaded table: rows = stage at the earlier date, columns =
// stage at the later one, each cell the number of customers who moved that way. A table is
// the chart here: readable by screen readers as it is.
import { h } from '../dom.js';

/**
 * @param {{ states: string[], customers: number[][] }} transitions
 * @param {{ label: (state: string) => string, cellTitle: (n, from, to) => string,
 *   rowHeader: string, columnHeader: string, format: (n: number) => string }} options
 */
export function transitionMatrix(transitions, { label, cellTitle, rowHeader, columnHeader, format }) {
  const { states, customers } = transitions;
  const max = Math.max(1, ...customers.flat());
  return h('table', { class: 'transition-matrix' },
    h('thead', {},
      h('tr', {}, h('td', { class: 'corner' }), h('th', { scope: 'colgroup', colspan: states.length, class: 'axis' }, columnHeader)),
      h('tr', {}, h('th', { scope: 'col', class: 'axis' }, rowHeader), states.map((state) => h('th', { scope: 'col' }, label(state)))),
    ),
    h('tbody', {}, states.map((from, i) => h('tr', {},
      h('th', { scope: 'row' }, label(from)),
      states.map((to, j) => {
        const n = customers[i]?.[j] ?? 0;
        // Between 68% and 80% of the accent neither dark nor light text reaches a 4.5:1
        // contrast, so shades skip that band.
        const percent = 8 + 80 * (n / max);
        const dark = percent >= 80;
        const cell = h('td', { class: [n === 0 ? 'zero' : '', i === j ? 'same' : '', dark ? 'dark' : ''].join(' ').trim() || null, title: cellTitle(n, from, to) }, n === 0 ? '·' : format(n));
        cell.style.setProperty('--shade', `${Math.round(dark ? percent : Math.min(percent, 68))}%`);
        return cell;
      }),
    ))),
  );
}
