//! Compare by an attribute: the figures of RFM, cohorts, CLV and the overview per value of an
//! order attribute (country, channel, discount code…).
//!
//! Customer-level analyses group each **customer** by the value of their **first purchase**
//! (their acquisition channel, first-order country, first discount code), so each customer is in
//! exactly one group: the segment mix per value (RFM), retention and revenue per customer by
//! period index (cohorts), repeat rate and CLV (CLV). A customer without a purchase in the book
//! is grouped by their first order. The overview's revenue per value is per **order** instead:
//! each order counts under its own value.
//!
//! Values are ranked (customers, or revenue for the overview's orders; ties go to `""`, then in
//! the file's order of first appearance); the first `top` keep their own group and the rest fold into one
//! "Other" group (`value: None`, `other: true`). Orders without a value group under `""`.
//!
//! In a filtered book the first purchase is still the first in the customer's whole history
//! ([`OrderBook::acquisition_codes`]): a filter on dates or on another attribute does not change
//! how a customer was acquired, as it does not change their cohort.

use serde::Serialize;

use crate::book::{ANONYMOUS, Attribute, CustomerOrders, NO_PURCHASE, OrderBook, OrderKind};
use crate::clv::ClvAnalysis;
use crate::cohort::Period;
use crate::cohort::period::PeriodLookup;
use crate::filter::unknown_attribute;
use crate::message::{Code, Message};
use crate::overview::Overview;
use crate::rfm::RfmTable;
use crate::rfm::segments::segment_info;

/// How many values keep a group of their own when the caller does not say.
pub const DEFAULT_TOP: usize = 10;

/// Marks a customer with no order in the book: in no group.
const NO_GROUP: u32 = u32::MAX;

/// The groups of a comparison: the top values of an attribute, then "Other".
#[derive(Clone, Debug, PartialEq)]
pub struct Grouping {
    /// The attribute's key.
    pub key: String,
    /// Per group, its value; `None` for "Other", always the last group.
    pub values: Vec<Option<String>>,
    /// The group of each code of the attribute ([`NO_GROUP`] for values with no weight).
    group_of_code: Vec<u32>,
}

impl Grouping {
    /// Groups the values of `attribute` by `weights` (one per code), heaviest first; values of
    /// weight 0 are left out.
    fn ranked(attribute: &Attribute, weights: &[f64], top: usize) -> Grouping {
        let mut codes: Vec<usize> = (0..weights.len()).filter(|&c| weights[c] > 0.0).collect();
        // Stable: equal weights stay in code order, which is `""` then order of first appearance.
        codes.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]));
        let mut group_of_code = vec![NO_GROUP; weights.len()];
        let mut values = Vec::with_capacity(top.min(codes.len()) + 1);
        for (rank, &code) in codes.iter().enumerate() {
            if rank < top {
                group_of_code[code] = values.len() as u32;
                values.push(Some(attribute.values[code].clone()));
            } else {
                group_of_code[code] = top as u32;
            }
        }
        if codes.len() > top {
            values.push(None);
        }
        Grouping {
            key: attribute.key.clone(),
            values,
            group_of_code,
        }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn group_of_code(&self, code: u32) -> usize {
        self.group_of_code[code as usize] as usize
    }

    /// Group `g`'s value (`None` for "Other") and whether it is "Other".
    fn label(&self, g: usize) -> (Option<String>, bool) {
        let value = self.values[g].clone();
        let other = value.is_none();
        (value, other)
    }
}

/// The value and "Other" flag of a compared group, whatever the analysis.
pub trait Labelled {
    /// The attribute value (`None` for "Other") and whether the group is "Other".
    fn label(&self) -> (Option<&str>, bool);
}

macro_rules! labelled {
    ($($group:ty),*) => {
        $(impl Labelled for $group {
            fn label(&self) -> (Option<&str>, bool) {
                (self.value.as_deref(), self.other)
            }
        })*
    };
}

