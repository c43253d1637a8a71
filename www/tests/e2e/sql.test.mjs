// The "Show SQL" view in headless Chromium: the SQL for the loaded sample in each dialect, with
// the app's settings written into it, copy (clipboard, and the fallback when the browser refuses)
// and download; then the lifetime-value models fitted in the page from a grouped summary of the
// CDNOW sample (grouped here from the committed per-customer summary) against the published
// parameters; English and Vietnamese, desktop and phone.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DESKTOP, PHONE, foreignRequests, openPage, screenshotPath, startBrowser } from './harness.mjs';

/** Fader, Hardie & Lee (2005) on this sample, α in weeks; Gamma-Gamma: Fader & Hardie's note. */
const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, p: 6.25, q: 3.74, v: 15.44 };
/** The BG/NBD parameters must agree with the published ones to two decimals. */
const TWO_DECIMALS = 0.005;
/** The Gamma-Gamma ones are published to two decimals (v rounded down from 15.4477). */
const GAMMA_GAMMA_TOLERANCE = 0.01;
const DAYS_PER_WEEK = 7;

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const CDNOW_SUMMARY = new URL('../../../tests/data/cdnow_customers_summary_with_transactions.csv', import.meta.url);

/**
 * The CDNOW calibration summary (`ID,x,t_x,T,zbar`, times in weeks) as the `clvSummary` query
 * would return it: customers grouped by (x, t_x, T) in days, repeat buyers by (x, m̄), a count each.
 */
async function groupedCdnowSummary() {
  const lines = (await readFile(CDNOW_SUMMARY, 'utf8')).trim().split(/\r?\n/).slice(1);
  const days = (weeks) => String(Math.round(Number(weeks) * DAYS_PER_WEEK * 100) / 100);
  const histories = new Map();
  const spends = new Map();
  const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const line of lines) {
    const [, x, recency, age, meanValue] = line.trim().split(',');
    count(histories, `${x},${days(recency)},${days(age)}`);
    if (Number(x) > 0) count(spends, `${x},${meanValue}`);
  }
  const rows = ['model,frequency,recency_days,t_days,monetary_mean,customers'];
  for (const [key, customers] of histories) {
    const [x, recency, age] = key.split(',');
    rows.push(`bgnbd,${x},${recency},${age},,${customers}`);
  }
  for (const [key, customers] of spends) {
    const [x, meanValue] = key.split(',');
    rows.push(`gamma_gamma,${x},,,${meanValue},${customers}`);
  }
  return { text: `${rows.join('\n')}\n`, customers: lines.length, groups: histories.size + spends.size, histories: histories.size, spends: spends.size };
}

let session;
let cdnow;
before(async () => {
  session = await startBrowser();
  cdnow = await groupedCdnowSummary();
});
after(async () => {
  await session?.close();
});

async function openSql(page) {
  await page.click('#load-sample');
  await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]');
  await page.click('.tabs [data-view="sql"]');
  await page.waitForSelector('#sql-code');
}

const sqlText = (page) => page.locator('#sql-code').textContent();

/**
 * Waits until the SQL shown (rewritten in the worker after each change) contains every one of
 * `includes` and starts with `startsWith`. (The page's CSP forbids eval, so the condition is
 * data, not a function source.)
 */
async function sqlWhere(page, { includes = [], startsWith = '' }, what) {
  await page.waitForFunction(({ includes, startsWith }) => {
    const text = document.querySelector('#sql-code')?.textContent ?? '';
    return text.startsWith(startsWith) && includes.every((part) => text.includes(part));
  }, { includes, startsWith }, { timeout: 10_000 })
    .catch((error) => assert.fail(`the SQL never showed ${what}: ${error.message.split('\n')[0]}`));
  return sqlText(page);
}

async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}

