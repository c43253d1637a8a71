//! Calendar periods (ISO week, calendar month, quarter) numbered as plain integers, so that
//! grouping millions of orders by period is integer arithmetic on day numbers, not date objects.
//!
//! A period *number* is a sequential integer: consecutive periods have consecutive numbers, so
//! "periods since acquisition" is a subtraction. Weeks start on Monday (ISO 8601) and are
//! numbered straight across year boundaries (the week of Monday 2020-12-28 is followed by the
//! week of Monday 2021-01-04).

use crate::message::{Code, Message};
use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::book::format_day;

/// The length of the periods an analysis groups orders by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// ISO week, Monday to Sunday.
    Week,
    /// Calendar month.
    #[default]
    Month,
    /// Calendar quarter: January–March, April–June, July–September, October–December.
    Quarter,
}

/// A period name that is not `week`, `month` or `quarter`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownPeriod(pub String);

impl fmt::Display for UnknownPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid period '{}': use 'week', 'month' or 'quarter'",
            self.0
        )
    }
}

impl std::error::Error for UnknownPeriod {}

impl From<UnknownPeriod> for Message {
    fn from(unknown: UnknownPeriod) -> Message {
        let text = unknown.to_string();
        Message::new(Code::UNKNOWN_PERIOD, text).with("given", unknown.0)
    }
}

impl FromStr for Period {
    type Err = UnknownPeriod;

    /// Accepts the names the JS API uses (`week`, `month`, `quarter`), any case, and their
    /// adjective forms (`weekly`, `monthly`, `quarterly`).
    fn from_str(text: &str) -> Result<Period, UnknownPeriod> {
        match text.trim().to_ascii_lowercase().as_str() {
            "week" | "weekly" | "isoweek" | "iso-week" => Ok(Period::Week),
            "month" | "monthly" => Ok(Period::Month),
            "quarter" | "quarterly" => Ok(Period::Quarter),
            _ => Err(UnknownPeriod(text.to_string())),
        }
    }
}

impl Period {
    /// Every period kind, shortest first.
    pub const ALL: [Period; 3] = [Period::Week, Period::Month, Period::Quarter];

    /// The name the JS API uses.
    pub fn name(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
        }
    }

    /// Sequential number of the period that contains `day` (days since 1970-01-01).
    #[inline]
    pub fn number_of_day(self, day: i32) -> i32 {
        match self {
            // 1970-01-01 was a Thursday, so Monday 1969-12-29 (day -3) starts week 0.
            Period::Week => (i64::from(day) + 3).div_euclid(7) as i32,
            Period::Month => month_number(day),
            Period::Quarter => month_number(day).div_euclid(3),
        }
    }

    /// First day of period `number`.
    pub fn first_day(self, number: i32) -> i32 {
        match self {
            Period::Week => (i64::from(number) * 7 - 3) as i32,
            Period::Month => first_day_of_month_number(i64::from(number)),
            Period::Quarter => first_day_of_month_number(i64::from(number) * 3),
        }
    }

    /// Last day of period `number`.
    pub fn last_day(self, number: i32) -> i32 {
        self.first_day(number + 1) - 1
    }

    /// How people name period `number`: `2021-W01` (ISO week-year and week), `2011-01`,
    /// `2011-Q1`.
    pub fn label(self, number: i32) -> String {
        match self {
            Period::Week => {
                // The ISO week belongs to the year of its Thursday.
                let thursday = self.first_day(number) + 3;
                let (year, _, _) = civil_from_days(thursday);
                let ordinal = thursday - days_from_civil(year, 1, 1);
                format!("{year}-W{:02}", ordinal / 7 + 1)
            }
            Period::Month => {
                let (year, month) = split_month_number(i64::from(number));
                format!("{year}-{month:02}")
            }
            Period::Quarter => {
                let (year, month) = split_month_number(i64::from(number) * 3);
                format!("{year}-Q{}", (month - 1) / 3 + 1)
            }
        }
    }
}

