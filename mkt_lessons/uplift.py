"""Lesson 11: uplift modelling - whom does an offer actually change?

A randomised test (some eligible customers get the offer, the rest are the control group)
answers "does the offer work *on average*?" with :func:`average_treatment_effect`. The
average hides four kinds of customer: **persuadables** (buy only with the offer), **sure
things** (buy anyway: the offer only costs margin), **lost causes** (buy neither way) and
**sleeping dogs** (the offer puts them off). Uplift models estimate the effect per customer,
``tau(x) = E[y | x, treated] - E[y | x, control]``, so that a campaign targets the
persuadables.

Estimators (scikit-learn style: ``fit(X, treatment, y)``, ``predict(X)`` -> uplift)
---------------------------------------------------------------------------------------
Every learner takes any scikit-learn classifier or regressor as its base model (cloned, never
modified). A *classifier* is used through ``predict_proba(X)[:, 1]`` (binary outcomes only);
a *regressor* through ``predict`` (binary or continuous outcomes).

:class:`SLearner`
    One model of ``y`` on ``(X, treatment)``; uplift = ``mu(x, 1) - mu(x, 0)``. Simple, but a
    regularised model may ignore the treatment column and shrink the uplift towards 0.
:class:`TLearner`
    Two models, one per group; uplift = ``mu1(x) - mu0(x)``.
:class:`XLearner`
    Kuenzel, Sekhon, Bickel & Yu (2019, PNAS 116(10)). The T-learner's models impute each
    customer's effect (``D1 = y - mu0(x)`` for the treated, ``D0 = mu1(x) - y`` for the
    controls); two effect models ``tau1``, ``tau0`` are fitted to them and combined as
    ``tau(x) = e(x) tau0(x) + (1 - e(x)) tau1(x)``, with ``e`` the propensity (probability of
    treatment). With few treated customers (``e`` = 1/3) ``tau1`` - whose imputation uses the
    control model fitted on the larger group - gets the larger weight.
:class:`TransformedOutcome`
    Athey & Imbens (2015); the class-variable transformation of Jaskowski & Jaroszewicz
    (2012) generalised to a treatment share ``e`` other than 1/2:
    ``Z = y * (T - e) / (e (1 - e))`` has ``E[Z | x] = tau(x)`` in a randomised test, so one
    regression of ``Z`` on ``X`` estimates the uplift. (The 50/50 recipe
    ``Z = 2 y (2 T - 1)`` is biased when ``e != 1/2``: it estimates
    ``2 (e mu1 - (1 - e) mu0)``, not ``mu1 - mu0``.)

The propensity
--------------
In a randomised test the probability of treatment is the same for everyone and known by
design. ``propensity=None`` (default) uses the observed treated share ``n_T / n`` (its
maximum-likelihood estimate); a number passes the design share; a scikit-learn classifier is
fitted to ``treatment`` to estimate ``e(x)`` (for tests with assignment that depended on
``x``; clipped to [0.01, 0.99]).

Evaluation without the truth: Qini and uplift curves
----------------------------------------------------
Customers are sorted by predicted uplift, highest first. For the top ``t`` customers let
``N_T(t)``, ``N_C(t)`` be the numbers of treated and control customers and ``Y_T(t)``,
``Y_C(t)`` the sums of their outcomes. Definitions after Radcliffe (2007, "Using control
groups to target on predicted lift"), Radcliffe & Surry (2011, "Real-world uplift
modelling with significance-based uplift trees") and Gutierrez & Gerardy (2017, "Causal
inference and uplift modelling: a review of the literature", PMLR 67):

* **Qini curve** ``g(t) = Y_T(t) - Y_C(t) * r``: the incremental responses among the
  *treated* customers in the top ``t``; the control responses are rescaled to the treated
  group's size by ``r``, so unequal group sizes are handled. Two scalings are in use:

  - ``scale="total"`` (default; Radcliffe & Surry 2011): ``r = N_T / N_C`` of the whole
    test. Each treated responder adds 1 and each control responder subtracts ``r``,
    so the best possible order is plain: treated responders first, control responders
    last (every prefix sum is then as large as it can be).
  - ``scale="prefix"`` (Gutierrez & Gerardy 2017, as in scikit-uplift and CausalML):
    ``r = N_T(t) / N_C(t)`` within the top ``t`` (``g = Y_T`` while ``N_C(t) = 0``), i.e.
    ``N_T(t)`` times the difference in response rates of the top ``t``: less sensitive to a
    chance imbalance of treated and control customers at the top, but its best order
    depends on the data (a brute force over all orders beats "responders first, control
    responders last"), so it has no simple perfect model.

  Both end at ``g(n) = N_T * ATE``.
* **Uplift curve** ``f(t) = (Y_T(t) / N_T(t) - Y_C(t) / N_C(t)) * t``: the incremental
  responses if all of the top ``t`` were treated (0 while either group is empty). It ends at
  ``f(n) = n * ATE``. No simple perfect order either.
* **Random baseline**: targeting at random gains in proportion, the straight line from
  ``(0, 0)`` to the curve's end point.
* **Ties**: customers with equal scores are entered together (the curve is evaluated only
  between groups of ties, like scikit-learn's ``roc_curve``, and drawn straight across a
  group), so the result never depends on the row order.
* :func:`qini_auc`: the area between the curve and the random line, with the fraction
  targeted ``t / n`` on the x-axis (trapezoids), in incremental responses. With
  ``normalize=True`` (the Qini curve with ``scale="total"``) it is divided by the same area
  of the **perfect** ranking - Radcliffe's Qini coefficient ``q``: 1 for the perfect model,
  0 for random, negative for worse than random.

With the truth (simulations, the bundled data's ``truth/``): :func:`pehe`, the precision in
estimating heterogeneous effects (Hill 2011), ``sqrt(mean((tau - tau_hat)^2))``; passing the
true uplift as the score to the curves gives the oracle curve.

Decision: :func:`targeting_profit` turns uplift into money - targeting customer ``i`` earns
``uplift_i * value_i`` incremental margin and costs ``cost_i`` (contact cost plus the offer's
cost times the chance it is redeemed, which includes the sure things who would have bought
anyway).

Examples
--------
>>> from sklearn.linear_model import LinearRegression
>>> sim = simulate_uplift(2000, kind="linear", treated_share=1/3, seed=0)
>>> X = sim.filter(like="x")
>>> model = TLearner(LinearRegression()).fit(X, sim["treatment"], sim["y"])
>>> round(pehe(sim["true_uplift"], model.predict(X)), 1)
0.1
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.exceptions import NotFittedError

from mkt_lessons._results import Result, TestResult
from mkt_lessons._validation import (
    check_1d,
    check_bool,
    check_int,
    check_option,
    check_real,
    describe,
)
from mkt_lessons.regression import _as_matrix

__all__ = ["ATEResult", "average_treatment_effect", "SLearner", "TLearner", "XLearner",
           "TransformedOutcome", "qini_curve", "uplift_curve", "qini_auc", "uplift_at_k",
           "pehe", "TargetingProfit", "targeting_profit", "simulate_uplift"]

_PROPENSITY_CLIP = (0.01, 0.99)


# --------------------------------------------------------------------------- validation
def _check_X(X: Any, name: str = "X", n_features: int | None = None) -> np.ndarray:
    """``X`` as a 2-D float array (a copy): 1-D input, text, NaN and empty input refused."""
    if X is None or isinstance(X, (str, bytes, dict, set)) or np.isscalar(X):
        raise TypeError(f"{name} must be a 2-D array or DataFrame of numbers, got {describe(X)}")
    if not hasattr(X, "columns"):
        try:
            shape = np.shape(X)
        except (TypeError, ValueError):
            shape = ()
        if len(shape) != 2:
            raise ValueError(f"{name} must be 2-D (rows = customers, columns = features), got "
                             f"shape {shape}")
    arr = _as_matrix(X, name)[0]
    if n_features is not None and arr.shape[1] != n_features:
        raise ValueError(f"{name} has {arr.shape[1]} column(s) but the model was fitted on "
                         f"{n_features}")
    return arr


def _check_groups(treatment: Any, n: int, name: str = "treatment") -> np.ndarray:
    t = check_1d(treatment, name, kind="binary", length=n)
    n_t = int(t.sum())
    if n_t < 2 or n - n_t < 2:
        raise ValueError(f"{name} must have at least 2 treated (1) and 2 control (0) customers, "
                         f"got {n_t:,} treated and {n - n_t:,} control")
    return t


def _check_outcome(y: Any, n: int, name: str = "y", binary: bool = False) -> np.ndarray:
    arr = check_1d(y, name, length=n)
    if binary and not np.isin(arr, (0.0, 1.0)).all():
        raise ValueError(f"{name} must hold 0/1 outcomes when the base model is a classifier, "
                         f"got {arr[~np.isin(arr, (0.0, 1.0))][0]:g} (use a regressor for "
                         "amounts)")
    return arr


def _check_base(est: Any, name: str, *, regressor_only: bool = False) -> Any:
    """A fresh clone of a scikit-learn estimator (TypeError naming ``name`` otherwise)."""
    if not (hasattr(est, "fit") and hasattr(est, "get_params")
            and (hasattr(est, "predict") or hasattr(est, "predict_proba"))):
        raise TypeError(f"{name} must be a scikit-learn classifier or regressor (with fit and "
                        f"predict), got {describe(est)}")
    if is_classifier(est) and regressor_only:
        raise TypeError(f"{name} must be a regressor (it models a continuous effect), got the "
                        f"classifier {type(est).__name__}")
    if is_classifier(est) and not hasattr(est, "predict_proba"):
        raise TypeError(f"{name} is a classifier without predict_proba ({type(est).__name__}); "
                        "uplift needs probabilities: calibrate it or use a regressor")
    return clone(est)


def _seeded(est: Any, random_state: int | None) -> Any:
    """Pass ``random_state`` to a base model that has one and was left unseeded."""
    if random_state is not None and "random_state" in est.get_params(deep=False) \
            and est.get_params(deep=False)["random_state"] is None:
        est.set_params(random_state=random_state)
    return est


def _check_random_state(value: Any) -> int | None:
    return check_int(value, "random_state", low=0, allow_none=True)


def _default_model(random_state: int | None):
    """Boosting kept small and slow: an uplift is a small signal under a noisy outcome, and
    scikit-learn's defaults (31 leaves, step 0.1) fit the noise of each group's model (on a
    6,000-customer simulation: T-learner PEHE 0.18 with them, 0.09 with these)."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(max_iter=100, learning_rate=0.05, max_leaf_nodes=8,
                                         min_samples_leaf=100, random_state=random_state)


