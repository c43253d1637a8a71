//! The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): while alive a customer buys as a
//! Poisson process with rate λ ~ Gamma(r, α) and stays alive for an exponential lifetime with
//! rate μ ~ Gamma(s, β), dropping out at any moment — not only after a purchase, as in BG/NBD —
//! so one-time buyers long inactive are probably gone.
//!
//! The likelihood follows Fader, Hardie & Lee (2005), "A note on deriving the Pareto/NBD model
//! and related expressions": L = Γ(r+x) α^r β^s / Γ(r) · [(α+T)^−(r+x) (β+T)^−s + s·I], where
//! I = ∫ from t_x to T of (α+τ)^−(r+x) (β+τ)^−(s+1) dτ is the chance of having died between the
//! last purchase and T. I = (F(t_x) − F(T)) / (r+s+x) with
//! F(t) = ₂F₁(r+s+x, b; r+s+x+1; z(t)) / (M+t)^(r+s+x), M = max(α, β), z(t) = |α−β| / (M+t) and
//! b = s+1 when α ≥ β, r+x otherwise: taking the larger of α and β keeps 0 ≤ z < 1, where the
//! series converges, whatever x and T. Everything is summed in logs (the series rescaled near
//! overflow, F(T)/F(t_x) taken as a ratio), so large x and T do not overflow; the gradient comes
//! from the same series (its derivatives in a, b and z are summed alongside).

use serde::Serialize;

use super::ClvError;
use super::mle::Likelihood;
use super::model::{ModelKind, ModelParameters, PurchaseFit};
use super::patterns::Patterns;
use super::special::{digamma, ln_gamma, logistic};

/// The four Pareto/NBD parameters; `alpha` and `beta` are in the time unit of the data.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ParetoNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
}

/// A maximum-likelihood fit of Pareto/NBD.
pub type ParetoNbdFit = PurchaseFit<ParetoNbdParams>;

/// Relative size of a series' remainder at which summing stops.
const SERIES_EPSILON: f64 = 1e-17;
/// Most terms the ₂F₁ series may take (z within about 2·10⁻³ of 1 for small b); beyond, NaN,
/// which the optimiser treats as "too far". Only a fit running off towards a boundary asks for
/// more: r and α growing together without end (no heterogeneity in purchase rates), where a
/// million terms per customer pattern made a degenerate fit on five customers take a minute in
/// WASM. A fit that ends where a customer's series does not settle is refused by its
/// predictions check, like any fit that ran off.
const MAX_SERIES_TERMS: usize = 20_000;
/// Sums are divided by this when they pass it, and the scale kept in logs.
const RESCALE_ABOVE: f64 = 1e280;

/// ln ₂F₁(a, b; a+1; z) for 0 ≤ z < 1 and the derivatives of ₂F₁ in a, b and z divided by ₂F₁:
/// the series Σ tₙ, tₙ = a/(a+n) · (b)ₙ/n! · zⁿ, with ∂tₙ/∂a = tₙ·n/(a(a+n)),
/// ∂tₙ/∂b = tₙ·Σₖ<ₙ 1/(b+k), ∂tₙ/∂z = tₙ·n/z. `None` when it does not settle.
fn log_hypergeometric(a: f64, b: f64, z: f64) -> Option<(f64, [f64; 3])> {
    if z == 0.0 {
        return Some((0.0, [0.0, 0.0, a * b / (a + 1.0)]));
    }
    let (mut term, mut sum, mut by_a, mut by_b, mut by_n) = (1.0f64, 1.0f64, 0.0, 0.0, 0.0);
    let (mut digamma_sum, mut log_scale) = (0.0, 0.0);
    for n in 0..MAX_SERIES_TERMS {
        let n = n as f64;
        digamma_sum += 1.0 / (b + n);
        term *= (a + n) / (a + n + 1.0) * (b + n) / (n + 1.0) * z;
        let m = n + 1.0;
        sum += term;
        by_a += term * m / (a * (a + m));
        by_b += term * digamma_sum;
        by_n += term * m;
        if sum > RESCALE_ABOVE {
            for value in [&mut term, &mut sum, &mut by_a, &mut by_b, &mut by_n] {
                *value /= RESCALE_ABOVE;
            }
            log_scale += RESCALE_ABOVE.ln();
        }
        // Every later ratio tₖ₊₁/tₖ is below z·max(1, (b+m)/(m+1)); the remainder of Σ (k + ψ)·tₖ
        // is then below a geometric sum.
        let bound = z * ((b + m) / (m + 1.0)).max(1.0);
        if bound < 1.0
            && term * (m + 1.0 + digamma_sum) * bound / ((1.0 - bound) * (1.0 - bound))
                <= SERIES_EPSILON * sum
        {
            return Some((
                sum.ln() + log_scale,
                [by_a / sum, by_b / sum, by_n / (sum * z)],
            ));
        }
        if !sum.is_finite() {
            return None;
        }
    }
    None
}

