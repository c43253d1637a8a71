// The filter as the lens, its filter bar and the element's `filter` attribute handle it
// (src/views/filterModel.js): one normal form, values added and removed, dates, chips in order,
// searching values without accents, and attribute names in both languages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localeOf } from '../../src/i18n.js';
import { attributeName, filterChips, filterFromJson, fold, isEmptyFilter, normalizeFilter, sameFilter, searchValues, withDates, withValue, withoutValue } from '../../src/views/filterModel.js';

test('a filter has one form: lists of distinct strings, valid dates, nothing empty', () => {
  assert.deepEqual(normalizeFilter({ country: 'Vietnam', channel: ['web', 'web', 'pos'], region: [], from: '2024-01-01', to: '31/12/2024', tags: [null, 3] }),
    { country: ['Vietnam'], channel: ['web', 'pos'], from: '2024-01-01', tags: ['3'] });
  assert.deepEqual(normalizeFilter(null), {});
  assert.deepEqual(normalizeFilter(['Vietnam']), {});
  assert.ok(isEmptyFilter({ country: [] }));
  assert.ok(!isEmptyFilter({ to: '2011-06-30' }));
  assert.deepEqual(normalizeFilter({ country: [''] }), { country: [''] }, 'an order without a value is a value to filter on');
});

test('the element attribute: JSON of the same object; anything else filters nothing', () => {
  assert.deepEqual(filterFromJson('{"country":["Vietnam"],"from":"2024-01-01"}'), { country: ['Vietnam'], from: '2024-01-01' });
  assert.deepEqual(filterFromJson('country=Vietnam'), {});
  assert.deepEqual(filterFromJson('["Vietnam"]'), {});
  assert.deepEqual(filterFromJson(''), {});
  assert.deepEqual(filterFromJson(null), {});
});

test('values added once and removed, dates set and cleared', () => {
  let filter = withValue({}, 'country', 'United Kingdom');
  filter = withValue(filter, 'country', 'France');
  filter = withValue(filter, 'country', 'France');
  assert.deepEqual(filter, { country: ['United Kingdom', 'France'] });
  filter = withDates(filter, { from: '2011-01-01' });
  filter = withDates(filter, { to: '2011-06-30' });
  assert.deepEqual(filter, { country: ['United Kingdom', 'France'], from: '2011-01-01', to: '2011-06-30' });
  filter = withDates(filter, { from: '' });
  assert.deepEqual(filter, { country: ['United Kingdom', 'France'], to: '2011-06-30' });
  filter = withoutValue(withoutValue(filter, 'country', 'United Kingdom'), 'country', 'France');
  assert.deepEqual(filter, { to: '2011-06-30' });
  assert.ok(sameFilter({ country: ['a', 'b'], to: '2011-06-30' }, { to: '2011-06-30', country: ['b', 'a'] }));
  assert.ok(!sameFilter({ country: ['a'] }, { country: ['a', 'b'] }));
});

test('chips: attribute values first, then the dates; an unknown key is kept by name', () => {
  const attributes = [{ key: 'country', column: 'Country', role: 'country', values: [] }];
  assert.deepEqual(filterChips({ to: '2011-06-30', from: '2011-01-01', country: ['France'], Gift: ['yes'] }, attributes), [
    { key: 'country', value: 'France', attribute: attributes[0] },
    { key: 'Gift', value: 'yes', attribute: null },
    { key: 'from', value: '2011-01-01', attribute: null },
    { key: 'to', value: '2011-06-30', attribute: null },
  ]);
});

test('values are searched without case or accents, most orders first as the book lists them', () => {
  const attribute = { values: [{ value: 'Hà Nội', orders: 9 }, { value: 'Hải Phòng', orders: 5 }, { value: 'Đà Nẵng', orders: 3 }, { value: '', orders: 1 }] };
  assert.deepEqual(searchValues(attribute, 'ha noi').map((v) => v.value), ['Hà Nội']);
  assert.deepEqual(searchValues(attribute, 'HA').map((v) => v.value), ['Hà Nội', 'Hải Phòng']);
  assert.deepEqual(searchValues(attribute, 'da nang').map((v) => v.value), ['Đà Nẵng']);
  assert.equal(searchValues(attribute, '').length, 4);
  assert.equal(searchValues(attribute, '', 2).length, 2);
  assert.equal(fold('Việt Nam'), 'viet nam');
});

test('an attribute is named by its role in the language, else by its column', () => {
  assert.equal(attributeName(localeOf('en'), { key: 'country', role: 'country', column: 'Country' }), 'Country');
  assert.equal(attributeName(localeOf('vi'), { key: 'channel', role: 'channel', column: 'Source' }), 'Kênh bán hàng');
  assert.equal(attributeName(localeOf('vi'), { key: 'Gift wrap', role: null, column: 'Gift wrap' }), 'Gift wrap');
  assert.equal(attributeName(localeOf('en'), { key: 'x', role: 'somethingNew', column: 'X col' }), 'X col');
});
