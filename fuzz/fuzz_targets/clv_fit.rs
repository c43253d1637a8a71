//! The CLV models on arbitrary summaries: BG/NBD and Gamma-Gamma fits on (x, t_x, T, m̄) columns,
//! and the whole analysis on an arbitrary order book. Never a panic; when a fit is `Ok` its
//! parameters are finite and positive, P(alive) and purchase probabilities are in [0, 1] and no
//! prediction is NaN.
//!
//! The first byte picks how the rest is read: raw `f64`s (anything, NaN and infinities
//! included), plausible summaries (whole x, 0 ≤ t_x ≤ T, positive spend), or orders for
//! `clv::analyze`.
#![no_main]

use customer_lens::clv::{BgNbdParams, ClvOptions, analyze, bgnbd, gamma_gamma};
use customer_lens::{OrderBook, OrderKind};
use customer_lens_fuzz::Control;
use libfuzzer_sys::fuzz_target;

/// Customers per input: enough for the fits to find something, few enough for many runs a second.
const MAX_CUSTOMERS: usize = 200;

struct Summary {
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    monetary_mean: Vec<f64>,
    weights: Option<Vec<f64>>,
}

fn raw_summary(control: &mut Control) -> Summary {
    let mut summary = Summary {
        frequency: Vec::new(),
        recency: Vec::new(),
        age: Vec::new(),
        monetary_mean: Vec::new(),
        weights: (control.byte() & 1 == 1).then(Vec::new),
    };
    while !control.is_empty() && summary.frequency.len() < MAX_CUSTOMERS {
        summary.frequency.push(control.f64());
        summary.recency.push(control.f64());
        summary.age.push(control.f64());
        summary.monetary_mean.push(control.f64());
        if let Some(weights) = &mut summary.weights {
            weights.push(control.f64());
        }
    }
    summary
}

fn plausible_summary(control: &mut Control) -> Summary {
    let mut summary = Summary {
        frequency: Vec::new(),
        recency: Vec::new(),
        age: Vec::new(),
        monetary_mean: Vec::new(),
        weights: (control.byte() & 1 == 1).then(Vec::new),
    };
    // Time scale: periods of a day up to periods of a year, so T spans 0..~10⁵.
    let scale = 1.0 + control.byte() as f64;
    while !control.is_empty() && summary.frequency.len() < MAX_CUSTOMERS {
        let age = control.u16() as f64 / scale;
        // Repeat purchases happen after the first one: x > 0 needs 0 < t_x ≤ T.
        let x = if age > 0.0 {
            (control.byte() % 64) as f64
        } else {
            0.0
        };
        let t_x = if x > 0.0 {
            age * (1.0 + control.byte() as f64) / 256.0
        } else {
            0.0
        };
        let spend = control.u16() as f64 * 10f64.powi(control.byte() as i32 % 9 - 4);
        summary.frequency.push(x);
        summary.recency.push(t_x);
        summary.age.push(age);
        summary.monetary_mean.push(spend);
        if let Some(weights) = &mut summary.weights {
            weights.push((control.byte() % 8) as f64);
        }
    }
    summary
}

fn check_predictions(params: &BgNbdParams, x: f64, t_x: f64, age: f64) {
    let unit = |p: f64, what: &str| assert!((0.0..=1.0).contains(&p), "{what} = {p} at {params:?}");
    unit(params.p_alive(x, t_x, age), "P(alive)");
    unit(params.p_purchase_within(4.0, x, t_x, age), "P(purchase)");
    let expected = params.conditional_expected_purchases(52.0, x, t_x, age);
    // NaN is the answer only when the series cannot settle: 52 periods over a thousand times the
    // model's time scale α + T (it needs about (r + x + 37)·t/(α + T) terms, at most 10⁶).
    assert!(
        (expected.is_finite() && expected >= 0.0)
            || (expected.is_nan() && 52.0 / (params.alpha + age) > 1e3),
        "expected purchases {expected} at {params:?}, x={x} t_x={t_x} T={age}"
    );
    if let Some(periods) = params.periods_until_likely_purchase(x, t_x, age) {
        assert!(
            periods.is_finite() && periods >= 0.0,
            "next purchase in {periods}"
        );
    }
}