/// ln F(t) (see the module docs) for k = r + x, and its gradient in (k, α, s, β).
fn log_f(k: f64, alpha: f64, s: f64, beta: f64, t: f64) -> Option<(f64, [f64; 4])> {
    let a = k + s;
    if alpha >= beta {
        let base = alpha + t;
        let z = (alpha - beta) / base;
        let (log_h, [by_a, by_b, by_z]) = log_hypergeometric(a, s + 1.0, z)?;
        let log_base = base.ln();
        Some((
            log_h - a * log_base,
            [
                by_a - log_base,
                by_z * (beta + t) / (base * base) - a / base,
                by_a + by_b - log_base,
                -by_z / base,
            ],
        ))
    } else {
        let base = beta + t;
        let z = (beta - alpha) / base;
        let (log_h, [by_a, by_b, by_z]) = log_hypergeometric(a, k, z)?;
        let log_base = base.ln();
        Some((
            log_h - a * log_base,
            [
                by_a + by_b - log_base,
                -by_z / base,
                by_a - log_base,
                by_z * (alpha + t) / (base * base) - a / base,
            ],
        ))
    }
}

/// ln ∫ from `lower` to `upper` of (α+τ)^−k (β+τ)^−(s+1) dτ and its gradient in (k, α, s, β).
/// −∞ (and a zero gradient) for an empty interval; NaN when no series settles.
///
/// Through the ₂F₁ where its argument z = |α−β|/(max(α,β)+t) is at most [`SLOW_Z`]: its terms
/// shrink like zⁿ, so near z = 1 (one of α, β many times the other and the times, as when
/// customers buy for years) it would take tens of thousands of terms. There the integral is
/// summed in v = (min+τ)/(max+τ) = 1 − z instead (see [`log_integral_in_v`]), whose terms shrink
/// like vⁿ, up to where v = min(½, 3.5/(k+s−1)) and by the ₂F₁ beyond.
fn log_death_integral(
    k: f64,
    alpha: f64,
    s: f64,
    beta: f64,
    lower: f64,
    upper: f64,
) -> (f64, [f64; 4]) {
    if upper <= lower {
        return (f64::NEG_INFINITY, [0.0; 4]);
    }
    let (small, big) = (alpha.min(beta), alpha.max(beta));
    // v = 1 − z; the v-sum's terms alternate with magnitudes up to about e^(2v(a−1)) times the
    // result, so it is used up to v = min(½, 3.5/(a−1)) (three digits lost at most).
    let v_split = (3.5 / (k + s - 1.0).max(1e-9)).min(0.5);
    let split = (v_split * big - small) / (1.0 - v_split);
    if (big - small) / (big + lower) <= SLOW_Z || split <= lower {
        return log_integral_by_series(k, alpha, s, beta, lower, upper);
    }
    let split = split.min(upper);
    let near = log_integral_in_v(k, alpha, s, beta, lower, split);
    if split >= upper {
        return near;
    }
    let far = log_integral_by_series(k, alpha, s, beta, split, upper);
    let high = near.0.max(far.0);
    let (w_near, w_far) = ((near.0 - high).exp(), (far.0 - high).exp());
    let total = w_near + w_far;
    let gradient = std::array::from_fn(|i| (w_near * near.1[i] + w_far * far.1[i]) / total);
    (high + total.ln(), gradient)
}

