//! The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves";
//! Hardie's note 025): a customer's order values are Gamma(p, ν) around their own mean p/ν, and
//! ν ~ Gamma(q, v) across customers. Fitted on repeat customers' (x, m̄) by maximum likelihood.
//!
//! The model assumes spend per order is independent of how often a customer buys; the fit reports
//! the correlation between the two so the user can see when that is doubtful.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::mle::{self, Likelihood, Problem};
use super::special::{digamma, ln_gamma};
use super::{ClvError, ClvWarning, InvalidInput, NoFit, RowProblem};
use crate::message::Code;

/// The three Gamma-Gamma parameters; `v` is in money units.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GammaGammaParams {
    pub p: f64,
    pub q: f64,
    pub v: f64,
}

/// A maximum-likelihood fit.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GammaGammaFit {
    #[serde(flatten)]
    pub params: GammaGammaParams,
    pub log_likelihood: f64,
    pub converged: bool,
    pub iterations: usize,
    pub standard_errors: Option<GammaGammaParams>,
    /// Customers fitted (sum of weights of rows with x > 0 and m̄ > 0).
    pub customers: f64,
    /// Rows left out: no repeat purchase (x = 0, nothing to learn about spend) or m̄ ≤ 0.
    pub skipped: usize,
    /// Weighted Pearson correlation of x and m̄ over the fitted customers.
    pub frequency_monetary_correlation: Option<f64>,
    /// E[order value] of a customer about whom nothing is known: v·p/(q−1), if q > 1.
    pub population_mean_order_value: Option<f64>,
    pub warnings: Vec<ClvWarning>,
    /// Covariance of (ln p, ln q, ln v), for intervals of derived figures.
    #[serde(skip)]
    pub log_covariance: Option<Vec<f64>>,
}

impl GammaGammaParams {
    /// ln of the density of m̄ given x (Hardie's note 025, eq. 1a, in logs).
    pub fn log_likelihood(&self, x: f64, monetary_mean: f64) -> f64 {
        let GammaGammaParams { p, q, v } = *self;
        let (px, m) = (p * x, monetary_mean);
        ln_gamma(px + q) - ln_gamma(px) - ln_gamma(q)
            + q * v.ln()
            + (px - 1.0) * m.ln()
            + px * x.ln()
            - (px + q) * (x * m + v).ln()
    }

    /// E[average order value | x, m̄] (note 025, eq. 5): a credibility-weighted mix of the
    /// customer's own mean and the population mean, weight p·x/(p·x + q − 1) on their own.
    /// A customer without repeat purchases (x = 0) gets the population mean. Meaningful only when
    /// q > 1 (otherwise the population mean is infinite); returns NaN then.
    pub fn expected_order_value(&self, x: f64, monetary_mean: f64) -> f64 {
        let GammaGammaParams { p, q, .. } = *self;
        if q <= 1.0 {
            return f64::NAN;
        }
        let individual_weight = p * x / (p * x + q - 1.0);
        (1.0 - individual_weight) * self.population_mean() + individual_weight * monetary_mean
    }

    /// The mean order value across customers, E[ζ] = v·p/(q − 1); NaN when q ≤ 1.
    pub fn population_mean(&self) -> f64 {
        let GammaGammaParams { p, q, v } = *self;
        if q <= 1.0 {
            return f64::NAN;
        }
        v * p / (q - 1.0)
    }

    fn is_valid(&self) -> bool {
        [self.p, self.q, self.v]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0)
    }
}

/// Correlation above which the independence assumption is flagged (|ρ| > this).
pub const CORRELATION_WARNING: f64 = 0.3;

/// Repeat customers grouped by x, and by (x, m̄) — order values repeat (prices, and means of a
/// few prices), so there are several times fewer distinct pairs than customers and the one ln per
/// row and evaluation is taken that many times less; m̄ rescaled by the weighted mean so the fit is
/// unit-free.
struct Rows {
    frequencies: Vec<f64>,
    frequency_weights: Vec<f64>,
    /// Σ w·ln m̄ per distinct x (rescaled m̄).
    log_monetary_sums: Vec<f64>,
    /// Distinct (x, m̄): (index into `frequencies`, x·m̄ rescaled, weight).
    rows: Vec<(u32, f64, f64)>,
    total_weight: f64,
}

