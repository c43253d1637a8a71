//! The ready audiences on Online Retail hold exactly the customers the independent reference
//! (`scripts/audiences_reference.py`, DuckDB SQL and plain Python from the raw lines) finds:
//! on the committed cohort slice always, on the full file when it is there.

mod common;

use customer_lens::day::Day;
use std::collections::{BTreeMap, BTreeSet};

use common::{online_retail_cohort_slice, online_retail_full};
use customer_lens::OrderBook;
use customer_lens::audiences::{AudienceOptions, Audiences, DEFINITIONS, audiences};
use customer_lens::clv::PurchaseModel;
use customer_lens::ingest::{IngestOptions, read_csv};

const REFERENCE: &str = include_str!("data/audiences_reference.csv");

/// The reference's members per audience of `dataset`.
fn reference(dataset: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut members: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in REFERENCE.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        if fields[0] == dataset {
            members
                .entry(fields[1].to_string())
                .or_default()
                .insert(fields[2].to_string());
        }
    }
    members
}

/// The model parameters the reference is run with (`--model`), printed so that it can be rerun.
fn model_parameters(book: &OrderBook, found: &Audiences) -> String {
    let options = customer_lens::clv::ClvOptions {
        calibration_end: Some(Day(found.as_of)),
        ..Default::default()
    };
    let analysis = customer_lens::clv::analyze(book, &book.customer_orders(), &options).unwrap();
    let PurchaseModel::BgNbd(bg) = analysis.model else {
        panic!("the default model is BG/NBD")
    };
    let gg = analysis.gamma_gamma.as_ref().unwrap().params;
    format!(
        "--model {:?},{:?},{:?},{:?},{:?},{:?},{:?}",
        bg.r, bg.alpha, bg.a, bg.b, gg.p, gg.q, gg.v
    )
}

fn check(dataset: &str, book: &OrderBook) {
    let found = audiences(book, &book.customer_orders(), &AudienceOptions::default()).unwrap();
    let parameters = model_parameters(book, &found);
    let expected = reference(dataset);
    let mut sizes = Vec::new();
    // The product audiences (replenishment, cross-sell) are not in the reference yet: they are
    // checked on books built for them in src/audiences/tests.rs.
    let rule_based = DEFINITIONS.iter().enumerate();
    for (a, definition) in
        rule_based.filter(|&(a, _)| !customer_lens::audiences::suggests_product(a))
    {
        let got: BTreeSet<String> = found.members[a]
            .iter()
            .map(|&c| book.customer_ids[c as usize].to_string())
            .collect();
        let want = expected.get(definition.id).cloned().unwrap_or_default();
        let missing: Vec<_> = want.difference(&got).collect();
        let extra: Vec<_> = got.difference(&want).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{dataset} {}: missing {missing:?}, extra {extra:?} (reference run with {parameters})",
            definition.id
        );
        sizes.push((definition.id, got.len()));
    }
    // Every audience is tested on someone, on the slice as on the full file.
    assert!(sizes.iter().all(|&(_, n)| n > 0), "{sizes:?}");
    println!("{dataset}: {sizes:?}, {parameters}");
}

#[test]
fn audiences_of_the_cohort_slice_match_the_reference() {
    check("cohort-slice", &online_retail_cohort_slice().book);
}

#[test]
fn audiences_of_the_full_file_match_the_reference() {
    let Some(bytes) = online_retail_full() else {
        eprintln!("skipped: no ONLINE_RETAIL_CSV and no ../shared data");
        return;
    };
    let book = read_csv(&bytes, &IngestOptions::preset("online-retail"))
        .unwrap()
        .book;
    check("full", &book);
}

/// A Haravan export has e-mail, phone and name columns: each customer keeps the first value the
/// file gives them (a customer whose only order was cancelled is not kept), and an audience's CSV
/// carries them after the id; Online Retail has none, and its CSV none of those columns.
#[test]
fn audience_csv_carries_the_contacts_the_export_has() {
    let book = read_csv(
        include_bytes!("data/haravan-orders.csv"),
        &IngestOptions::default(),
    )
    .unwrap()
    .book;
    let contacts = book
        .contacts
        .as_ref()
        .expect("Email, Điện thoại, Tên khách hàng");
    let columns: Vec<&str> = contacts.columns.iter().map(|c| c.column.as_str()).collect();
    assert_eq!(columns, ["Email", "Điện thoại", "Tên khách hàng"]);
    let options = AudienceOptions {
        as_of: Some(Day(common::day("2024-06-01"))),
        ..AudienceOptions::default()
    };
    let found = audiences(&book, &book.customer_orders(), &options).unwrap();
    let win_back = customer_lens::audiences::definitions::index_of("winBack").unwrap();
    let csv = found.csv(win_back, &book, book.contacts.as_ref());
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "customer_id,email,phone,name,audience,last_purchase,days_since_last_purchase,\
             purchase_days,value,p_alive,next_order_date,product_id"
        )
    );
    assert_eq!(
        lines.next(),
        Some(
            "an@gmail.com,an@gmail.com,0912345678,Nguyễn Văn An,winBack,2024-03-20,73,2,1980000,,,"
        )
    );
    assert_eq!(lines.next(), None);
    let one_and_done = customer_lens::audiences::definitions::index_of("oneAndDone").unwrap();
    assert!(
        found
            .csv(one_and_done, &book, book.contacts.as_ref())
            .contains(
                "\ncuong@yahoo.com,cuong@yahoo.com,0909123456,Lê Văn Cường,oneAndDone,2024-04-02,"
            )
    );
    assert!(online_retail_cohort_slice().book.contacts.is_none());
}
