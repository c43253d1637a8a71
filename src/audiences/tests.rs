//! Audiences on small books whose answer is known by construction, and every audience checked
//! member by member against its definition evaluated from the analyses it reuses.

use super::definitions::{
    self, CROSS_SELL, DUE_TO_REORDER, HIGH_VALUE_AT_RISK, JUST_SLIPPED, ONE_AND_DONE,
    REPLENISHMENT, VIP_THANK_YOU, WIN_BACK,
};
use super::*;
use crate::fixtures::book;
use crate::lifecycle::stage_snapshot;

/// Day 1000 is the as-of date; every repeat customer buys every 10 days, so the store's gap
/// is 10.
fn constructed() -> OrderBook {
    let mut orders: Vec<(&str, i32, f64)> = Vec::new();
    let mut every_ten = |id: &'static str, first: i32, last: i32, value: f64| {
        orders.extend((first..=last).step_by(10).map(|d| (id, d, value)));
    };
    every_ten("steady", 910, 1000, 10.0); // active
    every_ten("slipped", 955, 975, 10.0); // 25 days since: passed 20 five days ago
    every_ten("slipped_long_ago", 952, 972, 10.0); // 28 days since: passed 20 eight days ago
    every_ten("not_yet", 960, 980, 10.0); // 20 days since: not past 2 × 10
    every_ten("lapsed_twice", 700, 710, 10.0); // lapsed, two purchase days
    every_ten("big_lapsed", 600, 610, 500.0); // lapsed, two purchase days, the biggest spender
    orders.extend([
        ("same_day_twice", 700, 10.0),
        ("same_day_twice", 700, 10.0),
        ("once_old", 800, 10.0),
        ("once_recent", 995, 10.0),
    ]);
    book(&orders)
}

fn ids(book: &OrderBook, members: &[u32]) -> Vec<String> {
    let mut ids: Vec<String> = members
        .iter()
        .map(|&c| book.customer_ids[c as usize].to_string())
        .collect();
    ids.sort();
    ids
}

fn run(book: &OrderBook, options: &AudienceOptions) -> Audiences {
    audiences(book, &book.customer_orders(), options).unwrap()
}

#[test]
fn the_rule_based_audiences_hold_who_was_built_into_them() {
    let book = constructed();
    let found = run(&book, &AudienceOptions::default());
    assert_eq!(found.as_of, 1000);
    assert_eq!(found.store_gap_days, 10.0);
    assert_eq!(ids(&book, &found.members[JUST_SLIPPED]), ["slipped"]);
    assert_eq!(
        ids(&book, &found.members[WIN_BACK]),
        ["big_lapsed", "lapsed_twice"]
    );
    assert_eq!(
        ids(&book, &found.members[ONE_AND_DONE]),
        ["once_old", "same_day_twice"]
    );
    assert_eq!(found.params.get(params::ONE_AND_DONE_AFTER_DAYS), 10.0);
    // A week more to look back over catches the one who slipped eight days ago.
    let mut options = AudienceOptions::default();
    options.params.set("slippedWithinDays", 8.0).unwrap();
    assert_eq!(
        ids(&book, &run(&book, &options).members[JUST_SLIPPED]),
        ["slipped", "slipped_long_ago"]
    );
    check_definitions(&book, &found);
}

#[test]
fn without_a_model_value_is_past_revenue_and_the_top_spender_at_risk_is_found() {
    let book = constructed();
    // A day after the data: the CLV model cannot be calibrated there, so values are past.
    let options = AudienceOptions {
        as_of: Some(Day(1001)),
        ..AudienceOptions::default()
    };
    let found = run(&book, &options);
    assert_eq!(found.basis, ValueBasis::Past);
    assert!(found.model_note.is_some());
    assert!(found.members[DUE_TO_REORDER].is_empty());
    // 10 customers: the top 10% is the one who spent 1000.
    assert_eq!(
        ids(&book, &found.members[HIGH_VALUE_AT_RISK]),
        ["big_lapsed"]
    );
    assert_eq!(found.revenue_at_stake(HIGH_VALUE_AT_RISK), 1000.0);
    check_definitions(&book, &found);
}

