//! Column roles: which header holds the customer, the order id, the date, the amount…, found from
//! header names (English and Vietnamese), from a preset for a known export, or set by the caller.
//! [`RoleMap`] is the one role → column map: the names a caller chose, the names the report and
//! the SQL use, the indices rows are read by.

use super::notes::shorten;
use crate::message::{Code, Message};
pub use crate::role::Role;
use serde::Serialize;

/// Header names that mean `role`, normalised (see [`normalise_header`]), best first.
/// Used for exact matches; the first few are also tried as "contains" matches.
fn synonyms(role: Role) -> &'static [&'static str] {
    match role {
        Role::Customer => &[
            "customer id",
            "customerid",
            "customer",
            "customer email",
            "email",
            "customer user id",
            "billing email address",
            "email billing",
            "client id",
            "user id",
            "buyer",
            "mã khách hàng",
            "mã kh",
            "khách hàng",
            "email khách hàng",
            "id khách hàng",
            "số điện thoại",
            "điện thoại",
            "sđt",
            "sđt khách hàng",
            "điện thoại khách hàng",
            "phone",
        ],
        Role::Order => &[
            "order id",
            "invoiceno",
            "invoice no",
            "invoice",
            "invoice id",
            "invoice number",
            "order",
            "order number",
            "order no",
            "transaction id",
            "mã đơn hàng",
            "mã đơn",
            "đơn hàng",
            "số đơn hàng",
            "số hóa đơn",
            "mã hóa đơn",
            "mã đặt hàng",
        ],
        Role::Date => &[
            "order date",
            "invoicedate",
            "invoice date",
            "date",
            "created at",
            "created",
            "purchase date",
            "transaction date",
            "paid at",
            "ngày đặt",
            "ngày đặt hàng",
            "ngày tạo",
            "ngày tạo đơn",
            "thời gian tạo",
            "ngày mua",
            "ngày",
            "thời gian",
            "thời gian đặt hàng",
        ],
        Role::Amount => &[
            "amount",
            "total",
            "order total",
            "order total amount",
            "total amount",
            "grand total",
            "revenue",
            "sales",
            "value",
            "tổng tiền",
            "thành tiền",
            "tổng cộng",
            "tổng thanh toán",
            "doanh thu",
            "giá trị đơn hàng",
            "khách cần trả",
            "khách phải trả",
        ],
        Role::Quantity => &[
            "quantity",
            "qty",
            "lineitem quantity",
            "units",
            "số lượng",
            "sl",
        ],
        Role::UnitPrice => &[
            "unitprice",
            "unit price",
            "price",
            "lineitem price",
            "item price",
            "đơn giá",
            "giá",
            "giá bán",
        ],
        Role::Status => &[
            "status",
            "order status",
            "financial status",
            "payment status",
            "trạng thái",
            "trạng thái đơn hàng",
            "trạng thái thanh toán",
        ],
        Role::Country => &[
            "country",
            "billing country",
            "shipping country",
            "country code",
            "quốc gia",
        ],
        Role::Region => &[
            "region",
            "province",
            "state",
            "city",
            "billing province",
            "shipping province",
            "billing city",
            "shipping city",
            "tỉnh thành",
            "tỉnh thành phố",
            "tỉnh",
            "thành phố",
            "khu vực",
            "quận huyện",
        ],
        Role::Channel => &[
            "channel",
            "source",
            "source name",
            "sales channel",
            "order source",
            "created via",
            "kênh",
            "kênh bán hàng",
            "kênh bán",
            "nguồn",
            "nguồn đơn hàng",
            "nguồn đơn",
        ],
        Role::PaymentMethod => &[
            "payment method",
            "payment method title",
            "payment gateway",
            "payment type",
            "phương thức thanh toán",
            "hình thức thanh toán",
            "phương thức tt",
            "hình thức tt",
        ],
        Role::DiscountCode => &[
            "discount code",
            "discount codes",
            "coupon",
            "coupon code",
            "coupons",
            "voucher",
            "promo code",
            "mã giảm giá",
            "mã khuyến mãi",
            "mã khuyến mại",
            "mã voucher",
        ],
        Role::Tags => &["tags", "tag", "order tags", "nhãn", "thẻ", "tag đơn hàng"],
        Role::Location => &[
            "location",
            "store",
            "branch",
            "sales person",
            "salesperson",
            "staff",
            "seller",
            "chi nhánh",
            "cửa hàng",
            "nhân viên bán hàng",
            "nhân viên",
            "người bán",
        ],
        Role::ProductId => &[
            "stockcode",
            "stock code",
            "sku",
            "lineitem sku",
            "product id",
            "product sku",
            "product code",
            "item sku",
            "item code",
            "variant sku",
            "mã sản phẩm",
            "mã sku",
            "mã sp",
            "mã hàng",
            "mã hàng hóa",
            "mã hàng hoá",
        ],
        Role::ProductName => &[
            "description",
            "product name",
            "product",
            "lineitem name",
            "item name",
            "product title",
            "item",
            "tên sản phẩm",
            "tên sp",
            "tên hàng",
            "tên hàng hóa",
            "tên hàng hoá",
            "sản phẩm",
        ],
        Role::Category => &[
            "category",
            "product category",
            "product categories",
            "product type",
            "vendor",
            "lineitem vendor",
            "danh mục",
            "danh mục sản phẩm",
            "loại sản phẩm",
            "nhóm hàng",
            "nhóm sản phẩm",
            "ngành hàng",
            "nhà cung cấp",
        ],
    }
}

