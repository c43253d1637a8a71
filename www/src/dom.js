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
  replaceRegion(region, children);
}

/**
 * `replaceContent` with a choice: `focusLater` gives focus back in the next animation frame
 * instead of at once. Focusing an element makes the browser style and lay out the new content
 * there and then; a redraw that no key or click asked for (an analysis answered) need not pay
 * that in its own task, as the frame lays the page out anyway. Focus the user moved meanwhile
 * stays where it is.
 */
export function replaceRegion(region, children, { focusLater = false } = {}) {
  const root = region.getRootNode();
  const active = root.activeElement;
  const focusInside = Boolean(active && region.contains(active));
  // Focus still to be given back by an earlier redraw counts as inside.
  const focusedId = focusInside ? active.id : focusIsFree(root) ? focusOwed.get(region) ?? null : null;
  const generation = (renders.get(region) ?? 0) + 1;
  renders.set(region, generation);
  // Removing a focused input that was edited fires its change event, whose handler may render
  // this region again while it is being emptied. Blur it first so that the event runs now; if it
  // rendered the region, that newer content stands. Only fields have such an event: blurring a
  // button or a link would only restyle the page in the middle of the task.
  if (focusInside && active.matches('input, select, textarea')) active.blur();
  if (renders.get(region) !== generation) return;
  region.replaceChildren();
  append(region, children);
  focusOwed.delete(region);
  if (!focusedId) return;
  // Without preventScroll, focus() lays the whole new content out at once to scroll the element
  // into view (on a large view, most of a long task); it has not moved, so nothing needs to scroll.
  if (!focusLater) {
    root.getElementById?.(focusedId)?.focus({ preventScroll: true });
    return;
  }
  focusOwed.set(region, focusedId);
  requestAnimationFrame(() => {
    if (focusOwed.get(region) !== focusedId || renders.get(region) !== generation) return;
    focusOwed.delete(region);
    if (focusIsFree(root)) root.getElementById?.(focusedId)?.focus({ preventScroll: true });
  });
}

/** Whether nothing in particular has focus (the page's body), so focus may be given back. */
function focusIsFree(root) {
  const active = document.activeElement;
  if (root !== document && root.activeElement) return false;
  return !active || active === document.body || (root !== document && active === root.host);
}

/** How many times each region was rendered, to notice a render nested in another. */
const renders = new WeakMap();
/** The id of the element each region is to give focus back to in the next frame (`focusLater`). */
const focusOwed = new WeakMap();

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
 * the other half of its cost: together the two made tasks of just over 50 ms. The charts in or
 * near the window come first; the others (below the fold, in a closed panel) are built when the
 * page is idle, so a redrawn view shows what is in sight first. Placeholders no longer in the
 * document when their turn comes are skipped.
 */
export function deferred(build, { height = 240 } = {}) {
  const placeholder = document.createElement('div');
  placeholder.className = 'deferred';
  placeholder.style.setProperty('--placeholder-height', `${Math.round(height)}px`);
  queue.push({ placeholder, build });
  if (!printing) {
    printing = true;
    addEventListener('beforeprint', drawAllNow);
  }
  // After the frame that shows the placeholders: laid out then, so where they are costs nothing.
  if (planned !== 'soon') plan('soon');
  return placeholder;
}

const queue = [];
/** The next slice on its way: 'soon' (a task after the next frame), 'idle', or null. */
let planned = null;
/** Bumped by each plan, so a newer plan replaces the one before it. */
let plans = 0;
/** Whether the page draws what is waiting before it prints. */
let printing = false;
/**
 * Charts are started in a task until this long has gone, so that with the last one (a large chart
 * takes 20–30 ms to build) the task stays under the 50 ms a task may take before the page feels stuck.
 */
const SLICE_MS = 12;
/** How far outside the window a placeholder still counts as in sight (px). */
const NEAR_PX = 200;
const whenIdle = (work) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(work, { timeout: 1000 }) : setTimeout(work, 50));

/** Whether a placeholder is in or near the window (one in a closed panel, not laid out, is not). */
function inSight(placeholder) {
  if (!placeholder.getClientRects().length) return false;
  const box = placeholder.getBoundingClientRect();
  return box.bottom > -NEAR_PX && box.top < innerHeight + NEAR_PX;
}

/** A printed report has every chart: those still waiting are drawn at once. */
function drawAllNow() {
  for (const { placeholder, build } of queue.splice(0)) {
    if (!placeholder.isConnected) continue;
    try {
      placeholder.replaceWith(build());
    } catch (error) {
      reportError(error);
    }
  }
}

function plan(when, { afterFrame = true } = {}) {
  const id = ++plans;
  planned = when;
  const run = (idle) => {
    if (id === plans) buildSlice(idle);
  };
  if (when === 'idle') whenIdle(() => run(true));
  else if (afterFrame) requestAnimationFrame(() => setTimeout(() => run(false), 0));
  else setTimeout(() => run(false), 0);
}

/**
 * Builds what is in sight (all that waits, when `idle`) for up to SLICE_MS, puts it in the page in
 * the next frame, then goes on: soon while something in sight waits, else when the page is idle.
 */
function buildSlice(idle) {
  const id = plans;
  const start = performance.now();
  const waiting = queue.filter((entry) => entry.placeholder.isConnected);
  const chosen = idle ? waiting : waiting.filter((entry) => inSight(entry.placeholder));
  const built = [];
  for (const entry of chosen) {
    if (performance.now() - start >= SLICE_MS && built.length) break;
    waiting.splice(waiting.indexOf(entry), 1);
    try {
      built.push([entry.placeholder, entry.build()]);
    } catch (error) {
      // A chart that fails must not stop the ones after it.
      reportError(error);
    }
  }
  queue.length = 0;
  queue.push(...waiting);
  requestAnimationFrame(() => {
    for (const [placeholder, chart] of built) {
      if (placeholder.isConnected) placeholder.replaceWith(chart);
    }
    // Placeholders added meanwhile made a plan of their own.
    if (id !== plans) return;
    if (!queue.length) planned = null;
    else if (built.length && !idle) plan('soon', { afterFrame: false });
    else plan('idle');
  });
}
