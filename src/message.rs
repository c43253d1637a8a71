//! What the engine says to people: one [`Message`] type, a stable [`Code`] with named params and
//! the English text, for ingestion notes, rejected rows, warnings and the errors of every
//! analysis.
//!
//! The English text is for Rust users, tests and hosts that show it as it is (`Display`); a page
//! in another language words the message from its code and params (the front end keeps its
//! wording of every code in `www/src/messages/`). Codes can only be made here, so [`Code::ALL`]
//! lists every code the engine can emit, and a test keeps `www/src/messages/codes.json` — the
//! list the front end's tests check their wording against — equal to it.

use std::fmt;

use crate::day::Day;

use serde::Serialize;
use serde::ser::SerializeStruct;

/// A stable snake_case name of a message, the key a page words it by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Code(&'static str);

impl Code {
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

/// Declares the codes as constants of [`Code`] and lists them all in [`Code::ALL`].
macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $text:literal;)*) => {
        impl Code {
            $($(#[$doc])* pub const $name: Code = Code($text);)*
            /// Every code the engine can emit.
            pub const ALL: &'static [Code] = &[$(Code::$name),*];
        }
    };
}

codes! {
    // Options handed over by a caller (the JS skin reads them; params name the field).
    /// An options argument that is not an object (`example`: a valid one).
    OPTIONS_NOT_AN_OBJECT = "options_not_an_object";
    /// A field of the wrong type (`name`, `expected`: `number`, `text`, `flag`, `texts`).
    OPTION_WRONG_TYPE = "option_wrong_type";
    /// A field that is none of its keywords (`name`, `given`, `choices`).
    OPTION_NOT_A_CHOICE = "option_not_a_choice";
    /// A date field not written `YYYY-MM-DD` (`name`, `given`).
    OPTION_NOT_A_DATE = "option_not_a_date";
    /// A value its field cannot take (`name`, `given`, `expected`: what it can, in English).
    OPTION_INVALID = "option_invalid";
    /// A product id no product of the book has (`name`: the option, `given`).
    UNKNOWN_PRODUCT = "unknown_product";
    /// The segment rules could not be read (`detail`).
    OPTION_RULES_UNREADABLE = "option_rules_unreadable";
    /// A row handed to `fromRows` that is not an object (`row`).
    ROW_NOT_AN_OBJECT = "row_not_an_object";
    /// `fromColumns` given something else than an object of columns.
    COLUMNS_NOT_AN_OBJECT = "columns_not_an_object";
    /// A column handed to `fromColumns` that is not an array (`column`).
    COLUMN_NOT_A_LIST = "column_not_a_list";
    /// A column of `fromColumns` whose length differs from the first column's (`column`,
    /// `length`, `first`, `expected`).
    COLUMN_LENGTH = "column_length";
    /// `expectBytes` given something else than a size.
    EXPECT_BYTES_INVALID = "expect_bytes_invalid";
    /// A streaming reader used after `finish`.
    BUILDER_FINISHED = "builder_finished";
    /// A result that could not be handed over to JavaScript (`detail`).
    RESULT_NOT_CONVERTED = "result_not_converted";
    /// Bytes handed to a merge that are not a part read by this engine (see `ingest::split`).
    PART_UNREADABLE = "part_unreadable";

    // Files that cannot be read.
    EMPTY_FILE = "empty_file";
    NO_ROWS = "no_rows";
    /// `kind`: `xlsx`, `xls`, `ods`, `zip`, `png`, `jpeg`, `gif`, `pdf`, `gzip`, `html`, `xml`.
    BINARY_FILE = "binary_file";
    NOT_TEXT = "not_text";
    /// `columns`, `delimiter`.
    SINGLE_COLUMN = "single_column";
    /// `role`, `columns`.
    MISSING_COLUMN = "missing_column";
    /// `lines`, `first`.
    NO_HEADER = "no_header";
    BLANK_HEADER = "blank_header";
    /// `value`.
    FIRST_LINE_DATA = "first_line_data";
    /// `column`.
    COLUMN_TWICE = "column_twice";
    /// `width`.
    CDNOW_COLUMNS = "cdnow_columns";
    /// A column chosen by name that the file does not have (`column`, `columns`).
    UNKNOWN_COLUMN = "unknown_column";
    /// `given`, `choices`.
    UNKNOWN_PRESET = "unknown_preset";
    /// `given`, `choices`.
    UNKNOWN_ENCODING = "unknown_encoding";
    /// `given`, `choices`.
    UNKNOWN_PHONE_COUNTRY = "unknown_phone_country";
    /// The headerless `cdnow` preset given rows instead of a file.
    CDNOW_ROWS = "cdnow_rows";

    // Rows rejected.
    NO_DATE_COLUMN = "no_date_column";
    /// `fields`, `expected`.
    SHORT_ROW = "short_row";
    STRAY_QUOTE = "stray_quote";
    DATE_EMPTY = "date_empty";
    DATE_UNRECOGNISED = "date_unrecognised";
    DATE_INVALID = "date_invalid";
    /// `choose`.
    DATE_ORDER_CONFLICT = "date_order_conflict";
    /// `date`.
    DATE_OUT_OF_RANGE = "date_out_of_range";
    /// `what`, `length`, `max`.
    ID_TOO_LONG = "id_too_long";
    /// `what`.
    VALUE_TOO_LARGE = "value_too_large";
    VALUE_EMPTY = "value_empty";
    VALUE_NOT_A_NUMBER = "value_not_a_number";
    VALUE_NOT_FINITE = "value_not_finite";

    // Notes about a file.
    /// `bytes`.
    MIXED_ENCODING = "mixed_encoding";
    BYTES_REPLACED = "bytes_replaced";
    /// `chosen`, `other`.
    DATES_AMBIGUOUS = "dates_ambiguous";
    /// `count`.
    ORDER_TWO_CUSTOMERS = "order_two_customers";
    /// `name`, `times`, `columns`, `column`, `what`.
    DUPLICATE_HEADER = "duplicate_header";
    /// `count`, `latest`, `restEnd`.
    DATES_AFTER_REST = "dates_after_rest";
    /// `count`, `earliest`, `restStart`.
    DATES_BEFORE_REST = "dates_before_rest";
    /// `headerLine`, `lines`.
    TITLE_LINES = "title_lines";
    /// `detected`, `used`, `empty`, `filled`, `rows`.
    CUSTOMER_COLUMN_FALLBACK = "customer_column_fallback";
    ALL_ANONYMOUS = "all_anonymous";
    /// Accepted rows with an empty product cell, in a file with a product column (`count`).
    ROWS_WITHOUT_PRODUCT = "rows_without_product";
    /// `orders`.
    NO_PURCHASES = "no_purchases";

    // RFM.
    /// `given`, `min`, `max`.
    RFM_INVALID_BINS = "rfm_invalid_bins";
    RFM_NO_ORDERS = "rfm_no_orders";
    RFM_EMPTY_RULES = "rfm_empty_rules";
    /// `count`.
    RFM_TOO_MANY_RULES = "rfm_too_many_rules";
    /// `rule`.
    RFM_EMPTY_SEGMENT_NAME = "rfm_empty_segment_name";
    /// `rule`, `segment`, `dimension`, `min`, `max`.
    RFM_RULE_RANGE = "rfm_rule_range";
    /// `r`, `f`, `m`, `others`.
    RFM_UNCOVERED = "rfm_uncovered";
    /// `given`, `known`.
    RFM_UNKNOWN_SEGMENT = "rfm_unknown_segment";
    /// `detail`.
    RFM_EXPORT = "rfm_export";
    /// A rule no customer can reach (`rule`, `segment`).
    RFM_RULE_NEVER_APPLIES = "rfm_rule_never_applies";
    /// Fewer customers than bins (`customers`, `bins`).
    RFM_FEW_CUSTOMERS = "rfm_few_customers";

    // Cohorts, retention and lifecycle.
    /// `given`.
    UNKNOWN_PERIOD = "unknown_period";
    /// `days`.
    INVALID_ACTIVE_WINDOW = "invalid_active_window";
    /// `from`, `to`.
    INVALID_RANGE = "invalid_range";
    /// Only one of `from` and `to`.
    RANGE_HALF_GIVEN = "range_half_given";
    /// `period`, `cells`, `max`, `first`, `last`.
    TOO_MANY_COHORT_CELLS = "too_many_cohort_cells";
    /// `name`, `given`, `expected`.
    LIFECYCLE_INVALID_RULE = "lifecycle_invalid_rule";
    /// `given`.
    UNKNOWN_STAGE = "unknown_stage";
    LIFECYCLE_NO_ORDERS = "lifecycle_no_orders";

    // CLV.
    /// `detail`.
    CLV_INVALID_INPUT = "clv_invalid_input";
    /// `horizonDays`.
    CLV_HORIZON_SHORTER_THAN_A_MONTH = "clv_horizon_shorter_than_a_month";
    CLV_NO_CUSTOMERS = "clv_no_customers";
    CLV_ONE_CUSTOMER = "clv_one_customer";
    /// `customers`.
    CLV_NO_REPEAT_BUYERS = "clv_no_repeat_buyers";
    /// `customers`.
    CLV_TOO_FEW_REPEAT_BUYERS = "clv_too_few_repeat_buyers";
    /// `day`.
    CLV_ALL_PURCHASES_ON_ONE_DAY = "clv_all_purchases_on_one_day";
    /// `calibrationEnd`, `first`, `last`.
    CLV_CALIBRATION_OUTSIDE_DATA = "clv_calibration_outside_data";
    /// `detail`.
    CLV_NOT_CONVERGED = "clv_not_converged";
    /// `customers`.
    FEW_CUSTOMERS = "few_customers";
    HOLDOUT_BEYOND_DATA = "holdout_beyond_data";
    /// `customers`.
    ZERO_VALUE_REPEAT_BUYERS = "zero_value_repeat_buyers";
    /// `reason` (the English text of the spend model's error).
    NO_SPEND_MODEL = "no_spend_model";
    /// `customers`.
    SERIES_NOT_CONVERGED = "series_not_converged";
    BGNBD_NOT_CONVERGED = "bgnbd_not_converged";
    BGNBD_NO_STANDARD_ERRORS = "bgnbd_no_standard_errors";
    BGNBD_EXTREME_PARAMETERS = "bgnbd_extreme_parameters";
    MBGNBD_NOT_CONVERGED = "mbgnbd_not_converged";
    MBGNBD_NO_STANDARD_ERRORS = "mbgnbd_no_standard_errors";
    MBGNBD_EXTREME_PARAMETERS = "mbgnbd_extreme_parameters";
    PARETO_NBD_NOT_CONVERGED = "pareto_nbd_not_converged";
    PARETO_NBD_NO_STANDARD_ERRORS = "pareto_nbd_no_standard_errors";
    PARETO_NBD_EXTREME_PARAMETERS = "pareto_nbd_extreme_parameters";
    /// `model`, `penalizer`, `moved` (each parameter, unpenalised → penalised), `cost` (in
    /// log-likelihood).
    PENALIZED_FIT = "penalized_fit";
    NO_INTERVALS = "no_intervals";
    /// The model `auto` chose by calibration log-likelihood (`model`, `logLikelihood`, `others`:
    /// the other models' figures, e.g. `Pareto/NBD -9,607.2, MBG/NBD -9,612.0`).
    MODEL_CHOSEN_BY_LIKELIHOOD = "model_chosen_by_likelihood";
    /// The model `auto` chose by the holdout (`model`, `error`, `others`, `totalError`: the
    /// chosen model's total off by, in %; empty when unknown).
    MODEL_CHOSEN_BY_HOLDOUT = "model_chosen_by_holdout";
    GAMMA_GAMMA_NOT_CONVERGED = "gamma_gamma_not_converged";
    GAMMA_GAMMA_NO_STANDARD_ERRORS = "gamma_gamma_no_standard_errors";
    GAMMA_GAMMA_HEAVY_TAIL = "gamma_gamma_heavy_tail";
    /// `correlation`.
    SPEND_FREQUENCY_CORRELATED = "spend_frequency_correlated";

    // SQL.
    /// `given`.
    UNKNOWN_DIALECT = "unknown_dialect";
    /// `given`.
    UNKNOWN_QUERY = "unknown_query";
    /// `role`.
    SQL_MISSING_COLUMN = "sql_missing_column";
    /// `what`, `name`.
    SQL_INVALID_NAME = "sql_invalid_name";
    /// `book.sql`, `renderSql` or `parseGroupedSummary` before the SQL module was given to the
    /// engine (`useSqlModule`).
    SQL_MODULE_NOT_LOADED = "sql_module_not_loaded";

    // Products.
    /// A product analysis of a book read without a product column.
    PRODUCTS_NONE = "products_none";

    // Filters.
    /// A filter naming an attribute the book does not have: `attribute`, `attributes`.
    FILTER_UNKNOWN_ATTRIBUTE = "filter_unknown_attribute";
    /// A filter value no order of the attribute has: `attribute`, `value`, `values`.
    FILTER_UNKNOWN_VALUE = "filter_unknown_value";
    /// A date range ending before it starts: `from`, `to`.
    FILTER_EMPTY_RANGE = "filter_empty_range";
    /// `compareBy` naming an attribute the book does not have: `attribute`, `attributes`.
    COMPARE_UNKNOWN_ATTRIBUTE = "compare_unknown_attribute";
    /// `line`, `detail`.
    GROUPED_SUMMARY_UNREADABLE = "grouped_summary_unreadable";
}

/// The option fields a message of the core may name, as Rust spells them: the core knows no
/// JavaScript names, so the JS skin respells these (`period_days` → `periodDays`) before throwing
/// ([`Message::fields_renamed`]). Longer names first, so that none is renamed inside another.
pub const OPTION_FIELDS: &[&str] = &[
    "monthly_discount_rate",
    "min_typical_gap_days",
    "clv_monetary_digits",
    "active_window_days",
    "at_risk_multiplier",
    "clv_time_grouping",
    "lapsed_multiplier",
    "calibration_end",
    "store_gap_days",
    "horizon_days",
    "holdout_end",
    "period_days",
    "as_of",
];

/// What an option can take, when it was given something else (`option_invalid` and
/// `lifecycle_invalid_rule`): one of the [`Rule`]s and the values its wording names. English
/// through `Display`; a page words it by the rule's code (`engine.rule.<code>` in
/// www/src/messages/, whose English a test keeps equal to the template here).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Expected {
    rule: &'static Rule,
    min: f64,
    max: f64,
    /// Another option's name (`{other}`).
    other: &'static str,
    /// `{date}`: the other option's date.
    date: Day,
}

