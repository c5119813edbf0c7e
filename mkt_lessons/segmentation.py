"""Lesson 04: customer segmentation, by rules (RFM) and by clustering (K-means).

Two routes to segments, on the RFM table of lesson 02 (:func:`mkt_lessons.features.rfm_table`):

* **Rules.** :func:`rfm_scores` turns recency, frequency and monetary value into scores
  1..q by rank-based quantiles (5 = best: recent, frequent, big spender), and
  :func:`rfm_segments` maps the scores to the classic named segments with the documented
  rule table :data:`SEGMENT_RULES` (Champions, Loyal Customers, ..., Lost).
* **Clusters.** :func:`kmeans_sweep` fits K-means for several k and reports inertia and
  silhouette (how to choose k); :func:`seed_stability` refits with several seeds and
  measures how much the partition moves (adjusted Rand index); :func:`profile` describes
  any segmentation in business terms (size, share of customers, revenue share, typical
  values).

Scaling and log transforms are *not* hidden in here: the lesson builds them explicitly
(``features.feature_pipeline`` or ``np.log1p`` + ``StandardScaler``), because choosing
them is the point of the lesson.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mkt_lessons._validation import (
    check_bool,
    check_frame,
    check_int,
    check_option,
    check_str,
    describe,
)

__all__ = ["rfm_scores", "rfm_segments", "SEGMENT_RULES", "SEGMENTS", "segment_grid",
           "kmeans_sweep", "seed_stability", "profile"]

_SEED_MAX = 2**32 - 1  # NumPy's (and scikit-learn's) largest integer seed


# --------------------------------------------------------------------------- validation
# --------------------------------------------------------------------------- RFM scores
def _quantile_score(values: np.ndarray, q: int, *, higher_is_better: bool = True) -> np.ndarray:
    """Score 1..q = 1 + floor(q x share of customers strictly *worse* than this one)."""
    v = values if higher_is_better else -values
    # number of values strictly below each value = its "min" rank - 1 (ties share it)
    below = np.searchsorted(np.sort(v), v, side="left")
    return (1 + (q * below) // len(v)).astype(np.int64)


def rfm_scores(rfm: pd.DataFrame, q: int = 5, *, recency_col: str = "recency_days",
               frequency_col: str = "frequency", monetary_col: str = "monetary") -> pd.DataFrame:
    """Recency, frequency and monetary scores 1..q by rank-based quantiles (q = best).

    Each score says which q-tile of the customers a value falls in:

        score = 1 + floor(q x (share of customers strictly worse))

    so the worst value scores 1, a value better than 80% of customers scores 5 (q = 5), and
    with distinct values every score holds n / q customers. Recency is **reversed**: fewer
    days since the last order is better, so the most recent customers score q.

    **Ties** get the same score, always: the rule depends only on how many customers are
    strictly worse (the "min" rank), never on row order. This matters for frequency, where
    about a third of the shop's customers have exactly one order. They all score F = 1, so
    the F = 1 group holds ~33% of customers instead of 20%, and the next scores start at
    the next distinct value (two orders). Quantile *cut points* (``pd.qcut``) cannot do
    this: duplicate edges either raise or silently merge bins; ranking by row order
    (``rank(method="first")``) would split identical customers into different scores.

    **Fewer distinct values than q** does not fail: only the levels the rule reaches are
    used (e.g. values 1, 1, 2, 2, 3 with q = 5 score 1, 1, 3, 3, 5), so a score keeps its
    meaning as a position in the distribution; some levels are simply empty. (So, too, with
    very few customers: of three, the best is better than 2/3 of them and scores 4.)

    Parameters
    ----------
    rfm : DataFrame
        One row per customer, e.g. ``features.rfm_table(orders, snapshot_date)``.
    q : int
        Number of score levels (>= 2); 5 is the convention (and what
        :func:`rfm_segments` expects).
    recency_col, frequency_col, monetary_col : str
        Column names. Recency must be >= 0 days; no column may have missing values.

    Returns
    -------
    DataFrame
        Same index as ``rfm``; integer columns ``R``, ``F``, ``M`` (1..q) and ``RFM``, the
        three digits as text (e.g. ``"545"``; for q > 9 the scores are joined with "-").

    Examples
    --------
    >>> rfm = pd.DataFrame({"recency_days": [3, 30, 300, 30, 90],
    ...                     "frequency": [9, 1, 1, 2, 1],
    ...                     "monetary": [900.0, 20.0, 35.0, 80.0, 50.0]},
    ...                    index=pd.Index(list("abcde"), name="customer_id"))
    >>> rfm_scores(rfm)
                 R  F  M  RFM
    customer_id
    a            5  5  5  555
    b            3  1  1  311
    c            1  1  2  112
    d            3  4  4  344
    e            2  1  3  213
    """
    if not isinstance(rfm, pd.DataFrame):
        raise TypeError(f"rfm must be a pandas DataFrame (e.g. features.rfm_table), got {describe(rfm)}")
    q = check_int(q, "q", low=2)
    cols = [check_str(recency_col, "recency_col"), check_str(frequency_col, "frequency_col"),
            check_str(monetary_col, "monetary_col")]
    keywords = "recency_col=/frequency_col=/monetary_col="
    check_frame(rfm, "rfm", cols, keywords=keywords, numeric=cols)
    recency, frequency, monetary = (rfm[c].to_numpy(dtype="float64") for c in cols)
    if (recency < 0).any():
        raise ValueError(f"rfm[{recency_col!r}] has negative values: recency is days since the "
                         "last order, so it must be >= 0 (is the snapshot date before the orders?)")
    if (frequency < 0).any():
        raise ValueError(f"rfm[{frequency_col!r}] has negative values: it counts orders")
    out = pd.DataFrame({"R": _quantile_score(recency, q, higher_is_better=False),
                        "F": _quantile_score(frequency, q),
                        "M": _quantile_score(monetary, q)}, index=rfm.index.copy())
    sep = "" if q <= 9 else "-"
    out["RFM"] = (out["R"].astype("str") + sep + out["F"].astype("str") + sep
                  + out["M"].astype("str"))
    return out


# --------------------------------------------------------------------------- segments
# The widely used R x FM grid (Putler / Kaggle-style RFM segments) on 5-level scores. FM is
# the frequency-monetary score: (F + M) / 2 rounded half up, or F alone (monetary=False).
# Each row is a rectangle of the grid; together they cover the 25 cells exactly once
# (tests/test_segmentation.py checks it).
SEGMENT_RULES = pd.DataFrame(
    [
        ("Champions", 5, 5, 4, 5, "Bought recently, buy often and spend the most."),
        ("Loyal Customers", 3, 4, 4, 5, "Buy often and spend well; not the very latest orders."),
        ("Potential Loyalists", 4, 5, 2, 3, "Recent customers with a few orders and average spend."),
        ("New Customers", 5, 5, 1, 1, "Bought very recently, but only once or for little."),
        ("Promising", 4, 4, 1, 1, "Fairly recent, one small order so far."),
        ("Need Attention", 3, 3, 3, 3, "Middle of the road on every score; slipping."),
        ("About to Sleep", 3, 3, 1, 2, "Below-average recency and value; fading away."),
        ("At Risk", 1, 2, 3, 4, "Used to buy often and spend well, but not for a long time."),
        ("Can't Lose Them", 1, 2, 5, 5, "Were among the best customers; gone quiet."),
        ("Hibernating", 2, 2, 1, 2, "Long since the last order, few orders, low spend."),
        ("Lost", 1, 1, 1, 2, "Lowest recency and low value: most likely gone."),
    ],
    columns=["segment", "r_min", "r_max", "fm_min", "fm_max", "description"],
)
SEGMENTS: list[str] = SEGMENT_RULES["segment"].tolist()


def _fm_score(f: np.ndarray, m: np.ndarray) -> np.ndarray:
    return (f + m + 1) // 2  # mean of F and M rounded half up, still 1..5


def segment_grid(*, monetary: bool = True) -> pd.DataFrame:
    """The rule table as a 5 x 5 grid of segment names: rows R = 5..1, columns FM = 1..5.

    Handy to show (or plot) the rules; ``monetary`` only changes the column label.

    Examples
    --------
    >>> segment_grid().loc[5, 5], segment_grid().loc[1, 1]
    ('Champions', 'Lost')
    """
    monetary = check_bool(monetary, "monetary")
    grid = pd.DataFrame(index=pd.Index(range(5, 0, -1), name="R"),
                        columns=pd.Index(range(1, 6), name="FM" if monetary else "F"),
                        dtype="str")
    for rule in SEGMENT_RULES.itertuples(index=False):
        for r in range(rule.r_min, rule.r_max + 1):
            for fm in range(rule.fm_min, rule.fm_max + 1):
                grid.loc[r, fm] = rule.segment
    return grid


def rfm_segments(scores: pd.DataFrame, *, monetary: bool = True, r_col: str = "R",
                 f_col: str = "F", m_col: str = "M") -> pd.Series:
    """Named RFM segment per customer from 5-level scores, by :data:`SEGMENT_RULES`.

    The rule table is a grid over recency R (1..5) and a frequency-monetary score FM:
    ``FM = round_half_up((F + M) / 2)`` by default, or ``FM = F`` with ``monetary=False``
    (the frequency-only variant of the same grid). Every (R, FM) cell belongs to exactly
    one segment.

    The table is written for **q = 5** scores. Scores from another q raise a ValueError;
    to reuse the grid, rescale them first to 1..5 with ``ceil(score x 5 / q)`` (which keeps
    the order and maps the top level to 5).

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`rfm_scores` with ``q=5`` (integer scores 1..5).
    monetary : bool
        Combine F and M (default) or use F alone on the grid's columns.
    r_col, f_col, m_col : str
        Column names of the scores (``m_col`` is not needed when ``monetary=False``).

    Returns
    -------
    Series
        Ordered categorical with categories :data:`SEGMENTS`, same index as ``scores``,
        named ``"segment"``.
    """
    if not isinstance(scores, pd.DataFrame):
        raise TypeError(f"scores must be a pandas DataFrame (from rfm_scores), got {describe(scores)}")
    monetary = check_bool(monetary, "monetary")
    cols = [("r_col", r_col), ("f_col", f_col)] + ([("m_col", m_col)] if monetary else [])
    names = [check_str(col, arg) for arg, col in cols]
    check_frame(scores, "scores", names, keywords="r_col=/f_col=/m_col=", numeric=names)
    vals = {}
    for col in names:
        v = scores[col].to_numpy(dtype="float64")
        if (v != np.round(v)).any() or v.min() < 1:
            raise ValueError(f"scores[{col!r}] must hold integer scores 1..5, got {sorted(set(v))[:8]}")
        if v.max() > 5:
            raise ValueError(f"scores[{col!r}] has scores above 5: the segment rules are written for "
                             "q=5; rescale other scores with ceil(score * 5 / q) first")
        vals[col] = v.astype(np.int64)
    r = vals[r_col]
    fm = _fm_score(vals[f_col], vals[m_col]) if monetary else vals[f_col]
    names = segment_grid().to_numpy()  # rows R = 5..1, columns FM = 1..5
    labels = names[5 - r, fm - 1]
    return pd.Series(pd.Categorical(labels, categories=SEGMENTS, ordered=True),
                     index=scores.index.copy(), name="segment")


# --------------------------------------------------------------------------- clustering
def _check_matrix(X: Any) -> np.ndarray:
    if isinstance(X, (str, bytes, dict, set)) or X is None or np.isscalar(X):
        raise TypeError(f"X must be a 2-D numeric array or DataFrame, got {describe(X)}")
    if isinstance(X, pd.DataFrame):
        bad = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])
               or pd.api.types.is_bool_dtype(X[c])]
        if bad:
            raise TypeError(f"X has non-numeric column(s) {bad}: encode or drop them first "
                            "(True/False columns too: .astype(int) if you mean 0/1)")
    try:
        arr = np.asarray(X)
    except (TypeError, ValueError):
        raise TypeError(f"X must be a 2-D array of numbers, got {describe(X)}") from None
    if arr.dtype.kind == "b":
        raise TypeError("X must hold numbers, got True/False values: if you mean 0/1 "
                        "features, say so with X.astype(int)")
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"X must hold numbers only, got an array of dtype {arr.dtype} "
                        "(convert text with pd.to_numeric; encode labels first)")
    arr = arr.astype("float64")
    if arr.ndim != 2:
        raise ValueError(f"X must be 2-D (customers x features), got shape {arr.shape}")
    if arr.shape[0] < 3 or arr.shape[1] < 1:
        raise ValueError(f"X needs at least 3 rows and 1 column, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("X has missing (NaN) or infinite values: impute or drop them first")
    return arr


def _one_thread():
    """Run K-means and the silhouette on one thread (OpenMP and BLAS).

    On tables of this size the threads cost more than they save, and on a busy 2-core
    machine they can make a sweep ten times slower. The results do not depend on it.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def _check_ks(ks: Any, n: int) -> list[int]:
    if isinstance(ks, (int, np.integer)) and not isinstance(ks, bool):
        ks = [ks]
    if isinstance(ks, (str, bytes, dict)) or not isinstance(ks, Iterable):
        raise TypeError(f"ks must be a list of integers (numbers of clusters), got {describe(ks)}")
    ks = list(ks)
    if not ks:
        raise ValueError("ks is empty: give at least one number of clusters")
    for k in ks:
        check_int(k, "each k in ks", low=2)
        if k >= n:
            raise ValueError(f"k = {k} in ks is not below the number of rows of X ({n}); "
                             "silhouette needs 2 <= k < n")
    if len(set(ks)) != len(ks):
        raise ValueError(f"ks has duplicates: {ks}")
    return [int(k) for k in ks]


