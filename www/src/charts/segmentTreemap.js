// RFM segments as a treemap: area = customers, colour = share of revenue. Each tile is a
// keyboard-reachable button that selects its segment.
import { hierarchy, treemap, treemapSquarify } from 'd3-hierarchy';
import { svg } from '../dom.js';
import { inkOn, teal } from './plot.js';

let chartCount = 0;

const defaults = { width: 720, height: 340, padding: 2, minLabelWidth: 64, minLabelHeight: 34 };

/**
 * @param {Array<{ key: string, label: string, customers: number, revenueShare: number|null,
 *   detail: string, title: string }>} segments
 * @param {{ width?: number, height?: number, selected?: string, onSelect?: (key) => void }} options
 */
export function segmentTreemap(segments, options = {}) {
  const { width, height, padding, minLabelWidth, minLabelHeight, selected, onSelect, label } = { ...defaults, ...options };
  const shown = segments.filter((segment) => segment.customers > 0);
  const maxShare = Math.max(0.0001, ...shown.map((segment) => segment.revenueShare ?? 0));
  const root = hierarchy({ children: shown })
    .sum((d) => d.customers ?? 0)
    .sort((a, b) => b.value - a.value);
  treemap().tile(treemapSquarify.ratio(1.4)).size([width, height]).paddingInner(padding).round(true)(root);

  const chart = svg('svg', {
    class: 'treemap',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'group',
    'aria-label': label ?? null,
  });
  const chartId = `treemap-${++chartCount}`;
  root.leaves().forEach((leaf, index) => {
    const segment = leaf.data;
    const tileWidth = leaf.x1 - leaf.x0;
    const tileHeight = leaf.y1 - leaf.y0;
    const shade = (segment.revenueShare ?? 0) / maxShare;
    const tile = svg('g', {
      class: segment.key === selected ? 'tile selected' : 'tile',
      transform: `translate(${leaf.x0},${leaf.y0})`,
      tabindex: 0,
      role: 'button',
      'aria-pressed': segment.key === selected ? 'true' : 'false',
      // The name read out starts with what the tile shows; its <title> tells the rest.
      'aria-label': `${segment.label} ${segment.detail}`,
      'data-segment': segment.key,
    },
      svg('title', {}, segment.title),
      svg('rect', { width: tileWidth, height: tileHeight, fill: teal(0.08 + 0.92 * shade), rx: 3 }),
    );
    if (tileWidth >= minLabelWidth && tileHeight >= minLabelHeight) {
      const ink = inkOn(0.08 + 0.92 * shade);
      const nameLines = wrap(segment.label, Math.max(6, Math.floor((tileWidth - 12) / 7.8)));
      // Labels never spill out of their tile: each is clipped to it.
      const clipId = `${chartId}-clip-${index}`;
      tile.append(svg('clipPath', { id: clipId }, svg('rect', { width: tileWidth - 4, height: tileHeight })));
      const text = svg('text', { x: 8, y: 18, fill: ink, class: 'tile-label', 'clip-path': `url(#${clipId})` });
      nameLines.slice(0, 2).forEach((line, i) => {
        const span = svg('tspan', { x: 8, dy: i === 0 ? 0 : 15, 'font-weight': 700 });
        // A trailing space keeps the words apart in the tile's text (lines are separate tspans).
        span.textContent = `${line} `;
        text.append(span);
      });
      if (tileHeight >= minLabelHeight + 16 * Math.min(2, nameLines.length)) {
        const detail = svg('tspan', { x: 8, dy: 16, class: 'tile-detail' });
        detail.textContent = segment.detail;
        text.append(detail);
      }
      tile.append(text);
    }
    if (onSelect) {
      tile.addEventListener('click', () => onSelect(segment.key));
      tile.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onSelect(segment.key);
        }
      });
    }
    chart.append(tile);
  });
  return chart;
}

/** Greedy word wrap for SVG labels (which do not wrap by themselves). */
function wrap(text, maxChars) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && `${line} ${word}`.length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
