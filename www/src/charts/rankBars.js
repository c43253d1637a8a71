// Ranked horizontal bars with long labels (top products, first products' repeat rates), with an
// optional reference line (the store's average) drawn across them.
import { Plot, plot } from './plot.js';

/** Labels longer than this are cut with an ellipsis (the table beside the chart has them whole). */
const LABEL_CHARACTERS = 26;

/**
 * @param {Array<{ label: string, value: number, title: string }>} bars in display order
 * @param {{ width?: number, xLabel: string, xFormat?: (v: number) => string,
 *   reference?: number|null, referenceTitle?: string, ariaLabel?: string, fill?: string }} options
 */
export function rankBars(bars, { width = 640, xLabel, xFormat, reference = null, referenceTitle = '', ariaLabel, fill = 'var(--cl-accent)' }) {
  const narrow = width < 480;
  const characters = narrow ? 15 : LABEL_CHARACTERS;
  const cut = (label) => (label.length > characters ? `${label.slice(0, characters - 1)}…` : label);
  const rows = bars.map((bar, i) => ({ ...bar, key: `${i + 1}. ${cut(bar.label)}` }));
  return plot({
    width,
    height: 28 + rows.length * 22 + 40,
    marginLeft: narrow ? 140 : 230,
    marginRight: 24,
    marginTop: 12,
    ariaLabel,
    x: { label: xLabel, labelAnchor: 'right', grid: true, tickFormat: xFormat, nice: true },
    y: { domain: rows.map((row) => row.key), label: null, tickSize: 0 },
    marks: [
      Plot.barX(rows, { y: 'key', x: 'value', fill, inset: 2, title: 'title' }),
      Plot.ruleX([0]),
      reference === null || reference === undefined
        ? null
        : Plot.ruleX([reference], { stroke: 'var(--cl-warm)', strokeWidth: 2, strokeDasharray: '5 3', title: () => referenceTitle }),
    ].filter(Boolean),
  });
}
