//! CLV end to end on the CDNOW sample of the BG/NBD paper (Fader, Hardie & Lee 2005): the
//! published parameters, Hardie's spreadsheet value, agreement with the Python `lifetimes`
//! package, the holdout check, properties of the model, and parameter recovery on customers
//! simulated from the model.
//!
//! Data (tests/data/cdnow_*; see cdnow_source.md there): `cdnow_sample.txt`, the raw 1/10 sample
//! (6,919 transactions of 2,357 customers, 1997-01-01 to 1998-06-30), and
//! `cdnow_customers_summary_with_transactions.csv`, the published 39-week calibration summary
//! (ID, x, t_x, T in weeks rounded to 2 decimals, zbar = mean repeat transaction value), both as
//! shipped in `lifetimes` 0.11.3 (`lifetimes/datasets/`).

mod common;

use common::{date, day};
use customer_lens::book::{OrderBook, OrderKind};
use customer_lens::clv::choice::Criterion;
use customer_lens::clv::gamma_gamma::{self, GammaGammaParams};
use customer_lens::clv::model::ModelParameters;
use customer_lens::clv::summary::calibration_summary;
use customer_lens::clv::synthetic::{self, SyntheticSpec};
use customer_lens::clv::{
    ClvOptions, ClvSchedule, FitCache, MbgNbdParams, ModelKind, ModelRequest, ParetoNbdParams,
    Penalizer, PurchaseModel, analyze, analyze_with_cache, bgnbd, mbg_nbd, pareto_nbd,
};
use customer_lens::day::Day;
use customer_lens::ingest::{IngestOptions, read_csv};

/// Published figures are given to 3 decimals (BG/NBD) and 2 decimals (Gamma-Gamma).
const THREE_DECIMALS: f64 = 0.5e-3;
/// The iso-value paper prints v = 15.44 where the maximum is at 15.4477 (`lifetimes` finds the
/// same 15.4477): it truncated rather than rounded, so v is held to 0.01.
const TWO_DECIMALS: f64 = 0.01;
/// Agreement with `lifetimes` demanded by the acceptance criteria.
const LIFETIMES_RELATIVE: f64 = 1e-3;
/// Summary values in the published file are rounded to 2 decimals.
const ROUNDED_TO_CENTS: f64 = 0.005 + 1e-9;
/// Two computations of the same prediction that differ only in the optimiser's last digits.
const SAME_PREDICTION: f64 = 1e-6;

struct PublishedSummary {
    id: Vec<u32>,
    x: Vec<f64>,
    t_x: Vec<f64>,
    age: Vec<f64>,
    zbar: Vec<f64>,
}

fn published_summary() -> PublishedSummary {
    let text = include_str!("data/cdnow_customers_summary_with_transactions.csv");
    let mut summary = PublishedSummary {
        id: vec![],
        x: vec![],
        t_x: vec![],
        age: vec![],
        zbar: vec![],
    };
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let fields: Vec<f64> = line.split(',').map(|v| v.trim().parse().unwrap()).collect();
        summary.id.push(fields[0] as u32);
        summary.x.push(fields[1]);
        summary.t_x.push(fields[2]);
        summary.age.push(fields[3]);
        summary.zbar.push(fields[4]);
    }
    summary
}

/// The raw CDNOW transactions as a book, parsed here (columns: master id, customer id,
/// YYYYMMDD, CDs, dollars), independent of the CSV ingestion.
fn raw_cdnow_book() -> OrderBook {
    let text = include_str!("data/cdnow_sample.txt");
    let rows: Vec<(String, i32, f64)> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let date = f[2];
            let day = Day::from_ymd(
                date[..4].parse().unwrap(),
                date[4..6].parse().unwrap(),
                date[6..].parse().unwrap(),
            )
            .unwrap()
            .0;
            (
                f[1].trim_start_matches('0').to_string(),
                day,
                f[4].parse().unwrap(),
            )
        })
        .collect();
    OrderBook::from_orders(
        rows.iter()
            .map(|(id, day, value)| (Some(id.as_str()), *day, *value, OrderKind::Purchase)),
    )
}

fn relative_error(actual: f64, expected: f64) -> f64 {
    (actual - expected).abs() / expected.abs().max(1e-12)
}

fn cdnow_calibration() -> ClvOptions {
    ClvOptions {
        calibration_end: Some(date("1997-09-30")),
        ..ClvOptions::default()
    }
}

#[test]
fn published_parameters_from_the_published_summary() {
    let s = published_summary();
    assert_eq!(s.id.len(), 2357);
    let fit = bgnbd::fit(&s.x, &s.t_x, &s.age, None).unwrap();
    assert!(fit.converged);
    let published = [
        (fit.params.r, 0.243),
        (fit.params.alpha, 4.414),
        (fit.params.a, 0.793),
        (fit.params.b, 2.426),
    ];
    for (estimate, expected) in published {
        assert!(
            (estimate - expected).abs() <= THREE_DECIMALS,
            "{:?}",
            fit.params
        );
    }
    // The paper's log-likelihood, −9582.4 (times in weeks).
    assert!(
        (fit.log_likelihood - -9582.4).abs() < 0.05,
        "{}",
        fit.log_likelihood
    );

    let spend = gamma_gamma::fit(&s.x, &s.zbar, None).unwrap();
    assert!(spend.converged);
    assert_eq!(spend.customers, 946.0);
    let published = [
        (spend.params.p, 6.25),
        (spend.params.q, 3.74),
        (spend.params.v, 15.44),
    ];
    for (estimate, expected) in published {
        assert!(
            (estimate - expected).abs() <= TWO_DECIMALS,
            "{:?}",
            spend.params
        );
    }
}

#[test]
fn hardie_spreadsheet_conditional_expectation() {
    let s = published_summary();
    let fit = bgnbd::fit(&s.x, &s.t_x, &s.age, None).unwrap();
    let expected = fit
        .params
        .conditional_expected_purchases(39.0, 2.0, 30.43, 38.86);
    assert!((expected - 1.226).abs() < THREE_DECIMALS, "{expected}");
}