/// Whether a header *containing* one of the leading synonyms may take `role`.
fn contains_synonyms(role: Role) -> &'static [&'static str] {
    match role {
        Role::Customer => &["customer id", "mã khách hàng", "email"],
        Role::Order => &["order id", "invoice", "mã đơn hàng"],
        Role::Date => &["date", "ngày"],
        Role::Amount => &["total", "amount", "tổng tiền", "thành tiền"],
        Role::Quantity => &["quantity", "số lượng"],
        Role::UnitPrice => &["unit price", "đơn giá"],
        Role::Status => &["status", "trạng thái"],
        Role::Country => &["country", "quốc gia"],
        Role::Region => &["province", "tỉnh"],
        Role::Channel => &["channel", "kênh"],
        Role::PaymentMethod => &["payment method", "phương thức thanh toán"],
        Role::DiscountCode => &["discount code", "coupon", "mã giảm giá"],
        Role::Tags => &[],
        Role::Location => &["chi nhánh"],
        Role::ProductId => &["sku", "mã sản phẩm"],
        Role::ProductName => &["tên sản phẩm"],
        Role::Category => &[],
    }
}

/// One value per column role, for the roles that have one — the single role → column map of the
/// crate: the header names a caller chose ([`ColumnNames`]; an empty name says "this file has no
/// such column"), the column names of a warehouse table (SQL), the columns a file was read with
/// (the report), and their indices in the file ([`ColumnMap`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleMap<T> {
    slots: [Option<T>; Role::ALL.len()],
}

/// Column names by role.
pub type ColumnNames = RoleMap<String>;

/// The column index of each role in a file's rows, or `None` when the file has no such column.
pub type ColumnMap = RoleMap<usize>;

impl<T> Default for RoleMap<T> {
    fn default() -> RoleMap<T> {
        RoleMap {
            slots: std::array::from_fn(|_| None),
        }
    }
}

impl<T> RoleMap<T> {
    pub fn get(&self, role: Role) -> Option<&T> {
        self.slots[role as usize].as_ref()
    }

    pub fn set(&mut self, role: Role, value: Option<T>) {
        self.slots[role as usize] = value;
    }

    pub fn insert(&mut self, role: Role, value: impl Into<T>) {
        self.set(role, Some(value.into()));
    }

