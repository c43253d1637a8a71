// Types of the <customer-lens> library module (customer-lens.js, the package `customer-lens`).
// Importing the module registers the element; nothing else is needed. The shapes the engine
// returns and takes (the summary, the load options, the filter) are the engine's own generated
// types, in customer-lens-engine.d.ts beside this file (pkg/customer_lens.d.ts).
import type { EngineError, EngineMessage, IngestOptions, OrderFilter, Reject, Summary } from './customer-lens-engine.js';

export type { EngineError, EngineMessage, IngestOptions, OrderFilter, Reject, Summary };

/**
 * What was read: rows, orders, customers, dates, and how the data was interpreted; for an Excel
 * workbook also its sheets and the one read.
 */
export type CustomerLensSummary = Summary & {
  workbook?: { sheets: string[]; sheet: string };
  /** For a large file read by several workers: how many, and their WebAssembly memory in bytes, all together. */
  workers?: number;
  workerMemory?: number;
};

/**
 * How to read the orders (preset, columns, date order, delimiter, encoding; for an Excel workbook
 * the sheet, by name or index, else the first with a header found); every field optional.
 */
export type CustomerLensLoadOptions = IngestOptions & { sheet?: string | number };

/**
 * An order as the host has it: keys are column names (`customer`, `order`, `date`, `total`, or
 * the names of the store's export: `Customer ID`, `Mã đơn hàng`, …); values strings, numbers or
 * Dates. Order lines with the same order id are summed into one order.
 */
export type CustomerLensOrder = Record<string, string | number | Date | null | undefined>;

/**
 * Orders as columns: each key a column name, each value one entry per order (numbers may come as
 * a typed array such as Float64Array), all of the same length.
 */
export type CustomerLensOrderColumns = Record<string, readonly (string | number | Date | null | undefined)[] | Float64Array | Float32Array | Int32Array | Uint32Array>;

/** What `load()` takes: a File or Blob (read in the tab), a URL (fetched by the browser), or orders (rows or columns). */
export type CustomerLensInput = File | Blob | string | URL | readonly CustomerLensOrder[] | CustomerLensOrderColumns;

export type CustomerLensLocale = 'en' | 'vi';
export type CustomerLensPeriod = 'week' | 'month' | 'quarter' | 'year';
export type CustomerLensView = 'overview' | 'rfm' | 'cohorts' | 'lifecycle' | 'clv' | 'products' | 'audiences' | 'sql' | 'data';
export type CustomerLensTheme = 'light' | 'dark' | 'auto';

/** The element's attributes, as a host writes them in HTML. */
export type CustomerLensAttribute = 'src' | 'locale' | 'currency' | 'as-of' | 'period' | 'view' | 'theme' | 'filter';

/**
 * Which orders every view analyses: the engine's `OrderFilter` (what `book.summary({ filter })`
 * and every analysis take). An order attribute's key (as `book.attributes()` names it:
 * `country`, `channel`, a picked column's header, …) to the values kept (an order matches one of
 * them; `''` is an order without a value), and an inclusive date range (`from`, `to`:
 * `YYYY-MM-DD`). Keys are combined with AND. A customer's first purchase (cohort, new or
 * returning) still comes from their whole history.
 */
export type CustomerLensFilter = OrderFilter;

/** The eleven segments of the standard RFM rule table, by their English names. */
export type RfmSegmentName =
  | 'Champions' | 'Loyal Customers' | 'Potential Loyalist' | 'New Customers' | 'Promising'
  | "Can't Lose Them" | 'At Risk' | 'Need Attention' | 'About To Sleep' | 'Lost' | 'Hibernating';

export interface CustomerLensReadyDetail {
  summary: CustomerLensSummary;
  /** The filter in force (the `filter` attribute's, `{}` without one). */
  filter: CustomerLensFilter;
}

export interface FilterChangeDetail {
  /** The filter the user set in the filter bar (`{}`: every order). */
  filter: CustomerLensFilter;
}

export interface CustomerLensErrorDetail {
  /** What went wrong and what to do, in the element's language. */
  message: string;
}

export interface SegmentSelectDetail {
  /** The RFM segment's English name (a custom rule table's own names), or null for a quartile group. */
  segment: RfmSegmentName | (string & {}) | null;
  /** `vip` or `reactivate` when the user opened a quartile group, else null. */
  group: 'vip' | 'reactivate' | null;
  /** The ids of the segment's customers, as the orders spelled them. */
  customerIds: string[];
  /** The date the scores are computed as of (`YYYY-MM-DD`). */
  asOf: string | null;
  /** The filter the scores were computed under (`{}`: every order). */
  filter: CustomerLensFilter;
}

/** Which audience `audience-select` is about: a ready one, the cross-sell one, or a custom one (`custom:<name>`). */
export type AudienceId = 'dueToReorder' | 'justSlipped' | 'highValueAtRisk' | 'oneAndDone' | 'vipThankYou' | 'winBack' | 'crossSell' | 'replenishment' | (string & {});

export interface AudienceSelectDetail {
  /** The audience's id (`crossSell` for the Products view's cross-sell audience). */
  audience: AudienceId;
  /** The ids of its customers, as the orders spelled them. */
  customerIds: string[];
  /** The date the audience is computed as of (`YYYY-MM-DD`). */
  asOf: string | null;
  /** The parameters it was computed with (cross-sell: `{ bought, notBought }`). */
  params: Record<string, unknown>;
  /** The filter it was computed under (`{}`: every order). */
  filter: CustomerLensFilter;
}

