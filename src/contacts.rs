//! Contact details per customer — e-mail, phone, name — kept only when the file has such columns,
//! so that an audience can be exported with what a mailing tool imports. Each customer keeps the
//! first non-empty value the file gives them. A file without contact columns keeps nothing; one
//! with them costs the text once plus eight bytes per customer and column.

/// What a contact column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactRole {
    Email,
    Phone,
    Name,
}

impl ContactRole {
    pub const ALL: [ContactRole; 3] = [ContactRole::Email, ContactRole::Phone, ContactRole::Name];

    /// The role's name in exports and the JS API.
    pub fn name(self) -> &'static str {
        match self {
            ContactRole::Email => "email",
            ContactRole::Phone => "phone",
            ContactRole::Name => "name",
        }
    }
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

    /// Gives the room left over back.
    pub fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.spans.shrink_to_fit();
    }
}

/// The contact columns a file has (none for most files), in [`ContactRole::ALL`] order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contacts {
    pub columns: Vec<ContactColumn>,
}

impl Contacts {
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
        email.shrink();
        assert_eq!(email.of(0), "a@example.com");
        assert_eq!(email.of(1), "");
        assert_eq!(email.of(2), "c@example.com");
        assert_eq!(email.of(9), "");
        let contacts = Contacts {
            columns: vec![email, ContactColumn::new(ContactRole::Name, "Name")],
        };
        assert_eq!(contacts.header(), ",email,name");
    }
}
