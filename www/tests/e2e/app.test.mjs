// The demo page in headless Chromium: load the sample through the page, read the summary,
// switch language, load files (picker and drag-and-drop), re-read with other settings, cancel,
// show errors; at desktop and phone sizes; no request ever leaves the page's origin and the CSP
// is never violated. Screenshots go to www/screenshots/ for a person to look at.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, chartsDrawn, foreignRequests, loadSample, openPage, screenshotPath, startBrowser } from './harness.mjs';

const SAMPLE = readFileSync(new URL('../../public/samples/online-retail-sample.csv', import.meta.url));

/** Independently counted figures of the bundled sample (see tests/api/ingest.test.mjs). */
const SAMPLE_FIGURES = {
  en: { orders: '1,143', customers: '221', revenue: '£396,667.57', purchases: '998 purchases · 145 returns', anonymous: '5,635' },
  vi: { orders: '1.143', customers: '221', revenue: '396.667,57 £', purchases: '998 đơn mua · 145 đơn trả', anonymous: '5.635' },
};

let session;
before(async () => {
  session = await startBrowser();
});
after(async () => {
  await session?.close();
});

/** Intl separates with no-break spaces; the expectations are written with plain ones. */
const plain = (text) => text.replace(/[\u00a0\u202f]/g, ' ');
const metric = async (page, name) => plain(await page.locator(`[data-metric="${name}"] .metric-value`).innerText());
const metricDetail = async (page, name) => plain(await page.locator(`[data-metric="${name}"] .metric-detail`).innerText());


/** Opens the Data view (how the file was read) by its tab. */
async function openDataView(page) {
  await page.click('.tabs [data-view="data"]');
  await page.waitForSelector('.view.data-view .rows-card');
}

async function openOverview(page) {
  await page.click('.tabs [data-view="overview"]');
  await page.waitForSelector('.view.overview [data-metric="orders"]');
}

async function assertClean(opened, origin) {
  assert.deepEqual(foreignRequests(opened.requests, origin), [], 'no request leaves the origin');
  assert.deepEqual(await opened.issues(), [], 'no console error, page error or CSP violation');
}

