//! The overview a store owner reads first ("how is my customer base doing?"): per week, month,
//! quarter or year, new and returning customers and their revenue, orders, revenue, active
//! customers, repeat-purchase rate, orders per customer, average order value and churn, and the
//! same figures over the whole book.
//!
//! Definitions (a period runs from its first day to its last, or to the data's last day when the
//! data stops earlier — that period is flagged incomplete):
//! - a customer is **acquired** on the day of their first purchase in their whole history
//!   ([`OrderBook::acquisition`], so that a book cut down by a filter still knows who is new);
//!   **new customers** of a period = customers with a purchase in it who were
//!   acquired in it, **returning customers** = customers with a purchase in it acquired in an
//!   earlier period;
//! - **revenue** = the net value of every order of the period (purchases minus returns, guests
//!   included); **new revenue** and **returning revenue** = the net value of the orders of
//!   customers acquired in the period and before it; **other revenue** = the rest (guest orders,
//!   and returns of customers acquired in a later period or never), so the three add up to the
//!   revenue;
//! - **orders** = purchases + returns (guests included);
//! - **active customers** = customers with a purchase in the last W days at the period's end, and
//!   **churn rate** = lost / S, both exactly as [`crate::cohort::retention`] counts them;
//! - **repeat-purchase rate** = the share of the period's buying customers who had bought on an
//!   earlier day by their last purchase in the period: every returning customer, and new
//!   customers who came back on a second day within the period (purchase *days*, as the
//!   lifecycle and CLV analyses count them). This is Shopify's "returning customer rate"
//!   measured per period; over the whole book it is the share of buying customers with purchases
//!   on two or more days, the lifecycle's repeat-purchase rate at the data's last day;
//! - **orders per customer** = identified customers' purchases / buying customers (guests left
//!   out of both); **average order value** = value of the purchases / purchases (guests
//!   included, returns left out).
//!
//! Rates are `None` when their denominator is 0.

use serde::Serialize;

use crate::book::{ANONYMOUS, CustomerOrders, NO_PURCHASE, OrderBook, OrderKind};
use crate::cohort::period::{Period, PeriodLookup};
use crate::cohort::{ActiveWindow, ActiveWindowSource, CohortError, retention_rates};

/// `book.overview({ period, activeWindowDays })`: the dashboard's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub period: Period,
    /// W: active = a purchase within the last W days.
    pub active_window_days: u32,
    pub active_window_source: ActiveWindowSource,
    pub store_gap_days: Option<f64>,
    /// True when the data's last day comes before the end of its period.
    pub last_period_incomplete: bool,
    /// The data's last day (any order).
    #[serde(serialize_with = "crate::day::serialize_optional")]
    pub last_date: Option<i32>,
    /// From the period of the first order to the period of the last, oldest first; periods
    /// without orders are listed with zeros.
    pub periods: Vec<OverviewPeriod>,
    pub totals: OverviewTotals,
}

/// The figures of one period.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OverviewPeriod {
    #[serde(serialize_with = "crate::day::serialize")]
    pub start: i32,
    /// The period's last day, or the data's last day when it comes earlier.
    #[serde(serialize_with = "crate::day::serialize")]
    pub end: i32,
    /// `2011-W01`, `2011-01`, `2011-Q1` or `2011`.
    pub label: String,
    pub incomplete: bool,
    pub new_customers: u32,
    pub returning_customers: u32,
    pub new_revenue: f64,
    pub returning_revenue: f64,
    pub other_revenue: f64,
    pub orders: u32,
    pub purchases: u32,
    pub returns: u32,
    pub revenue: f64,
    pub active_customers: u32,
    /// Buying customers who had bought on an earlier day (the repeat-purchase rate's numerator).
    pub repeat_customers: u32,
    pub repeat_rate: Option<f64>,
    pub orders_per_customer: Option<f64>,
    pub average_order_value: Option<f64>,
    /// Customers active at the period's start and not at its end (churn's numerator).
    pub lost_customers: u32,
    pub churn_rate: Option<f64>,
}

/// The figures over the whole book.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OverviewTotals {
    /// Customers with a purchase.
    pub customers: u32,
    /// Customers acquired in one of the periods (each is new in exactly one).
    pub new_customers: u32,
    /// Customers with a purchase acquired before the first period (only when the book was cut
    /// down by a date range).
    pub returning_customers: u32,
    pub new_revenue: f64,
    pub returning_revenue: f64,
    pub other_revenue: f64,
    pub revenue: f64,
    pub orders: u32,
    pub purchases: u32,
    pub returns: u32,
    /// Customers who had bought on an earlier day by their last purchase.
    pub repeat_customers: u32,
    pub repeat_rate: Option<f64>,
    pub orders_per_customer: Option<f64>,
    pub average_order_value: Option<f64>,
}