    /// The roles that have a value and their values, in [`Role::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Role, &T)> {
        Role::ALL
            .into_iter()
            .filter_map(|role| self.get(role).map(|value| (role, value)))
    }
}

impl RoleMap<usize> {
    /// The column index of `role`.
    pub fn column(&self, role: Role) -> Option<usize> {
        self.get(role).copied()
    }
}

impl RoleMap<String> {
    /// The column name of `role`.
    pub fn name(&self, role: Role) -> Option<&str> {
        self.get(role).map(String::as_str)
    }
}

impl<T, V: Into<T>> FromIterator<(Role, V)> for RoleMap<T> {
    fn from_iter<I: IntoIterator<Item = (Role, V)>>(pairs: I) -> RoleMap<T> {
        let mut map = RoleMap::default();
        for (role, value) in pairs {
            map.insert(role, value);
        }
        map
    }
}

/// Serializes as `[[role, value], …]` (`columns: [['customer', 'CustomerID'], …]` in the
/// summary), roles named as the JS API names them.
impl<T: Serialize> Serialize for RoleMap<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(|(role, value)| (role.name(), value)))
    }
}

/// Lower-cases a header and turns runs of anything but letters and digits into one space, so
/// `Customer_ID`, `customer id` and ` Customer-Id ` compare equal.
pub fn normalise_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut pending_space = false;
    for ch in header.trim_start_matches('\u{feff}').chars() {
        if ch.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(ch.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// A known export format: its column names (candidates, first present wins) and its rules.
#[derive(Debug)]
pub struct Preset {
    pub name: &'static str,
    pub columns: &'static [(Role, &'static [&'static str])],
    /// The file has no header row; columns are taken by position (CDNOW).
    pub headerless: bool,
    /// Fields are separated by runs of spaces rather than one delimiter (CDNOW).
    pub whitespace_separated: bool,
    /// Order ids starting with this mark a return record (UCI Online Retail: `C536379`).
    pub return_prefix: Option<&'static str>,
    /// The amount column holds the order total, repeated or only on the first line of the order
    /// (Shopify, Haravan, WooCommerce line-item exports): take it once per order, never sum it.
    pub amount_per_order: bool,
    /// Columns whose non-empty value marks the order as cancelled (Shopify's `Cancelled at`).
    pub cancelled_when_present: &'static [&'static str],
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "online-retail",
        columns: &[
            (Role::Customer, &["CustomerID", "Customer ID"]),
            (Role::Order, &["InvoiceNo", "Invoice"]),
            (Role::Date, &["InvoiceDate"]),
            (Role::Quantity, &["Quantity"]),
            (Role::UnitPrice, &["UnitPrice", "Price"]),
            (Role::Country, &["Country"]),
            (Role::ProductId, &["StockCode"]),
            (Role::ProductName, &["Description"]),
        ],
        headerless: false,
        whitespace_separated: false,
        return_prefix: Some("C"),
        amount_per_order: false,
        cancelled_when_present: &[],
    },
    Preset {
        name: "shopify",
        columns: &[
            (Role::Customer, &["Email", "Customer ID"]),
            (Role::Order, &["Name", "Id"]),
            (Role::Date, &["Created at", "Paid at"]),
            (Role::Amount, &["Total"]),
            (Role::Quantity, &["Lineitem quantity"]),
            (Role::UnitPrice, &["Lineitem price"]),
            (Role::Status, &["Financial Status"]),
            (Role::Country, &["Billing Country", "Shipping Country"]),
            (Role::Region, &["Billing Province", "Shipping Province"]),
            (Role::Channel, &["Source"]),
            (Role::PaymentMethod, &["Payment Method"]),
            (Role::DiscountCode, &["Discount Code"]),
            (Role::Tags, &["Tags"]),
            (Role::Location, &["Location"]),
            (Role::ProductId, &["Lineitem sku"]),
            (Role::ProductName, &["Lineitem name"]),
            (Role::Category, &["Vendor", "Lineitem vendor"]),
        ],
        headerless: false,
        whitespace_separated: false,
        return_prefix: None,
        amount_per_order: true,
        cancelled_when_present: &["Cancelled at"],
    },
    Preset {
        name: "haravan",
        columns: &[
            (
                Role::Customer,
                &["Email", "Điện thoại", "Số điện thoại", "Mã khách hàng"],
            ),
            (Role::Order, &["Mã đơn hàng", "Name", "Mã đơn"]),
            (
                Role::Date,
                &["Ngày đặt hàng", "Ngày tạo", "Ngày đặt", "Created at"],
            ),
            (Role::Amount, &["Tổng tiền", "Tổng cộng", "Total"]),
            (Role::Quantity, &["Số lượng", "Lineitem quantity"]),
            (Role::UnitPrice, &["Đơn giá", "Giá", "Lineitem price"]),
            (
                Role::Status,
                &[
                    "Trạng thái đơn hàng",
                    "Trạng thái thanh toán",
                    "Financial Status",
                ],
            ),
            (Role::Country, &["Quốc gia", "Billing Country"]),
            (
                Role::Region,
                &["Tỉnh/Thành phố", "Tỉnh thành", "Billing Province"],
            ),
            (
                Role::Channel,
                &["Kênh bán hàng", "Nguồn", "Nguồn đơn hàng", "Source"],
            ),
            (
                Role::PaymentMethod,
                &["Phương thức thanh toán", "Payment Method"],
            ),
            (Role::DiscountCode, &["Mã giảm giá", "Discount Code"]),
            (Role::Tags, &["Tags", "Nhãn"]),
            (Role::Location, &["Chi nhánh", "Location"]),
            (
                Role::ProductId,
                &["Mã SKU", "SKU", "Mã sản phẩm", "Lineitem sku"],
            ),
            (Role::ProductName, &["Tên sản phẩm", "Lineitem name"]),
            (Role::Category, &["Loại sản phẩm", "Nhà cung cấp", "Vendor"]),
        ],
        headerless: false,
        whitespace_separated: false,
        return_prefix: None,
        amount_per_order: true,
        cancelled_when_present: &["Ngày hủy", "Cancelled at"],
    },
    // Sapo (Sapo Omnichannel / Sapo Web) orders export: one line per item, the order's fields
    // (`Khách phải trả`, the total after discounts and shipping) repeated on each. Customers are
    // the platform's customer code, their phone for walk-in sales without one (see
    // `customer_fallback`).
    Preset {
        name: "sapo",
        columns: &[
            (
                Role::Customer,
                &[
                    "Mã khách hàng",
                    "Số điện thoại",
                    "SĐT khách hàng",
                    "Điện thoại",
                    "Email",
                ],
            ),
            (Role::Order, &["Mã đơn hàng", "Mã đơn"]),
            (
                Role::Date,
                &["Ngày tạo đơn", "Ngày tạo", "Ngày đặt hàng", "Thời gian tạo"],
            ),
            (
                Role::Amount,
                &[
                    "Khách phải trả",
                    "Tổng tiền",
                    "Tổng tiền đơn hàng",
                    "Tổng cộng",
                ],
            ),
            (Role::Quantity, &["Số lượng"]),
            (Role::UnitPrice, &["Đơn giá", "Giá bán"]),
            (Role::Status, &["Trạng thái đơn hàng", "Trạng thái"]),
            (Role::Region, &["Khu vực", "Tỉnh/Thành phố", "Tỉnh thành"]),
            (
                Role::Channel,
                &["Nguồn đơn hàng", "Nguồn đơn", "Kênh bán hàng"],
            ),
            (
                Role::PaymentMethod,
                &["Phương thức thanh toán", "Hình thức thanh toán"],
            ),
            (Role::DiscountCode, &["Mã giảm giá", "Mã khuyến mãi"]),
            (Role::Tags, &["Tags", "Nhãn"]),
            (Role::Location, &["Chi nhánh", "Nhân viên bán hàng"]),
            (Role::ProductId, &["Mã SKU", "SKU", "Mã sản phẩm"]),
            (Role::ProductName, &["Tên sản phẩm"]),
            (Role::Category, &["Loại sản phẩm", "Nhãn hiệu"]),
        ],
        headerless: false,
        whitespace_separated: false,
        return_prefix: None,
        amount_per_order: true,
        cancelled_when_present: &["Ngày hủy"],
    },
    // KiotViet invoices (`Mã hóa đơn`) or orders (`Mã đặt hàng`) export: `Khách cần trả` is what
    // the customer pays for the invoice, repeated on each item line of the detailed export.
    // Walk-in sales (`Khách lẻ`) have no customer code and are read by phone when most rows lack
    // one.
    Preset {
        name: "kiotviet",
        columns: &[
            (
                Role::Customer,
                &["Mã khách hàng", "Điện thoại", "Số điện thoại"],
            ),
            (Role::Order, &["Mã hóa đơn", "Mã đặt hàng"]),
            (Role::Date, &["Thời gian", "Thời gian tạo", "Ngày tạo"]),
            (
                Role::Amount,
                &["Khách cần trả", "Tổng tiền hàng", "Tổng tiền"],
            ),
            (Role::Quantity, &["Số lượng"]),
            (Role::UnitPrice, &["Đơn giá", "Giá bán"]),
            (Role::Status, &["Trạng thái"]),
            (Role::Region, &["Khu vực", "Tỉnh/Thành phố"]),
            (Role::Channel, &["Kênh bán"]),
            (Role::PaymentMethod, &["Phương thức thanh toán"]),
            (Role::DiscountCode, &["Mã khuyến mãi", "Mã giảm giá"]),
            (Role::Location, &["Chi nhánh", "Người bán"]),
            (Role::ProductId, &["Mã hàng"]),
            (Role::ProductName, &["Tên hàng"]),
            (Role::Category, &["Nhóm hàng"]),
        ],
        headerless: false,
        whitespace_separated: false,
        return_prefix: None,
        amount_per_order: true,
        cancelled_when_present: &[],
    },
    Preset {
        name: "woocommerce",
        columns: &[
            (
                Role::Customer,
                &[
                    "Billing Email Address",
                    "Email (Billing)",
                    "Customer User ID",
                    "Customer Email",
                ],
            ),
            (Role::Order, &["Order ID", "Order Number"]),
            (Role::Date, &["Order Date", "Date Created", "Paid Date"]),
            (Role::Amount, &["Order Total Amount", "Order Total"]),
            (Role::Quantity, &["Quantity", "Quantity (- Refund)"]),
            (Role::UnitPrice, &["Item Cost", "Item Price"]),
            (Role::Status, &["Order Status", "Status"]),
            (
                Role::Country,
                &["Country Code (Billing)", "Billing Country"],
            ),
            (
                Role::Region,
                &["State Code (Billing)", "Billing State", "City (Billing)"],
            ),
            (Role::Channel, &["Created Via"]),
            (
                Role::PaymentMethod,
                &["Payment Method Title", "Payment Method"],
            ),
            (Role::DiscountCode, &["Coupon Code", "Coupons", "Coupon"]),
            (Role::ProductId, &["SKU", "Product SKU", "Item SKU"]),
            (Role::ProductName, &["Item Name", "Product Name"]),
            (Role::Category, &["Category", "Product Categories"]),
        ],
        headerless: false,
        whitespace_separated: false,
        return_prefix: None,
        amount_per_order: true,
        cancelled_when_present: &[],
    },
    Preset {
        name: "cdnow",
        // Headerless: names here are the positional column names the report shows.
        columns: &[],
        headerless: true,
        whitespace_separated: true,
        return_prefix: None,
        amount_per_order: false,
        cancelled_when_present: &[],
    },
    Preset {
        name: "generic",
        columns: &[],
        headerless: false,
        whitespace_separated: false,
        return_prefix: None,
        amount_per_order: false,
        cancelled_when_present: &[],
    },
];

/// The preset called `name`, or a message listing the known ones.
pub fn preset(name: &str) -> Result<&'static Preset, Message> {
    PRESETS.iter().find(|p| p.name == name).ok_or_else(|| {
        let names = PRESETS
            .iter()
            .map(|p| p.name)
            .collect::<Vec<_>>()
            .join(", ");
        Message::new(
            Code::UNKNOWN_PRESET,
            format!("unknown preset '{name}': use one of {names}"),
        )
        .with("given", name)
        .with("choices", names)
    })
}

