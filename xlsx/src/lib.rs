//! Reads the sheets of an Excel workbook (.xlsx) as the CSV text customer-lens already reads.
//!
//! The engine's ingestion (delimiters, header search below a title block, dates, amounts, the
//! row report) is written once, for text. A workbook is turned into that text here, one CSV line
//! per sheet row — empty rows as empty lines, so the row numbers in the engine's messages are
//! the sheet's — and handed to the engine unchanged. This crate is built into its own `.wasm`,
//! loaded only when a workbook arrives, so the engine's stays small.
//!
//! What the CSV holds, cell by cell: text as written (line breaks inside a cell become spaces, so
//! one row stays one line); numbers as Excel shows them, to 15 significant digits; cells typed as
//! dates, and numbers formatted as dates, as ISO dates (`2011-12-09`, with `T08:26:00` when the
//! time is not midnight); `TRUE`/`FALSE`; error values as Excel writes them (`#N/A`). Empty cells
//! at the end of a row and empty rows at the end of the sheet are left out; a row is padded to
//! the widest row above it, so data rows keep every column of their header.

#[cfg(target_arch = "wasm32")]
mod wasm;

mod cell_text;

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx, XlsxError};

pub use cell_text::{date_text, number_text};

/// Bytes of CSV handed over at a time when a sheet is streamed.
pub const CHUNK_BYTES: usize = 1 << 20;

/// A workbook held in memory (a .xlsx is a ZIP archive, read whole), its sheets read on demand.
pub struct Workbook {
    xlsx: Xlsx<Cursor<Vec<u8>>>,
    sheets: Vec<String>,
}

/// Why a workbook or a sheet cannot be read: a stable `code`, its `params`, and the English
/// message (the page words the code in the user's language).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkbookError {
    pub code: &'static str,
    pub message: String,
    pub params: Vec<(&'static str, String)>,
}

/// What stops streaming a sheet: the workbook could not be read, or the receiver of the CSV
/// (the engine) refused it.
#[derive(Debug)]
pub enum StreamError<E> {
    Workbook(WorkbookError),
    Sink(E),
}

impl Workbook {
    /// Opens a workbook from the bytes of a .xlsx file.
    pub fn open(bytes: Vec<u8>) -> Result<Workbook, WorkbookError> {
        // The names of its parts tell a damaged workbook from another ZIP archive.
        let is_excel = contains(&bytes, b"xl/");
        let xlsx = Xlsx::new(Cursor::new(bytes)).map_err(|error| {
            if is_excel {
                unreadable(&error)
            } else {
                not_a_workbook()
            }
        })?;
        let sheets = xlsx.sheet_names();
        if sheets.is_empty() {
            return Err(WorkbookError {
                code: "xlsx_no_sheets",
                message: "This workbook has no sheets: open it in Excel, check that your orders \
                          are in it, and save it again."
                    .into(),
                params: Vec::new(),
            });
        }
        Ok(Workbook { xlsx, sheets })
    }

    /// The names of the sheets, in the workbook's order.
    pub fn sheet_names(&self) -> &[String] {
        &self.sheets
    }

    /// The sheet's rows as CSV, whole.
    pub fn sheet_csv(&mut self, index: usize) -> Result<Vec<u8>, WorkbookError> {
        let mut csv = Vec::new();
        self.stream_sheet_csv(index, usize::MAX, |chunk| {
            csv.extend_from_slice(chunk);
            Ok::<(), std::convert::Infallible>(())
        })
        .map_err(|error| match error {
            StreamError::Workbook(error) => error,
            StreamError::Sink(never) => match never {},
        })?;
        Ok(csv)
    }

