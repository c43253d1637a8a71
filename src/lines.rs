//! Line items: what each order held, kept when the file has a product column (a file without one
//! keeps no lines and costs nothing more). Product analyses read them through the accessors
//! below, so that the storage can stay as small as the memory budget asks (≤ 12 bytes per line).

use crate::book::Codes;
use crate::lean_vec::{first_entries, push_lean};
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
/// `lines.of_order(o)`, in file order. About 8 bytes a line: a product code of 1, 2 or 4
/// bytes, the quantity in an `i16` and the amount in cents in an `i32` (see [`Scaled`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lines {
    pub products: Products,
    /// Lines of order `o` are `start[o]..start[o + 1]`; one more entry than the book has orders.
    start: Vec<u32>,
    /// The product of each line (a code into `products`).
    product: Codes,
    quantity: Quantities,
    amount: Amounts,
}

/// Numbers kept as small whole multiples of `1 / SCALE` (quantities as `i16` units, amounts as
/// `i32` cents: 2 and 4 bytes instead of 8), the few that are not (a fraction, beyond the
/// range) kept exactly beside them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scaled<S, const SCALE: u32> {
    whole: Vec<S>,
    /// `(line, value)` of the lines whose `whole` is [`Whole::MARK`], by line.
    exact: Vec<(u32, f64)>,
}

/// The integer types of [`Scaled`].
pub trait Whole: Copy + PartialEq {
    /// The mark of a value kept exactly.
    const MARK: Self;
    /// `value` when it is a whole number other than the mark that the type holds.
    fn of(value: f64) -> Option<Self>;
    fn to_f64(self) -> f64;
}

