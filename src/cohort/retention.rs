//! Retention and churn rates over a period, counted customer by customer, beside the published
//! "net" formulas that stores meet in articles.
//!
//! Definitions (W = the activity window in days, see [`ActiveWindow`]):
//! - a customer is **active at day d** when they have a purchase on some day p with
//!   d − W < p ≤ d (returns do not count);
//! - for a period running from day `a` to day `b`:
//!   **S** = customers active at the period's start, i.e. at the end of day a − 1, before any of
//!   the period's orders; **E** = customers active at its end, day b (or the data's last day
//!   when the period runs past it); **N** = customers acquired during it (first purchase in a..=b);
//! - per customer: **retained** = active at the start and at the end (|S ∩ E|), **lost** =
//!   active at the start and not at the end (S − retained), **reactivated** = active at the end,
//!   not at the start, and acquired before the period;
//! - **retention rate** = retained / S and **churn rate** = lost / S: they add up to 1, and churn
//!   is never negative;
//! - the published formulas, kept as **net retention** = (E − N) / S and **net churn** =
//!   (S − E) / S. (S − E) / S is the net shrinkage of the active base, not churn: it goes negative
//!   whenever new customers outnumber the lost ones, and E − N counts reactivated customers as
//!   retained.
//!
//! Every rate is `None` when S = 0 (nobody could be retained). S, E, N and the customer counts
//! are returned with the rates so a person can check the sums.
//!
//! The default W is the store's typical repeat gap (the lifecycle view's store gap: the median of
//! repeat customers' typical gaps), rounded up to whole days and at least
//! [`MIN_DEFAULT_ACTIVE_WINDOW_DAYS`]. A fixed year would call everyone who bought in the data's
//! first months "active" for the whole of a one-year export, so nobody could ever churn; the
//! store's own rhythm says when a customer is overdue.

use serde::Serialize;

use super::period::Period;
use super::{CohortError, first_purchase_position};
use crate::book::{ANONYMOUS, CustomerOrders, OrderBook, OrderKind};
use crate::day::Day;
use crate::lifecycle::PurchaseRhythm;

/// The shortest default activity window: a store whose customers come back within days would
/// otherwise see most of them churn and return inside a single month.
pub const MIN_DEFAULT_ACTIVE_WINDOW_DAYS: u32 = 30;

/// Where the activity window came from, so the page can say why "active" means what it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ActiveWindowSource {
    /// The caller gave `activeWindowDays`.
    Chosen,
    /// The store's typical repeat gap, rounded up to whole days.
    StoreGap,
    /// The floor of [`MIN_DEFAULT_ACTIVE_WINDOW_DAYS`]: the store's gap was shorter, or nobody
    /// has bought on two different days.
    Minimum,
}

/// The W of "active = a purchase within the last W days", and why it is that.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveWindow {
    pub days: u32,
    pub source: ActiveWindowSource,
    /// The store's typical repeat gap at the data's last day, when it was measured (`None` when
    /// the caller chose W, or when no customer has bought on two different days).
    pub store_gap_days: Option<f64>,
}

impl ActiveWindow {
    /// A window the caller chose: a whole number of days, at least 1.
    pub fn chosen(days: f64) -> Result<ActiveWindow, CohortError> {
        if !(days >= 1.0 && days.fract() == 0.0 && days <= f64::from(u32::MAX)) {
            return Err(CohortError::InvalidActiveWindow(days));
        }
        Ok(ActiveWindow {
            days: days as u32,
            source: ActiveWindowSource::Chosen,
            store_gap_days: None,
        })
    }

    /// The default: the store's typical repeat gap at the data's last day, measured exactly as
    /// the lifecycle view measures it, rounded up, and at least
    /// [`MIN_DEFAULT_ACTIVE_WINDOW_DAYS`].
    pub fn store_default(book: &OrderBook, by_customer: &CustomerOrders) -> ActiveWindow {
        let store_gap_days = book
            .last_day()
            .and_then(|last| PurchaseRhythm::new(book, by_customer).measured_store_gap_at(last));
        let floor = MIN_DEFAULT_ACTIVE_WINDOW_DAYS;
        match store_gap_days {
            Some(gap) if gap.ceil() >= f64::from(floor) => ActiveWindow {
                days: gap.ceil().min(f64::from(u32::MAX)) as u32,
                source: ActiveWindowSource::StoreGap,
                store_gap_days,
            },
            _ => ActiveWindow {
                days: floor,
                source: ActiveWindowSource::Minimum,
                store_gap_days,
            },
        }
    }
}

