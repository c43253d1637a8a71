// What the RFM view asks of the engine for its settings, which list it shows, and the ids in an
// answer. Apart from the view so that the lens and the <customer-lens> element (segment-select,
// exportCsv) ask for exactly the same customers without loading the chart code.
import { RFM_DEFAULTS } from './defaults.js';

/** The engine options for the current settings (defaults left out). */
export function engineOptions(settings) {
  const options = {};
  if (settings.asOf) options.asOf = settings.asOf;
  if (Number(settings.bins) && Number(settings.bins) !== RFM_DEFAULTS.bins) options.bins = Number(settings.bins);
  if (settings.monetary && settings.monetary !== RFM_DEFAULTS.monetary) options.monetary = settings.monetary;
  const rules = parseRules(settings.rules);
  if (rules) options.rules = rules;
  return options;
}

/** Custom rules from the settings (JSON in the URL hash), or null for the standard table. */
export function parseRules(text) {
  if (!text) return null;
  try {
    const rules = JSON.parse(text);
    return Array.isArray(rules) ? rules : null;
  } catch {
    return null;
  }
}

/** The customers' ids, as text, of an `rfmCustomers` answer (one string and its offsets). */
export function customerIdsOf(columns) {
  const ids = new Array(columns.count);
  for (let row = 0; row < columns.count; row++) ids[row] = columns.idText.slice(columns.idOffsets[row], columns.idOffsets[row + 1]);
  return ids;
}

/** What the list shows: `segment:<name>`, `group:vip`, `group:reactivate` or `all`. */
export function parseList(value) {
  if (!value) return null;
  if (value === 'all') return { kind: 'all' };
  const [kind, ...rest] = value.split(':');
  const name = rest.join(':');
  if (kind === 'segment' && name) return { kind, name };
  if (kind === 'group' && (name === 'vip' || name === 'reactivate')) return { kind, name };
  return null;
}
