#!/usr/bin/env node
// The browser benchmark: customer-lens (WASM in a Web Worker) against DuckDB-WASM doing the same
// job in the same headless Chromium, and customer-lens natively, on UCI Online Retail and
// synthetic order lines, and on a store's order list (one row per order, many customers: `synth
// --shape orders`, with and without its order id column); plus WASM memory per order, the .wasm size, time to first chart and the
// longest main-thread task while the real page analyses 1 M rows. Prints tables (Markdown, for
// the README); never part of a test run.
//
//   node scripts/bench-browser.mjs [ONLINE_RETAIL.csv|.csv.gz] [--sizes 100k,1M,5M] [--runs N]
//                                  [--orders 1M,5M] [--no-duckdb] [--no-native] [--no-app]
//
// Builds nothing but the two native helper binaries (`synth`, `bench`): run scripts/build.sh
// first (pkg/ and www/dist/, which are copied into the benchmark's temp folder at the start so a
// rebuild during the run cannot mix versions). The default Online Retail file is
// ../shared/data/online-retail.csv.gz, decompressed into that folder; synthetic files are written
// there too by the release `synth` binary (5 M lines ≈ 340 MB; 10M ≈ 690 MB if asked for).
// Progress goes to stderr, the tables to stdout.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGunzip, gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WWW = join(ROOT, 'www');
const DATA_DIR = join(os.tmpdir(), 'customer-lens-bench');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** URL prefixes the benchmark server answers, each from a folder (repository paths, pkg/ copied). */
const STATIC_PREFIXES = [
  ['/www/bench/', join(WWW, 'bench')],
  ['/pkg/', join(DATA_DIR, 'pkg')],
  ['/www/node_modules/@duckdb/duckdb-wasm/dist/', join(WWW, 'node_modules/@duckdb/duckdb-wasm/dist')],
  ['/www/node_modules/apache-arrow/', join(WWW, 'node_modules/apache-arrow')],
  ['/www/node_modules/flatbuffers/', join(WWW, 'node_modules/flatbuffers')],
  ['/www/node_modules/tslib/', join(WWW, 'node_modules/tslib')],
];

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
};

// ------------------------------------------------------------------------------------ arguments

function parseArguments(argv) {
  const settings = {
    onlineRetail: join(ROOT, '../shared/data/online-retail.csv.gz'),
    sizes: ['100k', '1M', '5M'],
    orders: ['1M'],
    runs: 5,
    duckdb: true,
    native: true,
    app: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--sizes') settings.sizes = argv[++i].split(',').map((size) => size.trim()).filter(Boolean);
    else if (argument === '--orders') settings.orders = argv[++i].split(',').map((size) => size.trim()).filter(Boolean);
    else if (argument === '--runs') settings.runs = Math.max(1, Number(argv[++i]) || settings.runs);
    else if (argument === '--no-duckdb') settings.duckdb = false;
    else if (argument === '--no-native') settings.native = false;
    else if (argument === '--no-app') settings.app = false;
    else if (argument.startsWith('--')) usage(`unknown option ${argument}`);
    else settings.onlineRetail = resolve(argument);
  }
  return settings;
}

function usage(problem) {
  console.error(`${problem}\nusage: node scripts/bench-browser.mjs [ONLINE_RETAIL.csv|.csv.gz] [--sizes 100k,1M,5M] [--orders 1M] [--runs N] [--no-duckdb] [--no-native] [--no-app]`);
  process.exit(2);
}

/** `100k` → 100000, `5M` → 5000000. */
function lineCount(size) {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(size);
  if (!match) usage(`not a size: ${size} (use e.g. 100k, 1M)`);
  return Math.round(Number(match[1]) * { '': 1, k: 1e3, m: 1e6 }[match[2].toLowerCase()]);
}

// ------------------------------------------------------------------------------------- inputs

function isNewer(path, than) {
  return existsSync(path) && (!existsSync(than) || statSync(path).mtimeMs >= statSync(than).mtimeMs);
}

/** The plain Online Retail CSV: the given file, or a decompressed copy of a .gz. */
async function onlineRetailCsv(path) {
  if (!existsSync(path)) throw new Error(`no Online Retail file at ${path} (pass its path as the first argument)`);
  if (!path.endsWith('.gz')) return path;
  const plain = join(DATA_DIR, 'online-retail.csv');
  if (!isNewer(plain, path)) {
    console.error(`decompressing ${path} → ${plain}`);
    await pipeline(createReadStream(path), createGunzip(), createWriteStream(plain));
  }
  return plain;
}

