//! The acceptance figures on the full UCI Online Retail file. The file is not in the
//! repository (48 MB); this test reads `../shared/data/online-retail.csv.gz` (or the path in
//! `ONLINE_RETAIL_CSV`) when present and says it skipped otherwise.

use std::path::PathBuf;
use std::process::Command;

use customer_lens::ingest::{IngestOptions, read_csv};

/// The decompressed file, or `None` when the shared data folder is not beside the repository.
pub fn online_retail_bytes() -> Option<Vec<u8>> {
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

#[test]
fn full_online_retail_summary() {
    let Some(bytes) = online_retail_bytes() else {
        eprintln!("skipped: ../shared/data/online-retail.csv.gz is not available");
        return;
    };
    let book = read_csv(&bytes, &IngestOptions::preset("online-retail")).unwrap();
    let r = &book.report;
    assert_eq!(r.rows_read, 541_909);
    assert_eq!(r.rows_accepted + r.rows_rejected, r.rows_read);
    assert_eq!(r.rows_rejected, 0, "{:?}", r.rejects);
    assert_eq!(r.rows_anonymous, 135_080);
    assert_eq!((r.orders, r.purchases, r.returns), (25_900, 22_062, 3_838));
    assert_eq!((r.customers, r.customers_with_purchase), (4_372, 4_339));
    assert!((r.revenue - 9_747_747.93).abs() < 0.005, "{}", r.revenue);
    assert_eq!(r.first_date.as_deref(), Some("2010-12-01"));
    assert_eq!(r.last_date.as_deref(), Some("2011-12-09"));
}
