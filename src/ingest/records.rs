//! Decoded text → CSV records, for text that arrives in pieces.
//!
//! Most lines of an order export hold no quote at all. Those are split here, at the delimiters,
//! without copying a byte: that is most of a file and used to be most of the ingest time. A line
//! with a quote, and a line cut by the end of an input, go to csv-core, which knows every rule of
//! quoted fields (doubled quotes, delimiters and line breaks inside quotes) and keeps a record
//! that continues in the next input; once it closes that record the fast path takes over again.
//!
//! Records end at `\n`, `\r` or `\r\n`, as in csv-core. Unlike csv-core, an empty line is handed
//! on as a record of one empty field, so the reader counts it as a blank line and the row numbers
//! of later rows stay those of the file.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use super::orders::Fields;

/// A quoted field holding more line breaks than this, most of its lines reading as rows of the
/// file, is a stray quote: no order note runs to a hundred lines.
const STRAY_QUOTE_LINES: u64 = 100;
/// A quoted field is decided on once it holds this many bytes (a stray quote when its lines read
/// as rows, a long cell otherwise): this bounds the text kept to read again.
const STRAY_QUOTE_BYTES: usize = 1 << 20;
/// A quoted field closed after more lines than this, most of those between its first and last
/// line reading as rows, was opened and closed by two stray quotes: the rows between are read as
/// rows. Two such lines are enough evidence; one could be a note that happens to hold commas.
const STRAY_PAIR_MIN_LINES: u64 = 2;

/// One record: its fields are `bytes[start(i)..ends[i]]`.
pub(super) struct Record<'a> {
    pub bytes: &'a [u8],
    pub ends: &'a [usize],
    /// Bytes between one field's end and the next one's start: 1 where the record is a slice of
    /// the text (the delimiter is still there), 0 where the fields were copied end to end.
    pub gap: usize,
    /// The field whose opening quote was never closed: the row was read again with that quote
    /// as an ordinary character, and the lines it had taken in were read as rows.
    pub stray_quote: Option<usize>,
}

impl<'a> Record<'a> {
    /// A record of fields laid end to end (`gap` 0), with no line break and no stray quote.
    pub fn copied(bytes: &'a [u8], ends: &'a [usize]) -> Record<'a> {
        Record {
            bytes,
            ends,
            gap: 0,
            stray_quote: None,
        }
    }
}

impl Fields for Record<'_> {
    fn count(&self) -> usize {
        self.ends.len()
    }
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] + self.gap
        };
        let field = &self.bytes[start..end];
        debug_assert!(std::str::from_utf8(field).is_ok());
        // SAFETY: records are cut from text our decoders wrote or checked as UTF-8 (`ChunkDecoder`), and
        // both this splitter and csv-core cut and unquote them only at ASCII bytes (delimiter,
        // quote, CR, LF), which never fall inside a multi-byte character; a host's rows are
        // `String`s laid end to end and split where each one ends. So every field is valid UTF-8.
        // Checking it again per field cost 8% of ingestion.
        Some(unsafe { std::str::from_utf8_unchecked(field) })
    }
}

/// How a call of [`RecordSplitter::split_text`] or [`RecordSplitter::read_quoted`] ended.
enum Outcome {
    /// A record ended and the consumer wants more.
    Ended,
    /// The input is used up (or the file ended).
    Waiting,
    /// The consumer asked to stop.
    Stopped,
    /// A stray quote was found and its row handed on; `replay` holds the text to read again.
    Stray,
}

/// The raw text of the record csv-core holds, kept while it may still turn out to be a row with
/// a stray quote (at most [`STRAY_QUOTE_BYTES`] and a line).
#[derive(Default)]
struct HeldRecord {
    /// False once the record was judged a long cell: its text is no longer kept.
    tracking: bool,
    text: Vec<u8>,
    /// Line breaks inside the record so far (`\r\n` counts once).
    line_breaks: u64,
    /// Where the line being read starts in `text`.
    line_start: usize,
    /// Lines after the first that split into as many fields as the header.
    lines_like_rows: u64,
    last_was_cr: bool,
}

