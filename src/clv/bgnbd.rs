//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while
//! alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they
//! drop out with probability p ~ Beta(a, b). Fitted by maximum likelihood on (x, t_x, T).
//!
//! Times are in periods (whatever unit the summary uses); α is in the same unit. The fit works on
//! log-parameters with the time axis rescaled so that the largest T is 1 — so the optimiser sees
//! the same problem whatever the period length, and predictions do not depend on it.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::optimize::{self, Settings};
use super::special::{digamma, ln_gamma, logistic};
use super::{ClvError, ClvWarning};
use crate::message::Code;

/// The four BG/NBD parameters; `alpha` is in the time unit of the data (weeks for CDNOW).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct BgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// A maximum-likelihood fit.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BgNbdFit {
    #[serde(flatten)]
    pub params: BgNbdParams,
    /// Log-likelihood at the estimate, with times in the data's unit (the papers' convention:
    /// −9582.4 for CDNOW in weeks). Changing the unit by a factor s shifts it by −Σx·ln s.
    pub log_likelihood: f64,
    pub converged: bool,
    pub iterations: usize,
    /// From the inverse of the numerical Hessian of −log-likelihood; `None` when that Hessian is
    /// not positive definite.
    pub standard_errors: Option<BgNbdParams>,
    /// Customers fitted (the sum of the weights).
    pub customers: f64,
    /// Distinct (x, t_x, T) patterns the likelihood was evaluated on.
    pub patterns: usize,
    pub warnings: Vec<ClvWarning>,
}

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
        let alive = self.p_alive(x, t_x, age);
        if alive <= 0.5 {
            return None;
        }
        let log_q = (-0.5 / alive).ln_1p();
        let periods = (self.alpha + age) * (-log_q / (self.r + x)).exp_m1();
        periods.is_finite().then_some(periods)
    }

    fn is_valid(&self) -> bool {
        [self.r, self.alpha, self.a, self.b]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0)
    }
}

/// Largest relative rounding error accepted from the Euler-transformed series before the
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

/// One distinct history with x > 0: indices into the pattern table's frequency and time lists.
#[derive(Clone, Copy, Debug)]
struct RepeatPattern {
    frequency: u32,
    recency: u32,
    age: u32,
    weight: f64,
}

/// The summary compressed into distinct patterns (the likelihood is identical): customers sharing
/// (x, t_x, T) are one weighted row, customers without a repeat purchase are grouped by T alone,
/// and the terms that depend only on x are computed once per distinct x.
struct Patterns {
    /// Distinct x values and the total weight of customers with each.
    frequencies: Vec<f64>,
    frequency_weights: Vec<f64>,
    /// Distinct t_x and T values (rescaled), shared so that ln(α + t) is computed once per value.
    times: Vec<f64>,
    /// Customers with x = 0: (index into `times` of T, weight).
    one_time: Vec<(u32, f64)>,
    repeat: Vec<RepeatPattern>,
    total_weight: f64,
    /// The rescaling applied to times: scaled = original / time_scale.
    time_scale: f64,
}

