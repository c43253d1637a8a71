//! Money amounts and quantities inside fields: `1,234.56`, `1.234,56`, `1.250.000 ₫`, `(12.50)`.
//!
//! Which decimal separator a column uses is decided from a sample of it
//! ([`detect_decimal_separator`]), then every field of the column is read with that decision
//! ([`parse_amount`]). `parse_amount` runs on every row, so it never allocates on ordinary input
//! and reads plain numbers (`12.50`, `-3`) in a few steps before the general grammar.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The decimal separator of a money column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DecimalSeparator {
    Dot,
    Comma,
}

impl DecimalSeparator {
    /// The name the report uses: `"dot"` or `"comma"`.
    pub fn as_str(self) -> &'static str {
        match self {
            DecimalSeparator::Dot => "dot",
            DecimalSeparator::Comma => "comma",
        }
    }
}

/// Decides the decimal separator of a column from a sample of its values; `Dot` when the sample
/// does not say.
///
/// Each value that settles the question by itself votes: `1,234.56` and `2.55` for the dot,
/// `1.234,56`, `12,50` and `1.250.000` (a repeated `.` groups thousands) for the comma. Values
/// such as `1.234` or `150` do not vote. A tie goes to the dot.
pub fn detect_decimal_separator(samples: &[&str]) -> DecimalSeparator {
    let (mut dot, mut comma) = (0usize, 0usize);
    for sample in samples {
        match decimal_evidence(sample) {
            Some(DecimalSeparator::Dot) => dot += 1,
            Some(DecimalSeparator::Comma) => comma += 1,
            None => {}
        }
    }
    if comma > dot {
        DecimalSeparator::Comma
    } else {
        DecimalSeparator::Dot
    }
}

/// The decimal separator a value implies by itself, when it is a valid amount that way.
fn decimal_evidence(text: &str) -> Option<DecimalSeparator> {
    let amount = strip_amount(text).ok()?;
    let (mantissa, _) = split_exponent(amount.body).ok()?;
    let evidence = match read_marks(mantissa).ok()? {
        MarkReading::Ambiguous { .. } => return None,
        MarkReading::Settled {
            decimal_at: Some(at),
            ..
        } => {
            if mantissa.as_bytes()[at] == b',' {
                DecimalSeparator::Comma
            } else {
                DecimalSeparator::Dot
            }
        }
        MarkReading::Settled {
            decimal_at: None,
            group: Some(Mark::Dot),
        } => DecimalSeparator::Comma,
        MarkReading::Settled {
            decimal_at: None,
            group: Some(Mark::Comma),
        } => DecimalSeparator::Dot,
        MarkReading::Settled { .. } => return None,
    };
    parse_amount(text, evidence).is_ok().then_some(evidence)
}

/// Why an amount field could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    NotANumber,
    NotFinite,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AmountError::Empty => "the amount is empty: fill it in or remove the row",
            AmountError::NotANumber => {
                "not a number: write amounts like 1234.56, 1,234.56, 1.234,56 or 1.250.000 ₫"
            }
            AmountError::NotFinite => {
                "not a finite number (NaN, infinity or beyond ±1.8e308): correct the value"
            }
        })
    }
}

impl std::error::Error for AmountError {}

/// Parses a money amount or quantity: `1,234.56`, `1.234,56`, `1.250.000 ₫`, `$12`, `12 000 đ`,
/// `(12.50)` (negative), `-3`.
///
/// Around the number: one sign (`-`, `−`, `+`, also a trailing `-`), or accounting parentheses
/// for a negative; a currency symbol (`$`, `€`, `₫`, `£`…) or a currency word (`VND`, `US$`,
/// `đ`, `Rs.`, `zł`) on either side. In the number, `.` and `,` follow these rules:
/// - both present: the last one is the decimal separator, the other groups thousands;
/// - one of them repeated (`1.250.000`): it groups thousands;
/// - one of them once, before exactly three digits and after one to three digits not starting
///   with `0` (`1.234`, `1,234`): ambiguous, the column's `decimal` decides;
/// - one of them once otherwise (`2.55`, `12,5`, `0.500`): the decimal separator.
///
/// Spaces (also no-break and narrow no-break spaces) and `'` group thousands too. Groups after
/// the first have three digits (two are accepted between others for Indian `1,23,456`). An
/// exponent (`1e3`) is read.
pub fn parse_amount(text: &str, decimal: DecimalSeparator) -> Result<f64, AmountError> {
    match parse_plain_decimal(text.as_bytes(), decimal) {
        Some(value) => Ok(value),
        None => parse_any_amount(text, decimal),
    }
}

