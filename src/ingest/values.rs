//! Parsing of the values inside fields: dates (many written forms) and money amounts.
//!
//! Column-level decisions (which of day/month comes first, which decimal separator a column uses)
//! are made from a sample of the column with the `detect_*` functions, then every field of the
//! column is parsed with that decision.
//!
//! `parse_date` and `parse_amount` run on every field of every row, so they never allocate on
//! ordinary input and try the common shapes first (`YYYY-MM-DD HH:MM:SS` read digit by digit,
//! `str::parse::<f64>` for plain numbers) before the general grammars.

use crate::day::Day;
use std::fmt;

use serde::{Deserialize, Serialize};

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

/// The decimal separator of a money column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DecimalSeparator {
    Dot,
    Comma,
}

impl DecimalSeparator {
    /// The name the report uses: `"dot"` or `"comma"`.
    pub fn as_str(self) -> &'static str {
        match self {
            DecimalSeparator::Dot => "dot",
            DecimalSeparator::Comma => "comma",
        }
    }
}

/// Decides the decimal separator of a column from a sample of its values; `Dot` when the sample
/// does not say.
///
/// Each value that settles the question by itself votes: `1,234.56` and `2.55` for the dot,
/// `1.234,56`, `12,50` and `1.250.000` (a repeated `.` groups thousands) for the comma. Values
/// such as `1.234` or `150` do not vote. A tie goes to the dot.
pub fn detect_decimal_separator(samples: &[&str]) -> DecimalSeparator {
    let (mut dot, mut comma) = (0usize, 0usize);
    for sample in samples {
        match decimal_evidence(sample) {
            Some(DecimalSeparator::Dot) => dot += 1,
            Some(DecimalSeparator::Comma) => comma += 1,
            None => {}
        }
    }
    if comma > dot {
        DecimalSeparator::Comma
    } else {
        DecimalSeparator::Dot
    }
}

/// The decimal separator a value implies by itself, when it is a valid amount that way.
fn decimal_evidence(text: &str) -> Option<DecimalSeparator> {
    let amount = strip_amount(text).ok()?;
    let (mantissa, _) = split_exponent(amount.body).ok()?;
    let evidence = match read_marks(mantissa).ok()? {
        MarkReading::Ambiguous { .. } => return None,
        MarkReading::Settled {
            decimal_at: Some(at),
            ..
        } => {
            if mantissa.as_bytes()[at] == b',' {
                DecimalSeparator::Comma
            } else {
                DecimalSeparator::Dot
            }
        }
        MarkReading::Settled {
            decimal_at: None,
            group: Some(Mark::Dot),
        } => DecimalSeparator::Comma,
        MarkReading::Settled {
            decimal_at: None,
            group: Some(Mark::Comma),
        } => DecimalSeparator::Dot,
        MarkReading::Settled { .. } => return None,
    };
    parse_amount(text, evidence).is_ok().then_some(evidence)
}

/// Why an amount field could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    NotANumber,
    NotFinite,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AmountError::Empty => "the amount is empty: fill it in or remove the row",
            AmountError::NotANumber => {
                "not a number: write amounts like 1234.56, 1,234.56, 1.234,56 or 1.250.000 ₫"
            }
            AmountError::NotFinite => {
                "not a finite number (NaN, infinity or beyond ±1.8e308): correct the value"
            }
        })
    }
}

impl std::error::Error for AmountError {}

