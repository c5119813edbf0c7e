"""Bad input to mkt_lessons.uplift (machinery in badinput.py, estimator cases in conformance.py).

``X`` is a matrix: its mistakes are the ``extra`` mutations of the neural module's suite
(text, NaN, inf, one dimension, no rows, a dictionary, a scalar). The treatment needs both
groups and only 0/1; those mistakes are extras too.
"""

from __future__ import annotations

import numpy as np
from badinput import Array, Flag, Option, Real, Size, Spec, make_tests
from conformance import EstimatorCase
from sklearn.linear_model import LinearRegression, LogisticRegression
from test_bad_input_neural import x_mistakes

from mkt_lessons import uplift
from mkt_lessons.uplift import SLearner, TLearner, TransformedOutcome, XLearner

N = 24


def _X(n=N):
    return np.random.default_rng(0).normal(size=(n, 3))


def _t(n=N):
    return np.arange(n) % 3 == 0  # booleans are accepted as 0/1; 1 in 3 treated


def _y(n=N):
    return (np.arange(n) % 4 < 2).astype(float)


def _u(n=N):
    return np.linspace(0.3, -0.1, n)


def _set(key, fn):
    def mutate(kw):
        kw[key] = fn(kw[key])
        return kw
    return mutate


def treatment_mistakes(key="treatment"):
    return [
        (f"onegroup:{key}", _set(key, lambda t: np.ones(len(t), dtype=int)), ValueError),
        (f"labels:{key}", _set(key, lambda t: np.asarray(t, dtype=int) * 2), ValueError),
        (f"length:{key}", _set(key, lambda t: np.asarray(t)[:-1]), ValueError),
    ]


ARRAYS = {"y": Array(), "treatment": Array(), "uplift": Array()}
CURVE = dict(y=_y, uplift=_u, treatment=_t)


def _curve_call():
    return {k: f() for k, f in CURVE.items()}


def _fit(cls, **params):
    def fit(X, treatment, y):
        return cls(**params).fit(X, treatment, y)
    return fit


FIT_ROLES = {"treatment": Array(), "y": Array()}
FIT_EXTRA = [*x_mistakes()[:-1], *treatment_mistakes(),
             ("length:y", _set("y", lambda y: np.asarray(y)[:-1]), ValueError)]


def _fit_call():
    return dict(X=_X(), treatment=_t(), y=_y())


