// Exports as Vietnamese store platforms write them, through the public JS API: a header row below
// a title block (a report saved from Excel as CSV) and the Haravan, Sapo and KiotViet presets.
// The files are the fixtures of the Rust tests (tests/data/); expected figures are worked out by
// hand from them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';

const pkgUrl = new URL('../../../pkg/', import.meta.url);
const data = (name) => new Uint8Array(readFileSync(new URL(`../../../tests/data/${name}`, import.meta.url)));
let api;

before(async () => {
  api = await import(new URL('customer_lens.js', pkgUrl));
  api.initSync({ module: readFileSync(new URL('customer_lens_bg.wasm', pkgUrl)) });
});

/** The summary with what describes the title block left out. */
function withoutTitle(summary) {
  const { titleLines, notes, noteCodes, ...rest } = summary;
  const kept = noteCodes.map((note) => note.code !== 'title_lines');
  return { ...rest, notes: notes.filter((_, i) => kept[i]), noteCodes: noteCodes.filter((_, i) => kept[i]) };
}

function analyses(book) {
  return { rfm: book.rfm({ asOf: '2024-02-01' }), cohorts: book.cohorts({ period: 'month' }) };
}

function streamed(bytes, chunk) {
  const builder = new api.OrderBookBuilder({});
  for (let i = 0; i < bytes.length; i += chunk) builder.push(bytes.subarray(i, i + chunk));
  return builder.finish();
}

describe('a title block above the header', () => {
  test('reads like the same file without it, whole and streamed; only titleLines and a note differ', () => {
    const plainBook = api.OrderBook.fromCsv(data('kiotviet-invoices.csv'), {});
    const plain = plainBook.summary();
    const plainAnalyses = analyses(plainBook);
    plainBook.free();
    assert.equal(plain.titleLines, 0);
    assert.deepEqual([plain.orders, plain.cancelled, plain.customers, plain.revenue], [5, 1, 2, 650000]);

    const titled = data('kiotviet-invoices-titled.csv');
    for (const [how, book] of [['whole', api.OrderBook.fromCsv(titled, {})], ['1-byte chunks', streamed(titled, 1)], ['13-byte chunks', streamed(titled, 13)]]) {
      const summary = book.summary();
      assert.equal(summary.titleLines, 3, how);
      assert.equal(summary.blankLines, 0, how);
      const note = summary.noteCodes.find((n) => n.code === 'title_lines');
      assert.deepEqual(note?.params, { lines: '3', headerLine: '4' }, how);
      assert.match(summary.notes[summary.noteCodes.indexOf(note)], /line 4/);
      assert.deepEqual(withoutTitle(summary), withoutTitle(plain), how);
      assert.deepEqual(analyses(book), plainAnalyses, how);
      book.free();
    }
  });

  test('without a header in the first 50 lines, the Error says what was looked for and shows the first lines', () => {
    const text = 'BÁO CÁO DANH SÁCH ĐƠN HÀNG,,,\n,,,\nSố,Khách,Lúc,Tiền\n1,A,2024-03-01,10\n';
    assert.throws(() => api.OrderBook.fromCsv(new TextEncoder().encode(text), {}), (error) => {
      assert.equal(error.code, 'no_header');
      assert.equal(error.params.lines, '50');
      assert.match(error.params.first, /^1: BÁO CÁO DANH SÁCH ĐƠN HÀNG \| 2: \(blank\) \| 3: Số, Khách, Lúc, Tiền \| 4: 1, A/);
      assert.match(error.message, /order date.*customer.*amount/);
      return true;
    });
  });
});

describe('store platform exports', () => {
  const cases = [
    ['haravan-orders.csv', 'haravan', { orders: 3, cancelled: 1, customers: 2, revenue: 2280000, customerIdNormalization: 'email' }, ['channel', 'Kênh bán hàng']],
    ['sapo-orders.csv', 'sapo', { orders: 3, cancelled: 2, customers: 2, revenue: 680000, customerIdNormalization: 'none' }, ['amount', 'Khách phải trả']],
    ['kiotviet-invoices.csv', 'kiotviet', { orders: 5, cancelled: 1, customers: 2, revenue: 650000, customerIdNormalization: 'phone' }, ['customer', 'Điện thoại']],
  ];
  for (const [file, preset, expected, column] of cases) {
    test(`${file} is recognised as ${preset}`, () => {
      const book = api.OrderBook.fromCsv(data(file), {});
      const summary = book.summary();
      book.free();
      assert.equal(summary.preset, preset);
      for (const [key, value] of Object.entries(expected)) assert.equal(summary[key], value, key);
      assert.ok(summary.columns.some(([role, header]) => role === column[0] && header === column[1]), JSON.stringify(summary.columns));
      // Named by hand, the preset reads it the same way.
      const named = api.OrderBook.fromCsv(data(file), { preset });
      assert.deepEqual(named.summary(), summary);
      named.free();
    });
  }
});
