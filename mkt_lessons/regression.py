"""Lesson 03: linear and logistic regression, derived and implemented in NumPy.

The lesson derives each algorithm in the notebook first; this module is the tested version
that later lessons use. Every method is an honest implementation, not a wrapper:

* :func:`ols` ``method="normal"`` forms and solves the normal equations XᵀX b = Xᵀy;
  ``method="qr"`` factorises X = QR and back-substitutes R b = Qᵀy (numerically the better
  choice: its error grows with cond(X), the normal equations' with cond(X)²);
  ``method="gd"`` runs plain gradient descent on the mean squared error with a fixed step
  size 1/L and a stopping rule on the gradient.
* :func:`logistic_loss` / :func:`logistic_grad` / :func:`logistic_hessian` are the mean
  cross-entropy and its derivatives, gradient Xᵀ(p − y)/n; :func:`check_gradient` compares
  any analytic gradient with central finite differences.
* :func:`fit_logistic` ``method="newton"`` is Newton-Raphson (identical to iteratively
  reweighted least squares) with step halving; ``method="gd"`` is gradient descent.

Standard errors are the classical ones: σ̂²(XᵀX)⁻¹ with σ̂² = RSS/(n − p) for OLS, and the
inverse observed information (XᵀWX)⁻¹ for the logistic model, as statsmodels reports them.

Input contract (checked at the door, inputs never modified): ``X`` is a 2-D numeric array or
DataFrame (a 1-D array or Series is one column), ``y`` a 1-D numeric array of the same
length, no NaN or infinity, more rows than coefficients, full column rank (a collinear
column is named in the error), and a non-constant ``y`` (for a constant ``y`` there is
nothing to explain: R² is undefined and the logistic maximum-likelihood estimate does not
exist, so both fits raise ``ValueError``).

Arguments are checked by :mod:`mkt_lessons._validation` (TypeError for a wrong type such as
numbers stored as text, ValueError for a wrong value); results are frozen dataclasses
(:class:`mkt_lessons._results.Result`) whose ``summary(alpha=0.05)`` is the coefficient
table, with the package's spellings ``pvalue``, ``ci_low``, ``ci_high``.

:class:`OLSRegressor` and :class:`LogisticClassifier` wrap :func:`ols` and :func:`fit_logistic`
as scikit-learn estimators (``clone``, pipelines, cross-validation; the full result in
``result_``). The module also holds :func:`vif`, the variance inflation factor. The lesson's tables
(:func:`~mkt_lessons.features.weekly_acquisition`,
:func:`~mkt_lessons.features.season_features`,
:func:`~mkt_lessons.features.repurchase_table`) are features and live in
:mod:`mkt_lessons.features`; they are re-exported here under their v1 names.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.validation import check_is_fitted

from mkt_lessons._results import Result
from mkt_lessons._validation import (
    check_1d,
    check_bool,
    check_int,
    check_option,
    check_real,
    describe,
)
from mkt_lessons.features import repurchase_table, season_features, weekly_acquisition

OLS_METHODS = ("qr", "normal", "gd")
LOGISTIC_METHODS = ("newton", "gd")
# Warn when the normal equations would lose more than this many of ~16 significant digits.
ILL_CONDITIONED_DIGITS = 10


class ConvergenceWarning(UserWarning):
    """An iterative fit stopped at ``max_iter`` before meeting its stopping rule."""


class IllConditionedWarning(UserWarning):
    """The normal equations are badly conditioned: expect lost digits; use ``method="qr"``."""


# --------------------------------------------------------------------------- validation
def _as_matrix(X: Any, arg: str = "X") -> tuple[np.ndarray, list[str]]:
    """A float copy of ``X`` as an (n, p) array and its column names.

    Text (also numbers stored as text), categories and dates are a TypeError; an empty
    matrix, a 3-D array or a missing/infinite value a ValueError naming the column.
    """
    if isinstance(X, (pd.DataFrame, pd.Series)):
        frame = X.to_frame() if isinstance(X, pd.Series) else X
        names = ([str(X.name) if X.name is not None else "x1"] if isinstance(X, pd.Series)
                 else [str(c) for c in frame.columns])
        for j in range(frame.shape[1]):
            col = frame.iloc[:, j]
            if (isinstance(col.dtype, pd.CategoricalDtype)
                    or not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col))):
                raise TypeError(f"{arg}[{names[j]!r}] must be numeric, got dtype {col.dtype}: "
                                "convert text with pd.to_numeric and encode categories as 0/1 "
                                "dummy columns first")
        if frame.shape[0] == 0 or frame.shape[1] == 0:
            raise ValueError(f"{arg} is empty (shape {frame.shape}): there is nothing to fit")
        arr = frame.to_numpy(dtype=float, na_value=np.nan, copy=True)
    else:
        if X is None or isinstance(X, (str, bytes, dict, set)) or np.isscalar(X):
            raise TypeError(f"{arg} must be a 2-D array or DataFrame of numbers, got {describe(X)}")
        try:
            raw = np.asarray(X)
        except (TypeError, ValueError):
            raise ValueError(f"{arg} must be a rectangular 2-D array (rows of equal length), "
                             f"got {describe(X)}") from None
        if raw.dtype.kind in "OUS":
            bad = [v for v in raw.ravel() if v is not None and (
                isinstance(v, (str, bytes)) or not isinstance(v, (numbers.Number, np.number)))]
            if bad:
                raise TypeError(f"{arg} must hold numbers, got {describe(bad[0])} among its "
                                "values (convert text with pd.to_numeric)")
            raw = np.array([np.nan if v is None else v for v in raw.ravel()],
                           dtype=float).reshape(raw.shape)
        elif raw.dtype.kind not in "biuf":
            raise TypeError(f"{arg} must hold numbers, got dtype {raw.dtype}")
        arr = raw.astype(float, copy=True)
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2:
            raise ValueError(f"{arg} must be 2-D (rows = observations, columns = features); "
                             f"got {arr.ndim} dimensions.")
        if arr.shape[0] == 0 or arr.shape[1] == 0:
            raise ValueError(f"{arg} is empty (shape {arr.shape}): there is nothing to fit")
        names = [f"x{j + 1}" for j in range(arr.shape[1])]
    bad = ~np.isfinite(arr)
    if bad.any():
        cols = [names[j] for j in np.flatnonzero(bad.any(axis=0))]
        raise ValueError(f"{arg} has {int(bad.sum())} missing or infinite value(s) in column(s) "
                         f"{cols}: drop or impute them before fitting.")
    return arr, names


def _as_vector(y: Any, n: int, arg: str = "y", kind: str = "numeric") -> np.ndarray:
    """``y`` as a float (or 0/1 int) vector of length ``n``; an (n, 1) array is one column."""
    if isinstance(y, np.ndarray) and y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    return check_1d(y, arg, kind=kind, length=n).astype(float)


def _first_collinear(X: np.ndarray) -> tuple[int, int]:
    """(rank, index of the first column that is a combination of the columns before it)."""
    norms = np.linalg.norm(X, axis=0)
    if (norms == 0).any():
        return -1, int(np.flatnonzero(norms == 0)[0])
    Xn = X / norms  # rank on unit-length columns: units (dollars vs 0/1) must not matter
    rank = int(np.linalg.matrix_rank(Xn))
    if rank == X.shape[1]:
        return rank, -1
    for j in range(1, X.shape[1]):
        if np.linalg.matrix_rank(Xn[:, : j + 1]) < j + 1:
            return rank, j
    return rank, X.shape[1] - 1  # pragma: no cover - the loop always finds one


def _design(X: Any, y: Any, add_intercept: bool) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Validated (X with intercept column if asked, y, names)."""
    check_bool(add_intercept, "add_intercept")
    Xa, names = _as_matrix(X)
    ya = _as_vector(y, Xa.shape[0])
    if add_intercept:
        if "const" in names:
            raise ValueError("X already has a column named 'const'; rename it or pass "
                             "add_intercept=False.")
        Xa = np.column_stack([np.ones(len(Xa)), Xa])
        names = ["const", *names]
    n, p = Xa.shape
    if n <= p:
        raise ValueError(f"Need more rows than coefficients to estimate the noise: X has {n} "
                         f"rows and {p} coefficients (intercept included).")
    rank, j = _first_collinear(Xa)
    if j >= 0:
        if rank < 0:
            raise ValueError(f"X column {names[j]!r} is all zeros: it carries no information; "
                             "drop it.")
        hint = (" (a constant column together with the intercept: pass add_intercept=False "
                "or drop it)" if add_intercept and np.ptp(Xa[:, j]) == 0 else
                " (perfect multicollinearity, e.g. one dummy per category plus an intercept, "
                "or spend recorded twice)")
        raise ValueError(f"X is rank-deficient: rank {rank} < {p} columns. Column {names[j]!r} "
                         f"is a linear combination of {names[:j]}{hint}; the coefficients are "
                         "not identified. Drop a column.")
    if np.ptp(ya) == 0:
        raise ValueError(f"y is constant (every value is {ya[0]:g}): there is no variation to "
                         "explain, so R² and the logistic estimate are undefined.")
    return Xa, ya, names


