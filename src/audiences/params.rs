//! The audiences' parameters: one table of names, defaults and ranges, read and checked by one
//! loop, so that a new parameter costs a row rather than code.

use crate::message::{Expected, Message, Rule};

/// One tunable number of the audiences.
pub struct Param {
    /// The name the JS API uses (`params: { dueWithinDays: 14 }`).
    pub name: &'static str,
    /// The default; NaN for "measured from the data" (the store's typical gap).
    pub default: f64,
    pub min: f64,
    pub max: f64,
    /// What the parameter can take, for the message when it is out of range.
    pub expected: Expected,
}

const fn param(name: &'static str, default: f64, min: f64, max: f64, expected: Expected) -> Param {
    Param {
        name,
        default,
        min,
        max,
        expected,
    }
}

pub const DUE_WITHIN_DAYS: usize = 0;
pub const MIN_P_ALIVE: usize = 1;
pub const SLIPPED_WITHIN_DAYS: usize = 2;
pub const AT_RISK_MULTIPLIER: usize = 3;
pub const LAPSED_MULTIPLIER: usize = 4;
pub const MIN_TYPICAL_GAP_DAYS: usize = 5;
pub const TOP_VALUE_PERCENT: usize = 6;
pub const P_ALIVE_DROP: usize = 7;
pub const DROP_OVER_DAYS: usize = 8;
pub const ONE_AND_DONE_AFTER_DAYS: usize = 9;
pub const WIN_BACK_MIN_PURCHASE_DAYS: usize = 10;
pub const HORIZON_DAYS: usize = 11;
pub const MIN_PURCHASES: usize = 12;
pub const MAX_GAP_CV: usize = 13;
pub const REPLENISH_WITHIN_DAYS: usize = 14;
pub const BOUGHT_WITHIN_DAYS: usize = 15;
pub const MIN_SUPPORT: usize = 16;

/// Every parameter; the lifecycle ones default to the lifecycle view's rules
/// ([`crate::lifecycle::LifecycleRules::default`]), so that its stages and the audiences agree.
pub const PARAMS: [Param; 17] = [
    param(
        "dueWithinDays",
        7.0,
        1.0,
        365.0,
        Expected::with(&Rule::DAYS, 1.0, 365.0),
    ),
    param("minPAlive", 0.7, 0.0, 1.0, Expected::of(&Rule::SHARE)),
    param(
        "slippedWithinDays",
        7.0,
        1.0,
        365.0,
        Expected::with(&Rule::DAYS, 1.0, 365.0),
    ),
    param(
        "atRiskMultiplier",
        2.0,
        0.01,
        1000.0,
        Expected::with(&Rule::NUMBER_ABOVE, 0.0, f64::NAN),
    ),
    param(
        "lapsedMultiplier",
        4.0,
        0.01,
        1000.0,
        Expected::at_least("atRiskMultiplier"),
    ),
    param(
        "minTypicalGapDays",
        7.0,
        0.0,
        3660.0,
        Expected::with(&Rule::DAYS_AT_LEAST, 0.0, f64::NAN),
    ),
    param(
        "topValuePercent",
        10.0,
        0.01,
        100.0,
        Expected::of(&Rule::PERCENTAGE),
    ),
    param("pAliveDrop", 0.2, 0.0, 1.0, Expected::of(&Rule::SHARE)),
    param(
        "dropOverDays",
        90.0,
        1.0,
        3660.0,
        Expected::with(&Rule::DAYS, 1.0, 3660.0),
    ),
    param(
        "oneAndDoneAfterDays",
        f64::NAN,
        0.0,
        36600.0,
        Expected::with(&Rule::DAYS_AT_LEAST, 0.0, f64::NAN),
    ),
    param(
        "winBackMinPurchaseDays",
        2.0,
        1.0,
        1e6,
        Expected::with(&Rule::NUMBER_AT_LEAST, 1.0, f64::NAN),
    ),
    param(
        "horizonDays",
        365.0,
        30.0,
        36600.0,
        Expected::with(&Rule::DAYS, 30.0, 36600.0),
    ),
    param(
        "minPurchases",
        3.0,
        2.0,
        1e6,
        Expected::with(&Rule::NUMBER_AT_LEAST, 2.0, f64::NAN),
    ),
    param(
        "maxGapCv",
        0.5,
        0.0,
        100.0,
        Expected::with(&Rule::NUMBER_AT_LEAST, 0.0, f64::NAN),
    ),
    param(
        "replenishWithinDays",
        14.0,
        1.0,
        365.0,
        Expected::with(&Rule::DAYS, 1.0, 365.0),
    ),
    param(
        "boughtWithinDays",
        14.0,
        1.0,
        3660.0,
        Expected::with(&Rule::DAYS, 1.0, 3660.0),
    ),
    param("minSupport", 0.005, 0.0, 1.0, Expected::of(&Rule::SHARE)),
];

/// Values of [`PARAMS`], by index.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamValues(pub [f64; PARAMS.len()]);

impl Default for ParamValues {
    fn default() -> ParamValues {
        ParamValues(PARAMS.map(|p| p.default))
    }
}

impl ParamValues {
    /// Sets the parameter called `name`, checking its range.
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), Message> {
        let Some(index) = PARAMS.iter().position(|p| p.name == name) else {
            let names: Vec<&str> = PARAMS.iter().map(|p| p.name).collect();
            let listed = names.join(", ");
            let text = ["invalid params: '", name, "' is none of ", &listed].concat();
            return Err(Message::not_a_choice(text, "params", name, &listed));
        };
        let param = &PARAMS[index];
        if !(value.is_finite() && (param.min..=param.max).contains(&value)) {
            return Err(invalid(param.name, value, param.expected));
        }
        self.0[index] = value;
        Ok(())
    }

    /// Checks what one parameter says of another.
    pub fn validate(&self) -> Result<(), Message> {
        let lapsed = self.0[LAPSED_MULTIPLIER];
        if lapsed < self.0[AT_RISK_MULTIPLIER] {
            return Err(invalid(
                PARAMS[LAPSED_MULTIPLIER].name,
                lapsed,
                PARAMS[LAPSED_MULTIPLIER].expected,
            ));
        }
        Ok(())
    }

    pub fn get(&self, index: usize) -> f64 {
        self.0[index]
    }
}

#[inline(never)]
fn invalid(name: &str, value: f64, expected: Expected) -> Message {
    Message::invalid_option(name, &value.to_string(), expected)
}