/// Longest stretch of days [`PeriodLookup`] tabulates (about 2,700 years); beyond it, periods
/// are computed instead of looked up.
const MAX_LOOKUP_DAYS: i64 = 1 << 20;

/// Period offsets of the days of a data set, looked up in a table (a few KB for a few years)
/// instead of computed per order: the cheapest way to bucket millions of orders by period.
#[derive(Clone, Debug)]
pub struct PeriodLookup {
    period: Period,
    first_day: i32,
    /// Number of the period containing `first_day`: offsets count from it.
    first_number: i32,
    /// `offsets[d - first_day]`; empty when the data spans more than [`MAX_LOOKUP_DAYS`].
    offsets: Vec<u32>,
}

impl PeriodLookup {
    /// A table for the days `first_day..=last_day` (`first_day <= last_day`).
    pub fn new(period: Period, first_day: i32, last_day: i32) -> PeriodLookup {
        let first_number = period.number_of_day(first_day);
        let days = i64::from(last_day) - i64::from(first_day) + 1;
        let offsets = if days <= MAX_LOOKUP_DAYS {
            (first_day..=last_day)
                .map(|day| (period.number_of_day(day) - first_number) as u32)
                .collect()
        } else {
            Vec::new()
        };
        PeriodLookup {
            period,
            first_day,
            first_number,
            offsets,
        }
    }

    /// Periods between the first day's period and `day`'s (`day` within the table's days).
    #[inline]
    pub fn offset(&self, day: i32) -> u32 {
        match self
            .offsets
            .get(day.wrapping_sub(self.first_day) as u32 as usize)
        {
            Some(&offset) => offset,
            None => (self.period.number_of_day(day) - self.first_number) as u32,
        }
    }

    /// The period number of an offset.
    pub fn number(&self, offset: u32) -> i32 {
        self.first_number + offset as i32
    }
}

/// Months since year 0 (`year * 12 + month - 1`) of a day number.
#[inline]
fn month_number(day: i32) -> i32 {
    let (year, month, _) = civil_from_days(day);
    (i64::from(year) * 12 + i64::from(month) - 1) as i32
}

fn split_month_number(number: i64) -> (i64, u32) {
    (number.div_euclid(12), number.rem_euclid(12) as u32 + 1)
}

fn first_day_of_month_number(number: i64) -> i32 {
    let (year, month) = split_month_number(number);
    days_from_civil(year as i32, month, 1)
}

/// `(year, month, day)` of a day number: Howard Hinnant's `civil_from_days`, a handful of
/// integer operations, cheap enough to run once per order.
#[inline]
pub(crate) fn civil_from_days(day: i32) -> (i32, u32, u32) {
    let z = i64::from(day) + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day_of_month = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year as i32, month as u32, day_of_month as u32)
}

/// Day number of a civil date (Howard Hinnant's `days_from_civil`); `month` in 1..=12.
pub(crate) fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era - 719_468) as i32
}

/// Serializes a day number as `YYYY-MM-DD`, the form dates take across the JS boundary.
pub(crate) fn serialize_day<S: Serializer>(day: &i32, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_day(*day))
}

