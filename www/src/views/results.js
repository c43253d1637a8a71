// The analysis cache: the one way views (and the lens's hosts) reach the worker. Results asked
// of it are kept per (method, options) for re-renders (language, currency, resize) and dropped
// when other data is loaded; exports, which are large and asked for once, run uncached through
// it. Each lens has its own, so two elements never see each other's data.

const MAX_ENTRIES = 12;

export class AnalysisCache {
  #engine;
  #onSettled;
  #entries = new Map();
  /** Bumped when the data changes, so an answer about older data redraws nothing. */
  #generation = 0;

  /**
   * @param {import('../engine.js').Engine} engine
   * @param {() => void} onSettled called when a result asked for with `get` arrives (the view redraws)
   */
  constructor(engine, onSettled) {
    this.#engine = engine;
    this.#onSettled = onSettled;
  }

  /**
   * The entry for `book[method](options)` on the current data:
   * `{ status: 'pending' | 'done' | 'error', value?, error? }`. A pending entry calls
   * `onSettled` when it settles, so the view can draw the result.
   */
  get(method, options = {}) {
    const key = `${method}|${JSON.stringify(options)}`;
    let entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry); // most recently used last
      return entry;
    }
    entry = { status: 'pending' };
    this.#entries.set(key, entry);
    while (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value);
    const generation = this.#generation;
    const settled = () => {
      if (generation === this.#generation) this.#onSettled();
    };
    this.#engine.analyse(method, options).then(
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

  /** `book[method](options)` once, not kept (a CSV export, a host's customer list). */
  run(method, options = {}) {
    return this.#engine.analyse(method, options);
  }

  /** Reads a grouped CLV summary file (the SQL's `clvSummary` result) and fits both models on it. */
  fitGroupedSummary(file, periodDays) {
    return this.#engine.request('fitGroupedSummary', { file, periodDays }).result;
  }

  /** Forgets every result (another data set was loaded). */
  clear() {
    this.#entries.clear();
    this.#generation++;
  }
}
