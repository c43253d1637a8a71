//! Renders the "Show SQL" queries for a CSV file's settings and writes the crate's own results
//! for the same file, so that a script can run the SQL on real engines and compare
//! (`tests/sql/compare_engines.py`). Never part of the analyses.
//!
//! ```text
//! cargo run -p customer-lens-sql --bin sql_reference -- FILE.csv --out DIR [--preset NAME] [--column ROLE=HEADER]…
//!     [--customer-ids auto|none|email|phone] [--phone-country CODE]
//!     [--table NAME] [--as-of YYYY-MM-DD] [--bins N] [--monetary total|average]
//!     [--period week|month|quarter|year] [--calibration-end YYYY-MM-DD] [--period-days N]
//!     [--clv-time-grouping day|period] [--clv-monetary-digits N]
//!     [--filter ATTRIBUTE=VALUE]… [--from YYYY-MM-DD] [--to YYYY-MM-DD]
//! ```
//!
//! Writes `DIR/<dialect>/<query>.sql` for the four dialects and four queries, and
//! `DIR/expected/{orders,rfm,cohorts,clv_summary}.csv`: the order book, the RFM table, every
//! cohort cell (empty ones included) and the grouped calibration summary, as the crate computes
//! them from the file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use customer_lens::Filter;
use customer_lens::book::OrderBook;
use customer_lens::clv::summary::{calibration_summary, purchase_day_range};
use customer_lens::cohort::{self, Period, UnknownPeriod};
use customer_lens::day::Day;
use customer_lens::ingest::columns::preset;
use customer_lens::ingest::{self, IdNormalization, IngestOptions, PhoneCountry, Role};
use customer_lens::lines::Lines;
use customer_lens::products;
use customer_lens::rfm::{self, RfmOptions};
use customer_lens_sql::sql::grouped::round_to_millionths;
use customer_lens_sql::sql::{
    self, Dialect, GroupedSummary, SqlError, SqlOptions, SqlQuery, SqlSettings, TableName,
};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sql_reference: {message}");
            ExitCode::FAILURE
        }
    }
}

struct Arguments {
    file: PathBuf,
    out: PathBuf,
    ingest: IngestOptions,
    settings: SqlSettings,
    /// The orders kept (attribute keys as the book names them).
    filter: Filter,
}

fn arguments() -> Result<Arguments, String> {
    let mut args = std::env::args().skip(1);
    let mut file = None;
    let mut out = None;
    let mut ingest = IngestOptions::default();
    let mut settings = SqlSettings::default();
    let mut filter = Filter::default();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--preset" => ingest.preset = Some(preset(&value()?).map_err(|e| e.to_string())?),
            "--column" => {
                let pair = value()?;
                let (role, header) = pair
                    .split_once('=')
                    .ok_or_else(|| format!("--column takes ROLE=HEADER, got '{pair}'"))?;
                let role = Role::named(role)
                    .ok_or_else(|| format!("unknown role '{role}' in --column"))?;
                ingest.columns.insert(role, header);
            }
            "--customer-ids" => {
                let text = value()?;
                ingest.customer_id_normalization = IdNormalization::from_keyword(&text)
                    .ok_or_else(|| {
                        format!("--customer-ids is auto, none, email or phone, got '{text}'")
                    })?;
            }
            "--phone-country" => {
                let code = value()?;
                ingest.phone_country = PhoneCountry::from_code(&code)
                    .ok_or_else(|| format!("--phone-country takes an ISO code, got '{code}'"))?;
            }
            "--table" => settings.table = Some(TableName::Dotted(value()?)),
            "--as-of" => settings.as_of = Some(Day(date(&value()?)?)),
            "--bins" => settings.bins = Some(number(&value()?)?),
            "--monetary" => {
                let mode = value()?;
                settings.monetary = Some(match mode.as_str() {
                    "total" => rfm::MonetaryMode::Total,
                    "average" => rfm::MonetaryMode::Average,
                    _ => return Err(format!("--monetary is total or average, got '{mode}'")),
                });
            }
            "--period" => {
                settings.period = Some(value()?.parse().map_err(|e: UnknownPeriod| e.to_string())?)
            }
            "--calibration-end" => settings.calibration_end = Some(Day(date(&value()?)?)),
            "--period-days" => settings.period_days = Some(number(&value()?)?),
            "--clv-time-grouping" => {
                settings.clv_time_grouping =
                    Some(value()?.parse().map_err(|e: SqlError| e.to_string())?)
            }
            "--clv-monetary-digits" => settings.clv_monetary_digits = Some(number(&value()?)?),
            "--filter" => {
                let pair = value()?;
                let (key, kept) = pair
                    .split_once('=')
                    .ok_or_else(|| format!("--filter takes ATTRIBUTE=VALUE, got '{pair}'"))?;
                match filter.attributes.iter_mut().find(|(k, _)| k == key) {
                    Some((_, values)) => values.push(kept.to_string()),
                    None => filter
                        .attributes
                        .push((key.to_string(), vec![kept.to_string()])),
                }
            }
            "--min-support" => settings.min_support = Some(number(&value()?)?),
            "--top" => settings.top = Some(number(&value()?)?),
            "--from" => filter.from = Some(Day(date(&value()?)?)),
            "--to" => filter.to = Some(Day(date(&value()?)?)),
            _ if !arg.starts_with("--") && file.is_none() => file = Some(PathBuf::from(&arg)),
            _ => return Err(format!("unknown argument '{arg}'")),
        }
    }
    // The SQL reads the columns the file was read with.
    settings.columns = Some(ingest.columns.clone());
    Ok(Arguments {
        file: file.ok_or("give the CSV file to read")?,
        out: out.ok_or("give --out DIR")?,
        ingest,
        settings,
        filter,
    })
}

