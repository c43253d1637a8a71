//! Ingestion end to end: real slices, every supported file form, and the row-accounting invariant.

use customer_lens::OrderKind;
use customer_lens::day::Day;
use customer_lens::ingest::{
    DateOrder, IdNormalization, IngestOptions, IngestReport, IngestedBook, OrderBookBuilder,
    PhoneCountry, Role, read_csv, read_rows,
};

const MONEY: f64 = 0.005;

fn read(text: &str, options: &IngestOptions) -> IngestedBook {
    read_csv(text.as_bytes(), options).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn assert_accounted(report: &IngestReport) {
    assert_eq!(
        report.rows_accepted + report.rows_rejected,
        report.rows_read,
        "{report:#?}"
    );
}

/// A slice of UCI Online Retail: the first 1,500 lines, every line of customers 12346–12348 and
/// the bad-debt adjustments; the expected figures were computed independently with Python's csv
/// module (sum of Quantity × UnitPrice per InvoiceNo; `C…` or negative totals are returns).
#[test]
fn online_retail_slice_matches_independent_count() {
    let bytes = include_bytes!("data/online-retail-slice.csv");
    let book = read_csv(bytes, &IngestOptions::preset("online-retail")).unwrap();
    let r = &book.report;
    assert_accounted(r);
    assert_eq!(r.rows_read, 1718);
    assert_eq!(r.rows_rejected, 0, "{:?}", r.rejects);
    assert_eq!(r.rows_anonymous, 61);
    assert_eq!(
        (r.orders, r.purchases, r.returns, r.cancelled),
        (106, 98, 8, 0)
    );
    assert_eq!((r.customers, r.customers_with_purchase), (73, 70));
    assert!((r.revenue - 27718.08).abs() < MONEY, "{}", r.revenue);
    assert_eq!(r.first_date.as_deref(), Some("2010-12-01"));
    assert_eq!(r.last_date.as_deref(), Some("2011-12-07"));
    assert_eq!(
        (
            r.encoding.as_str(),
            r.delimiter.as_str(),
            r.date_order.as_str()
        ),
        ("UTF-8", ",", "ymd")
    );
    // 12346 bought 74,215 units for 77,183.60 and returned them the same day.
    let c = book
        .customer_ids
        .iter()
        .position(|id| id == "12346")
        .unwrap() as u32;
    let orders: Vec<(String, f64, OrderKind)> = (0..book.order_count())
        .filter(|&i| book.customer[i] == c)
        .map(|i| (Day(book.day[i]).to_string(), book.value[i], book.kind[i]))
        .collect();
    assert_eq!(orders.len(), 2);
    assert!(orders.iter().all(|(day, _, _)| day == "2011-01-18"));
    assert!((orders[0].1 - 77183.6).abs() < MONEY && orders[0].2 == OrderKind::Purchase);
    assert!((orders[1].1 + 77183.6).abs() < MONEY && orders[1].2 == OrderKind::Return);
}

/// The preset is recognised from the header when none is given.
#[test]
fn online_retail_is_recognised_without_preset() {
    let bytes = include_bytes!("data/online-retail-slice.csv");
    let book = read_csv(bytes, &IngestOptions::default()).unwrap();
    assert_eq!(book.report.preset, "online-retail");
    assert_eq!(book.report.returns, 8);
}

#[test]
fn streaming_in_small_chunks_gives_the_same_book() {
    let bytes = include_bytes!("data/online-retail-slice.csv");
    let whole = read_csv(bytes, &IngestOptions::preset("online-retail")).unwrap();
    for chunk_size in [1, 7, 4096, 65_536] {
        let mut builder = OrderBookBuilder::new(IngestOptions::preset("online-retail")).unwrap();
        for chunk in bytes.chunks(chunk_size) {
            builder.push(chunk).unwrap();
        }
        let streamed = builder.finish().unwrap();
        assert_eq!(streamed.report, whole.report, "chunk size {chunk_size}");
        assert_eq!(streamed.value, whole.value);
        assert_eq!(streamed.day, whole.day);
    }
}

/// UTF-8 text is read in place, chunk by chunk; a character split between chunks, and a stray
/// byte that is not UTF-8 (read as Windows-1252), must come out as in a whole-file read.
#[test]
fn multibyte_text_cut_anywhere_reads_as_the_whole_file() {
    let mut bytes = "order,customer,date,amount\n".as_bytes().to_vec();
    for (i, name) in ["Nguyễn Văn Đức", "Zoë Müller", "日本語", "😀 emoji"]
        .iter()
        .cycle()
        .take(40)
        .enumerate()
    {
        bytes.extend_from_slice(format!("{i},{name},2024-01-{:02},{i}.5\n", 1 + i % 28).as_bytes());
    }
    bytes.extend_from_slice(b"99,Caf\xE9,2024-02-01,3\n");
    let whole = read_csv(&bytes, &IngestOptions::default()).unwrap();
    assert!(whole.customer_ids.iter().any(|id| id == "Café"));
    for piece in [1, 2, 3, 5, 7, 64] {
        let mut builder = OrderBookBuilder::with_sniff_bytes(IngestOptions::default(), 40).unwrap();
        for chunk in bytes.chunks(piece) {
            builder.push(chunk).unwrap();
        }
        let streamed = builder.finish().unwrap();
        assert_eq!(
            streamed.customer_ids, whole.customer_ids,
            "pieces of {piece}"
        );
        assert_eq!(streamed.value, whole.value, "pieces of {piece}");
        assert_eq!(streamed.day, whole.day, "pieces of {piece}");
        // (The reports differ only in what a 40-byte sniff cannot see: the encoding's label and
        // whether dates were proven year-first.)
        let counts =
            |r: &IngestReport| (r.rows_read, r.rows_accepted, r.customers, r.notes.clone());
        assert_eq!(
            counts(&streamed.report),
            counts(&whole.report),
            "pieces of {piece}"
        );
    }
}

#[test]
fn delimiters_quotes_newlines_and_crlf() {
    let cases = [
        (
            "comma",
            "order,customer,date,amount\r\n1,a,2024-01-02,\"1,234.50\"\r\n2,b,2024-01-03,5\r\n",
            ",",
        ),
        (
            "semicolon",
            "order;customer;date;amount\n1;a;2024-01-02;1234,50\n2;b;2024-01-03;5\n",
            ";",
        ),
        (
            "tab",
            "order\tcustomer\tdate\tamount\n1\ta\t2024-01-02\t1234.5\n2\tb\t2024-01-03\t5\n",
            "\t",
        ),
        (
            "pipe",
            "order|customer|date|amount\n1|a|2024-01-02|1234.5\n2|b|2024-01-03|5\n",
            "|",
        ),
        (
            "quoted newline",
            "order,customer,note,date,amount\n1,a,\"line one\nline two, with comma\",2024-01-02,1234.5\n2,b,\"\"\"quoted\"\"\",2024-01-03,5\n",
            ",",
        ),
    ];
    for (name, text, delimiter) in cases {
        let book = read(text, &IngestOptions::default());
        let r = &book.report;
        assert_eq!(r.delimiter, delimiter, "{name}");
        assert_eq!(
            (r.rows_read, r.rows_accepted, r.orders),
            (2, 2, 2),
            "{name}: {r:#?}"
        );
        assert!((r.revenue - 1239.5).abs() < MONEY, "{name}: {}", r.revenue);
    }
}

#[test]
fn utf16_and_windows_1258_files() {
    let text = "Mã đơn hàng,Mã khách hàng,Ngày đặt,Tổng tiền\nDH1,KH1,31/12/2023,1.250.000 ₫\nDH2,KH2,01/01/2024,\"12 000 đ\"\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let book = read_csv(&utf16, &IngestOptions::default()).unwrap();
    assert_eq!(book.report.encoding, "UTF-16LE");
    assert_eq!(book.report.date_order, "dmy");
    assert!((book.report.revenue - 1_262_000.0).abs() < MONEY);
    assert_eq!(book.customer_ids, ["KH1", "KH2"]);

    // "Mã đơn,Khách hàng,Ngày,Tổng tiền" in Windows-1258: ã = a + combining tilde (0xDE),
    // ổ = ô + hook above (0xD2), ề = ê + grave (0xCC).
    let legacy = b"M\x61\xDE \xF0\xF5n,Kh\xE1ch h\xE0ng,Ng\xE0y,T\xF4\xD2ng ti\xEA\xCCn\n1,\xD0\xE3ng,2024-03-01,100\n";
    let book = read_csv(legacy, &IngestOptions::default()).unwrap();
    assert_eq!(book.report.encoding, "windows-1258");
    assert_eq!(book.customer_ids, ["Đăng"]);
    assert_eq!(book.report.rows_accepted, 1);
}

#[test]
fn day_first_is_decided_from_the_data_even_after_many_ambiguous_dates() {
    let mut text = String::from("order,customer,date,amount\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "{i},c{},{:02}/{:02}/2024,1\n",
            i % 50,
            1 + i % 12,
            1 + (i / 12) % 12
        ));
    }
    text.push_str("late,c1,25/03/2024,1\n");
    let book = read(&text, &IngestOptions::default());
    assert_eq!(book.report.date_order, "dmy");
    assert!(!book.report.date_order_ambiguous);
    assert_eq!(book.report.rows_rejected, 0);
    // Month-first guess flipped: "02/01/2024" is 2 January.
    let mut text = String::from("order,customer,date,amount\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "{i},c1,{:02}/{:02}/2024,1\n",
            1 + i % 12,
            1 + (i / 12) % 12
        ));
    }
    text.push_str("late,c1,03/25/2024,1\n");
    let book = read(&text, &IngestOptions::default());
    assert_eq!(book.report.date_order, "mdy");
    assert_eq!(book.report.rows_rejected, 0);
    assert_eq!(book.report.first_date.as_deref(), Some("2024-01-01"));
    assert_eq!(book.report.last_date.as_deref(), Some("2024-12-12"));
}

