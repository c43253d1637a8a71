//! Special functions the CLV models need: ln Γ, the digamma function ψ, and a few numerically
//! careful helpers. (The hypergeometric series of BG/NBD's expected purchases live with the model,
//! in `bgnbd`, where the choice between them depends on its parameters.)
//!
//! ln Γ comes from `libm` (a port of musl's `lgamma`, accurate to about an ulp and tiny in WASM);
//! ψ is short enough to write and test here.

/// ln Γ(x) for x > 0 (for x ≤ 0 it returns ln |Γ(x)|, or +∞ at the poles).
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// The digamma function ψ(x) = d ln Γ(x) / dx.
///
/// Recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the asymptotic series, whose next omitted
/// term (691/32760 · x⁻¹²) is below 2·10⁻¹⁴ there. Only positive arguments arise (the models'
/// parameters and counts), so x ≤ 0 gives NaN: the reflection formula would link the WASM
/// build's trigonometry (range reduction tables) for nothing.
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    let mut x = x;
    let mut result = 0.0;
    while x < 10.0 {
        result -= 1.0 / x;
        x += 1.0;
    }
    let inverse_square = 1.0 / (x * x);
    let tail = inverse_square
        * (1.0 / 12.0
            - inverse_square
                * (1.0 / 120.0
                    - inverse_square
                        * (1.0 / 252.0 - inverse_square * (1.0 / 240.0 - inverse_square / 132.0))));
    result + x.ln() - 0.5 / x - tail
}

/// ln(eᵃ + eᵇ) without overflow.
pub fn log_add_exp(a: f64, b: f64) -> f64 {
    let high = a.max(b);
    if high == f64::NEG_INFINITY {
        return f64::NEG_INFINITY;
    }
    high + (-(a - b).abs()).exp().ln_1p()
}

/// The logistic function 1 / (1 + e⁻ˣ), exact at both tails.
pub fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative agreement expected from functions accurate to a few ulps.
    const TIGHT: f64 = 1e-13;

    fn assert_close(actual: f64, expected: f64, tolerance: f64, what: &str) {
        let scale = expected.abs().max(1e-300);
        assert!(
            (actual - expected).abs() <= tolerance * scale.max(1.0),
            "{what}: got {actual}, expected {expected}"
        );
    }

    const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

    #[test]
    fn ln_gamma_known_values() {
        let cases = [
            (1.0, 0.0),
            (2.0, 0.0),
            (0.5, 0.5 * std::f64::consts::PI.ln()),
            (10.0, 362_880f64.ln()),
            (0.1, 2.252_712_651_734_206),
            (100.0, 359.134_205_369_575_4),
        ];
        for (x, expected) in cases {
            assert_close(ln_gamma(x), expected, TIGHT, &format!("lnΓ({x})"));
        }
    }

    #[test]
    fn digamma_known_values_and_recurrence() {
        let cases = [
            (1.0, -EULER_GAMMA),
            (0.5, -EULER_GAMMA - 2.0 * std::f64::consts::LN_2),
            (2.0, 1.0 - EULER_GAMMA),
            (
                0.25,
                -EULER_GAMMA - std::f64::consts::FRAC_PI_2 - 3.0 * std::f64::consts::LN_2,
            ),
        ];
        for (x, expected) in cases {
            assert_close(digamma(x), expected, TIGHT, &format!("ψ({x})"));
        }
        for x in [1e-3, 0.3, 3.7, 9.99, 10.0, 55.5, 1e6] {
            assert_close(
                digamma(x + 1.0),
                digamma(x) + 1.0 / x,
                TIGHT,
                &format!("ψ({x}+1)"),
            );
        }
        assert!(digamma(0.0).is_nan() && digamma(-3.0).is_nan() && digamma(-0.5).is_nan());
    }

    #[test]
    fn digamma_is_the_derivative_of_ln_gamma() {
        for x in [0.05, 0.8, 4.2, 31.0, 250.0] {
            let h = 1e-5 * x;
            let numeric = (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h);
            assert_close(digamma(x), numeric, 1e-8, &format!("ψ({x})"));
        }
    }

    #[test]
    fn log_add_exp_and_logistic_are_stable_at_the_tails() {
        assert_close(
            log_add_exp(1000.0, 1000.0),
            1000.0 + std::f64::consts::LN_2,
            TIGHT,
            "lse",
        );
        assert_close(log_add_exp(-1e4, 0.0), 0.0, TIGHT, "lse small");
        assert_eq!(
            log_add_exp(f64::NEG_INFINITY, f64::NEG_INFINITY),
            f64::NEG_INFINITY
        );
        assert_eq!(logistic(-800.0), 0.0);
        assert_eq!(logistic(800.0), 1.0);
        assert_close(logistic(-40.0), (-40f64).exp(), 1e-12, "logistic tail");
        assert_close(logistic(0.0), 0.5, TIGHT, "logistic(0)");
    }
}
