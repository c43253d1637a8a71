//! Bought together: for pairs of products A → B, the purchase orders holding both, their share of
//! the orders with a product (support), the share of A's orders that hold B (confidence) and
//! how much more often B comes with A than alone (lift).
//!
//! No table of all product pairs is ever built: co-occurrences are counted product by product,
//! over the baskets holding that product ([`BasketsOf`]), in one counter per product that is
//! cleared after use. The work is the sum over orders of (products in the order)², the memory
//! O(products + top).

use super::baskets::{Baskets, BasketsOf};
use serde::Serialize;
use std::cmp::Ordering;

/// What pairs are ranked by; ties go to more orders with both, then to the lower codes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PairOrder {
    /// Orders with both (the same order as support).
    #[default]
    Both,
    Confidence,
    Lift,
}

/// Options of [`bought_together`].
#[derive(Clone, Debug, PartialEq)]
pub struct TogetherOptions {
    /// The pairs A → B of this product A; `None`: the top pairs overall.
    pub product: Option<u32>,
    /// Pairs with a smaller support (a share of the orders) are left out.
    pub min_support: f64,
    /// How many pairs to keep.
    pub top: usize,
    pub order: PairOrder,
}

impl Default for TogetherOptions {
    fn default() -> TogetherOptions {
        TogetherOptions {
            product: None,
            min_support: 0.0,
            top: DEFAULT_TOP,
            order: PairOrder::Both,
        }
    }
}

/// Pairs listed unless the caller asks for another number.
pub const DEFAULT_TOP: usize = 20;

/// One pair A → B.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Pair {
    pub a: u32,
    pub b: u32,
    /// Orders holding both.
    pub both: u32,
    /// `both` / the orders with a product.
    pub support: f64,
    /// `both` / the orders holding A.
    pub confidence: f64,
    /// `confidence` / (the orders holding B / the orders with a product).
    pub lift: f64,
}

/// The pairs and the number of orders they are shares of.
#[derive(Clone, Debug, PartialEq)]
pub struct Together {
    /// Purchase orders with at least one counted product line.
    pub orders: u32,
    pub pairs: Vec<Pair>,
}

/// The pairs A → B of one product, or the top pairs overall. Overall, each pair of products is
/// listed once, as A → B with A the product of fewer orders (the direction of the higher
/// confidence; the lower code on a tie).
pub fn bought_together(baskets: &Baskets, options: &TogetherOptions) -> Together {
    let orders = baskets.len() as u32;
    let of = baskets.by_product();
    // A pair's support is at most each product's: products below the minimum pair with none.
    let min_both = (options.min_support * f64::from(orders) - 1e-9)
        .ceil()
        .max(1.0) as u32;
    let mut counter = Counter::new(baskets.product_count());
    let mut top = Top::new(options.top, options.order);
    let pair = |a: u32, b: u32, both: u32| {
        let n = f64::from(orders);
        let (with_a, with_b) = (f64::from(of.count(a)), f64::from(of.count(b)));
        let both_f = f64::from(both);
        Pair {
            a,
            b,
            both,
            support: both_f / n,
            confidence: both_f / with_a,
            lift: both_f * n / (with_a * with_b),
        }
    };
    // One loop for both cases: each product's pairs, or every pair once (B after A).
    let single = options.product;
    let products = match single {
        Some(a) => a..a + 1,
        None => 0..baskets.product_count() as u32,
    };
    for a in products {
        if of.count(a) < min_both {
            continue;
        }
        let wanted = |b: u32| match single {
            Some(_) => b != a,
            None => b > a && of.count(b) >= min_both,
        };
        counter.count_with(a, baskets, of, wanted);
        for (b, both) in counter.drain() {
            if both >= min_both {
                let (a, b) = if single.is_some() {
                    (a, b)
                } else {
                    rarer_first(of, a, b)
                };
                top.push(pair(a, b, both));
            }
        }
    }
    Together {
        orders,
        pairs: top.finish(),
    }
}

/// `(a, b)` with the product of fewer orders first (the lower code on a tie).
fn rarer_first(of: &BasketsOf, a: u32, b: u32) -> (u32, u32) {
    if (of.count(b), b) < (of.count(a), a) {
        (b, a)
    } else {
        (a, b)
    }
}

