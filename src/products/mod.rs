//! Product analyses over the book's line items ([`crate::lines`]): what sells, which first
//! product brings customers back, what is bought together and next, the product mix per segment,
//! and cross-sell audiences. Each is a pure function of `&OrderBook` (filtered or not) and its
//! options, and leaves out the lines of [`Excluded`] products (postage, fees…: never products,
//! though they stay in every revenue figure).

pub mod baskets;
pub mod cross_sell;
pub mod exclusions;
pub mod first;
pub mod ids;
pub mod mix;
pub mod next;
pub mod table;
pub mod together;

pub use baskets::Baskets;
pub use cross_sell::{CrossSell, cross_sell, cross_sell_csv};
pub use exclusions::{Proposed, Reason, propose, resolve};
pub use first::{FirstOptions, FirstProducts, FirstRow, first_products};
pub use mix::{CustomerGroups, MixGroup, product_mix};
pub use next::{NextProducts, next_products};
pub use table::{ProductRow, ProductsTable, products};
pub use together::{PairOrder, Together, TogetherOptions, bought_together};

use crate::book::OrderBook;
use crate::lines::Lines;
use crate::message::{Code, Message};

/// Product codes by their key, largest first, ties in code order (the file's order of first
/// appearance): the one sort of every product ranking, on `(key, code)` pairs, where a
/// `sort_by` on each table's rows would put a copy of the sort per row type in the `.wasm`.
pub fn ranked(keyed: impl IntoIterator<Item = (f64, u32)>) -> Vec<u32> {
    // The key as an unsigned number in the same order, inverted for largest first.
    let order = |key: f64| {
        let bits = key.to_bits();
        !(if bits >> 63 == 1 {
            !bits
        } else {
            bits | 1 << 63
        })
    };
    let mut keys: Vec<(u64, u32)> = keyed.into_iter().map(|(k, c)| (order(k), c)).collect();
    keys.sort_unstable();
    keys.into_iter().map(|(_, code)| code).collect()
}

/// The book's lines, or the message that the file has no product column.
pub fn lines_of(book: &OrderBook) -> Result<&Lines, Message> {
    book.lines.as_ref().ok_or_else(|| {
        Message::new(
            Code::PRODUCTS_NONE,
            "The file has no product column, so there are no products to analyse: choose its \
             product id or name column in the column mapping (columns.productId or \
             columns.productName in the API).",
        )
    })
}

/// The products left out of product analyses, by product code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Excluded(Vec<bool>);

impl Excluded {
    /// Nothing left out, for a book of `products` products.
    pub fn none(products: usize) -> Excluded {
        Excluded(vec![false; products])
    }

    /// `codes` left out, for a book of `products` products.
    pub fn of(products: usize, codes: impl IntoIterator<Item = u32>) -> Excluded {
        let mut excluded = Excluded::none(products);
        for code in codes {
            excluded.0[code as usize] = true;
        }
        excluded
    }

    pub fn contains(&self, product: u32) -> bool {
        self.0.get(product as usize).copied().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excluded_products_are_the_codes_given() {
        let excluded = Excluded::of(4, [1, 3]);
        assert!(excluded.contains(1) && excluded.contains(3));
        assert!(!excluded.contains(0) && !excluded.contains(2));
        assert!(!Excluded::none(2).contains(0));
    }
}
