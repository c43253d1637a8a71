// What a user notices beyond the numbers, in headless Chromium: charts saved as SVG and PNG,
// keyboard navigation with a visible focus, the dark theme, the printed report, and an axe-core
// audit of the demo page and the example admin page (no serious or critical violation).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, chartsDrawn, foreignRequests, loadSample, openPage, screenshotPath, startBrowser } from './harness.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let session;
before(async () => {
  session = await startBrowser();
});
after(async () => {
  await session?.close();
});

const origin = () => session.url.replace(/\/$/, '');


async function openView(page, view) {
  await page.click(`.tabs [data-view="${view}"]`);
  await page.waitForSelector(`.view.${view}`);
  await page.waitForFunction(() => !document.querySelector('.loading-card'));
  await chartsDrawn(page);
}

async function openAdmin(options = {}) {
  const opened = await openPage(session.browser, new URL('examples/admin.html', session.url).href, { readySelector: null, ...options });
  await opened.page.waitForSelector('body[data-lens="ready"]');
  await opened.page.waitForSelector('customer-lens #rfm-segments .tile');
  await opened.page.waitForFunction(() => !document.querySelector('customer-lens').shadowRoot.querySelector('.deferred'));
  return opened;
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'a PNG signature');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('chart export', () => {
  test('every chart card offers SVG and PNG; the SVG stands alone, the PNG is the chart at 2×', async () => {
    const opened = await openPage(session.browser, session.url);
    const { page } = opened;
    try {
      await loadSample(page);
      await openView(page, 'rfm');
      const cards = await page.locator('.card:has(.chart)').count();
      assert.equal(await page.locator('.card:has(.chart) .chart-actions [data-export="svg"]').count(), cards, 'one SVG button per chart');
      assert.equal(await page.locator('.card:has(.chart) .chart-actions [data-export="png"]').count(), cards, 'one PNG button per chart');
      assert.equal(await page.locator('#rfm-pareto [data-export="svg"]').getAttribute('aria-label'), 'Download “How concentrated revenue is” as SVG');

      const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#rfm-pareto [data-export="svg"]')]);
      assert.equal(svgDownload.suggestedFilename(), 'rfm-pareto.svg');
      const svgText = readFileSync(await svgDownload.path(), 'utf8');
      assert.match(svgText, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      const parsed = await page.evaluate((text) => {
        const svg = new DOMParser().parseFromString(text, 'image/svg+xml');
        if (svg.querySelector('parsererror')) return null;
        const root = svg.documentElement;
        return { width: root.getAttribute('width'), paths: svg.querySelectorAll('path').length, texts: svg.querySelectorAll('text').length, backdrop: root.firstElementChild.getAttribute('fill'), styled: svg.querySelectorAll('text[font-family]').length };
      }, svgText);
      assert.ok(parsed, 'well-formed SVG');
      assert.ok(parsed.paths > 0 && parsed.texts > 0, 'the curve and its axes');
      assert.equal(parsed.backdrop, 'rgb(255, 255, 255)', 'the card’s background behind the chart');
      assert.equal(parsed.styled, parsed.texts, 'fonts written into the file (the stylesheet does not travel)');

      const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#rfm-segments [data-export="png"]')]);
      assert.equal(pngDownload.suggestedFilename(), 'rfm-segments.png');
      const size = pngSize(readFileSync(await pngDownload.path()));
      const shown = await page.locator('#rfm-segments svg.treemap').boundingBox();
      assert.equal(size.width, Math.round(shown.width * 2));
      assert.equal(size.height, Math.round(shown.height * 2));

      assert.deepEqual(foreignRequests(opened.requests, origin()), []);
      assert.deepEqual(await opened.issues(), [], 'PNG export under the page’s CSP (blob: images)');
    } finally {
      await opened.close();
    }
  });

  test('inside the element on the admin page, under the admin page’s own CSP', async () => {
    const opened = await openAdmin();
    const { page } = opened;
    try {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('customer-lens #rfm-grid [data-export="png"]').click()]);
      assert.equal(download.suggestedFilename(), 'rfm-grid.png');
      assert.ok(pngSize(readFileSync(await download.path())).width > 300);
      assert.deepEqual(await opened.issues(), []);
    } finally {
      await opened.close();
    }
  });
});

