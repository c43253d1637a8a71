//! The lifecycle overview: stage counts at a date and over time, how customers moved between
//! two dates, time to the second purchase and the repeat-purchase rate.

use serde::Serialize;

use super::{LifecycleError, LifecycleRules, PurchaseRhythm, Stage, StageSnapshot, median};
use crate::book::{CustomerOrders, OrderBook};
use crate::cohort::period::{Period, serialize_day};

/// How far back the transition matrix looks when no `compare_with` date is given.
pub const DEFAULT_COMPARE_DAYS: i32 = 90;

/// Upper bounds (inclusive, in days) of the time-to-second-purchase bins; a last, open bin
/// takes everything beyond.
pub const SECOND_PURCHASE_BIN_ENDS: [u32; 7] = [7, 14, 30, 60, 90, 180, 365];

/// What `book.lifecycle(options)` computes.
#[derive(Clone, Debug, Default)]
pub struct LifecycleOptions {
    /// The date stages are computed at; the data's last day when `None`.
    pub as_of: Option<i32>,
    /// The earlier date of the transition matrix; [`DEFAULT_COMPARE_DAYS`] before `as_of`
    /// when `None`.
    pub compare_with: Option<i32>,
    /// The spacing of the stage-count series (monthly by default).
    pub series_period: Period,
    pub rules: LifecycleRules,
}

impl LifecycleOptions {
    /// The date stages are computed at.
    pub fn as_of(&self, book: &OrderBook) -> Result<i32, LifecycleError> {
        self.as_of
            .or_else(|| book.last_day())
            .ok_or(LifecycleError::NoOrders)
    }
}

/// Stage counts, their history, movements and repeat behaviour at one date.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleReport {
    #[serde(serialize_with = "serialize_day")]
    pub as_of: i32,
    pub rules: LifecycleRules,
    /// The store's gap at `as_of` (see the module documentation).
    pub store_gap_days: f64,
    /// Stage names; every `counts` array below follows this order.
    pub stages: Vec<&'static str>,
    /// Customers per stage at `as_of`.
    pub counts: Vec<u32>,
    /// Customers with a purchase on or before `as_of`.
    pub customers: u32,
    pub series_period: Period,
    /// Stage counts at the end of each period, from the first purchase's to `as_of`'s.
    pub series: Vec<SeriesPoint>,
    pub transitions: Transitions,
    pub time_to_second_purchase: SecondPurchase,
    /// Share of the customers with a purchase by `as_of` who bought on a second day by then
    /// (`None` without customers). Recent first-time buyers have had little time to come back,
    /// so the rate reads low when acquisition is recent.
    pub repeat_purchase_rate: Option<f64>,
}

/// Stage counts at one date of the series.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeriesPoint {
    /// The period's last day, or `as_of` for the period that contains it.
    #[serde(serialize_with = "serialize_day")]
    pub date: i32,
    pub label: String,
    /// True when `date` is before the period's last day.
    pub incomplete: bool,
    pub store_gap_days: f64,
    pub counts: Vec<u32>,
}

/// How many customers moved from each state at `from` to each state at `to`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transitions {
    #[serde(serialize_with = "serialize_day")]
    pub from: i32,
    #[serde(serialize_with = "serialize_day")]
    pub to: i32,
    /// `none` (no purchase yet) followed by the stage names: the rows and columns of
    /// `customers`.
    pub states: Vec<&'static str>,
    /// `customers[i][j]`: customers in state `i` at `from` and state `j` at `to`.
    pub customers: Vec<Vec<u32>>,
}

/// Days from the first purchase day to the second, for customers with two purchase days.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecondPurchase {
    /// Customers with a purchase by `as_of`.
    pub customers: u32,
    /// Of those, customers who bought on a second day by `as_of`.
    pub repeat_customers: u32,
    pub median_days: Option<f64>,
    pub mean_days: Option<f64>,
    pub bins: Vec<SecondPurchaseBin>,
}

/// Customers whose second purchase came `from_days..=to_days` days after the first.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecondPurchaseBin {
    pub from_days: u32,
    /// `None` for the last, open-ended bin.
    pub to_days: Option<u32>,
    pub customers: u32,
}

/// Name of a state of the transition matrix: `none` or a stage.
fn state_index(status: Option<Stage>) -> usize {
    status.map_or(0, |stage| stage.index() + 1)
}

