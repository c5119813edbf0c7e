"""Bad input to mkt_lessons.clv; machinery in badinput.py and conformance.py."""

from __future__ import annotations

import numpy as np
from badinput import Array, Date, Option, Real, Size, Spec, Table, make_tests, tiny_orders
from conformance import EstimatorCase

from mkt_lessons import clv
from mkt_lessons.clv import BetaGeoModel, GammaGammaModel, ShiftedBetaGeoModel


def _rfm(n: int = 300):
    d = clv.simulate_bgnbd(0.5, 5.0, 0.9, 2.5, T=np.linspace(20.0, 40.0, n), random_state=0)
    spend = np.where(d["frequency"] > 0, 20.0 + np.arange(n) % 13, 0.0)
    return d["frequency"].to_numpy(), d["recency"].to_numpy(), d["T"].to_numpy(), spend


def _rfm_kw():
    f, r, T, _ = _rfm()
    return dict(frequency=f, recency=r, T=T)


def _set(key, fn):
    def mutate(kw):
        kw[key] = fn(kw)
        return kw
    return mutate


def _first(arr, value):
    arr = np.array(arr, dtype=float)
    arr[0] = value
    return arr


def _late(kw):
    """recency > T in the first row with a repeat purchase."""
    r = np.array(kw["recency"], dtype=float)
    i = int(np.flatnonzero(np.asarray(kw["frequency"]) > 0)[0])
    r[i] = kw["T"][i] + 1.0
    return r


RFM_ROLES = {"frequency": Array(), "recency": Array(), "T": Array()}
RFM_EXTRA = [
    ("negative:recency", _set("recency", lambda kw: _first(kw["recency"], -1.0)), ValueError),
    ("late:recency", _set("recency", _late), ValueError),
    ("fraction:frequency", _set("frequency", lambda kw: _first(kw["frequency"], 1.5)), ValueError),
    ("negative:T", _set("T", lambda kw: _first(kw["T"], -3.0)), ValueError),
    ("length:T", _set("T", lambda kw: np.asarray(kw["T"])[:-1]), ValueError),
]


def _fit_bg(frequency, recency, T):
    return BetaGeoModel().fit(frequency, recency, T)


def _fit_gg(frequency, monetary_value):
    return GammaGammaModel().fit(frequency, monetary_value)


def _fit_sbg(survivors):
    return ShiftedBetaGeoModel().fit(survivors)


def _fitted():
    f, r, T, m = _rfm()
    return BetaGeoModel().fit(f, r, T), GammaGammaModel().fit(f, m)


def _clv_kw():
    f, r, T, m = _rfm()
    bg, gg = _fitted()
    return dict(bgnbd=bg, gamma_gamma=gg, frequency=f, recency=r, T=T, monetary_value=m,
                horizon=6, period=4.0, discount_rate=0.01, margin=0.3, n_boot=0, alpha=0.05)


def _expected(model, t, frequency, recency, T):
    return model.expected_purchases(t, frequency, recency, T)


def _alive(model, frequency, recency, T):
    return model.prob_alive(frequency, recency, T)


def _spend(model, frequency, monetary_value):
    return model.expected_spend(frequency, monetary_value)


def _derl(model, renewals, discount_rate):
    return model.discounted_expected_residual_lifetime(renewals, discount_rate)


SURVIVORS = [1000, 631, 468, 382, 326, 289, 262, 241]

