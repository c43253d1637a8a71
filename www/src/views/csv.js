// CSV written in the page (lists the page assembles itself: the product table, a custom
// audience), formula-safe as the engine's exports are: a text cell that a spreadsheet would run
// as a formula (=, +, -, @, tab, carriage return first) gets a leading apostrophe.

/** One cell: numbers as they are (empty when missing), text quoted when it must be and made formula-safe. */
export function csvCell(value) {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return '';
  if (typeof value === 'number') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header and rows (arrays of cells) as CSV text, one line each, with a final newline. */
export function csvText(header, rows) {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}
