//! Native benchmark: prints timings (medians of several runs) for ingesting a CSV file and for
//! the analyses on the resulting book. Never part of a test run.
//!
//! `cargo run --release --bin bench -- [FILE.csv|FILE.csv.gz] [--preset NAME] [--runs N]
//! [--customer-ids auto|none|email|phone]`
//! With no file, reads `../shared/data/online-retail.csv.gz` with the `online-retail` preset.

use customer_lens::day::Day;
use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use customer_lens::ingest::{
    IdNormalization, IngestOptions, IngestedBook, OrderBookBuilder, Role, read_csv,
};
use customer_lens::{Filter, clv, cohort, rfm};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut preset = None;
    let mut customer_ids = None;
    let mut runs = 5;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--preset" => preset = args.next(),
            "--customer-ids" => customer_ids = args.next(),
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs),
            _ => path = Some(arg),
        }
    }
    // Without a file: the full Online Retail data beside the repository, with its preset.
    let path = path.unwrap_or_else(|| {
        preset.get_or_insert_with(|| "online-retail".to_string());
        "../shared/data/online-retail.csv.gz".to_string()
    });
    let bytes = read_file(&path);
    let options = IngestOptions {
        preset: preset.map(|name| {
            customer_lens::ingest::columns::preset(&name).unwrap_or_else(|e| panic!("{e}"))
        }),
        customer_id_normalization: customer_ids.map_or(IdNormalization::Auto, |text| {
            IdNormalization::from_keyword(&text)
                .unwrap_or_else(|| panic!("--customer-ids is auto, none, email or phone"))
        }),
        ..IngestOptions::default()
    };
    let megabytes = bytes.len() as f64 / 1e6;
    println!("file: {path} ({megabytes:.1} MB), {runs} runs, medians");

    let (ingest_ms, book) = median_ms(runs, || read_csv(&bytes, &options).expect("readable file"));
    let rows = book.report.rows_read as f64;
    println!(
        "ingest  {ingest_ms:8.1} ms  {:7.1} MB/s  {:6.2} M rows/s  ({} rows, {} orders, {} customers)",
        megabytes / (ingest_ms / 1e3),
        rows / (ingest_ms / 1e3) / 1e6,
        book.report.rows_read,
        book.report.orders,
        book.report.customers
    );
    let (reading, building) = peak_heap_per_order(&bytes, &options);
    println!(
        "heap    peak per order: {reading:.1} B while reading rows, {building:.1} B while building the book"
    );
    attribute_memory(&book, &bytes, &options, building);
    line_cost(&book, &bytes, &options, building, ingest_ms, runs);
    filter_timing(&book, runs);
    let (group_ms, grouped) = median_ms(runs, || book.customer_orders());
    println!("group   {group_ms:8.1} ms  (orders by customer)");
    let (rfm_ms, rfm) = median_ms(runs, || rfm::rfm(&book, &rfm::RfmOptions::default()));
    println!(
        "rfm     {rfm_ms:8.1} ms  ({} customers scored)",
        rfm.map(|r| r.customers).unwrap_or(0)
    );
    let (cohort_ms, _) = median_ms(runs, || cohort::cohorts(&book, cohort::Period::Month));
    println!("cohorts {cohort_ms:8.1} ms  (monthly)");
    let window = cohort::ActiveWindow::store_default(&book, &grouped);
    let (rates_ms, _) = median_ms(runs, || {
        cohort::retention_rates(&book, &grouped, cohort::Period::Month, window)
    });
    let (overview_ms, _) = median_ms(runs, || {
        customer_lens::overview::overview(&book, &grouped, cohort::Period::Month, window)
    });
    println!(
        "overview {overview_ms:7.1} ms  (monthly, W = {} days; of which the retention rates {rates_ms:.1} ms)",
        window.days
    );
    let (clv_ms, clv) = median_ms(runs, || {
        clv::analyze(&book, &grouped, &clv::ClvOptions::default())
    });
    match clv {
        Ok(analysis) => println!(
            "clv     {clv_ms:8.1} ms  (BG/NBD + Gamma-Gamma fit and scoring; iterations: BG/NBD {}, \
             Gamma-Gamma {})",
            analysis.fits.bgnbd.as_ref().map_or(0, |fit| fit.iterations),
            analysis
                .gamma_gamma
                .as_ref()
                .map_or("not fitted".to_string(), |fit| fit.iterations.to_string())
        ),
        Err(error) => println!("clv     failed: {error}"),
    }
    // The page's settings: the best of the three models, penalised when degenerate, intervals.
    let auto = clv::ClvOptions {
        model: clv::ModelRequest::Auto,
        penalizer: clv::Penalizer::WhenDegenerate,
        intervals: true,
        ..clv::ClvOptions::default()
    };
    let (auto_ms, chosen) = median_ms(runs, || clv::analyze(&book, &grouped, &auto));
    match chosen {
        Ok(analysis) => println!(
            "clv page {auto_ms:7.1} ms  (model 'auto': BG/NBD, MBG/NBD and Pareto/NBD fitted, penalised when degenerate, {} chosen; 90% intervals of the totals)\n         {}",
            analysis.model.kind().name(),
            analysis
                .choice
                .as_ref()
                .map_or("", |choice| choice.reason.message.as_str())
        ),
        Err(error) => println!("clv page failed: {error}"),
    }
    println!(
        "bytes → summary + RFM + monthly cohorts: {:.1} ms",
        ingest_ms + rfm_ms + cohort_ms
    );
}

