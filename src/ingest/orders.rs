//! Rows → orders: reads the role columns of each row, groups order lines into orders, classifies
//! returns and cancellations, and accounts for every row (accepted, anonymous or rejected).

use super::amounts::{AmountError, DecimalSeparator, parse_amount};
use super::columns::{AttributeColumn, ColumnMap, Preset, Role, status_is_cancelled};
use super::dates::{DateError, DateOrder, ParsedDate, parse_date};
use super::identity::{CustomerIdRule, PhoneCountry, normalise_id};
use super::line_items::LineReader;
use super::notes::{self, shorten};
use super::order_ids::OrderIds;
use super::order_index::{KeyIndex, Keys};
use super::rejects;
use super::timed_orders::{Found, TimedOrders, timed_key};
use super::{IngestReport, IngestedBook, REJECTS_KEPT, Reject};
use crate::book::{ANONYMOUS, Attribute, Codes, CustomerIds, OrderBook, OrderKind};
use crate::contacts::{ContactColumn, Contacts, contact_columns};
use crate::day::Day;
use crate::lean_vec::{first_entries, push_lean, try_reserve};
use crate::message::Message;

mod partial;
pub(super) use partial::Decoding;

/// Order dates accepted, in days since 1970-01-01: 1970-01-01 ..= 2100-12-31.
///
/// Dates outside are placeholders for "no date" (`1900-01-01`, `0001-01-01`, `9999-12-31`, Excel's
/// day 0) or typos, not orders of an online store. Kept, a single one would stretch every
/// analysis over centuries — a cohort table with 1,500 monthly columns, recency measured from
/// year 9999 — so such rows are rejected with the reason, and counted like every other reject.
/// Dates inside the range but far from the rest of the file get a note instead (see
/// [`isolated_date_notes`]): the core has no clock, so "after today" is for the page to say.
pub const ORDER_DATES: std::ops::RangeInclusive<i32> = 0..=47_846;

/// Largest magnitude of one line's amount (or quantity × unit price): 10^15, a million billion in
/// any currency. Beyond it the value is an id, a barcode run together or a misread separator;
/// the bound also keeps every sum of amounts (order totals, revenue, a customer's spend) finite.
pub const MAX_LINE_AMOUNT: f64 = 1e15;

/// Longest customer or order id kept, in characters: e-mail addresses have at most 254. A longer
/// one is a column of free text or a stray quote that swallowed the rest of the file.
pub const MAX_ID_CHARS: usize = 1_000;

/// The fields of one input row.
pub trait Fields {
    fn count(&self) -> usize;
    /// Field `i` (valid UTF-8), `None` past the end of the row.
    fn get(&self, i: usize) -> Option<&str>;

    /// No field, or one that is empty or blanks: a blank line, not a row.
    fn is_blank(&self) -> bool {
        self.count() == 0 || (self.count() == 1 && self.get(0).is_some_and(|f| f.trim().is_empty()))
    }
}

/// How the rows of one file are read, decided before the first row is processed.
pub struct RowRules {
    pub headers: Vec<String>,
    pub map: ColumnMap,
    pub preset: &'static Preset,
    /// Columns whose non-empty value marks a cancelled order.
    pub cancel_columns: Vec<usize>,
    pub date_order: DateOrder,
    /// False while `date_order` is only a guess because every date so far reads both ways.
    pub date_order_confirmed: bool,
    pub decimal: DecimalSeparator,
    /// 1-based row number of the first data row (2 when there is a header row).
    pub first_row: u64,
    /// How customer ids are normalised, and the country of national phone numbers.
    pub customer_ids: CustomerIdRule,
    pub phone_country: PhoneCountry,
    /// The columns kept as order attributes.
    pub attributes: Vec<AttributeColumn>,
}

