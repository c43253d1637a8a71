//! Customers drawn from the models themselves (BG/NBD for purchase timing, Gamma-Gamma for order
//! values), for parameter-recovery tests and benchmarks. Deterministic for a given seed: the
//! random numbers come from a small xoshiro256** generator, not from a crate, so the same seed
//! gives the same customers on every platform and version.

use crate::book::{OrderBook, OrderKind};
use crate::day::Day;

use super::bgnbd::BgNbdParams;
use super::gamma_gamma::GammaGammaParams;

/// What to simulate.
#[derive(Clone, Debug)]
pub struct SyntheticSpec {
    /// α in periods.
    pub bgnbd: BgNbdParams,
    pub gamma_gamma: GammaGammaParams,
    pub customers: usize,
    /// Days per period (the unit of α).
    pub period_days: f64,
    /// Day of the earliest possible first purchase.
    pub first_day: i32,
    /// First purchases fall uniformly over this many days from `first_day`.
    pub acquisition_days: i32,
    /// Last day simulated (inclusive); purchases after it are not generated.
    pub end_day: i32,
    pub seed: u64,
}

impl SyntheticSpec {
    /// CDNOW-like customers (the published estimates, weeks) acquired over 12 weeks and followed
    /// for 78 weeks from 1997-01-01: the shape of the data the BG/NBD paper analysed.
    pub fn cdnow_like(customers: usize, seed: u64) -> SyntheticSpec {
        let first_day = Day::from_ymd(1997, 1, 1).map_or(9862, |day| day.0);
        SyntheticSpec {
            bgnbd: BgNbdParams {
                r: 0.243,
                alpha: 4.414,
                a: 0.793,
                b: 2.426,
            },
            gamma_gamma: GammaGammaParams {
                p: 6.25,
                q: 3.74,
                v: 15.44,
            },
            customers,
            period_days: 7.0,
            first_day,
            acquisition_days: 84,
            end_day: first_day + 78 * 7 - 1,
            seed,
        }
    }
}

/// One simulated customer: purchase times in periods after their first purchase (0 first), the
/// absolute time of that first purchase in days since `first_day`, and each purchase's value.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntheticCustomer {
    pub start_days: f64,
    pub purchase_periods: Vec<f64>,
    pub values: Vec<f64>,
}

/// Simulates `spec.customers` customers: λ ~ Gamma(r, α), p ~ Beta(a, b); purchases come after
/// Exp(λ) waits, and after every *repeat* purchase the customer leaves with probability p (the
/// first purchase never ends a customer: the model's likelihood for x = 0 is e^(−λT)).
/// Each customer's mean spend is p_gg/ν with ν ~ Gamma(q, v); order values are Gamma(p_gg, ν).
pub fn generate(spec: &SyntheticSpec) -> Vec<SyntheticCustomer> {
    let mut random = Random::new(spec.seed);
    let BgNbdParams { r, alpha, a, b } = spec.bgnbd;
    let GammaGammaParams { p: shape, q, v } = spec.gamma_gamma;
    let mut customers = Vec::with_capacity(spec.customers);
    for _ in 0..spec.customers {
        let start_days = random.uniform() * spec.acquisition_days as f64;
        let horizon = ((spec.end_day - spec.first_day + 1) as f64 - start_days) / spec.period_days;
        let rate = random.gamma(r) / alpha;
        let dropout = random.beta(a, b);
        let spend_rate = random.gamma(q) / v;
        let mut purchase_periods = vec![0.0];
        let mut time = 0.0;
        loop {
            time += random.exponential() / rate;
            if time.is_nan() || time >= horizon {
                break;
            }
            purchase_periods.push(time);
            if random.uniform() < dropout {
                break;
            }
        }
        let values = purchase_periods
            .iter()
            .map(|_| random.gamma(shape) / spend_rate)
            .collect();
        customers.push(SyntheticCustomer {
            start_days,
            purchase_periods,
            values,
        });
    }
    customers
}

/// The continuous-time calibration summary (x, t_x, T, m̄) of simulated customers at
/// `calibration_periods` after the spec's `first_day`: exactly the model's data, no rounding to
/// days. Customers who first bought after that time are left out.
pub struct ContinuousSummary {
    pub frequency: Vec<f64>,
    pub recency: Vec<f64>,
    pub age: Vec<f64>,
    pub monetary_mean: Vec<f64>,
}

pub fn continuous_summary(
    customers: &[SyntheticCustomer],
    period_days: f64,
    calibration_periods: f64,
) -> ContinuousSummary {
    let mut summary = ContinuousSummary {
        frequency: Vec::new(),
        recency: Vec::new(),
        age: Vec::new(),
        monetary_mean: Vec::new(),
    };
    for customer in customers {
        let age = calibration_periods - customer.start_days / period_days;
        if age < 0.0 {
            continue;
        }
        let seen = customer
            .purchase_periods
            .iter()
            .take_while(|&&t| t <= age)
            .count();
        let repeats = seen - 1;
        summary.frequency.push(repeats as f64);
        summary.recency.push(customer.purchase_periods[seen - 1]);
        summary.age.push(age);
        let spend: f64 = customer.values[1..seen].iter().sum();
        summary.monetary_mean.push(if repeats > 0 {
            spend / repeats as f64
        } else {
            0.0
        });
    }
    summary
}

