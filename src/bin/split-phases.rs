//! Where the time of reading one file in ranges goes, natively: one pass against the ranges
//! read one after another (each range's reading, handing it on as bytes, the merge, the
//! finish), so the merge's share of a parallel read can be judged. Prints figures.
//!
//! `cargo run --release --bin split-phases -- FILE.csv [PARTS]`

use customer_lens::ingest::split::{RangeReader, nominal_starts, part_starts, scan_ranges};
use customer_lens::ingest::{IngestOptions, SNIFF_BYTES, read_csv};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: split-phases FILE.csv [PARTS]");
    let parts: usize = args
        .next()
        .map_or(2, |p| p.parse().expect("a number of parts"));
    let bytes = std::fs::read(&path).expect("a readable file");
    let options = IngestOptions::default();
    let ms = |since: Instant| since.elapsed().as_secs_f64() * 1000.0;

    let start = Instant::now();
    let whole = read_csv(&bytes, &options).expect("a readable file");
    println!(
        "one pass: {:.0} ms, {} orders",
        ms(start),
        whole.order_count()
    );
    drop(whole);

    let start = Instant::now();
    let starts = nominal_starts(bytes.len() as u64, parts);
    let scans = scan_ranges(&bytes, &starts);
    let cuts = part_starts(&starts, &scans);
    println!("scans: {:.0} ms in all", ms(start));
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let mut first = None;
    let mut handed = Vec::new();
    for (i, &s) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).map_or(bytes.len() as u64, |&e| e);
        let start = Instant::now();
        let mut reader = RangeReader::new(&options, sample, bytes.len() as u64, i == 0).unwrap();
        reader.expect_bytes(end - s);
        reader.push(&bytes[s as usize..end as usize]);
        let read = ms(start);
        if i == 0 {
            println!("range 0: read {read:.0} ms");
            first = Some(reader);
        } else {
            let start = Instant::now();
            let part = reader.into_partial();
            println!(
                "range {i}: read {read:.0} ms, into bytes {:.0} ms, {} bytes",
                ms(start),
                part.len()
            );
            handed.push(part);
        }
    }
    let mut first = first.unwrap();
    let start = Instant::now();
    for part in &handed {
        first.absorb(part).unwrap();
    }
    println!("absorb: {:.0} ms", ms(start));
    let start = Instant::now();
    let book = first.finish().unwrap();
    println!("finish: {:.0} ms, {} orders", ms(start), book.order_count());
}
