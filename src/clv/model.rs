//! What the three purchase models (BG/NBD, MBG/NBD, Pareto/NBD) have in common: one fitting
//! routine over the compressed (x, t_x, T) patterns, one fit result, and [`PurchaseModel`], the
//! fitted model the analysis scores customers with whichever it is.

use serde::Serialize;

use super::bgnbd::{self, BgNbdParams};
use super::mbg_nbd::MbgNbdParams;
use super::mle::{self, Likelihood, Problem};
use super::pareto_nbd::ParetoNbdParams;
use super::patterns::Patterns;
use super::{ClvError, ClvWarning, NoFit};
use crate::message::{Code, Expected, Rule};

/// Which purchase model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ModelKind {
    #[serde(rename = "bgNbd")]
    BgNbd,
    #[serde(rename = "mbgNbd")]
    MbgNbd,
    #[serde(rename = "paretoNbd")]
    ParetoNbd,
}

impl ModelKind {
    pub const ALL: [ModelKind; 3] = [ModelKind::BgNbd, ModelKind::MbgNbd, ModelKind::ParetoNbd];

    /// The model's usual name.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::BgNbd => "BG/NBD",
            ModelKind::MbgNbd => "MBG/NBD",
            ModelKind::ParetoNbd => "Pareto/NBD",
        }
    }

    /// The option value (`model: 'paretoNbd'`).
    pub fn option_name(self) -> &'static str {
        match self {
            ModelKind::BgNbd => "bgNbd",
            ModelKind::MbgNbd => "mbgNbd",
            ModelKind::ParetoNbd => "paretoNbd",
        }
    }

    pub fn parameter_names(self) -> [&'static str; 4] {
        match self {
            ModelKind::BgNbd | ModelKind::MbgNbd => ["r", "α", "a", "b"],
            ModelKind::ParetoNbd => ["r", "α", "s", "β"],
        }
    }

    /// Indices of the parameters measured in time (α, and β of Pareto/NBD): they scale with the
    /// time unit; the others are shapes.
    fn is_time_parameter(self, index: usize) -> bool {
        index == 1 || (self == ModelKind::ParetoNbd && index == 3)
    }

    /// Stable warning codes, per model (BG/NBD's predate the others and keep their names).
    fn warning_code(self, issue: FitIssue) -> Code {
        use FitIssue::*;
        match (self, issue) {
            (ModelKind::BgNbd, NotConverged) => Code::BGNBD_NOT_CONVERGED,
            (ModelKind::BgNbd, Extreme) => Code::BGNBD_EXTREME_PARAMETERS,
            (ModelKind::BgNbd, NoStandardErrors) => Code::BGNBD_NO_STANDARD_ERRORS,
            (ModelKind::MbgNbd, NotConverged) => Code::MBGNBD_NOT_CONVERGED,
            (ModelKind::MbgNbd, Extreme) => Code::MBGNBD_EXTREME_PARAMETERS,
            (ModelKind::MbgNbd, NoStandardErrors) => Code::MBGNBD_NO_STANDARD_ERRORS,
            (ModelKind::ParetoNbd, NotConverged) => Code::PARETO_NBD_NOT_CONVERGED,
            (ModelKind::ParetoNbd, Extreme) => Code::PARETO_NBD_EXTREME_PARAMETERS,
            (ModelKind::ParetoNbd, NoStandardErrors) => Code::PARETO_NBD_NO_STANDARD_ERRORS,
            (_, Penalized) => Code::PENALIZED_FIT,
        }
    }
}

#[derive(Clone, Copy)]
enum FitIssue {
    NotConverged,
    Extreme,
    NoStandardErrors,
    Penalized,
}

/// The parameters of one purchase model, as the fitting routine needs them.
pub trait ModelParameters: Copy + std::fmt::Debug + Serialize + Into<PurchaseModel> {
    const KIND: ModelKind;
    fn from_values(values: &[f64]) -> Self;
    fn values(&self) -> [f64; 4];
    /// The model's log-likelihood over `patterns` (rescaled times).
    fn likelihood(patterns: &Patterns) -> Box<dyn Likelihood + '_>;

