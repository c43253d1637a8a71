// The Products view in headless Chromium on the sample (Online Retail lines): the product table
// (search, sort), a product picked and what is bought with it and next, the cross-sell audience
// exported as CSV and checked against the sample's lines read here under Node, the
// not-a-product list; the element's audience-select with the same ids (the admin example turns
// it into a campaign); English, Vietnamese and a phone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, assertClean, chartsDrawn, openPage, openSampleView, screenshotPath, startBrowser } from './harness.mjs';

const SAMPLE = new URL('../../public/samples/online-retail-sample.csv', import.meta.url);
const PRODUCT = '85123A';

let session;
before(async () => {
  session = await startBrowser();
});
after(async () => {
  await session?.close();
});

const number = (text) => Number(text.replace(/[^\d]/g, ''));

/** The sample's purchase lines (not a cancelled invoice, a positive quantity, a customer): customer → products bought. */
function productsByCustomer() {
  const [header, ...lines] = readFileSync(SAMPLE, 'utf8').trim().split('\n');
  const columns = header.split(',');
  const at = (name) => columns.indexOf(name);
  const bought = new Map();
  for (const line of lines) {
    // The sample's descriptions may hold quoted commas: the fields used are read from both ends.
    const fields = line.split(',');
    const invoice = fields[at('InvoiceNo')];
    const code = fields[at('StockCode')];
    const tail = fields.slice(-5);
    const [quantity, , , customer] = tail;
    if (invoice.startsWith('C') || !(Number(quantity) > 0) || !customer) continue;
    const id = customer.replace(/\.0$/, '');
    if (!bought.has(id)) bought.set(id, new Set());
    bought.get(id).add(code);
  }
  return bought;
}

/** Customers who bought `product` and none of `others`, from the sample's lines. */
function crossSellIds(product, others) {
  return [...productsByCustomer()].filter(([, codes]) => codes.has(product) && !others.some((other) => codes.has(other))).map(([id]) => id).sort();
}

const openProducts = (page) => openSampleView(page, 'products', '#products-table .vt-body .vt-row', { charts: false });

async function pickProduct(page, root = page) {
  // Every analysis the view asked for has answered first: an answer redraws the view, and a
  // redraw between the typing and the click would take the click (the overall pairs' table has
  // the same id, so only the chosen product's name shows that the pick was taken).
  for (let waited = 0; (await root.locator('.loading-card').count()) > 0; waited += 50) {
    assert.ok(waited < 30_000, 'the Products view finished loading');
    await page.waitForTimeout(50);
  }
  await root.locator('#products-pick-input').fill(PRODUCT);
  await root.locator('#products-pick-button').click();
  await root.locator('#products-chosen-name').waitFor();
  await root.locator('#products-together tbody tr').first().waitFor();
  await root.locator('#products-cross-size').waitFor();
}

