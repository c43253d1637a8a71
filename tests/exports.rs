//! Exports as Vietnamese store platforms write them: a title block above the header (a report
//! saved from Excel as CSV), and the Haravan, Sapo and KiotViet column names and statuses.

use customer_lens::cohort::{self, Period};
use customer_lens::ingest::{
    IngestOptions, IngestReport, IngestedBook, OrderBookBuilder, Role, read_csv,
};
use customer_lens::rfm::{self, RfmOptions};

const MONEY: f64 = 0.005;

fn read(bytes: &[u8], options: &IngestOptions) -> IngestedBook {
    read_csv(bytes, options).unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(bytes)))
}

fn streamed(bytes: &[u8], options: &IngestOptions, sniff: usize, chunk: usize) -> IngestedBook {
    let mut builder = OrderBookBuilder::with_sniff_bytes(options.clone(), sniff).unwrap();
    for piece in bytes.chunks(chunk) {
        builder.push(piece).unwrap();
    }
    builder.finish().unwrap()
}

/// The report of a file with a title block, with what describes the title block taken out and
/// the row numbers of its rejects moved up by it: what the same file without it reports.
fn without_title(report: &IngestReport) -> IngestReport {
    let mut report = report.clone();
    let lines = report.title_lines;
    let keep: Vec<bool> = report
        .note_codes
        .iter()
        .map(|n| n.code != "title_lines")
        .collect();
    let mut keep_iter = keep.iter();
    report.notes.retain(|_| *keep_iter.next().unwrap());
    report.note_codes.retain(|n| n.code != "title_lines");
    for reject in &mut report.rejects {
        reject.row -= lines;
    }
    report.title_lines = 0;
    report
}

/// Reads `plain` and `titled` (the same rows under `title` lines) whole and in chunks of many
/// sizes, and checks that they read alike: the same report but for the title count, its note and
/// the row numbers, the same orders, RFM and cohorts.
fn assert_reads_like_without_title(
    plain: &[u8],
    titled: &[u8],
    title: u64,
    options: &IngestOptions,
) {
    let expected = read(plain, options);
    assert_eq!(expected.report.title_lines, 0);
    let rfm_expected = rfm::rfm(&expected, &RfmOptions::default()).unwrap();
    let cohorts_expected = cohort::cohorts(&expected, Period::Month).unwrap();
    let mut books = vec![(
        "whole".to_string(),
        read(titled, options),
        read(plain, options),
    )];
    for (sniff, chunk) in [
        (1 << 20, 1),
        (1 << 20, 3),
        (1 << 20, 64),
        (titled.len() / 2, 7),
        (titled.len() / 2, 1000),
    ] {
        // A sniff shorter than the file decides from fewer rows: compare with the file without
        // its title block read from the same rows.
        let title_bytes = titled.len() - plain.len();
        let expected = if sniff < titled.len() {
            streamed(plain, options, sniff - title_bytes, chunk)
        } else {
            read(plain, options)
        };
        books.push((
            format!("sniff {sniff}, chunks of {chunk}"),
            streamed(titled, options, sniff, chunk),
            expected,
        ));
    }
    for (how, book, expected) in books {
        let report = &book.report;
        assert_eq!(report.title_lines, title, "{how}");
        let note = report
            .note_codes
            .iter()
            .find(|n| n.code == "title_lines")
            .unwrap_or_else(|| panic!("{how}: no title note in {:?}", report.notes));
        assert!(
            note.params
                .contains(&("headerLine", (title + 1).to_string())),
            "{how}: {note:?}"
        );
        assert_eq!(without_title(report), expected.report, "{how}");
        assert_eq!(book.day, expected.day, "{how}");
        assert_eq!(book.value, expected.value, "{how}");
        assert_eq!(book.customer, expected.customer, "{how}");
        assert_eq!(
            rfm::rfm(&book, &RfmOptions::default()).unwrap(),
            rfm_expected,
            "{how}"
        );
        assert_eq!(
            cohort::cohorts(&book, Period::Month).unwrap(),
            cohorts_expected,
            "{how}"
        );
    }
}

/// A KiotViet invoice list saved from Excel: two title lines and a blank line, all padded with
/// commas to the width of the table, as Excel writes them (the case refused before with "No
/// order date column found among: DANH SÁCH HÓA ĐƠN, (blank), …").
#[test]
fn title_block_saved_from_excel_reads_like_the_file_without_it() {
    let plain = include_bytes!("data/kiotviet-invoices.csv");
    let titled = include_bytes!("data/kiotviet-invoices-titled.csv");
    let body: Vec<&[u8]> = titled.split(|&b| b == b'\n').skip(3).collect();
    assert_eq!(
        body.join(&b'\n'),
        plain,
        "the fixture is its twin under 3 lines"
    );
    assert_reads_like_without_title(plain, titled, 3, &IngestOptions::default());
    let book = read(titled, &IngestOptions::default());
    assert_eq!(book.report.preset, "kiotviet");
    assert_eq!(
        book.report.blank_lines, 0,
        "the blank title line is a title line"
    );
    assert!(
        book.report.notes.iter().any(|n| n.contains("line 4")),
        "{:?}",
        book.report.notes
    );
}