# --------------------------------------------------------------------------- results
def _check_alpha(alpha: Any, level: Any) -> float:
    """The significance level; ``level`` is the v1 spelling (``level=0.95`` is ``alpha=0.05``)."""
    if level is not None:
        level = check_real(level, "level", low=0, high=1, low_open=True, high_open=True)
        return 1.0 - level
    if isinstance(alpha, (float, np.floating)) and 0.5 <= alpha < 1:
        raise ValueError(f"alpha is the significance level (a 95% interval has alpha=0.05), "
                         f"got {alpha:g}: did you mean alpha={1 - alpha:.2g}?")
    return check_real(alpha, "alpha", low=0, high=0.5, low_open=True, high_open=True)


@dataclass(frozen=True, repr=False)
class _Fit(Result):
    coef: np.ndarray
    stderr: np.ndarray
    cov: np.ndarray
    names: list[str]
    method: str
    has_intercept: bool
    n_obs: int
    n_iter: int | None
    converged: bool
    loss_history: list[float] = field(default_factory=list)

    def _quantile(self, alpha: float) -> float:
        return float(self._dist().ppf(1 - alpha / 2))

    def _dist(self):  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def params(self) -> pd.Series:
        """The coefficients as a Series indexed by column name."""
        return pd.Series(self.coef, index=self.names, name="coef")

    def conf_int(self, alpha: float = 0.05, *, level: float | None = None) -> pd.DataFrame:
        """Confidence intervals ``coef ± q·stderr`` (t for OLS, normal for logistic).

        ``alpha`` is the significance level (0.05 gives a 95% interval); ``level=0.95`` is
        the v1 spelling of the same and still works. Columns ``low`` and ``high`` (as in v1).
        """
        q = self._quantile(_check_alpha(alpha, level))
        return pd.DataFrame({"low": self.coef - q * self.stderr,
                             "high": self.coef + q * self.stderr}, index=self.names)

    def summary(self, alpha: float = 0.05, *, level: float | None = None) -> pd.DataFrame:
        """Coefficient table: coef, stderr, statistic, pvalue and the 1 − ``alpha`` interval.

        The columns use the package's spellings: ``pvalue`` (two-sided), ``ci_low``,
        ``ci_high``. ``str(fit)`` shows the scalar fields, as for every result.
        """
        stat = self.coef / self.stderr
        p = 2 * self._dist().sf(np.abs(stat))
        ci = self.conf_int(alpha, level=level)
        return pd.DataFrame({"coef": self.coef, "stderr": self.stderr, "statistic": stat,
                             "pvalue": p, "ci_low": ci["low"].to_numpy(),
                             "ci_high": ci["high"].to_numpy()},
                            index=pd.Index(self.names, name="term"))

    def _design_for(self, X: Any) -> np.ndarray:
        Xa, _ = _as_matrix(X)
        if self.has_intercept:
            Xa = np.column_stack([np.ones(len(Xa)), Xa])
        if Xa.shape[1] != len(self.coef):
            raise ValueError(f"X has {Xa.shape[1] - self.has_intercept} columns; the model was "
                             f"fitted with {len(self.coef) - self.has_intercept}.")
        return Xa


