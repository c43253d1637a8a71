//! The lifecycle overview: stage counts at a date and over time, how customers moved between
//! two dates, time to the second purchase and the repeat-purchase rate.

use serde::Serialize;

use super::{LifecycleError, LifecycleRules, PurchaseRhythm, Stage, StageSnapshot, median};
use crate::book::{CustomerOrders, OrderBook};
use crate::cohort::period::Period;
use crate::day::Day;

/// How far back the transition matrix looks when no `compare_with` date is given.
pub const DEFAULT_COMPARE_DAYS: i32 = 90;

/// Upper bounds (inclusive, in days) of the time-to-second-purchase bins; a last, open bin
/// takes everything beyond.
pub const SECOND_PURCHASE_BIN_ENDS: [u32; 7] = [7, 14, 30, 60, 90, 180, 365];

/// The horizons (in days) at which the share of customers who came back is reported.
pub const COMEBACK_WITHIN_DAYS: [u32; 5] = [30, 60, 90, 180, 365];

/// What `book.lifecycle(options)` computes.
#[derive(Clone, Debug, Default)]
pub struct LifecycleOptions {
    /// The date stages are computed at; the data's last day when `None`.
    pub as_of: Option<Day>,
    /// The earlier date of the transition matrix; [`DEFAULT_COMPARE_DAYS`] before `as_of`
    /// when `None`.
    pub compare_with: Option<Day>,
    /// The spacing of the stage-count series (monthly by default).
    pub series_period: Period,
    pub rules: LifecycleRules,
}

impl LifecycleOptions {
    /// The date stages are computed at.
    pub fn as_of(&self, book: &OrderBook) -> Result<i32, LifecycleError> {
        self.as_of
            .map(|day| day.0)
            .or_else(|| book.last_day())
            .ok_or(LifecycleError::NoOrders)
    }
}

/// Stage counts, their history, movements and repeat behaviour at one date.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleReport {
    #[serde(serialize_with = "crate::day::serialize")]
    pub as_of: i32,
    pub rules: LifecycleRules,
    /// The store's gap at `as_of` (see the module documentation).
    pub store_gap_days: f64,
    /// Stage names; every `counts` array below follows this order.
    pub stages: Vec<&'static str>,
    /// Customers per stage at `as_of`.
    pub counts: Vec<u32>,
    /// Customers with a purchase on or before `as_of`.
    pub customers: u32,
    pub series_period: Period,
    /// Stage counts at the end of each period, from the first purchase's to `as_of`'s.
    pub series: Vec<SeriesPoint>,
    pub transitions: Transitions,
    pub time_to_second_purchase: SecondPurchase,
    /// Share of the customers with a purchase by `as_of` who bought on a second day by then
    /// (`None` without customers). Recent first-time buyers have had little time to come back,
    /// so the rate reads low when acquisition is recent.
    pub repeat_purchase_rate: Option<f64>,
}

/// Stage counts at one date of the series.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeriesPoint {
    /// The period's last day, or `as_of` for the period that contains it.
    #[serde(serialize_with = "crate::day::serialize")]
    pub date: i32,
    pub label: String,
    /// True when `date` is before the period's last day.
    pub incomplete: bool,
    pub store_gap_days: f64,
    pub counts: Vec<u32>,
}

/// How many customers moved from each state at `from` to each state at `to`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transitions {
    #[serde(serialize_with = "crate::day::serialize")]
    pub from: i32,
    #[serde(serialize_with = "crate::day::serialize")]
    pub to: i32,
    /// `none` (no purchase yet) followed by the stage names: the rows and columns of
    /// `customers`.
    pub states: Vec<&'static str>,
    /// `customers[i][j]`: customers in state `i` at `from` and state `j` at `to`.
    pub customers: Vec<Vec<u32>>,
}

/// Days from the first purchase day to the second: what was observed among the customers who
/// came back, and a Kaplan–Meier estimate over everyone who has bought.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecondPurchase {
    /// Customers with a purchase by `as_of`.
    pub customers: u32,
    /// Of those, customers who bought on a second day by `as_of`.
    pub repeat_customers: u32,
    /// Median wait **among those who came back** by `as_of`. Biased short: the customers still
    /// waiting, who would come back later if at all, are left out. See `kaplan_meier`.
    pub median_days: Option<f64>,
    /// Mean wait among those who came back (biased short in the same way).
    pub mean_days: Option<f64>,
    /// Histogram of the observed waits of those who came back.
    pub bins: Vec<SecondPurchaseBin>,
    /// The estimate that counts the customers still waiting.
    pub kaplan_meier: KaplanMeier,
}