/// Reference values from `lifetimes` 0.11.3 (numpy 2.4, pandas 3.1), computed by fitting
/// `BetaGeoFitter` on the published summary (x, t_x, T) and `GammaGammaFitter` on its repeat
/// customers (x, zbar), then for each customer:
///   p_alive  = bgf.conditional_probability_alive(x, t_x, T)
///   e39      = bgf.conditional_expected_number_of_purchases_up_to_time(39, x, t_x, T)
///   e365     = the same with the model in days (α·7, t_x·7, T·7) and t = 365
///   eov      = ggf.conditional_expected_average_profit(x, zbar)
///   clv      = ggf.customer_lifetime_value(days model, x, 7·t_x, 7·T, zbar, time=12,
///              discount_rate=0.01, freq='D')
/// (id, x, t_x, T, zbar, p_alive, e39, e365, eov, clv)
type LifetimesRow = (u32, f64, f64, f64, f64, f64, f64, f64, f64, f64);
#[rustfmt::skip]
const LIFETIMES_REFERENCE: [LifetimesRow; 10] = [
    (1, 2.0, 30.43, 38.86, 22.35, 0.7266091368, 1.225910424, 1.562087049, 24.65861619, 35.87104283),
    (2, 1.0, 1.71, 38.86, 11.77, 0.2122273881, 0.2032506243, 0.2605067767, 18.91147987, 4.584042794),
    (3, 0.0, 0.0, 38.86, 0.0, 1.0, 0.1947808579, 0.2522734929, 35.17100215, 8.243626092),
    (18, 1.0, 4.86, 38.86, 9.99, 0.310915281, 0.2977642307, 0.3816450761, 17.67469738, 6.27647457),
    (70, 3.0, 29.29, 38.43, 42.63, 0.7193923261, 1.741852268, 2.210607899, 41.67742063, 85.84945753),
    (157, 29.0, 37.71, 38.0, 26.26, 0.969133594, 20.05366532, 25.1134227, 26.39294766, 618.8518218),
    (1205, 0.0, 0.0, 32.57, 0.0, 1.0, 0.2242055156, 0.2893257346, 35.17100215, 9.459331453),
    (1516, 26.0, 30.86, 31.0, 39.97, 0.968919716, 20.7505705, 25.81123713, 39.89027723, 962.3346269),
    (2049, 3.0, 15.0, 28.57, 43.7, 0.5002046304, 1.501739656, 1.888467672, 42.61077225, 75.08514381),
    (2357, 0.0, 0.0, 27.0, 0.0, 1.0, 0.2589775056, 0.3328469368, 35.17100215, 10.88861),
];
/// Totals over all 2,357 customers from the same `lifetimes` session: Σ CLV, Σ e365, Σ P(alive).
const LIFETIMES_TOTALS: (f64, f64, f64) =
    (70728.64291520571, 2093.9921140751053, 1917.2763169746688);
/// `lifetimes` standard errors (r, α, a, b) and (p, q, v).
const LIFETIMES_STANDARD_ERRORS: ([f64; 4], [f64; 3]) = (
    [
        0.012557320698193205,
        0.3782214570439278,
        0.18571907191209158,
        0.7053453435331307,
    ],
    [1.1896870480837103, 0.290165617449534, 4.1599939284259255],
);

#[test]
fn agrees_with_lifetimes_on_the_cdnow_summary() {
    let s = published_summary();
    let fit = bgnbd::fit(&s.x, &s.t_x, &s.age, None).unwrap();
    let spend = gamma_gamma::fit(&s.x, &s.zbar, None).unwrap();
    let model = fit.params;
    // Our unit is the week: CLV months are 30/7 weeks, the horizon 365/7.
    let schedule = ClvSchedule::new(7.0, 365.0, 0.01, 1.0);
    for (id, x, t_x, age, zbar, p_alive, e39, e365, eov, clv) in LIFETIMES_REFERENCE {
        let order_value = spend.params.expected_order_value(x, zbar);
        let ours = [
            ("P(alive)", model.p_alive(x, t_x, age), p_alive),
            (
                "E[39 weeks]",
                model.conditional_expected_purchases(39.0, x, t_x, age),
                e39,
            ),
            (
                "E[365 days]",
                model.conditional_expected_purchases(365.0 / 7.0, x, t_x, age),
                e365,
            ),
            ("order value", order_value, eov),
            (
                "CLV",
                schedule.customer_lifetime_value(&model.into(), order_value, x, t_x, age),
                clv,
            ),
        ];
        for (what, value, reference) in ours {
            assert!(
                relative_error(value, reference) < LIFETIMES_RELATIVE,
                "customer {id} {what}: {value} vs lifetimes {reference}"
            );
        }
    }
    let (mut total_clv, mut total_purchases, mut total_alive) = (0.0, 0.0, 0.0);
    for i in 0..s.x.len() {
        let (x, t_x, age) = (s.x[i], s.t_x[i], s.age[i]);
        let order_value = spend.params.expected_order_value(x, s.zbar[i]);
        total_clv += schedule.customer_lifetime_value(&model.into(), order_value, x, t_x, age);
        total_purchases += model.conditional_expected_purchases(365.0 / 7.0, x, t_x, age);
        total_alive += model.p_alive(x, t_x, age);
    }
    let (clv, purchases, alive) = LIFETIMES_TOTALS;
    assert!(
        relative_error(total_clv, clv) < LIFETIMES_RELATIVE,
        "Σ CLV {total_clv} vs {clv}"
    );
    assert!(relative_error(total_purchases, purchases) < LIFETIMES_RELATIVE);
    assert!(relative_error(total_alive, alive) < LIFETIMES_RELATIVE);

    let se = fit.standard_errors.unwrap();
    for (ours, reference) in [se.r, se.alpha, se.a, se.b]
        .into_iter()
        .zip(LIFETIMES_STANDARD_ERRORS.0)
    {
        assert!(
            relative_error(ours, reference) < LIFETIMES_RELATIVE,
            "BG/NBD SE {se:?}"
        );
    }
    let se = spend.standard_errors.unwrap();
    for (ours, reference) in [se.p, se.q, se.v]
        .into_iter()
        .zip(LIFETIMES_STANDARD_ERRORS.1)
    {
        assert!(
            relative_error(ours, reference) < LIFETIMES_RELATIVE,
            "Gamma-Gamma SE {se:?}"
        );
    }
}

/// Agreement with the 60-digit mpmath reference demanded of expected purchases: the series lose
/// at most a few digits to rounding, never more (the Euler series gave 10,569.6 for 1.96 here).
const HIGH_PRECISION_RELATIVE: f64 = 1e-10;

