//! Ready audiences: who to contact at a date, and why — lists of customers that the retention
//! playbooks act on (remind before the next order, nudge the ones who just went quiet, save the
//! valuable ones at risk, turn one-time buyers into repeat buyers, thank the VIPs, win back the
//! lapsed).
//!
//! Nothing is measured twice: stages and typical gaps come from [`crate::lifecycle`] (with the
//! lifecycle view's rules), P(alive), expected value and the median next-order date from the CLV
//! model ([`crate::clv`], calibrated at the as-of date), the VIP group from the RFM quartile view
//! ([`crate::rfm`]). This module only combines them, one rule per audience (see
//! [`definitions`] for the rules in words and `members` for them in code).
//!
//! - [`params`]: every tunable number, its default and range;
//! - [`definitions`]: names and definitions in English and Vietnamese;
//! - [`report`]: the result handed to JavaScript; [`export`]: one audience as CSV.

pub mod definitions;
pub mod export;
pub mod params;
pub mod products;
pub mod report;

use crate::book::{CustomerOrders, OrderBook};
use crate::clv::{self, ClvOptions};
use crate::day::Day;
use crate::lifecycle::{CustomerStatus, LifecycleError, LifecycleRules, PurchaseRhythm, Stage};
use crate::message::Message;
use crate::rfm::{self, QuartileGroup, RfmOptions};

pub use definitions::{DEFINITIONS, Definition};
pub use params::{PARAMS, ParamValues};
pub use products::ProductFacts;

/// Number of ready audiences.
pub const AUDIENCES: usize = DEFINITIONS.len();

/// The default priority, highest first, when each customer is kept in one audience only: the
/// valuable customers slipping away first, the customers whose next order is near last but one,
/// the thank-you (which any other message can carry) last.
pub const DEFAULT_PRIORITY: [usize; AUDIENCES] = [
    definitions::HIGH_VALUE_AT_RISK,
    definitions::JUST_SLIPPED,
    definitions::WIN_BACK,
    definitions::DUE_TO_REORDER,
    definitions::ONE_AND_DONE,
    definitions::REPLENISHMENT,
    definitions::CROSS_SELL,
    definitions::VIP_THANK_YOU,
];

/// Options of [`audiences`].
#[derive(Clone, Debug, PartialEq)]
pub struct AudienceOptions {
    /// The date the audiences are for (default: the last order day of the book).
    pub as_of: Option<Day>,
    pub params: ParamValues,
    /// Keep each customer in their highest-priority audience only.
    pub exclusive: bool,
    /// Audience indices, highest priority first (every audience once).
    pub priority: [usize; AUDIENCES],
}

impl Default for AudienceOptions {
    fn default() -> AudienceOptions {
        AudienceOptions {
            as_of: None,
            params: ParamValues::default(),
            exclusive: false,
            priority: DEFAULT_PRIORITY,
        }
    }
}

/// What the members' value is: expected over the horizon (CLV), or past net revenue when the
/// model could not be fitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueBasis {
    Expected,
    Past,
}

/// What the audiences read of each customer; every column is indexed by the book's customer
/// index.
#[derive(Clone, Debug, Default)]
pub struct CustomerFacts {
    /// Lifecycle status at the as-of date; `None` for customers without a purchase by then.
    pub status: Vec<Option<CustomerStatus>>,
    /// P(alive) at the as-of date (NaN without a model).
    pub p_alive: Vec<f64>,
    /// P(alive) `dropOverDays` before, with the same model (NaN when they had not bought yet).
    pub p_alive_before: Vec<f64>,
    /// Expected value over the horizon, or past net revenue (see [`ValueBasis`]); NaN for none.
    pub value: Vec<f64>,
    /// The median next-order date (days), when the model gives one within the horizon.
    pub next_order_day: Vec<Option<i32>>,
    /// In the RFM quartile view's VIP group.
    pub vip: Vec<bool>,
    /// The products the replenishment and cross-sell audiences suggest (empty without lines).
    pub products: ProductFacts,
}

/// The ready audiences at a date.
#[derive(Clone, Debug)]
pub struct Audiences {
    pub as_of: i32,
    /// First order day of the book (the start of windows that look at the whole history).
    pub first_day: i32,
    pub params: ParamValues,
    pub store_gap_days: f64,
    pub basis: ValueBasis,
    /// Why the CLV model was not used, when it was not.
    pub model_note: Option<Message>,
    /// Why the product audiences are empty: the book has no line items.
    pub products_note: Option<Message>,
    pub facts: CustomerFacts,
    /// Each audience's members (book customer indices, ascending), after `exclusive`.
    pub members: [Vec<u32>; AUDIENCES],
    pub overlaps: Overlaps,
    pub exclusive: bool,
    pub priority: [usize; AUDIENCES],
}

