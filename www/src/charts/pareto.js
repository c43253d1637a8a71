// The Pareto (Lorenz-style) curve: share of revenue from the top x% of customers.
import { Plot, plot } from './plot.js';

/**
 * @param {Array<{ customerShare: number, revenueShare: number }>} points
 * @param {{ width?: number, xLabel: string, yLabel: string, formatPercent: (share) => string,
 *   highlight?: number, pointTitle: (point) => string, ariaLabel?: string }} options
 */
export function paretoChart(points, { width = 520, xLabel, yLabel, formatPercent, highlight = 0.2, pointTitle, ariaLabel }) {
  const marked = points.reduce((best, point) => (Math.abs(point.customerShare - highlight) < Math.abs(best.customerShare - highlight) ? point : best), points[0]);
  return plot({
    width,
    height: Math.round(Math.min(320, Math.max(220, width * 0.5))),
    marginLeft: 48,
    marginRight: 16,
    marginTop: 24,
    ariaLabel,
    x: { domain: [0, 1], label: xLabel, tickFormat: formatPercent, ticks: 5 },
    y: { domain: [0, 1], label: yLabel, tickFormat: formatPercent, ticks: 5, grid: true },
    marks: [
      Plot.line([{ x: 0, y: 0 }, { x: 1, y: 1 }], { x: 'x', y: 'y', stroke: 'var(--cl-border)', strokeDasharray: '4 4' }),
      Plot.areaY(points, { x: 'customerShare', y: 'revenueShare', fill: 'var(--cl-accent)', fillOpacity: 0.12 }),
      Plot.line(points, { x: 'customerShare', y: 'revenueShare', stroke: 'var(--cl-accent)', strokeWidth: 2.5 }),
      Plot.ruleX([marked], { x: 'customerShare', y1: 0, y2: 'revenueShare', stroke: 'var(--cl-warm)', strokeDasharray: '3 3' }),
      Plot.ruleY([marked], { y: 'revenueShare', x1: 0, x2: 'customerShare', stroke: 'var(--cl-warm)', strokeDasharray: '3 3' }),
      Plot.dot([marked], { x: 'customerShare', y: 'revenueShare', fill: 'var(--cl-warm)', r: 4.5, title: pointTitle }),
      Plot.text([marked], {
        x: 'customerShare',
        y: 'revenueShare',
        text: pointTitle,
        dx: 8,
        dy: 14,
        textAnchor: 'start',
        fill: 'var(--cl-text)',
        fontWeight: 600,
        lineWidth: 16,
      }),
      Plot.dot(points, Plot.pointerX({ x: 'customerShare', y: 'revenueShare', fill: 'var(--cl-accent)', r: 3.5 })),
      Plot.tip(points, Plot.pointerX({ x: 'customerShare', y: 'revenueShare', title: pointTitle })),
    ],
  });
}
