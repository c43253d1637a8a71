//! [`Day`]: a calendar day, the one place where day numbers, calendar dates and their text meet.
//!
//! The book and the analyses keep days as bare `i32` numbers (days since 1970-01-01): four bytes
//! an order, and "days between" is a subtraction. Everything that needs the calendar — a date
//! read from a file, a month or an ISO week to group by, `YYYY-MM-DD` for an export or for
//! JavaScript — goes through `Day`, which asks `chrono` (built without its clock and time-zone
//! features: the core never needs "now" nor a zone).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};

/// A day of the proleptic Gregorian calendar, as the number of days since 1970-01-01.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i32);

impl Day {
    /// The day of a calendar date; `None` when there is no such date (month 13, 30 February).
    #[inline]
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        NaiveDate::from_ymd_opt(year, month, day).map(|date| Day(date.to_epoch_days()))
    }

    /// The calendar date. Day numbers beyond `chrono`'s ±262,000 years (never read from data:
    /// dates are read with four-digit years) stop at its first or last date.
    #[inline]
    pub fn date(self) -> NaiveDate {
        NaiveDate::from_epoch_days(self.0).unwrap_or(if self.0 < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
    }

    /// `(year, month 1..=12, day of month 1..=31)`.
    #[inline]
    pub fn ymd(self) -> (i32, u32, u32) {
        let date = self.date();
        (date.year(), date.month(), date.day())
    }

    /// Months since January of year 0 (`year * 12 + month - 1`): consecutive months have
    /// consecutive numbers, so "months between" is a subtraction.
    #[inline]
    pub fn month_number(self) -> i32 {
        let date = self.date();
        date.year() * 12 + date.month0() as i32
    }

    /// The first day of month number `month_number` (see [`Day::month_number`]).
    pub fn first_of_month_number(month_number: i32) -> Day {
        let (year, month0) = (month_number.div_euclid(12), month_number.rem_euclid(12));
        Day::from_ymd(year, month0 as u32 + 1, 1).unwrap_or_else(|| {
            // Beyond the calendar's range: the range's own end, as for `date`.
            let end = if month_number < 0 {
                NaiveDate::MIN
            } else {
                NaiveDate::MAX
            };
            Day(end.to_epoch_days())
        })
    }

    /// Weeks (Monday to Sunday, ISO 8601) since the week of 1970-01-01, numbered straight
    /// across year boundaries.
    #[inline]
    pub fn week_number(self) -> i32 {
        // 1970-01-01 was a Thursday, so Monday 1969-12-29 (day -3) starts week 0.
        (i64::from(self.0) + 3).div_euclid(7) as i32
    }

    /// The Monday that starts week number `week_number` (see [`Day::week_number`]).
    pub fn first_of_week_number(week_number: i32) -> Day {
        Day((i64::from(week_number) * 7 - 3) as i32)
    }

    /// The ISO 8601 week-year and week 1..=53 of the day: 2021-01-03 is in week 53 of 2020.
    pub fn iso_week(self) -> (i32, u32) {
        let week = self.date().iso_week();
        (week.year(), week.week())
    }
}

/// `YYYY-MM-DD`, the form days take in exports and across the JS boundary. Written by hand:
/// `chrono`'s formatting machinery would add about 20 KB to the .wasm.
impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

/// Text that is not a date written `YYYY-MM-DD`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotADay(pub String);

impl fmt::Display for NotADay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' is not a date: write it as YYYY-MM-DD", self.0)
    }
}

impl std::error::Error for NotADay {}

/// Reads exactly `YYYY-MM-DD` (surrounding whitespace ignored), the form options take. Dates
/// from files, in their many forms, are read by `ingest::dates`.
impl FromStr for Day {
    type Err = NotADay;

