// The filter the page applies to every analysis (`{ country: ['United Kingdom'], from, to }`, the
// engine's `filter` option) and what the filter bar and the compare-by controls make of the
// book's attributes. Plain functions, tested in Node.
//
// Attribute values are the store's data (countries, discount codes, staff names): they live in
// the lens's memory and the element's `filter` property or attribute, never in the page's URL.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Keys of the filter that are dates, not attributes. */
export const DATE_KEYS = ['from', 'to'];

/**
 * A filter in its one form: each attribute key to a non-empty array of distinct strings (in the
 * order given), `from` and `to` as `YYYY-MM-DD` when valid; anything else dropped. `{}` when
 * nothing filters. Accepts a single value where a list is expected (`{ country: 'Vietnam' }`).
 */
export function normalizeFilter(filter) {
  const clean = {};
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) return clean;
  for (const [key, raw] of Object.entries(filter)) {
    if (DATE_KEYS.includes(key)) {
      if (typeof raw === 'string' && ISO_DATE.test(raw)) clean[key] = raw;
      continue;
    }
    const values = (Array.isArray(raw) ? raw : [raw]).filter((value) => value !== null && value !== undefined).map(String);
    const distinct = [...new Set(values)];
    if (distinct.length) clean[key] = distinct;
  }
  return clean;
}

/** The filter from the element's `filter` attribute (JSON); text that is not a JSON object filters nothing. */
export function filterFromJson(text) {
  if (!text || !text.trim()) return {};
  try {
    return normalizeFilter(JSON.parse(text));
  } catch {
    return {};
  }
}

export function isEmptyFilter(filter) {
  return Object.keys(normalizeFilter(filter)).length === 0;
}

/** The same filter: same keys, same values (in any order), same dates. */
export function sameFilter(a, b) {
  const canonical = (filter) => JSON.stringify(Object.entries(normalizeFilter(filter)).map(([key, value]) => [key, Array.isArray(value) ? [...value].sort() : value]).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return canonical(a) === canonical(b);
}

/** The filter with `value` of attribute `key` added (once). */
export function withValue(filter, key, value) {
  const current = normalizeFilter(filter);
  return normalizeFilter({ ...current, [key]: [...(current[key] ?? []), value] });
}

/** The filter without `value` of attribute `key` (the key gone with its last value). */
export function withoutValue(filter, key, value) {
  const current = normalizeFilter(filter);
  return normalizeFilter({ ...current, [key]: (current[key] ?? []).filter((v) => v !== value) });
}

/** The filter with its date range set (`''` clears an end). */
export function withDates(filter, { from = filter?.from ?? '', to = filter?.to ?? '' }) {
  const { from: _from, to: _to, ...attributes } = normalizeFilter(filter);
  return normalizeFilter({ ...attributes, from, to });
}

/**
 * The chips of a filter, one per attribute value then one per date bound, in a stable order:
 * `{ key, value, attribute }` (`attribute` the book's, or null when the data has no such key).
 */
export function filterChips(filter, attributes = []) {
  const current = normalizeFilter(filter);
  const chips = [];
  for (const [key, values] of Object.entries(current)) {
    if (DATE_KEYS.includes(key)) continue;
    const attribute = attributes.find((a) => a.key === key) ?? null;
    for (const value of values) chips.push({ key, value, attribute });
  }
  for (const key of DATE_KEYS) if (current[key]) chips.push({ key, value: current[key], attribute: null });
  return chips;
}

/**
 * The values of an attribute matching `query` (case- and accent-insensitive, anywhere in the
 * value), as the book lists them (most orders first), at most `limit`.
 */
export function searchValues(attribute, query, limit = 50) {
  const needle = fold(query ?? '');
  const values = attribute?.values ?? [];
  const matches = needle ? values.filter((entry) => fold(entry.value).includes(needle)) : values;
  return matches.slice(0, limit);
}

/** Lower case without diacritics, so "viet" finds "Việt Nam" and "ha noi" "Hà Nội". */
export function fold(text) {
  return String(text).normalize('NFD').replace(/\p{Diacritic}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase();
}

/** An attribute's name in the page's language: its role's word (when the page has one), else the column's header. */
export function attributeName({ t }, attribute) {
  if (!attribute) return '';
  const key = `attribute.${attribute.role}`;
  const word = attribute.role ? t(key) : key;
  return word !== key ? word : attribute.column || attribute.key;
}