labelled!(RfmGroup, CohortGroup, ClvGroup, OverviewGroup);

/// A comparison: `{ by, values: [{ value, other, …figures }] }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison<T> {
    pub by: String,
    pub values: Vec<T>,
}

/// The attribute `key` of `book`, or a message listing those it has.
fn attribute<'a>(book: &'a OrderBook, key: &str) -> Result<&'a Attribute, Message> {
    book.attributes
        .iter()
        .find(|a| a.key == key)
        .ok_or_else(|| unknown_attribute(book, key, Code::COMPARE_UNKNOWN_ATTRIBUTE, "compareBy"))
}

/// Customers grouped by the value of their first purchase.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerGroups {
    pub grouping: Grouping,
    /// The group of each customer of the book ([`NO_GROUP`] for a customer without orders).
    group_of: Vec<u32>,
}

impl CustomerGroups {
    /// Groups the customers of `book` by the value of `key` on their first purchase (their first
    /// order when they never bought) in their whole history, the `top` values with most
    /// customers apart.
    pub fn by_first_purchase(
        book: &OrderBook,
        by_customer: &CustomerOrders,
        key: &str,
        top: usize,
    ) -> Result<CustomerGroups, Message> {
        let attribute = attribute(book, key)?;
        let acquired = book.acquisition_codes.as_ref().map(|codes| {
            let index = book.attributes.iter().position(|a| a.key == key);
            &codes[index.expect("the attribute was found")]
        });
        let first_codes: Vec<u32> = (0..by_customer.customer_count())
            .map(|c| {
                if let Some(codes) = acquired {
                    return codes.get(c);
                }
                let orders = by_customer.of(c);
                orders
                    .iter()
                    .find(|&&o| book.kind[o as usize] == OrderKind::Purchase)
                    .or(orders.first())
                    .map_or(NO_GROUP, |&o| attribute.codes.get(o as usize))
            })
            .collect();
        let mut customers = vec![0f64; attribute.values.len()];
        for &code in first_codes.iter().filter(|&&code| code != NO_GROUP) {
            customers[code as usize] += 1.0;
        }
        let grouping = Grouping::ranked(attribute, &customers, top);
        let group_of = first_codes
            .iter()
            .map(|&code| match code {
                NO_GROUP => NO_GROUP,
                code => grouping.group_of_code(code) as u32,
            })
            .collect();
        Ok(CustomerGroups { grouping, group_of })
    }

    /// The group of customer `c` (an index into the book's customers), if they have one.
    pub fn of(&self, c: u32) -> Option<usize> {
        match self.group_of.get(c as usize) {
            Some(&NO_GROUP) | None => None,
            Some(&group) => Some(group as usize),
        }
    }
}

/// RFM per group: the scored customers and how many fall in each segment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RfmGroup {
    /// The attribute value; `None` for "Other" (then `other` is true).
    pub value: Option<String>,
    pub other: bool,
    pub customers: u32,
    /// In the order of the RFM result's segments.
    pub segments: Vec<SegmentCount>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SegmentCount {
    /// The catalogue segment's code; `None` for a custom segment name.
    pub code: Option<&'static str>,
    pub name: String,
    pub customers: u32,
}

/// The segment mix of each group of the scored customers of `table`.
pub fn rfm_by(table: &RfmTable, groups: &CustomerGroups) -> Comparison<RfmGroup> {
    let names = table.rules.segments();
    let mut counts = vec![vec![0u32; names.len()]; groups.grouping.len()];
    for i in 0..table.len() {
        if let Some(group) = groups.of(table.customer(i)) {
            counts[group][table.segment[i] as usize] += 1;
        }
    }
    let grouping = &groups.grouping;
    let figures = counts.into_iter().enumerate().map(|(g, per_segment)| {
        let (value, other) = grouping.label(g);
        RfmGroup {
            value,
            other,
            customers: per_segment.iter().sum(),
            segments: names
                .iter()
                .zip(per_segment)
                .map(|(name, customers)| SegmentCount {
                    code: segment_info(name).map(|info| info.code),
                    name: name.clone(),
                    customers,
                })
                .collect(),
        }
    });
    Comparison {
        by: grouping.key.clone(),
        values: figures.collect(),
    }
}

