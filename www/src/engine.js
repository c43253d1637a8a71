// The page's side of the worker protocol (described at the top of worker.js): promises for
// requests, progress callbacks, cancellation, and a restart when the WASM module traps.

/** An error answered by the worker; `code` says what kind (see worker.js). */
export class EngineError extends Error {
  constructor({ code, message, params }) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.params = params ?? {};
  }
}

export class Engine {
  /** @param {() => Worker} createWorker */
  constructor(createWorker) {
    this.createWorker = createWorker;
    this.nextId = 1;
    this.pending = new Map();
    this.start();
  }

  start() {
    this.failure = null;
    let worker;
    try {
      worker = this.createWorker();
    } catch (error) {
      // The worker cannot start at all (e.g. the host's Trusted Types policy forbids it): every
      // request fails with the reason, which the page shows and the element reports.
      this.worker = null;
      this.failure = new EngineError({ code: error?.code ?? 'unsupported', message: error?.message ?? String(error), params: {} });
      return;
    }
    this.worker = worker;
    this.answered = false;
    worker.addEventListener('message', (event) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault?.();
      if (worker !== this.worker) return;
      const message = event.message || 'worker error';
      // A worker that fails before it answered anything most often never ran: its script was
      // refused (a host's worker-src) or not found, which the page words as such.
      const code = this.answered ? 'crashed' : 'workerFailed';
      this.restart({ code, message, params: { message } });
    });
  }

  /**
   * Throws away the worker (and its book) and fails every pending request; the next request
   * starts a new worker (not at once: one whose script cannot load, say under a host's policy
   * that forbids it, would be restarted over and over). A crash while nothing was pending (out
   * of memory in the middle of nothing, a bug) goes to `onCrash`, so the page can still say that
   * the data is gone; unless the worker never answered anything, so it held no data (its script
   * did not load: the next request reports that).
   */
  restart(error) {
    const dataLost = this.pending.size === 0 && this.answered;
    this.worker?.terminate();
    this.worker = null;
    for (const request of this.pending.values()) request.reject(new EngineError(error));
    this.pending.clear();
    if (dataLost) this.onCrash?.(new EngineError(error));
  }

  receive(message) {
    this.answered = true;
    const request = this.pending.get(message?.id);
    if (!request) return;
    if (message.type === 'progress') {
      request.onProgress?.(message.loaded, message.total);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'result') request.resolve(message.value);
    else {
      const error = new EngineError(message);
      request.reject(error);
      if (error.code === 'crashed' || error.code === 'tooLarge') this.restart(message);
    }
  }

  /** Sends a request; returns `{ id, result }` where result is a promise of the answer. */
  request(type, payload = {}, { onProgress } = {}) {
    const id = this.nextId++;
    if (!this.worker && !this.ended) this.start();
    if (!this.worker) return { id, result: Promise.reject(this.failure) };
    const result = new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
    });
    this.worker.postMessage({ id, type, ...payload });
    return { id, result };
  }

  /** Ends the worker for good (the lens is gone); pending requests fail as cancelled. */
  terminate() {
    this.worker?.terminate();
    this.worker = null;
    this.ended = true;
    this.failure = new EngineError({ code: 'cancelled', message: 'cancelled' });
    for (const request of this.pending.values()) request.reject(new EngineError({ code: 'cancelled', message: 'cancelled' }));
    this.pending.clear();
  }

  cancel(id) {
    if (this.pending.has(id)) this.worker.postMessage({ type: 'cancel', target: id });
  }

  loadFile(file, options, onProgress) {
    return this.request('loadFile', { file, options }, { onProgress });
  }

  loadUrl(url, options, onProgress) {
    return this.request('loadUrl', { url, options }, { onProgress });
  }

  loadRows(rows, options) {
    return this.request('loadRows', { rows, options });
  }

  /** Runs `book[method](...leading, options)` in the worker (`leading`: arguments before the options, as audienceCsv's id). */
  analyse(method, options = {}, leading = []) {
    return this.request('analyse', leading.length ? { method, options, leading } : { method, options }).result;
  }
}