def _mean_model(est: Any, X: np.ndarray) -> np.ndarray:
    """The model's estimate of ``E[y | x]``: P(y = 1) for a classifier, else ``predict``."""
    if is_classifier(est):
        proba = est.predict_proba(X)
        return proba[:, list(est.classes_).index(1)] if 1 in est.classes_ else np.zeros(len(X))
    return np.asarray(est.predict(X), dtype=float)


def _check_fitted(est: Any) -> None:
    if not hasattr(est, "n_features_in_"):
        raise NotFittedError(f"This {type(est).__name__} is not fitted yet: call "
                             "fit(X, treatment, y) first.")


def _check_propensity(value: Any) -> Any:
    """``None`` (observed share), a number in (0, 1) or a classifier."""
    if value is None:
        return None
    if hasattr(value, "fit"):
        if not (is_classifier(value) and hasattr(value, "predict_proba")):
            raise TypeError("propensity must be None, a share in (0, 1) or a scikit-learn "
                            f"classifier with predict_proba, got {describe(value)}")
        return clone(value)
    return check_real(value, "propensity", low=0, high=1, low_open=True, high_open=True)


def _propensity(spec: Any, X: np.ndarray, t: np.ndarray) -> tuple[Any, float]:
    """The fitted propensity (a classifier) or a constant, and the observed share."""
    share = float(t.mean())
    if spec is None:
        return share, share
    if isinstance(spec, float):
        return spec, share
    return spec.fit(X, t), share