/// A rule an option's value must follow: its code and English wording, whose `{min}`, `{max}`,
/// `{other}` and `{date}` are filled from the [`Expected`].
#[derive(Debug, PartialEq)]
pub struct Rule {
    pub code: &'static str,
    pub english: &'static str,
}

/// Declares the rules as constants of [`Rule`] and lists them all in [`Rule::ALL`].
macro_rules! rules {
    ($($name:ident = $code:literal, $english:literal;)*) => {
        impl Rule {
            $(pub const $name: Rule = Rule { code: $code, english: $english };)*
            /// Every rule, for the list the front end words.
            pub const ALL: &'static [&'static Rule] = &[$(&Rule::$name),*];
        }
    };
}

rules! {
    DAYS = "days", "a number of days from {min} to {max}";
    DAYS_UP_TO = "days_up_to", "a number of days above 0, at most {max}";
    DAYS_AT_LEAST = "days_at_least", "a number of days, {min} or more";
    NUMBER_AT_LEAST = "number_at_least", "a number, {min} or more";
    NUMBER_ABOVE = "number_above", "a number above {min}";
    AT_LEAST = "at_least", "a number at least {other}";
    WHOLE_NUMBER = "whole_number", "a whole number from {min} to {max}";
    WHOLE_NUMBER_AT_LEAST = "whole_number_at_least", "a whole number, {min} or more";
    SHARE = "share", "a share from 0 to 1 (0.01 for 1%)";
    PERCENTAGE = "percentage", "a percentage above 0, at most 100";
    PENALIZER = "penalizer", "a number ≥ 0 (0 for none, 0.001 to 0.1 for a light pull)";
    PENALIZER_OR_WHEN_DEGENERATE = "penalizer_or_when_degenerate",
        "a number ≥ 0 (0 for none, 0.001 to 0.1 for a light pull) or 'whenDegenerate'";
    DATE_AFTER = "date_after", "a date after {other} ({date})";
    FUNCTION = "function", "a function";
    PRODUCT_ID = "product_id", "a product id, e.g. '85123A'";
    PRODUCT_IDS = "product_ids", "one product id or more, e.g. ['85123A']";
    TIME_GROUPING = "time_grouping",
        "'day' (exact) or 'period' (t_x and T at the centre of their period)";
    WHOLE_DAYS_FOR_PERIOD = "whole_days_for_period",
        "a whole number of days when clv_time_grouping is 'period' (e.g. 7)";
    TABLE_NAME = "table_name", "a name such as 'shop.orders' or ['shop', 'orders']";
}