describe('keyboard', () => {
  test('in the element: arrow keys between views, Enter opens one, a segment tile opens with the keyboard, focus is visible', async () => {
    const opened = await openAdmin();
    const { page } = opened;
    try {
      const activeInLens = () => page.evaluate(() => {
        const active = document.querySelector('customer-lens').shadowRoot.activeElement;
        return active ? { view: active.dataset.view ?? null, segment: active.dataset.segment ?? null, outline: getComputedStyle(active).outlineStyle } : null;
      });
      await page.locator('customer-lens .tabs [data-view="rfm"]').focus();
      await page.keyboard.press('ArrowRight');
      assert.equal((await activeInLens()).view, 'cohorts');
      assert.notEqual((await activeInLens()).outline, 'none', 'a visible focus ring inside the shadow root');
      await page.keyboard.press('End');
      assert.equal((await activeInLens()).view, 'data');
      await page.keyboard.press('Home');
      assert.equal((await activeInLens()).view, 'overview');
      await page.keyboard.press('ArrowLeft');
      assert.equal((await activeInLens()).view, 'data', 'wraps around');
      // Back from the last tab to Cohorts, over however many views the book shows.
      const tabs = await page.locator('customer-lens .tabs [data-view]:visible').evaluateAll((all) => all.map((tab) => tab.dataset.view));
      for (let i = 0; i < tabs.length - 1 - tabs.indexOf('cohorts'); i++) await page.keyboard.press('ArrowLeft');
      assert.equal((await activeInLens()).view, 'cohorts');
      await page.keyboard.press('Enter');
      await page.waitForSelector('customer-lens .view.cohorts');
      assert.equal(await page.locator('customer-lens').getAttribute('view'), 'cohorts', 'the view attribute follows the user');

      await page.locator('customer-lens .tabs [data-view="rfm"]').click();
      await page.waitForSelector('customer-lens #rfm-segments .tile');
      await page.keyboard.press('Shift'); // the keyboard again, after the click
      await page.locator('customer-lens #rfm-segments .tile[data-segment="At Risk"]').focus();
      const ring = await page.evaluate(() => getComputedStyle(document.querySelector('customer-lens').shadowRoot.activeElement.querySelector('rect')).strokeWidth);
      assert.equal(ring, '4px', 'a focused tile is outlined');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.body.dataset.selection === 'At Risk');
      assert.deepEqual(await opened.issues(), []);
    } finally {
      await opened.close();
    }
  });
});

