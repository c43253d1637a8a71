//! A stray quote — one `"` that opens a field and is never closed — must not swallow the rest of
//! a file: its row is read again with the quote as an ordinary character and rejected with a
//! reason, every line after it is read as a row, and the result is the same whole and streamed.

use customer_lens::ingest::{IngestOptions, IngestedBook, OrderBookBuilder, read_csv};

const HEADER: &str = "order,customer,date,amount\n";

/// A generated order list of `rows` rows (one order each, 20.5 apiece), with the rows numbered
/// in `stray` (1-based data rows) opening a quote before the customer id and never closing it.
fn order_list(rows: usize, stray: &[usize]) -> String {
    let mut text = String::from(HEADER);
    for i in 1..=rows {
        let quote = if stray.contains(&i) { "\"" } else { "" };
        let day = 1 + i % 28;
        text.push_str(&format!("{i},{quote}C{i},2024-01-{day:02},20.5\n"));
    }
    text
}

/// Pushes `text` in pieces of `piece` bytes into a builder that decides the file's reading after
/// `sniff` bytes.
fn streamed(text: &str, sniff: usize, piece: usize) -> IngestedBook {
    let mut builder = OrderBookBuilder::with_sniff_bytes(IngestOptions::default(), sniff).unwrap();
    for chunk in text.as_bytes().chunks(piece) {
        builder.push(chunk).unwrap();
    }
    builder.finish().unwrap()
}

