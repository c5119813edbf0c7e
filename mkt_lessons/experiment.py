"""A/B tests and multi-armed bandits (lesson 07).

Conventions used throughout: the *first* group is the control (A), the *second* the
treatment (B), and every difference is **treatment minus control** (B - A), so a positive
number means the treatment did better. Relative lift is ``p_B / p_A - 1``.

Frequentist tests
    :func:`two_proportion_ztest` (conversion), :func:`welch_ttest` (revenue per visitor),
    :func:`sample_size_two_proportions` and :func:`power_two_proportions` (design),
    :func:`srm_check` (sample-ratio mismatch), :func:`cuped` (variance reduction with a
    pre-period covariate), :func:`simulate_peeking` (why stopping at the first p < 0.05
    inflates false positives).

Bandits
    Policies share one small interface, written for *many runs at once* so simulations are
    vectorised with NumPy (every run advances one round at a time as arrays)::

        policy = ThompsonSampling().start(n_arms=4)       # one run: ints in, ints out
        arm = policy.select(rng)                          # which banner to show
        policy.update(arm, reward)                        # 1 = click, 0 = no click

    ``start(n_arms, n_runs=k)`` keeps ``k`` independent runs; ``select`` then returns an
    array of ``k`` arms and ``update`` takes arrays. :func:`simulate_bandit` plays a policy
    against known click rates and returns the regret of every round of every run.
    :class:`ExploreThenCommit` is the A/B test written as a policy (split evenly, then ship
    the winner), so the two approaches can be compared on the same footing.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "TwoProportionResult", "two_proportion_ztest", "WelchResult", "welch_ttest",
    "sample_size_two_proportions", "power_two_proportions", "SRMResult", "srm_check",
    "CupedResult", "cuped", "PeekingResult", "simulate_peeking",
    "BanditPolicy", "EpsilonGreedy", "UCB1", "ThompsonSampling", "ExploreThenCommit",
    "simulate_bandit",
]


# --------------------------------------------------------------------------- validation
def _check_alpha(alpha: float, name: str = "alpha") -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number in (0, 1), got {type(alpha).__name__}")
    if not 0 < float(alpha) < 1:
        raise ValueError(f"{name} must be in (0, 1), got {alpha}")
    return float(alpha)


def _as_float_array(values, name: str) -> np.ndarray:
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be numbers, got a string")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numbers: {exc}") from None
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains missing values (NaN); drop or fill them first")
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains infinite values")
    return arr


def _check_counts(x, n, xname: str, nname: str) -> tuple[np.ndarray, np.ndarray]:
    x_arr, n_arr = _as_float_array(x, xname), _as_float_array(n, nname)
    if (n_arr <= 0).any():
        raise ValueError(f"{nname} (number of visitors) must be > 0, got {n}")
    if (x_arr < 0).any():
        raise ValueError(f"{xname} (number of conversions) must be >= 0, got {x}")
    if (x_arr != np.round(x_arr)).any() or (n_arr != np.round(n_arr)).any():
        raise ValueError(f"{xname} and {nname} must be whole numbers (counts)")
    if (x_arr > n_arr).any():
        raise ValueError(f"{xname} (conversions) cannot exceed {nname} (visitors): "
                         f"got {xname}={x}, {nname}={n}")
    return x_arr, n_arr


def _check_rate(p, name: str) -> float:
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number in (0, 1), got {type(p).__name__}")
    if not 0 < float(p) < 1:
        raise ValueError(f"{name} must be a rate strictly between 0 and 1, got {p}")
    return float(p)


def _check_positive_int(n, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number, got {type(n).__name__}")
    if n <= 0:
        raise ValueError(f"{name} must be > 0, got {n}")
    return int(n)


def _check_alternative(alternative: str) -> str:
    if alternative not in ("two-sided", "larger", "smaller"):
        raise ValueError("alternative must be 'two-sided', 'larger' (treatment > control) or "
                         f"'smaller', got {alternative!r}")
    return alternative


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


# --------------------------------------------------------------------------- z-test
@dataclass(frozen=True)
class TwoProportionResult:
    """Result of :func:`two_proportion_ztest` (arrays if the inputs were arrays).

    ``diff`` is p_treatment - p_control; ``ci_low``/``ci_high`` its Wald interval;
    ``relative_lift`` is p_treatment / p_control - 1 with a log-ratio interval.
    """

    p_control: float
    p_treatment: float
    diff: float
    statistic: float
    pvalue: float
    ci_low: float
    ci_high: float
    relative_lift: float
    lift_ci_low: float
    lift_ci_high: float
    alpha: float

    @property
    def ci(self) -> tuple[float, float]:
        """Confidence interval of the difference, ``(low, high)``."""
        return (self.ci_low, self.ci_high)

    @property
    def lift_ci(self) -> tuple[float, float]:
        """Confidence interval of the relative lift, ``(low, high)``."""
        return (self.lift_ci_low, self.lift_ci_high)

    def summary(self) -> pd.Series:
        """The result as a labelled Series (scalar inputs only)."""
        return pd.Series({k: getattr(self, k) for k in self.__dataclass_fields__})


def two_proportion_ztest(x1, n1, x2, n2, *, alpha: float = 0.05,
                         alternative: str = "two-sided") -> TwoProportionResult:
    """Two-proportion z-test of conversion rates, with confidence intervals.

    Group 1 is the control, group 2 the treatment; the difference is ``p2 - p1``.

    The test statistic uses the *pooled* rate under H0 (both arms convert alike):
    ``z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2))`` with ``p = (x1 + x2) / (n1 + n2)``.
    The interval for the difference is the Wald interval with *unpooled* variance
    ``p1 (1 - p1) / n1 + p2 (1 - p2) / n2`` (fine for the thousands of visitors of a web
    test; for tiny samples prefer Newcombe's interval). The interval for the relative lift
    ``p2 / p1 - 1`` is computed on the log scale: ``log(p2/p1) +- z sqrt(1/x1 - 1/n1 +
    1/x2 - 1/n2)``.

    Parameters
    ----------
    x1, n1 : int or array of int
        Conversions and visitors of the control. Arrays (same shape) test many at once.
    x2, n2 : int or array of int
        Conversions and visitors of the treatment.
    alpha : float
        1 - confidence level of the intervals.
    alternative : {"two-sided", "larger", "smaller"}
        "larger" tests H1: p2 > p1. Intervals are always two-sided.

    Returns
    -------
    TwoProportionResult
        ``statistic``, ``pvalue``, ``ci`` and more (see the class).

    Raises
    ------
    ValueError
        If a count is negative or not whole, ``n <= 0`` or ``x > n``.

    Examples
    --------
    >>> r = two_proportion_ztest(300, 10_000, 345, 10_000)
    >>> round(r.diff, 4), round(r.pvalue, 3)
    (0.0045, 0.072)
    """
    alpha = _check_alpha(alpha)
    _check_alternative(alternative)
    x1, n1 = _check_counts(x1, n1, "x1", "n1")
    x2, n2 = _check_counts(x2, n2, "x2", "n2")
    from scipy import stats

    p1, p2 = x1 / n1, x2 / n2
    diff = p2 - p1
    pooled = (x1 + x2) / (n1 + n2)
    se0 = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se0 > 0, diff / np.where(se0 > 0, se0, 1.0), 0.0)
        pvalue = _p_value(z, alternative)
        zc = stats.norm.isf(alpha / 2)
        half = zc * np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        ratio = p2 / p1
        half_log = zc * np.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
        lift_low = np.exp(np.log(ratio) - half_log) - 1
        lift_high = np.exp(np.log(ratio) + half_log) - 1
    return TwoProportionResult(
        p_control=_scalar(p1), p_treatment=_scalar(p2), diff=_scalar(diff),
        statistic=_scalar(np.asarray(z, dtype=float)), pvalue=_scalar(np.asarray(pvalue)),
        ci_low=_scalar(diff - half), ci_high=_scalar(diff + half),
        relative_lift=_scalar(ratio - 1), lift_ci_low=_scalar(lift_low),
        lift_ci_high=_scalar(lift_high), alpha=alpha)


# --------------------------------------------------------------------------- Welch
@dataclass(frozen=True)
class WelchResult:
    """Result of :func:`welch_ttest`; ``diff`` is mean(treatment) - mean(control)."""

    mean_control: float
    mean_treatment: float
    diff: float
    statistic: float
    pvalue: float
    df: float
    ci_low: float
    ci_high: float
    alpha: float

    @property
    def ci(self) -> tuple[float, float]:
        """Confidence interval of the difference in means, ``(low, high)``."""
        return (self.ci_low, self.ci_high)

    def summary(self) -> pd.Series:
        """The result as a labelled Series."""
        return pd.Series({k: getattr(self, k) for k in self.__dataclass_fields__})


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
    a = _as_float_array(control, "control").ravel()
    b = _as_float_array(treatment, "treatment").ravel()
    for arr, name in ((a, "control"), (b, "treatment")):
        if arr.size < 2:
            raise ValueError(f"{name} needs at least 2 values, got {arr.size}")
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
    return WelchResult(float(a.mean()), float(b.mean()), diff, float(t), float(p), float(df),
                       float(diff - half), float(diff + half), alpha)


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
    n_arr = _as_float_array(n, "n")
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
class SRMResult:
    """Result of :func:`srm_check`: chi-square goodness of fit of the arm sizes."""

    statistic: float
    pvalue: float
    mismatch: bool
    table: pd.DataFrame = field(repr=False)


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
    """
    threshold = _check_alpha(threshold, "threshold")
    if isinstance(counts, Mapping | pd.Series):
        labels = list(counts.keys() if isinstance(counts, Mapping) else counts.index)
        obs = _as_float_array(list(counts.values() if isinstance(counts, Mapping)
                                   else counts.to_numpy()), "counts")
    else:
        obs = _as_float_array(counts, "counts").ravel()
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
        shares = _as_float_array(expected_shares, "expected_shares").ravel()
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
    return SRMResult(chi2, pvalue, pvalue < threshold, table)


# --------------------------------------------------------------------------- CUPED
@dataclass(frozen=True)
class CupedResult:
    """Result of :func:`cuped`."""

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
    """
    y = _as_float_array(metric, "metric").ravel()
    x = _as_float_array(covariate, "covariate").ravel()
    if y.size != x.size:
        raise ValueError(f"metric and covariate must have the same length, got {y.size} "
                         f"and {x.size}")
    if y.size < 2:
        raise ValueError("cuped needs at least 2 visitors")
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
class PeekingResult:
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
    """
    p = _check_rate(p, "p")
    pt = p if p_treatment is None else _check_rate(p_treatment, "p_treatment")
    visitors_per_day = _check_positive_int(visitors_per_day, "visitors_per_day")
    n_days = _check_positive_int(n_days, "n_days")
    n_experiments = _check_positive_int(n_experiments, "n_experiments")
    alpha = _check_alpha(alpha)
    rng = np.random.default_rng(seed)
    daily = rng.binomial(visitors_per_day, [p, pt], size=(n_experiments, n_days, 2))
    x = daily.cumsum(axis=1)
    n = visitors_per_day * np.arange(1, n_days + 1)[None, :]
    pvalues = two_proportion_ztest(x[..., 0], n, x[..., 1], n, alpha=alpha).pvalue
    rejected_by_day = np.logical_or.accumulate(pvalues < alpha, axis=1).mean(axis=0)
    return PeekingResult(float((pvalues[:, -1] < alpha).mean()), float(rejected_by_day[-1]),
                         rejected_by_day, pvalues)


# --------------------------------------------------------------------------- bandits
class BanditPolicy:
    """Common interface of the bandit policies (rewards in [0, 1]: click = 1, no click = 0).

    Settings go in ``__init__``; :meth:`start` resets the state for ``n_arms`` arms and
    returns ``self``; :meth:`select` chooses an arm; :meth:`update` records its reward.
    State (after :meth:`start`): ``pulls_`` and ``successes_``, arrays of shape
    ``(n_runs, n_arms)``; ``means_``, the observed rates; ``t_``, rounds played.
    Subclasses implement ``_choose(rng)``. Ties between equally good arms are broken at
    random, so no banner is favoured by its position in the list.
    """

    def start(self, n_arms: int, n_runs: int | None = None) -> BanditPolicy:
        """Reset the policy for ``n_arms`` arms and ``n_runs`` independent runs.

        With ``n_runs=None`` (one run) :meth:`select` returns a plain ``int`` and
        :meth:`update` takes an ``int`` and a number. Returns ``self``.
        """
        n_arms = _check_positive_int(n_arms, "n_arms")
        if n_arms < 2:
            raise ValueError(f"n_arms must be >= 2 (a bandit chooses between arms), got {n_arms}")
        self.n_arms_ = n_arms
        self._single = n_runs is None
        self.n_runs_ = 1 if n_runs is None else _check_positive_int(n_runs, "n_runs")
        self.pulls_ = np.zeros((self.n_runs_, n_arms))
        self.successes_ = np.zeros((self.n_runs_, n_arms))
        # observed rate, +inf for arms never played (so "best" until tried), and 1 / pulls
        self._est = np.full((self.n_runs_, n_arms), np.inf)
        self._inv_pulls = np.full((self.n_runs_, n_arms), np.inf)
        self._offsets = np.arange(self.n_runs_) * n_arms  # flat index of each run's row
        # flat views of the state: one fancy-indexing op per update, whatever n_runs
        self._pulls_flat = self.pulls_.reshape(-1)
        self._succ_flat = self.successes_.reshape(-1)
        self._est_flat = self._est.reshape(-1)
        self._inv_flat = self._inv_pulls.reshape(-1)
        self.t_ = 0
        return self

    def _check_started(self) -> None:
        if not hasattr(self, "pulls_"):
            raise RuntimeError(f"call {type(self).__name__}(...).start(n_arms) before "
                               "select() or update()")

    def select(self, rng: np.random.Generator):
        """Choose the arm to play in every run (an ``int`` for a single run)."""
        self._check_started()
        if not isinstance(rng, np.random.Generator):
            raise TypeError("rng must be a numpy Generator, e.g. np.random.default_rng(0), "
                            f"got {type(rng).__name__}")
        arms = self._choose(rng)
        return int(arms[0]) if self._single else arms

    def update(self, arm, reward) -> BanditPolicy:
        """Record the ``reward`` (1 = click, 0 = none; any value in [0, 1]) of ``arm``.

        One arm and one reward per run. Returns ``self``.
        """
        self._check_started()
        arm = np.asarray(arm).reshape(-1)
        reward = np.asarray(reward).reshape(-1)
        if arm.shape != (self.n_runs_,) or reward.shape != (self.n_runs_,):
            raise ValueError(f"arm and reward need one value per run ({self.n_runs_}), got "
                             f"{arm.size} and {reward.size}")
        if not np.issubdtype(arm.dtype, np.integer) or (arm < 0).any() \
                or (arm >= self.n_arms_).any():
            raise ValueError(f"arm must be whole numbers in 0..{self.n_arms_ - 1}, got {arm}")
        if not (np.issubdtype(reward.dtype, np.number) or reward.dtype == bool):
            raise TypeError(f"reward must be numbers in [0, 1], got dtype {reward.dtype}")
        reward = reward.astype(float)
        if np.isnan(reward).any() or (reward < 0).any() or (reward > 1).any():
            raise ValueError(f"reward must be in [0, 1] (1 = click), got {reward}")
        self._record(arm, reward)
        return self

    def _record(self, arm: np.ndarray, reward: np.ndarray) -> None:
        idx = self._offsets + arm
        self._pulls_flat[idx] += 1
        self._succ_flat[idx] += reward
        inv = 1.0 / self._pulls_flat[idx]
        self._inv_flat[idx] = inv
        self._est_flat[idx] = self._succ_flat[idx] * inv
        self.t_ += 1

    @property
    def means_(self) -> np.ndarray:
        """Observed reward rate per run and arm (NaN for arms never played)."""
        self._check_started()
        return np.where(self.pulls_ > 0, self._est, np.nan)

    def _choose(self, rng: np.random.Generator) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    @staticmethod
    def _argmax_random_ties(scores: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        best = scores == scores.max(axis=1, keepdims=True)
        return np.where(best, rng.random(scores.shape), -1.0).argmax(axis=1)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items()
                           if not k.endswith("_") and not k.startswith("_"))
        return f"{type(self).__name__}({params})"


def _check_number(v, name: str, low: float, high: float = math.inf) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(v).__name__}")
    if not low <= v <= high:
        raise ValueError(f"{name} must be in [{low}, {high}], got {v}")
    return float(v)


