//! The calibration summary: each customer's repeat-purchase history up to a calibration end, in
//! the (x, t_x, T, m̄) form the BG/NBD and Gamma-Gamma models take.
//!
//! Time is measured on days: every purchase day counts once (several orders on one day are one
//! purchase, their values summed) and returns are not purchases. With `period_days` = 7 this
//! reproduces, exactly, the CDNOW summary Fader, Hardie & Lee published (and `lifetimes` ships)
//! from the raw CDNOW transactions.

use crate::book::{CustomerOrders, OrderBook, OrderKind};

/// Per-customer repeat-purchase history at a calibration end, as parallel columns.
#[derive(Clone, Debug, Default)]
pub struct CalibrationSummary {
    /// Last day (inclusive) whose purchases are counted, in days since 1970-01-01.
    pub calibration_end: i32,
    /// Length of the model's time unit, in days.
    pub period_days: f64,
    /// Customer index in the book (into `OrderBook::customer_ids`).
    pub customer: Vec<u32>,
    /// x: purchase days − 1, i.e. repeat purchases.
    pub frequency: Vec<u32>,
    pub first_purchase_day: Vec<i32>,
    pub last_purchase_day: Vec<i32>,
    /// m̄: mean value of the repeat purchase days (0 when there is none); `lifetimes` likewise
    /// leaves the first purchase out.
    pub monetary_mean: Vec<f64>,
}

impl CalibrationSummary {
    pub fn len(&self) -> usize {
        self.customer.len()
    }

    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }

    /// t_x of customer row `i`, in periods.
    pub fn recency(&self, i: usize) -> f64 {
        (self.last_purchase_day[i] - self.first_purchase_day[i]) as f64 / self.period_days
    }

    /// T of customer row `i`, in periods.
    pub fn age(&self, i: usize) -> f64 {
        (self.calibration_end - self.first_purchase_day[i]) as f64 / self.period_days
    }

    /// Days from the first purchase to the calibration end (T in days).
    pub fn age_days(&self, i: usize) -> i32 {
        self.calibration_end - self.first_purchase_day[i]
    }

    pub fn frequencies(&self) -> Vec<f64> {
        self.frequency.iter().map(|&x| x as f64).collect()
    }

    pub fn recencies(&self) -> Vec<f64> {
        (0..self.len()).map(|i| self.recency(i)).collect()
    }

    pub fn ages(&self) -> Vec<f64> {
        (0..self.len()).map(|i| self.age(i)).collect()
    }
}

/// Summarises every customer whose first purchase is on or before `calibration_end`; purchases
/// after it are ignored, customers who first bought after it are left out.
pub fn calibration_summary(
    book: &OrderBook,
    orders: &CustomerOrders,
    calibration_end: i32,
    period_days: f64,
) -> CalibrationSummary {
    let mut summary = CalibrationSummary {
        calibration_end,
        period_days,
        ..Default::default()
    };
    for customer in 0..orders.customer_count() {
        let mut days = PurchaseDays::default();
        for &order in orders.of(customer) {
            let order = order as usize;
            if book.kind[order] != OrderKind::Purchase {
                continue;
            }
            let day = book.day[order];
            if day > calibration_end {
                break; // orders are sorted by day
            }
            days.add(day, book.value[order]);
        }
        if let Some(first) = days.first_day {
            summary.customer.push(customer as u32);
            summary.frequency.push(days.count - 1);
            summary.first_purchase_day.push(first);
            summary.last_purchase_day.push(days.current_day);
            let repeats = days.count - 1;
            summary.monetary_mean.push(if repeats > 0 {
                days.repeat_value / repeats as f64
            } else {
                0.0
            });
        }
    }
    summary
}

/// Running tally of one customer's distinct purchase days, fed in day order.
#[derive(Default)]
struct PurchaseDays {
    first_day: Option<i32>,
    current_day: i32,
    count: u32,
    /// Sum of the values of all purchase days after the first.
    repeat_value: f64,
}

impl PurchaseDays {
    fn add(&mut self, day: i32, value: f64) {
        match self.first_day {
            None => {
                self.first_day = Some(day);
                self.current_day = day;
                self.count = 1;
            }
            Some(first) => {
                if day != self.current_day {
                    self.current_day = day;
                    self.count += 1;
                }
                if day != first {
                    self.repeat_value += value;
                }
            }
        }
    }
}

/// First and last purchase day of identified customers, if any.
pub fn purchase_day_range(book: &OrderBook) -> Option<(i32, i32)> {
    let mut range: Option<(i32, i32)> = None;
    for i in 0..book.order_count() {
        if book.kind[i] == OrderKind::Purchase && book.customer[i] != crate::book::ANONYMOUS {
            let day = book.day[i];
            range = Some(match range {
                None => (day, day),
                Some((low, high)) => (low.min(day), high.max(day)),
            });
        }
    }
    range
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderKind::{Purchase, Return};

    /// Periods are day differences divided by `period_days`; exact in binary for these cases.
    const EXACT: f64 = 1e-12;

    #[test]
    fn same_day_purchases_count_once_and_returns_never() {
        let book = OrderBook::from_orders([
            (Some("a"), 0, 10.0, Purchase),
            (Some("a"), 0, 5.0, Purchase), // same day as the first: one purchase, value not a repeat
            (Some("a"), 7, 20.0, Purchase),
            (Some("a"), 7, 4.0, Purchase), // same day: merged into one repeat purchase of 24
            (Some("a"), 9, -20.0, Return), // returns are not purchases
            (Some("a"), 14, 30.0, Purchase),
            (Some("a"), 30, 99.0, Purchase), // after the calibration end
            (Some("b"), 21, 8.0, Purchase),
            (Some("c"), 22, 8.0, Purchase), // first purchase after the end: left out
            (Some("d"), 3, -5.0, Return),   // never purchased: left out
            (None, 1, 100.0, Purchase),
        ]);
        let summary = calibration_summary(&book, &book.customer_orders(), 21, 7.0);
        assert_eq!(summary.len(), 2);
        let ids: Vec<&str> = summary
            .customer
            .iter()
            .map(|&c| &book.customer_ids[c as usize])
            .collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(summary.frequency, [2, 0]);
        assert!((summary.recency(0) - 2.0).abs() < EXACT);
        assert!((summary.age(0) - 3.0).abs() < EXACT);
        assert!((summary.monetary_mean[0] - 27.0).abs() < EXACT);
        assert_eq!(
            (summary.recency(1), summary.age(1), summary.monetary_mean[1]),
            (0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn purchase_range_ignores_returns_and_guests() {
        let book = OrderBook::from_orders([
            (Some("a"), 5, 1.0, Purchase),
            (Some("a"), 1, -1.0, Return),
            (None, 0, 1.0, Purchase),
            (Some("b"), 9, 1.0, Purchase),
        ]);
        assert_eq!(purchase_day_range(&book), Some((5, 9)));
        assert_eq!(purchase_day_range(&OrderBook::default()), None);
    }
}
