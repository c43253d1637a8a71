// Customer identity through the real page: a point-of-sale invoice list whose customer codes are
// empty for walk-in sales is read by its phone column (the note says so, in Vietnamese), phones
// written in different ways are one customer, and the RFM export carries the E.164 ids as they
// are.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, chartsDrawn, foreignRequests, openPage, screenshotPath, startBrowser } from './harness.mjs';

let session;
before(async () => {
  session = await startBrowser();
});
after(async () => {
  await session?.close();
});

describe('customer identity', () => {
  test('in Vietnamese: a point-of-sale export is read by its phone column, and the export carries E.164 ids', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP, hash: '#lang=vi', locale: 'vi-VN' });
    const { page } = opened;
    try {
      const buffer = await readFile(new URL('../../../tests/data/pos-invoices.csv', import.meta.url));
      await page.setInputFiles('#file-input', { name: 'hoa-don.csv', mimeType: 'text/csv', buffer });
      await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]');
      assert.equal(await page.locator('[data-metric="customers"] .metric-value').innerText(), '5');
      await page.click('.tabs [data-view="data"]');
      await page.waitForSelector('.notes li');
      const notes = await page.locator('.notes li').allInnerTexts();
      assert.ok(
        notes.includes('Cột khách hàng “Mã khách hàng” để trống ở 13 trong 14 dòng đầu (khách lẻ) còn “Điện thoại” có dữ liệu ở 12 dòng: khách hàng được nhận diện theo “Điện thoại” trong toàn bộ tệp. Hãy chọn cột khách hàng ở phần ánh xạ cột nếu muốn đổi.'),
        notes.join('\n'),
      );
      await page.screenshot({ path: screenshotPath('desktop-pos-phones-vi'), fullPage: true });

      await page.click('.tabs [data-view="rfm"]');
      await page.waitForSelector('#rfm-segments svg .tile');
      await chartsDrawn(page);
      await page.click('button[data-kpi="scored"]');
      await page.waitForSelector('#rfm-list .vt-body .vt-row');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#rfm-export')]);
      const ids = (await readFile(await download.path(), 'utf8')).trim().split('\n').slice(1).map((line) => line.split(',')[0]);
      assert.deepEqual(ids.sort(), ['+842838221234', '+84903111222', '+84912345678', '+84987654321', 'không có']);
      assert.deepEqual(foreignRequests(opened.requests, session.url.replace(/\/$/, '')), [], 'no request leaves the origin');
      assert.deepEqual(await opened.issues(), [], 'no console error, page error or CSP violation');
    } finally {
      await opened.close();
    }
  });
});
