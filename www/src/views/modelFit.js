// The fitted models as the lifetime-value and "Show SQL" views show them: each parameter with a
// 95% interval from its standard error, the fit's summary line, and the engine's warnings.
import { h } from '../dom.js';
import { messageItem } from './common.js';

/** The 97.5% quantile of the standard normal: estimate ± Z95 · standard error is a 95% interval. */
const Z95 = 1.959964;

/** Model parameters span many magnitudes (a = 5e-7, b = 5e4): tiny ones in scientific notation. */
function formatParameter({ formatNumber, formatScientific }, value) {
  return value !== 0 && Math.abs(value) < 0.001 ? formatScientific(value) : formatNumber(value, 3);
}

/**
 * A table of `[label, key, estimate, standardError]` parameters: the estimate and its interval
 * (or "not identified" without a standard error). The exact value rides along in `data-value`
 * (and the name in `data-parameter`) for scripts and tests.
 */
export function parameterTable(locale, parameters) {
  const { t } = locale;
  const rows = parameters.map(([label, key, value, standardError]) => {
    const interval = standardError === null || standardError === undefined || !Number.isFinite(standardError)
      ? h('span', { class: 'muted' }, t('clv.model.noInterval'))
      : `${formatParameter(locale, Math.max(0, value - Z95 * standardError))} – ${formatParameter(locale, value + Z95 * standardError)}`;
    return h('tr', { dataset: { parameter: key, value: String(value) } },
      h('th', { scope: 'row' }, label),
      h('td', { class: 'num' }, formatParameter(locale, value)),
      h('td', { class: 'num' }, interval));
  });
  return h('div', { class: 'table-scroll parameters-scroll' }, h('table', { class: 'data-table compact parameters' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('clv.model.parameter')),
      h('th', { scope: 'col', class: 'num' }, t('clv.model.estimate')),
      h('th', { scope: 'col', class: 'num' }, t('clv.model.interval')))),
    h('tbody', {}, rows),
  ));
}

/** The BG/NBD parameters of a fit (α in its periods), as `parameterTable` takes them. */
export function bgnbdParameters(fit) {
  const se = fit.standardErrors ?? {};
  return [['r', 'r', fit.r, se.r], ['α', 'alpha', fit.alpha, se.alpha], ['a', 'a', fit.a, se.a], ['b', 'b', fit.b, se.b]];
}

/** The Gamma-Gamma parameters of a fit, as `parameterTable` takes them. */
export function gammaGammaParameters(fit) {
  const se = fit.standardErrors ?? {};
  return [['p', 'p', fit.p, se.p], ['q', 'q', fit.q, se.q], ['v', 'v', fit.v, se.v]];
}

/**
 * What a BG/NBD fit says in words: how often a customer buys while active, and how many stop
 * after each purchase. `wording` is the view's message prefix (`clv.model`, `sql.fit`), whose
 * `.rate`, `.dropout` and `.dropoutNone` say it.
 */
export function bgnbdInWords({ t, formatNumber, formatPercent }, fit, periodDays, wording) {
  const perPeriod = fit.r / fit.alpha;
  const dropout = fit.a / (fit.a + fit.b);
  return [
    h('p', {}, t(`${wording}.rate`, { perYear: formatNumber((perPeriod * 365) / periodDays, 1), perPeriod: formatNumber(perPeriod, 2), periodDays: formatNumber(periodDays) })),
    h('p', {}, dropout < 0.0001 ? t(`${wording}.dropoutNone`) : t(`${wording}.dropout`, { dropout: formatPercent(dropout, dropout < 0.01 ? 2 : 1) })),
  ];
}

/** "log-likelihood −9,582.4 · 2,357 customers · converged". */
export function fitLine({ t, formatNumber }, fit) {
  return t('clv.model.fit', { ll: formatNumber(fit.logLikelihood, 1), customers: fit.customers, status: fit.converged ? t('clv.model.converged') : t('clv.model.notConverged') });
}

/** The engine's warnings as list items, worded by code in `locale`'s language (see `messageItem`). */
export function warningItems(locale, warnings) {
  return warnings.map((warning) => messageItem(locale, warning));
}
