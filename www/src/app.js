// The demo page: load orders (file, URL, sample), show what was read, and the analyses.
//
// State lives in one object; each region of the page re-renders from it. Settings (language,
// currency, view) live in the URL hash so a view can be shared; data never does.
import { Engine, EngineError } from './engine.js';
import { h, replaceContent, svg } from './dom.js';
import {
  CURRENCIES,
  LOCALES,
  currencyForPreset,
  formatBytes,
  getLang,
  setLang,
  t,
} from './i18n.js';
import { renderOverview } from './views/overview.js';
import { forgetResults } from './views/results.js';
import { loadingCard } from './views/common.js';
import { CLV_DEFAULTS, COHORT_DEFAULTS, LIFECYCLE_DEFAULTS, RFM_DEFAULTS } from './views/defaults.js';

/**
 * The views, in nav order. `settings` are the view's defaults; non-default values are kept in
 * the URL hash as `<view>.<name>=value` so a view can be shared (settings only, never data).
 * Analysis views are separate chunks (they bring the charting library), loaded when opened.
 */
const VIEWS = [
  { id: 'overview', label: 'nav.overview', render: renderOverview, settings: {} },
  { id: 'rfm', label: 'nav.rfm', load: () => import('./views/rfm.js').then((m) => m.renderRfm), settings: { ...RFM_DEFAULTS } },
  { id: 'cohorts', label: 'nav.cohorts', load: () => import('./views/cohorts.js').then((m) => m.renderCohorts), settings: { ...COHORT_DEFAULTS } },
  { id: 'lifecycle', label: 'nav.lifecycle', load: () => import('./views/lifecycle.js').then((m) => m.renderLifecycle), settings: { ...LIFECYCLE_DEFAULTS } },
  { id: 'clv', label: 'nav.clv', load: () => import('./views/clv.js').then((m) => m.renderClv), settings: { ...CLV_DEFAULTS } },
];

/** The view's render function, loading its code first if needed (then re-rendering). */
function viewRenderer(view) {
  if (view.render) return view.render;
  if (!view.loading) {
    view.loading = view.load().then(
      (render) => {
        view.render = render;
        renderData();
      },
      (error) => {
        view.loading = null;
        state.error = error?.message ?? String(error);
        renderStatus();
      },
    );
  }
  return () => loadingCard(t('view.loading'));
}

const SAMPLE_URL = new URL('samples/online-retail-sample.csv', document.baseURI).href;

const state = {
  currency: null, // null = follow the data's export format
  view: 'overview',
  status: 'empty', // 'empty' | 'ready' (a book is loaded)
  loading: null, // { id, label, loaded, total }
  error: null, // text
  notice: null, // text (e.g. a cancelled load)
  source: null, // { kind: 'file' | 'url' | 'rows', file?, url?, rows?, name }
  options: {}, // applied ingest options
  draft: {}, // options being edited in the mapping form
  summary: null,
  loadPanelOpen: false,
  dataKey: 0, // bumped on every successful load, so cached results of older data are dropped
  viewSettings: Object.fromEntries(VIEWS.map((view) => [view.id, { ...view.settings }])),
  urlInput: '',
  urlInvalid: false,
};

const engine = new Engine(() => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }));

const regions = {};

// ---------------------------------------------------------------- URL hash (settings only)

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  setLang(params.get('lang') ?? (navigator.language?.toLowerCase().startsWith('vi') ? 'vi' : 'en'));
  const currency = params.get('currency');
  state.currency = currency === null ? null : currency === 'none' ? '' : currency.toUpperCase();
  const view = params.get('view');
  state.view = VIEWS.some((v) => v.id === view) ? view : 'overview';
  for (const { id, settings: defaults } of VIEWS) {
    const settings = { ...defaults };
    for (const [name, fallback] of Object.entries(defaults)) {
      const value = params.get(`${id}.${name}`);
      if (value !== null) settings[name] = typeof fallback === 'number' ? Number(value) || fallback : value;
    }
    state.viewSettings[id] = settings;
  }
}

