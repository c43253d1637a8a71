//! RFM on hand-made books (score boundaries, ties, every segment, custom rules, CSV round trip)
//! and on a committed slice of UCI Online Retail read through the real CSV ingestion.

use customer_lens::OrderBook;
use customer_lens::OrderKind::{Purchase, Return};
use customer_lens::day::Day;

use customer_lens::ingest::{IngestOptions, IngestedBook, read_csv};
use customer_lens::rfm::segments::{COMBINATIONS, all_combinations};
use customer_lens::rfm::{
    CSV_HEADER, MonetaryMode, QuartileGroup, RfmOptions, RfmTable, RowFilter, RuleTable, SEGMENTS,
    SegmentRule, rescale_to_five, rfm, score_customers, standard_rules, summarize, write_csv,
};

/// Money written with 2 decimals in the CSV.
const CENT: f64 = 0.005;
/// Shares and means computed from float sums.
const SHARE_TOLERANCE: f64 = 1e-9;

/// A book where customer `i` bought `frequency[i]` times, last on `as_of − recency[i]`, for a
/// total of `monetary[i]`.
fn book_of(as_of: i32, customers: &[(u32, u32, f64)]) -> OrderBook {
    let ids: Vec<String> = (0..customers.len()).map(|i| format!("c{i:03}")).collect();
    let mut orders = Vec::new();
    for (id, &(recency, frequency, monetary)) in ids.iter().zip(customers) {
        let last = as_of - recency as i32;
        for k in 0..frequency {
            let value = monetary / frequency as f64;
            orders.push((Some(id.as_str()), last - k as i32, value, Purchase));
        }
    }
    OrderBook::from_orders(orders)
}

fn options(as_of: i32, bins: u32) -> RfmOptions {
    RfmOptions {
        as_of: Some(Day(as_of)),
        bins,
        ..RfmOptions::default()
    }
}

#[test]
fn score_boundaries_and_ties_for_3_4_5_and_10_bins() {
    // Frequencies 1,1,1,2,2,3,4,5,6,7 of 10 customers: the three 1s start at rank 0, the two 2s at
    // rank 3, then ranks 5..9. Score = 1 + floor(bins × first rank / 10).
    let frequencies = [1, 1, 1, 2, 2, 3, 4, 5, 6, 7];
    let customers: Vec<(u32, u32, f64)> = frequencies
        .iter()
        .enumerate()
        .map(|(i, &f)| (i as u32, f, 10.0))
        .collect();
    let book = book_of(100, &customers);
    let cases: [(u32, [u8; 10]); 4] = [
        (3, [1, 1, 1, 1, 1, 2, 2, 3, 3, 3]),
        (4, [1, 1, 1, 2, 2, 3, 3, 3, 4, 4]),
        (5, [1, 1, 1, 2, 2, 3, 4, 4, 5, 5]),
        (10, [1, 1, 1, 4, 4, 6, 7, 8, 9, 10]),
    ];
    for (bins, expected) in cases {
        let table = score_customers(&book, &options(100, bins)).expect("scores");
        assert_eq!(table.f_score, expected, "frequency scores with {bins} bins");
        // Recency 0..9 for customers 0..9: the most recent (0 days) is best.
        let recency_expected: Vec<u8> = (0..10)
            .map(|i| 1 + (bins as usize * (9 - i) / 10) as u8)
            .collect();
        assert_eq!(
            table.r_score, recency_expected,
            "recency scores with {bins} bins"
        );
        // Everyone spent 10: one tie, everyone scores 1.
        assert!(table.m_score.iter().all(|&s| s == 1));
    }
}

#[test]
fn fewer_customers_than_bins_stay_in_range() {
    let book = book_of(50, &[(3, 2, 20.0), (10, 1, 5.0)]);
    for bins in 3..=10 {
        let table = score_customers(&book, &options(50, bins)).expect("scores");
        // Two customers: the worse at rank 0 scores 1, the better 1 + floor(bins / 2).
        let better = 1 + (bins / 2) as u8;
        assert_eq!(table.r_score, [better, 1], "bins {bins}");
        assert_eq!(table.f_score, [better, 1], "bins {bins}");
        assert_eq!(table.m_score, [better, 1], "bins {bins}");
        let summary = summarize(&table);
        assert!(
            summary
                .warnings
                .iter()
                .any(|w| w.contains("only 2 customers"))
        );
    }
}

