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

4. **The repeat-order model** (:class:`mkt_lessons.mmm.PoissonMixModel`, lesson 12 section 4):
   the shop's fit time; interval coverage over ``N_POISSON`` data sets simulated from the
   model itself (daily counts, four channels, ``mmm._simulate_repeat``); and coverage under
   the real data generator: the shop regenerated with other seeds (``synth.generate``), fitted
   with the lesson's specification and compared with each seed's ``truth.json``.

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


N_POISSON = 40
SHOP_SPEC = dict(exposure_col="active_customers", value_col="repeat_revenue", controls=["voucher"],
                 fixed_half_saturation=0.5)
P_CH = ("paid_search", "social", "display", "affiliate")
P_TRUTH = dict(decay=(0.3, 0.6, 0.75, 0.1), coef=(0.15, 0.11, 0.11, 0.04))


def shop_table(orders: pd.DataFrame, spend: pd.DataFrame, retention: pd.DataFrame) -> pd.DataFrame:
    """The lesson's daily table: repeat orders, active base, voucher window, from 200 customers."""
    daily = mmm.daily_repeat_table(orders, spend)
    day = pd.Timestamp(retention["assigned_at"].iloc[0])
    daily["voucher"] = daily["date"].between(day, day + pd.Timedelta(days=59)).astype(float)
    return daily[daily["customers"] >= 200].reset_index(drop=True)


def poisson_speed() -> None:
    from mkt_lessons import data
    t0 = time.perf_counter()
    shop = shop_table(data.load_orders(), data.load_marketing_spend(), data.load_retention_test())
    t1 = time.perf_counter()
    times = []
    for _ in range(3):
        t = time.perf_counter()
        model = mmm.PoissonMixModel(**SHOP_SPEC).fit(shop)
        model.parameters()
        model.roas()
        times.append(time.perf_counter() - t)
    print(f"\nPoissonMixModel on the shop ({len(shop)} days x 4 channels): table {t1 - t0:.2f} s; "
          f"fit + parameters + roas best {min(times):.2f} s, mean {np.mean(times):.2f} s (budget 10 s)")


def _coverage_rows(model, truth_rows: dict, key) -> list:
    p, r = model.parameters(), model.roas()
    rows = []
    for ch in model.channels_:
        for q in ("decay", "coef", "roas", "mroas"):
            if q not in truth_rows[ch]:
                continue
            if q in ("roas", "mroas"):
                est, lo, hi = r.loc[ch, [q, f"{q}_low", f"{q}_high"]]
            else:
                est, lo, hi = p.loc[(ch, q), ["estimate", "ci_low", "ci_high"]]
            rows.append((key, ch, q, truth_rows[ch][q], est, lo, hi))
    return rows


def _coverage_report(rows: list, label: str) -> None:
    out = pd.DataFrame(rows, columns=["sim", "channel", "quantity", "truth", "estimate", "ci_low", "ci_high"])
    out["covered"] = (out["ci_low"] <= out["truth"]) & (out["truth"] <= out["ci_high"])
    out["excludes_zero"] = out["ci_low"] > 0
    cov = out.pivot_table(index="channel", columns="quantity", values="covered", aggfunc="mean", sort=False)
    print(f"-- {label}: 95% coverage per channel and quantity")
    print(cov.round(2).to_string())
    print("-- pooled:", out.groupby("quantity")["covered"].mean().round(3).to_dict(),
          "| mROAS interval above zero:",
          out[out.quantity == "mroas"].groupby("channel", sort=False)["excludes_zero"].mean().round(2).to_dict())


def poisson_study(n_sims: int = N_POISSON) -> None:
    rows = []
    t0 = time.perf_counter()
    for seed in range(n_sims):
        table, truth = mmm._simulate_repeat(104, channels=P_CH, decay=P_TRUTH["decay"],
                                            coef=P_TRUTH["coef"], half_saturation=0.5,
                                            random_state=30_000 + seed)
        model = mmm.PoissonMixModel(channels=list(P_CH), target_col="orders", exposure_col="exposure",
                                    fixed_half_saturation=0.5, n_draws=1000).fit(table)
        rows += _coverage_rows(model, truth.to_dict("index"), seed)
    print(f"\nPoissonMixModel on {n_sims} data sets simulated from the model (daily, 104 weeks, "
          f"4 channels): {time.perf_counter() - t0:.0f} s")
    _coverage_report(rows, "simulated from the model")