/// Splits text into records; keeps a record that is cut between inputs.
pub(super) struct RecordSplitter {
    delimiter: u8,
    /// Field ends of the line being split by the fast path.
    line_ends: Vec<usize>,
    /// True while csv-core holds a record begun in an earlier input.
    in_csv: bool,
    /// The last record ended at `\r`: a `\n` right after it belongs to that ending.
    skip_lf: bool,
    csv: Reader,
    /// csv-core's output: the record's unquoted fields end to end, and where each one ends.
    record: Vec<u8>,
    ends: Vec<usize>,
    record_len: usize,
    ends_len: usize,
    held: HeldRecord,
    /// Text to read again after a stray quote: the lines its field had taken in.
    replay: Vec<u8>,
    /// Fields a row has (the header's), when known: lines inside a quoted field that split
    /// into as many are evidence of a stray quote. 0 while sampling, before the header is read.
    width: usize,
}

impl RecordSplitter {
    pub fn new(delimiter: u8) -> RecordSplitter {
        RecordSplitter {
            delimiter,
            line_ends: Vec::with_capacity(64),
            in_csv: false,
            skip_lf: false,
            csv: ReaderBuilder::new().delimiter(delimiter).build(),
            record: vec![0; 4096],
            ends: vec![0; 64],
            record_len: 0,
            ends_len: 0,
            held: HeldRecord::default(),
            replay: Vec::new(),
            width: 0,
        }
    }

    /// A splitter for rows of `width` fields (see [`RecordSplitter::width`]).
    pub fn with_width(delimiter: u8, width: usize) -> RecordSplitter {
        RecordSplitter {
            width,
            ..RecordSplitter::new(delimiter)
        }
    }

    /// True between records: no quoted field is open across the end of the last input, so the
    /// text that follows is read as it would be from the start of a file.
    pub fn at_record_start(&self) -> bool {
        !self.in_csv
    }

    /// Splits `input` into records, handing each to `on_record` until it returns false; `last`
    /// says no input follows, so a final line without a line break is a record too.
    ///
    /// A row whose quote is never closed — its field runs to the end of the input, or past
    /// [`STRAY_QUOTE_LINES`] lines or [`STRAY_QUOTE_BYTES`] bytes that read as rows — is handed
    /// on with the quote read as an ordinary character and marked (`stray_quote`), and the lines
    /// after it are read again as rows. Every decision depends on the text alone, never on where
    /// the inputs were cut, so a file read whole and in pieces gives the same records.
    ///
    /// `on_record` is a trait object so that the two callers (sampling and reading) share one
    /// copy of this code in the `.wasm`; the call per record costs nothing measurable.
    pub fn split(&mut self, input: &[u8], last: bool, on_record: &mut dyn FnMut(&Record) -> bool) {
        // Text given back by a stray quote is read before the rest of `input`.
        let mut pending: Vec<u8> = Vec::new();
        let mut rest = input;
        loop {
            let from_pending = !pending.is_empty();
            let (text, text_last) = if from_pending {
                (&pending[..], last && rest.is_empty())
            } else {
                (rest, last)
            };
            let (read, outcome) = self.split_text(text, text_last, on_record);
            match outcome {
                Outcome::Stopped => return,
                Outcome::Stray => {
                    let mut replay = std::mem::take(&mut self.replay);
                    if from_pending {
                        replay.extend_from_slice(&pending[read..]);
                    } else {
                        rest = &rest[read..];
                    }
                    pending = replay;
                }
                Outcome::Ended | Outcome::Waiting if from_pending => pending.clear(),
                Outcome::Ended | Outcome::Waiting => return,
            }
        }
    }

