// <customer-lens>: the lens (lensApp.js) as a custom element for a storefront's admin page.
//
// State is in attributes (src, locale, currency, as-of, period, view, theme, filter), read
// through getters; the host hands orders over with the `orders` property or `load()`, and hears
// back through bubbling, composed events: `customer-lens-ready`, `customer-lens-error`,
// `segment-select` (the ids of the customers in the segment the user opened), `audience-select`
// (the ids of an audience the user chose: cross-sell, a ready or a custom audience),
// `custom-audiences-change` (the user saved or deleted a custom audience: the definitions for
// the host to keep; the element writes nothing to the host's storage, and the host hands them
// back with the `customAudiences` property) and `filter-change` (the user changed the filter);
// each but the error and the custom audiences also reports the filter in force. Everything renders
// in a shadow root, so the host's styles do not leak in and ours do not leak out; theming goes
// through the CSS custom properties in styles/tokens.css, and the text is in the host's font.
import tokensCss from './styles/tokens.css?inline';
import componentsCss from './styles/components.css?inline';
import viewsCss from './styles/views.css?inline';
import elementCss from './styles/element.css?inline';
import { acceptFileDrops, download, fileSlug } from './dom.js';
import { LOCALES, browserLang, localeOf } from './i18n.js';
import { LensApp, VIEW_IDS } from './lensApp.js';
import { COHORT_DEFAULTS, PERIODS } from './views/defaults.js';
import { customerIdsOf, engineOptions as rfmEngineOptions } from './views/rfmOptions.js';
import { filterFromJson, normalizeFilter } from './views/filterModel.js';
import { normalizeDefinition } from './views/audiencesModel.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Orders as a host holds them: an array of rows, or a plain object of columns. */
function isOrders(value) {
  return Array.isArray(value) || Object.prototype.toString.call(value) === '[object Object]';
}

/** Outside a page (a server rendering the host's page, Node) there is no HTMLElement: the class is then inert. */
const Base = globalThis.HTMLElement ?? class {};

let sharedSheet = null;
/** One constructed stylesheet for every instance (no <style> element: a strict CSP allows it). */
function styleSheet() {
  if (!sharedSheet) {
    sharedSheet = new CSSStyleSheet();
    sharedSheet.replaceSync(`${tokensCss}\n${componentsCss}\n${viewsCss}\n${elementCss}`);
  }
  return sharedSheet;
}

export class CustomerLensElement extends Base {
  static observedAttributes = ['src', 'locale', 'currency', 'as-of', 'period', 'view', 'theme', 'filter'];

  /** Registers the element (once) under `tag`. */
  static define(tag = 'customer-lens', registry = globalThis.customElements) {
    if (!registry.get(tag)) registry.define(tag, this);
    return this;
  }

  /** How an instance starts its analysis worker; the library entry (lib.js) sets it. */
  static createWorker = null;

