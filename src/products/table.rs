//! The products table: what sells, to how many customers, and how many of them buy it again.

use super::{Excluded, lines_of};
use crate::book::{ANONYMOUS, OrderBook, OrderKind};
use crate::message::Message;
use serde::Serialize;

/// One product's figures. Returns' lines count in `revenue` and `units` (net), purchases alone
/// in `orders`, `buyers` and `repeat_buyers`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductRow {
    pub id: String,
    pub name: String,
    pub category: String,
    /// Net amount of its lines.
    pub revenue: f64,
    /// Net quantity of its lines.
    pub units: f64,
    /// Purchase orders with a line of it.
    pub orders: u32,
    /// Identified customers with such an order.
    pub buyers: u32,
    /// Buyers who bought it on two or more different days.
    pub repeat_buyers: u32,
    /// `repeat_buyers / buyers`.
    pub repeat_share: f64,
}

/// The products table (`book.products()`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProductsTable {
    /// Purchase orders with at least one product line.
    pub orders: u32,
    /// Identified customers with such an order.
    pub buyers: u32,
    /// By revenue, highest first (ties in file order); the first `top` when asked.
    pub products: Vec<ProductRow>,
}

/// The products of `book`'s lines but `excluded`, by revenue; the first `top` of them when given.
pub fn products(
    book: &OrderBook,
    excluded: &Excluded,
    top: Option<usize>,
) -> Result<ProductsTable, Message> {
    let lines = lines_of(book)?;
    let count = lines.products.len();
    let mut revenue = vec![0.0; count];
    let mut units = vec![0.0; count];
    let mut orders = vec![0u32; count];
    let mut last_order = vec![u32::MAX; count];
    let mut orders_with_products = 0;
    for order in 0..book.order_count() {
        let purchase = book.kind[order] == OrderKind::Purchase;
        let mut any = false;
        for line in lines.of_order(order) {
            let p = lines.product(line);
            if excluded.contains(p) {
                continue;
            }
            let p = p as usize;
            revenue[p] += lines.amount(line);
            units[p] += lines.quantity(line);
            if purchase && last_order[p] != order as u32 {
                last_order[p] = order as u32;
                orders[p] += 1;
            }
            any = true;
        }
        orders_with_products += u32::from(purchase && any);
    }
    // Buyers, customer by customer: a product's last buyer and the day they first bought it.
    let by_customer = book.customer_orders();
    let mut buyers = vec![0u32; count];
    let mut repeat_buyers = vec![0u32; count];
    let mut last_buyer = vec![ANONYMOUS; count];
    let mut first_day = vec![0i32; count];
    let mut repeated_by = vec![ANONYMOUS; count];
    let mut customers_with_products = 0;
    for customer in 0..by_customer.customer_count() {
        let c = customer as u32;
        let mut any = false;
        for &order in by_customer.of(customer) {
            let order = order as usize;
            if book.kind[order] != OrderKind::Purchase {
                continue;
            }
            let day = book.day[order];
            for line in lines.of_order(order) {
                let p = lines.product(line);
                if excluded.contains(p) {
                    continue;
                }
                any = true;
                let p = p as usize;
                if last_buyer[p] != c {
                    last_buyer[p] = c;
                    first_day[p] = day;
                    buyers[p] += 1;
                } else if first_day[p] != day && repeated_by[p] != c {
                    repeated_by[p] = c;
                    repeat_buyers[p] += 1;
                }
            }
        }
        customers_with_products += u32::from(any);
    }
    let products = &lines.products;
    let kept = (0..count)
        .filter(|&p| !excluded.contains(p as u32) && (orders[p] > 0 || revenue[p] != 0.0))
        .map(|p| (revenue[p], p as u32));
    let mut ranked = super::ranked(kept);
    if let Some(top) = top {
        ranked.truncate(top);
    }
    let rows = ranked
        .into_iter()
        .map(|p| p as usize)
        .map(|p| ProductRow {
            id: products.ids[p].clone(),
            name: products.names[p].clone(),
            category: products.categories[p].clone(),
            revenue: revenue[p],
            units: units[p],
            orders: orders[p],
            buyers: buyers[p],
            repeat_buyers: repeat_buyers[p],
            repeat_share: share(repeat_buyers[p], buyers[p]),
        })
        .collect();
    Ok(ProductsTable {
        orders: orders_with_products,
        buyers: customers_with_products,
        products: rows,
    })
}

/// `part / whole`, 0 when `whole` is.
pub(super) fn share(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part) / f64::from(whole)
    }
}
