// The engine's TypeScript types (pkg/customer_lens.d.ts, written beside the Rust bindings) and
// what the engine returns, compared: real results of every analysis are written as object
// literals typed with the declared types and checked by `tsc --strict`. A field the engine
// returns that the types lack fails (excess property), and so does a declared field it does not
// return, or a value of another type: the types cannot drift from the structs that make them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { initSync, fitBgNbd, fitGammaGamma, fitMbgNbd, fitParetoNbd, OrderBook } from '../../../pkg/customer_lens.js';

const pkg = new URL('../../../pkg/', import.meta.url);
initSync({ module: readFileSync(new URL('customer_lens_bg.wasm', pkg)) });
const data = (name) => readFileSync(new URL(`../../../tests/data/${name}`, import.meta.url));
const TSC = fileURLToPath(new URL('../../node_modules/.bin/tsc', import.meta.url));

/** `name: Type = literal` for each result, as one TypeScript module. */
function typedLiterals(results) {
  const types = [...new Set(results.map(([, type]) => type.replace(/\[\]$/, '')))];
  const lines = [`import type { ${types.join(', ')} } from ${JSON.stringify(fileURLToPath(new URL('customer_lens.js', pkg)))};`];
  results.forEach(([name, type, value]) => lines.push(`export const ${name}: ${type} = ${JSON.stringify(value)};`));
  return `${lines.join('\n')}\n`;
}

