// The front end's defaults, in one place: each view's settings (apart from the views so that
// the page can read and write the URL hash, and the element its attributes, without loading the
// chart-heavy view code) and the choices more than one module offers. A setting at its default
// is left out of what a view asks of the engine, which then applies its own default (the same
// value: the README documents each, and tests/api/defaults.test.mjs runs each analysis with the
// default left out and written out, so the two sides cannot drift apart), so no number here is
// sent when it need not be.

/** Cohort and lifecycle series periods (the element's `period` attribute takes the same). */
export const PERIODS = ['week', 'month', 'quarter', 'year'];

/**
 * The Overview: the period of its series, and the attribute whose values it ranks (`compareBy`,
 * '' = the first the data has) with how many before the rest fold into "Other" (`top`).
 */
export const OVERVIEW_DEFAULTS = { period: 'month', compareBy: '', top: 10 };
/** How many values a compared attribute shows before the rest fold into "Other" (the engine's `top`). */
export const TOP_CHOICES = [5, 10, 20];
export const RFM_DEFAULTS = { asOf: '', bins: 5, monetary: 'total', rules: '', list: '', compareBy: '', top: 10 };
export const COHORT_DEFAULTS = { period: 'month', metric: 'customers', growth: 'customers', window: 'auto', compareBy: '', top: 10 };
export const LIFECYCLE_DEFAULTS = { asOf: '', compareWith: '', period: 'month', atRisk: 2, lapsed: 4 };
/**
 * `discount` (the monthly discount rate) and `margin` are shares from 0 to 1, as the engine
 * takes them (`monthlyDiscountRate`, `margin`) and the URL hash carries them; only the page's
 * inputs show them as percentages.
 */
export const CLV_DEFAULTS = { calibrationEnd: '', holdout: 0, horizon: 365, discount: 0.01, margin: 1, model: 'auto', compareBy: '', top: 10 };
/**
 * The Products view: the product mix by RFM segment or lifecycle stage, and the smallest share
 * of orders a pair must be in to be listed as bought together (sent to the engine always: the
 * list of a chosen product is read at a lower share than the store's top pairs would be).
 */
export const PRODUCTS_DEFAULTS = { mixBy: 'segment', minSupport: 0.001 };
export const MIN_SUPPORT_CHOICES = [0, 0.001, 0.005, 0.01, 0.02];
/**
 * The Audiences view: the as-of date ('' = the last order), the parameter overrides (JSON,
 * `{ dueToReorder: { days: 7 } }`: definitions, no data) and whether each customer is kept only
 * in the first audience that holds them (1) or in every one (0).
 */
export const AUDIENCES_DEFAULTS = { asOf: '', params: '', exclusive: 0 };
export const SQL_DEFAULTS = { dialect: 'duckdb', table: 'orders', query: 'all', grouping: 'day' };

/** Days per model period of a grouped CLV summary until the user says otherwise (the CLV models' `periodDays`). */
export const FIT_PERIOD_DAYS = 7;
