//! The per-customer CLV table as CSV (`book.clvCsv(…)`), one row per calibration customer.

use crate::book::{OrderBook, format_day};

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

/// A cell that a spreadsheet would take for a formula (leading `=`, `+`, `-`, `@`, tab or carriage
/// return) gets a leading `'`, so opening the export never runs anything.
pub fn neutralise_formula(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// `value` with at most `decimals` decimals and no trailing zeros ("0.5", "12", "0.000123").
fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

impl ClvAnalysis {
    /// The CSV text: recency and T in periods, probabilities to 6 decimals, money to 2.
    pub fn csv(&self, book: &OrderBook) -> String {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let summary = &self.summary;
        let scores = &self.scores;
        // Writing to a Vec cannot fail; errors would only come from the writer itself.
        let _ = writer.write_record(CSV_HEADER);
        for i in 0..summary.len() {
            let id = &book.customer_ids[summary.customer[i] as usize];
            let record = [
                neutralise_formula(id).into_owned(),
                summary.frequency[i].to_string(),
                number(summary.recency(i), 4),
                number(summary.age(i), 4),
                number(summary.monetary_mean[i], 2),
                number(scores.p_alive[i], 6),
                number(scores.expected_purchases[i], 6),
                scores.expected_order_value[i].map_or(String::new(), |v| number(v, 2)),
                scores.clv[i].map_or(String::new(), |v| number(v, 2)),
                number(scores.p_purchase_30d[i], 6),
                scores.next_order_day[i].map_or(String::new(), format_day),
            ];
            let _ = writer.write_record(&record);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        let cases = [
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@x", "'@x"),
            ("\tx", "'\tx"),
            ("C17850", "C17850"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(neutralise_formula(input), expected);
        }
    }

    #[test]
    fn numbers_are_short() {
        let cases = [
            (0.5, 6, "0.5"),
            (12.0, 2, "12"),
            (0.000123, 6, "0.000123"),
            (-0.0000001, 2, "0"),
            (f64::NAN, 2, ""),
        ];
        for (value, decimals, expected) in cases {
            assert_eq!(number(value, decimals), expected);
        }
    }
}
