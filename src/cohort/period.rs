//! Calendar periods (ISO week, calendar month, quarter, year) numbered as plain integers, so that
//! grouping millions of orders by period is integer arithmetic on day numbers, not date objects.
//!
//! A period *number* is a sequential integer: consecutive periods have consecutive numbers, so
//! "periods since acquisition" is a subtraction. Weeks start on Monday (ISO 8601) and are
//! numbered straight across year boundaries (the week of Monday 2020-12-28 is followed by the
//! week of Monday 2021-01-04).

use crate::message::{Code, Message};
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::day::Day;

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
    /// Calendar year.
    Year,
}

/// A period name that is not `week`, `month`, `quarter` or `year`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownPeriod(pub String);

impl fmt::Display for UnknownPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid period '{}': use 'week', 'month', 'quarter' or 'year'",
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

    /// Accepts the names the JS API uses (`week`, `month`, `quarter`, `year`), any case, and
    /// their adjective forms (`weekly`, `monthly`, `quarterly`, `yearly`, `annual`).
    fn from_str(text: &str) -> Result<Period, UnknownPeriod> {
        match text.trim().to_ascii_lowercase().as_str() {
            "week" | "weekly" | "isoweek" | "iso-week" => Ok(Period::Week),
            "month" | "monthly" => Ok(Period::Month),
            "quarter" | "quarterly" => Ok(Period::Quarter),
            "year" | "yearly" | "annual" => Ok(Period::Year),
            _ => Err(UnknownPeriod(text.to_string())),
        }
    }
}

impl Period {
    /// Every period kind, shortest first.
    pub const ALL: [Period; 4] = [Period::Week, Period::Month, Period::Quarter, Period::Year];

    /// The name the JS API uses.
    pub fn name(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    /// Sequential number of the period that contains `day` (days since 1970-01-01).
    #[inline]
    pub fn number_of_day(self, day: i32) -> i32 {
        match self {
            Period::Week => Day(day).week_number(),
            Period::Month => Day(day).month_number(),
            Period::Quarter => Day(day).month_number().div_euclid(3),
            Period::Year => Day(day).month_number().div_euclid(12),
        }
    }

    /// First day of period `number`.
    pub fn first_day(self, number: i32) -> i32 {
        match self {
            Period::Week => Day::first_of_week_number(number).0,
            Period::Month => Day::first_of_month_number(number).0,
            Period::Quarter => Day::first_of_month_number(number.saturating_mul(3)).0,
            Period::Year => Day::first_of_month_number(number.saturating_mul(12)).0,
        }
    }

    /// Last day of period `number`.
    pub fn last_day(self, number: i32) -> i32 {
        self.first_day(number + 1) - 1
    }

    /// How people name period `number`: `2021-W01` (ISO week-year and week), `2011-01`,
    /// `2011-Q1`, `2011`.
    pub fn label(self, number: i32) -> String {
        match self {
            Period::Week => {
                let (year, week) = Day(self.first_day(number)).iso_week();
                format!("{year}-W{week:02}")
            }
            Period::Month => {
                let (year, month, _) = Day(self.first_day(number)).ymd();
                format!("{year}-{month:02}")
            }
            Period::Quarter => {
                let (year, month, _) = Day(self.first_day(number)).ymd();
                format!("{year}-Q{}", (month - 1) / 3 + 1)
            }
            Period::Year => Day(self.first_day(number)).ymd().0.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::day;

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
            (
                Period::Year,
                "2011-12-31",
                "2011-01-01",
                "2011-12-31",
                "2011",
            ),
            (
                Period::Year,
                "2012-02-29",
                "2012-01-01",
                "2012-12-31",
                "2012",
            ),
            (
                Period::Year,
                "1969-08-15",
                "1969-01-01",
                "1969-12-31",
                "1969",
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
        let y2010 = Period::Year.number_of_day(day("2010-12-31"));
        assert_eq!(Period::Year.number_of_day(day("2011-01-01")), y2010 + 1);
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
        assert_eq!("Year".parse(), Ok(Period::Year));
        let error = "day".parse::<Period>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid period 'day': use 'week', 'month', 'quarter' or 'year'"
        );
    }
}