#[test]
fn exclusive_keeps_each_customer_in_their_highest_priority_audience() {
    let book = constructed();
    let all = run(&book, &AudienceOptions::default());
    let exclusive = run(
        &book,
        &AudienceOptions {
            exclusive: true,
            ..AudienceOptions::default()
        },
    );
    assert_eq!(exclusive.overlaps, all.overlaps);
    let mut seen = vec![0; book.customer_count()];
    for (a, members) in exclusive.members.iter().enumerate() {
        for &c in members {
            seen[c as usize] += 1;
            // In every audience of higher priority that held them, they are no more.
            let rank = |x: usize| DEFAULT_PRIORITY.iter().position(|&p| p == x).unwrap();
            for (b, other) in all.members.iter().enumerate() {
                if other.contains(&c) {
                    assert!(rank(b) >= rank(a), "customer {c}: {a} kept over {b}");
                }
            }
        }
    }
    let in_any = all
        .members
        .iter()
        .flatten()
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(seen.iter().filter(|&&n| n == 1).count(), in_any.len());
    assert!(seen.iter().all(|&n| n <= 1));
    assert_eq!(all.overlaps.customers, in_any.len());
    let several = (0..book.customer_count() as u32)
        .filter(|c| all.members.iter().filter(|m| m.contains(c)).count() > 1)
        .count();
    assert_eq!(all.overlaps.in_several, several);
    for pair in &all.overlaps.pairs {
        let members = |id: &str| &all.members[definitions::index_of(id).unwrap()];
        let both = members(pair.a)
            .iter()
            .filter(|c| members(pair.b).contains(c))
            .count();
        assert!(both > 0);
        assert_eq!(pair.customers, both, "{} and {}", pair.a, pair.b);
    }
    // Lapsed twice with the most spent: in both audiences that look for the lapsed.
    assert!(
        all.overlaps
            .pairs
            .iter()
            .any(|p| p.a == "oneAndDone" || p.b == "winBack")
    );
}

#[test]
fn a_parameter_out_of_range_or_unknown_is_refused_naming_it() {
    let mut values = ParamValues::default();
    let error = values.set("minPAlive", 1.5).unwrap_err();
    assert_eq!(error.code, crate::message::Code::OPTION_INVALID);
    assert_eq!(error.param("name"), Some("minPAlive"));
    let error = values.set("nope", 1.0).unwrap_err();
    assert_eq!(error.param("given"), Some("nope"));
    values.set("atRiskMultiplier", 5.0).unwrap();
    let error = values.validate().unwrap_err();
    assert_eq!(error.param("name"), Some("lapsedMultiplier"));
}

/// The report and the CSV say the same as the members.
#[test]
fn report_and_csv_list_the_members() {
    let book = constructed();
    let found = run(&book, &AudienceOptions::default());
    let defaults = ParamValues::default();
    let report = found.report(&defaults);
    let entry = &report.audiences[JUST_SLIPPED];
    assert_eq!(entry.customers, 1);
    let columns = found.columns(JUST_SLIPPED, &book);
    assert_eq!(columns.customer_ids, ["slipped"]);
    assert_eq!(columns.last_purchase, [975]);
    assert_eq!(columns.days_since_last_purchase, [25]);
    assert_eq!(columns.purchase_days, [3]);
    assert_eq!(entry.window.to, crate::Day(1000));
    assert_eq!(entry.window.from, crate::Day(994));
    assert!(
        entry
            .definition
            .contains("2× their own typical gap within the last 7 days")
    );
    let csv = found.csv(JUST_SLIPPED, &book, None);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            ["customer_id,", export::AUDIENCE_CSV_COLUMNS]
                .concat()
                .as_str()
        )
    );
    let row = lines.next().unwrap();
    assert!(
        row.starts_with("slipped,justSlipped,1972-09-02,25,3,"),
        "{row}"
    );
    assert_eq!(lines.next(), None);
}

