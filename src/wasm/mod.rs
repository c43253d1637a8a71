//! The JavaScript skin: `#[wasm_bindgen]` wrappers and conversions, no analytics logic.
//!
//! Each analysis has its own file here adding methods to [`JsOrderBook`] (exported to JS as
//! `OrderBook`). Options arrive as plain JS objects (every field optional, camelCase), read with
//! [`OptionFields`]; results leave as JSON text written in Rust ([`crate::json`]) that JavaScript
//! parses into plain objects ([`to_js`]).

// Built for the SQL module (without the `engine` feature) only the option readers and the
// errors are used.
#![cfg_attr(not(feature = "engine"), allow(dead_code, unused_imports))]

#[cfg(feature = "engine")]
mod audiences;
#[cfg(feature = "engine")]
mod book;
#[cfg(feature = "engine")]
mod clv;
#[cfg(feature = "engine")]
mod cohorts;
#[cfg(feature = "engine")]
mod compare;
mod filter;
#[cfg(feature = "engine")]
mod lifecycle;
#[cfg(feature = "engine")]
mod overview;
#[cfg(feature = "engine")]
mod product_pairs;
#[cfg(feature = "engine")]
mod products;
#[cfg(feature = "engine")]
mod rfm;
#[cfg(feature = "engine")]
mod rows;
#[cfg(feature = "engine")]
mod split;
#[cfg(feature = "engine")]
mod sql;
#[cfg(feature = "engine")]
mod stream;

pub use filter::read_filter;

use js_sys::{Array, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::book::{CustomerOrders, OrderBook};
use crate::day::Day;
use crate::ingest::{ColumnNames, IdNormalization, IngestReport, IngestedBook, PhoneCountry, Role};
use crate::message::{Code, Message};
use crate::rfm::{MonetaryMode, SegmentRule};

/// The analysed order history, held in WASM memory; JS sees one opaque `OrderBook` object.
#[cfg(feature = "engine")]
#[wasm_bindgen(js_name = OrderBook)]
pub struct JsOrderBook {
    book: OrderBook,
    /// How the file's rows became the book's orders (`summary()`).
    report: IngestReport,
    by_customer: std::cell::OnceCell<CustomerOrders>,
    /// The default activity window of the retention rates (the store's typical repeat gap),
    /// measured once: it takes a pass over every order, and the book never changes.
    default_active_window: std::cell::OnceCell<crate::cohort::ActiveWindow>,
    /// The last filter an analysis was given and the book of the orders it keeps (see
    /// [`JsOrderBook::view`]).
    last_view: std::cell::RefCell<Option<(crate::filter::Filter, std::rc::Rc<JsOrderBook>)>>,
    /// Each customer's first purchase (its day and attribute values), which every filtered book
    /// keeps: measured once.
    acquisition: std::cell::OnceCell<crate::filter::Acquisition>,
    /// The CLV fits made on this book, kept while the page changes only the scoring options.
    clv_fits: std::cell::RefCell<crate::clv::FitCache>,
    /// The CLV fits of filtered books seen before the last one, by their filter, the most recent
    /// last: switching back to a filter costs only the scoring (see [`JsOrderBook::view`]).
    filter_fits: std::cell::RefCell<Vec<(crate::filter::Filter, crate::clv::FitCache)>>,
    /// The baskets of the last excluded set a product analysis asked for: picking one product
    /// after another in the page reads them once.
    baskets: std::cell::RefCell<
        Option<(
            crate::products::Excluded,
            std::rc::Rc<crate::products::Baskets>,
        )>,
    >,
}

#[cfg(feature = "engine")]
impl JsOrderBook {
    fn new(IngestedBook { book, report }: IngestedBook) -> JsOrderBook {
        JsOrderBook {
            book,
            report,
            by_customer: std::cell::OnceCell::new(),
            default_active_window: std::cell::OnceCell::new(),
            last_view: std::cell::RefCell::new(None),
            acquisition: std::cell::OnceCell::new(),
            clv_fits: std::cell::RefCell::default(),
            filter_fits: std::cell::RefCell::default(),
            baskets: std::cell::RefCell::default(),
        }
    }

    /// Orders grouped by customer, computed once and shared by every analysis.
    fn by_customer(&self) -> &CustomerOrders {
        self.by_customer.get_or_init(|| self.book.customer_orders())
    }
}

/// Turns a result into plain JS objects and arrays: written as JSON text in Rust
/// ([`crate::json`]), parsed by the JS engine.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    parse_json(&crate::json::to_json(value))
}

