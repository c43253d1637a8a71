// The fitted models as the lifetime-value and "Show SQL" views show them: each parameter with a
// 90% interval, the fit's summary line, and the engine's warnings.
import { h } from '../dom.js';
import { messageItem } from './common.js';

/** The 95% quantile of the standard normal: estimate ± Z90 · standard error is a 90% interval,
 * the level the engine gives the purchase models' intervals at. */
const Z90 = 1.644854;

/** The usual name of each purchase model, by its option value. */
export const MODEL_NAMES = { bgNbd: 'BG/NBD', mbgNbd: 'MBG/NBD', paretoNbd: 'Pareto/NBD' };

/** Model parameters span many magnitudes (a = 5e-7, b = 5e4): tiny ones in scientific notation. */
function formatParameter({ formatNumber, formatScientific }, value) {
  return value !== 0 && Math.abs(value) < 0.001 ? formatScientific(value) : formatNumber(value, 3);
}

/**
 * A table of `[label, key, estimate, [lower, upper] | null]` parameters: the estimate and its
 * 90% interval (or "not identified" without one). The exact value rides along in `data-value`
 * (and the name in `data-parameter`) for scripts and tests.
 */
export function parameterTable(locale, parameters) {
  const { t } = locale;
  const rows = parameters.map(([label, key, value, bounds]) => {
    const interval = !bounds || !bounds.every(Number.isFinite)
      ? h('span', { class: 'muted' }, t('clv.model.noInterval'))
      : `${formatParameter(locale, bounds[0])} – ${formatParameter(locale, bounds[1])}`;
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

const PURCHASE_PARAMETERS = {
  bgNbd: [['r', 'r'], ['α', 'alpha'], ['a', 'a'], ['b', 'b']],
  mbgNbd: [['r', 'r'], ['α', 'alpha'], ['a', 'a'], ['b', 'b']],
  paretoNbd: [['r', 'r'], ['α', 'alpha'], ['s', 's'], ['β', 'beta']],
};

/** A purchase model's parameters (α and β in its periods) with the engine's 90% intervals (delta
 * method on the log scale, so never below 0), as `parameterTable` takes them. */
export function purchaseParameters(fit, model = 'bgNbd') {
  return PURCHASE_PARAMETERS[model].map(([label, key]) => [label, key, fit[key], fit.intervals ? [fit.intervals.lower[key], fit.intervals.upper[key]] : null]);
}

/** The Gamma-Gamma parameters of a fit with 90% intervals from their standard errors (normal,
 * kept ≥ 0), as `parameterTable` takes them. */
export function gammaGammaParameters(fit) {
  const se = fit.standardErrors ?? {};
  const bounds = (value, standardError) => (Number.isFinite(standardError) ? [Math.max(0, value - Z90 * standardError), value + Z90 * standardError] : null);
  return [['p', 'p'], ['q', 'q'], ['v', 'v']].map(([label, key]) => [label, key, fit[key], bounds(fit[key], se[key])]);
}

/**
 * What a purchase model's fit says in words: how often a customer buys while active, and how
 * customers leave (after a purchase for BG/NBD and MBG/NBD, at any time for Pareto/NBD).
 * `wording` is the view's message prefix (`clv.model`, `sql.fit`), whose `.rate`, `.dropout`
 * and `.dropoutNone` say it (and `.dropoutMbg`, `.dropoutPareto` for those models).
 */
export function purchaseModelInWords({ t, formatNumber, formatPercent }, fit, periodDays, wording, model = 'bgNbd') {
  const perPeriod = fit.r / fit.alpha;
  const rate = h('p', {}, t(`${wording}.rate`, { perYear: formatNumber((perPeriod * 365) / periodDays, 1), perPeriod: formatNumber(perPeriod, 2), periodDays: formatNumber(periodDays) }));
  if (model === 'paretoNbd') {
    // P(still active a year later | active now) = (β/(β + a year))^s.
    const year = 365 / periodDays;
    const leave = 1 - (fit.beta / (fit.beta + year)) ** fit.s;
    return [rate, h('p', {}, t(`${wording}.dropoutPareto`, { dropout: formatPercent(leave, leave < 0.01 ? 2 : 1) }))];
  }
  const dropout = fit.a / (fit.a + fit.b);
  const text = dropout < 0.0001
    ? t(`${wording}.dropoutNone`)
    : t(model === 'mbgNbd' ? `${wording}.dropoutMbg` : `${wording}.dropout`, { dropout: formatPercent(dropout, dropout < 0.01 ? 2 : 1) });
  return [rate, h('p', {}, text)];
}

/** "log-likelihood −9,582.4 · 2,357 customers · converged". */
export function fitLine({ t, formatNumber }, fit) {
  return t('clv.model.fit', { ll: formatNumber(fit.logLikelihood, 1), customers: fit.customers, status: fit.converged ? t('clv.model.converged') : t('clv.model.notConverged') });
}

/** The engine's warnings as list items, worded by code in `locale`'s language (see `messageItem`). */
export function warningItems(locale, warnings) {
  return warnings.map((warning) => messageItem(locale, warning));
}