/// Retention and churn per period: `book.retentionRates({ period, activeWindowDays })`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetentionSeries {
    pub period: Period,
    /// W: active = a purchase within the last W days.
    pub active_window_days: u32,
    /// Why W is what it is: chosen by the caller, the store's typical repeat gap, or the minimum.
    pub active_window_source: ActiveWindowSource,
    /// The store's typical repeat gap W was taken from (see [`ActiveWindow::store_gap_days`]).
    pub store_gap_days: Option<f64>,
    /// From the period of the first purchase to the period of the data's last day.
    pub periods: Vec<RetentionPeriod>,
    /// The same counts over a range the caller chose (see [`retention_between`]), when asked.
    pub range: Option<RetentionPeriod>,
}

/// The customer counts of one period, S, E and N included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PeriodCounts {
    pub active_at_start: u32,
    pub active_at_end: u32,
    pub acquired: u32,
    pub retained: u32,
    pub reactivated: u32,
}

/// S, E, N, the customers behind them and the rates of one period (or of a chosen range).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetentionPeriod {
    /// First day of the period.
    #[serde(serialize_with = "crate::day::serialize")]
    pub start: i32,
    /// The day E is measured at: the period's last day, or the data's last day if earlier.
    #[serde(serialize_with = "crate::day::serialize")]
    pub end: i32,
    /// `2011-01`, `2011-Q1`, `2021-W01`, or `2011-01-01..2011-06-30` for a chosen range.
    pub label: String,
    /// True when the data ends before the period does.
    pub incomplete: bool,
    /// S: customers active at the end of the day before `start`.
    pub active_at_start: u32,
    /// E: customers active at the end of `end`.
    pub active_at_end: u32,
    /// N: customers whose first purchase falls in `start..=end`.
    pub acquired: u32,
    /// Customers active at the start and at the end: |S ∩ E|.
    pub retained: u32,
    /// Customers active at the start and not at the end: S − retained.
    pub lost: u32,
    /// Customers active at the end, not at the start, whose first purchase came before `start`.
    pub reactivated: u32,
    /// retained / S, `None` when S = 0.
    pub retention_rate: Option<f64>,
    /// lost / S = 1 − retention rate, `None` when S = 0.
    pub churn_rate: Option<f64>,
    /// The published (E − N) / S, `None` when S = 0: it counts reactivated customers as retained.
    pub net_retention_rate: Option<f64>,
    /// The published (S − E) / S, `None` when S = 0: the net shrinkage of the active base,
    /// negative when new and reactivated customers outnumber the lost ones.
    pub net_churn_rate: Option<f64>,
}

impl RetentionPeriod {
    fn new(start: i32, end: i32, label: String, incomplete: bool, counts: PeriodCounts) -> Self {
        let PeriodCounts {
            active_at_start: s,
            active_at_end: e,
            acquired: n,
            retained,
            reactivated,
        } = counts;
        let lost = s - retained;
        let rate = |numerator: f64| (s > 0).then(|| numerator / f64::from(s));
        RetentionPeriod {
            start,
            end,
            label,
            incomplete,
            active_at_start: s,
            active_at_end: e,
            acquired: n,
            retained,
            lost,
            reactivated,
            retention_rate: rate(f64::from(retained)),
            churn_rate: rate(f64::from(lost)),
            net_retention_rate: rate(f64::from(e) - f64::from(n)),
            net_churn_rate: rate(f64::from(s) - f64::from(e)),
        }
    }
}

/// Who was active at each checkpoint day and who stayed or came back between consecutive ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Activity {
    /// Customers active at the end of each checkpoint day.
    pub active: Vec<u32>,
    /// Per interval j (checkpoint j to j + 1): customers active at both ends.
    pub retained: Vec<u32>,
    /// Per interval j: customers active at j + 1, not at j, whose first purchase was on or
    /// before checkpoint j.
    pub reactivated: Vec<u32>,
}

