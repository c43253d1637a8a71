//! Parsing of the values inside fields: dates (many written forms) and money amounts.
//!
//! Column-level decisions (which of day/month comes first, which decimal separator a column uses)
//! are made from a sample of the column with the `detect_*` functions, then every field of the
//! column is parsed with that decision.

use serde::Serialize;

/// Which of year, month and day come first in a numeric date such as `03/04/2011`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    Ymd,
    Dmy,
    Mdy,
}

/// A parsed date: the calendar day as written, and the instant when a time is present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedDate {
    /// Days since 1970-01-01 of the date as written (a UTC offset does not move the day).
    pub day: i32,
    /// Seconds since 1970-01-01T00:00 of the date and time as written, when a time was given
    /// (used to tell apart orders of one customer on one day when there is no order id).
    pub seconds: Option<i64>,
}

/// What the sample of a date column says about the order of day and month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateOrderDetection {
    /// The order the data proves, or `None` when every sampled date reads both ways.
    pub order: Option<DateOrder>,
    /// True when the sample has numeric day/month dates and none of them settles the order.
    pub ambiguous: bool,
}

/// Decides the date order of a column from a sample of its values. `31/12/2023` proves
/// day-first, `12/31/2023` month-first, ISO `2023-12-31` year-first.
pub fn detect_date_order(samples: &[&str]) -> DateOrderDetection {
    todo!("{}", samples.len())
}

/// Why a date field could not be read; `Display` says what the user can do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    Empty,
    /// Not a form we know.
    Unrecognised,
    /// Numbers that do not make a calendar date (month 13, 30 February…).
    Invalid,
    /// A day-first date such as 31/12/2023 while the column is read month-first (or the reverse).
    OrderConflict { found: DateOrder },
}

/// Parses one date field in the column's `order`.
pub fn parse_date(text: &str, order: DateOrder) -> Result<ParsedDate, DateError> {
    todo!("{text} {order:?}")
}

/// The decimal separator of a money column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DecimalSeparator {
    Dot,
    Comma,
}

/// Decides the decimal separator of a column from a sample of its values; `Dot` when the sample
/// does not say.
pub fn detect_decimal_separator(samples: &[&str]) -> DecimalSeparator {
    todo!("{}", samples.len())
}

/// Why an amount field could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    NotANumber,
    NotFinite,
}

/// Parses a money amount or quantity: `1,234.56`, `1.234,56`, `1.250.000 ₫`, `$12`, `12 000 đ`,
/// `(12.50)` (negative), `-3`.
pub fn parse_amount(text: &str, decimal: DecimalSeparator) -> Result<f64, AmountError> {
    todo!("{text} {decimal:?}")
}
