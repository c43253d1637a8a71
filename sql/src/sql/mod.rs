//! "Show SQL": the analyses of this crate written as SQL for the user's own warehouse, so a store
//! too large for a browser tab gets the same numbers from DuckDB, PostgreSQL, BigQuery or Spark.
//!
//! One definition, several renderings: the query builders ([`orders`], [`rfm`], [`cohorts`],
//! [`clv`]) write the definitions of the crate (order grouping, returns, cancellations, customer
//! ids, RFM ties, segment rules, cohort periods, the calibration summary) once, and
//! [`dialect::Dialect`] holds every difference between the engines in one table of functions.
//!
//! Four queries, each standalone (they repeat the shared `WITH` steps, so any one can be run or
//! scheduled alone):
//! - `orders`: one row per order — `order_id, customer_id, order_date, order_value, order_kind`;
//! - `rfm`: one row per scored customer — `customer_id, recency_days, frequency, monetary,
//!   r_score, f_score, m_score, segment` (the columns of `rfmCsv`);
//! - `cohorts`: one row per non-empty cohort cell — `cohort_start, cohort_label, cohort_size,
//!   period_index, customers, retention, revenue, orders`;
//! - `clvSummary`: the calibration summary grouped for the CLV models ([`grouped`]) —
//!   `model, frequency, recency_days, t_days, monetary_mean, customers`.
//!
//! What the SQL expects of the table: the date column is a DATE or TIMESTAMP (a text column of
//! ISO dates casts too), amounts, quantities and prices are numbers. Where the file reader is
//! more lenient (dates in other spellings, amounts with currency signs) a view that casts the
//! columns comes first.
//!
//! Known, documented differences from the in-browser reader, all about malformed input: an order
//! whose lines name two different customers takes the smallest id (the reader keeps the first
//! line's); with a per-order amount column (Shopify-style exports) lines of one order that disagree
//! on the total take the largest (the reader the first).

pub mod clv;
pub mod cohorts;
pub mod dialect;
pub mod grouped;
pub mod orders;
pub mod products;
pub mod rfm;

use crate::message::{Code, Expected, Message, Rule};
use std::fmt;

pub use dialect::{Dialect, UnknownDialect};
pub use grouped::{GroupedSummary, GroupingOptions, TimeGrouping};

use crate::cohort::{Period, UnknownPeriod};
use crate::day::Day;
use crate::filter::Filter;
use crate::ingest::IngestReport;
use crate::ingest::columns::preset;
use crate::ingest::identity::{CustomerIdRule, IdNormalization, PhoneCountry};
use crate::ingest::{ColumnNames, Role};
use crate::rfm::{MonetaryMode, RfmError, RuleTable, SegmentRule};

pub use crate::ingest::columns::{CANCELLED_STATUS_WORDS, KEPT_STATUS_WORDS};

/// Which of the four queries to render.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SqlQuery {
    /// All four, one after the other, each standalone.
    #[default]
    All,
    Orders,
    Rfm,
    Cohorts,
    ClvSummary,
    /// The products table (tables with a product column).
    Products,
    /// The pairs bought together over the store (tables with a product column).
    Pairs,
}

impl SqlQuery {
    pub const EACH: [SqlQuery; 6] = [
        SqlQuery::Orders,
        SqlQuery::Rfm,
        SqlQuery::Cohorts,
        SqlQuery::ClvSummary,
        SqlQuery::Products,
        SqlQuery::Pairs,
    ];

    /// Whether the query reads the product columns.
    pub fn needs_products(self) -> bool {
        matches!(self, SqlQuery::Products | SqlQuery::Pairs)
    }

