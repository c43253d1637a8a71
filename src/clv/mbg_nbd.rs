//! The MBG/NBD model (Batislam, Denizel & Filiztekin 2007, "Empirical validation and comparison
//! of models for customer base analysis"): BG/NBD in which a customer may also drop out right
//! after the first purchase. While alive a customer buys as a Poisson process with rate
//! λ ~ Gamma(r, α); after every purchase, the first included, they drop out with probability
//! p ~ Beta(a, b). So a one-time buyer long inactive is probably gone, where BG/NBD keeps every
//! one-time buyer alive for sure.
//!
//! Alive at T after x repeat purchases, a customer has survived x + 1 dropout chances, so p's
//! posterior is Beta(a, b + x + 1) and the future is BG/NBD's with b + 1 in place of b: the
//! expectations reuse [`BgNbdParams`]'s series.

use super::ClvError;
use super::bgnbd::{BetaGeometricParams, BgNbdParams};
use super::model::PurchaseFit;
use super::special::{ln_gamma, log_add_exp, logistic};

/// The four MBG/NBD parameters, named as BG/NBD's; `alpha` is in the time unit of the data.
pub type MbgNbdParams = BetaGeometricParams<true>;

/// A maximum-likelihood fit of MBG/NBD.
pub type MbgNbdFit = PurchaseFit<MbgNbdParams>;

impl MbgNbdParams {
    /// The BG/NBD whose alive-customer future is this model's: b + 1 for the extra dropout
    /// chance at the first purchase.
    fn future(&self) -> BgNbdParams {
        BgNbdParams {
            r: self.r,
            alpha: self.alpha,
            a: self.a,
            b: self.b + 1.0,
        }
    }

    /// ln L(r, α, a, b | x, t_x, T) of one customer (Batislam et al. 2007, eq. 4, in logs):
    /// A₁ + A₂ + ln(e^A₃ + e^A₄) with A₁ = ln Γ(r+x) − ln Γ(r) + r ln α,
    /// A₂ = ln Γ(a+b) + ln Γ(b+x+1) − ln Γ(b) − ln Γ(a+b+x+1), A₃ = −(r+x) ln(α+T),
    /// A₄ = ln a − ln(b+x) − (r+x) ln(α+t_x) — for every x, 0 included.
    pub fn log_likelihood(&self, x: f64, t_x: f64, age: f64) -> f64 {
        let MbgNbdParams { r, alpha, a, b } = *self;
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let a2 = ln_gamma(a + b) + ln_gamma(b + x + 1.0) - ln_gamma(b) - ln_gamma(a + b + x + 1.0);
        let a3 = -(r + x) * (alpha + age).ln();
        let a4 = a.ln() - (b + x).ln() - (r + x) * (alpha + t_x).ln();
        a1 + a2 + log_add_exp(a3, a4)
    }

    /// P(alive | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)), for one-time buyers too.
    pub fn p_alive(&self, x: f64, t_x: f64, age: f64) -> f64 {
        let MbgNbdParams { r, alpha, a, b } = *self;
        let log_odds_dead = a.ln() - (b + x).ln() + (r + x) * ((age - t_x) / (alpha + t_x)).ln_1p();
        logistic(-log_odds_dead)
    }

    /// Expected repeat purchases in the next `t` periods of a customer alive at T after x repeat
    /// purchases: (a+b+x)/(a−1) · [1 − (1−z)^(r+x) ₂F₁(r+x, b+x+1; a+b+x; z)], z = t/(α+T+t),
    /// which is BG/NBD's with b + 1.
    pub fn expected_purchases_if_alive(&self, t: f64, x: f64, age: f64) -> f64 {
        self.future().expected_purchases_if_alive(t, x, age)
    }

    /// P(at least one purchase in the next `s` periods | alive, x, T): as in BG/NBD, a dropout
    /// comes only after a purchase, so it cannot pre-empt the next one.
    pub fn p_purchase_within_if_alive(&self, s: f64, x: f64, age: f64) -> f64 {
        self.future().p_purchase_within_if_alive(s, x, age)
    }

    /// Expected repeat purchases given the history: P(alive) × the alive-customer expectation.
    pub fn conditional_expected_purchases(&self, t: f64, x: f64, t_x: f64, age: f64) -> f64 {
        self.p_alive(x, t_x, age) * self.expected_purchases_if_alive(t, x, age)
    }
}

/// Fits MBG/NBD by maximum likelihood, with the arguments of [`super::bgnbd::fit`].
pub fn fit(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    weights: Option<&[f64]>,
) -> Result<MbgNbdFit, ClvError> {
    super::model::fit(frequency, recency, age, weights, 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clv::bgnbd::BetaGeometricLikelihood;
    use crate::clv::mle::Likelihood;
    use crate::clv::model::ModelParameters;
    use crate::clv::patterns::Patterns;

    /// `lifetimes`' ModifiedBetaGeoFitter on the CDNOW summary (see tests/clv_models.rs).
    const CDNOW: MbgNbdParams = MbgNbdParams {
        r: 0.524_838,
        alpha: 6.182_988,
        a: 0.891_356,
        b: 1.614_000,
    };

    #[test]
    fn one_time_buyers_can_be_gone() {
        // Bought once long ago: less likely alive than one who just bought.
        let long_ago = CDNOW.p_alive(0.0, 0.0, 38.0);
        let just_now = CDNOW.p_alive(0.0, 0.0, 0.5);
        assert!(
            long_ago < just_now && just_now < 1.0,
            "{long_ago} {just_now}"
        );
        // At T = t_x the only doubt is the dropout right after the last purchase.
        let p = CDNOW.p_alive(3.0, 20.0, 20.0);
        assert!((p - 1.0 / (1.0 + CDNOW.a / (CDNOW.b + 3.0))).abs() < 1e-12);
    }

    #[test]
    fn the_pattern_likelihood_matches_the_per_customer_one() {
        let frequency = [0.0, 0.0, 1.0, 3.0, 3.0, 7.0];
        let recency = [0.0, 0.0, 2.0, 10.0, 10.0, 30.0];
        let age = [5.0, 38.0, 20.0, 30.0, 30.0, 38.0];
        let patterns = Patterns::new(&frequency, &recency, &age, None);
        let scale = patterns.time_scale;
        let scaled = CDNOW.time_scaled(1.0 / scale);
        let mut likelihood = BetaGeometricLikelihood::new(&patterns, true);
        let mut gradient = [0.0; 4];
        let total = likelihood.log_likelihood(&scaled.values(), &mut gradient);
        let direct: f64 = (0..6)
            .map(|i| scaled.log_likelihood(frequency[i], recency[i] / scale, age[i] / scale))
            .sum();
        assert!((total - direct).abs() < 1e-10, "{total} vs {direct}");
        // The analytic gradient against central differences.
        for i in 0..4 {
            let h = 1e-6 * scaled.values()[i];
            let mut shifted = |d: f64| {
                let mut values = scaled.values();
                values[i] += d;
                let mut g = [0.0; 4];
                likelihood.log_likelihood(&values, &mut g)
            };
            let numeric = (shifted(h) - shifted(-h)) / (2.0 * h);
            assert!(
                (gradient[i] - numeric).abs() < 1e-6 * numeric.abs().max(1.0),
                "parameter {i}: {} vs {numeric}",
                gradient[i]
            );
        }
    }
}