/// The integral through the ₂F₁: ln(F(lower) − F(upper)) − ln(k+s), with its gradient.
fn log_integral_by_series(
    k: f64,
    alpha: f64,
    s: f64,
    beta: f64,
    lower: f64,
    upper: f64,
) -> (f64, [f64; 4]) {
    let (Some((log_low, grad_low)), Some((log_high, grad_high))) = (
        log_f(k, alpha, s, beta, lower),
        log_f(k, alpha, s, beta, upper),
    ) else {
        return (f64::NAN, [f64::NAN; 4]);
    };
    let ratio = (log_high - log_low).exp();
    let a = k + s;
    let value = log_low + (-(log_high - log_low).exp_m1()).ln() - a.ln();
    let mut gradient = [0.0; 4];
    for i in 0..4 {
        gradient[i] = (grad_low[i] - ratio * grad_high[i]) / (1.0 - ratio);
    }
    gradient[0] -= 1.0 / a;
    gradient[2] -= 1.0 / a;
    (value, gradient)
}

/// Largest ₂F₁ argument summed directly (about 350 terms at most).
const SLOW_Z: f64 = 0.9;
/// Most terms of the v-sum, and the largest ratio of its terms' magnitudes to the result
/// (cancellation) accepted from it.
const V_SUM_TERMS: usize = 100_000;
const V_SUM_CANCELLATION: f64 = 1e6;

