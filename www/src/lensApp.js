// The lens: load orders (file, URL, rows), show what was read, and the analysis views. One
// implementation for the demo page (app.js renders it into the page's <main>) and for the
// <customer-lens> element (element.js renders it into its shadow root).
//
// State lives in the LensApp; each region (load, status, data) re-renders from it. What is around
// the lens (the page's top bar and URL hash, or the element's attributes and events) is the
// host's: it sets the lens's language, currency, view and settings through `update()`, hands
// data over with `load()`, reads `summary` and `settings`, and hears about the user's changes
// through the callbacks given to the constructor (the class's comment lists the whole public
// API). Everything else in the class is private (`#`), so no host can write it.
import { Engine, EngineError } from './engine.js';
import { h, replaceContent, replaceRegion, svg } from './dom.js';
import { currencyForPreset, localeOf, warmFormatters } from './i18n.js';
import { renderDataView } from './views/data.js';
import { AnalysisCache } from './views/results.js';
import { loadingCard } from './views/common.js';
import { AUDIENCES_DEFAULTS, CLV_DEFAULTS, COHORT_DEFAULTS, LIFECYCLE_DEFAULTS, OVERVIEW_DEFAULTS, PRODUCTS_DEFAULTS, RFM_DEFAULTS, SQL_DEFAULTS } from './views/defaults.js';
import { hasProducts } from './views/productsModel.js';
import { filterBar } from './views/filterBar.js';
import { isEmptyFilter, normalizeFilter, sameFilter } from './views/filterModel.js';
import { parseList } from './views/rfmOptions.js';

/**
 * The views, in nav order. `settings` are the view's defaults (the demo page keeps the others in
 * its URL hash). Analysis views are separate chunks in the site (they bring the charting
 * library), loaded when opened; the library build has them inline.
 */
export const VIEWS = [
  { id: 'overview', label: 'nav.overview', load: () => import('./views/overview.js').then((m) => m.renderOverview), settings: { ...OVERVIEW_DEFAULTS } },
  { id: 'rfm', label: 'nav.rfm', load: () => import('./views/rfm.js').then((m) => m.renderRfm), settings: { ...RFM_DEFAULTS } },
  { id: 'cohorts', label: 'nav.cohorts', load: () => import('./views/cohorts.js').then((m) => m.renderCohorts), settings: { ...COHORT_DEFAULTS } },
  { id: 'lifecycle', label: 'nav.lifecycle', load: () => import('./views/lifecycle.js').then((m) => m.renderLifecycle), settings: { ...LIFECYCLE_DEFAULTS } },
  { id: 'clv', label: 'nav.clv', load: () => import('./views/clv.js').then((m) => m.renderClv), settings: { ...CLV_DEFAULTS } },
  { id: 'products', label: 'nav.products', load: () => import('./views/products.js').then((m) => m.renderProducts), settings: { ...PRODUCTS_DEFAULTS }, needs: 'products' },
  { id: 'audiences', label: 'nav.audiences', load: () => import('./views/audiences.js').then((m) => m.renderAudiences), settings: { ...AUDIENCES_DEFAULTS } },
  { id: 'sql', label: 'nav.sql', load: () => import('./views/sql.js').then((m) => m.renderSqlView), settings: { ...SQL_DEFAULTS } },
  { id: 'data', label: 'nav.data', render: renderDataView, settings: {}, unfiltered: true },
];

export const VIEW_IDS = VIEWS.map((view) => view.id);

/** How much of a source was read: "1.5 MB of 48 MB", or "1.5 MB" when the size is unknown. */
function progressOf({ t, formatBytes }, loaded, total) {
  return total ? t('progress.of', { loaded: formatBytes(loaded), total: formatBytes(total) }) : formatBytes(loaded);
}

/** Why a load ran out of memory, with how far it got when that is known. */
function describeTooLarge(locale, { read, total } = {}) {
  if (!read) return locale.t('error.tooLarge');
  return locale.t('error.tooLarge.read', { progress: progressOf(locale, read, total) });
}

