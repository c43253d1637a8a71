//! Product ids as callers give them (the file's `StockCode`, SKU…) turned into the book's product
//! codes, with the message that names the field when an id is unknown.

use crate::lines::Lines;
use crate::message::{Code, Message};

/// The code of each of `ids`, in order; `field` names the option they came from.
pub fn codes_of(lines: &Lines, field: &str, ids: &[String]) -> Result<Vec<u32>, Message> {
    ids.iter().map(|id| code_of(lines, field, id)).collect()
}

/// The code of product `id`; `field` names the option it came from.
pub fn code_of(lines: &Lines, field: &str, id: &str) -> Result<u32, Message> {
    lines.products.code_of(id.trim()).ok_or_else(|| {
        Message::new(
            Code::UNKNOWN_PRODUCT,
            format!(
                "invalid {field}: no product has the id '{}'; give the id as the file writes \
                 it (its StockCode, SKU…)",
                id.trim()
            ),
        )
        .with("name", field)
        .with("given", id.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::super::baskets::tests::products;
    use super::*;

    #[test]
    fn unknown_ids_and_books_without_lines_are_named() {
        let lines = Lines::from_orders(products(&["A", "85123A"]), Vec::<Vec<_>>::new());
        let ids = ["85123A".to_string(), " A ".to_string()];
        assert_eq!(codes_of(&lines, "bought", &ids), Ok(vec![1, 0]));
        let error = code_of(&lines, "product", "X1").unwrap_err();
        assert_eq!(error.code, Code::UNKNOWN_PRODUCT);
        assert!(error.message.contains("product") && error.message.contains("'X1'"));
        let book = crate::book::OrderBook::default();
        assert_eq!(
            super::super::lines_of(&book).unwrap_err().code,
            Code::PRODUCTS_NONE
        );
    }
}