/// [`parse_amount`] for every form; kept out of line so the common case needs a small frame.
#[inline(never)]
fn parse_any_amount(text: &str, decimal: DecimalSeparator) -> Result<f64, AmountError> {
    let bytes = text.as_bytes();
    if let Some(&first) = bytes.first()
        && (first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.'))
        && (decimal == DecimalSeparator::Dot || !bytes.contains(&b'.'))
        && let Ok(value) = text.parse::<f64>()
    {
        return finite(value);
    }
    let amount = strip_amount(text)?;
    let (mantissa, exponent) = split_exponent(amount.body)?;
    let (decimal_at, group) = match read_marks(mantissa)? {
        MarkReading::Settled { decimal_at, group } => (decimal_at, group),
        MarkReading::Ambiguous { at, mark } if mark == decimal => (Some(at), None),
        MarkReading::Ambiguous { mark, .. } => (None, Some(Mark::of(mark))),
    };
    normalise(amount.negative, mantissa, decimal_at, group, exponent)
}

/// The common amount, read in a few steps: `12.50`, `-3`, `.5` — an optional `-`, up to 15
/// digits and, when `.` is the column's decimal separator, at most one `.`. Anything else is for
/// the full reading (`None`).
///
/// The result is the same double `str::parse` gives: up to 15 digits the digits are exactly an
/// integer below 2^53, 10^k is exact for k ≤ 22, and one IEEE division rounds correctly (the
/// fast path of Clinger's algorithm, which the standard library takes first too).
#[inline]
fn parse_plain_decimal(bytes: &[u8], decimal: DecimalSeparator) -> Option<f64> {
    const POWERS_OF_TEN: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, digits) = match bytes {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, bytes),
    };
    let mut mantissa: u64 = 0;
    let mut digit_count = 0;
    let mut point_at = None;
    for (i, &byte) in digits.iter().enumerate() {
        match byte {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(byte - b'0');
                digit_count += 1;
                if digit_count > 15 {
                    return None;
                }
            }
            b'.' if point_at.is_none() && decimal == DecimalSeparator::Dot => point_at = Some(i),
            _ => return None,
        }
    }
    if digit_count == 0 {
        return None;
    }
    let fraction_digits = point_at.map_or(0, |at| digits.len() - at - 1);
    let magnitude = mantissa as f64 / POWERS_OF_TEN[fraction_digits];
    Some(if negative { -magnitude } else { magnitude })
}

fn finite(value: f64) -> Result<f64, AmountError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(AmountError::NotFinite)
    }
}

/// An amount with its sign, parentheses and currency taken off.
struct AmountText<'a> {
    body: &'a str,
    negative: bool,
}

