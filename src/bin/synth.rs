//! Writes a synthetic order-lines CSV (Online Retail columns) drawn from the BG/NBD +
//! Gamma-Gamma process itself, so a CLV fit on it can be checked for parameter recovery.
//! Seeded and deterministic: the same arguments always give the same bytes.
//!
//! `cargo run --release --bin synth -- LINES [OUT.csv] [--seed N]` (default: stdout, seed 1).
//! Customers buy with the CDNOW estimates (r 0.243, α 4.414 weeks, a 0.793, b 2.426; spend
//! p 6.25, q 3.74, v 15.44); each order has 1–8 lines; about 2% of orders are followed by a
//! return invoice (`C…`, negative quantity) and 20% of the lines are guest orders without a
//! customer id.

use std::io::{BufWriter, Write};

use customer_lens::clv::synthetic::{Random, SyntheticSpec, generate};
use customer_lens::day::Day;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut lines_wanted: u64 = 0;
    let mut out_path = None;
    let mut seed = 1;
    while let Some(arg) = args.next() {
        if arg == "--seed" {
            seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(seed);
        } else if lines_wanted == 0 {
            lines_wanted = parse_count(&arg);
        } else {
            out_path = Some(arg);
        }
    }
    if lines_wanted == 0 {
        eprintln!("usage: synth LINES [OUT.csv] [--seed N]   (LINES like 100k, 1M, 5000000)");
        std::process::exit(2);
    }
    let sink: Box<dyn Write> = match &out_path {
        Some(path) => Box::new(std::fs::File::create(path)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, sink);
    writeln!(
        out,
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
    )?;

    // Identified orders average ~4.5 lines and customers ~2.6 orders over the 78 weeks, so this
    // many customers gives roughly the lines wanted; batches continue until it is reached.
    let mut random = Random::new(seed ^ 0x5EED);
    let mut written = 0u64;
    let mut invoice = 100_000u64;
    let mut customer_number = 10_000u64;
    let mut batch = 0u64;
    const COUNTRIES: [&str; 4] = ["United Kingdom", "Germany", "France", "Viet Nam"];
    while written < lines_wanted {
        let remaining = lines_wanted - written;
        let spec = SyntheticSpec::cdnow_like(((remaining / 14).max(50)) as usize, seed + batch);
        batch += 1;
        for customer in generate(&spec) {
            customer_number += 1;
            let country = COUNTRIES[(customer_number % 4) as usize];
            for (time, value) in customer.purchase_periods.iter().zip(&customer.values) {
                let day =
                    spec.first_day + (customer.start_days + time * spec.period_days).floor() as i32;
                if day > spec.end_day || written >= lines_wanted {
                    continue;
                }
                let seconds = 8 * 3600 + random.next_u64() % (10 * 3600);
                let stamp = format!(
                    "{} {:02}:{:02}:00",
                    Day(day),
                    seconds / 3600,
                    seconds / 60 % 60
                );
                invoice += 1;
                let lines = 1 + random.next_u64() % 8;
                let line_value = value / lines as f64;
                for line in 0..lines {
                    let quantity = 1 + random.next_u64() % 6;
                    let price = (line_value / quantity as f64 * 100.0).round() / 100.0;
                    writeln!(
                        out,
                        "{invoice},{},ITEM {},{quantity},{stamp},{price:.2},{customer_number}.0,{country}",
                        20_000 + (invoice + line) % 3000,
                        (invoice + line) % 3000
                    )?;
                    written += 1;
                }
                if random.next_u64().is_multiple_of(50) {
                    writeln!(
                        out,
                        "C{invoice},{},ITEM RETURNED,-1,{stamp},{:.2},{customer_number}.0,{country}",
                        20_000 + invoice % 3000,
                        (line_value * 100.0).round() / 100.0
                    )?;
                    written += 1;
                }
                // A guest order beside every few identified ones.
                if random.next_u64().is_multiple_of(5) {
                    invoice += 1;
                    writeln!(out, "{invoice},99999,GUEST ITEM,1,{stamp},9.95,,{country}")?;
                    written += 1;
                }
            }
        }
    }
    out.flush()?;
    eprintln!("wrote {written} order lines (seed {seed})");
    Ok(())
}

/// `100k`, `1M`, `5m`, `250000` → a count.
fn parse_count(text: &str) -> u64 {
    let lower = text.to_ascii_lowercase();
    let (digits, scale) = match lower.chars().last() {
        Some('k') => (&lower[..lower.len() - 1], 1_000),
        Some('m') => (&lower[..lower.len() - 1], 1_000_000),
        _ => (lower.as_str(), 1),
    };
    digits
        .parse::<f64>()
        .map(|n| (n * scale as f64) as u64)
        .unwrap_or(0)
}
