//! Writes a synthetic order CSV drawn from the BG/NBD + Gamma-Gamma process itself, so a CLV fit
//! on it can be checked for parameter recovery. Seeded and deterministic: the same arguments
//! always give the same bytes.
//!
//! `cargo run --release --bin synth -- ROWS [OUT.csv] [--seed N] [--shape lines|orders]
//! [--no-order-id]` (default: stdout, seed 1, shape `lines`).
//!
//! - `lines` (Online Retail columns): customers buy with the CDNOW estimates (r 0.243, α 4.414
//!   weeks, a 0.793, b 2.426; spend p 6.25, q 3.74, v 15.44); each order has 1–8 lines; about 2%
//!   of orders are followed by a return invoice (`C…`, negative quantity) and 20% of the lines
//!   are guest orders without a customer id.
//! - `orders` (a store's order list: `order_id,customer_id,order_date,amount`, one row per
//!   order): the same purchase process, slowed to a period of 8.5 days, with customers acquired
//!   evenly over the three years the file covers: about 396,000 customers per million orders, integer ids (customers numbered by their
//!   first order), rows ordered by date. A customer buys at most once a day, so the file read
//!   without its order id column (`--no-order-id`: orders keyed by customer and date) has the
//!   same orders.

use std::io::{BufWriter, Write};

use customer_lens::clv::synthetic::{Random, SyntheticSpec, generate};
use customer_lens::day::Day;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut rows_wanted: u64 = 0;
    let mut out_path = None;
    let mut seed = 1;
    let mut shape = String::from("lines");
    let mut order_ids = true;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(seed),
            "--shape" => shape = args.next().unwrap_or_default(),
            "--no-order-id" => order_ids = false,
            _ if rows_wanted == 0 => rows_wanted = parse_count(&arg),
            _ => out_path = Some(arg),
        }
    }
    if rows_wanted == 0 || !["lines", "orders"].contains(&shape.as_str()) {
        eprintln!(
            "usage: synth ROWS [OUT.csv] [--seed N] [--shape lines|orders] [--no-order-id]   \
             (ROWS like 100k, 1M, 5000000)"
        );
        std::process::exit(2);
    }
    let sink: Box<dyn Write> = match &out_path {
        Some(path) => Box::new(std::fs::File::create(path)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, sink);
    if shape == "orders" {
        write_orders(&mut out, rows_wanted, seed, order_ids)?;
    } else {
        write_lines(&mut out, rows_wanted, seed)?;
    }
    out.flush()
}

/// Online Retail-shaped order lines: several lines per order, returns, guest orders.
fn write_lines(out: &mut impl Write, lines_wanted: u64, seed: u64) -> std::io::Result<()> {
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
    eprintln!("wrote {written} order lines (seed {seed})");
    Ok(())
}

/// Customers generated per order still wanted, in batches of the `orders` shape (about what a
/// batch turns out to give: a million orders come from about 396,000 customers, as in the store
/// export this shape stands for).
const CUSTOMERS_PER_ORDER: f64 = 0.393;

/// One row per order, ordered by date: see the module's documentation.
fn write_orders(
    out: &mut impl Write,
    orders_wanted: u64,
    seed: u64,
    order_ids: bool,
) -> std::io::Result<()> {
    let first_day = Day::from_ymd(2022, 1, 1).map_or(18_993, |day| day.0);
    // (day, customer in order of generation, cents) of every order.
    let mut orders: Vec<(i32, u32, u64)> = Vec::with_capacity(orders_wanted as usize);
    let mut customers = 0u32;
    let mut batch = 0;
    while (orders.len() as u64) < orders_wanted {
        let remaining = orders_wanted - orders.len() as u64;
        let mut spec = SyntheticSpec::cdnow_like(
            ((remaining as f64 * CUSTOMERS_PER_ORDER) as usize).max(50),
            seed + batch,
        );
        batch += 1;
        spec.first_day = first_day;
        spec.acquisition_days = 3 * 365;
        spec.period_days = 8.5;
        spec.end_day = first_day + 3 * 365 - 1;
        for customer in generate(&spec) {
            let mut last_day = i32::MIN;
            for (time, value) in customer.purchase_periods.iter().zip(&customer.values) {
                let day =
                    spec.first_day + (customer.start_days + time * spec.period_days).floor() as i32;
                if day > spec.end_day || day == last_day || orders.len() as u64 >= orders_wanted {
                    continue;
                }
                last_day = day;
                orders.push((day, customers, (value * 100.0).round().max(1.0) as u64));
            }
            customers += 1;
        }
    }
    // By date; a customer's number is the rank of their first order.
    orders.sort_unstable_by_key(|&(day, customer, _)| (day, customer));
    let mut number = vec![u32::MAX; customers as usize];
    let mut next = 0;
    for (_, customer, _) in &mut orders {
        let slot = &mut number[*customer as usize];
        if *slot == u32::MAX {
            *slot = next;
            next += 1;
        }
        *customer = *slot;
    }
    writeln!(
        out,
        "{}customer_id,order_date,amount",
        if order_ids { "order_id," } else { "" }
    )?;
    let mut date = (i32::MIN, String::new());
    for (i, &(day, customer, cents)) in orders.iter().enumerate() {
        if day != date.0 {
            date = (day, Day(day).to_string());
        }
        if order_ids {
            write!(out, "{},", 100_001 + i)?;
        }
        // Customer numbers start at 10001 and skip every ninth (accounts that never ordered).
        let id = 10_001 + customer as u64 + customer as u64 / 8;
        writeln!(out, "{id},{},{}.{:02}", date.1, cents / 100, cents % 100)?;
    }
    eprintln!(
        "wrote {} orders of {next} customers (seed {seed}{})",
        orders.len(),
        if order_ids { "" } else { ", no order id" }
    );
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
