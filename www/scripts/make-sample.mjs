// Cuts the bundled sample out of the full UCI Online Retail file, reproducibly.
//
//   node scripts/make-sample.mjs /path/to/online-retail.csv [customerModulus] [anonymousModulus]
//
// Keeps the header, *every* line of the customers whose numeric CustomerID is divisible by
// `customerModulus` (so each kept customer's full history is there and RFM, cohorts and CLV stay
// meaningful), and every line of the anonymous invoices whose number is divisible by
// `anonymousModulus` (whole invoices, so guest orders stay intact). Lines keep their original
// order and bytes.
import { createReadStream, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const [source, customerModulusArg = '20', anonymousModulusArg = '20'] = process.argv.slice(2);
if (!source) {
  console.error('usage: node scripts/make-sample.mjs /path/to/online-retail.csv [customerModulus] [anonymousModulus]');
  process.exit(2);
}
const customerModulus = Number(customerModulusArg);
const anonymousModulus = Number(anonymousModulusArg);

/** The CustomerID column is the 7th field; only Description (3rd) is ever quoted. */
function fields(line) {
  const out = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(field); field = ''; }
    else field += c;
  }
  out.push(field);
  return out;
}

const kept = [];
let header = null;
let read = 0;
const lines = createInterface({ input: createReadStream(source), crlfDelay: Infinity });
for await (const line of lines) {
  if (header === null) { header = line; continue; }
  read++;
  const [invoice, , , , , , customer] = fields(line);
  if (customer.trim() !== '') {
    if (Math.round(Number(customer)) % customerModulus === 0) kept.push(line);
  } else {
    const invoiceNumber = Number(invoice.replace(/^[A-Za-z]+/, ''));
    if (invoiceNumber % anonymousModulus === 0) kept.push(line);
  }
}
const target = fileURLToPath(new URL('../public/samples/online-retail-sample.csv', import.meta.url));
const text = [header, ...kept].join('\n') + '\n';
writeFileSync(target, text);
console.log(`${kept.length} of ${read} lines kept, ${text.length} bytes → ${target}`);
