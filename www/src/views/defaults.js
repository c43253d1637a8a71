// Each analysis view's settings and their defaults, apart from the views themselves so that the
// page can read and write the URL hash without loading the (chart-heavy) view code.
export const RFM_DEFAULTS = { asOf: '', bins: 5, monetary: 'total', rules: '', list: '' };
export const COHORT_DEFAULTS = { period: 'month', metric: 'customers', growth: 'customers', window: 'auto' };
export const LIFECYCLE_DEFAULTS = { asOf: '', compareWith: '', period: 'month', atRisk: 2, lapsed: 4 };
export const CLV_DEFAULTS = { calibrationEnd: '', holdout: 0, horizon: 365, discount: 1, margin: 100, model: 'auto' };
export const SQL_DEFAULTS = { dialect: 'duckdb', table: 'orders', query: 'all', grouping: 'day' };
