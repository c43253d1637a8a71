//! The CLV fit from a grouped summary at warehouse scale: simulates N CDNOW-like customers (50
//! million by default) from the models, groups their calibration summary as the `clvSummary`
//! SQL does, writes the file, reads it back and fits BG/NBD and Gamma-Gamma with weights.
//! Prints the file size, the rows, each step's time and the estimates next to the true
//! parameters. A benchmark: never part of a test run.
//!
//! ```text
//! cargo run --release -p customer-lens-sql --bin grouped_summary -- [--customers 50000000] [--out FILE.csv]
//!     [--time day|period] [--digits N] [--seed S]
//! ```
//!
//! Customers are simulated in blocks of a million (seeds `S`, `S + 1`, …) and folded into the
//! groups as they come, so memory stays at the size of the groups. The WASM fit of the same file
//! is timed by `node tests/sql/fit-grouped.mjs FILE.csv` once `pkg/` is built.

use std::time::Instant;

use customer_lens::clv::bgnbd::BgNbdParams;
use customer_lens::clv::gamma_gamma::GammaGammaParams;
use customer_lens::clv::synthetic::{self, SyntheticCustomer, SyntheticSpec};
use customer_lens_sql::sql::grouped::Grouper;
use customer_lens_sql::sql::{GroupedSummary, GroupingOptions, TimeGrouping};

const BLOCK: usize = 1_000_000;

struct Arguments {
    customers: usize,
    out: String,
    grouping: GroupingOptions,
    seed: u64,
}

fn arguments() -> Result<Arguments, String> {
    let mut parsed = Arguments {
        customers: 50_000_000,
        out: std::env::temp_dir()
            .join("grouped-summary.csv")
            .to_string_lossy()
            .into_owned(),
        grouping: GroupingOptions::default(),
        seed: 2005,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
        let number = |text: &str| -> Result<u64, String> {
            text.replace('_', "")
                .parse()
                .map_err(|_| format!("{arg}: '{text}' is not a whole number"))
        };
        match arg.as_str() {
            "--customers" => parsed.customers = number(&value)? as usize,
            "--out" => parsed.out = value,
            "--time" => {
                parsed.grouping.time = match value.as_str() {
                    "day" => TimeGrouping::Day,
                    "period" => TimeGrouping::Period,
                    _ => return Err(format!("--time is day or period, got '{value}'")),
                }
            }
            "--digits" => parsed.grouping.monetary_digits = Some(number(&value)? as u32),
            "--seed" => parsed.seed = number(&value)?,
            _ => return Err(format!("unknown argument '{arg}'")),
        }
    }
    Ok(parsed)
}

/// A simulated customer's calibration summary on days, as `calibration_summary` computes it from
/// the order book `synthetic::order_book` would build: purchases on their day (values rounded to
/// cents), one purchase per day, up to `spec.end_day`. `(x, t_x days, T days, m̄)`, or `None`
/// when the first purchase falls after the end.
fn day_summary(spec: &SyntheticSpec, customer: &SyntheticCustomer) -> Option<(u32, f64, f64, f64)> {
    let mut first_day = None;
    let mut current_day = 0;
    let mut count = 0u32;
    let mut repeat_value = 0.0;
    for (time, value) in customer.purchase_periods.iter().zip(&customer.values) {
        let day = spec.first_day + (customer.start_days + time * spec.period_days).floor() as i32;
        if day > spec.end_day {
            break;
        }
        let value = (value * 100.0).round() / 100.0;
        match first_day {
            None => {
                first_day = Some(day);
                current_day = day;
                count = 1;
            }
            Some(first) => {
                if day != current_day {
                    current_day = day;
                    count += 1;
                }
                if day != first {
                    repeat_value += value;
                }
            }
        }
    }
    let first = first_day?;
    let repeats = count.saturating_sub(1);
    let monetary = if repeats > 0 {
        repeat_value / repeats as f64
    } else {
        0.0
    };
    Some((
        repeats,
        (current_day - first) as f64,
        (spec.end_day - first) as f64,
        monetary,
    ))
}