    /// Splits `input` until it is used up, the consumer stops, or a stray quote was found;
    /// returns the bytes read.
    fn split_text(
        &mut self,
        input: &[u8],
        last: bool,
        on_record: &mut dyn FnMut(&Record) -> bool,
    ) -> (usize, Outcome) {
        let mut pos = 0;
        loop {
            if self.in_csv {
                let (read, outcome) = self.read_quoted(&input[pos..], last, on_record);
                pos += read;
                match outcome {
                    Outcome::Ended => continue,
                    outcome => return (pos, outcome),
                }
            }
            if self.skip_lf && pos < input.len() {
                self.skip_lf = false;
                if input[pos] == b'\n' {
                    pos += 1;
                }
            }
            if pos == input.len() {
                return (pos, Outcome::Waiting);
            }
            match self.split_line(&input[pos..], last) {
                Some(len) => {
                    let line = &input[pos..];
                    let record = Record {
                        bytes: line,
                        ends: &self.line_ends,
                        gap: 1,
                        stray_quote: None,
                    };
                    let more = on_record(&record);
                    if len < line.len() {
                        self.skip_lf = line[len] == b'\r';
                        pos += len + 1;
                    } else {
                        pos += len;
                    }
                    if !more {
                        return (pos, Outcome::Stopped);
                    }
                }
                None => {
                    self.in_csv = true;
                    self.held = HeldRecord {
                        tracking: true,
                        text: std::mem::take(&mut self.held.text),
                        ..HeldRecord::default()
                    };
                    self.held.text.clear();
                }
            }
        }
    }
    /// Finds the field ends of the line at the start of `text` into `line_ends` and returns the
    /// line's length without its line break; `None` when csv-core must read it: it holds a
    /// quote, or it runs to the end of `text` and more input follows.
    ///
    /// Eight bytes at a time (see [`RecordSplitter::stops_in`]), handling every stop of a word
    /// before loading the next: fields are about ten bytes long, so most words hold one.
    fn split_line(&mut self, text: &[u8], last: bool) -> Option<usize> {
        self.line_ends.clear();
        let mut base = 0;
        loop {
            // The last bytes (fewer than eight) are padded with zeros, which are masked off.
            let (word, mask) = match text.get(base..base + 8) {
                Some(bytes) => (bytes.try_into().expect("eight bytes"), u64::MAX),
                None => {
                    let tail = &text[base..];
                    let mut padded = [0; 8];
                    padded[..tail.len()].copy_from_slice(tail);
                    (padded, (1u64 << (8 * tail.len())) - 1)
                }
            };
            let mut stops = self.stops_in(u64::from_le_bytes(word)) & mask;
            while stops != 0 {
                let i = base + (stops.trailing_zeros() / 8) as usize;
                stops &= stops - 1;
                if let Some(end) = self.at_stop(text, i)? {
                    return Some(end);
                }
            }
            if mask != u64::MAX {
                break;
            }
            base += 8;
        }
        if !last {
            return None;
        }
        self.line_ends.push(text.len());
        Some(text.len())
    }

    /// Acts on the byte at `i`, a possible stop: a field ends (`Some(None)`), the line ends
    /// (`Some(Some(i))`), a quote hands the line to csv-core (`None`); other bytes pass.
    #[inline(always)]
    fn at_stop(&mut self, text: &[u8], i: usize) -> Option<Option<usize>> {
        match text[i] {
            byte if byte == self.delimiter => self.line_ends.push(i),
            b'\n' | b'\r' => {
                self.line_ends.push(i);
                return Some(Some(i));
            }
            b'"' => return None,
            _ => {}
        }
        Some(None)
    }

    /// The high bit of each byte of `word` (little-endian) that may stop the scan: the
    /// delimiter, a quote, or a control byte below 0x0E (which takes in `\r` and `\n`).
    ///
    /// `((y & 0x7F…) + 0x7F…) | y` sets a byte's high bit exactly when the byte of `y` is not
    /// zero — no carry crosses bytes — so `word ^ splat(b)` finds the bytes equal to `b`; adding
    /// `0x80 - 0x0E` instead of `0x7F` finds the bytes of at least 0x0E.
    #[inline(always)]
    fn stops_in(&self, word: u64) -> u64 {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        let not_equal = |b: u8| {
            let y = word ^ (u64::from(b) * ONES);
            ((y & LOW7) + LOW7) | y
        };
        let not_control = ((word & LOW7) + (0x80 - 0x0E) * ONES) | word;
        !(not_equal(self.delimiter) & not_equal(b'"') & not_control) & HIGHS
    }

