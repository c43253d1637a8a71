//! The fits of one book kept between calls: a page asks for the CLV analysis again and again with
//! the same calibration data and model options while the user moves the horizon, the margin or
//! the discount rate, which change only the scoring. Fitting is nearly all of the analysis's time
//! (seconds on hundreds of thousands of customers), so the fits are made once per calibration
//! and kept here; the scoring is made anew.
//!
//! A cache belongs to one book (the whole book, or the book of one filter's orders): the key is
//! what else the fits depend on — the calibration end and the period length (the summary they are
//! fitted on) and the penalizer. The holdout only chooses among fits, so it is not in the key.

use super::ClvError;
use super::ClvWarning;
use super::analysis::{Penalizer, PurchaseFits};
use super::gamma_gamma::GammaGammaFit;
use super::model::ModelKind;

/// Calibrations kept; the oldest is dropped beyond (a page moves between a few at most).
const CAPACITY: usize = 8;

/// What the fits depend on besides the book.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FitKey {
    pub calibration_end: i32,
    pub period_days: f64,
    pub penalizer: Penalizer,
}

/// The fits made on one calibration: the purchase models asked for so far (or why they failed)
/// and the spend model with the warnings its fit gave.
#[derive(Clone, Debug, Default)]
pub struct CalibrationFits {
    pub purchase: PurchaseFits,
    pub failures: Vec<(ModelKind, ClvError)>,
    pub spend: Option<(Option<GammaGammaFit>, Vec<ClvWarning>)>,
}

impl CalibrationFits {
    /// Whether `kind` was fitted, or tried and failed.
    pub fn has(&self, kind: ModelKind) -> bool {
        self.purchase.get(kind).is_some() || self.failure(kind).is_some()
    }

    /// Why `kind` could not be fitted, if it was tried and failed.
    pub fn failure(&self, kind: ModelKind) -> Option<&ClvError> {
        self.failures
            .iter()
            .find(|(failed, _)| *failed == kind)
            .map(|(_, error)| error)
    }
}

/// The fits of one book per [`FitKey`], the most recently made last.
#[derive(Debug, Default)]
pub struct FitCache {
    entries: Vec<(FitKey, CalibrationFits)>,
    /// Purchase-model fits made through this cache, for tests and benchmarks to see what it saved.
    fitted: usize,
}

impl FitCache {
    /// The fits of `key`, empty when none was made yet (the oldest key is dropped to make room).
    pub fn entry(&mut self, key: FitKey) -> &mut CalibrationFits {
        let index = match self.entries.iter().position(|(known, _)| *known == key) {
            Some(index) => index,
            None => {
                if self.entries.len() == CAPACITY {
                    self.entries.remove(0);
                }
                self.entries.push((key, CalibrationFits::default()));
                self.entries.len() - 1
            }
        };
        &mut self.entries[index].1
    }

    /// Counts a purchase-model fit made for this cache.
    pub fn count_fit(&mut self) {
        self.fitted += 1;
    }

    /// Purchase-model fits made for this cache so far.
    pub fn fits_made(&self) -> usize {
        self.fitted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(calibration_end: i32) -> FitKey {
        FitKey {
            calibration_end,
            period_days: 7.0,
            penalizer: Penalizer::Fixed(0.0),
        }
    }

    #[test]
    fn keeps_the_latest_calibrations() {
        let mut cache = FitCache::default();
        cache
            .entry(key(0))
            .failures
            .push((ModelKind::BgNbd, ClvError::NoCustomers));
        assert!(cache.entry(key(0)).has(ModelKind::BgNbd));
        assert!(!cache.entry(key(0)).has(ModelKind::ParetoNbd));
        for end in 1..=CAPACITY as i32 {
            cache.entry(key(end));
        }
        // Key 0 was the oldest: dropped, so it comes back empty.
        assert!(!cache.entry(key(0)).has(ModelKind::BgNbd));
        assert_eq!(cache.entries.len(), CAPACITY);
    }
}
