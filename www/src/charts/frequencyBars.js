// Customers by how many repeat purchases they made before the calibration end, actual against
// what the purchase model expects for customers of the same ages (`lifetimes`'
// plot_period_transactions): side-by-side bars per frequency.
import { Plot, plot, seriesPoints } from './plot.js';

/**
 * @param {Array<{ frequency: string, actual: number, expected: number }>} bars
 * @param {{ width?: number, actualLabel: string, expectedLabel: string, xLabel: string,
 *   yLabel: string, format: (v) => string, ariaLabel?: string }} options
 */
export function frequencyBars(bars, { width = 520, actualLabel, expectedLabel, xLabel, yLabel, format, ariaLabel }) {
  const points = seriesPoints(bars, 'frequency', (bar) => bar.frequency,
    [[actualLabel, (bar) => bar.actual], [expectedLabel, (bar) => bar.expected]], format);
  return plot({
    width,
    height: Math.round(Math.min(300, Math.max(220, width * 0.45))),
    marginLeft: 56,
    marginTop: 24,
    ariaLabel,
    fx: { domain: bars.map((bar) => bar.frequency), label: xLabel, labelAnchor: 'center', padding: 0.15 },
    x: { domain: [actualLabel, expectedLabel], axis: null, padding: 0.05 },
    y: { label: yLabel, grid: true, nice: true },
    color: { domain: [expectedLabel, actualLabel], range: ['var(--cl-accent)', 'var(--cl-warm)'] },
    marks: [
      Plot.barY(points, { fx: 'frequency', x: 'kind', y: 'value', fill: 'kind', title: 'title' }),
      Plot.ruleY([0]),
    ],
  });
}
