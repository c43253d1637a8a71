//! The one maximum-likelihood routine behind every CLV model (BG/NBD, MBG/NBD, Pareto/NBD,
//! Gamma-Gamma): a model supplies its log-likelihood and gradient in its natural parameters, on
//! data it has rescaled to unit size; this module maximises it over the log-parameters (so every
//! parameter stays positive and the optimiser sees comparable scales), with an optional L2
//! penalty on those log-parameters, and gives the covariance of the estimate from the Hessian.

use super::optimize::{self, Settings};

/// Most parameters of any model here.
pub const MAX_PARAMETERS: usize = 4;

/// Largest gradient component of the mean negative log-likelihood (in log-parameters) accepted as
/// a maximum.
const GRADIENT_TOLERANCE: f64 = 1e-9;
const MAX_ITERATIONS: usize = 1000;
/// Relative finite-difference step for the Hessian behind the standard errors.
const HESSIAN_STEP: f64 = 1e-4;

/// A model's log-likelihood over its (rescaled, weighted) data.
pub trait Likelihood {
    /// Total ln L at `params` (natural parameters, all > 0), its gradient written to `gradient`.
    /// Non-finite values are treated by the optimiser as "too far".
    fn log_likelihood(&mut self, params: &[f64], gradient: &mut [f64]) -> f64;
}

/// What to maximise: where to start and how hard to pull the log-parameters towards 0.
#[derive(Clone, Debug)]
pub struct Problem {
    /// Starting point, in log-parameters.
    pub start: Vec<f64>,
    /// Σ weights: the objective is the mean log-likelihood, so tolerances do not depend on size.
    pub total_weight: f64,
    /// λ of the penalty λ·Σ (ln θᵢ)² added to the mean negative log-likelihood (0: none). The
    /// data are rescaled to unit size, so it pulls every parameter towards 1 on that scale.
    pub penalizer: f64,
}

/// The maximum found, on the model's rescaled data.
#[derive(Clone, Debug)]
pub struct Estimate {
    /// Natural parameters.
    pub params: Vec<f64>,
    /// ln L at `params` (without the penalty).
    pub log_likelihood: f64,
    pub converged: bool,
    pub iterations: usize,
    pub gradient_norm: f64,
    /// Covariance of the natural parameters (row-major), the inverse Hessian of the penalised
    /// negative log-likelihood; `None` when that Hessian is not positive definite (a parameter
    /// the data do not identify).
    pub covariance: Option<Vec<f64>>,
}

impl Estimate {
    /// Standard errors of the natural parameters.
    pub fn standard_errors(&self) -> Option<Vec<f64>> {
        let n = self.params.len();
        let covariance = self.covariance.as_ref()?;
        Some((0..n).map(|i| covariance[i * n + i].sqrt()).collect())
    }

    /// Covariance of the log-parameters, the scale on which intervals are made (they stay
    /// positive): Cov(ln θ) = D⁻¹ Cov(θ) D⁻¹ with D = diag(θ), exact for the linearisation.
    pub fn log_covariance(&self) -> Option<Vec<f64>> {
        let n = self.params.len();
        let covariance = self.covariance.as_ref()?;
        Some(
            (0..n * n)
                .map(|k| covariance[k] / (self.params[k / n] * self.params[k % n]))
                .collect(),
        )
    }
}

/// The penalty's value, and its gradient in the log-parameters added to `gradient`.
fn penalty(log_params: &[f64], penalizer: f64, gradient: &mut [f64]) -> f64 {
    let mut value = 0.0;
    for (g, v) in gradient.iter_mut().zip(log_params) {
        value += penalizer * v * v;
        *g += 2.0 * penalizer * v;
    }
    value
}

/// Maximises `likelihood` from `problem.start`.
pub fn estimate(likelihood: &mut dyn Likelihood, problem: &Problem) -> Estimate {
    let n = problem.start.len();
    let (total, penalizer) = (problem.total_weight, problem.penalizer);
    let mut objective = |log_params: &[f64], gradient: &mut [f64]| -> f64 {
        let mut params = [0.0; MAX_PARAMETERS];
        for i in 0..n {
            params[i] = log_params[i].exp();
        }
        if params[..n].iter().any(|p| !(p.is_finite() && *p > 0.0)) {
            gradient.iter_mut().for_each(|g| *g = 0.0);
            return f64::INFINITY;
        }
        let mut g = [0.0; MAX_PARAMETERS];
        let value = likelihood.log_likelihood(&params[..n], &mut g[..n]);
        for i in 0..n {
            gradient[i] = -g[i] * params[i] / total;
        }
        -value / total + penalty(log_params, penalizer, gradient)
    };
    let settings = Settings {
        gradient_tolerance: GRADIENT_TOLERANCE,
        max_iterations: MAX_ITERATIONS,
        run_off: super::RAN_OFF_LOG,
    };
    let minimum = optimize::minimize(&mut objective, &problem.start, &settings);
    let params: Vec<f64> = minimum.point.iter().map(|v| v.exp()).collect();
    let mut gradient = [0.0; MAX_PARAMETERS];
    let log_likelihood = likelihood.log_likelihood(&params, &mut gradient[..n]);
    let covariance = covariance(likelihood, &params, total * penalizer);
    Estimate {
        params,
        log_likelihood,
        converged: minimum.converged,
        iterations: minimum.iterations,
        gradient_norm: minimum.gradient_norm,
        covariance,
    }
}

