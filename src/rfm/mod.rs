//! RFM analysis: how recently, how often and how much each customer buys, scored and mapped to
//! the named segments a store acts on.
//!
//! # Definitions (pinned by the tests in this module and in `tests/rfm.rs`)
//!
//! - **as of**: a day; defaults to the last order day in the book. Orders after it are ignored,
//!   so an as-of date in the past shows the picture on that date.
//! - Scored customers: those with at least one purchase on or before the as-of day. Customers with
//!   only returns are not scored but counted (`customers_returns_only`); customers whose first
//!   order is after the as-of day are counted too (`customers_after_as_of`), so scored +
//!   returns-only + after-as-of = customers in the book.
//! - **recency_days** = as-of day − day of the last purchase (returns do not count as activity).
//! - **frequency** = number of purchases.
//! - **monetary** = net value of all the customer's orders: purchases plus returns, whose values
//!   are negative in the book ([`MonetaryMode::Total`]); or that net value divided by the number of
//!   purchases, the average order value ([`MonetaryMode::Average`]). Sums are rounded to millionths
//!   so that float noise (0.1 + 0.2) never splits a tie, and a fully returned purchase is exactly 0.
//! - **Scores** 1..=bins (bins 3–10, default 5), 5 = best (smallest recency, largest frequency
//!   and monetary): equal-frequency bins over the customers' ranks with ties sharing a score; the
//!   rule is in [`ranking`] — a tied group gets `1 + floor(bins × first / n)` where
//!   `first` is the 0-based rank of its worst-placed member (customers ranked worst to best).
//! - **Segments**: an ordered rule table over scores on the 1–5 scale, first match wins
//!   ([`segments::standard_rules`]). With bins ≠ 5 each score is first rescaled to 1–5 by its bin
//!   centre ([`ranking::rescale_to_five`]).
//! - **Quartile view**: the quartile score is the same scoring with 4 bins. VIP = quartile 4 on R,
//!   F and M; reactivate = quartile 4 on F and M, quartile 1 on R. Because a tied group takes the
//!   score of its worst-placed member, "top 25%" never holds more than a quarter of the customers,
//!   while "bottom 25%" holds at least a quarter (the whole tied group that starts in it).

pub mod export;
pub mod ranking;
pub mod segments;
pub mod summary;

use crate::day::Day;
use crate::message::{Code, Message};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::book::{ANONYMOUS, OrderBook, OrderKind};
use crate::lean_vec::first_entries;

pub use export::{CSV_HEADER, RowFilter, write_csv};
pub use ranking::{rescale_to_five, score_at};
pub use segments::{RuleTable, SEGMENTS, SegmentInfo, SegmentRule, segment_info, standard_rules};
pub use summary::{RfmSummary, summarize};

pub const DEFAULT_BINS: u32 = 5;
pub const MIN_BINS: u32 = 3;
pub const MAX_BINS: u32 = 10;

/// What the monetary value of a customer is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MonetaryMode {
    /// Net value of all the customer's orders.
    #[default]
    Total,
    /// Net value divided by the number of purchases.
    Average,
}

/// Options of an RFM run; every field has a default.
#[derive(Clone, Debug, PartialEq)]
pub struct RfmOptions {
    /// Day to measure from (days since 1970-01-01); `None` = the last order day in the book.
    pub as_of: Option<Day>,
    /// Number of score bins, 3..=10.
    pub bins: u32,
    pub monetary: MonetaryMode,
    /// A replacement for the standard rule table.
    pub rules: Option<Vec<SegmentRule>>,
}

impl Default for RfmOptions {
    fn default() -> RfmOptions {
        RfmOptions {
            as_of: None,
            bins: DEFAULT_BINS,
            monetary: MonetaryMode::Total,
            rules: None,
        }
    }
}

/// Membership in the quartile view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuartileGroup {
    /// Top 25% on recency, frequency and monetary.
    Vip,
    /// Top 25% on frequency and monetary, bottom 25% on recency.
    Reactivate,
}

impl QuartileGroup {
    /// The code used in per-customer columns: 0 = neither, 1 = VIP, 2 = reactivate.
    pub fn code(group: Option<QuartileGroup>) -> u8 {
        match group {
            None => 0,
            Some(QuartileGroup::Vip) => 1,
            Some(QuartileGroup::Reactivate) => 2,
        }
    }
}