/// 125 customers placed so that, with 5 bins, their scores are exactly the 125 combinations:
/// with n = 125 and no ties, score = 1 + rank / 25.
fn one_customer_per_combination() -> (OrderBook, Vec<(u8, u8, u8)>) {
    let mut customers = Vec::new();
    let mut combinations = Vec::new();
    for (r, f, m) in all_combinations() {
        let (r0, f0, m0) = (r as u32 - 1, f as u32 - 1, m as u32 - 1);
        let r_rank = r0 * 25 + f0 * 5 + m0;
        let f_rank = f0 * 25 + r0 * 5 + m0;
        let m_rank = m0 * 25 + r0 * 5 + f0;
        customers.push((200 - r_rank, f_rank + 1, 100.0 * (m_rank + 1) as f64));
        combinations.push((r, f, m));
    }
    (book_of(1000, &customers), combinations)
}

#[test]
fn each_of_the_125_combinations_maps_to_one_segment_and_every_segment_is_reached() {
    let (book, combinations) = one_customer_per_combination();
    let table = score_customers(&book, &options(1000, 5)).expect("scores");
    let rules = standard_rules();
    for (i, &(r, f, m)) in combinations.iter().enumerate() {
        assert_eq!(
            (table.r_score[i], table.f_score[i], table.m_score[i]),
            (r, f, m)
        );
        let first_match = rules
            .iter()
            .position(|rule| rule.contains(r, f, m))
            .expect("caught");
        let matches = table.segment_name(i) == rules[first_match].segment;
        assert!(
            matches,
            "R={r} F={f} M={m}: {} vs {}",
            table.segment_name(i),
            rules[first_match].segment
        );
    }
    let summary = summarize(&table);
    assert_eq!(summary.segments.len(), SEGMENTS.len());
    for segment in &summary.segments {
        assert!(segment.customers > 0, "{} is not reached", segment.name);
        assert!(segment.meaning.is_some() && segment.action_vi.is_some());
    }
    let per_rule: u32 = summary.rules.iter().map(|rule| rule.customers).sum();
    assert_eq!(per_rule, 125);
    for rule in &summary.rules {
        assert_eq!(
            rule.customers, rule.combinations,
            "one customer per combination: {}",
            rule.segment
        );
    }
    // Every cell of the 5×5 R×F grid holds the 5 M values.
    assert!(summary.grid.iter().all(|cell| cell.customers == 5));
}

#[test]
fn standard_table_in_markdown_lists_every_rule() {
    let markdown = RuleTable::standard().to_markdown();
    assert_eq!(markdown.lines().count(), 2 + standard_rules().len());
    assert!(
        markdown.contains("| 6 | Can't Lose Them | 1 | 4–5 | 4–5 |"),
        "{markdown}"
    );
    let combinations: u32 = RuleTable::standard().combinations_per_rule().iter().sum();
    assert_eq!(combinations as usize, COMBINATIONS);
}

#[test]
fn bins_other_than_five_are_rescaled_before_the_rules() {
    let (book, _) = one_customer_per_combination();
    for bins in [3, 4, 6, 10] {
        let table = score_customers(&book, &options(1000, bins)).expect("scores");
        let rules = RuleTable::standard();
        for i in 0..table.len() {
            let five = |s: u8| rescale_to_five(s, bins);
            let expected = rules.segment_for(
                five(table.r_score[i]),
                five(table.f_score[i]),
                five(table.m_score[i]),
            );
            assert_eq!(
                table.segment[i] as usize, expected,
                "bins {bins}, customer {i}"
            );
            assert!(table.r_score[i] as u32 <= bins && table.r_score[i] >= 1);
        }
        assert_eq!(summarize(&table).grid.len(), (bins * bins) as usize);
    }
}

