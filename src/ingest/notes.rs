//! Notes about a file as a whole — ambiguous dates, repeated header names, orders dated far from
//! the rest, analyses left with nothing to count — each a [`Message`] in the report's `notes`.

use super::IngestReport;
use super::columns::{ColumnMap, Role};
use super::dates::DateOrder;
use super::identity::CustomerFallback;
use super::orders::ORDER_DATES;
use crate::day::Day;
use crate::message::{Code, Message};

/// Orders dated further than this from every other order are pointed out in a note.
const ISOLATED_DATE_GAP_DAYS: i32 = 365;

pub(super) fn dates_ambiguous(read_as: DateOrder) -> Message {
    let (chosen, other) = match read_as {
        DateOrder::Mdy => ("MM/DD/YYYY", "DD/MM/YYYY"),
        _ => ("DD/MM/YYYY", "MM/DD/YYYY"),
    };
    let text = format!(
        "Every date in the file reads both as day-first and as month-first; they were read as \
         {chosen}. If that is wrong, choose {other}."
    );
    Message::new(Code::DATES_AMBIGUOUS, text)
        .with("chosen", chosen)
        .with("other", other)
}

pub(super) fn order_two_customers(count: u64) -> Message {
    let text = format!(
        "{count} order line(s) name a different customer than the first line of their order; the \
         first customer was kept."
    );
    Message::new(Code::ORDER_TWO_CUSTOMERS, text).with("count", count)
}

pub(super) fn rows_without_product(count: u64) -> Message {
    let text = format!(
        "{count} row(s) have no product: they count in their orders' value, not in the product \
         analyses."
    );
    Message::new(Code::ROWS_WITHOUT_PRODUCT, text).with("count", count)
}

pub(super) fn bytes_replaced() -> Message {
    let text = "Some bytes were not valid text in the file's encoding and were replaced with �: \
                the file may mix encodings. Re-save it as UTF-8 or choose its encoding.";
    Message::new(Code::BYTES_REPLACED, text)
}

pub(super) fn mixed_encoding(bytes: usize) -> Message {
    let text = format!(
        "{bytes} byte(s) were not valid UTF-8 and were read as Windows-1252 (as in Café): the \
         file mixes encodings. Check the names that contain them, and re-save the file as UTF-8 \
         if they look wrong."
    );
    Message::new(Code::MIXED_ENCODING, text).with("bytes", bytes)
}

/// Files whose rows are all valid but leave the customer analyses nothing to work on get a note
/// saying why, so that empty RFM, cohort and CLV views are not a mystery.
pub(super) fn empty_analysis(report: &IngestReport) -> Option<Message> {
    if report.orders == 0 {
        return None;
    }
    if report.customers == 0 {
        let text = "Every order is anonymous (no customer id): the totals count them, but RFM, \
                    cohorts, lifecycle and CLV need a customer id or e-mail column; choose it in \
                    the column mapping.";
        return Some(Message::new(Code::ALL_ANONYMOUS, text));
    }
    if report.purchases == 0 {
        let orders = report.orders;
        let text = format!(
            "None of the {orders} orders is a purchase: all are returns (negative amounts or \
             marked as returns), so RFM, cohorts, lifecycle and CLV have nothing to count. Check \
             the amount column and its sign."
        );
        return Some(Message::new(Code::NO_PURCHASES, text).with("orders", orders));
    }
    None
}

/// A note for each role read from a column whose name the header repeats: which one was used.
pub(super) fn duplicate_headers(headers: &[String], map: &ColumnMap) -> Vec<Message> {
    let mut notes = Vec::new();
    for role in Role::ALL {
        let Some(column) = map.column(role) else {
            continue;
        };
        let name = headers[column].trim();
        let same: Vec<String> = (0..headers.len())
            .filter(|&c| headers[c].trim() == name)
            .map(|c| (c + 1).to_string())
            .collect();
        if same.len() > 1 {
            let (name, times, columns) = (shorten(name), same.len(), same.join(", "));
            let text = format!(
                "The column name '{name}' appears {times} times (columns {columns}); column {} is \
                 read as the {}. Rename the columns, or choose another one in the column mapping \
                 if that is wrong.",
                column + 1,
                role.name()
            );
            notes.push(
                Message::new(Code::DUPLICATE_HEADER, text)
                    .with("name", name)
                    .with("times", times)
                    .with("columns", columns)
                    .with("column", column + 1)
                    .with("role", role.name()),
            );
        }
    }
    notes
}

