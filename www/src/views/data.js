// The Data view: how the file was read: the rows (read, accepted, rejected, without a customer),
// the file's facts (format, encoding, delimiter, date order, notes), which column is which (the
// mapping form, which re-reads the data with the user's choice) and what was rejected. The
// summary card of the book's figures is the Overview's first card, drawn here too.
import { h } from '../dom.js';
import { dayOfIsoDate } from '../i18n.js';
import { fact, selectField } from './common.js';

export const ROLES = ['customer', 'order', 'date', 'amount', 'quantity', 'unitPrice', 'status', 'country', 'region', 'channel', 'paymentMethod', 'discountCode', 'tags', 'location', 'productId', 'productName', 'category'];
export const PRESETS = ['online-retail', 'shopify', 'haravan', 'sapo', 'kiotviet', 'woocommerce', 'cdnow', 'generic'];
export const DATE_ORDERS = ['ymd', 'dmy', 'mdy'];
export const DELIMITERS = [
  [',', 'delimiter.comma'],
  [';', 'delimiter.semicolon'],
  ['\t', 'delimiter.tab'],
  ['|', 'delimiter.pipe'],
  ['whitespace', 'delimiter.whitespace'],
];
export const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'windows-1258'];

/** The words for a delimiter as the summary reports it. */
function delimiterName({ t }, delimiter) {
  const names = { ',': 'delimiter.comma', ';': 'delimiter.semicolon', '\t': 'delimiter.tab', tab: 'delimiter.tab', '|': 'delimiter.pipe', ' ': 'delimiter.whitespace', whitespace: 'delimiter.whitespace' };
  return names[delimiter] ? t(names[delimiter]) : delimiter || t('summary.unknown');
}

function decimalName({ t }, separator) {
  const names = { '.': 'decimal.point', dot: 'decimal.point', point: 'decimal.point', ',': 'decimal.comma', comma: 'decimal.comma' };
  return names[separator] ? t(names[separator]) : separator || t('summary.unknown');
}

function presetName({ t }, preset) {
  return preset ? t(`preset.${preset}`) : t('summary.unknown');
}

function metric(label, value, detail, testId) {
  return h('div', { class: 'metric', dataset: { metric: testId } },
    h('dt', {}, label),
    h('dd', {}, h('span', { class: 'metric-value' }, value), detail ? h('span', { class: 'metric-detail' }, detail) : null),
  );
}

/** The book's figures: orders, customers, net revenue and the dates they span (the Overview's first card). */
export function summaryCard(locale, summary, currency) {
  const { t, formatDate, formatInteger, formatMoney } = locale;
  const firstDay = dayOfIsoDate(summary.firstDate);
  const lastDay = dayOfIsoDate(summary.lastDate);
  const days = Number.isNaN(firstDay) || Number.isNaN(lastDay) ? null : lastDay - firstDay + 1;
  const dateRange = summary.firstDate
    ? `${formatDate(summary.firstDate)} – ${formatDate(summary.lastDate)}`
    : t('summary.unknown');
  return h('section', { class: 'card summary-card', 'aria-labelledby': 'summary-heading' },
    h('h2', { id: 'summary-heading' }, t('summary.heading')),
    h('dl', { class: 'metrics' },
      metric(t('summary.orders'), formatInteger(summary.orders),
        t('summary.ordersDetail', { purchases: summary.purchases, returns: summary.returns }), 'orders'),
      metric(t('summary.customers'), formatInteger(summary.customers),
        t('summary.customersDetail', { n: summary.customersWithPurchase }), 'customers'),
      metric(t('summary.revenue'), formatMoney(summary.revenue, currency), t('summary.revenueDetail'), 'revenue'),
      metric(t('summary.dateRange'), dateRange, days ? t('summary.dateRangeDetail', { days }) : null, 'dateRange'),
    ),
  );
}

/** What became of the rows: read, accepted, rejected, without a customer, returns and cancellations. */
export function rowsCard(locale, summary) {
  const { t, formatInteger } = locale;
  return h('section', { class: 'card rows-card', 'aria-labelledby': 'rows-heading' },
    h('h2', { id: 'rows-heading' }, t('summary.rowsHeading')),
    h('dl', { class: 'facts' },
      fact(t('summary.rows'), t('summary.rowsDetail', { read: summary.rowsRead, accepted: summary.rowsAccepted, rejected: summary.rowsRejected }), 'rows'),
      fact(t('summary.returns'), formatInteger(summary.returns), 'returns'),
      fact(t('summary.cancelled'), formatInteger(summary.cancelled), 'cancelled'),
      fact(t('summary.anonymous'), [formatInteger(summary.rowsAnonymous), h('small', {}, t('summary.anonymousDetail'))], 'anonymous'),
      summary.blankLines ? fact(t('summary.blankLines'), formatInteger(summary.blankLines), 'blankLines') : null,
      summary.titleLines ? fact(t('summary.titleLines'), formatInteger(summary.titleLines), 'titleLines') : null,
    ),
  );
}

