// The analysis cache: the one way views (and the lens's hosts) reach the worker. Results asked
// of it are kept per (method, options) for re-renders (language, currency, resize) and dropped
// when other data is loaded; exports, which are large and asked for once, run uncached through
// it. Each lens has its own, so two elements never see each other's data.
//
// The lens's filter (`{ country: [...], from, to }`) goes to every analysis as its `filter`
// option from here, so no view has to remember it; a result is kept per filter too, so changing
// the filter re-runs only what the visible view asks for, and going back to a filter is instant.
//
// Likewise the not-a-product list the user confirmed (product ids) goes to every product
// analysis as its `exclude` option; until the user confirms one, the engine's own proposal
// applies. It belongs to the data: loading other data forgets it.

const MAX_ENTRIES = 20;

/**
 * A view asks for its analyses together and the worker answers them one after the other: while
 * some are still running, an answer redraws the view only after this long, so answers that come
 * close together (a filter change on a large book: three for Cohorts) redraw it once, and a slow
 * one (CLV) still lets the others show meanwhile.
 */
const GATHER_MS = 150;

/** Analyses of the whole book whatever the filter: the attributes list every value the filter bar offers. */
const UNFILTERED = new Set(['attributes']);

/** Analyses that leave out the not-a-product lines (`exclude`). */
const PRODUCT_ANALYSES = new Set(['products', 'firstProducts', 'boughtTogether', 'nextProducts', 'productMix', 'crossSell', 'crossSellCsv']);

export class AnalysisCache {
  #engine;
  #onSettled;
  #entries = new Map();
  /** The filter every analysis gets (null: none). */
  #filter = null;
  /** The confirmed not-a-product ids (null: the engine's proposal). */
  #exclude = null;
  /** Bumped when the data changes, so an answer about older data redraws nothing. */
  #generation = 0;
  /** Requests asked with `get` and not answered yet. */
  #pending = 0;
  /** The redraw waiting for the other answers (GATHER_MS), if any. */
  #gatherTimer = 0;

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
    options = this.#withFilter(method, options);
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
    this.#pending++;
    const settled = () => {
      if (generation !== this.#generation) return;
      this.#pending--;
      if (this.#pending > 0) {
        this.#gatherTimer ||= setTimeout(() => this.#redraw(), GATHER_MS);
        return;
      }
      this.#redraw();
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

  #redraw() {
    clearTimeout(this.#gatherTimer);
    this.#gatherTimer = 0;
    this.#onSettled();
  }

  /**
   * `book[method](...leading, options)` once, not kept (a CSV export, a host's customer list);
   * `leading`: arguments before the options (`audienceCsv`'s audience id).
   */
  run(method, options = {}, leading = []) {
    return leading.length ? this.#engine.analyse(method, this.#withFilter(method, options), leading) : this.#engine.analyse(method, this.#withFilter(method, options));
  }

  /** Sets the filter later analyses get (`{}` or null: none); results under other filters stay cached. */
  setFilter(filter) {
    this.#filter = filter && Object.keys(filter).length ? filter : null;
  }

  /** The not-a-product ids product analyses leave out (null: the engine's proposal). */
  get exclude() {
    return this.#exclude ? [...this.#exclude] : null;
  }

  /** Sets the confirmed not-a-product ids (null: back to the engine's proposal). */
  setExclude(ids) {
    this.#exclude = ids ? [...ids] : null;
  }

  #withFilter(method, options) {
    if (this.#exclude && PRODUCT_ANALYSES.has(method) && options.exclude === undefined) options = { ...options, exclude: this.#exclude };
    return this.#filter && !UNFILTERED.has(method) && options.filter === undefined ? { ...options, filter: this.#filter } : options;
  }

  /** Reads a grouped CLV summary file (the SQL's `clvSummary` result) and fits both models on it. */
  fitGroupedSummary(file, periodDays) {
    return this.#engine.request('fitGroupedSummary', { file, periodDays }).result;
  }

  /** Forgets every result (another data set was loaded). */
  clear() {
    this.#entries.clear();
    this.#exclude = null;
    this.#generation++;
    this.#pending = 0;
    clearTimeout(this.#gatherTimer);
    this.#gatherTimer = 0;
  }
}
