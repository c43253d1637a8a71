//! The line items of a part of a file read by one worker, as bytes, and their merge into the
//! reader of the parts before it (see [`crate::ingest::split`]).

use super::LineReader;
use crate::ingest::wire::{Reader, Writer, f64_at, u32_at};
use crate::lines::{Layout, Line};

impl LineReader {
    /// Products (id, name, category), then the lines in file order, then the runs of lines of
    /// one order (`order, first line`).
    pub(in crate::ingest) fn write_partial(self, w: &mut Writer) {
        let LineReader {
            ids,
            lines,
            layout,
            without_product,
            ..
        } = self;
        let ids = ids.into_keys();
        w.varint(ids.len() as u64);
        for p in 0..ids.len() {
            w.text(ids.key(p as u32));
            w.text(lines.products.names[p].as_bytes());
            w.text(lines.products.categories[p].as_bytes());
        }
        let count = lines.len();
        w.varint(count as u64);
        w.u32s(&mut (0..count).map(|l| lines.product(l)));
        w.f64s(&mut (0..count).map(|l| lines.quantity(l)));
        w.f64s(&mut (0..count).map(|l| lines.amount(l)));
        let runs: Vec<(u32, u32)> = match layout {
            Layout::Starts(start) => (0..start.len())
                .filter(|&o| start.get(o + 1).map_or(count as u32, |&end| end) > start[o])
                .map(|o| (o as u32, start[o]))
                .collect(),
            Layout::Runs(runs) => runs,
        };
        w.varint(runs.len() as u64);
        for (order, line) in runs {
            w.varint(u64::from(order));
            w.varint(u64::from(line));
        }
        w.varint(without_product);
    }

    /// Appends a part's lines, its order `o` being order `order_of[o]` here.
    pub(in crate::ingest) fn absorb(&mut self, r: &mut Reader, order_of: &[u32]) -> Option<()> {
        let mut product_of = Vec::new();
        for _ in 0..r.count(3)? {
            let (code, new) = self.ids.find_or_insert(r.bytes()?);
            let products = &mut self.lines.products;
            if new {
                products.names.push(String::new());
                products.categories.push(String::new());
            }
            for texts in [&mut products.names, &mut products.categories] {
                let text = r.text()?;
                if texts[code as usize].is_empty() {
                    texts[code as usize].push_str(text);
                }
            }
            product_of.push(code);
        }
        self.last_key.clear();
        let count = r.count(20)?;
        let (products, quantities, amounts) = (
            r.column(count, 4)?,
            r.column(count, 8)?,
            r.column(count, 8)?,
        );
        let run_count = r.count(2)?;
        let mut runs = Vec::with_capacity(run_count);
        for _ in 0..run_count {
            runs.push((r.varint()?, r.varint()?));
        }
        self.lines.reserve(count);
        for (i, &(order, begin)) in runs.iter().enumerate() {
            let end = runs.get(i + 1).map_or(count as u64, |next| next.1);
            let order = *order_of.get(order as usize)?;
            if begin > end || end > count as u64 {
                return None;
            }
            if order != self.last_order {
                self.layout.begin_run(order, self.lines.len() as u32);
                self.last_order = order;
            }
            for l in begin as usize..end as usize {
                let product = u32_at(products, l) as usize;
                self.lines.push_in_file_order(Line {
                    product: *product_of.get(product)?,
                    quantity: f64_at(quantities, l),
                    amount: f64_at(amounts, l),
                });
            }
        }
        self.without_product += r.varint()?;
        Some(())
    }
}