export function fileCard(locale, summary) {
  const { t } = locale;
  const notes = summary.notes ?? [];
  return h('section', { class: 'card file-card', 'aria-labelledby': 'file-heading' },
    h('h2', { id: 'file-heading' }, t('summary.file')),
    h('dl', { class: 'facts' },
      fact(t('summary.preset'), presetName(locale, summary.preset), 'preset'),
      summary.workbook
        ? fact(t('summary.sheet'), [
          summary.workbook.sheet,
          summary.workbook.sheets.length > 1 ? h('small', {}, t('summary.sheetOf', { n: summary.workbook.sheets.length })) : null,
        ], 'sheet')
        : [
          fact(t('summary.encoding'), summary.encoding || t('summary.unknown'), 'encoding'),
          fact(t('summary.delimiter'), delimiterName(locale, summary.delimiter), 'delimiter'),
        ],
      fact(t('summary.dateOrder'), [
        summary.dateOrder ? t(`dateOrder.${summary.dateOrder}`) : t('summary.unknown'),
        summary.dateOrderAmbiguous ? h('small', { class: 'warning' }, t('summary.dateOrderAmbiguous')) : null,
      ], 'dateOrder'),
      fact(t('summary.decimalSeparator'), decimalName(locale, summary.decimalSeparator), 'decimalSeparator'),
    ),
    notes.length ? h('div', { class: 'notes' }, h('h3', {}, t('summary.notes')), h('ul', {}, notes.map((note, i) => h('li', {}, locale.describeNote(summary.noteCodes?.[i], note))))) : null,
  );
}

/** Select values for a role: detect it, no such column, or a header (prefixed: any text is a valid header). */
const DETECT = 'detect';
const NONE = 'none';
const headerValue = (header) => `h:${header}`;

/**
 * The column mapping form. `draft` holds the options being edited ({ preset, columns,
 * dateOrder, delimiter, encoding, or for a workbook sheet }; '' or absent = detect; a role
 * mapped to '' = "this file has no such column"); `onApply(options)` re-reads the data with them.
 */
export function mappingCard(locale, summary, draft, { onChange, onApply, onReset, canReparse }) {
  const { t } = locale;
  const detected = Object.fromEntries(summary.columns ?? []);
  const headers = summary.headers ?? [];
  const columns = draft.columns ?? {};
  const setColumn = (role, value) => {
    const next = { ...columns };
    if (value === DETECT) delete next[role];
    else next[role] = value === NONE ? '' : value.slice(2);
    onChange({ ...draft, columns: next });
  };
  const detectLabel = (name) => (name ? `${t('mapping.detect')} (${name})` : t('mapping.detect'));
  const heading = h('h2', { id: 'mapping-heading' }, t('mapping.heading'));
  if (!canReparse) {
    return h('section', { class: 'card mapping-card', 'aria-labelledby': 'mapping-heading' }, heading, h('p', { class: 'muted' }, t('mapping.unavailable')));
  }
  return h('section', { class: 'card mapping-card', 'aria-labelledby': 'mapping-heading' },
    heading,
    h('p', { class: 'muted' }, t('mapping.intro')),
    h('form', {
      class: 'mapping-form',
      onsubmit: (event) => {
        event.preventDefault();
        onApply(cleanOptions(draft));
      },
    },
      h('div', { class: 'mapping-settings' },
        selectField('mapping-preset', t('mapping.preset'), draft.preset ?? '',
          [['', detectLabel(summary.preset ? t(`preset.${summary.preset}`) : '')], ...PRESETS.map((p) => [p, t(`preset.${p}`)])],
          (preset) => onChange({ ...draft, preset })),
        selectField('mapping-date-order', t('mapping.dateOrder'), draft.dateOrder ?? '',
          [['', detectLabel(summary.dateOrder ? t(`dateOrder.${summary.dateOrder}`) : '')], ...DATE_ORDERS.map((o) => [o, t(`dateOrder.${o}`)])],
          (dateOrder) => onChange({ ...draft, dateOrder })),
        // A workbook has sheets where a text file has a delimiter and an encoding.
        summary.workbook
          ? selectField('mapping-sheet', t('mapping.sheet'), draft.sheet ?? '',
            [['', detectLabel(summary.workbook.sheet)], ...summary.workbook.sheets.map((name) => [name, name])],
            (sheet) => onChange({ ...draft, sheet }))
          : [
            selectField('mapping-delimiter', t('mapping.delimiter'), draft.delimiter ?? '',
              [['', detectLabel(summary.delimiter ? delimiterName(locale, summary.delimiter) : '')], ...DELIMITERS.map(([d, key]) => [d, t(key)])],
              (delimiter) => onChange({ ...draft, delimiter })),
            selectField('mapping-encoding', t('mapping.encoding'), draft.encoding ?? '',
              [['', detectLabel(summary.encoding)], ...ENCODINGS.map((e) => [e, e])],
              (encoding) => onChange({ ...draft, encoding })),
          ],
      ),
      h('table', { class: 'mapping-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('mapping.role')), h('th', { scope: 'col' }, t('mapping.column')))),
        h('tbody', {}, ROLES.map((role) => {
          const id = `mapping-role-${role}`;
          const value = !Object.hasOwn(columns, role) ? DETECT : columns[role] === '' ? NONE : headerValue(columns[role]);
          return h('tr', { dataset: { role } },
            h('th', { scope: 'row' }, h('label', { for: id }, t(`role.${role}`))),
            h('td', {},
              h('select', { id, onchange: (event) => setColumn(role, event.target.value) },
                h('option', { value: DETECT, selected: value === DETECT }, detectLabel(detected[role] ?? t('mapping.notFound'))),
                h('option', { value: NONE, selected: value === NONE }, t('mapping.none')),
                headers.map((header) => h('option', { value: headerValue(header), selected: value === headerValue(header) }, header)),
              ),
            ),
          );
        })),
      ),
      attributePicker(locale, summary, draft, onChange),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'button primary', id: 'mapping-apply' }, t('mapping.apply')),
        h('button', { type: 'button', class: 'button', id: 'mapping-reset', onclick: onReset }, t('mapping.reset')),
      ),
    ),
  );
}

