//! The per-customer RFM list as CSV, the file a store loads into its email or SMS tool.
//!
//! Header: `customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment`; one row
//! per scored customer in the book's customer order; monetary with 2 decimals; fields quoted when
//! they contain a comma, quote or line break (RFC 4180, `\n` line ends).
//!
//! Spreadsheet formulas are neutralised: a customer id or segment name starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return gets a leading `'`, so opening the file in Excel or
//! LibreOffice never runs a formula hidden in an id (CSV injection). An id like `-42` is therefore
//! written `'-42`.

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
        let segment = match &self.segment {
            None => None,
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

/// Prefixes `'` to text a spreadsheet would read as a formula.
pub fn neutralise_formula(text: &str) -> Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// Money with 2 decimals; never `-0.00`.
pub fn format_money(amount: f64, out: &mut String) {
    let start = out.len();
    let _ = write!(out, "{amount:.2}");
    if &out[start..] == "-0.00" {
        out.replace_range(start.., "0.00");
    }
}

/// Writes the customers `filter` keeps as CSV.
pub fn write_csv(
    book: &OrderBook,
    table: &RfmTable,
    filter: &RowFilter,
) -> Result<String, RfmError> {
    let positions = filter.positions(table)?;
    let export_error = |e: csv::Error| RfmError::Export {
        reason: e.to_string(),
    };
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::with_capacity(64 + positions.len() * 48));
    writer
        .write_record(CSV_HEADER.split(','))
        .map_err(export_error)?;
    let segments: Vec<Cow<str>> = table
        .rules
        .segments()
        .iter()
        .map(|s| neutralise_formula(s))
        .collect();
    let mut number = String::with_capacity(32);
    for &i in &positions {
        let i = i as usize;
        let id = book
            .customer_ids
            .get(table.customer[i] as usize)
            .map_or("", String::as_str);
        writer
            .write_field(neutralise_formula(id).as_bytes())
            .map_err(export_error)?;
        for value in [table.recency_days[i], table.frequency[i]] {
            number.clear();
            let _ = write!(number, "{value}");
            writer.write_field(&number).map_err(export_error)?;
        }
        number.clear();
        format_money(table.monetary[i], &mut number);
        writer.write_field(&number).map_err(export_error)?;
        for score in [table.r_score[i], table.f_score[i], table.m_score[i]] {
            number.clear();
            let _ = write!(number, "{score}");
            writer.write_field(&number).map_err(export_error)?;
        }
        writer
            .write_field(segments[table.segment[i] as usize].as_bytes())
            .map_err(export_error)?;
        writer.write_record(None::<&[u8]>).map_err(export_error)?;
    }
    let bytes = writer.into_inner().map_err(|e| RfmError::Export {
        reason: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|e| RfmError::Export {
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_plain_ids_kept() {
        let cases = [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
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
    }

    #[test]
    fn money_has_two_decimals_and_no_negative_zero() {
        let cases = [
            (4310.0, "4310.00"),
            (-0.001, "0.00"),
            (-0.0, "0.00"),
            (0.125, "0.12"),
            (-12.5, "-12.50"),
        ];
        for (amount, expected) in cases {
            let mut text = String::from("x");
            format_money(amount, &mut text);
            assert_eq!(text, format!("x{expected}"));
        }
    }
}
