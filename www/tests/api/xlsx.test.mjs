// Excel workbooks under Node: the Excel module (xlsx/pkg, built by scripts/build.sh) and the
// page's loader (src/xlsx.js) hand the engine (pkg/) the sheet as CSV. Each committed workbook of
// tests/data/xlsx/ (scripts/make_xlsx_fixtures.py) must read exactly as its CSV twin: counts,
// dates, revenue, rejected rows and every analysis; only what describes the text (encoding,
// delimiter, date order and decimal separator of text dates and amounts) may differ.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { looksLikeWorkbook, readWorkbook } from '../../src/xlsx.js';
import { syntheticOrderRows, toCsv, writeWorkbook } from '../support/xlsx-writer.mjs';

const root = new URL('../../../', import.meta.url);
const data = (name) => new Uint8Array(readFileSync(new URL(`tests/data/${name}`, root)));
let engine;
let excel;

before(async () => {
  engine = await import(new URL('pkg/customer_lens.js', root));
  engine.initSync({ module: readFileSync(new URL('pkg/customer_lens_bg.wasm', root)) });
  excel = await import(new URL('xlsx/pkg/customer_lens_xlsx.js', root));
  excel.initSync({ module: readFileSync(new URL('xlsx/pkg/customer_lens_xlsx_bg.wasm', root)) });
});

const TEXT_FIELDS = ['encoding', 'delimiter', 'dateOrder', 'dateOrderAmbiguous', 'decimalSeparator'];

/** The summary without the fields that describe the text, and notes by code only. */
function comparable(summary) {
  const rest = Object.fromEntries(Object.entries(summary).filter(([key]) => !TEXT_FIELDS.includes(key) && key !== 'notes'));
  rest.noteCodes = summary.noteCodes.filter((note) => note.code !== 'dates_ambiguous');
  rest.rejects = summary.rejects.map(({ row, column, code }) => ({ row, column, code }));
  return rest;
}

/** A result, or the message of the error it throws (a model that cannot be fitted on a few orders). */
function attempt(run) {
  try {
    return { value: run() };
  } catch (error) {
    return { error: error.message };
  }
}

function analyses(book) {
  return {
    summary: comparable(book.summary()),
    rfm: book.rfm({}),
    cohorts: book.cohorts({ period: 'month' }),
    retention: book.retentionRates({ period: 'month' }),
    lifecycle: book.lifecycle({}),
    rfmCsv: book.rfmCsv({}),
    clvCsv: attempt(() => book.clvCsv({})),
  };
}

function fromWorkbook(bytes, options = {}) {
  return readWorkbook(bytes, options, engine, excel);
}

describe('an .xlsx reads as its CSV twin', () => {
  const twins = [
    ['online-retail-slice.xlsx', 'online-retail-slice.csv', 'date cells with times, numbers, float customer ids'],
    ['kiotviet-titled.xlsx', 'kiotviet-invoices-titled.csv', 'merged title cells above the header, text dates, numbers stored as text'],
    ['two-sheets.xlsx', 'sapo-orders.csv', 'orders on the second sheet, dates as serial numbers'],
    ['haravan-1904.xlsx', 'haravan-orders.csv', 'the 1904 date system'],
  ];
  for (const [workbookName, csvName, what] of twins) {
    test(`${workbookName} (${what})`, () => {
      const { book, workbook } = fromWorkbook(data(`xlsx/${workbookName}`));
      const csvBook = engine.OrderBook.fromCsv(data(csvName), {});
      try {
        const fromXlsx = analyses(book);
        const fromCsv = analyses(csvBook);
        assert.ok(fromXlsx.summary.rowsRead > 0);
        assert.deepEqual(fromXlsx, fromCsv);
        assert.equal(workbook.sheet, workbook.sheets.at(-1));
      } finally {
        book.free();
        csvBook.free();
      }
    });
  }

  test('the title block is counted as in the CSV: the header is row 4', () => {
    const { book } = fromWorkbook(data('xlsx/kiotviet-titled.xlsx'));
    const summary = book.summary();
    book.free();
    assert.equal(summary.titleLines, 3);
    assert.deepEqual(summary.noteCodes.find((n) => n.code === 'title_lines')?.params, { headerLine: '4', lines: '3' });
    assert.equal(summary.rowsRead, 7);
  });
});

