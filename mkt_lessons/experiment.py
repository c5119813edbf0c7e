"""A/B tests (lesson 07): conversion and revenue tests, design, SRM, CUPED, peeking.

Conventions used throughout: the *first* group is the control (A), the *second* the
treatment (B), and every difference is **treatment minus control** (B - A), so a positive
number means the treatment did better. Relative lift is ``p_B / p_A - 1``.

:func:`two_proportion_ztest` (conversion), :func:`welch_ttest` (revenue per visitor),
:func:`sample_size_two_proportions` and :func:`power_two_proportions` (design),
:func:`srm_check` (sample-ratio mismatch), :func:`cuped` (variance reduction with a
pre-period covariate), :func:`simulate_peeking` (why stopping at the first p < 0.05
inflates false positives).

Results are frozen dataclasses (:mod:`mkt_lessons._results`) with the package's spelling:
``statistic``, ``pvalue``, ``alpha``, ``ci_low``, ``ci_high``.

The bandit policies and :func:`simulate_bandit` live in :mod:`mkt_lessons.bandits`; they
are re-exported here so that ``from mkt_lessons.experiment import UCB1`` keeps working.

Examples
--------
>>> r = two_proportion_ztest(20, 1000, 32, 3000)
>>> r.significant, bool(r.ci_high < 0)       # the test and its interval agree
(True, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mkt_lessons._results import Result, TestResult
from mkt_lessons._validation import check_1d, check_int, check_option, check_real, describe
from mkt_lessons.bandits import (  # noqa: F401 - re-exported: v1 imported them from here
    UCB1,
    BanditPolicy,
    EpsilonGreedy,
    ExploreThenCommit,
    ThompsonSampling,
    simulate_bandit,
)

__all__ = [
    "TwoProportionResult", "two_proportion_ztest", "WelchResult", "welch_ttest",
    "sample_size_two_proportions", "power_two_proportions", "SRMResult", "srm_check",
    "CupedResult", "cuped", "PeekingResult", "simulate_peeking",
    # re-exported from mkt_lessons.bandits (v1 names)
    "BanditPolicy", "EpsilonGreedy", "UCB1", "ThompsonSampling", "ExploreThenCommit",
    "simulate_bandit",
]

_ALTERNATIVES = ("two-sided", "larger", "smaller")


# --------------------------------------------------------------------------- validation
def _check_alpha(alpha, name: str = "alpha") -> float:
    return check_real(alpha, name, low=0.0, high=1.0, low_open=True, high_open=True)


def _check_rate(p, name: str) -> float:
    return check_real(p, f"{name} (a rate)", low=0.0, high=1.0, low_open=True, high_open=True)


def _numbers(values, name: str, *, counts: bool = False) -> np.ndarray:
    """A number or an array (any shape) of finite numbers, as a float array.

    ``counts``: a single value must be an integer (``check_int``: 1.5 and 5.0 are refused
    with a TypeError, like every count in the package); arrays must hold whole numbers.
    """
    if isinstance(values, (bool, np.bool_)) or values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a number or an array of numbers, got {describe(values)}")
    if np.ndim(values) == 0:
        if counts:
            return np.asarray(float(check_int(values, name)))
        return np.asarray(check_real(values, name))
    arr = np.asarray(values)
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be numbers, got {describe(arr)} (convert with pd.to_numeric)")
    arr = arr.astype(float)
    if arr.size == 0:
        raise ValueError(f"{name} is empty: there is nothing to test")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} has {int((~np.isfinite(arr)).sum()):,} missing or infinite "
                         "value(s) (NaN/inf)")
    return arr


def _check_counts(x, n, xname: str, nname: str) -> tuple[np.ndarray, np.ndarray]:
    x_arr, n_arr = _numbers(x, xname, counts=True), _numbers(n, nname, counts=True)
    if (n_arr <= 0).any():
        raise ValueError(f"{nname} (number of visitors) must be > 0, got {n}")
    if (x_arr < 0).any():
        raise ValueError(f"{xname} (number of conversions) must be >= 0, got {x}")
    if (x_arr != np.round(x_arr)).any() or (n_arr != np.round(n_arr)).any():
        raise ValueError(f"{xname} and {nname} must be whole numbers (counts)")
    try:
        over = (x_arr > n_arr).any()
    except ValueError:
        raise ValueError(f"{xname} and {nname} must have shapes that broadcast, got "
                         f"{x_arr.shape} and {n_arr.shape}") from None
    if over:
        raise ValueError(f"{xname} (conversions) cannot exceed {nname} (visitors): "
                         f"got {xname}={x}, {nname}={n}")
    return x_arr, n_arr


def _check_alternative(alternative) -> str:
    return check_option(alternative, "alternative", _ALTERNATIVES)


def _scalar(a):
    """0-d results as a plain float; arrays unchanged."""
    return float(a) if np.ndim(a) == 0 else a


def _p_value(z, alternative: str):
    from scipy import stats

    if alternative == "two-sided":
        return 2 * stats.norm.sf(np.abs(z))
    if alternative == "larger":
        return stats.norm.sf(z)
    return stats.norm.cdf(z)


# --------------------------------------------------------------------------- score interval
def _restricted_mle(pa, pb, na, nb, delta):
    """Farrington & Manning (1990): MLE of (pa, pb) under H: pa - pb = delta (closed form)."""
    theta = nb / na
    a = 1.0 + theta
    b = -(1.0 + theta + pa + theta * pb + delta * (theta + 2.0))
    c = delta**2 + delta * (2.0 * pa + theta + 1.0) + pa + theta * pb
    d = -pa * delta * (1.0 + delta)
    v = b**3 / (27 * a**3) - b * c / (6 * a**2) + d / (2 * a)
    u = np.sign(v) * np.sqrt(np.maximum(b**2 / (9 * a**2) - c / (3 * a), 0.0))
    u = np.where(u == 0, 1e-300, u)  # v = 0 as well then: acos(0) is the limit
    w = (math.pi + np.arccos(np.clip(v / u**3, -1.0, 1.0))) / 3.0
    qa = np.clip(2 * u * np.cos(w) - b / (3 * a), 0.0, 1.0)
    qb = np.clip(qa - delta, 0.0, 1.0)
    return qa, qb


def _score_z(pa, pb, na, nb, delta):
    """Score statistic of H: pa - pb = delta (variance at the restricted MLE); decreasing in delta."""
    qa, qb = _restricted_mle(pa, pb, na, nb, delta)
    var = qa * (1 - qa) / na + qb * (1 - qb) / nb
    num = pa - pb - delta
    with np.errstate(divide="ignore", invalid="ignore"):
        z = num / np.sqrt(var)
    return np.where(var > 0, z, np.where(num == 0, 0.0, np.sign(num) * np.inf))


def _score_interval(pa, pb, na, nb, zc, max_iter: int = 100, tol: float = 1e-13):
    """The delta with |score z| <= zc: inverts the test, so it excludes 0 iff the pooled z-test
    rejects (at delta = 0 the restricted MLE is the pooled rate).

    Vectorised root finding of ``arctan(z(delta)) = arctan(+-zc)`` (bounded, so no infinities
    near delta = -1 or 1) by the Illinois variant of regula falsi, started from a bracket two
    Wald half-widths wide where that brackets the root, else from the whole range.
    """
    diff = pa - pb
    wald = np.sqrt(np.maximum(pa * (1 - pa), 0.25 / na) / na + np.maximum(pb * (1 - pb), 0.25 / nb) / nb)
    out = []
    for sign in (1.0, -1.0):  # lower end (z = +zc), then upper end (z = -zc)
        target = np.arctan(sign * zc)

        def f(delta, target=target):
            return np.arctan(_score_z(pa, pb, na, nb, delta)) - target

        far = -sign * np.ones_like(diff)  # -1 for the lower end, +1 for the upper end
        near = np.clip(diff - sign * 3 * zc * wald, -1.0, 1.0)
        f_near = f(near)
        ok = np.sign(f_near) == sign  # the near point lies beyond the root
        a = np.where(ok, near, far)
        fa = np.where(ok, f_near, f(far))
        b, fb = diff.astype(float), f(diff)
        for _ in range(max_iter):
            with np.errstate(divide="ignore", invalid="ignore"):
                c = b - fb * (b - a) / (fb - fa)
            c = np.where(np.isfinite(c) & (np.minimum(a, b) <= c) & (c <= np.maximum(a, b)),
                         c, (a + b) / 2)
            fc = f(c)
            flip = np.sign(fc) != np.sign(fb)
            a, fa = np.where(flip, b, a), np.where(flip, fb, fa / 2)
            b, fb = c, fc
            if (np.abs(b - a) <= tol).all() or ((np.abs(b - a) <= tol) | (fb == 0)).all():
                break
        out.append(b)
    return out[0], out[1]


# --------------------------------------------------------------------------- z-test
def _pooled_z(x1, n1, x2, n2):
    """The pooled two-proportion z statistic of p2 - p1 (0 when nobody or everybody converts)."""
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    se0 = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(se0 > 0, (p2 - p1) / np.where(se0 > 0, se0, 1.0), 0.0)


def _pooled_pvalue(x1, n1, x2, n2):
    """Two-sided p-value of the pooled z-test (the test only: simulations need no interval)."""
    return _p_value(_pooled_z(x1, n1, x2, n2), "two-sided")


@dataclass(frozen=True)
class TwoProportionResult(TestResult):
    """Result of :func:`two_proportion_ztest` (arrays if the inputs were arrays).

    Attributes
    ----------
    statistic, pvalue, alpha : float
        The pooled z statistic, its p-value and the level of the intervals.
    p_control, p_treatment : float
        Observed conversion rates.
    diff : float
        ``p_treatment - p_control``; the ``estimate`` the interval is for.
    ci_low, ci_high : float
        Confidence interval of ``diff`` (``ci_method``: ``"score"`` by default).
    relative_lift, lift_ci_low, lift_ci_high : float
        ``p_treatment / p_control - 1`` and its log-ratio (Katz) interval.
    ci_method : str
        ``"score"`` (consistent with the test) or ``"wald"``.
    """

    p_control: float
    p_treatment: float
    diff: float
    ci_low: float
    ci_high: float
    relative_lift: float
    lift_ci_low: float
    lift_ci_high: float
    ci_method: str = "score"

    @property
    def estimate(self) -> float:
        """The difference the interval is for (``diff``)."""
        return self.diff

    @property
    def ci(self) -> tuple[float, float]:
        """Confidence interval of the difference, ``(low, high)``."""
        return (self.ci_low, self.ci_high)

    @property
    def lift_ci(self) -> tuple[float, float]:
        """Confidence interval of the relative lift, ``(low, high)``."""
        return (self.lift_ci_low, self.lift_ci_high)


def two_proportion_ztest(x1, n1, x2, n2, *, alpha: float = 0.05,
                         alternative: str = "two-sided",
                         ci_method: str = "score") -> TwoProportionResult:
    """Two-proportion z-test of conversion rates, with confidence intervals.

    Group 1 is the control, group 2 the treatment; the difference is ``p2 - p1``.

    The test statistic uses the *pooled* rate under H0 (both arms convert alike):
    ``z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2))`` with ``p = (x1 + x2) / (n1 + n2)``.

    The interval for the difference is by default the **score interval of Farrington &
    Manning (1990)**, the Miettinen-Nurminen interval without its small-sample factor
    N / (N - 1): every difference ``delta`` for which the score test of
    ``H: p2 - p1 = delta`` (variance at the restricted maximum-likelihood rates) does not
    reject. At ``delta = 0`` that test *is* the pooled z-test above, so the two-sided test
    and the interval always agree: ``pvalue < alpha`` exactly when the interval excludes 0.
    (The unpooled Wald interval of v1, ``ci_method="wald"``, can disagree with the pooled
    test: 20/1000 vs 32/3000 gives p = 0.024 with a Wald interval containing 0.)

    The interval for the relative lift ``p2 / p1 - 1`` is computed on the log scale (Katz):
    ``log(p2/p1) +- z sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2)``.

    Parameters
    ----------
    x1, n1 : int or array of int
        Conversions and visitors of the control. Arrays (same shape) test many at once.
    x2, n2 : int or array of int
        Conversions and visitors of the treatment.
    alpha : float
        1 - confidence level of the intervals, in (0, 1).
    alternative : {"two-sided", "larger", "smaller"}
        "larger" tests H1: p2 > p1. Intervals are always two-sided (so they match the
        two-sided test).
    ci_method : {"score", "wald"}
        The interval of the difference (see above).

    Returns
    -------
    TwoProportionResult
        ``statistic``, ``pvalue``, ``alpha``, ``ci_low``/``ci_high``, ``diff`` and more.

    Raises
    ------
    TypeError
        If a count is not a number.
    ValueError
        If a count is negative or not whole, ``n <= 0`` or ``x > n``.

    Examples
    --------
    >>> r = two_proportion_ztest(300, 10_000, 345, 10_000)
    >>> round(r.diff, 4), round(r.pvalue, 3)
    (0.0045, 0.072)
    >>> r.ci_low < 0 < r.ci_high
    True
    """
    alpha = _check_alpha(alpha)
    _check_alternative(alternative)
    check_option(ci_method, "ci_method", ["score", "wald"])
    x1, n1 = _check_counts(x1, n1, "x1", "n1")
    x2, n2 = _check_counts(x2, n2, "x2", "n2")
    from scipy import stats

    x1, n1, x2, n2 = np.broadcast_arrays(x1, n1, x2, n2)
    p1, p2 = x1 / n1, x2 / n2
    diff = p2 - p1
    z = _pooled_z(x1, n1, x2, n2)
    pvalue = _p_value(z, alternative)
    zc = stats.norm.isf(alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        if ci_method == "score":
            ci_low, ci_high = _score_interval(p2, p1, n2, n1, zc)
        else:
            half = zc * np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
            ci_low, ci_high = diff - half, diff + half
        ratio = p2 / p1
        half_log = zc * np.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
        lift_low = np.exp(np.log(ratio) - half_log) - 1
        lift_high = np.exp(np.log(ratio) + half_log) - 1
    return TwoProportionResult(
        statistic=_scalar(np.asarray(z, dtype=float)), pvalue=_scalar(np.asarray(pvalue)),
        alpha=alpha, p_control=_scalar(p1), p_treatment=_scalar(p2), diff=_scalar(diff),
        ci_low=_scalar(ci_low), ci_high=_scalar(ci_high),
        relative_lift=_scalar(ratio - 1), lift_ci_low=_scalar(lift_low),
        lift_ci_high=_scalar(lift_high), ci_method=ci_method)


# --------------------------------------------------------------------------- Welch
@dataclass(frozen=True)
class WelchResult(TestResult):
    """Result of :func:`welch_ttest`.

    Attributes
    ----------
    statistic, pvalue, alpha : float
        Welch's t, its p-value and the level of the interval.
    mean_control, mean_treatment : float
    diff : float
        mean(treatment) - mean(control) (also ``estimate``).
    df : float
        Welch-Satterthwaite degrees of freedom.
    ci_low, ci_high : float
        Confidence interval of ``diff`` (two-sided, level 1 - alpha).
    """

    mean_control: float
    mean_treatment: float
    diff: float
    df: float
    ci_low: float
    ci_high: float

    @property
    def estimate(self) -> float:
        """The difference the interval is for (``diff``)."""
        return self.diff

    @property
    def ci(self) -> tuple[float, float]:
        """Confidence interval of the difference in means, ``(low, high)``."""
        return (self.ci_low, self.ci_high)


def welch_ttest(control, treatment, *, alpha: float = 0.05,
                alternative: str = "two-sided") -> WelchResult:
    """Welch's t-test for a difference in means (unequal variances), e.g. revenue per visitor.

    ``t = (mean_B - mean_A) / sqrt(s_A^2/n_A + s_B^2/n_B)`` with the Welch-Satterthwaite
    degrees of freedom. By the central limit theorem it is valid for skewed metrics such as
    revenue when samples are large, but heavy tails make it *noisy*: a few big orders move
    the mean (see CUPED and winsorising in the lesson).

    Parameters
    ----------
    control, treatment : array-like of float
        One value per visitor (zeros included for visitors who did not buy); at least two
        each, not all identical in both groups.
    alpha : float
        1 - confidence level of the interval.
    alternative : {"two-sided", "larger", "smaller"}
        "larger" tests H1: mean(treatment) > mean(control).

    Returns
    -------
    WelchResult

    Examples
    --------
    >>> r = welch_ttest([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0])
    >>> round(r.diff, 2), round(r.df, 2)
    (2.5, 4.41)
    """
    alpha = _check_alpha(alpha)
    _check_alternative(alternative)
    a = check_1d(control, "control", min_len=2)
    b = check_1d(treatment, "treatment", min_len=2)
    from scipy import stats

    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    if se == 0:
        raise ValueError("control and treatment both have zero variance: nothing to test")
    diff = float(b.mean() - a.mean())
    t = diff / se
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    if alternative == "two-sided":
        p = 2 * stats.t.sf(abs(t), df)
    elif alternative == "larger":
        p = stats.t.sf(t, df)
    else:
        p = stats.t.cdf(t, df)
    half = stats.t.isf(alpha / 2, df) * se
    return WelchResult(statistic=float(t), pvalue=float(p), alpha=alpha,
                       mean_control=float(a.mean()), mean_treatment=float(b.mean()), diff=diff,
                       df=float(df), ci_low=float(diff - half), ci_high=float(diff + half))


# --------------------------------------------------------------------------- design
def sample_size_two_proportions(p1: float, p2: float, alpha: float = 0.05,
                                power: float = 0.8, *,
                                alternative: str = "two-sided") -> int:
    """Visitors needed *per arm* to detect conversion ``p1`` -> ``p2`` with a z-test.

    The textbook normal-approximation formula (Fleiss, Levin & Paik, *Statistical Methods
    for Rates and Proportions*, 3rd ed., eq. 4.14, without continuity correction), with the
    pooled variance under H0 and the unpooled variance under H1::

        n = (z_{1-a/2} sqrt(2 pbar (1 - pbar)) + z_{power} sqrt(p1 q1 + p2 q2))^2 / (p2 - p1)^2

    where ``pbar = (p1 + p2) / 2`` and ``z_{1-a/2}`` becomes ``z_{1-a}`` for one-sided
    tests. The far tail of a two-sided test is ignored (it adds < 0.1% power for any
    realistic lift). The result is rounded up.

    Parameters
    ----------
    p1, p2 : float
        Baseline (control) and hoped-for (treatment) conversion rates, each in (0, 1).
    alpha : float
        Significance level (false-positive rate).
    power : float
        Probability of detecting the effect if it is real (1 - false-negative rate).
    alternative : {"two-sided", "larger", "smaller"}

    Returns
    -------
    int
        Visitors per arm.

    Examples
    --------
    >>> sample_size_two_proportions(0.03, 0.0345)
    24193
    """
    p1, p2 = _check_rate(p1, "p1"), _check_rate(p2, "p2")
    alpha, power = _check_alpha(alpha), _check_alpha(power, "power")
    _check_alternative(alternative)
    if p1 == p2:
        raise ValueError("p1 and p2 must differ: no sample size detects a zero effect")
    from scipy import stats

    za = stats.norm.isf(alpha / 2 if alternative == "two-sided" else alpha)
    zb = stats.norm.ppf(power)
    pbar = (p1 + p2) / 2
    num = za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(num**2 / (p2 - p1) ** 2)


def power_two_proportions(p1: float, p2: float, n, alpha: float = 0.05, *,
                          alternative: str = "two-sided"):
    """Power of the two-proportion z-test with ``n`` visitors per arm.

    The normal approximation of :func:`sample_size_two_proportions` (pooled variance under
    H0, unpooled under H1), counting both rejection regions of a two-sided test. ``n`` may
    be an array (a power curve).

    Examples
    --------
    >>> round(power_two_proportions(0.03, 0.0345, 24_193), 3)
    0.8
    """
    p1, p2 = _check_rate(p1, "p1"), _check_rate(p2, "p2")
    alpha = _check_alpha(alpha)
    _check_alternative(alternative)
    n_arr = _numbers(n, "n")
    if (n_arr <= 0).any():
        raise ValueError(f"n (visitors per arm) must be > 0, got {n}")
    from scipy import stats

    za = stats.norm.isf(alpha / 2 if alternative == "two-sided" else alpha)
    pbar = (p1 + p2) / 2
    s0 = math.sqrt(2 * pbar * (1 - pbar))
    s1 = math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    shift = (p2 - p1) * np.sqrt(n_arr)
    if alternative == "two-sided":
        power = stats.norm.cdf((shift - za * s0) / s1) + stats.norm.cdf((-shift - za * s0) / s1)
    elif alternative == "larger":
        power = stats.norm.cdf((shift - za * s0) / s1)
    else:
        power = stats.norm.cdf((-shift - za * s0) / s1)
    return _scalar(power)


@dataclass(frozen=True)
class SRMResult(TestResult):
    """Result of :func:`srm_check`: chi-square goodness of fit of the arm sizes.

    Attributes
    ----------
    statistic, pvalue : float
        Chi-square statistic and its p-value.
    alpha : float
        The threshold below which a mismatch is flagged (``threshold`` of the call).
    mismatch : bool
        ``pvalue < alpha``: the split is not what the design promised.
    table : DataFrame
        Observed and expected visitors and shares per arm.
    """

    mismatch: bool
    table: pd.DataFrame = field(repr=False)

    @property
    def threshold(self) -> float:
        """The v1 name of ``alpha``."""
        return self.alpha


def srm_check(counts, expected_shares=None, *, threshold: float = 0.001) -> SRMResult:
    """Sample-ratio-mismatch check: do the arms have the sizes the design promised?

    A chi-square goodness-of-fit test of observed visitors per arm against the planned
    split. A tiny p-value (below ``threshold``; 0.001 is the usual, conservative choice
    because the check runs on every test) means the randomisation or the logging is
    broken, and the test's results should not be trusted until the cause is found.

    Parameters
    ----------
    counts : mapping, Series or sequence of int
        Visitors per arm, e.g. ``df["variant"].value_counts()``.
    expected_shares : mapping or sequence of float, optional
        Planned share of each arm (normalised to sum to 1). Default: equal split.
    threshold : float
        p-value below which a mismatch is flagged.

    Returns
    -------
    SRMResult
        ``statistic``, ``pvalue``, ``mismatch`` and a ``table`` of observed vs expected.

    Examples
    --------
    >>> r = srm_check({"control": 10_000, "treatment": 10_400})
    >>> round(r.pvalue, 4), r.mismatch
    (0.0051, False)
    """
    threshold = _check_alpha(threshold, "threshold")
    if isinstance(counts, Mapping | pd.Series):
        labels = list(counts.keys() if isinstance(counts, Mapping) else counts.index)
        obs = check_1d(list(counts.values()) if isinstance(counts, Mapping)
                       else counts.to_numpy(), "counts", min_len=2)
    else:
        obs = check_1d(counts, "counts", min_len=2)
        labels = list(range(obs.size))
    if obs.size < 2:
        raise ValueError(f"counts needs at least 2 arms, got {obs.size}")
    if (obs < 0).any() or (obs != np.round(obs)).any():
        raise ValueError("counts must be whole numbers >= 0")
    if obs.sum() <= 0:
        raise ValueError("counts are all zero: no visitors to check")
    if expected_shares is None:
        shares = np.full(obs.size, 1 / obs.size)
    else:
        if isinstance(expected_shares, Mapping):
            missing = [lab for lab in labels if lab not in expected_shares]
            if missing:
                raise ValueError(f"expected_shares lacks the arm(s) {missing}")
            expected_shares = [expected_shares[lab] for lab in labels]
        shares = check_1d(expected_shares, "expected_shares")
        if shares.size != obs.size:
            raise ValueError(f"expected_shares has {shares.size} entries for {obs.size} arms")
        if (shares <= 0).any():
            raise ValueError("expected_shares must all be > 0")
        shares = shares / shares.sum()
    from scipy import stats

    expected = shares * obs.sum()
    chi2 = float(((obs - expected) ** 2 / expected).sum())
    pvalue = float(stats.chi2.sf(chi2, obs.size - 1))
    table = pd.DataFrame({"arm": labels, "observed": obs.astype(int), "expected": expected,
                          "observed_share": obs / obs.sum(), "expected_share": shares})
    return SRMResult(statistic=chi2, pvalue=pvalue, alpha=threshold,
                     mismatch=bool(pvalue < threshold), table=table)


# --------------------------------------------------------------------------- CUPED
@dataclass(frozen=True)
class CupedResult(Result):
    """Result of :func:`cuped`.

    Attributes
    ----------
    adjusted : ndarray
        The adjusted metric, in the order of the input.
    theta : float
        The coefficient used (estimated or given).
    variance_reduction : float
        1 - var(adjusted) / var(metric).
    """

    adjusted: np.ndarray = field(repr=False)
    theta: float
    variance_reduction: float


def cuped(metric, covariate, *, theta: float | None = None) -> CupedResult:
    """CUPED (Deng et al. 2013): remove the part of a metric a pre-period covariate predicts.

    ``adjusted = metric - theta (covariate - mean(covariate))`` with
    ``theta = cov(metric, covariate) / var(covariate)`` estimated on *all* visitors of both
    arms together (the covariate is measured before randomisation, so it cannot be affected
    by the treatment and the adjustment leaves the difference in means unbiased). The
    adjusted metric has the same mean and a variance smaller by the factor
    ``1 - corr(metric, covariate)^2``: the same test needs fewer visitors.

    Parameters
    ----------
    metric : array-like of float
        The outcome per visitor (e.g. revenue), both arms together.
    covariate : array-like of float
        A pre-experiment measurement per visitor (e.g. sessions in the previous month).
    theta : float, optional
        Use this coefficient instead of estimating it.

    Returns
    -------
    CupedResult
        ``adjusted`` (array, same order as the input), ``theta`` and ``variance_reduction``
        (1 - var(adjusted) / var(metric)).

    Examples
    --------
    >>> r = cuped([1.0, 2.0, 3.0, 5.0], [0.0, 1.0, 2.0, 3.0])
    >>> round(r.theta, 2), r.adjusted.round(2).tolist()
    (1.3, [2.95, 2.65, 2.35, 3.05])
    """
    y = check_1d(metric, "metric", min_len=2)
    x = check_1d(covariate, "covariate", min_len=2)
    if y.size != x.size:
        raise ValueError(f"metric and covariate must have the same length, got {y.size} "
                         f"and {x.size}")
    theta = check_real(theta, "theta", allow_none=True)
    xc = x - x.mean()
    if theta is None:
        vx = float(xc @ xc)
        if vx == 0:
            raise ValueError("covariate is constant: it cannot explain any variance")
        theta = float(xc @ (y - y.mean()) / vx)
    else:
        theta = float(theta)
    adjusted = y - theta * xc
    vy = y.var()
    reduction = 1 - adjusted.var() / vy if vy > 0 else 0.0
    return CupedResult(adjusted, theta, float(reduction))


# --------------------------------------------------------------------------- peeking
@dataclass(frozen=True)
class PeekingResult(Result):
    """Result of :func:`simulate_peeking`.

    ``rejected_by_day[d]`` is the share of experiments that have shown p < alpha at least
    once by the end of day ``d + 1`` when the analyst looks every day; ``fpr_fixed`` is the
    share rejecting when looking once, at the planned end; ``fpr_peeking`` =
    ``rejected_by_day[-1]``; ``pvalues`` holds every daily p-value (experiments x days).
    """

    fpr_fixed: float
    fpr_peeking: float
    rejected_by_day: np.ndarray = field(repr=False)
    pvalues: np.ndarray = field(repr=False)


def simulate_peeking(p: float = 0.03, visitors_per_day: int = 1000, n_days: int = 28,
                     n_experiments: int = 2000, alpha: float = 0.05, *,
                     p_treatment: float | None = None, seed: int = 0) -> PeekingResult:
    """Simulate experiments analysed every day with a z-test, stopping at the first p < alpha.

    By default both arms convert at ``p`` (an A/A test: every "significant" result is a
    false positive). Each day ``visitors_per_day`` visitors arrive per arm; the cumulative
    counts are tested daily with :func:`two_proportion_ztest`.

    Parameters
    ----------
    p : float
        Conversion rate of the control (and of the treatment unless ``p_treatment``).
    visitors_per_day : int
        New visitors per arm per day.
    n_days : int
        Planned duration.
    n_experiments : int
        Number of simulated experiments.
    alpha : float
        Significance level.
    p_treatment : float, optional
        Treatment rate, to study power instead of false positives.
    seed : int
        Seed of the random generator.

    Returns
    -------
    PeekingResult

    Examples
    --------
    >>> r = simulate_peeking(n_days=10, n_experiments=500, seed=0)
    >>> bool(r.fpr_peeking > r.fpr_fixed)
    True
    """
    p = _check_rate(p, "p")
    pt = p if p_treatment is None else _check_rate(p_treatment, "p_treatment")
    visitors_per_day = check_int(visitors_per_day, "visitors_per_day", low=1)
    n_days = check_int(n_days, "n_days", low=1)
    n_experiments = check_int(n_experiments, "n_experiments", low=1)
    seed = check_int(seed, "seed", low=0)
    alpha = _check_alpha(alpha)
    rng = np.random.default_rng(seed)
    daily = rng.binomial(visitors_per_day, [p, pt], size=(n_experiments, n_days, 2))
    x = daily.cumsum(axis=1)
    n = visitors_per_day * np.arange(1, n_days + 1)[None, :]
    pvalues = _pooled_pvalue(x[..., 0], n, x[..., 1], n)  # = two_proportion_ztest(...).pvalue
    rejected_by_day = np.logical_or.accumulate(pvalues < alpha, axis=1).mean(axis=0)
    return PeekingResult(fpr_fixed=float((pvalues[:, -1] < alpha).mean()),
                         fpr_peeking=float(rejected_by_day[-1]),
                         rejected_by_day=rejected_by_day, pvalues=pvalues)


