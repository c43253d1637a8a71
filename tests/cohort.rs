//! Cohorts, retention rates and growth accounting on real data (a committed slice of UCI Online
//! Retail) and on hand-made books, through the public API.
//!
//! `data/online-retail-cohort-slice.csv` holds real, unmodified lines of the full file: for
//! every invoice of the 885 customers whose first purchase was in December 2010, its first line
//! (for a purchase, its first line with a non-negative amount, so it stays a purchase); for every
//! other customer, the first line of their first purchase. Cohort sizes and who bought in which
//! month are therefore those of the full file; revenue is not (one line per invoice).

use customer_lens::book::{CustomerOrders, parse_iso_day};
use customer_lens::cohort::{self, Period};
use customer_lens::ingest::{IngestOptions, read_csv};
use customer_lens::{OrderBook, OrderKind};

const SLICE: &[u8] = include_bytes!("data/online-retail-cohort-slice.csv");

/// Sums of money computed in a different order than Python's: a cent is plenty.
const MONEY_TOLERANCE: f64 = 0.005;

/// Monthly cohort sizes of UCI Online Retail, December 2010 to December 2011.
const MONTHLY_COHORT_SIZES: [u32; 13] = [
    885, 417, 380, 452, 300, 284, 242, 188, 169, 299, 358, 324, 41,
];

/// Customers of the December 2010 cohort with a purchase in each month since.
const DECEMBER_2010_ACTIVE: [u32; 13] = [
    885, 324, 286, 340, 321, 352, 321, 309, 313, 350, 331, 445, 235,
];

/// Purchases of the December 2010 cohort in each month since.
const DECEMBER_2010_ORDERS: [u32; 13] = [
    1400, 517, 458, 582, 504, 651, 572, 547, 539, 642, 628, 945, 335,
];

fn day(text: &str) -> i32 {
    parse_iso_day(text).unwrap()
}

fn slice_book() -> OrderBook {
    read_csv(SLICE, &IngestOptions::preset("online-retail")).expect("the slice reads")
}

fn assert_money(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() < MONEY_TOLERANCE, "k = {k}: {g} vs {w}");
    }
}

/// Checks one cohort table's own arithmetic.
fn assert_consistent(table: &cohort::CohortTable) {
    for c in &table.cohorts {
        assert_eq!(
            c.customers[0], c.size,
            "{}: everyone buys in period 0",
            c.label
        );
        assert_eq!(c.retention[0], 1.0);
        for k in 0..c.customers.len() {
            assert!(c.customers[k] <= c.size && c.customers[k] <= c.orders[k]);
            let expected = f64::from(c.customers[k]) / f64::from(c.size);
            assert!((c.retention[k] - expected).abs() < 1e-12);
        }
        let total: f64 = c.revenue.iter().sum::<f64>() / f64::from(c.size);
        let last = *c.cumulative_revenue_per_customer.last().unwrap();
        assert!((last - total).abs() < 1e-6);
    }
    if let Some(&first) = table.average_retention.first() {
        assert_eq!(first, 1.0);
    }
}

#[test]
fn online_retail_monthly_cohorts() {
    let book = slice_book();
    let table = cohort::cohorts(&book, Period::Month).unwrap();
    assert_consistent(&table);
    assert_eq!(table.cohorts.len(), 13);
    let sizes: Vec<u32> = table.cohorts.iter().map(|c| c.size).collect();
    assert_eq!(sizes, MONTHLY_COHORT_SIZES);
    assert!(table.last_period_incomplete, "the data ends on 2011-12-09");
    assert_eq!(table.last_date, Some(day("2011-12-09")));

    let december = &table.cohorts[0];
    assert_eq!(
        (december.label.as_str(), december.start),
        ("2010-12", day("2010-12-01"))
    );
    assert_eq!(december.size, 885);
    assert_eq!(december.customers[1], 324, "bought again in January 2011");
    assert_eq!(december.customers[2], 286, "bought again in February 2011");
    assert_eq!(december.customers, DECEMBER_2010_ACTIVE);
    assert_eq!(december.orders, DECEMBER_2010_ORDERS);
    // Revenue of the slice (one line per invoice), computed independently in Python.
    assert_money(
        &december.revenue,
        &[
            75537.04, 29481.81, 28124.09, 38718.9, 28202.98, 52111.33, 39935.23, 33720.02,
            33005.87, 50990.7, 60429.73, 56034.77, 19899.1,
        ],
    );
    // December 2011 is incomplete: the average leaves each cohort's December cell out.
    assert_eq!(table.average_retention.len(), 12);
    assert_eq!(table.average_retention_cohorts[0], 12);
    assert_eq!(
        table.average_retention_customers[0],
        u64::from(MONTHLY_COHORT_SIZES[..12].iter().sum::<u32>())
    );
}