/// One attribute column being read: its distinct values so far and each order's code.
struct AttributeReader {
    column: usize,
    /// Code of each value but `""` (code 0).
    codes_of: rustc_hash::FxHashMap<String, u32>,
    values: Vec<String>,
    /// One code per order; 0 until a line of the order has a value.
    codes: Codes,
    /// The last value read and its code: the lines of an order, and often the orders of a
    /// day, repeat it.
    last_text: String,
    last_code: u32,
}

impl AttributeReader {
    fn new(column: usize) -> AttributeReader {
        AttributeReader {
            column,
            codes_of: Default::default(),
            values: vec![String::new()],
            codes: Codes::default(),
            last_text: String::new(),
            last_code: 0,
        }
    }

    /// Gives order `order` the row's value, unless an earlier line of it had one.
    fn read<F: Fields + ?Sized>(&mut self, fields: &F, order: usize) {
        if self.codes.get(order) != 0 {
            return;
        }
        let text = fields.get(self.column).map_or("", trim_field);
        if text.is_empty() {
            return;
        }
        if !same_bytes(text.as_bytes(), self.last_text.as_bytes()) {
            let next = self.values.len() as u32;
            self.last_code = *self.codes_of.entry(text.to_string()).or_insert_with(|| {
                self.values.push(text.to_string());
                next
            });
            self.last_text.clear();
            self.last_text.push_str(text);
        }
        self.codes.set(order, self.last_code);
    }
}

const RETURN_MARKED: u8 = 1;
const CANCELLED: u8 = 2;
const HAS_AMOUNT: u8 = 4;

/// Accumulates orders row by row.
pub struct OrderAccumulator {
    rules: RowRules,
    report: IngestReport,
    next_row: u64,
    orders: OrderIds,
    /// Orders keyed by customer and instant (rows without an order id).
    timed: TimedOrders,
    last_order_key: Vec<u8>,
    last_order: u32,
    customers: KeyIndex,
    last_customer_text: String,
    last_customer: u32,
    /// Room for a customer id that normalisation changes (lowercased, phone in E.164).
    normalised_id: String,
    last_date_text: String,
    last_date: Result<(ParsedDate, i32), DateError>,
    key: Vec<u8>,
    // One entry per order.
    order_customer: Vec<u32>,
    order_day: Vec<i32>,
    /// The order's day read in the other day/month order, kept only while that is unsettled.
    order_alternate_day: Vec<i32>,
    order_value: Vec<f64>,
    order_flags: Vec<u8>,
    attributes: Vec<AttributeReader>,
    /// The line items, for a file with a product column.
    lines: Option<LineReader>,
    /// The contact columns (position in the row, values per customer); none for most files.
    contacts: Vec<(usize, ContactColumn)>,
    /// Whether the order columns were sized for the whole file (see `expect_orders`).
    columns_sized: bool,
    orders_with_two_customers: u64,
    dates_read_both_ways: u64,
    /// The line amounts of the first order, for adding them one by one to the same order read
    /// by the worker of the range before (see `partial`).
    first_order_amounts: Vec<f64>,
}

impl OrderAccumulator {
    pub fn new(rules: RowRules, report: IngestReport) -> OrderAccumulator {
        let attributes = rules
            .attributes
            .iter()
            .map(|kept| AttributeReader::new(kept.column))
            .collect();
        let lines = LineReader::new(&rules.map, rules.preset.amount_per_order, rules.decimal);
        OrderAccumulator {
            attributes,
            lines,
            contacts: contact_columns(&rules.headers),
            next_row: rules.first_row,
            rules,
            report,
            orders: OrderIds::default(),
            timed: TimedOrders::default(),
            last_order_key: Vec::new(),
            last_order: u32::MAX,
            customers: KeyIndex::default(),
            last_customer_text: String::new(),
            last_customer: ANONYMOUS,
            normalised_id: String::new(),
            last_date_text: String::new(),
            last_date: Err(DateError::Empty),
            key: Vec::new(),
            order_customer: Vec::new(),
            order_day: Vec::new(),
            order_alternate_day: Vec::new(),
            order_value: Vec::new(),
            order_flags: Vec::new(),
            columns_sized: false,
            orders_with_two_customers: 0,
            dates_read_both_ways: 0,
            first_order_amounts: Vec::new(),
        }
    }