impl Patterns {
    fn new(frequency: &[f64], recency: &[f64], age: &[f64], weights: Option<&[f64]>) -> Patterns {
        let time_scale = age.iter().copied().fold(0.0, f64::max);
        let mut frequency_index = FxHashMap::<u64, u32>::default();
        let mut time_index = FxHashMap::<u64, u32>::default();
        let mut frequencies = Vec::new();
        let mut frequency_weights = Vec::new();
        let mut times = Vec::new();
        // Weight of customers without a repeat purchase, by the slot of their T.
        let mut one_time_weights: Vec<f64> = Vec::new();
        let mut repeat_index = FxHashMap::<(u32, u32, u32), usize>::default();
        let mut repeat = Vec::new();
        let mut total_weight = 0.0;
        let mut time_slot = |value: f64, times: &mut Vec<f64>| -> u32 {
            let scaled = value / time_scale;
            *time_index.entry(scaled.to_bits()).or_insert_with(|| {
                times.push(scaled);
                (times.len() - 1) as u32
            })
        };
        for i in 0..frequency.len() {
            let weight = weights.map_or(1.0, |w| w[i]);
            if weight == 0.0 {
                continue;
            }
            total_weight += weight;
            let x = frequency[i];
            let k = *frequency_index.entry(x.to_bits()).or_insert_with(|| {
                frequencies.push(x);
                frequency_weights.push(0.0);
                (frequencies.len() - 1) as u32
            });
            frequency_weights[k as usize] += weight;
            let age_slot = time_slot(age[i], &mut times);
            if x == 0.0 {
                if one_time_weights.len() <= age_slot as usize {
                    one_time_weights.resize(age_slot as usize + 1, 0.0);
                }
                one_time_weights[age_slot as usize] += weight;
            } else {
                let recency_slot = time_slot(recency[i], &mut times);
                let row = *repeat_index
                    .entry((k, recency_slot, age_slot))
                    .or_insert_with(|| {
                        repeat.push(RepeatPattern {
                            frequency: k,
                            recency: recency_slot,
                            age: age_slot,
                            weight: 0.0,
                        });
                        repeat.len() - 1
                    });
                repeat[row].weight += weight;
            }
        }
        let one_time = (0..one_time_weights.len())
            .filter(|&slot| one_time_weights[slot] != 0.0)
            .map(|slot| (slot as u32, one_time_weights[slot]))
            .collect();
        Patterns {
            frequencies,
            frequency_weights,
            times,
            one_time,
            repeat,
            total_weight,
            time_scale,
        }
    }

    fn count(&self) -> usize {
        self.one_time.len() + self.repeat.len()
    }

    /// Total log-likelihood and its gradient with respect to (r, α, a, b), on rescaled times.
    /// `scratch` holds per-time and per-frequency values between calls (no allocation per call).
    fn log_likelihood(
        &self,
        params: &BgNbdParams,
        gradient: &mut [f64; 4],
        scratch: &mut Scratch,
    ) -> f64 {
        let BgNbdParams { r, alpha, a, b } = *params;
        let (ln_alpha, ln_a) = (alpha.ln(), a.ln());
        let (ln_gamma_r, digamma_r) = (ln_gamma(r), digamma(r));
        let (ln_gamma_b, digamma_b) = (ln_gamma(b), digamma(b));
        let (ln_gamma_ab, digamma_ab) = (ln_gamma(a + b), digamma(a + b));
        let mut total = 0.0;
        let mut g = [0.0; 4];
        scratch.log_b_x.clear();
        for (&x, &weight) in self.frequencies.iter().zip(&self.frequency_weights) {
            let term = ln_gamma(r + x) - ln_gamma_r + r * ln_alpha + ln_gamma_ab + ln_gamma(b + x)
                - ln_gamma_b
                - ln_gamma(a + b + x);
            total += weight * term;
            let digamma_abx = digamma(a + b + x);
            g[0] += weight * (digamma(r + x) - digamma_r + ln_alpha);
            g[1] += weight * r / alpha;
            g[2] += weight * (digamma_ab - digamma_abx);
            g[3] += weight * (digamma_ab + digamma(b + x) - digamma_b - digamma_abx);
            scratch
                .log_b_x
                .push(if x > 0.0 { (b + x - 1.0).ln() } else { 0.0 });
        }
        scratch.log_time.clear();
        scratch.inverse_time.clear();
        for &t in &self.times {
            scratch.log_time.push((alpha + t).ln());
            scratch.inverse_time.push(1.0 / (alpha + t));
        }
        for &(age, weight) in &self.one_time {
            let log_age = scratch.log_time[age as usize];
            total -= weight * r * log_age;
            g[0] -= weight * log_age;
            g[1] -= weight * r * scratch.inverse_time[age as usize];
        }
        for pattern in &self.repeat {
            let k = pattern.frequency as usize;
            let x = self.frequencies[k];
            let (log_age, log_recency) = (
                scratch.log_time[pattern.age as usize],
                scratch.log_time[pattern.recency as usize],
            );
            let a3 = -(r + x) * log_age;
            let a4 = ln_a - scratch.log_b_x[k] - (r + x) * log_recency;
            // ln(e^A₃ + e^A₄) and the weights w₃ = e^A₃ / (e^A₃ + e^A₄), w₄ = 1 − w₃.
            let difference = a4 - a3;
            let tail = (-difference.abs()).exp();
            let (high, w4) = if difference > 0.0 {
                (a4, 1.0 / (1.0 + tail))
            } else {
                (a3, tail / (1.0 + tail))
            };
            let w3 = 1.0 - w4;
            let weight = pattern.weight;
            total += weight * (high + tail.ln_1p());
            g[0] -= weight * (w3 * log_age + w4 * log_recency);
            g[1] -= weight
                * (r + x)
                * (w3 * scratch.inverse_time[pattern.age as usize]
                    + w4 * scratch.inverse_time[pattern.recency as usize]);
            g[2] += weight * w4 / a;
            g[3] -= weight * w4 / (b + x - 1.0);
        }
        *gradient = g;
        total
    }
}

