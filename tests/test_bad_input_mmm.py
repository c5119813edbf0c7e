"""Bad input to mkt_lessons.mmm (machinery in badinput.py, estimator checks in conformance.py)."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from badinput import Array, Date, Flag, Real, Size, Spec, Table, make_tests
from conformance import EstimatorCase

from mkt_lessons import mmm

TWO = ["paid_search", "display"]
FAST = {"channels": TWO, "n_starts": 1, "n_draws": 100}


@functools.cache
def _table() -> pd.DataFrame:
    return mmm.simulate_mmm(60, channels=TWO, noise_sd=200.0, random_state=1).table


def table() -> pd.DataFrame:
    return _table().drop(columns="expected_revenue").copy()


@functools.cache
def fitted() -> mmm.MarketingMixModel:
    return mmm.MarketingMixModel(**FAST).fit(table())


def curves() -> pd.DataFrame:
    return pd.DataFrame({"half_saturation": [1000.0, 500.0], "shape": [1.0, 2.0],
                         "coef": [3000.0, 2000.0]}, index=pd.Index(TWO, name="channel"))


def tiny_orders() -> pd.DataFrame:
    return pd.DataFrame({"order_date": pd.to_datetime(["2024-01-01", "2024-01-09", "2024-01-14"]),
                         "revenue": [10.0, 5.0, 2.5]})


def tiny_spend() -> pd.DataFrame:
    return pd.DataFrame({"week_start": pd.to_datetime(["2024-01-01"] * 2 + ["2024-01-08"] * 2),
                         "channel": ["tv", "search"] * 2, "spend": [1.0, 2.0, 3.0, 4.0]})


PFAST = {"channels": TWO, "target_col": "orders", "exposure_col": "exposure", "holidays": False,
         "n_starts": 1, "n_draws": 100}


@functools.cache
def _daily() -> pd.DataFrame:
    return mmm._simulate_repeat(40, channels=TWO, random_state=2)[0]


def daily() -> pd.DataFrame:
    return _daily().drop(columns="expected").copy()


def tiny_order_lines() -> pd.DataFrame:
    return pd.DataFrame({"order_id": ["O1", "O2", "O3", "O4"], "customer_id": ["A", "A", "B", "A"],
                         "order_date": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02", "2024-01-12"]),
                         "revenue": [10.0, 5.0, 7.0, 3.0]})


def _pfit(X, y=None):
    return mmm.PoissonMixModel(**PFAST).fit(X, y)


def _fit(X, y=None):
    return mmm.MarketingMixModel(**FAST).fit(X, y)


def _shift_y(kw):
    X = kw["X"]
    y = pd.Series(X["revenue"].to_numpy(), index=pd.DatetimeIndex(X["week_start"]) + pd.Timedelta(days=7))
    return {"X": X.drop(columns="revenue"), "y": y}


SPECS = [
    Spec(mmm.geometric_adstock, lambda: dict(spend=np.array([100.0, 0.0, 50.0, 20.0]), decay=0.5),
         {"spend": Array(), "decay": Real(low=0, high=1, high_open=True), "delay": Size(low=0),
          "normalize": Flag()},
         extra=[("negative:spend", lambda kw: {**kw, "spend": np.array([1.0, -2.0])}, ValueError)]),
    Spec(mmm.hill, lambda: dict(x=np.array([0.0, 50.0, 200.0]), half_saturation=100.0, shape=1.5),
         {"half_saturation": Real(low=0, low_open=True), "shape": Real(low=0, low_open=True)},
         extra=[("text:x", lambda kw: {**kw, "x": ["1", "2"]}, TypeError),
                ("textscalar:x", lambda kw: {**kw, "x": "100"}, TypeError),
                ("nan:x", lambda kw: {**kw, "x": np.array([np.nan, 1.0])}, ValueError),
                ("negative:x", lambda kw: {**kw, "x": np.array([-1.0, 1.0])}, ValueError),
                ("empty:x", lambda kw: {**kw, "x": np.array([])}, ValueError)]),
    Spec(mmm.weekly_media_table, lambda: dict(orders=tiny_orders(), spend=tiny_spend()),
         {"orders": Table(numeric=["revenue"], dates=["order_date"]),
          "spend": Table(ids=["channel"], numeric=["spend"], dates=["week_start"]),
          "drop_partial": Flag()},
         extra=[("negative:spend", lambda kw: {**kw, "spend": kw["spend"].assign(
                    spend=[1.0, -2.0, 3.0, 4.0])}, ValueError),
                ("duplicate:spend", lambda kw: {**kw, "spend": pd.concat(
                    [kw["spend"], kw["spend"].iloc[:1]], ignore_index=True)}, ValueError),
                ("gap:spend", lambda kw: {**kw, "spend": kw["spend"].assign(
                    week_start=pd.to_datetime(["2024-01-01"] * 2 + ["2024-01-22"] * 2))}, ValueError),
                ("missingweek:spend", lambda kw: {**kw, "spend": kw["spend"].iloc[:3]}, ValueError)]),
    Spec(lambda X, y=None: _fit(X, y), lambda: dict(X=table()),
         {"X": Table(numeric=["paid_search", "display", "revenue"], dates=["week_start"])},
         name="mmm.MarketingMixModel.fit",
         extra=[("negative:X[display]", lambda kw: {"X": kw["X"].assign(
                    display=-kw["X"]["display"])}, ValueError),
                ("gap:X[week_start]", lambda kw: {"X": kw["X"].drop(index=5)}, ValueError),
                ("duplicate:X[week_start]", lambda kw: {"X": pd.concat([kw["X"], kw["X"].iloc[:1]])},
                 ValueError),
                ("fewweeks:X", lambda kw: {"X": kw["X"].iloc[:20]}, ValueError),
                ("misaligned:y", _shift_y, ValueError),
                ("short:y", lambda kw: {"X": kw["X"].drop(columns="revenue"),
                                        "y": kw["X"]["revenue"].to_numpy()[:-1]}, ValueError),
                ("nan:y", lambda kw: {"X": kw["X"].drop(columns="revenue"),
                                      "y": np.r_[np.nan, kw["X"]["revenue"].to_numpy()[1:]]},
                 ValueError),
                ("nospend:X[display]", lambda kw: {"X": kw["X"].assign(display=0.0)}, ValueError)]),
    Spec(mmm.optimise_budget, lambda: dict(model=fitted(), total=3000.0,
                                           bounds={"display": (100.0, 2000.0)}),
         {"total": Real(low=0, low_open=True), "n_starts": Size(low=1, high=1000),
          "max_change": Real(low=0, low_open=True),
          "random_state": Size(low=0)},
         extra=[("notmodel:model", lambda kw: {**kw, "model": "a model"}, TypeError),
                ("unfitted:model", lambda kw: {**kw, "model": mmm.MarketingMixModel()}, ValueError),
                ("infeasible:bounds", lambda kw: {**kw, "bounds": {"display": (3500.0, None)}},
                 ValueError),
                ("unknown:bounds", lambda kw: {**kw, "bounds": {"tv": (0.0, 1.0)}}, ValueError),
                ("notpair:bounds", lambda kw: {**kw, "bounds": {"display": 5.0}}, TypeError),
                ("text:bounds", lambda kw: {**kw, "bounds": "display"}, TypeError),
                ("reversed:bounds", lambda kw: {**kw, "bounds": {"display": (50.0, 10.0)}},
                 ValueError),
                ("short:current", lambda kw: {**kw, "current": [1.0]}, ValueError),
                ("negative:current", lambda kw: {**kw, "current": [-1.0, 2.0]}, ValueError),
                ("text:current", lambda kw: {**kw, "current": ["1", "2"]}, TypeError),
                ("unknown:current", lambda kw: {**kw, "current": {"tv": 1.0}}, ValueError)]),
    Spec(mmm.optimise_budget, lambda: dict(model=curves(), total=3000.0), name="mmm.optimise_budget[curves]",
         roles={"model": Table(numeric=["half_saturation", "shape", "coef"])},
         extra=[("negative:model[shape]", lambda kw: {**kw, "model": kw["model"].assign(shape=-1.0)},
                 ValueError),
                ("dupindex:model", lambda kw: {**kw, "model": pd.concat([kw["model"]] * 2)},
                 ValueError)]),
    Spec(mmm.daily_repeat_table, lambda: dict(orders=tiny_order_lines(), spend=tiny_spend()),
         {"orders": Table(ids=["order_id", "customer_id"], numeric=["revenue"], dates=["order_date"]),
          "spend": Table(ids=["channel"], numeric=["spend"], dates=["week_start"]),
          "active_days": Size(low=1, high=100_000)},
         extra=[("negative:spend", lambda kw: {**kw, "spend": kw["spend"].assign(
                    spend=[1.0, -2.0, 3.0, 4.0])}, ValueError),
                ("gap:spend", lambda kw: {**kw, "spend": kw["spend"].assign(
                    week_start=pd.to_datetime(["2024-01-01"] * 2 + ["2024-01-22"] * 2))}, ValueError),
                ("nocompleteweek:orders", lambda kw: {**kw, "orders": kw["orders"].iloc[:3]}, ValueError),
                ("twocustomers:orders", lambda kw: {**kw, "orders": kw["orders"].assign(
                    order_id=["O1", "O3", "O3", "O4"])}, ValueError)]),
    Spec(lambda X, y=None: _pfit(X, y), lambda: dict(X=daily()),
         {"X": Table(numeric=["paid_search", "display", "orders", "exposure"], dates=["date", "week_start"])},
         name="mmm.PoissonMixModel.fit",
         extra=[("negative:X[display]", lambda kw: {"X": kw["X"].assign(display=-kw["X"]["display"])},
                 ValueError),
                ("negative:X[orders]", lambda kw: {"X": kw["X"].assign(orders=-kw["X"]["orders"])},
                 ValueError),
                ("zero:X[exposure]", lambda kw: {"X": kw["X"].assign(exposure=0.0)}, ValueError),
                ("gap:X[date]", lambda kw: {"X": kw["X"].drop(index=5)}, ValueError),
                ("misaligned:X[week_start]", lambda kw: {"X": kw["X"].assign(
                    week_start=kw["X"]["week_start"] + pd.Timedelta(days=7))}, ValueError),
                ("unequalweek:X[display]", lambda kw: {"X": kw["X"].assign(
                    display=kw["X"]["display"] + np.arange(len(kw["X"])) % 2)}, ValueError),
                ("fewrows:X", lambda kw: {"X": kw["X"].iloc[:21]}, ValueError),
                ("short:y", lambda kw: {"X": kw["X"].drop(columns="orders"),
                                        "y": kw["X"]["orders"].to_numpy()[:-1]}, ValueError),
                ("nospend:X[display]", lambda kw: {"X": kw["X"].assign(display=0.0)}, ValueError)]),
    Spec(mmm.simulate_mmm, lambda: dict(n_weeks=20, channels=("search",), noise_sd=100.0,
                                        start="2024-01-07"),
         {"n_weeks": Size(low=8, high=100_000), "noise_sd": Real(low=0),
          "baseline": Real(low=0, low_open=True), "start": Date(),
          "dark_share": Real(low=0, high=1, high_open=True), "random_state": Size(low=0)},
         extra=[("text:channels", lambda kw: {**kw, "channels": "search"}, TypeError),
                ("baddecay:media", lambda kw: {**kw, "media": {"search": {"decay": 1.5}}},
                 ValueError)]),
]
test_bad_input, test_valid_call = make_tests(SPECS)

ESTIMATORS = [
    EstimatorCase(mmm.MarketingMixModel, data=lambda: ((table(),), {}),
                  output=lambda est, args, kw: est.predict(args[0]),
                  params=dict(FAST),
                  bad_params=[{"n_starts": 0}, {"decay_bounds": (0.5, 0.1)}, {"fixed_shape": -1.0},
                              {"alpha": 2.0}, {"penalty": -1.0}, {"n_draws": 10},
                              {"channels": "paid_search"}, {"shape_bounds": (2.0,)},
                              {"fourier_order": 1.5}, {"delay": -1}]),
    EstimatorCase(mmm.PoissonMixModel, data=lambda: ((daily(),), {}),
                  output=lambda est, args, kw: est.predict(args[0]),
                  params=dict(PFAST),
                  bad_params=[{"n_starts": 0}, {"decay_bounds": (0.5, 0.1)}, {"fixed_shape": -1.0},
                              {"fixed_half_saturation": 0.0}, {"alpha": 2.0}, {"n_draws": 10},
                              {"channels": "paid_search"}, {"weekday": "yes"},
                              {"exposure_col": 3}, {"fourier_order": 1.5},
                              {"fixed_shape": None}]),
]