    /// The sheet's rows as CSV, handed to `sink` in chunks of whole lines of about `chunk_bytes`
    /// as its XML is read, so neither the sheet's cells nor its CSV are ever held whole.
    pub fn stream_sheet_csv<E>(
        &mut self,
        index: usize,
        chunk_bytes: usize,
        mut sink: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<(), StreamError<E>> {
        let Some(name) = self.sheets.get(index).cloned() else {
            return Err(StreamError::Workbook(WorkbookError {
                code: "xlsx_sheet_not_found",
                message: format!(
                    "This workbook has no sheet {}: its sheets are {}.",
                    index + 1,
                    self.sheets.join(", ")
                ),
                params: vec![
                    ("sheet", (index + 1).to_string()),
                    ("sheets", self.sheets.join(", ")),
                ],
            }));
        };
        let sheet_error = |error: XlsxError| StreamError::Workbook(sheet_unreadable(&name, &error));
        let mut cells = self
            .xlsx
            .worksheet_cells_reader(&name)
            .map_err(sheet_error)?;
        let mut rows = RowWriter::default();
        while let Some(cell) = cells.next_cell().map_err(sheet_error)? {
            let (row, column) = cell.get_position();
            rows.cell(row, column, cell.get_value());
            if rows.out.len() >= chunk_bytes {
                sink(&rows.out).map_err(StreamError::Sink)?;
                rows.out.clear();
            }
        }
        rows.finish_row();
        if !rows.out.is_empty() {
            sink(&rows.out).map_err(StreamError::Sink)?;
        }
        Ok(())
    }
}

/// Writes cells, met row by row in the sheet's order, as CSV lines.
#[derive(Default)]
struct RowWriter {
    out: Vec<u8>,
    /// The current row's line, not yet written (it may turn out empty).
    line: Vec<u8>,
    /// The sheet row of `line`.
    row: u32,
    /// Commas in `line`: the column the last cell written to it is in.
    commas: u32,
    /// Whether `line` holds a cell.
    filled: bool,
    /// The sheet row the next line of `out` stands for.
    next_line: u32,
    /// Columns of the widest row written so far.
    width: u32,
}

impl RowWriter {
    fn cell(&mut self, row: u32, column: u32, value: &DataRef<'_>) {
        if row != self.row {
            self.finish_row();
            self.row = row;
        }
        let start = self.line.len();
        for _ in self.commas..column {
            self.line.push(b',');
        }
        let text_start = self.line.len();
        cell_text::write_cell(&mut self.line, value);
        if self.line.len() == text_start {
            self.line.truncate(start);
        } else {
            self.commas = column;
            self.filled = true;
        }
    }

    /// Writes the current row, after an empty line for each empty row above it; an empty row
    /// is only written when a filled one follows.
    fn finish_row(&mut self) {
        if self.filled {
            for _ in self.next_line..self.row {
                self.out.push(b'\n');
            }
            self.out.extend_from_slice(&self.line);
            self.width = self.width.max(self.commas + 1);
            for _ in self.commas + 1..self.width {
                self.out.push(b',');
            }
            self.out.push(b'\n');
            self.next_line = self.row + 1;
        }
        self.line.clear();
        self.commas = 0;
        self.filled = false;
    }
}

fn not_a_workbook() -> WorkbookError {
    WorkbookError {
        code: "xlsx_not_a_workbook",
        message: "This is a ZIP archive, not an Excel workbook (.xlsx) nor a CSV file: unzip it \
                  first and choose the orders file inside."
            .into(),
        params: Vec::new(),
    }
}

fn unreadable(error: &XlsxError) -> WorkbookError {
    WorkbookError {
        code: "xlsx_unreadable",
        message: format!(
            "This Excel workbook could not be read ({error}): open it in Excel and save it again \
             as an Excel Workbook (.xlsx), or save the sheet with your orders as CSV (UTF-8)."
        ),
        params: vec![("detail", error.to_string())],
    }
}

fn sheet_unreadable(sheet: &str, error: &XlsxError) -> WorkbookError {
    WorkbookError {
        code: "xlsx_sheet_unreadable",
        message: format!(
            "The sheet “{sheet}” could not be read ({error}): open the workbook in Excel and save \
             it again, or save this sheet as CSV (UTF-8)."
        ),
        params: vec![("sheet", sheet.to_string()), ("detail", error.to_string())],
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    /// The page words every error of this module by its code and params in English and
    /// Vietnamese (www/src/messages/engine.js); the codes are read from this file's source, so a
    /// new one cannot be left unworded.
    #[test]
    fn every_code_is_worded_by_the_page() {
        let source = include_str!("lib.rs");
        let wording = include_str!("../../www/src/messages/engine.js");
        let codes: Vec<&str> = source
            .split("code: \"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|code| code.starts_with("xlsx_"))
            .collect();
        assert_eq!(codes.len(), 5, "{codes:?}");
        for code in codes {
            let key = format!("'message.{code}'");
            assert_eq!(
                wording.matches(&key).count(),
                2,
                "{key} in English and Vietnamese"
            );
        }
    }
}