/// Parses a money amount or quantity: `1,234.56`, `1.234,56`, `1.250.000 ₫`, `$12`, `12 000 đ`,
/// `(12.50)` (negative), `-3`.
///
/// Around the number: one sign (`-`, `−`, `+`, also a trailing `-`), or accounting parentheses
/// for a negative; a currency symbol (`$`, `€`, `₫`, `£`…) or a currency word (`VND`, `US$`,
/// `đ`, `Rs.`, `zł`) on either side. In the number, `.` and `,` follow these rules:
/// - both present: the last one is the decimal separator, the other groups thousands;
/// - one of them repeated (`1.250.000`): it groups thousands;
/// - one of them once, before exactly three digits and after one to three digits not starting
///   with `0` (`1.234`, `1,234`): ambiguous, the column's `decimal` decides;
/// - one of them once otherwise (`2.55`, `12,5`, `0.500`): the decimal separator.
///
/// Spaces (also no-break and narrow no-break spaces) and `'` group thousands too. Groups after
/// the first have three digits (two are accepted between others for Indian `1,23,456`). An
/// exponent (`1e3`) is read.
pub fn parse_amount(text: &str, decimal: DecimalSeparator) -> Result<f64, AmountError> {
    match parse_plain_decimal(text.as_bytes(), decimal) {
        Some(value) => Ok(value),
        None => parse_any_amount(text, decimal),
    }
}

/// [`parse_amount`] for every form; kept out of line so the common case needs a small frame.
#[inline(never)]
fn parse_any_amount(text: &str, decimal: DecimalSeparator) -> Result<f64, AmountError> {
    let bytes = text.as_bytes();
    if let Some(&first) = bytes.first()
        && (first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.'))
        && (decimal == DecimalSeparator::Dot || !bytes.contains(&b'.'))
        && let Ok(value) = text.parse::<f64>()
    {
        return finite(value);
    }
    let amount = strip_amount(text)?;
    let (mantissa, exponent) = split_exponent(amount.body)?;
    let (decimal_at, group) = match read_marks(mantissa)? {
        MarkReading::Settled { decimal_at, group } => (decimal_at, group),
        MarkReading::Ambiguous { at, mark } if mark == decimal => (Some(at), None),
        MarkReading::Ambiguous { mark, .. } => (None, Some(Mark::of(mark))),
    };
    normalise(amount.negative, mantissa, decimal_at, group, exponent)
}

/// The common amount, read in a few steps: `12.50`, `-3`, `.5` — an optional `-`, up to 15
/// digits and, when `.` is the column's decimal separator, at most one `.`. Anything else is for
/// the full reading (`None`).
///
/// The result is the same double `str::parse` gives: up to 15 digits the digits are exactly an
/// integer below 2^53, 10^k is exact for k ≤ 22, and one IEEE division rounds correctly (the
/// fast path of Clinger's algorithm, which the standard library takes first too).
#[inline]
fn parse_plain_decimal(bytes: &[u8], decimal: DecimalSeparator) -> Option<f64> {
    const POWERS_OF_TEN: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, digits) = match bytes {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, bytes),
    };
    let mut mantissa: u64 = 0;
    let mut digit_count = 0;
    let mut point_at = None;
    for (i, &byte) in digits.iter().enumerate() {
        match byte {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(byte - b'0');
                digit_count += 1;
                if digit_count > 15 {
                    return None;
                }
            }
            b'.' if point_at.is_none() && decimal == DecimalSeparator::Dot => point_at = Some(i),
            _ => return None,
        }
    }
    if digit_count == 0 {
        return None;
    }
    let fraction_digits = point_at.map_or(0, |at| digits.len() - at - 1);
    let magnitude = mantissa as f64 / POWERS_OF_TEN[fraction_digits];
    Some(if negative { -magnitude } else { magnitude })
}

fn finite(value: f64) -> Result<f64, AmountError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(AmountError::NotFinite)
    }
}

/// An amount with its sign, parentheses and currency taken off.
struct AmountText<'a> {
    body: &'a str,
    negative: bool,
}