#[derive(Default)]
struct Scratch {
    log_b_x: Vec<f64>,
    log_time: Vec<f64>,
    inverse_time: Vec<f64>,
}

/// Largest gradient component of the mean negative log-likelihood (in log-parameters) accepted as
/// a maximum.
const GRADIENT_TOLERANCE: f64 = 1e-9;
/// Relative finite-difference step for the Hessian behind the standard errors.
const HESSIAN_STEP: f64 = 1e-4;
/// Parameters beyond these bounds mean the data cannot pin them down (e.g. nobody seems to drop
/// out, and a or b runs off towards 0 or ∞).
const EXTREME_PARAMETER: (f64, f64) = (1e-5, 1e5);

/// Fits BG/NBD by maximum likelihood. `frequency` are repeat purchases x (whole numbers),
/// `recency` t_x and `age` T in periods; `weights` count customers per row (default 1 each).
pub fn fit(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    weights: Option<&[f64]>,
) -> Result<BgNbdFit, ClvError> {
    validate(frequency, recency, age, weights)?;
    let patterns = Patterns::new(frequency, recency, age, weights);
    if patterns.total_weight < 2.0 {
        return Err(ClvError::OneCustomer);
    }
    if patterns.repeat.is_empty() {
        return Err(ClvError::NoRepeatBuyers {
            customers: patterns.total_weight,
        });
    }
    if patterns.time_scale <= 0.0 {
        return Err(ClvError::InvalidInput("every customer has T = 0: no time has passed since any first purchase, so purchase rates cannot be estimated".into()));
    }
    let mut scratch = Scratch::default();
    let total_weight = patterns.total_weight;
    let mut objective = |log_params: &[f64], gradient: &mut [f64]| -> f64 {
        let params = from_logs(log_params);
        if !params.is_valid() {
            gradient.iter_mut().for_each(|g| *g = 0.0);
            return f64::INFINITY;
        }
        let mut g = [0.0; 4];
        let log_likelihood = patterns.log_likelihood(&params, &mut g, &mut scratch);
        let values = [params.r, params.alpha, params.a, params.b];
        for i in 0..4 {
            gradient[i] = -g[i] * values[i] / total_weight;
        }
        -log_likelihood / total_weight
    };
    let start = starting_point(&patterns);
    let settings = Settings {
        gradient_tolerance: GRADIENT_TOLERANCE,
        max_iterations: 1000,
    };
    let minimum = optimize::minimize(&mut objective, &start, &settings);
    let scaled = from_logs(&minimum.point);
    if !scaled.is_valid() || !minimum.value.is_finite() {
        return Err(ClvError::DidNotConverge(format!(
            "the BG/NBD fit ran to invalid parameters ({scaled:?}) after {} iterations; the data \
             may be too few or too irregular",
            minimum.iterations
        )));
    }
    let scale = patterns.time_scale;
    let params = BgNbdParams {
        alpha: scaled.alpha * scale,
        ..scaled
    };
    let horizon = age.iter().copied().fold(0.0, f64::max);
    let predictions_sound = !super::ran_off(&[scaled.r, scaled.alpha, scaled.a, scaled.b])
        && super::spread_sample(frequency.len()).all(|i| {
            let (x, t_x, t) = (frequency[i], recency[i], age[i]);
            let alive = params.p_alive(x, t_x, t);
            // NaN (a series that did not settle) is the scoring's to report, customer by customer.
            [horizon, 10.0 * horizon].iter().all(|&h| {
                let expected = params.conditional_expected_purchases(h, x, t_x, t);
                expected.is_nan() || (expected.is_finite() && expected >= 0.0)
            }) && (0.0..=1.0).contains(&alive)
        });
    if !predictions_sound {
        return Err(ClvError::DidNotConverge(format!(
            "the data do not pin the BG/NBD model down: its parameters ran off (r {:.3e}, α {:.3e}, \
             a {:.3e}, b {:.3e}) to where its predictions break down. This happens when the \
             purchase histories show no sign of customers dropping out, or with very few \
             customers: try a later calibration date or a longer history",
            params.r, params.alpha, params.a, params.b
        )));
    }
    let mut warnings = Vec::new();
    if !minimum.converged {
        warnings.push(ClvWarning::new(
            Code::BGNBD_NOT_CONVERGED,
            format!(
                "The BG/NBD fit stopped after {} iterations without reaching a maximum (gradient {:.2e}); treat its figures as rough.",
                minimum.iterations, minimum.gradient_norm
            ),
        ));
    }
    if [params.r, params.a, params.b]
        .iter()
        .any(|&v| v < EXTREME_PARAMETER.0 || v > EXTREME_PARAMETER.1)
    {
        warnings.push(ClvWarning::new(
            Code::BGNBD_EXTREME_PARAMETERS,
            format!(
                "The BG/NBD estimates are extreme (r = {:.3e}, a = {:.3e}, b = {:.3e}): the data say little about how customers drop out. A longer calibration period helps.",
                params.r, params.a, params.b
            ),
        ));
    }
    let standard_errors = standard_errors(&patterns, &scaled, &mut scratch).map(|se| BgNbdParams {
        alpha: se.alpha * scale,
        ..se
    });
    if standard_errors.is_none() {
        warnings.push(ClvWarning::new(
            Code::BGNBD_NO_STANDARD_ERRORS,
            "The BG/NBD likelihood is flat in some direction at the estimate, so no standard errors can be given; some parameters are not identified by this data.",
        ));
    }
    let log_likelihood = original_log_likelihood(&patterns, &params, frequency, weights);
    Ok(BgNbdFit {
        params,
        log_likelihood,
        converged: minimum.converged,
        iterations: minimum.iterations,
        standard_errors,
        customers: total_weight,
        patterns: patterns.count(),
        warnings,
    })
}

