//! The named segments (what each means and what a store does about it, in English and Vietnamese)
//! and the ordered rule table that maps R, F and M scores to them.
//!
//! Rules are checked in order and the first whose three ranges all contain the customer's scores
//! wins. The table is compiled once into a lookup over every score combination, so assigning a
//! segment costs one array read per customer.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::RfmError;
use super::ranking::rescale_to_five;

/// The scale rule ranges are written on, whatever the number of bins.
pub const RULE_SCALE: u8 = 5;

/// Number of (R, F, M) combinations on the rule scale: 5 × 5 × 5.
pub const COMBINATIONS: usize = (RULE_SCALE as usize).pow(3);

/// What a named segment means and the action a store takes, shown beside it in the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentInfo {
    /// A stable snake_case name the page words the segment by (`champions`, `at_risk`…); the
    /// English `name` is what CSV exports and SQL write.
    pub code: &'static str,
    pub name: &'static str,
    pub name_vi: &'static str,
    pub meaning: &'static str,
    pub meaning_vi: &'static str,
    pub action: &'static str,
    pub action_vi: &'static str,
}

/// The 11 segment names users know from the R `rfm` package and Shopify, in the order the UI
/// lists them (best customers first, lost ones last).
pub const SEGMENTS: [SegmentInfo; 11] = [
    SegmentInfo {
        code: "champions",
        name: "Champions",
        name_vi: "Nhà vô địch",
        meaning: "bought recently, buy often, spend the most",
        meaning_vi: "mua gần đây, mua thường xuyên, chi tiêu nhiều nhất",
        action: "reward, early access, ask for reviews and referrals",
        action_vi: "tri ân, cho dùng sớm sản phẩm mới, mời đánh giá và giới thiệu bạn bè",
    },
    SegmentInfo {
        code: "loyal_customers",
        name: "Loyal Customers",
        name_vi: "Khách hàng trung thành",
        meaning: "buy often and spend well",
        meaning_vi: "mua thường xuyên và chi tiêu tốt",
        action: "upsell, loyalty programme",
        action_vi: "gợi ý sản phẩm cao cấp hơn, chương trình khách hàng thân thiết",
    },
    SegmentInfo {
        code: "potential_loyalist",
        name: "Potential Loyalist",
        name_vi: "Tiềm năng trung thành",
        meaning: "recent, a few orders",
        meaning_vi: "mua gần đây, đã có vài đơn hàng",
        action: "membership, personalised recommendations",
        action_vi: "mời làm thành viên, gợi ý sản phẩm theo sở thích",
    },
    SegmentInfo {
        code: "new_customers",
        name: "New Customers",
        name_vi: "Khách hàng mới",
        meaning: "first order very recently",
        meaning_vi: "vừa đặt đơn hàng đầu tiên",
        action: "onboarding, a good first experience",
        action_vi: "hướng dẫn ban đầu, tạo trải nghiệm đầu tiên thật tốt",
    },
    SegmentInfo {
        code: "promising",
        name: "Promising",
        name_vi: "Đầy hứa hẹn",
        meaning: "recent first-time buyers of modest value",
        meaning_vi: "mới mua lần đầu gần đây, giá trị vừa phải",
        action: "brand awareness, trials",
        action_vi: "tăng nhận biết thương hiệu, cho dùng thử",
    },
    SegmentInfo {
        code: "need_attention",
        name: "Need Attention",
        name_vi: "Cần quan tâm",
        meaning: "above average, slipping",
        meaning_vi: "trên mức trung bình nhưng đang giảm dần",
        action: "limited-time offers based on their history",
        action_vi: "ưu đãi có thời hạn dựa trên lịch sử mua hàng",
    },
    SegmentInfo {
        code: "about_to_sleep",
        name: "About To Sleep",
        name_vi: "Sắp ngủ quên",
        meaning: "below average and fading",
        meaning_vi: "dưới mức trung bình và đang nhạt dần",
        action: "share popular products, reconnect",
        action_vi: "giới thiệu sản phẩm được ưa chuộng, kết nối lại",
    },
    SegmentInfo {
        code: "at_risk",
        name: "At Risk",
        name_vi: "Có nguy cơ rời bỏ",
        meaning: "used to buy often and spend well, not lately",
        meaning_vi: "từng mua thường xuyên và chi tiêu tốt, nhưng gần đây thì không",
        action: "personalised win-back, renewals",
        action_vi: "chiến dịch kéo khách quay lại được cá nhân hoá, gia hạn",
    },
    SegmentInfo {
        code: "cant_lose_them",
        name: "Can't Lose Them",
        name_vi: "Không thể để mất",
        meaning: "were among the best, long gone",
        meaning_vi: "từng thuộc nhóm tốt nhất, đã lâu không quay lại",
        action: "win them back, talk to them",
        action_vi: "giành lại họ, trò chuyện trực tiếp với họ",
    },
    SegmentInfo {
        code: "hibernating",
        name: "Hibernating",
        name_vi: "Ngủ đông",
        meaning: "low value, long since the last order",
        meaning_vi: "giá trị thấp, đã lâu kể từ đơn cuối",
        action: "relevant offers, special discounts",
        action_vi: "ưu đãi phù hợp, giảm giá đặc biệt",
    },
    SegmentInfo {
        code: "lost",
        name: "Lost",
        name_vi: "Đã mất",
        meaning: "lowest on all three",
        meaning_vi: "thấp nhất ở cả ba chỉ số",
        action: "revive with outreach, else leave alone",
        action_vi: "thử tiếp cận để khơi lại, nếu không thì bỏ qua",
    },
];

