// Reads a Chromium performance trace (the JSON `browser.stopTracing()` returns, recorded with
// the `disabled-by-default-v8.cpu_profiler` category) and says where the time went: per thread
// (the page's main thread, the engine's worker), the functions with the most self time from the
// V8 sampling profiler, and the main thread's tasks over 50 ms. Used by bench-filter.mjs --trace.

/** The trace categories the summary needs (pass to `browser.startTracing`). */
export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-v8.cpu_profiler',
  'v8.execute',
  'toplevel',
  'blink.user_timing',
];

/** What a sampled frame is called: its function and where it is, shortened. */
function frameName({ functionName, url, lineNumber }) {
  const file = url ? url.slice(url.lastIndexOf('/') + 1).replace(/-[A-Za-z0-9_-]{8}\.js$/, '.js') : '';
  const name = functionName || '(anonymous)';
  return file ? `${name} ${file}:${lineNumber + 1}` : name;
}

/**
 * `{ threads: [{ name, sampledMs, top: [[frame, ms]], tasksMs, cpuMs }], longTasks: [{ start, ms, cpuMs }], runs }`
 * for a trace: the threads with profiler samples, each with its `limit` busiest functions (self
 * time) and its tasks' wall and CPU time (thread clock: what a loaded machine disturbs least);
 * `runs` (what the trace recorded that many times) only divides the totals when printed.
 */
export function summariseTrace(trace, { limit = 12, runs = 1 } = {}) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const threadNames = new Map();
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'thread_name') threadNames.set(`${event.pid}:${event.tid}`, event.args.name);
  }
  // One profile per thread: its nodes (id → frame) and samples arrive in chunks.
  const profiles = new Map();
  for (const event of events) {
    if (event.name !== 'Profile' && event.name !== 'ProfileChunk') continue;
    const key = `${event.pid}:${event.id}`;
    let profile = profiles.get(key);
    if (!profile) profiles.set(key, (profile = { thread: `${event.pid}:${event.tid}`, nodes: new Map(), samples: [], deltas: [], startTime: 0 }));
    const data = event.args?.data ?? {};
    if (event.name === 'Profile') {
      profile.thread = `${event.pid}:${event.tid}`;
      profile.startTime = data.startTime ?? event.ts;
    }
    for (const node of data.cpuProfile?.nodes ?? []) profile.nodes.set(node.id, frameName(node.callFrame));
    profile.samples.push(...(data.cpuProfile?.samples ?? []));
    profile.deltas.push(...(data.timeDeltas ?? []));
  }
  const threads = [];
  for (const profile of profiles.values()) {
    const self = new Map();
    let total = 0;
    // A sample's time is the gap to the next one.
    for (let i = 0; i < profile.samples.length; i++) {
      const ms = (profile.deltas[i + 1] ?? 0) / 1000;
      const name = profile.nodes.get(profile.samples[i]) ?? '?';
      if (name === '(idle)' || name === '(program)') continue;
      self.set(name, (self.get(name) ?? 0) + ms);
      total += ms;
    }
    if (total < 1) continue;
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, limit);
    const tasks = events.filter((event) => event.ph === 'X' && event.name === 'RunTask' && `${event.pid}:${event.tid}` === profile.thread);
    const tasksMs = tasks.reduce((sum, event) => sum + event.dur / 1000, 0);
    const cpuMs = tasks.reduce((sum, event) => sum + (event.tdur ?? event.dur) / 1000, 0);
    threads.push({ name: threadNames.get(profile.thread) ?? profile.thread, sampledMs: total, top, tasksMs, cpuMs });
  }
  threads.sort((a, b) => b.sampledMs - a.sampledMs);
  const mainThreads = new Set([...threadNames].filter(([, name]) => name === 'CrRendererMain').map(([key]) => key));
  const longTasks = events
    .filter((event) => event.ph === 'X' && event.name === 'RunTask' && event.dur > 50_000 && mainThreads.has(`${event.pid}:${event.tid}`))
    .map((event) => ({
      start: event.ts / 1000,
      ms: event.dur / 1000,
      cpuMs: (event.tdur ?? event.dur) / 1000,
      top: busiestIn(profiles, `${event.pid}:${event.tid}`, event.ts, event.ts + event.dur),
      steps: stepsIn(events, event),
    }));
  return { threads, longTasks, runs };
}

/** What the browser did inside a task, by kind (style, layout, script, paint…): `[[name, CPU ms]]`, the largest first. */
const STEPS = new Set(['UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'HandlePostMessage', 'FireAnimationFrame', 'TimerFire', 'FireIdleCallback', 'EventDispatch', 'FunctionCall', 'RunMicrotasks', 'ParseHTML', 'MajorGC', 'MinorGC', 'V8.GC_SCAVENGER', 'V8.GC_MARK_COMPACTOR', 'IntersectionObserverController::computeIntersections']);
function stepsIn(events, task) {
  const steps = new Map();
  for (const event of events) {
    if (event.ph !== 'X' || event.pid !== task.pid || event.tid !== task.tid || !STEPS.has(event.name)) continue;
    if (event.ts < task.ts || event.ts + event.dur > task.ts + task.dur) continue;
    steps.set(event.name, (steps.get(event.name) ?? 0) + (event.tdur ?? event.dur) / 1000);
  }
  return [...steps].sort((a, b) => b[1] - a[1]).slice(0, 4);
}

/** The three functions with the most samples on `thread` between two trace times (µs). */
function busiestIn(profiles, thread, from, to) {
  const self = new Map();
  for (const profile of profiles.values()) {
    if (profile.thread !== thread) continue;
    let at = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      at += profile.deltas[i] ?? 0;
      if (at < from || at > to) continue;
      const name = profile.nodes.get(profile.samples[i]) ?? '?';
      if (name === '(idle)' || name === '(program)') continue;
      self.set(name, (self.get(name) ?? 0) + (profile.deltas[i + 1] ?? 0) / 1000);
    }
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, 3);
}

/** The summary as text, for stderr. */
export function formatTraceSummary({ threads, longTasks, runs }) {
  const lines = [];
  const each = runs > 1 ? ` (${runs} runs)` : '';
  for (const thread of threads) {
    const per = (ms) => (ms / runs).toFixed(0);
    lines.push(`  ${thread.name}: tasks ${per(thread.tasksMs)} ms a run, ${per(thread.cpuMs)} ms of it CPU; ${thread.sampledMs.toFixed(0)} ms sampled${each}`);
    for (const [name, ms] of thread.top) lines.push(`    ${ms.toFixed(1).padStart(7)} ms  ${name}`);
  }
  lines.push(`  main-thread tasks over 50 ms${each}: ${longTasks.length ? longTasks.map((task) => `${task.ms.toFixed(0)} (CPU ${task.cpuMs.toFixed(0)})`).join(', ') : 'none'}`);
  // What the heavy ones did (by CPU: a light task stretched by the machine's load says little).
  for (const task of longTasks.filter((long) => long.cpuMs >= 25)) {
    const list = (pairs) => pairs.map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ');
    lines.push(`    ${task.ms.toFixed(0)} ms (CPU ${task.cpuMs.toFixed(0)}): ${list(task.steps)}; ${list(task.top)}`);
  }
  return lines.join('\n');
}
