#!/usr/bin/env python3
"""Per-country figures of UCI Online Retail by a query written by hand (DuckDB), independent of
the crate and of its SQL rendering: the pin of the country filter's acceptance test
(`tests/filter.rs`).

The rules are the `online-retail` preset's, written out: an order is an InvoiceNo; its value the
sum of Quantity × UnitPrice of its lines; a return when the InvoiceNo starts with `C` or the
value is negative; its country the first non-empty Country of its lines in file order; its
customer the CustomerID without a trailing `.0` (empty: a guest order). Per country: orders,
purchases, returns, revenue (net, rounded to cents) and customers with a purchase there.

Usage: country_figures.py FILE.csv[.gz] > figures.csv
(`tests/data/online-retail-countries.csv` is this over the full file,
`tests/data/online-retail-cohort-slice-countries.csv` over the committed slice.)
"""

import csv
import sys

import duckdb

QUERY = """
WITH lines AS (
  SELECT
    row_number() OVER () AS line,
    InvoiceNo AS invoice,
    NULLIF(regexp_replace(trim(CAST(CustomerID AS VARCHAR)), '\\.0+$', ''), '') AS customer,
    NULLIF(trim(Country), '') AS country,
    CAST(Quantity AS DOUBLE) * CAST(UnitPrice AS DOUBLE) AS amount
  FROM read_csv(?, header = true, all_varchar = true)
),
orders AS (
  SELECT
    invoice,
    min(customer) AS customer,
    arg_min(country, line) FILTER (WHERE country IS NOT NULL) AS country,
    sum(amount) AS value
  FROM lines
  GROUP BY invoice
),
kinds AS (
  SELECT *, starts_with(invoice, 'C') OR value < 0 AS is_return FROM orders
)
SELECT
  coalesce(country, '') AS country,
  count(*) AS orders,
  count(*) FILTER (WHERE NOT is_return) AS purchases,
  count(*) FILTER (WHERE is_return) AS returns,
  round(sum(value), 2) AS revenue,
  count(DISTINCT customer) FILTER (WHERE NOT is_return) AS customers_with_purchase
FROM kinds
GROUP BY 1
ORDER BY orders DESC, country
"""


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rows = duckdb.execute(QUERY, [sys.argv[1]]).fetchall()
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["country", "orders", "purchases", "returns", "revenue", "customers_with_purchase"])
    for country, orders, purchases, returns, revenue, customers in rows:
        out.writerow([country, orders, purchases, returns, f"{revenue:.2f}", customers])


if __name__ == "__main__":
    main()
