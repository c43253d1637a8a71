//! The overview's figures on real data, against an independent computation: hand-written DuckDB
//! SQL over the raw Online Retail lines (`scripts/overview_reference.py`, which wrote
//! `data/overview_reference.csv` for the committed slices and `data/overview_reference_full.csv`
//! for the full file), with the same W of 53 days.

mod common;

use std::collections::HashMap;

use common::{day, online_retail_cohort_slice, online_retail_full};
use customer_lens::cohort::{ActiveWindow, Period};
use customer_lens::ingest::{IngestOptions, IngestedBook, read_csv};
use customer_lens::lifecycle::{LifecycleOptions, lifecycle_report};
use customer_lens::overview::{Overview, OverviewPeriod, overview};

/// The reference's W: Online Retail's store gap, 52.5 days, rounded up.
const WINDOW_DAYS: f64 = 53.0;
/// Sums of money added in another order than DuckDB's.
const MONEY_TOLERANCE: f64 = 1e-6;
/// Ratios of counts and sums.
const RATE_TOLERANCE: f64 = 1e-9;

/// The reference CSV's rows of one dataset and period kind, by label (`total` for the totals).
fn reference(text: &str, dataset: &str, period: &str) -> Vec<HashMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|line| {
            header
                .iter()
                .zip(line.split(','))
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect::<HashMap<_, _>>()
        })
        .filter(|row| row["dataset"] == dataset && row["period"] == period)
        .collect()
}

fn number(row: &HashMap<String, String>, name: &str) -> Option<f64> {
    let text = &row[name];
    (!text.is_empty()).then(|| text.parse().unwrap())
}

fn count(row: &HashMap<String, String>, name: &str) -> u32 {
    row[name].parse().unwrap()
}

fn assert_near(got: Option<f64>, want: Option<f64>, tolerance: f64, what: &str) {
    match (got, want) {
        (Some(g), Some(w)) => assert!(
            (g - w).abs() <= tolerance * w.abs().max(1.0),
            "{what}: {g} vs {w}"
        ),
        _ => assert_eq!(got, want, "{what}"),
    }
}

fn assert_period(got: &OverviewPeriod, want: &HashMap<String, String>) {
    let what = |field: &str| format!("{} {field}", got.label);
    assert_eq!(got.label, want["label"]);
    assert_eq!(got.start, day(&want["start"]), "{}", what("start"));
    assert_eq!(got.end, day(&want["end"]), "{}", what("end"));
    let counts = [
        ("new_customers", got.new_customers),
        ("returning_customers", got.returning_customers),
        ("repeat_customers", got.repeat_customers),
        ("orders", got.orders),
        ("purchases", got.purchases),
        ("returns", got.returns),
        ("active_customers", got.active_customers),
        ("lost_customers", got.lost_customers),
    ];
    for (name, value) in counts {
        assert_eq!(value, count(want, name), "{}", what(name));
    }
    let money = [
        ("revenue", got.revenue),
        ("new_revenue", got.new_revenue),
        ("returning_revenue", got.returning_revenue),
        ("other_revenue", got.other_revenue),
    ];
    for (name, value) in money {
        assert_near(
            Some(value),
            number(want, name),
            MONEY_TOLERANCE,
            &what(name),
        );
    }
    let rates = [
        ("orders_per_customer", got.orders_per_customer),
        ("average_order_value", got.average_order_value),
        ("churn_rate", got.churn_rate),
    ];
    for (name, value) in rates {
        assert_near(value, number(want, name), RATE_TOLERANCE, &what(name));
    }
    let buyers = got.new_customers + got.returning_customers;
    let repeat_rate = (buyers > 0).then(|| f64::from(got.repeat_customers) / f64::from(buyers));
    assert_eq!(got.repeat_rate, repeat_rate, "{}", what("repeat_rate"));
}

