//! Orders a host page already holds, read in place: `OrderBook.fromRows` (an array of plain
//! objects) and `OrderBook.fromColumns` (an object of equal-length arrays).
//!
//! A call from WebAssembly into JavaScript per field (get, type test, copy of a string, release)
//! cost more than reading the row, so a few lines of JavaScript read a few thousand rows at a
//! time at the columns some rule needs: numbers into a `Float64Array`, texts laid end to end in one
//! string, and each field's kind and length. The rows then go one by one into the CSV path's
//! rules (see [`crate::ingest::read_row_source`]): no table of all rows in between.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::ingest::{RowFields, RowSource, SAMPLE_ROWS};
use crate::message::{Code, Message};

#[wasm_bindgen(inline_js = r#"
const NUMBER = -1;
const EMPTY = -2;

/**
 * Reads rows start..end: of `source`, an array of objects, at the keys of `sources` that
 * `wanted` marks; or, when `columns`, of those arrays of `sources` (`source` is then unused).
 * Each field's kind goes to `kinds` (NUMBER, EMPTY or the UTF-16 length of its text), a number
 * to `numbers`, a text to the string returned. Returns instead the index of a row that is not an
 * object.
 */
export function gatherFields(source, columns, sources, wanted, start, end, numbers, kinds) {
  const picks = sources.filter((_, k) => wanted[k]);
  const width = picks.length;
  let text = '';
  let at = 0;
  for (let i = start; i < end; i++) {
    const row = columns ? undefined : source[i];
    if (!columns && (typeof row !== 'object' || row === null)) return i;
    for (let k = 0; k < width; k++, at++) {
      let value = columns ? picks[k][i] : row[picks[k]];
      if (typeof value === 'number') {
        numbers[at] = value;
        kinds[at] = NUMBER;
        continue;
      }
      if (value === null || value === undefined) {
        kinds[at] = EMPTY;
        continue;
      }
      if (typeof value !== 'string') value = textOf(value);
      text += value;
      kinds[at] = value.length;
    }
  }
  return text;
}

/** A value as a CSV file would write it: a date in ISO 8601, anything else as JSON. */
function textOf(value) {
  if (value instanceof Date) return isNaN(value) ? 'Invalid Date' : value.toISOString();
  if (typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/**
 * The union of the keys of rows 0..count in first-seen order, as [names, keys, lengths] (the
 * keys being the names, the lengths the rows'); or the index of a row that is not an object.
 */
export function keysOf(rows, count) {
  const keys = new Set();
  for (let i = 0; i < count; i++) {
    const row = rows[i];
    if (typeof row !== 'object' || row === null) return i;
    for (const key of Object.keys(row)) keys.add(key);
  }
  const names = [...keys];
  return [names, names, names.map(() => rows.length)];
}

/**
 * The columns of an object of columns as [names, arrays, lengths], a length -1 for a value that
 * is neither an array nor a typed array; or -1 for something else than a plain object.
 */
export function columnsOf(object) {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return -1;
  const names = Object.keys(object);
  const columns = names.map((name) => object[name]);
  const isList = (c) => Array.isArray(c) || (ArrayBuffer.isView(c) && !(c instanceof DataView));
  return [names, columns, columns.map((c) => (isList(c) ? c.length : -1))];
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = gatherFields)]
    fn gather_fields(
        source: &JsValue,
        columns: bool,
        sources: &JsValue,
        wanted: &[u8],
        start: u32,
        end: u32,
        numbers: &mut [f64],
        kinds: &mut [i32],
    ) -> JsValue;

    #[wasm_bindgen(js_name = keysOf)]
    fn keys_of(rows: &JsValue, count: u32) -> JsValue;

    #[wasm_bindgen(js_name = columnsOf)]
    fn columns_of(columns: &JsValue) -> JsValue;
}

/// A field's kind in `gatherFields`' `kinds` (otherwise the UTF-16 length of its text).
const NUMBER: i32 = -1;
const EMPTY: i32 = -2;
/// Rows read per call into JavaScript.
const CHUNK_ROWS: usize = 4096;

/// A host's orders: rows of objects or columns, read a chunk at a time.
pub(super) struct HostRows {
    headers: Vec<String>,
    count: usize,
    /// The array of objects, or `undefined` for columns.
    rows: JsValue,
    /// An array with, per header, its key (objects) or its array (columns).
    sources: JsValue,
    chunk: Chunk,
}

/// Rows `start..end` as `gatherFields` wrote them, for the columns `wanted` marks.
#[derive(Default)]
struct Chunk {
    start: usize,
    end: usize,
    wanted: Vec<u8>,
    /// Fields per row: the wanted columns.
    width: usize,
    /// Per field, its kind (see `gatherFields`), its number and the byte range of its text.
    kinds: Vec<i32>,
    numbers: Vec<f64>,
    text: String,
    text_ends: Vec<usize>,
}

impl HostRows {
    /// An array of plain objects: the header is the union of the keys of the rows that decide
    /// the rules ([`SAMPLE_ROWS`], as a CSV file's first rows do), in first-seen order; later
    /// rows' other keys are not read.
    pub fn objects(rows: Array) -> Result<HostRows, Message> {
        let header = keys_of(&rows, rows.length().min(SAMPLE_ROWS as u32));
        if let Some(index) = header.as_f64() {
            return Err(not_an_object(index as usize));
        }
        HostRows::new(rows.into(), header)
    }

