// Export of a drawn chart as a file: SVG (standalone, with the colours and fonts it shows on the
// page written into it, since its look comes from the stylesheet) or PNG (that SVG painted on a
// canvas in this tab). Nothing leaves the machine: both are saved through Blob URLs.
import { download, h } from './dom.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Styles that make a chart look as it does, copied from the page onto each element as attributes. */
const PRESENTATION = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'stroke-linecap',
  'stroke-linejoin', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor',
  'dominant-baseline', 'paint-order', 'visibility',
];
/** Values not worth writing (the SVG defaults). */
const DEFAULTS = { 'fill-opacity': '1', 'stroke-opacity': '1', 'stroke-dasharray': 'none', opacity: '1', 'paint-order': 'normal', visibility: 'visible', 'font-style': 'normal', 'dominant-baseline': 'auto' };
/** PNG pixels per CSS pixel (sharp on high-density screens and in documents). */
const PNG_SCALE = 2;

/** The chart's main SVG: the largest one in the chart box (Plot may put a legend first). */
export function chartSvg(box) {
  let best = null;
  let bestArea = 0;
  for (const element of box.querySelectorAll('svg')) {
    const { width, height } = element.getBoundingClientRect();
    if (width * height > bestArea) {
      best = element;
      bestArea = width * height;
    }
  }
  return best;
}

/**
 * A standalone SVG document of a chart on the page: its computed presentation written as
 * attributes (the page's stylesheet does not travel with the file), its size fixed, and the
 * card's background behind it. Returns `{ text, width, height }`.
 */
export function standaloneSvg(chart, background) {
  const { width, height } = chart.getBoundingClientRect();
  const clone = chart.cloneNode(true);
  const originals = [chart, ...chart.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  originals.forEach((original, index) => {
    const copy = copies[index];
    const style = getComputedStyle(original);
    for (const name of PRESENTATION) {
      const value = style.getPropertyValue(name);
      if (value && value !== DEFAULTS[name]) copy.setAttribute(name, value);
    }
    for (const name of ['tabindex', 'role', 'aria-pressed']) copy.removeAttribute(name);
  });
  const viewBox = chart.viewBox?.baseVal;
  const box = viewBox && viewBox.width ? viewBox : { x: 0, y: 0, width, height };
  if (!clone.hasAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(Math.round(width)));
  clone.setAttribute('height', String(Math.round(height)));
  const backdrop = document.createElementNS(SVG_NS, 'rect');
  for (const [name, value] of Object.entries({ x: box.x, y: box.y, width: box.width, height: box.height, fill: background })) backdrop.setAttribute(name, String(value));
  clone.insertBefore(backdrop, clone.firstChild);
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`, width, height };
}

/** The SVG painted on a canvas, as a PNG Blob. */
export async function pngOf({ text, width, height }) {
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * PNG_SCALE);
    canvas.height = Math.round(height * PNG_SCALE);
    const context = canvas.getContext('2d');
    context.scale(PNG_SCALE, PNG_SCALE);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the chart could not be painted as PNG'))), 'image/png');
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves the chart in `box` as `<name>.svg` or `<name>.png`. */
export async function exportChart(box, name, format) {
  const chart = chartSvg(box);
  if (!chart) return;
  const background = getComputedStyle(box.closest('.card') ?? box).backgroundColor;
  const svgFile = standaloneSvg(chart, background);
  if (format === 'svg') download(`${name}.svg`, svgFile.text, 'image/svg+xml;charset=utf-8');
  else download(`${name}.png`, await pngOf(svgFile));
}

/** The SVG and PNG buttons for the chart in a card, labelled in the locale's language. */
export function chartActions(card, name, title, { t }) {
  const button = (format) => h('button', {
    type: 'button',
    class: 'button quiet small',
    dataset: { export: format },
    'aria-label': t('chart.export.as', { title, format: format.toUpperCase() }),
    title: t('chart.export.as', { title, format: format.toUpperCase() }),
    onclick: () => {
      const box = card.querySelector('.chart');
      if (box) exportChart(box, name, format).catch(() => {});
    },
  }, format.toUpperCase());
  return h('div', { class: 'chart-actions', role: 'group', 'aria-label': t('chart.export') }, button('svg'), button('png'));
}
