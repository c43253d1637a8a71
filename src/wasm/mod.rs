//! The JavaScript skin: `#[wasm_bindgen]` wrappers and conversions, no analytics logic.
//!
//! Each analysis has its own file here adding methods to [`JsOrderBook`] (exported to JS as
//! `OrderBook`). Options arrive as plain JS objects (every field optional, camelCase), read with
//! [`OptionFields`]; results leave as plain objects through `serde_wasm_bindgen`'s JSON-compatible
//! serializer.

mod book;
mod clv;
mod cohort;
mod rfm;
mod sql;
mod stream;

use js_sys::{Array, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::book::{CustomerOrders, OrderBook};
use crate::ingest::{ColumnNames, IngestReport, IngestedBook, Role};
use crate::rfm::{MonetaryMode, SegmentRule};

/// The analysed order history, held in WASM memory; JS sees one opaque `OrderBook` object.
#[wasm_bindgen(js_name = OrderBook)]
pub struct JsOrderBook {
    book: OrderBook,
    /// How the file's rows became the book's orders (`summary()`).
    report: IngestReport,
    by_customer: std::cell::OnceCell<CustomerOrders>,
    /// The default activity window of the retention rates (the store's typical repeat gap),
    /// measured once: it takes a pass over every order, and the book never changes.
    default_active_window: std::cell::OnceCell<crate::cohort::ActiveWindow>,
}

impl JsOrderBook {
    fn new(IngestedBook { book, report }: IngestedBook) -> JsOrderBook {
        JsOrderBook {
            book,
            report,
            by_customer: std::cell::OnceCell::new(),
            default_active_window: std::cell::OnceCell::new(),
        }
    }

    /// Orders grouped by customer, computed once and shared by every analysis.
    fn by_customer(&self) -> &CustomerOrders {
        self.by_customer.get_or_init(|| self.book.customer_orders())
    }
}

/// Turns a result into plain JS objects and arrays.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Logs where a panic happened (a bug: the engine returns errors, it should never panic) before
/// the module aborts and the page restarts its worker. The panic's formatted message is left out
/// on purpose: formatting it would pull Rust's formatting machinery into the `.wasm`.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info.payload().downcast_ref::<&str>().copied().unwrap_or("");
        console_error(&format!(
            "customer-lens engine panicked at {location} {message}"
        ));
    }));
}

/// The fields of a JS options object, read one by one: every options object of the API is read
/// with this rather than a serde-derived deserializer, which cost several kilobytes of the
/// `.wasm` per options type. Wrong types are named (`bins must be a number`); `undefined` and
/// `null` fields are absent.
pub(crate) struct OptionFields<'a> {
    object: Option<&'a JsValue>,
}

pub(crate) fn invalid(name: &str, expected: &str) -> JsError {
    JsError::new(&format!("invalid options: {name} must be {expected}"))
}

impl<'a> OptionFields<'a> {
    /// `undefined` and `null` stand for "no options".
    /// `example` shows a valid object in the message for anything else.
    pub(crate) fn of(value: &'a JsValue, example: &str) -> Result<OptionFields<'a>, JsError> {
        if value.is_undefined() || value.is_null() {
            return Ok(OptionFields { object: None });
        }
        if !value.is_object() || Array::is_array(value) {
            return Err(JsError::new(&format!(
                "invalid options: give an object such as {example}"
            )));
        }
        Ok(OptionFields {
            object: Some(value),
        })
    }

    /// A field's value; `undefined` and `null` are absent.
    pub(crate) fn get(&self, name: &str) -> Option<JsValue> {
        let value = Reflect::get(self.object?, &JsValue::from_str(name)).ok()?;
        (!value.is_undefined() && !value.is_null()).then_some(value)
    }

    pub(crate) fn text(&self, name: &str) -> Result<Option<String>, JsError> {
        self.get(name)
            .map(|v| v.as_string().ok_or_else(|| invalid(name, "a string")))
            .transpose()
    }

    pub(crate) fn number(&self, name: &str) -> Result<Option<f64>, JsError> {
        self.get(name)
            .map(|v| v.as_f64().ok_or_else(|| invalid(name, "a number")))
            .transpose()
    }

    pub(crate) fn flag(&self, name: &str) -> Result<Option<bool>, JsError> {
        self.get(name)
            .map(|v| v.as_bool().ok_or_else(|| invalid(name, "true or false")))
            .transpose()
    }

    /// One of the keywords of `choices`, as the value it stands for.
    pub(crate) fn keyword<T: Copy>(
        &self,
        name: &str,
        choices: &[(&str, T)],
    ) -> Result<Option<T>, JsError> {
        let Some(text) = self.text(name)? else {
            return Ok(None);
        };
        match choices.iter().find(|(keyword, _)| *keyword == text) {
            Some(&(_, value)) => Ok(Some(value)),
            None => {
                let names: Vec<String> = choices.iter().map(|(k, _)| format!("'{k}'")).collect();
                Err(invalid(name, &names.join(" or ")))
            }
        }
    }

    /// `monetary: 'total' | 'average'`, which SQL and RFM both take.
    pub(crate) fn monetary(&self) -> Result<Option<MonetaryMode>, JsError> {
        self.keyword(
            "monetary",
            &[
                ("total", MonetaryMode::Total),
                ("average", MonetaryMode::Average),
            ],
        )
    }

    /// The RFM segment rules (`rules`: `[{ segment, r, f, m }]`), which SQL and RFM both take.
    pub(crate) fn segment_rules(&self) -> Result<Option<Vec<SegmentRule>>, JsError> {
        self.get("rules")
            .map(|rules| {
                serde_wasm_bindgen::from_value(rules)
                    .map_err(|e| JsError::new(&format!("invalid options: rules: {e}")))
            })
            .transpose()
    }

    /// The header name per role (`columns: { customer, order, … }`), which reading a file and
    /// SQL both take; `example` shows a valid object in the error message.
    pub(crate) fn columns(&self, example: &str) -> Result<Option<ColumnNames>, JsError> {
        let Some(object) = self.get("columns") else {
            return Ok(None);
        };
        let names = OptionFields::of(&object, example)?;
        let mut columns = ColumnNames::default();
        for role in Role::ALL {
            columns.set(role, names.text(role.name())?);
        }
        Ok(Some(columns))
    }

    pub(crate) fn texts(&self, name: &str) -> Result<Option<Vec<String>>, JsError> {
        self.get(name)
            .map(|v| texts_of(&v).ok_or_else(|| invalid(name, "an array of strings")))
            .transpose()
    }
}

pub(crate) fn texts_of(value: &JsValue) -> Option<Vec<String>> {
    if !Array::is_array(value) {
        return None;
    }
    Array::from(value).iter().map(|v| v.as_string()).collect()
}
