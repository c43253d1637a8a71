//! CLV from JS: `book.clv(options)` (model, warnings, totals, histogram, P(alive) matrix, holdout,
//! short lists), `book.clvCsv(options)` (the per-customer export), `book.clvCustomers(options)`
//! (per-customer columns as typed arrays, to join onto the RFM list), and the free functions
//! `fitBgNbd` / `fitMbgNbd` / `fitParetoNbd` / `fitGammaGamma` for a summary the caller already
//! has (as `lifetimes` takes it).
//!
//! Options (every field optional): `{ calibrationEnd: 'YYYY-MM-DD', holdoutEnd: 'YYYY-MM-DD',
//! periodDays: 7, horizonDays: 365, monthlyDiscountRate: 0.01, margin: 1, model: 'bgNbd' |
//! 'mbgNbd' | 'paretoNbd' | 'auto', penalizer: 0 | 'whenDegenerate', intervals: false }`.

use js_sys::{Float64Array, Uint32Array};
use wasm_bindgen::prelude::*;

use super::compare::{CompareOptions, with_compare};
use super::{JsOrderBook, OptionFields, object_of, to_js};
use crate::clv::{
    self, ClvAnalysis, ClvOptions, ModelKind, ModelRequest, Penalizer, bgnbd, gamma_gamma, mbg_nbd,
    pareto_nbd,
};
use crate::message::{Expected, Message, Rule};

