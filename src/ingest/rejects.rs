//! Why a row was rejected: one [`Message`] per reason, its English text saying what to do, its
//! code and params for a page to word it in the user's language.

use super::amounts::AmountError;
use super::columns::Role;
use super::dates::{DateError, DateOrder};
use super::orders::MAX_ID_CHARS;
use crate::message::{Code, Message};

pub(super) fn no_date_column() -> Message {
    Message::new(Code::NO_DATE_COLUMN, "no date column is chosen")
}

pub(super) fn date_out_of_range(date: String) -> Message {
    let text = format!(
        "the date {date} is outside 1970–2100: it is probably a placeholder for a missing date \
         or a typo; correct it or remove the row"
    );
    Message::new(Code::DATE_OUT_OF_RANGE, text).with("date", date)
}

pub(super) fn id_too_long(role: Role, length: usize) -> Message {
    let what = match role {
        Role::Order => "order id",
        _ => "customer id",
    };
    let text = format!(
        "the {what} is {length} characters long (at most {MAX_ID_CHARS}): check that this column \
         holds {what}s and that the quotes in the file are balanced"
    );
    Message::new(Code::ID_TOO_LONG, text)
        .with("what", role.name())
        .with("length", length)
        .with("max", MAX_ID_CHARS)
}

pub(super) fn stray_quote() -> Message {
    let text = "a quote opens in this field and is never closed, so it would have taken in the \
                lines after it: the row was read with the quote as an ordinary character and \
                left out, and the lines after it were read as rows; remove the quote or close \
                it, then load the file again";
    Message::new(Code::STRAY_QUOTE, text)
}

pub(super) fn short_row(fields: usize, expected: usize) -> Message {
    let text = format!(
        "the row has {fields} field(s) but the header has {expected}: check the delimiter and the \
         quotes on this row"
    );
    Message::new(Code::SHORT_ROW, text)
        .with("fields", fields)
        .with("expected", expected)
}

/// The words for a value column in English messages.
fn value_words(role: Role) -> &'static str {
    match role {
        Role::Quantity => "quantity",
        Role::UnitPrice => "unit price",
        _ => "amount",
    }
}

pub(super) fn too_large(role: Role) -> Message {
    let what = match role {
        Role::Amount => "amount",
        _ => "quantity × unit price",
    };
    let text = format!(
        "the {what} is beyond ±10^15 (a million billion): check that this column holds amounts \
         and that its decimal separator was read right"
    );
    Message::new(Code::VALUE_TOO_LARGE, text).with("what", role.name())
}

pub(super) fn amount(error: &AmountError, role: Role) -> Message {
    let what = value_words(role);
    let (code, text) = match error {
        AmountError::Empty => (
            Code::VALUE_EMPTY,
            format!("the {what} is empty: fill it in or remove the row"),
        ),
        AmountError::NotANumber => (
            Code::VALUE_NOT_A_NUMBER,
            format!("the {what} is not a number (expected e.g. 1234.56, 1.234,56 or 1.250.000 ₫)"),
        ),
        AmountError::NotFinite => (
            Code::VALUE_NOT_FINITE,
            format!(
                "the {what} is not a finite number (NaN, infinity or too large to hold): correct \
                 it or remove the row"
            ),
        ),
    };
    Message::new(code, text).with("what", role.name())
}

pub(super) fn date(error: &DateError) -> Message {
    match error {
        DateError::Empty => Message::new(
            Code::DATE_EMPTY,
            "the date is empty: every order needs a date",
        ),
        DateError::Unrecognised => Message::new(
            Code::DATE_UNRECOGNISED,
            "this is not a date we can read (use e.g. 2024-03-31, 31/03/2024 or 03/31/2024)",
        ),
        DateError::Invalid => Message::new(
            Code::DATE_INVALID,
            "this date does not exist in the calendar",
        ),
        DateError::OrderConflict { found } => {
            let (read, choose) = match found {
                DateOrder::Dmy => ("month-first (MM/DD/YYYY)", "DD/MM/YYYY"),
                DateOrder::Mdy => ("day-first (DD/MM/YYYY)", "MM/DD/YYYY"),
                DateOrder::Ymd => ("day/month", "YYYY-MM-DD"),
            };
            let text = format!(
                "this date only makes sense as {choose} but the column is read {read}: choose \
                 {choose} as the date order"
            );
            Message::new(Code::DATE_ORDER_CONFLICT, text).with("choose", choose)
        }
    }
}