fn stage_names() -> Vec<&'static str> {
    Stage::ALL.iter().map(|s| s.name()).collect()
}

fn series(
    rhythm: &PurchaseRhythm,
    as_of: i32,
    period: Period,
    rules: &LifecycleRules,
) -> Vec<SeriesPoint> {
    let first_day = (0..rhythm.customer_count())
        .filter_map(|c| rhythm.days_of(c).first().copied())
        .min();
    let Some(first_day) = first_day.filter(|&d| d <= as_of) else {
        return Vec::new();
    };
    let numbers = period.number_of_day(first_day)..=period.number_of_day(as_of);
    let dates: Vec<i32> = numbers
        .clone()
        .map(|number| period.last_day(number).min(as_of))
        .collect();
    let store_gaps: Vec<f64> = dates
        .iter()
        .map(|&date| rhythm.store_gap_at(date, rules))
        .collect();
    let counts = rhythm.counts_at_dates(&dates, &store_gaps, rules);
    numbers
        .zip(dates.iter().zip(store_gaps).zip(counts))
        .map(|(number, ((&date, store_gap_days), counts))| SeriesPoint {
            date,
            label: period.label(number),
            incomplete: date < period.last_day(number),
            store_gap_days,
            counts: counts.to_vec(),
        })
        .collect()
}

fn transitions(from: &StageSnapshot, to: &StageSnapshot) -> Transitions {
    let states = 1 + Stage::ALL.len();
    let mut customers = vec![vec![0u32; states]; states];
    for (before, after) in from.statuses.iter().zip(&to.statuses) {
        let row = state_index(before.as_ref().map(|s| s.stage));
        let column = state_index(after.as_ref().map(|s| s.stage));
        customers[row][column] += 1;
    }
    let mut names = vec!["none"];
    names.extend(stage_names());
    Transitions {
        from: from.as_of,
        to: to.as_of,
        states: names,
        customers,
    }
}

/// Time to the second purchase day among purchases up to `as_of`.
pub fn time_to_second_purchase(rhythm: &PurchaseRhythm, as_of: i32) -> SecondPurchase {
    let mut customers = 0u32;
    let mut waits: Vec<f64> = Vec::new();
    let mut bins: Vec<SecondPurchaseBin> = SECOND_PURCHASE_BIN_ENDS
        .iter()
        .enumerate()
        .map(|(i, &end)| SecondPurchaseBin {
            from_days: if i == 0 {
                1
            } else {
                SECOND_PURCHASE_BIN_ENDS[i - 1] + 1
            },
            to_days: Some(end),
            customers: 0,
        })
        .collect();
    bins.push(SecondPurchaseBin {
        from_days: SECOND_PURCHASE_BIN_ENDS[SECOND_PURCHASE_BIN_ENDS.len() - 1] + 1,
        to_days: None,
        customers: 0,
    });
    for c in 0..rhythm.customer_count() {
        let days = rhythm.days_of(c);
        match days {
            [first, ..] if *first <= as_of => customers += 1,
            _ => continue,
        }
        if let [first, second, ..] = days
            && *second <= as_of
        {
            let wait = (second - first) as u32;
            let bin = SECOND_PURCHASE_BIN_ENDS.partition_point(|&end| end < wait);
            bins[bin].customers += 1;
            waits.push(f64::from(wait));
        }
    }
    let mean_days = (!waits.is_empty()).then(|| waits.iter().sum::<f64>() / waits.len() as f64);
    SecondPurchase {
        customers,
        repeat_customers: waits.len() as u32,
        median_days: median(&mut waits),
        mean_days,
        bins,
    }
}

