// What the CLV view asks of the engine: "Best fit" compares the three purchase models, except on a
// book too large for that in a browser, where BG/NBD is asked for; a model chosen by hand is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoModelTooLarge, clvOptions } from '../../src/views/clvOptions.js';
import { AUTO_MODEL_MAX_CUSTOMERS, CLV_DEFAULTS } from '../../src/views/defaults.js';

const summaryWith = (customers) => ({ customersWithPurchase: customers, firstDate: '2010-12-01', lastDate: '2011-12-09' });

test('"Best fit" compares the models up to the limit and asks for BG/NBD above it', () => {
  const settings = { ...CLV_DEFAULTS };
  assert.equal(clvOptions(settings, summaryWith(AUTO_MODEL_MAX_CUSTOMERS)).model, 'auto');
  assert.equal(autoModelTooLarge(settings, summaryWith(AUTO_MODEL_MAX_CUSTOMERS)), false);
  assert.equal(clvOptions(settings, summaryWith(AUTO_MODEL_MAX_CUSTOMERS + 1)).model, 'bgNbd');
  assert.equal(autoModelTooLarge(settings, summaryWith(AUTO_MODEL_MAX_CUSTOMERS + 1)), true);
});

test('a model chosen by hand is fitted whatever the size', () => {
  for (const model of ['paretoNbd', 'mbgNbd', 'bgNbd']) {
    const settings = { ...CLV_DEFAULTS, model };
    assert.equal(clvOptions(settings, summaryWith(400_000)).model, model);
    assert.equal(autoModelTooLarge(settings, summaryWith(400_000)), false);
  }
});
