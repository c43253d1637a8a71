//! Ingestion: bytes of an order export in, an [`OrderBook`] and a report accounting for every
//! input row out.

pub mod values;

use serde::Serialize;

use crate::book::{ANONYMOUS, OrderBook, OrderKind, format_day};

/// How many rejected rows are kept with their details (all are counted).
pub const REJECTS_KEPT: usize = 100;

/// One input row that did not become part of an order, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reject {
    /// 1-based row number in the file, the header being row 1.
    pub row: u64,
    /// The column's header name ("" when the problem is the row itself).
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// What ingestion read and decided: the `summary()` of the JS API.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IngestReport {
    pub rows_read: u64,
    pub rows_accepted: u64,
    pub rows_rejected: u64,
    /// Accepted rows without a customer id (also counted in `rows_accepted`).
    pub rows_anonymous: u64,
    /// Orders kept: purchases + returns.
    pub orders: u64,
    pub purchases: u64,
    pub returns: u64,
    /// Orders whose status says they were cancelled, refunded, voided or failed; not kept.
    pub cancelled: u64,
    /// Distinct customer ids among the kept orders.
    pub customers: u64,
    pub customers_with_purchase: u64,
    /// Net revenue: the sum of the values of all kept orders, anonymous ones included.
    pub revenue: f64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub encoding: String,
    pub delimiter: String,
    pub date_order: String,
    /// True when no date in the file settled day-first vs month-first.
    pub date_order_ambiguous: bool,
    pub decimal_separator: String,
    pub preset: String,
    /// Role → header name of the columns used.
    pub columns: Vec<(String, String)>,
    /// Blank lines skipped (not rows).
    pub blank_lines: u64,
    /// The first [`REJECTS_KEPT`] rejected rows.
    pub rejects: Vec<Reject>,
    /// Plain-language remarks about the file (ambiguous dates, orders with mixed customers…).
    pub notes: Vec<String>,
}

impl IngestReport {
    /// A report of the counts a book implies, for books built without a file.
    pub fn describe(book: &OrderBook) -> IngestReport {
        let mut report = IngestReport {
            rows_read: book.order_count() as u64,
            rows_accepted: book.order_count() as u64,
            ..IngestReport::default()
        };
        report.fill_order_counts(book);
        report
    }

    /// Fills the counts that follow from the finished book.
    pub(crate) fn fill_order_counts(&mut self, book: &OrderBook) {
        self.orders = book.order_count() as u64;
        self.purchases = book.kind.iter().filter(|&&k| k == OrderKind::Purchase).count() as u64;
        self.returns = self.orders - self.purchases;
        self.customers = book.customer_count() as u64;
        let mut has_purchase = vec![false; book.customer_count()];
        for (&c, &kind) in book.customer.iter().zip(&book.kind) {
            if c != ANONYMOUS && kind == OrderKind::Purchase {
                has_purchase[c as usize] = true;
            }
        }
        self.customers_with_purchase = has_purchase.iter().filter(|&&p| p).count() as u64;
        self.revenue = book.value.iter().sum();
        self.first_date = book.first_day().map(format_day);
        self.last_date = book.last_day().map(format_day);
    }
}
