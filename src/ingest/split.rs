//! Reading one file with several workers: each reads a byte range of it, the ranges cut at
//! record starts, and the first worker merges the others' parts into the book one pass over the
//! file would have built. No memory is shared: parts travel as bytes.
//!
//! 1. Each worker scans its nominal range ([`nominal_starts`]) for quotes and line breaks
//!    ([`scan_range`]): the number of quotes before a line break says whether it ends a record
//!    or sits inside a quoted field, and the ranges' quote counts add up to tell each range
//!    where its first record starts ([`part_starts`]), without anyone reading the file twice
//!    in a row.
//! 2. Each worker reads its part with a [`RangeReader`], all deciding encoding, delimiter,
//!    header and columns from the same first bytes of the file, and checks that its part ended
//!    between records ([`RangeReader::aligned`]) — quote counting is a guess that a stray quote
//!    can defeat; a part that did not is the signal to read the file whole instead.
//! 3. The first worker merges the parts ([`RangeReader::absorb`]): customers, orders that
//!    straddle a cut or come back later in the file, attribute values, contacts and line items
//!    joined; row numbers of rejected rows counted from the file's start.

pub use super::builder::RangeReader;
use super::{IngestError, IngestOptions, IngestedBook, SNIFF_BYTES};

/// What a worker finds in its nominal range before reading it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RangeScan {
    /// An odd number of quote bytes in the range.
    pub odd_quotes: bool,
    /// Offsets in the range just past its first `\n` preceded by an even number of the
    /// range's quotes (`[0]`), and by an odd number (`[1]`).
    pub line_start: [Option<u64>; 2],
}

/// Scans a range for [`RangeScan`].
pub fn scan_range(bytes: &[u8]) -> RangeScan {
    let mut scanner = RangeScanner::default();
    scanner.push(bytes);
    scanner.scan()
}

/// Scans a range pushed in chunks, eight bytes at a time.
#[derive(Default)]
pub struct RangeScanner {
    quotes: u64,
    line_start: [Option<u64>; 2],
    /// Bytes pushed so far.
    offset: u64,
}

impl RangeScanner {
    pub fn push(&mut self, bytes: &[u8]) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        // The high bit of each byte of `word` equal to `byte`.
        let equal = |word: u64, byte: u8| {
            let y = word ^ (u64::from(byte) * ONES);
            !(((y & LOW7) + LOW7) | y) & HIGHS
        };
        let mut words = bytes.chunks_exact(8);
        let mut base = 0usize;
        for word in &mut words {
            let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            let quote_bits = equal(word, b'"');
            if self.line_start.iter().all(Option::is_some) {
                self.quotes += u64::from(quote_bits.count_ones());
            } else {
                let mut stops = quote_bits | equal(word, b'\n');
                while stops != 0 {
                    let i = base + (stops.trailing_zeros() / 8) as usize;
                    stops &= stops - 1;
                    self.at_stop(bytes[i], i);
                }
            }
            base += 8;
        }
        for (i, &byte) in words.remainder().iter().enumerate() {
            self.at_stop(byte, base + i);
        }
        self.offset += bytes.len() as u64;
    }

    fn at_stop(&mut self, byte: u8, i: usize) {
        match byte {
            b'"' => self.quotes += 1,
            b'\n' => {
                let after = self.offset + i as u64 + 1;
                self.line_start[(self.quotes & 1) as usize].get_or_insert(after);
            }
            _ => {}
        }
    }

    pub fn scan(&self) -> RangeScan {
        RangeScan {
            odd_quotes: self.quotes & 1 == 1,
            line_start: self.line_start,
        }
    }
}

/// Where `parts` workers' nominal ranges of a file of `file_bytes` start: evenly apart, the
/// first range holding at least the sample every worker reads the header from. Fewer ranges
/// (at least one) when the file is too small for that many.
pub fn nominal_starts(file_bytes: u64, parts: usize) -> Vec<u64> {
    let parts = parts.max(1) as u64;
    let sample = SNIFF_BYTES as u64;
    let parts = parts.min((file_bytes / sample).max(1));
    (0..parts)
        .map(|i| if i == 0 { 0 } else { file_bytes * i / parts })
        .collect()
}

/// Where the parts start, from the nominal ranges' starts and their scans (`starts[0]` is 0):
/// each range's first line break after which its quotes so far, with those of the ranges before
/// it, are even. A range without one joins the range before it.
pub fn part_starts(starts: &[u64], scans: &[RangeScan]) -> Vec<u64> {
    let mut parts = vec![0];
    let mut odd = false;
    for i in 1..starts.len().min(scans.len()) {
        odd ^= scans[i - 1].odd_quotes;
        if let Some(offset) = scans[i].line_start[usize::from(odd)] {
            parts.push(starts[i] + offset);
        }
    }
    parts
}

/// The scans of the ranges of `bytes` that start at `starts`, as the workers make them.
pub fn scan_ranges(bytes: &[u8], starts: &[u64]) -> Vec<RangeScan> {
    let ends = starts.iter().skip(1).copied().chain([bytes.len() as u64]);
    starts
        .iter()
        .zip(ends)
        .map(|(&start, end)| scan_range(&bytes[start as usize..end as usize]))
        .collect()
}

/// Reads a file held in memory as `starts.len()` workers would (ranges from its nominal
/// `starts`), one range after another: `None` when the file cannot be read in ranges or a cut
/// fell inside a record (then it is read whole). For tests and benchmarks: the browser reads the
/// ranges in parallel.
pub fn read_csv_in_ranges(
    bytes: &[u8],
    options: &IngestOptions,
    starts: &[u64],
) -> Result<Option<IngestedBook>, IngestError> {
    let scans = scan_ranges(bytes, starts);
    let parts = part_starts(starts, &scans);
    read_parts(bytes, options, &parts)
}

/// Reads the parts that start at `parts` (record starts, the first 0) apart and merges them.
pub fn read_parts(
    bytes: &[u8],
    options: &IngestOptions,
    parts: &[u64],
) -> Result<Option<IngestedBook>, IngestError> {
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let file_bytes = bytes.len() as u64;
    let mut first = None;
    let mut rest = Vec::new();
    for (i, &start) in parts.iter().enumerate() {
        let end = parts.get(i + 1).map_or(file_bytes, |&end| end);
        let mut reader = RangeReader::new(options, sample, file_bytes, i == 0)?;
        if !reader.splittable() {
            return Ok(None);
        }
        reader.expect_bytes(end - start);
        reader.push(&bytes[start as usize..end as usize]);
        if end < file_bytes && !reader.aligned() {
            return Ok(None);
        }
        match i {
            0 => first = Some(reader),
            _ => rest.push(reader.into_partial()),
        }
    }
    let mut first = first.expect("a first part");
    for part in &rest {
        first.absorb(part)?;
    }
    first.finish().map(Some)
}
