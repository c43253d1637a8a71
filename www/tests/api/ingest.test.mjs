// The ingestion part of the public JS API (DESIGN.md), run under Node against the built pkg/:
// OrderBook.fromCsv, the streaming OrderBookBuilder, OrderBook.fromRows, summary() and errors.
// Expected figures are worked out by hand from the inputs below (and, for the bundled sample,
// from an independent count of its lines).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';

const pkgUrl = new URL('../../../pkg/', import.meta.url);
let api;

before(async () => {
  api = await import(new URL('customer_lens.js', pkgUrl));
  api.initSync({ module: readFileSync(new URL('customer_lens_bg.wasm', pkgUrl)) });
});

const encode = (text) => new TextEncoder().encode(text);

/** Order lines: two lines of one order, a quoted multi-line field, a guest, a return, a bad date. */
const ORDERS_CSV = `order_id,customer_id,order_date,total,note
1001,C1,2024-01-05,120.50,"gift wrap, please"
1001,C1,2024-01-05,10.00,second line
1002,C2,2024-01-07,300.00,"Giao nhanh
trước Tết, cảm ơn"
1003,,2024-01-08,50.00,guest checkout
1004,C1,2024-02-10,-30.50,return
1005,C3,not a date,10.00,bad row
`;

/** The summary fields that do not depend on how the bytes arrived. */
function essentials(summary) {
  const { rowsRead, rowsAccepted, rowsRejected, rowsAnonymous, orders, purchases, returns, cancelled, customers, customersWithPurchase, revenue, firstDate, lastDate, columns, headers, rejects } = summary;
  return { rowsRead, rowsAccepted, rowsRejected, rowsAnonymous, orders, purchases, returns, cancelled, customers, customersWithPurchase, revenue, firstDate, lastDate, columns, headers, rejects };
}

/** Splits bytes at the given offsets into Uint8Array chunks. */
function chunksAt(bytes, offsets) {
  const cuts = [0, ...offsets, bytes.length];
  return cuts.slice(1).map((end, i) => bytes.slice(cuts[i], end));
}

function buildInChunks(chunks, options = {}) {
  const builder = new api.OrderBookBuilder(options);
  try {
    for (const chunk of chunks) builder.push(chunk);
    return builder.finish();
  } finally {
    builder.free();
  }
}

const REVENUE_TOLERANCE = 1e-9;

describe('OrderBook.fromCsv', () => {
  test('groups lines into orders and accounts for every row', () => {
    const book = api.OrderBook.fromCsv(encode(ORDERS_CSV), {});
    const summary = book.summary();
    book.free();
    assert.equal(summary.rowsRead, 6);
    assert.equal(summary.rowsAccepted, 5);
    assert.equal(summary.rowsRejected, 1);
    assert.equal(summary.rowsAccepted + summary.rowsRejected, summary.rowsRead);
    assert.equal(summary.rowsAnonymous, 1);
    assert.equal(summary.orders, 4, '1001 (two lines), 1002, 1003 (guest), 1004 (return)');
    assert.equal(summary.purchases, 3);
    assert.equal(summary.returns, 1);
    assert.equal(summary.cancelled, 0);
    assert.equal(summary.customers, 2, 'C1 and C2; C3 only had a rejected row');
    assert.equal(summary.customersWithPurchase, 2);
    assert.ok(Math.abs(summary.revenue - (130.5 + 300 + 50 - 30.5)) < REVENUE_TOLERANCE, `revenue ${summary.revenue}`);
    assert.equal(summary.firstDate, '2024-01-05');
    assert.equal(summary.lastDate, '2024-02-10');
    assert.equal(summary.encoding, 'UTF-8');
    assert.equal(summary.delimiter, ',');
    assert.equal(summary.dateOrder, 'ymd');
    assert.equal(summary.dateOrderAmbiguous, false);
    assert.deepEqual(Object.fromEntries(summary.columns), { customer: 'customer_id', order: 'order_id', date: 'order_date', amount: 'total' });
    assert.deepEqual(summary.headers, ['order_id', 'customer_id', 'order_date', 'total', 'note']);
    assert.equal(summary.rejects.length, 1);
    const [reject] = summary.rejects;
    assert.equal(reject.column, 'order_date');
    assert.equal(reject.value, 'not a date');
    assert.equal(reject.row, 7, 'the header is row 1 and the quoted field spans two lines of one row');
    assert.match(reject.reason, /date/i);
  });

  test('reads a Vietnamese Haravan-style export: dd/mm dates, đồng amounts, cancelled status', () => {
    const csv = `Mã đơn hàng;Mã khách hàng;Ngày đặt;Tổng tiền;Trạng thái
DH1;KH01;05/01/2024;1.250.000 ₫;Hoàn thành
DH2;KH02;13/01/2024;300.000 ₫;Đã hủy
DH3;KH01;20/02/2024;99.000 ₫;Hoàn thành
`;
    const summary = api.OrderBook.fromCsv(encode(csv), {}).summary();
    assert.equal(summary.delimiter, ';');
    assert.equal(summary.dateOrder, 'dmy', '13/01 settles day-first');
    assert.equal(summary.cancelled, 1);
    assert.equal(summary.orders, 2, 'a cancelled order is counted, not kept');
    assert.equal(summary.customers, 1);
    assert.equal(summary.revenue, 1_349_000);
    assert.equal(summary.firstDate, '2024-01-05');
    assert.equal(summary.lastDate, '2024-02-20');
    assert.deepEqual(Object.fromEntries(summary.columns), {
      customer: 'Mã khách hàng',
      order: 'Mã đơn hàng',
      date: 'Ngày đặt',
      amount: 'Tổng tiền',
      status: 'Trạng thái',
    });
  });

  test('caller options override detection', () => {
    const csv = 'who,when,paid,other\nA,03/04/2024,10,x\nB,05/04/2024,20,y\n';
    const summary = api.OrderBook.fromCsv(encode(csv), { columns: { customer: 'who', date: 'when', amount: 'paid' }, dateOrder: 'mdy' }).summary();
    assert.deepEqual(Object.fromEntries(summary.columns), { customer: 'who', date: 'when', amount: 'paid' });
    assert.equal(summary.dateOrder, 'mdy');
    assert.equal(summary.firstDate, '2024-03-04');
    assert.equal(summary.lastDate, '2024-05-04');
  });

  test('the bundled sample reads as counted independently', () => {
    const bytes = readFileSync(new URL('../../public/samples/online-retail-sample.csv', import.meta.url));
    const summary = api.OrderBook.fromCsv(bytes, { preset: 'online-retail' }).summary();
    assert.equal(summary.rowsRead, 22_890);
    assert.equal(summary.rowsRejected, 0);
    assert.equal(summary.rowsAnonymous, 5_635);
    assert.equal(summary.orders, 1_143);
    assert.equal(summary.purchases, 998);
    assert.equal(summary.returns, 145);
    assert.equal(summary.customers, 221);
    assert.equal(summary.customersWithPurchase, 220);
    assert.ok(Math.abs(summary.revenue - 396_667.57) < 0.005, `revenue ${summary.revenue}`);
    assert.equal(summary.firstDate, '2010-12-01');
    assert.equal(summary.lastDate, '2011-12-09');
    assert.equal(summary.preset, 'online-retail');
  });
});

