// Every code the engine can emit (listed in src/messages/codes.json, which the engine's own
// tests keep equal to its code list) is worded in English and Vietnamese.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MESSAGES, localeOf } from '../../src/i18n.js';

const [en, vi] = [localeOf('en'), localeOf('vi')];

const codes = JSON.parse(readFileSync(new URL('../../src/messages/codes.json', import.meta.url), 'utf8'));

test('the code list is not empty', () => {
  assert.ok(codes.messages.length > 50 && codes.segments.length === 11);
});

for (const lang of ['en', 'vi']) {
  test(`every message code has ${lang} wording`, () => {
    const missing = codes.messages.filter((code) => !Object.hasOwn(MESSAGES[lang], `message.${code}`));
    assert.deepEqual(missing, []);
  });

  test(`every rule an option is checked by has ${lang} wording`, () => {
    const rules = Object.keys(codes.rules);
    assert.ok(rules.length > 10);
    assert.deepEqual(rules.filter((rule) => !Object.hasOwn(MESSAGES[lang], `engine.rule.${rule}`)), []);
    if (lang === 'en') for (const rule of rules) assert.equal(MESSAGES.en[`engine.rule.${rule}`], codes.rules[rule], rule);
  });

  test(`every audience action and parameter has ${lang} wording`, () => {
    const keys = [
      ...codes.audienceActions.map((action) => `audience.action.${action}`),
      ...codes.audienceParams.map((param) => `audience.param.${param}`),
    ];
    assert.ok(codes.audiences.length === 8 && keys.length === 25, 'the ready audiences, their actions and parameters are all listed');
    assert.deepEqual(keys.filter((key) => !Object.hasOwn(MESSAGES[lang], key)), []);
  });

  test(`every audience has a ${lang} name and a definition whose places are parameters`, () => {
    for (const id of codes.audiences) {
      assert.ok(MESSAGES[lang][`audience.${id}.name`], id);
      const definition = MESSAGES[lang][`audience.${id}.definition`];
      const places = [...definition.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      assert.deepEqual(places.filter((place) => !codes.audienceParams.includes(place)), [], id);
    }
    const filled = (lang === 'en' ? en : vi).t('audience.justSlipped.definition', { atRiskMultiplier: 2, slippedWithinDays: 7 });
    assert.ok(filled.includes('7'), filled);
  });

  test(`every segment code has a ${lang} name, meaning and action`, () => {
    const missing = codes.segments.flatMap((code) => ['name', 'meaning', 'action']
      .map((part) => `segment.${code}.${part}`)
      .filter((key) => !Object.hasOwn(MESSAGES[lang], key)));
    assert.deepEqual(missing, []);
  });
}

test('a message is worded from its code and params, with the role it names', () => {
  const message = { code: 'value_not_a_number', message: 'the amount is not a number', params: { what: 'amount' } };
  assert.equal(vi.describeMessage(message), 'số tiền không phải là số (ví dụ 1234.56, 1.234,56 hoặc 1.250.000 ₫)');
  assert.equal(vi.describeMessage({ code: 'option_wrong_type', message: 'x', params: { name: 'bins', expected: 'number' } }),
    'tùy chọn không hợp lệ: bins phải là một số');
  assert.equal(en.describeMessage(message), 'the amount is not a number');
});

test('a fit that did not converge is worded by its reason, with the model and parameters', () => {
  for (const reason of ['invalid_parameters', 'ran_off', 'spend_ran_off']) {
    const params = { detail: 'English only', model: 'BG/NBD', reason, parameters: 'r = 1.000e0' };
    const worded = vi.describeMessage({ code: 'clv_not_converged', message: 'English', params });
    assert.ok(worded.startsWith('việc ước lượng mô hình không hội tụ: '), worded);
    assert.ok(worded.includes('BG/NBD') && worded.includes('(r = 1.000e0)') && !worded.includes('English'), worded);
    assert.ok(en.t(`message.clv_not_converged.${reason}`, params).includes('(r = 1.000e0)'), reason);
  }
});

test("no spend model is worded with its cause, the spend model's own error", () => {
  const params = { cause: 'clv_not_converged', model: 'Gamma-Gamma', reason: 'spend_ran_off', parameters: 'p = 1.000e0', detail: 'English only' };
  const worded = vi.describeMessage({ code: 'no_spend_model', message: 'English', params });
  assert.ok(worded.startsWith('Không có mô hình chi tiêu'), worded);
  assert.ok(worded.includes('giá trị đơn hàng kỳ vọng là vô hạn') && worded.includes('(p = 1.000e0)') && !worded.includes('English'), worded);
  const fewBuyers = vi.describeMessage({ code: 'no_spend_model', message: 'English', params: { cause: 'clv_too_few_repeat_buyers', customers: '1' } });
  assert.ok(!fewBuyers.includes('{cause}') && !fewBuyers.includes('English'), fewBuyers);
});

test('what an option can take is worded by its rule and bounds', () => {
  const message = {
    code: 'option_invalid',
    message: "invalid horizonDays '20000': a number of days from 30 to 3650",
    params: { name: 'horizonDays', given: '20000', expected: 'a number of days from 30 to 3650', rule: 'days', min: '30', max: '3650' },
  };
  assert.equal(vi.describeMessage(message), "giá trị '20000' của horizonDays không hợp lệ: cần một số ngày từ 30 đến 3650");
  assert.equal(en.t('engine.rule.days', message.params), message.params.expected);
});

test('an unknown code keeps the English text', () => {
  assert.equal(vi.describeMessage({ code: 'no_such_code', message: 'as written', params: {} }), 'as written');
});

test('catalogue segments are named by code, custom ones as written', () => {
  assert.equal(vi.segmentText({ code: 'champions', name: 'Champions' }, 'name'), 'Nhà vô địch');
  assert.equal(vi.segmentText({ code: null, name: 'My segment' }, 'name'), 'My segment');
  assert.equal(en.segmentText({ code: 'at_risk', name: 'At Risk' }, 'name'), 'At Risk');
});