fn strip_amount(text: &str) -> Result<AmountText<'_>, AmountError> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(AmountError::Empty);
    }
    if names_non_finite(rest) {
        return Err(AmountError::NotFinite);
    }
    let mut negative: Option<bool> = None;
    let mut set_sign = |is_negative: bool| match negative {
        Some(_) => Err(AmountError::NotANumber),
        None => {
            negative = Some(is_negative);
            Ok(())
        }
    };
    let (mut open_parenthesis, mut close_parenthesis) = (false, false);
    let mut currency_before = false;
    loop {
        rest = rest.trim_start();
        let Some(c) = rest.chars().next() else { break };
        let taken = match c {
            '-' | '\u{2212}' | '+' => {
                set_sign(c != '+')?;
                c.len_utf8()
            }
            '(' if !open_parenthesis => {
                open_parenthesis = true;
                1
            }
            _ if !currency_before && (is_currency_symbol(c) || is_letter(c)) => {
                currency_before = true;
                currency_prefix_len(rest)?
            }
            _ => break,
        };
        rest = &rest[taken..];
    }
    let mut currency_after = false;
    loop {
        rest = rest.trim_end();
        let Some(c) = rest.chars().next_back() else {
            break;
        };
        let taken = match c {
            ')' if open_parenthesis && !close_parenthesis => {
                close_parenthesis = true;
                1
            }
            '-' | '\u{2212}' => {
                set_sign(true)?;
                c.len_utf8()
            }
            _ if !currency_after && (c == '.' || is_currency_symbol(c) || is_letter(c)) => {
                match currency_suffix_len(rest)? {
                    0 => break,
                    len => {
                        currency_after = true;
                        len
                    }
                }
            }
            _ => break,
        };
        rest = &rest[..rest.len() - taken];
    }
    if open_parenthesis != close_parenthesis
        || (open_parenthesis && negative.is_some())
        || rest.is_empty()
    {
        return Err(AmountError::NotANumber);
    }
    Ok(AmountText {
        body: rest,
        negative: open_parenthesis || negative == Some(true),
    })
}

/// `NaN`, `inf`, `infinity`, with an optional sign, in any case.
fn names_non_finite(text: &str) -> bool {
    let word = text.strip_prefix(['-', '+']).unwrap_or(text);
    ["nan", "inf", "infinity"]
        .iter()
        .any(|name| word.eq_ignore_ascii_case(name))
}

/// A letter of a currency word; the check of Unicode tables is left for the rare letters
/// outside ASCII that are not currency signs (it is slow).
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        matches!(c, 'đ' | 'Đ') || (!is_currency_symbol(c) && c.is_alphabetic())
    }
}

/// `$` and the other currency signs (the Unicode currency-symbol block and the common ones
/// outside it).
fn is_currency_symbol(c: char) -> bool {
    matches!(
        c,
        '$' | '¢'
            | '£'
            | '¤'
            | '¥'
            | '֏'
            | '؋'
            | '৲'
            | '৳'
            | '฿'
            | '៛'
            | '﷼'
            | '＄'
            | '￠'
            | '￡'
            | '￥'
            | '￦'
            | '\u{20A0}'..='\u{20CF}'
    )
}

/// Length of the currency word or symbol starting `text` (`US$`, `VND`, `Rs.`, `€`).
fn currency_prefix_len(text: &str) -> Result<usize, AmountError> {
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if !(is_currency_symbol(c) || is_letter(c)) {
            break;
        }
        end = i + c.len_utf8();
    }
    let word = &text[..end];
    if !is_currency_word(word) {
        return Err(AmountError::NotANumber);
    }
    // An abbreviation's dot ("Rs.", "Fr.") belongs to the word.
    let dot = usize::from(text[end..].starts_with('.') && word.chars().any(is_letter));
    Ok(end + dot)
}

/// Length of the currency word or symbol ending `text` (`đ`, `₫`, `EUR`, `Fr.`), 0 if none.
fn currency_suffix_len(text: &str) -> Result<usize, AmountError> {
    let without_dot = match text.strip_suffix('.') {
        Some(head) if head.chars().next_back().is_some_and(is_letter) => head,
        Some(_) => return Ok(0),
        None => text,
    };
    let mut start = without_dot.len();
    for (i, c) in without_dot.char_indices().rev() {
        if !(is_currency_symbol(c) || is_letter(c)) {
            break;
        }
        start = i;
    }
    if !is_currency_word(&without_dot[start..]) {
        return Err(AmountError::NotANumber);
    }
    Ok(text.len() - start)
}

