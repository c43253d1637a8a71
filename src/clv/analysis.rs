//! The CLV analysis of an order book: calibration summary → BG/NBD and Gamma-Gamma fits →
//! per-customer P(alive), expected purchases, expected order value, CLV, 30-day purchase
//! probability and likely next-order date → optional holdout check.

use crate::book::{CustomerOrders, OrderBook};
use crate::day::Day;

use super::bgnbd::BgNbdFit;
use super::cache::{FitCache, FitKey};
use super::choice::{self, ModelChoice};
use super::fit_check::{self, FitCheck};
use super::gamma_gamma::{self, GammaGammaFit, GammaGammaParams};
use super::histories::Histories;
use super::holdout::{self, HoldoutCheck};
use super::intervals::{self, TotalIntervals};
use super::mbg_nbd::MbgNbdFit;
use super::model::{self, ModelKind, ModelParameters, PurchaseFit, PurchaseModel};
use super::pareto_nbd::ParetoNbdFit;
use super::summary::{CalibrationSummary, calibration_summary, purchase_day_range};
use super::{ClvError, ClvWarning};
use crate::message::{Code, Expected, Message, Rule};

/// Days in a CLV month, as `lifetimes` counts them (its `freq='D'` convention).
pub const DAYS_PER_MONTH: f64 = 30.0;
/// The "next 30 days" of the purchase probability.
pub const SOON_DAYS: f64 = 30.0;
/// Longest horizon accepted: a century.
const MAX_HORIZON_DAYS: f64 = 36_600.0;
/// Below this many customers the estimates are flagged as uncertain.
const FEW_CUSTOMERS: usize = 100;

/// Options of `book.clv(…)`. Days count from 1970-01-01.
#[derive(Clone, Debug)]
pub struct ClvOptions {
    /// Last day of the calibration period (default: the last purchase day in the data).
    pub calibration_end: Option<Day>,
    /// End of the holdout period; when set, the holdout check is made.
    pub holdout_end: Option<Day>,
    /// Days per model period (default 7: the papers' weeks).
    pub period_days: f64,
    /// How far ahead expected purchases look (default 365). CLV sums the whole 30-day months
    /// within it (`lifetimes`' convention: 365 days give 12 months, 360 days), so at least 30.
    pub horizon_days: f64,
    /// Discount rate per 30-day month (default 0.01).
    pub monthly_discount_rate: f64,
    /// Share of order value that is profit (default 1: CLV in revenue).
    pub margin: f64,
    /// The purchase model (default BG/NBD), or the best of the three.
    pub model: ModelRequest,
    /// The L2 penalty on the purchase model's log-parameters (default: none).
    pub penalizer: Penalizer,
    /// Whether to give 90% intervals of the totals (the parameters' come with every fit).
    pub intervals: bool,
}

/// How the purchase model is penalised.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Penalizer {
    /// λ of the penalty (0: plain maximum likelihood).
    Fixed(f64),
    /// Plain maximum likelihood, unless its estimates are degenerate (the data show no sign of
    /// customers leaving, so the dropout parameters run off to 0 or ∞): then the fit is made
    /// again with λ = [`DEGENERATE_FIT_PENALIZER`], and a warning says what that changed.
    WhenDegenerate,
}

/// The penalizer `Penalizer::WhenDegenerate` uses: on the bundled sample, where all three models
/// say "nobody leaves", it costs under one unit of log-likelihood and gives one-time buyers
/// inactive for months a P(alive) of 70–80% instead of 100%.
pub const DEGENERATE_FIT_PENALIZER: f64 = 0.001;

/// Which purchase model the analysis uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ModelRequest {
    Fixed(ModelKind),
    /// Fit all three and keep the best: by the holdout when there is one, else by likelihood.
    Auto,
}

impl Default for ClvOptions {
    fn default() -> Self {
        ClvOptions {
            calibration_end: None,
            holdout_end: None,
            period_days: 7.0,
            horizon_days: 365.0,
            monthly_discount_rate: 0.01,
            margin: 1.0,
            model: ModelRequest::Fixed(ModelKind::BgNbd),
            penalizer: Penalizer::Fixed(0.0),
            intervals: false,
        }
    }
}

/// The CLV month schedule: H = floor(horizon / 30) whole months, month i covering days
/// 30(i−1)..30i after the calibration end, discounted by (1 + d)^i.
#[derive(Clone, Copy, Debug)]
pub struct ClvSchedule {
    pub period_days: f64,
    pub horizon_days: f64,
    pub months: u32,
    pub monthly_discount_rate: f64,
    pub margin: f64,
}

impl ClvSchedule {
    pub fn new(
        period_days: f64,
        horizon_days: f64,
        monthly_discount_rate: f64,
        margin: f64,
    ) -> ClvSchedule {
        let months = (horizon_days / DAYS_PER_MONTH).floor() as u32;
        ClvSchedule {
            period_days,
            horizon_days,
            months,
            monthly_discount_rate,
            margin,
        }
    }

