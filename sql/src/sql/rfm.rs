//! RFM in SQL, to the definitions of [`crate::rfm`]: recency, frequency and monetary per customer
//! as of a day, scores with ties sharing one (`RANK()` gives the 0-based position of a tied
//! group's worst-placed member: score = 1 + floor(bins × position / n)), money rounded to
//! millionths before ranking, and the segment rule table rendered as a `CASE`.

use super::Plan;
use super::orders::order_steps;
use crate::rfm::{MonetaryMode, rescale_to_five};

/// The `rfm` query: one row per customer with a purchase on or before the as-of day, ordered by
/// customer id.
pub(crate) fn rfm_query(plan: &Plan) -> String {
    let d = plan.dialect;
    let options = plan.options;
    let mut with = order_steps(plan);
    let as_of = match options.as_of {
        Some(day) => format!(
            "SELECT {} AS as_of_day",
            d.day_number(&format!("DATE '{day}'"))
        ),
        None => "SELECT MAX(order_day) AS as_of_day\nFROM orders".to_string(),
    };
    with.step("as_of", &as_of);
    with.step(
        "customer_totals",
        &format!(
            "SELECT\n  customer_id,\n  COUNT(CASE WHEN order_kind = 'purchase' THEN 1 END) AS \
             frequency,\n  MAX(CASE WHEN order_kind = 'purchase' THEN order_day END) AS \
             last_purchase_day,\n  {} AS net_value\nFROM orders\nCROSS JOIN as_of\n\
             WHERE customer_id IS NOT NULL AND order_day <= as_of_day\nGROUP BY customer_id",
            d.round_money("SUM(order_value)")
        ),
    );
    let monetary = match options.monetary {
        MonetaryMode::Total => "net_value".to_string(),
        MonetaryMode::Average => d.round_money("net_value / frequency"),
    };
    with.step(
        "measured",
        &format!(
            "SELECT\n  customer_id,\n  as_of_day - last_purchase_day AS recency_days,\n  \
             frequency,\n  {monetary} AS monetary\nFROM customer_totals\nCROSS JOIN as_of\n\
             WHERE frequency > 0"
        ),
    );
    // Customers are placed worst to best: longest recency, fewest purchases, least money first.
    with.step(
        "ranked",
        "SELECT\n  customer_id,\n  recency_days,\n  frequency,\n  monetary,\n  \
         COUNT(*) OVER () AS customers,\n  RANK() OVER (ORDER BY recency_days DESC) - 1 AS \
         r_position,\n  RANK() OVER (ORDER BY frequency) - 1 AS f_position,\n  \
         RANK() OVER (ORDER BY monetary) - 1 AS m_position\nFROM measured",
    );
    let bins = options.bins;
    let score = |position: &str| {
        format!(
            "1 + {}",
            d.integer_division(&format!("{bins} * {position}"), "customers")
        )
    };
    with.step(
        "scored",
        &format!(
            "SELECT\n  customer_id,\n  recency_days,\n  frequency,\n  monetary,\n  \
             {} AS r_score,\n  {} AS f_score,\n  {} AS m_score\nFROM ranked",
            score("r_position"),
            score("f_position"),
            score("m_position")
        ),
    );
    with.select(&format!(
        "SELECT\n  customer_id,\n  recency_days,\n  frequency,\n  monetary,\n  r_score,\n  \
         f_score,\n  m_score,\n  {} AS segment\nFROM scored\nORDER BY customer_id",
        segment_case(plan)
    ))
}

/// The rule table as a `CASE` over the scores: each rule's ranges (on the 1–5 scale) become the
/// raw scores on `bins` bins that rescale into them — a contiguous range, since rescaling keeps
/// order — and rules in table order keep "first match wins".
fn segment_case(plan: &Plan) -> String {
    let bins = plan.options.bins;
    let mut text = String::from("CASE");
    for rule in plan.rules.rules() {
        let conditions = [
            ("r_score", rule.r),
            ("f_score", rule.f),
            ("m_score", rule.m),
        ]
        .map(|(score, range)| raw_condition(score, range, bins));
        if conditions.iter().any(Option::is_none) {
            continue; // a range no raw score reaches: the rule can never match
        }
        let conditions: Vec<String> = conditions
            .into_iter()
            .flatten()
            .filter(|c| !c.is_empty())
            .collect();
        let condition = if conditions.is_empty() {
            "1 = 1".to_string()
        } else {
            conditions.join(" AND ")
        };
        text.push_str(&format!(
            "\n    WHEN {condition} THEN {}",
            plan.dialect.string(&rule.segment)
        ));
    }
    text.push_str("\n  END");
    text
}

/// The condition on a raw score for a 1–5 range: `Some("")` when every score qualifies, `None`
/// when none does.
fn raw_condition(score: &str, range: [i64; 2], bins: u32) -> Option<String> {
    let qualifies = |s: u32| {
        let scaled = i64::from(rescale_to_five(s as u8, bins));
        range[0] <= scaled && scaled <= range[1]
    };
    let low = (1..=bins).find(|&s| qualifies(s))?;
    let high = (1..=bins).rev().find(|&s| qualifies(s))?;
    Some(match (low, high) {
        (1, h) if h == bins => String::new(),
        (l, h) if l == h => format!("{score} = {l}"),
        (l, h) => format!("{score} BETWEEN {l} AND {h}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ranges_become_raw_score_ranges() {
        let cases = [
            ([4, 5], 5, Some("r_score BETWEEN 4 AND 5")),
            ([1, 5], 5, Some("")),
            ([3, 3], 5, Some("r_score = 3")),
            ([4, 5], 10, Some("r_score BETWEEN 7 AND 10")),
            ([1, 1], 10, Some("r_score BETWEEN 1 AND 2")),
            // With 3 bins the scores rescale to 1, 3 and 5: nothing lands on 2 or 4.
            ([2, 2], 3, None),
            ([4, 5], 3, Some("r_score = 3")),
        ];
        for (range, bins, expected) in cases {
            assert_eq!(
                raw_condition("r_score", range, bins).as_deref(),
                expected,
                "{range:?} on {bins} bins"
            );
        }
    }
}
