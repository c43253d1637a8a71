//! Lifecycle stages for JS: `lifecycle` (stage counts, their series, transitions, time to second
//! purchase), `lifecycleCsv` and `lifecycleCustomers` (the customers of one stage). Options are
//! read and checked here; the analysis lives in `crate::lifecycle`.

use wasm_bindgen::prelude::*;

use super::cohorts::period_option;
use super::{JsOrderBook, OptionFields, to_js};
use crate::day::Day;
use crate::lifecycle::{self, LifecycleError, LifecycleOptions, LifecycleRules, Stage};
use crate::message::Message;

/// Options of `lifecycle`, `lifecycleCsv` and `lifecycleCustomers`.
pub(super) struct LifecycleJsOptions {
    as_of: Option<Day>,
    compare_with: Option<Day>,
    period: Option<String>,
    at_risk_multiplier: Option<f64>,
    lapsed_multiplier: Option<f64>,
    min_typical_gap_days: Option<f64>,
    store_gap_days: Option<f64>,
    stage: Option<String>,
}

impl LifecycleJsOptions {
    pub(super) fn read(value: &JsValue) -> Result<LifecycleJsOptions, Message> {
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

    pub(super) fn lifecycle(&self) -> Result<LifecycleOptions, Message> {
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
const LIFECYCLE_TYPES: &str = r#"
export type Stage = 'new' | 'active' | 'at_risk' | 'lapsed' | 'won_back';
export interface LifecycleOptions {
  /** Only the orders this filter keeps (acquisition still from each customer's whole history). */
  filter?: OrderFilter;
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
        let book = self.view(&options_value)?;
        let options = LifecycleJsOptions::read(&options_value)?;
        let report =
            lifecycle::lifecycle_report(&book.book, book.by_customer(), &options.lifecycle()?)?;
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
        let book = self.view(&options_value)?;
        let options = LifecycleJsOptions::read(&options_value)?;
        let (snapshot, stage) = book.stage_snapshot(&options)?;
        Ok(lifecycle::stage_csv(&book.book, &snapshot, stage))
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
        let book = self.view(&options_value)?;
        let options = LifecycleJsOptions::read(&options_value)?;
        let (snapshot, stage) = book.stage_snapshot(&options)?;
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
