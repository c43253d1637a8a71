//! What each ready audience is called and how it is defined, in English: static templates whose
//! `{param}` places are filled by one function, so that six audiences cost their text and no code
//! each. The page words them in every language from the id and the parameters
//! (`audience.<id>.name` and `.definition` in `www/src/messages/audiences.js`), which keeps the
//! other languages out of the `.wasm`.

use super::params::{self, PARAMS, ParamValues};

/// One ready audience's words and the parameters its definition uses.
pub struct Definition {
    pub id: &'static str,
    pub name: &'static str,
    pub definition: &'static str,
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
pub const REPLENISHMENT: usize = 6;
pub const CROSS_SELL: usize = 7;

/// The ready audiences, in the order results list them; the last two read line items (see
/// [`super::products`]) and are empty, with a note, when the book has none.
pub const DEFINITIONS: [Definition; 8] = [
    Definition {
        id: "dueToReorder",
        name: "Due to reorder",
        definition: "Likely to order again within the next {dueWithinDays} days (the median next-order date of the CLV model), with P(alive) at least {minPAlive}.",
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
        definition: "Repeat customers whose time since their last purchase went past {atRiskMultiplier}× their own typical gap within the last {slippedWithinDays} days.",
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
        definition: "The top {topValuePercent}% by expected value over the next {horizonDays} days (past revenue when the model cannot be fitted) who are at risk or lapsed, or whose P(alive) fell by {pAliveDrop} or more over the last {dropOverDays} days.",
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
        definition: "Bought on one day only, more than {oneAndDoneAfterDays} days ago (the store's typical gap), and never came back.",
        action: "secondPurchase",
        params: &[params::ONE_AND_DONE_AFTER_DAYS],
    },
    Definition {
        id: "vipThankYou",
        name: "VIP thank-you",
        definition: "In the top 25% on recency, frequency and monetary value: the RFM quartile view's VIP group.",
        action: "thankVips",
        params: &[],
    },
    Definition {
        id: "winBack",
        name: "Win back",
        definition: "Lapsed customers (no purchase for more than {lapsedMultiplier}× their typical gap) who bought on {winBackMinPurchaseDays} or more different days.",
        action: "winBackLapsed",
        params: &[
            params::LAPSED_MULTIPLIER,
            params::WIN_BACK_MIN_PURCHASE_DAYS,
            params::MIN_TYPICAL_GAP_DAYS,
        ],
    },
    Definition {
        id: "replenishment",
        name: "Replenishment",
        definition: "Bought one product on {minPurchases}+ days with steady gaps (CV at most {maxGapCv}) and due again: last purchase of it + mean gap within {replenishWithinDays} days of the as-of date, either way.",
        action: "replenishment",
        params: &[
            params::MIN_PURCHASES,
            params::MAX_GAP_CV,
            params::REPLENISH_WITHIN_DAYS,
        ],
    },
    Definition {
        id: "crossSell",
        name: "Post-purchase cross-sell",
        definition: "Bought in the last {boughtWithinDays} days; suggested: the product of highest lift (support at least {minSupport}) with their last order's products that they never bought.",
        action: "crossSell",
        params: &[params::BOUGHT_WITHIN_DAYS, params::MIN_SUPPORT],
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
            for template in [definition.definition] {
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
