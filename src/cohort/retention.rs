//! Retention and churn rates as marketers compute them, per period or over a chosen range.
//!
//! Definitions (W = the activity window in days, default 365):
//! - a customer is **active at day d** when they have a purchase on some day p with
//!   d − W < p ≤ d (returns do not count);
//! - for a period running from day `a` to day `b`:
//!   **S** = customers active at the period's start, i.e. at the end of day a − 1, before any of
//!   the period's orders; **E** = customers active at its end, day b (or the data's last day
//!   when the period runs past it); **N** = customers acquired during it (first purchase in a..=b);
//! - **retention rate** = (E − N) / S and **churn rate** = (S − E) / S; both are `None` when
//!   S = 0 (nobody could be retained).
//!
//! E − N counts the customers active at the end who were acquired before the period; it can
//! include customers who were inactive at the start and came back, which is why the two rates
//! need not add up to 1. With W shorter than the period, a customer acquired early in the period
//! may no longer be active at its end, so E − N can even be negative: W ≥ the period length is
//! the sensible choice. S, E and N are returned with the rates so a person can check the sums.

use serde::Serialize;

use super::period::{Period, serialize_day};
use super::{CohortError, first_purchase_position};
use crate::book::{CustomerOrders, OrderBook, OrderKind, format_day};

/// The activity window used when the caller does not choose one: a purchase within a year.
pub const DEFAULT_ACTIVE_WINDOW_DAYS: u32 = 365;

/// Retention and churn per period: `book.retentionRates({ period, activeWindowDays })`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetentionSeries {
    pub period: Period,
    pub active_window_days: u32,
    /// From the period of the first purchase to the period of the data's last day.
    pub periods: Vec<RetentionPeriod>,
}

/// S, E, N and the rates of one period (or of a chosen range of days).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetentionPeriod {
    /// First day of the period.
    #[serde(serialize_with = "serialize_day")]
    pub start: i32,
    /// The day E is measured at: the period's last day, or the data's last day if earlier.
    #[serde(serialize_with = "serialize_day")]
    pub end: i32,
    /// `2011-01`, `2011-Q1`, `2021-W01`, or `2011-01-01..2011-06-30` for a chosen range.
    pub label: String,
    /// True when the data ends before the period does.
    pub incomplete: bool,
    /// S: customers active at the end of the day before `start`.
    pub active_at_start: u32,
    /// E: customers active at the end of `end`.
    pub active_at_end: u32,
    /// N: customers whose first purchase falls in `start..=end`.
    pub acquired: u32,
    /// (E − N) / S, `None` when S = 0.
    pub retention_rate: Option<f64>,
    /// (S − E) / S, `None` when S = 0.
    pub churn_rate: Option<f64>,
}

impl RetentionPeriod {
    fn new(start: i32, end: i32, label: String, incomplete: bool, s: u32, e: u32, n: u32) -> Self {
        let (retention_rate, churn_rate) = if s == 0 {
            (None, None)
        } else {
            let s_f = f64::from(s);
            (
                Some((f64::from(e) - f64::from(n)) / s_f),
                Some((s_f - f64::from(e)) / s_f),
            )
        };
        RetentionPeriod {
            start,
            end,
            label,
            incomplete,
            active_at_start: s,
            active_at_end: e,
            acquired: n,
            retention_rate,
            churn_rate,
        }
    }
}

fn check_window(active_window_days: u32) -> Result<(), CohortError> {
    if active_window_days == 0 {
        return Err(CohortError::InvalidActiveWindow(0.0));
    }
    Ok(())
}

/// Counts, for each checkpoint day (sorted ascending), the customers active at its end.
///
/// Each purchase keeps its customer active for the W days `p..=p + W − 1`; a customer's
/// overlapping spans are merged first so they count once, then each span adds 1 to the
/// checkpoints it covers through a difference array.
pub fn active_counts(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    checkpoints: &[i32],
    active_window_days: u32,
) -> Vec<u32> {
    let mut difference = vec![0i64; checkpoints.len() + 1];
    let window = i64::from(active_window_days);
    let mut add_span = |start: i64, end: i64| {
        let low = checkpoints.partition_point(|&d| i64::from(d) < start);
        let high = checkpoints.partition_point(|&d| i64::from(d) <= end);
        if low < high {
            difference[low] += 1;
            difference[high] -= 1;
        }
    };
    for c in 0..by_customer.customer_count() {
        let mut span: Option<(i64, i64)> = None;
        for &i in by_customer.of(c) {
            let i = i as usize;
            if book.kind[i] != OrderKind::Purchase {
                continue;
            }
            let day = i64::from(book.day[i]);
            span = match span {
                Some((start, end)) if day <= end + 1 => Some((start, end.max(day + window - 1))),
                Some((start, end)) => {
                    add_span(start, end);
                    Some((day, day + window - 1))
                }
                None => Some((day, day + window - 1)),
            };
        }
        if let Some((start, end)) = span {
            add_span(start, end);
        }
    }
    let mut running = 0i64;
    difference[..checkpoints.len()]
        .iter()
        .map(|&step| {
            running += step;
            running as u32
        })
        .collect()
}

