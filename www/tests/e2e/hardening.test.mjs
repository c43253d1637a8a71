// Hostile content and malformed files through the real page: names and ids that hold HTML,
// script, formulas, direction overrides or huge strings are shown as text and exported
// neutralised; unreadable files get the engine's message and leave the page usable; nothing
// leaves the origin while any of it happens.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, chartsDrawn, foreignRequests, openPage, screenshotPath, startBrowser } from './harness.mjs';

let session;
before(async () => {
  session = await startBrowser();
});
after(async () => {
  await session?.close();
});

const HOSTILE_IDS = [
  '<img src=x onerror="window.__pwned=1">',
  '</script><script>window.__pwned=2</script>',
  'javascript:window.__pwned=3',
  '=HYPERLINK("http://evil.example","click")',
  '+cmd|\' /C calc\'!A0',
  '@SUM(A1:A9)',
  '\u202Egnp.exe',
  'zero\u200Bwidth',
  'A'.repeat(20_000),
];

/** A CSV whose ids (and one header) are hostile; each customer buys twice. */
function hostileCsv() {
  const quote = (text) => `"${text.replace(/"/g, '""')}"`;
  const lines = ['order,customer,date,amount,"<b onmouseover=""window.__pwned=4"">note</b>"'];
  HOSTILE_IDS.forEach((id, i) => {
    lines.push(`${2 * i + 1},${quote(id)},2024-0${1 + (i % 9)}-10,${10 + i},x`);
    lines.push(`${2 * i + 2},${quote(id)},2024-10-${10 + i},${20 + i},x`);
  });
  return `${lines.join('\n')}\n`;
}

async function loadFile(page, name, buffer) {
  await page.setInputFiles('#file-input', { name, mimeType: 'text/csv', buffer });
}

async function assertNoEgress(opened) {
  assert.deepEqual(foreignRequests(opened.requests, session.url.replace(/\/$/, '')), [], 'no request leaves the origin');
}

