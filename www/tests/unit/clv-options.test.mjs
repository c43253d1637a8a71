// What the CLV view asks of the engine: the model chosen ("Best fit" compares the three purchase
// models whatever the size of the book), penalised only when degenerate, and the holdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clvOptions } from '../../src/views/clvOptions.js';
import { CLV_DEFAULTS } from '../../src/views/defaults.js';

const summaryWith = (customers) => ({ customersWithPurchase: customers, firstDate: '2010-12-01', lastDate: '2011-12-09' });

test('"Best fit" compares the models on a book of any size, and a model chosen by hand is kept', () => {
  for (const customers of [200, 400_000, 5_000_000]) {
    assert.equal(clvOptions({ ...CLV_DEFAULTS }, summaryWith(customers)).model, 'auto');
    for (const model of ['paretoNbd', 'mbgNbd', 'bgNbd']) {
      assert.equal(clvOptions({ ...CLV_DEFAULTS, model }, summaryWith(customers)).model, model);
    }
  }
});

test('a holdout moves the calibration end back from the last day and ends where the data end', () => {
  const options = clvOptions({ ...CLV_DEFAULTS, holdout: 90 }, summaryWith(4_000));
  assert.equal(options.calibrationEnd, '2011-09-10');
  assert.equal(options.holdoutEnd, '2011-12-09');
  assert.equal(options.penalizer, 'whenDegenerate');
});