/// Day of each customer's first purchase (`None` for customers with returns only).
fn first_purchase_days(book: &OrderBook, by_customer: &CustomerOrders) -> Vec<Option<i32>> {
    (0..by_customer.customer_count())
        .map(|c| {
            let orders = by_customer.of(c);
            first_purchase_position(book, orders).map(|p| book.day[orders[p] as usize])
        })
        .collect()
}

/// Retention and churn for each `period` from the first purchase's to the data's last.
pub fn retention_rates(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    period: Period,
    active_window_days: u32,
) -> Result<RetentionSeries, CohortError> {
    check_window(active_window_days)?;
    let mut series = RetentionSeries {
        period,
        active_window_days,
        periods: Vec::new(),
    };
    let first_days = first_purchase_days(book, by_customer);
    let (Some(first_day), Some(data_last_day)) =
        (first_days.iter().flatten().min().copied(), book.last_day())
    else {
        return Ok(series);
    };
    let first_number = period.number_of_day(first_day);
    let last_number = period.number_of_day(data_last_day);
    let span = (last_number - first_number + 1) as usize;

    // Checkpoint 0 is the eve of the first period, checkpoint j + 1 the end of period j.
    let mut checkpoints = Vec::with_capacity(span + 1);
    checkpoints.push(period.first_day(first_number) - 1);
    for number in first_number..=last_number {
        checkpoints.push(period.last_day(number).min(data_last_day));
    }
    let active = active_counts(book, by_customer, &checkpoints, active_window_days);
    let mut acquired = vec![0u32; span];
    for day in first_days.iter().flatten() {
        acquired[(period.number_of_day(*day) - first_number) as usize] += 1;
    }
    series.periods = (0..span)
        .map(|j| {
            let number = first_number + j as i32;
            RetentionPeriod::new(
                period.first_day(number),
                checkpoints[j + 1],
                period.label(number),
                checkpoints[j + 1] < period.last_day(number),
                active[j],
                active[j + 1],
                acquired[j],
            )
        })
        .collect();
    Ok(series)
}