/// BG/NBD conditional expected purchases against `tests/data/bgnbd_expected_purchases.csv`,
/// computed with mpmath at 60 digits by `scripts/bgnbd_reference.py`: the CDNOW fit, fits run to
/// the Poisson limit (r up to 10⁶ ≫ a + b), a at and near 1, a + b < 1, a and b in the
/// millions, tiny r, and 160 random models and histories.
#[test]
fn expected_purchases_match_the_high_precision_reference() {
    let text = include_str!("data/bgnbd_expected_purchases.csv");
    let mut rows = 0;
    let mut worst = (0.0, String::new());
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let v: Vec<f64> = line.split(',').map(|f| f.parse().unwrap()).collect();
        let model = bgnbd::BgNbdParams {
            r: v[0],
            alpha: v[1],
            a: v[2],
            b: v[3],
        };
        let (x, t_x, age, t, reference) = (v[4], v[5], v[6], v[7], v[8]);
        let ours = model.conditional_expected_purchases(t, x, t_x, age);
        let error = relative_error(ours, reference);
        assert!(
            error <= HIGH_PRECISION_RELATIVE,
            "{line}: got {ours} (relative error {error:.2e})"
        );
        if error > worst.0 {
            worst = (error, line.to_string());
        }
        rows += 1;
    }
    assert!(rows >= 300, "{rows} reference rows");
    println!("worst relative error {:.2e} at {}", worst.0, worst.1);
}

#[test]
fn raw_transactions_reproduce_the_published_summary() {
    let book = raw_cdnow_book();
    let end = day("1997-09-30");
    let summary = calibration_summary(&book, &book.customer_orders(), end, 7.0);
    let published = published_summary();
    assert_eq!(summary.len(), published.id.len());
    for i in 0..summary.len() {
        let id: u32 = book.customer_ids[summary.customer[i] as usize]
            .parse()
            .unwrap();
        let row = published.id.iter().position(|&p| p == id).unwrap();
        assert_eq!(
            summary.frequency[i] as f64, published.x[row],
            "customer {id}"
        );
        assert!(
            (summary.recency(i) - published.t_x[row]).abs() <= ROUNDED_TO_CENTS,
            "customer {id} t_x"
        );
        assert!(
            (summary.age(i) - published.age[row]).abs() <= ROUNDED_TO_CENTS,
            "customer {id} T"
        );
        assert!(
            (summary.monetary_mean[i] - published.zbar[row]).abs() <= ROUNDED_TO_CENTS,
            "customer {id} zbar"
        );
    }
}

/// The acceptance path: bytes → `read_csv` with the `cdnow` preset → CLV analysis.
#[test]
fn fitted_from_the_raw_file_through_csv_ingestion() {
    let book = read_csv(
        include_bytes!("data/cdnow_sample.txt"),
        &IngestOptions::preset("cdnow"),
    )
    .unwrap();
    let analysis = analyze(&book, &book.customer_orders(), &cdnow_calibration()).unwrap();
    check_raw_cdnow_analysis(&analysis);
}

#[test]
fn fitted_from_the_raw_transactions() {
    let book = raw_cdnow_book();
    let analysis = analyze(&book, &book.customer_orders(), &cdnow_calibration()).unwrap();
    check_raw_cdnow_analysis(&analysis);
    // Customer 1 of the paper: the same CLV as the model gives on its (unrounded) summary.
    let row = (0..analysis.summary.len())
        .find(|&i| book.customer_ids[analysis.summary.customer[i] as usize] == *"1")
        .unwrap();
    let model = analysis.fits.bgnbd.as_ref().unwrap().params;
    let (t_x, age) = (analysis.summary.recency(row), analysis.summary.age(row));
    assert!((model.conditional_expected_purchases(39.0, 2.0, t_x, age) - 1.226).abs() < 2e-3);
    let spend = analysis.gamma_gamma.as_ref().unwrap().params;
    let order_value = spend.expected_order_value(2.0, analysis.summary.monetary_mean[row]);
    let clv = analysis
        .schedule
        .customer_lifetime_value(&model.into(), order_value, 2.0, t_x, age);
    assert!(relative_error(analysis.scores.clv[row].unwrap(), clv) < SAME_PREDICTION);
    assert!(relative_error(analysis.scores.clv[row].unwrap(), 35.87104283) < 1e-2);
}

fn check_raw_cdnow_analysis(analysis: &customer_lens::clv::ClvAnalysis) {
    assert_eq!(analysis.summary.len(), 2357);
    let p = analysis.fits.bgnbd.as_ref().unwrap().params;
    for (estimate, expected) in [(p.r, 0.243), (p.alpha, 4.414), (p.a, 0.793), (p.b, 2.426)] {
        assert!((estimate - expected).abs() <= THREE_DECIMALS, "{p:?}");
    }
    let spend = analysis.gamma_gamma.as_ref().unwrap();
    for (estimate, expected) in [
        (spend.params.p, 6.25),
        (spend.params.q, 3.74),
        (spend.params.v, 15.44),
    ] {
        assert!(
            (estimate - expected).abs() <= TWO_DECIMALS,
            "{:?}",
            spend.params
        );
    }
    assert!(analysis.warnings.is_empty(), "{:?}", analysis.warnings);
}

/// Holdout reference from `lifetimes`: `calibration_and_holdout_data(transactions, freq='D',
/// calibration_period_end='1997-09-30', observation_period_end='1998-06-30')`, a BG/NBD fit on
/// (frequency_cal, recency_cal/7, T_cal/7), predictions over duration_holdout/7 = 39 weeks.
/// Columns: (calibration frequency bucket, customers, actual purchases, predicted purchases).
#[rustfmt::skip]
const LIFETIMES_HOLDOUT: [(usize, usize, f64, f64); 8] = [
    (0, 1411, 334.0, 317.5982337),
    (1, 439, 306.0, 229.6545659),
    (2, 214, 298.0, 223.4446975),
    (3, 100, 156.0, 152.0279529),
    (4, 62, 157.0, 134.159683),
    (5, 38, 112.0, 100.8461473),
    (6, 29, 112.0, 101.6172313),
    (7, 64, 407.0, 394.0602126),
];

#[test]
fn holdout_check_matches_lifetimes() {
    let book = raw_cdnow_book();
    let options = ClvOptions {
        holdout_end: Some(date("1998-06-30")),
        ..cdnow_calibration()
    };
    let analysis = analyze(&book, &book.customer_orders(), &options).unwrap();
    let holdout = analysis.holdout.as_ref().unwrap();
    assert_eq!(
        (holdout.start.as_str(), holdout.end.as_str(), holdout.days),
        ("1997-10-01", "1998-06-30", 273)
    );
    assert_eq!(holdout.actual, 1882.0);
    assert!(
        relative_error(holdout.predicted, 1653.4087241798866) < LIFETIMES_RELATIVE,
        "{}",
        holdout.predicted
    );
    for ((bucket, customers, actual, predicted), ours) in
        LIFETIMES_HOLDOUT.into_iter().zip(&holdout.by_frequency)
    {
        assert_eq!(
            (ours.customers, ours.actual),
            (customers, actual),
            "bucket {bucket}"
        );
        assert!(
            relative_error(ours.predicted, predicted) < LIFETIMES_RELATIVE,
            "bucket {bucket}: {}",
            ours.predicted
        );
    }
}

