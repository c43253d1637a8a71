//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while
//! alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they
//! drop out with probability p ~ Beta(a, b). Fitted by maximum likelihood on (x, t_x, T).
//!
//! Times are in periods (whatever unit the summary uses); α is in the same unit. The fit works on
//! log-parameters with the time axis rescaled so that the largest T is 1 — so the optimiser sees
//! the same problem whatever the period length, and predictions do not depend on it.

use serde::Serialize;

use super::ClvError;
use super::mle::Likelihood;
use super::model::{ModelKind, ModelParameters, PurchaseFit};
use super::patterns::Patterns;
use super::special::{digamma, ln_gamma, logistic};

/// The four parameters of the beta-geometric purchase models; `alpha` is in the time unit of the
/// data (weeks for CDNOW). `MODIFIED` tells BG/NBD's ([`BgNbdParams`]) from MBG/NBD's
/// ([`super::MbgNbdParams`]): the same four numbers, read by two likelihoods.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct BetaGeometricParams<const MODIFIED: bool> {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// The four BG/NBD parameters.
pub type BgNbdParams = BetaGeometricParams<false>;

/// A maximum-likelihood fit of BG/NBD.
pub type BgNbdFit = PurchaseFit<BgNbdParams>;

impl BgNbdParams {
    /// ln L(r, α, a, b | x, t_x, T) of one customer (Fader, Hardie & Lee 2005, eq. 6, in logs):
    /// A₁ + A₂ + ln(e^A₃ + [x > 0] e^A₄) with
    /// A₁ = ln Γ(r+x) − ln Γ(r) + r ln α, A₂ = ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x),
    /// A₃ = −(r+x) ln(α+T), A₄ = ln a − ln(b+x−1) − (r+x) ln(α+t_x).
    pub fn log_likelihood(&self, x: f64, t_x: f64, age: f64) -> f64 {
        let BgNbdParams { r, alpha, a, b } = *self;
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
        let a3 = -(r + x) * (alpha + age).ln();
        if x > 0.0 {
            let a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + t_x).ln();
            a1 + a2 + super::special::log_add_exp(a3, a4)
        } else {
            a1 + a2 + a3
        }
    }

    /// P(alive | x, t_x, T) = 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
    /// Customers without a repeat purchase are alive with certainty under the model (they can
    /// only drop out right after a purchase).
    pub fn p_alive(&self, x: f64, t_x: f64, age: f64) -> f64 {
        if x <= 0.0 {
            return 1.0;
        }
        let BgNbdParams { r, alpha, a, b } = *self;
        let log_odds_dead =
            a.ln() - (b + x - 1.0).ln() + (r + x) * ((age - t_x) / (alpha + t_x)).ln_1p();
        logistic(-log_odds_dead)
    }

    /// Expected repeat purchases in the next `t` periods of a customer still alive at age `age`
    /// after `x` repeat purchases. Conditional on being alive the future is a fresh BG/NBD with
    /// r + x, α + T, a, b + x, so (FHL 2005, eq. 10 without its P(alive) factor)
    ///
    ///   E = (a+b+x−1)/(a−1) · [1 − (1−z)^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)],   z = t/(α+T+t).
    ///
    /// No one series for this is safe everywhere, so two are used. [`Self::euler_series`] is fast
    /// (its terms shrink quickly when x is large) but its terms alternate and cancel when
    /// r ≫ a + b, where a fit ends when customers buy very evenly; it estimates its own rounding
    /// error and gives up when that is too large. [`Self::negative_binomial_sum`] has only
    /// positive terms, so it cannot cancel, and takes about as many terms as the customer's
    /// expected purchases. NaN when the sum does not settle (t thousands of times α + T); the
    /// analysis counts such customers in a warning rather than reporting a partial sum.
    pub fn expected_purchases_if_alive(&self, t: f64, x: f64, age: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let z = t / (self.alpha + age + t);
        let log_one_minus_z = -(t / (self.alpha + age)).ln_1p();
        self.euler_series(z, log_one_minus_z, x)
            .unwrap_or_else(|| self.negative_binomial_sum(z, log_one_minus_z, x))
    }

    /// Euler's transformation turns the bracket of [`Self::expected_purchases_if_alive`] into
    /// 1 − (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; c; z), c = a+b+x−1; writing that ₂F₁ as 1 + (a−1)/c · S
    /// removes the 0/0 at a = 1 and the division by c:
    ///
    ///   E = c · (1 − (1−z)^(a−1))/(a−1) − (1−z)^(a−1) · S,
    ///   S = Σₙ≥₁ (c−r−x)ₙ (a)ₙ₋₁ / ((c+1)ₙ₋₁ n!) zⁿ.
    ///
    /// (c−r−x)ₙ = (a+b−1−r)ₙ changes sign ⌈r − (a+b−1)⌉ times, so for r ≫ a + b the terms
    /// alternate with magnitudes up to about e^(rz) and cancel (r = 10⁴, α = 7·10⁴ days, a = 2,
    /// b = 1, t = 365 days gives 10,569.6 for 1.96); for large a the two parts of E cancel
    /// instead. Both show in the terms' magnitudes, so the rounding error is bounded from them as
    /// the series is summed, and `None` (use the other series) is returned when it exceeds
    /// [`EULER_TOLERANCE`] of the result.
    fn euler_series(&self, z: f64, log_one_minus_z: f64, x: f64) -> Option<f64> {
        let BgNbdParams { r, a, b, .. } = *self;
        let c = a + b + x - 1.0;
        let shift = c - r - x;
        let epsilon = a - 1.0;
        let growth = epsilon * log_one_minus_z;
        let scale = growth.exp();
        let leading = c * if epsilon == 0.0 {
            -log_one_minus_z
        } else {
            -growth.exp_m1() / epsilon
        };
        if !(scale > 0.0 && scale.is_finite() && leading.is_finite()) {
            return None;
        }
        // Beyond this Σ(n+1)|termₙ| the cancellation is hopeless whatever the result.
        let hopeless = leading.abs() * EULER_TOLERANCE / f64::EPSILON * 1e3;
        let mut term = shift * z;
        let (mut sum, mut magnitude) = (term, 2.0 * term.abs());
        let mut n = 1.0;
        // The stopping tests cost more than a term, so they run every few terms.
        let mut until_check = 0;
        loop {
            if until_check == 0 || term == 0.0 {
                until_check = CHECK_EVERY;
                let estimate = leading - scale * sum;
                // Past the last sign change of (c−r−x+n) every later ratio |termₙ₊₁/termₙ| is
                // below z·max(1, (a+n−1)/(n+1)), which bounds the rest geometrically.
                let bound = z * ((a + n - 1.0) / (n + 1.0)).max(1.0);
                if term == 0.0
                    || (shift + n >= 0.0
                        && bound < 1.0
                        && scale * term.abs() * bound
                            <= SERIES_EPSILON * estimate.abs() * (1.0 - bound))
                {
                    // Each term carries about n roundings: the error is below ε Σ (n+1)|termₙ|.
                    let error = 8.0 * f64::EPSILON * (leading.abs() + scale * magnitude);
                    return (estimate >= 0.0 && error <= EULER_TOLERANCE * estimate)
                        .then_some(estimate);
                }
                let within_reach = scale * magnitude <= hopeless; // false for NaN too
                if n >= EULER_MAX_TERMS || !within_reach {
                    return None;
                }
            }
            until_check -= 1;
            term *= (shift + n) * (a + n - 1.0) / ((c + n) * (n + 1.0)) * z;
            n += 1.0;
            sum += term;
            magnitude += (n + 1.0) * term.abs();
        }
    }

    /// The expectation from its meaning, every term positive: while alive the customer would
    /// make N purchases in the t periods, N ~ NegBin(r+x, z) (Poisson purchases at a
    /// Gamma(r+x, α+T) rate), and makes the k-th of them only if still there after the previous
    /// k − 1, with probability (b+x)ₖ₋₁/(a+b+x)ₖ₋₁ under the Beta(a, b+x) dropout. So
    ///
    ///   E = Σₙ≥₁ P(N = n) mₙ,   mₙ = Σₖ₌₀..ₙ₋₁ (b+x)ₖ/(a+b+x)ₖ,
    ///   P(N = n) = (1−z)^(r+x) (r+x)ₙ zⁿ / n!.
    ///
    /// It equals eq. 10 term by term (the ₂F₁ expanded), but nothing cancels: the relative
    /// rounding error stays near ε times the number of terms, about (r+x)·z/(1−z) plus a tail
    /// of a few dozen /(1−z). The sum runs with (1−z)^(r+x) factored out and rescaled near
    /// overflow, so a large r cannot underflow it. NaN if it has not settled after
    /// [`MAX_SERIES_TERMS`] terms.
    fn negative_binomial_sum(&self, z: f64, log_one_minus_z: f64, x: f64) -> f64 {
        const RESCALE_ABOVE: f64 = 1e280;
        let (rate_shape, still_shape, a) = (self.r + x, self.b + x, self.a);
        // The sum has to pass the mode of N, about (r+x)·t/(α+T), and then shrink by 10⁻²⁰ or so
        // at a rate no faster than zⁿ, about 45·t/(α+T) terms: beyond the budget, give up now
        // rather than after a million terms.
        let odds = (-log_one_minus_z).exp_m1(); // z/(1−z) = t/(α+T)
        if rate_shape.max(20.0) * odds > MAX_SERIES_TERMS {
            return f64::NAN;
        }
        // P(N = n) / P(N = 0) / e^log_scale, mₙ and (b+x)ₙ/(a+b+x)ₙ.
        let (mut weight, mut made, mut still_buying) = (1.0f64, 0.0f64, 1.0f64);
        let (mut sum, mut log_scale) = (0.0f64, 0.0f64);
        let mut n = 0.0;
        while n < MAX_SERIES_TERMS {
            weight *= (rate_shape + n) / (n + 1.0) * z;
            made += still_buying;
            still_buying *= (still_shape + n) / (a + still_shape + n);
            n += 1.0;
            let term = weight * made;
            sum += term;
            if sum > RESCALE_ABOVE {
                sum /= RESCALE_ABOVE;
                weight /= RESCALE_ABOVE;
                log_scale += RESCALE_ABOVE.ln();
            }
            // Later ratios P(N = k+1)/P(N = k) stay below max(this one, z) (they fall towards z
            // when r + x ≥ 1 and rise towards it otherwise), and m_{k+1}/m_k only falls.
            let ratio = ((rate_shape + n) / (n + 1.0) * z).max(z) * (made + still_buying) / made;
            if ratio < 1.0 && term * ratio / (1.0 - ratio) <= SERIES_EPSILON * sum {
                return (rate_shape * log_one_minus_z + log_scale + sum.ln()).exp();
            }
        }
        f64::NAN
    }

    /// Expected repeat purchases in the next `t` periods given the history, FHL 2005 eq. 10:
    /// P(alive) × [`Self::expected_purchases_if_alive`].
    pub fn conditional_expected_purchases(&self, t: f64, x: f64, t_x: f64, age: f64) -> f64 {
        self.p_alive(x, t_x, age) * self.expected_purchases_if_alive(t, x, age)
    }

    /// Expected repeat purchases in `t` periods of a new customer (FHL 2005, eq. 9).
    pub fn expected_purchases(&self, t: f64) -> f64 {
        self.expected_purchases_if_alive(t, 0.0, 0.0)
    }

    /// P(at least one purchase in the next `s` periods | x, t_x, T).
    ///
    /// Derivation: a dead customer never buys, so this is P(alive) × P(a purchase within s | alive).
    /// Given alive at T, the customer buys at rate λ and can only drop out *after* a purchase, so
    /// no dropout can pre-empt the first future purchase: P(none within s | alive, λ) = e^(−λs).
    /// Alive means the Poisson process ran for the whole of (0, T], so the posterior of λ is
    /// Gamma(r + x, α + T), and its Laplace transform gives
    /// P(none within s | alive) = ((α+T)/(α+T+s))^(r+x). Hence
    /// P = P(alive) · (1 − ((α+T)/(α+T+s))^(r+x)).
    pub fn p_purchase_within(&self, s: f64, x: f64, t_x: f64, age: f64) -> f64 {
        self.p_alive(x, t_x, age) * self.p_purchase_within_if_alive(s, x, age)
    }

    /// P(at least one purchase in the next `s` periods | alive, x, T) = 1 − ((α+T)/(α+T+s))^(r+x).
    pub fn p_purchase_within_if_alive(&self, s: f64, x: f64, age: f64) -> f64 {
        if s <= 0.0 {
            return 0.0;
        }
        -(-(self.r + x) * (s / (self.alpha + age)).ln_1p()).exp_m1()
    }

    /// Periods after the calibration end until the customer is more likely than not to have
    /// bought again: the s at which [`Self::p_purchase_within`] reaches ½, i.e. the median of the
    /// waiting time to the next purchase. Solving P(alive)·(1 − q) = ½ for
    /// q = ((α+T)/(α+T+s))^(r+x) gives s = (α+T) · (q^(−1/(r+x)) − 1) with q = 1 − 1/(2·P(alive)).
    ///
    /// Why the median: it is always defined when it exists (the mean waiting time is infinite when
    /// r + x ≤ 1, as for most one-time buyers), it agrees with the 30-day probability (a customer
    /// with P(purchase in 30 days) ≥ ½ gets a date within 30 days), and it folds in the chance that
    /// the customer has left. `None` when P(alive) ≤ ½: such a customer is more likely gone than
    /// not, so no date is "expected".
    pub fn periods_until_likely_purchase(&self, x: f64, t_x: f64, age: f64) -> Option<f64> {
        median_wait(self.p_alive(x, t_x, age), self.r, self.alpha, x, age)
    }
}
// Largest relative rounding error accepted from the Euler-transformed series before the
/// positive-term sum is used instead.
const EULER_TOLERANCE: f64 = 1e-12;