    pub fn rows_read(&self) -> u64 {
        self.report.rows_read
    }

    pub fn order_count(&self) -> usize {
        self.order_day.len()
    }

    /// Makes room for `total` orders in all, at once (see [`OrderBookBuilder::expect_bytes`]).
    ///
    /// [`OrderBookBuilder::expect_bytes`]: super::OrderBookBuilder::expect_bytes
    pub fn expect_orders(&mut self, total: usize) {
        self.columns_sized = true;
        let more = total.saturating_sub(self.order_count());
        self.orders.expect_orders(total, self.order_count());
        self.timed.expect_orders(total);
        try_reserve(&mut self.order_customer, more);
        try_reserve(&mut self.order_day, more);
        if !self.rules.date_order_confirmed {
            try_reserve(&mut self.order_alternate_day, more);
        }
        try_reserve(&mut self.order_value, more);
        try_reserve(&mut self.order_flags, more);
        for attribute in &mut self.attributes {
            attribute.codes.reserve(more);
        }
        if let Some(lines) = &mut self.lines {
            // As many lines per order as so far.
            let per_order = lines.len() as f64 / self.order_day.len().max(1) as f64;
            lines.reserve((more as f64 * per_order) as usize, more);
        }
    }

    fn reject(&mut self, row: u64, column: Option<usize>, value: &str, reason: Message) {
        self.report.rows_rejected += 1;
        if self.report.rejects.len() < REJECTS_KEPT {
            let column = column
                .map(|c| shorten(&self.rules.headers[c]).into_owned())
                .unwrap_or_default();
            let value: String = value.chars().take(200).collect();
            self.report.rejects.push(Reject {
                row,
                column,
                value,
                reason,
            });
        }
    }

    /// Reads one row; blank rows are counted apart and are not rows.
    pub fn push<F: Fields + ?Sized>(&mut self, fields: &F) {
        let row = self.next_row;
        self.next_row += 1;
        if fields.is_blank() {
            self.report.blank_lines += 1;
            return;
        }
        self.report.rows_read += 1;
        let [date_column, customer_column, order_column, status_column] =
            [Role::Date, Role::Customer, Role::Order, Role::Status]
                .map(|role| self.rules.map.column(role));
        let text = |column: Option<usize>| column.and_then(|i| fields.get(i)).map(trim_field);

        let Some(date_column) = date_column else {
            return self.reject(row, None, "", rejects::no_date_column());
        };
        let Some(date_text) = text(Some(date_column)) else {
            return self.reject_short_row(row, fields.count());
        };
        let day = match self.read_date(date_text) {
            Ok(day) => day,
            Err(reason) => return self.reject(row, Some(date_column), date_text, reason),
        };

        if !ORDER_DATES.contains(&day.0.day) {
            let reason = rejects::date_out_of_range(Day(day.0.day).to_string());
            return self.reject(row, Some(date_column), date_text, reason);
        }

        let (amount, quantity) = match self.read_value(fields, row) {
            Ok(read) => read,
            Err(()) => return,
        };

        let customer_text = text(customer_column).unwrap_or("");
        let order_text = text(order_column).unwrap_or("");
        for (role, id, column) in [
            (Role::Customer, customer_text, customer_column),
            (Role::Order, order_text, order_column),
        ] {
            if id.len() > MAX_ID_CHARS && id.chars().count() > MAX_ID_CHARS {
                let reason = rejects::id_too_long(role, id.chars().count());
                return self.reject(row, column, id, reason);
            }
        }

        let customer = self.intern_customer(customer_text);
        if customer != ANONYMOUS {
            for (at, column) in &mut self.contacts {
                column.offer(customer, fields.get(*at).unwrap_or(""));
            }
        }
        let cancelled = text(status_column).is_some_and(status_is_cancelled)
            || self
                .rules
                .cancel_columns
                .iter()
                .any(|&c| fields.get(c).is_some_and(|v| !v.trim().is_empty()));
        let return_marked = self
            .rules
            .preset
            .return_prefix
            .is_some_and(|prefix| order_text.starts_with(prefix));

        let order = self.order_for(order_text, customer, day);
        let o = order as usize;
        self.order_day[o] = self.order_day[o].min(day.0.day);
        if !self.rules.date_order_confirmed {
            self.order_alternate_day[o] = self.order_alternate_day[o].min(day.1);
        }
        match amount {
            Some(value) if !self.rules.preset.amount_per_order => {
                self.order_value[o] += value;
                if o == 0 {
                    partial::first_order_amount(&mut self.first_order_amounts, value);
                }
            }
            Some(value) if self.order_flags[o] & HAS_AMOUNT == 0 => {
                self.order_value[o] = value;
                self.order_flags[o] |= HAS_AMOUNT;
            }
            _ => {}
        }
        if customer != ANONYMOUS && self.order_customer[o] != customer {
            if self.order_customer[o] == ANONYMOUS {
                self.order_customer[o] = customer;
            } else {
                self.orders_with_two_customers += 1;
            }
        }
        if cancelled {
            self.order_flags[o] |= CANCELLED;
        }
        if return_marked {
            self.order_flags[o] |= RETURN_MARKED;
        }
        for attribute in &mut self.attributes {
            attribute.read(fields, o);
        }
        if let Some(lines) = &mut self.lines {
            lines.read(fields, order, amount, quantity);
        }
        self.report.rows_accepted += 1;
        if customer == ANONYMOUS {
            self.report.rows_anonymous += 1;
        }
    }

