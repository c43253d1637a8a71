// OrderBook.fromStream in headless Chromium, as a host with the raw package uses it: a page that
// imports pkg/ (served under the strict CSP) hands it `fetch(url).body`, and of a .gz the output
// of a DecompressionStream, and gets the book OrderBook.fromCsv gives for the same bytes.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { serve } from '../../scripts/serve.mjs';
import { openPage, startBrowser } from './harness.mjs';

const ROOT = new URL('../../../', import.meta.url);
const SAMPLE = readFileSync(new URL('www/public/samples/online-retail-sample.csv', ROOT));

const HOST_SCRIPT = `import init, { OrderBook } from './pkg/customer_lens.js';
await init();
const summaryOf = (book) => { const s = book.summary(); book.free(); return s; };
const progress = [];
const streamed = await OrderBook.fromStream((await fetch('orders.csv')).body, {}, (p) => progress.push(p));
const gzipped = await OrderBook.fromStream((await fetch('orders.csv.gz')).body.pipeThrough(new DecompressionStream('gzip')));
const whole = OrderBook.fromCsv(new Uint8Array(await (await fetch('orders.csv')).arrayBuffer()), {});
window.results = { streamed: summaryOf(streamed), gzipped: summaryOf(gzipped), whole: summaryOf(whole), progress };
document.body.textContent = 'read';
document.body.dataset.done = 'true';
`;

let session;
let site;
let server;
let url;
before(async () => {
  session = await startBrowser();
  site = mkdtempSync(join(tmpdir(), 'customer-lens-stream-'));
  cpSync(new URL('pkg/', ROOT), join(site, 'pkg'), { recursive: true });
  writeFileSync(join(site, 'orders.csv'), SAMPLE);
  writeFileSync(join(site, 'orders.csv.gz'), gzipSync(SAMPLE));
  writeFileSync(join(site, 'host.js'), HOST_SCRIPT);
  writeFileSync(join(site, 'index.html'), '<!doctype html>\n<html><head><meta charset="utf-8"><title>Host</title><link rel="icon" href="data:,"><script type="module" src="host.js"></script></head><body></body></html>\n');
  ({ server, url } = await serve({ port: 0, root: site }));
});
after(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve());
  if (site) rmSync(site, { recursive: true, force: true });
  await session?.close();
});

describe('OrderBook.fromStream in the browser', () => {
  test('fetch(url).body and a DecompressionStream read as the whole file', async () => {
    const opened = await openPage(session.browser, url, { readySelector: 'body[data-done="true"]' });
    try {
      const { streamed, gzipped, whole, progress } = await opened.page.evaluate(() => window.results);
      assert.equal(whole.orders, 1143);
      assert.deepEqual(streamed, whole);
      assert.deepEqual(gzipped, whole);
      assert.ok(progress.length >= 1);
      assert.equal(progress.at(-1).bytesRead, SAMPLE.length);
      assert.deepEqual(await opened.issues(), [], 'no console error, page error or CSP violation');
    } finally {
      await opened.close();
    }
  });
});
