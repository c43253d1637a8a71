#!/usr/bin/env node
// How long the page takes to show a view again after the filter changes, on a large book, in
// headless Chromium: from the click on a value in the filter bar to the view drawn (no loading
// card, no chart still deferred). Each run picks a filter not asked for before, so no cached
// result answers it. Prints a Markdown table; never part of a test run.
//
//   node scripts/bench-filter.mjs [--orders 1000000] [--runs 5] [--views overview,rfm,cohorts]
//
// Needs the built site (scripts/build.sh → www/dist/). The orders are generated here (seeded):
// one row per order, `order_id,customer_id,order_date,amount,country,channel`, about 2.5 orders
// per customer over three years, eight countries and six channels.
//
// Where the time goes: the page's requests to the engine's worker are timed from the main
// thread (sent → answered, so the engine's work, its result's conversion and the message
// round trip); "engine" is from the click to the last answer of the run, "drawing" the rest (the
// view built and its charts drawn after the last answer). "in view" is until what the window
// shows is drawn (charts below the fold may still wait for an idle moment or a scroll), "all"
// until every chart of the view is.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { flag, median, option } from './bench-args.mjs';
import { serve } from './serve.mjs';
import { TRACE_CATEGORIES, formatTraceSummary, summariseTrace } from './trace-summary.mjs';

const ORDERS = Number(option('orders', 1_000_000));
const RUNS = Number(option('runs', 5));
const VIEWS = option('views', 'overview,rfm,cohorts,lifecycle,clv,audiences,sql').split(',');
const TRACE = flag('trace');
// Several built sites (`--dist before/,after/`) take turns, each in its own browser: an A/B
// comparison in one run, on the same file and under the same load.
const DISTS = option('dist', new URL('../dist/', import.meta.url).pathname).split(',');
const COUNTRIES = ['Vietnam', 'Thailand', 'Singapore', 'Malaysia', 'Philippines', 'Indonesia', 'Cambodia', 'Laos'];
const CHANNELS = ['web', 'app', 'marketplace', 'pos', 'facebook', 'zalo'];

/** A small seeded generator (mulberry32), so every run reads the same file. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ordersCsv(n) {
  const next = random(15);
  const customers = Math.max(1, Math.round(n / 2.5));
  const home = Array.from({ length: customers }, () => COUNTRIES[Math.floor(next() ** 2 * COUNTRIES.length)]);
  const lines = ['order_id,customer_id,order_date,amount,country,channel'];
  const start = Date.UTC(2022, 0, 1);
  for (let i = 0; i < n; i++) {
    const customer = Math.floor(next() * customers);
    const day = new Date(start + Math.floor(next() * 3 * 365) * 86_400_000).toISOString().slice(0, 10);
    const amount = (5 + next() * 195).toFixed(2);
    lines.push(`O${i},C${customer},${day},${amount},${home[customer]},${CHANNELS[Math.floor(next() * CHANNELS.length)]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Times every analysis request the page sends its worker (in `window.engineCalls`). */
function timeWorkerCalls() {
  const Native = window.Worker;
  window.engineCalls = [];
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      const sent = new Map();
      const post = this.postMessage.bind(this);
      this.postMessage = (message, ...rest) => {
        if (message?.type === 'analyse') sent.set(message.id, { method: message.method, start: performance.now() });
        return post(message, ...rest);
      };
      this.addEventListener('message', ({ data }) => {
        const call = sent.get(data?.id);
        if (!call || data.type === 'progress') return;
        sent.delete(data.id);
        window.engineCalls.push({ ...call, end: performance.now() });
      });
    }
  };
}

/** Clicks a value in the open filter bar and resolves to `{ total, shown, engine, calls }`: ms
 * until the whole view is drawn again, until what the window shows is, until the last engine
 * answer, and the methods asked for. */
function timeClick(value) {
  const start = performance.now();
  const calls = () => window.engineCalls.filter((call) => call.start >= start);
  const pending = () => document.querySelector('.loading-card') || document.querySelector('.deferred');
  // A placeholder counts as shown when any of it is inside the window.
  const pendingInView = () => document.querySelector('.loading-card') || [...document.querySelectorAll('.deferred')].some((placeholder) => {
    const box = placeholder.getBoundingClientRect();
    return box.bottom > 0 && box.top < innerHeight;
  });
  const button = [...document.querySelectorAll('#filter-values .filter-value')].find((b) => b.dataset.value === value);
  if (!button) throw new Error(`no value ${value} in the filter bar`);
  button.click();
  let shown = null;
  return new Promise((resolve) => {
    const check = () => {
      shown ??= pendingInView() ? null : performance.now() - start;
      if (pending()) return requestAnimationFrame(check);
      const answered = calls();
      const lastAnswer = Math.max(start, ...answered.map((call) => call.end));
      resolve({ total: performance.now() - start, shown, engine: lastAnswer - start, calls: answered.map((call) => `${call.method} ${(call.end - call.start).toFixed(0)}`) });
    };
    requestAnimationFrame(check);
  });
}

