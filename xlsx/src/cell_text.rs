//! One cell's value as CSV text.

use std::fmt::Write;

use calamine::DataRef;

/// Appends the cell's value to `out` as a CSV field (nothing for an empty cell).
pub(crate) fn write_cell(out: &mut Vec<u8>, value: &DataRef<'_>) {
    match value {
        DataRef::Empty => {}
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            write_text(out, text)
        }
        DataRef::SharedString(text) => write_text(out, text),
        DataRef::Int(number) => out.extend_from_slice(number.to_string().as_bytes()),
        DataRef::Float(number) => out.extend_from_slice(number_text(*number).as_bytes()),
        DataRef::Bool(true) => out.extend_from_slice(b"TRUE"),
        DataRef::Bool(false) => out.extend_from_slice(b"FALSE"),
        // A time of day alone (a serial under one day): its text is the time, never a date of
        // December 1899, so a date column of such cells is refused rather than read as 1899.
        DataRef::DateTime(time) if time.is_datetime() && time.as_f64() < 1.0 => {
            let (_, _, _, hour, minute, second, _) = time.to_ymd_hms_milli();
            out.extend_from_slice(format!("{hour:02}:{minute:02}:{second:02}").as_bytes());
        }
        DataRef::DateTime(date) if date.is_datetime() => {
            let (year, month, day, hour, minute, second, _) = date.to_ymd_hms_milli();
            out.extend_from_slice(date_text(year, month, day, hour, minute, second).as_bytes());
        }
        DataRef::DateTime(duration) => {
            out.extend_from_slice(number_text(duration.as_f64()).as_bytes())
        }
        DataRef::Error(error) => write_text(out, &error.to_string()),
    }
}

/// Text as a CSV field: quoted when it holds a comma or a quote; a line break becomes a space,
/// so one sheet row stays one line and row numbers stay the sheet's.
fn write_text(out: &mut Vec<u8>, text: &str) {
    let quoted = text.contains([',', '"']);
    if quoted {
        out.push(b'"');
    }
    for byte in text.bytes() {
        match byte {
            b'"' => out.extend_from_slice(b"\"\""),
            b'\r' | b'\n' => out.push(b' '),
            _ => out.push(byte),
        }
    }
    if quoted {
        out.push(b'"');
    }
}

/// A number as Excel shows it in a CSV it saves: whole numbers without a decimal point, others
/// to 15 significant digits, so binary noise (`12.300000000000001`) reads as written (`12.3`).
pub fn number_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        return format!("{number:.0}");
    }
    // The shortest text that reads back as the number is nearly always short enough already;
    // rounding through the exponent form is only needed for the rest.
    let shortest = number.to_string();
    if significant_digits(&shortest) <= 15 {
        return shortest;
    }
    let rounded: f64 = format!("{number:.14e}").parse().unwrap_or(number);
    rounded.to_string()
}

fn significant_digits(text: &str) -> usize {
    let digits = text.bytes().filter(u8::is_ascii_digit);
    digits.skip_while(|&d| d == b'0').count()
}

/// An ISO 8601 date, with the time only when it is not midnight.
pub fn date_text(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> String {
    let mut text = format!("{year:04}-{month:02}-{day:02}");
    if (hour, minute, second) != (0, 0, 0) {
        let _ = write!(text, "T{hour:02}:{minute:02}:{second:02}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn field(value: DataRef<'_>) -> String {
        let mut out = Vec::new();
        write_cell(&mut out, &value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_read_as_excel_shows_them() {
        let cases = [
            (17850.0, "17850"),
            (-3.0, "-3"),
            (12.3f64.next_up(), "12.3"),
            (0.1 + 0.2, "0.3"),
            (2.55, "2.55"),
            (1234567.891, "1234567.891"),
            (1e15, "1000000000000000"),
            (0.000123, "0.000123"),
            (-45_413.597_222_222_2 - 1e-11, "-45413.5972222222"),
        ];
        for (number, text) in cases {
            assert_eq!(number_text(number), text, "{number}");
        }
    }

    #[test]
    fn dates_become_iso_dates() {
        let date = |serial| {
            DataRef::DateTime(ExcelDateTime::new(
                serial,
                ExcelDateTimeType::DateTime,
                false,
            ))
        };
        assert_eq!(field(date(40878.0)), "2011-12-01");
        assert_eq!(field(date(40878.35)), "2011-12-01T08:24:00");
        let since_1904 = ExcelDateTime::new(39416.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(field(DataRef::DateTime(since_1904)), "2011-12-01");
    }

    #[test]
    fn a_time_alone_stays_a_time() {
        let time = DataRef::DateTime(ExcelDateTime::new(0.35, ExcelDateTimeType::DateTime, false));
        assert_eq!(field(time), "08:24:00");
    }

    #[test]
    fn text_is_quoted_when_it_must_be_and_stays_on_one_line() {
        assert_eq!(field(DataRef::SharedString("Đức")), "Đức");
        assert_eq!(
            field(DataRef::SharedString("1,250,000 ₫")),
            "\"1,250,000 ₫\""
        );
        assert_eq!(
            field(DataRef::String("say \"hi\"".into())),
            "\"say \"\"hi\"\"\""
        );
        assert_eq!(
            field(DataRef::String("12 Lê Lợi\r\nQuận 1".into())),
            "12 Lê Lợi  Quận 1"
        );
        assert_eq!(field(DataRef::Bool(true)), "TRUE");
        assert_eq!(field(DataRef::Int(-7)), "-7");
        assert_eq!(field(DataRef::Empty), "");
    }
}