def generator_study(seeds=range(1, 9)) -> None:
    """The lesson's specification on the shop regenerated with other seeds, for each
    covariance type (quasi-Poisson; sandwich over 4-week blocks; sandwich over weeks)."""
    from mkt_lessons import synth
    covs = {"quasi": dict(cov_type="quasi"), "cluster 4 weeks": dict(cov_type="cluster", cluster_weeks=4),
            "cluster 1 week": dict(cov_type="cluster", cluster_weeks=1)}
    rows = {k: [] for k in covs}
    oracle = []
    t0 = time.perf_counter()
    for seed in seeds:
        store = synth.generate(seed=seed)
        shop = shop_table(store.orders, store.marketing_spend, store.retention_test)
        media = store.truth.params["media"]["channels"]
        truth = {c: dict(decay=media[c]["decay"], roas=media[c]["roas"], mroas=media[c]["marginal_roas"])
                 for c in media}
        for name, kw in covs.items():
            model = mmm.PoissonMixModel(**SHOP_SPEC, **kw, n_draws=1000).fit(shop)
            rows[name] += _coverage_rows(model, truth, seed)
        oracle.append(_true_curve_glm(store, shop))
    print(f"\nPoissonMixModel on the shop regenerated with seeds {list(seeds)} (the real generator): "
          f"{time.perf_counter() - t0:.0f} s")
    for name in covs:
        _coverage_report(rows[name], f"the data generator, other seeds, cov_type {name}")
    o = pd.concat(oracle)
    g = o.groupby(level=0, sort=False)
    print("-- the same baseline with the TRUE curves plugged in (Poisson GLM, quasi SE): is the "
          "baseline the problem?")
    print(pd.DataFrame({"median estimate / true": g["ratio"].median(), "median t": g["t"].median(),
                        "95% coverage": g["covers"].mean()}).round(2).to_string())


def _true_curve_glm(store, shop: pd.DataFrame) -> pd.DataFrame:
    """Poisson GLM of the lesson's table (active base offset, calendar, voucher) with each
    channel's TRUE saturation from truth/media_response: the coefficients should be
    log(1 + max_lift) if the baseline were right."""
    import statsmodels.api as sm
    sat = store.truth.media_response.pivot_table(index="week_start", columns="channel",
                                                 values="saturation", observed=True)[list(P_CH)]
    H = sat.reindex(pd.DatetimeIndex(shop["week_start"])).to_numpy()
    cal = mmm._period_calendar(pd.DatetimeIndex(shop["date"]), 1, shop["date"].iloc[0], True, 2,
                               True, True, True)
    Z = np.column_stack([cal.to_numpy(), shop["voucher"].to_numpy(), H])
    fit = sm.GLM(shop["repeat_orders"].to_numpy(), Z, family=sm.families.Poisson(),
                 offset=np.log(shop["active_customers"].to_numpy())).fit()
    se = fit.bse[-len(P_CH):] * np.sqrt(fit.pearson_chi2 / fit.df_resid)
    est = fit.params[-len(P_CH):]
    media = store.truth.params["media"]["channels"]
    true = np.log1p([media[c]["max_lift"] for c in P_CH])
    return pd.DataFrame({"ratio": est / true, "t": est / se, "covers": np.abs(est - true) < 1.96 * se},
                        index=list(P_CH))


def main(n_sims: int = N_SIMS) -> None:
    poisson_speed()
    poisson_study()
    generator_study()
    speed()
    optimiser()
    true_gain()
    for noise in NOISES:
        report(study(noise, n_sims))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else N_SIMS)