    /// Takes a row whose quote at `field` opened and was never closed (see
    /// `RecordSplitter::split`), read with that quote as an ordinary character: it is counted and
    /// left out, since which of its fields hold what is unsure. The lines the quote would have
    /// taken in come as rows of their own. Cold and apart from `push`, which runs for every
    /// row.
    #[cold]
    #[inline(never)]
    pub fn push_stray_quote<F: Fields + ?Sized>(&mut self, fields: &F, field: usize) {
        let row = self.next_row;
        self.next_row += 1;
        self.report.rows_read += 1;
        let column = (field < self.rules.headers.len()).then_some(field);
        let value = fields.get(field).unwrap_or("");
        self.reject(row, column, value, rejects::stray_quote());
    }

    fn reject_short_row(&mut self, row: u64, fields: usize) {
        let reason = rejects::short_row(fields, self.rules.headers.len());
        self.reject(row, None, "", reason);
    }

    /// The row's value: the amount column, or quantity × unit price (then with the quantity).
    /// `None` for an empty per-order amount on a later line of the order. Rejects the row on
    /// `Err`.
    fn read_value<F: Fields + ?Sized>(
        &mut self,
        fields: &F,
        row: u64,
    ) -> Result<(Option<f64>, Option<f64>), ()> {
        let decimal = self.rules.decimal;
        let map = &self.rules.map;
        let read = |role: Role| -> Option<(usize, &str, Result<f64, AmountError>)> {
            let column = map.column(role)?;
            let text = fields.get(column).map(trim_field)?;
            Some((column, text, parse_amount(text, decimal)))
        };
        if map.column(Role::Amount).is_some() {
            let Some((column, text, amount)) = read(Role::Amount) else {
                self.reject_short_row(row, fields.count());
                return Err(());
            };
            return match amount {
                Ok(value) if value.abs() > MAX_LINE_AMOUNT => {
                    self.reject(row, Some(column), text, rejects::too_large(Role::Amount));
                    Err(())
                }
                Ok(value) => Ok((Some(value), None)),
                Err(AmountError::Empty) if self.rules.preset.amount_per_order => Ok((None, None)),
                Err(error) => {
                    let reason = rejects::amount(&error, Role::Amount);
                    self.reject(row, Some(column), text, reason);
                    Err(())
                }
            };
        }
        let (Some(quantity), Some(price)) = (read(Role::Quantity), read(Role::UnitPrice)) else {
            self.reject_short_row(row, fields.count());
            return Err(());
        };
        match (quantity.2, price.2) {
            (Ok(q), Ok(p)) if (q * p).abs() <= MAX_LINE_AMOUNT => Ok((Some(q * p), Some(q))),
            (Ok(_), Ok(_)) => {
                let value = format!("{} × {}", quantity.1, price.1);
                self.reject(
                    row,
                    Some(quantity.0),
                    &value,
                    rejects::too_large(Role::Quantity),
                );
                Err(())
            }
            (Err(error), _) => {
                let (column, text) = (quantity.0, quantity.1.to_string());
                self.reject(
                    row,
                    Some(column),
                    &text,
                    rejects::amount(&error, Role::Quantity),
                );
                Err(())
            }
            (_, Err(error)) => {
                let (column, text) = (price.0, price.1.to_string());
                self.reject(
                    row,
                    Some(column),
                    &text,
                    rejects::amount(&error, Role::UnitPrice),
                );
                Err(())
            }
        }
    }

