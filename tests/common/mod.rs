//! Fixtures shared by the integration tests (`mod common;` in each): days written as dates and
//! the Online Retail data, the committed slice and the full file when it is beside the repository.
//! Each test crate uses some of them.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use customer_lens::day::Day;
use customer_lens::ingest::{IngestOptions, IngestedBook, read_csv};

/// The day number of `YYYY-MM-DD`.
pub fn day(text: &str) -> i32 {
    text.parse::<Day>()
        .unwrap_or_else(|_| panic!("{text} is a test date"))
        .0
}

/// The [`Day`] of `YYYY-MM-DD`, as options take it.
pub fn date(text: &str) -> Day {
    Day(day(text))
}

/// The book of `data/online-retail-cohort-slice.csv` (real lines of the full file: every invoice
/// of the December 2010 cohort, the first purchase of every other customer; see `cohort.rs`),
/// read with the `online-retail` preset.
pub fn online_retail_cohort_slice() -> IngestedBook {
    let slice = include_bytes!("../data/online-retail-cohort-slice.csv");
    read_csv(slice, &IngestOptions::preset("online-retail")).expect("the slice reads")
}

/// The full UCI Online Retail file, decompressed: the path in `ONLINE_RETAIL_CSV`, or
/// `../shared/data/online-retail.csv.gz` beside the repository; `None` when neither is there.
pub fn online_retail_full() -> Option<Vec<u8>> {
    if let Ok(path) = std::env::var("ONLINE_RETAIL_CSV") {
        return std::fs::read(path).ok();
    }
    let gz = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/online-retail.csv.gz");
    if !gz.exists() {
        return None;
    }
    let output = Command::new("gzip").arg("-dc").arg(&gz).output().ok()?;
    output.status.success().then_some(output.stdout)
}

/// The same orders and report from two ingestions of one file (whole and in chunks, in one
/// pass and in ranges): the report, customer ids and every order column.
pub fn assert_same_book(expected: &IngestedBook, actual: &IngestedBook, what: &str) {
    assert_eq!(expected.report, actual.report, "{what}");
    assert_eq!(expected.customer_ids, actual.customer_ids, "{what}");
    assert_eq!(expected.customer, actual.customer, "{what}");
    assert_eq!(expected.day, actual.day, "{what}");
    assert_eq!(expected.value, actual.value, "{what}");
    assert_eq!(expected.kind, actual.kind, "{what}");
}
