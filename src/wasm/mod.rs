//! The JavaScript skin: `#[wasm_bindgen]` wrappers and conversions, no analytics logic.
//!
//! Each analysis has its own file here adding methods to [`JsOrderBook`] (exported to JS as
//! `OrderBook`). Options arrive as plain JS objects (every field optional, camelCase) and
//! results leave as plain objects through `serde_wasm_bindgen`'s JSON-compatible serializer.

mod book;
mod clv;
mod cohort;
mod rfm;
mod sql;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use crate::book::{CustomerOrders, OrderBook};

/// The analysed order history, held in WASM memory; JS sees one opaque `OrderBook` object.
#[wasm_bindgen(js_name = OrderBook)]
pub struct JsOrderBook {
    book: OrderBook,
    by_customer: std::cell::OnceCell<CustomerOrders>,
}

impl JsOrderBook {
    fn new(book: OrderBook) -> JsOrderBook {
        JsOrderBook {
            book,
            by_customer: std::cell::OnceCell::new(),
        }
    }

    /// Orders grouped by customer, computed once and shared by every analysis.
    fn by_customer(&self) -> &CustomerOrders {
        self.by_customer.get_or_init(|| self.book.customer_orders())
    }
}

/// Reads an options object (`undefined`/`null` mean all defaults).
fn options<T: DeserializeOwned + Default>(value: JsValue) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| JsError::new(&format!("invalid options: {e}")))
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
