//! Order lines → orders, in SQL: the `WITH` steps every query starts from, written to the file
//! reader's rules (`ingest`):
//! - lines sharing an order id form one order; lines without an order id group by customer and
//!   timestamp, and an anonymous line without an order id is an order of its own;
//! - a line's amount is the amount column, or quantity × unit price; a line without a date, or
//!   without the amount it needs, is left out (the reader rejects it);
//! - the order's day is its earliest line's date, its value the sum of its lines (or, with a
//!   per-order amount column, that amount once);
//! - an order is cancelled (and left out) when a line's status contains a cancel word and no
//!   "partial" word, or a cancelled-when-present column is filled;
//! - a return is an order whose id starts with the return prefix, or whose value is negative;
//!   every other order is a purchase;
//! - customer ids are trimmed text, and an integral float id (`17850.0`) is the integer id
//!   (`17850`); an empty id is an anonymous (guest) order; an e-mail customer column is
//!   lowercased and a phone column written in E.164, by the steps of
//!   `ingest::identity::normalise_phone`.

use super::Plan;
use super::dialect::Dialect;
use crate::ingest::{CustomerIdRule, Role};

/// A `WITH … SELECT` under construction: named steps, each a SELECT indented two spaces.
pub(crate) struct With {
    dialect: Dialect,
    steps: Vec<(&'static str, String)>,
}

impl With {
    pub fn new(dialect: Dialect) -> With {
        With {
            dialect,
            steps: Vec::new(),
        }
    }

    /// Adds a step; `body` is a SELECT whose lines are indented by the builder.
    pub fn step(&mut self, name: &'static str, body: &str) {
        self.steps.push((name, body.trim_end().to_string()));
    }

    /// The query: every step, then the final SELECT.
    pub fn select(&self, select: &str) -> String {
        let mut text = String::from("WITH\n");
        for (index, (name, body)) in self.steps.iter().enumerate() {
            text.push_str(name);
            text.push_str(" AS (\n  ");
            text.push_str(&indent_code(body, self.dialect));
            text.push_str(if index + 1 < self.steps.len() {
                "\n),\n"
            } else {
                "\n)\n"
            });
        }
        text.push_str(select.trim_end());
        text
    }
}

/// `text` with two spaces after every line break that is code, not part of a quoted name or
/// literal (a column name may hold a line break, and indenting it would change the name).
fn indent_code(text: &str, dialect: Dialect) -> String {
    let identifier_quote = match dialect {
        Dialect::DuckDb | Dialect::Postgres => '"',
        Dialect::BigQuery | Dialect::Spark => '`',
    };
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut open: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        out.push(c);
        match open {
            None if c == '\n' => out.push_str("  "),
            None if c == '\'' || c == identifier_quote => open = Some(c),
            None => {}
            Some(_) if escaped => escaped = false,
            Some(quote) if c == '\\' && backslash_escapes(dialect, quote) => escaped = true,
            // A doubled quote closes and reopens: the same state after both characters.
            Some(quote) if c == quote => open = None,
            Some(_) => {}
        }
    }
    out
}

/// Whether a backslash escapes the next character inside this quote in this dialect.
fn backslash_escapes(dialect: Dialect, quote: char) -> bool {
    match dialect {
        Dialect::BigQuery => true,
        Dialect::Spark => quote == '\'',
        Dialect::DuckDb | Dialect::Postgres => false,
    }
}

