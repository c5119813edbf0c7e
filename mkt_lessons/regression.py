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

The module also holds the small table builders the lesson needs
(:func:`weekly_acquisition`, :func:`season_features`, :func:`repurchase_table`) and
:func:`vif`, the variance inflation factor.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

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
    """A float copy of ``X`` as an (n, p) array and its column names."""
    if isinstance(X, pd.DataFrame):
        names = [str(c) for c in X.columns]
        for c in X.columns:
            if not (pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c])):
                raise TypeError(f"{arg} column {c!r} has dtype {X[c].dtype}; expected numbers "
                                "(encode categories as 0/1 dummy columns first).")
        arr = X.to_numpy(dtype=float, na_value=np.nan, copy=True)
    elif isinstance(X, pd.Series):
        if not (pd.api.types.is_numeric_dtype(X) or pd.api.types.is_bool_dtype(X)):
            raise TypeError(f"{arg} has dtype {X.dtype}; expected numbers.")
        names = [str(X.name) if X.name is not None else "x1"]
        arr = X.to_numpy(dtype=float, na_value=np.nan, copy=True)[:, None]
    else:
        try:
            arr = np.array(X, dtype=float, copy=True)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{arg} must be numeric (an array or DataFrame of numbers); "
                            f"could not convert it: {exc}") from None
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2:
            raise ValueError(f"{arg} must be 2-D (rows = observations, columns = features); "
                             f"got {arr.ndim} dimensions.")
        names = [f"x{j + 1}" for j in range(arr.shape[1])]
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{arg} is empty (shape {arr.shape}).")
    bad = ~np.isfinite(arr)
    if bad.any():
        cols = [names[j] for j in np.flatnonzero(bad.any(axis=0))]
        raise ValueError(f"{arg} has {int(bad.sum())} missing or infinite value(s) in column(s) "
                         f"{cols}: drop or impute them before fitting.")
    return arr, names


def _as_vector(y: Any, n: int, arg: str = "y") -> np.ndarray:
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(f"{arg} must be one column; got a DataFrame with {y.shape[1]}.")
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series) and not (pd.api.types.is_numeric_dtype(y)
                                         or pd.api.types.is_bool_dtype(y)):
        raise TypeError(f"{arg} has dtype {y.dtype}; expected numbers.")
    try:
        arr = (y.to_numpy(dtype=float, na_value=np.nan, copy=True) if isinstance(y, pd.Series)
               else np.array(y, dtype=float, copy=True))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{arg} must be numeric; could not convert it: {exc}") from None
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{arg} must be 1-D (one value per row of X); got shape {arr.shape}.")
    if len(arr) != n:
        raise ValueError(f"X has {n} rows but {arg} has {len(arr)} values: they must match.")
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValueError(f"{arg} has {int(bad.sum())} missing or infinite value(s): drop those "
                         "rows (from X too) before fitting.")
    return arr


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
    if not isinstance(add_intercept, (bool, np.bool_)):
        raise TypeError(f"add_intercept must be True or False, got {add_intercept!r}.")
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


def _check_method(method: str, allowed: Sequence[str]) -> None:
    if method not in allowed:
        raise ValueError(f"method must be one of {list(allowed)}, got {method!r}.")


def _check_positive(value: float | None, arg: str, *, integer: bool = False) -> None:
    if value is None:
        return
    ok = isinstance(value, (int, np.integer)) if integer else isinstance(value, (int, float, np.number))
    if not ok or isinstance(value, bool) or not value > 0 or not math.isfinite(value):
        kind = "a positive integer" if integer else "a positive number"
        raise ValueError(f"{arg} must be {kind}, got {value!r}.")


