// Analysis results for the views: asked of the worker once per (engine, data, method, options),
// kept for re-renders (language, currency, resize) and dropped when other data is loaded. Each
// engine (each lens on the page) has its own cache, so two elements never see each other's data.

const MAX_ENTRIES = 12;
/** engine → { dataKey, entries: Map } */
const caches = new WeakMap();

function cacheFor(engine, dataKey) {
  let cache = caches.get(engine);
  if (!cache || cache.dataKey !== dataKey) {
    cache = { dataKey, entries: new Map() };
    caches.set(engine, cache);
  }
  return cache;
}

/**
 * The entry for `engine.analyse(method, options)` on the data `dataKey`:
 * `{ status: 'pending' | 'done' | 'error', value?, error? }`. A pending entry calls
 * `rerender` when it settles, so the view can draw the result.
 */
export function analysis({ engine, dataKey, rerender }, method, options = {}) {
  const cache = cacheFor(engine, dataKey);
  const key = `${method}|${JSON.stringify(options)}`;
  let entry = cache.entries.get(key);
  if (entry) {
    cache.entries.delete(key);
    cache.entries.set(key, entry); // most recently used last
    return entry;
  }
  entry = { status: 'pending' };
  cache.entries.set(key, entry);
  while (cache.entries.size > MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value);
  const settled = () => {
    if (caches.get(engine) === cache) rerender();
  };
  engine.analyse(method, options).then(
    (value) => {
      entry.status = 'done';
      entry.value = value;
      settled();
    },
    (error) => {
      entry.status = 'error';
      entry.error = error;
      settled();
    },
  );
  return entry;
}

/** Forgets every result of this engine (another data set was loaded). */
export function forgetResults(engine) {
  caches.delete(engine);
}
