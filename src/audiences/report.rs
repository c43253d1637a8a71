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
    pub name_vi: &'static str,
    pub definition: String,
    pub definition_vi: String,
    pub action: &'static str,
    pub params: ParamMap<'a>,
    pub customers: usize,
    pub revenue_at_stake: f64,
    pub revenue_basis: ValueBasis,
    pub window: Window,
    pub customer_ids: Vec<&'a str>,
    pub last_purchase: Vec<Day>,
    pub days_since_last_purchase: Vec<i32>,
    pub purchase_days: Vec<u32>,
    /// Expected value over the horizon or past revenue, as `revenueBasis` says.
    pub value: Vec<Option<f64>>,
    pub p_alive: Vec<Option<f64>>,
    pub next_order_date: Vec<Option<Day>>,
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

    pub fn report<'a>(
        &'a self,
        book: &'a OrderBook,
        defaults: &'a ParamValues,
    ) -> AudienceReport<'a> {
        AudienceReport {
            as_of: Day(self.as_of),
            value_basis: self.basis,
            model_note: self.model_note.as_ref(),
            store_gap_days: self.store_gap_days,
            defaults: ParamMap {
                values: defaults,
                indices: &ALL_PARAMS,
            },
            exclusive: self.exclusive,
            priority: self.priority.iter().map(|&a| DEFINITIONS[a].id).collect(),
            overlaps: &self.overlaps,
            audiences: (0..DEFINITIONS.len())
                .map(|a| self.entry(a, book))
                .collect(),
        }
    }

    fn entry<'a>(&'a self, a: usize, book: &'a OrderBook) -> AudienceEntry<'a> {
        let definition = &DEFINITIONS[a];
        let members = &self.members[a];
        let facts = &self.facts;
        let finite = |v: f64| v.is_finite().then_some(v);
        let status = |c: &u32| facts.status[*c as usize].as_ref();
        AudienceEntry {
            id: definition.id,
            name: definition.name,
            name_vi: definition.name_vi,
            definition: fill(definition.definition, &self.params),
            definition_vi: fill(definition.definition_vi, &self.params),
            action: definition.action,
            params: ParamMap {
                values: &self.params,
                indices: definition.params,
            },
            customers: members.len(),
            revenue_at_stake: self.revenue_at_stake(a),
            revenue_basis: self.basis,
            window: self.window(a),
            customer_ids: members
                .iter()
                .map(|&c| &book.customer_ids[c as usize])
                .collect(),
            last_purchase: members
                .iter()
                .filter_map(status)
                .map(|s| Day(s.last_purchase))
                .collect(),
            days_since_last_purchase: members
                .iter()
                .filter_map(status)
                .map(|s| s.days_since_last_purchase)
                .collect(),
            purchase_days: members
                .iter()
                .filter_map(status)
                .map(|s| s.purchase_days)
                .collect(),
            value: members
                .iter()
                .map(|&c| finite(facts.value[c as usize]))
                .collect(),
            p_alive: members
                .iter()
                .map(|&c| finite(facts.p_alive[c as usize]))
                .collect(),
            next_order_date: members
                .iter()
                .map(|&c| facts.next_order_day[c as usize].map(Day))
                .collect(),
        }
    }
}