impl Expected {
    /// A rule whose wording names no value.
    pub const fn of(rule: &'static Rule) -> Expected {
        Expected::with(rule, f64::NAN, f64::NAN)
    }

    /// A rule with bounds (`{min}`, `{max}`; NaN where its wording names none).
    pub const fn with(rule: &'static Rule, min: f64, max: f64) -> Expected {
        Expected {
            rule,
            min,
            max,
            other: "",
            date: Day(0),
        }
    }

    /// At least another option's value.
    pub const fn at_least(other: &'static str) -> Expected {
        Expected {
            other,
            ..Expected::of(&Rule::AT_LEAST)
        }
    }

    /// A date after another option's, which is `date`.
    pub const fn date_after(other: &'static str, date: Day) -> Expected {
        Expected {
            other,
            date,
            ..Expected::of(&Rule::DATE_AFTER)
        }
    }

    pub fn rule(self) -> &'static str {
        self.rule.code
    }

    /// The values the rule's wording names, by name, in the order it names them.
    fn values(self) -> impl Iterator<Item = (&'static str, String)> {
        self.rule
            .english
            .split('{')
            .skip(1)
            .filter_map(move |part| {
                Some(match &part[..part.find('}')?] {
                    "min" => ("min", self.min.to_string()),
                    "max" => ("max", self.max.to_string()),
                    "other" => ("other", self.other.to_string()),
                    "date" => ("date", self.date.to_string()),
                    _ => return None,
                })
            })
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.rule.english.to_string();
        for (name, value) in self.values() {
            text = text.replace(&["{", name, "}"].concat(), &value);
        }
        f.write_str(&text)
    }
}