    /// The same parameters with the time parameters multiplied by `scale`.
    fn time_scaled(&self, scale: f64) -> Self {
        let mut values = self.values();
        for (i, value) in values.iter_mut().enumerate() {
            if Self::KIND.is_time_parameter(i) {
                *value *= scale;
            }
        }
        Self::from_values(&values)
    }
}

/// 90% intervals of the parameters: e^(ln θ ± 1.645·se(ln θ)) from the Hessian (the delta method
/// on the log scale, so they stay positive).
#[derive(Clone, Debug, Serialize)]
pub struct ParameterIntervals<P> {
    pub lower: P,
    pub upper: P,
}

/// A maximum-likelihood fit of a purchase model.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseFit<P> {
    #[serde(flatten)]
    pub params: P,
    /// Log-likelihood at the estimate, with times in the data's unit (the papers' convention:
    /// −9582.4 for BG/NBD on CDNOW in weeks). Changing the unit by a factor s shifts it by
    /// −Σx·ln s, the same for every model, so models fitted on one summary compare directly.
    pub log_likelihood: f64,
    pub converged: bool,
    pub iterations: usize,
    /// From the inverse of the numerical Hessian of −log-likelihood; `None` when that Hessian is
    /// not positive definite.
    pub standard_errors: Option<P>,
    /// 90% intervals of the parameters; `None` without standard errors or when a bound overflows.
    pub intervals: Option<ParameterIntervals<P>>,
    /// λ of the L2 penalty on the log-parameters (0: plain maximum likelihood).
    pub penalizer: f64,
    /// Customers fitted (the sum of the weights).
    pub customers: f64,
    /// Distinct (x, t_x, T) patterns the likelihood was evaluated on.
    pub patterns: usize,
    pub warnings: Vec<ClvWarning>,
    /// Covariance of the log-parameters (row-major 4 × 4), for intervals of derived figures.
    #[serde(skip)]
    pub log_covariance: Option<Vec<f64>>,
}

impl<P> PurchaseFit<P> {
    /// The same fit with its parameters (and their errors and intervals) turned by `to`.
    fn map<Q>(self, to: impl Fn(P) -> Q) -> PurchaseFit<Q> {
        PurchaseFit {
            params: to(self.params),
            log_likelihood: self.log_likelihood,
            converged: self.converged,
            iterations: self.iterations,
            standard_errors: self.standard_errors.map(&to),
            intervals: self.intervals.map(|bounds| ParameterIntervals {
                lower: to(bounds.lower),
                upper: to(bounds.upper),
            }),
            penalizer: self.penalizer,
            customers: self.customers,
            patterns: self.patterns,
            warnings: self.warnings,
            log_covariance: self.log_covariance,
        }
    }
}

/// Parameters beyond these bounds mean the data cannot pin them down (e.g. nobody seems to drop
/// out, and a or b runs off towards 0 or ∞).
const EXTREME_PARAMETER: (f64, f64) = (1e-5, 1e5);

/// Fits the model `P` by maximum likelihood. `frequency` are repeat purchases x (whole numbers),
/// `recency` t_x and `age` T in periods; `weights` count customers per row (default 1 each);
/// `penalizer` is λ of the L2 penalty on the log-parameters (0 for none).
pub fn fit<P: ModelParameters>(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    weights: Option<&[f64]>,
    penalizer: f64,
) -> Result<PurchaseFit<P>, ClvError> {
    fit_penalised(frequency, recency, age, weights, penalizer, None)
}

/// [`fit`] with a penalty, when the unpenalised fit of the same data is at hand: the warning
/// says what the penalty moved from its figures instead of fitting the model a second time
/// without it (a degenerate fit is the slow one: its maximum lies at a boundary the optimiser
/// only creeps towards).
pub fn fit_beside_unpenalised<P: ModelParameters>(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    weights: Option<&[f64]>,
    penalizer: f64,
    unpenalised: &PurchaseFit<P>,
) -> Result<PurchaseFit<P>, ClvError> {
    fit_penalised(
        frequency,
        recency,
        age,
        weights,
        penalizer,
        Some(unpenalised),
    )
}