#[wasm_bindgen(typescript_custom_section)]
const CLV_TYPES: &str = r#"
/** Options of clv / clvCsv / clvCustomers; every field optional. Dates are 'YYYY-MM-DD'. */
export interface ClvOptions extends CompareOptions {
  /** Only the orders this filter keeps (acquisition still from each customer's whole history). */
  filter?: OrderFilter;
  calibrationEnd?: string; holdoutEnd?: string; periodDays?: number;
  /** Days ahead for expected purchases (default 365, 30 to 36600); CLV sums its whole 30-day
   * months, floor(horizonDays / 30) of them (365 → 12 months, 360 days). */
  horizonDays?: number;
  monthlyDiscountRate?: number; margin?: number;
  /** The purchase model (default 'bgNbd'); 'auto' fits all three and keeps the best (by the
   * holdout when holdoutEnd is set, else by log-likelihood), saying why in modelChoice. */
  model?: ClvModel;
  /** λ of an L2 penalty on the purchase model's log-parameters (default 0: none);
   * 'whenDegenerate' fits without one unless the estimates are degenerate (no sign of customers
   * leaving), then with λ = 0.001 and a penalized_fit warning saying what changed. */
  penalizer?: number | 'whenDegenerate';
  /** 90% intervals of the totals, overall and per RFM segment (delta method). */
  intervals?: boolean;
}
export type ClvModel = 'bgNbd' | 'mbgNbd' | 'paretoNbd';
export type ClvWarning = EngineMessage;
export interface PurchaseFitCommon<P> {
  logLikelihood: number; converged: boolean; iterations: number;
  standardErrors: P | null;
  /** 90% intervals of the parameters (delta method on the log scale). */
  intervals: { lower: P; upper: P } | null;
  penalizer: number; customers: number; patterns: number; warnings: ClvWarning[];
}
export interface BgNbdParams { r: number; alpha: number; a: number; b: number; }
export interface BgNbdFit extends BgNbdParams, PurchaseFitCommon<BgNbdParams> {}
export interface MbgNbdFit extends BgNbdParams, PurchaseFitCommon<BgNbdParams> {}
export interface ParetoNbdParams { r: number; alpha: number; s: number; beta: number; }
export interface ParetoNbdFit extends ParetoNbdParams, PurchaseFitCommon<ParetoNbdParams> {}
export interface ClvModelChoice {
  chosen: ClvModel; criterion: 'logLikelihood' | 'holdout'; reason: EngineMessage;
  candidates: { model: ClvModel; logLikelihood: number | null; holdoutError: number | null;
    holdoutTotalError: number | null; failure: EngineMessage | null }[];
}
export interface GammaGammaParams { p: number; q: number; v: number; }
export interface GammaGammaFit extends GammaGammaParams {
  logLikelihood: number; converged: boolean; iterations: number;
  standardErrors: GammaGammaParams | null; customers: number; skipped: number;
  frequencyMonetaryCorrelation: number | null; populationMeanOrderValue: number | null;
  warnings: ClvWarning[];
}
export interface FrequencyRecencyMatrix {
  age: number; frequencies: number[]; recencies: number[]; values: number[][];
}
export interface ClvTopCustomer {
  customerId: string; frequency: number; lastPurchase: string; pAlive: number;
  expectedPurchases: number; expectedOrderValue: number | null; clv: number | null;
  clvIfActive: number | null; pPurchase30d: number;
  /** The median next-order date: the day by which P(another purchase) reaches ½; null when
   * P(alive) ≤ ½ or later than the horizon. */
  nextOrderDate: string | null;
}
export interface ClvHoldoutBucket {
  frequency: string; customers: number; actual: number; predicted: number;
  actualMean: number; predictedMean: number;
}
export interface ClvHoldout {
  start: string; end: string; days: number; periods: number; customers: number;
  actual: number; predicted: number; relativeError: number | null; byFrequency: ClvHoldoutBucket[];
}
export interface ClvInterval { estimate: number; lower: number; upper: number; }
export interface ClvGroupTotals {
  segment: string; segmentCode: string | null; customers: number; expectedPurchases: ClvInterval;
  clv: ClvInterval | null;
}
export interface ClvResult {
  /** With compareBy: repeat rate and CLV per value of each customer's first purchase. */
  compare?: Comparison<ClvCompared>;
  calibrationEnd: string; holdoutEnd: string | null; periodDays: number; horizonDays: number;
  months: number; monthlyDiscountRate: number; margin: number;
  /** The purchase model the customers were scored with, and how it was chosen ('auto'). */
  model: ClvModel; modelChoice: ClvModelChoice | null;
  /** The fits made: the chosen model's, or all three with 'auto'. */
  bgnbd: BgNbdFit | null; mbgNbd: MbgNbdFit | null; paretoNbd: ParetoNbdFit | null;
  gammaGamma: GammaGammaFit | null; warnings: ClvWarning[];
  customers: {
    customers: number; repeatBuyers: number; afterCalibration: number; meanPAlive: number;
    expectedPurchases: number; expectedBuyers30d: number; likelyBuyers30d: number;
    totalClv: number | null; meanClv: number | null; medianClv: number | null;
  };
  distribution: { edges: number[]; counts: number[]; lastBarOpen: boolean };
  /** P(alive) and the expected repeat purchases over horizonDays by repeat purchases (rows) and
   * the last purchase's recency (columns, periods), for a customer as old as the oldest. */
  pAliveMatrix: FrequencyRecencyMatrix;
  expectedPurchasesMatrix: FrequencyRecencyMatrix;
  holdout: ClvHoldout | null;
  /** With intervals: true: 90% intervals of the totals (delta method), overall and per RFM segment. */
  /** Actual against modelled repeat purchases: per period (calibration, then holdout), and
   * customers by calibration repeat purchases (0 … 6, 7+). */
  fitCheck: {
    periodDays: number;
    tracking: { start: string; actual: number; expected: number; cumulativeActual: number;
      cumulativeExpected: number; holdout: boolean }[];
    frequencies: { frequency: string; actual: number; expected: number }[];
  };
  intervals: { method: 'deltaMethod'; level: number; store: ClvGroupTotals; segments: ClvGroupTotals[] } | null;
  top: { likelyToBuy: ClvTopCustomer[]; highValueAtRisk: ClvTopCustomer[]; topClv: ClvTopCustomer[] };
}
export interface ClvCustomers {
  count: number; customer: Uint32Array; frequency: Uint32Array; pAlive: Float64Array;
  expectedPurchases: Float64Array; expectedOrderValue: Float64Array; clv: Float64Array;
  pPurchase30d: Float64Array; nextOrderDay: Float64Array;
}
"#;

