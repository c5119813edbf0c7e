"""Bad input to mkt_lessons.segmentation; machinery in badinput.py (DESIGN §7).

The module has no estimator: K-means is scikit-learn's own ``KMeans``, used inside the
two helper functions (``kmeans_sweep``, ``seed_stability``), so ``ESTIMATORS`` is empty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from badinput import Array, Flag, Size, Spec, Table, make_tests

from mkt_lessons import segmentation as sg

ESTIMATORS: list = []
RFM = ["recency_days", "frequency", "monetary"]


def rfm() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 30
    return pd.DataFrame({"recency_days": rng.integers(0, 300, n).astype(float),
                         "frequency": rng.integers(1, 8, n).astype(float),
                         "monetary": rng.gamma(2, 100, n)},
                        index=pd.Index([f"C{i:03d}" for i in range(n)], name="customer_id"))


def scores() -> pd.DataFrame:
    return sg.rfm_scores(rfm())[["R", "F", "M"]]


def matrix() -> np.ndarray:
    rng = np.random.default_rng(1)
    return np.vstack([rng.normal(c, 0.3, size=(10, 2)) for c in (0.0, 3.0, 6.0)])


def _with(key, value):
    return lambda kw: {**kw, key: value(kw[key]) if callable(value) else value}


X_BAD = [
    ("1d:X", _with("X", lambda X: X[:, 0]), ValueError),
    ("text:X", _with("X", lambda X: X.astype(str)), TypeError),
    ("nan:X", _with("X", lambda X: np.r_[[[np.nan, 0.0]], X[1:]]), ValueError),
    ("inf:X", _with("X", lambda X: np.r_[[[np.inf, 0.0]], X[1:]]), ValueError),
    ("empty:X", _with("X", lambda X: X[:0]), ValueError),
    ("textcol:X", _with("X", lambda X: pd.DataFrame({"a": X[:, 0], "b": X[:, 1].astype(str)})),
     TypeError),
    ("bool:X", _with("X", lambda X: X > 0), TypeError),
    ("scalar:X", _with("X", 3.0), TypeError),
    ("none:X", _with("X", None), TypeError),
]

SPECS = [
    Spec(sg.rfm_scores, lambda: dict(rfm=rfm(), q=5),
         {"rfm": Table(numeric=RFM), "q": Size(low=2)},
         extra=[("negative:recency_days", _with("rfm", lambda d: d.assign(recency_days=-d["recency_days"])),
                 ValueError),
                ("negative:frequency", _with("rfm", lambda d: d.assign(frequency=-d["frequency"])),
                 ValueError),
                ("bool:frequency", _with("rfm", lambda d: d.assign(frequency=d["frequency"] > 2)),
                 TypeError),
                ("number:recency_col", _with("recency_col", 3), TypeError),
                ("unknown:recency_col", _with("recency_col", "days"), ValueError)]),
    Spec(sg.rfm_segments, lambda: dict(scores=scores()),
         {"scores": Table(numeric=["R", "F", "M"]), "monetary": Flag()},
         extra=[("above:R", _with("scores", lambda d: d.assign(R=d["R"] + 5)), ValueError),
                ("zero:F", _with("scores", lambda d: d.assign(F=0)), ValueError),
                ("fraction:M", _with("scores", lambda d: d.assign(M=d["M"] + 0.5)), ValueError),
                ("number:r_col", _with("r_col", 0), TypeError)]),
    Spec(sg.segment_grid, lambda: dict(monetary=True), {"monetary": Flag()}),
    Spec(sg.kmeans_sweep, lambda: dict(X=matrix(), ks=[2, 3], random_state=0, n_init=2),
         {"random_state": Size(low=0, high=2**32 - 1), "n_init": Size(low=1),
          "max_iter": Size(low=1), "silhouette_sample": Size(low=2)},
         extra=[*X_BAD,
                ("empty:ks", _with("ks", []), ValueError),
                ("one:ks", _with("ks", [1]), ValueError),
                ("float:ks", _with("ks", [2.5]), TypeError),
                ("text:ks", _with("ks", "3"), TypeError),
                ("n:ks", _with("ks", [30]), ValueError),
                ("twice:ks", _with("ks", [2, 2]), ValueError)]),
    Spec(sg.seed_stability, lambda: dict(X=matrix(), k=3, seeds=[0, 1], n_init=1),
         {"k": Size(low=2), "n_init": Size(low=1), "max_iter": Size(low=1)},
         extra=[*X_BAD,
                ("n:k", _with("k", 30), ValueError),
                ("one:seeds", _with("seeds", [0]), ValueError),
                ("twice:seeds", _with("seeds", [0, 0]), ValueError),
                ("negative:seeds", _with("seeds", [0, -1]), ValueError),
                ("float:seeds", _with("seeds", [0, 1.5]), TypeError),
                ("text:seeds", _with("seeds", "01"), TypeError)]),
    Spec(sg.profile, lambda: dict(df=rfm(), labels=np.array(["a", "b", "c"] * 10)),
         {"df": Table(numeric=["monetary"]), "labels": Array(numeric=False)},
         extra=[("unknown:stats", _with("stats", ["max"]), ValueError),
                ("empty:stats", _with("stats", []), ValueError),
                ("number:stats", _with("stats", 5), TypeError),
                ("unknown:revenue_col", _with("revenue_col", "spend"), ValueError),
                ("number:revenue_col", _with("revenue_col", 1), TypeError),
                ("text:frequency", lambda kw: {**kw, "df": kw["df"].assign(frequency="1"),
                                               "columns": ["frequency"]}, TypeError),
                ("inf:frequency", lambda kw: {**kw, "df": kw["df"].assign(frequency=np.inf)},
                 ValueError),
                ("unknown:columns", _with("columns", ["tenure"]), ValueError),
                ("short:labels", _with("labels", lambda a: a[:-1]), ValueError),
                ("unaligned:labels", lambda kw: {**kw, "labels": pd.Series(kw["labels"][:-1],
                                                                             index=kw["df"].index[:-1])},
                 ValueError)]),
]
test_bad_input, test_valid_call = make_tests(SPECS)


def test_profile_leaves_missing_summaries_out_but_counts_everyone():
    """NaN in a summarised column is not a silent row loss: n_customers still counts the row."""
    df = pd.DataFrame({"gap_days": [np.nan, 10.0, 20.0, 40.0], "monetary": [5.0, 10.0, 20.0, 40.0]})
    out = sg.profile(df, ["a", "a", "b", "b"], stats=["mean"])
    assert out["n_customers"].tolist() == [2, 2]
    assert out["gap_days_mean"].tolist() == [10.0, 30.0]  # hand: mean of the known values
