//! [`Role`]: what a column of an export means to the analyses (customer, date, amount, …, an
//! order attribute, a product), and its name in the API. Finding roles from headers is
//! ingestion's (`ingest::columns`); the book and the analyses only name them.

use serde::Serialize;

/// What a column means to the analyses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    Customer,
    Order,
    Date,
    Amount,
    Quantity,
    UnitPrice,
    Status,
    Country,
    /// Region, province, state or city.
    Region,
    /// Sales channel or order source.
    Channel,
    PaymentMethod,
    DiscountCode,
    Tags,
    /// Store, branch, location or sales person: where (or by whom) the sale was made.
    Location,
    /// The product of a line: its SKU or code. Read per line (see [`crate::lines`]).
    ProductId,
    /// The product's name; the product's id too when the file has no id column.
    ProductName,
    /// The product's category, type or vendor.
    Category,
}

impl Role {
    pub const ALL: [Role; 17] = [
        Role::Customer,
        Role::Order,
        Role::Date,
        Role::Amount,
        Role::Quantity,
        Role::UnitPrice,
        Role::Status,
        Role::Country,
        Role::Region,
        Role::Channel,
        Role::PaymentMethod,
        Role::DiscountCode,
        Role::Tags,
        Role::Location,
        Role::ProductId,
        Role::ProductName,
        Role::Category,
    ];

    /// The roles of a line's product: a file with a column for either of the first two keeps
    /// its lines.
    pub const PRODUCT: [Role; 3] = [Role::ProductId, Role::ProductName, Role::Category];

    /// The roles kept as order attributes (see [`crate::book::Attribute`]): the analyses do not
    /// read them, filters and comparisons do.
    pub const ATTRIBUTES: [Role; 7] = [
        Role::Country,
        Role::Region,
        Role::Channel,
        Role::PaymentMethod,
        Role::DiscountCode,
        Role::Tags,
        Role::Location,
    ];

    pub fn is_attribute(self) -> bool {
        Role::ATTRIBUTES.contains(&self)
    }

    /// The role's name: the key a caller maps a column to (`columns: { unitPrice: … }`), and
    /// how reports and filters name it.
    pub fn name(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Order => "order",
            Role::Date => "date",
            Role::Amount => "amount",
            Role::Quantity => "quantity",
            Role::UnitPrice => "unitPrice",
            Role::Status => "status",
            Role::Country => "country",
            Role::Region => "region",
            Role::Channel => "channel",
            Role::PaymentMethod => "paymentMethod",
            Role::DiscountCode => "discountCode",
            Role::Tags => "tags",
            Role::Location => "location",
            Role::ProductId => "productId",
            Role::ProductName => "productName",
            Role::Category => "category",
        }
    }

    /// The role called `name`.
    pub fn named(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.name() == name)
    }
}
