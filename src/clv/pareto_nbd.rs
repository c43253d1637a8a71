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
//! ₂F₁ is finite, whatever x and T. The ₂F₁ is evaluated by a continued fraction after Euler's
//! transformation (see [`log_hypergeometric`]), near z = 1 the integral by a sum in 1 − z; all in
//! logs (F(T)/F(t_x) taken as a ratio), so large x and T do not overflow. The gradient comes from
//! the same recurrences, differentiated alongside.

use rustc_hash::FxHashMap;
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

/// Relative size of the v-sum's remainder at which summing stops.
const SERIES_EPSILON: f64 = 1e-17;

/// ln ₂F₁(a, b; a+1; z) for 0 ≤ z < 1 and the derivatives of ln ₂F₁ in a, b and z. `None`
/// when the fraction does not settle.
///
/// Through Euler's transformation ₂F₁(a, b; a+1; z) = (1−z)^(1−b) ₂F₁(1, a+1−b; a+1; z) and the
/// continued fraction of the latter (the incomplete beta function's, see
/// [`log_beta_fraction`]), which settles in a few dozen steps where the power series needs
/// hundreds (z = 0.9) to tens of thousands (z = 0.999), and where, for a customer with hundreds of
/// purchases (b = r + x), the series' terms first climb to a peak near n ≈ b·z/(1−z): the series
/// took 78% of a Pareto/NBD fit on 260,000 customers.
fn log_hypergeometric(a: f64, b: f64, z: f64) -> Option<(f64, [f64; 3])> {
    if z == 0.0 {
        return Some((0.0, [0.0, 0.0, a * b / (a + 1.0)]));
    }
    let log_complement = (-z).ln_1p();
    let (log_fraction, [by_a, by_shape, fraction_by_z]) = log_beta_fraction(a, 1.0 - b, z)?;
    let log_value = (1.0 - b) * log_complement + log_fraction;
    // Near z = 1 the two parts of ∂/∂z through the transformation, (b−1)/(1−z) and the
    // fraction's, are large and cancel when b < 1; there F' = (a/z)·((1−z)^−b − F) (from
    // F = a z^−a ∫₀ᶻ u^(a−1) (1−u)^−b du) loses nothing. Near z = 0 that form cancels instead.
    let by_z = if z > 0.5 {
        a / z * (-b * log_complement - log_value).exp_m1()
    } else {
        fraction_by_z + (b - 1.0) / (1.0 - z)
    };
    Some((log_value, [by_a, -by_shape - log_complement, by_z]))
}

/// Relative change of a continued fraction's value, and of its derivatives, at which it stops
/// (rounding keeps the derivatives' changes near 10⁻¹⁶: a bound that small stalls near z = 1).
const FRACTION_EPSILON: f64 = 1e-15;
/// Most steps of the continued fraction: it settles in about 8.5/√(1−z) steps, so this reaches
/// z within 10⁻⁵ of 1, where the v-sum takes over anyway (see [`log_death_integral`]). Beyond,
/// NaN, which the optimiser treats as "too far": only a fit running off towards a boundary asks
/// for more (r and α growing together without end: no heterogeneity in purchase rates), and a
/// fit that ends where a customer's fraction does not settle is refused by its predictions check,
/// like any fit that ran off.
const MAX_FRACTION_STEPS: usize = 5_000;

