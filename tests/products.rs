//! Product analyses: the products table and the first-product analysis on a small book worked
//! by hand, the not-a-product proposal and figures on the full Online Retail file.

mod common;

use common::{date, day, online_retail_full};
use customer_lens::Filter;
use customer_lens::ingest::{IngestOptions, read_csv};
use customer_lens::lines::{Line, Lines, Products};
use customer_lens::products::{self, Excluded, FirstOptions};
use customer_lens::{OrderBook, OrderKind};

/// Customer, day (from 2024-01-01), kind, lines as (product, quantity, amount).
type TestOrder<'a> = (Option<&'a str>, i32, OrderKind, &'a [(u32, f64, f64)]);

/// Products A, B and postage P (code 2). c1 buys A on day 0 (with postage) and day 10 and
/// returns one A on day 100; c2 buys B, then A, on day 0; a guest buys B on day 5; c3 only
/// postage on day 200.
fn shop() -> OrderBook {
    use OrderKind::{Purchase, Return};
    let orders: [TestOrder; 7] = [
        (Some("c1"), 0, Purchase, &[(0, 1.0, 10.0), (2, 1.0, 5.0)]),
        (Some("c2"), 0, Purchase, &[(1, 2.0, 20.0)]),
        (Some("c1"), 10, Purchase, &[(0, 2.0, 20.0)]),
        (Some("c1"), 100, Return, &[(0, -1.0, -10.0)]),
        (None, 5, Purchase, &[(1, 1.0, 10.0)]),
        (Some("c2"), 0, Purchase, &[(0, 1.0, 10.0)]),
        (Some("c3"), 200, Purchase, &[(2, 1.0, 5.0)]),
    ];
    let start = day("2024-01-01");
    let mut book = OrderBook::from_orders(orders.iter().map(|&(c, d, kind, lines)| {
        let value = lines.iter().map(|l| l.2).sum();
        (c, start + d, value, kind)
    }));
    let products = Products {
        ids: ["A", "B", "P"].map(String::from).to_vec(),
        names: ["Tea", "Cup", "Postage"].map(String::from).to_vec(),
        categories: vec![String::new(); 3],
    };
    book.lines = Some(Lines::from_orders(
        products,
        orders.iter().map(|order| {
            order.3.iter().map(|&(product, quantity, amount)| Line {
                product,
                quantity,
                amount,
            })
        }),
    ));
    book
}

#[test]
fn products_table_by_hand() {
    let book = shop();
    let postage = Excluded::of(3, [2]);
    let table = products::products(&book, &postage, None).unwrap();
    assert_eq!((table.orders, table.buyers), (5, 2));
    let rows: Vec<_> = table
        .products
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                p.revenue,
                p.units,
                p.orders,
                p.buyers,
                p.repeat_buyers,
                p.repeat_share,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("A", 30.0, 3.0, 3, 2, 1, 0.5),
            ("B", 30.0, 3.0, 2, 1, 0, 0.0)
        ]
    );
    assert_eq!(
        products::products(&book, &postage, Some(1))
            .unwrap()
            .products
            .len(),
        1
    );
    // Without the exclusion, postage is a product like the others.
    let all = products::products(&book, &Excluded::none(3), None).unwrap();
    assert_eq!(all.products.len(), 3);
    assert_eq!((all.orders, all.buyers), (6, 3));
}