describe('OrderBookBuilder', () => {
  const bytes = encode(ORDERS_CSV);
  const insideQuotedField = ORDERS_CSV.indexOf('Giao nhanh') + 5;
  // "trước": 'ư' and 'ớ' are two bytes each in UTF-8; cut between the bytes of 'ư'.
  const insideMultiByte = bytes.indexOf(0xc6, new TextEncoder().encode(ORDERS_CSV.slice(0, ORDERS_CSV.indexOf('trước'))).length) + 1;

  test('the split points really are inside a quoted field and inside a character', () => {
    assert.equal(ORDERS_CSV.slice(0, insideQuotedField).split('"').length % 2, 0, 'an odd number of quotes before the cut');
    assert.equal(bytes[insideMultiByte - 1], 0xc6, 'lead byte of ư before the cut');
    assert.equal(bytes[insideMultiByte] & 0xc0, 0x80, 'continuation byte after the cut');
  });

  const cases = [
    ['one chunk', []],
    ['split inside a quoted field', [insideQuotedField]],
    ['split inside a UTF-8 multi-byte character', [insideMultiByte]],
    ['both splits, plus an empty chunk', [insideQuotedField, insideQuotedField, insideMultiByte]],
    ['one byte at a time', 'bytes'],
  ];
  for (const [name, splits] of cases) {
    test(`gives the same summary as fromCsv: ${name}`, () => {
      const wholeBook = api.OrderBook.fromCsv(bytes, {});
      const expected = essentials(wholeBook.summary());
      wholeBook.free();
      const offsets = splits === 'bytes' ? Array.from({ length: bytes.length - 1 }, (_, i) => i + 1) : splits;
      const book = buildInChunks(chunksAt(bytes, offsets));
      assert.deepEqual(essentials(book.summary()), expected);
      book.free();
    });
  }

  test('reports bytes pushed and refuses to be used after finish', () => {
    const builder = new api.OrderBookBuilder({});
    builder.push(bytes.slice(0, 10));
    builder.push(bytes.slice(10));
    assert.equal(builder.bytesPushed, bytes.length);
    const book = builder.finish();
    assert.equal(book.summary().orders, 4);
    assert.throws(() => builder.push(bytes), (error) => error instanceof Error && /finished/.test(error.message));
    builder.free();
    book.free();
  });

  test('takes the file size with expectBytes: the same book, and a clear error for a size that is not one', () => {
    const builder = new api.OrderBookBuilder({});
    builder.expectBytes(bytes.length);
    builder.push(bytes);
    const book = builder.finish();
    const wholeBook = api.OrderBook.fromCsv(bytes, {});
    assert.deepEqual(essentials(book.summary()), essentials(wholeBook.summary()));
    book.free();
    wholeBook.free();
    builder.free();
    const another = new api.OrderBookBuilder({});
    for (const size of [-1, NaN, Infinity]) assert.throws(() => another.expectBytes(size), /expectBytes takes the file's size/);
    another.free();
  });

  test('rejects an unknown preset when created, with the reason', () => {
    assert.throws(() => new api.OrderBookBuilder({ preset: 'no-such-shop' }), (error) => error instanceof Error && /no-such-shop/.test(error.message));
  });
});

describe('a stray quote', () => {
  // 100,000 orders; row 11 opens a quote before its customer id and never closes it. It used to
  // swallow the 99,990 rows after it: rowsRead 10, 9 orders.
  const lines = ['order,customer,date,amount'];
  for (let i = 1; i <= 100_000; i++) {
    lines.push(`${i},${i === 10 ? '"' : ''}C${i},2024-01-${String(1 + (i % 28)).padStart(2, '0')},20.5`);
  }
  const bytes = encode(lines.join('\n') + '\n');

  test('costs only its own row, named in the rejects, whole and streamed', () => {
    const book = api.OrderBook.fromCsv(bytes, {});
    const summary = book.summary();
    book.free();
    assert.equal(summary.rowsRead, 100_000);
    assert.equal(summary.rowsAccepted, 99_999);
    assert.equal(summary.orders, 99_999);
    assert.deepEqual(
      summary.rejects.map(({ row, column, value, code }) => ({ row, column, value, code })),
      [{ row: 11, column: 'customer', value: '"C10', code: 'stray_quote' }],
    );
    const chunked = buildInChunks(chunksAt(bytes, [1, 300, 301, 70_000, 1_000_000]));
    const chunkedSummary = chunked.summary();
    chunked.free();
    assert.deepEqual(essentials(chunkedSummary), essentials(summary));
  });
});

describe('OrderBook.fromRows', () => {
  test('reads plain objects handed over by a host page', () => {
    const rows = [
      { customer: 'a', date: '2024-03-01', amount: 12.5 },
      { customer: 'b', date: new Date(Date.UTC(2024, 2, 2)), amount: 7 },
      { customer: null, date: '2024-03-03', amount: 1 },
      { customer: 'a', date: '2024-03-05', amount: '4.25' },
    ];
    const summary = api.OrderBook.fromRows(rows, {}).summary();
    assert.equal(summary.rowsRead, 4);
    assert.equal(summary.rowsAnonymous, 1);
    assert.equal(summary.customers, 2);
    assert.equal(summary.orders, 4, 'no order id: each row is its own order (distinct customer + time)');
    assert.equal(summary.revenue, 12.5 + 7 + 1 + 4.25);
    assert.equal(summary.firstDate, '2024-03-01');
    assert.equal(summary.lastDate, '2024-03-05');
    assert.deepEqual(summary.headers, ['customer', 'date', 'amount']);
  });

  test('says which row is not an object', () => {
    assert.throws(() => api.OrderBook.fromRows([{ customer: 'a', date: '2024-01-01', amount: 1 }, 42], {}), (error) => error instanceof Error && /row 2/.test(error.message));
  });
});

describe('errors a person can act on', () => {
  const cases = [
    ['an empty file', '', /empty/i],
    ['a file with only blank lines', '\n\n\n', /empty|no (data|rows)|header/i],
    ['no date column', 'a,b\n1,2\n', /date/i],
  ];
  for (const [name, text, pattern] of cases) {
    test(`fromCsv throws an Error for ${name}`, () => {
      assert.throws(() => api.OrderBook.fromCsv(encode(text), {}), (error) => {
        assert.ok(error instanceof Error, 'a real Error');
        assert.match(error.message, pattern);
        assert.ok(error.message.length > 20, `a sentence, not a code: ${error.message}`);
        return true;
      });
    });
  }

  test('the builder throws the same Error for an empty file', () => {
    const builder = new api.OrderBookBuilder({});
    assert.throws(() => builder.finish(), (error) => error instanceof Error && /empty/i.test(error.message));
    builder.free();
  });

  test('invalid options name the option', () => {
    assert.throws(() => api.OrderBook.fromCsv(encode(ORDERS_CSV), { dateOrder: 'yesterday' }), (error) => error instanceof Error && /yesterday|date ?order/i.test(error.message));
    assert.throws(() => api.OrderBook.fromCsv(encode(ORDERS_CSV), { columns: { customer: 'nobody' } }), (error) => error instanceof Error && /nobody/.test(error.message));
    assert.throws(() => api.OrderBook.fromCsv(encode(ORDERS_CSV), { preset: 5 }), /invalid options: preset must be a string/);
    assert.throws(() => new api.OrderBookBuilder({ columns: { unitPrice: ['Price'] } }), /invalid options: unitPrice must be a string/);
    assert.throws(() => api.OrderBook.fromCsv(encode(ORDERS_CSV), 'shopify'), /give an object such as \{ preset: 'shopify' \}/);
    // Absent, undefined and null options all mean "detect everything".
    for (const options of [undefined, null, {}, { preset: null, columns: null }]) {
      const book = api.OrderBook.fromCsv(encode(ORDERS_CSV), options);
      assert.ok(book.summary().orders > 0);
      book.free();
    }
  });
});