/// The death integral by the substitution v = (m+τ)/(M+τ), m = min(α, β), M = max(α, β):
/// ∫ (α+τ)^−k (β+τ)^−(s+1) dτ = D^−a ∫ from v_l to v_u of v^−p (1−v)^(a−1) dv, D = M − m,
/// a = k + s, p = k when α < β and s + 1 otherwise. Expanding (1−v)^(a−1) = Σⱼ (1−a)ⱼ vʲ / j!
/// and integrating term by term, with v_l^(1−p) taken out, the integral is D^−a v_l^(1−p) S,
///   S = Σⱼ cⱼ G(j + 1 − p),   cⱼ = (1−a)ⱼ/j! · v_lʲ,   G(e) = ((v_u/v_l)^e − 1)/e
/// (ln(v_u/v_l) at e = 0), whose terms shrink like v_uʲ. The gradient in (k, α, s, β) is summed
/// alongside: ∂cⱼ/∂a = −cⱼ Σᵢ<ⱼ 1/(i+1−a), ∂G/∂e, ∂G/∂ln(v_u/v_l) = (v_u/v_l)^e, ∂cⱼ/∂v_l =
/// j cⱼ/v_l. NaN when the sum does not settle or cancels too much.
fn log_integral_in_v(
    k: f64,
    alpha: f64,
    s: f64,
    beta: f64,
    lower: f64,
    upper: f64,
) -> (f64, [f64; 4]) {
    const FAILED: (f64, [f64; 4]) = (f64::NAN, [f64::NAN; 4]);
    let a = k + s;
    let alpha_smaller = alpha < beta;
    let (small, big, p) = if alpha_smaller {
        (alpha, beta, k)
    } else {
        (beta, alpha, s + 1.0)
    };
    let (v_low, v_high) = (
        (small + lower) / (big + lower),
        (small + upper) / (big + upper),
    );
    let log_ratio = ((small + upper) * (big + lower) / ((small + lower) * (big + upper))).ln();
    let (mut coefficient, mut coefficient_by_a) = (1.0f64, 0.0f64);
    // S and its derivatives in a, p, v_l (through cⱼ) and ln(v_u/v_l).
    let (mut sum, mut by_a, mut by_p, mut by_v_low, mut by_log_ratio) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let mut magnitude = 0.0f64;
    for j in 0..V_SUM_TERMS {
        let j = j as f64;
        let e = j + 1.0 - p;
        let x = e * log_ratio;
        let power = x.exp();
        let (growth, growth_by_e) = if x.abs() < 1e-3 {
            let l2 = log_ratio * log_ratio;
            (
                log_ratio * (1.0 + x / 2.0 + x * x / 6.0 + x * x * x / 24.0),
                l2 * (0.5 + x / 3.0 + x * x / 8.0 + x * x * x / 30.0),
            )
        } else {
            let growth = x.exp_m1() / e;
            (growth, (log_ratio * power - growth) / e)
        };
        let term = coefficient * growth;
        sum += term;
        magnitude += term.abs();
        by_a += coefficient_by_a * growth;
        by_p -= coefficient * growth_by_e;
        by_v_low += j * term;
        by_log_ratio += coefficient * power;
        // cⱼ₊₁ = cⱼ (j+1−a)/(j+1) v_l, and its derivative in a.
        let factor = (j + 1.0 - a) / (j + 1.0) * v_low;
        coefficient_by_a = coefficient_by_a * factor - coefficient / (j + 1.0) * v_low;
        coefficient *= factor;
        if j >= a && e > 0.0 && term.abs() <= SERIES_EPSILON * sum.abs() * (1.0 - v_high) {
            if sum.is_nan() || sum <= 0.0 || magnitude > V_SUM_CANCELLATION * sum {
                return FAILED;
            }
            let difference = big - small;
            let value = -a * difference.ln() + (1.0 - p) * v_low.ln() + sum.ln();
            // ∂ ln I by a, p, v_l, v_u and D.
            let d_a = -difference.ln() + by_a / sum;
            let d_p = -v_low.ln() + by_p / sum;
            let d_v_low = (1.0 - p) / v_low + (by_v_low - by_log_ratio) / (v_low * sum);
            let d_v_high = by_log_ratio / (v_high * sum);
            let d_difference = -a / difference;
            let d_small = d_v_low / (big + lower) + d_v_high / (big + upper) - d_difference;
            let d_big =
                -d_v_low * v_low / (big + lower) - d_v_high * v_high / (big + upper) + d_difference;
            let gradient = if alpha_smaller {
                [d_a + d_p, d_small, d_a, d_big]
            } else {
                [d_a, d_big, d_a + d_p, d_small]
            };
            return (value, gradient);
        }
        if !sum.is_finite() {
            return FAILED;
        }
    }
    FAILED
}

impl ParetoNbdParams {
    /// The two parts of a customer's likelihood after the common factor
    /// Γ(r+x) α^r β^s / Γ(r): ln of "alive at T", −(r+x) ln(α+T) − s ln(β+T), and of "died
    /// between t_x and T", ln s + ln I; each with its gradient in (r, α, s, β).
    fn alive_and_died(&self, x: f64, t_x: f64, age: f64) -> ((f64, [f64; 4]), (f64, [f64; 4])) {
        let ParetoNbdParams { r, alpha, s, beta } = *self;
        let k = r + x;
        let (log_alpha_t, log_beta_t) = ((alpha + age).ln(), (beta + age).ln());
        let alive = (
            -k * log_alpha_t - s * log_beta_t,
            [
                -log_alpha_t,
                -k / (alpha + age),
                -log_beta_t,
                -s / (beta + age),
            ],
        );
        let (log_integral, mut gradient) = log_death_integral(k, alpha, s, beta, t_x, age);
        gradient[2] += 1.0 / s;
        ((alive), (s.ln() + log_integral, gradient))
    }