/// Co-occurrence counts of one product with the others: a dense counter over all products and
/// the list of those it touched, so that clearing costs what counting did.
struct Counter {
    counts: Vec<u32>,
    touched: Vec<u32>,
}

impl Counter {
    fn new(products: usize) -> Counter {
        Counter {
            counts: vec![0; products],
            touched: Vec::new(),
        }
    }

    /// Counts, over the baskets holding `a`, the products `wanted` keeps.
    fn count_with(
        &mut self,
        a: u32,
        baskets: &Baskets,
        of: &BasketsOf,
        wanted: impl Fn(u32) -> bool,
    ) {
        for &basket in of.of(a) {
            for &b in baskets.products(basket as usize) {
                if !wanted(b) {
                    continue;
                }
                let count = &mut self.counts[b as usize];
                if *count == 0 {
                    self.touched.push(b);
                }
                *count += 1;
            }
        }
    }

    /// The counted products and their counts, the counter cleared.
    fn drain(&mut self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.touched
            .drain(..)
            .map(|b| (b, std::mem::take(&mut self.counts[b as usize])))
    }
}

/// The best `keep` pairs seen so far, best first: a candidate is placed by binary search and
/// the worst falls off, so any number of candidates costs O(keep) memory (and a sorted list
/// adds less to the `.wasm` than a heap or a slice sort).
struct Top {
    keep: usize,
    order: PairOrder,
    pairs: Vec<Pair>,
}

impl Top {
    fn new(keep: usize, order: PairOrder) -> Top {
        Top {
            keep,
            order,
            pairs: Vec::new(),
        }
    }

    fn push(&mut self, pair: Pair) {
        let at = self
            .pairs
            .partition_point(|kept| ranked(self.order, kept, &pair) == Ordering::Less);
        if at < self.keep {
            if self.pairs.len() == self.keep {
                self.pairs.pop();
            }
            self.pairs.insert(at, pair);
        }
    }

    fn finish(self) -> Vec<Pair> {
        self.pairs
    }
}

/// Best first: the chosen measure, then orders with both, then the lower codes.
fn ranked(order: PairOrder, x: &Pair, y: &Pair) -> Ordering {
    let measure = match order {
        PairOrder::Both => Ordering::Equal,
        PairOrder::Confidence => y.confidence.total_cmp(&x.confidence),
        PairOrder::Lift => y.lift.total_cmp(&x.lift),
    };
    measure
        .then(y.both.cmp(&x.both))
        .then(x.a.cmp(&y.a))
        .then(x.b.cmp(&y.b))
}

#[cfg(test)]
mod tests {
    use super::super::Excluded;
    use super::super::baskets::tests::{bought, products};
    use super::*;
    use crate::book::{OrderBook, OrderKind};
    use crate::lines::Lines;

