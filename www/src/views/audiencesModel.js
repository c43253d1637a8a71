// The Audiences view's arithmetic apart from drawing (views/audiences.js), on `book.audiences()`
// as it comes: each audience's words in the page's language, its editable parameters against
// their defaults, the member columns a preview shows, the overlap matrix; and the audience
// builder's definitions (what is saved: conditions only, never data or attribute values),
// checked and evaluated on the per-customer columns the engine already gives (rfmCustomers,
// clvCustomers, lifecycleCustomers).
// Overlaps and one audience per customer are the engine's (`exclusive`, `priority`, `overlaps`).
// Tested under Node on fixture results (tests/unit/audiences-model.test.mjs).

/** Where the page keeps the custom audiences' definitions (localStorage). */
export const STORAGE_KEY = 'customer-lens.audiences';

/** The lifecycle stages a custom audience may name. */
export const STAGES = ['new', 'active', 'at_risk', 'lapsed', 'won_back'];

/** The ranges a custom audience may set, each `[min, max]` (either null: open). */
export const RANGES = ['pAlive', 'value', 'recencyDays', 'purchases'];

/**
 * An audience's name or definition (`part`) in the locale's words: `audience.<id>.<part>`, its
 * `{param}` places filled with the audience's parameters (`formatParam` words each value; a
 * parameter measured from the data is null); the engine's English text for an audience the page
 * has no words for.
 */
export function audienceText({ t, messages }, audience, part, formatParam = String) {
  const key = `audience.${audience.id}.${part}`;
  if (!Object.hasOwn(messages, key)) return audience[part] ?? '';
  const params = Object.fromEntries(Object.entries(audience.params ?? {}).map(([name, value]) => [name, formatParam(value, name)]));
  return t(key, params);
}

// ------------------------------------------------------------------ parameters

/**
 * Parameter overrides from the settings (JSON in the URL hash: `{ dueWithinDays: 14 }`, one set
 * shared by every audience that reads a parameter), {} when none or unreadable.
 */
export function parseParams(text) {
  if (!text) return {};
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/**
 * The overrides with one parameter set (`value` empty or equal to its default: back to the
 * default), as settings text: '' when nothing is overridden.
 */
export function withParam(text, key, value, fallback) {
  const params = parseParams(text);
  if (value === null || value === undefined || String(value).trim() === '' || !Number.isFinite(Number(value)) || Number(value) === fallback) delete params[key];
  else params[key] = Number(value);
  return Object.keys(params).length ? JSON.stringify(params) : '';
}

/**
 * An audience's parameters as fields: `{ key, value, fallback, changed }`: the value applied
 * (the answer's `params`; null: measured from the data) and the default (the answer's
 * `defaults`; null likewise).
 */
export function paramFields(audience, defaults = {}) {
  return Object.entries(audience.params ?? {}).map(([key, value]) => {
    const fallback = Object.hasOwn(defaults, key) ? defaults[key] : value;
    return { key, value, fallback, changed: value !== fallback };
  });
}

/** The audiences in priority order (`priority`: their ids, highest first; those it leaves out after them). */
export function byPriority(audiences, priority = []) {
  const rank = new Map(priority.map((id, i) => [id, i]));
  return [...audiences].sort((a, b) => (rank.get(a.id) ?? priority.length) - (rank.get(b.id) ?? priority.length));
}

// ------------------------------------------------------------------ members

const MONEY = /revenue|value|clv|spend|amount|monetary|stake/i;
const SHARE = /^p[A-Z]|share|probability|rate$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The member columns of an audience (arrays or typed arrays as long as its member list, but the
 * ids), each `{ key, values, kind }` with kind 'date' | 'money' | 'share' | 'number' | 'text'.
 */
export function memberColumns(audience) {
  const n = audience.customerIds?.length ?? 0;
  const columns = [];
  for (const [key, values] of Object.entries(audience)) {
    if (key === 'customerIds' || !values || typeof values !== 'object' || (!Array.isArray(values) && !ArrayBuffer.isView(values))) continue;
    if (values.length !== n || n === 0) continue;
    columns.push({ key, values, kind: columnKind(key, values) });
  }
  return columns;
}

function columnKind(key, values) {
  const first = Array.prototype.find.call(values, (value) => value !== null && value !== undefined && value !== '');
  if (typeof first === 'string') return ISO_DATE.test(first) ? 'date' : 'text';
  if (MONEY.test(key)) return 'money';
  if (SHARE.test(key)) return 'share';
  return 'number';
}

// ------------------------------------------------------------------ overlaps

/**
 * The engine's overlap pairs (`[{ a, b, customers }]`, ids) as a matrix over `audiences`:
 * `matrix[i][j]` customers in both; the diagonal null (an audience with itself).
 */
export function overlapMatrix(audiences, pairs = []) {
  const index = new Map(audiences.map((audience, i) => [audience.id, i]));
  const matrix = audiences.map((_, i) => audiences.map((__, j) => (i === j ? null : 0)));
  for (const { a, b, customers } of pairs) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || i === j) continue;
    matrix[i][j] = customers;
    matrix[j][i] = customers;
  }
  return matrix;
}

