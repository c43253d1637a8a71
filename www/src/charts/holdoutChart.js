// The holdout check: mean purchases per customer in the holdout, predicted against actual, by
// how many repeat purchases customers made before it (the calibration/holdout plot of the papers).
import { Plot, plot, seriesPoints } from './plot.js';

/**
 * @param {Array<{ frequency: string, predictedMean: number, actualMean: number, customers: number }>} buckets
 * @param {{ width?: number, xLabel: string, yLabel: string, predictedLabel: string,
 *   actualLabel: string, format: (v) => string, ariaLabel?: string }} options
 */
export function holdoutChart(buckets, { width = 520, xLabel, yLabel, predictedLabel, actualLabel, format, ariaLabel }) {
  const points = seriesPoints(buckets, 'frequency', (bucket) => bucket.frequency,
    [[predictedLabel, (bucket) => bucket.predictedMean], [actualLabel, (bucket) => bucket.actualMean]], format);
  const domain = buckets.map((bucket) => bucket.frequency);
  return plot({
    width,
    height: Math.round(Math.min(300, Math.max(220, width * 0.5))),
    marginLeft: 48,
    marginTop: 24,
    ariaLabel,
    x: { domain, label: xLabel, labelAnchor: 'center' },
    y: { label: yLabel, grid: true, nice: true },
    color: { domain: [predictedLabel, actualLabel], range: ['var(--cl-accent)', 'var(--cl-warm)'] },
    marks: [
      Plot.line(points.filter((d) => d.kind === predictedLabel), { x: 'frequency', y: 'value', stroke: 'kind', strokeWidth: 2, strokeDasharray: '5 3' }),
      Plot.line(points.filter((d) => d.kind === actualLabel), { x: 'frequency', y: 'value', stroke: 'kind', strokeWidth: 2 }),
      Plot.dot(points, { x: 'frequency', y: 'value', fill: 'kind', r: 4, title: 'title' }),
      Plot.ruleY([0]),
    ],
  });
}
