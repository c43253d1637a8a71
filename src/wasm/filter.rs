//! Filters from JS: the `filter` option every analysis and export takes, `book.filter(filter)`
//! (a new `OrderBook` of the kept orders) and `book.attributes()` (the values a filter can
//! choose, with their counts).
//!
//! A filter is `{ from?: 'YYYY-MM-DD', to?: 'YYYY-MM-DD', [attribute key]: string[] }`: `from`
//! and `to` are inclusive order days, every other key names an attribute (`country`, `channel`,
//! a picked column's header) and lists the values kept.

use std::rc::Rc;

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

#[cfg(feature = "engine")]
use super::{JsOrderBook, to_js};
use super::{OptionFields, texts_of};
use crate::attributes::attribute_summaries;
use crate::filter::Filter;
use crate::ingest::IngestedBook;
use crate::message::{Code, Message};

/// Filters whose CLV fits are kept besides the last one's: a page moves among a few.
#[cfg(feature = "engine")]
const FILTERS_WITH_FITS: usize = 4;

/// A filter object, shown when something else is given.
const FILTER_EXAMPLE: &str = "{ country: ['United Kingdom'], from: '2011-01-01' }";

#[cfg(feature = "engine")]
#[wasm_bindgen(typescript_custom_section)]
const FILTER_TYPES: &str = r#"
/** Orders kept: `from` / `to` inclusive (YYYY-MM-DD); every other key an attribute's key with the
 * values kept ('' keeps the orders without a value). */
export type OrderFilter = { from?: string; to?: string } & { [attribute: string]: readonly string[] | string | undefined };
/** One value of an attribute: its orders, distinct customers and net revenue. */
export interface AttributeValue { value: string; orders: number; customers: number; revenue: number; }
/** An order attribute: `key` is what a filter names, `column` the file's header, `role` the
 * recognised role or null for a picked column; values by orders, most first ('' = none). */
export interface OrderAttribute {
  key: string; column: string;
  role: 'country' | 'region' | 'channel' | 'paymentMethod' | 'discountCode' | 'tags' | 'location' | null;
  values: AttributeValue[];
}
"#;

/// Reads a filter object; `name` is what messages call it (`filter`).
pub fn read_filter(value: &JsValue, name: &str) -> Result<Filter, Message> {
    let fields = OptionFields::of(value, FILTER_EXAMPLE)?;
    let mut filter = Filter {
        from: fields.date("from")?,
        to: fields.date("to")?,
        ..Filter::default()
    };
    for entry in Object::entries(&Object::from(value.clone())).iter() {
        let pair = Array::from(&entry);
        let key = pair.get(0).as_string().unwrap_or_default();
        let values = pair.get(1);
        if key == "from" || key == "to" || values.is_undefined() || values.is_null() {
            continue;
        }
        let values = match values.as_string() {
            Some(one) => vec![one],
            None => texts_of(&values).ok_or_else(|| {
                let text = format!(
                    "invalid {name}: {key} must list the values to keep, such as {FILTER_EXAMPLE}"
                );
                Message::new(Code::OPTION_WRONG_TYPE, text)
                    .with("name", format!("{name}.{key}"))
                    .with("expected", "texts")
            })?,
        };
        filter.attributes.push((key, values));
    }
    Ok(filter)
}

#[cfg(feature = "engine")]
/// The book an analysis reads: the whole book, or the orders its options' `filter` keeps.
pub(crate) enum View<'a> {
    Whole(&'a JsOrderBook),
    Filtered(Rc<JsOrderBook>),
}

#[cfg(feature = "engine")]
impl std::ops::Deref for View<'_> {
    type Target = JsOrderBook;

    fn deref(&self) -> &JsOrderBook {
        match self {
            View::Whole(book) => book,
            View::Filtered(book) => book,
        }
    }
}

#[cfg(feature = "engine")]
impl JsOrderBook {
    /// The book the analysis with options `options` reads: this one, or the orders its
    /// `filter` keeps. The last filtered book is kept, so the calls of one view (aggregates,
    /// then the customer list) filter once.
    pub(crate) fn view(&self, options: &JsValue) -> Result<View<'_>, Message> {
        // Options that are no object are the analysis's to refuse, with its own example.
        let Some(value) = OptionFields::of(options, FILTER_EXAMPLE)
            .ok()
            .and_then(|fields| fields.get("filter"))
        else {
            return Ok(View::Whole(self));
        };
        let filter = read_filter(&value, "filter")?;
        if filter.is_empty() {
            return Ok(View::Whole(self));
        }
        if let Some((last, book)) = &*self.last_view.borrow()
            && *last == filter
        {
            return Ok(View::Filtered(Rc::clone(book)));
        }
        let book = self.filtered(&filter)?;
        let mut kept = self.filter_fits.borrow_mut();
        if let Some(i) = kept.iter().position(|(known, _)| *known == filter) {
            *book.clv_fits.borrow_mut() = kept.remove(i).1;
        }
        let book = Rc::new(book);
        if let Some((last, last_book)) = self.last_view.replace(Some((filter, Rc::clone(&book)))) {
            if kept.len() == FILTERS_WITH_FITS {
                kept.remove(0);
            }
            kept.push((last, last_book.clv_fits.take()));
        }
        Ok(View::Filtered(book))
    }

    /// The orders `filter` keeps, with the file's report counting them.
    fn filtered(&self, filter: &Filter) -> Result<JsOrderBook, Message> {
        let acquired = self.acquisition.get_or_init(|| self.book.acquisition());
        let filtered = self
            .book
            .filtered_with(filter, acquired, self.by_customer())?;
        let mut report = self.report.clone();
        report.fill_order_counts(&filtered.book);
        let book = JsOrderBook::new(IngestedBook {
            book: filtered.book,
            report,
        });
        let _ = book.by_customer.set(filtered.by_customer);
        Ok(book)
    }
}

#[cfg(feature = "engine")]
#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// A new book of the orders `filter` keeps; each customer's acquisition (first purchase,
    /// cohort, new or returning) still comes from their whole history. Throws on an attribute
    /// the book does not have, a value no order has, or a range ending before it starts.
    pub fn filter(
        &self,
        #[wasm_bindgen(unchecked_param_type = "OrderFilter")] filter: JsValue,
    ) -> Result<JsOrderBook, JsValue> {
        Ok(self.filtered(&read_filter(&filter, "filter")?)?)
    }

    /// The order attributes and, per value, its orders, customers and revenue, most orders
    /// first: `[{ key, column, role, values: [{ value, orders, customers, revenue }] }]`.
    #[wasm_bindgen(unchecked_return_type = "OrderAttribute[]")]
    pub fn attributes(&self) -> Result<JsValue, JsValue> {
        to_js(&attribute_summaries(&self.book, self.by_customer()))
    }
}