test('every result matches its declared type, field for field', async () => {
  const cdnow = OrderBook.fromCsv(data('cdnow_sample.txt'), { preset: 'cdnow' });
  // A file with rejected rows and notes (a point-of-sale export read by its phone column).
  const pos = OrderBook.fromCsv(data('pos-invoices.csv'));
  // Online Retail lines with a country per order, for the compared results.
  const retail = OrderBook.fromCsv(data('online-retail-slice.csv'), { preset: 'online-retail' });
  const withRejects = OrderBook.fromCsv(new TextEncoder().encode('order,customer,date,amount\n1,A,2024-01-01,5\n2,B,not a date,5\n3,C,2024-01-02,x\n'));
  const haravan = OrderBook.fromCsv(data('haravan-orders.csv'), { preset: 'haravan', attributes: ['Tên sản phẩm'] });
  const clv = cdnow.clv({ calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' });
  const results = [
    ['summary', 'Summary', pos.summary()],
    ['summaryWithRejects', 'Summary', withRejects.summary()],
    // Orders a host hands over as columns (encoding 'objects', no delimiter).
    ['summaryFromColumns', 'Summary', OrderBook.fromColumns({ customer: ['A', 'B'], date: ['2024-01-01', 'bad'], total: new Float64Array([5, 6]) }).summary()],
    // Order attributes: recognised roles and a picked column (role null); a filtered summary.
    ['attributes', 'OrderAttribute[]', haravan.attributes()],
    ['filteredSummary', 'Summary', haravan.summary({ filter: { channel: ['Web'], from: '2024-03-01' } })],
    ['nonProducts', 'NonProductsResult', retail.nonProducts()],
    ['products', 'ProductsResult', retail.products({ top: 3 })],
    ['firstProducts', 'FirstProductsResult', retail.firstProducts({ minCustomers: 3 })],
    ['rfm', 'RfmResult', cdnow.rfm()],
    ['rfmCustomRules', 'RfmResult', cdnow.rfm({ rules: [{ segment: 'All', r: [1, 5], f: [1, 5], m: [1, 5] }, { segment: 'None', r: [5, 5], f: [5, 5], m: [5, 5] }] })],
    ['cohorts', 'CohortsResult', cdnow.cohorts({ period: 'month' })],
    ['retention', 'RetentionRatesResult', cdnow.retentionRates({ period: 'quarter', from: '1997-03-01', to: '1997-06-30' })],
    ['growth', 'GrowthAccountingResult', cdnow.growthAccounting({ period: 'month' })],
    ['overview', 'OverviewResult', cdnow.overview({ period: 'quarter' })],
    ['overviewGuests', 'OverviewResult', pos.overview({ period: 'year', activeWindowDays: 60 })],
    ['overviewCompared', 'OverviewResult', retail.overview({ period: 'week', compareBy: 'country', top: 2 })],
    ['rfmCompared', 'RfmResult', retail.rfm({ compareBy: 'country', top: 2 })],
    ['cohortsCompared', 'CohortsResult', retail.cohorts({ compareBy: 'country', top: 2 })],
    ['clvCompared', 'ClvResult', retail.clv({ compareBy: 'country', top: 2 })],
    ['lifecycle', 'LifecycleResult', cdnow.lifecycle({ compareWith: '1997-12-31' })],
    // Product analyses of the Online Retail lines.
    ['boughtTogether', 'BoughtTogetherResult', retail.boughtTogether({ product: '85123A', top: 3 })],
    ['topPairs', 'BoughtTogetherResult', retail.boughtTogether({ top: 3 })],
    ['nextProducts', 'NextProductsResult', retail.nextProducts({ product: '85123A', top: 3 })],
    ['mixBySegment', 'ProductMixResult', retail.productMix({ by: 'segment', top: 2 })],
    ['mixByStage', 'ProductMixResult', retail.productMix({ by: 'stage', top: 2 })],
    ['crossSell', 'CrossSellResult', retail.crossSell({ bought: ['85123A'], notBought: ['84029G'] })],
    ['clv', 'ClvResult', clv],
    ['bgnbd', 'BgNbdFit', fitBgNbd(new Float64Array([0, 1, 2]), new Float64Array([0, 5, 9]), new Float64Array([10, 10, 12]))],
    // The page's settings: every purchase model fitted, the choice, intervals of the totals.
    ['clvAuto', 'ClvResult', cdnow.clv({ calibrationEnd: '1997-09-30', model: 'auto', penalizer: 'whenDegenerate', intervals: true })],
    ['mbgNbd', 'MbgNbdFit', fitMbgNbd(new Float64Array([0, 1, 2, 4]), new Float64Array([0, 5, 9, 11]), new Float64Array([10, 10, 12, 12]))],
    ['paretoNbd', 'ParetoNbdFit', fitParetoNbd(new Float64Array([0, 1, 2, 4]), new Float64Array([0, 5, 9, 11]), new Float64Array([10, 10, 12, 12]))],
  ];
  const repeat = clv.top.topClv.length;
  assert.ok(repeat > 0 && clv.gammaGamma && clv.holdout, 'the CLV result has every part');
  results.push(['gammaGamma', 'GammaGammaFit', fitGammaGamma(new Float64Array([1, 2, 3, 1]), new Float64Array([10, 20, 15, 12]))]);
  for (const [name, , value] of results) assert.ok(value && typeof value === 'object', name);

  const folder = mkdtempSync(join(tmpdir(), 'customer-lens-types-'));
  try {
    writeFileSync(join(folder, 'results.ts'), typedLiterals(results));
    const args = ['--noEmit', '--strict', '--target', 'esnext', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'esnext,dom', '--skipLibCheck', 'false', join(folder, 'results.ts')];
    const outcome = await promisify(execFile)(TSC, args, { maxBuffer: 16 << 20 }).catch((error) => error);
    assert.equal(outcome.code ?? 0, 0, `the declared types and the results differ:\n${outcome.stdout}${outcome.stderr}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

/** The fields of a `{ … }` block at `start` (just past its brace), its nested blocks and comments left out. */
function topLevelFields(text, start) {
  let depth = 1;
  let top = '';
  for (let i = start; depth; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (depth === 1) top += c;
  }
  return [...top.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([A-Za-z]+)\??\s*:/g)].map((m) => m[1]);
}

// The options are read field by field in the JS skin (src/wasm/, and the SQL module's
// sql/src/wasm.rs) and declared beside it in TypeScript: the names each reads and the option
// types declare must be the same set, so an option cannot be added on one side only.
test('every option the engine reads is declared, and every declared option is read', () => {
  const source = (path) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
  const wasm = readdirSync(new URL('../../../src/wasm/', import.meta.url)).map((file) => source(`src/wasm/${file}`));
  const rust = [...wasm, source('sql/src/wasm.rs')].join('\n');
  // `fields.number("bins")`, `.keyword(\n "group", …)`, `count_option(&fields, "top")`; the SQL
  // module's `book` / `context` reads are the book's facts the engine hands over, not options.
  const reader = /(?:(?<!\b(?:book|context))\.(?:text|number|date|flag|texts|get|keyword)|count_option)\(\s*(?:&\w+,\s*)?"([a-z][A-Za-z]*)"/g;
  const read = new Set([...rust.matchAll(reader)].map((m) => m[1]));
  const dts = readFileSync(new URL('customer_lens.d.ts', pkg), 'utf8');
  const declared = new Set();
  for (const m of dts.matchAll(/export interface (\w*Options)\b[^{]*\{/g)) {
    for (const field of topLevelFields(dts, m.index + m[0].length)) declared.add(field);
  }
  assert.ok(read.size > 50, `the readers were found (${read.size})`);
  assert.deepEqual([...read].filter((name) => !declared.has(name)).sort(), [], 'read but not declared');
  assert.deepEqual([...declared].filter((name) => !read.has(name)).sort(), [], 'declared but not read');

  // `columns` maps every role the engine knows (src/role.rs) to a header.
  const roles = [...source('src/role.rs').matchAll(/Role::\w+ => "(\w+)"/g)].map((m) => m[1]);
  const ingest = dts.indexOf('export interface IngestOptions');
  const columns = dts.indexOf('columns?: {', ingest) + 'columns?: {'.length;
  assert.ok(roles.length === 17, roles.join());
  assert.deepEqual(roles.filter((role) => !topLevelFields(dts, columns).includes(role)), []);
});
