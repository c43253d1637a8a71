// Orders a host page already holds: OrderBook.fromRows (plain objects) and OrderBook.fromColumns
// (arrays per column) give what OrderBook.fromCsv gives for the same orders written as CSV — on a
// slice of Online Retail (line items, a country per order), a Haravan export (Vietnamese headers,
// product lines, contacts) and a one-row-per-order file — and bad input is named by row and
// column with a code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';

const pkgUrl = new URL('../../../pkg/', import.meta.url);
let api;

before(async () => {
  api = await import(new URL('customer_lens.js', pkgUrl));
  api.initSync({ module: readFileSync(new URL('customer_lens_bg.wasm', pkgUrl)) });
});

const data = (name) => readFileSync(new URL(`../../../tests/data/${name}`, import.meta.url), 'utf8');
const encode = (text) => new TextEncoder().encode(text);

/** RFC 4180 records of a CSV text (quoted fields, doubled quotes, CRLF), the header first. */
function parseCsv(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; } else if (c === '\n') { record.push(field); records.push(record); record = []; field = ''; } else if (c !== '\r') field += c;
  }
  if (field !== '' || record.length > 0) { record.push(field); records.push(record); }
  return records;
}

/** The file's rows as objects keyed by its header; `convert(header, text)` gives each value. */
function rowsOf(text, convert = (_, value) => value) {
  const [header, ...records] = parseCsv(text);
  return records.map((record) => Object.fromEntries(header.map((name, i) => [name, convert(name, record[i])])));
}

/** The same rows as columns: an array per header, numbers as a Float64Array where all are. */
function columnsOf(rows) {
  const columns = {};
  for (const key of Object.keys(rows[0])) {
    const values = rows.map((row) => row[key]);
    columns[key] = values.every((v) => typeof v === 'number') ? Float64Array.from(values) : values;
  }
  return columns;
}

/** What the book holds, by analysis: the same for the same orders however they arrived. */
function results(book) {
  const { encoding, delimiter, ...summary } = book.summary();
  const products = book.summary().columns.some(([role]) => role === 'productId');
  return {
    summary,
    rfm: book.rfmCustomers(),
    cohorts: book.cohorts({ period: 'month' }),
    attributes: book.attributes(),
    ...(products ? { pairs: book.boughtTogether({ top: 5 }) } : {}),
  };
}

function assertSameAsCsv(csv, rows, options = {}) {
  const fromCsv = api.OrderBook.fromCsv(encode(csv), options);
  const expected = results(fromCsv);
  assert.ok(expected.summary.orders > 0, 'the file has orders');
  for (const [name, book] of [['fromRows', api.OrderBook.fromRows(rows, options)], ['fromColumns', api.OrderBook.fromColumns(columnsOf(rows), options)]]) {
    const summary = book.summary();
    assert.equal(summary.encoding, 'objects', name);
    assert.deepEqual(results(book), expected, name);
    book.free();
  }
  fromCsv.free();
}

/** A one-row-per-order file: `count` orders of many customers (seeded), with integer ids. */
function ordersCsv(count) {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = ['order_id,customer_id,order_date,amount'];
  for (let i = 1; i <= count; i++) {
    const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(random() * 500) * 86400000).toISOString().slice(0, 10);
    lines.push(`${1000 + i},${Math.floor(random() * count / 3)},${day},${(random() * 300 - 20).toFixed(2)}`);
  }
  return `${lines.join('\n')}\n`;
}

const number = (text) => (text.trim() === '' ? null : Number(text));

