//! Shared pieces of the fuzz targets: turning the fuzzer's bytes into ingestion options, and the
//! invariants every successful ingestion must satisfy.
//!
//! Inputs start with a few control bytes (options, chunk sizes) followed by the file itself, so a
//! seed in `fuzz/seeds/` is "control bytes + a CSV file" and stays readable in a text editor.

use customer_lens::ingest::columns::preset as preset_named;
use customer_lens::ingest::{
    DateOrder, IngestError, IngestOptions, IngestedBook, REJECTS_KEPT, Role, named_encoding,
};
use customer_lens::{ANONYMOUS, OrderBook, OrderKind};

/// Reads control values off the front of the fuzzer's input; past the end every read is 0.
pub struct Control<'a> {
    bytes: &'a [u8],
}

impl<'a> Control<'a> {
    pub fn new(bytes: &'a [u8]) -> Control<'a> {
        Control { bytes }
    }

    pub fn byte(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((&first, rest)) => {
                self.bytes = rest;
                first
            }
            None => 0,
        }
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }

    pub fn f64(&mut self) -> f64 {
        let mut raw = [0u8; 8];
        raw.iter_mut().for_each(|b| *b = self.byte());
        f64::from_le_bytes(raw)
    }

    /// One of `choices`, picked by the next byte.
    pub fn pick<T: Copy>(&mut self, choices: &[T]) -> T {
        choices[self.byte() as usize % choices.len()]
    }

    /// What is left: the file.
    pub fn rest(self) -> &'a [u8] {
        self.bytes
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Ingestion options from four control bytes: every preset, encoding label, delimiter and date
/// order the API accepts (names are checked where the JS skin reads them), and column overrides (an
/// empty name means "the file has no such column").
pub fn options(control: &mut Control) -> IngestOptions {
    let preset = control.pick(&[
        None,
        None,
        Some("online-retail"),
        Some("shopify"),
        Some("haravan"),
        Some("woocommerce"),
        Some("cdnow"),
        Some("generic"),
    ]);
    let encoding = control.pick(&[
        None,
        None,
        None,
        Some("utf-8"),
        Some("utf-16le"),
        Some("utf-16be"),
        Some("windows-1252"),
        Some("windows-1258"),
    ]);
    let delimiter = control.pick(&[
        None,
        None,
        None,
        Some(b','),
        Some(b';'),
        Some(b'\t'),
        Some(b'|'),
        Some(b' '),
        Some(b'x'),
    ]);
    let date_order = control.pick(&[
        None,
        None,
        Some(DateOrder::Ymd),
        Some(DateOrder::Dmy),
        Some(DateOrder::Mdy),
    ]);
    let overrides = control.byte();
    let names = [
        "customer", "date", "amount", "", "order", "Quantity", "price",
    ];
    let mut options = IngestOptions {
        preset: preset.map(|name| preset_named(name).expect("a known preset")),
        encoding: encoding.map(|label| named_encoding(label).expect("a known encoding")),
        delimiter,
        date_order,
        ..IngestOptions::default()
    };
    if overrides & 0x80 != 0 {
        let name = |bits: u8| Some(names[bits as usize % names.len()].to_string());
        options.columns.set(Role::Customer, name(overrides));
        options.columns.set(Role::Date, name(overrides >> 2));
        options.columns.set(Role::Amount, name(overrides >> 4));
    }
    options
}

/// First day accepted as an order date (1970-01-01) and the last (2100-12-31), in days since
/// 1970-01-01: see `ingest::ORDER_DATES`.
const FIRST_ORDER_DAY: i32 = 0;
const LAST_ORDER_DAY: i32 = 47_846;

/// Every invariant of a successfully ingested book; panics (a fuzz crash) when one fails.
pub fn check_book(book: &IngestedBook) {
    let r = &book.report;
    let orders = book.order_count();
    assert_eq!(
        r.rows_accepted + r.rows_rejected,
        r.rows_read,
        "row accounting"
    );
    assert!(r.rows_anonymous <= r.rows_accepted);
    assert_eq!(
        r.rejects.len() as u64,
        r.rows_rejected.min(REJECTS_KEPT as u64),
        "kept rejects"
    );
    assert!(r.rows_read > 0, "a book without rows must be an error");
    assert_eq!(book.customer.len(), orders);
    assert_eq!(book.value.len(), orders);
    assert_eq!(book.kind.len(), orders);
    assert_eq!(r.orders as usize, orders);
    assert_eq!(r.purchases + r.returns, r.orders);
    assert!(
        r.orders + r.cancelled <= r.rows_accepted,
        "every order comes from accepted rows"
    );
    assert_eq!(r.customers as usize, book.customer_ids.len());
    assert!(r.revenue.is_finite(), "revenue {}", r.revenue);
    let mut used = vec![false; book.customer_ids.len()];
    for i in 0..orders {
        let c = book.customer[i];
        if c != ANONYMOUS {
            used[c as usize] = true;
        }
        assert!(book.value[i].is_finite(), "order value {}", book.value[i]);
        if book.value[i] < 0.0 {
            assert_eq!(book.kind[i], OrderKind::Return, "negative purchase");
        }
        assert!(
            (FIRST_ORDER_DAY..=LAST_ORDER_DAY).contains(&book.day[i]),
            "order day {} outside 1970..=2100",
            book.day[i]
        );
    }
    assert!(used.iter().all(|&u| u), "a customer id without orders");
    for id in &book.customer_ids {
        assert!(!id.is_empty() && id.trim() == id, "customer id {id:?}");
    }
    for reject in &r.rejects {
        assert!(reject.value.chars().count() <= 200, "reject value too long");
        assert!(!reject.reason.message.is_empty());
    }
    assert!(r.first_date <= r.last_date);
}

/// The message of an error must say something a person can act on.
pub fn check_error(error: &IngestError) {
    assert!(error.message.len() > 10, "terse error {:?}", error.message);
    assert!(
        error.message.len() < 2_000,
        "error message of {} bytes",
        error.message.len()
    );
}

/// Asserts two ingestions of the same bytes gave the same result.
pub fn assert_same(
    expected: &Result<IngestedBook, IngestError>,
    actual: &Result<IngestedBook, IngestError>,
    what: &str,
) {
    match (expected, actual) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.report, b.report, "{what}: report");
            assert_eq!(a.customer_ids, b.customer_ids, "{what}: customer ids");
            assert_eq!(a.customer, b.customer, "{what}: customers");
            assert_eq!(a.day, b.day, "{what}: days");
            let bits =
                |book: &OrderBook| book.value.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(a), bits(b), "{what}: values");
            assert_eq!(a.kind, b.kind, "{what}: kinds");
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "{what}: errors"),
        (a, b) => panic!(
            "{what}: one failed and the other did not: {:?} vs {:?}",
            a.as_ref().err(),
            b.as_ref().err()
        ),
    }
}