/// Retention and churn over a chosen range of days `first_day..=last_day` (the end is clamped
/// to the data's last day, and the result flagged incomplete, when the data stops earlier).
pub fn retention_between(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    first_day: i32,
    last_day: i32,
    active_window_days: u32,
) -> Result<RetentionPeriod, CohortError> {
    check_window(active_window_days)?;
    if first_day > last_day {
        return Err(CohortError::InvalidRange {
            first_day,
            last_day,
        });
    }
    let end = book
        .last_day()
        .map_or(last_day, |data_last| last_day.min(data_last))
        .max(first_day - 1);
    let checkpoints = [first_day - 1, end];
    let active = active_counts(book, by_customer, &checkpoints, active_window_days);
    let acquired = first_purchase_days(book, by_customer)
        .iter()
        .flatten()
        .filter(|&&day| first_day <= day && day <= end)
        .count() as u32;
    Ok(RetentionPeriod::new(
        first_day,
        end,
        format!("{}..{}", format_day(first_day), format_day(last_day)),
        end < last_day,
        active[0],
        active[1],
        acquired,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::parse_iso_day;
    use OrderKind::{Purchase, Return};

    const RATE_TOLERANCE: f64 = 1e-12;

    fn day(text: &str) -> i32 {
        parse_iso_day(text).unwrap()
    }

    fn book(orders: &[(&str, &str, OrderKind)]) -> OrderBook {
        OrderBook::from_orders(
            orders
                .iter()
                .map(|&(customer, date, kind)| (Some(customer), day(date), 1.0, kind)),
        )
    }

    #[test]
    fn active_means_a_purchase_within_the_last_w_days() {
        let book = book(&[
            ("a", "2011-01-10", Purchase),
            ("a", "2011-01-12", Purchase),
            ("b", "2011-01-20", Return),
        ]);
        let grouped = book.customer_orders();
        let window = 10;
        let cases = [
            ("2011-01-09", 0),
            ("2011-01-10", 1),
            ("2011-01-19", 1),
            // 2011-01-12 + 10 days: the purchase on the 12th is exactly W days old, out.
            ("2011-01-21", 1),
            ("2011-01-22", 0),
        ];
        let checkpoints: Vec<i32> = cases.iter().map(|(d, _)| day(d)).collect();
        let counts = active_counts(&book, &grouped, &checkpoints, window);
        let expected: Vec<u32> = cases.iter().map(|&(_, n)| n).collect();
        assert_eq!(counts, expected);
    }

    #[test]
    fn monthly_rates_follow_the_formulas() {
        // W = 31. January: a, b acquired. February: a buys again, c acquired. March: c again.
        let book = book(&[
            ("a", "2011-01-05", Purchase),
            ("b", "2011-01-25", Purchase),
            ("a", "2011-02-10", Purchase),
            ("c", "2011-02-15", Purchase),
            ("c", "2011-03-20", Purchase),
            ("d", "2011-03-31", Return),
        ]);
        let series = retention_rates(&book, &book.customer_orders(), Period::Month, 31).unwrap();
        let got: Vec<_> = series
            .periods
            .iter()
            .map(|p| {
                (
                    p.label.as_str(),
                    p.active_at_start,
                    p.active_at_end,
                    p.acquired,
                )
            })
            .collect();
        // End of January: a (05, still within 31 days), b. End of February (28th): a (10th),
        // c (15th); b's 25 Jan purchase is 34 days old. End of March: c (20th) only.
        assert_eq!(
            got,
            [
                ("2011-01", 0, 2, 2),
                ("2011-02", 2, 2, 1),
                ("2011-03", 2, 1, 0)
            ]
        );
        assert_eq!(series.periods[0].retention_rate, None);
        assert_eq!(series.periods[0].churn_rate, None);
        let cases = [(1, 0.5, 0.0), (2, 0.5, 0.5)];
        for (index, retention, churn) in cases {
            let p = &series.periods[index];
            assert!((p.retention_rate.unwrap() - retention).abs() < RATE_TOLERANCE);
            assert!((p.churn_rate.unwrap() - churn).abs() < RATE_TOLERANCE);
        }
        assert!(series.periods.iter().all(|p| !p.incomplete));
    }

    #[test]
    fn a_chosen_range_and_the_incomplete_last_quarter() {
        let book = book(&[
            ("a", "2010-11-01", Purchase),
            ("b", "2010-12-01", Purchase),
            ("a", "2011-02-01", Purchase),
            ("c", "2011-02-02", Purchase),
        ]);
        let grouped = book.customer_orders();
        let range =
            retention_between(&book, &grouped, day("2011-01-01"), day("2011-06-30"), 60).unwrap();
        // Start (2010-12-31): a (61 days old — out), b (30 days) → S = 1; the data ends
        // 2011-02-02: a, c active → E = 2; N = 1 (c).
        assert_eq!(
            (range.active_at_start, range.active_at_end, range.acquired),
            (1, 2, 1)
        );
        assert_eq!(range.end, day("2011-02-02"));
        assert!(range.incomplete);
        assert_eq!(range.retention_rate, Some(1.0));
        assert_eq!(range.churn_rate, Some(-1.0));

        let quarterly = retention_rates(&book, &grouped, Period::Quarter, 365).unwrap();
        let labels: Vec<_> = quarterly.periods.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2010-Q4", "2011-Q1"]);
        assert!(quarterly.periods[1].incomplete);
        assert_eq!(quarterly.periods[1].active_at_start, 2);
        assert_eq!(quarterly.periods[1].active_at_end, 3);
    }

    #[test]
    fn bad_windows_and_ranges_are_explained() {
        let book = book(&[("a", "2011-01-01", Purchase)]);
        let grouped = book.customer_orders();
        let error = retention_rates(&book, &grouped, Period::Month, 0).unwrap_err();
        assert!(error.to_string().contains("at least 1"), "{error}");
        let error = retention_between(&book, &grouped, 10, 5, 365).unwrap_err();
        assert!(error.to_string().contains("must not come after"), "{error}");
    }
}
