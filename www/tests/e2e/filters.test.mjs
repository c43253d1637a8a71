// Issue 15 in the browser: the Overview dashboard, the filter bar and compare-by on the bundled
// Online Retail sample (it has a Country column): a country is filtered through the bar, the
// Overview's figures change, Cohorts are compared by the first order's country, the filter is
// removed again; the filtered values never reach the URL; English, Vietnamese, a phone; and the
// element's `filter` property, attribute and events on the example admin page. Nothing is
// requested off the origin and the page's CSP is never violated.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, chartsDrawn, foreignRequests, openPage, screenshotPath, startBrowser } from './harness.mjs';

let session;
before(async () => {
  session = await startBrowser();
});
after(async () => {
  await session?.close();
});

const origin = () => session.url.replace(/\/$/, '');
const SAMPLE = readFileSync(new URL('../../public/samples/online-retail-sample.csv', import.meta.url), 'utf8');

/** The fields of one CSV line (quoted fields may hold commas and doubled quotes). */
function csvFields(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') field += line[i++];
    else if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) fields.push(field), (field = '');
    else field += char;
  }
  return [...fields, field];
}

/**
 * New customers per month of the sample, worked out here from its lines: a customer is new in
 * the month of their first invoice that is not a cancellation ('C…', Online Retail's returns).
 */
function newCustomersByMonth(text) {
  const [header, ...lines] = text.trim().split('\n');
  const at = Object.fromEntries(csvFields(header).map((name, i) => [name, i]));
  const first = new Map();
  for (const line of lines) {
    const fields = csvFields(line);
    const customer = fields[at.CustomerID];
    if (!customer || fields[at.InvoiceNo].startsWith('C')) continue;
    const day = fields[at.InvoiceDate].slice(0, 10);
    if (!first.has(customer) || day < first.get(customer)) first.set(customer, day);
  }
  const months = new Map();
  for (const day of first.values()) months.set(day.slice(0, 7), (months.get(day.slice(0, 7)) ?? 0) + 1);
  return months;
}
const plain = (text) => text.replace(/[\u00a0\u202f]/g, ' ');

async function assertClean(opened) {
  assert.deepEqual(foreignRequests(opened.requests, origin()), [], 'no request leaves the origin');
  assert.deepEqual(await opened.issues(), [], 'no console error, page error or CSP violation');
}

async function loadSample(page) {
  await page.click('#load-sample');
  await page.waitForSelector('body[data-state="ready"] #overview-kpis');
  await chartsDrawn(page);
}

/** The summary card's figure `name` (the Overview's first card). */
const metric = async (page, name) => plain(await page.locator(`[data-metric="${name}"] .metric-value`).innerText());

/** Adds `value` of attribute `key` through the filter bar: Add filter, the attribute, a search, the value. */
async function addFilter(page, key, search, value) {
  if (!(await page.locator('#filter-add').evaluate((details) => details.open))) await page.click('#filter-add-button');
  await page.selectOption('#filter-attribute', key);
  await page.fill('#filter-search', search);
  const button = page.locator(`#filter-values .filter-value[data-value="${value}"]`);
  await button.click();
  await page.waitForSelector(`#filter-chips .chip[data-key="${key}"][data-value="${value}"]`);
}

/** Waits until no analysis is pending (every loading card gone) and every chart is drawn. */
async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('.loading-card'));
  await chartsDrawn(page);
}

