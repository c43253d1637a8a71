//! `parse_date` and `parse_amount` on arbitrary strings, and the column-level detectors on
//! arbitrary samples: never a panic, and every value they accept is sound.
#![no_main]

use customer_lens::day::Day;
use customer_lens::ingest::amounts::{DecimalSeparator, detect_decimal_separator, parse_amount};
use customer_lens::ingest::dates::{DateOrder, detect_date_order, parse_date};
use libfuzzer_sys::fuzz_target;

/// Days since 1970-01-01 of 0001-01-01 and 9999-12-31, the calendar `parse_date` reads.
const FIRST_DAY: i32 = -719_162;
const LAST_DAY: i32 = 2_932_896;
const SECONDS_PER_DAY: i64 = 86_400;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for order in [DateOrder::Ymd, DateOrder::Dmy, DateOrder::Mdy] {
        if let Ok(date) = parse_date(&text, order) {
            assert!(
                (FIRST_DAY..=LAST_DAY).contains(&date.day),
                "{text:?} → day {}",
                date.day
            );
            if let Some(seconds) = date.seconds {
                assert_eq!(
                    seconds.div_euclid(SECONDS_PER_DAY),
                    date.day as i64,
                    "{text:?}: the time falls on another day"
                );
            }
            // The day written back in ISO form reads as the same day, whatever the order.
            let iso = Day(date.day).to_string();
            assert_eq!(
                parse_date(&iso, order).map(|d| d.day),
                Ok(date.day),
                "{iso}"
            );
        }
    }
    for decimal in [DecimalSeparator::Dot, DecimalSeparator::Comma] {
        if let Ok(value) = parse_amount(&text, decimal) {
            assert!(value.is_finite(), "{text:?} → {value}");
        }
    }
    // Any finite number Rust prints reads back as itself.
    if data.len() >= 8 {
        let value = f64::from_le_bytes(data[..8].try_into().unwrap());
        if value.is_finite() {
            for written in [
                format!("{value}"),
                format!("{value:e}"),
                format!("{value:.2}"),
            ] {
                let expected: f64 = written.parse().unwrap();
                assert_eq!(
                    parse_amount(&written, DecimalSeparator::Dot),
                    Ok(expected),
                    "{written}"
                );
            }
        }
    }
    let samples: Vec<&str> = text.split('\n').collect();
    let detection = detect_date_order(&samples);
    assert!(
        detection.year_first + detection.day_first + detection.month_first + detection.unsettled
            <= samples.len()
    );
    let _ = detection.note();
    let _ = detect_decimal_separator(&samples);
});