// ------------------------------------------------------------------ custom audiences

/** An empty definition (every customer), named `name`. */
export function emptyDefinition(name) {
  return { name, segments: [], stages: [], pAlive: [null, null], value: [null, null], recencyDays: [null, null], purchases: [null, null] };
}

/**
 * A definition as saved and evaluated, from whatever was stored or typed: a name, segment names,
 * known stages, and ranges of finite numbers (null: open). Null when it has no name.
 */
export function normalizeDefinition(definition) {
  if (!definition || typeof definition !== 'object') return null;
  const name = typeof definition.name === 'string' ? definition.name.trim().slice(0, 80) : '';
  if (!name) return null;
  const strings = (list) => (Array.isArray(list) ? [...new Set(list.filter((item) => typeof item === 'string' && item))] : []);
  const bound = (value) => (value === null || value === undefined || value === '' || !Number.isFinite(Number(value)) ? null : Number(value));
  const range = (pair) => {
    const [min, max] = Array.isArray(pair) ? pair.map(bound) : [null, null];
    return min !== null && max !== null && min > max ? [max, min] : [min ?? null, max ?? null];
  };
  const normalized = { name, segments: strings(definition.segments), stages: strings(definition.stages).filter((stage) => STAGES.includes(stage)) };
  for (const key of RANGES) normalized[key] = range(definition[key]);
  return normalized;
}

/** The definitions kept in `storage` (localStorage), the unreadable dropped; [] when none. */
export function loadDefinitions(storage) {
  try {
    const list = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(list) ? list.map(normalizeDefinition).filter(Boolean) : [];
  } catch {
    return [];
  }
}

/** Saves the definitions (only they: no customer, no value of the data) in `storage`. */
export function saveDefinitions(storage, definitions) {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(definitions.map(normalizeDefinition).filter(Boolean)));
    return true;
  } catch {
    return false;
  }
}

/** The definitions with `definition` in place of the one of the same name (or added after them). */
export function withDefinition(definitions, definition) {
  const normalized = normalizeDefinition(definition);
  if (!normalized) return definitions;
  const index = definitions.findIndex((d) => d.name === normalized.name);
  return index < 0 ? [...definitions, normalized] : definitions.map((d, i) => (i === index ? normalized : d));
}

/** Which per-customer columns a definition needs beyond the RFM list: `{ clv, stages }`. */
export function definitionNeeds(definition) {
  return {
    clv: definition.pAlive.some((b) => b !== null) || definition.value.some((b) => b !== null),
    stages: definition.stages,
  };
}

const within = ([min, max], value) => (min === null || value >= min) && (max === null || value <= max);

/**
 * The rows of the RFM list (`rfm`: an rfmCustomers answer) that meet every condition of the
 * definition. `clv` (a clvCustomers answer) when P(alive) or value is bounded: a customer the
 * model has no figure for is left out of a bounded range. `stageMembers`: stage → the customer
 * indices of that stage (lifecycleCustomers), for the stages named.
 */
export function evaluateDefinition(definition, { rfm, clv = null, stageMembers = new Map() }) {
  const segments = definition.segments.length ? new Set(definition.segments) : null;
  const segmentOk = segments ? rfm.segments.map((name) => segments.has(name)) : null;
  let inStages = null;
  if (definition.stages.length) {
    inStages = new Set();
    for (const stage of definition.stages) for (const customer of stageMembers.get(stage) ?? []) inStages.add(customer);
  }
  const needs = definitionNeeds(definition);
  let pAliveOf = null;
  let valueOf = null;
  if (needs.clv) {
    pAliveOf = new Map();
    valueOf = new Map();
    if (clv) {
      for (let i = 0; i < clv.count; i++) {
        pAliveOf.set(clv.customer[i], clv.pAlive[i]);
        valueOf.set(clv.customer[i], clv.clv[i]);
      }
    }
  }
  const rows = [];
  for (let row = 0; row < rfm.count; row++) {
    const customer = rfm.customer[row];
    if (segmentOk && !segmentOk[rfm.segment[row]]) continue;
    if (inStages && !inStages.has(customer)) continue;
    if (!within(definition.recencyDays, rfm.recencyDays[row])) continue;
    if (!within(definition.purchases, rfm.frequency[row])) continue;
    if (needs.clv) {
      const pAlive = pAliveOf.get(customer);
      const value = valueOf.get(customer);
      if (definition.pAlive.some((b) => b !== null) && !(Number.isFinite(pAlive) && within(definition.pAlive, pAlive))) continue;
      if (definition.value.some((b) => b !== null) && !(Number.isFinite(value) && within(definition.value, value))) continue;
    }
    rows.push(row);
  }
  return rows;
}