@dataclass(frozen=True, repr=False)
class OLSResult(_Fit):
    """What :func:`ols` returns.

    Attributes
    ----------
    coef, stderr : ndarray
        Estimates and their standard errors, in the order of ``names`` ("const" first when
        an intercept was added).
    r2 : float
        Share of the variance of y explained (centred; uncentred without an intercept).
    resid, fitted : ndarray
        y − Xb and Xb.
    sigma2 : float
        RSS / (n − p), the estimated noise variance.
    df_resid : int
        n − p, the degrees of freedom of the t intervals.
    cov : ndarray
        σ̂²(XᵀX)⁻¹, the estimated covariance of ``coef``.
    n_iter, converged, loss_history
        For ``method="gd"``: iterations run, whether the stopping rule was met, and the
        loss ½·mean squared error per iteration (empty for the direct methods).
    """

    r2: float = float("nan")
    resid: np.ndarray = field(default_factory=lambda: np.empty(0))
    fitted: np.ndarray = field(default_factory=lambda: np.empty(0))
    sigma2: float = float("nan")
    df_resid: int = 0

    def _dist(self):
        from scipy import stats

        return stats.t(self.df_resid)

    def predict(self, X: Any) -> np.ndarray:
        """Predictions Xb for new rows with the same columns as the fitted X."""
        return self._design_for(X) @ self.coef

    def __repr__(self) -> str:
        return (f"OLSResult(method={self.method!r}, n={self.n_obs}, r2={self.r2:.4f}, "
                f"coef={dict(zip(self.names, np.round(self.coef, 6).tolist(), strict=True))})")


@dataclass(frozen=True, repr=False)
class LogisticResult(_Fit):
    """What :func:`fit_logistic` returns.

    Attributes
    ----------
    coef, stderr : ndarray
        Log-odds coefficients and standard errors from the inverse observed information
        (XᵀWX)⁻¹, W = diag(p(1 − p)) at the estimate.
    loss : float
        Mean cross-entropy (log loss) at the estimate.
    n_iter, converged, loss_history
        Iterations run, whether the stopping rule was met, and the loss per iteration
        (starting with the loss at coef = 0).
    """

    loss: float = float("nan")

    def _dist(self):
        from scipy import stats

        return stats.norm()

    def predict_proba(self, X: Any) -> np.ndarray:
        """P(y = 1) for new rows with the same columns as the fitted X."""
        return sigmoid(self._design_for(X) @ self.coef)

    def __repr__(self) -> str:
        return (f"LogisticResult(method={self.method!r}, n={self.n_obs}, n_iter={self.n_iter}, "
                f"loss={self.loss:.6f}, converged={self.converged})")


