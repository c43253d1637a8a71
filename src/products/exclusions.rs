//! Not-a-product lines: postage, fees, manual adjustments, bank charges, discounts. They are
//! lines of the file like any product, and would top every ranking (Online Retail's `POST` is in
//! more orders than any product) or pair with everything. Proposed from the data; the user
//! confirms or edits the list, and [`resolve`] turns it into the [`Excluded`] set every product
//! analysis takes.

use super::Excluded;
use crate::lines::Lines;
use crate::message::Message;
use serde::Serialize;

/// Why a line is proposed as not a product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    /// Its code is a fee word (`POST`, `BANK CHARGES`) or a code of one or two letters (`M`,
    /// `D`): product codes carry digits.
    Code,
    /// Its name says postage, fee, charge, discount, adjustment… (`DOTCOM POSTAGE`, `AMAZON
    /// FEE`, `Phí vận chuyển`).
    Name,
    /// It is in a large share of the orders, always one at a time: a shipping or service line
    /// an export adds to every order.
    Everywhere,
}

/// One proposed line.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Proposed {
    pub id: String,
    pub name: String,
    pub reason: Reason,
    /// Orders with a line of it.
    pub orders: u32,
    /// `orders` over the orders with at least one line.
    pub order_share: f64,
    /// Net amount of its lines.
    pub revenue: f64,
}

/// Words (lower-case, whole words of a code or name) of lines that are no product, in English
/// and Vietnamese.
const FEE_WORDS: [&str; 27] = [
    "post",
    "postage",
    "shipping",
    "delivery",
    "carriage",
    "freight",
    "handling",
    "fee",
    "fees",
    "charge",
    "charges",
    "surcharge",
    "commission",
    "discount",
    "adjust",
    "adjustment",
    "manual",
    "tip",
    "phí",
    "ship",
    "cước",
    "chiết",
    "giảm",
    "vận",
    "giao",
    "voucher",
    "coupon",
];

/// Vietnamese fee words count only in these pairs (`giao hàng` is delivery; `giao` alone is not).
const FEE_PAIRS: [(&str, &str); 5] = [
    ("vận", "chuyển"),
    ("giao", "hàng"),
    ("giảm", "giá"),
    ("chiết", "khấu"),
    ("phí", ""),
];

/// A share of the orders above which a line always bought one at a time is proposed.
const EVERYWHERE_SHARE: f64 = 0.3;
/// …and the fewest orders it must be in.
const EVERYWHERE_ORDERS: u32 = 20;

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether word `i` of `words` is a fee word (a Vietnamese one in its pair).
fn fee_at(words: &[String], i: usize) -> bool {
    let word = words[i].as_str();
    if !FEE_WORDS.contains(&word) {
        return false;
    }
    match FEE_PAIRS.iter().find(|(first, _)| *first == word) {
        Some((_, "")) | None => true,
        Some((_, second)) => words.get(i + 1).is_some_and(|next| next == second),
    }
}

/// Whether a code holds a fee word anywhere (`BANK CHARGES`, `POST`).
fn code_says_fee(id: &str) -> bool {
    let words = words(id);
    (0..words.len()).any(|i| fee_at(&words, i))
}

/// Whether a name is a fee's: a short name (at most four words) that a fee word ends, as
/// English names do (`DOTCOM POSTAGE`, `Next Day Carriage`), or starts, as Vietnamese ones do
/// (`Phí vận chuyển`). A product merely named after one (`FRENCH CARRIAGE LANTERN`, `VINTAGE
/// POST OFFICE CABINET`) is not; nor is `post` alone, in names a post of wood as often as postage.
fn name_says_fee(name: &str) -> bool {
    let words = words(name);
    let fee = |i: usize| words[i] != "post" && fee_at(&words, i);
    !words.is_empty() && words.len() <= 4 && (fee(0) || fee(words.len() - 1))
}

fn reason_of(id: &str, name: &str) -> Option<Reason> {
    let no_digit = !id.chars().any(|c| c.is_ascii_digit());
    if no_digit && (id.chars().count() <= 2 || code_says_fee(id)) {
        return Some(Reason::Code);
    }
    if name_says_fee(name) {
        return Some(Reason::Name);
    }
    None
}

/// Per product: orders with a line of it, net amount, and whether every line was one unit.
struct Tally {
    orders: Vec<u32>,
    revenue: Vec<f64>,
    single: Vec<bool>,
    /// Orders with at least one line.
    with_lines: u32,
}

fn tally(lines: &Lines) -> Tally {
    let products = lines.products.len();
    let mut tally = Tally {
        orders: vec![0; products],
        revenue: vec![0.0; products],
        single: vec![true; products],
        with_lines: 0,
    };
    let mut last_order = vec![u32::MAX; products];
    for order in 0..lines.order_count() {
        let range = lines.of_order(order);
        tally.with_lines += u32::from(!range.is_empty());
        for line in range {
            let p = lines.product(line) as usize;
            tally.revenue[p] += lines.amount(line);
            tally.single[p] &= lines.quantity(line).abs() == 1.0;
            if last_order[p] != order as u32 {
                last_order[p] = order as u32;
                tally.orders[p] += 1;
            }
        }
    }
    tally
}

