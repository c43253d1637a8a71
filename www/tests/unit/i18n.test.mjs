// The UI text tables and the Intl formatting, under Node (no DOM needed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MESSAGES, localeOf } from '../../src/i18n.js';

const plain = (text) => text.replace(/[\u00a0\u202f]/g, ' ');

test('English and Vietnamese have the same keys and the same placeholders', () => {
  const english = Object.keys(MESSAGES.en).sort();
  assert.deepEqual(Object.keys(MESSAGES.vi).sort(), english);
  const placeholders = (text) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
  for (const key of english) {
    assert.deepEqual(placeholders(MESSAGES.vi[key]), placeholders(MESSAGES.en[key]), key);
  }
});

test('no Vietnamese text is left in English by mistake', () => {
  const sameOnPurpose = new Set(['app.title', 'preset.online-retail', 'delimiter.tab', 'rfm.list.scores']);
  for (const [key, text] of Object.entries(MESSAGES.vi)) {
    const words = text.replace(/\{\w+\}/g, '').replace(/[^\p{L}]/gu, '');
    if (!sameOnPurpose.has(key) && words) assert.notEqual(text, MESSAGES.en[key], key);
  }
});

const cases = [
  ['vi', ({ formatMoney }) => formatMoney(1_250_000, 'VND'), '1.250.000 ₫'],
  ['en', ({ formatMoney }) => formatMoney(1_250_000, 'VND'), '₫1,250,000'],
  ['en', ({ formatMoney }) => formatMoney(9_747_747.93, 'GBP'), '£9,747,747.93'],
  ['vi', ({ formatMoney }) => formatMoney(9_747_747.93, 'GBP'), '9.747.747,93 £'],
  ['vi', ({ formatMoney }) => formatMoney(-0, 'GBP'), '0,00 £'],
  ['en', ({ formatMoney }) => formatMoney(-0.001, 'GBP'), '£0.00'],
  ['en', ({ formatMoney }) => formatMoney(-12.5, 'GBP'), '-£12.50'],
  ['en', ({ formatMoney }) => formatMoney(1234.5, ''), '1,234.50'],
  ['vi', ({ formatMoney }) => formatMoney(1234.5, ''), '1.234,50'],
  ['en', ({ formatDate }) => formatDate('2010-12-01'), '1 Dec 2010'],
  ['vi', ({ formatDate }) => formatDate('2010-12-01'), '1 thg 12, 2010'],
  ['en', ({ formatPercent }) => formatPercent(0.3661), '36.6%'],
  ['vi', ({ formatPercent }) => formatPercent(0.3661), '36,6%'],
  ['en', ({ formatBytes }) => formatBytes(48_039_726), '48 MB'],
  ['vi', ({ formatBytes }) => formatBytes(2_024_722), '2 MB'],
  ['en', ({ t }) => t('summary.rowsDetail', { read: 541_909, accepted: 541_909, rejected: 0 }), '541,909 read · 541,909 accepted · 0 rejected'],
  ['vi', ({ t }) => t('summary.rowsDetail', { read: 541_909, accepted: 541_909, rejected: 0 }), '541.909 đã đọc · 541.909 hợp lệ · 0 bị loại'],
];
for (const [lang, format, expected] of cases) {
  test(`${lang}: ${expected}`, () => {
    assert.equal(plain(format(localeOf(lang))), expected);
  });
}

test('an unknown language falls back to English', () => {
  assert.equal(localeOf('xx').lang, 'en');
  assert.equal(localeOf('xx').t('summary.heading'), 'Summary');
});

test('two languages side by side: each locale keeps its own words and formats', () => {
  const english = localeOf('en');
  const vietnamese = localeOf('vi');
  assert.equal(vietnamese.t('summary.heading'), 'Tóm tắt');
  assert.equal(english.t('summary.heading'), 'Summary');
  assert.equal(plain(english.formatPercent(0.5)), '50%');
  assert.equal(plain(vietnamese.formatMoney(1234.5, '')), '1.234,50');
});
