//! Product mix per group of customers (RFM segment, lifecycle stage) at an as-of date: what the
//! customers of each group bought up to that day, so that a store sees what its champions buy
//! next to what its lapsed customers bought.
//!
//! A group's buyers of a product are its customers with a line of it bought
//! ([`super::baskets::is_bought`]) on or before the as-of day; its revenue the net amount of the
//! product's lines in their orders up to that day (returns subtract). Counters are one row per
//! group over all products: a handful of groups, never a product × product table.

use super::Excluded;
use super::baskets::is_bought;
use crate::book::{CustomerOrders, OrderBook};
use crate::lifecycle::{Stage, StageSnapshot};
use crate::lines::Lines;
use crate::rfm::RfmTable;
use crate::rfm::ranking::ordered_bits;
use serde::Serialize;

/// A group for each customer of a book, by name.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerGroups {
    pub names: Vec<String>,
    /// Index into `names` of each customer of the book; [`NO_GROUP`] for one in none.
    pub of_customer: Vec<u32>,
}

/// [`CustomerGroups::of_customer`] of a customer in no group (not scored, no purchase yet).
pub const NO_GROUP: u32 = u32::MAX;

impl CustomerGroups {
    /// Each scored customer's RFM segment, for a book of `customers` customers.
    pub fn segments(table: &RfmTable, customers: usize) -> CustomerGroups {
        let mut of_customer = vec![NO_GROUP; customers];
        for i in 0..table.len() {
            of_customer[table.customer(i) as usize] = u32::from(table.segment[i]);
        }
        CustomerGroups {
            names: table.rules.segments().to_vec(),
            of_customer,
        }
    }

    /// Each customer's lifecycle stage.
    pub fn stages(snapshot: &StageSnapshot) -> CustomerGroups {
        CustomerGroups {
            names: Stage::ALL.map(|stage| stage.name().to_string()).to_vec(),
            of_customer: snapshot
                .statuses
                .iter()
                .map(|status| {
                    status
                        .as_ref()
                        .map_or(NO_GROUP, |status| status.stage.index() as u32)
                })
                .collect(),
        }
    }
}

/// One product of a group's mix.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MixProduct {
    pub product: u32,
    /// The group's customers who bought it.
    pub buyers: u32,
    /// `buyers` / the group's customers.
    pub share: f64,
    /// Net amount of its lines in the orders of the group's customers.
    pub revenue: f64,
}

/// One group's mix.
#[derive(Clone, Debug, PartialEq)]
pub struct MixGroup {
    pub group: String,
    pub customers: u32,
    /// Its products of most buyers (then most revenue), at most `top`.
    pub products: Vec<MixProduct>,
}

