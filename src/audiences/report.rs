//! The audiences as `book.audiences()` hands them over: per audience its words, parameters, size,
//! revenue at stake, date window and its members as columns.

use serde::Serialize;
use serde::ser::SerializeMap;

use super::definitions::{self, DEFINITIONS, fill};
use super::params::{self, PARAMS, ParamValues};
use super::{Audiences, Overlaps, ValueBasis};
use crate::book::OrderBook;
use crate::day::Day;
use crate::message::Message;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AudienceReport<'a> {
    pub as_of: Day,
    pub value_basis: ValueBasis,
    /// Why the CLV model was not used, when it was not.
    pub model_note: Option<&'a Message>,
    /// Why the product audiences are empty: the book has no line items.
    pub products_note: Option<&'a Message>,
    pub store_gap_days: f64,
    /// Every parameter's default (`null`: measured from the data).
    pub defaults: ParamMap<'a>,
    pub exclusive: bool,
    /// Audience ids, highest priority first.
    pub priority: Vec<&'static str>,
    pub overlaps: &'a Overlaps,
    pub audiences: Vec<AudienceEntry<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AudienceEntry<'a> {
    pub id: &'static str,
    pub name: &'static str,
    pub definition: String,
    pub action: &'static str,
    pub params: ParamMap<'a>,
    pub customers: usize,
    pub revenue_at_stake: f64,
    pub revenue_basis: ValueBasis,
    pub window: Window,
}

/// The dates an audience is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Window {
    pub from: Day,
    pub to: Day,
}

/// Some parameters as an object `{ name: value }` (NaN as `null`).
pub struct ParamMap<'a> {
    values: &'a ParamValues,
    indices: &'a [usize],
}

impl Serialize for ParamMap<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.indices.len()))?;
        for &index in self.indices {
            let value = self.values.get(index);
            map.serialize_entry(PARAMS[index].name, &value.is_finite().then_some(value))?;
        }
        map.end()
    }
}

const ALL_PARAMS: [usize; PARAMS.len()] = {
    let mut all = [0; PARAMS.len()];
    let mut i = 0;
    while i < all.len() {
        all[i] = i;
        i += 1;
    }
    all
};

impl Audiences {
    /// The dates audience `a` is for: the coming days for the reorders, the days just gone for
    /// the slips and drops, the history before the cut-off for the others.
    pub fn window(&self, a: usize) -> Window {
        let as_of = self.as_of;
        let days = |index: usize| self.params.get(index) as i32;
        let (from, to) = match a {
            definitions::DUE_TO_REORDER => (as_of + 1, as_of + days(params::DUE_WITHIN_DAYS)),
            definitions::JUST_SLIPPED => (as_of - days(params::SLIPPED_WITHIN_DAYS) + 1, as_of),
            definitions::HIGH_VALUE_AT_RISK => (as_of - days(params::DROP_OVER_DAYS), as_of),
            definitions::REPLENISHMENT => {
                let within = days(params::REPLENISH_WITHIN_DAYS);
                (as_of - within, as_of + within)
            }
            definitions::CROSS_SELL => (as_of - days(params::BOUGHT_WITHIN_DAYS) + 1, as_of),
            definitions::ONE_AND_DONE => (
                self.first_day,
                as_of - self.params.get(params::ONE_AND_DONE_AFTER_DAYS).floor() as i32 - 1,
            ),
            _ => (self.first_day, as_of),
        };
        Window {
            from: Day(from),
            to: Day(to),
        }
    }

    /// Sum of the members' values (expected or past, see [`ValueBasis`]).
    pub fn revenue_at_stake(&self, a: usize) -> f64 {
        self.members[a]
            .iter()
            .map(|&c| self.facts.value[c as usize])
            .filter(|v| v.is_finite())
            .sum()
    }

    /// The audiences' words, parameters, sizes and windows; the members are [`Self::columns`].
    pub fn report<'a>(&'a self, defaults: &'a ParamValues) -> AudienceReport<'a> {
        AudienceReport {
            as_of: Day(self.as_of),
            value_basis: self.basis,
            model_note: self.model_note.as_ref(),
            products_note: self.products_note.as_ref(),
            store_gap_days: self.store_gap_days,
            defaults: ParamMap {
                values: defaults,
                indices: &ALL_PARAMS,
            },
            exclusive: self.exclusive,
            priority: self.priority.iter().map(|&a| DEFINITIONS[a].id).collect(),
            overlaps: &self.overlaps,
            audiences: (0..DEFINITIONS.len()).map(|a| self.entry(a)).collect(),
        }
    }

    fn entry(&self, a: usize) -> AudienceEntry<'_> {
        let definition = &DEFINITIONS[a];
        AudienceEntry {
            id: definition.id,
            name: definition.name,
            definition: fill(definition.definition, &self.params),
            action: definition.action,
            params: ParamMap {
                values: &self.params,
                indices: definition.params,
            },
            customers: self.members[a].len(),
            revenue_at_stake: self.revenue_at_stake(a),
            revenue_basis: self.basis,
            window: self.window(a),
        }
    }
}

/// The members of one audience as columns, member `i` in row `i` of each: what the page lists
/// and hands to a host as typed arrays.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MemberColumns<'a> {
    /// The members' indices into the book's customers.
    pub customers: Vec<u32>,
    pub customer_ids: Vec<&'a str>,
    pub last_purchase: Vec<i32>,
    pub days_since_last_purchase: Vec<i32>,
    pub purchase_days: Vec<u32>,
    /// Expected value over the horizon or past revenue (see [`ValueBasis`]); NaN for none.
    pub value: Vec<f64>,
    /// NaN without a model.
    pub p_alive: Vec<f64>,
    /// The median next-order day; [`NO_DAY`] for none.
    pub next_order_day: Vec<i32>,
    /// The product the audience suggests (replenishment, cross-sell), by code; [`NO_PRODUCT`]
    /// for none.
    pub product: Vec<u32>,
}

/// [`MemberColumns::next_order_day`] of a member without one.
pub const NO_DAY: i32 = i32::MIN;
pub use super::products::NO_PRODUCT;

impl Audiences {
    /// The members of audience `a` as columns.
    pub fn columns<'a>(&self, a: usize, book: &'a OrderBook) -> MemberColumns<'a> {
        let mut columns = MemberColumns::default();
        let products = &self.facts.products;
        let suggested: &[u32] = match a {
            definitions::REPLENISHMENT => &products.replenish,
            definitions::CROSS_SELL => &products.cross_sell,
            _ => &[],
        };
        for &c in &self.members[a] {
            let c = c as usize;
            let Some(status) = &self.facts.status[c] else {
                continue;
            };
            columns.customers.push(c as u32);
            columns.customer_ids.push(&book.customer_ids[c]);
            columns.last_purchase.push(status.last_purchase);
            columns
                .days_since_last_purchase
                .push(status.days_since_last_purchase);
            columns.purchase_days.push(status.purchase_days);
            columns.value.push(self.facts.value[c]);
            columns.p_alive.push(self.facts.p_alive[c]);
            columns
                .next_order_day
                .push(self.facts.next_order_day[c].unwrap_or(NO_DAY));
            columns
                .product
                .push(suggested.get(c).copied().unwrap_or(NO_PRODUCT));
        }
        columns
    }
}