#[test]
fn a_custom_rule_table_replaces_the_standard_one() {
    let (book, combinations) = one_customer_per_combination();
    let rules = vec![
        SegmentRule::new("Champions", [5, 5], [4, 5], [1, 5]),
        SegmentRule::new("Sleepers", [1, 2], [1, 5], [1, 5]),
        SegmentRule::new("Shadowed", [1, 1], [1, 1], [1, 1]),
        SegmentRule::new("Everyone else", [1, 5], [1, 5], [1, 5]),
    ];
    let options = RfmOptions {
        rules: Some(rules),
        ..options(1000, 5)
    };
    let table = score_customers(&book, &options).expect("a valid custom table");
    let summary = summarize(&table);
    let names: Vec<&str> = summary.segments.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["Champions", "Sleepers", "Shadowed", "Everyone else"]
    );
    let counts: Vec<u32> = summary.segments.iter().map(|s| s.customers).collect();
    assert_eq!(counts, [10, 50, 0, 65]);
    assert_eq!(
        summary.segments[1].meaning, None,
        "a custom name has no catalogue text"
    );
    assert_eq!(summary.rules[2].combinations, 0);
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.starts_with("rule 3 (Shadowed) never applies"))
    );
    for (i, &(r, _, _)) in combinations.iter().enumerate() {
        if r <= 2 {
            assert_eq!(table.segment_name(i), "Sleepers");
        }
    }

    let gap = vec![SegmentRule::new("Champions", [1, 5], [1, 4], [1, 5])];
    let error = score_customers(
        &book,
        &RfmOptions {
            rules: Some(gap),
            ..RfmOptions::default()
        },
    )
    .expect_err("F=5 is not caught");
    assert!(
        error
            .to_string()
            .starts_with("no rule catches R=1 F=5 M=1 (and 24 other combinations)"),
        "{error}"
    );
}

#[test]
fn monetary_can_be_the_average_order_value() {
    let book = book_of(10, &[(0, 4, 400.0), (1, 1, 150.0), (2, 2, 100.0)]);
    let options = RfmOptions {
        monetary: MonetaryMode::Average,
        ..options(10, 5)
    };
    let table = score_customers(&book, &options).expect("scores");
    assert_eq!(table.monetary(), [100.0, 150.0, 50.0]);
    assert_eq!(table.m_score, [2, 4, 1]);
    let summary = summarize(&table);
    assert!(
        (summary.revenue - 650.0).abs() < SHARE_TOLERANCE,
        "revenue stays the net value"
    );
}

#[test]
fn orders_after_as_of_are_ignored_and_every_customer_is_accounted_for() {
    let day = |d: u32| Day::from_ymd(2024, 3, d).expect("a date").0;
    let book = OrderBook::from_orders([
        (Some("early"), day(1), 10.0, Purchase),
        (Some("early"), day(20), 30.0, Purchase),
        (Some("refunded"), day(2), -5.0, Return),
        (Some("late"), day(25), 8.0, Purchase),
        (None, day(3), 99.0, Purchase),
    ]);
    let summary = rfm(
        &book,
        &RfmOptions {
            as_of: Some(Day(day(10))),
            ..RfmOptions::default()
        },
    )
    .expect("rfm");
    assert_eq!(
        (
            summary.customers,
            summary.customers_returns_only,
            summary.customers_after_as_of
        ),
        (1, 1, 1)
    );
    assert!(
        (summary.revenue - 10.0).abs() < SHARE_TOLERANCE,
        "the order of the 20th is after as-of"
    );
    let summary = rfm(&book, &RfmOptions::default()).expect("rfm");
    assert_eq!(summary.as_of, day(25));
    assert_eq!(
        summary.customers + summary.customers_returns_only + summary.customers_after_as_of,
        3
    );
}