def _propensity_at(prop: Any, X: np.ndarray) -> np.ndarray:
    if isinstance(prop, float):
        return np.full(len(X), prop)
    return np.clip(_mean_model(prop, X), *_PROPENSITY_CLIP)


# --------------------------------------------------------------------------- ATE
@dataclasses.dataclass(frozen=True)
class ATEResult(TestResult):
    """Result of :func:`average_treatment_effect`.

    Attributes
    ----------
    estimate : float
        Mean outcome of the treated minus that of the control group (the ATE estimate).
    ci_low, ci_high : float
        Its two-sided ``1 - alpha`` confidence interval.
    statistic, pvalue, alpha : float
        The test of "no effect" (pooled z for 0/1 outcomes, Welch's t otherwise).
    mean_treated, mean_control : float
    n_treated, n_control : int
    treated_share : float
        ``n_treated / (n_treated + n_control)``.
    method : str
        ``"proportions"`` (Farrington-Manning score interval of lesson 07) or ``"welch"``.
    """

    estimate: float
    ci_low: float
    ci_high: float
    mean_treated: float
    mean_control: float
    n_treated: int
    n_control: int
    treated_share: float
    method: str

    @property
    def ci(self) -> tuple[float, float]:
        """The confidence interval ``(ci_low, ci_high)``."""
        return (self.ci_low, self.ci_high)


def average_treatment_effect(y: Any, treatment: Any, *, alpha: float = 0.05,
                             method: str = "auto") -> ATEResult:
    """The average effect of the treatment in a randomised test, with a confidence interval.

    The estimate is the difference in means (treated minus control), unbiased in a
    randomised test whatever the treatment share. The interval accounts for unequal group
    sizes through each group's own standard error: for 0/1 outcomes the score interval of
    :func:`mkt_lessons.experiment.two_proportion_ztest`, for amounts Welch's interval
    (:func:`mkt_lessons.experiment.welch_ttest`) - lesson 07's tools.

    Parameters
    ----------
    y : array-like of float
        Outcome per customer (e.g. bought within 60 days, 0/1; or 60-day margin).
    treatment : array-like of 0/1
        1 = got the offer. At least 2 customers per group.
    alpha : float
        1 - confidence level, in (0, 1).
    method : {"auto", "proportions", "welch"}
        ``"auto"``: proportions when ``y`` holds only 0/1, Welch otherwise.

    Returns
    -------
    ATEResult

    Examples
    --------
    >>> r = average_treatment_effect([1, 0, 0, 1, 1, 0, 0, 0, 1], [1, 1, 1, 0, 0, 0, 0, 0, 0])
    >>> round(r.estimate, 3), r.n_treated, r.method
    (-0.167, 3, 'proportions')
    """
    from mkt_lessons import experiment

    alpha = check_real(alpha, "alpha", low=0, high=1, low_open=True, high_open=True)
    check_option(method, "method", ["auto", "proportions", "welch"])
    yv = check_1d(y, "y")
    t = _check_groups(treatment, len(yv))
    binary = bool(np.isin(yv, (0.0, 1.0)).all())
    if method == "auto":
        method = "proportions" if binary else "welch"
    if method == "proportions" and not binary:
        raise ValueError("y must hold only 0/1 for method='proportions' "
                         f"(got e.g. {yv[~np.isin(yv, (0.0, 1.0))][0]:g}); use method='welch'")
    yt, yc = yv[t == 1], yv[t == 0]
    if method == "proportions":
        r = experiment.two_proportion_ztest(int(yc.sum()), len(yc), int(yt.sum()), len(yt),
                                            alpha=alpha)
    else:
        if yt.var() == 0 and yc.var() == 0:
            raise ValueError("y is constant within both groups: there is no variation to test")
        r = experiment.welch_ttest(yc, yt, alpha=alpha)
    return ATEResult(statistic=float(r.statistic), pvalue=float(r.pvalue), alpha=alpha,
                     estimate=float(yt.mean() - yc.mean()), ci_low=float(r.ci_low),
                     ci_high=float(r.ci_high), mean_treated=float(yt.mean()),
                     mean_control=float(yc.mean()), n_treated=len(yt), n_control=len(yc),
                     treated_share=len(yt) / len(yv), method=method)