    /// The name the JS API uses.
    pub fn name(self) -> &'static str {
        match self {
            SqlQuery::All => "all",
            SqlQuery::Orders => "orders",
            SqlQuery::Rfm => "rfm",
            SqlQuery::Cohorts => "cohorts",
            SqlQuery::ClvSummary => "clvSummary",
            SqlQuery::Products => "products",
            SqlQuery::Pairs => "pairs",
        }
    }

    pub fn parse(text: &str) -> Result<SqlQuery, SqlError> {
        let key: String = text
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .collect();
        match key.as_str() {
            "" | "all" => Ok(SqlQuery::All),
            "orders" => Ok(SqlQuery::Orders),
            "rfm" => Ok(SqlQuery::Rfm),
            "cohorts" | "cohort" => Ok(SqlQuery::Cohorts),
            "clvsummary" | "clv" | "groupedsummary" => Ok(SqlQuery::ClvSummary),
            "products" => Ok(SqlQuery::Products),
            "pairs" | "boughttogether" => Ok(SqlQuery::Pairs),
            _ => Err(SqlError::UnknownQuery(text.to_string())),
        }
    }
}

/// The roles whose columns the generated SQL reads: all but the order attributes (country,
/// channel…).
pub fn sql_roles() -> impl Iterator<Item = Role> {
    Role::ALL.into_iter().filter(|role| !role.is_attribute())
}

/// Everything the generated SQL depends on: the app's settings plus the table's names.
#[derive(Clone, Debug, PartialEq)]
pub struct SqlOptions {
    pub dialect: Dialect,
    pub query: SqlQuery,
    /// The table of order lines, as name parts (`["analytics", "orders"]` for `analytics.orders`).
    pub table: Vec<String>,
    /// The table's column name for each of [`sql_roles`] it has.
    pub columns: ColumnNames,
    /// Order ids starting with this mark a return (UCI Online Retail: `C`).
    pub return_prefix: Option<String>,
    /// An order of negative value is a return (the reader's rule; on by default).
    pub negative_is_return: bool,
    /// A status containing one of these (lower-cased) marks the order cancelled.
    pub cancelled_status_words: Vec<String>,
    /// …unless it contains one of these.
    pub kept_status_words: Vec<String>,
    /// Columns whose non-empty value marks the order cancelled (Shopify's `Cancelled at`).
    pub cancelled_when_present: Vec<String>,
    /// The amount column holds the order total on (some of) its lines: take it once per order.
    pub amount_per_order: bool,
    /// How customer ids are normalised (`Auto`: by the customer column's name, as the file
    /// reader does), and the country of phone numbers written the national way.
    pub customer_ids: IdNormalization,
    pub phone_country: PhoneCountry,
    /// RFM as-of day; `None` = the last order day in the table.
    pub as_of: Option<Day>,
    pub bins: u32,
    pub monetary: MonetaryMode,
    /// A replacement for the standard segment rule table.
    pub rules: Option<Vec<SegmentRule>>,
    pub period: Period,
    /// Last day of the CLV calibration; `None` = the last purchase day of identified customers.
    pub calibration_end: Option<Day>,
    /// How the CLV summary is grouped (and the model period, for period grouping).
    pub grouping: GroupingOptions,
    /// The orders kept, as the book's filter keeps them; its attribute keys are the table's
    /// column names, an order's value the smallest non-empty one of its lines.
    pub filter: Filter,
    /// Product ids left out of the product queries (the not-a-product lines).
    pub exclude: Vec<String>,
    /// Pairs with a smaller support (a share of the baskets) are left out.
    pub min_support: f64,
    /// How many pairs the `pairs` query lists.
    pub top: usize,
}

impl Default for SqlOptions {
    fn default() -> SqlOptions {
        SqlOptions {
            dialect: Dialect::DuckDb,
            query: SqlQuery::All,
            table: vec!["orders".to_string()],
            columns: ColumnNames::default(),
            return_prefix: None,
            negative_is_return: true,
            cancelled_status_words: CANCELLED_STATUS_WORDS.map(String::from).to_vec(),
            kept_status_words: KEPT_STATUS_WORDS.map(String::from).to_vec(),
            cancelled_when_present: Vec::new(),
            amount_per_order: false,
            customer_ids: IdNormalization::Auto,
            phone_country: PhoneCountry::default(),
            as_of: None,
            bins: crate::rfm::DEFAULT_BINS,
            monetary: MonetaryMode::Total,
            rules: None,
            period: Period::Month,
            calibration_end: None,
            grouping: GroupingOptions::default(),
            filter: Filter::default(),
            exclude: Vec::new(),
            min_support: 0.0,
            top: crate::products::together::DEFAULT_TOP,
        }
    }
}

