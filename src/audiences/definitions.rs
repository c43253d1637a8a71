//! What each ready audience is called and how it is defined, in English and Vietnamese: static
//! templates whose `{param}` places are filled by one function, so that six audiences cost their
//! text and no code each.

use super::params::{self, PARAMS, ParamValues};

/// One ready audience's words and the parameters its definition uses.
pub struct Definition {
    pub id: &'static str,
    pub name: &'static str,
    pub name_vi: &'static str,
    pub definition: &'static str,
    pub definition_vi: &'static str,
    /// The seed playbook action it serves (a code the page words).
    pub action: &'static str,
    /// Indices into [`PARAMS`] of the parameters it reads.
    pub params: &'static [usize],
}

pub const DUE_TO_REORDER: usize = 0;
pub const JUST_SLIPPED: usize = 1;
pub const HIGH_VALUE_AT_RISK: usize = 2;
pub const ONE_AND_DONE: usize = 3;
pub const VIP_THANK_YOU: usize = 4;
pub const WIN_BACK: usize = 5;

/// The ready audiences, in the order results list them. Audiences read from line items
/// (cross-sell, replenishment) are rows to add here once the product analyses exist, with their
/// rule beside the others' in `members`.
pub const DEFINITIONS: [Definition; 6] = [
    Definition {
        id: "dueToReorder",
        name: "Due to reorder",
        name_vi: "Sắp đến lúc mua lại",
        definition: "Likely to order again within the next {dueWithinDays} days (the median next-order date of the CLV model), with P(alive) at least {minPAlive}.",
        definition_vi: "Có khả năng đặt hàng lại trong {dueWithinDays} ngày tới (ngày đặt hàng tiếp theo trung vị theo mô hình CLV), với P(còn mua) từ {minPAlive} trở lên.",
        action: "remindBeforeNextPurchase",
        params: &[
            params::DUE_WITHIN_DAYS,
            params::MIN_P_ALIVE,
            params::HORIZON_DAYS,
        ],
    },
    Definition {
        id: "justSlipped",
        name: "Just slipped",
        name_vi: "Vừa lỡ nhịp",
        definition: "Repeat customers whose time since their last purchase went past {atRiskMultiplier}× their own typical gap within the last {slippedWithinDays} days.",
        definition_vi: "Khách mua lặp lại có thời gian kể từ lần mua cuối vượt quá {atRiskMultiplier}× khoảng cách mua thường lệ của chính họ trong {slippedWithinDays} ngày qua.",
        action: "nudgeWhenQuiet",
        params: &[
            params::SLIPPED_WITHIN_DAYS,
            params::AT_RISK_MULTIPLIER,
            params::MIN_TYPICAL_GAP_DAYS,
        ],
    },
    Definition {
        id: "highValueAtRisk",
        name: "High value at risk",
        name_vi: "Khách giá trị cao có nguy cơ rời bỏ",
        definition: "The top {topValuePercent}% by expected value over the next {horizonDays} days (past revenue when the model cannot be fitted) who are at risk or lapsed, or whose P(alive) fell by {pAliveDrop} or more over the last {dropOverDays} days.",
        definition_vi: "Nhóm {topValuePercent}% khách có giá trị kỳ vọng cao nhất trong {horizonDays} ngày tới (doanh thu đã mua khi không ước lượng được mô hình) đang có nguy cơ hoặc đã rời bỏ, hoặc có P(còn mua) giảm từ {pAliveDrop} trở lên trong {dropOverDays} ngày qua.",
        action: "saveHighValue",
        params: &[
            params::TOP_VALUE_PERCENT,
            params::P_ALIVE_DROP,
            params::DROP_OVER_DAYS,
            params::AT_RISK_MULTIPLIER,
            params::LAPSED_MULTIPLIER,
            params::MIN_TYPICAL_GAP_DAYS,
            params::HORIZON_DAYS,
        ],
    },
    Definition {
        id: "oneAndDone",
        name: "One and done",
        name_vi: "Mua một lần rồi thôi",
        definition: "Bought on one day only, more than {oneAndDoneAfterDays} days ago (the store's typical gap), and never came back.",
        definition_vi: "Chỉ mua vào một ngày, cách đây hơn {oneAndDoneAfterDays} ngày (khoảng cách mua thường lệ của cửa hàng), và chưa quay lại.",
        action: "secondPurchase",
        params: &[params::ONE_AND_DONE_AFTER_DAYS],
    },
    Definition {
        id: "vipThankYou",
        name: "VIP thank-you",
        name_vi: "Tri ân khách VIP",
        definition: "In the top 25% on recency, frequency and monetary value: the RFM quartile view's VIP group.",
        definition_vi: "Thuộc nhóm 25% cao nhất về độ gần đây, tần suất và giá trị mua: nhóm VIP của góc nhìn tứ phân vị RFM.",
        action: "thankVips",
        params: &[],
    },
    Definition {
        id: "winBack",
        name: "Win back",
        name_vi: "Kéo khách quay lại",
        definition: "Lapsed customers (no purchase for more than {lapsedMultiplier}× their typical gap) who bought on {winBackMinPurchaseDays} or more different days.",
        definition_vi: "Khách đã rời bỏ (không mua quá {lapsedMultiplier}× khoảng cách mua thường lệ của họ) từng mua vào {winBackMinPurchaseDays} ngày khác nhau trở lên.",
        action: "winBackLapsed",
        params: &[
            params::LAPSED_MULTIPLIER,
            params::WIN_BACK_MIN_PURCHASE_DAYS,
            params::MIN_TYPICAL_GAP_DAYS,
        ],
    },
];

/// The position of the audience `id` in [`DEFINITIONS`].
pub fn index_of(id: &str) -> Option<usize> {
    DEFINITIONS.iter().position(|d| d.id == id)
}

/// `template` with every `{name}` of a parameter replaced by its value.
pub fn fill(template: &str, values: &ParamValues) -> String {
    let mut text = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').unwrap_or(after.len());
        let name = &after[..close];
        match PARAMS.iter().position(|p| p.name == name) {
            Some(index) => text.push_str(&values.get(index).to_string()),
            None => text.push_str(rest.get(open..open + close + 2).unwrap_or(&rest[open..])),
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    text.push_str(rest);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_names_a_parameter_the_audience_lists() {
        for definition in &DEFINITIONS {
            for template in [definition.definition, definition.definition_vi] {
                let filled = fill(template, &ParamValues([1.5; PARAMS.len()]));
                assert!(!filled.contains('{'), "{filled}");
                for (index, param) in PARAMS.iter().enumerate() {
                    if template.contains(&["{", param.name, "}"].concat()) {
                        assert!(
                            definition.params.contains(&index),
                            "{} reads {}",
                            definition.id,
                            param.name
                        );
                    }
                }
            }
        }
        let values = ParamValues::default();
        assert_eq!(
            fill("within {dueWithinDays} days, {x}", &values),
            "within 7 days, {x}"
        );
    }
}