/// Every customer of the book is in audience `a` exactly when its definition holds, evaluated
/// here from the lifecycle snapshot, the CLV analysis and the RFM table themselves.
fn check_definitions(book: &OrderBook, found: &Audiences) {
    let orders = book.customer_orders();
    let values = &found.params;
    let rules = LifecycleRules {
        at_risk_multiplier: values.get(params::AT_RISK_MULTIPLIER),
        lapsed_multiplier: values.get(params::LAPSED_MULTIPLIER),
        min_typical_gap_days: values.get(params::MIN_TYPICAL_GAP_DAYS),
        store_gap_days: None,
    };
    let snapshot = stage_snapshot(book, &orders, found.as_of, &rules).unwrap();
    let clv_options = ClvOptions {
        calibration_end: Some(Day(found.as_of)),
        horizon_days: values.get(params::HORIZON_DAYS),
        ..ClvOptions::default()
    };
    let analysis = clv::analyze(book, &orders, &clv_options).ok();
    let table = rfm::score_customers(
        book,
        &RfmOptions {
            as_of: Some(Day(found.as_of)),
            ..RfmOptions::default()
        },
    )
    .unwrap();
    let row_of = |c: usize| {
        analysis
            .as_ref()?
            .summary
            .customer
            .iter()
            .position(|&s| s as usize == c)
    };
    let value = |c: usize| match &analysis {
        Some(analysis) if found.basis == ValueBasis::Expected => row_of(c)
            .and_then(|i| analysis.scores.clv[i])
            .unwrap_or(f64::NAN),
        _ => (0..table.len())
            .find(|&i| table.customer(i) as usize == c)
            .map_or(f64::NAN, |i| table.net_value[i]),
    };
    let mut valued: Vec<f64> = (0..book.customer_count())
        .filter(|&c| snapshot.statuses[c].is_some())
        .map(value)
        .filter(|v| v.is_finite())
        .collect();
    valued.sort_by(|a, b| b.total_cmp(a));
    let top = ((valued.len() as f64 * values.get(params::TOP_VALUE_PERCENT) / 100.0).ceil()
        as usize)
        .max(1);
    let cutoff = valued.get(top - 1).copied().unwrap_or(f64::INFINITY);
    let before = found.as_of - values.get(params::DROP_OVER_DAYS) as i32;
    for c in 0..book.customer_count() {
        let Some(status) = &snapshot.statuses[c] else {
            assert!(found.members.iter().all(|m| !m.contains(&(c as u32))));
            continue;
        };
        let since = status.days_since_last_purchase as f64;
        let gap = status.typical_gap_days;
        let scores = analysis.as_ref().zip(row_of(c));
        let p_alive = scores.map_or(f64::NAN, |(a, i)| a.scores.p_alive[i]);
        let p_before = analysis.as_ref().and_then(|a| {
            let earlier = clv::summary::calibration_summary(book, &orders, before, 7.0);
            let i = earlier.customer.iter().position(|&s| s as usize == c)?;
            Some(a.model.p_alive(
                earlier.frequency[i] as f64,
                earlier.recency(i),
                earlier.age(i),
            ))
        });
        let due = scores
            .and_then(|(a, i)| a.scores.next_order_day[i])
            .is_some_and(|d| {
                d > found.as_of && d <= found.as_of + values.get(params::DUE_WITHIN_DAYS) as i32
            })
            && p_alive >= values.get(params::MIN_P_ALIVE);
        let slipped = status.purchase_days > 1
            && since > 2.0 * gap
            && since <= 2.0 * gap + values.get(params::SLIPPED_WITHIN_DAYS);
        let risky = matches!(status.stage, Stage::AtRisk | Stage::Lapsed)
            || p_before.is_some_and(|b| b - p_alive >= values.get(params::P_ALIVE_DROP));
        let high = value(c) >= cutoff && risky;
        let once = status.purchase_days == 1 && since > found.store_gap_days;
        let vip = (0..table.len()).any(|i| {
            table.customer(i) as usize == c && table.quartile_group(i) == Some(QuartileGroup::Vip)
        });
        let win_back = status.stage == Stage::Lapsed && status.purchase_days >= 2;
        let expected = [due, slipped, high, once, vip, win_back];
        for (a, &holds) in expected.iter().enumerate() {
            assert_eq!(
                found.members[a].contains(&(c as u32)),
                holds,
                "{} in {}",
                &book.customer_ids[c],
                DEFINITIONS[a].id
            );
        }
    }
    assert!(!found.members[VIP_THANK_YOU].is_empty());
}

