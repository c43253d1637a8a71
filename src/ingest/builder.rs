//! The streaming reader: bytes arrive in chunks (a browser's `File.stream()`), the first
//! [`SNIFF_BYTES`] decide encoding, delimiter, header and column roles, and every chunk is then
//! decoded, split into records and turned into orders without keeping the file.

use super::amounts::detect_decimal_separator;
use super::columns::{ColumnMap, Preset, Role, recognise_preset};
use super::dates::{DateOrder, detect_date_order};
use super::decode::{ChunkDecoder, WhitespaceColumns, detect_encoding, sniff_binary};
use super::identity::customer_fallback;
use super::notes::{self, shorten};
use super::orders::{Fields, OrderAccumulator, RowRules};
use super::records::{Record, RecordSplitter};
use super::{IngestError, IngestOptions, IngestReport, IngestedBook};
use crate::contacts::contact_columns;
use crate::message::{Code, Message};

mod range;
pub use range::RangeReader;

/// Bytes looked at before deciding how to read the file.
pub const SNIFF_BYTES: usize = 1 << 20;
/// Data rows sampled to decide date order and decimal separator (and a host's columns, from
/// the keys of its first rows).
pub const SAMPLE_ROWS: usize = 5_000;
/// Lines of the file (blank ones included) in which the header row is looked for. A report
/// saved from Excel as CSV keeps its title block above the header (a title, the shop, the date
/// range, a blank line: rarely more than ten lines); 50 leaves room for long filter summaries
/// while a file without any header is still refused at once instead of read as rows.
pub const HEADER_SEARCH_LINES: usize = 50;
/// Text is decoded and parsed in slices of this size, bounding the scratch memory.
const SLICE_BYTES: usize = 1 << 20;
/// With the file's size known, the order columns are sized once this much of it is read
/// (at least [`ESTIMATE_AFTER_BYTES`]): enough orders to extrapolate their number.
const ESTIMATE_AFTER_SHARE: u64 = 50;
const ESTIMATE_AFTER_BYTES: u64 = 4 << 20;
/// Room added to the extrapolated number of orders; what is left over is given back at the end,
/// and a shortfall is made up a sixteenth at a time.
const ESTIMATE_MARGIN: f64 = 1.01;

/// Builds an [`OrderBook`](crate::book::OrderBook) from a CSV file pushed in chunks of any size.
pub struct OrderBookBuilder {
    options: IngestOptions,
    state: State,
    bytes_pushed: u64,
    /// Bytes gathered before the file's reading is decided ([`SNIFF_BYTES`] unless a test asks
    /// for less, see [`OrderBookBuilder::with_sniff_bytes`]).
    sniff_bytes: usize,
    /// The file's size, when the caller knows it (see [`OrderBookBuilder::expect_bytes`]).
    expected_bytes: Option<u64>,
}

enum State {
    Sniffing(Vec<u8>),
    Reading(Box<RecordReader>),
    Failed(IngestError),
}

impl OrderBookBuilder {
    /// Validates the options; the file itself is judged once enough of it has arrived.
    pub fn new(options: IngestOptions) -> Result<OrderBookBuilder, IngestError> {
        OrderBookBuilder::with_sniff_bytes(options, SNIFF_BYTES)
    }

    /// A builder that decides encoding, delimiter and columns from the first `sniff_bytes` bytes
    /// (at least 1) instead of [`SNIFF_BYTES`]. Files under a megabyte never leave the sniffing
    /// stage with the default, so tests and fuzzers use a small value to reach the chunk-by-chunk
    /// path (decoder, CSV and whitespace state carried across chunks) with small inputs.
    pub fn with_sniff_bytes(
        options: IngestOptions,
        sniff_bytes: usize,
    ) -> Result<OrderBookBuilder, IngestError> {
        Ok(OrderBookBuilder {
            options,
            state: State::Sniffing(Vec::new()),
            bytes_pushed: 0,
            sniff_bytes: sniff_bytes.max(1),
            expected_bytes: None,
        })
    }

    /// Tells the builder the file's size. Its order columns are then sized once, from the orders
    /// in the first part of the file, instead of growing by half again and again: in WASM, where
    /// memory never shrinks, the slack of a growing column and the blocks it leaves behind were
    /// a fifth of the memory a file of millions of orders took.
    pub fn expect_bytes(&mut self, total: u64) {
        self.expected_bytes = Some(total);
        if let State::Reading(reader) = &mut self.state {
            reader.expected_bytes = Some(total);
        }
    }

