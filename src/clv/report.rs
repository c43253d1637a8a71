//! The small result `book.clv(…)` hands to JavaScript: fitted parameters, warnings, totals, the
//! CLV histogram, the P(alive) and expected-purchases matrices, the holdout check and three short customer lists. No
//! per-customer arrays: those leave through the CSV export.

use serde::Serialize;

use crate::book::OrderBook;
use crate::day::Day;

use super::ClvWarning;
use super::analysis::ClvAnalysis;
use super::bgnbd::BgNbdFit;
use super::choice::ModelChoice;
use super::fit_check::FitCheck;
use super::gamma_gamma::GammaGammaFit;
use super::holdout::HoldoutCheck;
use super::intervals::TotalIntervals;
use super::mbg_nbd::MbgNbdFit;
use super::model::{ModelKind, PurchaseFit};
use super::pareto_nbd::ParetoNbdFit;

/// Customers per exported list.
pub const TOP_LIST_LENGTH: usize = 20;
/// Bars in the CLV histogram (the last one open-ended).
pub const HISTOGRAM_BINS: usize = 20;
/// The histogram's regular bins span CLVs up to this quantile; the rest fall in the last bar.
const HISTOGRAM_QUANTILE: f64 = 0.99;
/// Largest frequency × recency matrix: frequencies 0..=40, 53 recency columns (a year of weeks).
const MATRIX_MAX_FREQUENCY: u32 = 40;
const MATRIX_COLUMNS: usize = 53;
/// "At risk" means more likely gone than not.
const AT_RISK_P_ALIVE: f64 = 0.5;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClvReport {
    pub calibration_end: String,
    pub holdout_end: Option<String>,
    pub period_days: f64,
    pub horizon_days: f64,
    /// Whole 30-day months in the CLV sum.
    pub months: u32,
    pub monthly_discount_rate: f64,
    pub margin: f64,
    /// The purchase model the customers were scored with.
    pub model: ModelKind,
    /// How it was chosen, with `model: 'auto'`.
    pub model_choice: Option<ModelChoice>,
    /// The fits made (without their warnings, which are in `warnings` for the chosen model).
    pub bgnbd: Option<BgNbdFit>,
    pub mbg_nbd: Option<MbgNbdFit>,
    pub pareto_nbd: Option<ParetoNbdFit>,
    pub gamma_gamma: Option<GammaGammaFit>,
    pub warnings: Vec<ClvWarning>,
    pub customers: ClvTotals,
    pub distribution: ClvHistogram,
    pub p_alive_matrix: FrequencyRecencyMatrix,
    /// Expected repeat purchases over the horizon, on the same grid.
    pub expected_purchases_matrix: FrequencyRecencyMatrix,
    pub holdout: Option<HoldoutCheck>,
    /// 90% intervals of the totals, overall and per RFM segment (with `intervals: true`).
    pub intervals: Option<TotalIntervals>,
    /// Actual against modelled repeat purchases: per period over calibration and holdout, and
    /// customers by calibration repeat purchases.
    pub fit_check: FitCheck,
    pub top: TopLists,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClvTotals {
    /// Customers with a purchase on or before the calibration end (the rows of the CSV).
    pub customers: usize,
    pub repeat_buyers: usize,
    /// Customers whose first purchase came after the calibration end (not scored).
    pub after_calibration: usize,
    pub mean_p_alive: f64,
    /// Σ expected repeat purchases over the horizon.
    pub expected_purchases: f64,
    /// Σ P(purchase in the next 30 days): the expected number of buying customers.
    pub expected_buyers_30d: f64,
    /// Customers with P(purchase in the next 30 days) ≥ ½.
    pub likely_buyers_30d: usize,
    pub total_clv: Option<f64>,
    pub mean_clv: Option<f64>,
    pub median_clv: Option<f64>,
}

/// Counts of customers by CLV: bar i covers [edges[i], edges[i+1]), the last bar also holds
/// everything above its upper edge (`lastBarOpen`).
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClvHistogram {
    pub edges: Vec<f64>,
    pub counts: Vec<usize>,
    pub last_bar_open: bool,
}

/// A prediction for customers of age `age` (the oldest customer's T) by frequency (rows) and
/// recency (columns, in periods): P(alive), the BG/NBD paper's picture of who is probably gone,
/// and the expected purchases over the horizon (`lifetimes`' frequency/recency matrix), which
/// says where the coming orders will come from.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FrequencyRecencyMatrix {
    pub age: f64,
    pub frequencies: Vec<u32>,
    pub recencies: Vec<f64>,
    /// values[row][column]
    pub values: Vec<Vec<f64>>,
}