    /// Σᵢ (B(tᵢ) − B(tᵢ₋₁)) / (1 + d)^i, with B the expected purchases of an alive customer and
    /// tᵢ = 30·i days in periods. Multiplied by P(alive) it is the customer's discounted expected
    /// purchases, because every conditional expectation is P(alive) × B.
    pub fn discounted_purchases_if_alive(&self, model: &PurchaseModel, x: f64, age: f64) -> f64 {
        let mut total = 0.0;
        let mut previous = 0.0;
        let mut discount = 1.0;
        for month in 1..=self.months {
            let cumulative = model.expected_purchases_if_alive(
                month as f64 * DAYS_PER_MONTH / self.period_days,
                x,
                age,
            );
            if cumulative.is_nan() {
                return f64::NAN; // the later months would not settle either
            }
            discount /= 1.0 + self.monthly_discount_rate;
            total += (cumulative - previous) * discount;
            previous = cumulative;
        }
        total
    }

    /// CLV of one customer, as `lifetimes`' `customer_lifetime_value(…, freq='D')` with days
    /// as the time unit, times the margin.
    pub fn customer_lifetime_value(
        &self,
        model: &PurchaseModel,
        expected_order_value: f64,
        x: f64,
        t_x: f64,
        age: f64,
    ) -> f64 {
        self.margin
            * expected_order_value
            * model.p_alive(x, t_x, age)
            * self.discounted_purchases_if_alive(model, x, age)
    }
}

/// Everything the analysis computed; per-customer figures are columns parallel to `summary`.
#[derive(Clone, Debug)]
pub struct ClvAnalysis {
    pub options: ClvOptions,
    pub schedule: ClvSchedule,
    pub summary: CalibrationSummary,
    /// The purchase models fitted (one, or all three with `ModelRequest::Auto`).
    pub fits: PurchaseFits,
    /// The purchase model the customers are scored with.
    pub model: PurchaseModel,
    /// How the model was chosen, with `ModelRequest::Auto`.
    pub choice: Option<ModelChoice>,
    pub gamma_gamma: Option<GammaGammaFit>,
    pub warnings: Vec<ClvWarning>,
    pub scores: CustomerScores,
    /// Identified customers with purchases whose first purchase is after the calibration end.
    pub customers_after_calibration: usize,
    pub holdout: Option<HoldoutCheck>,
    /// 90% intervals of the totals, overall and per RFM segment (with `intervals`).
    pub intervals: Option<TotalIntervals>,
    /// Actual against modelled repeat purchases, for the fit-check charts.
    pub fit_check: FitCheck,
}

/// The purchase models fitted; `None` for those not asked for (or, with `Auto`, that failed).
#[derive(Clone, Debug, Default)]
pub struct PurchaseFits {
    pub bgnbd: Option<BgNbdFit>,
    pub mbg_nbd: Option<MbgNbdFit>,
    pub pareto_nbd: Option<ParetoNbdFit>,
}

/// What the analysis needs of any fit, whichever model it is.
#[derive(Clone, Debug)]
pub struct FittedModel {
    pub model: PurchaseModel,
    pub log_likelihood: f64,
    pub warnings: Vec<ClvWarning>,
    pub log_covariance: Option<Vec<f64>>,
}

impl<P: ModelParameters> From<&PurchaseFit<P>> for FittedModel {
    fn from(fit: &PurchaseFit<P>) -> Self {
        FittedModel {
            model: fit.params.into(),
            log_likelihood: fit.log_likelihood,
            warnings: fit.warnings.clone(),
            log_covariance: fit.log_covariance.clone(),
        }
    }
}

impl PurchaseFits {
    /// Those of `kinds` that were made.
    fn only(&self, kinds: &[ModelKind]) -> PurchaseFits {
        let wanted = |kind| kinds.contains(&kind);
        PurchaseFits {
            bgnbd: self.bgnbd.clone().filter(|_| wanted(ModelKind::BgNbd)),
            mbg_nbd: self.mbg_nbd.clone().filter(|_| wanted(ModelKind::MbgNbd)),
            pareto_nbd: self
                .pareto_nbd
                .clone()
                .filter(|_| wanted(ModelKind::ParetoNbd)),
        }
    }

    /// The fit of `kind`, if made.
    pub fn get(&self, kind: ModelKind) -> Option<FittedModel> {
        match kind {
            ModelKind::BgNbd => self.bgnbd.as_ref().map(FittedModel::from),
            ModelKind::MbgNbd => self.mbg_nbd.as_ref().map(FittedModel::from),
            ModelKind::ParetoNbd => self.pareto_nbd.as_ref().map(FittedModel::from),
        }
    }