#[test]
fn every_period_kind_accounts_for_every_buyer() {
    let book = slice_book();
    for period in Period::ALL {
        let table = cohort::cohorts(&book, period).unwrap();
        assert_consistent(&table);
        let buyers: u64 = table.cohorts.iter().map(|c| u64::from(c.size)).sum();
        assert_eq!(buyers, book.report.customers_with_purchase, "{period:?}");
        let starts: Vec<i32> = table.cohorts.iter().map(|c| c.start).collect();
        assert!(
            starts.windows(2).all(|w| w[0] < w[1]),
            "{period:?}: oldest first"
        );
        // The triangle: each cohort runs to the data's last period.
        let last_period = period.number_of_day(day("2011-12-09"));
        for c in &table.cohorts {
            let expected = last_period - period.number_of_day(c.start) + 1;
            assert_eq!(
                c.customers.len(),
                expected as usize,
                "{period:?} {}",
                c.label
            );
        }
    }
    let weekly = cohort::cohorts(&book, Period::Week).unwrap();
    assert_eq!(weekly.cohorts[0].label, "2010-W48");
    assert_eq!(weekly.cohorts[0].start, day("2010-11-29"), "a Monday");
    let quarterly = cohort::cohorts(&book, Period::Quarter).unwrap();
    let labels: Vec<&str> = quarterly.cohorts.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        ["2010-Q4", "2011-Q1", "2011-Q2", "2011-Q3", "2011-Q4"]
    );
    assert_eq!(quarterly.cohorts[0].size, 885);
}

/// The slow, obvious way to count S, E and N, to check the fast one against.
fn brute_force_sen(
    book: &OrderBook,
    grouped: &CustomerOrders,
    start: i32,
    end: i32,
    window: i32,
) -> (u32, u32, u32) {
    let active_at = |days: &[i32], d: i32| days.iter().any(|&p| d - window < p && p <= d);
    let (mut s, mut e, mut n) = (0, 0, 0);
    for c in 0..grouped.customer_count() {
        let days: Vec<i32> = grouped
            .of(c)
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| book.kind[i] == OrderKind::Purchase)
            .map(|i| book.day[i])
            .collect();
        s += u32::from(active_at(&days, start - 1));
        e += u32::from(active_at(&days, end));
        n += u32::from(days.first().is_some_and(|&f| start <= f && f <= end));
    }
    (s, e, n)
}

#[test]
fn retention_rates_match_a_brute_force_count() {
    let book = slice_book();
    let grouped = book.customer_orders();
    for (period, window) in [
        (Period::Month, 365),
        (Period::Month, 30),
        (Period::Quarter, 90),
    ] {
        let series = cohort::retention_rates(&book, &grouped, period, window).unwrap();
        assert_eq!(series.periods[0].active_at_start, 0);
        for p in &series.periods {
            let expected = brute_force_sen(&book, &grouped, p.start, p.end, window as i32);
            assert_eq!(
                (p.active_at_start, p.active_at_end, p.acquired),
                expected,
                "{period:?} W={window} {}",
                p.label
            );
            if let (Some(retention), Some(churn)) = (p.retention_rate, p.churn_rate) {
                let s = f64::from(p.active_at_start);
                let e = f64::from(p.active_at_end);
                let n = f64::from(p.acquired);
                assert!((retention - (e - n) / s).abs() < 1e-12);
                assert!((churn - (s - e) / s).abs() < 1e-12);
            }
        }
        let last = series.periods.last().unwrap();
        assert_eq!(last.end, day("2011-12-09"));
        assert!(last.incomplete);
    }
    let range =
        cohort::retention_between(&book, &grouped, day("2011-01-01"), day("2011-06-30"), 365)
            .unwrap();
    let expected = brute_force_sen(&book, &grouped, day("2011-01-01"), day("2011-06-30"), 365);
    assert_eq!(
        (range.active_at_start, range.active_at_end, range.acquired),
        expected
    );
    // Everyone active at the start of 2011 is a December 2010 buyer, and with W = 365 they are
    // all still active at the end of June: E − N = S, a retention rate of exactly 1 (and a
    // negative churn rate, since E counts the customers acquired since).
    assert_eq!(range.active_at_start, 885);
    assert_eq!(range.active_at_end - range.acquired, 885);
    assert_eq!(range.retention_rate, Some(1.0));
}