    /// ln L(r, α, s, β | x, t_x, T) of one customer.
    pub fn log_likelihood(&self, x: f64, t_x: f64, age: f64) -> f64 {
        let ParetoNbdParams { r, alpha, s, beta } = *self;
        let ((alive, _), (died, _)) = self.alive_and_died(x, t_x, age);
        ln_gamma(r + x) - ln_gamma(r)
            + r * alpha.ln()
            + s * beta.ln()
            + super::special::log_add_exp(alive, died)
    }

    /// P(alive | x, t_x, T) = 1 / (1 + s·I·(α+T)^(r+x) (β+T)^s).
    pub fn p_alive(&self, x: f64, t_x: f64, age: f64) -> f64 {
        let ((alive, _), (died, _)) = self.alive_and_died(x, t_x, age);
        logistic(alive - died)
    }

    /// Expected purchases in the next `t` periods of a customer alive at T: E[λ | alive]·
    /// E[min(lifetime, t)] = (r+x)/(α+T) · (β+T)/(s−1) · [1 − ((β+T)/(β+T+t))^(s−1)]
    /// (FHL's note, eq. 21 without P(alive)); (β+T)·ln(1 + t/(β+T)) in place of the bracket's
    /// quotient at s = 1.
    pub fn expected_purchases_if_alive(&self, t: f64, x: f64, age: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let ParetoNbdParams { r, alpha, s, beta } = *self;
        let log_growth = (t / (beta + age)).ln_1p();
        let shape = s - 1.0;
        let lifetime = if shape == 0.0 {
            log_growth
        } else {
            -(-shape * log_growth).exp_m1() / shape
        };
        (r + x) / (alpha + age) * (beta + age) * lifetime
    }

    /// Expected repeat purchases given the history: P(alive) × the alive-customer expectation.
    pub fn conditional_expected_purchases(&self, t: f64, x: f64, t_x: f64, age: f64) -> f64 {
        self.p_alive(x, t_x, age) * self.expected_purchases_if_alive(t, x, age)
    }

    /// P(at least one purchase in the next `w` periods | alive at T, x). Given alive, λ ~
    /// Gamma(r+x, α+T) and μ ~ Gamma(s, β+T); no purchase happens if the customer dies at τ < w
    /// before buying, or lives past w without buying:
    /// P(none) = s (α+T)^(r+x) (β+T)^s ∫ from T to T+w of (α+τ)^−(r+x) (β+τ)^−(s+1) dτ
    ///           + ((α+T)/(α+T+w))^(r+x) ((β+T)/(β+T+w))^s.
    pub fn p_purchase_within_if_alive(&self, w: f64, x: f64, age: f64) -> f64 {
        if w <= 0.0 {
            return 0.0;
        }
        let ParetoNbdParams { r, alpha, s, beta } = *self;
        let k = r + x;
        let (log_integral, _) = log_death_integral(k, alpha, s, beta, age, age + w);
        let died_first =
            (k * (alpha + age).ln() + s * (beta + age).ln() + s.ln() + log_integral).exp();
        let lived_without =
            (-k * (w / (alpha + age)).ln_1p() - s * (w / (beta + age)).ln_1p()).exp();
        (1.0 - died_first - lived_without).clamp(0.0, 1.0)
    }

    /// Periods until P(alive) · P(a purchase within them | alive) reaches ½, if within
    /// `within` periods; bisection (the probability has no closed-form inverse here).
    pub(crate) fn median_wait(&self, alive: f64, x: f64, age: f64, within: f64) -> Option<f64> {
        if alive <= 0.5 || within.is_nan() || within <= 0.0 {
            return None;
        }
        let target = 0.5 / alive;
        if self.p_purchase_within_if_alive(within, x, age) < target {
            return None;
        }
        let (mut low, mut high) = (0.0, within);
        while high - low > MEDIAN_TOLERANCE * within {
            let middle = 0.5 * (low + high);
            if self.p_purchase_within_if_alive(middle, x, age) < target {
                low = middle;
            } else {
                high = middle;
            }
        }
        Some(high)
    }
}

