//! One audience as CSV for a mailing tool: the customer id, their e-mail, phone and name when the
//! file had such columns, and what put them in the audience. Written by [`CsvWriter`], so a
//! customer name starting with `=` is never run as a formula.

use super::Audiences;
use super::report::NO_PRODUCT;
use crate::book::OrderBook;
use crate::contacts::Contacts;
use crate::csv_writer::CsvWriter;

/// The columns after the id and the contact columns.
pub const AUDIENCE_CSV_COLUMNS: &str = "audience,last_purchase,days_since_last_purchase,purchase_days,value,p_alive,next_order_date,product_id";

impl Audiences {
    /// The members of audience `a` as CSV: `customer_id[,email][,phone][,name],`
    /// then [`AUDIENCE_CSV_COLUMNS`]; values with two decimals, P(alive) with four, the product
    /// id only for the audiences that suggest one.
    pub fn csv(&self, a: usize, book: &OrderBook, contacts: Option<&Contacts>) -> String {
        let contacts = contacts.filter(|c| !c.is_empty());
        let contact_header = contacts.map(Contacts::header).unwrap_or_default();
        let header = ["customer_id", &contact_header, ",", AUDIENCE_CSV_COLUMNS].concat();
        let columns = self.columns(a, book);
        let mut csv = CsvWriter::new(&header, columns.customers.len(), 96);
        let id = super::DEFINITIONS[a].id;
        for (i, &c) in columns.customers.iter().enumerate() {
            csv.text(columns.customer_ids[i]);
            for column in contacts.iter().flat_map(|contacts| &contacts.columns) {
                csv.text(column.of(c as usize));
            }
            csv.text(id);
            csv.day(columns.last_purchase[i]);
            csv.integer(i64::from(columns.days_since_last_purchase[i]));
            csv.integer(i64::from(columns.purchase_days[i]));
            csv.decimal(columns.value[i], 2);
            csv.decimal(columns.p_alive[i], 4);
            match columns.next_order_day[i] {
                super::report::NO_DAY => csv.empty(),
                day => csv.day(day),
            }
            match book
                .lines
                .as_ref()
                .filter(|_| columns.product[i] != NO_PRODUCT)
            {
                Some(lines) => csv.text(&lines.products.ids[columns.product[i] as usize]),
                None => csv.empty(),
            }
            csv.end_row();
        }
        csv.finish()
    }
}
