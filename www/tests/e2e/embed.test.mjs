// <customer-lens> embedded in pages it does not own, in headless Chromium: the example admin page
// (orders handed over in memory, customer-lens-ready, a segment opened, segment-select with the
// ids rfmCsv gives for that segment, the page's strict CSP never violated, nothing requested off
// the origin, desktop and phone, English and Vietnamese), the README snippet pasted into a blank
// page, and the library's own files (the element's module, its worker's, the .wasm, the types).
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { initSync, OrderBook } from '../../../pkg/customer_lens.js';
import { DESKTOP, DIST, PHONE, chartsDrawn, foreignRequests, openPage, screenshotPath, startBrowser } from './harness.mjs';

const WWW = new URL('../../', import.meta.url);
const SNIPPET = readFileSync(new URL('examples/embed-snippet.html', WWW), 'utf8').trim();
const README = new URL('../README.md', WWW);

let session;
before(async () => {
  initSync({ module: readFileSync(new URL('../pkg/customer_lens_bg.wasm', WWW)) });
  session = await startBrowser();
});
after(async () => {
  await session?.close();
});

const origin = () => session.url.replace(/\/$/, '');
const plain = (text) => text.replace(/[\u00a0\u202f]/g, ' ');

/** Runs before the page's scripts: every event the element sends, as the host would hear it. */
function recordLensEvents() {
  window.__lensEvents = [];
  for (const type of ['customer-lens-ready', 'customer-lens-error', 'segment-select']) {
    document.addEventListener(type, (event) => window.__lensEvents.push({ type, detail: JSON.parse(JSON.stringify(event.detail)), composed: event.composed }));
  }
}

async function openAdmin(viewport, lang) {
  const opened = await openPage(session.browser, new URL(`examples/admin.html${lang === 'vi' ? '?lang=vi' : ''}`, session.url).href, { viewport, readySelector: null, locale: lang === 'vi' ? 'vi-VN' : 'en-GB' });
  await opened.page.addInitScript(recordLensEvents);
  await opened.page.reload();
  await opened.page.waitForSelector('body[data-lens="ready"]');
  await opened.page.waitForSelector('customer-lens #rfm-segments .tile');
  await chartsDrawn(opened.page);
  await opened.page.waitForFunction(() => !document.querySelector('customer-lens').shadowRoot.querySelector('.deferred'));
  return opened;
}

/** The customer ids of a segment in the book's own CSV export, computed here under Node. */
function rfmCsvIds(orders, segment) {
  const book = OrderBook.fromRows(orders, {});
  try {
    const lines = book.rfmCsv({ segment }).trim().split('\n').slice(1);
    return lines.map((line) => line.split(',')[0]);
  } finally {
    book.free();
  }
}