/// What fitting needs of a model besides its numbers: one copy of the fitting routine then
/// serves every model (the .wasm held one per model).
#[derive(Clone, Copy)]
struct ModelOps {
    kind: ModelKind,
    likelihood: for<'a> fn(&'a Patterns) -> Box<dyn Likelihood + 'a>,
    model: fn(&[f64]) -> PurchaseModel,
}

/// `unpenalised`: the fit without the penalty, when known (the penalised fit starts from its
/// estimate); fitted here when `penalizer` > 0 and it is not.
fn fit_penalised<P: ModelParameters>(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    weights: Option<&[f64]>,
    penalizer: f64,
    unpenalised: Option<&PurchaseFit<P>>,
) -> Result<PurchaseFit<P>, ClvError> {
    let ops = ModelOps {
        kind: P::KIND,
        likelihood: P::likelihood,
        model: |values| P::from_values(values).into(),
    };
    let unpenalised = unpenalised.map(|plain| (plain.params.values(), plain.log_likelihood));
    let fit = fit_model(
        ops,
        frequency,
        recency,
        age,
        weights,
        penalizer,
        unpenalised,
    )?;
    Ok(fit.map(|values| P::from_values(&values)))
}

/// [`fit_penalised`] on the parameters as numbers; `unpenalised`: the parameters and ln L of
/// the fit without the penalty, when known.
fn fit_model(
    ops: ModelOps,
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    weights: Option<&[f64]>,
    penalizer: f64,
    unpenalised: Option<([f64; 4], f64)>,
) -> Result<PurchaseFit<[f64; 4]>, ClvError> {
    if !(penalizer.is_finite() && penalizer >= 0.0) {
        return Err(ClvError::invalid_option(
            "penalizer",
            penalizer,
            Expected::of(&Rule::PENALIZER),
        ));
    }
    let kind = ops.kind;
    let patterns = Patterns::of_summary(frequency, recency, age, weights)?;
    let start = unpenalised.map(|(values, _)| {
        let rescaled = time_scaled(kind, &values, 1.0 / patterns.time_scale);
        rescaled.map(f64::ln).to_vec()
    });
    let estimate = maximise(ops, &patterns, penalizer, start);
    let names = kind.parameter_names();
    let valid = estimate.params.iter().all(|v| v.is_finite() && *v > 0.0);
    if !valid || !estimate.log_likelihood.is_finite() {
        return Err(ClvError::DidNotConverge {
            model: kind.name(),
            reason: NoFit::InvalidParameters,
            parameters: listed(&names, &estimate.params, &mut (0..4)),
        });
    }
    let scale = patterns.time_scale;
    let params = time_scaled(kind, &estimate.params, scale);
    let model = (ops.model)(&params);
    let horizon = age.iter().copied().fold(0.0, f64::max);
    let predictions_sound = !super::ran_off(&estimate.params)
        && super::spread_sample(frequency.len()).all(|i| {
            let (x, t_x, t) = (frequency[i], recency[i], age[i]);
            let alive = model.p_alive(x, t_x, t);
            // NaN (a series that did not settle) is the scoring's to report, customer by customer.
            [horizon, 10.0 * horizon].iter().all(|&h| {
                let expected = model.conditional_expected_purchases(h, x, t_x, t);
                expected.is_nan() || (expected.is_finite() && expected >= 0.0)
            }) && (0.0..=1.0).contains(&alive)
        });
    if !predictions_sound {
        return Err(ClvError::DidNotConverge {
            model: kind.name(),
            reason: NoFit::RanOff,
            parameters: listed(&names, &params, &mut (0..4)),
        });
    }
    let mut warnings = Vec::new();
    if !estimate.converged {
        warnings.push(ClvWarning::new(
            kind.warning_code(FitIssue::NotConverged),
            format!(
                "The {} fit stopped after {} iterations without reaching a maximum (gradient {:.2e}); treat its figures as rough.",
                kind.name(),
                estimate.iterations,
                estimate.gradient_norm
            ),
        ));
    }
    let shapes = || (0..4).filter(|&i| !kind.is_time_parameter(i));
    if shapes().any(|i| !(EXTREME_PARAMETER.0..=EXTREME_PARAMETER.1).contains(&params[i])) {
        warnings.push(ClvWarning::new(
            kind.warning_code(FitIssue::Extreme),
            format!(
                "The {} estimates are extreme ({}): the data say little about how customers drop out. A longer calibration period helps.",
                kind.name(),
                listed(&names, &params, &mut shapes())
            ),
        ));
    }
    let standard_errors = estimate
        .standard_errors()
        .map(|se| time_scaled(kind, &se, scale));
    if standard_errors.is_none() {
        warnings.push(ClvWarning::new(
            kind.warning_code(FitIssue::NoStandardErrors),
            format!(
                "The {} likelihood is flat in some direction at the estimate, so no standard errors can be given; some parameters are not identified by this data.",
                kind.name()
            ),
        ));
    }
    let log_covariance = estimate.log_covariance();
    // A bound that overflows (a parameter run off to the edge, its log-scale error in the
    // billions) makes no interval: none is given, as without standard errors.
    let intervals = log_covariance.as_ref().and_then(|covariance| {
        let (mut lower, mut upper) = ([0.0; 4], [0.0; 4]);
        for i in 0..4 {
            (lower[i], upper[i]) = mle::log_interval(params[i], covariance[i * 4 + i].sqrt());
        }
        upper
            .iter()
            .all(|bound| bound.is_finite())
            .then_some(ParameterIntervals { lower, upper })
    });
    // In the data's time unit: the rescaled ln L minus Σx·ln(scale).
    let in_data_unit = |scaled_log_likelihood: f64| {
        scaled_log_likelihood - patterns.repeat_purchases() * scale.ln()
    };
    let log_likelihood = in_data_unit(estimate.log_likelihood);
    if penalizer > 0.0 {
        let (free_values, free_log_likelihood) = unpenalised.unwrap_or_else(|| {
            let free = maximise(ops, &patterns, 0.0, None);
            let values = time_scaled(kind, &free.params, scale);
            (values, in_data_unit(free.log_likelihood))
        });
        let moved = (0..4)
            .map(|i| format!("{} {:.4} → {:.4}", names[i], free_values[i], params[i]))
            .collect::<Vec<_>>()
            .join(", ");
        let cost = format!("{:.2}", free_log_likelihood - log_likelihood);
        warnings.push(
            ClvWarning::new(
                kind.warning_code(FitIssue::Penalized),
                format!(
                    "The {} fit is penalised (penalizer {penalizer}): it pulls the parameters towards moderate values instead of where the likelihood alone puts them ({moved}), at a cost of {cost} in log-likelihood.",
                    kind.name(),
                ),
            )
            .with("model", kind.name())
            .with("penalizer", penalizer)
            .with("moved", moved)
            .with("cost", cost),
        );
    }
    Ok(PurchaseFit {
        params,
        log_likelihood,
        converged: estimate.converged,
        iterations: estimate.iterations,
        standard_errors,
        intervals,
        penalizer,
        customers: patterns.total_weight,
        patterns: patterns.count(),
        warnings,
        log_covariance,
    })
}