    /// Feeds csv-core until it closes the record it holds, a line at a time so that a quoted
    /// field's line breaks are counted where they are; returns the bytes read and how it ended
    /// (`Waiting` when csv-core has nothing more to give: the end of the file).
    fn read_quoted(
        &mut self,
        mut input: &[u8],
        last: bool,
        on_record: &mut dyn FnMut(&Record) -> bool,
    ) -> (usize, Outcome) {
        let mut read_total = 0;
        loop {
            // csv-core reads an empty input as the end of the file and closes the record in
            // progress: an input that decoded to no text (blanks of a whitespace-separated file,
            // the first byte of a split character) must not reach it before the last call.
            if input.is_empty() {
                if !last {
                    return (read_total, Outcome::Waiting);
                }
                if self.held.tracking && self.quote_is_open() {
                    return (read_total, self.read_stray_quote(on_record));
                }
            }
            let piece = match input.iter().position(|&b| b == b'\n' || b == b'\r') {
                Some(i) => &input[..=i],
                None => input,
            };
            let (result, read, written, ended) = self.csv.read_record(
                piece,
                &mut self.record[self.record_len..],
                &mut self.ends[self.ends_len..],
            );
            let consumed = &piece[..read];
            input = &input[read..];
            read_total += read;
            self.record_len += written;
            self.ends_len += ended;
            match result {
                ReadRecordResult::InputEmpty => {
                    // The whole piece is inside the record: a line break ending it is inside a
                    // quoted field.
                    if self.hold(consumed) {
                        return (read_total, self.read_stray_quote(on_record));
                    }
                }
                ReadRecordResult::OutputFull => {
                    if self.hold(consumed) {
                        return (read_total, self.read_stray_quote(on_record));
                    }
                    let len = self.record.len().max(1024);
                    self.record.resize(len * 2, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    if self.hold(consumed) {
                        return (read_total, self.read_stray_quote(on_record));
                    }
                    let len = self.ends.len().max(64);
                    self.ends.resize(len * 2, 0);
                }
                ReadRecordResult::Record => {
                    if self.closes_rows() {
                        self.held.text.extend_from_slice(consumed);
                        return (read_total, self.read_stray_quote(on_record));
                    }
                    let record = Record {
                        bytes: &self.record[..self.record_len],
                        ends: &self.ends[..self.ends_len],
                        gap: 0,
                        stray_quote: None,
                    };
                    let more = on_record(&record);
                    self.record_len = 0;
                    self.ends_len = 0;
                    self.in_csv = false;
                    self.held.tracking = false;
                    self.skip_lf = consumed.last() == Some(&b'\r');
                    let outcome = if more {
                        Outcome::Ended
                    } else {
                        Outcome::Stopped
                    };
                    return (read_total, outcome);
                }
                ReadRecordResult::End => {
                    self.in_csv = false;
                    self.held.tracking = false;
                    return (read_total, Outcome::Waiting);
                }
            }
        }
    }

    /// Takes in text csv-core read into the record without closing it; true when the record is
    /// now known to be a row with a stray quote.
    ///
    /// Decided at the byte where the held text passes [`STRAY_QUOTE_BYTES`] (on the lines
    /// complete before it) and at each line break past [`STRAY_QUOTE_LINES`]: points of the text
    /// itself, wherever the inputs were cut.
    fn hold(&mut self, consumed: &[u8]) -> bool {
        let Some(&last_byte) = consumed.last() else {
            return false;
        };
        let held = &mut self.held;
        if !held.tracking {
            return false;
        }
        let new_line = match last_byte {
            b'\r' => true,
            b'\n' => !(held.last_was_cr && consumed.len() == 1),
            _ => false,
        };
        held.last_was_cr = last_byte == b'\r';
        let before = held.text.len();
        held.text.extend_from_slice(consumed);
        if before <= STRAY_QUOTE_BYTES && held.text.len() > STRAY_QUOTE_BYTES {
            if self.lines_read_as_rows() {
                return true;
            }
            // A long cell: it is kept as csv-core reads it, and its text no longer held.
            let held = &mut self.held;
            held.tracking = false;
            held.text = Vec::new();
            return false;
        }
        if !new_line {
            return false;
        }
        let line = &held.text[held.line_start..];
        if held.line_breaks > 0
            && self.width > 1
            && fields_in_line(line, self.delimiter) == self.width
        {
            self.held.lines_like_rows += 1;
        }
        let held = &mut self.held;
        held.line_breaks += 1;
        held.line_start = held.text.len();
        held.line_breaks > STRAY_QUOTE_LINES && self.lines_read_as_rows()
    }

    /// The held record, now closed by a quote, took in lines that read as rows: two stray
    /// quotes, the second closing the field the first opened (a real cell never spans rows).
    fn closes_rows(&self) -> bool {
        self.held.tracking
            && self.held.line_breaks > STRAY_PAIR_MIN_LINES
            && self.lines_read_as_rows()
    }

    /// Most of the held lines after the first (the row with the quote) read as rows of the file.
    fn lines_read_as_rows(&self) -> bool {
        let lines = self.held.line_breaks.saturating_sub(1);
        lines > 0 && self.held.lines_like_rows * 2 > lines
    }

    /// At the end of the input: csv-core is inside a quoted field of the held record.
    /// (Asking a clone of csv-core is no answer: its clone does not copy its state machine.)
    fn quote_is_open(&self) -> bool {
        read_line(&self.held.text, self.delimiter, None, None)
            .open
            .is_some()
    }

    /// Hands on the first line of the held record, read with its open quote as an ordinary
    /// character, and keeps the lines after it in `replay` to be read again as rows.
    fn read_stray_quote(&mut self, on_record: &mut dyn FnMut(&Record) -> bool) -> Outcome {
        let held = std::mem::take(&mut self.held);
        let mut text = held.text;
        self.csv.reset();
        self.in_csv = false;
        self.record_len = 0;
        self.ends_len = 0;
        let line_end = text
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(text.len());
        let line = &text[..line_end];
        let open = read_line(line, self.delimiter, None, None).open;
        let (mut fields, mut ends) = (Vec::new(), Vec::new());
        let stray_field =
            read_line(line, self.delimiter, open, Some((&mut fields, &mut ends))).literal_field;
        let more = on_record(&Record {
            bytes: &fields,
            ends: &ends,
            gap: 0,
            stray_quote: Some(stray_field.unwrap_or(0)),
        });
        let mut rest = line_end;
        if rest < text.len() {
            rest += if text[rest..].starts_with(b"\r\n") {
                2
            } else {
                1
            };
        }
        // A `\r` that ends the held text may have its `\n` in the next input.
        self.skip_lf = rest == text.len() && text.last() == Some(&b'\r');
        text.drain(..rest);
        self.replay = text;
        if more {
            Outcome::Stray
        } else {
            self.replay.clear();
            Outcome::Stopped
        }
    }
}

/// Fields of one line (with its line break) read on its own, with quotes as csv-core reads them.
fn fields_in_line(line: &[u8], delimiter: u8) -> usize {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    read_line(line, delimiter, None, None).fields
}

/// What [`read_line`] found.
struct LineRead {
    fields: usize,
    /// The field that holds the byte read as an ordinary character.
    literal_field: Option<usize>,
    /// The byte of a quote still open at the end of the line.
    open: Option<usize>,
}

/// Reads one record's text with quotes as csv-core reads them — a quote opens a quoted field
/// only at the start of a field, `""` inside one is a quote, line breaks inside one are text —
/// except that the quote at byte `literal`, if any, is an ordinary character. With `out`, the
/// unquoted fields are laid end to end in its bytes and their ends.
fn read_line(
    line: &[u8],
    delimiter: u8,
    literal: Option<usize>,
    mut out: Option<(&mut Vec<u8>, &mut Vec<usize>)>,
) -> LineRead {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let mut read = LineRead {
        fields: 1,
        literal_field: None,
        open: None,
    };
    for (i, &b) in line.iter().enumerate() {
        if Some(i) == literal {
            read.literal_field = Some(read.fields - 1);
        }
        let (next, text) = match state {
            State::FieldStart | State::Unquoted | State::QuoteInQuoted if b == delimiter => {
                read.fields += 1;
                if let Some((bytes, ends)) = &mut out {
                    ends.push(bytes.len());
                }
                (State::FieldStart, None)
            }
            State::FieldStart if b == b'"' && Some(i) != literal => {
                read.open = Some(i);
                (State::Quoted, None)
            }
            State::Quoted if b == b'"' => (State::QuoteInQuoted, None),
            State::QuoteInQuoted if b == b'"' => (State::Quoted, Some(b)),
            State::Quoted => (State::Quoted, Some(b)),
            _ => (State::Unquoted, Some(b)),
        };
        state = next;
        if let (Some(b), Some((bytes, _))) = (text, &mut out) {
            bytes.push(b);
        }
    }
    if let Some((bytes, ends)) = out {
        ends.push(bytes.len());
    }
    if state != State::Quoted {
        read.open = None;
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits `text` fed in pieces of `piece` bytes; each record as its fields.
    fn split_in_pieces(text: &str, piece: usize) -> Vec<Vec<String>> {
        split_with_strays(text, piece)
            .into_iter()
            .map(|(record, _)| record)
            .collect()
    }

    /// Splits `text` fed in pieces of `piece` bytes; each record as its fields and its stray
    /// quote.
    fn split_with_strays(text: &str, piece: usize) -> Vec<(Vec<String>, Option<usize>)> {
        // The texts' rows have three fields.
        split_rows_of(3, text, piece)
    }

    /// [`split_with_strays`] for rows of `width` fields (0: unknown, as while sampling).
    fn split_rows_of(width: usize, text: &str, piece: usize) -> Vec<(Vec<String>, Option<usize>)> {
        let mut splitter = RecordSplitter::with_width(b',', width);
        let mut records = Vec::new();
        let mut collect = |record: &Record| {
            records.push((
                (0..record.count())
                    .map(|i| record.get(i).unwrap().to_string())
                    .collect(),
                record.stray_quote,
            ));
            true
        };
        for chunk in text.as_bytes().chunks(piece.max(1)) {
            splitter.split(chunk, false, &mut collect);
        }
        splitter.split(&[], true, &mut collect);
        records
    }

    fn fields(records: &[&[&str]]) -> Vec<Vec<String>> {
        records
            .iter()
            .map(|r| r.iter().map(|f| f.to_string()).collect())
            .collect()
    }

    #[test]
    fn splits_plain_and_quoted_lines_alike_in_any_pieces() {
        let text = "a,b,c\r\n1,\"x, \"\"y\"\"\",3\n\n4,,\r5,\"two\nlines\",6\r\n\"7\"";
        let expected = fields(&[
            &["a", "b", "c"],
            &["1", "x, \"y\"", "3"],
            &[""],
            &["4", "", ""],
            &["5", "two\nlines", "6"],
            &["7"],
        ]);
        for piece in [1, 2, 3, 5, 7, 64] {
            assert_eq!(split_in_pieces(text, piece), expected, "pieces of {piece}");
        }
    }

    #[test]
    fn control_bytes_other_than_line_breaks_stay_in_fields() {
        let text = "a\tb,c\u{1}d,\u{7}\n,\tlong field over eight bytes\t,x\u{b}\n";
        let expected = fields(&[
            &["a\tb", "c\u{1}d", "\u{7}"],
            &["", "\tlong field over eight bytes\t", "x\u{b}"],
        ]);
        for piece in [1, 4, 9, 64] {
            assert_eq!(split_in_pieces(text, piece), expected, "pieces of {piece}");
        }
        let mut splitter = RecordSplitter::new(b'\t');
        let mut seen = Vec::new();
        splitter.split(b"one\ttwo,2\tthree and more\r\n", true, &mut |record| {
            seen.extend((0..record.count()).map(|i| record.get(i).unwrap().to_string()));
            true
        });
        assert_eq!(seen, ["one", "two,2", "three and more"]);
    }

    /// Every record of `text` as csv-core alone reads it (one call per record, growing buffers),
    /// and the byte where the last one starts when csv-core leaves its quote open at the end.
    fn csv_core_records(text: &[u8]) -> (Vec<Vec<String>>, Option<usize>) {
        let mut reader = ReaderBuilder::new().build();
        let (mut input, mut records) = (text, Vec::new());
        let (mut output, mut ends) = (vec![0; 1 << 16], vec![0; 1 << 12]);
        let (mut written, mut ended) = (0, 0);
        let mut record_start = 0;
        let mut open = None;
        loop {
            let blank = |b: &u8| *b == b'\r' || *b == b'\n';
            if input.is_empty() && open.is_none() && !text[record_start..].iter().all(blank) {
                // A line break ends the record unless csv-core is inside a quoted field.
                let mut probe = ReaderBuilder::new().build();
                let mut sink = (vec![0; 1 << 16], vec![0; 1 << 12]);
                let mut rest = &text[record_start..];
                while !rest.is_empty() {
                    let (_, read, ..) = probe.read_record(rest, &mut sink.0, &mut sink.1);
                    rest = &rest[read..];
                }
                let (result, ..) = probe.read_record(b"\n", &mut sink.0, &mut sink.1);
                if result == ReadRecordResult::InputEmpty {
                    open = Some(record_start);
                }
            }
            let (result, read, wrote, new_ends) =
                reader.read_record(input, &mut output[written..], &mut ends[ended..]);
            input = &input[read..];
            (written, ended) = (written + wrote, ended + new_ends);
            match result {
                ReadRecordResult::Record => {
                    let record = (0..ended)
                        .map(|i| {
                            let start = if i == 0 { 0 } else { ends[i - 1] };
                            String::from_utf8(output[start..ends[i]].to_vec()).unwrap()
                        })
                        .collect();
                    if open.is_none() {
                        records.push(record);
                    }
                    (written, ended) = (0, 0);
                    record_start = text.len() - input.len();
                }
                ReadRecordResult::End => return (records, open),
                ReadRecordResult::InputEmpty => {}
                _ => unreachable!("buffers are larger than the text"),
            }
        }
    }

    /// Records as the splitter must give them: csv-core's, except that a quote left open at the
    /// end makes its row a stray-quote row (`["STRAY"]` here) and the lines after it rows again.
    fn expected_records(text: &[u8]) -> Vec<Vec<String>> {
        let (mut records, open) = csv_core_records(text);
        if let Some(start) = open {
            let line = start
                + text[start..]
                    .iter()
                    .position(|&b| b != b'\r' && b != b'\n')
                    .unwrap();
            let mut rest = line
                + text[line..]
                    .iter()
                    .position(|&b| b == b'\r' || b == b'\n')
                    .unwrap_or(text.len() - line);
            if text[rest..].starts_with(b"\r\n") {
                rest += 2;
            } else if rest < text.len() {
                rest += 1;
            }
            records.push(vec!["STRAY".to_string()]);
            records.extend(expected_records(&text[rest..]));
        }
        records
    }

    /// The fast path must read every text exactly as csv-core does, whatever the pieces it
    /// arrives in — except that it hands on empty lines (as one empty field), which csv-core
    /// skips, and a quote left open at the end is a stray quote. Random texts over the bytes
    /// that matter, with long plain runs for the word scan.
    #[test]
    fn reads_like_csv_core_on_random_text_in_random_pieces() {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        const PIECES: [&str; 9] = ["a", ",", "\"", "\r", "\n", " ", "\r\n", "é", "abcdefghijk"];
        let mut strays = 0;
        for round in 0..20_000 {
            let text: String = (0..next(40)).map(|_| PIECES[next(PIECES.len())]).collect();
            // Records of one empty field are left out on both sides: csv-core gives them for a
            // lone `""` only, the fast path for every empty line too.
            let not_one_empty_field = |record: &Vec<String>| record != &[String::new()];
            let mut expected = expected_records(text.as_bytes());
            expected.retain(not_one_empty_field);
            let piece = 1 + next(12);
            // Without a row width: random lines of three fields inside a quoted field would be
            // taken for rows (two stray quotes), which csv-core knows nothing of.
            let mut actual: Vec<Vec<String>> = split_rows_of(0, &text, piece)
                .into_iter()
                .map(|(record, stray)| match stray {
                    Some(_) => vec!["STRAY".to_string()],
                    None => record,
                })
                .collect();
            actual.retain(not_one_empty_field);
            strays += actual.iter().filter(|r| r[0] == "STRAY").count();
            assert_eq!(
                actual, expected,
                "round {round}, pieces of {piece}: {text:?}"
            );
        }
        assert!(strays > 1_000, "{strays} stray quotes");
    }

    /// The records of `text` in pieces of every size in `pieces`, which must all agree.
    fn split_alike(text: &str, pieces: &[usize]) -> Vec<(Vec<String>, Option<usize>)> {
        let whole = split_with_strays(text, text.len());
        for &piece in pieces {
            assert_eq!(split_with_strays(text, piece), whole, "pieces of {piece}");
        }
        whole
    }

    fn row(fields: &[&str], stray: Option<usize>) -> (Vec<String>, Option<usize>) {
        (fields.iter().map(|f| f.to_string()).collect(), stray)
    }

    #[test]
    fn a_quote_open_at_the_end_is_a_stray_quote() {
        let records = split_alike(
            "a,b,c\n1,\"x,y\n2,z,w\r\n3,\"\"\"q\"\"\",\"v",
            &[1, 2, 3, 5, 8],
        );
        assert_eq!(
            records,
            [
                row(&["a", "b", "c"], None),
                row(&["1", "\"x", "y"], Some(1)),
                row(&["2", "z", "w"], None),
                // Only the open quote is read as a character; the closed field keeps its quotes'
                // meaning.
                row(&["3", "\"q\"", "\"v"], Some(2)),
            ]
        );
    }

    #[test]
    fn a_field_past_a_hundred_lines_of_rows_is_a_stray_quote_and_prose_is_not() {
        let rows: String = (0..150).map(|i| format!("{i},c{i},d\n")).collect();
        // A later quote closes the field: the line count decides, not the end of the input.
        let text = format!("a,b,c\n1,\"x,y\n{rows}9,\"z\",w\n");
        let records = split_alike(&text, &[1, 7, 64, 4096]);
        assert_eq!(records.len(), 153, "{:?}", &records[..3]);
        assert_eq!(records[1], row(&["1", "\"x", "y"], Some(1)));
        assert_eq!(records[2], row(&["0", "c0", "d"], None));
        assert_eq!(records[152], row(&["9", "z", "w"], None));

        // A hundred lines of a note that are not rows: one cell.
        let note: String = (0..150)
            .map(|i| format!("line {i} of a note\r\n"))
            .collect();
        let text = format!("a,b,c\n1,\"{note}\",y\n2,z,w\n");
        let whole = split_with_strays(&text, text.len());
        assert_eq!(whole.len(), 3);
        assert_eq!(whole[1], row(&["1", &note, "y"], None));
    }

    #[test]
    fn two_stray_quotes_close_together_leave_the_rows_between_them_rows() {
        let rows: String = (0..5).map(|i| format!("{i},c{i},d\n")).collect();
        // The second stray quote closes the field the first opened, five rows later.
        let text = format!("a,b,c\n1,\"x,y\n{rows}2,\"z,w\n3,v,u\n");
        let records = split_alike(&text, &[1, 2, 7, 64, 4096]);
        assert_eq!(
            records,
            [
                row(&["a", "b", "c"], None),
                row(&["1", "\"x", "y"], Some(1)),
                row(&["0", "c0", "d"], None),
                row(&["1", "c1", "d"], None),
                row(&["2", "c2", "d"], None),
                row(&["3", "c3", "d"], None),
                row(&["4", "c4", "d"], None),
                row(&["2", "\"z", "w"], Some(1)),
                row(&["3", "v", "u"], None),
            ]
        );

        // A note of three lines, one of which happens to hold two commas, stays one cell.
        let note = "Ring twice\nleave it, please, at the door\nthanks";
        let text = format!("a,b,c\n1,\"{note}\",y\n2,z,w\n");
        assert_eq!(
            split_alike(&text, &[1, 5, 64]),
            [
                row(&["a", "b", "c"], None),
                row(&["1", note, "y"], None),
                row(&["2", "z", "w"], None),
            ]
        );
    }

    #[test]
    fn a_field_past_a_megabyte_of_rows_is_a_stray_quote_and_one_long_cell_is_not() {
        // Twenty lines of 60 kB each that read as rows: decided at the megabyte, not at a line
        // count.
        let long_row = format!("{},b,c\n", "x".repeat(60_000));
        let text = format!("a,b,c\n1,\"x,y\n{}2,z,w\n", long_row.repeat(20));
        let records = split_alike(&text, &[1_000, 65_536]);
        assert_eq!(records.len(), 23);
        assert_eq!(records[1].1, Some(1));

        // Two megabytes in one quoted cell: a cell.
        let cell = "y".repeat(2 << 20);
        let text = format!("a,b,c\n1,\"{cell}\",z\n2,z,w\n");
        let records = split_alike(&text, &[100_000]);
        assert_eq!(records.len(), 3);
        assert_eq!(records[1], row(&["1", &cell, "z"], None));
    }

    #[test]
    fn empty_lines_are_records_of_one_empty_field() {
        let expected = fields(&[&["a"], &[""], &[""], &["b"]]);
        assert_eq!(split_in_pieces("a\n\n\r\nb\n", 64), expected);
        assert_eq!(split_in_pieces("a\r\n\r\n\r\nb", 1), expected);
    }

    #[test]
    fn a_lone_cr_ends_a_record() {
        let expected = fields(&[&["a", "1"], &["b", "2"]]);
        assert_eq!(split_in_pieces("a,1\rb,2\r", 64), expected);
        assert_eq!(split_in_pieces("a,1\r\"b\",2\r", 3), expected);
    }

    #[test]
    fn the_consumer_can_stop_early() {
        let mut splitter = RecordSplitter::new(b';');
        let mut seen = 0;
        splitter.split(b"a;b\nc;d\ne;f\n", true, &mut |_| {
            seen += 1;
            seen < 2
        });
        assert_eq!(seen, 2);
    }
}