/// The log-likelihood in the data's own time unit: the rescaled one minus Σ w·x·ln(scale).
fn original_log_likelihood(
    patterns: &Patterns,
    params: &BgNbdParams,
    frequency: &[f64],
    weights: Option<&[f64]>,
) -> f64 {
    let scaled = BgNbdParams {
        alpha: params.alpha / patterns.time_scale,
        ..*params
    };
    let mut g = [0.0; 4];
    let scaled_log_likelihood = patterns.log_likelihood(&scaled, &mut g, &mut Scratch::default());
    let repeat_purchases: f64 = frequency
        .iter()
        .enumerate()
        .map(|(i, x)| x * weights.map_or(1.0, |w| w[i]))
        .sum();
    scaled_log_likelihood - repeat_purchases * patterns.time_scale.ln()
}

/// Standard errors from the inverse Hessian of −ln L in the (rescaled) parameters themselves.
fn standard_errors(
    patterns: &Patterns,
    params: &BgNbdParams,
    scratch: &mut Scratch,
) -> Option<BgNbdParams> {
    let mut negative_log_likelihood = |values: &[f64], gradient: &mut [f64]| -> f64 {
        let params = BgNbdParams {
            r: values[0],
            alpha: values[1],
            a: values[2],
            b: values[3],
        };
        if !params.is_valid() {
            gradient.iter_mut().for_each(|g| *g = f64::NAN);
            return f64::NAN;
        }
        let mut g = [0.0; 4];
        let value = patterns.log_likelihood(&params, &mut g, scratch);
        for i in 0..4 {
            gradient[i] = -g[i];
        }
        -value
    };
    let point = [params.r, params.alpha, params.a, params.b];
    let hessian = optimize::numerical_hessian(&mut negative_log_likelihood, &point, HESSIAN_STEP);
    let covariance = optimize::inverse_positive_definite(&hessian, 4)?;
    let se = |i: usize| covariance[i * 4 + i].sqrt();
    Some(BgNbdParams {
        r: se(0),
        alpha: se(1),
        a: se(2),
        b: se(3),
    })
}