#[test]
fn report_and_csv_of_the_cdnow_analysis() {
    let book = raw_cdnow_book();
    let analysis = analyze(&book, &book.customer_orders(), &cdnow_calibration()).unwrap();
    let report = analysis.report(&book);
    assert_eq!(
        (
            report.calibration_end.as_str(),
            report.months,
            report.customers.customers
        ),
        ("1997-09-30", 12, 2357)
    );
    assert_eq!(report.customers.repeat_buyers, 946);
    assert_eq!(report.distribution.counts.iter().sum::<usize>(), 2357);
    assert!(
        report
            .p_alive_matrix
            .values
            .iter()
            .flatten()
            .all(|p| (0.0..=1.0).contains(p))
    );
    for list in [
        &report.top.likely_to_buy,
        &report.top.high_value_at_risk,
        &report.top.top_clv,
    ] {
        assert_eq!(list.len(), 20);
    }
    assert!(report.top.top_clv.windows(2).all(|w| w[0].clv >= w[1].clv));
    assert!(
        report
            .top
            .high_value_at_risk
            .iter()
            .all(|c| c.p_alive < 0.5 && c.frequency > 0)
    );
    let total_clv = report.customers.total_clv.unwrap();
    assert!(relative_error(total_clv, analysis.scores.clv.iter().flatten().sum()) < 1e-12);

    let csv = analysis.csv(&book);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "customer_id,frequency,recency,T,monetary_mean,p_alive,expected_purchases,expected_order_value,clv,p_purchase_30d,next_order_date"
        )
    );
    assert_eq!(lines.clone().count(), 2357);
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    // m̄ = (29.73 + 14.96) / 2 = 22.345: 2234.5 cents after scaling, rounded half up.
    assert_eq!(&first[..5], ["1", "2", "30.4286", "38.8571", "22.35"]);
    // Columns parse back to the analysis' figures.
    let clv: f64 = first[8].parse().unwrap();
    assert!((clv - analysis.scores.clv[0].unwrap()).abs() < 0.005);
}

#[test]
fn degenerate_books_are_explained() {
    let day = Day::from_ymd(2024, 1, 1).unwrap().0;
    let one_day = OrderBook::from_orders((0..5).map(|i| {
        (
            Some(["a", "b", "c", "d", "e"][i]),
            day,
            10.0,
            OrderKind::Purchase,
        )
    }));
    let error = analyze(&one_day, &one_day.customer_orders(), &ClvOptions::default()).unwrap_err();
    assert!(error.to_string().contains("2024-01-01"), "{error}");
    let book = raw_cdnow_book();
    let outside = ClvOptions {
        calibration_end: Some(Day(common::day("1996-12-31"))),
        ..ClvOptions::default()
    };
    let error = analyze(&book, &book.customer_orders(), &outside)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("1997-01-01") && error.contains("1998-06-30"),
        "{error}"
    );
}

// ---- properties -------------------------------------------------------------------------------

#[test]
fn p_alive_is_a_probability_everywhere() {
    let s = published_summary();
    let model = bgnbd::fit(&s.x, &s.t_x, &s.age, None).unwrap().params;
    let mut random = synthetic::Random::new(5);
    for _ in 0..20_000 {
        let age = 10f64.powf(random.uniform() * 8.0 - 3.0);
        let x = (random.uniform() * 1e4).floor() * (random.uniform() < 0.5) as u8 as f64;
        let t_x = if x == 0.0 {
            0.0
        } else {
            age * random.uniform()
        };
        for params in [
            model,
            bgnbd::BgNbdParams {
                a: 50.0,
                b: 1e-3,
                ..model
            },
            bgnbd::BgNbdParams {
                r: 30.0,
                alpha: 1e-3,
                ..model
            },
        ] {
            let p = params.p_alive(x, t_x, age);
            assert!(
                (0.0..=1.0).contains(&p),
                "P(alive) = {p} at x={x} t_x={t_x} T={age} {params:?}"
            );
            let soon = params.p_purchase_within(30.0 / 7.0, x, t_x, age);
            assert!((0.0..=p).contains(&soon), "P(buy soon) = {soon}");
        }
    }
}

#[test]
fn rescaling_time_leaves_predictions_unchanged() {
    let s = published_summary();
    let weekly = bgnbd::fit(&s.x, &s.t_x, &s.age, None).unwrap();
    for scale in [7.0, 1.0 / 52.0, 1e4] {
        let scaled = |v: &[f64]| v.iter().map(|t| t * scale).collect::<Vec<f64>>();
        let fit = bgnbd::fit(&s.x, &scaled(&s.t_x), &scaled(&s.age), None).unwrap();
        assert!(
            relative_error(fit.params.alpha, weekly.params.alpha * scale) < SAME_PREDICTION,
            "{scale}: {:?}",
            fit.params
        );
        let total_repeat: f64 = s.x.iter().sum();
        assert!(
            (fit.log_likelihood - (weekly.log_likelihood - total_repeat * scale.ln())).abs() < 1e-6
        );
        for i in (0..s.x.len()).step_by(37) {
            let (x, t_x, age) = (s.x[i], s.t_x[i], s.age[i]);
            let before = weekly
                .params
                .conditional_expected_purchases(39.0, x, t_x, age);
            let after = fit.params.conditional_expected_purchases(
                39.0 * scale,
                x,
                t_x * scale,
                age * scale,
            );
            assert!(
                relative_error(after, before) < SAME_PREDICTION,
                "customer {i} at scale {scale}"
            );
            let (p, q) = (
                weekly.params.p_alive(x, t_x, age),
                fit.params.p_alive(x, t_x * scale, age * scale),
            );
            assert!((p - q).abs() < SAME_PREDICTION);
        }
    }
    // Through the whole analysis: days or weeks as the period give the same customer figures.
    let book = raw_cdnow_book();
    let by_week = analyze(&book, &book.customer_orders(), &cdnow_calibration()).unwrap();
    let by_day = analyze(
        &book,
        &book.customer_orders(),
        &ClvOptions {
            period_days: 1.0,
            ..cdnow_calibration()
        },
    )
    .unwrap();
    assert!(
        relative_error(
            by_day.fits.bgnbd.as_ref().unwrap().params.alpha,
            7.0 * by_week.fits.bgnbd.as_ref().unwrap().params.alpha
        ) < SAME_PREDICTION
    );
    for i in 0..by_week.summary.len() {
        let pairs = [
            (by_week.scores.p_alive[i], by_day.scores.p_alive[i]),
            (
                by_week.scores.expected_purchases[i],
                by_day.scores.expected_purchases[i],
            ),
            (
                by_week.scores.clv[i].unwrap(),
                by_day.scores.clv[i].unwrap(),
            ),
            (
                by_week.scores.p_purchase_30d[i],
                by_day.scores.p_purchase_30d[i],
            ),
        ];
        for (week, day) in pairs {
            assert!(
                (week - day).abs() <= SAME_PREDICTION * week.abs().max(1.0),
                "customer row {i}: {week} vs {day}"
            );
        }
        assert_eq!(
            by_week.scores.next_order_day[i],
            by_day.scores.next_order_day[i]
        );
    }
}

