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
use super::histories::Histories;
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

/// The customers of one history in one group. The totals are sums over customers of model
/// figures that depend on the history alone, times the expected order value, which is linear in
/// the customer's m̄ (a credibility-weighted mean): so a cell's count, its customers with a
/// repeat spend and the sum of their m̄ are all the totals need of its customers.
struct Cell {
    history: u32,
    group: u32,
    customers: f64,
    spenders: f64,
    spend_sum: f64,
}

/// The cells of `histories` by `group`, built once for all the perturbed totals.
fn cells(summary: &CalibrationSummary, histories: &Histories, group: &[usize]) -> Vec<Cell> {
    let mut index = FxHashMap::<u64, u32>::default();
    let mut cells = Vec::new();
    for (i, &history) in histories.of_row.iter().enumerate() {
        let group = group[i] as u32;
        let next = cells.len() as u32;
        let cell = *index
            .entry(u64::from(history) << 32 | u64::from(group))
            .or_insert(next);
        if cell == next {
            cells.push(Cell {
                history,
                group,
                customers: 0.0,
                spenders: 0.0,
                spend_sum: 0.0,
            });
        }
        let cell = &mut cells[cell as usize];
        cell.customers += 1.0;
        let m = summary.monetary_mean[i];
        if m > 0.0 {
            cell.spenders += 1.0;
            cell.spend_sum += m;
        }
    }
    cells
}

/// Σ of the expected order values of a cell's customers: those without a repeat spend get the
/// population mean, the others the credibility-weighted mean of [`GammaGammaParams::expected_order_value`].
fn order_value_sum(spend: &GammaGammaParams, x: f64, cell: &Cell) -> f64 {
    let GammaGammaParams { p, q, .. } = *spend;
    let population = spend.population_mean();
    let individual_weight = p * x / (p * x + q - 1.0);
    (cell.customers - cell.spenders) * population
        + cell.spenders * (1.0 - individual_weight) * population
        + individual_weight * cell.spend_sum
}

/// Per history: P(alive) × expected purchases over the horizon, and margin × P(alive) ×
/// discounted purchases (CLV divided by the expected order value).
fn purchase_parts(
    histories: &Histories,
    model: &PurchaseModel,
    schedule: &ClvSchedule,
) -> (Vec<f64>, Vec<f64>) {
    let horizon = schedule.horizon_days / schedule.period_days;
    let future = histories.per_pair(|x, age| model.expected_purchases_if_alive(horizon, x, age));
    let discounted_future =
        histories.per_pair(|x, age| schedule.discounted_purchases_if_alive(model, x, age));
    let alive = histories.per_history(|x, t_x, age| model.p_alive(x, t_x, age));
    (0..histories.len())
        .map(|h| {
            let pair = histories.pair[h] as usize;
            (
                alive[h] * future[pair],
                schedule.margin * alive[h] * discounted_future[pair],
            )
        })
        .unzip()
}

/// Σ per group (the last group is everyone) of the finite `value(cell)`.
fn group_sums(cells: &[Cell], groups: usize, value: impl Fn(&Cell) -> f64) -> Vec<f64> {
    let mut sums = vec![0.0; groups + 1];
    for cell in cells {
        let v = value(cell);
        if v.is_finite() {
            sums[cell.group as usize] += v;
            sums[groups] += v;
        }
    }
    sums
}

/// Σ per group of the CLV at `spend`, given the per-history `discounted` of [`purchase_parts`].
fn clv_sums(
    (histories, cells, groups): (&Histories, &[Cell], usize),
    discounted: &[f64],
    spend: &GammaGammaParams,
) -> Vec<f64> {
    group_sums(cells, groups, |cell| {
        let h = cell.history as usize;
        discounted[h] * order_value_sum(spend, histories.frequency[h], cell)
    })
}

/// Group totals of (expected purchases, CLV) at the given models.
fn totals(
    grouped: (&Histories, &[Cell], usize),
    model: &PurchaseModel,
    spend: Option<&GammaGammaParams>,
    schedule: &ClvSchedule,
) -> (Vec<f64>, Option<Vec<f64>>) {
    let (histories, cells, groups) = grouped;
    let (purchases, discounted) = purchase_parts(histories, model, schedule);
    let clv = spend.map(|spend| clv_sums(grouped, &discounted, spend));
    let purchases = group_sums(cells, groups, |cell| {
        cell.customers * purchases[cell.history as usize]
    });
    (purchases, clv)
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
    histories: &Histories,
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
    let cells = cells(summary, histories, segment);
    let grouped = (histories, &cells[..], groups);
    let model = fitted.model;
    let spend_params = spend.map(|fit| fit.params);
    let (purchases, clv) = totals(grouped, &model, spend_params.as_ref(), schedule);
    // Gradients of every group total, per parameter: 4 purchase parameters, then 3 spend ones.
    let mut purchase_gradients: Vec<Vec<f64>> = Vec::new();
    let mut clv_gradients: Vec<Vec<f64>> = Vec::new();
    let values = model.values();
    for k in 0..4 {
        let at = |step: f64| {
            let perturbed = model.with_values(&shifted(&values, k, step));
            totals(grouped, &perturbed, spend_params.as_ref(), schedule)
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
        let (_, discounted) = purchase_parts(histories, &model, schedule);
        let values = [spend.p, spend.q, spend.v];
        for k in 0..3 {
            let at = |step: f64| {
                let v = shifted(&values, k, step);
                let perturbed = GammaGammaParams {
                    p: v[0],
                    q: v[1],
                    v: v[2],
                };
                clv_sums(grouped, &discounted, &perturbed)
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
