// What the lifetime-value view asks of the engine for its settings. Apart from the view so the
// RFM list (P(alive) and CLV columns) and the SQL view ask for the same calibration without
// loading the chart code.
import { dayOfIsoDate } from '../i18n.js';
import { CLV_DEFAULTS } from './defaults.js';

export function isoDay(day) {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Engine options for the settings: a holdout moves the calibration end back from the data's end;
 * the purchase model is the one chosen, or the best of the three ('auto'), penalised only when
 * its plain fit is degenerate (a small shop whose data show nobody leaving); other settings at
 * their defaults are left to the engine. "Best fit" compares the models whatever the size: on
 * 400,000 customers that takes about 2 s of CPU in WASM (`node scripts/bench-wasm.mjs --customers
 * 400k`, "clv() as the page asks").
 */
export function clvOptions(settings, summary) {
  const model = settings.model || CLV_DEFAULTS.model;
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
