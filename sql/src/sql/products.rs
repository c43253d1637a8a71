//! The product analyses in SQL, to the definitions of the engine's `products` module: the
//! products table (`products::table`) and the pairs bought together over the whole store
//! (`products::together`). Both read `product_lines`: the lines of the kept orders with their
//! order's key, customer, day and kind, the not-a-product ids left out.

use super::Plan;
use super::orders::{With, order_steps};

/// The order steps and `product_lines`: one row per line of a kept order, excluded ids left out.
fn product_steps(plan: &Plan) -> With {
    let d = plan.dialect;
    let mut with = order_steps(plan);
    with.step(
        "line_keys",
        &format!(
            "SELECT\n  {} AS order_key,\n  product_id,\n  product_name,\n  \
             product_category,\n  quantity,\n  line_amount\nFROM keyed_lines\nWHERE product_id IS NOT NULL",
            super::orders::order_key(d)
        ),
    );
    let excluded = if plan.options.exclude.is_empty() {
        String::new()
    } else {
        let ids: Vec<String> = plan.options.exclude.iter().map(|id| d.string(id)).collect();
        format!("\nWHERE line_keys.product_id NOT IN ({})", ids.join(", "))
    };
    with.step(
        "product_lines",
        &format!(
            "SELECT\n  orders.order_key,\n  orders.customer_id,\n  orders.order_day,\n  \
             orders.order_kind,\n  line_keys.product_id,\n  line_keys.product_name,\n  \
             line_keys.product_category,\n  line_keys.quantity,\n  line_keys.line_amount\nFROM line_keys\nJOIN orders ON \
             orders.order_key = line_keys.order_key{excluded}"
        ),
    );
    with
}

/// The `products` query: one row per product with a purchase order or a non-zero net revenue —
/// `product_id, product_name, category, revenue, units, orders, buyers, repeat_buyers, repeat_share` — by
/// revenue, highest first. Revenue and units are net of returns; orders, buyers (identified
/// customers) and repeat buyers (who bought it on two or more days) count purchases.
pub(crate) fn products_query(plan: &Plan) -> String {
    let d = plan.dialect;
    let double = d.double_type();
    let mut with = product_steps(plan);
    with.step(
        "buyer_days",
        "SELECT\n  product_id,\n  customer_id,\n  COUNT(DISTINCT order_day) AS days\nFROM \
         product_lines\nWHERE order_kind = 'purchase' AND customer_id IS NOT NULL\nGROUP BY \
         product_id, customer_id",
    );
    with.step(
        "buyer_counts",
        "SELECT\n  product_id,\n  COUNT(*) AS buyers,\n  SUM(CASE WHEN days >= 2 THEN 1 ELSE 0 \
         END) AS repeat_buyers\nFROM buyer_days\nGROUP BY product_id",
    );
    with.step(
        "line_totals",
        &format!(
            "SELECT\n  product_id,\n  MIN(product_name) AS product_name,\n  MIN(product_category) AS \
             category,\n  {} AS revenue,\n  \
             SUM(quantity) AS units,\n  COUNT(DISTINCT CASE WHEN order_kind = 'purchase' THEN \
             order_key END) AS orders\nFROM product_lines\nGROUP BY product_id",
            d.round_money("SUM(line_amount)")
        ),
    );
    with.select(&format!(
        "SELECT\n  line_totals.product_id,\n  line_totals.product_name,\n  \
         line_totals.category,\n  line_totals.revenue,\n  line_totals.units,\n  line_totals.orders,\n  \
         COALESCE(buyer_counts.buyers, 0) AS buyers,\n  COALESCE(buyer_counts.repeat_buyers, 0) \
         AS repeat_buyers,\n  CASE WHEN buyer_counts.buyers > 0 THEN \
         CAST(buyer_counts.repeat_buyers AS {double}) / buyer_counts.buyers ELSE 0 END AS \
         repeat_share\nFROM line_totals\nLEFT JOIN buyer_counts ON buyer_counts.product_id = \
         line_totals.product_id\nWHERE line_totals.orders > 0 OR line_totals.revenue <> 0\n\
         ORDER BY line_totals.revenue DESC, line_totals.product_id"
    ))
}

/// The `pairs` query: the top pairs bought together over the store — `a, a_name, b, b_name,
/// both_orders, support, confidence, lift` — each pair once, A the product of fewer orders (the
/// lower id on a tie), ranked by orders with both (then by ids), pairs under the minimum support
/// left out. Baskets are the purchase orders with a bought product line (quantity not negative),
/// a product once per order.
pub(crate) fn pairs_query(plan: &Plan) -> String {
    let d = plan.dialect;
    let double = d.double_type();
    let options = plan.options;
    let mut with = product_steps(plan);
    with.step(
        "baskets",
        "SELECT DISTINCT\n  order_key,\n  product_id\nFROM product_lines\nWHERE order_kind = \
         'purchase' AND quantity >= 0",
    );
    with.step(
        "basket_count",
        "SELECT COUNT(DISTINCT order_key) AS baskets FROM baskets",
    );
    with.step(
        "product_baskets",
        "SELECT\n  product_id,\n  MIN(product_name) AS product_name,\n  COUNT(DISTINCT \
         order_key) AS baskets\nFROM product_lines\nWHERE order_kind = 'purchase' AND quantity \
         >= 0\nGROUP BY product_id",
    );
    with.step(
        "pair_counts",
        "SELECT\n  basket_a.product_id AS low,\n  basket_b.product_id AS high,\n  COUNT(*) AS \
         both_orders\nFROM baskets basket_a\nJOIN baskets basket_b ON basket_b.order_key = \
         basket_a.order_key AND basket_b.product_id > basket_a.product_id\nGROUP BY basket_a.product_id, \
         basket_b.product_id",
    );
    // both ≥ ceil(minSupport × baskets − 1e-9), as the engine's whole-number threshold.
    with.step(
        "pairs",
        &format!(
            "SELECT\n  CASE WHEN high_p.baskets < low_p.baskets THEN high_p.product_id ELSE \
             low_p.product_id END AS a,\n  CASE WHEN high_p.baskets < low_p.baskets THEN \
             low_p.product_id ELSE high_p.product_id END AS b,\n  pair_counts.both_orders,\n  \
             CAST(pair_counts.both_orders AS {double}) / basket_count.baskets AS support,\n  \
             CAST(pair_counts.both_orders AS {double}) / LEAST(low_p.baskets, high_p.baskets) AS \
             confidence,\n  CAST(pair_counts.both_orders AS {double}) * basket_count.baskets / \
             (CAST(low_p.baskets AS {double}) * high_p.baskets) AS lift\nFROM pair_counts\n\
             CROSS JOIN basket_count\nJOIN product_baskets low_p ON low_p.product_id = \
             pair_counts.low\nJOIN product_baskets high_p ON high_p.product_id = \
             pair_counts.high\nWHERE pair_counts.both_orders >= {} * basket_count.baskets - \
             0.000000001",
            options.min_support
        ),
    );
    with.select(&format!(
        "SELECT\n  pairs.a,\n  a_p.product_name AS a_name,\n  pairs.b,\n  b_p.product_name AS \
         b_name,\n  pairs.both_orders,\n  pairs.support,\n  pairs.confidence,\n  pairs.lift\n\
         FROM pairs\nJOIN product_baskets a_p ON a_p.product_id = pairs.a\nJOIN product_baskets \
         b_p ON b_p.product_id = pairs.b\nORDER BY pairs.both_orders DESC, pairs.a, pairs.b\n\
         LIMIT {}",
        options.top
    ))
}