/// A currency marker rather than stray letters: a symbol (alone or with up to three letters, as
/// in `US$`), two to five letters (`VND`, `zł`, `đồng`), or a one-letter currency (`đ`, `R`).
fn is_currency_word(word: &str) -> bool {
    let letters = word.chars().filter(|&c| is_letter(c)).count();
    let symbols = word.chars().count() - letters;
    match (symbols, letters) {
        (0, 1) => matches!(word, "đ" | "Đ" | "R"),
        (0, 2..=5) => true,
        (1..=2, 0..=3) => true,
        _ => false,
    }
}

/// Splits `1.5e3` into the mantissa and the exponent (`[+-]digits`, empty when none).
fn split_exponent(body: &str) -> Result<(&str, &str), AmountError> {
    let Some(at) = body.find(['e', 'E']) else {
        return Ok((body, ""));
    };
    let exponent = &body[at + 1..];
    let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AmountError::NotANumber);
    }
    Ok((&body[..at], exponent))
}

/// A mark inside a number other than its digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    Dot,
    Comma,
    /// A space of any width, or `'`: only ever groups thousands.
    Space,
}

impl Mark {
    fn of(separator: DecimalSeparator) -> Mark {
        match separator {
            DecimalSeparator::Dot => Mark::Dot,
            DecimalSeparator::Comma => Mark::Comma,
        }
    }

    fn of_char(c: char) -> Option<Mark> {
        match c {
            '.' => Some(Mark::Dot),
            ',' => Some(Mark::Comma),
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '\u{2019}' => Some(Mark::Space),
            _ => None,
        }
    }
}

/// What the marks of a number say before the column's decimal separator is consulted.
#[derive(Debug, PartialEq, Eq)]
enum MarkReading {
    /// Settled by the value itself: the byte index of the decimal mark, and the grouping mark.
    Settled {
        decimal_at: Option<usize>,
        group: Option<Mark>,
    },
    /// A single `.` or `,` that could be either (`1.234`); `at` is its byte index.
    Ambiguous { at: usize, mark: DecimalSeparator },
}

fn read_marks(mantissa: &str) -> Result<MarkReading, AmountError> {
    let (mut dots, mut commas, mut spaces, mut digits) = (0u32, 0u32, 0u32, 0u32);
    let (mut last_dot, mut last_comma) = (0, 0);
    for (i, c) in mantissa.char_indices() {
        match Mark::of_char(c) {
            _ if c.is_ascii_digit() => digits += 1,
            Some(Mark::Dot) => (dots, last_dot) = (dots + 1, i),
            Some(Mark::Comma) => (commas, last_comma) = (commas + 1, i),
            Some(Mark::Space) => spaces += 1,
            None => return Err(AmountError::NotANumber),
        }
    }
    if digits == 0 {
        return Err(AmountError::NotANumber);
    }
    let settled = |decimal_at, group| Ok(MarkReading::Settled { decimal_at, group });
    match (dots, commas) {
        (0, 0) => settled(None, (spaces > 0).then_some(Mark::Space)),
        (1.., 1..) if spaces > 0 => Err(AmountError::NotANumber),
        (1.., 1..) if last_dot > last_comma => {
            if dots > 1 {
                return Err(AmountError::NotANumber);
            }
            settled(Some(last_dot), Some(Mark::Comma))
        }
        (1.., 1..) => {
            if commas > 1 {
                return Err(AmountError::NotANumber);
            }
            settled(Some(last_comma), Some(Mark::Dot))
        }
        (2.., 0) | (0, 2..) if spaces > 0 => Err(AmountError::NotANumber),
        (2.., 0) => settled(None, Some(Mark::Dot)),
        (0, 2..) => settled(None, Some(Mark::Comma)),
        _ => {
            let (at, mark) = if dots == 1 {
                (last_dot, DecimalSeparator::Dot)
            } else {
                (last_comma, DecimalSeparator::Comma)
            };
            if spaces > 0 {
                return settled(Some(at), Some(Mark::Space));
            }
            let (before, after) = (&mantissa[..at], &mantissa[at + 1..]);
            let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
            let could_group = after.len() == 3
                && all_digits(after)
                && (1..=3).contains(&before.len())
                && all_digits(before)
                && !before.starts_with('0');
            if could_group {
                Ok(MarkReading::Ambiguous { at, mark })
            } else {
                settled(Some(at), None)
            }
        }
    }
}

