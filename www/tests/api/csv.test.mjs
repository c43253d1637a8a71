// One CSV rule for the engine and the page: the page's own lists (views/csv.js, `csvCell`) quote
// and neutralise text exactly as the engine's exports do (src/csv_writer.rs, `CsvWriter::text` and
// `neutralise_formula`). Each tricky cell goes through an engine export — an RFM export of a
// one-customer book whose customer id is the cell, scored by one rule whose segment name is the
// cell — and through `csvCell`; both must write it alike, so a change to either rule fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { initSync, OrderBook } from '../../../pkg/customer_lens.js';
import { csvCell } from '../../src/views/csv.js';

initSync({ module: readFileSync(new URL('../../../pkg/customer_lens_bg.wasm', import.meta.url)) });

/** Text a spreadsheet would run, text it would not, text that needs quotes, phone ids in and out of E.164. */
const CELLS = [
  '=SUM(A1)',
  '=HYPERLINK("x")',
  "=cmd|' /C calc'!A0",
  '+1',
  '+84912345678',
  '+1234567',
  '+123456789012345',
  '+123456',
  '+1234567890123456',
  '+84912345678+1',
  '+84 912 345 678',
  '+٨٤٩١٢٣٤٥٦٧٨',
  '-5x',
  '-42',
  '@x',
  '@SUM(A1)',
  'a,b',
  'he said "hi"',
  'say "hi", then\nleave',
  'two\nlines',
  'a=b',
  '12347',
  'C17850',
  'Nguyễn',
];

/** The header of an RFM export. */
const HEADER = 'customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment\n';

/** The engine's RFM export of one customer, `id`, scored by one rule naming the segment `segment`. */
function engineRow(id, segment = id) {
  const book = OrderBook.fromColumns({ customer: [id], date: ['2024-01-01'], total: new Float64Array([5]) });
  try {
    const text = book.rfmCsv({ rules: [{ segment, r: [1, 5], f: [1, 5], m: [1, 5] }] });
    assert.ok(text.startsWith(HEADER), 'the RFM export’s header');
    return text.slice(HEADER.length);
  } finally {
    book.free();
  }
}

/** Whether `row` (one line of the engine's export) has `cell` as its first and its last field. */
function assertFirstAndLast(row, cell, what) {
  assert.ok(row.startsWith(`${cell},`), `${what}: the engine wrote the customer id as ${JSON.stringify(row.slice(0, cell.length + 1))}, the page ${JSON.stringify(cell)}`);
  assert.ok(row.endsWith(`,${cell}\n`), `${what}: the engine wrote the segment as ${JSON.stringify(row.slice(-cell.length - 2))}, the page ${JSON.stringify(cell)}`);
}

describe('the page’s CSV cells and the engine’s exports', () => {
  test('every tricky cell is written alike: neutralised, quoted, or left as it is', () => {
    for (const cell of CELLS) assertFirstAndLast(engineRow(cell), csvCell(cell), JSON.stringify(cell));
  });

  test('a phone id in E.164 is written as it is by both; anything else starting with + gets the apostrophe', () => {
    assert.equal(csvCell('+84912345678'), '+84912345678');
    assert.equal(csvCell('+1234567'), '+1234567', '7 digits: the shortest international number');
    assert.equal(csvCell('+123456789012345'), '+123456789012345', '15 digits: the longest');
    for (const cell of ['+1', '+123456', '+1234567890123456', '+84912345678+1', '+84 912 345 678', '+٨٤٩١٢٣٤٥٦٧٨']) {
      assert.equal(csvCell(cell), `'${cell}`, cell);
    }
  });

  // The engine trims every customer id and segment name as it reads them, so none of its exports
  // starts a cell with a tab or a carriage return: what both write for the text it keeps is
  // compared, and the page's rule for a leading tab or carriage return is pinned to the cases of
  // csv_writer.rs's own test (`text_fields_are_neutralised_then_quoted`).
  test('a tab or carriage return first: what the engine keeps is written alike; the page neutralises them as the engine’s writer does', () => {
    for (const cell of ['\tx', '\rx', ' padded ', '\t=SUM(A1)']) {
      const kept = cell.trim();
      assertFirstAndLast(engineRow(cell), csvCell(kept), JSON.stringify(cell));
    }
    assert.equal(csvCell('\tx'), "'\tx");
    assert.equal(csvCell('\rx'), `"'\rx"`);
  });
});
