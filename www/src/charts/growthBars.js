// Growth accounting as diverging stacked bars: new, retained and resurrected above zero,
// churned below, one bar per period.
import { stackedBars } from './stackedBars.js';

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
export function growthBars(bars, options) {
  return stackedBars(bars.map(({ component, ...bar }) => ({ ...bar, group: component })), { ...options, colors: GROWTH_COLORS });
}
