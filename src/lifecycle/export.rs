//! Per-stage customer lists: indices for the UI, CSV for a campaign tool or a spreadsheet.

use super::{Stage, StageSnapshot};
use crate::book::OrderBook;
use crate::csv_writer::CsvWriter;

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
/// [`STAGE_CSV_HEADER`], written by [`CsvWriter`]; typical gaps with one decimal at most
/// (`30`, `12.5`).
pub fn stage_csv(book: &OrderBook, snapshot: &StageSnapshot, stage: Option<Stage>) -> String {
    let mut csv = CsvWriter::new(STAGE_CSV_HEADER, snapshot.statuses.len() / 4, 64);
    for c in stage_customers(snapshot, stage) {
        let Some(status) = &snapshot.statuses[c as usize] else {
            continue;
        };
        csv.text(&book.customer_ids[c as usize]);
        csv.text(status.stage.name());
        csv.day(status.last_purchase);
        csv.integer(i64::from(status.days_since_last_purchase));
        csv.integer(i64::from(status.orders));
        csv.decimal(status.typical_gap_days, 1);
        csv.end_row();
    }
    csv.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::OrderKind;
    use crate::fixtures::day;
    use crate::lifecycle::{LifecycleRules, stage_snapshot};

    #[test]
    fn csv_lists_the_customers_of_a_stage() {
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
