// The npm package as a host installs it: `npm pack ./dist/lib` makes the tarball; the example
// host (examples/host-vite/, a TypeScript page) is copied into a fresh temporary folder and
// installs it with npm offline (its own dev dependencies, Vite, from its committed lock: the same
// versions as www's, so www's `npm ci` already put them in the npm cache); Vite builds it; the
// build is served under the README's strict policy with Trusted Types, and a file picked on the
// host's page gives customer-lens-ready and segment-select in Chromium. `tsc --noEmit --strict`
// checks the host's TypeScript against the installed package's types.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { initSync, OrderBook } from '../../../pkg/customer_lens.js';
import { DIST, foreignRequests, openPage, screenshotPath } from './harness.mjs';

const run = promisify(execFile);
const WWW = new URL('../../', import.meta.url);
const HOST = fileURLToPath(new URL('examples/host-vite/', WWW));
const SAMPLE = fileURLToPath(new URL('public/samples/online-retail-sample.csv', WWW));
const TSC = fileURLToPath(new URL('node_modules/.bin/tsc', WWW));
const PACKAGE = JSON.parse(readFileSync(new URL('package/package.json', WWW), 'utf8'));
const TARBALL = `${PACKAGE.name}-${PACKAGE.version}.tgz`;

/** The README's strict policy with Trusted Types (see trusted-types.test.mjs). */
function readmePolicy() {
  const section = readFileSync(new URL('../README.md', WWW), 'utf8').split(/^## Embed in your admin page$/m)[1] ?? '';
  return /^Content-Security-Policy: (.*require-trusted-types-for.*)$/m.exec(section)?.[1].trim();
}

/** npm, offline: nothing may come from a registry, only from the tarball and the npm cache. */
const npm = (args, cwd) => run('npm', [...args, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd, maxBuffer: 16 << 20 });

const timings = {};
async function timed(name, work) {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = Math.round(performance.now() - start);
  }
}

let work;
let packed;
let host;
before(async () => {
  assert.ok(existsSync(join(DIST, 'lib/package.json')), 'no dist/lib/package.json: run `npm run build` in www/ first');
  initSync({ module: readFileSync(new URL('../pkg/customer_lens_bg.wasm', WWW)) });
  work = mkdtempSync(join(tmpdir(), 'customer-lens-package-'));
  [packed] = JSON.parse((await timed('npm pack', () => npm(['pack', join(DIST, 'lib'), '--pack-destination', work, '--json'], WWW))).stdout);
  host = join(work, 'host');
  cpSync(HOST, host, { recursive: true, filter: (source) => !/[\\/](node_modules|dist)([\\/]|$)/.test(source.slice(HOST.length - 1)) });
  await timed('npm install (offline)', () => npm(['install', join(work, TARBALL)], host)).catch((error) => {
    throw new Error(`the host could not install offline (its dev dependencies come from the npm cache that \`npm ci\` in www/ fills; after changing www's lock, run \`node scripts/host-lock.mjs\`):\n${error.stderr ?? error.message}`);
  });
  await timed('vite build', () => run(join(host, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: host }));
});
after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  console.log(`package test timings (ms): ${JSON.stringify(timings)}`);
});

