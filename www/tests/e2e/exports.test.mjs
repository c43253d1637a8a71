// A KiotViet invoice list saved from Excel through the real page: its title block is skipped (the
// note says which line the header is, in Vietnamese; the title lines are counted apart) and the
// file reads as the same list without it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, foreignRequests, openPage, startBrowser } from './harness.mjs';

let session;
before(async () => {
  session = await startBrowser();
});
after(async () => {
  await session?.close();
});

describe('a title block above the header', () => {
  test('in Vietnamese: the header below the title is found, the note names its line, the figures are the plain file’s', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP, hash: '#lang=vi', locale: 'vi-VN' });
    const { page } = opened;
    try {
      const buffer = await readFile(new URL('../../../tests/data/kiotviet-invoices-titled.csv', import.meta.url));
      await page.setInputFiles('#file-input', { name: 'danh-sach-hoa-don.csv', mimeType: 'text/csv', buffer });
      await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]');
      assert.equal(await page.locator('[data-metric="customers"] .metric-value').innerText(), '2');
      assert.equal(await page.locator('[data-metric="orders"] .metric-value').innerText(), '5');
      await page.click('.tabs [data-view="data"]');
      await page.waitForSelector('.notes li');
      const notes = await page.locator('.notes li').allInnerTexts();
      assert.ok(
        notes.includes('Dòng tên cột là dòng 4: 3 dòng phía trên (phần tiêu đề báo cáo, như khi lưu từ Excel) đã được bỏ qua, không tính là dòng dữ liệu. Số dòng trong thông báo là số dòng của tệp.'),
        notes.join('\n'),
      );
      assert.match(await page.locator('[data-fact="titleLines"]').innerText(), /3/);
      assert.deepEqual(foreignRequests(opened.requests, session.url.replace(/\/$/, '')), [], 'no request leaves the origin');
      assert.deepEqual(await opened.issues(), [], 'no console error, page error or CSP violation');
    } finally {
      await opened.close();
    }
  });

  test('in Vietnamese: without a header in the first 50 lines, the error says what to look for and shows the first lines', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP, hash: '#lang=vi', locale: 'vi-VN' });
    const { page } = opened;
    try {
      const buffer = Buffer.from('BÁO CÁO DANH SÁCH ĐƠN HÀNG,,,\n,,,\nSố,Khách,Lúc,Tiền\n1,A,2024-03-01,10\n');
      await page.setInputFiles('#file-input', { name: 'bao-cao.csv', mimeType: 'text/csv', buffer });
      await page.waitForSelector('#error-banner');
      const message = await page.locator('#error-message').innerText();
      assert.match(message, /^Không tìm thấy dòng tên cột trong 50 dòng đầu/);
      assert.ok(message.includes('1: BÁO CÁO DANH SÁCH ĐƠN HÀNG | 2: (blank) | 3: Số, Khách, Lúc, Tiền'), message);
      assert.deepEqual(await opened.issues(), [], 'no console error, page error or CSP violation');
    } finally {
      await opened.close();
    }
  });
});