async function uploadSummary(page, name, text) {
  await page.setInputFiles('#sql-fit-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

async function parameters(page) {
  return page.locator('#sql-fit-result [data-parameter]').evaluateAll((rows) => Object.fromEntries(rows.map((row) => [row.dataset.parameter, Number(row.dataset.value)])));
}

async function fitted(page) {
  await page.waitForSelector('#sql-fit-result');
  return parameters(page);
}

function assertPublished(fit) {
  for (const name of ['r', 'alpha', 'a', 'b']) {
    assert.ok(Math.abs(fit[name] - PUBLISHED[name]) < TWO_DECIMALS, `${name} = ${fit[name]}, published ${PUBLISHED[name]}`);
  }
  for (const name of ['p', 'q', 'v']) {
    assert.ok(Math.abs(fit[name] - PUBLISHED[name]) < GAMMA_GAMMA_TOLERANCE, `${name} = ${fit[name]}, published ${PUBLISHED[name]}`);
  }
}

async function assertClean(opened) {
  assert.deepEqual(foreignRequests(opened.requests, session.url.replace(/\/$/, '')), [], 'no request leaves the origin');
  assert.deepEqual(await opened.issues(), [], 'no console error, page error or CSP violation');
}

/** Serious and critical axe-core violations on the page as it is now, one line each. */
async function audit(page) {
  await page.addScriptTag({ path: AXE });
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(' | ')}`);
}

async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('the Show SQL view', () => {
  test('SQL per dialect with the app settings, copy and download; CDNOW fitted from its grouped summary (desktop, English)', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP, hash: '#rfm.bins=4&cohorts.period=quarter' });
    const { page, context } = opened;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.url.replace(/\/$/, '') });
    try {
      await openSql(page);
      assert.match(page.url(), /view=sql/);
      assert.equal(await page.locator('.tabs [data-view="sql"]').innerText(), 'SQL');

      // DuckDB by default: all four queries over "orders", with the sample's columns and the
      // settings from the hash (RFM on 4 bins, quarterly cohorts).
      const duckdb = await sqlText(page);
      assert.match(duckdb, /^-- customer-lens orders:/);
      for (const query of ['rfm', 'cohorts', 'clvSummary']) assert.match(duckdb, new RegExp(`^-- customer-lens ${query}:`, 'm'));
      assert.match(duckdb, /-- Generated for DuckDB;/);
      assert.match(duckdb, /FROM "orders"/);
      assert.match(duckdb, /"CustomerID"/);
      assert.match(duckdb, /scores on 4 bins/);
      assert.match(duckdb, /cohorts by quarter/);
      assert.equal(await page.locator('[data-fact="bins"] dd').innerText(), '1 to 4');
      assert.equal(await page.locator('[data-fact="period"] dd').innerText(), 'quarter');
      assert.match(await page.locator('[data-fact="columns"] dd').innerText(), /Customer: CustomerID/);

      // PostgreSQL quotes names with double quotes, BigQuery with backticks.
      await page.selectOption('#sql-dialect', 'postgres');
      const postgres = await sqlWhere(page, { includes: ['-- Generated for PostgreSQL;'] }, 'PostgreSQL');
      assert.match(postgres, /CAST\("Quantity" AS DOUBLE PRECISION\)/);
      await page.selectOption('#sql-dialect', 'bigquery');
      const bigquery = await sqlWhere(page, { includes: ['-- Generated for BigQuery;'] }, 'BigQuery');
      assert.match(bigquery, /CAST\(`Quantity` AS FLOAT64\)/);
      assert.doesNotMatch(bigquery, /"CustomerID"/);
      assert.notEqual(bigquery, postgres);
      assert.match(page.url(), /sql\.dialect=bigquery/);

      // The CLV summary compact for very large stores: times at the centre of their week.
      await page.selectOption('#sql-query', 'clvSummary');
      await sqlWhere(page, { startsWith: '-- customer-lens clvSummary:', includes: ['times in days\n'] }, 'the exact CLV summary');
      await page.selectOption('#sql-grouping', 'period');
      await sqlWhere(page, { includes: ['times in days at the centre of their period of 7 days'] }, 'the compact CLV summary');
      assert.match(page.url(), /sql\.grouping=period/);

      // One query, a qualified table name.
      await page.selectOption('#sql-query', 'rfm');
      await sqlWhere(page, { startsWith: '-- customer-lens rfm:' }, 'the RFM query alone');
      await page.fill('#sql-table', 'shop.sales.order_lines');
      await page.press('#sql-table', 'Enter');
      const rfm = await sqlWhere(page, { includes: ['FROM `shop`.`sales`.`order_lines`'] }, 'the qualified table');
      assert.doesNotMatch(rfm, /-- customer-lens cohorts:/);
      assert.match(page.url(), /sql\.table=shop\.sales\.order_lines/);
      assert.equal(await page.locator('#sql-grouping').count(), 0, 'the CLV grouping only shows for the CLV summary');

      // Copy: the clipboard holds exactly the SQL shown.
      await page.click('#sql-copy');
      await page.waitForFunction(() => document.querySelector('#sql-status')?.textContent);
      assert.match(await page.locator('#sql-status').innerText(), /^Copied \d+ lines of SQL to the clipboard\.$/);
      assert.ok((await page.evaluate(() => navigator.clipboard.readText())) === rfm, 'the clipboard holds the SQL shown');

      // Download: a .sql file with the same text.
      const file = await downloaded(page, () => page.click('#sql-download'));
      assert.equal(file.name, 'customer-lens-rfm-bigquery.sql');
      assert.ok(file.text === rfm, 'the file holds the SQL shown');
      assert.equal(await page.locator('#sql-status').innerText(), 'Saved customer-lens-rfm-bigquery.sql');
      // A re-render (here, the lens resized) keeps what the last action said.
      await page.evaluate(() => { document.querySelector('#sql-status').dataset.old = 'yes'; });
      await page.setViewportSize({ width: DESKTOP.width - 200, height: DESKTOP.height });
      await page.waitForSelector('#sql-status:not([data-old])');
      assert.equal(await page.locator('#sql-status').innerText(), 'Saved customer-lens-rfm-bigquery.sql');
      await page.setViewportSize(DESKTOP);

      // A table name the engine refuses: its message, and the view still works after.
      await page.fill('#sql-table', '..');
      await page.press('#sql-table', 'Enter');
      await page.waitForSelector('.view.sql .banner.error');
      assert.match(await page.locator('.view.sql .banner.error').innerText(), /table name/);
      await page.fill('#sql-table', 'orders');
      await page.press('#sql-table', 'Enter');
      await sqlWhere(page, { includes: ['FROM `orders`'] }, 'the table again');
      await page.screenshot({ path: screenshotPath('desktop-sql-en'), fullPage: true });

      // The CDNOW sample grouped as the clvSummary query groups it: the published parameters.
      assert.ok(cdnow.groups < cdnow.customers, 'grouping makes fewer rows than customers');
      await uploadSummary(page, 'cdnow-grouped.csv', cdnow.text);
      const weeks = await fitted(page);
      assertPublished(weeks);
      assert.equal(await page.locator('[data-kpi="fitCustomers"] .kpi-value').innerText(), '2,357');
      assert.equal(await page.locator('[data-kpi="fitGroups"] .kpi-value').innerText(), cdnow.groups.toLocaleString('en-GB'));
      assert.equal(await page.locator('[data-kpi="fitGroups"] .kpi-detail').innerText(), `${cdnow.histories.toLocaleString('en-GB')} purchase-history rows · ${cdnow.spends} spend rows`);
      assert.equal(await page.locator('[data-kpi="fitRepeat"] .kpi-value').innerText(), '946');
      assert.match(await page.locator('#sql-fit-bgnbd').innerText(), /buys about [\d.]+ times a year/);
      assert.match(await page.locator('#sql-fit-gamma-gamma').innerText(), /Orders average £35\.17/);
      await page.locator('#sql-fit').scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath('desktop-sql-fit-en'), fullPage: true });

      // Days as the period: the same model, α in days instead of weeks.
      await page.fill('#sql-fit-period', '1');
      await page.press('#sql-fit-period', 'Tab');
      await page.waitForFunction((weeksAlpha) => Number(document.querySelector('[data-parameter="alpha"]')?.dataset.value) > weeksAlpha * 2, weeks.alpha);
      const days = await parameters(page);
      assert.ok(Math.abs(days.alpha / (weeks.alpha * DAYS_PER_WEEK) - 1) < 1e-3, `α ${days.alpha} in days = ${weeks.alpha} weeks × 7`);
      assert.ok(Math.abs(days.r - weeks.r) < 1e-3 && Math.abs(days.a - weeks.a) < 1e-3 && Math.abs(days.b - weeks.b) < 1e-3, 'r, a, b do not depend on the unit');
      assert.match(await page.locator('#sql-fit-bgnbd').innerText(), /α is in 1-day periods/);

      // A period that is not a whole number of days is refused next to the input.
      await page.fill('#sql-fit-period', '2.5');
      await page.press('#sql-fit-period', 'Tab');
      await page.waitForSelector('#sql-fit-period[aria-invalid="true"]');
      assert.equal(await page.locator('#sql-fit-period-hint').innerText(), 'Enter a whole number of days from 1 to 365.');

      // A file that is not a grouped summary: the engine's message beside the file input.
      await uploadSummary(page, 'orders.csv', 'InvoiceNo,CustomerID\n1,2\n');
      await page.waitForSelector('#sql-fit-error');
      assert.match(await page.locator('#sql-fit-error').innerText(), /^The file could not be used: grouped summary, line 1: the header has no 'model' column/);
      assert.equal(await page.locator('#sql-fit-file').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#sql-fit-result').count(), 0, 'no stale result under an error');
      await uploadSummary(page, 'bad-row.csv', 'model,frequency,recency_days,t_days,monetary_mean,customers\nbgnbd,1,20,10,,3\n');
      await page.waitForFunction(() => /line 2: recency_days 20 and t_days 10/.test(document.querySelector('#sql-fit-error')?.textContent ?? ''));
      await assertClean(opened);
    } finally {
      await opened.close();
    }
  });

  test('Vietnamese, copying where the browser has no clipboard, a .csv.gz summary', async () => {
    const opened = await openPage(session.browser, session.url, { viewport: DESKTOP, hash: '#lang=vi' });
    const { page } = opened;
    try {
      await openSql(page);
      assert.equal(await page.locator('.tabs [data-view="sql"]').innerText(), 'Mã SQL');
      assert.equal(await page.locator('#view-heading').innerText(), 'Cùng phân tích này trong kho dữ liệu của bạn');
      assert.equal(await page.locator('#sql-copy').innerText(), 'Sao chép');
      await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
      await page.click('#sql-copy');
      await page.waitForFunction(() => document.querySelector('#sql-status')?.textContent);
      assert.match(await page.locator('#sql-status').innerText(), /^Trình duyệt không cho trang sao chép/);
      // (A selection's text leaves out the final line break.)
      const selected = await page.evaluate(() => getSelection().toString());
      assert.ok(selected === (await sqlText(page)).trimEnd(), 'the whole SQL is selected for Ctrl+C');

      // Compressed as a warehouse export often is: decompressed in the worker.
      await page.setInputFiles('#sql-fit-file', { name: 'cdnow-grouped.csv.gz', mimeType: 'application/gzip', buffer: gzipSync(cdnow.text) });
      assertPublished(await fitted(page));
      assert.equal(await page.locator('#sql-fit-file-name').innerText(), 'cdnow-grouped.csv.gz');
      assert.match(await page.locator('#sql-fit-bgnbd').innerText(), /Khi còn hoạt động, một khách hàng điển hình mua khoảng/);
      assert.equal(await page.locator('[data-kpi="fitCustomers"] .kpi-value').innerText(), '2.357');
      await page.screenshot({ path: screenshotPath('desktop-sql-vi'), fullPage: true });
      await assertClean(opened);
    } finally {
      await opened.close();
    }
  });

  test('no serious or critical axe-core violation: the SQL, a fit, an error (English and Vietnamese)', async () => {
    for (const lang of ['en', 'vi']) {
      // The CSP is bypassed only to inject axe-core; the other tests check it.
      const opened = await openPage(session.browser, session.url, { hash: `#lang=${lang}`, bypassCSP: true });
      const { page } = opened;
      try {
        await openSql(page);
        assert.deepEqual(await audit(page), [], `the SQL (${lang})`);
        await uploadSummary(page, 'cdnow-grouped.csv', cdnow.text);
        await fitted(page);
        assert.deepEqual(await audit(page), [], `a fit (${lang})`);
        await uploadSummary(page, 'empty.csv', '');
        await page.waitForSelector('#sql-fit-error');
        assert.deepEqual(await audit(page), [], `an error (${lang})`);
      } finally {
        await opened.close();
      }
    }
  });

  for (const lang of ['en', 'vi']) {
    test(`phone (390 × 844, ${lang}): the SQL scrolls inside its block, the page does not`, async () => {
      const opened = await openPage(session.browser, session.url, { viewport: PHONE, hash: `#lang=${lang}` });
      const { page } = opened;
      try {
        await openSql(page);
        await uploadSummary(page, 'cdnow-grouped.csv', cdnow.text);
        assertPublished(await fitted(page));
        assert.equal(await horizontalOverflow(page), 0, 'no horizontal scrolling of the page');
        const block = await page.locator('pre.sql-code').evaluate((pre) => ({ scrolls: pre.scrollWidth > pre.clientWidth, width: pre.getBoundingClientRect().width }));
        assert.ok(block.scrolls, 'long SQL lines scroll inside the block');
        assert.ok(block.width <= PHONE.width, 'the block fits the screen');
        await page.screenshot({ path: screenshotPath(`phone-sql-${lang}`), fullPage: true });
        await assertClean(opened);
      } finally {
        await opened.close();
      }
    });
  }
});
