// Bought together, what comes next, product mix and the cross-sell audience through the public
// JS API, on the committed Online Retail slice (98 whole purchase invoices): the pair figures are
// DuckDB's (scripts/pairs_reference.py tests/data/online-retail-slice.csv POST).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';

const pkgUrl = new URL('../../../pkg/', import.meta.url);
const data = (name) => new Uint8Array(readFileSync(new URL(`../../../tests/data/${name}`, import.meta.url)));
let api;
let retail;

before(async () => {
  api = await import(new URL('customer_lens.js', pkgUrl));
  api.initSync({ module: readFileSync(new URL('customer_lens_bg.wasm', pkgUrl)) });
  retail = api.OrderBook.fromCsv(data('online-retail-slice.csv'), { preset: 'online-retail' });
});

const close = (got, want) => assert.ok(Math.abs(got - want) < 1e-9, `${got} vs ${want}`);

describe('boughtTogether', () => {
  test("one product's pairs and the top pairs overall, as DuckDB counts them", () => {
    const one = retail.boughtTogether({ product: '85123A', exclude: ['POST'], top: 1 });
    assert.equal(one.orders, 98);
    assert.equal(one.pairs.length, 1);
    const [pair] = one.pairs;
    assert.deepEqual([pair.a, pair.b, pair.both], ['85123A', '84029G', 6]);
    assert.equal(pair.aName, 'WHITE HANGING HEART T-LIGHT HOLDER');
    close(pair.support, 6 / 98);
    close(pair.confidence, 6 / 11);
    close(pair.lift, 8.909090909090908);
    const top = retail.boughtTogether({ exclude: ['POST'], top: 2 });
    assert.deepEqual(top.pairs.map((p) => [p.a, p.b, p.both]), [['22633', '22632', 8], ['22726', '22727', 7]]);
    close(top.pairs[1].lift, 9.527777777777779);
    const frequent = retail.boughtTogether({ exclude: ['POST'], minSupport: 0.07, top: 50 });
    assert.deepEqual(frequent.pairs.map((p) => p.both), [8, 7]);
    const byLift = retail.boughtTogether({ product: '85123A', sort: 'lift', top: 3 });
    assert.ok(byLift.pairs[0].lift >= byLift.pairs[1].lift && byLift.pairs[1].lift >= byLift.pairs[2].lift);
  });

  test('coded errors name the option', () => {
    const code = (options, want, name) => assert.throws(() => retail.boughtTogether(options), (error) => {
      assert.equal(error.code, want);
      if (name) assert.equal(error.params.name, name);
      return true;
    });
    code({ product: 'NOPE' }, 'unknown_product', 'product');
    code({ minSupport: 2 }, 'option_invalid', 'minSupport');
    code({ top: 0 }, 'option_invalid', 'top');
    code({ top: 'ten' }, 'option_wrong_type', 'top');
    code({ sort: 'price' }, 'option_not_a_choice', 'sort');
    code({ exclude: ['NOPE'] }, 'unknown_product', 'exclude');
    const noProducts = api.OrderBook.fromCsv(new TextEncoder().encode('order,customer,date,amount\n1,A,2024-01-01,5\n'), {});
    assert.throws(() => noProducts.boughtTogether(), (error) => error.code === 'products_none');
  });
});

describe('nextProducts, productMix, crossSell', () => {
  test("a product's buyers and their next purchase", () => {
    const next = retail.nextProducts({ product: '85123A', top: 3 });
    assert.equal(next.product, '85123A');
    assert.ok(next.withNext <= next.buyers && next.buyers > 0);
    for (const row of next.products) close(row.share, row.customers / next.withNext);
    assert.throws(() => retail.nextProducts({}), (error) => error.code === 'option_invalid' && error.params.name === 'product');
  });

  test('the mix of every segment and every stage', () => {
    for (const by of ['segment', 'stage']) {
      const mix = retail.productMix({ by, top: 3, exclude: ['POST'] });
      assert.equal(mix.by, by);
      assert.ok(mix.groups.length > 0);
      for (const group of mix.groups) {
        assert.ok(group.products.length <= 3);
        for (const row of group.products) close(row.share, row.buyers / group.customers);
      }
    }
    const stages = retail.productMix({ by: 'stage' });
    assert.deepEqual(stages.groups.map((g) => g.code), ['new', 'active', 'at_risk', 'lapsed', 'won_back']);
  });

  test('who bought one product and never another, and the same as formula-safe CSV', () => {
    const audience = retail.crossSell({ bought: ['85123A'], notBought: ['84029G'] });
    assert.equal(audience.audience, 'crossSell');
    assert.equal(audience.customers, audience.customerIds.length);
    assert.equal(audience.lastPurchase.length, audience.customers);
    const sorted = [...audience.lastPurchase].sort().reverse();
    assert.deepEqual(audience.lastPurchase, sorted);
    const everyone = retail.crossSell({ bought: ['85123A'] });
    assert.ok(everyone.customers > audience.customers);
    const csv = retail.crossSellCsv({ bought: ['85123A'], notBought: ['84029G'] });
    const lines = csv.trim().split('\n');
    assert.equal(lines[0], 'customer_id,last_purchase');
    assert.equal(lines.length, audience.customers + 1);
    assert.throws(() => retail.crossSell({}), (error) => error.code === 'option_invalid' && error.params.name === 'bought');
  });
});
