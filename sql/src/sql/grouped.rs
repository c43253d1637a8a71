//! The calibration summary grouped for the CLV models: the BG/NBD likelihood depends on a
//! customer only through (x, t_x, T) and the Gamma-Gamma likelihood only through (x, m̄), so
//! customers sharing those values become one row with a count — the weight of a weighted fit.
//! Millions of customers shrink to a file of a few MB that the browser fits in well under a
//! second.
//!
//! The file (what the `clvSummary` SQL query returns, and [`GroupedSummary::to_csv`] writes):
//!
//! ```text
//! model,frequency,recency_days,t_days,monetary_mean,customers
//! bgnbd,0,0,268,,1411
//! bgnbd,1,35,231,,3
//! gamma_gamma,1,,,12.5,8
//! ```
//!
//! `bgnbd` rows: x = repeat purchase days, t_x and T in days (or the centre of their period, see
//! [`TimeGrouping`]); `gamma_gamma` rows: customers with x > 0 and their mean repeat purchase
//! value m̄, rounded to millionths (or to a number of significant digits). Times are converted to
//! model periods when the file is read, so one file serves any period length.

use std::str::FromStr;

use rustc_hash::FxHashMap;

use super::SqlError;
use crate::clv::ClvError;
use crate::clv::bgnbd::{self, BgNbdFit};
use crate::clv::gamma_gamma::{self, GammaGammaFit};
use crate::clv::summary::CalibrationSummary;
use crate::csv_writer::CsvWriter;
use crate::message::{Expected, Rule};

/// The header of a grouped summary file.
pub const CSV_HEADER: &str = "model,frequency,recency_days,t_days,monetary_mean,customers";

/// How t_x and T are grouped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeGrouping {
    /// Whole days, as the calibration summary measures them: the fit equals the per-customer fit.
    #[default]
    Day,
    /// Each time but 0 replaced by the centre of the whole days of its period (`period_days`, a
    /// whole number: days 0–6 → 3, 7–13 → 10 with weeks): far fewer rows for very large stores,
    /// and the estimates move a little (see the README's figures). The centre keeps the mean of
    /// uniformly spread days; 0 stays 0, so a repeat buyer never gets t_x = 0 and a one-time
    /// buyer keeps it; t_x ≤ T holds as before.
    Period,
}

impl FromStr for TimeGrouping {
    type Err = SqlError;

    fn from_str(text: &str) -> Result<TimeGrouping, SqlError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "day" | "days" => Ok(TimeGrouping::Day),
            "period" | "periods" => Ok(TimeGrouping::Period),
            _ => Err(SqlError::InvalidOption {
                option: "clv_time_grouping",
                given: text.to_string(),
                expected: Expected::of(&Rule::TIME_GROUPING),
            }),
        }
    }
}

/// How customers are grouped; also the SQL's settings for the `clvSummary` query.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupingOptions {
    pub time: TimeGrouping,
    /// Days per model period (default 7, the CLV default).
    pub period_days: f64,
    /// Significant digits kept of m̄; `None` keeps it to millionths (exact for money).
    pub monetary_digits: Option<u32>,
}

impl Default for GroupingOptions {
    fn default() -> GroupingOptions {
        GroupingOptions {
            time: TimeGrouping::Day,
            period_days: 7.0,
            monetary_digits: None,
        }
    }
}

impl GroupingOptions {
    pub(crate) fn validate(&self) -> Result<(), SqlError> {
        if !(self.period_days.is_finite() && self.period_days > 0.0) {
            return Err(SqlError::InvalidOption {
                option: "period_days",
                given: self.period_days.to_string(),
                expected: Expected::with(&Rule::NUMBER_ABOVE, 0.0, f64::NAN),
            });
        }
        if self.time == TimeGrouping::Period && self.period_days.fract() != 0.0 {
            return Err(SqlError::InvalidOption {
                option: "period_days",
                given: self.period_days.to_string(),
                expected: Expected::of(&Rule::WHOLE_DAYS_FOR_PERIOD),
            });
        }
        if let Some(digits) = self.monetary_digits
            && !(1..=15).contains(&digits)
        {
            return Err(SqlError::InvalidOption {
                option: "clv_monetary_digits",
                given: digits.to_string(),
                expected: Expected::with(&Rule::WHOLE_NUMBER, 1.0, 15.0),
            });
        }
        Ok(())
    }

