//! The per-customer RFM list as CSV, the file a store loads into its email or SMS tool.
//!
//! Header: `customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment`; one row
//! per scored customer in the book's customer order; monetary with 2 decimals. Written by
//! [`CsvWriter`], which quotes fields and neutralises spreadsheet formulas: an id like `-42` is
//! written `'-42`; a phone id in E.164 (`+84912345678`) is a number and is written as it is.

use super::{QuartileGroup, RfmError, RfmTable};
use crate::book::OrderBook;
use crate::csv_writer::CsvWriter;

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

/// Writes the customers `filter` keeps as CSV.
pub fn write_csv(
    book: &OrderBook,
    table: &RfmTable,
    filter: &RowFilter,
) -> Result<String, RfmError> {
    let positions = filter.positions(table)?;
    let mut csv = CsvWriter::new(CSV_HEADER, positions.len(), 48);
    let segments = table.rules.segments();
    for &i in &positions {
        let i = i as usize;
        let id = book
            .customer_ids
            .get(table.customer(i) as usize)
            .unwrap_or("");
        csv.text(id);
        csv.integer(i64::from(table.recency_days[i]));
        csv.integer(i64::from(table.frequency[i]));
        csv.money(table.monetary()[i]);
        for score in [table.r_score[i], table.f_score[i], table.m_score[i]] {
            csv.integer(i64::from(score));
        }
        csv.text(&segments[table.segment[i] as usize]);
        csv.end_row();
    }
    Ok(csv.finish())
}
