//! Growth accounting: where each period's active customers came from, and who left.
//!
//! A customer is **active in a period** when they made at least one purchase in it. For period
//! t, each customer active in t or in t − 1 is exactly one of:
//! - **new**: first purchase ever in t;
//! - **retained**: active in t and in t − 1;
//! - **resurrected**: active in t, not in t − 1, but at some period before t − 1;
//! - **churned**: active in t − 1, not in t — reported as a negative number (and negative
//!   revenue: what they spent in t − 1) so that a bar chart draws it below zero.
//!
//! Hence active(t) = new + retained + resurrected and active(t − 1) = retained − churned.
//! The **quick ratio** is (new + resurrected) / |churned|: above 1 the customer base grows.
//! The **revenue quick ratio** follows Social Capital's definition:
//! (new + resurrected + expansion revenue) / |churned + contraction revenue|, where expansion
//! (contraction) is how much more (less) each retained customer spent than in t − 1.

use serde::Serialize;

use super::CohortError;
use super::period::{Period, PeriodLookup};
use crate::book::{CustomerOrders, OrderBook, OrderKind};

/// `book.growthAccounting({ period })`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GrowthAccounting {
    pub period: Period,
    /// From the period of the first purchase to the period of the data's last day.
    pub periods: Vec<GrowthPeriod>,
}

/// One period of growth accounting. Revenue is the value of purchases (returns not netted).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GrowthPeriod {
    #[serde(serialize_with = "crate::day::serialize")]
    pub start: i32,
    pub label: String,
    /// True when the data ends before the period does: its churn is then overstated.
    pub incomplete: bool,
    /// Customers with a purchase in the period.
    pub active: u32,
    pub new: u32,
    pub retained: u32,
    pub resurrected: u32,
    /// Minus the customers active in the previous period and not in this one.
    pub churned: i64,
    pub revenue: f64,
    pub new_revenue: f64,
    pub retained_revenue: f64,
    pub resurrected_revenue: f64,
    /// Minus what the churned customers spent in the previous period.
    pub churned_revenue: f64,
    /// Σ over retained customers of max(0, this period's spend − the previous period's).
    pub expansion_revenue: f64,
    /// Minus Σ over retained customers of max(0, the previous period's spend − this one's).
    pub contraction_revenue: f64,
    /// (new + resurrected) / |churned|; `None` when nobody churned.
    pub quick_ratio: Option<f64>,
    /// (new + resurrected + expansion revenue) / |churned + contraction revenue|; `None` when
    /// the denominator is 0.
    pub revenue_quick_ratio: Option<f64>,
}