#[test]
fn per_customer_log_likelihoods_sum_to_the_total() {
    let s = published_summary();
    let fit = bgnbd::fit(&s.x, &s.t_x, &s.age, None).unwrap();
    let sum: f64 = (0..s.x.len())
        .map(|i| fit.params.log_likelihood(s.x[i], s.t_x[i], s.age[i]))
        .sum();
    assert!(
        (sum - fit.log_likelihood).abs() < 1e-8 * sum.abs(),
        "{sum} vs {}",
        fit.log_likelihood
    );
    // Weights: the same total from distinct patterns with counts.
    let mut patterns: Vec<((u64, u64, u64), f64)> = Vec::new();
    for i in 0..s.x.len() {
        let key = (s.x[i].to_bits(), s.t_x[i].to_bits(), s.age[i].to_bits());
        match patterns.iter_mut().find(|(k, _)| *k == key) {
            Some((_, count)) => *count += 1.0,
            None => patterns.push((key, 1.0)),
        }
    }
    let column = |f: fn(&(u64, u64, u64)) -> u64| {
        patterns
            .iter()
            .map(|(k, _)| f64::from_bits(f(k)))
            .collect::<Vec<f64>>()
    };
    let weights: Vec<f64> = patterns.iter().map(|(_, w)| *w).collect();
    let grouped = bgnbd::fit(
        &column(|k| k.0),
        &column(|k| k.1),
        &column(|k| k.2),
        Some(&weights),
    )
    .unwrap();
    assert!(patterns.len() < s.x.len());
    assert!((grouped.log_likelihood - fit.log_likelihood).abs() < 1e-6);
    assert!(relative_error(grouped.params.r, fit.params.r) < SAME_PREDICTION);
    let spend = gamma_gamma::fit(&s.x, &s.zbar, None).unwrap();
    let spend_sum: f64 = (0..s.x.len())
        .filter(|&i| s.x[i] > 0.0)
        .map(|i| spend.params.log_likelihood(s.x[i], s.zbar[i]))
        .sum();
    assert!((spend_sum - spend.log_likelihood).abs() < 1e-8 * spend_sum.abs());
}

// ---- synthetic customers ----------------------------------------------------------------------

/// Fits both models to a continuous-time summary simulated from known parameters and checks that
/// every estimate is within `sigmas` standard errors of the truth.
fn check_recovery(customers: usize, seed: u64, sigmas: f64) {
    let spec = SyntheticSpec::cdnow_like(customers, seed);
    let simulated = synthetic::generate(&spec);
    let summary = synthetic::continuous_summary(&simulated, spec.period_days, 39.0);
    let fit = bgnbd::fit(&summary.frequency, &summary.recency, &summary.age, None).unwrap();
    let se = fit.standard_errors.unwrap();
    let truth = spec.bgnbd;
    let checks = [
        ("r", fit.params.r, truth.r, se.r),
        ("alpha", fit.params.alpha, truth.alpha, se.alpha),
        ("a", fit.params.a, truth.a, se.a),
        ("b", fit.params.b, truth.b, se.b),
    ];
    for (name, estimate, true_value, standard_error) in checks {
        assert!(
            (estimate - true_value).abs() < sigmas * standard_error,
            "{name}: {estimate} ± {standard_error}, truth {true_value}"
        );
    }
    let spend = gamma_gamma::fit(&summary.frequency, &summary.monetary_mean, None).unwrap();
    let se = spend.standard_errors.unwrap();
    let GammaGammaParams { p, q, v } = spec.gamma_gamma;
    for (name, estimate, true_value, standard_error) in [
        ("p", spend.params.p, p, se.p),
        ("q", spend.params.q, q, se.q),
        ("v", spend.params.v, v, se.v),
    ] {
        assert!(
            (estimate - true_value).abs() < sigmas * standard_error,
            "{name}: {estimate} ± {standard_error}, truth {true_value}"
        );
    }
}

/// Three standard errors: a correct fit fails this for one parameter in ~100 (the seed is fixed).
const RECOVERY_SIGMAS: f64 = 3.0;

#[test]
fn recovers_parameters_of_simulated_customers() {
    check_recovery(20_000, 1, RECOVERY_SIGMAS);
}

/// The acceptance-size run (100 k customers); `cargo test --release --test clv -- --ignored`.
#[test]
#[ignore]
fn recovers_parameters_of_100k_simulated_customers() {
    check_recovery(100_000, 2, RECOVERY_SIGMAS);
}

