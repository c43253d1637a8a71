//! Dates inside fields, in the many forms exports write them.
//!
//! Which of day and month comes first is decided per column from a sample of it
//! ([`detect_date_order`]), then every field of the column is read in that order ([`parse_date`]).
//! `parse_date` runs on every row, so it never allocates on ordinary input and tries the common
//! shape first (`YYYY-MM-DD HH:MM:SS`, read digit by digit) before the general grammar. The
//! calendar itself (valid dates, day numbers) is [`Day`]'s.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::day::Day;

/// Which of year, month and day come first in a numeric date such as `03/04/2011`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    Ymd,
    Dmy,
    Mdy,
}

impl DateOrder {
    /// The name options and the report use: `"ymd"`, `"dmy"` or `"mdy"`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::Ymd => "ymd",
            DateOrder::Dmy => "dmy",
            DateOrder::Mdy => "mdy",
        }
    }

    /// The pattern a person recognises, for messages: `YYYY-MM-DD`, `DD/MM/YYYY`, `MM/DD/YYYY`.
    pub fn pattern(self) -> &'static str {
        match self {
            DateOrder::Ymd => "YYYY-MM-DD",
            DateOrder::Dmy => "DD/MM/YYYY",
            DateOrder::Mdy => "MM/DD/YYYY",
        }
    }

    /// How a column in this order is read, for messages ("day-first").
    fn reading(self) -> &'static str {
        match self {
            DateOrder::Ymd => "year-first",
            DateOrder::Dmy => "day-first",
            DateOrder::Mdy => "month-first",
        }
    }
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
    /// Sampled dates written year-first (`2011-12-09`, `2011/12/09`, `20111209`).
    pub year_first: usize,
    /// Sampled dates that only make sense day-first (`31/12/2023`).
    pub day_first: usize,
    /// Sampled dates that only make sense month-first (`12/31/2023`).
    pub month_first: usize,
    /// Sampled day/month dates that are valid both ways (`03/04/2011`).
    pub unsettled: usize,
}

impl DateOrderDetection {
    /// True when the sample proves both day-first and month-first dates: the majority won, and
    /// the minority's rows will be rejected as order conflicts, so the user should be told.
    pub fn conflicting(&self) -> bool {
        self.day_first > 0 && self.month_first > 0
    }

    /// A plain-language remark for the report when the sample did not settle the order cleanly.
    pub fn note(&self) -> Option<String> {
        if self.conflicting() {
            let order = self.order.unwrap_or(DateOrder::Dmy);
            Some(format!(
                "the sampled dates disagree: {} only make sense day-first and {} only month-first; \
                 the column is read {} ({}), choose the other order if that is wrong",
                self.day_first,
                self.month_first,
                order.reading(),
                order.pattern()
            ))
        } else if self.ambiguous {
            Some(format!(
                "all {} sampled day/month dates read both ways (like 03/04/2011): choose DD/MM/YYYY \
                 or MM/DD/YYYY if the guess is wrong",
                self.unsettled
            ))
        } else {
            None
        }
    }
}

/// Decides the date order of a column from a sample of its values. `31/12/2023` proves
/// day-first, `12/31/2023` month-first, ISO `2023-12-31` year-first.
///
/// When the sample proves both day-first and month-first dates the larger count wins (a tie goes
/// to day-first, the more common convention) and [`DateOrderDetection::conflicting`] says so.
/// Day/month dates outweigh year-first ones: a column mixing ISO dates with `31/12/2023` needs
/// the day/month order for the latter, ISO dates parse whatever the order. Values that are not
/// dates, and forms that carry no order (month names, Excel serials, Unix times), are not counted.
pub fn detect_date_order(samples: &[&str]) -> DateOrderDetection {
    let mut detection = DateOrderDetection {
        order: None,
        ambiguous: false,
        year_first: 0,
        day_first: 0,
        month_first: 0,
        unsettled: 0,
    };
    for sample in samples {
        let Ok(fields) = scan_date(sample) else {
            continue;
        };
        match fields.date {
            RawDate::Calendar {
                year,
                month,
                day,
                year_first: true,
            } => {
                detection.year_first += usize::from(is_valid_date(year, month, day));
            }
            RawDate::Calendar { .. } | RawDate::Absolute { .. } => {}
            RawDate::DayMonth {
                first,
                second,
                year,
            } => {
                match (
                    is_valid_date(year, second, first),
                    is_valid_date(year, first, second),
                ) {
                    (true, true) => detection.unsettled += 1,
                    (true, false) => detection.day_first += 1,
                    (false, true) => detection.month_first += 1,
                    (false, false) => {}
                }
            }
        }
    }
    detection.order = if detection.day_first + detection.month_first > 0 {
        Some(if detection.month_first > detection.day_first {
            DateOrder::Mdy
        } else {
            DateOrder::Dmy
        })
    } else if detection.unsettled > 0 {
        None
    } else if detection.year_first > 0 {
        Some(DateOrder::Ymd)
    } else {
        None
    };
    detection.ambiguous = detection.order.is_none() && detection.unsettled > 0;
    detection
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
    OrderConflict {
        found: DateOrder,
    },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Empty => f.write_str("the date is empty: every order needs a date"),
            DateError::Unrecognised => f.write_str(
                "not a date form we read: write dates like 2023-12-31, 31/12/2023 or 12/31/2023",
            ),
            DateError::Invalid => f.write_str(
                "not a real calendar date or time (such as month 13 or 30 February): correct it",
            ),
            DateError::OrderConflict { found } => {
                let (example, column) = match found {
                    DateOrder::Dmy => ("31/12/2023", DateOrder::Mdy),
                    DateOrder::Mdy => ("12/31/2023", DateOrder::Dmy),
                    DateOrder::Ymd => ("2023-12-31", DateOrder::Dmy),
                };
                write!(
                    f,
                    "a {} date (like {example}) but the column is read {}: choose {}",
                    found.reading(),
                    column.reading(),
                    found.pattern()
                )
            }
        }
    }
}