impl Likelihood for Rows {
    fn log_likelihood(&mut self, params: &[f64], gradient: &mut [f64]) -> f64 {
        let [p, q, v] = [params[0], params[1], params[2]];
        let (ln_gamma_q, digamma_q, ln_v) = (ln_gamma(q), digamma(q), v.ln());
        let mut total = 0.0;
        let mut g = [0.0; 3];
        for (k, &x) in self.frequencies.iter().enumerate() {
            let (weight, px) = (self.frequency_weights[k], p * x);
            let digamma_pxq = digamma(px + q);
            total += weight
                * (ln_gamma(px + q) - ln_gamma(px) - ln_gamma_q + q * ln_v + px * x.ln())
                + (px - 1.0) * self.log_monetary_sums[k];
            g[0] += x * (weight * (digamma_pxq - digamma(px) + x.ln()) + self.log_monetary_sums[k]);
            g[1] += weight * (digamma_pxq - digamma_q + ln_v);
            g[2] += weight * q / v;
        }
        for &(k, spend, weight) in &self.rows {
            let x = self.frequencies[k as usize];
            let log_total = (spend + v).ln();
            let shape = p * x + q;
            total -= weight * shape * log_total;
            g[0] -= weight * x * log_total;
            g[1] -= weight * log_total;
            g[2] -= weight * shape / (spend + v);
        }
        gradient.copy_from_slice(&g);
        total
    }
}