/// Prints native timings of the full analysis on 100 k simulated customers (a benchmark, not a
/// check): `cargo test --release --test clv -- --ignored --nocapture clv_timing`.
#[test]
#[ignore]
fn clv_timing_on_100k_simulated_customers() {
    let spec = SyntheticSpec {
        acquisition_days: 365,
        end_day: SyntheticSpec::cdnow_like(0, 0).first_day + 2 * 365,
        ..SyntheticSpec::cdnow_like(100_000, 3)
    };
    let book = synthetic::order_book(&spec);
    let orders = book.customer_orders();
    let options = ClvOptions::default();
    let mut times = Vec::new();
    let mut analysis = None;
    for _ in 0..5 {
        let start = std::time::Instant::now();
        analysis = Some(analyze(&book, &orders, &options).unwrap());
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let analysis = analysis.unwrap();
    println!(
        "CLV analysis of {} customers ({} orders, {} patterns): median {:.1} ms; fit {:?}",
        analysis.summary.len(),
        book.order_count(),
        analysis.fits.bgnbd.as_ref().unwrap().patterns,
        times[2],
        analysis.fits.bgnbd.as_ref().unwrap().params
    );
}

// ---- MBG/NBD and Pareto/NBD -------------------------------------------------------------------

/// Pareto/NBD on the 39-week CDNOW calibration, as published by Fader, Hardie & Lee (2005, "A
/// note on deriving the Pareto/NBD model"; `lifetimes`' ParetoNBDFitter finds the same):
/// r 0.553, α 10.578, s 0.606, β 11.669, held to 3 significant figures.
#[test]
fn pareto_nbd_reproduces_the_published_cdnow_estimates() {
    let s = published_summary();
    let fit = pareto_nbd::fit(&s.x, &s.t_x, &s.age, None).unwrap();
    let p = fit.params;
    for (name, ours, published) in [
        ("r", p.r, 0.553),
        ("alpha", p.alpha, 10.578),
        ("s", p.s, 0.606),
        ("beta", p.beta, 11.669),
    ] {
        assert!(
            format!("{:.3}", ours) == format!("{published:.3}")
                || relative_error(ours, published) < 0.5e-3,
            "{name}: {ours} vs published {published} ({fit:?})"
        );
    }
    assert!(fit.converged && fit.standard_errors.is_some(), "{fit:?}");
    let mbg = mbg_nbd::fit(&s.x, &s.t_x, &s.age, None).unwrap();
    println!("Pareto/NBD {fit:?}\nMBG/NBD {mbg:?}");
    // The log-likelihood in weeks, as the note's spreadsheet reports it: −9,595.0.
    assert!(
        (fit.log_likelihood + 9595.0).abs() < 0.5,
        "{}",
        fit.log_likelihood
    );
}

/// Parameters of `lifetimes` 0.11.3 on the CDNOW summary and its P(alive) and 39-week expected
/// purchases of every 10th customer at those parameters (`tests/data/models_lifetimes_cdnow.csv`,
/// made by `scripts/models_reference.py lifetimes`).
#[test]
fn mbg_nbd_and_pareto_nbd_agree_with_lifetimes() {
    let s = published_summary();
    let text = include_str!("data/models_lifetimes_cdnow.csv");
    let mut compared = [0, 0];
    let mut reference_model: Option<PurchaseModel> = None;
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let number = |i: usize| fields[i].parse::<f64>().unwrap();
        let kind = fields[0];
        if fields[1] == "params" {
            let values = [number(2), number(3), number(4), number(5)];
            let ours = match kind {
                "mbgNbd" => {
                    PurchaseModel::from(mbg_nbd::fit(&s.x, &s.t_x, &s.age, None).unwrap().params)
                }
                _ => {
                    PurchaseModel::from(pareto_nbd::fit(&s.x, &s.t_x, &s.age, None).unwrap().params)
                }
            };
            for (i, (ours, theirs)) in ours.values().iter().zip(values).enumerate() {
                // lifetimes stops its optimiser earlier than we do (its two runs on the same data
                // differ in the 4th digit), so parameters are held to 1e-3 relative.
                assert!(
                    relative_error(*ours, theirs) < LIFETIMES_RELATIVE,
                    "{kind} parameter {i}: {ours} vs lifetimes {theirs}"
                );
            }
            reference_model = Some(ours.with_values(&values));
            continue;
        }
        let model = reference_model.unwrap();
        let (x, t_x, age, p_alive, expected) =
            (number(2), number(3), number(4), number(5), number(6));
        let ours_alive = model.p_alive(x, t_x, age);
        let ours_expected = model.conditional_expected_purchases(39.0, x, t_x, age);
        assert!(
            relative_error(ours_alive, p_alive) < LIFETIMES_RELATIVE,
            "{line}: P(alive) {ours_alive}"
        );
        assert!(
            relative_error(ours_expected, expected) < LIFETIMES_RELATIVE,
            "{line}: expected {ours_expected}"
        );
        compared[usize::from(kind == "paretoNbd")] += 1;
    }
    assert_eq!(compared, [236, 236]);
}

/// Log-likelihood, P(alive) and conditional expected purchases of both models against
/// `tests/data/models_reference.csv`: the papers' formulas evaluated with mpmath at 50 digits by
/// `scripts/models_reference.py mpmath` (the Pareto/NBD integral by quadrature, not the ₂F₁ the
/// code uses), over the CDNOW fits, histories of hundreds of purchases and random models.
#[test]
fn mbg_nbd_and_pareto_nbd_match_the_high_precision_reference() {
    let text = include_str!("data/models_reference.csv");
    let mut rows = 0;
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let v: Vec<f64> = fields[1..].iter().map(|f| f.parse().unwrap()).collect();
        let model = match fields[0] {
            "mbgNbd" => PurchaseModel::from(MbgNbdParams::from_values(&v[..4])),
            _ => PurchaseModel::from(ParetoNbdParams::from_values(&v[..4])),
        };
        let (x, t_x, age, t) = (v[4], v[5], v[6], v[7]);
        let checks = [
            ("ln L", model.log_likelihood(x, t_x, age), v[8]),
            ("P(alive)", model.p_alive(x, t_x, age), v[9]),
            (
                "E",
                model.conditional_expected_purchases(t, x, t_x, age),
                v[10],
            ),
        ];
        for (what, ours, reference) in checks {
            // P(alive) below 10⁻³⁰⁰ is 0 in doubles.
            let tolerance =
                HIGH_PRECISION_RELATIVE.max(if reference.abs() < 1e-290 { 1.0 } else { 0.0 });
            assert!(
                relative_error(ours, reference) <= tolerance,
                "{line}: {what} {ours} vs {reference}"
            );
        }
        rows += 1;
    }
    assert!(rows >= 150, "{rows} rows");
}

