"""PoissonMixModel and daily_repeat_table (issue 19): oracles are statsmodels' Poisson GLM with
an offset (the linear part at the fitted decays), brute force (the active base), finite
differences through predict (marginal ROAS) and simulation recovery with interval coverage."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from mkt_lessons import mmm

CH = ["paid_search", "display"]
FAST = dict(channels=CH, target_col="orders", exposure_col="exposure", n_starts=1, n_draws=300)


@functools.cache
def _sim(seed: int = 0, n_weeks: int = 104):
    return mmm._simulate_repeat(n_weeks, channels=CH, random_state=seed)


@functools.cache
def _fitted(seed: int = 0):
    table, _ = _sim(seed)
    return mmm.PoissonMixModel(**FAST).fit(table)


def test_active_base_by_brute_force():
    rng = np.random.default_rng(3)
    n = 300
    orders = pd.DataFrame({"order_id": [f"O{i}" for i in range(n)],
                           "customer_id": rng.choice([f"C{i}" for i in range(40)], n),
                           "order_date": pd.Timestamp("2024-01-01")
                           + pd.to_timedelta(rng.integers(0, 120, n), unit="D"),
                           "revenue": rng.uniform(5, 50, n)})
    weeks = pd.date_range("2024-01-01", periods=18, freq="7D")
    spend = pd.DataFrame({"week_start": np.repeat(weeks, 2), "channel": ["a", "b"] * 18,
                          "spend": rng.uniform(0, 100, 36)})
    t = mmm.daily_repeat_table(orders, spend, active_days=30)
    for _, row in t.sample(25, random_state=1).iterrows():
        d = row["date"]
        recent = orders[(orders.order_date < d) & (orders.order_date >= d - pd.Timedelta(days=30))]
        assert row["active_customers"] == recent.customer_id.nunique()
        first = orders.groupby("customer_id").order_date.min()
        assert row["customers"] == int((first < d).sum())
        rep = orders[(orders.order_date == d) & (orders.order_date > orders.customer_id.map(first))]
        assert row["repeat_orders"] == len(rep)
        assert row["repeat_revenue"] == pytest.approx(rep.revenue.sum())
    # every day of the complete weeks, the week's spend on each of its days
    assert (t.groupby("week_start").size() == 7).all()
    assert t.groupby("week_start")["a"].nunique().eq(1).all()


def test_linear_part_matches_statsmodels_glm_at_the_fitted_decays():
    table, _ = _sim(0)
    model = _fitted(0)
    s = model._fit_state
    u = model._phi[model._n_lin:]
    spend_rel = s["spend"] / model._scale_spend[:, None]
    Z = np.hstack([s["base"], model._media(spend_rel, s["pos"], u)])
    glm = sm.GLM(table["orders"].to_numpy(), Z, family=sm.families.Poisson(),
                 offset=np.log(table["exposure"].to_numpy())).fit()
    np.testing.assert_allclose(model.coef_.to_numpy(), glm.params[-2:], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(model.baseline_coef_.to_numpy(), glm.params[:-2], rtol=1e-5, atol=1e-7)
    assert model.deviance_ == pytest.approx(glm.deviance, rel=1e-8)
    assert model.dispersion_ == pytest.approx(glm.pearson_chi2 / (glm.df_resid - 2), rel=1e-6)
    assert model.aic_ == pytest.approx(glm.aic + 2 * 2, rel=1e-8)  # + the two decays
    # quasi-Poisson: the linear block of the Laplace covariance is at least the GLM's
    # (the decays add uncertainty)
    quasi = model  # cov_type="quasi" is the default
    se_glm = glm.bse[-2:] * np.sqrt(quasi.dispersion_)
    se_lap = np.sqrt(np.diag(quasi.cov_))[quasi._n_base:quasi._n_lin]
    assert (se_lap >= se_glm * 0.999).all()


def test_cluster_covariance_matches_statsmodels_cluster_robust_glm():
    # At the optimum the score of the decays is zero, so a Poisson GLM on the full Jacobian
    # G = d eta / d theta (linear columns + decay derivatives) with the same offset sits at
    # (coefficients, 0); its cluster-robust covariance is the model's sandwich.
    table, _ = _sim(0)
    model = mmm.PoissonMixModel(**FAST, cov_type="cluster", cluster_weeks=4).fit(table)
    s = model._fit_state
    n_lin, n = model._n_lin, len(table)
    u = model._phi[n_lin:]
    spend_rel = s["spend"] / model._scale_spend[:, None]
    G = np.empty((n, len(model._phi)))
    G[:, :n_lin] = np.hstack([s["base"], model._media(spend_rel, s["pos"], u)])
    for j in range(len(u)):
        e = np.zeros(len(u))
        e[j] = 1e-6
        G[:, n_lin + j] = (model._media(spend_rel, s["pos"], u + e)
                           - model._media(spend_rel, s["pos"], u - e)) @ model.coef_.to_numpy() / 2e-6
    off = np.log(table["exposure"].to_numpy()) - G[:, n_lin:] @ np.zeros(len(u))
    groups = s["pos"] // model.cluster_weeks
    glm = sm.GLM(table["orders"].to_numpy(), G, family=sm.families.Poisson(), offset=off).fit(
        cov_type="cluster", cov_kwds={"groups": groups})
    np.testing.assert_allclose(glm.params[n_lin:], 0.0, atol=1e-2)
    n_b, k = groups.max() + 1, G.shape[1]
    factor = (n - k) / (n - 1)  # statsmodels' extra small-sample factor; ours is n_b/(n_b-1) only
    np.testing.assert_allclose(np.diag(model.cov_), np.diag(glm.cov_params()) * factor, rtol=0.02)
    assert n_b == int(np.ceil(len(model.weeks_) / model.cluster_weeks))


def test_marginal_roas_equals_a_finite_difference_through_predict():
    table, _ = _sim(0)
    model = _fitted(0)
    roas = model.roas()  # value = expected counts (no value_col)
    mu = model.predict(table)
    for ch in CH:
        up = model.predict(table.assign(**{ch: table[ch] * 1.01}))
        fd = (up.sum() - mu.sum()) / (0.01 * table.groupby("week_start")[ch].first().sum())
        assert roas.loc[ch, "mroas"] == pytest.approx(fd, rel=1e-6)
        off = model.predict(table.assign(**{ch: 0.0}))
        assert roas.loc[ch, "contribution"] == pytest.approx(mu.sum() - off.sum(), rel=1e-6)


def test_recovery_and_interval_coverage_on_simulated_data():
    # 12 data sets from the model itself: nominal 95% intervals; the pooled coverage of
    # coef, decay, ROAS and mROAS must be at least 80% (binomial noise of 24 intervals)
    covers = {"coef": [], "decay": [], "roas": [], "mroas": []}
    errors = []
    for seed in range(12):
        table, truth = _sim(seed + 10)
        model = mmm.PoissonMixModel(**FAST).fit(table)
        p = model.parameters()
        r = model.roas()
        for ch in CH:
            for name in ("coef", "decay"):
                lo, hi = p.loc[(ch, name), ["ci_low", "ci_high"]]
                covers[name].append(lo <= truth.loc[ch, name] <= hi)
            for name in ("roas", "mroas"):
                covers[name].append(r.loc[ch, f"{name}_low"] <= truth.loc[ch, name] <= r.loc[ch, f"{name}_high"])
        errors.append(model.coef_[CH].to_numpy() - truth.loc[CH, "coef"].to_numpy())
    rates = {k: np.mean(v) for k, v in covers.items()}
    assert min(rates.values()) >= 0.8, rates
    # unbiased on average: the mean error of each coefficient is within 3 standard errors
    errors = np.array(errors)
    assert (np.abs(errors.mean(axis=0)) < 3 * errors.std(axis=0) / np.sqrt(len(errors))).all(), errors


def test_fixed_half_saturation_is_reported_and_not_searched():
    model = _fitted(0)
    p = model.parameters()
    k = p.xs("half_saturation", level=1)
    np.testing.assert_allclose(k.estimate, model._scale_spend * 1.0)
    assert (k.ci_low == k.estimate).all() and (k.ci_high == k.estimate).all()
    assert model.n_params_ == len(model.baseline_coef_) + 2 * len(CH)


def test_design_se_same_plan_and_a_plan_with_more_variation():
    table, _ = _sim(0)
    model = _fitted(0)
    plan = table.groupby("week_start")[CH].first().reset_index()
    se = model.design_se(plan)
    np.testing.assert_allclose(se.se_coef_plan, se.se_coef, rtol=1e-8)
    np.testing.assert_allclose(se.se_coef, np.sqrt(np.diag(model.cov_))[model._n_base:model._n_lin],
                               rtol=1e-3)
    # the same budget in 8-week bursts, dark in between: far more contrast, a tighter coefficient
    more = plan.assign(display=np.where((np.arange(len(plan)) // 8) % 2, 0.0, 2 * plan.display.mean()))
    assert model.design_se(more).loc["display", "se_coef_plan"] < se.loc["display", "se_coef"]


def test_optimise_budget_accepts_the_poisson_model():
    model = _fitted(0)
    total = float(model._fit_state["spend"].mean(axis=1).sum())
    plan = mmm.optimise_budget(model, total, max_change=0.2)
    assert plan.allocation.sum() == pytest.approx(total)
    assert plan.gain >= -1e-9
    grid = np.linspace(0.8, 1.2, 81) * plan.current_allocation.iloc[0]
    grid = grid[(total - grid >= 0.8 * plan.current_allocation.iloc[1])
                & (total - grid <= 1.2 * plan.current_allocation.iloc[1])]
    brute = max(model._steady_revenue(np.array([g, total - g])) for g in grid)
    assert plan.expected_revenue >= brute - 1e-6 * abs(brute)


def test_clone_unfitted_and_weekly_rows():
    model = mmm.PoissonMixModel(**FAST)
    assert clone(model).get_params() == model.get_params()
    with pytest.raises(NotFittedError):
        model.roas()
    table, _ = _sim(1)
    weekly = (table.groupby("week_start", as_index=False)
              .agg(**{c: (c, "first") for c in CH}, orders=("orders", "sum"), exposure=("exposure", "mean")))
    weekly["date"] = weekly["week_start"]
    m = mmm.PoissonMixModel(**FAST).fit(weekly)
    assert "weekday1" not in m.baseline_coef_.index and np.isfinite(m.coef_).all()


def test_parameter_errors():
    table, _ = _sim(0)
    with pytest.raises(ValueError, match="fixed_half_saturation needs fixed_shape"):
        mmm.PoissonMixModel(**{**FAST, "fixed_shape": None}).fit(table)
    with pytest.raises(ValueError, match="not in its week"):
        mmm.PoissonMixModel(**FAST).fit(table.assign(week_start=table.week_start.shift(1).bfill()))
    with pytest.raises(ValueError, match="differs between days"):
        bad = table.copy()
        bad.loc[3, "display"] += 1.0
        mmm.PoissonMixModel(**FAST).fit(bad)
    with pytest.raises(ValueError, match="must be > 0"):
        mmm.PoissonMixModel(**FAST).fit(table.assign(exposure=0.0))


def test_deviance_matches_statsmodels_and_scores_the_last_rows():
    table, _ = _sim(0)
    model = _fitted(0)
    mu = model.predict(table)
    y = table["orders"].to_numpy()
    assert model.deviance(table) == pytest.approx(sm.families.Poisson().deviance(y, mu), rel=1e-10)
    assert model.deviance(table) == pytest.approx(model.deviance_, rel=1e-8)
    last = model.deviance(table, last=70)
    assert last == pytest.approx(sm.families.Poisson().deviance(y[-70:], mu[-70:]), rel=1e-10)
    with pytest.raises(ValueError, match="last"):
        model.deviance(table, last=0)


def test_response_curve_by_hand():
    model = _fitted(0)
    s = model._fit_state
    h = np.column_stack([mmm.hill(mmm.geometric_adstock(s["spend"][c], model.decay_.iloc[c]),
                                  model.half_saturation_.iloc[c], 1.0) for c in range(2)])[s["pos"]]
    base_weekly = (s["mu"] * np.exp(-h @ model.coef_.to_numpy())).sum() / len(model.weeks_)
    curve = model.response_curve("display", spend=[0.0, 500.0, 2000.0])
    by_hand = base_weekly * np.expm1(model.coef_["display"] * mmm.hill(
        np.array([0.0, 500.0, 2000.0]), model.half_saturation_["display"], 1.0))
    np.testing.assert_allclose(curve["revenue"], by_hand, rtol=1e-8)
    assert (curve["ci_low"] <= curve["revenue"] + 1e-9).all() and (curve["revenue"] <= curve["ci_high"] + 1e-9).all()
    x = np.array([800.0, 500.0])
    total = base_weekly * np.expm1(sum(model.coef_.iloc[c] * mmm.hill(x[c], model.half_saturation_.iloc[c], 1.0)
                                       for c in range(2)))
    assert model._steady_revenue(x) == pytest.approx(total, rel=1e-8)