/// Looks a segment up by name, ignoring case and surrounding spaces.
pub fn segment_info(name: &str) -> Option<&'static SegmentInfo> {
    let name = name.trim();
    SEGMENTS
        .iter()
        .find(|info| info.name.eq_ignore_ascii_case(name))
}

/// One row of a rule table: customers whose R, F and M scores (on the 1–5 scale) all fall in
/// the inclusive ranges belong to `segment`, unless an earlier rule caught them.
///
/// Ranges are `[min, max]`; they are `i64` so that any number a user types reaches validation and
/// gets a message, instead of failing as a type error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentRule {
    pub segment: String,
    pub r: [i64; 2],
    pub f: [i64; 2],
    pub m: [i64; 2],
}

impl SegmentRule {
    pub fn new(segment: &str, r: [i64; 2], f: [i64; 2], m: [i64; 2]) -> SegmentRule {
        SegmentRule {
            segment: segment.to_string(),
            r,
            f,
            m,
        }
    }

    /// Whether the rule's ranges contain the scores (all on the 1–5 scale).
    pub fn contains(&self, r: u8, f: u8, m: u8) -> bool {
        let within =
            |range: [i64; 2], score: u8| range[0] <= score as i64 && score as i64 <= range[1];
        within(self.r, r) && within(self.f, f) && within(self.m, m)
    }
}

