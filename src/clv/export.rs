//! The per-customer CLV table as CSV (`book.clvCsv(…)`), one row per calibration customer,
//! written by [`CsvWriter`].

use crate::book::OrderBook;
use crate::csv_writer::CsvWriter;

use super::analysis::ClvAnalysis;

/// The exact header of the export (DESIGN.md).
pub const CSV_HEADER: [&str; 11] = [
    "customer_id",
    "frequency",
    "recency",
    "T",
    "monetary_mean",
    "p_alive",
    "expected_purchases",
    "expected_order_value",
    "clv",
    "p_purchase_30d",
    "next_order_date",
];

impl ClvAnalysis {
    /// The CSV text: recency and T in periods to 4 decimals, probabilities and expected purchases
    /// to 6, money to 2; empty cells where a figure is not available.
    pub fn csv(&self, book: &OrderBook) -> String {
        let summary = &self.summary;
        let scores = &self.scores;
        let mut csv = CsvWriter::new(&CSV_HEADER.join(","), summary.len(), 96);
        for i in 0..summary.len() {
            csv.text(&book.customer_ids[summary.customer[i] as usize]);
            csv.integer(i64::from(summary.frequency[i]));
            csv.decimal(summary.recency(i), 4);
            csv.decimal(summary.age(i), 4);
            csv.decimal(summary.monetary_mean[i], 2);
            csv.decimal(scores.p_alive[i], 6);
            csv.decimal(scores.expected_purchases[i], 6);
            csv.decimal(scores.expected_order_value[i].unwrap_or(f64::NAN), 2);
            csv.decimal(scores.clv[i].unwrap_or(f64::NAN), 2);
            csv.decimal(scores.p_purchase_30d[i], 6);
            match scores.next_order_day[i] {
                Some(day) => csv.day(day),
                None => csv.empty(),
            }
            csv.end_row();
        }
        csv.finish()
    }
}