/// The preset whose exact columns this header has, for files loaded without one.
pub fn recognise_preset(headers: &[String]) -> &'static Preset {
    let has = |name: &str| headers.iter().any(|h| h.trim() == name);
    let name = if has("InvoiceNo") && has("StockCode") && has("CustomerID") {
        "online-retail"
    } else if has("Name") && has("Financial Status") && has("Lineitem quantity") {
        "shopify"
    } else if (has("Mã hóa đơn") || has("Mã đặt hàng")) && has("Khách cần trả") {
        "kiotviet"
    } else if has("Mã đơn hàng") && has("Khách phải trả") {
        "sapo"
    } else if has("Mã đơn hàng") && (has("Tổng tiền") || has("Tổng cộng")) {
        "haravan"
    } else if has("Order Status") && (has("Order Total Amount") || has("Order Total")) {
        "woocommerce"
    } else {
        "generic"
    };
    preset(name).expect("known preset")
}

impl ColumnMap {
    /// Finds the roles in `headers`: caller's choices first (`chosen`, trimmed; an empty name
    /// says the file has no such column), then the preset's names, then header-name synonyms;
    /// one column never takes two roles.
    pub fn detect(
        headers: &[String],
        preset: &Preset,
        chosen: &ColumnNames,
    ) -> Result<ColumnMap, Message> {
        let mut map = ColumnMap::default();
        let mut taken = vec![false; headers.len()];
        let find_exact = |name: &str| headers.iter().position(|h| h.trim() == name.trim());
        for (role, name) in chosen.iter() {
            if name.is_empty() {
                continue;
            }
            let column = chosen_column(headers, name, role.name())?;
            map.insert(role, column);
            taken[column] = true;
        }
        let settled =
            |map: &ColumnMap, role: Role| map.get(role).is_some() || chosen.get(role).is_some();
        for (role, names) in preset.columns {
            if settled(&map, *role) {
                continue;
            }
            if let Some(column) = names
                .iter()
                .find_map(|n| find_exact(n))
                .filter(|&c| !taken[c])
            {
                map.set(*role, Some(column));
                taken[column] = true;
            }
        }
        let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
        // The analyses' roles take their columns before the attributes' roles do, so that a
        // header an attribute's synonym names exactly still goes to, say, the amount it contains.
        let (attributes, core): (Vec<Role>, Vec<Role>) =
            Role::ALL.into_iter().partition(|role| role.is_attribute());
        for (roles, exact) in [
            (&core, true),
            (&core, false),
            (&attributes, true),
            (&attributes, false),
        ] {
            for &role in roles {
                if settled(&map, role) {
                    continue;
                }
                let found = if exact {
                    synonyms(role).iter().find_map(|syn| {
                        normalised
                            .iter()
                            .enumerate()
                            .position(|(i, h)| !taken[i] && h == syn)
                    })
                } else {
                    contains_synonyms(role).iter().find_map(|syn| {
                        normalised
                            .iter()
                            .enumerate()
                            .position(|(i, h)| !taken[i] && h.contains(syn))
                    })
                };
                if let Some(column) = found {
                    map.set(role, Some(column));
                    taken[column] = true;
                }
            }
        }
        Ok(map)
    }

