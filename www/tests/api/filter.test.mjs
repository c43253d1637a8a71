// Order attributes and the filter through the public JS API: `attributes` when reading,
// `book.attributes()`, `book.filter(filter)` and the `filter` option of the analyses, exports and
// SQL. Expected per-country figures come from a query written by hand (tests/sql/country_figures.py
// over the committed slice, DuckDB), not from the engine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';

const pkgUrl = new URL('../../../pkg/', import.meta.url);
const sqlPkgUrl = new URL('../../../sql/pkg/', import.meta.url);
const data = (name) => new Uint8Array(readFileSync(new URL(`../../../tests/data/${name}`, import.meta.url)));
const text = (name) => readFileSync(new URL(`../../../tests/data/${name}`, import.meta.url), 'utf8');
let api;
let retail;

before(async () => {
  api = await import(new URL('customer_lens.js', pkgUrl));
  api.initSync({ module: readFileSync(new URL('customer_lens_bg.wasm', pkgUrl)) });
  // book.sql renders with the SQL module, a module of its own given to the engine.
  const sqlModule = await import(new URL('customer_lens_sql.js', sqlPkgUrl));
  sqlModule.initSync({ module: readFileSync(new URL('customer_lens_sql_bg.wasm', sqlPkgUrl)) });
  api.useSqlModule(sqlModule);
  retail = api.OrderBook.fromCsv(data('online-retail-cohort-slice.csv'), { preset: 'online-retail' });
});

/** The hand-written query's figures per country. */
function countryFigures() {
  const [header, ...rows] = text('online-retail-cohort-slice-countries.csv').trim().split('\n');
  assert.equal(header, 'country,orders,purchases,returns,revenue,customers_with_purchase');
  return rows.map((row) => {
    const [country, orders, purchases, returns, revenue, customers] = row.split(',');
    return { country, orders: +orders, purchases: +purchases, returns: +returns, revenue: +revenue, customers: +customers };
  });
}

describe('attributes', () => {
  test('recognised by role and picked by header, with orders, customers and revenue per value', () => {
    const csv = 'order,customer,date,amount,Kênh bán hàng,Mã giảm giá,Warehouse\n'
      + '1,a,2024-01-01,10,Web,SALE,North\n1,a,2024-01-01,0,POS,,North\n2,b,2024-01-02,5,POS,,South\n3,a,2024-01-03,-2,Web,,South\n';
    const book = api.OrderBook.fromCsv(new TextEncoder().encode(csv), { attributes: ['Warehouse'] });
    const attributes = book.attributes();
    assert.deepEqual(attributes.map((a) => [a.key, a.column, a.role]), [
      ['channel', 'Kênh bán hàng', 'channel'],
      ['discountCode', 'Mã giảm giá', 'discountCode'],
      ['Warehouse', 'Warehouse', null],
    ]);
    assert.deepEqual(attributes[0].values, [
      { value: 'Web', orders: 2, customers: 1, revenue: 8 },
      { value: 'POS', orders: 1, customers: 1, revenue: 5 },
    ]);
    assert.deepEqual(attributes[1].values.map((v) => [v.value, v.orders]), [['', 2], ['SALE', 1]]);
    assert.deepEqual(book.summary().columns.find(([role]) => role === 'channel'), ['channel', 'Kênh bán hàng']);
    book.free();
  });

  test('an unknown picked column is refused by name', () => {
    const csv = new TextEncoder().encode('customer,date,amount\na,2024-01-01,5\n');
    assert.throws(() => api.OrderBook.fromCsv(csv, { attributes: ['Shelf'] }), (e) => e.code === 'unknown_column' && e.params.column === 'Shelf');
  });
});

