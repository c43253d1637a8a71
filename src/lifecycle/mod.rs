//! Lifecycle stages: where each customer stands at a date, judged against their own rhythm.
//!
//! Only purchases count (returns are not purchases), and only purchases on or before the date:
//! a stage at a past date is what the store could have known then. Several purchases on one
//! day are one *visit*: rhythms are measured between distinct purchase days.
//!
//! # The rules
//!
//! For a customer with at least one purchase on or before day `t`:
//! - **typical gap** `g`: the median of the gaps between the customer's consecutive purchase
//!   days up to `t`; for a customer with a single purchase day, the **store's gap** (the median
//!   of the typical gaps of all customers with two or more purchase days up to `t`, or
//!   [`LifecycleRules::store_gap_days`] when set, or [`DEFAULT_STORE_GAP_DAYS`] when no customer
//!   has bought twice). Never less than [`LifecycleRules::min_typical_gap_days`], so that two
//!   orders a day apart do not make someone "at risk" two days later.
//! - `since` = days from the last purchase to `t`.
//!
//! Checked in order, the first that holds wins:
//! 1. **lapsed**: `since > lapsed_multiplier × g` (default 4 × g);
//! 2. **at risk**: `since > at_risk_multiplier × g` (default 2 × g);
//! 3. **new**: a single purchase day so far (and not yet at risk);
//! 4. **won back**: the gap before the last purchase was a lapse —
//!    `last gap > lapsed_multiplier × g_before`, where `g_before` is the typical gap computed
//!    from the purchases before the last one (the store's gap when there was only one) — and
//!    they are not yet at risk again;
//! 5. **active**: every other repeat customer who is within their rhythm.
//!
//! Customers without a purchase by `t` have no stage.

pub mod export;
pub mod report;

use crate::message::{Code, Expected, Message, Rule};
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::book::{CustomerOrders, OrderBook, OrderKind};
pub use export::{stage_csv, stage_customers};
pub use report::{
    ComebackShare, KaplanMeier, KaplanMeierStep, LifecycleOptions, LifecycleReport, SecondPurchase,
    SecondPurchaseBin, SeriesPoint, Transitions, kaplan_meier, lifecycle_report,
};

/// The store's gap used when no customer has bought on two different days.
pub const DEFAULT_STORE_GAP_DAYS: f64 = 30.0;

/// Where a customer stands in their relationship with the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    New,
    Active,
    AtRisk,
    Lapsed,
    WonBack,
}

impl Stage {
    /// Every stage, in the order results list them.
    pub const ALL: [Stage; 5] = [
        Stage::New,
        Stage::Active,
        Stage::AtRisk,
        Stage::Lapsed,
        Stage::WonBack,
    ];

    /// The name used in JSON results and CSV exports.
    pub fn name(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Active => "active",
            Stage::AtRisk => "at_risk",
            Stage::Lapsed => "lapsed",
            Stage::WonBack => "won_back",
        }
    }

    /// Position in [`Stage::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl FromStr for Stage {
    type Err = LifecycleError;

    /// Accepts `at_risk`, `atRisk`, `at-risk` and `At risk` alike.
    fn from_str(text: &str) -> Result<Stage, LifecycleError> {
        let key: String = text
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .collect::<String>()
            .to_ascii_lowercase();
        Stage::ALL
            .into_iter()
            .find(|stage| stage.name().replace('_', "") == key)
            .ok_or_else(|| LifecycleError::UnknownStage(text.to_string()))
    }
}

/// Why a lifecycle analysis could not run.
#[derive(Clone, Debug, PartialEq)]
pub enum LifecycleError {
    /// A rule option is out of range; carries the option name, value and what is allowed.
    InvalidRule {
        option: &'static str,
        value: f64,
        expected: Expected,
    },
    UnknownStage(String),
    /// No date was given and the data has no orders to take one from.
    NoOrders,
}

