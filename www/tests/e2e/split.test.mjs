// A large file through the real page in headless Chromium is read by several workers (one per
// core, at least two on this machine): the summary says how many and their memory, and equals the
// summary of the same file read by one worker (its gzipped copy, which a single worker streams).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { splitWorkerCount } from '../../src/splitLoad.js';
import { foreignRequests, openPage, startBrowser } from './harness.mjs';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const STEP_TIMEOUT_MS = 90_000;

let session;
let folder;
let csvPath;
let gzPath;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'customer-lens-split-'));
  csvPath = join(folder, 'orders-1m.csv');
  gzPath = join(folder, 'orders-1m.csv.gz');
  // About 68 MB: above the size from which a file is split (splitLoad.js, SPLIT_MIN_BYTES).
  execFileSync('cargo', ['run', '--quiet', '--bin', 'synth', '--', '1M', csvPath], { cwd: REPOSITORY, stdio: ['ignore', 'ignore', 'pipe'] });
  writeFileSync(gzPath, gzipSync(readFileSync(csvPath), { level: 1 }));
  session = await startBrowser();
});

after(async () => {
  await session?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** The summary without what says how it was read. */
function withoutReading({ workers, workerMemory, ...summary }) {
  return summary;
}

describe('a large file read by several workers', () => {
  test('the page uses one worker per core, at least two, and gets the summary one worker gets', async () => {
    const { page, requests, issues, close } = await openPage(session.browser, session.url);
    try {
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      await page.setInputFiles('#file-input', csvPath);
      await page.waitForFunction(() => window.customerLens.summary?.workers, null, { timeout: STEP_TIMEOUT_MS });
      const split = await page.evaluate(() => window.customerLens.summary);
      assert.equal(split.workers, splitWorkerCount(statSync(csvPath).size, cores), `${cores} cores`);
      assert.ok(split.workers >= 2, `${split.workers} workers`);
      assert.ok(split.workerMemory > 0, 'the memory of all the workers is reported');
      assert.equal(split.rowsAccepted + split.rowsRejected, split.rowsRead);

      // The same bytes gzipped, in a page of its own: one worker streams them.
      const other = await openPage(session.browser, session.url);
      await other.page.setInputFiles('#file-input', gzPath);
      await other.page.waitForFunction(() => window.customerLens.summary, null, { timeout: STEP_TIMEOUT_MS });
      const whole = await other.page.evaluate(() => window.customerLens.summary);
      await other.close();
      assert.equal(whole.workers, undefined);
      assert.deepEqual(withoutReading(split), withoutReading(whole));
      assert.ok(whole.rowsRead >= 1_000_000, `${whole.rowsRead} rows`);
      assert.deepEqual(foreignRequests(requests, session.url.replace(/\/$/, '')), [], 'no request leaves the origin');
      assert.deepEqual(await issues(), [], 'no console error, page error or CSP violation');
    } finally {
      await close();
    }
  });
});
