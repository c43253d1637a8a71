//! The CLV calibration summary in SQL, grouped for weighted model fits (see [`super::grouped`]):
//! to the definitions of [`crate::clv::summary`] — purchase days up to the calibration end (orders
//! on one day are one purchase, their values summed; returns are not purchases), x = purchase
//! days − 1, t_x = last − first purchase day, T = calibration end − first purchase day, m̄ = mean
//! value of the purchase days after the first.

use super::Plan;
use super::grouped::TimeGrouping;
use super::orders::order_steps;

/// The `clvSummary` query: `model, frequency, recency_days, t_days, monetary_mean, customers`.
pub(crate) fn grouped_summary_query(plan: &Plan) -> String {
    let d = plan.dialect;
    let options = plan.options;
    let grouping = &options.grouping;
    let double = d.double_type();
    let mut with = order_steps(plan);
    let calibration = match options.calibration_end {
        Some(day) => format!(
            "SELECT {} AS calibration_day",
            d.day_number(&format!("DATE '{day}'"))
        ),
        None => "SELECT MAX(order_day) AS calibration_day\nFROM orders\n\
                 WHERE customer_id IS NOT NULL AND order_kind = 'purchase'"
            .to_string(),
    };
    with.step("calibration", &calibration);
    with.step(
        "purchase_days",
        "SELECT\n  customer_id,\n  order_day,\n  SUM(order_value) AS day_value\nFROM orders\n\
         CROSS JOIN calibration\nWHERE customer_id IS NOT NULL\n  AND order_kind = 'purchase'\n  \
         AND order_day <= calibration_day\nGROUP BY customer_id, order_day",
    );
    with.step(
        "customer_days",
        "SELECT\n  customer_id,\n  order_day,\n  day_value,\n  MIN(order_day) OVER (PARTITION BY \
         customer_id) AS first_day\nFROM purchase_days",
    );
    with.step(
        "calibration_summary",
        "SELECT\n  customer_id,\n  COUNT(*) - 1 AS frequency,\n  MAX(order_day) - MIN(order_day) \
         AS recency_days,\n  MIN(calibration_day) - MIN(order_day) AS t_days,\n  \
         SUM(CASE WHEN order_day > first_day THEN day_value ELSE 0 END) AS repeat_value\n\
         FROM customer_days\nCROSS JOIN calibration\nGROUP BY customer_id",
    );
    let time_type = match grouping.time {
        TimeGrouping::Day => d.integer_type(),
        TimeGrouping::Period => double,
    };
    let group_days = |days: &str| match grouping.time {
        TimeGrouping::Day => days.to_string(),
        TimeGrouping::Period => {
            let period = format!("CAST({} AS {double})", grouping.period_days);
            format!(
                "CASE WHEN {days} = 0 THEN 0 ELSE FLOOR(CAST({days} AS {double}) / {period}) \
                 * {period} + CAST({} AS {double}) END",
                grouping.period_centre()
            )
        }
    };
    with.step(
        "settled_customers",
        &format!(
            "SELECT\n  frequency,\n  {} AS recency_days,\n  {} AS t_days,\n  \
             CASE WHEN frequency > 0 THEN {} END AS monetary_mean\nFROM calibration_summary",
            group_days("recency_days"),
            group_days("t_days"),
            d.round_money("repeat_value / frequency")
        ),
    );
    let source = match grouping.monetary_digits {
        None => "settled_customers",
        Some(digits) => {
            // floor(v + 0.5) with exact powers of ten: every engine rounds to the same double.
            let ten = format!("CAST(10 AS {double})");
            with.step(
                "scaled_customers",
                &format!(
                    "SELECT\n  frequency,\n  recency_days,\n  t_days,\n  monetary_mean,\n  \
                     CASE WHEN monetary_mean > 0 THEN {} - FLOOR(LOG10(monetary_mean)) END AS \
                     exponent\nFROM settled_customers",
                    digits - 1
                ),
            );
            with.step(
                "grouped_customers",
                &format!(
                    "SELECT\n  frequency,\n  recency_days,\n  t_days,\n  CASE\n    \
                     WHEN exponent >= 0 THEN FLOOR(monetary_mean * POWER({ten}, exponent) + 0.5) \
                     / POWER({ten}, exponent)\n    WHEN exponent < 0 THEN FLOOR(monetary_mean / \
                     POWER({ten}, -exponent) + 0.5) * POWER({ten}, -exponent)\n    \
                     ELSE monetary_mean\n  END AS monetary_mean\nFROM scaled_customers"
                ),
            );
            "grouped_customers"
        }
    };
    with.select(&format!(
        "SELECT\n  'bgnbd' AS model,\n  frequency,\n  recency_days,\n  t_days,\n  \
         CAST(NULL AS {double}) AS monetary_mean,\n  COUNT(*) AS customers\nFROM {source}\n\
         GROUP BY frequency, recency_days, t_days\nUNION ALL\nSELECT\n  'gamma_gamma' AS model,\n  \
         frequency,\n  CAST(NULL AS {time_type}) AS recency_days,\n  CAST(NULL AS {time_type}) AS \
         t_days,\n  monetary_mean,\n  COUNT(*) AS customers\nFROM {source}\n\
         WHERE frequency > 0\nGROUP BY frequency, monetary_mean\n\
         ORDER BY model, frequency, recency_days, t_days, monetary_mean"
    ))
}
