//! A file read in byte ranges by several workers, the parts merged, gives the book and report
//! one pass gives: every committed test file cut at many byte offsets into 2 to 4 ranges, and a
//! generated file with everything a cut can fall into (quoted line breaks, an order's lines on
//! both sides of a cut or far apart, attributes, contacts, products, rejects, blank lines).

mod common;

use common::assert_same_book;
use customer_lens::cohort::{Period, cohorts};
use customer_lens::ingest::split::{RangeScan, read_csv_in_ranges, read_parts, scan_range};
use customer_lens::ingest::{IngestOptions, IngestedBook, read_csv};
use customer_lens::rfm::{RfmOptions, rfm};

/// Every field of the book and the report.
fn assert_same(split: &IngestedBook, whole: &IngestedBook, context: &str) {
    assert_same_book(whole, split, context);
    let (a, b) = (&split.book, &whole.book);
    assert_eq!(a.attributes, b.attributes, "attributes, {context}");
    assert_eq!(a.lines, b.lines, "lines, {context}");
    assert_eq!(a.contacts, b.contacts, "contacts, {context}");
}

/// The analyses of two books, compared once per file (equal books give equal analyses).
fn assert_same_analyses(split: &IngestedBook, whole: &IngestedBook, context: &str) {
    let rfm_of = |book: &IngestedBook| format!("{:?}", rfm(book, &RfmOptions::default()));
    assert_eq!(rfm_of(split), rfm_of(whole), "rfm, {context}");
    let cohorts_of = |book: &IngestedBook| format!("{:?}", cohorts(book, Period::Month));
    assert_eq!(cohorts_of(split), cohorts_of(whole), "cohorts, {context}");
}

/// Small deterministic pseudo-random numbers (an LCG), for offsets.
struct Offsets(u64);