    /// The columns kept as order attributes: the attribute roles' columns (keyed by the role's
    /// name), then the columns the caller `picked` by header (keyed by the header; a column
    /// already kept for a role is kept once).
    pub fn attribute_columns(
        &self,
        headers: &[String],
        picked: &[String],
    ) -> Result<Vec<AttributeColumn>, Message> {
        let mut columns: Vec<AttributeColumn> = Role::ATTRIBUTES
            .into_iter()
            .filter_map(|role| {
                self.column(role).map(|column| AttributeColumn {
                    key: role.name().to_string(),
                    column,
                    role: Some(role),
                })
            })
            .collect();
        for name in picked
            .iter()
            .map(|name| name.trim())
            .filter(|n| !n.is_empty())
        {
            let column = chosen_column(headers, name, "attributes")?;
            if columns.iter().any(|kept| kept.column == column) {
                continue;
            }
            let mut key = headers[column].trim().to_string();
            // A header named like a role ('country' picked beside a 'Billing Country' read as
            // the country) keeps both, the picked one under its column number.
            if columns.iter().any(|kept| kept.key == key) {
                key = format!("{key} ({})", column + 1);
            }
            columns.push(AttributeColumn {
                key,
                column,
                role: None,
            });
        }
        Ok(columns)
    }