/// Terms of the Euler series between its stopping tests.
const CHECK_EVERY: u32 = 4;

/// Relative size of the rest of a series at which summing stops: below the rounding error of the
/// terms already summed.
const SERIES_EPSILON: f64 = 1e-15;

/// Most terms the positive series may take: enough for t up to about 5·10⁴ times α + T (the
/// terms shrink like zⁿ, z = t/(α+T+t)) and customers expected to buy up to about 10⁶ times;
/// beyond it the expectation is NaN.
const MAX_SERIES_TERMS: f64 = 1e6;

/// Most terms the Euler series may take before the positive one is tried: where it needs more,
/// z is near 1 and the positive series is as fast.
const EULER_MAX_TERMS: f64 = 1e4;

/// The likelihood of BG/NBD, and of MBG/NBD (`modified`), over the compressed patterns, on
/// rescaled times. The two differ only in where a customer may drop out: BG/NBD after each repeat
/// purchase (x chances), MBG/NBD after every purchase including the first (x + 1), so MBG/NBD's
/// terms are BG/NBD's with b + x → b + x + 1 and its "dropped out after the last purchase" term
/// applies to one-time buyers too. `scratch` holds per-time and per-frequency values between
/// calls (no allocation per call): whatever does not depend on the pattern is computed once per
/// evaluation, leaving two transcendental calls per pattern.
pub(crate) struct BetaGeometricLikelihood<'a> {
    pub patterns: &'a Patterns,
    pub modified: bool,
    log_a: f64,
    log_b_x: Vec<f64>,
    /// e^(−ln(b+x−1+m)) per distinct x: the b-gradient's factor.
    inverse_b_x: Vec<f64>,
    log_time: Vec<f64>,
    inverse_time: Vec<f64>,
}

