//! Customer lifetime value with the "buy till you die" models: BG/NBD for how often and how long
//! customers keep buying, Gamma-Gamma for how much they spend per order.
//!
//! - [`summary`]: the calibration summary (x, t_x, T, m̄) of an order book, measured on days.
//! - [`bgnbd`], [`mbg_nbd`], [`pareto_nbd`]: the purchase models, their likelihoods and
//!   predictions; [`model`] what they share (one fitting routine, the fit result, the fitted
//!   model the analysis scores with) and [`patterns`] the compressed (x, t_x, T) summary they are
//!   fitted on. [`histories`]: the summary's distinct (x, t_x, T), which the analysis fits and
//!   scores by. [`gamma_gamma`]: the spend model.
//! - [`analysis`]: the whole analysis of a book, [`cache`] the fits it keeps between calls; [`report`] its small JS-facing aggregate,
//!   [`export`] its per-customer CSV; [`holdout`] the predicted-vs-actual check.
//! - [`mle`]: the one maximum-likelihood routine every model is fitted with (log-parameters,
//!   optional L2 penalty, covariance from the Hessian); [`special`], [`optimize`]: ln Γ, ψ;
//!   BFGS / Nelder–Mead and the Hessian.
//! - [`synthetic`]: customers simulated from the models, for tests and benchmarks.

pub mod analysis;
pub mod bgnbd;
pub mod cache;
pub mod choice;
pub mod export;
pub mod fit_check;
pub mod gamma_gamma;
pub mod histories;
pub mod holdout;
pub mod intervals;
pub mod mbg_nbd;
pub mod mle;
pub mod model;
pub mod optimize;
pub mod pareto_nbd;
pub mod patterns;
pub mod report;
pub mod special;
pub mod summary;
pub mod synthetic;

pub use analysis::{
    ClvAnalysis, ClvOptions, ClvSchedule, ModelRequest, Penalizer, analyze, analyze_with_cache,
};
pub use bgnbd::{BgNbdFit, BgNbdParams};
pub use cache::FitCache;
pub use choice::ModelChoice;
pub use gamma_gamma::{GammaGammaFit, GammaGammaParams};
pub use mbg_nbd::{MbgNbdFit, MbgNbdParams};
pub use model::{ModelKind, PurchaseFit, PurchaseModel};
pub use pareto_nbd::{ParetoNbdFit, ParetoNbdParams};
pub use report::ClvReport;

use crate::message::{Code, Expected, Message};

/// Why a CLV analysis or fit could not be made; every message says what to change.
#[derive(Clone, Debug, PartialEq)]
pub enum ClvError {
    /// Arrays handed to a fit (`fitBgNbd(frequency, recency, T)` and the others) that it cannot take.
    InvalidInput(InvalidInput),
    /// An option field (its Rust name) given a value it cannot take.
    InvalidOption {
        field: &'static str,
        given: String,
        expected: Expected,
    },
    /// `horizon_days` under 30: the CLV sum runs over whole 30-day months, and there would be none.
    HorizonShorterThanAMonth {
        horizon_days: f64,
    },
    NoCustomers,
    OneCustomer,
    NoRepeatBuyers {
        customers: f64,
    },
    TooFewRepeatBuyers {
        customers: f64,
    },
    AllPurchasesOnOneDay {
        day: String,
    },
    CalibrationOutsideData {
        calibration_end: String,
        first_day: String,
        last_day: String,
    },
    /// A fit that gave no usable parameters: `parameters` lists where it stopped ("r = 1.234e0,
    /// α = …").
    DidNotConverge {
        /// "BG/NBD", "MBG/NBD", "Pareto/NBD" or "Gamma-Gamma".
        model: &'static str,
        reason: NoFit,
        parameters: String,
    },
}

