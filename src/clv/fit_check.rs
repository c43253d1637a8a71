//! What the page shows to judge the purchase model's fit: repeat purchases per period, actual
//! against the model, over the calibration period and the holdout (the "tracking" chart the CLV
//! papers lead with), and the number of customers by calibration repeat purchases, actual against
//! what the model expects for customers of the same ages (`lifetimes`' `plot_period_transactions`).

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::book::{CustomerOrders, OrderBook, OrderKind};
use crate::day::Day;

use super::model::PurchaseModel;
use super::summary::CalibrationSummary;
use super::synthetic::Random;

/// Calibration frequencies 0..=6 get a bar each; 7 and more share the last.
const FREQUENCY_BARS: usize = 8;
/// Simulated customer histories behind the expected bars (spread over the customers).
const SIMULATED_HISTORIES: usize = 20_000;
/// Customers simulated at most (the others are represented by those, evenly spread).
const SIMULATED_CUSTOMERS: usize = 10_000;
/// Most periods in the tracking series (a decade of weeks).
const MAX_PERIODS: usize = 530;

/// One period of the tracking series.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingPeriod {
    /// First day of the period ('YYYY-MM-DD').
    pub start: String,
    /// Repeat purchases (purchase days after a customer's first) of the calibration customers.
    pub actual: f64,
    /// What the model expects of customers who first bought when they did.
    pub expected: f64,
    pub cumulative_actual: f64,
    pub cumulative_expected: f64,
    /// Whether the period is in the holdout (after the calibration end).
    pub holdout: bool,
}