impl<'a> BetaGeometricLikelihood<'a> {
    pub(crate) fn new(patterns: &'a Patterns, modified: bool) -> Self {
        BetaGeometricLikelihood {
            patterns,
            modified,
            log_a: 0.0,
            log_b_x: Vec::new(),
            inverse_b_x: Vec::new(),
            log_time: Vec::new(),
            inverse_time: Vec::new(),
        }
    }

    /// Adds one history's ln(e^A₃ + e^A₄) and its gradient: A₃ = −(r+x) ln(α+T) (alive at T),
    /// A₄ = ln a − ln(b+x−1+m) − (r+x) ln(α+t_x) (dropped out after the last purchase).
    fn add_mixture(
        &self,
        params: &[f64],
        (k, recency, age): (usize, usize, usize),
        weight: f64,
        total: &mut f64,
        tails: &mut LogProduct,
        g: &mut [f64],
    ) {
        let (r, a) = (params[0], params[2]);
        let x = self.patterns.frequencies[k];
        let (log_age, log_recency) = (self.log_time[age], self.log_time[recency]);
        let a3 = -(r + x) * log_age;
        let a4 = self.log_a - self.log_b_x[k] - (r + x) * log_recency;
        // ln(e^A₃ + e^A₄) and the weights w₃ = e^A₃ / (e^A₃ + e^A₄), w₄ = 1 − w₃.
        let difference = a4 - a3;
        let tail = (-difference.abs()).exp();
        let (high, w4) = if difference > 0.0 {
            (a4, 1.0 / (1.0 + tail))
        } else {
            (a3, tail / (1.0 + tail))
        };
        let w3 = 1.0 - w4;
        *total += weight * high;
        tails.add_ln_1p(tail, weight);
        g[0] -= weight * (w3 * log_age + w4 * log_recency);
        g[1] -= weight * (r + x) * (w3 * self.inverse_time[age] + w4 * self.inverse_time[recency]);
        g[2] += weight * w4 / a;
        g[3] -= weight * w4 * self.inverse_b_x[k];
    }
}