/// ln h and its derivatives in (a, b, z), where h = ₂F₁(1, a+b; a+1; z), for a > 0, a + b > 0,
/// 0 < z < 1: the continued fraction of the incomplete beta function B_z(a, b) = zᵃ(1−z)ᵇ h / a
/// (Numerical Recipes' `betacf`), h = 1/(1 + d₁/(1 + d₂/(1 + …))) with d₁ = −(a+b)z/(a+1),
/// d₂ₘ = m(b−m)z/((a+2m−1)(a+2m)), d₂ₘ₊₁ = −(a+m)(a+b+m)z/((a+2m)(a+2m+1)), evaluated by Lentz's
/// method (h = Πⱼ CⱼDⱼ, Cⱼ = 1 + dⱼ/Cⱼ₋₁, Dⱼ = 1/(1 + dⱼDⱼ₋₁)); the gradient follows the same
/// recurrences differentiated (∂ ln h = Σⱼ ∂Cⱼ/Cⱼ + ∂Dⱼ/Dⱼ).
fn log_beta_fraction(a: f64, b: f64, z: f64) -> Option<(f64, [f64; 3])> {
    // A coefficient d = −factor·z/(u·v) with its gradient in (a, b, z); `factor_by_*` are the
    // derivatives of `factor`, and u, v grow with a at rate 1.
    let coefficient = |factor: f64, factor_by_a: f64, factor_by_b: f64, u: f64, v: f64| {
        let scale = z / (u * v);
        let value = -factor * scale;
        let by_a = -factor_by_a * scale - value * (1.0 / u + 1.0 / v);
        (value, [by_a, -factor_by_b * scale, value / z])
    };
    let (first, first_gradient) = {
        // d₁ = −(a+b)·z/(a+1): u = a+1, v = 1 (constant), so only 1/u enters ∂/∂a.
        let scale = z / (a + 1.0);
        let value = -(a + b) * scale;
        (value, [-scale - value / (a + 1.0), -scale, value / z])
    };
    let mut d = 1.0 / (1.0 + first);
    let mut d_gradient = first_gradient.map(|g| -d * d * g);
    let (mut c, mut c_gradient) = (1.0f64, [0.0f64; 3]);
    let mut value = d;
    let mut log_gradient = d_gradient.map(|g| g / d);
    for m in 1..=MAX_FRACTION_STEPS {
        let m = m as f64;
        let even = coefficient(-m * (b - m), 0.0, -m, a + 2.0 * m - 1.0, a + 2.0 * m);
        let odd = coefficient(
            (a + m) * (a + b + m),
            2.0 * a + b + 2.0 * m,
            a + m,
            a + 2.0 * m,
            a + 2.0 * m + 1.0,
        );
        let mut settled = true;
        for (step, step_gradient) in [even, odd] {
            let next_d = 1.0 / (1.0 + step * d);
            let next_c = 1.0 + step / c;
            if !(next_d.is_finite() && next_c.abs() > f64::MIN_POSITIVE) {
                return None;
            }
            for i in 0..3 {
                d_gradient[i] = -next_d * next_d * (step_gradient[i] * d + step * d_gradient[i]);
                c_gradient[i] = step_gradient[i] / c - step * c_gradient[i] / (c * c);
            }
            (c, d) = (next_c, next_d);
            let change = c * d;
            value *= change;
            settled = (change - 1.0).abs() <= FRACTION_EPSILON;
            for i in 0..3 {
                let step_change = c_gradient[i] / c + d_gradient[i] / d;
                log_gradient[i] += step_change;
                settled &= step_change.abs() <= FRACTION_EPSILON * log_gradient[i].abs().max(1.0);
            }
        }
        if settled {
            return Some((value.ln(), log_gradient));
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
/// Through the ₂F₁ where its argument z = |α−β|/(max(α,β)+t) is at most [`SLOW_Z`]: its
/// continued fraction takes about 8.5/√(1−z) steps, so near z = 1 (one of α, β many times the
/// other and the times, as when customers buy for years) it slows down. There the integral is
/// summed in v = (min+τ)/(max+τ) = 1 − z instead (see [`log_integral_in_v`]), whose terms shrink
/// like vⁿ, up to where v = min(½, 3.5/(k+s−1)) and by the ₂F₁ beyond.
fn log_death_integral(
    k: f64,
    alpha: f64,
    s: f64,
    beta: f64,
    lower: f64,
    upper: f64,
    log_f_at: &mut LogF,
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
        return log_integral_by_series(k, s, lower, upper, log_f_at);
    }
    let split = split.min(upper);
    let near = log_integral_in_v(k, alpha, s, beta, lower, split);
    if split >= upper {
        return near;
    }
    let far = log_integral_by_series(k, s, split, upper, log_f_at);
    let high = near.0.max(far.0);
    let (w_near, w_far) = ((near.0 - high).exp(), (far.0 - high).exp());
    let total = w_near + w_far;
    let gradient = std::array::from_fn(|i| (w_near * near.1[i] + w_far * far.1[i]) / total);
    (high + total.ln(), gradient)
}

/// ln F(t) for k = r + x and t, and its gradient, at one parameter set: [`log_f`] itself, or
/// the values remembered by the likelihood (see [`ParetoLikelihood`]).
type LogF<'a> = dyn FnMut(f64, f64) -> Option<LogWithGradient> + 'a;

/// A logarithm and its gradient in (k, α, s, β).
type LogWithGradient = (f64, [f64; 4]);

/// The integral through the ₂F₁: ln(F(lower) − F(upper)) − ln(k+s), with its gradient.
fn log_integral_by_series(
    k: f64,
    s: f64,
    lower: f64,
    upper: f64,
    log_f_at: &mut LogF,
) -> (f64, [f64; 4]) {
    let (Some((log_low, grad_low)), Some((log_high, grad_high))) =
        (log_f_at(k, lower), log_f_at(k, upper))
    else {
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

/// Largest ₂F₁ argument evaluated directly (about 30 steps of its continued fraction).
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
    /// ln F(t) at these parameters, computed afresh at every call.
    fn log_f(&self) -> impl FnMut(f64, f64) -> Option<(f64, [f64; 4])> + use<> {
        let ParetoNbdParams { alpha, s, beta, .. } = *self;
        move |k, t| log_f(k, alpha, s, beta, t)
    }

    /// The two parts of a customer's likelihood after the common factor
    /// Γ(r+x) α^r β^s / Γ(r): ln of "alive at T", −(r+x) ln(α+T) − s ln(β+T), and of "died
    /// between t_x and T", ln s + ln I; each with its gradient in (r, α, s, β).
    fn alive_and_died(
        &self,
        x: f64,
        t_x: f64,
        age: f64,
        log_f_at: &mut LogF,
    ) -> ((f64, [f64; 4]), (f64, [f64; 4])) {
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
        let (log_integral, mut gradient) =
            log_death_integral(k, alpha, s, beta, t_x, age, log_f_at);
        gradient[2] += 1.0 / s;
        ((alive), (s.ln() + log_integral, gradient))
    }

    /// ln L(r, α, s, β | x, t_x, T) of one customer.
    pub fn log_likelihood(&self, x: f64, t_x: f64, age: f64) -> f64 {
        let ParetoNbdParams { r, alpha, s, beta } = *self;
        let ((alive, _), (died, _)) = self.alive_and_died(x, t_x, age, &mut self.log_f());
        ln_gamma(r + x) - ln_gamma(r)
            + r * alpha.ln()
            + s * beta.ln()
            + super::special::log_add_exp(alive, died)
    }

    /// P(alive | x, t_x, T) = 1 / (1 + s·I·(α+T)^(r+x) (β+T)^s).
    pub fn p_alive(&self, x: f64, t_x: f64, age: f64) -> f64 {
        let ((alive, _), (died, _)) = self.alive_and_died(x, t_x, age, &mut self.log_f());
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
        self.p_purchase_within_if_alive_by(w, x, age, &mut self.log_f())
    }

    /// [`Self::p_purchase_within_if_alive`] with ln F(t) from `log_f_at`.
    fn p_purchase_within_if_alive_by(&self, w: f64, x: f64, age: f64, log_f_at: &mut LogF) -> f64 {
        if w <= 0.0 {
            return 0.0;
        }
        let ParetoNbdParams { r, alpha, s, beta } = *self;
        let k = r + x;
        let (log_integral, _) = log_death_integral(k, alpha, s, beta, age, age + w, log_f_at);
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
        // Every step integrates from T: F(T) is computed once.
        let mut fresh = self.log_f();
        let mut at_age = None;
        let mut log_f_at = |k: f64, t: f64| {
            if t == age {
                *at_age.get_or_insert_with(|| fresh(k, t))
            } else {
                fresh(k, t)
            }
        };
        let mut p_within = |w: f64| self.p_purchase_within_if_alive_by(w, x, age, &mut log_f_at);
        if p_within(within) < target {
            return None;
        }
        let (mut low, mut high) = (0.0, within);
        while high - low > MEDIAN_TOLERANCE * within {
            let middle = 0.5 * (low + high);
            if p_within(middle) < target {
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
    /// ln F(t) and its gradient by (k, t) at the parameters being evaluated: a pattern's death
    /// integral is F(t_x) − F(T), and customers share (x, t_x) and (x, T) pairs far more than
    /// whole patterns (260,000 customers: 118,000 patterns, 14,000 pairs), so each ₂F₁ is
    /// evaluated once per pair.
    log_f_values: FxHashMap<(u64, u64), Option<LogWithGradient>>,
}

impl ParetoLikelihood<'_> {
    /// Adds one history's ln(e^alive + e^died) and gradient with weight `weight`.
    fn add(
        params: &ParetoNbdParams,
        (x, t_x, age): (f64, f64, f64),
        log_f_at: &mut LogF,
        weight: f64,
        total: &mut f64,
        g: &mut [f64],
    ) {
        let ((alive, alive_gradient), (died, died_gradient)) =
            params.alive_and_died(x, t_x, age, log_f_at);
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
        self.log_f_values.clear();
        let values = &mut self.log_f_values;
        let mut log_f_at = |k: f64, t: f64| {
            *values
                .entry((k.to_bits(), t.to_bits()))
                .or_insert_with(|| log_f(k, alpha, s, beta, t))
        };
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
            Self::add(&params, history, &mut log_f_at, weight, &mut total, &mut g);
        }
        for pattern in &patterns.repeat {
            let history = (
                patterns.frequencies[pattern.frequency as usize],
                patterns.times[pattern.recency as usize],
                patterns.times[pattern.age as usize],
            );
            Self::add(
                &params,
                history,
                &mut log_f_at,
                pattern.weight,
                &mut total,
                &mut g,
            );
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
            log_f_values: FxHashMap::default(),
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

    /// Agreement of ln ₂F₁ with the 50-digit reference, absolute (ln F is at most a few hundred).
    const HYPERGEOMETRIC_TOLERANCE: f64 = 2e-12;
    /// Agreement of its derivatives, relative to max(1, |derivative|).
    const HYPERGEOMETRIC_GRADIENT_TOLERANCE: f64 = 1e-10;

    #[test]
    fn the_hypergeometric_function_matches_a_50_digit_reference() {
        // `scripts/models_reference.py hypergeometric`: mpmath's hyp2f1 and its numerical
        // derivatives over a grid of a, b up to 1,500 and 542 and z up to 0.9999, where the power
        // series summed before needed up to a hundred thousand terms.
        let text = include_str!("../../tests/data/models_hypergeometric.csv");
        let mut rows = 0;
        for line in text.lines().skip(1) {
            let v: Vec<f64> = line.split(',').map(|f| f.parse().unwrap()).collect();
            let (a, b, z) = (v[0], v[1], v[2]);
            let (log_value, gradient) = log_hypergeometric(a, b, z)
                .unwrap_or_else(|| panic!("a={a} b={b} z={z}: did not settle"));
            assert!(
                (log_value - v[3]).abs() <= HYPERGEOMETRIC_TOLERANCE * v[3].abs().max(1.0),
                "a={a} b={b} z={z}: ln F {log_value} vs {}",
                v[3]
            );
            for i in 0..3 {
                let expected = v[4 + i];
                assert!(
                    (gradient[i] - expected).abs()
                        <= HYPERGEOMETRIC_GRADIENT_TOLERANCE * expected.abs().max(1.0),
                    "a={a} b={b} z={z}: derivative {i} {} vs {expected}",
                    gradient[i]
                );
            }
            rows += 1;
        }
        assert_eq!(rows, 264);
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
            let (log_value, _) =
                log_death_integral(k, alpha, s, beta, lower, upper, &mut |k, t| {
                    log_f(k, alpha, s, beta, t)
                });
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