    /// An object of columns: each key a column name, each value an array (or a typed array)
    /// of one value per order, all of the same length.
    pub fn columns(value: &JsValue) -> Result<HostRows, Message> {
        let header = columns_of(value);
        if header.as_f64().is_some() {
            return Err(Message::new(
                Code::COLUMNS_NOT_AN_OBJECT,
                "fromColumns takes an object of columns such as { customer: ['C1', 'C2'], \
                 date: ['2024-03-31', '2024-04-02'], total: [120, 80] }",
            ));
        }
        HostRows::new(JsValue::UNDEFINED, header)
    }

    /// From `[names, sources, lengths]` (see `keysOf` and `columnsOf`).
    fn new(rows: JsValue, header: JsValue) -> Result<HostRows, Message> {
        let header = Array::from(&header);
        let headers: Vec<String> = Array::from(&header.get(0))
            .iter()
            .map(|name| name.as_string().unwrap_or_default())
            .collect();
        let lengths: Vec<f64> = Array::from(&header.get(2))
            .iter()
            .map(|length| length.as_f64().unwrap_or(-1.0))
            .collect();
        for (name, &length) in headers.iter().zip(&lengths) {
            if length < 0.0 {
                return Err(not_a_list(name));
            }
            if length != lengths[0] {
                return Err(wrong_length(name, length, &headers[0], lengths[0]));
            }
        }
        Ok(HostRows {
            headers,
            count: lengths.first().map_or(0, |&length| length as usize),
            rows,
            sources: header.get(1),
            chunk: Chunk::default(),
        })
    }

    /// Reads the chunk of rows from `start` at the `wanted` columns.
    fn gather(&mut self, start: usize, wanted: &[bool]) -> Result<(), Message> {
        let chunk = &mut self.chunk;
        chunk.wanted.clear();
        chunk.wanted.extend(wanted.iter().map(|&w| w as u8));
        let end = (start + CHUNK_ROWS).min(self.count);
        let width = wanted.iter().filter(|&&w| w).count();
        let fields = (end - start) * width;
        chunk.kinds.resize(fields, EMPTY);
        chunk.numbers.resize(fields, 0.0);
        let text = gather_fields(
            &self.rows,
            self.rows.is_undefined(),
            &self.sources,
            &chunk.wanted,
            start as u32,
            end as u32,
            &mut chunk.numbers,
            &mut chunk.kinds,
        );
        let Some(text) = text.as_string() else {
            chunk.end = 0;
            return Err(not_an_object(text.as_f64().unwrap_or(0.0) as usize));
        };
        (chunk.start, chunk.end, chunk.width, chunk.text) = (start, end, width, text);
        chunk.find_text_ends();
        Ok(())
    }
}

impl Chunk {
    /// The byte end of each field's text in `text`, from the UTF-16 lengths JavaScript gives.
    fn find_text_ends(&mut self) {
        let ascii = self.text.is_ascii();
        let mut chars = self.text.chars();
        let mut end = 0;
        self.text_ends.clear();
        for &kind in &self.kinds {
            if let Ok(units) = usize::try_from(kind) {
                if ascii {
                    end += units;
                } else {
                    let mut left = units;
                    while left > 0
                        && let Some(c) = chars.next()
                    {
                        left = left.saturating_sub(c.len_utf16());
                        end += c.len_utf8();
                    }
                }
            }
            self.text_ends.push(end);
        }
    }
}

impl RowSource for HostRows {
    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn row_count(&self) -> usize {
        self.count
    }

    fn read(&mut self, index: usize, wanted: &[bool], row: &mut RowFields) -> Result<(), Message> {
        let same_columns = || {
            self.chunk
                .wanted
                .iter()
                .zip(wanted)
                .all(|(&a, &b)| (a != 0) == b)
        };
        if !(self.chunk.start..self.chunk.end).contains(&index) || !same_columns() {
            self.gather(index, wanted)?;
        }
        let chunk = &self.chunk;
        let mut at = (index - chunk.start) * chunk.width;
        for &wanted in wanted {
            if !wanted {
                row.push("");
                continue;
            }
            match chunk.kinds[at] {
                NUMBER => row.push_number(chunk.numbers[at]),
                EMPTY => row.push(""),
                _ => {
                    let start = if at == 0 { 0 } else { chunk.text_ends[at - 1] };
                    row.push(&chunk.text[start..chunk.text_ends[at]]);
                }
            }
            at += 1;
        }
        Ok(())
    }
}

fn not_an_object(index: usize) -> Message {
    let text = format!(
        "row {} is not an object: hand over an array of plain objects such as \
         {{ customer: 'C1', date: '2024-03-31', amount: 120 }}",
        index + 1
    );
    Message::new(Code::ROW_NOT_AN_OBJECT, text).with("row", index + 1)
}

fn not_a_list(column: &str) -> Message {
    Message::new(
        Code::COLUMN_NOT_A_LIST,
        format!(
            "The column '{column}' is not an array: give each column as an array (or a typed \
             array such as Float64Array) of one value per order."
        ),
    )
    .with("column", column)
}

fn wrong_length(column: &str, length: f64, first: &str, expected: f64) -> Message {
    Message::new(
        Code::COLUMN_LENGTH,
        format!(
            "The column '{column}' has {length} values but '{first}' has {expected}: give every \
             column one value per order."
        ),
    )
    .with("column", column)
    .with("length", length)
    .with("first", first)
    .with("expected", expected)
}