impl Likelihood for BetaGeometricLikelihood<'_> {
    /// Total log-likelihood and its gradient with respect to (r, α, a, b).
    fn log_likelihood(&mut self, params: &[f64], gradient: &mut [f64]) -> f64 {
        let [r, alpha, a, b] = [params[0], params[1], params[2], params[3]];
        let shift = if self.modified { 1.0 } else { 0.0 };
        let patterns = self.patterns;
        let ln_alpha = alpha.ln();
        let (ln_gamma_r, digamma_r) = (ln_gamma(r), digamma(r));
        let (ln_gamma_b, digamma_b) = (ln_gamma(b), digamma(b));
        let (ln_gamma_ab, digamma_ab) = (ln_gamma(a + b), digamma(a + b));
        let mut total = 0.0;
        let mut tails = LogProduct::new();
        let mut g = [0.0; 4];
        self.log_a = a.ln();
        self.log_b_x.clear();
        for (&x, &weight) in patterns.frequencies.iter().zip(&patterns.frequency_weights) {
            let (bx, abx) = (b + x + shift, a + b + x + shift);
            let term = ln_gamma(r + x) - ln_gamma_r + r * ln_alpha + ln_gamma_ab + ln_gamma(bx)
                - ln_gamma_b
                - ln_gamma(abx);
            total += weight * term;
            let digamma_abx = digamma(abx);
            g[0] += weight * (digamma(r + x) - digamma_r + ln_alpha);
            g[1] += weight * r / alpha;
            g[2] += weight * (digamma_ab - digamma_abx);
            g[3] += weight * (digamma_ab + digamma(bx) - digamma_b - digamma_abx);
            let has_dropout_term = x > 0.0 || self.modified;
            self.log_b_x.push(if has_dropout_term {
                (bx - 1.0).ln()
            } else {
                0.0
            });
        }
        self.inverse_b_x.clear();
        self.inverse_b_x
            .extend(self.log_b_x.iter().map(|log_b_x| (-log_b_x).exp()));
        self.log_time.clear();
        self.inverse_time.clear();
        for &t in &patterns.times {
            self.log_time.push((alpha + t).ln());
            self.inverse_time.push(1.0 / (alpha + t));
        }
        if self.modified {
            // One-time buyers may have dropped out right after their first purchase (t_x = 0):
            // that time is α itself, kept in the last slot.
            self.log_time.push(ln_alpha);
            self.inverse_time.push(1.0 / alpha);
            let zero = self.log_time.len() - 1;
            let k = patterns
                .frequencies
                .iter()
                .position(|&x| x == 0.0)
                .unwrap_or(0);
            for &(age, weight) in &patterns.one_time {
                let slots = (k, zero, age as usize);
                self.add_mixture(params, slots, weight, &mut total, &mut tails, &mut g);
            }
        } else {
            for &(age, weight) in &patterns.one_time {
                let log_age = self.log_time[age as usize];
                total -= weight * r * log_age;
                g[0] -= weight * log_age;
                g[1] -= weight * r * self.inverse_time[age as usize];
            }
        }
        for pattern in &patterns.repeat {
            let slots = (
                pattern.frequency as usize,
                pattern.recency as usize,
                pattern.age as usize,
            );
            let weight = pattern.weight;
            self.add_mixture(params, slots, weight, &mut total, &mut tails, &mut g);
        }
        gradient.copy_from_slice(&g);
        total + tails.ln()
    }
}

