//! Orders of a file without an order id column, keyed by customer and instant (the date and time
//! of the row), without a hash index in the common case.
//!
//! Exports list orders by date, newest first or last, so a customer's next order is almost
//! always later (or earlier) than all of theirs so far. Keeping each customer's first and last
//! instant with their orders answers such a row without a lookup: an instant beyond either end
//! is a new order, one equal to an end is that order. A row between the two ends (a file in no
//! order of date) could be any of the customer's orders: the general index of order keys is then
//! filled with every order so far, from the instant kept for each, and answers every row from
//! there on — exact either way, and for sorted files 4 bytes per order and 16 per customer
//! instead of the index's 24 per order and a cache miss or more on every row.

use super::order_ids::OrderIds;
use crate::lean_vec::{push_lean, try_reserve};

/// An instant not kept for the order (keyed by its id, or anonymous).
const NOT_TIMED: u32 = u32::MAX;

#[derive(Default)]
pub struct TimedOrders {
    /// Per customer: the first and last instant of their orders so far and those orders;
    /// `low_order == NOT_TIMED` for a customer without such an order yet.
    spans: Vec<Span>,
    /// Per order: the instant of its key, `NOT_TIMED` for orders keyed otherwise. Empty until
    /// the first row keyed by customer and instant.
    instants: Vec<u32>,
    /// True once a row fell between a customer's ends: every key is in the general index since.
    indexed: bool,
}

#[derive(Clone, Copy)]
struct Span {
    low: u32,
    low_order: u32,
    high: u32,
    high_order: u32,
}

const NO_SPAN: Span = Span {
    low: 0,
    low_order: NOT_TIMED,
    high: 0,
    high_order: NOT_TIMED,
};

/// What [`TimedOrders::find`] says about a row.
pub enum Found {
    /// An order keyed by this customer and instant.
    Order(u32),
    /// No such order: the next order is it (register it with [`TimedOrders::push`]).
    New,
    /// Look the key up in the general index (which holds every timed order).
    Index,
}

impl TimedOrders {
    /// The order of `customer` at `instant` (seconds since 1970): kept here only while the file
    /// is in order of date for each customer, and for instants that fit in 32 bits.
    /// `order_customer` is the customer of each order so far, for filling the index.
    pub fn find(
        &mut self,
        customer: u32,
        instant: i64,
        ids: &mut OrderIds,
        order_customer: &[u32],
    ) -> Found {
        let Some(instant) = u32::try_from(instant).ok().filter(|&t| t != NOT_TIMED) else {
            return Found::Index;
        };
        if self.indexed {
            return Found::Index;
        }
        let span = self
            .spans
            .get(customer as usize)
            .copied()
            .unwrap_or(NO_SPAN);
        if span.low_order == NOT_TIMED || instant > span.high || instant < span.low {
            return Found::New;
        }
        if instant == span.high {
            return Found::Order(span.high_order);
        }
        if instant == span.low {
            return Found::Order(span.low_order);
        }
        self.index_all(ids, order_customer);
        Found::Index
    }

    /// Registers `order`, new, as keyed by `customer` at `instant` (after [`Found::New`] or
    /// [`Found::Index`] said it is new).
    pub fn push(&mut self, customer: u32, instant: i64, order: u32) {
        if self.indexed {
            return;
        }
        let instant = u32::try_from(instant).unwrap_or(NOT_TIMED);
        let order_index = order as usize;
        if self.instants.len() < order_index {
            self.instants.resize(order_index, NOT_TIMED);
        }
        push_lean(&mut self.instants, instant);
        if instant == NOT_TIMED {
            return;
        }
        let customer = customer as usize;
        if self.spans.len() <= customer {
            let more = customer + 1 - self.spans.len();
            if self.spans.capacity() - self.spans.len() < more {
                self.spans.reserve_exact(self.spans.len() / 2 + more + 64);
            }
            self.spans.resize(customer + 1, NO_SPAN);
        }
        let span = &mut self.spans[customer];
        if span.low_order == NOT_TIMED {
            *span = Span {
                low: instant,
                low_order: order,
                high: instant,
                high_order: order,
            };
        } else if instant > span.high {
            (span.high, span.high_order) = (instant, order);
        } else {
            (span.low, span.low_order) = (instant, order);
        }
    }