    pub fn bytes_pushed(&self) -> u64 {
        self.bytes_pushed
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> u64 {
        match &self.state {
            State::Reading(reader) => reader.orders.rows_read(),
            _ => 0,
        }
    }

    /// Takes the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
        self.bytes_pushed += chunk.len() as u64;
        match &mut self.state {
            State::Failed(error) => Err(error.clone()),
            State::Reading(reader) => {
                reader.feed(chunk, false);
                Ok(())
            }
            State::Sniffing(prefix) if prefix.len() + chunk.len() < self.sniff_bytes => {
                prefix.extend_from_slice(chunk);
                Ok(())
            }
            State::Sniffing(prefix) => {
                let prefix = std::mem::take(prefix);
                let sniff_bytes = self.sniff_bytes;
                let sample: Vec<u8> = if prefix.is_empty() {
                    chunk[..sniff_bytes.min(chunk.len())].to_vec()
                } else {
                    let mut sample = prefix.clone();
                    sample
                        .extend_from_slice(&chunk[..(sniff_bytes - prefix.len()).min(chunk.len())]);
                    sample
                };
                let mut reader = self.start(&sample, false)?;
                reader.feed(&prefix, false);
                reader.feed(chunk, false);
                self.state = State::Reading(reader);
                Ok(())
            }
        }
    }

    /// Reads what is left and returns the book with its report.
    pub fn finish(mut self) -> Result<IngestedBook, IngestError> {
        let mut reader = match std::mem::replace(&mut self.state, State::Sniffing(Vec::new())) {
            State::Failed(error) => return Err(error),
            State::Reading(reader) => reader,
            State::Sniffing(prefix) => {
                let mut reader = self.start(&prefix, true)?;
                reader.feed(&prefix, false);
                reader
            }
        };
        reader.feed(&[], true);
        reader.into_book()
    }

    fn start(&mut self, sample: &[u8], complete: bool) -> Result<Box<RecordReader>, IngestError> {
        match start_reader(&self.options, sample, complete) {
            Ok(mut reader) => {
                reader.expected_bytes = self.expected_bytes;
                Ok(reader)
            }
            Err(error) => {
                self.state = State::Failed(error.clone());
                Err(error)
            }
        }
    }
}

/// Decodes chunks and splits them into records for the order accumulator.
struct RecordReader {
    decoder: ChunkDecoder,
    whitespace: Option<WhitespaceColumns>,
    splitter: RecordSplitter,
    text: Vec<u8>,
    columns_text: Vec<u8>,
    /// Records of the title block above the header still to skip (see [`find_header`]).
    title_records: u64,
    skip_header: bool,
    orders: OrderAccumulator,
    bytes_fed: u64,
    /// The file's size until the order columns are sized from it, then `None`.
    expected_bytes: Option<u64>,
}

impl RecordReader {
    /// The book of the rows read (all of them: the last input was fed).
    fn into_book(self) -> Result<IngestedBook, IngestError> {
        if self.orders.rows_read() == 0 {
            return Err(Message::new(
                Code::NO_ROWS,
                "The file has a header but no rows of orders: export the orders again, with data.",
            ));
        }
        let windows_1252_bytes = self.decoder.windows_1252_bytes;
        let mut ingested = self.orders.finish(self.decoder.had_replacements);
        if windows_1252_bytes > 0 {
            ingested
                .report
                .add_note(notes::mixed_encoding(windows_1252_bytes as usize));
        }
        Ok(ingested)
    }

    fn feed(&mut self, chunk: &[u8], last: bool) {
        if chunk.is_empty() && last {
            self.decode_and_parse(&[], true);
            return;
        }
        for slice in chunk.chunks(SLICE_BYTES) {
            self.decode_and_parse(slice, false);
            self.bytes_fed += slice.len() as u64;
            self.size_order_columns();
        }
    }