    fn from_str(text: &str) -> Result<Day, NotADay> {
        let mut parts = text.trim().splitn(3, '-');
        let mut number = |digits: usize| {
            let part = parts.next()?;
            (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse::<u32>().ok())?
        };
        let year = number(4);
        let month = number(2);
        let day = number(2);
        year.zip(month)
            .zip(day)
            .and_then(|((year, month), day)| Day::from_ymd(year as i32, month, day))
            .ok_or_else(|| NotADay(text.to_string()))
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Serializes a day number (an `i32` field) as `YYYY-MM-DD`: `#[serde(serialize_with = …)]`.
pub fn serialize<S: Serializer>(day: &i32, serializer: S) -> Result<S::Ok, S::Error> {
    Day(*day).serialize(serializer)
}

/// Serializes an optional day number as `YYYY-MM-DD` or `null`.
pub fn serialize_optional<S: Serializer>(
    day: &Option<i32>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    day.map(Day).serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        text.parse().unwrap()
    }

    #[test]
    fn days_round_trip_through_text_and_dates() {
        let december_9 = Day::from_ymd(2011, 12, 9).unwrap();
        assert_eq!(december_9.to_string(), "2011-12-09");
        assert_eq!(day("2011-12-09"), december_9);
        assert_eq!(day(" 2011-12-09 "), december_9);
        assert_eq!(december_9.ymd(), (2011, 12, 9));
        assert_eq!(Day::from_ymd(1970, 1, 1), Some(Day(0)));
        assert_eq!(Day(-1).to_string(), "1969-12-31");
        assert_eq!(Day::from_ymd(1, 1, 1), Some(Day(-719_162)));
        assert_eq!(Day(2_932_896).to_string(), "9999-12-31");
        for bad in [
            "2011-13-01",
            "2011-02-30",
            "11-12-09",
            "2011-1-09",
            "2011-12-09x",
            "2011-12",
            "+011-12-09",
            "",
        ] {
            assert_eq!(bad.parse::<Day>(), Err(NotADay(bad.to_string())), "{bad}");
        }
        assert_eq!(
            "2011-02-30".parse::<Day>().unwrap_err().to_string(),
            "'2011-02-30' is not a date: write it as YYYY-MM-DD"
        );
        // Far outside the calendar: no panic, the calendar's ends.
        assert_eq!(Day(i32::MIN).date(), NaiveDate::MIN);
        assert_eq!(Day(i32::MAX).date(), NaiveDate::MAX);
    }

    #[test]
    fn every_day_of_four_centuries_has_its_date_month_and_week() {
        let (first, last) = (day("1899-12-25"), day("2300-03-01"));
        let mut date = first.date();
        for number in first.0..=last.0 {
            let d = Day(number);
            assert_eq!(d.date(), date);
            assert_eq!(
                Day::from_ymd(date.year(), date.month(), date.day()),
                Some(d)
            );
            let month = Day::first_of_month_number(d.month_number());
            assert_eq!(month.ymd(), (date.year(), date.month(), 1));
            let monday = Day::first_of_week_number(d.week_number());
            assert_eq!(monday.date().weekday(), chrono::Weekday::Mon);
            assert!((0..7).contains(&(d.0 - monday.0)));
            date = date.succ_opt().unwrap();
        }
    }

    #[test]
    fn iso_weeks_belong_to_the_year_of_their_thursday() {
        let cases = [
            ("2020-12-28", (2020, 53)),
            ("2021-01-03", (2020, 53)),
            ("2021-01-04", (2021, 1)),
            ("2019-12-30", (2020, 1)),
            ("1970-01-01", (1970, 1)),
        ];
        for (text, expected) in cases {
            assert_eq!(day(text).iso_week(), expected, "{text}");
        }
    }

    #[test]
    fn days_serialize_as_text() {
        #[derive(Serialize)]
        struct Dates {
            day: Day,
            #[serde(serialize_with = "serialize")]
            number: i32,
            #[serde(serialize_with = "serialize_optional")]
            missing: Option<i32>,
        }
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.serialize(Dates {
            day: Day(0),
            number: 1,
            missing: None,
        })
        .unwrap();
        let text = String::from_utf8(csv.into_inner().unwrap()).unwrap();
        assert_eq!(text, "day,number,missing\n1970-01-01,1970-01-02,\n");
    }
}
