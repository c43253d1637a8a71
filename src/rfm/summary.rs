//! Small aggregates of an RFM table for the UI: segments, the R×F grid, score ranges, the
//! quartile view, the Pareto curve and per-rule counts. One pass over the customers plus one sort
//! for the Pareto curve.

use serde::Serialize;

use super::ranking::{Ranker, amount_key, key_range, rescale_to_five};
use super::segments::{COMBINATIONS, combination_index, segment_info};
use super::{MonetaryMode, RfmTable};
use crate::message::{Code, Message};

/// Points on the Pareto curve after the origin: one per percent of customers.
pub const PARETO_STEPS: usize = 100;

/// The aggregates `rfm()` returns to JS (camelCase there).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RfmSummary {
    /// `YYYY-MM-DD`.
    #[serde(serialize_with = "crate::day::serialize")]
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
    /// Things the user should know about this result (shadowed rules, tiny data), in English.
    pub warnings: Vec<String>,
    /// Each of `warnings` with its stable code and params, for a page to word it.
    pub warning_codes: Vec<Message>,
}

/// One named segment. Texts are `None` for custom segment names the catalogue does not know.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentSummary {
    /// The catalogue segment's stable code (`champions`…); `None` for a custom segment name.
    pub code: Option<&'static str>,
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

/// Sums over a set of customers; means follow from them.
#[derive(Clone, Copy, Default)]
struct Totals {
    customers: u32,
    recency: u64,
    frequency: u64,
    revenue: f64,
    monetary: f64,
}

impl Totals {
    fn add(&mut self, recency: u32, frequency: u32, net_value: f64, monetary: f64) {
        self.customers += 1;
        self.recency += recency as u64;
        self.frequency += frequency as u64;
        self.revenue += net_value;
        self.monetary += monetary;
    }

    fn merge(&mut self, other: &Totals) {
        self.customers += other.customers;
        self.recency += other.recency;
        self.frequency += other.frequency;
        self.revenue += other.revenue;
        self.monetary += other.monetary;
    }

    fn mean(&self, sum: f64) -> Option<f64> {
        (self.customers > 0).then(|| sum / self.customers as f64)
    }
}

/// Smallest and largest value per score, without branches in the customer loop.
struct Extremes<T> {
    min: Vec<T>,
    max: Vec<T>,
}

impl<T: Copy + PartialOrd> Extremes<T> {
    fn new(scores: usize, lowest: T, highest: T) -> Extremes<T> {
        Extremes {
            min: vec![highest; scores],
            max: vec![lowest; scores],
        }
    }

    fn add(&mut self, score: u8, value: T) {
        let slot = score as usize - 1;
        if value < self.min[slot] {
            self.min[slot] = value;
        }
        if value > self.max[slot] {
            self.max[slot] = value;
        }
    }

    /// `(min, max)` of a score, `None` when no customer has it.
    fn range(&self, score: u8, customers: u32) -> (Option<T>, Option<T>) {
        let slot = score as usize - 1;
        if customers == 0 {
            (None, None)
        } else {
            (Some(self.min[slot]), Some(self.max[slot]))
        }
    }
}

