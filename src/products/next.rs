//! What comes next: for the customers who bought product A, the products of their next purchase.
//!
//! Precisely: a buyer of A is an identified customer with a basket ([`Baskets`]) holding A;
//! their first such basket (by day, then file order) fixes the day they first bought A. Their
//! *next purchase* is the first later day on which they have a basket, and its products are the
//! distinct products of all their baskets of that day (A included: buying it again is an
//! answer). Orders of the same day as the first A are the same visit, not the next one; guest
//! orders cannot be followed. `share` is the customers whose next purchase held the product
//! over the buyers who had a next purchase.

use super::baskets::Baskets;
use crate::book::{CustomerOrders, OrderBook};
use serde::Serialize;

/// One product of the next purchases.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NextProduct {
    pub product: u32,
    /// Buyers of A whose next purchase held it.
    pub customers: u32,
    /// `customers` / the buyers of A with a next purchase.
    pub share: f64,
}

/// The next purchases of one product's buyers.
#[derive(Clone, Debug, PartialEq)]
pub struct NextProducts {
    pub product: u32,
    /// Identified customers who bought A.
    pub buyers: u32,
    /// Those of them with a purchase on a later day.
    pub with_next: u32,
    /// The most frequent products of those next purchases, most customers first (then the lower
    /// code), at most `top`.
    pub products: Vec<NextProduct>,
}

/// The products of the next purchase of `product`'s buyers (see the module documentation).
pub fn next_products(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    baskets: &Baskets,
    product: u32,
    top: usize,
) -> NextProducts {
    const NONE: u32 = u32::MAX;
    let mut basket_of = vec![NONE; book.order_count()];
    for (basket, &order) in baskets.orders.iter().enumerate() {
        basket_of[order as usize] = basket as u32;
    }
    let mut customers = vec![0u32; baskets.product_count()];
    // The last buyer counted for each product, so that a product counts once per buyer.
    let mut counted_for = vec![NONE; baskets.product_count()];
    let (mut buyers, mut with_next) = (0, 0);
    for c in 0..by_customer.customer_count() {
        // (day, basket) of the customer's baskets, oldest first.
        let mut visits = by_customer.of(c).iter().filter_map(|&order| {
            let basket = basket_of[order as usize];
            (basket != NONE).then(|| (book.day[order as usize], basket as usize))
        });
        let Some((first_day, _)) = visits
            .by_ref()
            .find(|&(_, basket)| baskets.products(basket).binary_search(&product).is_ok())
        else {
            continue;
        };
        buyers += 1;
        let mut later = visits.skip_while(|&(day, _)| day == first_day).peekable();
        let Some(&(next_day, _)) = later.peek() else {
            continue;
        };
        with_next += 1;
        for (_, basket) in later.take_while(|&(day, _)| day == next_day) {
            for &p in baskets.products(basket) {
                if counted_for[p as usize] != c as u32 {
                    counted_for[p as usize] = c as u32;
                    customers[p as usize] += 1;
                }
            }
        }
    }
    let mut ranked: Vec<u32> = (0..customers.len() as u32)
        .filter(|&p| customers[p as usize] > 0)
        .collect();
    let key = |p: u32| u64::from(!customers[p as usize]) << 32 | u64::from(p);
    super::baskets::sort_codes(&mut ranked, &key);
    ranked.truncate(top);
    let products = ranked
        .into_iter()
        .map(|p| NextProduct {
            product: p,
            customers: customers[p as usize],
            share: f64::from(customers[p as usize]) / f64::from(with_next),
        })
        .collect();
    NextProducts {
        product,
        buyers,
        with_next,
        products,
    }
}

#[cfg(test)]
mod tests {
    use super::super::Excluded;
    use super::super::baskets::tests::{bought, products};
    use super::*;
    use crate::book::OrderKind;
    use crate::lines::Lines;

    #[test]
    fn next_purchase_is_the_first_later_day_after_the_first_order_with_the_product() {
        // Products: A 0, B 1, C 2, D 3, POST 4 (excluded).
        let orders: Vec<(Option<&str>, i32, OrderKind, Vec<u32>)> = vec![
            // x: A on day 1 (and B the same day: not next), next day 5 holds C and D in two
            // orders; day 9 (E) is after the next purchase.
            (Some("x"), 1, OrderKind::Purchase, vec![0]),
            (Some("x"), 1, OrderKind::Purchase, vec![1]),
            (Some("x"), 5, OrderKind::Purchase, vec![2]),
            (Some("x"), 5, OrderKind::Purchase, vec![3, 2]),
            (Some("x"), 9, OrderKind::Purchase, vec![1]),
            // y: B first, then A on day 3, a return and a postage-only order on day 4 (no
            // basket), next purchase on day 6: A again.
            (Some("y"), 2, OrderKind::Purchase, vec![1]),
            (Some("y"), 3, OrderKind::Purchase, vec![0]),
            (Some("y"), 4, OrderKind::Return, vec![2]),
            (Some("y"), 4, OrderKind::Purchase, vec![4]),
            (Some("y"), 6, OrderKind::Purchase, vec![0, 2]),
            // z: bought A once, nothing after. w: never bought A. A guest bought A.
            (Some("z"), 2, OrderKind::Purchase, vec![0]),
            (Some("w"), 2, OrderKind::Purchase, vec![2]),
            (Some("w"), 3, OrderKind::Purchase, vec![3]),
            (None, 1, OrderKind::Purchase, vec![0]),
        ];
        let book = OrderBook::from_orders(orders.iter().map(|(c, d, k, _)| (*c, *d, 1.0, *k)));
        let lines = Lines::from_orders(
            products(&["A", "B", "C", "D", "POST"]),
            orders.iter().map(|o| o.3.iter().map(|&p| bought(p))),
        );
        let baskets = Baskets::of(&book, &lines, &Excluded::of(5, [4]));
        let next = next_products(&book, &book.customer_orders(), &baskets, 0, 10);
        assert_eq!((next.product, next.buyers, next.with_next), (0, 3, 2));
        let listed: Vec<(u32, u32)> = next
            .products
            .iter()
            .map(|p| (p.product, p.customers))
            .collect();
        // C: x and y; A: y; D: x.
        assert_eq!(listed, [(2, 2), (0, 1), (3, 1)]);
        assert_eq!(next.products[0].share, 1.0);
        assert_eq!(next.products[1].share, 0.5);
        let top_one = next_products(&book, &book.customer_orders(), &baskets, 0, 1);
        assert_eq!(top_one.products.len(), 1);
        let nobody = next_products(&book, &book.customer_orders(), &baskets, 4, 10);
        assert_eq!((nobody.buyers, nobody.with_next), (0, 0));
        assert!(nobody.products.is_empty());
    }
}
