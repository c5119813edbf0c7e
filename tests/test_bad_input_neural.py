"""Bad input to mkt_lessons.neural (machinery in badinput.py, estimator cases in conformance.py).

``X`` is a matrix, which the shared roles do not describe (they are tables and 1-D arrays),
so its mistakes are listed as ``extra`` mutations: text, NaN, one dimension, no rows, a
dictionary, the wrong number of columns.
"""

from __future__ import annotations

import numpy as np
from badinput import Array, Option, Real, Spec, make_tests
from conformance import EstimatorCase

from mkt_lessons import neural
from mkt_lessons.neural import LinearSVM, MLPClassifier


def _X(n=12, p=3, seed=0):
    return np.random.default_rng(seed).normal(size=(n, p))


def _y(n=12):
    return np.arange(n) % 2


def _net(sizes=(3, 4, 1), seed=1):
    rng = np.random.default_rng(seed)
    return ([rng.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:], strict=True)],
            [rng.normal(size=b) for b in sizes[1:]])


def _set(key, fn):
    def mutate(kw):
        kw[key] = fn(kw[key])
        return kw
    return mutate


def x_mistakes(key="X"):
    """The matrix mistakes of ``key`` (id, mutate, expected exception)."""
    def with_nan(X):
        X = np.array(X, dtype=float)
        X[0, 0] = np.nan
        return X
    return [
        (f"text:{key}", _set(key, lambda X: np.asarray(X).astype(str)), TypeError),
        (f"nan:{key}", _set(key, with_nan), ValueError),
        (f"inf:{key}", _set(key, lambda X: np.where(np.arange(np.size(X)).reshape(np.shape(X)) == 0,
                                                    np.inf, X)), ValueError),
        (f"1d:{key}", _set(key, lambda X: np.asarray(X)[:, 0]), ValueError),
        (f"empty:{key}", _set(key, lambda X: np.asarray(X)[:0]), ValueError),
        (f"dict:{key}", _set(key, lambda X: {"a": 1}), TypeError),
        (f"scalar:{key}", _set(key, lambda X: 3.0), TypeError),
        (f"columns:{key}", _set(key, lambda X: np.asarray(X)[:, :-1]), ValueError),
    ]


def coef_mistakes():
    return [
        ("notlist:coefs", _set("coefs", lambda W: W[0]), TypeError),
        ("shape:coefs", _set("coefs", lambda W: [W[0][:, :2], *W[1:]]), ValueError),
        ("nan:coefs", _set("coefs", lambda W: [np.full_like(W[0], np.nan), *W[1:]]), ValueError),
        ("layers:coefs", _set("coefs", lambda W: W[:1]), ValueError),
    ]


def _fit_mlp(X, y):
    return MLPClassifier(hidden=(3,), max_epochs=2, random_state=0).fit(X, y)


def _fit_svm(X, y):
    return LinearSVM(max_epochs=50).fit(X, y)


def _forward_call():
    W, b = _net()
    return dict(X=_X(), coefs=W, intercepts=b, activation="tanh")


def _loss_call():
    return dict(**_forward_call(), y=_y(), alpha=0.1)


def _backward_call():
    W, b = _net()
    return dict(activations=neural.forward(_X(), W, b), y=_y(), coefs=W, activation="relu",
                alpha=0.1)


SPECS = [
    Spec(neural.forward, _forward_call, {"activation": Option()},
         extra=[*x_mistakes(), *coef_mistakes(),
                ("intercepts:intercepts", _set("intercepts", lambda b: [b[0][:2], b[1]]), ValueError)]),
    Spec(neural.mlp_loss, _loss_call,
         {"activation": Option(), "alpha": Real(low=0), "y": Array(empty=True)},
         extra=[*x_mistakes(), *coef_mistakes(),
                ("labels:y", _set("y", lambda y: y + 1), ValueError)]),
    Spec(neural.backward, _backward_call,
         {"activation": Option(), "alpha": Real(low=0), "y": Array()},
         extra=[("notlist:activations", _set("activations", lambda a: a[0]), TypeError),
                ("short:activations", _set("activations", lambda a: a[:2]), ValueError),
                ("nan:activations", _set("activations", lambda a: [a[0], np.full_like(a[1], np.nan), a[2]]),
                 ValueError),
                ("layers:coefs", _set("coefs", lambda W: W[:1]), ValueError),
                ("notlist:coefs", _set("coefs", lambda W: W[0]), TypeError)]),
    Spec(neural.check_gradient, lambda: dict(**_loss_call(), eps=1e-6),
         {"activation": Option(), "alpha": Real(low=0), "eps": Real(low=0, low_open=True),
          "y": Array()},
         extra=[*x_mistakes(), *coef_mistakes(),
                ("notcallable:grad", lambda kw: {**kw, "grad": 3}, TypeError),
                ("badshape:grad", lambda kw: {**kw, "grad": lambda *a: ([np.zeros(2)], [])},
                 ValueError)]),
    Spec(neural.hinge_loss, lambda: dict(y=_y(), scores=_X()[:, 0]),
         {"y": Array(), "scores": Array()},
         extra=[("three:y", _set("y", lambda y: np.arange(len(y)) % 3), ValueError)]),
    Spec(neural.svm_objective, lambda: dict(coef=np.ones(3), intercept=0.5, X=_X(), y=_y(), C=1.0),
         {"coef": Array(), "intercept": Real(), "y": Array(), "C": Real(low=0, low_open=True)},
         extra=x_mistakes()[:-1]),
    Spec(_fit_mlp, lambda: dict(X=_X(), y=_y()), {"y": Array(numeric=False)},
         name="neural.MLPClassifier.fit",
         extra=[*x_mistakes()[:-1], ("oneclass:y", _set("y", lambda y: np.zeros_like(y)), ValueError)]),
    Spec(_fit_svm, lambda: dict(X=_X(), y=_y()), {"y": Array(numeric=False)},
         name="neural.LinearSVM.fit",
         extra=[*x_mistakes()[:-1], ("three:y", _set("y", lambda y: np.arange(len(y)) % 3), ValueError)]),
]
test_bad_input, test_valid_call = make_tests(SPECS)

ESTIMATORS = [
    EstimatorCase(MLPClassifier, data=lambda: ((_X(30), _y(30)), {}),
                  output=lambda est, args, kw: est.predict_proba(args[0]),
                  params={"hidden": (4,), "max_epochs": 5},
                  bad_params=[{"hidden": (0,)}, {"hidden": "16"}, {"hidden": (2.5,)},
                              {"activation": "sigmoid"}, {"solver": "lbfgs"}, {"alpha": -1.0},
                              {"learning_rate": 0.0}, {"learning_rate": "fast"},
                              {"batch_size": 2.5}, {"max_epochs": 0}, {"early_stopping": "yes"},
                              {"validation_fraction": 1.5}, {"patience": 0}, {"tol": -1e-3},
                              {"shuffle": 1}, {"random_state": -1}, {"random_state": "0"}]),
    EstimatorCase(LinearSVM, data=lambda: ((_X(30), _y(30)), {}),
                  output=lambda est, args, kw: est.decision_function(args[0]),
                  params={"max_epochs": 200},
                  bad_params=[{"C": 0.0}, {"C": "1"}, {"C": float("nan")}, {"max_epochs": 0},
                              {"fit_intercept": 1}, {"tol": -1.0}]),
]