/// `start`: log-parameters on the rescaled data to start from, when a fit of the same data is
/// known (used when finite); else [`starting_point`].
fn maximise(
    ops: ModelOps,
    patterns: &Patterns,
    penalizer: f64,
    start: Option<Vec<f64>>,
) -> mle::Estimate {
    let mut likelihood = (ops.likelihood)(patterns);
    let start = start.filter(|start| start.iter().all(|v| v.is_finite()));
    let problem = Problem {
        start: start.unwrap_or_else(|| starting_point(ops.kind, patterns)),
        total_weight: patterns.total_weight,
        penalizer,
    };
    mle::estimate(likelihood.as_mut(), &problem)
}

/// `values` of a `kind` model with its time parameters multiplied by `scale`.
fn time_scaled(kind: ModelKind, values: &[f64], scale: f64) -> [f64; 4] {
    std::array::from_fn(|i| {
        if kind.is_time_parameter(i) {
            values[i] * scale
        } else {
            values[i]
        }
    })
}

/// "r = 1.234e0, α = …": the parameters at `indices`, for a message.
fn listed(names: &[&str; 4], values: &[f64], indices: &mut dyn Iterator<Item = usize>) -> String {
    indices
        .map(|i| format!("{} = {:.3e}", names[i], values[i]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Log-parameters to start from: r = 1 with α matching the observed purchase rate, the dropout
/// shapes 1 (a = b = 1; s = 1 with β = 1, the oldest customer's age, on the rescaled axis).
fn starting_point(_kind: ModelKind, patterns: &Patterns) -> Vec<f64> {
    let alpha = (1.0 / patterns.purchase_rate()).clamp(1e-3, 1e3);
    vec![0.0, alpha.ln(), 0.0, 0.0]
}

/// A fitted purchase model, whichever it is: what the analysis scores customers with.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PurchaseModel {
    BgNbd(BgNbdParams),
    MbgNbd(MbgNbdParams),
    ParetoNbd(ParetoNbdParams),
}

impl From<BgNbdParams> for PurchaseModel {
    fn from(params: BgNbdParams) -> Self {
        PurchaseModel::BgNbd(params)
    }
}

impl From<MbgNbdParams> for PurchaseModel {
    fn from(params: MbgNbdParams) -> Self {
        PurchaseModel::MbgNbd(params)
    }
}

impl From<ParetoNbdParams> for PurchaseModel {
    fn from(params: ParetoNbdParams) -> Self {
        PurchaseModel::ParetoNbd(params)
    }
}

impl PurchaseModel {
    pub fn kind(&self) -> ModelKind {
        match self {
            PurchaseModel::BgNbd(_) => ModelKind::BgNbd,
            PurchaseModel::MbgNbd(_) => ModelKind::MbgNbd,
            PurchaseModel::ParetoNbd(_) => ModelKind::ParetoNbd,
        }
    }

    pub fn values(&self) -> [f64; 4] {
        match self {
            PurchaseModel::BgNbd(p) => p.values(),
            PurchaseModel::MbgNbd(p) => p.values(),
            PurchaseModel::ParetoNbd(p) => p.values(),
        }
    }

    /// The same model with other parameter values (for intervals by perturbation).
    pub fn with_values(&self, values: &[f64]) -> PurchaseModel {
        match self {
            PurchaseModel::BgNbd(_) => BgNbdParams::from_values(values).into(),
            PurchaseModel::MbgNbd(_) => MbgNbdParams::from_values(values).into(),
            PurchaseModel::ParetoNbd(_) => ParetoNbdParams::from_values(values).into(),
        }
    }

    /// ln L of one customer's (x, t_x, T).
    pub fn log_likelihood(&self, x: f64, t_x: f64, age: f64) -> f64 {
        match self {
            PurchaseModel::BgNbd(p) => p.log_likelihood(x, t_x, age),
            PurchaseModel::MbgNbd(p) => p.log_likelihood(x, t_x, age),
            PurchaseModel::ParetoNbd(p) => p.log_likelihood(x, t_x, age),
        }
    }

    /// P(still a customer at T | x, t_x, T).
    pub fn p_alive(&self, x: f64, t_x: f64, age: f64) -> f64 {
        match self {
            PurchaseModel::BgNbd(p) => p.p_alive(x, t_x, age),
            PurchaseModel::MbgNbd(p) => p.p_alive(x, t_x, age),
            PurchaseModel::ParetoNbd(p) => p.p_alive(x, t_x, age),
        }
    }

    /// Expected repeat purchases in the next `t` periods of a customer alive at T after x repeat
    /// purchases; conditional expectations are P(alive) times this.
    pub fn expected_purchases_if_alive(&self, t: f64, x: f64, age: f64) -> f64 {
        match self {
            PurchaseModel::BgNbd(p) => p.expected_purchases_if_alive(t, x, age),
            PurchaseModel::MbgNbd(p) => p.expected_purchases_if_alive(t, x, age),
            PurchaseModel::ParetoNbd(p) => p.expected_purchases_if_alive(t, x, age),
        }
    }

    /// Expected repeat purchases in the next `t` periods given the history.
    pub fn conditional_expected_purchases(&self, t: f64, x: f64, t_x: f64, age: f64) -> f64 {
        self.p_alive(x, t_x, age) * self.expected_purchases_if_alive(t, x, age)
    }

    /// Expected repeat purchases in the first `t` periods after a customer's first purchase.
    pub fn expected_purchases(&self, t: f64) -> f64 {
        self.conditional_expected_purchases(t, 0.0, 0.0, 0.0)
    }

    /// P(at least one purchase in the next `s` periods | alive at T, x).
    pub fn p_purchase_within_if_alive(&self, s: f64, x: f64, age: f64) -> f64 {
        match self {
            PurchaseModel::BgNbd(p) => p.p_purchase_within_if_alive(s, x, age),
            PurchaseModel::MbgNbd(p) => p.p_purchase_within_if_alive(s, x, age),
            PurchaseModel::ParetoNbd(p) => p.p_purchase_within_if_alive(s, x, age),
        }
    }

    /// P(at least one purchase in the next `s` periods | x, t_x, T).
    pub fn p_purchase_within(&self, s: f64, x: f64, t_x: f64, age: f64) -> f64 {
        self.p_alive(x, t_x, age) * self.p_purchase_within_if_alive(s, x, age)
    }

    /// Periods after T by which a purchase is more likely than not (the median waiting time to
    /// the next purchase, counting the chance that the customer has left), if that happens
    /// within `within` periods; `None` when P(alive) ≤ ½ or later.
    pub fn periods_until_likely_purchase(
        &self,
        x: f64,
        t_x: f64,
        age: f64,
        within: f64,
    ) -> Option<f64> {
        let alive = self.p_alive(x, t_x, age);
        let periods = match self {
            PurchaseModel::BgNbd(p) => bgnbd::median_wait(alive, p.r, p.alpha, x, age),
            PurchaseModel::MbgNbd(p) => bgnbd::median_wait(alive, p.r, p.alpha, x, age),
            PurchaseModel::ParetoNbd(p) => p.median_wait(alive, x, age, within),
        };
        periods.filter(|&s| s <= within)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_parameters_scale_with_the_unit() {
        let bg = BgNbdParams {
            r: 1.0,
            alpha: 2.0,
            a: 3.0,
            b: 4.0,
        };
        assert_eq!(bg.time_scaled(7.0).values(), [1.0, 14.0, 3.0, 4.0]);
        let pareto = ParetoNbdParams {
            r: 1.0,
            alpha: 2.0,
            s: 3.0,
            beta: 4.0,
        };
        assert_eq!(pareto.time_scaled(7.0).values(), [1.0, 14.0, 3.0, 28.0]);
    }

    #[test]
    fn the_penalizer_tames_a_degenerate_fit_and_says_what_it_changed() {
        // Everyone buys every week and is still buying: nothing shows how customers leave, so the
        // unpenalised BG/NBD runs a and b off to extremes.
        let x: Vec<f64> = (0..50).map(|i| 10.0 + (i % 7) as f64).collect();
        let age: Vec<f64> = x.iter().map(|x| x + 0.5).collect();
        let free = fit::<BgNbdParams>(&x, &x, &age, None, 0.0).unwrap();
        let penalised = fit::<BgNbdParams>(&x, &x, &age, None, 0.1).unwrap();
        let spread = |p: &BgNbdParams| p.a.ln().abs() + p.b.ln().abs();
        assert!(
            spread(&penalised.params) < spread(&free.params),
            "{free:?} {penalised:?}"
        );
        assert!(penalised.log_likelihood <= free.log_likelihood + 1e-9);
        let warning = penalised
            .warnings
            .iter()
            .find(|w| w.code == "penalized_fit")
            .unwrap();
        assert!(
            warning.message.contains("penalizer 0.1") && warning.message.contains(" → "),
            "{}",
            warning.message
        );
        assert!(free.warnings.iter().all(|w| w.code != "penalized_fit"));
        assert_eq!((free.penalizer, penalised.penalizer), (0.0, 0.1));
    }

    #[test]
    fn a_negative_penalizer_is_refused() {
        let error =
            fit::<BgNbdParams>(&[1.0, 0.0], &[1.0, 0.0], &[2.0, 2.0], None, -1.0).unwrap_err();
        assert!(error.to_string().contains("penalizer"), "{error}");
    }
}
