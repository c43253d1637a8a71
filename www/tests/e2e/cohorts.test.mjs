// The Cohorts view in headless Chromium: the triangle with period and metric switches, the
// table behind it, growth accounting and the rate series; English and Vietnamese, desktop and
// phone. Expected figures for the sample's December 2010 cohort (47 customers, 18 back in
// January 2011) were counted from the sample file independently of the engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, assertClean, chartsDrawn, openPage, openSampleView, screenshotPath, startBrowser } from './harness.mjs';

let session;
before(async () => {
  session = await startBrowser();
});
after(async () => {
  await session?.close();
});

const plain = (text) => text.replace(/[\u00a0\u202f]/g, ' ');

const openCohorts = (page) => openSampleView(page, 'cohorts', '#cohort-triangle svg');

/** Rows of the triangle's table alternative as arrays of cell texts. */
async function triangleTable(page) {
  return page.locator('#cohort-triangle-table tbody tr').evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent.replace(/[\u00a0\u202f]/g, ' '))));
}

describe('the Cohorts view', () => {
  test('monthly triangle, metric and period switches, growth accounting (desktop, English)', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      await openCohorts(page);
      assert.match(page.url(), /view=cohorts/);
      assert.equal(plain(await page.locator('[data-kpi="cohorts"] .kpi-value').innerText()), '13', 'Dec 2010 … Dec 2011');

      let rows = await triangleTable(page);
      assert.equal(rows.length, 13);
      assert.deepEqual(rows[0].slice(0, 4), ['Dec 2010', '47', '100%', '38.3%'], '18 of 47 bought again in January');
      assert.equal(rows.at(-1)[0], 'Dec 2011');
      const cells = await page.locator('#cohort-triangle svg g[data-mark="cell"]').first().locator('rect').count();
      assert.equal(cells, (13 * 14) / 2, 'a triangle: 13 + 12 + … + 1 cells');
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('desktop-cohorts-en'), fullPage: true });

      await page.selectOption('#cohort-metric', 'orders');
      await page.waitForFunction(() => document.querySelector('#cohort-triangle-table tbody tr td:nth-of-type(2)')?.textContent === '63');
      rows = await triangleTable(page);
      assert.deepEqual(rows[0].slice(0, 3), ['Dec 2010', '47', '63'], 'the cohort placed 63 orders in its first month');
      assert.match(page.url(), /cohorts\.metric=orders/);

      await page.selectOption('#cohort-metric', 'revenue');
      await page.waitForFunction(() => document.querySelector('#cohort-triangle-table tbody tr td:nth-of-type(2)')?.textContent.startsWith('£'));

      await page.locator('#cohort-period label', { hasText: 'Quarter' }).click();
      await page.waitForFunction(() => document.querySelectorAll('#cohort-triangle-table tbody tr').length === 5);
      rows = await triangleTable(page);
      assert.deepEqual(rows.map((row) => row[0]), ['2010-Q4', '2011-Q1', '2011-Q2', '2011-Q3', '2011-Q4']);
      assert.deepEqual(rows.map((row) => row[1]), ['47', '50', '47', '35', '41'], 'quarterly cohort sizes, 220 customers in all');

      await page.locator('#cohort-period label', { hasText: 'Year' }).click();
      await page.waitForFunction(() => document.querySelectorAll('#cohort-triangle-table tbody tr').length === 2);
      rows = await triangleTable(page);
      assert.deepEqual(rows.map((row) => row.slice(0, 2)), [['2010', '47'], ['2011', '173']], 'yearly cohorts: the December 2010 customers, then the rest');
      assert.match(page.url(), /cohorts\.period=year/);

      await page.locator('#cohort-period label', { hasText: 'Week' }).click();
      await page.waitForFunction(() => document.querySelectorAll('#cohort-triangle-table tbody tr').length > 30);
      rows = await triangleTable(page);
      assert.match(rows[0][0], /^2010-W48$/, 'ISO week of 1 December 2010');
      assert.equal(rows.reduce((sum, row) => sum + Number(row[1]), 0), 220);

      await page.locator('#cohort-period label', { hasText: 'Month' }).click();
      await page.waitForFunction(() => document.querySelectorAll('#cohort-triangle-table tbody tr').length === 13);

      // Growth accounting by revenue (its chart is below the fold: drawn when the page is idle).
      await chartsDrawn(page);
      const bars = page.locator('#cohort-growth svg g[data-mark="bar"] rect');
      assert.equal(await bars.count(), 13 * 4, 'four components per month');
      await page.click('#growth-revenue');
      await page.waitForFunction(() => document.querySelector('#growth-revenue')?.getAttribute('aria-pressed') === 'true');
      await chartsDrawn(page);
      const growthRows = await page.locator('#cohort-growth-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      assert.match(growthRows[0][1], /^£/, 'revenue figures');

      // The rates: "active" is stated with its reason; per customer, retained + lost = S and
      // the rates add up to 100%; the net rates follow S, E and N.
      const windowText = await page.locator('#cohort-rates-window').innerText();
      assert.match(windowText, /^Active = bought in the last \d+ days \((the store’s typical repeat gap|the minimum: the store’s typical repeat gap is [\d.]+ days)\)\.$/);
      assert.match(await page.locator('#cohort-rates-net').innerText(), /Net retention \(E − N\) ÷ S and net churn \(S − E\) ÷ S/);
      const rateRows = async () => page.locator('#cohort-rates tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.replace(/[,\u00a0]/g, ''))));
      const checkRates = (rows) => {
        let churning = 0;
        for (const [label, start, retained, lost, reactivated, acquired, end, retention, churn, netRetention, netChurn] of rows) {
          assert.equal(Number(retained) + Number(lost), Number(start), `${label}: retained + lost = S`);
          assert.ok(Number(retained) + Number(reactivated) <= Number(end), `${label}: E holds the retained and reactivated`);
          if (retention === '–') continue;
          const s = Number(start);
          const close = (text, expected, what) => assert.ok(Math.abs(Number.parseFloat(text) / 100 - expected) < 0.0006, `${label}: ${what} ${text} vs ${expected}`);
          close(retention, Number(retained) / s, 'retention');
          close(churn, Number(lost) / s, 'churn');
          close(netRetention, (Number(end) - Number(acquired)) / s, 'net retention');
          close(netChurn, (s - Number(end)) / s, 'net churn');
          assert.ok(Number.parseFloat(churn) >= 0 && Number.parseFloat(churn) <= 100, `${label}: churn ${churn}`);
          if (Number(lost) > 0) churning += 1;
        }
        return churning;
      };
      const rates = await rateRows();
      assert.equal(rates.length, 13);
      assert.ok(checkRates(rates) > 6, 'with the default window, most months lose customers');
      await page.selectOption('#cohort-window', '90');
      await page.waitForFunction(() => document.querySelector('#cohort-rates-window')?.textContent.includes('90 days (the window you chose)'));
      assert.match(page.url(), /cohorts\.window=90/);
      checkRates(await rateRows());
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });

  test('Vietnamese text and number formats', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP, hash: '#lang=vi' });
    const { page } = opened;
    try {
      await openCohorts(page);
      assert.equal(await page.locator('#view-heading').innerText(), 'Nhóm khách theo kỳ và tỷ lệ giữ chân');
      const rows = await triangleTable(page);
      assert.deepEqual(rows[0].slice(0, 4), ['thg 12 2010', '47', '100%', '38,3%']);
      assert.match(await page.locator('#cohort-rates-window').innerText(), /^Hoạt động = có mua trong \d+ ngày gần nhất/);
      assert.equal(await page.locator('#cohort-rates th[data-column="netChurn"]').textContent(), 'Rời bỏ ròng');
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('desktop-cohorts-vi'), fullPage: true });
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });

  test('phone (390 × 844): the Cohorts view fits the width', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: PHONE, hash: '#lang=vi' });
    const { page } = opened;
    try {
      await openCohorts(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no horizontal scrolling of the page');
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('phone-cohorts-vi'), fullPage: true });
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });
});