fn strip_amount(text: &str) -> Result<AmountText<'_>, AmountError> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(AmountError::Empty);
    }
    if names_non_finite(rest) {
        return Err(AmountError::NotFinite);
    }
    let mut negative: Option<bool> = None;
    let mut set_sign = |is_negative: bool| match negative {
        Some(_) => Err(AmountError::NotANumber),
        None => {
            negative = Some(is_negative);
            Ok(())
        }
    };
    let (mut open_parenthesis, mut close_parenthesis) = (false, false);
    let mut currency_before = false;
    loop {
        rest = rest.trim_start();
        let Some(c) = rest.chars().next() else { break };
        let taken = match c {
            '-' | '\u{2212}' | '+' => {
                set_sign(c != '+')?;
                c.len_utf8()
            }
            '(' if !open_parenthesis => {
                open_parenthesis = true;
                1
            }
            _ if !currency_before && (is_currency_symbol(c) || is_letter(c)) => {
                currency_before = true;
                currency_prefix_len(rest)?
            }
            _ => break,
        };
        rest = &rest[taken..];
    }
    let mut currency_after = false;
    loop {
        rest = rest.trim_end();
        let Some(c) = rest.chars().next_back() else {
            break;
        };
        let taken = match c {
            ')' if open_parenthesis && !close_parenthesis => {
                close_parenthesis = true;
                1
            }
            '-' | '\u{2212}' => {
                set_sign(true)?;
                c.len_utf8()
            }
            _ if !currency_after && (c == '.' || is_currency_symbol(c) || is_letter(c)) => {
                match currency_suffix_len(rest)? {
                    0 => break,
                    len => {
                        currency_after = true;
                        len
                    }
                }
            }
            _ => break,
        };
        rest = &rest[..rest.len() - taken];
    }
    if open_parenthesis != close_parenthesis
        || (open_parenthesis && negative.is_some())
        || rest.is_empty()
    {
        return Err(AmountError::NotANumber);
    }
    Ok(AmountText {
        body: rest,
        negative: open_parenthesis || negative == Some(true),
    })
}

/// `NaN`, `inf`, `infinity`, with an optional sign, in any case.
fn names_non_finite(text: &str) -> bool {
    let word = text.strip_prefix(['-', '+']).unwrap_or(text);
    ["nan", "inf", "infinity"]
        .iter()
        .any(|name| word.eq_ignore_ascii_case(name))
}

/// A letter of a currency word; the check of Unicode tables is left for the rare letters
/// outside ASCII that are not currency signs (it is slow).
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        matches!(c, 'đ' | 'Đ') || (!is_currency_symbol(c) && c.is_alphabetic())
    }
}

/// `$` and the other currency signs (the Unicode currency-symbol block and the common ones
/// outside it).
fn is_currency_symbol(c: char) -> bool {
    matches!(
        c,
        '$' | '¢'
            | '£'
            | '¤'
            | '¥'
            | '֏'
            | '؋'
            | '৲'
            | '৳'
            | '฿'
            | '៛'
            | '﷼'
            | '＄'
            | '￠'
            | '￡'
            | '￥'
            | '￦'
            | '\u{20A0}'..='\u{20CF}'
    )
}

/// Length of the currency word or symbol starting `text` (`US$`, `VND`, `Rs.`, `€`).
fn currency_prefix_len(text: &str) -> Result<usize, AmountError> {
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if !(is_currency_symbol(c) || is_letter(c)) {
            break;
        }
        end = i + c.len_utf8();
    }
    let word = &text[..end];
    if !is_currency_word(word) {
        return Err(AmountError::NotANumber);
    }
    // An abbreviation's dot ("Rs.", "Fr.") belongs to the word.
    let dot = usize::from(text[end..].starts_with('.') && word.chars().any(is_letter));
    Ok(end + dot)
}

/// Length of the currency word or symbol ending `text` (`đ`, `₫`, `EUR`, `Fr.`), 0 if none.
fn currency_suffix_len(text: &str) -> Result<usize, AmountError> {
    let without_dot = match text.strip_suffix('.') {
        Some(head) if head.chars().next_back().is_some_and(is_letter) => head,
        Some(_) => return Ok(0),
        None => text,
    };
    let mut start = without_dot.len();
    for (i, c) in without_dot.char_indices().rev() {
        if !(is_currency_symbol(c) || is_letter(c)) {
            break;
        }
        start = i;
    }
    if !is_currency_word(&without_dot[start..]) {
        return Err(AmountError::NotANumber);
    }
    Ok(text.len() - start)
}