/// Something the engine says: a stable [`Code`], its named params (as text) and the English text.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub code: Code,
    pub params: Vec<(&'static str, String)>,
    /// The message in English, whole: what `Display` writes and JS errors carry as `message`.
    pub message: String,
}

impl Message {
    pub fn new(code: Code, message: impl Into<String>) -> Message {
        Message::of(code, message.into())
    }

    /// Not generic, never inlined: messages are made in hundreds of places, and one copy of this
    /// keeps the `.wasm` small.
    #[inline(never)]
    fn of(code: Code, message: String) -> Message {
        Message {
            code,
            params: Vec::new(),
            message,
        }
    }

    /// Adds a named param.
    pub fn with(self, name: &'static str, value: impl fmt::Display) -> Message {
        self.with_displayed(name, &value)
    }

    /// One copy for every type of value: each `with::<T>` is then only a call.
    #[inline(never)]
    fn with_displayed(self, name: &'static str, value: &dyn fmt::Display) -> Message {
        self.with_text(name, value.to_string())
    }

    #[inline(never)]
    fn with_text(mut self, name: &'static str, value: String) -> Message {
        self.params.push((name, value));
        self
    }

    /// A field given none of its keywords: `text` says so in English, `choices` lists them.
    pub fn not_a_choice(text: String, name: &str, given: &str, choices: &str) -> Message {
        Message::new(Code::OPTION_NOT_A_CHOICE, text)
            .with("name", name)
            .with("given", given)
            .with("choices", choices)
    }