/// Largest integer below which every integer is exact in an `f64` (2^53).
const EXACT_INTEGER_LIMIT: u64 = 1 << 53;

/// Powers of ten that are exact in an `f64`.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Longest amount rewritten on the stack for `str::parse`; longer ones (hundreds of digits) use
/// the heap.
const STACK_NUMBER_LEN: usize = 64;

/// Checks the grouping of the number and computes its value. Digits that fit in 2^53 with at most
/// 22 decimals are divided by an exact power of ten, one correctly rounded operation, the same
/// result `str::parse` gives (Clinger's fast path); other numbers are rewritten as
/// `-digits.digits e exponent` and given to `str::parse`.
fn normalise(
    negative: bool,
    mantissa: &str,
    decimal_at: Option<usize>,
    group: Option<Mark>,
    exponent: &str,
) -> Result<f64, AmountError> {
    let (integer, fraction) = match decimal_at {
        Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
        None => (mantissa, ""),
    };
    let mut digits_value = 0u64;
    let mut push_digit = |b: u8| {
        digits_value = digits_value
            .saturating_mul(10)
            .saturating_add((b - b'0') as u64);
    };
    let (mut group_len, mut groups, mut inner_group_len) = (0usize, 0usize, None);
    for c in integer.chars() {
        if c.is_ascii_digit() {
            push_digit(c as u8);
            group_len += 1;
            continue;
        }
        if group.is_none() || Mark::of_char(c) != group {
            return Err(AmountError::NotANumber);
        }
        let group_ok = if groups == 0 {
            (1..=3).contains(&group_len)
        } else {
            (2..=3).contains(&group_len) && *inner_group_len.get_or_insert(group_len) == group_len
        };
        if !group_ok {
            return Err(AmountError::NotANumber);
        }
        groups += 1;
        group_len = 0;
    }
    if groups > 0 && group_len != 3 {
        return Err(AmountError::NotANumber);
    }
    for b in fraction.bytes() {
        if !b.is_ascii_digit() {
            return Err(AmountError::NotANumber);
        }
        push_digit(b);
    }
    let sign = if negative { -1.0 } else { 1.0 };
    if exponent.is_empty()
        && digits_value <= EXACT_INTEGER_LIMIT
        && let Some(scale) = EXACT_POWERS_OF_TEN.get(fraction.len())
    {
        return Ok(sign * (digits_value as f64 / scale));
    }
    parse_rewritten(negative, integer, fraction, exponent)
}