/// What is wrong with the arrays handed to a fit (the `reason` param of `clv_invalid_input`).
#[derive(Clone, Debug, PartialEq)]
pub enum InvalidInput {
    /// Arrays of different lengths: `names` ("frequency, recency, T"), `lengths` ("3, 2, 3").
    Lengths {
        names: &'static str,
        lengths: String,
    },
    /// Every customer has T = 0: no time has passed since any first purchase.
    NoTimeElapsed,
    /// The first row that breaks a rule; `values` in the models' notation (`x = 1, t_x = 0, T =
    /// 3`), `english` the same in words for the English text.
    Row {
        row: usize,
        problem: RowProblem,
        values: String,
        english: String,
    },
}

/// The rule a row of a fit's arrays breaks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RowProblem {
    NotFinite,
    FrequencyNotWhole,
    RecencyNegative,
    RecencyAfterAge,
    RecencyWithoutRepeat,
    RepeatWithoutRecency,
    WeightInvalid,
    /// Gamma-Gamma's row rule (frequency whole ≥ 0, values finite, weights ≥ 0) as one.
    SpendRow,
}

impl InvalidInput {
    fn reason(&self) -> &'static str {
        match self {
            InvalidInput::Lengths { .. } => "lengths",
            InvalidInput::NoTimeElapsed => "no_time_elapsed",
            InvalidInput::Row { problem, .. } => match problem {
                RowProblem::NotFinite => "not_finite",
                RowProblem::FrequencyNotWhole => "frequency_not_whole",
                RowProblem::RecencyNegative => "recency_negative",
                RowProblem::RecencyAfterAge => "recency_after_age",
                RowProblem::RecencyWithoutRepeat => "recency_without_repeat",
                RowProblem::RepeatWithoutRecency => "repeat_without_recency",
                RowProblem::WeightInvalid => "weight_invalid",
                RowProblem::SpendRow => "spend_row",
            },
        }
    }
}

impl std::fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InvalidInput::Lengths { names, lengths } => {
                write!(f, "{names} must have the same length (got {lengths})")
            }
            InvalidInput::NoTimeElapsed => f.write_str(
                "every customer has T = 0: no time has passed since any first purchase, so purchase rates cannot be estimated",
            ),
            InvalidInput::Row {
                row,
                problem,
                english,
                ..
            } => {
                let rule = match problem {
                    RowProblem::NotFinite => "a value is not a finite number",
                    RowProblem::FrequencyNotWhole => "frequency must be a whole number ≥ 0",
                    RowProblem::RecencyNegative => "recency must be ≥ 0",
                    RowProblem::RecencyAfterAge => "recency is larger than T",
                    RowProblem::RecencyWithoutRepeat => "recency must be 0 when frequency is 0",
                    RowProblem::RepeatWithoutRecency => {
                        "recency must be > 0 when frequency is > 0 (repeat purchases come after the first)"
                    }
                    RowProblem::WeightInvalid => "weights must be finite and ≥ 0",
                    RowProblem::SpendRow => {
                        "frequency must be a whole number ≥ 0, values finite, weights ≥ 0"
                    }
                };
                write!(f, "row {row} ({english}): {rule}")
            }
        }
    }
}

/// Why a fit gave no usable parameters (the `reason` param of `clv_not_converged`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NoFit {
    /// The search ended at parameters that are not positive and finite.
    InvalidParameters,
    /// A purchase model's parameters ran off to where its predictions break down.
    RanOff,
    /// The Gamma-Gamma parameters ran off to where expected order values are infinite.
    SpendRanOff,
}

impl NoFit {
    fn code(self) -> &'static str {
        match self {
            NoFit::InvalidParameters => "invalid_parameters",
            NoFit::RanOff => "ran_off",
            NoFit::SpendRanOff => "spend_ran_off",
        }
    }
}