/// Inverse Hessian of −ln L + `penalty_weight`·Σ (ln θᵢ)² in the natural parameters.
fn covariance(
    likelihood: &mut dyn Likelihood,
    params: &[f64],
    penalty_weight: f64,
) -> Option<Vec<f64>> {
    let n = params.len();
    let mut negative = |values: &[f64], gradient: &mut [f64]| -> f64 {
        if values.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            gradient.iter_mut().for_each(|g| *g = f64::NAN);
            return f64::NAN;
        }
        let value = likelihood.log_likelihood(values, gradient);
        let mut penalty = 0.0;
        for i in 0..n {
            let log = values[i].ln();
            gradient[i] = -gradient[i] + 2.0 * penalty_weight * log / values[i];
            penalty += penalty_weight * log * log;
        }
        penalty - value
    };
    let hessian = optimize::numerical_hessian(&mut negative, params, HESSIAN_STEP);
    optimize::inverse_positive_definite(&hessian, n)
}

/// The z of a two-sided 90% normal interval.
pub const Z_90: f64 = 1.644_853_626_951_472_2;

/// A 90% interval of a positive quantity whose logarithm has standard error `log_se`:
/// value · e^(±1.645·se), which stays positive and is the delta method on the log scale.
pub fn log_interval(value: f64, log_se: f64) -> (f64, f64) {
    let half = Z_90 * log_se;
    (value * (-half).exp(), value * half.exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exponential rates: ln L = N ln λ − λ Σt, maximised at λ = N/Σt with Var = λ²/N.
    struct Exponential {
        count: f64,
        time: f64,
    }

    impl Likelihood for Exponential {
        fn log_likelihood(&mut self, params: &[f64], gradient: &mut [f64]) -> f64 {
            let rate = params[0];
            gradient[0] = self.count / rate - self.time;
            self.count * rate.ln() - rate * self.time
        }
    }

    #[test]
    fn finds_a_closed_form_maximum_and_its_variance() {
        let mut model = Exponential {
            count: 50.0,
            time: 20.0,
        };
        let problem = Problem {
            start: vec![0.0],
            total_weight: 50.0,
            penalizer: 0.0,
        };
        let found = estimate(&mut model, &problem);
        assert!(found.converged);
        assert!((found.params[0] - 2.5).abs() < 1e-6, "{found:?}");
        let se = found.standard_errors().unwrap()[0];
        assert!((se - 2.5 / 50f64.sqrt()).abs() < 1e-6, "{se}");
        let log_se = found.log_covariance().unwrap()[0].sqrt();
        assert!((log_se - 1.0 / 50f64.sqrt()).abs() < 1e-6, "{log_se}");
    }

    #[test]
    fn the_penalty_pulls_log_parameters_towards_zero() {
        let mut model = Exponential {
            count: 50.0,
            time: 20.0,
        };
        let mut penalised = |penalizer| {
            let problem = Problem {
                start: vec![0.0],
                total_weight: 50.0,
                penalizer,
            };
            estimate(&mut model, &problem).params[0]
        };
        let (free, light, heavy) = (penalised(0.0), penalised(0.1), penalised(10.0));
        assert!(
            1.0 < heavy && heavy < light && light < free,
            "{heavy} {light} {free}"
        );
        // Stationary point of −(ln λ − 0.4λ) + λ_p (ln λ)²: 1/λ − 0.4 = 2·0.1·ln λ / λ.
        assert!(
            (1.0 - 0.4 * light - 0.2 * light.ln()).abs() < 1e-6,
            "{light}"
        );
    }

    #[test]
    fn intervals_on_the_log_scale_stay_positive() {
        let (low, high) = log_interval(2.0, 1.0);
        assert!(
            (low - 2.0 * (-Z_90).exp()).abs() < 1e-12 && (high - 2.0 * Z_90.exp()).abs() < 1e-12
        );
        assert!((low * high - 4.0).abs() < 1e-12);
    }
}