impl fmt::Display for LifecycleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LifecycleError::InvalidRule {
                option,
                value,
                expected,
            } => write!(f, "invalid {option} {value}: it must be {expected}"),
            LifecycleError::UnknownStage(name) => write!(
                f,
                "invalid stage '{name}': use 'new', 'active', 'at_risk', 'lapsed' or 'won_back'"
            ),
            LifecycleError::NoOrders => write!(
                f,
                "the data has no orders, so there is no date to place customers at: \
                 load orders or give as_of"
            ),
        }
    }
}

impl std::error::Error for LifecycleError {}

impl From<LifecycleError> for Message {
    fn from(error: LifecycleError) -> Message {
        let text = error.to_string();
        match error {
            LifecycleError::InvalidRule {
                option,
                value,
                expected,
            } => Message::new(Code::LIFECYCLE_INVALID_RULE, text)
                .with("name", option)
                .with("given", value)
                .expecting(expected),
            LifecycleError::UnknownStage(given) => {
                Message::new(Code::UNKNOWN_STAGE, text).with("given", given)
            }
            LifecycleError::NoOrders => Message::new(Code::LIFECYCLE_NO_ORDERS, text),
        }
    }
}

/// The tunable parts of the rules (see the module documentation).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleRules {
    /// At risk when the days since the last purchase exceed this many typical gaps.
    pub at_risk_multiplier: f64,
    /// Lapsed when the days since the last purchase exceed this many typical gaps.
    pub lapsed_multiplier: f64,
    /// Floor of every typical gap, in days.
    pub min_typical_gap_days: f64,
    /// The store's gap in days, when the store knows its own buying cycle; `None` measures it.
    pub store_gap_days: Option<f64>,
}

impl Default for LifecycleRules {
    fn default() -> LifecycleRules {
        LifecycleRules {
            at_risk_multiplier: 2.0,
            lapsed_multiplier: 4.0,
            min_typical_gap_days: 7.0,
            store_gap_days: None,
        }
    }
}

impl LifecycleRules {
    /// Checks that the rules can order customers sensibly.
    pub fn validate(&self) -> Result<(), LifecycleError> {
        let invalid = |option, value, expected| {
            Err(LifecycleError::InvalidRule {
                option,
                value,
                expected,
            })
        };
        if !(self.at_risk_multiplier.is_finite() && self.at_risk_multiplier > 0.0) {
            return invalid(
                "at_risk_multiplier",
                self.at_risk_multiplier,
                Expected::with(&Rule::NUMBER_ABOVE, 0.0, f64::NAN),
            );
        }
        if !(self.lapsed_multiplier.is_finite()
            && self.lapsed_multiplier >= self.at_risk_multiplier)
        {
            return invalid(
                "lapsed_multiplier",
                self.lapsed_multiplier,
                Expected::at_least("at_risk_multiplier"),
            );
        }
        if !(self.min_typical_gap_days.is_finite() && self.min_typical_gap_days >= 0.0) {
            return invalid(
                "min_typical_gap_days",
                self.min_typical_gap_days,
                Expected::with(&Rule::DAYS_AT_LEAST, 0.0, f64::NAN),
            );
        }
        if let Some(days) = self.store_gap_days
            && !(days.is_finite() && days > 0.0)
        {
            return invalid(
                "store_gap_days",
                days,
                Expected::with(&Rule::NUMBER_ABOVE, 0.0, f64::NAN),
            );
        }
        Ok(())
    }
}

/// Each customer's distinct purchase days with what the rules need at each of them, built once
/// so that stages at many dates cost a binary search per customer and date.
#[derive(Clone, Debug)]
pub struct PurchaseRhythm {
    /// Customer `c`'s entries are `offsets[c]..offsets[c + 1]`.
    offsets: Vec<u32>,
    /// Distinct purchase days, ascending per customer.
    days: Vec<i32>,
    /// Purchases (orders) on or before each day.
    orders_through: Vec<u32>,
    /// Median gap between consecutive purchase days up to and including each day (NaN at a
    /// customer's first day, which has no gap yet).
    gap_median: Vec<f64>,
    /// Per customer of a filtered book: whether they bought before their first purchase in it
    /// (see [`OrderBook::acquisition`]), which makes them a returning customer, never a new one.
    /// Empty for a book that is its own whole history.
    bought_before: Vec<bool>,
}