/// Cohorts per group, pooled over the group's cohorts as the average retention curve is.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CohortGroup {
    pub value: Option<String>,
    pub other: bool,
    /// Customers with a purchase (the group's cohorts' sizes added up).
    pub customers: u32,
    /// `retention[k]` = Σ customers with a purchase `k` periods after their cohort's / Σ sizes,
    /// over the group's cohorts whose period `k` is complete (as `averageRetention`).
    pub retention: Vec<f64>,
    /// `revenuePerCustomer[k]` = Σ purchase value in period `k` / Σ sizes, over the same cohorts.
    pub revenue_per_customer: Vec<f64>,
    /// Σ sizes behind each point.
    pub cohort_customers: Vec<u32>,
}

/// Retention and revenue per customer by period index for each group: each customer's cohort is
/// the period of their acquisition (in the whole history, for a filtered book); only purchases
/// count, and cells of the incomplete last period are left out, as in the average retention
/// curve of [`crate::cohort::cohorts`].
pub fn cohorts_by(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    period: Period,
    groups: &CustomerGroups,
) -> Comparison<CohortGroup> {
    let group_count = groups.grouping.len();
    let acquired = book.acquisition_days();
    let (Some(mut first_day), Some(last_day)) = (book.first_day(), book.last_day()) else {
        // No orders: no customer, no group.
        return Comparison {
            by: groups.grouping.key.clone(),
            values: Vec::new(),
        };
    };
    if let Some(&earliest) = acquired.iter().filter(|&&d| d != NO_PURCHASE).min() {
        first_day = first_day.min(earliest);
    }
    let lookup = PeriodLookup::new(period, first_day, last_day);
    let span = lookup.offset(last_day) as usize + 1;
    let complete = if last_day < period.last_day(lookup.number(span as u32 - 1)) {
        span - 1
    } else {
        span
    };
    let mut sizes = vec![vec![0u32; span]; group_count];
    let mut active = vec![vec![0u32; span]; group_count];
    let mut revenue = vec![vec![0f64; span]; group_count];
    for c in 0..by_customer.customer_count() {
        let (Some(group), acquired_day) = (groups.of(c as u32), acquired[c]) else {
            continue;
        };
        if acquired_day == NO_PURCHASE {
            continue;
        }
        let cohort = lookup.offset(acquired_day) as usize;
        let mut bought = false;
        let mut last_index = None;
        for &o in by_customer.of(c) {
            let o = o as usize;
            if book.kind[o] != OrderKind::Purchase {
                continue;
            }
            bought = true;
            let k = lookup.offset(book.day[o]) as usize - cohort;
            if cohort + k >= complete {
                continue;
            }
            revenue[group][k] += book.value[o];
            if last_index != Some(k) {
                active[group][k] += 1;
                last_index = Some(k);
            }
        }
        // Customers whose kept orders are all returns are in no cohort.
        if bought {
            sizes[group][cohort] += 1;
        }
    }
    let figures = (0..group_count).map(|g| {
        // Σ sizes of the cohorts whose period k is complete: those up to `complete − 1 − k`.
        let mut reached: Vec<u32> = sizes[g][..complete]
            .iter()
            .scan(0u32, |running, &size| {
                *running += size;
                Some(*running)
            })
            .collect();
        reached.reverse();
        let points = reached.iter().take_while(|&&n| n > 0).count();
        let per_customer = |k: usize, numerator: f64| numerator / f64::from(reached[k]);
        let (value, other) = groups.grouping.label(g);
        CohortGroup {
            value,
            other,
            customers: sizes[g].iter().sum(),
            retention: (0..points)
                .map(|k| per_customer(k, f64::from(active[g][k])))
                .collect(),
            revenue_per_customer: (0..points)
                .map(|k| per_customer(k, revenue[g][k]))
                .collect(),
            cohort_customers: reached[..points].to_vec(),
        }
    });
    Comparison {
        by: groups.grouping.key.clone(),
        values: figures.collect(),
    }
}

