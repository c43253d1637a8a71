//! Reading one file with several workers (see [`crate::ingest::split`]): the range scan, the
//! parts' starts, and `RangeReader`, whose parts travel between workers as bytes.

use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

use super::JsOrderBook;
use super::book::ingest_options;
use crate::ingest::{SNIFF_BYTES, split};

/// Bytes of the file's start every range reader takes as its sample.
#[wasm_bindgen(js_name = splitSampleBytes)]
pub fn split_sample_bytes() -> f64 {
    SNIFF_BYTES as f64
}

/// Where `parts` workers' nominal ranges of a file of `fileBytes` bytes start (fewer for a
/// small file).
#[wasm_bindgen(js_name = splitStarts)]
pub fn split_starts(
    #[wasm_bindgen(js_name = "fileBytes")] file_bytes: f64,
    parts: u32,
) -> Float64Array {
    let starts = split::nominal_starts(file_bytes as u64, parts as usize);
    let starts: Vec<f64> = starts.into_iter().map(|s| s as f64).collect();
    Float64Array::from(&starts[..])
}

/// Where the parts start (record starts), from the nominal `starts` and each range's scan
/// (`RangeScanner.scan()`, three numbers each, laid end to end).
#[wasm_bindgen(js_name = splitPartStarts)]
pub fn split_part_starts(starts: &[f64], scans: &[f64]) -> Float64Array {
    let at = |value: f64| (value >= 0.0).then_some(value as u64);
    let scans: Vec<split::RangeScan> = scans
        .chunks_exact(3)
        .map(|scan| split::RangeScan {
            odd_quotes: scan[0] != 0.0,
            line_start: [at(scan[1]), at(scan[2])],
        })
        .collect();
    let starts: Vec<u64> = starts.iter().map(|&s| s as u64).collect();
    let parts: Vec<f64> = split::part_starts(&starts, &scans)
        .into_iter()
        .map(|s| s as f64)
        .collect();
    Float64Array::from(&parts[..])
}

/// Scans a nominal range pushed in chunks for its quotes and first line starts.
#[wasm_bindgen]
#[derive(Default)]
pub struct RangeScanner {
    inner: split::RangeScanner,
}

#[wasm_bindgen]
impl RangeScanner {
    #[wasm_bindgen(constructor)]
    pub fn new() -> RangeScanner {
        RangeScanner::default()
    }

    pub fn push(&mut self, chunk: &[u8]) {
        self.inner.push(chunk);
    }

    /// `[odd quotes (0 or 1), first line start after even quotes, after odd quotes]`, -1 for
    /// none.
    pub fn scan(&self) -> Float64Array {
        let scan = self.inner.scan();
        let at = |start: Option<u64>| start.map_or(-1.0, |s| s as f64);
        let values = [
            f64::from(u8::from(scan.odd_quotes)),
            at(scan.line_start[0]),
            at(scan.line_start[1]),
        ];
        Float64Array::from(&values[..])
    }
}

/// Reads one byte range of a file: the first range merges the others' parts into the book.
#[wasm_bindgen]
pub struct RangeReader {
    inner: Option<split::RangeReader>,
}

#[wasm_bindgen]
impl RangeReader {
    /// `sample`: the file's first `splitSampleBytes()` bytes; `first`: the range starts the
    /// file. Options as `fromCsv` takes them.
    #[wasm_bindgen(constructor)]
    pub fn new(
        sample: &[u8],
        #[wasm_bindgen(js_name = "fileBytes")] file_bytes: f64,
        first: bool,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "IngestOptions")]
        options_value: JsValue,
    ) -> Result<RangeReader, JsValue> {
        let options = ingest_options(&options_value)?;
        let inner = split::RangeReader::new(&options, sample, file_bytes as u64, first)?;
        Ok(RangeReader { inner: Some(inner) })
    }

    /// Whether the file can be read in ranges (else one reader reads it whole).
    #[wasm_bindgen(getter)]
    pub fn splittable(&self) -> bool {
        self.inner.as_ref().is_some_and(|r| r.splittable())
    }

    /// True when the bytes pushed end between records.
    #[wasm_bindgen(getter)]
    pub fn aligned(&self) -> bool {
        self.inner.as_ref().is_some_and(|r| r.aligned())
    }

    #[wasm_bindgen(getter, js_name = rowsRead)]
    pub fn rows_read(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |r| r.rows_read() as f64)
    }

    #[wasm_bindgen(js_name = expectBytes)]
    pub fn expect_bytes(&mut self, total: f64) {
        if let Some(reader) = &mut self.inner {
            reader.expect_bytes(total.max(0.0) as u64);
        }
    }

    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        self.reader()?.push(chunk);
        Ok(())
    }

    /// The range read, as bytes for the first range's `absorb`; the reader is used up.
    #[wasm_bindgen(js_name = intoPart)]
    pub fn take_part(&mut self) -> Result<Vec<u8>, JsValue> {
        Ok(self
            .inner
            .take()
            .ok_or_else(super::book::finished)?
            .into_partial())
    }

    /// Merges the next range's part (in file order).
    pub fn absorb(&mut self, part: &[u8]) -> Result<(), JsValue> {
        Ok(self.reader()?.absorb(part)?)
    }

    /// The `OrderBook` of the whole file; the reader is used up.
    pub fn finish(&mut self) -> Result<JsOrderBook, JsValue> {
        let reader = self.inner.take().ok_or_else(super::book::finished)?;
        Ok(JsOrderBook::new(reader.finish()?))
    }

    fn reader(&mut self) -> Result<&mut split::RangeReader, JsValue> {
        Ok(self.inner.as_mut().ok_or_else(super::book::finished)?)
    }
}