/// What a period (or the whole book) sums up before the rates are taken.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    new_customers: u32,
    returning_customers: u32,
    repeat_customers: u32,
    new_revenue: f64,
    returning_revenue: f64,
    other_revenue: f64,
    orders: u32,
    purchases: u32,
    /// Purchases of identified customers (orders per customer leaves guests out).
    customer_purchases: u32,
    returns: u32,
    revenue: f64,
    purchase_value: f64,
}

impl Tally {
    fn add_order(&mut self, value: f64, kind: OrderKind) {
        self.orders += 1;
        self.revenue += value;
        match kind {
            OrderKind::Purchase => {
                self.purchases += 1;
                self.purchase_value += value;
            }
            OrderKind::Return => self.returns += 1,
        }
    }

    fn customers(&self) -> u32 {
        self.new_customers + self.returning_customers
    }

    fn repeat_rate(&self) -> Option<f64> {
        ratio(f64::from(self.repeat_customers), self.customers())
    }

    fn orders_per_customer(&self) -> Option<f64> {
        ratio(f64::from(self.customer_purchases), self.customers())
    }

    fn average_order_value(&self) -> Option<f64> {
        ratio(self.purchase_value, self.purchases)
    }
}

fn ratio(numerator: f64, denominator: u32) -> Option<f64> {
    (denominator > 0).then(|| numerator / f64::from(denominator))
}