    /// The header name of each role's column, for the report.
    pub fn names(&self, headers: &[String]) -> ColumnNames {
        self.iter()
            .map(|(role, &column)| (role, headers[column].as_str()))
            .collect()
    }
}

/// A column kept as an order attribute (see [`crate::book::Attribute`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributeColumn {
    /// The role's name, or the header of a column the caller picked.
    pub key: String,
    pub column: usize,
    pub role: Option<Role>,
}

/// The column a caller named `name` for `purpose` (a role's name, or `attributes`): the header
/// written the same, else the header that normalises the same; a message listing the columns
/// when none is.
fn chosen_column(headers: &[String], name: &str, purpose: &str) -> Result<usize, Message> {
    headers
        .iter()
        .position(|h| h.trim() == name.trim())
        .or_else(|| {
            let wanted = normalise_header(name);
            headers.iter().position(|h| normalise_header(h) == wanted)
        })
        .ok_or_else(|| {
            let (name, columns) = (shorten(name), super::builder::list_headers(headers));
            Message::new(
                Code::UNKNOWN_COLUMN,
                format!(
                    "column '{name}' chosen for {purpose} is not in the file; its columns are: \
                     {columns}"
                ),
            )
            .with("column", name)
            .with("role", purpose)
            .with("columns", columns)
        })
}

