// The Audiences view in headless Chromium on the sample: every ready audience with its figures,
// a parameter changed (into the URL as a definition, stated against its default), one exported
// (the CSV holds exactly its members), overlaps and one audience per customer, a custom audience
// built, saved (its definition only, in localStorage) and still there after a reload; in the
// element, audience-select with the audience's ids, which the admin example turns into a
// campaign; English, Vietnamese and a phone.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, assertClean, openPage, openSampleView, screenshotPath, startBrowser } from './harness.mjs';

const READY = ['dueToReorder', 'justSlipped', 'highValueAtRisk', 'oneAndDone', 'vipThankYou', 'winBack', 'replenishment', 'crossSell'];

let session;
before(async () => {
  session = await startBrowser();
});
after(async () => {
  await session?.close();
});

const number = (text) => Number(text.replace(/[^\d]/g, ''));

const openAudiences = (page) => openSampleView(page, 'audiences', '.audience-card[data-audience="winBack"]', { charts: false });

/** Each ready audience's size as its card states it. */
async function sizes(root) {
  return root.locator('.audience-list .audience-card').evaluateAll((cards) => Object.fromEntries(cards.map((card) => [card.dataset.audience, Number(card.querySelector('[data-fact="size"] dd').textContent.split(/\s/)[0].replace(/[^\d]/g, ''))])));
}

/** The customer ids of a downloaded CSV (first column, formula-safe apostrophe removed). */
async function csvIds(download) {
  const lines = (await readFile(await download.path(), 'utf8')).trim().split('\n');
  assert.match(lines[0], /^customer_id/);
  return lines.slice(1).map((line) => line.split(',')[0].replace(/^'(?=[=+\-@])/, '').replace(/^"|"$/g, '')).sort();
}

describe('the Audiences view', () => {
  test('ready audiences, a parameter, an export, overlaps, a custom audience (desktop, English)', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      await openAudiences(page);
      const before = await sizes(page);
      for (const id of READY) assert.ok(id in before, `${id} is listed`);
      for (const id of Object.keys(before)) {
        const card = page.locator(`.audience-card[data-audience="${id}"]`);
        assert.ok((await card.locator('h2').innerText()).length > 0, `${id} has a name`);
        assert.ok((await card.locator('.audience-definition').innerText()).length > 10, `${id} has a definition`);
      }
      await page.screenshot({ path: screenshotPath('desktop-audiences-en'), fullPage: true });

      // Export: the CSV holds exactly the members.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audience-winBack-export')]);
      assert.match(download.suggestedFilename(), /^audience-win-back-2011-12-09\.csv$/);
      assert.equal((await csvIds(download)).length, before.winBack);

      // Overlaps: no pair shares more customers than the smaller audience has.
      const cells = await page.locator('#audiences-overlap-table tbody tr').evaluateAll((rows) => rows.flatMap((row) => [...row.querySelectorAll('td[data-n]')].map((cell, j) => ({ row: row.dataset.audience, column: j, n: Number(cell.dataset.n) }))));
      assert.ok(cells.length > 0);
      const ids = Object.keys(before);
      for (const cell of cells) assert.ok(cell.n <= before[cell.row], `${cell.row}: ${cell.n}`);
      // One audience per customer: the sizes then add up to the customers in any audience.
      const distinct = number(await page.locator('[data-kpi="distinct"] .kpi-value').innerText());
      assert.ok(distinct <= Object.values(before).reduce((a, b) => a + b, 0));
      await page.check('#audiences-exclusive');
      await page.waitForFunction(() => /audiences\.exclusive=1/.test(location.hash));
      await page.waitForFunction((total) => {
        const cells = [...document.querySelectorAll('.audience-list .audience-card [data-fact="size"] dd')];
        return cells.length && cells.reduce((sum, cell) => sum + Number(cell.textContent.replace(/[^\d]/g, '')), 0) === total;
      }, distinct);
      assert.ok(ids.length >= READY.length);
      await page.uncheck('#audiences-exclusive');
      await page.waitForFunction(() => !/audiences\.exclusive=1/.test(location.hash));

      // A parameter changed: the definition goes into the URL, the default is still stated.
      const input = page.locator('.audience-card[data-audience="dueToReorder"] .audience-params input').first();
      const original = Number(await input.inputValue());
      await input.fill(String(original * 2 || 7));
      await input.press('Enter');
      await input.blur();
      await page.waitForFunction(() => /audiences\.params=/.test(location.hash));
      await page.waitForSelector('.audience-card[data-audience="dueToReorder"] .param-default.changed');
      assert.match(await page.locator('.audience-card[data-audience="dueToReorder"] .param-default.changed').first().innerText(), /^default /);
      await page.click('#audiences-defaults');
      await page.waitForFunction(() => !/audiences\.params=/.test(location.hash));

      // A custom audience: lapsed customers with two purchases or more.
      await page.fill('#builder-name', 'Lapsed repeat buyers');
      await page.locator('#builder-stages input[value="lapsed"]').check();
      await page.waitForFunction(() => /\d/.test(document.querySelector('#builder-count')?.dataset.n ?? ''));
      await page.fill('#builder-purchases-min', '2');
      await page.locator('#builder-purchases-min').press('Tab');
      await page.waitForFunction(() => document.querySelector('#builder-purchases-min')?.value === '2' && /\d/.test(document.querySelector('#builder-count')?.dataset.n ?? ''));
      const count = Number(await page.locator('#builder-count').getAttribute('data-n'));
      assert.ok(count > 0, 'some lapsed customers bought twice');
      // The name survives the re-renders of the conditions.
      if ((await page.locator('#builder-name').inputValue()) === '') await page.fill('#builder-name', 'Lapsed repeat buyers');
      await page.click('#builder-save');
      const custom = page.locator('.audience-card.custom[data-audience="custom:Lapsed repeat buyers"]');
      await custom.waitFor();
      assert.equal(number(await custom.locator('[data-fact="size"] dd').innerText()), count);
      const stored = await page.evaluate(() => localStorage.getItem('customer-lens.audiences'));
      assert.deepEqual(JSON.parse(stored), [{ name: 'Lapsed repeat buyers', segments: [], stages: ['lapsed'], pAlive: [null, null], value: [null, null], recencyDays: [null, null], purchases: [2, null] }], 'the definition only');
      const [customDownload] = await Promise.all([page.waitForEvent('download'), custom.locator('button').first().click()]);
      assert.equal((await csvIds(customDownload)).length, count);
      await page.screenshot({ path: screenshotPath('desktop-audiences-builder-en'), fullPage: true });

      // Another visit (the URL without its hash: the page starts on the Overview).
      await page.goto(session.url);
      await openAudiences(page);
      await custom.waitFor();
      assert.equal(number(await custom.locator('[data-fact="size"] dd').innerText()), count, 'kept across visits');
      await custom.locator('button', { hasText: 'Delete' }).click();
      await page.waitForFunction(() => !document.querySelector('.audience-card.custom'));
      assert.equal(await page.evaluate(() => localStorage.getItem('customer-lens.audiences')), '[]');
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });

  for (const [viewport, name] of [[DESKTOP, 'desktop'], [PHONE, 'phone']]) {
    test(`Vietnamese, ${name}`, async () => {
      const opened = await openPage(session.browser, session.url, { viewport, hash: '#lang=vi' });
      const { page } = opened;
      try {
        await openAudiences(page);
        assert.equal(await page.locator('#view-heading').innerText(), 'Liên hệ với ai, và vì sao');
        assert.equal(await page.locator('#audiences-builder-heading').innerText(), 'Tạo tệp khách hàng');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, 'no horizontal scrolling of the page');
        await page.screenshot({ path: screenshotPath(`${name}-audiences-vi`), fullPage: true });
        await assertClean(opened, session.url);
      } finally {
        await opened.close();
      }
    });
  }
});

