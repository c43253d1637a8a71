//! Rows handed over by a host (`read_row_source`, behind the JS `fromRows` and `fromColumns`):
//! numbers written as a CSV file holds them, the same book as the CSV text, and only the columns
//! some rule reads asked for once the sample has decided the rules.

use customer_lens::ingest::{
    IngestOptions, RowFields, RowSource, read_csv, read_row_source, read_rows,
};
use customer_lens::message::Message;

/// Rows of numbers and texts, recording the columns asked for after the sample.
struct Values {
    headers: Vec<String>,
    rows: Vec<Vec<Value>>,
    asked_after_sample: Vec<bool>,
}

#[derive(Clone)]
enum Value {
    Number(f64),
    Text(&'static str),
}

impl RowSource for Values {
    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn row_count(&self) -> usize {
        self.rows.len()
    }

    fn read(&mut self, index: usize, wanted: &[bool], row: &mut RowFields) -> Result<(), Message> {
        if wanted.iter().any(|w| !w) {
            self.asked_after_sample = wanted.to_vec();
        }
        for (value, &wanted) in self.rows[index].iter().zip(wanted) {
            match value {
                _ if !wanted => row.push(""),
                Value::Number(number) => row.push_number(*number),
                Value::Text(text) => row.push(text),
            }
        }
        Ok(())
    }
}

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|h| h.to_string()).collect()
}

#[test]
fn numbers_are_written_as_javascript_writes_them() {
    let cases = [
        (17850.0, "17850"),
        (-0.0, "0"),
        (12.5, "12.5"),
        (0.1 + 0.2, "0.30000000000000004"),
        (-30.25, "-30.25"),
        (1e15, "1000000000000000"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "Infinity"),
        (f64::NEG_INFINITY, "-Infinity"),
    ];
    let rows = cases
        .iter()
        .map(|&(number, _)| {
            vec![
                Value::Number(number),
                Value::Text("2024-01-01"),
                Value::Number(1.0),
            ]
        })
        .collect();
    let mut source = Values {
        headers: headers(&["customer", "date", "amount"]),
        rows,
        asked_after_sample: Vec::new(),
    };
    let options = IngestOptions {
        customer_id_normalization: customer_lens::ingest::IdNormalization::None,
        ..IngestOptions::default()
    };
    let book = read_row_source(&mut source, &options).unwrap();
    let ids: Vec<&str> = book.customer_ids.iter().collect();
    let expected: Vec<&str> = cases.iter().map(|&(_, text)| text).collect();
    assert_eq!(ids, expected);
}

#[test]
fn rows_past_the_sample_are_read_at_the_used_columns_only_and_give_the_csv_book() {
    let mut csv = String::from("order,customer,date,total,note\n");
    let mut rows = Vec::new();
    for i in 0..6_000 {
        let total = (i % 97) as f64 * 1.25 - 10.0;
        let customer = ["C1", "C2", "C3", "C4"][i % 4];
        let day = ["2024-01-05", "2024-02-29", "2024-03-31"][i % 3];
        csv.push_str(&format!("{i},{customer},{day},{total},n{i}\n"));
        rows.push(vec![
            Value::Number(i as f64),
            Value::Text(customer),
            Value::Text(day),
            Value::Number(total),
            Value::Text("a note no rule reads"),
        ]);
    }
    let mut source = Values {
        headers: headers(&["order", "customer", "date", "total", "note"]),
        rows,
        asked_after_sample: Vec::new(),
    };
    let options = IngestOptions::default();
    let from_rows = read_row_source(&mut source, &options).unwrap();
    assert_eq!(source.asked_after_sample, [true, true, true, true, false]);
    let from_csv = read_csv(csv.as_bytes(), &options).unwrap();
    let orders = |b: &customer_lens::OrderBook| {
        let ids: Vec<String> = b.customer_ids.iter().map(str::to_string).collect();
        (
            ids,
            b.customer.clone(),
            b.day.clone(),
            b.value.clone(),
            b.kind.clone(),
        )
    };
    assert_eq!(orders(&from_rows), orders(&from_csv));
    let report = |r: &customer_lens::ingest::IngestReport| {
        (
            r.rows_read,
            r.rows_accepted,
            r.rows_rejected,
            r.rejects.clone(),
            r.notes.clone(),
        )
    };
    assert_eq!(report(&from_rows.report), report(&from_csv.report));
    assert_eq!(from_rows.report.rows_read, 6_000);
}

#[test]
fn an_empty_list_and_the_headerless_preset_are_refused() {
    let empty = read_rows(
        headers(&["customer", "date", "total"]),
        &[],
        &IngestOptions::default(),
    );
    assert_eq!(empty.unwrap_err().code, "no_rows");
    let rows = vec![vec![
        "C1".to_string(),
        "19970101".into(),
        "1".into(),
        "9.99".into(),
    ]];
    let cdnow = read_rows(
        headers(&["customer", "date", "quantity", "amount"]),
        &rows,
        &IngestOptions::preset("cdnow"),
    );
    assert_eq!(cdnow.unwrap_err().code, "cdnow_rows");
}