    /// Parses a date (the previous row's result is reused for the same text), returning the day
    /// and the day read the other way round when the day/month order is still a guess.
    fn read_date(&mut self, text: &str) -> Result<(ParsedDate, i32), Message> {
        if !same_bytes(text.as_bytes(), self.last_date_text.as_bytes())
            || self.last_date_text.is_empty()
        {
            self.last_date = self.parse_date_fresh(text);
            self.last_date_text.clear();
            self.last_date_text.push_str(text);
        }
        self.last_date
            .clone()
            .map_err(|error| rejects::date(&error))
    }

    fn parse_date_fresh(&mut self, text: &str) -> Result<(ParsedDate, i32), DateError> {
        match parse_date(text, self.rules.date_order) {
            Ok(date) if self.rules.date_order_confirmed => Ok((date, date.day)),
            Ok(date) => match parse_date(text, swapped(self.rules.date_order)) {
                Ok(other) => {
                    if other.day != date.day {
                        self.dates_read_both_ways += 1;
                    }
                    Ok((date, other.day))
                }
                // Only the guessed order reads this date: the guess is proven.
                Err(DateError::OrderConflict { .. }) => {
                    self.rules.date_order_confirmed = true;
                    self.dates_read_both_ways = 0;
                    self.order_alternate_day = Vec::new();
                    Ok((date, date.day))
                }
                Err(_) => Ok((date, date.day)),
            },
            Err(DateError::OrderConflict { found }) if !self.rules.date_order_confirmed => {
                self.switch_date_order(found);
                parse_date(text, found).map(|d| (d, d.day))
            }
            Err(error) => Err(error),
        }
    }

    /// The guessed day/month order was wrong: every date so far read both ways, so re-read
    /// the orders' days the other way and settle on `found`.
    fn switch_date_order(&mut self, found: DateOrder) {
        self.order_day = std::mem::take(&mut self.order_alternate_day);
        self.rules.date_order = found;
        self.rules.date_order_confirmed = true;
        self.dates_read_both_ways = 0;
        self.last_date_text.clear();
    }

    fn intern_customer(&mut self, text: &str) -> u32 {
        if text.is_empty() {
            return ANONYMOUS;
        }
        if same_bytes(text.as_bytes(), self.last_customer_text.as_bytes()) {
            return self.last_customer;
        }
        let id = match self.rules.customer_ids {
            CustomerIdRule::AsWritten => normalise_customer_id(text),
            rule => normalise_id(
                rule,
                &self.rules.phone_country,
                text,
                &mut self.normalised_id,
            ),
        };
        let index = self.customers.find_or_insert(id.as_bytes()).0;
        self.last_customer_text.clear();
        self.last_customer_text.push_str(text);
        self.last_customer = index;
        index
    }