/// The standard table: every one of the 11 segments is reachable and every one of the 125
/// combinations lands in exactly one segment (pinned by tests), without a catch-all.
///
/// Reading it by recency: R 4–5 are active customers (Champions, Loyal, Potential Loyalist, New,
/// Promising); R 3 is the middle (Loyal, Need Attention, About To Sleep); R 1–2 have lapsed
/// (Can't Lose Them, At Risk, Need Attention, Lost, Hibernating). "Can't Lose Them" must come
/// before "At Risk", and "Lost" before "Hibernating", because the later rule's ranges contain the
/// earlier one's.
pub fn standard_rules() -> Vec<SegmentRule> {
    type Row = (&'static str, [i64; 2], [i64; 2], [i64; 2]);
    const STANDARD: [Row; 11] = [
        ("Champions", [4, 5], [4, 5], [4, 5]),
        ("Loyal Customers", [3, 5], [3, 5], [3, 5]),
        ("Potential Loyalist", [4, 5], [2, 5], [1, 5]),
        ("New Customers", [5, 5], [1, 1], [1, 5]),
        ("Promising", [4, 4], [1, 1], [1, 5]),
        ("Can't Lose Them", [1, 1], [4, 5], [4, 5]),
        ("At Risk", [1, 2], [3, 5], [3, 5]),
        ("Need Attention", [2, 3], [2, 5], [2, 5]),
        ("About To Sleep", [3, 3], [1, 5], [1, 5]),
        ("Lost", [1, 1], [1, 2], [1, 2]),
        ("Hibernating", [1, 2], [1, 5], [1, 5]),
    ];
    STANDARD
        .iter()
        .map(|&(segment, r, f, m)| SegmentRule::new(segment, r, f, m))
        .collect()
}

/// A validated rule table compiled for fast lookup.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleTable {
    rules: Vec<SegmentRule>,
    /// Distinct segment names: the known ones in [`SEGMENTS`] order, then custom names in the order
    /// they first appear in the rules.
    segments: Vec<String>,
    /// Segment index of each rule.
    rule_segment: Vec<u8>,
    /// Rule index catching each combination, at `combination_index(r, f, m)` (1–5 scale).
    rule_of_combination: [u8; COMBINATIONS],
}

impl RuleTable {
    /// The standard table ([`standard_rules`]).
    pub fn standard() -> RuleTable {
        // The standard table passes validation (a test pins it), so this never falls back; the
        // fallback keeps the function panic-free regardless.
        RuleTable::new(standard_rules()).unwrap_or_else(|_| RuleTable::catch_all())
    }

    /// A one-rule table, only reachable if the standard table were broken.
    fn catch_all() -> RuleTable {
        RuleTable {
            rules: vec![SegmentRule::new("Hibernating", [1, 5], [1, 5], [1, 5])],
            segments: vec!["Hibernating".to_string()],
            rule_segment: vec![0],
            rule_of_combination: [0; COMBINATIONS],
        }
    }

    /// Validates a user's rule table: at least one rule and at most 125, every segment named,
    /// every range two whole scores from 1 to 5 with min ≤ max, and every combination caught.
    pub fn new(rules: Vec<SegmentRule>) -> Result<RuleTable, RfmError> {
        if rules.is_empty() {
            return Err(RfmError::EmptyRules);
        }
        if rules.len() > COMBINATIONS {
            return Err(RfmError::TooManyRules { count: rules.len() });
        }
        for (index, rule) in rules.iter().enumerate() {
            if rule.segment.trim().is_empty() {
                return Err(RfmError::EmptySegmentName { rule: index + 1 });
            }
            for (dimension, range) in [('R', rule.r), ('F', rule.f), ('M', rule.m)] {
                let in_scale = |score: i64| (1..=RULE_SCALE as i64).contains(&score);
                if !in_scale(range[0]) || !in_scale(range[1]) || range[0] > range[1] {
                    return Err(RfmError::RuleRange {
                        rule: index + 1,
                        segment: rule.segment.trim().to_string(),
                        dimension,
                        min: range[0],
                        max: range[1],
                    });
                }
            }
        }

        let mut rule_of_combination = [0u8; COMBINATIONS];
        let mut uncovered = Vec::new();
        for (r, f, m) in all_combinations() {
            match rules.iter().position(|rule| rule.contains(r, f, m)) {
                Some(index) => rule_of_combination[combination_index(r, f, m)] = index as u8,
                None => uncovered.push((r, f, m)),
            }
        }
        if let Some(&(r, f, m)) = uncovered.first() {
            return Err(RfmError::Uncovered {
                r,
                f,
                m,
                others: uncovered.len() - 1,
            });
        }

        let mut named: Vec<String> = Vec::new();
        for rule in &rules {
            let name = canonical_name(&rule.segment);
            if !named.contains(&name) {
                named.push(name);
            }
        }
        // Known segments first, in catalogue order; custom ones after, in order of appearance
        // (picked rather than sorted: a sort's code is kilobytes of the `.wasm`).
        let known = |name: &str| SEGMENTS.iter().any(|info| info.name == name);
        let mut names: Vec<String> = SEGMENTS
            .iter()
            .filter(|info| named.iter().any(|name| name == info.name))
            .map(|info| info.name.to_string())
            .collect();
        names.extend(named.into_iter().filter(|name| !known(name)));
        let rule_segment = rules
            .iter()
            .map(|rule| {
                let name = canonical_name(&rule.segment);
                names.iter().position(|n| *n == name).unwrap_or(0) as u8
            })
            .collect();
        let rules = rules
            .into_iter()
            .map(|rule| SegmentRule {
                segment: canonical_name(&rule.segment),
                ..rule
            })
            .collect();
        Ok(RuleTable {
            rules,
            segments: names,
            rule_segment,
            rule_of_combination,
        })
    }