# --------------------------------------------------------------------------- results
@dataclass(frozen=True, repr=False)
class _Fit:
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

    def _quantile(self, level: float) -> float:
        if not (isinstance(level, (int, float, np.floating)) and 0 < level < 1):
            raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), got {level!r}.")
        return float(self._dist().ppf(0.5 + level / 2))

    def _dist(self):  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def params(self) -> pd.Series:
        """The coefficients as a Series indexed by column name."""
        return pd.Series(self.coef, index=self.names, name="coef")

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Confidence intervals ``coef ± q·stderr`` (t for OLS, normal for logistic)."""
        q = self._quantile(level)
        return pd.DataFrame({"low": self.coef - q * self.stderr,
                             "high": self.coef + q * self.stderr}, index=self.names)

    def summary(self, level: float = 0.95) -> pd.DataFrame:
        """Coefficient table: coef, stderr, statistic, p_value and the ``level`` interval."""
        stat = self.coef / self.stderr
        p = 2 * self._dist().sf(np.abs(stat))
        ci = self.conf_int(level)
        return pd.DataFrame({"coef": self.coef, "stderr": self.stderr, "statistic": stat,
                             "p_value": p, "ci_low": ci["low"].to_numpy(),
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
    _check_method(method, OLS_METHODS)
    _check_positive(learning_rate, "learning_rate")
    _check_positive(tol, "tol")
    _check_positive(max_iter, "max_iter", integer=True)
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
    """1 / (1 + e^(−z)), computed without overflow for large |z|."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _lowlevel(coef: Any, X: Any, y: Any | None = None):
    b = np.asarray(coef, dtype=float)
    Xa = np.asarray(X, dtype=float)
    if Xa.ndim != 2:
        raise ValueError(f"X must be 2-D, got shape {Xa.shape}.")
    if b.shape != (Xa.shape[1],):
        raise ValueError(f"coef must have one value per column of X ({Xa.shape[1]}), "
                         f"got shape {b.shape}.")
    if y is None:
        return b, Xa, None
    ya = np.asarray(y, dtype=float)
    if ya.shape != (Xa.shape[0],):
        raise ValueError(f"X has {Xa.shape[0]} rows but y has shape {ya.shape}: they must match.")
    return b, Xa, ya


def logistic_loss(coef: Any, X: Any, y: Any) -> float:
    """Mean cross-entropy −(1/n) Σ [y log p + (1 − y) log(1 − p)], p = σ(Xb).

    Written as mean(log(1 + e^z) − y·z) with z = Xb, which never takes log(0).
    ``X`` is the design matrix as given (include the intercept column yourself).
    """
    b, Xa, ya = _lowlevel(coef, X, y)
    z = Xa @ b
    return float(np.mean(np.logaddexp(0.0, z) - ya * z))


def logistic_grad(coef: Any, X: Any, y: Any) -> np.ndarray:
    """Gradient of :func:`logistic_loss`: Xᵀ(p − y)/n.

    The σ'(z) = p(1 − p) from the chain rule cancels against the 1/p and 1/(1 − p) of the
    log: there is no sigmoid-derivative factor left in the gradient.
    """
    b, Xa, ya = _lowlevel(coef, X, y)
    return Xa.T @ (sigmoid(Xa @ b) - ya) / len(ya)


def logistic_hessian(coef: Any, X: Any) -> np.ndarray:
    """Hessian of :func:`logistic_loss`: XᵀWX/n with W = diag(p(1 − p))."""
    b, Xa, _ = _lowlevel(coef, X)
    p = sigmoid(Xa @ b)
    return Xa.T @ (Xa * (p * (1 - p))[:, None]) / len(Xa)