    /// A time in days as grouped: unchanged, or for days > 0 the centre of its period's whole
    /// days, `floor(days / period) × period + (period − 1) / 2` (the formula the SQL uses, so
    /// both agree exactly).
    pub fn group_days(&self, days: f64) -> f64 {
        match self.time {
            TimeGrouping::Day => days,
            TimeGrouping::Period if days == 0.0 => 0.0,
            TimeGrouping::Period => {
                let period = self.period_days;
                (days / period).floor() * period + self.period_centre()
            }
        }
    }

    /// Offset of a period's centre from its first day: (period − 1) / 2.
    pub(crate) fn period_centre(&self) -> f64 {
        (self.period_days - 1.0) / 2.0
    }

    /// m̄ as grouped: rounded to millionths, then to `monetary_digits` significant digits.
    pub fn group_monetary(&self, value: f64) -> f64 {
        let settled = round_to_millionths(value);
        match self.monetary_digits {
            Some(digits) => round_significant(settled, digits),
            None => settled,
        }
    }
}

/// Rounds to millionths as the RFM code settles money (half away from zero), −0 to 0.
pub fn round_to_millionths(value: f64) -> f64 {
    (value * 1e6).round() / 1e6 + 0.0
}

/// Rounds a positive value to `digits` significant digits, halves up; other values unchanged.
/// Written with exact powers of ten (one multiplication or division, `floor(v + 0.5)`) so that
/// every SQL engine computes the same double.
pub fn round_significant(value: f64, digits: u32) -> f64 {
    if !(value > 0.0 && value.is_finite()) {
        return value;
    }
    let exponent = digits as i32 - 1 - value.log10().floor() as i32;
    if exponent >= 0 {
        let scale = 10f64.powi(exponent);
        (value * scale + 0.5).floor() / scale
    } else {
        let scale = 10f64.powi(-exponent);
        (value / scale + 0.5).floor() * scale
    }
}

/// Why a grouped summary's text cannot be read (`grouped_summary_unreadable`: its `reason`
/// param, beside `line` and the values here).
#[derive(Clone, Debug, PartialEq)]
pub enum Unreadable {
    UnclosedQuote,
    Empty,
    MissingColumn { column: &'static str, found: String },
    EmptyField { column: &'static str },
    NotANumber { column: &'static str, value: String },
    FrequencyNotWhole { frequency: f64 },
    CustomersNegative { customers: f64 },
    RecencyOutOfRange { recency: f64, age: f64 },
    UnknownModel { model: String },
    NoRows,
}

impl Unreadable {
    pub fn reason(&self) -> &'static str {
        match self {
            Unreadable::UnclosedQuote => "unclosed_quote",
            Unreadable::Empty => "empty",
            Unreadable::MissingColumn { .. } => "missing_column",
            Unreadable::EmptyField { .. } => "empty_field",
            Unreadable::NotANumber { .. } => "not_a_number",
            Unreadable::FrequencyNotWhole { .. } => "frequency_not_whole",
            Unreadable::CustomersNegative { .. } => "customers_negative",
            Unreadable::RecencyOutOfRange { .. } => "recency_out_of_range",
            Unreadable::UnknownModel { .. } => "unknown_model",
            Unreadable::NoRows => "no_rows",
        }
    }

    /// The values the wording names: `column`, `value`, `found`, `expected` (the header).
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Unreadable::MissingColumn { column, found } => vec![
                ("column", column.to_string()),
                ("found", found.clone()),
                ("expected", CSV_HEADER.to_string()),
            ],
            Unreadable::EmptyField { column } => vec![("column", column.to_string())],
            Unreadable::NotANumber { column, value } => {
                vec![("column", column.to_string()), ("value", value.clone())]
            }
            Unreadable::FrequencyNotWhole { frequency } => {
                vec![("value", frequency.to_string())]
            }
            Unreadable::CustomersNegative { customers } => {
                vec![("value", customers.to_string())]
            }
            Unreadable::RecencyOutOfRange { recency, age } => {
                vec![("recency", recency.to_string()), ("age", age.to_string())]
            }
            Unreadable::UnknownModel { model } => vec![("value", model.clone())],
            _ => Vec::new(),
        }
    }
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::UnclosedQuote => f.write_str("a quoted field is never closed"),
            Unreadable::Empty => {
                f.write_str("the file is empty: export the clvSummary result with its header")
            }
            Unreadable::MissingColumn { column, found } => write!(
                f,
                "the header has no '{column}' column; expected {CSV_HEADER} (found {found})"
            ),
            Unreadable::EmptyField { column } => write!(f, "{column} is empty; this row needs it"),
            Unreadable::NotANumber { column, value } => {
                write!(f, "{column} '{value}' is not a number")
            }
            Unreadable::FrequencyNotWhole { frequency } => write!(
                f,
                "frequency {frequency} must be a whole number of repeat purchases ≥ 0"
            ),
            Unreadable::CustomersNegative { customers } => {
                write!(f, "customers {customers} must be ≥ 0")
            }
            Unreadable::RecencyOutOfRange { recency, age } => write!(
                f,
                "recency_days {recency} and t_days {age} must satisfy 0 ≤ t_x ≤ T"
            ),
            Unreadable::UnknownModel { model } => {
                write!(f, "model '{model}' is neither 'bgnbd' nor 'gamma_gamma'")
            }
            Unreadable::NoRows => f.write_str(
                "the file has a header but no rows: run the clvSummary query and export its \
                 result with the header",
            ),
        }
    }
}