class EpsilonGreedy(BanditPolicy):
    """ε-greedy: with probability ``epsilon`` show a random arm, otherwise the arm with the
    best observed rate (arms never shown count as best, so each is tried early).

    Parameters
    ----------
    epsilon : float
        Exploration probability in [0, 1]; it never decays, so a share ``epsilon`` of the
        traffic keeps going to random arms (regret grows linearly).
    """

    def __init__(self, epsilon: float = 0.1) -> None:
        self.epsilon = _check_number(epsilon, "epsilon", 0.0, 1.0)

    def _choose(self, rng):
        greedy = self._argmax_random_ties(self._est, rng)  # unplayed arms score +inf
        explore = rng.random(self.n_runs_) < self.epsilon
        return np.where(explore, rng.integers(0, self.n_arms_, self.n_runs_), greedy)


class UCB1(BanditPolicy):
    """UCB1 (Auer, Cesa-Bianchi & Fischer 2002): play each arm once, then the arm with the
    highest upper confidence bound ``mean + c * sqrt(ln t / pulls)``, t = rounds so far.

    Parameters
    ----------
    c : float
        Exploration weight; ``sqrt(2)`` (default) is the classic UCB1. Its bonus assumes only
        that rewards lie in [0, 1], so with click rates of a few percent it is much wider
        than the real uncertainty and UCB1 explores for a long time.
    """

    def __init__(self, c: float = math.sqrt(2)) -> None:
        self.c = _check_number(c, "c", 0.0)

    def _choose(self, rng):
        # unplayed arms score +inf, so each arm is played once first; once an arm has been
        # scored against a played one t >= 2 (n_arms >= 2), so max(t, 2) only avoids 0 * inf.
        scores = self._est + np.sqrt(self.c**2 * math.log(max(self.t_, 2)) * self._inv_pulls)
        return self._argmax_random_ties(scores, rng)