describe('fromRows and fromColumns read what fromCsv reads', () => {
  test('Online Retail lines: texts as a CSV holds them', () => {
    const csv = data('online-retail-slice.csv');
    assertSameAsCsv(csv, rowsOf(csv), { preset: 'online-retail' });
  });

  test('Online Retail lines: quantities and prices as numbers, dates as Date objects', () => {
    const csv = data('online-retail-slice.csv');
    const rows = rowsOf(csv, (name, text) => {
      if (name === 'Quantity' || name === 'UnitPrice') return number(text);
      if (name === 'InvoiceDate') return new Date(`${text.replace(' ', 'T')}Z`);
      return text;
    });
    // Dates arrive as ISO 8601 (`2010-12-01T08:26:00.000Z`): the CSV written the same way.
    const [header, ...records] = parseCsv(csv);
    const at = header.indexOf('InvoiceDate');
    const quote = (f) => (/[",\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f);
    const iso = [header, ...records.map((r) => r.map((f, i) => (i === at ? new Date(`${f.replace(' ', 'T')}Z`).toISOString() : f)))];
    assertSameAsCsv(`${iso.map((r) => r.map(quote).join(',')).join('\n')}\n`, rows, { preset: 'online-retail' });
  });

  test('a Haravan export: Vietnamese headers, product lines, phone contacts, attributes', () => {
    const csv = data('haravan-orders.csv');
    assertSameAsCsv(csv, rowsOf(csv), { attributes: ['Tên sản phẩm'] });
  });

  test('one row per order, ids and amounts as numbers; with the columns option', () => {
    const csv = ordersCsv(3000);
    const rows = rowsOf(csv, (name, text) => (name === 'order_date' ? text : number(text)));
    assert.equal(typeof rows[0].amount, 'number');
    assertSameAsCsv(csv, rows);
    const renamed = rows.map(({ order_id: o, customer_id: c, order_date: d, amount: a }) => ({ ref: o, who: c, when: d, paid: a }));
    const options = { columns: { order: 'ref', customer: 'who', date: 'when', amount: 'paid' } };
    assertSameAsCsv(csv.replace('order_id,customer_id,order_date,amount', 'ref,who,when,paid'), renamed, options);
  });

  test('past the first chunk of rows and the sample: 10,000 rows, a reject near the end', () => {
    const csv = ordersCsv(10000).replace(/\n(\d+,\d+,)[^,]+(,[^\n]+\n)$/, '\n$1not a date$2');
    const rows = rowsOf(csv, (name, text) => (name === 'amount' ? number(text) : text));
    assertSameAsCsv(csv, rows);
    const { rejects } = api.OrderBook.fromRows(rows).summary();
    assert.deepEqual(rejects.map(({ row, column, value, code }) => ({ row, column, value, code })), [{ row: 10001, column: 'order_date', value: 'not a date', code: 'date_unrecognised' }]);
  });
});

describe('bad input is named by row and column', () => {
  const good = { customer: 'C1', order: 'o1', date: '2024-03-01', total: 120 };

  test('a row that is not an object, in the first rows or past them', () => {
    for (const at of [1, 7000]) {
      const rows = Array.from({ length: 8000 }, (_, i) => ({ ...good, order: `o${i}` }));
      rows[at] = 42;
      assert.throws(() => api.OrderBook.fromRows(rows), (error) => error.code === 'row_not_an_object' && error.params.row === String(at + 1) && error.message.includes(`row ${at + 1}`));
    }
  });

  test('a missing column says which role and lists the keys', () => {
    assert.throws(() => api.OrderBook.fromRows([{ customer: 'C1', total: 5 }]), (error) => error.code === 'missing_column' && error.params.role === 'date' && /customer, total/.test(error.message));
    assert.throws(() => api.OrderBook.fromColumns({ customer: ['C1'], date: ['2024-01-01'] }), (error) => error.code === 'missing_column' && error.params.role === 'amount');
  });

  test('NaN and text totals, bad and invalid dates are rejected rows with their column', () => {
    const rows = [
      good,
      { ...good, order: 'o2', total: NaN },
      { ...good, order: 'o3', total: 'twelve' },
      { ...good, order: 'o4', date: 'yesterday' },
      { ...good, order: 'o5', date: new Date('nonsense') },
      { ...good, order: 'o6', date: null },
    ];
    for (const book of [api.OrderBook.fromRows(rows), api.OrderBook.fromColumns(columnsOf(rows))]) {
      const summary = book.summary();
      assert.equal(summary.rowsRead, 6);
      assert.equal(summary.rowsAccepted + summary.rowsRejected, 6);
      assert.deepEqual(summary.rejects.map(({ row, column, value }) => ({ row, column, value })), [
        { row: 3, column: 'total', value: 'NaN' },
        { row: 4, column: 'total', value: 'twelve' },
        { row: 5, column: 'date', value: 'yesterday' },
        { row: 6, column: 'date', value: 'Invalid Date' },
        { row: 7, column: 'date', value: '' },
      ]);
      for (const reject of summary.rejects) assert.ok(reject.code && reject.reason.length > 10, reject.code);
    }
  });

  test('columns of different lengths, not arrays, or no object at all', () => {
    assert.throws(() => api.OrderBook.fromColumns({ customer: ['a', 'b'], date: ['2024-01-01', '2024-01-02'], total: new Float64Array(3) }), (error) => error.code === 'column_length'
      && error.params.column === 'total' && error.params.length === '3' && error.params.first === 'customer' && error.params.expected === '2');
    assert.throws(() => api.OrderBook.fromColumns({ customer: 'a', date: ['2024-01-01'], total: [1] }), (error) => error.code === 'column_not_a_list' && error.params.column === 'customer');
    assert.throws(() => api.OrderBook.fromColumns([['a'], ['2024-01-01'], [1]]), (error) => error.code === 'columns_not_an_object');
    assert.throws(() => api.OrderBook.fromColumns({ customer: [], date: [], total: [] }), (error) => error.code === 'no_rows');
    assert.throws(() => api.OrderBook.fromRows([]), (error) => error.code === 'no_rows');
  });

  test('typed arrays of integers and keys only some rows have', () => {
    const book = api.OrderBook.fromColumns({ customer: new Int32Array([7, 7, 9]), date: ['2024-01-01', '2024-02-01', '2024-01-05'], total: new Float32Array([1.5, 2, 3]) });
    const summary = book.summary();
    assert.equal(summary.customers, 2);
    assert.equal(summary.revenue, 6.5);
    const rows = api.OrderBook.fromRows([{ customer: 'a', date: '2024-01-01', total: 1 }, { customer: 'b', date: '2024-01-02', total: 2, channel: 'web' }]);
    assert.deepEqual(rows.summary().headers, ['customer', 'date', 'total', 'channel']);
    // The first row has no channel: its order counts under the blank value, as a blank cell does.
    assert.deepEqual(rows.attributes().map((a) => [a.key, a.values.map((v) => [v.value, v.orders])]), [['channel', [['', 1], ['web', 1]]]]);
  });
});