# --------------------------------------------------------------------------- OLS
def ols(X: Any, y: Any, *, method: str = "qr", add_intercept: bool = True,
        learning_rate: float | None = None, tol: float = 1e-12, max_iter: int = 100_000,
        scale: bool = True) -> OLSResult:
    """Ordinary least squares: the b that minimises ‖y − Xb‖².

    Parameters
    ----------
    X : array-like or DataFrame, shape (n, p)
        Features (a DataFrame's column names label the coefficients).
    y : array-like, shape (n,)
        Target.
    method : {"qr", "normal", "gd"}
        ``"qr"``: X = QR, solve R b = Qᵀy by back-substitution. ``"normal"``: solve
        XᵀX b = Xᵀy (warns :class:`IllConditionedWarning` when cond(XᵀX) > 1e10).
        ``"gd"``: gradient descent on ½·mean squared error.
    add_intercept : bool
        Prepend a column of ones named "const".
    learning_rate : float, optional
        Gradient descent step; default 1/L, L the largest eigenvalue of XᵀX/n (the step
        that is guaranteed to decrease the loss).
    tol : float
        Gradient descent stops when max|gradient| ≤ tol · max|Xᵀy/n| (on the scaled
        features), i.e. a relative stopping rule that does not depend on the units of y.
    max_iter : int
        Gradient descent iteration cap; reaching it warns :class:`ConvergenceWarning`.
    scale : bool
        Gradient descent only: standardise the features first (centre and divide by the
        standard deviation with an intercept; divide by the root mean square without) and
        map the coefficients back. Without scaling, features in dollars next to 0/1 flags
        make XᵀX badly conditioned and gradient descent crawl.

    Returns
    -------
    OLSResult
        ``coef``, ``stderr``, ``r2``, ``resid``, ``summary()`` and more. Standard errors
        are σ̂²(XᵀX)⁻¹ computed the way ``method`` solves (inverse of XᵀX for "normal",
        R⁻¹R⁻ᵀ for "qr" and "gd").

    Raises
    ------
    ValueError
        For NaN/inf, mismatched lengths, n ≤ p, a rank-deficient X (the collinear column is
        named), a constant y, or an unknown method. TypeError for non-numeric input.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([0.0, 1.0, 2.0, 3.0])
    >>> ols(x, 1 + 2 * x + np.array([0.1, -0.1, -0.1, 0.1])).coef.round(6)
    array([1., 2.])
    """
    check_option(method, "method", OLS_METHODS)
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True,
                               allow_none=True)
    tol = check_real(tol, "tol", low=0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", low=1)
    scale = check_bool(scale, "scale")
    Xa, ya, names = _design(X, y, add_intercept)
    n, p = Xa.shape
    n_iter, converged, history = None, True, []

    if method == "normal":
        xtx, xty = Xa.T @ Xa, Xa.T @ ya
        cond = np.linalg.cond(xtx)
        if cond > 10.0 ** ILL_CONDITIONED_DIGITS:
            warnings.warn(f"cond(XᵀX) = {cond:.1e}: the normal equations may lose about "
                          f"{int(np.log10(cond))} of 16 significant digits. Use method='qr', "
                          "or rescale/centre the features.", IllConditionedWarning, stacklevel=2)
        coef = np.linalg.solve(xtx, xty)
        xtx_inv = np.linalg.inv(xtx)
    else:
        q, r = np.linalg.qr(Xa)  # reduced: q is (n, p) with orthonormal columns, r is (p, p)
        r_inv = _back_substitute(r, np.eye(p))
        xtx_inv = r_inv @ r_inv.T  # (XᵀX)⁻¹ = (RᵀR)⁻¹ = R⁻¹R⁻ᵀ
        if method == "qr":
            coef = _back_substitute(r, q.T @ ya)
        else:
            coef, n_iter, converged, history = _ols_gd(Xa, ya, add_intercept, learning_rate,
                                                       tol, max_iter, scale)
    fitted = Xa @ coef
    resid = ya - fitted
    rss = float(resid @ resid)
    centred = add_intercept or bool((np.ptp(Xa, axis=0) == 0).any())
    tss = float(((ya - ya.mean()) ** 2).sum()) if centred else float(ya @ ya)
    df_resid = n - p
    sigma2 = rss / df_resid
    cov = sigma2 * xtx_inv
    return OLSResult(coef=coef, stderr=np.sqrt(np.diag(cov)), cov=cov, names=names,
                     method=method, has_intercept=add_intercept, n_obs=n, n_iter=n_iter,
                     converged=converged, loss_history=history, r2=1 - rss / tss, resid=resid,
                     fitted=fitted, sigma2=sigma2, df_resid=df_resid)


def _back_substitute(r: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve the upper-triangular system R x = b (b a vector or a matrix) from the bottom up."""
    from scipy.linalg import solve_triangular

    return solve_triangular(r, b, lower=False)


def _scaler(X: np.ndarray, has_intercept: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per-column (shift, scale) for gradient descent; the intercept column is left alone."""
    if has_intercept:
        shift = X.mean(axis=0)
        scale = X.std(axis=0)
        shift[0], scale[0] = 0.0, 1.0
    else:
        shift = np.zeros(X.shape[1])
        scale = np.sqrt((X ** 2).mean(axis=0))
    scale[scale == 0] = 1.0
    return shift, scale


def _unscale(beta: np.ndarray, shift: np.ndarray, scale: np.ndarray,
             has_intercept: bool) -> np.ndarray:
    """Coefficients of the original X from those of (X − shift) / scale."""
    coef = beta / scale
    if has_intercept:
        coef[0] = beta[0] - float((beta[1:] * shift[1:] / scale[1:]).sum())
    return coef


def _ols_gd(X, y, has_intercept, learning_rate, tol, max_iter, scale):
    n = len(y)
    shift, sc = _scaler(X, has_intercept) if scale else (np.zeros(X.shape[1]), np.ones(X.shape[1]))
    Z = (X - shift) / sc
    lipschitz = float(np.linalg.eigvalsh(Z.T @ Z / n)[-1])  # largest eigenvalue of the Hessian
    step = 1.0 / lipschitz if learning_rate is None else learning_rate
    threshold = tol * max(float(np.abs(Z.T @ y).max()) / n, np.finfo(float).tiny)
    beta = np.zeros(X.shape[1])
    history, converged, it = [], False, 0
    for it in range(1, max_iter + 1):  # noqa: B007 - `it` is reported after the loop
        r = Z @ beta - y
        history.append(0.5 * float(r @ r) / n)
        grad = Z.T @ r / n
        # For a quadratic loss any step below 2/L shrinks the loss every iteration, so a loss
        # above its starting value means the step is too large and the iterates blow up.
        if not np.isfinite(history[-1]) or history[-1] > 10 * history[0]:
            raise ValueError(f"Gradient descent diverged (learning_rate={step:g} is too large; "
                             f"the stable limit is 2/L = {2 / lipschitz:g}).")
        if np.abs(grad).max() <= threshold:
            converged = True
            break
        beta = beta - step * grad
    if not converged:
        warnings.warn(f"Gradient descent did not meet its stopping rule in {max_iter} "
                      "iterations; raise max_iter, or scale the features.", ConvergenceWarning,
                      stacklevel=3)
    return _unscale(beta, shift, sc, has_intercept), it, converged, history


# --------------------------------------------------------------------------- logistic
def sigmoid(z: Any) -> np.ndarray:
    """1 / (1 + e^(−z)), computed without overflow for large |z|.

    Parameters
    ----------
    z : float or array-like of numbers
        Any shape; text or a missing value (NaN) is refused.

    Returns
    -------
    ndarray
        Same shape as ``z``, values in [0, 1].

    Examples
    --------
    >>> sigmoid([-800.0, 0.0, 2.0]).round(4)
    array([0.    , 0.5   , 0.8808])
    """
    z = _numbers(z, "z")
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _numbers(values: Any, name: str) -> np.ndarray:
    """A float array of any shape from numbers (text, None, NaN or inf refused)."""
    if values is None or isinstance(values, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be numbers, got {describe(values)}")
    if isinstance(values, pd.DataFrame):
        return _as_matrix(values, name)[0]
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a rectangular array of numbers, "
                         f"got {describe(values)}") from None
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iuf":
        if arr.dtype.kind == "O" and arr.ndim == 1:
            return check_1d(values, name)
        raise TypeError(f"{name} must be numbers, got dtype {arr.dtype}")
    arr = arr.astype(float)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} has {int((~np.isfinite(arr)).sum())} missing or infinite "
                         "value(s) (NaN/inf)")
    return arr


