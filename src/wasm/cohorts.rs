//! Cohorts, retention and churn rates and growth accounting for JS: `cohorts`,
//! `retentionRates`, `growthAccounting`. Options are read and checked here; the analyses live in
//! `crate::cohort`.

use wasm_bindgen::prelude::*;

use super::compare::{CompareOptions, with_compare};
use super::{JsOrderBook, OptionFields, to_js};
use crate::cohort::{self, Period};
use crate::day::Day;
use crate::message::{Code, Message};

/// `{ period }` of `cohorts` and `growthAccounting`.
struct PeriodOptions {
    period: Option<String>,
}

impl PeriodOptions {
    fn read(value: &JsValue) -> Result<PeriodOptions, Message> {
        let fields = OptionFields::of(value, "{ period: 'month' }")?;
        Ok(PeriodOptions {
            period: fields.text("period")?,
        })
    }
}

/// `{ period, activeWindowDays, from, to }` of `retentionRates`.
struct RetentionOptions {
    period: Option<String>,
    active_window_days: Option<f64>,
    from: Option<Day>,
    to: Option<Day>,
}

impl RetentionOptions {
    fn read(value: &JsValue) -> Result<RetentionOptions, Message> {
        let fields = OptionFields::of(value, "{ period: 'month', activeWindowDays: 90 }")?;
        Ok(RetentionOptions {
            period: fields.text("period")?,
            active_window_days: fields.number("activeWindowDays")?,
            from: fields.date("from")?,
            to: fields.date("to")?,
        })
    }
}

/// A period option; month when absent.
pub(super) fn period_option(period: &Option<String>) -> Result<Period, Message> {
    match period.as_deref() {
        None => Ok(Period::Month),
        Some(text) => Ok(text.parse::<Period>()?),
    }
}

#[wasm_bindgen(typescript_custom_section)]
const COHORT_TYPES: &str = r#"
export type Period = 'week' | 'month' | 'quarter' | 'year';
export interface Cohort {
  start: string; label: string; size: number; customers: number[]; retention: number[];
  revenue: number[]; revenuePerCustomer: number[]; cumulativeRevenuePerCustomer: number[];
  orders: number[];
}
export interface CohortsOptions extends CompareOptions { period?: Period; filter?: OrderFilter; }
export interface CohortsResult {
  /** With compareBy: retention and revenue per customer per value of the first purchase. */
  compare?: Comparison<CohortsCompared>;
  period: Period; lastPeriodIncomplete: boolean; lastDate: string | null; cohorts: Cohort[];
  averageRetention: number[]; averageRetentionCohorts: number[]; averageRetentionCustomers: number[];
}
export interface RetentionPeriod {
  start: string; end: string; label: string; incomplete: boolean;
  /** S (active at the start), E (active at the end), N (acquired during the period). */
  activeAtStart: number; activeAtEnd: number; acquired: number;
  /** Customers active at the start and the end (|S ∩ E|); active at the start, not the end
   *  (S − retained); active at the end, not the start, acquired before the period. */
  retained: number; lost: number; reactivated: number;
  /** retained / S and lost / S (they add up to 1); null when S = 0. */
  retentionRate: number | null; churnRate: number | null;
  /** The published (E − N) / S and (S − E) / S: net change of the active base, which counts
   *  reactivated customers as retained and goes negative when new customers outnumber lost ones. */
  netRetentionRate: number | null; netChurnRate: number | null;
}
export interface RetentionRatesOptions {
  period?: Period;
  /** Only the orders this filter keeps (acquisition still from each customer's whole history). */
  filter?: OrderFilter;
  /** Active = a purchase within the last W days; default: the store's typical repeat gap, at least 30. */
  activeWindowDays?: number; from?: string; to?: string;
}
export interface RetentionRatesResult {
  period: Period; activeWindowDays: number;
  /** 'chosen': activeWindowDays was given; 'storeGap': the store's typical repeat gap, rounded up;
   *  'minimum': 30 days, the gap being shorter or unmeasured (nobody bought twice). */
  activeWindowSource: 'chosen' | 'storeGap' | 'minimum';
  /** The store's typical repeat gap in days (null when activeWindowDays was given or nobody bought twice). */
  storeGapDays: number | null;
  periods: RetentionPeriod[]; range: RetentionPeriod | null;
}
export interface GrowthPeriod {
  start: string; label: string; incomplete: boolean; active: number; new: number; retained: number;
  resurrected: number; churned: number; revenue: number; newRevenue: number; retainedRevenue: number;
  resurrectedRevenue: number; churnedRevenue: number; expansionRevenue: number;
  contractionRevenue: number; quickRatio: number | null; revenueQuickRatio: number | null;
}
export interface GrowthAccountingResult { period: Period; periods: GrowthPeriod[]; }
"#;