#[test]
fn truly_ambiguous_dates_say_so_and_follow_the_callers_choice() {
    let text = "order,customer,date,amount\n1,a,02/03/2024,1\n2,b,04/05/2024,1\n";
    let book = read(text, &IngestOptions::default());
    assert!(book.report.date_order_ambiguous);
    assert!(book.report.notes.iter().any(|n| n.contains("MM/DD/YYYY")));
    assert_eq!(book.report.first_date.as_deref(), Some("2024-03-02"));
    let options = IngestOptions {
        date_order: Some(DateOrder::Mdy),
        ..IngestOptions::default()
    };
    let book = read(text, &options);
    assert!(!book.report.date_order_ambiguous);
    assert_eq!(book.report.first_date.as_deref(), Some("2024-02-03"));
}

#[test]
fn shopify_export_takes_the_order_total_once_and_drops_cancelled_orders() {
    let text = "Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem price,Total,Cancelled at\n\
#1001,ann@example.com,paid,2023-01-15 10:23:45 -0500,1,20.00,45.00,\n\
#1001,ann@example.com,,2023-01-15 10:23:45 -0500,1,25.00,,\n\
#1002,bob@example.com,refunded,2023-01-16 09:00:00 -0500,1,30.00,30.00,\n\
#1003,ann@example.com,paid,2023-02-01 12:00:00 -0500,2,10.00,20.00,2023-02-02 08:00:00 -0500\n\
#1004,cat@example.com,partially_refunded,2023-02-03 12:00:00 -0500,1,50.00,50.00,\n";
    let book = read(text, &IngestOptions::default());
    let r = &book.report;
    assert_eq!(r.preset, "shopify");
    assert_accounted(r);
    assert_eq!(
        (r.rows_read, r.orders, r.purchases, r.cancelled),
        (5, 2, 2, 2)
    );
    assert!((r.revenue - 95.0).abs() < MONEY, "{}", r.revenue);
    assert_eq!(r.customers, 2);
}

