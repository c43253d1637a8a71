// The cohort triangle: one row per acquisition cohort, one column per period since, each cell
// coloured by its value (retention, revenue, orders…) and labelled when there is room.
import { Plot, inkOn, plot, teal } from './plot.js';

const defaults = { width: 720, rowHeight: 26, minRowHeight: 13, marginLeft: 112, minLabelWidth: 34 };

/**
 * @param {Array<{ row: string, k: number, value: number, label: string, title: string,
 *   incomplete: boolean }>} cells
 * @param {{ rows: string[], periods: number, width?: number, xLabel: string,
 *   rowLabel: (row: string) => string, ariaLabel?: string }} options
 */
export function cohortHeatmap(cells, options) {
  const { rows, periods, width, xLabel, rowLabel, ariaLabel, rowHeight: preferred, minRowHeight, marginLeft, minLabelWidth } = { ...defaults, ...options };
  const rowHeight = Math.max(minRowHeight, Math.min(preferred, Math.floor(640 / Math.max(1, rows.length))));
  const plotWidth = width - marginLeft - 8;
  const cellWidth = plotWidth / Math.max(1, periods);
  const showLabels = cellWidth >= minLabelWidth && rowHeight >= 16;
  // Colour against the largest value after period 0, so the later periods keep their contrast
  // (period 0 is 100% retention by definition and would flatten the scale).
  const later = cells.filter((cell) => cell.k > 0).map((cell) => cell.value);
  const max = Math.max(Number.EPSILON, ...(later.length ? later : cells.map((cell) => cell.value)));
  const shade = (cell) => 0.08 + 0.92 * Math.min(1, Math.max(0, cell.value / max));
  const ks = Array.from({ length: periods }, (_, k) => k);
  const tickEvery = Math.max(1, Math.ceil(24 / cellWidth));
  return plot({
    width,
    height: rows.length * rowHeight + 48,
    marginLeft,
    marginRight: 8,
    marginTop: 8,
    marginBottom: 40,
    ariaLabel,
    x: { domain: ks, label: xLabel, labelAnchor: 'left', tickSize: 0, ticks: ks.filter((k) => k % tickEvery === 0) },
    y: { domain: rows, label: null, tickSize: 0, tickFormat: rowLabel },
    marks: [
      Plot.cell(cells, {
        x: 'k',
        y: 'row',
        fill: (cell) => teal(shade(cell)),
        fillOpacity: (cell) => (cell.incomplete ? 0.45 : 1),
        inset: 0.5,
        title: 'title',
      }),
      // The incomplete last period: paler, with a dashed outline.
      Plot.cell(cells.filter((cell) => cell.incomplete), {
        x: 'k',
        y: 'row',
        fill: 'none',
        stroke: 'var(--cl-warm)',
        strokeDasharray: '3 2',
        inset: 1.5,
        pointerEvents: 'none',
      }),
      showLabels
        ? Plot.text(cells, {
          x: 'k',
          y: 'row',
          text: 'label',
          fill: (cell) => inkOn(cell.incomplete ? shade(cell) * 0.45 : shade(cell)),
          fontSize: 10.5,
          pointerEvents: 'none',
        })
        : null,
    ],
  });
}