#[test]
fn auto_chooses_by_likelihood_without_a_holdout_and_by_the_holdout_with_one() {
    let book = raw_cdnow_book();
    let orders = book.customer_orders();
    let auto = ClvOptions {
        model: ModelRequest::Auto,
        ..cdnow_calibration()
    };
    let by_likelihood = analyze(&book, &orders, &auto).unwrap();
    let choice = by_likelihood.choice.as_ref().unwrap();
    assert_eq!(choice.criterion, Criterion::LogLikelihood);
    assert_eq!(choice.candidates.len(), 3);
    let best = choice
        .candidates
        .iter()
        .max_by(|a, b| {
            a.log_likelihood
                .unwrap()
                .total_cmp(&b.log_likelihood.unwrap())
        })
        .unwrap();
    assert_eq!(best.model, choice.chosen);
    assert_eq!(by_likelihood.model.kind(), choice.chosen);
    assert!(
        choice.reason.message.starts_with(choice.chosen.name()),
        "{}",
        choice.reason
    );
    assert_eq!(choice.reason.code, "model_chosen_by_likelihood");
    assert_eq!(choice.reason.param("model"), Some(choice.chosen.name()));
    let fits = &by_likelihood.fits;
    assert!(fits.bgnbd.is_some() && fits.mbg_nbd.is_some() && fits.pareto_nbd.is_some());

    let with_holdout = ClvOptions {
        holdout_end: Some(date("1998-06-30")),
        ..auto
    };
    let by_holdout = analyze(&book, &orders, &with_holdout).unwrap();
    let choice = by_holdout.choice.as_ref().unwrap();
    assert_eq!(choice.criterion, Criterion::Holdout);
    let errors: Vec<f64> = choice
        .candidates
        .iter()
        .map(|c| c.holdout_error.unwrap())
        .collect();
    assert_eq!(choice.candidates[0].model, choice.chosen);
    assert!(errors.iter().all(|&e| e >= errors[0]), "{errors:?}");
    // The holdout check shown is the chosen model's, and its mean error is the one ranked.
    let check = by_holdout.holdout.as_ref().unwrap();
    let groups: Vec<f64> = check
        .by_frequency
        .iter()
        .filter(|b| b.customers > 0)
        .map(|b| (b.predicted_mean - b.actual_mean).abs())
        .collect();
    let mean = groups.iter().sum::<f64>() / groups.len() as f64;
    assert!((mean - errors[0]).abs() < 1e-12, "{mean} vs {}", errors[0]);
    println!("{}", choice.reason);
}

#[test]
fn every_model_scores_customers_with_the_same_outputs() {
    let book = raw_cdnow_book();
    let orders = book.customer_orders();
    for kind in ModelKind::ALL {
        let options = ClvOptions {
            model: ModelRequest::Fixed(kind),
            ..cdnow_calibration()
        };
        let analysis = analyze(&book, &orders, &options).unwrap();
        assert_eq!(analysis.model.kind(), kind);
        let scores = &analysis.scores;
        let one_time_alive: Vec<f64> = (0..analysis.summary.len())
            .filter(|&i| analysis.summary.frequency[i] == 0)
            .map(|i| scores.p_alive[i])
            .collect();
        // BG/NBD keeps every one-time buyer alive; the other two do not.
        let all_alive = one_time_alive.iter().all(|&p| p == 1.0);
        assert_eq!(all_alive, kind == ModelKind::BgNbd, "{kind:?}");
        for i in 0..analysis.summary.len() {
            let (x, t_x, age) = (
                analysis.summary.frequency[i] as f64,
                analysis.summary.recency(i),
                analysis.summary.age(i),
            );
            let expected = analysis
                .model
                .conditional_expected_purchases(365.0 / 7.0, x, t_x, age);
            assert!(
                (scores.expected_purchases[i] - expected).abs() <= 1e-12 * expected.max(1e-300)
            );
            assert!((0.0..=1.0).contains(&scores.p_purchase_30d[i]));
            if let Some(day) = scores.next_order_day[i] {
                let days = (day - analysis.summary.calibration_end) as f64;
                let p = analysis.model.p_purchase_within(days / 7.0, x, t_x, age);
                let before = analysis
                    .model
                    .p_purchase_within((days - 1.0) / 7.0, x, t_x, age);
                assert!(
                    p >= 0.5 - 1e-7 && before < 0.5 + 1e-7,
                    "{kind:?} row {i}: {before} {p}"
                );
            }
        }
        let csv = analysis.csv(&book);
        assert!(csv.starts_with("customer_id,frequency,recency,T,monetary_mean,p_alive,"));
        assert_eq!(csv.lines().count(), analysis.summary.len() + 1);
    }
}

/// The delta-method interval of the store's expected purchases against the spread of the same
/// total over parameter vectors drawn from the estimate's sampling distribution (normal in the
/// log-parameters, with the Hessian's covariance): the 5th to 95th percentile of 400 draws.
#[test]
fn total_intervals_match_the_spread_of_the_total_over_parameter_draws() {
    let book = raw_cdnow_book();
    let orders = book.customer_orders();
    let options = ClvOptions {
        intervals: true,
        ..cdnow_calibration()
    };
    let analysis = analyze(&book, &orders, &options).unwrap();
    let intervals = analysis.intervals.as_ref().unwrap();
    assert_eq!(intervals.method, "deltaMethod");
    let store = &intervals.store;
    let total: f64 = analysis.scores.expected_purchases.iter().sum();
    assert!((store.expected_purchases.estimate - total).abs() < 1e-9 * total);
    let clv = store.clv.unwrap();
    assert!(
        clv.lower < clv.estimate && clv.estimate < clv.upper,
        "{clv:?}"
    );
    // The segments add up to the store.
    let by_segment: f64 = intervals
        .segments
        .iter()
        .map(|s| s.expected_purchases.estimate)
        .sum();
    assert!((by_segment - total).abs() < 1e-9 * total);
    assert_eq!(
        intervals
            .segments
            .iter()
            .map(|s| s.customers)
            .sum::<usize>(),
        analysis.summary.len()
    );

    let fit = analysis.fits.bgnbd.as_ref().unwrap();
    let covariance = fit.log_covariance.as_ref().unwrap();
    // Cholesky factor of the 4 × 4 covariance.
    let mut lower = [[0.0f64; 4]; 4];
    for i in 0..4 {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|k| lower[i][k] * lower[j][k]).sum();
            lower[i][j] = if i == j {
                (covariance[i * 4 + i] - sum).sqrt()
            } else {
                (covariance[i * 4 + j] - sum) / lower[j][j]
            };
        }
    }
    let mut random = synthetic::Random::new(18);
    let horizon = 365.0 / 7.0;
    let values = analysis.model.values();
    let mut totals: Vec<f64> = (0..400)
        .map(|_| {
            let normals: Vec<f64> = (0..4).map(|_| random.normal()).collect();
            let drawn: Vec<f64> = (0..4)
                .map(|i| values[i] * (0..=i).map(|k| lower[i][k] * normals[k]).sum::<f64>().exp())
                .collect();
            let model = analysis.model.with_values(&drawn);
            (0..analysis.summary.len())
                .map(|i| {
                    let s = &analysis.summary;
                    model.conditional_expected_purchases(
                        horizon,
                        s.frequency[i] as f64,
                        s.recency(i),
                        s.age(i),
                    )
                })
                .sum()
        })
        .collect();
    totals.sort_by(f64::total_cmp);
    let (low, high) = (totals[20], totals[379]);
    let delta = store.expected_purchases;
    println!("delta {delta:?}; draws {low} .. {high}");
    assert!(
        relative_error(delta.upper - delta.lower, high - low) < 0.2,
        "delta {delta:?} vs draws {low} .. {high}"
    );
}

