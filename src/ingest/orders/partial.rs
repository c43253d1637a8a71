//! A part of a file read by one worker, as bytes ([`OrderAccumulator::into_partial`]), and its
//! merge into the reader of the parts before it ([`OrderAccumulator::absorb`]): the orders'
//! columns and ids, the customers, attribute values, contacts, line items and row counts, so
//! that the merged reader finishes into the book one pass over the file builds.
//!
//! Merging goes part after part, in file order, so customers, orders, products and attribute
//! values are numbered by first appearance in the file as one pass numbers them. An order whose
//! lines are in several parts is one order: its day is the earliest, its value the sum of the
//! parts' values, its first customer and attribute values the earliest. One pass adds an
//! order's lines one by one: the order a cut falls in is added so, line by line, and is the
//! same to the last bit; an order whose lines come back in a later part, after other orders
//! (rare: exports list an order's lines together), adds that part's sum, which can differ from
//! one pass in the last bit.

use super::super::timed_orders::{Found, timed_key};
use super::super::wire::{Reader, Writer, f64_at, u32_at, unreadable};
use super::{AttributeReader, HAS_AMOUNT, OrderAccumulator};
use crate::book::ANONYMOUS;
use crate::ingest::{REJECTS_KEPT, Reject};
use crate::lean_vec::push_lean;
use crate::message::{Code, Message};

const MAGIC: &[u8] = b"customer-lens part 1";
/// The key of an order without an order id: `0`, the customer, the instant (see `order_for`).
const CUSTOMER_KEY_LEN: usize = 13;

/// Line amounts of a range's first order kept, one more marking a longer order (whose parts are
/// then added as sums, as the other orders' are).
const FIRST_ORDER_LINES: usize = 4096;

/// Keeps a line amount of the range's first order (see [`OrderAccumulator::absorb`]).
#[cold]
pub(super) fn first_order_amount(amounts: &mut Vec<f64>, value: f64) {
    if amounts.len() <= FIRST_ORDER_LINES {
        amounts.push(value);
    }
}

/// How the part's bytes were decoded: bytes replaced by U+FFFD, bytes read as Windows-1252.
#[derive(Clone, Copy, Default)]
pub(in crate::ingest) struct Decoding {
    pub replaced: bool,
    pub windows_1252_bytes: u64,
}

impl OrderAccumulator {
    /// Whether the day/month order is settled: once it is, each row is read on its own, so
    /// parts of a file can be read apart.
    pub(in crate::ingest) fn date_order_settled(&self) -> bool {
        self.rules.date_order_confirmed
    }

    /// The part read so far, as bytes for [`OrderAccumulator::absorb`].
    pub(in crate::ingest) fn into_partial(self, decoding: Decoding) -> Vec<u8> {
        // Sized once, about right (columns, ids of a few bytes, lines), so that the part's bytes
        // do not grow by doubling beside the columns they are written from.
        let orders = self.order_day.len();
        let lines = self.lines.as_ref().map_or(0, |lines| lines.len());
        let mut w = Writer::default();
        let customers = self.customers.len();
        w.bytes.reserve(
            orders * (26 + 4 * self.attributes.len()) + customers * 9 + lines * 21 + (1 << 16),
        );
        w.bytes.extend_from_slice(MAGIC);
        let report = &self.report;
        for count in [
            self.next_row - self.rules.first_row,
            report.rows_read,
            report.rows_accepted,
            report.rows_rejected,
            report.rows_anonymous,
            report.blank_lines,
            self.orders_with_two_customers,
            u64::from(decoding.replaced),
            decoding.windows_1252_bytes,
        ] {
            w.varint(count);
        }
        w.varint(self.first_order_amounts.len() as u64);
        w.f64s(&mut self.first_order_amounts.iter().copied());
        w.varint(report.rejects.len() as u64);
        for reject in &report.rejects {
            w.varint(reject.row);
            w.text(reject.column.as_bytes());
            w.text(reject.value.as_bytes());
            w.text(reject.reason.code.as_str().as_bytes());
            w.text(reject.reason.message.as_bytes());
            w.varint(reject.reason.params.len() as u64);
            for (name, value) in &reject.reason.params {
                w.text(name.as_bytes());
                w.text(value.as_bytes());
            }
        }
        let customers = self.customers.into_keys();
        w.varint(customers.len() as u64);
        for c in 0..customers.len() as u32 {
            w.text(customers.key(c));
        }
        w.varint(self.contacts.len() as u64);
        for (_, column) in &self.contacts {
            for c in 0..customers.len() {
                w.text(column.of(c).as_bytes());
            }
        }
        w.varint(orders as u64);
        w.u32s(&mut self.order_customer.iter().copied());
        w.u32s(&mut self.order_day.iter().map(|&day| day as u32));
        w.f64s(&mut self.order_value.iter().copied());
        w.bytes.extend_from_slice(&self.order_flags);
        w.varint(self.attributes.len() as u64);
        for attribute in &self.attributes {
            w.varint(attribute.values.len() as u64);
            for value in &attribute.values {
                w.text(value.as_bytes());
            }
            w.u32s(&mut (0..orders).map(|o| attribute.codes.get(o)));
        }
        // Each order's id (its key): an order id, or customer and instant (kept by `timed`
        // while the file is in order of date, else among the ids); empty for an anonymous order
        // without one.
        let (timed, order_customer) = (&self.timed, &self.order_customer);
        let mut key = Vec::new();
        let mut unnamed = |w: &mut Writer, order: usize| match timed.instant_of(order) {
            Some(at) => {
                timed_key(&mut key, order_customer[order], at);
                w.text(&key);
            }
            None => w.varint(0),
        };
        let mut next = 0;
        self.orders.for_each_by_order(|order, key| {
            for o in next..order as usize {
                unnamed(&mut w, o);
            }
            w.text(key);
            next = order as usize + 1;
        });
        for o in next..orders {
            unnamed(&mut w, o);
        }
        match self.lines {
            Some(lines) => {
                w.varint(1);
                lines.write_partial(&mut w);
            }
            None => w.varint(0),
        }
        w.bytes
    }

