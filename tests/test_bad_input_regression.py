"""Bad input to mkt_lessons.regression (lesson 03); machinery in badinput.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
from badinput import Array, Flag, Option, Real, Size, Spec, make_tests
from conformance import EstimatorCase

from mkt_lessons import regression as rg


def _linear() -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"spend": rng.uniform(100, 1000, 40), "promo": rng.integers(0, 2, 40)})
    y = 3 + 0.02 * X["spend"] + 4 * X["promo"] + rng.normal(0, 2, 40)
    return X, y.rename("sales")


def _binary() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"recency": rng.normal(size=80), "frequency": rng.normal(size=80)})
    p = rg.sigmoid(0.3 + X.to_numpy() @ np.array([-1.0, 0.8]))
    return X, (rng.random(80) < p).astype(int)


def _design() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X, y = _binary()
    return np.column_stack([np.ones(len(X)), X]), y.astype(float), np.array([0.1, -0.2, 0.3])


def _x_mutations(arg: str = "X", col: str = "spend", *, frame: bool = True):
    """Bad design matrices: text numbers, a NaN, empty, a scalar, three dimensions."""
    def setx(fn):
        return lambda kw: {**kw, arg: fn(kw[arg])}
    out = [(f"scalar:{arg}", setx(lambda X: 3.0), TypeError),
           (f"str:{arg}", setx(lambda X: "X"), TypeError),
           (f"3d:{arg}", setx(lambda X: np.zeros((4, 2, 2))), ValueError),
           (f"textarray:{arg}", setx(lambda X: np.asarray(X).astype(str)), TypeError),
           (f"nanarray:{arg}", setx(lambda X: np.where(np.arange(np.asarray(X).size).reshape(
               np.shape(X)) == 0, np.nan, np.asarray(X, float))), ValueError),
           (f"empty:{arg}", setx(lambda X: np.asarray(X, float)[:0]), ValueError)]
    if frame:
        out += [(f"text:{arg}[{col}]", setx(lambda X: X.assign(**{col: X[col].astype(str)})), TypeError),
                (f"category:{arg}[{col}]", setx(lambda X: X.assign(**{col: X[col].astype("category")})),
                 TypeError),
                (f"nan:{arg}[{col}]", setx(lambda X: X.assign(**{col: X[col].where(X.index != 0)})),
                 ValueError),
                (f"inf:{arg}[{col}]", setx(lambda X: X.assign(**{col: X[col].where(X.index != 0, np.inf)})),
                 ValueError)]
    return out


def _ols_call():
    X, y = _linear()
    return dict(X=X, y=y, method="qr", add_intercept=True, learning_rate=0.1, tol=1e-12,
                max_iter=1000, scale=True)


def _logit_call():
    X, y = _binary()
    return dict(X=X, y=y, method="newton", add_intercept=True, tol=1e-10, max_iter=50,
                learning_rate=0.5, scale=True)


FIT_ROLES = {"y": Array(), "method": Option(), "add_intercept": Flag(), "scale": Flag(),
             "tol": Real(low=0, low_open=True), "max_iter": Size(low=1),
             "learning_rate": Real(low=0, low_open=True)}

SPECS = [
    Spec(rg.ols, _ols_call, FIT_ROLES,
         extra=[*_x_mutations(),
                ("short:y", lambda kw: {**kw, "y": kw["y"].iloc[:-1]}, ValueError),
                ("constant:y", lambda kw: {**kw, "y": np.full(len(kw["X"]), 2.0)}, ValueError),
                ("collinear:X[spend]", lambda kw: {**kw, "X": kw["X"].assign(
                    spend_cents=100 * kw["X"]["spend"])}, ValueError),
                ("few_rows:X", lambda kw: {**kw, "X": kw["X"].iloc[:3], "y": kw["y"].iloc[:3]},
                 ValueError)]),
    Spec(rg.fit_logistic, _logit_call, FIT_ROLES,
         extra=[*_x_mutations(col="recency"),
                ("two:y", lambda kw: {**kw, "y": kw["y"] * 2}, ValueError),
                ("one_class:y", lambda kw: {**kw, "y": np.zeros(len(kw["y"]), int)}, ValueError),
                ("short:y", lambda kw: {**kw, "y": kw["y"][:-1]}, ValueError)]),
    Spec(rg.sigmoid, lambda: dict(z=np.array([-2.0, 0.0, 3.0])), {"z": Array()},
         accept={"scalar:z": "sigmoid is elementwise: one number is a valid input",
                 "2d:z": "sigmoid is elementwise: any shape is valid",
                 "empty:z": "sigmoid is elementwise: no values in, no values out"}),
    Spec(rg.logistic_loss, lambda: dict(zip(("X", "y", "coef"), _design(), strict=True)),
         {"coef": Array(), "y": Array()},
         extra=[*_x_mutations(frame=False),
                ("one_d:X", lambda kw: {**kw, "X": kw["X"][:, 1]}, ValueError),
                ("above_one:y", lambda kw: {**kw, "y": kw["y"] * 2}, ValueError),
                ("short:y", lambda kw: {**kw, "y": kw["y"][:-1]}, ValueError),
                ("short:coef", lambda kw: {**kw, "coef": kw["coef"][:-1]}, ValueError)]),
    Spec(rg.logistic_grad, lambda: dict(zip(("X", "y", "coef"), _design(), strict=True)),
         {"coef": Array(), "y": Array()},
         extra=[*_x_mutations(frame=False),
                ("short:coef", lambda kw: {**kw, "coef": kw["coef"][:-1]}, ValueError)]),
    Spec(rg.logistic_hessian, lambda: dict(zip(("X", "coef"), _design()[::2], strict=True)),
         {"coef": Array()},
         extra=[*_x_mutations(frame=False),
                ("short:coef", lambda kw: {**kw, "coef": kw["coef"][:-1]}, ValueError)]),
    Spec(rg.check_gradient,
         lambda: dict(fun=lambda v: float(v @ v), grad=lambda v: 2 * v, x=np.array([1.0, -2.0]),
                      eps=1e-6),
         {"x": Array(), "eps": Real(low=0, low_open=True)},
         extra=[("notcallable:fun", lambda kw: {**kw, "fun": 5.0}, TypeError),
                ("notcallable:grad", lambda kw: {**kw, "grad": "2v"}, TypeError),
                ("shape:grad", lambda kw: {**kw, "grad": lambda v: np.r_[2 * v, 0.0]}, ValueError),
                ("vector:fun", lambda kw: {**kw, "fun": lambda v: v * v}, TypeError),
                ("nan:fun", lambda kw: {**kw, "fun": lambda v: float("nan")}, ValueError)]),
    Spec(rg.vif, lambda: dict(X=_linear()[0].assign(temp=np.linspace(0, 1, 40) ** 2)),
         extra=[*_x_mutations(),
                ("constant:X[promo]", lambda kw: {**kw, "X": kw["X"].assign(promo=1.0)}, ValueError)]),
]


def _fit(cls):
    def fit(X, y, **params):
        return cls(**params).fit(X, y)
    return fit


SPECS += [
    Spec(_fit(rg.OLSRegressor), lambda: {**dict(zip("Xy", _linear(), strict=True)), "method": "qr",
                                         "fit_intercept": True, "tol": 1e-12, "max_iter": 1000},
         {"y": Array(), "method": Option(), "fit_intercept": Flag(),
          "tol": Real(low=0, low_open=True), "max_iter": Size(low=1)},
         name="regression.OLSRegressor.fit",
         extra=[*_x_mutations(), ("short:y", lambda kw: {**kw, "y": kw["y"].iloc[:-1]}, ValueError)]),
    Spec(_fit(rg.LogisticClassifier), lambda: {**dict(zip("Xy", _binary(), strict=True)),
                                               "method": "newton", "fit_intercept": True,
                                               "tol": 1e-10, "max_iter": 50},
         {"y": Array(), "method": Option(), "fit_intercept": Flag(),
          "tol": Real(low=0, low_open=True), "max_iter": Size(low=1)},
         name="regression.LogisticClassifier.fit",
         extra=[*_x_mutations(col="recency"),
                ("two:y", lambda kw: {**kw, "y": kw["y"] * 2}, ValueError)]),
]
test_bad_input, test_valid_call = make_tests(SPECS)

ESTIMATORS = [
    EstimatorCase(rg.OLSRegressor, data=lambda: (_linear(), {}),
                  output=lambda est, args, kw: est.predict(args[0]),
                  bad_params=[{"method": "svd"}, {"tol": -1.0}, {"max_iter": 0},
                              {"fit_intercept": "yes"}, {"learning_rate": 0.0}]),
    EstimatorCase(rg.LogisticClassifier, data=lambda: (_binary(), {}),
                  output=lambda est, args, kw: est.predict_proba(args[0]),
                  bad_params=[{"method": "lbfgs"}, {"tol": 0.0}, {"max_iter": 2.5},
                              {"fit_intercept": 1}]),
]