impl JsOrderBook {
    fn clv_analysis(&self, options_value: JsValue) -> Result<ClvAnalysis, JsValue> {
        let fields = OptionFields::of(&options_value, "{ horizonDays: 365, margin: 0.3 }")?;
        let defaults = ClvOptions::default();
        let options = ClvOptions {
            calibration_end: fields.date("calibrationEnd")?,
            holdout_end: fields.date("holdoutEnd")?,
            period_days: fields.number("periodDays")?.unwrap_or(defaults.period_days),
            horizon_days: fields
                .number("horizonDays")?
                .unwrap_or(defaults.horizon_days),
            monthly_discount_rate: fields
                .number("monthlyDiscountRate")?
                .unwrap_or(defaults.monthly_discount_rate),
            margin: fields.number("margin")?.unwrap_or(defaults.margin),
            model: fields
                .keyword(
                    "model",
                    &[
                        ("bgNbd", ModelRequest::Fixed(ModelKind::BgNbd)),
                        ("mbgNbd", ModelRequest::Fixed(ModelKind::MbgNbd)),
                        ("paretoNbd", ModelRequest::Fixed(ModelKind::ParetoNbd)),
                        ("auto", ModelRequest::Auto),
                    ],
                )?
                .unwrap_or(defaults.model),
            penalizer: penalizer(&fields)?.unwrap_or(defaults.penalizer),
            intervals: fields.flag("intervals")?.unwrap_or(defaults.intervals),
        };
        let mut fits = self.clv_fits.borrow_mut();
        Ok(clv::analyze_with_cache(
            &self.book,
            self.by_customer(),
            &options,
            &mut fits,
        )?)
    }
}

/// `penalizer`: a λ ≥ 0, or `'whenDegenerate'`.
fn penalizer(fields: &OptionFields) -> Result<Option<Penalizer>, Message> {
    let Some(value) = fields.get("penalizer") else {
        return Ok(None);
    };
    if value.as_string().as_deref() == Some("whenDegenerate") {
        return Ok(Some(Penalizer::WhenDegenerate));
    }
    match value.as_f64() {
        Some(lambda) if lambda >= 0.0 && lambda.is_finite() => Ok(Some(Penalizer::Fixed(lambda))),
        _ => {
            let given = value.as_string().unwrap_or_else(|| format!("{value:?}"));
            Err(Message::invalid_option(
                "penalizer",
                &given,
                Expected::of(&Rule::PENALIZER_OR_WHEN_DEGENERATE),
            ))
        }
    }
}

#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// `{ calibrationEnd, holdoutEnd, periodDays, horizonDays, months, monthlyDiscountRate,
    /// margin, bgnbd: { r, alpha, a, b, logLikelihood, converged, iterations, standardErrors,
    /// customers, patterns }, gammaGamma: { p, q, v, …, populationMeanOrderValue } | null,
    /// warnings: [{ code, message, params }], customers: { customers, repeatBuyers, totalClv, … },
    /// distribution: { edges, counts, lastBarOpen }, pAliveMatrix and expectedPurchasesMatrix:
    /// { age, frequencies, recencies, values }, holdout: { …, byFrequency } | null, top: { likelyToBuy,
    /// highValueAtRisk, topClv } }`. α and the recencies are in periods of `periodDays`.
    #[wasm_bindgen(unchecked_return_type = "ClvResult")]
    pub fn clv(
        &self,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "ClvOptions")]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let book = self.view(&options_value)?;
        let compare = CompareOptions::read(&options_value)?;
        let analysis = book.clv_analysis(options_value)?;
        let compared = match book.customer_groups(&compare)? {
            Some(groups) => Some(to_js(&crate::compare::clv_by(&analysis, &groups))?),
            None => None,
        };
        with_compare(to_js(&analysis.report(&book.book))?, compared)
    }

    /// The per-customer table as CSV text, header
    /// `customer_id,frequency,recency,T,monetary_mean,p_alive,expected_purchases,
    /// expected_order_value,clv,p_purchase_30d,next_order_date`: expected purchases over
    /// `horizonDays`, CLV over its whole 30-day months, `next_order_date` the median of the
    /// waiting time to the next purchase (empty when P(alive) ≤ ½ or beyond the horizon).
    #[wasm_bindgen(js_name = clvCsv)]
    pub fn clv_csv(
        &self,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "ClvOptions")]
        options_value: JsValue,
    ) -> Result<String, JsValue> {
        let book = self.view(&options_value)?;
        Ok(book.clv_analysis(options_value)?.csv(&book.book))
    }

    /// Per-customer columns: `{ count, customer: Uint32Array (the customer index shared with
    /// rfmCustomers), frequency: Uint32Array, pAlive, expectedPurchases, expectedOrderValue, clv,
    /// pPurchase30d, nextOrderDay: Float64Array }`; missing values are NaN, `nextOrderDay` (the
    /// median next-order date) is in days since 1970-01-01.
    #[wasm_bindgen(js_name = clvCustomers, unchecked_return_type = "ClvCustomers")]
    pub fn clv_customers(
        &self,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "ClvOptions")]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let book = self.view(&options_value)?;
        let analysis = book.clv_analysis(options_value)?;
        let scores = &analysis.scores;
        let or_nan = |column: &[Option<f64>]| -> Vec<f64> {
            column.iter().map(|v| v.unwrap_or(f64::NAN)).collect()
        };
        let next_order: Vec<f64> = scores
            .next_order_day
            .iter()
            .map(|d| d.map_or(f64::NAN, f64::from))
            .collect();
        object_of(&[
            ("count", JsValue::from(analysis.summary.len() as u32)),
            (
                "customer",
                Uint32Array::from(&analysis.summary.customer[..]).into(),
            ),
            (
                "frequency",
                Uint32Array::from(&analysis.summary.frequency[..]).into(),
            ),
            ("pAlive", Float64Array::from(&scores.p_alive[..]).into()),
            (
                "expectedPurchases",
                Float64Array::from(&scores.expected_purchases[..]).into(),
            ),
            (
                "expectedOrderValue",
                Float64Array::from(&or_nan(&scores.expected_order_value)[..]).into(),
            ),
            ("clv", Float64Array::from(&or_nan(&scores.clv)[..]).into()),
            (
                "pPurchase30d",
                Float64Array::from(&scores.p_purchase_30d[..]).into(),
            ),
            ("nextOrderDay", Float64Array::from(&next_order[..]).into()),
        ])
    }
}

