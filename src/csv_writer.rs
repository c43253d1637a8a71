//! [`CsvWriter`]: the one writer behind every CSV export (RFM, CLV, lifecycle lists, the grouped
//! CLV summary), so that quoting and formula neutralising are written once.
//!
//! RFC 4180 with `\n` line ends: a field holding a comma, a quote or a line break is quoted, its
//! quotes doubled. Text that a spreadsheet would run as a formula — starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return — gets a leading `'`, so opening an export in Excel or
//! LibreOffice never runs a formula hidden in a customer id (CSV injection); a phone id in E.164
//! (`+84912345678`) is a number, not a formula, and is written as it is.
//!
//! Numbers are written digit by digit into one `String`, without `format!`: `format!` of floats
//! dominated the exports (about 4 µs a row in WASM), and a table can have millions of rows.

use std::borrow::Cow;
use std::fmt::Write;

use crate::day::Day;

/// A CSV text being written row by row, header first.
pub struct CsvWriter {
    out: String,
    /// True until the current row has a field (no separator before the first one).
    row_empty: bool,
}

impl CsvWriter {
    /// A file whose first line is `header` (the column names, comma-separated, written as they
    /// are), with room for `rows` rows of about `row_bytes` bytes.
    pub fn new(header: &str, rows: usize, row_bytes: usize) -> CsvWriter {
        let mut out = String::with_capacity(header.len() + 1 + rows.saturating_mul(row_bytes));
        out.push_str(header);
        out.push('\n');
        CsvWriter {
            out,
            row_empty: true,
        }
    }

    /// Ends the current row.
    pub fn end_row(&mut self) {
        self.out.push('\n');
        self.row_empty = true;
    }

    /// The CSV text.
    pub fn finish(self) -> String {
        self.out
    }

    fn separate(&mut self) {
        if !self.row_empty {
            self.out.push(',');
        }
        self.row_empty = false;
    }

    /// An empty field: a figure that is not available.
    pub fn empty(&mut self) {
        self.separate();
    }

    /// A text field (an id, a name), neutralised and quoted as needed.
    pub fn text(&mut self, text: &str) {
        self.separate();
        let text = neutralise_formula(text);
        if text.contains([',', '"', '\n', '\r']) {
            self.out.push('"');
            for (index, part) in text.split('"').enumerate() {
                if index > 0 {
                    self.out.push_str("\"\"");
                }
                self.out.push_str(part);
            }
            self.out.push('"');
        } else {
            self.out.push_str(&text);
        }
    }

    /// A whole number.
    pub fn integer(&mut self, value: i64) {
        self.separate();
        if value < 0 {
            self.out.push('-');
        }
        push_digits(&mut self.out, value.unsigned_abs());
    }

    /// `value` rounded to `decimals` decimals (half away from zero on the binary value), with no
    /// trailing zeros: `0.5`, `12`, `0.000123`. A non-finite value leaves the field empty.
    pub fn decimal(&mut self, value: f64, decimals: u32) {
        self.separate();
        if !value.is_finite() {
            return;
        }
        let scale = 10u64.pow(decimals);
        let scaled = (value.abs() * scale as f64).round();
        if scaled >= EXACT_SCALED_LIMIT {
            // Beyond exact integers: plain formatting is right and rare.
            let _ = write!(self.out, "{value:.0}");
            return;
        }
        let scaled = scaled as u64;
        let (whole, mut fraction) = (scaled / scale, scaled % scale);
        if value < 0.0 && scaled != 0 {
            self.out.push('-');
        }
        push_digits(&mut self.out, whole);
        if fraction == 0 {
            return;
        }
        let mut digits = decimals;
        while fraction % 10 == 0 {
            fraction /= 10;
            digits -= 1;
        }
        let _ = write!(self.out, ".{fraction:0width$}", width = digits as usize);
    }

    /// `value` exactly: the shortest decimal that reads back as the same `f64` (`12`, `0.1`,
    /// `1e-7`). A non-finite value leaves the field empty.
    pub fn number(&mut self, value: f64) {
        self.separate();
        if value.is_finite() {
            let _ = write!(self.out, "{value}");
        }
    }

    /// Money with exactly 2 decimals, rounded half away from zero on the amount's decimal value
    /// (amounts are settled to millionths, so 2.675 is written 2.68, not 2.67 as binary float
    /// formatting would); never `-0.00`.
    pub fn money(&mut self, amount: f64) {
        self.separate();
        if amount.is_nan() || amount.abs() >= EXACT_CENTS_LIMIT {
            let text = format!("{amount:.2}");
            self.out
                .push_str(if text == "-0.00" { "0.00" } else { &text });
            return;
        }
        let micros = (amount * 1e6).round() as i64;
        let cents = (micros.abs() + 5_000) / 10_000;
        if micros < 0 && cents > 0 {
            self.out.push('-');
        }
        push_digits(&mut self.out, (cents / 100) as u64);
        self.out.push('.');
        let fraction = (cents % 100) as u8;
        self.out.push((b'0' + fraction / 10) as char);
        self.out.push((b'0' + fraction % 10) as char);
    }

