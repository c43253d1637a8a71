//! The holdout check: fit on purchases up to the calibration end, then compare the model's
//! expected repeat purchases over (calibration end, holdout end] with what customers actually
//! did — in total and by calibration frequency, the comparison Fader, Hardie & Lee show to judge
//! the model.

use serde::Serialize;

use crate::book::{CustomerOrders, OrderBook, OrderKind};
use crate::day::Day;

use super::summary::CalibrationSummary;

/// Calibration frequencies 0..=6 get a bucket each; 7 and more share the last one.
pub const FREQUENCY_BUCKETS: usize = 8;

/// Predicted against actual repeat purchases in the holdout period.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HoldoutCheck {
    /// First and last day of the holdout ('YYYY-MM-DD', inclusive).
    pub start: String,
    pub end: String,
    pub days: i32,
    /// Holdout length in model periods.
    pub periods: f64,
    pub customers: usize,
    /// Purchase days in the holdout, summed over the calibration customers.
    pub actual: f64,
    /// Σ conditional expected purchases over the holdout length.
    pub predicted: f64,
    /// (predicted − actual) / actual; `None` when nobody bought.
    pub relative_error: Option<f64>,
    pub by_frequency: Vec<HoldoutBucket>,
}

/// Customers with the same number of calibration repeat purchases.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HoldoutBucket {
    /// "0" … "6", then "7+".
    pub frequency: String,
    pub customers: usize,
    pub actual: f64,
    pub predicted: f64,
    /// Per customer in the bucket.
    pub actual_mean: f64,
    pub predicted_mean: f64,
}

/// Purchase days in (calibration end, holdout end] of each customer in `summary`, in its order.
/// Several orders on one day are one purchase, as in the calibration summary.
pub fn holdout_purchases(
    book: &OrderBook,
    orders: &CustomerOrders,
    summary: &CalibrationSummary,
    holdout_end: i32,
) -> Vec<u32> {
    summary
        .customer
        .iter()
        .map(|&customer| {
            let mut count = 0;
            let mut last_day = summary.calibration_end;
            for &order in orders.of(customer as usize) {
                let order = order as usize;
                let day = book.day[order];
                if book.kind[order] != OrderKind::Purchase || day <= summary.calibration_end {
                    continue;
                }
                if day > holdout_end {
                    break;
                }
                if day != last_day {
                    count += 1;
                    last_day = day;
                }
            }
            count
        })
        .collect()
}

/// Totals and per-frequency buckets of `actual` against `predicted` (both per summary row).
pub fn holdout_check(
    summary: &CalibrationSummary,
    holdout_end: i32,
    actual: &[u32],
    predicted: &[f64],
) -> HoldoutCheck {
    let mut buckets: Vec<HoldoutBucket> = (0..FREQUENCY_BUCKETS)
        .map(|k| HoldoutBucket {
            frequency: if k + 1 == FREQUENCY_BUCKETS {
                format!("{k}+")
            } else {
                k.to_string()
            },
            customers: 0,
            actual: 0.0,
            predicted: 0.0,
            actual_mean: 0.0,
            predicted_mean: 0.0,
        })
        .collect();
    for i in 0..summary.len() {
        let bucket = &mut buckets[(summary.frequency[i] as usize).min(FREQUENCY_BUCKETS - 1)];
        bucket.customers += 1;
        bucket.actual += actual[i] as f64;
        bucket.predicted += predicted[i];
    }
    for bucket in &mut buckets {
        if bucket.customers > 0 {
            bucket.actual_mean = bucket.actual / bucket.customers as f64;
            bucket.predicted_mean = bucket.predicted / bucket.customers as f64;
        }
    }
    let total_actual: f64 = buckets.iter().map(|b| b.actual).sum();
    let total_predicted: f64 = buckets.iter().map(|b| b.predicted).sum();
    let days = holdout_end - summary.calibration_end;
    HoldoutCheck {
        start: Day(summary.calibration_end + 1).to_string(),
        end: Day(holdout_end).to_string(),
        days,
        periods: days as f64 / summary.period_days,
        customers: summary.len(),
        actual: total_actual,
        predicted: total_predicted,
        relative_error: (total_actual > 0.0)
            .then(|| (total_predicted - total_actual) / total_actual),
        by_frequency: buckets,
    }
}

#[cfg(test)]
mod tests {
    use super::super::summary::calibration_summary;
    use super::*;
    use OrderKind::{Purchase, Return};

    #[test]
    fn counts_distinct_purchase_days_inside_the_window() {
        let book = OrderBook::from_orders([
            (Some("a"), 0, 1.0, Purchase),
            (Some("a"), 10, 1.0, Purchase), // calibration end day: not holdout
            (Some("a"), 11, 1.0, Purchase),
            (Some("a"), 11, 1.0, Purchase), // same day: one purchase
            (Some("a"), 12, -1.0, Return),
            (Some("a"), 20, 1.0, Purchase), // holdout end day: counted
            (Some("a"), 21, 1.0, Purchase), // after the holdout
            (Some("b"), 3, 1.0, Purchase),
            (Some("c"), 15, 1.0, Purchase), // not a calibration customer
        ]);
        let orders = book.customer_orders();
        let summary = calibration_summary(&book, &orders, 10, 1.0);
        assert_eq!(holdout_purchases(&book, &orders, &summary, 20), [2, 0]);
    }

    #[test]
    fn buckets_split_by_calibration_frequency() {
        let summary = CalibrationSummary {
            calibration_end: 100,
            period_days: 7.0,
            customer: vec![0, 1, 2, 3],
            frequency: vec![0, 0, 3, 12],
            first_purchase_day: vec![0; 4],
            last_purchase_day: vec![0; 4],
            monetary_mean: vec![0.0; 4],
        };
        let check = holdout_check(&summary, 114, &[0, 1, 2, 5], &[0.2, 0.3, 1.5, 6.0]);
        assert_eq!((check.days, check.periods, check.customers), (14, 2.0, 4));
        assert_eq!((check.actual, check.predicted), (8.0, 8.0));
        assert_eq!(check.relative_error, Some(0.0));
        let labels: Vec<&str> = check
            .by_frequency
            .iter()
            .map(|b| b.frequency.as_str())
            .collect();
        assert_eq!(labels, ["0", "1", "2", "3", "4", "5", "6", "7+"]);
        let zero = &check.by_frequency[0];
        assert_eq!(
            (zero.customers, zero.actual, zero.actual_mean),
            (2, 1.0, 0.5)
        );
        assert!((zero.predicted_mean - 0.25).abs() < 1e-12);
        assert_eq!(check.by_frequency[7].customers, 1);
        assert_eq!(check.start, "1970-04-12"); // day 101
    }
}