describe('the demo page', () => {
  test('empty state, then the sample through the page, in English and Vietnamese (desktop)', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      assert.equal(await page.locator('h1').innerText(), 'No orders loaded yet');
      assert.equal(await page.locator('#load-sample').isVisible(), true);
      await page.screenshot({ path: screenshotPath('desktop-empty-en'), fullPage: true });

      await loadSample(page);
      const en = SAMPLE_FIGURES.en;
      assert.equal(await metric(page, 'orders'), en.orders);
      assert.equal(await metricDetail(page, 'orders'), en.purchases);
      assert.equal(await metric(page, 'customers'), en.customers);
      assert.equal(await metric(page, 'revenue'), en.revenue, 'GBP, the currency of the Online Retail format');
      assert.equal(await metric(page, 'dateRange'), '1 Dec 2010 – 9 Dec 2011');
      assert.equal(await page.locator('#source-name').innerText(), 'Online Retail sample');
      assert.equal(await page.locator('[data-fact="preset"]').count(), 0, 'how the file was read is in the Data view');
      await page.waitForSelector('#overview-kpis');
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('desktop-overview-en'), fullPage: true });

      await openDataView(page);
      assert.match(page.url(), /view=data/);
      assert.match(await page.locator('[data-fact="anonymous"] dd').innerText(), new RegExp(`^${en.anonymous}`));
      assert.equal(await page.locator('[data-fact="preset"] dd').innerText(), 'UCI Online Retail');
      assert.equal(await page.locator('.rejects-card .ok').innerText(), 'Every row was accepted.');
      assert.equal(await page.locator('#mapping-role-customer option:checked').innerText(), 'Detect (CustomerID)');
      await page.screenshot({ path: screenshotPath('desktop-data-en'), fullPage: true });

      await page.selectOption('#setting-lang', 'vi');
      await page.waitForFunction(() => document.documentElement.lang === 'vi');
      const vi = SAMPLE_FIGURES.vi;
      assert.equal(await page.locator('.tabs [data-view="data"]').innerText(), 'Dữ liệu');
      assert.match(await page.locator('[data-fact="anonymous"] dd').innerText(), new RegExp(`^${vi.anonymous.replace('.', '\\.')}`));
      await page.screenshot({ path: screenshotPath('desktop-data-vi'), fullPage: true });
      await openOverview(page);
      assert.equal(await page.locator('#summary-heading').innerText(), 'Tóm tắt');
      assert.equal(await metric(page, 'orders'), vi.orders);
      assert.equal(await metricDetail(page, 'orders'), vi.purchases);
      assert.equal(await metric(page, 'revenue'), vi.revenue);
      assert.equal(await page.locator('#load-another').innerText(), 'Tải dữ liệu khác');
      assert.match(page.url(), /#lang=vi/);
      await page.waitForSelector('#overview-kpis');
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('desktop-overview-vi'), fullPage: true });

      await page.selectOption('#setting-currency', 'VND');
      assert.equal(await metric(page, 'revenue'), '396.668 ₫', 'đồng have no minor unit');
      assert.match(page.url(), /currency=VND/);
      await assertClean(opened, session.url.replace(/\/$/, ''));
    } finally {
      await opened.close();
    }
  });

  test('the language in the URL hash is used from the first paint', async () => {
    const opened = await openPage(session.browser, session.url, { hash: '#lang=vi' });
    const { page } = opened;
    try {
      assert.equal(await page.locator('h1').innerText(), 'Chưa có đơn hàng nào');
      assert.equal(await page.locator('#load-sample').innerText(), 'Dùng thử dữ liệu mẫu');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'vi');
      await page.screenshot({ path: screenshotPath('desktop-empty-vi'), fullPage: true });
      await assertClean(opened, session.url.replace(/\/$/, ''));
    } finally {
      await opened.close();
    }
  });

  test('a picked file with a bad row: the rejected rows table, then re-read with another date order', async () => {
    const opened = await openPage(session.browser, session.url);
    const { page } = opened;
    const csv = 'Order,Customer,Date,Total\nA1,c1,03/04/2024,10.00\nA2,c2,05/04/2024,20.00\nA3,c1,soon,5.00\nA4,c3,07/04/2024,"1,234.50"\n';
    try {
      await page.setInputFiles('#file-input', { name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]');
      assert.equal(await page.locator('#source-name').innerText(), 'orders.csv');
      assert.equal(await metric(page, 'orders'), '3');
      assert.equal(await metric(page, 'revenue'), '1,264.50', 'no currency known for a generic file');
      await openDataView(page);
      assert.equal(await page.locator('.rejects-card .badge').innerText(), '1');
      const cells = await page.locator('.rejects-table tbody tr').first().locator('td').allInnerTexts();
      assert.deepEqual(cells.slice(0, 3), ['4', 'Date', 'soon']);
      assert.match(cells[3], /date/i);
      assert.equal(await page.locator('[data-fact="dateOrder"] dd').innerText().then((text) => text.split('\n')[0]), 'day/month/year', "UK-style: the data doesn't settle it, so day-first is assumed or flagged");

      await page.selectOption('#mapping-date-order', 'mdy');
      await page.click('#mapping-apply');
      await page.waitForFunction(() => document.querySelector('[data-fact="dateOrder"] dd')?.innerText.startsWith('month/day/year'));
      assert.equal(await page.locator('#mapping-date-order').inputValue(), 'mdy', 'the applied choice stays selected');
      await page.screenshot({ path: screenshotPath('desktop-rejects-en'), fullPage: true });
      await openOverview(page);
      assert.equal(await metric(page, 'dateRange'), '4 Mar 2024 – 4 Jul 2024');
      await assertClean(opened, session.url.replace(/\/$/, ''));
    } finally {
      await opened.close();
    }
  });

  test('drag and drop a file anywhere on the page', async () => {
    const opened = await openPage(session.browser, session.url);
    const { page } = opened;
    try {
      await page.evaluate(() => {
        const file = new File(['customer,date,amount\nx,2024-01-01,5\ny,2024-01-02,7\n'], 'dropped.csv', { type: 'text/csv' });
        const dataTransfer = new DataTransfer();
        dataTransfer.items.add(file);
        for (const type of ['dragenter', 'dragover', 'drop']) {
          document.querySelector('main').dispatchEvent(new DragEvent(type, { dataTransfer, bubbles: true, cancelable: true }));
        }
      });
      await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]');
      assert.equal(await page.locator('#source-name').innerText(), 'dropped.csv');
      assert.equal(await metric(page, 'customers'), '2');
      assert.equal(await page.locator('.drop-overlay').isHidden(), true);
      await assertClean(opened, session.url.replace(/\/$/, ''));
    } finally {
      await opened.close();
    }
  });

  test('an unreadable file shows the engine’s message; the error can be dismissed', async () => {
    const opened = await openPage(session.browser, session.url);
    const { page } = opened;
    try {
      await page.setInputFiles('#file-input', { name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('name,comment\nAnn,hello\n') });
      await page.waitForSelector('#error-banner');
      assert.match(await page.locator('#error-message').innerText(), /date/i);
      assert.equal(await page.locator('body').getAttribute('data-state'), 'empty');
      await page.screenshot({ path: screenshotPath('desktop-error-en'), fullPage: true });
      await page.click('#error-banner button');
      assert.equal(await page.locator('#error-banner').count(), 0);
      // The engine is still usable after an error.
      await loadSample(page);
      assert.equal(await metric(page, 'orders'), SAMPLE_FIGURES.en.orders);
      const issues = (await opened.issues()).filter((issue) => !/status of 4\d\d/.test(issue));
      assert.deepEqual(issues, []);
    } finally {
      await opened.close();
    }
  });

  test('a URL typed by the user is fetched and read; a bad address and an HTTP error are explained', async () => {
    const opened = await openPage(session.browser, session.url);
    const { page } = opened;
    try {
      await page.fill('#load-url', 'not a url');
      await page.click('#url-form button[type="submit"]');
      assert.equal(await page.locator('#load-url').getAttribute('aria-invalid'), 'true');
      assert.match(await page.locator('#load-url-hint').innerText(), /http/);

      await page.fill('#load-url', new URL('samples/no-such-file.csv', session.url).href);
      await page.click('#url-form button[type="submit"]');
      await page.waitForSelector('#error-banner');
      assert.match(await page.locator('#error-message').innerText(), /HTTP 404/);

      await page.fill('#load-url', new URL('samples/online-retail-sample.csv', session.url).href);
      await page.click('#url-form button[type="submit"]');
      await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]');
      assert.equal(await page.locator('#source-name').innerText(), 'online-retail-sample.csv');
      assert.equal(await metric(page, 'orders'), SAMPLE_FIGURES.en.orders);
      assert.equal(await page.locator('#error-banner').count(), 0, 'a successful load clears the error');
      const issues = (await opened.issues()).filter((issue) => !/status of 404/.test(issue));
      assert.deepEqual(issues, []);
      assert.deepEqual(foreignRequests(opened.requests, session.url.replace(/\/$/, '')), []);
    } finally {
      await opened.close();
    }
  });

  test('a gzip-compressed export (.csv.gz) is decompressed while it streams', async () => {
    const opened = await openPage(session.browser, session.url);
    const { page } = opened;
    try {
      await page.setInputFiles('#file-input', { name: 'orders.csv.gz', mimeType: 'application/gzip', buffer: gzipSync(SAMPLE) });
      await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]');
      assert.equal(await page.locator('#source-name').innerText(), 'orders.csv.gz');
      assert.equal(await metric(page, 'orders'), SAMPLE_FIGURES.en.orders);
      assert.equal(await metric(page, 'revenue'), SAMPLE_FIGURES.en.revenue);
      await assertClean(opened, session.url.replace(/\/$/, ''));
    } finally {
      await opened.close();
    }
  });

  test('a long load shows progress and can be cancelled, keeping the previous data', async () => {
    const opened = await openPage(session.browser, session.url);
    const { page } = opened;
    try {
      await loadSample(page);
      const body = SAMPLE.subarray(SAMPLE.indexOf(10) + 1);
      const big = Buffer.concat([SAMPLE, ...Array.from({ length: 14 }, () => body)]);
      await page.click('#load-another');
      assert.equal(await page.locator('#load-another').getAttribute('aria-expanded'), 'true');
      // Cancel from inside the page the moment the progress panel appears: the engine reads
      // tens of MB in a fraction of a second, faster than a round trip from the test.
      await page.evaluate(() => {
        window.__progressTitle = null;
        const observer = new MutationObserver(() => {
          const cancel = document.querySelector('#progress-cancel');
          if (!cancel) return;
          observer.disconnect();
          window.__progressTitle = document.querySelector('.progress-title')?.textContent ?? '';
          cancel.click();
        });
        observer.observe(document.body, { childList: true, subtree: true });
      });
      await page.setInputFiles('#file-input', { name: 'big.csv', mimeType: 'text/csv', buffer: big });
      await page.waitForFunction(() => window.__progressTitle !== null);
      assert.match(await page.evaluate(() => window.__progressTitle), /Reading big\.csv/);
      await page.waitForSelector('#notice-banner');
      assert.match(await page.locator('#notice-banner').innerText(), /cancelled/);
      assert.equal(await page.locator('#progress-panel').count(), 0);
      assert.equal(await page.locator('#source-name').innerText(), 'Online Retail sample', 'the previous data stays');
      assert.equal(await metric(page, 'orders'), SAMPLE_FIGURES.en.orders);
      await assertClean(opened, session.url.replace(/\/$/, ''));
    } finally {
      await opened.close();
    }
  });

  for (const lang of ['en', 'vi']) {
    test(`phone (390 × 844), ${lang}: the sample fits the width`, async () => {
      const opened = await openPage(session.browser, session.url, { viewport: PHONE, hash: `#lang=${lang}` });
      const { page } = opened;
      try {
        await page.screenshot({ path: screenshotPath(`phone-empty-${lang}`), fullPage: true });
        await loadSample(page);
        assert.equal(await metric(page, 'orders'), SAMPLE_FIGURES[lang].orders);
        await page.waitForSelector('#overview-kpis');
        await chartsDrawn(page);
        const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(await overflow(), 0, 'no horizontal scrolling');
        await page.screenshot({ path: screenshotPath(`phone-overview-${lang}`), fullPage: true });
        await openDataView(page);
        assert.equal(await overflow(), 0, 'no horizontal scrolling in the Data view either');
        await page.screenshot({ path: screenshotPath(`phone-data-${lang}`), fullPage: true });
        await assertClean(opened, session.url.replace(/\/$/, ''));
      } finally {
        await opened.close();
      }
    });
  }

  test('keyboard: the skip link and the sample button are reachable, focus is visible', async () => {
    const opened = await openPage(session.browser, session.url);
    const { page } = opened;
    try {
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
      let reached = false;
      for (let i = 0; i < 15 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement.id === 'load-sample');
      }
      assert.ok(reached, 'Tab reaches the sample button');
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', 'a visible focus ring');
      await page.keyboard.press('Enter');
      await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]');
      await assertClean(opened, session.url.replace(/\/$/, ''));
    } finally {
      await opened.close();
    }
  });
});
