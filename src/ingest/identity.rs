//! Customer identity: which customer ids name the same person.
//!
//! Every id is trimmed, and an integral float id (`17850.0`, as spreadsheets write numbers) is
//! the integer id. Beyond that, only a customer column that *is* an e-mail or phone column (its
//! header says so: `Email`, `E-mail`, `Phone`, `Điện thoại`, `SĐT`…, as the presets' customer
//! columns do) has its values normalised, because there the same person is written many ways:
//! - e-mail: lowercased (`Buyer@Shop.com` = `buyer@shop.com`);
//! - phone: E.164 (`+84 912 345 678` = `0912345678` = `0912.345.678` = `84912345678` =
//!   `+84912345678`) with a default country for numbers written the national way; a value with
//!   an `@` is an e-mail address (lowercased), and a value that is not a phone number (letters,
//!   too few or too many digits) stays as trimmed text, so no row is ever lost to it.
//!
//! Other id columns (CRM numbers, customer codes) are never judged by the look of their values:
//! a number that happens to have nine digits stays that number.
//!
//! The SQL rendering (`crate::sql::orders`) writes these same rules for the four engines; the
//! phone rule is kept to steps SQL can do (strip the non-digits, look at the prefix and the
//! length) for that reason.

/// How the caller wants customer ids normalised (`customerIdNormalization` in the JS API).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IdNormalization {
    /// By the customer column's header: e-mail and phone columns are normalised, others not.
    #[default]
    Auto,
    /// As written (trimmed; `17850.0` = `17850`), whatever the column.
    None,
    /// As e-mail addresses, whatever the header says.
    Email,
    /// As phone numbers, whatever the header says.
    Phone,
}

impl IdNormalization {
    /// The keywords of the rules, as callers name them.
    pub const KEYWORDS: [(&'static str, IdNormalization); 4] = [
        ("auto", IdNormalization::Auto),
        ("none", IdNormalization::None),
        ("email", IdNormalization::Email),
        ("phone", IdNormalization::Phone),
    ];

    /// `auto`, `none`, `email` (or `e-mail`) or `phone`, in any case; an empty text is `auto`.
    pub fn from_keyword(text: &str) -> Option<IdNormalization> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" => Some(IdNormalization::Auto),
            "e-mail" => Some(IdNormalization::Email),
            keyword => Self::KEYWORDS
                .iter()
                .find(|(k, _)| *k == keyword)
                .map(|&(_, rule)| rule),
        }
    }

    /// The rule for a customer column with this header.
    pub fn resolve(self, header: &str) -> CustomerIdRule {
        match self {
            IdNormalization::Auto => header_rule(header),
            IdNormalization::None => CustomerIdRule::AsWritten,
            IdNormalization::Email => CustomerIdRule::Email,
            IdNormalization::Phone => CustomerIdRule::Phone,
        }
    }
}

/// The normalisation applied to one file's customer ids.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CustomerIdRule {
    /// Trimmed, `17850.0` = `17850`.
    #[default]
    AsWritten,
    /// …and lowercased.
    Email,
    /// …and phone numbers in E.164 (see [`normalise_phone`]).
    Phone,
}

impl CustomerIdRule {
    /// The name the summary reports (`customerIdNormalization`): `none`, `email` or `phone`.
    pub fn name(self) -> &'static str {
        match self {
            CustomerIdRule::AsWritten => "none",
            CustomerIdRule::Email => "email",
            CustomerIdRule::Phone => "phone",
        }
    }
}

/// What a header names, when it names a contact: e-mail or phone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactKind {
    Email,
    Phone,
}

/// Words of a normalised header (see [`super::columns::normalise_header`]) that make it an
/// e-mail column, in English and Vietnamese.
const EMAIL_WORDS: [&str; 4] = ["email", "e mail", "mail", "thư điện tử"];
/// …and a phone column. `sđt`/`sdt` and `đtdđ` are the usual Vietnamese abbreviations;
/// exports without tone marks write `dien thoai`.
const PHONE_WORDS: [&str; 12] = [
    "phone",
    "mobile",
    "tel",
    "cell",
    "điện thoại",
    "dien thoai",
    "di động",
    "di dong",
    "sđt",
    "sdt",
    "đtdđ",
    "dtdd",
];

