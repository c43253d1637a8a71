//! Filters: the orders of some attribute values (`country` = United Kingdom) and of a date range,
//! as a book of their own, in which each customer's acquisition still comes from their whole
//! history.
//!
//! A filtered book is an [`OrderBook`] like any other: RFM, CLV and every customer-level analysis
//! see only the kept orders. What a customer *was* before the filter is kept in
//! [`OrderBook::acquisition`] (the day of their first purchase in the whole history), which the
//! cohorts, growth accounting, retention rates and lifecycle stages read, so a date range or a
//! channel does not make an old customer look new, and in [`OrderBook::acquisition_codes`] (the
//! attribute values of that purchase), which comparisons by first purchase read.

use crate::book::{
    ANONYMOUS, Attribute, Codes, CustomerIds, CustomerOrders, NO_PURCHASE, OrderBook, OrderKind,
};
use crate::day::Day;
use crate::message::{Code, Message};

/// Which orders to keep: an order is kept when, for every attribute named, its value is one of
/// those allowed (`""` allows the orders without a value), and its day is within `from..=to`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Attribute key (see [`crate::book::Attribute::key`]) and the values allowed.
    pub attributes: Vec<(String, Vec<String>)>,
    /// First day kept (days since 1970-01-01).
    pub from: Option<Day>,
    /// Last day kept.
    pub to: Option<Day>,
}

impl Filter {
    /// A filter that keeps every order.
    pub fn is_empty(&self) -> bool {
        self.attributes.is_empty() && self.from.is_none() && self.to.is_none()
    }
}

/// Clears `keep[o]` for each order whose code in `column` is not `allowed`.
fn keep_where<C: Copy + Into<u32>>(keep: &mut [bool], column: &[C], allowed: &[bool]) {
    for (keep, &code) in keep.iter_mut().zip(column) {
        *keep &= allowed[code.into() as usize];
    }
}

/// How many values an unknown-value message lists.
const LISTED_VALUES: usize = 12;

/// A filter resolved against one book: per attribute, whether each code is allowed.
struct Allowed {
    attribute: usize,
    codes: Vec<bool>,
}

fn resolve(book: &OrderBook, filter: &Filter) -> Result<Vec<Allowed>, Message> {
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        let (from, to) = (from.to_string(), to.to_string());
        return Err(Message::new(
            Code::FILTER_EMPTY_RANGE,
            format!("the filter's range ends ({to}) before it starts ({from}): swap the dates"),
        )
        .with("from", from)
        .with("to", to));
    }
    filter
        .attributes
        .iter()
        .map(|(key, values)| {
            let attribute = book
                .attributes
                .iter()
                .position(|a| a.key == *key)
                .ok_or_else(|| {
                    unknown_attribute(book, key, Code::FILTER_UNKNOWN_ATTRIBUTE, "the filter")
                })?;
            let known = &book.attributes[attribute];
            let mut codes = vec![false; known.values.len()];
            for value in values {
                let code = known
                    .code_of(value)
                    .ok_or_else(|| unknown_value(&known.values, key, value))?;
                codes[code as usize] = true;
            }
            Ok(Allowed { attribute, codes })
        })
        .collect()
}

/// `key` is no attribute of `book`: the message `code`, saying that `named_by` (`the filter`,
/// `compareBy`) names it and listing the attributes there are.
pub(crate) fn unknown_attribute(
    book: &OrderBook,
    key: &str,
    code: Code,
    named_by: &str,
) -> Message {
    let keys: Vec<&str> = book.attributes.iter().map(|a| a.key.as_str()).collect();
    unknown_attribute_among(&keys, key, code, named_by)
}

/// [`unknown_attribute`] for a book's attribute `keys` (the SQL module has the keys, not the
/// book).
pub fn unknown_attribute_among(keys: &[&str], key: &str, code: Code, named_by: &str) -> Message {
    let listed = if keys.is_empty() {
        "the file has none".to_string()
    } else {
        format!("its attributes are: {}", keys.join(", "))
    };
    Message::new(
        code,
        format!("{named_by} names the attribute '{key}', which the book does not have; {listed}"),
    )
    .with("attribute", key)
    .with("attributes", keys.join(", "))
}