/// The product mix of every group (in the order of `groups.names`, empty groups included) from
/// the orders on or before `as_of`.
pub fn product_mix(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    lines: &Lines,
    excluded: &Excluded,
    groups: &CustomerGroups,
    as_of: i32,
    top: usize,
) -> Vec<MixGroup> {
    let products = lines.products.len();
    let cells = groups.names.len() * products;
    let (mut buyers, mut revenue) = (vec![0u32; cells], vec![0.0f64; cells]);
    let mut customers = vec![0u32; groups.names.len()];
    let mut counted_for = vec![u32::MAX; products];
    for c in 0..by_customer.customer_count() {
        let group = groups.of_customer[c];
        if group == NO_GROUP {
            continue;
        }
        customers[group as usize] += 1;
        let row = group as usize * products;
        for &order in by_customer.of(c) {
            let order = order as usize;
            if book.day[order] > as_of {
                break;
            }
            for line in lines.of_order(order) {
                let p = lines.product(line);
                if excluded.contains(p) {
                    continue;
                }
                revenue[row + p as usize] += lines.amount(line);
                if is_bought(book.kind[order], lines.quantity(line))
                    && counted_for[p as usize] != c as u32
                {
                    counted_for[p as usize] = c as u32;
                    buyers[row + p as usize] += 1;
                }
            }
        }
    }
    groups
        .names
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let row = g * products;
            let mut ranked: Vec<u32> = (0..products as u32)
                .filter(|&p| buyers[row + p as usize] > 0)
                .collect();
            // Most buyers first, then most revenue (to about six significant digits).
            let key = |p: u32| {
                let revenue_bits = ordered_bits(revenue[row + p as usize]) >> 32;
                u64::from(!buyers[row + p as usize]) << 32 | (!revenue_bits & 0xffff_ffff)
            };
            super::baskets::sort_codes(&mut ranked, &key);
            ranked.truncate(top);
            let mix = ranked
                .into_iter()
                .map(|p| MixProduct {
                    product: p,
                    buyers: buyers[row + p as usize],
                    share: f64::from(buyers[row + p as usize]) / f64::from(customers[g]),
                    revenue: revenue[row + p as usize],
                })
                .collect();
            MixGroup {
                group: name.clone(),
                customers: customers[g],
                products: mix,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::baskets::tests::products;
    use super::*;
    use crate::book::OrderKind;
    use crate::lifecycle::{LifecycleRules, stage_snapshot};
    use crate::lines::Line;

    fn line(product: u32, amount: f64) -> Line {
        Line {
            product,
            quantity: amount.signum(),
            amount,
        }
    }

    /// (product, buyers, share, revenue)
    type MixRow = (u32, u32, f64, f64);

    #[test]
    fn each_groups_buyers_and_net_revenue_up_to_the_as_of_day() {
        // Products A 0, B 1, POST 2 (excluded). Groups: x and y in "one", z in "two", w none.
        let orders = [
            (Some("x"), 1, 5.0, OrderKind::Purchase),
            (Some("x"), 2, -2.0, OrderKind::Return),
            (Some("x"), 3, 4.0, OrderKind::Purchase),
            (Some("y"), 1, 7.0, OrderKind::Purchase),
            (Some("z"), 2, 1.0, OrderKind::Purchase),
            (Some("x"), 9, 100.0, OrderKind::Purchase),
            (Some("w"), 1, 3.0, OrderKind::Purchase),
        ];
        let book = OrderBook::from_orders(orders);
        let lines = Lines::from_orders(
            products(&["A", "B", "POST"]),
            [
                vec![line(0, 3.0), line(2, 2.0)],
                vec![line(0, -2.0)],
                vec![line(0, 4.0)],
                vec![line(1, 7.0)],
                vec![line(0, 1.0)],
                vec![line(1, 100.0)],
                vec![line(1, 3.0)],
            ],
        );
        let groups = CustomerGroups {
            names: vec!["one".into(), "two".into(), "three".into()],
            of_customer: vec![0, 0, 1, NO_GROUP],
        };
        let by_customer = book.customer_orders();
        let mix = product_mix(
            &book,
            &by_customer,
            &lines,
            &Excluded::of(3, [2]),
            &groups,
            5,
            10,
        );
        let summary: Vec<(&str, u32, Vec<MixRow>)> = mix
            .iter()
            .map(|g| {
                let products = g.products.iter();
                let rows = products.map(|p| (p.product, p.buyers, p.share, p.revenue));
                (g.group.as_str(), g.customers, rows.collect())
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("one", 2, vec![(1, 1, 0.5, 7.0), (0, 1, 0.5, 5.0)]),
                ("two", 1, vec![(0, 1, 1.0, 1.0)]),
                ("three", 0, vec![]),
            ]
        );
        let top = product_mix(
            &book,
            &by_customer,
            &lines,
            &Excluded::none(3),
            &groups,
            5,
            1,
        );
        assert_eq!(top[0].products.len(), 1);
    }

    #[test]
    fn groups_come_from_rfm_segments_and_lifecycle_stages() {
        let book = OrderBook::from_orders([
            (Some("x"), 1, 5.0, OrderKind::Purchase),
            (Some("y"), 100, 5.0, OrderKind::Purchase),
            (Some("z"), 200, 5.0, OrderKind::Purchase),
        ]);
        let options = crate::rfm::RfmOptions {
            as_of: Some(crate::day::Day(150)),
            ..Default::default()
        };
        let table = crate::rfm::score_customers(&book, &options).unwrap();
        let segments = CustomerGroups::segments(&table, 3);
        assert_eq!(segments.of_customer[2], NO_GROUP);
        for c in 0..2 {
            let name = &segments.names[segments.of_customer[c] as usize];
            assert_eq!(name, table.segment_name(c));
        }
        let snapshot = stage_snapshot(
            &book,
            &book.customer_orders(),
            150,
            &LifecycleRules::default(),
        )
        .unwrap();
        let stages = CustomerGroups::stages(&snapshot);
        assert_eq!(stages.names[0], "new");
        assert_eq!(stages.of_customer[2], NO_GROUP);
        let y_stage = snapshot.statuses[1].as_ref().unwrap().stage;
        assert_eq!(stages.of_customer[1], y_stage.index() as u32);
    }
}
