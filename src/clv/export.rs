//! The per-customer CLV table as CSV (`book.clvCsv(…)`), one row per calibration customer.
//!
//! Written straight into one `String` with a small fixed-decimal formatter: `format!` of floats
//! dominated the export (about 4 µs a row in WASM), and the table can have millions of rows.

use std::fmt::Write;

use crate::book::OrderBook;
use crate::day::Day;

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
    // A phone id in E.164 is a number, not a formula.
    if crate::ingest::identity::is_e164(text) {
        return text.into();
    }
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// Appends a text field, quoted (with doubled quotes) when it holds a comma, quote or line break.
fn push_text(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// Appends `value` rounded to `decimals` decimals (half away from zero on the binary value), with
/// no trailing zeros: "0.5", "12", "0.000123". Non-finite values leave the field empty.
fn push_number(out: &mut String, value: f64, decimals: u32) {
    if !value.is_finite() {
        return;
    }
    let scale = 10u64.pow(decimals);
    let scaled = (value.abs() * scale as f64).round();
    if scaled >= 9.0e15 {
        // Beyond exact integers: plain formatting is right and rare.
        let _ = write!(out, "{value:.0}");
        return;
    }
    let scaled = scaled as u64;
    let (whole, mut fraction) = (scaled / scale, scaled % scale);
    if value < 0.0 && scaled != 0 {
        out.push('-');
    }
    let _ = write!(out, "{whole}");
    if fraction == 0 {
        return;
    }
    let mut digits = decimals;
    while fraction % 10 == 0 {
        fraction /= 10;
        digits -= 1;
    }
    let _ = write!(out, ".{fraction:0width$}", width = digits as usize);
}

/// Appends 'YYYY-MM-DD' of a day number.
fn push_date(out: &mut String, day: i32) {
    let _ = write!(out, "{}", Day(day));
}

impl ClvAnalysis {
    /// The CSV text: recency and T in periods to 4 decimals, probabilities and expected purchases
    /// to 6, money to 2; empty cells where a figure is not available.
    pub fn csv(&self, book: &OrderBook) -> String {
        let summary = &self.summary;
        let scores = &self.scores;
        let mut out = String::with_capacity(96 * (summary.len() + 1));
        out.push_str(&CSV_HEADER.join(","));
        out.push('\n');
        for i in 0..summary.len() {
            let id = &book.customer_ids[summary.customer[i] as usize];
            push_text(&mut out, &neutralise_formula(id));
            let _ = write!(out, ",{},", summary.frequency[i]);
            push_number(&mut out, summary.recency(i), 4);
            out.push(',');
            push_number(&mut out, summary.age(i), 4);
            out.push(',');
            push_number(&mut out, summary.monetary_mean[i], 2);
            out.push(',');
            push_number(&mut out, scores.p_alive[i], 6);
            out.push(',');
            push_number(&mut out, scores.expected_purchases[i], 6);
            out.push(',');
            push_number(
                &mut out,
                scores.expected_order_value[i].unwrap_or(f64::NAN),
                2,
            );
            out.push(',');
            push_number(&mut out, scores.clv[i].unwrap_or(f64::NAN), 2);
            out.push(',');
            push_number(&mut out, scores.p_purchase_30d[i], 6);
            out.push(',');
            if let Some(day) = scores.next_order_day[i] {
                push_date(&mut out, day);
            }
            out.push('\n');
        }
        out
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
            ("+84912345678", "+84912345678"),
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
    fn numbers_are_short_and_rounded() {
        let cases = [
            (0.5, 6, "0.5"),
            (12.0, 2, "12"),
            (0.000123, 6, "0.000123"),
            (-0.0000001, 2, "0"),
            (-7.12345, 2, "-7.12"),
            (2.675, 2, "2.68"),
            (0.9999999, 6, "1"),
            (1.05, 1, "1.1"),
            (123456.7, 4, "123456.7"),
            (1e20, 2, "100000000000000000000"),
            (f64::NAN, 2, ""),
        ];
        for (value, decimals, expected) in cases {
            let mut out = String::new();
            push_number(&mut out, value, decimals);
            assert_eq!(out, expected, "{value}");
        }
    }

    #[test]
    fn text_fields_are_quoted_when_needed() {
        let cases = [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
        ];
        for (input, expected) in cases {
            let mut out = String::new();
            push_text(&mut out, input);
            assert_eq!(out, expected);
        }
        let mut out = String::new();
        push_date(&mut out, 0);
        assert_eq!(out, "1970-01-01");
    }
}
