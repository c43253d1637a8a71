//! The OrderBook: one row per order, stored as columns, built once per dataset.
//!
//! Every analysis (`rfm`, `cohort`, `lifecycle`, `clv`) is a pure function of `&OrderBook`. The
//! book knows nothing of files: how a file's rows became its orders is the ingest report, which
//! `ingest` hands back beside the book ([`crate::ingest::IngestedBook`]).

use serde::Serialize;

/// Customer index of an order placed without a customer id (a guest checkout).
pub const ANONYMOUS: u32 = u32::MAX;

/// What an order was: a sale, or a separate reversal record. Cancelled orders are not stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderKind {
    Purchase,
    Return,
}

/// Orders as parallel columns; `customer[i]`, `day[i]`, `value[i]`, `kind[i]` describe order `i`.
#[derive(Clone, Debug, Default)]
pub struct OrderBook {
    /// Customer ids as text, indexed by the values of `customer`.
    pub customer_ids: CustomerIds,
    /// Index into `customer_ids`, or [`ANONYMOUS`].
    pub customer: Vec<u32>,
    /// Day of the order (its earliest line), in days since 1970-01-01.
    pub day: Vec<i32>,
    /// Net value of the order: the sum of its line amounts (negative for most returns).
    pub value: Vec<f64>,
    pub kind: Vec<OrderKind>,
}

/// Customer ids as text, all in one buffer: a `Vec<String>` spent 40 bytes and an allocation on
/// each of a file's hundreds of thousands of customers, more than their orders' columns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerIds {
    text: String,
    /// End of id `i` in `text` (its start is the previous end).
    ends: Vec<u32>,
}

impl CustomerIds {
    pub fn with_capacity(ids: usize, bytes: usize) -> CustomerIds {
        CustomerIds {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(ids),
        }
    }

    /// Ids from their text run together and the end of each in it.
    pub fn from_parts(mut text: String, mut ends: Vec<u32>) -> CustomerIds {
        assert!(ends.iter().all(|&end| text.is_char_boundary(end as usize)));
        text.shrink_to_fit();
        ends.shrink_to_fit();
        CustomerIds { text, ends }
    }

    pub fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len() as u32);
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        (i < self.len()).then(|| &self[i])
    }

    pub fn iter(&self) -> CustomerIdsIter<'_> {
        CustomerIdsIter { ids: self, next: 0 }
    }
}

impl std::ops::Index<usize> for CustomerIds {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
}

impl<'a> IntoIterator for &'a CustomerIds {
    type Item = &'a str;
    type IntoIter = CustomerIdsIter<'a>;

    fn into_iter(self) -> CustomerIdsIter<'a> {
        self.iter()
    }
}

/// The ids of a [`CustomerIds`] in order.
pub struct CustomerIdsIter<'a> {
    ids: &'a CustomerIds,
    next: usize,
}

impl<'a> Iterator for CustomerIdsIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let id = self.ids.get(self.next)?;
        self.next += 1;
        Some(id)
    }
}

impl<'a> FromIterator<&'a str> for CustomerIds {
    fn from_iter<I: IntoIterator<Item = &'a str>>(ids: I) -> CustomerIds {
        let mut all = CustomerIds::default();
        ids.into_iter().for_each(|id| all.push(id));
        all
    }
}

impl<const N: usize> PartialEq<[&str; N]> for CustomerIds {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

/// Per-customer view of the book: for customer `c`, `orders[offsets[c]..offsets[c + 1]]` are the
/// indices of their orders sorted by day (then by input order).
#[derive(Clone, Debug)]
pub struct CustomerOrders {
    pub offsets: Vec<u32>,
    pub orders: Vec<u32>,
}

impl CustomerOrders {
    /// Order indices of customer `c`, oldest first.
    pub fn of(&self, c: usize) -> &[u32] {
        &self.orders[self.offsets[c] as usize..self.offsets[c + 1] as usize]
    }

    pub fn customer_count(&self) -> usize {
        self.offsets.len() - 1
    }
}

impl OrderBook {
    pub fn order_count(&self) -> usize {
        self.day.len()
    }

    pub fn customer_count(&self) -> usize {
        self.customer_ids.len()
    }

    /// Groups the identified orders by customer (a counting sort, O(orders)), each customer's
    /// orders sorted by day. Anonymous orders are left out.
    pub fn customer_orders(&self) -> CustomerOrders {
        let customers = self.customer_count();
        let mut offsets = vec![0u32; customers + 1];
        for &c in &self.customer {
            if c != ANONYMOUS {
                offsets[c as usize + 1] += 1;
            }
        }
        for i in 0..customers {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let mut orders = vec![0u32; offsets[customers] as usize];
        for (i, &c) in self.customer.iter().enumerate() {
            if c != ANONYMOUS {
                let slot = &mut next[c as usize];
                orders[*slot as usize] = i as u32;
                *slot += 1;
            }
        }
        // Within a customer the orders are in input order: sorting on (day, order index) is the
        // stable sort by day.
        let key = |i: u32| u64::from(self.day[i as usize] as u32 ^ 1 << 31) << 32 | u64::from(i);
        for c in 0..customers {
            let range = offsets[c] as usize..offsets[c + 1] as usize;
            crate::sort::radix_sort(&mut orders[range], &key, 64);
        }
        CustomerOrders { offsets, orders }
    }

    /// The last order day in the book (purchases and returns), if any.
    pub fn last_day(&self) -> Option<i32> {
        self.day.iter().copied().max()
    }

    /// The first order day in the book, if any.
    pub fn first_day(&self) -> Option<i32> {
        self.day.iter().copied().min()
    }

    /// Builds a book directly from orders; for tests and for callers that already have orders.
    /// `orders` are `(customer id or None, day, value, kind)`.
    pub fn from_orders<'a>(
        orders: impl IntoIterator<Item = (Option<&'a str>, i32, f64, OrderKind)>,
    ) -> OrderBook {
        let mut book = OrderBook::default();
        let mut index = rustc_hash::FxHashMap::<String, u32>::default();
        for (customer, day, value, kind) in orders {
            let c = match customer {
                None => ANONYMOUS,
                Some(id) => *index.entry(id.to_string()).or_insert_with(|| {
                    book.customer_ids.push(id);
                    (book.customer_ids.len() - 1) as u32
                }),
            };
            book.customer.push(c);
            book.day.push(day);
            book.value.push(value);
            book.kind.push(kind);
        }
        book
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_orders_groups_and_sorts_by_day() {
        let book = OrderBook::from_orders([
            (Some("b"), 5, 1.0, OrderKind::Purchase),
            (Some("a"), 9, 2.0, OrderKind::Purchase),
            (None, 1, 3.0, OrderKind::Purchase),
            (Some("a"), 2, -2.0, OrderKind::Return),
        ]);
        let grouped = book.customer_orders();
        assert_eq!(grouped.customer_count(), 2);
        assert_eq!(grouped.of(0), &[0]);
        assert_eq!(grouped.of(1), &[3, 1]);
        // Many orders, days out of order and tied: by day, ties in input order.
        let days: Vec<i32> = (0..500).map(|i| (i * 37) % 11 - 5).collect();
        let many = OrderBook::from_orders(
            days.iter()
                .map(|&d| (Some("a"), d, 1.0, OrderKind::Purchase)),
        );
        let mut expected: Vec<u32> = (0..500).collect();
        expected.sort_by_key(|&i| days[i as usize]);
        assert_eq!(many.customer_orders().of(0), expected);
    }
}