function writeHash() {
  const params = new URLSearchParams();
  params.set('lang', getLang());
  if (state.currency !== null) params.set('currency', state.currency || 'none');
  if (state.view !== 'overview') params.set('view', state.view);
  for (const { id, settings: defaults } of VIEWS) {
    for (const [name, fallback] of Object.entries(defaults)) {
      const value = state.viewSettings[id][name];
      if (value !== fallback && value !== '' && value !== null && value !== undefined) params.set(`${id}.${name}`, String(value));
    }
  }
  const hash = `#${params}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

function effectiveCurrency() {
  return state.currency ?? currencyForPreset(state.summary?.preset);
}

// ---------------------------------------------------------------- loading

function sourceName(source) {
  if (source.kind === 'file') return source.file.name;
  if (source.kind === 'rows') return t('source.rows', { n: source.rows.length });
  if (source.sample) return t('load.sample.name');
  const path = new URL(source.url).pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || source.url;
}

/** Loads a source with ingest options; keeps the previous data until the new one is read. */
async function load(source, options = {}) {
  if (state.loading) engine.cancel(state.loading.id);
  const onProgress = (loaded, total) => {
    if (state.loading?.id !== request.id) return;
    state.loading.loaded = loaded;
    state.loading.total = total;
    updateProgress();
  };
  const request =
    source.kind === 'file' ? engine.loadFile(source.file, options, onProgress)
      : source.kind === 'url' ? engine.loadUrl(source.url, options, onProgress)
        : engine.loadRows(source.rows, options);
  state.loading = {
    id: request.id,
    verb: source.kind === 'url' && !source.sample ? 'progress.fetching' : source.kind === 'rows' ? 'progress.preparing' : 'progress.reading',
    source,
    loaded: 0,
    total: source.kind === 'file' ? source.file.size : null,
  };
  state.error = null;
  state.notice = null;
  renderStatus();
  try {
    const summary = await request.result;
    if (state.loading?.id !== request.id) return;
    forgetResults();
    Object.assign(state, { summary, source, options, draft: structuredClone(options), status: 'ready', loading: null, loadPanelOpen: false, dataKey: state.dataKey + 1 });
    // Choices that belong to the previous data (a date, a segment) do not carry over.
    state.viewSettings.rfm = { ...state.viewSettings.rfm, asOf: '', list: '' };
    state.viewSettings.clv = { ...state.viewSettings.clv, calibrationEnd: '' };
    state.viewSettings.lifecycle = { ...state.viewSettings.lifecycle, asOf: '', compareWith: '' };
    document.body.dataset.state = 'ready';
    renderAll();
    regions.data.querySelector('h2')?.focus?.();
  } catch (error) {
    if (state.loading?.id !== request.id) return;
    state.loading = null;
    if (error instanceof EngineError && error.code === 'cancelled') state.notice = t('error.cancelled');
    else state.error = describeError(error);
    renderAll();
  }
}

function describeError(error) {
  if (!(error instanceof EngineError)) return error?.message ?? String(error);
  switch (error.code) {
    case 'fetch':
      return t('error.fetch', error.params);
    case 'http':
      return t('error.http', { url: error.params.url, status: String(error.params.status) });
    case 'crashed':
      state.status = 'empty';
      state.summary = null;
      return t('error.crashed', { message: error.message });
    case 'unsupported':
      return t('error.unsupported', { message: error.message });
    default:
      return error.message;
  }
}

function loadFile(file) {
  if (file) load({ kind: 'file', file, name: file.name });
}

function loadUrl(text) {
  let url;
  try {
    url = new URL(text.trim());
  } catch {
    url = null;
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    state.urlInvalid = true;
    renderLoadPanel();
    document.getElementById('load-url')?.focus();
    return;
  }
  state.urlInvalid = false;
  load({ kind: 'url', url: url.href });
}

function loadSample() {
  load({ kind: 'url', url: SAMPLE_URL, sample: true });
}

// ---------------------------------------------------------------- regions

function logo() {
  return svg('svg', { class: 'logo', viewBox: '0 0 32 32', width: 28, height: 28, 'aria-hidden': 'true' },
    svg('circle', { cx: 14, cy: 14, r: 9, fill: 'none', stroke: 'currentColor', 'stroke-width': 3 }),
    svg('path', { d: 'M21 21 L28 28', stroke: 'currentColor', 'stroke-width': 3, 'stroke-linecap': 'round' }),
    svg('rect', { x: 9, y: 14, width: 2.6, height: 5, rx: 1, fill: 'currentColor' }),
    svg('rect', { x: 12.7, y: 11, width: 2.6, height: 8, rx: 1, fill: 'currentColor' }),
    svg('rect', { x: 16.4, y: 9, width: 2.6, height: 10, rx: 1, fill: 'currentColor' }),
  );
}

function renderTopbar() {
  const currency = effectiveCurrency();
  replaceContent(regions.topbar,
    h('div', { class: 'brand' }, logo(), h('span', { class: 'brand-name' }, t('app.title'))),
    h('div', { class: 'settings' },
      h('label', { class: 'setting', for: 'setting-lang' },
        h('span', {}, t('settings.language')),
        h('select', {
          id: 'setting-lang',
          onchange: (event) => {
            setLang(event.target.value);
            renderAll();
          },
        }, Object.entries(LOCALES).map(([code, { label }]) => h('option', { value: code, selected: code === getLang(), lang: code }, label))),
      ),
      h('label', { class: 'setting', for: 'setting-currency' },
        h('span', {}, t('settings.currency')),
        h('select', {
          id: 'setting-currency',
          onchange: (event) => {
            state.currency = event.target.value;
            renderAll();
          },
        }, CURRENCIES.map((code) => h('option', { value: code, selected: code === currency }, code || t('currency.none')))),
      ),
    ),
  );
}

function dropZone() {
  const input = h('input', {
    type: 'file',
    id: 'file-input',
    class: 'visually-hidden',
    accept: '.csv,.tsv,.txt,.gz,text/csv,text/plain,application/gzip',
    onchange: (event) => loadFile(event.target.files[0]),
  });
  return h('div', { class: 'drop-zone', id: 'drop-zone' },
    svg('svg', { class: 'drop-icon', viewBox: '0 0 24 24', width: 36, height: 36, 'aria-hidden': 'true' },
      svg('path', { d: 'M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3', fill: 'none', stroke: 'currentColor', 'stroke-width': 1.8, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }),
    ),
    h('p', { class: 'drop-title' }, t('load.drop')),
    h('p', { class: 'drop-or' }, t('load.or')),
    input,
    h('label', { for: 'file-input', class: 'button primary file-button', id: 'file-button' }, t('load.choose')),
    h('p', { class: 'hint' }, t('load.hint')),
  );
}

function urlForm() {
  return h('form', {
    class: 'url-form',
    id: 'url-form',
    novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      loadUrl(state.urlInput);
    },
  },
    h('label', { for: 'load-url', class: 'field-label' }, t('load.url.label')),
    h('div', { class: 'url-row' },
      h('input', {
        id: 'load-url',
        type: 'url',
        inputmode: 'url',
        autocomplete: 'url',
        spellcheck: 'false',
        placeholder: t('load.url.placeholder'),
        value: state.urlInput,
        'aria-invalid': state.urlInvalid ? 'true' : null,
        'aria-describedby': 'load-url-hint',
        oninput: (event) => {
          state.urlInput = event.target.value;
        },
      }),
      h('button', { type: 'submit', class: 'button' }, t('load.url.button')),
    ),
    h('p', { class: state.urlInvalid ? 'hint invalid' : 'hint', id: 'load-url-hint' }, state.urlInvalid ? t('load.url.invalid') : t('load.url.hint')),
  );
}

function sampleBlock() {
  return h('div', { class: 'sample' },
    h('button', { type: 'button', class: 'button accent', id: 'load-sample', onclick: loadSample }, t('load.sample')),
    h('p', { class: 'hint' }, t('load.sample.hint')),
  );
}

function loadCard() {
  return h('section', { class: 'card load-card', 'aria-labelledby': 'load-heading' },
    h('div', { class: 'load-card-head' },
      h('h2', { id: 'load-heading' }, t('load.heading')),
      state.status === 'ready'
        ? h('button', { type: 'button', class: 'button quiet', id: 'load-close', onclick: () => { state.loadPanelOpen = false; renderLoadPanel(); document.getElementById('load-another')?.focus(); } }, t('load.close'))
        : null,
    ),
    dropZone(),
    h('div', { class: 'load-alternatives' }, urlForm(), sampleBlock()),
  );
}

function renderLoadPanel() {
  if (state.status === 'empty') {
    replaceContent(regions.load,
      h('div', { class: 'hero' },
        h('div', { class: 'hero-text' },
          h('h1', {}, t('empty.title')),
          h('p', { class: 'lead' }, t('empty.body')),
          h('ul', { class: 'points' }, ['empty.point1', 'empty.point2', 'empty.point3'].map((key) => h('li', {}, t(key)))),
        ),
        loadCard(),
      ),
    );
  } else if (state.loadPanelOpen) {
    replaceContent(regions.load, loadCard());
  } else {
    replaceContent(regions.load);
  }
}

function progressText() {
  const { loaded, total } = state.loading;
  return total ? t('progress.of', { loaded: formatBytes(loaded), total: formatBytes(total) }) : formatBytes(loaded);
}

function renderStatus() {
  const parts = [];
  if (state.loading) {
    const { verb, source, loaded, total } = state.loading;
    parts.push(h('div', { class: 'progress-panel', role: 'status', id: 'progress-panel' },
      h('div', { class: 'progress-head' },
        h('span', { class: 'progress-title' }, t(verb, { name: sourceName(source) }), h('span', { class: 'ellipsis', 'aria-hidden': 'true' }, '…')),
        h('span', { class: 'progress-bytes', id: 'progress-bytes' }, progressText()),
      ),
      h('progress', { id: 'progress-bar', max: total || null, value: total ? loaded : null, 'aria-label': t('progress.label') }),
      h('button', { type: 'button', class: 'button', id: 'progress-cancel', onclick: () => engine.cancel(state.loading?.id) }, t('progress.cancel')),
    ));
  }
  if (state.error) {
    parts.push(h('div', { class: 'banner error', role: 'alert', id: 'error-banner' },
      h('div', {}, h('strong', {}, t('error.title')), h('p', { id: 'error-message' }, state.error)),
      h('button', { type: 'button', class: 'button quiet', onclick: () => { state.error = null; renderStatus(); } }, t('error.dismiss')),
    ));
  }
  if (state.notice) {
    parts.push(h('div', { class: 'banner notice', role: 'status', id: 'notice-banner' },
      h('p', {}, state.notice),
      h('button', { type: 'button', class: 'button quiet', onclick: () => { state.notice = null; renderStatus(); } }, t('error.dismiss')),
    ));
  }
  replaceContent(regions.status, parts);
  document.body.classList.toggle('is-loading', Boolean(state.loading));
}

/** Progress ticks only touch the bar, so focus and layout stay put. */
function updateProgress() {
  const bar = document.getElementById('progress-bar');
  if (!bar) return renderStatus();
  const { loaded, total } = state.loading;
  if (total) {
    bar.max = total;
    bar.value = Math.min(loaded, total);
  }
  document.getElementById('progress-bytes').textContent = progressText();
}

function reparse(options) {
  load(state.source, options);
}

function renderData() {
  if (state.status !== 'ready') {
    replaceContent(regions.data);
    return;
  }
  const view = VIEWS.find((v) => v.id === state.view) ?? VIEWS[0];
  const canReparse = state.source.kind !== 'rows';
  const width = contentWidth();
  const content = viewRenderer(view)({
    summary: state.summary,
    currency: effectiveCurrency(),
    engine,
    dataKey: state.dataKey,
    width,
    isPhone: width < 480,
    settings: state.viewSettings[view.id],
    allSettings: state.viewSettings,
    setSettings: (changes, { focusList = false } = {}) => {
      state.viewSettings[view.id] = { ...state.viewSettings[view.id], ...changes };
      writeHash();
      renderData();
      if (focusList) {
        const list = document.getElementById(`${view.id}-list`);
        list?.focus({ preventScroll: true });
        list?.scrollIntoView({ block: 'start', behavior: 'smooth' });
      }
    },
    rerender: renderData,
    draft: state.draft,
    mapping: {
      canReparse,
      onChange: (draft) => {
        state.draft = draft;
        renderData();
      },
      onApply: reparse,
      onReset: () => reparse({}),
    },
  });
  replaceContent(regions.data,
    h('div', { class: 'source-bar' },
      h('div', { class: 'source' },
        h('span', { class: 'source-label' }, t('source.label')),
        h('strong', { class: 'source-name', id: 'source-name' }, sourceName(state.source)),
        h('span', { class: 'source-size' }, state.source.kind === 'file' ? formatBytes(state.source.file.size) : null),
      ),
      h('button', {
        type: 'button',
        class: 'button',
        id: 'load-another',
        'aria-expanded': state.loadPanelOpen ? 'true' : 'false',
        onclick: () => {
          state.loadPanelOpen = !state.loadPanelOpen;
          renderLoadPanel();
          renderData();
          if (state.loadPanelOpen) document.getElementById('file-button')?.scrollIntoView({ block: 'nearest' });
        },
      }, t('load.another')),
    ),
    VIEWS.length > 1
      ? h('nav', { class: 'tabs', 'aria-label': t('nav.label') }, VIEWS.map((v) => h('a', {
        href: `#view=${v.id}`,
        class: v.id === view.id ? 'tab active' : 'tab',
        'aria-current': v.id === view.id ? 'page' : null,
        dataset: { view: v.id },
        onclick: (event) => {
          event.preventDefault();
          state.view = v.id;
          renderAll();
          // Focus after the frame is laid out, so moving focus does not force a layout.
          requestAnimationFrame(() => setTimeout(() => document.getElementById('view-heading')?.focus({ preventScroll: true })));
        },
      }, t(v.label))))
      : null,
    content,
  );
}

