//! Small-dimensional minimisation for the maximum-likelihood fits: BFGS with a strong-Wolfe line
//! search on an analytic gradient, Nelder–Mead as a derivative-free rescue, a numerical Hessian and
//! a symmetric matrix inverse for the standard errors.
//!
//! The models have three or four parameters, so dense `Vec<f64>` matrices are plenty; what matters
//! is that every objective evaluation is cheap and that a bad step (overflow, NaN) is shrunk
//! rather than accepted.

/// When to stop.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Converged when the largest gradient component is at most this.
    pub gradient_tolerance: f64,
    pub max_iterations: usize,
    /// Largest |coordinate| worth going on from: beyond it the caller refuses the point anyway
    /// (a fit whose parameters ran off), so the search stops there unconverged instead of
    /// crawling on along a ridge where the objective has lost its precision.
    pub run_off: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            gradient_tolerance: 1e-9,
            max_iterations: 500,
            run_off: f64::INFINITY,
        }
    }
}

/// Where a minimisation ended.
#[derive(Clone, Debug)]
pub struct Minimum {
    pub point: Vec<f64>,
    pub value: f64,
    /// Largest absolute gradient component at `point`.
    pub gradient_norm: f64,
    pub iterations: usize,
    /// Objective evaluations (value and gradient together count as one).
    pub evaluations: usize,
    pub converged: bool,
}

/// An objective returning its value and writing its gradient into the second argument.
pub trait Objective {
    fn evaluate(&mut self, point: &[f64], gradient: &mut [f64]) -> f64;
}

impl<F: FnMut(&[f64], &mut [f64]) -> f64> Objective for F {
    fn evaluate(&mut self, point: &[f64], gradient: &mut [f64]) -> f64 {
        self(point, gradient)
    }
}

/// Gradient size under which a stalled search still counts as converged: the objective is then
/// flat to machine precision around the point.
const STALL_GRADIENT: f64 = 1e-6;
/// Relative size of the expected decrease below which progress drowns in rounding: the
/// log-likelihoods are sums of thousands of terms with differences of large ln Γ values (about
/// 10⁻¹³ relative noise in practice).
const NEWTON_DECREMENT_FLOOR: f64 = 1e-13;

/// Relative improvement of the best value that counts as progress in Nelder–Mead.
const STALL_PROGRESS: f64 = 1e-10;
/// Evaluations per vertex without progress after which Nelder–Mead stops.
const STALL_EVALUATIONS: usize = 50;

/// Minimises `objective` from `start`: BFGS, and if it stalls away from a stationary point,
/// Nelder–Mead from the best point found followed by another BFGS run.
///
/// Objectives are taken as `dyn` so that one copy of the optimiser serves every model (the WASM
/// bundle pays for each monomorphised copy; a virtual call per evaluation costs nothing here).
pub fn minimize(objective: &mut dyn Objective, start: &[f64], settings: &Settings) -> Minimum {
    let first = bfgs(objective, start, settings);
    let ran_off = max_abs(&first.point) > settings.run_off;
    if first.converged || ran_off || !first.value.is_finite() && first.iterations == 0 {
        return first;
    }
    let rescued = nelder_mead(objective, &first.point, 4 * settings.max_iterations);
    let mut second = bfgs(objective, &rescued, settings);
    second.iterations += first.iterations;
    second.evaluations += first.evaluations;
    if second.value <= first.value || !first.value.is_finite() {
        second
    } else {
        first
    }
}

