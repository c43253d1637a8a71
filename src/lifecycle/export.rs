//! Per-stage customer lists: indices for the UI, CSV for a campaign tool or a spreadsheet.

use std::fmt::Write;

use super::{Stage, StageSnapshot};
use crate::book::OrderBook;
use crate::day::Day;

/// Header of [`stage_csv`].
pub const STAGE_CSV_HEADER: &str =
    "customer_id,stage,last_purchase,days_since_last_purchase,orders,typical_gap_days";

/// Indices (into `book.customer_ids`) of the customers in `stage` (all staged customers when
/// `None`), ascending.
pub fn stage_customers(snapshot: &StageSnapshot, stage: Option<Stage>) -> Vec<u32> {
    snapshot
        .statuses
        .iter()
        .enumerate()
        .filter_map(|(c, status)| {
            let status = status.as_ref()?;
            stage
                .is_none_or(|wanted| wanted == status.stage)
                .then_some(c as u32)
        })
        .collect()
}

/// The customers of `stage` (all staged customers when `None`) as CSV, one line each, with
/// [`STAGE_CSV_HEADER`]. Ids that a spreadsheet would run as a formula are neutralised.
pub fn stage_csv(book: &OrderBook, snapshot: &StageSnapshot, stage: Option<Stage>) -> String {
    let mut csv = String::with_capacity(64 * snapshot.statuses.len() / 4 + 100);
    csv.push_str(STAGE_CSV_HEADER);
    csv.push('\n');
    for c in stage_customers(snapshot, stage) {
        let Some(status) = &snapshot.statuses[c as usize] else {
            continue;
        };
        push_field(&mut csv, &book.customer_ids[c as usize]);
        let _ = writeln!(
            csv,
            ",{},{},{},{},{}",
            status.stage.name(),
            Day(status.last_purchase),
            status.days_since_last_purchase,
            status.orders,
            format_days(status.typical_gap_days)
        );
    }
    csv
}

/// Days with one decimal at most: `30`, `12.5`.
fn format_days(days: f64) -> String {
    let tenths = (days * 10.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}")
    } else {
        format!("{tenths:.1}")
    }
}

/// Appends a text field: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` so a
/// spreadsheet shows the id instead of running it (CSV injection), then the field is quoted if
/// it holds a comma, quote or line break.
fn push_field(csv: &mut String, text: &str) {
    // A phone id in E.164 is a number, not a formula.
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && !crate::ingest::identity::is_e164(text);
    let neutral = if formula {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        csv.push('"');
        csv.push_str(&neutral.replace('"', "\"\""));
        csv.push('"');
    } else {
        csv.push_str(&neutral);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::OrderKind;
    use crate::lifecycle::{LifecycleRules, stage_snapshot};

    #[test]
    fn fields_are_neutralised_and_quoted() {
        let cases = [
            ("17850", "17850"),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("+1", "'+1"),
            ("+84912345678", "+84912345678"),
            ("-5", "'-5"),
            ("@sum", "'@sum"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("a,b", "\"a,b\""),
            ("Nguyễn", "Nguyễn"),
        ];
        for (id, expected) in cases {
            let mut out = String::new();
            push_field(&mut out, id);
            assert_eq!(out, expected, "{id:?}");
        }
        assert_eq!(format_days(30.0), "30");
        assert_eq!(format_days(12.5), "12.5");
        assert_eq!(format_days(7.04), "7");
    }

    #[test]
    fn csv_lists_the_customers_of_a_stage() {
        let day = |t: &str| t.parse::<Day>().unwrap().0;
        let book = OrderBook::from_orders([
            (Some("=cmd"), day("2011-01-01"), 5.0, OrderKind::Purchase),
            (Some("=cmd"), day("2011-01-11"), 5.0, OrderKind::Purchase),
            (Some("=cmd"), day("2011-01-11"), 5.0, OrderKind::Purchase),
            (Some("b"), day("2011-02-01"), 5.0, OrderKind::Purchase),
            (None, day("2011-02-02"), 5.0, OrderKind::Purchase),
        ]);
        let snapshot = stage_snapshot(
            &book,
            &book.customer_orders(),
            day("2011-02-02"),
            &LifecycleRules::default(),
        )
        .unwrap();
        // "=cmd": typical gap 10, 22 days since → at risk; "b": one purchase a day ago → new.
        assert_eq!(stage_customers(&snapshot, Some(Stage::AtRisk)), vec![0]);
        assert_eq!(stage_customers(&snapshot, None), vec![0, 1]);
        let csv = stage_csv(&book, &snapshot, Some(Stage::AtRisk));
        assert_eq!(
            csv,
            format!("{STAGE_CSV_HEADER}\n'=cmd,at_risk,2011-01-11,22,3,10\n")
        );
        let all = stage_csv(&book, &snapshot, None);
        assert_eq!(all.lines().count(), 3);
        assert!(all.ends_with("b,new,2011-02-01,1,1,10\n"), "{all}");
    }
}
