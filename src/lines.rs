//! Line items: what each order held, kept when the file has a product column (a file without one
//! keeps no lines and costs nothing more). Product analyses read them through the accessors
//! below, so that the storage can stay as small as the memory budget asks (≤ 12 bytes per line).

use crate::book::Codes;
use std::ops::Range;

/// The products of a file, each once. Product `p` is `ids[p]`, `names[p]`, `categories[p]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Products {
    /// The product's id (SKU, `StockCode` …), or its name when the file has no id column.
    pub ids: Vec<String>,
    /// The product's name as the file first gives it (`""` when the file has no name column).
    pub names: Vec<String>,
    /// Category, product type or vendor (`""` when the file has none).
    pub categories: Vec<String>,
}

impl Products {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The code of the product with id `id`.
    pub fn code_of(&self, id: &str) -> Option<u32> {
        self.ids.iter().position(|p| p == id).map(|p| p as u32)
    }
}

/// The lines of every order of a book, grouped by order: the lines of order `o` are
/// `lines.of_order(o)`, in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lines {
    pub products: Products,
    /// Lines of order `o` are `start[o]..start[o + 1]`; one more entry than the book has orders.
    start: Vec<u32>,
    /// The product of each line (a code into `products`).
    product: Codes,
    quantity: Vec<f32>,
    amount: Vec<f64>,
}

/// One line as a builder or a test hands it over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    pub product: u32,
    pub quantity: f64,
    pub amount: f64,
}

impl Lines {
    /// Lines from each order's lines, orders in book order.
    pub fn from_orders<I, L>(products: Products, orders: I) -> Lines
    where
        I: IntoIterator<Item = L>,
        L: IntoIterator<Item = Line>,
    {
        let mut lines = Lines {
            products,
            start: vec![0],
            ..Lines::default()
        };
        for order in orders {
            for line in order {
                lines.product.push(line.product);
                lines.quantity.push(line.quantity as f32);
                lines.amount.push(line.amount);
            }
            lines.start.push(lines.quantity.len() as u32);
        }
        lines
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.quantity.len()
    }

    pub fn is_empty(&self) -> bool {
        self.quantity.is_empty()
    }

    /// Number of orders the lines are grouped into (the book's order count).
    pub fn order_count(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// The lines of order `order`.
    pub fn of_order(&self, order: usize) -> Range<usize> {
        self.start[order] as usize..self.start[order + 1] as usize
    }

    /// The product code of line `line`.
    pub fn product(&self, line: usize) -> u32 {
        self.product.get(line)
    }

    pub fn quantity(&self, line: usize) -> f64 {
        f64::from(self.quantity[line])
    }

    /// The line's amount (negative on a return's lines).
    pub fn amount(&self, line: usize) -> f64 {
        self.amount[line]
    }

    /// The lines of the orders `kept`, in that order (for a filtered book).
    pub fn select(&self, kept: &[u32]) -> Lines {
        let orders = kept.iter().map(|&o| {
            self.of_order(o as usize).map(|line| Line {
                product: self.product(line),
                quantity: self.quantity(line),
                amount: self.amount(line),
            })
        });
        Lines::from_orders(self.products.clone(), orders)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn products(ids: &[&str]) -> Products {
        Products {
            ids: ids.iter().map(|s| s.to_string()).collect(),
            names: ids.iter().map(|s| format!("{s} name")).collect(),
            categories: vec![String::new(); ids.len()],
        }
    }

    fn line(product: u32, amount: f64) -> Line {
        Line {
            product,
            quantity: 1.0,
            amount,
        }
    }

    #[test]
    fn lines_group_by_order_and_select_keeps_the_kept_orders() {
        let lines = Lines::from_orders(
            products(&["A", "B"]),
            [
                vec![line(0, 2.5), line(1, 3.0)],
                vec![],
                vec![line(1, -3.0)],
            ],
        );
        assert_eq!(lines.len(), 3);
        assert_eq!(lines.order_count(), 3);
        assert_eq!(lines.of_order(0), 0..2);
        assert!(lines.of_order(1).is_empty());
        assert_eq!(lines.product(2), 1);
        assert_eq!(lines.amount(2), -3.0);
        let kept = lines.select(&[2, 0]);
        assert_eq!(kept.order_count(), 2);
        assert_eq!(kept.of_order(0), 0..1);
        assert_eq!(kept.amount(0), -3.0);
        assert_eq!(kept.products.code_of("B"), Some(1));
    }
}
