// The SQL part of the public JS API under Node, against the built pkg/: book.sql with the
// book's own mapping as defaults, renderSql, errors a person can act on, and the upload path of
// the CLV widget — parseGroupedSummary on the file an engine exported, then the weighted
// fitBgNbd / fitGammaGamma, which must give the per-customer fit of book.clv.
// (The SQL itself runs on DuckDB and PostgreSQL in compare_engines.py.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import {
  initSync, OrderBook, renderSql, parseGroupedSummary, fitBgNbd, fitGammaGamma, useSqlModule,
} from '../../pkg/customer_lens.js';
import * as sqlModule from '../../sql/pkg/customer_lens_sql.js';

initSync({ module: fs.readFileSync(new URL('../../pkg/customer_lens_bg.wasm', import.meta.url)) });

const file = (path) => fs.readFileSync(new URL(`../../${path}`, import.meta.url));
/** Same parameters: the grouped and per-customer likelihoods differ only in summation order. */
const SAME_FIT_RELATIVE = 1e-6;

/** Statements in the text: semicolons that end a line. */
const statements = (sql) => sql.split('\n').filter((line) => line.endsWith(';')).length;

// The SQL rendering is a module of its own: loaded, then given to the engine (by the first test,
// which runs before the others).
sqlModule.initSync({ module: fs.readFileSync(new URL('../../sql/pkg/customer_lens_sql_bg.wasm', import.meta.url)) });

test('SQL calls say to load the SQL module until it is given to the engine', () => {
  const book = OrderBook.fromCsv(file('tests/data/online-retail-slice.csv'), {});
  for (const call of [() => book.sql({}), () => renderSql({}), () => parseGroupedSummary('')]) {
    assert.throws(call, (e) => e.code === 'sql_module_not_loaded' && /useSqlModule/.test(e.message));
  }
  assert.throws(() => useSqlModule({}), (e) => e.code === 'sql_module_not_loaded');
  useSqlModule(sqlModule);
});

describe('book.sql', () => {
  const book = OrderBook.fromCsv(file('tests/data/online-retail-slice.csv'), {});

  test('uses the columns and the preset the book was read with', () => {
    const sql = book.sql({ dialect: 'duckdb' });
    assert.equal(statements(sql), 6, 'orders, rfm, cohorts, clvSummary, products and pairs');
    for (const fragment of ['"InvoiceNo"', '"CustomerID"', '"InvoiceDate"',
      'CAST("Quantity" AS DOUBLE) * CAST("UnitPrice" AS DOUBLE)', "SUBSTR(order_id, 1, 1) = 'C'",
      'FROM "orders"']) {
      assert.ok(sql.includes(fragment), fragment);
    }
  });

  test('settings override the defaults, one query at a time', () => {
    const sql = book.sql({
      dialect: 'bigquery', query: 'rfm', table: 'shop.sales.lines', asOf: '2011-12-09', bins: 4,
      columns: { customer: 'client' },
    });
    assert.equal(statements(sql), 1);
    assert.ok(sql.includes('FROM `shop`.`sales`.`lines`'));
    assert.ok(sql.includes('CAST(`client` AS STRING)'));
    assert.ok(sql.includes("UNIX_DATE(DATE '2011-12-09') AS as_of_day"));
    assert.ok(sql.includes('DIV(4 * r_position, customers)'));
  });

  test('the product queries leave out the not-a-product proposal unless told otherwise', () => {
    const pairs = book.sql({ query: 'pairs', minSupport: 0.01, top: 5 });
    assert.equal(statements(pairs), 1);
    assert.ok(pairs.includes("NOT IN ('POST', 'B', 'D', 'C2')"));
    assert.ok(pairs.includes('>= 0.01 * basket_count.baskets'));
    assert.ok(pairs.trimEnd().endsWith('LIMIT 5;'));
    const products = book.sql({ query: 'products', exclude: [] });
    assert.ok(products.includes('COALESCE(NULLIF(TRIM(CAST("StockCode" AS VARCHAR)), \'\'),'));
    assert.ok(!products.includes('NOT IN'));
    assert.throws(() => book.sql({ query: 'pairs', minSupport: 2 }), /invalid min_support '2'/);
    assert.throws(() => book.sql({ query: 'pairs', top: 0 }), /invalid top '0'/);
  });

  test('bad settings throw with advice', () => {
    assert.throws(() => book.sql({ dialect: 'oracle' }), /unknown SQL dialect 'oracle'.*bigquery/);
    assert.throws(() => book.sql({ period: 'fortnight' }), /invalid period 'fortnight'/);
    assert.throws(() => book.sql({ asOf: '12/09/2011' }), /YYYY-MM-DD/);
    assert.throws(() => book.sql({ columns: { customer: '' } }), /no column is mapped to the customer/);
    assert.throws(() => book.sql({ bins: '5' }), /invalid options: bins must be a number/);
    assert.throws(() => book.sql({ table: 5 }), (e) => e.code === 'option_invalid' && e.params.rule === 'table_name'
      && /invalid table '5': a name such as 'shop.orders'/.test(e.message));
    assert.throws(() => book.sql({ cancelledStatuses: 'cancelled' }), /cancelledStatuses must be an array of strings/);
    assert.throws(() => book.sql('duckdb'), /give an object such as \{ dialect: 'duckdb' \}/);
  });
});