/// Aggregates an RFM table.
///
/// One pass accumulates per score cell (bins³ of them) and per quartile cell (4³); segments, the
/// grid, rule counts and the quartile groups are sums of cells, because each follows from the
/// scores.
pub fn summarize(table: &RfmTable) -> RfmSummary {
    let n = table.len();
    let bins = table.bins as usize;
    let mut cells = vec![Totals::default(); bins * bins * bins];
    let mut quartile_cells = [Totals::default(); 64];
    let mut recency = Extremes::new(bins, u32::MIN, u32::MAX);
    let mut frequency = Extremes::new(bins, u32::MIN, u32::MAX);
    let mut monetary = Extremes::new(bins, f64::NEG_INFINITY, f64::INFINITY);
    let mut recency_quartiles = Extremes::new(4, u32::MIN, u32::MAX);
    let mut frequency_quartiles = Extremes::new(4, u32::MIN, u32::MAX);
    let mut monetary_quartiles = Extremes::new(4, f64::NEG_INFINITY, f64::INFINITY);
    let t = table;
    for i in 0..n {
        let (days, times, net, money) = (
            t.recency_days[i],
            t.frequency[i],
            t.net_value[i],
            t.monetary()[i],
        );
        let (r, f, m) = (
            t.r_score[i] as usize,
            t.f_score[i] as usize,
            t.m_score[i] as usize,
        );
        let (rq, fq, mq) = (
            t.r_quartile[i] as usize,
            t.f_quartile[i] as usize,
            t.m_quartile[i] as usize,
        );
        cells[((r - 1) * bins + f - 1) * bins + m - 1].add(days, times, net, money);
        quartile_cells[((rq - 1) * 4 + fq - 1) * 4 + mq - 1].add(days, times, net, money);
        recency.add(r as u8, days);
        frequency.add(f as u8, times);
        monetary.add(m as u8, money);
        recency_quartiles.add(rq as u8, days);
        frequency_quartiles.add(fq as u8, times);
        monetary_quartiles.add(mq as u8, money);
    }

    let segment_of_cell = table.rules.segment_lookup(table.bins);
    let segment_names = table.rules.segments();
    let mut total = Totals::default();
    let mut per_segment = vec![Totals::default(); segment_names.len()];
    let mut grid = vec![Totals::default(); bins * bins];
    let mut per_combination = [0u32; COMBINATIONS];
    for (cell, totals) in cells.iter().enumerate() {
        total.merge(totals);
        per_segment[segment_of_cell[cell] as usize].merge(totals);
        grid[cell / bins].merge(totals);
        let five = |score: usize| rescale_to_five(score as u8 + 1, table.bins);
        let (r, f, m) = (cell / (bins * bins), cell / bins % bins, cell % bins);
        per_combination[combination_index(five(r), five(f), five(m))] += totals.customers;
    }
    let quartile_cell =
        |r: usize, f: usize, m: usize| &quartile_cells[((r - 1) * 4 + f - 1) * 4 + m - 1];
    let (vip, reactivate) = (quartile_cell(4, 4, 4), quartile_cell(1, 4, 4));
    let count_scores = |dimension: &[u8], scores: usize| {
        let mut counts = vec![0u32; scores];
        for &score in dimension {
            counts[score as usize - 1] += 1;
        }
        counts
    };
    let ranges = ScoreRanges::from_extremes(
        &recency,
        &frequency,
        &monetary,
        [
            &count_scores(&t.r_score, bins),
            &count_scores(&t.f_score, bins),
            &count_scores(&t.m_score, bins),
        ],
    );
    let quartile_counts = [
        count_scores(&t.r_quartile, 4),
        count_scores(&t.f_quartile, 4),
        count_scores(&t.m_quartile, 4),
    ];

    let share = |part: u32| if n > 0 { part as f64 / n as f64 } else { 0.0 };
    let revenue_share = |part: f64| (total.revenue > 0.0).then(|| part / total.revenue);

    let segments = segment_names
        .iter()
        .zip(&per_segment)
        .map(|(name, totals)| {
            let info = segment_info(name);
            let purchases = totals.frequency;
            SegmentSummary {
                code: info.map(|i| i.code),
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
                mean_recency: totals.mean(totals.recency as f64),
                mean_frequency: totals.mean(totals.frequency as f64),
                mean_monetary: totals.mean(totals.monetary),
                mean_order_value: (purchases > 0).then(|| totals.revenue / purchases as f64),
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
        vip: group(vip),
        reactivate: group(reactivate),
        top_recency_max: recency_quartiles.range(4, quartile_counts[0][3]).1,
        top_frequency_min: frequency_quartiles.range(4, quartile_counts[1][3]).0,
        top_monetary_min: monetary_quartiles.range(4, quartile_counts[2][3]).0,
        bottom_recency_min: recency_quartiles.range(1, quartile_counts[0][0]).0,
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

    let mut warning_codes = Vec::new();
    for (index, (rule, &count)) in table.rules.rules().iter().zip(&combinations).enumerate() {
        if count == 0 {
            let text = format!(
                "rule {} ({}) never applies: earlier rules catch all of its score combinations",
                index + 1,
                rule.segment
            );
            warning_codes.push(
                Message::new(Code::RFM_RULE_NEVER_APPLIES, text)
                    .with("rule", index + 1)
                    .with("segment", &rule.segment),
            );
        }
    }
    if n > 0 && n < table.bins as usize {
        let text = format!(
            "only {n} customers for {} bins: some scores are empty",
            table.bins
        );
        warning_codes.push(
            Message::new(Code::RFM_FEW_CUSTOMERS, text)
                .with("customers", n)
                .with("bins", table.bins),
        );
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
        pareto: table
            .pareto
            .clone()
            .unwrap_or_else(|| pareto(&table.net_value)),
        rules,
        warnings: warning_codes.iter().map(|w| w.message.clone()).collect(),
        warning_codes,
    }
}

impl ScoreRanges {
    fn from_extremes(
        recency: &Extremes<u32>,
        frequency: &Extremes<u32>,
        monetary: &Extremes<f64>,
        customers: [&[u32]; 3],
    ) -> ScoreRanges {
        fn list<T: Copy + PartialOrd>(
            extremes: &Extremes<T>,
            customers: &[u32],
        ) -> Vec<ScoreRange<T>> {
            (1..=customers.len() as u8)
                .map(|score| {
                    let count = customers[score as usize - 1];
                    let (min, max) = extremes.range(score, count);
                    ScoreRange {
                        score,
                        customers: count,
                        min,
                        max,
                    }
                })
                .collect()
        }
        ScoreRanges {
            recency_days: list(recency, customers[0]),
            frequency: list(frequency, customers[1]),
            monetary: list(monetary, customers[2]),
        }
    }
}

/// The Pareto curve over customers sorted by net value, largest first: point x (0..=100) is the
/// revenue share of the top `ceil(x% × n)` customers.
fn pareto(net_value: &[f64]) -> Pareto {
    // Sorted as the scores sort amounts; equal amounts are the same settled double, so the
    // order among ties does not change a sum.
    let mut ranker = Ranker::default();
    let key = amount_key(net_value);
    let (min, max) = key_range(net_value.len(), &key).unwrap_or((0, 0));
    ranker.sort_positions(net_value.len(), &|i| key(i) - min, max - min);
    let descending = ranker.sorted_positions().into_iter().flatten().rev();
    pareto_from_descending(net_value, descending.map(|i| net_value[i]))
}

/// The Pareto curve from the customers' net values and the same values largest first.
pub(super) fn pareto_from_descending(
    net_value: &[f64],
    mut descending: impl Iterator<Item = f64>,
) -> Pareto {
    let n = net_value.len();
    let total: f64 = net_value.iter().sum();
    if n == 0 || total <= 0.0 {
        return Pareto {
            points: Vec::new(),
            top20_revenue_share: None,
        };
    }
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
            cumulative += descending.next().unwrap_or(0.0);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::OrderBook;
    use crate::book::OrderKind::{Purchase, Return};
    use crate::rfm::{RfmOptions, score_customers};

    /// Tolerance for shares and means computed by summing floats.
    const SHARE_TOLERANCE: f64 = 1e-12;

    #[test]
    fn the_pareto_curve_from_scoring_is_the_sorted_one() {
        let ids: Vec<String> = (0..3_000).map(|i| format!("c{i}")).collect();
        let orders = (0..9_000u64).map(|i| {
            let value = ((i * 7_919) % 1_013) as f64 * 0.25 - 20.0;
            let kind = if value < 0.0 { Return } else { Purchase };
            (
                Some(ids[(i * 31 % 3_000) as usize].as_str()),
                (i % 400) as i32,
                value,
                kind,
            )
        });
        let book = OrderBook::from_orders(orders);
        let table = score_customers(&book, &RfmOptions::default()).expect("scores");
        let from_scoring = table.pareto.clone().expect("total mode sorts by net value");
        assert_eq!(from_scoring, pareto(&table.net_value));
        assert!(from_scoring.points.len() == PARETO_STEPS + 1);
    }

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
