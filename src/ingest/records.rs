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

/// One record: its fields are `bytes[start(i)..ends[i]]`.
pub(super) struct Record<'a> {
    pub bytes: &'a [u8],
    pub ends: &'a [usize],
    /// Bytes between one field's end and the next one's start: 1 where the record is a slice of
    /// the text (the delimiter is still there), 0 where the fields were copied end to end.
    pub gap: usize,
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
        }
    }

    /// Splits `input` into records, handing each to `on_record` until it returns false; `last`
    /// says no input follows, so a final line without a line break is a record too.
    ///
    /// `on_record` is a trait object so that the two callers (sampling and reading) share one
    /// copy of this code in the `.wasm`; the call per record costs nothing measurable.
    pub fn split(&mut self, input: &[u8], last: bool, on_record: &mut dyn FnMut(&Record) -> bool) {
        let mut pos = 0;
        loop {
            if self.in_csv {
                let (read, record_ended) = self.read_quoted(&input[pos..], last, on_record);
                pos += read;
                match record_ended {
                    Some(true) => continue,
                    _ => return,
                }
            }
            if self.skip_lf && pos < input.len() {
                self.skip_lf = false;
                if input[pos] == b'\n' {
                    pos += 1;
                }
            }
            if pos == input.len() {
                return;
            }
            match self.split_line(&input[pos..], last) {
                Some(len) => {
                    let line = &input[pos..];
                    let record = Record {
                        bytes: line,
                        ends: &self.line_ends,
                        gap: 1,
                    };
                    let more = on_record(&record);
                    if len < line.len() {
                        self.skip_lf = line[len] == b'\r';
                        pos += len + 1;
                    } else {
                        pos += len;
                    }
                    if !more {
                        return;
                    }
                }
                None => self.in_csv = true,
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

    /// Feeds csv-core until it closes the record it holds; returns the bytes read and whether a
    /// record ended (`None` when csv-core has nothing more to give: the end of the file, or the
    /// consumer stopped).
    fn read_quoted(
        &mut self,
        mut input: &[u8],
        last: bool,
        on_record: &mut dyn FnMut(&Record) -> bool,
    ) -> (usize, Option<bool>) {
        let mut read_total = 0;
        loop {
            // csv-core reads an empty input as the end of the file and closes the record in
            // progress: an input that decoded to no text (blanks of a whitespace-separated file,
            // the first byte of a split character) must not reach it before the last call.
            if input.is_empty() && !last {
                return (read_total, None);
            }
            let (result, read, written, ended) = self.csv.read_record(
                input,
                &mut self.record[self.record_len..],
                &mut self.ends[self.ends_len..],
            );
            let last_byte = input[..read].last().copied();
            input = &input[read..];
            read_total += read;
            self.record_len += written;
            self.ends_len += ended;
            match result {
                ReadRecordResult::InputEmpty => {
                    if !last {
                        return (read_total, None);
                    }
                }
                ReadRecordResult::OutputFull => {
                    let len = self.record.len().max(1024);
                    self.record.resize(len * 2, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len().max(64);
                    self.ends.resize(len * 2, 0);
                }
                ReadRecordResult::Record => {
                    let record = Record {
                        bytes: &self.record[..self.record_len],
                        ends: &self.ends[..self.ends_len],
                        gap: 0,
                    };
                    let more = on_record(&record);
                    self.record_len = 0;
                    self.ends_len = 0;
                    self.in_csv = false;
                    self.skip_lf = last_byte == Some(b'\r');
                    return (read_total, Some(more));
                }
                ReadRecordResult::End => {
                    self.in_csv = false;
                    return (read_total, None);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits `text` fed in pieces of `piece` bytes; each record as its fields.
    fn split_in_pieces(text: &str, piece: usize) -> Vec<Vec<String>> {
        let mut splitter = RecordSplitter::new(b',');
        let mut records = Vec::new();
        let mut collect = |record: &Record| {
            records.push(
                (0..record.count())
                    .map(|i| record.get(i).unwrap().to_string())
                    .collect(),
            );
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

    /// Every record of `text` as csv-core alone reads it (one call per record, growing buffers).
    fn csv_core_records(text: &[u8]) -> Vec<Vec<String>> {
        let mut reader = ReaderBuilder::new().build();
        let (mut input, mut records) = (text, Vec::new());
        let (mut output, mut ends) = (vec![0; 1 << 16], vec![0; 1 << 12]);
        let (mut written, mut ended) = (0, 0);
        loop {
            let (result, read, wrote, new_ends) =
                reader.read_record(input, &mut output[written..], &mut ends[ended..]);
            input = &input[read..];
            (written, ended) = (written + wrote, ended + new_ends);
            match result {
                ReadRecordResult::Record => {
                    records.push(
                        (0..ended)
                            .map(|i| {
                                let start = if i == 0 { 0 } else { ends[i - 1] };
                                String::from_utf8(output[start..ends[i]].to_vec()).unwrap()
                            })
                            .collect(),
                    );
                    (written, ended) = (0, 0);
                }
                ReadRecordResult::End => return records,
                ReadRecordResult::InputEmpty => {}
                _ => unreachable!("buffers are larger than the text"),
            }
        }
    }

    /// The fast path must read every text exactly as csv-core does, whatever the pieces it
    /// arrives in — except that it hands on empty lines (as one empty field), which csv-core
    /// skips. Random texts over the bytes that matter, with long plain runs for the word scan.
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
        for round in 0..20_000 {
            let text: String = (0..next(40)).map(|_| PIECES[next(PIECES.len())]).collect();
            // Records of one empty field are left out on both sides: csv-core gives them for a
            // lone `""` only, the fast path for every empty line too.
            let not_one_empty_field = |record: &Vec<String>| record != &[String::new()];
            let mut expected = csv_core_records(text.as_bytes());
            expected.retain(not_one_empty_field);
            let piece = 1 + next(12);
            let mut actual = split_in_pieces(&text, piece);
            actual.retain(not_one_empty_field);
            assert_eq!(
                actual, expected,
                "round {round}, pieces of {piece}: {text:?}"
            );
        }
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
