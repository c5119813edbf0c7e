"""Benchmark and simulation study of mkt_lessons.mmm (issue 19).

1. **Speed**: fit with uncertainty (``fit`` + ``parameters()`` + ``roas()``) on 104 weeks x 4
   channels. Budget: <= 10 s on the 2-core machine.
2. **Recovery and coverage**: ``N_SIMS`` data sets simulated from the model
   (:func:`mkt_lessons.mmm.simulate_mmm`, 104 weeks, the four default channels) at two noise
   levels; for each channel and quantity: the median estimate next to the truth, and how often
   the 95% Laplace interval covers the truth (nominal 0.95; binomial sd about 0.01 with
   4 x 100 channel-fits, but channel-fits of one data set are correlated). ROAS and marginal
   ROAS depend on the simulated spend, so their "truth" column is the median over data sets.
3. **Optimiser**: ``optimise_budget`` vs a brute-force grid on three channels (one S-shaped),
   and, on 20 noisy data sets, the fitted model's plan judged on the *true* curves: current
   plan vs recommended vs the true optimum (``optimise_budget`` on the truth table).

Prints; asserts nothing (DESIGN §7). Run: ``python benchmarks/bench_mmm.py [n_sims]``
or ``python benchmarks/run.py mmm``.
"""

from __future__ import annotations

import itertools
import sys
import time

import numpy as np
import pandas as pd

from mkt_lessons import mmm

N_SIMS = 100
NOISES = (500.0, 1000.0)
QUANTITIES = ("decay", "half_saturation", "shape", "coef", "roas", "mroas")


def fit_with_uncertainty(table: pd.DataFrame) -> tuple[mmm.MarketingMixModel, float]:
    t0 = time.perf_counter()
    model = mmm.MarketingMixModel().fit(table)
    model.parameters()
    model.roas()
    return model, time.perf_counter() - t0


def speed() -> None:
    sim = mmm.simulate_mmm(104, noise_sd=500.0, random_state=0)
    times = [fit_with_uncertainty(sim.table)[1] for _ in range(3)]
    print(f"fit + parameters + roas, 104 weeks x 4 channels: best {min(times):.2f} s, "
          f"mean {np.mean(times):.2f} s (budget 10 s)")


def study(noise: float, n_sims: int) -> pd.DataFrame:
    rows = []
    t0 = time.perf_counter()
    for seed in range(n_sims):
        sim = mmm.simulate_mmm(104, noise_sd=noise, random_state=10_000 + seed)
        model = mmm.MarketingMixModel(n_draws=1000).fit(sim.table)
        p, r, tr = model.parameters(), model.roas(), sim.truth
        for ch in model.channels_:
            bound = bool(p.loc[ch, "at_bound"].any())
            for q in QUANTITIES:
                if q in ("roas", "mroas"):
                    est, lo, hi = r.loc[ch, [q, f"{q}_low", f"{q}_high"]]
                else:
                    est, lo, hi = p.loc[(ch, q), ["estimate", "ci_low", "ci_high"]]
                rows.append((seed, ch, q, tr.loc[ch, q], est, lo, hi, bound))
    out = pd.DataFrame(rows, columns=["sim", "channel", "quantity", "truth", "estimate", "ci_low",
                                      "ci_high", "any_at_bound"])
    out["covered"] = (out["ci_low"] <= out["truth"]) & (out["truth"] <= out["ci_high"])
    print(f"\nnoise sd {noise:g} (baseline ~30,000 a week), {n_sims} data sets, "
          f"{time.perf_counter() - t0:.0f} s")
    return out


def report(out: pd.DataFrame) -> None:
    g = out.groupby(["channel", "quantity"], sort=False)
    table = pd.DataFrame({"truth": g["truth"].median(), "median_est": g["estimate"].median(),
                          "median_abs_rel_err": g.apply(lambda d: np.median(
                              np.abs(d["estimate"] / d["truth"] - 1)), include_groups=False),
                          "coverage": g["covered"].mean()}).unstack("quantity")
    with pd.option_context("display.width", 200, "display.max_columns", 40,
                           "display.float_format", "{:.3g}".format):
        for col in ("truth", "median_est", "median_abs_rel_err", "coverage"):
            print(f"-- {col}")
            print(table[col][list(QUANTITIES)])
    pooled = out.groupby("quantity", sort=False)["covered"].mean()[list(QUANTITIES)]
    print("-- pooled 95% coverage:", pooled.round(3).to_dict())
    clean = out[~out["any_at_bound"]].groupby("quantity", sort=False)["covered"].mean()
    print("-- coverage when no parameter of the channel is on a bound "
          f"({(~out['any_at_bound']).mean():.0%} of channel-fits):",
          clean[list(QUANTITIES)].round(3).to_dict())


