// Observable Plot under a strict CSP, with the page's look.
import * as Plot from '@observablehq/plot';

export { Plot };

/** Defaults every chart shares (one place, as Plot's own code does). */
export const defaults = {
  marginLeft: 48,
  marginBottom: 40,
  style: null,
};

/**
 * `Plot.plot(options)` without the inline `<style>` elements Plot adds (a strict
 * `style-src 'self'` blocks them and reports a violation); style.css holds the same rules.
 */
export function plot(options) {
  const element = Plot.plot({ ...defaults, ...options });
  for (const style of element.querySelectorAll('style')) style.remove();
  if (element.tagName.toLowerCase() === 'style') throw new Error('Plot returned a bare <style>');
  // Plot names each mark's <g> with aria-label ("cell", "text"…), which ARIA does not allow on a
  // group without a role; the name moves to data-mark. The chart itself keeps its label, and the
  // numbers are in the table next to it.
  for (const group of element.querySelectorAll('g[aria-label]')) {
    group.dataset.mark = group.getAttribute('aria-label');
    group.removeAttribute('aria-label');
  }
  return element;
}

/** A sequential colour from the page's light teal to its dark teal, t in [0, 1]. */
export function teal(t) {
  const from = [225, 239, 238];
  const to = [10, 71, 77];
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const [r, g, b] = from.map((start, i) => Math.round(start + (to[i] - start) * clamped));
  return `rgb(${r} ${g} ${b})`;
}

/** Text that stays readable on `teal(t)`. */
export function inkOn(t) {
  return t > 0.45 ? '#ffffff' : '#1d2326';
}

/**
 * The points of a chart of series side by side (actual against a model): one point per row and
 * series, `{ [key]: row[key], kind, value, title }`, titled "<row> · <series>: <value>".
 * @param {Array<object>} rows
 * @param {string} key the row field the x position comes from
 * @param {(row) => string} rowLabel
 * @param {Array<[string, (row) => number]>} series each series' label and value, in drawing order
 * @param {(value: number) => string} format
 */
export function seriesPoints(rows, key, rowLabel, series, format) {
  return rows.flatMap((row) => series.map(([kind, valueOf]) => {
    const value = valueOf(row);
    return { [key]: row[key], kind, value, title: `${rowLabel(row)} · ${kind}: ${format(value)}` };
  }));
}