impl SqlOptions {
    /// The settings a loaded file implies: its column mapping, and its preset's return prefix,
    /// cancellation columns and per-order amounts. The table name stays `orders`.
    pub fn from_report(report: &IngestReport) -> SqlOptions {
        let mut options = SqlOptions {
            columns: sql_roles()
                .filter_map(|role| Some((role, report.columns.name(role)?.trim())))
                .collect(),
            ..SqlOptions::default()
        };
        // The rule the file was read with, whatever decided it.
        options.customer_ids = match report.customer_id_normalization.as_str() {
            "none" => IdNormalization::None,
            "email" => IdNormalization::Email,
            "phone" => IdNormalization::Phone,
            _ => IdNormalization::Auto,
        };
        options.phone_country = PhoneCountry::from_code(&report.phone_country).unwrap_or_default();
        if let Ok(preset) = preset(&report.preset) {
            options.return_prefix = preset.return_prefix.map(String::from);
            options.amount_per_order = preset.amount_per_order;
            options.cancelled_when_present = preset
                .cancelled_when_present
                .iter()
                .filter(|name| report.headers.iter().any(|h| h == *name))
                .map(|name| name.to_string())
                .collect();
        }
        options
    }
}

/// Why SQL could not be generated (or a grouped summary read); every message says what to change.
#[derive(Clone, Debug, PartialEq)]
pub enum SqlError {
    UnknownDialect(UnknownDialect),
    UnknownQuery(String),
    UnknownPeriod(UnknownPeriod),
    /// A role the queries need has no column.
    MissingColumn {
        role: &'static str,
        advice: &'static str,
    },
    /// A table or column name is empty or holds a NUL character, which no engine accepts.
    InvalidName {
        what: String,
        name: String,
    },
    InvalidOption {
        option: &'static str,
        given: String,
        expected: Expected,
    },
    Rules(RfmError),
    /// A grouped CLV summary that cannot be read.
    GroupedSummary {
        line: u64,
        problem: grouped::Unreadable,
    },
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlError::UnknownDialect(error) => error.fmt(f),
            SqlError::UnknownQuery(given) => write!(
                f,
                "unknown query '{given}': use 'all', 'orders', 'rfm', 'cohorts', 'clvSummary', 'products' or \
                 'pairs'"
            ),
            SqlError::UnknownPeriod(error) => error.fmt(f),
            SqlError::MissingColumn { role, advice } => {
                write!(f, "no column is mapped to the {role}: {advice}")
            }
            SqlError::InvalidName { what, name } => write!(
                f,
                "the {what} name {name:?} cannot be used: names must be non-empty and contain no \
                 NUL character"
            ),
            SqlError::InvalidOption {
                option,
                given,
                expected,
            } => write!(f, "invalid {option} '{given}': {expected}"),
            SqlError::Rules(error) => error.fmt(f),
            SqlError::GroupedSummary { line, problem } => {
                write!(f, "grouped summary, line {line}: {problem}")
            }
        }
    }
}

impl std::error::Error for SqlError {}