fn date(text: &str) -> Result<i32, String> {
    text.parse::<Day>()
        .map(|day| day.0)
        .map_err(|_| format!("'{text}' is not a date written YYYY-MM-DD"))
}

fn number(text: &str) -> Result<f64, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not a number"))
}

fn run() -> Result<(), String> {
    let arguments = arguments()?;
    let bytes = std::fs::read(&arguments.file)
        .map_err(|e| format!("cannot read {}: {e}", arguments.file.display()))?;
    let ingested = ingest::read_csv(&bytes, &arguments.ingest).map_err(|e| e.to_string())?;
    let mut settings = arguments.settings.clone();
    // The SQL filters the attributes' columns; the expected results are the filtered book's.
    let mut sql_filter = arguments.filter.clone();
    for (key, _) in &mut sql_filter.attributes {
        *key = ingested
            .attribute(key)
            .ok_or_else(|| format!("the file has no attribute '{key}'"))?
            .column
            .clone();
    }
    settings.filter = Some(sql_filter);
    // The product queries leave out what the engine proposes as not products, as `book.sql` does.
    let proposed: Option<Vec<String>> = ingested
        .lines
        .as_ref()
        .map(|lines| products::propose(lines).into_iter().map(|p| p.id).collect());
    settings.exclude = proposed.clone();
    let options = settings
        .apply(SqlOptions::from_report(&ingested.report))
        .map_err(|e| e.to_string())?;
    let book = ingested
        .filtered(&arguments.filter)
        .map_err(|e| e.to_string())?;

    for dialect in Dialect::ALL {
        let folder = arguments.out.join(dialect_folder(dialect));
        create_dir(&folder)?;
        for query in SqlQuery::EACH {
            if query.needs_products() && proposed.is_none() {
                continue;
            }
            let text = sql::render(&SqlOptions {
                dialect,
                query,
                ..options.clone()
            })
            .map_err(|e| e.to_string())?;
            write(&folder.join(format!("{}.sql", file_stem(query))), &text)?;
        }
    }

    let expected = arguments.out.join("expected");
    create_dir(&expected)?;
    write(&expected.join("orders.csv"), &orders_csv(&book)?)?;
    write(&expected.join("rfm.csv"), &rfm_csv(&book, &options)?)?;
    write(
        &expected.join("cohorts.csv"),
        &cohorts_csv(&book, options.period)?,
    )?;
    write(
        &expected.join("clv_summary.csv"),
        &clv_summary_csv(&book, &options)?,
    )?;
    if let Some(lines) = book.lines.as_ref() {
        let excluded = products::resolve(lines, proposed.as_deref()).map_err(|e| e.to_string())?;
        write(
            &expected.join("products.csv"),
            &products_csv(&book, &excluded)?,
        )?;
        let baskets = products::Baskets::of(&book, lines, &excluded);
        for (name, top) in [("pairs.csv", options.top), ("all_pairs.csv", usize::MAX)] {
            let together = products::bought_together(
                &baskets,
                &products::TogetherOptions {
                    min_support: options.min_support,
                    top,
                    ..products::TogetherOptions::default()
                },
            );
            write(&expected.join(name), &pairs_csv(lines, &together)?)?;
        }
    }
    println!(
        "{}: {} orders, SQL and expected results in {}",
        arguments.file.display(),
        book.order_count(),
        arguments.out.display()
    );
    Ok(())
}