fn unknown_value(values: &[String], key: &str, value: &str) -> Message {
    let mut listed: Vec<&str> = values
        .iter()
        .skip(1)
        .take(LISTED_VALUES)
        .map(String::as_str)
        .collect();
    if values.len() > LISTED_VALUES + 1 {
        listed.push("…");
    }
    let listed = listed.join(", ");
    Message::new(
        Code::FILTER_UNKNOWN_VALUE,
        format!(
            "no order has '{value}' as its {key}: choose among the values the file has ({listed})"
        ),
    )
    .with("attribute", key)
    .with("value", value)
    .with("values", listed)
}

/// Each customer's acquisition in their whole history, which every book filtered out of a book
/// keeps: the day of their first purchase ([`NO_PURCHASE`] for none) and, per attribute, the code
/// of that purchase (of their first order when they never bought).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Acquisition {
    pub days: Vec<i32>,
    pub codes: Vec<Codes>,
}

/// A filtered book and its orders grouped by customer, which come with it for free.
pub struct FilteredBook {
    pub book: OrderBook,
    pub by_customer: CustomerOrders,
}

impl OrderBook {
    /// The orders `filter` keeps, as a book of their own: customers renumbered in order of their
    /// first kept order, the attributes' dictionaries as they were, and each customer's first
    /// purchase in the whole history in [`OrderBook::acquisition`] and
    /// [`OrderBook::acquisition_codes`]. An unknown attribute or value is an error (a value no
    /// order has is a typo, or a filter meant for another file).
    pub fn filtered(&self, filter: &Filter) -> Result<OrderBook, Message> {
        let by_customer = self.customer_orders();
        Ok(self
            .filtered_with(filter, &self.acquisition(), &by_customer)?
            .book)
    }

    /// [`OrderBook::filtered`] given this book's [`OrderBook::acquisition`] and
    /// [`OrderBook::customer_orders`], for a caller that filters one book again and again (a page
    /// switching filters) and keeps them.
    ///
    /// The kept orders are stored customer by customer (in their new numbering, each customer's
    /// by day as `by_customer` has them), the guests' last in file order: every analysis that
    /// walks a customer's orders then reads memory in sequence instead of jumping across the
    /// book, which on a million orders is most of its time, and the grouping by customer comes
    /// without a sort.
    pub fn filtered_with(
        &self,
        filter: &Filter,
        acquired: &Acquisition,
        by_customer: &CustomerOrders,
    ) -> Result<FilteredBook, Message> {
        let allowed = resolve(self, filter)?;
        let (from, to) = (
            filter.from.map_or(i32::MIN, |day| day.0),
            filter.to.map_or(i32::MAX, |day| day.0),
        );
        // One pass per condition over one column, each a loop the compiler can unroll.
        let mut keep: Vec<bool> = self
            .day
            .iter()
            .map(|&day| from <= day && day <= to)
            .collect();
        for condition in &allowed {
            let codes = &condition.codes;
            match &self.attributes[condition.attribute].codes {
                Codes::U8(column) => keep_where(&mut keep, column, codes),
                Codes::U16(column) => keep_where(&mut keep, column, codes),
                Codes::U32(column) => keep_where(&mut keep, column, codes),
            }
        }
        Ok(self.with_orders(&keep, acquired, by_customer))
    }