/// `JSON.parse` of a result's text; a marked text's strings are read back as
/// [`crate::json::Json::marked`] says.
#[inline(never)]
fn parse_json(json: &crate::json::Json) -> Result<JsValue, JsValue> {
    let parsed = js_sys::JSON::parse(&json.text)
        .map_err(|e| not_converted(&e.as_string().unwrap_or_default()))?;
    Ok(if json.marked {
        unmarked(parsed)
    } else {
        parsed
    })
}

/// A value parsed from a marked text as the result held it, its arrays and objects changed in
/// place.
fn unmarked(value: JsValue) -> JsValue {
    if let Some(text) = value.as_string() {
        return match text.strip_prefix(crate::json::Json::MARK) {
            None => value,
            Some("NaN") => JsValue::from(f64::NAN),
            Some("Infinity") => JsValue::from(f64::INFINITY),
            Some("-Infinity") => JsValue::from(f64::NEG_INFINITY),
            Some(rest) => JsValue::from_str(rest),
        };
    }
    if Array::is_array(&value) {
        let array = Array::from(&value);
        for i in 0..array.length() {
            array.set(i, unmarked(array.get(i)));
        }
    } else if value.is_object() {
        for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
            if let Ok(field) = Reflect::get(&value, &key) {
                let _ = Reflect::set(&value, &key, &unmarked(field));
            }
        }
    }
    value
}

#[inline(never)]
fn not_converted(detail: &dyn std::fmt::Display) -> JsValue {
    let text = format!("the result could not be handed over: {detail}");
    js_error(Message::new(Code::RESULT_NOT_CONVERTED, text).with("detail", detail))
}