    /// The order this row belongs to: by order id; without one, by customer and timestamp;
    /// an anonymous row without an order id is an order of its own.
    fn order_for(&mut self, order_text: &str, customer: u32, day: (ParsedDate, i32)) -> u32 {
        let mut instant = None;
        if !order_text.is_empty() {
            self.key.clear();
            self.key.extend_from_slice(order_text.as_bytes());
        } else if customer != ANONYMOUS {
            let at = day.0.seconds.unwrap_or(day.0.day as i64 * 86_400);
            match (self.timed).find(customer, at, &mut self.orders, &self.order_customer) {
                Found::Order(order) => return order,
                Found::New => {
                    let order = self.push_order(day);
                    self.timed.push(customer, at, order);
                    return order;
                }
                Found::Index => timed_key(&mut self.key, customer, at),
            }
            instant = Some(at);
        } else {
            return self.push_order(day);
        }
        // Lines of one order come one after another: most rows end here.
        if self.last_order != u32::MAX && same_bytes(&self.key, &self.last_order_key) {
            return self.last_order;
        }
        let next = self.order_count() as u32;
        let (order, is_new) = self.orders.find_or_insert(&self.key, next);
        if is_new {
            self.push_order(day);
            if let Some(at) = instant {
                self.timed.push(customer, at, order);
            }
        }
        std::mem::swap(&mut self.last_order_key, &mut self.key);
        self.last_order = order;
        order
    }

    fn push_order(&mut self, day: (ParsedDate, i32)) -> u32 {
        if self.columns_sized && self.order_count() == self.order_day.capacity() {
            // The estimate fell short, but the end of the file is near: a little more at a time.
            let count = self.order_count();
            self.expect_orders(count + count / 16 + 64);
        }
        push_lean(&mut self.order_customer, ANONYMOUS);
        push_lean(&mut self.order_day, day.0.day);
        if !self.rules.date_order_confirmed {
            push_lean(&mut self.order_alternate_day, day.1);
        }
        push_lean(&mut self.order_value, 0.0);
        push_lean(&mut self.order_flags, 0);
        for attribute in &mut self.attributes {
            attribute.codes.push(0);
        }
        (self.order_day.len() - 1) as u32
    }