/// BFGS on the inverse Hessian with a strong-Wolfe line search (Nocedal & Wright, algorithms 3.5
/// and 3.6). Non-finite objective values are treated as "step too long".
pub fn bfgs(objective: &mut dyn Objective, start: &[f64], settings: &Settings) -> Minimum {
    let n = start.len();
    let mut point = start.to_vec();
    let mut gradient = vec![0.0; n];
    let mut value = objective.evaluate(&point, &mut gradient);
    let mut evaluations = 1;
    let result =
        |point: Vec<f64>, value: f64, gradient: &[f64], iterations, evaluations, converged| {
            Minimum {
                point,
                value,
                gradient_norm: max_abs(gradient),
                iterations,
                evaluations,
                converged,
            }
        };
    if !value.is_finite() || gradient.iter().any(|g| !g.is_finite()) {
        return result(point, value, &gradient, 0, evaluations, false);
    }
    let mut inverse_hessian = identity(n);
    let mut direction = vec![0.0; n];
    let mut next_point = vec![0.0; n];
    let mut next_gradient = vec![0.0; n];
    for iteration in 0..settings.max_iterations {
        if max_abs(&gradient) <= settings.gradient_tolerance {
            return result(point, value, &gradient, iteration, evaluations, true);
        }
        if max_abs(&point) > settings.run_off {
            return result(point, value, &gradient, iteration, evaluations, false);
        }
        multiply(&inverse_hessian, &gradient, &mut direction);
        direction.iter_mut().for_each(|d| *d = -*d);
        let mut slope = dot(&direction, &gradient);
        if slope.is_nan() || slope >= 0.0 {
            // The curvature estimate went bad: restart from steepest descent.
            inverse_hessian = identity(n);
            direction
                .iter_mut()
                .zip(&gradient)
                .for_each(|(d, g)| *d = -g);
            slope = dot(&direction, &gradient);
        }
        // The expected decrease of a full quasi-Newton step is −slope/2. Once that is at the
        // rounding level of the objective no line search can see progress: stop here instead of
        // spending a hundred evaluations to find that out.
        if -slope <= NEWTON_DECREMENT_FLOOR * value.abs().max(1.0)
            && max_abs(&gradient) <= STALL_GRADIENT
        {
            return result(point, value, &gradient, iteration, evaluations, true);
        }
        let first_step = if iteration == 0 {
            (1.0 / max_abs(&gradient)).min(1.0)
        } else {
            1.0
        };
        let mut line = LineSearch {
            objective: &mut *objective,
            origin: &point,
            direction: &direction,
            value,
            slope,
            trial: &mut next_point,
            trial_gradient: &mut next_gradient,
            evaluations: 0,
        };
        let step = line.search(first_step);
        evaluations += line.evaluations;
        let Some((step, next_value)) = step else {
            let converged = max_abs(&gradient) <= STALL_GRADIENT;
            return result(point, value, &gradient, iteration, evaluations, converged);
        };
        // The line search leaves the accepted point's gradient in `next_gradient`.
        for i in 0..n {
            next_point[i] = point[i] + step * direction[i];
        }
        let s: Vec<f64> = (0..n).map(|i| next_point[i] - point[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| next_gradient[i] - gradient[i]).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 * norm(&s) * norm(&y) {
            if iteration == 0 {
                let scale = sy / dot(&y, &y);
                inverse_hessian = identity(n);
                inverse_hessian.iter_mut().for_each(|h| *h *= scale);
            }
            update_inverse_hessian(&mut inverse_hessian, &s, &y, sy);
        }
        let change = value - next_value;
        point.copy_from_slice(&next_point);
        gradient.copy_from_slice(&next_gradient);
        value = next_value;
        if change.abs() <= 1e-16 * value.abs().max(1.0) && max_abs(&gradient) <= STALL_GRADIENT {
            return result(point, value, &gradient, iteration + 1, evaluations, true);
        }
    }
    let converged = max_abs(&gradient) <= settings.gradient_tolerance;
    result(
        point,
        value,
        &gradient,
        settings.max_iterations,
        evaluations,
        converged,
    )
}

/// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, with ρ = 1 / (yᵀ s).
fn update_inverse_hessian(h: &mut [f64], s: &[f64], y: &[f64], sy: f64) {
    let n = s.len();
    let rho = 1.0 / sy;
    let mut hy = vec![0.0; n];
    multiply(h, y, &mut hy);
    let yhy = dot(y, &hy);
    for i in 0..n {
        for j in 0..n {
            h[i * n + j] +=
                -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}

struct LineSearch<'a> {
    objective: &'a mut dyn Objective,
    origin: &'a [f64],
    direction: &'a [f64],
    value: f64,
    slope: f64,
    trial: &'a mut Vec<f64>,
    trial_gradient: &'a mut Vec<f64>,
    evaluations: usize,
}

/// Sufficient decrease and curvature constants of the strong Wolfe conditions.
const WOLFE_DECREASE: f64 = 1e-4;
const WOLFE_CURVATURE: f64 = 0.9;
/// Most objective evaluations one line search may make. A healthy search takes one to three; one
/// that needs more is resolving differences at the objective's rounding level (a fit creeping
/// along a ridge), where more evaluations — each a pass over every customer — buy nothing.
const LINE_SEARCH_EVALUATIONS: usize = 20;

impl LineSearch<'_> {
    /// Value and directional derivative at `step`; non-finite results come back as +∞.
    fn at(&mut self, step: f64) -> (f64, f64) {
        for i in 0..self.origin.len() {
            self.trial[i] = self.origin[i] + step * self.direction[i];
        }
        self.evaluations += 1;
        let value = self.objective.evaluate(self.trial, self.trial_gradient);
        let slope = dot(self.trial_gradient, self.direction);
        if value.is_finite() && slope.is_finite() {
            (value, slope)
        } else {
            (f64::INFINITY, f64::NAN)
        }
    }

    /// A step satisfying the strong Wolfe conditions (or at least sufficient decrease when the
    /// bracket collapses), with the objective and gradient at it left in `trial`/`trial_gradient`.
    fn search(&mut self, first_step: f64) -> Option<(f64, f64)> {
        let (mut previous_step, mut previous_value) = (0.0, self.value);
        let mut previous_slope = self.slope;
        let mut step = first_step;
        for attempt in 0..LINE_SEARCH_EVALUATIONS {
            let (value, slope) = self.at(step);
            if !value.is_finite() {
                step = previous_step + 0.25 * (step - previous_step);
                continue;
            }
            if value > self.value + WOLFE_DECREASE * step * self.slope
                || (attempt > 0 && value >= previous_value)
            {
                return self.zoom(
                    (previous_step, previous_value, previous_slope),
                    (step, value),
                );
            }
            if slope.abs() <= -WOLFE_CURVATURE * self.slope {
                return Some((step, value));
            }
            if slope >= 0.0 {
                return self.zoom((step, value, slope), (previous_step, previous_value));
            }
            (previous_step, previous_value, previous_slope) = (step, value, slope);
            step *= 2.0;
        }
        None
    }

    /// Narrows the bracket between `low` (lowest value so far, with its slope) and `high`.
    fn zoom(&mut self, low: (f64, f64, f64), high: (f64, f64)) -> Option<(f64, f64)> {
        let (mut low_step, mut low_value, mut low_slope) = low;
        let (mut high_step, mut high_value) = high;
        while self.evaluations < LINE_SEARCH_EVALUATIONS {
            // Minimiser of the quadratic through low (value, slope) and high (value), kept well
            // inside the bracket; plain bisection when that is not usable.
            let width = high_step - low_step;
            let mut step = low_step + 0.5 * width;
            if high_value.is_finite() {
                let curvature = high_value - low_value - low_slope * width;
                if curvature > 0.0 {
                    let candidate = low_step - low_slope * width * width / (2.0 * curvature);
                    let (lo, hi) = (low_step.min(high_step), low_step.max(high_step));
                    let margin = 0.1 * width.abs();
                    if candidate > lo + margin && candidate < hi - margin {
                        step = candidate;
                    }
                }
            }
            if (step - low_step).abs() <= 1e-16 * step.abs().max(1e-300) {
                break;
            }
            let (value, slope) = self.at(step);
            if !value.is_finite()
                || value > self.value + WOLFE_DECREASE * step * self.slope
                || value >= low_value
            {
                (high_step, high_value) = (step, value);
            } else {
                if slope.abs() <= -WOLFE_CURVATURE * self.slope {
                    return Some((step, value));
                }
                if slope * (high_step - low_step) >= 0.0 {
                    (high_step, high_value) = (low_step, low_value);
                }
                (low_step, low_value, low_slope) = (step, value, slope);
            }
        }
        // No Wolfe point: accept the best decrease found, if any.
        if low_step != 0.0 && low_value < self.value {
            let (value, _) = self.at(low_step);
            return Some((low_step, value));
        }
        None
    }
}

/// Nelder–Mead simplex search (standard coefficients) from `start`; returns the best vertex.
pub fn nelder_mead(
    objective: &mut dyn Objective,
    start: &[f64],
    max_evaluations: usize,
) -> Vec<f64> {
    let n = start.len();
    let mut scratch = vec![0.0; n];
    let mut evaluate = |point: &[f64]| {
        let value = objective.evaluate(point, &mut scratch);
        if value.is_finite() {
            value
        } else {
            f64::INFINITY
        }
    };
    let mut simplex: Vec<Vec<f64>> = vec![start.to_vec()];
    for i in 0..n {
        let mut vertex = start.to_vec();
        vertex[i] += if vertex[i].abs() > 1e-3 {
            0.1 * vertex[i].abs().max(1.0)
        } else {
            0.25
        };
        simplex.push(vertex);
    }
    let mut values: Vec<f64> = simplex.iter().map(|v| evaluate(v)).collect();
    let mut evaluations = n + 1;
    // The best value and the evaluations when it last improved by a relative STALL_PROGRESS:
    // along a flat ridge the simplex creeps on for thousands of steps without getting anywhere,
    // each a pass over every customer.
    let (mut best_value, mut improved_at) = (f64::INFINITY, 0);
    while evaluations < max_evaluations {
        // Vertices best first: a handful of them, so an insertion sort (a general sort would
        // add its code to the .wasm for this alone).
        let mut order: Vec<usize> = (0..=n).collect();
        for i in 1..order.len() {
            let mut j = i;
            while j > 0 && values[order[j - 1]].total_cmp(&values[order[j]]).is_gt() {
                order.swap(j - 1, j);
                j -= 1;
            }
        }
        simplex = order.iter().map(|&i| simplex[i].clone()).collect();
        values = order.iter().map(|&i| values[i]).collect();
        let spread = values[n] - values[0];
        if spread.abs() <= 1e-14 * values[0].abs().max(1.0) && values[0].is_finite() {
            break;
        }
        if best_value.is_infinite() || values[0] < best_value - STALL_PROGRESS * best_value.abs() {
            (best_value, improved_at) = (values[0], evaluations);
        } else if evaluations - improved_at > STALL_EVALUATIONS * (n + 1) {
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|j| simplex[..n].iter().map(|v| v[j]).sum::<f64>() / n as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            (0..n)
                .map(|j| centroid[j] + t * (simplex[n][j] - centroid[j]))
                .collect()
        };
        let reflected = along(-1.0);
        let reflected_value = evaluate(&reflected);
        evaluations += 1;
        if reflected_value < values[0] {
            let expanded = along(-2.0);
            let expanded_value = evaluate(&expanded);
            evaluations += 1;
            if expanded_value < reflected_value {
                (simplex[n], values[n]) = (expanded, expanded_value);
            } else {
                (simplex[n], values[n]) = (reflected, reflected_value);
            }
            continue;
        }
        if reflected_value < values[n - 1] {
            (simplex[n], values[n]) = (reflected, reflected_value);
            continue;
        }
        let contracted = if reflected_value < values[n] {
            along(-0.5)
        } else {
            along(0.5)
        };
        let contracted_value = evaluate(&contracted);
        evaluations += 1;
        if contracted_value < values[n].min(reflected_value) {
            (simplex[n], values[n]) = (contracted, contracted_value);
            continue;
        }
        let best = simplex[0].clone();
        for i in 1..=n {
            for (coordinate, toward) in simplex[i].iter_mut().zip(&best) {
                *coordinate = toward + 0.5 * (*coordinate - toward);
            }
            values[i] = evaluate(&simplex[i]);
        }
        evaluations += n;
    }
    let best = (0..=n)
        .min_by(|&i, &j| values[i].total_cmp(&values[j]))
        .unwrap_or(0);
    simplex.swap_remove(best)
}

/// Hessian of a function by central differences of its analytic gradient, symmetrised; the step
/// for coordinate j is `relative_step · max(|xⱼ|, 1e-8)`. Returned row-major, n × n.
pub fn numerical_hessian(
    objective: &mut dyn Objective,
    point: &[f64],
    relative_step: f64,
) -> Vec<f64> {
    let n = point.len();
    let mut hessian = vec![0.0; n * n];
    let mut shifted = point.to_vec();
    let mut forward = vec![0.0; n];
    let mut backward = vec![0.0; n];
    for j in 0..n {
        let h = relative_step * point[j].abs().max(1e-8);
        shifted[j] = point[j] + h;
        objective.evaluate(&shifted, &mut forward);
        shifted[j] = point[j] - h;
        objective.evaluate(&shifted, &mut backward);
        shifted[j] = point[j];
        for i in 0..n {
            hessian[i * n + j] = (forward[i] - backward[i]) / (2.0 * h);
        }
    }
    for i in 0..n {
        for j in 0..i {
            let mean = 0.5 * (hessian[i * n + j] + hessian[j * n + i]);
            hessian[i * n + j] = mean;
            hessian[j * n + i] = mean;
        }
    }
    hessian
}

/// Inverse of a symmetric positive-definite matrix by Cholesky factorisation; `None` when the
/// matrix is not positive definite (the fit is not at a proper maximum, or a parameter is not
/// identified) or has non-finite entries.
pub fn inverse_positive_definite(matrix: &[f64], n: usize) -> Option<Vec<f64>> {
    if matrix.len() != n * n || matrix.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut lower = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut sum = matrix[i * n + j];
            for k in 0..j {
                sum -= lower[i * n + k] * lower[j * n + k];
            }
            if i == j {
                if sum.is_nan() || sum <= 0.0 {
                    return None;
                }
                lower[i * n + i] = sum.sqrt();
            } else {
                lower[i * n + j] = sum / lower[j * n + j];
            }
        }
    }
    // Invert column by column: solve L Lᵀ x = eₖ.
    let mut inverse = vec![0.0; n * n];
    let mut column = vec![0.0; n];
    for k in 0..n {
        for i in 0..n {
            let mut sum = if i == k { 1.0 } else { 0.0 };
            for j in 0..i {
                sum -= lower[i * n + j] * column[j];
            }
            column[i] = sum / lower[i * n + i];
        }
        for i in (0..n).rev() {
            let mut sum = column[i];
            for j in i + 1..n {
                sum -= lower[j * n + i] * column[j];
            }
            column[i] = sum / lower[i * n + i];
        }
        for i in 0..n {
            inverse[i * n + k] = column[i];
        }
    }
    Some(inverse)
}