impl JsOrderBook {
    /// The W of "active": `activeWindowDays` when given, else the store's typical repeat gap,
    /// measured once on the whole book: switching a filter does not move the window.
    pub(super) fn active_window(
        &self,
        active_window_days: Option<f64>,
    ) -> Result<cohort::ActiveWindow, Message> {
        Ok(match active_window_days {
            Some(days) => cohort::ActiveWindow::chosen(days)?,
            None => *self.default_active_window.get_or_init(|| {
                cohort::ActiveWindow::store_default(&self.book, self.by_customer())
            }),
        })
    }
}

#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// Acquisition cohorts: `{ period: 'week' | 'month' | 'quarter' | 'year', compareBy, top }`
    /// (month by default).
    #[wasm_bindgen(unchecked_return_type = "CohortsResult")]
    pub fn cohorts(
        &self,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "CohortsOptions")]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let book = self.view(&options_value)?;
        let options = PeriodOptions::read(&options_value)?;
        let compare = CompareOptions::read(&options_value)?;
        let period = period_option(&options.period)?;
        let table = cohort::cohorts(&book.book, period)?;
        let compared = match book.customer_groups(&compare)? {
            Some(groups) => Some(to_js(&crate::compare::cohorts_by(
                &book.book,
                book.by_customer(),
                period,
                &groups,
            ))?),
            None => None,
        };
        with_compare(to_js(&table)?, compared)
    }

    /// Retention and churn rates per period, `{ period, activeWindowDays, from, to }`.
    #[wasm_bindgen(js_name = retentionRates, unchecked_return_type = "RetentionRatesResult")]
    pub fn retention_rates(
        &self,
        #[wasm_bindgen(
            js_name = "options",
            unchecked_optional_param_type = "RetentionRatesOptions"
        )]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let book = self.view(&options_value)?;
        let options = RetentionOptions::read(&options_value)?;
        let period = period_option(&options.period)?;
        let window = self.active_window(options.active_window_days)?;
        let series = cohort::retention_rates(&book.book, book.by_customer(), period, window)?;
        let range = match (options.from, options.to) {
            (None, None) => None,
            (Some(from), Some(to)) => Some(cohort::retention_between(
                &book.book,
                book.by_customer(),
                from,
                to,
                window.days,
            )?),
            _ => {
                let text = "give both from and to (YYYY-MM-DD) for retention over a chosen range";
                return Err(Message::new(Code::RANGE_HALF_GIVEN, text).into());
            }
        };
        to_js(&cohort::RetentionSeries { range, ..series })
    }

    /// New, retained, resurrected and churned customers per period: `{ period }`.
    #[wasm_bindgen(js_name = growthAccounting, unchecked_return_type = "GrowthAccountingResult")]
    pub fn growth_accounting(
        &self,
        #[wasm_bindgen(
            js_name = "options",
            unchecked_optional_param_type = "{ period?: Period; filter?: OrderFilter }"
        )]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let book = self.view(&options_value)?;
        let options = PeriodOptions::read(&options_value)?;
        let period = period_option(&options.period)?;
        let growth = cohort::growth_accounting(&book.book, book.by_customer(), period)?;
        to_js(&growth)
    }
}