    /// The orders `keep` marks as a book (see [`OrderBook::filtered_with`]), with `acquired`,
    /// this book's customers' acquisition.
    fn with_orders(
        &self,
        keep: &[bool],
        acquired: &Acquisition,
        by_customer: &CustomerOrders,
    ) -> FilteredBook {
        let customers = self.customer_count();
        let mut new_index = vec![u32::MAX; customers];
        let mut customer_ids = CustomerIds::with_capacity(customers, self.customer_ids.bytes());
        // This book's index of each kept customer, in their new order: that of their first kept
        // order in this book.
        let mut source = Vec::with_capacity(customers);
        let mut guests = Vec::new();
        let mut kept_count = 0;
        for (o, _) in keep.iter().enumerate().filter(|(_, keep)| **keep) {
            kept_count += 1;
            match self.customer[o] {
                ANONYMOUS => guests.push(o as u32),
                c => {
                    let slot = &mut new_index[c as usize];
                    if *slot == u32::MAX {
                        *slot = source.len() as u32;
                        customer_ids.push(&self.customer_ids[c as usize]);
                        source.push(c);
                    }
                }
            }
        }
        let mut kept = Vec::with_capacity(kept_count);
        let mut offsets = Vec::with_capacity(source.len() + 1);
        offsets.push(0);
        for &c in &source {
            kept.extend(
                by_customer
                    .of(c as usize)
                    .iter()
                    .filter(|&&o| keep[o as usize]),
            );
            offsets.push(kept.len() as u32);
        }
        let identified = kept.len();
        kept.extend(guests);
        // The identified customers' orders come grouped: their new index is their group's.
        let mut customer = Vec::with_capacity(kept.len());
        for (c, ends) in offsets.windows(2).enumerate() {
            customer.resize(ends[1] as usize, c as u32);
        }
        customer.resize(kept.len(), ANONYMOUS);
        // The columns gathered in one pass: the kept orders are scattered over the book, and
        // each is then read from memory once.
        let (mut day, mut value, mut kind) = (
            Vec::with_capacity(kept.len()),
            Vec::with_capacity(kept.len()),
            Vec::with_capacity(kept.len()),
        );
        for &o in &kept {
            let o = o as usize;
            day.push(self.day[o]);
            value.push(self.value[o]);
            kind.push(self.kind[o]);
        }
        let book = OrderBook {
            customer,
            day,
            value,
            kind,
            attributes: self
                .attributes
                .iter()
                .map(|attribute| Attribute {
                    key: attribute.key.clone(),
                    column: attribute.column.clone(),
                    role: attribute.role,
                    values: attribute.values.clone(),
                    codes: attribute.codes.select(&kept),
                })
                .collect(),
            acquisition: Some(source.iter().map(|&c| acquired.days[c as usize]).collect()),
            acquisition_codes: Some(acquired.codes.iter().map(|c| c.select(&source)).collect()),
            lines: self.lines.as_ref().map(|lines| lines.select(&kept)),
            contacts: self.contacts.as_ref().map(|c| c.renumbered(&source)),
            customer_ids: customer_ids.shrunk(),
        };
        FilteredBook {
            book,
            by_customer: CustomerOrders {
                offsets,
                orders: (0..identified as u32).collect(),
            },
        }
    }

    /// Each customer's acquisition in their whole history: what a filtered book keeps, else read
    /// from the orders (one pass).
    pub fn acquisition(&self) -> Acquisition {
        if let (Some(days), Some(codes)) = (&self.acquisition, &self.acquisition_codes) {
            return Acquisition {
                days: days.clone(),
                codes: codes.clone(),
            };
        }
        let customers = self.customer_count();
        let mut first_purchase = vec![u32::MAX; customers];
        let mut first_order = vec![u32::MAX; customers];
        // Earliest day first, then the first in the file, as `customer_orders` sorts them.
        let earlier =
            |order: usize, than: u32| than == u32::MAX || self.day[order] < self.day[than as usize];
        for (o, &c) in self.customer.iter().enumerate() {
            if c == ANONYMOUS {
                continue;
            }
            let c = c as usize;
            if earlier(o, first_order[c]) {
                first_order[c] = o as u32;
            }
            if self.kind[o] == OrderKind::Purchase && earlier(o, first_purchase[c]) {
                first_purchase[c] = o as u32;
            }
        }
        let days = first_purchase
            .iter()
            .map(|&o| match o {
                u32::MAX => NO_PURCHASE,
                o => self.day[o as usize],
            })
            .collect();
        // Every customer of a book has an order.
        let first: Vec<u32> = first_purchase
            .iter()
            .zip(&first_order)
            .map(|(&purchase, &order)| {
                if purchase == u32::MAX {
                    order
                } else {
                    purchase
                }
            })
            .collect();
        Acquisition {
            days,
            codes: self
                .attributes
                .iter()
                .map(|attribute| attribute.codes.select(&first))
                .collect(),
        }
    }

    /// The day of each customer's first purchase in their whole history ([`NO_PURCHASE`] for
    /// none): [`OrderBook::acquisition`] in a filtered book, else read from the orders.
    pub fn acquisition_days(&self) -> std::borrow::Cow<'_, [i32]> {
        if let Some(days) = &self.acquisition {
            return days.into();
        }
        let mut first = vec![NO_PURCHASE; self.customer_count()];
        for ((&c, &day), &kind) in self.customer.iter().zip(&self.day).zip(&self.kind) {
            if c != ANONYMOUS && kind == OrderKind::Purchase {
                let slot = &mut first[c as usize];
                *slot = (*slot).min(day);
            }
        }
        first.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cohort::{ActiveWindow, Period, cohorts, growth_accounting, retention_rates};
    use crate::fixtures::{book, date, day, with_attribute};
    use crate::lifecycle::{LifecycleRules, PurchaseRhythm, Stage};

