//! Cohorts, retention and churn rates, growth accounting and lifecycle stages for JS:
//! `cohorts`, `retentionRates`, `growthAccounting`, `lifecycle`, `lifecycleCsv`,
//! `lifecycleCustomers`. Options are read and checked here; the analyses live in
//! `crate::cohort` and `crate::lifecycle`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{JsOrderBook, OptionFields, to_js};
use crate::cohort::{self, ActiveWindowSource, Period, RetentionPeriod};
use crate::lifecycle::{self, LifecycleError, LifecycleOptions, LifecycleRules, Stage};
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
    from: Option<i32>,
    to: Option<i32>,
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

/// Options of `lifecycle`, `lifecycleCsv` and `lifecycleCustomers`.
struct LifecycleJsOptions {
    as_of: Option<i32>,
    compare_with: Option<i32>,
    period: Option<String>,
    at_risk_multiplier: Option<f64>,
    lapsed_multiplier: Option<f64>,
    min_typical_gap_days: Option<f64>,
    store_gap_days: Option<f64>,
    stage: Option<String>,
}

impl LifecycleJsOptions {
    fn read(value: &JsValue) -> Result<LifecycleJsOptions, Message> {
        let fields = OptionFields::of(value, "{ asOf: '2024-12-31' }")?;
        Ok(LifecycleJsOptions {
            as_of: fields.date("asOf")?,
            compare_with: fields.date("compareWith")?,
            period: fields.text("period")?,
            at_risk_multiplier: fields.number("atRiskMultiplier")?,
            lapsed_multiplier: fields.number("lapsedMultiplier")?,
            min_typical_gap_days: fields.number("minTypicalGapDays")?,
            store_gap_days: fields.number("storeGapDays")?,
            stage: fields.text("stage")?,
        })
    }
}

/// What `retentionRates` returns: the series, plus the chosen range when `from`/`to` are given.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RetentionResult {
    period: Period,
    active_window_days: u32,
    active_window_source: ActiveWindowSource,
    store_gap_days: Option<f64>,
    periods: Vec<RetentionPeriod>,
    range: Option<RetentionPeriod>,
}

/// A period option; month when absent.
fn period_option(period: &Option<String>) -> Result<Period, Message> {
    match period.as_deref() {
        None => Ok(Period::Month),
        Some(text) => Ok(text.parse::<Period>()?),
    }
}

impl LifecycleJsOptions {
    fn rules(&self) -> LifecycleRules {
        let defaults = LifecycleRules::default();
        LifecycleRules {
            at_risk_multiplier: self
                .at_risk_multiplier
                .unwrap_or(defaults.at_risk_multiplier),
            lapsed_multiplier: self.lapsed_multiplier.unwrap_or(defaults.lapsed_multiplier),
            min_typical_gap_days: self
                .min_typical_gap_days
                .unwrap_or(defaults.min_typical_gap_days),
            store_gap_days: self.store_gap_days,
        }
    }

    fn lifecycle(&self) -> Result<LifecycleOptions, Message> {
        Ok(LifecycleOptions {
            as_of: self.as_of,
            compare_with: self.compare_with,
            series_period: period_option(&self.period)?,
            rules: self.rules(),
        })
    }

    fn stage(&self) -> Result<Option<Stage>, LifecycleError> {
        match self.stage.as_deref().map(str::trim) {
            None | Some("") | Some("all") => Ok(None),
            Some(text) => text.parse().map(Some),
        }
    }
}