fn read_file(path: &str) -> Vec<u8> {
    if path.ends_with(".gz") {
        let output = Command::new("gzip")
            .arg("-dc")
            .arg(path)
            .output()
            .expect("gzip runs");
        assert!(output.status.success(), "cannot decompress {path}");
        output.stdout
    } else {
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }
}

/// The system allocator, counting the bytes in use and their peak: the heap behind a figure of
/// memory per order (natively; the browser benchmark measures the WASM memory itself).
struct CountingAllocator;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let in_use = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(in_use, Ordering::Relaxed);
        // SAFETY: the caller's layout is passed on unchanged.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Peak heap while reading `bytes` in 1 MB chunks: (while rows are read, while the book is
/// built), each minus the heap in use before, per order of the result.
fn peak_heap_per_order(bytes: &[u8], options: &IngestOptions) -> (f64, f64) {
    peak_heap(bytes, options, false)
}

/// [`peak_heap_per_order`], the builder told the file's size when `sized` (as the page and
/// `fromCsv` do: the columns are then sized once instead of growing).
fn peak_heap(bytes: &[u8], options: &IngestOptions, sized: bool) -> (f64, f64) {
    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut builder = OrderBookBuilder::new(options.clone()).expect("valid options");
    if sized {
        builder.expect_bytes(bytes.len() as u64);
    }
    for chunk in bytes.chunks(1 << 20) {
        builder.push(chunk).expect("readable file");
    }
    let reading = PEAK.swap(IN_USE.load(Ordering::Relaxed), Ordering::Relaxed) - base;
    let book = builder.finish().expect("readable file");
    let building = PEAK.load(Ordering::Relaxed) - base;
    let orders = book.report.orders.max(1) as f64;
    (reading as f64 / orders, building as f64 / orders)
}

/// What the order attributes cost: each one's bytes per order and its dictionary, and the peak
/// heap per order with and without them (the file read again with every attribute role removed).
fn attribute_memory(book: &IngestedBook, bytes: &[u8], options: &IngestOptions, building: f64) {
    if book.attributes.is_empty() {
        println!("attrs   none in this file");
        return;
    }
    for attribute in &book.attributes {
        let dictionary: usize = attribute.values.iter().map(|v| v.len() + 24).sum();
        println!(
            "attrs   {}: {} B per order, {} values ({dictionary} B of dictionary)",
            attribute.key,
            attribute.codes.width(),
            attribute.values.len() - 1
        );
    }
    let mut without = options.clone();
    for role in Role::ATTRIBUTES {
        without.columns.insert(role, "");
    }
    let (_, building_without) = peak_heap_per_order(bytes, &without);
    println!(
        "attrs   peak heap per order while building the book: {building:.1} B with the {} \
         attributes, {building_without:.1} B without ({:.2} B per order per attribute)",
        book.attributes.len(),
        (building - building_without) / book.attributes.len() as f64
    );
}