def kmeans_sweep(X: Any, ks: Sequence[int], random_state: int = 0, n_init: int = 10, *,
                 silhouette_sample: int | None = 2000, max_iter: int = 300) -> pd.DataFrame:
    """Fit K-means for each k; report inertia and silhouette, the two usual guides to k.

    * **inertia** - the within-cluster sum of squared distances K-means minimises. It
      always falls as k grows; look for the "elbow" where it stops falling fast.
    * **silhouette** - mean over customers of (b - a) / max(a, b), with a the mean distance
      to the own cluster and b to the nearest other cluster: near 1 = well separated,
      near 0 = overlapping. Higher is better; it can be compared across k.

    The silhouette needs all pairwise distances (O(n^2)), so by default it is computed on
    a seeded random subsample of ``silhouette_sample`` rows (the same rows for every k,
    drawn with ``random_state``), exactly as ``sklearn.metrics.silhouette_score(X, labels,
    sample_size=silhouette_sample, random_state=random_state)``. ``None`` uses every row.
    Fitting runs on one thread (faster for tables of this size; same results).

    Parameters
    ----------
    X : array-like of shape (n_customers, n_features)
        Already transformed and scaled features (K-means uses Euclidean distances).
    ks : sequence of int
        Numbers of clusters to try (each 2 <= k < n).
    random_state : int
        Seed of K-means and of the silhouette subsample.
    n_init : int
        K-means restarts per k (the best inertia is kept).
    silhouette_sample : int or None
        Rows used for the silhouette (None or >= n: all rows).
    max_iter : int
        Maximum K-means iterations per restart.

    Returns
    -------
    DataFrame
        Indexed by ``k``; columns ``inertia``, ``silhouette``, ``n_iter`` and
        ``smallest_cluster_share`` (share of rows in the smallest cluster: a tiny cluster is
        often a few outliers, not a segment).
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    arr = _check_matrix(X)
    ks = _check_ks(ks, arr.shape[0])
    random_state = check_int(random_state, "random_state", low=0, high=_SEED_MAX)
    n_init = check_int(n_init, "n_init", low=1)
    max_iter = check_int(max_iter, "max_iter", low=1)
    if silhouette_sample is not None:
        silhouette_sample = check_int(silhouette_sample, "silhouette_sample", low=2)
        if silhouette_sample >= arr.shape[0]:
            silhouette_sample = None
    rows = []
    for k in ks:
        with _one_thread():
            km = KMeans(n_clusters=k, n_init=n_init, random_state=random_state,
                        max_iter=max_iter).fit(arr)
            sil = silhouette_score(arr, km.labels_, sample_size=silhouette_sample,
                                   random_state=random_state)
        sizes = np.bincount(km.labels_, minlength=k)
        rows.append({"k": k, "inertia": float(km.inertia_), "silhouette": float(sil),
                     "n_iter": int(km.n_iter_), "smallest_cluster_share": sizes.min() / len(arr)})
    return pd.DataFrame(rows).set_index("k")


def seed_stability(X: Any, k: int, seeds: Iterable[int] = range(5), *, n_init: int = 1,
                   max_iter: int = 300) -> pd.DataFrame:
    """Refit K-means with several seeds and measure how much the clusters move.

    K-means only finds a local optimum that depends on its random start. Each seed is
    fitted with ``n_init`` starts; the run with the lowest inertia is the reference, and
    every run is compared with it by the adjusted Rand index (ARI: 1 = the same partition
    up to the cluster numbers, ~0 = no more alike than chance).

    Parameters
    ----------
    X : array-like of shape (n_customers, n_features)
    k : int
        Number of clusters (2 <= k < n).
    seeds : iterable of int
        At least two distinct seeds.
    n_init : int
        Starts per seed (1 shows the raw instability; 10 is what you would use).
    max_iter : int
        Maximum iterations per start.

    Returns
    -------
    DataFrame
        Indexed by ``seed``; columns ``inertia``, ``ari_vs_best`` and ``is_best``.
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    arr = _check_matrix(X)
    k = check_int(k, "k", low=2)
    if k >= arr.shape[0]:
        raise ValueError(f"k = {k} is not below the number of rows of X ({arr.shape[0]})")
    if isinstance(seeds, (str, bytes, dict)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a list of integers, got {describe(seeds)}")
    seeds = [check_int(s, "each of seeds", low=0, high=_SEED_MAX) for s in seeds]
    if len(set(seeds)) < 2 or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must hold at least two distinct integers without repeats, got {seeds}")
    n_init = check_int(n_init, "n_init", low=1)
    max_iter = check_int(max_iter, "max_iter", low=1)
    with _one_thread():
        fits = [KMeans(n_clusters=k, n_init=n_init, random_state=s, max_iter=max_iter).fit(arr)
                for s in seeds]
    inertia = np.array([f.inertia_ for f in fits])
    best = int(np.argmin(inertia))
    ari = [adjusted_rand_score(fits[best].labels_, f.labels_) for f in fits]
    return pd.DataFrame({"inertia": inertia, "ari_vs_best": ari,
                         "is_best": np.arange(len(seeds)) == best},
                        index=pd.Index(seeds, name="seed"))


# --------------------------------------------------------------------------- profiling
def profile(df: pd.DataFrame, labels: Any, *, revenue_col: str | None = "monetary",
            columns: Sequence[str] | None = None,
            stats: Sequence[str] = ("mean", "median")) -> pd.DataFrame:
    """Describe segments in business terms: one row per segment.

    Parameters
    ----------
    df : DataFrame
        One row per customer (e.g. ``customer_features`` output).
    labels : array-like or Series
        Segment of each customer. An array/list is taken in the row order of ``df``; a
        Series is aligned on ``df``'s index (it must cover every customer). Missing labels
        are an error (no silent row loss).
    revenue_col : str or None
        Column with each customer's revenue, for ``revenue_share``; None to skip it.
    columns : sequence of str, optional
        Numeric columns to summarise; default every numeric (non-boolean) column. Missing
        values are left out of a column's summaries (e.g. the time between orders of
        one-order customers); ``n_customers`` counts everyone.
    stats : sequence of {"mean", "median"}
        Summaries per column; the output columns are ``<col>_<stat>``.

    Returns
    -------
    DataFrame
        Indexed by segment (sorted; categorical labels keep their category order, empty
        categories dropped); columns ``n_customers``, ``customer_share``, ``revenue_share``
        (if ``revenue_col``) and the summaries.

    Examples
    --------
    >>> rfm = pd.DataFrame({"frequency": [1, 2, 8, 9], "monetary": [10.0, 30.0, 400.0, 560.0]})
    >>> profile(rfm, ["low", "low", "high", "high"], columns=["monetary"], stats=["median"])
             n_customers  customer_share  revenue_share  monetary_median
    segment
    high               2             0.5           0.96            480.0
    low                2             0.5           0.04             20.0
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {describe(df)}")
    check_frame(df, "df")
    if isinstance(labels, pd.Series):
        if not labels.index.is_unique:
            raise ValueError("labels has a duplicated index: cannot align it with df")
        missing = df.index.difference(labels.index)
        if len(missing):
            raise ValueError(f"labels has no entry for {len(missing)} row(s) of df, e.g. {list(missing[:3])}")
        lab = labels.reindex(df.index)
    else:
        if isinstance(labels, (str, bytes, dict, set)) or not hasattr(labels, "__len__"):
            raise TypeError(f"labels must be an array, list or Series, got {describe(labels)}")
        arr = np.asarray(labels)
        if arr.ndim != 1 or len(arr) != len(df):
            raise ValueError(f"labels must be 1-D with one entry per row of df ({len(df)}), "
                             f"got shape {arr.shape}")
        lab = pd.Series(labels if isinstance(labels, pd.Categorical) else arr, index=df.index)
    if lab.isna().any():
        raise ValueError(f"labels has {int(lab.isna().sum())} missing value(s): every customer "
                         "needs a segment (no silent row loss)")
    if isinstance(stats, str):
        stats = [stats]
    if not isinstance(stats, Iterable):
        raise TypeError(f"stats must be 'mean', 'median' or a list of them, got {describe(stats)}")
    stats = [check_option(st, "stats", ["mean", "median"]) for st in stats]
    if not stats:
        raise ValueError("stats must name at least one of 'mean', 'median'")
    if columns is None:
        columns = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])
                   and not pd.api.types.is_bool_dtype(df[c])]
    else:
        if isinstance(columns, str):
            columns = [columns]
        if not isinstance(columns, Iterable):
            raise TypeError(f"columns must be a list of column names, got {describe(columns)}")
        columns = [check_str(c, "each of columns") for c in columns]
        check_frame(df, "df", columns, keywords="columns=", numeric=columns, finite=[])
    values = df[columns].to_numpy(dtype="float64", na_value=np.nan)
    if np.isinf(values).any():
        bad = [c for c, b in zip(columns, np.isinf(values).any(axis=0), strict=True) if b]
        raise ValueError(f"df has infinite values in {bad}: clean them first")
    if revenue_col is not None:
        check_str(revenue_col, "revenue_col")
        check_frame(df, "df", [revenue_col], keywords="revenue_col=", numeric=[revenue_col])
    work = df[columns].astype("float64")
    group = lab.rename("segment")  # a Series: categorical labels keep their order
    grouped = work.groupby(group, observed=True, sort=True)
    out = pd.DataFrame({"n_customers": grouped.size()})
    out["customer_share"] = out["n_customers"] / len(df)
    if revenue_col is not None:
        revenue = pd.Series(df[revenue_col].to_numpy(dtype="float64"), index=df.index)
        total = revenue.sum()
        by_seg = revenue.groupby(group, observed=True, sort=True).sum()
        out["revenue_share"] = by_seg / total if total != 0 else np.nan
    for s in stats:
        agg = grouped.agg(s)
        out = out.join(agg.add_suffix(f"_{s}"))
    out.index.name = "segment"
    return out
