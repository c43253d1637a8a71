//! The (x, t_x, T) summary compressed into distinct patterns, shared by the purchase models
//! (BG/NBD, MBG/NBD, Pareto/NBD): each depends on a customer only through those three numbers, so
//! customers sharing them are one weighted row and the likelihood is identical. Times are rescaled
//! so that the oldest customer has T = 1: the optimiser then sees the same problem whatever the
//! period length.

use rustc_hash::FxHashMap;

use super::{ClvError, InvalidInput, RowProblem};

/// One distinct history with x > 0: indices into the pattern table's frequency and time lists.
#[derive(Clone, Copy, Debug)]
pub struct RepeatPattern {
    pub(crate) frequency: u32,
    pub(crate) recency: u32,
    pub(crate) age: u32,
    pub(crate) weight: f64,
}

/// The summary compressed into distinct patterns (the likelihood is identical): customers sharing
/// (x, t_x, T) are one weighted row, customers without a repeat purchase are grouped by T alone,
/// and the terms that depend only on x are computed once per distinct x.
pub struct Patterns {
    /// Distinct x values and the total weight of customers with each.
    pub(crate) frequencies: Vec<f64>,
    pub(crate) frequency_weights: Vec<f64>,
    /// Distinct t_x and T values (rescaled), shared so that ln(α + t) is computed once per value.
    pub(crate) times: Vec<f64>,
    /// Customers with x = 0: (index into `times` of T, weight).
    pub(crate) one_time: Vec<(u32, f64)>,
    pub(crate) repeat: Vec<RepeatPattern>,
    pub(crate) total_weight: f64,
    /// The rescaling applied to times: scaled = original / time_scale.
    pub(crate) time_scale: f64,
}

impl Patterns {
    pub(crate) fn new(
        frequency: &[f64],
        recency: &[f64],
        age: &[f64],
        weights: Option<&[f64]>,
    ) -> Patterns {
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

    pub(crate) fn count(&self) -> usize {
        self.one_time.len() + self.repeat.len()
    }

    /// Validates the summary and compresses it, refusing data no purchase model can learn from.
    pub(crate) fn of_summary(
        frequency: &[f64],
        recency: &[f64],
        age: &[f64],
        weights: Option<&[f64]>,
    ) -> Result<Patterns, ClvError> {
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
            return Err(ClvError::InvalidInput(InvalidInput::NoTimeElapsed));
        }
        Ok(patterns)
    }

    /// Σ w·x: the repeat purchases, by which the log-likelihood shifts when the time unit changes.
    pub(crate) fn repeat_purchases(&self) -> f64 {
        self.frequencies
            .iter()
            .zip(&self.frequency_weights)
            .map(|(x, w)| x * w)
            .sum()
    }

    /// Purchases per unit of exposure (rescaled time), the starting guess for every model's rate.
    pub(crate) fn purchase_rate(&self) -> f64 {
        let mut exposure = 0.0;
        for &(age, weight) in &self.one_time {
            exposure += weight * self.times[age as usize];
        }
        for pattern in &self.repeat {
            exposure += pattern.weight * self.times[pattern.age as usize];
        }
        self.repeat_purchases() / exposure.max(1e-12)
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
        let mut lengths = format!("{n}, {}, {}", recency.len(), age.len());
        let mut names = "frequency, recency, T";
        if let Some(w) = weights {
            lengths = format!("{lengths}, {}", w.len());
            names = "frequency, recency, T and weights";
        }
        return Err(ClvError::InvalidInput(InvalidInput::Lengths {
            names,
            lengths,
        }));
    }
    if n == 0 {
        return Err(ClvError::NoCustomers);
    }
    for i in 0..n {
        let (x, t_x, t) = (frequency[i], recency[i], age[i]);
        let problem = if !(x.is_finite() && t_x.is_finite() && t.is_finite()) {
            RowProblem::NotFinite
        } else if x < 0.0 || x.fract() != 0.0 {
            RowProblem::FrequencyNotWhole
        } else if t_x < 0.0 {
            RowProblem::RecencyNegative
        } else if t_x > t {
            RowProblem::RecencyAfterAge
        } else if x == 0.0 && t_x != 0.0 {
            RowProblem::RecencyWithoutRepeat
        } else if x > 0.0 && t_x == 0.0 {
            RowProblem::RepeatWithoutRecency
        } else if weights.is_some_and(|w| !(w[i].is_finite() && w[i] >= 0.0)) {
            RowProblem::WeightInvalid
        } else {
            continue;
        };
        let weight = weights.map(|w| w[i]);
        let with_weight = |values: String| match weight {
            Some(w) => format!("{values}, w = {w}"),
            None => values,
        };
        return Err(ClvError::InvalidInput(InvalidInput::Row {
            row: i,
            problem,
            values: with_weight(format!("x = {x}, t_x = {t_x}, T = {t}")),
            english: format!(
                "frequency {x}, recency {t_x}, T {t}{}",
                weight.map_or(String::new(), |w| format!(", weight {w}"))
            ),
        }));
    }
    Ok(())
}
