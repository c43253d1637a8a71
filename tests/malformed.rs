//! Malformed input: the files a person chooses by mistake and the rows a broken export contains,
//! each with the exact message the page shows, plus the row-accounting property over hostile
//! random files (random bytes, quotes and encodings) and regression tests for what fuzzing found.
//!
//! Decisions pinned here:
//! - Order dates before 1970-01-01 or after 2100-12-31 are rejected row by row with the reason:
//!   they are placeholders for "no date" (1900-01-01, 0001-01-01, 9999-12-31) or typos, and one of
//!   them would stretch cohorts and recency over centuries. Inside that range, orders dated more
//!   than a year after (or before) all the others get a note. The core has no clock, so "after
//!   today" cannot be judged here: the page, which knows today, is the place to flag it.
//! - An amount (or quantity × unit price) beyond ±10^15 is rejected, which keeps every sum finite.
//! - A UTF-8 file with stray Windows-1252 bytes is read as UTF-8 with only the strays read as
//!   Windows-1252, and a note counts them.

mod common;

use common::assert_same_book;
use customer_lens::clv::{ClvOptions, analyze, bgnbd, gamma_gamma};
use customer_lens::cohort::{Period, cohorts};
use customer_lens::day::Day;
use customer_lens::ingest::{
    IngestError, IngestOptions, IngestReport, IngestedBook, OrderBookBuilder, REJECTS_KEPT, Reject,
    Role, named_encoding, read_csv,
};
use customer_lens::lifecycle::{LifecycleRules, stage_snapshot};
use customer_lens::rfm::{RfmOptions, rfm};
use customer_lens::{ANONYMOUS, OrderKind};

const MONEY: f64 = 0.005;
const HEADER: &str = "order,customer,date,amount\n";

fn default() -> IngestOptions {
    IngestOptions::default()
}

fn with_delimiter(delimiter: u8) -> IngestOptions {
    IngestOptions {
        delimiter: Some(delimiter),
        ..IngestOptions::default()
    }
}

fn error_of(bytes: &[u8], options: &IngestOptions) -> String {
    match read_csv(bytes, options) {
        Ok(book) => panic!("read without error: {:#?}", book.report),
        Err(error) => error.message,
    }
}

