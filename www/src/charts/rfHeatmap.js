// The R × F grid of RFM scores as a heat map: customers per cell, labelled with the count.
import { Plot, inkOn, plot, teal } from './plot.js';

/**
 * @param {Array<{ r: number, f: number, customers: number, meanMonetary: number|null }>} grid
 * @param {{ bins: number, width?: number, xLabel: string, yLabel: string,
 *   cellTitle: (cell) => string, ariaLabel?: string }} options
 */
export function rfHeatmap(grid, { bins, width = 420, xLabel, yLabel, cellTitle, ariaLabel }) {
  const max = Math.max(1, ...grid.map((cell) => cell.customers));
  const scores = Array.from({ length: bins }, (_, i) => i + 1);
  const size = Math.min(width, 460);
  return plot({
    width: size,
    height: Math.round(size * 0.86),
    marginLeft: 44,
    marginBottom: 44,
    marginTop: 8,
    marginRight: 8,
    ariaLabel,
    x: { domain: scores, label: xLabel, labelAnchor: 'center', tickSize: 0 },
    y: { domain: [...scores].reverse(), label: yLabel, labelAnchor: 'center', tickSize: 0 },
    marks: [
      Plot.cell(grid, {
        x: 'f',
        y: 'r',
        fill: (cell) => (cell.customers === 0 ? 'var(--cl-surface-2)' : teal(0.1 + (0.9 * cell.customers) / max)),
        inset: 1,
        rx: 3,
        title: cellTitle,
      }),
      Plot.text(grid, {
        x: 'f',
        y: 'r',
        text: (cell) => (cell.customers === 0 ? '' : String(cell.customers)),
        fill: (cell) => inkOn(0.1 + (0.9 * cell.customers) / max),
        fontSize: bins > 7 ? 10 : 13,
        fontWeight: 600,
        pointerEvents: 'none',
      }),
    ],
  });
}