/// A grouped summary: BG/NBD rows (x, t_x, T in days, customers) and Gamma-Gamma rows (x, m̄,
/// customers), each sorted by its key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupedSummary {
    pub bgnbd: BgNbdRows,
    pub gamma_gamma: GammaGammaRows,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BgNbdRows {
    pub frequency: Vec<f64>,
    pub recency_days: Vec<f64>,
    pub age_days: Vec<f64>,
    pub customers: Vec<f64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct GammaGammaRows {
    pub frequency: Vec<f64>,
    pub monetary_mean: Vec<f64>,
    pub customers: Vec<f64>,
}

/// Accumulates customers into groups, one call per customer; any number of customers, memory
/// in proportion to the distinct groups only.
#[derive(Default)]
pub struct Grouper {
    options: GroupingOptions,
    bgnbd: FxHashMap<(u32, u64, u64), f64>,
    gamma_gamma: FxHashMap<(u32, u64), f64>,
}

impl Grouper {
    pub fn new(options: GroupingOptions) -> Grouper {
        Grouper {
            options,
            ..Grouper::default()
        }
    }

    /// Adds one customer: x, t_x and T in days, m̄ (ignored when x = 0).
    pub fn add(&mut self, frequency: u32, recency_days: f64, age_days: f64, monetary_mean: f64) {
        let recency = self.options.group_days(recency_days) + 0.0;
        let age = self.options.group_days(age_days) + 0.0;
        *self
            .bgnbd
            .entry((frequency, recency.to_bits(), age.to_bits()))
            .or_default() += 1.0;
        if frequency > 0 {
            let monetary = self.options.group_monetary(monetary_mean);
            *self
                .gamma_gamma
                .entry((frequency, monetary.to_bits()))
                .or_default() += 1.0;
        }
    }

    /// The groups, sorted.
    pub fn finish(self) -> GroupedSummary {
        let mut bgnbd: Vec<_> = self.bgnbd.into_iter().collect();
        bgnbd.sort_by(|a, b| {
            let key = |k: &(u32, u64, u64)| (k.0, f64::from_bits(k.1), f64::from_bits(k.2));
            let (x, y) = (key(&a.0), key(&b.0));
            x.0.cmp(&y.0)
                .then(x.1.total_cmp(&y.1))
                .then(x.2.total_cmp(&y.2))
        });
        let mut gamma_gamma: Vec<_> = self.gamma_gamma.into_iter().collect();
        gamma_gamma.sort_by(|a, b| {
            (a.0.0.cmp(&b.0.0)).then(f64::from_bits(a.0.1).total_cmp(&f64::from_bits(b.0.1)))
        });
        let mut summary = GroupedSummary::default();
        for ((x, recency, age), count) in bgnbd {
            summary.bgnbd.frequency.push(x as f64);
            summary.bgnbd.recency_days.push(f64::from_bits(recency));
            summary.bgnbd.age_days.push(f64::from_bits(age));
            summary.bgnbd.customers.push(count);
        }
        for ((x, monetary), count) in gamma_gamma {
            summary.gamma_gamma.frequency.push(x as f64);
            summary
                .gamma_gamma
                .monetary_mean
                .push(f64::from_bits(monetary));
            summary.gamma_gamma.customers.push(count);
        }
        summary
    }
}

impl GroupedSummary {
    /// Groups a calibration summary (the per-customer one the in-browser CLV analysis uses).
    pub fn from_calibration(
        summary: &CalibrationSummary,
        options: &GroupingOptions,
    ) -> GroupedSummary {
        let mut grouper = Grouper::new(*options);
        for i in 0..summary.len() {
            let recency_days =
                (summary.last_purchase_day[i] - summary.first_purchase_day[i]) as f64;
            grouper.add(
                summary.frequency[i],
                recency_days,
                summary.age_days(i) as f64,
                summary.monetary_mean[i],
            );
        }
        grouper.finish()
    }

    /// Customers in the summary (the BG/NBD rows' counts).
    pub fn customers(&self) -> f64 {
        self.bgnbd.customers.iter().sum()
    }

    /// Rows in the file.
    pub fn rows(&self) -> usize {
        self.bgnbd.customers.len() + self.gamma_gamma.customers.len()
    }

    /// The file, header first, `\n` line ends.
    pub fn to_csv(&self) -> String {
        let mut csv = CsvWriter::new(CSV_HEADER, self.rows(), 24);
        let b = &self.bgnbd;
        for i in 0..b.customers.len() {
            csv.text("bgnbd");
            csv.number(b.frequency[i]);
            csv.number(b.recency_days[i]);
            csv.number(b.age_days[i]);
            csv.empty();
            csv.number(b.customers[i]);
            csv.end_row();
        }
        let g = &self.gamma_gamma;
        for i in 0..g.customers.len() {
            csv.text("gamma_gamma");
            csv.number(g.frequency[i]);
            csv.empty();
            csv.empty();
            csv.number(g.monetary_mean[i]);
            csv.number(g.customers[i]);
            csv.end_row();
        }
        csv.finish()
    }

    /// Reads a grouped summary file: a header naming at least `model`, `frequency` and
    /// `customers` (any order, any case, extra columns ignored), `recency_days` and `t_days` for
    /// `bgnbd` rows, `monetary_mean` for `gamma_gamma` rows. Engines' CSV exports (quoted fields,
    /// `\r\n`, empty or `NULL` for missing values) all read.
    pub fn parse(text: &str) -> Result<GroupedSummary, SqlError> {
        let error = |line: u64, problem: Unreadable| SqlError::GroupedSummary { line, problem };
        let mut records = Records::new(text.trim_start_matches('\u{feff}'));
        let mut fields = Vec::new();
        let header_line = records
            .next(&mut fields)
            .map_err(|line| error(line, Unreadable::UnclosedQuote))?;
        if header_line.is_none() {
            return Err(error(1, Unreadable::Empty));
        }
        let headers: Vec<String> = fields
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let find = |name: &str| headers.iter().position(|h| h == name);
        let column = |name: &'static str| {
            find(name).ok_or_else(|| {
                error(
                    1,
                    Unreadable::MissingColumn {
                        column: name,
                        found: headers.join(","),
                    },
                )
            })
        };
        let model_column = column("model")?;
        let frequency_column = column("frequency")?;
        let customers_column = column("customers")?;
        let (recency_column, age_column, monetary_column) =
            (find("recency_days"), find("t_days"), find("monetary_mean"));

        let mut summary = GroupedSummary::default();
        while let Some(line) = records
            .next(&mut fields)
            .map_err(|line| error(line, Unreadable::UnclosedQuote))?
        {
            let record = &fields;
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let field = |column: Option<usize>| {
                record
                    .get(column?)
                    .map(|v| v.trim())
                    .filter(|v| !is_missing(v))
            };
            let number = |column: Option<usize>, name: &'static str| -> Result<f64, SqlError> {
                let text = field(column)
                    .ok_or_else(|| error(line, Unreadable::EmptyField { column: name }))?;
                text.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| {
                        let value = text.to_string();
                        error(
                            line,
                            Unreadable::NotANumber {
                                column: name,
                                value,
                            },
                        )
                    })
            };
            let frequency = number(Some(frequency_column), "frequency")?;
            if !(frequency >= 0.0 && frequency.fract() == 0.0) {
                return Err(error(line, Unreadable::FrequencyNotWhole { frequency }));
            }
            let customers = number(Some(customers_column), "customers")?;
            if customers < 0.0 {
                return Err(error(line, Unreadable::CustomersNegative { customers }));
            }
            let model = field(Some(model_column)).unwrap_or("").to_ascii_lowercase();
            match model.replace(['-', ' '], "_").as_str() {
                "bgnbd" | "bg_nbd" => {
                    let recency = number(recency_column, "recency_days")?;
                    let age = number(age_column, "t_days")?;
                    if !(0.0 <= recency && recency <= age) {
                        return Err(error(line, Unreadable::RecencyOutOfRange { recency, age }));
                    }
                    summary.bgnbd.frequency.push(frequency);
                    summary.bgnbd.recency_days.push(recency);
                    summary.bgnbd.age_days.push(age);
                    summary.bgnbd.customers.push(customers);
                }
                "gamma_gamma" | "gammagamma" => {
                    let monetary = number(monetary_column, "monetary_mean")?;
                    summary.gamma_gamma.frequency.push(frequency);
                    summary.gamma_gamma.monetary_mean.push(monetary);
                    summary.gamma_gamma.customers.push(customers);
                }
                _ => {
                    return Err(error(line, Unreadable::UnknownModel { model }));
                }
            }
        }
        if summary.bgnbd.customers.is_empty() && summary.gamma_gamma.customers.is_empty() {
            return Err(error(1, Unreadable::NoRows));
        }
        Ok(summary)
    }

    /// t_x of each BG/NBD row in periods of `period_days`.
    pub fn recency_periods(&self, period_days: f64) -> Vec<f64> {
        self.bgnbd
            .recency_days
            .iter()
            .map(|d| d / period_days)
            .collect()
    }

    /// T of each BG/NBD row in periods of `period_days`.
    pub fn age_periods(&self, period_days: f64) -> Vec<f64> {
        self.bgnbd
            .age_days
            .iter()
            .map(|d| d / period_days)
            .collect()
    }

    /// The weighted BG/NBD fit, times in periods of `period_days` (α in that unit).
    pub fn fit_bgnbd(&self, period_days: f64) -> Result<BgNbdFit, ClvError> {
        bgnbd::fit(
            &self.bgnbd.frequency,
            &self.recency_periods(period_days),
            &self.age_periods(period_days),
            Some(&self.bgnbd.customers),
        )
    }

    /// The weighted Gamma-Gamma fit.
    pub fn fit_gamma_gamma(&self) -> Result<GammaGammaFit, ClvError> {
        gamma_gamma::fit(
            &self.gamma_gamma.frequency,
            &self.gamma_gamma.monetary_mean,
            Some(&self.gamma_gamma.customers),
        )
    }
}

