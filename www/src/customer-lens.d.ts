// Types of the <customer-lens> library module (customer-lens.js). Importing the module registers
// the element; nothing else is needed.

/** What was read: rows, orders, customers, dates, and how the data was interpreted. */
export interface CustomerLensSummary {
  rowsRead: number; rowsAccepted: number; rowsRejected: number; rowsAnonymous: number;
  orders: number; purchases: number; returns: number; cancelled: number;
  customers: number; customersWithPurchase: number; revenue: number;
  firstDate: string | null; lastDate: string | null;
  encoding: string; delimiter: string; dateOrder: 'ymd' | 'dmy' | 'mdy'; dateOrderAmbiguous: boolean;
  decimalSeparator: 'dot' | 'comma'; preset: string;
  columns: [string, string][]; headers: string[]; blankLines: number;
  rejects: { row: number; column: string; value: string; reason: string }[];
  notes: string[];
}

/**
 * An order as the host has it: keys are column names (`customer`, `order`, `date`, `total`, or
 * the names of the store's export: `Customer ID`, `Mã đơn hàng`, …); values strings, numbers or
 * Dates. Order lines with the same order id are summed into one order.
 */
export type CustomerLensOrder = Record<string, string | number | Date | null | undefined>;

/** How to read the orders; every field optional and detected when absent. */
export interface CustomerLensLoadOptions {
  preset?: 'online-retail' | 'shopify' | 'haravan' | 'woocommerce' | 'cdnow' | 'generic';
  columns?: {
    customer?: string; order?: string; date?: string; amount?: string; quantity?: string;
    unitPrice?: string; status?: string; country?: string; channel?: string;
  };
  dateOrder?: 'ymd' | 'dmy' | 'mdy';
  delimiter?: string;
  encoding?: string;
}

export interface CustomerLensReadyDetail { summary: CustomerLensSummary; }
export interface CustomerLensErrorDetail { message: string; }
export interface SegmentSelectDetail {
  /** The RFM segment's English name (`Champions`, `At Risk`, …), or null for a quartile group. */
  segment: string | null;
  /** `vip` or `reactivate` when the user opened a quartile group, else null. */
  group: 'vip' | 'reactivate' | null;
  /** The ids of the segment's customers, as the orders spelled them. */
  customerIds: string[];
  /** The date the scores are computed as of (`YYYY-MM-DD`). */
  asOf: string | null;
}

export class CustomerLensElement extends HTMLElement {
  /** Registers the element under `tag` (the module already registered `customer-lens`). */
  static define(tag?: string, registry?: CustomElementRegistry): typeof CustomerLensElement;
  static readonly observedAttributes: string[];

  /** `src` attribute: URL of an orders export (CSV, TSV, .csv.gz) fetched by the browser. */
  src: string;
  /** `locale` attribute: `en` or `vi`; otherwise the browser's language. */
  locale: 'en' | 'vi';
  /** `currency` attribute: ISO 4217 code, `''` for plain numbers, null to guess from the export. */
  currency: string | null;
  /** `as-of` attribute (`YYYY-MM-DD`); `''` = the last order date. */
  asOf: string;
  /** `period` attribute: cohort (and lifecycle) period. */
  period: 'week' | 'month' | 'quarter';
  /** `view` attribute: the view shown; follows the user's tab. */
  view: 'overview' | 'rfm' | 'cohorts' | 'lifecycle' | 'clv' | 'sql';
  /** `theme` attribute. */
  theme: 'light' | 'dark' | 'auto';

  /** Orders the host already has; setting them analyses them (nothing is fetched or sent). */
  orders: CustomerLensOrder[] | null;
  /** The summary of the loaded data, or null. */
  readonly summary: CustomerLensSummary | null;

  /** Loads a File/Blob, a URL or an array of orders; resolves to the summary (null if superseded). */
  load(input: File | Blob | string | URL | CustomerLensOrder[], options?: CustomerLensLoadOptions): Promise<CustomerLensSummary | null>;
  /**
   * Downloads the RFM customer list of a segment (English name; all customers when absent) as
   * CSV `customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment` and
   * resolves to its text.
   */
  exportCsv(segment?: string): Promise<string>;

  addEventListener<K extends keyof CustomerLensEventMap>(type: K, listener: (this: CustomerLensElement, event: CustomerLensEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

export interface CustomerLensEventMap extends HTMLElementEventMap {
  'customer-lens-ready': CustomEvent<CustomerLensReadyDetail>;
  'customer-lens-error': CustomEvent<CustomerLensErrorDetail>;
  'segment-select': CustomEvent<SegmentSelectDetail>;
}

declare global {
  interface HTMLElementTagNameMap {
    'customer-lens': CustomerLensElement;
  }
  interface HTMLElementEventMap {
    'customer-lens-ready': CustomEvent<CustomerLensReadyDetail>;
    'customer-lens-error': CustomEvent<CustomerLensErrorDetail>;
    'segment-select': CustomEvent<SegmentSelectDetail>;
  }
}
