// Excel workbooks in headless Chromium: a CSV is read and charted without the Excel module ever
// being fetched; a dropped .xlsx fetches it (its chunk and .wasm, seen in the network log) and
// shows the same summary as its CSV twin; a workbook's sheets are listed and one can be chosen;
// an .ods is refused with a message saying what to do; and the widget reads an .xlsx `src`.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { serve } from '../../scripts/serve.mjs';
import { DIST, chartsDrawn, foreignRequests, openPage, screenshotPath, startBrowser } from './harness.mjs';

const DATA = new URL('../../../tests/data/', import.meta.url);
const data = (name) => readFileSync(new URL(name, DATA));

let session;
before(async () => {
  session = await startBrowser();
});
after(async () => {
  await session?.close();
});

const origin = () => session.url.replace(/\/$/, '');
const plain = (text) => text.replace(/[\u00a0\u202f]/g, ' ');
/** Requests for the Excel module: its JS chunk and its .wasm (site or library names). */
const excelRequests = (requests) => requests.filter((url) => /customer[_-]lens[_-]xlsx/.test(new URL(url).pathname));

/** Drops a file on the page as a person would (dragenter, dragover, drop). */
async function dropFile(page, name, bytes, type) {
  await page.evaluate(({ name, bytes, type }) => {
    const file = new File([Uint8Array.from(bytes)], name, { type });
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(file);
    for (const kind of ['dragenter', 'dragover', 'drop']) {
      document.querySelector('main').dispatchEvent(new DragEvent(kind, { dataTransfer, bubbles: true, cancelable: true }));
    }
  }, { name, bytes: [...bytes], type });
}

/** The summary's figures (Overview) and the rows read (Data view); ends in the Data view. */
async function summaryFigures(page) {
  await page.click('.tabs [data-view="overview"]');
  await page.waitForSelector('.view.overview [data-metric="orders"]');
  const figures = {};
  for (const name of ['orders', 'customers', 'revenue', 'dateRange']) {
    figures[name] = plain(await page.locator(`[data-metric="${name}"] .metric-value`).innerText());
  }
  await page.click('.tabs [data-view="data"]');
  figures.rows = plain(await page.locator('[data-fact="rows"] dd').innerText());
  return figures;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('Excel workbooks on the demo page', () => {
  test('a CSV is charted without the Excel module; a dropped .xlsx fetches it and reads as its twin', async () => {
    const opened = await openPage(session.browser, session.url);
    const { page, requests } = opened;
    try {
      await page.setInputFiles('#file-input', { name: 'kiotviet-invoices-titled.csv', mimeType: 'text/csv', buffer: data('kiotviet-invoices-titled.csv') });
      await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]');
      const fromCsv = await summaryFigures(page);
      await page.click('.tabs [data-view="rfm"]');
      await page.waitForSelector('#rfm-segments svg');
      await chartsDrawn(page);
      assert.deepEqual(excelRequests(requests), [], 'the first chart of a CSV does not wait for the Excel module');
      await page.click('.tabs [data-view="overview"]');

      await dropFile(page, 'kiotviet-titled.xlsx', data('xlsx/kiotviet-titled.xlsx'), XLSX_TYPE);
      await page.waitForFunction(() => document.querySelector('#source-name')?.textContent === 'kiotviet-titled.xlsx' && document.querySelector('body[data-state="ready"]'));
      assert.deepEqual(await summaryFigures(page), fromCsv, 'the same orders, customers, revenue, dates and rows as the CSV');
      assert.equal(plain(await page.locator('[data-fact="titleLines"] dd').innerText()), '3', 'the merged title cells and the blank row above the header');
      assert.equal(await page.locator('[data-fact="sheet"] dd').innerText(), 'Hóa đơn');
      const fetched = excelRequests(requests).map((url) => new URL(url).pathname.split('/').pop());
      assert.equal(fetched.length, 2, `its chunk and its .wasm, once: ${fetched.join(', ')}`);
      assert.ok(fetched.some((file) => file.endsWith('.wasm')));
      await page.screenshot({ path: screenshotPath('desktop-xlsx-en'), fullPage: true });
      assert.deepEqual(foreignRequests(requests, origin()), []);
      assert.deepEqual(await opened.issues(), [], 'no console error, page error or CSP violation');
    } finally {
      await opened.close();
    }
  });

  test('the sheets of a workbook are listed and one can be chosen (Vietnamese)', async () => {
    const opened = await openPage(session.browser, session.url, { hash: '#lang=vi&view=data', locale: 'vi-VN' });
    const { page } = opened;
    try {
      await page.setInputFiles('#file-input', { name: 'two-sheets.xlsx', mimeType: XLSX_TYPE, buffer: data('xlsx/two-sheets.xlsx') });
      await page.waitForSelector('body[data-state="ready"] [data-fact="sheet"]');
      assert.match(await page.locator('[data-fact="sheet"] dd').innerText(), /^Đơn hàng\n?một trong 2 trang tính/);
      const options = await page.locator('#mapping-sheet option').allInnerTexts();
      assert.deepEqual(options, ['Tự nhận diện (Đơn hàng)', 'Hướng dẫn', 'Đơn hàng']);

      await page.selectOption('#mapping-sheet', 'Hướng dẫn');
      await page.click('#mapping-apply');
      await page.waitForSelector('#error-banner');
      assert.match(await page.locator('#error-message').innerText(), /Hướng dẫn|tiêu đề|ngày/, 'a sheet of notes has no order list');

      await page.selectOption('#mapping-sheet', 'Đơn hàng');
      await page.click('#mapping-apply');
      await page.waitForFunction(() => !document.querySelector('#error-banner') && document.querySelector('#mapping-sheet')?.value === 'Đơn hàng');
      await page.click('.tabs [data-view="overview"]');
      await page.waitForSelector('.view.overview [data-metric="orders"]');
      assert.equal(await page.locator('[data-metric="orders"] .metric-value').innerText(), '3', 'SON0001, SON0004, SON0005: the others are cancelled');
      assert.deepEqual(await opened.issues(), []);
    } finally {
      await opened.close();
    }
  });

  test('an .ods is refused with a message that says what to do, without the Excel module', async () => {
    const opened = await openPage(session.browser, session.url);
    const { page, requests } = opened;
    try {
      await page.setInputFiles('#file-input', { name: 'orders.ods', mimeType: 'application/vnd.oasis.opendocument.spreadsheet', buffer: data('malformed/orders.ods') });
      await page.waitForSelector('#error-banner');
      assert.match(await page.locator('#error-message').innerText(), /OpenDocument spreadsheet \(\.ods\).*Excel Workbook \(\.xlsx\) or as CSV/);
      assert.deepEqual(excelRequests(requests), []);
    } finally {
      await opened.close();
    }
  });
});

