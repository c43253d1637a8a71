//! "Show SQL" and the grouped CLV summary, end to end on the Rust side: the text each dialect
//! gets (key fragments, one statement per query), identifiers and literals that cannot be broken
//! out of, settings taken from a loaded file, and weighted fits on the grouped CDNOW summary
//! against the per-customer fits.
//!
//! The SQL itself runs on DuckDB and PostgreSQL in `tests/sql/compare_engines.py`, which compares
//! every result with the crate's; these tests pin the rendering.

// The core's test helpers, shared with its own tests.
#[path = "../../tests/common/mod.rs"]
mod common;

use common::{date, day};
use customer_lens::clv::bgnbd::{self, BgNbdFit};
use customer_lens::clv::gamma_gamma::{self, GammaGammaFit};
use customer_lens::clv::summary::{CalibrationSummary, calibration_summary};
use customer_lens::cohort::Period;
use customer_lens::ingest::{ColumnNames, IngestOptions, Role, read_csv};
use customer_lens::rfm::SegmentRule;
use customer_lens_sql::sql::{
    self, Dialect, GroupedSummary, GroupingOptions, SqlOptions, SqlQuery, TimeGrouping,
};

/// Grouping customers with equal (x, t_x, T) changes only the order of the likelihood's terms.
const SAME_FIT_RELATIVE: f64 = 1e-6;
/// How far putting t_x and T at the centre of their week may move the CDNOW estimates.
const WEEK_ROUNDING_RELATIVE: f64 = 0.05;
/// How far 3 significant digits of m̄ may move the Gamma-Gamma estimates.
const THREE_DIGITS_RELATIVE: f64 = 0.01;

fn online_retail_options() -> SqlOptions {
    SqlOptions {
        columns: ColumnNames::from_iter([
            (Role::Customer, String::from("CustomerID")),
            (Role::Order, String::from("InvoiceNo")),
            (Role::Date, String::from("InvoiceDate")),
            (Role::Quantity, String::from("Quantity")),
            (Role::UnitPrice, String::from("UnitPrice")),
            (Role::ProductId, String::from("StockCode")),
            (Role::ProductName, String::from("Description")),
        ]),
        return_prefix: Some("C".into()),
        ..SqlOptions::default()
    }
}