/// The steps `raw_lines` → `order_lines` → `keyed_lines` → `grouped_orders` → `orders`; the
/// last has `order_id, customer_id, order_day, order_date, order_value, order_kind`, one row per
/// kept order, `order_kind` being `'purchase'` or `'return'`.
pub(crate) fn order_steps(plan: &Plan) -> With {
    let d = plan.dialect;
    let options = plan.options;
    let columns = &options.columns;
    let text_type = d.text_type();
    let double = d.double_type();
    let text_of = |column: &str| {
        format!(
            "NULLIF(TRIM(CAST({} AS {text_type})), '')",
            plan.column(column)
        )
    };

    let order_id = match columns.name(Role::Order) {
        Some(order) => text_of(order),
        None => format!("CAST(NULL AS {text_type})"),
    };
    // Validated by Plan::new: customer and date exist, and an amount or quantity and unit price.
    let customer = text_of(columns.name(Role::Customer).unwrap_or_default());
    let date = plan.column(columns.name(Role::Date).unwrap_or_default());
    let (amount, amount_needed) = match (
        columns.name(Role::Amount),
        columns.name(Role::Quantity),
        columns.name(Role::UnitPrice),
    ) {
        (Some(amount), _, _) => {
            let amount = plan.column(amount);
            (
                format!("CAST({amount} AS {double})"),
                (!options.amount_per_order).then(|| format!("{amount} IS NOT NULL")),
            )
        }
        (None, Some(quantity), Some(price)) => {
            let (quantity, price) = (plan.column(quantity), plan.column(price));
            (
                format!("CAST({quantity} AS {double}) * CAST({price} AS {double})"),
                Some(format!("{quantity} IS NOT NULL AND {price} IS NOT NULL")),
            )
        }
        _ => (format!("CAST(NULL AS {double})"), None),
    };
    let status = match columns.name(Role::Status) {
        Some(status) if !options.cancelled_status_words.is_empty() => {
            format!("LOWER(TRIM(CAST({} AS {text_type})))", plan.column(status))
        }
        _ => format!("CAST(NULL AS {text_type})"),
    };
    let filled: Vec<String> = options
        .cancelled_when_present
        .iter()
        .map(|name| format!("{} IS NOT NULL", text_of(name)))
        .collect();
    let cancelled_column = if filled.is_empty() {
        "0".to_string()
    } else {
        format!("CASE WHEN {} THEN 1 ELSE 0 END", filled.join(" OR "))
    };
    // The filter's attribute columns, carried from the lines to their order as `attribute_<i>`.
    let filter = &options.filter;
    let attributes: String = (0..filter.attributes.len())
        .map(|i| format!(",\n  attribute_{i}"))
        .collect();
    let raw_attributes: String = filter
        .attributes
        .iter()
        .enumerate()
        .map(|(i, (column, _))| format!(",\n  {} AS attribute_{i}", text_of(column)))
        .collect();
    // The product columns, carried from the lines when the table has them.
    let (raw_products, products) = match line_columns(plan, &amount) {
        Some(raw) => (raw, PRODUCT_COLUMNS.concat()),
        None => (String::new(), String::new()),
    };
    let carried = format!("{attributes}{products}");
    let mut where_clause = format!("WHERE {date} IS NOT NULL");
    if let Some(needed) = amount_needed {
        where_clause.push_str(&format!("\n  AND {needed}"));
    }
    let mut with = With::new(d);
    with.step(
        "raw_lines",
        &format!(
            "SELECT\n  {order_id} AS order_id,\n  {customer} AS customer_text,\n  \
             {date} AS order_instant,\n  CAST({date} AS DATE) AS order_date,\n  \
             {amount} AS amount,\n  {status} AS status_text,\n  \
             {cancelled_column} AS cancelled_column{raw_attributes}{raw_products}\nFROM {}\n{where_clause}",
            plan.table
        ),
    );

    let contains_any = |words: &[String]| -> String {
        words
            .iter()
            .map(|word| format!("{} > 0", d.position("status_text", &d.string(word))))
            .collect::<Vec<_>>()
            .join(" OR ")
    };
    let cancelled =
        if options.cancelled_status_words.is_empty() || columns.get(Role::Status).is_none() {
            "cancelled_column".to_string()
        } else {
            let kept = if options.kept_status_words.is_empty() {
                String::new()
            } else {
                format!(
                    "\n    AND NOT ({})",
                    contains_any(&options.kept_status_words)
                )
            };
            format!(
                "CASE\n    WHEN cancelled_column = 1 THEN 1\n    WHEN ({}){kept} THEN 1\n    \
             ELSE 0\n  END",
                contains_any(&options.cancelled_status_words)
            )
        };
    let integral_float = d.regex_matches("customer_text", "^[0-9]+[.]0+$");
    let without_zeros = d.regex_replace("customer_text", "[.]0+$", "");
    let as_written = format!(
        "CASE WHEN {integral_float}\n    THEN {without_zeros}\n    ELSE customer_text\n  END"
    );
    let (customer_id, source) = match plan.customer_ids {
        CustomerIdRule::AsWritten => (as_written, "raw_lines"),
        CustomerIdRule::Email => (format!("LOWER({as_written})"), "raw_lines"),
        CustomerIdRule::Phone => {
            // The phone rule reads the id and its digits several times: a step computes them.
            let digits =
                d.regex_replace_all(&format!("REPLACE({as_written}, '(0)', '')"), "[^0-9]", "");
            with.step(
                "contact_lines",
                &format!(
                    "SELECT\n  order_id,\n  {as_written} AS customer_text,\n  {digits} AS \
                     customer_digits,\n  order_instant,\n  order_date,\n  amount,\n  \
                     status_text,\n  cancelled_column{carried}\nFROM raw_lines"
                ),
            );
            (phone_id(plan), "contact_lines")
        }
    };
    with.step(
        "order_lines",
        &format!(
            "SELECT\n  order_id,\n  {customer_id} AS customer_id,\n  order_instant,\n  {} AS \
             order_day,\n  amount,\n  {cancelled} AS cancelled{carried}\nFROM {source}",
            d.day_number("order_date")
        ),
    );
    with.step(
        "keyed_lines",
        &format!(
            "SELECT\n  order_id,\n  customer_id,\n  order_day,\n  amount,\n  cancelled,\n  \
             CASE WHEN order_id IS NULL THEN customer_id END AS key_customer,\n  \
             CASE WHEN order_id IS NULL AND customer_id IS NOT NULL THEN order_instant END \
             AS key_instant,\n  CASE WHEN order_id IS NULL AND customer_id IS NULL THEN {} END \
             AS key_row{carried}\nFROM order_lines",
            d.unique_row_key()
        ),
    );
    let value = if options.amount_per_order {
        "COALESCE(MAX(amount), 0)"
    } else {
        "COALESCE(SUM(amount), 0)"
    };
    // An order's attribute is the smallest non-empty value of its lines (the reader takes the
    // first in file order, which SQL does not know).
    let mut grouped_attributes: String = (0..filter.attributes.len())
        .map(|i| format!(",\n  MIN(attribute_{i}) AS attribute_{i}"))
        .collect();
    // With products, each order carries the key its lines find it by.
    let order_key_column = if products.is_empty() {
        ""
    } else {
        grouped_attributes.push_str(&format!(",\n  MIN({}) AS order_key", order_key(d)));
        ",\n  order_key"
    };
    with.step(
        "grouped_orders",
        &format!(
            "SELECT\n  order_id,\n  MIN(customer_id) AS customer_id,\n  MIN(order_day) AS \
             order_day,\n  {value} AS order_value,\n  MAX(cancelled) AS \
             cancelled{grouped_attributes}\nFROM keyed_lines\nGROUP BY order_id, key_customer, \
             key_instant, key_row"
        ),
    );
    let mut return_rules = Vec::new();
    if let Some(prefix) = &options.return_prefix {
        return_rules.push(format!(
            "SUBSTR(order_id, 1, {}) = {}",
            prefix.chars().count(),
            d.string(prefix)
        ));
    }
    if options.negative_is_return {
        return_rules.push("order_value < 0".to_string());
    }
    let kind = if return_rules.is_empty() {
        "'purchase'".to_string()
    } else {
        format!(
            "CASE WHEN {} THEN 'return' ELSE 'purchase' END",
            return_rules.join(" OR ")
        )
    };
    let columns = format!(
        "order_id,\n  customer_id,\n  order_day,\n  order_date,\n  order_value,\n  \
         order_kind{order_key_column}"
    );
    let kept_orders = format!(
        "SELECT\n  order_id,\n  customer_id,\n  order_day,\n  {} AS order_date,\n  \
         order_value,\n  {kind} AS order_kind{order_key_column}{attributes}\nFROM grouped_orders\nWHERE cancelled = 0",
        d.date_of_day("order_day")
    );
    if filter.is_empty() {
        with.step("orders", &kept_orders);
    } else {
        // Every order first (`all_orders`: the whole history each customer's acquisition comes
        // from), then those the filter keeps.
        with.step("all_orders", &kept_orders);
        with.step(
            "orders",
            &format!(
                "SELECT\n  {columns}\nFROM all_orders\nWHERE {}",
                filter_condition(filter, d)
            ),
        );
    }
    with
}