impl ClvError {
    /// What a fit that gave no usable parameters ran into, in English.
    fn no_fit_detail(model: &str, reason: NoFit, parameters: &str) -> String {
        match reason {
            NoFit::InvalidParameters => format!(
                "the {model} fit ran to invalid parameters ({parameters}); the data may be too \
                 few or too irregular"
            ),
            NoFit::RanOff => format!(
                "the data do not pin the {model} model down: its parameters ran off \
                 ({parameters}) to where its predictions break down. This happens when the \
                 purchase histories show no sign of customers dropping out, or with very few \
                 customers: try a later calibration date, a longer history or a penalizer"
            ),
            NoFit::SpendRanOff => format!(
                "the data do not pin the {model} model down: its parameters ran off \
                 ({parameters}) to where expected order values are infinite; this happens with \
                 very few repeat buyers or only a couple of distinct spend levels"
            ),
        }
    }
}

/// Up to 2,000 row indices spread over `0..n`: where a fit's predictions are checked. A fit that
/// found no maximum (the likelihood keeps rising towards a boundary) can end at parameters whose
/// predictions are NaN, infinite or negative; such a fit is refused with a message rather than
/// reported.
pub(crate) fn spread_sample(n: usize) -> impl Iterator<Item = usize> {
    (0..n).step_by(n.div_ceil(2_000).max(1))
}

/// Whether fitted parameters, on the rescaled data the models are fitted on (longest customer
/// age 1, mean order value 1), went beyond any scale the data could support. Weakly identified
/// parameters (a dropout rate near 0) stay well inside; a maximiser that found no maximum walks
/// out to 1e38 and beyond, where the formulas lose all precision.
pub(crate) fn ran_off(scaled_parameters: &[f64]) -> bool {
    scaled_parameters
        .iter()
        .any(|p| !(1e-12..=1e12).contains(p))
}

/// |ln θ| past which [`ran_off`] refuses a parameter (just beyond ln 10¹² = 27.63): the fits stop
/// searching there.
pub(crate) const RAN_OFF_LOG: f64 = 27.64;

impl ClvError {
    /// `field` (its Rust name) given `given`, which it cannot take; `expected` says what it can.
    pub(crate) fn invalid_option(
        field: &'static str,
        given: impl ToString,
        expected: Expected,
    ) -> ClvError {
        ClvError::InvalidOption {
            field,
            given: given.to_string(),
            expected,
        }
    }
}

impl std::fmt::Display for ClvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClvError::InvalidInput(message) => write!(f, "invalid CLV input: {message}"),
            ClvError::InvalidOption {
                field,
                given,
                expected,
            } => write!(f, "invalid CLV option {field} '{given}': {expected}"),
            ClvError::HorizonShorterThanAMonth { horizon_days } => write!(
                f,
                "invalid CLV option: horizon_days is {horizon_days}, shorter than one 30-day month; CLV sums whole 30-day months (floor(horizon_days / 30) of them), so it would be 0 for every customer. Use horizon_days of 30 or more (365 for a year, which sums 12 months, 360 days)"
            ),
            ClvError::NoCustomers => write!(
                f,
                "no customer has a purchase on or before the calibration end, so there is nothing to fit; choose a later calibration date"
            ),
            ClvError::OneCustomer => write!(
                f,
                "only one customer has purchases before the calibration end; the CLV models learn from many customers, so load more data or choose a later calibration date"
            ),
            ClvError::NoRepeatBuyers { customers } => write!(
                f,
                "none of the {customers} customers bought again before the calibration end, so the model cannot learn how often customers return; choose a later calibration date or load a longer history"
            ),
            ClvError::TooFewRepeatBuyers { customers } => write!(
                f,
                "only {customers} customer(s) bought again with a positive order value; the spend model needs at least 2"
            ),
            ClvError::AllPurchasesOnOneDay { day } => write!(
                f,
                "every purchase before the calibration end was made on {day}; the model needs purchases spread over time to see customers return"
            ),
            ClvError::CalibrationOutsideData {
                calibration_end,
                first_day,
                last_day,
            } => write!(
                f,
                "the calibration end {calibration_end} is outside the data, whose purchases run from {first_day} to {last_day}; pick a date in that range"
            ),
            ClvError::DidNotConverge {
                model,
                reason,
                parameters,
            } => {
                let detail = ClvError::no_fit_detail(model, *reason, parameters);
                write!(f, "the model fit did not converge: {detail}")
            }
        }
    }
}