/// The overview of `book` by `period`. Each customer is acquired on their first purchase in
/// their whole history: [`OrderBook::acquisition`] for a filtered book, else their first
/// purchase in the book.
pub fn overview(
    book: &OrderBook,
    by_customer: &CustomerOrders,
    period: Period,
    window: ActiveWindow,
) -> Result<Overview, CohortError> {
    let retention = retention_rates(book, by_customer, period, window)?;
    let mut overview = Overview {
        period,
        active_window_days: window.days,
        active_window_source: window.source,
        store_gap_days: window.store_gap_days,
        last_period_incomplete: false,
        last_date: book.last_day(),
        periods: Vec::new(),
        totals: OverviewTotals::default(),
    };
    let (Some(first_day), Some(last_day)) = (book.first_day(), book.last_day()) else {
        return Ok(overview);
    };
    let lookup = PeriodLookup::new(period, first_day, last_day);
    let span = lookup.offset(last_day) as usize + 1;
    let mut tallies = vec![Tally::default(); span];
    let mut total = Tally::default();

    for ((&c, &day), (&value, &kind)) in book
        .customer
        .iter()
        .zip(&book.day)
        .zip(book.value.iter().zip(&book.kind))
    {
        let tally = &mut tallies[lookup.offset(day) as usize];
        tally.add_order(value, kind);
        total.add_order(value, kind);
        if c == ANONYMOUS {
            tally.other_revenue += value;
            total.other_revenue += value;
        }
    }

    let first_number = lookup.number(0);
    for c in 0..by_customer.customer_count() {
        let orders = by_customer.of(c);
        let first_purchase = orders
            .iter()
            .map(|&i| i as usize)
            .find(|&i| book.kind[i] == OrderKind::Purchase)
            .map(|i| book.day[i]);
        let acquired = match &book.acquisition {
            Some(days) => (days[c] != NO_PURCHASE).then_some(days[c]),
            None => first_purchase,
        };
        let Some(acquired) = acquired else {
            // Never bought: their returns are nobody's new or returning revenue.
            for &i in orders {
                let i = i as usize;
                tallies[lookup.offset(book.day[i]) as usize].other_revenue += book.value[i];
                total.other_revenue += book.value[i];
            }
            continue;
        };
        let acquired_number = period.number_of_day(acquired);
        // The period of the customer's last purchase seen so far, and that purchase's day.
        let mut last_purchase: Option<(usize, i32)> = None;
        let close_period = |tallies: &mut [Tally], (slot, day): (usize, i32)| {
            if acquired < day {
                tallies[slot].repeat_customers += 1;
            }
        };
        for &i in orders {
            let i = i as usize;
            let slot = lookup.offset(book.day[i]) as usize;
            let number = lookup.number(slot as u32);
            let value = book.value[i];
            let tally = &mut tallies[slot];
            if acquired_number == number {
                tally.new_revenue += value;
                total.new_revenue += value;
            } else if acquired_number < number {
                tally.returning_revenue += value;
                total.returning_revenue += value;
            } else {
                tally.other_revenue += value;
                total.other_revenue += value;
            }
            if book.kind[i] != OrderKind::Purchase {
                continue;
            }
            tally.customer_purchases += 1;
            total.customer_purchases += 1;
            match last_purchase {
                Some((last_slot, _)) if last_slot == slot => {}
                previous => {
                    if let Some(previous) = previous {
                        close_period(&mut tallies, previous);
                    }
                    let tally = &mut tallies[slot];
                    if acquired_number < number {
                        tally.returning_customers += 1;
                    } else {
                        tally.new_customers += 1;
                    }
                }
            }
            last_purchase = Some((slot, book.day[i]));
        }
        if let Some(last) = last_purchase {
            close_period(&mut tallies, last);
            if acquired_number < first_number {
                total.returning_customers += 1;
            } else {
                total.new_customers += 1;
            }
            if acquired < last.1 {
                total.repeat_customers += 1;
            }
        }
    }

    // Active customers and churn per period, as the retention rates count them; they start at
    // the first purchase's period, which may come after the first order's.
    let mut churn = vec![(0u32, 0u32, None); span];
    for p in &retention.periods {
        let slot = (period.number_of_day(p.start) - first_number) as usize;
        churn[slot] = (p.active_at_end, p.lost, p.churn_rate);
    }

    overview.last_period_incomplete = last_day < period.last_day(lookup.number(span as u32 - 1));
    overview.periods = tallies
        .iter()
        .zip(churn)
        .enumerate()
        .map(|(slot, (tally, (active, lost, churn_rate)))| {
            let number = lookup.number(slot as u32);
            let end = period.last_day(number).min(last_day);
            OverviewPeriod {
                start: period.first_day(number),
                end,
                label: period.label(number),
                incomplete: end < period.last_day(number),
                new_customers: tally.new_customers,
                returning_customers: tally.returning_customers,
                new_revenue: tally.new_revenue,
                returning_revenue: tally.returning_revenue,
                other_revenue: tally.other_revenue,
                orders: tally.orders,
                purchases: tally.purchases,
                returns: tally.returns,
                revenue: tally.revenue,
                active_customers: active,
                repeat_customers: tally.repeat_customers,
                repeat_rate: tally.repeat_rate(),
                orders_per_customer: tally.orders_per_customer(),
                average_order_value: tally.average_order_value(),
                lost_customers: lost,
                churn_rate,
            }
        })
        .collect();
    overview.totals = OverviewTotals {
        customers: total.customers(),
        new_customers: total.new_customers,
        returning_customers: total.returning_customers,
        new_revenue: total.new_revenue,
        returning_revenue: total.returning_revenue,
        other_revenue: total.other_revenue,
        revenue: total.revenue,
        orders: total.orders,
        purchases: total.purchases,
        returns: total.returns,
        repeat_customers: total.repeat_customers,
        repeat_rate: total.repeat_rate(),
        orders_per_customer: total.orders_per_customer(),
        average_order_value: total.average_order_value(),
    };
    Ok(overview)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{assert_rate, book, day, window};

    use OrderKind::{Purchase, Return};

    /// Sums of a few whole amounts.
    const MONEY_TOLERANCE: f64 = 1e-9;

    /// January: a buys twice (5th, 20th), b once (25th), e returns something and never buys.
    /// February: b twice on the 10th, c returns something on the 14th and buys on the 20th, a
    /// guest buys. March (the data stops on the 20th): a buys and returns, a guest returns, d
    /// buys.
    fn three_months() -> OrderBook {
        let mut orders = vec![
            (Some("a"), day("2011-01-05"), 10.0, Purchase),
            (Some("a"), day("2011-01-20"), 20.0, Purchase),
            (Some("b"), day("2011-01-25"), 40.0, Purchase),
            (Some("e"), day("2011-01-10"), -3.0, Return),
            (Some("b"), day("2011-02-10"), 50.0, Purchase),
            (Some("b"), day("2011-02-10"), 5.0, Purchase),
            (Some("c"), day("2011-02-14"), -8.0, Return),
            (Some("c"), day("2011-02-20"), 12.0, Purchase),
            (None, day("2011-02-01"), 7.0, Purchase),
            (Some("a"), day("2011-03-03"), 30.0, Purchase),
            (Some("a"), day("2011-03-10"), -5.0, Return),
            (None, day("2011-03-15"), -2.0, Return),
            (Some("d"), day("2011-03-20"), 100.0, Purchase),
        ];
        // Storage order must not matter.
        orders.reverse();
        orders.swap(2, 9);
        OrderBook::from_orders(orders)
    }

    /// (new, returning, repeat, orders, purchases, returns, active, lost) of a period.
    fn counts(p: &OverviewPeriod) -> [u32; 8] {
        [
            p.new_customers,
            p.returning_customers,
            p.repeat_customers,
            p.orders,
            p.purchases,
            p.returns,
            p.active_customers,
            p.lost_customers,
        ]
    }

    /// (revenue, new, returning, other) of a period.
    fn money(p: &OverviewPeriod) -> [f64; 4] {
        [
            p.revenue,
            p.new_revenue,
            p.returning_revenue,
            p.other_revenue,
        ]
    }

    #[test]
    fn monthly_figures_worked_out_by_hand() {
        let book = three_months();
        let result = overview(&book, &book.customer_orders(), Period::Month, window(30)).unwrap();
        assert_eq!(result.period, Period::Month);
        assert_eq!(result.active_window_days, 30);
        assert!(result.last_period_incomplete, "the data stops on 20 March");
        assert_eq!(result.last_date, Some(day("2011-03-20")));
        let labels: Vec<_> = result.periods.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2011-01", "2011-02", "2011-03"]);
        let [january, february, march] = &result.periods[..] else {
            panic!("three months")
        };
        assert_eq!(
            (january.start, january.end),
            (day("2011-01-01"), day("2011-01-31"))
        );
        assert_eq!((march.end, march.incomplete), (day("2011-03-20"), true));
        assert!(!january.incomplete && !february.incomplete);

        // January: a and b new; a came back on a second day; e's return is nobody's revenue.
        // Active at 31 January (W = 30): a (20th), b (25th); nobody was active before.
        assert_eq!(counts(january), [2, 0, 1, 4, 3, 1, 2, 0]);
        assert_eq!(money(january), [67.0, 70.0, 0.0, -3.0]);
        assert_rate(january.repeat_rate, 0.5, "January repeat");
        assert_rate(
            january.orders_per_customer,
            1.5,
            "January orders per customer",
        );
        assert_rate(january.average_order_value, 70.0 / 3.0, "January AOV");
        assert_eq!(january.churn_rate, None, "S = 0");

        // February: b returns (bought before: a repeat customer), c is new (its return on the
        // 14th, before its first purchase but in the month it was acquired, is new revenue).
        // Active at 28 February: b (10th), c (20th); a (last 20 January) is lost of S = {a, b}.
        assert_eq!(counts(february), [1, 1, 1, 5, 4, 1, 2, 1]);
        assert_eq!(money(february), [66.0, 4.0, 55.0, 7.0]);
        assert_rate(february.repeat_rate, 0.5, "February repeat");
        assert_rate(
            february.orders_per_customer,
            1.5,
            "b's two orders and c's one",
        );
        assert_rate(february.average_order_value, 74.0 / 4.0, "guests included");
        assert_rate(february.churn_rate, 0.5, "February churn");

        // March to the 20th: a returning, d new. Active at the 20th: a, c, d; b (10 February)
        // is lost of S = {b, c}.
        assert_eq!(counts(march), [1, 1, 1, 4, 2, 2, 3, 1]);
        assert_eq!(money(march), [123.0, 100.0, 25.0, -2.0]);
        assert_rate(march.average_order_value, 65.0, "returns left out");
        assert_rate(march.churn_rate, 0.5, "March churn");

        let totals = &result.totals;
        assert_eq!(
            (
                totals.customers,
                totals.new_customers,
                totals.returning_customers,
                totals.repeat_customers,
                totals.orders,
                totals.purchases,
                totals.returns
            ),
            (4, 4, 0, 2, 13, 9, 4)
        );
        assert_eq!(
            [
                totals.revenue,
                totals.new_revenue,
                totals.returning_revenue,
                totals.other_revenue
            ],
            [256.0, 174.0, 80.0, 2.0]
        );
        assert_rate(totals.repeat_rate, 0.5, "a and b bought on two days");
        assert_rate(totals.orders_per_customer, 2.0, "8 purchases, 4 customers");
        assert_rate(totals.average_order_value, 274.0 / 9.0, "total AOV");
    }

    #[test]
    fn acquisition_from_the_whole_history_makes_earlier_customers_returning() {
        // As if a filter had kept these orders only: b first bought in December 2010, c on
        // 1 February 2011 (an order the filter dropped), e never.
        let mut book = three_months();
        let by_customer = book.customer_orders();
        let acquired_on = |id: &str| match id {
            "b" => day("2010-12-03"),
            "c" => day("2011-02-01"),
            "e" => NO_PURCHASE,
            _ => {
                let orders =
                    by_customer.of(book.customer_ids.iter().position(|c| c == id).unwrap());
                book.day[orders[0] as usize]
            }
        };
        book.acquisition = Some(book.customer_ids.iter().map(acquired_on).collect());
        let result = overview(&book, &by_customer, Period::Month, window(30)).unwrap();
        let january = &result.periods[0];
        // b is returning in January and had bought before: a repeat customer.
        assert_eq!(counts(january)[..3], [1, 1, 2]);
        assert_eq!(money(january), [67.0, 30.0, 40.0, -3.0]);
        // c is still new in February, and a repeat customer (bought on the 1st and the 20th).
        let february = &result.periods[1];
        assert_eq!(counts(february)[..3], [1, 1, 2]);
        let totals = &result.totals;
        assert_eq!(
            (
                totals.customers,
                totals.new_customers,
                totals.returning_customers
            ),
            (4, 3, 1)
        );
        assert_eq!(totals.repeat_customers, 3);
    }

    #[test]
    fn periods_without_orders_are_listed_and_every_kind_adds_up() {
        let book = three_months();
        let by_customer = book.customer_orders();
        for period in Period::ALL {
            let result = overview(&book, &by_customer, period, window(30)).unwrap();
            let sum = |f: fn(&OverviewPeriod) -> f64| result.periods.iter().map(f).sum::<f64>();
            assert!(
                (sum(|p| p.revenue) - 256.0).abs() < MONEY_TOLERANCE,
                "{period:?}"
            );
            // Who is new depends on the period (a's second purchase is new revenue in January,
            // returning revenue weekly), but the split always adds up.
            let split = sum(|p| p.new_revenue + p.returning_revenue + p.other_revenue);
            assert!((split - 256.0).abs() < MONEY_TOLERANCE, "{period:?}");
            assert!((sum(|p| p.new_revenue) - result.totals.new_revenue).abs() < MONEY_TOLERANCE);
            let new: u32 = result.periods.iter().map(|p| p.new_customers).sum();
            assert_eq!(new, 4, "{period:?}: every customer is new once");
            let orders: u32 = result.periods.iter().map(|p| p.orders).sum();
            assert_eq!(orders, 13);
            let starts: Vec<i32> = result.periods.iter().map(|p| p.start).collect();
            assert!(starts.windows(2).all(|w| w[0] < w[1]));
        }
        // Weekly: 2011-01-05 (week of Monday 3 January) to 2011-03-20 (a Sunday): 11 weeks,
        // some without an order, and the last one complete.
        let weekly = overview(&book, &by_customer, Period::Week, window(30)).unwrap();
        assert_eq!(weekly.periods.len(), 11);
        assert!(!weekly.last_period_incomplete);
        let empty = weekly.periods.iter().find(|p| p.orders == 0).unwrap();
        assert_eq!((empty.repeat_rate, empty.average_order_value), (None, None));
        let yearly = overview(&book, &by_customer, Period::Year, window(30)).unwrap();
        assert_eq!(yearly.periods.len(), 1);
        assert_eq!(yearly.periods[0].label, "2011");
        assert_eq!(counts(&yearly.periods[0])[..3], [4, 0, 2]);
        assert!(yearly.last_period_incomplete);
    }

    #[test]
    fn an_empty_book_has_no_periods_and_no_rates() {
        let book = OrderBook::default();
        let result = overview(&book, &book.customer_orders(), Period::Month, window(30)).unwrap();
        assert!(result.periods.is_empty());
        assert_eq!(result.totals, OverviewTotals::default());
        // Guests only: orders and revenue, no customers.
        let guests = OrderBook::from_orders([(None, day("2011-01-01"), 5.0, Purchase)]);
        let result = overview(
            &guests,
            &guests.customer_orders(),
            Period::Month,
            window(30),
        )
        .unwrap();
        assert_eq!(result.periods.len(), 1);
        assert_eq!(result.totals.orders, 1);
        assert_eq!(result.totals.repeat_rate, None);
        assert_rate(result.totals.average_order_value, 5.0, "guest AOV");
        assert_eq!(result.periods[0].churn_rate, None);
    }

    #[test]
    fn a_zero_window_is_refused() {
        let book = book(&[("a", "2011-01-01")]);
        let zero = ActiveWindow {
            days: 0,
            source: ActiveWindowSource::Chosen,
            store_gap_days: None,
        };
        assert!(overview(&book, &book.customer_orders(), Period::Month, zero).is_err());
    }
}