@dataclass(frozen=True)
class GradientCheck:
    """Result of :func:`check_gradient`."""

    analytic: np.ndarray
    numeric: np.ndarray
    max_abs_error: float
    rel_error: float  # ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖)

    def ok(self, tol: float = 1e-6) -> bool:
        """True if every component agrees to ``tol`` (absolute)."""
        return self.max_abs_error <= tol


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
    """
    _check_positive(eps, "eps")
    x0 = np.array(x, dtype=float, copy=True)
    if x0.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x0.shape}.")
    analytic = np.asarray(grad(x0.copy()), dtype=float)
    if analytic.shape != x0.shape:
        raise ValueError(f"grad(x) returned shape {analytic.shape}; expected {x0.shape}.")
    numeric = np.empty_like(x0)
    for i in range(len(x0)):
        step = np.zeros_like(x0)
        step[i] = eps
        numeric[i] = (float(fun(x0 + step)) - float(fun(x0 - step))) / (2 * eps)
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
    _check_method(method, LOGISTIC_METHODS)
    _check_positive(tol, "tol")
    _check_positive(max_iter, "max_iter", integer=True)
    _check_positive(learning_rate, "learning_rate")
    yv = _as_vector(y, _as_matrix(X)[0].shape[0])
    if not np.isin(yv, (0.0, 1.0)).all():
        raise ValueError("y must contain only 0 and 1 (or False/True); found "
                         f"{sorted(set(np.unique(yv)) - {0.0, 1.0})[:5]}.")
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

    Returns
    -------
    Series
        One VIF per column, indexed by column name (inf for an exact linear combination).
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


# --------------------------------------------------------------------------- lesson tables
def weekly_acquisition(customers: pd.DataFrame, spend: pd.DataFrame,
                       orders: pd.DataFrame | None = None, *, end: Any = None,
                       signup_col: str = "signup_date", customer_col: str = "customer_id",
                       week_col: str = "week_start", channel_col: str = "channel",
                       spend_col: str = "spend", order_col: str = "order_id",
                       date_col: str = "order_date", amount_col: str = "revenue") -> pd.DataFrame:
    """One row per spend week: spend per channel, new customers and first-order revenue.

    Weeks run Sunday to Saturday and are labelled by their Sunday (``week_col`` of
    ``spend``). New customers are counted by signup week; ``first_order_revenue`` (only
    when ``orders`` is given) is the revenue of each new customer's first order.
    ``days_in_window`` counts the week's days up to ``end`` (default: the last signup
    date) so a partial final week can be seen and dropped; nothing is dropped here.

    Returns
    -------
    DataFrame
        ``week_start``, one spend column per channel (in the order they first appear),
        ``new_customers``, [``first_order_revenue``], ``days_in_window``.
    """
    for name, df, cols in (("customers", customers, [signup_col, customer_col]),
                           ("spend", spend, [week_col, channel_col, spend_col])):
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"{name} must be a DataFrame, got {type(df).__name__}.")
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise ValueError(f"{name} lacks column(s) {missing}.")
    if spend.duplicated([week_col, channel_col]).any():
        raise ValueError(f"spend has more than one row for some ({week_col}, {channel_col}).")
    weeks = pd.to_datetime(spend[week_col])
    channels = list(dict.fromkeys(spend[channel_col].astype(str)))
    wide = (spend.assign(**{week_col: weeks, channel_col: spend[channel_col].astype(str)})
            .pivot(index=week_col, columns=channel_col, values=spend_col)
            .reindex(columns=channels).fillna(0.0))
    wide.columns.name = None
    signup = pd.to_datetime(customers[signup_col])
    signup_week = signup.dt.to_period("W-SAT").dt.start_time
    outside = ~signup_week.isin(wide.index)
    if outside.any():
        raise ValueError(f"{int(outside.sum())} customers signed up in weeks that spend does not "
                         f"cover (e.g. {signup.loc[outside].iloc[0]:%Y-%m-%d}): pass matching "
                         "tables or filter customers first.")
    out = wide.assign(new_customers=signup_week.value_counts().reindex(wide.index, fill_value=0)
                      .astype("int64"))
    if orders is not None:
        missing = [c for c in (customer_col, order_col, date_col, amount_col)
                   if c not in orders.columns]
        if missing:
            raise ValueError(f"orders lacks column(s) {missing}.")
        first = (orders.sort_values([date_col, order_col])
                 .drop_duplicates(customer_col)[[customer_col, order_col]])
        rev = (orders.merge(first, on=[customer_col, order_col])
               .groupby(customer_col)[amount_col].sum())
        week_of = pd.Series(signup_week.to_numpy(), index=customers[customer_col].to_numpy())
        by_week = rev.groupby(week_of.reindex(rev.index).to_numpy()).sum()
        out["first_order_revenue"] = by_week.reindex(out.index, fill_value=0.0).to_numpy()
    end = signup.max() if end is None else pd.Timestamp(end)
    out["days_in_window"] = np.clip((end - out.index).days + 1, 0, 7).astype("int64")
    return out.reset_index(names=week_col)


def season_features(week_start: Any, *, holiday: tuple[str, str] = ("11-10", "12-22"),
                    period_days: float = 365.25) -> pd.DataFrame:
    """Season controls for weekly data, evaluated at each week's midpoint (start + 3 days).

    ``yearly_cos`` / ``yearly_sin`` are cos and sin of 2π·day-of-year/period: together
    they fit a yearly wave of any phase. ``holiday`` is 1 for weeks whose midpoint falls in
    the holiday trading period (``"MM-DD"`` start and end, inclusive), else 0.
    """
    ws = pd.DatetimeIndex(pd.to_datetime(week_start))
    mid = ws + pd.Timedelta(days=3)
    angle = 2 * np.pi * np.asarray(mid.day_of_year, dtype=float) / period_days
    md = np.asarray(mid.strftime("%m-%d"))
    lo, hi = holiday
    if not (len(lo) == len(hi) == 5 and lo[2] == hi[2] == "-"):
        raise ValueError(f"holiday must be ('MM-DD', 'MM-DD'), got {holiday!r}.")
    flag = ((md >= lo) & (md <= hi)) if lo <= hi else ((md >= lo) | (md <= hi))
    return pd.DataFrame({"yearly_cos": np.cos(angle), "yearly_sin": np.sin(angle),
                         "holiday": flag.astype(float)})


def repurchase_table(orders: pd.DataFrame, cutoff: Any, *, horizon_days: int = 90,
                     customer_col: str = "customer_id", order_col: str = "order_id",
                     date_col: str = "order_date", amount_col: str = "revenue") -> pd.DataFrame:
    """Features at ``cutoff`` and whether each customer buys again within the horizon.

    Uses only orders on or before ``cutoff`` for the features (no leakage) and orders in
    (cutoff, cutoff + horizon_days] for the label; customers with no order by the cut-off
    are not in the table.

    Returns
    -------
    DataFrame
        ``customer_id``, ``recency_days`` (cutoff − last order), ``frequency`` (distinct
        orders), ``monetary`` (total revenue), ``tenure_days`` (cutoff − first order),
        ``repurchased`` (0/1).
    """
    missing = [c for c in (customer_col, order_col, date_col, amount_col) if c not in orders]
    if missing:
        raise ValueError(f"orders lacks column(s) {missing}.")
    _check_positive(horizon_days, "horizon_days", integer=True)
    cut = pd.Timestamp(cutoff)
    dates = pd.to_datetime(orders[date_col])
    past = orders[dates <= cut].assign(**{date_col: dates[dates <= cut]})
    g = past.groupby(customer_col)
    table = pd.DataFrame({
        "recency_days": (cut - g[date_col].max()).dt.days,
        "frequency": g[order_col].nunique(),
        "monetary": g[amount_col].sum(),
        "tenure_days": (cut - g[date_col].min()).dt.days,
    })
    future = (dates > cut) & (dates <= cut + pd.Timedelta(days=horizon_days))
    buyers = set(orders.loc[future, customer_col])
    table["repurchased"] = table.index.isin(buyers).astype("int64")
    return table.rename_axis(customer_col).reset_index()


__all__ = ["ConvergenceWarning", "GradientCheck", "IllConditionedWarning", "LogisticResult",
           "OLSResult", "check_gradient", "fit_logistic", "logistic_grad", "logistic_hessian",
           "logistic_loss", "ols", "repurchase_table", "season_features", "sigmoid", "vif",
           "weekly_acquisition"]