/// The product columns the line steps carry when the table has products.
const PRODUCT_COLUMNS: [&str; 5] = [
    ",\n  product_id",
    ",\n  product_name",
    ",\n  product_category",
    ",\n  quantity",
    ",\n  line_amount",
];

/// The product columns of `raw_lines`, as the file reader keeps lines (`ingest::line_items`):
/// the product is the trimmed id, or the name of a line without one (no line without either);
/// the quantity is 1 when the table gives none; the line amount is the line's amount, or with
/// per-order totals quantity × unit price (0 without a price); `amount` is the line's amount
/// expression. `None` without a product column.
fn line_columns(plan: &Plan, amount: &str) -> Option<String> {
    let d = plan.dialect;
    let columns = &plan.options.columns;
    let text_of = |role: Role| {
        columns.name(role).map(|name| {
            format!(
                "NULLIF(TRIM(CAST({} AS {})), '')",
                plan.column(name),
                d.text_type()
            )
        })
    };
    let (id, name) = (text_of(Role::ProductId), text_of(Role::ProductName));
    let none = || format!("CAST(NULL AS {})", d.text_type());
    let product = match (&id, &name) {
        (Some(id), Some(name)) => format!("COALESCE({id}, {name})"),
        (Some(key), None) | (None, Some(key)) => key.clone(),
        (None, None) => return None,
    };
    let double = d.double_type();
    let number = |role: Role| {
        columns
            .name(role)
            .map(|name| format!("CAST({} AS {double})", plan.column(name)))
    };
    let quantity = number(Role::Quantity).map_or("1".to_string(), |q| format!("COALESCE({q}, 1)"));
    let amount = match (plan.options.amount_per_order, number(Role::Amount)) {
        (true, Some(_)) => number(Role::UnitPrice).map_or("0".to_string(), |price| {
            format!("COALESCE({quantity} * {price}, 0)")
        }),
        _ => format!("COALESCE({amount}, 0)"),
    };
    Some(format!(
        ",\n  {product} AS product_id,\n  {} AS product_name,\n  {} AS product_category,\n  \
         CAST({quantity} AS {double}) AS quantity,\n  CAST({amount} AS {double}) AS line_amount",
        name.unwrap_or_else(none),
        text_of(Role::Category).unwrap_or_else(none)
    ))
}

