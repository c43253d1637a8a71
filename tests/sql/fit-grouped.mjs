// Times the in-browser path of a grouped CLV summary under Node's WASM engine (the same engine
// as Chromium's): read the file, parseGroupedSummary, weighted fitBgNbd and fitGammaGamma.
// A benchmark, never part of a test run. Usage (after scripts/build.sh):
//   node tests/sql/fit-grouped.mjs FILE.csv [--period-days 7]
// Make a file with `cargo run --release -p customer-lens-sql --bin grouped_summary -- --out FILE.csv`.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { initSync, parseGroupedSummary, fitBgNbd, fitGammaGamma, useSqlModule } from '../../pkg/customer_lens.js';
import * as sqlModule from '../../sql/pkg/customer_lens_sql.js';

const [path, ...rest] = process.argv.slice(2);
if (!path) {
  console.error('usage: node tests/sql/fit-grouped.mjs FILE.csv [--period-days 7]');
  process.exit(2);
}
const periodDays = rest[0] === '--period-days' ? Number(rest[1]) : 7;
initSync({ module: fs.readFileSync(new URL('../../pkg/customer_lens_bg.wasm', import.meta.url)) });
sqlModule.initSync({ module: fs.readFileSync(new URL('../../sql/pkg/customer_lens_sql_bg.wasm', import.meta.url)) });
useSqlModule(sqlModule);

const text = fs.readFileSync(path, 'utf8');
const seconds = (from) => ((performance.now() - from) / 1000).toFixed(3);
let start = performance.now();
const grouped = parseGroupedSummary(text, { periodDays });
const parsed = seconds(start);
start = performance.now();
const { frequency, recency, T, weights } = grouped.bgnbd;
const bgnbd = fitBgNbd(frequency, recency, T, weights);
const bgnbdTime = seconds(start);
start = performance.now();
const spend = fitGammaGamma(grouped.gammaGamma.frequency, grouped.gammaGamma.monetaryMean,
  grouped.gammaGamma.weights);
const spendTime = seconds(start);
console.log(`${path}: ${(text.length / 1e6).toFixed(2)} MB, ${grouped.rows} rows, ${grouped.customers} customers`);
console.log(`WASM: parse ${parsed} s, BG/NBD fit ${bgnbdTime} s, Gamma-Gamma fit ${spendTime} s`);
const digits = (fit, names) => names.map((n) => `${n} ${fit[n].toFixed(4)}`).join(', ');
console.log(`BG/NBD: ${digits(bgnbd, ['r', 'alpha', 'a', 'b'])}; Gamma-Gamma: ${digits(spend, ['p', 'q', 'v'])}`);