    /// Classifies the orders and builds the book; cancelled orders are counted, not kept.
    pub fn finish(self, decoding_replaced_bytes: bool) -> IngestedBook {
        let OrderAccumulator {
            rules,
            mut report,
            customers,
            orders,
            last_order_key,
            key,
            ..
        } = self;
        // The order ids and the customer table are done with (only the customer ids are read
        // back): free them before the book's columns are built, which is when memory peaks.
        drop((orders, last_order_key, key));
        let customers = customers.into_keys();
        // The order columns become the book's columns, compacted in place (cancelled orders
        // dropped, customers renumbered in order of first appearance) to keep peak memory low.
        let mut customer = self.order_customer;
        let mut day = self.order_day;
        let mut value = self.order_value;
        let mut flags = self.order_flags;
        let mut attributes = self.attributes;
        // The lines first, while the flags still say which orders are cancelled.
        let lines = self.lines.map(|lines| {
            if lines.without_product > 0 {
                report.add_note(notes::rows_without_product(lines.without_product));
            }
            lines.finish(flags.len(), |o| flags[o] & CANCELLED == 0)
        });
        let mut new_index = vec![u32::MAX; customers.len()];
        let mut next_customer = 0;
        let mut kept = 0;
        for o in 0..flags.len() {
            if flags[o] & CANCELLED != 0 {
                report.cancelled += 1;
                continue;
            }
            // The flags column becomes the kind column, in place.
            flags[kept] = u8::from(flags[o] & RETURN_MARKED != 0 || value[o] < 0.0);
            customer[kept] = match customer[o] {
                ANONYMOUS => ANONYMOUS,
                c => {
                    let slot = &mut new_index[c as usize];
                    if *slot == u32::MAX {
                        *slot = next_customer;
                        next_customer += 1;
                    }
                    *slot
                }
            };
            day[kept] = day[o];
            value[kept] = value[o];
            for attribute in &mut attributes {
                let code = attribute.codes.get(o);
                attribute.codes.set(kept, code);
            }
            kept += 1;
        }
        // Cancelled orders and a generous estimate (see `expect_orders`) leave room at the end.
        let kind: Vec<OrderKind> = first_entries(flags, kept)
            .into_iter()
            .map(|is_return| match is_return {
                0 => OrderKind::Purchase,
                _ => OrderKind::Return,
            })
            .collect();
        let customer = first_entries(customer, kept);
        let day = first_entries(day, kept);
        let value = first_entries(value, kept);
        let contacts = (!self.contacts.is_empty()).then(|| {
            let columns = self
                .contacts
                .into_iter()
                .map(|(_, column)| column)
                .collect();
            Contacts { columns }.renumbered(&old_of_new(&new_index, next_customer as usize))
        });
        let customer_ids = renumbered_ids(customers, &new_index, next_customer as usize);
        let attributes = attributes
            .into_iter()
            .zip(&rules.attributes)
            .map(|(mut read, column)| {
                read.codes.truncate(kept);
                Attribute {
                    key: column.key.clone(),
                    column: rules.headers[column.column].trim().to_string(),
                    role: column.role,
                    values: read.values,
                    codes: read.codes,
                }
            })
            .collect();
        let book = OrderBook {
            customer_ids,
            customer,
            day,
            value,
            kind,
            attributes,
            acquisition: None,
            acquisition_codes: None,
            lines,
            contacts,
        };
        report.date_order = format!("{:?}", rules.date_order).to_lowercase();
        report.date_order_ambiguous = !rules.date_order_confirmed && self.dates_read_both_ways > 0;
        if report.date_order_ambiguous {
            report.add_note(notes::dates_ambiguous(rules.date_order));
        }
        if self.orders_with_two_customers > 0 {
            report.add_note(notes::order_two_customers(self.orders_with_two_customers));
        }
        if decoding_replaced_bytes {
            report.add_note(notes::bytes_replaced());
        }
        for note in notes::duplicate_headers(&rules.headers, &rules.map) {
            report.add_note(note);
        }
        for note in notes::isolated_dates(&book.day) {
            report.add_note(note);
        }
        report.columns = rules.map.names(&rules.headers);
        report.customer_id_normalization = rules.customer_ids.name().to_string();
        report.phone_country = rules.phone_country.code.to_string();
        report.fill_order_counts(&book);
        if let Some(note) = notes::empty_analysis(&report) {
            report.add_note(note);
        }
        IngestedBook { book, report }
    }
}

/// The customer ids in their new numbering (`new_index[old]`, `u32::MAX` for a customer only
/// seen in cancelled orders). Usually nothing is renumbered, and the keys' own buffers become
/// the ids without a copy.
fn renumbered_ids(keys: Keys, new_index: &[u32], count: usize) -> CustomerIds {
    let unchanged =
        count == keys.len() && new_index.iter().enumerate().all(|(c, &n)| n == c as u32);
    if unchanged {
        let (bytes, ends) = keys.into_parts();
        let text = String::from_utf8(bytes).expect("customer ids are registered as `&str`");
        return CustomerIds::from_parts(text, ends);
    }
    let mut ids = CustomerIds::with_capacity(count, keys.total_bytes());
    for old in old_of_new(new_index, count) {
        ids.push(std::str::from_utf8(keys.key(old)).unwrap_or_default());
    }
    ids
}