/// The key an order's lines find it by (`order_key` of `grouped_orders`): its id, else its
/// customer and instant, else its row key; the instant is last, after a separator no
/// timestamp holds, so no two keys collide.
pub(crate) fn order_key(d: Dialect) -> String {
    let text = d.text_type();
    format!(
        "CASE\n    WHEN order_id IS NOT NULL THEN CONCAT('o', order_id)\n    WHEN key_customer IS \
         NOT NULL THEN CONCAT('c', key_customer, '|', CAST(key_instant AS {text}))\n    ELSE \
         CONCAT('r', key_row)\n  END"
    )
}

/// The `WHERE` condition of [`Filter`] on `all_orders`: each attribute among its values (`''`
/// for none), the day within the range.
fn filter_condition(filter: &crate::filter::Filter, d: Dialect) -> String {
    let mut conditions: Vec<String> = filter
        .attributes
        .iter()
        .enumerate()
        .map(|(i, (_, values))| {
            if values.is_empty() {
                return "1 = 0".to_string();
            }
            let listed: Vec<String> = values.iter().map(|v| d.string(v)).collect();
            format!("COALESCE(attribute_{i}, '') IN ({})", listed.join(", "))
        })
        .collect();
    if let Some(from) = filter.from {
        conditions.push(format!("order_day >= {}", from.0));
    }
    if let Some(to) = filter.to {
        conditions.push(format!("order_day <= {}", to.0));
    }
    conditions.join("\n  AND ")
}

