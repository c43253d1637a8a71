//! The streaming builder with arbitrary chunk splits gives exactly the whole-file result.
//!
//! Two comparisons: the default builder pushed in random chunks against `read_csv`, and — since
//! files under a megabyte never leave the sniffing stage by default — a builder that decides the
//! file's reading after a few bytes, pushed in random chunks against the same builder fed in one
//! piece. The second reaches the chunk-by-chunk path: decoder carry-over (UTF-8, UTF-16 surrogate
//! pairs, Windows-1258 tone marks), CSV quotes and whitespace columns split across chunks.
#![no_main]

use customer_lens::ingest::{IngestError, IngestOptions, IngestedBook, OrderBookBuilder, read_csv};
use customer_lens_fuzz::{Control, assert_same, check_book, options};
use libfuzzer_sys::fuzz_target;

/// Pushes `file` in chunks whose sizes come from `sizes` (cycled), then finishes.
fn streamed(
    options: &IngestOptions,
    sniff_bytes: Option<usize>,
    file: &[u8],
    sizes: &[usize],
) -> Result<IngestedBook, IngestError> {
    let mut builder = match sniff_bytes {
        Some(n) => OrderBookBuilder::with_sniff_bytes(options.clone(), n)?,
        None => OrderBookBuilder::new(options.clone())?,
    };
    let mut rest = file;
    let mut next = 0;
    while !rest.is_empty() {
        let size = sizes[next % sizes.len()].min(rest.len());
        next += 1;
        let (chunk, after) = rest.split_at(size);
        builder.push(chunk)?;
        rest = after;
    }
    assert_eq!(builder.bytes_pushed(), file.len() as u64);
    builder.finish()
}

fuzz_target!(|data: &[u8]| {
    let mut control = Control::new(data);
    let options = options(&mut control);
    let sniff_bytes = 1 + control.byte() as usize;
    // Chunk sizes 0..=16 (empty pushes included) with an occasional larger one.
    let sizes: Vec<usize> = (0..4)
        .map(|_| match control.byte() {
            b @ 0..=239 => (b % 17) as usize,
            b => 64 * (b - 239) as usize,
        })
        .collect();
    let sizes: Vec<usize> = if sizes.iter().all(|&s| s == 0) {
        vec![1]
    } else {
        sizes
    };
    let file = control.rest();

    let whole = read_csv(file, &options);
    if let Ok(book) = &whole {
        check_book(book);
    }
    assert_same(
        &whole,
        &streamed(&options, None, file, &sizes),
        "default sniff",
    );

    let one_piece = streamed(&options, Some(sniff_bytes), file, &[file.len().max(1)]);
    if let Ok(book) = &one_piece {
        check_book(book);
    }
    let chunked = streamed(&options, Some(sniff_bytes), file, &sizes);
    assert_same(&one_piece, &chunked, "small sniff");
});
