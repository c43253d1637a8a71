//! The SQL module's JS API: `bookSql(context, options)` (the queries for a book's column mapping
//! and preset: what the engine's `book.sql(options)` calls, `context` the plain data the engine
//! hands over), `renderSql(options)` (the same without a book) and
//! `parseGroupedSummary(text, { periodDays })` (the `clvSummary` query's result as typed arrays
//! for the engine's weighted `fitBgNbd` / `fitGammaGamma`). Errors are thrown as the engine
//! throws them (`js_error`).
//!
//! SQL options (every field optional): `{ dialect: 'duckdb' | 'postgres' | 'bigquery' | 'spark',
//! query: 'all' | 'orders' | 'rfm' | 'cohorts' | 'clvSummary' | 'products' | 'pairs', table: 'schema.table' |
//! ['schema', 'table'], columns: { customer, order, date, amount, quantity, unitPrice, status },
//! returnPrefix, negativeIsReturn, cancelledStatuses: [...], keptStatuses: [...],
//! cancelledWhenPresent: [...], amountPerOrder, customerIdNormalization: 'auto' | 'none' |
//! 'email' | 'phone', phoneCountry, asOf, bins, monetary, rules, period, calibrationEnd,
//! periodDays, clvTimeGrouping: 'day' | 'period', clvMonetaryDigits, filter, exclude: [product
//! ids] (default for `bookSql`: the book's not-a-product proposal), minSupport, top }`. The `filter` is
//! the analyses' (`{ country: […], from, to }`): `book.sql` reads each attribute from the column
//! the book read it from, `renderSql` from the attribute role's column in `columns`, else from the
//! column the key names.

use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

use crate::cohort::Period;
use crate::message::{Code, Expected, Message, Rule};
use crate::sql::{
    self, Dialect, GroupedSummary, SqlOptions, SqlQuery, SqlSettings, TableName, TimeGrouping,
};

use crate::filter::unknown_attribute_among;
use crate::ingest::{IngestReport, Role};
use customer_lens::wasm::{OptionFields, js_error, object_of, read_filter, texts_of};

/// A valid SQL options object, shown when something else is given.
const SQL_EXAMPLE: &str = "{ dialect: 'duckdb' }";

impl From<sql::SqlError> for JsValue {
    fn from(error: sql::SqlError) -> JsValue {
        js_error(error.into())
    }
}

/// The SQL text for a book's settings (`book.sql`). Defaults come from `context`, what the engine
/// hands over of the book: the columns it was read with, and its preset's return prefix,
/// cancellation columns and per-order amounts; the table is `orders` unless `table` says
/// otherwise.
#[wasm_bindgen(js_name = bookSql)]
pub fn book_sql(context: JsValue, options_value: JsValue) -> Result<String, JsValue> {
    let book = OptionFields::of(&context, "the engine's book.sql")?;
    let report = IngestReport {
        preset: book.text("preset")?.unwrap_or_default(),
        columns: book
            .columns("{ customer: 'CustomerID' }")?
            .unwrap_or_default(),
        customer_id_normalization: book.text("customerIdNormalization")?.unwrap_or_default(),
        phone_country: book.text("phoneCountry")?.unwrap_or_default(),
        headers: book.texts("headers")?.unwrap_or_default(),
        ..IngestReport::default()
    };
    let keys = book.texts("attributeKeys")?.unwrap_or_default();
    let columns = book.texts("attributeColumns")?.unwrap_or_default();
    // The filter names attributes by key; the SQL reads their columns.
    let column_of = |key: &str| match keys.iter().position(|k| k == key) {
        Some(at) => Ok(columns[at].clone()),
        None => {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            Err(unknown_attribute_among(
                &keys,
                key,
                Code::FILTER_UNKNOWN_ATTRIBUTE,
                "the filter",
            ))
        }
    };
    let mut settings = read_settings(&options_value, &column_of)?;
    if settings.exclude.is_none() {
        settings.exclude = book.texts("nonProducts")?;
    }
    let options = settings.apply(SqlOptions::from_report(&report))?;
    Ok(sql::render(&options)?)
}

/// The SQL text for options given in full (no book): `columns.customer`, `columns.date` and
/// `columns.amount` (or `quantity` and `unitPrice`) are required.
#[wasm_bindgen(js_name = renderSql)]
pub fn render_sql(options_value: JsValue) -> Result<String, JsValue> {
    let options =
        read_settings(&options_value, &|key| Ok(key.to_string()))?.apply(SqlOptions::default())?;
    Ok(sql::render(&options)?)
}