/// Adds one customer's run of consecutive active checkpoints `low..high` to the counts.
fn add_active_run(
    run: (usize, usize),
    first_purchase: i32,
    checkpoints: &[i32],
    active: &mut [i64],
    retained: &mut [i64],
    reactivated: &mut [u32],
) {
    let (low, high) = run;
    active[low] += 1;
    active[high] -= 1;
    if high - low >= 2 {
        retained[low] += 1;
        retained[high - 1] -= 1;
    }
    // Inactive at checkpoint low − 1 and active at low: a purchase in interval low − 1, by a
    // customer already acquired when it began, is a comeback.
    if low >= 1 && first_purchase <= checkpoints[low - 1] {
        reactivated[low - 1] += 1;
    }
}

fn running_sums(steps: &[i64], len: usize) -> Vec<u32> {
    let mut running = 0i64;
    steps[..len]
        .iter()
        .map(|&step| {
            running += step;
            running as u32
        })
        .collect()
}

/// Counts, for ascending checkpoint days, the customers active at each and, between each pair
/// of consecutive checkpoints, those retained and those reactivated.
///
/// Each purchase keeps its customer active for the W days `p..=p + W − 1`. A customer's
/// overlapping spans are merged, each span becomes the run of checkpoints it covers, and runs
/// that touch are joined (a customer active at two consecutive checkpoints is retained even if
/// they lapsed in between); each run then adds to the counts through difference arrays, so the
/// cost is one pass over the orders plus a binary search per span.
pub fn activity(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    checkpoints: &[i32],
    active_window_days: u32,
) -> Activity {
    let n = checkpoints.len();
    let intervals = n.saturating_sub(1);
    let mut active = vec![0i64; n + 1];
    let mut retained = vec![0i64; n];
    let mut reactivated = vec![0u32; intervals];
    let window = i64::from(active_window_days);
    let covered = |start: i64, end: i64| {
        let low = checkpoints.partition_point(|&d| i64::from(d) < start);
        let high = checkpoints.partition_point(|&d| i64::from(d) <= end);
        (low, high)
    };
    let mut spans: Vec<(i64, i64)> = Vec::new();
    for c in 0..by_customer.customer_count() {
        let mut first_purchase: Option<i32> = None;
        spans.clear();
        for &i in by_customer.of(c) {
            let i = i as usize;
            if book.kind[i] != OrderKind::Purchase {
                continue;
            }
            first_purchase.get_or_insert(book.day[i]);
            let day = i64::from(book.day[i]);
            match spans.last_mut() {
                Some((_, end)) if day <= *end + 1 => *end = (*end).max(day + window - 1),
                _ => spans.push((day, day + window - 1)),
            }
        }
        let Some(mut first_purchase) = first_purchase else {
            continue;
        };
        if let Some(acquired) = &book.acquisition {
            first_purchase = acquired[c];
        }
        let mut run: Option<(usize, usize)> = None;
        for &(start, end) in &spans {
            let (low, high) = covered(start, end);
            if low >= high {
                continue;
            }
            run = match run {
                Some((run_low, run_high)) if low <= run_high => Some((run_low, high)),
                Some(done) => {
                    add_active_run(
                        done,
                        first_purchase,
                        checkpoints,
                        &mut active,
                        &mut retained,
                        &mut reactivated,
                    );
                    Some((low, high))
                }
                None => Some((low, high)),
            };
        }
        if let Some(done) = run {
            add_active_run(
                done,
                first_purchase,
                checkpoints,
                &mut active,
                &mut retained,
                &mut reactivated,
            );
        }
    }
    Activity {
        active: running_sums(&active, n),
        retained: running_sums(&retained, intervals),
        reactivated,
    }
}

/// Day of each customer's first purchase (`None` for customers without a purchase in the book):
/// in their whole history for a filtered book (see [`OrderBook::acquisition`]).
fn first_purchase_days(book: &OrderBook, by_customer: &CustomerOrders) -> Vec<Option<i32>> {
    (0..by_customer.customer_count())
        .map(|c| {
            let orders = by_customer.of(c);
            let first = first_purchase_position(book, orders)?;
            Some(match &book.acquisition {
                Some(acquired) => acquired[c],
                None => book.day[orders[first] as usize],
            })
        })
        .collect()
}