def optimiser() -> None:
    chans = ("paid_search", "display", "social")
    media = {"display": dict(shape=3.0, half_saturation=1200.0), "social": dict(shape=1.5)}
    sim = mmm.simulate_mmm(104, channels=chans, media=media, noise_sd=0.0, random_state=3)
    model = mmm.MarketingMixModel(channels=list(chans), n_draws=200).fit(sim.table)
    total = 6000.0
    t0 = time.perf_counter()
    plan = mmm.optimise_budget(model, total)
    dt = time.perf_counter() - t0
    step = 10.0
    best, best_x = -np.inf, None
    for a, b in itertools.product(np.arange(0, total + step, step), repeat=2):
        c = total - a - b
        if c < 0:
            continue
        v = model._steady_revenue(np.array([a, b, c]))
        if v > best:
            best, best_x = v, [float(a), float(b), float(c)]
    print(f"\noptimise_budget, 3 channels, total {total:g}/week: {dt:.2f} s; "
          f"allocation {np.round(plan.allocation.to_numpy(), 1).tolist()} -> "
          f"{plan.expected_revenue:,.1f}; brute force (step {step:g}) {best_x} -> {best:,.1f}; "
          f"current mix {np.round(plan.current_allocation.to_numpy(), 1).tolist()} -> "
          f"{plan.current_revenue:,.1f}")


def _on_truth(truth: pd.DataFrame, x: pd.Series) -> float:
    """Steady-state weekly media revenue of the weekly plan ``x`` on the true curves."""
    return sum(truth.loc[c, "coef"] * float(mmm.hill(float(x[c]), truth.loc[c, "half_saturation"],
                                                     truth.loc[c, "shape"])) for c in x.index)


def true_gain(n_sims: int = 20, noise: float = 500.0) -> None:
    """The plan from a fitted model, judged on the true curves: current plan vs recommended
    (free, and with every channel kept within +-20% of its current spend) vs the true optimum
    (the same weekly total, no bounds)."""
    rows = []
    for seed in range(n_sims):
        sim = mmm.simulate_mmm(104, noise_sd=noise, random_state=20_000 + seed)
        model = mmm.MarketingMixModel(n_draws=200).fit(sim.table)
        total = float(sim.table[model.channels_].sum(axis=1).mean())
        free = mmm.optimise_budget(model, total)
        cur = free.current_allocation
        steps = mmm.optimise_budget(model, total, {c: (0.8 * cur[c], 1.2 * cur[c]) for c in cur.index})
        best = mmm.optimise_budget(sim.truth, total)
        rows.append((_on_truth(sim.truth, cur), _on_truth(sim.truth, free.allocation),
                     _on_truth(sim.truth, steps.allocation), best.expected_revenue, free.gain,
                     steps.gain))
    out = pd.DataFrame(rows, columns=["current", "free", "within_20pct", "optimum", "promised_free",
                                      "promised_20pct"])
    print(f"\nthe model's plan judged on the true curves, {n_sims} data sets (noise sd {noise:g}); "
          f"weekly media revenue, true: current {out['current'].mean():,.0f}, true optimum "
          f"{out['optimum'].mean():,.0f} (possible gain {(out['optimum'] - out['current']).mean():,.0f})")
    for col, promised in (("free", "promised_free"), ("within_20pct", "promised_20pct")):
        gain = out[col] - out["current"]
        print(f"  plan {col:<13} true gain mean {gain.mean():+,.0f} (median {gain.median():+,.0f}), "
              f"better than current in {(gain > 0).mean():.0%}; the model promised "
              f"{out[promised].mean():+,.0f}")


def main(n_sims: int = N_SIMS) -> None:
    speed()
    optimiser()
    true_gain()
    for noise in NOISES:
        report(study(noise, n_sims))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else N_SIMS)