/// Notes for orders dated more than a year after (or before) all the others — typos such as
/// 2042 for 2024 — which would move the default "as of" date or open empty cohorts. At most 1%
/// of the orders (one in a small file) count as such stragglers; files under 10 orders say too
/// little about where "the rest" of the dates are.
pub(super) fn isolated_dates(days: &[i32]) -> Vec<Message> {
    const MIN_ORDERS: usize = 10;
    if days.len() < MIN_ORDERS {
        return Vec::new();
    }
    // Counts per day over the accepted range: one pass, no sort of millions of orders.
    let first = *ORDER_DATES.start();
    let mut per_day = vec![0u32; (ORDER_DATES.end() - first + 1) as usize];
    for &day in days {
        per_day[(day - first) as usize] += 1;
    }
    let stragglers = (days.len() / 100).max(1);
    let day_of = |index: usize| first + index as i32;
    // The (stragglers + 1)-th order walking from one end: where the bulk of the dates begins.
    let bulk_edge = |indices: &mut dyn Iterator<Item = usize>| {
        let mut seen = 0usize;
        for i in indices {
            seen += per_day[i] as usize;
            if seen > stragglers {
                return Some(day_of(i));
            }
        }
        None
    };
    let mut notes = Vec::new();
    let last = *days.iter().max().expect("not empty");
    if let Some(bulk_last) = bulk_edge(&mut (0..per_day.len()).rev())
        && last > bulk_last + ISOLATED_DATE_GAP_DAYS
    {
        let count = days
            .iter()
            .filter(|&&d| d > bulk_last + ISOLATED_DATE_GAP_DAYS)
            .count();
        let (latest, rest_end) = (Day(last).to_string(), Day(bulk_last).to_string());
        let text = format!(
            "{count} order(s) are dated more than a year after all the others (the latest on \
             {latest}, the rest end by {rest_end}): check these dates. Recency, lifecycle stages \
             and the default 'as of' date are measured from the last order date."
        );
        notes.push(
            Message::new(Code::DATES_AFTER_REST, text)
                .with("count", count)
                .with("latest", latest)
                .with("restEnd", rest_end),
        );
    }
    let earliest = *days.iter().min().expect("not empty");
    if let Some(bulk_first) = bulk_edge(&mut (0..per_day.len()))
        && earliest < bulk_first - ISOLATED_DATE_GAP_DAYS
    {
        let count = days
            .iter()
            .filter(|&&d| d < bulk_first - ISOLATED_DATE_GAP_DAYS)
            .count();
        let (earliest, rest_start) = (Day(earliest).to_string(), Day(bulk_first).to_string());
        let text = format!(
            "{count} order(s) are dated more than a year before all the others (the earliest on \
             {earliest}, the rest start on {rest_start}): check these dates. Cohorts begin at \
             each customer's first order."
        );
        notes.push(
            Message::new(Code::DATES_BEFORE_REST, text)
                .with("count", count)
                .with("earliest", earliest)
                .with("restStart", rest_start),
        );
    }
    notes
}

/// A header name or value cut to a length that fits in a sentence.
pub(crate) fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
    const MAX_CHARS: usize = 60;
    match text.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

pub(super) fn title_lines(lines: u64) -> Message {
    let header_line = lines + 1;
    let text = format!(
        "The header row is line {header_line}: the {lines} line(s) above it (a title block, as a \
         report saved from Excel keeps) were skipped; they are not rows. Row numbers are the \
         file's line numbers."
    );
    Message::new(Code::TITLE_LINES, text)
        .with("lines", lines)
        .with("headerLine", header_line)
}

/// Says that customers are read from another column than the one detected, and why.
pub(super) fn customer_column_fallback(
    detected: &str,
    used: &str,
    fallback: &CustomerFallback,
) -> Message {
    let (detected, used) = (shorten(detected), shorten(used));
    let CustomerFallback {
        empty,
        filled,
        rows,
        ..
    } = *fallback;
    let text = format!(
        "The customer column '{detected}' is empty on {empty} of the first {rows} rows (sales to \
         walk-in customers) and '{used}' is filled on {filled}: customers are identified by \
         '{used}' in the whole file. Choose the customer column in the column mapping to change \
         this."
    );
    Message::new(Code::CUSTOMER_COLUMN_FALLBACK, text)
        .with("detected", detected)
        .with("used", used)
        .with("empty", empty)
        .with("filled", filled)
        .with("rows", rows)
}