fn assert_matches_reference(result: &Overview, rows: &[HashMap<String, String>]) {
    let (totals, periods): (Vec<_>, Vec<_>) = rows.iter().partition(|row| row["label"] == "total");
    assert_eq!(result.periods.len(), periods.len(), "{:?}", result.period);
    for (got, want) in result.periods.iter().zip(periods) {
        assert_period(got, want);
    }
    let want = totals[0];
    let t = &result.totals;
    assert_eq!(
        (
            t.customers,
            t.new_customers,
            t.returning_customers,
            t.repeat_customers,
            t.orders,
            t.purchases,
            t.returns
        ),
        (
            count(want, "new_customers"),
            count(want, "new_customers"),
            0,
            count(want, "repeat_customers"),
            count(want, "orders"),
            count(want, "purchases"),
            count(want, "returns")
        )
    );
    assert_near(
        Some(t.revenue),
        number(want, "revenue"),
        MONEY_TOLERANCE,
        "total revenue",
    );
    let rates = [
        ("orders_per_customer", t.orders_per_customer),
        ("average_order_value", t.average_order_value),
    ];
    for (name, value) in rates {
        assert_near(value, number(want, name), RATE_TOLERANCE, name);
    }
    let split = t.new_revenue + t.returning_revenue + t.other_revenue;
    assert_near(
        Some(split),
        Some(t.revenue),
        MONEY_TOLERANCE,
        "the revenue split adds up",
    );
}

fn overview_of(book: &IngestedBook, period: Period) -> Overview {
    let window = ActiveWindow::chosen(WINDOW_DAYS).unwrap();
    overview(book, &book.customer_orders(), period, window).unwrap()
}

#[test]
fn online_retail_slices_match_the_hand_written_sql() {
    let text = include_str!("data/overview_reference.csv");
    let cohort_slice = online_retail_cohort_slice();
    for (period, name) in [(Period::Month, "month"), (Period::Week, "week")] {
        let result = overview_of(&cohort_slice, period);
        assert_matches_reference(&result, &reference(text, "cohort-slice", name));
    }
    // The small slice has guests (other revenue) and bad-debt adjustments.
    let slice = read_csv(
        include_bytes!("data/online-retail-slice.csv"),
        &IngestOptions::preset("online-retail"),
    )
    .unwrap();
    for (period, name) in [(Period::Month, "month"), (Period::Quarter, "quarter")] {
        let result = overview_of(&slice, period);
        assert_matches_reference(&result, &reference(text, "slice", name));
        assert!(
            result.totals.other_revenue != 0.0,
            "guests buy in the slice"
        );
    }
}

#[test]
fn the_total_repeat_rate_is_the_lifecycle_one_and_the_default_window_is_the_store_gap() {
    let book = online_retail_cohort_slice();
    let by_customer = book.customer_orders();
    let result = overview_of(&book, Period::Month);
    let lifecycle = lifecycle_report(&book, &by_customer, &LifecycleOptions::default()).unwrap();
    assert_eq!(result.totals.repeat_rate, lifecycle.repeat_purchase_rate);
    assert!(result.last_period_incomplete, "the data ends on 2011-12-09");
    assert!(result.periods.last().unwrap().incomplete);
}

/// The full file, which is not in the repository: run with
/// `ONLINE_RETAIL_CSV=/path/to/online-retail.csv cargo test --test overview -- --ignored`.
#[test]
#[ignore = "needs the full UCI Online Retail file named by ONLINE_RETAIL_CSV"]
fn online_retail_full_file_matches_the_hand_written_sql() {
    let bytes = online_retail_full().expect("set ONLINE_RETAIL_CSV to the decompressed file");
    let book = read_csv(&bytes, &IngestOptions::preset("online-retail")).unwrap();
    let text = include_str!("data/overview_reference_full.csv");
    let periods = [
        (Period::Month, "month"),
        (Period::Quarter, "quarter"),
        (Period::Year, "year"),
    ];
    for (period, name) in periods {
        let result = overview_of(&book, period);
        assert_matches_reference(&result, &reference(text, "full", name));
    }
    // The default window is the store's gap, 52.5 days → 53, as the reference assumed.
    let window = ActiveWindow::store_default(&book, &book.customer_orders());
    assert_eq!(window.days, 53);
    let monthly = overview_of(&book, Period::Month);
    let february = &monthly.periods[2];
    assert_eq!(february.label, "2011-02");
    // README: monthly churn 23.6% in February 2011.
    assert!((february.churn_rate.unwrap() - 0.236).abs() < 0.0005);
}
