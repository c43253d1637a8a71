// What the lifetime-value view asks of the engine for its settings. Apart from the view so the
// RFM list (P(alive) and CLV columns) and the SQL view ask for the same calibration without
// loading the chart code.
import { dayOfIsoDate } from '../i18n.js';
import { AUTO_MODEL_MAX_CUSTOMERS, CLV_DEFAULTS } from './defaults.js';

export function isoDay(day) {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Whether "Best fit" is set but the book has too many customers to compare the models on. */
export function autoModelTooLarge(settings, summary) {
  return (settings.model || CLV_DEFAULTS.model) === 'auto' && summary.customersWithPurchase > AUTO_MODEL_MAX_CUSTOMERS;
}

/**
 * Engine options for the settings: a holdout moves the calibration end back from the data's end;
 * the purchase model is the one chosen, or the best of the three ('auto'), penalised only when
 * its plain fit is degenerate (a small shop whose data show nobody leaving); other settings at
 * their defaults are left to the engine. On a book too large to compare the models on, "Best fit"
 * asks for BG/NBD (see `AUTO_MODEL_MAX_CUSTOMERS`).
 */
export function clvOptions(settings, summary) {
  const model = autoModelTooLarge(settings, summary) ? 'bgNbd' : settings.model || CLV_DEFAULTS.model;
  const options = { model, penalizer: 'whenDegenerate' };
  const holdout = Number(settings.holdout) || 0;
  const lastDay = dayOfIsoDate(summary.lastDate);
  if (holdout > 0 && Number.isFinite(lastDay)) {
    options.calibrationEnd = isoDay(lastDay - holdout);
    options.holdoutEnd = summary.lastDate;
  } else if (settings.calibrationEnd) {
    options.calibrationEnd = settings.calibrationEnd;
  }
  if (Number(settings.horizon) && Number(settings.horizon) !== CLV_DEFAULTS.horizon) options.horizonDays = Number(settings.horizon);
  const discount = Number(settings.discount);
  if (Number.isFinite(discount) && discount !== CLV_DEFAULTS.discount) options.monthlyDiscountRate = discount;
  const margin = Number(settings.margin);
  if (Number.isFinite(margin) && margin !== CLV_DEFAULTS.margin) options.margin = margin;
  return options;
}
