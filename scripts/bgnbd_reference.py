#!/usr/bin/env python3
"""Regenerates tests/data/bgnbd_expected_purchases.csv: BG/NBD conditional expected purchases
computed at high precision with mpmath, the reference the Rust tests compare against.

    pip install mpmath && python3 scripts/bgnbd_reference.py > tests/data/bgnbd_expected_purchases.csv

Each row is (r, alpha, a, b, x, t_x, T, t) and E[X(t) | x, t_x, T] from Fader, Hardie & Lee
(2005), eq. 10, evaluated with 60 significant digits:

    P(alive) = 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))
    E        = P(alive) (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)]
    z        = t/(alpha+T+t)

At a = 1 the formula is 0/0, so there (and as a cross-check on every row where it is cheap) the
expectation is also computed from its probabilistic form, E = sum over n >= 1 of
P(N = n) m_n, N ~ NegBin(r+x, z) the purchases of a customer who never leaves and
m_n = sum over k < n of (b+x)_k/(a+b+x)_k the purchases made of n possible; the two must agree to 1e-30. Inputs are written exactly as the doubles that were used
(repr), so the Rust side reads the same numbers. The seed is fixed: the output is reproducible.
"""

import random
import sys

import mpmath as mp

mp.mp.dps = 60


def p_alive(r, alpha, a, b, x, t_x, age):
    if x == 0:
        return mp.mpf(1)
    odds = a / (b + x - 1) * ((alpha + age) / (alpha + t_x)) ** (r + x)
    return 1 / (1 + odds)


def if_alive_hypergeometric(r, alpha, a, b, x, age, t):
    big_r, big_b, c = r + x, b + x, a + b + x - 1
    z = t / (alpha + age + t)
    one_minus_z = (alpha + age) / (alpha + age + t)
    bracket = 1 - one_minus_z ** big_r * mp.hyp2f1(big_r, big_b, c, z)
    return c / (a - 1) * bracket


def if_alive_negative_binomial(r, alpha, a, b, x, age, t):
    big_r, big_b = r + x, b + x
    z = t / (alpha + age + t)
    one_minus_z = (alpha + age) / (alpha + age + t)
    pmf = one_minus_z ** big_r  # P(N = 0)
    made = mp.mpf(0)  # purchases made out of n possible: sum over k < n of (B)_k / (a+B)_k
    still_buying = mp.mpf(1)  # (B)_k / (a+B)_k
    total = mp.mpf(0)
    n = 0
    while True:
        pmf *= (big_r + n) / (n + 1) * z  # P(N = n + 1)
        made += still_buying
        still_buying *= (big_b + n) / (a + big_b + n)
        n += 1
        term = pmf * made
        total += term
        if n > big_r * z / (1 - z) + 10 and term < mp.mpf(10) ** -45 * (1 - z) * total:
            return total


def expected(row, cross_check):
    r, alpha, a, b, x, t_x, age, t = (mp.mpf(v) for v in row)
    alive = p_alive(r, alpha, a, b, x, t_x, age)
    if a == 1:
        value = if_alive_negative_binomial(r, alpha, a, b, x, age, t)
    else:
        value = if_alive_hypergeometric(r, alpha, a, b, x, age, t)
        if cross_check:
            other = if_alive_negative_binomial(r, alpha, a, b, x, age, t)
            if abs(value - other) > mp.mpf(10) ** -30 * abs(value):
                sys.exit(f"the two forms disagree on {row}: {value} vs {other}")
    return alive * value


def rows():
    cdnow = (0.242593, 4.413532, 0.792886, 2.425752)
    # The fitted CDNOW model over histories and horizons (weeks).
    for x, t_x, age in [(0, 0, 38.86), (2, 30.43, 38.86), (1, 2, 38), (10, 38, 38.5),
                        (40, 38, 38.86), (0, 0, 0.5), (500, 1000, 1000.5)]:
        for t in [1e-3, 1, 39, 365 / 7, 520]:
            yield (*cdnow, x, t_x, age, t)
    # The cases: a fit run to the Poisson limit (r >> a + b), in days.
    yield (1e4, 7e4, 2.0, 1.0, 0, 0, 0, 365.0)
    yield (160.0, 160.0, 2.0, 0.3, 0, 0, 0, 365.0)
    # Poisson limit at several scales, with histories.
    for r in [5.0, 50.0, 1e3, 1e5, 1e6]:
        for (a, b) in [(2.0, 1.0), (0.5, 0.3), (2.0, 0.3), (30.0, 5.0), (1.0, 1.0)]:
            for x, t_x, age in [(0, 0, 0), (3, 100, 300), (20, 250, 260)]:
                yield (r, r * 7.0, a, b, x, t_x, age, 365.0)
    # a at and around 1 (the 0/0 of eq. 10), a + b < 1 (a + b + x - 1 <= 0 at x = 0).
    for a in [1.0, 1 + 1e-9, 1 - 1e-9, 1 + 1e-4, 0.999]:
        for x, t_x, age in [(0, 0, 10), (4, 8, 10)]:
            yield (0.5, 3.0, a, 2.0, x, t_x, age, 52.0)
    for (a, b) in [(0.3, 0.5), (0.3, 0.7), (0.2, 0.1)]:
        for x, t_x, age in [(0, 0, 10), (1, 3, 10)]:
            yield (0.8, 3.0, a, b, x, t_x, age, 52.0)
    # Large a and b (nobody seems to leave), large a with small b, tiny r.
    for (a, b) in [(25.0, 40.0), (1e3, 1e4), (3.7e6, 1.7e9), (200.0, 0.5)]:
        for x, t_x, age in [(0, 0, 20), (30, 50, 52), (899, 10900, 10950)]:
            yield (0.2, 6.5, a, b, x, t_x, age, 52.0)
    for r in [1e-3, 1e-2]:
        yield (r, 0.05, 0.7, 3.0, 0, 0, 5, 52.0)
        yield (r, 0.05, 0.7, 3.0, 2, 3, 5, 52.0)
    # A spread of random models and histories (log-uniform parameters).
    rng = random.Random(14)

    def log_uniform(low, high):
        return float(mp.e ** rng.uniform(float(mp.log(low)), float(mp.log(high))))

    for _ in range(160):
        r = log_uniform(1e-2, 1e4)
        alpha = r * log_uniform(0.5, 500)  # mean time between purchases 0.5 .. 500 periods
        a = log_uniform(0.05, 50)
        b = log_uniform(0.05, 500)
        x = rng.choice([0, 0, 1, 2, 5, 12, 60])
        age = log_uniform(0.1, 800)
        t_x = 0.0 if x == 0 else rng.uniform(0.01, 1) * age
        t = log_uniform(1e-2, 2000)
        yield (r, alpha, a, b, x, t_x, age, t)


def main():
    print("r,alpha,a,b,x,t_x,T,t,expected_purchases")
    for row in rows():
        row = tuple(float(v) for v in row)
        r, alpha, _, _, x, _, age, t = row
        # The negative-binomial cross-check sums about (r+x) t/(alpha+T) terms; skip it where
        # that is slow in mpmath.
        cheap = (r + x) * t / (alpha + age) + t / (alpha + age) < 5e4
        value = expected(row, cheap)
        print(",".join(repr(v) for v in row) + "," + mp.nstr(value, 20, strip_zeros=False))


if __name__ == "__main__":
    main()