fn main() {
    let arguments = match arguments() {
        Ok(arguments) => arguments,
        Err(message) => {
            eprintln!("grouped_summary: {message}");
            std::process::exit(2);
        }
    };
    let Arguments {
        customers,
        out,
        grouping,
        seed,
    } = arguments;
    let truth = SyntheticSpec::cdnow_like(0, seed);
    println!(
        "{customers} CDNOW-like customers (BG/NBD r {}, alpha {}, a {}, b {}; Gamma-Gamma p {}, q {}, v {}), \
         78 weeks; t_x and T in {}, m̄ {}",
        truth.bgnbd.r,
        truth.bgnbd.alpha,
        truth.bgnbd.a,
        truth.bgnbd.b,
        truth.gamma_gamma.p,
        truth.gamma_gamma.q,
        truth.gamma_gamma.v,
        match grouping.time {
            TimeGrouping::Day => "days".to_string(),
            TimeGrouping::Period =>
                format!("the centre of their {}-day period", grouping.period_days),
        },
        grouping
            .monetary_digits
            .map_or("to millionths".to_string(), |d| format!(
                "to {d} significant digits"
            )),
    );

    let started = Instant::now();
    let mut grouper = Grouper::new(grouping);
    let mut done = 0;
    let mut block = 0;
    while done < customers {
        let size = BLOCK.min(customers - done);
        let spec = SyntheticSpec::cdnow_like(size, seed + block);
        for customer in synthetic::generate(&spec) {
            if let Some((x, recency, age, monetary)) = day_summary(&spec, &customer) {
                grouper.add(x, recency, age, monetary);
            }
        }
        done += size;
        block += 1;
    }
    let summary = grouper.finish();
    let simulated = started.elapsed();

    let text = summary.to_csv();
    if let Err(error) = std::fs::write(&out, &text) {
        eprintln!("grouped_summary: cannot write {out}: {error}");
        std::process::exit(1);
    }
    println!(
        "simulated and grouped in {:.1} s: {} rows ({} BG/NBD, {} Gamma-Gamma), {:.2} MB → {out}",
        simulated.as_secs_f64(),
        summary.rows(),
        summary.bgnbd.customers.len(),
        summary.gamma_gamma.customers.len(),
        text.len() as f64 / 1e6
    );

    let started = Instant::now();
    let read = match GroupedSummary::parse(&text) {
        Ok(read) => read,
        Err(error) => {
            eprintln!("grouped_summary: the file does not read back: {error}");
            std::process::exit(1);
        }
    };
    let parsed = started.elapsed();
    let started = Instant::now();
    let bgnbd = read.fit_bgnbd(grouping.period_days);
    let bgnbd_time = started.elapsed();
    let started = Instant::now();
    let gamma_gamma = read.fit_gamma_gamma();
    let gamma_gamma_time = started.elapsed();
    println!(
        "native: read {:.3} s, BG/NBD fit {:.3} s, Gamma-Gamma fit {:.3} s",
        parsed.as_secs_f64(),
        bgnbd_time.as_secs_f64(),
        gamma_gamma_time.as_secs_f64()
    );
    match bgnbd {
        Ok(fit) => {
            let BgNbdParams { r, alpha, a, b } = fit.params;
            println!(
                "BG/NBD: r {r:.4}, alpha {alpha:.4}, a {a:.4}, b {b:.4} ({} customers, {} \
                 patterns, converged {})",
                fit.customers, fit.patterns, fit.converged
            );
        }
        Err(error) => println!("BG/NBD: {error}"),
    }
    match gamma_gamma {
        Ok(fit) => {
            let GammaGammaParams { p, q, v } = fit.params;
            println!(
                "Gamma-Gamma: p {p:.4}, q {q:.4}, v {v:.4} ({} customers, converged {})",
                fit.customers, fit.converged
            );
        }
        Err(error) => println!("Gamma-Gamma: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use customer_lens::clv::summary::calibration_summary;

    #[test]
    fn streaming_summary_equals_the_order_book_pipeline() {
        let spec = SyntheticSpec::cdnow_like(3_000, 7);
        let book = synthetic::order_book(&spec);
        let summary = calibration_summary(&book, &book.customer_orders(), spec.end_day, 7.0);
        for grouping in [
            GroupingOptions::default(),
            GroupingOptions {
                time: TimeGrouping::Period,
                period_days: 7.0,
                monetary_digits: Some(3),
            },
        ] {
            let expected = GroupedSummary::from_calibration(&summary, &grouping);
            let mut grouper = Grouper::new(grouping);
            for customer in synthetic::generate(&spec) {
                if let Some((x, recency, age, monetary)) = day_summary(&spec, &customer) {
                    grouper.add(x, recency, age, monetary);
                }
            }
            assert_eq!(grouper.finish(), expected, "{grouping:?}");
        }
    }
}
