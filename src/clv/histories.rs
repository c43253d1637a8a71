//! The calibration summary's distinct purchase histories (x, t_x, T). Every figure a purchase
//! model gives a customer depends on these three numbers alone, and the summary counts them in
//! whole days, so customers share them many times over (1,811 histories for the 400,000
//! customers of a two-year order list): the models are fitted on the histories with their counts
//! and evaluated once per history, and a customer only reads its history's values.

use rustc_hash::FxHashMap;

use super::summary::CalibrationSummary;

pub struct Histories {
    /// Per summary row, the index of its history.
    pub of_row: Vec<u32>,
    /// Per history, in the order of the first customer with it: x, t_x and T in periods (the
    /// summary's own values) and the customers who have it.
    pub frequency: Vec<f64>,
    pub recency: Vec<f64>,
    pub age: Vec<f64>,
    pub customers: Vec<f64>,
    /// Per history, the index of its (x, T): what the values that do not depend on t_x are kept
    /// by.
    pub pair: Vec<u32>,
    pub pair_count: usize,
}

impl Histories {
    pub fn of(summary: &CalibrationSummary) -> Histories {
        // Keyed by (x, T) and then by (pair, t_x), packed in u64 (the maps' one key type).
        let mut pairs = FxHashMap::<u64, u32>::default();
        let mut index = FxHashMap::<u64, u32>::default();
        let mut histories = Histories {
            of_row: Vec::with_capacity(summary.len()),
            frequency: Vec::new(),
            recency: Vec::new(),
            age: Vec::new(),
            customers: Vec::new(),
            pair: Vec::new(),
            pair_count: 0,
        };
        for i in 0..summary.len() {
            let x = summary.frequency[i];
            let age_days = summary.age_days(i);
            let recency_days = summary.last_purchase_day[i] - summary.first_purchase_day[i];
            let pair_count = pairs.len() as u32;
            let pair = *pairs
                .entry(u64::from(x) << 32 | u64::from(age_days as u32))
                .or_insert(pair_count);
            let next = histories.frequency.len() as u32;
            let history = *index
                .entry(u64::from(pair) << 32 | u64::from(recency_days as u32))
                .or_insert(next);
            if history == next {
                histories.frequency.push(x as f64);
                histories.recency.push(summary.recency(i));
                histories.age.push(summary.age(i));
                histories.customers.push(0.0);
                histories.pair.push(pair);
            }
            histories.customers[history as usize] += 1.0;
            histories.of_row.push(history);
        }
        histories.pair_count = pairs.len();
        histories
    }

    pub fn len(&self) -> usize {
        self.frequency.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frequency.is_empty()
    }

    /// `value(x, T)` for every (x, T) pair, indexed as [`Histories::pair`].
    pub fn per_pair(&self, mut value: impl FnMut(f64, f64) -> f64) -> Vec<f64> {
        let mut values = vec![f64::NAN; self.pair_count];
        let mut done = vec![false; self.pair_count];
        for h in 0..self.len() {
            let pair = self.pair[h] as usize;
            if !done[pair] {
                done[pair] = true;
                values[pair] = value(self.frequency[h], self.age[h]);
            }
        }
        values
    }

    /// `value(x, t_x, T)` for every history.
    pub fn per_history<T>(&self, mut value: impl FnMut(f64, f64, f64) -> T) -> Vec<T> {
        (0..self.len())
            .map(|h| value(self.frequency[h], self.recency[h], self.age[h]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_sharing_x_recency_and_age_share_a_history() {
        let summary = CalibrationSummary {
            calibration_end: 30,
            period_days: 7.0,
            customer: vec![0, 1, 2, 3, 4],
            frequency: vec![1, 1, 0, 1, 1],
            first_purchase_day: vec![2, 2, 9, 2, 9],
            last_purchase_day: vec![16, 16, 9, 23, 23],
            monetary_mean: vec![5.0, 6.0, 0.0, 7.0, 8.0],
        };
        let histories = Histories::of(&summary);
        assert_eq!(histories.of_row, [0, 0, 1, 2, 3]);
        assert_eq!(histories.customers, [2.0, 1.0, 1.0, 1.0]);
        // (x, T): rows 0 and 3 have x = 1, T = 28 days; row 4 x = 1, T = 21.
        assert_eq!(histories.pair, [0, 1, 0, 2]);
        assert_eq!(histories.recency[2], summary.recency(3));
        assert_eq!(histories.age[3], summary.age(4));
        let calls = std::cell::Cell::new(0);
        let values = histories.per_pair(|x, age| {
            calls.set(calls.get() + 1);
            x + age
        });
        assert_eq!(calls.get(), 3);
        assert_eq!(values[2], 1.0 + 3.0);
    }
}