#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TopLists {
    /// Highest P(purchase in the next 30 days).
    pub likely_to_buy: Vec<TopCustomer>,
    /// P(alive) < ½, ranked by the CLV they would have if still active.
    pub high_value_at_risk: Vec<TopCustomer>,
    pub top_clv: Vec<TopCustomer>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TopCustomer {
    pub customer_id: String,
    pub frequency: u32,
    pub last_purchase: String,
    pub p_alive: f64,
    pub expected_purchases: f64,
    pub expected_order_value: Option<f64>,
    pub clv: Option<f64>,
    pub clv_if_active: Option<f64>,
    pub p_purchase_30d: f64,
    pub next_order_date: Option<String>,
}

impl ClvAnalysis {
    /// The aggregates for the UI; `book` supplies the customer ids.
    pub fn report(&self, book: &OrderBook) -> ClvReport {
        let scores = &self.scores;
        let n = self.summary.len();
        // Customers whose expected purchases did not settle (NaN, see the `series_not_converged`
        // warning) have no CLV and are left out of the totals.
        let clvs: Vec<f64> = scores.clv.iter().flatten().copied().collect();
        let has_clv = !clvs.is_empty();
        let total_clv: f64 = clvs.iter().sum();
        let totals = ClvTotals {
            customers: n,
            repeat_buyers: self.summary.frequency.iter().filter(|&&x| x > 0).count(),
            after_calibration: self.customers_after_calibration,
            mean_p_alive: scores.p_alive.iter().sum::<f64>() / n.max(1) as f64,
            expected_purchases: scores
                .expected_purchases
                .iter()
                .filter(|v| v.is_finite())
                .sum(),
            expected_buyers_30d: scores.p_purchase_30d.iter().sum(),
            likely_buyers_30d: scores.p_purchase_30d.iter().filter(|&&p| p >= 0.5).count(),
            total_clv: has_clv.then_some(total_clv),
            mean_clv: has_clv.then(|| total_clv / clvs.len() as f64),
            median_clv: has_clv
                .then(|| crate::lifecycle::median(&mut clvs.to_vec()))
                .flatten(),
        };
        ClvReport {
            calibration_end: Day(self.summary.calibration_end).to_string(),
            holdout_end: self.holdout.as_ref().map(|h| h.end.clone()),
            period_days: self.schedule.period_days,
            horizon_days: self.schedule.horizon_days,
            months: self.schedule.months,
            monthly_discount_rate: self.schedule.monthly_discount_rate,
            margin: self.schedule.margin,
            model: self.model.kind(),
            model_choice: self.choice.clone(),
            bgnbd: self.fits.bgnbd.as_ref().map(without_warnings),
            mbg_nbd: self.fits.mbg_nbd.as_ref().map(without_warnings),
            pareto_nbd: self.fits.pareto_nbd.as_ref().map(without_warnings),
            gamma_gamma: self.gamma_gamma.as_ref().map(|fit| GammaGammaFit {
                warnings: Vec::new(),
                ..fit.clone()
            }),
            warnings: self.warnings.clone(),
            customers: totals,
            distribution: if has_clv {
                histogram(&clvs)
            } else {
                ClvHistogram::default()
            },
            p_alive_matrix: self.matrix(|x, t_x, age| self.model.p_alive(x, t_x, age)),
            expected_purchases_matrix: self.matrix(|x, t_x, age| {
                let horizon = self.schedule.horizon_days / self.schedule.period_days;
                self.model
                    .conditional_expected_purchases(horizon, x, t_x, age)
            }),
            holdout: self.holdout.clone(),
            intervals: self.intervals.clone(),
            fit_check: self.fit_check.clone(),
            top: self.top_lists(book),
        }
    }