#[test]
fn woocommerce_and_haravan_exports() {
    let woo = "Order ID,Order Date,Order Status,Billing Email Address,Order Total Amount,Item Name\n\
101,2024-05-01 10:00,wc-completed,a@x.vn,300000,Áo\n\
101,2024-05-01 10:00,wc-completed,a@x.vn,300000,Quần\n\
102,2024-05-02 11:00,wc-cancelled,b@x.vn,100000,Mũ\n";
    let book = read(woo, &IngestOptions::default());
    assert_eq!(book.report.preset, "woocommerce");
    assert_eq!((book.report.orders, book.report.cancelled), (1, 1));
    assert!((book.report.revenue - 300_000.0).abs() < MONEY);

    let haravan = "Mã đơn hàng,Ngày đặt hàng,Email,Trạng thái đơn hàng,Tổng tiền\n\
#HD1,15/06/2024,lan@shop.vn,Hoàn thành,1.250.000\n\
#HD2,16/06/2024,minh@shop.vn,Đã hủy,500.000\n\
#HD3,17/06/2024,lan@shop.vn,Hoàn thành,\"2.000.000 ₫\"\n";
    let book = read(haravan, &IngestOptions::default());
    assert_eq!(book.report.preset, "haravan");
    assert_eq!(
        (
            book.report.orders,
            book.report.cancelled,
            book.report.customers
        ),
        (2, 1, 1)
    );
    assert!(
        (book.report.revenue - 3_250_000.0).abs() < MONEY,
        "{}",
        book.report.revenue
    );
}