/// Why an RFM run could not be done; every message says what to change.
#[derive(Clone, Debug, PartialEq)]
pub enum RfmError {
    InvalidBins {
        given: String,
    },
    NoOrders,
    EmptyRules,
    TooManyRules {
        count: usize,
    },
    EmptySegmentName {
        rule: usize,
    },
    RuleRange {
        rule: usize,
        segment: String,
        dimension: char,
        min: i64,
        max: i64,
    },
    Uncovered {
        r: u8,
        f: u8,
        m: u8,
        others: usize,
    },
    UnknownSegment {
        given: String,
        known: Vec<String>,
    },
    Export {
        reason: String,
    },
}

impl fmt::Display for RfmError {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RfmError::InvalidBins { given } => {
                write!(
                    out,
                    "bins must be a whole number from {MIN_BINS} to {MAX_BINS} (got {given})"
                )
            }
            RfmError::NoOrders => write!(
                out,
                "there are no orders to measure recency from: load a file with orders, or give an as_of date"
            ),
            RfmError::EmptyRules => write!(
                out,
                "the rule table is empty: give at least one rule, or leave `rules` out to use the standard table"
            ),
            RfmError::TooManyRules { count } => write!(
                out,
                "the rule table has {count} rules; at most 125 (one per score combination) make sense"
            ),
            RfmError::EmptySegmentName { rule } => {
                write!(
                    out,
                    "rule {rule}: the segment name is empty; name the segment the rule assigns"
                )
            }
            RfmError::RuleRange {
                rule,
                segment,
                dimension,
                min,
                max,
            } => write!(
                out,
                "rule {rule} ({segment}): {dimension} range [{min}, {max}] must be two scores from 1 to 5, \
                 the smaller first, e.g. [4, 5]"
            ),
            RfmError::Uncovered { r, f, m, others } => {
                write!(out, "no rule catches R={r} F={f} M={m}")?;
                if *others > 0 {
                    write!(out, " (and {others} other combinations)")?;
                }
                write!(
                    out,
                    ": widen a rule, or end the table with a catch-all such as \
                     {{ segment: 'Hibernating', r: [1, 5], f: [1, 5], m: [1, 5] }}"
                )
            }
            RfmError::UnknownSegment { given, known } => {
                write!(
                    out,
                    "unknown segment '{given}': choose one of {}",
                    known.join(", ")
                )
            }
            RfmError::Export { reason } => write!(out, "could not write the CSV: {reason}"),
        }
    }
}

impl std::error::Error for RfmError {}

impl From<RfmError> for Message {
    fn from(error: RfmError) -> Message {
        let text = error.to_string();
        match error {
            RfmError::InvalidBins { given } => Message::new(Code::RFM_INVALID_BINS, text)
                .with("given", given)
                .with("min", MIN_BINS)
                .with("max", MAX_BINS),
            RfmError::NoOrders => Message::new(Code::RFM_NO_ORDERS, text),
            RfmError::EmptyRules => Message::new(Code::RFM_EMPTY_RULES, text),
            RfmError::TooManyRules { count } => {
                Message::new(Code::RFM_TOO_MANY_RULES, text).with("count", count)
            }
            RfmError::EmptySegmentName { rule } => {
                Message::new(Code::RFM_EMPTY_SEGMENT_NAME, text).with("rule", rule)
            }
            RfmError::RuleRange {
                rule,
                segment,
                dimension,
                min,
                max,
            } => Message::new(Code::RFM_RULE_RANGE, text)
                .with("rule", rule)
                .with("segment", segment)
                .with("dimension", dimension)
                .with("min", min)
                .with("max", max),
            RfmError::Uncovered { r, f, m, others } => Message::new(Code::RFM_UNCOVERED, text)
                .with("r", r)
                .with("f", f)
                .with("m", m)
                .with("others", others),
            RfmError::UnknownSegment { given, known } => {
                Message::new(Code::RFM_UNKNOWN_SEGMENT, text)
                    .with("given", given)
                    .with("known", known.join(", "))
            }
            RfmError::Export { reason } => {
                Message::new(Code::RFM_EXPORT, text).with("detail", reason)
            }
        }
    }
}

/// Checks a number of bins given as a JS number (or any float).
pub fn bins_from_number(value: f64) -> Result<u32, RfmError> {
    let valid = value.fract() == 0.0 && (MIN_BINS as f64..=MAX_BINS as f64).contains(&value);
    if valid {
        Ok(value as u32)
    } else {
        Err(RfmError::InvalidBins {
            given: value.to_string(),
        })
    }
}

