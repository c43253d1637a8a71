//! Rows → line items, for a file with a product column: each accepted row's product (coded
//! into the file's products, each kept once), quantity and amount, in file order, grouped by
//! order once the orders are settled (see [`crate::lines::Lines::grouped`]).

use super::amounts::{DecimalSeparator, parse_amount};
use super::columns::{ColumnMap, Role};
use super::order_index::KeyIndex;
use super::orders::{Fields, same_bytes, trim_field};
use crate::lines::{Layout, Line, Lines};

mod partial;

/// The line items of a file being read.
pub(super) struct LineReader {
    id_column: Option<usize>,
    name_column: Option<usize>,
    category_column: Option<usize>,
    quantity_column: Option<usize>,
    unit_price_column: Option<usize>,
    /// The line amount is quantity × unit price: the amount column holds the order's total.
    amount_from_price: bool,
    decimal: DecimalSeparator,
    /// The products' ids (their keys) and codes (their entry numbers).
    ids: KeyIndex,
    lines: Lines,
    /// The last product read and its code: a product often comes back on the next line.
    last_key: String,
    last_code: u32,
    /// Where each order's lines are.
    layout: Layout,
    /// The order of the last line read.
    last_order: u32,
    /// Accepted rows with an empty product: in their order's value, not among the lines.
    pub without_product: u64,
}

impl LineReader {
    /// A reader for a file whose columns are `map`, or `None` when it has no product column
    /// (then nothing is kept and reading costs what it did without products).
    pub fn new(map: &ColumnMap, amount_per_order: bool, decimal: DecimalSeparator) -> Option<Self> {
        let (id_column, name_column) = (map.column(Role::ProductId), map.column(Role::ProductName));
        if id_column.is_none() && name_column.is_none() {
            return None;
        }
        Some(LineReader {
            id_column,
            name_column,
            category_column: map.column(Role::Category),
            quantity_column: map.column(Role::Quantity),
            unit_price_column: map.column(Role::UnitPrice),
            amount_from_price: amount_per_order && map.column(Role::Amount).is_some(),
            decimal,
            ids: KeyIndex::default(),
            lines: Lines::default(),
            last_key: String::new(),
            last_code: 0,
            layout: Layout::default(),
            last_order: u32::MAX,
            without_product: 0,
        })
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Room for `more` lines of `orders` more orders.
    pub fn reserve(&mut self, more: usize, orders: usize) {
        self.lines.reserve(more);
        self.layout.reserve(orders);
    }

    /// Reads the line of an accepted row of order `order`, whose value was `amount` (`None` on
    /// a later line of an order whose total is on its first), and `quantity` when the value was
    /// quantity × unit price.
    pub fn read<F: Fields + ?Sized>(
        &mut self,
        fields: &F,
        order: u32,
        amount: Option<f64>,
        quantity: Option<f64>,
    ) {
        let text =
            |column: Option<usize>| column.and_then(|c| fields.get(c)).map_or("", trim_field);
        // The SKU, or the name of a line without one (a custom item, a shop that sets no SKUs).
        let key = match text(self.id_column) {
            "" => text(self.name_column),
            id => id,
        };
        if key.is_empty() {
            self.without_product += 1;
            return;
        }
        let product = self.product_code(key, fields);
        let number = |column| parse_amount(text(column), self.decimal).ok();
        let quantity = quantity
            .or_else(|| number(self.quantity_column))
            .unwrap_or(1.0);
        let amount = if self.amount_from_price {
            // quantity × unit price; 0 when the file gives no unit price.
            number(self.unit_price_column).map_or(0.0, |price| quantity * price)
        } else {
            amount.unwrap_or(0.0)
        };
        if order != self.last_order {
            self.layout.begin_run(order, self.lines.len() as u32);
            self.last_order = order;
        }
        self.lines.push_in_file_order(Line {
            product,
            quantity,
            amount,
        });
    }

    /// The code of the product `key`, added to the products when new; its name and category
    /// are the first non-empty ones the file gives.
    fn product_code<F: Fields + ?Sized>(&mut self, key: &str, fields: &F) -> u32 {
        let code = if same_bytes(key.as_bytes(), self.last_key.as_bytes()) {
            self.last_code
        } else {
            let (code, new) = self.ids.find_or_insert(key.as_bytes());
            if new {
                let products = &mut self.lines.products;
                products.names.push(String::new());
                products.categories.push(String::new());
            }
            self.last_key.clear();
            self.last_key.push_str(key);
            self.last_code = code;
            code
        };
        let products = &mut self.lines.products;
        for (column, texts) in [
            (self.name_column, &mut products.names),
            (self.category_column, &mut products.categories),
        ] {
            if let Some(column) = column
                && texts[code as usize].is_empty()
                && let Some(text) = fields.get(column).map(trim_field)
            {
                texts[code as usize].push_str(text);
            }
        }
        code
    }

    /// The lines grouped by order, of the `orders` orders read those `kept` says (not the
    /// cancelled ones).
    pub fn finish(self, orders: usize, kept: impl Fn(usize) -> bool) -> Lines {
        let LineReader {
            mut lines,
            layout,
            ids,
            ..
        } = self;
        let ids = ids.into_keys();
        lines.products.ids = (0..ids.len() as u32)
            .map(|p| String::from_utf8_lossy(ids.key(p)).into_owned())
            .collect();
        lines.grouped(layout, orders, kept)
    }
}