impl From<SqlError> for Message {
    fn from(error: SqlError) -> Message {
        let text = error.to_string();
        match error {
            SqlError::UnknownDialect(unknown) => unknown.into(),
            SqlError::UnknownQuery(given) => {
                Message::new(Code::UNKNOWN_QUERY, text).with("given", given)
            }
            SqlError::UnknownPeriod(unknown) => unknown.into(),
            SqlError::MissingColumn { role, .. } => {
                Message::new(Code::SQL_MISSING_COLUMN, text).with("role", role)
            }
            SqlError::InvalidName { what, name } => Message::new(Code::SQL_INVALID_NAME, text)
                .with("what", what)
                .with("name", name),
            SqlError::InvalidOption {
                option,
                given,
                expected,
            } => Message::new(Code::OPTION_INVALID, text)
                .with("name", option)
                .with("given", given)
                .expecting(expected),
            SqlError::Rules(error) => error.into(),
            SqlError::GroupedSummary { line, problem } => {
                let mut message = Message::new(Code::GROUPED_SUMMARY_UNREADABLE, text)
                    .with("line", line)
                    .with("detail", &problem)
                    .with("reason", problem.reason());
                message.params.extend(problem.params());
                message
            }
        }
    }
}

impl From<UnknownDialect> for SqlError {
    fn from(error: UnknownDialect) -> SqlError {
        SqlError::UnknownDialect(error)
    }
}

impl From<UnknownPeriod> for SqlError {
    fn from(error: UnknownPeriod) -> SqlError {
        SqlError::UnknownPeriod(error)
    }
}

impl From<RfmError> for SqlError {
    fn from(error: RfmError) -> SqlError {
        SqlError::Rules(error)
    }
}

/// The SQL for the chosen query (or all four) in the chosen dialect.
pub fn render(options: &SqlOptions) -> Result<String, SqlError> {
    let plan = Plan::new(options)?;
    let has_products = plan.has_products();
    let queries: Vec<SqlQuery> = match options.query {
        SqlQuery::All => SqlQuery::EACH
            .into_iter()
            .filter(|query| has_products || !query.needs_products())
            .collect(),
        query if query.needs_products() && !has_products => {
            return Err(SqlError::MissingColumn {
                role: "product",
                advice: "the product queries read the lines' products; map the product id or \
                         name column",
            });
        }
        query => vec![query],
    };
    let mut text = String::new();
    for (index, &query) in queries.iter().enumerate() {
        if index > 0 {
            text.push('\n');
        }
        text.push_str(&plan.header(query));
        text.push_str(&match query {
            SqlQuery::Orders | SqlQuery::All => orders::order_table(&plan),
            SqlQuery::Rfm => rfm::rfm_query(&plan),
            SqlQuery::Cohorts => cohorts::cohort_query(&plan),
            SqlQuery::ClvSummary => clv::grouped_summary_query(&plan),
            SqlQuery::Products => products::products_query(&plan),
            SqlQuery::Pairs => products::pairs_query(&plan),
        });
        text.push_str(";\n");
    }
    Ok(text)
}

/// Validated options with the names already quoted, shared by the query builders.
pub(crate) struct Plan<'a> {
    pub options: &'a SqlOptions,
    /// The customer id rule, resolved for the customer column.
    pub customer_ids: CustomerIdRule,
    pub dialect: Dialect,
    pub table: String,
    pub rules: RuleTable,
}

