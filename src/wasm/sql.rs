//! "Show SQL" from the engine's package: `book.sql(options)`, `renderSql(options)` and
//! `parseGroupedSummary(text, options)` as they always were, handed to the SQL module.
//!
//! The SQL rendering is a WebAssembly module of its own (the `sql/` crate,
//! `sql/pkg/customer_lens_sql.js`), loaded on first use: it renders text for another tool and
//! does not work on the book, so the engine's `.wasm` does not carry it. A host loads it once and
//! gives it to the engine (`useSqlModule(module)`); from then on these calls answer synchronously,
//! as before. Before, they throw `sql_module_not_loaded`, saying so.

use std::cell::RefCell;

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::{JsOrderBook, object_of};
use crate::ingest::Role;
use crate::message::{Code, Message};

#[cfg(feature = "engine")]
#[wasm_bindgen(typescript_custom_section)]
const SQL_TYPES: &str = r#"
/** What `book.sql` and `renderSql` take (README "Show SQL"); `book.sql` takes its defaults from
 * the book. */
export interface SqlOptions {
    dialect?: 'duckdb' | 'postgres' | 'bigquery' | 'spark';
    query?: 'all' | 'orders' | 'rfm' | 'cohorts' | 'clvSummary' | 'products' | 'pairs';
    /** `'schema.table'` or its parts. */
    table?: string | string[];
    columns?: IngestOptions['columns'];
    returnPrefix?: string; negativeIsReturn?: boolean;
    cancelledStatuses?: string[]; keptStatuses?: string[]; cancelledWhenPresent?: string[];
    amountPerOrder?: boolean;
    customerIdNormalization?: 'auto' | 'none' | 'email' | 'phone'; phoneCountry?: string;
    asOf?: string; bins?: number; monetary?: 'total' | 'average'; rules?: SegmentRule[];
    period?: Period; calibrationEnd?: string; periodDays?: number;
    clvTimeGrouping?: 'day' | 'period'; clvMonetaryDigits?: number;
    filter?: OrderFilter; exclude?: string[]; minSupport?: number; top?: number;
}
/** What `parseGroupedSummary` takes: the model period in days (default 7). */
export interface GroupedSummaryOptions { periodDays?: number; }
"#;

thread_local! {
    /// The SQL module's exports, once a host has given them.
    static SQL_MODULE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// Gives the engine the SQL module (`await import('…/customer_lens_sql.js')`, initialised):
/// `book.sql`, `renderSql` and `parseGroupedSummary` call it from then on.
#[wasm_bindgen(js_name = useSqlModule)]
pub fn use_sql_module(module: JsValue) -> Result<(), JsValue> {
    let has =
        |name: &str| Reflect::get(&module, &JsValue::from_str(name)).is_ok_and(|f| f.is_function());
    if !(has("bookSql") && has("renderSql") && has("parseGroupedSummary")) {
        return Err(not_loaded("the value given is not the SQL module").into());
    }
    SQL_MODULE.set(Some(module));
    Ok(())
}

fn not_loaded(why: &str) -> Message {
    let text = format!(
        "SQL is rendered by a module of its own: import sql/pkg/customer_lens_sql.js, await its \
         default export (init), then give it to the engine with useSqlModule(module) ({why})"
    );
    Message::new(Code::SQL_MODULE_NOT_LOADED, text)
}

/// Calls the SQL module's function `name`.
fn call(name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let module = SQL_MODULE
        .with_borrow(Clone::clone)
        .ok_or_else(|| not_loaded("it has not been given"))?;
    let function: Function = Reflect::get(&module, &JsValue::from_str(name))?.unchecked_into();
    function.apply(
        &JsValue::UNDEFINED,
        &args.iter().copied().collect::<Array>(),
    )
}

#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// The SQL text for the user's warehouse. Defaults come from this book: the columns it was
    /// read with, and its preset's return prefix, cancellation columns and per-order amounts;
    /// the table is `orders` unless `table` says otherwise.
    pub fn sql(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SqlOptions")] options: JsValue,
    ) -> Result<String, JsValue> {
        let text = call("bookSql", &[&self.sql_context()?, &options])?;
        Ok(text.as_string().unwrap_or_default())
    }
}

impl JsOrderBook {
    /// What the SQL module takes from the book, as plain data: how the file was read (`preset`,
    /// `columns`: the header of each role, `customerIdNormalization`, `phoneCountry`, `headers`)
    /// the attributes a filter names (`attributeKeys`, with the `attributeColumns` they were
    /// read from) and the product ids proposed as not products (`nonProducts`, the product
    /// queries' default exclusions).
    fn sql_context(&self) -> Result<JsValue, JsValue> {
        let report = &self.report;
        let columns = js_sys::Object::new();
        for role in Role::ALL {
            if let Some(name) = report.columns.name(role) {
                Reflect::set(&columns, &role.name().into(), &name.into())?;
            }
        }
        let texts = |texts: &mut dyn Iterator<Item = &str>| -> JsValue {
            texts.map(JsValue::from_str).collect::<Array>().into()
        };
        let attributes = &self.book.attributes;
        let proposed = self
            .book
            .lines
            .as_ref()
            .map(crate::products::propose)
            .unwrap_or_default();
        object_of(&[
            ("preset", report.preset.as_str().into()),
            ("columns", columns.into()),
            (
                "customerIdNormalization",
                report.customer_id_normalization.as_str().into(),
            ),
            ("phoneCountry", report.phone_country.as_str().into()),
            (
                "headers",
                texts(&mut report.headers.iter().map(String::as_str)),
            ),
            (
                "attributeKeys",
                texts(&mut attributes.iter().map(|a| a.key.as_str())),
            ),
            (
                "attributeColumns",
                texts(&mut attributes.iter().map(|a| a.column.as_str())),
            ),
            (
                "nonProducts",
                texts(&mut proposed.iter().map(|p| p.id.as_str())),
            ),
        ])
    }
}

/// The SQL text for options given in full (no book): `columns.customer`, `columns.date` and
/// `columns.amount` (or `quantity` and `unitPrice`) are required.
#[wasm_bindgen(js_name = renderSql)]
pub fn render_sql(
    #[wasm_bindgen(unchecked_param_type = "SqlOptions")] options: JsValue,
) -> Result<String, JsValue> {
    Ok(call("renderSql", &[&options])?
        .as_string()
        .unwrap_or_default())
}

/// Reads the `clvSummary` query's CSV result into typed arrays for the weighted fits (see the
/// SQL module's `parseGroupedSummary`).
#[wasm_bindgen(js_name = parseGroupedSummary)]
pub fn parse_grouped_summary(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "GroupedSummaryOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    call("parseGroupedSummary", &[&text, &options])
}