def _lowlevel(coef: Any, X: Any, y: Any | None = None):
    if np.ndim(X) == 0 if not isinstance(X, (str, bytes, dict, set)) and X is not None else False:
        raise TypeError(f"X must be a 2-D array (the design matrix), got {describe(X)}")
    Xa = _numbers(X, "X")
    if Xa.ndim != 2:
        raise ValueError(f"X must be 2-D (the design matrix, intercept column included), "
                         f"got shape {Xa.shape}.")
    if Xa.shape[0] == 0:
        raise ValueError("X is empty (0 rows): the mean loss is undefined")
    b = check_1d(coef, "coef")
    if len(b) != Xa.shape[1]:
        raise ValueError(f"coef must have one value per column of X ({Xa.shape[1]}), "
                         f"got {len(b)}")
    if y is None:
        return b, Xa, None
    ya = check_1d(y, "y", length=Xa.shape[0], low=0, high=1)
    return b, Xa, ya


def logistic_loss(coef: Any, X: Any, y: Any) -> float:
    """Mean cross-entropy −(1/n) Σ [y log p + (1 − y) log(1 − p)], p = σ(Xb).

    Written as mean(log(1 + e^z) − y·z) with z = Xb, which never takes log(0).
    ``X`` is the design matrix as given (include the intercept column yourself).

    Parameters
    ----------
    coef : array-like, shape (p,)
        Coefficients, one per column of ``X``.
    X : array-like, shape (n, p)
        Design matrix (numbers, no NaN).
    y : array-like, shape (n,)
        Outcomes in [0, 1] (usually 0/1).

    Returns
    -------
    float
        The mean loss.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [1.0, 1.0]])
    >>> round(logistic_loss([0.0, 0.0], X, [0, 1]), 6)  # p = 0.5 everywhere: log 2
    0.693147
    """
    b, Xa, ya = _lowlevel(coef, X, y)
    z = Xa @ b
    return float(np.mean(np.logaddexp(0.0, z) - ya * z))


def logistic_grad(coef: Any, X: Any, y: Any) -> np.ndarray:
    """Gradient of :func:`logistic_loss`: Xᵀ(p − y)/n.

    The σ'(z) = p(1 − p) from the chain rule cancels against the 1/p and 1/(1 − p) of the
    log: there is no sigmoid-derivative factor left in the gradient.

    Parameters
    ----------
    coef, X, y
        As in :func:`logistic_loss`.

    Returns
    -------
    ndarray, shape (p,)

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [1.0, 1.0]])
    >>> logistic_grad([0.0, 0.0], X, [0, 1])  # (p - y) = (0.5, -0.5)
    array([ 0.  , -0.25])
    """
    b, Xa, ya = _lowlevel(coef, X, y)
    return Xa.T @ (sigmoid(Xa @ b) - ya) / len(ya)


def logistic_hessian(coef: Any, X: Any) -> np.ndarray:
    """Hessian of :func:`logistic_loss`: XᵀWX/n with W = diag(p(1 − p)).

    Parameters
    ----------
    coef, X
        As in :func:`logistic_loss` (the Hessian does not depend on y).

    Returns
    -------
    ndarray, shape (p, p)

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [1.0, 1.0]])
    >>> logistic_hessian([0.0, 0.0], X)  # p(1 - p) = 1/4
    array([[0.25 , 0.125],
           [0.125, 0.125]])
    """
    b, Xa, _ = _lowlevel(coef, X)
    p = sigmoid(Xa @ b)
    return Xa.T @ (Xa * (p * (1 - p))[:, None]) / len(Xa)