    /// Fits `kind` on the distinct histories (x, t_x, T, customers) and keeps it.
    fn fit(
        &mut self,
        kind: ModelKind,
        columns: (&[f64], &[f64], &[f64], &[f64]),
        penalizer: Penalizer,
    ) -> Result<(), ClvError> {
        match kind {
            ModelKind::BgNbd => self.bgnbd = Some(fit_penalised(columns, penalizer)?),
            ModelKind::MbgNbd => self.mbg_nbd = Some(fit_penalised(columns, penalizer)?),
            ModelKind::ParetoNbd => self.pareto_nbd = Some(fit_penalised(columns, penalizer)?),
        }
        Ok(())
    }
}

/// Fits `P` with the penalty asked for (see [`Penalizer`]).
fn fit_penalised<P: ModelParameters>(
    (x, t_x, age, weights): (&[f64], &[f64], &[f64], &[f64]),
    penalizer: Penalizer,
) -> Result<PurchaseFit<P>, ClvError> {
    let weights = Some(weights);
    match penalizer {
        Penalizer::Fixed(lambda) => model::fit(x, t_x, age, weights, lambda),
        Penalizer::WhenDegenerate => {
            let plain = model::fit::<P>(x, t_x, age, weights, 0.0);
            let degenerate = match &plain {
                Ok(fit) => fit
                    .warnings
                    .iter()
                    .any(|w| w.code.as_str().ends_with("_extreme_parameters")),
                Err(error) => matches!(error, ClvError::DidNotConverge { .. }),
            };
            match &plain {
                Ok(unpenalised) if degenerate => model::fit_beside_unpenalised(
                    x,
                    t_x,
                    age,
                    weights,
                    DEGENERATE_FIT_PENALIZER,
                    unpenalised,
                )
                .or(plain),
                Err(_) if degenerate => {
                    model::fit(x, t_x, age, weights, DEGENERATE_FIT_PENALIZER).or(plain)
                }
                _ => plain,
            }
        }
    }
}

/// Per-customer predictions, parallel to the calibration summary's rows.
#[derive(Clone, Debug, Default)]
pub struct CustomerScores {
    pub p_alive: Vec<f64>,
    /// Expected repeat purchases over the horizon.
    pub expected_purchases: Vec<f64>,
    /// Gamma-Gamma expected order value; `None` without a usable spend model.
    pub expected_order_value: Vec<Option<f64>>,
    pub clv: Vec<Option<f64>>,
    /// CLV the customer would have if certainly still active (CLV / P(alive)): the value at
    /// stake for the "high value at risk" list.
    pub clv_if_active: Vec<Option<f64>>,
    pub p_purchase_30d: Vec<f64>,
    /// Day by which a repeat purchase is more likely than not; `None` when P(alive) ≤ ½ or later
    /// than the horizon.
    pub next_order_day: Vec<Option<i32>>,
}

/// Runs the CLV analysis on `book` (with `orders` its per-customer grouping).
pub fn analyze(
    book: &OrderBook,
    orders: &CustomerOrders,
    options: &ClvOptions,
) -> Result<ClvAnalysis, ClvError> {
    analyze_with_cache(book, orders, options, &mut FitCache::default())
}