    /// A field given a value it cannot take: `expected` says what it can.
    pub fn invalid_option(name: &str, given: &str, expected: Expected) -> Message {
        Message::new(
            Code::OPTION_INVALID,
            format!("invalid {name} '{given}': {expected}"),
        )
        .with("name", name)
        .with("given", given)
        .expecting(expected)
    }

    /// Adds what a field can take: `expected` in English, `rule` (its code, by which a page
    /// words it) and the values the rule names (`min`, `max`, `other`, `date`).
    pub fn expecting(self, expected: Expected) -> Message {
        let mut message = self
            .with("expected", expected)
            .with("rule", expected.rule());
        message.params.extend(expected.values());
        message
    }

    /// The message with the option fields it names renamed (`period_days` → `periodDays` for
    /// JavaScript), in its text and params (an `expected` param may name one too).
    pub fn fields_renamed(mut self, rename: impl Fn(&str) -> String) -> Message {
        for &field in OPTION_FIELDS {
            if !self.message.contains(field) && !self.params.iter().any(|(_, v)| v.contains(field))
            {
                continue;
            }
            let renamed = rename(field);
            self.message = self.message.replace(field, &renamed);
            for (_, value) in &mut self.params {
                if value.contains(field) {
                    *value = value.replace(field, &renamed);
                }
            }
        }
        self
    }