    /// Merges a part read after everything this reader holds (see the module's doc); returns
    /// how its bytes were decoded.
    pub(in crate::ingest) fn absorb(&mut self, bytes: &[u8]) -> Result<Decoding, Message> {
        self.absorb_part(&mut Reader::new(bytes))
            .ok_or_else(unreadable)
    }

    fn absorb_part(&mut self, r: &mut Reader) -> Option<Decoding> {
        if r.take(MAGIC.len())? != MAGIC {
            return None;
        }
        let mut counts = [0u64; 9];
        for count in &mut counts {
            *count = r.varint()?;
        }
        let [
            records,
            read,
            accepted,
            rejected,
            anonymous,
            blank,
            two_customers,
            replaced,
            w1252,
        ] = counts;
        let report = &mut self.report;
        report.rows_read += read;
        report.rows_accepted += accepted;
        report.rows_rejected += rejected;
        report.rows_anonymous += anonymous;
        report.blank_lines += blank;
        self.orders_with_two_customers += two_customers;
        // The part's rows are numbered from the first data row, as if it began the file.
        let row_offset = self.next_row - self.rules.first_row;
        self.next_row += records;
        let first_amounts = r.count(8)?;
        let first_amounts = r.column(first_amounts, 8)?;
        for _ in 0..r.count(6)? {
            let reject = read_reject(r, row_offset)?;
            if self.report.rejects.len() < REJECTS_KEPT {
                self.report.rejects.push(reject);
            }
        }

        let customer_count = r.count(1)?;
        let mut customer_of = Vec::with_capacity(customer_count);
        for _ in 0..customer_count {
            customer_of.push(self.customers.find_or_insert(r.bytes()?).0);
        }
        if r.count(1)? != self.contacts.len() {
            return None;
        }
        for (_, column) in &mut self.contacts {
            for &customer in &customer_of {
                column.offer(customer, r.text()?);
            }
        }

        let orders = r.count(18)?;
        let customers = r.column(orders, 4)?;
        let days = r.column(orders, 4)?;
        let values = r.column(orders, 8)?;
        let flags = r.column(orders, 1)?;
        if r.count(1)? != self.attributes.len() {
            return None;
        }
        let mut attribute_codes = Vec::with_capacity(self.attributes.len());
        for attribute in &mut self.attributes {
            let mut code_of = Vec::new();
            for _ in 0..r.count(1)? {
                code_of.push(attribute.code_for(r.text()?));
            }
            attribute_codes.push((code_of, r.column(orders, 4)?));
        }

        let start = self.order_count();
        self.expect_orders(start + orders);
        let amount_per_order = self.rules.preset.amount_per_order;
        let mut order_of = Vec::with_capacity(if self.lines.is_some() { orders } else { 0 });
        for (o, &flag) in flags.iter().enumerate() {
            let customer = match u32_at(customers, o) {
                ANONYMOUS => ANONYMOUS,
                c => *customer_of.get(c as usize)?,
            };
            let (day, value) = (u32_at(days, o) as i32, f64_at(values, o));
            let key = r.bytes()?;
            let next = self.order_count() as u32;
            let mut timed_at = None;
            let (g, is_new) = if key.is_empty() {
                (next, true)
            } else if key.len() == CUSTOMER_KEY_LEN && key[0] == 0 {
                let local = u32::from_le_bytes(key[1..5].try_into().expect("four bytes"));
                let global = *customer_of.get(local as usize)?;
                let at = i64::from_le_bytes(key[5..].try_into().expect("eight bytes"));
                // As `order_for` finds it.
                match self
                    .timed
                    .find(global, at, &mut self.orders, &self.order_customer)
                {
                    Found::Order(order) => (order, false),
                    Found::New => {
                        timed_at = Some((global, at));
                        (next, true)
                    }
                    Found::Index => {
                        timed_key(&mut self.key, global, at);
                        let found = self.orders.find_or_insert(&self.key, next);
                        timed_at = Some((global, at));
                        found
                    }
                }
            } else {
                self.orders.find_or_insert(key, next)
            };
            let g_index = g as usize;
            if is_new {
                push_lean(&mut self.order_customer, customer);
                push_lean(&mut self.order_day, day);
                if !self.rules.date_order_confirmed {
                    push_lean(&mut self.order_alternate_day, day);
                }
                push_lean(&mut self.order_value, value);
                push_lean(&mut self.order_flags, flag);
                if let Some((customer, at)) = timed_at {
                    self.timed.push(customer, at, g);
                }
            } else {
                self.order_day[g_index] = self.order_day[g_index].min(day);
                let first_lines = first_amounts.len() / 8;
                if !amount_per_order && o == 0 && first_lines <= FIRST_ORDER_LINES {
                    // The order a cut fell in: its lines added one by one, as one pass adds
                    // them, so that its value is the same to the last bit.
                    let known = &mut self.order_value[g_index];
                    *known = (0..first_lines).fold(*known, |sum, l| sum + f64_at(first_amounts, l));
                } else if !amount_per_order {
                    self.order_value[g_index] += value;
                } else if self.order_flags[g_index] & HAS_AMOUNT == 0 && flag & HAS_AMOUNT != 0 {
                    self.order_value[g_index] = value;
                }
                self.order_flags[g_index] |= flag;
                let known = self.order_customer[g_index];
                if customer != ANONYMOUS && known != customer {
                    if known == ANONYMOUS {
                        self.order_customer[g_index] = customer;
                    } else {
                        self.orders_with_two_customers += 1;
                    }
                }
            }
            for (attribute, (code_of, codes)) in self.attributes.iter_mut().zip(&attribute_codes) {
                let local = u32_at(codes, o) as usize;
                let code = *code_of.get(local)?;
                if is_new {
                    attribute.codes.push(code);
                } else if attribute.codes.get(g_index) == 0 {
                    attribute.codes.set(g_index, code);
                }
            }
            if self.lines.is_some() {
                order_of.push(g);
            }
        }
        self.last_order = u32::MAX;
        match (r.varint()?, &mut self.lines) {
            (0, None) => {}
            (1, Some(lines)) => lines.absorb(r, &order_of)?,
            _ => return None,
        }
        if !r.is_done() {
            return None;
        }
        Some(Decoding {
            replaced: replaced != 0,
            windows_1252_bytes: w1252,
        })
    }
}