/** Each view's default settings, fresh. */
export function defaultViewSettings() {
  return Object.fromEntries(VIEWS.map((view) => [view.id, { ...view.settings }]));
}

/** Settings with `changes` (per view: `{ rfm: { bins: 4 } }`) laid over them; each view's object is new and frozen. */
function mergeSettings(settings, changes = {}) {
  return Object.freeze(Object.fromEntries(Object.entries(settings).map(([viewId, values]) => [viewId, Object.freeze({ ...values, ...changes?.[viewId] })])));
}

/** The settings that name something in the data (a date, a segment), back at their defaults: new data resets them. */
function dataSettingsReset() {
  const defaults = defaultViewSettings();
  const pick = (viewId, names) => Object.fromEntries(names.map((name) => [name, defaults[viewId][name]]));
  return { rfm: pick('rfm', ['asOf', 'list']), clv: pick('clv', ['calibrationEnd']), lifecycle: pick('lifecycle', ['asOf', 'compareWith']), audiences: pick('audiences', ['asOf']) };
}

/** Custom audiences kept for the lens's life only (a host that gives no store of its own). */
function memoryStore() {
  let definitions = [];
  return { kind: 'memory', load: () => definitions, save: (list) => { definitions = list; } };
}

/** Below this width (of the lens, not the window) views lay out for a phone. */
const PHONE_WIDTH = 480;

/**
 * The lens. Its public API is all a host has: `update({ lang, currency, view, settings, filter })`,
 * `load(source, options)` and `loadFile(file)`, `analyse(method, options)` for its own exports
 * (under the lens's filter), `refresh()` when something the views read through the host's
 * callbacks changed (the element's custom audiences), `destroy()`; and, to read, `lang`,
 * `locale`, `currency`, `effectiveCurrency()`, `view`, `settings`, `filter`, `summary` and
 * `ready`. Hosts hear of the user's changes through the constructor's callbacks. Everything else
 * (the load and error state, the drafts, the regions and how they are drawn) is private.
 */
export class LensApp {
  #engine;
  /** Every analysis goes through here: views read results from it, exports run through it. */
  #analyses;
  #lang;
  #currency;
  #view;
  #settings;
  #summary = null;
  /** Which orders every analysis sees (`{ country: [...], from, to }`; `{}` all): never in a URL. */
  #filter = {};

  // What the lens draws from, its own: hosts read it through the getters above and change it
  // through update() and load().
  #container;
  /** The constructor's options with their defaults. */
  #options;
  #root;
  /** The lens's regions: `load`, `status` and `data`. */
  #regions = {};
  #resizeObserver;
  /** 'empty' | 'ready' (a book is loaded). */
  #status = 'empty';
  /** The load in progress: `{ id, verb, source, byUser, loaded, total }`, or null. */
  #loading = null;
  /** The error shown (text), or null. */
  #error = null;
  /** The error last drawn, so only a new one is scrolled into view. */
  #errorShown = null;
  /** A notice shown (text, e.g. a cancelled load), or null. */
  #notice = null;
  /** Where the loaded data came from: `{ kind: 'file' | 'url' | 'rows', file?, url?, rows?, sample?, fromHost? }`. */
  #source = null;
  /** The ingest options being edited in the mapping form. */
  #draft = {};
  #loadPanelOpen = false;
  #urlInput = '';
  #urlInvalid = false;
  #measuredWidth = 0;
  /** The width the data region was last drawn for. */
  #renderedWidth = 0;
  /** View id → promise of its render function. */
  #loaders = new Map();
  /**
   * What a view keeps between its renders that is neither a setting nor a result (a list's
   * sort, a draft, a file of the SQL view): `ctx.state`, one object per view, for the lens's life.
   */
  #viewStates = Object.fromEntries(VIEW_IDS.map((id) => [id, {}]));
  /** The filter bar's open panel, attribute and search, between renders. */
  #filterState = {};