/// Log-parameters to start from: r = 1 with α matching the observed purchase rate, a = b = 1
/// (on the rescaled axis where the oldest customer has T = 1).
fn starting_point(patterns: &Patterns) -> Vec<f64> {
    let mut purchases = 0.0;
    let mut exposure = 0.0;
    for (k, &x) in patterns.frequencies.iter().enumerate() {
        purchases += x * patterns.frequency_weights[k];
    }
    for &(age, weight) in &patterns.one_time {
        exposure += weight * patterns.times[age as usize];
    }
    for pattern in &patterns.repeat {
        exposure += pattern.weight * patterns.times[pattern.age as usize];
    }
    let rate = purchases / exposure.max(1e-12);
    let alpha = (1.0 / rate).clamp(1e-3, 1e3);
    vec![0.0, alpha.ln(), 0.0, 0.0]
}

fn from_logs(log_params: &[f64]) -> BgNbdParams {
    BgNbdParams {
        r: log_params[0].exp(),
        alpha: log_params[1].exp(),
        a: log_params[2].exp(),
        b: log_params[3].exp(),
    }
}

/// The checks `lifetimes` makes, with messages that say which row is wrong.
pub(crate) fn validate(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    weights: Option<&[f64]>,
) -> Result<(), ClvError> {
    let n = frequency.len();
    if recency.len() != n || age.len() != n || weights.is_some_and(|w| w.len() != n) {
        return Err(ClvError::InvalidInput(format!(
            "frequency, recency, T{} must have the same length (got {n}, {}, {}{})",
            if weights.is_some() {
                " and weights"
            } else {
                ""
            },
            recency.len(),
            age.len(),
            weights.map_or(String::new(), |w| format!(", {}", w.len()))
        )));
    }
    if n == 0 {
        return Err(ClvError::NoCustomers);
    }
    for i in 0..n {
        let (x, t_x, t) = (frequency[i], recency[i], age[i]);
        let problem = if !(x.is_finite() && t_x.is_finite() && t.is_finite()) {
            Some("a value is not a finite number")
        } else if x < 0.0 || x.fract() != 0.0 {
            Some("frequency must be a whole number ≥ 0")
        } else if t_x < 0.0 {
            Some("recency must be ≥ 0")
        } else if t_x > t {
            Some("recency is larger than T")
        } else if x == 0.0 && t_x != 0.0 {
            Some("recency must be 0 when frequency is 0")
        } else if x > 0.0 && t_x == 0.0 {
            Some(
                "recency must be > 0 when frequency is > 0 (repeat purchases come after the first)",
            )
        } else if weights.is_some_and(|w| !(w[i].is_finite() && w[i] >= 0.0)) {
            Some("weights must be finite and ≥ 0")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(ClvError::InvalidInput(format!(
                "row {i} (frequency {x}, recency {t_x}, T {t}{}): {problem}",
                weights.map_or(String::new(), |w| format!(", weight {}", w[i]))
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