impl AttributeReader {
    /// The code of `value`, registered when new (`""` is code 0).
    fn code_for(&mut self, value: &str) -> u32 {
        if value.is_empty() {
            return 0;
        }
        let next = self.values.len() as u32;
        *self.codes_of.entry(value.to_string()).or_insert_with(|| {
            self.values.push(value.to_string());
            next
        })
    }
}

fn read_reject(r: &mut Reader, row_offset: u64) -> Option<Reject> {
    let row = r.varint()? + row_offset;
    let column = r.text()?.to_string();
    let value = r.text()?.to_string();
    let code = r.text()?;
    let code = *Code::ALL.iter().find(|c| c.as_str() == code)?;
    let mut reason = Message::new(code, r.text()?);
    for _ in 0..r.count(2)? {
        let name = param_name(r.text()?);
        reason.params.push((name, r.text()?.to_string()));
    }
    Some(Reject {
        row,
        column,
        value,
        reason,
    })
}

/// A param's name as the `&'static str` a [`Message`] keeps: each distinct name is kept once
/// for the life of the module (rejects have a handful).
fn param_name(name: &str) -> &'static str {
    thread_local! {
        static NAMES: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    NAMES.with_borrow_mut(|names| match names.iter().find(|n| **n == name) {
        Some(known) => known,
        None => {
            let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
            names.push(leaked);
            leaked
        }
    })
}