    /// Once enough of a file of known size is read, makes room for the orders it will have in
    /// all, extrapolated from the orders so far.
    fn size_order_columns(&mut self) {
        let Some(total) = self.expected_bytes else {
            return;
        };
        let enough = (total / ESTIMATE_AFTER_SHARE).max(ESTIMATE_AFTER_BYTES);
        if self.bytes_fed < enough.min(total) {
            return;
        }
        self.expected_bytes = None;
        let per_byte = self.orders.order_count() as f64 / self.bytes_fed as f64;
        let expected = per_byte * total as f64 * ESTIMATE_MARGIN;
        self.orders.expect_orders(expected as usize);
    }

    fn decode_and_parse(&mut self, bytes: &[u8], last: bool) {
        if self.whitespace.is_none()
            && let Some(text) = self.decoder.text_in_place(bytes, last)
        {
            return self.parse(text, last);
        }
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        self.decoder.decode(bytes, last, &mut text);
        if let Some(whitespace) = &mut self.whitespace {
            let mut columns = std::mem::take(&mut self.columns_text);
            columns.clear();
            whitespace.convert(&text, &mut columns);
            self.parse(&columns, last);
            self.columns_text = columns;
        } else {
            self.parse(&text, last);
        }
        self.text = text;
    }

    /// Turns decoded text into records for the orders; `last` flushes the final record.
    fn parse(&mut self, input: &[u8], last: bool) {
        let (title, skip_header, orders) = (
            &mut self.title_records,
            &mut self.skip_header,
            &mut self.orders,
        );
        self.splitter.split(input, last, &mut |record| {
            // One test per row once the header is passed: the title count is only looked at
            // before it.
            if *skip_header {
                if *title > 0 {
                    *title -= 1;
                    return true;
                }
                if !record.is_blank() {
                    *skip_header = false;
                    return true;
                }
            }
            if let Some(field) = record.stray_quote {
                orders.push_stray_quote(record, field);
            } else {
                orders.push(record);
            }
            true
        });
    }
}

/// The first records of a file, read from its sample.
struct Sample {
    /// Records that are neither blank nor cut by a stray quote, each with its index among all
    /// records of the file (blank ones included), so that the lines above the header can be
    /// counted.
    records: Vec<(usize, Vec<String>)>,
    /// The index of the first record that is not blank (a stray-quote one included).
    first_text: usize,
}

/// Reads the first records of a decoded sample (at most `limit`), ignoring a last partial line
/// unless the sample is the whole file.
fn sample_records(text: &[u8], delimiter: u8, complete: bool, limit: usize) -> Sample {
    let text = if complete {
        text
    } else {
        match text.iter().rposition(|&b| b == b'\n') {
            Some(end) => &text[..=end],
            None => text,
        }
    };
    let mut records = Vec::new();
    let (mut index, mut first_text) = (0, None);
    RecordSplitter::new(delimiter).split(text, true, &mut |record| {
        if !record.is_blank() {
            first_text.get_or_insert(index);
        }
        // A row with a stray quote is not a sample of the file's values.
        if !record.is_blank() && record.stray_quote.is_none() {
            records.push((
                index,
                (0..record.count())
                    .map(|i| record.get(i).unwrap_or("").to_string())
                    .collect(),
            ));
        }
        index += 1;
        records.len() < limit
    });
    Sample {
        records,
        first_text: first_text.unwrap_or(0),
    }
}

/// The position (among `records`) of the header row: the first record within the first
/// [`HEADER_SEARCH_LINES`] lines whose cells name the roles an analysis needs (a date, a
/// customer, an amount or quantity and unit price), as the caller's preset and column choices
/// find them. `None` when no record does.
///
/// The first record is tried first, so a file whose first line is its header is read as it
/// always was; the search only goes on when that line could not be a header at all.
fn find_header(
    records: &[(usize, Vec<String>)],
    options: &IngestOptions,
    preset: &'static Preset,
    delimiter: u8,
) -> Option<usize> {
    let chosen = options.chosen_columns();
    records
        .iter()
        .take_while(|(line, _)| *line < HEADER_SEARCH_LINES)
        .position(|(_, cells)| {
            let headers: Vec<String> = cells.iter().map(|h| h.trim().to_string()).collect();
            let preset = match options.preset {
                None if preset.name == "generic" => recognise_preset(&headers),
                _ => preset,
            };
            ColumnMap::detect(&headers, preset, &chosen)
                .is_ok_and(|map| require_columns(&headers, &map, delimiter).is_ok())
        })
}

