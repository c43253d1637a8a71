//! Compare by an attribute from JS: the `compareBy` and `top` options of `rfm`, `cohorts`,
//! `clv` and `overview`, which add a `compare` field to their result. The groupings live in
//! `crate::compare`.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::{JsOrderBook, OptionFields};
use crate::compare::{CustomerGroups, DEFAULT_TOP};
use crate::message::{Expected, Message, Rule};

#[wasm_bindgen(typescript_custom_section)]
const COMPARE_TYPES: &str = r#"
/** `compareBy`: an attribute's key (book.attributes()); `top`: values kept apart (default 10),
 * the rest folded into one { value: null, other: true } entry. */
export interface CompareOptions { compareBy?: string; top?: number; }
/** A compared group: an attribute value ('' for orders without one), or null and `other` for
 * the values beyond `top`. */
export interface ComparedValue { value: string | null; other: boolean; }
export interface Comparison<T> { by: string; values: (ComparedValue & T)[]; }
/** Customers grouped by their first purchase's value: the scored customers per segment. */
export interface RfmCompared {
  customers: number; segments: { code: string | null; name: string; customers: number }[];
}
/** By the first purchase's value: retention and revenue per customer by period index, pooled
 * over the group's cohorts whose period k is complete (cohortCustomers: the sizes behind each k). */
export interface CohortsCompared {
  customers: number; retention: number[]; revenuePerCustomer: number[]; cohortCustomers: number[];
}
/** By the first purchase's value: customers, repeat buyers by the calibration end, CLV. */
export interface ClvCompared {
  customers: number; repeatCustomers: number; repeatRate: number | null;
  clvMean: number | null; clvTotal: number;
}
/** Per order value: orders, distinct customers, net revenue, its share, and per overview period. */
export interface OverviewCompared {
  orders: number; customers: number; revenue: number; revenueShare: number | null;
  periodRevenue: number[];
}
"#;

/// `{ compareBy, top }` of the analyses that compare.
pub(super) struct CompareOptions {
    pub by: Option<String>,
    pub top: usize,
}

impl CompareOptions {
    pub fn read(value: &JsValue) -> Result<CompareOptions, Message> {
        // Options that are no object are the analysis's to refuse, with its own example.
        let Ok(fields) = OptionFields::of(value, "{ compareBy: 'country', top: 10 }") else {
            return Ok(CompareOptions {
                by: None,
                top: DEFAULT_TOP,
            });
        };
        let top = match fields.number("top")? {
            None => DEFAULT_TOP,
            Some(top) if top >= 1.0 && top.fract() == 0.0 && top <= 1e6 => top as usize,
            Some(top) => {
                let expected = Expected::with(&Rule::WHOLE_NUMBER_AT_LEAST, 1.0, f64::NAN);
                return Err(Message::invalid_option("top", &top.to_string(), expected));
            }
        };
        let by = fields.text("compareBy")?.filter(|key| !key.is_empty());
        Ok(CompareOptions { by, top })
    }
}

impl JsOrderBook {
    /// The customers grouped by their first purchase's value of `compareBy`, when asked.
    pub(super) fn customer_groups(
        &self,
        compare: &CompareOptions,
    ) -> Result<Option<CustomerGroups>, Message> {
        compare
            .by
            .as_deref()
            .map(|key| {
                CustomerGroups::by_first_purchase(&self.book, self.by_customer(), key, compare.top)
            })
            .transpose()
    }
}

/// Sets `compare` on a result object, when there is a comparison.
pub(super) fn with_compare(result: JsValue, compare: Option<JsValue>) -> Result<JsValue, JsValue> {
    if let Some(compare) = compare {
        Reflect::set(&result, &JsValue::from_str("compare"), &compare)?;
    }
    Ok(result)
}
