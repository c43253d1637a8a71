// Growth accounting as diverging stacked bars: new, retained and resurrected above zero,
// churned below, one bar per period.
import { Plot, plot } from './plot.js';

export const GROWTH_COLORS = {
  new: '#0f5f66',
  retained: '#5fa8a8',
  resurrected: '#d08a3c',
  churned: '#b33a3a',
};

/**
 * @param {Array<{ period: string, component: 'new'|'retained'|'resurrected'|'churned',
 *   value: number, title: string }>} bars
 * @param {{ periods: string[], width?: number, yLabel: string, yFormat: (v) => string,
 *   xFormat: (period: string) => string, ariaLabel?: string }} options
 */
export function growthBars(bars, { periods, width = 720, yLabel, yFormat, xFormat, ariaLabel }) {
  const components = Object.keys(GROWTH_COLORS);
  const bandWidth = (width - 64) / Math.max(1, periods.length);
  const tickEvery = Math.max(1, Math.ceil(56 / bandWidth));
  return plot({
    width,
    height: Math.round(Math.min(340, Math.max(240, width * 0.42))),
    marginLeft: 64,
    marginRight: 12,
    marginTop: 16,
    marginBottom: 36,
    ariaLabel,
    x: { domain: periods, label: null, tickFormat: xFormat, ticks: periods.filter((_, i) => i % tickEvery === 0), tickSize: 0 },
    y: { label: yLabel, tickFormat: yFormat, grid: true },
    color: { domain: components, range: components.map((c) => GROWTH_COLORS[c]), legend: false },
    marks: [
      Plot.barY(bars, { x: 'period', y: 'value', fill: 'component', order: components, inset: bandWidth > 12 ? 1 : 0, title: 'title' }),
      Plot.ruleY([0], { stroke: 'var(--cl-text)' }),
    ],
  });
}
