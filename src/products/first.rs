//! First-product analysis: which products on a customer's first purchase day bring them back.
//!
//! A customer's first purchase day is their first purchase in the whole history (a filtered
//! book keeps it, see [`crate::filter`]); the products of that day are those of their purchase
//! orders on it in the book. Customers whose first day is not in the book (a date range that
//! starts later) are left out: what they first bought is not there.

use super::{Excluded, lines_of, table::share};
use crate::book::{NO_PURCHASE, OrderBook, OrderKind};
use crate::day::Day;
use crate::message::Message;
use serde::Serialize;

/// The windows of the repeat rates, in days after the first purchase day.
pub const WINDOWS: [i32; 4] = [30, 90, 180, 365];

/// Repeat within one window: over the customers observed at least that long after their first
/// day (`eligible`), those whose next purchase day came within it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Within {
    pub eligible: u32,
    pub repeated: u32,
    /// `repeated / eligible`; `None` when no customer is eligible.
    pub rate: Option<f64>,
}

/// [`Within`] for each of [`WINDOWS`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct WithinDays {
    pub d30: Within,
    pub d90: Within,
    pub d180: Within,
    pub d365: Within,
}

/// The figures of a group of customers: the whole store's, or those whose first day included
/// a product (then with its `id` and `name`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FirstRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub customers: u32,
    /// Customers with a purchase on a later day.
    pub repeated: u32,
    pub repeat_rate: f64,
    pub within: WithinDays,
    /// Average net value of the customers' orders in the 90 days starting on their first day
    /// (that day included), over the customers observed that long; `None` when none is.
    pub revenue90: Option<f64>,
    pub revenue365: Option<f64>,
}

/// The first-product table (`book.firstProducts()`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FirstProducts {
    pub store: FirstRow,
    /// The products first bought by at least `min_customers` customers, most customers first
    /// (ties in file order).
    pub products: Vec<FirstRow>,
}

#[derive(Clone, Debug)]
pub struct FirstOptions {
    /// Orders after this day are ignored; the book's last day when `None`.
    pub as_of: Option<Day>,
    /// Products first bought by fewer customers are left out.
    pub min_customers: u32,
}

impl Default for FirstOptions {
    fn default() -> FirstOptions {
        FirstOptions {
            as_of: None,
            min_customers: 1,
        }
    }
}

/// Sums of one group, turned into a [`FirstRow`] at the end.
#[derive(Clone, Copy, Default)]
struct Tally {
    customers: u32,
    repeated: u32,
    eligible: [u32; 4],
    repeated_within: [u32; 4],
    revenue: [(f64, u32); 2],
}

/// One customer's outcome.
struct Outcome {
    /// Days from the first purchase day to the next one.
    next_after: Option<i32>,
    /// Days observed after the first day.
    observed: i32,
    /// Net value of the orders in the first 90 and 365 days.
    revenue: [f64; 2],
}

const REVENUE_DAYS: [i32; 2] = [90, 365];

impl Tally {
    fn add(&mut self, outcome: &Outcome) {
        self.customers += 1;
        self.repeated += u32::from(outcome.next_after.is_some());
        for (w, &days) in WINDOWS.iter().enumerate() {
            if outcome.observed >= days {
                self.eligible[w] += 1;
                self.repeated_within[w] += u32::from(outcome.next_after.is_some_and(|n| n <= days));
            }
        }
        for (r, &days) in REVENUE_DAYS.iter().enumerate() {
            // The window's last day, `days - 1` after the first, is observed.
            if outcome.observed >= days - 1 {
                self.revenue[r].0 += outcome.revenue[r];
                self.revenue[r].1 += 1;
            }
        }
    }

    fn row(&self, id: Option<String>, name: Option<String>) -> FirstRow {
        let within = |w: usize| Within {
            eligible: self.eligible[w],
            repeated: self.repeated_within[w],
            rate: (self.eligible[w] > 0)
                .then(|| f64::from(self.repeated_within[w]) / f64::from(self.eligible[w])),
        };
        let average =
            |(sum, n): (f64, u32)| (n > 0).then(|| (sum / f64::from(n) * 1e6).round() / 1e6);
        FirstRow {
            id,
            name,
            customers: self.customers,
            repeated: self.repeated,
            repeat_rate: share(self.repeated, self.customers),
            within: WithinDays {
                d30: within(0),
                d90: within(1),
                d180: within(2),
                d365: within(3),
            },
            revenue90: average(self.revenue[0]),
            revenue365: average(self.revenue[1]),
        }
    }
}

/// The first-product table of `book`, products `excluded` left out (a customer whose first day
/// held only those still counts in the store's row).
pub fn first_products(
    book: &OrderBook,
    excluded: &Excluded,
    options: &FirstOptions,
) -> Result<FirstProducts, Message> {
    let lines = lines_of(book)?;
    let as_of = options
        .as_of
        .map(|day| day.0)
        .or_else(|| book.last_day())
        .unwrap_or(i32::MIN);
    let acquired = book.acquisition_days();
    let by_customer = book.customer_orders();
    let count = lines.products.len();
    let mut tallies = vec![Tally::default(); count];
    let mut store = Tally::default();
    let mut last_customer = vec![u32::MAX; count];
    for customer in 0..by_customer.customer_count() {
        let first = acquired[customer];
        if first == NO_PURCHASE || first > as_of {
            continue;
        }
        let orders = by_customer.of(customer);
        let is_purchase = |o: u32| book.kind[o as usize] == OrderKind::Purchase;
        let day = |o: u32| book.day[o as usize];
        if !orders.iter().any(|&o| day(o) == first && is_purchase(o)) {
            continue;
        }
        let next = orders
            .iter()
            .find(|&&o| day(o) > first && day(o) <= as_of && is_purchase(o));
        let revenue = REVENUE_DAYS.map(|days| {
            orders
                .iter()
                .filter(|&&o| (first..first + days).contains(&day(o)) && day(o) <= as_of)
                .map(|&o| book.value[o as usize])
                .sum()
        });
        let outcome = Outcome {
            next_after: next.map(|&o| day(o) - first),
            observed: as_of - first,
            revenue,
        };
        store.add(&outcome);
        let first_day = orders
            .iter()
            .filter(|&&o| day(o) == first && is_purchase(o));
        for &order in first_day {
            for line in lines.of_order(order as usize) {
                let p = lines.product(line);
                if excluded.contains(p) || last_customer[p as usize] == customer as u32 {
                    continue;
                }
                last_customer[p as usize] = customer as u32;
                tallies[p as usize].add(&outcome);
            }
        }
    }
    let products = &lines.products;
    let kept = (0..count)
        .filter(|&p| tallies[p].customers >= options.min_customers.max(1))
        .map(|p| (f64::from(tallies[p].customers), p as u32));
    let rows = super::ranked(kept)
        .into_iter()
        .map(|p| p as usize)
        .map(|p| {
            tallies[p].row(
                Some(products.ids[p].clone()),
                Some(products.names[p].clone()),
            )
        })
        .collect();
    Ok(FirstProducts {
        store: store.row(None, None),
        products: rows,
    })
}
