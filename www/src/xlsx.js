// Excel workbooks (.xlsx): recognised by their bytes, read by the Excel module — a WebAssembly
// module of its own (xlsx/ in the repository), fetched only when a workbook arrives — into the CSV
// text the engine reads, one line per sheet row, so every rule of reading a file applies
// unchanged and row numbers in messages are the sheet's.

import { lazyModule } from './lazyModule.js';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const ODS_MIMETYPE = new TextEncoder().encode('mimetypeapplication/vnd.oasis.opendocument.spreadsheet');

/**
 * Whether a file starting with `head` (its first bytes) goes to the Excel module: a ZIP archive
 * that is not an OpenDocument spreadsheet (the engine refuses those with a message saying what
 * to do). The module itself tells a workbook from another archive.
 */
export function looksLikeWorkbook(head) {
  if (!head || head.length < ZIP_MAGIC.length || ZIP_MAGIC.some((byte, i) => head[i] !== byte)) return false;
  return !contains(head.subarray(0, 200), ODS_MIMETYPE);
}

function contains(haystack, needle) {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * The Excel module, loaded and initialised once. `wasmUrl`: where its .wasm is, when a bundler
 * renamed it (the widget's worker is told); by default beside its glue.
 */
export const loadExcelModule = lazyModule(() => import('customer-lens-xlsx'));

function codedError(code, message, params) {
  return Object.assign(new Error(message), { code, params });
}

/** The index of the sheet `options.sheet` names (a sheet's name, or its index in `sheets`). */
function chosenSheet(sheet, sheets) {
  if (sheet === undefined || sheet === null || sheet === '') return null;
  const index = typeof sheet === 'number' ? sheet : sheets.indexOf(String(sheet));
  if (Number.isInteger(index) && index >= 0 && index < sheets.length) return index;
  throw codedError('xlsx_sheet_not_found', `This workbook has no sheet “${sheet}”: its sheets are ${sheets.join(', ')}.`, {
    sheet: String(sheet),
    sheets: sheets.join(', '),
  });
}

/**
 * Reads a workbook's orders into an `OrderBook`: the sheet `options.sheet` names, or else the
 * first sheet in which the engine finds a header (a sheet of notes before the orders is passed
 * over). `engine` is the engine's package (`OrderBookBuilder`), `excel` the Excel module
 * (`Workbook`); the other options are the engine's. Returns `{ book, workbook: { sheets, sheet } }`.
 * When no sheet can be read, throws the first sheet's error, its params naming the sheet.
 */
export function readWorkbook(bytes, options, engine, excel) {
  const { sheet, ...ingestOptions } = options ?? {};
  // The module writes UTF-8 CSV: the delimiter and encoding are not the user's to choose.
  const csvOptions = { ...ingestOptions, delimiter: ',', encoding: 'utf-8' };
  const workbook = new excel.Workbook(bytes);
  try {
    const sheets = workbook.sheetNames;
    const chosen = chosenSheet(sheet, sheets);
    const candidates = chosen === null ? sheets.map((_, index) => index) : [chosen];
    let firstError = null;
    for (const index of candidates) {
      try {
        const book = readSheet(workbook, index, csvOptions, engine);
        return { book, workbook: { sheets, sheet: sheets[index] } };
      } catch (error) {
        // A trap leaves the engine unusable: nothing more to try.
        if (error instanceof WebAssembly.RuntimeError) throw error;
        if (firstError === null) {
          firstError = error;
          error.params = { ...(error.params ?? {}), sheet: sheets[index], sheets: sheets.join(', ') };
          if (candidates.length > 1) error.message = `Sheet “${sheets[index]}”: ${error.message}`;
        }
      }
    }
    throw firstError;
  } finally {
    workbook.free();
  }
}

function readSheet(workbook, index, options, engine) {
  const builder = new engine.OrderBookBuilder(options);
  try {
    workbook.streamSheetCsv(index, (chunk) => builder.push(chunk));
    return builder.finish();
  } finally {
    // After a trap the builder is still marked as in use and freeing it throws: the trap's error
    // is the one to report.
    try {
      builder.free();
    } catch {}
  }
}