/// Kaplan–Meier estimate of the time to the second purchase day over every customer with a
/// first purchase by `as_of`: a customer who came back is an event at their wait; one still
/// waiting is censored at `as_of` − first purchase day (they waited at least that long).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KaplanMeier {
    /// The first day by which the estimated share that came back reaches ½; `None` when the
    /// curve never gets there within the follow-up.
    pub median_days: Option<u32>,
    /// The longest wait observed (came back or still waiting): the curve is known up to here.
    pub follow_up_days: Option<u32>,
    /// The estimated share that came back within each of [`COMEBACK_WITHIN_DAYS`] days (`None`
    /// beyond the follow-up).
    pub within: Vec<ComebackShare>,
    /// One step per wait at which someone came back: the estimated share that came back within
    /// `days`, with the customers still waiting just before (`at_risk`) and those who came
    /// back after exactly `days` (`events`).
    pub curve: Vec<KaplanMeierStep>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComebackShare {
    pub days: u32,
    pub share: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KaplanMeierStep {
    pub days: u32,
    pub share: f64,
    pub at_risk: u32,
    pub events: u32,
}

/// Customers whose second purchase came `from_days..=to_days` days after the first.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecondPurchaseBin {
    pub from_days: u32,
    /// `None` for the last, open-ended bin.
    pub to_days: Option<u32>,
    pub customers: u32,
}

/// Name of a state of the transition matrix: `none` or a stage.
fn state_index(status: Option<Stage>) -> usize {
    status.map_or(0, |stage| stage.index() + 1)
}

fn stage_names() -> Vec<&'static str> {
    Stage::ALL.iter().map(|s| s.name()).collect()
}

fn series(
    rhythm: &PurchaseRhythm,
    as_of: i32,
    period: Period,
    rules: &LifecycleRules,
) -> Vec<SeriesPoint> {
    let first_day = (0..rhythm.customer_count())
        .filter_map(|c| rhythm.days_of(c).first().copied())
        .min();
    let Some(first_day) = first_day.filter(|&d| d <= as_of) else {
        return Vec::new();
    };
    let numbers = period.number_of_day(first_day)..=period.number_of_day(as_of);
    let dates: Vec<i32> = numbers
        .clone()
        .map(|number| period.last_day(number).min(as_of))
        .collect();
    let stages = rhythm.stages_at_dates(&dates, rules);
    numbers
        .zip(dates.iter().zip(stages))
        .map(|(number, (&date, (store_gap_days, counts)))| SeriesPoint {
            date,
            label: period.label(number),
            incomplete: date < period.last_day(number),
            store_gap_days,
            counts: counts.to_vec(),
        })
        .collect()
}

fn transitions(from: &StageSnapshot, to: &StageSnapshot) -> Transitions {
    let states = 1 + Stage::ALL.len();
    let mut customers = vec![vec![0u32; states]; states];
    for (before, after) in from.statuses.iter().zip(&to.statuses) {
        let row = state_index(before.as_ref().map(|s| s.stage));
        let column = state_index(after.as_ref().map(|s| s.stage));
        customers[row][column] += 1;
    }
    let mut names = vec!["none"];
    names.extend(stage_names());
    Transitions {
        from: from.as_of,
        to: to.as_of,
        states: names,
        customers,
    }
}