/// CLV per group of the customers the CLV analysis scored.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClvGroup {
    pub value: Option<String>,
    pub other: bool,
    /// Customers with a purchase by the calibration end.
    pub customers: u32,
    /// Those with purchases on two or more days by then (x > 0).
    pub repeat_customers: u32,
    /// repeat customers / customers.
    pub repeat_rate: Option<f64>,
    /// Mean and total CLV of the customers whose CLV could be computed.
    pub clv_mean: Option<f64>,
    pub clv_total: f64,
}

/// Repeat rate and CLV for each group of the customers of `analysis`.
pub fn clv_by(analysis: &ClvAnalysis, groups: &CustomerGroups) -> Comparison<ClvGroup> {
    let n = groups.grouping.len();
    let (mut customers, mut repeat, mut valued) = (vec![0u32; n], vec![0u32; n], vec![0u32; n]);
    let mut total = vec![0f64; n];
    let summary = &analysis.summary;
    for (i, &c) in summary.customer.iter().enumerate() {
        let Some(group) = groups.of(c) else { continue };
        customers[group] += 1;
        repeat[group] += u32::from(summary.frequency[i] > 0);
        if let Some(clv) = analysis.scores.clv[i] {
            valued[group] += 1;
            total[group] += clv;
        }
    }
    let ratio = |part: f64, whole: u32| (whole > 0).then(|| part / f64::from(whole));
    let figures = (0..n).map(|g| {
        let (value, other) = groups.grouping.label(g);
        ClvGroup {
            value,
            other,
            customers: customers[g],
            repeat_customers: repeat[g],
            repeat_rate: ratio(f64::from(repeat[g]), customers[g]),
            clv_mean: ratio(total[g], valued[g]),
            clv_total: total[g],
        }
    });
    Comparison {
        by: groups.grouping.key.clone(),
        values: figures.collect(),
    }
}

/// The overview's figures per value of an order attribute (each order under its own value).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OverviewGroup {
    pub value: Option<String>,
    pub other: bool,
    /// Orders (purchases and returns, guests included) with the value.
    pub orders: u32,
    /// Distinct identified customers with an order of the value.
    pub customers: u32,
    /// Net value of those orders.
    pub revenue: f64,
    /// revenue / the book's revenue (`None` when that is not positive).
    pub revenue_share: Option<f64>,
    /// Net value per period of the overview.
    pub period_revenue: Vec<f64>,
}