/**
 * Compiles the native helpers (a no-op when they are up to date). When the tree does not compile
 * (someone is mid-edit), binaries built earlier are used, with a warning.
 */
function buildNativeHelpers() {
  console.error('cargo build --release --bin synth --bin bench');
  const built = spawnSync('cargo', ['build', '--release', '--quiet', '--bin', 'synth', '--bin', 'bench'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status === 0) return;
  const missing = ['synth', 'bench'].filter((name) => !existsSync(join(ROOT, 'target/release', name)));
  if (missing.length) throw new Error(`cargo build failed and there is no earlier target/release/${missing.join(', ')}`);
  console.error('warning: cargo build failed; using the synth and bench binaries built earlier');
}

/**
 * A synthetic file of `size` lines, regenerated when the generator is newer. The name keeps
 * "online-retail": the native `bench` binary drops the online-retail preset for any file whose
 * path lacks it, and these files have exactly the Online Retail columns.
 */
function syntheticCsv(size) {
  const synth = join(ROOT, 'target/release/synth');
  const path = join(DATA_DIR, `synth-${size}.online-retail.csv`);
  if (!isNewer(path, synth)) {
    console.error(`synth ${size} → ${path}`);
    execFileSync(synth, [String(lineCount(size)), path], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return path;
}

/** A store's order list of `size` orders (`synth --shape orders`), with or without order ids. */
function orderListCsv(size, orderIds) {
  const synth = join(ROOT, 'target/release/synth');
  const path = join(DATA_DIR, `orders-${size}${orderIds ? '' : '-no-order-id'}.csv`);
  if (!isNewer(path, synth)) {
    console.error(`synth ${size} --shape orders → ${path}`);
    execFileSync(synth, [String(lineCount(size)), path, '--shape', 'orders', ...(orderIds ? [] : ['--no-order-id'])], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return path;
}

// ------------------------------------------------------------------------------------- server

/** Serves the bench page, pkg/, the DuckDB-WASM bundle and the inputs (as /data/NAME). */
function startBenchServer(dataFiles) {
  const server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url, 'http://localhost');
    let filePath = null;
    if (pathname.startsWith('/data/')) {
      filePath = dataFiles.get(decodeURIComponent(pathname.slice('/data/'.length))) ?? null;
    } else {
      for (const [prefix, folder] of STATIC_PREFIXES) {
        if (!pathname.startsWith(prefix)) continue;
        const candidate = normalize(join(folder, decodeURIComponent(pathname.slice(prefix.length)) || 'index.html'));
        if (candidate.startsWith(folder + sep) || candidate === folder) filePath = candidate;
        break;
      }
    }
    const info = filePath ? await stat(filePath).catch(() => null) : null;
    if (!info?.isFile()) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, {
      'Content-Type': MIME_TYPES[extname(filePath)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-store',
    });
    createReadStream(filePath).pipe(response);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolvePromise({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

// ------------------------------------------------------------------------------- measurements

function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function load() {
  return os.loadavg().map((value) => value.toFixed(2)).join(' ');
}

/** Runs `work(page)` in a fresh page of the bench; a crashed or failed page becomes `{ error }`. */
async function inBenchPage(browser, benchUrl, work) {
  const page = await browser.newPage();
  let crashed = false;
  page.on('crash', () => {
    crashed = true;
  });
  try {
    await page.goto(`${benchUrl}/www/bench/index.html`);
    await page.waitForFunction(() => window.bench);
    return await work(page);
  } catch (error) {
    return { error: crashed ? 'the tab crashed (out of memory?)' : firstLine(error.message) };
  } finally {
    await page.close().catch(() => {});
  }
}

/** The message of a Playwright error, without its call prefix and stack. */
function firstLine(text) {
  return String(text).replace(/^[\w.]+: (Error: )?/, '').split('\n')[0].trim();
}

/** The options the engines read an input with: the Online Retail preset for order lines, none
 * (columns recognised from the header) for an order list. */
const lensOptions = (shape) => (shape === 'lines' ? { preset: 'online-retail' } : {});

async function benchLens(browser, benchUrl, name, runs, shape) {
  return inBenchPage(browser, benchUrl, async (page) => {
    await page.evaluate((url) => window.bench.loadInput(url), `/data/${name}`);
    return page.evaluate((options) => window.bench.runLens(options), { runs, options: lensOptions(shape) });
  });
}

async function benchDuckDb(browser, benchUrl, name, runs, shape) {
  return inBenchPage(browser, benchUrl, async (page) => {
    await page.evaluate((url) => window.bench.loadInput(url), `/data/${name}`);
    return page.evaluate((options) => window.bench.runDuckDb(options), { runs, shape });
  });
}

/** customer-lens natively: the `bench` binary's medians for ingest and for the whole job. */
function benchNative(path, runs, shape) {
  const preset = shape === 'lines' ? ['--preset', 'online-retail'] : [];
  const result = spawnSync(join(ROOT, 'target/release/bench'), [path, ...preset, '--runs', String(runs)], { encoding: 'utf8' });
  const ingest = /^ingest\s+([\d.]+) ms/m.exec(result.stdout ?? '');
  if (result.status !== 0 || !ingest) return { error: firstLine(result.stderr || result.stdout || `exit ${result.status}`) };
  const group = /^group\s+([\d.]+) ms/m.exec(result.stdout);
  const job = /^bytes → summary \+ RFM \+ monthly cohorts: ([\d.]+) ms/m.exec(result.stdout);
  return { ingestMs: Number(ingest[1]), groupMs: group ? Number(group[1]) : null, jobMs: job ? Number(job[1]) : Number(ingest[1]) };
}

/** Installed before the app's own scripts: long tasks and the moment the first chart appears. */
function appObservers() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  window.__firstChartAt = null;
  new MutationObserver((_, observer) => {
    if (document.querySelector('#rfm-segments svg')) {
      window.__firstChartAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

async function inAppPage(browser, appUrl, hash, work) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const foreign = [];
  const origin = appUrl.replace(/\/$/, '');
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
  });
  await context.addInitScript(appObservers);
  const page = await context.newPage();
  try {
    await page.goto(`${appUrl}${hash}`);
    await page.waitForSelector('body[data-app="started"]');
    const result = await work(page);
    return { ...result, foreign };
  } catch (error) {
    return { error: firstLine(error.message) };
  } finally {
    await context.close().catch(() => {});
  }
}

/** The real page, cold (new context): navigation → sample → the first RFM chart. */
async function timeToFirstChart(browser, appUrl) {
  return inAppPage(browser, appUrl, '#view=rfm', async (page) => {
    await page.evaluate(() => {
      window.__clickAt = performance.now();
      document.querySelector('#load-sample').click();
    });
    await page.waitForFunction(() => window.__firstChartAt !== null, null, { timeout: 60_000 });
    return page.evaluate(() => ({ fromNavigationMs: window.__firstChartAt, fromClickMs: window.__firstChartAt - window.__clickAt }));
  });
}

/** The real page: a 1 M-line file through the file input, the summary, RFM and cohort views. */
async function analysisThroughPage(browser, appUrl, path) {
  return inAppPage(browser, appUrl, '', async (page) => {
    const start = await page.evaluate(() => performance.now());
    await page.setInputFiles('#file-input', path);
    await page.waitForSelector('body[data-state="ready"] [data-metric="orders"]', { timeout: 120_000 });
    const summaryAt = await page.evaluate(() => performance.now());
    await page.click('.tabs [data-view="rfm"]');
    await page.waitForSelector('#rfm-segments svg', { timeout: 120_000 });
    await page.waitForFunction(() => !document.querySelector('.deferred'));
    const rfmAt = await page.evaluate(() => performance.now());
    await page.click('.tabs [data-view="cohorts"]');
    await page.waitForSelector('#cohort-triangle svg', { timeout: 120_000 });
    await page.waitForFunction(() => !document.querySelector('.deferred'));
    const cohortsAt = await page.evaluate(() => performance.now());
    // One more frame, so a long task that drew the last chart has been reported.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50))));
    const tasks = await page.evaluate((since) => window.__longTasks.filter((task) => task.start >= since), start);
    const rowsRead = await page.evaluate(() => window.customerLens?.summary?.rowsRead ?? null);
    return { rowsRead, summaryMs: summaryAt - start, rfmMs: rfmAt - summaryAt, cohortsMs: cohortsAt - rfmAt, tasks };
  });
}

function gzippedSize(path) {
  return gzipSync(readFileSync(path), { level: 9 }).length;
}

/**
 * The shipped .wasm (the one in www/dist) and the whole built app (JS + WASM + CSS + HTML of
 * www/dist, lazily loaded chunks included, the Excel module apart: it is fetched only for a
 * workbook), gzipped; and whether pkg/, which the benchmark's worker runs, holds the same .wasm.
 */
function bundleSizes() {
  const dist = join(DATA_DIR, 'dist');
  const assets = readdirSync(join(dist, 'assets')).map((name) => join(dist, 'assets', name));
  const isExcelModule = (file) => basename(file).startsWith('customer_lens_xlsx');
  const appFiles = [join(dist, 'index.html'), ...assets.filter((file) => /\.(js|wasm|css)$/.test(file) && !isExcelModule(file))];
  const wasm = assets.find((file) => basename(file).startsWith('customer_lens_bg') && file.endsWith('.wasm'));
  const pkgWasm = readFileSync(join(DATA_DIR, 'pkg/customer_lens_bg.wasm'));
  return {
    wasmBytes: statSync(wasm).size,
    wasmGzip: gzippedSize(wasm),
    appGzip: appFiles.reduce((sum, file) => sum + gzippedSize(file), 0),
    pkgMatchesDist: pkgWasm.equals(readFileSync(wasm)),
    pkgWasmBytes: pkgWasm.length,
  };
}

// ------------------------------------------------------------------------------------- output

const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;
const ms = (value) => (value === null || value === undefined ? '–' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(0)} ms`);
const rate = (rows, value) => (rows && value ? `${(rows / (value / 1000) / 1e6).toFixed(2)} M rows/s` : '–');

function timeCell(rows, result, key = 'coreMs') {
  if (!result) return 'not run';
  if (result.error) return `failed: ${result.error}`;
  return `${ms(result[key])} (${rate(rows, result[key])})`;
}

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

function phaseText(phases) {
  return phases ? Object.entries(phases).map(([name, value]) => `${name} ${value.toFixed(0)}`).join(' · ') : '–';
}

// --------------------------------------------------------------------------------------- main

async function main() {
  const settings = parseArguments(process.argv.slice(2));
  for (const needed of ['pkg/customer_lens.js', 'pkg/customer_lens_bg.wasm', 'www/dist/index.html', 'www/node_modules/@duckdb/duckdb-wasm/dist/duckdb-eh.wasm']) {
    if (!existsSync(join(ROOT, needed))) {
      console.error(`missing ${needed}: run scripts/setup.sh and scripts/build.sh first`);
      process.exit(1);
    }
  }
  mkdirSync(DATA_DIR, { recursive: true });
  // Copies, so a rebuild of pkg/ or www/dist/ while the benchmark runs cannot mix versions.
  for (const [from, to] of [['pkg', 'pkg'], ['www/dist', 'dist']]) {
    rmSync(join(DATA_DIR, to), { recursive: true, force: true });
    cpSync(join(ROOT, from), join(DATA_DIR, to), { recursive: true });
  }
  const { chromium } = await import(pathToFileURL(join(WWW, 'node_modules/playwright-core/index.mjs')).href);
  const { serve } = await import(pathToFileURL(join(WWW, 'scripts/serve.mjs')).href);

  buildNativeHelpers();
  const inputs = [{ label: 'UCI Online Retail', name: 'online-retail.csv', path: await onlineRetailCsv(settings.onlineRetail), shape: 'lines' }];
  for (const size of settings.sizes) inputs.push({ label: `synthetic ${size}`, name: `synth-${size}.csv`, path: syntheticCsv(size), size, shape: 'lines' });
  for (const size of settings.orders) {
    inputs.push({ label: `order list ${size}`, name: `orders-${size}.csv`, path: orderListCsv(size, true), shape: 'orders' });
    inputs.push({ label: `order list ${size}, no order id`, name: `orders-${size}-no-order-id.csv`, path: orderListCsv(size, false), shape: 'orders-no-id' });
  }
  for (const input of inputs) {
    input.bytes = statSync(input.path).size;
    input.lines = countLines(input.path) - 1;
  }

  const loadAtStart = load();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const bench = await startBenchServer(new Map(inputs.map((input) => [input.name, input.path])));
  const app = await serve({ port: 0, root: join(DATA_DIR, 'dist') });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const chromiumVersion = browser.version();
  try {
    for (const input of inputs) {
      // Fewer runs on the big files, which take seconds each.
      const runs = input.lines > 2e6 ? Math.min(settings.runs, 3) : settings.runs;
      input.runs = runs;
      console.error(`${input.label}: ${input.lines.toLocaleString('en')} lines, ${(input.bytes / 1e6).toFixed(0)} MB, ${runs} runs (load ${load()})`);
      input.lens = await benchLens(browser, bench.url, input.name, runs, input.shape);
      console.error(`  customer-lens  ${input.lens.error ?? `${ms(input.lens.coreMs)}, with CLV ${ms(input.lens.clvMs)}`}`);
      if (settings.duckdb) {
        input.duckdb = await benchDuckDb(browser, bench.url, input.name, runs, input.shape);
        console.error(`  DuckDB-WASM    ${input.duckdb.error ?? ms(input.duckdb.coreMs)}`);
      }
      if (settings.native) {
        input.native = benchNative(input.path, runs, input.shape);
        console.error(`  native job     ${input.native.error ?? ms(input.native.jobMs)}`);
      }
      input.load = load();
    }

    let firstChart = null;
    let analysis = null;
    if (settings.app) {
      const chartRuns = [];
      for (let run = 0; run < settings.runs; run++) chartRuns.push(await timeToFirstChart(browser, app.url));
      const good = chartRuns.filter((run) => !run.error);
      firstChart = good.length
        ? { fromNavigationMs: median(good.map((run) => run.fromNavigationMs)), fromClickMs: median(good.map((run) => run.fromClickMs)), foreign: good.flatMap((run) => run.foreign) }
        : { error: chartRuns[0]?.error };
      const oneMillion = inputs.find((input) => input.size && lineCount(input.size) === 1e6)?.path ?? syntheticCsv('1M');
      const analysisRuns = [];
      for (let run = 0; run < Math.min(settings.runs, 3); run++) analysisRuns.push(await analysisThroughPage(browser, app.url, oneMillion));
      const fine = analysisRuns.filter((run) => !run.error);
      analysis = fine.length
        ? {
          runs: fine.length,
          rowsRead: fine[0].rowsRead,
          summaryMs: median(fine.map((run) => run.summaryMs)),
          rfmMs: median(fine.map((run) => run.rfmMs)),
          cohortsMs: median(fine.map((run) => run.cohortsMs)),
          longest: Math.max(0, ...fine.flatMap((run) => run.tasks.map((task) => task.duration))),
          over50: fine.reduce((sum, run) => sum + run.tasks.length, 0),
          foreign: fine.flatMap((run) => run.foreign),
        }
        : { error: analysisRuns[0]?.error };
    }

    report({ settings, inputs, loadAtStart, loadAtEnd: load(), cpu, chromiumVersion, firstChart, analysis, sizes: bundleSizes() });
  } finally {
    await browser.close();
    await new Promise((done) => bench.server.close(done));
    await new Promise((done) => app.server.close(done));
  }
}

function countLines(path) {
  let lines = 0;
  const buffer = readFileSync(path);
  for (let index = buffer.indexOf(10); index !== -1; index = buffer.indexOf(10, index + 1)) lines++;
  return buffer.length && buffer[buffer.length - 1] !== 10 ? lines + 1 : lines;
}

function report({ settings, inputs, loadAtStart, loadAtEnd, cpu, chromiumVersion, firstChart, analysis, sizes }) {
  const duckdbCore = inputs.find((input) => input.duckdb?.version)?.duckdb.version;
  const duckdbPackage = JSON.parse(readFileSync(join(WWW, 'node_modules/@duckdb/duckdb-wasm/package.json'), 'utf8')).version;
  const duckdbVersion = duckdbCore ? `${duckdbPackage} (DuckDB ${duckdbCore})` : null;
  const out = [];
  out.push('');
  out.push(`Machine: ${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadAtStart} at the start, ${loadAtEnd} at the end.`);
  out.push(`Headless Chromium ${chromiumVersion}; DuckDB-WASM ${duckdbVersion ?? '(not run)'} (eh bundle, one thread); medians of ${settings.runs} runs (3 on files over 2 M lines).`);
  out.push('Times are from bytes already in the page to summary + RFM + monthly cohorts; "+ CLV" adds the BG/NBD + Gamma-Gamma fit and scoring.');
  out.push('');
  out.push(table(
    ['input', 'lines', 'MB', 'orders', 'customers', 'customer-lens (Worker)', 'customer-lens + CLV', 'DuckDB-WASM', 'lens / DuckDB', 'native (same job)', 'peak WASM bytes / order'],
    inputs.map((input) => {
      const lens = input.lens;
      const duck = input.duckdb;
      const ratio = lens?.coreMs && duck?.coreMs ? (lens.coreMs / duck.coreMs).toFixed(2) : '–';
      const native = !input.native ? 'not run' : input.native.error ? `failed: ${input.native.error}` : `${ms(input.native.jobMs)} (${rate(input.lines, input.native.jobMs)})`;
      const core = lens?.memoryAfter?.cohorts;
      const perOrder = core && lens.orders
        ? `${(core / lens.orders).toFixed(1)} (${(core / 2 ** 20).toFixed(0)} MiB); ${(lens.memoryBytes / lens.orders).toFixed(1)} with CLV`
        : '–';
      return [input.label, input.lines.toLocaleString('en'), (input.bytes / 1e6).toFixed(0), lens?.orders?.toLocaleString('en') ?? '–', lens?.customers?.toLocaleString('en') ?? '–',
        timeCell(input.lines, lens), timeCell(input.lines, lens, 'clvMs'), timeCell(input.lines, duck), ratio, native, perOrder];
    }),
  ));
  out.push('');
  out.push('Phases (medians, ms, measured inside each engine\'s worker; DuckDB\'s "ingest" is read_csv + grouping lines into orders):');
  for (const input of inputs) {
    out.push(`- ${input.label} (load ${input.load}): customer-lens ${phaseText(input.lens?.phases)}` +
      (input.lens?.clvError ? ` [CLV failed: ${input.lens.clvError}]` : '') +
      (input.lens?.memoryAfter ? ` (WASM memory after each, MiB: ${Object.entries(input.lens.memoryAfter).map(([name, bytes]) => `${name} ${(bytes / 2 ** 20).toFixed(0)}`).join(' · ')})` : '') +
      (input.duckdb ? `; DuckDB-WASM ${phaseText(input.duckdb.phases)}` : '') +
      (input.duckdb?.orders && input.lens?.orders && (input.duckdb.orders !== input.lens.orders || input.duckdb.rowsRead !== input.lens.rowsRead)
        ? ` [the engines disagree: rows ${input.lens.rowsRead} vs ${input.duckdb.rowsRead}, orders ${input.lens.orders} vs ${input.duckdb.orders}]`
        : '') +
      (Number.isFinite(input.native?.groupMs) ? `; native group ${input.native.groupMs.toFixed(1)}` : '') +
      `; first run (cold code): customer-lens ${ms(input.lens?.coreRuns?.[0])}` +
      (input.duckdb ? `, DuckDB-WASM ${ms(input.duckdb.coreRuns?.[0])}` : ''));
  }
  const start = inputs.find((input) => input.duckdb?.startMs)?.duckdb.startMs;
  const init = median(inputs.map((input) => input.lens?.initMs));
  out.push(`- start-up, not in the times above: customer-lens WASM compile + instantiate ${ms(init)}; DuckDB-WASM start ${ms(start)}`);
  out.push('- native: `target/release/bench` (the same Rust, `--release`), bytes → summary + RFM + monthly cohorts.');
  out.push('');
  const rows = [
    ['.wasm as shipped in www/dist, gzipped', `${kb(sizes.wasmGzip)} (${kb(sizes.wasmBytes)} raw)` +
      (sizes.pkgMatchesDist ? '' : `; warning: pkg/ holds another .wasm (${kb(sizes.pkgWasmBytes)} raw), rebuilt after the site: run scripts/build.sh for figures from one build`)],
    ['whole app, JS + WASM + CSS + HTML, gzipped', kb(sizes.appGzip)],
  ];
  if (firstChart) {
    rows.push(['time to first chart (cold page `#view=rfm`, sample button → RFM segments SVG)', firstChart.error ? `failed: ${firstChart.error}` : `${ms(firstChart.fromNavigationMs)} from navigation, ${ms(firstChart.fromClickMs)} from the click`]);
  }
  if (analysis) {
    rows.push(['1 M-line file through the real page (file input → summary · RFM view · cohorts view)', analysis.error ? `failed: ${analysis.error}` : `${ms(analysis.summaryMs)} · ${ms(analysis.rfmMs)} · ${ms(analysis.cohortsMs)} (${analysis.rowsRead?.toLocaleString('en')} rows)`]);
    if (!analysis.error) {
      rows.push(['longest main-thread task during it (Long Tasks API, over ' + analysis.runs + ' runs)', analysis.longest ? `${ms(analysis.longest)} (${analysis.over50} tasks over 50 ms in all)` : 'none over 50 ms']);
    }
    const foreign = [...(firstChart?.foreign ?? []), ...(analysis.foreign ?? [])];
    rows.push(['requests leaving the origin', foreign.length ? foreign.join(', ') : 'none']);
  }
  out.push(table(['what', 'measured'], rows));
  console.log(out.join('\n'));
}

main().catch((error) => {
  console.error(error?.stack ?? error);
  process.exit(1);
});