/// A rejected row as the tests compare it: its number, code and column.
type RejectView = (u64, &'static str, String);

/// The rows read, accepted and rejected, the orders, and the rejected rows.
fn outcome(book: &IngestedBook) -> (u64, u64, u64, u64, Vec<RejectView>) {
    let r = &book.report;
    assert_eq!(r.rows_accepted + r.rows_rejected, r.rows_read, "{r:#?}");
    let rejects = r
        .rejects
        .iter()
        .map(|x| (x.row, x.reason.code.as_str(), x.column.clone()))
        .collect();
    (
        r.rows_read,
        r.rows_accepted,
        r.rows_rejected,
        r.orders,
        rejects,
    )
}

/// Whole, and streamed in several piece sizes after the default and a small sniff: the same
/// book every time.
fn read_every_way(text: &str, pieces: &[usize]) -> IngestedBook {
    let whole = read_csv(text.as_bytes(), &IngestOptions::default()).unwrap();
    for &piece in pieces {
        for sniff in [64, 1 << 20] {
            let book = streamed(text, sniff, piece);
            assert_eq!(
                outcome(&book),
                outcome(&whole),
                "pieces of {piece}, sniffing {sniff}"
            );
            assert_eq!(book.customer_ids, whole.customer_ids);
            assert_eq!(book.value, whole.value);
            assert_eq!(book.day, whole.day);
        }
    }
    whole
}

/// The issue's case: row 11 of a 100,000-row list reads `10,"C10,2024-01-11,20.5`. Before, the
/// quote took in the 99,990 rows after it: 10 rows read, 9 orders.
#[test]
fn a_stray_quote_early_in_a_large_file_loses_only_its_row() {
    let text = order_list(100_000, &[10]);
    assert!(text.contains("\n10,\"C10,2024-01-11,20.5\n"));
    let book = read_every_way(&text, &[1_000, 65_536, 1 << 20]);
    let (read, accepted, rejected, orders, rejects) = outcome(&book);
    assert_eq!(
        (read, accepted, rejected, orders),
        (100_000, 99_999, 1, 99_999)
    );
    // Row 11 of the file (the header is row 1) is the one with the quote, in the customer column.
    assert_eq!(rejects, [(11, "stray_quote", "customer".to_string())]);
    let reject = &book.report.rejects[0];
    assert_eq!(reject.value, "\"C10");
    assert!(
        reject.reason.message.contains("never closed"),
        "{}",
        reject.reason
    );
    assert!((book.report.revenue - 99_999.0 * 20.5).abs() < 1e-6);
    assert!(book.customer_ids.iter().all(|id| !id.contains('"')));
}

/// A stray quote far into the file, and two of them, some way apart.
#[test]
fn stray_quotes_late_and_twice_in_a_large_file() {
    let text = order_list(100_000, &[99_950]);
    let (read, accepted, rejected, _, rejects) = outcome(&read_every_way(&text, &[4_096, 1 << 20]));
    assert_eq!((read, accepted, rejected), (100_000, 99_999, 1));
    assert_eq!(rejects, [(99_951, "stray_quote", "customer".to_string())]);

    let text = order_list(100_000, &[500, 70_000]);
    let book = read_every_way(&text, &[777, 1 << 20]);
    let (read, accepted, rejected, orders, rejects) = outcome(&book);
    assert_eq!(
        (read, accepted, rejected, orders),
        (100_000, 99_998, 2, 99_998)
    );
    assert_eq!(
        rejects,
        [
            (501, "stray_quote", "customer".to_string()),
            (70_001, "stray_quote", "customer".to_string())
        ]
    );
}

/// Two stray quotes a few rows apart: the second closes the field the first opened, which took in
/// the rows between (before: one accepted row whose customer id spanned 30 lines, 30 orders
/// gone). Both rows are rejected, the rows between are read as rows.
#[test]
fn two_stray_quotes_close_together_in_a_large_file() {
    let text = order_list(100_000, &[40_000, 40_030]);
    let book = read_every_way(&text, &[1, 777, 1 << 20]);
    let (read, accepted, rejected, orders, rejects) = outcome(&book);
    assert_eq!(
        (read, accepted, rejected, orders),
        (100_000, 99_998, 2, 99_998)
    );
    assert_eq!(
        rejects,
        [
            (40_001, "stray_quote", "customer".to_string()),
            (40_031, "stray_quote", "customer".to_string())
        ]
    );
    assert!(book.customer_ids.iter().all(|id| !id.contains('\n')));
}

/// Three stray quotes in a smaller file read in tiny pieces: found past a hundred lines, and the
/// last one (on the row before the last) at the end of the input.
#[test]
fn three_stray_quotes_in_tiny_pieces() {
    let text = order_list(2_000, &[300, 450, 1_999]);
    let (read, accepted, rejected, _, rejects) =
        outcome(&read_every_way(&text, &[1, 7, 100, 4_096]));
    assert_eq!((read, accepted, rejected), (2_000, 1_997, 3));
    let rows: Vec<u64> = rejects.iter().map(|r| r.0).collect();
    assert_eq!(rows, [301, 451, 2_000]);
}

/// A quote opening on the last row runs to the end of the input: that row alone is rejected,
/// with or without a final line break.
#[test]
fn a_quote_opening_on_the_last_row() {
    for ending in ["\n", "", "\r\n"] {
        let text =
            format!("{HEADER}1,a,2024-01-01,5\n2,b,2024-01-02,6\n3,\"c,2024-01-03,7{ending}");
        let book = read_every_way(&text, &[1, 2, 3, 5, 8]);
        let (read, accepted, rejected, _, rejects) = outcome(&book);
        assert_eq!((read, accepted, rejected), (3, 2, 1), "ending {ending:?}");
        assert_eq!(rejects, [(4, "stray_quote", "customer".to_string())]);
        assert_eq!(book.report.rejects[0].value, "\"c");
    }
    // In the header's last column, a quote closed on the last line is a field that spans lines.
    let text = format!("{HEADER}1,a,2024-01-01,\"5\n\"\n");
    let (read, accepted, ..) = outcome(&read_every_way(&text, &[1, 3]));
    assert_eq!((read, accepted), (1, 1));
}

/// A small file in pieces of 1 to 9 bytes, a stray quote two rows from the end (no quote after
/// it closes it) and quoted fields before it (a delimiter and a doubled quote inside quotes,
/// CRLF line ends). A later quote would close it: then the rows between are one field, and
/// only a hundred lines of rows, or the end of the file, are evidence enough to say otherwise.
#[test]
fn a_small_file_in_tiny_pieces() {
    let text = "order,customer,date,amount\r\n\
                1,\"Lê, Văn\",2024-01-01,5\r\n\
                2,b,2024-01-02,\"6\"\r\n\
                3,\"c \"\"x\"\"\",2024-01-03,7\r\n\
                4,\"d,2024-01-04,8\r\n\
                5,e,2024-01-05,9\r\n\
                6,f,2024-01-06,10\r\n";
    let book = read_every_way(text, &[1, 2, 3, 4, 5, 6, 7, 8, 9]);
    let (read, accepted, rejected, _, rejects) = outcome(&book);
    assert_eq!((read, accepted, rejected), (6, 5, 1));
    assert_eq!(rejects, [(5, "stray_quote", "customer".to_string())]);
    assert_eq!(book.customer_ids, ["Lê, Văn", "b", "c \"x\"", "e", "f"]);
}

/// Order notes that span lines are legitimate: a note of a few lines, and one of 150 lines of
/// prose, are each one cell of one row.
#[test]
fn a_multi_line_note_is_still_one_cell() {
    let prose: Vec<String> = (1..=150)
        .map(|i| format!("note line {i} of the order"))
        .collect();
    let text = format!(
        "order,customer,note,date,amount\n\
         1,a,\"deliver to the back door\nring twice, please\",2024-01-01,5\n\
         2,b,\"{}\",2024-01-02,6\n\
         3,c,,2024-01-03,x\n",
        prose.join("\n")
    );
    let book = read_every_way(&text, &[1, 10, 100, 1 << 20]);
    let (read, accepted, rejected, _, rejects) = outcome(&book);
    assert_eq!((read, accepted, rejected), (3, 2, 1));
    // A row is a record: the third row is row 4 (as a spreadsheet numbers it), whatever lines
    // the notes before it span.
    assert_eq!(rejects, [(4, "value_not_a_number", "amount".to_string())]);
    assert_eq!(book.customer_ids, ["a", "b"]);
}

/// A field past a hundred lines whose lines read as rows is a stray quote even when a quote
/// further on closes it: the lines are rows, not a note.
#[test]
fn a_quote_closed_hundreds_of_rows_later_is_stray_too() {
    let mut text = order_list(500, &[100]);
    // Row 400 ends with a quote, which closed the field opened on row 100.
    text = text.replace(
        "\n400,C400,2024-01-09,20.5\n",
        "\n400,C400,2024-01-09,20.5\"\n",
    );
    assert!(text.contains("20.5\"\n"));
    let book = read_every_way(&text, &[1, 64, 1 << 20]);
    let (read, accepted, rejected, _, rejects) = outcome(&book);
    assert_eq!((read, rejected), (500, 2), "{rejects:?}");
    assert_eq!(accepted, 498);
    assert_eq!(rejects[0], (101, "stray_quote", "customer".to_string()));
    // Row 400's amount `20.5"` is not a number: rejected by its own reason.
    assert_eq!(rejects[1].0, 401);
}
