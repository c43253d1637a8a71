//! The four SQL dialects, and every way they differ for our queries, in one table of functions:
//! quoting, text/number types, day numbers, date truncation, ISO weeks, regular expressions,
//! integer division, money rounding and row keys. The query builders write everything else in
//! the SQL the four engines share.

use crate::message::{Code, Message};
use std::fmt;
use std::str::FromStr;

use crate::cohort::Period;

/// An SQL engine the generated queries run on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Dialect {
    #[default]
    DuckDb,
    Postgres,
    BigQuery,
    Spark,
}

/// A dialect name that is none of the four.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownDialect(pub String);

impl fmt::Display for UnknownDialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown SQL dialect '{}': use 'duckdb', 'postgres', 'bigquery' or 'spark'",
            self.0
        )
    }
}

impl std::error::Error for UnknownDialect {}

impl From<UnknownDialect> for Message {
    fn from(unknown: UnknownDialect) -> Message {
        let text = unknown.to_string();
        Message::new(Code::UNKNOWN_DIALECT, text).with("given", unknown.0)
    }
}

impl FromStr for Dialect {
    type Err = UnknownDialect;

    /// Accepts the engines' usual names in any case: `duckdb`, `postgres` / `postgresql` / `pg`,
    /// `bigquery` / `bq`, `spark` / `sparksql` / `spark-sql` / `databricks`.
    fn from_str(text: &str) -> Result<Dialect, UnknownDialect> {
        let name: String = text
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .collect();
        match name.as_str() {
            "duckdb" => Ok(Dialect::DuckDb),
            "postgres" | "postgresql" | "pg" => Ok(Dialect::Postgres),
            "bigquery" | "bq" | "googlebigquery" => Ok(Dialect::BigQuery),
            "spark" | "sparksql" | "databricks" => Ok(Dialect::Spark),
            _ => Err(UnknownDialect(text.to_string())),
        }
    }
}

impl Dialect {
    pub const ALL: [Dialect; 4] = [
        Dialect::DuckDb,
        Dialect::Postgres,
        Dialect::BigQuery,
        Dialect::Spark,
    ];

