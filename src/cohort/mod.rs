//! Acquisition cohorts, retention and churn rates, and growth accounting.
//!
//! All three answer "do the customers we win keep buying?" from different angles:
//! - [`cohorts`]: customers grouped by the period of their first purchase, followed period by
//!   period (the cohort triangle);
//! - [`retention::retention_rates`]: per period, the customers active at its start who are still
//!   active at its end (retention) or not (churn), with "active" meaning a purchase within the
//!   last W days, beside the marketers' net formulas (E − N)/S and (S − E)/S;
//! - [`growth::growth_accounting`]: each period's active customers split into new, retained and
//!   resurrected, against those churned since the previous period.
//!
//! Only purchases make a customer active or acquired; returns are not purchases (their negative
//! value is left out of cohort revenue too). Anonymous orders are left out throughout.

pub mod growth;
pub mod period;
pub mod retention;

use crate::message::{Code, Message};
use std::fmt;

use serde::Serialize;

use crate::book::{ANONYMOUS, NO_PURCHASE, OrderBook, OrderKind};
use crate::day::Day;
pub use growth::{GrowthAccounting, GrowthPeriod, growth_accounting};
use period::PeriodLookup;
pub use period::{Period, UnknownPeriod};
pub use retention::{
    ActiveWindow, ActiveWindowSource, RetentionPeriod, RetentionSeries, retention_between,
    retention_rates,
};

/// The most cells (cohort × period index) a cohort table may hold. A table that large is no
/// longer readable, and it usually means a stray date decades away from the rest.
pub const MAX_COHORT_CELLS: usize = 5_000_000;

/// Why a cohort, retention or growth analysis could not run.
#[derive(Clone, Debug, PartialEq)]
pub enum CohortError {
    UnknownPeriod(UnknownPeriod),
    /// The activity window of the retention rates must be at least one day.
    InvalidActiveWindow(f64),
    /// The first custom period day comes after the last.
    InvalidRange {
        first_day: i32,
        last_day: i32,
    },
    /// The data spans too many periods for a table; a coarser period or a date fix helps.
    TooManyCells {
        period: Period,
        cells: usize,
        first_day: i32,
        last_day: i32,
    },
}

impl fmt::Display for CohortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CohortError::UnknownPeriod(unknown) => unknown.fmt(f),
            CohortError::InvalidActiveWindow(days) => write!(
                f,
                "invalid activeWindowDays {days}: a customer is active when they bought within \
                 the last W days, so W must be a whole number of days, at least 1 (leave it out for \
                 the store's typical repeat gap)"
            ),
            CohortError::InvalidRange {
                first_day,
                last_day,
            } => write!(
                f,
                "invalid range {} to {}: the start must not come after the end",
                Day(*first_day),
                Day(*last_day)
            ),
            CohortError::TooManyCells {
                period,
                cells,
                first_day,
                last_day,
            } => write!(
                f,
                "the purchases run from {} to {}: a {} cohort table would need {cells} cells \
                 (at most {MAX_COHORT_CELLS}); choose a longer period or check for wrong dates",
                Day(*first_day),
                Day(*last_day),
                period.name()
            ),
        }
    }
}

impl std::error::Error for CohortError {}

impl From<CohortError> for Message {
    fn from(error: CohortError) -> Message {
        let text = error.to_string();
        match error {
            CohortError::UnknownPeriod(unknown) => unknown.into(),
            CohortError::InvalidActiveWindow(days) => {
                Message::new(Code::INVALID_ACTIVE_WINDOW, text).with("days", days)
            }
            CohortError::InvalidRange {
                first_day,
                last_day,
            } => Message::new(Code::INVALID_RANGE, text)
                .with("from", Day(first_day))
                .with("to", Day(last_day)),
            CohortError::TooManyCells {
                period,
                cells,
                first_day,
                last_day,
            } => Message::new(Code::TOO_MANY_COHORT_CELLS, text)
                .with("period", period.name())
                .with("cells", cells)
                .with("max", MAX_COHORT_CELLS)
                .with("first", Day(first_day))
                .with("last", Day(last_day)),
        }
    }
}

impl From<UnknownPeriod> for CohortError {
    fn from(unknown: UnknownPeriod) -> CohortError {
        CohortError::UnknownPeriod(unknown)
    }
}

