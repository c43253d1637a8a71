// A small element builder: the page is built from DOM nodes, never from HTML strings, so text
// from a CSV can never become markup and the strict CSP needs no exceptions. Beside it, the DOM
// chores the lens, its hosts and its views share: downloads, file drops, charts drawn later.

/**
 * `h('button', { class: 'primary', onclick: go }, 'Go')`.
 * Attributes: `class`, `dataset` (object), `style` is not supported (CSP: styles live in CSS;
 * use `setProperty` on custom properties instead), `on*` functions become listeners,
 * booleans toggle the attribute, null/undefined/false skip it. Children: nodes, strings,
 * numbers, arrays (flattened), null/false (skipped).
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'vars') for (const [property, v] of Object.entries(value)) element.style.setProperty(property, v);
    else if (name === 'value' && 'value' in element) element.value = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/**
 * Replaces a region's content, keeping keyboard focus on the element with the same id. The
 * region may be in the document or in a shadow root (ids are looked up in its own tree).
 */
export function replaceContent(region, ...children) {
  const root = region.getRootNode();
  const active = root.activeElement;
  const focusInside = Boolean(active && region.contains(active));
  const focusedId = focusInside ? active.id : null;
  const generation = (renders.get(region) ?? 0) + 1;
  renders.set(region, generation);
  // Removing a focused input that was edited fires its change event, whose handler may render
  // this region again while it is being emptied. Blur it first so that the event runs now; if it
  // rendered the region, that newer content stands.
  if (focusInside) active.blur();
  if (renders.get(region) !== generation) return;
  region.replaceChildren();
  append(region, children);
  if (focusedId) root.getElementById?.(focusedId)?.focus();
}

/** How many times each region was rendered, to notice a render nested in another. */
const renders = new WeakMap();

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element (for the few hand-drawn icons). */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) if (child) element.append(child);
  return element;
}

/** Saves text (or a Blob) as a file in the user's downloads (a Blob URL: nothing leaves the machine). */
export function download(filename, content, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Whether a drag carries files (rather than text or a link from the page). */
export function carriesFiles(event) {
  return [...(event.dataTransfer?.types ?? [])].includes('Files');
}

/**
 * Files dropped on `target` go to `onDrop(files)` instead of the browser opening them; a drag
 * that carries no file is left alone.
 */
export function acceptFileDrops(target, onDrop) {
  target.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  target.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    onDrop(event.dataTransfer.files);
  });
}

/** A name as part of a file name: lower-case ASCII letters and digits between dashes (`Can't Lose Them` → `can-t-lose-them`). */
export function fileSlug(text) {
  return String(text).toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'customers';
}

/**
 * A placeholder that is replaced by `build()` later, so a view with several charts is drawn in
 * slices instead of one long main-thread task (charts are the expensive part). Charts are built
 * in one task and put in the page in the next animation frame, whose layout of a large chart is
 * the other half of its cost: together the two made tasks of just over 50 ms. Placeholders no
 * longer in the document when their turn comes are skipped.
 */
export function deferred(build, { height = 240 } = {}) {
  const placeholder = document.createElement('div');
  placeholder.className = 'deferred';
  placeholder.style.setProperty('--placeholder-height', `${Math.round(height)}px`);
  queue.push({ placeholder, build });
  if (!scheduled) {
    scheduled = true;
    // After the frame that shows the placeholders.
    requestAnimationFrame(() => setTimeout(buildSlice, 0));
  }
  return placeholder;
}

const queue = [];
let scheduled = false;
/** Building per task, well under the 50 ms a task may take before the page feels stuck. */
const SLICE_MS = 24;

function buildSlice() {
  const start = performance.now();
  const built = [];
  while (queue.length && performance.now() - start < SLICE_MS) {
    const { placeholder, build } = queue.shift();
    if (!placeholder.isConnected) continue;
    try {
      built.push([placeholder, build()]);
    } catch (error) {
      // A chart that fails must not stop the ones after it.
      reportError(error);
    }
  }
  requestAnimationFrame(() => {
    for (const [placeholder, chart] of built) {
      if (placeholder.isConnected) placeholder.replaceWith(chart);
    }
    if (queue.length) setTimeout(buildSlice, 0);
    else scheduled = false;
  });
}