#[test]
fn the_model_based_audiences_follow_the_clv_scores_on_a_simulated_store() {
    let spec = crate::clv::synthetic::SyntheticSpec::cdnow_like(600, 7);
    let book = crate::clv::synthetic::order_book(&spec);
    check_definitions(&book, &run(&book, &AudienceOptions::default()));
    // CDNOW-like buyers are slow: a month ahead and P(alive) from ½ finds some due.
    let mut options = AudienceOptions::default();
    options.params.set("dueWithinDays", 30.0).unwrap();
    options.params.set("minPAlive", 0.5).unwrap();
    let found = run(&book, &options);
    assert_eq!(found.basis, ValueBasis::Expected);
    assert!(!found.members[DUE_TO_REORDER].is_empty());
    assert!(!found.members[HIGH_VALUE_AT_RISK].is_empty());
    check_definitions(&book, &found);
}

const TEA: &[u32] = &[0];

/// The orders of [`with_products`], each with its product codes.
const ORDERS: [(&str, i32, &[u32]); 23] = [
    ("steady_tea", 945, TEA), // every 15 days: due 1005, and bought on 990
    ("steady_tea", 960, TEA),
    ("steady_tea", 975, TEA),
    ("steady_tea", 990, TEA),
    ("slightly_overdue", 930, TEA), // every 20 days: due 990, 10 days overdue
    ("slightly_overdue", 950, TEA),
    ("slightly_overdue", 970, TEA),
    ("overdue", 900, TEA), // due 960: 40 days overdue
    ("overdue", 920, TEA),
    ("overdue", 940, TEA),
    ("irregular", 920, TEA), // gaps 5 and 50: CV 0.82, due 1002.5
    ("irregular", 925, TEA),
    ("irregular", 975, TEA),
    ("twice", 980, TEA), // two days only; bought on 990
    ("twice", 990, TEA),
    ("pair_a", 500, &[1, 2]),
    ("pair_b", 500, &[1, 2]),
    ("pair_c", 500, &[0, 1]),
    ("cup_new", 995, &[1]), // never had SUGAR: SUGAR
    ("cup_old", 400, &[2]), // had SUGAR: the next partner of CUP, TEA
    ("cup_old", 996, &[1]),
    ("old_cup", 900, &[1]), // not recent
    ("spoon", 999, &[3]),   // recent, but SPOON has no partner
];

/// A book with line items (products TEA 0, CUP 1, SUGAR 2, SPOON 3; 23 baskets, one per order),
/// for the as-of day 1000. TEA is in 16 baskets, CUP in 6, SUGAR in 3: CUP → SUGAR has lift
/// 2·23/(6·3) ≈ 2.56, CUP ↔ TEA 1·23/(6·16) ≈ 0.24.
fn with_products() -> OrderBook {
    book_with_products(&ORDERS)
}

/// A book of one-order-per-row `(customer, day, product codes)` of value 10 each, with the
/// products TEA, CUP, SUGAR and SPOON.
fn book_with_products(orders: &[(&str, i32, &[u32])]) -> OrderBook {
    let days: Vec<_> = orders.iter().map(|&(id, day, _)| (id, day, 10.0)).collect();
    let mut book = book(&days);
    let lines = orders.iter().map(|(_, _, products)| {
        products
            .iter()
            .map(|&p| crate::products::baskets::tests::bought(p))
            .collect::<Vec<_>>()
    });
    book.lines = Some(crate::lines::Lines::from_orders(
        crate::products::baskets::tests::products(&["TEA", "CUP", "SUGAR", "SPOON"]),
        lines,
    ));
    book
}