/// Retention and churn for each `period` from the first purchase's to the data's last.
pub fn retention_rates(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    period: Period,
    window: ActiveWindow,
) -> Result<RetentionSeries, CohortError> {
    check_window(window.days)?;
    let mut series = RetentionSeries {
        period,
        active_window_days: window.days,
        active_window_source: window.source,
        store_gap_days: window.store_gap_days,
        periods: Vec::new(),
        range: None,
    };
    let first_days = first_purchase_days(book, by_customer);
    // The periods start at the book's first purchase; customers a filtered book acquired
    // earlier are counted as already acquired.
    let first_purchase = (0..book.order_count())
        .filter(|&i| book.kind[i] == OrderKind::Purchase && book.customer[i] != ANONYMOUS)
        .map(|i| book.day[i])
        .min();
    let (Some(first_day), Some(data_last_day)) = (first_purchase, book.last_day()) else {
        return Ok(series);
    };
    let first_number = period.number_of_day(first_day);
    let last_number = period.number_of_day(data_last_day);
    let span = (last_number - first_number + 1) as usize;

    // Checkpoint 0 is the eve of the first period, checkpoint j + 1 the end of period j.
    let mut checkpoints = Vec::with_capacity(span + 1);
    checkpoints.push(period.first_day(first_number) - 1);
    for number in first_number..=last_number {
        checkpoints.push(period.last_day(number).min(data_last_day));
    }
    let activity = activity(book, by_customer, &checkpoints, window.days);
    let mut acquired = vec![0u32; span];
    for day in first_days.iter().flatten() {
        if let Ok(j) = usize::try_from(period.number_of_day(*day) - first_number) {
            acquired[j] += 1;
        }
    }
    series.periods = (0..span)
        .map(|j| {
            let number = first_number + j as i32;
            RetentionPeriod::new(
                period.first_day(number),
                checkpoints[j + 1],
                period.label(number),
                checkpoints[j + 1] < period.last_day(number),
                PeriodCounts {
                    active_at_start: activity.active[j],
                    active_at_end: activity.active[j + 1],
                    acquired: acquired[j],
                    retained: activity.retained[j],
                    reactivated: activity.reactivated[j],
                },
            )
        })
        .collect();
    Ok(series)
}

fn check_window(active_window_days: u32) -> Result<(), CohortError> {
    if active_window_days == 0 {
        return Err(CohortError::InvalidActiveWindow(0.0));
    }
    Ok(())
}