/// Builds the lifecycle overview at `options.as_of`.
pub fn lifecycle_report(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    options: &LifecycleOptions,
) -> Result<LifecycleReport, LifecycleError> {
    options.rules.validate()?;
    let as_of = options.as_of(book)?;
    let compare_with = options.compare_with.unwrap_or(as_of - DEFAULT_COMPARE_DAYS);
    let rhythm = PurchaseRhythm::new(book, by_customer);
    let now = rhythm.snapshot(as_of, &options.rules);
    let before = rhythm.snapshot(compare_with, &options.rules);
    let second = time_to_second_purchase(&rhythm, as_of);
    Ok(LifecycleReport {
        as_of,
        rules: options.rules.clone(),
        store_gap_days: now.store_gap_days,
        stages: stage_names(),
        counts: now.counts().to_vec(),
        customers: second.customers,
        series_period: options.series_period,
        series: series(&rhythm, as_of, options.series_period, &options.rules),
        transitions: transitions(&before, &now),
        repeat_purchase_rate: (second.customers > 0)
            .then(|| f64::from(second.repeat_customers) / f64::from(second.customers)),
        time_to_second_purchase: second,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::{OrderKind, parse_iso_day};

    fn day(text: &str) -> i32 {
        parse_iso_day(text).unwrap()
    }

    fn book(orders: &[(&str, &str)]) -> OrderBook {
        OrderBook::from_orders(
            orders
                .iter()
                .map(|&(c, d)| (Some(c), day(d), 10.0, OrderKind::Purchase)),
        )
    }

    #[test]
    fn time_to_second_purchase_bins_and_median() {
        let book = book(&[
            ("a", "2011-01-01"),
            ("a", "2011-01-01"),
            ("a", "2011-01-08"),
            ("b", "2011-01-01"),
            ("b", "2011-03-02"),
            ("c", "2011-01-01"),
            ("d", "2011-01-01"),
            ("d", "2012-06-01"),
        ]);
        let rhythm = PurchaseRhythm::new(&book, &book.customer_orders());
        let second = time_to_second_purchase(&rhythm, day("2012-12-31"));
        assert_eq!((second.customers, second.repeat_customers), (4, 3));
        // Waits: a 7 (same-day orders are one visit), b 60, d 517.
        assert_eq!(second.median_days, Some(60.0));
        let filled: Vec<_> = second
            .bins
            .iter()
            .filter(|b| b.customers > 0)
            .map(|b| (b.from_days, b.to_days))
            .collect();
        assert_eq!(filled, [(1, Some(7)), (31, Some(60)), (366, None)]);
        // Before d's second purchase, d counts as a one-time buyer.
        let earlier = time_to_second_purchase(&rhythm, day("2011-12-31"));
        assert_eq!((earlier.customers, earlier.repeat_customers), (4, 2));
    }

    #[test]
    fn report_counts_series_and_transitions_agree() {
        let book = book(&[
            ("a", "2011-01-05"),
            ("a", "2011-01-20"),
            ("a", "2011-02-04"),
            ("a", "2011-02-19"),
            ("b", "2011-01-10"),
            ("c", "2011-03-01"),
        ]);
        let options = LifecycleOptions {
            compare_with: Some(day("2011-01-31")),
            ..LifecycleOptions::default()
        };
        let report = lifecycle_report(&book, &book.customer_orders(), &options).unwrap();
        assert_eq!(report.as_of, day("2011-03-01"));
        assert_eq!(report.customers, 3);
        assert_eq!(report.counts.iter().sum::<u32>(), 3);
        let labels: Vec<_> = report.series.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2011-01", "2011-02", "2011-03"]);
        assert!(report.series[2].incomplete);
        assert_eq!(report.series[2].counts, report.counts);
        for point in &report.series {
            let customers: u32 = point.counts.iter().sum();
            let grouped = book.customer_orders();
            let rhythm = PurchaseRhythm::new(&book, &grouped);
            assert_eq!(
                customers,
                time_to_second_purchase(&rhythm, point.date).customers
            );
        }
        // Row sums are the states at `from`, column sums the states at `to`.
        let matrix = &report.transitions.customers;
        assert_eq!(report.transitions.states[0], "none");
        assert_eq!(
            matrix[0].iter().sum::<u32>(),
            1,
            "c had not bought on 2011-01-31"
        );
        for (j, &count) in report.counts.iter().enumerate() {
            let column: u32 = matrix.iter().map(|row| row[j + 1]).sum();
            assert_eq!(column, count);
        }
        assert_eq!(report.repeat_purchase_rate, Some(1.0 / 3.0));
    }

    #[test]
    fn no_orders_without_a_date_is_explained() {
        let empty = OrderBook::default();
        let error = lifecycle_report(
            &empty,
            &empty.customer_orders(),
            &LifecycleOptions::default(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("give asOf"), "{error}");
        let options = LifecycleOptions {
            as_of: Some(day("2011-01-01")),
            ..LifecycleOptions::default()
        };
        let report = lifecycle_report(&empty, &empty.customer_orders(), &options).unwrap();
        assert_eq!(report.customers, 0);
        assert!(report.series.is_empty());
        assert_eq!(report.repeat_purchase_rate, None);
    }
}