/// The customer id of a phone column, from `customer_text` and `customer_digits`: the steps of
/// [`normalise_phone`](crate::ingest::identity::normalise_phone), in the same order, after an
/// e-mail address (lowercased) and anything that is not a phone number (kept as written).
fn phone_id(plan: &Plan) -> String {
    let d = plan.dialect;
    let country = &plan.options.phone_country;
    let international = &crate::ingest::identity::INTERNATIONAL_DIGITS;
    let (min, max) = (country.min_digits, country.max_digits);
    let length = "LENGTH(customer_digits)";
    let between = |low: usize, high: usize| format!("{length} BETWEEN {low} AND {high}");
    let (int_min, int_max) = (*international.start(), *international.end());
    let calling_code = country.calling_code;
    let mut cases = vec![
        format!(
            "WHEN {} > 0 THEN LOWER(customer_text)",
            d.position("customer_text", "'@'")
        ),
        format!(
            "WHEN NOT {} THEN customer_text",
            d.regex_matches("customer_text", "^[+]?[0-9 ()./-]+$")
        ),
        format!(
            "WHEN customer_text LIKE '+%' AND {} THEN CONCAT('+', customer_digits)",
            between(int_min, int_max)
        ),
        "WHEN customer_text LIKE '+%' THEN customer_text".to_string(),
        format!(
            "WHEN customer_digits LIKE '00%' AND {} THEN CONCAT('+', SUBSTR(customer_digits, 3))",
            between(int_min + 2, int_max + 2)
        ),
    ];
    let trunk = country.trunk_prefix;
    if !trunk.is_empty() {
        cases.push(format!(
            "WHEN customer_digits LIKE '{trunk}%' AND {} THEN CONCAT('+{calling_code}', \
             SUBSTR(customer_digits, {}))",
            between(min + trunk.len(), max + trunk.len()),
            trunk.len() + 1
        ));
    }
    cases.push(format!(
        "WHEN customer_digits LIKE '{calling_code}%' AND {} THEN CONCAT('+', customer_digits)",
        between(min + calling_code.len(), max + calling_code.len())
    ));
    cases.push(format!(
        "WHEN {} THEN CONCAT('+{calling_code}', customer_digits)",
        between(min, max)
    ));
    format!(
        "CASE\n    {}\n    ELSE customer_text\n  END",
        cases.join("\n    ")
    )
}

/// The `orders` query: one row per kept order.
pub(crate) fn order_table(plan: &Plan) -> String {
    order_steps(plan)
        .select("SELECT order_id, customer_id, order_date, order_value, order_kind\nFROM orders")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::Day;

    /// The orders' days are day numbers: the range compares numbers, not dates written out.
    #[test]
    fn a_date_range_compares_day_numbers() {
        let filter = crate::filter::Filter {
            from: "2011-03-01".parse::<Day>().ok(),
            to: "2011-09-30".parse::<Day>().ok(),
            ..Default::default()
        };
        assert_eq!(
            filter_condition(&filter, Dialect::DuckDb),
            "order_day >= 15034\n  AND order_day <= 15247"
        );
    }

    #[test]
    fn indentation_never_enters_a_quoted_name() {
        let cases = [
            (
                Dialect::DuckDb,
                "SELECT \"a\nb\"\nFROM t",
                "SELECT \"a\nb\"\n  FROM t",
            ),
            (
                Dialect::Postgres,
                "SELECT 'it''s\n'\nFROM t",
                "SELECT 'it''s\n'\n  FROM t",
            ),
            (
                Dialect::BigQuery,
                "SELECT `a\\`\n`\nFROM t",
                "SELECT `a\\`\n`\n  FROM t",
            ),
            (
                Dialect::Spark,
                "SELECT 'a\\'\n', `b``\n`\nFROM t",
                "SELECT 'a\\'\n', `b``\n`\n  FROM t",
            ),
        ];
        for (dialect, text, expected) in cases {
            assert_eq!(indent_code(text, dialect), expected, "{dialect:?}");
        }
    }
}
