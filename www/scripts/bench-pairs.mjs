#!/usr/bin/env node
// Bought together (`book.boughtTogether`) in headless Chromium, on a file with products (UCI
// Online Retail): the analysis asked of the page's worker (`window.customerLens.analyse`, so the
// message round trip and the result's transfer included) for the top pairs and for the pairs of
// one product, the first time (the book's baskets are built then) and warm; then the page's
// Products view, from the click on its tab to the top pairs drawn and from a product picked to
// its pairs drawn. Prints a Markdown table; never part of a test run.
//
//   node scripts/bench-pairs.mjs FILE [--runs 5] [--top 20]
//
// Needs the built site (`npm run build` → www/dist/).
import { chromium } from 'playwright-core';
import { fileArgument, median, option } from './bench-args.mjs';
import { serve } from './serve.mjs';

const FILE = fileArgument('node scripts/bench-pairs.mjs FILE [--runs 5] [--top 20]');
const RUNS = Number(option('runs', 5));
const TOP = Number(option('top', 20));

/** A new page with the file read. */
async function loaded(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  await page.waitForSelector('body[data-app="started"]');
  await page.setInputFiles('#file-input', FILE);
  await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]', { timeout: 600_000 });
  return page;
}

/** ms of `customerLens.analyse(method, options)` in the page, and the number of pairs it gave. */
function timeAnalysis([method, options]) {
  const start = performance.now();
  return window.customerLens.analyse(method, options).then((result) => ({ ms: performance.now() - start, pairs: result.pairs?.length ?? null, first: result.pairs?.[0] ?? null }));
}

const drawn = () => !document.querySelector('.loading-card') && !document.querySelector('.deferred');

const { server, url } = await serve({ port: 0 });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const rows = [];
try {
  // The engine, through the worker: first, then warm.
  const page = await loaded(browser, url);
  const timed = async (label, options) => {
    const runs = [];
    for (let run = 0; run <= RUNS; run++) runs.push(await page.evaluate(timeAnalysis, ['boughtTogether', options]));
    rows.push([label, runs[0].ms, median(runs.slice(1).map((run) => run.ms)), runs[0].pairs]);
    process.stderr.write(`${label}: ${runs.map((run) => run.ms.toFixed(1)).join(', ')} ms\n`);
    return runs[0];
  };
  const top = await timed(`top ${TOP} pairs`, { top: TOP });
  if (!top.first) throw new Error('no pair in this file');
  await timed(`pairs of one product (${top.first.a}, ${top.first.aName})`, { product: top.first.a, top: TOP });
  await page.close();

  // The page: a new one, so its first pairs are the book's first too.
  const view = await loaded(browser, url);
  const start = await view.evaluate(() => performance.now());
  await view.click('.tabs [data-view="products"]');
  await view.waitForSelector('#products-together tbody tr', { timeout: 600_000 });
  await view.waitForFunction(drawn, null, { timeout: 600_000 });
  const shown = (await view.evaluate(() => performance.now())) - start;
  await view.fill('#products-pick-input', top.first.a);
  const picked = await view.evaluate(() => performance.now());
  await view.click('#products-pick-button');
  await view.waitForSelector('#products-cross-size', { timeout: 600_000 });
  await view.waitForFunction(drawn, null, { timeout: 600_000 });
  const pickedMs = (await view.evaluate(() => performance.now())) - picked;
  rows.push(['page: Products tab clicked → top pairs drawn (first)', shown, null, null]);
  rows.push(['page: a product picked → its pairs, next products and cross-sell drawn', pickedMs, null, null]);
} finally {
  await browser.close();
  server.close();
}
console.log(`Bought together on ${FILE}, headless Chromium (worker round trip included; warm: median of ${RUNS})\n`);
console.log('| what | first ms | warm ms | pairs |\n| --- | ---: | ---: | ---: |');
for (const [label, first, warm, pairs] of rows) console.log(`| ${label} | ${first.toFixed(1)} | ${warm === null ? '' : warm.toFixed(1)} | ${pairs ?? ''} |`);