#[wasm_bindgen(typescript_custom_section)]
const COHORT_TYPES: &str = r#"
export type Period = 'week' | 'month' | 'quarter';
export interface Cohort {
  start: string; label: string; size: number; customers: number[]; retention: number[];
  revenue: number[]; revenuePerCustomer: number[]; cumulativeRevenuePerCustomer: number[];
  orders: number[];
}
export interface CohortsResult {
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
export type Stage = 'new' | 'active' | 'at_risk' | 'lapsed' | 'won_back';
export interface LifecycleOptions {
  asOf?: string; compareWith?: string; period?: Period; atRiskMultiplier?: number;
  lapsedMultiplier?: number; minTypicalGapDays?: number; storeGapDays?: number;
  /** For lifecycleCsv / lifecycleCustomers: one stage, or all when absent. */
  stage?: Stage;
}
export interface LifecycleResult {
  asOf: string;
  rules: { atRiskMultiplier: number; lapsedMultiplier: number; minTypicalGapDays: number; storeGapDays: number | null };
  storeGapDays: number; stages: Stage[]; counts: number[]; customers: number; seriesPeriod: Period;
  series: { date: string; label: string; incomplete: boolean; storeGapDays: number; counts: number[] }[];
  transitions: { from: string; to: string; states: ('none' | Stage)[]; customers: number[][] };
  timeToSecondPurchase: {
    customers: number; repeatCustomers: number;
    /** Median and mean wait among those who came back (biased short: those still waiting are left out). */
    medianDays: number | null; meanDays: number | null;
    /** Histogram of the observed waits of those who came back. */
    bins: { fromDays: number; toDays: number | null; customers: number }[];
    /** Kaplan–Meier over every customer, those still waiting censored at asOf. */
    kaplanMeier: {
      /** First day by which the estimated share back reaches ½; null if it never does. */
      medianDays: number | null;
      /** The longest wait observed: the curve is known up to here. */
      followUpDays: number | null;
      /** Estimated share back within 30, 60, 90, 180, 365 days; null beyond followUpDays. */
      within: { days: number; share: number | null }[];
      curve: { days: number; share: number; atRisk: number; events: number }[];
    };
  };
  repeatPurchaseRate: number | null;
}
"#;

#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// Acquisition cohorts: `{ period: 'week' | 'month' | 'quarter' }` (month by default).
    #[wasm_bindgen(unchecked_return_type = "CohortsResult")]
    pub fn cohorts(
        &self,
        #[wasm_bindgen(
            js_name = "options",
            unchecked_optional_param_type = "{ period?: Period }"
        )]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let options = PeriodOptions::read(&options_value)?;
        let period = period_option(&options.period)?;
        let table = cohort::cohorts(&self.book, period)?;
        to_js(&table)
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
        let options = RetentionOptions::read(&options_value)?;
        let period = period_option(&options.period)?;
        let window = match options.active_window_days {
            Some(days) => cohort::ActiveWindow::chosen(days)?,
            None => *self.default_active_window.get_or_init(|| {
                cohort::ActiveWindow::store_default(&self.book, self.by_customer())
            }),
        };
        let series = cohort::retention_rates(&self.book, self.by_customer(), period, window)?;
        let range = match (options.from, options.to) {
            (None, None) => None,
            (Some(from), Some(to)) => Some(cohort::retention_between(
                &self.book,
                self.by_customer(),
                from,
                to,
                window.days,
            )?),
            _ => {
                let text = "give both from and to (YYYY-MM-DD) for retention over a chosen range";
                return Err(Message::new(Code::RANGE_HALF_GIVEN, text).into());
            }
        };
        to_js(&RetentionResult {
            period: series.period,
            active_window_days: series.active_window_days,
            active_window_source: series.active_window_source,
            store_gap_days: series.store_gap_days,
            periods: series.periods,
            range,
        })
    }

    /// New, retained, resurrected and churned customers per period: `{ period }`.
    #[wasm_bindgen(js_name = growthAccounting, unchecked_return_type = "GrowthAccountingResult")]
    pub fn growth_accounting(
        &self,
        #[wasm_bindgen(
            js_name = "options",
            unchecked_optional_param_type = "{ period?: Period }"
        )]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let options = PeriodOptions::read(&options_value)?;
        let period = period_option(&options.period)?;
        let growth = cohort::growth_accounting(&self.book, self.by_customer(), period)?;
        to_js(&growth)
    }

    /// Lifecycle stage counts, their monthly series, the transition matrix between
    /// `compareWith` and `asOf`, time to second purchase and the repeat-purchase rate.
    #[wasm_bindgen(unchecked_return_type = "LifecycleResult")]
    pub fn lifecycle(
        &self,
        #[wasm_bindgen(
            js_name = "options",
            unchecked_optional_param_type = "LifecycleOptions"
        )]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let options = LifecycleJsOptions::read(&options_value)?;
        let report =
            lifecycle::lifecycle_report(&self.book, self.by_customer(), &options.lifecycle()?)?;
        to_js(&report)
    }

    /// The customers of one stage (`{ asOf, stage }`, all stages when `stage` is absent) as
    /// CSV: `customer_id,stage,last_purchase,days_since_last_purchase,orders,typical_gap_days`.
    #[wasm_bindgen(js_name = lifecycleCsv)]
    pub fn lifecycle_csv(
        &self,
        #[wasm_bindgen(
            js_name = "options",
            unchecked_optional_param_type = "LifecycleOptions"
        )]
        options_value: JsValue,
    ) -> Result<String, JsValue> {
        let options = LifecycleJsOptions::read(&options_value)?;
        let (snapshot, stage) = self.stage_snapshot(&options)?;
        Ok(lifecycle::stage_csv(&self.book, &snapshot, stage))
    }

    /// Indices of the customers of one stage, as a `Uint32Array` (`{ asOf, stage }`).
    #[wasm_bindgen(js_name = lifecycleCustomers)]
    pub fn lifecycle_customers(
        &self,
        #[wasm_bindgen(
            js_name = "options",
            unchecked_optional_param_type = "LifecycleOptions"
        )]
        options_value: JsValue,
    ) -> Result<Vec<u32>, JsValue> {
        let options = LifecycleJsOptions::read(&options_value)?;
        let (snapshot, stage) = self.stage_snapshot(&options)?;
        Ok(lifecycle::stage_customers(&snapshot, stage))
    }
}

impl JsOrderBook {
    fn stage_snapshot(
        &self,
        options: &LifecycleJsOptions,
    ) -> Result<(lifecycle::StageSnapshot, Option<Stage>), JsValue> {
        let stage = options.stage()?;
        let lifecycle_options = options.lifecycle()?;
        let as_of = lifecycle_options.as_of(&self.book)?;
        let snapshot = lifecycle::stage_snapshot(
            &self.book,
            self.by_customer(),
            as_of,
            &lifecycle_options.rules,
        )?;
        Ok((snapshot, stage))
    }
}