/// Retention and churn over a chosen range of days `first_day..=last_day` (the end is clamped
/// to the data's last day, and the result flagged incomplete, when the data stops earlier).
pub fn retention_between(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    first_day: Day,
    last_day: Day,
    active_window_days: u32,
) -> Result<RetentionPeriod, CohortError> {
    check_window(active_window_days)?;
    let (first_day, last_day) = (first_day.0, last_day.0);
    if first_day > last_day {
        return Err(CohortError::InvalidRange {
            first_day,
            last_day,
        });
    }
    let end = book
        .last_day()
        .map_or(last_day, |data_last| last_day.min(data_last))
        .max(first_day - 1);
    let checkpoints = [first_day - 1, end];
    let activity = activity(book, by_customer, &checkpoints, active_window_days);
    let acquired = first_purchase_days(book, by_customer)
        .iter()
        .flatten()
        .filter(|&&day| first_day <= day && day <= end)
        .count() as u32;
    Ok(RetentionPeriod::new(
        first_day,
        end,
        format!("{}..{}", Day(first_day), Day(last_day)),
        end < last_day,
        PeriodCounts {
            active_at_start: activity.active[0],
            active_at_end: activity.active[1],
            acquired,
            retained: activity.retained[0],
            reactivated: activity.reactivated[0],
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{assert_rate, book, date, day, window};

    use OrderKind::{Purchase, Return};

    /// (S, E, N, retained, lost, reactivated) of a period.
    fn counts(p: &RetentionPeriod) -> (u32, u32, u32, u32, u32, u32) {
        (
            p.active_at_start,
            p.active_at_end,
            p.acquired,
            p.retained,
            p.lost,
            p.reactivated,
        )
    }

    #[test]
    fn active_means_a_purchase_within_the_last_w_days() {
        let book = book(&[
            ("a", "2011-01-10", Purchase),
            ("a", "2011-01-12", Purchase),
            ("b", "2011-01-20", Return),
        ]);
        let grouped = book.customer_orders();
        let cases = [
            ("2011-01-09", 0),
            ("2011-01-10", 1),
            ("2011-01-19", 1),
            // 2011-01-12 + 10 days: the purchase on the 12th is exactly W days old, out.
            ("2011-01-21", 1),
            ("2011-01-22", 0),
        ];
        let checkpoints: Vec<i32> = cases.iter().map(|(d, _)| day(d)).collect();
        let activity = activity(&book, &grouped, &checkpoints, 10);
        let expected: Vec<u32> = cases.iter().map(|&(_, n)| n).collect();
        assert_eq!(activity.active, expected);
        // a stays active from the 10th to the 21st: retained across each interval it spans.
        assert_eq!(activity.retained, [0, 1, 1, 0]);
        assert_eq!(activity.reactivated, [0, 0, 0, 0]);
    }

    #[test]
    fn monthly_rates_follow_the_formulas() {
        // W = 31. January: a, b acquired. February: a buys again, c acquired. March: c again.
        let book = book(&[
            ("a", "2011-01-05", Purchase),
            ("b", "2011-01-25", Purchase),
            ("a", "2011-02-10", Purchase),
            ("c", "2011-02-15", Purchase),
            ("c", "2011-03-20", Purchase),
            ("d", "2011-03-31", Return),
        ]);
        let series =
            retention_rates(&book, &book.customer_orders(), Period::Month, window(31)).unwrap();
        assert_eq!(series.active_window_source, ActiveWindowSource::Chosen);
        let got: Vec<_> = series
            .periods
            .iter()
            .map(|p| (p.label.as_str(), counts(p)))
            .collect();
        // End of January: a (05, still within 31 days), b. End of February (28th): a (10th),
        // c (15th); b's 25 Jan purchase is 34 days old, so b is lost. a was inactive from
        // 5 to 9 February but is active at both ends: retained. End of March: c (20th, after
        // a lapse from 18 to 19 March) only; a is lost.
        assert_eq!(
            got,
            [
                ("2011-01", (0, 2, 2, 0, 0, 0)),
                ("2011-02", (2, 2, 1, 1, 1, 0)),
                ("2011-03", (2, 1, 0, 1, 1, 0)),
            ]
        );
        let january = &series.periods[0];
        assert_eq!(
            (
                january.retention_rate,
                january.churn_rate,
                january.net_retention_rate,
                january.net_churn_rate
            ),
            (None, None, None, None)
        );
        // (index, retention, churn, net retention, net churn)
        let cases = [(1, 0.5, 0.5, 0.5, 0.0), (2, 0.5, 0.5, 0.5, 0.5)];
        for (index, retention, churn, net_retention, net_churn) in cases {
            let p = &series.periods[index];
            assert_rate(p.retention_rate, retention, &p.label);
            assert_rate(p.churn_rate, churn, &p.label);
            assert_rate(p.net_retention_rate, net_retention, &p.label);
            assert_rate(p.net_churn_rate, net_churn, &p.label);
        }
        assert!(series.periods.iter().all(|p| !p.incomplete));
    }

    /// The case of the issue: more customers arrive than leave, and the published (S − E) / S
    /// turns negative while the per-customer churn stays a share of S.
    #[test]
    fn per_customer_churn_stays_a_share_when_the_net_rate_goes_negative() {
        let book = book(&[
            // x bought in December, was inactive by the end of January, came back in February.
            ("x", "2010-12-15", Purchase),
            ("l", "2011-01-10", Purchase),
            ("r", "2011-01-20", Purchase),
            ("r", "2011-02-15", Purchase),
            ("n1", "2011-02-05", Purchase),
            ("x", "2011-02-20", Purchase),
            ("n2", "2011-02-25", Purchase),
        ]);
        let series =
            retention_rates(&book, &book.customer_orders(), Period::Month, window(30)).unwrap();
        let february = &series.periods[2];
        assert_eq!(february.label, "2011-02");
        // S = {l, r}; E = {r, x, n1, n2}; N = {n1, n2}; r retained, l lost, x reactivated.
        assert_eq!(counts(february), (2, 4, 2, 1, 1, 1));
        assert_rate(february.retention_rate, 0.5, "retention");
        assert_rate(february.churn_rate, 0.5, "churn");
        assert_rate(
            february.net_retention_rate,
            1.0,
            "net retention counts x as retained",
        );
        assert_rate(february.net_churn_rate, -1.0, "net churn");
        // January: S = {x} (its 15 December purchase is 16 days old on 31 December), and x is
        // lost by 31 January; E = {l, r}, both new.
        assert_eq!(counts(&series.periods[1]), (1, 2, 2, 0, 1, 0));
    }

    #[test]
    fn a_chosen_range_and_the_incomplete_last_quarter() {
        let book = book(&[
            ("a", "2010-11-01", Purchase),
            ("b", "2010-12-01", Purchase),
            ("a", "2011-02-01", Purchase),
            ("c", "2011-02-02", Purchase),
        ]);
        let grouped = book.customer_orders();
        let range =
            retention_between(&book, &grouped, date("2011-01-01"), date("2011-06-30"), 60).unwrap();
        // Start (2010-12-31): a (61 days old — out), b (30 days) → S = 1; the data ends
        // 2011-02-02: a, c active → E = 2; N = 1 (c). b is lost; a, acquired in November,
        // came back: reactivated.
        assert_eq!(counts(&range), (1, 2, 1, 0, 1, 1));
        assert_eq!(range.end, day("2011-02-02"));
        assert!(range.incomplete);
        assert_eq!(range.retention_rate, Some(0.0));
        assert_eq!(range.churn_rate, Some(1.0));
        assert_eq!(range.net_retention_rate, Some(1.0));
        assert_eq!(range.net_churn_rate, Some(-1.0));

        let quarterly = retention_rates(&book, &grouped, Period::Quarter, window(365)).unwrap();
        let labels: Vec<_> = quarterly.periods.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2010-Q4", "2011-Q1"]);
        assert!(quarterly.periods[1].incomplete);
        assert_eq!(counts(&quarterly.periods[1]), (2, 3, 1, 2, 0, 0));
    }

    #[test]
    fn the_default_window_is_the_store_gap_rounded_up_and_at_least_30_days() {
        let default_of = |orders: &[(&str, &str, OrderKind)]| {
            let book = book(orders);
            ActiveWindow::store_default(&book, &book.customer_orders())
        };
        // Typical gaps 45 and 60 (a: one gap of 45; b: gaps 50, 70 → 60): median 52.5 → 53.
        let window = default_of(&[
            ("a", "2011-01-01", Purchase),
            ("a", "2011-02-15", Purchase),
            ("b", "2011-01-01", Purchase),
            ("b", "2011-02-20", Purchase),
            ("b", "2011-05-01", Purchase),
            ("c", "2011-05-02", Purchase),
        ]);
        assert_eq!(
            window,
            ActiveWindow {
                days: 53,
                source: ActiveWindowSource::StoreGap,
                store_gap_days: Some(52.5)
            }
        );
        // A weekly rhythm is floored at 30 days.
        let window = default_of(&[("a", "2011-01-01", Purchase), ("a", "2011-01-08", Purchase)]);
        assert_eq!(
            (window.days, window.source, window.store_gap_days),
            (30, ActiveWindowSource::Minimum, Some(7.0))
        );
        // Nobody bought on two days (a return is not a purchase): the floor, no gap.
        let window = default_of(&[("a", "2011-01-01", Purchase), ("a", "2011-03-01", Return)]);
        assert_eq!(
            (window.days, window.source, window.store_gap_days),
            (30, ActiveWindowSource::Minimum, None)
        );
        let empty = OrderBook::default();
        assert_eq!(
            ActiveWindow::store_default(&empty, &empty.customer_orders()).days,
            30
        );
    }

    #[test]
    fn bad_windows_and_ranges_are_explained() {
        for days in [0.0, -3.0, 2.5, f64::NAN] {
            let error = ActiveWindow::chosen(days).unwrap_err();
            assert!(error.to_string().contains("at least 1"), "{error}");
        }
        let book = book(&[("a", "2011-01-01", Purchase)]);
        let grouped = book.customer_orders();
        let zero = ActiveWindow {
            days: 0,
            source: ActiveWindowSource::Chosen,
            store_gap_days: None,
        };
        assert!(retention_rates(&book, &grouped, Period::Month, zero).is_err());
        let error = retention_between(&book, &grouped, Day(10), Day(5), 365).unwrap_err();
        assert!(error.to_string().contains("must not come after"), "{error}");
    }
}
