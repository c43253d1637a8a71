//! Product analyses for JS: `nonProducts`, `products`, `firstProducts`. Options are read and
//! checked here (`exclude`, `top`, `minCustomers`, `asOf`, `filter`); the analyses live in
//! `crate::products`.

use wasm_bindgen::prelude::*;

use super::{JsOrderBook, OptionFields, to_js};
use crate::message::{Expected, Message, Rule};
use crate::products::{self, Excluded, FirstOptions};

#[wasm_bindgen(typescript_custom_section)]
const PRODUCT_TYPES: &str = r#"
export interface NonProduct {
  id: string; name: string;
  /** 'code': a fee code or one of one or two letters; 'name': a fee's name; 'everywhere': one
   *  unit in a large share of the orders. */
  reason: 'code' | 'name' | 'everywhere';
  orders: number; orderShare: number; revenue: number;
}
export interface NonProductsResult { proposed: NonProduct[]; }
export interface ProductOptions {
  /** Product ids left out (postage, fees…); default: the proposal of nonProducts(). */
  exclude?: string[];
  filter?: OrderFilter;
}
export interface ProductsOptions extends ProductOptions { top?: number; }
export interface ProductRow {
  id: string; name: string; category: string; revenue: number; units: number; orders: number;
  buyers: number; repeatBuyers: number; repeatShare: number;
}
export interface ProductsResult { orders: number; buyers: number; products: ProductRow[]; }
export interface FirstWithin { eligible: number; repeated: number; rate: number | null; }
export interface FirstRow {
  customers: number; repeated: number; repeatRate: number;
  within: { d30: FirstWithin; d90: FirstWithin; d180: FirstWithin; d365: FirstWithin };
  revenue90: number | null; revenue365: number | null;
}
export interface FirstProductsOptions extends ProductOptions { asOf?: string; minCustomers?: number; }
export interface FirstProductsResult { store: FirstRow; products: (FirstRow & { id: string; name: string })[]; }
"#;

/// A whole number option of at least 1 (`top`, `minCustomers`).
pub(super) fn count_option(fields: &OptionFields, name: &str) -> Result<Option<usize>, Message> {
    match fields.number(name)? {
        None => Ok(None),
        Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= 1e9 => Ok(Some(n as usize)),
        Some(n) => Err(Message::invalid_option(
            name,
            &n.to_string(),
            Expected::with(&Rule::WHOLE_NUMBER_AT_LEAST, 1.0, f64::NAN),
        )),
    }
}

impl JsOrderBook {
    /// The products left out: `exclude` of the options (ids of the file's products), else the
    /// proposal of `nonProducts()` on the whole book (the same whatever the filter).
    pub(super) fn excluded(&self, fields: &OptionFields) -> Result<Excluded, Message> {
        let lines = products::lines_of(&self.book)?;
        products::resolve(lines, fields.texts("exclude")?.as_deref())
    }
}

#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// The lines proposed as not products (postage, fees, adjustments), most orders first.
    #[wasm_bindgen(js_name = nonProducts, unchecked_return_type = "NonProductsResult")]
    pub fn non_products(&self) -> Result<JsValue, JsValue> {
        #[derive(serde::Serialize)]
        struct Proposal {
            proposed: Vec<products::Proposed>,
        }
        let lines = products::lines_of(&self.book)?;
        to_js(&Proposal {
            proposed: products::propose(lines),
        })
    }

    /// The products table, by revenue: `{ filter, exclude, top }`.
    #[wasm_bindgen(unchecked_return_type = "ProductsResult")]
    pub fn products(
        &self,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "ProductsOptions")]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let fields = OptionFields::of(&options_value, "{ top: 20 }")?;
        let excluded = self.excluded(&fields)?;
        let top = count_option(&fields, "top")?;
        let book = self.view(&options_value)?;
        to_js(&products::products(&book.book, &excluded, top)?)
    }

    /// Which products on the first purchase day bring customers back: `{ filter, exclude, asOf,
    /// minCustomers }`.
    #[wasm_bindgen(js_name = firstProducts, unchecked_return_type = "FirstProductsResult")]
    pub fn first_products(
        &self,
        #[wasm_bindgen(
            js_name = "options",
            unchecked_optional_param_type = "FirstProductsOptions"
        )]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let fields = OptionFields::of(&options_value, "{ minCustomers: 20 }")?;
        let excluded = self.excluded(&fields)?;
        let options = FirstOptions {
            as_of: fields.date("asOf")?,
            min_customers: count_option(&fields, "minCustomers")?.unwrap_or(1) as u32,
        };
        let book = self.view(&options_value)?;
        to_js(&products::first_products(&book.book, &excluded, &options)?)
    }
}