describe('audiences in the element', () => {
  test('audience-select carries the audience\'s ids; the admin example makes it a campaign; custom audiences go to the host', async () => {
    const opened = await openPage(session.browser, new URL('examples/admin.html', session.url).href, { viewport: DESKTOP, readySelector: 'body[data-lens="ready"]' });
    const { page } = opened;
    try {
      await page.evaluate(() => {
        window.__events = [];
        for (const type of ['audience-select', 'custom-audiences-change']) document.addEventListener(type, (event) => window.__events.push({ type, detail: JSON.parse(JSON.stringify(event.detail)) }));
        document.querySelector('customer-lens').setAttribute('view', 'audiences');
      });
      const lens = page.locator('customer-lens');
      await lens.locator('.audience-card[data-audience="winBack"]').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), lens.locator('#audience-winBack-export').click()]);
      const expected = await csvIds(download);
      await lens.locator('#audience-winBack-select').click();
      await page.waitForFunction(() => window.__events.some((event) => event.type === 'audience-select'));
      const { detail } = (await page.evaluate(() => window.__events)).find((event) => event.type === 'audience-select');
      assert.equal(detail.audience, 'winBack');
      assert.equal(detail.asOf, '2011-12-09');
      assert.equal(typeof detail.params, 'object');
      assert.deepEqual([...detail.customerIds].sort(), expected, 'the ids of the audience\'s CSV');
      assert.equal(await page.locator('#action-heading').innerText(), `Create a campaign for ${expected.length} customers`);
      await page.click('#create-campaign');
      assert.match(await page.locator('#action-status').innerText(), /scheduled for \d+ customers/);
      await page.screenshot({ path: screenshotPath('admin-desktop-audience-en'), fullPage: true });

      // A custom audience: the element tells the host, and writes nothing to the page's storage itself.
      await lens.locator('#builder-name').fill('VIP check');
      await lens.locator('#builder-save').click();
      await page.waitForFunction(() => window.__events.some((event) => event.type === 'custom-audiences-change'));
      const change = (await page.evaluate(() => window.__events)).find((event) => event.type === 'custom-audiences-change');
      assert.equal(change.detail.audiences[0].name, 'VIP check');
      assert.equal(await page.evaluate(() => localStorage.getItem('customer-lens.audiences')), null, 'no storage of the element’s own');
      assert.deepEqual(await page.evaluate(() => document.querySelector('customer-lens').customAudiences.map((a) => a.name)), ['VIP check']);
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });
});