    /// a: Jan (web), Mar (shop); b: Mar (web), with a return in Apr (web); c: Feb (shop).
    fn shop() -> OrderBook {
        let orders = book(&[
            ("a", "2011-01-10", 10.0),
            ("c", "2011-02-05", 7.0),
            ("a", "2011-03-01", 20.0),
            ("b", "2011-03-02", 5.0),
        ]);
        let mut orders = orders;
        orders.customer.push(2);
        orders.day.push(day("2011-04-01"));
        orders.value.push(-5.0);
        orders.kind.push(OrderKind::Return);
        with_attribute(orders, "channel", &["web", "shop", "shop", "web", "web"])
    }

    fn only(key: &str, values: &[&str]) -> Filter {
        Filter {
            attributes: vec![(key.into(), values.iter().map(|v| v.to_string()).collect())],
            ..Filter::default()
        }
    }

    #[test]
    fn keeps_the_orders_of_the_values_and_the_range_and_renumbers_customers() {
        let shop = shop();
        let web = shop.filtered(&only("channel", &["web"])).unwrap();
        assert_eq!(
            web.day,
            [day("2011-01-10"), day("2011-03-02"), day("2011-04-01")]
        );
        assert_eq!(web.customer_ids, ["a", "b"]);
        assert_eq!(web.customer, [0, 1, 1]);
        assert_eq!(web.attributes[0].codes.len(), 3);
        assert_eq!(web.attributes[0].value_of(1), "web");
        // Acquisition from the whole history.
        assert_eq!(
            web.acquisition,
            Some(vec![day("2011-01-10"), day("2011-03-02")])
        );
        let march = shop
            .filtered(&Filter {
                from: Some(date("2011-03-01")),
                to: Some(date("2011-03-31")),
                ..Filter::default()
            })
            .unwrap();
        assert_eq!(march.value, [20.0, 5.0]);
        assert_eq!(march.customer_ids, ["a", "b"]);
        assert_eq!(
            march.acquisition.as_deref(),
            Some(&web.acquisition.unwrap()[..])
        );
        // Filtering a filtered book keeps the first acquisition.
        let shop_in_march = march.filtered(&only("channel", &["shop"])).unwrap();
        assert_eq!(shop_in_march.customer_ids, ["a"]);
        assert_eq!(shop_in_march.acquisition, Some(vec![day("2011-01-10")]));
        // Stored customer by customer, each by day: the grouping that comes with the book is
        // the one it would compute, with orders in sequence.
        let mut unsorted = shop.clone();
        unsorted.day.swap(0, 2); // a: March first in the file, then January
        let filtered = unsorted
            .filtered_with(
                &only("channel", &["web", "shop"]),
                &unsorted.acquisition(),
                &unsorted.customer_orders(),
            )
            .unwrap();
        let regrouped = filtered.book.customer_orders();
        assert_eq!(filtered.by_customer.offsets, regrouped.offsets);
        assert_eq!(filtered.by_customer.orders, regrouped.orders);
        assert_eq!(filtered.by_customer.orders, [0, 1, 2, 3, 4]);
        assert_eq!(filtered.book.customer_ids, ["a", "c", "b"]);
        assert_eq!(filtered.book.value, [20.0, 10.0, 7.0, 5.0, -5.0]); // a's January order first
        // Two values, and "" for the orders without one.
        let both = shop.filtered(&only("channel", &["web", "shop"])).unwrap();
        assert_eq!(both.order_count(), 5);
        assert!(Filter::default().is_empty());
        assert_eq!(shop.filtered(&Filter::default()).unwrap().order_count(), 5);
    }

