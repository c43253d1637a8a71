// CSV written in the page (lists the page assembles itself: the product table, a custom
// audience), formula-safe by the engine's rule (src/csv_writer.rs, `neutralise_formula`): a text
// cell that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) gets a
// leading apostrophe, except a phone id in E.164 (`+84912345678`: `+` then 7 to 15 digits, a
// number, not a formula), written as it is. tests/api/csv.test.mjs checks that both write every
// cell alike.

/** A phone number in E.164, as the engine's `is_e164` (src/ingest/identity.rs) reads it. */
const E164 = /^\+[0-9]{7,15}$/;

/** One cell: numbers as they are (empty when missing), text quoted when it must be and made formula-safe. */
export function csvCell(value) {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return '';
  if (typeof value === 'number') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !E164.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header and rows (arrays of cells) as CSV text, one line each, with a final newline. */
export function csvText(header, rows) {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}
