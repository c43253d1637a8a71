//! Acquisition cohorts, retention and churn rates, and growth accounting.
//!
//! All three answer "do the customers we win keep buying?" from different angles:
//! - [`cohorts`]: customers grouped by the period of their first purchase, followed period by
//!   period (the cohort triangle);
//! - [`retention::retention_rates`]: the marketers' retention = (E − N)/S and churn = (S − E)/S
//!   per period, with "active" meaning a purchase within the last W days;
//! - [`growth::growth_accounting`]: each period's active customers split into new, retained and
//!   resurrected, against those churned since the previous period.
//!
//! Only purchases make a customer active or acquired; returns are not purchases (their negative
//! value is left out of cohort revenue too). Anonymous orders are left out throughout.

pub mod growth;
pub mod period;
pub mod retention;

use std::fmt;

use serde::Serialize;

use crate::book::{CustomerOrders, OrderBook, OrderKind, format_day};
pub use growth::{GrowthAccounting, GrowthPeriod, growth_accounting};
pub use period::{Period, UnknownPeriod};
use period::{serialize_day, serialize_optional_day};
pub use retention::{RetentionPeriod, RetentionSeries, retention_between, retention_rates};

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
                 the last W days, so W must be a whole number of days, at least 1 (default 365)"
            ),
            CohortError::InvalidRange {
                first_day,
                last_day,
            } => write!(
                f,
                "invalid range {} to {}: the start must not come after the end",
                format_day(*first_day),
                format_day(*last_day)
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
                format_day(*first_day),
                format_day(*last_day),
                period.name()
            ),
        }
    }
}

impl std::error::Error for CohortError {}

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
    #[serde(serialize_with = "serialize_optional_day")]
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
    #[serde(serialize_with = "serialize_day")]
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
/// the number of periods between the cohort's period and the order's. Two passes over the
/// customers' day-sorted orders, the period of each order found by arithmetic on its day.
pub fn cohorts(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    period: Period,
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

    // Pass 1: each customer's cohort number and the cohorts' sizes.
    let customer_count = by_customer.customer_count();
    let mut cohort_of = vec![i32::MIN; customer_count];
    let mut first_number = i32::MAX;
    let mut first_purchase_day = i32::MAX;
    for (c, cohort) in cohort_of.iter_mut().enumerate() {
        let orders = by_customer.of(c);
        if let Some(position) = first_purchase_position(book, orders) {
            let day = book.day[orders[position] as usize];
            *cohort = period.number_of_day(day);
            first_number = first_number.min(*cohort);
            first_purchase_day = first_purchase_day.min(day);
        }
    }
    if first_number == i32::MAX {
        return Ok(table);
    }
    let span = (last_number - first_number + 1) as usize;
    let mut sizes = vec![0u32; span];
    for &cohort in &cohort_of {
        if cohort != i32::MIN {
            sizes[(cohort - first_number) as usize] += 1;
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
    if cells > MAX_COHORT_CELLS {
        return Err(CohortError::TooManyCells {
            period,
            cells,
            first_day: first_purchase_day,
            last_day: data_last_day,
        });
    }

    // Pass 2: every purchase into its cohort's cell.
    let mut active = vec![0u32; cells];
    let mut revenue = vec![0f64; cells];
    let mut orders_in_cell = vec![0u32; cells];
    for (c, &cohort) in cohort_of.iter().enumerate() {
        if cohort == i32::MIN {
            continue;
        }
        let row = row_of[(cohort - first_number) as usize];
        let mut last_counted = usize::MAX;
        for &i in by_customer.of(c) {
            let i = i as usize;
            if book.kind[i] != OrderKind::Purchase {
                continue;
            }
            let cell = row + (period.number_of_day(book.day[i]) - cohort) as usize;
            revenue[cell] += book.value[i];
            orders_in_cell[cell] += 1;
            // Orders are sorted by day, so a customer's cells come in order: count each once.
            if cell != last_counted {
                active[cell] += 1;
                last_counted = cell;
            }
        }
    }

    let mut retained_sum = Vec::<u64>::new();
    let mut size_sum = Vec::<u64>::new();
    let mut cohort_count = Vec::<u32>::new();
    for (slot, &size) in sizes.iter().enumerate() {
        if size == 0 {
            continue;
        }
        let number = first_number + slot as i32;
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
    use crate::book::parse_iso_day;
    use OrderKind::{Purchase, Return};

    const MONEY_TOLERANCE: f64 = 1e-9;

    fn day(text: &str) -> i32 {
        parse_iso_day(text).unwrap()
    }

    fn book(orders: &[(&str, &str, f64, OrderKind)]) -> OrderBook {
        OrderBook::from_orders(
            orders
                .iter()
                .map(|&(customer, date, value, kind)| (Some(customer), day(date), value, kind)),
        )
    }

    #[test]
    fn empty_book_gives_an_empty_table() {
        let book = OrderBook::default();
        let table = cohorts(&book, &book.customer_orders(), Period::Month).unwrap();
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
        let table = cohorts(&book, &book.customer_orders(), Period::Month).unwrap();
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
        let table = cohorts(&book, &book.customer_orders(), Period::Month).unwrap();
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
        let table = cohorts(&book, &book.customer_orders(), Period::Month).unwrap();
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
        let weekly = cohorts(&book, &book.customer_orders(), Period::Week).unwrap();
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

        let quarterly = cohorts(&book, &book.customer_orders(), Period::Quarter).unwrap();
        let labels: Vec<_> = quarterly.cohorts.iter().map(|c| c.label.as_str()).collect();
        // b's first purchase (Sunday 2021-01-03) shares a's ISO week but not a's quarter.
        assert_eq!(labels, ["2020-Q4", "2021-Q1"]);
        assert_eq!(quarterly.cohorts[0].customers, vec![1, 1]);
        assert_eq!(quarterly.cohorts[1].customers, vec![1]);
        assert_eq!(quarterly.cohorts[1].orders, vec![2]);
        assert!(quarterly.last_period_incomplete);
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
        let error = cohorts(&crowded, &crowded.customer_orders(), Period::Week).unwrap_err();
        assert!(matches!(error, CohortError::TooManyCells { .. }));
        assert!(
            error.to_string().contains("choose a longer period"),
            "{error}"
        );
        // The sparse book still works, and monthly the crowded one does too.
        assert!(cohorts(&book, &book.customer_orders(), Period::Week).is_ok());
        assert!(cohorts(&crowded, &crowded.customer_orders(), Period::Month).is_ok());
    }
}
