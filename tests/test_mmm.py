"""Tests of mkt_lessons.mmm: adstock and Hill against hand cases, recovery of known
parameters on data simulated from the model, interval coverage over simulated data sets,
the budget optimiser against brute force, and clear errors on bad input.

The full coverage study (more simulations, four channels) is ``benchmarks/bench_mmm.py``;
the one here is smaller so the unit suite stays fast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from mkt_lessons import mmm
from mkt_lessons.constants import CHANNELS

TWO = ("paid_search", "display")


# --------------------------------------------------------------------------- adstock
def test_adstock_hand_case_unnormalised():
    # a_t = x_t + 0.5 a_{t-1}: 100, 50, 25, 12.5 + 50
    got = mmm.geometric_adstock([100, 0, 0, 50], 0.5, normalize=False)
    np.testing.assert_allclose(got, [100, 50, 25, 62.5])


def test_adstock_hand_case_normalised_and_delayed():
    np.testing.assert_allclose(mmm.geometric_adstock([100, 0, 0, 50], 0.5),
                               [50, 25, 12.5, 31.25])
    # delay 2: the same profile, two weeks later
    np.testing.assert_allclose(mmm.geometric_adstock([100, 0, 0, 50], 0.5, delay=2, normalize=False),
                               [0, 0, 100, 50])
    # decay 0: no carry-over, normalised or not
    np.testing.assert_allclose(mmm.geometric_adstock([3, 1, 4], 0.0), [3, 1, 4])


def test_adstock_equals_explicit_convolution():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 100, 60)
    for decay, delay in [(0.3, 0), (0.8, 0), (0.6, 3)]:
        w = np.r_[np.zeros(delay), decay ** np.arange(60)]
        oracle = np.convolve(x, w)[:60]
        np.testing.assert_allclose(mmm.geometric_adstock(x, decay, delay=delay, normalize=False),
                                   oracle, rtol=1e-12)
        np.testing.assert_allclose(mmm.geometric_adstock(x, decay, delay=delay),
                                   (1 - decay) * oracle, rtol=1e-12)


def test_adstock_steady_state_and_series():
    x = pd.Series(np.full(200, 80.0), index=pd.date_range("2024-01-07", periods=200, freq="7D"))
    a = mmm.geometric_adstock(x, 0.7)
    assert isinstance(a, pd.Series) and a.index.equals(x.index)
    assert a.iloc[-1] == pytest.approx(80.0)       # normalised: steady state = the spend
    b = mmm.geometric_adstock(x, 0.7, normalize=False)
    assert b.iloc[-1] == pytest.approx(80.0 / 0.3)  # unnormalised: x / (1 - decay)
    assert (x == 80.0).all()


# --------------------------------------------------------------------------- hill
def test_hill_hand_cases():
    np.testing.assert_allclose(mmm.hill([0, 50, 100, 300], 100, 1), [0, 1 / 3, 0.5, 0.75])
    assert float(mmm.hill(200, 100, 2)) == pytest.approx(0.8)       # 4 / (4 + 1)
    assert float(mmm.hill(50, 100, 3)) == pytest.approx(1 / 9)      # 0.125 / 1.125
    np.testing.assert_allclose(mmm.hill([7.0, 7.0], 7.0, 0.6), [0.5, 0.5])  # x = K -> 1/2


def test_hill_shape_s_curve_and_monotone():
    x = np.linspace(0, 1000, 201)
    h = mmm.hill(x, 300, 2.5)
    assert np.all(np.diff(h) > 0) and h[0] == 0 and h[-1] < 1
    slope = np.diff(h)
    assert slope.argmax() > 10  # S-curve: steepest away from zero
    assert np.all(np.diff(np.diff(mmm.hill(x, 300, 1.0))) < 0)  # shape 1: concave


def test_hill_refuses_negative_and_nan():
    with pytest.raises(ValueError, match="x"):
        mmm.hill([-1.0, 2.0], 10, 1)
    with pytest.raises(ValueError, match="x"):
        mmm.hill([np.nan], 10, 1)
    with pytest.raises(ValueError, match="half_saturation"):
        mmm.hill([1.0], 0, 1)


# --------------------------------------------------------------------------- weekly table
def test_weekly_media_table_hand_case():
    orders = pd.DataFrame({"order_date": pd.to_datetime(["2024-01-01", "2024-01-07", "2024-01-08",
                                                         "2024-01-15", "2023-12-31"]),
                           "revenue": [10.0, 1.0, 5.0, 100.0, 7.0]})
    spend = pd.DataFrame({"week_start": pd.to_datetime(["2024-01-08", "2024-01-08", "2024-01-01",
                                                        "2024-01-01"]),
                          "channel": ["tv", "search", "tv", "search"], "spend": [3.0, 4.0, 1.0, 2.0]})
    out = mmm.weekly_media_table(orders, spend)
    assert out.columns.tolist() == ["week_start", "tv", "search", "revenue"]
    assert out["revenue"].tolist() == [11.0, 5.0]  # 15 Jan and 31 Dec are outside the weeks
    assert out["tv"].tolist() == [1.0, 3.0]
    assert out.attrs["orders_outside"] == 2


def test_weekly_media_table_on_bundled_data():
    from mkt_lessons import data

    orders, spend = data.load_orders(), data.load_marketing_spend()
    out = mmm.weekly_media_table(orders, spend)
    weeks = pd.DatetimeIndex(spend["week_start"].unique())
    complete = weeks[(weeks >= orders["order_date"].min())
                     & (weeks + pd.Timedelta(days=6) <= orders["order_date"].max())]
    assert out["week_start"].tolist() == complete.tolist()
    assert out.attrs["dropped_weeks"] == [w.date() for w in weeks.difference(complete)]
    end = out["week_start"].iloc[-1] + pd.Timedelta(days=7)
    inside = orders[(orders["order_date"] >= out["week_start"].iloc[0]) & (orders["order_date"] < end)]
    assert out["revenue"].sum() == pytest.approx(inside["revenue"].sum())
    kept = spend[spend["week_start"].isin(complete)]
    assert out[list(CHANNELS)].sum().sum() == pytest.approx(kept["spend"].sum())
    full = mmm.weekly_media_table(orders, spend, drop_partial=False)
    assert len(full) == len(weeks) and full.attrs["dropped_weeks"] == []


# --------------------------------------------------------------------------- fitting
@pytest.fixture(scope="module")
def noiseless():
    sim = mmm.simulate_mmm(104, noise_sd=0.0, random_state=0)
    return sim, mmm.MarketingMixModel(n_draws=500).fit(sim.table)


def test_noise_free_fit_recovers_every_parameter(noiseless):
    """Without noise the least-squares optimum is the truth: the search must find it."""
    sim, model = noiseless
    tr = sim.truth
    np.testing.assert_allclose(model.decay_, tr["decay"], atol=1e-3)
    np.testing.assert_allclose(model.half_saturation_, tr["half_saturation"], rtol=1e-2)
    np.testing.assert_allclose(model.shape_, tr["shape"], rtol=1e-2)
    np.testing.assert_allclose(model.coef_, tr["coef"], rtol=1e-2)
    r = model.roas()
    np.testing.assert_allclose(r["roas"], tr["roas"], rtol=1e-3)
    np.testing.assert_allclose(r["mroas"], tr["mroas"], rtol=1e-3)
    np.testing.assert_allclose(model.predict(sim.table), sim.table["expected_revenue"], rtol=1e-5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_low_noise_fit_recovers_known_parameters(seed):
    """Noise sd 100 on ~30,000 a week (0.3%), 104 weeks x 4 channels. Stated tolerances:
    decay within 0.06; marginal ROAS within 15%; average ROAS within 35% (it extrapolates
    the curve to zero spend, which dark weeks inform only a little: that is the lesson)."""
    sim = mmm.simulate_mmm(104, noise_sd=100.0, random_state=seed)
    model = mmm.MarketingMixModel(n_draws=500).fit(sim.table)
    tr, r = sim.truth, model.roas()
    assert np.abs(model.decay_ - tr["decay"]).max() < 0.06
    assert (np.abs(r["mroas"] / tr["mroas"] - 1)).max() < 0.15
    assert (np.abs(r["roas"] / tr["roas"] - 1)).max() < 0.35
    assert model.sigma_ == pytest.approx(100.0, rel=0.35)


def test_contributions_sum_to_predictions_and_match_public_functions(noiseless):
    sim, model = noiseless
    contrib = model.contributions()
    np.testing.assert_allclose(contrib.sum(axis=1), model.predict(sim.table))
    # the channel columns from the public building blocks and the fitted parameters
    for ch in model.channels_:
        a = mmm.geometric_adstock(sim.table[ch].to_numpy(), float(model.decay_[ch]))
        oracle = model.coef_[ch] * mmm.hill(a, float(model.half_saturation_[ch]),
                                            float(model.shape_[ch]))
        np.testing.assert_allclose(contrib[ch], oracle, rtol=1e-9)


def test_roas_and_marginal_roas_by_hand():
    sim = mmm.simulate_mmm(104, channels=TWO, noise_sd=300.0, random_state=5)
    model = mmm.MarketingMixModel(channels=list(TWO), n_starts=2, n_draws=400).fit(sim.table)
    r = model.roas()

    def revenue(ch, factor):
        x = sim.table[ch].to_numpy() * factor
        a = mmm.geometric_adstock(x, float(model.decay_[ch]))
        return float(np.sum(model.coef_[ch] * mmm.hill(a, float(model.half_saturation_[ch]),
                                                       float(model.shape_[ch]))))

    for ch in TWO:
        spend = sim.table[ch].sum()
        assert r.loc[ch, "roas"] == pytest.approx(revenue(ch, 1.0) / spend)
        assert r.loc[ch, "mroas"] == pytest.approx((revenue(ch, 1.01) - revenue(ch, 1.0)) / (0.01 * spend))
        assert r.loc[ch, "roas_low"] <= r.loc[ch, "roas"] <= r.loc[ch, "roas_high"]
        assert r.loc[ch, "mroas_low"] <= r.loc[ch, "mroas"] <= r.loc[ch, "mroas_high"]


def test_response_curve_is_the_steady_state(noiseless):
    _, model = noiseless
    curve = model.response_curve("display", [0.0, 500.0, 1500.0])
    ch = "display"
    expected = model.coef_[ch] * mmm.hill([0.0, 500.0, 1500.0], float(model.half_saturation_[ch]),
                                          float(model.shape_[ch]))
    np.testing.assert_allclose(curve["revenue"], expected)
    assert (curve["ci_low"] <= curve["revenue"] + 1e-9).all()
    assert (curve["revenue"] <= curve["ci_high"] + 1e-9).all()
    # steady state: a long constant flight earns the curve's value per week
    weeks = pd.date_range("2023-01-01", periods=120, freq="7D")
    X = pd.DataFrame({"week_start": weeks, **{c: 0.0 for c in model.channels_}})
    X[ch] = 1500.0
    assert model.contributions(X)[ch].iloc[-1] == pytest.approx(curve["revenue"].iloc[2], rel=1e-6)


def test_parameters_table_and_conventions(noiseless):
    _, model = noiseless
    p = model.parameters()
    assert list(p.columns) == ["estimate", "ci_low", "ci_high", "at_bound"]
    assert set(p.index.get_level_values("parameter")) == {"decay", "half_saturation", "shape", "coef"}
    assert (p["ci_low"] <= p["estimate"] + 1e-9).all() and (p["estimate"] <= p["ci_high"] + 1e-9).all()
    twin = clone(model)
    assert not hasattr(twin, "coef_")
    with pytest.raises(NotFittedError):
        twin.roas()


def test_y_as_argument_same_as_target_column():
    sim = mmm.simulate_mmm(80, channels=TWO, noise_sd=200.0, random_state=2)
    a = mmm.MarketingMixModel(channels=list(TWO), n_starts=1, n_draws=200).fit(sim.table)
    y = pd.Series(sim.table["revenue"].to_numpy(), index=pd.DatetimeIndex(sim.table["week_start"]))
    b = mmm.MarketingMixModel(channels=list(TWO), n_starts=1, n_draws=200).fit(
        sim.table.drop(columns=["revenue"]), y)
    pd.testing.assert_series_equal(a.coef_, b.coef_)


def test_fixed_shape_and_penalty_shrinks():
    sim = mmm.simulate_mmm(104, channels=TWO, noise_sd=500.0, random_state=4)
    free = mmm.MarketingMixModel(channels=list(TWO), n_starts=2, n_draws=200).fit(sim.table)
    fixed = mmm.MarketingMixModel(channels=list(TWO), fixed_shape=1.0, n_starts=2,
                                  n_draws=200).fit(sim.table)
    assert (fixed.shape_ == 1.0).all() and fixed.n_params_ == free.n_params_ - 2
    media = {}
    for penalty in (0.0, 0.01, 0.1):
        ridge = mmm.MarketingMixModel(channels=list(TWO), fixed_shape=1.0, penalty=penalty,
                                      n_starts=2, n_draws=200).fit(sim.table)
        media[penalty] = ridge.contributions()[list(TWO)].to_numpy().sum()
    # the sceptical penalty pulls the media's total contribution towards zero, monotonely
    assert media[0.0] > media[0.01] > media[0.1] > 0


def test_controls_column_enters_the_baseline():
    sim = mmm.simulate_mmm(104, channels=TWO, noise_sd=100.0, random_state=6)
    X = sim.table.copy()
    price = np.random.default_rng(0).normal(0, 1, len(X))
    X["price_index"] = price
    X["revenue"] = X["revenue"] - 2000.0 * price
    model = mmm.MarketingMixModel(channels=list(TWO), controls=["price_index"], n_starts=2,
                                  n_draws=200).fit(X)
    assert model.baseline_coef_["price_index"] == pytest.approx(-2000.0, rel=0.1)
    assert model.contributions(X).shape == (104, 3)


# --------------------------------------------------------------------------- coverage
@pytest.mark.slow
def test_interval_coverage_over_simulated_data_sets():
    """40 data sets (104 weeks, 2 channels, noise sd 500): the 95% Laplace intervals cover
    the true decay, ROAS and marginal ROAS in >= 80% of channel-fits each (binomial sd ~2.5
    points at 95%; a broken interval, e.g. a wrong covariance scale, gives far less), and
    they are informative (median ROAS interval narrower than the ROAS itself)."""
    hits = {"decay": [], "roas": [], "mroas": []}
    widths = []
    for seed in range(40):
        sim = mmm.simulate_mmm(104, channels=TWO, noise_sd=500.0, random_state=1000 + seed)
        model = mmm.MarketingMixModel(channels=list(TWO), n_starts=2, n_draws=400).fit(sim.table)
        p, r, tr = model.parameters(), model.roas(), sim.truth
        for ch in TWO:
            lo, hi = p.loc[(ch, "decay"), ["ci_low", "ci_high"]]
            hits["decay"].append(lo <= tr.loc[ch, "decay"] <= hi)
            for q in ("roas", "mroas"):
                hits[q].append(r.loc[ch, f"{q}_low"] <= tr.loc[ch, q] <= r.loc[ch, f"{q}_high"])
            widths.append((r.loc[ch, "roas_high"] - r.loc[ch, "roas_low"]) / tr.loc[ch, "roas"])
    coverage = {k: float(np.mean(v)) for k, v in hits.items()}
    assert min(coverage.values()) >= 0.80, coverage
    assert np.median(widths) < 1.0


# --------------------------------------------------------------------------- optimiser
def _curve_value(model, x):
    return sum(float(model.coef_[c] * mmm.hill(float(x[i]), float(model.half_saturation_[c]),
                                               float(model.shape_[c])))
               for i, c in enumerate(model.channels_))


@pytest.fixture(scope="module")
def s_curve_model():
    media = {"paid_search": dict(shape=1.0), "display": dict(shape=3.0, half_saturation=1200.0),
             "social": dict(shape=1.5)}
    sim = mmm.simulate_mmm(104, channels=("paid_search", "display", "social"), media=media,
                           noise_sd=0.0, random_state=3)
    return mmm.MarketingMixModel(channels=["paid_search", "display", "social"], n_draws=200).fit(sim.table)


@pytest.fixture(scope="module")
def two_channel_model():
    sim = mmm.simulate_mmm(104, channels=TWO, media={"display": dict(shape=3.0)}, noise_sd=0.0,
                           random_state=8)
    return mmm.MarketingMixModel(channels=list(TWO), n_draws=200).fit(sim.table)


@pytest.mark.parametrize("total", [1500.0, 4000.0, 9000.0])
def test_optimiser_matches_brute_force_two_channels(two_channel_model, total):
    model = two_channel_model
    plan = mmm.optimise_budget(model, total)
    grid = np.linspace(0, total, 4001)
    values = sum(model.coef_[ch] * mmm.hill(x, float(model.half_saturation_[ch]),
                                            float(model.shape_[ch]))
                 for ch, x in zip(TWO, (grid, total - grid), strict=True))
    best = int(np.argmax(values))
    assert plan.expected_revenue >= values[best] - 1e-6 * abs(values[best])
    assert plan.allocation.iloc[0] == pytest.approx(grid[best], abs=2 * total / 4000)
    assert plan.allocation.sum() == pytest.approx(total)
    assert plan.expected_revenue == pytest.approx(_curve_value(model, plan.allocation.to_numpy()))


def test_optimiser_matches_brute_force_three_channels_with_bounds(s_curve_model):
    model, total = s_curve_model, 6000.0
    bounds = {"paid_search": (500.0, 4000.0), "display": (0.0, 3000.0), "social": (1000.0, None)}
    plan = mmm.optimise_budget(model, total, bounds)
    step = 25.0
    a, b = np.meshgrid(np.arange(500, 4000 + step, step), np.arange(0, 3000 + step, step))
    a, b = a.ravel(), b.ravel()
    c = total - a - b
    ok = c >= 1000
    grid = np.column_stack([a[ok], b[ok], c[ok]])
    values = sum(model.coef_[ch] * mmm.hill(grid[:, i], float(model.half_saturation_[ch]),
                                            float(model.shape_[ch]))
                 for i, ch in enumerate(model.channels_))
    best_val, best_x = values.max(), grid[values.argmax()]
    # the optimiser is at least as good as the grid's best (up to the grid's resolution)
    assert plan.expected_revenue >= best_val - 1e-6 * best_val
    np.testing.assert_allclose(plan.allocation.to_numpy(), best_x, atol=2 * step)
    x = plan.allocation
    assert 500 - 1e-6 <= x["paid_search"] <= 4000 + 1e-6 and x["display"] <= 3000 + 1e-6
    assert x["social"] >= 1000 - 1e-6 and x.sum() == pytest.approx(total)
    assert plan.gain == pytest.approx(plan.expected_revenue - plan.current_revenue)


def test_optimiser_refuses_infeasible_bounds(s_curve_model):
    with pytest.raises(ValueError, match="bounds"):
        mmm.optimise_budget(s_curve_model, 1000.0, {"paid_search": (800.0, None),
                                                    "social": (800.0, None)})
    with pytest.raises(ValueError, match="unknown channel"):
        mmm.optimise_budget(s_curve_model, 1000.0, {"tv": (0.0, 10.0)})
    with pytest.raises(ValueError, match="one \\(low, high\\) pair per channel"):
        mmm.optimise_budget(s_curve_model, 1000.0, [(0, 10)])
    with pytest.raises(NotFittedError):
        mmm.optimise_budget(mmm.MarketingMixModel(), 1000.0)


# --------------------------------------------------------------------------- bad input
@pytest.fixture(scope="module")
def small_table():
    return mmm.simulate_mmm(60, channels=TWO, noise_sd=200.0, random_state=1).table


def _fit(X, y=None, **kw):
    return mmm.MarketingMixModel(channels=list(TWO), n_starts=1, n_draws=100, **kw).fit(X, y)


def test_negative_spend_is_refused(small_table):
    X = small_table.copy()
    X.loc[3, "display"] = -10.0
    with pytest.raises(ValueError, match=r"X\['display'\] must be >= 0"):
        _fit(X)
    with pytest.raises(ValueError, match="spend"):
        mmm.geometric_adstock([1.0, -2.0], 0.5)


def test_nan_is_refused(small_table):
    X = small_table.copy()
    X.loc[5, "paid_search"] = np.nan
    with pytest.raises(ValueError, match="paid_search.*NaN"):
        _fit(X)
    X = small_table.copy()
    X.loc[5, "revenue"] = np.nan
    with pytest.raises(ValueError, match="revenue.*NaN"):
        _fit(X)


@pytest.mark.parametrize("how", ["gap", "duplicate", "unsorted"])
def test_misaligned_weeks_are_refused(small_table, how):
    X = small_table.copy()
    if how == "gap":
        X = X.drop(index=10).reset_index(drop=True)
    elif how == "duplicate":
        X.loc[10, "week_start"] = X.loc[9, "week_start"]
    else:
        X = X.iloc[::-1].reset_index(drop=True)
    with pytest.raises(ValueError, match="consecutive weeks 7 days apart"):
        _fit(X)


def test_y_on_other_weeks_is_refused(small_table):
    y = pd.Series(small_table["revenue"].to_numpy(),
                  index=pd.DatetimeIndex(small_table["week_start"]) + pd.Timedelta(days=7))
    with pytest.raises(ValueError, match="misaligned weeks"):
        _fit(small_table.drop(columns="revenue"), y)
    with pytest.raises(ValueError, match="y must have 60"):
        _fit(small_table.drop(columns="revenue"), small_table["revenue"].to_numpy()[:-1])


def test_too_few_weeks_for_the_parameters(small_table):
    with pytest.raises(ValueError, match=r"too few weeks \(20\) for the number of parameters"):
        _fit(small_table.iloc[:20])


def test_channel_without_spend_and_constant_terms(small_table):
    X = small_table.assign(display=0.0)
    with pytest.raises(ValueError, match="display.*no spend"):
        _fit(X)
    X = small_table.iloc[:36]  # January to early September: no holiday-season week
    with pytest.raises(ValueError, match="holiday_season"):
        _fit(X, fixed_shape=1.0)


def test_bad_parameters_named(small_table):
    for bad, word in [({"decay_bounds": (0.5, 0.2)}, "decay_bounds"),
                      ({"channels": "paid_search"}, "channels"),
                      ({"fixed_shape": -1.0}, "fixed_shape"),
                      ({"alpha": 1.5}, "alpha")]:
        kw = {"n_starts": 1, "n_draws": 100, "channels": list(TWO), **bad}
        with pytest.raises((TypeError, ValueError), match=word):
            mmm.MarketingMixModel(**kw).fit(small_table)


def test_unknown_channel_in_response_curve(noiseless):
    _, model = noiseless
    with pytest.raises(ValueError, match="channel must be one of"):
        model.response_curve("tv")



def test_decay_on_its_bound_is_flagged():
    """A channel with no carry-over (true decay 0) ends on the search bound: flagged, so the
    reader knows its interval comes from a broken approximation."""
    sim = mmm.simulate_mmm(104, channels=TWO, media={"display": dict(decay=0.0)}, noise_sd=0.0,
                           random_state=2)
    model = mmm.MarketingMixModel(channels=list(TWO), fixed_shape=None, n_starts=2,
                                  n_draws=200).fit(sim.table)
    p = model.parameters()
    assert model.decay_["display"] < 0.01
    assert bool(p.loc[("display", "decay"), "at_bound"])
    assert not bool(p.loc[("paid_search", "decay"), "at_bound"])
    assert not p.xs("coef", level="parameter")["at_bound"].any()


def test_delayed_adstock_fit_recovers_truth():
    """Revenue built by hand with a one-week delay: the model with delay=1 finds the truth."""
    sim = mmm.simulate_mmm(104, channels=TWO, noise_sd=0.0, random_state=7)
    X, tr = sim.table.copy(), sim.truth

    def media(ch, delay):
        a = mmm.geometric_adstock(X[ch].to_numpy(), tr.loc[ch, "decay"], delay=delay)
        return tr.loc[ch, "coef"] * mmm.hill(a, tr.loc[ch, "half_saturation"], tr.loc[ch, "shape"])

    X["revenue"] = X["expected_revenue"] + sum(media(ch, 1) - media(ch, 0) for ch in TWO)
    model = mmm.MarketingMixModel(channels=list(TWO), delay=1, n_draws=200).fit(X)
    np.testing.assert_allclose(model.decay_, tr["decay"], atol=1e-3)
    np.testing.assert_allclose(model.half_saturation_, tr["half_saturation"], rtol=1e-2)
    undelayed = mmm.MarketingMixModel(channels=list(TWO), n_draws=200).fit(X)
    assert undelayed.sigma_ > 10 * max(model.sigma_, 1e-9)


def test_optimiser_on_true_curves_gives_the_true_optimum(s_curve_model):
    """A table of curves (the simulator's truth) is optimised the same way: on noise-free
    data the fitted model and the truth agree; a noisy model's plan earns, on the true curves,
    no more than the true optimum and more than nothing."""
    chans = ["paid_search", "display", "social"]
    media = {"paid_search": dict(shape=1.0), "display": dict(shape=3.0, half_saturation=1200.0),
             "social": dict(shape=1.5)}
    truth = mmm.simulate_mmm(104, channels=chans, media=media, noise_sd=0.0, random_state=3).truth
    true_plan = mmm.optimise_budget(truth, 6000.0)
    fitted_plan = mmm.optimise_budget(s_curve_model, 6000.0)
    np.testing.assert_allclose(true_plan.allocation, fitted_plan.allocation, atol=5.0)
    assert true_plan.current_allocation.sum() == pytest.approx(6000.0)
    noisy = mmm.simulate_mmm(104, channels=chans, media=media, noise_sd=500.0, random_state=3)
    model = mmm.MarketingMixModel(channels=chans, n_starts=2, n_draws=200).fit(noisy.table)
    plan = mmm.optimise_budget(model, 6000.0)

    def true_revenue(x):
        return sum(truth.loc[c, "coef"] * float(mmm.hill(float(x[c]), truth.loc[c, "half_saturation"],
                                                         truth.loc[c, "shape"])) for c in chans)

    assert true_revenue(plan.allocation) <= true_plan.expected_revenue + 1e-6
    assert true_revenue(true_plan.allocation) == pytest.approx(true_plan.expected_revenue)


def test_optimiser_current_plan(s_curve_model):
    current = {"paid_search": 1000.0, "display": 2000.0, "social": 3000.0}
    plan = mmm.optimise_budget(s_curve_model, 6000.0, current=current)
    assert plan.current_allocation.to_dict() == current
    assert plan.current_revenue == pytest.approx(_curve_value(s_curve_model, [1000.0, 2000.0, 3000.0]))
    assert plan.gain >= 0
    with pytest.raises(ValueError, match="current"):
        mmm.optimise_budget(s_curve_model, 6000.0, current=[1.0, 2.0])
    with pytest.raises(ValueError, match="current"):
        mmm.optimise_budget(s_curve_model, 6000.0, current={"paid_search": -1.0})


def test_optimiser_max_change_keeps_steps_small(s_curve_model):
    free = mmm.optimise_budget(s_curve_model, 6000.0)
    step = mmm.optimise_budget(s_curve_model, 6000.0, max_change=0.1)
    cur = step.current_allocation
    assert ((step.allocation >= 0.9 * cur - 1e-6) & (step.allocation <= 1.1 * cur + 1e-6)).all()
    assert step.allocation.sum() == pytest.approx(6000.0)
    assert step.current_revenue <= step.expected_revenue <= free.expected_revenue + 1e-6
    with pytest.raises(ValueError, match="max_change"):
        mmm.optimise_budget(s_curve_model, 6000.0, current=[100.0, 100.0, 100.0], max_change=0.1)
