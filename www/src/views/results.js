// Analysis results for the views: asked of the worker once per (data, method, options), kept
// for re-renders (language, currency, resize) and dropped when other data is loaded.

const MAX_ENTRIES = 12;
const cache = new Map();
let cachedDataKey = null;

/**
 * The entry for `engine.analyse(method, options)` on the data `dataKey`:
 * `{ status: 'pending' | 'done' | 'error', value?, error? }`. A pending entry calls
 * `onSettled` when it settles, so the view can draw the result.
 */
export function analysis({ engine, dataKey, rerender }, method, options = {}) {
  if (cachedDataKey !== dataKey) {
    cache.clear();
    cachedDataKey = dataKey;
  }
  const key = `${method}|${JSON.stringify(options)}`;
  let entry = cache.get(key);
  if (entry) {
    cache.delete(key);
    cache.set(key, entry); // most recently used last
    return entry;
  }
  entry = { status: 'pending' };
  cache.set(key, entry);
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value);
  engine.analyse(method, options).then(
    (value) => {
      entry.status = 'done';
      entry.value = value;
      if (cachedDataKey === dataKey) rerender();
    },
    (error) => {
      entry.status = 'error';
      entry.error = error;
      if (cachedDataKey === dataKey) rerender();
    },
  );
  return entry;
}

/** Forgets every result (another data set was loaded). */
export function forgetResults() {
  cache.clear();
  cachedDataKey = null;
}