impl<'a> Plan<'a> {
    fn new(options: &'a SqlOptions) -> Result<Plan<'a>, SqlError> {
        if options.table.is_empty() {
            return Err(SqlError::InvalidName {
                what: "table".into(),
                name: String::new(),
            });
        }
        for part in &options.table {
            check_name("table", part)?;
        }
        let columns = &options.columns;
        for (role, name) in columns.iter() {
            check_name(&format!("{} column", role.name()), name)?;
        }
        for name in &options.cancelled_when_present {
            check_name("cancelledWhenPresent column", name)?;
        }
        for (name, values) in &options.filter.attributes {
            check_name("filter column", name)?;
            if let Some(value) = values.iter().find(|value| value.contains('\0')) {
                return Err(SqlError::InvalidName {
                    what: "filter value".into(),
                    name: value.clone(),
                });
            }
        }
        for word in options
            .cancelled_status_words
            .iter()
            .chain(&options.kept_status_words)
            .chain(&options.return_prefix)
        {
            if word.contains('\0') {
                return Err(SqlError::InvalidName {
                    what: "status word or return prefix".into(),
                    name: word.clone(),
                });
            }
        }
        let has = |role: Role| columns.get(role).is_some();
        if !has(Role::Customer) {
            return Err(SqlError::MissingColumn {
                role: "customer",
                advice: "every analysis is per customer; map the customer id or email column",
            });
        }
        if !has(Role::Date) {
            return Err(SqlError::MissingColumn {
                role: "date",
                advice: "map the order date (a DATE or TIMESTAMP column)",
            });
        }
        let has_amount = has(Role::Amount) || (has(Role::Quantity) && has(Role::UnitPrice));
        if !has_amount {
            return Err(SqlError::MissingColumn {
                role: "amount",
                advice: "map an amount column, or both quantity and unitPrice",
            });
        }
        if !(crate::rfm::MIN_BINS..=crate::rfm::MAX_BINS).contains(&options.bins) {
            return Err(RfmError::InvalidBins {
                given: options.bins.to_string(),
            }
            .into());
        }
        options.grouping.validate()?;
        let rules = match &options.rules {
            Some(rules) => RuleTable::new(rules.clone())?,
            None => RuleTable::standard(),
        };
        let dialect = options.dialect;
        let table = options
            .table
            .iter()
            .map(|part| dialect.identifier(part))
            .collect::<Vec<_>>()
            .join(".");
        let customer_ids = options
            .customer_ids
            .resolve(columns.name(Role::Customer).unwrap_or_default());
        Ok(Plan {
            options,
            customer_ids,
            dialect,
            table,
            rules,
        })
    }

    /// Whether the table has a product id or name column.
    pub fn has_products(&self) -> bool {
        let columns = &self.options.columns;
        columns.get(Role::ProductId).is_some() || columns.get(Role::ProductName).is_some()
    }

    /// A quoted column name.
    pub fn column(&self, name: &str) -> String {
        self.dialect.identifier(name)
    }

    /// A comment naming the query and the settings it depends on (only validated values: no
    /// user text goes into a comment, where a line break could end it).
    fn header(&self, query: SqlQuery) -> String {
        let options = self.options;
        let what = match query {
            SqlQuery::Orders | SqlQuery::All => {
                "orders: one row per order (cancelled orders left out)".to_string()
            }
            SqlQuery::Rfm => format!(
                "RFM: recency, frequency, monetary ({}), scores on {} bins and segments, as of {}",
                match options.monetary {
                    MonetaryMode::Total => "net value",
                    MonetaryMode::Average => "net value per purchase",
                },
                options.bins,
                options
                    .as_of
                    .map_or("the last order date".to_string(), |day| day.to_string())
            ),
            SqlQuery::Cohorts => format!(
                "cohorts: acquisition cohorts by {} (first purchase), one row per non-empty cell",
                options.period.name()
            ),
            SqlQuery::ClvSummary => format!(
                "CLV summary: customers grouped by (x, t_x, T) for BG/NBD and (x, m) for \
                 Gamma-Gamma, calibration end {}, times in days{}",
                options
                    .calibration_end
                    .map_or("the last purchase date".to_string(), |day| day.to_string()),
                match options.grouping.time {
                    TimeGrouping::Day => String::new(),
                    TimeGrouping::Period => format!(
                        " at the centre of their period of {} days",
                        options.grouping.period_days
                    ),
                }
            ),
            SqlQuery::Products => {
                "products: revenue, units, purchase orders, buyers and repeat buyers per product"
                    .to_string()
            }
            SqlQuery::Pairs => format!(
                "pairs: the top {} pairs bought together, support at least {}",
                options.top, options.min_support
            ),
        };
        let ids = match self.customer_ids {
            CustomerIdRule::AsWritten => String::new(),
            CustomerIdRule::Email => "\n-- Customer ids: e-mail addresses, lowercased.".to_string(),
            CustomerIdRule::Phone => format!(
                "\n-- Customer ids: phone numbers in E.164 (national numbers from {}), e-mail \
                 addresses lowercased.",
                self.options.phone_country.code
            ),
        };
        format!(
            "-- customer-lens {}: {what}\n-- Generated for {}; the definitions are in the \
             customer-lens README.{ids}\n",
            query.name(),
            self.dialect.title()
        )
    }
}

fn check_name(what: &str, name: &str) -> Result<(), SqlError> {
    if name.is_empty() || name.contains('\0') {
        return Err(SqlError::InvalidName {
            what: what.to_string(),
            name: name.to_string(),
        });
    }
    Ok(())
}

/// A table name given as one dotted text (`analytics.orders`) or as its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableName {
    Dotted(String),
    Parts(Vec<String>),
}