#[test]
fn cdnow_whitespace_file_without_header() {
    let text = "00001 19970101  1  11.77\n00002 19970112  1  12.00\n00002 19970112  5  77.00\n00003 19970102  2  20.76\n";
    for options in [IngestOptions::preset("cdnow"), IngestOptions::default()] {
        let book = read(text, &options);
        let r = &book.report;
        assert_eq!(r.preset, "cdnow");
        assert_eq!((r.rows_read, r.orders, r.customers), (4, 3, 3), "{r:#?}");
        assert!((r.revenue - 121.53).abs() < MONEY);
        assert_eq!(r.first_date.as_deref(), Some("1997-01-01"));
    }
}

#[test]
fn amounts_from_quantity_times_unit_price_and_negative_forms() {
    let text = "order,customer,date,qty,unit price\n1,a,2024-01-01,2,\"1.234,50\"\n2,a,2024-01-02,1,\"(10,00)\"\n";
    let book = read(text, &IngestOptions::default());
    assert_eq!(book.report.decimal_separator, "comma");
    assert!((book.value[0] - 2469.0).abs() < MONEY);
    assert_eq!(book.kind[1], OrderKind::Return);
}

#[test]
fn rows_without_order_id_group_by_customer_and_time() {
    let text = "customer,date,amount\na,2024-01-01 10:00:00,1\na,2024-01-01 10:00:00,2\na,2024-01-01 11:00:00,4\n,2024-01-01 10:00:00,8\n,2024-01-01 10:00:00,16\n";
    let book = read(text, &IngestOptions::default());
    assert_eq!(book.report.orders, 4);
    assert_eq!(book.report.rows_anonymous, 2);
    assert_eq!(book.value, [3.0, 4.0, 8.0, 16.0]);
}

#[test]
fn bad_rows_are_rejected_with_row_column_and_reason() {
    let text = "order,customer,date,amount\n1,a,2024-01-01,10\n2,b,not a date,5\n3,c,2024-01-03,abc\n4,d\n5,e,2024-02-30,1\n";
    let book = read(text, &IngestOptions::default());
    let r = &book.report;
    assert_accounted(r);
    assert_eq!((r.rows_read, r.rows_accepted, r.rows_rejected), (5, 1, 4));
    let rejects: Vec<(u64, &str)> = r
        .rejects
        .iter()
        .map(|x| (x.row, x.column.as_str()))
        .collect();
    assert_eq!(rejects, [(3, "date"), (4, "amount"), (5, ""), (6, "date")]);
    assert!(
        r.rejects[0].reason.message.contains("not a date"),
        "{}",
        r.rejects[0].reason
    );
    assert!(
        r.rejects[2].reason.message.contains("delimiter"),
        "{}",
        r.rejects[2].reason
    );
}