/// A currency marker rather than stray letters: a symbol (alone or with up to three letters, as
/// in `US$`), two to five letters (`VND`, `zł`, `đồng`), or a one-letter currency (`đ`, `R`).
fn is_currency_word(word: &str) -> bool {
    let letters = word.chars().filter(|&c| is_letter(c)).count();
    let symbols = word.chars().count() - letters;
    match (symbols, letters) {
        (0, 1) => matches!(word, "đ" | "Đ" | "R"),
        (0, 2..=5) => true,
        (1..=2, 0..=3) => true,
        _ => false,
    }
}

/// Splits `1.5e3` into the mantissa and the exponent (`[+-]digits`, empty when none).
fn split_exponent(body: &str) -> Result<(&str, &str), AmountError> {
    let Some(at) = body.find(['e', 'E']) else {
        return Ok((body, ""));
    };
    let exponent = &body[at + 1..];
    let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AmountError::NotANumber);
    }
    Ok((&body[..at], exponent))
}

/// A mark inside a number other than its digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    Dot,
    Comma,
    /// A space of any width, or `'`: only ever groups thousands.
    Space,
}

impl Mark {
    fn of(separator: DecimalSeparator) -> Mark {
        match separator {
            DecimalSeparator::Dot => Mark::Dot,
            DecimalSeparator::Comma => Mark::Comma,
        }
    }

    fn of_char(c: char) -> Option<Mark> {
        match c {
            '.' => Some(Mark::Dot),
            ',' => Some(Mark::Comma),
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '\u{2019}' => Some(Mark::Space),
            _ => None,
        }
    }
}

/// What the marks of a number say before the column's decimal separator is consulted.
#[derive(Debug, PartialEq, Eq)]
enum MarkReading {
    /// Settled by the value itself: the byte index of the decimal mark, and the grouping mark.
    Settled {
        decimal_at: Option<usize>,
        group: Option<Mark>,
    },
    /// A single `.` or `,` that could be either (`1.234`); `at` is its byte index.
    Ambiguous { at: usize, mark: DecimalSeparator },
}

fn read_marks(mantissa: &str) -> Result<MarkReading, AmountError> {
    let (mut dots, mut commas, mut spaces, mut digits) = (0u32, 0u32, 0u32, 0u32);
    let (mut last_dot, mut last_comma) = (0, 0);
    for (i, c) in mantissa.char_indices() {
        match Mark::of_char(c) {
            _ if c.is_ascii_digit() => digits += 1,
            Some(Mark::Dot) => (dots, last_dot) = (dots + 1, i),
            Some(Mark::Comma) => (commas, last_comma) = (commas + 1, i),
            Some(Mark::Space) => spaces += 1,
            None => return Err(AmountError::NotANumber),
        }
    }
    if digits == 0 {
        return Err(AmountError::NotANumber);
    }
    let settled = |decimal_at, group| Ok(MarkReading::Settled { decimal_at, group });
    match (dots, commas) {
        (0, 0) => settled(None, (spaces > 0).then_some(Mark::Space)),
        (1.., 1..) if spaces > 0 => Err(AmountError::NotANumber),
        (1.., 1..) if last_dot > last_comma => {
            if dots > 1 {
                return Err(AmountError::NotANumber);
            }
            settled(Some(last_dot), Some(Mark::Comma))
        }
        (1.., 1..) => {
            if commas > 1 {
                return Err(AmountError::NotANumber);
            }
            settled(Some(last_comma), Some(Mark::Dot))
        }
        (2.., 0) | (0, 2..) if spaces > 0 => Err(AmountError::NotANumber),
        (2.., 0) => settled(None, Some(Mark::Dot)),
        (0, 2..) => settled(None, Some(Mark::Comma)),
        _ => {
            let (at, mark) = if dots == 1 {
                (last_dot, DecimalSeparator::Dot)
            } else {
                (last_comma, DecimalSeparator::Comma)
            };
            if spaces > 0 {
                return settled(Some(at), Some(Mark::Space));
            }
            let (before, after) = (&mantissa[..at], &mantissa[at + 1..]);
            let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
            let could_group = after.len() == 3
                && all_digits(after)
                && (1..=3).contains(&before.len())
                && all_digits(before)
                && !before.starts_with('0');
            if could_group {
                Ok(MarkReading::Ambiguous { at, mark })
            } else {
                settled(Some(at), None)
            }
        }
    }
}

