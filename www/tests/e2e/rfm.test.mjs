// The RFM view in headless Chromium: segments, heat map, a segment's customer list, search,
// sorting and the CSV export, in English and Vietnamese, at desktop and phone sizes.
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

const plain = (text) => text.replace(/[\u00a0\u202f]/g, ' ');

const openRfm = (page) => openSampleView(page, 'rfm', '#rfm-segments svg .tile');

describe('the RFM view', () => {
  test('segments, a segment’s customers, search, sort and Export CSV (desktop, English)', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      await openRfm(page);
      assert.match(page.url(), /view=rfm/);
      assert.equal(plain(await page.locator('[data-kpi="scored"] .kpi-value').innerText()), '220', 'customers with a purchase in the sample');
      const tiles = page.locator('#rfm-segments .tile');
      const segmentRows = page.locator('.segment-table tbody tr');
      assert.equal(await segmentRows.count(), 11, 'the eleven named segments');
      const nonEmpty = await segmentRows.evaluateAll((rows) => rows.filter((row) => !row.querySelector('button').disabled).length);
      assert.equal(await tiles.count(), nonEmpty, 'one tile per segment with customers');
      const gridTotal = await page.locator('#rfm-grid svg g[data-mark="text"] text').evaluateAll((texts) => texts.reduce((sum, text) => sum + Number(text.textContent), 0));
      assert.equal(gridTotal, 220, 'the heat map cells hold every scored customer once');
      assert.equal(await page.locator('#rfm-grid svg g[data-mark="cell"] rect').count(), 25, '5 × 5 cells');
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('desktop-rfm-en'), fullPage: true });

      // The Champions row of the segment table gives the size the list must show.
      const championsRow = page.locator('.segment-table tbody tr[data-segment="Champions"]');
      const championsCount = Number(plain(await championsRow.locator('td').first().innerText()).split('\n')[0].replace(/,/g, ''));
      assert.ok(championsCount > 0);
      await page.locator('#rfm-segments .tile[data-segment="Champions"]').click();
      await page.waitForSelector('#rfm-list .vt-body .vt-row');
      assert.match(page.url(), /rfm\.list=segment%3AChampions/);
      assert.equal(plain(await page.locator('#rfm-list-heading').innerText()), `Champions: ${championsCount} customers`);
      assert.equal(plain(await page.locator('#rfm-list-status').innerText()), `${championsCount} of ${championsCount} shown`);
      assert.match(await page.locator('#rfm-list .advice').innerText(), /reward/i, 'meaning and action next to the list');
      // The lifetime-value models add P(alive) and expected value to every row.
      await page.waitForSelector('#rfm-list .vt-head [role="columnheader"]:nth-child(8)');
      assert.deepEqual((await page.locator('#rfm-list .vt-head [role="columnheader"]').allInnerTexts()).slice(6).map((text) => text.trim()), ['P(ALIVE)', 'EXPECTED VALUE']);
      const pAlive = await page.locator('#rfm-list .vt-body .vt-row').first().evaluate((row) => row.children[6].textContent);
      assert.match(pAlive, /^\d+%$/);
      // Sorted by monetary, largest first: the first row's value is the largest shown.
      const monetary = await page.locator('#rfm-list .vt-body .vt-row').evaluateAll((rows) => rows.map((row) => row.children[4].textContent));
      assert.ok(monetary.length > 0);

      // Search narrows the list to ids containing the text.
      const firstId = await page.locator('#rfm-list .vt-body .vt-row').first().locator('[role="cell"]').first().innerText();
      await page.fill('#rfm-search', firstId);
      await page.waitForFunction(() => document.querySelectorAll('#rfm-list .vt-body .vt-row').length === 1);
      assert.equal(plain(await page.locator('#rfm-list-status').innerText()), `1 of ${championsCount} shown`);
      await page.fill('#rfm-search', 'no-such-customer');
      await page.waitForFunction(() => document.querySelectorAll('#rfm-list .vt-body .vt-row').length === 0);
      assert.match(await page.locator('#rfm-list-status').innerText(), /No customer id contains/);
      await page.fill('#rfm-search', '');

      // Sorting by recency, then reversing.
      await page.click('#rfm-list .vt-head [role="columnheader"]:nth-child(3) button');
      const recencies = await page.locator('#rfm-list .vt-body .vt-row').evaluateAll((rows) => rows.map((row) => Number(row.children[2].textContent.replace(/\D/g, ''))));
      assert.deepEqual(recencies, [...recencies].sort((a, b) => b - a), 'recency descending');
      assert.equal(await page.locator('#rfm-list .vt-head [role="columnheader"]:nth-child(3)').getAttribute('aria-sort'), 'descending');
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('desktop-rfm-list-en'), fullPage: true });

      // Export CSV: the file holds exactly this segment's customers.
      const [downloadEvent] = await Promise.all([page.waitForEvent('download'), page.click('#rfm-export')]);
      assert.match(downloadEvent.suggestedFilename(), /^customers-champions-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = await readFile(await downloadEvent.path(), 'utf8');
      const lines = text.trim().split('\n');
      assert.equal(lines[0], 'customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment');
      assert.equal(lines.length - 1, championsCount);
      assert.ok(lines.slice(1).every((line) => line.endsWith(',Champions')), 'every row is a Champion');
      assert.ok(lines.slice(1).some((line) => line.startsWith(`${firstId},`)), 'the listed customer is in the file');

      // Closing the list.
      await page.click('#rfm-list-close');
      assert.equal(await page.locator('#rfm-list').count(), 0);
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });

  test('VIP group list, score levels and as-of date recompute; Vietnamese text', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP, hash: '#lang=vi' });
    const { page } = opened;
    try {
      await openRfm(page);
      assert.equal(await page.locator('#view-heading').innerText(), 'Phân khúc RFM');
      assert.equal(await page.locator('.segment-table tbody tr[data-segment="Champions"] th').innerText(), 'Nhà vô địch');
      await page.locator('[data-kpi="vip"]').click();
      await page.waitForSelector('#rfm-list .vt-body .vt-row');
      const vipCount = Number(plain(await page.locator('[data-kpi="vip"] .kpi-value').innerText()).split(' ')[0].replace(/\./g, ''));
      assert.match(plain(await page.locator('#rfm-list-heading').innerText()), new RegExp(`^Khách hàng VIP: ${vipCount} khách hàng$`));
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('desktop-rfm-vi'), fullPage: true });

      await page.selectOption('#rfm-bins', '3');
      await page.waitForFunction(() => document.querySelectorAll('#rfm-grid svg g[data-mark="cell"] rect').length === 9);
      assert.match(page.url(), /rfm\.bins=3/);

      await page.fill('#rfm-as-of', '2011-06-30');
      await page.locator('#rfm-as-of').dispatchEvent('change');
      await page.waitForFunction(() => document.querySelector('.view-head p')?.textContent.includes('2011'));
      const scored = Number(plain(await page.locator('[data-kpi="scored"] .kpi-value').innerText()).replace(/\./g, ''));
      assert.ok(scored > 0 && scored < 220, `fewer customers had bought by mid-2011: ${scored}`);
      assert.match(page.url(), /rfm\.asOf=2011-06-30/);
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });

  test('the rule editor: change a rule, see what each catches, recover from an invalid table', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      await openRfm(page);
      const champions = async () => Number((await page.locator('.segment-table tbody tr[data-segment="Champions"] td').first().innerText()).split('\n')[0].replace(/\D/g, ''));
      const before = await champions();
      await page.click('#rfm-rules > summary');
      const ruleCustomers = await page.locator('#rfm-rules tbody tr').evaluateAll((rows) => rows.map((row) => Number(row.children[6].textContent.replace(/\D/g, ''))));
      assert.equal(ruleCustomers.reduce((a, b) => a + b, 0), 220, 'the rules share out every scored customer');
      assert.equal(await page.locator('#rule-0-segment').inputValue(), 'Champions');

      // Champions only with the best recency.
      await page.fill('#rule-0-r-from', '5');
      assert.match(await page.locator('#rfm-rules-status').innerText(), /apply/i);
      await page.click('#rfm-rules-apply');
      await page.waitForFunction(() => /rfm\.rules=/.test(location.hash));
      await chartsDrawn(page);
      const after = await champions();
      assert.ok(after < before, `fewer Champions with R 5 only: ${after} < ${before}`);
      assert.equal(await page.locator('#rule-0-r-from').inputValue(), '5', 'the applied rule is shown');
      assert.match(await page.locator('#rfm-rules summary').innerText(), /Your own rules/);

      // A new rule (every score 1–5) moved to the top catches everything: every other rule is shadowed.
      const rules = await page.locator('#rfm-rules tbody tr').count();
      await page.click('#rfm-rules-add');
      assert.equal(await page.locator('#rfm-rules tbody tr').count(), rules + 1);
      await page.fill(`#rule-${rules - 1}-segment`, 'Everyone');
      for (let i = rules - 1; i > 0; i--) await page.click(`#rule-${i}-up`);
      assert.equal(await page.locator('#rule-0-segment').inputValue(), 'Everyone');
      await page.click('#rfm-rules-apply');
      await page.waitForSelector('#rfm-rules tr.shadowed');
      assert.equal(await page.locator('#rfm-rules tr.shadowed').count(), rules, 'every rule below the catch-all is never reached');
      assert.equal(await page.locator('.segment-table tbody tr[data-segment="Everyone"] td').first().innerText().then((text) => text.split('\n')[0]), '220');
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('desktop-rfm-rules-en'), fullPage: true });

      // One rule that does not cover every combination: the engine says so, the editor stays to fix it.
      for (let i = rules; i >= 1; i--) await page.locator(`#rfm-rules tbody tr:nth-child(${i + 1}) button[aria-label^="Remove"]`).click();
      assert.equal(await page.locator('#rfm-rules tbody tr').count(), 1);
      await page.fill('#rule-0-r-from', '5');
      await page.click('#rfm-rules-apply');
      await page.waitForSelector('.view.rfm .banner.error');
      assert.match(await page.locator('.view.rfm .banner.error').innerText(), /\w/);
      await page.click('#rfm-rules-reset');
      await page.waitForSelector('#rfm-segments svg .tile');
      assert.doesNotMatch(page.url(), /rfm\.rules=/);
      assert.equal(await champions(), before, 'the standard rules again');
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });

  for (const lang of ['en', 'vi']) {
    test(`phone (390 × 844), ${lang}: the RFM view fits the width`, async () => {
      const opened = await openPage(session.browser, session.url, { viewport: PHONE, hash: `#lang=${lang}` });
      const { page } = opened;
      try {
        await openRfm(page);
        await page.locator('#rfm-segments .tile').first().click();
        await page.waitForSelector('#rfm-list .vt-body .vt-row');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, 'no horizontal scrolling of the page');
        await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath(`phone-rfm-${lang}`), fullPage: true });
        await assertClean(opened, session.url);
      } finally {
        await opened.close();
      }
    });
  }
});
