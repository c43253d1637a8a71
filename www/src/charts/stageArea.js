// Lifecycle stage counts over time as stacked areas, one colour per stage.
import { Plot, plot } from './plot.js';

export const STAGE_COLORS = {
  new: '#5fa8a8',
  active: '#0f5f66',
  won_back: '#7a9a3c',
  at_risk: '#d08a3c',
  lapsed: '#b33a3a',
};

/**
 * @param {Array<{ date: Date, stage: string, n: number, title: string }>} points
 * @param {{ stages: string[], width?: number, yLabel: string, xFormat: (d: Date) => string,
 *   ariaLabel?: string }} options
 */
export function stageArea(points, { stages, width = 720, yLabel, xFormat, ariaLabel }) {
  return plot({
    width,
    height: Math.round(Math.min(320, Math.max(220, width * 0.4))),
    marginLeft: 52,
    marginRight: 28,
    marginTop: 20,
    ariaLabel,
    x: { label: null, tickFormat: xFormat, ticks: Math.max(2, Math.floor(width / 110)) },
    y: { label: yLabel, grid: true },
    color: { domain: stages, range: stages.map((stage) => STAGE_COLORS[stage] ?? 'var(--cl-muted)') },
    marks: [
      Plot.areaY(points, { x: 'date', y: 'n', fill: 'stage', order: stages, curve: 'monotone-x', fillOpacity: 0.9 }),
      Plot.ruleY([0]),
      Plot.tip(points, Plot.pointerX(Plot.stackY({ x: 'date', y: 'n', z: 'stage', order: stages, title: 'title' }))),
    ],
  });
}
