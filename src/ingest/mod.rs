//! Ingestion: bytes of an order export in, an [`OrderBook`] and a report accounting for every
//! input row out.

pub mod amounts;
mod builder;
mod charset;
pub mod columns;
pub mod dates;
mod decode;
pub mod identity;
mod line_items;
mod notes;
mod order_ids;
mod order_index;
mod orders;
mod records;
mod rejects;
pub mod split;
mod timed_orders;
mod wire;

use serde::Serialize;
use serde::ser::SerializeStruct;

pub use builder::{
    OrderBookBuilder, RowFields, RowSource, SAMPLE_ROWS, SNIFF_BYTES, read_row_source,
};
pub use columns::{AttributeColumn, ColumnNames, Preset, Role, RoleMap, normalise_header};
pub use dates::DateOrder;
pub use decode::{TextEncoding, named_encoding};
pub use identity::{CustomerIdRule, IdNormalization, PhoneCountry};

use crate::book::{ANONYMOUS, OrderBook, OrderKind};
use crate::day::Day;
use crate::message::{Message, Params};

/// A book read from a file or rows, with the report of how the rows became its orders. It
/// dereferences to its book, so an analysis takes it where it takes an [`OrderBook`].
#[derive(Clone, Debug, Default)]
pub struct IngestedBook {
    pub book: OrderBook,
    pub report: IngestReport,
}

impl std::ops::Deref for IngestedBook {
    type Target = OrderBook;

    fn deref(&self) -> &OrderBook {
        &self.book
    }
}

/// How many rejected rows are kept with their details (all are counted).
pub const REJECTS_KEPT: usize = 100;

/// One input row that did not become part of an order, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Reject {
    /// 1-based row number in the file, the header being row 1.
    pub row: u64,
    /// The column's header name ("" when the problem is the row itself).
    pub column: String,
    pub value: String,
    /// What is wrong and what to do: the English text, and a stable code (`date_unrecognised`,
    /// `value_not_a_number`, `short_row`…) with params for a page to word it.
    pub reason: Message,
}

/// `{ row, column, value, reason, code, params }`: the reason's English text beside its code.
impl Serialize for Reject {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_struct("Reject", 6)?;
        object.serialize_field("row", &self.row)?;
        object.serialize_field("column", &self.column)?;
        object.serialize_field("value", &self.value)?;
        object.serialize_field("reason", &self.reason.message)?;
        object.serialize_field("code", &self.reason.code)?;
        object.serialize_field("params", &Params(&self.reason.params))?;
        object.end()
    }
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
    /// The header name of each role's column (serialized as `[[role, header], …]`).
    pub columns: ColumnNames,
    /// How customer ids were normalised: `none` (trimmed, `17850.0` = `17850`), `email`
    /// (lowercased) or `phone` (E.164); see [`identity`].
    pub customer_id_normalization: String,
    /// The country of phone numbers written the national way (ISO code, `VN` by default).
    pub phone_country: String,
    /// Every header of the file, for choosing the mapping by hand.
    pub headers: Vec<String>,
    /// Blank lines skipped (not rows).
    pub blank_lines: u64,
    /// Lines above the header row (a title block, blank lines in it included), skipped: not
    /// rows, not blank lines. 0 when the first line with text is the header.
    pub title_lines: u64,
    /// The first [`REJECTS_KEPT`] rejected rows.
    pub rejects: Vec<Reject>,
    /// Plain-language remarks about the file (ambiguous dates, orders with mixed customers…),
    /// in English.
    pub notes: Vec<String>,
    /// Each of `notes` with its stable code and params, for a page to word the note in its own
    /// language (as `Reject` has for rows).
    pub note_codes: Vec<Message>,
}

impl IngestReport {
    /// Adds a note: its English `text` to `notes`, its code and params to `note_codes`.
    pub(crate) fn add_note(&mut self, note: Message) {
        self.notes.push(note.message.clone());
        self.note_codes.push(note);
    }

    /// Fills the counts that follow from the finished book (or from a filtered one: the
    /// summary of the kept orders).
    pub fn fill_order_counts(&mut self, book: &OrderBook) {
        self.orders = book.order_count() as u64;
        self.purchases = book
            .kind
            .iter()
            .filter(|&&k| k == OrderKind::Purchase)
            .count() as u64;
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
        self.first_date = book.first_day().map(|day| Day(day).to_string());
        self.last_date = book.last_day().map(|day| Day(day).to_string());
    }
}

/// A file that cannot be read at all (or options that cannot be used), with a message that says
/// what to do, and a stable code with params so a page can word it in its own language: one of
/// the file codes of [`Code`] (`empty_file`, `no_rows`, `binary_file`, `missing_column`…).
pub type IngestError = Message;

/// How to read a file; every field is optional and detected when absent. Typed: the JS skin
/// (or any caller) turns names into these values and reports what it cannot.
#[derive(Clone, Debug, Default)]
pub struct IngestOptions {
    /// The export format (see [`columns::preset`]); recognised from the header when absent.
    pub preset: Option<&'static Preset>,
    /// Header names the caller chose for some roles (`columns` in the JS API); an empty name
    /// says "this file has no such column".
    pub columns: ColumnNames,
    pub date_order: Option<DateOrder>,
    /// The delimiter byte (`,` `;` `|` a tab…); `b' '` for runs of blanks (CDNOW style).
    pub delimiter: Option<u8>,
    pub encoding: Option<TextEncoding>,
    /// How customer ids are made comparable: see [`identity`].
    pub customer_id_normalization: IdNormalization,
    /// The country of phone numbers written the national way.
    pub phone_country: PhoneCountry,
    /// Headers of columns to keep as order attributes beside those the roles find
    /// (`attributes` in the JS API).
    pub attributes: Vec<String>,
}

impl IngestOptions {
    /// Options with the preset called `name`, the common case for Rust callers.
    ///
    /// # Panics
    /// When `name` is no preset: a mistake in the calling code, not in a file (names given by
    /// people go through [`columns::preset`], which says what the names are).
    pub fn preset(name: &str) -> IngestOptions {
        IngestOptions {
            preset: Some(columns::preset(name).unwrap_or_else(|e| panic!("{e}"))),
            ..IngestOptions::default()
        }
    }

    /// The chosen column names, trimmed.
    fn chosen_columns(&self) -> ColumnNames {
        self.columns
            .iter()
            .map(|(role, name)| (role, name.trim()))
            .collect()
    }
}

/// Reads a whole CSV file held in memory.
pub fn read_csv(bytes: &[u8], options: &IngestOptions) -> Result<IngestedBook, IngestError> {
    let mut builder = OrderBookBuilder::new(options.clone())?;
    builder.expect_bytes(bytes.len() as u64);
    builder.push(bytes)?;
    builder.finish()
}

/// Reads rows a host page already has: `headers` names the fields, each row gives them as text
/// (a missing field is empty). The same roles, presets and rules as for a CSV file apply.
pub fn read_rows(
    headers: Vec<String>,
    rows: &[Vec<String>],
    options: &IngestOptions,
) -> Result<IngestedBook, IngestError> {
    read_row_source(&mut builder::TextRows { headers, rows }, options)
}
