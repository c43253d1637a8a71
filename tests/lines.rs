//! Line items from ingestion: which products each order held, for the exports that list them
//! (Online Retail, Shopify, Haravan), and nothing kept for a file without a product column.

use customer_lens::ingest::{IngestOptions, IngestedBook, OrderBookBuilder, read_csv};
use customer_lens::lines::Lines;

fn read(bytes: &[u8], options: &IngestOptions) -> IngestedBook {
    read_csv(bytes, options).unwrap_or_else(|e| panic!("{e}"))
}

/// Each order's lines as `(product id, quantity, amount)`.
fn lines_of(lines: &Lines, order: usize) -> Vec<(String, f64, f64)> {
    lines
        .of_order(order)
        .map(|line| {
            let id = lines.products.ids[lines.product(line) as usize].clone();
            (id, lines.quantity(line), lines.amount(line))
        })
        .collect()
}

fn note_codes(book: &IngestedBook) -> Vec<&str> {
    book.report
        .note_codes
        .iter()
        .map(|n| n.code.as_str())
        .collect()
}

/// Shopify: the order's fields (total, status, paid at) on its first line only, each line its
/// product; the voided order's lines go with it; a line without SKU is known by its name.
#[test]
fn shopify_export_gives_each_order_its_products() {
    let book = read(
        include_bytes!("data/shopify-lines.csv"),
        &IngestOptions::default(),
    );
    assert_eq!(book.report.preset, "shopify");
    assert_eq!((book.report.rows_read, book.report.rows_accepted), (7, 7));
    assert_eq!((book.report.orders, book.report.cancelled), (3, 1));
    assert_eq!(book.value, [380_000.0, 480_000.0, 180_000.0]);
    let lines = book.lines.as_ref().expect("the export has products");
    assert_eq!(lines.order_count(), 3);
    assert_eq!(
        lines_of(lines, 0),
        [
            ("AT-W-M".into(), 2.0, 300_000.0),
            ("NON-01".into(), 1.0, 50_000.0)
        ]
    );
    assert_eq!(
        lines_of(lines, 1),
        [
            ("NON-01".into(), 1.0, 50_000.0),
            ("AT-W-M".into(), 3.0, 450_000.0),
            ("Gói quà".into(), 1.0, 0.0)
        ]
    );
    assert_eq!(lines_of(lines, 2), [("AT-W-M".into(), 1.0, 150_000.0)]);
    // The products once each, named and with their vendor; the voided order's jeans too (the
    // dictionary is the file's), though no kept line has them.
    let products = &lines.products;
    assert_eq!(products.ids, ["AT-W-M", "NON-01", "QJ-32", "Gói quà"]);
    assert_eq!(products.names[0], "Áo thun trắng - M");
    assert_eq!(products.categories[1], "Cap Co");
    assert_eq!(products.categories[3], "");
    assert!(!note_codes(&book).contains(&"rows_without_product"));
}

/// Haravan: Vietnamese headers, order fields on every line, `Mã SKU` and `Tên sản phẩm`; the
/// line without a product stays in its order's value and is noted.
#[test]
fn haravan_export_gives_each_order_its_products() {
    let book = read(
        include_bytes!("data/haravan-lines.csv"),
        &IngestOptions::default(),
    );
    assert_eq!(book.report.preset, "haravan");
    assert_eq!((book.report.rows_read, book.report.rows_accepted), (6, 6));
    assert_eq!((book.report.orders, book.report.cancelled), (3, 1));
    assert_eq!(book.value, [380_000.0, 1_630_000.0, 150_000.0]);
    let lines = book.lines.as_ref().expect("the export has products");
    assert_eq!(
        lines_of(lines, 0),
        [
            ("SKU-AT".into(), 2.0, 300_000.0),
            ("SKU-NON".into(), 1.0, 50_000.0)
        ]
    );
    assert_eq!(lines_of(lines, 1), [("SKU-V".into(), 1.0, 1_600_000.0)]);
    assert_eq!(lines_of(lines, 2), [("SKU-NON".into(), 3.0, 150_000.0)]);
    let products = &lines.products;
    assert_eq!(products.names[1], "Nón");
    assert_eq!(products.categories[1], "Phụ kiện");
    let note = book
        .report
        .note_codes
        .iter()
        .find(|n| n.code == "rows_without_product")
        .expect("the line without a product is noted");
    assert_eq!(note.params, [("count", "1".to_string())]);
}