describe('the example admin page', () => {
  test('orders handed over in memory, ready, a segment opened: segment-select has exactly its customers (desktop, English)', async () => {
    const opened = await openAdmin(DESKTOP, 'en');
    const { page } = opened;
    try {
      const orders = await page.evaluate(() => window.adminOrders);
      assert.equal(orders.length, 1143, 'the sample’s invoices, grouped by the page’s own parser');
      assert.equal(await page.evaluate(() => document.querySelector('customer-lens').orders === window.adminOrders), true, 'the very array the host has');
      const ready = await page.evaluate(() => window.__lensEvents.filter((event) => event.type === 'customer-lens-ready'));
      assert.equal(ready.length, 1);
      assert.equal(ready[0].composed, true);
      assert.equal(ready[0].detail.summary.orders, 1143);
      assert.equal(plain(await page.locator('customer-lens #source-name').innerText()), '1,143 rows handed over by the page');
      assert.match(plain(await page.locator('#orders-note').innerText()), /^1,143 orders of 220 customers/);
      await page.screenshot({ path: screenshotPath('admin-desktop-en'), fullPage: true });

      await page.locator('customer-lens #rfm-segments .tile[data-segment="Champions"]').click();
      await page.waitForFunction(() => window.__lensEvents.some((event) => event.type === 'segment-select'));
      const [selection] = await page.evaluate(() => window.__lensEvents.filter((event) => event.type === 'segment-select'));
      assert.equal(selection.detail.segment, 'Champions');
      assert.equal(selection.detail.asOf, '2011-12-09');
      const expected = rfmCsvIds(orders, 'Champions');
      assert.ok(expected.length > 10);
      assert.deepEqual([...selection.detail.customerIds].sort(), [...expected].sort(), 'the ids of rfmCsv for the segment');
      assert.equal(plain(await page.locator('#action-heading').innerText()), `Create a discount for ${expected.length} customers`);
      assert.equal(await page.locator('#action-ids li').count(), 12);
      await page.click('#create-discount');
      assert.match(await page.locator('#action-status').innerText(), /CHAMPIONS10 created for \d+ customers/);
      await page.screenshot({ path: screenshotPath('admin-desktop-segment-en'), fullPage: true });

      // A quartile group is announced too, by its group name.
      await page.locator('customer-lens [data-kpi="vip"]').click();
      await page.waitForFunction(() => window.__lensEvents.filter((event) => event.type === 'segment-select').length === 2);
      const vip = (await page.evaluate(() => window.__lensEvents.filter((event) => event.type === 'segment-select')))[1];
      assert.equal(vip.detail.group, 'vip');
      assert.equal(vip.detail.segment, null);

      // exportCsv(segment) gives the same customers as a download.
      const [download] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => document.querySelector('customer-lens').exportCsv('Champions'))]);
      assert.equal(download.suggestedFilename(), 'customers-champions-2011-12-09.csv');
      const exported = readFileSync(await download.path(), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[0]);
      assert.deepEqual(exported.sort(), [...expected].sort());

      assert.deepEqual(foreignRequests(opened.requests, origin()), [], 'no request leaves the origin');
      assert.deepEqual(await opened.issues(), [], 'no console error, page error or CSP violation');
    } finally {
      await opened.close();
    }
  });

  for (const [viewport, name] of [[DESKTOP, 'desktop'], [PHONE, 'phone']]) {
    test(`${name}, Vietnamese: the host’s language reaches the element; the page fits the width`, async () => {
      const opened = await openAdmin(viewport, 'vi');
      const { page } = opened;
      try {
        assert.equal(await page.locator('h1').innerText(), 'Phân tích khách hàng');
        assert.equal(await page.locator('customer-lens').getAttribute('locale'), 'vi');
        assert.equal(await page.locator('customer-lens .tabs [data-view="rfm"]').innerText(), 'Phân khúc RFM');
        assert.equal(plain(await page.locator('customer-lens [data-kpi="scored"] .kpi-value').innerText()), '220');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, 'no horizontal scrolling');
        await page.screenshot({ path: screenshotPath(`admin-${name}-vi`), fullPage: true });
        await page.locator('customer-lens .segment-table tr[data-segment="At Risk"] button').click();
        await page.waitForSelector('#action-heading');
        assert.match(plain(await page.locator('#action-heading').innerText()), /^Tạo mã giảm giá cho \d+ khách hàng$/);
        // Switching the host's language switches the element's.
        await page.selectOption('#admin-lang', 'en');
        await page.waitForFunction(() => document.querySelector('customer-lens').shadowRoot.querySelector('.tabs [data-view="rfm"]')?.textContent === 'RFM segments');
        assert.deepEqual(foreignRequests(opened.requests, origin()), []);
        assert.deepEqual(await opened.issues(), []);
      } finally {
        await opened.close();
      }
    });
  }

  test('attributes drive the element; unusable orders are reported as customer-lens-error', async () => {
    const opened = await openAdmin(DESKTOP, 'en');
    const { page } = opened;
    try {
      await page.evaluate(() => {
        const lens = document.querySelector('customer-lens');
        lens.setAttribute('as-of', '2011-06-30');
        lens.setAttribute('currency', 'VND');
      });
      await page.waitForFunction(() => /30 Jun 2011/.test(document.querySelector('customer-lens').shadowRoot.querySelector('.view.rfm .view-head')?.textContent ?? ''));
      assert.equal(await page.locator('customer-lens #rfm-as-of').inputValue(), '2011-06-30');
      assert.match(plain(await page.locator('customer-lens .segment-table tbody tr').first().locator('td').nth(1).innerText()), /₫/);
      await page.locator('customer-lens #rfm-segments .tile').first().click();
      await page.waitForFunction(() => window.__lensEvents.some((event) => event.type === 'segment-select'));
      const [selection] = await page.evaluate(() => window.__lensEvents.filter((event) => event.type === 'segment-select'));
      assert.equal(selection.detail.asOf, '2011-06-30', 'the ids are scored as of the host’s date');
      const orders = await page.evaluate(() => window.adminOrders);
      const book = OrderBook.fromRows(orders, {});
      const expected = book.rfmCsv({ asOf: '2011-06-30', segment: selection.detail.segment }).trim().split('\n').slice(1).map((line) => line.split(',')[0]);
      const { rowsRead, orders: orderCount, customers, revenue } = book.summary();
      book.free();
      assert.deepEqual([...selection.detail.customerIds].sort(), expected.sort());

      await page.evaluate(() => document.querySelector('customer-lens').setAttribute('period', 'week'));
      await page.locator('customer-lens .tabs [data-view="cohorts"]').click();
      await page.waitForSelector('customer-lens #cohort-period input[value="week"]:checked');

      const message = await page.evaluate(() => document.querySelector('customer-lens').load([{ colour: 'blue' }]).then(() => null, (error) => error.message));
      assert.ok(message && message.length > 10, 'load() rejects with a message');
      const errors = await page.evaluate(() => window.__lensEvents.filter((event) => event.type === 'customer-lens-error'));
      assert.equal(errors.length, 1);
      assert.equal(errors[0].detail.message, message);
      assert.equal(await page.locator('customer-lens #error-message').innerText(), message, 'and shown in the element');
      assert.equal(await page.locator('customer-lens [data-view="cohorts"].active').count(), 1, 'the previous data stays');

      // The same orders as columns (read by fromColumns in the worker): the same book.
      const fromColumns = await page.evaluate(async () => {
        const rows = window.adminOrders;
        const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
        const columns = Object.fromEntries(keys.map((key) => [key, rows.map((row) => row[key] ?? null)]));
        const summary = await document.querySelector('customer-lens').load(columns);
        return { rowsRead: summary.rowsRead, orders: summary.orders, customers: summary.customers, revenue: summary.revenue };
      });
      assert.deepEqual(fromColumns, { rowsRead, orders: orderCount, customers, revenue });
      assert.deepEqual(await opened.issues(), []);
    } finally {
      await opened.close();
    }
  });

  test('phone, English: segments and the action panel at 390 px', async () => {
    const opened = await openAdmin(PHONE, 'en');
    const { page } = opened;
    try {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no horizontal scrolling');
      await page.screenshot({ path: screenshotPath('admin-phone-en'), fullPage: true });
      assert.deepEqual(await opened.issues(), []);
    } finally {
      await opened.close();
    }
  });
});

