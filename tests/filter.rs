//! The country filter on UCI Online Retail, pinned by a query written by hand
//! (`tests/sql/country_figures.py`, DuckDB): per country, the orders, purchases, returns, revenue
//! and customers with a purchase of the filtered book equal the query's, on the committed slice
//! and, when `../shared/data` has it, on the full file (the acceptance: the United
//! Kingdom has 23,494 orders, 20,120 purchases, 3,374 returns, 8,187,806.36 of revenue and 3,921
//! customers with a purchase).

mod common;

use common::{online_retail_cohort_slice, online_retail_full};
use customer_lens::ingest::{IngestOptions, IngestedBook, read_csv};
use customer_lens::{Filter, OrderBook, OrderKind};

/// `country,orders,purchases,returns,revenue,customers_with_purchase` rows.
fn expected(text: &str) -> Vec<(String, [u64; 3], f64, u64)> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|row| {
            let row = row.unwrap();
            let number = |i: usize| row[i].parse::<u64>().unwrap();
            (
                row[0].to_string(),
                [number(1), number(2), number(3)],
                row[4].parse().unwrap(),
                number(5),
            )
        })
        .collect()
}

fn country(name: &str) -> Filter {
    Filter {
        attributes: vec![("country".into(), vec![name.into()])],
        ..Filter::default()
    }
}

fn customers_with_purchase(book: &OrderBook) -> u64 {
    let mut bought = vec![false; book.customer_count()];
    for (&c, &kind) in book.customer.iter().zip(&book.kind) {
        if c != customer_lens::ANONYMOUS && kind == OrderKind::Purchase {
            bought[c as usize] = true;
        }
    }
    bought.iter().filter(|&&b| b).count() as u64
}

/// Every country's filtered book against the query's figures; the countries' revenues add up to
/// the whole book's.
fn assert_countries(book: &IngestedBook, figures: &str) {
    let expected = expected(figures);
    assert_eq!(
        expected.len(),
        book.attribute("country").unwrap().values.len() - 1,
        "one row per country"
    );
    let mut revenue = 0.0;
    for (name, [orders, purchases, returns], expected_revenue, customers) in &expected {
        let kept = book.filtered(&country(name)).unwrap();
        let purchases_kept = kept
            .kind
            .iter()
            .filter(|&&k| k == OrderKind::Purchase)
            .count();
        let got = [
            kept.order_count() as u64,
            purchases_kept as u64,
            (kept.order_count() - purchases_kept) as u64,
        ];
        assert_eq!(got, [*orders, *purchases, *returns], "{name}");
        let kept_revenue: f64 = kept.value.iter().sum();
        assert!(
            (kept_revenue - expected_revenue).abs() < 0.005,
            "{name}: {kept_revenue} ≠ {expected_revenue}"
        );
        assert_eq!(customers_with_purchase(&kept), *customers, "{name}");
        revenue += kept_revenue;
    }
    assert!((revenue - book.report.revenue).abs() < 0.01);
}

#[test]
fn country_filter_on_the_committed_slice_matches_the_hand_written_query() {
    let book = online_retail_cohort_slice();
    assert_countries(
        &book,
        include_str!("data/online-retail-cohort-slice-countries.csv"),
    );
}

#[test]
fn united_kingdom_on_the_full_file() {
    let Some(bytes) = online_retail_full() else {
        eprintln!("skipped: ../shared/data/online-retail.csv.gz is not available");
        return;
    };
    let book = read_csv(&bytes, &IngestOptions::preset("online-retail")).unwrap();
    let uk = book.filtered(&country("United Kingdom")).unwrap();
    let purchases = uk
        .kind
        .iter()
        .filter(|&&k| k == OrderKind::Purchase)
        .count();
    assert_eq!(
        (uk.order_count(), purchases, uk.order_count() - purchases),
        (23_494, 20_120, 3_374)
    );
    let revenue: f64 = uk.value.iter().sum();
    assert!((revenue - 8_187_806.36).abs() < 0.005, "{revenue}");
    assert_eq!(customers_with_purchase(&uk), 3_921);
    assert_countries(&book, include_str!("data/online-retail-countries.csv"));
}
