// Excel benchmark under Node: a generated workbook of N order lines (default 100,000) read through
// the Excel module (xlsx/pkg) into the engine (pkg/), as the page's worker does, against the same
// rows as CSV through OrderBook.fromCsv. Prints the median time of each and the peak memory: each
// WebAssembly memory (it only grows, so its size after the first read is its peak) and the
// process's peak resident set. Each way runs in a fresh Node process, so neither inherits the
// other's memory. Run scripts/build.sh first.
//
//   node scripts/bench-xlsx.mjs [--rows 100000] [--runs 5]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function measure(kind, file, runs) {
  const engine = await import(new URL('pkg/customer_lens.js', root));
  const engineExports = engine.initSync({ module: readFileSync(new URL('pkg/customer_lens_bg.wasm', root)) });
  const bytes = new Uint8Array(readFileSync(file));
  let excelExports = null;
  let read;
  if (kind === 'xlsx') {
    const excel = await import(new URL('xlsx/pkg/customer_lens_xlsx.js', root));
    excelExports = excel.initSync({ module: readFileSync(new URL('xlsx/pkg/customer_lens_xlsx_bg.wasm', root)) });
    const { readWorkbook } = await import(new URL('www/src/xlsx.js', root));
    read = () => readWorkbook(bytes, {}, engine, excel).book;
  } else {
    read = () => engine.OrderBook.fromCsv(bytes, {});
  }
  const times = [];
  let summary;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const book = read();
    times.push(performance.now() - started);
    summary ??= book.summary();
    book.free();
  }
  return {
    milliseconds: median(times),
    rowsRead: summary.rowsRead,
    orders: summary.orders,
    revenue: summary.revenue,
    engineMemory: engineExports.memory.buffer.byteLength,
    excelMemory: excelExports?.memory.buffer.byteLength ?? 0,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
}

if (process.argv[2] === '--child') {
  const [, , , kind, file, runs] = process.argv;
  process.stdout.write(JSON.stringify(await measure(kind, file, Number(runs))));
} else {
  const rows = Number(option('rows', 100_000));
  const runs = Number(option('runs', 5));
  const { syntheticOrderRows, toCsv, writeWorkbook } = await import(new URL('www/tests/support/xlsx-writer.mjs', root));
  const table = syntheticOrderRows(rows);
  const folder = mkdtempSync(join(tmpdir(), 'customer-lens-bench-xlsx-'));
  try {
    const files = { xlsx: join(folder, 'orders.xlsx'), csv: join(folder, 'orders.csv') };
    writeFileSync(files.xlsx, writeWorkbook([{ name: 'Orders', rows: table }]));
    writeFileSync(files.csv, toCsv(table));
    const results = {};
    for (const kind of ['xlsx', 'csv']) {
      const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind, files[kind], String(runs)], { encoding: 'utf8' });
      results[kind] = { ...JSON.parse(output), fileBytes: readFileSync(files[kind]).length };
    }
    console.log(`${rows.toLocaleString('en')} order lines, median of ${runs} runs, each way in its own Node process`);
    for (const [kind, r] of Object.entries(results)) {
      console.log(`${kind.padEnd(4)} ${mib(r.fileBytes).padStart(9)}: ${r.milliseconds.toFixed(0).padStart(5)} ms; ` +
        `engine memory ${mib(r.engineMemory)}, Excel module memory ${mib(r.excelMemory)}, process peak RSS ${mib(r.maxRss)}; ` +
        `${r.rowsRead} rows, ${r.orders} orders, revenue ${r.revenue.toFixed(2)}`);
    }
    const same = ['rowsRead', 'orders', 'revenue'].every((key) => results.xlsx[key] === results.csv[key]);
    console.log(`xlsx / csv time: ${(results.xlsx.milliseconds / results.csv.milliseconds).toFixed(1)}×; same rows, orders and revenue: ${same ? 'yes' : 'NO'}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