/// Fits Gamma-Gamma on `frequency` (x) and `monetary_mean` (m̄, mean value of the repeat
/// purchases); rows with x = 0 or m̄ ≤ 0 are skipped and counted. `weights` count customers.
pub fn fit(
    frequency: &[f64],
    monetary_mean: &[f64],
    weights: Option<&[f64]>,
) -> Result<GammaGammaFit, ClvError> {
    let n = frequency.len();
    if monetary_mean.len() != n || weights.is_some_and(|w| w.len() != n) {
        let (names, lengths) = match weights {
            Some(w) => (
                "frequency, monetary mean and weights",
                format!("{n}, {}, {}", monetary_mean.len(), w.len()),
            ),
            None => (
                "frequency and monetary mean",
                format!("{n}, {}", monetary_mean.len()),
            ),
        };
        return Err(ClvError::InvalidInput(InvalidInput::Lengths {
            names,
            lengths,
        }));
    }
    for i in 0..n {
        let (x, m) = (frequency[i], monetary_mean[i]);
        let weight_ok = weights.is_none_or(|w| w[i].is_finite() && w[i] >= 0.0);
        if !(x.is_finite() && m.is_finite() && x >= 0.0 && x.fract() == 0.0 && weight_ok) {
            return Err(ClvError::InvalidInput(InvalidInput::Row {
                row: i,
                problem: RowProblem::SpendRow,
                values: format!("x = {x}, m = {m}"),
                english: format!("frequency {x}, monetary mean {m}"),
            }));
        }
    }
    let used = |i: usize| {
        frequency[i] > 0.0 && monetary_mean[i] > 0.0 && weights.map_or(1.0, |w| w[i]) > 0.0
    };
    let skipped = (0..n)
        .filter(|&i| !used(i) && weights.map_or(1.0, |w| w[i]) > 0.0)
        .count();
    let mut total_weight = 0.0;
    let mut weighted_money = 0.0;
    for i in (0..n).filter(|&i| used(i)) {
        let w = weights.map_or(1.0, |w| w[i]);
        total_weight += w;
        weighted_money += w * monetary_mean[i];
    }
    if total_weight < 2.0 {
        return Err(ClvError::TooFewRepeatBuyers {
            customers: total_weight,
        });
    }
    let money_scale = weighted_money / total_weight;
    let mut index = FxHashMap::<u64, u32>::default();
    // Per distinct x, the rows by m̄.
    let mut pair_index: Vec<FxHashMap<u64, u32>> = Vec::new();
    let mut rows = Rows {
        frequencies: Vec::new(),
        frequency_weights: Vec::new(),
        log_monetary_sums: Vec::new(),
        rows: Vec::new(),
        total_weight,
    };
    for i in (0..n).filter(|&i| used(i)) {
        let (x, m, w) = (
            frequency[i],
            monetary_mean[i] / money_scale,
            weights.map_or(1.0, |w| w[i]),
        );
        let k = *index.entry(x.to_bits()).or_insert_with(|| {
            rows.frequencies.push(x);
            rows.frequency_weights.push(0.0);
            rows.log_monetary_sums.push(0.0);
            pair_index.push(FxHashMap::default());
            (rows.frequencies.len() - 1) as u32
        });
        rows.frequency_weights[k as usize] += w;
        rows.log_monetary_sums[k as usize] += w * m.ln();
        let next = rows.rows.len() as u32;
        let row = *pair_index[k as usize].entry(m.to_bits()).or_insert(next);
        if row == next {
            rows.rows.push((k, x * m, 0.0));
        }
        rows.rows[row as usize].2 += w;
    }
    // Start from p = 1, q = 2, v = 1: a population mean order value equal to the observed mean.
    let problem = Problem {
        start: vec![0.0, 2f64.ln(), 0.0],
        total_weight: rows.total_weight,
        penalizer: 0.0,
    };
    let estimate = mle::estimate(&mut rows, &problem);
    let scaled = GammaGammaParams {
        p: estimate.params[0],
        q: estimate.params[1],
        v: estimate.params[2],
    };
    if !scaled.is_valid() || !estimate.log_likelihood.is_finite() {
        return Err(ClvError::DidNotConverge {
            model: "Gamma-Gamma",
            reason: NoFit::InvalidParameters,
            parameters: listed(&estimate.params),
        });
    }
    let params = GammaGammaParams {
        v: scaled.v * money_scale,
        ..scaled
    };
    let predictions_sound = !super::ran_off(&[scaled.p, scaled.q, scaled.v])
        && (params.q <= 1.0
            || super::spread_sample(n).filter(|&i| used(i)).all(|i| {
                params
                    .expected_order_value(frequency[i], monetary_mean[i])
                    .is_finite()
            }));
    if !predictions_sound {
        return Err(ClvError::DidNotConverge {
            model: "Gamma-Gamma",
            reason: NoFit::SpendRanOff,
            parameters: listed(&[params.p, params.q, params.v]),
        });
    }
    let standard_errors = estimate.standard_errors().map(|se| GammaGammaParams {
        p: se[0],
        q: se[1],
        v: se[2] * money_scale,
    });
    let mut warnings = Vec::new();
    if !estimate.converged {
        warnings.push(ClvWarning::new(
            Code::GAMMA_GAMMA_NOT_CONVERGED,
            format!(
                "The Gamma-Gamma fit stopped after {} iterations without reaching a maximum; treat order-value estimates as rough.",
                estimate.iterations
            ),
        ));
    }
    if standard_errors.is_none() {
        warnings.push(ClvWarning::new(
            Code::GAMMA_GAMMA_NO_STANDARD_ERRORS,
            "The Gamma-Gamma likelihood is flat in some direction at the estimate, so no standard errors can be given.",
        ));
    }
    if params.q <= 1.0 {
        warnings.push(ClvWarning::new(
            Code::GAMMA_GAMMA_HEAVY_TAIL,
            format!(
                "Order values are too spread out for the Gamma-Gamma model (q = {:.3} ≤ 1 means an unbounded average order value), so expected order values and CLV are not given.",
                params.q
            ),
        )
        .with("q", format!("{:.3}", params.q)));
    }
    let correlation = weighted_correlation(frequency, monetary_mean, weights, used);
    if let Some(rho) = correlation.filter(|rho| rho.abs() > CORRELATION_WARNING) {
        warnings.push(ClvWarning::new(
            Code::SPEND_FREQUENCY_CORRELATED,
            format!(
                "Order value and purchase frequency are correlated (ρ = {rho:.2}) among repeat customers; the Gamma-Gamma model assumes they are independent, so expected order values are biased {}.",
                if rho > 0.0 { "low for frequent buyers" } else { "high for frequent buyers" }
            ),
        )
        .with("correlation", format!("{rho:.2}")));
    }
    // The density of m̄ in money units is the rescaled one divided by the scale.
    let log_likelihood = estimate.log_likelihood - total_weight * money_scale.ln();
    Ok(GammaGammaFit {
        params,
        log_likelihood,
        converged: estimate.converged,
        iterations: estimate.iterations,
        standard_errors,
        customers: total_weight,
        skipped,
        frequency_monetary_correlation: correlation,
        population_mean_order_value: (params.q > 1.0)
            .then(|| params.v * params.p / (params.q - 1.0)),
        warnings,
        log_covariance: estimate.log_covariance(),
    })
}