describe('the Products view', () => {
  test('products, a product picked, bought together, cross-sell CSV (desktop, English)', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      await openProducts(page);
      const products = number(await page.locator('[data-kpi="products"] .kpi-value').innerText());
      assert.ok(products > 1000, `the sample sells many products (${products})`);
      assert.match(await page.locator('#products-table-status').innerText(), new RegExp(`of ${products.toLocaleString('en-GB')} products`));
      // Postage is proposed as not a product: out of the table, listed below it (once the
      // proposal has answered: the table of products can be drawn before it).
      await page.locator('#products-exclude-table tbody tr').first().waitFor({ state: 'attached' });
      const excluded = await page.locator('#products-exclude-table tbody tr').evaluateAll((rows) => rows.map((row) => row.dataset.id));
      assert.ok(excluded.includes('POST'), `POST proposed (${excluded})`);
      await page.fill('#products-search', 'postage');
      await page.waitForFunction(() => /^(0 of|No product)/.test(document.querySelector('#products-table-status').textContent));
      await page.fill('#products-search', 'heart');
      await page.waitForFunction(() => !/^0 of/.test(document.querySelector('#products-table-status').textContent));
      assert.ok(number((await page.locator('#products-table-status').innerText()).split(' of ')[0]) >= 1);
      await page.fill('#products-search', '');
      // Sorted by buyers, the first row has the most.
      await page.locator('#products-table [role="columnheader"] button', { hasText: 'Buyers' }).click();
      await page.waitForSelector('#products-table [aria-sort="descending"] button:text("Buyers")');
      const buyers = await page.locator('#products-table .vt-body .vt-row').evaluateAll((rows) => rows.slice(0, 5).map((row) => Number(row.children[5].textContent.replace(/[^\d]/g, ''))));
      assert.deepEqual(buyers, [...buyers].sort((a, b) => b - a), 'sorted by buyers, most first');
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('desktop-products-en'), fullPage: true });

      await pickProduct(page);
      assert.match(await page.locator('#products-chosen-name').innerText(), /WHITE HANGING HEART T-LIGHT HOLDER/);
      const pairs = await page.locator('#products-together tbody tr').count();
      assert.ok(pairs >= 1, 'something is bought with it');
      await page.locator('#products-next table, #products-next p.muted').first().waitFor();
      // The first pair's product is ticked: the audience is its buyers who never bought it.
      const ticked = await page.locator('#products-together tbody tr').evaluateAll((rows) => rows.filter((row) => row.querySelector('input:checked')).map((row) => row.dataset.other));
      assert.equal(ticked.length, 1);
      const expected = crossSellIds(PRODUCT, ticked);
      assert.equal(Number(await page.locator('#products-cross-size').getAttribute('data-customers')), expected.length);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#products-cross-export')]);
      assert.match(download.suggestedFilename(), /^cross-sell-85123a-2011-12-09\.csv$/);
      const lines = (await readFile(await download.path(), 'utf8')).trim().split('\n');
      assert.match(lines[0], /^customer_id,/);
      assert.deepEqual(lines.slice(1).map((line) => line.split(',')[0]).sort(), expected, 'exactly the buyers of it who never bought the ticked product');
      // Ticking a second product can only make the audience smaller.
      const second = await page.locator('#products-together tbody tr:has(input:not(:checked))').first().getAttribute('data-other');
      if (second) {
        // The list is redrawn on the tick: click once, then wait for the new one.
        await page.locator(`#products-together tr[data-other="${second}"] input`).click();
        await page.waitForFunction((before) => {
          const size = document.querySelector('#products-cross-size');
          return size && Number(size.dataset.customers) <= before && document.querySelectorAll('#products-together input:checked').length === 2;
        }, expected.length);
      }
      await chartsDrawn(page);
      await page.screenshot({ path: screenshotPath('desktop-products-chosen-en'), fullPage: true });
      assert.doesNotMatch(page.url(), /85123A|POST/i, 'no product id in the URL');
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });

  test('the not-a-product list applies to every product figure', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      await openProducts(page);
      const before = number(await page.locator('[data-kpi="products"] .kpi-value').innerText());
      await page.locator('#products-exclude > summary').click();
      await page.locator('#products-exclude-table tr[data-id="POST"] input').uncheck();
      await page.click('#products-exclude-apply');
      await page.waitForFunction((n) => Number(document.querySelector('[data-kpi="products"] .kpi-value')?.textContent.replace(/[^\d]/g, '')) === n + 1, before);
      await page.fill('#products-search', 'POSTAGE');
      await page.waitForFunction(() => /^[1-9]/.test(document.querySelector('#products-table-status').textContent));
      await page.click('#products-exclude-reset');
      await page.waitForFunction((n) => Number(document.querySelector('[data-kpi="products"] .kpi-value')?.textContent.replace(/[^\d]/g, '')) === n, before);
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
        await openProducts(page);
        assert.equal(await page.locator('#view-heading').innerText(), 'Sản phẩm');
        assert.equal(await page.locator('.tabs [data-view="products"]').innerText(), 'Sản phẩm');
        await pickProduct(page);
        assert.match(await page.locator('#products-together-heading').innerText(), /^Mua cùng với /);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, 'no horizontal scrolling of the page');
        await chartsDrawn(page);
        await page.screenshot({ path: screenshotPath(`${name}-products-vi`), fullPage: true });
        await assertClean(opened, session.url);
      } finally {
        await opened.close();
      }
    });
  }

  test('a file without products shows no Products tab', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      await page.evaluate(() => window.customerLens.loadRows([{ customer: 'C1', order: 'A1', date: '2024-01-02', total: 10 }, { customer: 'C2', order: 'A2', date: '2024-02-02', total: 20 }]));
      await page.waitForSelector('body[data-state="ready"] .tabs');
      assert.equal(await page.locator('.tabs [data-view="products"]').count(), 0);
      assert.equal(await page.locator('.tabs [data-view="audiences"]').count(), 1);
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });
});

describe('the cross-sell audience in the element', () => {
  test('audience-select carries the ids of the export; the admin example makes it a campaign', async () => {
    const opened = await openPage(session.browser, new URL('examples/admin.html', session.url).href, { viewport: DESKTOP, readySelector: 'body[data-lens="ready"]' });
    const { page } = opened;
    try {
      await page.evaluate(() => {
        window.__audiences = [];
        document.addEventListener('audience-select', (event) => window.__audiences.push(JSON.parse(JSON.stringify(event.detail))));
        const lens = document.querySelector('customer-lens');
        return lens.load('../samples/online-retail-sample.csv').then(() => lens.setAttribute('view', 'products'));
      });
      const lens = page.locator('customer-lens');
      await lens.locator('#products-table .vt-body .vt-row').first().waitFor();
      await pickProduct(page, lens);
      const ticked = await lens.locator('#products-together tbody tr').evaluateAll((rows) => rows.filter((row) => row.querySelector('input:checked')).map((row) => row.dataset.other));
      await lens.locator('#products-cross-select').click();
      await page.waitForFunction(() => window.__audiences.length === 1);
      const [detail] = await page.evaluate(() => window.__audiences);
      assert.equal(detail.audience, 'crossSell');
      assert.equal(detail.asOf, '2011-12-09');
      assert.deepEqual(detail.params, { bought: [PRODUCT], notBought: ticked });
      assert.deepEqual([...detail.customerIds].sort(), crossSellIds(PRODUCT, ticked));
      assert.match(await page.locator('#action-heading').innerText(), new RegExp(`^Create a campaign for ${detail.customerIds.length} customers$`));
      await page.click('#create-campaign');
      assert.match(await page.locator('#action-status').innerText(), /scheduled for \d+ customers/);
      await page.screenshot({ path: screenshotPath('admin-desktop-cross-sell-en'), fullPage: true });
      await assertClean(opened, session.url);
    } finally {
      await opened.close();
    }
  });
});
