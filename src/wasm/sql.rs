//! "Show SQL" and model fits from a grouped summary, from JS: `book.sql(options)` (the queries
//! for this book's column mapping and preset), `renderSql(options)` (the same without a book) and
//! `parseGroupedSummary(text, { periodDays })` (the `clvSummary` query's result as typed arrays
//! for the weighted `fitBgNbd` / `fitGammaGamma`).
//!
//! SQL options (every field optional): `{ dialect: 'duckdb' | 'postgres' | 'bigquery' | 'spark',
//! query: 'all' | 'orders' | 'rfm' | 'cohorts' | 'clvSummary', table: 'schema.table' |
//! ['schema', 'table'], columns: { customer, order, date, amount, quantity, unitPrice, status },
//! returnPrefix, negativeIsReturn, cancelledStatuses: [...], keptStatuses: [...],
//! cancelledWhenPresent: [...], amountPerOrder, asOf, bins, monetary, rules, period,
//! calibrationEnd, periodDays, clvTimeGrouping: 'day' | 'period', clvMonetaryDigits }`.

use js_sys::{Float64Array, Object, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::{JsOrderBook, options};
use crate::sql::{self, GroupedSummary, SqlError, SqlOptions, SqlSettings};

fn js_error(error: SqlError) -> JsError {
    JsError::new(&error.to_string())
}

#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// The SQL text for the user's warehouse. Defaults come from this book: the columns it was
    /// read with, and its preset's return prefix, cancellation columns and per-order amounts;
    /// the table is `orders` unless `table` says otherwise.
    pub fn sql(&self, options_value: JsValue) -> Result<String, JsError> {
        let settings: SqlSettings = options(options_value)?;
        let options = settings
            .apply(SqlOptions::from_report(&self.book.report))
            .map_err(js_error)?;
        sql::render(&options).map_err(js_error)
    }
}

/// The SQL text for options given in full (no book): `columns.customer`, `columns.date` and
/// `columns.amount` (or `quantity` and `unitPrice`) are required.
#[wasm_bindgen(js_name = renderSql)]
pub fn render_sql(options_value: JsValue) -> Result<String, JsError> {
    let settings: SqlSettings = options(options_value)?;
    let options = settings.apply(SqlOptions::default()).map_err(js_error)?;
    sql::render(&options).map_err(js_error)
}

#[derive(Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ParseOptions {
    period_days: f64,
}

impl Default for ParseOptions {
    fn default() -> ParseOptions {
        ParseOptions { period_days: 7.0 }
    }
}

/// Reads the `clvSummary` query's CSV result: `{ customers, rows, periodDays, bgnbd: {
/// frequency, recency, T, weights, recencyDays, tDays }, gammaGamma: { frequency, monetaryMean,
/// weights } }`, every column a `Float64Array`; `recency` and `T` are in periods of `periodDays`
/// (default 7), ready for `fitBgNbd(frequency, recency, T, weights)`.
#[wasm_bindgen(js_name = parseGroupedSummary)]
pub fn parse_grouped_summary(text: &str, options_value: JsValue) -> Result<JsValue, JsError> {
    let ParseOptions { period_days } = options(options_value)?;
    if !(period_days.is_finite() && period_days > 0.0) {
        return Err(JsError::new(&format!(
            "invalid periodDays '{period_days}': a positive number of days per model period \
             (default 7)"
        )));
    }
    let summary = GroupedSummary::parse(text).map_err(js_error)?;
    let bgnbd = object(&[
        ("frequency", column(&summary.bgnbd.frequency)),
        ("recency", column(&summary.recency_periods(period_days))),
        ("T", column(&summary.age_periods(period_days))),
        ("weights", column(&summary.bgnbd.customers)),
        ("recencyDays", column(&summary.bgnbd.recency_days)),
        ("tDays", column(&summary.bgnbd.age_days)),
    ])?;
    let gamma_gamma = object(&[
        ("frequency", column(&summary.gamma_gamma.frequency)),
        ("monetaryMean", column(&summary.gamma_gamma.monetary_mean)),
        ("weights", column(&summary.gamma_gamma.customers)),
    ])?;
    object(&[
        ("customers", JsValue::from(summary.customers())),
        ("rows", JsValue::from(summary.rows() as u32)),
        ("periodDays", JsValue::from(period_days)),
        ("bgnbd", bgnbd),
        ("gammaGamma", gamma_gamma),
    ])
}

fn column(values: &[f64]) -> JsValue {
    Float64Array::from(values).into()
}

fn object(fields: &[(&str, JsValue)]) -> Result<JsValue, JsError> {
    let result = Object::new();
    for (name, value) in fields {
        Reflect::set(&result, &JsValue::from_str(name), value)
            .map_err(|_| JsError::new("could not build the grouped summary object"))?;
    }
    Ok(result.into())
}
