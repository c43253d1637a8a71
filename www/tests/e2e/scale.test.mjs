// A 1 M-line order file through the real page in headless Chromium: generated at test time by the
// crate's `synth` binary, picked through the file input, read in the worker while the page stays
// responsive. The page must show every row, keep every main-thread task under 200 ms (Long Tasks
// API, observed from before the page's own scripts run) and send nothing off the origin.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DESKTOP, foreignRequests, screenshotPath, startBrowser } from './harness.mjs';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

/** The longest main-thread task allowed while the page reads and analyses the file. */
const MAX_TASK_MS = 200;
/** Generous bounds for each step on a loaded 2-core machine; the whole test takes ~10–20 s. */
const STEP_TIMEOUT_MS = 45_000;

let session;
let folder;
let csvPath;
let dataRows;

/**
 * Writes the file with the `synth` binary. The dev profile is the one `cargo test` has already
 * built, so this costs no compilation in a full test run; the output is the same bytes as a
 * release build's (the generator is seeded and deterministic) and 1 M lines take about a second.
 */
function generateOrderLines(lines, path) {
  execFileSync('cargo', ['run', '--quiet', '--bin', 'synth', '--', lines, path], { cwd: REPOSITORY, stdio: ['ignore', 'ignore', 'pipe'] });
  const bytes = readFileSync(path);
  let newlines = 0;
  for (let index = bytes.indexOf(10); index !== -1; index = bytes.indexOf(10, index + 1)) newlines++;
  return newlines - 1; // the header
}

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'customer-lens-scale-'));
  csvPath = join(folder, 'orders-1m.csv');
  dataRows = generateOrderLines('1M', csvPath);
  session = await startBrowser();
});

after(async () => {
  await session?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Runs in the page before its scripts: every long task (≥ 50 ms) of the main thread. */
function observeLongTasks() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** WASM memory pages (64 KiB) the memory-starved browser allows: 10 MiB, less than the 1 M-line file needs (about 12 in the app). */
const STARVED_PAGES = 160;

describe('a large file in the page', () => {
  test('1 M order lines through the file input: every row read, the summary, RFM and cohorts drawn, no main-thread task over 200 ms', async () => {
    assert.ok(dataRows >= 1_000_000, `the generator wrote ${dataRows} data rows`);
    const context = await session.browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
    const requests = [];
    const errors = [];
    context.on('request', (request) => requests.push(request.url()));
    await context.addInitScript(observeLongTasks);
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    try {
      await page.goto(session.url);
      await page.waitForSelector('body[data-app="started"]');
      const start = await page.evaluate(() => performance.now());

      await page.setInputFiles('#file-input', csvPath);
      await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]', { timeout: STEP_TIMEOUT_MS });
      const summary = await page.evaluate(() => window.customerLens.summary);
      assert.equal(summary.rowsRead, dataRows, 'every data row of the file is read');
      assert.equal(summary.rowsAccepted + summary.rowsRejected, summary.rowsRead, 'accepted + rejected = read');
      assert.equal(summary.rowsRejected, 0, 'the generated file has no bad row');
      assert.ok(summary.orders > 200_000, `orders: ${summary.orders}`);
      await page.click('.tabs [data-view="data"]');
      const rowsFact = await page.locator('[data-fact="rows"] dd').innerText();
      assert.match(rowsFact.replace(/[\u00a0\u202f]/g, ' '), new RegExp(dataRows.toLocaleString('en-GB')), 'the page shows the row count');

      await page.click('.tabs [data-view="rfm"]');
      await page.waitForSelector('#rfm-segments svg', { timeout: STEP_TIMEOUT_MS });
      await page.click('.tabs [data-view="cohorts"]');
      await page.waitForSelector('#cohort-triangle svg', { timeout: STEP_TIMEOUT_MS });
      await page.waitForFunction(() => !document.querySelector('.deferred'), null, { timeout: STEP_TIMEOUT_MS });
      // Let a task still running when the last chart appeared finish and be reported.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100))));

      const tasks = await page.evaluate((since) => window.__longTasks.filter((task) => task.start >= since), start);
      const longest = Math.max(0, ...tasks.map((task) => task.duration));
      assert.ok(longest <= MAX_TASK_MS, `the longest main-thread task took ${longest.toFixed(0)} ms (${tasks.length} over 50 ms: ${tasks.map((task) => task.duration.toFixed(0)).join(', ')})`);
      assert.deepEqual(foreignRequests(requests, session.url.replace(/\/$/, '')), [], 'no request leaves the origin');
      assert.deepEqual(errors, [], 'no console error or page error');
    } finally {
      await context.close();
    }
  });

  test('a file too large for the memory the browser gives: a message that says so and what to do, and the page recovers', async () => {
    const starved = await startBrowser({ args: [`--js-flags=--wasm-max-mem-pages=${STARVED_PAGES}`] });
    try {
      const context = await starved.browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
      const requests = [];
      context.on('request', (request) => requests.push(request.url()));
      const page = await context.newPage();
      await page.goto(starved.url);
      await page.waitForSelector('body[data-app="started"]');
      await page.setInputFiles('#file-input', csvPath);
      await page.waitForSelector('#error-banner', { timeout: STEP_TIMEOUT_MS });
      const message = (await page.locator('#error-message').innerText()).replace(/[\u00a0\u202f]/g, ' ');
      assert.match(message, /too large for the memory this browser gives a page: memory ran out after reading [\d.,]+ [kMG]?B of [\d.,]+ MB/);
      assert.match(message, /Split it/);
      assert.equal(await page.locator('body').getAttribute('data-state'), 'empty');
      await page.screenshot({ path: screenshotPath('too-large-file') });
      // The engine was restarted: a file that fits loads as usual.
      await page.click('#error-banner button');
      await page.click('#load-sample');
      await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]', { timeout: STEP_TIMEOUT_MS });
      assert.deepEqual(foreignRequests(requests, starved.url.replace(/\/$/, '')), [], 'no request leaves the origin');
      await context.close();
    } finally {
      await starved.close();
    }
  });
});
