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

/**
 * The records of CSV text (quoted fields may hold commas, quotes and new lines), each an array
 * of fields; a final newline makes no empty record.
 */
export function csvRecords(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/**
 * CSV text (an engine export whose first column is the customer id) with only the rows of the
 * customers in `ids` (a Set), the header kept; the kept lines are the export's own text.
 */
export function keepCustomers(text, ids) {
  const lines = splitRecordLines(text);
  if (!lines.length) return text;
  const kept = lines.slice(1).filter((line) => ids.has(unformula(csvRecords(line)[0]?.[0] ?? '')));
  return `${[lines[0], ...kept].join('\n')}\n`;
}

/** A formula-safe cell's text as the customer id it stands for. */
function unformula(cell) {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** The lines of CSV text, a quoted new line staying inside its record. */
function splitRecordLines(text) {
  const lines = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) {
      lines.push(text.slice(start, i));
      if (char === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}
