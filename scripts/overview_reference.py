#!/usr/bin/env python3
"""Regenerates the figures `tests/overview.rs` compares `overview()` against:

    pip install duckdb
    python3 scripts/overview_reference.py > tests/data/overview_reference.csv
    python3 scripts/overview_reference.py --full ../shared/data/online-retail.csv.gz \
        > tests/data/overview_reference_full.csv

Every figure is computed here in SQL written by hand on DuckDB from the raw Online Retail
lines, independently of the Rust code (which counts activity with difference arrays over each
customer's sorted orders, and never joins):
- an order is an invoice: its value is the sum of Quantity × UnitPrice over its lines, its day
  the earliest line's, its customer the line's CustomerID (`17850.0` is `17850`; empty: a guest);
  it is a return when its number starts with `C` or its value is negative, else a purchase;
- a customer is acquired on their first purchase day; per period P (running to the data's last
  day at most): new / returning customers = customers with a purchase in P acquired in P /
  before P; new / returning / other revenue = net value of P's orders of customers acquired in
  P / before P / neither (guests, customers acquired later or never);
- repeat customers = buying customers acquired before their last purchase day in P;
- active at day d = a purchase on a day in (d − W, d]; churn = customers active at the eve of P
  and not at its end, over those active at the eve;
- orders per customer = identified purchases / buying customers; average order value =
  purchase value / purchases.

Output: one CSV row per (dataset, period kind, period) and one `total` row per (dataset, period
kind), with W = 53 days (Online Retail's store gap, 52.5 days, rounded up).
"""

import csv
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
WINDOW_DAYS = 53

SLICES = [
    ("cohort-slice", ROOT / "tests/data/online-retail-cohort-slice.csv", ["month", "week"]),
    ("slice", ROOT / "tests/data/online-retail-slice.csv", ["month", "quarter"]),
]

COLUMNS = [
    "dataset", "period", "label", "start", "end", "new_customers", "returning_customers",
    "repeat_customers", "orders", "purchases", "returns", "revenue", "new_revenue",
    "returning_revenue", "other_revenue", "active_customers", "lost_customers",
    "orders_per_customer", "average_order_value", "churn_rate",
]

PERIOD_START = {
    "week": "date_trunc('week', {})",
    "month": "date_trunc('month', {})",
    "quarter": "date_trunc('quarter', {})",
    "year": "date_trunc('year', {})",
}
PERIOD_STEP = {
    "week": "INTERVAL 7 DAY",
    "month": "INTERVAL 1 MONTH",
    "quarter": "INTERVAL 3 MONTH",
    "year": "INTERVAL 1 YEAR",
}


def load_orders(con, path):
    con.execute("DROP TABLE IF EXISTS orders")
    con.execute(
        f"""
        CREATE TABLE orders AS
        WITH lines AS (
          SELECT InvoiceNo AS invoice,
                 NULLIF(regexp_replace(trim(CustomerID), '\\.0$', ''), '') AS customer,
                 CAST(InvoiceDate AS TIMESTAMP) AS line_time,
                 CAST(Quantity AS DOUBLE) * CAST(UnitPrice AS DOUBLE) AS amount
          FROM read_csv('{path}', header = true, all_varchar = true)
        )
        SELECT invoice, min(customer) AS customer, CAST(min(line_time) AS DATE) AS day,
               sum(amount) AS value,
               invoice LIKE 'C%' OR sum(amount) < 0 AS is_return
        FROM lines GROUP BY invoice
        """
    )


