#!/usr/bin/env python3
"""Regenerates the reference tables the Rust tests compare MBG/NBD and Pareto/NBD against:

    pip install mpmath lifetimes
    python3 scripts/models_reference.py mpmath > tests/data/models_reference.csv
    python3 scripts/models_reference.py lifetimes > tests/data/models_lifetimes_cdnow.csv
    python3 scripts/models_reference.py hypergeometric > tests/data/models_hypergeometric.csv

`mpmath`: per-customer log-likelihood, P(alive) and conditional expected purchases of both
models, computed with 50 significant digits from the papers' formulas, written here
independently of the Rust code:

  MBG/NBD (Batislam, Denizel & Filiztekin 2007):
    L = B(a, b+x+1)/B(a, b) Γ(r+x) α^r / Γ(r) [(α+T)^-(r+x) + a/(b+x) (α+t_x)^-(r+x)]
    P(alive) = 1 / (1 + a/(b+x) ((α+T)/(α+t_x))^(r+x))
    E[X(t) | x, t_x, T] = P(alive) (a+b+x)/(a-1) [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; z)],
    z = t/(α+T+t)
  Pareto/NBD (Fader, Hardie & Lee 2005, "A note on deriving the Pareto/NBD model"):
    L = Γ(r+x) α^r β^s / Γ(r) [(α+T)^-(r+x) (β+T)^-s + s ∫_{t_x}^{T} (α+τ)^-(r+x) (β+τ)^-(s+1) dτ]
    P(alive) = (α+T)^-(r+x) (β+T)^-s / [L Γ(r) / (Γ(r+x) α^r β^s)]
    E[X(t) | x, t_x, T] = P(alive) (r+x)(β+T) / ((α+T)(s-1)) [1 - ((β+T)/(β+T+t))^(s-1)]
  The Pareto/NBD integral is mpmath's 2F1 form (FHL's note, eq. 19) checked against mpmath's
  quadrature of the integral itself to 1e-12: the formula is vouched for by a second route.

`lifetimes`: the CDNOW summary fitted with lifetimes' ModifiedBetaGeoFitter and
ParetoNBDFitter; the first line of each model's block holds its parameters, then P(alive) and
the expected purchases over 39 weeks of every 10th customer, at those parameters.

`hypergeometric`: ln 2F1(a, b; a+1; z) and its derivatives in a, b and z (mpmath's hyp2f1 and
numerical differentiation at 50 digits) over a grid of the arguments the Pareto/NBD likelihood
passes: a = r+s+x, b = s+1 or r+x (so a+1-b > 0), z from 0 to 0.9999 and b up to 600.

Inputs are written as repr() of the doubles used, so the Rust side reads the same numbers.
"""

import random
import sys

import mpmath as mp

mp.mp.dps = 50


def mbg(r, alpha, a, b, x, t_x, age, t):
    log_l = (mp.log(mp.beta(a, b + x + 1)) - mp.log(mp.beta(a, b)) + mp.loggamma(r + x)
             - mp.loggamma(r) + r * mp.log(alpha)
             + mp.log((alpha + age) ** -(r + x) + a / (b + x) * (alpha + t_x) ** -(r + x)))
    alive = 1 / (1 + a / (b + x) * ((alpha + age) / (alpha + t_x)) ** (r + x))
    z = t / (alpha + age + t)
    if_alive = (a + b + x) / (a - 1) * (
        1 - ((alpha + age) / (alpha + age + t)) ** (r + x) * mp.hyp2f1(r + x, b + x + 1, a + b + x, z))
    return log_l, alive, alive * if_alive


def pareto(r, alpha, s, beta, x, t_x, age, t):
    k = r + x
    alive_part = (alpha + age) ** -k * (beta + age) ** -s
    if age > t_x:
        # The integrand can fall by e^-5 per period (hundreds of purchases), so the interval is
        # split ever finer towards t_x.
        points = sorted(set([t_x + (age - t_x) * mp.mpf(2) ** -j for j in range(60, 0, -1)]
                            + list(mp.linspace(t_x, age, 65))))
        by_quadrature = mp.quad(lambda tau: (alpha + tau) ** -k * (beta + tau) ** -(s + 1), points)
        a, big = k + s, max(alpha, beta)
        shape = s + 1 if alpha >= beta else k

        def f(t):
            return mp.hyp2f1(a, shape, a + 1, abs(alpha - beta) / (big + t)) / (big + t) ** a
        integral = (f(t_x) - f(age)) / a
        # mpmath's quadrature of these peaked integrands is good to about 1e-14, its 2F1 to the
        # working precision: the 2F1 value is kept, the quadrature vouches for the formula.
        # (Skipped where the integrand falls by more than e^-200 over the interval: hundreds of
        # purchases, where tanh-sinh loses its way.)
        peaked = k * mp.log((alpha + age) / (alpha + t_x)) > 200
        if not peaked and abs(by_quadrature - integral) > mp.mpf(10) ** -12 * integral:
            sys.exit(f"quadrature and 2F1 disagree at {(r, alpha, s, beta, x, t_x, age)}")
    else:
        integral = mp.mpf(0)
    bracket = alive_part + s * integral
    log_l = mp.loggamma(k) - mp.loggamma(r) + r * mp.log(alpha) + s * mp.log(beta) + mp.log(bracket)
    alive = alive_part / bracket
    if_alive = k * (beta + age) / ((alpha + age) * (s - 1)) * (1 - ((beta + age) / (beta + age + t)) ** (s - 1))
    return log_l, alive, alive * if_alive