fn filled_cells(cells: &[String]) -> usize {
    cells.iter().filter(|c| !c.trim().is_empty()).count()
}

/// A line of the file for a message: its non-empty cells, shortened.
fn describe_line(cells: &[String]) -> String {
    let filled: Vec<String> = cells
        .iter()
        .filter(|c| !c.trim().is_empty())
        .map(|c| c.trim().to_string())
        .collect();
    if filled.is_empty() {
        return "(blank)".to_string();
    }
    list_headers(&filled)
}

/// The file's first line is not a header (it has at most one filled cell, as a title has) and
/// no line below it within [`HEADER_SEARCH_LINES`] is one either: say what was looked for and
/// what the first lines are.
fn no_header_error(records: &[(usize, Vec<String>)]) -> IngestError {
    const SHOWN: usize = 5;
    let lines: Vec<String> = records
        .iter()
        .take_while(|(line, _)| *line < HEADER_SEARCH_LINES)
        .take(SHOWN)
        .map(|(line, cells)| format!("{}: {}", line + 1, describe_line(cells)))
        .collect();
    let lines = lines.join(" | ");
    Message::new(
        Code::NO_HEADER,
        format!(
            "No header row found in the first {HEADER_SEARCH_LINES} lines: looked for a line \
             naming an order date, a customer (id, e-mail or phone) and an amount (or quantity \
             and unit price) column, such as 'Ngày đặt hàng, Mã khách hàng, Tổng tiền' or \
             'Order Date, Customer ID, Total'. The first lines are: {lines}. Rename the header \
             cells, or choose the columns in the column mapping (columns in the API)."
        ),
    )
    .with("lines", HEADER_SEARCH_LINES)
    .with("first", lines)
}

/// Picks the delimiter that splits the first lines into the same number of fields as the header:
/// the first line, or the header found below a title block (whose lines have one field with any
/// delimiter) when the first line cannot be one.
fn sniff_delimiter(
    text: &[u8],
    complete: bool,
    options: &IngestOptions,
    preset: &'static Preset,
) -> Option<u8> {
    let mut best: Option<(usize, usize, u8)> = None;
    for delimiter in [b',', b';', b'\t', b'|'] {
        let records = sample_records(text, delimiter, complete, HEADER_SEARCH_LINES + 50).records;
        let start = find_header(&records, options, preset, delimiter).unwrap_or(0);
        let records = &records[start.min(records.len())..];
        let Some((_, header)) = records.first() else {
            continue;
        };
        if header.len() < 2 {
            continue;
        }
        let consistent = records
            .iter()
            .take(50)
            .filter(|(_, r)| r.len() == header.len())
            .count();
        let score = (consistent, header.len(), delimiter);
        if best.is_none_or(|b| (score.0, score.1) > (b.0, b.1)) {
            best = Some(score);
        }
    }
    best.map(|(_, _, delimiter)| delimiter)
}

/// True when the first line is numbers separated by runs of blanks, like CDNOW's master file.
fn looks_whitespace_separated(text: &[u8]) -> bool {
    let line = text.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let line = String::from_utf8_lossy(line);
    let tokens: Vec<&str> = line.split_whitespace().collect();
    tokens.len() >= 3 && tokens.iter().all(|t| t.parse::<f64>().is_ok())
}

