//! Small aggregates of an RFM table for the UI: segments, the R×F grid, score ranges, the
//! quartile view, the Pareto curve and per-rule counts. One pass over the customers plus one sort
//! for the Pareto curve.

use serde::{Serialize, Serializer};

use super::ranking::{Ranker, ordered_bits, rescale_to_five};
use super::segments::{COMBINATIONS, combination_index, segment_info};
use super::{MonetaryMode, QuartileGroup, RfmTable};
use crate::book::format_day;

/// Points on the Pareto curve after the origin: one per percent of customers.
pub const PARETO_STEPS: usize = 100;

/// The aggregates `rfm()` returns to JS (camelCase there).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RfmSummary {
    /// `YYYY-MM-DD`.
    #[serde(serialize_with = "as_date")]
    pub as_of: i32,
    pub bins: u32,
    pub monetary: MonetaryMode,
    /// Scored customers (at least one purchase on or before the as-of day).
    pub customers: u32,
    pub customers_returns_only: u32,
    pub customers_after_as_of: u32,
    /// Net value of the scored customers' orders.
    pub revenue: f64,
    pub segments: Vec<SegmentSummary>,
    /// `bins × bins` cells, R slowest.
    pub grid: Vec<GridCell>,
    pub score_ranges: ScoreRanges,
    pub quartiles: QuartileSummary,
    pub pareto: Pareto,
    /// The rule table in use, with what each rule catches.
    pub rules: Vec<RuleSummary>,
    /// Things the user should know about this result (shadowed rules, tiny data).
    pub warnings: Vec<String>,
}

/// One named segment. Texts are `None` for custom segment names the catalogue does not know.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentSummary {
    pub name: String,
    pub name_vi: Option<&'static str>,
    pub meaning: Option<&'static str>,
    pub meaning_vi: Option<&'static str>,
    pub action: Option<&'static str>,
    pub action_vi: Option<&'static str>,
    pub customers: u32,
    /// Share of the scored customers, 0..=1.
    pub customer_share: f64,
    /// Net value of the segment's orders (whatever the monetary mode).
    pub revenue: f64,
    /// Share of the scored customers' revenue; `None` when that revenue is not positive.
    pub revenue_share: Option<f64>,
    pub mean_recency: Option<f64>,
    pub mean_frequency: Option<f64>,
    /// Mean of the monetary value in the chosen mode.
    pub mean_monetary: Option<f64>,
    /// Revenue ÷ purchases of the segment.
    pub mean_order_value: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GridCell {
    pub r: u8,
    pub f: u8,
    pub customers: u32,
    pub mean_monetary: Option<f64>,
}

/// The values each score stands for, so the UI can say "R 5 = bought within 12 days".
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreRanges {
    pub recency_days: Vec<ScoreRange<u32>>,
    pub frequency: Vec<ScoreRange<u32>>,
    pub monetary: Vec<ScoreRange<f64>>,
}

