// The Products view's arithmetic apart from drawing (views/products.js), on the engine's results
// as they come (`book.products()`, `firstProducts()`, `boughtTogether()`, `nextProducts()`,
// `productMix()`, `nonProducts()`): which rows a search keeps, the top bars, the first-product
// rows against the store, the not-a-product list being edited, and what the cross-sell audience
// is asked for. Tested under Node on fixture results (tests/unit/products-model.test.mjs).
import { fold } from './filterModel.js';

/** The product table's sortable columns, the text ones first. */
export const PRODUCT_COLUMNS = ['name', 'revenue', 'units', 'orders', 'buyers', 'repeatShare'];


/** The first-product windows, in the order of the engine's `within`. */
export const WITHIN = [['d30', 30], ['d90', 90], ['d180', 180], ['d365', 365]];

/** The column roles that make a file's lines products. */
const PRODUCT_ROLES = new Set(['productId', 'productName']);

/**
 * Whether the loaded book has products, from its summary: its counts when it has them
 * (`products`, `lines`), else whether a column was read as a product id or name (`columns`:
 * `[role, header]` pairs); null when the summary says neither.
 */
export function hasProducts(summary) {
  for (const key of ['products', 'lines']) {
    const count = summary?.[key];
    if (typeof count === 'number') return count > 0;
  }
  if (Array.isArray(summary?.columns)) return summary.columns.some(([role, header]) => PRODUCT_ROLES.has(role) && header);
  return null;
}

/** The rows of `products` (indices) whose id or name holds `query` (case and accents ignored). */
export function searchProducts(products, query) {
  const needle = fold(query ?? '').trim();
  const rows = [];
  products.forEach((product, row) => {
    if (!needle || fold(product.id).includes(needle) || fold(product.name ?? '').includes(needle)) rows.push(row);
  });
  return rows;
}

/**
 * Row indices of `products` sorted by `key` (`descending` or not); ties keep the engine's order
 * (revenue). Names and ids sort with `compare` (a collator's), numbers as numbers, nulls last.
 */
export function sortProducts(products, rows, { key, descending }, compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0)) {
  const text = key === 'name' || key === 'id';
  const value = key === 'name' ? (p) => p.name || p.id : (p) => p[key];
  const direction = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = value(products[a]);
    const y = value(products[b]);
    if (x === null || x === undefined) return y === null || y === undefined ? a - b : 1;
    if (y === null || y === undefined) return -1;
    return direction * (text ? compare(x, y) : x - y) || a - b;
  });
}

/** The label a product goes by: its name, else its id. */
export function productLabel(product) {
  return product?.name || product?.id || '';
}

/** The `n` products with the most of `key` (revenue by default), as bars `{ id, label, value }`. */
export function topBars(products, n, key = 'revenue') {
  return [...products]
    .filter((product) => Number.isFinite(product[key]) && product[key] > 0)
    .sort((a, b) => b[key] - a[key])
    .slice(0, n)
    .map((product) => ({ id: product.id, label: productLabel(product), value: product[key] }));
}

/**
 * First products against the store: the `top` products with the most first-day customers, each
 * with its repeat rate, the difference from the store's (in points of share), and each window's
 * rate (null where no customer has been observed that long).
 */
export function firstProductRows(result, top) {
  const store = result.store;
  return [...result.products]
    .sort((a, b) => b.customers - a.customers || b.repeatRate - a.repeatRate)
    .slice(0, top)
    .map((row) => ({
      ...row,
      label: productLabel(row),
      difference: store && Number.isFinite(store.repeatRate) ? row.repeatRate - store.repeatRate : null,
    }));
}

/** A window's cell: `{ rate, eligible }` of a `FirstRow`'s `within[key]`, rate null when none was eligible. */
export function withinCell(row, key) {
  const cell = row?.within?.[key];
  if (!cell || !cell.eligible) return { rate: null, eligible: cell?.eligible ?? 0 };
  return { rate: cell.rate ?? cell.repeated / cell.eligible, eligible: cell.eligible };
}

// ------------------------------------------------------------------ the not-a-product list

/**
 * The list being edited: the engine's proposal with, per id, whether it is left out. `confirmed`
 * is the list applied so far (null: the engine's proposal); ids the user added that the proposal
 * lacks come after it.
 */
export function exclusionRows(proposal, confirmed) {
  const chosen = confirmed ? new Set(confirmed) : null;
  const rows = proposal.map((item) => ({ ...item, excluded: chosen ? chosen.has(item.id) : true, proposed: true }));
  if (chosen) {
    const known = new Set(proposal.map((item) => item.id));
    for (const id of confirmed) if (!known.has(id)) rows.push({ id, name: '', reason: 'user', excluded: true, proposed: false });
  }
  return rows;
}

/** The ids left out by the rows (the list to apply as `exclude`). */
export function excludedIds(rows) {
  return rows.filter((row) => row.excluded).map((row) => row.id);
}

/** Product ids typed by the user: separated by commas, semicolons or new lines; blanks and repeats dropped. */
export function parseIds(text) {
  return [...new Set(String(text ?? '').split(/[,;\n]/).map((id) => id.trim()).filter(Boolean))];
}

/** Whether a confirmed list is the proposal itself (nothing to send: the engine's default). */
export function sameAsProposal(proposal, ids) {
  if (ids.length !== proposal.length) return false;
  const proposed = new Set(proposal.map((item) => item.id));
  return ids.every((id) => proposed.has(id));
}

// ------------------------------------------------------------------ bought together, next, cross-sell

/** The pairs of a `boughtTogether` result as rows: the other product, counts and measures. */
export function pairRows(result, product) {
  return (result?.pairs ?? []).map((pair) => {
    const flipped = product && pair.b === product && pair.a !== product;
    return {
      ...pair,
      other: flipped ? pair.a : pair.b,
      otherName: (flipped ? pair.aName : pair.bName) || (flipped ? pair.a : pair.b),
      label: `${pair.aName || pair.a} + ${pair.bName || pair.b}`,
    };
  });
}

/** The cross-sell audience's options: buyers of `product` who never bought any of `notBought`. */
export function crossSellOptions(product, notBought) {
  return { bought: [product], notBought: [...notBought].filter((id) => id !== product) };
}

/**
 * The mix of one group (an RFM segment or a lifecycle stage): its products with their share
 * of the group's buyers, the largest first, at most `top`.
 */
export function mixRows(group, top) {
  return [...(group?.products ?? [])].sort((a, b) => b.buyers - a.buyers || b.revenue - a.revenue).slice(0, top);
}