describe('Excel workbooks in the widget', () => {
  test('<customer-lens src="orders.xlsx"> reads it, fetching the Excel module beside the element', async () => {
    const site = mkdtempSync(join(tmpdir(), 'customer-lens-xlsx-'));
    cpSync(join(DIST, 'lib'), join(site, 'customer-lens'), { recursive: true });
    copyFileSync(new URL('xlsx/online-retail-slice.xlsx', DATA), join(site, 'orders.xlsx'));
    writeFileSync(join(site, 'index.html'), '<!doctype html>\n<html>\n<head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,"></head>\n<body>\n<script type="module" src="customer-lens/customer-lens.js"></script>\n<customer-lens src="orders.xlsx" locale="en" view="data"></customer-lens>\n</body>\n</html>\n');
    const { server, url } = await serve({ port: 0, root: site });
    try {
      const opened = await openPage(session.browser, url, { readySelector: 'customer-lens' });
      const { page, requests } = opened;
      await page.waitForSelector('customer-lens [data-fact="sheet"]');
      assert.equal(await page.locator('customer-lens [data-fact="sheet"] dd').innerText(), 'Online Retail');
      const paths = requests.map((request) => new URL(request).pathname);
      assert.ok(paths.includes('/customer-lens/customer-lens-xlsx.wasm'), paths.join(', '));
      assert.deepEqual(foreignRequests(requests, url.replace(/\/$/, '')), []);
      assert.deepEqual(await opened.issues(), [], 'the server’s strict CSP header is never violated');
      await opened.close();
    } finally {
      await new Promise((resolve) => server.close(resolve));
      rmSync(site, { recursive: true, force: true });
    }
  });
});