/// Row numbers are the file's line numbers, so a blank line (empty, blanks, or CRLF) before or
/// after the header must count, and a quoted line read by the slow path must not shift them.
#[test]
fn rows_keep_the_files_numbering_across_blank_and_quoted_lines() {
    let text = "\r\norder,customer,date,amount\r\n1,a,2024-01-01,10\r\n\r\n   \r\n\
                \"2\",\"b, c\",2024-01-02,5\r\n3,c,never,1\r\n\n4,d,2024-01-04,x";
    for sniff_bytes in [40, 1 << 20] {
        let mut builder =
            OrderBookBuilder::with_sniff_bytes(IngestOptions::default(), sniff_bytes).unwrap();
        for piece in text.as_bytes().chunks(5) {
            builder.push(piece).unwrap();
        }
        let r = builder.finish().unwrap().report;
        assert_accounted(&r);
        assert_eq!((r.rows_read, r.rows_accepted, r.blank_lines), (4, 2, 4));
        let rejects: Vec<(u64, &str)> = r
            .rejects
            .iter()
            .map(|x| (x.row, x.column.as_str()))
            .collect();
        assert_eq!(
            rejects,
            [(7, "date"), (9, "amount")],
            "sniffing {sniff_bytes}"
        );
    }
}

#[test]
fn unreadable_files_get_a_message_that_says_what_to_do() {
    let cases: &[(&[u8], &str)] = &[
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"order,customer,date,amount\n", "no rows"),
        (b"PK\x03\x04\x14\x00\x06\x00", "save it as CSV"),
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (
            b"<!DOCTYPE html><html><body>Not found</body></html>",
            "web page",
        ),
        (b"order,customer,amount\n1,a,5\n", "No order date column"),
        (b"order,date,amount\n1,2024-01-01,5\n", "No customer"),
        (b"order,customer,date\n1,a,2024-01-01\n", "No amount column"),
        (
            b"order customer date amount\n1 a 2024-01-01 5\n",
            "single column",
        ),
    ];
    for (bytes, expected) in cases {
        let error = read_csv(bytes, &IngestOptions::default()).unwrap_err();
        assert!(
            error.message.contains(expected),
            "{expected}: {}",
            error.message
        );
    }
    let error = customer_lens::ingest::columns::preset("nope").unwrap_err();
    assert!(error.message.contains("online-retail"), "{}", error.message);
}

#[test]
fn caller_overrides_column_roles() {
    let text = "id,buyer,when,gross,net\n1,a,2024-01-01,10,8\n";
    let mut options = IngestOptions::default();
    options.columns.insert(Role::Customer, "buyer");
    options.columns.insert(Role::Date, "when");
    options.columns.insert(Role::Amount, "net");
    options.columns.insert(Role::Order, "id");
    let book = read(text, &options);
    assert_eq!(book.value, [8.0]);
    assert!(book.report.columns.name(Role::Amount) == Some("net"));
}

/// The ids of a book's customers, in order of first appearance.
fn customer_ids(book: &customer_lens::OrderBook) -> Vec<String> {
    book.customer_ids.iter().map(str::to_string).collect()
}

