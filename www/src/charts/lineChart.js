// A small line chart over period indices or dates: the average retention curve, the cumulative
// revenue per customer of each cohort, the retention and churn rate series.
import { Plot, plot } from './plot.js';

/**
 * @param {Array<{ x: number|Date, y: number, series?: string, title?: string }>} points
 * @param {{ width?: number, height?: number, xLabel?: string, yLabel?: string,
 *   yFormat?: (v) => string, xFormat?: (v) => string, yDomain?: [number, number],
 *   dots?: boolean, colors?: Record<string, string>, highlight?: string, ariaLabel?: string,
 *   xTicks?: Array }} options
 */
export function lineChart(points, options) {
  const { width = 520, height, xLabel, yLabel, yFormat, xFormat, yDomain, dots = true, colors, ariaLabel, xTicks, zero = false } = options;
  const series = [...new Set(points.map((point) => point.series ?? ''))];
  const colored = Boolean(colors);
  return plot({
    width,
    height: height ?? Math.round(Math.min(300, Math.max(200, width * 0.48))),
    marginLeft: 56,
    // Room for half of the last date label ("thg 11 2011"), centred on the last point.
    marginRight: 40,
    marginTop: 24,
    ariaLabel,
    x: { label: xLabel ?? null, tickFormat: xFormat, ticks: xTicks ?? Math.max(2, Math.floor(width / 100)), labelAnchor: 'right' },
    y: { label: yLabel ?? null, tickFormat: yFormat, domain: yDomain, grid: true, nice: true },
    color: colored ? { domain: series, range: series.map((name) => colors[name] ?? 'var(--cl-muted)') } : undefined,
    marks: [
      zero ? Plot.ruleY([0], { stroke: 'var(--cl-muted)' }) : null,
      Plot.line(points, { x: 'x', y: 'y', z: 'series', stroke: colored ? 'series' : 'var(--cl-accent)', strokeWidth: series.length > 6 ? 1.4 : 2.5, strokeOpacity: series.length > 6 ? 0.7 : 1 }),
      dots ? Plot.dot(points, { x: 'x', y: 'y', fill: colored ? 'series' : 'var(--cl-accent)', r: 3, title: 'title' }) : null,
      Plot.tip(points, Plot.pointer({ x: 'x', y: 'y', title: 'title' })),
    ],
  });
}

/**
 * Ticks at the data's own x values (periods, period indices), every k-th so labels keep about
 * `spacing` px apart: the scale's own ticks fall between periods when there are few of them, and
 * a date format then repeats a label ("2011 2011 2011" on yearly data).
 */
export function everyNth(values, width, spacing = 90) {
  const fit = Math.max(2, Math.floor(width / spacing));
  const step = Math.max(1, Math.ceil(values.length / fit));
  return values.filter((_, i) => i % step === 0);
}