fn fit_summary(summary: &Summary) {
    if std::env::var_os("FUZZ_DEBUG").is_some() {
        eprintln!(
            "frequency {:?}\nrecency {:?}\nage {:?}\nmonetary mean {:?}\nweights {:?}",
            summary.frequency, summary.recency, summary.age, summary.monetary_mean, summary.weights
        );
    }
    let weights = summary.weights.as_deref();
    if let Ok(fit) = bgnbd::fit(&summary.frequency, &summary.recency, &summary.age, weights) {
        let p = fit.params;
        for v in [p.r, p.alpha, p.a, p.b] {
            assert!(v.is_finite() && v > 0.0, "BG/NBD parameters {p:?}");
        }
        assert!(!fit.log_likelihood.is_nan(), "log-likelihood NaN at {p:?}");
        for i in 0..summary.frequency.len() {
            check_predictions(&p, summary.frequency[i], summary.recency[i], summary.age[i]);
        }
    }
    if let Ok(fit) = gamma_gamma::fit(&summary.frequency, &summary.monetary_mean, weights) {
        let p = fit.params;
        for v in [p.p, p.q, p.v] {
            assert!(v.is_finite() && v > 0.0, "Gamma-Gamma parameters {p:?}");
        }
        assert!(!fit.log_likelihood.is_nan());
        if p.q > 1.0 {
            for i in 0..summary.frequency.len() {
                let (x, m) = (summary.frequency[i], summary.monetary_mean[i]);
                if x > 0.0 && m > 0.0 {
                    let value = p.expected_order_value(x, m);
                    assert!(
                        value.is_finite() && value > 0.0,
                        "E[order value] {value} at {p:?}"
                    );
                }
            }
        }
    }
}

/// Orders of up to 64 customers over about three years, values from refunds to large orders.
fn arbitrary_book(control: &mut Control) -> (OrderBook, ClvOptions) {
    let options = ClvOptions {
        period_days: control.pick(&[7.0, 1.0, 30.0, 0.5, 365.0]),
        horizon_days: control.pick(&[365.0, 30.0, 0.0, 1000.0]),
        monthly_discount_rate: control.pick(&[0.01, 0.0, 0.5]),
        margin: control.pick(&[1.0, 0.2]),
        ..ClvOptions::default()
    };
    let ids: Vec<String> = (0..64).map(|i| format!("c{i}")).collect();
    let mut orders = Vec::new();
    while !control.is_empty() && orders.len() < 4 * MAX_CUSTOMERS {
        let customer = control.byte();
        let day = 14_000 + (control.u16() % 1200) as i32;
        let value = control.u16() as f64 / 100.0 - if customer & 0x80 != 0 { 50.0 } else { 0.0 };
        let kind = if value < 0.0 {
            OrderKind::Return
        } else {
            OrderKind::Purchase
        };
        let id = (customer & 0x40 == 0).then(|| ids[(customer % 64) as usize].as_str());
        orders.push((id, day, value, kind));
    }
    (OrderBook::from_orders(orders), options)
}

fuzz_target!(|data: &[u8]| {
    let mut control = Control::new(data);
    match control.byte() % 3 {
        0 => fit_summary(&raw_summary(&mut control)),
        1 => fit_summary(&plausible_summary(&mut control)),
        _ => {
            let (book, options) = arbitrary_book(&mut control);
            if let Ok(analysis) = analyze(&book, &book.customer_orders(), &options) {
                let scores = &analysis.scores;
                let unsettled_warning = analysis
                    .warnings
                    .iter()
                    .any(|w| w.code == "series_not_converged");
                for i in 0..analysis.summary.len() {
                    let alive = scores.p_alive[i];
                    assert!((0.0..=1.0).contains(&alive), "P(alive) {alive}");
                    assert!((0.0..=1.0).contains(&scores.p_purchase_30d[i]));
                    let expected = scores.expected_purchases[i];
                    // A series that did not settle leaves NaN, no CLV, and says so in a warning.
                    assert!(
                        expected.is_finite()
                            || (expected.is_nan() && unsettled_warning && scores.clv[i].is_none()),
                        "expected purchases {expected}"
                    );
                    for value in [scores.expected_order_value[i], scores.clv[i]]
                        .into_iter()
                        .flatten()
                    {
                        assert!(value.is_finite(), "{value}");
                    }
                }
                let _ = analysis.csv(&book);
                let _ = analysis.report(&book);
            }
        }
    }
});