impl std::error::Error for DateError {}

/// Parses one date field in the column's `order`.
///
/// Forms read (surrounding whitespace ignored):
/// - ISO 8601 and its relatives, whatever `order`: `2011-12-09`, `2011/12/09`, `2011.12.09`,
///   with an optional time `08:26`, `08:26:00`, fractional seconds, after a space or `T`, and an
///   optional zone `Z`, `UTC`, `+07:00`, `+0700`, ` -0500` (Shopify). The zone is checked but
///   does not move the date: `day` and `seconds` are the date and time as written.
/// - Day/month dates `31/12/2023`, `12/31/2023`, `31.12.2023`, `1-2-11`, read in `order`, with an
///   optional `H:MM[:SS]` and `AM`/`PM`. A date that is only valid the other way round is an
///   [`DateError::OrderConflict`]. Under `Ymd`, which says nothing of day and month, a date that
///   is valid both ways is read day-first.
/// - Two-digit years: `00`–`68` → 2000–2068, `69`–`99` → 1969–1999 (POSIX `strptime`'s pivot).
/// - English month names: `9 Dec 2011`, `09-Dec-11`, `Dec 9, 2011`, `Fri, 09 Dec 2011 08:26:00`.
/// - Plain numbers: `YYYYMMDD` (8 digits), Excel serial days 20000..=80000 with an optional
///   fraction for the time of day, Unix seconds (9–10 digits) and milliseconds (12–13 digits).
pub fn parse_date(text: &str, order: DateOrder) -> Result<ParsedDate, DateError> {
    if let Some(parsed) = parse_iso_fixed(text.as_bytes()) {
        return parsed;
    }
    let fields = scan_date(text)?;
    let day = match fields.date {
        RawDate::Calendar {
            year, month, day, ..
        } => days_checked(year, month, day)?,
        RawDate::DayMonth {
            first,
            second,
            year,
        } => {
            let (month, day) = pick_day_month(first, second, year, order)?;
            days_checked(year, month, day)?
        }
        RawDate::Absolute { day } => day,
    };
    Ok(ParsedDate {
        day,
        seconds: fields
            .second_of_day
            .map(|s| day as i64 * SECONDS_PER_DAY + s as i64),
    })
}

const SECONDS_PER_DAY: i64 = 86_400;

/// Two-digit years below this are 20xx, the others 19xx (POSIX `strptime` `%y`): order
/// histories are recent, and `69`–`99` still reads as the last century.
const TWO_DIGIT_YEAR_PIVOT: u32 = 69;

/// Excel serial day numbers accepted as dates: 1954-10-04 ..= 2119-01-10. A narrower window than
/// Excel's own keeps amounts and ids from passing for dates.
const EXCEL_SERIALS: std::ops::RangeInclusive<i64> = 20_000..=80_000;

/// Excel serial day of 1970-01-01.
const EXCEL_SERIAL_OF_EPOCH: i64 = 25_569;