impl PurchaseRhythm {
    /// One pass over each customer's day-sorted orders.
    pub fn new(book: &OrderBook, by_customer: &CustomerOrders) -> PurchaseRhythm {
        let customers = by_customer.customer_count();
        let mut rhythm = PurchaseRhythm {
            offsets: Vec::with_capacity(customers + 1),
            days: Vec::new(),
            orders_through: Vec::new(),
            gap_median: Vec::new(),
            bought_before: Vec::new(),
        };
        rhythm.offsets.push(0);
        let mut sorted_gaps: Vec<i32> = Vec::new();
        for c in 0..customers {
            sorted_gaps.clear();
            let mut orders = 0u32;
            for &i in by_customer.of(c) {
                let i = i as usize;
                if book.kind[i] != OrderKind::Purchase {
                    continue;
                }
                orders += 1;
                let day = book.day[i];
                let start = *rhythm.offsets.last().unwrap() as usize;
                match rhythm.days.last() {
                    Some(&previous) if rhythm.days.len() > start && previous == day => {
                        *rhythm.orders_through.last_mut().unwrap() = orders;
                    }
                    _ => {
                        if rhythm.days.len() > start {
                            let gap = day - rhythm.days[rhythm.days.len() - 1];
                            let at = sorted_gaps.partition_point(|&g| g <= gap);
                            sorted_gaps.insert(at, gap);
                        }
                        rhythm.days.push(day);
                        rhythm.orders_through.push(orders);
                        rhythm.gap_median.push(median_of_sorted(&sorted_gaps));
                    }
                }
            }
            let start = *rhythm.offsets.last().unwrap() as usize;
            if let Some(acquired) = &book.acquisition {
                let first_here = rhythm.days.get(start).copied().unwrap_or(i32::MAX);
                rhythm.bought_before.push(acquired[c] < first_here);
            }
            rhythm.offsets.push(rhythm.days.len() as u32);
        }
        rhythm
    }