SPECS = [
    Spec(uplift.average_treatment_effect, lambda: dict(y=_y(), treatment=_t(), alpha=0.05,
                                                       method="auto"),
         {"y": Array(), "treatment": Array(), "method": Option(),
          "alpha": Real(low=0, high=1, low_open=True, high_open=True)},
         extra=[*treatment_mistakes(),
                ("amounts:y", lambda kw: {**kw, "y": _y() * 2.5, "method": "proportions"},
                 ValueError)]),
    Spec(uplift.qini_curve, lambda: {**_curve_call(), "scale": "total"},
         {**ARRAYS, "scale": Option()}, extra=treatment_mistakes()[:2]),
    Spec(uplift.uplift_curve, _curve_call, ARRAYS, extra=treatment_mistakes()[:2]),
    Spec(uplift.qini_auc, lambda: {**_curve_call(), "curve": "qini", "scale": "total",
                                   "normalize": True},
         {**ARRAYS, "curve": Option(), "scale": Option(), "normalize": Flag()},
         extra=[*treatment_mistakes()[:2],
                ("nonormal:normalize", lambda kw: {**kw, "curve": "uplift"}, ValueError)]),
    Spec(uplift.uplift_at_k, lambda: {**_curve_call(), "k": 0.5},
         {**ARRAYS, "k": Real(low=0, high=1, low_open=True)},
         extra=[*treatment_mistakes()[:2],
                ("onlytreated:k", lambda kw: {**kw, "k": 1 / N}, ValueError)]),
    Spec(uplift.pehe, lambda: dict(true_uplift=_u(), predicted_uplift=_u()[::-1].copy()),
         {"true_uplift": Array(), "predicted_uplift": Array()}),
    Spec(uplift.targeting_profit,
         lambda: dict(uplift=_u(), value=50.0, cost=1.0, offer_cost=5.0,
                      redemption=np.full(N, 0.3), k=None, rank_by="profit",
                      true_uplift=_u()),
         {"uplift": Array(), "value": Real(low=0), "cost": Real(low=0),
          "offer_cost": Real(low=0), "redemption": Array(), "rank_by": Option(),
          "true_uplift": Array()},
         extra=[("k:k", lambda kw: {**kw, "k": N + 1}, ValueError),
                ("float:k", lambda kw: {**kw, "k": 2.5}, TypeError),
                ("negative:k", lambda kw: {**kw, "k": -1}, ValueError),
                ("above:redemption", _set("redemption", lambda r: r + 1), ValueError),
                ("missing:redemption", lambda kw: {**kw, "redemption": None}, ValueError),
                ("length:value", lambda kw: {**kw, "value": np.ones(N - 1)}, ValueError),
                ("negative:cost", lambda kw: {**kw, "cost": -np.ones(N)}, ValueError)]),
    Spec(uplift.simulate_uplift, lambda: dict(n=50, kind="binary", treated_share=1 / 3, seed=0),
         {"n": Size(low=4), "kind": Option(), "seed": Size(low=0),
          "treated_share": Real(low=0, high=1, low_open=True, high_open=True)}),
    Spec(_fit(SLearner, estimator=LinearRegression()), _fit_call, FIT_ROLES,
         name="uplift.SLearner.fit", extra=FIT_EXTRA),
    Spec(_fit(TLearner, estimator=LogisticRegression()), _fit_call, FIT_ROLES,
         name="uplift.TLearner.fit",
         extra=[*FIT_EXTRA, ("amounts:y", _set("y", lambda y: y * 2.5), ValueError)]),
    Spec(_fit(XLearner, estimator=LinearRegression(), effect_estimator=LinearRegression()),
         _fit_call, FIT_ROLES, name="uplift.XLearner.fit", extra=FIT_EXTRA),
    Spec(_fit(TransformedOutcome, estimator=LinearRegression()), _fit_call, FIT_ROLES,
         name="uplift.TransformedOutcome.fit", extra=FIT_EXTRA),
]
test_bad_input, test_valid_call = make_tests(SPECS)


def _data():
    return (_X(40), _t(40), _y(40)), {}


def _predict(est, args, kw):
    return est.predict(args[0])


_COMMON_BAD = [{"estimator": "boosting"}, {"estimator": 3}, {"random_state": -1},
               {"random_state": "0"}, {"random_state": 1.5}]
ESTIMATORS = [
    EstimatorCase(SLearner, data=_data, output=_predict,
                  params={"estimator": LinearRegression()}, bad_params=_COMMON_BAD),
    EstimatorCase(TLearner, data=_data, output=_predict,
                  params={"estimator": LogisticRegression()},
                  bad_params=[*_COMMON_BAD, {"control_estimator": "logit"}]),
    EstimatorCase(XLearner, data=_data, output=_predict,
                  params={"estimator": LinearRegression(), "effect_estimator": LinearRegression()},
                  bad_params=[*_COMMON_BAD, {"effect_estimator": LogisticRegression()},
                              {"effect_estimator": "tree"}, {"propensity": 1.5},
                              {"propensity": 0.0}, {"propensity": "half"},
                              {"propensity": LinearRegression()}]),
    EstimatorCase(TransformedOutcome, data=_data, output=_predict,
                  params={"estimator": LinearRegression()},
                  bad_params=[*_COMMON_BAD, {"estimator": LogisticRegression()},
                              {"propensity": -0.2}, {"propensity": float("nan")}]),
]
