// The "Show SQL" view: the same analysis as SQL for the user's warehouse (DuckDB, PostgreSQL,
// BigQuery, Spark SQL), written by the engine (`book.sql`) from the columns and rules the file
// was read with and the other views' settings, with copy and download; and the lifetime-value
// models fitted from the grouped summary that the `clvSummary` query produces, so a store too big
// for a browser tab still gets its BG/NBD and Gamma-Gamma parameters here. No charts.
import { download, h } from '../dom.js';
import { engineMessage, errorCard, fact, kpi, loadingCard, selectField } from './common.js';
import { COHORT_DEFAULTS, FIT_PERIOD_DAYS, RFM_DEFAULTS, SQL_DEFAULTS } from './defaults.js';
import { engineOptions as rfmEngineOptions, parseRules } from './rfmOptions.js';
import { clvOptions } from './clvOptions.js';
import { fitLine, gammaGammaParameters, parameterTable, purchaseModelInWords, purchaseParameters, warningItems } from './modelFit.js';

/** The engines the SQL is written for; their names are the same in every language. */
export const DIALECTS = { duckdb: 'DuckDB', postgres: 'PostgreSQL', bigquery: 'BigQuery', spark: 'Spark SQL' };
export const QUERIES = ['all', 'orders', 'rfm', 'cohorts', 'clvSummary'];
/** The queries described under "What the queries compute" (all of them, in order). */
const DESCRIBED = ['orders', 'rfm', 'cohorts', 'clvSummary'];
const MAX_PERIOD_DAYS = 365;
/** The header of the `clvSummary` query's result (what the grouped-summary reader expects). */
const SUMMARY_HEADER = 'model,frequency,recency_days,t_days,monetary_mean,customers';

/** `book.sql` options for this view's settings and the other views' (RFM, cohorts, CLV). */
export function sqlOptions(settings, allSettings, summary) {
  const options = {
    dialect: Object.hasOwn(DIALECTS, settings.dialect) ? settings.dialect : SQL_DEFAULTS.dialect,
    query: QUERIES.includes(settings.query) ? settings.query : SQL_DEFAULTS.query,
    table: String(settings.table ?? '').trim() || SQL_DEFAULTS.table,
    ...rfmEngineOptions(allSettings.rfm ?? {}),
  };
  const period = allSettings.cohorts?.period;
  if (period && period !== COHORT_DEFAULTS.period) options.period = period;
  const calibrationEnd = clvOptions(allSettings.clv ?? {}, summary).calibrationEnd;
  if (calibrationEnd) options.calibrationEnd = calibrationEnd;
  if (settings.grouping === 'period') Object.assign(options, { clvTimeGrouping: 'period', clvMonetaryDigits: 3 });
  return options;
}

