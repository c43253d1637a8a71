// Customer identity through the public JS API, under Node against the built pkg/: e-mail and
// phone customer columns name one customer however the id is written (fromCsv, fromRows and the
// streaming builder), the normalised id is the one the exports carry, the off switch and
// phoneCountry, and a point-of-sale export whose customer codes are empty read by its phones.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';

const pkgUrl = new URL('../../../pkg/', import.meta.url);
const sqlPkgUrl = new URL('../../../sql/pkg/', import.meta.url);
let api;

before(async () => {
  api = await import(new URL('customer_lens.js', pkgUrl));
  api.initSync({ module: readFileSync(new URL('customer_lens_bg.wasm', pkgUrl)) });
  // book.sql renders with the SQL module, a module of its own given to the engine.
  const sqlModule = await import(new URL('customer_lens_sql.js', sqlPkgUrl));
  sqlModule.initSync({ module: readFileSync(new URL('customer_lens_sql_bg.wasm', sqlPkgUrl)) });
  api.useSqlModule(sqlModule);
});

const encode = (text) => new TextEncoder().encode(text);
/** The customer ids of a book, as its RFM export lists them. */
const exportedIds = (book) => book.rfmCsv({}).trim().split('\n').slice(1).map((line) => line.split(',')[0]);

const EMAIL_CSV = `Order ID,Customer Email,Order Date,Total
1,Buyer@Shop.com,2024-01-01,10
2, buyer@shop.com ,2024-01-05,20
3,BUYER@SHOP.COM,2024-02-01,30
4,other@shop.com,2024-02-03,40
`;

const PHONE_ROWS = [
  { 'Số điện thoại': '+84 912 345 678', date: '2024-01-01', total: 100000 },
  { 'Số điện thoại': '0912345678', date: '2024-01-02', total: 200000 },
  { 'Số điện thoại': '0912.345.678', date: '2024-01-03', total: 300000 },
  { 'Số điện thoại': '84912345678', date: '2024-01-04', total: 400000 },
  // A spreadsheet or a host page that keeps phones as numbers drops the leading zero.
  { 'Số điện thoại': 912345678, date: '2024-01-05', total: 500000 },
  { 'Số điện thoại': '0987 654 321', date: '2024-01-06', total: 600000 },
  { 'Số điện thoại': 'Khách lẻ', date: '2024-01-07', total: 700000 },
];

describe('customer identity', () => {
  test('fromCsv: an e-mail column compares lowercased and trimmed', () => {
    const book = api.OrderBook.fromCsv(encode(EMAIL_CSV));
    const summary = book.summary();
    assert.equal(summary.customers, 2);
    assert.equal(summary.customerIdNormalization, 'email');
    assert.deepEqual(exportedIds(book).sort(), ['buyer@shop.com', 'other@shop.com']);
    book.free();
  });

  test('fromRows: a phone column becomes E.164, written so in the exports; other values stay', () => {
    const book = api.OrderBook.fromRows(PHONE_ROWS);
    const summary = book.summary();
    assert.equal(summary.customers, 3);
    assert.equal(summary.rowsAccepted, PHONE_ROWS.length);
    assert.deepEqual([summary.customerIdNormalization, summary.phoneCountry], ['phone', 'VN']);
    assert.deepEqual(exportedIds(book).sort(), ['+84912345678', '+84987654321', 'Khách lẻ']);
    const [header, ...rows] = book.clvCsv({}).trim().split('\n');
    assert.ok(header.startsWith('customer_id,'));
    assert.ok(rows.some((line) => line.startsWith('+84912345678,')), 'no formula guard before an E.164 id');
    book.free();
  });

  test('the streaming builder gives the same customers as fromCsv', () => {
    const text = `phone,date,amount\n${PHONE_ROWS.map((r) => `"${r['Số điện thoại']}",${r.date},${r.total}`).join('\n')}\n`;
    const whole = api.OrderBook.fromCsv(encode(text));
    const builder = new api.OrderBookBuilder({});
    const bytes = encode(text);
    for (let i = 0; i < bytes.length; i += 5) builder.push(bytes.slice(i, i + 5));
    const streamed = builder.finish();
    assert.deepEqual(exportedIds(streamed), exportedIds(whole));
    assert.equal(whole.summary().customers, 3);
    whole.free();
    streamed.free();
  });

  test("customerIdNormalization 'none' keeps ids as written; phoneCountry sets national numbers", () => {
    const off = api.OrderBook.fromRows(PHONE_ROWS, { customerIdNormalization: 'none' });
    assert.equal(off.summary().customers, 7);
    assert.equal(off.summary().customerIdNormalization, 'none');
    off.free();
    const us = api.OrderBook.fromCsv(
      encode('order,Phone,date,amount\n1,(415) 555-0100,2024-01-01,1\n2,1-415-555-0100,2024-01-02,2\n'),
      { phoneCountry: 'US' },
    );
    assert.deepEqual(exportedIds(us), ['+14155550100']);
    us.free();
    assert.throws(
      () => api.OrderBook.fromRows(PHONE_ROWS, { phoneCountry: 'Vietnam' }),
      (error) => error.code === 'unknown_phone_country' && /invalid phoneCountry 'Vietnam'.*VN/.test(error.message),
    );
    assert.throws(
      () => new api.OrderBookBuilder({ customerIdNormalization: 'lower' }),
      /invalid customerIdNormalization 'lower'/,
    );
  });

  test('a point-of-sale export with empty customer codes is read by its phone column, and says so', () => {
    const bytes = readFileSync(new URL('../../../tests/data/pos-invoices.csv', import.meta.url));
    const book = api.OrderBook.fromCsv(bytes);
    const summary = book.summary();
    assert.ok(summary.columns.some(([role, header]) => role === 'customer' && header === 'Điện thoại'));
    assert.equal(summary.customers, 5);
    assert.equal(summary.rowsAnonymous, 2);
    const note = summary.noteCodes.find((n) => n.code === 'customer_column_fallback');
    assert.deepEqual(note.params, { detected: 'Mã khách hàng', used: 'Điện thoại', empty: '13', filled: '12', rows: '14' });
    // The SQL reads the same column with the same rule.
    const sql = book.sql({ dialect: 'postgres', query: 'orders' });
    assert.ok(sql.includes('"Điện thoại"') && sql.includes('contact_lines AS ('), sql);
    book.free();

    const coded = api.OrderBook.fromCsv(bytes, { columns: { customer: 'Mã khách hàng' } });
    assert.equal(coded.summary().customers, 1, 'the caller’s mapping wins');
    coded.free();
  });
});