describe('hostile content and malformed files', () => {
  test('hostile ids and headers are shown as text, never run, and exported neutralised', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      await loadFile(page, 'hostile.csv', Buffer.from(hostileCsv()));
      await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]');
      await page.click('.tabs [data-view="rfm"]');
      await page.waitForSelector('#rfm-segments svg .tile');
      await chartsDrawn(page);
      await page.click('button[data-kpi="scored"]');
      await page.waitForSelector('#rfm-list .vt-body .vt-row');
      const listText = await page.locator('#rfm-list').innerText();
      for (const id of HOSTILE_IDS.slice(0, 6)) {
        assert.ok(listText.includes(id.slice(0, 40)), `shown as text: ${id}`);
      }
      assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no injected script ran');
      assert.equal(await page.locator('img[src="x"], #rfm-list script, b[onmouseover]').count(), 0, 'no injected element');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `a 20,000-character id does not widen the page (${overflow}px)`);
      await page.screenshot({ path: screenshotPath('desktop-hostile-en') });

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#rfm-export')]);
      const csv = await readFile(await download.path(), 'utf8');
      assert.ok(csv.includes(`"'=HYPERLINK(""http://evil.example"",""click"")"`), 'formula neutralised');
      assert.ok(csv.includes("'+cmd"), '+ neutralised');
      assert.ok(csv.includes("'@SUM(A1:A9)"), '@ neutralised');
      assert.ok(csv.includes('<img src=x onerror=""window.__pwned=1"">'), 'HTML kept as data, quoted');

      // The column mapping shows the hostile header as plain text.
      await page.click('.tabs [data-view="data"]');
      await page.waitForSelector('.mapping-table');
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      assert.equal(await page.locator('b[onmouseover]').count(), 0);
      await assertNoEgress(opened);
      assert.deepEqual(await opened.issues(), [], 'no console error, page error or CSP violation');
    } finally {
      await opened.close();
    }
  });

  test('unreadable files are explained and the page stays usable (phone width)', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: PHONE });
    const { page } = opened;
    const cases = [
      ['empty.csv', Buffer.alloc(0), /empty/i],
      ['header.csv', Buffer.from('order,customer,date,amount\n'), /no rows/i],
      ['report.xlsx', Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000[Content_Types].xml xl/workbook.xml', 'latin1'), /Excel/],
      ['chart.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), /PNG/],
      ['page.csv', Buffer.from('<!DOCTYPE html><html><body>Not found</body></html>'), /web page/i],
      // Last: it is read, so the page is ready afterwards.
      ['semicolons.csv', Buffer.from('order;customer;date;amount\n1;a;2024-01-01;5\n'), null],
    ];
    try {
      for (const [name, bytes, message] of cases) {
        await page.evaluate(() => window.scrollTo(0, 0));
        await loadFile(page, name, bytes);
        const outcome = await Promise.race([
          page.waitForSelector('#error-banner').then(() => 'error'),
          page.waitForSelector('body[data-state="ready"] [data-metric="orders"]').then(() => 'ready'),
        ]);
        if (name === 'semicolons.csv') {
          assert.equal(outcome, 'ready', 'a semicolon file is read (delimiter sniffed)');
          continue;
        }
        assert.equal(outcome, 'error', name);
        assert.match(await page.locator('#error-message').innerText(), message, name);
        const banner = await page.locator('#error-banner').boundingBox();
        assert.ok(banner.y >= 0 && banner.y + banner.height <= PHONE.height + 1, `${name}: the message is in view (top ${banner.y})`);
        if (name === 'report.xlsx') await page.screenshot({ path: screenshotPath('phone-error-xlsx-en') });
        await page.click('#error-banner button');
      }
      await assertNoEgress(opened);
      const issues = (await opened.issues()).filter((issue) => !/status of 4\d\d/.test(issue));
      assert.deepEqual(issues, []);
    } finally {
      await opened.close();
    }
  });

  test('in Vietnamese, rejected rows and unreadable files are explained in Vietnamese', async () => {
    // In the Data view, where the rejected rows and the notes about the file are.
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP, hash: '#lang=vi&view=data', locale: 'vi-VN' });
    const { page } = opened;
    try {
      await loadFile(page, 'report.xlsx', Buffer.from('PK\u0003\u0004\u0014\u0000xl/workbook.xml', 'latin1'));
      await page.waitForSelector('#error-banner');
      // A damaged workbook: the Excel reader says so and what to do.
      assert.match(await page.locator('#error-message').innerText(), /^Không đọc được tệp Excel này .*lưu lại thành Excel Workbook/);
      await page.click('#error-banner button');

      // The last row opens a quote it never closes.
      await loadFile(page, 'orders.csv', Buffer.from('order,customer,date,amount\n1,a,2024-01-01,5\n2,b,hôm qua,5\n3,c,2024-01-03,abc\n4,"d,2024-01-04,6\n'));
      await page.waitForSelector('body[data-state="ready"] .rejects-table');
      const reasons = await page.locator('.rejects-table tbody tr td:last-child').allInnerTexts();
      assert.deepEqual(reasons, [
        'không đọc được ngày này (hãy dùng dạng như 2024-03-31, 31/03/2024 hoặc 03/31/2024)',
        'số tiền không phải là số (ví dụ 1234.56, 1.234,56 hoặc 1.250.000 ₫)',
        'một dấu ngoặc kép mở ở trường này mà không bao giờ được đóng, nên nó sẽ nuốt cả các dòng phía sau: dòng này được đọc với dấu ngoặc kép như một ký tự thường và bị bỏ qua, còn các dòng phía sau vẫn được đọc như các dòng dữ liệu; hãy xoá hoặc đóng dấu ngoặc kép đó rồi tải lại tệp',
      ]);
      await page.screenshot({ path: screenshotPath('desktop-rejects-vi'), fullPage: true });

      // Notes about the file too: a repeated column name and a line naming a second customer.
      await page.click('#load-another');
      await loadFile(page, 'notes.csv', Buffer.from('order,customer,date,amount,amount\n1,a,2024-01-01,5,0\n1,b,2024-01-01,5,0\n'));
      await page.waitForSelector('body[data-state="ready"] .notes li');
      const notes = await page.locator('.notes li').allInnerTexts();
      assert.deepEqual(notes, [
        '1 dòng đơn hàng ghi một khách hàng khác với dòng đầu của đơn; khách hàng ở dòng đầu được giữ lại.',
        'Tên cột “amount” xuất hiện 2 lần (các cột 4, 5); cột 4 được đọc là số tiền. Hãy đổi tên các cột, hoặc chọn cột khác ở phần ánh xạ cột nếu chưa đúng.',
      ]);
      await page.screenshot({ path: screenshotPath('desktop-notes-vi'), fullPage: true });
      await assertNoEgress(opened);
    } finally {
      await opened.close();
    }
  });

  test('a worker that dies is reported and replaced; the page recovers', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      await page.click('#load-sample');
      await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]');
      // An uncaught error in the engine's thread, as an out-of-memory or a trap would raise.
      const [worker] = page.workers();
      await worker.evaluate(() => setTimeout(() => { throw new Error('simulated crash'); }));
      await page.waitForSelector('#error-banner');
      assert.match(await page.locator('#error-message').innerText(), /stopped unexpectedly/);
      assert.equal(await page.locator('body').getAttribute('data-state'), 'empty');
      await page.click('#error-banner button');
      await page.click('#load-sample');
      await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]');
      await page.click('.tabs [data-view="rfm"]');
      await page.waitForSelector('#rfm-segments svg .tile');
      await assertNoEgress(opened);
    } finally {
      await opened.close();
    }
  });
});