/// The lines proposed as not products, most orders first (ties in file order).
pub fn propose(lines: &Lines) -> Vec<Proposed> {
    let tally = tally(lines);
    let share = |orders: u32| f64::from(orders) / f64::from(tally.with_lines.max(1));
    let products = &lines.products;
    let reasons: Vec<Option<Reason>> = (0..products.len())
        .map(|p| {
            let orders = tally.orders[p];
            reason_of(&products.ids[p], &products.names[p]).or_else(|| {
                (orders >= EVERYWHERE_ORDERS
                    && share(orders) >= EVERYWHERE_SHARE
                    && tally.single[p])
                    .then_some(Reason::Everywhere)
            })
        })
        .collect();
    let candidates = (0..products.len())
        .filter(|&p| reasons[p].is_some())
        .map(|p| (f64::from(tally.orders[p]), p as u32));
    let proposed: Vec<Proposed> = super::ranked(candidates)
        .into_iter()
        .map(|p| p as usize)
        .filter_map(|p| {
            Some(Proposed {
                id: products.ids[p].clone(),
                name: products.names[p].clone(),
                reason: reasons[p]?,
                orders: tally.orders[p],
                order_share: share(tally.orders[p]),
                revenue: tally.revenue[p],
            })
        })
        .collect();
    proposed
}

/// The products left out of product analyses: those of `ids` (the file's product ids), or the
/// proposal when `ids` is `None`. An id no product has is an error naming it (`unknown_product`).
pub fn resolve(lines: &Lines, ids: Option<&[String]>) -> Result<Excluded, Message> {
    let products = &lines.products;
    let Some(ids) = ids else {
        let proposed = propose(lines);
        let codes = proposed.iter().filter_map(|p| products.code_of(&p.id));
        return Ok(Excluded::of(products.len(), codes));
    };
    let codes = super::ids::codes_of(lines, "exclude", ids)?;
    Ok(Excluded::of(products.len(), codes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::{Line, Products};

    fn lines(products: &[(&str, &str)], orders: &[&[(u32, f64)]]) -> Lines {
        let products = Products {
            ids: products.iter().map(|p| p.0.to_string()).collect(),
            names: products.iter().map(|p| p.1.to_string()).collect(),
            categories: vec![String::new(); products.len()],
        };
        Lines::from_orders(
            products,
            orders.iter().map(|order| {
                order.iter().map(|&(product, quantity)| Line {
                    product,
                    quantity,
                    amount: quantity * 2.0,
                })
            }),
        )
    }

    #[test]
    fn fee_codes_and_names_are_proposed_products_are_not() {
        let cases = [
            ("POST", "POSTAGE", Some(Reason::Code)),
            ("DOT", "DOTCOM POSTAGE", Some(Reason::Name)),
            ("M", "Manual", Some(Reason::Code)),
            ("BANK CHARGES", "Bank Charges", Some(Reason::Code)),
            ("AMAZONFEE", "AMAZON FEE", Some(Reason::Name)),
            ("C2", "CARRIAGE", Some(Reason::Name)),
            ("SHIP-01", "Phí vận chuyển", Some(Reason::Name)),
            ("GH", "Giao hàng nhanh", Some(Reason::Code)),
            ("X9", "Giảm giá", Some(Reason::Name)),
            ("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", None),
            ("COFFEE", "Coffee beans", None),
            ("AT-01", "Áo giao lĩnh", None),
            ("23099", "FRENCH CARRIAGE LANTERN", None),
            ("21459", "YELLOW EASTER EGG HUNT START POST", None),
            ("23444", "Next Day Carriage", Some(Reason::Name)),
            ("22423", "REGENCY CAKESTAND 3 TIER", None),
        ];
        for (id, name, reason) in cases {
            assert_eq!(reason_of(id, name), reason, "{id} {name}");
        }
    }

    #[test]
    fn a_single_unit_line_in_most_orders_is_proposed_as_everywhere() {
        // "Gói" (a wrapping service) is in every order, one at a time; "A" in all but twice.
        let mut orders: Vec<Vec<(u32, f64)>> = (0..30).map(|_| vec![(0, 3.0), (1, 1.0)]).collect();
        orders[0] = vec![(0, 1.0), (1, 1.0)];
        let orders: Vec<&[(u32, f64)]> = orders.iter().map(Vec::as_slice).collect();
        let lines = lines(&[("A1", "Tea"), ("WRAP1", "Gói quà")], &orders);
        let proposed = propose(&lines);
        assert_eq!(proposed.len(), 1);
        assert_eq!(
            (
                proposed[0].id.as_str(),
                proposed[0].reason,
                proposed[0].orders
            ),
            ("WRAP1", Reason::Everywhere, 30)
        );
        assert_eq!(proposed[0].order_share, 1.0);
        assert_eq!(proposed[0].revenue, 60.0);
        let excluded = resolve(&lines, None).unwrap();
        assert!(excluded.contains(1) && !excluded.contains(0));
        let chosen = resolve(&lines, Some(&["A1".to_string()])).unwrap();
        assert!(chosen.contains(0) && !chosen.contains(1));
        let error = resolve(&lines, Some(&["NOPE".to_string()])).unwrap_err();
        assert_eq!(error.code, crate::message::Code::UNKNOWN_PRODUCT);
        assert!(error.message.contains("'NOPE'"), "{}", error.message);
    }
}