fn start_reader(
    options: &IngestOptions,
    sample: &[u8],
    complete: bool,
) -> Result<Box<RecordReader>, IngestError> {
    if sample.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Message::new(
            Code::EMPTY_FILE,
            "The file is empty: choose the file with your orders (a CSV export with a header row).",
        ));
    }
    if let Some((kind, message)) = sniff_binary(sample) {
        return Err(Message::new(Code::BINARY_FILE, message).with("kind", kind));
    }
    let encoding = match options.encoding {
        Some(encoding) => encoding,
        None => detect_encoding(sample, complete),
    };
    let mut text = Vec::new();
    ChunkDecoder::new(encoding).decode(sample, complete, &mut text);
    let control = text
        .iter()
        .take(4096)
        .filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b))
        .count();
    if control * 50 > text.len().min(4096) {
        return Err(Message::new(
            Code::NOT_TEXT,
            "This does not look like a text file: choose a CSV export of your orders.",
        ));
    }

    let mut preset: &'static Preset = options.preset.unwrap_or_else(|| recognise_preset(&[]));
    let explicit_delimiter = options.delimiter;
    if options.preset.is_none() && explicit_delimiter.is_none() && looks_whitespace_separated(&text)
    {
        preset = super::columns::preset("cdnow").expect("known preset");
    }
    let whitespace = preset.whitespace_separated || explicit_delimiter == Some(b' ');
    let delimiter = if whitespace {
        b'\t'
    } else {
        match explicit_delimiter {
            Some(d) => d,
            None => sniff_delimiter(&text, complete, options, preset).unwrap_or(b','),
        }
    };
    let sample_text = if whitespace {
        let mut converted = Vec::new();
        WhitespaceColumns::new().convert(&text, &mut converted);
        converted
    } else {
        text
    };
    let Sample {
        mut records,
        first_text,
    } = sample_records(
        &sample_text,
        delimiter,
        complete,
        SAMPLE_ROWS + 1 + HEADER_SEARCH_LINES,
    );
    if records.is_empty() {
        return Err(Message::new(
            Code::EMPTY_FILE,
            "The file is empty: choose the file with your orders.",
        ));
    }
    // Records above the header: a title block, when the header is not the first line with text
    // (blank lines before a header on the first line with text stay blank lines, as they were).
    let mut title_records = 0;
    if !preset.headerless {
        match find_header(&records, options, preset, delimiter) {
            Some(header) => {
                if records[header].0 > first_text {
                    title_records = records[header].0;
                }
                records.drain(..header);
            }
            // A first line with fewer filled cells than a line below it is a title (`Báo cáo
            // đơn hàng` or `Báo cáo, tháng 3`): say that no header was found under it. Otherwise
            // the first line is the header as written and the usual messages say what it lacks
            // (as do a first line of blank cells, and a file that never splits into two cells:
            // its delimiter is another).
            None if filled_cells(&records[0].1) >= 1
                && records
                    .iter()
                    .any(|(_, cells)| filled_cells(cells) > filled_cells(&records[0].1)) =>
            {
                return Err(no_header_error(&records));
            }
            None => {}
        }
    }
    records.truncate(SAMPLE_ROWS + 1);
    let mut records: Vec<Vec<String>> = records.into_iter().map(|(_, cells)| cells).collect();

    let (headers, records) = if preset.headerless {
        let width = records[0].len();
        let headers = positional_headers(width).ok_or_else(|| {
            Message::new(
                Code::CDNOW_COLUMNS,
                format!(
                    "A CDNOW-style file needs 4 columns (customer, date YYYYMMDD, quantity, \
                     amount) or 5 (with a second id), but the first line has {width}."
                ),
            )
            .with("width", width)
        })?;
        (headers, records)
    } else {
        let headers = records
            .remove(0)
            .into_iter()
            .map(|h| h.trim().to_string())
            .collect();
        (headers, records)
    };
    let delimiter_name = if whitespace {
        "whitespace".into()
    } else {
        (delimiter as char).to_string()
    };
    let (rules, report) = decide_rules(
        options,
        preset,
        headers,
        &records,
        delimiter,
        title_records as u64,
    )?;
    let report = IngestReport {
        encoding: encoding.name.to_string(),
        delimiter: delimiter_name,
        ..report
    };
    Ok(Box::new(RecordReader {
        decoder: ChunkDecoder::new(encoding),
        whitespace: whitespace.then(WhitespaceColumns::new),
        splitter: RecordSplitter::with_width(delimiter, rules.headers.len()),
        text: Vec::new(),
        columns_text: Vec::new(),
        title_records: title_records as u64,
        skip_header: !rules.preset.headerless,
        orders: OrderAccumulator::new(rules, report),
        bytes_fed: 0,
        expected_bytes: None,
    }))
}

/// CDNOW's column names by position: `customer date quantity amount`, or with a second id first.
fn positional_headers(width: usize) -> Option<Vec<String>> {
    let names: &[&str] = match width {
        4 => &["customer", "date", "quantity", "amount"],
        5 => &["customer", "sample id", "date", "quantity", "amount"],
        _ => return None,
    };
    Some(names.iter().map(|s| s.to_string()).collect())
}