#[test]
fn quartile_view_uses_quartile_scores() {
    let (book, combinations) = one_customer_per_combination();
    let table = score_customers(&book, &options(1000, 5)).expect("scores");
    let summary = summarize(&table);
    // Quartile 4 = rank ≥ 93.75 of 125, i.e. ranks 94..124 (31 customers) on each dimension.
    let quartile = |rank: u32| 1 + 4 * rank / 125;
    let mut vip = 0;
    for (i, &(r, f, m)) in combinations.iter().enumerate() {
        let (r0, f0, m0) = (r as u32 - 1, f as u32 - 1, m as u32 - 1);
        let ranks = (
            r0 * 25 + f0 * 5 + m0,
            f0 * 25 + r0 * 5 + m0,
            m0 * 25 + r0 * 5 + f0,
        );
        let expected = match (quartile(ranks.0), quartile(ranks.1), quartile(ranks.2)) {
            (4, 4, 4) => Some(QuartileGroup::Vip),
            (1, 4, 4) => Some(QuartileGroup::Reactivate),
            _ => None,
        };
        assert_eq!(table.quartile_group(i), expected, "customer {i}");
        vip += (expected == Some(QuartileGroup::Vip)) as u32;
    }
    assert_eq!(summary.quartiles.vip.customers, vip);
    assert!(vip > 0 && summary.quartiles.reactivate.customers > 0);
}

/// Ids that need quoting or neutralising, or are not ASCII.
const AWKWARD_IDS: [&str; 6] = [
    "plain",
    "has,comma",
    "has \"quotes\"",
    "=HYPERLINK(\"x\")",
    "-7",
    "Nguyễn Văn Á",
];

#[test]
fn csv_export_round_trips() {
    let mut orders = Vec::new();
    for (i, id) in AWKWARD_IDS.iter().enumerate() {
        for k in 0..=i {
            orders.push((
                Some(*id),
                10 * i as i32 + k as i32,
                12.345 * (i + 1) as f64,
                Purchase,
            ));
        }
    }
    orders.push((Some("plain"), 3, -1.0, Return));
    let book = OrderBook::from_orders(orders);
    let table = score_customers(&book, &RfmOptions::default()).expect("scores");
    let text = write_csv(&book, &table, &RowFilter::default()).expect("csv");
    assert!(text.starts_with(&format!("{CSV_HEADER}\n")));

    let rows = parse_csv(&text);
    assert_eq!(rows.len(), AWKWARD_IDS.len());
    for (i, row) in rows.iter().enumerate() {
        let expected_id = match AWKWARD_IDS[i] {
            id if id.starts_with(['=', '-']) => format!("'{id}"),
            id => id.to_string(),
        };
        assert_eq!(row[0], expected_id);
        assert_eq!(row[1].parse::<u32>().unwrap(), table.recency_days[i]);
        assert_eq!(row[2].parse::<u32>().unwrap(), table.frequency[i]);
        assert!((row[3].parse::<f64>().unwrap() - table.monetary()[i]).abs() <= CENT);
        assert_eq!(
            row[3].split('.').nth(1).map(str::len),
            Some(2),
            "two decimals: {}",
            row[3]
        );
        let scores = [table.r_score[i], table.f_score[i], table.m_score[i]];
        assert_eq!(
            [&row[4], &row[5], &row[6]],
            scores.map(|s| s.to_string()).each_ref()
        );
        assert_eq!(row[7], table.segment_name(i));
    }

    let segment = table.segment_name(AWKWARD_IDS.len() - 1).to_uppercase();
    let filter = RowFilter {
        segment: Some(segment.clone()),
        group: None,
    };
    let filtered = parse_csv(&write_csv(&book, &table, &filter).expect("csv"));
    let expected = (0..table.len())
        .filter(|&i| table.segment_name(i).eq_ignore_ascii_case(&segment))
        .count();
    assert_eq!(filtered.len(), expected);
    assert!(
        filtered
            .iter()
            .all(|row| row[7].eq_ignore_ascii_case(&segment))
    );

    let blank = RowFilter {
        segment: Some(" ".into()),
        group: None,
    };
    assert_eq!(
        write_csv(&book, &table, &blank).expect("csv"),
        text,
        "a blank segment keeps all"
    );

    let unknown = RowFilter {
        segment: Some("Nobody".into()),
        group: None,
    };
    let error = write_csv(&book, &table, &unknown).expect_err("unknown segment");
    assert!(
        error
            .to_string()
            .starts_with("unknown segment 'Nobody': choose one of Champions"),
        "{error}"
    );
}