    #[test]
    fn comparisons_by_first_purchase_read_the_whole_history() {
        use crate::compare::CustomerGroups;
        let shop = shop();
        let march_on = shop
            .filtered(&Filter {
                from: Some(date("2011-03-01")),
                ..Filter::default()
            })
            .unwrap();
        // a's first kept purchase is March's, in the shop; a was acquired in January, on the web.
        assert_eq!(march_on.customer_ids, ["a", "b"]);
        let channel = |book: &OrderBook, customer: u32| {
            let groups =
                CustomerGroups::by_first_purchase(book, &book.customer_orders(), "channel", 10)
                    .unwrap();
            groups.grouping.values[groups.of(customer).unwrap()].clone()
        };
        assert_eq!(channel(&march_on, 0).as_deref(), Some("web"));
        assert_eq!(channel(&march_on, 1).as_deref(), Some("web"));
        // Kept through a second filter, and the same as in the whole book.
        let in_the_shop = march_on.filtered(&only("channel", &["shop"])).unwrap();
        assert_eq!(in_the_shop.customer_ids, ["a"]);
        assert_eq!(channel(&in_the_shop, 0).as_deref(), Some("web"));
        assert_eq!(channel(&shop, 0).as_deref(), Some("web"));
        assert_eq!(channel(&shop, 1).as_deref(), Some("shop")); // c
        // A customer who never bought is grouped by their first order.
        let returns_only = OrderBook {
            kind: vec![OrderKind::Return; 5],
            ..shop.clone()
        };
        let acquired = returns_only.acquisition();
        assert_eq!(acquired.days, [NO_PURCHASE; 3]);
        let first_orders: Vec<u32> = (0..3).map(|c| acquired.codes[0].get(c)).collect();
        assert_eq!(first_orders, [1, 2, 1]); // a: web in January, c: shop, b: web
    }

    #[test]
    fn unknown_attributes_values_and_empty_ranges_are_refused_by_name() {
        let shop = shop();
        let error = shop.filtered(&only("country", &["France"])).unwrap_err();
        assert_eq!(error.code, Code::FILTER_UNKNOWN_ATTRIBUTE);
        assert!(error.message.contains("'country'") && error.message.contains("channel"));
        let error = shop.filtered(&only("channel", &["email"])).unwrap_err();
        assert_eq!(error.code, Code::FILTER_UNKNOWN_VALUE);
        assert!(error.message.contains("'email'") && error.message.contains("web, shop"));
        let backwards = Filter {
            from: Some(date("2011-03-01")),
            to: Some(date("2011-02-01")),
            ..Filter::default()
        };
        let error = shop.filtered(&backwards).unwrap_err();
        assert_eq!(error.code, Code::FILTER_EMPTY_RANGE);
        assert!(error.message.contains("2011-02-01"), "{}", error.message);
    }

    #[test]
    fn a_date_range_does_not_make_old_customers_new() {
        let march_on = shop()
            .filtered(&Filter {
                from: Some(date("2011-03-01")),
                ..Filter::default()
            })
            .unwrap();
        // Cohorts: a stays in January's cohort, b is March's.
        let table = cohorts(&march_on, Period::Month).unwrap();
        let sizes: Vec<(&str, u32)> = table
            .cohorts
            .iter()
            .map(|c| (c.label.as_str(), c.size))
            .collect();
        assert_eq!(sizes, [("2011-01", 1), ("2011-03", 1)]);
        assert_eq!(table.cohorts[0].customers, [0, 0, 1, 0]);
        // Growth: in March, b is new and a comes back.
        let by_customer = march_on.customer_orders();
        let growth = growth_accounting(&march_on, &by_customer, Period::Month).unwrap();
        let march = &growth.periods[0];
        assert_eq!(
            (march.label.as_str(), march.new, march.resurrected),
            ("2011-03", 1, 1)
        );
        // Retention rates: only b is acquired in March; a was acquired before.
        let window = ActiveWindow::chosen(30.0).unwrap();
        let rates = retention_rates(&march_on, &by_customer, Period::Month, window).unwrap();
        assert_eq!(rates.periods[0].acquired, 1);
        // Lifecycle: one purchase in the book, but a is a returning customer.
        let rhythm = PurchaseRhythm::new(&march_on, &by_customer);
        let rules = LifecycleRules::default();
        let stage = |c| {
            rhythm
                .status(c, day("2011-03-05"), 30.0, &rules)
                .unwrap()
                .stage
        };
        assert_eq!((stage(0), stage(1)), (Stage::Active, Stage::New));
    }
}