/// The real UCI slice under an unpadded title block (one field per line, so delimiter sniffing
/// must look past it), with a semicolon variant, CRLF line ends and a blank line in the block;
/// the slice has rejected rows, whose numbers must stay the file's line numbers.
#[test]
fn title_block_above_a_real_file_keeps_rows_numbered_as_in_the_file() {
    // The slice with a row whose date cannot be read, line 11.
    let slice = include_str!("data/online-retail-slice.csv");
    let cut = slice.match_indices('\n').nth(9).unwrap().0 + 1;
    let plain = format!(
        "{}536999,22000,BAD DATE,1,32/13/2010 08:00,1.00,17850.0,United Kingdom\n{}",
        &slice[..cut],
        &slice[cut..]
    );
    let plain = plain.as_str();
    let titled = format!("Online Retail: invoices\nExported 2011-12-10\n\n{plain}");
    let options = IngestOptions::preset("online-retail");
    assert_reads_like_without_title(plain.as_bytes(), titled.as_bytes(), 3, &options);
    assert_reads_like_without_title(
        plain.as_bytes(),
        titled.as_bytes(),
        3,
        &IngestOptions::default(),
    );
    let book = read(titled.as_bytes(), &IngestOptions::default());
    assert_eq!(book.report.delimiter, ",");
    assert_eq!(book.report.rejects[0].row, 14, "{:?}", book.report.rejects);
    // Each reject's row number names its line in the titled file.
    let lines: Vec<&str> = titled.lines().collect();
    for reject in &book.report.rejects {
        let line = lines[reject.row as usize - 1];
        assert!(line.contains(&reject.value), "row {}: {line}", reject.row);
    }

    let semicolons = plain.replace(',', ";");
    let titled = format!("Báo cáo bán hàng\r\n\r\nCửa hàng: Online Retail\r\n{semicolons}");
    assert_reads_like_without_title(
        semicolons.as_bytes(),
        titled.as_bytes(),
        3,
        &IngestOptions::default(),
    );
    assert_eq!(
        read(titled.as_bytes(), &IngestOptions::default())
            .report
            .delimiter,
        ";"
    );

    // Tab-separated, the title quoted as a spreadsheet writes a cell holding a comma.
    let tabs = plain.replace(',', "\t");
    let titled = format!("\"Báo cáo, tháng 12\"\n\n{tabs}");
    assert_reads_like_without_title(
        tabs.as_bytes(),
        titled.as_bytes(),
        2,
        &IngestOptions::default(),
    );
    assert_eq!(
        read(titled.as_bytes(), &IngestOptions::default())
            .report
            .delimiter,
        "\t"
    );
}

/// A file whose first line is its header reads exactly as before: no title lines, no note, and
/// leading blank lines still counted as blank lines.
#[test]
fn header_on_the_first_line_is_unchanged() {
    let plain = include_str!("data/online-retail-slice.csv");
    let book = read(plain.as_bytes(), &IngestOptions::default());
    assert_eq!(book.report.title_lines, 0);
    assert!(
        book.report
            .note_codes
            .iter()
            .all(|n| n.code != "title_lines")
    );
    let blank_first = format!("\n\n{plain}");
    let shifted = read(blank_first.as_bytes(), &IngestOptions::default());
    assert_eq!(shifted.report.title_lines, 0);
    assert_eq!(shifted.report.blank_lines, book.report.blank_lines + 2);
    assert_eq!(shifted.report.rows_read, book.report.rows_read);
}

/// Columns chosen by the caller find the header below a title block too, even when their names
/// are nothing the recogniser knows.
#[test]
fn chosen_columns_find_their_header_below_a_title() {
    let text = "Sổ bán hàng tháng 3\n\nKhách,Lúc,Tiền\nA,2024-03-01,10\nB,2024-03-02,20\n";
    let mut options = IngestOptions::default();
    options.columns.insert(Role::Customer, "Khách");
    options.columns.insert(Role::Date, "Lúc");
    options.columns.insert(Role::Amount, "Tiền");
    let book = read(text.as_bytes(), &options);
    assert_eq!(book.report.title_lines, 2);
    assert_eq!((book.report.rows_read, book.report.orders), (2, 2));
    assert!((book.report.revenue - 30.0).abs() < MONEY);
}

