//! Compare by country on real data, against an independent computation: hand-written DuckDB SQL
//! over the raw Online Retail lines (`scripts/compare_reference.py`, which wrote
//! `data/compare_reference.csv` for the committed cohort slice and
//! `data/compare_reference_full.csv` for the full file): customers grouped by the country of
//! their first purchase (cohorts, RFM, CLV), orders by their own country (the overview), the
//! top 5 apart and the rest in "Other".

mod common;

use common::{online_retail_cohort_slice, online_retail_full};
use customer_lens::clv::{ClvOptions, analyze};
use customer_lens::cohort::{ActiveWindow, Period};
use customer_lens::compare::{
    Comparison, CustomerGroups, Labelled, clv_by, cohorts_by, overview_by, rfm_by,
};
use customer_lens::ingest::{IngestOptions, IngestedBook, read_csv};
use customer_lens::overview::overview;
use customer_lens::rfm::{RfmOptions, score_customers};

const TOP: usize = 5;
/// Sums of money added in another order than DuckDB's.
const MONEY_TOLERANCE: f64 = 1e-6;

/// One row of the reference: `kind,group,customers,repeat_customers,orders,revenue,series_1..3`.
struct Reference {
    kind: String,
    group: Option<String>,
    fields: Vec<String>,
}

impl Reference {
    fn count(&self, column: usize) -> u32 {
        self.fields[column].parse().unwrap()
    }

    fn series(&self, column: usize) -> Vec<f64> {
        self.fields[column]
            .split(';')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect()
    }
}

/// Rows of the reference CSV (no field holds a comma: Online Retail's country names do not).
fn reference(text: &str, kind: &str) -> Vec<Reference> {
    text.lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<String> = line.split(',').map(str::to_string).collect();
            Reference {
                kind: fields[0].clone(),
                group: (fields[1] != "(other)").then(|| fields[1].clone()),
                fields,
            }
        })
        .filter(|row| row.kind == kind)
        .collect()
}

fn assert_groups<T: Labelled>(comparison: &Comparison<T>, rows: &[Reference]) {
    let got: Vec<(Option<&str>, bool)> = comparison.values.iter().map(|v| v.label()).collect();
    let want: Vec<(Option<&str>, bool)> = rows
        .iter()
        .map(|r| (r.group.as_deref(), r.group.is_none()))
        .collect();
    assert_eq!(got, want);
}

fn assert_series(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= MONEY_TOLERANCE * w.abs().max(1.0),
            "{what}[{k}]: {g} vs {w}"
        );
    }
}

fn check(book: &IngestedBook, text: &str) {
    let by_customer = book.customer_orders();
    let groups = CustomerGroups::by_first_purchase(book, &by_customer, "country", TOP).unwrap();
    let customers = reference(text, "customers");

    // Cohorts by first-order country.
    let cohorts = cohorts_by(book, &by_customer, Period::Month, &groups);
    assert_eq!(cohorts.by, "country");
    assert_groups(&cohorts, &customers);
    for (got, want) in cohorts.values.iter().zip(&customers) {
        let what = format!("{:?}", want.group);
        let figures = got;
        assert_eq!(figures.customers, want.count(2), "{what}");
        assert_series(
            &figures.retention,
            &want.series(6),
            &format!("{what} retention"),
        );
        assert_series(
            &figures.revenue_per_customer,
            &want.series(7),
            &format!("{what} revenue per customer"),
        );
        let sizes: Vec<f64> = figures
            .cohort_customers
            .iter()
            .map(|&n| f64::from(n))
            .collect();
        assert_series(&sizes, &want.series(8), &format!("{what} cohort customers"));
    }

    // RFM as of the last day: every buyer is scored, in the group of their first purchase.
    let table = score_customers(book, &RfmOptions::default()).unwrap();
    let rfm = rfm_by(&table, &groups);
    assert_groups(&rfm, &customers);
    for (got, want) in rfm.values.iter().zip(&customers) {
        assert_eq!(got.customers, want.count(2));
        let in_segments: u32 = got.segments.iter().map(|s| s.customers).sum();
        assert_eq!(in_segments, got.customers);
    }

    // CLV to the last day: customers and repeat buyers per group; the groups' CLV adds up.
    let analysis = analyze(book, &by_customer, &ClvOptions::default()).unwrap();
    let clv = clv_by(&analysis, &groups);
    assert_groups(&clv, &customers);
    for (got, want) in clv.values.iter().zip(&customers) {
        let what = format!("{:?}", want.group);
        assert_eq!(got.customers, want.count(2), "{what}");
        assert_eq!(got.repeat_customers, want.count(3), "{what}");
    }
    let total: f64 = clv.values.iter().map(|v| v.clv_total).sum();
    let whole: f64 = analysis.scores.clv.iter().flatten().sum();
    assert!((total - whole).abs() <= 1e-9 * whole, "{total} vs {whole}");

    // The overview's revenue per order country, monthly.
    let window = ActiveWindow::chosen(53.0).unwrap();
    let monthly = overview(book, &by_customer, Period::Month, window).unwrap();
    let by_country = overview_by(book, &by_customer, &monthly, "country", TOP).unwrap();
    let orders = reference(text, "orders");
    assert_groups(&by_country, &orders);
    for (got, want) in by_country.values.iter().zip(&orders) {
        let what = format!("{:?}", want.group);
        let figures = got;
        assert_eq!(
            (figures.customers, figures.orders),
            (want.count(2), want.count(4)),
            "{what}"
        );
        assert_series(&[figures.revenue], &want.series(5), &what);
        assert_series(&figures.period_revenue, &want.series(6), &what);
    }
}

#[test]
fn online_retail_by_country_matches_the_hand_written_sql() {
    check(
        &online_retail_cohort_slice(),
        include_str!("data/compare_reference.csv"),
    );
}

/// The full file, which is not in the repository: run with
/// `ONLINE_RETAIL_CSV=/path/to/online-retail.csv cargo test --test compare -- --ignored`.
#[test]
#[ignore = "needs the full UCI Online Retail file named by ONLINE_RETAIL_CSV"]
fn online_retail_full_file_by_country_matches_the_hand_written_sql() {
    let bytes = online_retail_full().expect("set ONLINE_RETAIL_CSV to the decompressed file");
    let book = read_csv(&bytes, &IngestOptions::preset("online-retail")).unwrap();
    check(&book, include_str!("data/compare_reference_full.csv"));
}