/**
 * Any other column kept per order, to filter and compare by (the engine's `attributes` option):
 * a checkbox per header that no role has taken.
 */
function attributePicker({ t }, summary, draft, onChange) {
  const taken = new Set([...(summary.columns ?? []).map(([, header]) => header), ...Object.values(draft.columns ?? {})]);
  const headers = (summary.headers ?? []).filter((header) => !taken.has(header));
  if (!headers.length) return null;
  const picked = new Set(draft.attributes ?? []);
  const toggle = (header, on) => {
    const next = new Set(picked);
    if (on) next.add(header);
    else next.delete(header);
    onChange({ ...draft, attributes: headers.filter((name) => next.has(name)) });
  };
  return h('fieldset', { class: 'attribute-picker', id: 'mapping-attributes' },
    h('legend', { class: 'field-label' }, t('mapping.attributes')),
    h('p', { class: 'muted hint' }, t('mapping.attributesHint')),
    h('div', { class: 'attribute-options' }, headers.map((header, i) => h('label', { class: 'checkbox', for: `mapping-attribute-${i}` },
      h('input', { type: 'checkbox', id: `mapping-attribute-${i}`, value: header, checked: picked.has(header), onchange: (event) => toggle(header, event.target.checked) }),
      h('span', {}, header)))),
  );
}

/** Options as the API takes them: detected settings left out rather than sent empty. */
export function cleanOptions(draft) {
  const options = {};
  for (const key of ['preset', 'dateOrder', 'delimiter', 'encoding', 'sheet']) if (draft[key]) options[key] = draft[key];
  if (draft.columns && Object.keys(draft.columns).length) options.columns = { ...draft.columns };
  if (draft.attributes?.length) options.attributes = [...draft.attributes];
  return options;
}

export function rejectsCard({ t, formatInteger, describeReject }, summary) {
  const rejects = summary.rejects ?? [];
  const total = summary.rowsRejected ?? rejects.length;
  return h('section', { class: 'card rejects-card', 'aria-labelledby': 'rejects-heading' },
    h('h2', { id: 'rejects-heading' }, t('rejects.heading'), ' ', h('span', { class: 'badge', dataset: { count: total } }, formatInteger(total))),
    total === 0
      ? h('p', { class: 'ok' }, t('rejects.none'))
      : [
        h('p', { class: 'muted', id: 'rejects-caption' },
          rejects.length < total ? t('rejects.count', { shown: rejects.length, total }) : t('rejects.countAll', { total })),
        h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'rejects-heading' },
          h('table', { class: 'data-table rejects-table', 'aria-describedby': 'rejects-caption' },
            h('thead', {}, h('tr', {},
              h('th', { scope: 'col', class: 'num' }, t('rejects.row')),
              h('th', { scope: 'col' }, t('rejects.column')),
              h('th', { scope: 'col' }, t('rejects.value')),
              h('th', { scope: 'col' }, t('rejects.reason')),
            )),
            h('tbody', {}, rejects.map((reject) => h('tr', {},
              h('td', { class: 'num' }, formatInteger(reject.row)),
              h('td', {}, reject.column || '–'),
              h('td', { class: 'value' }, reject.value === '' ? h('em', {}, t('rejects.empty')) : reject.value),
              h('td', {}, describeReject(reject)),
            ))),
          ),
        ),
      ],
  );
}

/** The whole Data view. */
export function renderDataView({ locale, summary, draft, mapping }) {
  const { t } = locale;
  return h('div', { class: 'view data-view' },
    h('div', { class: 'view-head' },
      h('h2', { class: 'view-title', id: 'view-heading', tabindex: -1 }, t('data.heading')),
      h('p', { class: 'muted' }, t('data.intro')),
    ),
    h('div', { class: 'two-columns' },
      mappingCard(locale, summary, draft, mapping),
      h('div', { class: 'stack' }, rowsCard(locale, summary), fileCard(locale, summary)),
    ),
    rejectsCard(locale, summary),
  );
}