    /// A day as `YYYY-MM-DD`.
    pub fn day(&mut self, day: i32) {
        self.separate();
        let _ = write!(self.out, "{}", Day(day));
    }
}

/// Prefixes `'` to text a spreadsheet would read as a formula (a phone id in E.164 is a number,
/// not a formula: it is written as it is).
pub fn neutralise_formula(text: &str) -> Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
            if !crate::ingest::identity::is_e164(text) =>
        {
            Cow::Owned(format!("'{text}"))
        }
        _ => Cow::Borrowed(text),
    }
}

/// Scaled decimals from here on are no longer exact integers in an `f64`.
const EXACT_SCALED_LIMIT: f64 = 9.0e15;

/// Largest amount written through exact integer cents (beyond it, float formatting is used).
const EXACT_CENTS_LIMIT: f64 = 9.0e9;

/// Decimal digits of a whole number, without going through `fmt`.
pub(crate) fn push_digits(out: &mut String, mut value: u64) {
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
    out.push_str(std::str::from_utf8(&digits[start..]).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row through `write`, without the (empty) header and the line ends.
    fn row(write: impl FnOnce(&mut CsvWriter)) -> String {
        let mut writer = CsvWriter::new("", 1, 16);
        write(&mut writer);
        writer.finish().trim_matches('\n').to_string()
    }

    #[test]
    fn formulas_are_neutralised_and_plain_text_kept() {
        let cases = [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+1", "'+1"),
            ("+84912345678", "+84912345678"),
            ("+84912345678+1", "'+84912345678+1"),
            ("-42", "'-42"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("12347", "12347"),
            ("C17850", "C17850"),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (text, expected) in cases {
            assert_eq!(neutralise_formula(text), expected);
        }
    }

    #[test]
    fn text_fields_are_neutralised_then_quoted() {
        let cases = [
            ("17850", "17850"),
            ("plain", "plain"),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("+1", "'+1"),
            ("+84912345678", "+84912345678"),
            ("-5", "'-5"),
            ("@sum", "'@sum"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("say \"hi\", then\nleave", "\"say \"\"hi\"\", then\nleave\""),
            ("Nguyễn", "Nguyễn"),
        ];
        for (text, expected) in cases {
            assert_eq!(row(|w| w.text(text)), expected, "{text:?}");
        }
    }

    #[test]
    fn decimals_are_short_and_rounded() {
        let cases = [
            (0.5, 6, "0.5"),
            (12.0, 2, "12"),
            (0.000123, 6, "0.000123"),
            (-0.0000001, 2, "0"),
            (-7.12345, 2, "-7.12"),
            (2.675, 2, "2.68"),
            (0.9999999, 6, "1"),
            (1.05, 1, "1.1"),
            (12.5, 1, "12.5"),
            (7.04, 1, "7"),
            (30.0, 1, "30"),
            (123456.7, 4, "123456.7"),
            (1e20, 2, "100000000000000000000"),
            (f64::NAN, 2, ""),
            (f64::INFINITY, 2, ""),
        ];
        for (value, decimals, expected) in cases {
            assert_eq!(row(|w| w.decimal(value, decimals)), expected, "{value}");
        }
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
            assert_eq!(row(|w| w.money(amount)), expected, "{amount}");
        }
    }

    #[test]
    fn rows_have_their_header_separators_and_days() {
        let mut writer = CsvWriter::new("id,n,day,missing", 2, 32);
        for (id, n, day) in [("a", 0, 0), ("b,c", -12, -1)] {
            writer.text(id);
            writer.integer(n);
            writer.day(day);
            writer.empty();
            writer.end_row();
        }
        assert_eq!(
            writer.finish(),
            "id,n,day,missing\na,0,1970-01-01,\n\"b,c\",-12,1969-12-31,\n"
        );
        assert_eq!(row(|w| w.integer(i64::MIN)), "-9223372036854775808");
        assert_eq!(row(|w| w.number(0.1 + 0.2)), "0.30000000000000004");
        assert_eq!(row(|w| w.number(-12.0)), "-12");
        assert_eq!(row(|w| w.number(f64::NAN)), "");
        assert_eq!(row(|w| w.day(-719_162)), "0001-01-01");
        assert_eq!(row(|w| w.day(2_932_896)), "9999-12-31");
    }
}