/// The simulated customers as an order book (ids `S1`, `S2`, …; one purchase order per purchase,
/// on the day it falls in, values rounded to cents).
pub fn order_book(spec: &SyntheticSpec) -> OrderBook {
    let customers = generate(spec);
    let ids: Vec<String> = (1..=customers.len()).map(|i| format!("S{i}")).collect();
    let mut orders = Vec::new();
    for (customer, id) in customers.iter().zip(&ids) {
        for (time, value) in customer.purchase_periods.iter().zip(&customer.values) {
            let day =
                spec.first_day + (customer.start_days + time * spec.period_days).floor() as i32;
            if day <= spec.end_day {
                orders.push((
                    Some(id.as_str()),
                    day,
                    (value * 100.0).round() / 100.0,
                    OrderKind::Purchase,
                ));
            }
        }
    }
    OrderBook::from_orders(orders)
}

/// xoshiro256** (Blackman & Vigna), seeded through splitmix64.
pub struct Random {
    state: [u64; 4],
}

impl Random {
    pub fn new(seed: u64) -> Random {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Random {
            state: [next(), next(), next(), next()],
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.state;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform on [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Exp(1).
    pub fn exponential(&mut self) -> f64 {
        -(1.0 - self.uniform()).ln()
    }

    /// Standard normal (Marsaglia's polar method, one of the pair discarded for simplicity): no
    /// cosine, so the WASM build links no trigonometry.
    pub fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * s.ln() / s).sqrt();
            }
        }
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang (2000); shapes below 1 through
    /// Gamma(k) = Gamma(k + 1) · U^(1/k).
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let boost = (1.0 - self.uniform()).powf(1.0 / shape);
            return self.gamma(shape + 1.0) * boost;
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let z = self.normal();
            let v = 1.0 + c * z;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = 1.0 - self.uniform();
            if u.ln() < 0.5 * z * z + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }

    /// Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        let y = self.gamma(b);
        x / (x + y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sample-mean tolerance in standard errors for the distribution checks.
    const SIGMAS: f64 = 4.0;

    fn mean_and_variance(values: &[f64]) -> (f64, f64) {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        (
            mean,
            values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0),
        )
    }

    #[test]
    fn samplers_have_the_right_moments() {
        let mut random = Random::new(7);
        let n = 40_000;
        type Case = (&'static str, f64, f64, Box<dyn Fn(&mut Random) -> f64>);
        let cases: [Case; 4] = [
            (
                "uniform",
                0.5,
                1.0 / 12.0,
                Box::new(|r: &mut Random| r.uniform()),
            ),
            (
                "gamma(0.3)",
                0.3,
                0.3,
                Box::new(|r: &mut Random| r.gamma(0.3)),
            ),
            (
                "gamma(6.25)",
                6.25,
                6.25,
                Box::new(|r: &mut Random| r.gamma(6.25)),
            ),
            (
                "beta(0.8, 2.4)",
                0.8 / 3.2,
                0.8 * 2.4 / (3.2 * 3.2 * 4.2),
                Box::new(|r: &mut Random| r.beta(0.8, 2.4)),
            ),
        ];
        for (name, mean, variance, draw) in cases {
            let values: Vec<f64> = (0..n).map(|_| draw(&mut random)).collect();
            let (sample_mean, sample_variance) = mean_and_variance(&values);
            let standard_error = (variance / n as f64).sqrt();
            assert!(
                (sample_mean - mean).abs() < SIGMAS * standard_error,
                "{name}: mean {sample_mean} vs {mean}"
            );
            assert!(
                (sample_variance / variance - 1.0).abs() < 0.05,
                "{name}: variance {sample_variance} vs {variance}"
            );
        }
    }

    #[test]
    fn same_seed_same_customers() {
        let spec = SyntheticSpec::cdnow_like(200, 11);
        assert_eq!(generate(&spec), generate(&spec));
        assert_ne!(
            generate(&spec),
            generate(&SyntheticSpec {
                seed: 12,
                ..spec.clone()
            })
        );
    }

    #[test]
    fn order_book_keeps_every_purchase_in_the_window() {
        let spec = SyntheticSpec::cdnow_like(300, 3);
        let book = order_book(&spec);
        assert!(
            book.day
                .iter()
                .all(|&d| d >= spec.first_day && d <= spec.end_day)
        );
        let expected: usize = generate(&spec)
            .iter()
            .map(|c| {
                c.purchase_periods
                    .iter()
                    .filter(|&&t| {
                        spec.first_day + (c.start_days + t * 7.0).floor() as i32 <= spec.end_day
                    })
                    .count()
            })
            .sum();
        assert_eq!(book.order_count(), expected);
        assert_eq!(book.customer_count(), 300);
    }
}
