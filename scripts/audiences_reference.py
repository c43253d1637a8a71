#!/usr/bin/env python3
"""Regenerates the memberships `tests/audiences.rs` compares the ready audiences against:

    pip install duckdb
    python3 scripts/audiences_reference.py cohort-slice tests/data/online-retail-cohort-slice.csv \
        --model R,ALPHA,A,B,P,Q,V > /tmp/slice.csv
    python3 scripts/audiences_reference.py full /tmp/or.csv --model R,ALPHA,A,B,P,Q,V > /tmp/full.csv
    (echo dataset,audience,customer_id; cat /tmp/slice.csv /tmp/full.csv) \
        > tests/data/audiences_reference.csv

`--model` takes the BG/NBD (r, α in weeks, a, b) and Gamma-Gamma (p, q, v) parameters the engine
fits at the as-of date (tests/audiences.rs prints them; the fits themselves are checked against
`lifetimes` in tests/clv.rs). Everything else is computed here from the raw lines, with the
default parameters, independently of the Rust code:
- orders as in overview_reference.py: an invoice, value = Σ Quantity × UnitPrice, day = its
  earliest line's, a return when its number starts with `C` or its value is negative;
- as-of = the last order day; a purchase day = a day with at least one purchase;
- typical gap = median of the gaps between consecutive purchase days (≥ 2 days), else the store's
  gap = median of the typical gaps of customers with ≥ 2 purchase days; floored at 7 days;
  since = as-of − last purchase day; lapsed: since > 4 × gap; at risk: since > 2 × gap;
- RFM quartile scores: customers ranked worst to best (recency, purchases, net value to the
  millionth), a tied group starting at 0-based position k of n scores 1 + ⌊4k / n⌋; VIP = 4, 4, 4;
- BG/NBD per customer at the as-of date (x = purchase days − 1, t_x and T in weeks):
  P(alive) = 1 / (1 + [x > 0] · a / (b + x − 1) · ((α + T) / (α + t_x))^(r + x)); the median
  next-order wait s solves P(alive) · (1 − ((α + T) / (α + T + s))^(r + x)) = ½ (none when
  P(alive) ≤ ½), as a day: as-of + max(1, ⌈7 s⌉) if within 365 days; expected purchases if alive
  B(t) = (a + b + x − 1)/(a − 1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
  (Gauss series); CLV = E[order value] · P(alive) · Σ_{i=1..12} (B(30i/7) − B(30(i−1)/7)) / 1.01^i,
  E[order value] = Gamma-Gamma's mean given x and the mean of the repeat purchase days' values;
- the audiences, as README.md defines them.

Output: `dataset,audience,customer_id` rows, sorted.
"""

import argparse
import math
import sys
from collections import defaultdict

import duckdb

WEEK = 7.0
HORIZON_DAYS = 365
MONTHS = 12
DISCOUNT = 0.01
MIN_GAP = 7.0
AT_RISK, LAPSED = 2.0, 4.0
DUE_WITHIN, MIN_P_ALIVE = 7, 0.7
SLIPPED_WITHIN = 7
TOP_PERCENT, DROP, DROP_DAYS = 10.0, 0.2, 90
WIN_BACK_DAYS = 2


def load(path):
    con = duckdb.connect()
    rows = con.execute(
        f"""
        WITH lines AS (
          SELECT InvoiceNo AS invoice,
                 NULLIF(regexp_replace(trim(CustomerID), '\\.0$', ''), '') AS customer,
                 CAST(InvoiceDate AS TIMESTAMP) AS line_time,
                 CAST(Quantity AS DOUBLE) * CAST(UnitPrice AS DOUBLE) AS amount
          FROM read_csv('{path}', header = true, all_varchar = true)
        ),
        orders AS (
          SELECT invoice, min(customer) AS customer,
                 CAST(min(line_time) AS DATE) - DATE '1970-01-01' AS day,
                 sum(amount) AS value,
                 invoice LIKE 'C%' OR sum(amount) < 0 AS is_return
          FROM lines GROUP BY invoice
        )
        SELECT customer, day, value, is_return, (SELECT max(day) FROM orders) AS as_of
        FROM orders WHERE customer IS NOT NULL ORDER BY customer, day
        """
    ).fetchall()
    return rows


def median(values):
    values = sorted(values)
    n = len(values)
    if n == 0:
        return None
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def hyp2f1(a, b, c, z):
    term, total, n = 1.0, 1.0, 0
    while True:
        term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z
        total += term
        n += 1
        if abs(term) < 1e-17 * abs(total) and n > 5:
            return total
        if n > 200000:
            raise RuntimeError("2F1 did not settle")