/// Fits BG/NBD to a summary: `frequency` (repeat purchases, whole numbers), `recency` (t_x) and
/// `t` (T) in any one time unit, optional `weights` (customers per row). Returns `{ r, alpha, a,
/// b, logLikelihood, converged, iterations, standardErrors: { r, alpha, a, b } | null,
/// customers, patterns, warnings }`.
#[wasm_bindgen(js_name = fitBgNbd, unchecked_return_type = "BgNbdFit")]
pub fn fit_bgnbd(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    weights: Option<Vec<f64>>,
) -> Result<JsValue, JsValue> {
    to_js(&bgnbd::fit(frequency, recency, t, weights.as_deref())?)
}

/// Fits MBG/NBD to a summary, with the arguments of `fitBgNbd`; the same result shape.
#[wasm_bindgen(js_name = fitMbgNbd, unchecked_return_type = "MbgNbdFit")]
pub fn fit_mbg_nbd(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    weights: Option<Vec<f64>>,
) -> Result<JsValue, JsValue> {
    to_js(&mbg_nbd::fit(frequency, recency, t, weights.as_deref())?)
}

/// Fits Pareto/NBD to a summary, with the arguments of `fitBgNbd`. Returns `{ r, alpha, s, beta,
/// logLikelihood, converged, iterations, standardErrors, intervals, … }`.
#[wasm_bindgen(js_name = fitParetoNbd, unchecked_return_type = "ParetoNbdFit")]
pub fn fit_pareto_nbd(
    frequency: &[f64],
    recency: &[f64],
    t: &[f64],
    weights: Option<Vec<f64>>,
) -> Result<JsValue, JsValue> {
    to_js(&pareto_nbd::fit(frequency, recency, t, weights.as_deref())?)
}

/// Fits Gamma-Gamma to repeat customers' `frequency` and `monetaryMean` (rows with frequency 0
/// or a non-positive mean are skipped and counted), optional `weights`. Returns `{ p, q, v,
/// logLikelihood, converged, iterations, standardErrors, customers, skipped,
/// frequencyMonetaryCorrelation, populationMeanOrderValue, warnings }`.
#[wasm_bindgen(js_name = fitGammaGamma, unchecked_return_type = "GammaGammaFit")]
pub fn fit_gamma_gamma(
    frequency: &[f64],
    monetary_mean: &[f64],
    weights: Option<Vec<f64>>,
) -> Result<JsValue, JsValue> {
    to_js(&gamma_gamma::fit(
        frequency,
        monetary_mean,
        weights.as_deref(),
    )?)
}