/// Decides how rows are read from the header and a sample of rows: column roles, date order,
/// decimal separator, cancellation columns. `title_lines` lines above the header were skipped.
fn decide_rules(
    options: &IngestOptions,
    mut preset: &'static Preset,
    headers: Vec<String>,
    records: &[Vec<String>],
    delimiter: u8,
    title_lines: u64,
) -> Result<(RowRules, IngestReport), IngestError> {
    if options.preset.is_none() && preset.name == "generic" {
        preset = recognise_preset(&headers);
    }
    let mut map = if preset.headerless {
        let mut map = ColumnMap::default();
        let width = headers.len();
        map.set(Role::Customer, Some(0));
        map.set(Role::Date, Some(width - 3));
        map.set(Role::Quantity, Some(width - 2));
        map.set(Role::Amount, Some(width - 1));
        map
    } else {
        ColumnMap::detect(&headers, preset, &options.chosen_columns())?
    };
    require_columns(&headers, &map, delimiter)?;
    // An explicit customer column wins; a detected one gives way to an e-mail or phone column
    // when it is mostly empty (walk-in sales in a point-of-sale export).
    let fallback = match map.column(Role::Customer) {
        Some(customer) if !preset.headerless && options.columns.get(Role::Customer).is_none() => {
            customer_fallback(&headers, &map, customer, records).map(|f| (customer, f))
        }
        _ => None,
    };
    if let Some((_, fallback)) = &fallback {
        map.set(Role::Customer, Some(fallback.column));
    }
    let customer_header = map
        .column(Role::Customer)
        .map_or("", |c| headers[c].as_str());
    let customer_ids = options.customer_id_normalization.resolve(customer_header);

    let sample_of = |role: Role| -> Vec<&str> {
        match map.column(role) {
            Some(c) => records
                .iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect(),
            None => Vec::new(),
        }
    };
    let detection = detect_date_order(&sample_of(Role::Date));
    let (date_order, confirmed) = match (options.date_order, detection.order) {
        (Some(order), _) | (None, Some(order)) => (order, true),
        (None, None) => (DateOrder::Dmy, false),
    };
    let money_role = if map.column(Role::Amount).is_some() {
        Role::Amount
    } else {
        Role::UnitPrice
    };
    let decimal = detect_decimal_separator(&sample_of(money_role));
    let cancel_columns = preset
        .cancelled_when_present
        .iter()
        .filter_map(|name| headers.iter().position(|h| h == name))
        .collect();
    let mut report = IngestReport {
        decimal_separator: format!("{decimal:?}").to_lowercase(),
        preset: preset.name.to_string(),
        headers: if preset.headerless {
            Vec::new()
        } else {
            headers.clone()
        },
        title_lines,
        ..IngestReport::default()
    };
    if title_lines > 0 {
        report.add_note(notes::title_lines(title_lines));
    }
    if let Some((detected, fallback)) = fallback {
        report.add_note(notes::customer_column_fallback(
            &headers[detected],
            &headers[fallback.column],
            &fallback,
        ));
    }
    let attributes = map.attribute_columns(&headers, &options.attributes)?;
    let rules = RowRules {
        first_row: if preset.headerless {
            1
        } else {
            title_lines + 2
        },
        headers,
        map,
        preset,
        cancel_columns,
        date_order,
        date_order_confirmed: confirmed,
        decimal,
        customer_ids,
        phone_country: options.phone_country,
        attributes,
    };
    Ok((rules, report))
}

/// Where [`read_row_source`] takes a host's rows from: objects, columns or a table of text.
pub trait RowSource {
    /// The column names, the header of a CSV file.
    fn headers(&self) -> &[String];
    fn row_count(&self) -> usize;
    /// Writes row `index`'s fields, one per header, into `row` (cleared): those `wanted` marks
    /// read, the others left empty (no rule reads them).
    fn read(&mut self, index: usize, wanted: &[bool], row: &mut RowFields) -> Result<(), Message>;
}

/// One row's fields laid end to end, as a [`Record`] of the CSV path holds them.
#[derive(Default)]
pub struct RowFields {
    text: String,
    ends: Vec<usize>,
}