    /// `cell(x, t_x, T)` over the frequencies of the summary (up to 40) and the recencies of its
    /// oldest customer.
    fn matrix(&self, cell: impl Fn(f64, f64, f64) -> f64) -> FrequencyRecencyMatrix {
        let age = (0..self.summary.len())
            .map(|i| self.summary.age(i))
            .fold(0.0, f64::max);
        frequency_recency_matrix(&self.summary.frequency, age, cell)
    }

    fn top_lists(&self, book: &OrderBook) -> TopLists {
        let scores = &self.scores;
        let n = self.summary.len();
        let or_zero = |v: Option<f64>| v.unwrap_or(0.0);
        let likely: Vec<(f64, f64)> = (0..n)
            .map(|i| (scores.p_purchase_30d[i], or_zero(scores.clv[i])))
            .collect();
        let at_risk: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                if self.summary.frequency[i] > 0 && scores.p_alive[i] < AT_RISK_P_ALIVE {
                    (or_zero(scores.clv_if_active[i]), -scores.p_alive[i])
                } else {
                    (f64::NAN, 0.0) // not at risk: left out
                }
            })
            .collect();
        let valuable: Vec<(f64, f64)> = (0..n)
            .map(|i| (or_zero(scores.clv[i]), scores.expected_purchases[i]))
            .collect();
        TopLists {
            likely_to_buy: self.top(book, &likely),
            high_value_at_risk: self.top(book, &at_risk),
            top_clv: self.top(book, &valuable),
        }
    }

    /// The `TOP_LIST_LENGTH` rows with the largest `keys` (compared in order, then by customer
    /// id for a stable order); rows whose first key is NaN are left out. Keys are precomputed so
    /// that one copy of the selection code serves all three lists.
    fn top(&self, book: &OrderBook, keys: &[(f64, f64)]) -> Vec<TopCustomer> {
        let id = |i: usize| &book.customer_ids[self.summary.customer[i] as usize];
        let order = |&i: &usize, &j: &usize| {
            let (a, b) = (keys[i], keys[j]);
            b.0.total_cmp(&a.0)
                .then(b.1.total_cmp(&a.1))
                .then_with(|| id(i).cmp(id(j)))
        };
        let mut rows: Vec<usize> = (0..keys.len()).filter(|&i| !keys[i].0.is_nan()).collect();
        if rows.len() > TOP_LIST_LENGTH {
            rows.select_nth_unstable_by(TOP_LIST_LENGTH - 1, order);
            rows.truncate(TOP_LIST_LENGTH);
        }
        rows.sort_by(order);
        let scores = &self.scores;
        rows.into_iter()
            .map(|i| TopCustomer {
                customer_id: id(i).to_string(),
                frequency: self.summary.frequency[i],
                last_purchase: Day(self.summary.last_purchase_day[i]).to_string(),
                p_alive: scores.p_alive[i],
                expected_purchases: scores.expected_purchases[i],
                expected_order_value: scores.expected_order_value[i],
                clv: scores.clv[i],
                clv_if_active: scores.clv_if_active[i],
                p_purchase_30d: scores.p_purchase_30d[i],
                next_order_date: scores.next_order_day[i].map(|day| Day(day).to_string()),
            })
            .collect()
    }
}

fn without_warnings<P: Clone>(fit: &PurchaseFit<P>) -> PurchaseFit<P> {
    PurchaseFit {
        warnings: Vec::new(),
        ..fit.clone()
    }
}