/// Largest integer below which every integer is exact in an `f64` (2^53).
const EXACT_INTEGER_LIMIT: u64 = 1 << 53;

/// Powers of ten that are exact in an `f64`.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Longest amount rewritten on the stack for `str::parse`; longer ones (hundreds of digits) use
/// the heap.
const STACK_NUMBER_LEN: usize = 64;

/// Checks the grouping of the number and computes its value. Digits that fit in 2^53 with at most
/// 22 decimals are divided by an exact power of ten, one correctly rounded operation, the same
/// result `str::parse` gives (Clinger's fast path); other numbers are rewritten as
/// `-digits.digits e exponent` and given to `str::parse`.
fn normalise(
    negative: bool,
    mantissa: &str,
    decimal_at: Option<usize>,
    group: Option<Mark>,
    exponent: &str,
) -> Result<f64, AmountError> {
    let (integer, fraction) = match decimal_at {
        Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
        None => (mantissa, ""),
    };
    let mut digits_value = 0u64;
    let mut push_digit = |b: u8| {
        digits_value = digits_value
            .saturating_mul(10)
            .saturating_add((b - b'0') as u64);
    };
    let (mut group_len, mut groups, mut inner_group_len) = (0usize, 0usize, None);
    for c in integer.chars() {
        if c.is_ascii_digit() {
            push_digit(c as u8);
            group_len += 1;
            continue;
        }
        if group.is_none() || Mark::of_char(c) != group {
            return Err(AmountError::NotANumber);
        }
        let group_ok = if groups == 0 {
            (1..=3).contains(&group_len)
        } else {
            (2..=3).contains(&group_len) && *inner_group_len.get_or_insert(group_len) == group_len
        };
        if !group_ok {
            return Err(AmountError::NotANumber);
        }
        groups += 1;
        group_len = 0;
    }
    if groups > 0 && group_len != 3 {
        return Err(AmountError::NotANumber);
    }
    for b in fraction.bytes() {
        if !b.is_ascii_digit() {
            return Err(AmountError::NotANumber);
        }
        push_digit(b);
    }
    let sign = if negative { -1.0 } else { 1.0 };
    if exponent.is_empty()
        && digits_value <= EXACT_INTEGER_LIMIT
        && let Some(scale) = EXACT_POWERS_OF_TEN.get(fraction.len())
    {
        return Ok(sign * (digits_value as f64 / scale));
    }
    parse_rewritten(negative, integer, fraction, exponent)
}