    /// The value of a param, if the message has it.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Message {}

/// `{ code, message, params: { name: value } }`.
impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_struct("Message", 3)?;
        object.serialize_field("code", &self.code)?;
        object.serialize_field("message", &self.message)?;
        object.serialize_field("params", &Params(&self.params))?;
        object.end()
    }
}

/// Name/value pairs serialised as one object (`{ "what": "amount" }`).
pub(crate) struct Params<'a>(pub &'a [(&'static str, String)]);

impl Serialize for Params<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, value)| (name, value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/www/src/messages/codes.json");

    /// What the front end words by code, one code a line: the message codes, the RFM segment
    /// codes and the audiences' ids, actions and parameters.
    fn codes_json() -> String {
        let list = |codes: Vec<&str>| {
            let lines: Vec<String> = codes.iter().map(|c| format!("    \"{c}\"")).collect();
            lines.join(",\n")
        };
        let messages = list(Code::ALL.iter().map(|c| c.as_str()).collect());
        let segments = list(crate::rfm::SEGMENTS.iter().map(|s| s.code).collect());
        let definitions = &crate::audiences::DEFINITIONS;
        let audiences = list(definitions.iter().map(|d| d.id).collect());
        let actions = list(definitions.iter().map(|d| d.action).collect());
        let params = list(crate::audiences::PARAMS.iter().map(|p| p.name).collect());
        // The rules with their English, which the front end's English wording must equal.
        let rules: Vec<String> = Rule::ALL
            .iter()
            .map(|rule| format!("    \"{}\": {:?}", rule.code, rule.english))
            .collect();
        let rules = rules.join(",\n");
        format!(
            "{{\n  \"messages\": [\n{messages}\n  ],\n  \"segments\": [\n{segments}\n  ],\n  \
             \"audiences\": [\n{audiences}\n  ],\n  \"audienceActions\": [\n{actions}\n  ],\n  \
             \"audienceParams\": [\n{params}\n  ],\n  \"rules\": {{\n{rules}\n  }}\n}}\n"
        )
    }

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} declared twice");
            assert!(
                code.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{code} is not snake_case"
            );
        }
    }

    /// The front end checks that every code has English and Vietnamese wording against this
    /// file. Run with `UPDATE_CODES=1` to rewrite it after adding a code.
    #[test]
    fn front_end_codes_json_is_current() {
        let expected = codes_json();
        if std::env::var_os("UPDATE_CODES").is_some() {
            std::fs::write(CODES_FILE, &expected).expect("write codes.json");
        }
        let committed = std::fs::read_to_string(CODES_FILE).unwrap_or_default();
        assert!(
            committed == expected,
            "www/src/messages/codes.json is stale: run `UPDATE_CODES=1 cargo test codes` and \
             word the new codes in www/src/messages/"
        );
    }

    #[test]
    fn named_fields_are_renamed_in_text_and_params() {
        let expected = Expected::at_least("at_risk_multiplier");
        let message = Message::invalid_option("lapsed_multiplier", "2", expected)
            .fields_renamed(|field| field.to_uppercase());
        assert_eq!(
            message.message,
            "invalid LAPSED_MULTIPLIER '2': a number at least AT_RISK_MULTIPLIER"
        );
        assert_eq!(message.param("name"), Some("LAPSED_MULTIPLIER"));
        assert_eq!(
            message.param("expected"),
            Some("a number at least AT_RISK_MULTIPLIER")
        );
        assert_eq!(message.param("rule"), Some("at_least"));
        assert_eq!(message.param("other"), Some("AT_RISK_MULTIPLIER"));
    }

    #[test]
    fn a_message_serialises_as_code_message_and_params() {
        let message = Message::new(Code::SHORT_ROW, "short").with("fields", 2);
        assert_eq!(message.to_string(), "short");
        assert_eq!(message.param("fields"), Some("2"));
        assert_eq!(message.code, "short_row");
    }
}
