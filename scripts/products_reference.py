#!/usr/bin/env python3
"""The product figures `tests/products.rs` pins on UCI Online Retail, computed independently in
DuckDB SQL from the raw file (not from the engine): product count, the products table's totals,
the top products by buyers, and the first-product analysis (store row and the products first
bought by the most customers).

The rules, written out here as the README defines them: an invoice is an order, its day the
earliest line's, its value the sum of Quantity × UnitPrice; a return when its number starts with
C or its value is negative, else a purchase. `EXCLUDED` is the engine's not-a-product proposal
on this file (checked by the test itself); the figures leave those lines out.

Usage: python3 scripts/products_reference.py [online-retail.csv(.gz)]   (pip install duckdb)
Default file: ../shared/data/online-retail.csv.gz.
"""

import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
EXCLUDED = ["POST", "DOT", "M", "C2", "23444", "D", "BANK CHARGES", "AMAZONFEE", "S", "23574",
            "CRUK", "B", "23595", "m"]

path = sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "shared/data/online-retail.csv.gz")
db = duckdb.connect()
db.execute(f"""
CREATE TABLE raw AS SELECT * FROM read_csv('{path}', header = true, all_varchar = true);
CREATE TABLE lines AS SELECT
  InvoiceNo AS invoice, trim(StockCode) AS product,
  CAST(Quantity AS DOUBLE) AS quantity,
  CAST(Quantity AS DOUBLE) * CAST(UnitPrice AS DOUBLE) AS amount,
  CAST(CAST(InvoiceDate AS TIMESTAMP) AS DATE) AS day,
  NULLIF(regexp_replace(trim(CustomerID), '\\.0+$', ''), '') AS customer
FROM raw;
CREATE TABLE orders AS SELECT
  invoice, min(day) AS day, sum(amount) AS value, any_value(customer) AS customer,
  CASE WHEN invoice LIKE 'C%' OR sum(amount) < 0 THEN 'return' ELSE 'purchase' END AS kind
FROM lines GROUP BY invoice;
CREATE TABLE kept AS SELECT l.product, l.quantity, l.amount, o.invoice, o.day, o.kind, o.customer
FROM lines l JOIN orders o USING (invoice)
WHERE l.product NOT IN (SELECT unnest(?));
""", [EXCLUDED])

print("products in the file:", db.execute("SELECT count(DISTINCT product) FROM lines").fetchone()[0])
print("purchase orders with a product, their buyers:", db.execute("""
  SELECT count(DISTINCT invoice), count(DISTINCT customer) FROM kept WHERE kind = 'purchase'
""").fetchone())
print("top products by buyers: id, buyers, purchase orders, repeat buyers (2+ days), revenue")
for row in db.execute("""
  WITH per_buyer AS (
    SELECT product, customer, count(DISTINCT day) AS days FROM kept
    WHERE kind = 'purchase' AND customer IS NOT NULL GROUP BY product, customer),
  buyers AS (
    SELECT product, count(*) AS buyers, count(*) FILTER (WHERE days >= 2) AS repeat_buyers
    FROM per_buyer GROUP BY product),
  totals AS (
    SELECT product, round(sum(amount), 2) AS revenue,
      count(DISTINCT invoice) FILTER (WHERE kind = 'purchase') AS orders
    FROM kept GROUP BY product)
  SELECT product, buyers, orders, repeat_buyers, revenue
  FROM buyers JOIN totals USING (product) ORDER BY buyers DESC, product LIMIT 5
""").fetchall():
    print("  ", row)

FIRST = """
  WITH as_of AS (SELECT max(day) AS as_of FROM orders),
  first_day AS (
    SELECT customer, min(day) AS first FROM orders
    WHERE kind = 'purchase' AND customer IS NOT NULL GROUP BY customer),
  outcome AS (
    SELECT f.customer, f.first, as_of - f.first AS observed,
      (SELECT min(o.day) - f.first FROM orders o
        WHERE o.customer = f.customer AND o.kind = 'purchase' AND o.day > f.first) AS next_after,
      (SELECT sum(o.value) FROM orders o WHERE o.customer = f.customer
        AND o.day >= f.first AND o.day < f.first + 90) AS revenue90
    FROM first_day f CROSS JOIN as_of),
  groups AS (
    SELECT NULL AS product, * FROM outcome
    UNION ALL
    SELECT DISTINCT k.product, o.* FROM outcome o
    JOIN kept k ON k.customer = o.customer AND k.day = o.first AND k.kind = 'purchase')
  SELECT product, count(*) AS customers, count(next_after) AS repeated,
    count(*) FILTER (WHERE observed >= 30) AS eligible30,
    count(*) FILTER (WHERE observed >= 30 AND next_after <= 30) AS repeated30,
    count(*) FILTER (WHERE observed >= 365) AS eligible365,
    count(*) FILTER (WHERE observed >= 365 AND next_after <= 365) AS repeated365,
    round(avg(revenue90) FILTER (WHERE observed >= 89), 6) AS revenue90
  FROM groups GROUP BY product ORDER BY product IS NOT NULL, customers DESC, product LIMIT 4
"""
print("first products: product (NULL = store), customers, repeated, d30 eligible/repeated, "
      "d365 eligible/repeated, revenue90")
for row in db.execute(FIRST).fetchall():
    print("  ", row)