fn read(text: &str) -> IngestedBook {
    read_csv(text.as_bytes(), &default()).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// A reject as the tests compare it: row, column, value and the English reason (the code and its
/// parameters are checked in `reasons_carry_codes_for_translation`).
type RejectView = (u64, String, String, String);

fn reject(row: u64, column: &str, value: &str, reason: &str) -> RejectView {
    (row, column.into(), value.into(), reason.into())
}

fn views(rejects: &[Reject]) -> Vec<RejectView> {
    rejects
        .iter()
        .map(|r| {
            (
                r.row,
                r.column.clone(),
                r.value.clone(),
                r.reason.to_string(),
            )
        })
        .collect()
}

fn file_with_rows(rows: &[&str]) -> String {
    let mut text = String::from(HEADER);
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

const DATE_OUTSIDE: &str = "is outside 1970–2100: it is probably a placeholder for a missing date \
                            or a typo; correct it or remove the row";

fn date_outside(date: &str) -> String {
    format!("the date {date} {DATE_OUTSIDE}")
}

const NOT_FINITE: &str = "the amount is not a finite number (NaN, infinity or too large to hold): \
                          correct it or remove the row";
const TOO_LARGE: &str = "is beyond ±10^15 (a million billion): check that this column holds \
                         amounts and that its decimal separator was read right";

#[test]
fn files_that_cannot_be_read_get_an_exact_message() {
    let mut ten_thousand_columns: String = (0..10_000)
        .map(|i| format!("col{i}"))
        .collect::<Vec<_>>()
        .join(",");
    ten_thousand_columns.push_str("\n1,2,3\n");
    // Names of presets and encodings are checked where they are turned into options.
    assert_eq!(
        customer_lens::ingest::columns::preset("magento")
            .unwrap_err()
            .to_string(),
        "unknown preset 'magento': use one of online-retail, shopify, haravan, sapo, kiotviet, \
         woocommerce, cdnow, generic"
    );
    assert_eq!(
        named_encoding("shift_jis").unwrap_err().to_string(),
        "unknown encoding 'shift_jis': use utf-8, utf-16le, utf-16be, windows-1252 or \
         windows-1258"
    );
    let cases: Vec<(&str, Vec<u8>, IngestOptions, &str)> = vec![
        (
            "empty file",
            Vec::new(),
            default(),
            "The file is empty: choose the file with your orders (a CSV export with a header row).",
        ),
        (
            "only blank lines",
            b"\n \r\n\t\n".to_vec(),
            default(),
            "The file is empty: choose the file with your orders (a CSV export with a header row).",
        ),
        (
            "header only",
            HEADER.into(),
            default(),
            "The file has a header but no rows of orders: export the orders again, with data.",
        ),
        (
            "header and blank lines",
            format!("{HEADER}\n\n\r\n").into(),
            default(),
            "The file has a header but no rows of orders: export the orders again, with data.",
        ),
        (
            "PNG image",
            include_bytes!("data/malformed/pixel.png").to_vec(),
            default(),
            "This is a PNG image, not a CSV file: choose your orders export instead.",
        ),
        (
            "ZIP archive",
            include_bytes!("data/malformed/orders.zip").to_vec(),
            default(),
            "This is a ZIP archive or an Excel (.xlsx) file, not a CSV file: open it in your \
             spreadsheet app and save it as CSV (UTF-8), or unzip it first.",
        ),
        (
            "Excel workbook",
            include_bytes!("data/malformed/orders.xlsx").to_vec(),
            default(),
            "This is an Excel workbook (.xlsx), not a CSV file: open it in Excel (or LibreOffice, \
             Numbers, Google Sheets), save it as CSV (UTF-8), then choose the .csv file.",
        ),
        (
            "old Excel file",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0".to_vec(),
            default(),
            "This is an old Excel (.xls) file or a password-protected workbook, which is not \
             read here: open it in Excel or LibreOffice and save it as an Excel Workbook \
             (.xlsx, without a password) or as CSV (UTF-8), then choose that file.",
        ),
        (
            "OpenDocument spreadsheet",
            include_bytes!("data/malformed/orders.ods").to_vec(),
            default(),
            "This is an OpenDocument spreadsheet (.ods), which is not read here: open it in \
             LibreOffice and save it as an Excel Workbook (.xlsx) or as CSV (UTF-8), then \
             choose that file.",
        ),
        (
            "HTML page (a URL that returned a login page)",
            include_bytes!("data/malformed/login-page.html").to_vec(),
            default(),
            "This is a web page (HTML), not a CSV file: if you typed a URL, it points to a page, \
             not to the file itself — use the direct link to the .csv file.",
        ),
        (
            "HTML fragment (an error page without <!doctype>)",
            include_bytes!("data/malformed/error-fragment.html").to_vec(),
            default(),
            "This is a web page (HTML), not a CSV file: if you typed a URL, it points to a page, \
             not to the file itself — use the direct link to the .csv file.",
        ),
        (
            "XML",
            b"<?xml version=\"1.0\"?><orders/>".to_vec(),
            default(),
            "This is an XML file, not a CSV file: export your orders as CSV (comma-separated \
             values) instead.",
        ),
        (
            "gzip",
            b"\x1f\x8b\x08\x00\0\0".to_vec(),
            default(),
            "This file is gzip-compressed: decompress it first (or load it by URL ending in .gz).",
        ),
        (
            "PDF",
            b"%PDF-1.7\n".to_vec(),
            default(),
            "This is a PDF document, not a CSV file: export your orders as CSV instead.",
        ),
        (
            "binary bytes",
            (0u8..=255).cycle().take(2000).collect(),
            default(),
            "This does not look like a text file: choose a CSV export of your orders.",
        ),
        (
            "wrong delimiter chosen (comma for a semicolon file)",
            b"order;customer;date;amount\n1;a;2024-01-01;5\n".to_vec(),
            with_delimiter(b','),
            "The file has a single column (order;customer;date;amount) when split at commas: \
             choose the delimiter (comma, semicolon, tab or |) it uses.",
        ),
        (
            "wrong delimiter chosen (tab for a comma file)",
            format!("{HEADER}1,a,2024-01-01,5\n").into(),
            with_delimiter(b'\t'),
            "The file has a single column (order,customer,date,amount) when split at tabs: choose \
             the delimiter (comma, semicolon, tab or |) it uses.",
        ),
        (
            "space-separated words (no delimiter found)",
            b"order customer date amount\n1 a 2024-01-01 5\n".to_vec(),
            default(),
            "The file has a single column (order customer date amount) when split at commas: \
             choose the delimiter (comma, semicolon, tab or |) it uses.",
        ),
        (
            "missing header row",
            b"1,a,2024-01-01,5\n2,b,2024-01-02,6\n".to_vec(),
            default(),
            "The first line holds data ('2024-01-01'), not column names: add a header row naming \
             the columns (for example customer,date,amount).",
        ),
        (
            "blank header row",
            b",,,\n1,a,2024-01-01,5\n".to_vec(),
            default(),
            "The first line of the file has no column names: add a header row naming the columns \
             (for example customer,date,amount).",
        ),
        (
            "no customer column",
            b"order,date,amount\n1,2024-01-01,5\n".to_vec(),
            default(),
            "No customer id or email column found among: order, date, amount. Choose it in the \
             column mapping (columns.customer in the API).",
        ),
        (
            "10,000 columns, none of them a date",
            ten_thousand_columns.into(),
            default(),
            "No order date column found among: col0, col1, col2, col3, col4, col5, col6, col7, \
             col8, col9, col10, col11, … (10000 columns). Choose it in the column mapping \
             (columns.date in the API).",
        ),
        (
            "a chosen column that is not in the file",
            format!("{HEADER}1,a,2024-01-01,5\n").into(),
            {
                let mut options = default();
                options.columns.insert(Role::Customer, "buyer");
                options
            },
            "column 'buyer' chosen for customer is not in the file; its columns are: order, \
             customer, date, amount",
        ),
    ];
    for (case, bytes, options, expected) in cases {
        assert_eq!(error_of(&bytes, &options), expected, "{case}");
        // The streaming builder says the same, whatever the chunking.
        let streamed = OrderBookBuilder::new(options).and_then(|mut builder| {
            bytes
                .chunks(3)
                .try_for_each(|chunk| builder.push(chunk))
                .and_then(|()| builder.finish().map(|_| ()))
        });
        assert_eq!(
            streamed.map_err(|e| e.message),
            Err(expected.to_string()),
            "{case} (streamed)"
        );
    }
}

/// A third of the rows have broken dates in every way an export breaks them: each is rejected
/// with its row, column, value and reason; the other rows are read.
#[test]
fn thirty_percent_bad_dates_are_rejected_row_by_row() {
    let bad_dates = [
        (
            "not a date",
            "this is not a date we can read (use e.g. 2024-03-31, 31/03/2024 or 03/31/2024)",
        ),
        ("2024-02-30", "this date does not exist in the calendar"),
        ("", "the date is empty: every order needs a date"),
    ];
    let mut text = String::from(HEADER);
    let mut expected = Vec::new();
    for i in 0..100 {
        let row = i + 2;
        if i % 10 < 3 {
            let (date, reason) = bad_dates[i % 10];
            text.push_str(&format!("o{i},c{},{date},10\n", i % 7));
            expected.push(reject(row as u64, "date", date, reason));
        } else {
            text.push_str(&format!("o{i},c{},2024-03-{:02},10\n", i % 7, 1 + i % 28));
        }
    }
    let book = read(&text);
    let r = &book.report;
    assert_eq!(
        (r.rows_read, r.rows_accepted, r.rows_rejected, r.orders),
        (100, 70, 30, 70)
    );
    assert_eq!(views(&r.rejects), expected);
    assert!((r.revenue - 700.0).abs() < MONEY);
}

#[test]
fn dates_outside_1970_to_2100_are_rejected() {
    let text = file_with_rows(&[
        "1,a,1900-01-01,5",
        "2,b,1969-12-31,6",
        "3,c,1970-01-01,1",
        "4,d,0001-01-01,1",
        "5,e,2100-12-31,1",
        "6,f,2101-01-01,1",
        "7,g,9999-12-31,1",
        "8,h,25000,1",
    ]);
    let book = read(&text);
    let r = &book.report;
    assert_eq!((r.rows_read, r.rows_accepted, r.rows_rejected), (8, 2, 6));
    let expected: Vec<RejectView> = [
        (2, "1900-01-01", "1900-01-01"),
        (3, "1969-12-31", "1969-12-31"),
        (5, "0001-01-01", "0001-01-01"),
        (7, "2101-01-01", "2101-01-01"),
        (8, "9999-12-31", "9999-12-31"),
        // An Excel serial day number of 1968.
        (9, "25000", "1968-06-11"),
    ]
    .iter()
    .map(|&(row, value, date)| reject(row, "date", value, &date_outside(date)))
    .collect();
    assert_eq!(views(&r.rejects), expected);
    assert_eq!(r.first_date.as_deref(), Some("1970-01-01"));
    assert_eq!(r.last_date.as_deref(), Some("2100-12-31"));
}

/// A typo that moves one order decades away stays (it may be real) but is pointed out, with the
/// consequence for the analyses.
#[test]
fn orders_far_from_all_the_others_get_a_note() {
    let mut rows: Vec<String> = (0..20)
        .map(|i| format!("{i},c{},2024-01-{:02},5", i % 3, 1 + i))
        .collect();
    rows.push("late,c1,2042-01-05,5".into());
    rows.push("early,c2,2014-01-05,5".into());
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let book = read(&file_with_rows(&rows));
    assert_eq!(book.report.rows_rejected, 0);
    assert_eq!(
        book.report.notes,
        [
            "1 order(s) are dated more than a year after all the others (the latest on 2042-01-05, \
             the rest end by 2024-01-20): check these dates. Recency, lifecycle stages and the \
             default 'as of' date are measured from the last order date.",
            "1 order(s) are dated more than a year before all the others (the earliest on \
             2014-01-05, the rest start on 2024-01-01): check these dates. Cohorts begin at each \
             customer's first order."
        ]
    );
    // A steady history with a quiet year is not flagged: the gap is inside the bulk.
    let steady: Vec<String> = (0..40)
        .map(|i| format!("{i},c{},{}-06-01,5", i % 5, 2010 + i / 4 + (i / 20) * 2))
        .collect();
    let steady: Vec<&str> = steady.iter().map(String::as_str).collect();
    assert_eq!(
        read(&file_with_rows(&steady)).report.notes,
        Vec::<String>::new()
    );
}

#[test]
fn non_finite_and_huge_amounts_are_rejected_and_every_sum_stays_finite() {
    let text = file_with_rows(&[
        "1,a,2024-01-01,NaN",
        "2,b,2024-01-01,inf",
        "3,c,2024-01-01,1e308",
        "4,c,2024-01-01,-Infinity",
        "5,d,2024-01-01,1e15",
        "6,d,2024-01-02,-1e15",
        // Two lines of 1e308 in one order summed to infinity before amounts were bounded.
        "7,e,2024-01-03,1e308",
        "7,e,2024-01-03,1e308",
        &format!("8,f,2024-01-04,{}", "9".repeat(400)),
    ]);
    let book = read(&text);
    let r = &book.report;
    assert_eq!((r.rows_read, r.rows_accepted, r.rows_rejected), (9, 2, 7));
    let too_large = format!("the amount {TOO_LARGE}");
    let expected = vec![
        reject(2, "amount", "NaN", NOT_FINITE),
        reject(3, "amount", "inf", NOT_FINITE),
        reject(4, "amount", "1e308", &too_large),
        reject(5, "amount", "-Infinity", NOT_FINITE),
        reject(8, "amount", "1e308", &too_large),
        reject(9, "amount", "1e308", &too_large),
        reject(10, "amount", &"9".repeat(200), NOT_FINITE),
    ];
    assert_eq!(views(&r.rejects), expected);
    assert_eq!(book.value, [1e15, -1e15]);
    assert_eq!(r.revenue, 0.0);

    // Quantity × unit price is bounded the same way.
    let text = "order,customer,date,quantity,unit price\n1,a,2024-01-01,1e300,1e300\n2,a,2024-01-01,1e10,1e6\n3,a,2024-01-01,2,1.5\n";
    let book = read(text);
    let too_large = format!("the quantity × unit price {TOO_LARGE}");
    assert_eq!(
        views(&book.report.rejects),
        [
            reject(2, "quantity", "1e300 × 1e300", &too_large),
            reject(3, "quantity", "1e10 × 1e6", &too_large),
        ]
    );
    assert_eq!(book.value, [3.0]);

    // Many maximal lines: the revenue and each customer's spend stay finite.
    let rows: Vec<String> = (0..2000)
        .map(|i| format!("{i},c{},2024-01-01,999999999999999", i % 2))
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let book = read(&file_with_rows(&rows));
    assert!(book.report.revenue.is_finite() && book.report.revenue > 1e18);
    let summary = rfm(&book, &RfmOptions::default()).unwrap();
    let json = format!("{summary:?}");
    assert!(!json.contains("inf") && !json.contains("NaN"), "{json}");
}

#[test]
fn utf8_with_stray_windows_1252_bytes_keeps_both_readable_and_says_so() {
    let book = read_csv(
        include_bytes!("data/malformed/mixed-encoding.csv"),
        &default(),
    )
    .unwrap();
    let r = &book.report;
    assert_eq!(r.encoding, "UTF-8 with some windows-1252 bytes");
    // "Zoë Müller" is UTF-8 on rows 2 and 4; "Café" has one Windows-1252 byte (0xE9).
    assert_eq!(book.customer_ids, ["Zoë Müller", "Café du Nord"]);
    assert_eq!(
        r.notes,
        [
            "1 byte(s) were not valid UTF-8 and were read as Windows-1252 (as in Café): the file \
          mixes encodings. Check the names that contain them, and re-save the file as UTF-8 if \
          they look wrong."
        ]
    );
    // A file that is Windows-1252 throughout is still read as such, without a note.
    let legacy = b"order,customer,date,amount\n1,Caf\xe9,2024-01-01,5\n2,Zo\xeb,2024-01-02,6\n";
    let book = read_csv(legacy, &default()).unwrap();
    assert_eq!(book.report.encoding, "windows-1252");
    assert_eq!(book.customer_ids, ["Café", "Zoë"]);
    assert!(book.report.notes.is_empty());
    // Naming the encoding means strict UTF-8: the stray byte becomes U+FFFD, with a note.
    let strict = IngestOptions {
        encoding: Some(named_encoding("utf-8").unwrap()),
        ..default()
    };
    let book = read_csv(include_bytes!("data/malformed/mixed-encoding.csv"), &strict).unwrap();
    assert_eq!(book.customer_ids, ["Zoë Müller", "Caf\u{FFFD} du Nord"]);
    assert_eq!(
        book.report.notes,
        [
            "Some bytes were not valid text in the file's encoding and were replaced with �: the \
          file may mix encodings. Re-save it as UTF-8 or choose its encoding."
        ]
    );
}

#[test]
fn utf16_without_a_byte_order_mark_is_recognised() {
    let text = format!("{HEADER}1,Nguyễn,2024-01-01,5\n");
    let little: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (bytes, encoding) in [(little, "UTF-16LE (no BOM)"), (big, "UTF-16BE (no BOM)")] {
        let book = read_csv(&bytes, &default()).unwrap();
        assert_eq!(book.report.encoding, encoding);
        assert_eq!(book.customer_ids, ["Nguyễn"]);
    }
}

#[test]
fn repeated_header_names_say_which_column_is_read() {
    let book = read("order,customer,date,amount,amount\n1,a,2024-01-01,5,6\n");
    assert_eq!(book.value, [5.0]);
    assert_eq!(
        book.report.notes,
        [
            "The column name 'amount' appears 2 times (columns 4, 5); column 4 is read as the \
          amount. Rename the columns, or choose another one in the column mapping if that is \
          wrong."
        ]
    );
    // Repeated names that no role uses are not worth a remark.
    let book = read("order,customer,date,amount,note,note\n1,a,2024-01-01,5,x,y\n");
    assert!(book.report.notes.is_empty());
}

#[test]
fn ten_thousand_columns_are_read_in_linear_time() {
    const COLUMNS: usize = 10_000;
    const ROWS: usize = 200;
    let mut headers: Vec<String> = (0..COLUMNS).map(|i| format!("col{i}")).collect();
    headers[5_000] = "customer".into();
    headers[7_500] = "date".into();
    headers[9_999] = "amount".into();
    let mut text = headers.join(",");
    text.push('\n');
    for r in 0..ROWS {
        let mut row: Vec<String> = vec!["x".into(); COLUMNS];
        row[5_000] = format!("c{}", r % 10);
        row[7_500] = "2024-05-01".into();
        row[9_999] = "2.5".into();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    let book = read(&text);
    assert_eq!(book.report.headers.len(), COLUMNS);
    assert_eq!((book.report.rows_read, book.report.customers), (200, 10));
    assert!((book.report.revenue - 500.0).abs() < MONEY);
}

/// Files that read without a fault but leave the customer analyses nothing (or little) to do:
/// each says why, and no analysis panics on them.
#[test]
fn all_anonymous_all_returns_and_one_customer() {
    let anonymous = read(&file_with_rows(&["1,,2024-01-01,5", "2,,2024-02-02,6"]));
    assert_eq!(
        (anonymous.report.rows_anonymous, anonymous.report.customers),
        (2, 0)
    );
    assert_eq!(
        anonymous.report.notes,
        [
            "Every order is anonymous (no customer id): the totals count them, but RFM, cohorts, \
          lifecycle and CLV need a customer id or e-mail column; choose it in the column \
          mapping."
        ]
    );
    let returns = read(&file_with_rows(&["1,a,2024-01-01,-5", "2,b,2024-02-02,-6"]));
    assert_eq!((returns.report.purchases, returns.report.returns), (0, 2));
    assert_eq!(
        returns.report.notes,
        [
            "None of the 2 orders is a purchase: all are returns (negative amounts or marked as \
          returns), so RFM, cohorts, lifecycle and CLV have nothing to count. Check the amount \
          column and its sign."
        ]
    );
    let one = read(&file_with_rows(&[
        "1,a,2024-01-01,5",
        "2,a,2024-02-02,6",
        "3,a,2024-03-02,7",
    ]));
    assert_eq!((one.report.customers, one.report.orders), (1, 3));
    assert!(one.report.notes.is_empty());

    for (name, book) in [
        ("anonymous", &anonymous),
        ("returns", &returns),
        ("one", &one),
    ] {
        let by_customer = book.customer_orders();
        let _ = rfm(book, &RfmOptions::default());
        let _ = cohorts(book, Period::Month);
        let clv = analyze(book, &by_customer, &ClvOptions::default());
        assert!(
            clv.is_err(),
            "{name}: CLV needs several customers with purchases"
        );
    }
    let by_customer = one.customer_orders();
    let as_of = *one.day.iter().max().unwrap();
    assert!(stage_snapshot(&one, &by_customer, as_of, &LifecycleRules::default()).is_ok());
    let anonymous_orders = anonymous.customer_orders();
    assert!(
        stage_snapshot(
            &anonymous,
            &anonymous_orders,
            *anonymous.day.iter().max().unwrap(),
            &LifecycleRules::default()
        )
        .is_ok()
    );
}

/// Regression (lifecycle, found by this suite): a book whose first customer has only returns
/// panics with "attempt to subtract with overflow" in `PurchaseRhythm::position_at`
/// (`(through > 0).then_some((start, start + through - 1))` evaluates `0 + 0 - 1` eagerly; the
/// release build wraps and discards it, debug builds and tests panic). Reported to the lifecycle
/// owner; `then(|| …)` fixes it.
#[test]
fn lifecycle_with_customers_who_only_returned() {
    let returns = read(&file_with_rows(&["1,a,2024-01-01,-5", "2,b,2024-02-02,-6"]));
    let by_customer = returns.customer_orders();
    let as_of = *returns.day.iter().max().unwrap();
    let snapshot = stage_snapshot(&returns, &by_customer, as_of, &LifecycleRules::default());
    assert!(snapshot.is_ok());
}

/// Regression (found by the streaming fuzz target): a chunk that decodes to no text — blanks of
/// a whitespace-separated file, the first byte of a character split between chunks — reached
/// csv-core as an empty input, which it reads as the end of the file, closing the record in
/// progress. Files under the sniff size never took that path, so it needs a small sniff.
#[test]
fn a_chunk_that_decodes_to_nothing_does_not_end_the_record() {
    let cases: [(&str, &[u8], IngestOptions); 3] = [
        (
            "CDNOW columns split inside a run of blanks",
            b" 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n 00021 0002 19970101  3   63.34\r\n",
            IngestOptions::preset("cdnow"),
        ),
        (
            "UTF-8 letters split between chunks",
            "order,customer,date,amount\n1,Nguyễn Thị Ánh,2024-01-01,5\n2,Đặng,2024-01-02,6\n"
                .as_bytes(),
            default(),
        ),
        (
            "Windows-1258 vowel held back for its tone mark",
            b"order,customer,date,amount\n1,Nguy\xEA\xDEn,2024-01-01,5\n2,V\xE3n,2024-01-02,6\n",
            default(),
        ),
    ];
    for (case, bytes, options) in cases {
        // From 33 bytes the sniff sees the whole first CDNOW line.
        for sniff in [33, 40, 70] {
            let one_piece = streamed(&options, sniff, bytes, &[bytes.len()]).unwrap();
            assert_eq!(
                one_piece.report.rows_rejected, 0,
                "{case}: {:?}",
                one_piece.report
            );
            for sizes in [&[1usize][..], &[1, 3, 7, 16], &[2, 1]] {
                let chunked = streamed(&options, sniff, bytes, sizes).unwrap();
                assert_same_book(&one_piece, &chunked, &format!("{case}, {sizes:?}"));
            }
        }
    }
}

/// Pushes `bytes` in chunks of `sizes` (cycled) into a builder that decides after `sniff` bytes.
fn streamed(
    options: &IngestOptions,
    sniff: usize,
    bytes: &[u8],
    sizes: &[usize],
) -> Result<IngestedBook, IngestError> {
    let mut builder = OrderBookBuilder::with_sniff_bytes(options.clone(), sniff)?;
    let mut rest = bytes;
    for &size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (chunk, after) = rest.split_at(size.min(rest.len()));
        builder.push(chunk)?;
        rest = after;
    }
    builder.finish()
}

/// Everything a successful ingestion promises, whatever the input.
fn assert_sound(book: &IngestedBook, input: &[u8]) {
    let r: &IngestReport = &book.report;
    let context = || String::from_utf8_lossy(&input[..input.len().min(300)]).into_owned();
    assert_eq!(
        r.rows_accepted + r.rows_rejected,
        r.rows_read,
        "{}",
        context()
    );
    assert!(r.rows_anonymous <= r.rows_accepted);
    assert_eq!(
        r.rejects.len() as u64,
        r.rows_rejected.min(REJECTS_KEPT as u64)
    );
    assert_eq!(r.orders as usize, book.order_count());
    assert_eq!(r.purchases + r.returns, r.orders);
    assert!(r.orders + r.cancelled <= r.rows_accepted);
    assert!(r.revenue.is_finite());
    let first = Day::from_ymd(1970, 1, 1).unwrap().0;
    let last = Day::from_ymd(2100, 12, 31).unwrap().0;
    for i in 0..book.order_count() {
        assert!(book.value[i].is_finite());
        assert!(
            (first..=last).contains(&book.day[i]),
            "{}",
            Day(book.day[i]).to_string()
        );
        assert!(
            book.customer[i] == ANONYMOUS || (book.customer[i] as usize) < book.customer_ids.len()
        );
        if book.value[i] < 0.0 {
            assert_eq!(book.kind[i], OrderKind::Return);
        }
    }
    for id in &book.customer_ids {
        assert!(!id.is_empty() && id.trim() == id && id.chars().count() <= 1_000);
    }
}

/// Property: over hostile random files — random bytes, unbalanced and doubled quotes, fields in
/// random encodings and byte-order marks, random delimiters and line ends — ingestion never
/// panics, every row is accounted for, money stays finite, and reading in random chunks after a
/// small sniff gives the same book as one piece (and the default builder the same as `read_csv`).
#[test]
fn every_row_is_accounted_for_in_hostile_random_files() {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let fields: &[&[u8]] = &[
        b"",
        b"x",
        b"\"",
        b"\"\"",
        b"\"a\"\"b\"",
        b"\"open",
        b"close\"",
        b"2024-01-05",
        b"31/01/2024",
        b"01/31/2024",
        b"1900-01-01",
        b"9999-12-31",
        b"12.5",
        b"-3",
        b"1e308",
        b"NaN",
        b"1.234,5",
        b"(7,50)",
        b"C12",
        b"Caf\xE9",
        b"Nguy\xE1\xBB\x85n",
        b"\xEF\xBB\xBF",
        b"\xFF\xFE",
        b"\0",
        b"\r",
        b" ",
        b"=HYPERLINK(\"x\")",
        b"<script>",
    ];
    let separators: &[&[u8]] = &[b",", b",", b",", b";", b"\t", b"|", b"  "];
    let line_ends: &[&[u8]] = &[b"\n", b"\r\n", b"\r"];
    let mut files_read = 0;
    for case in 0..400 {
        let mode = case % 4;
        let mut bytes: Vec<u8> = match mode {
            // Raw random bytes, sometimes after a valid header.
            0 => {
                let mut bytes = if next() % 2 == 0 {
                    HEADER.as_bytes().to_vec()
                } else {
                    Vec::new()
                };
                bytes.extend((0..next() % 600).map(|_| next() as u8));
                bytes
            }
            _ => {
                let separator = separators[(next() % separators.len() as u64) as usize];
                let line_end = line_ends[(next() % line_ends.len() as u64) as usize];
                let header = ["order", "customer", "date", "amount"]
                    .join(std::str::from_utf8(separator).expect("ASCII separators"));
                let mut bytes = header.into_bytes();
                bytes.extend_from_slice(line_end);
                for _ in 0..next() % 40 {
                    for f in 0..1 + next() % 6 {
                        if f > 0 {
                            bytes.extend_from_slice(separator);
                        }
                        bytes.extend_from_slice(fields[(next() % fields.len() as u64) as usize]);
                    }
                    bytes.extend_from_slice(line_end);
                }
                bytes
            }
        };
        // Re-encode a quarter of the structured files as UTF-16, with or without a BOM.
        if mode == 3 {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let big_endian = next() % 2 == 0;
            let mut encoded = match (next() % 2, big_endian) {
                (0, false) => vec![0xFF, 0xFE],
                (0, true) => vec![0xFE, 0xFF],
                _ => Vec::new(),
            };
            for unit in text.encode_utf16() {
                encoded.extend(if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                });
            }
            bytes = encoded;
        }
        let options = match next() % 8 {
            0 => with_delimiter(b';'),
            1 => IngestOptions::preset("cdnow"),
            _ => default(),
        };
        let whole = read_csv(&bytes, &options);
        if let Ok(book) = &whole {
            files_read += 1;
            assert_sound(book, &bytes);
        }
        let sizes: Vec<usize> = (0..3).map(|_| 1 + (next() % 23) as usize).collect();
        let mut builder = OrderBookBuilder::new(options.clone()).unwrap();
        let default_streamed = bytes
            .chunks(sizes[0])
            .try_for_each(|chunk| builder.push(chunk))
            .and_then(|()| builder.finish());
        match (&whole, &default_streamed) {
            (Ok(a), Ok(b)) => assert_same_book(a, b, "default sniff"),
            (a, b) => assert_eq!(a.as_ref().err(), b.as_ref().err()),
        }
        let sniff = 1 + (next() % 64) as usize;
        let one_piece = streamed(&options, sniff, &bytes, &[bytes.len().max(1)]);
        let chunked = streamed(&options, sniff, &bytes, &sizes);
        match (&one_piece, &chunked) {
            (Ok(a), Ok(b)) => {
                assert_sound(a, &bytes);
                assert_same_book(a, b, &format!("sniff {sniff}, chunks {sizes:?}"));
            }
            (a, b) => assert_eq!(a.as_ref().err(), b.as_ref().err()),
        }
    }
    // The generators must reach the reader, not just its error messages.
    assert!(files_read > 150, "only {files_read} files were read");
}

/// A BG/NBD fit, then the predictions a page shows for each customer: P(alive) and the 30-day
/// purchase probability in [0, 1], expected purchases finite and not negative.
fn assert_bgnbd_predictions_sound(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    weights: Option<&[f64]>,
) {
    let Ok(fit) = bgnbd::fit(frequency, recency, age, weights) else {
        return; // Refusing such a summary with a message is a fine answer.
    };
    let p = fit.params;
    for i in 0..frequency.len() {
        let (x, t_x, t) = (frequency[i], recency[i], age[i]);
        let alive = p.p_alive(x, t_x, t);
        let purchase = p.p_purchase_within(30.0 / 7.0, x, t_x, t);
        let expected = p.conditional_expected_purchases(52.0, x, t_x, t);
        assert!((0.0..=1.0).contains(&alive), "P(alive) {alive} at {p:?}");
        assert!(
            (0.0..=1.0).contains(&purchase),
            "P(purchase) {purchase} at {p:?}"
        );
        assert!(
            expected.is_finite() && expected >= 0.0,
            "expected purchases {expected} at {p:?} for x={x}, t_x={t_x}, T={t}"
        );
    }
}

/// Regression (CLV, found by the clv_fit fuzz target): when the likelihood has no maximum, the
/// fit returns `Ok` with parameters run off to 0 or ∞ — flagged only by the warning
/// `bgnbd_extreme_parameters` — and the predictions at them are NaN or negative. Reachable from
/// `fitBgNbd` with any arrays; the first input (repeat purchases at t_x = 0) cannot come from a
/// book, the others (one shared history, two customers) can from a small one. The fit should
/// refuse these (an error saying the data cannot pin the model down) or keep its predictions in
/// range. Reported to the CLV owner.
#[test]
fn bgnbd_fit_without_a_maximum_gives_no_nan_predictions() {
    // α → 6e-320: expected purchases NaN.
    assert_bgnbd_predictions_sound(&[0.0, 31.0], &[0.0, 0.0], &[11520.0, 0.0], None);
    // Seven customers with one history: r ≈ 8e221, b ≈ 1e251, expected purchases NaN.
    assert_bgnbd_predictions_sound(&[24.0], &[1.0118255615234375], &[37.00390625], Some(&[7.0]));
    // Two customers: r ≈ 3e38, b ≈ 5e57, expected purchases −0.004.
    assert_bgnbd_predictions_sound(
        &[15.0, 0.0],
        &[13.651889534883722, 0.0],
        &[43.68604651162791, 0.7441860465116279],
        None,
    );
}

/// Regression (CLV, found by the clv_fit fuzz target): with two spend levels the Gamma-Gamma fit
/// returns q ≈ 2.6e162, v ≈ 1.7e300 and an infinite expected order value. Reported.
#[test]
fn gamma_gamma_fit_on_two_spend_levels_gives_finite_order_values() {
    let frequency = [48.0, 36.0, 39.0];
    let monetary_mean = [16657.0, 44.69, 0.0];
    let weights = [7.0, 1.0, 0.0];
    let Ok(fit) = gamma_gamma::fit(&frequency, &monetary_mean, Some(&weights)) else {
        return;
    };
    let p = fit.params;
    for i in 0..2 {
        let value = p.expected_order_value(frequency[i], monetary_mean[i]);
        assert!(value.is_finite(), "E[order value] {value} at {p:?}");
    }
}

/// Every reject carries a stable code and parameters, so the page can word it in Vietnamese.
#[test]
fn reasons_carry_codes_for_translation() {
    let book = read(&file_with_rows(&[
        "1,a,2024-01-01,abc",
        "2,b,not a date,5",
        "3,c",
        "4,d,1900-01-01,5",
        "5,e,2024-02-30,5",
        "6,f,2024-01-01,",
    ]));
    let codes: Vec<(&str, Vec<(&str, &str)>)> = book
        .report
        .rejects
        .iter()
        .map(|r| {
            (
                r.reason.code.as_str(),
                r.reason
                    .params
                    .iter()
                    .map(|(k, v)| (*k, v.as_str()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("value_not_a_number", vec![("what", "amount")]),
            ("date_unrecognised", vec![]),
            ("short_row", vec![("fields", "2"), ("expected", "4")]),
            ("date_out_of_range", vec![("date", "1900-01-01")]),
            ("date_invalid", vec![]),
            ("value_empty", vec![("what", "amount")]),
        ]
    );
}

/// Unreadable files carry a stable code and parameters, so the page can word them in Vietnamese.
#[test]
fn errors_carry_codes_for_translation() {
    type Case = (
        &'static [u8],
        &'static str,
        &'static [(&'static str, &'static str)],
    );
    let cases: [Case; 5] = [
        (b"", "empty_file", &[]),
        (b"order,customer,date,amount\n", "no_rows", &[]),
        (
            b"PK\x03\x04\x14\x00xl/workbook.xml",
            "binary_file",
            &[("kind", "xlsx")],
        ),
        (
            b"order,date,amount\n1,2024-01-01,5\n",
            "missing_column",
            &[("role", "customer"), ("columns", "order, date, amount")],
        ),
        (
            b"order;customer;date;amount\n1;a;2024-01-01;5\n",
            "single_column",
            &[
                ("delimiter", ","),
                ("columns", "order;customer;date;amount"),
            ],
        ),
    ];
    for (bytes, code, params) in cases {
        let options = IngestOptions {
            delimiter: (code == "single_column").then_some(b','),
            ..default()
        };
        let error = read_csv(bytes, &options).unwrap_err();
        assert_eq!(error.code, code, "{}", error.message);
        let got: Vec<(&str, &str)> = error.params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(got, params, "{code}");
    }
}

/// Regression (found by `scripts/fuzz.sh --long`, target `read_csv`): a CDNOW-style file with a
/// carriage return followed by a vertical tab. The vertical tab began the next line as its first
/// token, the customer id. Cells are trimmed with a fast ASCII trim that keeps a vertical tab,
/// while ids are compared trimmed by `str::trim`, which removes it: the id `"\x0b"` was not
/// blank (so not anonymous) but was stored as `""`, a customer without an id. Input as the
/// fuzzer wrote it, with its five option bytes (preset `cdnow`) taken off.
#[test]
fn a_vertical_tab_alone_is_no_customer_id() {
    let fuzz_input: &[u8] = b"\x06\x00\x00\x00\x00 00004 0001 19970101  2   29.33\r\x0b 00YYYYYYYYYYYYYYYYYYYYzYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY 199701105 19970101  2   23.94\r\n\
         .0111 0006 199700004 0001 19C70802  1   14.96\r\n\
         00004 000\xcd\x07\x00\x001 19971212  2   26.48\r\n\
         00021 0002 19970105 19970101  2   23.94\r\n\
         .0111 0006 19970101  1   35.99\r   35.99\r\n\
        ";
    let book = read_csv(&fuzz_input[5..], &IngestOptions::preset("cdnow")).unwrap();
    assert_sound(&book, fuzz_input);
    assert!(
        book.customer_ids.iter().all(|id| !id.is_empty()),
        "{:?}",
        book.customer_ids
    );

    // The same in a comma-separated file: a vertical tab (or one around an id) is trimmed
    // like any blank.
    let book = read("order,customer,date,amount\n1,\x0b,2024-01-01,5\n2,\x0bb\x0b,2024-01-02,6\n");
    assert_eq!(book.customer_ids, ["b"]);
    assert_eq!(book.report.rows_anonymous, 1);
}
