//! 90% intervals of the store's totals — expected purchases over the horizon and CLV — overall
//! and per RFM segment, by the delta method: the totals' gradients in the models'
//! log-parameters (central differences) against the covariance of the estimates from the
//! Hessian (the purchase model's and Gamma-Gamma's, independent fits). They say how far the
//! totals could move because the parameters were estimated from a finite sample; they do not
//! include the chance variation of what customers will actually do.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::analysis::{ClvSchedule, FittedModel};
use super::gamma_gamma::{GammaGammaFit, GammaGammaParams};
use super::mle;
use super::model::PurchaseModel;
use super::summary::CalibrationSummary;

/// Step in the log-parameters of the central differences (a relative step of 10⁻⁴).
const LOG_STEP: f64 = 1e-4;

/// An estimate and its 90% interval.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Interval {
    pub estimate: f64,
    pub lower: f64,
    pub upper: f64,
}

/// Totals of one group of customers.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupTotals {
    /// The RFM segment (as of the calibration end); "All customers" for the store.
    pub segment: String,
    /// The segment's code, for the named RFM segments: what a page words it by.
    pub segment_code: Option<&'static str>,
    pub customers: usize,
    pub expected_purchases: Interval,
    /// `None` without a spend model.
    pub clv: Option<Interval>,
}

/// The intervals of `book.clv({ intervals: true })`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TotalIntervals {
    /// "deltaMethod": from the Hessian of each fit, on the log scale (intervals stay positive).
    pub method: &'static str,
    pub level: f64,
    pub store: GroupTotals,
    /// Per RFM segment, largest expected value first.
    pub segments: Vec<GroupTotals>,
}

/// Per row: expected purchases over the horizon and margin × discounted purchases (CLV divided
/// by the expected order value), with values that depend on (x, T) only computed once per pair.
fn purchase_parts(
    summary: &CalibrationSummary,
    model: &PurchaseModel,
    schedule: &ClvSchedule,
) -> (Vec<f64>, Vec<f64>) {
    let horizon = schedule.horizon_days / schedule.period_days;
    let mut pairs = FxHashMap::<(u32, i32), (f64, f64)>::default();
    let n = summary.len();
    let (mut purchases, mut discounted) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        let (x, age) = (summary.frequency[i] as f64, summary.age(i));
        let (future, discounted_future) = *pairs
            .entry((summary.frequency[i], summary.age_days(i)))
            .or_insert_with(|| {
                (
                    model.expected_purchases_if_alive(horizon, x, age),
                    schedule.discounted_purchases_if_alive(model, x, age),
                )
            });
        let alive = model.p_alive(x, summary.recency(i), age);
        purchases.push(alive * future);
        discounted.push(schedule.margin * alive * discounted_future);
    }
    (purchases, discounted)
}

fn order_values(summary: &CalibrationSummary, spend: &GammaGammaParams) -> Vec<f64> {
    (0..summary.len())
        .map(|i| {
            let m = summary.monetary_mean[i];
            if m > 0.0 {
                spend.expected_order_value(summary.frequency[i] as f64, m)
            } else {
                spend.population_mean()
            }
        })
        .collect()
}

/// Σ per group (the last group is everyone) of the finite values of `values`.
fn group_sums(values: &[f64], group: &[usize], groups: usize) -> Vec<f64> {
    let mut sums = vec![0.0; groups + 1];
    for (i, &v) in values.iter().enumerate() {
        if v.is_finite() {
            sums[group[i]] += v;
            sums[groups] += v;
        }
    }
    sums
}

/// Group totals of (expected purchases, CLV) at the given models.
fn totals(
    summary: &CalibrationSummary,
    model: &PurchaseModel,
    spend: Option<&GammaGammaParams>,
    schedule: &ClvSchedule,
    (group, groups): (&[usize], usize),
) -> (Vec<f64>, Option<Vec<f64>>) {
    let (purchases, discounted) = purchase_parts(summary, model, schedule);
    let clv = spend.map(|spend| {
        let values: Vec<f64> = order_values(summary, spend)
            .iter()
            .zip(&discounted)
            .map(|(v, d)| v * d)
            .collect();
        group_sums(&values, group, groups)
    });
    (group_sums(&purchases, group, groups), clv)
}

/// `values` with the k-th multiplied by e^step.
fn shifted(values: &[f64], k: usize, step: f64) -> Vec<f64> {
    let mut values = values.to_vec();
    values[k] *= step.exp();
    values
}