    pub fn customer_count(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Absolute index of customer `c`'s first purchase day, and of their last one on or
    /// before `t`; `None` when they had not bought by `t`.
    fn position_at(&self, c: usize, t: i32) -> Option<(usize, usize)> {
        let start = self.offsets[c] as usize;
        let end = self.offsets[c + 1] as usize;
        let through = self.days[start..end].partition_point(|&d| d <= t);
        (through > 0).then(|| (start, start + through - 1))
    }

    /// Customer `c`'s distinct purchase days, ascending.
    pub fn days_of(&self, c: usize) -> &[i32] {
        &self.days[self.offsets[c] as usize..self.offsets[c + 1] as usize]
    }

    /// The store's gap at `t`: the median of the typical gaps of customers with two or more
    /// purchase days by `t`, unless the rules fix it; see the module documentation.
    pub fn store_gap_at(&self, t: i32, rules: &LifecycleRules) -> f64 {
        rules
            .store_gap_days
            .or_else(|| self.measured_store_gap_at(t))
            .unwrap_or(DEFAULT_STORE_GAP_DAYS)
    }

    /// The median of the typical gaps of customers with two or more purchase days by `t`;
    /// `None` when nobody had bought on two different days. The retention rates take their
    /// default activity window from it, so "active" follows the same rhythm as the stages.
    pub fn measured_store_gap_at(&self, t: i32) -> Option<f64> {
        let mut typical: Vec<f64> = (0..self.customer_count())
            .filter_map(|c| {
                let (first, last) = self.position_at(c, t)?;
                (last > first).then(|| self.gap_median[last])
            })
            .collect();
        median(&mut typical)
    }

    /// Customer `c`'s stage and the figures behind it at day `t`, given the store's gap then.
    pub fn status(
        &self,
        c: usize,
        t: i32,
        store_gap_days: f64,
        rules: &LifecycleRules,
    ) -> Option<CustomerStatus> {
        let (first, last) = self.position_at(c, t)?;
        Some(self.status_at(c, first, last, t, store_gap_days, rules))
    }

    /// The status at `t` of customer `c`, whose purchase days start at absolute index `first`
    /// and whose last purchase day on or before `t` is at `last`. Inlined: a series counts
    /// stages for every customer at every date and reads the stage alone.
    #[inline(always)]
    fn status_at(
        &self,
        c: usize,
        first: usize,
        last: usize,
        t: i32,
        store_gap_days: f64,
        rules: &LifecycleRules,
    ) -> CustomerStatus {
        let floor = |gap: f64| gap.max(rules.min_typical_gap_days);
        let own_rhythm = last > first;
        let typical_gap = floor(if own_rhythm {
            self.gap_median[last]
        } else {
            store_gap_days
        });
        let since = t - self.days[last];
        let since_f = f64::from(since);
        let stage = if since_f > rules.lapsed_multiplier * typical_gap {
            Stage::Lapsed
        } else if since_f > rules.at_risk_multiplier * typical_gap {
            Stage::AtRisk
        } else if !own_rhythm && !self.bought_before.get(c).copied().unwrap_or(false) {
            Stage::New
        } else if !own_rhythm {
            Stage::Active
        } else {
            let last_gap = f64::from(self.days[last] - self.days[last - 1]);
            let gap_before = floor(if last - 1 > first {
                self.gap_median[last - 1]
            } else {
                store_gap_days
            });
            if last_gap > rules.lapsed_multiplier * gap_before {
                Stage::WonBack
            } else {
                Stage::Active
            }
        };
        CustomerStatus {
            stage,
            last_purchase: self.days[last],
            days_since_last_purchase: since,
            orders: self.orders_through[last],
            purchase_days: (last - first + 1) as u32,
            typical_gap_days: typical_gap,
            own_rhythm,
        }
    }

    /// The store's gap and the customers per stage at each of the ascending `dates`, as
    /// [`PurchaseRhythm::snapshot`] at each would count them, in one pass over the purchase days.
    ///
    /// Between two purchase days a customer's stage changes at most twice, where the days since
    /// the last purchase pass the at-risk and the lapsed thresholds; with their own typical gap
    /// these are known days, counted as changes at the dates they fall on. What depends on the
    /// store's gap, which moves from date to date, is counted per date instead, over small
    /// tables: customers with one purchase day by their day (and whether they bought before a
    /// filter's range), and those in their second purchase day's first weeks (won back or
    /// active) by the gap before it. So the work grows with the purchase days and the dates, not
    /// with their product.
    pub fn stages_at_dates(&self, dates: &[i32], rules: &LifecycleRules) -> Vec<(f64, [u32; 5])> {
        let n = dates.len();
        let Some(&first_day) = self.days.iter().min() else {
            return dates
                .iter()
                .map(|_| (self.store_gap_at(0, rules), [0; 5]))
                .collect();
        };
        let last_day = self.days.iter().copied().max().unwrap_or(first_day);
        let floor = |gap: f64| gap.max(rules.min_typical_gap_days);
        // The first date on or after a day (n: none).
        let date_index = |day: i32| dates.partition_point(|&d| d < day);
        // The first date at which `since` days after `day` exceed `limit`.
        let date_beyond = |day: i32, limit: f64| {
            let mut since = limit.max(0.0).floor().min(f64::from(i32::MAX / 2)) as i32;
            while f64::from(since) <= limit {
                since += 1;
            }
            date_index(day.saturating_add(since))
        };
        let mut stage_changes = vec![[0i32; 5]; n + 1];
        let mut change = |from: usize, to: usize, stage: Stage| {
            if from < to {
                stage_changes[from][stage.index()] += 1;
                stage_changes[to][stage.index()] -= 1;
            }
        };
        // Events per date, (what, +1 or −1, where): typical gaps entering and leaving the
        // store's median (by half day); one-day customers (by day since the first, and whether
        // they bought before) and second-day ones in their first weeks (by the gap before that
        // day) entering and leaving the per-date tables.
        const GAP: u8 = 0;
        const ONE_DAY: u8 = 1;
        const ONE_DAY_BOUGHT_BEFORE: u8 = 2;
        const SECOND_DAY: u8 = 3;
        let mut events: Vec<Vec<(u8, i8, u32)>> = vec![Vec::new(); n + 1];
        let mut enter = |what: u8, place: u32, from: usize, to: usize| {
            events[from].push((what, 1, place));
            events[to].push((what, -1, place));
        };
        let (lapsed, at_risk) = (rules.lapsed_multiplier, rules.at_risk_multiplier);
        for c in 0..self.customer_count() {
            let first = self.offsets[c] as usize;
            let end = self.offsets[c + 1] as usize;
            for last in first..end {
                let day = self.days[last];
                let from = date_index(day);
                let to = self
                    .days
                    .get(last + 1)
                    .filter(|_| last + 1 < end)
                    .map_or(n, |&d| date_index(d));
                if from >= to {
                    continue;
                }
                if last == first {
                    let bought_before = self.bought_before.get(c).copied().unwrap_or(false);
                    let what = if bought_before {
                        ONE_DAY_BOUGHT_BEFORE
                    } else {
                        ONE_DAY
                    };
                    enter(what, (day - first_day) as u32, from, to);
                    continue;
                }
                enter(
                    GAP,
                    HalfDayCounts::slot(self.gap_median[last]) as u32,
                    from,
                    to,
                );
                let typical_gap = floor(self.gap_median[last]);
                let lapsed_from = date_beyond(day, lapsed * typical_gap).clamp(from, to);
                let at_risk_from = date_beyond(day, at_risk * typical_gap).clamp(from, lapsed_from);
                change(lapsed_from, to, Stage::Lapsed);
                change(at_risk_from, lapsed_from, Stage::AtRisk);
                let last_gap = day - self.days[last - 1];
                if last - 1 > first {
                    let won_back = f64::from(last_gap) > lapsed * floor(self.gap_median[last - 1]);
                    change(
                        from,
                        at_risk_from,
                        if won_back {
                            Stage::WonBack
                        } else {
                            Stage::Active
                        },
                    );
                } else if from < at_risk_from {
                    enter(SECOND_DAY, last_gap as u32, from, at_risk_from);
                }
            }
        }
        let mut typical = HalfDayCounts::new(&self.gap_median);
        let span = (last_day - first_day) as usize + 1;
        // One-day customers per day since the first day, [never bought before, bought before].
        let mut one_day = vec![[0i32; 2]; span];
        // Second-day customers in their first weeks per gap before the second day.
        let mut second = vec![0i32; span];
        let mut counts = [0i32; 5];
        let mut points = Vec::with_capacity(n);
        for (i, &t) in dates.iter().enumerate() {
            for &(what, step, place) in &events[i] {
                let place = place as usize;
                let count = match what {
                    GAP => &mut typical.counts[place],
                    ONE_DAY => &mut one_day[place][0],
                    ONE_DAY_BOUGHT_BEFORE => &mut one_day[place][1],
                    _ => &mut second[place],
                };
                *count += i32::from(step);
                if what == GAP {
                    typical.total += i32::from(step);
                }
            }
            for (count, change) in counts.iter_mut().zip(stage_changes[i]) {
                *count += change;
            }
            let store_gap_days = rules
                .store_gap_days
                .or_else(|| typical.median())
                .unwrap_or(DEFAULT_STORE_GAP_DAYS);
            let store_gap = floor(store_gap_days);
            let mut at_date = counts;
            for (offset, &[never, before]) in one_day.iter().enumerate() {
                let since = f64::from(t - first_day - offset as i32);
                if since > lapsed * store_gap {
                    at_date[Stage::Lapsed.index()] += never + before;
                } else if since > at_risk * store_gap {
                    at_date[Stage::AtRisk.index()] += never + before;
                } else {
                    at_date[Stage::New.index()] += never;
                    at_date[Stage::Active.index()] += before;
                }
            }
            for (gap, &customers) in second.iter().enumerate() {
                let won_back = gap as f64 > lapsed * store_gap;
                let stage = if won_back {
                    Stage::WonBack
                } else {
                    Stage::Active
                };
                at_date[stage.index()] += customers;
            }
            points.push((store_gap_days, at_date.map(|count| count as u32)));
        }
        points
    }

    /// Every customer's status at `t`.
    pub fn snapshot(&self, t: i32, rules: &LifecycleRules) -> StageSnapshot {
        let store_gap_days = self.store_gap_at(t, rules);
        StageSnapshot {
            as_of: t,
            store_gap_days,
            statuses: (0..self.customer_count())
                .map(|c| self.status(c, t, store_gap_days, rules))
                .collect(),
        }
    }
}

/// A customer's stage at a date, with the figures the rules used.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerStatus {
    pub stage: Stage,
    pub last_purchase: i32,
    pub days_since_last_purchase: i32,
    /// Purchases (orders) on or before the date.
    pub orders: u32,
    /// Distinct days with a purchase on or before the date.
    pub purchase_days: u32,
    /// The gap the rules measured `days_since_last_purchase` against (after the floor).
    pub typical_gap_days: f64,
    /// True when the typical gap is the customer's own, false when it is the store's.
    pub own_rhythm: bool,
}