/// Status words (lower-case, matched as substrings) that say an order never happened as a sale:
/// cancelled, refunded in full, voided, failed — in the languages the presets cover. The SQL
/// renderer uses the same lists.
pub const CANCELLED_STATUS_WORDS: [&str; 15] = [
    "cancel",
    "refund",
    "void",
    "fail",
    "declined",
    "hủy",
    "huỷ",
    "hoàn tiền",
    "đã hoàn",
    "thất bại",
    // The same written without accents, as exports from older systems and typed notes do.
    "da huy",
    "huy don",
    "hoan tien",
    "da hoan",
    "that bai",
];

/// Status words that keep an order a sale even beside a cancel word ("partially refunded").
pub const KEPT_STATUS_WORDS: [&str; 3] = ["partial", "một phần", "mot phan"];

/// Whether an order status means the sale never happened (see [`CANCELLED_STATUS_WORDS`]).
pub fn status_is_cancelled(status: &str) -> bool {
    let status = status.trim().to_lowercase();
    if status.is_empty() || KEPT_STATUS_WORDS.iter().any(|word| status.contains(word)) {
        return false;
    }
    CANCELLED_STATUS_WORDS
        .iter()
        .any(|word| status.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn normalises_headers() {
        assert_eq!(normalise_header(" Customer_ID "), "customer id");
        assert_eq!(normalise_header("\u{feff}Mã Khách Hàng"), "mã khách hàng");
        assert_eq!(normalise_header("Email (Billing)"), "email billing");
    }

    #[test]
    fn detects_roles_from_english_and_vietnamese_headers() {
        type Case<'a> = (&'a [&'a str], &'a [(Role, usize)]);
        let cases: &[Case] = &[
            (
                &["Order ID", "Customer Email", "Order Date", "Total"],
                &[
                    (Role::Order, 0),
                    (Role::Customer, 1),
                    (Role::Date, 2),
                    (Role::Amount, 3),
                ],
            ),
            (
                &[
                    "Mã đơn hàng",
                    "Mã khách hàng",
                    "Ngày đặt",
                    "Tổng tiền",
                    "Trạng thái",
                ],
                &[
                    (Role::Order, 0),
                    (Role::Customer, 1),
                    (Role::Date, 2),
                    (Role::Amount, 3),
                    (Role::Status, 4),
                ],
            ),
            (
                &[
                    "invoice",
                    "customer_id",
                    "date",
                    "qty",
                    "unit_price",
                    "region",
                    "channel",
                ],
                &[
                    (Role::Order, 0),
                    (Role::Customer, 1),
                    (Role::Date, 2),
                    (Role::Quantity, 3),
                    (Role::UnitPrice, 4),
                    (Role::Region, 5),
                    (Role::Channel, 6),
                ],
            ),
        ];
        for (names, expected) in cases {
            let map = ColumnMap::detect(
                &headers(names),
                preset("generic").unwrap(),
                &ColumnNames::default(),
            )
            .unwrap();
            for &(role, column) in *expected {
                assert_eq!(map.column(role), Some(column), "{role:?} in {names:?}");
            }
        }
    }

    #[test]
    fn preset_and_overrides_win_over_synonyms() {
        let names = headers(&["Name", "Email", "Created at", "Total", "Subtotal", "Notes"]);
        let map = ColumnMap::detect(&names, preset("shopify").unwrap(), &ColumnNames::default());
        let map = map.unwrap();
        assert_eq!(map.column(Role::Order), Some(0));
        assert_eq!(map.column(Role::Amount), Some(3));
        let subtotal = [(Role::Amount, "Subtotal")].into_iter().collect();
        let map = ColumnMap::detect(&names, preset("shopify").unwrap(), &subtotal).unwrap();
        assert_eq!(map.column(Role::Amount), Some(4));
        let when = [(Role::Date, "When")].into_iter().collect();
        let err = ColumnMap::detect(&names, preset("generic").unwrap(), &when)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("'When'") && err.contains("Created at"),
            "{err}"
        );
    }

    #[test]
    fn recognises_exports() {
        let retail = headers(&["InvoiceNo", "StockCode", "Description", "CustomerID"]);
        assert_eq!(recognise_preset(&retail).name, "online-retail");
        assert_eq!(recognise_preset(&headers(&["a", "b"])).name, "generic");
    }

    #[test]
    fn cancelled_statuses() {
        for yes in [
            "cancelled",
            "Refunded",
            "voided",
            "wc-failed",
            "Đã hủy",
            "Hoàn tiền",
            "Da huy",
            "Huy don",
            "Hoan tien",
        ] {
            assert!(status_is_cancelled(yes), "{yes}");
        }
        for no in [
            "",
            "paid",
            "partially_refunded",
            "wc-completed",
            "Đã giao hàng",
            "Da giao hang",
            "Hoan tien mot phan",
            "pending",
        ] {
            assert!(!status_is_cancelled(no), "{no}");
        }
    }
}