#[test]
fn first_products_by_hand() {
    let book = shop();
    let postage = Excluded::of(3, [2]);
    let first = products::first_products(&book, &postage, &FirstOptions::default()).unwrap();
    let store = &first.store;
    assert_eq!((store.customers, store.repeated), (3, 1));
    assert!((store.repeat_rate - 1.0 / 3.0).abs() < 1e-12);
    // c3 was first seen on the last day: observed for none of the windows.
    assert_eq!(
        (
            store.within.d30.eligible,
            store.within.d30.repeated,
            store.within.d30.rate
        ),
        (2, 1, Some(0.5))
    );
    assert_eq!(
        (store.within.d180.eligible, store.within.d180.repeated),
        (2, 1)
    );
    assert_eq!(
        (store.within.d365.eligible, store.within.d365.rate),
        (0, None)
    );
    // c1: 15 + 20 in the first 90 days (the return on day 100 is after); c2: 20 + 10.
    assert_eq!((store.revenue90, store.revenue365), (Some(32.5), None));
    let rows: Vec<_> = first
        .products
        .iter()
        .map(|p| {
            (
                p.id.as_deref().unwrap(),
                p.customers,
                p.repeated,
                p.within.d30.rate,
                p.revenue90,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("A", 2, 1, Some(0.5), Some(32.5)),
            ("B", 1, 0, Some(0.0), Some(30.0))
        ]
    );
    let options = FirstOptions {
        min_customers: 2,
        ..FirstOptions::default()
    };
    let first = products::first_products(&book, &postage, &options).unwrap();
    assert_eq!(first.products.len(), 1);
    // As of day 9, c1's return to buy on day 10 is not seen yet, and the 30 days not observed.
    let options = FirstOptions {
        as_of: Some(date("2024-01-10")),
        ..FirstOptions::default()
    };
    let early = products::first_products(&book, &postage, &options).unwrap();
    assert_eq!((early.store.customers, early.store.repeated), (2, 0));
    assert_eq!(early.store.within.d30.eligible, 0);
    // From day 5 on, c1 and c2 were acquired before the book starts: only c3 is left, and
    // their first day held postage alone.
    let later = book
        .filtered(&Filter {
            from: Some(date("2024-01-06")),
            ..Filter::default()
        })
        .unwrap();
    let first = products::first_products(&later, &postage, &FirstOptions::default()).unwrap();
    assert_eq!(first.store.customers, 1);
    assert!(first.products.is_empty());
    // A book without lines says the file has no product column.
    let plain = OrderBook::from_orders([(Some("a"), 0, 1.0, OrderKind::Purchase)]);
    let error = products::products(&plain, &Excluded::none(0), None).unwrap_err();
    assert_eq!(error.code, customer_lens::Code::PRODUCTS_NONE);
}

#[test]
fn full_online_retail_products() {
    let Some(bytes) = online_retail_full() else {
        eprintln!("skipped: ../shared/data/online-retail.csv.gz is not available");
        return;
    };
    let book = read_csv(&bytes, &IngestOptions::preset("online-retail")).unwrap();
    let lines = book.lines.as_ref().unwrap();
    let proposed = products::propose(lines);
    let ids: Vec<&str> = proposed.iter().map(|p| p.id.as_str()).collect();
    for id in [
        "POST",
        "DOT",
        "M",
        "BANK CHARGES",
        "AMAZONFEE",
        "CRUK",
        "C2",
        "D",
        "S",
        "B",
    ] {
        assert!(ids.contains(&id), "{id} is proposed: {ids:?}");
    }
    assert_eq!(ids.len(), 14, "{ids:?}");
    let excluded = products::resolve(lines, None).unwrap();
    // Every figure below is also computed in DuckDB SQL from the raw file by
    // scripts/products_reference.py (independent of the engine), which printed these.
    let table = products::products(&book, &excluded, None).unwrap();
    assert_eq!(lines.products.len(), 4070);
    assert_eq!((table.orders, table.buyers), (21_873, 4_335));
    let mut by_buyers: Vec<_> = table.products.iter().collect();
    by_buyers.sort_by(|a, b| b.buyers.cmp(&a.buyers).then_with(|| a.id.cmp(&b.id)));
    let top: Vec<_> = by_buyers[..5]
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                p.buyers,
                p.orders,
                p.repeat_buyers,
                (p.revenue * 100.0).round() / 100.0,
            )
        })
        .collect();
    assert_eq!(
        top,
        [
            ("22423", 881, 1992, 328, 164_762.19),
            ("85123A", 856, 2204, 405, 97_894.5),
            ("47566", 708, 1686, 279, 98_302.98),
            ("84879", 678, 1456, 290, 58_959.73),
            ("22720", 640, 1389, 223, 37_413.44)
        ]
    );
    assert_eq!(
        table.products[0].id, "22423",
        "the top product by revenue too"
    );
    let first = products::first_products(&book, &excluded, &FirstOptions::default()).unwrap();
    let row = |r: &products::FirstRow| {
        (
            r.id.clone(),
            r.customers,
            r.repeated,
            r.within.d30.eligible,
            r.within.d30.repeated,
            r.within.d365.eligible,
            r.within.d365.repeated,
            r.revenue90,
        )
    };
    let rows: Vec<_> = std::iter::once(&first.store)
        .chain(&first.products[..3])
        .map(row)
        .collect();
    let id = |s: &str| Some(s.to_string());
    assert_eq!(
        rows,
        [
            (None, 4339, 2790, 4086, 779, 573, 500, Some(818.103368)),
            (id("85123A"), 559, 394, 533, 117, 82, 71, Some(947.023347)),
            (id("22423"), 513, 364, 498, 91, 66, 62, Some(1025.349413)),
            (id("84879"), 391, 271, 375, 82, 51, 47, Some(949.970135)),
        ]
    );
}