impl TableName {
    /// The name parts; a dotted text is split at its dots.
    pub fn parts(&self) -> Vec<String> {
        match self {
            TableName::Dotted(text) => text.split('.').map(|s| s.trim().to_string()).collect(),
            TableName::Parts(parts) => parts.clone(),
        }
    }
}

/// Settings laid over base options (`book.sql(…)` lays them over the book's, `renderSql(…)`
/// over the defaults): every field optional, typed; ranges are checked when applied. Fields
/// left out keep the values of the base options.
#[derive(Clone, Debug, Default)]
pub struct SqlSettings {
    pub dialect: Option<Dialect>,
    pub query: Option<SqlQuery>,
    pub table: Option<TableName>,
    /// Column names, as for reading a file (only [`sql_roles`] are used); an empty text
    /// removes a column the base options had.
    pub columns: Option<ColumnNames>,
    pub return_prefix: Option<String>,
    pub negative_is_return: Option<bool>,
    pub cancelled_statuses: Option<Vec<String>>,
    pub kept_statuses: Option<Vec<String>>,
    pub cancelled_when_present: Option<Vec<String>>,
    pub amount_per_order: Option<bool>,
    pub customer_id_normalization: Option<IdNormalization>,
    pub phone_country: Option<PhoneCountry>,
    pub as_of: Option<Day>,
    pub bins: Option<f64>,
    pub monetary: Option<MonetaryMode>,
    pub rules: Option<Vec<SegmentRule>>,
    pub period: Option<Period>,
    pub calibration_end: Option<Day>,
    pub period_days: Option<f64>,
    /// Exact days, or t_x and T at the centre of their period.
    pub clv_time_grouping: Option<TimeGrouping>,
    /// Significant digits kept of m̄ (default: exact to millionths).
    pub clv_monetary_digits: Option<f64>,
    /// The orders kept (attribute keys as column names).
    pub filter: Option<Filter>,
    /// Product ids left out of the product queries.
    pub exclude: Option<Vec<String>>,
    pub min_support: Option<f64>,
    pub top: Option<f64>,
}