function lineCount(text) {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

// ------------------------------------------------------------------ the SQL

function controls(ctx, options) {
  const { settings, setSettings } = ctx;
  const { t } = ctx.locale;
  const commitTable = (input) => {
    const table = input.value.trim();
    if (table !== (settings.table ?? '')) setSettings({ table: table || SQL_DEFAULTS.table });
  };
  const clvQuery = options.query === 'all' || options.query === 'clvSummary';
  return h('form', {
    class: 'card controls',
    id: 'sql-controls',
    onsubmit: (event) => {
      event.preventDefault();
      commitTable(event.currentTarget.querySelector('#sql-table'));
    },
  },
    selectField('sql-dialect', t('sql.dialect'), options.dialect, Object.entries(DIALECTS), (dialect) => setSettings({ dialect })),
    h('label', { class: 'field sql-table-field', for: 'sql-table' },
      h('span', { class: 'field-label' }, t('sql.table')),
      h('input', {
        id: 'sql-table',
        type: 'text',
        value: options.table,
        spellcheck: 'false',
        autocomplete: 'off',
        autocapitalize: 'off',
        'aria-describedby': 'sql-table-hint',
        onchange: (event) => commitTable(event.target),
      }),
      h('span', { class: 'hint', id: 'sql-table-hint' }, t('sql.table.hint')),
    ),
    selectField('sql-query', t('sql.query'), options.query, QUERIES.map((query) => [query, t(`sql.query.${query}`)]), (query) => setSettings({ query })),
    clvQuery
      ? selectField('sql-grouping', t('sql.grouping'), settings.grouping === 'period' ? 'period' : 'day', [['day', t('sql.grouping.day')], ['period', t('sql.grouping.period')]], (grouping) => setSettings({ grouping }))
      : null,
  );
}

/** The columns the SQL reads, as the file was read (quantity × unit price when there is no amount). */
function columnsText({ t }, summary) {
  const columns = Object.fromEntries(summary.columns ?? []);
  const parts = [];
  for (const role of ['customer', 'order', 'date']) {
    if (columns[role]) parts.push(`${t(`role.${role}`)}: ${columns[role]}`);
  }
  if (columns.amount) parts.push(`${t('role.amount')}: ${columns.amount}`);
  else if (columns.quantity && columns.unitPrice) parts.push(`${t('role.amount')}: ${t('sql.used.amount', { quantity: columns.quantity, unitPrice: columns.unitPrice })}`);
  if (columns.status) parts.push(`${t('role.status')}: ${columns.status}`);
  return parts.join(' · ');
}

/** What of the app's state the SQL carries, so nobody wonders why its numbers would differ. */
function settingsCard(ctx, options) {
  const { summary, allSettings, locale } = ctx;
  const { t, formatDate } = locale;
  const rules = parseRules(allSettings.rfm?.rules);
  const monetary = options.monetary === 'average' ? 'average' : 'total';
  return h('section', { class: 'card', id: 'sql-settings', 'aria-labelledby': 'sql-settings-heading' },
    h('h2', { id: 'sql-settings-heading' }, t('sql.used.heading')),
    h('dl', { class: 'facts' },
      fact(t('sql.used.columns'), columnsText(locale, summary), 'columns'),
      fact(t('sql.used.asOf'), options.asOf ? formatDate(options.asOf) : `${t('sql.used.asOfLast')} (${formatDate(summary.lastDate)})`, 'asOf'),
      fact(t('sql.used.bins'), t('sql.used.binsValue', { bins: options.bins ?? RFM_DEFAULTS.bins }), 'bins'),
      fact(t('sql.used.monetary'), t(`sql.used.monetary.${monetary}`), 'monetary'),
      fact(t('sql.used.rules'), rules ? t('sql.used.rules.custom', { n: rules.length }) : t('sql.used.rules.standard'), 'rules'),
      fact(t('sql.used.period'), t(`sql.used.period.${options.period ?? COHORT_DEFAULTS.period}`), 'period'),
      fact(t('sql.used.calibrationEnd'), formatDate(options.calibrationEnd ?? summary.lastDate), 'calibrationEnd'),
    ),
    h('p', { class: 'hint' }, t('sql.used.change')),
  );
}

/**
 * Says what a copy or download did, and keeps it in the view's state, so that a re-render of
 * the view (a resize, a language change) keeps it while the SQL is the same.
 */
function say({ t }, viewState, status, text, key, params = {}) {
  viewState.note = { text, key, params };
  status.textContent = t(key, params);
}

/** Copies through the Clipboard API; where the browser refuses, selects the code for Ctrl+C. */
async function copySql(locale, viewState, text, code, status) {
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    say(locale, viewState, status, text, 'sql.copied', { lines: lineCount(text) });
  } catch {
    const selection = code.ownerDocument.defaultView.getSelection();
    selection.selectAllChildren(code);
    code.parentElement.focus({ preventScroll: true });
    say(locale, viewState, status, text, 'sql.copyFallback');
  }
}

function codeCard(locale, viewState, options, text) {
  const { t } = locale;
  const dialect = DIALECTS[options.dialect];
  const file = `customer-lens-${options.query}-${options.dialect}.sql`;
  const code = h('code', { id: 'sql-code', lang: 'en', translate: 'no' }, text);
  const { note } = viewState;
  const status = h('p', { class: 'muted list-status', role: 'status', id: 'sql-status' }, note?.text === text ? t(note.key, note.params) : null);
  return h('section', { class: 'card sql-card', id: 'sql-output', 'aria-labelledby': 'sql-output-heading' },
    h('div', { class: 'list-head' },
      h('h2', { id: 'sql-output-heading' }, t('sql.code.label', { dialect }), ' ', h('span', { class: 'badge' }, t('sql.code.size', { lines: lineCount(text) }))),
      h('div', { class: 'list-actions' },
        h('button', { type: 'button', class: 'button primary', id: 'sql-copy', onclick: () => copySql(locale, viewState, text, code, status) }, t('sql.copy')),
        h('button', {
          type: 'button',
          class: 'button',
          id: 'sql-download',
          onclick: () => {
            download(file, text, 'application/sql;charset=utf-8');
            say(locale, viewState, status, text, 'sql.saved', { file });
          },
        }, t('sql.download')),
      ),
    ),
    status,
    h('pre', { class: 'sql-code', tabindex: 0, role: 'region', 'aria-labelledby': 'sql-output-heading' }, code),
  );
}