class ThompsonSampling(BanditPolicy):
    """Thompson sampling (Beta-Bernoulli): draw a plausible rate for each arm from its
    posterior Beta(prior_a + clicks, prior_b + non-clicks) and play the highest draw.

    Parameters
    ----------
    prior_a, prior_b : float
        Beta prior, both > 0 (1, 1 = uniform: no opinion about the click rate).
    """

    def __init__(self, prior_a: float = 1.0, prior_b: float = 1.0) -> None:
        self.prior_a = _check_number(prior_a, "prior_a", 0.0)
        self.prior_b = _check_number(prior_b, "prior_b", 0.0)
        if self.prior_a == 0 or self.prior_b == 0:
            raise ValueError("prior_a and prior_b must be > 0")

    @property
    def posterior_(self) -> tuple[np.ndarray, np.ndarray]:
        """Beta posterior parameters ``(a, b)``, each of shape ``(n_runs, n_arms)``."""
        self._check_started()
        return (self.prior_a + self.successes_,
                self.prior_b + (self.pulls_ - self.successes_))

    def _choose(self, rng):
        a, b = self.posterior_
        return rng.beta(a, b).argmax(axis=1)  # continuous draws: ties have probability 0


class ExploreThenCommit(BanditPolicy):
    """An A/B/n test as a policy: rotate the arms evenly for ``n_explore`` rounds, then play
    the arm with the best observed rate for ever after (ties broken at random).

    Parameters
    ----------
    n_explore : int
        Length of the test in rounds (visitors), e.g. arms x the sample size per arm.
    """

    def __init__(self, n_explore: int = 1000) -> None:
        self.n_explore = _check_positive_int(n_explore, "n_explore")

    def start(self, n_arms: int, n_runs: int | None = None) -> ExploreThenCommit:
        super().start(n_arms, n_runs)
        self._winner = None
        return self

    def _choose(self, rng):
        if self.t_ < self.n_explore:
            return np.full(self.n_runs_, self.t_ % self.n_arms_)
        if self._winner is None:
            best = np.where(self.pulls_ > 0, self._est, -1.0)  # only arms actually tested
            self._winner = self._argmax_random_ties(best, rng)
        return self._winner