fn render(options: &SqlOptions) -> String {
    sql::render(options).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_dialect_renders_its_own_functions() {
    let cases: [(Dialect, &[&str]); 4] = [
        (
            Dialect::DuckDb,
            &[
                "NULLIF(TRIM(CAST(\"InvoiceNo\" AS VARCHAR)), '')",
                "CAST(\"Quantity\" AS DOUBLE) * CAST(\"UnitPrice\" AS DOUBLE)",
                "date_diff('day', DATE '1970-01-01', order_date)",
                "regexp_matches(customer_text, '^[0-9]+[.]0+$')",
                "1 + ((5 * r_position) // (customers))",
                "CAST(uuid() AS VARCHAR)",
                "ROUND(SUM(order_value), 6)",
                "CAST(date_trunc('WEEK', first_date) AS DATE)",
                "CAST(EXTRACT(ISOYEAR FROM cohort_start) AS BIGINT)",
                "'Can''t Lose Them'",
            ],
        ),
        (
            Dialect::Postgres,
            &[
                "NULLIF(TRIM(CAST(\"InvoiceNo\" AS TEXT)), '')",
                "CAST(\"Quantity\" AS DOUBLE PRECISION)",
                "(order_date - DATE '1970-01-01')",
                "(customer_text ~ '^[0-9]+[.]0+$')",
                "1 + ((5 * r_position) / (customers))",
                "CAST(gen_random_uuid() AS TEXT)",
                "CAST(ROUND(CAST(SUM(order_value) AS NUMERIC), 6) AS DOUBLE PRECISION)",
                "CAST(EXTRACT(WEEK FROM cohort_start) AS BIGINT)",
                "'Can''t Lose Them'",
            ],
        ),
        (
            Dialect::BigQuery,
            &[
                "NULLIF(TRIM(CAST(`InvoiceNo` AS STRING)), '')",
                "CAST(`Quantity` AS FLOAT64)",
                "UNIX_DATE(order_date)",
                "REGEXP_CONTAINS(customer_text, '^[0-9]+[.]0+$')",
                "1 + DIV(5 * r_position, customers)",
                "GENERATE_UUID()",
                "DATE_TRUNC(first_date, ISOWEEK)",
                "CAST(EXTRACT(ISOWEEK FROM cohort_start) AS INT64)",
                "DATE_FROM_UNIX_DATE(order_day)",
                "'Can\\'t Lose Them'",
            ],
        ),
        (
            Dialect::Spark,
            &[
                "NULLIF(TRIM(CAST(`InvoiceNo` AS STRING)), '')",
                "datediff(order_date, DATE '1970-01-01')",
                "(customer_text RLIKE '^[0-9]+[.]0+$')",
                "1 + ((5 * r_position) DIV (customers))",
                "uuid()",
                "CAST(EXTRACT(YEAROFWEEK FROM cohort_start) AS BIGINT)",
                "date_add(DATE '1970-01-01', CAST(order_day AS INT))",
                "'Can\\'t Lose Them'",
            ],
        ),
    ];
    for (dialect, fragments) in cases {
        let text = render(&SqlOptions {
            dialect,
            period: Period::Week,
            ..online_retail_options()
        });
        for fragment in fragments {
            assert!(
                text.contains(fragment),
                "{dialect:?} lacks {fragment:?}:\n{text}"
            );
        }
        assert_eq!(
            code_outside_quotes(&text, dialect).matches(';').count(),
            6,
            "with products: products and pairs too"
        );
        assert!(text.contains(&format!("-- Generated for {};", dialect.title())));
    }
}

#[test]
fn the_queries_follow_the_readers_rules() {
    let text = render(&SqlOptions {
        query: SqlQuery::Orders,
        ..online_retail_options()
    });
    let fragments = [
        // returns: the preset's prefix or a negative value; cancelled orders left out
        "CASE WHEN SUBSTR(order_id, 1, 1) = 'C' OR order_value < 0 THEN 'return' ELSE 'purchase' END",
        "WHERE cancelled = 0",
        // lines without a date or an amount are left out, as the reader rejects them
        "WHERE \"InvoiceDate\" IS NOT NULL\n    AND \"Quantity\" IS NOT NULL AND \"UnitPrice\" IS NOT NULL",
        // an order without an id: customer + timestamp; an anonymous one: its own row
        "GROUP BY order_id, key_customer, key_instant, key_row",
        "MIN(order_day) AS order_day",
        // 17850.0 is 17850
        "THEN regexp_replace(customer_text, '[.]0+$', '')",
    ];
    for fragment in fragments {
        assert!(text.contains(fragment), "lacks {fragment:?}:\n{text}");
    }
    assert!(
        !text.contains("status_text >"),
        "no status column, no status rule"
    );

    let shopify = render(&SqlOptions {
        query: SqlQuery::Orders,
        columns: ColumnNames::from_iter([
            (Role::Customer, String::from("Email")),
            (Role::Order, String::from("Name")),
            (Role::Date, String::from("Created at")),
            (Role::Amount, String::from("Total")),
            (Role::Status, String::from("Financial Status")),
        ]),
        amount_per_order: true,
        cancelled_when_present: vec!["Cancelled at".into()],
        ..SqlOptions::default()
    });
    let fragments = [
        "COALESCE(MAX(amount), 0) AS order_value",
        "CASE WHEN NULLIF(TRIM(CAST(\"Cancelled at\" AS VARCHAR)), '') IS NOT NULL THEN 1 ELSE 0 END",
        "WHEN (strpos(status_text, 'cancel') > 0 OR strpos(status_text, 'refund') > 0",
        "AND NOT (strpos(status_text, 'partial') > 0 OR strpos(status_text, 'một phần') > 0 OR strpos(status_text, 'mot phan') > 0)",
    ];
    for fragment in fragments {
        assert!(shopify.contains(fragment), "lacks {fragment:?}:\n{shopify}");
    }
    assert!(
        !shopify.contains("\"Total\" IS NOT NULL"),
        "a per-order total may be empty on later lines"
    );
}

#[test]
fn settings_reach_the_rfm_cohort_and_clv_queries() {
    let options = SqlOptions {
        as_of: Some(date("2011-12-09")),
        bins: 10,
        rules: Some(vec![
            SegmentRule::new("Top", [5, 5], [5, 5], [1, 5]),
            SegmentRule::new("Never", [2, 2], [1, 5], [1, 5]),
            SegmentRule::new("Rest", [1, 5], [1, 5], [1, 5]),
        ]),
        period: Period::Quarter,
        calibration_end: Some(date("2011-09-30")),
        grouping: GroupingOptions {
            time: TimeGrouping::Period,
            period_days: 7.0,
            monetary_digits: Some(3),
        },
        ..online_retail_options()
    };
    let text = render(&options);
    let fragments = [
        "SELECT date_diff('day', DATE '1970-01-01', DATE '2011-12-09') AS as_of_day",
        "1 + ((10 * m_position) // (customers))",
        // rules on the 1–5 scale become raw score ranges on 10 bins
        "WHEN r_score BETWEEN 9 AND 10 AND f_score BETWEEN 9 AND 10 THEN 'Top'",
        "WHEN r_score BETWEEN 3 AND 4 THEN 'Never'",
        "WHEN 1 = 1 THEN 'Rest'",
        "CONCAT(CAST(CAST(EXTRACT(YEAR FROM cohort_start) AS BIGINT) AS VARCHAR), '-Q'",
        "SELECT date_diff('day', DATE '1970-01-01', DATE '2011-09-30') AS calibration_day",
        "CASE WHEN recency_days = 0 THEN 0 ELSE FLOOR(CAST(recency_days AS DOUBLE) / CAST(7 AS \
         DOUBLE)) * CAST(7 AS DOUBLE) + CAST(3 AS DOUBLE) END",
        "CASE WHEN monetary_mean > 0 THEN 2 - FLOOR(LOG10(monetary_mean)) END AS exponent",
        "ORDER BY model, frequency, recency_days, t_days, monetary_mean",
    ];
    for fragment in fragments {
        assert!(text.contains(fragment), "lacks {fragment:?}:\n{text}");
    }
    let average = render(&SqlOptions {
        query: SqlQuery::Rfm,
        monetary: customer_lens::rfm::MonetaryMode::Average,
        ..online_retail_options()
    });
    assert!(average.contains("ROUND(net_value / frequency, 6) AS monetary"));
    assert!(average.contains("SELECT MAX(order_day) AS as_of_day\n  FROM orders"));
}

/// The SQL with comments, string literals and quoted identifiers removed: what the engine reads
/// as code. A name that escaped its quotes would show up here.
fn code_outside_quotes(text: &str, dialect: Dialect) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::new();
    let mut i = 0;
    let backslash_escapes = matches!(dialect, Dialect::BigQuery | Dialect::Spark);
    let identifier_quote = match dialect {
        Dialect::DuckDb | Dialect::Postgres => '"',
        Dialect::BigQuery | Dialect::Spark => '`',
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '\'' || c == identifier_quote {
            let escapes = if c == '\'' {
                backslash_escapes
            } else {
                dialect == Dialect::BigQuery
            };
            i += 1;
            loop {
                assert!(i < chars.len(), "unterminated quote in:\n{text}");
                if escapes && chars[i] == '\\' {
                    i += 2;
                } else if chars[i] == c {
                    if !escapes && chars.get(i + 1) == Some(&c) {
                        i += 2; // a doubled quote stays inside
                    } else {
                        i += 1;
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            code.push_str(" q ");
            continue;
        }
        code.push(c);
        i += 1;
    }
    code
}

#[test]
fn hostile_names_stay_names() {
    let evil = "x\"`'\\; DROP TABLE orders; --\nDROP";
    let options = SqlOptions {
        table: vec![evil.into(), "orders".into()],
        columns: ColumnNames::from_iter([
            (Role::Customer, String::from(evil)),
            (Role::Order, format!("{evil} order")),
            (Role::Date, format!("{evil} date")),
            (Role::Amount, format!("{evil} amount")),
            (Role::Status, format!("{evil} status")),
        ]),
        return_prefix: Some(evil.into()),
        cancelled_status_words: vec![evil.into()],
        kept_status_words: vec![evil.into()],
        cancelled_when_present: vec![evil.into()],
        rules: Some(vec![SegmentRule::new(evil, [1, 5], [1, 5], [1, 5])]),
        ..SqlOptions::default()
    };
    for dialect in Dialect::ALL {
        let text = render(&SqlOptions {
            dialect,
            ..options.clone()
        });
        let code = code_outside_quotes(&text, dialect);
        assert!(
            !code.to_uppercase().contains("DROP"),
            "{dialect:?}: a name escaped its quotes:\n{code}"
        );
        assert_eq!(
            code.matches(';').count(),
            4,
            "{dialect:?}: one statement per query"
        );
        for comment in text.lines().filter(|l| l.trim_start().starts_with("--")) {
            assert!(
                !comment.contains("DROP"),
                "user text in a comment: {comment}"
            );
        }
        assert!(text.contains(&dialect.identifier(evil)), "{dialect:?}");
    }
    let nul = SqlOptions {
        table: vec!["a\0b".into()],
        ..online_retail_options()
    };
    assert!(
        sql::render(&nul)
            .unwrap_err()
            .to_string()
            .contains("NUL character")
    );
}

#[test]
fn a_loaded_file_supplies_the_mapping_and_preset_rules() {
    let book = read_csv(
        include_bytes!("../../tests/data/online-retail-slice.csv"),
        &IngestOptions::default(),
    )
    .expect("the slice reads");
    let options = SqlOptions::from_report(&book.report);
    assert_eq!(options.columns, online_retail_options().columns);
    assert_eq!(options.return_prefix.as_deref(), Some("C"));
    assert!(!options.amount_per_order);

    let shopify = read_csv(
        include_bytes!("../../tests/sql/shopify-orders.csv"),
        &IngestOptions::preset("shopify"),
    )
    .expect("the Shopify file reads");
    let options = SqlOptions::from_report(&shopify.report);
    assert_eq!(options.columns.name(Role::Customer), Some("Email"));
    assert_eq!(options.columns.name(Role::Amount), Some("Total"));
    assert_eq!(options.columns.name(Role::Status), Some("Financial Status"));
    assert!(options.amount_per_order);
    assert_eq!(options.cancelled_when_present, ["Cancelled at"]);
    assert_eq!(options.return_prefix, None);
}

/// Customer ids get the file reader's normalisation: the rule a file was read with reaches the
/// SQL, `auto` decides by the customer column's name, and the settings can change both.
#[test]
fn customer_ids_are_normalised_as_the_file_was_read() {
    use customer_lens::ingest::IdNormalization;
    use customer_lens::ingest::PhoneCountry;
    use customer_lens_sql::sql::SqlSettings;
    let pos = read_csv(
        include_bytes!("../../tests/data/pos-invoices.csv"),
        &IngestOptions::default(),
    )
    .expect("the invoices read");
    let options = SqlOptions::from_report(&pos.report);
    assert_eq!(options.columns.name(Role::Customer), Some("Điện thoại"));
    assert_eq!(options.customer_ids, IdNormalization::Phone);
    for dialect in Dialect::ALL {
        let text = render(&SqlOptions {
            dialect,
            query: SqlQuery::Orders,
            ..options.clone()
        });
        assert!(text.contains("contact_lines AS ("), "{dialect:?}\n{text}");
        assert!(
            text.contains("CONCAT('+84', SUBSTR(customer_digits, 2))"),
            "{text}"
        );
        assert!(text.contains("phone numbers in E.164 (national numbers from VN)"));
    }

    let email_table = SqlOptions {
        query: SqlQuery::Orders,
        columns: ColumnNames::from_iter([
            (Role::Customer, String::from("Customer Email")),
            (Role::Date, String::from("Order Date")),
            (Role::Amount, String::from("Total")),
        ]),
        ..SqlOptions::default()
    };
    assert!(render(&email_table).contains("LOWER(CASE WHEN"));
    let settings = |normalization: &str, country: &str| SqlSettings {
        customer_id_normalization: IdNormalization::from_keyword(normalization),
        phone_country: PhoneCountry::from_code(country),
        ..SqlSettings::default()
    };
    let off = settings("none", "VN").apply(email_table.clone()).unwrap();
    assert!(!render(&off).contains("LOWER("));
    let phone = settings("phone", "sg").apply(email_table.clone()).unwrap();
    let text = render(&phone);
    // Singapore has no trunk prefix: numbers are 8 digits, alone or after 65.
    assert!(
        text.contains(
            "WHEN customer_digits LIKE '65%' AND LENGTH(customer_digits) BETWEEN 10 AND 10"
        )
    );
    assert!(!text.contains("CONCAT('+65', SUBSTR("));
    assert_eq!(PhoneCountry::from_code("XX"), None);
}

fn cdnow_summary() -> CalibrationSummary {
    let book = read_csv(
        include_bytes!("../../tests/data/cdnow_sample.txt"),
        &IngestOptions::preset("cdnow"),
    )
    .expect("CDNOW reads");
    let end = day("1997-09-30");
    calibration_summary(&book, &book.customer_orders(), end, 7.0)
}

fn assert_relative(got: f64, expected: f64, tolerance: f64, what: &str) {
    let scale = expected.abs().max(1e-12);
    assert!(
        (got - expected).abs() / scale <= tolerance,
        "{what}: {got} vs {expected} (relative tolerance {tolerance})"
    );
}

fn bgnbd_parameters(fit: &BgNbdFit) -> [f64; 4] {
    [fit.params.r, fit.params.alpha, fit.params.a, fit.params.b]
}

fn gamma_gamma_parameters(fit: &GammaGammaFit) -> [f64; 3] {
    [fit.params.p, fit.params.q, fit.params.v]
}

#[test]
fn weighted_fits_on_the_grouped_cdnow_summary_equal_the_per_customer_fits() {
    let summary = cdnow_summary();
    assert_eq!(summary.len(), 2357);
    let per_customer_bgnbd = bgnbd::fit(
        &summary.frequencies(),
        &summary.recencies(),
        &summary.ages(),
        None,
    )
    .expect("BG/NBD fits");
    let per_customer_gamma_gamma =
        gamma_gamma::fit(&summary.frequencies(), &summary.monetary_mean, None)
            .expect("Gamma-Gamma fits");

    let grouped = GroupedSummary::from_calibration(&summary, &GroupingOptions::default());
    assert_eq!(grouped.customers(), 2357.0);
    let read_back = GroupedSummary::parse(&grouped.to_csv()).expect("the file reads back");
    assert_eq!(read_back, grouped);
    assert!(
        read_back.bgnbd.customers.len() < 1400,
        "{} BG/NBD rows for 2,357 customers",
        read_back.bgnbd.customers.len()
    );

    let weighted_bgnbd = read_back.fit_bgnbd(7.0).expect("weighted BG/NBD fits");
    let weighted_gamma_gamma = read_back
        .fit_gamma_gamma()
        .expect("weighted Gamma-Gamma fits");
    let names = ["r", "alpha", "a", "b"];
    for ((got, want), name) in bgnbd_parameters(&weighted_bgnbd)
        .into_iter()
        .zip(bgnbd_parameters(&per_customer_bgnbd))
        .zip(names)
    {
        assert_relative(got, want, SAME_FIT_RELATIVE, name);
    }
    assert_relative(
        weighted_bgnbd.log_likelihood,
        per_customer_bgnbd.log_likelihood,
        SAME_FIT_RELATIVE,
        "log-likelihood",
    );
    assert_eq!(weighted_bgnbd.customers, 2357.0);
    // The published estimates (Fader, Hardie & Lee 2005), to their 3 decimals.
    for (got, published) in bgnbd_parameters(&weighted_bgnbd)
        .into_iter()
        .zip([0.243, 4.414, 0.793, 2.426])
    {
        assert!((got - published).abs() <= 0.5e-3, "{got} vs {published}");
    }
    for ((got, want), name) in gamma_gamma_parameters(&weighted_gamma_gamma)
        .into_iter()
        .zip(gamma_gamma_parameters(&per_customer_gamma_gamma))
        .zip(["p", "q", "v"])
    {
        assert_relative(got, want, SAME_FIT_RELATIVE, name);
    }
    assert_eq!(
        weighted_gamma_gamma.customers,
        per_customer_gamma_gamma.customers
    );
}

/// The `clvSummary` query's result on the raw CDNOW transactions, exported by DuckDB (kept equal
/// to what DuckDB and PostgreSQL return by `tests/sql/compare_engines.py`): the file a store
/// uploads, fitted as the widget fits it.
#[test]
fn the_summary_an_engine_exported_fits_like_the_per_customer_summary() {
    let summary = cdnow_summary();
    let per_customer = bgnbd::fit(
        &summary.frequencies(),
        &summary.recencies(),
        &summary.ages(),
        None,
    )
    .expect("BG/NBD fits");
    let per_customer_spend = gamma_gamma::fit(&summary.frequencies(), &summary.monetary_mean, None)
        .expect("Gamma-Gamma fits");
    let exported = GroupedSummary::parse(include_str!("../../tests/sql/cdnow-grouped-summary.csv"))
        .expect("the exported file reads");
    assert_eq!(exported.customers(), 2357.0);
    let fit = exported.fit_bgnbd(7.0).expect("weighted BG/NBD fits");
    for ((got, want), name) in bgnbd_parameters(&fit)
        .into_iter()
        .zip(bgnbd_parameters(&per_customer))
        .zip(["r", "alpha", "a", "b"])
    {
        assert_relative(got, want, SAME_FIT_RELATIVE, name);
    }
    let spend = exported
        .fit_gamma_gamma()
        .expect("weighted Gamma-Gamma fits");
    for ((got, want), name) in gamma_gamma_parameters(&spend)
        .into_iter()
        .zip(gamma_gamma_parameters(&per_customer_spend))
        .zip(["p", "q", "v"])
    {
        assert_relative(got, want, SAME_FIT_RELATIVE, name);
    }
}

#[test]
fn coarser_grouping_moves_the_cdnow_estimates_only_a_little() {
    let summary = cdnow_summary();
    let exact = GroupedSummary::from_calibration(&summary, &GroupingOptions::default());
    let coarse = GroupedSummary::from_calibration(
        &summary,
        &GroupingOptions {
            time: TimeGrouping::Period,
            period_days: 7.0,
            monetary_digits: Some(3),
        },
    );
    assert!(coarse.rows() < exact.rows());
    assert_eq!(coarse.customers(), exact.customers());
    let exact_fit = exact.fit_bgnbd(7.0).expect("fits");
    let coarse_fit = coarse.fit_bgnbd(7.0).expect("fits");
    for ((got, want), name) in bgnbd_parameters(&coarse_fit)
        .into_iter()
        .zip(bgnbd_parameters(&exact_fit))
        .zip(["r", "alpha", "a", "b"])
    {
        assert_relative(got, want, WEEK_ROUNDING_RELATIVE, name);
    }
    let exact_spend = exact.fit_gamma_gamma().expect("fits");
    let coarse_spend = coarse.fit_gamma_gamma().expect("fits");
    for ((got, want), name) in gamma_gamma_parameters(&coarse_spend)
        .into_iter()
        .zip(gamma_gamma_parameters(&exact_spend))
        .zip(["p", "q", "v"])
    {
        assert_relative(got, want, THREE_DIGITS_RELATIVE, name);
    }
}
