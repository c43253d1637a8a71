#!/usr/bin/env python3
"""Bought together on UCI Online Retail in plain DuckDB SQL: the independent figures tests/pairs.rs
pins. Purchase invoices are those not starting with C whose lines sum to 0 or more; a product
counts once per invoice; lines of negative quantity and the excluded codes are left out.

    python3 scripts/pairs_reference.py /tmp/or.csv [EXCLUDED_CODE ...]

(default exclusions: POST DOT M "BANK CHARGES" AMAZONFEE). Needs PyPI `duckdb`."""
import sys

import duckdb

path = sys.argv[1]
excluded = sys.argv[2:] or ["POST", "DOT", "M", "BANK CHARGES", "AMAZONFEE"]
con = duckdb.connect()
con.execute(
    """CREATE TABLE lines AS SELECT InvoiceNo inv, StockCode p, Quantity::DOUBLE q, Quantity * UnitPrice amt
FROM read_csv(?, header = true, types = {'InvoiceNo': 'VARCHAR', 'StockCode': 'VARCHAR', 'CustomerID': 'VARCHAR'})""",
    [path],
)
con.execute(
    """CREATE TABLE purchases AS SELECT inv FROM lines GROUP BY inv
  HAVING NOT starts_with(inv, 'C') AND round(sum(amt), 6) >= 0"""
)
con.execute(
    f"""CREATE TABLE baskets AS SELECT DISTINCT l.inv, l.p FROM lines l JOIN purchases USING (inv)
  WHERE l.q >= 0 AND l.p NOT IN ({", ".join("?" for _ in excluded)})""",
    excluded,
)
con.execute("CREATE TABLE cnt AS SELECT p, count(*) c FROM baskets GROUP BY p")
n = con.execute("SELECT count(DISTINCT inv) FROM baskets").fetchone()[0]
print("orders", n)
print("top pairs (a = the product of fewer orders): a, b, both, support, confidence, lift")
for row in con.execute(
    f"""
WITH pr AS (SELECT x.p a, y.p b, count(*) nb FROM baskets x JOIN baskets y ON x.inv = y.inv AND x.p < y.p GROUP BY 1, 2),
ordered AS (SELECT CASE WHEN (ca.c, pr.a) <= (cb.c, pr.b) THEN pr.a ELSE pr.b END a,
                   CASE WHEN (ca.c, pr.a) <= (cb.c, pr.b) THEN pr.b ELSE pr.a END b,
                   nb, least(ca.c, cb.c) ca, ca.c * cb.c cc
            FROM pr JOIN cnt ca ON ca.p = pr.a JOIN cnt cb ON cb.p = pr.b)
SELECT a, b, nb, nb / {n}, nb / ca, nb * {n} / cc FROM ordered ORDER BY nb DESC, a, b LIMIT 12"""
).fetchall():
    print(*row, sep=",")
print("pairs of 85123A: a, b, both, support, confidence, lift")
for row in con.execute(
    f"""
WITH a AS (SELECT c FROM cnt WHERE p = '85123A')
SELECT '85123A', y.p, count(*) nb, count(*) / {n}, count(*) / (SELECT c FROM a),
       count(*) * {n} / ((SELECT c FROM a) * cb.c)
FROM baskets x JOIN baskets y ON x.inv = y.inv AND x.p <> y.p JOIN cnt cb ON cb.p = y.p
WHERE x.p = '85123A' GROUP BY y.p, cb.c ORDER BY nb DESC, y.p LIMIT 8"""
).fetchall():
    print(*row, sep=",")