function aboutCard({ t }) {
  return h('section', { class: 'card', id: 'sql-about', 'aria-labelledby': 'sql-about-heading' },
    h('h2', { id: 'sql-about-heading' }, t('sql.about.heading')),
    h('dl', { class: 'sql-queries' }, DESCRIBED.map((query) => [
      h('dt', {}, h('code', {}, query)),
      h('dd', {}, t(`sql.about.${query}`)),
    ])),
    h('p', {}, t('sql.about.same')),
    h('p', { class: 'hint' }, t('sql.about.needs')),
  );
}

// ------------------------------------------------------------------ CLV from a grouped summary

/**
 * The grouped summary and its fit, in the view's state: the user's file is data, so it never
 * goes into the settings or the URL; it stays until another file is chosen.
 */
function fitStateOf(viewState) {
  viewState.fit ??= { file: null, periodDays: FIT_PERIOD_DAYS, periodText: String(FIT_PERIOD_DAYS), status: 'idle', result: null, error: null, token: null };
  return viewState.fit;
}

/** Sends the file to the worker, which reads it, fits both models with the counts as weights. */
function runFit(ctx, state) {
  const token = {};
  Object.assign(state, { token, status: 'pending', error: null });
  ctx.rerender();
  ctx.analyses.fitGroupedSummary(state.file, state.periodDays).then(
    (result) => {
      if (state.token !== token) return;
      Object.assign(state, { status: 'done', result });
      ctx.rerender();
    },
    (error) => {
      if (state.token !== token) return;
      Object.assign(state, { status: 'error', result: null, error });
      ctx.rerender();
    },
  );
}

/** The engine's warnings about a fit, worded by code in the locale's language. */
function warningList(locale, warnings) {
  return warnings?.length ? h('ul', { class: 'sql-fit-warnings' }, warningItems(locale, warnings)) : null;
}

/** An engine's error in the page's language where it words its code, marked English otherwise. */
function engineText(locale, error) {
  const worded = engineMessage(locale, error);
  return h('span', { lang: worded === (error?.message ?? String(error)) ? 'en' : locale.lang }, worded);
}

function failed(locale, error) {
  return h('p', { class: 'hint invalid' }, locale.t('sql.fit.failed', { message: '' }), engineText(locale, error));
}

function bgnbdColumn(locale, result) {
  const { t, formatNumber } = locale;
  const fit = result.bgnbd;
  const content = [h('h3', {}, t('sql.fit.bgnbd'))];
  if (!fit) return h('div', { class: 'model', id: 'sql-fit-bgnbd' }, content, failed(locale, result.bgnbdError));
  const { periodDays } = result;
  return h('div', { class: 'model', id: 'sql-fit-bgnbd' },
    content,
    purchaseModelInWords(locale, fit, periodDays, 'sql.fit'),
    parameterTable(locale, purchaseParameters(fit)),
    h('p', { class: 'muted small' }, t('sql.fit.alphaUnit', { periodDays: formatNumber(periodDays) }), ' ', fitLine(locale, fit)),
    warningList(locale, fit.warnings),
  );
}

function gammaGammaColumn(locale, result, currency) {
  const { t, formatMoney } = locale;
  const fit = result.gammaGamma;
  const content = [h('h3', {}, t('sql.fit.gg'))];
  if (!fit) return h('div', { class: 'model', id: 'sql-fit-gamma-gamma' }, content, failed(locale, result.gammaGammaError));
  return h('div', { class: 'model', id: 'sql-fit-gamma-gamma' },
    content,
    fit.populationMeanOrderValue === null || fit.populationMeanOrderValue === undefined
      ? null
      : h('p', {}, t('sql.fit.aov', { aov: formatMoney(fit.populationMeanOrderValue, currency) })),
    parameterTable(locale, gammaGammaParameters(fit)),
    h('p', { class: 'muted small' }, fitLine(locale, fit)),
    warningList(locale, fit.warnings),
  );
}

function fitResult(ctx, result) {
  const { locale } = ctx;
  const { t, formatBytes, formatInteger } = locale;
  return h('div', { class: 'sql-fit-result', id: 'sql-fit-result' },
    h('div', { class: 'kpis' },
      kpi('fitCustomers', t('sql.fit.customers'), formatInteger(result.customers), t('sql.fit.customersDetail')),
      kpi('fitGroups', t('sql.fit.groups'), formatInteger(result.rows), t('sql.fit.groupsDetail', { bgnbd: result.bgnbdRows, gammaGamma: result.gammaGammaRows })),
      kpi('fitRepeat', t('sql.fit.repeat'), result.gammaGamma ? formatInteger(result.gammaGamma.customers) : '–', t('sql.fit.repeatDetail')),
      kpi('fitTime', t('sql.fit.time'), t('sql.fit.timeValue', { ms: Math.max(1, Math.round(result.milliseconds)) }), t('sql.fit.timeDetail', { size: formatBytes(result.bytes) })),
    ),
    h('div', { class: 'model-columns' }, bgnbdColumn(locale, result), gammaGammaColumn(locale, result, ctx.currency)),
  );
}

