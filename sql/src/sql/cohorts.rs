//! Acquisition cohorts in SQL, to the definitions of [`crate::cohort`]: a customer's cohort is
//! the period of their first purchase; cell k of a cohort counts the cohort's customers with a
//! purchase k periods later, those purchases' value (returns not netted) and their number.
//! Periods are numbered as plain integers (ISO weeks from day numbers, months and quarters from
//! year and month), so "periods since acquisition" is a subtraction in every engine.

use super::Plan;
use super::dialect::DatePart;
use super::orders::order_steps;
use crate::cohort::Period;

/// The `cohorts` query: one row per non-empty cell, oldest cohort first. Cells without a
/// purchase are left out (a pivot shows them as empty); `retention` = customers / cohort_size.
pub(crate) fn cohort_query(plan: &Plan) -> String {
    let d = plan.dialect;
    let period = plan.options.period;
    let integer = d.integer_type();
    let double = d.double_type();
    let text = d.text_type();
    let part = |part: DatePart, date: &str| d.date_part(part, date);
    let period_number = match period {
        // Monday 1969-12-29 (day −3) starts week 0.
        Period::Week => format!("CAST(FLOOR(CAST(order_day + 3 AS {double}) / 7) AS {integer})"),
        Period::Month => format!(
            "{} * 12 + {} - 1",
            part(DatePart::Year, "order_date"),
            part(DatePart::Month, "order_date")
        ),
        Period::Quarter => format!(
            "{} * 4 + {}",
            part(DatePart::Year, "order_date"),
            d.integer_division(&format!("{} - 1", part(DatePart::Month, "order_date")), "3")
        ),
        Period::Year => part(DatePart::Year, "order_date"),
    };
    let two_digits = |value: String| format!("LPAD(CAST({value} AS {text}), 2, '0')");
    let label = match period {
        Period::Week => format!(
            "CONCAT(CAST({} AS {text}), '-W', {})",
            part(DatePart::IsoYear, "cohort_start"),
            two_digits(part(DatePart::IsoWeek, "cohort_start"))
        ),
        Period::Month => format!(
            "CONCAT(CAST({} AS {text}), '-', {})",
            part(DatePart::Year, "cohort_start"),
            two_digits(part(DatePart::Month, "cohort_start"))
        ),
        Period::Quarter => format!(
            "CONCAT(CAST({} AS {text}), '-Q', CAST({} AS {text}))",
            part(DatePart::Year, "cohort_start"),
            part(DatePart::Quarter, "cohort_start")
        ),
        Period::Year => format!("CAST({} AS {text})", part(DatePart::Year, "cohort_start")),
    };

    let mut with = order_steps(plan);
    let purchases_of = |orders: &str| {
        format!(
            "SELECT\n  customer_id,\n  order_date,\n  order_value,\n  {period_number} AS \
             period_number\nFROM {orders}\nWHERE customer_id IS NOT NULL AND order_kind = \
             'purchase'"
        )
    };
    with.step("purchases", &purchases_of("orders"));
    if plan.options.filter.is_empty() {
        with.step(
            "first_purchases",
            "SELECT\n  customer_id,\n  MIN(period_number) AS cohort_number,\n  MIN(order_date) \
             AS first_date\nFROM purchases\nGROUP BY customer_id",
        );
    } else {
        // A filtered customer's cohort is that of their first purchase in the whole history.
        with.step("history_purchases", &purchases_of("all_orders"));
        with.step(
            "first_purchases",
            "SELECT\n  customer_id,\n  MIN(period_number) AS cohort_number,\n  MIN(order_date) \
             AS first_date\nFROM history_purchases\nWHERE customer_id IN (SELECT customer_id FROM \
             purchases)\nGROUP BY customer_id",
        );
    }
    with.step(
        "cohorts",
        &format!(
            "SELECT\n  cohort_number,\n  MIN({}) AS cohort_start,\n  COUNT(*) AS cohort_size\n\
             FROM first_purchases\nGROUP BY cohort_number",
            d.period_start(period, "first_date")
        ),
    );
    with.step(
        "indexed_purchases",
        "SELECT\n  first_purchases.cohort_number,\n  purchases.period_number - \
         first_purchases.cohort_number AS period_index,\n  purchases.customer_id,\n  \
         purchases.order_value\nFROM purchases\nJOIN first_purchases\n  ON \
         first_purchases.customer_id = purchases.customer_id",
    );
    with.step(
        "cells",
        "SELECT\n  cohort_number,\n  period_index,\n  COUNT(DISTINCT customer_id) AS \
         customers,\n  SUM(order_value) AS revenue,\n  COUNT(*) AS orders\n\
         FROM indexed_purchases\nGROUP BY cohort_number, period_index",
    );
    with.select(&format!(
        "SELECT\n  cohorts.cohort_start,\n  {label} AS cohort_label,\n  cohorts.cohort_size,\n  \
         cells.period_index,\n  cells.customers,\n  CAST(cells.customers AS {double}) / \
         cohorts.cohort_size AS retention,\n  {} AS revenue,\n  cells.orders\nFROM cells\n\
         JOIN cohorts ON cohorts.cohort_number = cells.cohort_number\n\
         ORDER BY cohorts.cohort_start, cells.period_index",
        d.round_money("cells.revenue")
    ))
}