/// Relative width of the horizon at which the median's bisection stops (a few hundredths of a
/// second over a year's horizon: the day it gives is the first with P ≥ ½).
const MEDIAN_TOLERANCE: f64 = 1e-9;

/// The Pareto/NBD likelihood over the compressed patterns, on rescaled times.
struct ParetoLikelihood<'a> {
    patterns: &'a Patterns,
    /// Per distinct x: ln Γ(r+x) − ln Γ(r) and ψ(r+x) − ψ(r).
    by_frequency: Vec<(f64, f64)>,
}

impl ParetoLikelihood<'_> {
    /// Adds one history's ln(e^alive + e^died) and gradient with weight `weight`.
    fn add(
        params: &ParetoNbdParams,
        (x, t_x, age): (f64, f64, f64),
        weight: f64,
        total: &mut f64,
        g: &mut [f64],
    ) {
        let ((alive, alive_gradient), (died, died_gradient)) = params.alive_and_died(x, t_x, age);
        let high = alive.max(died);
        let (w_alive, w_died) = if died == f64::NEG_INFINITY {
            (1.0, 0.0)
        } else {
            let (e_alive, e_died) = ((alive - high).exp(), (died - high).exp());
            (e_alive / (e_alive + e_died), e_died / (e_alive + e_died))
        };
        *total += weight * (high + ((alive - high).exp() + (died - high).exp()).ln());
        for i in 0..4 {
            let died_part = if w_died > 0.0 {
                w_died * died_gradient[i]
            } else {
                0.0
            };
            g[i] += weight * (w_alive * alive_gradient[i] + died_part);
        }
    }
}

impl Likelihood for ParetoLikelihood<'_> {
    fn log_likelihood(&mut self, values: &[f64], gradient: &mut [f64]) -> f64 {
        let params = ParetoNbdParams::from_values(values);
        let ParetoNbdParams { r, alpha, s, beta } = params;
        let patterns = self.patterns;
        let (ln_gamma_r, digamma_r) = (ln_gamma(r), digamma(r));
        self.by_frequency.clear();
        let mut total = 0.0;
        let mut g = [0.0; 4];
        for (&x, &weight) in patterns.frequencies.iter().zip(&patterns.frequency_weights) {
            let (shape_term, shape_slope) =
                (ln_gamma(r + x) - ln_gamma_r, digamma(r + x) - digamma_r);
            self.by_frequency.push((shape_term, shape_slope));
            total += weight * (shape_term + r * alpha.ln() + s * beta.ln());
            g[0] += weight * (shape_slope + alpha.ln());
            g[1] += weight * r / alpha;
            g[2] += weight * beta.ln();
            g[3] += weight * s / beta;
        }
        for &(age, weight) in &patterns.one_time {
            let history = (0.0, 0.0, patterns.times[age as usize]);
            Self::add(&params, history, weight, &mut total, &mut g);
        }
        for pattern in &patterns.repeat {
            let history = (
                patterns.frequencies[pattern.frequency as usize],
                patterns.times[pattern.recency as usize],
                patterns.times[pattern.age as usize],
            );
            Self::add(&params, history, pattern.weight, &mut total, &mut g);
        }
        gradient.copy_from_slice(&g);
        total
    }
}

impl ModelParameters for ParetoNbdParams {
    const KIND: ModelKind = ModelKind::ParetoNbd;
    fn from_values(values: &[f64]) -> Self {
        ParetoNbdParams {
            r: values[0],
            alpha: values[1],
            s: values[2],
            beta: values[3],
        }
    }
    fn values(&self) -> [f64; 4] {
        [self.r, self.alpha, self.s, self.beta]
    }
    fn likelihood(patterns: &Patterns) -> Box<dyn Likelihood + '_> {
        Box::new(ParetoLikelihood {
            patterns,
            by_frequency: Vec::new(),
        })
    }
}