describe('filter, compare and the overview on the demo page', () => {
  test('a country filtered through the bar changes the Overview; Cohorts compared by first-order country; the filter never in the URL (English, then Vietnamese)', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      await loadSample(page);
      const whole = { orders: await metric(page, 'orders'), revenue: await metric(page, 'revenue') };
      const kpiRevenue = await page.locator('#overview-kpis [data-kpi="revenue"] .kpi-value').innerText();
      assert.equal(await page.locator('#overview-kpis .kpi').count(), 8, 'eight KPI cards');
      assert.match(await page.locator('#overview-kpis [data-kpi="revenue"] .kpi-change').innerText(), /^[▲▼=] |^–$/);
      for (const id of ['overview-customers', 'overview-revenue', 'overview-activeCustomers', 'overview-repeatRate', 'overview-ordersPerCustomer', 'overview-averageOrderValue', 'overview-churnRate']) {
        assert.equal(await page.locator(`#${id} .chart svg`).count(), 1, `${id}: a chart`);
        assert.equal(await page.locator(`#${id} details.table-alternative table`).count(), 1, `${id}: its table`);
      }
      // New customers per month against the count worked out here from the sample's lines.
      const expected = newCustomersByMonth(SAMPLE);
      const rows = await page.locator('#overview-customers-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
      assert.equal(rows.length, 13, 'a row per month, Dec 2010 to Dec 2011');
      assert.deepEqual(rows.slice(0, 3).map((row) => [row[0], Number(row[1])]), [['Dec 2010', expected.get('2010-12')], ['Jan 2011', expected.get('2011-01')], ['Feb 2011', expected.get('2011-02')]]);
      assert.equal(rows.reduce((sum, row) => sum + Number(row[1].replace(/,/g, '')), 0), [...expected.values()].reduce((a, b) => a + b), 'every customer is new once');

      await page.selectOption('#overview-period', 'quarter');
      await settled(page);
      assert.match(await page.locator('#overview-customers-table tbody th').first().textContent(), /^Q[1-4] 20\d\d$/, 'quarters named as such');
      assert.match(page.url(), /overview\.period=quarter/);
      assert.ok(await page.locator('#overview-attributes-table tbody tr').count() > 1, 'countries ranked by revenue');
      assert.equal(await page.locator('#overview-attributes-table tbody tr th').first().innerText().then((text) => text.trim()), 'United Kingdom');

      await addFilter(page, 'country', 'fran', 'France');
      await page.keyboard.press('Escape');
      await page.waitForFunction((orders) => document.querySelector('[data-metric="orders"] .metric-value')?.textContent.replace(/[\u00a0\u202f]/g, ' ') !== orders, whole.orders);
      await settled(page);
      const france = { orders: await metric(page, 'orders'), revenue: await metric(page, 'revenue') };
      assert.notDeepEqual(france, whole, 'the Overview shows the filtered orders');
      assert.ok(Number(france.orders.replace(/,/g, '')) < Number(whole.orders.replace(/,/g, '')));
      assert.notEqual(await page.locator('#overview-kpis [data-kpi="revenue"] .kpi-value').innerText(), kpiRevenue, 'the KPI cards too');
      assert.equal(await page.locator('#acquisition-note').count(), 1, 'the note on acquisition under a filter');
      assert.doesNotMatch(decodeURIComponent(page.url()), /France/, 'filtered values never go into the URL');
      await page.screenshot({ path: screenshotPath('desktop-overview-filtered-en'), fullPage: true });

      await page.click('.tabs [data-view="cohorts"]');
      await page.waitForSelector('#cohort-triangle');
      assert.equal(await page.locator('#filter-chips .chip[data-value="France"]').count(), 1, 'the filter bar is shared by the views');
      assert.equal(await page.locator('#acquisition-note').count(), 1);
      await page.selectOption('#cohort-compare-by', 'country');
      await page.waitForSelector('#cohort-compare .chart svg');
      await settled(page);
      const compared = await page.locator('#cohort-compare-table tbody th').allTextContents();
      assert.ok(compared.includes('France'), `the first order's countries: ${compared.join(', ')}`);
      assert.match(page.url(), /cohorts\.compareBy=country/, 'the hash may name the compared attribute');
      assert.doesNotMatch(decodeURIComponent(page.url()), /France/);
      await page.screenshot({ path: screenshotPath('desktop-cohorts-compare-en'), fullPage: true });

      await page.click('.tabs [data-view="rfm"]');
      await page.waitForSelector('#rfm-controls');
      await page.selectOption('#rfm-compare-by', 'country');
      await page.waitForSelector('#rfm-compare-table');
      const mix = await page.locator('#rfm-compare-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
      assert.ok(mix.length >= 1, 'a row per first-order country');
      for (const row of mix) {
        const shares = row.slice(2).map((text) => Number(text.replace('%', '')));
        assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 100) <= shares.length, `${row[0]}: its customers' segments add up to 100% (rounded): ${row.join(' ')}`);
      }
      await page.click('.tabs [data-view="cohorts"]');
      await page.waitForSelector('#cohort-compare');

      await page.selectOption('#setting-lang', 'vi');
      await page.waitForFunction(() => document.documentElement.lang === 'vi');
      await settled(page);
      assert.match(await page.locator('#cohort-compare-heading').innerText(), /Quốc gia/);
      assert.match(await page.locator('#acquisition-note').innerText(), /toàn bộ lịch sử/);
      await page.screenshot({ path: screenshotPath('desktop-cohorts-compare-filtered-vi'), fullPage: true });
      await page.click('.tabs [data-view="overview"]');
      await page.waitForSelector('#overview-kpis');
      await settled(page);
      assert.equal(await page.locator('#overview-kpis-heading').innerText(), 'Kỳ trọn vẹn gần nhất');
      await page.screenshot({ path: screenshotPath('desktop-overview-filtered-vi'), fullPage: true });

      await page.click('#filter-chips .chip[data-value="France"] .chip-remove');
      await page.waitForFunction((orders) => document.querySelector('[data-metric="orders"] .metric-value')?.textContent.replace(/[\u00a0\u202f]/g, ' ') !== orders, france.orders);
      assert.equal(await page.locator('#acquisition-note').count(), 0, 'no note without a filter');
      assert.equal(await page.locator('#filter-chips .chip').count(), 0);
      await page.click('.tabs [data-view="cohorts"]');
      await page.waitForSelector('#cohort-compare .chart svg');
      await settled(page);
      assert.ok((await page.locator('#cohort-compare-table tbody th').allTextContents()).length > 2, 'unfiltered: several first-order countries');
      await page.screenshot({ path: screenshotPath('desktop-cohorts-compare-vi'), fullPage: true });
      await assertClean(opened);
    } finally {
      await opened.close();
    }
  });

  test('a date range filters the Overview; the Data view has no filter bar', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP });
    const { page } = opened;
    try {
      await loadSample(page);
      const whole = await metric(page, 'dateRange');
      await page.fill('#filter-from', '2011-06-01');
      await page.dispatchEvent('#filter-from', 'change');
      await page.waitForSelector('#filter-chips .chip[data-key="from"]');
      await page.waitForFunction((range) => document.querySelector('[data-metric="dateRange"] .metric-value')?.textContent.replace(/[\u00a0\u202f]/g, ' ') !== range, whole);
      assert.match(await metric(page, 'dateRange'), /^1 Jun 2011 – /);
      await page.click('.tabs [data-view="data"]');
      await page.waitForSelector('.view.data-view');
      assert.equal(await page.locator('#filter-bar').count(), 0, 'how the file was read is not filtered');
      await assertClean(opened);
    } finally {
      await opened.close();
    }
  });

  for (const lang of ['en', 'vi']) {
    test(`phone (390 × 844), ${lang}: the filter bar and the dashboard fit the width`, async () => {
      const opened = await openPage(session.browser, session.url, { viewport: PHONE, hash: `#lang=${lang}` });
      const { page } = opened;
      try {
        await loadSample(page);
        await addFilter(page, 'country', 'germ', 'Germany');
        await settled(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, 'no horizontal scrolling');
        await page.screenshot({ path: screenshotPath(`phone-filter-${lang}`), fullPage: true });
        await assertClean(opened);
      } finally {
        await opened.close();
      }
    });
  }
});

