//! The committed workbooks of tests/data/xlsx/ (made by scripts/make_xlsx_fixtures.py) read as
//! CSV text holding the values of their CSV twins in tests/data/, one line per sheet row.

use customer_lens_xlsx::{StreamError, Workbook};

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../tests/data/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn open(name: &str) -> Workbook {
    Workbook::open(bytes(&format!("xlsx/{name}"))).unwrap()
}

fn sheet_text(workbook: &mut Workbook, sheet: usize) -> String {
    String::from_utf8(workbook.sheet_csv(sheet).unwrap()).unwrap()
}

fn records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn twin(name: &str) -> Vec<Vec<String>> {
    records(&String::from_utf8(bytes(name)).unwrap())
}

#[test]
fn a_title_block_keeps_its_rows_and_the_table_reads_as_its_twin() {
    let mut workbook = open("kiotviet-titled.xlsx");
    assert_eq!(workbook.sheet_names(), ["Hóa đơn"]);
    let text = sheet_text(&mut workbook, 0);
    let lines: Vec<&str> = text.lines().collect();
    let twin_text = String::from_utf8(bytes("kiotviet-invoices-titled.csv")).unwrap();
    let twin_lines: Vec<&str> = twin_text.lines().collect();
    // Merged title cells are one cell; the blank row is an empty line, so the header is line 4
    // in both; formatted empty cells right of the table and rows below it are left out.
    assert_eq!(lines.len(), twin_lines.len());
    for (line, twin_line) in lines[..3].iter().zip(&twin_lines) {
        assert_eq!(*line, twin_line.trim_end_matches(','));
    }
    assert_eq!(lines[3..], twin_lines[3..]);
}

#[test]
fn serial_numbers_stay_numbers_and_text_stays_text_on_the_second_sheet() {
    let mut workbook = open("two-sheets.xlsx");
    assert_eq!(workbook.sheet_names(), ["Hướng dẫn", "Đơn hàng"]);
    assert_eq!(
        sheet_text(&mut workbook, 0),
        "Xuất từ Sapo ngày 01/06/2024\nDanh sách đơn hàng ở trang tính bên cạnh.\n"
    );
    let rows = records(&sheet_text(&mut workbook, 1));
    let expected = twin("sapo-orders.csv");
    assert_eq!(rows.len(), expected.len());
    assert_eq!(rows[0], expected[0]);
    let date = expected[0]
        .iter()
        .position(|h| h == "Ngày tạo đơn")
        .unwrap();
    // 2024-05-01 09:00 is serial 45413.375 (General format: a number, read as a date by the engine).
    assert_eq!(rows[1][date], "45413.375");
    for (row, twin_row) in rows.iter().zip(&expected).skip(1) {
        for (column, (value, twin_value)) in row.iter().zip(twin_row).enumerate() {
            if column != date {
                assert_eq!(value, twin_value);
            }
        }
    }
}

#[test]
fn dates_of_the_1904_date_system_read_as_their_day() {
    let mut workbook = open("haravan-1904.xlsx");
    let rows = records(&sheet_text(&mut workbook, 0));
    let dates: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        dates,
        [
            "2024-03-12T09:15:00",
            "2024-03-12T09:15:00",
            "2024-03-13T10:00:00",
            "2024-03-20T14:30:00",
            "2024-04-02T08:00:00"
        ]
    );
}

#[test]
fn date_cells_numbers_and_ids_read_as_the_csv_wrote_them() {
    let mut workbook = open("online-retail-slice.xlsx");
    let rows = records(&sheet_text(&mut workbook, 0));
    let expected = twin("online-retail-slice.csv");
    assert_eq!(rows.len(), expected.len());
    assert_eq!(rows[0], expected[0]);
    for (row, twin_row) in rows.iter().zip(&expected).skip(1) {
        let [
            invoice,
            stock,
            description,
            quantity,
            date,
            price,
            customer,
            country,
        ] = <[String; 8]>::try_from(twin_row.clone()).unwrap();
        // The CSV writes customer ids as floats (17850.0); Excel shows 17850.
        let customer = customer.strip_suffix(".0").unwrap_or(&customer).to_string();
        let date = date.replace(' ', "T");
        // Prices written 18.0 are the number 18.
        let price = price.strip_suffix(".0").unwrap_or(&price).to_string();
        assert_eq!(
            row,
            &[
                invoice,
                stock,
                description,
                quantity,
                date,
                price,
                customer,
                country
            ]
        );
    }
}

#[test]
fn a_sheet_streamed_in_chunks_is_the_whole_sheet_in_whole_lines() {
    let mut workbook = open("online-retail-slice.xlsx");
    let whole = workbook.sheet_csv(0).unwrap();
    let mut chunks = Vec::new();
    workbook
        .stream_sheet_csv(0, 4096, |chunk| {
            chunks.push(chunk.to_vec());
            Ok::<(), ()>(())
        })
        .unwrap();
    assert!(chunks.len() > 10);
    assert!(chunks.iter().all(|c| c.ends_with(b"\n")));
    assert_eq!(chunks.concat(), whole);
}

#[test]
fn what_the_receiver_refuses_stops_the_reading() {
    let mut workbook = open("online-retail-slice.xlsx");
    let mut calls = 0;
    let result = workbook.stream_sheet_csv(0, 4096, |_| {
        calls += 1;
        Err("refused")
    });
    assert!(matches!(result, Err(StreamError::Sink("refused"))));
    assert_eq!(calls, 1);
}

#[test]
fn files_that_are_no_workbook_get_a_message_that_says_what_to_do() {
    let error = Workbook::open(bytes("xlsx/orders-csv.zip")).err().unwrap();
    assert_eq!(error.code, "xlsx_not_a_workbook");
    assert!(error.message.contains("unzip it"), "{}", error.message);

    let mut truncated = bytes("xlsx/two-sheets.xlsx");
    truncated.truncate(truncated.len() / 2);
    let error = match Workbook::open(truncated) {
        Err(error) => error,
        Ok(mut workbook) => workbook.sheet_csv(1).unwrap_err(),
    };
    assert_eq!(error.code, "xlsx_unreadable");
    assert!(error.message.contains("save it again"), "{}", error.message);

    let error = open("two-sheets.xlsx").sheet_csv(2).unwrap_err();
    assert_eq!(error.code, "xlsx_sheet_not_found");
    assert_eq!(
        error.message,
        "This workbook has no sheet 3: its sheets are Hướng dẫn, Đơn hàng."
    );
}