/// E-mail and phone customer columns (known by their header) compare one person's ids written
/// in different ways as one customer; other id columns keep their values as written.
#[test]
fn email_and_phone_customer_columns_name_one_customer() {
    let email = "Order ID,Customer Email,Order Date,Total\n\
                 1,Buyer@Shop.com,2024-01-01,10\n\
                 2, buyer@shop.com ,2024-01-02,20\n\
                 3,BUYER@SHOP.COM,2024-01-03,30\n\
                 4,other@shop.com,2024-01-04,40\n";
    let book = read(email, &IngestOptions::default());
    assert_eq!(customer_ids(&book), ["buyer@shop.com", "other@shop.com"]);
    assert_eq!(book.report.customer_id_normalization, "email");

    let phone = "Mã đơn hàng,Số điện thoại,Ngày đặt,Tổng tiền\n\
                 1,+84 912 345 678,2024-01-01,100000\n\
                 2,0912345678,2024-01-02,200000\n\
                 3,0912.345.678,2024-01-03,300000\n\
                 4,84912345678,2024-01-04,400000\n\
                 5,(028) 3822 1234,2024-01-05,500000\n\
                 6,Khách lẻ,2024-01-06,600000\n";
    let book = read(phone, &IngestOptions::default());
    assert_eq!(
        customer_ids(&book),
        ["+84912345678", "+842838221234", "Khách lẻ"]
    );
    assert_eq!(
        (
            book.report.customer_id_normalization.as_str(),
            book.report.phone_country.as_str()
        ),
        ("phone", "VN")
    );
    assert_eq!(
        book.report.rows_accepted, 6,
        "no row is lost to a bad phone"
    );
    for chunk in [1, 7, 64] {
        let mut builder = OrderBookBuilder::new(IngestOptions::default()).unwrap();
        for piece in phone.as_bytes().chunks(chunk) {
            builder.push(piece).unwrap();
        }
        let streamed = builder.finish().unwrap();
        assert_eq!(
            customer_ids(&streamed),
            customer_ids(&book),
            "chunks of {chunk}"
        );
    }

    // A CRM id column is not judged by the look of its values, even when they look like phones.
    let crm = "order,CustomerID,date,amount\n1,912345678,2024-01-01,1\n2,0912345678,2024-01-02,2\n\
               3,17850.0,2024-01-03,3\n4,17850,2024-01-04,4\n";
    let book = read(crm, &IngestOptions::default());
    assert_eq!(customer_ids(&book), ["912345678", "0912345678", "17850"]);
    assert_eq!(book.report.customer_id_normalization, "none");

    // Rows from a host page follow the same rules.
    let headers = vec!["email".to_string(), "date".into(), "total".into()];
    let rows = vec![
        vec!["A@Shop.vn".to_string(), "2024-03-01".into(), "1".into()],
        vec![" a@shop.vn".into(), "2024-03-02".into(), "2".into()],
    ];
    let book = read_rows(headers, &rows, &IngestOptions::default()).unwrap();
    assert_eq!(customer_ids(&book), ["a@shop.vn"]);
}

/// `customerIdNormalization` turns the rule off (or forces one) and `phoneCountry` sets the
/// country of national numbers.
#[test]
fn customer_id_normalization_can_be_turned_off_or_set() {
    let text = "order,Phone,date,amount\n1,0912 345 678,2024-01-01,1\n2,0912345678,2024-01-02,2\n";
    let off = IngestOptions {
        customer_id_normalization: IdNormalization::None,
        ..IngestOptions::default()
    };
    let book = read(text, &off);
    assert_eq!(customer_ids(&book), ["0912 345 678", "0912345678"]);
    assert_eq!(book.report.customer_id_normalization, "none");

    let us =
        "order,Phone,date,amount\n1,(415) 555-0100,2024-01-01,1\n2,1-415-555-0100,2024-01-02,2\n";
    let options = IngestOptions {
        phone_country: PhoneCountry::from_code("us").unwrap(),
        ..IngestOptions::default()
    };
    let book = read(us, &options);
    assert_eq!(customer_ids(&book), ["+14155550100"]);
    assert_eq!(book.report.phone_country, "US");

    // A column whose header does not say what it holds can be given the phone rule.
    let forced = IngestOptions {
        customer_id_normalization: IdNormalization::Phone,
        ..IngestOptions::default()
    };
    let codes =
        "order,customer,date,amount\n1,0912 345 678,2024-01-01,1\n2,84912345678,2024-01-02,2\n";
    assert_eq!(customer_ids(&read(codes, &forced)), ["+84912345678"]);

    // Names that are no country or rule are refused where they are read (the JS skin).
    assert_eq!(PhoneCountry::from_code("Vietnam"), None);
    assert_eq!(IdNormalization::from_keyword("lowercase"), None);
}