/// Whether a header names an e-mail or a phone column. Words match whole (`tel` is not in
/// `hotel`); `phone` also matches inside a word (`telephone`, `smartphone`). A header naming
/// both (`Email/SĐT`) is a phone column: the phone rule reads e-mail addresses too.
pub fn contact_kind(header: &str) -> Option<ContactKind> {
    let header = super::columns::normalise_header(header);
    let padded = format!(" {header} ");
    let has_word = |word: &str| padded.contains(&format!(" {word} "));
    if PHONE_WORDS.iter().any(|w| has_word(w)) || header.contains("phone") {
        Some(ContactKind::Phone)
    } else if EMAIL_WORDS.iter().any(|w| has_word(w)) || header.contains("email") {
        Some(ContactKind::Email)
    } else {
        None
    }
}

/// The rule `auto` picks for a customer column with this header.
pub fn header_rule(header: &str) -> CustomerIdRule {
    match contact_kind(header) {
        Some(ContactKind::Email) => CustomerIdRule::Email,
        Some(ContactKind::Phone) => CustomerIdRule::Phone,
        None => CustomerIdRule::AsWritten,
    }
}

/// A country's telephone numbering, as far as turning a national number into E.164 needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhoneCountry {
    /// ISO 3166-1 alpha-2 (`VN`).
    pub code: &'static str,
    /// The country calling code, digits only (`84`).
    pub calling_code: &'static str,
    /// The national (trunk) prefix dialled before a national number (`0`), or empty.
    pub trunk_prefix: &'static str,
    /// Digits of a national significant number (without the trunk prefix): fixed lines and
    /// mobiles, from libphonenumber's metadata.
    pub min_digits: usize,
    pub max_digits: usize,
}

/// The countries `phoneCountry` can name: Vietnam, its neighbours and the stores' usual markets.
/// Kept small on purpose: the full numbering plans of the world would weigh more than the rest
/// of the engine.
pub const PHONE_COUNTRIES: [PhoneCountry; 21] = [
    country("VN", "84", "0", 9, 10),
    country("KH", "855", "0", 8, 9),
    country("LA", "856", "0", 8, 10),
    country("TH", "66", "0", 8, 9),
    country("MY", "60", "0", 8, 10),
    country("SG", "65", "", 8, 8),
    country("ID", "62", "0", 7, 12),
    country("PH", "63", "0", 6, 10),
    country("CN", "86", "0", 7, 11),
    country("HK", "852", "", 8, 8),
    country("TW", "886", "0", 8, 9),
    country("JP", "81", "0", 9, 10),
    country("KR", "82", "0", 5, 10),
    country("IN", "91", "0", 10, 10),
    country("AU", "61", "0", 9, 9),
    country("NZ", "64", "0", 8, 10),
    country("US", "1", "1", 10, 10),
    country("CA", "1", "1", 10, 10),
    country("GB", "44", "0", 9, 10),
    country("FR", "33", "0", 9, 9),
    country("DE", "49", "0", 5, 15),
];

const fn country(
    code: &'static str,
    calling_code: &'static str,
    trunk_prefix: &'static str,
    min_digits: usize,
    max_digits: usize,
) -> PhoneCountry {
    PhoneCountry {
        code,
        calling_code,
        trunk_prefix,
        min_digits,
        max_digits,
    }
}

/// Vietnam, the default country of phone numbers written the national way.
pub const DEFAULT_PHONE_COUNTRY: PhoneCountry = PHONE_COUNTRIES[0];

/// Digits of an international number after its `+` (E.164 allows at most 15; the shortest in
/// use have 7).
pub const INTERNATIONAL_DIGITS: std::ops::RangeInclusive<usize> = 7..=15;

impl Default for PhoneCountry {
    fn default() -> PhoneCountry {
        DEFAULT_PHONE_COUNTRY
    }
}

impl PhoneCountry {
    /// The country with this ISO code (any case, blanks around ignored).
    pub fn from_code(code: &str) -> Option<PhoneCountry> {
        let wanted = code.trim().to_ascii_uppercase();
        PHONE_COUNTRIES.iter().find(|c| c.code == wanted).copied()
    }

    /// The ISO codes of the countries known, for a message listing them.
    pub fn codes() -> impl Iterator<Item = &'static str> {
        PHONE_COUNTRIES.iter().map(|c| c.code)
    }
}