/// The cohort triangle: `book.cohorts({ period })` in the JS API.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CohortTable {
    pub period: Period,
    /// True when the data's last day comes before the last day of its period, so the last
    /// column of the triangle (and each cohort's last cell) covers only part of a period.
    pub last_period_incomplete: bool,
    /// The data's last day (any order, guests and returns included): where the triangle ends.
    #[serde(serialize_with = "crate::day::serialize_optional")]
    pub last_date: Option<i32>,
    /// Cohorts with at least one customer, oldest first.
    pub cohorts: Vec<Cohort>,
    /// Retention by period index averaged over cohorts, weighted by cohort size:
    /// `Σ customers[k] / Σ size` over the cohorts whose period `k` is complete (a cohort whose
    /// `k`-th period is the incomplete last one is left out of point `k`, else every point would
    /// be dragged down by one half-observed cell). `averageRetention[0]` is 1.
    pub average_retention: Vec<f64>,
    /// How many cohorts stand behind each point of `average_retention`.
    pub average_retention_cohorts: Vec<u32>,
    /// How many cohort customers (the weights' sum) stand behind each point.
    pub average_retention_customers: Vec<u64>,
}

/// One acquisition cohort. Every array is indexed by `k`, the number of periods since the
/// cohort's own period, and runs to the data's last period (so the cohorts form a triangle).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cohort {
    /// First day of the cohort's period (a Monday for weeks).
    #[serde(serialize_with = "crate::day::serialize")]
    pub start: i32,
    /// `2021-W01`, `2011-01` or `2011-Q1`.
    pub label: String,
    /// Customers whose first purchase fell in this period.
    pub size: u32,
    /// `customers[k]`: cohort customers with at least one purchase in period `k`.
    pub customers: Vec<u32>,
    /// `retention[k] = customers[k] / size`; `retention[0]` is 1.
    pub retention: Vec<f64>,
    /// `revenue[k]`: value of the cohort's purchases in period `k` (returns not netted).
    pub revenue: Vec<f64>,
    /// `revenue[k] / size`.
    pub revenue_per_customer: Vec<f64>,
    /// Σ over `j ≤ k` of `revenue[j] / size`: what an acquired customer has brought in after
    /// `k` periods, the curve a store compares with its acquisition cost.
    pub cumulative_revenue_per_customer: Vec<f64>,
    /// `orders[k]`: the cohort's purchases in period `k`.
    pub orders: Vec<u32>,
}

/// Position, in a customer's day-sorted orders, of their first purchase.
pub(crate) fn first_purchase_position(book: &OrderBook, orders: &[u32]) -> Option<usize> {
    orders
        .iter()
        .position(|&i| book.kind[i as usize] == OrderKind::Purchase)
}

/// Builds the acquisition cohorts of `period`.
///
/// A customer's cohort is the period of their first purchase; period index `k` of an order is
/// the number of periods between the cohort's period and the order's. Two sequential passes
/// over the order columns (no grouping by customer needed), each order's period looked up from
/// its day.
pub fn cohorts(book: &OrderBook, period: Period) -> Result<CohortTable, CohortError> {
    cohorts_counting(book, period, None)
}

/// Marks "no purchase yet" in the per-customer arrays of [`cohorts`].
const NO_COHORT: u32 = u32::MAX;

/// The most memory the bits of [`DistinctCount::Bitmask`] may take at once, in bytes.
const MAX_BITMASK_BYTES: usize = 64 << 20;

/// How [`cohorts`] counts each customer once per period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DistinctCount {
    /// Orders in day order (or reverse day order, as many exports list them): a customer's
    /// periods come in runs, so remembering the last one suffices. One sequential pass.
    LastSeen,
    /// Any order: a bit per customer and period, `span / 8` bytes per customer. One
    /// sequential pass per block of customers whose bits fit in `max_bytes` (a single block
    /// unless there are millions of customers and hundreds of periods).
    Bitmask { max_bytes: usize },
}

impl DistinctCount {
    fn choose(book: &OrderBook) -> DistinctCount {
        let days = &book.day;
        if days.windows(2).all(|w| w[0] <= w[1]) || days.windows(2).all(|w| w[0] >= w[1]) {
            DistinctCount::LastSeen
        } else {
            DistinctCount::Bitmask {
                max_bytes: MAX_BITMASK_BYTES,
            }
        }
    }
}