/// Without a recognisable header in the window, the message says what was looked for and shows
/// the first lines, so the user sees where the header is and what it should name.
#[test]
fn no_header_in_the_window_says_what_was_looked_for() {
    let text = "BÁO CÁO DANH SÁCH ĐƠN HÀNG,,,\n,,,\nSố,Khách,Lúc,Tiền\n1,A,2024-03-01,10\n";
    let err = read_csv(text.as_bytes(), &IngestOptions::default()).unwrap_err();
    assert_eq!(err.code, "no_header", "{err}");
    for part in [
        "first 50 lines",
        "order date",
        "customer",
        "amount",
        "1: BÁO CÁO DANH SÁCH ĐƠN HÀNG | 2: (blank) | 3: Số, Khách, Lúc, Tiền",
        "column mapping",
    ] {
        assert!(err.message.contains(part), "{part}: {}", err.message);
    }
    assert!(
        err.params
            .iter()
            .any(|(k, v)| *k == "first" && v.contains("Khách"))
    );

    // A title that holds a comma is two cells, still fewer than the lines below it.
    let err = read_csv(
        "Báo cáo đơn hàng, tháng 3\nSố,Khách,Lúc,Tiền\n1,A,2024-03-01,10\n".as_bytes(),
        &IngestOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.code, "no_header", "{err}");

    // A header past the window is not looked for: the same message.
    let far = format!(
        "Title\n{}Khách hàng,Ngày,Tổng tiền\nA,2024-03-01,10\n",
        "\n".repeat(60)
    );
    let err = read_csv(far.as_bytes(), &IngestOptions::default()).unwrap_err();
    assert_eq!(err.code, "no_header", "{err}");

    // A first line with several cells is the header as written: the usual message naming it.
    let err = read_csv(b"a,b,c\n1,2,3\n", &IngestOptions::default()).unwrap_err();
    assert_eq!(err.code, "missing_column", "{err}");
    // A file that never splits into two cells: the delimiter message, as before.
    let err = read_csv(b"Title\nabc\ndef\n", &IngestOptions::default()).unwrap_err();
    assert_eq!(err.code, "single_column", "{err}");
}

/// Haravan: line items repeat the order total (`Tổng cộng`), customers by e-mail (lowercased),
/// `Đã hủy` cancels; the sales channel is `Kênh bán hàng` rather than the branch.
#[test]
fn haravan_export() {
    let book = read(
        include_bytes!("data/haravan-orders.csv"),
        &IngestOptions::default(),
    );
    let r = &book.report;
    assert_eq!(r.preset, "haravan");
    assert_eq!((r.rows_read, r.rows_rejected), (5, 0));
    assert_eq!((r.orders, r.cancelled, r.customers), (3, 1, 2));
    assert!((r.revenue - 2_280_000.0).abs() < MONEY, "{}", r.revenue);
    assert_eq!(
        (r.first_date.as_deref(), r.last_date.as_deref()),
        (Some("2024-03-12"), Some("2024-04-02"))
    );
    assert_eq!(r.columns.name(Role::Customer), Some("Email"));
    assert_eq!(r.columns.name(Role::Amount), Some("Tổng cộng"));
    assert_eq!(r.columns.name(Role::Status), Some("Trạng thái đơn hàng"));
    assert_eq!(r.columns.name(Role::Channel), Some("Kênh bán hàng"));
    assert_eq!(r.customer_id_normalization, "email");
}

/// Sapo: `Khách phải trả` (after discount and shipping) repeated on each item line, not `Tổng
/// tiền hàng`; customers by their Sapo code; `Đã hủy` and `Hủy` cancel.
#[test]
fn sapo_export() {
    let bytes = include_bytes!("data/sapo-orders.csv");
    let book = read(bytes, &IngestOptions::default());
    let r = &book.report;
    assert_eq!(r.preset, "sapo");
    assert_eq!((r.rows_read, r.rows_rejected), (6, 0));
    assert_eq!((r.orders, r.cancelled, r.customers), (3, 2, 2));
    assert!((r.revenue - 680_000.0).abs() < MONEY, "{}", r.revenue);
    assert_eq!(
        (r.first_date.as_deref(), r.last_date.as_deref()),
        (Some("2024-05-01"), Some("2024-06-15"))
    );
    assert_eq!(r.columns.name(Role::Order), Some("Mã đơn hàng"));
    assert_eq!(r.columns.name(Role::Date), Some("Ngày tạo đơn"));
    assert_eq!(r.columns.name(Role::Customer), Some("Mã khách hàng"));
    assert_eq!(r.columns.name(Role::Amount), Some("Khách phải trả"));
    assert_eq!(r.columns.name(Role::Channel), Some("Nguồn đơn hàng"));
    // Named by hand, the preset reads the same file the same way.
    let named = read(bytes, &IngestOptions::preset("sapo"));
    assert_eq!(named.report, book.report);
    // Customers by phone when the caller picks that column: E.164, as for any phone column.
    let mut options = IngestOptions::preset("sapo");
    options.columns.insert(Role::Customer, "Số điện thoại");
    let by_phone = read(bytes, &options);
    assert_eq!(by_phone.report.customer_id_normalization, "phone");
    let ids: Vec<&str> = by_phone.customer_ids.iter().collect();
    assert_eq!(ids.len(), 2);
    assert!(
        ids.contains(&"+84911111111") && ids.contains(&"+84933333333"),
        "{ids:?}"
    );
}