/// The records of a CSV text, read one at a time (RFC 4180: a quoted field may hold the
/// delimiter, `""` and line breaks; `\n` or `\r\n` line ends). The delimiter is a comma, or a tab
/// or semicolon when the first line has no comma. Small on purpose: this runs in the browser.
struct Records<'a> {
    text: &'a str,
    position: usize,
    /// 1-based line of the next record.
    line: u64,
    delimiter: u8,
}

impl<'a> Records<'a> {
    fn new(text: &'a str) -> Records<'a> {
        let first_line = text.lines().next().unwrap_or("");
        let delimiter = if first_line.contains(',') {
            b','
        } else if first_line.contains('\t') {
            b'\t'
        } else if first_line.contains(';') {
            b';'
        } else {
            b','
        };
        Records {
            text,
            position: 0,
            line: 1,
            delimiter,
        }
    }

    /// Reads the next record into `fields`: `Ok(Some(line))` with the line it starts on,
    /// `Ok(None)` at the end, `Err(line)` for a quoted field that is never closed.
    fn next(&mut self, fields: &mut Vec<String>) -> Result<Option<u64>, u64> {
        fields.clear();
        let (text, bytes, delimiter) = (self.text, self.text.as_bytes(), self.delimiter);
        let mut i = self.position;
        if i >= bytes.len() {
            return Ok(None);
        }
        let first_line = self.line;
        let ends_field = |b: u8| b == delimiter || b == b'\n' || b == b'\r';
        loop {
            let mut field = String::new();
            if bytes.get(i) == Some(&b'"') {
                i += 1;
                let mut from = i;
                loop {
                    match bytes.get(i) {
                        None => return Err(first_line),
                        Some(b'"') if bytes.get(i + 1) == Some(&b'"') => {
                            field.push_str(&text[from..=i]);
                            i += 2;
                            from = i;
                        }
                        Some(b'"') => {
                            field.push_str(&text[from..i]);
                            i += 1;
                            break;
                        }
                        Some(b'\n') => {
                            self.line += 1;
                            i += 1;
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            let from = i;
            while i < bytes.len() && !ends_field(bytes[i]) {
                i += 1;
            }
            field.push_str(&text[from..i]);
            fields.push(field);
            if bytes.get(i) == Some(&delimiter) {
                i += 1;
                continue;
            }
            if bytes.get(i) == Some(&b'\r') {
                i += 1;
            }
            if bytes.get(i) == Some(&b'\n') {
                i += 1;
            }
            self.line += 1;
            self.position = i;
            return Ok(Some(first_line));
        }
    }
}

/// Whether a field stands for a missing value in engines' exports.
fn is_missing(value: &str) -> bool {
    value.is_empty() || value.eq_ignore_ascii_case("null") || value == "\\N"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Message;

    #[test]
    fn significant_rounding_halves_up_on_exact_decimals() {
        // 12.345 × 100 is exactly 1234.5 in doubles, so it rounds up, like the decimal.
        let cases = [
            (12.345, 4, 12.35),
            (12.345, 2, 12.0),
            (1234.5, 4, 1235.0),
            (987_654.321, 3, 988_000.0),
            (0.012_345, 3, 0.0123),
            (99.96, 3, 100.0),
            (-5.0, 3, -5.0),
            (0.0, 3, 0.0),
        ];
        for (value, digits, expected) in cases {
            let got = round_significant(round_to_millionths(value), digits);
            assert_eq!(got, expected, "{value} to {digits} digits");
        }
        assert_eq!(round_to_millionths(-0.0000001), 0.0);
        assert!(round_to_millionths(-0.0000001).is_sign_positive());
    }

    #[test]
    fn groups_round_trip_through_the_file() {
        let mut grouper = Grouper::new(GroupingOptions::default());
        let customers = [
            (0, 0.0, 30.0, 0.0),
            (0, 0.0, 30.0, 0.0),
            (2, 10.0, 30.0, 12.5),
            (2, 10.0, 30.0, 12.5),
            (2, 11.0, 30.0, 7.25),
            (1, 3.0, 9.0, 0.1 + 0.2),
        ];
        for (x, t, age, m) in customers {
            grouper.add(x, t, age, m);
        }
        let summary = grouper.finish();
        assert_eq!(summary.bgnbd.frequency, [0.0, 1.0, 2.0, 2.0]);
        assert_eq!(summary.bgnbd.customers, [2.0, 1.0, 2.0, 1.0]);
        assert_eq!(summary.gamma_gamma.monetary_mean, [0.3, 7.25, 12.5]);
        assert_eq!(summary.gamma_gamma.customers, [1.0, 1.0, 2.0]);
        assert_eq!(summary.customers(), 6.0);
        let text = summary.to_csv();
        assert!(text.starts_with(CSV_HEADER), "{text}");
        assert!(text.contains("\nbgnbd,2,10,30,,2\n"), "{text}");
        assert!(text.contains("\ngamma_gamma,2,,,12.5,2\n"), "{text}");
        assert_eq!(GroupedSummary::parse(&text), Ok(summary));
    }

    #[test]
    fn period_grouping_puts_times_at_the_centre_of_their_period() {
        let options = GroupingOptions {
            time: TimeGrouping::Period,
            ..GroupingOptions::default()
        };
        let cases = [
            (0.0, 0.0),
            (1.0, 3.0),
            (6.0, 3.0),
            (7.0, 10.0),
            (13.0, 10.0),
            (14.0, 17.0),
        ];
        for (days, expected) in cases {
            assert_eq!(options.group_days(days), expected, "{days}");
        }
    }

    #[test]
    fn records_follow_rfc_4180() {
        let text = "a,\"b,\"\"c\"\"\",d\r\n\"x\ny\",,\n\nlast";
        let mut records = Records::new(text);
        let mut fields = Vec::new();
        let mut seen = Vec::new();
        while let Some(line) = records.next(&mut fields).expect("well formed") {
            seen.push((line, fields.clone()));
        }
        let expected = [
            (1, vec!["a", "b,\"c\"", "d"]),
            (2, vec!["x\ny", "", ""]),
            (4, vec![""]),
            (5, vec!["last"]),
        ];
        assert_eq!(seen.len(), expected.len(), "{seen:?}");
        for ((line, fields), (want_line, want)) in seen.iter().zip(expected) {
            assert_eq!(*line, want_line);
            assert_eq!(fields, &want);
        }
        let mut tabs = Records::new("model\tfrequency\nbgnbd\t1\n");
        assert_eq!(tabs.next(&mut fields), Ok(Some(1)));
        assert_eq!(fields, ["model", "frequency"]);
        let mut open = Records::new("a\n\"never closed\n");
        assert_eq!(open.next(&mut fields), Ok(Some(1)));
        assert_eq!(open.next(&mut fields), Err(2));
    }

    #[test]
    fn engine_exports_parse_and_bad_files_say_where() {
        let exported = "\u{feff}\"MODEL\",\"Frequency\",\"customers\",\"recency_days\",\"t_days\",\
                        \"monetary_mean\"\r\n\"bgnbd\",\"1\",\"4\",\"2.0\",\"9\",NULL\r\n\
                        gamma_gamma,1,4,\\N,\\N,17.5\r\n\r\n";
        let summary = GroupedSummary::parse(exported).expect("reads");
        assert_eq!(summary.bgnbd.customers, [4.0]);
        assert_eq!(summary.bgnbd.recency_days, [2.0]);
        assert_eq!(summary.gamma_gamma.monetary_mean, [17.5]);
        let cases = [
            (
                "frequency,customers\n1,2\n",
                "line 1: the header has no 'model'",
            ),
            (CSV_HEADER, "no rows"),
            (
                "model,frequency,recency_days,t_days,monetary_mean,customers\nbgnbd,1.5,0,1,,1\n",
                "line 2: frequency 1.5 must be a whole number",
            ),
            (
                "model,frequency,recency_days,t_days,monetary_mean,customers\n\
                 bgnbd,1,0,1,,1\nbgnbd,1,5,1,,1\n",
                "line 3: recency_days 5 and t_days 1",
            ),
            (
                "model,frequency,recency_days,t_days,monetary_mean,customers\nbgnbd,1,,1,,1\n",
                "recency_days is empty",
            ),
            (
                "model,frequency,recency_days,t_days,monetary_mean,customers\nx,1,0,1,,1\n",
                "model 'x'",
            ),
            (
                "model,frequency,recency_days,t_days,monetary_mean,customers\nbgnbd,1,0,1,,-2\n",
                "customers -2 must be ≥ 0",
            ),
            (
                "model,frequency,recency_days,t_days,monetary_mean,customers\nbgnbd,1,0,x,,1\n",
                "t_days 'x' is not a number",
            ),
        ];
        for (text, expected) in cases {
            let message = GroupedSummary::parse(text).unwrap_err().to_string();
            assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        }
    }

    /// The page words each reason (www/src/messages/sql.js) from the message's params.
    #[test]
    fn every_reason_a_summary_is_unreadable_is_worded_by_the_page() {
        let header = "model,frequency,recency_days,t_days,monetary_mean,customers\n";
        let texts = [
            "".to_string(),
            "\"model,frequency\n".to_string(),
            "frequency,customers\n1,2\n".to_string(),
            format!("{header}bgnbd,,0,1,,1\n"),
            format!("{header}bgnbd,x,0,1,,1\n"),
            format!("{header}bgnbd,1.5,0,1,,1\n"),
            format!("{header}bgnbd,1,0,1,,-2\n"),
            format!("{header}bgnbd,1,5,1,,1\n"),
            format!("{header}x,1,0,1,,1\n"),
            header.to_string(),
        ];
        let wording = include_str!("../../../www/src/messages/sql.js");
        let mut reasons = Vec::new();
        for text in &texts {
            let message = Message::from(GroupedSummary::parse(text).unwrap_err());
            let reason = message.param("reason").expect("a reason").to_string();
            let key = format!("'message.grouped_summary_unreadable.{reason}'");
            assert_eq!(
                wording.matches(&key).count(),
                2,
                "{key} in English and Vietnamese"
            );
            for (name, _) in &message.params {
                let place = format!("{{{name}}}");
                assert!(
                    ["detail", "reason"].contains(name) || wording.contains(&place),
                    "{place} of {reason} is worded nowhere"
                );
            }
            reasons.push(reason);
        }
        reasons.sort();
        reasons.dedup();
        assert_eq!(reasons.len(), texts.len(), "every reason once: {reasons:?}");
    }
}
