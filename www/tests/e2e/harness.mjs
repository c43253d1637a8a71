// Shared set-up for the browser tests: the built site served by scripts/serve.mjs on a free
// port, Debian's Chromium driven by playwright-core, and a page that records every request,
// console error, page error and CSP violation so tests can assert none went wrong.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../screenshots/', import.meta.url));

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Starts the server and the browser (with extra command-line `args`); call `close()` when done. */
export async function startBrowser({ args = [] } = {}) {
  if (!existsSync(new URL('index.html', `file://${DIST}`))) {
    throw new Error(`no built site in ${DIST}: run \`npm run build\` in www/ first (after scripts/build.sh made pkg/)`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  const { server, url } = await serve({ port: 0, root: DIST });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...args] });
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A new page that records what happens. `issues()` lists console errors, page errors and CSP
 * violations; `requests` holds every URL the page and its workers asked for. The page counts as
 * open once `readySelector` matches (the demo page's started mark by default; null: at load).
 * `bypassCSP` only for tools injected into the page (axe-core): never where the CSP is checked.
 */
export async function openPage(browser, url, { viewport = DESKTOP, hash = '', locale = 'en-GB', readySelector = 'body[data-app="started"]', bypassCSP = false, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport, locale, acceptDownloads: true, deviceScaleFactor: 1, bypassCSP, colorScheme });
  const requests = [];
  const errors = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('worker', (worker) => worker.on('console', (message) => {
    if (message.type() === 'error') errors.push(`worker console: ${message.text()}`);
  }));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  await page.goto(new URL(hash, url).href);
  if (readySelector) await page.waitForSelector(readySelector);
  return {
    page,
    context,
    requests,
    async issues() {
      const violations = await page.evaluate(() => window.__cspViolations);
      return [...errors, ...violations.map((v) => `CSP violation: ${v}`)];
    },
    async close() {
      await context.close();
    },
  };
}

/** Requests to anywhere but the page's own origin (blob: and data: URLs stay in the page). */
export function foreignRequests(requests, origin) {
  return requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'));
}

/** Asserts that the page asked nothing of another origin than `origin` and had no error or CSP violation. */
export async function assertClean(opened, origin) {
  assert.deepEqual(foreignRequests(opened.requests, origin.replace(/\/$/, '')), [], 'no request leaves the origin');
  assert.deepEqual(await opened.issues(), [], 'no console error, page error or CSP violation');
}

export function screenshotPath(name) {
  return `${SCREENSHOTS}${name}.png`;
}

/** Waits until every chart the page deferred to a later frame is drawn. */
export async function chartsDrawn(page) {
  await page.waitForFunction(() => !document.querySelector('.deferred'));
}

/** Loads the bundled sample from the load card and waits for its summary. */
export async function loadSample(page) {
  await page.click('#load-sample');
  await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]');
}

/**
 * Opens a view from the tabs and waits for `readySelector` (something only its result draws),
 * then for its charts unless `charts` is false.
 */
export async function openView(page, view, readySelector, { charts = true } = {}) {
  await page.click(`.tabs [data-view="${view}"]`);
  await page.waitForSelector(readySelector);
  if (charts) await chartsDrawn(page);
}

/** The sample loaded and a view opened (see `openView`). */
export async function openSampleView(page, view, readySelector, options) {
  await loadSample(page);
  await openView(page, view, readySelector, options);
}
