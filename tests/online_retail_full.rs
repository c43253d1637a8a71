//! The acceptance figures on the full UCI Online Retail file. The file is not in the
//! repository (48 MB); this test reads `../shared/data/online-retail.csv.gz` (or the path in
//! `ONLINE_RETAIL_CSV`) when present and says it skipped otherwise.

mod common;

use common::{date, online_retail_full};
use customer_lens::cohort::{self, ActiveWindow, ActiveWindowSource, Period};
use customer_lens::ingest::{IngestOptions, read_csv};
use customer_lens::lifecycle::{self, LifecycleOptions};

#[test]
fn full_online_retail_summary() {
    let Some(bytes) = online_retail_full() else {
        eprintln!("skipped: ../shared/data/online-retail.csv.gz is not available");
        return;
    };
    let book = read_csv(&bytes, &IngestOptions::preset("online-retail")).unwrap();
    let r = &book.report;
    assert_eq!(r.rows_read, 541_909);
    assert_eq!(r.rows_accepted + r.rows_rejected, r.rows_read);
    assert_eq!(r.rows_rejected, 0, "{:?}", r.rejects);
    assert_eq!(r.rows_anonymous, 135_080);
    assert_eq!((r.orders, r.purchases, r.returns), (25_900, 22_062, 3_838));
    assert_eq!((r.customers, r.customers_with_purchase), (4_372, 4_339));
    assert!((r.revenue - 9_747_747.93).abs() < 0.005, "{}", r.revenue);
    assert_eq!(r.first_date.as_deref(), Some("2010-12-01"));
    assert_eq!(r.last_date.as_deref(), Some("2011-12-09"));
}

/// Retention and churn with the defaults, monthly: the store's typical repeat gap (52.5 days,
/// as the lifecycle view reports it) makes "active" a purchase within 53 days. Every complete
/// month with S > 0 has 0 ≤ churn < 1 and churn + retention = 1, and most months have churn > 0
/// (with the former 365-day default every month had churn 0 and a negative net churn).
#[test]
fn full_online_retail_monthly_churn_with_the_default_window() {
    let Some(bytes) = online_retail_full() else {
        eprintln!("skipped: ../shared/data/online-retail.csv.gz is not available");
        return;
    };
    let book = read_csv(&bytes, &IngestOptions::preset("online-retail")).unwrap();
    let grouped = book.customer_orders();
    let window = ActiveWindow::store_default(&book, &grouped);
    assert_eq!(
        (window.days, window.source, window.store_gap_days),
        (53, ActiveWindowSource::StoreGap, Some(52.5))
    );
    let report =
        lifecycle::lifecycle_report(&book, &grouped, &LifecycleOptions::default()).unwrap();
    assert_eq!(window.store_gap_days, Some(report.store_gap_days));
    let series = cohort::retention_rates(&book, &grouped, Period::Month, window).unwrap();
    let mut complete = 0;
    let mut churning = 0;
    for p in &series.periods {
        eprintln!(
            "{} S {} E {} N {} retained {} lost {} reactivated {} churn {:?} net churn {:?}",
            p.label,
            p.active_at_start,
            p.active_at_end,
            p.acquired,
            p.retained,
            p.lost,
            p.reactivated,
            p.churn_rate,
            p.net_churn_rate
        );
        if p.incomplete || p.active_at_start == 0 {
            continue;
        }
        let (retention, churn) = (p.retention_rate.unwrap(), p.churn_rate.unwrap());
        assert!((0.0..1.0).contains(&churn), "{}: churn {churn}", p.label);
        assert!((retention + churn - 1.0).abs() < 1e-12, "{}", p.label);
        assert_eq!(p.retained + p.lost, p.active_at_start);
        complete += 1;
        churning += usize::from(churn > 0.0);
    }
    assert_eq!(
        complete, 11,
        "January to November 2011 (December 2011 is incomplete)"
    );
    assert!(2 * churning > complete, "{churning} of {complete} months");
}

/// Time to the second purchase day: the Kaplan–Meier estimate over every customer, checked
/// against the `lifelines` package (0.30.3, `KaplanMeierFitter` on the same waits computed
/// from the CSV in Python), beside the median among those who came back (57 days, biased short).
#[test]
fn full_online_retail_time_to_second_purchase() {
    let Some(bytes) = online_retail_full() else {
        eprintln!("skipped: ../shared/data/online-retail.csv.gz is not available");
        return;
    };
    let book = read_csv(&bytes, &IngestOptions::preset("online-retail")).unwrap();
    let grouped = book.customer_orders();
    let cases = [
        // (as of, customers, came back, median among them, KM median, follow-up,
        //  KM share within 30, 60, 90, 180, 365 days)
        (
            "2011-12-09",
            4339,
            2790,
            Some(57.0),
            104,
            373,
            [
                Some(0.191814),
                Some(0.35529),
                Some(0.460142),
                Some(0.657518),
                Some(0.848044),
            ],
        ),
        (
            "2011-09-10",
            3370,
            1956,
            Some(50.0),
            106,
            283,
            [
                Some(0.188702),
                Some(0.349637),
                Some(0.452977),
                Some(0.639215),
                None,
            ],
        ),
    ];
    for (as_of, customers, back, observed_median, median, follow_up, within) in cases {
        let options = LifecycleOptions {
            as_of: Some(date(as_of)),
            ..LifecycleOptions::default()
        };
        let report = lifecycle::lifecycle_report(&book, &grouped, &options).unwrap();
        let second = &report.time_to_second_purchase;
        assert_eq!(
            (second.customers, second.repeat_customers),
            (customers, back)
        );
        assert_eq!(second.median_days, observed_median, "{as_of}");
        let km = &second.kaplan_meier;
        assert_eq!(km.median_days, Some(median), "{as_of}");
        assert_eq!(km.follow_up_days, Some(follow_up), "{as_of}");
        for (got, want) in km.within.iter().zip(within) {
            match want {
                // lifelines' figures are printed to six decimals.
                Some(want) => assert!(
                    (got.share.unwrap() - want).abs() < 5e-7,
                    "{as_of} {} days: {:?} vs {want}",
                    got.days,
                    got.share
                ),
                None => assert_eq!(got.share, None, "{as_of} {} days", got.days),
            }
        }
    }
}
