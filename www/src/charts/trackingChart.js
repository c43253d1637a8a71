// The tracking chart of the CLV papers: repeat purchases per period (or cumulated), actual
// against what the purchase model expects, over the calibration period and the holdout, with a
// rule where the calibration ends.
import { Plot, plot, seriesPoints } from './plot.js';

/**
 * @param {Array<{ date: Date, actual: number, expected: number }>} periods
 * @param {{ width?: number, calibrationEnd?: Date, actualLabel: string, expectedLabel: string,
 *   yLabel: string, format: (v) => string, dateFormat: (d: Date) => string, ariaLabel?: string }} options
 */
export function trackingChart(periods, { width = 520, calibrationEnd, actualLabel, expectedLabel, yLabel, format, dateFormat, ariaLabel }) {
  const points = seriesPoints(periods, 'date', (period) => dateFormat(period.date),
    [[expectedLabel, (period) => period.expected], [actualLabel, (period) => period.actual]], format);
  return plot({
    width,
    height: Math.round(Math.min(300, Math.max(220, width * 0.45))),
    marginLeft: 56,
    marginRight: 40,
    marginTop: 24,
    ariaLabel,
    x: { type: 'utc', tickFormat: dateFormat, ticks: dateTicks(periods, width - 56 - 40) },
    y: { label: yLabel, grid: true, nice: true },
    color: { domain: [expectedLabel, actualLabel], range: ['var(--cl-accent)', 'var(--cl-warm)'] },
    marks: [
      calibrationEnd ? Plot.ruleX([calibrationEnd], { stroke: 'var(--cl-muted)', strokeDasharray: '2 3' }) : null,
      Plot.line(points.filter((d) => d.kind === expectedLabel), { x: 'date', y: 'value', stroke: 'kind', strokeWidth: 2, strokeDasharray: '5 3' }),
      Plot.line(points.filter((d) => d.kind === actualLabel), { x: 'date', y: 'value', stroke: 'kind', strokeWidth: 2 }),
      Plot.ruleY([0]),
      Plot.tip(points, Plot.pointer({ x: 'date', y: 'value', title: 'title' })),
    ],
  });
}

/** A full date ('1 Jan 2011', '1 thg 1, 2011') takes about 90 px: as many calendar steps of 1, 3,
 * 6, 12 or 24 months as fit the plot's width (Plot, asked for a count, may round it up to steps
 * whose labels overlap on a phone); a span under two months keeps Plot's own choice. */
function dateTicks(periods, plotWidth) {
  const labels = Math.max(2, Math.floor(plotWidth / 95));
  if (periods.length < 2) return labels;
  const spanMonths = (periods.at(-1).date - periods[0].date) / (30.44 * 86_400_000);
  if (spanMonths < 2) return labels;
  const months = [1, 3, 6, 12].find((step) => Math.floor(spanMonths / step) <= labels) ?? 24;
  return `${months} months`;
}