/// Reads the `clvSummary` query's CSV result: `{ customers, rows, periodDays, bgnbd: {
/// frequency, recency, T, weights, recencyDays, tDays }, gammaGamma: { frequency, monetaryMean,
/// weights } }`, every column a `Float64Array`; `recency` and `T` are in periods of `periodDays`
/// (default 7), ready for `fitBgNbd(frequency, recency, T, weights)`.
#[wasm_bindgen(js_name = parseGroupedSummary)]
pub fn parse_grouped_summary(text: &str, options_value: JsValue) -> Result<JsValue, JsValue> {
    let period_days = OptionFields::of(&options_value, "{ periodDays: 7 }")?
        .number("periodDays")?
        .unwrap_or(7.0);
    if !(period_days.is_finite() && period_days > 0.0) {
        let expected = Expected::with(&Rule::NUMBER_ABOVE, 0.0, f64::NAN);
        let given = period_days.to_string();
        return Err(Message::invalid_option("periodDays", &given, expected).into());
    }
    let summary = GroupedSummary::parse(text)?;
    let bgnbd = object_of(&[
        ("frequency", column(&summary.bgnbd.frequency)),
        ("recency", column(&summary.recency_periods(period_days))),
        ("T", column(&summary.age_periods(period_days))),
        ("weights", column(&summary.bgnbd.customers)),
        ("recencyDays", column(&summary.bgnbd.recency_days)),
        ("tDays", column(&summary.bgnbd.age_days)),
    ])?;
    let gamma_gamma = object_of(&[
        ("frequency", column(&summary.gamma_gamma.frequency)),
        ("monetaryMean", column(&summary.gamma_gamma.monetary_mean)),
        ("weights", column(&summary.gamma_gamma.customers)),
    ])?;
    object_of(&[
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

/// The SQL options object as [`SqlSettings`]; `column_of` names the column of a filter's
/// attribute key (without a book: an attribute role's column in `columns`, else the key itself).
fn read_settings(
    value: &JsValue,
    column_of: &dyn Fn(&str) -> Result<String, Message>,
) -> Result<SqlSettings, Message> {
    let fields = OptionFields::of(value, SQL_EXAMPLE)?;
    let table = match fields.get("table") {
        None => None,
        Some(v) => Some(match v.as_string() {
            Some(text) => TableName::Dotted(text),
            None => TableName::Parts(texts_of(&v).ok_or_else(|| {
                let given = v.as_f64().map(|n| n.to_string()).unwrap_or_default();
                Message::invalid_option("table", &given, Expected::of(&Rule::TABLE_NAME))
            })?),
        }),
    };
    let columns = fields.columns(SQL_EXAMPLE)?;
    let filter = match fields.get("filter") {
        None => None,
        Some(value) => {
            let mut filter = read_filter(&value, "filter")?;
            for (key, _) in &mut filter.attributes {
                let role_column = Role::named(key)
                    .filter(|role| role.is_attribute())
                    .and_then(|role| columns.as_ref()?.name(role).map(str::to_string));
                *key = match role_column {
                    Some(column) if !column.trim().is_empty() => column,
                    _ => column_of(key)?,
                };
            }
            Some(filter)
        }
    };
    let monetary = fields.monetary()?;
    let rules = fields.segment_rules()?;
    Ok(SqlSettings {
        dialect: fields
            .text("dialect")?
            .map(|name| name.parse::<Dialect>())
            .transpose()?,
        query: fields
            .text("query")?
            .map(|name| SqlQuery::parse(&name).map_err(Message::from))
            .transpose()?,
        table,
        columns,
        return_prefix: fields.text("returnPrefix")?,
        negative_is_return: fields.flag("negativeIsReturn")?,
        cancelled_statuses: fields.texts("cancelledStatuses")?,
        kept_statuses: fields.texts("keptStatuses")?,
        cancelled_when_present: fields.texts("cancelledWhenPresent")?,
        amount_per_order: fields.flag("amountPerOrder")?,
        customer_id_normalization: fields.customer_id_normalization()?,
        phone_country: fields.phone_country()?,
        as_of: fields.date("asOf")?,
        bins: fields.number("bins")?,
        monetary,
        rules,
        period: fields
            .text("period")?
            .map(|name| name.parse::<Period>())
            .transpose()?,
        calibration_end: fields.date("calibrationEnd")?,
        period_days: fields.number("periodDays")?,
        clv_time_grouping: fields
            .text("clvTimeGrouping")?
            .map(|name| name.parse::<TimeGrouping>().map_err(Message::from))
            .transpose()?,
        clv_monetary_digits: fields.number("clvMonetaryDigits")?,
        filter,
        exclude: fields.texts("exclude")?,
        min_support: fields.number("minSupport")?,
        top: fields.number("top")?,
    })
}