    /// The engine's name as people write it.
    pub fn title(self) -> &'static str {
        match self {
            Dialect::DuckDb => "DuckDB",
            Dialect::Postgres => "PostgreSQL",
            Dialect::BigQuery => "BigQuery",
            Dialect::Spark => "Spark SQL",
        }
    }

    /// A quoted identifier: whatever the name holds (quotes, spaces, `--`, `;`), it stays one
    /// name. NUL is refused by the caller before this is reached.
    pub fn identifier(self, name: &str) -> String {
        match self {
            Dialect::DuckDb | Dialect::Postgres => format!("\"{}\"", name.replace('"', "\"\"")),
            // BigQuery reads backslash escapes inside quoted identifiers, as in strings.
            Dialect::BigQuery => format!("`{}`", backslash_escaped(name, '`')),
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
        }
    }

    /// A string literal. DuckDB and PostgreSQL (standard strings) double the quote and take
    /// backslashes literally; BigQuery and Spark read backslash escapes, and Spark would even
    /// join `'a''b'` into `ab`, so there quotes and backslashes are escaped with a backslash.
    pub fn string(self, text: &str) -> String {
        match self {
            Dialect::DuckDb | Dialect::Postgres => format!("'{}'", text.replace('\'', "''")),
            Dialect::BigQuery | Dialect::Spark => format!("'{}'", backslash_escaped(text, '\'')),
        }
    }

    pub fn text_type(self) -> &'static str {
        match self {
            Dialect::DuckDb => "VARCHAR",
            Dialect::Postgres => "TEXT",
            Dialect::BigQuery | Dialect::Spark => "STRING",
        }
    }

    pub fn double_type(self) -> &'static str {
        match self {
            Dialect::Postgres => "DOUBLE PRECISION",
            Dialect::BigQuery => "FLOAT64",
            Dialect::DuckDb | Dialect::Spark => "DOUBLE",
        }
    }

    pub fn integer_type(self) -> &'static str {
        match self {
            Dialect::BigQuery => "INT64",
            _ => "BIGINT",
        }
    }

    /// Days since 1970-01-01 of a DATE expression (the `day` of the order book).
    pub fn day_number(self, date: &str) -> String {
        match self {
            Dialect::DuckDb => format!("date_diff('day', DATE '1970-01-01', {date})"),
            Dialect::Postgres => format!("({date} - DATE '1970-01-01')"),
            Dialect::BigQuery => format!("UNIX_DATE({date})"),
            Dialect::Spark => format!("datediff({date}, DATE '1970-01-01')"),
        }
    }

    /// The DATE of a day number.
    pub fn date_of_day(self, day: &str) -> String {
        match self {
            Dialect::DuckDb | Dialect::Postgres => {
                format!("(DATE '1970-01-01' + CAST({day} AS INTEGER))")
            }
            Dialect::BigQuery => format!("DATE_FROM_UNIX_DATE({day})"),
            Dialect::Spark => format!("date_add(DATE '1970-01-01', CAST({day} AS INT))"),
        }
    }

    /// First day (a DATE) of the period containing a DATE; weeks start on Monday (ISO).
    pub fn period_start(self, period: Period, date: &str) -> String {
        let unit = match (self, period) {
            (Dialect::BigQuery, Period::Week) => "ISOWEEK",
            (_, Period::Week) => "WEEK",
            (_, Period::Month) => "MONTH",
            (_, Period::Quarter) => "QUARTER",
            (_, Period::Year) => "YEAR",
        };
        match self {
            Dialect::BigQuery => format!("DATE_TRUNC({date}, {unit})"),
            _ => format!("CAST(date_trunc('{unit}', {date}) AS DATE)"),
        }
    }

    /// A date part as an integer; `IsoYear` and `IsoWeek` follow ISO 8601 (the week-year of the
    /// week's Thursday, weeks from Monday).
    pub fn date_part(self, part: DatePart, date: &str) -> String {
        let field = match (self, part) {
            (_, DatePart::Year) => "YEAR",
            (_, DatePart::Quarter) => "QUARTER",
            (_, DatePart::Month) => "MONTH",
            (Dialect::Spark, DatePart::IsoYear) => "YEAROFWEEK",
            (_, DatePart::IsoYear) => "ISOYEAR",
            (Dialect::BigQuery, DatePart::IsoWeek) => "ISOWEEK",
            (_, DatePart::IsoWeek) => "WEEK",
        };
        format!(
            "CAST(EXTRACT({field} FROM {date}) AS {})",
            self.integer_type()
        )
    }

    /// Whether `text` matches the regular expression `pattern` (a pattern without backslashes,
    /// so that it reads the same in every engine's string syntax).
    pub fn regex_matches(self, text: &str, pattern: &str) -> String {
        let pattern = self.string(pattern);
        match self {
            Dialect::DuckDb => format!("regexp_matches({text}, {pattern})"),
            Dialect::Postgres => format!("({text} ~ {pattern})"),
            Dialect::BigQuery => format!("REGEXP_CONTAINS({text}, {pattern})"),
            Dialect::Spark => format!("({text} RLIKE {pattern})"),
        }
    }

    /// `text` with the first match of `pattern` replaced by `replacement` (no group references).
    pub fn regex_replace(self, text: &str, pattern: &str, replacement: &str) -> String {
        let (pattern, replacement) = (self.string(pattern), self.string(replacement));
        match self {
            Dialect::BigQuery => format!("REGEXP_REPLACE({text}, {pattern}, {replacement})"),
            _ => format!("regexp_replace({text}, {pattern}, {replacement})"),
        }
    }

    /// `text` with every match of `pattern` replaced by `replacement` (no group references).
    pub fn regex_replace_all(self, text: &str, pattern: &str, replacement: &str) -> String {
        let (pattern, replacement) = (self.string(pattern), self.string(replacement));
        match self {
            Dialect::DuckDb | Dialect::Postgres => {
                format!("regexp_replace({text}, {pattern}, {replacement}, 'g')")
            }
            Dialect::BigQuery => format!("REGEXP_REPLACE({text}, {pattern}, {replacement})"),
            Dialect::Spark => format!("regexp_replace({text}, {pattern}, {replacement})"),
        }
    }

    /// 1-based position of `needle` in `haystack`, 0 when absent.
    pub fn position(self, haystack: &str, needle: &str) -> String {
        match self {
            Dialect::Spark => format!("instr({haystack}, {needle})"),
            _ => format!("strpos({haystack}, {needle})"),
        }
    }

    /// Integer division of two non-negative integers.
    pub fn integer_division(self, dividend: &str, divisor: &str) -> String {
        match self {
            Dialect::DuckDb => format!("(({dividend}) // ({divisor}))"),
            Dialect::Postgres => format!("(({dividend}) / ({divisor}))"),
            Dialect::BigQuery => format!("DIV({dividend}, {divisor})"),
            Dialect::Spark => format!("(({dividend}) DIV ({divisor}))"),
        }
    }

    /// A DOUBLE rounded to millionths, the rounding the RFM code applies to sums of money.
    /// PostgreSQL has no two-argument ROUND on doubles, so it goes through NUMERIC.
    pub fn round_money(self, value: &str) -> String {
        match self {
            Dialect::Postgres => {
                format!("CAST(ROUND(CAST({value} AS NUMERIC), 6) AS DOUBLE PRECISION)")
            }
            _ => format!("ROUND({value}, 6)"),
        }
    }

    /// A text that is different on every row, to keep apart rows that form orders of their own.
    pub fn unique_row_key(self) -> String {
        match self {
            Dialect::DuckDb => "CAST(uuid() AS VARCHAR)".into(),
            Dialect::Postgres => "CAST(gen_random_uuid() AS TEXT)".into(),
            Dialect::BigQuery => "GENERATE_UUID()".into(),
            Dialect::Spark => "uuid()".into(),
        }
    }
}