impl std::error::Error for ClvError {}

impl From<ClvError> for Message {
    fn from(error: ClvError) -> Message {
        let text = error.to_string();
        match error {
            ClvError::InvalidInput(input) => {
                let message = Message::new(Code::CLV_INVALID_INPUT, text)
                    .with("reason", input.reason())
                    .with("detail", &input);
                match input {
                    InvalidInput::Lengths { names, lengths } => {
                        message.with("names", names).with("lengths", lengths)
                    }
                    InvalidInput::NoTimeElapsed => message,
                    InvalidInput::Row { row, values, .. } => {
                        message.with("row", row).with("values", values)
                    }
                }
            }
            ClvError::InvalidOption {
                field,
                given,
                expected,
            } => Message::new(Code::OPTION_INVALID, text)
                .with("name", field)
                .with("given", given)
                .expecting(expected),
            ClvError::HorizonShorterThanAMonth { horizon_days } => {
                Message::new(Code::CLV_HORIZON_SHORTER_THAN_A_MONTH, text)
                    .with("horizonDays", horizon_days)
            }
            ClvError::NoCustomers => Message::new(Code::CLV_NO_CUSTOMERS, text),
            ClvError::OneCustomer => Message::new(Code::CLV_ONE_CUSTOMER, text),
            ClvError::NoRepeatBuyers { customers } => {
                Message::new(Code::CLV_NO_REPEAT_BUYERS, text).with("customers", customers)
            }
            ClvError::TooFewRepeatBuyers { customers } => {
                Message::new(Code::CLV_TOO_FEW_REPEAT_BUYERS, text).with("customers", customers)
            }
            ClvError::AllPurchasesOnOneDay { day } => {
                Message::new(Code::CLV_ALL_PURCHASES_ON_ONE_DAY, text).with("day", day)
            }
            ClvError::CalibrationOutsideData {
                calibration_end,
                first_day,
                last_day,
            } => Message::new(Code::CLV_CALIBRATION_OUTSIDE_DATA, text)
                .with("calibrationEnd", calibration_end)
                .with("first", first_day)
                .with("last", last_day),
            ClvError::DidNotConverge {
                model,
                reason,
                parameters,
            } => {
                let detail = ClvError::no_fit_detail(model, reason, &parameters);
                Message::new(Code::CLV_NOT_CONVERGED, text)
                    .with("detail", detail)
                    .with("model", model)
                    .with("reason", reason.code())
                    .with("parameters", parameters)
            }
        }
    }
}

/// Something the user should know about a result that was nonetheless produced: a coded
/// [`Message`] (`{ code, message, params }` in JS).
pub type ClvWarning = Message;

#[cfg(test)]
mod tests {
    use super::*;

    /// The page words a fit that did not converge from its params (www/src/messages/clv.js), so
    /// they must say which model, why and where it stopped; the English keeps the whole story.
    #[test]
    fn a_fit_that_did_not_converge_says_why_in_params() {
        let error = ClvError::DidNotConverge {
            model: "BG/NBD",
            reason: NoFit::RanOff,
            parameters: "r = 1.000e0, α = 2.000e-3".into(),
        };
        let english = error.to_string();
        assert!(english.starts_with(
            "the model fit did not converge: the data do not pin the BG/NBD model down: its \
             parameters ran off (r = 1.000e0, α = 2.000e-3) to where its predictions break down."
        ));
        let message = Message::from(error);
        assert_eq!(message.code, Code::CLV_NOT_CONVERGED);
        assert_eq!(message.message, english);
        assert_eq!(message.param("model"), Some("BG/NBD"));
        assert_eq!(message.param("reason"), Some("ran_off"));
        assert_eq!(
            message.param("parameters"),
            Some("r = 1.000e0, α = 2.000e-3")
        );
        let detail = message.param("detail").unwrap();
        assert_eq!(english, format!("the model fit did not converge: {detail}"));
    }
}