/// Every customer's status at one date.
#[derive(Clone, Debug, PartialEq)]
pub struct StageSnapshot {
    pub as_of: i32,
    pub store_gap_days: f64,
    /// Indexed by customer; `None` for customers without a purchase by `as_of`.
    pub statuses: Vec<Option<CustomerStatus>>,
}

impl StageSnapshot {
    /// Customers per stage, in the order of [`Stage::ALL`].
    pub fn counts(&self) -> [u32; 5] {
        let mut counts = [0u32; 5];
        for status in self.statuses.iter().flatten() {
            counts[status.stage.index()] += 1;
        }
        counts
    }
}

/// Every customer's stage at `as_of`.
pub fn stage_snapshot(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    as_of: i32,
    rules: &LifecycleRules,
) -> Result<StageSnapshot, LifecycleError> {
    rules.validate()?;
    Ok(PurchaseRhythm::new(book, by_customer).snapshot(as_of, rules))
}

/// Median of sorted whole-day gaps (NaN when there are none).
fn median_of_sorted(sorted: &[i32]) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => f64::from(sorted[n / 2]),
        n => (f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0,
    }
}

/// Median of a list of numbers (reordered in place); `None` when empty.
/// A multiset of typical gaps, counted per half day (a median of whole-day gaps is a whole or a
/// half day), whose median is read without sorting: the series' store gap at each date, as
/// customers' typical gaps come and go, in one walk over the counts instead of a selection
/// over every customer.
struct HalfDayCounts {
    counts: Vec<i32>,
    total: i32,
}