/// [`analyze`] reusing the fits `cache` holds for this book and keeping those it makes, for a
/// caller that asks again with other horizons, margins or discount rates (see [`FitCache`]).
pub fn analyze_with_cache(
    book: &OrderBook,
    orders: &CustomerOrders,
    options: &ClvOptions,
    cache: &mut FitCache,
) -> Result<ClvAnalysis, ClvError> {
    let schedule = validate_options(options)?;
    let (first_day, last_day) = purchase_day_range(book).ok_or(ClvError::NoCustomers)?;
    let calibration_end = options.calibration_end.map_or(last_day, |day| day.0);
    if calibration_end < first_day || calibration_end > last_day {
        return Err(ClvError::CalibrationOutsideData {
            calibration_end: Day(calibration_end).to_string(),
            first_day: Day(first_day).to_string(),
            last_day: Day(last_day).to_string(),
        });
    }
    let holdout_end = match options.holdout_end.map(|day| day.0) {
        Some(day) if day <= calibration_end => {
            return Err(ClvError::invalid_option(
                "holdout_end",
                Day(day),
                Expected::date_after("calibration_end", Day(calibration_end)),
            ));
        }
        holdout_end => holdout_end,
    };
    let summary = calibration_summary(book, orders, calibration_end, options.period_days);
    check_degenerate(&summary)?;
    let mut warnings = Vec::new();
    if summary.len() < FEW_CUSTOMERS {
        warnings.push(ClvWarning::new(
            Code::FEW_CUSTOMERS,
            format!("Only {} customers bought before the calibration end: the estimates are uncertain (see the standard errors).", summary.len()),
        ).with("customers", summary.len()));
    }
    let histories = Histories::of(&summary);
    let columns = (
        &histories.frequency[..],
        &histories.recency[..],
        &histories.age[..],
        &histories.customers[..],
    );
    let holdout_periods =
        holdout_end.map(|end| (end - calibration_end) as f64 / options.period_days);
    let holdout_actual =
        holdout_end.map(|end| holdout::holdout_purchases(book, orders, &summary, end));
    let kinds = match options.model {
        ModelRequest::Fixed(kind) => vec![kind],
        ModelRequest::Auto => ModelKind::ALL.to_vec(),
    };
    let key = FitKey {
        calibration_end,
        period_days: options.period_days,
        penalizer: options.penalizer,
    };
    let made = cache.entry(key);
    let mut fitted_now = 0;
    for &kind in &kinds {
        if !made.has(kind) {
            fitted_now += 1;
            if let Err(error) = made.purchase.fit(kind, columns, options.penalizer) {
                made.failures.push((kind, error));
            }
        }
    }
    let fits = made.purchase.only(&kinds);
    let mut failures: Vec<(ModelKind, ClvError)> = kinds
        .iter()
        .filter_map(|&kind| made.failure(kind).map(|error| (kind, error.clone())))
        .collect();
    let (gamma_gamma, spend_warnings) = made
        .spend
        .get_or_insert_with(|| {
            let mut warnings = Vec::new();
            let fit = fit_spend_model(&summary, &summary.frequencies(), &mut warnings);
            (fit, warnings)
        })
        .clone();
    for _ in 0..fitted_now {
        cache.count_fit();
    }
    if failures.len() == kinds.len() {
        return Err(failures.swap_remove(0).1);
    }
    let (fitted, choice) = match options.model {
        ModelRequest::Fixed(kind) => (fits.get(kind), None),
        ModelRequest::Auto => {
            let holdout = holdout_end
                .zip(holdout_periods)
                .zip(holdout_actual.as_deref());
            let choice = choice::choose(&fits, &failures, (&summary, &histories), holdout);
            (fits.get(choice.chosen), Some(choice))
        }
    };
    let fitted = fitted.expect("the chosen model was fitted");
    warnings.extend(fitted.warnings.iter().cloned());
    warnings.extend(spend_warnings);
    let spend_model = gamma_gamma
        .as_ref()
        .map(|fit| fit.params)
        .filter(|p| p.q > 1.0);
    let (scores, holdout_predicted, unsettled) = score(
        &summary,
        &histories,
        &fitted.model,
        spend_model.as_ref(),
        &schedule,
        holdout_periods,
    );
    if unsettled > 0 {
        warnings.push(unsettled_warning(unsettled));
    }
    let holdout = holdout_end.zip(holdout_actual).map(|(end, actual)| {
        if end > last_day {
            warnings.push(ClvWarning::new(
            Code::HOLDOUT_BEYOND_DATA,
                format!(
                    "The holdout runs to {} but the data end on {}: actual purchases after that are missing, so the model will look too optimistic.",
                    Day(end),
                    Day(last_day)
                ),
            )
            .with("holdoutEnd", Day(end))
            .with("last", Day(last_day)));
        }
        holdout::holdout_check(&summary, end, &actual, &holdout_predicted)
    });
    let intervals = if options.intervals {
        let (segment, names) = rfm_segments(book, &summary);
        let found = intervals::total_intervals(
            &summary,
            &histories,
            &fitted,
            gamma_gamma.as_ref(),
            &schedule,
            &segment,
            &names,
        );
        if found.is_none() {
            warnings.push(ClvWarning::new(
                Code::NO_INTERVALS,
                "No intervals for the totals: the likelihood is flat in some direction at the estimate (see the standard errors), so the uncertainty of the parameters cannot be measured.",
            ));
        }
        found
    } else {
        None
    };
    let fit_check = fit_check::fit_check(
        book,
        orders,
        &summary,
        &fitted.model,
        holdout_end.unwrap_or(calibration_end),
    );
    let customers_with_purchase = (0..orders.customer_count())
        .filter(|&c| {
            orders
                .of(c)
                .iter()
                .any(|&o| book.kind[o as usize] == crate::book::OrderKind::Purchase)
        })
        .count();
    Ok(ClvAnalysis {
        options: options.clone(),
        schedule,
        customers_after_calibration: customers_with_purchase - summary.len(),
        summary,
        fits,
        model: fitted.model,
        choice,
        gamma_gamma,
        warnings,
        scores,
        holdout,
        intervals,
        fit_check,
    })
}