describe('themes and print', () => {
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  };

  test('the element in its dark theme, and the demo page following the system’s', async () => {
    const opened = await openAdmin();
    const { page } = opened;
    try {
      const cardBackground = () => page.evaluate(() => getComputedStyle(document.querySelector('customer-lens').shadowRoot.querySelector('.card')).backgroundColor);
      assert.ok(luminance(await cardBackground()) > 0.9, 'light by default, whatever the system says');
      await page.evaluate(() => document.querySelector('customer-lens').setAttribute('theme', 'dark'));
      assert.ok(luminance(await cardBackground()) < 0.2, 'dark cards');
      const text = await page.evaluate(() => getComputedStyle(document.querySelector('customer-lens').shadowRoot.querySelector('.view-title')).color);
      assert.ok(luminance(text) > 0.8, 'light text');
      await page.locator('customer-lens').screenshot({ path: screenshotPath('admin-element-dark-en') });
    } finally {
      await opened.close();
    }
    const demo = await openPage(session.browser, session.url, { colorScheme: 'dark', viewport: PHONE });
    try {
      await loadSample(demo.page);
      await openView(demo.page, 'cohorts');
      const background = await demo.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.ok(luminance(background) < 0.2, 'the demo follows a dark system');
      await demo.page.screenshot({ path: screenshotPath('phone-cohorts-dark-en'), fullPage: true });
      await demo.page.selectOption('#setting-theme', 'light');
      assert.ok(luminance(await demo.page.evaluate(() => getComputedStyle(document.body).backgroundColor)) > 0.9, 'unless told otherwise');
      assert.match(demo.page.url(), /theme=light/);
      assert.deepEqual(await demo.issues(), []);
    } finally {
      await demo.close();
    }
  });

  test('the printed report leaves out the controls', async () => {
    const opened = await openPage(session.browser, session.url);
    const { page } = opened;
    try {
      await loadSample(page);
      await openView(page, 'rfm');
      await page.emulateMedia({ media: 'print' });
      for (const selector of ['.tabs', '#print-report', '#rfm-controls', '.chart-actions', '.topbar .settings']) {
        assert.equal(await page.locator(selector).first().isVisible(), false, `${selector} is not printed`);
      }
      assert.equal(await page.locator('#rfm-segments svg').isVisible(), true, 'the charts are');
      await page.screenshot({ path: screenshotPath('desktop-print-rfm-en'), fullPage: true });
    } finally {
      await opened.close();
    }
  });
});

describe('accessibility (axe-core)', () => {
  /** Serious and critical violations on the page as it is now, one line each. */
  async function audit(page) {
    await page.addScriptTag({ path: AXE });
    const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.impact} ${violation.id}: ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(' | ')}`);
  }

  test('the demo page: empty, then every view, in English and Vietnamese', async () => {
    for (const lang of ['en', 'vi']) {
      const opened = await openPage(session.browser, session.url, { hash: `#lang=${lang}`, bypassCSP: true });
      const { page } = opened;
      try {
        assert.deepEqual(await audit(page), [], `empty page (${lang})`);
        await loadSample(page);
        await page.waitForSelector('#overview-kpis');
        await chartsDrawn(page);
        assert.deepEqual(await audit(page), [], `overview (${lang})`);
        for (const view of ['rfm', 'cohorts', 'lifecycle', 'clv']) {
          await openView(page, view);
          assert.deepEqual(await audit(page), [], `${view} (${lang})`);
        }
        // The filter bar's panel open, a value chosen, and a comparison drawn.
        await page.click('#filter-add-button');
        await page.click('#filter-values .filter-value[data-value="Germany"]');
        await page.selectOption('#clv-compare-by', 'country');
        await page.waitForSelector('#clv-compare-table');
        await page.waitForFunction(() => !document.querySelector('.loading-card'));
        assert.deepEqual(await audit(page), [], `filter panel and comparison (${lang})`);
        await page.click('.tabs [data-view="data"]');
        await page.waitForSelector('.view.data-view');
        assert.deepEqual(await audit(page), [], `data (${lang})`);
      } finally {
        await opened.close();
      }
    }
  });

  test('the example admin page with the element, a segment opened, light and dark', async () => {
    const opened = await openAdmin({ bypassCSP: true });
    const { page } = opened;
    try {
      assert.deepEqual(await audit(page), [], 'admin page');
      await page.locator('customer-lens #rfm-segments .tile[data-segment="Champions"]').click();
      await page.waitForSelector('#action-heading');
      await page.waitForSelector('customer-lens #rfm-list .vt-row');
      assert.deepEqual(await audit(page), [], 'with the segment list and the action panel');
      await page.evaluate(() => document.querySelector('customer-lens').setAttribute('theme', 'dark'));
      // Colours change with a short transition: audit the settled ones.
      await page.waitForFunction(() => document.querySelector('customer-lens').shadowRoot.getAnimations().length === 0);
      assert.deepEqual(await audit(page), [], 'dark');
    } finally {
      await opened.close();
    }
  });
});
