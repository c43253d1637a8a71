// A prediction over repeat purchases (rows) × recency of the last purchase (columns) for a
// customer of a given age: P(alive), the "frequency/recency" heat map of the papers, or the
// expected purchases over the horizon (from 0 to the largest value, `max`).
import { Plot, plot, teal } from './plot.js';

/**
 * @param {{ frequencies: number[], recencies: number[], values: number[][] }} matrix
 * @param {{ width?: number, max?: number, xLabel: string, yLabel: string,
 *   cellTitle: (f, r, p) => string, ariaLabel?: string }} options
 */
export function frequencyRecencyMatrix(matrix, { width = 520, max = 1, xLabel, yLabel, cellTitle, ariaLabel }) {
  const cells = [];
  matrix.values.forEach((row, i) => {
    row.forEach((p, j) => {
      cells.push({ f: matrix.frequencies[i], col: j, recency: matrix.recencies[j], p, title: cellTitle(matrix.frequencies[i], matrix.recencies[j], p) });
    });
  });
  const columns = matrix.recencies.map((_, j) => j);
  const tickEvery = Math.max(1, Math.ceil(columns.length / 8));
  const rows = [...matrix.frequencies].reverse();
  return plot({
    width,
    height: Math.round(Math.min(420, Math.max(220, rows.length * 16 + 60))),
    marginLeft: 48,
    marginRight: 8,
    marginTop: 24,
    ariaLabel,
    x: { domain: columns, label: xLabel, tickSize: 0, ticks: columns.filter((j) => j % tickEvery === 0), tickFormat: (j) => String(Math.round(matrix.recencies[j])), labelAnchor: 'right' },
    y: { domain: rows, label: yLabel, tickSize: 0, ticks: rows.filter((f) => f % Math.max(1, Math.ceil(rows.length / 10)) === 0) },
    marks: [Plot.cell(cells, { x: 'col', y: 'f', fill: (cell) => teal(max > 0 ? cell.p / max : 0), title: 'title' })],
  });
}