/// Per-customer RFM figures of the scored customers, as columns (position `i` describes one
/// customer; customers appear in the book's customer order).
#[derive(Clone, Debug)]
pub struct RfmTable {
    pub as_of: i32,
    pub bins: u32,
    pub monetary_mode: MonetaryMode,
    pub rules: RuleTable,
    /// Customers with returns but no purchase on or before the as-of day (not scored).
    pub customers_returns_only: u32,
    /// Customers whose first order is after the as-of day (not scored).
    pub customers_after_as_of: u32,
    /// Index into the book's `customer_ids` of each scored customer; empty when every customer
    /// of the book is scored, in order (see [`RfmTable::customer`]).
    scored_customers: Vec<u32>,
    pub recency_days: Vec<u32>,
    pub frequency: Vec<u32>,
    /// Net value of all orders (purchases + returns), whatever the monetary mode.
    pub net_value: Vec<f64>,
    /// Net value per purchase in `MonetaryMode::Average`; empty in `Total`, where the monetary
    /// value is `net_value` (see [`RfmTable::monetary`]): one column less per customer.
    average_monetary: Vec<f64>,
    pub r_score: Vec<u8>,
    pub f_score: Vec<u8>,
    pub m_score: Vec<u8>,
    /// Quartile scores (1..=4), for the quartile view.
    pub r_quartile: Vec<u8>,
    pub f_quartile: Vec<u8>,
    pub m_quartile: Vec<u8>,
    /// Index into `rules.segments()`.
    pub segment: Vec<u8>,
    /// The Pareto curve, when scoring already had the customers sorted by net value (total
    /// mode); [`summarize`] draws it otherwise.
    pub pareto: Option<summary::Pareto>,
}

impl RfmTable {
    /// Index into the book's `customer_ids` of the scored customer at position `i`.
    pub fn customer(&self, i: usize) -> u32 {
        self.scored_customers.get(i).copied().unwrap_or(i as u32)
    }

    /// The monetary value in the chosen mode, per scored customer.
    pub fn monetary(&self) -> &[f64] {
        match self.monetary_mode {
            MonetaryMode::Total => &self.net_value,
            MonetaryMode::Average => &self.average_monetary,
        }
    }

    /// Number of scored customers.
    pub fn len(&self) -> usize {
        self.recency_days.len()
    }

    pub fn is_empty(&self) -> bool {
        self.recency_days.is_empty()
    }

    /// The quartile-view group of the customer at position `i`, if any.
    pub fn quartile_group(&self, i: usize) -> Option<QuartileGroup> {
        let top_f_and_m = self.f_quartile[i] == 4 && self.m_quartile[i] == 4;
        match self.r_quartile[i] {
            4 if top_f_and_m => Some(QuartileGroup::Vip),
            1 if top_f_and_m => Some(QuartileGroup::Reactivate),
            _ => None,
        }
    }

    /// Name of the segment of the customer at position `i`.
    pub fn segment_name(&self, i: usize) -> &str {
        &self.rules.segments()[self.segment[i] as usize]
    }
}