/** Why the grouped summary could not be used. */
function fitError(locale, error) {
  return h('p', { class: 'hint invalid', id: 'sql-fit-error', role: 'alert' }, locale.t('sql.fit.error', { message: '' }), engineText(locale, error));
}

function fitCard(ctx) {
  const { t } = ctx.locale;
  const state = fitStateOf(ctx.state);
  const periodInvalid = state.periodText !== String(state.periodDays);
  const fileInput = h('input', {
    type: 'file',
    id: 'sql-fit-file',
    class: 'visually-hidden',
    accept: '.csv,.txt,.gz,text/csv,text/plain,application/gzip',
    'aria-describedby': 'sql-fit-file-hint sql-fit-error',
    'aria-invalid': state.status === 'error' ? 'true' : null,
    onchange: (event) => {
      const file = event.target.files?.[0];
      if (!file) return;
      state.file = file;
      runFit(ctx, state);
    },
  });
  const periodInput = h('input', {
    id: 'sql-fit-period',
    type: 'number',
    inputmode: 'numeric',
    min: 1,
    max: MAX_PERIOD_DAYS,
    step: 1,
    value: state.periodText,
    'aria-invalid': periodInvalid ? 'true' : null,
    'aria-describedby': 'sql-fit-period-hint',
    onchange: (event) => {
      const text = event.target.value.trim();
      const days = Number(text);
      state.periodText = text;
      if (Number.isInteger(days) && days >= 1 && days <= MAX_PERIOD_DAYS) {
        state.periodText = String(days);
        const changed = days !== state.periodDays;
        state.periodDays = days;
        if (changed && state.file) return runFit(ctx, state);
      }
      ctx.rerender();
    },
  });
  const fileStatus = state.status === 'pending'
    ? loadingCard(t('sql.fit.fitting', { file: state.file.name }))
    : h('p', { class: 'muted sql-fit-file-name', id: 'sql-fit-file-name' }, state.file ? state.file.name : t('sql.fit.noFile'));
  return h('section', { class: 'card', id: 'sql-fit', 'aria-labelledby': 'sql-fit-heading' },
    h('h2', { id: 'sql-fit-heading' }, t('sql.fit.heading')),
    h('p', {}, t('sql.fit.intro')),
    h('form', { class: 'sql-fit-form', onsubmit: (event) => event.preventDefault() },
      h('div', { class: 'field sql-fit-file' },
        h('span', { class: 'field-label', id: 'sql-fit-file-label' }, t('sql.fit.file')),
        h('div', { class: 'sql-fit-picker' },
          fileInput,
          h('label', { for: 'sql-fit-file', class: 'button primary file-button', id: 'sql-fit-choose' }, t('sql.fit.choose')),
          fileStatus,
        ),
        h('span', { class: 'hint', id: 'sql-fit-file-hint' }, t('sql.fit.fileHint'), ' ', h('code', { class: 'sql-header', translate: 'no' }, SUMMARY_HEADER)),
        state.status === 'error'
          ? fitError(ctx.locale, state.error)
          : null,
      ),
      h('label', { class: 'field narrow', for: 'sql-fit-period' },
        h('span', { class: 'field-label' }, t('sql.fit.periodDays')),
        periodInput,
        h('span', { class: periodInvalid ? 'hint invalid' : 'hint', id: 'sql-fit-period-hint' }, periodInvalid ? t('sql.fit.periodInvalid') : t('sql.fit.periodHint')),
      ),
    ),
    state.status === 'done' ? fitResult(ctx, state.result) : null,
  );
}

// ------------------------------------------------------------------ the view

export function renderSqlView(ctx) {
  const { settings, summary, locale } = ctx;
  const { t } = locale;
  const options = sqlOptions(settings, ctx.allSettings, summary);
  const entry = ctx.analyses.get('sql', options);
  const head = h('div', { class: 'view-head' },
    h('h2', { class: 'view-title', id: 'view-heading', tabindex: -1 }, t('sql.heading')),
    h('p', { class: 'muted' }, t('sql.intro')),
  );
  const output = entry.status === 'pending' ? loadingCard(t('sql.loading'))
    : entry.status === 'error' ? errorCard(locale, entry.error)
      : codeCard(locale, ctx.state, options, entry.value);
  return h('div', { class: 'view sql' },
    head,
    controls(ctx, options),
    output,
    h('div', { class: 'two-columns' }, aboutCard(locale), settingsCard(ctx, options)),
    fitCard(ctx),
  );
}
