"""Who to contact, and is it worth it? Gains, lift, profit curves and campaign lists (lesson 08).

A churn model gives every customer a score. This module turns scores into decisions:

:func:`gains_table` and :func:`lift`
    How much better than random is targeting the top of the ranking? One row per bin
    (decile 1 = the highest scores): response rate, cumulative gain, lift.
:func:`profit_curve` and :func:`best_threshold`
    The expected profit of a retention offer for every possible cut "contact the top k",
    and the cut that maximises it.
:func:`calibration_by_band` and :func:`recalibrate_by_band`
    Is the model calibrated within each band of customers (e.g. by days since the last
    order), and a correction learnt per band on a period whose outcomes are known. A single
    global correction is wrong in every band when the customer mix changes.
:func:`campaign_list`
    Several actions (retention offer, cross-sell e-mail ...) with a profit per customer and
    action, a budget: who gets which action (used by the capstone, lesson 14).

Conventions
-----------
* ``y_true`` is 1 for the outcome the scores predict (in lesson 08: 1 = churned), 0
  otherwise; a higher score means "more likely 1".
* Sorting is by score, highest first. **Ties** never depend on the row order in
  :func:`gains_table` and :func:`lift`: tied customers are kept in one bin, and a cut
  through a group of ties counts the group's average response rate (the expected value
  under a random tie-break). :func:`profit_curve` lists every cut ``k = 0..n``; it ranks
  by score when value and cost are the same for everyone, and by each contact's expected
  profit ``p * uplift * value - cost`` when they vary per customer (``rank_by``), breaking
  ties by score and then row order; :func:`best_threshold` only considers cuts *between*
  different values of that ranking key, so its rule "contact everyone whose key is
  ``>= threshold``" contacts exactly ``k`` customers.
* The **profit model**: contacting a customer whose churn probability is ``p`` saves them
  with probability ``uplift`` (the offer works on that share of would-be churners), which
  is worth ``value`` (the margin at stake); the contact costs ``cost`` whether it works or
  not. Expected profit of contacting = ``p * uplift * value - cost``, so a customer is
  worth contacting when ``p > cost / (uplift * value)`` (the break-even probability). This
  uses ``p`` as a probability: feed it calibrated scores, not raw ranks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mkt_lessons._results import Result
from mkt_lessons._validation import (
    check_1d,
    check_frame,
    check_int,
    check_option,
    check_real,
    check_str,
    describe,
)

__all__ = ["gains_table", "lift", "profit_curve", "BestThreshold", "best_threshold",
           "calibration_by_band", "recalibrate_by_band", "campaign_list"]


# --------------------------------------------------------------------------- validation
def _as_1d_float(values: Any, name: str) -> np.ndarray:
    return check_1d(values, name)


def _as_labels(y_true: Any, n: int, name: str = "y_true") -> np.ndarray:
    if isinstance(y_true, pd.Series) and pd.api.types.is_bool_dtype(y_true):
        y_true = y_true.astype(float)
    return check_1d(y_true, f"{name} (one 0/1 label per score)", kind="binary",
                    length=n).astype(float)


def _as_amount(values: Any, n: int, name: str, *, nonnegative: bool = True) -> np.ndarray:
    """A scalar or one value per customer, broadcast to length ``n``."""
    low = 0.0 if nonnegative else None
    if np.ndim(values) == 0 and not isinstance(values, (str, bytes)) and values is not None:
        return np.full(n, check_real(values, name, low=low))
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a number or an array of numbers, got {describe(values)}")
    return check_1d(values, f"{name} (a scalar or one value per customer)", length=n, low=low)


def _rank_desc(scores: np.ndarray) -> np.ndarray:
    """Order of the rows by score, highest first; ties in row order (stable)."""
    return np.argsort(-scores, kind="stable")


def _tie_groups(s: np.ndarray, y: np.ndarray):
    """Scores and labels sorted highest first, and the [start, end) runs of equal scores."""
    order = _rank_desc(s)
    s_sorted, y_sorted = s[order], y[order]
    starts = np.flatnonzero(np.r_[True, s_sorted[1:] != s_sorted[:-1]])
    ends = np.r_[starts[1:], len(s)]
    return s_sorted, y_sorted, starts, ends


# --------------------------------------------------------------------------- gains and lift
def gains_table(y_true: Any, scores: Any, n_bins: int = 10) -> pd.DataFrame:
    """Gains table: customers ranked by score and cut into ``n_bins`` bins (deciles by default).

    Bin 1 holds the highest scores. Bins follow positions in the ranking: a customer at
    position ``i`` (0-based, highest score first) of ``n`` belongs to bin
    ``floor(n_bins * i / n) + 1``, so bins differ in size by at most one when scores are
    distinct. **Ties**: a group of equal scores is never split; the whole group goes to the
    bin of its middle position, so the table does not depend on the row order (a bin can
    then be larger, smaller or even empty: an empty bin has ``n = 0`` and NaN rates).

    Parameters
    ----------
    y_true : array-like of 0/1
        Outcome per customer (1 = responded / churned).
    scores : array-like of float
        Model score per customer; higher = more likely 1.
    n_bins : int
        Number of bins (10 = deciles).

    Returns
    -------
    DataFrame
        Indexed by ``bin`` (1..n_bins), columns

        * ``min_score``, ``max_score`` - the score range in the bin;
        * ``n``, ``positives``, ``response_rate`` (positives / n) - the bin itself;
        * ``cum_n``, ``cum_positives``, ``cum_response_rate`` - bins 1..b together
          (``cum_response_rate`` is the precision of targeting them);
        * ``cum_pct_customers`` - share of all customers targeted;
        * ``cum_pct_positives`` - share of all positives caught: the *gain* (= recall);
        * ``lift`` = response_rate / base rate, ``cum_lift`` = cum_response_rate / base rate.

    Raises
    ------
    ValueError
        If the inputs differ in length, ``y_true`` is not 0/1 or has no positive (lift
        would divide by zero), or scores contain NaN.

    Examples
    --------
    >>> g = gains_table([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1], n_bins=2)
    >>> g["positives"].tolist(), g["cum_pct_positives"].tolist(), g["cum_lift"].tolist()
    ([1, 1], [0.5, 1.0], [1.0, 1.0])
    """
    s = _as_1d_float(scores, "scores")
    y = _as_labels(y_true, len(s))
    n_bins = check_int(n_bins, "n_bins", low=1)
    n, total_pos = len(s), y.sum()
    if total_pos == 0:
        raise ValueError("y_true has no positive (1): base rate 0, lift and gain are undefined")
    s_sorted, y_sorted, starts, ends = _tie_groups(s, y)
    mid = (starts + ends - 1) / 2.0
    group_bin = np.floor(n_bins * mid / n).astype(np.int64)  # 0-based
    bins = np.repeat(group_bin, ends - starts)
    counts = np.bincount(bins, minlength=n_bins)
    positives = np.bincount(bins, weights=y_sorted, minlength=n_bins)
    max_s = np.full(n_bins, np.nan)
    min_s = np.full(n_bins, np.nan)
    np.fmax.at(max_s, bins, s_sorted)
    np.fmin.at(min_s, bins, s_sorted)
    cum_n, cum_pos = np.cumsum(counts), np.cumsum(positives)
    base = total_pos / n
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(counts > 0, positives / counts, np.nan)
        cum_rate = np.where(cum_n > 0, cum_pos / cum_n, np.nan)
    return pd.DataFrame({
        "min_score": min_s, "max_score": max_s,
        "n": counts.astype(np.int64), "positives": positives.astype(np.int64),
        "response_rate": rate,
        "cum_n": cum_n.astype(np.int64), "cum_positives": cum_pos.astype(np.int64),
        "cum_response_rate": cum_rate,
        "cum_pct_customers": cum_n / n, "cum_pct_positives": cum_pos / total_pos,
        "lift": rate / base, "cum_lift": cum_rate / base,
    }, index=pd.RangeIndex(1, n_bins + 1, name="bin"))


def lift(y_true: Any, scores: Any, fraction: Any) -> float | np.ndarray:
    """Lift of targeting the top ``fraction`` of customers by score.

    ``lift = precision among the targeted / base rate``: 3 means the targeted group
    responds three times as often as a random group of the same size. The top fraction is
    the ``k = ceil(fraction * n)`` highest scores. If the cut falls inside a group of tied
    scores, the part of the group that is targeted counts the group's average response
    rate (the expected value under a random tie-break), so the result never depends on the
    row order.

    Parameters
    ----------
    y_true : array-like of 0/1
    scores : array-like of float
    fraction : float or array-like of float
        Share(s) of customers targeted, each in (0, 1].

    Returns
    -------
    float or ndarray
        A float for a scalar ``fraction``, else an array of the same shape.

    Examples
    --------
    >>> lift([1, 0, 0, 0], [0.9, 0.5, 0.4, 0.1], 0.25)
    4.0
    """
    s = _as_1d_float(scores, "scores")
    y = _as_labels(y_true, len(s))
    if np.ndim(fraction) == 0 and not isinstance(fraction, (str, bytes)) and fraction is not None:
        frac = np.asarray(check_real(fraction, "fraction", low=0, high=1, low_open=True))
    else:
        if fraction is None or isinstance(fraction, (str, bytes)):
            raise TypeError(f"fraction must be a number or an array of numbers, got {describe(fraction)}")
        frac = check_1d(fraction, "fraction", low=0, high=1)
        if (frac <= 0).any():
            raise ValueError(f"fraction must hold values in (0, 1], got {frac.min():g}")
    n, total_pos = len(s), y.sum()
    if total_pos == 0:
        raise ValueError("y_true has no positive (1): base rate 0, lift is undefined")
    _, y_sorted, starts, ends = _tie_groups(s, y)
    group_pos = np.add.reduceat(y_sorted, starts)
    cum_group_pos = np.r_[0.0, np.cumsum(group_pos)]
    # ceil with a little slack so that 0.3 * 10 is 3, not 4
    k = np.clip(np.ceil(frac * n - 1e-9), 1, n).astype(np.int64)
    g = np.searchsorted(ends, k, side="left")  # group holding position k-1
    inside = k - starts[g]
    pos_top = cum_group_pos[g] + inside * group_pos[g] / (ends[g] - starts[g])
    result = (pos_top / k) / (total_pos / n)
    return float(result) if np.ndim(fraction) == 0 else result


# --------------------------------------------------------------------------- profit
_RANK_BY = ("auto", "score", "expected_profit")


def _profit_inputs(scores, value, cost, uplift, y_true, rank_by):
    s = _as_1d_float(scores, "scores")
    n = len(s)
    if (s < 0).any() or (s > 1).any():
        raise ValueError("scores must be probabilities in [0, 1] for the profit model "
                         f"(got min {s.min():.3g}, max {s.max():.3g}); calibrate the model first")
    v = _as_amount(value, n, "value")
    c = _as_amount(cost, n, "cost")
    u = _check_uplift(uplift)
    check_option(rank_by, "rank_by", _RANK_BY)
    y = None if y_true is None else _as_labels(y_true, n)
    unit = s * u * v - c  # expected profit of contacting each customer
    if rank_by == "auto":
        varies = np.ndim(value) > 0 and np.ptp(v) > 0 or np.ndim(cost) > 0 and np.ptp(c) > 0
        rank_by = "expected_profit" if varies else "score"
    key = s if rank_by == "score" else unit
    # highest key first; ties by score (highest first), then row order (stable)
    order = np.lexsort((np.arange(n), -s, -key))
    return s, v, c, u, y, unit, key, order, rank_by


def profit_curve(scores: Any, *, value: Any, cost: Any, uplift: float = 1.0,
                 y_true: Any = None, rank_by: str = "auto") -> pd.DataFrame:
    """Profit of contacting the top ``k`` customers, for every ``k = 0..n``.

    The profit model: contacting a customer with churn probability ``p`` saves them with
    probability ``uplift``, which is worth ``value``; the contact costs ``cost`` whether or
    not it works. So the expected profit of one contact is ``p * uplift * value - cost``,
    treating ``scores`` as **calibrated** churn probabilities. With the observed outcomes
    ``y_true`` (1 = churned), the realised profit replaces ``p`` by ``y``: the money the
    campaign would have made (under the same uplift assumption) on this group.

    **Ranking.** With one ``value`` and one ``cost`` for everybody, ranking by score and
    ranking by expected profit are the same thing. When value or cost vary per customer
    they are not: a likely churner worth $5 is a worse contact than a less likely one worth
    $500. ``rank_by="auto"`` (default) therefore ranks by the expected profit of each
    contact, ``p * uplift * value - cost``, when ``value`` or ``cost`` vary, and by score
    otherwise. Ties are broken by score, then by row order.

    Parameters
    ----------
    scores : array-like of float
        Churn probabilities in [0, 1].
    value : float or array-like
        What a saved customer is worth (e.g. 12-month margin): a scalar or one per customer.
    cost : float or array-like
        Cost of one contact (offer + handling): a scalar or one per customer; >= 0.
    uplift : float
        Share of would-be churners the offer saves, in [0, 1].
    y_true : array-like of 0/1, optional
        Observed churn; adds the column ``realised_profit``.
    rank_by : {"auto", "score", "expected_profit"}
        What the customers are sorted by (see above).

    Returns
    -------
    DataFrame
        ``n + 1`` rows with columns ``k`` (customers contacted), ``fraction`` (k / n),
        ``threshold`` (the ranking key of the k-th customer: contact those whose key is
        ``>= threshold``; the score when ranking by score, the expected profit per contact
        when ranking by expected profit; +inf for k = 0), ``score`` (the k-th customer's
        score; NaN for k = 0), ``expected_profit`` and, with ``y_true``,
        ``realised_profit``. ``DataFrame.attrs["rank_by"]`` says which ranking was used.

    Examples
    --------
    >>> profit_curve([0.9, 0.2], value=100.0, cost=30.0)
       k  fraction  threshold  score  expected_profit
    0  0       0.0        inf    NaN              0.0
    1  1       0.5        0.9    0.9             60.0
    2  2       1.0        0.2    0.2             50.0
    >>> profit_curve([0.9, 0.2], value=[10.0, 500.0], cost=5.0)["threshold"].tolist()
    [inf, 95.0, 4.0]
    """
    s, v, c, u, y, unit, key, order, used = _profit_inputs(scores, value, cost, uplift,
                                                           y_true, rank_by)
    n = len(s)
    out = pd.DataFrame({
        "k": np.arange(n + 1, dtype=np.int64),
        "fraction": np.arange(n + 1) / n,
        "threshold": np.r_[np.inf, key[order]],
        "score": np.r_[np.nan, s[order]],
        "expected_profit": np.r_[0.0, np.cumsum(unit[order])],
    })
    if y is not None:
        out["realised_profit"] = np.r_[0.0, np.cumsum((y * u * v - c)[order])]
    out.attrs["rank_by"] = used
    return out


def _check_uplift(uplift: Any) -> float:
    return check_real(uplift, "uplift (a share of churners saved)", low=0.0, high=1.0)


@dataclasses.dataclass(frozen=True)
class BestThreshold(Result):
    """The profit-maximising cut: contact the ``k`` customers whose key is ``>= threshold``.

    Attributes
    ----------
    threshold : float
        The cut on the ranking key (a score, or an expected profit per contact when
        ``rank_by == "expected_profit"``); +inf when contacting nobody is best.
    k : int
        Customers contacted.
    fraction : float
        ``k / n``.
    profit : float
        Expected (or realised, see ``use``) profit of contacting them.
    use : str
        ``"expected"`` or ``"realised"``.
    rank_by : str
        ``"score"`` or ``"expected_profit"``.

    Unpacks and indexes like the v1 named tuple ``(threshold, k, fraction, profit, use)``.
    """

    threshold: float
    k: int
    fraction: float
    profit: float
    use: str
    rank_by: str = "score"

    def _v1(self) -> tuple:
        return (self.threshold, self.k, self.fraction, self.profit, self.use)

    def __iter__(self):
        return iter(self._v1())

    def __getitem__(self, i):
        return self._v1()[i]

    def __len__(self) -> int:
        return 5


def best_threshold(scores: Any, *, value: Any, cost: Any, uplift: float = 1.0,
                   y_true: Any = None, use: str = "expected",
                   rank_by: str = "auto") -> BestThreshold:
    """The cut of :func:`profit_curve` with the highest profit.

    Only cuts between different values of the ranking key are considered (k = 0, k = n,
    or the k-th key is above the (k+1)-th), so "contact everyone whose key is ``>=
    threshold``" contacts exactly ``k`` customers. Among equally profitable cuts the
    smallest ``k`` wins (fewer contacts for the same money). With ``use="expected"`` this
    is the break-even rule: contact exactly the customers with ``p * uplift * value >
    cost`` - with one value and cost for all, a cut on the score; with per-customer values
    or costs (``rank_by="auto"``), a cut on each contact's expected profit, which ranking by
    score alone cannot reach.

    Parameters
    ----------
    scores, value, cost, uplift, y_true, rank_by
        As in :func:`profit_curve`.
    use : {"expected", "realised"}
        Maximise the expected profit (model probabilities; what you can do before the
        campaign) or the realised profit (needs ``y_true``; hindsight, for evaluation).

    Returns
    -------
    BestThreshold
        ``threshold``, ``k``, ``fraction``, ``profit``, ``use``, ``rank_by``;
        ``threshold`` is +inf when contacting nobody is best (``k = 0``, profit 0).

    Examples
    --------
    >>> b = best_threshold([0.9, 0.5, 0.2], value=100.0, cost=30.0)
    >>> b.threshold, b.k, b.profit
    (0.5, 2, 80.0)
    >>> best_threshold([0.9, 0.5], value=[10.0, 500.0], cost=30.0).k   # the $500 customer only
    1
    """
    check_option(use, "use", ["expected", "realised"])
    if use == "realised" and y_true is None:
        raise ValueError("use='realised' needs y_true (the observed outcomes)")
    curve = profit_curve(scores, value=value, cost=cost, uplift=uplift, y_true=y_true,
                         rank_by=rank_by)
    thr = curve["threshold"].to_numpy()
    # a cut after position k is clean if the next key is lower (or there is none)
    clean = np.r_[thr[:-1] > thr[1:], True]
    profit = curve[f"{use}_profit"].to_numpy()
    candidates = np.flatnonzero(clean)
    best = candidates[np.argmax(profit[candidates])]  # argmax: first = smallest k
    row = curve.iloc[best]
    return BestThreshold(threshold=float(row["threshold"]), k=int(row["k"]),
                         fraction=float(row["fraction"]), profit=float(profit[best]), use=use,
                         rank_by=curve.attrs["rank_by"])


# --------------------------------------------------------------------------- calibration by band
_CALIBRATION_METHODS = ("shift", "platt")
_EPS = 1e-6  # scores are clipped to [_EPS, 1 - _EPS] before taking log-odds


def _as_bands(bands: Any, n: int, name: str = "bands") -> np.ndarray:
    return check_1d(bands, f"{name} (one band label per score)", kind="any", length=n)


def _as_probabilities(scores: Any, name: str = "scores") -> np.ndarray:
    s = _as_1d_float(scores, name)
    if (s < 0).any() or (s > 1).any():
        raise ValueError(f"{name} must be probabilities in [0, 1], got min {s.min():.3g}, "
                         f"max {s.max():.3g}")
    return s


def _band_order(labels: np.ndarray) -> list:
    """Distinct band labels in sorted order (or first-seen order if they cannot be sorted)."""
    uniq = list(pd.unique(pd.Series(labels, dtype=object)))
    try:
        return sorted(uniq)
    except TypeError:
        return uniq


def calibration_by_band(y_true: Any, scores: Any, bands: Any) -> pd.DataFrame:
    """Predicted against observed rate within each band (e.g. recency band) of customers.

    A model can be calibrated on average and wrong in every group: too high for one band,
    too low for another. This table shows it: for each band, the mean predicted probability
    next to the observed share of 1s.

    Parameters
    ----------
    y_true : array-like of 0/1
        Observed outcome per customer (1 = churned).
    scores : array-like of float
        Predicted probabilities in [0, 1].
    bands : array-like
        A band label per customer (strings, integers, an ordered categorical ...), no missing
        values.

    Returns
    -------
    DataFrame
        One row per band (index ``band``, sorted; a categorical keeps its category order and
        drops empty categories), columns ``n``, ``predicted`` (mean score), ``observed``
        (share of 1s), ``gap`` (= predicted - observed) and ``se`` (binomial standard error
        of ``observed``, ``sqrt(observed * (1 - observed) / n)``: a gap of more than about
        two ``se`` is not noise).

    Raises
    ------
    ValueError
        If the inputs differ in length, ``y_true`` is not 0/1, scores are outside [0, 1] or
        NaN, or a band label is missing.
    TypeError
        If scores are not numeric.

    Examples
    --------
    >>> t = calibration_by_band([1, 0, 0, 0], [0.5, 0.5, 0.2, 0.2], ["new", "new", "old", "old"])
    >>> t[["n", "predicted", "observed"]].to_dict("index")
    {'new': {'n': 2, 'predicted': 0.5, 'observed': 0.5}, 'old': {'n': 2, 'predicted': 0.2, 'observed': 0.0}}
    """
    s = _as_probabilities(scores)
    y = _as_labels(y_true, len(s))
    b = _as_bands(bands, len(s))
    if isinstance(bands, pd.Series) and isinstance(bands.dtype, pd.CategoricalDtype):
        order = [c for c in bands.cat.categories if (b == c).any()]
    else:
        order = _band_order(b)
    rows = []
    for band in order:
        m = b == band
        obs = float(y[m].mean())
        rows.append({"band": band, "n": int(m.sum()), "predicted": float(s[m].mean()),
                     "observed": obs})
    out = pd.DataFrame(rows).set_index("band")
    out["gap"] = out["predicted"] - out["observed"]
    out["se"] = np.sqrt(out["observed"] * (1 - out["observed"]) / out["n"])
    return out


def _fit_shift(z: np.ndarray, y: np.ndarray) -> float:
    """The intercept ``d`` with sum(expit(z + d)) = sum(y): the maximum-likelihood intercept
    of a logistic model with offset ``z`` (Newton's method on a concave likelihood)."""
    from scipy.special import expit

    target, d = y.sum(), 0.0
    for _ in range(200):
        p = expit(z + d)
        grad, hess = target - p.sum(), (p * (1 - p)).sum()
        step = float(np.clip(grad / max(hess, 1e-300), -5.0, 5.0))
        d += step
        if abs(step) < 1e-12:
            break
    return d


def _fit_platt(z: np.ndarray, y: np.ndarray, band: Any) -> tuple[float, float]:
    """Intercept and slope of the logistic regression of ``y`` on ``z`` (Newton / IRLS)."""
    from scipy.special import expit

    if np.ptp(z) == 0:
        raise ValueError(f"bands: every score in band {band!r} is the same, so a slope cannot be "
                         "estimated; use method='shift'")
    z0, z1 = z[y == 0], z[y == 1]
    if z0.max() <= z1.min() or z1.max() <= z0.min():
        raise ValueError(f"bands: the scores separate the outcomes perfectly in band {band!r}, "
                         "so the Platt fit has no finite solution; use method='shift'")
    X = np.column_stack([np.ones_like(z), z])
    beta = np.array([_fit_shift(z, y), 1.0])  # start from the shift solution
    for _ in range(100):
        p = expit(X @ beta)
        grad = X.T @ (y - p)
        hess = (X * (p * (1 - p))[:, None]).T @ X
        step = np.linalg.solve(hess, grad)
        beta = beta + step
        if np.abs(step).max() < 1e-10:
            break
    if not np.all(np.isfinite(beta)):  # pragma: no cover - excluded by the checks above
        raise ValueError(f"bands: the Platt fit did not converge in band {band!r}; use method='shift'")
    return float(beta[0]), float(beta[1])


def recalibrate_by_band(scores: Any, y_true: Any, bands: Any, *, new_scores: Any = None,
                        new_bands: Any = None, method: str = "shift") -> np.ndarray:
    """Recalibrate probabilities separately within each band, from a labelled reference set.

    A single correction for everybody (e.g. shifting all log-odds so the mean matches last
    year's churn rate) assumes the customer mix did not change. When it did — say, many more
    customers are now silent for a long time — the overall rate moves while the rate within
    each band does not, and a global shift then mis-predicts every band. Correcting within
    bands keeps what the mix change explains.

    The correction is learnt on ``scores``/``y_true``/``bands`` (a period whose outcomes are
    known, e.g. the same season a year earlier scored by the model) and applied to
    ``new_scores``/``new_bands`` (today's customers). With ``z = logit(score)``:

    * ``method="shift"``: within band ``b``, ``p = expit(z + d_b)`` with ``d_b`` such that the
      mean recalibrated probability equals the band's observed rate (the maximum-likelihood
      intercept of a logistic model with offset ``z``); the ranking within a band is kept.
    * ``method="platt"``: within band ``b``, ``p = expit(a_b + c_b * z)``, the unpenalised
      logistic regression of ``y_true`` on ``z`` (Platt scaling per band).

    Scores of exactly 0 or 1 are clipped to ``[1e-6, 1 - 1e-6]`` before taking log-odds.

    Parameters
    ----------
    scores : array-like of float
        Reference probabilities in [0, 1].
    y_true : array-like of 0/1
        Reference outcomes (1 = churned).
    bands : array-like
        Reference band label per customer (no missing values).
    new_scores, new_bands : array-like, optional
        The probabilities to recalibrate and their bands (give both or neither; default:
        the reference ``scores`` and ``bands`` themselves). Every band of ``new_bands`` must
        occur in ``bands``.
    method : {"shift", "platt"}
        One intercept per band, or an intercept and a slope per band.

    Returns
    -------
    ndarray
        Recalibrated probabilities, one per new score, in the order given.

    Raises
    ------
    ValueError
        If lengths differ, ``y_true`` is not 0/1, scores are outside [0, 1] or NaN, a band
        label is missing, a band of ``new_bands`` has only 0s or only 1s in the reference
        (its correction would be infinite) or never occurs in it, only one of
        ``new_scores``/``new_bands`` is given, or (``"platt"``) a band's scores are all
        equal or separate the outcomes.
    TypeError
        If scores are not numeric.

    Examples
    --------
    Two bands; the model predicts 0.5 in both, but band "a" churns at 3/4 and band "b" at 1/4:

    >>> p = recalibrate_by_band([0.5] * 8, [1, 1, 1, 0, 1, 0, 0, 0], list("aaaabbbb"),
    ...                         new_scores=[0.5, 0.5], new_bands=["a", "b"])
    >>> p.round(3).tolist()
    [0.75, 0.25]
    """
    from scipy.special import expit, logit

    s = _as_probabilities(scores)
    y = _as_labels(y_true, len(s)).astype(float)
    b = _as_bands(bands, len(s))
    method = check_option(method, "method", _CALIBRATION_METHODS)
    if (new_scores is None) != (new_bands is None):
        raise ValueError("new_scores and new_bands go together: give both or neither")
    if new_scores is None:
        s_new, b_new = s, b
    else:
        s_new = _as_probabilities(new_scores, "new_scores")
        b_new = _as_bands(new_bands, len(s_new), "new_bands")
    known = set(pd.unique(pd.Series(b, dtype=object)))
    unseen = [v for v in _band_order(b_new) if v not in known]
    if unseen:
        raise ValueError(f"new_bands has band(s) {unseen[:5]} that never occur in bands: there "
                         "is nothing to learn their correction from")
    z, z_new = logit(np.clip(s, _EPS, 1 - _EPS)), logit(np.clip(s_new, _EPS, 1 - _EPS))
    out = np.empty(len(s_new))
    for band in _band_order(b_new):
        ref, new = b == band, b_new == band
        rate = y[ref].mean()
        if rate in (0.0, 1.0):
            raise ValueError(f"y_true is all {int(rate)} in band {band!r} of bands: its correction "
                             "would be infinite; merge it with a neighbouring band")
        if method == "shift":
            out[new] = expit(z_new[new] + _fit_shift(z[ref], y[ref]))
        else:
            a, c = _fit_platt(z[ref], y[ref], band)
            out[new] = expit(a + c * z_new[new])
    return out


# --------------------------------------------------------------------------- campaign list
def campaign_list(expected_profit: pd.DataFrame, cost: Mapping[str, float] | pd.DataFrame,
                  budget: float | None = None, *, no_action: str = "no_action",
                  method: str = "greedy") -> pd.DataFrame:
    """Choose at most one action per customer to maximise expected profit within a budget.

    Parameters
    ----------
    expected_profit : DataFrame
        Indexed by customer id (unique), one column per action (e.g. ``"retention_offer"``,
        ``"cross_sell_email"``); values = expected profit of that action for that customer
        **net of its cost**. No missing values.
    cost : dict or DataFrame
        Cost per contact: ``{action: cost}`` for every action, or a DataFrame with the same
        index and columns as ``expected_profit``. Costs are >= 0.
    budget : float, optional
        Most that may be spent in total. ``None``: no budget, every customer gets their
        most profitable action if its profit is positive.
    no_action : str
        Label for customers who get nothing (profit 0, cost 0); must not be an action name.
    method : {"greedy", "exact"}
        How a budget is respected (see Notes). ``"greedy"`` (default) is fast and
        guaranteed to reach at least half the optimum - in practice within cents of it,
        and ``attrs["upper_bound"]`` says how close; ``"exact"`` solves the problem to
        optimality (seconds for thousands of customers).

    Returns
    -------
    DataFrame
        One row per customer (index = customer id), columns ``action``,
        ``expected_profit``, ``cost``; sorted by ``expected_profit`` descending (ties keep
        the input order). ``DataFrame.attrs`` holds ``method``, ``upper_bound`` (a proven
        upper bound on the best total profit within the budget) and ``optimal`` (whether
        the total reaches it).

    Notes
    -----
    An action with profit <= 0, or costing more than the whole budget, is never chosen.
    Without a budget the choice is the row-wise best positive action (ties: the first
    column). With a budget this is the *multiple-choice knapsack* problem (Kellerer,
    Pferschy & Pisinger 2004, ch. 11):

    * ``method="exact"``: the greedy below gives a plan and the budget's price ``lam``;
      the Lagrangian bound ``lam * budget + sum_i max(0, max_j (p_ij - lam c_ij))`` then
      rules out every option whose reduced profit is further below the customer's best
      than the bound is above the greedy plan (reduced-cost fixing), and the customers
      left are solved as a 0/1 programme with :func:`scipy.optimize.milp` (HiGHS). The
      answer is optimal.
    * ``method="greedy"``: for each customer keep the efficient frontier of (cost,
      profit) options starting at "no action" (the upper convex hull), turn it into
      upgrades whose profit per dollar falls along the frontier, fund all customers'
      upgrades by that ratio while they fit, spend what is left on the single best change
      that fits (repeatedly), and finally compare with the best *single* affordable
      action: the better of the two is returned. The upgrades funded before the first one
      that does not fit, plus that one, bound the linear-programming optimum, so the
      result is **at least half the optimum** - and no better guarantee holds in general;
      with profits 1.01 and 100, costs 1 and 100 and a budget of 100, the ratio greedy
      alone takes the first (1.01) and the comparison with the best single action rescues
      100. ``attrs["upper_bound"]`` is the smaller of that bound and the Lagrangian bound
      above, so ``upper_bound - total`` is a proven limit on what an exact plan could add.

    Examples
    --------
    >>> profits = pd.DataFrame({"offer": [1.01, 100.0]}, index=["X", "Y"])
    >>> costs = pd.DataFrame({"offer": [1.0, 100.0]}, index=["X", "Y"])
    >>> plan = campaign_list(profits, costs, budget=100)
    >>> plan["action"].tolist(), float(plan["expected_profit"].sum())
    (['offer', 'no_action'], 100.0)
    """
    check_option(method, "method", ["exact", "greedy"])
    profit, costs, actions = _check_campaign_inputs(expected_profit, cost, budget, no_action)
    n, m = profit.shape
    choice = np.full(n, -1, dtype=np.int64)  # -1 = no action
    attrs = {"method": method}
    if budget is None:
        masked = np.where(profit > 0, profit, -np.inf)
        best = np.argmax(masked, axis=1) if m else np.zeros(n, dtype=np.int64)
        has = np.isfinite(masked[np.arange(n), best]) if m else np.zeros(n, dtype=bool)
        choice[has] = best[has]
        attrs.update(upper_bound=float(np.where(has, masked[np.arange(n), best], 0).sum()),
                     optimal=True)
        attrs["method"] = "no budget"
    else:
        budget = float(budget)
        usable = (profit > 0) & (costs <= budget * (1 + 1e-12))
        if method == "exact":
            choice, bound = _exact_mckp(profit, costs, budget, usable)
        else:
            choice, bound = _greedy_mckp(profit, costs, budget, usable)
        rows = np.arange(n)
        total = float(np.where(choice >= 0, profit[rows, np.maximum(choice, 0)], 0.0).sum())
        attrs.update(upper_bound=float(max(bound, total)),
                     optimal=bool(total >= bound - 1e-9 * max(1.0, abs(bound))))
    rows = np.arange(n)
    chosen = choice >= 0
    names = np.asarray([*actions, no_action], dtype=object)  # index -1 = no_action
    padded_p = np.c_[profit, np.zeros(n)]
    padded_c = np.c_[costs, np.zeros(n)]
    out = pd.DataFrame({
        "action": pd.array(names[choice].tolist(), dtype="str"),
        "expected_profit": np.where(chosen, padded_p[rows, choice], 0.0),
        "cost": np.where(chosen, padded_c[rows, choice], 0.0),
    }, index=expected_profit.index.copy())
    order = np.argsort(-out["expected_profit"].to_numpy(), kind="stable")
    out = out.iloc[order]
    out.attrs.update(attrs)
    return out


def _value(profit: np.ndarray, choice: np.ndarray) -> float:
    rows = np.arange(len(profit))
    return float(np.where(choice >= 0, profit[rows, np.maximum(choice, 0)], 0.0).sum())


def _exact_mckp(profit: np.ndarray, costs: np.ndarray, budget: float,
                usable: np.ndarray) -> tuple[np.ndarray, float]:
    """Multiple-choice knapsack, solved to optimality.

    1. The greedy gives an incumbent and the budget's price ``lam`` (the profit per dollar
       of the first upgrade that did not fit).
    2. Lagrangian bound: for any plan within the budget, ``profit <= lam * budget +
       sum_i max(0, max_j (p_ij - lam c_ij)) - sum_i loss_i``, where ``loss_i`` is what
       customer i's choice gives up against their best reduced profit. So in every optimal
       plan each ``loss_i <= gap = bound - incumbent``: options losing more are ruled out,
       and customers left with one option are fixed (reduced-cost fixing).
    3. The few customers left (the "core") are solved as a 0/1 programme with
       :func:`scipy.optimize.milp` (HiGHS), within what the fixed ones leave of the budget.
    """
    n = len(profit)
    g_choice, _, lam = _greedy_mckp(profit, costs, budget, usable, with_price=True)
    incumbent = _value(profit, g_choice)
    reduced = np.where(usable, profit - lam * costs, -np.inf)
    best = np.maximum(0.0, reduced.max(axis=1) if profit.shape[1] else np.zeros(n))
    bound = lam * budget + float(best.sum())
    gap = bound - incumbent
    tol = 1e-9 * max(1.0, abs(bound))
    if gap <= tol:
        return g_choice, bound
    allowed = usable & (best[:, None] - reduced <= gap + tol)
    allowed_none = best <= gap + tol
    n_options = allowed.sum(axis=1) + allowed_none
    fixed = n_options == 1
    choice = np.full(n, -1, dtype=np.int64)
    only = np.argmax(allowed, axis=1)
    fixed_action = fixed & allowed.any(axis=1)
    choice[fixed_action] = only[fixed_action]
    rows = np.arange(n)
    left = budget - float(np.where(choice >= 0, costs[rows, np.maximum(choice, 0)], 0.0).sum())
    core = np.flatnonzero(~fixed)
    if left < -tol or len(core) == 0:  # pragma: no cover - cannot happen with a valid bound
        return g_choice, bound
    sub = allowed[core]
    cust, act = np.nonzero(sub)
    k = len(cust)
    if k:
        from scipy import sparse
        from scipy.optimize import Bounds, LinearConstraint, milp

        ids = core[cust]
        one_each = sparse.csr_array((np.ones(k), (cust, np.arange(k))), shape=(len(core), k))
        must = ~allowed_none[core]  # no action ruled out: exactly one action
        spend = sparse.csr_array(costs[ids, act].reshape(1, -1))
        res = milp(-profit[ids, act], integrality=np.ones(k), bounds=Bounds(0, 1),
                   constraints=[LinearConstraint(one_each, np.where(must, 1.0, 0.0), 1.0),
                                LinearConstraint(spend, -np.inf, max(left, 0.0))],
                   options={"mip_rel_gap": 0.0, "time_limit": 60.0, "presolve": False})
        if res.x is None:  # pragma: no cover - HiGHS found nothing in the time limit
            return g_choice, bound
        take = res.x > 0.5
        choice[ids[take]] = act[take]
    if _value(profit, choice) < incumbent - tol:  # pragma: no cover - numerical safety net
        return g_choice, bound
    return choice, _value(profit, choice)


def _check_campaign_inputs(expected_profit, cost, budget, no_action):
    check_frame(expected_profit, "expected_profit (customers x actions)",
                numeric=list(dict.fromkeys(expected_profit.columns))
                if isinstance(expected_profit, pd.DataFrame) else ())
    check_str(no_action, "no_action")
    budget = check_real(budget, "budget (or None for no budget)", low=0.0, allow_none=True)
    actions = list(expected_profit.columns)
    if expected_profit.columns.duplicated().any():
        raise ValueError(f"expected_profit has duplicate action columns: {actions}")
    if no_action in actions:
        raise ValueError(f"no_action {no_action!r} is also an action column of expected_profit; "
                         "rename one of them")
    if expected_profit.index.duplicated().any():
        dups = expected_profit.index[expected_profit.index.duplicated()].unique()[:5].tolist()
        raise ValueError(f"expected_profit has duplicate customer ids in its index: {dups}")
    if expected_profit.index.hasnans:
        raise ValueError("expected_profit has missing customer ids in its index")
    for a in actions:
        col = expected_profit[a]
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            raise TypeError(f"expected_profit[{a!r}] must be numeric, got dtype {col.dtype}")
    profit = expected_profit.to_numpy(dtype=float) if actions else np.zeros((len(expected_profit), 0))
    if np.isnan(profit).any():
        bad = [a for a in actions if expected_profit[a].isna().any()]
        raise ValueError(f"expected_profit has missing values (NaN) in column(s) {bad}")
    if np.isinf(profit).any():
        raise ValueError("expected_profit has infinite values")
    if isinstance(cost, pd.DataFrame):
        if set(cost.columns) != set(actions):
            raise ValueError(f"cost columns {list(cost.columns)} must be the actions of "
                             f"expected_profit {actions}")
        if not cost.index.equals(expected_profit.index):
            if cost.index.duplicated().any() or set(cost.index) != set(expected_profit.index):
                raise ValueError("cost (a DataFrame) must have the same customer ids as "
                                 "expected_profit")
        cost = cost.reindex(index=expected_profit.index, columns=actions)
        try:
            costs = cost.to_numpy(dtype=float) if actions else np.zeros(profit.shape)
        except (TypeError, ValueError):
            raise TypeError("cost must hold numbers") from None
    elif isinstance(cost, Mapping):
        unknown = [k for k in cost if k not in actions]
        if unknown:
            raise ValueError(f"cost names action(s) {unknown} that are not columns of "
                             f"expected_profit {actions}")
        missing = [a for a in actions if a not in cost]
        if missing:
            raise ValueError(f"cost lacks the action(s) {missing}")
        vals = []
        for a in actions:
            c = cost[a]
            if isinstance(c, bool) or not isinstance(c, (int, float, np.integer, np.floating)):
                raise TypeError(f"cost[{a!r}] must be a number, got {c!r}")
            vals.append(float(c))
        costs = np.tile(np.asarray(vals, dtype=float), (len(profit), 1))
    else:
        raise TypeError("cost must be a dict {action: cost per contact} or a DataFrame like "
                        f"expected_profit, got {type(cost).__name__}")
    if np.isnan(costs).any() or np.isinf(costs).any():
        raise ValueError("cost has missing or infinite values")
    if (costs < 0).any():
        raise ValueError("cost must be >= 0 for every action")
    return profit, costs, actions


def _frontier(profit_row: np.ndarray, cost_row: np.ndarray) -> list[int]:
    """Action indices on the upper convex hull of (cost, profit) from (0, 0), cost ascending."""
    cand = [j for j in range(len(profit_row)) if profit_row[j] > 0]
    # cheapest first; for equal cost the more profitable first (then column order)
    cand.sort(key=lambda j: (cost_row[j], -profit_row[j], j))
    hull: list[int] = []  # points after the origin
    for j in cand:
        last_p = profit_row[hull[-1]] if hull else 0.0
        if profit_row[j] <= last_p:  # costs at least as much, earns no more: dominated
            continue
        # drop hull points that lie on or below the segment from their predecessor to j
        while hull:
            c1 = cost_row[hull[-2]] if len(hull) > 1 else 0.0
            p1 = profit_row[hull[-2]] if len(hull) > 1 else 0.0
            c2, p2 = cost_row[hull[-1]], profit_row[hull[-1]]
            # slope(prev -> last) <= slope(last -> j) means `last` is not on the upper hull
            if (p2 - p1) * (cost_row[j] - c2) <= (profit_row[j] - p2) * (c2 - c1):
                hull.pop()
            else:
                break
        hull.append(j)
    return hull


def _greedy_mckp(profit: np.ndarray, costs: np.ndarray, budget: float,
                 usable: np.ndarray, with_price: bool = False):
    """Ratio greedy + fill, or the best single affordable action if that is worth more.

    Returns the choice and an upper bound on the optimum (the profit of the upgrades
    funded before the first that did not fit, plus that upgrade's whole profit gain).
    """
    n = len(profit)
    choice = np.full(n, -1, dtype=np.int64)
    masked = np.where(usable, profit, -np.inf)
    ups = []  # (ratio, customer, level, action, d_cost, d_profit)
    for i in range(n):
        hull = _frontier(masked[i], costs[i])
        prev_p = prev_c = 0.0
        for level, j in enumerate(hull):
            dp, dc = profit[i, j] - prev_p, costs[i, j] - prev_c
            ratio = np.inf if dc == 0 else dp / dc
            ups.append((ratio, i, level, j, dc, dp))
            prev_p, prev_c = profit[i, j], costs[i, j]
    # ratio descending; then customer (input order) and level ascending: deterministic
    ups.sort(key=lambda t: (-t[0], t[1], t[2]))
    level_of = np.zeros(n, dtype=np.int64)
    blocked = np.zeros(n, dtype=bool)
    left = budget
    tol = 1e-9 * max(1.0, budget)
    prefix, bound, price = 0.0, None, 0.0
    for ratio, i, level, j, dc, dp in ups:
        if blocked[i] or level != level_of[i]:
            continue
        if dc <= left + tol:
            choice[i] = j
            level_of[i] += 1
            left -= dc
            if bound is None:
                prefix += dp
        else:
            blocked[i] = True
            if bound is None:  # the LP optimum takes a fraction of this upgrade, at most all
                bound, price = prefix + dp, ratio
    if bound is None:  # every upgrade fitted: the greedy is optimal
        bound = prefix
    choice = _fill(masked, costs, choice, left, tol)
    rows = np.arange(n)
    total = float(np.where(choice >= 0, profit[rows, np.maximum(choice, 0)], 0.0).sum())
    if usable.any():
        flat = int(np.argmax(masked))
        i, j = divmod(flat, profit.shape[1])
        if profit[i, j] > total:  # the best single affordable action beats the greedy
            choice = np.full(n, -1, dtype=np.int64)
            choice[i] = j
    price = float(price) if np.isfinite(price) else 0.0
    reduced = np.where(usable, profit - price * costs, -np.inf)
    best_reduced = np.maximum(0.0, reduced.max(axis=1)) if profit.shape[1] else np.zeros(n)
    bound = min(float(bound), price * budget + float(best_reduced.sum()))  # Lagrangian bound
    if with_price:  # the budget's price in the linear relaxation (0 if it never binds)
        return choice, bound, price
    return choice, bound


def _fill(profit: np.ndarray, costs: np.ndarray, choice: np.ndarray, left: float,
          tol: float) -> np.ndarray:
    """Spend what the greedy left: repeatedly make the single change of action with the
    largest profit gain that still fits (only ever adds profit, so the bound still holds)."""
    n = len(profit)
    rows = np.arange(n)
    choice = choice.copy()
    while True:
        cur_p = np.where(choice >= 0, profit[rows, np.maximum(choice, 0)], 0.0)
        cur_c = np.where(choice >= 0, costs[rows, np.maximum(choice, 0)], 0.0)
        gain = profit - cur_p[:, None]
        extra = costs - cur_c[:, None]
        ok = (gain > 0) & (profit > 0) & (extra <= left + tol)
        if not ok.any():
            return choice
        flat = int(np.argmax(np.where(ok, gain, -np.inf)))  # first max: deterministic
        i, j = divmod(flat, profit.shape[1])
        choice[i] = j
        left -= extra[i, j]