SPECS = [
    Spec(clv.summary_table,
         lambda: dict(orders=tiny_orders(), observation_end="2024-06-30",
                      calibration_end="2024-03-31", unit="days"),
         {"orders": Table(ids=["customer_id"], numeric=["revenue"], dates=["order_date"]),
          "observation_end": Date(outside=["2023-06-01", "2024-02-01"]),
          "calibration_end": Date(outside=["2024-06-30", "2025-01-01", "2023-01-01"]),
          "unit": Option()},
         extra=[("negative:orders[revenue]",
                 _set("orders", lambda kw: kw["orders"].assign(revenue=-kw["orders"]["revenue"])),
                 ValueError),
                ("missing:orders[amount_col]",
                 lambda kw: {**kw, "amount_col": "amount"}, ValueError)]),
    Spec(_fit_bg, _rfm_kw, RFM_ROLES, name="clv.BetaGeoModel.fit",
         extra=[*RFM_EXTRA,
                ("onetime:frequency",
                 lambda kw: {**kw, "frequency": np.zeros(len(kw["T"]), int),
                             "recency": np.zeros(len(kw["T"]))}, ValueError),
                ("nonzero:recency",
                 _set("recency", lambda kw: np.where(np.asarray(kw["frequency"]) == 0, 1.0,
                                                     kw["recency"])), ValueError)]),
    Spec(_expected, lambda: {"model": _fitted()[0], "t": 10.0, **_rfm_kw()},
         {"t": Real(low=0), **RFM_ROLES}, name="clv.BetaGeoModel.expected_purchases",
         extra=RFM_EXTRA),
    Spec(_alive, lambda: {"model": _fitted()[0], **_rfm_kw()}, RFM_ROLES,
         name="clv.BetaGeoModel.prob_alive", extra=RFM_EXTRA),
    Spec(_fit_gg, lambda: dict(frequency=_rfm()[0], monetary_value=_rfm()[3]),
         {"frequency": Array(), "monetary_value": Array()}, name="clv.GammaGammaModel.fit",
         extra=[("zero:monetary_value",
                 lambda kw: {**kw, "monetary_value": np.zeros(len(kw["frequency"]))}, ValueError),
                ("negative:monetary_value",
                 _set("monetary_value", lambda kw: _first(kw["monetary_value"], -5.0)), ValueError),
                ("fraction:frequency",
                 _set("frequency", lambda kw: _first(kw["frequency"], 0.5)), ValueError),
                ("onetime:frequency",
                 lambda kw: {**kw, "frequency": np.r_[1, np.zeros(len(kw["frequency"]) - 1, int)]},
                 ValueError)]),
    Spec(_spend, lambda: dict(model=_fitted()[1], frequency=_rfm()[0], monetary_value=_rfm()[3]),
         {"frequency": Array(), "monetary_value": Array()},
         name="clv.GammaGammaModel.expected_spend"),
    Spec(_fit_sbg, lambda: dict(survivors=list(SURVIVORS)), {"survivors": Array()},
         name="clv.ShiftedBetaGeoModel.fit",
         extra=[("up:survivors", lambda kw: {**kw, "survivors": [100, 80, 90]}, ValueError),
                ("flat:survivors", lambda kw: {**kw, "survivors": [100, 100, 100]}, ValueError),
                ("fraction:survivors", lambda kw: {**kw, "survivors": [100, 80.5]}, ValueError),
                ("short:survivors", lambda kw: {**kw, "survivors": [100]}, ValueError),
                ("zero:survivors", lambda kw: {**kw, "survivors": [0, 0]}, ValueError)]),
    Spec(_derl, lambda: dict(model=ShiftedBetaGeoModel().fit(SURVIVORS), renewals=[0, 1, 2],
                             discount_rate=0.1),
         {"renewals": Array(), "discount_rate": Real(low=0, low_open=True)},
         name="clv.ShiftedBetaGeoModel.discounted_expected_residual_lifetime",
         accept={"scalar:renewals": "one number of renewals is a valid call (one customer)"}),
    Spec(clv.customer_lifetime_value, _clv_kw,
         {"frequency": Array(), "recency": Array(), "T": Array(), "monetary_value": Array(),
          "horizon": Size(low=1), "period": Real(low=0, low_open=True),
          "discount_rate": Real(low=0), "margin": Real(low=0, high=1, low_open=True),
          "n_boot": Size(low=0), "alpha": Real(low=0, high=1, low_open=True, high_open=True)},
         extra=[*RFM_EXTRA,
                ("type:bgnbd", lambda kw: {**kw, "bgnbd": "model"}, TypeError),
                ("swapped:gamma_gamma", lambda kw: {**kw, "gamma_gamma": kw["bgnbd"]}, TypeError),
                ("unfitted:bgnbd", lambda kw: {**kw, "bgnbd": BetaGeoModel()}, ValueError),
                ("unfitted:gamma_gamma", lambda kw: {**kw, "gamma_gamma": GammaGammaModel()},
                 ValueError),
                ("text:random_state", lambda kw: {**kw, "n_boot": 2, "random_state": "seed"},
                 TypeError)]),
    Spec(clv.simulate_bgnbd,
         lambda: dict(r=0.5, alpha=5.0, a=0.9, b=2.5, T=np.full(50, 30.0), random_state=0),
         {"r": Real(low=0, low_open=True), "alpha": Real(low=0, low_open=True),
          "a": Real(low=0, low_open=True), "b": Real(low=0, low_open=True), "T": Array()},
         extra=[("negative:T", lambda kw: {**kw, "T": np.r_[-1.0, kw["T"][1:]]}, ValueError),
                ("below:random_state", lambda kw: {**kw, "random_state": -1}, ValueError)]),
]
test_bad_input, test_valid_call = make_tests(SPECS)

ESTIMATORS = [
    EstimatorCase(BetaGeoModel, data=lambda: (tuple(_rfm()[:3]), {}),
                  output=lambda est, args, kw: est.expected_purchases(10.0, *args),
                  bad_params=[{"max_iter": 0}, {"max_iter": 2.5}, {"tol": -1.0}, {"tol": "small"}]),
    EstimatorCase(GammaGammaModel, data=lambda: ((_rfm()[0], _rfm()[3]), {}),
                  output=lambda est, args, kw: est.expected_spend(*args),
                  bad_params=[{"max_iter": 0}, {"tol": 0.0}]),
    EstimatorCase(ShiftedBetaGeoModel, data=lambda: ((list(SURVIVORS),), {}),
                  output=lambda est, args, kw: est.survival(np.arange(10)),
                  bad_params=[{"max_iter": -1}, {"tol": float("nan")}]),
]


def _holdout_kw():
    d = clv.simulate_bgnbd(0.5, 5.0, 0.9, 2.5, T=np.linspace(20.0, 40.0, 300), random_state=0)
    d["frequency_holdout"] = np.arange(300) % 3
    d["duration_holdout"] = 20.0
    return dict(model=_fitted()[0], summary=d, max_frequency=5)


SPECS.append(
    Spec(clv.holdout_by_frequency, _holdout_kw,
         {"summary": Table(numeric=["frequency", "recency", "T", "frequency_holdout",
                                    "duration_holdout"]),
          "max_frequency": Size(low=1)},
         extra=[("unfitted:model", lambda kw: {**kw, "model": BetaGeoModel()}, ValueError),
                ("type:model", lambda kw: {**kw, "model": GammaGammaModel()}, TypeError),
                ("fraction:summary[frequency_holdout]",
                 lambda kw: {**kw, "summary": kw["summary"].assign(frequency_holdout=0.5)},
                 ValueError)]))
test_bad_input, test_valid_call = make_tests(SPECS)