impl Offsets {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Offsets where a cut tells most: every line start, the bytes either side of it (inside a
/// `\r\n`, mid-record), just inside every quote, and a few others; at most `most`.
fn interesting_offsets(bytes: &[u8], most: usize) -> Vec<u64> {
    let mut offsets: Vec<u64> = Vec::new();
    for (i, &byte) in bytes.iter().enumerate() {
        if matches!(byte, b'\n' | b'\r' | b'"') {
            offsets.extend([i as u64, i as u64 + 1, i as u64 + 2]);
        }
    }
    offsets.retain(|&o| o > 0 && o < bytes.len() as u64);
    offsets.sort_unstable();
    offsets.dedup();
    let step = offsets.len().div_ceil(most).max(1);
    offsets.into_iter().step_by(step).collect()
}

/// Cuts `bytes` into 2 to 4 ranges at (about `cuts` sets of) offsets where cuts tell most, and
/// checks every merged result against one pass; returns how many cuts could be read in ranges.
fn check_cuts(name: &str, bytes: &[u8], options: &IngestOptions, cuts: usize) -> usize {
    let whole = read_csv(bytes, options);
    let offsets = interesting_offsets(bytes, cuts);
    let mut pick = Offsets(bytes.len() as u64);
    let mut read = 0;
    for (cut, &offset) in offsets.iter().enumerate() {
        let mut starts = vec![0, offset];
        for _ in 0..cut % 3 {
            starts.push(offsets[pick.below(offsets.len() as u64) as usize]);
        }
        starts.sort_unstable();
        starts.dedup();
        let context = format!("{name} cut at {starts:?}");
        match (read_csv_in_ranges(bytes, options, &starts), &whole) {
            (Ok(Some(split)), Ok(whole)) => {
                assert_same(&split, whole, &context);
                if read == 0 {
                    assert_same_analyses(&split, whole, &context);
                }
                read += 1;
            }
            (Ok(None), _) => {}
            (Err(split), Err(whole)) => assert_eq!(split, *whole, "{context}"),
            (split, whole) => panic!("{context}: {split:?} vs {whole:?}"),
        }
    }
    read
}

#[test]
fn committed_files_read_in_ranges_equal_one_pass() {
    let mut files: Vec<_> = std::fs::read_dir("tests/data")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    let mut splittable = 0;
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Fewer cuts of the large files: each cut reads the whole file again.
        let cuts = if bytes.len() < 20_000 { 40 } else { 3 };
        let read = check_cuts(&name, &bytes, &IngestOptions::default(), cuts);
        if read > 0 {
            splittable += 1;
        }
        eprintln!("{name}: {read} cuts read in ranges");
    }
    assert!(splittable >= 10, "{splittable} files read in ranges");
}

#[test]
fn an_online_retail_slice_cut_after_its_header_is_always_read_in_ranges() {
    let bytes = std::fs::read("tests/data/online-retail-slice.csv").unwrap();
    let header = bytes.iter().position(|&b| b == b'\n').unwrap() as u64 + 1;
    let options = IngestOptions::preset("online-retail");
    let whole = read_csv(&bytes, &options).unwrap();
    let mut offsets = Offsets(7);
    for _ in 0..8 {
        let mut starts = vec![0];
        for _ in 0..1 + offsets.below(3) {
            starts.push(header + offsets.below(bytes.len() as u64 - header));
        }
        starts.sort_unstable();
        starts.dedup();
        let split = read_csv_in_ranges(&bytes, &options, &starts).unwrap();
        let split = split.unwrap_or_else(|| panic!("cut at {starts:?} not read in ranges"));
        assert_same(&split, &whole, &format!("cut at {starts:?}"));
    }
}

/// A line-item export with what a cut can fall into: quoted notes with line breaks and commas,
/// orders whose lines are far apart, anonymous and cancelled orders, returns, rejected rows,
/// blank lines, attributes, contacts and products.
fn everything_file(order_ids: bool) -> String {
    let mut text = String::from(
        "Order ID,Customer ID,Order Date,Amount,SKU,Quantity,Country,Email,Status,Note\n",
    );
    if !order_ids {
        text.replace_range(..9, "");
    }
    let mut n = Offsets(3);
    for row in 0..400u64 {
        // Orders of two or three lines, some coming back much later.
        let order = if row % 97 == 5 { row / 7 } else { row / 3 };
        let customer = match order % 11 {
            0 => String::new(),
            c => format!("C{}", (order * 7 + c) % 60),
        };
        let date = match row % 211 {
            17 => "not a date".to_string(),
            _ => format!("2024-{:02}-{:02}", 1 + order % 12, 1 + order % 28),
        };
        let amount = match row % 13 {
            4 => format!("-{}.{:02}", 1 + n.below(50), n.below(100)),
            _ => format!("{}.{:02}", 1 + n.below(300), n.below(100)),
        };
        let country = ["Vietnam", "", "France", "United Kingdom"][(order % 4) as usize];
        let email = if order % 5 == 0 {
            format!("c{}@shop.vn", order % 60)
        } else {
            String::new()
        };
        let status = if order % 17 == 3 { "cancelled" } else { "paid" };
        let note = match row % 7 {
            0 => "\"gift, wrap\nplease\"".to_string(),
            1 => "\"said \"\"hi\"\"\"".to_string(),
            _ => String::new(),
        };
        if order_ids {
            text.push_str(&format!("{order},"));
        }
        text.push_str(&format!(
            "{customer},{date},{amount},SKU{},{},{country},{email},{status},{note}\n",
            n.below(40),
            1 + n.below(4),
        ));
        if row % 90 == 0 {
            text.push('\n');
        }
    }
    text
}

#[test]
fn a_file_with_everything_read_in_ranges_equals_one_pass() {
    let text = everything_file(true);
    let bytes = text.as_bytes();
    let whole = read_csv(bytes, &IngestOptions::default()).unwrap();
    let report = &whole.report;
    assert!(report.rows_rejected > 0 && report.blank_lines > 0 && report.cancelled > 0);
    assert!(
        whole.lines.is_some() && whole.contacts.is_some(),
        "{report:#?}"
    );
    assert_eq!(whole.attributes.len(), 1, "{report:#?}");
    let read = check_cuts("everything", bytes, &IngestOptions::default(), 60);
    assert!(read > 30, "{read} of 60 cuts read in ranges");
    // Line starts past the header, as the first cut of two ranges.
    let line_starts = (0..bytes.len()).filter(|&i| i > 0 && bytes[i - 1] == b'\n');
    for start in line_starts.skip(1).step_by(9) {
        match read_parts(bytes, &IngestOptions::default(), &[0, start as u64]).unwrap() {
            Some(split) => assert_same(&split, &whole, &format!("part at {start}")),
            // A line break inside a quoted note: not a record start.
            None => assert!(
                text[..start].matches('"').count() % 2 == 1,
                "part at {start}"
            ),
        }
    }
}

/// Without an order id column, orders are keyed by customer and instant, also across cuts.
#[test]
fn a_file_without_order_ids_read_in_ranges_equals_one_pass() {
    let text = everything_file(false);
    let whole = read_csv(text.as_bytes(), &IngestOptions::default()).unwrap();
    assert!(
        whole
            .report
            .columns
            .get(customer_lens::ingest::Role::Order)
            .is_none()
    );
    let read = check_cuts(
        "no order ids",
        text.as_bytes(),
        &IngestOptions::default(),
        40,
    );
    assert!(read > 20, "{read} of 40 cuts read in ranges");
}

#[test]
fn a_scan_finds_the_first_record_start_for_either_quote_parity() {
    let text = b"a,\"x\ny\",1\nb,2\n\"q\nr\",3\nc,4\n";
    let scan = scan_range(text);
    assert_eq!(
        scan,
        RangeScan {
            odd_quotes: false,
            line_start: [Some(10), Some(5)],
        }
    );
    let long = [
        &[b'x'; 37][..],
        b"\"",
        &[b'y'; 20][..],
        b"\n",
        &[b'z'; 9][..],
        b"\"\n",
    ]
    .concat();
    let scan = scan_range(&long);
    assert_eq!(scan.line_start, [Some(long.len() as u64), Some(59)]);
    assert!(!scan.odd_quotes);
}