impl SqlSettings {
    /// `base` with these settings applied on top, checked.
    pub fn apply(&self, base: SqlOptions) -> Result<SqlOptions, SqlError> {
        let mut options = base;
        if let Some(dialect) = self.dialect {
            options.dialect = dialect;
        }
        if let Some(query) = self.query {
            options.query = query;
        }
        if let Some(table) = &self.table {
            options.table = table.parts();
        }
        if let Some(columns) = &self.columns {
            let target = &mut options.columns;
            let customer_before = target.get(Role::Customer).cloned();
            for role in sql_roles() {
                if let Some(name) = columns.name(role) {
                    let name = name.trim();
                    target.set(role, (!name.is_empty()).then(|| name.to_string()));
                }
            }
            // Another customer column: its own name decides, unless the settings say.
            if target.get(Role::Customer) != customer_before.as_ref() {
                options.customer_ids = IdNormalization::Auto;
            }
        }
        if let Some(rule) = self.customer_id_normalization {
            options.customer_ids = rule;
        }
        if let Some(country) = self.phone_country {
            options.phone_country = country;
        }
        if let Some(prefix) = &self.return_prefix {
            options.return_prefix = (!prefix.is_empty()).then(|| prefix.clone());
        }
        if let Some(negative) = self.negative_is_return {
            options.negative_is_return = negative;
        }
        if let Some(words) = &self.cancelled_statuses {
            options.cancelled_status_words = lowercase_words(words);
        }
        if let Some(words) = &self.kept_statuses {
            options.kept_status_words = lowercase_words(words);
        }
        if let Some(columns) = &self.cancelled_when_present {
            options.cancelled_when_present = columns.clone();
        }
        if let Some(per_order) = self.amount_per_order {
            options.amount_per_order = per_order;
        }
        if let Some(day) = self.as_of {
            options.as_of = Some(day);
        }
        if let Some(bins) = self.bins {
            options.bins = crate::rfm::bins_from_number(bins)?;
        }
        if let Some(monetary) = self.monetary {
            options.monetary = monetary;
        }
        if let Some(rules) = &self.rules {
            options.rules = Some(rules.clone());
        }
        if let Some(period) = self.period {
            options.period = period;
        }
        if let Some(day) = self.calibration_end {
            options.calibration_end = Some(day);
        }
        if let Some(days) = self.period_days {
            options.grouping.period_days = days;
        }
        if let Some(filter) = &self.filter {
            options.filter = filter.clone();
        }
        if let Some(exclude) = &self.exclude {
            options.exclude = exclude.clone();
        }
        if let Some(support) = self.min_support {
            if !(0.0..=1.0).contains(&support) {
                return Err(SqlError::InvalidOption {
                    option: "min_support",
                    given: support.to_string(),
                    expected: Expected::of(&Rule::SHARE),
                });
            }
            options.min_support = support;
        }
        if let Some(top) = self.top {
            if !(top.fract() == 0.0 && (1.0..=100_000.0).contains(&top)) {
                return Err(SqlError::InvalidOption {
                    option: "top",
                    given: top.to_string(),
                    expected: Expected::with(&Rule::WHOLE_NUMBER, 1.0, 100_000.0),
                });
            }
            options.top = top as usize;
        }
        if let Some(time) = self.clv_time_grouping {
            options.grouping.time = time;
        }
        if let Some(digits) = self.clv_monetary_digits {
            if !(digits.fract() == 0.0 && (1.0..=15.0).contains(&digits)) {
                return Err(SqlError::InvalidOption {
                    option: "clv_monetary_digits",
                    given: digits.to_string(),
                    expected: Expected::with(&Rule::WHOLE_NUMBER, 1.0, 15.0),
                });
            }
            options.grouping.monetary_digits = Some(digits as u32);
        }
        options.grouping.validate()?;
        Ok(options)
    }
}