/// `str::parse` of `-digits.digits e exponent` built from an already validated number.
fn parse_rewritten(
    negative: bool,
    integer: &str,
    fraction: &str,
    exponent: &str,
) -> Result<f64, AmountError> {
    let needed = integer.len() + fraction.len() + exponent.len() + 3;
    let mut stack = [0u8; STACK_NUMBER_LEN];
    let mut heap = Vec::new();
    let buffer: &mut [u8] = if needed <= STACK_NUMBER_LEN {
        &mut stack
    } else {
        heap.resize(needed, 0);
        &mut heap
    };
    let mut len = 0;
    let mut push = |b: u8| {
        buffer[len] = b;
        len += 1;
    };
    if negative {
        push(b'-');
    }
    integer
        .bytes()
        .filter(u8::is_ascii_digit)
        .for_each(&mut push);
    push(b'.');
    fraction.bytes().for_each(&mut push);
    if !exponent.is_empty() {
        push(b'e');
        exponent.bytes().for_each(&mut push);
    }
    let number = std::str::from_utf8(&buffer[..len]).map_err(|_| AmountError::NotANumber)?;
    finite(number.parse::<f64>().map_err(|_| AmountError::NotANumber)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::random_strings;
    use DecimalSeparator::{Comma, Dot};

    /// Amounts are compared to this relative precision (the parser rounds once, as `str::parse`).
    const AMOUNT_TOLERANCE: f64 = 1e-12;

    /// The plain-decimal fast path returns exactly `str::parse`'s double, for every length and
    /// point position it takes, and leaves every other form to the full reading.
    #[test]
    fn plain_decimals_read_bit_for_bit_as_str_parse() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        for _ in 0..200_000 {
            let digits = 1 + next(15) as usize;
            let mut text: String = (0..digits)
                .map(|_| char::from(b'0' + next(10) as u8))
                .collect();
            if next(3) > 0 {
                text.insert(next(digits as u64 + 1) as usize, '.');
            }
            if next(2) == 0 {
                text.insert(0, '-');
            }
            let fast = parse_plain_decimal(text.as_bytes(), Dot).expect(&text);
            assert_eq!(
                fast.to_bits(),
                text.parse::<f64>().unwrap().to_bits(),
                "{text}"
            );
            assert_eq!(parse_amount(&text, Dot), Ok(fast), "{text}");
        }
        for text in [
            "",
            "-",
            ".",
            "1.2.3",
            "+1",
            "1e3",
            "1,5",
            "1 000",
            "1234567890123456",
        ] {
            assert_eq!(parse_plain_decimal(text.as_bytes(), Dot), None, "{text}");
        }
        // With a comma for decimals a point groups thousands: the full reading decides.
        assert_eq!(parse_plain_decimal(b"1.234", Comma), None);
        assert_eq!(parse_amount("1.234", Comma), Ok(1234.0));
        assert_eq!(parse_plain_decimal(b"-17", Comma), Some(-17.0));
    }

    fn assert_amount(text: &str, decimal: DecimalSeparator, expected: f64) {
        match parse_amount(text, decimal) {
            Ok(value) => assert!(
                (value - expected).abs() <= AMOUNT_TOLERANCE * expected.abs().max(1.0),
                "parse_amount({text:?}, {decimal:?}) = {value}, expected {expected}"
            ),
            Err(error) => panic!("parse_amount({text:?}, {decimal:?}) failed: {error:?}"),
        }
    }

    #[test]
    fn amounts_in_many_notations() {
        // (text, value read in a dot column, value read in a comma column)
        let cases = [
            ("2.55", 2.55, 2.55),
            ("-3", -3.0, -3.0),
            ("6", 6.0, 6.0),
            ("0", 0.0, 0.0),
            ("1,234.56", 1234.56, 1234.56),
            ("1.234,56", 1234.56, 1234.56),
            ("1.250.000 ₫", 1_250_000.0, 1_250_000.0),
            ("1.250.000đ", 1_250_000.0, 1_250_000.0),
            ("1,250,000", 1_250_000.0, 1_250_000.0),
            ("$12", 12.0, 12.0),
            ("US$ 12.00", 12.0, 12.0),
            ("12 000 đ", 12_000.0, 12_000.0),
            ("12\u{a0}000\u{a0}đ", 12_000.0, 12_000.0),
            ("1\u{202f}234\u{202f}567,89", 1_234_567.89, 1_234_567.89),
            ("1 234.5", 1234.5, 1234.5),
            ("1'234.50", 1234.5, 1234.5),
            ("€1.234,56", 1234.56, 1234.56),
            ("12,50 €", 12.5, 12.5),
            ("VND 150000", 150_000.0, 150_000.0),
            ("150.000 VNĐ", 150.0, 150_000.0),
            ("(12.50)", -12.5, -12.5),
            ("($1,234.50)", -1234.5, -1234.5),
            ("$(12.50)", -12.5, -12.5),
            ("- 5", -5.0, -5.0),
            ("-$5", -5.0, -5.0),
            ("$-5", -5.0, -5.0),
            ("\u{2212}5", -5.0, -5.0),
            ("12.50-", -12.5, -12.5),
            ("+5", 5.0, 5.0),
            ("1e3", 1000.0, 1000.0),
            ("1.5E-3", 0.0015, 0.0015),
            ("$1e3", 1000.0, 1000.0),
            ("1,5e3", 1500.0, 1500.0),
            (".5", 0.5, 0.5),
            (" 2.55 ", 2.55, 2.55),
            ("Rs.1,23,456.00", 123_456.0, 123_456.0),
            ("1,23,45,678", 12_345_678.0, 12_345_678.0),
            ("12,5 zł", 12.5, 12.5),
            ("£0.85", 0.85, 0.85),
            ("12.5 Fr.", 12.5, 12.5),
            ("R 100", 100.0, 100.0),
            // Ambiguous: a single separator before exactly three digits; the column decides.
            ("1.234", 1.234, 1234.0),
            ("1,234", 1234.0, 1.234),
            ("-1,234", -1234.0, -1.234),
            ("123.456 ₫", 123.456, 123_456.0),
            // Not ambiguous: a leading zero or a long integer part cannot be a thousands group.
            ("0.500", 0.5, 0.5),
            ("1234.567", 1234.567, 1234.567),
            ("1.2345", 1.2345, 1.2345),
        ];
        for (text, in_dot_column, in_comma_column) in cases {
            assert_amount(text, Dot, in_dot_column);
            assert_amount(text, Comma, in_comma_column);
        }
    }

    #[test]
    fn bad_amounts_are_rejected_with_the_right_error() {
        use AmountError::{Empty, NotANumber, NotFinite};
        let huge = "9".repeat(400);
        let huge_grouped = format!("${huge}");
        let cases = [
            ("", Empty),
            ("  ", Empty),
            ("\u{a0}", Empty),
            ("NaN", NotFinite),
            ("nan", NotFinite),
            ("-inf", NotFinite),
            ("Infinity", NotFinite),
            ("1e400", NotFinite),
            ("-1e400", NotFinite),
            ("$1e400", NotFinite),
            (huge.as_str(), NotFinite),
            (huge_grouped.as_str(), NotFinite),
            ("abc", NotANumber),
            ("N/A", NotANumber),
            ("12abc34", NotANumber),
            ("12e", NotANumber),
            ("1e", NotANumber),
            ("-", NotANumber),
            ("--5", NotANumber),
            ("+-5", NotANumber),
            ("(-5)", NotANumber),
            ("(5", NotANumber),
            ("5)", NotANumber),
            ("$", NotANumber),
            (".", NotANumber),
            (",", NotANumber),
            ("1.2.3", NotANumber),
            ("1,2,3", NotANumber),
            ("12,34,56,789.1.2", NotANumber),
            ("1.234.56", NotANumber),
            ("1.234,567.89", NotANumber),
            ("1,234,56", NotANumber),
            ("1 2", NotANumber),
            ("1  234", NotANumber),
            ("1 234 567.890,12", NotANumber),
            ("1.234 567", NotANumber),
            ("12 pieces of eight", NotANumber),
            ("5 🙂", NotANumber),
            ("x5", NotANumber),
        ];
        for (text, expected) in cases {
            for decimal in [Dot, Comma] {
                assert_eq!(
                    parse_amount(text, decimal),
                    Err(expected.clone()),
                    "{text:?} {decimal:?}"
                );
            }
        }
    }

    #[test]
    fn plain_numbers_round_trip() {
        let mut random = crate::fixtures::Lcg::new(0x9e37_79b9_7f4a_7c15);
        for _ in 0..10_000 {
            let state = random.next();
            let value = f64::from_bits(state);
            if !value.is_finite() {
                continue;
            }
            let text = value.to_string();
            assert_eq!(parse_amount(&text, Dot), Ok(value), "{text}");
            // Money with two decimals written the two European ways reads the same in any column.
            let cents = (state >> 20) % 10_000_000_000;
            let (units, hundredths) = (cents / 100, cents % 100);
            let digits = units.to_string();
            let mut groups = Vec::new();
            let mut end = digits.len();
            while end > 0 {
                groups.push(&digits[end.saturating_sub(3)..end]);
                end = end.saturating_sub(3);
            }
            groups.reverse();
            let expected = units as f64 + hundredths as f64 / 100.0;
            let english = format!("{}.{hundredths:02}", groups.join(","));
            let european = format!("{},{hundredths:02} €", groups.join("."));
            for decimal in [Dot, Comma] {
                assert_amount(&english, decimal, expected);
                assert_amount(&european, decimal, expected);
            }
        }
    }

    #[test]
    fn comma_decimals_round_exactly_like_str_parse() {
        // Digit strings of every length around the exact-arithmetic limits (15–17 digits,
        // 22 decimals), read with a comma, must give the very f64 `str::parse` gives with a dot.
        let mut random = crate::fixtures::Lcg::new(0x0123_4567_89ab_cdef);
        for _ in 0..20_000 {
            let state = random.next();
            let integer_len = 1 + (state >> 40) as usize % 20;
            let fraction_len = 1 + (state >> 50) as usize % 26;
            let mut digits = String::new();
            for _ in 0..integer_len + fraction_len {
                digits.push((b'0' + (random.next() >> 60) as u8 % 10) as char);
            }
            let (integer, fraction) = digits.split_at(integer_len);
            let expected: f64 = format!("{integer}.{fraction}").parse().unwrap();
            let comma = format!("{integer},{fraction}");
            if fraction_len == 3 && (1..=3).contains(&integer_len) && !integer.starts_with('0') {
                continue; // ambiguous: read as a group in a dot column
            }
            for decimal in [Dot, Comma] {
                let parsed = parse_amount(&comma, decimal);
                assert_eq!(parsed.map(f64::to_bits), Ok(expected.to_bits()), "{comma}");
                let negative = parse_amount(&format!("({comma})"), decimal);
                assert_eq!(
                    negative.map(f64::to_bits),
                    Ok((-expected).to_bits()),
                    "({comma})"
                );
            }
        }
    }

    #[test]
    fn odd_amounts_never_panic() {
        let alphabet = "0123456789.,-+()$€₫đ eE\u{a0}'NaiVD🙂";
        for text in random_strings(alphabet, 20_000) {
            for decimal in [Dot, Comma] {
                if let Ok(value) = parse_amount(&text, decimal) {
                    assert!(value.is_finite(), "{text:?}");
                }
            }
            let _ = detect_decimal_separator(&[&text]);
        }
    }

    #[test]
    fn decimal_separator_detection_votes() {
        let cases: [(&[&str], DecimalSeparator); 9] = [
            (&["2.55", "3.39", "6"], Dot),
            (&["2,55", "3,39", "6"], Comma),
            (&["1.250.000 ₫", "150.000 ₫", "90.000 ₫"], Comma),
            (&["1,250,000", "150,000"], Dot),
            (&["1.234,56", "12,00"], Comma),
            (&["1,234.56", "12.00"], Dot),
            (&["1.234", "150.000", "120"], Dot), // nothing settles it
            (&["12,50 €", "3,99 €", "1,234.50"], Comma),
            (&["1.2.3", "abc", "", "1,2,3"], Dot), // invalid values do not vote
        ];
        for (samples, expected) in cases {
            assert_eq!(detect_decimal_separator(samples), expected, "{samples:?}");
        }
    }

    #[test]
    fn amount_errors_say_what_to_do() {
        for error in [
            AmountError::Empty,
            AmountError::NotANumber,
            AmountError::NotFinite,
        ] {
            assert!(error.to_string().contains(':'), "{error} names a remedy");
        }
    }
}
