// The Audiences view's arithmetic apart from drawing (src/views/audiencesModel.js), on results
// of the agreed shape: words per language, parameters against their defaults, member columns,
// priority order and the overlap matrix; the builder's definitions (what is saved) and which
// customers a definition holds, on per-customer columns built so the answer is known.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localeOf } from '../../src/i18n.js';
import { STORAGE_KEY, audienceText, byPriority, emptyDefinition, evaluateDefinition, loadDefinitions, memberColumns, normalizeDefinition, overlapMatrix, paramFields, parseParams, saveDefinitions, withDefinition, withParam } from '../../src/views/audiencesModel.js';

const en = localeOf('en');
const vi = localeOf('vi');

const audiences = [
  { id: 'highValueAtRisk', name: 'High value at risk', nameVi: 'Khách giá trị cao sắp mất', definition: 'Top 10%…', definitionVi: '', params: { topValuePercent: 10, pAliveDrop: 0.2 }, customers: 3, customerIds: ['a', 'b', 'c'], value: [10, null, 30], lastPurchase: ['2011-01-01', '2011-02-01', '2011-03-01'] },
  { id: 'winBack', name: 'Win-back', params: { winBackMinPurchaseDays: 2 }, customers: 2, customerIds: ['c', 'd'], purchaseDays: [3, 2] },
  { id: 'vipThankYou', name: 'VIP thank-you', params: {}, customers: 3, customerIds: ['d', 'c', 'e'] },
];

test('words in the page\'s language from its messages, parameters filled; the engine\'s English otherwise', () => {
  const fill = (value) => (value === null ? '48' : String(value));
  const slipped = { id: 'justSlipped', name: 'Just slipped', definition: 'engine text', params: { atRiskMultiplier: 2, slippedWithinDays: 7, minTypicalGapDays: 7 } };
  assert.equal(audienceText(en, slipped, 'name'), 'Just slipped');
  assert.match(audienceText(vi, slipped, 'definition', fill), /2×.*7 ngày/);
  assert.match(audienceText(en, { id: 'oneAndDone', params: { oneAndDoneAfterDays: null } }, 'definition', fill), /more than 48 days/);
  assert.equal(audienceText(vi, { id: 'aNewAudience', name: 'A new audience', params: {} }, 'name'), 'A new audience', 'an audience the page has no words for keeps the engine\'s English');
});

test('parameters: one shared set, overrides kept only where they differ from the default, as hash text', () => {
  assert.deepEqual(parseParams(''), {});
  assert.deepEqual(parseParams('not json'), {});
  assert.deepEqual(parseParams('[1]'), {});
  let text = withParam('', 'dueWithinDays', '14', 7);
  assert.equal(text, '{"dueWithinDays":14}');
  text = withParam(text, 'winBackMinPurchaseDays', 3, 2);
  assert.deepEqual(parseParams(text), { dueWithinDays: 14, winBackMinPurchaseDays: 3 });
  text = withParam(text, 'oneAndDoneAfterDays', '45', null);
  assert.equal(parseParams(text).oneAndDoneAfterDays, 45, 'a default measured from the data (null) can be overridden');
  text = withParam(text, 'oneAndDoneAfterDays', '', null);
  text = withParam(text, 'dueWithinDays', 7, 7);
  text = withParam(text, 'winBackMinPurchaseDays', 'x', 2);
  assert.equal(text, '', 'back at the defaults: nothing in the hash');
  const applied = { ...audiences[0], params: { topValuePercent: 20, pAliveDrop: 0.2, oneAndDoneAfterDays: null } };
  assert.deepEqual(paramFields(applied, { topValuePercent: 10, pAliveDrop: 0.2, oneAndDoneAfterDays: null }), [
    { key: 'topValuePercent', value: 20, fallback: 10, changed: true },
    { key: 'pAliveDrop', value: 0.2, fallback: 0.2, changed: false },
    { key: 'oneAndDoneAfterDays', value: null, fallback: null, changed: false },
  ]);
});

test('member columns: the arrays as long as the members, by kind', () => {
  assert.deepEqual(memberColumns(audiences[0]).map(({ key, kind }) => [key, kind]), [['value', 'money'], ['lastPurchase', 'date']]);
  assert.deepEqual(memberColumns(audiences[1]).map(({ key, kind }) => [key, kind]), [['purchaseDays', 'number']]);
  assert.deepEqual(memberColumns({ customerIds: [], pAlive: [] }), []);
  assert.deepEqual(memberColumns({ customerIds: ['x'], pAlive: new Float64Array([0.5]), name: ['Ann'], nextOrderDate: [null] }).map(({ kind }) => kind), ['share', 'text', 'number']);
});

