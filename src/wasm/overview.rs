//! The dashboard's figures for JS: `overview`. Options are read and checked here; the analysis
//! lives in `crate::overview`.

use wasm_bindgen::prelude::*;

use super::cohorts::period_option;
use super::compare::{CompareOptions, with_compare};
use super::{JsOrderBook, OptionFields, to_js};
use crate::message::Message;
use crate::overview;

/// `{ period, activeWindowDays }` of `overview` (its `filter` is read by [`JsOrderBook::view`]).
struct OverviewOptions {
    period: Option<String>,
    active_window_days: Option<f64>,
}

impl OverviewOptions {
    fn read(value: &JsValue) -> Result<OverviewOptions, Message> {
        let fields = OptionFields::of(value, "{ period: 'month', activeWindowDays: 90 }")?;
        Ok(OverviewOptions {
            period: fields.text("period")?,
            active_window_days: fields.number("activeWindowDays")?,
        })
    }
}

#[wasm_bindgen(typescript_custom_section)]
const OVERVIEW_TYPES: &str = r#"
export interface OverviewOptions extends CompareOptions {
  period?: Period;
  /** The orders counted; new and returning customers still by each one's whole history. */
  filter?: OrderFilter;
  /** Active = a purchase within the last W days; default: the store's typical repeat gap, at least 30. */
  activeWindowDays?: number;
}
export interface OverviewPeriod {
  start: string;
  /** The period's last day, or the data's last day when it comes earlier (then `incomplete`). */
  end: string; label: string; incomplete: boolean;
  /** Customers with a purchase in the period, acquired (first purchase ever) in it or before it. */
  newCustomers: number; returningCustomers: number;
  /** Net value of the period's orders of new and returning customers; the rest (guests, returns
   *  of customers not acquired yet): newRevenue + returningRevenue + otherRevenue = revenue. */
  newRevenue: number; returningRevenue: number; otherRevenue: number;
  /** orders = purchases + returns, guests included; revenue net of returns. */
  orders: number; purchases: number; returns: number; revenue: number;
  /** Customers with a purchase within the last W days at `end`. */
  activeCustomers: number;
  /** Buying customers who had bought on an earlier day; repeatRate = repeatCustomers / buying customers. */
  repeatCustomers: number; repeatRate: number | null;
  /** Identified customers' purchases / buying customers. */
  ordersPerCustomer: number | null;
  /** Value of the purchases / purchases (returns left out). */
  averageOrderValue: number | null;
  /** Active at the start and not at the end; churnRate = lost / active at the start (null when none). */
  lostCustomers: number; churnRate: number | null;
}
export interface OverviewTotals {
  customers: number; newCustomers: number; returningCustomers: number;
  newRevenue: number; returningRevenue: number; otherRevenue: number; revenue: number;
  orders: number; purchases: number; returns: number;
  repeatCustomers: number; repeatRate: number | null;
  ordersPerCustomer: number | null; averageOrderValue: number | null;
}
export interface OverviewResult {
  period: Period; activeWindowDays: number;
  activeWindowSource: 'chosen' | 'storeGap' | 'minimum'; storeGapDays: number | null;
  lastPeriodIncomplete: boolean; lastDate: string | null;
  periods: OverviewPeriod[]; totals: OverviewTotals;
  /** With compareBy: orders, customers and revenue per value of each order, the top values by
   *  revenue apart, with their revenue per period. */
  compare?: Comparison<OverviewCompared>;
}
"#;

#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// The overview dashboard's figures per period: `{ period, activeWindowDays, filter,
    /// compareBy, top }`.
    #[wasm_bindgen(unchecked_return_type = "OverviewResult")]
    pub fn overview(
        &self,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "OverviewOptions")]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let book = self.view(&options_value)?;
        let options = OverviewOptions::read(&options_value)?;
        let compare = CompareOptions::read(&options_value)?;
        let period = period_option(&options.period)?;
        let window = self.active_window(options.active_window_days)?;
        let result = overview::overview(&book.book, book.by_customer(), period, window)?;
        let compared = match &compare.by {
            Some(key) => Some(to_js(&crate::compare::overview_by(
                &book.book,
                book.by_customer(),
                &result,
                key,
                compare.top,
            )?)?),
            None => None,
        };
        with_compare(to_js(&result)?, compared)
    }
}