def simulate_bandit(policy: BanditPolicy, true_rates: Sequence[float], n_rounds: int,
                    n_runs: int = 200, seed: int = 0) -> np.ndarray:
    """Play ``policy`` against arms with known click rates; return the regret of each round.

    All runs advance together, one round at a time, as NumPy arrays. The regret of a round
    is the *expected* clicks lost by the arm chosen: ``max(true_rates) - true_rates[arm]``
    (pseudo-regret; it does not depend on the luck of the click draw).

    Parameters
    ----------
    policy : BanditPolicy
        A policy with its settings (e.g. ``UCB1()``); it is copied, never modified.
    true_rates : sequence of float
        Click rate of each arm, in [0, 1].
    n_rounds : int
        Visitors per run.
    n_runs : int
        Independent runs (average over them to see the policy, not the luck).
    seed : int
        Seed of the random generator.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_runs, n_rounds)``; ``regret.cumsum(axis=1).mean(axis=0)`` is the average
        cumulative regret curve.

    Examples
    --------
    >>> r = simulate_bandit(ThompsonSampling(), [0.04, 0.06], n_rounds=500, n_runs=20)
    >>> r.shape
    (20, 500)
    """
    if not isinstance(policy, BanditPolicy):
        raise TypeError("policy must be a bandit policy such as EpsilonGreedy(), UCB1() or "
                        f"ThompsonSampling(), got {type(policy).__name__}")
    rates = _as_float_array(true_rates, "true_rates").ravel()
    if rates.size < 2:
        raise ValueError(f"true_rates needs at least 2 arms, got {rates.size}")
    if (rates < 0).any() or (rates > 1).any():
        raise ValueError(f"true_rates must be click rates in [0, 1], got {list(rates)}")
    n_rounds = _check_positive_int(n_rounds, "n_rounds")
    n_runs = _check_positive_int(n_runs, "n_runs")
    rng = np.random.default_rng(seed)
    pol = copy.deepcopy(policy).start(rates.size, n_runs)
    gaps = rates.max() - rates
    regret = np.empty((n_rounds, n_runs))
    for t in range(n_rounds):  # the loop runs over rounds; runs are vectorised
        arms = pol._choose(rng)
        clicks = rng.random(n_runs) < rates[arms]
        pol._record(arms, clicks)
        regret[t] = gaps[arms]
    return regret.T.copy()