/// Weighted Pearson correlation of x and m̄ over the rows `used` selects; `None` when either has
/// no spread.
fn weighted_correlation(
    frequency: &[f64],
    monetary_mean: &[f64],
    weights: Option<&[f64]>,
    used: impl Fn(usize) -> bool,
) -> Option<f64> {
    let (mut sw, mut sx, mut sm) = (0.0, 0.0, 0.0);
    for i in (0..frequency.len()).filter(|&i| used(i)) {
        let w = weights.map_or(1.0, |w| w[i]);
        sw += w;
        sx += w * frequency[i];
        sm += w * monetary_mean[i];
    }
    let (mean_x, mean_m) = (sx / sw, sm / sw);
    let (mut cxx, mut cmm, mut cxm) = (0.0, 0.0, 0.0);
    for i in (0..frequency.len()).filter(|&i| used(i)) {
        let w = weights.map_or(1.0, |w| w[i]);
        let (dx, dm) = (frequency[i] - mean_x, monetary_mean[i] - mean_m);
        cxx += w * dx * dx;
        cmm += w * dm * dm;
        cxm += w * dx * dm;
    }
    (cxx > 0.0 && cmm > 0.0).then(|| cxm / (cxx * cmm).sqrt())
}

/// "p = 1.234e0, q = …, v = …": Gamma-Gamma parameters for a message.
fn listed(values: &[f64]) -> String {
    let [p, q, v] = [values[0], values[1], values[2]];
    format!("p = {p:.3e}, q = {q:.3e}, v = {v:.3e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published CDNOW estimates (FHL 2005, iso-value paper).
    const CDNOW: GammaGammaParams = GammaGammaParams {
        p: 6.248_802,
        q: 3.744_588,
        v: 15.447_748,
    };

    #[test]
    fn expected_order_value_is_a_credibility_weighted_mean() {
        let population = CDNOW.v * CDNOW.p / (CDNOW.q - 1.0);
        let cases = [(0.0, 0.0, population), (1.0, population, population)];
        for (x, m, expected) in cases {
            assert!((CDNOW.expected_order_value(x, m) - expected).abs() < 1e-12);
        }
        // More purchases → closer to the customer's own mean.
        let (low, high) = (
            CDNOW.expected_order_value(1.0, 100.0),
            CDNOW.expected_order_value(20.0, 100.0),
        );
        assert!(population < low && low < high && high < 100.0);
        assert!(
            GammaGammaParams { q: 0.9, ..CDNOW }
                .expected_order_value(2.0, 10.0)
                .is_nan()
        );
    }

    #[test]
    fn density_integrates_to_one() {
        // m̄ given x has a proper density: ∫ exp(ln f(m)) dm = 1 (trapezoid on a log grid).
        for x in [1.0, 3.0, 12.0] {
            let (mut integral, mut previous) = (0.0, (1e-4f64, 0.0));
            for i in 1..=200_000 {
                let m = 1e-4 * (1e7f64).powf(i as f64 / 200_000.0);
                let density = CDNOW.log_likelihood(x, m).exp();
                integral += 0.5 * (density + previous.1) * (m - previous.0);
                previous = (m, density);
            }
            assert!((integral - 1.0).abs() < 1e-4, "x = {x}: {integral}");
        }
    }

    #[test]
    fn skips_rows_without_spend_information() {
        let frequency = [0.0, 1.0, 2.0, 3.0, 1.0, 2.0, 4.0];
        let monetary = [0.0, 10.0, 12.0, 30.0, 0.0, 20.0, 16.0];
        let fit = fit(&frequency, &monetary, None).unwrap();
        assert_eq!((fit.customers, fit.skipped), (5.0, 2));
        assert!(matches!(
            super::fit(&[0.0, 1.0], &[0.0, 5.0], None),
            Err(ClvError::TooFewRepeatBuyers { .. })
        ));
        assert!(super::fit(&[1.5], &[5.0], None).is_err());
    }

    #[test]
    fn correlation_warning_fires_when_spend_follows_frequency() {
        let frequency: Vec<f64> = (1..=40).map(|i| (i % 10 + 1) as f64).collect();
        let monetary: Vec<f64> = frequency
            .iter()
            .enumerate()
            .map(|(i, x)| 10.0 * x + (i % 3) as f64)
            .collect();
        let fit = fit(&frequency, &monetary, None).unwrap();
        assert!(fit.frequency_monetary_correlation.unwrap() > 0.9);
        assert!(
            fit.warnings
                .iter()
                .any(|w| w.code == "spend_frequency_correlated")
        );
    }
}
