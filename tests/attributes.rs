//! Order attributes: columns recognised by role (English and Vietnamese headers, presets) or
//! picked by the caller, kept one code per order, an order's value its first non-empty line value.

use customer_lens::book::Codes;
use customer_lens::ingest::{IngestOptions, IngestedBook, Role, read_csv};

fn read(text: &str, options: &IngestOptions) -> IngestedBook {
    read_csv(text.as_bytes(), options).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The value of every order of attribute `key`, in order.
fn values(book: &IngestedBook, key: &str) -> Vec<String> {
    let attribute = book
        .attribute(key)
        .unwrap_or_else(|| panic!("no attribute {key}"));
    (0..book.order_count())
        .map(|o| attribute.value_of(o).to_string())
        .collect()
}

#[test]
fn english_headers_take_their_roles_and_an_order_takes_its_first_non_empty_value() {
    let csv = "\
order id,customer,date,amount,Country,Province,Sales channel,Payment method,Discount code,Tags,Store,Note
1,a,2024-01-01,5,,,web,card,,vip,Main,x
1,a,2024-01-01,5,Vietnam,Hanoi,pos,cash,SALE10,,,y
2,b,2024-01-02,7,France,Paris,web,,,,,
3,a,2024-01-03,1,Vietnam,Hanoi,,,,,,
";
    let book = read(csv, &IngestOptions::preset("generic"));
    let keys: Vec<&str> = book.attributes.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "country",
            "region",
            "channel",
            "paymentMethod",
            "discountCode",
            "tags",
            "location"
        ]
    );
    assert_eq!(values(&book, "country"), ["Vietnam", "France", "Vietnam"]);
    assert_eq!(values(&book, "region"), ["Hanoi", "Paris", "Hanoi"]);
    assert_eq!(values(&book, "channel"), ["web", "web", ""]);
    assert_eq!(values(&book, "paymentMethod"), ["card", "", ""]);
    assert_eq!(values(&book, "discountCode"), ["SALE10", "", ""]);
    assert_eq!(values(&book, "tags"), ["vip", "", ""]);
    assert_eq!(values(&book, "location"), ["Main", "", ""]);
    let country = book.attribute("country").unwrap();
    assert_eq!(country.column, "Country");
    assert_eq!(country.role, Some(Role::Country));
    // The distinct values once, "" first; a byte per order.
    assert_eq!(country.values, ["", "Vietnam", "France"]);
    assert_eq!(country.codes, Codes::U8(vec![1, 2, 1]));
    // The report names the columns by role, as for the other roles.
    let columns: Vec<(String, String)> = book
        .report
        .columns
        .iter()
        .map(|(role, name)| (role.name().to_string(), name.clone()))
        .collect();
    assert!(columns.contains(&("discountCode".into(), "Discount code".into())));
}

#[test]
fn vietnamese_headers_take_their_roles() {
    let csv = "\
Mã đơn hàng,Mã khách hàng,Ngày đặt hàng,Tổng tiền,Tỉnh/Thành phố,Kênh bán hàng,Phương thức thanh toán,Mã giảm giá,Chi nhánh
D1,K1,01/02/2024,100000,Hà Nội,Facebook,COD,GIAM10,Quận 1
D2,K2,02/02/2024,200000,TP Hồ Chí Minh,Shopee,Chuyển khoản,,Quận 3
";
    let book = read(csv, &IngestOptions::preset("generic"));
    assert_eq!(values(&book, "region"), ["Hà Nội", "TP Hồ Chí Minh"]);
    assert_eq!(values(&book, "channel"), ["Facebook", "Shopee"]);
    assert_eq!(values(&book, "paymentMethod"), ["COD", "Chuyển khoản"]);
    assert_eq!(values(&book, "discountCode"), ["GIAM10", ""]);
    assert_eq!(values(&book, "location"), ["Quận 1", "Quận 3"]);
}