@dataclass(frozen=True)
class GradientCheck(Result):
    """Result of :func:`check_gradient`.

    Attributes
    ----------
    analytic, numeric : ndarray
        The gradient under test and its central finite-difference estimate.
    max_abs_error : float
        The largest absolute difference of a component.
    rel_error : float
        ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) (0 when both are 0).
    """

    analytic: np.ndarray
    numeric: np.ndarray
    max_abs_error: float
    rel_error: float

    def ok(self, tol: float = 1e-6) -> bool:
        """True if every component agrees to ``tol`` (absolute, > 0)."""
        return self.max_abs_error <= check_real(tol, "tol", low=0, low_open=True)


def _scalar(value: Any) -> float:
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        value = value.ravel()[0]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.number)):
        raise TypeError(f"fun(x) must return one number, got {describe(value)}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"fun(x) returned {out} near x: the finite differences are undefined")
    return out


def check_gradient(fun: Callable[[np.ndarray], float], grad: Callable[[np.ndarray], Any],
                   x: Any, *, eps: float = 1e-6) -> GradientCheck:
    """Compare an analytic gradient with central finite differences.

    numeric_i = (f(x + eps·e_i) − f(x − eps·e_i)) / (2·eps): its truncation error is
    O(eps²) and its rounding error about 1e-16·|f|/eps, so eps = 1e-6 gives ~1e-10.

    Parameters
    ----------
    fun : callable
        f(x) -> float.
    grad : callable
        x -> gradient array, the function under test.
    x : array-like
        The point to check at (a random point is better than zeros).
    eps : float
        Finite-difference step.

    Returns
    -------
    GradientCheck
        ``analytic``, ``numeric``, ``max_abs_error``, ``rel_error`` and ``ok(tol)``.

    Examples
    --------
    >>> chk = check_gradient(lambda v: float(v @ v), lambda v: 2 * v, [1.0, -2.0])
    >>> chk.ok(1e-8), chk.max_abs_error < 1e-8
    (True, True)
    >>> check_gradient(lambda v: float(v @ v), lambda v: v, [1.0, -2.0]).ok()  # wrong: no 2
    False
    """
    for name, f in (("fun", fun), ("grad", grad)):
        if not callable(f):
            raise TypeError(f"{name} must be a function of x, got {describe(f)}")
    eps = check_real(eps, "eps", low=0, low_open=True)
    x0 = check_1d(x, "x")
    analytic = check_1d(grad(x0.copy()), "grad(x)")
    if analytic.shape != x0.shape:
        raise ValueError(f"grad(x) returned shape {analytic.shape}; expected {x0.shape} "
                         "(one value per component of x)")
    numeric = np.empty_like(x0)
    for i in range(len(x0)):
        step = np.zeros_like(x0)
        step[i] = eps
        numeric[i] = (_scalar(fun(x0 + step)) - _scalar(fun(x0 - step))) / (2 * eps)
    diff = analytic - numeric
    denom = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    rel = float(np.linalg.norm(diff) / denom) if denom > 0 else 0.0
    return GradientCheck(analytic=analytic, numeric=numeric,
                         max_abs_error=float(np.abs(diff).max()), rel_error=rel)


def fit_logistic(X: Any, y: Any, *, method: str = "newton", add_intercept: bool = True,
                 tol: float = 1e-10, max_iter: int | None = None,
                 learning_rate: float | None = None, scale: bool = True) -> LogisticResult:
    """Maximum-likelihood logistic regression, P(y = 1 | x) = σ(xᵀb).

    Parameters
    ----------
    X : array-like or DataFrame, shape (n, p)
        Features.
    y : array-like, shape (n,)
        0/1 (or True/False) outcomes; both classes must occur.
    method : {"newton", "gd"}
        ``"newton"``: b ← b − H⁻¹g with H = XᵀWX/n and g = Xᵀ(p − y)/n (the same steps as
        iteratively reweighted least squares), halving the step while the loss rises.
        ``"gd"``: b ← b − η g with η = 1/L, L = largest eigenvalue of XᵀX/(4n).
    add_intercept : bool
        Prepend a column of ones named "const".
    tol : float
        Newton stops when a step changes no coefficient by more than tol·(1 + max|b|);
        gradient descent when max|g| ≤ tol (g the gradient of the mean loss on the scaled
        features).
    max_iter : int, optional
        Iteration cap (default 50 for Newton, 200,000 for gd); reaching it warns
        :class:`ConvergenceWarning` (for Newton usually a sign of perfect separation:
        a feature splits the classes exactly and the estimate runs off to infinity).
    learning_rate : float, optional
        Gradient descent step (default 1/L).
    scale : bool
        Gradient descent only: standardise the features (as in :func:`ols`).

    Returns
    -------
    LogisticResult
        ``coef``, ``stderr``, ``loss``, ``n_iter``, ``converged``, ``loss_history``,
        ``summary()``, ``predict_proba(X)``.

    Raises
    ------
    ValueError
        For y values other than 0/1, a y with one class only, and the input problems
        :func:`ols` rejects.

    Examples
    --------
    >>> x = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    >>> fit = fit_logistic(x, [0, 0, 1, 0, 1, 1])
    >>> fit.n_iter <= 10, fit.converged
    (True, True)
    """
    check_option(method, "method", LOGISTIC_METHODS)
    tol = check_real(tol, "tol", low=0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", low=1, allow_none=True)
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True,
                               allow_none=True)
    scale = check_bool(scale, "scale")
    check_bool(add_intercept, "add_intercept")
    yv = _as_vector(y, _as_matrix(X)[0].shape[0], kind="binary")
    if np.ptp(yv) == 0:
        raise ValueError(f"y contains only {int(yv[0])}s: with one class the maximum-likelihood "
                         "estimate does not exist (the intercept runs off to infinity).")
    Xa, ya, names = _design(X, yv, add_intercept)
    if max_iter is None:
        max_iter = 50 if method == "newton" else 200_000
    if method == "newton":
        coef, n_iter, converged, history = _newton(Xa, ya, tol, max_iter)
    else:
        coef, n_iter, converged, history = _logistic_gd(Xa, ya, add_intercept, learning_rate,
                                                        tol, max_iter, scale)
    p = sigmoid(Xa @ coef)
    if converged and np.all(np.abs(p - ya) < 1e-6):
        converged = False
        warnings.warn("Perfect separation: the features split the 0s from the 1s exactly, so the "
                      "likelihood keeps rising as the coefficients grow; the estimates are "
                      "arbitrary large numbers. Drop the separating feature or use a penalty.",
                      ConvergenceWarning, stacklevel=2)
    info = Xa.T @ (Xa * (p * (1 - p))[:, None])  # observed information XᵀWX (sum, not mean)
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        cov = np.full((len(coef), len(coef)), np.nan)
    return LogisticResult(coef=coef, stderr=np.sqrt(np.diag(cov)), cov=cov, names=names,
                          method=method, has_intercept=add_intercept, n_obs=len(ya),
                          n_iter=n_iter, converged=converged, loss_history=history,
                          loss=logistic_loss(coef, Xa, ya))


def _newton(X, y, tol, max_iter):
    coef = np.zeros(X.shape[1])
    loss = logistic_loss(coef, X, y)
    history, converged, it = [loss], False, 0
    for it in range(1, max_iter + 1):  # noqa: B007 - `it` is reported after the loop
        g = logistic_grad(coef, X, y)
        try:
            step = np.linalg.solve(logistic_hessian(coef, X), g)
        except np.linalg.LinAlgError:
            break  # singular Hessian: probabilities at 0/1, i.e. separation
        t = 1.0
        while True:  # step halving keeps every step downhill
            new = coef - t * step
            new_loss = logistic_loss(new, X, y)
            if new_loss <= loss + 1e-12 * max(1.0, abs(loss)) or t < 1e-10:
                break
            t /= 2
        coef, loss = new, new_loss
        history.append(loss)
        if np.abs(t * step).max() <= tol * (1 + np.abs(coef).max()):
            converged = True
            break
    if not converged:
        warnings.warn(f"Newton's method did not converge in {it} iterations: is there perfect "
                      "separation (a feature or combination that splits 0s from 1s exactly)?",
                      ConvergenceWarning, stacklevel=3)
    return coef, it, converged, history


def _logistic_gd(X, y, has_intercept, learning_rate, tol, max_iter, scale):
    n = len(y)
    shift, sc = _scaler(X, has_intercept) if scale else (np.zeros(X.shape[1]), np.ones(X.shape[1]))
    Z = (X - shift) / sc
    lipschitz = float(np.linalg.eigvalsh(Z.T @ Z / n)[-1]) / 4  # since p(1 − p) ≤ 1/4
    step = 1.0 / lipschitz if learning_rate is None else learning_rate
    beta = np.zeros(X.shape[1])
    history, converged, it = [], False, 0
    for it in range(1, max_iter + 1):  # noqa: B007 - `it` is reported after the loop
        z = Z @ beta
        history.append(float(np.mean(np.logaddexp(0.0, z) - y * z)))
        grad = Z.T @ (sigmoid(z) - y) / n
        if not np.all(np.isfinite(grad)):  # pragma: no cover - sigmoid keeps grad bounded
            raise ValueError("Gradient descent diverged; lower learning_rate.")
        if np.abs(grad).max() <= tol:
            converged = True
            break
        beta = beta - step * grad
    if not converged:
        warnings.warn(f"Gradient descent did not meet its stopping rule in {max_iter} "
                      "iterations; raise max_iter, raise tol, or scale the features.",
                      ConvergenceWarning, stacklevel=3)
    return _unscale(beta, shift, sc, has_intercept), it, converged, history


# --------------------------------------------------------------------------- diagnostics
def vif(X: Any) -> pd.Series:
    """Variance inflation factor of each column: 1 / (1 − R²ⱼ).

    R²ⱼ is the R² of regressing column j on all the other columns plus an intercept; the
    VIF is the factor by which collinearity inflates the variance of coefficient j
    (1 = no inflation; above ~5-10 is usually called serious). Pass the features without
    the intercept column.

    Parameters
    ----------
    X : array-like or DataFrame, shape (n, p)
        Features without the intercept (numbers, no NaN, no constant column).

    Returns
    -------
    Series
        One VIF per column, indexed by column name (inf for an exact linear combination).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a = rng.normal(size=200)
    >>> X = pd.DataFrame({"a": a, "b": a + rng.normal(size=200), "c": rng.normal(size=200)})
    >>> (vif(X).round(1) > [1.5, 1.5, 1.1]).tolist()
    [True, True, False]
    """
    Xa, names = _as_matrix(X)
    if Xa.shape[1] < 2:
        return pd.Series(np.ones(Xa.shape[1]), index=names, name="vif")
    const = [names[j] for j in range(Xa.shape[1]) if np.ptp(Xa[:, j]) == 0]
    if const:
        raise ValueError(f"X column(s) {const} are constant: pass the features without the "
                         "intercept column (VIF regressions add their own).")
    out = []
    for j in range(Xa.shape[1]):
        others = np.delete(Xa, j, axis=1)
        r2 = ols(others, Xa[:, j]).r2
        out.append(np.inf if r2 >= 1 - 1e-12 else 1.0 / (1.0 - r2))
    return pd.Series(out, index=names, name="vif")


# --------------------------------------------------------------------------- estimators
class OLSRegressor(RegressorMixin, BaseEstimator):
    """:func:`ols` as a scikit-learn regressor, for pipelines and cross-validation.

    ``fit`` runs the NumPy implementation (QR, normal equations or gradient descent) and
    keeps its full :class:`OLSResult` in ``result_`` (standard errors, ``summary()``).

    Parameters
    ----------
    method : {"qr", "normal", "gd"}
    fit_intercept : bool
        Add an intercept (``ols(add_intercept=...)``).
    learning_rate, tol, max_iter, scale
        As in :func:`ols`.

    Attributes
    ----------
    coef_ : ndarray, shape (n_features,)
        Slopes (without the intercept), as scikit-learn's ``LinearRegression``.
    intercept_ : float
        0.0 without an intercept.
    result_ : OLSResult
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> model = OLSRegressor().fit(X, [1.1, 2.9, 5.1, 6.9])
    >>> round(model.intercept_, 6), model.coef_.round(6)
    (1.06, array([1.96]))
    """

    def __init__(self, method: str = "qr", fit_intercept: bool = True,
                 learning_rate: float | None = None, tol: float = 1e-12,
                 max_iter: int = 100_000, scale: bool = True):
        self.method = method
        self.fit_intercept = fit_intercept
        self.learning_rate = learning_rate
        self.tol = tol
        self.max_iter = max_iter
        self.scale = scale

    def fit(self, X: Any, y: Any) -> OLSRegressor:
        """Fit by :func:`ols`; return self."""
        intercept = check_bool(self.fit_intercept, "fit_intercept")
        res = ols(X, y, method=self.method, add_intercept=intercept,
                  learning_rate=self.learning_rate, tol=self.tol, max_iter=self.max_iter,
                  scale=self.scale)
        self.result_ = res
        self.coef_ = res.coef[1:] if intercept else res.coef.copy()
        self.intercept_ = float(res.coef[0]) if intercept else 0.0
        self.n_features_in_ = len(self.coef_)
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Predictions Xb for rows with the fitted columns."""
        check_is_fitted(self, "result_")
        return self.result_.predict(X)


class LogisticClassifier(ClassifierMixin, BaseEstimator):
    """:func:`fit_logistic` (Newton/IRLS or gradient descent, unpenalised) as a classifier.

    Labels must be 0/1 (or False/True); ``classes_`` is ``[0, 1]``. The full
    :class:`LogisticResult` is kept in ``result_``.

    Parameters
    ----------
    method : {"newton", "gd"}
    fit_intercept : bool
    tol, max_iter, learning_rate, scale
        As in :func:`fit_logistic`.

    Attributes
    ----------
    coef_ : ndarray, shape (1, n_features)
        Log-odds slopes, laid out as scikit-learn's ``LogisticRegression``.
    intercept_ : ndarray, shape (1,)
    classes_ : ndarray ``[0, 1]``
    result_ : LogisticResult
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]])
    >>> clf = LogisticClassifier().fit(X, [0, 0, 1, 0, 1, 1])
    >>> clf.predict([[0.0], [5.0]])
    array([0, 1])
    >>> clf.predict_proba([[2.5]]).round(3)
    array([[0.5, 0.5]])
    """

    def __init__(self, method: str = "newton", fit_intercept: bool = True, tol: float = 1e-10,
                 max_iter: int | None = None, learning_rate: float | None = None,
                 scale: bool = True):
        self.method = method
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.scale = scale

    def fit(self, X: Any, y: Any) -> LogisticClassifier:
        """Fit by :func:`fit_logistic`; return self."""
        intercept = check_bool(self.fit_intercept, "fit_intercept")
        res = fit_logistic(X, y, method=self.method, add_intercept=intercept, tol=self.tol,
                           max_iter=self.max_iter, learning_rate=self.learning_rate,
                           scale=self.scale)
        self.result_ = res
        slopes = res.coef[1:] if intercept else res.coef
        self.coef_ = slopes.reshape(1, -1).copy()
        self.intercept_ = np.array([res.coef[0] if intercept else 0.0])
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = self.coef_.shape[1]
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Columns P(y = 0), P(y = 1), as scikit-learn's classifiers."""
        check_is_fitted(self, "result_")
        p1 = self.result_.predict_proba(X)
        return np.column_stack([1 - p1, p1])

    def decision_function(self, X: Any) -> np.ndarray:
        """The log-odds xᵀb."""
        check_is_fitted(self, "result_")
        return self.result_._design_for(X) @ self.result_.coef

    def predict(self, X: Any) -> np.ndarray:
        """1 where P(y = 1) > 0.5, else 0."""
        return (self.predict_proba(X)[:, 1] > 0.5).astype(int)


__all__ = ["ConvergenceWarning", "GradientCheck", "IllConditionedWarning", "LogisticClassifier",
           "LogisticResult", "OLSRegressor", "OLSResult", "check_gradient", "fit_logistic", "logistic_grad", "logistic_hessian",
           "logistic_loss", "ols", "repurchase_table", "season_features", "sigmoid", "vif",
           "weekly_acquisition"]