def reference_rows():
    histories = [(0, 0, 38.86), (0, 0, 2.5), (1, 1.71, 38.86), (2, 30.43, 38.86), (7, 29.0, 32.0),
                 (30, 38.0, 38.5), (0, 0, 400.0), (120, 390.0, 400.0), (600, 120.0, 700.0)]
    models = {
        "mbgNbd": [(0.524838, 6.182988, 0.891356, 1.614), (2.0, 0.4, 3.0, 9.0), (0.1, 30.0, 0.3, 0.2)],
        "paretoNbd": [(0.553278, 10.57756, 0.606261, 11.668869), (2.0, 0.4, 1.7, 9.0),
                      (0.3, 30.0, 0.4, 0.5), (1.1, 5.0, 1.0 + 1e-3, 5.0)],
    }
    rng = random.Random(18)
    for name, parameter_sets in models.items():
        for params in parameter_sets:
            for x, t_x, age in histories:
                for t in [1.0, 39.0]:
                    yield name, params, (x, t_x, age, t)
        for _ in range(20):
            params = tuple(float(mp.e ** rng.uniform(-2.5, 2.5)) for _ in range(4))
            if abs(params[2] - 1) < 1e-3:
                continue
            x = rng.choice([0, 1, 3, 10])
            age = float(mp.e ** rng.uniform(0, 5))
            t_x = 0.0 if x == 0 else rng.uniform(0.05, 1) * age
            yield name, params, (x, t_x, age, float(mp.e ** rng.uniform(-1, 5)))


def mpmath_table():
    print("model,p1,p2,p3,p4,x,t_x,T,t,log_likelihood,p_alive,expected_purchases")
    for name, params, history in reference_rows():
        args = [mp.mpf(v) for v in params + history]
        values = (mbg if name == "mbgNbd" else pareto)(*args)
        print(",".join([name] + [repr(float(v)) for v in params + history]
                       + [mp.nstr(v, 20, strip_zeros=False) for v in values]))


def lifetimes_table():
    from lifetimes import ModifiedBetaGeoFitter, ParetoNBDFitter
    from lifetimes.datasets import load_cdnow_summary

    data = load_cdnow_summary(index_col=[0])
    print("model,id,x,t_x,T,p_alive,expected_purchases_39")
    for name, fitter in [("mbgNbd", ModifiedBetaGeoFitter()), ("paretoNbd", ParetoNBDFitter())]:
        fitter.fit(data["frequency"], data["recency"], data["T"])
        params = [float(fitter.params_[k]) for k in fitter.params_.index]
        print(",".join([name, "params"] + [repr(v) for v in params]))
        rows = data.iloc[::10]
        alive = fitter.conditional_probability_alive(rows["frequency"], rows["recency"], rows["T"])
        expected = fitter.conditional_expected_number_of_purchases_up_to_time(
            39, rows["frequency"], rows["recency"], rows["T"])
        for (customer, row), p, e in zip(rows.iterrows(), alive, expected):
            print(",".join([name, str(customer), repr(float(row["frequency"])), repr(float(row["recency"])),
                            repr(float(row["T"])), repr(float(p)), repr(float(e))]))


def hypergeometric_table():
    print("a,b,z,log_value,by_a,by_b,by_z")
    for a in [0.05, 0.32, 1.3, 5.5, 40.0, 310.0, 1500.0]:
        for b in [0.04, 0.27, 1.05, 1.6, 3.3, 30.0, 542.3]:
            if a + 1 - b <= 0:
                continue
            for z in [0.0, 0.1, 0.5, 0.9, 0.97, 0.99, 0.999, 0.9999]:
                def log_f(a_, b_, z_):
                    return mp.log(mp.hyp2f1(a_, b_, a_ + 1, z_))
                a_, b_, z_ = mp.mpf(a), mp.mpf(b), mp.mpf(z)
                values = [log_f(a_, b_, z_), mp.diff(lambda v: log_f(v, b_, z_), a_),
                          mp.diff(lambda v: log_f(a_, v, z_), b_),
                          mp.diff(lambda v: log_f(a_, b_, v), z_)]
                print(",".join([repr(a), repr(b), repr(z)] + [mp.nstr(v, 20, strip_zeros=False) for v in values]))


if __name__ == "__main__":
    {"mpmath": mpmath_table, "lifetimes": lifetimes_table,
     "hypergeometric": hypergeometric_table}[sys.argv[1]]()