/// Computes recency, frequency and monetary of every customer, their scores and segments.
///
/// One pass over the orders, then one radix sort per dimension: no per-customer allocation and
/// no hashing, so a million customers take tens of milliseconds.
pub fn score_customers(book: &OrderBook, options: &RfmOptions) -> Result<RfmTable, RfmError> {
    let bins = options.bins;
    if !(MIN_BINS..=MAX_BINS).contains(&bins) {
        return Err(RfmError::InvalidBins {
            given: bins.to_string(),
        });
    }
    let rules = match &options.rules {
        Some(rules) => RuleTable::new(rules.clone())?,
        None => RuleTable::standard(),
    };
    let as_of = match options.as_of {
        Some(day) => day.0,
        None => book.last_day().ok_or(RfmError::NoOrders)?,
    };

    let customers = book.customer_count();
    let mut purchases = vec![0u32; customers];
    let mut last_purchase = vec![i32::MIN; customers];
    let mut net_value = vec![0f64; customers];
    let mut has_order = vec![false; customers];
    let orders = book
        .customer
        .iter()
        .zip(&book.day)
        .zip(&book.value)
        .zip(&book.kind);
    for (((&customer, &day), &value), &kind) in orders {
        if customer == ANONYMOUS || day > as_of {
            continue;
        }
        let c = customer as usize;
        has_order[c] = true;
        net_value[c] += value;
        if kind == OrderKind::Purchase {
            purchases[c] += 1;
            last_purchase[c] = last_purchase[c].max(day);
        }
    }

    // The per-customer sums become the table's columns, compacted in place to the scored
    // customers: a file's hundreds of thousands of customers are what this costs memory for.
    let scored = purchases.iter().filter(|&&p| p > 0).count();
    // Customer numbers are stored only once a customer is left out: usually none is.
    let mut scored_customers = Vec::new();
    let mut every_customer_so_far = true;
    let mut kept = 0;
    let mut average_monetary = Vec::new();
    if options.monetary == MonetaryMode::Average {
        average_monetary.reserve_exact(scored);
    }
    let (mut customers_returns_only, mut customers_after_as_of) = (0, 0);
    for c in 0..customers {
        if purchases[c] == 0 {
            if has_order[c] {
                customers_returns_only += 1;
            } else {
                customers_after_as_of += 1;
            }
            continue;
        }
        if every_customer_so_far && kept != c {
            every_customer_so_far = false;
            scored_customers.reserve_exact(scored);
            scored_customers.extend(0..kept as u32);
        }
        if !every_customer_so_far {
            scored_customers.push(c as u32);
        }
        let net = settle(net_value[c]);
        if options.monetary == MonetaryMode::Average {
            average_monetary.push(settle(net / purchases[c] as f64));
        }
        purchases[kept] = purchases[c];
        last_purchase[kept] = last_purchase[c];
        net_value[kept] = net;
        kept += 1;
    }
    drop(has_order);
    let frequency = first_entries(purchases, scored);
    let net_value = first_entries(net_value, scored);
    let recency_days: Vec<u32> = first_entries(last_purchase, scored)
        .into_iter()
        .map(|day| (as_of as i64 - day as i64) as u32)
        .collect();
    let mut table = RfmTable {
        as_of,
        bins,
        monetary_mode: options.monetary,
        rules,
        customers_returns_only,
        customers_after_as_of,
        scored_customers,
        recency_days,
        frequency,
        net_value,
        average_monetary,
        m_score: Vec::new(),
        m_quartile: Vec::new(),
        r_score: Vec::new(),
        f_score: Vec::new(),
        r_quartile: Vec::new(),
        f_quartile: Vec::new(),
        segment: Vec::new(),
        pareto: None,
    };

    // Monetary first, while its sort is the only large scratch: the other columns are
    // allocated once it is freed.
    let mut ranker = ranking::Ranker::default();
    let (mut m_score, mut m_quartile) = (vec![0; scored], vec![0; scored]);
    ranker.score(
        scored,
        ranking::amount_key(table.monetary()),
        bins,
        &mut m_score,
        &mut m_quartile,
    );
    (table.m_score, table.m_quartile) = (m_score, m_quartile);
    if table.monetary_mode == MonetaryMode::Total
        && let Some(ascending) = ranker.sorted_positions()
    {
        let descending = ascending.rev().map(|i| table.net_value[i]);
        table.pareto = Some(summary::pareto_from_descending(
            &table.net_value,
            descending,
        ));
    }
    drop(ranker);
    for column in [
        &mut table.r_score,
        &mut table.f_score,
        &mut table.r_quartile,
        &mut table.f_quartile,
        &mut table.segment,
    ] {
        *column = vec![0; scored];
    }
    let mut ranker = ranking::Ranker::default();
    let most_recent_first = table.recency_days.iter().copied().max().unwrap_or(0);
    ranker.score(
        scored,
        |i| (most_recent_first - table.recency_days[i]) as u64,
        bins,
        &mut table.r_score,
        &mut table.r_quartile,
    );
    ranker.score(
        scored,
        |i| table.frequency[i] as u64,
        bins,
        &mut table.f_score,
        &mut table.f_quartile,
    );

    let lookup = table.rules.segment_lookup(bins);
    let bins = bins as usize;
    for (i, segment) in table.segment.iter_mut().enumerate() {
        let r = table.r_score[i] as usize - 1;
        let f = table.f_score[i] as usize - 1;
        let m = table.m_score[i] as usize - 1;
        *segment = lookup[(r * bins + f) * bins + m];
    }
    Ok(table)
}

/// Scores the customers and summarises the result: the `rfm()` of the JS API.
pub fn rfm(book: &OrderBook, options: &RfmOptions) -> Result<RfmSummary, RfmError> {
    Ok(summarize(&score_customers(book, options)?))
}

