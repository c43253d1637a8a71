//! The per-customer RFM list as CSV, the file a store loads into its email or SMS tool.
//!
//! Header: `customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment`; one row
//! per scored customer in the book's customer order; monetary with 2 decimals (see
//! [`format_money`]); fields quoted when they contain a comma, quote or line break (RFC 4180,
//! `\n` line ends).
//!
//! Spreadsheet formulas are neutralised: a customer id or segment name starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return gets a leading `'`, so opening the file in Excel or
//! LibreOffice never runs a formula hidden in an id (CSV injection). An id like `-42` is therefore
//! written `'-42`; a phone id in E.164 (`+84912345678`) is a number and is written as it is.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{QuartileGroup, RfmError, RfmTable};
use crate::book::OrderBook;

pub const CSV_HEADER: &str =
    "customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment";

/// Which customers a list or export keeps; both conditions apply when both are given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowFilter {
    /// A segment name of the table in use (case-insensitive).
    pub segment: Option<String>,
    pub group: Option<QuartileGroup>,
}

impl RowFilter {
    /// Positions in `table` of the customers the filter keeps, in table order.
    pub fn positions(&self, table: &RfmTable) -> Result<Vec<u32>, RfmError> {
        // An empty name (a UI's "all segments" choice) filters nothing.
        let segment = match self.segment.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(name) => Some(segment_index(table, name)?),
        };
        let keeps = |i: usize| {
            segment.is_none_or(|s| table.segment[i] == s)
                && self
                    .group
                    .is_none_or(|g| table.quartile_group(i) == Some(g))
        };
        Ok((0..table.len())
            .filter(|&i| keeps(i))
            .map(|i| i as u32)
            .collect())
    }
}

/// The index of a segment name in the table's segment list.
fn segment_index(table: &RfmTable, name: &str) -> Result<u8, RfmError> {
    let wanted = name.trim();
    let segments = table.rules.segments();
    match segments
        .iter()
        .position(|s| s.eq_ignore_ascii_case(wanted) || s == wanted)
    {
        Some(index) => Ok(index as u8),
        None => Err(RfmError::UnknownSegment {
            given: wanted.to_string(),
            known: segments.to_vec(),
        }),
    }
}

/// Prefixes `'` to text a spreadsheet would read as a formula (a phone id in E.164 is a number,
/// not a formula: it is written as it is).
pub fn neutralise_formula(text: &str) -> Cow<'_, str> {
    if crate::ingest::identity::is_e164(text) {
        return Cow::Borrowed(text);
    }
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// Largest amount written through exact integer cents (beyond it, float formatting is used).
const EXACT_CENTS_LIMIT: f64 = 9.0e9;

/// Money with 2 decimals, rounded half away from zero on the amount's decimal value (amounts are
/// settled to millionths, so 2.675 is written 2.68, not 2.67 as binary float formatting would);
/// never `-0.00`.
pub fn format_money(amount: f64, out: &mut String) {
    if amount.is_nan() || amount.abs() >= EXACT_CENTS_LIMIT {
        let start = out.len();
        let _ = write!(out, "{amount:.2}");
        if &out[start..] == "-0.00" {
            out.replace_range(start.., "0.00");
        }
        return;
    }
    let micros = (amount * 1e6).round() as i64;
    let cents = (micros.abs() + 5_000) / 10_000;
    if micros < 0 && cents > 0 {
        out.push('-');
    }
    push_integer(out, (cents / 100) as u64);
    out.push('.');
    let fraction = (cents % 100) as u8;
    out.push((b'0' + fraction / 10) as char);
    out.push((b'0' + fraction % 10) as char);
}

/// Decimal digits of a whole number, without going through `fmt`.
fn push_integer(out: &mut String, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    for &digit in &digits[start..] {
        out.push(digit as char);
    }
}

/// A CSV field: quoted, with quotes doubled, when it holds a comma, a quote or a line break.
fn push_field(out: &mut String, text: &str) {
    if text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push('"');
        for (index, part) in text.split('"').enumerate() {
            if index > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// Writes the customers `filter` keeps as CSV.
pub fn write_csv(
    book: &OrderBook,
    table: &RfmTable,
    filter: &RowFilter,
) -> Result<String, RfmError> {
    let positions = filter.positions(table)?;
    let mut out = String::with_capacity(CSV_HEADER.len() + 1 + positions.len() * 48);
    out.push_str(CSV_HEADER);
    out.push('\n');
    let segments: Vec<String> = table
        .rules
        .segments()
        .iter()
        .map(|name| {
            let mut field = String::new();
            push_field(&mut field, &neutralise_formula(name));
            field
        })
        .collect();
    for &i in &positions {
        let i = i as usize;
        let id = book
            .customer_ids
            .get(table.customer(i) as usize)
            .unwrap_or("");
        push_field(&mut out, &neutralise_formula(id));
        for value in [table.recency_days[i], table.frequency[i]] {
            out.push(',');
            push_integer(&mut out, value as u64);
        }
        out.push(',');
        format_money(table.monetary()[i], &mut out);
        for score in [table.r_score[i], table.f_score[i], table.m_score[i]] {
            out.push(',');
            push_integer(&mut out, score as u64);
        }
        out.push(',');
        out.push_str(&segments[table.segment[i] as usize]);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_plain_ids_kept() {
        let cases = [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("+84912345678", "+84912345678"),
            ("+84912345678+1", "'+84912345678+1"),
            ("-42", "'-42"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("12347", "12347"),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (id, expected) in cases {
            assert_eq!(neutralise_formula(id), expected);
        }
        let mut field = String::new();
        push_field(&mut field, "say \"hi\", then\nleave");
        assert_eq!(field, "\"say \"\"hi\"\", then\nleave\"");
    }

    #[test]
    fn money_has_two_decimals_and_no_negative_zero() {
        let cases = [
            (4310.0, "4310.00"),
            (-0.001, "0.00"),
            (-0.0, "0.00"),
            (0.125, "0.13"),
            (2.675, "2.68"),
            (-2.675, "-2.68"),
            (-12.5, "-12.50"),
            (0.994999, "0.99"),
            (1e12 + 0.25, "1000000000000.25"),
            (f64::NAN, "NaN"),
        ];
        for (amount, expected) in cases {
            let mut text = String::from("x");
            format_money(amount, &mut text);
            assert_eq!(text, format!("x{expected}"));
        }
    }
}