/** The width views lay their charts out for (the data region's content box), measured on start and resize. */
let measuredWidth = 0;
function contentWidth() {
  measuredWidth ||= measureContentWidth();
  return measuredWidth;
}

function measureContentWidth() {
  const main = document.querySelector('main');
  const style = getComputedStyle(main);
  return Math.floor(main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight));
}

function renderFooter() {
  replaceContent(regions.footer, h('p', {}, t('footer.privacy')), h('p', { class: 'muted' }, t('footer.engine')));
}

function renderAll() {
  document.documentElement.lang = getLang();
  document.title = `${t('app.title')} · ${t('app.tagline')}`;
  regions.skip.textContent = t('app.skip');
  renderTopbar();
  renderLoadPanel();
  renderStatus();
  renderData();
  renderFooter();
  writeHash();
}

// ---------------------------------------------------------------- drag and drop anywhere

function hasFiles(event) {
  return [...(event.dataTransfer?.types ?? [])].includes('Files');
}

function setUpDragAndDrop() {
  let depth = 0;
  const overlay = regions.dropOverlay;
  window.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    depth++;
    overlay.textContent = t('load.dropOverlay');
    overlay.hidden = false;
  });
  window.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  window.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    overlay.hidden = true;
    loadFile(event.dataTransfer.files[0]);
  });
}

// ---------------------------------------------------------------- start

function start() {
  for (const id of ['skip', 'topbar', 'load', 'status', 'data', 'footer', 'dropOverlay']) {
    regions[id] = document.querySelector(`[data-region="${id}"]`);
  }
  readHash();
  window.addEventListener('hashchange', () => {
    readHash();
    renderAll();
  });
  setUpDragAndDrop();
  let lastWidth = 0;
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      measuredWidth = 0;
      const width = contentWidth();
      if (state.status === 'ready' && width !== lastWidth) {
        lastWidth = width;
        renderData();
      }
    }, 150);
  });
  renderAll();
  document.body.dataset.state = 'empty';
  // Tests and host pages can wait for this.
  document.body.dataset.app = 'started';
}

/** For host pages and tests: hand over rows already in memory. */
window.customerLens = {
  loadRows: (rows, options) => load({ kind: 'rows', rows }, options),
  loadUrl: (url, options) => load({ kind: 'url', url: new URL(url, document.baseURI).href }, options),
  get summary() {
    return state.summary;
  },
};

start();