impl HalfDayCounts {
    /// Room for every gap of `gaps` (NaN, a first day's, ignored).
    fn new(gaps: &[f64]) -> HalfDayCounts {
        let largest = gaps
            .iter()
            .copied()
            .filter(|g| g.is_finite())
            .fold(0.0, f64::max);
        HalfDayCounts {
            counts: vec![0; Self::slot(largest) + 1],
            total: 0,
        }
    }

    /// Where `gap` is counted.
    fn slot(gap: f64) -> usize {
        (gap * 2.0) as usize
    }

    /// As [`median`] of the gaps counted.
    fn median(&self) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        // The gaps of rank ⌊(n−1)/2⌋ and ⌊n/2⌋ in ascending order (the same one when n is odd).
        let (low_rank, high_rank) = ((self.total - 1) / 2, self.total / 2);
        let mut below = 0;
        let mut low = None;
        for (slot, &count) in self.counts.iter().enumerate() {
            below += count;
            let gap = slot as f64 / 2.0;
            if low.is_none() && below > low_rank {
                low = Some(gap);
            }
            if below > high_rank {
                return low.map(|low| (low + gap) / 2.0);
            }
        }
        None
    }
}

pub(crate) fn median(values: &mut [f64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let (below, middle, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    let middle = *middle;
    if n % 2 == 1 {
        return Some(middle);
    }
    let lower = below.iter().copied().max_by(f64::total_cmp)?;
    Some((lower + middle) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{book, day};

    use OrderKind::{Purchase, Return};

    fn stage_of(book: &OrderBook, customer: &str, t: i32, rules: &LifecycleRules) -> Option<Stage> {
        let c = book.customer_ids.iter().position(|id| id == customer)?;
        let snapshot = stage_snapshot(book, &book.customer_orders(), t, rules).unwrap();
        snapshot.statuses[c].as_ref().map(|s| s.stage)
    }

    #[test]
    fn medians_of_even_and_odd_lists() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0]), Some(3.0));
        assert_eq!(median(&mut [9.0, 1.0, 4.0]), Some(4.0));
        assert_eq!(median(&mut [9.0, 1.0, 4.0, 2.0]), Some(3.0));
        assert!(median_of_sorted(&[]).is_nan());
        assert_eq!(median_of_sorted(&[10, 20]), 15.0);
    }

    /// One table for the five rules. `steady` buys every 10 days (typical gap 10), so with the
    /// default multipliers it is at risk after 20 days and lapsed after 40.
    #[test]
    fn each_rule_in_order() {
        let steady = [
            ("steady", 0),
            ("steady", 10),
            ("steady", 20),
            ("steady", 30),
        ];
        // A store gap of 10 from `steady` (the only repeat customer besides `back`, whose
        // typical gap is larger); `once` is judged against the store's gap.
        let mut orders = steady.to_vec();
        orders.extend([("once", 25)]);
        // `back` bought on days 0 and 10, went quiet, and came back on day 100: the gap of 90
        // exceeds 4 × 10, the rhythm before it.
        orders.extend([("back", 0), ("back", 10), ("back", 100)]);
        let book = book(&orders);
        let rules = LifecycleRules::default();
        let cases = [
            // (customer, day, expected stage)
            ("steady", 29, Some(Stage::Active)),
            ("steady", 50, Some(Stage::Active)),
            ("steady", 51, Some(Stage::AtRisk)),
            ("steady", 70, Some(Stage::AtRisk)),
            ("steady", 71, Some(Stage::Lapsed)),
            ("once", 24, None),
            ("once", 25, Some(Stage::New)),
            ("back", 100, Some(Stage::WonBack)),
            ("back", 60, Some(Stage::Lapsed)),
        ];
        for (customer, t, expected) in cases {
            assert_eq!(
                stage_of(&book, customer, t, &rules),
                expected,
                "{customer} at day {t}"
            );
        }
    }

    #[test]
    fn new_customers_follow_the_store_gap_and_won_back_fades_to_at_risk() {
        // Store gap: customers a (gap 20) and b (gap 40) → median 30.
        let book = book(&[("a", 0), ("a", 20), ("b", 0), ("b", 40), ("n", 100)]);
        let rules = LifecycleRules::default();
        let snapshot = stage_snapshot(&book, &book.customer_orders(), 150, &rules).unwrap();
        assert_eq!(snapshot.store_gap_days, 30.0);
        let cases = [
            (100 + 60, Stage::New),
            (100 + 61, Stage::AtRisk),
            (100 + 121, Stage::Lapsed),
        ];
        for (t, expected) in cases {
            assert_eq!(stage_of(&book, "n", t, &rules), Some(expected), "day {t}");
        }
        // b's only gap (40) is judged against the store's gap at day 40 (30, from a's 20 and
        // b's own 40): not above 4 × 30, so b is active, not won back.
        assert_eq!(stage_of(&book, "b", 40, &rules), Some(Stage::Active));
    }

    #[test]
    fn a_lapse_after_a_single_purchase_is_judged_against_the_store_gap() {
        let book = book(&[("a", 0), ("a", 5), ("a", 10), ("w", 0), ("w", 200)]);
        let rules = LifecycleRules::default();
        // Store gap at 200: a's typical gap 5, w's 200 → median 102.5; w's gap before the
        // comeback is the store's, floored at 7: 200 < 4 × 102.5, so w is active...
        assert_eq!(stage_of(&book, "w", 200, &rules), Some(Stage::Active));
        // ...unless the store says its cycle is 30 days: 200 > 4 × 30.
        let fixed = LifecycleRules {
            store_gap_days: Some(30.0),
            ..LifecycleRules::default()
        };
        assert_eq!(stage_of(&book, "w", 200, &fixed), Some(Stage::WonBack));
    }

    #[test]
    fn the_floor_keeps_quick_reorders_from_looking_at_risk() {
        let book = book(&[("q", 0), ("q", 1), ("q", 2)]);
        let rules = LifecycleRules::default();
        // Typical gap 1, floored at 7: at risk only after 14 days.
        assert_eq!(stage_of(&book, "q", 16, &rules), Some(Stage::Active));
        assert_eq!(stage_of(&book, "q", 17, &rules), Some(Stage::AtRisk));
        let no_floor = LifecycleRules {
            min_typical_gap_days: 0.0,
            ..LifecycleRules::default()
        };
        assert_eq!(stage_of(&book, "q", 5, &no_floor), Some(Stage::AtRisk));
        assert_eq!(stage_of(&book, "q", 7, &no_floor), Some(Stage::Lapsed));
    }

    #[test]
    fn same_day_orders_are_one_visit_and_returns_do_not_count() {
        let book = OrderBook::from_orders([
            (Some("a"), day("2011-01-01"), 5.0, Purchase),
            (Some("a"), day("2011-01-01"), 7.0, Purchase),
            (Some("a"), day("2011-01-20"), -7.0, Return),
        ]);
        let snapshot = stage_snapshot(
            &book,
            &book.customer_orders(),
            day("2011-01-20"),
            &LifecycleRules::default(),
        )
        .unwrap();
        let status = snapshot.statuses[0].as_ref().unwrap();
        assert_eq!(status.stage, Stage::New);
        assert_eq!((status.orders, status.purchase_days), (2, 1));
        assert_eq!(status.last_purchase, day("2011-01-01"));
        assert_eq!(status.days_since_last_purchase, 19);
        assert!(!status.own_rhythm);
        assert_eq!(status.typical_gap_days, DEFAULT_STORE_GAP_DAYS);
    }

    #[test]
    fn stage_names_parse_in_any_spelling_and_rules_are_checked() {
        for (text, stage) in [
            ("at_risk", Stage::AtRisk),
            ("atRisk", Stage::AtRisk),
            ("Won back", Stage::WonBack),
            ("NEW", Stage::New),
        ] {
            assert_eq!(text.parse::<Stage>(), Ok(stage));
        }
        let error = "sleepy".parse::<Stage>().unwrap_err();
        assert!(error.to_string().contains("'at_risk'"), "{error}");
        let rules = LifecycleRules {
            lapsed_multiplier: 1.0,
            ..LifecycleRules::default()
        };
        let error = rules.validate().unwrap_err();
        assert!(
            error.to_string().contains("at least at_risk_multiplier"),
            "{error}"
        );
        let rules = LifecycleRules {
            store_gap_days: Some(-3.0),
            ..LifecycleRules::default()
        };
        assert!(rules.validate().is_err());
    }
}
