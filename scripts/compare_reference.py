#!/usr/bin/env python3
"""Regenerates the figures `tests/compare.rs` compares "compare by country" against:

    pip install duckdb
    python3 scripts/compare_reference.py > tests/data/compare_reference.csv
    python3 scripts/compare_reference.py --full ../shared/data/online-retail.csv.gz \
        > tests/data/compare_reference_full.csv

Computed here in SQL written by hand on DuckDB from the raw Online Retail lines, independently
of the Rust code:
- an order is an invoice (value = Σ Quantity × UnitPrice, day = its earliest line's, country =
  its first line's, a return when its number starts with `C` or its value is negative);
- a customer's group is the country of their first purchase (the earliest day, then the first
  in the file); groups are the TOP countries with most customers (ties: first in the file), the
  rest one "Other" group;
- cohorts by month of the first purchase; per group and period index k, over the cohorts whose
  month k is before the data's last (incomplete) month: retention = customers with a purchase in
  month k / Σ cohort sizes, revenue per customer = purchase value in month k / Σ sizes;
- repeat customers = customers with purchases on two or more days;
- per order country (the overview): orders, distinct customers, net revenue, and net revenue per
  month; the TOP countries by revenue apart, the rest "Other".

Rows: `kind,group,customers,repeat_customers,orders,revenue,series_1,series_2,series_3`, where
`kind` is `customers` (series: retention, revenue per customer, Σ sizes, `;`-separated) or
`orders` (series_1: revenue per month); `group` is the country or `(other)`.
"""

import csv
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
SLICE = ROOT / "tests/data/online-retail-cohort-slice.csv"
TOP = 5
OTHER = "(other)"


def load(con, path):
    con.execute("SET threads = 1")
    con.execute(
        f"""
        CREATE TABLE lines AS
        SELECT row_number() OVER () AS line, InvoiceNo AS invoice,
               NULLIF(regexp_replace(trim(CustomerID), '\\.0$', ''), '') AS customer,
               CAST(InvoiceDate AS TIMESTAMP) AS line_time, Country AS country,
               CAST(Quantity AS DOUBLE) * CAST(UnitPrice AS DOUBLE) AS amount
        FROM read_csv('{path}', header = true, all_varchar = true)
        """
    )
    con.execute(
        """
        CREATE TABLE orders AS
        SELECT invoice, min(line) AS first_line, min(customer) AS customer,
               CAST(min(line_time) AS DATE) AS day, sum(amount) AS value,
               arg_min(country, line) AS country,
               invoice LIKE 'C%' OR sum(amount) < 0 AS is_return
        FROM lines GROUP BY invoice
        """
    )
    con.execute(
        """
        CREATE TABLE first_purchase AS
        SELECT customer, arg_min(country, (day, first_line)) AS country, min(day) AS day,
               date_trunc('month', min(day)) AS cohort
        FROM orders WHERE customer IS NOT NULL AND NOT is_return GROUP BY customer
        """
    )


def ranked(con, query):
    """The TOP values of `query` (value, weight, first line) heaviest first; ties: first line."""
    rows = con.execute(query).fetchall()
    rows.sort(key=lambda r: (-r[1], r[2]))
    return [r[0] for r in rows[:TOP]]


def customer_rows(con):
    top = ranked(con, """
        SELECT f.country, count(*), (SELECT min(line) FROM lines WHERE lines.country = f.country)
        FROM first_purchase f GROUP BY f.country""")
    con.execute("DROP TABLE IF EXISTS customer_group")
    con.execute("CREATE TABLE customer_group AS SELECT customer, cohort, "
                "CASE WHEN country IN (SELECT unnest(?)) THEN country ELSE ? END AS grp "
                "FROM first_purchase", [top, OTHER])
    (last_month,) = con.execute("SELECT date_trunc('month', max(day)) FROM orders").fetchone()
    rows = []
    for group in top + [OTHER]:
        customers, repeat = con.execute("""
            SELECT count(*), count(*) FILTER (WHERE days >= 2) FROM (
              SELECT g.customer, count(DISTINCT o.day) AS days FROM customer_group g
              JOIN orders o ON o.customer = g.customer AND NOT o.is_return
              WHERE g.grp = ? GROUP BY g.customer)""", [group]).fetchone()
        if customers == 0:
            continue
        cells = con.execute("""
            WITH cells AS (
              SELECT date_diff('month', g.cohort, date_trunc('month', o.day)) AS k,
                     count(DISTINCT g.customer) AS active, sum(o.value) AS revenue
              FROM customer_group g JOIN orders o ON o.customer = g.customer AND NOT o.is_return
              WHERE g.grp = ? AND date_trunc('month', o.day) < ?
              GROUP BY g.cohort, k
            )
            SELECT k, sum(active), sum(revenue) FROM cells GROUP BY k ORDER BY k""",
                            [group, last_month]).fetchall()
        by_index = {k: (active, value) for k, active, value in cells}
        retention, revenue, reached = [], [], []
        k = 0
        while True:
            (size,) = con.execute("""
                SELECT count(*) FROM customer_group
                WHERE grp = ? AND cohort + to_months(CAST(? AS INTEGER)) < ?""",
                                  [group, k, last_month]).fetchone()
            if size == 0:
                break
            active, value = by_index.get(k, (0, 0.0))
            retention.append(active / size)
            revenue.append(value / size)
            reached.append(size)
            k += 1
        rows.append(["customers", group, customers, repeat, "", "",
                     ";".join(map(repr, retention)), ";".join(map(repr, revenue)),
                     ";".join(map(str, reached))])
    return rows


def order_rows(con):
    top = ranked(con, "SELECT country, sum(value), min(first_line) FROM orders GROUP BY country")
    months = [m for (m,) in con.execute("""
        SELECT CAST(s AS DATE) FROM generate_series(
          (SELECT date_trunc('month', min(day)) FROM orders),
          (SELECT max(day) FROM orders), INTERVAL 1 MONTH) AS g(s)""").fetchall()]
    rows = []
    for group in top + [OTHER]:
        where = "country = ?" if group != OTHER else "country NOT IN (SELECT unnest(?))"
        argument = group if group != OTHER else top
        orders, customers, revenue = con.execute(
            f"SELECT count(*), count(DISTINCT customer), sum(value) FROM orders WHERE {where}",
            [argument]).fetchone()
        if orders == 0:
            continue
        per_month = dict(con.execute(
            f"SELECT CAST(date_trunc('month', day) AS DATE), sum(value) FROM orders "
            f"WHERE {where} GROUP BY 1", [argument]).fetchall())
        series = ";".join(repr(per_month.get(m, 0.0)) for m in months)
        rows.append(["orders", group, customers, "", orders, repr(revenue), series, "", ""])
    return rows


def main():
    path = SLICE
    if len(sys.argv) == 3 and sys.argv[1] == "--full":
        path = Path(sys.argv[2]).resolve()
    con = duckdb.connect()
    load(con, path)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["kind", "group", "customers", "repeat_customers", "orders", "revenue",
                  "series_1", "series_2", "series_3"])
    for row in customer_rows(con) + order_rows(con):
        out.writerow(row)


if __name__ == "__main__":
    main()