/// How the audiences overlap, before `exclusive` keeps each customer in one.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Overlaps {
    /// Customers in at least one audience.
    pub customers: usize,
    /// Customers in two audiences or more.
    pub in_several: usize,
    /// `by_count[k]`: customers in exactly k + 1 audiences.
    pub by_count: Vec<usize>,
    /// Customers in both of each pair of audiences that share any.
    pub pairs: Vec<OverlapPair>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct OverlapPair {
    pub a: &'static str,
    pub b: &'static str,
    pub customers: usize,
}

/// Computes every ready audience of `book` (`orders` its per-customer grouping).
pub fn audiences(
    book: &OrderBook,
    orders: &CustomerOrders,
    options: &AudienceOptions,
) -> Result<Audiences, Message> {
    let values = &options.params;
    values.validate()?;
    let as_of = options
        .as_of
        .map(|day| day.0)
        .or_else(|| book.last_day())
        .ok_or(LifecycleError::NoOrders)?;
    let rules = LifecycleRules {
        at_risk_multiplier: values.get(params::AT_RISK_MULTIPLIER),
        lapsed_multiplier: values.get(params::LAPSED_MULTIPLIER),
        min_typical_gap_days: values.get(params::MIN_TYPICAL_GAP_DAYS),
        store_gap_days: None,
    };
    rules.validate()?;
    let snapshot = PurchaseRhythm::new(book, orders).snapshot(as_of, &rules);
    let mut values = values.clone();
    if values.get(params::ONE_AND_DONE_AFTER_DAYS).is_nan() {
        values.0[params::ONE_AND_DONE_AFTER_DAYS] = snapshot.store_gap_days;
    }
    let customers = book.customer_count();
    let mut facts = CustomerFacts {
        status: snapshot.statuses,
        p_alive: vec![f64::NAN; customers],
        p_alive_before: vec![f64::NAN; customers],
        value: vec![f64::NAN; customers],
        next_order_day: vec![None; customers],
        vip: vec![false; customers],
        products: ProductFacts::default(),
    };
    let products_note = match crate::products::lines_of(book) {
        Ok(lines) => {
            facts.products = products::product_facts(book, lines, orders, as_of, &values);
            None
        }
        Err(note) => Some(note),
    };
    let table = rfm::score_customers(
        book,
        &RfmOptions {
            as_of: Some(Day(as_of)),
            ..RfmOptions::default()
        },
    )?;
    let mut past_revenue = vec![f64::NAN; customers];
    for i in 0..table.len() {
        let c = table.customer(i) as usize;
        facts.vip[c] = table.quartile_group(i) == Some(QuartileGroup::Vip);
        past_revenue[c] = table.net_value[i];
    }
    let model_note = add_model_facts(book, orders, as_of, &values, &mut facts).err();
    let basis = if facts.value.iter().any(|v| v.is_finite()) {
        ValueBasis::Expected
    } else {
        facts.value = past_revenue;
        ValueBasis::Past
    };
    let memberships = memberships(&facts, as_of, &values, &rules);
    let overlaps = overlaps(&memberships);
    let mut members: [Vec<u32>; AUDIENCES] = Default::default();
    for (c, &bits) in memberships.iter().enumerate() {
        let kept = if options.exclusive {
            options
                .priority
                .iter()
                .find(|&&a| bits & 1 << a != 0)
                .map_or(0, |&a| 1 << a)
        } else {
            bits
        };
        for (a, list) in members.iter_mut().enumerate() {
            if kept & 1 << a != 0 {
                list.push(c as u32);
            }
        }
    }
    Ok(Audiences {
        as_of,
        first_day: book.first_day().unwrap_or(as_of),
        params: values,
        store_gap_days: snapshot.store_gap_days,
        basis,
        model_note,
        products_note,
        facts,
        members,
        overlaps,
        exclusive: options.exclusive,
        priority: options.priority,
    })
}

/// Fills P(alive) now and `dropOverDays` before, the expected value and the next-order date
/// from the CLV model calibrated at `as_of`; the model's error when it cannot be fitted.
fn add_model_facts(
    book: &OrderBook,
    orders: &CustomerOrders,
    as_of: i32,
    values: &ParamValues,
    facts: &mut CustomerFacts,
) -> Result<(), Message> {
    let options = ClvOptions {
        calibration_end: Some(Day(as_of)),
        horizon_days: values.get(params::HORIZON_DAYS),
        ..ClvOptions::default()
    };
    let analysis = clv::analyze(book, orders, &options)?;
    let summary = &analysis.summary;
    let scores = &analysis.scores;
    for i in 0..summary.len() {
        let c = summary.customer[i] as usize;
        facts.p_alive[c] = scores.p_alive[i];
        facts.value[c] = scores.clv[i].unwrap_or(f64::NAN);
        facts.next_order_day[c] = scores.next_order_day[i];
    }
    let before = as_of - values.get(params::DROP_OVER_DAYS) as i32;
    let earlier = clv::summary::calibration_summary(book, orders, before, options.period_days);
    for i in 0..earlier.len() {
        let (x, t_x, age) = (
            f64::from(earlier.frequency[i]),
            earlier.recency(i),
            earlier.age(i),
        );
        facts.p_alive_before[earlier.customer[i] as usize] = analysis.model.p_alive(x, t_x, age);
    }
    Ok(())
}