impl RowFields {
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    pub fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.ends.push(self.text.len());
    }

    /// A number as a CSV file would write it (as JavaScript's `String(number)` does for those
    /// an order holds): whole numbers without a fraction, others in their shortest exact form.
    pub fn push_number(&mut self, number: f64) {
        use std::fmt::Write;
        if number.fract() == 0.0 && number.abs() < 1e15 {
            return self.push_whole(number as i64);
        }
        match number {
            _ if number.is_nan() => self.push("NaN"),
            f64::INFINITY => self.push("Infinity"),
            f64::NEG_INFINITY => self.push("-Infinity"),
            _ => {
                let _ = write!(self.text, "{number}");
                self.ends.push(self.text.len());
            }
        }
    }

    /// Digits written without the formatting machinery: ids and counts are most of the numbers.
    fn push_whole(&mut self, number: i64) {
        if number < 0 {
            self.text.push('-');
        }
        crate::csv_writer::push_digits(&mut self.text, number.unsigned_abs());
        self.ends.push(self.text.len());
    }

    fn record(&self) -> Record<'_> {
        Record::copied(self.text.as_bytes(), &self.ends)
    }

    fn texts(&self) -> Vec<String> {
        let record = self.record();
        (0..self.ends.len())
            .map(|i| Fields::get(&record, i).unwrap_or("").to_string())
            .collect()
    }
}

/// Reads the rows a host hands over (the JS `OrderBook.fromRows` and `fromColumns`) with the
/// roles, presets and rules of a CSV file, one row at a time: the first [`SAMPLE_ROWS`] decide
/// the rules as a file's first rows do, and only the columns some rule reads are asked for.
pub fn read_row_source(
    source: &mut dyn RowSource,
    options: &IngestOptions,
) -> Result<IngestedBook, IngestError> {
    let count = source.row_count();
    if count == 0 {
        return Err(Message::new(
            Code::NO_ROWS,
            "No orders were handed over: the list of rows is empty.",
        ));
    }
    let headers = source.headers().to_vec();
    let preset = options.preset.unwrap_or_else(|| recognise_preset(&headers));
    if preset.headerless {
        return Err(Message::new(
            Code::CDNOW_ROWS,
            "The cdnow preset reads files, not rows: use fromCsv.",
        ));
    }
    let mut row = RowFields::default();
    let all = vec![true; headers.len()];
    let sampled = count.min(SAMPLE_ROWS);
    let mut sample = Vec::with_capacity(sampled);
    for index in 0..sampled {
        row.clear();
        source.read(index, &all, &mut row)?;
        sample.push(row.texts());
    }
    let (rules, report) = decide_rules(options, preset, headers, &sample, b',', 0)?;
    let report = IngestReport {
        encoding: "objects".into(),
        delimiter: String::new(),
        ..report
    };
    let wanted = columns_read(&rules);
    let mut orders = OrderAccumulator::new(rules, report);
    for index in 0..count {
        row.clear();
        match sample.get(index) {
            Some(fields) => fields.iter().for_each(|field| row.push(field)),
            None => source.read(index, &wanted, &mut row)?,
        }
        orders.push(&row.record());
        if index + 1 == sampled && count > sampled {
            // As many orders per row as in the sample, as a file of known size does.
            let per_row = orders.order_count() as f64 / sampled as f64;
            orders.expect_orders((per_row * count as f64 * ESTIMATE_MARGIN) as usize);
        }
    }
    Ok(orders.finish(false))
}

/// The columns the row rules read: the roles', the cancellation, attribute and contact columns.
fn columns_read(rules: &RowRules) -> Vec<bool> {
    let mut wanted = vec![false; rules.headers.len()];
    let roles = Role::ALL.iter().filter_map(|&role| rules.map.column(role));
    let attributes = rules.attributes.iter().map(|kept| kept.column);
    let contacts = contact_columns(&rules.headers)
        .into_iter()
        .map(|(at, _)| at);
    for column in roles
        .chain(rules.cancel_columns.iter().copied())
        .chain(attributes)
        .chain(contacts)
    {
        wanted[column] = true;
    }
    wanted
}

/// Rows of text fields, one per header (a missing field is empty).
pub(super) struct TextRows<'a> {
    pub headers: Vec<String>,
    pub rows: &'a [Vec<String>],
}

impl RowSource for TextRows<'_> {
    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn row_count(&self) -> usize {
        self.rows.len()
    }

    fn read(&mut self, index: usize, _: &[bool], row: &mut RowFields) -> Result<(), Message> {
        let fields = &self.rows[index];
        for column in 0..self.headers.len() {
            row.push(fields.get(column).map_or("", String::as_str));
        }
        Ok(())
    }
}