/// The intervals, or `None` when a covariance is missing (a parameter the data do not identify).
/// `segment` gives each summary row's group index into `segment_names`.
pub fn total_intervals(
    summary: &CalibrationSummary,
    fitted: &FittedModel,
    spend: Option<&GammaGammaFit>,
    schedule: &ClvSchedule,
    segment: &[usize],
    segment_names: &[String],
) -> Option<TotalIntervals> {
    let purchase_covariance = fitted.log_covariance.as_ref()?;
    let spend = spend.filter(|fit| fit.params.q > 1.0);
    let spend_covariance = match spend {
        Some(fit) => Some(fit.log_covariance.as_ref()?),
        None => None,
    };
    let groups = segment_names.len();
    let grouping = (segment, groups);
    let model = fitted.model;
    let spend_params = spend.map(|fit| fit.params);
    let (purchases, clv) = totals(summary, &model, spend_params.as_ref(), schedule, grouping);
    // Gradients of every group total, per parameter: 4 purchase parameters, then 3 spend ones.
    let mut purchase_gradients: Vec<Vec<f64>> = Vec::new();
    let mut clv_gradients: Vec<Vec<f64>> = Vec::new();
    let values = model.values();
    for k in 0..4 {
        let at = |step: f64| {
            let perturbed = model.with_values(&shifted(&values, k, step));
            totals(
                summary,
                &perturbed,
                spend_params.as_ref(),
                schedule,
                grouping,
            )
        };
        let ((purchases_up, clv_up), (purchases_down, clv_down)) = (at(LOG_STEP), at(-LOG_STEP));
        let slope = |up: &[f64], down: &[f64]| -> Vec<f64> {
            up.iter()
                .zip(down)
                .map(|(u, d)| (u - d) / (2.0 * LOG_STEP))
                .collect()
        };
        purchase_gradients.push(slope(&purchases_up, &purchases_down));
        if let (Some(up), Some(down)) = (clv_up, clv_down) {
            clv_gradients.push(slope(&up, &down));
        }
    }
    let mut spend_gradients: Vec<Vec<f64>> = Vec::new();
    if let Some(spend) = spend_params {
        let (_, discounted) = purchase_parts(summary, &model, schedule);
        let values = [spend.p, spend.q, spend.v];
        for k in 0..3 {
            let at = |step: f64| {
                let v = shifted(&values, k, step);
                let perturbed = GammaGammaParams {
                    p: v[0],
                    q: v[1],
                    v: v[2],
                };
                let clv: Vec<f64> = order_values(summary, &perturbed)
                    .iter()
                    .zip(&discounted)
                    .map(|(v, d)| v * d)
                    .collect();
                group_sums(&clv, segment, groups)
            };
            let (up, down) = (at(LOG_STEP), at(-LOG_STEP));
            spend_gradients.push(
                up.iter()
                    .zip(&down)
                    .map(|(u, d)| (u - d) / (2.0 * LOG_STEP))
                    .collect(),
            );
        }
    }
    let variance = |gradients: &[Vec<f64>], covariance: &[f64], size: usize, g: usize| -> f64 {
        let mut total = 0.0;
        for k in 0..size {
            for l in 0..size {
                total += gradients[k][g] * gradients[l][g] * covariance[k * size + l];
            }
        }
        total
    };
    let interval = |estimate: f64, variance: f64| -> Interval {
        let (lower, upper) = if estimate > 0.0 {
            mle::log_interval(estimate, variance.max(0.0).sqrt() / estimate)
        } else {
            (estimate, estimate)
        };
        Interval {
            estimate,
            lower,
            upper,
        }
    };
    let mut customers = vec![0usize; groups + 1];
    for &g in segment {
        customers[g] += 1;
        customers[groups] += 1;
    }
    let group_totals = |g: usize| GroupTotals {
        segment: segment_names
            .get(g)
            .cloned()
            .unwrap_or_else(|| "All customers".to_string()),
        segment_code: segment_names
            .get(g)
            .and_then(|name| crate::rfm::segments::segment_info(name))
            .map(|info| info.code),
        customers: customers[g],
        expected_purchases: interval(
            purchases[g],
            variance(&purchase_gradients, purchase_covariance, 4, g),
        ),
        clv: clv
            .as_ref()
            .zip(spend_covariance)
            .map(|(clv, spend_covariance)| {
                interval(
                    clv[g],
                    variance(&clv_gradients, purchase_covariance, 4, g)
                        + variance(&spend_gradients, spend_covariance, 3, g),
                )
            }),
    };
    let mut segments: Vec<GroupTotals> = (0..groups)
        .filter(|&g| customers[g] > 0)
        .map(group_totals)
        .collect();
    segments.sort_by(|a, b| {
        let value = |t: &GroupTotals| t.clv.map_or(t.expected_purchases.estimate, |c| c.estimate);
        value(b).total_cmp(&value(a))
    });
    Some(TotalIntervals {
        method: "deltaMethod",
        level: 0.9,
        store: group_totals(groups),
        segments,
    })
}