/// Customers by calibration repeat purchases.
#[derive(Clone, Debug, Serialize)]
pub struct FrequencyBar {
    /// "0" … "6", then "7+".
    pub frequency: String,
    pub actual: f64,
    pub expected: f64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FitCheck {
    pub period_days: f64,
    pub tracking: Vec<TrackingPeriod>,
    pub frequencies: Vec<FrequencyBar>,
}

/// The fit check of `model` on the calibration customers of `summary`, the tracking series
/// running to `end` (the holdout end, or the calibration end).
pub fn fit_check(
    book: &OrderBook,
    orders: &CustomerOrders,
    summary: &CalibrationSummary,
    model: &PurchaseModel,
    end: i32,
) -> FitCheck {
    FitCheck {
        period_days: summary.period_days,
        tracking: tracking(book, orders, summary, model, end),
        frequencies: frequencies(summary, model),
    }
}

fn tracking(
    book: &OrderBook,
    orders: &CustomerOrders,
    summary: &CalibrationSummary,
    model: &PurchaseModel,
    end: i32,
) -> Vec<TrackingPeriod> {
    let Some(&start) = summary.first_purchase_day.iter().min() else {
        return Vec::new();
    };
    let period_days = summary.period_days;
    let periods = (((end - start + 1) as f64 / period_days).ceil() as usize).clamp(1, MAX_PERIODS);
    let period_of = |day: i32| ((day - start) as f64 / period_days).floor() as usize;
    let mut actual = vec![0.0; periods];
    for (i, &customer) in summary.customer.iter().enumerate() {
        let first = summary.first_purchase_day[i];
        let mut last_day = first;
        for &order in orders.of(customer as usize) {
            let order = order as usize;
            let day = book.day[order];
            if book.kind[order] != OrderKind::Purchase || day <= last_day {
                continue;
            }
            if day > end {
                break;
            }
            last_day = day;
            if let Some(slot) = actual.get_mut(period_of(day)) {
                *slot += 1.0;
            }
        }
    }
    // Customers by first purchase day: the model's expectation depends on nothing else.
    let mut cohorts = FxHashMap::<i32, f64>::default();
    for &day in &summary.first_purchase_day {
        *cohorts.entry(day).or_default() += 1.0;
    }
    // A new customer's expected repeat purchases after a whole number of days, each computed once:
    // cohorts × periods would be thousands of series, the distinct day counts are the span's.
    let mut by_age = vec![f64::NAN; (end - start).max(0) as usize + 1];
    let mut expected_after = |days: i32| {
        let slot = &mut by_age[days as usize];
        if slot.is_nan() {
            *slot = model.expected_purchases(days as f64 / period_days);
        }
        *slot
    };
    let mut tracking = Vec::with_capacity(periods);
    let (mut cumulative_actual, mut previous_expected) = (0.0, 0.0);
    for (k, &actual) in actual.iter().enumerate() {
        let period_start = start + (k as f64 * period_days).round() as i32;
        let period_end = (start + ((k + 1) as f64 * period_days).round() as i32 - 1).min(end);
        // Repeat purchases by the end of the period's last day, from day 0 of each cohort.
        let cumulative_expected: f64 = cohorts
            .iter()
            .filter(|&(&first, _)| first < period_end)
            .map(|(&first, &count)| count * expected_after(period_end - first))
            .filter(|v| v.is_finite())
            .sum();
        cumulative_actual += actual;
        tracking.push(TrackingPeriod {
            start: Day(period_start).to_string(),
            actual,
            expected: cumulative_expected - previous_expected,
            cumulative_actual,
            cumulative_expected,
            holdout: period_start > summary.calibration_end,
        });
        previous_expected = cumulative_expected;
    }
    tracking
}

/// Repeat purchases in (0, `age`] of a customer drawn from the model, counted up to `cap`.
fn simulate(model: &PurchaseModel, age: f64, cap: usize, random: &mut Random) -> usize {
    let values = model.values();
    let rate = random.gamma(values[0]) / values[1];
    // Time of dropout (∞ when it can only come after a purchase) and the dropout chance per
    // purchase (0 for Pareto/NBD).
    let (mut lifetime, dropout) = match model {
        PurchaseModel::ParetoNbd(p) => (random.exponential() / (random.gamma(p.s) / p.beta), 0.0),
        PurchaseModel::BgNbd(p) => (f64::INFINITY, random.beta(p.a, p.b)),
        PurchaseModel::MbgNbd(p) => (f64::INFINITY, random.beta(p.a, p.b)),
    };
    if matches!(model, PurchaseModel::MbgNbd(_)) && random.uniform() < dropout {
        lifetime = 0.0;
    }
    let horizon = age.min(lifetime);
    let (mut time, mut count) = (0.0, 0);
    while count < cap {
        time += random.exponential() / rate;
        if time > horizon {
            break;
        }
        count += 1;
        if random.uniform() < dropout {
            break;
        }
    }
    count
}

fn frequencies(summary: &CalibrationSummary, model: &PurchaseModel) -> Vec<FrequencyBar> {
    let n = summary.len();
    let cap = FREQUENCY_BARS - 1;
    let mut actual = [0.0; FREQUENCY_BARS];
    for &x in &summary.frequency {
        actual[(x as usize).min(cap)] += 1.0;
    }
    let mut expected = [0.0; FREQUENCY_BARS];
    let stride = n.div_ceil(SIMULATED_CUSTOMERS).max(1);
    let sampled: Vec<usize> = (0..n).step_by(stride).collect();
    let repeats = SIMULATED_HISTORIES.div_ceil(sampled.len().max(1)).max(1);
    let weight = n as f64 / (sampled.len() * repeats).max(1) as f64;
    let mut random = Random::new(18);
    for &i in &sampled {
        for _ in 0..repeats {
            expected[simulate(model, summary.age(i), cap, &mut random)] += weight;
        }
    }
    (0..FREQUENCY_BARS)
        .map(|k| FrequencyBar {
            frequency: if k == cap {
                format!("{k}+")
            } else {
                k.to_string()
            },
            actual: actual[k],
            expected: expected[k],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clv::BgNbdParams;
    use crate::clv::pareto_nbd::ParetoNbdParams;

    #[test]
    fn simulated_purchases_have_the_models_mean() {
        let models = [
            PurchaseModel::BgNbd(BgNbdParams {
                r: 0.243,
                alpha: 4.414,
                a: 0.793,
                b: 2.426,
            }),
            PurchaseModel::ParetoNbd(ParetoNbdParams {
                r: 0.553,
                alpha: 10.578,
                s: 0.606,
                beta: 11.669,
            }),
            PurchaseModel::MbgNbd(crate::clv::MbgNbdParams {
                r: 0.525,
                alpha: 6.183,
                a: 0.891,
                b: 1.614,
            }),
        ];
        for model in models {
            let mut random = Random::new(7);
            let draws = 200_000;
            let mean = (0..draws)
                .map(|_| simulate(&model, 39.0, usize::MAX, &mut random) as f64)
                .sum::<f64>()
                / draws as f64;
            let expected = model.expected_purchases(39.0);
            assert!(
                (mean - expected).abs() < 0.02 * expected,
                "{model:?}: {mean} vs {expected}"
            );
        }
    }
}