/// Parses CSV text with the `csv` crate, checking the header.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header.join(","), CSV_HEADER);
    reader
        .records()
        .map(|record| {
            record
                .expect("a valid CSV record")
                .iter()
                .map(String::from)
                .collect()
        })
        .collect()
}

fn online_retail_slice() -> IngestedBook {
    let bytes = include_bytes!("data/online-retail-rfm-slice.csv");
    read_csv(bytes, &IngestOptions::preset("online-retail")).expect("the slice reads")
}

/// Figures computed independently (a short Python script over the same slice, invoices grouped
/// by number, `C…` invoices as returns) as of 2011-12-09.
#[test]
fn online_retail_slice_matches_the_acceptance_figures() {
    let book = online_retail_slice();
    let as_of = Day::from_ymd(2011, 12, 9);
    let table = score_customers(
        &book,
        &RfmOptions {
            as_of,
            ..RfmOptions::default()
        },
    )
    .expect("scores");
    assert_eq!(table.len(), 197);
    assert_eq!(table.customers_returns_only, 5);

    let position = |id: &str| {
        (0..table.len())
            .find(|&i| book.customer_ids[table.customer(i) as usize] == *id)
            .unwrap_or_else(|| panic!("customer {id} is not scored"))
    };
    let cases = [
        ("12347", 2, 7, 4310.00),
        ("12346", 325, 1, 0.00),
        ("15363", 372, 1, 318.05),
        ("15882", 198, 4, 495.36),
        ("13329", 31, 2, 740.40),
        ("18193", 165, 1, 212.96),
    ];
    for (id, recency, frequency, monetary) in cases {
        let i = position(id);
        assert_eq!(
            (table.recency_days[i], table.frequency[i]),
            (recency, frequency),
            "customer {id}"
        );
        assert!(
            (table.monetary()[i] - monetary).abs() < CENT,
            "customer {id}: {}",
            table.monetary()[i]
        );
    }
    let recency_sum: u32 = table.recency_days.iter().sum();
    let frequency_sum: u32 = table.frequency.iter().sum();
    let monetary_sum: f64 = table.monetary().iter().sum();
    assert_eq!((recency_sum, frequency_sum), (28800, 315));
    assert!((monetary_sum - 88729.77).abs() < CENT);

    let rows = parse_csv(&write_csv(&book, &table, &RowFilter::default()).expect("csv"));
    let row_12346 = rows
        .iter()
        .find(|row| row[0] == "12346")
        .expect("12346 exported");
    assert_eq!(&row_12346[1..4], ["325", "1", "0.00"]);
}

/// The full data set (4,339 customers as of 2011-12-09) is too big to commit; the figure was
/// checked by hand with the same code on /tmp/online-retail.csv. This checks what the slice can:
/// the summary's shares and counts are consistent.
#[test]
fn online_retail_slice_summary_is_consistent() {
    let book = online_retail_slice();
    let summary = rfm(&book, &RfmOptions::default()).expect("rfm");
    assert_eq!(
        Some(summary.as_of),
        book.last_day(),
        "as-of defaults to the last order day"
    );
    assert_eq!(
        Some(summary.as_of),
        Day::from_ymd(2011, 12, 8).map(|day| day.0),
        "the slice's last order"
    );
    assert_eq!(
        summary.customers + summary.customers_returns_only,
        book.customer_count() as u32
    );
    let share: f64 = summary
        .segments
        .iter()
        .filter_map(|s| s.revenue_share)
        .sum();
    assert!((share - 1.0).abs() < SHARE_TOLERANCE);
    let pareto = &summary.pareto;
    assert_eq!(pareto.points.len(), 101);
    assert!(
        pareto
            .points
            .windows(2)
            .all(|w| w[1].customer_share > w[0].customer_share)
    );
    assert!(
        pareto.top20_revenue_share.expect("positive revenue") > 0.2,
        "the top 20% bring more than 20%"
    );
    let check = |table: &RfmTable| {
        table
            .segment
            .iter()
            .all(|&s| (s as usize) < table.rules.segments().len())
    };
    assert!(check(
        &score_customers(&book, &RfmOptions::default()).expect("scores")
    ));
}
