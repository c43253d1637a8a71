//! The OrderBook: one row per order, stored as columns, built once per dataset.
//!
//! Every analysis (`rfm`, `cohort`, `lifecycle`, `clv`) is a pure function of `&OrderBook`. The
//! book knows nothing of files: how a file's rows became its orders is the ingest report, which
//! `ingest` hands back beside the book ([`crate::ingest::IngestedBook`]).

use crate::lean_vec::{push_lean, try_reserve};
use crate::role::Role;
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
    /// The order attributes kept from the file (country, channel, a column the user picked…),
    /// one dictionary-coded column each; empty for a file without such columns.
    pub attributes: Vec<Attribute>,
    /// For a book filtered out of a larger one ([`OrderBook::filtered`]): the day of each
    /// customer's first purchase in the whole history ([`NO_PURCHASE`] for none), so that a
    /// date range or an attribute does not make an old customer look new. `None` for a book
    /// that is its own whole history.
    pub acquisition: Option<Vec<i32>>,
    /// For a filtered book: per attribute (as `attributes`), the code of each customer's first
    /// purchase in the whole history (their first order's when they never bought), so that a
    /// comparison by first purchase groups them by how they were acquired, whatever the filter
    /// dropped. `None` for a book that is its own whole history.
    pub acquisition_codes: Option<Vec<Codes>>,
    /// The orders' line items, when the file has a product column ([`crate::lines`]).
    pub lines: Option<crate::lines::Lines>,
    /// Each customer's e-mail, phone and name, when the file has such columns.
    pub contacts: Option<crate::contacts::Contacts>,
}

/// [`OrderBook::acquisition`] of a customer who never bought (only returns).
pub const NO_PURCHASE: i32 = i32::MAX;

/// One attribute of the orders: a column of the file kept per order as a small code into its
/// distinct values.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    /// The name filters and comparisons use: the role's name (`country`, `paymentMethod`…), or
    /// the header of a column the user picked.
    pub key: String,
    /// The header of the column in the file.
    pub column: String,
    /// The role the column was recognised for; `None` for a column the user picked.
    pub role: Option<Role>,
    /// The distinct values, each once; `values[0]` is `""`, the code of an order without one.
    pub values: Vec<String>,
    /// The code of each order's value (an index into `values`).
    pub codes: Codes,
}

impl Attribute {
    /// An attribute with no values yet (only `""`, code 0).
    pub fn new(key: impl Into<String>, column: impl Into<String>, role: Option<Role>) -> Self {
        Attribute {
            key: key.into(),
            column: column.into(),
            role,
            values: vec![String::new()],
            codes: Codes::default(),
        }
    }

    /// An attribute from each order's value, in order (`""` for none): the dictionary is built
    /// in order of first appearance, as reading a file does.
    pub fn from_values<'a>(
        key: impl Into<String>,
        column: impl Into<String>,
        role: Option<Role>,
        values: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut attribute = Attribute::new(key, column, role);
        let mut codes_of = rustc_hash::FxHashMap::<&str, u32>::default();
        for value in values {
            let code = match value {
                "" => 0,
                value => *codes_of.entry(value).or_insert_with(|| {
                    attribute.values.push(value.to_string());
                    (attribute.values.len() - 1) as u32
                }),
            };
            attribute.codes.push(code);
        }
        attribute
    }

    /// The value of order `order` (`""` when it has none).
    pub fn value_of(&self, order: usize) -> &str {
        &self.values[self.codes.get(order) as usize]
    }

    /// The code of `value`, if some order of the file had it.
    pub fn code_of(&self, value: &str) -> Option<u32> {
        self.values
            .iter()
            .position(|v| v == value)
            .map(|c| c as u32)
    }
}

/// The per-order codes of an attribute, one byte each while the attribute has at most 256
/// values, two up to 65,536, four beyond: a country or channel column costs a byte per order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Codes {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Default for Codes {
    fn default() -> Codes {
        Codes::U8(Vec::new())
    }
}

impl Codes {
    pub fn len(&self) -> usize {
        match self {
            Codes::U8(codes) => codes.len(),
            Codes::U16(codes) => codes.len(),
            Codes::U32(codes) => codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> u32 {
        match self {
            Codes::U8(codes) => u32::from(codes[i]),
            Codes::U16(codes) => u32::from(codes[i]),
            Codes::U32(codes) => codes[i],
        }
    }

    /// Bytes each order's code takes.
    pub fn width(&self) -> usize {
        match self {
            Codes::U8(_) => 1,
            Codes::U16(_) => 2,
            Codes::U32(_) => 4,
        }
    }

    /// Makes the codes wide enough to hold `code`.
    fn widen_for(&mut self, code: u32) {
        let widened = match self {
            Codes::U8(codes) if code > u32::from(u8::MAX) => {
                Codes::U16(codes.iter().map(|&c| u16::from(c)).collect())
            }
            Codes::U16(codes) if code > u32::from(u16::MAX) => {
                Codes::U32(codes.iter().map(|&c| u32::from(c)).collect())
            }
            _ => return,
        };
        *self = widened;
        self.widen_for(code);
    }

    /// Appends a code, growing as [`push_lean`] does.
    pub fn push(&mut self, code: u32) {
        self.widen_for(code);
        match self {
            Codes::U8(codes) => push_lean(codes, code as u8),
            Codes::U16(codes) => push_lean(codes, code as u16),
            Codes::U32(codes) => push_lean(codes, code),
        }
    }

    pub fn set(&mut self, i: usize, code: u32) {
        self.widen_for(code);
        match self {
            Codes::U8(codes) => codes[i] = code as u8,
            Codes::U16(codes) => codes[i] = code as u16,
            Codes::U32(codes) => codes[i] = code,
        }
    }

    /// Room for `more` codes, if the memory is there.
    pub fn reserve(&mut self, more: usize) {
        match self {
            Codes::U8(codes) => try_reserve(codes, more),
            Codes::U16(codes) => try_reserve(codes, more),
            Codes::U32(codes) => try_reserve(codes, more),
        }
    }

    /// Keeps the first `len` codes and gives the rest of the memory back.
    pub fn truncate(&mut self, len: usize) {
        match self {
            Codes::U8(codes) => (codes.truncate(len), codes.shrink_to_fit()),
            Codes::U16(codes) => (codes.truncate(len), codes.shrink_to_fit()),
            Codes::U32(codes) => (codes.truncate(len), codes.shrink_to_fit()),
        };
    }

    /// The codes of the orders `kept`, in that order.
    pub fn select(&self, kept: &[u32]) -> Codes {
        let pick = |i: &u32| *i as usize;
        match self {
            Codes::U8(codes) => Codes::U8(kept.iter().map(|i| codes[pick(i)]).collect()),
            Codes::U16(codes) => Codes::U16(kept.iter().map(|i| codes[pick(i)]).collect()),
            Codes::U32(codes) => Codes::U32(kept.iter().map(|i| codes[pick(i)]).collect()),
        }
    }
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

    /// Bytes of all the ids together.
    pub fn bytes(&self) -> usize {
        self.text.len()
    }

    /// The ids with the room left over given back.
    pub fn shrunk(self) -> CustomerIds {
        CustomerIds::from_parts(self.text, self.ends)
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

    /// The attribute called `key`.
    pub fn attribute(&self, key: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.key == key)
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