/// Splits each period's customers into new, retained, resurrected and churned.
///
/// One pass over each customer's day-sorted purchases, collapsing them into (period, spend)
/// runs; each run is classified against the customer's previous one.
pub fn growth_accounting(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    period: Period,
) -> Result<GrowthAccounting, CohortError> {
    let mut result = GrowthAccounting {
        period,
        periods: Vec::new(),
    };
    let Some(data_last_day) = book.last_day() else {
        return Ok(result);
    };
    let first_purchase_day = book
        .day
        .iter()
        .zip(&book.kind)
        .zip(&book.customer)
        .filter(|((_, kind), c)| **kind == OrderKind::Purchase && **c != crate::book::ANONYMOUS)
        .map(|((&day, _), _)| day)
        .min();
    let Some(first_purchase_day) = first_purchase_day else {
        return Ok(result);
    };
    let lookup = PeriodLookup::new(period, first_purchase_day, data_last_day);
    let first_number = lookup.number(0);
    let span = lookup.offset(data_last_day) as usize + 1;
    let mut periods: Vec<GrowthPeriod> = (0..span)
        .map(|j| {
            let number = first_number + j as i32;
            GrowthPeriod {
                start: period.first_day(number),
                label: period.label(number),
                incomplete: data_last_day < period.last_day(number),
                ..GrowthPeriod::default()
            }
        })
        .collect();

    // Classifies the run `(slot, spend)` given the customer's previous run and the day of their
    // first purchase in the whole history.
    let mut classify = |run: (usize, f64), previous: Option<(usize, f64)>, acquired: i32| {
        let (slot, spend) = run;
        let here = &mut periods[slot];
        here.active += 1;
        here.revenue += spend;
        match previous {
            // A filtered book's customer who bought before its first kept run comes back (no
            // churn to undo: their earlier activity is not in the book).
            None if acquired < here.start => {
                here.resurrected += 1;
                here.resurrected_revenue += spend;
            }
            None => {
                here.new += 1;
                here.new_revenue += spend;
            }
            Some((before, before_spend)) if before + 1 == slot => {
                here.retained += 1;
                here.retained_revenue += spend;
                let change = spend - before_spend;
                if change > 0.0 {
                    here.expansion_revenue += change;
                } else {
                    here.contraction_revenue += change;
                }
            }
            Some((before, before_spend)) => {
                here.resurrected += 1;
                here.resurrected_revenue += spend;
                let gone = &mut periods[before + 1];
                gone.churned -= 1;
                gone.churned_revenue -= before_spend;
            }
        }
    };
    let mut trailing_churn = vec![(0i64, 0f64); span];
    for c in 0..by_customer.customer_count() {
        // Without a whole history apart, the first run is the first purchase: never earlier.
        let acquired = book.acquisition.as_ref().map_or(i32::MAX, |days| days[c]);
        let mut previous: Option<(usize, f64)> = None;
        let mut current: Option<(usize, f64)> = None;
        for &i in by_customer.of(c) {
            let i = i as usize;
            if book.kind[i] != OrderKind::Purchase {
                continue;
            }
            let slot = lookup.offset(book.day[i]) as usize;
            match current {
                Some((open, spend)) if open == slot => {
                    current = Some((open, spend + book.value[i]))
                }
                _ => {
                    if let Some(done) = current {
                        classify(done, previous, acquired);
                        previous = Some(done);
                    }
                    current = Some((slot, book.value[i]));
                }
            }
        }
        if let Some(last) = current {
            classify(last, previous, acquired);
            // Active in their last period and never since: churned in the one after it.
            if last.0 + 1 < span {
                let gone = &mut trailing_churn[last.0 + 1];
                gone.0 -= 1;
                gone.1 -= last.1;
            }
        }
    }
    for (here, (churned, churned_revenue)) in periods.iter_mut().zip(trailing_churn) {
        here.churned += churned;
        here.churned_revenue += churned_revenue;
        here.quick_ratio = (here.churned != 0)
            .then(|| f64::from(here.new + here.resurrected) / here.churned.unsigned_abs() as f64);
        let lost = -(here.churned_revenue + here.contraction_revenue);
        here.revenue_quick_ratio = (lost != 0.0)
            .then(|| (here.new_revenue + here.resurrected_revenue + here.expansion_revenue) / lost);
    }
    result.periods = periods;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{book, day};

    use OrderKind::{Purchase, Return};

    const MONEY_TOLERANCE: f64 = 1e-9;

    /// Counts per period: (active, new, retained, resurrected, churned).
    fn counts(growth: &GrowthAccounting) -> Vec<(u32, u32, u32, u32, i64)> {
        growth
            .periods
            .iter()
            .map(|p| (p.active, p.new, p.retained, p.resurrected, p.churned))
            .collect()
    }

    #[test]
    fn each_customer_lands_in_one_bucket_per_period() {
        // a: Jan, Feb, Apr (resurrected). b: Jan only (churns in Feb). c: Feb, Mar.
        let book = book(&[
            ("a", "2011-01-03", 10.0, Purchase),
            ("b", "2011-01-04", 5.0, Purchase),
            ("a", "2011-02-01", 4.0, Purchase),
            ("a", "2011-02-02", 4.0, Purchase),
            ("c", "2011-02-10", 7.0, Purchase),
            ("c", "2011-03-10", 9.0, Purchase),
            ("c", "2011-03-11", -9.0, Return),
            ("a", "2011-04-30", 20.0, Purchase),
        ]);
        let growth = growth_accounting(&book, &book.customer_orders(), Period::Month).unwrap();
        assert_eq!(
            counts(&growth),
            [
                (2, 2, 0, 0, 0),
                (2, 1, 1, 0, -1),
                (1, 0, 1, 0, -1),
                (1, 0, 0, 1, -1),
            ]
        );
        let february = &growth.periods[1];
        assert_eq!(february.new_revenue, 7.0);
        assert_eq!(february.retained_revenue, 8.0);
        assert_eq!(february.churned_revenue, -5.0);
        assert_eq!(february.contraction_revenue, -2.0);
        assert_eq!(february.quick_ratio, Some(1.0));
        assert_eq!(february.revenue_quick_ratio, Some(7.0 / 7.0));
        let april = &growth.periods[3];
        assert_eq!(april.resurrected_revenue, 20.0);
        assert_eq!(
            april.churned_revenue, -9.0,
            "c spent 9 in March (returns not netted)"
        );
        assert_eq!(april.quick_ratio, Some(1.0));
        assert_eq!(growth.periods[0].quick_ratio, None);
        assert!(!april.incomplete);
    }

    #[test]
    fn previous_active_equals_retained_plus_churned_in_every_period_kind() {
        let mut orders = Vec::new();
        let ids: Vec<String> = (0..40).map(|c| format!("c{c}")).collect();
        let start = day("2020-11-02");
        for (c, id) in ids.iter().enumerate() {
            // Irregular but deterministic rhythms across the 2020/2021 year end.
            let mut d = start + (c as i32 * 5) % 30;
            let mut step = 3 + (c as i32 * 7) % 45;
            while d < start + 200 {
                orders.push((id.as_str(), d, 1.0 + c as f64, Purchase));
                d += step;
                step = (step * 3) % 61 + 1;
            }
        }
        let book = OrderBook::from_orders(orders.iter().map(|&(c, d, v, k)| (Some(c), d, v, k)));
        let grouped = book.customer_orders();
        for period in Period::ALL {
            let growth = growth_accounting(&book, &grouped, period).unwrap();
            let mut total_new = 0;
            for (t, here) in growth.periods.iter().enumerate() {
                assert_eq!(here.active, here.new + here.retained + here.resurrected);
                let sum = here.new_revenue + here.retained_revenue + here.resurrected_revenue;
                assert!((sum - here.revenue).abs() < MONEY_TOLERANCE);
                if t > 0 {
                    let before = &growth.periods[t - 1];
                    assert_eq!(
                        i64::from(before.active),
                        i64::from(here.retained) - here.churned,
                        "{period:?} {}",
                        here.label
                    );
                }
                total_new += here.new;
            }
            assert_eq!(total_new, 40, "{period:?}: everyone is new exactly once");
        }
    }

    #[test]
    fn weeks_continue_across_the_iso_year_end() {
        let book = book(&[
            ("a", "2020-12-28", 1.0, Purchase),
            ("a", "2021-01-04", 1.0, Purchase),
            ("b", "2021-01-03", 1.0, Purchase),
        ]);
        let growth = growth_accounting(&book, &book.customer_orders(), Period::Week).unwrap();
        let labels: Vec<_> = growth.periods.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2020-W53", "2021-W01"]);
        assert_eq!(counts(&growth), [(2, 2, 0, 0, 0), (1, 0, 1, 0, -1)]);
        assert!(growth.periods[1].incomplete);
    }
}