/// What the line items cost: the file read again without its product columns, the time and
/// the peak heap compared, per line.
fn line_cost(
    book: &IngestedBook,
    bytes: &[u8],
    options: &IngestOptions,
    building: f64,
    ingest_ms: f64,
    runs: usize,
) {
    let Some(lines) = &book.lines else {
        println!("lines   none: the file has no product column");
        return;
    };
    let mut without = options.clone();
    for role in Role::PRODUCT {
        without.columns.insert(role, "");
    }
    let (without_ms, _) = median_ms(runs, || read_csv(bytes, &without).expect("readable file"));
    let (_, building_without) = peak_heap_per_order(bytes, &without);
    let (_, sized) = peak_heap(bytes, options, true);
    let (_, sized_without) = peak_heap(bytes, &without, true);
    let orders = book.order_count() as f64;
    let per_line = |with: f64, without: f64| (with - without) * orders / lines.len().max(1) as f64;
    println!(
        "lines   {} lines, {} products ({} B of lines, {:.2} B per line); ingest {ingest_ms:.1} ms \
         with them, {without_ms:.1} ms without ({:.2}×); peak heap per line more: {:.2} B, \
         {:.2} B with the file's size given",
        lines.len(),
        lines.products.len(),
        lines.bytes(),
        lines.bytes() as f64 / lines.len().max(1) as f64,
        ingest_ms / without_ms,
        per_line(building, building_without),
        per_line(sized, sized_without),
    );
}

/// Switching a filter: the book of the most frequent value of the first attribute (the last
/// quarter of the dates when the file has no attribute), then the summary counts and RFM on it.
fn filter_timing(book: &IngestedBook, runs: usize) {
    let filter = match book.attributes.first() {
        Some(attribute) => {
            let summary =
                customer_lens::attributes::attribute_summaries(book, &book.customer_orders());
            let top = summary[0].values[0].value.clone();
            Filter {
                attributes: vec![(attribute.key.clone(), vec![top])],
                ..Filter::default()
            }
        }
        None => {
            let (first, last) = (book.first_day().unwrap_or(0), book.last_day().unwrap_or(0));
            Filter {
                from: Some(Day(last - (last - first) / 4)),
                ..Filter::default()
            }
        }
    };
    let (filter_ms, kept) = median_ms(runs, || book.filtered(&filter).expect("a known filter"));
    let (summary_ms, _) = median_ms(runs, || {
        let mut report = book.report.clone();
        report.fill_order_counts(&kept);
        report
    });
    let (rfm_ms, _) = median_ms(runs, || rfm::rfm(&kept, &rfm::RfmOptions::default()));
    println!(
        "filter  {filter_ms:8.1} ms  ({:?}: {} of {} orders kept); then summary {summary_ms:.1} ms, \
         RFM {rfm_ms:.1} ms",
        filter
            .attributes
            .first()
            .map_or("last quarter", |(key, _)| key.as_str()),
        kept.order_count(),
        book.order_count()
    );
    // What the page's views ask of the filtered book, one by one.
    let month = customer_lens::cohort::Period::Month;
    let window = customer_lens::cohort::ActiveWindow::store_default(book, &book.customer_orders());
    let (orders_ms, by_customer) = median_ms(runs, || kept.customer_orders());
    let (overview_ms, _) = median_ms(runs, || {
        customer_lens::overview::overview(&kept, &by_customer, month, window)
    });
    let (cohorts_ms, _) = median_ms(runs, || customer_lens::cohort::cohorts(&kept, month));
    let (growth_ms, _) = median_ms(runs, || {
        customer_lens::cohort::growth_accounting(&kept, &by_customer, month)
    });
    let (rates_ms, _) = median_ms(runs, || {
        customer_lens::cohort::retention_rates(&kept, &by_customer, month, window)
    });
    println!(
        "        on the kept orders: customer_orders {orders_ms:.1} ms, overview {overview_ms:.1} ms, \
         cohorts {cohorts_ms:.1} ms, growth {growth_ms:.1} ms, retention rates {rates_ms:.1} ms"
    );
}

/// Runs `work` `runs` times and returns the median time in milliseconds and the last result.
fn median_ms<T>(runs: usize, mut work: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::with_capacity(runs);
    let mut result = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        result = Some(work());
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], result.expect("at least one run"))
}
