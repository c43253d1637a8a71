//! Times the CLV analysis of a CSV file natively — the default options, then the page's (all
//! three purchase models, penalised when degenerate, intervals) — each fitted from scratch; prints
//! figures, never a test.
//!
//! `cargo run --release --example clv_bench -- FILE.csv [--runs N] [--only default|page]`

use std::time::Instant;

use customer_lens::clv::{self, ClvOptions, ModelRequest, Penalizer};
use customer_lens::ingest::{IngestOptions, read_csv};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut path = String::new();
    let mut runs = 3;
    let mut only = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs),
            "--only" => only = args.next(),
            _ => path = arg,
        }
    }
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let book = read_csv(&bytes, &IngestOptions::default()).expect("readable file");
    let grouped = book.customer_orders();
    let page = ClvOptions {
        model: ModelRequest::Auto,
        penalizer: Penalizer::WhenDegenerate,
        intervals: true,
        ..ClvOptions::default()
    };
    for (name, options) in [("default", ClvOptions::default()), ("page", page)] {
        if only.as_ref().is_some_and(|only| only != name) {
            continue;
        }
        let mut times = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let analysis = clv::analyze(&book, &grouped, &options).expect("a fit");
            times.push(start.elapsed().as_secs_f64() * 1e3);
            if times.len() == 1 {
                let patterns = analysis.fits.bgnbd.as_ref().map_or(0, |fit| fit.patterns);
                let customers = analysis.summary.len();
                println!("{name}: {customers} customers, {patterns} distinct histories");
            }
            std::hint::black_box(analysis);
        }
        times.sort_by(f64::total_cmp);
        println!("{name:8} {:8.1} ms (median of {runs})", times[runs / 2]);
    }
}