describe('sheets', () => {
  test('the first sheet with a recognisable header is read; a sheet of notes before it is passed over', () => {
    const { book, workbook } = fromWorkbook(data('xlsx/two-sheets.xlsx'));
    book.free();
    assert.deepEqual(workbook, { sheets: ['Hướng dẫn', 'Đơn hàng'], sheet: 'Đơn hàng' });
  });

  test('a sheet is chosen by name or index; a sheet without orders is refused naming it', () => {
    const byName = fromWorkbook(data('xlsx/two-sheets.xlsx'), { sheet: 'Đơn hàng' });
    const byIndex = fromWorkbook(data('xlsx/two-sheets.xlsx'), { sheet: 1 });
    assert.deepEqual(byName.book.summary(), byIndex.book.summary());
    byName.book.free();
    byIndex.book.free();
    assert.throws(() => fromWorkbook(data('xlsx/two-sheets.xlsx'), { sheet: 'Hướng dẫn' }), (error) => {
      assert.ok(error.code, 'an engine error code');
      assert.equal(error.params.sheet, 'Hướng dẫn');
      return true;
    });
    assert.throws(() => fromWorkbook(data('xlsx/two-sheets.xlsx'), { sheet: 'Orders' }), {
      code: 'xlsx_sheet_not_found',
      message: 'This workbook has no sheet “Orders”: its sheets are Hướng dẫn, Đơn hàng.',
    });
  });

  test('when no sheet has orders, the first sheet’s error says which sheet', () => {
    const bytes = writeWorkbook([
      { name: 'Notes', rows: [['Exported on 2024-06-01']] },
      { name: 'Totals', rows: [['Month', 'Revenue'], ['2024-05', 1200]] },
    ]);
    assert.throws(() => fromWorkbook(bytes), (error) => {
      assert.match(error.message, /^Sheet “Notes”: /);
      assert.equal(error.params.sheet, 'Notes');
      assert.equal(error.params.sheets, 'Notes, Totals');
      return true;
    });
  });
});

describe('rows', () => {
  test('row numbers in messages are the sheet’s: empty rows count, trailing ones do not', () => {
    const rows = [
      ['Order', 'Customer', 'Date', 'Total'],
      ['A1', 'C1', new Date(Date.UTC(2024, 0, 5)), 100],
      null,
      ['A2', 'C2', 'not a date', 50],
      ['A3', 'C1', '31/01/2024', '1.250,50'],
      ['A4', 'C3', new Date(Date.UTC(2024, 1, 2, 9, 30)), 'abc'],
      null,
      null,
    ];
    const { book } = fromWorkbook(writeWorkbook([{ name: 'Orders', rows }]));
    const summary = book.summary();
    book.free();
    assert.equal(summary.rowsRead, 4);
    assert.equal(summary.blankLines, 1);
    assert.deepEqual(summary.rejects.map((r) => [r.row, r.column, r.code]), [
      [4, 'Date', 'date_unrecognised'],
      [6, 'Total', 'value_not_a_number'],
    ]);
    assert.equal(summary.firstDate, '2024-01-05');
    assert.equal(summary.lastDate, '2024-01-31');
    assert.equal(summary.revenue, 1350.5);
  });

  test('files that are not workbooks', () => {
    assert.equal(looksLikeWorkbook(data('xlsx/two-sheets.xlsx').subarray(0, 64)), true);
    assert.equal(looksLikeWorkbook(data('sapo-orders.csv').subarray(0, 64)), false);
    const ods = new TextEncoder().encode('PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet');
    assert.equal(looksLikeWorkbook(ods), false, 'the engine refuses .ods with its own message');
    assert.throws(() => fromWorkbook(data('xlsx/orders-csv.zip')), { code: 'xlsx_not_a_workbook' });
  });
});

describe('100,000 rows', () => {
  test('a generated workbook reads as its CSV twin', () => {
    const rows = syntheticOrderRows(100_000);
    const workbookBytes = writeWorkbook([{ name: 'Orders', rows }]);
    const csvBytes = new TextEncoder().encode(toCsv(rows));
    const { book } = fromWorkbook(workbookBytes);
    const csvBook = engine.OrderBook.fromCsv(csvBytes, {});
    try {
      const summary = comparable(book.summary());
      assert.equal(summary.rowsRead, 100_000);
      assert.equal(summary.rowsRejected, 0);
      assert.deepEqual(summary, comparable(csvBook.summary()));
      assert.deepEqual(book.rfm({}), csvBook.rfm({}));
    } finally {
      book.free();
      csvBook.free();
    }
  });
});