/// Each customer's audiences as bits (bit `a` for audience `a`), before any exclusivity.
fn memberships(
    facts: &CustomerFacts,
    as_of: i32,
    values: &ParamValues,
    rules: &LifecycleRules,
) -> Vec<u8> {
    let top_value = top_cutoff(facts, values.get(params::TOP_VALUE_PERCENT));
    let due_by = as_of + values.get(params::DUE_WITHIN_DAYS) as i32;
    let slipped_within = values.get(params::SLIPPED_WITHIN_DAYS);
    let one_and_done_after = values.get(params::ONE_AND_DONE_AFTER_DAYS);
    let min_win_back_days = values.get(params::WIN_BACK_MIN_PURCHASE_DAYS);
    (0..facts.status.len())
        .map(|c| {
            let Some(status) = &facts.status[c] else {
                return 0;
            };
            let since = f64::from(status.days_since_last_purchase);
            let slip_at = rules.at_risk_multiplier * status.typical_gap_days;
            let at_risk_or_lapsed = matches!(status.stage, Stage::AtRisk | Stage::Lapsed);
            let dropped =
                facts.p_alive_before[c] - facts.p_alive[c] >= values.get(params::P_ALIVE_DROP);
            let rules_held = [
                facts.next_order_day[c].is_some_and(|day| day > as_of && day <= due_by)
                    && facts.p_alive[c] >= values.get(params::MIN_P_ALIVE),
                status.own_rhythm && since > slip_at && since <= slip_at + slipped_within,
                facts.value[c] >= top_value && (at_risk_or_lapsed || dropped),
                status.purchase_days == 1 && since > one_and_done_after,
                facts.vip[c],
                status.stage == Stage::Lapsed
                    && f64::from(status.purchase_days) >= min_win_back_days,
                suggests(&facts.products.replenish, c),
                suggests(&facts.products.cross_sell, c),
            ];
            rules_held
                .iter()
                .enumerate()
                .fold(0u8, |bits, (a, &held)| bits | u8::from(held) << a)
        })
        .collect()
}

/// Whether audience `a` suggests a product to each member.
pub fn suggests_product(a: usize) -> bool {
    matches!(a, definitions::REPLENISHMENT | definitions::CROSS_SELL)
}

/// Whether `products` names a product for customer `c`.
fn suggests(products: &[u32], c: usize) -> bool {
    products.get(c).is_some_and(|&p| p != products::NO_PRODUCT)
}

/// The smallest value in the top `percent`% of the customers with a value (ties at the edge
/// all in); infinity when no customer has one.
fn top_cutoff(facts: &CustomerFacts, percent: f64) -> f64 {
    let mut values: Vec<f64> = facts
        .status
        .iter()
        .zip(&facts.value)
        .filter(|(status, value)| status.is_some() && value.is_finite())
        .map(|(_, &value)| value)
        .collect();
    if values.is_empty() {
        return f64::INFINITY;
    }
    let count = ((values.len() as f64 * percent / 100.0).ceil() as usize).clamp(1, values.len());
    // Negated, the largest come first in the order the lifecycle's medians already sort by.
    values.iter_mut().for_each(|v| *v = -*v);
    let (_, cutoff, _) = values.select_nth_unstable_by(count - 1, f64::total_cmp);
    -*cutoff
}

/// Every pair of audiences `(a, b)`, `a < b`.
const PAIRS: [(usize, usize); AUDIENCES * (AUDIENCES - 1) / 2] = {
    let mut pairs = [(0, 0); AUDIENCES * (AUDIENCES - 1) / 2];
    let (mut a, mut next) = (0, 0);
    while a < AUDIENCES {
        let mut b = a + 1;
        while b < AUDIENCES {
            pairs[next] = (a, b);
            next += 1;
            b += 1;
        }
        a += 1;
    }
    pairs
};

fn overlaps(memberships: &[u8]) -> Overlaps {
    let mut overlaps = Overlaps {
        by_count: vec![0; AUDIENCES],
        ..Overlaps::default()
    };
    let mut pairs: Vec<OverlapPair> = PAIRS
        .iter()
        .map(|&(a, b)| OverlapPair {
            a: DEFINITIONS[a].id,
            b: DEFINITIONS[b].id,
            customers: 0,
        })
        .collect();
    for &bits in memberships {
        let count = bits.count_ones() as usize;
        if count == 0 {
            continue;
        }
        overlaps.customers += 1;
        overlaps.by_count[count - 1] += 1;
        overlaps.in_several += usize::from(count > 1);
        if count > 1 {
            for (pair, &(a, b)) in pairs.iter_mut().zip(&PAIRS) {
                pair.customers += usize::from(bits & 1 << a != 0 && bits & 1 << b != 0);
            }
        }
    }
    pairs.retain(|pair| pair.customers > 0);
    overlaps.pairs = pairs;
    overlaps
}

#[cfg(test)]
mod tests;