/// A customer id under `rule`: `text` itself when nothing changes (the common case, without a
/// copy), else the normalised id written into `scratch`.
pub fn normalise_id<'a>(
    rule: CustomerIdRule,
    country: &PhoneCountry,
    text: &'a str,
    scratch: &'a mut String,
) -> &'a str {
    let text = super::orders::normalise_customer_id(text);
    match rule {
        CustomerIdRule::AsWritten => text,
        CustomerIdRule::Email => lowercase(text, scratch),
        // A phone number has no `@`: only a text that is not one needs looking for it.
        CustomerIdRule::Phone => {
            if normalise_phone(text, country, scratch) {
                scratch
            } else if text.contains('@') {
                lowercase(text, scratch)
            } else {
                text
            }
        }
    }
}

/// `text` lowercased; no copy when it has no capital letter.
fn lowercase<'a>(text: &'a str, scratch: &'a mut String) -> &'a str {
    if text.is_ascii() && !text.bytes().any(|b| b.is_ascii_uppercase()) {
        return text;
    }
    scratch.clear();
    scratch.extend(text.chars().flat_map(char::to_lowercase));
    scratch
}

/// Whether `text` is a phone number in E.164 (`+84912345678`), the form phone ids take. CSV
/// exports write it without the `'` they put before other text starting with `+`: a spreadsheet
/// reads it as a number, which runs nothing, and SMS tools want the number itself.
pub fn is_e164(text: &str) -> bool {
    text.strip_prefix('+').is_some_and(|digits| {
        INTERNATIONAL_DIGITS.contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Writes the E.164 form of a phone number into `out` and returns true; false when `text` is
/// not a phone number. The steps, in order (the SQL repeats them):
/// 1. only digits and the separators ` ().-/` may follow an optional leading `+`; a trunk prefix
///    written in brackets, `(0)`, is dropped (`+44 (0)20 …` is `+44 20 …`);
/// 2. `+` then 7–15 digits: those digits (`+84 912 345 678` → `+84912345678`);
/// 3. `00` then 7–15 digits: the international call prefix (`0084…` → `+84…`);
/// 4. the country's trunk prefix then a national number: the calling code replaces the prefix
///    (`0912345678` → `+84912345678`);
/// 5. the calling code then a national number (`84912345678` → `+84912345678`);
/// 6. a national number alone, as spreadsheets leave it after dropping the leading zero
///    (`912345678` → `+84912345678`).
///
/// A national number has as many digits as the country's fixed lines or mobiles; the lengths
/// keep step 5 from reading a national number that starts with the calling code (Vietnam's
/// `084…` mobiles) as international.
pub fn normalise_phone(text: &str, country: &PhoneCountry, out: &mut String) -> bool {
    let (plus, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    // No step takes more than 17 digits (`00` and 15): a longer number is not one.
    let mut digits = [0u8; 17];
    let mut count = 0;
    let without_bracketed_zero = match rest.contains("(0)") {
        true => std::borrow::Cow::Owned(rest.replace("(0)", "")),
        false => std::borrow::Cow::Borrowed(rest),
    };
    for &byte in without_bracketed_zero.as_bytes() {
        if byte.is_ascii_digit() {
            let Some(slot) = digits.get_mut(count) else {
                return false;
            };
            *slot = byte;
            count += 1;
        } else if !matches!(byte, b' ' | b'(' | b')' | b'.' | b'-' | b'/') {
            return false;
        }
    }
    let digits = std::str::from_utf8(&digits[..count]).expect("ASCII digits");
    let national = |len: usize| (country.min_digits..=country.max_digits).contains(&len);
    let trunk = country.trunk_prefix;
    let (skip, calling_code) = if plus {
        if !INTERNATIONAL_DIGITS.contains(&count) {
            return false;
        }
        (0, "")
    } else if digits.starts_with("00") && INTERNATIONAL_DIGITS.contains(&(count - 2)) {
        (2, "")
    } else if !trunk.is_empty() && digits.starts_with(trunk) && national(count - trunk.len()) {
        (trunk.len(), country.calling_code)
    } else if digits.starts_with(country.calling_code)
        && national(count - country.calling_code.len())
    {
        (0, "")
    } else if national(count) {
        (0, country.calling_code)
    } else {
        return false;
    };
    out.clear();
    out.push('+');
    out.push_str(calling_code);
    out.push_str(&digits[skip..]);
    true
}

/// A customer column left empty on most rows — point-of-sale exports leave the customer code of
/// walk-in sales empty and keep the buyer's phone in a column of its own — and the e-mail or
/// phone column that identifies more of the same rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerFallback {
    /// The e-mail or phone column to read customers from instead.
    pub column: usize,
    /// Of `rows` sampled rows, how many leave the detected customer column empty, and how many
    /// fill `column`.
    pub empty: usize,
    pub filled: usize,
    pub rows: usize,
}

/// The column to identify customers by when the detected `customer` column is empty on at least
/// half the `sample` rows and an e-mail or phone column (by its header, not taken by another
/// role) is filled on more of them than `customer` is; the most filled one (the first on a tie).
/// Decided from the rows sampled to decide how the file is read (up to 5,000 in its first
/// megabyte), like the decimal separator, so a file reads the same whole and streamed.
pub fn customer_fallback(
    headers: &[String],
    map: &super::columns::ColumnMap,
    customer: usize,
    sample: &[Vec<String>],
) -> Option<CustomerFallback> {
    let filled = |column: usize| {
        sample
            .iter()
            .filter(|row| row.get(column).is_some_and(|v| !v.trim().is_empty()))
            .count()
    };
    let rows = sample.len();
    let empty = rows - filled(customer);
    if rows == 0 || empty * 2 < rows {
        return None;
    }
    let taken = |column: usize| {
        super::columns::Role::ALL
            .iter()
            .any(|&r| map.column(r) == Some(column))
    };
    let (column, most) = (0..headers.len())
        .filter(|&c| c != customer && !taken(c) && contact_kind(&headers[c]).is_some())
        .map(|c| (c, filled(c)))
        .fold(None, |best: Option<(usize, usize)>, (c, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((c, n)),
        })?;
    (most > rows - empty).then_some(CustomerFallback {
        column,
        empty,
        filled: most,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(text: &str, country: &str) -> Option<String> {
        let mut out = String::new();
        normalise_phone(text, &PhoneCountry::from_code(country).unwrap(), &mut out).then_some(out)
    }

    fn id(rule: CustomerIdRule, text: &str) -> String {
        let mut scratch = String::new();
        normalise_id(rule, &DEFAULT_PHONE_COUNTRY, text, &mut scratch).to_string()
    }

    /// Expected values agree with libphonenumber (Python `phonenumbers` 9.0, `parse(text,
    /// region)` then `format_number(…, E164)`) for every number it reads.
    #[test]
    fn phone_numbers_become_e164() {
        let cases = [
            ("+84 912 345 678", "VN", Some("+84912345678")),
            ("0912345678", "VN", Some("+84912345678")),
            ("0912.345.678", "VN", Some("+84912345678")),
            ("84912345678", "VN", Some("+84912345678")),
            ("912345678", "VN", Some("+84912345678")),
            ("(028) 3822 1234", "VN", Some("+842838221234")),
            ("0084 912-345-678", "VN", Some("+84912345678")),
            // A mobile whose national number starts with the calling code.
            ("0841234567", "VN", Some("+84841234567")),
            ("841234567", "VN", Some("+84841234567")),
            ("+1 (415) 555-0100", "VN", Some("+14155550100")),
            ("(415) 555-0100", "US", Some("+14155550100")),
            ("1-415-555-0100", "US", Some("+14155550100")),
            ("020 7946 0018", "GB", Some("+442079460018")),
            ("+44 (0)20 7946 0018", "VN", Some("+442079460018")),
            ("(0)20 7946 0018", "GB", Some("+442079460018")),
            ("9123 4567", "SG", Some("+6591234567")),
            // Not phone numbers: kept as written.
            ("", "VN", None),
            ("+", "VN", None),
            ("khách lẻ", "VN", None),
            ("0912 345 678 ext 2", "VN", None),
            ("09123", "VN", None),
            ("091234567890123", "VN", None),
            ("+12345", "VN", None),
            ("+1234567890123456", "VN", None),
            ("0912+345678", "VN", None),
            ("---", "VN", None),
        ];
        for (text, country, expected) in cases {
            assert_eq!(
                phone(text, country).as_deref(),
                expected,
                "{text} in {country}"
            );
        }
    }

    #[test]
    fn ids_under_each_rule() {
        use CustomerIdRule::*;
        let cases = [
            (AsWritten, " Buyer@Shop.com ", "Buyer@Shop.com"),
            (AsWritten, "0912345678", "0912345678"),
            (AsWritten, "17850.0", "17850"),
            (Email, " Buyer@Shop.com ", "buyer@shop.com"),
            (Email, "ĐỨC@shop.vn", "đức@shop.vn"),
            (Email, "17850.0", "17850"),
            (Phone, " +84 912 345 678 ", "+84912345678"),
            (Phone, "84912345678.0", "+84912345678"),
            (Phone, "Buyer@Shop.com", "buyer@shop.com"),
            (Phone, " Khách Lẻ ", "Khách Lẻ"),
        ];
        for (rule, text, expected) in cases {
            assert_eq!(id(rule, text), expected, "{rule:?} {text:?}");
        }
    }

    /// Property: over random ids made of the characters phones and e-mails are written with,
    /// every rule in every country gives a non-empty id that it maps to itself, so an export read
    /// back names the same customers; and a phone id is E.164 or the text as written.
    #[test]
    fn normalised_ids_are_fixed_points() {
        const ALPHABET: &[char] = &[
            '0', '0', '1', '4', '6', '8', '9', '5', ' ', '.', '-', '(', ')', '/', '+', '@', 'a',
            'B', 'Đ', '\u{a0}',
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let rules = [
            CustomerIdRule::AsWritten,
            CustomerIdRule::Email,
            CustomerIdRule::Phone,
        ];
        for _ in 0..20_000 {
            let length = 1 + next(18);
            let text: String = (0..length)
                .map(|_| ALPHABET[next(ALPHABET.len())])
                .collect();
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let rule = rules[next(rules.len())];
            let country = &PHONE_COUNTRIES[next(PHONE_COUNTRIES.len())];
            let (mut first, mut second) = (String::new(), String::new());
            let id = normalise_id(rule, country, text, &mut first).to_string();
            assert!(!id.is_empty(), "{text:?}");
            assert_eq!(
                normalise_id(rule, country, &id, &mut second),
                id,
                "{rule:?} {} {text:?}",
                country.code
            );
            if rule == CustomerIdRule::Phone && !text.contains('@') {
                let as_written = super::super::orders::normalise_customer_id(text);
                assert!(is_e164(&id) || id == as_written, "{text:?} → {id:?}");
            }
        }
    }

    #[test]
    fn headers_that_name_a_contact() {
        let cases = [
            ("Email", Some(ContactKind::Email)),
            ("E-mail", Some(ContactKind::Email)),
            ("Customer Email", Some(ContactKind::Email)),
            ("Email (Billing)", Some(ContactKind::Email)),
            ("Billing Email Address", Some(ContactKind::Email)),
            ("Phone", Some(ContactKind::Phone)),
            ("Billing Phone", Some(ContactKind::Phone)),
            ("Telephone", Some(ContactKind::Phone)),
            ("Tel.", Some(ContactKind::Phone)),
            ("Mobile number", Some(ContactKind::Phone)),
            ("Điện thoại", Some(ContactKind::Phone)),
            ("Số điện thoại", Some(ContactKind::Phone)),
            ("SĐT", Some(ContactKind::Phone)),
            ("SDT khach hang", Some(ContactKind::Phone)),
            ("Email/SĐT", Some(ContactKind::Phone)),
            ("CustomerID", None),
            ("Customer User ID", None),
            ("Mã khách hàng", None),
            ("Hotel", None),
            ("Khách hàng", None),
        ];
        for (header, expected) in cases {
            assert_eq!(contact_kind(header), expected, "{header}");
        }
    }

    #[test]
    fn keywords_and_country_codes_are_read_in_any_case() {
        assert_eq!(PhoneCountry::from_code(" us ").unwrap().calling_code, "1");
        assert_eq!(PhoneCountry::from_code("Vietnam"), None);
        assert!(PhoneCountry::codes().any(|c| c == "VN"));
        assert_eq!(
            IdNormalization::from_keyword("NONE"),
            Some(IdNormalization::None)
        );
        assert_eq!(
            IdNormalization::from_keyword(" E-mail "),
            Some(IdNormalization::Email)
        );
        assert_eq!(IdNormalization::from_keyword("lower"), None);
    }
}