/// Σ wᵢ·ln(1 + tᵢ) over many small tᵢ ∈ [0, 1], as the logarithm of a running product: one
/// `ln` per few hundred histories instead of one `ln_1p` each, which was a fifth of a fit's
/// time on a store's order list. The product is folded into the sum before it could overflow;
/// its rounding (a few ε per factor) stays far below what the optimiser resolves.
struct LogProduct {
    sum: f64,
    product: f64,
}

impl LogProduct {
    /// Past this the next factor (at most 2³²) could overflow.
    const FOLD_AT: f64 = 1e250;

    fn new() -> LogProduct {
        LogProduct {
            sum: 0.0,
            product: 1.0,
        }
    }

    #[inline]
    fn add_ln_1p(&mut self, tail: f64, weight: f64) {
        if weight == 1.0 {
            self.product *= 1.0 + tail;
        } else if weight.fract() == 0.0 && (0.0..=32.0).contains(&weight) {
            self.product *= (1.0 + tail).powi(weight as i32);
        } else {
            self.sum += weight * tail.ln_1p();
            return;
        }
        if self.product > Self::FOLD_AT {
            self.sum += self.product.ln();
            self.product = 1.0;
        }
    }

    fn ln(&self) -> f64 {
        self.sum + self.product.ln()
    }
}