#[test]
fn fit_check_series_add_up_to_the_summary_and_the_holdout() {
    let book = raw_cdnow_book();
    let orders = book.customer_orders();
    let options = ClvOptions {
        holdout_end: Some(date("1998-06-30")),
        ..cdnow_calibration()
    };
    let analysis = analyze(&book, &orders, &options).unwrap();
    let check = &analysis.fit_check;
    let calibration: Vec<_> = check.tracking.iter().filter(|p| !p.holdout).collect();
    let holdout: f64 = check
        .tracking
        .iter()
        .filter(|p| p.holdout)
        .map(|p| p.actual)
        .sum();
    let repeat_purchases: f64 = analysis.summary.frequency.iter().map(|&x| x as f64).sum();
    assert_eq!(
        calibration.last().unwrap().cumulative_actual,
        repeat_purchases
    );
    assert_eq!(holdout, analysis.holdout.as_ref().unwrap().actual);
    // 546 days from 1997-01-01 to 1998-06-30 are 78 weeks, the calibration 39 of them.
    assert_eq!((check.tracking.len(), calibration.len()), (78, 39));
    // The fitted model reproduces the calibration total closely (FHL 2005, figure 2).
    let modelled = calibration.last().unwrap().cumulative_expected;
    assert!(
        relative_error(modelled, repeat_purchases) < 0.02,
        "{modelled} vs {repeat_purchases}"
    );
    let n = analysis.summary.len() as f64;
    let (actual, expected): (f64, f64) = check
        .frequencies
        .iter()
        .fold((0.0, 0.0), |(a, e), bar| (a + bar.actual, e + bar.expected));
    assert_eq!(actual, n);
    assert!((expected - n).abs() < 1e-6 * n);
    // One-time buyers: 1,411 of 2,357; the model expects about as many.
    assert_eq!(check.frequencies[0].actual, 1411.0);
    assert!(relative_error(check.frequencies[0].expected, 1411.0) < 0.05);
}

/// The bundled sample (www/public/samples): every model's plain fit says nobody leaves (P(alive)
/// 100% for all); the page's settings — the best of the three, penalised when degenerate — give
/// long-inactive one-time buyers less, and a warning says what the penalty changed.
#[test]
fn the_pages_choice_on_the_bundled_sample_is_not_degenerate() {
    let bytes = include_bytes!("../www/public/samples/online-retail-sample.csv");
    let book = read_csv(bytes, &IngestOptions::default()).unwrap();
    let orders = book.customer_orders();
    let plain = analyze(
        &book,
        &orders,
        &ClvOptions {
            model: ModelRequest::Auto,
            ..ClvOptions::default()
        },
    )
    .unwrap();
    assert!(
        plain.scores.p_alive.iter().all(|&p| p > 0.999_999),
        "plain fits keep everyone"
    );
    let page = analyze(
        &book,
        &orders,
        &ClvOptions {
            model: ModelRequest::Auto,
            penalizer: Penalizer::WhenDegenerate,
            ..ClvOptions::default()
        },
    )
    .unwrap();
    let s = &page.summary;
    let long_inactive_one_timers: Vec<f64> = (0..s.len())
        .filter(|&i| s.frequency[i] == 0 && s.calibration_end - s.first_purchase_day[i] > 180)
        .map(|i| page.scores.p_alive[i])
        .collect();
    assert!(!long_inactive_one_timers.is_empty());
    assert!(
        long_inactive_one_timers.iter().all(|&p| p < 0.99),
        "{long_inactive_one_timers:?}"
    );
    let warning = page
        .warnings
        .iter()
        .find(|w| w.code == "penalized_fit")
        .unwrap();
    assert!(
        warning.message.contains("penalizer 0.001"),
        "{}",
        warning.message
    );
    assert!(
        page.choice
            .as_ref()
            .unwrap()
            .reason
            .message
            .contains(page.model.kind().name())
    );
}

#[test]
fn the_fit_cache_refits_only_when_the_calibration_or_the_model_options_change() {
    let book = raw_cdnow_book();
    let orders = book.customer_orders();
    let mut cache = FitCache::default();
    let auto = ClvOptions {
        model: ModelRequest::Auto,
        ..cdnow_calibration()
    };
    let first = analyze_with_cache(&book, &orders, &auto, &mut cache).unwrap();
    assert_eq!(cache.fits_made(), 3);
    let same_as_uncached = |options: &ClvOptions, cache: &mut FitCache| {
        let cached = analyze_with_cache(&book, &orders, options, cache).unwrap();
        let fresh = analyze(&book, &orders, options).unwrap();
        assert_eq!(
            format!("{:?}", cached.report(&book)),
            format!("{:?}", fresh.report(&book))
        );
        cached
    };
    // The scoring options and the holdout: no new fit, and the result of a fresh analysis.
    let rescored = ClvOptions {
        horizon_days: 730.0,
        margin: 0.3,
        monthly_discount_rate: 0.02,
        holdout_end: Some(date("1998-06-30")),
        ..auto.clone()
    };
    let rescored = same_as_uncached(&rescored, &mut cache);
    assert_eq!(cache.fits_made(), 3);
    assert_ne!(rescored.scores.clv, first.scores.clv);
    // One of the three by hand: already fitted.
    let bgnbd = ClvOptions {
        model: ModelRequest::Fixed(ModelKind::BgNbd),
        ..auto.clone()
    };
    let bgnbd = same_as_uncached(&bgnbd, &mut cache);
    assert_eq!(cache.fits_made(), 3);
    assert!(bgnbd.fits.mbg_nbd.is_none() && bgnbd.choice.is_none());
    // Another calibration end, period or penalizer: fitted anew.
    let later = ClvOptions {
        calibration_end: Some(date("1997-12-31")),
        ..auto.clone()
    };
    same_as_uncached(&later, &mut cache);
    assert_eq!(cache.fits_made(), 6);
    let penalised = ClvOptions {
        model: ModelRequest::Fixed(ModelKind::ParetoNbd),
        penalizer: Penalizer::Fixed(0.01),
        ..auto.clone()
    };
    same_as_uncached(&penalised, &mut cache);
    assert_eq!(cache.fits_made(), 7);
    let by_day = ClvOptions {
        period_days: 1.0,
        model: ModelRequest::Fixed(ModelKind::BgNbd),
        ..auto
    };
    same_as_uncached(&by_day, &mut cache);
    assert_eq!(cache.fits_made(), 8);
}