/// Header names for a message: at most 12, each shortened, blanks shown as such.
pub(crate) fn list_headers(headers: &[String]) -> String {
    const SHOWN: usize = 12;
    let names: Vec<String> = headers
        .iter()
        .take(SHOWN)
        .map(|h| match h.trim() {
            "" => "(blank)".to_string(),
            name => shorten(name).into_owned(),
        })
        .collect();
    if headers.len() > SHOWN {
        format!("{}, … ({} columns)", names.join(", "), headers.len())
    } else {
        names.join(", ")
    }
}

/// A header cell that is a date: the file has no header row and its first order was taken for
/// one.
fn first_line_is_data(headers: &[String]) -> Option<&str> {
    use super::amounts::{DecimalSeparator, parse_amount};
    use super::dates::parse_date;
    headers.iter().map(|h| h.trim()).find(|h| {
        !h.is_empty()
            && (parse_date(h, DateOrder::Dmy).is_ok() || parse_date(h, DateOrder::Mdy).is_ok())
            // A lone number (an Excel serial, a year) is not proof enough.
            && parse_amount(h, DecimalSeparator::Dot).is_err()
    })
}

/// A file without a date, a customer or a value column cannot be analysed: say which is missing
/// and how to name it.
pub(crate) fn require_columns(
    headers: &[String],
    map: &ColumnMap,
    delimiter: u8,
) -> Result<(), IngestError> {
    let listed = list_headers(headers);
    if headers.len() < 2 {
        return Err(Message::new(
            Code::SINGLE_COLUMN,
            format!(
                "The file has a single column ({listed}) when split at {}: choose the delimiter \
             (comma, semicolon, tab or |) it uses.",
                match delimiter {
                    b',' => "commas".to_string(),
                    b';' => "semicolons".to_string(),
                    b'\t' => "tabs".to_string(),
                    b'|' => "'|'".to_string(),
                    other => format!("'{}'", (other as char).escape_default()),
                }
            ),
        )
        .with("delimiter", (delimiter as char).to_string())
        .with("columns", &listed));
    }
    let missing = |role: Role, what: &str| {
        if headers.iter().all(|h| h.trim().is_empty()) {
            return Message::new(
                Code::BLANK_HEADER,
                "The first line of the file has no column names: add a header row naming the \
                 columns (for example customer,date,amount).",
            );
        }
        if let Some(data) = first_line_is_data(headers) {
            let data = shorten(data);
            return Message::new(
                Code::FIRST_LINE_DATA,
                format!(
                    "The first line holds data ('{data}'), not column names: add a header row \
                     naming the columns (for example customer,date,amount)."
                ),
            )
            .with("value", data);
        }
        Message::new(
            Code::MISSING_COLUMN,
            format!(
                "No {what} column found among: {listed}. Choose it in the column mapping \
                 (columns.{} in the API).",
                role.name()
            ),
        )
        .with("role", role.name())
        .with("columns", &listed)
    };
    if map.column(Role::Date).is_none() {
        return Err(missing(Role::Date, "order date"));
    }
    if map.column(Role::Customer).is_none() {
        return Err(missing(Role::Customer, "customer id or email"));
    }
    if map.column(Role::Amount).is_none()
        && (map.column(Role::Quantity).is_none() || map.column(Role::UnitPrice).is_none())
    {
        if first_line_is_data(headers).is_some() {
            return Err(missing(Role::Amount, "amount"));
        }
        return Err(Message::new(
            Code::MISSING_COLUMN,
            format!(
                "No amount column (or quantity and unit price) found among: {listed}. Choose it \
                 in the column mapping (columns.amount in the API)."
            ),
        )
        .with("role", Role::Amount.name())
        .with("columns", &listed));
    }
    let mut seen = std::collections::HashSet::new();
    for role in Role::ALL {
        if let Some(column) = map.column(role)
            && !seen.insert(column)
        {
            let name = shorten(&headers[column]);
            return Err(Message::new(
                Code::COLUMN_TWICE,
                format!(
                    "The column '{name}' is chosen for two roles: give each role its own column."
                ),
            )
            .with("column", name));
        }
    }
    Ok(())
}
