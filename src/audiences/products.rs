//! The two audiences read from line items: replenishment (a product bought again and again at a
//! steady rhythm, due again now) and post-purchase cross-sell (a recent buyer, and the product
//! most lifted by their last order that they have never bought). Products and baskets come from
//! [`crate::products`], leaving out the not-a-product lines it proposes.

use super::params::{self, ParamValues};
use crate::book::{CustomerOrders, OrderBook};
use crate::lines::Lines;
use crate::products::baskets::{Baskets, sort_codes};
use crate::products::{PairOrder, TogetherOptions, bought_together, resolve};

/// A customer without a product to suggest.
pub const NO_PRODUCT: u32 = u32::MAX;

/// Per customer (book index), the product each product audience suggests, or [`NO_PRODUCT`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProductFacts {
    pub replenish: Vec<u32>,
    pub cross_sell: Vec<u32>,
}

/// The product facts at `as_of`, reading only purchases made by then.
pub fn product_facts(
    book: &OrderBook,
    lines: &Lines,
    orders: &CustomerOrders,
    as_of: i32,
    values: &ParamValues,
) -> ProductFacts {
    let excluded = resolve(lines, None).unwrap_or_default();
    let baskets = Baskets::until(book, lines, &excluded, as_of);
    let mut basket_of = vec![u32::MAX; book.order_count()];
    for (b, &order) in baskets.orders.iter().enumerate() {
        basket_of[order as usize] = b as u32;
    }
    let customers = book.customer_count();
    let mut facts = ProductFacts {
        replenish: vec![NO_PRODUCT; customers],
        cross_sell: vec![NO_PRODUCT; customers],
    };
    let recent_from = as_of - values.get(params::BOUGHT_WITHIN_DAYS) as i32 + 1;
    let mut partners: Vec<Option<Vec<(f64, u32)>>> = Vec::new();
    partners.resize_with(baskets.product_count(), || None);
    let (mut bought, mut entries) = (Vec::new(), Vec::new());
    for c in 0..customers.min(orders.customer_count()) {
        // (product, day) of every counted purchase by `as_of`, and their last basket.
        entries.clear();
        let mut last_basket = None;
        for &order in orders.of(c) {
            let (order, day) = (order as usize, book.day[order as usize]);
            if day > as_of || basket_of[order] == u32::MAX {
                continue;
            }
            last_basket = Some((basket_of[order] as usize, day));
            let products = baskets.products(basket_of[order] as usize);
            entries.extend(products.iter().map(|&p| (p, day)));
        }
        distinct_sorted(&entries, &mut bought);
        facts.replenish[c] = due_product(&bought, as_of, values);
        if let Some((basket, _)) = last_basket.filter(|&(_, day)| day >= recent_from) {
            facts.cross_sell[c] = partner(&baskets, basket, &bought, &mut partners, values);
        }
    }
    facts
}

/// The distinct pairs of `entries` into `sorted`, by product then day, with the product
/// analyses' one radix sort (a tuple sort would add its own copy to the `.wasm`).
fn distinct_sorted(entries: &[(u32, i32)], sorted: &mut Vec<(u32, i32)>) {
    let key = |i: u32| {
        let (product, day) = entries[i as usize];
        u64::from(product) << 32 | u64::from((day as u32) ^ 1 << 31)
    };
    let mut order: Vec<u32> = (0..entries.len() as u32).collect();
    sort_codes(&mut order, &key);
    sorted.clear();
    for i in order {
        let entry = entries[i as usize];
        if sorted.last() != Some(&entry) {
            sorted.push(entry);
        }
    }
}

/// Of the products bought on at least `minPurchases` days with a gap CV of at most `maxGapCv`,
/// the one due soonest among those due within `replenishWithinDays` of `as_of` either way
/// (due: the last day it was bought plus its mean gap); `bought` holds distinct (product, day)
/// pairs, sorted.
fn due_product(bought: &[(u32, i32)], as_of: i32, values: &ParamValues) -> u32 {
    let within = values.get(params::REPLENISH_WITHIN_DAYS);
    let mut best = (f64::INFINITY, NO_PRODUCT);
    for run in bought.chunk_by(|a, b| a.0 == b.0) {
        let days = run.len();
        if (days as f64) < values.get(params::MIN_PURCHASES) || days < 2 {
            continue;
        }
        let gaps = run.windows(2).map(|w| f64::from(w[1].1 - w[0].1));
        let mean = f64::from(run[days - 1].1 - run[0].1) / (days - 1) as f64;
        let variance = gaps.map(|g| (g - mean) * (g - mean)).sum::<f64>() / (days - 1) as f64;
        let due = f64::from(run[days - 1].1) + mean;
        if variance.sqrt() <= values.get(params::MAX_GAP_CV) * mean
            && (due - f64::from(as_of)).abs() <= within
            && due < best.0
        {
            best = (due, run[0].0);
        }
    }
    best.1
}

/// The partner of highest lift (then the lower code) of any product of `basket`, with support at least `minSupport`, among the products not in `bought`.
fn partner(
    baskets: &Baskets,
    basket: usize,
    bought: &[(u32, i32)],
    partners: &mut [Option<Vec<(f64, u32)>>],
    values: &ParamValues,
) -> u32 {
    let mut best = (f64::NEG_INFINITY, NO_PRODUCT);
    for &a in baskets.products(basket) {
        let pairs = partners[a as usize].get_or_insert_with(|| {
            let options = TogetherOptions {
                product: Some(a),
                min_support: values.get(params::MIN_SUPPORT),
                top: usize::MAX,
                order: PairOrder::Lift,
            };
            let found = bought_together(baskets, &options).pairs;
            found.iter().map(|p| (p.lift, p.b)).collect()
        });
        let new = pairs
            .iter()
            .find(|&&(_, b)| bought.binary_search_by_key(&b, |&(p, _)| p).is_err());
        if let Some(&(lift, b)) = new
            && (lift > best.0 || lift == best.0 && b < best.1)
        {
            best = (lift, b);
        }
    }
    best.1
}