/// Fits BG/NBD by maximum likelihood. `frequency` are repeat purchases x (whole numbers),
/// `recency` t_x and `age` T in periods; `weights` count customers per row (default 1 each).
pub fn fit(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    weights: Option<&[f64]>,
) -> Result<BgNbdFit, ClvError> {
    super::model::fit(frequency, recency, age, weights, 0.0)
}

/// Periods until P(purchase) reaches ½ when, given alive, the first future purchase is not
/// pre-empted by a dropout (BG/NBD and MBG/NBD): solving P(alive)·(1 − q) = ½ for
/// q = ((α+T)/(α+T+s))^(r+x) gives s = (α+T) · (q^(−1/(r+x)) − 1) with q = 1 − 1/(2·P(alive)).
pub(crate) fn median_wait(alive: f64, r: f64, alpha: f64, x: f64, age: f64) -> Option<f64> {
    if alive <= 0.5 {
        return None;
    }
    let log_q = (-0.5 / alive).ln_1p();
    let periods = (alpha + age) * (-log_q / (r + x)).exp_m1();
    periods.is_finite().then_some(periods)
}

impl<const MODIFIED: bool> ModelParameters for BetaGeometricParams<MODIFIED>
where
    BetaGeometricParams<MODIFIED>: Into<super::model::PurchaseModel>,
{
    const KIND: ModelKind = if MODIFIED {
        ModelKind::MbgNbd
    } else {
        ModelKind::BgNbd
    };
    fn from_values(values: &[f64]) -> Self {
        BetaGeometricParams {
            r: values[0],
            alpha: values[1],
            a: values[2],
            b: values[3],
        }
    }
    fn values(&self) -> [f64; 4] {
        [self.r, self.alpha, self.a, self.b]
    }
    fn likelihood(patterns: &Patterns) -> Box<dyn Likelihood + '_> {
        Box::new(BetaGeometricLikelihood::new(patterns, MODIFIED))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The running product gives Σ w·ln(1 + t) as the sum of `ln_1p`s does: weights of one,
    /// small whole weights, large and fractional ones; enough factors to fold the product.
    #[test]
    fn log_product_sums_ln_1p() {
        let mut product = LogProduct::new();
        let mut direct = 0.0;
        let mut state = 7_u64;
        for i in 0..200_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let tail = (state >> 11) as f64 / (1u64 << 53) as f64;
            let tail = if i % 3 == 0 { tail * 1e-12 } else { tail };
            let weight = [1.0, 1.0, 2.0, 7.0, 32.0, 40.0, 2.5][i % 7];
            product.add_ln_1p(tail, weight);
            direct += weight * tail.ln_1p();
        }
        assert!(
            (product.ln() - direct).abs() <= 1e-12 * direct,
            "{} vs {direct}",
            product.ln()
        );
    }

    /// Published CDNOW estimates (FHL 2005), used to test the formulas independently of the fit.
    const CDNOW: BgNbdParams = BgNbdParams {
        r: 0.242_593,
        alpha: 4.413_532,
        a: 0.792_886,
        b: 2.425_752,
    };
    /// Agreement between two ways of computing the same quantity.
    const SAME: f64 = 1e-10;

    /// The two series at (t, x, T): the Euler one (`None` where it declines) and the positive one.
    fn both_series(p: &BgNbdParams, t: f64, x: f64, age: f64) -> (Option<f64>, f64) {
        let z = t / (p.alpha + age + t);
        let log_one_minus_z = -(t / (p.alpha + age)).ln_1p();
        (
            p.euler_series(z, log_one_minus_z, x),
            p.negative_binomial_sum(z, log_one_minus_z, x),
        )
    }

    #[test]
    fn hardie_spreadsheet_value() {
        // FHL 2005 / Hardie's spreadsheet: x = 2, t_x = 30.43, T = 38.86 → 1.226 in 39 weeks.
        let expected = CDNOW.conditional_expected_purchases(39.0, 2.0, 30.43, 38.86);
        assert!((expected - 1.226).abs() < 5e-4, "{expected}");
    }

    #[test]
    fn both_series_agree_where_the_euler_one_is_used() {
        let mut used = 0;
        for (a, b) in [
            (CDNOW.a, CDNOW.b),
            (1.0, 2.0),
            (5.0, 40.0),
            (25.0, 40.0),
            (0.3, 0.5),
        ] {
            let params = BgNbdParams { a, b, ..CDNOW };
            for (t, x, age) in [
                (39.0, 0.0, 38.86),
                (10.0, 4.0, 20.0),
                (52.0, 30.0, 38.0),
                (400.0, 1.0, 3.0),
                (1e-3, 2.0, 30.0),
            ] {
                let (euler, positive) = both_series(&params, t, x, age);
                if let Some(euler) = euler {
                    used += 1;
                    assert!(
                        (euler - positive).abs() <= SAME * positive,
                        "a={a} b={b} t={t} x={x}: {euler} vs {positive}"
                    );
                }
            }
        }
        assert!(used >= 15, "the fast series served only {used} of 25 cases");
    }

    #[test]
    fn the_euler_series_declines_where_its_terms_cancel() {
        // The cases (days, x = 0, T = 0, t = 365): r ≫ a + b, alternating terms.
        for (params, expected) in [
            (
                BgNbdParams {
                    r: 1e4,
                    alpha: 7e4,
                    a: 2.0,
                    b: 1.0,
                },
                1.961_640_000,
            ),
            (
                BgNbdParams {
                    r: 160.0,
                    alpha: 160.0,
                    a: 2.0,
                    b: 0.3,
                },
                1.298_922_689,
            ),
        ] {
            let (euler, positive) = both_series(&params, 365.0, 0.0, 0.0);
            assert_eq!(euler, None, "{params:?}");
            assert!((positive - expected).abs() < 1e-8, "{params:?}: {positive}");
            assert_eq!(params.expected_purchases(365.0), positive);
        }
    }

    #[test]
    fn a_sum_that_does_not_settle_is_nan() {
        // t fifty million times α + T: neither series settles within its term budget.
        let params = BgNbdParams {
            r: 1.0,
            alpha: 1e-4,
            a: 0.5,
            b: 1.0,
        };
        assert!(params.expected_purchases_if_alive(5e3, 0.0, 0.0).is_nan());
        assert!(
            params
                .conditional_expected_purchases(5e3, 0.0, 0.0, 0.0)
                .is_nan()
        );
        // A thousand times α + T still works.
        assert!(
            params
                .expected_purchases_if_alive(0.1, 0.0, 0.0)
                .is_finite()
        );
    }

    #[test]
    fn extreme_parameters_and_histories_stay_finite() {
        // A fit where nobody seems to leave: a and b in the millions and billions.
        let params = BgNbdParams {
            r: 0.2,
            alpha: 6.5,
            a: 3.7e6,
            b: 1.7e9,
        };
        for (t, x, age) in [(365.0, 899.0, 10950.0), (1.0, 0.0, 0.0), (1e4, 5000.0, 1e5)] {
            let expected = params.expected_purchases_if_alive(t, x, age);
            // With p ≈ a/(a+b) ≈ 0.2% the customer simply keeps buying at rate (r+x)/(α+T).
            let rate_guess = (params.r + x) / (params.alpha + age) * t;
            assert!(
                expected.is_finite() && expected > 0.0 && expected <= rate_guess * 1.01,
                "{expected} vs {rate_guess}"
            );
        }
    }

    #[test]
    fn no_singularity_at_a_equal_one() {
        let near = |a: f64| BgNbdParams { a, ..CDNOW }.expected_purchases_if_alive(20.0, 3.0, 30.0);
        let at_one = near(1.0);
        assert!(at_one.is_finite() && at_one > 0.0);
        assert!(
            (near(1.0 + 1e-7) - at_one).abs() < 1e-6 && (near(1.0 - 1e-7) - at_one).abs() < 1e-6
        );
    }

    #[test]
    fn unconditional_expectation_at_small_t_is_the_purchase_rate() {
        // For t → 0, E[X(t)] ≈ (r/α)·t: everyone starts alive.
        let t = 1e-6;
        let rate = CDNOW.expected_purchases(t) / t;
        assert!((rate - CDNOW.r / CDNOW.alpha).abs() < 1e-6, "{rate}");
    }

    #[test]
    fn probability_alive_special_cases() {
        assert_eq!(CDNOW.p_alive(0.0, 0.0, 30.0), 1.0);
        // Bought at the very end: the only doubt is the dropout right after that purchase.
        let just_bought = CDNOW.p_alive(3.0, 30.0, 30.0);
        assert!((just_bought - 1.0 / (1.0 + CDNOW.a / (CDNOW.b + 2.0))).abs() < SAME);
        // Many purchases long ago: almost surely gone, without underflow trouble.
        let gone = CDNOW.p_alive(500.0, 1.0, 1e4);
        assert!((0.0..1e-100).contains(&gone));
    }

    #[test]
    fn purchase_probability_and_likely_date_agree() {
        for (x, t_x, age) in [
            (0.0, 0.0, 5.0),
            (4.0, 30.0, 31.0),
            (20.0, 38.0, 38.5),
            (1.0, 2.0, 38.0),
        ] {
            match CDNOW.periods_until_likely_purchase(x, t_x, age) {
                Some(s) => {
                    let p = CDNOW.p_purchase_within(s, x, t_x, age);
                    assert!((p - 0.5).abs() < 1e-9, "x={x}: P = {p} at s = {s}");
                }
                None => assert!(CDNOW.p_alive(x, t_x, age) <= 0.5),
            }
        }
    }

    #[test]
    fn unidentified_dropout_is_a_warning_not_a_failure() {
        // Everyone buys every week and is still buying: nothing shows how customers leave.
        let x: Vec<f64> = (0..50).map(|i| 10.0 + (i % 7) as f64).collect();
        let age: Vec<f64> = x.iter().map(|x| x + 0.5).collect();
        let fit = fit(&x, &x, &age, None).unwrap();
        assert!(
            fit.warnings
                .iter()
                .any(|w| w.code == "bgnbd_extreme_parameters"),
            "{fit:?}"
        );
        let expected = fit
            .params
            .conditional_expected_purchases(10.0, 12.0, 12.0, 12.5);
        assert!(expected.is_finite() && expected > 5.0, "{expected}");
    }

    #[test]
    fn validation_names_the_row() {
        type Case = (&'static [f64], &'static [f64], &'static [f64], &'static str);
        let cases: [Case; 5] = [
            (&[1.0, 2.5], &[1.0, 2.0], &[3.0, 3.0], "row 1"),
            (&[1.0], &[4.0], &[3.0], "larger than T"),
            (&[0.0], &[1.0], &[3.0], "must be 0"),
            (&[1.0], &[1.0, 2.0], &[3.0], "same length"),
            (&[f64::NAN], &[1.0], &[3.0], "finite"),
        ];
        for (x, t_x, t, expected) in cases {
            let error = fit(x, t_x, t, None).unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
        }
        assert!(matches!(
            fit(&[0.0, 0.0], &[0.0, 0.0], &[3.0, 4.0], None),
            Err(ClvError::NoRepeatBuyers { .. })
        ));
        assert!(matches!(
            fit(&[1.0], &[1.0], &[3.0], None),
            Err(ClvError::OneCustomer)
        ));
    }
}
