//! One range of a file read by one worker (see [`crate::ingest::split`]): read as one pass reads
//! it — the same sample decides encoding, delimiter, header and columns in every worker — and
//! handed on as bytes, or finished into the book with the other ranges merged in.

use super::super::decode::detect_encoding;
use super::super::orders::Decoding;
use super::{RecordReader, SNIFF_BYTES, start_reader};
use crate::ingest::charset::Charset;
use crate::ingest::{IngestError, IngestOptions, IngestedBook};

/// Reads the records of one byte range of a file: the first range from the file's start, any
/// other from the start of a record (just past a line break).
pub struct RangeReader {
    reader: Box<RecordReader>,
    /// Whether the file may be read in ranges at all (see [`RangeReader::splittable`]).
    splittable: bool,
    /// The last input was fed.
    ended: bool,
}

impl RangeReader {
    /// A reader for the range of a file of `file_bytes` bytes whose first [`SNIFF_BYTES`]
    /// (or all, for a smaller file) are `sample`; `first` when the range starts the file. The
    /// options and the file are judged as one pass judges them, with the same errors.
    pub fn new(
        options: &IngestOptions,
        sample: &[u8],
        file_bytes: u64,
        first: bool,
    ) -> Result<RangeReader, IngestError> {
        let sample = &sample[..sample.len().min(SNIFF_BYTES)];
        // One pass decides once SNIFF_BYTES arrived; a smaller file is its whole sample.
        let complete = file_bytes < SNIFF_BYTES as u64;
        let mut reader = start_reader(options, sample, complete)?;
        let charset = match options.encoding {
            Some(encoding) => encoding.charset,
            None => detect_encoding(sample, complete).charset,
        };
        // Encodings in which a `\n` byte is a line break and starts no character.
        let byte_lines = matches!(
            charset,
            Charset::Utf8
                | Charset::Utf8OrWindows1252
                | Charset::Windows1252
                | Charset::Windows1258
        );
        if !first {
            reader.title_records = 0;
            reader.skip_header = false;
            if matches!(charset, Charset::Utf8 | Charset::Utf8OrWindows1252) {
                // Past the start of the file: a BOM is text (the decoder drops only the first).
                reader
                    .decoder
                    .decode(b"\xEF\xBB\xBF", false, &mut Vec::new());
            }
        }
        let splittable =
            byte_lines && reader.whitespace.is_none() && reader.orders.date_order_settled();
        Ok(RangeReader {
            reader,
            splittable,
            ended: false,
        })
    }

    /// Whether the file can be read in ranges: an encoding whose line breaks are `\n` bytes,
    /// columns split at a delimiter (not runs of blanks), and a day/month order the sample
    /// settled. Otherwise one reader reads it whole.
    pub fn splittable(&self) -> bool {
        self.splittable
    }

    /// The range's size, for sizing the order columns once (see
    /// [`super::OrderBookBuilder::expect_bytes`]).
    pub fn expect_bytes(&mut self, total: u64) {
        self.reader.expected_bytes = Some(total);
    }

    pub fn push(&mut self, chunk: &[u8]) {
        self.reader.feed(chunk, false);
    }

    /// True when the bytes pushed end between records, past the header: the next range was
    /// cut where one pass would be at the start of a record, so reading it apart reads it the
    /// same. False when its cut fell inside a quoted field (the file is then read whole).
    pub fn aligned(&self) -> bool {
        !self.reader.skip_header && self.reader.splitter.at_record_start()
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.reader.orders.rows_read()
    }

    /// The range read, as bytes for [`RangeReader::absorb`] of the first range.
    pub fn into_partial(mut self) -> Vec<u8> {
        self.end();
        let decoder = &self.reader.decoder;
        let decoding = Decoding {
            replaced: decoder.had_replacements,
            windows_1252_bytes: decoder.windows_1252_bytes,
        };
        self.reader.orders.into_partial(decoding)
    }

    /// Merges the part of the next range ([`RangeReader::into_partial`]): parts are absorbed
    /// in file order, after this range (the first).
    pub fn absorb(&mut self, part: &[u8]) -> Result<(), IngestError> {
        self.end();
        let reader = &mut self.reader;
        let decoding = reader.orders.absorb(part)?;
        reader.decoder.had_replacements |= decoding.replaced;
        reader.decoder.windows_1252_bytes += decoding.windows_1252_bytes;
        Ok(())
    }

    /// The book of the whole file: this range and the parts absorbed.
    pub fn finish(mut self) -> Result<IngestedBook, IngestError> {
        self.end();
        self.reader.into_book()
    }

    /// Reads the range's last record, once.
    fn end(&mut self) {
        if !self.ended {
            self.reader.feed(&[], true);
            self.ended = true;
        }
    }
}