/// A point-of-sale invoice list: the customer code is empty for walk-in sales and the phone has a
/// column of its own. Customers are read from the phone column, the summary says so, and an
/// explicit mapping still wins.
#[test]
fn point_of_sale_export_identifies_customers_by_phone() {
    let bytes = include_bytes!("data/pos-invoices.csv");
    let book = read_csv(bytes, &IngestOptions::default()).unwrap();
    let r = &book.report;
    assert_accounted(r);
    assert!(
        r.columns.name(Role::Customer) == Some("Điện thoại"),
        "{:?}",
        r.columns
    );
    assert_eq!(
        customer_ids(&book),
        [
            "+84912345678",
            "+84987654321",
            "+84903111222",
            "không có",
            "+842838221234"
        ]
    );
    assert_eq!(
        (r.rows_read, r.rows_anonymous, r.cancelled, r.customers),
        (14, 2, 1, 5)
    );
    let note = r
        .note_codes
        .iter()
        .position(|n| n.code == "customer_column_fallback")
        .expect("a note says which column identifies customers");
    assert_eq!(
        r.note_codes[note].params,
        [
            ("detected", "Mã khách hàng".to_string()),
            ("used", "Điện thoại".to_string()),
            ("empty", "13".to_string()),
            ("filled", "12".to_string()),
            ("rows", "14".to_string()),
        ]
    );
    assert!(r.notes[note].contains("'Điện thoại'"), "{}", r.notes[note]);

    // Streamed in chunks: the same decision and the same book.
    for chunk in [1, 5, 300] {
        let mut builder = OrderBookBuilder::new(IngestOptions::default()).unwrap();
        for piece in bytes.chunks(chunk) {
            builder.push(piece).unwrap();
        }
        let streamed = builder.finish().unwrap();
        assert_eq!(streamed.report, book.report, "chunks of {chunk}");
        assert_eq!(customer_ids(&streamed), customer_ids(&book));
    }

    // The caller's mapping wins: the customer code column, one customer and 13 guest rows.
    let mut options = IngestOptions::default();
    options.columns.insert(Role::Customer, "Mã khách hàng");
    let coded = read_csv(bytes, &options).unwrap();
    assert_eq!(customer_ids(&coded), ["KH001"]);
    assert_eq!(coded.report.rows_anonymous, 13);
    assert!(
        coded
            .report
            .note_codes
            .iter()
            .all(|n| n.code != "customer_column_fallback")
    );

    // A customer column filled on more than half the rows stays.
    let mostly_coded = "Mã hóa đơn,Mã khách hàng,Điện thoại,Ngày,Tổng tiền\n\
                        1,KH1,0912345678,2024-01-01,1\n2,KH2,,2024-01-02,1\n\
                        3,,0987654321,2024-01-03,1\n";
    let book = read(mostly_coded, &IngestOptions::default());
    assert_eq!(customer_ids(&book), ["KH1", "KH2"]);
}

#[test]
fn rows_from_a_host_page() {
    let headers = vec![
        "customer".to_string(),
        "date".into(),
        "total".into(),
        "order".into(),
    ];
    let rows = vec![
        vec![
            "C1".to_string(),
            "2024-03-01".into(),
            "120".into(),
            "o1".into(),
        ],
        vec!["C1".into(), "2024-03-09".into(), "80.5".into(), "o2".into()],
        vec!["".into(), "2024-03-09".into(), "10".into(), "o3".into()],
    ];
    let book = read_rows(headers, &rows, &IngestOptions::default()).unwrap();
    assert_eq!(
        (
            book.report.orders,
            book.report.customers,
            book.report.rows_anonymous
        ),
        (3, 1, 1)
    );
    assert!((book.report.revenue - 210.5).abs() < MONEY);
}

/// Property: over random files with random faults, accepted + rejected = read, and streaming in
/// random chunk sizes changes nothing.
#[test]
fn every_row_is_accounted_for_in_random_files() {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let fields = [
        "",
        "x",
        "2024-01-05",
        "31/01/2024",
        "12.5",
        "-3",
        "abc",
        "\"q,uoted\"",
        "1.234,5",
        "C12",
    ];
    for _ in 0..200 {
        let mut text = String::from("order,customer,date,amount\n");
        let rows = next() % 60;
        for _ in 0..rows {
            let width = 1 + next() % 5;
            let row: Vec<&str> = (0..width)
                .map(|_| fields[(next() % fields.len() as u64) as usize])
                .collect();
            text.push_str(&row.join(","));
            text.push('\n');
        }
        let Ok(book) = read_csv(text.as_bytes(), &IngestOptions::default()) else {
            continue;
        };
        assert_accounted(&book.report);
        let chunk = 1 + (next() % 50) as usize;
        let mut builder = OrderBookBuilder::new(IngestOptions::default()).unwrap();
        for piece in text.as_bytes().chunks(chunk) {
            builder.push(piece).unwrap();
        }
        assert_eq!(builder.finish().unwrap().report, book.report);
    }
}

