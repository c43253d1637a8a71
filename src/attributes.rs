//! What values each order attribute takes: per value, its orders, customers and revenue — the
//! counts a filter bar shows beside each value.

use serde::Serialize;

use crate::book::{ANONYMOUS, CustomerOrders, OrderBook};

/// One attribute and the values its orders have.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributeSummary {
    pub key: String,
    pub column: String,
    /// The role's name (`country`, `paymentMethod`…); `None` for a column the user picked.
    pub role: Option<&'static str>,
    /// By orders, most first (ties in order of first appearance); values no order has are left
    /// out. Orders without a value are the value `""`.
    pub values: Vec<ValueSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueSummary {
    pub value: String,
    /// Orders (purchases and returns) with the value.
    pub orders: u32,
    /// Distinct identified customers with an order of the value.
    pub customers: u32,
    /// Net value of those orders (returns subtract), anonymous ones included.
    pub revenue: f64,
}

/// The values of every attribute of `book`, with `by_customer` its orders grouped by customer.
pub fn attribute_summaries(
    book: &OrderBook,
    by_customer: &CustomerOrders,
) -> Vec<AttributeSummary> {
    book.attributes
        .iter()
        .map(|attribute| {
            let count = attribute.values.len();
            let (mut orders, mut revenue, mut customers) =
                (vec![0u32; count], vec![0f64; count], vec![0u32; count]);
            for (o, &value) in book.value.iter().enumerate() {
                let code = attribute.codes.get(o) as usize;
                orders[code] += 1;
                revenue[code] += value;
            }
            // Each customer once per value: the last customer who counted for each value.
            let mut counted_for = vec![ANONYMOUS; count];
            for c in 0..by_customer.customer_count() {
                for &o in by_customer.of(c) {
                    let code = attribute.codes.get(o as usize) as usize;
                    if counted_for[code] != c as u32 {
                        counted_for[code] = c as u32;
                        customers[code] += 1;
                    }
                }
            }
            let mut values: Vec<ValueSummary> = (0..count)
                .filter(|&code| orders[code] > 0)
                .map(|code| ValueSummary {
                    value: attribute.values[code].clone(),
                    orders: orders[code],
                    customers: customers[code],
                    revenue: revenue[code],
                })
                .collect();
            values.sort_by_key(|v| std::cmp::Reverse(v.orders));
            AttributeSummary {
                key: attribute.key.clone(),
                column: attribute.column.clone(),
                role: attribute.role.map(|role| role.name()),
                values,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{book, with_attribute};

    #[test]
    fn counts_orders_customers_and_revenue_per_value() {
        let mut orders = book(&[
            ("a", 1, 10.0),
            ("b", 2, 5.0),
            ("a", 3, 1.0),
            ("c", 4, 2.0),
            ("a", 5, -4.0),
        ]);
        orders.customer.push(crate::book::ANONYMOUS);
        orders.day.push(6);
        orders.value.push(3.0);
        orders.kind.push(crate::OrderKind::Purchase);
        let orders = with_attribute(
            orders,
            "channel",
            &["web", "shop", "web", "", "shop", "web"],
        );
        let summary = attribute_summaries(&orders, &orders.customer_orders());
        assert_eq!(summary.len(), 1);
        assert_eq!(
            (summary[0].key.as_str(), summary[0].role),
            ("channel", Some("channel"))
        );
        let values: Vec<(&str, u32, u32, f64)> = summary[0]
            .values
            .iter()
            .map(|v| (v.value.as_str(), v.orders, v.customers, v.revenue))
            .collect();
        assert_eq!(
            values,
            [("web", 3, 1, 14.0), ("shop", 2, 2, 1.0), ("", 1, 1, 2.0)]
        );
    }
}