def period_rows(con, dataset, period):
    start = PERIOD_START[period].format("day")
    first_start = PERIOD_START[period].format("min(day)")
    step = PERIOD_STEP[period]
    query = f"""
    WITH bounds AS (
      SELECT CAST({first_start} AS DATE) AS first_start,
             max(day) AS last_day FROM orders
    ),
    periods AS (
      SELECT CAST(s AS DATE) AS p_start,
             LEAST(CAST(s + {step} AS DATE) - 1, (SELECT last_day FROM bounds)) AS p_end
      FROM bounds, generate_series(first_start, last_day, {step}) AS g(s)
    ),
    o AS (SELECT *, CAST({start} AS DATE) AS p FROM orders),
    acquired AS (
      SELECT customer, min(day) AS acq_day,
             CAST({first_start} AS DATE) AS acq_p
      FROM orders WHERE customer IS NOT NULL AND NOT is_return GROUP BY customer
    ),
    oa AS (SELECT o.*, a.acq_day, a.acq_p FROM o LEFT JOIN acquired a USING (customer)),
    order_figures AS (
      SELECT p, count(*) AS orders,
             count(*) FILTER (WHERE NOT is_return) AS purchases,
             count(*) FILTER (WHERE is_return) AS returns,
             sum(value) AS revenue,
             sum(value) FILTER (WHERE acq_p = p) AS new_revenue,
             sum(value) FILTER (WHERE acq_p < p) AS returning_revenue,
             sum(value) FILTER (WHERE acq_p IS NULL OR acq_p > p) AS other_revenue,
             sum(value) FILTER (WHERE NOT is_return) AS purchase_value,
             count(*) FILTER (WHERE NOT is_return AND customer IS NOT NULL) AS customer_purchases
      FROM oa GROUP BY p
    ),
    buyers AS (
      SELECT p, customer, min(acq_p) AS acq_p, min(acq_day) AS acq_day, max(day) AS last_purchase
      FROM oa WHERE customer IS NOT NULL AND NOT is_return GROUP BY p, customer
    ),
    buyer_figures AS (
      SELECT p, count(*) FILTER (WHERE acq_p = p) AS new_customers,
             count(*) FILTER (WHERE acq_p < p) AS returning_customers,
             count(*) FILTER (WHERE acq_day < last_purchase) AS repeat_customers,
             count(*) AS buyers
      FROM buyers GROUP BY p
    ),
    purchase_days AS (
      SELECT DISTINCT customer, day FROM orders WHERE customer IS NOT NULL AND NOT is_return
    ),
    active_at_start AS (
      SELECT DISTINCT periods.p_start, customer FROM periods JOIN purchase_days
        ON day <= periods.p_start - 1 AND day > periods.p_start - 1 - {WINDOW_DAYS}
    ),
    active_at_end AS (
      SELECT DISTINCT periods.p_start, customer FROM periods JOIN purchase_days
        ON day <= periods.p_end AND day > periods.p_end - {WINDOW_DAYS}
    ),
    churn AS (
      SELECT periods.p_start,
             (SELECT count(*) FROM active_at_start s WHERE s.p_start = periods.p_start) AS s,
             (SELECT count(*) FROM active_at_end e WHERE e.p_start = periods.p_start) AS e,
             (SELECT count(*) FROM active_at_start s WHERE s.p_start = periods.p_start
                AND NOT EXISTS (SELECT 1 FROM active_at_end e
                                WHERE e.p_start = s.p_start AND e.customer = s.customer)) AS lost
      FROM periods
    )
    SELECT periods.p_start, periods.p_end,
           coalesce(new_customers, 0), coalesce(returning_customers, 0),
           coalesce(repeat_customers, 0), coalesce(orders, 0), coalesce(purchases, 0),
           coalesce(returns, 0), coalesce(revenue, 0), coalesce(new_revenue, 0),
           coalesce(returning_revenue, 0), coalesce(other_revenue, 0), churn.e, churn.lost,
           CASE WHEN buyers > 0 THEN customer_purchases / buyers END,
           CASE WHEN purchases > 0 THEN purchase_value / purchases END,
           CASE WHEN churn.s > 0 THEN churn.lost / churn.s END
    FROM periods
    LEFT JOIN order_figures ON order_figures.p = periods.p_start
    LEFT JOIN buyer_figures ON buyer_figures.p = periods.p_start
    JOIN churn ON churn.p_start = periods.p_start
    ORDER BY periods.p_start
    """
    rows = []
    for r in con.execute(query).fetchall():
        p_start, p_end = r[0], r[1]
        rows.append([dataset, period, label(period, p_start), p_start.isoformat(),
                     p_end.isoformat(), *r[2:]])
    return rows


def total_row(con, dataset, period):
    # Over the whole book each customer is new (acquired within the data) and a repeat customer
    # when they bought on two or more days.
    r = con.execute(
        """
        WITH buyers AS (
          SELECT customer, count(DISTINCT day) AS days, count(*) AS purchases
          FROM orders WHERE customer IS NOT NULL AND NOT is_return GROUP BY customer
        )
        SELECT (SELECT count(*) FROM buyers),
               (SELECT count(*) FROM buyers WHERE days >= 2),
               count(*), count(*) FILTER (WHERE NOT is_return), count(*) FILTER (WHERE is_return),
               sum(value),
               (SELECT sum(purchases) FROM buyers) / (SELECT count(*) FROM buyers),
               sum(value) FILTER (WHERE NOT is_return) / count(*) FILTER (WHERE NOT is_return)
        FROM orders
        """
    ).fetchone()
    customers, repeat, orders, purchases, returns, revenue, per_customer, aov = r
    row = dict.fromkeys(COLUMNS, "")
    row.update(dataset=dataset, period=period, label="total", new_customers=customers,
               returning_customers=0, repeat_customers=repeat, orders=orders,
               purchases=purchases, returns=returns, revenue=revenue,
               orders_per_customer=per_customer, average_order_value=aov)
    return [row[c] for c in COLUMNS]


def label(period, start):
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{start.year}-{start.month:02d}"
    if period == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def main():
    datasets = SLICES
    if len(sys.argv) == 3 and sys.argv[1] == "--full":
        datasets = [("full", Path(sys.argv[2]).resolve(), ["month", "quarter", "year"])]
    con = duckdb.connect()
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(COLUMNS)
    for dataset, path, periods in datasets:
        load_orders(con, path)
        for period in periods:
            for row in period_rows(con, dataset, period):
                out.writerow(fmt(v) for v in row)
            out.writerow(fmt(v) for v in total_row(con, dataset, period))


def fmt(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return value


if __name__ == "__main__":
    main()