/** A custom audience's definition (conditions only, never data); ranges `[min, max]`, null for open. */
export interface CustomAudienceDefinition {
  name: string;
  /** RFM segment names (the engine's, e.g. `Champions`); empty: any. */
  segments: string[];
  /** Lifecycle stages; empty: any. */
  stages: Array<'new' | 'active' | 'at_risk' | 'lapsed' | 'won_back'>;
  /** P(alive), a share from 0 to 1. */
  pAlive: [number | null, number | null];
  /** Expected value (CLV) over the Lifetime value view's horizon. */
  value: [number | null, number | null];
  recencyDays: [number | null, number | null];
  purchases: [number | null, number | null];
}

export interface CustomAudiencesChangeDetail {
  /** Every custom audience, after the user's change: for the host to keep and hand back. */
  audiences: CustomAudienceDefinition[];
}

export interface CustomerLensEventMap extends HTMLElementEventMap {
  'customer-lens-ready': CustomEvent<CustomerLensReadyDetail>;
  'customer-lens-error': CustomEvent<CustomerLensErrorDetail>;
  'segment-select': CustomEvent<SegmentSelectDetail>;
  'audience-select': CustomEvent<AudienceSelectDetail>;
  'custom-audiences-change': CustomEvent<CustomAudiencesChangeDetail>;
  'filter-change': CustomEvent<FilterChangeDetail>;
}

export class CustomerLensElement extends HTMLElement {
  /** Registers the element under `tag` (the module already registered `customer-lens`). */
  static define(tag?: string, registry?: CustomElementRegistry): typeof CustomerLensElement;
  static readonly observedAttributes: CustomerLensAttribute[];

  /** `src` attribute: URL of an orders export (CSV, TSV, .csv.gz) fetched by the browser. */
  src: string;
  /** `locale` attribute: `en` or `vi`; otherwise the browser's language. */
  locale: CustomerLensLocale;
  /** `currency` attribute: ISO 4217 code (`VND`, `USD`, …), `none` or `''` for plain numbers; reads null when absent (guessed from the export). */
  get currency(): string | null;
  set currency(value: string);
  /** `as-of` attribute (`YYYY-MM-DD`); `''` = the last order date. */
  asOf: string;
  /** `period` attribute: cohort (and lifecycle) period. */
  period: CustomerLensPeriod;
  /** `view` attribute: the view shown; follows the user's tab. */
  view: CustomerLensView;
  /** `theme` attribute. */
  theme: CustomerLensTheme;
  /**
   * The filter every view applies; setting it writes the `filter` attribute (the same object as
   * JSON). Reads the filter in force, the user's changes in the filter bar included.
   */
  get filter(): CustomerLensFilter;
  set filter(value: CustomerLensFilter | null);
  /** The Audiences view's custom audiences (definitions only); the host keeps them (`custom-audiences-change`) and hands them back here. */
  customAudiences: CustomAudienceDefinition[];

  /** Orders the host already has, as rows or columns; setting them analyses them (nothing is fetched or sent). */
  orders: readonly CustomerLensOrder[] | CustomerLensOrderColumns | null;
  /** The summary of the loaded data, or null. */
  readonly summary: CustomerLensSummary | null;

  /**
   * Loads a File/Blob, a URL, an array of orders or an object of columns; resolves to the summary (null if a newer load
   * superseded it); rejects with an Error whose message says what to fix (also sent as
   * `customer-lens-error`).
   */
  load(input: CustomerLensInput, options?: CustomerLensLoadOptions): Promise<CustomerLensSummary | null>;
  /**
   * Downloads the RFM customer list of a segment (English name; all customers when absent) as
   * CSV `customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment` and
   * resolves to its text.
   */
  exportCsv(segment?: RfmSegmentName | (string & {})): Promise<string>;

  addEventListener<K extends keyof CustomerLensEventMap>(type: K, listener: (this: CustomerLensElement, event: CustomerLensEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof CustomerLensEventMap>(type: K, listener: (this: CustomerLensElement, event: CustomerLensEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'customer-lens': CustomerLensElement;
  }
  interface HTMLElementEventMap {
    'customer-lens-ready': CustomEvent<CustomerLensReadyDetail>;
    'customer-lens-error': CustomEvent<CustomerLensErrorDetail>;
    'segment-select': CustomEvent<SegmentSelectDetail>;
    'audience-select': CustomEvent<AudienceSelectDetail>;
    'custom-audiences-change': CustomEvent<CustomAudiencesChangeDetail>;
    'filter-change': CustomEvent<FilterChangeDetail>;
  }
  interface DocumentEventMap {
    'customer-lens-ready': CustomEvent<CustomerLensReadyDetail>;
    'customer-lens-error': CustomEvent<CustomerLensErrorDetail>;
    'segment-select': CustomEvent<SegmentSelectDetail>;
    'audience-select': CustomEvent<AudienceSelectDetail>;
    'custom-audiences-change': CustomEvent<CustomAudiencesChangeDetail>;
    'filter-change': CustomEvent<FilterChangeDetail>;
  }
}