describe('the element’s filter', () => {
  test('the filter property writes the attribute and filters every view; the user’s change is reported as filter-change', async () => {
    const opened = await openPage(session.browser, new URL('examples/admin.html', session.url).href, { readySelector: null });
    const { page } = opened;
    try {
      await page.addInitScript(() => {
        window.__filterEvents = [];
        document.addEventListener('filter-change', (event) => window.__filterEvents.push(JSON.parse(JSON.stringify(event.detail))));
      });
      await page.reload();
      await page.waitForSelector('body[data-lens="ready"]');
      await page.waitForSelector('customer-lens #rfm-segments .tile');
      const scored = () => page.locator('customer-lens [data-kpi="scored"] .kpi-value').innerText();
      const before = await scored();
      await page.evaluate(() => {
        document.querySelector('customer-lens').filter = { country: ['France'] };
      });
      assert.equal(await page.evaluate(() => document.querySelector('customer-lens').getAttribute('filter')), '{"country":["France"]}');
      await page.waitForSelector('customer-lens #filter-chips .chip[data-value="France"]');
      await page.waitForFunction((text) => {
        const value = document.querySelector('customer-lens').shadowRoot.querySelector('[data-kpi="scored"] .kpi-value');
        return value && value.textContent !== text;
      }, before);
      assert.deepEqual(await page.evaluate(() => document.querySelector('customer-lens').filter), { country: ['France'] });

      await page.locator('customer-lens #filter-chips .chip[data-value="France"] .chip-remove').click();
      await page.waitForFunction(() => window.__filterEvents.length === 1);
      assert.deepEqual(await page.evaluate(() => window.__filterEvents), [{ filter: {} }]);
      assert.deepEqual(await page.evaluate(() => document.querySelector('customer-lens').filter), {});
      await page.waitForFunction((text) => document.querySelector('customer-lens').shadowRoot.querySelector('[data-kpi="scored"] .kpi-value')?.textContent === text, before);

      await page.evaluate(() => document.querySelector('customer-lens').setAttribute('filter', '{"country":["Germany"],"from":"2011-01-01"}'));
      await page.waitForSelector('customer-lens #filter-chips .chip[data-value="Germany"]');
      assert.equal(await page.locator('customer-lens #filter-chips .chip[data-key="from"]').count(), 1);
      assert.deepEqual(foreignRequests(opened.requests, origin()), []);
      assert.deepEqual(await opened.issues(), []);
    } finally {
      await opened.close();
    }
  });
});
