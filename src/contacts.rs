//! Contact details per customer — e-mail, phone, name — kept only when the file has such columns,
//! so that an audience can be exported with what a mailing tool imports. Each customer keeps the
//! first non-empty value the file gives them. A file without contact columns keeps nothing; one
//! with them costs the text once plus eight bytes per customer and column.

use crate::ingest::normalise_header;

/// What a contact column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactRole {
    Email,
    Phone,
    Name,
}

impl ContactRole {
    pub const ALL: [ContactRole; 3] = [ContactRole::Email, ContactRole::Phone, ContactRole::Name];

    /// Headers that hold this role, normalised as [`normalise_header`] writes them: English and
    /// Vietnamese, and the columns of the Shopify (`Email`, `Billing Phone`, `Billing Name`),
    /// WooCommerce (`Billing Email Address`, `Billing Phone`, `First Name (Billing)`) and Haravan
    /// or Sapo (`Email`, `Điện thoại`, `Số điện thoại`, `Tên khách hàng`) exports. Shopify's
    /// `Name` is the order's number, so a bare `name` is not a name.
    fn headers(self) -> &'static [&'static str] {
        match self {
            ContactRole::Email => &[
                "email",
                "e mail",
                "customer email",
                "billing email",
                "billing email address",
                "email billing",
                "email khách hàng",
                "địa chỉ email",
            ],
            ContactRole::Phone => &[
                "phone",
                "billing phone",
                "phone billing",
                "shipping phone",
                "customer phone",
                "phone number",
                "điện thoại",
                "số điện thoại",
                "sđt",
                "sđt khách hàng",
                "điện thoại khách hàng",
            ],
            ContactRole::Name => &[
                "customer name",
                "billing name",
                "shipping name",
                "full name",
                "first name billing",
                "tên khách hàng",
                "tên khách",
                "họ tên",
                "họ và tên",
            ],
        }
    }

    /// The role's name in exports and the JS API.
    pub fn name(self) -> &'static str {
        match self {
            ContactRole::Email => "email",
            ContactRole::Phone => "phone",
            ContactRole::Name => "name",
        }
    }
}

/// The contact columns among `headers`: for each role, the first header that names it, with its
/// position in the row.
pub fn contact_columns(headers: &[String]) -> Vec<(usize, ContactColumn)> {
    let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    ContactRole::ALL
        .into_iter()
        .filter_map(|role| {
            let at = normalised
                .iter()
                .position(|h| role.headers().contains(&h.as_str()))?;
            Some((at, ContactColumn::new(role, headers[at].trim())))
        })
        .collect()
}

/// One contact column: the first non-empty value of each customer, in one text buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactColumn {
    pub role: ContactRole,
    /// The header of the column in the file.
    pub column: String,
    text: String,
    /// Customer `c`'s value is `text[start..start + len]` with `[start, len] = spans[c]`; a
    /// customer past the end, or with `len` 0, has none.
    spans: Vec<[u32; 2]>,
}

impl ContactColumn {
    pub fn new(role: ContactRole, column: impl Into<String>) -> ContactColumn {
        ContactColumn {
            role,
            column: column.into(),
            text: String::new(),
            spans: Vec::new(),
        }
    }

    /// Keeps `value` (trimmed) for `customer` unless they already have one or it is blank.
    pub fn offer(&mut self, customer: u32, value: &str) {
        let value = value.trim();
        let c = customer as usize;
        if value.is_empty() || self.spans.get(c).is_some_and(|s| s[1] > 0) {
            return;
        }
        if self.spans.len() <= c {
            self.spans.resize(c + 1, [0, 0]);
        }
        self.spans[c] = [self.text.len() as u32, value.len() as u32];
        self.text.push_str(value);
    }

    /// Customer `c`'s value (`""` for none).
    pub fn of(&self, customer: usize) -> &str {
        match self.spans.get(customer) {
            Some(&[start, len]) => &self.text[start as usize..(start + len) as usize],
            None => "",
        }
    }

    /// The column for customers renumbered: new customer `n` is old customer `old_of_new[n]`.
    pub fn renumbered(&self, old_of_new: &[u32]) -> ContactColumn {
        let mut column = ContactColumn::new(self.role, self.column.clone());
        column.text.reserve(self.text.len());
        for (new, &old) in old_of_new.iter().enumerate() {
            column.offer(new as u32, self.of(old as usize));
        }
        column.text.shrink_to_fit();
        column.spans.shrink_to_fit();
        column
    }
}

/// The contact columns a file has (none for most files), in [`ContactRole::ALL`] order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contacts {
    pub columns: Vec<ContactColumn>,
}

impl Contacts {
    /// The contacts of customers renumbered (see [`ContactColumn::renumbered`]).
    pub fn renumbered(&self, old_of_new: &[u32]) -> Contacts {
        Contacts {
            columns: self
                .columns
                .iter()
                .map(|column| column.renumbered(old_of_new))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// `,email,phone` … for a CSV header: the roles present, each after a comma.
    pub fn header(&self) -> String {
        self.columns
            .iter()
            .flat_map(|column| [",", column.role.name()])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_customer_keeps_their_first_non_empty_value() {
        let mut email = ContactColumn::new(ContactRole::Email, "Email");
        email.offer(2, "  ");
        email.offer(2, " c@example.com ");
        email.offer(0, "a@example.com");
        email.offer(2, "other@example.com");
        assert_eq!(email.of(0), "a@example.com");
        assert_eq!(email.of(1), "");
        assert_eq!(email.of(2), "c@example.com");
        assert_eq!(email.of(9), "");
        let contacts = Contacts {
            columns: vec![email, ContactColumn::new(ContactRole::Name, "Name")],
        };
        assert_eq!(contacts.header(), ",email,name");
        let renumbered = contacts.renumbered(&[2, 0]);
        assert_eq!(renumbered.columns[0].of(0), "c@example.com");
        assert_eq!(renumbered.columns[0].of(1), "a@example.com");
    }

    #[test]
    fn contact_columns_are_found_by_their_headers_in_both_languages() {
        let found = |headers: &[&str]| -> Vec<(usize, ContactRole)> {
            let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
            contact_columns(&headers)
                .into_iter()
                .map(|(at, column)| (at, column.role))
                .collect()
        };
        use ContactRole::{Email, Name, Phone};
        let shopify = [
            "Name",
            "Email",
            "Created at",
            "Total",
            "Billing Name",
            "Billing Phone",
        ];
        assert_eq!(found(&shopify), [(1, Email), (5, Phone), (4, Name)]);
        let haravan = [
            "Mã đơn hàng",
            "Tên khách hàng",
            "Email",
            "Điện thoại",
            "Tổng cộng",
        ];
        assert_eq!(found(&haravan), [(2, Email), (3, Phone), (1, Name)]);
        let woo = [
            "Order ID",
            "Billing Email Address",
            "First Name (Billing)",
            "Billing Phone",
        ];
        assert_eq!(found(&woo), [(1, Email), (3, Phone), (2, Name)]);
        assert_eq!(found(&["InvoiceNo", "CustomerID", "InvoiceDate"]), []);
    }
}