/// `str::parse` of `-digits.digits e exponent` built from an already validated number.
fn parse_rewritten(
    negative: bool,
    integer: &str,
    fraction: &str,
    exponent: &str,
) -> Result<f64, AmountError> {
    let needed = integer.len() + fraction.len() + exponent.len() + 3;
    let mut stack = [0u8; STACK_NUMBER_LEN];
    let mut heap = Vec::new();
    let buffer: &mut [u8] = if needed <= STACK_NUMBER_LEN {
        &mut stack
    } else {
        heap.resize(needed, 0);
        &mut heap
    };
    let mut len = 0;
    let mut push = |b: u8| {
        buffer[len] = b;
        len += 1;
    };
    if negative {
        push(b'-');
    }
    integer
        .bytes()
        .filter(u8::is_ascii_digit)
        .for_each(&mut push);
    push(b'.');
    fraction.bytes().for_each(&mut push);
    if !exponent.is_empty() {
        push(b'e');
        exponent.bytes().for_each(&mut push);
    }
    let number = std::str::from_utf8(&buffer[..len]).map_err(|_| AmountError::NotANumber)?;
    finite(number.parse::<f64>().map_err(|_| AmountError::NotANumber)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    use DateOrder::{Dmy, Mdy, Ymd};
    use DecimalSeparator::{Comma, Dot};

    /// Amounts are compared to this relative precision (the parser rounds once, as `str::parse`).
    const AMOUNT_TOLERANCE: f64 = 1e-12;

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

    /// The plain-decimal fast path returns exactly `str::parse`'s double, for every length and
    /// point position it takes, and leaves every other form to the full reading.
    #[test]
    fn plain_decimals_read_bit_for_bit_as_str_parse() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        for _ in 0..200_000 {
            let digits = 1 + next(15) as usize;
            let mut text: String = (0..digits)
                .map(|_| char::from(b'0' + next(10) as u8))
                .collect();
            if next(3) > 0 {
                text.insert(next(digits as u64 + 1) as usize, '.');
            }
            if next(2) == 0 {
                text.insert(0, '-');
            }
            let fast = parse_plain_decimal(text.as_bytes(), Dot).expect(&text);
            assert_eq!(
                fast.to_bits(),
                text.parse::<f64>().unwrap().to_bits(),
                "{text}"
            );
            assert_eq!(parse_amount(&text, Dot), Ok(fast), "{text}");
        }
        for text in [
            "",
            "-",
            ".",
            "1.2.3",
            "+1",
            "1e3",
            "1,5",
            "1 000",
            "1234567890123456",
        ] {
            assert_eq!(parse_plain_decimal(text.as_bytes(), Dot), None, "{text}");
        }
        // With a comma for decimals a point groups thousands: the full reading decides.
        assert_eq!(parse_plain_decimal(b"1.234", Comma), None);
        assert_eq!(parse_amount("1.234", Comma), Ok(1234.0));
        assert_eq!(parse_plain_decimal(b"-17", Comma), Some(-17.0));
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
        let alphabet: Vec<char> = "0123456789/-.:T Z+APMapmDecJn,é\u{a0}".chars().collect();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut text = String::new();
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            for _ in 0..(state >> 59) {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                text.push(alphabet[(state >> 33) as usize % alphabet.len()]);
            }
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

    fn assert_amount(text: &str, decimal: DecimalSeparator, expected: f64) {
        match parse_amount(text, decimal) {
            Ok(value) => assert!(
                (value - expected).abs() <= AMOUNT_TOLERANCE * expected.abs().max(1.0),
                "parse_amount({text:?}, {decimal:?}) = {value}, expected {expected}"
            ),
            Err(error) => panic!("parse_amount({text:?}, {decimal:?}) failed: {error:?}"),
        }
    }

    #[test]
    fn amounts_in_many_notations() {
        // (text, value read in a dot column, value read in a comma column)
        let cases = [
            ("2.55", 2.55, 2.55),
            ("-3", -3.0, -3.0),
            ("6", 6.0, 6.0),
            ("0", 0.0, 0.0),
            ("1,234.56", 1234.56, 1234.56),
            ("1.234,56", 1234.56, 1234.56),
            ("1.250.000 ₫", 1_250_000.0, 1_250_000.0),
            ("1.250.000đ", 1_250_000.0, 1_250_000.0),
            ("1,250,000", 1_250_000.0, 1_250_000.0),
            ("$12", 12.0, 12.0),
            ("US$ 12.00", 12.0, 12.0),
            ("12 000 đ", 12_000.0, 12_000.0),
            ("12\u{a0}000\u{a0}đ", 12_000.0, 12_000.0),
            ("1\u{202f}234\u{202f}567,89", 1_234_567.89, 1_234_567.89),
            ("1 234.5", 1234.5, 1234.5),
            ("1'234.50", 1234.5, 1234.5),
            ("€1.234,56", 1234.56, 1234.56),
            ("12,50 €", 12.5, 12.5),
            ("VND 150000", 150_000.0, 150_000.0),
            ("150.000 VNĐ", 150.0, 150_000.0),
            ("(12.50)", -12.5, -12.5),
            ("($1,234.50)", -1234.5, -1234.5),
            ("$(12.50)", -12.5, -12.5),
            ("- 5", -5.0, -5.0),
            ("-$5", -5.0, -5.0),
            ("$-5", -5.0, -5.0),
            ("\u{2212}5", -5.0, -5.0),
            ("12.50-", -12.5, -12.5),
            ("+5", 5.0, 5.0),
            ("1e3", 1000.0, 1000.0),
            ("1.5E-3", 0.0015, 0.0015),
            ("$1e3", 1000.0, 1000.0),
            ("1,5e3", 1500.0, 1500.0),
            (".5", 0.5, 0.5),
            (" 2.55 ", 2.55, 2.55),
            ("Rs.1,23,456.00", 123_456.0, 123_456.0),
            ("1,23,45,678", 12_345_678.0, 12_345_678.0),
            ("12,5 zł", 12.5, 12.5),
            ("£0.85", 0.85, 0.85),
            ("12.5 Fr.", 12.5, 12.5),
            ("R 100", 100.0, 100.0),
            // Ambiguous: a single separator before exactly three digits; the column decides.
            ("1.234", 1.234, 1234.0),
            ("1,234", 1234.0, 1.234),
            ("-1,234", -1234.0, -1.234),
            ("123.456 ₫", 123.456, 123_456.0),
            // Not ambiguous: a leading zero or a long integer part cannot be a thousands group.
            ("0.500", 0.5, 0.5),
            ("1234.567", 1234.567, 1234.567),
            ("1.2345", 1.2345, 1.2345),
        ];
        for (text, in_dot_column, in_comma_column) in cases {
            assert_amount(text, Dot, in_dot_column);
            assert_amount(text, Comma, in_comma_column);
        }
    }

    #[test]
    fn bad_amounts_are_rejected_with_the_right_error() {
        use AmountError::{Empty, NotANumber, NotFinite};
        let huge = "9".repeat(400);
        let huge_grouped = format!("${huge}");
        let cases = [
            ("", Empty),
            ("  ", Empty),
            ("\u{a0}", Empty),
            ("NaN", NotFinite),
            ("nan", NotFinite),
            ("-inf", NotFinite),
            ("Infinity", NotFinite),
            ("1e400", NotFinite),
            ("-1e400", NotFinite),
            ("$1e400", NotFinite),
            (huge.as_str(), NotFinite),
            (huge_grouped.as_str(), NotFinite),
            ("abc", NotANumber),
            ("N/A", NotANumber),
            ("12abc34", NotANumber),
            ("12e", NotANumber),
            ("1e", NotANumber),
            ("-", NotANumber),
            ("--5", NotANumber),
            ("+-5", NotANumber),
            ("(-5)", NotANumber),
            ("(5", NotANumber),
            ("5)", NotANumber),
            ("$", NotANumber),
            (".", NotANumber),
            (",", NotANumber),
            ("1.2.3", NotANumber),
            ("1,2,3", NotANumber),
            ("12,34,56,789.1.2", NotANumber),
            ("1.234.56", NotANumber),
            ("1.234,567.89", NotANumber),
            ("1,234,56", NotANumber),
            ("1 2", NotANumber),
            ("1  234", NotANumber),
            ("1 234 567.890,12", NotANumber),
            ("1.234 567", NotANumber),
            ("12 pieces of eight", NotANumber),
            ("5 🙂", NotANumber),
            ("x5", NotANumber),
        ];
        for (text, expected) in cases {
            for decimal in [Dot, Comma] {
                assert_eq!(
                    parse_amount(text, decimal),
                    Err(expected.clone()),
                    "{text:?} {decimal:?}"
                );
            }
        }
    }

    #[test]
    fn plain_numbers_round_trip() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..10_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let value = f64::from_bits(state);
            if !value.is_finite() {
                continue;
            }
            let text = value.to_string();
            assert_eq!(parse_amount(&text, Dot), Ok(value), "{text}");
            // Money with two decimals written the two European ways reads the same in any column.
            let cents = (state >> 20) % 10_000_000_000;
            let (units, hundredths) = (cents / 100, cents % 100);
            let digits = units.to_string();
            let mut groups = Vec::new();
            let mut end = digits.len();
            while end > 0 {
                groups.push(&digits[end.saturating_sub(3)..end]);
                end = end.saturating_sub(3);
            }
            groups.reverse();
            let expected = units as f64 + hundredths as f64 / 100.0;
            let english = format!("{}.{hundredths:02}", groups.join(","));
            let european = format!("{},{hundredths:02} €", groups.join("."));
            for decimal in [Dot, Comma] {
                assert_amount(&english, decimal, expected);
                assert_amount(&european, decimal, expected);
            }
        }
    }

    #[test]
    fn comma_decimals_round_exactly_like_str_parse() {
        // Digit strings of every length around the exact-arithmetic limits (15–17 digits,
        // 22 decimals), read with a comma, must give the very f64 `str::parse` gives with a dot.
        let mut state = 0x0123_4567_89ab_cdefu64;
        for _ in 0..20_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let integer_len = 1 + (state >> 40) as usize % 20;
            let fraction_len = 1 + (state >> 50) as usize % 26;
            let mut digits = String::new();
            for _ in 0..integer_len + fraction_len {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                digits.push((b'0' + (state >> 60) as u8 % 10) as char);
            }
            let (integer, fraction) = digits.split_at(integer_len);
            let expected: f64 = format!("{integer}.{fraction}").parse().unwrap();
            let comma = format!("{integer},{fraction}");
            if fraction_len == 3 && (1..=3).contains(&integer_len) && !integer.starts_with('0') {
                continue; // ambiguous: read as a group in a dot column
            }
            for decimal in [Dot, Comma] {
                let parsed = parse_amount(&comma, decimal);
                assert_eq!(parsed.map(f64::to_bits), Ok(expected.to_bits()), "{comma}");
                let negative = parse_amount(&format!("({comma})"), decimal);
                assert_eq!(
                    negative.map(f64::to_bits),
                    Ok((-expected).to_bits()),
                    "({comma})"
                );
            }
        }
    }

    #[test]
    fn odd_amounts_never_panic() {
        let alphabet: Vec<char> = "0123456789.,-+()$€₫đ eE\u{a0}'NaiVD🙂".chars().collect();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut text = String::new();
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            for _ in 0..(state >> 59) {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                text.push(alphabet[(state >> 33) as usize % alphabet.len()]);
            }
            for decimal in [Dot, Comma] {
                if let Ok(value) = parse_amount(&text, decimal) {
                    assert!(value.is_finite(), "{text:?}");
                }
            }
            let _ = detect_decimal_separator(&[&text]);
        }
    }

    #[test]
    fn decimal_separator_detection_votes() {
        let cases: [(&[&str], DecimalSeparator); 9] = [
            (&["2.55", "3.39", "6"], Dot),
            (&["2,55", "3,39", "6"], Comma),
            (&["1.250.000 ₫", "150.000 ₫", "90.000 ₫"], Comma),
            (&["1,250,000", "150,000"], Dot),
            (&["1.234,56", "12,00"], Comma),
            (&["1,234.56", "12.00"], Dot),
            (&["1.234", "150.000", "120"], Dot), // nothing settles it
            (&["12,50 €", "3,99 €", "1,234.50"], Comma),
            (&["1.2.3", "abc", "", "1,2,3"], Dot), // invalid values do not vote
        ];
        for (samples, expected) in cases {
            assert_eq!(detect_decimal_separator(samples), expected, "{samples:?}");
        }
    }

    #[test]
    fn amount_errors_say_what_to_do() {
        for error in [
            AmountError::Empty,
            AmountError::NotANumber,
            AmountError::NotFinite,
        ] {
            assert!(error.to_string().contains(':'), "{error} names a remedy");
        }
    }
}