  /**
   * @param {HTMLElement} container where the lens renders (its regions are created inside)
   * @param {{
   *   createWorker: () => Worker,   // starts the analysis worker (the lens owns it: destroy() ends it)
   *   lang?: string, currency?: string|null, view?: string, settings?: object,
   *   urlForm?: boolean,            // offer "fetch an export from a URL" in the load card
   *   sampleUrl?: string|null,      // offer the sample data from this URL
   *   hero?: boolean,               // the empty state's introduction next to the load card
   *   viewHref?: (view: string) => string|null,   // tabs as links (the page) or buttons (null)
   *   loadAnother?: (source) => boolean,          // offer "Load other data" for this source
   *   onLoaded?: (summary, source) => void, onError?: (message, error) => void,
   *   onStateChange?: (status) => void,          // 'empty' | 'ready'
   *   onViewChange?: (view) => void, onSettingsChange?: () => void,
   *   onListSelect?: (list, settings) => void,   // the user opened an RFM segment or group
   *   keptSettings?: () => object,               // settings that new data does not reset (the element's attributes)
   *   filter?: object,                           // the filter to start with
   *   keptFilter?: () => object,                 // the filter new data starts with (the element's; else none)
   *   onFilterChange?: (filter) => void,         // the user changed the filter
   *   audienceStore?: { kind: 'page' | 'element' | 'memory', load: () => object[], save: (definitions) => void },
   *                                              // where custom audiences' definitions are kept (default: memory)
   *   onAudienceSelect?: (detail) => void,       // the user chose an audience's customers for the host
   *                                              // ({ audience, customerIds, asOf, params }); without
   *                                              // it the views offer no such button
   * }} options
   */
  constructor(container, options) {
    this.#container = container;
    this.#options = { urlForm: true, sampleUrl: null, hero: true, viewHref: null, loadAnother: () => true, audienceStore: memoryStore(), ...options };
    this.#engine = new Engine(options.createWorker);
    this.#analyses = new AnalysisCache(this.#engine, () => this.#renderData({ focusLater: true }));
    this.#engine.onCrash = (error) => {
      this.#loading = null;
      this.#error = this.#describeError(error);
      this.#render();
      this.#options.onError?.(this.#error, new Error(this.#error, { cause: error }));
    };
    this.#lang = localeOf(options.lang).lang;
    this.#currency = options.currency ?? null; // null = follow the data's export format
    this.#view = VIEW_IDS.includes(options.view) ? options.view : 'overview';
    this.#settings = mergeSettings(defaultViewSettings(), options.settings);
    this.#useFilter(options.filter);