/// Each summary row's RFM segment as of the calibration end (an index into the names returned),
/// for the per-segment totals; customers RFM does not score come last.
fn rfm_segments(book: &OrderBook, summary: &CalibrationSummary) -> (Vec<usize>, Vec<String>) {
    let options = crate::rfm::RfmOptions {
        as_of: Some(Day(summary.calibration_end)),
        ..Default::default()
    };
    let mut names: Vec<String> = Vec::new();
    // Per customer, its group plus one (0: not scored); per RFM segment, its group, numbered in
    // the order the customers first show them.
    let mut group_of_customer = vec![0u32; book.customer_ids.len()];
    if let Ok(table) = crate::rfm::score_customers(book, &options) {
        let mut group_of_segment = vec![None; table.rules.segments().len()];
        for i in 0..table.len() {
            let segment = table.segment[i] as usize;
            let group = *group_of_segment[segment].get_or_insert_with(|| {
                names.push(table.segment_name(i).to_string());
                names.len()
            });
            if let Some(slot) = group_of_customer.get_mut(table.customer(i) as usize) {
                *slot = group as u32;
            }
        }
    }
    let unscored = names.len();
    let segment: Vec<usize> = summary
        .customer
        .iter()
        .map(
            |&c| match group_of_customer.get(c as usize).copied().unwrap_or(0) {
                0 => unscored,
                group => group as usize - 1,
            },
        )
        .collect();
    if segment.contains(&unscored) {
        names.push("Not scored by RFM".to_string());
    }
    (segment, names)
}

fn validate_options(options: &ClvOptions) -> Result<ClvSchedule, ClvError> {
    let ClvOptions {
        period_days,
        horizon_days,
        monthly_discount_rate,
        margin,
        ..
    } = *options;
    if !(period_days.is_finite() && period_days > 0.0 && period_days <= 3660.0) {
        return Err(ClvError::invalid_option(
            "period_days",
            period_days,
            Expected::with(&Rule::DAYS_UP_TO, f64::NAN, 3660.0),
        ));
    }
    if !(horizon_days.is_finite() && horizon_days <= MAX_HORIZON_DAYS) {
        return Err(ClvError::invalid_option(
            "horizon_days",
            horizon_days,
            Expected::with(&Rule::DAYS, DAYS_PER_MONTH, MAX_HORIZON_DAYS),
        ));
    }
    if horizon_days < DAYS_PER_MONTH {
        return Err(ClvError::HorizonShorterThanAMonth { horizon_days });
    }
    if !(monthly_discount_rate.is_finite() && (0.0..=1.0).contains(&monthly_discount_rate)) {
        return Err(ClvError::invalid_option(
            "monthly_discount_rate",
            monthly_discount_rate,
            Expected::of(&Rule::SHARE),
        ));
    }
    if !(margin.is_finite() && (0.0..=1.0).contains(&margin)) {
        return Err(ClvError::invalid_option(
            "margin",
            margin,
            Expected::of(&Rule::SHARE),
        ));
    }
    Ok(ClvSchedule::new(
        period_days,
        horizon_days,
        monthly_discount_rate,
        margin,
    ))
}

/// The data situations the models cannot learn from, each with its own explanation.
fn check_degenerate(summary: &CalibrationSummary) -> Result<(), ClvError> {
    match summary.len() {
        0 => return Err(ClvError::NoCustomers),
        1 => return Err(ClvError::OneCustomer),
        _ => {}
    }
    if summary.frequency.iter().all(|&x| x == 0) {
        let first = summary.first_purchase_day[0];
        if summary.first_purchase_day.iter().all(|&d| d == first) {
            return Err(ClvError::AllPurchasesOnOneDay {
                day: Day(first).to_string(),
            });
        }
        return Err(ClvError::NoRepeatBuyers {
            customers: summary.len() as f64,
        });
    }
    Ok(())
}

/// Fits Gamma-Gamma on the repeat buyers; a failure becomes a warning (CLV is then not given).
fn fit_spend_model(
    summary: &CalibrationSummary,
    frequency: &[f64],
    warnings: &mut Vec<ClvWarning>,
) -> Option<GammaGammaFit> {
    let zero_value_repeaters = (0..summary.len())
        .filter(|&i| summary.frequency[i] > 0 && summary.monetary_mean[i] <= 0.0)
        .count();
    if zero_value_repeaters > 0 {
        warnings.push(ClvWarning::new(
            Code::ZERO_VALUE_REPEAT_BUYERS,
            format!("{zero_value_repeaters} repeat buyer(s) spent nothing on their repeat purchases: they were left out of the spend model, and their expected order value is the population mean order value, as for customers without repeat purchases."),
        ).with("customers", zero_value_repeaters));
    }
    match gamma_gamma::fit(frequency, &summary.monetary_mean, None) {
        Ok(fit) => {
            warnings.extend(fit.warnings.iter().cloned());
            Some(fit)
        }
        Err(error) => {
            warnings.push(no_spend_model(error.into()));
            None
        }
    }
}

/// The warning that there is no spend model, and why: `cause` is the code of the spend model's
/// error, whose params come along, so that a page words the cause as it words that error.
fn no_spend_model(cause: Message) -> ClvWarning {
    let mut warning = ClvWarning::new(
        Code::NO_SPEND_MODEL,
        format!("No spend model, so no expected order values or CLV: {cause}."),
    )
    .with("cause", cause.code);
    warning.params.extend(cause.params);
    warning
}