test('audiences in priority order; the engine\'s overlap pairs as a matrix', () => {
  assert.deepEqual(byPriority(audiences, ['vipThankYou', 'highValueAtRisk']).map((a) => a.id), ['vipThankYou', 'highValueAtRisk', 'winBack']);
  assert.deepEqual(byPriority(audiences).map((a) => a.id), ['highValueAtRisk', 'winBack', 'vipThankYou']);
  const pairs = [{ a: 'highValueAtRisk', b: 'winBack', customers: 1 }, { a: 'vipThankYou', b: 'winBack', customers: 2 }, { a: 'gone', b: 'winBack', customers: 9 }];
  assert.deepEqual(overlapMatrix(audiences, pairs), [[null, 1, 0], [1, null, 2], [0, 2, null]]);
});

test('definitions: normalised, saved without data, replaced by name', () => {
  assert.equal(normalizeDefinition({ name: '  ' }), null);
  assert.deepEqual(normalizeDefinition({ name: ' Lapsed VIPs ', segments: ['Champions', 'Champions', 3], stages: ['lapsed', 'gone'], pAlive: ['0.9', 0.2], recencyDays: [30, ''], purchases: 'x' }), {
    name: 'Lapsed VIPs', segments: ['Champions'], stages: ['lapsed'], pAlive: [0.2, 0.9], value: [null, null], recencyDays: [30, null], purchases: [null, null],
  });
  const store = new Map();
  const storage = { getItem: (key) => store.get(key) ?? null, setItem: (key, value) => store.set(key, value) };
  assert.deepEqual(loadDefinitions(storage), []);
  let list = withDefinition([], { ...emptyDefinition('A'), stages: ['new'] });
  list = withDefinition(list, emptyDefinition('B'));
  list = withDefinition(list, { ...emptyDefinition('A'), stages: ['active'] });
  assert.deepEqual(list.map((d) => [d.name, d.stages]), [['A', ['active']], ['B', []]]);
  assert.ok(saveDefinitions(storage, list));
  assert.deepEqual(Object.keys(JSON.parse(store.get(STORAGE_KEY))[0]).sort(), ['name', 'pAlive', 'purchases', 'recencyDays', 'segments', 'stages', 'value']);
  assert.deepEqual(loadDefinitions(storage), list);
  store.set(STORAGE_KEY, '{broken');
  assert.deepEqual(loadDefinitions(storage), []);
  assert.equal(saveDefinitions({ setItem: () => { throw new Error('quota'); } }, list), false);
});

test('a definition holds exactly the customers meeting every condition', () => {
  // Six customers (indices 10..15), built so each condition removes known ones.
  const rfm = {
    count: 6,
    segments: ['Champions', 'At Risk', 'Lost'],
    customer: new Uint32Array([10, 11, 12, 13, 14, 15]),
    segment: new Uint8Array([0, 1, 1, 2, 0, 1]),
    recencyDays: new Uint32Array([5, 90, 120, 400, 20, 200]),
    frequency: new Uint32Array([9, 3, 1, 1, 6, 2]),
  };
  const clv = { count: 5, customer: new Uint32Array([10, 11, 12, 13, 15]), pAlive: new Float64Array([0.95, 0.6, 0.3, 0.05, Number.NaN]), clv: new Float64Array([500, 120, 40, 2, 80]) };
  const stageMembers = new Map([['at_risk', new Uint32Array([11, 15])], ['lapsed', new Uint32Array([12, 13])]]);
  const ids = (definition) => evaluateDefinition(normalizeDefinition({ name: 'x', ...definition }), { rfm, clv, stageMembers }).map((row) => rfm.customer[row]);
  assert.deepEqual(ids({}), [10, 11, 12, 13, 14, 15], 'no condition: everyone');
  assert.deepEqual(ids({ segments: ['At Risk'] }), [11, 12, 15]);
  assert.deepEqual(ids({ stages: ['at_risk', 'lapsed'] }), [11, 12, 13, 15]);
  assert.deepEqual(ids({ recencyDays: [60, 365] }), [11, 12, 15]);
  assert.deepEqual(ids({ purchases: [2, null] }), [10, 11, 14, 15]);
  assert.deepEqual(ids({ pAlive: [0.5, null] }), [10, 11], 'no model figure (14 missing, 15 NaN): out of a bounded range');
  assert.deepEqual(ids({ value: [50, 200] }), [11, 15]);
  assert.deepEqual(ids({ segments: ['At Risk'], stages: ['at_risk'], purchases: [2, null], value: [100, null] }), [11]);
});