impl Whole for i16 {
    const MARK: i16 = i16::MIN;
    fn of(value: f64) -> Option<i16> {
        (value.abs() <= f64::from(i16::MAX)).then_some(value as i16)
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Whole for i32 {
    const MARK: i32 = i32::MIN;
    fn of(value: f64) -> Option<i32> {
        (value.abs() <= f64::from(i32::MAX)).then_some(value as i32)
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

/// Line quantities: whole units in an `i16`.
pub type Quantities = Scaled<i16, 1>;
/// Line amounts: whole cents in an `i32`.
pub type Amounts = Scaled<i32, 100>;

impl<S: Whole, const SCALE: u32> Scaled<S, SCALE> {
    pub fn len(&self) -> usize {
        self.whole.len()
    }

    pub fn is_empty(&self) -> bool {
        self.whole.is_empty()
    }

    /// Room for `more` values, if the memory is there.
    pub fn reserve(&mut self, more: usize) {
        crate::lean_vec::try_reserve(&mut self.whole, more);
    }

    pub fn push(&mut self, value: f64) {
        let scale = f64::from(SCALE);
        let scaled = (value * scale).round_ties_even();
        // Within a billionth: 6 × 2.55 is 15.299999999999999, 1530 cents. (Ties to even is one
        // WebAssembly instruction; a tie is no whole number of cents anyway.)
        let whole = (scaled / scale - value).abs() <= 1e-9 * value.abs().max(1.0);
        match S::of(scaled).filter(|_| whole) {
            Some(whole) => push_lean(&mut self.whole, whole),
            None => {
                self.exact.push((self.whole.len() as u32, value));
                push_lean(&mut self.whole, S::MARK);
            }
        }
    }

    pub fn get(&self, line: usize) -> f64 {
        let whole = self.whole[line];
        if whole != S::MARK {
            return whole.to_f64() / f64::from(SCALE);
        }
        let at = self
            .exact
            .binary_search_by_key(&(line as u32), |&(l, _)| l)
            .expect("an exact value is kept for the mark");
        self.exact[at].1
    }

    /// Bytes taken.
    pub fn bytes(&self) -> usize {
        self.whole.len() * std::mem::size_of::<S>() + self.exact.len() * 16
    }
}

/// Moving the kept runs of a [`Scaled`] column down, one run after another (ascending), in
/// place.
#[derive(Default)]
struct Compaction {
    /// Exact values kept so far.
    kept: usize,
    /// The next exact value to look at.
    next: usize,
}

impl Compaction {
    /// Moves the values of the lines `run` to the lines from `to` on (`to <= run.start`).
    fn keep<S: Whole, const SCALE: u32>(
        &mut self,
        column: &mut Scaled<S, SCALE>,
        run: Range<usize>,
        to: usize,
    ) {
        column.whole.copy_within(run.clone(), to);
        while let Some(&(line, value)) = column.exact.get(self.next) {
            let line = line as usize;
            if line >= run.end {
                break;
            }
            if line >= run.start {
                column.exact[self.kept] = ((to + line - run.start) as u32, value);
                self.kept += 1;
            }
            self.next += 1;
        }
    }

    /// Keeps the first `len` values and gives the rest of the memory back.
    fn finish<S: Whole, const SCALE: u32>(self, column: &mut Scaled<S, SCALE>, len: usize) {
        column.whole = first_entries(std::mem::take(&mut column.whole), len);
        column.exact = first_entries(std::mem::take(&mut column.exact), self.kept);
    }
}

/// Where each order's lines are while a file is read, line after line (see
/// [`Lines::grouped`]).
#[derive(Clone, Debug)]
pub(crate) enum Layout {
    /// Order after order, as files list them: `start[o]` is order `o`'s first line (4 bytes an
    /// order).
    Starts(Vec<u32>),
    /// Some order's lines are apart in the file: `(order, first line)` of each run of one
    /// order's lines.
    Runs(Vec<(u32, u32)>),
}

impl Default for Layout {
    fn default() -> Layout {
        Layout::Starts(Vec::new())
    }
}

impl Layout {
    /// A run of lines of `order` begins at line `line`.
    pub(crate) fn begin_run(&mut self, order: u32, line: u32) {
        match self {
            Layout::Starts(start) if order as usize >= start.len() => {
                // Orders before it without lines (so far) start and end here too.
                while start.len() <= order as usize {
                    push_lean(start, line);
                }
            }
            Layout::Starts(start) => {
                let mut runs: Vec<(u32, u32)> = start
                    .iter()
                    .enumerate()
                    .map(|(o, &s)| (o as u32, s))
                    .collect();
                runs.push((order, line));
                *self = Layout::Runs(runs);
            }
            Layout::Runs(runs) => push_lean(runs, (order, line)),
        }
    }

    /// Room for `more` orders, if the memory is there.
    pub(crate) fn reserve(&mut self, more: usize) {
        if let Layout::Starts(start) = self {
            crate::lean_vec::try_reserve(start, more);
        }
    }
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
                lines.push(line);
            }
            lines.start.push(lines.len() as u32);
        }
        lines
    }

    fn push(&mut self, line: Line) {
        self.product.push(line.product);
        self.quantity.push(line.quantity);
        self.amount.push(line.amount);
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.amount.len()
    }

    pub fn is_empty(&self) -> bool {
        self.amount.is_empty()
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
        self.quantity.get(line)
    }

    /// The line's amount (negative on a return's lines).
    pub fn amount(&self, line: usize) -> f64 {
        self.amount.get(line)
    }

    /// Bytes the lines take, products' dictionary aside.
    pub fn bytes(&self) -> usize {
        self.len() * self.product.width()
            + self.quantity.bytes()
            + self.amount.bytes()
            + self.start.len() * 4
    }

    /// Lines in file order, one after another: ingestion's first step (see [`Lines::grouped`]).
    pub(crate) fn push_in_file_order(&mut self, line: Line) {
        self.push(line);
    }

    /// Room for `more` lines, if the memory is there.
    pub(crate) fn reserve(&mut self, more: usize) {
        self.product.reserve(more);
        self.quantity.reserve(more);
        self.amount.reserve(more);
    }

    /// Lines pushed in file order ([`Lines::push_in_file_order`], laid out as `layout` says)
    /// grouped by order: of the `orders` orders read, those `kept` says (the others' lines go).
    /// Lines of an order are almost always consecutive in a file and in order: the lines are
    /// then compacted in place; otherwise they are first copied into order (twice the lines'
    /// memory for a moment).
    pub(crate) fn grouped(
        mut self,
        layout: Layout,
        orders: usize,
        kept: impl Fn(usize) -> bool,
    ) -> Lines {
        let mut start = match layout {
            Layout::Starts(start) => start,
            Layout::Runs(runs) => self.regroup(runs),
        };
        // Orders after the last with lines, and the end of the last.
        start.resize(orders + 1, self.len() as u32);
        // The kept orders' lines, in place: each order's move down to where the kept ones before
        // end. `start[o + 1]` is read before `start[kept_orders]` (never further on) is written.
        let (mut quantities, mut amounts) = (Compaction::default(), Compaction::default());
        let (mut to, mut kept_orders, mut begin) = (0usize, 0usize, 0usize);
        for order in 0..orders {
            let run = begin..start[order + 1] as usize;
            begin = run.end;
            if !kept(order) {
                continue;
            }
            if to != run.start {
                for line in run.clone() {
                    let product = self.product.get(line);
                    self.product.set(to + line - run.start, product);
                }
            }
            quantities.keep(&mut self.quantity, run.clone(), to);
            amounts.keep(&mut self.amount, run.clone(), to);
            to += run.len();
            kept_orders += 1;
            start[kept_orders] = to as u32;
        }
        self.product.truncate(to);
        quantities.finish(&mut self.quantity, to);
        amounts.finish(&mut self.amount, to);
        self.start = first_entries(start, kept_orders + 1);
        self
    }

    /// The lines copied into order: each order's runs one after another, orders ascending.
    /// Returns each order's first line (for the orders up to the last with lines).
    fn regroup(&mut self, mut runs: Vec<(u32, u32)>) -> Vec<u32> {
        let total = self.len() as u32;
        // Each run with its end, then by order (a stable sort: an order's runs stay in file order).
        let mut spans: Vec<(u32, u32, u32)> = (0..runs.len())
            .map(|r| {
                (
                    runs[r].0,
                    runs[r].1,
                    runs.get(r + 1).map_or(total, |next| next.1),
                )
            })
            .collect();
        runs = Vec::new();
        drop(runs);
        spans.sort_by_key(|span| span.0);
        let mut sorted = Lines::default();
        sorted.reserve(self.len());
        let mut start: Vec<u32> = Vec::new();
        for (order, begin, end) in spans {
            while start.len() <= order as usize {
                start.push(sorted.len() as u32);
            }
            for line in begin..end {
                sorted.push(self.line(line as usize));
            }
        }
        self.product = sorted.product;
        self.quantity = sorted.quantity;
        self.amount = sorted.amount;
        start
    }

    fn line(&self, line: usize) -> Line {
        Line {
            product: self.product(line),
            quantity: self.quantity(line),
            amount: self.amount(line),
        }
    }

    /// The lines of the orders `kept`, in that order (for a filtered book).
    pub fn select(&self, kept: &[u32]) -> Lines {
        let orders = kept
            .iter()
            .map(|&o| self.of_order(o as usize).map(|line| self.line(line)));
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