const folder = mkdtempSync(join(tmpdir(), 'customer-lens-filter-'));
const file = join(folder, 'orders.csv');
process.stderr.write(`writing ${ORDERS.toLocaleString('en')} orders…\n`);
writeFileSync(file, ordersCsv(ORDERS));
/** A built site in its own browser (its own main thread), with the file loaded. */
async function openSite(dist) {
  const { server, url } = await serve({ port: 0, root: dist });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(timeWorkerCalls);
  await page.goto(url);
  await page.waitForSelector('body[data-app="started"]');
  await page.setInputFiles('#file-input', file);
  await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]', { timeout: 600_000 });
  const label = dist.replace(/\/+$/, '').split('/').at(-1);
  return { label, browser, page, close: () => Promise.all([browser.close(), new Promise((done) => server.close(done))]) };
}

const drawn = (page) => page.waitForFunction(() => !document.querySelector('.loading-card') && !document.querySelector('.deferred'), null, { timeout: 600_000 });

const sites = [];
const rows = [];
try {
  for (const dist of DISTS) sites.push(await openSite(dist));
  for (const view of VIEWS) {
    if (!(await sites[0].page.locator(`.tabs [data-view="${view}"]`).count())) {
      process.stderr.write(`${view}: not offered for this data\n`);
      continue;
    }
    const times = sites.map(() => []);
    for (const { page } of sites) {
      await page.click(`.tabs [data-view="${view}"]`);
      await drawn(page);
    }
    if (TRACE) for (const { browser, page } of sites) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    for (let run = 0; run < RUNS; run++) {
      // The sites take turns, so a change of the machine's load touches them alike.
      for (const [i, { label, page }] of sites.entries()) {
        // Each run adds one more country: a filter never asked for before, so no cached result.
        if (!(await page.locator('#filter-add').evaluate((details) => details.open))) await page.click('#filter-add-button');
        await page.selectOption('#filter-attribute', 'country');
        const timed = await page.evaluate(timeClick, COUNTRIES[run % COUNTRIES.length]);
        times[i].push(timed);
        process.stderr.write(`${sites.length > 1 ? `${label} ` : ''}${view}: ${timed.total.toFixed(0)} ms, in view ${timed.shown.toFixed(0)} ms (engine ${timed.engine.toFixed(0)} ms: ${timed.calls.join(', ')})\n`);
      }
    }
    for (const { label, browser } of TRACE ? sites : []) {
      const text = (await browser.stopTracing()).toString('utf8');
      const saved = join(tmpdir(), `customer-lens-filter-${sites.length > 1 ? `${label}-` : ''}${view}.trace.json`);
      writeFileSync(saved, text);
      process.stderr.write(`${sites.length > 1 ? `${label} ` : ''}${view}, ${RUNS} filter changes traced (${saved}, opens in DevTools' Performance panel):\n${formatTraceSummary(summariseTrace(JSON.parse(text), { runs: RUNS }))}\n`);
    }
    for (const [i, { label, page }] of sites.entries()) {
      await page.click('#filter-clear');
      await drawn(page);
      const totals = times[i].map((time) => time.total);
      const engine = median(times[i].map((time) => time.engine));
      const drawing = median(times[i].map((time) => time.total - time.engine));
      rows.push([sites.length > 1 ? `${view} (${label})` : view, median(times[i].map((time) => time.shown)), median(totals), Math.min(...totals), Math.max(...totals), engine, drawing]);
    }
  }
} finally {
  await Promise.all(sites.map((site) => site.close()));
  rmSync(folder, { recursive: true, force: true });
}
console.log(`Filter change → view drawn again, ${ORDERS.toLocaleString('en')} orders, ${RUNS} runs (headless Chromium)\n`);
console.log('| view | in view, median ms | all drawn, median ms | min | max | engine (median) | drawing (median) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [view, shown, mid, min, max, engine, drawing] of rows) {
  console.log(`| ${view} | ${shown.toFixed(0)} | ${mid.toFixed(0)} | ${min.toFixed(0)} | ${max.toFixed(0)} | ${engine.toFixed(0)} | ${drawing.toFixed(0)} |`);
}