    pub fn rules(&self) -> &[SegmentRule] {
        &self.rules
    }

    /// Distinct segment names; per-customer segment indices point into this list.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// Segment index of the rule at `rule`.
    pub fn segment_of_rule(&self, rule: usize) -> usize {
        self.rule_segment[rule] as usize
    }

    /// Index of the first rule catching scores on the 1–5 scale (each in 1..=5).
    pub fn rule_for(&self, r: u8, f: u8, m: u8) -> usize {
        self.rule_of_combination[combination_index(r, f, m)] as usize
    }

    /// Segment index for scores on the 1–5 scale (each in 1..=5).
    pub fn segment_for(&self, r: u8, f: u8, m: u8) -> usize {
        self.segment_of_rule(self.rule_for(r, f, m))
    }

    /// How many of the 125 combinations each rule catches first (0 = shadowed by earlier rules).
    pub fn combinations_per_rule(&self) -> Vec<u32> {
        let mut counts = vec![0u32; self.rules.len()];
        for &rule in &self.rule_of_combination {
            counts[rule as usize] += 1;
        }
        counts
    }

    /// Segment index for every combination of scores on `bins` bins, at
    /// `(r − 1)·bins² + (f − 1)·bins + (m − 1)`, after rescaling each score to the 1–5 scale.
    pub(crate) fn segment_lookup(&self, bins: u32) -> Vec<u8> {
        let bins = bins as u8;
        let mut lookup = Vec::with_capacity((bins as usize).pow(3));
        for r in 1..=bins {
            for f in 1..=bins {
                for m in 1..=bins {
                    let segment = self.segment_for(
                        rescale_to_five(r, bins as u32),
                        rescale_to_five(f, bins as u32),
                        rescale_to_five(m, bins as u32),
                    );
                    lookup.push(segment as u8);
                }
            }
        }
        lookup
    }

    /// The table as a markdown table, for the README and for people reading test failures.
    pub fn to_markdown(&self) -> String {
        let mut text =
            String::from("| # | segment | R | F | M |\n| --- | --- | --- | --- | --- |\n");
        let range = |range: [i64; 2]| {
            if range[0] == range[1] {
                range[0].to_string()
            } else {
                format!("{}–{}", range[0], range[1])
            }
        };
        for (index, rule) in self.rules.iter().enumerate() {
            let _ = writeln!(
                text,
                "| {} | {} | {} | {} | {} |",
                index + 1,
                rule.segment,
                range(rule.r),
                range(rule.f),
                range(rule.m)
            );
        }
        text
    }
}

/// The catalogue's spelling of a known segment name, or the trimmed custom name.
fn canonical_name(name: &str) -> String {
    match segment_info(name) {
        Some(info) => info.name.to_string(),
        None => name.trim().to_string(),
    }
}

/// Position of a combination of 1–5 scores in a 125-entry table.
pub fn combination_index(r: u8, f: u8, m: u8) -> usize {
    let scale = RULE_SCALE as usize;
    (r as usize - 1) * scale * scale + (f as usize - 1) * scale + (m as usize - 1)
}

