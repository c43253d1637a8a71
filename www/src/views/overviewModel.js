// What the Overview makes of `book.overview()`, apart from drawing it: which two periods a KPI
// compares, the change between them and how it reads (▲ 12.5 %, ▼ 1.2 pts), each period's label,
// and the rows its charts and tables take. Plain functions of the report, tested in Node.

/** The periods the Overview offers (the engine's `period` option). */
export const OVERVIEW_PERIODS = ['week', 'month', 'quarter', 'year'];

/**
 * The KPI cards, in order: the report's field, how its value reads (`count`, `money`, `rate` a
 * share in [0, 1], `number`) and which way is good for the store (churn going up is not).
 */
export const KPI_METRICS = [
  { key: 'newCustomers', kind: 'count', better: 'up' },
  { key: 'returningCustomers', kind: 'count', better: 'up' },
  { key: 'revenue', kind: 'money', better: 'up' },
  { key: 'activeCustomers', kind: 'count', better: 'up' },
  { key: 'repeatRate', kind: 'rate', better: 'up' },
  { key: 'ordersPerCustomer', kind: 'number', better: 'up' },
  { key: 'averageOrderValue', kind: 'money', better: 'up' },
  { key: 'churnRate', kind: 'rate', better: 'down' },
];

/**
 * The last complete period and the one before it: a period still running (the data ends before
 * it does) would always look like a drop, so it is shown in the charts but not compared.
 */
export function comparedPeriods(report) {
  const periods = report?.periods ?? [];
  const complete = report?.lastPeriodIncomplete ? periods.slice(0, -1) : periods;
  return { current: complete.at(-1) ?? null, previous: complete.at(-2) ?? null };
}

const finite = (value) => typeof value === 'number' && Number.isFinite(value);

/**
 * The change from `previous` to `current`: `direction` up, down or flat; for a rate the
 * difference in percentage points (a relative change of a rate misleads: 2 % → 3 % is not
 * "+50 %" to a store owner), otherwise the relative change (null when the previous value is 0).
 * Null when either value is missing.
 */
export function changeBetween(current, previous, kind) {
  if (!finite(current) || !finite(previous)) return null;
  const delta = current - previous;
  // Money and rates carry float noise; a change below it is no change.
  const direction = Math.abs(delta) < 1e-9 * Math.max(1, Math.abs(previous)) ? 'flat' : delta > 0 ? 'up' : 'down';
  if (kind === 'rate') return { direction, delta, points: direction === 'flat' ? 0 : delta * 100, relative: null };
  return { direction, delta, points: null, relative: previous === 0 ? null : direction === 'flat' ? 0 : delta / Math.abs(previous) };
}

/** Whether a change is good, bad or neither for the store, given which way is better. */
export function toneOf(change, better) {
  if (!change || change.direction === 'flat') return 'neutral';
  return change.direction === better ? 'good' : 'bad';
}

const ARROWS = { up: '▲', down: '▼', flat: '=' };

/**
 * A change as a KPI card shows it: "▲ 12.5%", "▼ 1.2 pts" (`t('overview.points')` words the
 * points), "▲ new" when the previous value was 0; '–' without a change.
 */
export function changeText({ t, formatNumber, formatPercent }, change) {
  if (!change) return '–';
  const arrow = ARROWS[change.direction];
  if (change.points !== null) return `${arrow} ${t('overview.points', { n: formatNumber(Math.abs(change.points), 1) })}`;
  if (change.relative === null) return `${arrow} ${t('overview.fromZero')}`;
  return `${arrow} ${formatPercent(Math.abs(change.relative))}`;
}

/** A value as its kind reads: a count, money in `currency`, a percentage, a number. */
export function formatValue(locale, value, kind, currency) {
  if (!finite(value)) return '–';
  if (kind === 'count') return locale.formatInteger(value);
  if (kind === 'money') return locale.formatMoney(value, currency);
  if (kind === 'rate') return locale.formatPercent(value);
  return locale.formatNumber(value, 2);
}

/**
 * A period as people name it, from its first day (`YYYY-MM-DD`): the week's first day, the
 * month ("Dec 2010"), the quarter ("Q4 2010") or the year ("2010").
 */
export function periodName(locale, period, start) {
  const [year, month] = start.split('-').map(Number);
  if (period === 'year') return String(year);
  if (period === 'quarter') return locale.t('overview.quarter', { q: Math.floor((month - 1) / 3) + 1, year: String(year) });
  if (period === 'month') return locale.formatMonth(start);
  return locale.formatDate(start);
}

/** The groups a period's customers or revenue split into, in stacking order (the first at the bottom). */
export const GROUP_FIELDS = {
  customers: { new: 'newCustomers', returning: 'returningCustomers' },
  // Revenue also has what no customer brought: guest orders, returns of customers not yet acquired.
  revenue: { new: 'newRevenue', returning: 'returningRevenue', other: 'otherRevenue' },
};

/**
 * The bars of new against returning per period for `field` ('customers' or 'revenue'): one bar
 * per period and group, `{ period, group, value, title }`, new first so it stacks at the bottom.
 */
export function newReturningBars(periods, field, { label, format }) {
  const fields = GROUP_FIELDS[field];
  return periods.flatMap((period) => Object.entries(fields).map(([group, key]) => {
    const value = period[key] ?? 0;
    return { period: period.start, group, value, title: label(period, group, format(value)) };
  }));
}

/** The points of one metric over the periods (`{ x: Date, y, title }`), skipping periods without a value. */
export function metricPoints(periods, key, title) {
  return periods.filter((period) => finite(period[key])).map((period) => ({
    x: new Date(`${period.start}T00:00:00Z`),
    y: period[key],
    title: title(period, period[key]),
  }));
}

/** An attribute's values as the page names them: an order without a value is "(none)". */
export function valueName({ t }, value) {
  if (value === null || value === undefined) return t('filter.other');
  return value === '' ? t('filter.none') : String(value);
}
