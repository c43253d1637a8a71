// <customer-lens> in host pages that enforce Trusted Types (`require-trusted-types-for 'script'`),
// in headless Chromium: with the README's strict policy the element starts its worker through
// its `customer-lens` policy, loads a file the user picks, raises customer-lens-ready and
// segment-select, and nothing is violated (a probe at the end proves the page really enforces
// Trusted Types); a policy that leaves `customer-lens` out gets an error that says what to add;
// the library served from another origin (the blob: worker) works under Trusted Types too.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { initSync, OrderBook } from '../../../pkg/customer_lens.js';
import { DIST, foreignRequests, openPage, screenshotPath } from './harness.mjs';

const WWW = new URL('../../', import.meta.url);
const SAMPLE = fileURLToPath(new URL('public/samples/online-retail-sample.csv', WWW));
const README = new URL('../README.md', WWW);

/** The Content-Security-Policy header the README's embedding section gives for Trusted Types. */
function readmePolicy() {
  const section = readFileSync(README, 'utf8').split(/^## Embed in your admin page$/m)[1]?.split(/^## /m)[0] ?? '';
  const line = /^Content-Security-Policy: (.*require-trusted-types-for.*)$/m.exec(section)?.[1];
  assert.ok(line, 'the README’s embedding section shows a Content-Security-Policy header with require-trusted-types-for');
  return line.trim();
}

const page = (librarySrc) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Orders</title><link rel="icon" href="favicon.svg" type="image/svg+xml">
<script type="module" src="${librarySrc}"></script></head>
<body><h1>Orders</h1><customer-lens locale="en" currency="GBP"></customer-lens></body>
</html>
`;

/** Runs before the page's scripts: every event the element sends, as the host would hear it. */
function recordLensEvents() {
  window.__lensEvents = [];
  for (const type of ['customer-lens-ready', 'customer-lens-error', 'segment-select']) {
    document.addEventListener(type, (event) => window.__lensEvents.push({ type, detail: JSON.parse(JSON.stringify(event.detail)) }));
  }
}

const eventsOf = (opened, type) => opened.page.evaluate((wanted) => window.__lensEvents.filter((event) => event.type === wanted), type);

let site;
let browser;
const servers = [];
before(async () => {
  initSync({ module: readFileSync(new URL('../pkg/customer_lens_bg.wasm', WWW)) });
  site = mkdtempSync(join(tmpdir(), 'customer-lens-tt-'));
  cpSync(join(DIST, 'lib'), join(site, 'customer-lens'), { recursive: true });
  writeFileSync(join(site, 'index.html'), page('customer-lens/customer-lens.js'));
  // (An icon of the page's own: the policy allows no data: image, and a missing one is a 404.)
  copyFileSync(new URL('public/favicon.svg', WWW), join(site, 'favicon.svg'));
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
});
after(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  if (site) rmSync(site, { recursive: true, force: true });
});

async function host(contentSecurityPolicy, { root = site, headers } = {}) {
  const { server, url } = await serve({ port: 0, root, contentSecurityPolicy, headers });
  servers.push(server);
  return url;
}

async function open(url) {
  const opened = await openPage(browser, url, { readySelector: null });
  await opened.page.addInitScript(recordLensEvents);
  await opened.page.reload();
  await opened.page.waitForSelector('customer-lens #file-input', { state: 'attached' });
  return opened;
}

/** Picks the sample file in the element's own file input and waits for customer-lens-ready. */
async function pickSample(opened) {
  await opened.page.locator('customer-lens #file-input').setInputFiles(SAMPLE);
  await opened.page.waitForFunction(() => window.__lensEvents.some((event) => event.type !== 'segment-select'));
}

/** The Champions' ids from the book's own CSV export, computed here under Node. */
function championsUnderNode() {
  const book = OrderBook.fromCsv(readFileSync(SAMPLE), {});
  try {
    return { orders: book.summary().orders, ids: book.rfmCsv({ segment: 'Champions' }).trim().split('\n').slice(1).map((line) => line.split(',')[0]) };
  } finally {
    book.free();
  }
}

describe('a host page that enforces Trusted Types', () => {
  test('with the README’s policy: a picked file, customer-lens-ready, segment-select, and no violation', async () => {
    const policy = readmePolicy();
    assert.match(policy, /trusted-types customer-lens/);
    const url = await host(policy);
    const opened = await open(url);
    const { page } = opened;
    try {
      await pickSample(opened);
      const expected = championsUnderNode();
      const ready = await eventsOf(opened, 'customer-lens-ready');
      assert.deepEqual(await eventsOf(opened, 'customer-lens-error'), []);
      assert.equal(ready.length, 1);
      assert.equal(ready[0].detail.summary.orders, expected.orders);

      await page.locator('customer-lens .tabs [data-view="rfm"]').click();
      await page.locator('customer-lens #rfm-segments .tile[data-segment="Champions"]').click();
      await page.waitForFunction(() => window.__lensEvents.some((event) => event.type === 'segment-select'));
      const [selection] = await eventsOf(opened, 'segment-select');
      assert.equal(selection.detail.segment, 'Champions');
      assert.ok(expected.ids.length > 10);
      assert.deepEqual([...selection.detail.customerIds].sort(), [...expected.ids].sort());
      await page.screenshot({ path: screenshotPath('trusted-types-host'), fullPage: true });

      assert.deepEqual(foreignRequests(opened.requests, url.replace(/\/$/, '')), []);
      const requested = [...new Set(opened.requests.map((request) => new URL(request).pathname))].sort();
      assert.deepEqual(requested, ['/', '/customer-lens/customer-lens.js', '/customer-lens/customer-lens-worker.js', '/customer-lens/customer-lens.wasm', '/favicon.svg'].sort());
      assert.deepEqual(await opened.issues(), [], 'no console error, page error, CSP or Trusted Types violation');

      // The page really enforces Trusted Types: an HTML string is refused (and reported).
      const refused = await page.evaluate(() => {
        try {
          document.createElement('div').innerHTML = '<b>markup</b>';
          return false;
        } catch (error) {
          return error instanceof TypeError;
        }
      });
      assert.equal(refused, true, 'innerHTML with a string throws under require-trusted-types-for');
      assert.ok((await opened.issues()).some((issue) => /CSP violation: require-trusted-types-for/.test(issue)), 'and is reported as a violation');
    } finally {
      await opened.close();
    }
  });

  test('a policy that leaves customer-lens out: customer-lens-error says to add `trusted-types customer-lens`', async () => {
    const policy = readmePolicy().replace('trusted-types customer-lens', 'trusted-types host-own-policy');
    const url = await host(policy);
    const opened = await open(url);
    const { page } = opened;
    try {
      await pickSample(opened);
      assert.deepEqual(await eventsOf(opened, 'customer-lens-ready'), []);
      const errors = await eventsOf(opened, 'customer-lens-error');
      assert.equal(errors.length, 1);
      assert.match(errors[0].detail.message, /Trusted Types/);
      assert.match(errors[0].detail.message, /`trusted-types customer-lens`/);
      assert.equal(await page.locator('customer-lens #error-message').innerText(), errors[0].detail.message, 'shown in the element too');
      // Only what the host's policy itself refused: making the policy, then the worker's plain URL.
      const unexpected = (await opened.issues()).filter((issue) => !/trusted-types|TrustedTypePolicy|TrustedScriptURL/i.test(issue));
      assert.deepEqual(unexpected, []);
    } finally {
      await opened.close();
    }
  });

  test('a policy that forbids the worker: one customer-lens-error per load, no restart loop', async () => {
    const url = await host(readmePolicy().replace("worker-src 'self'", "worker-src 'none'"));
    const opened = await open(url);
    const { page } = opened;
    try {
      await pickSample(opened);
      // A worker whose script never loads used to be restarted at once, failing again and again.
      await page.waitForTimeout(1000);
      const errors = await eventsOf(opened, 'customer-lens-error');
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.match(errors[0].detail.message, /could not start.*worker-src/);
      const workers = opened.requests.filter((request) => request.endsWith('/customer-lens-worker.js')).length;
      assert.ok(workers <= 2, `the worker's script was asked for ${workers} times`);
    } finally {
      await opened.close();
    }
  });

  test('the library served from another origin: the blob: worker goes through the policy too', async () => {
    const library = await host("default-src 'none'", { root: join(site, 'customer-lens'), headers: { 'Access-Control-Allow-Origin': '*' } });
    const libraryOrigin = new URL(library).origin;
    const pageSite = mkdtempSync(join(tmpdir(), 'customer-lens-tt-page-'));
    try {
      writeFileSync(join(pageSite, 'index.html'), page(`${library}customer-lens.js`));
      copyFileSync(new URL('public/favicon.svg', WWW), join(pageSite, 'favicon.svg'));
      const policy = readmePolicy()
        .replace(/script-src 'self'/, `script-src 'self' ${libraryOrigin}`)
        // The blob: worker imports the engine from the library's origin: a worker's import.
        .replace(/worker-src 'self'/, `worker-src 'self' blob: ${libraryOrigin}`)
        .replace(/connect-src 'self'/, `connect-src 'self' ${libraryOrigin}`);
      const url = await host(policy, { root: pageSite });
      const opened = await open(url);
      try {
        await pickSample(opened);
        assert.deepEqual(await eventsOf(opened, 'customer-lens-error'), []);
        const [ready] = await eventsOf(opened, 'customer-lens-ready');
        assert.equal(ready.detail.summary.orders, championsUnderNode().orders);
        assert.ok(opened.requests.some((request) => request.startsWith('blob:')), 'the worker started from a blob: URL');
        assert.ok(opened.requests.includes(`${library}customer-lens.wasm`));
        assert.deepEqual(await opened.issues(), []);
      } finally {
        await opened.close();
      }
    } finally {
      rmSync(pageSite, { recursive: true, force: true });
    }
  });
});