/// Time to the second purchase day among purchases up to `as_of`: the observed waits of those
/// who came back, and the Kaplan–Meier estimate over everyone.
pub fn time_to_second_purchase(rhythm: &PurchaseRhythm, as_of: i32) -> SecondPurchase {
    let mut customers = 0u32;
    let mut waits: Vec<f64> = Vec::new();
    let mut bins: Vec<SecondPurchaseBin> = SECOND_PURCHASE_BIN_ENDS
        .iter()
        .enumerate()
        .map(|(i, &end)| SecondPurchaseBin {
            from_days: if i == 0 {
                1
            } else {
                SECOND_PURCHASE_BIN_ENDS[i - 1] + 1
            },
            to_days: Some(end),
            customers: 0,
        })
        .collect();
    bins.push(SecondPurchaseBin {
        from_days: SECOND_PURCHASE_BIN_ENDS[SECOND_PURCHASE_BIN_ENDS.len() - 1] + 1,
        to_days: None,
        customers: 0,
    });
    let mut came_back: Vec<u32> = Vec::new();
    let mut still_waiting: Vec<u32> = Vec::new();
    for c in 0..rhythm.customer_count() {
        let days = rhythm.days_of(c);
        match days {
            [first, ..] if *first <= as_of => customers += 1,
            _ => continue,
        }
        match days {
            [first, second, ..] if *second <= as_of => {
                let wait = (second - first) as u32;
                let bin = SECOND_PURCHASE_BIN_ENDS.partition_point(|&end| end < wait);
                bins[bin].customers += 1;
                waits.push(f64::from(wait));
                came_back.push(wait);
            }
            [first, ..] => still_waiting.push((as_of - first) as u32),
            [] => {}
        }
    }
    let mean_days = (!waits.is_empty()).then(|| waits.iter().sum::<f64>() / waits.len() as f64);
    SecondPurchase {
        customers,
        repeat_customers: waits.len() as u32,
        median_days: median(&mut waits),
        mean_days,
        bins,
        kaplan_meier: kaplan_meier(&came_back, &still_waiting),
    }
}

/// The Kaplan–Meier estimate from the waits of those who came back and the time waited so far
/// by those who did not. At each wait `t` with `d` comebacks and `n` customers who had waited
/// at least `t` days (a customer censored at `t` still counts at `t`), the share still waiting
/// is multiplied by 1 − d/n.
pub fn kaplan_meier(came_back: &[u32], still_waiting: &[u32]) -> KaplanMeier {
    let mut events = came_back.to_vec();
    let mut censored = still_waiting.to_vec();
    // The crate's radix sort: another `slice::sort` instantiation would add kilobytes to the
    // `.wasm`.
    crate::sort::radix_sort(&mut events, &|wait: u32| u64::from(wait), 32);
    crate::sort::radix_sort(&mut censored, &|wait: u32| u64::from(wait), 32);
    let total = events.len() + censored.len();
    let follow_up_days = events.iter().chain(&censored).copied().max();
    let mut curve: Vec<KaplanMeierStep> = Vec::new();
    let mut waiting = 1.0f64;
    let mut next = 0;
    while next < events.len() {
        let days = events[next];
        let d = events[next..].partition_point(|&t| t == days);
        let gone_before = next + censored.partition_point(|&t| t < days);
        let at_risk = total - gone_before;
        waiting *= 1.0 - d as f64 / at_risk as f64;
        curve.push(KaplanMeierStep {
            days,
            share: 1.0 - waiting,
            at_risk: at_risk as u32,
            events: d as u32,
        });
        next += d;
    }
    let share_within = |days: u32| {
        let steps = curve.partition_point(|step| step.days <= days);
        steps.checked_sub(1).map_or(0.0, |last| curve[last].share)
    };
    let within = COMEBACK_WITHIN_DAYS
        .iter()
        .map(|&days| ComebackShare {
            days,
            share: follow_up_days
                .filter(|&follow_up| days <= follow_up)
                .map(|_| share_within(days)),
        })
        .collect();
    KaplanMeier {
        // A hair below ½ so that a curve landing on exactly half (6/7 × 7/12) is not missed
        // by rounding.
        median_days: curve
            .iter()
            .find(|step| step.share >= 0.5 - 1e-12)
            .map(|step| step.days),
        follow_up_days,
        within,
        curve,
    }
}

