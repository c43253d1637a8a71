//! One audience as CSV for a mailing tool: the customer id, their e-mail, phone and name when the
//! file had such columns, and what put them in the audience. Written by [`CsvWriter`], so a
//! customer name starting with `=` is never run as a formula.

use super::Audiences;
use crate::book::OrderBook;
use crate::contacts::Contacts;
use crate::csv_writer::CsvWriter;

/// The columns after the id and the contact columns.
pub const AUDIENCE_CSV_COLUMNS: &str =
    "audience,last_purchase,days_since_last_purchase,purchase_days,value,p_alive,next_order_date";

impl Audiences {
    /// The members of audience `a` as CSV: `customer_id[,email][,phone][,name],`
    /// then [`AUDIENCE_CSV_COLUMNS`]; values with two decimals, P(alive) with four.
    pub fn csv(&self, a: usize, book: &OrderBook, contacts: Option<&Contacts>) -> String {
        let contacts = contacts.filter(|c| !c.is_empty());
        let contact_header = contacts.map(Contacts::header).unwrap_or_default();
        let header = ["customer_id", &contact_header, ",", AUDIENCE_CSV_COLUMNS].concat();
        let members = &self.members[a];
        let mut csv = CsvWriter::new(&header, members.len(), 96);
        let id = super::DEFINITIONS[a].id;
        for &c in members {
            let c = c as usize;
            let Some(status) = &self.facts.status[c] else {
                continue;
            };
            csv.text(&book.customer_ids[c]);
            for column in contacts.iter().flat_map(|contacts| &contacts.columns) {
                csv.text(column.of(c));
            }
            csv.text(id);
            csv.day(status.last_purchase);
            csv.integer(i64::from(status.days_since_last_purchase));
            csv.integer(i64::from(status.purchase_days));
            csv.decimal(self.facts.value[c], 2);
            csv.decimal(self.facts.p_alive[c], 4);
            match self.facts.next_order_day[c] {
                Some(day) => csv.day(day),
                None => csv.empty(),
            }
            csv.end_row();
        }
        csv.finish()
    }
}