fn dialect_folder(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::DuckDb => "duckdb",
        Dialect::Postgres => "postgres",
        Dialect::BigQuery => "bigquery",
        Dialect::Spark => "spark",
    }
}

fn file_stem(query: SqlQuery) -> &'static str {
    match query {
        SqlQuery::ClvSummary => "clv_summary",
        other => other.name(),
    }
}

fn create_dir(path: &Path) -> Result<(), String> {
    std::fs::create_dir_all(path).map_err(|e| format!("cannot create {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// CSV text from rows of fields.
fn csv_text(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<String, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| e.to_string();
    writer.write_record(header).map_err(failed)?;
    for row in rows {
        writer.write_record(&row).map_err(failed)?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

fn orders_csv(book: &OrderBook) -> Result<String, String> {
    let rows = (0..book.order_count()).map(|i| {
        let customer = match book.customer[i] {
            customer_lens::ANONYMOUS => String::new(),
            c => book.customer_ids[c as usize].to_string(),
        };
        vec![
            customer,
            Day(book.day[i]).to_string(),
            book.value[i].to_string(),
            format!("{:?}", book.kind[i]).to_lowercase(),
        ]
    });
    csv_text(
        &["customer_id", "order_date", "order_value", "order_kind"],
        rows,
    )
}

fn rfm_csv(book: &OrderBook, options: &SqlOptions) -> Result<String, String> {
    let table = rfm::score_customers(
        book,
        &RfmOptions {
            as_of: options.as_of,
            bins: options.bins,
            monetary: options.monetary,
            rules: options.rules.clone(),
        },
    )
    .map_err(|e| e.to_string())?;
    let rows = (0..table.len()).map(|i| {
        vec![
            book.customer_ids[table.customer(i) as usize].to_string(),
            table.recency_days[i].to_string(),
            table.frequency[i].to_string(),
            table.monetary()[i].to_string(),
            table.r_score[i].to_string(),
            table.f_score[i].to_string(),
            table.m_score[i].to_string(),
            table.segment_name(i).to_string(),
        ]
    });
    csv_text(&rfm::CSV_HEADER.split(',').collect::<Vec<_>>(), rows)
}

fn cohorts_csv(book: &OrderBook, period: Period) -> Result<String, String> {
    let table = cohort::cohorts(book, period).map_err(|e| e.to_string())?;
    let rows = table.cohorts.iter().flat_map(|c| {
        (0..c.customers.len()).map(move |k| {
            vec![
                Day(c.start).to_string(),
                c.label.clone(),
                c.size.to_string(),
                k.to_string(),
                c.customers[k].to_string(),
                round_to_millionths(c.revenue[k]).to_string(),
                c.orders[k].to_string(),
            ]
        })
    });
    csv_text(
        &[
            "cohort_start",
            "cohort_label",
            "cohort_size",
            "period_index",
            "customers",
            "revenue",
            "orders",
        ],
        rows,
    )
}

fn clv_summary_csv(book: &OrderBook, options: &SqlOptions) -> Result<String, String> {
    let calibration_end = match options.calibration_end {
        Some(day) => day,
        None => Day(purchase_day_range(book)
            .map(|(_, last)| last)
            .ok_or("the file has no purchase by an identified customer")?),
    };
    let summary = calibration_summary(
        book,
        &book.customer_orders(),
        calibration_end.0,
        options.grouping.period_days,
    );
    Ok(GroupedSummary::from_calibration(&summary, &options.grouping).to_csv())
}

fn products_csv(book: &OrderBook, excluded: &products::Excluded) -> Result<String, String> {
    let table = products::products(book, excluded, None).map_err(|e| e.to_string())?;
    let rows = table.products.iter().map(|p| {
        vec![
            p.id.clone(),
            p.category.clone(),
            p.revenue.to_string(),
            p.units.to_string(),
            p.orders.to_string(),
            p.buyers.to_string(),
            p.repeat_buyers.to_string(),
        ]
    });
    csv_text(
        &[
            "product_id",
            "category",
            "revenue",
            "units",
            "orders",
            "buyers",
            "repeat_buyers",
        ],
        rows,
    )
}

fn pairs_csv(lines: &Lines, together: &products::Together) -> Result<String, String> {
    let ids = &lines.products.ids;
    let rows = together.pairs.iter().map(|p| {
        vec![
            ids[p.a as usize].clone(),
            ids[p.b as usize].clone(),
            p.both.to_string(),
            p.support.to_string(),
            p.confidence.to_string(),
            p.lift.to_string(),
        ]
    });
    csv_text(
        &["a", "b", "both_orders", "support", "confidence", "lift"],
        rows,
    )
}