/// Customers with one score and the smallest and largest value among them (`None` if empty).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreRange<T> {
    pub score: u8,
    pub customers: u32,
    pub min: Option<T>,
    pub max: Option<T>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuartileSummary {
    pub vip: GroupSummary,
    pub reactivate: GroupSummary,
    /// Largest recency in the top quarter on R (days).
    pub top_recency_max: Option<u32>,
    /// Smallest frequency in the top quarter on F.
    pub top_frequency_min: Option<u32>,
    /// Smallest monetary value in the top quarter on M.
    pub top_monetary_min: Option<f64>,
    /// Smallest recency in the bottom quarter on R (days).
    pub bottom_recency_min: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupSummary {
    pub customers: u32,
    pub customer_share: f64,
    pub revenue: f64,
    pub revenue_share: Option<f64>,
}

/// Share of revenue brought by the top x% of customers (by net value), x = 0, 1, … 100.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pareto {
    /// Empty when the total revenue is not positive (shares would mean nothing).
    pub points: Vec<ParetoPoint>,
    /// "The top 20% of customers bring N% of revenue", as a share.
    pub top20_revenue_share: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParetoPoint {
    pub customer_share: f64,
    pub revenue_share: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleSummary {
    pub segment: String,
    pub r: [i64; 2],
    pub f: [i64; 2],
    pub m: [i64; 2],
    /// Score combinations (of 125) this rule catches first; 0 = shadowed by earlier rules.
    pub combinations: u32,
    /// Customers this rule assigned.
    pub customers: u32,
}

fn as_date<S: Serializer>(day: &i32, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_day(*day))
}

#[derive(Clone, Copy, Default)]
struct Totals {
    customers: u32,
    revenue: f64,
    recency: f64,
    frequency: f64,
    monetary: f64,
}

impl Totals {
    fn add(&mut self, table: &RfmTable, i: usize) {
        self.customers += 1;
        self.revenue += table.net_value[i];
        self.recency += table.recency_days[i] as f64;
        self.frequency += table.frequency[i] as f64;
        self.monetary += table.monetary[i];
    }

    fn mean(&self, sum: f64) -> Option<f64> {
        (self.customers > 0).then(|| sum / self.customers as f64)
    }
}

/// Aggregates an RFM table.
pub fn summarize(table: &RfmTable) -> RfmSummary {
    let n = table.len();
    let bins = table.bins as usize;
    let segment_names = table.rules.segments();
    let mut per_segment = vec![Totals::default(); segment_names.len()];
    let mut grid = vec![Totals::default(); bins * bins];
    let mut per_combination = [0u32; COMBINATIONS];
    let mut vip = Totals::default();
    let mut reactivate = Totals::default();
    let mut total = Totals::default();
    let mut ranges = ScoreRanges::empty(table.bins);
    let mut quartile_edges = QuartileEdges::default();

    let to_five: Vec<u8> = (0..=table.bins as u8)
        .map(|s| rescale_to_five(s.max(1), table.bins))
        .collect();
    for i in 0..n {
        let (r, f, m) = (table.r_score[i], table.f_score[i], table.m_score[i]);
        total.add(table, i);
        per_segment[table.segment[i] as usize].add(table, i);
        grid[(r as usize - 1) * bins + (f as usize - 1)].add(table, i);
        per_combination[combination_index(
            to_five[r as usize],
            to_five[f as usize],
            to_five[m as usize],
        )] += 1;
        match table.quartile_group(i) {
            Some(QuartileGroup::Vip) => vip.add(table, i),
            Some(QuartileGroup::Reactivate) => reactivate.add(table, i),
            None => {}
        }
        ranges.add(table, i);
        quartile_edges.add(table, i);
    }

    let share = |part: u32| if n > 0 { part as f64 / n as f64 } else { 0.0 };
    let revenue_share = |part: f64| (total.revenue > 0.0).then(|| part / total.revenue);

    let segments = segment_names
        .iter()
        .zip(&per_segment)
        .map(|(name, totals)| {
            let info = segment_info(name);
            let purchases = totals.frequency;
            SegmentSummary {
                name: name.clone(),
                name_vi: info.map(|i| i.name_vi),
                meaning: info.map(|i| i.meaning),
                meaning_vi: info.map(|i| i.meaning_vi),
                action: info.map(|i| i.action),
                action_vi: info.map(|i| i.action_vi),
                customers: totals.customers,
                customer_share: share(totals.customers),
                revenue: totals.revenue,
                revenue_share: revenue_share(totals.revenue),
                mean_recency: totals.mean(totals.recency),
                mean_frequency: totals.mean(totals.frequency),
                mean_monetary: totals.mean(totals.monetary),
                mean_order_value: (purchases > 0.0).then(|| totals.revenue / purchases),
            }
        })
        .collect();

    let grid = grid
        .iter()
        .enumerate()
        .map(|(cell, totals)| GridCell {
            r: (cell / bins + 1) as u8,
            f: (cell % bins + 1) as u8,
            customers: totals.customers,
            mean_monetary: totals.mean(totals.monetary),
        })
        .collect();

    let group = |totals: &Totals| GroupSummary {
        customers: totals.customers,
        customer_share: share(totals.customers),
        revenue: totals.revenue,
        revenue_share: revenue_share(totals.revenue),
    };
    let quartiles = QuartileSummary {
        vip: group(&vip),
        reactivate: group(&reactivate),
        top_recency_max: quartile_edges.top_recency_max,
        top_frequency_min: quartile_edges.top_frequency_min,
        top_monetary_min: quartile_edges.top_monetary_min,
        bottom_recency_min: quartile_edges.bottom_recency_min,
    };

    let combinations = table.rules.combinations_per_rule();
    let mut rule_customers = vec![0u32; combinations.len()];
    for (combination, &count) in per_combination.iter().enumerate() {
        let (r, f, m) = (
            combination / 25 + 1,
            combination / 5 % 5 + 1,
            combination % 5 + 1,
        );
        rule_customers[table.rules.rule_for(r as u8, f as u8, m as u8)] += count;
    }
    let rules = table
        .rules
        .rules()
        .iter()
        .zip(combinations.iter().zip(&rule_customers))
        .map(|(rule, (&combinations, &customers))| RuleSummary {
            segment: rule.segment.clone(),
            r: rule.r,
            f: rule.f,
            m: rule.m,
            combinations,
            customers,
        })
        .collect();

    let mut warnings = Vec::new();
    for (index, (rule, &count)) in table.rules.rules().iter().zip(&combinations).enumerate() {
        if count == 0 {
            warnings.push(format!(
                "rule {} ({}) never applies: earlier rules catch all of its score combinations",
                index + 1,
                rule.segment
            ));
        }
    }
    if n > 0 && n < table.bins as usize {
        warnings.push(format!(
            "only {n} customers for {} bins: some scores are empty",
            table.bins
        ));
    }

    RfmSummary {
        as_of: table.as_of,
        bins: table.bins,
        monetary: table.monetary_mode,
        customers: n as u32,
        customers_returns_only: table.customers_returns_only,
        customers_after_as_of: table.customers_after_as_of,
        revenue: total.revenue,
        segments,
        grid,
        score_ranges: ranges,
        quartiles,
        pareto: pareto(&table.net_value),
        rules,
        warnings,
    }
}

impl ScoreRanges {
    fn empty(bins: u32) -> ScoreRanges {
        ScoreRanges {
            recency_days: ScoreRange::list(bins),
            frequency: ScoreRange::list(bins),
            monetary: ScoreRange::list(bins),
        }
    }

    fn add(&mut self, table: &RfmTable, i: usize) {
        self.recency_days[table.r_score[i] as usize - 1].add(table.recency_days[i]);
        self.frequency[table.f_score[i] as usize - 1].add(table.frequency[i]);
        self.monetary[table.m_score[i] as usize - 1].add(table.monetary[i]);
    }
}

impl<T: Copy + PartialOrd> ScoreRange<T> {
    fn list(bins: u32) -> Vec<ScoreRange<T>> {
        (1..=bins as u8)
            .map(|score| ScoreRange {
                score,
                customers: 0,
                min: None,
                max: None,
            })
            .collect()
    }

    fn add(&mut self, value: T) {
        self.customers += 1;
        if self.min.is_none_or(|min| value < min) {
            self.min = Some(value);
        }
        if self.max.is_none_or(|max| value > max) {
            self.max = Some(value);
        }
    }
}

#[derive(Default)]
struct QuartileEdges {
    top_recency_max: Option<u32>,
    top_frequency_min: Option<u32>,
    top_monetary_min: Option<f64>,
    bottom_recency_min: Option<u32>,
}

impl QuartileEdges {
    fn add(&mut self, table: &RfmTable, i: usize) {
        let recency = table.recency_days[i];
        if table.r_quartile[i] == 4 && self.top_recency_max.is_none_or(|max| recency > max) {
            self.top_recency_max = Some(recency);
        }
        if table.r_quartile[i] == 1 && self.bottom_recency_min.is_none_or(|min| recency < min) {
            self.bottom_recency_min = Some(recency);
        }
        let frequency = table.frequency[i];
        if table.f_quartile[i] == 4 && self.top_frequency_min.is_none_or(|min| frequency < min) {
            self.top_frequency_min = Some(frequency);
        }
        let monetary = table.monetary[i];
        if table.m_quartile[i] == 4 && self.top_monetary_min.is_none_or(|min| monetary < min) {
            self.top_monetary_min = Some(monetary);
        }
    }
}

/// The Pareto curve over customers sorted by net value, largest first: point x (0..=100) is the
/// revenue share of the top `ceil(x% × n)` customers.
fn pareto(net_value: &[f64]) -> Pareto {
    let n = net_value.len();
    let total: f64 = net_value.iter().sum();
    if n == 0 || total <= 0.0 {
        return Pareto {
            points: Vec::new(),
            top20_revenue_share: None,
        };
    }
    let mut ranker = Ranker::default();
    let ascending = ranker.sort(net_value.iter().map(|&v| ordered_bits(v)));
    let mut points = Vec::with_capacity(PARETO_STEPS + 1);
    points.push(ParetoPoint {
        customer_share: 0.0,
        revenue_share: 0.0,
    });
    let mut taken = 0;
    let mut cumulative = 0.0;
    for step in 1..=PARETO_STEPS {
        let customers = (step * n).div_ceil(PARETO_STEPS);
        while taken < customers {
            cumulative += f64::from_bits(undo_ordered_bits(ascending[n - 1 - taken]));
            taken += 1;
        }
        points.push(ParetoPoint {
            customer_share: step as f64 / PARETO_STEPS as f64,
            revenue_share: cumulative / total,
        });
    }
    let top20_revenue_share = Some(points[PARETO_STEPS / 5].revenue_share);
    Pareto {
        points,
        top20_revenue_share,
    }
}

/// The inverse of [`ordered_bits`]: back to the `f64` bit pattern.
fn undo_ordered_bits(key: u64) -> u64 {
    if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::OrderBook;
    use crate::book::OrderKind::Purchase;
    use crate::rfm::{RfmOptions, score_customers};

    /// Tolerance for shares and means computed by summing floats.
    const SHARE_TOLERANCE: f64 = 1e-12;

    #[test]
    fn pareto_takes_the_biggest_customers_first() {
        let values = [10.0, 50.0, 0.0, 40.0, -5.0, 5.0];
        let curve = pareto(&values);
        assert_eq!(curve.points.len(), PARETO_STEPS + 1);
        let total = 100.0;
        // 20% of 6 customers → ceil(1.2) = 2 customers: 50 + 40
        assert!((curve.top20_revenue_share.unwrap() - 90.0 / total).abs() < SHARE_TOLERANCE);
        assert!((curve.points[PARETO_STEPS].revenue_share - 1.0).abs() < SHARE_TOLERANCE);
        assert!((curve.points[50].revenue_share - 100.0 / total).abs() < SHARE_TOLERANCE);
        assert_eq!(pareto(&[-1.0, 1.0]).points, []);
        for value in [-3.5, 0.0, 7.25, 1e300, -1e-300] {
            assert_eq!(
                f64::from_bits(undo_ordered_bits(ordered_bits(value))),
                value
            );
        }
    }

    #[test]
    fn segment_totals_add_up() {
        let mut orders = Vec::new();
        let ids: Vec<String> = (0..40).map(|i| format!("c{i}")).collect();
        for (i, id) in ids.iter().enumerate() {
            for k in 0..(i % 7 + 1) {
                orders.push((
                    Some(id.as_str()),
                    (i * 13 % 50 + k) as i32,
                    (i * 37 % 101) as f64 + 0.5,
                    Purchase,
                ));
            }
        }
        let book = OrderBook::from_orders(orders);
        for bins in [3, 5, 10] {
            let table = score_customers(
                &book,
                &RfmOptions {
                    bins,
                    ..RfmOptions::default()
                },
            )
            .expect("scores");
            let summary = summarize(&table);
            let customers: u32 = summary.segments.iter().map(|s| s.customers).sum();
            let revenue: f64 = summary.segments.iter().map(|s| s.revenue).sum();
            let in_grid: u32 = summary.grid.iter().map(|c| c.customers).sum();
            let by_rules: u32 = summary.rules.iter().map(|r| r.customers).sum();
            assert_eq!((customers, in_grid, by_rules), (40, 40, 40), "bins {bins}");
            assert_eq!(summary.grid.len(), (bins * bins) as usize);
            assert!((revenue - summary.revenue).abs() < SHARE_TOLERANCE * summary.revenue);
            let shares: f64 = summary.segments.iter().map(|s| s.customer_share).sum();
            assert!((shares - 1.0).abs() < SHARE_TOLERANCE);
            for dimension in [
                &summary.score_ranges.recency_days,
                &summary.score_ranges.frequency,
            ] {
                assert_eq!(dimension.iter().map(|r| r.customers).sum::<u32>(), 40);
            }
        }
    }
}