/// The date parts [`Dialect::date_part`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatePart {
    Year,
    Quarter,
    Month,
    IsoYear,
    IsoWeek,
}

/// `text` with backslash escapes for the backslash, the quote character and control
/// characters (BigQuery and Spark literals).
fn backslash_escaped(text: &str, quote: char) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialect_names() {
        let cases = [
            ("duckdb", Dialect::DuckDb),
            (" DuckDB ", Dialect::DuckDb),
            ("postgresql", Dialect::Postgres),
            ("Postgres", Dialect::Postgres),
            ("BigQuery", Dialect::BigQuery),
            ("spark-sql", Dialect::Spark),
            ("Spark SQL", Dialect::Spark),
            ("databricks", Dialect::Spark),
        ];
        for (name, expected) in cases {
            assert_eq!(name.parse::<Dialect>(), Ok(expected), "{name}");
        }
        let error = "oracle".parse::<Dialect>().unwrap_err().to_string();
        assert!(
            error.contains("'oracle'") && error.contains("bigquery"),
            "{error}"
        );
    }

    #[test]
    fn identifiers_and_strings_cannot_be_closed_early() {
        let name = "a\"b`c'd\\e f";
        let cases = [
            (Dialect::DuckDb, "\"a\"\"b`c'd\\e f\"", "'a\"b`c''d\\e f'"),
            (Dialect::Postgres, "\"a\"\"b`c'd\\e f\"", "'a\"b`c''d\\e f'"),
            (
                Dialect::BigQuery,
                "`a\"b\\`c'd\\\\e f`",
                "'a\"b`c\\'d\\\\e f'",
            ),
            (Dialect::Spark, "`a\"b``c'd\\e f`", "'a\"b`c\\'d\\\\e f'"),
        ];
        for (dialect, identifier, string) in cases {
            assert_eq!(dialect.identifier(name), identifier, "{dialect:?}");
            assert_eq!(dialect.string(name), string, "{dialect:?}");
        }
        assert_eq!(Dialect::BigQuery.string("a\nb\u{1}"), "'a\\nb\\u0001'");
        assert_eq!(Dialect::Spark.identifier("x\ny"), "`x\ny`");
    }
}