def quartiles(keys):
    """1 + floor(4k / n) for the tied group starting at 0-based position k (worst first)."""
    order = sorted(keys, key=lambda c: keys[c])
    n = len(order)
    scores, first = {}, 0
    for position, customer in enumerate(order):
        if position > 0 and keys[customer] != keys[order[position - 1]]:
            first = position
        scores[customer] = 1 + (4 * first) // n
    return scores


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("path")
    parser.add_argument("--model", required=True)
    args = parser.parse_args()
    r, alpha, a, b, p, q, v = (float(x) for x in args.model.split(","))

    rows = load(args.path)
    as_of = rows[0][4]
    orders = defaultdict(list)
    for customer, day, value, is_return, _ in rows:
        orders[customer].append((day, value, is_return))

    facts = {}
    for customer, history in orders.items():
        purchases = [(d, val) for d, val, ret in history if not ret and d <= as_of]
        if not purchases:
            continue
        day_values = defaultdict(float)
        for d, val in purchases:
            day_values[d] += val
        days = sorted(day_values)
        gaps = [later - earlier for earlier, later in zip(days, days[1:])]
        facts[customer] = {
            "days": days,
            "day_values": day_values,
            "purchases": len(purchases),
            "net": sum(val for d, val, _ in history if d <= as_of),
            "own_gap": median(gaps),
        }
    store_gap = median([f["own_gap"] for f in facts.values() if f["own_gap"] is not None]) or 30.0

    def p_alive(x, t_x, age):
        if x == 0:
            return 1.0
        return 1.0 / (1.0 + a / (b + x - 1) * ((alpha + age) / (alpha + t_x)) ** (r + x))

    def if_alive(t, x, age):
        if t <= 0:
            return 0.0
        z = t / (alpha + age + t)
        return (a + b + x - 1) / (a - 1) * (
            1 - ((alpha + age) / (alpha + age + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
        )

    population_mean = v * p / (q - 1)
    for f in facts.values():
        days = f["days"]
        gap = max(f["own_gap"] if f["own_gap"] is not None else store_gap, MIN_GAP)
        f["gap"] = gap
        f["since"] = as_of - days[-1]
        f["stage"] = "lapsed" if f["since"] > LAPSED * gap else "at_risk" if f["since"] > AT_RISK * gap else "other"
        x = len(days) - 1
        t_x, age = (days[-1] - days[0]) / WEEK, (as_of - days[0]) / WEEK
        alive = p_alive(x, t_x, age)
        f["p_alive"] = alive
        f["next"] = None
        if alive > 0.5:
            wait = (alpha + age) * ((1 - 0.5 / alive) ** (-1 / (r + x)) - 1)
            next_days = max(1, math.ceil(wait * WEEK))
            if next_days <= HORIZON_DAYS:
                f["next"] = as_of + next_days
        repeat_mean = sum(f["day_values"][d] for d in days[1:]) / x if x else 0.0
        if x > 0 and repeat_mean > 0:
            weight = p * x / (p * x + q - 1)
            order_value = (1 - weight) * population_mean + weight * repeat_mean
        else:
            order_value = population_mean
        discounted, previous = 0.0, 0.0
        for month in range(1, MONTHS + 1):
            cumulative = if_alive(month * 30 / WEEK, x, age)
            discounted += (cumulative - previous) / (1 + DISCOUNT) ** month
            previous = cumulative
        f["value"] = order_value * alive * discounted
        before = as_of - DROP_DAYS
        earlier = [d for d in days if d <= before]
        f["p_before"] = (
            p_alive(len(earlier) - 1, (earlier[-1] - earlier[0]) / WEEK, (before - earlier[0]) / WEEK)
            if earlier
            else None
        )

    rfm_r = quartiles({c: -f["since"] for c, f in facts.items()})
    rfm_f = quartiles({c: f["purchases"] for c, f in facts.items()})
    rfm_m = quartiles({c: round(f["net"] * 1e6) for c, f in facts.items()})

    values = sorted((f["value"] for f in facts.values()), reverse=True)
    cutoff = values[max(1, math.ceil(len(values) * TOP_PERCENT / 100)) - 1]

    members = []
    for c, f in facts.items():
        since, gap, purchase_days = f["since"], f["gap"], len(f["days"])
        rules = {
            "dueToReorder": f["next"] is not None and as_of < f["next"] <= as_of + DUE_WITHIN
            and f["p_alive"] >= MIN_P_ALIVE,
            "justSlipped": purchase_days > 1 and AT_RISK * gap < since <= AT_RISK * gap + SLIPPED_WITHIN,
            "highValueAtRisk": f["value"] >= cutoff and (
                f["stage"] in ("at_risk", "lapsed")
                or (f["p_before"] is not None and f["p_before"] - f["p_alive"] >= DROP)
            ),
            "oneAndDone": purchase_days == 1 and since > store_gap,
            "vipThankYou": rfm_r[c] == 4 and rfm_f[c] == 4 and rfm_m[c] == 4,
            "winBack": f["stage"] == "lapsed" and purchase_days >= WIN_BACK_DAYS,
        }
        members.extend((audience, c) for audience, held in rules.items() if held)
    for audience, customer in sorted(members):
        print(f"{args.dataset},{audience},{customer}")
    sizes = defaultdict(int)
    for audience, _ in members:
        sizes[audience] += 1
    print(f"{args.dataset}: {dict(sizes)}", file=sys.stderr)


if __name__ == "__main__":
    main()