/// `(customer id, suggested product id)` of each member of audience `a`, sorted.
fn suggested(book: &OrderBook, found: &Audiences, a: usize) -> Vec<(String, String)> {
    let columns = found.columns(a, book);
    let products = &book.lines.as_ref().unwrap().products.ids;
    let mut pairs: Vec<(String, String)> = (0..columns.customers.len())
        .map(|i| {
            let product = products[columns.product[i] as usize].clone();
            (columns.customer_ids[i].to_string(), product)
        })
        .collect();
    pairs.sort();
    pairs
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|&(c, p)| (c.to_string(), p.to_string()))
        .collect()
}

#[test]
fn the_product_audiences_hold_who_was_built_into_them_with_their_product() {
    let book = with_products();
    let at = |params: &[(&str, f64)]| {
        let mut options = AudienceOptions {
            as_of: Some(Day(1000)),
            ..AudienceOptions::default()
        };
        for &(name, value) in params {
            options.params.set(name, value).unwrap();
        }
        run(&book, &options)
    };
    let found = at(&[]);
    assert_eq!(found.products_note, None);
    assert_eq!(
        suggested(&book, &found, REPLENISHMENT),
        pairs(&[("slightly_overdue", "TEA"), ("steady_tea", "TEA")])
    );
    assert_eq!(
        suggested(&book, &found, CROSS_SELL),
        pairs(&[
            ("cup_new", "SUGAR"),
            ("cup_old", "TEA"),
            ("steady_tea", "CUP"),
            ("twice", "CUP")
        ])
    );
    assert_eq!(found.window(REPLENISHMENT).from, crate::Day(986));
    assert_eq!(found.window(CROSS_SELL).from, crate::Day(987));
    let csv = found.csv(CROSS_SELL, &book, None);
    assert!(
        csv.contains("\ncup_new,crossSell,") && csv.contains(",SUGAR\n"),
        "{csv}"
    );
    // A looser rhythm takes in the irregular buyer; a closer date leaves out both others.
    let irregular = at(&[("maxGapCv", 0.9)]);
    assert_eq!(
        ids(&book, &irregular.members[REPLENISHMENT]),
        ["irregular", "slightly_overdue", "steady_tea"]
    );
    assert!(at(&[("replenishWithinDays", 4.0)]).members[REPLENISHMENT].is_empty());
    assert_eq!(
        ids(&book, &at(&[("minPurchases", 4.0)]).members[REPLENISHMENT]),
        ["steady_tea"]
    );
    // Support of at least 2/23 keeps CUP → SUGAR only; a longer look back finds more buyers.
    assert_eq!(
        suggested(&book, &at(&[("minSupport", 0.08)]), CROSS_SELL),
        pairs(&[("cup_new", "SUGAR")])
    );
    assert_eq!(
        ids(
            &book,
            &at(&[("boughtWithinDays", 31.0)]).members[CROSS_SELL]
        ),
        [
            "cup_new",
            "cup_old",
            "irregular",
            "slightly_overdue",
            "steady_tea",
            "twice"
        ]
    );
    // Orders after the as-of date teach nothing: three later CUP + SPOON baskets would make
    // SPOON the partner of highest lift, but as of day 1000 the suggestions stay the same.
    let mut later = ORDERS.to_vec();
    later.extend([
        ("later_a", 1010, &[1, 3][..]),
        ("later_b", 1010, &[1, 3]),
        ("later_c", 1011, &[1, 3]),
    ]);
    let later = book_with_products(&later);
    let options = AudienceOptions {
        as_of: Some(Day(1000)),
        ..AudienceOptions::default()
    };
    let before = run(&later, &options);
    assert_eq!(
        suggested(&later, &before, CROSS_SELL),
        suggested(&book, &found, CROSS_SELL)
    );
    // Without line items both are empty, and the note says why.
    let mut bare = book.clone();
    bare.lines = None;
    let found = run(&bare, &AudienceOptions::default());
    assert_eq!(
        found.products_note.map(|n| n.code),
        Some(crate::message::Code::PRODUCTS_NONE)
    );
    assert!(found.members[REPLENISHMENT].is_empty() && found.members[CROSS_SELL].is_empty());
}