    /// Baskets of one guest purchase each, holding the given product codes.
    fn baskets(product_count: usize, orders: &[&[u32]]) -> Baskets {
        let book =
            OrderBook::from_orders(orders.iter().map(|_| (None, 1, 1.0, OrderKind::Purchase)));
        let ids: Vec<String> = (0..product_count).map(|p| format!("P{p}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let lines = Lines::from_orders(
            products(&ids),
            orders.iter().map(|o| o.iter().map(|&p| bought(p))),
        );
        Baskets::of(&book, &lines, &Excluded::none(product_count))
    }

    /// 10 orders: A (0) in 5, B (1) in 4 (3 with A), C (2) in 5 (1 with A, every one with D),
    /// D (3) in 5.
    fn known() -> Baskets {
        baskets(
            4,
            &[
                &[0, 1],
                &[0, 1],
                &[0, 1, 0],
                &[0, 2, 3],
                &[0],
                &[1],
                &[2, 3],
                &[2, 3],
                &[2, 3],
                &[2, 3],
            ],
        )
    }

    fn assert_pair(pair: &Pair, (a, b, both): (u32, u32, u32), support: f64, conf: f64, lift: f64) {
        assert_eq!((pair.a, pair.b, pair.both), (a, b, both), "{pair:?}");
        for (got, want) in [
            (pair.support, support),
            (pair.confidence, conf),
            (pair.lift, lift),
        ] {
            assert!((got - want).abs() < 1e-12, "{pair:?}: {got} vs {want}");
        }
    }

    #[test]
    fn one_products_pairs_are_counted_once_per_order_with_support_confidence_and_lift() {
        let options = TogetherOptions {
            product: Some(0),
            ..TogetherOptions::default()
        };
        let together = bought_together(&known(), &options);
        assert_eq!(together.orders, 10);
        assert_eq!(together.pairs.len(), 3);
        // A → B: 3 of A's 5 orders; B in 4 of 10: lift 0.6 / 0.4.
        assert_pair(&together.pairs[0], (0, 1, 3), 0.3, 0.6, 1.5);
        assert_pair(&together.pairs[1], (0, 2, 1), 0.1, 0.2, 0.4);
        assert_pair(&together.pairs[2], (0, 3, 1), 0.1, 0.2, 0.4);
    }

    #[test]
    fn top_pairs_overall_list_each_pair_once_rarer_product_first() {
        let together = bought_together(&known(), &TogetherOptions::default());
        let listed: Vec<(u32, u32, u32)> =
            together.pairs.iter().map(|p| (p.a, p.b, p.both)).collect();
        // C and D: 5 orders each, always together; B (4 orders) before A (5) in their pair.
        assert_eq!(listed, [(2, 3, 5), (1, 0, 3), (0, 2, 1), (0, 3, 1)]);
        assert_pair(&together.pairs[0], (2, 3, 5), 0.5, 1.0, 2.0);
        assert_pair(&together.pairs[1], (1, 0, 3), 0.3, 0.75, 1.5);
    }

    #[test]
    fn minimum_support_top_and_order_cut_the_list() {
        let options = TogetherOptions {
            min_support: 0.3,
            ..TogetherOptions::default()
        };
        let kept: Vec<u32> = bought_together(&known(), &options)
            .pairs
            .iter()
            .map(|p| p.both)
            .collect();
        assert_eq!(kept, [5, 3]);
        let by_lift = TogetherOptions {
            top: 1,
            order: PairOrder::Lift,
            product: Some(3),
            ..TogetherOptions::default()
        };
        let best = bought_together(&known(), &by_lift).pairs;
        assert_eq!(best.len(), 1);
        assert_pair(&best[0], (3, 2, 5), 0.5, 1.0, 2.0);
        let none = TogetherOptions {
            top: 0,
            ..TogetherOptions::default()
        };
        assert!(bought_together(&known(), &none).pairs.is_empty());
    }

    /// The counts of every pair, product by product, against the plain count over all pairs of
    /// every order, on random baskets with many more candidates than kept.
    #[test]
    fn top_pairs_match_a_count_of_every_pair() {
        let mut random = crate::fixtures::Lcg::new(16);
        let orders: Vec<Vec<u32>> = (0..400)
            .map(|_| {
                let size = 1 + (random.next() >> 61) as usize;
                (0..size)
                    .map(|_| ((random.next() >> 40) % 40) as u32)
                    .collect()
            })
            .collect();
        let slices: Vec<&[u32]> = orders.iter().map(Vec::as_slice).collect();
        let baskets = baskets(40, &slices);
        let mut all = std::collections::BTreeMap::<(u32, u32), u32>::new();
        for basket in 0..baskets.len() {
            let products = baskets.products(basket);
            for (i, &a) in products.iter().enumerate() {
                for &b in &products[i + 1..] {
                    *all.entry((a, b)).or_default() += 1;
                }
            }
        }
        let mut expected: Vec<u32> = all.values().copied().collect();
        expected.sort_unstable_by(|x, y| y.cmp(x));
        expected.truncate(25);
        let options = TogetherOptions {
            top: 25,
            ..TogetherOptions::default()
        };
        let got = bought_together(&baskets, &options).pairs;
        let counts: Vec<u32> = got.iter().map(|p| p.both).collect();
        assert_eq!(counts, expected);
        for pair in &got {
            let key = (pair.a.min(pair.b), pair.a.max(pair.b));
            assert_eq!(all[&key], pair.both);
        }
    }
}
