//! Native benchmark of a filter switch: the engine's work per view when the page's filter
//! changes on a large book. Prints timings (medians); never part of a test run.
//!
//! `cargo run --release --bin bench_filter -- [--orders 1000000] [--runs 5]`
//!
//! The orders are generated as `www/scripts/bench-filter.mjs` generates them (one row per order,
//! about 2.5 orders per customer over three years, eight countries with a skewed share, six
//! channels); each run adds one more country to the filter, as the page's benchmark does. A view's
//! time is the filtered book plus the analyses the page asks of it for that view.

use std::fmt::Write;
use std::time::Instant;

use customer_lens::Filter;
use customer_lens::book::{CustomerOrders, OrderBook};
use customer_lens::cohort::{self, ActiveWindow, Period};
use customer_lens::ingest::{IngestOptions, IngestedBook, read_csv};
use customer_lens::{lifecycle, overview, rfm};

const COUNTRIES: [&str; 8] = [
    "Vietnam",
    "Thailand",
    "Singapore",
    "Malaysia",
    "Philippines",
    "Indonesia",
    "Cambodia",
    "Laos",
];
const CHANNELS: [&str; 6] = ["web", "app", "marketplace", "pos", "facebook", "zalo"];

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut orders, mut runs) = (1_000_000usize, 5usize);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|n| n.parse().ok());
        match arg.as_str() {
            "--orders" => orders = value.unwrap_or(orders),
            "--runs" => runs = value.unwrap_or(runs),
            _ => panic!("usage: bench_filter [--orders N] [--runs N]"),
        }
    }
    let csv = orders_csv(orders);
    let book = read_csv(csv.as_bytes(), &IngestOptions::default()).expect("a readable file");
    println!(
        "{} orders, {} customers; {runs} switches per view, medians (ms)",
        book.order_count(),
        book.customer_count()
    );
    let by_customer = book.customer_orders();
    let acquired = book.acquisition();
    let window = ActiveWindow::store_default(&book, &by_customer);
    // As the page's benchmark: each switch adds one more country.
    let filtered = |run: usize| {
        let countries = COUNTRIES.iter().take(run % COUNTRIES.len() + 1);
        let filter = Filter {
            attributes: vec![("country".into(), countries.map(|c| c.to_string()).collect())],
            ..Filter::default()
        };
        book.filtered_with(&filter, &acquired, &by_customer)
            .expect("a known filter")
    };
    let views: [(&str, View); 5] = [
        ("filter only", &|_, _, _| ()),
        ("overview", &|whole, kept, by| {
            let mut report = whole.report.clone();
            report.fill_order_counts(kept);
            let _ =
                std::hint::black_box((report, overview::overview(kept, by, Period::Month, window)));
        }),
        ("rfm", &|_, kept, _| {
            let table = rfm::score_customers(kept, &rfm::RfmOptions::default()).unwrap();
            let _ = std::hint::black_box(rfm::summarize(&table));
        }),
        ("cohorts", &|_, kept, by| {
            let month = Period::Month;
            let _ = std::hint::black_box((
                cohort::cohorts(kept, month),
                cohort::growth_accounting(kept, by, month),
                cohort::retention_rates(kept, by, month, window),
            ));
        }),
        ("lifecycle", &|_, kept, by| {
            let options = lifecycle::LifecycleOptions::default();
            let _ =
                std::hint::black_box(lifecycle::lifecycle_report(kept, by, &options).map(|_| ()));
        }),
    ];
    for (name, view) in views {
        let mut filter_ms = Vec::new();
        let mut total_ms = Vec::new();
        for run in 0..runs {
            let start = Instant::now();
            let kept = filtered(run);
            filter_ms.push(start.elapsed().as_secs_f64() * 1e3);
            view(&book, &kept.book, &kept.by_customer);
            total_ms.push(start.elapsed().as_secs_f64() * 1e3);
        }
        println!(
            "{name:12} {:8.1}   (filtered book {:.1})",
            median(total_ms),
            median(filter_ms)
        );
    }
}

/// What a view asks of the filtered book: given the whole book, the kept orders and their
/// grouping by customer.
type View<'a> = &'a dyn Fn(&IngestedBook, &OrderBook, &CustomerOrders);

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// A seeded generator (mulberry32, as the browser benchmark's), so every run reads the same
/// orders.
fn random(seed: u32) -> impl FnMut() -> f64 {
    let mut state = seed;
    move || {
        state = state.wrapping_add(0x6d2b_79f5);
        let mut t = state;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        f64::from(t ^ (t >> 14)) / 4_294_967_296.0
    }
}

fn orders_csv(orders: usize) -> String {
    let mut next = random(15);
    let customers = ((orders as f64 / 2.5).round() as usize).max(1);
    let home: Vec<&str> = (0..customers)
        .map(|_| COUNTRIES[(next().powi(2) * COUNTRIES.len() as f64) as usize])
        .collect();
    let start = customer_lens::Day::from_ymd(2022, 1, 1).expect("a date").0;
    let mut csv = String::from("order_id,customer_id,order_date,amount,country,channel\n");
    for i in 0..orders {
        let customer = (next() * customers as f64) as usize;
        let day = customer_lens::Day(start + (next() * 3.0 * 365.0) as i32);
        let amount = 5.0 + next() * 195.0;
        let channel = CHANNELS[(next() * CHANNELS.len() as f64) as usize];
        let _ = writeln!(
            csv,
            "O{i},C{customer},{day},{amount:.2},{},{channel}",
            home[customer]
        );
    }
    csv
}
