// Pieces every analysis view uses: the loading and error states, cards, KPI tiles, captions,
// form fields and export buttons.
import { deferred, download, h } from '../dom.js';
import { chartActions } from '../chartExport.js';

export function loadingCard(text) {
  return h('div', { class: 'card loading-card', role: 'status' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    h('span', {}, text, h('span', { 'aria-hidden': 'true' }, '…')),
  );
}

/** An error of the engine in `locale`'s language, by its code as the worker passes it on (English when there is no wording). */
export function engineMessage({ describeMessage }, error) {
  const english = error?.message ?? String(error);
  const code = error?.params?.engineCode ?? error?.code;
  return describeMessage({ code, params: error?.params }, english);
}

/** An analysis that could not run: the engine's message in `locale`'s language. */
export function errorCard(locale, error) {
  return h('div', { class: 'banner error', role: 'alert' },
    h('div', {}, h('strong', {}, locale.t('error.analysis')), h('p', {}, engineMessage(locale, error))),
  );
}

/**
 * A warning of the engine (`{ code, message, params }`) as a list item in `locale`'s language;
 * worded in another language than English, the engine's English text follows in small print.
 */
export function messageItem({ lang, describeMessage }, message, className) {
  const text = describeMessage(message);
  const translated = lang !== 'en' && text !== message.message;
  return h('li', { class: className, dataset: { code: message.code } },
    translated ? [text, ' ', h('small', { lang: 'en' }, message.message)] : text);
}

/**
 * A card with a heading (id for aria-labelledby) and an optional caption. A card holding a
 * chart (a `.chart` box) offers it for download as SVG and PNG next to its heading (buttons
 * labelled in `locale`'s language).
 */
export function card(locale, id, title, caption, ...content) {
  const heading = h('h2', { id: `${id}-heading` }, title);
  const head = h('div', { class: 'card-head' }, heading);
  const section = h('section', { class: 'card', 'aria-labelledby': `${id}-heading`, id },
    head,
    caption ? h('p', { class: 'muted caption' }, caption) : null,
    content,
  );
  if (section.querySelector('.chart')) head.append(chartActions(section, id, title, locale));
  return section;
}

/** A KPI tile; with `onclick` it is a button. */
export function kpi(key, label, value, detail, onclick, actionLabel) {
  const content = [
    h('span', { class: 'kpi-label' }, label),
    h('span', { class: 'kpi-value' }, value),
    detail ? h('span', { class: 'kpi-detail' }, detail) : null,
    onclick && actionLabel ? h('span', { class: 'kpi-action' }, actionLabel, ' →') : null,
  ];
  return onclick
    ? h('button', { type: 'button', class: 'kpi clickable', dataset: { kpi: key }, onclick }, content)
    : h('div', { class: 'kpi', dataset: { kpi: key } }, content);
}

/** The width a chart gets inside a card of a given outer width. */
export function innerWidth(outer, isPhone) {
  return Math.max(240, Math.floor(outer - (isPhone ? 34 : 42)));
}

/**
 * A <details> with the numbers behind a chart, for screen readers and for people who want them.
 * Its table is built like a chart, later (`deferred`): closed, it is out of sight, and a view's
 * tables are as many nodes as its charts, which a redraw need not build in its own task.
 */
export function tableAlternative(summary, id, header, rows) {
  return h('details', { class: 'table-alternative', id },
    h('summary', {}, summary),
    h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': summary },
      deferred(() => h('table', { class: 'data-table compact' },
        h('thead', {}, h('tr', {}, header.map((text, i) => h('th', { scope: 'col', class: i === 0 ? null : 'num' }, text)))),
        h('tbody', {}, rows.map((row) => h('tr', {}, row.map((text, i) => (i === 0 ? h('th', { scope: 'row' }, text) : h('td', { class: 'num' }, text)))))),
      ), { height: 120 }),
    ),
  );
}


/** A term and its value in a `.facts` list; `key` names it for scripts and tests (`data-fact`). */
export function fact(label, value, key) {
  return h('div', { class: 'fact', dataset: { fact: key } }, h('dt', {}, label), h('dd', {}, value));
}

/** A legend's colour square (the colour a CSS value: `var(--cl-accent)`, `#b33a3a`). */
export function swatch(color) {
  return h('span', { class: 'swatch', 'aria-hidden': 'true', vars: { '--swatch': color } });
}

/** A labelled <select> of `[value, text]` choices; `onChange` gets the chosen value as text. */
export function selectField(id, label, value, choices, onChange) {
  return h('label', { class: 'field', for: id },
    h('span', { class: 'field-label' }, label),
    h('select', { id, onchange: (event) => onChange(event.target.value) },
      choices.map(([choice, text]) => h('option', { value: choice, selected: String(choice) === String(value) }, text))),
  );
}

/** A labelled date input (`YYYY-MM-DD`), optionally bounded and disabled. */
export function dateField(id, label, value, { min = null, max = null, disabled = false } = {}, onChange) {
  return h('label', { class: 'field', for: id },
    h('span', { class: 'field-label' }, label),
    h('input', { id, type: 'date', value, min, max, disabled, onchange: (event) => onChange(event.target.value) }),
  );
}

/**
 * Saves what `content()` resolves to as `file`, from an export button: the button is disabled
 * meanwhile, and `status` then says `saved` (or why it failed).
 */
export async function exportToFile({ button, status, file, content, saved }) {
  button.disabled = true;
  try {
    download(file, await content());
    status.textContent = saved;
  } catch (error) {
    status.textContent = error?.message ?? String(error);
  } finally {
    button.disabled = false;
  }
}

/**
 * An RFM segment's name in `locale`'s words, from the name the engine gives it (the standard
 * table's English names, by their code); a custom rule table's own names as they are.
 */
export function segmentName({ t, messages }, name) {
  const code = String(name).toLowerCase().replace(/'/g, '').replace(/[^a-z0-9]+/g, '_');
  return Object.hasOwn(messages, `segment.${code}.name`) ? t(`segment.${code}.name`) : name;
}