/// What every call throws: an `Error` whose `message` is the English text, with the message's
/// `code` and `params` (an object of strings) beside it, for a page to word it in its language.
/// Not generic (and never inlined): every `?` of every binding ends here.
#[inline(never)]
pub fn js_error(message: Message) -> JsValue {
    let message = message.fields_renamed(camel_case);
    let error = js_sys::Error::new(&message.message);
    let params = js_sys::Object::new();
    for (name, value) in &message.params {
        let _ = Reflect::set(&params, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    let _ = Reflect::set(
        &error,
        &JsValue::from_str("code"),
        &JsValue::from_str(message.code.as_str()),
    );
    let _ = Reflect::set(&error, &JsValue::from_str("params"), &params);
    error.into()
}

/// `period_days` → `periodDays`.
fn camel_case(snake: &str) -> String {
    let mut words = snake.split('_');
    let mut camel = String::from(words.next().unwrap_or_default());
    for word in words {
        let mut letters = word.chars();
        camel.extend(letters.next().map(|c| c.to_ascii_uppercase()));
        camel.push_str(letters.as_str());
    }
    camel
}

/// Every error of the core is thrown as [`js_error`] makes it, so `?` reads them all.
macro_rules! thrown_as_js_errors {
    ($($error:ty),*) => {
        $(impl From<$error> for JsValue {
            fn from(error: $error) -> JsValue {
                js_error(error.into())
            }
        })*
    };
}

thrown_as_js_errors!(
    Message,
    crate::rfm::RfmError,
    crate::clv::ClvError,
    crate::cohort::CohortError,
    crate::lifecycle::LifecycleError
);

/// Sets the fields of a result object built by hand (typed arrays, which serde would copy).
pub fn object_of(fields: &[(&str, JsValue)]) -> Result<JsValue, JsValue> {
    let result = js_sys::Object::new();
    for (name, value) in fields {
        Reflect::set(&result, &JsValue::from_str(name), value)?;
    }
    Ok(result.into())
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Logs where a panic happened (a bug: the engine returns errors, it should never panic) before
/// the module aborts and the page restarts its worker. The panic's formatted message is left out
/// on purpose: formatting it would pull Rust's formatting machinery into the `.wasm`.
#[cfg(feature = "engine")]
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
pub struct OptionFields<'a> {
    object: Option<&'a JsValue>,
}

/// A field of the wrong type: `expected` is `number`, `text`, `flag` or `texts`.
fn wrong_type(name: &str, expected: &'static str) -> Message {
    let words = match expected {
        "number" => "a number",
        "text" => "a string",
        "flag" => "true or false",
        _ => "an array of strings",
    };
    Message::new(
        Code::OPTION_WRONG_TYPE,
        format!("invalid options: {name} must be {words}"),
    )
    .with("name", name)
    .with("expected", expected)
}

impl<'a> OptionFields<'a> {
    /// `undefined` and `null` stand for "no options".
    /// `example` shows a valid object in the message for anything else.
    pub fn of(value: &'a JsValue, example: &str) -> Result<OptionFields<'a>, Message> {
        if value.is_undefined() || value.is_null() {
            return Ok(OptionFields { object: None });
        }
        if !value.is_object() || Array::is_array(value) {
            let text = format!("invalid options: give an object such as {example}");
            return Err(Message::new(Code::OPTIONS_NOT_AN_OBJECT, text).with("example", example));
        }
        Ok(OptionFields {
            object: Some(value),
        })
    }

    /// A field's value; `undefined` and `null` are absent.
    pub fn get(&self, name: &str) -> Option<JsValue> {
        let value = Reflect::get(self.object?, &JsValue::from_str(name)).ok()?;
        (!value.is_undefined() && !value.is_null()).then_some(value)
    }

    pub fn text(&self, name: &str) -> Result<Option<String>, Message> {
        self.get(name)
            .map(|v| v.as_string().ok_or_else(|| wrong_type(name, "text")))
            .transpose()
    }

    pub fn number(&self, name: &str) -> Result<Option<f64>, Message> {
        self.get(name)
            .map(|v| v.as_f64().ok_or_else(|| wrong_type(name, "number")))
            .transpose()
    }

    /// A date written `YYYY-MM-DD`; blank is absent.
    pub fn date(&self, name: &str) -> Result<Option<Day>, Message> {
        match self.text(name)?.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => text.parse::<Day>().map(Some).map_err(|_| {
                let message =
                    format!("invalid {name} '{text}': give a date as YYYY-MM-DD, e.g. 2011-12-09");
                Message::new(Code::OPTION_NOT_A_DATE, message)
                    .with("name", name)
                    .with("given", text)
            }),
        }
    }

    pub fn flag(&self, name: &str) -> Result<Option<bool>, Message> {
        self.get(name)
            .map(|v| v.as_bool().ok_or_else(|| wrong_type(name, "flag")))
            .transpose()
    }

    /// One of the keywords of `choices`, as the value it stands for.
    pub fn keyword<T: Copy>(
        &self,
        name: &str,
        choices: &[(&str, T)],
    ) -> Result<Option<T>, Message> {
        let Some(text) = self.text(name)? else {
            return Ok(None);
        };
        match choices.iter().find(|(keyword, _)| *keyword == text) {
            Some(&(_, value)) => Ok(Some(value)),
            None => {
                let names: Vec<String> = choices.iter().map(|(k, _)| format!("'{k}'")).collect();
                let listed = names.join(" or ");
                let message = format!("invalid options: {name} must be {listed}");
                Err(Message::not_a_choice(message, name, &text, &listed))
            }
        }
    }

    /// `monetary: 'total' | 'average'`, which SQL and RFM both take.
    pub fn monetary(&self) -> Result<Option<MonetaryMode>, Message> {
        self.keyword(
            "monetary",
            &[
                ("total", MonetaryMode::Total),
                ("average", MonetaryMode::Average),
            ],
        )
    }

    /// `customerIdNormalization: 'auto' | 'none' | 'email' | 'phone'`, which reading a file and
    /// SQL both take.
    pub fn customer_id_normalization(&self) -> Result<Option<IdNormalization>, Message> {
        let Some(text) = self.text("customerIdNormalization")? else {
            return Ok(None);
        };
        IdNormalization::from_keyword(&text).map(Some).ok_or_else(|| {
            Message::not_a_choice(
                format!(
                    "invalid customerIdNormalization '{}': use 'auto' (e-mail and phone columns, \
                     known by their header), 'none' (ids as written), 'email' or 'phone'",
                    text.trim()
                ),
                "customerIdNormalization",
                text.trim(),
                "'auto', 'none', 'email', 'phone'",
            )
        })
    }

    /// `phoneCountry`, a two-letter ISO code (blank: the default country), which reading a file
    /// and SQL both take.
    pub fn phone_country(&self) -> Result<Option<PhoneCountry>, Message> {
        let Some(code) = self.text("phoneCountry")? else {
            return Ok(None);
        };
        if code.trim().is_empty() {
            return Ok(Some(PhoneCountry::default()));
        }
        PhoneCountry::from_code(&code).map(Some).ok_or_else(|| {
            let codes = PhoneCountry::codes().collect::<Vec<_>>().join(", ");
            Message::new(
                Code::UNKNOWN_PHONE_COUNTRY,
                format!(
                    "invalid phoneCountry '{}': give the two-letter ISO code of the country \
                     whose national phone numbers the file holds, one of {codes}",
                    code.trim()
                ),
            )
            .with("given", code.trim())
            .with("choices", codes)
        })
    }

    /// The RFM segment rules (`rules`: `[{ segment, r, f, m }]`, each range two whole
    /// numbers), which SQL and RFM both take.
    pub fn segment_rules(&self) -> Result<Option<Vec<SegmentRule>>, Message> {
        let Some(rules) = self.get("rules") else {
            return Ok(None);
        };
        let unreadable = |detail: String| {
            let text = format!("invalid options: rules: {detail}");
            Message::new(Code::OPTION_RULES_UNREADABLE, text).with("detail", detail)
        };
        if !Array::is_array(&rules) {
            return Err(unreadable(String::from(
                "give an array of { segment, r, f, m }",
            )));
        }
        let read_rule = |(index, rule): (usize, JsValue)| {
            let not_a_rule = |what: &str| {
                unreadable(format!(
                    "rule {}: {what}, as in {{ segment: 'Champions', r: [4, 5], f: [4, 5], \
                     m: [4, 5] }}",
                    index + 1
                ))
            };
            if !rule.is_object() || Array::is_array(&rule) {
                return Err(not_a_rule("give an object"));
            }
            let field = |name: &str| Reflect::get(&rule, &JsValue::from_str(name)).ok();
            let segment = field("segment")
                .and_then(|v| v.as_string())
                .ok_or_else(|| not_a_rule("segment must be a string"))?;
            let range = |name: &str| {
                let bounds = field(name)
                    .filter(Array::is_array)
                    .map(|bounds| Array::from(&bounds))
                    .filter(|bounds| bounds.length() == 2)
                    .and_then(|bounds| {
                        let bound = |i| bounds.get(i).as_f64().filter(|v| v.fract() == 0.0);
                        Some([bound(0)? as i64, bound(1)? as i64])
                    });
                bounds.ok_or_else(|| not_a_rule(&format!("{name} must be two whole numbers")))
            };
            Ok(SegmentRule {
                segment,
                r: range("r")?,
                f: range("f")?,
                m: range("m")?,
            })
        };
        Array::from(&rules)
            .iter()
            .enumerate()
            .map(read_rule)
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// The header name per role (`columns: { customer, order, … }`), which reading a file and
    /// SQL both take; `example` shows a valid object in the error message.
    pub fn columns(&self, example: &str) -> Result<Option<ColumnNames>, Message> {
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

    pub fn texts(&self, name: &str) -> Result<Option<Vec<String>>, Message> {
        self.get(name)
            .map(|v| texts_of(&v).ok_or_else(|| wrong_type(name, "texts")))
            .transpose()
    }
}

pub fn texts_of(value: &JsValue) -> Option<Vec<String>> {
    if !Array::is_array(value) {
        return None;
    }
    Array::from(value).iter().map(|v| v.as_string()).collect()
}
