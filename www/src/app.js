// The demo page: the lens (lensApp.js) in the page's <main>, with what only a page has around
// it: a top bar (language, currency, theme), a footer, drag and drop anywhere, and the settings
// (language, currency, theme, view and each view's settings) in the URL hash so a view can be
// shared. Data never goes into the hash.
import { acceptFileDrops, carriesFiles, h, replaceContent, svg } from './dom.js';
import { CURRENCIES, LOCALES, browserLang } from './i18n.js';
import { LensApp, VIEWS, VIEW_IDS, defaultViewSettings } from './lensApp.js';
import { loadDefinitions, saveDefinitions } from './views/audiencesModel.js';

const SAMPLE_URL = new URL('samples/online-retail-sample.csv', document.baseURI).href;
const THEMES = ['auto', 'light', 'dark'];

const regions = {};
let theme = 'auto';

const lens = new LensApp(document.querySelector('[data-lens]'), {
  createWorker: () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }),
  sampleUrl: SAMPLE_URL,
  viewHref: (view) => `#view=${view}`,
  onStateChange: (status) => {
    document.body.dataset.state = status;
  },
  onLoaded: () => renderPage(),
  onError: () => {},
  // The bars around the lens do not change with the view: only the hash does.
  onViewChange: () => writeHash(),
  onSettingsChange: () => writeHash(),
  // Custom audiences: their definitions (conditions, never data) in this browser's storage.
  audienceStore: { kind: 'page', load: () => loadDefinitions(browserStorage()), save: (definitions) => saveDefinitions(browserStorage(), definitions) },
});

/** The page's localStorage, or null where the browser refuses it (storage blocked). */
function browserStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- URL hash (settings only)

/** The lens's language, currency, view and settings in the hash (anything not there at its default); sets the theme. */
function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const currency = params.get('currency');
  const view = params.get('view');
  theme = THEMES.includes(params.get('theme')) ? params.get('theme') : 'auto';
  const settings = defaultViewSettings();
  for (const { id } of VIEWS) {
    for (const [name, fallback] of Object.entries(settings[id])) {
      const value = params.get(`${id}.${name}`);
      if (value !== null) settings[id][name] = typeof fallback === 'number' ? hashNumber(`${id}.${name}`, value, fallback) : value;
    }
  }
  return {
    lang: params.get('lang') ?? browserLang(),
    currency: currency === null ? null : currency === 'none' ? '' : currency.toUpperCase(),
    view: VIEW_IDS.includes(view) ? view : 'overview',
    settings,
  };
}

/** Settings the hash carries as shares (0–1); links made before they were shares hold percentages. */
const SHARES_IN_HASH = new Set(['clv.margin', 'clv.discount']);

/** A number from the hash: 0 is a value like any other; text that is not a number keeps the default. */
function hashNumber(key, text, fallback) {
  const number = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(number)) return fallback;
  return SHARES_IN_HASH.has(key) && number > 1 ? number / 100 : number;
}