/// The warning for customers whose expected purchases could not be computed (the series did not
/// settle: a horizon thousands of times longer than the model's time scale α + T). Their values
/// are NaN (empty in the CSV) and left out of the totals, rather than a partial sum.
fn unsettled_warning(customers: usize) -> ClvWarning {
    ClvWarning::new(
            Code::SERIES_NOT_CONVERGED,
        format!(
            "For {customers} customer(s) the expected purchases could not be computed (the model's series did not settle over a horizon this long); their expected purchases and CLV are left empty and out of the totals. A shorter horizon helps."
        ),
    )
    .with("customers", customers)
}

/// Scores every customer: the model's figures once per distinct (x, T) and per distinct history
/// (with Pareto/NBD each is a few ₂F₁ evaluations, the median's bisection dozens), then read per
/// customer.
fn score(
    summary: &CalibrationSummary,
    histories: &Histories,
    model: &PurchaseModel,
    spend: Option<&GammaGammaParams>,
    schedule: &ClvSchedule,
    holdout_periods: Option<f64>,
) -> (CustomerScores, Vec<f64>, usize) {
    let n = summary.len();
    let period_days = schedule.period_days;
    let horizon = schedule.horizon_days / period_days;
    let soon = SOON_DAYS / period_days;
    let horizon_purchases =
        histories.per_pair(|x, age| model.expected_purchases_if_alive(horizon, x, age));
    let discounted_purchases =
        histories.per_pair(|x, age| schedule.discounted_purchases_if_alive(model, x, age));
    let holdout_purchases = histories.per_pair(|x, age| {
        holdout_periods.map_or(0.0, |t| model.expected_purchases_if_alive(t, x, age))
    });
    let p_purchase_soon =
        histories.per_pair(|x, age| model.p_purchase_within_if_alive(soon, x, age));
    let alive = histories.per_history(|x, t_x, age| model.p_alive(x, t_x, age));
    let periods_until_likely_purchase = histories
        .per_history(|x, t_x, age| model.periods_until_likely_purchase(x, t_x, age, horizon));
    let mut scores = CustomerScores {
        p_alive: Vec::with_capacity(n),
        expected_purchases: Vec::with_capacity(n),
        expected_order_value: Vec::with_capacity(n),
        clv: Vec::with_capacity(n),
        clv_if_active: Vec::with_capacity(n),
        p_purchase_30d: Vec::with_capacity(n),
        next_order_day: Vec::with_capacity(n),
    };
    let mut holdout_predicted = Vec::with_capacity(if holdout_periods.is_some() { n } else { 0 });
    let mut unsettled = 0;
    for i in 0..n {
        let x = summary.frequency[i] as f64;
        let history = histories.of_row[i] as usize;
        let pair = histories.pair[history] as usize;
        let alive = alive[history];
        let settled = [
            horizon_purchases[pair],
            discounted_purchases[pair],
            holdout_purchases[pair],
        ]
        .iter()
        .all(|v| v.is_finite());
        unsettled += usize::from(!settled);
        scores.p_alive.push(alive);
        scores
            .expected_purchases
            .push(alive * horizon_purchases[pair]);
        scores.p_purchase_30d.push(alive * p_purchase_soon[pair]);
        if holdout_periods.is_some() {
            holdout_predicted.push(alive * holdout_purchases[pair]);
        }
        // Repeat buyers who spent nothing on repeat purchases are outside the spend model's fit;
        // like customers without repeat purchases they get the population mean.
        let monetary_mean = summary.monetary_mean[i];
        let order_value = spend.map(|s| {
            if monetary_mean > 0.0 {
                s.expected_order_value(x, monetary_mean)
            } else {
                s.population_mean()
            }
        });
        let if_active = order_value
            .map(|v| schedule.margin * v * discounted_purchases[pair])
            .filter(|v| v.is_finite());
        scores.expected_order_value.push(order_value);
        scores.clv_if_active.push(if_active);
        scores.clv.push(if_active.map(|v| alive * v));
        let next = periods_until_likely_purchase[history].and_then(|periods| {
            let days = (periods * period_days).ceil().max(1.0);
            (days <= schedule.horizon_days).then(|| summary.calibration_end + days as i32)
        });
        scores.next_order_day.push(next);
    }
    (scores, holdout_predicted, unsettled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::OrderKind::{self, Purchase};
    use crate::fixtures::book;

    fn run(book: &OrderBook, options: ClvOptions) -> Result<ClvAnalysis, ClvError> {
        analyze(book, &book.customer_orders(), &options)
    }

    /// The page words why there is no spend model from the cause's code and params.
    #[test]
    fn no_spend_model_names_its_cause_by_code() {
        let warning = no_spend_model(ClvError::TooFewRepeatBuyers { customers: 1.0 }.into());
        assert_eq!(warning.code, Code::NO_SPEND_MODEL);
        assert_eq!(warning.param("cause"), Some("clv_too_few_repeat_buyers"));
        assert_eq!(warning.param("customers"), Some("1"));
        assert!(
            warning
                .message
                .starts_with("No spend model, so no expected order values or CLV: only 1 customer"),
            "{warning}"
        );
    }

    #[test]
    fn degenerate_data_gets_a_typed_error() {
        let day = Day::from_ymd(2024, 3, 1).unwrap().0;
        let one_day = book(&[("a", day, 5.0), ("b", day, 7.0), ("c", day, 1.0)]);
        let no_repeat = book(&[("a", day, 5.0), ("b", day + 3, 7.0)]);
        let one_customer = book(&[("a", day, 5.0), ("a", day + 3, 7.0)]);
        type Case<'a> = (&'a str, &'a OrderBook, ClvOptions, fn(&ClvError) -> bool);
        let cases: [Case; 6] = [
            ("one day", &one_day, ClvOptions::default(), |e| {
                matches!(e, ClvError::AllPurchasesOnOneDay { .. })
            }),
            ("no repeat", &no_repeat, ClvOptions::default(), |e| {
                matches!(e, ClvError::NoRepeatBuyers { .. })
            }),
            ("one customer", &one_customer, ClvOptions::default(), |e| {
                matches!(e, ClvError::OneCustomer)
            }),
            (
                "before data",
                &no_repeat,
                ClvOptions {
                    calibration_end: Day::from_ymd(2024, 2, 1),
                    ..Default::default()
                },
                |e| matches!(e, ClvError::CalibrationOutsideData { .. }),
            ),
            (
                "after data",
                &no_repeat,
                ClvOptions {
                    calibration_end: Day::from_ymd(2025, 1, 1),
                    ..Default::default()
                },
                |e| matches!(e, ClvError::CalibrationOutsideData { .. }),
            ),
            (
                "empty book",
                &OrderBook::default(),
                ClvOptions::default(),
                |e| matches!(e, ClvError::NoCustomers),
            ),
        ];
        for (name, book, options, expected) in cases {
            let error = run(book, options).unwrap_err();
            assert!(expected(&error), "{name}: {error:?}");
            assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn bad_options_are_explained() {
        let data = book(&[("a", 0, 1.0), ("a", 9, 1.0), ("b", 2, 1.0)]);
        let cases = [
            (
                ClvOptions {
                    period_days: 0.0,
                    ..Default::default()
                },
                "period_days",
            ),
            (
                ClvOptions {
                    horizon_days: f64::NAN,
                    ..Default::default()
                },
                "horizon_days",
            ),
            (
                ClvOptions {
                    monthly_discount_rate: -0.1,
                    ..Default::default()
                },
                "monthly_discount_rate",
            ),
            (
                ClvOptions {
                    margin: 30.0,
                    ..Default::default()
                },
                "margin",
            ),
            (
                ClvOptions {
                    calibration_end: Some(Day(4)),
                    holdout_end: Some(Day(2)),
                    ..Default::default()
                },
                "a date after calibration_end",
            ),
        ];
        for (options, expected) in cases {
            let message = run(&data, options).unwrap_err().to_string();
            assert!(message.contains(expected), "{message}");
        }
    }

    #[test]
    fn a_horizon_shorter_than_a_month_is_refused_and_45_days_is_one_month() {
        let data = super::super::synthetic::order_book(
            &super::super::synthetic::SyntheticSpec::cdnow_like(500, 7),
        );
        let with_horizon = |horizon_days| {
            run(
                &data,
                ClvOptions {
                    horizon_days,
                    ..Default::default()
                },
            )
        };
        let error = with_horizon(29.0).unwrap_err();
        assert_eq!(
            error,
            ClvError::HorizonShorterThanAMonth { horizon_days: 29.0 }
        );
        let message = error.to_string();
        assert!(
            message.contains("horizon_days is 29") && message.contains("30 or more"),
            "{message}"
        );
        let analysis = with_horizon(45.0).unwrap();
        assert_eq!(analysis.schedule.months, 1);
        let model = analysis.model;
        let month = DAYS_PER_MONTH / analysis.schedule.period_days;
        let mut positive = 0;
        for i in 0..analysis.summary.len() {
            let (x, t_x, age) = (
                analysis.summary.frequency[i] as f64,
                analysis.summary.recency(i),
                analysis.summary.age(i),
            );
            let order_value = analysis.scores.expected_order_value[i].unwrap();
            // One month: the first 30 days' expected purchases, discounted once.
            let expected =
                order_value * model.conditional_expected_purchases(month, x, t_x, age) / 1.01;
            let clv = analysis.scores.clv[i].unwrap();
            assert!(
                (clv - expected).abs() <= 1e-12 * expected,
                "{clv} vs {expected}"
            );
            positive += usize::from(clv > 0.0);
            // Expected purchases still cover the whole 45 days.
            let purchases = model.conditional_expected_purchases(45.0 / 7.0, x, t_x, age);
            assert!((analysis.scores.expected_purchases[i] - purchases).abs() <= 1e-12 * purchases);
        }
        assert_eq!(positive, analysis.summary.len());
    }

    #[test]
    fn repeat_buyers_who_spent_nothing_get_the_population_mean_order_value() {
        let spec = super::super::synthetic::SyntheticSpec::cdnow_like(500, 11);
        let mut data = super::super::synthetic::order_book(&spec);
        let first = spec.first_day + 10;
        for (id, days) in [("zero-a", [0, 20, 40]), ("zero-b", [5, 9, 60])] {
            let customer = data.customer_ids.len() as u32;
            data.customer_ids.push(id);
            for (k, day) in days.into_iter().enumerate() {
                data.customer.push(customer);
                data.day.push(first + day);
                data.value.push(if k == 0 { 25.0 } else { 0.0 });
                data.kind.push(Purchase);
            }
        }
        let analysis = run(&data, ClvOptions::default()).unwrap();
        let spend = analysis.gamma_gamma.as_ref().unwrap().params;
        let zero_rows: Vec<usize> = (0..analysis.summary.len())
            .filter(|&i| {
                analysis.summary.frequency[i] > 0 && analysis.summary.monetary_mean[i] <= 0.0
            })
            .collect();
        assert_eq!(zero_rows.len(), 2);
        for i in zero_rows {
            assert_eq!(
                analysis.scores.expected_order_value[i],
                Some(spend.population_mean())
            );
            assert!(analysis.scores.clv[i].unwrap() > 0.0);
        }
        let warning = analysis
            .warnings
            .iter()
            .find(|w| w.code == "zero_value_repeat_buyers")
            .unwrap();
        assert!(
            warning.message.starts_with("2 repeat buyer(s)")
                && warning.message.contains("population mean"),
            "{}",
            warning.message
        );
    }

    #[test]
    fn customers_whose_series_do_not_settle_are_counted_not_guessed() {
        // A model whose time scale (α = 10⁻⁴ days) is fifty million times shorter than the
        // horizon: customers first seen on the calibration end (T = 0) cannot be summed; the
        // others (T ≥ 1 day) can.
        let data = book(&[("a", 0, 10.0), ("a", 5, 12.0), ("b", 3, 9.0), ("c", 5, 8.0)]);
        let orders = data.customer_orders();
        let summary = calibration_summary(&data, &orders, 5, 1.0);
        let model = PurchaseModel::BgNbd(super::super::BgNbdParams {
            r: 1.0,
            alpha: 1e-4,
            a: 0.5,
            b: 1.0,
        });
        let spend = GammaGammaParams {
            p: 6.0,
            q: 4.0,
            v: 15.0,
        };
        let schedule = ClvSchedule::new(1.0, 5000.0, 0.01, 1.0);
        let histories = Histories::of(&summary);
        let (scores, _, unsettled) =
            score(&summary, &histories, &model, Some(&spend), &schedule, None);
        let row = |id: &str| {
            (0..summary.len())
                .find(|&i| &data.customer_ids[summary.customer[i] as usize] == id)
                .unwrap()
        };
        assert_eq!(unsettled, 1);
        assert!(scores.expected_purchases[row("c")].is_nan());
        assert_eq!(scores.clv[row("c")], None);
        for id in ["a", "b"] {
            assert!(scores.expected_purchases[row(id)].is_finite());
            assert!(scores.clv[row(id)].is_some_and(f64::is_finite));
        }
        let warning = unsettled_warning(unsettled);
        assert_eq!(warning.code, "series_not_converged");
        assert!(warning.message.starts_with("For 1 customer(s)"));
    }

    #[test]
    fn schedule_counts_whole_thirty_day_months() {
        let cases = [(365.0, 12), (29.0, 0), (30.0, 1), (730.0, 24)];
        for (horizon, months) in cases {
            assert_eq!(
                ClvSchedule::new(7.0, horizon, 0.01, 1.0).months,
                months,
                "{horizon}"
            );
        }
    }

    #[test]
    fn returns_after_the_last_purchase_do_not_move_the_default_calibration_end() {
        let mut data = book(&[
            ("a", 0, 1.0),
            ("a", 20, 1.0),
            ("b", 5, 1.0),
            ("b", 9, 2.0),
            ("c", 10, 3.0),
        ]);
        data.customer.push(0);
        data.day.push(40);
        data.value.push(-1.0);
        data.kind.push(OrderKind::Return);
        let analysis = run(&data, ClvOptions::default()).unwrap();
        assert_eq!(analysis.summary.calibration_end, 20);
    }
}
