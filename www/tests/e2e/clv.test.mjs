// The lifetime-value view in headless Chromium: models, lists with median next-order dates and their
// CSV exports, the holdout check; English and Vietnamese, desktop and phone.
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

const CLV_HEADER = 'customer_id,frequency,recency,T,monetary_mean,p_alive,expected_purchases,expected_order_value,clv,p_purchase_30d,next_order_date';

const openClv = (page) => openSampleView(page, 'clv', '#clv-model');

async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}

describe('the lifetime-value view', () => {
  test('models, lists, exports and the holdout check (desktop, English)', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      await openClv(page);
      assert.match(page.url(), /view=clv/);
      // The page fits the three purchase models and keeps the best; on the sample (where every
      // plain fit says nobody leaves, so the fits are penalised) that is Pareto/NBD.
      assert.equal(await page.locator('#clv-model-choice').inputValue(), 'auto');
      assert.equal(await page.locator('#clv-purchase-model').getAttribute('data-model'), 'paretoNbd');
      assert.match(await page.locator('#clv-model-choice-reason').innerText(), /^Chosen automatically: Pareto\/NBD fits the purchases before the calibration end best: log-likelihood -?[\d.]+, against BG\/NBD -?[\d.]+, MBG\/NBD /);
      const parameters = await page.locator('#clv-model .parameters tbody th').allInnerTexts();
      assert.deepEqual(parameters, ['r', 'α', 's', 'β', 'p', 'q', 'v'], 'Pareto/NBD and Gamma-Gamma parameters');
      assert.match(await page.locator('#clv-model').innerText(), /times a year/);
      assert.match(await page.locator('#clv-model').innerText(), /chance of leaving within a year/);
      assert.ok(await page.locator('#clv-warnings li[data-code="penalized_fit"]').count() === 1, 'the penalty is explained');
      // The fit check: per period and cumulated, and customers by repeat purchases.
      assert.equal(await page.locator('#clv-fit svg').count(), 3);
      assert.match(await page.locator('#clv-fit').innerText(), /Model \(Pareto\/NBD\)/);
      // Totals with 90% intervals, per RFM segment too.
      assert.match(await page.locator('[data-kpi="purchases"] .kpi-detail').innerText(), /^in the next 365 days · 90% interval [\d,]+ – [\d,]+$/);
      assert.ok(await page.locator('#clv-segments tbody tr').count() >= 3);
      assert.match(await page.locator('[data-kpi="total"] .kpi-value').innerText(), /^£[\d,]+\.\d\d$/);
      // CLV sums whole 30-day months: the label says which, not the 365-day horizon.
      assert.equal(await page.locator('[data-kpi="total"] .kpi-label').innerText(), 'CLV, next 12 months (360 days)');

      assert.match(await page.locator('#clv-distribution').innerText(), /over the next 12 months \(360 days\)/);
      const nextHeader = page.locator('#clv-list-likelyToBuy thead th[title]');
      assert.equal(await nextHeader.textContent(), 'Median next order');
      assert.match(await nextHeader.getAttribute('title'), /^the median of the waiting time/);
      assert.equal(await page.locator('#clv-distribution svg').count(), 1);
      assert.equal(await page.locator('#clv-matrix svg').count(), 1);
      // Beside it, the expected purchases over the horizon on the same grid: none expected of a
      // long-gone one-time buyer's row is more than of the most recent frequent buyer's.
      assert.equal(await page.locator('#clv-expected-matrix svg').count(), 1);
      assert.match(await page.locator('#clv-expected-matrix').innerText(), /Repeat purchases the model expects in the next 365 days/);
      const expectedRows = await page.locator('#clv-expected-matrix-table tbody tr').evaluateAll((rows) => rows.map((row) => [...row.children].slice(1).map((cell) => Number.parseFloat(cell.textContent.replace(/,/g, '')))));
      assert.ok(expectedRows.length >= 2 && expectedRows.flat().every(Number.isFinite), 'a number in every cell');
      assert.ok(expectedRows[0].at(-1) > expectedRows.at(-1)[0], 'most frequent and recent above one-time and long ago');
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('desktop-clv-en'), fullPage: true });

      // The "likely to buy" list: ranked by P(buy in 30 days), each with a next-order date.
      const likely = page.locator('#clv-list-likelyToBuy tbody tr');
      const shown = await likely.count();
      assert.ok(shown > 0 && shown <= 20);
      const p30 = await likely.evaluateAll((rows) => rows.map((row) => Number.parseFloat(row.children[1].textContent)));
      assert.deepEqual(p30, [...p30].sort((a, b) => b - a), 'highest probability first');
      const list = await downloaded(page, () => page.click('#clv-export-likelyToBuy'));
      assert.match(list.name, /^clv-likely-to-buy-2011-12-09\.csv$/);
      const listLines = list.text.trim().split('\n');
      assert.equal(listLines.length - 1, shown);
      assert.equal(listLines[1].split(',')[0], await likely.first().locator('th').innerText(), 'same first customer');

      const all = await downloaded(page, () => page.click('#clv-export-all'));
      const allLines = all.text.trim().split('\n');
      assert.equal(allLines[0], CLV_HEADER);
      assert.equal(allLines.length - 1, 220, 'every customer with a purchase');

      // A 90-day horizon: three months of CLV.
      await page.selectOption('#clv-horizon', '90');
      await page.waitForFunction(() => document.querySelector('[data-kpi="total"] .kpi-label')?.textContent === 'CLV, next 3 months (90 days)');
      assert.match(await page.locator('#clv-expected-matrix').innerText(), /in the next 90 days/);
      await page.selectOption('#clv-horizon', '365');
      await page.waitForFunction(() => document.querySelector('[data-kpi="total"] .kpi-label')?.textContent === 'CLV, next 12 months (360 days)');

      // Holdout: fit without the last 90 days and compare with what happened.
      await page.selectOption('#clv-holdout', '90');
      await page.waitForSelector('#clv-holdout-total');
      assert.match(page.url(), /clv\.holdout=90/);
      assert.equal(await page.locator('#clv-calibration-end').inputValue(), '2011-09-10', '90 days before 9 December 2011');
      assert.match(await page.locator('#clv-holdout-total').innerText(), /^Predicted [\d,]+ repeat purchases; [\d,]+ happened/);
      await chartsDrawn(page);
      assert.equal(await page.locator('#clv-holdout svg').count(), 1);
      await page.screenshot({ path: screenshotPath('desktop-clv-holdout-en'), fullPage: true });
      // With a holdout, the choice goes by how well each model predicted it.
      assert.match(await page.locator('#clv-model-choice-reason').innerText(), /predicted the holdout best/);
      assert.equal(await page.locator('#clv-model-choice-reason').getAttribute('data-criterion'), 'holdout');

      // Each model by hand: its parameters, its fit check, and its CSV (the same columns).
      for (const [model, shapes] of [['bgNbd', ['a', 'b']], ['mbgNbd', ['a', 'b']], ['paretoNbd', ['s', 'β']]]) {
        await page.selectOption('#clv-model-choice', model);
        await page.waitForSelector(`#clv-purchase-model[data-model="${model}"]`);
        assert.match(page.url(), new RegExp(`clv\\.model=${model}`));
        const names = await page.locator('#clv-purchase-model .parameters tbody th').allInnerTexts();
        assert.deepEqual(names, ['r', 'α', ...shapes], model);
        assert.equal(await page.locator('#clv-model-choice-reason').getAttribute('data-criterion'), 'user');
        await chartsDrawn(page);
        assert.equal(await page.locator('#clv-fit svg').count(), 3, `${model}: fit-check charts`);
        const csv = await downloaded(page, () => page.click('#clv-export-all'));
        const lines = csv.text.trim().split('\n');
        assert.equal(lines[0], CLV_HEADER, `${model}: CSV header`);
        assert.equal(lines.length - 1, 165, `${model}: every customer who bought before the holdout`);
      }
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });

  test('a link from before shares (#clv.margin=30) still means 30%, and a discount rate of 0 stays 0', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP, hash: '#clv.margin=30&clv.discount=0' });
    try {
      await openClv(opened.page);
      assert.equal(await opened.page.locator('#clv-margin').inputValue(), '30');
      assert.equal(await opened.page.locator('#clv-discount').inputValue(), '0');
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });

  test('margin and monthly discount rate: percentages in the inputs, shares (0–1) in the URL hash', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP, hash: '#clv.margin=0.5' });
    const { page } = opened;
    const totalClv = async () => Number((await page.locator('[data-kpi="total"] .kpi-value').innerText()).replace(/[^\d.]/g, ''));
    try {
      await openClv(page);
      assert.equal(await page.locator('#clv-margin').inputValue(), '50');
      assert.equal(await page.locator('#clv-discount').inputValue(), '1');
      const atHalf = await totalClv();
      await page.fill('#clv-margin', '100');
      await page.press('#clv-margin', 'Tab');
      await page.waitForFunction((before) => {
        const text = document.querySelector('[data-kpi="total"] .kpi-value')?.textContent ?? '';
        return Number(text.replace(/[^\d.]/g, '')) > before;
      }, atHalf);
      assert.doesNotMatch(page.url(), /clv\.margin/, 'the default margin (1) is not written');
      const atFull = await totalClv();
      assert.ok(Math.abs(atHalf / atFull - 0.5) < 0.001, `CLV scales with the margin (${atHalf} / ${atFull})`);
      await page.fill('#clv-discount', '2.5');
      await page.press('#clv-discount', 'Tab');
      await page.waitForFunction(() => /clv\.discount=0\.025/.test(location.hash));
      await page.waitForFunction((before) => {
        const text = document.querySelector('[data-kpi="total"] .kpi-value')?.textContent ?? '';
        return Number(text.replace(/[^\d.]/g, '')) < before;
      }, atFull);
      assert.equal(await page.locator('#clv-discount').inputValue(), '2.5');
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });

  test('Vietnamese text, warnings included', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP, hash: '#lang=vi' });
    const { page } = opened;
    try {
      await openClv(page);
      assert.equal(await page.locator('#view-heading').innerText(), 'Giá trị vòng đời khách hàng');
      assert.equal(await page.locator('#clv-lists-heading').innerText(), 'Nên liên hệ ai, và khi nào');
      assert.equal(await page.locator('[data-kpi="total"] .kpi-label').innerText(), 'CLV, 12 tháng tới (360 ngày)');
      assert.equal(await page.locator('#clv-list-likelyToBuy thead th[title]').textContent(), 'Ngày trung vị của đơn tiếp theo');
      const warnings = page.locator('#clv-warnings li');
      for (let i = 0; i < (await warnings.count()); i++) {
        const item = warnings.nth(i);
        const first = await item.evaluate((li) => li.firstChild.textContent);
        assert.doesNotMatch(first, /^The /, `warning ${await item.getAttribute('data-code')} is in Vietnamese`);
      }
      // The automatic choice is worded in Vietnamese from its code and figures.
      assert.match(await page.locator('#clv-model-choice-reason').innerText(), /^Chọn tự động: Pareto\/NBD khớp nhất với các lần mua/);
      assert.equal(await page.locator('#clv-expected-matrix-heading').innerText(), 'Số lần mua dự kiến theo lịch sử mua');
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('desktop-clv-vi'), fullPage: true });
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });

  test('phone (390 × 844): the lifetime-value view fits the width', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: PHONE });
    const { page } = opened;
    try {
      await openClv(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no horizontal scrolling of the page');
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('phone-clv-en'), fullPage: true });
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });
});