/// Serializes an optional day number as `YYYY-MM-DD` or `null`.
pub(crate) fn serialize_optional_day<S: Serializer>(
    day: &Option<i32>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match day {
        Some(day) => serializer.serialize_str(&format_day(*day)),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::{date_of_day, day_from_ymd};

    fn day(text: &str) -> i32 {
        crate::book::parse_iso_day(text).unwrap()
    }

    #[test]
    fn civil_conversions_agree_with_chrono_over_four_centuries() {
        let start = day_from_ymd(1899, 12, 25).unwrap();
        let end = day_from_ymd(2300, 3, 1).unwrap();
        for d in start..=end {
            let date = date_of_day(d);
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(
                (y, m, dd),
                (
                    chrono::Datelike::year(&date),
                    chrono::Datelike::month(&date),
                    chrono::Datelike::day(&date)
                )
            );
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn iso_weeks_cross_the_year_boundary() {
        let cases = [
            // (day, first day of its week, label)
            ("2020-12-28", "2020-12-28", "2020-W53"),
            ("2021-01-03", "2020-12-28", "2020-W53"),
            ("2021-01-04", "2021-01-04", "2021-W01"),
            ("2021-01-10", "2021-01-04", "2021-W01"),
            ("2019-12-30", "2019-12-30", "2020-W01"),
            ("1970-01-01", "1969-12-29", "1970-W01"),
            ("2010-12-01", "2010-11-29", "2010-W48"),
        ];
        for (date, monday, label) in cases {
            let number = Period::Week.number_of_day(day(date));
            assert_eq!(Period::Week.first_day(number), day(monday), "{date}");
            assert_eq!(Period::Week.label(number), label, "{date}");
            assert_eq!(Period::Week.last_day(number), day(monday) + 6, "{date}");
        }
        assert_eq!(
            Period::Week.number_of_day(day("2021-01-04"))
                - Period::Week.number_of_day(day("2020-12-28")),
            1
        );
    }

    #[test]
    fn months_and_quarters_have_their_calendar_bounds() {
        let cases = [
            // (period, day, first day, last day, label)
            (
                Period::Month,
                "2011-02-14",
                "2011-02-01",
                "2011-02-28",
                "2011-02",
            ),
            (
                Period::Month,
                "2012-02-29",
                "2012-02-01",
                "2012-02-29",
                "2012-02",
            ),
            (
                Period::Month,
                "2010-12-31",
                "2010-12-01",
                "2010-12-31",
                "2010-12",
            ),
            (
                Period::Quarter,
                "2011-03-31",
                "2011-01-01",
                "2011-03-31",
                "2011-Q1",
            ),
            (
                Period::Quarter,
                "2011-04-01",
                "2011-04-01",
                "2011-06-30",
                "2011-Q2",
            ),
            (
                Period::Quarter,
                "2010-12-09",
                "2010-10-01",
                "2010-12-31",
                "2010-Q4",
            ),
            (
                Period::Quarter,
                "1969-08-15",
                "1969-07-01",
                "1969-09-30",
                "1969-Q3",
            ),
        ];
        for (period, date, first, last, label) in cases {
            let number = period.number_of_day(day(date));
            assert_eq!(period.first_day(number), day(first), "{date}");
            assert_eq!(period.last_day(number), day(last), "{date}");
            assert_eq!(period.label(number), label, "{date}");
        }
        let december = Period::Month.number_of_day(day("2010-12-01"));
        assert_eq!(Period::Month.number_of_day(day("2011-01-01")), december + 1);
        let q4 = Period::Quarter.number_of_day(day("2010-12-01"));
        assert_eq!(Period::Quarter.number_of_day(day("2011-01-01")), q4 + 1);
    }

    #[test]
    fn lookup_agrees_with_arithmetic() {
        let first = day("2019-12-25");
        let last = day("2021-02-03");
        for period in Period::ALL {
            let lookup = PeriodLookup::new(period, first, last);
            for d in first..=last {
                let offset = lookup.offset(d);
                assert_eq!(lookup.number(offset), period.number_of_day(d));
            }
        }
        // A stretch too long to tabulate is computed instead.
        let wide = PeriodLookup::new(Period::Month, -400_000, 800_000);
        assert!(wide.offsets.is_empty());
        assert_eq!(wide.number(wide.offset(0)), Period::Month.number_of_day(0));
    }

    #[test]
    fn period_names_parse_and_bad_ones_explain_the_choices() {
        assert_eq!("week".parse(), Ok(Period::Week));
        assert_eq!(" Monthly ".parse(), Ok(Period::Month));
        assert_eq!("QUARTER".parse(), Ok(Period::Quarter));
        let error = "year".parse::<Period>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid period 'year': use 'week', 'month' or 'quarter'"
        );
    }
}
