//! Test fixtures shared by the unit tests of every module: days written as dates, small books
//! written as lists of orders, and seeded random text for the "never panics" tests.

use crate::book::{Attribute, OrderBook, OrderKind};
use crate::cohort::ActiveWindow;
use crate::day::Day;
use crate::ingest::Role;

/// Value of an order a test writes without one: a purchase of 10 (a return of −10).
pub const ORDER_VALUE: f64 = 10.0;

/// The day number of `YYYY-MM-DD`.
pub fn day(text: &str) -> i32 {
    text.parse::<Day>()
        .unwrap_or_else(|_| panic!("{text} is a test date"))
        .0
}

/// The [`Day`] of `YYYY-MM-DD`, as options take it.
pub fn date(text: &str) -> Day {
    Day(day(text))
}

/// A day a test writes as a `YYYY-MM-DD` text or as a day number.
pub trait TestDay: Copy {
    fn number(self) -> i32;
}

impl TestDay for &str {
    fn number(self) -> i32 {
        day(self)
    }
}

impl TestDay for i32 {
    fn number(self) -> i32 {
        self
    }
}

/// An order a test writes as `(customer, day)`, `(customer, day, kind)`, `(customer, day, value)`
/// or `(customer, day, value, kind)`; the day as a date or a day number. Without a kind it is a
/// purchase, without a value it is worth [`ORDER_VALUE`].
pub trait TestOrder<'a>: Copy {
    fn order(self) -> (Option<&'a str>, i32, f64, OrderKind);
}

impl<'a, D: TestDay> TestOrder<'a> for (&'a str, D) {
    fn order(self) -> (Option<&'a str>, i32, f64, OrderKind) {
        (
            Some(self.0),
            self.1.number(),
            ORDER_VALUE,
            OrderKind::Purchase,
        )
    }
}

impl<'a, D: TestDay> TestOrder<'a> for (&'a str, D, OrderKind) {
    fn order(self) -> (Option<&'a str>, i32, f64, OrderKind) {
        let value = match self.2 {
            OrderKind::Purchase => ORDER_VALUE,
            OrderKind::Return => -ORDER_VALUE,
        };
        (Some(self.0), self.1.number(), value, self.2)
    }
}

impl<'a, D: TestDay> TestOrder<'a> for (&'a str, D, f64) {
    fn order(self) -> (Option<&'a str>, i32, f64, OrderKind) {
        (Some(self.0), self.1.number(), self.2, OrderKind::Purchase)
    }
}

impl<'a, D: TestDay> TestOrder<'a> for (&'a str, D, f64, OrderKind) {
    fn order(self) -> (Option<&'a str>, i32, f64, OrderKind) {
        (Some(self.0), self.1.number(), self.2, self.3)
    }
}

/// How close a rate worked out by hand must be to the computed one.
pub const RATE_TOLERANCE: f64 = 1e-12;

/// An activity window of `days` days, as a caller would choose it.
pub fn window(days: u32) -> ActiveWindow {
    ActiveWindow::chosen(f64::from(days)).unwrap()
}

/// Asserts that a rate was computed and is `want` to within [`RATE_TOLERANCE`].
pub fn assert_rate(got: Option<f64>, want: f64, what: &str) {
    let got = got.unwrap_or_else(|| panic!("{what}: no rate"));
    assert!(
        (got - want).abs() < RATE_TOLERANCE,
        "{what}: {got} vs {want}"
    );
}

/// A book of identified customers' orders, in the given order.
pub fn book<'a, O: TestOrder<'a>>(orders: &[O]) -> OrderBook {
    OrderBook::from_orders(orders.iter().map(|order| order.order()))
}

/// `book` with one more attribute: `key` names a role (`country`, `channel`…) or a picked column,
/// and order `i` has `values[i]` (`""` for none).
///
/// # Panics
/// When `values` does not give one value per order.
pub fn with_attribute(mut book: OrderBook, key: &str, values: &[&str]) -> OrderBook {
    assert_eq!(values.len(), book.order_count(), "one value per order");
    let role = Role::named(key).filter(|role| role.is_attribute());
    let attribute = Attribute::from_values(key, key, role, values.iter().copied());
    book.attributes.push(attribute);
    book
}

/// Seeded pseudo-random numbers (a 64-bit LCG, Knuth's MMIX constants): the same "random" test
/// input on every run. Its high bits are the good ones: take `next() >> k`.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0
    }
}

/// `count` strings of 0 to 31 characters drawn from `alphabet` by a fixed-seed generator: the
/// same odd input on every run.
pub fn random_strings(alphabet: &str, count: usize) -> Vec<String> {
    let alphabet: Vec<char> = alphabet.chars().collect();
    let mut random = Lcg::new(0x2545_f491_4f6c_dd1d);
    let mut next = move || random.next();
    (0..count)
        .map(|_| {
            let len = next() >> 59;
            (0..len)
                .map(|_| alphabet[(next() >> 33) as usize % alphabet.len()])
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_take_their_defaults() {
        let book = book(&[("a", "1970-01-02"), ("b", "1970-01-01")]);
        assert_eq!(book.day, [1, 0]);
        assert_eq!(book.value, [ORDER_VALUE, ORDER_VALUE]);
        let returned = super::book(&[("a", 3, OrderKind::Return)]);
        assert_eq!(returned.value, [-ORDER_VALUE]);
        assert_eq!(returned.kind, [OrderKind::Return]);
        let tagged = with_attribute(returned, "channel", &["web"]);
        assert_eq!(tagged.attribute("channel").unwrap().value_of(0), "web");
        let strings = random_strings("ab", 50);
        assert_eq!(strings, random_strings("ab", 50));
        assert!(
            strings
                .iter()
                .all(|s| s.len() < 32 && s.chars().all(|c| "ab".contains(c)))
        );
    }
}
