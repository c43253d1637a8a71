//! Baskets: the distinct products of each purchase order, stored sparsely (one short sorted list
//! per order), and the inverted index from a product to the baskets holding it. Bought-together,
//! what-comes-next and the product mix all read purchases through these, so that every analysis
//! counts a product once per order and leaves out the same lines.

use super::Excluded;
use crate::book::{OrderBook, OrderKind};
use crate::lines::Lines;

/// The purchase orders that hold at least one counted product line, each with its distinct
/// products ascending. A line counts when its order is a purchase, its product is not
/// [`Excluded`] and its quantity is not negative (a negative line inside a sale is an item taken
/// back, not bought). Guest orders are baskets too.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Baskets {
    /// The book's index of each basket's order, ascending.
    pub orders: Vec<u32>,
    /// Products of basket `b` are `products[start[b]..start[b + 1]]`.
    start: Vec<u32>,
    products: Vec<u32>,
    /// Number of products of the book (codes are below it).
    product_count: usize,
    /// [`Baskets::by_product`], made once.
    by_product: std::cell::OnceCell<BasketsOf>,
}

impl Baskets {
    /// The baskets of `book`'s purchase orders, read from its `lines`.
    pub fn of(book: &OrderBook, lines: &Lines, excluded: &Excluded) -> Baskets {
        Baskets::until(book, lines, excluded, i32::MAX)
    }

    /// The baskets of the purchase orders made on or before day `last`: what was known then, so
    /// that an analysis as of a past date does not learn from later orders.
    pub fn until(book: &OrderBook, lines: &Lines, excluded: &Excluded, last: i32) -> Baskets {
        let mut baskets = Baskets {
            start: vec![0],
            product_count: lines.products.len(),
            ..Baskets::default()
        };
        for (order, kind) in book.kind.iter().enumerate() {
            if book.day[order] > last {
                continue;
            }
            let first = baskets.products.len();
            for line in lines.of_order(order) {
                let product = lines.product(line);
                if !excluded.contains(product) && is_bought(*kind, lines.quantity(line)) {
                    baskets.products.push(product);
                }
            }
            let basket = &mut baskets.products[first..];
            sort_codes(basket, &|p| u64::from(p));
            let distinct = dedup_sorted(basket);
            baskets.products.truncate(first + distinct);
            if distinct > 0 {
                baskets.orders.push(order as u32);
                baskets.start.push(baskets.products.len() as u32);
            }
        }
        baskets
    }

    /// Number of baskets (the purchase orders with a counted product line).
    pub fn len(&self) -> usize {
        self.orders.len()
    }

    pub fn is_empty(&self) -> bool {
        self.orders.is_empty()
    }

    /// The distinct products of basket `basket`, ascending.
    pub fn products(&self, basket: usize) -> &[u32] {
        &self.products[self.start[basket] as usize..self.start[basket + 1] as usize]
    }

    /// Number of products of the book the codes refer to.
    pub fn product_count(&self) -> usize {
        self.product_count
    }

    /// For each product, the baskets that hold it (a counting sort: O(lines), no hashing), made
    /// on the first call.
    pub fn by_product(&self) -> &BasketsOf {
        self.by_product.get_or_init(|| self.index())
    }

    fn index(&self) -> BasketsOf {
        let mut start = vec![0u32; self.product_count + 1];
        for &product in &self.products {
            start[product as usize + 1] += 1;
        }
        for p in 0..self.product_count {
            start[p + 1] += start[p];
        }
        let mut next = start.clone();
        let mut baskets = vec![0u32; self.products.len()];
        for basket in 0..self.len() {
            for &product in self.products(basket) {
                let slot = &mut next[product as usize];
                baskets[*slot as usize] = basket as u32;
                *slot += 1;
            }
        }
        BasketsOf { start, baskets }
    }
}

/// Whether a line of quantity `quantity` in an order of kind `kind` is a product bought: a line
/// of a purchase, unless its quantity is negative (an item taken back inside a sale). Every
/// product analysis counts buyers and baskets by this one rule.
pub(crate) fn is_bought(kind: OrderKind, quantity: f64) -> bool {
    kind == OrderKind::Purchase && quantity >= 0.0
}

/// Sorts codes (products, customers) by a 64-bit key: the one radix sort instantiation of the
/// product analyses (a key behind `dyn`, so each caller's key adds no copy of the sort).
pub(crate) fn sort_codes(codes: &mut [u32], key: &dyn Fn(u32) -> u64) {
    crate::sort::radix_sort(codes, &key, 64);
}

/// Moves the distinct values of a sorted slice to its front; returns how many there are.
fn dedup_sorted(values: &mut [u32]) -> usize {
    let mut distinct = 0;
    for i in 0..values.len() {
        if distinct == 0 || values[i] != values[distinct - 1] {
            values[distinct] = values[i];
            distinct += 1;
        }
    }
    distinct
}

/// The inverted index of [`Baskets`]: the baskets holding each product, ascending.
#[derive(Clone, Debug, PartialEq)]
pub struct BasketsOf {
    start: Vec<u32>,
    baskets: Vec<u32>,
}

impl BasketsOf {
    /// The baskets holding `product`, ascending.
    pub fn of(&self, product: u32) -> &[u32] {
        let p = product as usize;
        &self.baskets[self.start[p] as usize..self.start[p + 1] as usize]
    }

    /// Number of baskets holding `product`.
    pub fn count(&self, product: u32) -> u32 {
        let p = product as usize;
        self.start[p + 1] - self.start[p]
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::lines::{Line, Products};

    pub(crate) fn products(ids: &[&str]) -> Products {
        Products {
            ids: ids.iter().map(|s| s.to_string()).collect(),
            names: ids.iter().map(|s| format!("{s} name")).collect(),
            categories: vec![String::new(); ids.len()],
        }
    }

    /// A line of one unit of `product` worth 1.
    pub(crate) fn bought(product: u32) -> Line {
        Line {
            product,
            quantity: 1.0,
            amount: 1.0,
        }
    }

    #[test]
    fn baskets_hold_each_purchased_product_once_and_skip_returns_excluded_and_empty_orders() {
        let book = OrderBook::from_orders([
            (Some("a"), 1, 3.0, OrderKind::Purchase),
            (None, 1, 1.0, OrderKind::Purchase),
            (Some("a"), 2, -1.0, OrderKind::Return),
            (Some("b"), 3, 1.0, OrderKind::Purchase),
            (Some("b"), 4, 1.0, OrderKind::Purchase),
        ]);
        let taken_back = Line {
            quantity: -1.0,
            ..bought(0)
        };
        let lines = Lines::from_orders(
            products(&["A", "B", "POST"]),
            [
                vec![bought(1), bought(0), bought(1), bought(2)],
                vec![bought(0)],
                vec![bought(0)],
                vec![bought(2), taken_back],
                vec![],
            ],
        );
        let baskets = Baskets::of(&book, &lines, &Excluded::of(3, [2]));
        assert_eq!(baskets.orders, [0, 1]);
        assert_eq!(baskets.products(0), &[0, 1]);
        assert_eq!(baskets.products(1), &[0]);
        let of = baskets.by_product();
        assert_eq!(of.of(0), &[0, 1]);
        assert_eq!(of.count(1), 1);
        assert_eq!(of.count(2), 0);
    }
}