  #lens = null;
  #orders = null;
  #loadedSrc = null;
  #ownLabel = false;
  /** The custom audiences' definitions: the host's to keep (custom-audiences-change), handed back with the property. */
  #customAudiences = [];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [styleSheet()];
  }

  // ------------------------------------------------------------ attributes

  /** URL of an orders export to fetch (CSV, TSV or .csv.gz); relative to the page. */
  get src() {
    return this.getAttribute('src') ?? '';
  }

  set src(value) {
    this.setAttribute('src', value);
  }

  /** `en` or `vi`; anything else follows the browser's language. */
  get locale() {
    const value = (this.getAttribute('locale') ?? '').toLowerCase();
    return Object.hasOwn(LOCALES, value) ? value : browserLang();
  }

  set locale(value) {
    this.setAttribute('locale', value);
  }

  /** ISO 4217 code (`VND`, `USD`, …), `none` for plain numbers; absent: guessed from the export. */
  get currency() {
    const value = this.getAttribute('currency');
    if (value === null || value.trim() === '') return null;
    return value.trim().toLowerCase() === 'none' ? '' : value.trim().toUpperCase();
  }

  set currency(value) {
    this.setAttribute('currency', value);
  }

  /** `YYYY-MM-DD`: the date RFM, lifecycle and lifetime value are computed as of (default: the last order). */
  get asOf() {
    const value = this.getAttribute('as-of') ?? '';
    return ISO_DATE.test(value) ? value : '';
  }

  set asOf(value) {
    this.setAttribute('as-of', value);
  }

  /** Cohort period: `week`, `month` (default) or `quarter`. */
  get period() {
    const value = this.getAttribute('period');
    return PERIODS.includes(value) ? value : COHORT_DEFAULTS.period;
  }

  set period(value) {
    this.setAttribute('period', value);
  }

  /** The view shown: `overview`, `rfm`, `cohorts`, `lifecycle`, `clv`, `products`, `sql` or `data`; follows the user's tab. */
  get view() {
    const value = this.getAttribute('view');
    return VIEW_IDS.includes(value) ? value : 'overview';
  }

  set view(value) {
    this.setAttribute('view', value);
  }

  /** `light` (default), `dark`, or `auto` (the system's). Styling only. */
  get theme() {
    const value = this.getAttribute('theme');
    return value === 'dark' || value === 'auto' ? value : 'light';
  }

  set theme(value) {
    this.setAttribute('theme', value);
  }

  /**
   * Which orders every view analyses: `{ country: ['Vietnam'], channel: ['web'], from:
   * '2024-01-01', to: '2024-06-30' }` (attribute keys as `book.attributes()` names them, each to
   * the values kept; `from`/`to` inclusive dates). Reads what the lens applies now, the user's
   * changes in its filter bar included; setting it writes the `filter` attribute (the same as
   * JSON). `{}` or null: every order.
   */
  get filter() {
    return this.#lens ? this.#lens.filter : filterFromJson(this.getAttribute('filter'));
  }

  set filter(value) {
    const filter = normalizeFilter(value);
    if (Object.keys(filter).length) this.setAttribute('filter', JSON.stringify(filter));
    else this.removeAttribute('filter');
  }

  // ------------------------------------------------------------ data in, results out

  /**
   * The orders the host handed over — plain objects (keys = column names), or an object of
   * columns (`{ customer: [...], date: [...], total: Float64Array }`, as `OrderBook.fromColumns`
   * takes); setting them loads them.
   */
  get orders() {
    return this.#orders;
  }

  set orders(rows) {
    this.#orders = rows;
    if (isOrders(rows)) this.load(rows).catch(() => {}); // reported as customer-lens-error
  }

  /**
   * The custom audiences of the Audiences view: definitions only (`{ name, segments, stages,
   * pAlive, value, recencyDays, purchases }`, ranges as `[min, max]`, null for open), never
   * data. The element keeps them in memory; a host that wants them to last stores what
   * `custom-audiences-change` reports and sets them again here.
   */
  get customAudiences() {
    return structuredClone(this.#customAudiences);
  }

  set customAudiences(definitions) {
    this.#customAudiences = Array.isArray(definitions) ? definitions.map(normalizeDefinition).filter(Boolean) : [];
    if (this.#lens?.ready && this.#lens.view === 'audiences') this.#lens.refresh();
  }

  /** The summary of the loaded data (rows read, orders, customers, dates…), or null. */
  get summary() {
    return this.#lens?.summary ?? null;
  }

  /**
   * Loads orders: a File or Blob (read here, never uploaded), a URL (fetched by the browser), an
   * array of plain objects or an object of columns. Resolves to the summary; rejects with an Error whose message
   * says what to fix (also sent as `customer-lens-error`). A load superseded by a newer one
   * resolves to null.
   */
  load(input, options = {}) {
    let source;
    if (typeof Blob !== 'undefined' && input instanceof Blob) source = { kind: 'file', file: input };
    else if (isOrders(input)) source = { kind: 'rows', rows: input };
    else if (typeof input === 'string' || input instanceof URL) source = { kind: 'url', url: new URL(input, document.baseURI).href };
    else return Promise.reject(new TypeError('customer-lens: load() takes a File or Blob, a URL, an array of orders or an object of columns'));
    return this.#ensureLens().load({ ...source, fromHost: true }, options);
  }

  /**
   * The RFM customer list as CSV (`customer_id,recency_days,frequency,monetary,r_score,…`) for
   * a segment (its English name, e.g. `Champions`; all customers when absent), with the current
   * RFM settings. Saves it as a download and resolves to the text.
   */
  async exportCsv(segment) {
    const lens = this.#ensureLens();
    if (!lens.ready) throw new Error('customer-lens: no orders loaded yet');
    const options = { ...rfmEngineOptions(lens.settings.rfm), ...(segment ? { segment } : {}) };
    const text = await lens.analyse('rfmCsv', options);
    const asOf = lens.settings.rfm.asOf || lens.summary.lastDate || 'data';
    download(`customers-${fileSlug(segment ?? 'all')}-${asOf}.csv`, text);
    return text;
  }

  // ------------------------------------------------------------ lifecycle

  connectedCallback() {
    // Properties a host set before the element was defined are own properties hiding ours.
    for (const name of ['orders', 'src', 'locale', 'currency', 'asOf', 'period', 'view', 'theme', 'filter', 'customAudiences']) {
      if (!Object.hasOwn(this, name)) continue;
      const value = this[name];
      delete this[name];
      this[name] = value;
    }
    if (!this.hasAttribute('role')) this.setAttribute('role', 'region');
    const lens = this.#ensureLens();
    if (!this.hasAttribute('aria-label') && !this.hasAttribute('aria-labelledby')) {
      this.#ownLabel = true;
      this.setAttribute('aria-label', this.#label());
    }
    lens.update(this.#attributeState());
    if (this.src && this.src !== this.#loadedSrc) this.#loadSrc();
  }

  disconnectedCallback() {
    // Moving the element (disconnect + connect in one task) keeps its data; removing it ends the worker.
    queueMicrotask(() => {
      if (this.isConnected || !this.#lens) return;
      this.#lens.destroy();
      this.#lens = null;
      this.#loadedSrc = null;
    });
  }

  attributeChangedCallback(name, previous, value) {
    if (!this.#lens || !this.isConnected || previous === value) return;
    if (name === 'src') {
      if (this.src) this.#loadSrc();
      return;
    }
    if (name === 'theme') return; // CSS only
    if (name === 'view' && this.view === this.#lens.view) return; // the user's own tab
    if (name === 'locale' && this.#ownLabel) this.setAttribute('aria-label', this.#label());
    if (name === 'filter') {
      this.#lens.update({ filter: filterFromJson(value) });
      return;
    }
    this.#lens.update(this.#attributeState());
  }

  #label() {
    return localeOf(this.locale).t('widget.label');
  }

  #loadSrc() {
    this.#loadedSrc = this.src;
    this.load(this.src).catch(() => {});
  }

  /** The attributes as the lens's language, currency, view and settings. */
  #attributeState() {
    return { lang: this.locale, currency: this.currency, view: this.view, settings: this.#attributeSettings(), filter: filterFromJson(this.getAttribute('filter')) };
  }

  /** The view settings the attributes set (a date or period given by the host survives new data). */
  #attributeSettings() {
    const { asOf, period } = this;
    return {
      rfm: { asOf },
      lifecycle: { asOf, period },
      clv: { calibrationEnd: asOf },
      cohorts: { period },
    };
  }

  #ensureLens() {
    if (this.#lens) return this.#lens;
    const createWorker = CustomerLensElement.createWorker;
    if (!createWorker) throw new Error('customer-lens: no worker; load the element from the library module (customer-lens.js)');
    const container = document.createElement('div');
    this.shadowRoot.replaceChildren(container);
    this.#lens = new LensApp(container, {
      createWorker,
      lang: this.locale,
      urlForm: false,
      sampleUrl: null,
      hero: false,
      // Data the host handed over is the host's to replace; a file the user dropped, the user's.
      loadAnother: (source) => !source.fromHost,
      keptSettings: () => this.#attributeSettings(),
      filter: filterFromJson(this.getAttribute('filter')),
      keptFilter: () => filterFromJson(this.getAttribute('filter')),
      onFilterChange: (filter) => this.#emit('filter-change', { filter }),
      onLoaded: (summary) => this.#emit('customer-lens-ready', { summary, filter: this.#lens?.filter ?? {} }),
      onError: (message) => this.#emit('customer-lens-error', { message }),
      onViewChange: (view) => {
        if (this.getAttribute('view') !== view) this.setAttribute('view', view);
      },
      onListSelect: (list, settings) => this.#segmentSelected(list, settings),
      onAudienceSelect: (detail) => this.#emit('audience-select', { ...detail, filter: this.#lens?.filter ?? {} }),
      audienceStore: {
        kind: 'element',
        load: () => this.#customAudiences,
        save: (definitions) => {
          this.#customAudiences = definitions;
          this.#emit('custom-audiences-change', { audiences: this.customAudiences });
        },
      },
    });
    // A file dropped on the element is read like one picked in its load card.
    acceptFileDrops(container, (files) => this.#lens?.loadFile(files[0]));
    return this.#lens;
  }

  /** The user opened an RFM segment (or quartile group): tell the host which customers are in it. */
  async #segmentSelected(list, settings) {
    if (list.kind === 'all') return;
    const lens = this.#lens;
    const chosen = list.kind === 'segment' ? { segment: list.name } : { group: list.name };
    try {
      // Through the lens's analyses, so under its filter: the ids are those the user sees.
      const columns = await lens.analyse('rfmCustomers', { ...rfmEngineOptions(settings), ...chosen });
      this.#emit('segment-select', {
        segment: list.kind === 'segment' ? list.name : null,
        group: list.kind === 'group' ? list.name : null,
        customerIds: customerIdsOf(columns),
        asOf: settings.asOf || lens.summary?.lastDate || null,
        filter: lens.filter,
      });
    } catch (error) {
      this.#emit('customer-lens-error', { message: error?.message ?? String(error) });
    }
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}