describe('the filter', () => {
  test('every country of the slice matches the hand-written query', () => {
    const values = retail.attributes().find((a) => a.key === 'country').values;
    for (const figures of countryFigures()) {
      const summary = retail.summary({ filter: { country: [figures.country] } });
      assert.equal(summary.orders, figures.orders, figures.country);
      assert.equal(summary.purchases, figures.purchases, figures.country);
      assert.equal(summary.returns, figures.returns, figures.country);
      assert.ok(Math.abs(summary.revenue - figures.revenue) < 0.005, figures.country);
      assert.equal(summary.customersWithPurchase, figures.customers, figures.country);
      const value = values.find((v) => v.value === figures.country);
      assert.equal(value.orders, figures.orders);
      assert.ok(Math.abs(value.revenue - figures.revenue) < 0.005);
    }
    // The rows' counts stay the file's.
    assert.equal(retail.summary({ filter: { country: ['France'] } }).rowsRead, retail.summary().rowsRead);
  });

  test('book.filter(filter) and the filter option give the same analyses and exports', () => {
    const filter = { country: ['United Kingdom', 'France'], from: '2011-03-01', to: '2011-09-30' };
    const kept = retail.filter(filter);
    assert.deepEqual(retail.rfm({ filter, asOf: '2011-10-01' }), kept.rfm({ asOf: '2011-10-01' }));
    assert.equal(retail.rfmCsv({ filter }), kept.rfmCsv());
    assert.deepEqual(retail.cohorts({ filter }), kept.cohorts());
    assert.deepEqual(retail.growthAccounting({ filter }), kept.growthAccounting());
    assert.deepEqual(retail.lifecycle({ filter }), kept.lifecycle());
    assert.equal(retail.lifecycleCsv({ filter }), kept.lifecycleCsv());
    assert.deepEqual(retail.retentionRates({ filter, activeWindowDays: 60 }), kept.retentionRates({ activeWindowDays: 60 }));
    assert.deepEqual(retail.clv({ filter }), kept.clv());
    assert.equal(retail.clvCsv({ filter }), kept.clvCsv());
    assert.deepEqual(retail.rfmCustomers({ filter }).count, kept.rfmCustomers().count);
    assert.equal(kept.summary().firstDate, '2011-03-01');
    kept.free();
  });

  test('a date range keeps each customer in the cohort of their first purchase', () => {
    const cohorts = retail.cohorts({ filter: { from: '2011-06-01' } });
    // December 2010's customers who bought again from June stay December 2010's.
    assert.equal(cohorts.cohorts[0].label, '2010-12');
    assert.deepEqual(cohorts.cohorts[0].customers.slice(0, 6), [0, 0, 0, 0, 0, 0]);
    const growth = retail.growthAccounting({ filter: { from: '2011-06-01' } });
    assert.equal(growth.periods[0].label, '2011-06');
    assert.ok(growth.periods[0].resurrected > 0 && growth.periods[0].new < growth.periods[0].active);
  });

  test('unknown attributes, values and dates are refused with their code', () => {
    const refused = (filter, code, param) => assert.throws(() => retail.rfm({ filter }), (e) => {
      assert.equal(e.code, code);
      for (const [name, value] of Object.entries(param)) assert.equal(e.params[name], value);
      return true;
    });
    refused({ channel: ['web'] }, 'filter_unknown_attribute', { attribute: 'channel', attributes: 'country' });
    refused({ country: ['Atlantis'] }, 'filter_unknown_value', { attribute: 'country', value: 'Atlantis' });
    refused({ from: '2011-13-01' }, 'option_not_a_date', { name: 'from' });
    refused({ from: '2011-06-01', to: '2011-05-01' }, 'filter_empty_range', { from: '2011-06-01', to: '2011-05-01' });
    refused({ country: 5 }, 'option_wrong_type', { name: 'filter.country' });
    assert.throws(() => retail.filter({ country: ['Atlantis'] }), (e) => e.code === 'filter_unknown_value');
  });

  test('the SQL rendering gets the same WHERE', () => {
    const sql = retail.sql({ query: 'rfm', filter: { country: ['United Kingdom'], from: '2011-01-01' } });
    assert.match(sql, /all_orders AS/);
    assert.match(sql, /COALESCE\(attribute_0, ''\) IN \('United Kingdom'\)/);
    assert.match(sql, /MIN\(attribute_0\) AS attribute_0/);
    assert.match(sql, /"Country"/);
    const rendered = api.renderSql({ query: 'rfm', columns: { customer: 'c', date: 'd', amount: 'a', channel: 'Source' }, filter: { channel: ['web'] } });
    assert.match(rendered, /"Source"/);
    assert.throws(() => retail.sql({ filter: { channel: ['web'] } }), (e) => e.code === 'filter_unknown_attribute');
  });
});