fn identity(n: usize) -> Vec<f64> {
    let mut m = vec![0.0; n * n];
    (0..n).for_each(|i| m[i * n + i] = 1.0);
    m
}

fn multiply(matrix: &[f64], vector: &[f64], out: &mut [f64]) {
    let n = vector.len();
    for i in 0..n {
        out[i] = (0..n).map(|j| matrix[i * n + j] * vector[j]).sum();
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

fn max_abs(a: &[f64]) -> f64 {
    a.iter().fold(
        0.0,
        |m, v| if v.is_nan() { f64::NAN } else { m.max(v.abs()) },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance to the known minimum accepted from a converged search.
    const LOCATION: f64 = 1e-6;

    /// Rosenbrock's banana: minimum 0 at (1, 1), a classic trap for naive descent.
    fn rosenbrock(x: &[f64], g: &mut [f64]) -> f64 {
        let (a, b) = (x[0], x[1]);
        g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
        g[1] = 200.0 * (b - a * a);
        (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
    }

    #[test]
    fn bfgs_finds_known_minima() {
        type Case = (
            &'static str,
            fn(&[f64], &mut [f64]) -> f64,
            Vec<f64>,
            Vec<f64>,
        );
        let cases: [Case; 3] = [
            ("rosenbrock", rosenbrock, vec![-1.2, 1.0], vec![1.0, 1.0]),
            (
                "shifted quadratic",
                |x, g| {
                    let weights = [1.0, 10.0, 1000.0];
                    let mut value = 0.0;
                    for i in 0..3 {
                        g[i] = 2.0 * weights[i] * (x[i] - i as f64);
                        value += weights[i] * (x[i] - i as f64).powi(2);
                    }
                    value
                },
                vec![5.0, -5.0, 0.5],
                vec![0.0, 1.0, 2.0],
            ),
            (
                "exp barrier",
                |x, g| {
                    // e^x − 2x has its minimum at ln 2 and overflows for large steps.
                    g[0] = x[0].exp() - 2.0;
                    x[0].exp() - 2.0 * x[0]
                },
                vec![-30.0],
                vec![std::f64::consts::LN_2],
            ),
        ];
        for (name, function, start, expected) in cases {
            let mut objective = function;
            let found = minimize(&mut objective, &start, &Settings::default());
            assert!(found.converged, "{name}: {found:?}");
            for (got, want) in found.point.iter().zip(&expected) {
                assert!((got - want).abs() < LOCATION, "{name}: {found:?}");
            }
        }
    }

    #[test]
    fn nelder_mead_walks_to_the_minimum_without_gradients() {
        let mut objective = rosenbrock;
        let point = nelder_mead(&mut objective, &[-1.2, 1.0], 5000);
        assert!(
            (point[0] - 1.0).abs() < 1e-4 && (point[1] - 1.0).abs() < 1e-4,
            "{point:?}"
        );
    }

    #[test]
    fn nelder_mead_stops_when_progress_stalls() {
        // A curved valley whose floor keeps sloping down, ever more gently, as x grows (as the
        // Gamma-Gamma likelihood does along q and v on data without signal): without the stall
        // rule the simplex would creep along it until the evaluation cap.
        let mut evaluations = 0;
        let mut objective = |x: &[f64], _: &mut [f64]| {
            evaluations += 1;
            1.0 + 100.0 * (x[1] - x[0] * x[0]).powi(2) + 1e-8 / (1.0 + x[0] * x[0])
        };
        nelder_mead(&mut objective, &[1.0, 1.0], 100_000);
        assert!(
            evaluations < 1_000,
            "{evaluations} evaluations (5,465 without the rule)"
        );
    }

    #[test]
    fn non_finite_start_is_reported_not_converged() {
        let mut objective = |_: &[f64], g: &mut [f64]| {
            g[0] = 0.0;
            f64::NAN
        };
        let found = minimize(&mut objective, &[0.0], &Settings::default());
        assert!(!found.converged);
    }

    #[test]
    fn hessian_and_inverse_of_a_quadratic() {
        // f = x² + 3xy + 5y² → Hessian [[2, 3], [3, 10]], inverse [[10, −3], [−3, 2]] / 11.
        let mut objective = |x: &[f64], g: &mut [f64]| {
            g[0] = 2.0 * x[0] + 3.0 * x[1];
            g[1] = 3.0 * x[0] + 10.0 * x[1];
            x[0] * x[0] + 3.0 * x[0] * x[1] + 5.0 * x[1] * x[1]
        };
        let hessian = numerical_hessian(&mut objective, &[0.7, -0.2], 1e-4);
        let expected = [2.0, 3.0, 3.0, 10.0];
        for (got, want) in hessian.iter().zip(expected) {
            assert!((got - want).abs() < 1e-8, "{hessian:?}");
        }
        let inverse = inverse_positive_definite(&hessian, 2).unwrap();
        let expected_inverse = [10.0 / 11.0, -3.0 / 11.0, -3.0 / 11.0, 2.0 / 11.0];
        for (got, want) in inverse.iter().zip(expected_inverse) {
            assert!((got - want).abs() < 1e-8, "{inverse:?}");
        }
        assert!(inverse_positive_definite(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
    }
}