function writeHash() {
  const params = new URLSearchParams();
  params.set('lang', lens.lang);
  if (lens.currency !== null) params.set('currency', lens.currency || 'none');
  if (lens.view !== 'overview') params.set('view', lens.view);
  if (theme !== 'auto') params.set('theme', theme);
  const defaults = defaultViewSettings();
  for (const { id } of VIEWS) {
    for (const [name, fallback] of Object.entries(defaults[id])) {
      const value = lens.settings[id][name];
      if (value !== fallback && value !== '' && value !== null && value !== undefined) params.set(`${id}.${name}`, String(value));
    }
  }
  const hash = `#${params}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

// ---------------------------------------------------------------- the page around the lens

function logo() {
  return svg('svg', { class: 'logo', viewBox: '0 0 32 32', width: 28, height: 28, 'aria-hidden': 'true' },
    svg('circle', { cx: 14, cy: 14, r: 9, fill: 'none', stroke: 'currentColor', 'stroke-width': 3 }),
    svg('path', { d: 'M21 21 L28 28', stroke: 'currentColor', 'stroke-width': 3, 'stroke-linecap': 'round' }),
    svg('rect', { x: 9, y: 14, width: 2.6, height: 5, rx: 1, fill: 'currentColor' }),
    svg('rect', { x: 12.7, y: 11, width: 2.6, height: 8, rx: 1, fill: 'currentColor' }),
    svg('rect', { x: 16.4, y: 9, width: 2.6, height: 10, rx: 1, fill: 'currentColor' }),
  );
}

function setting(id, label, options, onChange) {
  return h('label', { class: 'setting', for: id },
    h('span', {}, label),
    h('select', { id, onchange: (event) => onChange(event.target.value) },
      options.map(([value, text, selected, lang]) => h('option', { value, selected, lang }, text))),
  );
}

function renderTopbar() {
  const { t, lang } = lens.locale;
  const currency = lens.effectiveCurrency();
  replaceContent(regions.topbar,
    h('div', { class: 'brand' }, logo(), h('span', { class: 'brand-name' }, t('app.title'))),
    h('div', { class: 'settings' },
      setting('setting-lang', t('settings.language'), Object.entries(LOCALES).map(([code, { label }]) => [code, label, code === lang, code]), (chosen) => {
        lens.update({ lang: chosen });
        renderPage();
      }),
      setting('setting-currency', t('settings.currency'), CURRENCIES.map((code) => [code, code || t('currency.none'), code === currency]), (code) => {
        lens.update({ currency: code });
        renderPage();
      }),
      setting('setting-theme', t('settings.theme'), THEMES.map((name) => [name, t(`theme.${name}`), name === theme]), (name) => {
        theme = name;
        applyTheme();
        writeHash();
      }),
    ),
  );
}

function applyTheme() {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

function renderFooter() {
  const { t } = lens.locale;
  replaceContent(regions.footer, h('p', {}, t('footer.privacy')), h('p', { class: 'muted' }, t('footer.engine')));
}

function renderPage() {
  // The hash first: replacing it makes the browser lay the page out (to save the scroll position
  // with it), cheap before the bars below change and costly after.
  writeHash();
  const { t, lang } = lens.locale;
  document.documentElement.lang = lang;
  document.title = `${t('app.title')} · ${t('app.tagline')}`;
  regions.skip.textContent = t('app.skip');
  applyTheme();
  renderTopbar();
  renderFooter();
}

// ---------------------------------------------------------------- drag and drop anywhere

function setUpDragAndDrop() {
  let depth = 0;
  const overlay = regions.dropOverlay;
  window.addEventListener('dragenter', (event) => {
    if (!carriesFiles(event)) return;
    depth++;
    overlay.textContent = lens.locale.t('load.dropOverlay');
    overlay.hidden = false;
  });
  window.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  acceptFileDrops(window, (files) => {
    depth = 0;
    overlay.hidden = true;
    lens.loadFile(files[0]);
  });
}

// ---------------------------------------------------------------- start

function start() {
  for (const id of ['skip', 'topbar', 'footer', 'dropOverlay']) {
    regions[id] = document.querySelector(`[data-region="${id}"]`);
  }
  lens.update(readHash());
  window.addEventListener('hashchange', () => {
    lens.update(readHash());
    renderPage();
  });
  setUpDragAndDrop();
  renderPage();
  document.body.dataset.state = 'empty';
  // Tests and host pages can wait for this.
  document.body.dataset.app = 'started';
}

/** For tests and pages that script the demo: hand over rows already in memory, or a URL. */
window.customerLens = {
  loadRows: (rows, options) => lens.load({ kind: 'rows', rows }, options),
  loadUrl: (url, options) => lens.load({ kind: 'url', url: new URL(url, document.baseURI).href }, options),
  /** `book[method](options)` on the loaded data under the page's filter, uncached (bench-pairs.mjs times it). */
  analyse: (method, options) => lens.analyse(method, options),
  get summary() {
    return lens.summary;
  },
};

start();