/// Builds the lifecycle overview at `options.as_of`.
pub fn lifecycle_report(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    options: &LifecycleOptions,
) -> Result<LifecycleReport, LifecycleError> {
    options.rules.validate()?;
    let as_of = options.as_of(book)?;
    let compare_with = options
        .compare_with
        .map_or(as_of - DEFAULT_COMPARE_DAYS, |day| day.0);
    let rhythm = PurchaseRhythm::new(book, by_customer);
    let now = rhythm.snapshot(as_of, &options.rules);
    let before = rhythm.snapshot(compare_with, &options.rules);
    let second = time_to_second_purchase(&rhythm, as_of);
    Ok(LifecycleReport {
        as_of,
        rules: options.rules.clone(),
        store_gap_days: now.store_gap_days,
        stages: stage_names(),
        counts: now.counts().to_vec(),
        customers: second.customers,
        series_period: options.series_period,
        series: series(&rhythm, as_of, options.series_period, &options.rules),
        transitions: transitions(&before, &now),
        repeat_purchase_rate: (second.customers > 0)
            .then(|| f64::from(second.repeat_customers) / f64::from(second.customers)),
        time_to_second_purchase: second,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::OrderKind;
    use crate::fixtures::{book, date, day};

    #[test]
    fn time_to_second_purchase_bins_and_median() {
        let book = book(&[
            ("a", "2011-01-01"),
            ("a", "2011-01-01"),
            ("a", "2011-01-08"),
            ("b", "2011-01-01"),
            ("b", "2011-03-02"),
            ("c", "2011-01-01"),
            ("d", "2011-01-01"),
            ("d", "2012-06-01"),
        ]);
        let rhythm = PurchaseRhythm::new(&book, &book.customer_orders());
        let second = time_to_second_purchase(&rhythm, day("2012-12-31"));
        assert_eq!((second.customers, second.repeat_customers), (4, 3));
        // Waits: a 7 (same-day orders are one visit), b 60, d 517.
        assert_eq!(second.median_days, Some(60.0));
        let filled: Vec<_> = second
            .bins
            .iter()
            .filter(|b| b.customers > 0)
            .map(|b| (b.from_days, b.to_days))
            .collect();
        assert_eq!(filled, [(1, Some(7)), (31, Some(60)), (366, None)]);
        // Before d's second purchase, d counts as a one-time buyer.
        let earlier = time_to_second_purchase(&rhythm, day("2011-12-31"));
        assert_eq!((earlier.customers, earlier.repeat_customers), (4, 2));
    }

    /// Seven customers as of day 100. Came back after 10, 20, 20 and 40 days; still waiting
    /// after 15, 30 (their second purchase, on day 120, is after the date) and 50 days.
    /// By hand: at 10, 7 at risk → S = 6/7; at 20, 5 at risk (the one censored at 15 is gone),
    /// 2 come back → S = 6/7 × 3/5 = 18/35; at 40, 2 at risk → S = 9/35.
    #[test]
    fn kaplan_meier_by_hand_with_censoring() {
        let book = OrderBook::from_orders(
            [
                ("e1", 0),
                ("e1", 10),
                ("e2", 50),
                ("e2", 70),
                ("e3", 60),
                ("e3", 80),
                ("e4", 30),
                ("e4", 70),
                ("c1", 85),
                ("c2", 70),
                ("c2", 120),
                ("c3", 50),
            ]
            .map(|(c, d)| (Some(c), d, 10.0, OrderKind::Purchase)),
        );
        let rhythm = PurchaseRhythm::new(&book, &book.customer_orders());
        let second = time_to_second_purchase(&rhythm, 100);
        assert_eq!((second.customers, second.repeat_customers), (7, 4));
        // Among those who came back: 10, 20, 20, 40 → 20. Counting those still waiting: 40.
        assert_eq!(second.median_days, Some(20.0));
        let km = &second.kaplan_meier;
        assert_eq!(km.median_days, Some(40));
        assert_eq!(km.follow_up_days, Some(50));
        let steps: Vec<_> = km
            .curve
            .iter()
            .map(|s| (s.days, s.at_risk, s.events))
            .collect();
        assert_eq!(steps, [(10, 7, 1), (20, 5, 2), (40, 2, 1)]);
        let shares = [1.0 / 7.0, 17.0 / 35.0, 26.0 / 35.0];
        for (step, share) in km.curve.iter().zip(shares) {
            assert!((step.share - share).abs() < 1e-12, "{step:?}");
        }
        let within: Vec<_> = km.within.iter().map(|w| (w.days, w.share)).collect();
        assert_eq!(within[0].0, 30);
        assert!((within[0].1.unwrap() - 17.0 / 35.0).abs() < 1e-12);
        // 60 days and beyond: nobody has been watched that long.
        assert_eq!(
            within[1..],
            [(60, None), (90, None), (180, None), (365, None)]
        );
    }

    #[test]
    fn kaplan_meier_edges() {
        // Nobody yet: no curve, no follow-up.
        let empty = kaplan_meier(&[], &[]);
        assert_eq!((empty.median_days, empty.follow_up_days), (None, None));
        assert!(empty.curve.is_empty() && empty.within.iter().all(|w| w.share.is_none()));
        // Without censoring it is the plain share: 1 of 4 by day 5, 3 of 4 by day 9.
        let plain = kaplan_meier(&[5, 9, 9, 400], &[]);
        let shares: Vec<_> = plain.curve.iter().map(|s| (s.days, s.share)).collect();
        assert_eq!(shares, [(5, 0.25), (9, 0.75), (400, 1.0)]);
        assert_eq!(plain.median_days, Some(9));
        assert_eq!(plain.within[4].share, Some(0.75));
        // Exactly half by day 20, through a product that floating point does not hit exactly:
        // at 10, 4 at risk → 3/4; at 20, 3 at risk → 3/4 × 2/3 = 1/2.
        let product = kaplan_meier(&[10, 20], &[30, 30]);
        assert_eq!(product.median_days, Some(20));
        // Never half: at 10, 8 at risk → 7/8; at 20, 6 at risk → 35/48 still waiting.
        let never = kaplan_meier(&[10, 20], &[15, 30, 30, 30, 30, 30]);
        assert_eq!(never.median_days, None);
        let exact = kaplan_meier(&[10, 20, 20], &[5, 30]);
        // At 10: 4 at risk → 3/4; at 20: 3 at risk, 2 back → 3/4 × 1/3 = 1/4.
        assert_eq!(exact.median_days, Some(20));
        let on_half = kaplan_meier(&[10], &[10]);
        // 2 at risk at 10 (the one censored at 10 counts), 1 back: exactly ½.
        assert_eq!(on_half.curve[0].share, 0.5);
        assert_eq!(on_half.median_days, Some(10));
    }

    #[test]
    fn report_counts_series_and_transitions_agree() {
        let book = book(&[
            ("a", "2011-01-05"),
            ("a", "2011-01-20"),
            ("a", "2011-02-04"),
            ("a", "2011-02-19"),
            ("b", "2011-01-10"),
            ("c", "2011-03-01"),
        ]);
        let options = LifecycleOptions {
            compare_with: Some(date("2011-01-31")),
            ..LifecycleOptions::default()
        };
        let report = lifecycle_report(&book, &book.customer_orders(), &options).unwrap();
        assert_eq!(report.as_of, day("2011-03-01"));
        assert_eq!(report.customers, 3);
        assert_eq!(report.counts.iter().sum::<u32>(), 3);
        let labels: Vec<_> = report.series.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2011-01", "2011-02", "2011-03"]);
        assert!(report.series[2].incomplete);
        assert_eq!(report.series[2].counts, report.counts);
        for point in &report.series {
            let customers: u32 = point.counts.iter().sum();
            let grouped = book.customer_orders();
            let rhythm = PurchaseRhythm::new(&book, &grouped);
            assert_eq!(
                customers,
                time_to_second_purchase(&rhythm, point.date).customers
            );
        }
        // Row sums are the states at `from`, column sums the states at `to`.
        let matrix = &report.transitions.customers;
        assert_eq!(report.transitions.states[0], "none");
        assert_eq!(
            matrix[0].iter().sum::<u32>(),
            1,
            "c had not bought on 2011-01-31"
        );
        for (j, &count) in report.counts.iter().enumerate() {
            let column: u32 = matrix.iter().map(|row| row[j + 1]).sum();
            assert_eq!(column, count);
        }
        assert_eq!(report.repeat_purchase_rate, Some(1.0 / 3.0));
    }

    #[test]
    fn no_orders_without_a_date_is_explained() {
        let empty = OrderBook::default();
        let error = lifecycle_report(
            &empty,
            &empty.customer_orders(),
            &LifecycleOptions::default(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("give as_of"), "{error}");
        let options = LifecycleOptions {
            as_of: Some(date("2011-01-01")),
            ..LifecycleOptions::default()
        };
        let report = lifecycle_report(&empty, &empty.customer_orders(), &options).unwrap();
        assert_eq!(report.customers, 0);
        assert!(report.series.is_empty());
        assert_eq!(report.repeat_purchase_rate, None);
    }
}
