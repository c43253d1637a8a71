// Stacked bars per period, one colour per group (growth accounting's components, new against
// returning customers). Negative values stack below zero, so a diverging chart is the same call.
import { Plot, plot } from './plot.js';

/**
 * @param {Array<{ period: string, group: string, value: number, title: string }>} bars
 * @param {{ periods: string[], colors: Record<string, string>, width?: number, yLabel: string,
 *   yFormat: (v) => string, xFormat: (period: string) => string, ariaLabel?: string }} options
 *   `colors` names the groups in stacking order (the first at the bottom) and their colours.
 */
export function stackedBars(bars, { periods, colors, width = 720, yLabel, yFormat, xFormat, ariaLabel }) {
  const groups = Object.keys(colors);
  const bandWidth = (width - 64) / Math.max(1, periods.length);
  // A label at most every 56 px; ticks from a label's own width would leave gaps on week data.
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
    color: { domain: groups, range: groups.map((group) => colors[group]), legend: false },
    marks: [
      Plot.barY(bars, { x: 'period', y: 'value', fill: 'group', order: groups, inset: bandWidth > 12 ? 1 : 0, title: 'title' }),
      Plot.ruleY([0], { stroke: 'var(--cl-text)' }),
    ],
  });
}