/// Orders, customers and revenue per value of `key`, the `top` values by revenue apart, and
/// each value's revenue per period of `overview` (made from the same `book`).
pub fn overview_by(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    overview: &Overview,
    key: &str,
    top: usize,
) -> Result<Comparison<OverviewGroup>, Message> {
    let attribute = attribute(book, key)?;
    let mut revenue_of_code = vec![0f64; attribute.values.len()];
    for (o, &value) in book.value.iter().enumerate() {
        revenue_of_code[attribute.codes.get(o) as usize] += value;
    }
    let grouping = Grouping::ranked(attribute, &revenue_of_code, top);
    let n = grouping.len();
    let periods = overview.periods.len();
    let mut groups: Vec<OverviewGroup> = (0..n)
        .map(|g| {
            let (value, other) = grouping.label(g);
            OverviewGroup {
                value,
                other,
                orders: 0,
                customers: 0,
                revenue: 0.0,
                revenue_share: None,
                period_revenue: vec![0.0; periods],
            }
        })
        .collect();
    if let (Some(first), Some(last)) = (overview.periods.first(), book.last_day()) {
        let lookup = PeriodLookup::new(overview.period, first.start, last);
        for (o, (&value, &day)) in book.value.iter().zip(&book.day).enumerate() {
            let code = attribute.codes.get(o);
            let Some(group) = groups.get_mut(grouping.group_of_code(code)) else {
                continue;
            };
            group.orders += 1;
            group.revenue += value;
            group.period_revenue[lookup.offset(day) as usize] += value;
        }
    }
    // Each customer once per group: the last customer counted for each group.
    let mut counted_for = vec![ANONYMOUS; n];
    for c in 0..by_customer.customer_count() {
        for &o in by_customer.of(c) {
            let group = grouping.group_of_code(attribute.codes.get(o as usize));
            if group < n && counted_for[group] != c as u32 {
                counted_for[group] = c as u32;
                groups[group].customers += 1;
            }
        }
    }
    let total = overview.totals.revenue;
    for group in &mut groups {
        group.revenue_share = (total > 0.0).then(|| group.revenue / total);
    }
    Ok(Comparison {
        by: grouping.key,
        values: groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{assert_rate, day, window, with_attribute};
    use crate::rfm::{RfmOptions, score_customers};

    use OrderKind::{Purchase, Return};

    /// a: web in January, shop in February; b: shop in January, a web return in March; c: web
    /// twice in February; d: no channel, March; e: an app return only; a guest buys in the app.
    /// The data stops on 10 March.
    fn shop() -> OrderBook {
        let orders = [
            (Some("a"), "2011-01-05", 10.0, Purchase, "web"),
            (Some("a"), "2011-02-10", 20.0, Purchase, "shop"),
            (Some("b"), "2011-01-20", 30.0, Purchase, "shop"),
            (Some("b"), "2011-03-05", -5.0, Return, "web"),
            (Some("c"), "2011-02-01", 40.0, Purchase, "web"),
            (Some("c"), "2011-02-15", 15.0, Purchase, "web"),
            (Some("d"), "2011-03-10", 50.0, Purchase, ""),
            (Some("e"), "2011-01-08", -7.0, Return, "app"),
            (None, "2011-02-20", 9.0, Purchase, "app"),
        ];
        let book = OrderBook::from_orders(orders.iter().map(|&(c, d, v, k, _)| (c, day(d), v, k)));
        let channels: Vec<&str> = orders.iter().map(|o| o.4).collect();
        with_attribute(book, "channel", &channels)
    }

    fn labels<T: Labelled>(comparison: &Comparison<T>) -> Vec<(Option<&str>, bool)> {
        comparison.values.iter().map(Labelled::label).collect()
    }

    #[test]
    fn customers_are_grouped_by_their_first_purchase_and_the_tail_folds_into_other() {
        let book = shop();
        let by_customer = book.customer_orders();
        // First purchases: a web, b shop, c web, d none; e never bought (first order: app).
        // Customers: web 2, then '' (code 0), shop and app 1 each; top 2 keeps web and ''.
        let groups = CustomerGroups::by_first_purchase(&book, &by_customer, "channel", 2).unwrap();
        assert_eq!(
            groups.grouping.values,
            [Some("web".to_string()), Some(String::new()), None]
        );
        let group = |id: &str| {
            let c = book.customer_ids.iter().position(|c| c == id).unwrap();
            groups.of(c as u32)
        };
        let of: Vec<_> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|id| group(id))
            .collect();
        assert_eq!(of, [Some(0), Some(2), Some(0), Some(1), Some(2)]);
        // Every value apart when the top is large enough: no "Other".
        let all = CustomerGroups::by_first_purchase(&book, &by_customer, "channel", 10).unwrap();
        assert_eq!(all.grouping.len(), 4);
        assert!(all.grouping.values.iter().all(Option::is_some));

        let error =
            CustomerGroups::by_first_purchase(&book, &by_customer, "country", 2).unwrap_err();
        assert_eq!(error.code, Code::COMPARE_UNKNOWN_ATTRIBUTE);
        assert!(
            error.message.contains("its attributes are: channel"),
            "{error}"
        );
    }

    #[test]
    fn rfm_segment_mix_per_group() {
        let book = shop();
        let by_customer = book.customer_orders();
        let groups = CustomerGroups::by_first_purchase(&book, &by_customer, "channel", 2).unwrap();
        let table = score_customers(&book, &RfmOptions::default()).unwrap();
        let compared = rfm_by(&table, &groups);
        assert_eq!(compared.by, "channel");
        assert_eq!(
            labels(&compared),
            [(Some("web"), false), (Some(""), false), (None, true)]
        );
        // e (returns only) is not scored: Other holds b alone.
        let customers: Vec<u32> = compared.values.iter().map(|v| v.customers).collect();
        assert_eq!(customers, [2, 1, 1]);
        for value in &compared.values {
            let in_segments: u32 = value.segments.iter().map(|s| s.customers).sum();
            assert_eq!(in_segments, value.customers);
            assert_eq!(value.segments.len(), table.rules.segments().len());
        }
        // Each scored customer counted under their own segment.
        let segment_of = |id: &str| {
            let i = (0..table.len())
                .find(|&i| book.customer_ids[table.customer(i) as usize] == *id)
                .unwrap();
            table.segment[i] as usize
        };
        assert_eq!(compared.values[1].segments[segment_of("d")].customers, 1);
        assert_eq!(compared.values[2].segments[segment_of("b")].customers, 1);
    }

    #[test]
    fn cohorts_per_group_pool_the_complete_cells() {
        let book = shop();
        let by_customer = book.customer_orders();
        let groups = CustomerGroups::by_first_purchase(&book, &by_customer, "channel", 2).unwrap();
        let compared = cohorts_by(&book, &by_customer, Period::Month, &groups);
        let web = &compared.values[0];
        // a (January cohort) bought in months 0 and 1; c (February) in month 0 only, twice.
        // March is incomplete, so k = 0 pools January and February, k = 1 January alone.
        assert_eq!(web.customers, 2);
        assert_eq!(web.cohort_customers, [2, 1]);
        assert_eq!(web.retention, [1.0, 1.0]);
        assert_eq!(web.revenue_per_customer, [32.5, 20.0]);
        // d's cohort is March, incomplete: no point yet.
        let none = &compared.values[1];
        assert_eq!((none.customers, none.retention.len()), (1, 0));
        // Other: b (January), who never bought again (a return is not a purchase); e never
        // bought and is in no cohort.
        let other = &compared.values[2];
        assert_eq!(other.customers, 1);
        assert_eq!(other.retention, [1.0, 0.0]);
        assert_eq!(other.revenue_per_customer, [30.0, 0.0]);
    }

    #[test]
    fn overview_revenue_per_order_value() {
        let book = shop();
        let by_customer = book.customer_orders();
        let overview =
            crate::overview::overview(&book, &by_customer, Period::Month, window(30)).unwrap();
        let compared = overview_by(&book, &by_customer, &overview, "channel", 2).unwrap();
        // Revenue: web 60, shop 50, '' 50, app 2; the tie between '' and shop goes to ''.
        assert_eq!(
            labels(&compared),
            [(Some("web"), false), (Some(""), false), (None, true)]
        );
        let rows: Vec<_> = compared
            .values
            .iter()
            .map(|v| {
                let f = v;
                (f.orders, f.customers, f.revenue, f.period_revenue.clone())
            })
            .collect();
        assert_eq!(
            rows,
            [
                (4, 3, 60.0, vec![10.0, 55.0, -5.0]),
                (1, 1, 50.0, vec![0.0, 0.0, 50.0]),
                // shop and app: a, b and e; the guest is no customer.
                (4, 3, 52.0, vec![23.0, 29.0, 0.0]),
            ]
        );
        assert_rate(compared.values[0].revenue_share, 60.0 / 162.0, "web share");
    }
}