/// Fits Pareto/NBD by maximum likelihood, with the arguments of [`super::bgnbd::fit`].
pub fn fit(
    frequency: &[f64],
    recency: &[f64],
    age: &[f64],
    weights: Option<&[f64]>,
) -> Result<ParetoNbdFit, ClvError> {
    super::model::fit(frequency, recency, age, weights, 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published CDNOW estimates (FHL 2005 note; `lifetimes`' ParetoNBDFitter agrees).
    const CDNOW: ParetoNbdParams = ParetoNbdParams {
        r: 0.553_278,
        alpha: 10.577_560,
        s: 0.606_261,
        beta: 11.668_869,
    };

    /// ∫ by Gauss–Legendre on many panels: an independent check of the ₂F₁ route.
    fn integral_by_quadrature(
        k: f64,
        alpha: f64,
        s: f64,
        beta: f64,
        lower: f64,
        upper: f64,
    ) -> f64 {
        const NODES: [(f64, f64); 5] = [
            (0.0, 0.568_888_888_888_888_9),
            (-0.538_469_310_105_683_1, 0.478_628_670_499_366_5),
            (0.538_469_310_105_683_1, 0.478_628_670_499_366_5),
            (-0.906_179_845_938_664, 0.236_926_885_056_189_1),
            (0.906_179_845_938_664, 0.236_926_885_056_189_1),
        ];
        let panels = 4000;
        let width = (upper - lower) / panels as f64;
        let mut total = 0.0;
        for panel in 0..panels {
            let centre = lower + (panel as f64 + 0.5) * width;
            for (node, weight) in NODES {
                let tau = centre + 0.5 * width * node;
                total +=
                    0.5 * width * weight * (alpha + tau).powf(-k) * (beta + tau).powf(-(s + 1.0));
            }
        }
        total
    }

    #[test]
    fn the_death_integral_matches_quadrature_on_both_sides_of_alpha_equal_beta() {
        for (k, alpha, s, beta, lower, upper) in [
            (0.55, 10.58, 0.61, 11.67, 0.0, 38.86),
            (2.55, 10.58, 0.61, 11.67, 30.43, 38.86),
            (5.0, 30.0, 0.8, 2.0, 1.0, 52.0),
            (40.0, 3.0, 2.5, 3.0, 20.0, 40.0),
            (1.2, 0.5, 0.3, 50.0, 0.0, 10.0),
            // z near 1 (summed in v, then by the ₂F₁ past the split): β or α hundreds of times
            // the other, intervals within and beyond the split, and a history of 150 purchases.
            (1.2, 0.02, 0.3, 500.0, 0.0, 10.0),
            (2.0, 0.4, 1.7, 9.0, 0.0, 400.0),
            (0.8, 0.5, 0.4, 30.0, 0.0, 300.0),
            (150.0, 0.01, 0.7, 50.0, 0.5, 5.0),
            (30.0, 0.02, 0.8, 500.0, 5.0, 10.0),
            (0.7, 900.0, 1.4, 0.1, 0.0, 3.0),
            (3.5, 0.5, 0.6, 40.0, 0.3, 1.0),
        ] {
            let (log_value, _) = log_death_integral(k, alpha, s, beta, lower, upper);
            let expected = integral_by_quadrature(k, alpha, s, beta, lower, upper);
            assert!(
                (log_value.exp() - expected).abs() <= 1e-10 * expected,
                "k={k} α={alpha} s={s} β={beta}: {} vs {expected}",
                log_value.exp()
            );
        }
    }

    #[test]
    fn the_gradient_matches_central_differences() {
        let frequency = [0.0, 0.0, 1.0, 2.0, 7.0, 30.0];
        let recency = [0.0, 0.0, 1.71, 30.43, 29.0, 38.0];
        let age = [38.86, 20.0, 38.86, 38.86, 32.0, 38.5];
        let patterns = Patterns::new(&frequency, &recency, &age, None);
        for params in [
            CDNOW.time_scaled(1.0 / patterns.time_scale),
            ParetoNbdParams {
                r: 2.0,
                alpha: 0.1,
                s: 1.5,
                beta: 3.0,
            },
            ParetoNbdParams {
                r: 0.3,
                alpha: 4.0,
                s: 0.2,
                beta: 0.05,
            },
        ] {
            let mut likelihood = ParetoNbdParams::likelihood(&patterns);
            let mut gradient = [0.0; 4];
            let total = likelihood.log_likelihood(&params.values(), &mut gradient);
            let direct: f64 = (0..6)
                .map(|i| {
                    let scale = patterns.time_scale;
                    params.log_likelihood(frequency[i], recency[i] / scale, age[i] / scale)
                })
                .sum();
            assert!((total - direct).abs() < 1e-9, "{total} vs {direct}");
            for i in 0..4 {
                let h = 1e-6 * params.values()[i];
                let mut shifted = |d: f64| {
                    let mut values = params.values();
                    values[i] += d;
                    likelihood.log_likelihood(&values, &mut [0.0; 4])
                };
                let numeric = (shifted(h) - shifted(-h)) / (2.0 * h);
                assert!(
                    (gradient[i] - numeric).abs() < 1e-6 * numeric.abs().max(1.0),
                    "{params:?}, parameter {i}: {} vs {numeric}",
                    gradient[i]
                );
            }
        }
    }

    #[test]
    fn large_histories_stay_finite() {
        // Thousands of purchases over decades of weeks: the terms of the likelihood are far below
        // the smallest double, its logarithm is not.
        for (x, t_x, age) in [
            (2000.0, 1990.0, 2000.0),
            (5000.0, 100.0, 5200.0),
            (0.0, 0.0, 1e5),
        ] {
            let log_likelihood = CDNOW.log_likelihood(x, t_x, age);
            let alive = CDNOW.p_alive(x, t_x, age);
            assert!(log_likelihood.is_finite(), "{x}: {log_likelihood}");
            assert!((0.0..=1.0).contains(&alive), "{x}: {alive}");
        }
        assert!(CDNOW.p_alive(5000.0, 100.0, 5200.0) < 1e-100);
    }

    #[test]
    fn purchase_probability_is_consistent_with_its_limits() {
        // Tiny μ (s/β → 0): nobody dies and P(purchase within w) is the NBD's.
        let immortal = ParetoNbdParams { s: 1e-9, ..CDNOW };
        let p = immortal.p_purchase_within_if_alive(10.0, 2.0, 30.0);
        let nbd = 1.0 - ((CDNOW.alpha + 30.0) / (CDNOW.alpha + 40.0)).powf(CDNOW.r + 2.0);
        assert!((p - nbd).abs() < 1e-8, "{p} vs {nbd}");
        // The median of the waiting time puts P(alive)·P(within) at ½.
        let (x, t_x, age) = (6.0, 37.0, 38.0);
        let alive = CDNOW.p_alive(x, t_x, age);
        let median = CDNOW.median_wait(alive, x, age, 52.0).unwrap();
        let at_median = alive * CDNOW.p_purchase_within_if_alive(median, x, age);
        assert!((at_median - 0.5).abs() < 1e-5, "{at_median}");
        // Expected purchases at small t: the posterior purchase rate (r+x)/(α+T).
        let t = 1e-6;
        let rate = CDNOW.expected_purchases_if_alive(t, x, age) / t;
        assert!((rate - (CDNOW.r + x) / (CDNOW.alpha + age)).abs() < 1e-6);
    }
}