/// The cells of a cohort table under construction.
struct CohortCells {
    active: Vec<u32>,
    revenue: Vec<f64>,
    orders: Vec<u32>,
}

impl CohortCells {
    #[inline]
    fn add(&mut self, cell: usize, value: f64, first_in_period: bool) {
        self.revenue[cell] += value;
        self.orders[cell] += 1;
        self.active[cell] += u32::from(first_in_period);
    }
}

/// [`cohorts`] with the way of counting distinct customers forced (`None` chooses).
fn cohorts_counting(
    book: &OrderBook,
    period: Period,
    strategy: Option<DistinctCount>,
) -> Result<CohortTable, CohortError> {
    let mut table = CohortTable {
        period,
        last_period_incomplete: false,
        last_date: book.last_day(),
        cohorts: Vec::new(),
        average_retention: Vec::new(),
        average_retention_cohorts: Vec::new(),
        average_retention_customers: Vec::new(),
    };
    let Some(data_last_day) = table.last_date else {
        return Ok(table);
    };
    let last_number = period.number_of_day(data_last_day);
    table.last_period_incomplete = data_last_day < period.last_day(last_number);

    let mut data_first_day = book.first_day().unwrap_or(data_last_day);
    if let Some(acquired) = &book.acquisition {
        let earliest = acquired.iter().copied().min().unwrap_or(NO_PURCHASE);
        data_first_day = data_first_day.min(earliest);
    }
    let lookup = PeriodLookup::new(period, data_first_day, data_last_day);
    let span = lookup.offset(data_last_day) as usize + 1;

    // Pass 1, in storage order: each customer's cohort (the offset of their first purchase's
    // period) and the cohorts' sizes.
    let mut cohort_of = vec![NO_COHORT; book.customer_count()];
    for ((&c, &day), &kind) in book.customer.iter().zip(&book.day).zip(&book.kind) {
        if c != ANONYMOUS && kind == OrderKind::Purchase {
            let cohort = &mut cohort_of[c as usize];
            *cohort = (*cohort).min(lookup.offset(day));
        }
    }
    // In a filtered book a customer's cohort is that of their first purchase in the whole
    // history; those without a kept purchase stay out of the table.
    if let Some(acquired) = &book.acquisition {
        for (cohort, &day) in cohort_of.iter_mut().zip(acquired) {
            if *cohort != NO_COHORT {
                *cohort = lookup.offset(day);
            }
        }
    }
    let mut sizes = vec![0u32; span];
    for &cohort in &cohort_of {
        if cohort != NO_COHORT {
            sizes[cohort as usize] += 1;
        }
    }
    // Each non-empty cohort owns the cells from its period to the last one.
    let mut row_of = vec![usize::MAX; span];
    let mut cells = 0usize;
    for (slot, &size) in sizes.iter().enumerate() {
        if size > 0 {
            row_of[slot] = cells;
            cells += span - slot;
        }
    }
    let Some(first_slot) = sizes.iter().position(|&size| size > 0) else {
        return Ok(table);
    };
    if cells > MAX_COHORT_CELLS {
        return Err(CohortError::TooManyCells {
            period,
            cells,
            first_day: period.first_day(lookup.number(first_slot as u32)),
            last_day: data_last_day,
        });
    }

    // Pass 2: every purchase into its cohort's cell.
    let mut cells_of = CohortCells {
        active: vec![0u32; cells],
        revenue: vec![0f64; cells],
        orders: vec![0u32; cells],
    };
    let strategy = strategy.unwrap_or_else(|| DistinctCount::choose(book));
    match strategy {
        DistinctCount::LastSeen => {
            let mut last_seen = vec![NO_COHORT; cohort_of.len()];
            for i in 0..book.order_count() {
                let c = book.customer[i];
                if c == ANONYMOUS || book.kind[i] != OrderKind::Purchase {
                    continue;
                }
                let offset = lookup.offset(book.day[i]);
                let cohort = cohort_of[c as usize];
                let cell = row_of[cohort as usize] + (offset - cohort) as usize;
                let seen = &mut last_seen[c as usize];
                cells_of.add(cell, book.value[i], *seen != offset);
                *seen = offset;
            }
        }
        DistinctCount::Bitmask { max_bytes } => {
            let words = span.div_ceil(64);
            let block = (max_bytes / (words * 8)).max(1);
            let mut masks = vec![0u64; block.min(cohort_of.len()) * words];
            for first in (0..cohort_of.len()).step_by(block) {
                let customers = first as u32..(first + block).min(cohort_of.len()) as u32;
                masks.fill(0);
                for i in 0..book.order_count() {
                    let c = book.customer[i];
                    if !customers.contains(&c) || book.kind[i] != OrderKind::Purchase {
                        continue;
                    }
                    let offset = lookup.offset(book.day[i]);
                    let cohort = cohort_of[c as usize];
                    let cell = row_of[cohort as usize] + (offset - cohort) as usize;
                    let word =
                        &mut masks[(c - customers.start) as usize * words + offset as usize / 64];
                    let bit = 1u64 << (offset % 64);
                    cells_of.add(cell, book.value[i], *word & bit == 0);
                    *word |= bit;
                }
            }
        }
    }
    let CohortCells {
        active,
        revenue,
        orders: orders_in_cell,
    } = cells_of;

    let mut retained_sum = Vec::<u64>::new();
    let mut size_sum = Vec::<u64>::new();
    let mut cohort_count = Vec::<u32>::new();
    for (slot, &size) in sizes.iter().enumerate() {
        if size == 0 {
            continue;
        }
        let number = lookup.number(slot as u32);
        let row = row_of[slot]..row_of[slot] + span - slot;
        let customers = active[row.clone()].to_vec();
        let size_f = f64::from(size);
        let mut cumulative = 0.0;
        let mut cumulative_revenue_per_customer = Vec::with_capacity(customers.len());
        for &value in &revenue[row.clone()] {
            cumulative += value / size_f;
            cumulative_revenue_per_customer.push(cumulative);
        }
        let complete_cells = if table.last_period_incomplete {
            customers.len() - 1
        } else {
            customers.len()
        };
        if retained_sum.len() < complete_cells {
            retained_sum.resize(complete_cells, 0);
            size_sum.resize(complete_cells, 0);
            cohort_count.resize(complete_cells, 0);
        }
        for k in 0..complete_cells {
            retained_sum[k] += u64::from(customers[k]);
            size_sum[k] += u64::from(size);
            cohort_count[k] += 1;
        }
        table.cohorts.push(Cohort {
            start: period.first_day(number),
            label: period.label(number),
            size,
            retention: customers.iter().map(|&n| f64::from(n) / size_f).collect(),
            revenue_per_customer: revenue[row.clone()].iter().map(|v| v / size_f).collect(),
            revenue: revenue[row.clone()].to_vec(),
            orders: orders_in_cell[row].to_vec(),
            cumulative_revenue_per_customer,
            customers,
        });
    }
    table.average_retention = retained_sum
        .iter()
        .zip(&size_sum)
        .map(|(&retained, &size)| retained as f64 / size as f64)
        .collect();
    table.average_retention_cohorts = cohort_count;
    table.average_retention_customers = size_sum;
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{book, day};

    use OrderKind::{Purchase, Return};

    const MONEY_TOLERANCE: f64 = 1e-9;

    #[test]
    fn empty_book_gives_an_empty_table() {
        let book = OrderBook::default();
        let table = cohorts(&book, Period::Month).unwrap();
        assert!(table.cohorts.is_empty());
        assert!(!table.last_period_incomplete);
        assert!(table.average_retention.is_empty());
    }

    #[test]
    fn returns_neither_acquire_nor_retain_nor_add_revenue() {
        let book = book(&[
            ("a", "2011-01-05", -5.0, Return),
            ("a", "2011-02-10", 10.0, Purchase),
            ("a", "2011-03-10", -3.0, Return),
            ("b", "2011-02-01", 4.0, Purchase),
            ("b", "2011-02-20", 6.0, Purchase),
            ("b", "2011-03-31", 1.0, Purchase),
        ]);
        let table = cohorts(&book, Period::Month).unwrap();
        assert_eq!(table.cohorts.len(), 1);
        let february = &table.cohorts[0];
        assert_eq!(february.label, "2011-02");
        assert_eq!(february.start, day("2011-02-01"));
        assert_eq!(february.size, 2);
        assert_eq!(february.customers, vec![2, 1]);
        assert_eq!(february.orders, vec![3, 1]);
        assert_eq!(february.revenue, vec![20.0, 1.0]);
        assert_eq!(february.retention, vec![1.0, 0.5]);
        assert_eq!(february.cumulative_revenue_per_customer, vec![10.0, 10.5]);
        assert!(!table.last_period_incomplete, "the data ends on 2011-03-31");
    }

    #[test]
    fn tables_skip_empty_cohorts_and_flag_the_incomplete_last_period() {
        let book = book(&[
            ("a", "2011-01-15", 10.0, Purchase),
            ("a", "2011-03-02", 30.0, Purchase),
            ("b", "2011-03-01", 7.0, Purchase),
            ("a", "2011-03-09", 5.0, Purchase),
        ]);
        let table = cohorts(&book, Period::Month).unwrap();
        let labels: Vec<_> = table.cohorts.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["2011-01", "2011-03"]);
        assert!(table.last_period_incomplete);
        assert_eq!(table.cohorts[0].customers, vec![1, 0, 1]);
        assert_eq!(table.cohorts[0].orders, vec![1, 0, 2]);
        assert_eq!(table.cohorts[1].customers, vec![1]);
        // March is incomplete: only January's complete cells count in the average.
        assert_eq!(table.average_retention, vec![1.0, 0.0]);
        assert_eq!(table.average_retention_cohorts, vec![1, 1]);
    }

    #[test]
    fn average_retention_is_weighted_by_cohort_size() {
        // January: 3 customers, 1 back in February; February: 1 customer, back in March.
        let book = book(&[
            ("a", "2011-01-01", 1.0, Purchase),
            ("b", "2011-01-02", 1.0, Purchase),
            ("c", "2011-01-03", 1.0, Purchase),
            ("a", "2011-02-01", 1.0, Purchase),
            ("d", "2011-02-01", 1.0, Purchase),
            ("d", "2011-03-31", 1.0, Purchase),
        ]);
        let table = cohorts(&book, Period::Month).unwrap();
        assert!(!table.last_period_incomplete);
        // k = 1: (1 + 1) / (3 + 1), not the plain mean of 1/3 and 1.
        let expected = [1.0, 0.5, 0.0];
        assert_eq!(table.average_retention.len(), expected.len());
        for (got, want) in table.average_retention.iter().zip(expected) {
            assert!((got - want).abs() < MONEY_TOLERANCE, "{got} vs {want}");
        }
        assert_eq!(table.average_retention_customers, vec![4, 4, 3]);
    }

    #[test]
    fn weekly_and_quarterly_cohorts_count_periods_across_year_ends() {
        let orders = [
            ("a", "2020-12-28", 10.0, Purchase),
            ("a", "2021-01-04", 20.0, Purchase),
            ("b", "2021-01-03", 5.0, Purchase),
            ("b", "2021-01-17", 5.0, Purchase),
        ];
        let book = book(&orders);
        let weekly = cohorts(&book, Period::Week).unwrap();
        assert_eq!(weekly.cohorts.len(), 1);
        let week = &weekly.cohorts[0];
        assert_eq!(
            (week.label.as_str(), week.start),
            ("2020-W53", day("2020-12-28"))
        );
        assert_eq!(week.size, 2);
        assert_eq!(week.customers, vec![2, 1, 1]);
        assert_eq!(week.revenue, vec![15.0, 20.0, 5.0]);
        assert!(!weekly.last_period_incomplete, "2021-01-17 is a Sunday");

        let quarterly = cohorts(&book, Period::Quarter).unwrap();
        let labels: Vec<_> = quarterly.cohorts.iter().map(|c| c.label.as_str()).collect();
        // b's first purchase (Sunday 2021-01-03) shares a's ISO week but not a's quarter.
        assert_eq!(labels, ["2020-Q4", "2021-Q1"]);
        assert_eq!(quarterly.cohorts[0].customers, vec![1, 1]);
        assert_eq!(quarterly.cohorts[1].customers, vec![1]);
        assert_eq!(quarterly.cohorts[1].orders, vec![2]);
        assert!(quarterly.last_period_incomplete);
    }

    /// A deterministic order history: 300 customers over two years, in a scrambled order.
    fn scrambled_book() -> OrderBook {
        let start = day("2019-11-20");
        let mut orders = Vec::new();
        let ids: Vec<String> = (0..300).map(|c| format!("c{c}")).collect();
        for (c, id) in ids.iter().enumerate() {
            let mut d = start + (c as i32 * 37) % 500;
            let mut k = 0;
            while d < start + 730 {
                let kind = if k % 7 == 3 { Return } else { Purchase };
                orders.push((id.clone(), d, (k * 3 + c) as f64, kind));
                d += 1 + ((c + k) * 13) as i32 % 90;
                k += 1;
            }
        }
        // A fixed scramble: stride through the list with a step coprime to its length.
        let n = orders.len();
        let step = (1..n)
            .rev()
            .find(|s| gcd(*s, n) == 1 && *s < n / 2)
            .unwrap();
        let order = (0..n).map(|i| &orders[(i * step) % n]);
        OrderBook::from_orders(order.map(|(id, d, v, k)| (Some(id.as_str()), *d, *v, *k)))
    }

    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 { a } else { gcd(b, a % b) }
    }

    #[test]
    fn every_way_of_counting_gives_the_same_table() {
        let scrambled = scrambled_book();
        // The same orders sorted by day (as most exports are) and newest first.
        let mut rows: Vec<usize> = (0..scrambled.order_count()).collect();
        rows.sort_by_key(|&i| scrambled.day[i]);
        let row = |i: usize| {
            (
                Some(&scrambled.customer_ids[scrambled.customer[i] as usize]),
                scrambled.day[i],
                scrambled.value[i],
                scrambled.kind[i],
            )
        };
        let sorted = OrderBook::from_orders(rows.iter().map(|&i| row(i)));
        let newest_first = OrderBook::from_orders(rows.iter().rev().map(|&i| row(i)));
        let whole = DistinctCount::Bitmask {
            max_bytes: MAX_BITMASK_BYTES,
        };
        // Weekly bits of 300 customers take 2 words each: blocks of 7 customers, 43 passes.
        let blocks = DistinctCount::Bitmask { max_bytes: 7 * 16 };
        assert_eq!(DistinctCount::choose(&scrambled), whole);
        assert_eq!(DistinctCount::choose(&sorted), DistinctCount::LastSeen);
        assert_eq!(
            DistinctCount::choose(&newest_first),
            DistinctCount::LastSeen
        );
        for period in Period::ALL {
            let reference = cohorts_counting(&scrambled, period, Some(whole)).unwrap();
            assert!(
                reference.cohorts.len() >= 3,
                "{period:?}: 2019, 2020 and 2021 at least"
            );
            let cases = [
                (&sorted, DistinctCount::LastSeen),
                (&sorted, whole),
                (&newest_first, DistinctCount::LastSeen),
                (&scrambled, blocks),
            ];
            for (book, strategy) in cases {
                let table = cohorts_counting(book, period, Some(strategy)).unwrap();
                assert_eq!(table.cohorts.len(), reference.cohorts.len());
                for (got, want) in table.cohorts.iter().zip(&reference.cohorts) {
                    assert_eq!((got.start, got.size), (want.start, want.size));
                    assert_eq!(got.customers, want.customers, "{period:?} {strategy:?}");
                    assert_eq!(got.orders, want.orders);
                    for (a, b) in got.revenue.iter().zip(&want.revenue) {
                        assert!((a - b).abs() < MONEY_TOLERANCE);
                    }
                }
            }
        }
    }

    #[test]
    fn a_stray_date_decades_away_is_refused_with_advice() {
        let book = book(&[
            ("a", "1901-01-01", 1.0, Purchase),
            ("b", "2011-01-01", 1.0, Purchase),
        ]);
        // A single cohort's row of ~5,700 weeks fits; 1,500 weekly cohorts of them do not.
        let mut orders: Vec<(String, i32)> = Vec::new();
        let first = day("1901-01-07");
        for w in 0..1500 {
            orders.push((format!("w{w}"), first + 7 * w));
        }
        let crowded = OrderBook::from_orders(
            orders
                .iter()
                .map(|(id, d)| (Some(id.as_str()), *d, 1.0, Purchase))
                .chain(std::iter::once((
                    Some("late"),
                    day("2011-01-01"),
                    1.0,
                    Purchase,
                ))),
        );
        let error = cohorts(&crowded, Period::Week).unwrap_err();
        assert!(matches!(error, CohortError::TooManyCells { .. }));
        assert!(
            error.to_string().contains("choose a longer period"),
            "{error}"
        );
        // The sparse book still works, and monthly the crowded one does too.
        assert!(cohorts(&book, Period::Week).is_ok());
        assert!(cohorts(&crowded, Period::Month).is_ok());
    }
}