describe('renderSql', () => {
  test('needs a customer, a date and an amount', () => {
    assert.throws(() => renderSql({}), /no column is mapped to the customer/);
    const orderColumns = { customer: 'email', date: 'created_at', amount: 'total' };
    assert.equal(statements(renderSql({ columns: orderColumns })), 4, 'no product queries without products');
    assert.throws(() => renderSql({ query: 'products', columns: orderColumns }), /no column is mapped to the product/);
    const sql = renderSql({
      dialect: 'spark', query: 'cohorts', period: 'week', table: ['db', 'order lines'],
      columns: { customer: 'email', date: 'created_at', amount: 'total' },
    });
    assert.ok(sql.includes('FROM `db`.`order lines`'));
    assert.ok(sql.includes('EXTRACT(YEAROFWEEK FROM cohort_start)'));
  });

  test('a quote in a name cannot end the name', () => {
    const sql = renderSql({
      dialect: 'postgres', query: 'orders',
      columns: { customer: 'id"; DROP TABLE x; --', date: 'd', amount: 'a' },
    });
    assert.ok(sql.includes('"id""; DROP TABLE x; --"'));
  });
});

describe('parseGroupedSummary + weighted fits', () => {
  const text = file('tests/sql/cdnow-grouped-summary.csv').toString('utf8');

  test('reads the exported summary into typed arrays in weeks', () => {
    const grouped = parseGroupedSummary(text, { periodDays: 7 });
    assert.equal(grouped.customers, 2357);
    assert.equal(grouped.rows, text.trim().split('\n').length - 1);
    assert.ok(grouped.bgnbd.T instanceof Float64Array);
    const i = grouped.bgnbd.tDays.findIndex((days) => days === 189);
    assert.equal(grouped.bgnbd.T[i], 27);
  });

  test('fits like the per-customer summary of the raw transactions', () => {
    const book = OrderBook.fromCsv(file('tests/data/cdnow_sample.txt'), { preset: 'cdnow' });
    const reference = book.clv({ calibrationEnd: '1997-09-30', periodDays: 7 });
    const grouped = parseGroupedSummary(text);
    const { frequency, recency, T, weights } = grouped.bgnbd;
    const bgnbd = fitBgNbd(frequency, recency, T, weights);
    for (const name of ['r', 'alpha', 'a', 'b']) {
      const want = reference.bgnbd[name];
      assert.ok(Math.abs(bgnbd[name] - want) <= SAME_FIT_RELATIVE * want, `${name}: ${bgnbd[name]} vs ${want}`);
    }
    assert.equal(bgnbd.customers, 2357);
    const spend = fitGammaGamma(grouped.gammaGamma.frequency, grouped.gammaGamma.monetaryMean,
      grouped.gammaGamma.weights);
    for (const name of ['p', 'q', 'v']) {
      const want = reference.gammaGamma[name];
      assert.ok(Math.abs(spend[name] - want) <= SAME_FIT_RELATIVE * want, `${name}: ${spend[name]} vs ${want}`);
    }
  });

  test('a broken file names the line', () => {
    assert.throws(() => parseGroupedSummary('model,frequency,customers\nbgnbd,1,2\n'),
      /line 2: recency_days is empty/);
    assert.throws(() => parseGroupedSummary(text, { periodDays: 0 }), /invalid periodDays/);
  });
});