    /// The instant order `order` is keyed by here, if it is (for handing a part of a file on,
    /// see `crate::ingest::split`).
    pub fn instant_of(&self, order: usize) -> Option<i64> {
        let instant = *self.instants.get(order)?;
        (instant != NOT_TIMED).then_some(i64::from(instant))
    }

    /// Makes room for the instants of `total` orders.
    pub fn expect_orders(&mut self, total: usize) {
        if !self.instants.is_empty() {
            let more = total.saturating_sub(self.instants.len());
            try_reserve(&mut self.instants, more);
        }
    }

    /// Puts every timed order so far in the general index, under the key
    /// [`timed_key`] gives it, and answers from there on through the index.
    #[cold]
    #[inline(never)]
    fn index_all(&mut self, ids: &mut OrderIds, order_customer: &[u32]) {
        self.indexed = true;
        self.spans = Vec::new();
        let mut key = Vec::new();
        for (order, &instant) in std::mem::take(&mut self.instants).iter().enumerate() {
            if instant != NOT_TIMED {
                timed_key(&mut key, order_customer[order], i64::from(instant));
                ids.find_or_insert(&key, order as u32);
            }
        }
    }
}

/// The general index's key of an order of `customer` at `instant`: a zero byte (which no order
/// id read from a file starts with), then both numbers.
pub fn timed_key(key: &mut Vec<u8>, customer: u32, instant: i64) {
    key.clear();
    key.push(0);
    key.extend_from_slice(&customer.to_le_bytes());
    key.extend_from_slice(&instant.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use crate::fixtures::Lcg;
    use crate::ingest::{IngestOptions, read_csv};
    use std::collections::BTreeMap;

    /// Rows without an order id, in order of date, in reverse and shuffled (then a row falls
    /// between a customer's first and last instant and the general index takes over), some with
    /// times and some on the same instant twice: the orders are those a map of (customer,
    /// instant) gives.
    #[test]
    fn orders_by_customer_and_instant_whatever_the_order_of_rows() {
        let mut lcg = Lcg::new(11);
        let mut random = |n: u64| (lcg.next() >> 33) % n;
        let mut rows: Vec<(u64, String, u64)> = (0..3_000)
            .map(|_| {
                let day = 1 + random(28);
                let stamp = match random(3) {
                    0 => format!("2024-03-{day:02} {:02}:30", 8 + random(3)),
                    _ => format!("2024-03-{day:02}"),
                };
                (random(200), stamp, 1 + random(500))
            })
            .collect();
        rows.sort_by(|a, b| a.1.cmp(&b.1));
        let mut expected = BTreeMap::new();
        for (customer, stamp, cents) in &rows {
            *expected.entry((*customer, stamp.clone())).or_insert(0) += cents;
        }
        let mut expected: Vec<u64> = expected.into_values().collect();
        expected.sort_unstable();
        let reversed: Vec<_> = rows.iter().rev().cloned().collect();
        let mut shuffled = rows.clone();
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, random(i as u64 + 1) as usize);
        }
        for rows in [&rows, &reversed, &shuffled] {
            let mut csv = String::from("customer,date,amount\n");
            for (customer, stamp, cents) in rows {
                csv.push_str(&format!(
                    "K{customer},{stamp},{}.{:02}\n",
                    cents / 100,
                    cents % 100
                ));
            }
            let book = read_csv(csv.as_bytes(), &IngestOptions::default()).expect("readable");
            let mut values: Vec<u64> = book
                .value
                .iter()
                .map(|v| (v * 100.0).round() as u64)
                .collect();
            values.sort_unstable();
            assert_eq!(values, expected);
        }
    }
}