/// KiotViet: walk-in invoices (`Khách lẻ`) have no customer code, so customers are read by
/// phone, in E.164 (`0912 345 678` = `+84 912 345 678` = `0912345678`); `Khách cần trả` once per
/// invoice; `Đã hủy` cancels; day-first dates.
#[test]
fn kiotviet_export() {
    let book = read(
        include_bytes!("data/kiotviet-invoices.csv"),
        &IngestOptions::default(),
    );
    let r = &book.report;
    assert_eq!(r.preset, "kiotviet");
    assert_eq!((r.rows_read, r.rows_rejected, r.rows_anonymous), (7, 0, 1));
    assert_eq!((r.orders, r.cancelled, r.customers), (5, 1, 2));
    assert!((r.revenue - 650_000.0).abs() < MONEY, "{}", r.revenue);
    assert_eq!(
        (r.first_date.as_deref(), r.last_date.as_deref()),
        (Some("2024-01-05"), Some("2024-01-31"))
    );
    assert_eq!(r.columns.name(Role::Customer), Some("Điện thoại"));
    assert_eq!(r.columns.name(Role::Amount), Some("Khách cần trả"));
    assert_eq!(r.columns.name(Role::Channel), Some("Kênh bán"));
    assert_eq!(r.customer_id_normalization, "phone");
    let ids: Vec<&str> = book.customer_ids.iter().collect();
    assert!(
        ids.contains(&"+84912345678") && ids.contains(&"+84987654321"),
        "{ids:?}"
    );
    assert!(
        r.note_codes
            .iter()
            .any(|n| n.code == "customer_column_fallback"),
        "{:?}",
        r.notes
    );
}

/// A KiotViet orders list (`Mã đặt hàng`) without a sales-channel column: recognised, the
/// branch kept as the location (where the sale was made), no channel; `Hủy` cancels.
#[test]
fn kiotviet_orders_keep_the_branch_as_location() {
    let text = "Mã đặt hàng,Thời gian,Chi nhánh,Mã khách hàng,Khách cần trả,Trạng thái\n\
DH001,03/02/2024 10:00,Quận 1,KH01,100000,Hoàn thành\n\
DH002,04/02/2024 10:00,Quận 3,KH02,200000,Hủy\n\
DH003,14/02/2024 10:00,Quận 3,KH01,50000,Hoàn thành\n";
    let book = read(text.as_bytes(), &IngestOptions::default());
    let r = &book.report;
    assert_eq!(r.preset, "kiotviet");
    assert_eq!(r.columns.name(Role::Location), Some("Chi nhánh"));
    assert_eq!(r.columns.name(Role::Channel), None);
    assert_eq!((r.orders, r.cancelled, r.customers), (2, 1, 1));
    assert!((r.revenue - 150_000.0).abs() < MONEY);
}

/// Quotes in a title: one that is never closed (a stray quote: its line is a title line, not a
/// header and not a row), a quoted word, a quoted cell over two lines (one record, as elsewhere).
/// Whole and streamed alike.
#[test]
fn quotes_in_a_title_block() {
    let mut body = String::from("order,customer,date,amount\n");
    for i in 1..300 {
        body.push_str(&format!("{i},C{},2024-01-{:02},10\n", i % 7, 1 + i % 28));
    }
    for (title, lines) in [
        ("\"Báo cáo tháng 3\n\n", 2),
        ("Báo cáo \"tháng 3\"\n", 1),
        ("\"Báo cáo\ntháng 3\"\n", 1),
    ] {
        let text = format!("{title}{body}");
        let whole = read(text.as_bytes(), &IngestOptions::default());
        let r = &whole.report;
        assert_eq!(
            (r.title_lines, r.rows_read, r.rows_rejected, r.blank_lines),
            (lines, 299, 0, 0),
            "{title:?}"
        );
        for chunk in [1, 5, 100] {
            let streamed = streamed(text.as_bytes(), &IngestOptions::default(), 500, chunk);
            assert_eq!(
                streamed.report, whole.report,
                "{title:?} in chunks of {chunk}"
            );
            assert_eq!(streamed.value, whole.value);
        }
    }
}