/// The old index of each new customer, from the new index of each old one (`u32::MAX`: gone).
fn old_of_new(new_index: &[u32], count: usize) -> Vec<u32> {
    let mut old_of_new = vec![0u32; count];
    for (old, &new) in new_index.iter().enumerate() {
        if new != u32::MAX {
            old_of_new[new as usize] = old as u32;
        }
    }
    old_of_new
}

fn swapped(order: DateOrder) -> DateOrder {
    match order {
        DateOrder::Dmy => DateOrder::Mdy,
        DateOrder::Mdy => DateOrder::Dmy,
        DateOrder::Ymd => DateOrder::Ymd,
    }
}

/// Byte-slice equality, eight bytes at a time: `==` calls `memcmp`, which in WebAssembly is a
/// byte-by-byte loop, and every row compares its date, customer and order id with the previous
/// row's.
#[inline]
pub(super) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut a_words, mut b_words) = (a.chunks_exact(8), b.chunks_exact(8));
    let word = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().expect("eight bytes"));
    a_words
        .by_ref()
        .zip(b_words.by_ref())
        .all(|(x, y)| word(x) == word(y))
        && a_words
            .remainder()
            .iter()
            .zip(b_words.remainder())
            .all(|(x, y)| x == y)
}

/// `str::trim`, with a fast path for the common field that starts and ends in ASCII.
///
/// It must trim exactly what `str::trim` does: ids are compared trimmed by it, and a cell this
/// leaves non-blank but `str::trim` empties became a customer with an empty id. `trim_ascii`
/// keeps the vertical tab (0x0B), which `str::trim` removes, so only printable ASCII ends take
/// the fast path; a control byte at an end takes the slow one.
pub(super) fn trim_field(field: &str) -> &str {
    let trimmed = field.trim_ascii();
    // 0x21..=0x7F, in one signed comparison (bytes from 0x80 are negative as `i8`), as cheap
    // as the `is_ascii` it replaces: this runs for every cell.
    let printable = |b: &u8| *b as i8 > 0x20;
    match (trimmed.as_bytes().first(), trimmed.as_bytes().last()) {
        (Some(first), Some(last)) if printable(first) && printable(last) => trimmed,
        (None, None) => trimmed,
        // Unicode white space (a no-break space…) or a vertical tab may sit at an end.
        _ => trimmed.trim(),
    }
}

/// Customer ids compare as trimmed text, and an integral float id (`17850.0`, as spreadsheets
/// write numbers) equals the integer id (`17850`).
pub fn normalise_customer_id(text: &str) -> &str {
    let text = text.trim();
    if let Some((whole, fraction)) = text.split_once('.')
        && !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b == b'0')
    {
        return whole;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ASCII byte at either end, alone or around a letter: trimmed as `str::trim` does.
    #[test]
    fn fields_are_trimmed_exactly_as_str_trim_does() {
        for byte in 0u8..0x80 {
            let c = char::from(byte);
            for field in [format!("{c}"), format!("{c}x{c}"), format!("{c}{c}\u{a0}x")] {
                assert_eq!(trim_field(&field), field.trim(), "{field:?}");
            }
        }
    }

    #[test]
    fn fields_are_trimmed_of_ascii_and_unicode_space() {
        let cases = [
            (" a ", "a"),
            ("\u{a0}12\u{a0}", "12"),
            ("\t", ""),
            ("", ""),
            ("Đức ", "Đức"),
        ];
        for (field, expected) in cases {
            assert_eq!(trim_field(field), expected, "{field:?}");
        }
    }

    #[test]
    fn integral_float_ids_equal_integer_ids() {
        let cases = [
            ("17850.0", "17850"),
            (" 17850 ", "17850"),
            ("17850.00", "17850"),
            ("17850.5", "17850.5"),
            ("a.0", "a.0"),
            (".0", ".0"),
            ("x@shop.vn", "x@shop.vn"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalise_customer_id(input), expected, "{input}");
        }
    }
}
