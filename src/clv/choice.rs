//! Choosing the purchase model (`model: 'auto'`): all three have four parameters, so AIC and BIC
//! rank them as the calibration log-likelihood does; when a holdout period is set, what matters
//! more is how well each predicted it — the mean absolute error of predicted against actual
//! repeat purchases per customer in the calibration-frequency groups 0, 1, …, 6 and 7+ (the
//! comparison Fader, Hardie & Lee lead with), and the total.

use serde::Serialize;

use super::ClvError;
use super::analysis::PurchaseFits;
use super::histories::Histories;
use super::holdout;
use super::model::{ModelKind, PurchaseModel};
use super::summary::CalibrationSummary;
use crate::message::{Code, Message};

/// What the choice was based on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Criterion {
    LogLikelihood,
    Holdout,
}

/// One model considered.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub model: ModelKind,
    /// Calibration log-likelihood (in the data's time unit); `None` if the fit failed.
    pub log_likelihood: Option<f64>,
    /// Mean over the non-empty calibration-frequency groups of |predicted − actual| holdout
    /// purchases per customer; `None` without a holdout.
    pub holdout_error: Option<f64>,
    /// (predicted − actual) / actual holdout purchases in total.
    pub holdout_total_error: Option<f64>,
    /// Why the model could not be fitted.
    pub failure: Option<Message>,
}

/// The model chosen, on what, and the figures of every candidate.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelChoice {
    pub chosen: ModelKind,
    pub criterion: Criterion,
    pub candidates: Vec<Candidate>,
    /// The reason in a sentence, coded so that a page can word it in its language; why a model
    /// could not be fitted is its candidate's `failure`.
    pub reason: Message,
}

/// Per-customer expected purchases over `periods` after the calibration end, the model
/// evaluated once per history.
fn holdout_predictions(histories: &Histories, model: &PurchaseModel, periods: f64) -> Vec<f64> {
    let future = histories.per_pair(|x, age| model.expected_purchases_if_alive(periods, x, age));
    let alive = histories.per_history(|x, t_x, age| model.p_alive(x, t_x, age));
    histories
        .of_row
        .iter()
        .map(|&h| alive[h as usize] * future[histories.pair[h as usize] as usize])
        .collect()
}

/// Ranks the fitted models; `holdout` is ((holdout end, its length in periods), actual holdout
/// purchases per summary row).
pub fn choose(
    fits: &PurchaseFits,
    failures: &[(ModelKind, ClvError)],
    (summary, histories): (&CalibrationSummary, &Histories),
    holdout: Option<((i32, f64), &[u32])>,
) -> ModelChoice {
    let mut candidates: Vec<Candidate> = ModelKind::ALL
        .iter()
        .map(|&kind| {
            let fitted = fits.get(kind);
            let (holdout_error, holdout_total_error) = match (&fitted, holdout) {
                (Some(fitted), Some(((end, periods), actual))) => {
                    let predicted = holdout_predictions(histories, &fitted.model, periods);
                    let check = holdout::holdout_check(summary, end, actual, &predicted);
                    let groups: Vec<f64> = check
                        .by_frequency
                        .iter()
                        .filter(|bucket| bucket.customers > 0)
                        .map(|bucket| (bucket.predicted_mean - bucket.actual_mean).abs())
                        .collect();
                    (
                        Some(groups.iter().sum::<f64>() / groups.len().max(1) as f64),
                        check.relative_error,
                    )
                }
                _ => (None, None),
            };
            Candidate {
                model: kind,
                log_likelihood: fitted.map(|f| f.log_likelihood),
                holdout_error,
                holdout_total_error,
                failure: failures
                    .iter()
                    .find(|(failed, _)| *failed == kind)
                    .map(|(_, error)| Message::from(error.clone())),
            }
        })
        .collect();
    let criterion = if holdout.is_some() {
        Criterion::Holdout
    } else {
        Criterion::LogLikelihood
    };
    // Smaller is better: the holdout error, or minus the log-likelihood.
    let key = |c: &Candidate| match criterion {
        Criterion::Holdout => c.holdout_error,
        Criterion::LogLikelihood => c.log_likelihood.map(|ll| -ll),
    };
    let chosen = candidates
        .iter()
        .filter(|c| key(c).is_some_and(f64::is_finite))
        .min_by(|a, b| key(a).unwrap().total_cmp(&key(b).unwrap()))
        .or_else(|| candidates.iter().find(|c| c.log_likelihood.is_some()))
        .map_or(ModelKind::BgNbd, |c| c.model);
    let reason = reason(chosen, criterion, &candidates);
    // The chosen model first, the others in their usual order.
    candidates.sort_by_key(|c| c.model != chosen);
    ModelChoice {
        chosen,
        criterion,
        candidates,
        reason,
    }
}

fn reason(chosen: ModelKind, criterion: Criterion, candidates: &[Candidate]) -> Message {
    let others = |figure: &dyn Fn(&Candidate) -> Option<String>| -> String {
        candidates
            .iter()
            .filter(|c| c.model != chosen)
            .filter_map(|c| figure(c).map(|f| format!("{} {f}", c.model.name())))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let best = candidates.iter().find(|c| c.model == chosen);
    match criterion {
        Criterion::LogLikelihood => {
            let log_likelihood = format!(
                "{:.1}",
                best.and_then(|c| c.log_likelihood).unwrap_or(f64::NAN)
            );
            let others = others(&|c| c.log_likelihood.map(|ll| format!("{ll:.1}")));
            Message::new(
                Code::MODEL_CHOSEN_BY_LIKELIHOOD,
                format!(
                    "{} fits the purchases before the calibration end best: log-likelihood {log_likelihood}, against {others} (each model has four parameters, so AIC and BIC rank them the same). Set a holdout period to choose by how well each predicts instead.",
                    chosen.name(),
                ),
            )
            .with("model", chosen.name())
            .with("logLikelihood", log_likelihood)
            .with("others", others)
        }
        Criterion::Holdout => {
            let error = format!(
                "{:.3}",
                best.and_then(|c| c.holdout_error).unwrap_or(f64::NAN)
            );
            let others = others(&|c| c.holdout_error.map(|e| format!("{e:.3}")));
            let total_error = best
                .and_then(|c| c.holdout_total_error)
                .map_or(String::new(), |e| format!("{:+.1}", 100.0 * e));
            let total = if total_error.is_empty() {
                String::new()
            } else {
                format!("; its total was off by {total_error}%")
            };
            Message::new(
                Code::MODEL_CHOSEN_BY_HOLDOUT,
                format!(
                    "{} predicted the holdout best: its expected purchases per customer were off by {error} on average across the groups of customers with 0, 1, …, 6 and 7+ repeat purchases, against {others}{total}.",
                    chosen.name(),
                ),
            )
            .with("model", chosen.name())
            .with("error", error)
            .with("others", others)
            .with("totalError", total_error)
        }
    }
}
