// The lens's analysis cache (src/views/results.js) under Node, with an engine that answers when
// told to: results asked with get() are kept and redraw the view once they arrive, answers about
// data loaded before clear() redraw nothing, and exports through run() are never kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnalysisCache } from '../../src/views/results.js';

/** An engine whose answers the test settles by hand; it counts what it was asked. */
function fakeEngine() {
  const asked = [];
  return {
    asked,
    analyse(method, options) {
      let settle;
      const answer = new Promise((resolve, reject) => {
        settle = { resolve, reject };
      });
      asked.push({ method, options, ...settle });
      return answer;
    },
    request(type, payload) {
      asked.push({ method: type, options: payload });
      return { id: asked.length, result: Promise.resolve({ fitted: payload.periodDays }) };
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('a result is asked for once, kept, and redraws the view when it arrives', async () => {
  const engine = fakeEngine();
  let redraws = 0;
  const cache = new AnalysisCache(engine, () => redraws++);
  const entry = cache.get('rfm', { bins: 4 });
  assert.equal(entry.status, 'pending');
  assert.equal(cache.get('rfm', { bins: 4 }), entry, 'the same options: the same entry, not a second request');
  assert.equal(engine.asked.length, 1);
  engine.asked[0].resolve({ customers: 220 });
  await tick();
  assert.deepEqual([entry.status, entry.value, redraws], ['done', { customers: 220 }, 1]);
  cache.get('rfm', { bins: 5 });
  assert.equal(engine.asked.length, 2, 'other options: another request');
});

test('an error is kept like a result', async () => {
  const engine = fakeEngine();
  const cache = new AnalysisCache(engine, () => {});
  const entry = cache.get('clv');
  engine.asked[0].reject(new Error('no repeat buyers'));
  await tick();
  assert.equal(entry.status, 'error');
  assert.equal(entry.error.message, 'no repeat buyers');
});

test('after clear() (other data), an answer about the old data redraws nothing and is not kept', async () => {
  const engine = fakeEngine();
  let redraws = 0;
  const cache = new AnalysisCache(engine, () => redraws++);
  const old = cache.get('cohorts', { period: 'month' });
  cache.clear();
  engine.asked[0].resolve({ cohorts: [] });
  await tick();
  assert.equal(redraws, 0);
  assert.notEqual(cache.get('cohorts', { period: 'month' }), old, 'asked again on the new data');
  assert.equal(engine.asked.length, 2);
});

test('the twenty most recently used results are kept (the Audiences view asks for up to ten at once)', () => {
  const engine = fakeEngine();
  const cache = new AnalysisCache(engine, () => {});
  for (let bins = 1; bins <= 20; bins++) cache.get('rfm', { bins });
  cache.get('rfm', { bins: 1 }); // used again: now the most recent
  cache.get('rfm', { bins: 21 }); // one too many: the least recent (bins 2) goes
  assert.equal(engine.asked.length, 21);
  cache.get('rfm', { bins: 1 });
  assert.equal(engine.asked.length, 21, 'bins 1 was kept');
  cache.get('rfm', { bins: 2 });
  assert.equal(engine.asked.length, 22, 'bins 2 was dropped');
});

test('arguments before the options (audienceCsv\'s id) go through run()', () => {
  const asked = [];
  const cache = new AnalysisCache({ analyse: (...args) => asked.push(args) }, () => {});
  cache.setFilter({ country: ['France'] });
  cache.run('audienceCsv', { asOf: '2011-12-09' }, ['winBack']);
  cache.run('rfmCsv', {});
  assert.deepEqual(asked, [['audienceCsv', { asOf: '2011-12-09', filter: { country: ['France'] } }, ['winBack']], ['rfmCsv', { filter: { country: ['France'] } }]]);
});

test('exports run through it every time and are not kept', async () => {
  const engine = fakeEngine();
  const cache = new AnalysisCache(engine, () => {});
  const first = cache.run('rfmCsv', { segment: 'Champions' });
  cache.run('rfmCsv', { segment: 'Champions' });
  assert.equal(engine.asked.length, 2);
  engine.asked[0].resolve('customer_id\n');
  assert.equal(await first, 'customer_id\n');
  assert.deepEqual(await cache.fitGroupedSummary('summary.csv', 7), { fitted: 7 });
  assert.deepEqual(engine.asked[2].options, { file: 'summary.csv', periodDays: 7 });
});

test('the filter goes to every analysis but the attributes, and results are kept per filter', async () => {
  const engine = fakeEngine();
  const cache = new AnalysisCache(engine, () => {});
  const whole = cache.get('rfm', { bins: 4 });
  const filter = { country: ['United Kingdom'], from: '2011-01-01' };
  cache.setFilter(filter);
  const filtered = cache.get('rfm', { bins: 4 });
  assert.notEqual(filtered, whole, 'another filter: another result');
  assert.deepEqual(engine.asked[1].options, { bins: 4, filter });
  cache.get('attributes');
  assert.deepEqual(engine.asked[2].options, {}, 'the filter bar lists every value, filtered or not');
  cache.run('rfmCsv', { segment: 'Champions' });
  assert.deepEqual(engine.asked[3].options, { segment: 'Champions', filter }, 'exports are filtered too');
  cache.setFilter({});
  assert.equal(cache.get('rfm', { bins: 4 }), whole, 'back to no filter: the kept result, nothing re-run');
  assert.equal(engine.asked.length, 4);
});

test('the confirmed not-a-product list goes to product analyses only, and other data forgets it', () => {
  const engine = fakeEngine();
  const cache = new AnalysisCache(engine, () => {});
  cache.get('products', { top: 5 });
  assert.equal(engine.asked.at(-1).options.exclude, undefined, 'nothing confirmed: the engine proposes');
  cache.setExclude(['POST', 'DOT']);
  cache.setFilter({ country: ['France'] });
  for (const method of ['products', 'firstProducts', 'boughtTogether', 'nextProducts', 'productMix', 'crossSell']) cache.get(method, { top: 5 });
  cache.run('crossSellCsv', { bought: ['22423'] });
  for (const asked of engine.asked.slice(1)) assert.deepEqual(asked.options.exclude, ['POST', 'DOT'], asked.method);
  assert.deepEqual(engine.asked.at(-1).options, { bought: ['22423'], exclude: ['POST', 'DOT'], filter: { country: ['France'] } });
  cache.get('rfm');
  assert.equal(engine.asked.at(-1).options.exclude, undefined, 'not a product analysis');
  assert.equal(cache.get('products', { top: 5, exclude: [] }), cache.get('products', { top: 5, exclude: [] }), 'an explicit list wins and is kept like any option');
  assert.deepEqual(engine.asked.at(-1).options.exclude, []);
  cache.clear();
  assert.equal(cache.exclude, null);
  cache.get('products', { top: 5 });
  assert.equal(engine.asked.at(-1).options.exclude, undefined);
});

test('answers that come close together redraw the view once; a slow one lets the others show meanwhile', async () => {
  const engine = fakeEngine();
  let redraws = 0;
  const cache = new AnalysisCache(engine, () => redraws++);
  // Cohorts asks for three analyses at once; the worker answers them one after the other.
  const [cohorts, growth, rates] = ['cohorts', 'growthAccounting', 'retentionRates'].map((method) => cache.get(method));
  engine.asked[0].resolve({ cohorts: [] });
  engine.asked[1].resolve({ periods: [] });
  await tick();
  assert.equal(redraws, 0, 'two answers in while the third is still running: no redraw yet');
  engine.asked[2].resolve({ rates: [] });
  await tick();
  assert.equal(redraws, 1, 'the last answer redraws once');
  assert.deepEqual([cohorts.status, growth.status, rates.status], ['done', 'done', 'done']);

  // A slow analysis (a CLV fit) does not hold back what has arrived.
  cache.get('rfm', { bins: 3 });
  cache.get('clv', { horizonDays: 30 });
  engine.asked[3].resolve({ customers: 220 });
  await tick();
  assert.equal(redraws, 1);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(redraws, 2, 'drawn within 150 ms while CLV still runs');
  engine.asked[4].resolve({ clv: [] });
  await tick();
  assert.equal(redraws, 3);
});