describe('the README snippet', () => {
  /** The snippet of the README's "Embed in your admin page" section, when the README has it. */
  function readmeSnippet() {
    if (!existsSync(README)) return null;
    const readme = readFileSync(README, 'utf8');
    const section = readme.split(/^## Embed in your admin page$/m)[1];
    return section ? /```html\n([\s\S]*?)```/.exec(section)?.[1].trim() ?? null : null;
  }

  test('pasted into a blank page served locally, it shows the widget', async () => {
    const fromReadme = readmeSnippet();
    if (fromReadme !== null) assert.equal(fromReadme, SNIPPET, 'the README shows examples/embed-snippet.html');
    // A site as the README describes it: the library's folder copied as customer-lens/, an export.
    const site = mkdtempSync(join(tmpdir(), 'customer-lens-snippet-'));
    cpSync(join(DIST, 'lib'), join(site, 'customer-lens'), { recursive: true });
    copyFileSync(new URL('public/samples/online-retail-sample.csv', WWW), join(site, 'orders.csv'));
    // (The empty icon only spares the browser's own request for /favicon.ico.)
    writeFileSync(join(site, 'index.html'), `<!doctype html>\n<html>\n<head><meta charset="utf-8"><title>Blank</title><link rel="icon" href="data:,"></head>\n<body>\n${SNIPPET}\n</body>\n</html>\n`);
    const { server, url } = await serve({ port: 0, root: site });
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const opened = await openPage(browser, url, { readySelector: 'customer-lens' });
      const { page } = opened;
      await page.waitForSelector('customer-lens [data-metric="orders"]');
      assert.equal(plain(await page.locator('customer-lens [data-metric="orders"] .metric-value').innerText()), '1,143');
      assert.equal(plain(await page.locator('customer-lens [data-metric="revenue"] .metric-value').innerText()), '£396,667.57');
      assert.equal(await page.locator('customer-lens').getAttribute('role'), 'region');
      await page.screenshot({ path: screenshotPath('snippet-desktop-en'), fullPage: true });
      assert.deepEqual(foreignRequests(opened.requests, url.replace(/\/$/, '')), []);
      assert.deepEqual(await opened.issues(), [], 'the server’s strict CSP header is never violated');
      const requested = opened.requests.map((request) => new URL(request).pathname).sort();
      assert.deepEqual(requested, ['/', '/customer-lens/customer-lens.js', '/customer-lens/customer-lens-worker.js', '/customer-lens/customer-lens.wasm', '/orders.csv'].sort(), 'the page, the element’s module, its worker, the .wasm and the export');
    } finally {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(site, { recursive: true, force: true });
    }
  });

  test('two elements in two languages on one page: each draws its views and charts in its own', async () => {
    const site = mkdtempSync(join(tmpdir(), 'customer-lens-two-'));
    cpSync(join(DIST, 'lib'), join(site, 'customer-lens'), { recursive: true });
    copyFileSync(new URL('public/samples/online-retail-sample.csv', WWW), join(site, 'orders.csv'));
    const elements = ['en', 'vi'].map((locale) => `<customer-lens id="lens-${locale}" src="orders.csv" locale="${locale}" view="rfm"></customer-lens>`).join('\n');
    writeFileSync(join(site, 'index.html'), `<!doctype html>\n<html>\n<head><meta charset="utf-8"><title>Two</title><link rel="icon" href="data:,"><script type="module" src="customer-lens/customer-lens.js"></script></head>\n<body>\n${elements}\n</body>\n</html>\n`);
    const { server, url } = await serve({ port: 0, root: site });
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const opened = await openPage(browser, url, { readySelector: 'customer-lens' });
      const { page } = opened;
      const drawn = (id) => page.waitForFunction((lensId) => {
        const root = document.getElementById(lensId).shadowRoot;
        return root.querySelector('#rfm-grid svg') && root.querySelector('#rfm-pareto svg') && !root.querySelector('.deferred');
      }, id);
      await Promise.all([drawn('lens-en'), drawn('lens-vi')]);
      const text = (id, selector) => page.locator(`#${id} ${selector}`).evaluate((element) => element.textContent);
      assert.equal(await text('lens-en', '#view-heading'), 'RFM segments');
      assert.equal(await text('lens-vi', '#view-heading'), 'Phân khúc RFM');
      assert.match(await text('lens-en', '#rfm-grid svg'), /F score \(frequency\)/);
      assert.match(await text('lens-vi', '#rfm-grid svg'), /Điểm F \(tần suất\)/);
      assert.match(plain(await text('lens-en', '.view-head p')), /9 Dec 2011/);
      assert.match(plain(await text('lens-vi', '.view-head p')), /9 thg 12, 2011/);
      assert.deepEqual(await opened.issues(), []);
    } finally {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(site, { recursive: true, force: true });
    }
  });
});

describe('the library build', () => {
  test('the element’s module, its worker’s, the .wasm beside them and the types', () => {
    for (const file of ['customer-lens.js', 'customer-lens-worker.js']) {
      const module = readFileSync(join(DIST, 'lib', file), 'utf8');
      assert.doesNotMatch(module, /data:application\/wasm/, 'the .wasm is a file, not inlined');
      assert.doesNotMatch(module, /\beval\(|new Function\(/, 'no eval under a strict CSP');
      assert.doesNotMatch(module, /import\(\s*["'`]|^import\b/m, `${file}: nothing to load besides it`);
    }
    assert.ok(existsSync(join(DIST, 'lib/customer-lens.wasm')));
    const types = readFileSync(join(DIST, 'lib/customer-lens.d.ts'), 'utf8');
    for (const name of ['exportCsv', 'segment-select', 'customer-lens-ready', 'customer-lens-error', 'customerIds']) assert.ok(types.includes(name), name);
  });
});