/// Online Retail: every accepted row is a line (each has a StockCode), and an order's lines add
/// up to its value; streamed in small chunks, the lines are the same.
#[test]
fn online_retail_lines_add_up_to_the_orders() {
    let bytes = include_bytes!("data/online-retail-slice.csv");
    let options = IngestOptions::preset("online-retail");
    let book = read(bytes, &options);
    let lines = book.lines.as_ref().expect("StockCode is the product");
    assert_eq!(lines.len() as u64, book.report.rows_accepted);
    assert_eq!(lines.order_count(), book.order_count());
    for order in 0..book.order_count() {
        let sum: f64 = lines.of_order(order).map(|l| lines.amount(l)).sum();
        assert!((sum - book.value[order]).abs() < 1e-6, "order {order}");
    }
    let first = lines_of(lines, 0);
    assert_eq!(first[0], ("85123A".into(), 6.0, 15.3));
    assert_eq!(
        lines.products.names[lines.products.code_of("85123A").unwrap() as usize],
        "WHITE HANGING HEART T-LIGHT HOLDER"
    );
    let mut builder = OrderBookBuilder::with_sniff_bytes(options, 300).unwrap();
    for chunk in bytes.chunks(777) {
        builder.push(chunk).unwrap();
    }
    assert_eq!(builder.finish().unwrap().lines.as_ref(), Some(lines));
}

/// A file without a product column keeps no lines; one whose orders' lines are apart in the
/// file still gets them grouped by order.
#[test]
fn lines_only_with_a_product_column_and_grouped_by_order() {
    let plain = "order,customer,date,amount\n1,a,2024-01-01,10\n2,b,2024-01-02,5\n";
    assert_eq!(
        read(plain.as_bytes(), &IngestOptions::default()).lines,
        None
    );
    let apart = "order,customer,date,sku,qty,amount,status\n\
                 1,a,2024-01-01,X,1,10,paid\n\
                 2,b,2024-01-01,Y,2,5,paid\n\
                 9,c,2024-01-02,Q,1.5,0.001,cancelled\n\
                 1,a,2024-01-01,Y,1,2.5,paid\n\
                 3,b,2024-01-03,Z,1,1234567890.125,paid\n\
                 9,c,2024-01-02,Z,1,2,cancelled\n\
                 2,b,2024-01-01,X,1,0.1,paid\n";
    let book = read(apart.as_bytes(), &IngestOptions::default());
    let lines = book.lines.as_ref().unwrap();
    assert_eq!(book.value, [12.5, 5.1, 1_234_567_890.125]);
    assert_eq!(
        lines_of(lines, 0),
        [("X".into(), 1.0, 10.0), ("Y".into(), 1.0, 2.5)]
    );
    assert_eq!(
        lines_of(lines, 1),
        [("Y".into(), 2.0, 5.0), ("X".into(), 1.0, 0.1)]
    );
    // An amount beyond whole cents in an i32 is kept exactly; the cancelled order's lines
    // (with a fractional quantity and a fraction of a cent) are gone.
    assert_eq!(lines_of(lines, 2), [("Z".into(), 1.0, 1_234_567_890.125)]);
    assert_eq!(lines.len(), 5);
    // `columns.productId: ''` turns products off.
    let mut options = IngestOptions::default();
    options
        .columns
        .insert(customer_lens::ingest::Role::ProductId, "");
    assert_eq!(read(apart.as_bytes(), &options).lines, None);
}