/// `HISTOGRAM_BINS` equal bars from 0 (or the smallest CLV, if negative) to a round number at or
/// above the 99th percentile, the last bar holding everything beyond.
fn histogram(values: &[f64]) -> ClvHistogram {
    let mut reordered = values.to_vec();
    let at = ((values.len() - 1) as f64 * HISTOGRAM_QUANTILE).round() as usize;
    let quantile = *reordered.select_nth_unstable_by(at, f64::total_cmp).1;
    let low = values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let highest = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let width = nice_width((quantile - low) / HISTOGRAM_BINS as f64);
    let edges: Vec<f64> = (0..=HISTOGRAM_BINS)
        .map(|i| low + i as f64 * width)
        .collect();
    let mut counts = vec![0; HISTOGRAM_BINS];
    for &v in values {
        let bin = (((v - low) / width).floor().max(0.0) as usize).min(HISTOGRAM_BINS - 1);
        counts[bin] += 1;
    }
    ClvHistogram {
        edges,
        counts,
        last_bar_open: highest >= low + HISTOGRAM_BINS as f64 * width,
    }
}

/// The smallest of 1, 2, 2.5, 5 × 10ᵏ at or above `raw` (a bar width a person can read).
fn nice_width(raw: f64) -> f64 {
    if !(raw > 0.0 && raw.is_finite()) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&w| w >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * magnitude)
}

fn frequency_recency_matrix(
    frequencies: &[u32],
    age: f64,
    cell: impl Fn(f64, f64, f64) -> f64,
) -> FrequencyRecencyMatrix {
    let max_frequency = frequencies
        .iter()
        .copied()
        .max()
        .unwrap_or(0)
        .min(MATRIX_MAX_FREQUENCY);
    let columns = (age.ceil() as usize + 1).clamp(2, MATRIX_COLUMNS);
    let recencies: Vec<f64> = (0..columns)
        .map(|j| age * j as f64 / (columns - 1) as f64)
        .collect();
    let values = (0..=max_frequency)
        .map(|x| {
            recencies
                .iter()
                .map(|&t_x| cell(x as f64, t_x, age))
                .collect()
        })
        .collect();
    FrequencyRecencyMatrix {
        age,
        frequencies: (0..=max_frequency).collect(),
        recencies,
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_widths() {
        let cases = [
            (0.7, 1.0),
            (1.2, 2.0),
            (2.1, 2.5),
            (3.0, 5.0),
            (7.0, 10.0),
            (130.0, 200.0),
            (0.0, 1.0),
        ];
        for (raw, expected) in cases {
            assert!((nice_width(raw) - expected).abs() < 1e-9, "{raw}");
        }
    }

    #[test]
    fn histogram_counts_every_value_once() {
        let mut values: Vec<f64> = (0..1000).map(|i| i as f64 / 10.0).collect();
        values.push(10_000.0);
        let histogram = histogram(&values);
        assert_eq!(histogram.counts.iter().sum::<usize>(), values.len());
        assert_eq!(histogram.edges.len(), HISTOGRAM_BINS + 1);
        assert!(histogram.last_bar_open);
        assert_eq!(histogram.edges[0], 0.0);
    }

    #[test]
    fn matrix_shape_and_monotonicity() {
        let model = super::super::PurchaseModel::BgNbd(super::super::BgNbdParams {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        });
        let matrix =
            frequency_recency_matrix(&[0, 3, 90], 38.86, |x, t_x, age| model.p_alive(x, t_x, age));
        assert_eq!(matrix.values.len(), 41);
        assert_eq!(matrix.recencies.len(), 40);
        assert!(matrix.values[0].iter().all(|&p| p == 1.0));
        // More recent last purchase → more likely alive.
        let row = &matrix.values[5];
        assert!(row.windows(2).all(|w| w[0] <= w[1]));
        // Expected purchases over a year of weeks: P(alive) × the alive customer's expectation,
        // rising with recency along a row and with frequency for a recent last purchase.
        let expected = frequency_recency_matrix(&[0, 3, 90], 38.86, |x, t_x, age| {
            model.conditional_expected_purchases(52.0, x, t_x, age)
        });
        let alive_future = model.expected_purchases_if_alive(52.0, 5.0, 38.86);
        for (j, &p) in row.iter().enumerate() {
            assert!((expected.values[5][j] - p * alive_future).abs() < 1e-12);
        }
        assert!(expected.values[5].windows(2).all(|w| w[0] <= w[1]));
        let last = expected.recencies.len() - 1;
        assert!(expected.values[10][last] > expected.values[5][last]);
    }
}