/// Every note comes with a stable code and params (the page words notes in its own language),
/// in the same order as the English texts.
#[test]
fn notes_carry_codes_and_params() {
    let text = "order,customer,date,amount,amount\n1,a,01/02/2024,5,0\n1,b,01/02/2024,5,0\n";
    let report = read(text, &IngestOptions::default()).report;
    let codes: Vec<&str> = report.note_codes.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(
        codes,
        ["dates_ambiguous", "order_two_customers", "duplicate_header"],
        "{:#?}",
        report.notes
    );
    assert_eq!(report.notes.len(), report.note_codes.len());
    assert_eq!(
        report.note_codes[2].params,
        [
            ("name", "amount".to_string()),
            ("times", "2".to_string()),
            ("columns", "4, 5".to_string()),
            ("column", "4".to_string()),
            ("role", "amount".to_string()),
        ]
    );
    assert_eq!(report.note_codes[1].params, [("count", "1".to_string())]);
}

/// With the file's size given, the order columns are sized once from the first part of the file;
/// a size far off either way (a wrong `File.size`, a file whose rows change along the way) must
/// only cost memory, never change the book.
#[test]
fn a_wrong_expected_size_changes_nothing_but_memory() {
    let mut bytes = b"order,customer,date,amount\n".to_vec();
    for i in 0..180_000u32 {
        // Three lines per order, the third of every tenth order coming back much later.
        let order = i / 3;
        let order = if i % 30 == 2 { order / 2 } else { order };
        let line = format!(
            "{order},C{},2024-{:02}-{:02},{}.25\n",
            order % 9_973,
            1 + order % 12,
            1 + order % 28,
            i % 50
        );
        bytes.extend_from_slice(line.as_bytes());
    }
    assert!(
        bytes.len() > 4 << 20,
        "large enough to be sized from its first part"
    );
    let unsized_book = {
        let mut builder = OrderBookBuilder::new(IngestOptions::default()).unwrap();
        builder.push(&bytes).unwrap();
        builder.finish().unwrap()
    };
    let size = bytes.len() as u64;
    for expected in [0, size / 10, size, size * 10] {
        let mut builder = OrderBookBuilder::new(IngestOptions::default()).unwrap();
        builder.expect_bytes(expected);
        for chunk in bytes.chunks(300_001) {
            builder.push(chunk).unwrap();
        }
        let book = builder.finish().unwrap();
        assert_eq!(book.customer, unsized_book.customer, "expected {expected}");
        assert_eq!(book.day, unsized_book.day, "expected {expected}");
        assert_eq!(book.value, unsized_book.value, "expected {expected}");
        assert_eq!(book.kind, unsized_book.kind, "expected {expected}");
        assert_eq!(
            book.customer_ids, unsized_book.customer_ids,
            "expected {expected}"
        );
        assert_eq!(
            book.report.orders, unsized_book.report.orders,
            "expected {expected}"
        );
    }
    assert_eq!(unsized_book.order_count(), 60_000);
}

/// Customers are numbered by their first kept order: one first seen in a cancelled order moves
/// back, and one seen only in cancelled orders is not a customer of the book.
#[test]
fn cancelled_orders_renumber_the_customers() {
    let csv = "order,customer,date,amount,status\n\
               1,A,2024-01-01,5,cancelled\n\
               2,B,2024-01-02,5,\n\
               3,A,2024-01-03,5,\n\
               4,C,2024-01-04,5,cancelled\n\
               5,B,2024-01-05,-5,\n";
    let book = read_csv(csv.as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!(book.customer_ids, ["B", "A"]);
    assert_eq!(book.customer, [0, 1, 0]);
    assert_eq!(
        book.kind,
        [OrderKind::Purchase, OrderKind::Purchase, OrderKind::Return]
    );
    assert_eq!(book.report.cancelled, 2);
    let kept = read_csv(
        csv.replace("cancelled", "").as_bytes(),
        &IngestOptions::default(),
    )
    .unwrap();
    assert_eq!(kept.customer_ids, ["A", "B", "C"]);
}