#[test]
fn growth_accounting_sums_hold_on_real_data() {
    let book = slice_book();
    let grouped = book.customer_orders();
    for period in Period::ALL {
        let growth = cohort::growth_accounting(&book, &grouped, period).unwrap();
        let mut new = 0u64;
        for (t, here) in growth.periods.iter().enumerate() {
            assert_eq!(here.active, here.new + here.retained + here.resurrected);
            assert!(here.churned <= 0 && here.churned_revenue <= 0.0);
            if t > 0 {
                let before = &growth.periods[t - 1];
                assert_eq!(
                    i64::from(before.active),
                    i64::from(here.retained) - here.churned,
                    "{period:?} {}: previous active = retained + churned",
                    here.label
                );
            }
            new += u64::from(here.new);
        }
        assert_eq!(new, book.report.customers_with_purchase);
    }
    let monthly = cohort::growth_accounting(&book, &grouped, Period::Month).unwrap();
    let january = &monthly.periods[1];
    assert_eq!(january.label, "2011-01");
    assert_eq!((january.new, january.retained), (417, 324));
    assert_eq!(january.churned, -(885 - 324));
}

#[test]
fn iso_weeks_and_quarters_on_a_hand_made_book() {
    use OrderKind::{Purchase, Return};
    let book = OrderBook::from_orders([
        (Some("a"), day("2020-12-28"), 10.0, Purchase),
        (Some("b"), day("2021-01-03"), 20.0, Purchase),
        (Some("a"), day("2021-01-04"), 5.0, Purchase),
        (Some("c"), day("2021-01-05"), -5.0, Return),
        (Some("c"), day("2021-01-06"), 8.0, Purchase),
        (None, day("2021-04-01"), 1.0, Purchase),
    ]);
    let weeks = cohort::cohorts(&book, Period::Week).unwrap();
    let rows: Vec<(&str, u32, &[u32])> = weeks
        .cohorts
        .iter()
        .map(|c| (c.label.as_str(), c.size, c.customers.as_slice()))
        .collect();
    // The data runs to the guest order of 2021-04-01 (week 13): each row has that many cells.
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].0, "2020-W53");
    assert_eq!((rows[0].1, &rows[0].2[..2]), (2, &[2, 1][..]));
    assert_eq!(rows[1].0, "2021-W01");
    assert_eq!(rows[1].1, 1);
    assert!(weeks.last_period_incomplete, "2021-04-01 is a Thursday");

    let quarters = cohort::cohorts(&book, Period::Quarter).unwrap();
    let q: Vec<(&str, u32, &[u32], &[f64])> = quarters
        .cohorts
        .iter()
        .map(|c| {
            (
                c.label.as_str(),
                c.size,
                c.customers.as_slice(),
                c.revenue.as_slice(),
            )
        })
        .collect();
    assert_eq!(
        q,
        [
            ("2020-Q4", 1, &[1, 1, 0][..], &[10.0, 5.0, 0.0][..]),
            ("2021-Q1", 2, &[2, 0][..], &[28.0, 0.0][..]),
        ]
    );
}

/// The acceptance figures on the full file, which is not in the repository. Run with
/// `ONLINE_RETAIL_CSV=/path/to/online-retail.csv cargo test --test cohort -- --ignored`.
#[test]
#[ignore = "needs the full UCI Online Retail file named by ONLINE_RETAIL_CSV"]
fn online_retail_full_file_monthly_cohorts() {
    let path = std::env::var("ONLINE_RETAIL_CSV")
        .expect("set ONLINE_RETAIL_CSV to the decompressed online-retail.csv");
    let bytes = std::fs::read(&path).expect("the file named by ONLINE_RETAIL_CSV reads");
    let book = read_csv(&bytes, &IngestOptions::preset("online-retail")).unwrap();
    let table = cohort::cohorts(&book, Period::Month).unwrap();
    assert_consistent(&table);
    let sizes: Vec<u32> = table.cohorts.iter().map(|c| c.size).collect();
    assert_eq!(sizes, MONTHLY_COHORT_SIZES);
    let december = &table.cohorts[0];
    assert_eq!(december.customers, DECEMBER_2010_ACTIVE);
    assert_eq!(december.orders, DECEMBER_2010_ORDERS);
    assert_money(
        &december.revenue,
        &[
            572713.89, 276237.69, 233845.37, 303119.39, 204407.66, 336627.5, 314162.61, 310783.92,
            331749.22, 472813.64, 456080.61, 513803.59, 185803.13,
        ],
    );
    // Weighted average retention one month after acquisition: 940 of the 3,974 customers of
    // the cohorts December 2010 to October 2011 bought in their second month.
    assert!((table.average_retention[1] - 940.0 / 3974.0).abs() < 1e-12);
}