/// Rounds a sum of money to millionths, and −0 to 0, so that equal amounts compare equal.
fn settle(amount: f64) -> f64 {
    let rounded = (amount * 1e6).round() / 1e6;
    rounded + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::OrderKind::{Purchase, Return};

    fn book() -> OrderBook {
        OrderBook::from_orders([
            (Some("a"), 10, 100.0, Purchase),
            (Some("a"), 20, 50.0, Purchase),
            (Some("a"), 21, -30.0, Return),
            (Some("b"), 5, 0.1, Purchase),
            (Some("b"), 6, 0.2, Purchase),
            (Some("c"), 15, -10.0, Return),
            (None, 30, 99.0, Purchase),
            (Some("d"), 29, 40.0, Purchase),
            (Some("d"), 29, -40.0, Return),
            (Some("e"), 31, 5.0, Purchase),
        ])
    }

    #[test]
    fn customer_numbers_are_stored_only_when_one_is_left_out() {
        let all_buy = OrderBook::from_orders([
            (Some("a"), 1, 5.0, Purchase),
            (Some("b"), 2, 6.0, Purchase),
            (Some("a"), 3, 7.0, Purchase),
        ]);
        let table = score_customers(&all_buy, &RfmOptions::default()).expect("scores");
        assert!(table.scored_customers.is_empty());
        assert_eq!((table.customer(0), table.customer(1)), (0, 1));
        let first_left_out =
            OrderBook::from_orders([(Some("a"), 1, -5.0, Return), (Some("b"), 2, 6.0, Purchase)]);
        let table = score_customers(&first_left_out, &RfmOptions::default()).expect("scores");
        assert_eq!((table.len(), table.customer(0)), (1, 1));
    }

    #[test]
    fn metrics_follow_the_definitions() {
        let options = RfmOptions {
            as_of: Some(Day(30)),
            ..RfmOptions::default()
        };
        let table = score_customers(&book(), &options).expect("scores");
        // a, b, d scored; c only returned; e bought after the as-of day
        assert_eq!(
            (0..table.len())
                .map(|i| table.customer(i))
                .collect::<Vec<_>>(),
            [0, 1, 3]
        );
        assert_eq!(table.recency_days, [10, 24, 1]);
        assert_eq!(table.frequency, [2, 2, 1]);
        assert_eq!(table.monetary(), [120.0, 0.3, 0.0]);
        assert!(
            table.monetary()[2].is_sign_positive(),
            "a fully returned purchase is +0"
        );
        assert_eq!(
            (table.customers_returns_only, table.customers_after_as_of),
            (1, 1)
        );
    }

    #[test]
    fn as_of_defaults_to_the_last_order_day_and_average_divides_by_purchases() {
        let options = RfmOptions {
            monetary: MonetaryMode::Average,
            ..RfmOptions::default()
        };
        let table = score_customers(&book(), &options).expect("scores");
        assert_eq!(table.as_of, 31);
        assert_eq!(
            (0..table.len())
                .map(|i| table.customer(i))
                .collect::<Vec<_>>(),
            [0, 1, 3, 4]
        );
        assert_eq!(table.recency_days, [11, 25, 2, 0]);
        assert_eq!(table.monetary(), [60.0, 0.15, 0.0, 5.0]);
        assert_eq!(table.net_value, [120.0, 0.3, 0.0, 5.0]);
    }

    #[test]
    fn bad_options_are_refused_with_a_message() {
        for bins in [0, 2, 11, 255] {
            let options = RfmOptions {
                bins,
                ..RfmOptions::default()
            };
            let error = score_customers(&book(), &options).expect_err("bins out of range");
            assert!(error.to_string().contains("from 3 to 10"), "{error}");
        }
        assert!(bins_from_number(5.5).is_err() && bins_from_number(f64::NAN).is_err());
        assert_eq!(bins_from_number(10.0), Ok(10));
        let empty = OrderBook::from_orders([]);
        assert_eq!(
            score_customers(&empty, &RfmOptions::default()).unwrap_err(),
            RfmError::NoOrders
        );
        let table = score_customers(
            &empty,
            &RfmOptions {
                as_of: Some(Day(0)),
                ..RfmOptions::default()
            },
        );
        assert!(
            table
                .expect("an empty book with a date is an empty result")
                .is_empty()
        );
    }

    #[test]
    fn quartile_groups_come_from_quartile_scores() {
        // 8 customers: frequency and spend rise with the id, recency varies.
        let mut orders = Vec::new();
        let ids = ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"];
        let last_days = [7, 6, 5, 4, 3, 2, 10, 0];
        for (i, id) in ids.iter().enumerate() {
            for k in 0..=i {
                orders.push((Some(*id), last_days[i] - k as i32, 10.0, Purchase));
            }
        }
        let book = OrderBook::from_orders(orders);
        let table = score_customers(
            &book,
            &RfmOptions {
                as_of: Some(Day(10)),
                ..RfmOptions::default()
            },
        )
        .expect("scores");
        let groups: Vec<_> = (0..table.len()).map(|i| table.quartile_group(i)).collect();
        // c6 and c7 are the top quarter on F and M; c6 bought on the as-of day, c7 longest ago.
        let mut expected = vec![None; 8];
        expected[6] = Some(QuartileGroup::Vip);
        expected[7] = Some(QuartileGroup::Reactivate);
        assert_eq!(groups, expected);
    }
}