#[test]
fn presets_map_their_columns() {
    let haravan = read(
        include_str!("data/haravan-orders.csv"),
        &IngestOptions::preset("haravan"),
    );
    // #1002 is cancelled: not an order.
    assert_eq!(values(&haravan, "channel"), ["Web", "Web", "POS"]);
    assert_eq!(
        values(&haravan, "location"),
        ["Chi nhánh Quận 1", "Chi nhánh Quận 3", "Chi nhánh Quận 3"]
    );
    let sapo = read(
        include_str!("data/sapo-orders.csv"),
        &IngestOptions::preset("sapo"),
    );
    assert_eq!(sapo.attribute("location").unwrap().column, "Chi nhánh");
    assert_eq!(sapo.attribute("channel").unwrap().column, "Nguồn đơn hàng");
    let kiotviet = read(
        include_str!("data/kiotviet-invoices.csv"),
        &IngestOptions::preset("kiotviet"),
    );
    assert_eq!(kiotviet.attribute("channel").unwrap().column, "Kênh bán");
    let shopify = "\
Name,Email,Financial Status,Created at,Total,Lineitem quantity,Lineitem price,Discount Code,Payment Method,Source,Billing Province,Billing Country,Tags,Location
#1,a@x.com,paid,2024-01-01 10:00:00 +0700,30,1,30,WELCOME,Shopify Payments,web,HN,VN,\"vip, new\",Shop 1
#1,a@x.com,,2024-01-01 10:00:00 +0700,,1,0,,,,,,,
";
    let shopify = read(shopify, &IngestOptions::preset("shopify"));
    for (key, value) in [
        ("discountCode", "WELCOME"),
        ("paymentMethod", "Shopify Payments"),
        ("channel", "web"),
        ("region", "HN"),
        ("country", "VN"),
        ("tags", "vip, new"),
        ("location", "Shop 1"),
    ] {
        assert_eq!(values(&shopify, key), [value], "{key}");
    }
    let woocommerce = "\
Order ID,Order Date,Order Status,Billing Email Address,Order Total Amount,Country Code (Billing),State Code (Billing),Payment Method Title,Coupon Code,Created Via
10,2024-01-01,wc-completed,a@x.com,12.5,VN,HN,Cash on delivery,SUMMER,checkout
";
    let woocommerce = read(woocommerce, &IngestOptions::preset("woocommerce"));
    for (key, value) in [
        ("country", "VN"),
        ("region", "HN"),
        ("paymentMethod", "Cash on delivery"),
        ("discountCode", "SUMMER"),
        ("channel", "checkout"),
    ] {
        assert_eq!(values(&woocommerce, key), [value], "{key}");
    }
}

#[test]
fn picked_columns_are_attributes_under_their_header() {
    let csv = "\
order,customer,date,amount,channel,Warehouse,Status
1,a,2024-01-01,5,web,North,paid
2,b,2024-01-02,7,shop,South,paid
";
    let options = IngestOptions {
        attributes: vec!["Warehouse".into(), "channel".into(), " Status ".into()],
        ..IngestOptions::preset("generic")
    };
    let book = read(csv, &options);
    let keys: Vec<&str> = book.attributes.iter().map(|a| a.key.as_str()).collect();
    // `channel` is the channel already; the status column stays the status and is kept too.
    assert_eq!(keys, ["channel", "Warehouse", "Status"]);
    assert_eq!(book.attribute("Warehouse").unwrap().role, None);
    assert_eq!(values(&book, "Warehouse"), ["North", "South"]);
    let unknown = IngestOptions {
        attributes: vec!["Shelf".into()],
        ..IngestOptions::preset("generic")
    };
    let error = read_csv(csv.as_bytes(), &unknown).unwrap_err();
    assert_eq!(error.code.as_str(), "unknown_column");
    assert!(error.message.contains("'Shelf'") && error.message.contains("Warehouse"));
}

#[test]
fn a_file_without_attribute_columns_keeps_none() {
    let book = read(
        "customer,date,amount\na,2024-01-01,5\n",
        &IngestOptions::preset("generic"),
    );
    assert!(book.attributes.is_empty());
}

#[test]
fn many_values_widen_the_codes() {
    let mut csv = String::from("order,customer,date,amount,coupon\n");
    for i in 0..70_000 {
        csv.push_str(&format!("{i},c{},2024-01-01,1,code{i}\n", i % 100));
    }
    let book = read(&csv, &IngestOptions::preset("generic"));
    let codes = &book.attribute("discountCode").unwrap().codes;
    assert!(matches!(codes, Codes::U32(_)), "{}", codes.width());
    assert_eq!(values(&book, "discountCode")[69_999], "code69999");
    assert_eq!(values(&book, "discountCode")[300], "code300");
}

#[test]
fn online_retail_keeps_the_country() {
    let book = read_csv(
        include_bytes!("data/online-retail-slice.csv"),
        &IngestOptions::preset("online-retail"),
    )
    .unwrap();
    let country = book.attribute("country").unwrap();
    assert_eq!(country.column, "Country");
    assert_eq!(country.codes.width(), 1);
    assert!(country.values.iter().any(|v| v == "United Kingdom"));
}