# --------------------------------------------------------------------------- learners
class _UpliftBase(BaseEstimator):
    """Shared door of the learners: validation of X, treatment, y; predict's checks."""

    def _fit_inputs(self, X, treatment, y, binary: bool):
        Xa = _check_X(X)
        t = _check_groups(treatment, len(Xa))
        ya = _check_outcome(y, len(Xa), binary=binary)
        if hasattr(X, "columns"):
            self.feature_names_in_ = np.asarray([str(c) for c in X.columns], dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return Xa, t, ya

    def _predict_X(self, X) -> np.ndarray:
        _check_fitted(self)
        names = getattr(self, "feature_names_in_", None)
        if names is not None and hasattr(X, "columns"):
            given = [str(c) for c in X.columns]
            if given != list(names):
                # the same columns in another order would silently swap features
                raise ValueError(f"X has the columns {given[:8]}, but the model was fitted on "
                                 f"{list(names)[:8]} (same names in the same order needed)")
        return _check_X(X, n_features=self.n_features_in_)


class SLearner(_UpliftBase):
    """S-learner: one model of the outcome on the features plus the treatment flag.

    Parameters
    ----------
    estimator : scikit-learn classifier or regressor, optional
        Base model (cloned). Default: ``HistGradientBoostingRegressor(min_samples_leaf=50)``.
        A classifier needs 0/1 outcomes and is used through ``predict_proba``.
    random_state : int or None
        Given to the base model if it has an unset ``random_state``.

    Attributes
    ----------
    model_ : fitted estimator
        The outcome model on ``[X, treatment]`` (treatment is the last column).
    treated_share_ : float
        Observed share of treated customers.
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> sim = simulate_uplift(1000, kind="linear", seed=1)
    >>> s = SLearner(LinearRegression()).fit(sim.filter(like="x"), sim["treatment"], sim["y"])
    >>> u = s.predict(sim.filter(like="x"))
    >>> bool(np.ptp(u) < 1e-9)   # a linear S-learner can only give everyone the same uplift
    True
    """

    def __init__(self, estimator=None, random_state=None):
        self.estimator = estimator
        self.random_state = random_state

    def fit(self, X, treatment, y):
        """Fit the outcome model on ``[X, treatment]``; returns self."""
        rs = _check_random_state(self.random_state)
        base = (_default_model(rs) if self.estimator is None
                else _seeded(_check_base(self.estimator, "estimator"), rs))
        Xa, t, ya = self._fit_inputs(X, treatment, y, binary=is_classifier(base))
        self.model_ = base.fit(np.column_stack([Xa, t]), ya)
        self.treated_share_ = float(t.mean())
        self.n_features_in_ = Xa.shape[1]
        return self

    def predict_outcomes(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Expected outcome without and with the treatment, ``(mu0(x), mu1(x))``."""
        Xa = self._predict_X(X)
        ones, zeros = np.ones(len(Xa)), np.zeros(len(Xa))
        return (_mean_model(self.model_, np.column_stack([Xa, zeros])),
                _mean_model(self.model_, np.column_stack([Xa, ones])))

    def predict(self, X) -> np.ndarray:
        """Estimated uplift ``mu1(x) - mu0(x)`` per row of ``X``."""
        mu0, mu1 = self.predict_outcomes(X)
        return mu1 - mu0


class TLearner(_UpliftBase):
    """T-learner: one outcome model per group; uplift = ``mu1(x) - mu0(x)``.

    Parameters
    ----------
    estimator : scikit-learn classifier or regressor, optional
        Base model of both groups (cloned twice). Default as in :class:`SLearner`.
    control_estimator : scikit-learn classifier or regressor, optional
        A different base model for the control group (default: ``estimator``).
    random_state : int or None
        Given to the base models if they have an unset ``random_state``.

    Attributes
    ----------
    model_control_, model_treated_ : fitted estimators
    treated_share_ : float
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> sim = simulate_uplift(4000, kind="linear", seed=2)
    >>> t = TLearner(LinearRegression()).fit(sim.filter(like="x"), sim["treatment"], sim["y"])
    >>> diff = t.model_treated_.coef_ - t.model_control_.coef_   # truth: 0.5, 0, -0.3, 0
    >>> bool(np.abs(diff - [0.5, 0, -0.3, 0]).max() < 0.1)
    True
    """

    def __init__(self, estimator=None, control_estimator=None, random_state=None):
        self.estimator = estimator
        self.control_estimator = control_estimator
        self.random_state = random_state

    def _bases(self, rs):
        treated = (_default_model(rs) if self.estimator is None
                   else _seeded(_check_base(self.estimator, "estimator"), rs))
        if self.control_estimator is None:
            control = clone(treated)
        else:
            control = _seeded(_check_base(self.control_estimator, "control_estimator"), rs)
        return control, treated

    def fit(self, X, treatment, y):
        """Fit one outcome model on the control rows and one on the treated rows."""
        rs = _check_random_state(self.random_state)
        control, treated = self._bases(rs)
        Xa, t, ya = self._fit_inputs(X, treatment, y,
                                     binary=is_classifier(control) or is_classifier(treated))
        self.model_control_ = control.fit(Xa[t == 0], ya[t == 0])
        self.model_treated_ = treated.fit(Xa[t == 1], ya[t == 1])
        self.treated_share_ = float(t.mean())
        self.n_features_in_ = Xa.shape[1]
        return self

    def predict_outcomes(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Expected outcome without and with the treatment, ``(mu0(x), mu1(x))``."""
        Xa = self._predict_X(X)
        return _mean_model(self.model_control_, Xa), _mean_model(self.model_treated_, Xa)

    def predict(self, X) -> np.ndarray:
        """Estimated uplift ``mu1(x) - mu0(x)`` per row of ``X``."""
        mu0, mu1 = self.predict_outcomes(X)
        return mu1 - mu0


class XLearner(TLearner):
    """X-learner (Kuenzel et al. 2019): a T-learner whose imputed effects are modelled again.

    Stage 1 fits ``mu0`` (control) and ``mu1`` (treated). Stage 2 fits ``tau1`` to
    ``D1 = y - mu0(x)`` on the treated and ``tau0`` to ``D0 = mu1(x) - y`` on the controls.
    The uplift is ``e(x) tau0(x) + (1 - e(x)) tau1(x)`` with ``e`` the propensity.

    Parameters
    ----------
    estimator, control_estimator : scikit-learn classifiers or regressors, optional
        Stage-1 outcome models, as in :class:`TLearner`.
    effect_estimator : scikit-learn regressor, optional
        Stage-2 effect models (cloned twice). Default as in :class:`SLearner`.
    propensity : None, float in (0, 1) or a scikit-learn classifier
        ``None``: the observed treated share (a randomised test); a number: the share set by
        the test's design; a classifier: fitted to estimate ``e(x)`` (clipped to [0.01, 0.99]).
    random_state : int or None

    Attributes
    ----------
    model_control_, model_treated_ : fitted stage-1 models
    effect_control_, effect_treated_ : fitted stage-2 models (``tau0``, ``tau1``)
    propensity_ : float or fitted classifier
    treated_share_ : float
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> sim = simulate_uplift(3000, kind="linear", treated_share=1/3, seed=3)
    >>> X = sim.filter(like="x")
    >>> x = XLearner(LinearRegression(), effect_estimator=LinearRegression(), propensity=1/3)
    >>> bool(pehe(sim["true_uplift"], x.fit(X, sim["treatment"], sim["y"]).predict(X)) < 0.1)
    True
    """

    def __init__(self, estimator=None, control_estimator=None, effect_estimator=None,
                 propensity=None, random_state=None):
        self.estimator = estimator
        self.control_estimator = control_estimator
        self.effect_estimator = effect_estimator
        self.propensity = propensity
        self.random_state = random_state

    def fit(self, X, treatment, y):
        """Fit the outcome models, the effect models and the propensity; returns self."""
        rs = _check_random_state(self.random_state)
        prop = _check_propensity(self.propensity)
        effect = (_default_model(rs) if self.effect_estimator is None
                  else _seeded(_check_base(self.effect_estimator, "effect_estimator",
                                           regressor_only=True), rs))
        super().fit(X, treatment, y)
        Xa = _check_X(X)
        t = check_1d(treatment, "treatment", kind="binary")
        ya = check_1d(y, "y")
        mu0, mu1 = _mean_model(self.model_control_, Xa), _mean_model(self.model_treated_, Xa)
        d1 = ya[t == 1] - mu0[t == 1]
        d0 = mu1[t == 0] - ya[t == 0]
        self.effect_treated_ = clone(effect).fit(Xa[t == 1], d1)
        self.effect_control_ = clone(effect).fit(Xa[t == 0], d0)
        self.propensity_, _ = _propensity(prop, Xa, t)
        return self

    def predict(self, X) -> np.ndarray:
        """Estimated uplift ``e(x) tau0(x) + (1 - e(x)) tau1(x)`` per row of ``X``."""
        Xa = self._predict_X(X)
        e = _propensity_at(self.propensity_, Xa)
        return (e * self.effect_control_.predict(Xa)
                + (1 - e) * self.effect_treated_.predict(Xa))


class TransformedOutcome(_UpliftBase):
    """Transformed-outcome learner: regress ``Z = y (T - e) / (e (1 - e))`` on ``X``.

    In a randomised test with treatment probability ``e``, ``E[Z | x] = tau(x)`` (Athey &
    Imbens 2015), so any regressor of ``Z`` estimates the uplift directly. For ``e = 1/2`` and
    0/1 outcomes it is the class-variable transformation of Jaskowski & Jaroszewicz (2012).
    ``Z`` is noisy (values ``y / e`` and ``-y / (1 - e)``): it needs more data than the
    T-learner for the same accuracy.

    Parameters
    ----------
    estimator : scikit-learn regressor, optional
        Model of ``Z`` (cloned). Default as in :class:`SLearner`.
    propensity : None, float in (0, 1) or a scikit-learn classifier
        As in :class:`XLearner`. ``None``: the observed treated share.
    random_state : int or None

    Attributes
    ----------
    model_ : fitted regressor of ``Z``
    propensity_ : float or fitted classifier
    treated_share_ : float
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> sim = simulate_uplift(20_000, kind="linear", treated_share=1/3, seed=4)
    >>> X = sim.filter(like="x")
    >>> to = TransformedOutcome(LinearRegression(), propensity=1/3)
    >>> np.round(to.fit(X, sim["treatment"], sim["y"]).model_.coef_, 1)  # truth 0.5, 0, -0.3, 0
    array([ 0.5,  0. , -0.3,  0. ])
    """

    def __init__(self, estimator=None, propensity=None, random_state=None):
        self.estimator = estimator
        self.propensity = propensity
        self.random_state = random_state

    def fit(self, X, treatment, y):
        """Fit the regression of the transformed outcome; returns self."""
        rs = _check_random_state(self.random_state)
        prop = _check_propensity(self.propensity)
        base = (_default_model(rs) if self.estimator is None
                else _seeded(_check_base(self.estimator, "estimator", regressor_only=True), rs))
        Xa, t, ya = self._fit_inputs(X, treatment, y, binary=False)
        self.propensity_, share = _propensity(prop, Xa, t)
        e = _propensity_at(self.propensity_, Xa)
        z = ya * (t - e) / (e * (1 - e))
        self.model_ = base.fit(Xa, z)
        self.treated_share_ = share
        self.n_features_in_ = Xa.shape[1]
        return self

    def predict(self, X) -> np.ndarray:
        """Estimated uplift ``E[Z | x]`` per row of ``X``."""
        Xa = self._predict_X(X)
        return np.asarray(self.model_.predict(Xa), dtype=float)


# --------------------------------------------------------------------------- curves
def _curve_inputs(y, uplift, treatment):
    u = check_1d(uplift, "uplift")
    yv = check_1d(y, "y", length=len(u))
    t = check_1d(treatment, "treatment", kind="binary", length=len(u))
    if t.sum() == 0 or t.sum() == len(t):
        raise ValueError("treatment must contain both treated (1) and control (0) customers, "
                         f"got {int(t.sum()):,} treated of {len(t):,}")
    return yv, u, t


def _cumulative(y, scores, t):
    """Prefix sums at the ends of the groups of tied scores (highest score first)."""
    order = np.argsort(-scores, kind="stable")
    s, yy, tt = scores[order], y[order], t[order]
    ends = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    n_t = np.cumsum(tt)[ends]
    n_c = np.cumsum(1 - tt)[ends]
    y_t = np.cumsum(yy * tt)[ends]
    y_c = np.cumsum(yy * (1 - tt))[ends]
    zero = np.zeros(1)
    return (np.r_[zero, ends + 1], np.r_[zero, n_t], np.r_[zero, n_c], np.r_[zero, y_t],
            np.r_[zero, y_c])


def _qini_values(n_t, n_c, y_t, y_c, scale: str):
    if scale == "total":
        return y_t - y_c * n_t[-1] / n_c[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n_c > 0, y_t - y_c * n_t / np.where(n_c > 0, n_c, 1), y_t)


def _uplift_values(n_t, n_c, y_t, y_c):
    ok = (n_t > 0) & (n_c > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(ok, y_t / np.where(ok, n_t, 1) - y_c / np.where(ok, n_c, 1), 0.0)
    return rate * (n_t + n_c)


def _curve(y, scores, t, kind: str, scale: str = "total") -> pd.DataFrame:
    n, n_t, n_c, y_t, y_c = _cumulative(y, scores, t)
    if kind == "qini":
        values = _qini_values(n_t, n_c, y_t, y_c, scale)
    else:
        values = _uplift_values(n_t, n_c, y_t, y_c)
    frac = n / len(y)
    return pd.DataFrame({"n_targeted": n.astype(int), "fraction": frac,
                         "n_treated": n_t.astype(int), "n_control": n_c.astype(int),
                         "incremental": values, "random": frac * values[-1]})


def qini_curve(y: Any, uplift: Any, treatment: Any, *, scale: str = "total") -> pd.DataFrame:
    """The Qini curve: incremental responses among the treated in the top ``t`` by uplift.

    ``g(t) = Y_T(t) - Y_C(t) * r``, evaluated at ``t = 0`` and after every group of tied
    scores; see the module docstring.

    Parameters
    ----------
    y : array-like of float
        Observed outcome per customer (0/1 or an amount).
    uplift : array-like of float
        Predicted uplift (any score: only the order counts). Pass the true uplift for the
        oracle curve.
    treatment : array-like of 0/1
        The randomised assignment; both groups must be present.
    scale : {"total", "prefix"}
        ``r = N_T / N_C`` of the whole test (Radcliffe & Surry 2011) or ``N_T(t) / N_C(t)``
        of the top ``t`` (Gutierrez & Gerardy 2017; scikit-uplift, CausalML).

    Returns
    -------
    DataFrame
        ``n_targeted``, ``fraction`` (of all customers), ``n_treated``, ``n_control`` (in the
        top ``t``), ``incremental`` (the curve) and ``random`` (the straight line from 0 to the
        curve's end point ``N_T * ATE``).

    Examples
    --------
    >>> qini_curve(y=[1, 0, 1, 0], uplift=[0.4, 0.3, 0.2, 0.1], treatment=[1, 1, 0, 0])
       n_targeted  fraction  n_treated  n_control  incremental  random
    0           0      0.00          0          0          0.0     0.0
    1           1      0.25          1          0          1.0     0.0
    2           2      0.50          2          0          1.0     0.0
    3           3      0.75          2          1          0.0     0.0
    4           4      1.00          2          2          0.0     0.0
    >>> qini_curve([1, 0, 1, 0], [0.4, 0.3, 0.2, 0.1], [1, 1, 0, 0], scale="prefix")[
    ...     "incremental"].tolist()
    [0.0, 1.0, 1.0, -1.0, 0.0]
    """
    check_option(scale, "scale", ["total", "prefix"])
    return _curve(*_curve_inputs(y, uplift, treatment), "qini", scale)


def uplift_curve(y: Any, uplift: Any, treatment: Any) -> pd.DataFrame:
    """The uplift curve: incremental responses if the top ``t`` by uplift were all treated.

    ``f(t) = (Y_T(t) / N_T(t) - Y_C(t) / N_C(t)) * t`` (Gutierrez & Gerardy 2017), 0 while a
    group is empty, evaluated at ``t = 0`` and after every group of tied scores. It ends at
    ``n * ATE``. Parameters and columns as in :func:`qini_curve`.

    Examples
    --------
    >>> c = uplift_curve(y=[1, 0, 1, 0], uplift=[0.4, 0.3, 0.2, 0.1], treatment=[1, 1, 0, 0])
    >>> c["incremental"].tolist()
    [0.0, 0.0, 0.0, -1.5, 0.0]
    """
    return _curve(*_curve_inputs(y, uplift, treatment), "uplift")


def _area_above_random(curve: pd.DataFrame) -> float:
    x = curve["fraction"].to_numpy()
    gap = (curve["incremental"] - curve["random"]).to_numpy()
    return float(np.sum((gap[1:] + gap[:-1]) / 2 * np.diff(x)))


def _perfect_scores(y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Each customer's contribution to the Qini curve with ``scale="total"``: ``y`` if
    treated, ``-y N_T / N_C`` if not. Sorting by it maximises every prefix sum, hence the area
    (for 0/1 outcomes: treated responders first, control responders last)."""
    return np.where(t == 1, y, -y * t.sum() / (len(t) - t.sum()))


def qini_auc(y: Any, uplift: Any, treatment: Any, *, curve: str = "qini",
             scale: str = "total", normalize: bool = True) -> float:
    """Area between the Qini (or uplift) curve and the random line, x = fraction targeted.

    Parameters
    ----------
    y, uplift, treatment : array-like
        As in :func:`qini_curve`.
    curve : {"qini", "uplift"}
        Which curve's area.
    scale : {"total", "prefix"}
        The Qini curve's scaling (see :func:`qini_curve`); ignored for the uplift curve.
    normalize : bool
        Divide by the perfect ranking's area (Radcliffe's Qini coefficient ``q``: 1 = perfect,
        0 = random). Needs ``curve="qini"`` with ``scale="total"`` (the only curve here with a
        simple perfect order) and a perfect area > 0. ``False``: the raw area, in incremental
        responses (the curve's mean height above the random line).

    Returns
    -------
    float

    Examples
    --------
    >>> y, t = [1, 0, 1, 0], [1, 1, 0, 0]
    >>> qini_auc(y, [0.4, 0.3, 0.2, 0.1], t, normalize=False)   # see qini_curve's example
    0.5
    >>> qini_auc(y, [1, 0, -1, 0], t)      # treated responders first, control responders last
    1.0
    """
    check_option(curve, "curve", ["qini", "uplift"])
    check_option(scale, "scale", ["total", "prefix"])
    check_bool(normalize, "normalize")
    yv, u, t = _curve_inputs(y, uplift, treatment)
    area = _area_above_random(_curve(yv, u, t, curve, scale))
    if not normalize:
        return area
    if curve != "qini" or scale != "total":
        raise ValueError("normalize=True is defined for curve='qini' with scale='total' only "
                         "(the other curves have no simple perfect ranking); pass "
                         "normalize=False")
    best = _area_above_random(_curve(yv, _perfect_scores(yv, t), t, curve, scale))
    if best <= 0:
        raise ValueError("the perfect ranking has no area above random for these y and "
                         "treatment (no treated responders?): pass normalize=False")
    return area / best


def uplift_at_k(y: Any, uplift: Any, treatment: Any, k: float) -> float:
    """Observed uplift in the top ``k`` fraction by predicted uplift: treated minus control rate.

    The top ``k * n`` customers (rounded to the nearest whole number) are taken by score. A
    group of tied scores cut by the boundary enters with each member weighted by the share
    of the group that fits (the expected numbers of customers and responses under a random
    tie-break), so the result does not depend on the row order.

    Parameters
    ----------
    y, uplift, treatment : array-like
        As in :func:`qini_curve`.
    k : float
        Fraction targeted, in (0, 1].

    Returns
    -------
    float
        ``mean(y | treated, top k) - mean(y | control, top k)``.

    Examples
    --------
    >>> uplift_at_k([1, 1, 0, 1, 0, 0], [6, 5, 4, 3, 2, 1], [1, 0, 1, 0, 1, 0], k=0.5)
    -0.5
    """
    k = check_real(k, "k", low=0, high=1, low_open=True)
    yv, u, t = _curve_inputs(y, uplift, treatment)
    m = max(1, int(round(k * len(u))))
    order = np.argsort(-u, kind="stable")
    s = u[order]
    cut = s[m - 1]
    w = np.where(s > cut, 1.0, 0.0)
    tied = s == cut
    w[tied] = (m - int((s > cut).sum())) / int(tied.sum())
    yy, tt = yv[order], t[order]
    wt, wc = (w * tt).sum(), (w * (1 - tt)).sum()
    if wt == 0 or wc == 0:
        raise ValueError(f"the top k={k:g} holds no {'treated' if wt == 0 else 'control'} "
                         "customer: choose a larger k")
    return float((w * tt * yy).sum() / wt - (w * (1 - tt) * yy).sum() / wc)


def pehe(true_uplift: Any, predicted_uplift: Any) -> float:
    """Precision in estimating heterogeneous effects: ``sqrt(mean((tau - tau_hat)^2))``.

    Hill (2011). Needs the true uplift, which only simulations (and the bundled data's
    ``truth/``) have. A no-model baseline predicts the average effect for everyone; its PEHE
    is about the standard deviation of the true uplift.

    Examples
    --------
    >>> round(pehe([0.1, 0.2, 0.3], [0.1, 0.2, 0.0]), 4)    # sqrt(0.09 / 3)
    0.1732
    """
    tau = check_1d(true_uplift, "true_uplift")
    hat = check_1d(predicted_uplift, "predicted_uplift", length=len(tau))
    return float(np.sqrt(np.mean((tau - hat) ** 2)))


# --------------------------------------------------------------------------- decision
@dataclasses.dataclass(frozen=True)
class TargetingProfit(Result):
    """Result of :func:`targeting_profit`.

    Attributes
    ----------
    n_targeted : int
        The number of customers targeted (the best ``k`` by expected profit, or the ``k``
        given).
    expected_profit : float
        Sum of ``uplift * value - cost`` over them (as estimated).
    true_profit : float or None
        The same sum with the true uplift for the same customers (when given).
    curve : DataFrame
        ``n_targeted``, ``expected_profit`` and (if known) ``true_profit`` for every
        ``k = 0..n`` in the ranking's order.
    selected : ndarray of bool
        Which rows are targeted.
    """

    n_targeted: int
    expected_profit: float
    true_profit: float | None
    curve: pd.DataFrame = dataclasses.field(repr=False)
    selected: np.ndarray = dataclasses.field(repr=False)


def _amount(values: Any, name: str, n: int, *, low: float | None = 0.0) -> np.ndarray:
    if np.ndim(values) == 0 and not isinstance(values, (list, tuple)):
        return np.full(n, check_real(values, name, low=low))
    return check_1d(values, name, length=n, low=low)


def targeting_profit(uplift: Any, *, value: Any, cost: Any, offer_cost: Any = 0.0,
                     redemption: Any = None, k: int | None = None, rank_by: str = "profit",
                     true_uplift: Any = None) -> TargetingProfit:
    """Expected incremental profit of targeting the top ``k`` customers by uplift.

    Targeting customer ``i`` earns ``uplift_i * value_i`` (extra purchase probability times
    the margin of a purchase) and costs ``cost_i + offer_cost_i * redemption_i``: the contact
    cost plus the offer's cost (e.g. the voucher's discount) times the chance it is redeemed,
    which is the customer's purchase probability *with* the offer - sure things redeem
    vouchers too. Expected profit of customer ``i``: ``uplift_i * value_i - cost_i -
    offer_cost_i * redemption_i``.

    Parameters
    ----------
    uplift : array-like of float
        Estimated uplift per customer (in purchase probability, or in the outcome's units
        with ``value=1``).
    value : float or array-like of float
        Margin of one incremental purchase (>= 0).
    cost : float or array-like of float
        Cost of a contact (>= 0).
    offer_cost : float or array-like of float
        Cost of the offer when redeemed (>= 0); 0 = no redemption cost.
    redemption : array-like of float in [0, 1], optional
        Probability that a targeted customer redeems (buys with the offer), e.g. ``mu1(x)``
        from :meth:`TLearner.predict_outcomes`. Required when ``offer_cost`` is not 0.
    k : int, optional
        Target exactly ``k`` customers; default: the ``k`` with the highest expected profit.
    rank_by : {"profit", "uplift"}
        Order of targeting: by each customer's expected profit (the right order when value
        or cost differ between customers) or by uplift alone.
    true_uplift : array-like of float, optional
        The true uplift (simulations, ``truth/``) to report the true profit of the same plan.

    Returns
    -------
    TargetingProfit

    Examples
    --------
    >>> r = targeting_profit([0.30, 0.10, 0.02, -0.05], value=50.0, cost=2.0)
    >>> r.n_targeted, round(r.expected_profit, 2)
    (2, 16.0)
    """
    u = check_1d(uplift, "uplift")
    n = len(u)
    check_option(rank_by, "rank_by", ["profit", "uplift"])
    val = _amount(value, "value", n)
    cst = _amount(cost, "cost", n)
    oc = _amount(offer_cost, "offer_cost", n)
    if redemption is None:
        if (oc != 0).any():
            raise ValueError("redemption is required when offer_cost is not 0: the offer costs "
                             "only when redeemed (pass e.g. the predicted purchase probability "
                             "with the offer)")
        red = np.zeros(n)
    else:
        red = check_1d(redemption, "redemption", length=n, low=0, high=1)
    k = check_int(k, "k", low=0, high=n, allow_none=True)
    tau = None if true_uplift is None else check_1d(true_uplift, "true_uplift", length=n)
    spend = cst + oc * red
    per = u * val - spend
    key = per if rank_by == "profit" else u
    order = np.lexsort((np.arange(n), -u, -key))  # key, then uplift, then row order
    curve = pd.DataFrame({"n_targeted": np.arange(n + 1),
                          "expected_profit": np.r_[0.0, np.cumsum(per[order])]})
    if tau is not None:
        curve["true_profit"] = np.r_[0.0, np.cumsum((tau * val - spend)[order])]
    best = int(curve["expected_profit"].to_numpy().argmax()) if k is None else k
    selected = np.zeros(n, dtype=bool)
    selected[order[:best]] = True
    return TargetingProfit(
        n_targeted=best, expected_profit=float(curve["expected_profit"].iloc[best]),
        true_profit=None if tau is None else float(curve["true_profit"].iloc[best]),
        curve=curve, selected=selected)


# --------------------------------------------------------------------------- simulation
def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def simulate_uplift(n: int = 5000, *, kind: str = "binary", treated_share: float = 0.5,
                    seed: int = 0) -> pd.DataFrame:
    """A randomised test with a known heterogeneous effect (for lessons, tests and exercises).

    Four features ``x1..x4`` ~ N(0, 1); treatment ~ Bernoulli(``treated_share``), independent
    of them.

    * ``kind="binary"``: purchase with probability ``p0 = sigmoid(-1 + 1.2 x1 + 0.5 x2)``
      without the offer and ``p1 = sigmoid(-1 + 1.2 x1 + 0.5 x2 + 1.2 x3 - 0.3 + 0.6
      [x1 > 0])`` with it. Customers with high ``x3`` are persuadable, low ``x3`` sleeping
      dogs, very high/low ``x1`` sure things/lost causes. ``true_uplift = p1 - p0``.
    * ``kind="linear"``: ``y = 1 + x1 + 0.5 x2 + T (1 + 0.5 x1 - 0.3 x3) + N(0, 1)``, so
      ``true_uplift = 1 + 0.5 x1 - 0.3 x3`` (a linear truth).

    Returns
    -------
    DataFrame
        ``x1..x4``, ``treatment``, ``y``, ``true_uplift`` and the true expected outcomes
        ``mu_control``, ``mu_treated``.

    Examples
    --------
    >>> sim = simulate_uplift(1000, treated_share=1/3, seed=0)
    >>> list(sim.columns)
    ['x1', 'x2', 'x3', 'x4', 'treatment', 'y', 'true_uplift', 'mu_control', 'mu_treated']
    """
    n = check_int(n, "n", low=4)
    check_option(kind, "kind", ["binary", "linear"])
    share = check_real(treated_share, "treated_share", low=0, high=1, low_open=True,
                       high_open=True)
    seed = check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4))
    t = (rng.random(n) < share).astype(int)
    if kind == "binary":
        base = -1 + 1.2 * x[:, 0] + 0.5 * x[:, 1]
        mu0 = _sigmoid(base)
        mu1 = _sigmoid(base + 1.2 * x[:, 2] - 0.3 + 0.6 * (x[:, 0] > 0))
        y = (rng.random(n) < np.where(t == 1, mu1, mu0)).astype(float)
    else:
        mu0 = 1 + x[:, 0] + 0.5 * x[:, 1]
        mu1 = mu0 + 1 + 0.5 * x[:, 0] - 0.3 * x[:, 2]
        y = np.where(t == 1, mu1, mu0) + rng.normal(size=n)
    out = pd.DataFrame(x, columns=["x1", "x2", "x3", "x4"])
    out["treatment"] = t
    out["y"] = y
    out["true_uplift"] = mu1 - mu0
    out["mu_control"] = mu0
    out["mu_treated"] = mu1
    return out

