// A histogram from bin edges and counts (the CLV distribution, time to second purchase).
import { Plot, plot } from './plot.js';

/**
 * @param {Array<{ from: number, to: number, count: number, title: string }>} bins
 * @param {{ width?: number, xLabel: string, yLabel: string, xFormat: (v) => string,
 *   ariaLabel?: string, fill?: string }} options
 */
export function histogram(bins, { width = 520, xLabel, yLabel, xFormat, ariaLabel, fill = 'var(--cl-accent)' }) {
  return plot({
    width,
    height: Math.round(Math.min(280, Math.max(200, width * 0.45))),
    marginLeft: 48,
    marginRight: 24,
    marginTop: 24,
    ariaLabel,
    x: { label: xLabel, tickFormat: xFormat, labelAnchor: 'right' },
    y: { label: yLabel, grid: true },
    marks: [
      Plot.rectY(bins, { x1: 'from', x2: 'to', y: 'count', fill, inset: 0.5, title: 'title' }),
      Plot.ruleY([0]),
    ],
  });
}

/** Under this many pixels a bucket, its label ("181–365") is slanted so it does not run into the next. */
const slantBelowBucketWidth = 56;

/** Bars over named buckets (e.g. "1–7 days"), when the bins are not numeric. */
export function bucketBars(buckets, { width = 520, xLabel = null, yLabel, ariaLabel, fill = 'var(--cl-accent)' }) {
  const slanted = width / Math.max(1, buckets.length) < slantBelowBucketWidth;
  return plot({
    width,
    height: Math.round(Math.min(280, Math.max(200, width * 0.45))) + (slanted ? 20 : 0),
    marginLeft: 48,
    marginTop: 24,
    marginBottom: slanted ? 64 : 44,
    ariaLabel,
    x: { domain: buckets.map((b) => b.label), label: xLabel, labelAnchor: 'right', tickSize: 0, tickRotate: slanted ? -40 : 0 },
    y: { label: yLabel, grid: true },
    marks: [
      Plot.barY(buckets, { x: 'label', y: 'count', fill, inset: 2, title: 'title' }),
      Plot.ruleY([0]),
    ],
  });
}