describe('the npm package', () => {
  test('the tarball: the element, its worker, the .wasm and the types; exports; no install scripts', () => {
    assert.equal(packed.filename, TARBALL);
    const files = packed.files.map((file) => file.path).sort();
    assert.deepEqual(files, ['README.md', 'customer-lens-engine.d.ts', 'customer-lens-sql.wasm', 'customer-lens-worker.js', 'customer-lens-xlsx.wasm', 'customer-lens.d.ts', 'customer-lens.js', 'customer-lens.wasm', 'package.json']);
    const cargoVersion = /^version = "(.*)"$/m.exec(readFileSync(new URL('../Cargo.toml', WWW), 'utf8'))[1];
    assert.equal(PACKAGE.version, cargoVersion, 'the package’s version is the crate’s');
    const installed = JSON.parse(readFileSync(join(host, 'node_modules/customer-lens/package.json'), 'utf8'));
    assert.deepEqual(installed.exports['.'], { types: './customer-lens.d.ts', default: './customer-lens.js' });
    assert.equal(installed.scripts, undefined, 'no install (or any other) script');
    const module = readFileSync(join(host, 'node_modules/customer-lens/customer-lens.js'), 'utf8');
    for (const file of ['customer-lens-worker.js', 'customer-lens.wasm', 'customer-lens-xlsx.wasm', 'customer-lens-sql.wasm']) {
      assert.match(module, new RegExp(`new URL\\((["'\`])\\./${file.replace(/\./g, '\\.')}\\1,\\s*import\\.meta\\.url\\)`), `${file} found the way bundlers look for it`);
    }
    const worker = readFileSync(join(host, 'node_modules/customer-lens/customer-lens-worker.js'), 'utf8');
    assert.doesNotMatch(worker, /^\s*import\b|\bimport\s*\(/m, 'the worker imports nothing: a bundler copies it as it is');
    // The host's lock resolved the package to the tarball, its own dev dependencies to the registry.
    const lock = JSON.parse(readFileSync(join(host, 'package-lock.json'), 'utf8'));
    assert.match(lock.packages['node_modules/customer-lens'].resolved, /customer-lens-.*\.tgz$/);
    assert.equal(lock.packages['node_modules/vite'].version, JSON.parse(readFileSync(new URL('package-lock.json', WWW), 'utf8')).packages['node_modules/vite'].version);
  });

  test('the Vite build copied the worker and the .wasm; the page works under Trusted Types in Chromium', async () => {
    const assets = readdirSync(join(host, 'dist/assets'));
    const workerAsset = assets.find((name) => /^customer-lens-worker-.*\.js$/.test(name));
    const wasmAsset = assets.find((name) => /^customer-lens-(?!xlsx-|sql-).*\.wasm$/.test(name));
    const excelAsset = assets.find((name) => /^customer-lens-xlsx-.*\.wasm$/.test(name));
    const sqlAsset = assets.find((name) => /^customer-lens-sql-.*\.wasm$/.test(name));
    assert.ok(workerAsset && wasmAsset && excelAsset && sqlAsset, `the build has the worker and the three .wasm files: ${assets.join(', ')}`);
    assert.equal(statSync(join(host, 'dist/assets', wasmAsset)).size, statSync(join(DIST, 'lib/customer-lens.wasm')).size);
    assert.equal(statSync(join(host, 'dist/assets', excelAsset)).size, statSync(join(DIST, 'lib/customer-lens-xlsx.wasm')).size);
    assert.equal(statSync(join(host, 'dist/assets', sqlAsset)).size, statSync(join(DIST, 'lib/customer-lens-sql.wasm')).size);

    const policy = readmePolicy();
    assert.ok(policy, 'the README shows the policy');
    const { server, url } = await serve({ port: 0, root: join(host, 'dist'), contentSecurityPolicy: policy });
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const opened = await openPage(browser, url, { readySelector: 'customer-lens #file-input' });
      const { page } = opened;
      await timed('browser: pick to ready', async () => {
        await page.locator('#orders-file').setInputFiles(SAMPLE);
        await page.waitForSelector('#events li');
      });
      const book = OrderBook.fromCsv(readFileSync(SAMPLE), { preset: 'online-retail' });
      const summary = book.summary();
      const champions = book.rfmCsv({ segment: 'Champions' }).trim().split('\n').length - 1;
      book.free();
      assert.equal(await page.locator('#events li').first().getAttribute('data-kind'), 'ready', await page.locator('#events').innerText());
      assert.equal(await page.locator('#events li').first().innerText(), `${summary.orders} orders of ${summary.customers} customers, ${summary.firstDate} to ${summary.lastDate}`);

      await page.locator('customer-lens .tabs [data-view="rfm"]').click();
      await page.locator('customer-lens #rfm-segments .tile[data-segment="Champions"]').click();
      await page.waitForSelector('#events li[data-kind="segment-select"]');
      assert.equal(await page.locator('#events li[data-kind="segment-select"]').innerText(), `Champions: ${champions} customers as of ${summary.lastDate}`);
      await page.screenshot({ path: screenshotPath('package-host-vite'), fullPage: true });

      const paths = opened.requests.map((request) => new URL(request).pathname);
      assert.ok(paths.includes(`/assets/${workerAsset}`) && paths.includes(`/assets/${wasmAsset}`), paths.join(' '));
      assert.deepEqual(foreignRequests(opened.requests, url.replace(/\/$/, '')), []);
      assert.deepEqual(await opened.issues(), [], 'no console error, page error, CSP or Trusted Types violation');
      await opened.close();
    } finally {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  // src/type-checks.ts holds a host's mistakes, each under @ts-expect-error: tsc fails on any of
  // them the types let through (an unused directive is an error), so a pass proves the types bite.
  test('tsc --noEmit --strict: the TypeScript host type-checks against the installed types', async () => {
    await timed('tsc', async () => {
      const result = await run(TSC, ['--noEmit', '--strict', '-p', join(host, 'tsconfig.json')], { cwd: host }).catch((error) => error);
      assert.equal(result.code ?? 0, 0, `tsc found errors:\n${result.stdout}${result.stderr}`);
    });
  });
});