/// What a date field says before the column's order is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RawDate {
    /// Year, month and day named by the text itself; `year_first` marks ISO-like forms.
    Calendar {
        year: i32,
        month: u32,
        day: u32,
        year_first: bool,
    },
    /// Two numbers that are the day and the month in an order the column decides.
    DayMonth { first: u32, second: u32, year: i32 },
    /// Already a day number (Excel serial, Unix time).
    Absolute { day: i32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DateFields {
    date: RawDate,
    second_of_day: Option<u32>,
}

/// `YYYY-MM-DD` and `YYYY-MM-DD HH:MM:SS` (or with `T`), exactly: the shape of most exports,
/// read digit by digit. `None` when the text has another shape.
#[inline]
fn parse_iso_fixed(b: &[u8]) -> Option<Result<ParsedDate, DateError>> {
    if !(b.len() == 10 || b.len() == 19) || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = two_digits(b[0], b[1])? * 100 + two_digits(b[2], b[3])?;
    let month = two_digits(b[5], b[6])?;
    let day = two_digits(b[8], b[9])?;
    let second_of_day = if b.len() == 19 {
        if !(b[10] == b' ' || b[10] == b'T') || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let hour = two_digits(b[11], b[12])?;
        let minute = two_digits(b[14], b[15])?;
        let second = two_digits(b[17], b[18])?;
        if hour > 23 || minute > 59 || second > 59 {
            return Some(Err(DateError::Invalid));
        }
        Some(hour * 3600 + minute * 60 + second)
    } else {
        None
    };
    Some(days_checked(year as i32, month, day).map(|day| ParsedDate {
        day,
        seconds: second_of_day.map(|s| day as i64 * SECONDS_PER_DAY + s as i64),
    }))
}

#[inline]
fn two_digits(tens: u8, units: u8) -> Option<u32> {
    let (t, u) = (tens.wrapping_sub(b'0'), units.wrapping_sub(b'0'));
    (t < 10 && u < 10).then_some(t as u32 * 10 + u as u32)
}

/// Splits a date field into its parts without deciding the day/month order.
fn scan_date(text: &str) -> Result<DateFields, DateError> {
    let text = text.trim();
    let b = text.as_bytes();
    let Some(&first) = b.first() else {
        return Err(DateError::Empty);
    };
    if first.is_ascii_digit() {
        let integer_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let rest = &b[integer_digits..];
        let plain_number = rest.is_empty()
            || (rest[0] == b'.' && rest.len() > 1 && rest[1..].iter().all(u8::is_ascii_digit));
        if plain_number && integer_digits > 4 {
            return scan_plain_number(text, integer_digits);
        }
        scan_numeric_date(b)
    } else if first.is_ascii_alphabetic() {
        scan_named_month_date(b)
    } else {
        Err(DateError::Unrecognised)
    }
}

/// `YYYYMMDD`, Excel serial days and Unix times: a run of digits with an optional fraction.
fn scan_plain_number(text: &str, integer_digits: usize) -> Result<DateFields, DateError> {
    let has_fraction = integer_digits < text.len();
    let integer: i64 = text[..integer_digits]
        .parse()
        .map_err(|_| DateError::Unrecognised)?;
    match integer_digits {
        8 if !has_fraction => {
            let year = (integer / 10_000) as i32;
            let month = (integer / 100 % 100) as u32;
            let day = (integer % 100) as u32;
            days_checked(year, month, day)?;
            Ok(DateFields {
                date: RawDate::Calendar {
                    year,
                    month,
                    day,
                    year_first: true,
                },
                second_of_day: None,
            })
        }
        5 if EXCEL_SERIALS.contains(&integer) => {
            let second_of_day = if has_fraction {
                let serial: f64 = text.parse().map_err(|_| DateError::Unrecognised)?;
                // Rounded to the second: Excel stores times as binary fractions of a day.
                let seconds = ((serial - integer as f64) * SECONDS_PER_DAY as f64).round() as i64;
                Some(seconds.min(SECONDS_PER_DAY - 1) as u32)
            } else {
                None
            };
            let day = excel_serial_to_day(integer).ok_or(DateError::Invalid)?;
            Ok(DateFields {
                date: RawDate::Absolute { day },
                second_of_day,
            })
        }
        9 | 10 => Ok(unix_seconds(integer)),
        12 | 13 if !has_fraction => Ok(unix_seconds(integer / 1000)),
        _ => Err(DateError::Unrecognised),
    }
}

fn unix_seconds(seconds: i64) -> DateFields {
    DateFields {
        date: RawDate::Absolute {
            day: seconds.div_euclid(SECONDS_PER_DAY) as i32,
        },
        second_of_day: Some(seconds.rem_euclid(SECONDS_PER_DAY) as u32),
    }
}

/// Days since 1970-01-01 of an Excel (1900 date system) serial day number, `None` for serials
/// that name no real day.
///
/// Excel counts 1900-01-01 as serial 1 and, copying Lotus 1-2-3, treats 1900 as a leap year:
/// serial 60 is the non-existent 1900-02-29 and serials 1–59 sit one day off from the later ones.
/// From serial 61 (1900-03-01) on, serial 25569 is 1970-01-01.
fn excel_serial_to_day(serial: i64) -> Option<i32> {
    let day = match serial {
        1..=59 => serial - EXCEL_SERIAL_OF_EPOCH + 1,
        61.. => serial - EXCEL_SERIAL_OF_EPOCH,
        _ => return None,
    };
    i32::try_from(day).ok()
}

/// `31/12/2023`, `12/31/23 8:26 PM`, `2011/12/09 08:26`, `31.12.2023`: three numbers with one
/// separator (`/`, `-` or `.`) used twice, then an optional time.
fn scan_numeric_date(b: &[u8]) -> Result<DateFields, DateError> {
    let mut c = Cursor::new(b);
    let (n1, len1) = c.digits();
    let separator = c.peek().filter(|s| matches!(s, b'/' | b'-' | b'.'));
    let Some(separator) = separator else {
        // `9 Dec 2011`
        return scan_named_month_date(b);
    };
    c.advance();
    if !c.peek().is_some_and(|x| x.is_ascii_digit()) {
        // `09-Dec-2011`
        return scan_named_month_date(b);
    }
    let (n2, len2) = c.digits();
    if !c.eat(separator) {
        return Err(DateError::Unrecognised);
    }
    let (n3, len3) = c.digits();
    let date = match (len1, len2, len3) {
        (4, 1..=2, 1..=2) => RawDate::Calendar {
            year: n1 as i32,
            month: n2,
            day: n3,
            year_first: true,
        },
        (1..=2, 1..=2, 4) => RawDate::DayMonth {
            first: n1,
            second: n2,
            year: n3 as i32,
        },
        (1..=2, 1..=2, 2) => RawDate::DayMonth {
            first: n1,
            second: n2,
            year: expand_two_digit_year(n3),
        },
        _ => return Err(DateError::Unrecognised),
    };
    let second_of_day = scan_time(&mut c)?;
    Ok(DateFields {
        date,
        second_of_day,
    })
}

fn expand_two_digit_year(year: u32) -> i32 {
    (if year < TWO_DIGIT_YEAR_PIVOT {
        2000 + year
    } else {
        1900 + year
    }) as i32
}

/// Dates with an English month name: `9 Dec 2011`, `09-Dec-11`, `Dec 9, 2011`,
/// `December 9th 2011`, `2011-Dec-09`, optionally after a weekday (`Fri, 09 Dec 2011 08:26:00`).
fn scan_named_month_date(b: &[u8]) -> Result<DateFields, DateError> {
    #[derive(Clone, Copy)]
    enum Token {
        Number(u32, usize),
        Month(u32),
    }
    let is_separator = |x: u8| matches!(x, b' ' | b',' | b'-' | b'/' | b'.');
    let mut c = Cursor::new(b);
    let start = c.pos;
    if c.word().is_some_and(is_weekday_name) && c.skip_while(is_separator) > 0 {
        // A leading weekday says nothing the date does not.
    } else {
        c.pos = start;
    }
    let mut tokens = [Token::Month(0); 3];
    for (i, token) in tokens.iter_mut().enumerate() {
        if i > 0 && c.skip_while(is_separator) == 0 {
            return Err(DateError::Unrecognised);
        }
        *token = if let Some(word) = c.word() {
            Token::Month(month_of_name(word).ok_or(DateError::Unrecognised)?)
        } else {
            let (value, len) = c.digits();
            if len == 0 {
                return Err(DateError::Unrecognised);
            }
            // An ordinal suffix: "9th".
            let before_suffix = c.pos;
            if !c.word().is_some_and(is_ordinal_suffix) {
                c.pos = before_suffix;
            }
            Token::Number(value, len)
        };
    }
    let year_of = |value: u32, len: usize| match len {
        4 => Ok(value as i32),
        2 => Ok(expand_two_digit_year(value)),
        _ => Err(DateError::Unrecognised),
    };
    let (year, month, day) = match tokens {
        [
            Token::Month(m),
            Token::Number(d, 1..=2),
            Token::Number(y, ylen),
        ] => (year_of(y, ylen)?, m, d),
        [
            Token::Number(y, 4),
            Token::Month(m),
            Token::Number(d, 1..=2),
        ] => (y as i32, m, d),
        [
            Token::Number(d, 1..=2),
            Token::Month(m),
            Token::Number(y, ylen),
        ] => (year_of(y, ylen)?, m, d),
        _ => return Err(DateError::Unrecognised),
    };
    let second_of_day = scan_time(&mut c)?;
    Ok(DateFields {
        date: RawDate::Calendar {
            year,
            month,
            day,
            year_first: false,
        },
        second_of_day,
    })
}

/// Month 1..=12 of an English month name or abbreviation of at least three letters ("Sept").
fn month_of_name(word: &[u8]) -> Option<u32> {
    const MONTHS: [&[u8]; 12] = [
        b"january",
        b"february",
        b"march",
        b"april",
        b"may",
        b"june",
        b"july",
        b"august",
        b"september",
        b"october",
        b"november",
        b"december",
    ];
    let position = MONTHS
        .iter()
        .position(|name| is_abbreviation_of(word, name))?;
    Some(position as u32 + 1)
}

fn is_weekday_name(word: &[u8]) -> bool {
    const WEEKDAYS: [&[u8]; 7] = [
        b"monday",
        b"tuesday",
        b"wednesday",
        b"thursday",
        b"friday",
        b"saturday",
        b"sunday",
    ];
    WEEKDAYS.iter().any(|name| is_abbreviation_of(word, name))
}

fn is_ordinal_suffix(word: &[u8]) -> bool {
    [b"st", b"nd", b"rd", b"th"]
        .iter()
        .any(|s| word.eq_ignore_ascii_case(*s))
}

/// True when `word` is `name` or a prefix of it of three letters or more, in any case.
fn is_abbreviation_of(word: &[u8], name: &[u8]) -> bool {
    word.len() >= 3 && word.len() <= name.len() && word.eq_ignore_ascii_case(&name[..word.len()])
}

/// The time after a date, if any: `[T| |, ]H:MM[:SS[.fff]][ AM|PM][ zone]`, as seconds of the day
/// as written. The zone (`Z`, `UTC`, `GMT`, `+07:00`, `+0700`, `-05`) is validated, not applied.
fn scan_time(c: &mut Cursor) -> Result<Option<u32>, DateError> {
    if c.at_end() {
        return Ok(None);
    }
    if !(c.eat(b'T') || c.eat(b't')) {
        c.eat(b',');
        if c.skip_while(|x| x == b' ') == 0 {
            return Err(DateError::Unrecognised);
        }
    }
    let (hour, hour_len) = c.digits();
    if !(1..=2).contains(&hour_len) || !c.eat(b':') {
        return Err(DateError::Unrecognised);
    }
    let (minute, minute_len) = c.digits();
    if minute_len != 2 {
        return Err(DateError::Unrecognised);
    }
    let mut second = 0;
    if c.eat(b':') {
        let (value, len) = c.digits();
        if len != 2 {
            return Err(DateError::Unrecognised);
        }
        second = value;
        if (c.eat(b'.') || c.eat(b',')) && c.skip_while(|x| x.is_ascii_digit()) == 0 {
            return Err(DateError::Unrecognised);
        }
    }
    c.skip_while(|x| x == b' ');
    let meridiem = c.meridiem();
    c.skip_while(|x| x == b' ');
    scan_zone(c)?;
    if !c.at_end() {
        return Err(DateError::Unrecognised);
    }
    let hour = match meridiem {
        None if hour <= 23 => hour,
        Some(pm) if hour <= 12 => hour % 12 + if pm { 12 } else { 0 },
        _ => return Err(DateError::Invalid),
    };
    if minute > 59 || second > 59 {
        return Err(DateError::Invalid);
    }
    Ok(Some(hour * 3600 + minute * 60 + second))
}

fn scan_zone(c: &mut Cursor) -> Result<(), DateError> {
    if c.eat(b'Z') || c.eat(b'z') {
        return Ok(());
    }
    let rest = c.rest();
    if rest.len() >= 3
        && (rest[..3].eq_ignore_ascii_case(b"UTC") || rest[..3].eq_ignore_ascii_case(b"GMT"))
    {
        c.pos += 3;
    }
    if !(c.eat(b'+') || c.eat(b'-')) {
        return Ok(());
    }
    let (value, len) = c.digits();
    let (hours, minutes) = match len {
        1 | 2 if c.eat(b':') => {
            let (minutes, minutes_len) = c.digits();
            if minutes_len != 2 {
                return Err(DateError::Unrecognised);
            }
            (value, minutes)
        }
        1 | 2 => (value, 0),
        4 => (value / 100, value % 100),
        _ => return Err(DateError::Unrecognised),
    };
    if hours > 23 || minutes > 59 {
        return Err(DateError::Invalid);
    }
    Ok(())
}

/// Month and day of two day/month numbers read in `order`. A pair that is only valid the other
/// way round is an order conflict; under `Ymd` the numbers themselves decide, day-first when they
/// cannot.
fn pick_day_month(
    first: u32,
    second: u32,
    year: i32,
    order: DateOrder,
) -> Result<(u32, u32), DateError> {
    let day_first = (second, first);
    let month_first = (first, second);
    match (
        is_valid_date(year, second, first),
        is_valid_date(year, first, second),
    ) {
        (false, false) => Err(DateError::Invalid),
        (true, true) => Ok(if order == DateOrder::Mdy {
            month_first
        } else {
            day_first
        }),
        (true, false) if order == DateOrder::Mdy => Err(DateError::OrderConflict {
            found: DateOrder::Dmy,
        }),
        (true, false) => Ok(day_first),
        (false, true) if order == DateOrder::Dmy => Err(DateError::OrderConflict {
            found: DateOrder::Mdy,
        }),
        (false, true) => Ok(month_first),
    }
}

/// Years read as dates: 1..=9999 of the proleptic Gregorian calendar. Year 0 (`0000-00-00`, a
/// common "no date" placeholder) is not a date.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// The day of a date written in the data, if it is one.
#[inline]
fn day_of_date(year: i32, month: u32, day: u32) -> Option<Day> {
    if YEARS.contains(&year) {
        Day::from_ymd(year, month, day)
    } else {
        None
    }
}

fn is_valid_date(year: i32, month: u32, day: u32) -> bool {
    day_of_date(year, month, day).is_some()
}

#[inline]
fn days_checked(year: i32, month: u32, day: u32) -> Result<i32, DateError> {
    day_of_date(year, month, day)
        .map(|day| day.0)
        .ok_or(DateError::Invalid)
}

/// A read position in the bytes of a field.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn advance(&mut self) {
        self.pos += 1;
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn rest(&self) -> &'a [u8] {
        &self.bytes[self.pos.min(self.bytes.len())..]
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn skip_while(&mut self, keep: impl Fn(u8) -> bool) -> usize {
        let count = self.rest().iter().take_while(|&&x| keep(x)).count();
        self.pos += count;
        count
    }

    /// A run of ASCII digits: its value (saturating; callers check the length) and length.
    fn digits(&mut self) -> (u32, usize) {
        let run = &self.rest()[..self
            .rest()
            .iter()
            .take_while(|x| x.is_ascii_digit())
            .count()];
        self.pos += run.len();
        let value = run.iter().fold(0u32, |v, &d| {
            v.saturating_mul(10).saturating_add((d - b'0') as u32)
        });
        (value, run.len())
    }

    /// A run of ASCII letters.
    fn word(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest();
        let len = rest.iter().take_while(|x| x.is_ascii_alphabetic()).count();
        self.pos += len;
        (len > 0).then(|| &rest[..len])
    }

    /// `AM`/`PM`/`a.m.`/`p.m.` in any case: `Some(true)` for PM.
    fn meridiem(&mut self) -> Option<bool> {
        let start = self.pos;
        let pm = match self.peek().map(|x| x.to_ascii_lowercase()) {
            Some(b'a') => false,
            Some(b'p') => true,
            _ => return None,
        };
        self.advance();
        self.eat(b'.');
        if !(self.eat(b'm') || self.eat(b'M')) {
            self.pos = start;
            return None;
        }
        self.eat(b'.');
        Some(pm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::random_strings;
    use DateOrder::{Dmy, Mdy, Ymd};

    fn day(year: i32, month: u32, day: u32) -> i32 {
        Day::from_ymd(year, month, day)
            .expect("test dates are valid")
            .0
    }

    fn at(year: i32, month: u32, d: u32, hour: i64, minute: i64, second: i64) -> ParsedDate {
        let day = day(year, month, d);
        ParsedDate {
            day,
            seconds: Some(day as i64 * 86_400 + hour * 3600 + minute * 60 + second),
        }
    }

    fn on(year: i32, month: u32, d: u32) -> ParsedDate {
        ParsedDate {
            day: day(year, month, d),
            seconds: None,
        }
    }

    fn check_dates(cases: &[(&str, DateOrder, Result<ParsedDate, DateError>)]) {
        for (text, order, expected) in cases {
            assert_eq!(
                &parse_date(text, *order),
                expected,
                "parse_date({text:?}, {order:?})"
            );
        }
    }

    #[test]
    fn iso_dates_parse_whatever_the_order() {
        let december_9 = on(2011, 12, 9);
        let at_08_26 = at(2011, 12, 9, 8, 26, 0);
        for order in [Ymd, Dmy, Mdy] {
            check_dates(&[
                ("2011-12-09", order, Ok(december_9)),
                ("2011-12-09 08:26:00", order, Ok(at_08_26)),
                ("2011-12-09 08:26", order, Ok(at_08_26)),
                ("2011-12-09T08:26:00", order, Ok(at_08_26)),
                ("2011-12-09T08:26:00Z", order, Ok(at_08_26)),
                ("2011-12-09T08:26:00+07:00", order, Ok(at_08_26)),
                ("2011-12-09T08:26:00+0700", order, Ok(at_08_26)),
                ("2011-12-09T08:26:00.123456Z", order, Ok(at_08_26)),
                ("2011-12-09 08:26:00.5", order, Ok(at_08_26)),
                ("2011-12-09 08:26:00 UTC", order, Ok(at_08_26)),
                ("2011-12-09 08:26:00 GMT+7", order, Ok(at_08_26)),
                ("2011-12-09 08:26:00 -05", order, Ok(at_08_26)),
                ("  2011-12-09 08:26:00 ", order, Ok(at_08_26)),
                ("2011-12-9", order, Ok(december_9)),
                ("2011/12/09", order, Ok(december_9)),
                ("2011.12.09 08:26", order, Ok(at_08_26)),
                ("20111209", order, Ok(december_9)),
            ]);
        }
    }

    #[test]
    fn an_offset_does_not_move_the_written_day() {
        // Shopify: late evening in New York is already the next day in UTC; the day as written
        // is the one the store saw.
        check_dates(&[
            (
                "2023-01-15 10:23:45 -0500",
                Ymd,
                Ok(at(2023, 1, 15, 10, 23, 45)),
            ),
            (
                "2023-01-15 23:59:59 -0500",
                Ymd,
                Ok(at(2023, 1, 15, 23, 59, 59)),
            ),
            (
                "2023-01-15T00:30:00+14:00",
                Ymd,
                Ok(at(2023, 1, 15, 0, 30, 0)),
            ),
        ]);
    }

    #[test]
    fn day_month_dates_follow_the_column_order() {
        check_dates(&[
            ("31/12/2023", Dmy, Ok(on(2023, 12, 31))),
            ("12/31/2023", Mdy, Ok(on(2023, 12, 31))),
            ("03/04/2011", Dmy, Ok(on(2011, 4, 3))),
            ("03/04/2011", Mdy, Ok(on(2011, 3, 4))),
            ("12/1/2010 8:26", Mdy, Ok(at(2010, 12, 1, 8, 26, 0))),
            ("1/2/2011 8:26", Mdy, Ok(at(2011, 1, 2, 8, 26, 0))),
            ("1/2/2011 8:26", Dmy, Ok(at(2011, 2, 1, 8, 26, 0))),
            ("31.12.2023", Dmy, Ok(on(2023, 12, 31))),
            ("31-12-2023 23:05:09", Dmy, Ok(at(2023, 12, 31, 23, 5, 9))),
            ("12/31/2023 8:26 PM", Mdy, Ok(at(2023, 12, 31, 20, 26, 0))),
            ("12/31/2023 12:05 AM", Mdy, Ok(at(2023, 12, 31, 0, 5, 0))),
            ("12/31/2023 12:05 pm", Mdy, Ok(at(2023, 12, 31, 12, 5, 0))),
            (
                "12/31/2023 8:26:59 p.m.",
                Mdy,
                Ok(at(2023, 12, 31, 20, 26, 59)),
            ),
            ("12/31/2023, 8:26 AM", Mdy, Ok(at(2023, 12, 31, 8, 26, 0))),
            ("31/12/23", Dmy, Ok(on(2023, 12, 31))),
            ("31/12/68", Dmy, Ok(on(2068, 12, 31))),
            ("31/12/69", Dmy, Ok(on(1969, 12, 31))),
            ("1/1/00", Dmy, Ok(on(2000, 1, 1))),
            // Under Ymd the numbers decide; a pair valid both ways is read day-first.
            ("31/12/2023", Ymd, Ok(on(2023, 12, 31))),
            ("12/31/2023", Ymd, Ok(on(2023, 12, 31))),
            ("03/04/2011", Ymd, Ok(on(2011, 4, 3))),
            ("05/05/2011", Ymd, Ok(on(2011, 5, 5))),
        ]);
    }

    #[test]
    fn a_date_only_valid_the_other_way_round_is_an_order_conflict() {
        let day_first = Err(DateError::OrderConflict { found: Dmy });
        let month_first = Err(DateError::OrderConflict { found: Mdy });
        check_dates(&[
            ("12/31/2023", Dmy, month_first.clone()),
            ("12/13/2010 8:26", Dmy, month_first),
            ("31/12/2023", Mdy, day_first.clone()),
            ("13.01.2011", Mdy, day_first),
            // Invalid both ways is no conflict: the date does not exist.
            ("31/02/2023", Dmy, Err(DateError::Invalid)),
            ("02/31/2023", Dmy, Err(DateError::Invalid)),
            ("13/13/2023", Mdy, Err(DateError::Invalid)),
        ]);
    }

    #[test]
    fn month_names_are_read() {
        check_dates(&[
            ("9 Dec 2011", Mdy, Ok(on(2011, 12, 9))),
            ("09-Dec-2011", Mdy, Ok(on(2011, 12, 9))),
            ("09-Dec-11", Dmy, Ok(on(2011, 12, 9))),
            ("Dec 9, 2011", Dmy, Ok(on(2011, 12, 9))),
            (
                "December 9th, 2011 8:26 PM",
                Dmy,
                Ok(at(2011, 12, 9, 20, 26, 0)),
            ),
            ("2011-Dec-09", Dmy, Ok(on(2011, 12, 9))),
            ("Sept 1 2011", Dmy, Ok(on(2011, 9, 1))),
            (
                "Fri, 09 Dec 2011 08:26:00 +0000",
                Dmy,
                Ok(at(2011, 12, 9, 8, 26, 0)),
            ),
            ("Friday 9 December 2011", Dmy, Ok(on(2011, 12, 9))),
            ("9 Decembre 2011", Dmy, Err(DateError::Unrecognised)),
            ("Dec 2011", Dmy, Err(DateError::Unrecognised)),
            ("31 Feb 2011", Dmy, Err(DateError::Invalid)),
        ]);
    }

    #[test]
    fn serial_days_and_unix_times_are_read() {
        check_dates(&[
            ("25569", Dmy, Ok(on(1970, 1, 1))),
            ("40878", Dmy, Ok(on(2011, 12, 1))),
            ("40878.25", Dmy, Ok(at(2011, 12, 1, 6, 0, 0))),
            ("40878.3513888889", Dmy, Ok(at(2011, 12, 1, 8, 26, 0))),
            ("40878.99999999", Mdy, Ok(at(2011, 12, 1, 23, 59, 59))),
            ("19999", Dmy, Err(DateError::Unrecognised)),
            ("80001", Dmy, Err(DateError::Unrecognised)),
            ("1323419160", Dmy, Ok(at(2011, 12, 9, 8, 26, 0))),
            ("1323419160.75", Dmy, Ok(at(2011, 12, 9, 8, 26, 0))),
            ("999999999", Dmy, Ok(at(2001, 9, 9, 1, 46, 39))),
            ("1323419160123", Dmy, Ok(at(2011, 12, 9, 8, 26, 0))),
            ("999999999999", Dmy, Ok(at(2001, 9, 9, 1, 46, 39))),
            ("19970101", Dmy, Ok(on(1997, 1, 1))),
            ("19971301", Dmy, Err(DateError::Invalid)),
            ("12345678901", Dmy, Err(DateError::Unrecognised)),
            ("12345678901234", Dmy, Err(DateError::Unrecognised)),
        ]);
    }

    #[test]
    fn excel_serials_honour_the_1900_leap_year_bug() {
        let cases = [
            (1, Some(day(1900, 1, 1))),
            (59, Some(day(1900, 2, 28))),
            (60, None), // the fictitious 1900-02-29
            (61, Some(day(1900, 3, 1))),
            (25_569, Some(0)),
            (40_878, Some(day(2011, 12, 1))),
            (0, None),
            (-5, None),
        ];
        for (serial, expected) in cases {
            assert_eq!(excel_serial_to_day(serial), expected, "serial {serial}");
        }
    }

    #[test]
    fn bad_dates_are_rejected_with_the_right_error() {
        use DateError::{Empty, Invalid, Unrecognised};
        check_dates(&[
            ("", Dmy, Err(Empty)),
            ("   ", Dmy, Err(Empty)),
            ("2023-02-30", Dmy, Err(Invalid)),
            ("2023-02-29", Dmy, Err(Invalid)),
            ("2024-02-29", Dmy, Ok(on(2024, 2, 29))),
            ("1900-02-29", Dmy, Err(Invalid)),
            ("2000-02-29", Dmy, Ok(on(2000, 2, 29))),
            ("2023-13-01", Dmy, Err(Invalid)),
            ("2023-00-10", Dmy, Err(Invalid)),
            ("0000-00-00 00:00:00", Dmy, Err(Invalid)),
            (
                "01/13/2023",
                Dmy,
                Err(DateError::OrderConflict { found: Mdy }),
            ),
            ("2023-12-31 24:00:00", Dmy, Err(Invalid)),
            ("2023-12-31 23:60", Dmy, Err(Invalid)),
            ("2023-12-31 13:00 PM", Dmy, Err(Invalid)),
            ("2023-12-31 10:00 +25:00", Dmy, Err(Invalid)),
            ("hello", Dmy, Err(Unrecognised)),
            ("2023", Dmy, Err(Unrecognised)),
            ("2023-12", Dmy, Err(Unrecognised)),
            ("2023-12/31", Dmy, Err(Unrecognised)),
            ("31/12/2023 noon", Dmy, Err(Unrecognised)),
            ("2023-12-31 8", Dmy, Err(Unrecognised)),
            ("2023-12-31 08:5", Dmy, Err(Unrecognised)),
            ("2023-12-31T", Dmy, Err(Unrecognised)),
            ("31/12/203", Dmy, Err(Unrecognised)),
            ("123/12/2023", Dmy, Err(Unrecognised)),
            ("-", Dmy, Err(Unrecognised)),
            ("NaN", Dmy, Err(Unrecognised)),
            ("12.50", Dmy, Err(Unrecognised)),
        ]);
    }

    #[test]
    fn odd_input_never_panics() {
        let long_digits = "9".repeat(400);
        let long_date = format!("{long_digits}-12-09");
        let odd = [
            long_digits.as_str(),
            long_date.as_str(),
            "-",
            "NaN",
            "inf",
            "é",
            "日本語",
            "🙂/🙂/🙂",
            "2011-12-09 08:26:00 +",
            "2011-12-09 08:26:00 +99999",
            "2011-12-09 08:26:00.",
            "4294967296/4294967296/4294967296",
            "99/99/99",
            "0/0/0",
            "/",
            "//",
            "2011-12-09\u{0}",
            "2011-12-09 08:26:00\u{a0}",
            "Dec",
            "Fri,",
            "9 Dec",
            "12345.",
            "40878.",
            "T",
            "2011-12-\u{663}",
        ];
        for text in odd {
            for order in [Ymd, Dmy, Mdy] {
                let _ = parse_date(text, order);
            }
        }
        // Random strings over an alphabet of date-ish characters (a fixed-seed LCG): whatever
        // parses has a consistent day and time.
        let alphabet = "0123456789/-.:T Z+APMapmDecJn,é\u{a0}";
        for text in random_strings(alphabet, 20_000) {
            for order in [Ymd, Dmy, Mdy] {
                if let Ok(parsed) = parse_date(&text, order)
                    && let Some(seconds) = parsed.seconds
                {
                    assert_eq!(seconds.div_euclid(86_400), parsed.day as i64, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn date_order_detection_weighs_the_sample() {
        let detect = |samples: &[&str]| {
            let d = detect_date_order(samples);
            (d.order, d.ambiguous, d.conflicting())
        };
        let cases: [(&[&str], _); 10] = [
            (&["31/12/2023", "01/02/2023"], (Some(Dmy), false, false)),
            (&["12/31/2023", "01/02/2023"], (Some(Mdy), false, false)),
            (&["01/02/2023", "03/04/2023 10:00"], (None, true, false)),
            (
                &["2023-12-31", "2023-01-02 10:00:00"],
                (Some(Ymd), false, false),
            ),
            (&["20231231", "19970101"], (Some(Ymd), false, false)),
            (
                &["31/12/2023", "30/12/2023", "12/31/2023"],
                (Some(Dmy), false, true),
            ),
            (
                &["31/12/2023", "12/31/2023", "12/30/2023"],
                (Some(Mdy), false, true),
            ),
            (&["31/12/2023", "12/31/2023"], (Some(Dmy), false, true)),
            (&["2023-12-31", "01/02/2023"], (None, true, false)),
            (
                &["", "hello", "40878", "Dec 9, 2011", "31/02/2023"],
                (None, false, false),
            ),
        ];
        for (samples, expected) in cases {
            assert_eq!(detect(samples), expected, "{samples:?}");
        }
        let counted = detect_date_order(&["31/12/2023", "12/31/2023", "2023-01-01", "03/04/2011"]);
        assert_eq!(
            (
                counted.day_first,
                counted.month_first,
                counted.year_first,
                counted.unsettled
            ),
            (1, 1, 1, 1)
        );
        assert!(counted.note().is_some_and(|n| n.contains("disagree")));
        assert!(
            detect_date_order(&["03/04/2011"])
                .note()
                .is_some_and(|n| n.contains("both ways"))
        );
        assert_eq!(detect_date_order(&["2011-12-09"]).note(), None);
    }

    #[test]
    fn date_errors_say_what_to_choose() {
        let day_first = DateError::OrderConflict { found: Dmy }.to_string();
        assert!(day_first.contains("31/12/2023") && day_first.ends_with("choose DD/MM/YYYY"));
        assert!(day_first.contains("read month-first"), "{day_first}");
        let month_first = DateError::OrderConflict { found: Mdy }.to_string();
        assert!(month_first.contains("read day-first") && month_first.ends_with("MM/DD/YYYY"));
        for error in [
            DateError::Empty,
            DateError::Unrecognised,
            DateError::Invalid,
        ] {
            assert!(error.to_string().contains(':'), "{error} names a remedy");
        }
    }
}