/// Every (R, F, M) combination on the 1–5 scale, R slowest.
pub fn all_combinations() -> impl Iterator<Item = (u8, u8, u8)> {
    (1..=RULE_SCALE)
        .flat_map(|r| (1..=RULE_SCALE).flat_map(move |f| (1..=RULE_SCALE).map(move |m| (r, f, m))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_table_maps_every_combination_and_reaches_every_segment() {
        let table = RuleTable::new(standard_rules()).expect("the standard table is valid");
        assert_eq!(table.segments().len(), SEGMENTS.len());
        for (position, info) in SEGMENTS.iter().enumerate() {
            assert_eq!(
                table.segments()[position],
                info.name,
                "segments listed in catalogue order"
            );
        }
        let mut reached = [0u32; 11];
        for (r, f, m) in all_combinations() {
            let first = standard_rules()
                .iter()
                .position(|rule| rule.contains(r, f, m));
            assert_eq!(first, Some(table.rule_for(r, f, m)), "R={r} F={f} M={m}");
            reached[table.segment_for(r, f, m)] += 1;
        }
        assert!(
            reached.iter().all(|&n| n > 0),
            "unreached segment: {reached:?}"
        );
        assert_eq!(reached.iter().sum::<u32>(), COMBINATIONS as u32);
        assert!(
            table.combinations_per_rule().iter().all(|&n| n > 0),
            "a standard rule is shadowed"
        );
    }

    #[test]
    fn invalid_tables_are_rejected_with_a_message() {
        let full = [1, 5];
        let cases: [(Vec<SegmentRule>, &str); 6] = [
            (vec![], "empty"),
            (
                vec![SegmentRule::new(" ", full, full, full)],
                "rule 1: the segment name is empty",
            ),
            (
                vec![SegmentRule::new("Lost", [3, 2], full, full)],
                "rule 1 (Lost): R range [3, 2]",
            ),
            (
                vec![SegmentRule::new("Lost", full, [0, 5], full)],
                "F range [0, 5]",
            ),
            (
                vec![SegmentRule::new("Lost", full, full, [1, 6])],
                "M range [1, 6]",
            ),
            (
                vec![
                    SegmentRule::new("Lost", full, [1, 4], full),
                    SegmentRule::new("X", [1, 1], [5, 5], full),
                ],
                "no rule catches R=2 F=5 M=1 (and 19 other combinations)",
            ),
        ];
        for (rules, expected) in cases {
            let message = RuleTable::new(rules).expect_err(expected).to_string();
            assert!(
                message.contains(expected),
                "{message:?} should contain {expected:?}"
            );
        }
    }

    #[test]
    fn custom_names_keep_their_spelling_and_known_names_are_canonical() {
        let table = RuleTable::new(vec![
            SegmentRule::new("  vip club ", [5, 5], [5, 5], [5, 5]),
            SegmentRule::new("champions", [4, 5], [1, 5], [1, 5]),
            SegmentRule::new("everyone else", [1, 5], [1, 5], [1, 5]),
        ])
        .expect("valid");
        assert_eq!(table.segments(), ["Champions", "vip club", "everyone else"]);
        assert_eq!(table.segment_for(5, 5, 5), 1);
        assert_eq!(table.segment_for(4, 1, 1), 0);
        assert_eq!(table.segment_for(1, 5, 5), 2);
        assert_eq!(table.combinations_per_rule(), [1, 49, 75]);
    }

    #[test]
    fn every_segment_has_both_languages() {
        for info in SEGMENTS {
            for text in [
                info.name_vi,
                info.meaning,
                info.meaning_vi,
                info.action,
                info.action_vi,
            ] {
                assert!(!text.trim().is_empty(), "{} lacks a text", info.name);
            }
            assert_eq!(segment_info(&info.name.to_uppercase()), Some(&info));
        }
    }
}