fn lowercase_words(words: &[String]) -> Vec<String> {
    words
        .iter()
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::columns::status_is_cancelled;

    #[test]
    fn status_words_match_the_file_reader() {
        for word in CANCELLED_STATUS_WORDS {
            assert!(status_is_cancelled(word), "{word}");
            for kept in KEPT_STATUS_WORDS {
                let status = format!("{kept} {word}");
                assert!(!status_is_cancelled(&status), "{status}");
            }
        }
        for status in ["paid", "pending", "Đã giao hàng", "wc-completed"] {
            let lower = status.to_lowercase();
            let ours = CANCELLED_STATUS_WORDS.iter().any(|w| lower.contains(w));
            assert_eq!(ours, status_is_cancelled(status), "{status}");
        }
    }

    #[test]
    fn settings_apply_over_a_base_and_report_bad_values() {
        let base = SqlOptions {
            columns: ColumnNames::from_iter([
                (Role::Customer, String::from("CustomerID")),
                (Role::Date, String::from("InvoiceDate")),
                (Role::Amount, String::from("Total")),
            ]),
            ..SqlOptions::default()
        };
        let settings = SqlSettings {
            dialect: Some("BigQuery".parse().unwrap()),
            query: Some(SqlQuery::parse("clv-summary").unwrap()),
            table: Some(TableName::Dotted("shop.sales.orders".into())),
            columns: Some(ColumnNames::from_iter([
                (Role::Amount, ""),
                (Role::Quantity, "Qty"),
                (Role::UnitPrice, "Price"),
            ])),
            cancelled_statuses: Some(vec![" Cancelled ".into(), String::new()]),
            as_of: Some("2011-12-09".parse::<Day>().unwrap()),
            bins: Some(4.0),
            period: Some("quarterly".parse().unwrap()),
            clv_monetary_digits: Some(3.0),
            ..SqlSettings::default()
        };
        let options = settings.apply(base.clone()).expect("valid settings");
        assert_eq!(options.dialect, Dialect::BigQuery);
        assert_eq!(options.query, SqlQuery::ClvSummary);
        assert_eq!(options.table, ["shop", "sales", "orders"]);
        assert_eq!(options.columns.name(Role::Amount), None);
        assert_eq!(options.columns.name(Role::Quantity), Some("Qty"));
        assert_eq!(options.columns.name(Role::Customer), Some("CustomerID"));
        assert_eq!(options.cancelled_status_words, ["cancelled"]);
        assert_eq!(options.as_of, Some("2011-12-09".parse::<Day>().unwrap()));
        assert_eq!((options.bins, options.period), (4, Period::Quarter));
        assert_eq!(options.grouping.monetary_digits, Some(3));

        assert_eq!(
            "oracle".parse::<Dialect>().unwrap_err().to_string(),
            "unknown SQL dialect 'oracle': use 'duckdb', 'postgres', 'bigquery' or 'spark'"
        );
        assert!(
            SqlQuery::parse("everything")
                .unwrap_err()
                .to_string()
                .contains("unknown query 'everything'")
        );
        let cases: [(SqlSettings, &str); 4] = [
            (
                SqlSettings {
                    bins: Some(11.0),
                    ..SqlSettings::default()
                },
                "bins must be a whole number from 3 to 10",
            ),
            (
                SqlSettings {
                    period_days: Some(0.0),
                    ..SqlSettings::default()
                },
                "invalid period_days '0'",
            ),
            (
                SqlSettings {
                    clv_monetary_digits: Some(2.5),
                    ..SqlSettings::default()
                },
                "invalid clv_monetary_digits '2.5'",
            ),
            (
                SqlSettings {
                    clv_time_grouping: Some(TimeGrouping::Period),
                    period_days: Some(7.5),
                    ..SqlSettings::default()
                },
                "a whole number of days when clv_time_grouping is 'period'",
            ),
        ];
        for (settings, expected) in cases {
            let message = settings.apply(base.clone()).unwrap_err().to_string();
            assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        }
    }

    #[test]
    fn missing_columns_and_bad_names_are_refused() {
        let complete = ColumnNames::from_iter([
            (Role::Customer, String::from("c")),
            (Role::Date, String::from("d")),
            (Role::Amount, String::from("a")),
        ]);
        let with = |change: fn(&mut SqlOptions)| {
            let mut options = SqlOptions {
                columns: complete.clone(),
                ..SqlOptions::default()
            };
            change(&mut options);
            render(&options).map(|_| ())
        };
        assert_eq!(with(|_| {}), Ok(()));
        type Change = fn(&mut SqlOptions);
        let cases: [(Change, &str); 5] = [
            (
                |o| o.columns.set(Role::Customer, None),
                "no column is mapped to the customer",
            ),
            (
                |o| o.columns.set(Role::Date, None),
                "no column is mapped to the date",
            ),
            (
                |o| {
                    o.columns.set(Role::Amount, None);
                    o.columns.insert(Role::Quantity, "q");
                },
                "both quantity and unitPrice",
            ),
            (|o| o.table = vec!["db".into(), String::new()], "table name"),
            (|o| o.columns.insert(Role::Status, "a\0b"), "NUL"),
        ];
        for (change, expected) in cases {
            let message = with(change).unwrap_err().to_string();
            assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        }
    }
}
