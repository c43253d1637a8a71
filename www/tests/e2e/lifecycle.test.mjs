// The Lifecycle view in headless Chromium: stage counts, a stage's CSV export, the transition
// matrix agreeing with the stage counts, stage rules that change the result; both languages.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, assertClean, chartsDrawn, openPage, openSampleView, screenshotPath, startBrowser } from './harness.mjs';

let session;
before(async () => {
  session = await startBrowser();
});
after(async () => {
  await session?.close();
});

const number = (text) => Number(text.replace(/[^\d]/g, ''));

const openLifecycle = (page) => openSampleView(page, 'lifecycle', '#lifecycle-stages .stage-tile');

async function stageCounts(page) {
  return page.locator('#lifecycle-stages .stage-tile').evaluateAll((tiles) => Object.fromEntries(tiles.map((tile) => [tile.dataset.stage, Number(tile.querySelector('.kpi-value').textContent.replace(/[^\d]/g, ''))])));
}

describe('the Lifecycle view', () => {
  test('stages, export, transitions and rules (desktop, English)', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      await openLifecycle(page);
      const counts = await stageCounts(page);
      assert.deepEqual(Object.keys(counts), ['new', 'active', 'at_risk', 'lapsed', 'won_back']);
      assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), 220, 'every customer with a purchase has one stage');

      // Each column of the transition matrix (stage on the later date) adds up to that stage's count.
      const matrix = await page.locator('#lifecycle-transitions tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => Number(td.textContent.replace(/[^\d]/g, '')) || 0)));
      const stages = ['new', 'active', 'at_risk', 'lapsed', 'won_back'];
      stages.forEach((stage, j) => {
        const column = matrix.reduce((sum, row) => sum + row[j + 1], 0);
        assert.equal(column, counts[stage], `column ${stage}`);
      });
      // Time to the second purchase: the Kaplan–Meier caption and the shares back within
      // 30 … 365 days, non-decreasing, beside the observed waits of those who came back.
      const caption = await page.locator('#lifecycle-second > p.caption').first().innerText();
      assert.match(caption, /^Counting the customers still waiting, (half of all customers are estimated to make a second purchase within \d+ days|fewer than half)/);
      const within = await page.locator('#lifecycle-second-within .kpi').evaluateAll((tiles) => tiles.map((tile) => [tile.querySelector('.kpi-label').textContent, tile.querySelector('.kpi-value').textContent]));
      assert.deepEqual(within.map(([label]) => label), [30, 60, 90, 180, 365].map((days) => `Back within ${days} days`));
      const shares = within.map(([, value]) => value).filter((value) => value !== '–').map(Number.parseFloat);
      assert.ok(shares.length >= 4, 'the sample covers a year');
      assert.ok(shares.every((share, i) => i === 0 || share >= shares[i - 1]), `non-decreasing: ${shares}`);
      assert.match(await page.locator('#lifecycle-second-observed').innerText(), /observed waits of the \d+ customers who came back/);
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('desktop-lifecycle-en'), fullPage: true });

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#lifecycle-export-at_risk')]);
      assert.match(download.suggestedFilename(), /^lifecycle-at-risk-2011-12-09\.csv$/);
      const lines = (await readFile(await download.path(), 'utf8')).trim().split('\n');
      assert.equal(lines[0], 'customer_id,stage,last_purchase,days_since_last_purchase,orders,typical_gap_days');
      assert.equal(lines.length - 1, counts.at_risk);
      assert.ok(lines.slice(1).every((line) => line.split(',')[1] === 'at_risk'));

      // A stricter rule moves customers from "active" to "at risk" or beyond.
      await page.selectOption('#lifecycle-at-risk', '1.5');
      // The tiles are redrawn, so the element may be missing for a moment.
      await page.waitForFunction((before) => {
        const text = document.querySelector('[data-stage="at_risk"] .kpi-value')?.textContent;
        return /\d/.test(text ?? '') && Number(text.replace(/[^\d]/g, '')) !== before;
      }, counts.at_risk);
      const stricter = await stageCounts(page);
      assert.ok(stricter.active <= counts.active, 'no more active customers under a stricter rule');
      assert.equal(Object.values(stricter).reduce((a, b) => a + b, 0), 220);
      assert.match(page.url(), /lifecycle\.atRisk=1\.5/);
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });

  test('Vietnamese and phone width', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: PHONE, hash: '#lang=vi' });
    const { page } = opened;
    try {
      await openLifecycle(page);
      assert.equal(await page.locator('#view-heading').innerText(), 'Các giai đoạn vòng đời');
      assert.match(await page.locator('[data-stage="at_risk"] .kpi-label').innerText(), /Có nguy cơ rời bỏ/);
      assert.ok(number(await page.locator('[data-stage="active"] .kpi-value').innerText()) > 0);
      assert.equal(await page.locator('[data-kpi="within-30"] .kpi-label').innerText(), 'Quay lại trong 30 ngày');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no horizontal scrolling of the page');
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('phone-lifecycle-vi'), fullPage: true });
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });
});