    container.classList.add('lens');
    for (const id of ['load', 'status', 'data']) {
      this.#regions[id] = h('div', { dataset: { region: id } });
      container.append(this.#regions[id]);
    }
    this.#regions.status.setAttribute('aria-live', 'polite');
    this.#root = container.getRootNode();

    // Charts are laid out for the lens's width: measured once, again when it changes (a change
    // of height alone, as when a view fills in, redraws nothing).
    let resizeTimer = 0;
    this.#resizeObserver = new ResizeObserver(() => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        this.#measuredWidth = 0;
        const width = this.#contentWidth();
        if (this.#status === 'ready' && width !== this.#renderedWidth && width > 0) this.#renderData();
      }, 150);
    });
    this.#resizeObserver.observe(container);
    // The first Intl formatter loads the language's data: while the page waits for a file, not
    // in the task that shows what was read.
    warmFormatters(this.locale, this.#currency ?? '');
  }

  /** Stops watching the size and ends the worker (and the data it holds). */
  destroy() {
    this.#resizeObserver.disconnect();
    this.#engine.terminate();
  }

  // -------------------------------------------------------------- what hosts read and set

  /** `en` or `vi`. */
  get lang() {
    return this.#lang;
  }

  /** The text and formats of the lens's language. */
  get locale() {
    return localeOf(this.#lang);
  }

  /** The currency chosen by the host or the user: an ISO 4217 code, '' for plain numbers, null to follow the data. */
  get currency() {
    return this.#currency;
  }

  /** The view shown (one of VIEW_IDS). */
  get view() {
    return this.#view;
  }

  /** Each view's settings (`settings.rfm.bins`, …), read-only: change them with `update()`. */
  get settings() {
    return this.#settings;
  }

  /** The filter every analysis gets (a normalised copy; `{}` when nothing is filtered). */
  get filter() {
    return structuredClone(this.#filter);
  }

  /** The loaded data's summary, or null. */
  get summary() {
    return this.#summary;
  }

  /** Whether data is loaded. */
  get ready() {
    return this.#status === 'ready';
  }

  /**
   * The host changes what the lens shows: `{ lang, currency, view, settings, filter }`, each optional
   * (`settings` per view, merged: `{ rfm: { asOf: '2011-06-30' } }`). Renders once; the
   * callbacks are for the user's changes, so none is called.
   */
  update({ lang, currency, view, settings, filter } = {}) {
    if (filter !== undefined) this.#useFilter(filter);
    if (lang !== undefined) this.#lang = localeOf(lang).lang;
    if (currency !== undefined) this.#currency = currency;
    if (VIEW_IDS.includes(view)) this.#view = view;
    if (settings) this.#settings = mergeSettings(this.#settings, settings);
    this.#render();
  }

  /** Runs an analysis on the loaded data once, uncached (a host's export): `book[method](options)`. */
  analyse(method, options = {}) {
    return this.#analyses.run(method, options);
  }

  /**
   * Draws the view again, for a change the lens cannot see: something its views read through
   * the host's callbacks (the element's custom audiences, given through `audienceStore`).
   * Results already computed are reused; without data it draws nothing.
   */
  refresh() {
    this.#renderData();
  }

  /** The currency amounts are shown in: the one chosen, else the one usual for the data's export format. */
  effectiveCurrency() {
    return this.#currency ?? currencyForPreset(this.#summary?.preset);
  }

  // -------------------------------------------------------------- loading

  #sourceName(source) {
    const { t } = this.locale;
    if (source.kind === 'file') return source.file.name || t('source.file');
    if (source.kind === 'rows') return t('source.rows', { n: source.rows.length ?? Object.values(source.rows)[0]?.length ?? 0 });
    if (source.sample) return t('load.sample.name');
    const path = new URL(source.url).pathname;
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || source.url;
  }

  /**
   * Loads a source with ingest options; keeps the previous data until the new one is read.
   * Resolves to the new summary, or to null when this load was cancelled or superseded;
   * rejects with an Error whose message is shown to the user. `byUser`: started from the lens's
   * own controls (focus then moves to the result); a host's loads leave focus where it is.
   */
  async load(source, options = {}, { byUser = false } = {}) {
    if (this.#loading) this.#engine.cancel(this.#loading.id);
    const onProgress = (loaded, total) => {
      if (this.#loading?.id !== request.id) return;
      this.#loading.loaded = loaded;
      this.#loading.total = total;
      this.#updateProgress();
    };
    const request =
      source.kind === 'file' ? this.#engine.loadFile(source.file, options, onProgress)
        : source.kind === 'url' ? this.#engine.loadUrl(source.url, options, onProgress)
          : this.#engine.loadRows(source.rows, options);
    this.#loading = {
      id: request.id,
      verb: source.kind === 'url' && !source.sample ? 'progress.fetching' : source.kind === 'rows' ? 'progress.preparing' : 'progress.reading',
      source,
      byUser,
      loaded: 0,
      total: source.kind === 'file' ? source.file.size : null,
    };
    this.#error = null;
    this.#notice = null;
    this.#renderLoadPanel();
    this.#renderStatus();
    warmFormatters(this.locale, this.effectiveCurrency());
    try {
      const summary = await request.result;
      if (this.#loading?.id !== request.id) return null;
      this.#analyses.clear();
      this.#summary = summary;
      this.#source = source;
      this.#draft = structuredClone(options);
      this.#status = 'ready';
      this.#loading = null;
      this.#loadPanelOpen = false;
      // Choices that belong to the previous data (a date, a segment) do not carry over, but
      // what the host keeps (the element's as-of and period attributes) does.
      this.#settings = mergeSettings(mergeSettings(this.#settings, dataSettingsReset()), this.#options.keptSettings?.());
      // Filtered values belong to the data they came from; a host's filter stays.
      this.#useFilter(this.#options.keptFilter?.() ?? {});
      this.#filterState = {};
      this.#options.onStateChange?.('ready');
      this.#render();
      if (byUser) this.#regions.data.querySelector('h2')?.focus?.();
      this.#options.onLoaded?.(summary, source);
      return summary;
    } catch (error) {
      if (this.#loading?.id !== request.id) return null;
      this.#loading = null;
      if (error instanceof EngineError && error.code === 'cancelled') {
        this.#notice = this.locale.t('error.cancelled');
        this.#render();
        return null;
      }
      this.#error = this.#describeError(error);
      this.#render();
      const failure = new Error(this.#error, { cause: error });
      this.#options.onError?.(this.#error, failure);
      throw failure;
    }
  }

  #describeError(error) {
    const { t } = this.locale;
    if (!(error instanceof EngineError)) return error?.message ?? String(error);
    switch (error.code) {
      case 'fetch':
        return t('error.fetch', error.params);
      case 'http':
        return t('error.http', { url: error.params.url, status: String(error.params.status) });
      case 'crashed':
      case 'tooLarge':
        this.#status = 'empty';
        this.#summary = null;
        this.#options.onStateChange?.('empty');
        return error.code === 'crashed' ? t('error.crashed', { message: error.message }) : describeTooLarge(this.locale, error.params);
      case 'unsupported':
        return t('error.unsupported', { message: error.message });
      case 'trustedTypes':
        return t('error.trustedTypes', { policy: 'customer-lens' });
      case 'workerFailed':
        return t('error.workerFailed', { message: error.message });
      case 'engine':
        return this.locale.describeIngestError(error.params?.engineCode, error.params, error.message);
      default:
        return error.message;
    }
  }

  /** A load the user started from the lens's own controls: errors are shown, not thrown. */
  #userLoad(source, options = {}) {
    this.load(source, options, { byUser: true }).catch(() => {});
  }

  /** Loads a file the user gave the host (a drop on the page or the element) as if picked in the load card: errors are shown, not thrown. */
  loadFile(file) {
    if (file) this.#userLoad({ kind: 'file', file });
  }

  #loadUrlText(text) {
    let url;
    try {
      url = new URL(text.trim());
    } catch {
      url = null;
    }
    if (!url || !/^https?:$/.test(url.protocol)) {
      this.#urlInvalid = true;
      this.#renderLoadPanel();
      this.#byId('load-url')?.focus();
      return;
    }
    this.#urlInvalid = false;
    this.#userLoad({ kind: 'url', url: url.href });
  }

  // -------------------------------------------------------------- settings

  #useFilter(filter) {
    this.#filter = normalizeFilter(filter);
    this.#analyses.setFilter(this.#filter);
  }

  /** The user changed the filter (the filter bar): the visible view runs again under it. */
  #setFilter(filter) {
    if (sameFilter(filter, this.#filter)) return;
    this.#useFilter(filter);
    this.#options.onFilterChange?.(this.filter);
    this.#renderData();
  }

  #setView(view, { focus = false } = {}) {
    if (!VIEW_IDS.includes(view) || view === this.#view) return;
    this.#view = view;
    this.#options.onViewChange?.(view);
    this.#render({ focusLater: true });
    // Focus after the frame is laid out, so moving focus does not force a layout.
    if (focus) requestAnimationFrame(() => setTimeout(() => this.#byId('view-heading')?.focus({ preventScroll: true })));
  }

  /** Changes one view's settings (as its controls do) and re-renders. */
  #setSettings(viewId, changes, { focusList = false, render = true } = {}) {
    const previousList = this.#settings[viewId]?.list;
    this.#settings = mergeSettings(this.#settings, { [viewId]: changes });
    this.#options.onSettingsChange?.();
    if (render) this.#renderData();
    if (focusList) {
      const list = this.#byId(`${viewId}-list`);
      list?.focus({ preventScroll: true });
      list?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
    const list = parseList(changes.list);
    if (viewId === 'rfm' && list && changes.list !== previousList) this.#options.onListSelect?.(list, this.#settings.rfm);
  }

  // -------------------------------------------------------------- regions

  #byId(id) {
    return this.#root.getElementById(id);
  }

  #dropZone() {
    const { t } = this.locale;
    const input = h('input', {
      type: 'file',
      id: 'file-input',
      class: 'visually-hidden',
      accept: '.csv,.tsv,.txt,.gz,.xlsx,text/csv,text/plain,application/gzip,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      onchange: (event) => this.loadFile(event.target.files[0]),
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

  #urlForm() {
    const { t } = this.locale;
    return h('form', {
      class: 'url-form',
      id: 'url-form',
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        this.#loadUrlText(this.#urlInput);
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
          value: this.#urlInput,
          'aria-invalid': this.#urlInvalid ? 'true' : null,
          'aria-describedby': 'load-url-hint',
          oninput: (event) => {
            this.#urlInput = event.target.value;
          },
        }),
        h('button', { type: 'submit', class: 'button' }, t('load.url.button')),
      ),
      h('p', { class: this.#urlInvalid ? 'hint invalid' : 'hint', id: 'load-url-hint' }, this.#urlInvalid ? t('load.url.invalid') : t('load.url.hint')),
    );
  }

  #sampleBlock() {
    const { t } = this.locale;
    return h('div', { class: 'sample' },
      h('button', { type: 'button', class: 'button accent', id: 'load-sample', onclick: () => this.#userLoad({ kind: 'url', url: this.#options.sampleUrl, sample: true }) }, t('load.sample')),
      h('p', { class: 'hint' }, t('load.sample.hint')),
    );
  }

  #loadCard() {
    const { t } = this.locale;
    const { urlForm, sampleUrl } = this.#options;
    return h('section', { class: 'card load-card', 'aria-labelledby': 'load-heading' },
      h('div', { class: 'load-card-head' },
        h('h2', { id: 'load-heading' }, t('load.heading')),
        this.#status === 'ready'
          ? h('button', {
            type: 'button',
            class: 'button quiet',
            id: 'load-close',
            onclick: () => {
              this.#loadPanelOpen = false;
              this.#renderLoadPanel();
              this.#byId('load-another')?.focus();
            },
          }, t('load.close'))
          : null,
      ),
      this.#dropZone(),
      urlForm || sampleUrl ? h('div', { class: 'load-alternatives' }, urlForm ? this.#urlForm() : null, sampleUrl ? this.#sampleBlock() : null) : null,
    );
  }

  #renderLoadPanel() {
    const { t } = this.locale;
    const region = this.#regions.load;
    if (this.#status === 'empty') {
      // A host handing over data: the progress panel says what is happening, no load card.
      if (this.#loading && !this.#loading.byUser) return replaceContent(region);
      replaceContent(region, this.#options.hero
        ? h('div', { class: 'hero' },
          h('div', { class: 'hero-text' },
            h('h1', {}, t('empty.title')),
            h('p', { class: 'lead' }, t('empty.body')),
            h('ul', { class: 'points' }, ['empty.point1', 'empty.point2', 'empty.point3'].map((key) => h('li', {}, t(key)))),
          ),
          this.#loadCard(),
        )
        : this.#loadCard());
    } else if (this.#loadPanelOpen) {
      replaceContent(region, this.#loadCard());
    } else {
      replaceContent(region);
    }
  }

  #progressText() {
    const { loaded, total } = this.#loading;
    return progressOf(this.locale, loaded, total);
  }

  #renderStatus() {
    const { t } = this.locale;
    const parts = [];
    if (this.#loading) {
      const { verb, source, total } = this.#loading;
      parts.push(h('div', { class: 'progress-panel', role: 'status', id: 'progress-panel' },
        h('div', { class: 'progress-head' },
          h('span', { class: 'progress-title' }, t(verb, { name: this.#sourceName(source) }), h('span', { class: 'ellipsis', 'aria-hidden': 'true' }, '…')),
          h('span', { class: 'progress-bytes', id: 'progress-bytes' }, this.#progressText()),
        ),
        h('progress', { id: 'progress-bar', max: total || null, value: total ? this.#loading.loaded : null, 'aria-label': t('progress.label') }),
        h('button', { type: 'button', class: 'button', id: 'progress-cancel', onclick: () => this.#engine.cancel(this.#loading?.id) }, t('progress.cancel')),
      ));
    }
    if (this.#error) {
      parts.push(h('div', { class: 'banner error', role: 'alert', id: 'error-banner' },
        h('div', {}, h('strong', {}, t('error.title')), h('p', { id: 'error-message' }, this.#error)),
        h('button', { type: 'button', class: 'button quiet', onclick: () => { this.#error = null; this.#renderStatus(); } }, t('error.dismiss')),
      ));
    }
    if (this.#notice) {
      parts.push(h('div', { class: 'banner notice', role: 'status', id: 'notice-banner' },
        h('p', {}, this.#notice),
        h('button', { type: 'button', class: 'button quiet', onclick: () => { this.#notice = null; this.#renderStatus(); } }, t('error.dismiss')),
      ));
    }
    replaceContent(this.#regions.status, parts);
    this.#container.classList.toggle('is-loading', Boolean(this.#loading));
    // A new error is brought into view: on a phone the banner sits below the file picker,
    // out of sight of the button that was just pressed.
    if (this.#error && this.#error !== this.#errorShown) this.#byId('error-banner')?.scrollIntoView({ block: 'nearest' });
    this.#errorShown = this.#error;
  }

  /** Progress ticks only touch the bar, so focus and layout stay put. */
  #updateProgress() {
    const bar = this.#byId('progress-bar');
    if (!bar) return this.#renderStatus();
    const { loaded, total } = this.#loading;
    if (total) {
      bar.max = total;
      bar.value = Math.min(loaded, total);
    }
    this.#byId('progress-bytes').textContent = this.#progressText();
  }

  /** The view's render function, loading its code first if needed (then re-rendering). */
  #viewRenderer(view) {
    if (view.render) return view.render;
    if (!this.#loaders.has(view.id)) {
      this.#loaders.set(view.id, view.load().then(
        (render) => {
          view.render = render;
          this.#renderData();
        },
        (error) => {
          this.#loaders.delete(view.id);
          this.#error = error?.message ?? String(error);
          this.#renderStatus();
        },
      ));
    }
    return () => loadingCard(this.locale.t('view.loading'));
  }

  #tabs(current) {
    const { t } = this.locale;
    const { viewHref } = this.#options;
    const focusTab = (index) => {
      const tabs = [...this.#regions.data.querySelectorAll('.tabs [data-view]')];
      tabs[(index + tabs.length) % tabs.length]?.focus();
    };
    const shown = VIEWS.filter((v) => v.id === current.id || this.#offers(v));
    return h('nav', { class: 'tabs', 'aria-label': t('nav.label') }, shown.map((v, index) => h(viewHref ? 'a' : 'button', {
      href: viewHref ? viewHref(v.id) : null,
      type: viewHref ? null : 'button',
      class: v.id === current.id ? 'tab active' : 'tab',
      'aria-current': v.id === current.id ? 'page' : null,
      dataset: { view: v.id },
      onclick: (event) => {
        event.preventDefault();
        this.#setView(v.id, { focus: true });
      },
      // Arrow keys move between the views, Home and End to the first and last.
      onkeydown: (event) => {
        const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: shown.length - 1 };
        if (!(event.key in moves)) return;
        event.preventDefault();
        focusTab(moves[event.key]);
      },
    }, t(v.label))));
  }

  /** Whether the loaded data can show a view (Products needs a file with products; unknown counts as yes). */
  #offers(view) {
    return view.needs !== 'products' || hasProducts(this.#summary) !== false;
  }

  /**
   * Draws the data region: the tabs, the filter bar and the view. `focusLater`: focus comes back
   * a frame later (see replaceRegion), for a redraw no key or click waits on (an analysis
   * answered) or one after which focus moves anyway (another view).
   */
  #renderData({ focusLater = false } = {}) {
    const { locale } = this;
    const { t } = locale;
    if (this.#status !== 'ready') {
      replaceContent(this.#regions.data);
      return;
    }
    const view = VIEWS.find((v) => v.id === this.#view) ?? VIEWS[0];
    const canReparse = this.#source.kind !== 'rows';
    const width = this.#contentWidth();
    this.#renderedWidth = width;
    const content = this.#viewRenderer(view)({
      locale,
      summary: this.#summary,
      currency: this.effectiveCurrency(),
      analyses: this.#analyses,
      state: this.#viewStates[view.id],
      filter: this.#filter,
      filtered: !isEmptyFilter(this.#filter),
      width,
      isPhone: width < PHONE_WIDTH,
      settings: this.#settings[view.id],
      allSettings: this.#settings,
      setSettings: (changes, options) => this.#setSettings(view.id, changes, options),
      rerender: () => this.#renderData(),
      byId: (id) => this.#byId(id),
      audienceStore: this.#options.audienceStore,
      selectAudience: this.#options.onAudienceSelect ? (detail) => this.#options.onAudienceSelect(detail) : null,
      draft: this.#draft,
      mapping: {
        canReparse,
        onChange: (draft) => {
          this.#draft = draft;
          this.#renderData();
        },
        onApply: (options) => this.#userLoad(this.#source, options),
        onReset: () => this.#userLoad(this.#source, {}),
      },
    });
    const offerLoad = this.#options.loadAnother(this.#source);
    replaceRegion(this.#regions.data, [
      h('div', { class: 'source-bar' },
        h('div', { class: 'source' },
          h('span', { class: 'source-label' }, t('source.label')),
          h('strong', { class: 'source-name', id: 'source-name' }, this.#sourceName(this.#source)),
          h('span', { class: 'source-size' }, this.#source.kind === 'file' ? locale.formatBytes(this.#source.file.size) : null),
        ),
        h('div', { class: 'source-actions' },
          h('button', { type: 'button', class: 'button quiet', id: 'print-report', onclick: () => window.print() }, t('report.print')),
          offerLoad
            ? h('button', {
              type: 'button',
              class: 'button',
              id: 'load-another',
              'aria-expanded': this.#loadPanelOpen ? 'true' : 'false',
              onclick: () => {
                this.#loadPanelOpen = !this.#loadPanelOpen;
                this.#renderLoadPanel();
                this.#renderData();
                if (this.#loadPanelOpen) this.#byId('file-button')?.scrollIntoView({ block: 'nearest' });
              },
            }, t('load.another'))
            : null,
        ),
      ),
      this.#tabs(view),
      view.unfiltered ? null : filterBar({
        locale,
        filter: this.#filter,
        setFilter: (filter) => this.#setFilter(filter),
        attributes: this.#analyses.get('attributes'),
        summary: this.#summary,
        state: this.#filterState,
        rerender: () => this.#renderData(),
      }),
      content,
    ], { focusLater });
  }

  /** The width views lay their charts out for (the lens's content box), measured on start and resize. */
  #contentWidth() {
    this.#measuredWidth ||= Math.floor(this.#container.clientWidth);
    return this.#measuredWidth || 720;
  }

  #render({ focusLater = false } = {}) {
    this.#container.lang = this.locale.lang;
    this.#renderLoadPanel();
    this.#renderStatus();
    this.#renderData({ focusLater });
  }
}
