//! The cross-sell audience: customers who bought one of some products and never any of others
//! ("bought the shampoo, never the conditioner"), with their last purchase day, for a campaign.

use super::baskets::is_bought;
use crate::book::{ANONYMOUS, OrderBook, OrderKind};
use crate::csv_writer::CsvWriter;
use crate::lines::Lines;

/// The audience: customer indices (into the book's `customer_ids`), most recent buyers first
/// (then the lower index), with each one's last purchase day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CrossSell {
    pub customers: Vec<u32>,
    pub last_purchase: Vec<i32>,
}

/// Identified customers with a bought line ([`is_bought`]) of one of `bought` and none of
/// `not_bought`; their last purchase is their last purchase order of any product.
pub fn cross_sell(
    book: &OrderBook,
    lines: &Lines,
    bought: &[u32],
    not_bought: &[u32],
) -> CrossSell {
    const WANTED: u8 = 1;
    const UNWANTED: u8 = 2;
    let mut role = vec![0u8; lines.products.len()];
    for &p in bought {
        role[p as usize] |= WANTED;
    }
    for &p in not_bought {
        role[p as usize] |= UNWANTED;
    }
    let customers = book.customer_count();
    let mut seen = vec![0u8; customers];
    let mut last_purchase = vec![i32::MIN; customers];
    for (order, &c) in book.customer.iter().enumerate() {
        if c == ANONYMOUS || book.kind[order] != OrderKind::Purchase {
            continue;
        }
        let c = c as usize;
        last_purchase[c] = last_purchase[c].max(book.day[order]);
        for line in lines.of_order(order) {
            if is_bought(book.kind[order], lines.quantity(line)) {
                seen[c] |= role[lines.product(line) as usize];
            }
        }
    }
    let mut audience: Vec<u32> = (0..customers as u32)
        .filter(|&c| seen[c as usize] == WANTED)
        .collect();
    // Latest day first: the day's bits flipped, its sign bit too so that the order is numeric.
    let key =
        |c: u32| u64::from(!(last_purchase[c as usize] as u32 ^ 1 << 31)) << 32 | u64::from(c);
    super::baskets::sort_codes(&mut audience, &key);
    CrossSell {
        last_purchase: audience
            .iter()
            .map(|&c| last_purchase[c as usize])
            .collect(),
        customers: audience,
    }
}

/// Header of [`cross_sell_csv`].
pub const CROSS_SELL_CSV_HEADER: &str = "customer_id,last_purchase";

/// The audience as CSV through [`CsvWriter`] (formula-safe), one customer a line.
pub fn cross_sell_csv(book: &OrderBook, audience: &CrossSell) -> String {
    let mut csv = CsvWriter::new(CROSS_SELL_CSV_HEADER, audience.customers.len(), 32);
    for (&c, &day) in audience.customers.iter().zip(&audience.last_purchase) {
        csv.text(&book.customer_ids[c as usize]);
        csv.day(day);
        csv.end_row();
    }
    csv.finish()
}

#[cfg(test)]
mod tests {
    use super::super::baskets::tests::{bought, products};
    use super::*;
    use crate::fixtures::day;
    use crate::lines::Line;

    #[test]
    fn bought_one_of_never_any_of_most_recent_first() {
        // Products: A 0, B 1, C 2.
        let orders: Vec<(Option<&str>, &str, OrderKind, Vec<Line>)> = vec![
            // x bought A, later something else: in, last purchase the later day.
            (
                Some("x"),
                "2011-01-01",
                OrderKind::Purchase,
                vec![bought(0)],
            ),
            (
                Some("x"),
                "2011-03-01",
                OrderKind::Purchase,
                vec![bought(2)],
            ),
            // =y bought A and B: out. A guest bought A: out.
            (
                Some("=y"),
                "2011-01-01",
                OrderKind::Purchase,
                vec![bought(0), bought(1)],
            ),
            (None, "2011-01-01", OrderKind::Purchase, vec![bought(0)]),
            // =z bought C, returned a B (a return is not a purchase), took back an A inside a
            // sale (not bought): in, on C.
            (
                Some("=z"),
                "2011-02-01",
                OrderKind::Purchase,
                vec![bought(2)],
            ),
            (Some("=z"), "2011-04-01", OrderKind::Return, vec![bought(1)]),
            (
                Some("=z"),
                "2011-02-01",
                OrderKind::Purchase,
                vec![Line {
                    quantity: -1.0,
                    ..bought(0)
                }],
            ),
            // w bought B only: out.
            (
                Some("w"),
                "2011-01-01",
                OrderKind::Purchase,
                vec![bought(1)],
            ),
        ];
        let book = OrderBook::from_orders(orders.iter().map(|(c, d, k, _)| (*c, day(d), 1.0, *k)));
        let lines = Lines::from_orders(
            products(&["A", "B", "C"]),
            orders.iter().map(|o| o.3.clone()),
        );
        let audience = cross_sell(&book, &lines, &[0, 2], &[1]);
        assert_eq!(audience.customers, [0, 2]);
        assert_eq!(
            audience.last_purchase,
            [day("2011-03-01"), day("2011-02-01")]
        );
        let csv = cross_sell_csv(&book, &audience);
        assert_eq!(
            csv,
            "customer_id,last_purchase\nx,2011-03-01\n'=z,2011-02-01\n"
        );
        assert!(cross_sell(&book, &lines, &[1], &[1]).customers.is_empty());
    }
}
