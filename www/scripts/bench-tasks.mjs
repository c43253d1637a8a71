#!/usr/bin/env node
// The page's main-thread tasks while it analyses a file, in headless Chromium: the file chosen in
// the load card, then the Overview, RFM and Cohorts drawn (the path of bench-browser.mjs's
// "longest main-thread task" row), each run in a new page. Prints the tasks over 50 ms (Long
// Tasks API, wall time) per run; never part of a test run.
//
//   node scripts/bench-tasks.mjs FILE [--runs 3] [--views overview,rfm,cohorts] [--trace]
//                                [--dist DIR[,DIR…]]
//
// --trace records each run (Chromium performance trace) and prints what the main thread did in
// its long tasks' time: their CPU time (thread clock; a loaded machine stretches wall time, not
// this) and the busiest functions (trace-summary.mjs); its list starts with the task that
// started the trace, before the file is chosen, which the table leaves out. Several built sites (`--dist a/,b/`)
// take turns, each in its own browser, for an A/B comparison under the same load. Needs the
// built site (`npm run build` → www/dist/).
import { chromium } from 'playwright-core';
import { fileArgument, flag, option } from './bench-args.mjs';
import { serve } from './serve.mjs';
import { TRACE_CATEGORIES, formatTraceSummary, summariseTrace } from './trace-summary.mjs';

const FILE = fileArgument('node scripts/bench-tasks.mjs FILE [--runs 3] [--views overview,rfm,cohorts] [--trace] [--dist DIR[,DIR…]]');
const RUNS = Number(option('runs', 3));
const VIEWS = option('views', 'overview,rfm,cohorts').split(',');
const TRACE = flag('trace');
const DISTS = option('dist', new URL('../dist/', import.meta.url).pathname).split(',');

/** Installed before the page's scripts: every task over 50 ms. */
function observeLongTasks() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, ms: Math.round(entry.duration) });
  }).observe({ type: 'longtask', buffered: true });
}

/** One run: a new page, the file loaded, each view opened and drawn; the long tasks seen. */
async function run(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.addInitScript(observeLongTasks);
    await page.goto(url);
    await page.waitForSelector('body[data-app="started"]');
    if (TRACE) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    // Tasks from the moment the file is chosen (as bench-browser.mjs counts them).
    const since = await page.evaluate(() => performance.now());
    const start = Date.now();
    await page.setInputFiles('#file-input', FILE);
    await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]', { timeout: 600_000 });
    for (const view of VIEWS) {
      await page.click(`.tabs [data-view="${view}"]`);
      await page.waitForFunction(() => !document.querySelector('.loading-card') && !document.querySelector('.deferred'), null, { timeout: 600_000 });
    }
    const ms = Date.now() - start;
    // One more frame, so a long task that drew the last chart has been reported.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50))));
    const tasks = await page.evaluate((from) => window.__longTasks.filter((task) => task.start >= from).map((task) => task.ms), since);
    const trace = TRACE ? summariseTrace(JSON.parse((await browser.stopTracing()).toString('utf8'))) : null;
    return { ms, tasks, trace };
  } finally {
    await page.close();
  }
}

const sites = [];
try {
  for (const dist of DISTS) {
    const { server, url } = await serve({ port: 0, root: dist });
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    sites.push({ label: dist.replace(/\/+$/, '').split('/').at(-1), server, url, browser, runs: [] });
  }
  for (let i = 0; i < RUNS; i++) {
    for (const site of sites) {
      const result = await run(site.browser, site.url);
      site.runs.push(result);
      process.stderr.write(`${sites.length > 1 ? `${site.label} ` : ''}run ${i + 1}: ${result.ms} ms, tasks over 50 ms: ${result.tasks.join(', ') || 'none'}\n`);
      if (result.trace) process.stderr.write(`${formatTraceSummary(result.trace)}\n`);
    }
  }
} finally {
  await Promise.all(sites.map(({ browser }) => browser.close()));
  await Promise.all(sites.map(({ server }) => new Promise((done) => server.close(done))));
}
console.log(`Main-thread tasks while the page reads ${FILE} and draws ${VIEWS.join(', ')}, ${RUNS} runs (headless Chromium)\n`);
console.log('| site | longest task ms | tasks over 50 ms (all runs) | runs without one |\n| --- | ---: | ---: | ---: |');
for (const { label, runs } of sites) {
  const all = runs.flatMap((result) => result.tasks);
  console.log(`| ${label} | ${all.length ? Math.max(...all) : '–'} | ${all.length} | ${runs.filter((result) => !result.tasks.length).length} of ${runs.length} |`);
}
