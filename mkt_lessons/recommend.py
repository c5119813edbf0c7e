"""Recommendations from implicit feedback: who bought what, and what to show them next.

The lesson (notebook 05) reads this module top to bottom:

1. :func:`interaction_matrix` turns order lines into a sparse customers x products matrix
   (a cell is 1 if the customer bought the product, or a count/quantity);
2. :func:`temporal_split` trains on the past and tests on what each customer bought *for the
   first time* after a cut-off date - the honest offline set-up;
3. recommenders, real scikit-learn estimators (settings in ``__init__``, validated by
   ``fit``, which returns ``self``; learned attributes end in ``_``; ``sklearn.base.clone``
   works; an unfitted model raises ``NotFittedError``), each with ``recommend(user_ids, k)``
   returning a tidy table: :class:`PopularityRecommender`, :class:`ItemKNNRecommender`,
   :class:`UserKNNRecommender`, :class:`ContentRecommender` (TF-IDF of product
   descriptions) and :class:`HybridRecommender`;
4. metrics on tidy tables: :func:`precision_at_k`, :func:`recall_at_k`, :func:`ndcg_at_k`,
   :func:`catalog_coverage` and :func:`evaluate` (a :class:`RankingMetrics` result).

Design choices (and why)
------------------------
* **Sparse throughout.** Matrices are ``scipy.sparse`` CSR; no recommender ever builds a
  dense users x items array. Scores are computed for batches of users as sparse products
  and the top-k is taken over the stored (non-zero) scores only, with a vectorised sort.
* **Scores come from evidence; popularity fills the rest.** An item gets a model score only
  if there is evidence for it (a co-purchase, a similar neighbour, a shared description
  word). If a customer has fewer than ``k`` such items, the list is completed with the most
  popular items they have not bought, marked ``source == "popularity"``. Ties are broken by
  popularity, then by item order, so results are deterministic.
* **Unknown users get the popularity fallback** (the cold-start rule for a new customer):
  ``recommend`` does not fail for a customer id it has not seen in ``fit``; it returns the
  most popular items, with ``source == "popularity"``.
* **Items already bought are excluded** by default (``exclude_seen=True``): recommending
  what someone already owns inflates offline scores and wastes a slot in an e-mail.
* **Neighbourhoods belong to the items in the customer's history** (item-kNN; Deshpande &
  Karypis 2004, the rule ``implicit``'s item-item models also use): for every item ``i`` we
  keep its ``k_neighbors`` most similar items, and a customer's score for a candidate ``j``
  sums ``sim(i, j)`` over the items ``i`` they bought that kept ``j``. Each bought item
  votes for its own ``k`` nearest items, so a niche item a customer bought can still lift
  its niche neighbours. The v1 rule (``neighbourhood="candidate"``: keep, for each
  *candidate* ``j``, its ``k`` most similar items) lets popular items crowd every
  neighbourhood and loses to plain popularity on real ratings data (lesson 05 shows both).
  Similarities are computed in blocks of items, so memory stays bounded on large
  catalogues.
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError

from mkt_lessons._results import Result
from mkt_lessons._validation import (
    check_1d,
    check_bool,
    check_date,
    check_frame,
    check_int,
    check_option,
    check_str,
    describe,
)
from mkt_lessons.constants import CUSTOMER_COL, DATE_COL, PRODUCT_COL

USER_COL = CUSTOMER_COL
ITEM_COL = PRODUCT_COL

#: Default neighbourhood size of the item-kNN (see :class:`ItemKNNRecommender`).
DEFAULT_K_NEIGHBORS = 20

__all__ = [
    "interaction_matrix", "temporal_split", "PopularityRecommender", "ItemKNNRecommender",
    "UserKNNRecommender", "ContentRecommender", "HybridRecommender", "precision_at_k",
    "recall_at_k", "ndcg_at_k", "catalog_coverage", "evaluate", "top_k_per_row",
    "RankingMetrics", "DEFAULT_K_NEIGHBORS",
]

_KEYWORDS = "user_col=/item_col=/date_col="


# --------------------------------------------------------------------------- validation
def _check_ids(values: Any, name: str, length: int | None = None) -> np.ndarray:
    """A one-dimensional list of ids, without missing values."""
    return check_1d(values, name, kind="any", length=length)


def _as_interactions(X: Any) -> sp.csr_matrix:
    """``X`` as a float CSR copy with non-negative finite values and at least one interaction."""
    if isinstance(X, (pd.DataFrame, pd.Series)):
        raise TypeError(f"X must be a sparse users x items matrix, got {describe(X)}: build it "
                        "with `X, user_ids, item_ids = interaction_matrix(orders)`")
    if sp.issparse(X):
        if X.dtype.kind not in "biuf":
            raise TypeError(f"X must hold numbers, got dtype {X.dtype}")
        X = sp.csr_matrix(X, dtype=np.float64, copy=True)
    else:
        if isinstance(X, (str, bytes)) or np.isscalar(X) or X is None:
            raise TypeError(f"X must be a users x items matrix, got {describe(X)}")
        arr = np.asarray(X)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"X must hold numbers, got {describe(arr)}")
        if arr.ndim != 2:
            raise ValueError(f"X must be two-dimensional (users x items), got shape {arr.shape}")
        X = sp.csr_matrix(arr.astype(np.float64))
    if X.ndim != 2:  # pragma: no cover - scipy sparse arrays are 2-D here
        raise ValueError(f"X must be two-dimensional (users x items), got shape {X.shape}")
    if not np.all(np.isfinite(X.data)):
        raise ValueError(f"X has {int((~np.isfinite(X.data)).sum())} missing or infinite "
                         "value(s); interaction strengths must be finite")
    if np.any(X.data < 0):
        raise ValueError("X must hold non-negative interaction strengths, got "
                         f"{int((X.data < 0).sum())} negative value(s)")
    X.sum_duplicates()
    X.eliminate_zeros()
    if X.shape[0] == 0 or X.shape[1] == 0 or X.nnz == 0:
        raise ValueError(f"X has no interactions (shape {X.shape}, {X.nnz} stored values)")
    return X


# --------------------------------------------------------------------------- the matrix
def interaction_matrix(orders: pd.DataFrame, *, user_col: str = USER_COL,
                       item_col: str = ITEM_COL, weight_col: str | None = None,
                       binary: bool = True, users: Sequence | None = None,
                       items: Sequence | None = None
                       ) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Sparse users x items matrix of implicit feedback from order lines.

    Parameters
    ----------
    orders : DataFrame
        One row per order line with a user and an item column (no missing ids).
    user_col, item_col : str
        Column names of the user (customer) and item (product) ids.
    weight_col : str, optional
        If ``binary=False``: sum this numeric column per cell (e.g. ``"quantity"``); by
        default the cell counts order lines.
    binary : bool
        ``True`` (default): a cell is 1 if the user ever bought the item, else empty.
    users, items : sequence, optional
        Fix the rows/columns (e.g. ``items=products["product_id"]`` to include products
        nobody has bought yet). Default: the sorted distinct ids in ``orders``. Rows whose
        id is not in a given list raise ``ValueError`` (no silent row loss).

    Returns
    -------
    X : scipy.sparse.csr_matrix, shape (n_users, n_items), float64
    user_ids, item_ids : ndarray
        The id of each row and column of ``X``.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"], "product_id": ["x", "y", "x"]})
    >>> X, users, items = interaction_matrix(orders)
    >>> X.toarray().tolist(), list(users), list(items)
    ([[1.0, 1.0], [1.0, 0.0]], ['a', 'b'], ['x', 'y'])
    """
    user_col, item_col = check_str(user_col, "user_col"), check_str(item_col, "item_col")
    binary = check_bool(binary, "binary")
    if weight_col is not None:
        weight_col = check_str(weight_col, "weight_col")
    weights = [weight_col] if weight_col is not None and not binary else []
    check_frame(orders, "orders", [user_col, item_col, *weights],
                keywords="user_col=/item_col=/weight_col=", ids=[user_col, item_col],
                numeric=weights, non_negative=weights)
    index = {}
    for col, given, name in ((user_col, users, "users"), (item_col, items, "items")):
        if given is None:
            labels = pd.Index(np.sort(orders[col].unique()))
        else:
            labels = pd.Index(_check_ids(given, name))
            if labels.has_duplicates:
                raise ValueError(f"{name} has {int(labels.duplicated().sum())} duplicate id(s), "
                                 f"e.g. {labels[labels.duplicated()][0]!r}")
        pos = labels.get_indexer(orders[col])
        if (pos < 0).any():
            unknown = pd.unique(orders[col][pos < 0])
            raise ValueError(f"{int((pos < 0).sum())} rows of orders have a {col} not in {name} "
                             f"(e.g. {list(unknown[:3])})")
        index[col] = (labels, pos)
    (user_labels, rows), (item_labels, cols_) = index[user_col], index[item_col]
    if weights:
        values = orders[weight_col].to_numpy(dtype=np.float64)
    else:
        values = np.ones(len(orders))
    X = sp.csr_matrix((values, (rows, cols_)), shape=(len(user_labels), len(item_labels)))
    X.sum_duplicates()
    if binary:
        X.data[:] = 1.0
    X.eliminate_zeros()
    return X, user_labels.to_numpy(), item_labels.to_numpy()


def temporal_split(orders: pd.DataFrame, cutoff: Any, *, end: Any = None,
                   date_col: str = DATE_COL, user_col: str = USER_COL, item_col: str = ITEM_COL,
                   exclude_seen: bool = True, warm_users_only: bool = True
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split order lines in time: train before ``cutoff``, test from ``cutoff`` on.

    Parameters
    ----------
    orders : DataFrame
        Order lines with a date (naive ``datetime64``, no missing dates), user and item
        column (no missing ids): a row that could belong to neither side is an error, never
        silently dropped.
    cutoff : date-like
        First day of the test period: after the first and on or before the last order date.
    end : date-like, optional
        First day after the test period (default: keep everything from ``cutoff`` on).
    exclude_seen : bool
        Drop test lines whose (user, item) pair already occurs in train: we grade what a
        customer buys *for the first time*, since re-buying needs no recommender.
    warm_users_only : bool
        Keep in the test set only users who have at least one train order (new customers
        are a cold-start question, evaluated separately).

    Returns
    -------
    train, test : DataFrame
        New tables (the input is not modified).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...                        "product_id": ["x", "y", "x", "x"],
    ...                        "order_date": pd.to_datetime(["2024-01-01", "2024-02-01",
    ...                                                      "2024-01-05", "2024-02-03"])})
    >>> train, test = temporal_split(orders, "2024-02-01")
    >>> len(train), test["product_id"].tolist()  # b re-bought x: not a first purchase
    (2, ['y'])
    """
    date_col, user_col = check_str(date_col, "date_col"), check_str(user_col, "user_col")
    item_col = check_str(item_col, "item_col")
    exclude_seen = check_bool(exclude_seen, "exclude_seen")
    warm_users_only = check_bool(warm_users_only, "warm_users_only")
    check_frame(orders, "orders", [date_col, user_col, item_col], keywords=_KEYWORDS,
                ids=[user_col, item_col], dates=[date_col])
    dates = orders[date_col]
    first, last = dates.min(), dates.max()
    cutoff = check_date(cutoff, "cutoff", low=first.normalize() + pd.Timedelta(days=1),
                        high=last)
    train = orders.loc[dates < cutoff].copy()
    in_test = dates >= cutoff
    if end is not None:
        end = check_date(end, "end", low=cutoff + pd.Timedelta(days=1))
        in_test &= dates < end
    test = orders.loc[in_test].copy()
    if len(train) == 0 or len(test) == 0:  # pragma: no cover - prevented by the date bounds
        raise ValueError(f"cutoff {cutoff.date()} leaves {len(train)} train and {len(test)} test "
                         f"rows; choose a date inside the data ({first.date()} to {last.date()})")
    if exclude_seen:
        seen = pd.MultiIndex.from_frame(train[[user_col, item_col]])
        pairs = pd.MultiIndex.from_frame(test[[user_col, item_col]])
        test = test.loc[~pairs.isin(seen)]
    if warm_users_only:
        test = test.loc[test[user_col].isin(train[user_col])]
    return train, test.copy()


# --------------------------------------------------------------------------- top-k
def top_k_per_row(M: Any, k: int, tiebreak: Any = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` largest positive stored values of each row of a sparse matrix.

    Only stored values greater than zero compete (an empty cell is "no evidence").
    Values equal in single precision are ties, broken by ``tiebreak[column]`` (smaller
    first), then by column index.

    Parameters
    ----------
    M : sparse matrix or 2-D array of numbers
    k : int
        How many values to keep per row (at least 1).
    tiebreak : array of numbers, optional
        One value per column (default: all equal, so ties go to the lower column index).

    Returns
    -------
    rows, cols, values, rank : ndarray
        One entry per kept value, grouped by row, best first; ``rank`` starts at 0.

    Examples
    --------
    >>> M = sp.csr_matrix(np.array([[0.2, 0.9, 0.5], [0.0, 0.3, 0.3]]))
    >>> rows, cols, values, rank = top_k_per_row(M, 2)
    >>> rows.tolist(), cols.tolist(), rank.tolist()
    ([0, 0, 1, 1], [1, 2, 1, 2], [0, 1, 0, 1])
    """
    k = check_int(k, "k", low=1)
    if sp.issparse(M):
        if M.dtype.kind not in "biuf":
            raise TypeError(f"M must hold numbers, got dtype {M.dtype}")
        M = sp.csr_matrix(M, dtype=np.float64, copy=True)
    else:
        if isinstance(M, (str, bytes, pd.DataFrame)) or np.isscalar(M) or M is None:
            raise TypeError(f"M must be a sparse matrix or 2-D array, got {describe(M)}")
        arr = np.asarray(M)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"M must hold numbers, got {describe(arr)}")
        if arr.ndim != 2:
            raise ValueError(f"M must be two-dimensional, got shape {arr.shape}")
        M = sp.csr_matrix(arr.astype(np.float64))
    if not np.all(np.isfinite(M.data)):
        raise ValueError("M has missing or infinite values (NaN/inf)")
    if tiebreak is not None:
        tiebreak = check_1d(tiebreak, "tiebreak", length=M.shape[1])
    return _top_k_per_row(M, k, tiebreak)


def _top_k_per_row(M: sp.spmatrix, k: int, tiebreak: np.ndarray | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`top_k_per_row` without the input checks (inputs already validated)."""
    M = sp.csr_matrix(M)
    M.sum_duplicates()
    n_per_row = np.diff(M.indptr)
    rows = np.repeat(np.arange(M.shape[0]), n_per_row)
    positive = M.data > 0
    rows, cols, vals = rows[positive], M.indices[positive], M.data[positive]
    n_rows, n_cols = M.shape
    tb = np.zeros(n_cols) if tiebreak is None else np.asarray(tiebreak)
    # Column order for ties: by tiebreak, then index -> a unique integer per column.
    col_rank = np.empty(n_cols, dtype=np.uint64)
    col_rank[np.lexsort((np.arange(n_cols), tb))] = np.arange(n_cols, dtype=np.uint64)
    # Scores are compared in float32 so that sums equal up to rounding (0.5 vs
    # 0.49999999999999994, from a different summation order) count as ties. A positive
    # float32's bit pattern sorts like the number; 2**31 - 1 - bits sorts descending.
    score_key = (np.uint32(2**31 - 1) - vals.astype(np.float32).view(np.uint32)).astype(np.uint64)
    row_bits, col_bits = int(n_rows).bit_length(), int(n_cols).bit_length()
    if row_bits + 31 + col_bits <= 64:
        # one sort of a packed key (row | score | column rank): much faster than lexsort
        key = ((rows.astype(np.uint64) << np.uint64(31 + col_bits))
               | (score_key << np.uint64(col_bits)) | col_rank[cols])
        order = np.argsort(key)
    else:
        order = np.lexsort((col_rank[cols], score_key, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    starts = np.searchsorted(rows, np.arange(M.shape[0]))
    rank = np.arange(len(rows)) - starts[rows]
    keep = rank < k
    return rows[keep], cols[keep], vals[keep], rank[keep]


def _top_k_mask(D: np.ndarray, k: int) -> np.ndarray:
    """Mask of each row's ``k`` largest positive values in a dense block (ties: lower index)."""
    if k >= D.shape[1]:
        return D > 0
    kth = -np.partition(-D, k - 1, axis=1)[:, k - 1]
    greater = D > kth[:, None]
    equal = D == kth[:, None]
    room = k - greater.sum(axis=1)
    keep = greater | (equal & (np.cumsum(equal, axis=1) <= room[:, None]))
    return keep & (D > 0)


def _prune(sim: sp.csr_matrix, k: int | None, offset: int = 0) -> sp.csr_matrix:
    """Zero the diagonal (row r is item ``offset + r``) and keep each row's k best entries."""
    sim = sp.csr_matrix(sim)
    rows = np.repeat(np.arange(sim.shape[0]), np.diff(sim.indptr))
    sim.data[sim.indices == rows + offset] = 0.0
    sim.eliminate_zeros()
    if k is None:
        sim.data[sim.data < 0] = 0.0
        sim.eliminate_zeros()
        return sim
    n_rows, n_cols = sim.shape
    if sim.nnz < 0.05 * n_rows * n_cols:  # sparse block: sort the stored values
        r, c, v, _ = _top_k_per_row(sim, k)
        return sp.csr_matrix((v, (r, c)), shape=sim.shape)
    # dense-ish block: a partial sort per row is much faster than sorting every value.
    # Values equal in single precision are ties (lower column first), as in top_k_per_row.
    parts, step = [], max(1, 4_000_000 // n_cols)
    for lo in range(0, n_rows, step):
        D = sim[lo:lo + step].toarray()
        keep = _top_k_mask(D.astype(np.float32), k)
        parts.append(sp.csr_matrix(np.where(keep, D, 0.0)))
    return sp.csr_matrix(sp.vstack(parts))


def _column_normalised(X: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=0)).ravel())
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(X @ sp.diags(inv))


def _row_normalised(X: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(sp.diags(inv) @ X)


def _check_neighbors(k_neighbors: Any) -> int | None:
    return check_int(k_neighbors, "k_neighbors", low=1, allow_none=True)


def _drop_seen(scores: sp.spmatrix, seen: sp.csr_matrix) -> sp.csr_matrix:
    """Remove the scores of bought items (x - x * 1 is exactly 0, then dropped)."""
    scores = sp.csr_matrix(scores)
    scores = sp.csr_matrix(scores - scores.multiply(seen > 0))
    scores.eliminate_zeros()
    return scores


# --------------------------------------------------------------------------- recommenders
class _Recommender(BaseEstimator):
    """Shared machinery: validation, batching, exclusion of bought items, top-k, fallback."""

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:  # noqa: N803 - sklearn's signature
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params(deep=False).items()
                         if not isinstance(v, pd.DataFrame))
        return f"{type(self).__name__}({args})"

    def _validate_params(self) -> None:
        """Check the settings given to ``__init__`` (subclasses; called by ``fit``)."""

    def fit(self, X: Any, user_ids: Sequence | None = None,
            item_ids: Sequence | None = None) -> _Recommender:
        """Learn from a users x items interaction matrix.

        Parameters
        ----------
        X : sparse matrix (n_users, n_items)
            Implicit feedback, e.g. from :func:`interaction_matrix`.
        user_ids, item_ids : sequence, optional
            Labels of the rows and columns (default ``0 .. n - 1``).

        Returns
        -------
        self
        """
        self._validate_params()
        X = _as_interactions(X)
        n_users, n_items = X.shape
        ids = {}
        for name, given, n, what in (("user_ids", user_ids, n_users, "rows"),
                                     ("item_ids", item_ids, n_items, "columns")):
            if given is None:
                ids[name] = np.arange(n)
                continue
            arr = _check_ids(given, name)
            if len(arr) != n:
                raise ValueError(f"{name} has {len(arr)} labels but X has {n} {what}")
            if pd.Index(arr).has_duplicates:
                raise ValueError(f"{name} has duplicate ids")
            ids[name] = arr
        self.user_ids_, self.item_ids_ = ids["user_ids"], ids["item_ids"]
        self._user_index = pd.Index(self.user_ids_)
        self.X_ = X
        # Popularity = number of distinct buyers per item in the training data.
        self.popularity_ = np.bincount(X.indices, minlength=n_items).astype(np.int64)
        self._pop_order = np.lexsort((np.arange(n_items), -self.popularity_))
        self._pop_rank = np.empty(n_items, dtype=np.int64)
        self._pop_rank[self._pop_order] = np.arange(n_items)
        self._fit(X)
        return self

    def _fit(self, X: sp.csr_matrix) -> None:
        """Learn model-specific attributes (subclasses)."""

    def _scores(self, rows: np.ndarray, seen: sp.csr_matrix | None = None
                ) -> sp.csr_matrix | None:
        """Sparse scores (len(rows) x n_items) for known users; None: popularity only.

        ``seen`` (the users' bought items, or None) is for parts that rescale scores.
        """
        return None

    def _check_fitted(self) -> None:
        if not hasattr(self, "X_"):
            raise NotFittedError(f"This {type(self).__name__} is not fitted yet: call "
                                 "fit(X, user_ids, item_ids) first")

    def recommend(self, user_ids: Sequence, k: int = 10, *, exclude_seen: bool = True,
                  batch_size: int = 2000, user_col: str = USER_COL,
                  item_col: str = ITEM_COL) -> pd.DataFrame:
        """Top-``k`` items for each user, as a tidy table.

        Parameters
        ----------
        user_ids : sequence
            Users to recommend for. Ids not seen in ``fit`` (new customers) get the most
            popular items (``source == "popularity"``).
        k : int
            List length (at most the number of items).
        exclude_seen : bool
            Leave out items the user bought in the training data (default True).
        batch_size : int
            Users scored at a time (bounds memory).
        user_col, item_col : str
            Column names of the output.

        Returns
        -------
        DataFrame
            Columns ``user_col``, ``rank`` (1 = best), ``item_col``, ``score`` and
            ``source`` ("model" or "popularity"), ``k`` rows per user in the order of
            ``user_ids`` (fewer if a user has bought almost everything). The score of a
            popularity row is the item's number of buyers in training.
        """
        self._check_fitted()
        users = _check_ids(user_ids, "user_ids")
        n_items = self.X_.shape[1]
        k = check_int(k, "k", low=1)
        if k > n_items:
            raise ValueError(f"k={k} is larger than the number of items ({n_items})")
        exclude_seen = check_bool(exclude_seen, "exclude_seen")
        batch_size = check_int(batch_size, "batch_size", low=1)
        user_col, item_col = check_str(user_col, "user_col"), check_str(item_col, "item_col")
        pos = self._user_index.get_indexer(users)
        out_u, out_i, out_s, out_r, out_m = [], [], [], [], []
        known = np.flatnonzero(pos >= 0)
        for lo in range(0, len(known), batch_size):
            req = known[lo:lo + batch_size]
            r, c, v, rank, model = self._top_k(pos[req], k, exclude_seen)
            out_u.append(req[r])
            out_i.append(c)
            out_s.append(v)
            out_r.append(rank)
            out_m.append(model)
        unknown = np.flatnonzero(pos < 0)
        if len(unknown):
            top = self._pop_order[:k]
            out_u.append(np.repeat(unknown, k))
            out_i.append(np.tile(top, len(unknown)))
            out_s.append(np.tile(self.popularity_[top].astype(float), len(unknown)))
            out_r.append(np.tile(np.arange(k), len(unknown)))
            out_m.append(np.zeros(k * len(unknown), dtype=bool))
        u, i, s = np.concatenate(out_u), np.concatenate(out_i), np.concatenate(out_s)
        rank, model = np.concatenate(out_r), np.concatenate(out_m)
        order = np.lexsort((rank, u))
        u, i, s, rank, model = u[order], i[order], s[order], rank[order], model[order]
        return pd.DataFrame({
            user_col: users[u],
            "rank": rank + 1,
            item_col: self.item_ids_[i],
            "score": s,
            "source": np.where(model, "model", "popularity"),
        })

    def _top_k(self, rows: np.ndarray, k: int, exclude_seen: bool):
        """Top-k for a batch of known users: rows, cols, scores, rank, from-model flags."""
        n, n_items = len(rows), self.X_.shape[1]
        seen = self.X_[rows] if exclude_seen else sp.csr_matrix((n, n_items))
        scores = self._scores(rows, seen if exclude_seen else None)
        if scores is None:
            r = c = np.empty(0, dtype=np.int64)
            v = np.empty(0)
        else:
            if exclude_seen:
                scores = _drop_seen(scores, seen)
            r, c, v, _ = _top_k_per_row(scores, k, self._pop_rank)
        have = np.bincount(r, minlength=n)
        need = np.minimum(k - have, n_items - np.diff(seen.indptr) - have)
        fr, fc = self._fill(seen, r, c, need)
        rows_all = np.concatenate([r, fr])
        cols_all = np.concatenate([c, fc])
        vals_all = np.concatenate([v, self.popularity_[fc].astype(float)])
        model = np.concatenate([np.ones(len(r), bool), np.zeros(len(fr), bool)])
        order = np.lexsort((np.arange(len(rows_all)), rows_all))  # stable: model rows first
        rows_all, cols_all, vals_all, model = (rows_all[order], cols_all[order],
                                               vals_all[order], model[order])
        starts = np.searchsorted(rows_all, np.arange(n))
        rank = np.arange(len(rows_all)) - starts[rows_all]
        return rows_all, cols_all, vals_all, rank, model

    def _fill(self, seen: sp.csr_matrix, r: np.ndarray, c: np.ndarray, need: np.ndarray):
        """Most popular items not yet bought and not yet chosen, ``need[i]`` for row i."""
        n, n_items = seen.shape
        todo = np.flatnonzero(need > 0)
        if len(todo) == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        chosen = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(n, n_items))
        taken = (seen[todo] + chosen[todo]) > 0
        m = min(n_items, int(need.max()) + 64)
        cand = self._pop_order[:m]
        avail = ~taken[:, cand].toarray()
        cum = np.cumsum(avail, axis=1)
        pick = avail & (cum <= need[todo, None])
        enough = cum[:, -1] >= need[todo]
        pr, pc = np.nonzero(pick & enough[:, None])
        fr, fc = [todo[pr]], [cand[pc]]
        for j in np.flatnonzero(~enough):  # rare: the user has bought most popular items
            row_taken = taken[j].toarray().ravel()
            free = self._pop_order[~row_taken[self._pop_order]][:need[todo[j]]]
            fr.append(np.full(len(free), todo[j]))
            fc.append(free)
        return np.concatenate(fr).astype(np.int64), np.concatenate(fc).astype(np.int64)


class PopularityRecommender(_Recommender):
    """Recommend the items most customers bought (that this customer has not bought).

    The baseline every recommender must beat. ``popularity_`` counts distinct buyers per
    item in the training matrix.

    Examples
    --------
    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [0, 1, 0], [0, 1, 1]]))
    >>> PopularityRecommender().fit(X).recommend([0], k=2)["product_id"].tolist()
    [2]
    """

    def __init__(self) -> None:
        pass  # no settings: the ranking is the training data's

    def _scores(self, rows: np.ndarray, seen: sp.csr_matrix | None = None) -> None:
        return None


class _NeighbourhoodItemScorer(_Recommender):
    """score(u, j) = sum of similarity_[i, j] over items i that u bought (X_u @ similarity_)."""

    def _scores(self, rows: np.ndarray, seen: sp.csr_matrix | None = None) -> sp.csr_matrix:
        return sp.csr_matrix(self.X_[rows] @ self.similarity_)

    def similar_items(self, item_id: Any, n: int = 5, *, item_col: str = ITEM_COL
                      ) -> pd.DataFrame:
        """The ``n`` nearest neighbours of one item, with their similarity."""
        self._check_fitted()
        n = check_int(n, "n", low=1)
        item_col = check_str(item_col, "item_col")
        j = pd.Index(self.item_ids_).get_indexer([item_id])[0]
        if j < 0:
            raise ValueError(f"item_id {item_id!r} is not one of the fitted items")
        neighbours = sp.csr_matrix(self.similarity_[:, [j]].T)  # column j: j's neighbours
        _, idx, v, _ = _top_k_per_row(neighbours, n, self._pop_rank)
        return pd.DataFrame({item_col: self.item_ids_[idx], "similarity": v})


def _item_similarity_blocks(F: sp.csr_matrix, k: int | None, block_size: int,
                            neighbourhood: str = "history") -> sp.csr_matrix:
    """Pruned item-item cosine similarity from unit-length item columns ``F`` (any x n_items).

    Returns ``S`` (bought items x candidates), used as ``scores = X @ S``:

    * ``"history"``: ``S[i, j]`` is kept if ``j`` is among the ``k`` most similar items of
      the bought item ``i`` (Deshpande & Karypis 2004);
    * ``"candidate"``: ``S[i, j]`` is kept if ``i`` is among the ``k`` most similar items of
      the candidate ``j`` (the v1 rule).

    Cosine is symmetric, so both prune the rows of the same blocks; the candidate rule
    then transposes.
    """
    n_items = F.shape[1]
    Fc = sp.csc_matrix(F)
    blocks = []
    for lo in range(0, n_items, block_size):
        hi = min(n_items, lo + block_size)
        sim = sp.csr_matrix(Fc[:, lo:hi].T @ F)  # items lo..hi x all items
        blocks.append(_prune(sim, k, offset=lo))
    S = sp.csr_matrix(sp.vstack(blocks))
    return S if neighbourhood == "history" else sp.csr_matrix(S.T)


class ItemKNNRecommender(_NeighbourhoodItemScorer):
    """Item-item collaborative filtering with cosine similarity (top-N item-kNN).

    Two items are similar if the same customers bought them: with 0/1 data the cosine of
    two item columns is ``n_both / sqrt(n_i * n_j)`` - co-buyers, discounted for items
    everybody buys. Empty cells count as "not bought" (they add nothing to the dot product).
    A customer's score for a candidate item is the sum of its similarities to the items
    they bought, counting only the kept neighbour pairs.

    Parameters
    ----------
    k_neighbors : int or None, default 20
        Neighbours kept per item (None: every item with a co-buyer). Fewer neighbours means
        faster scoring and more personal lists; too few leaves customers with short lists
        that popularity fills. 20 is the usual default (``implicit`` uses 20; Deshpande &
        Karypis found 10-30 best on their data sets); tune it on a validation period.
    neighbourhood : {"history", "candidate"}, default "history"
        Whose neighbours are kept. ``"history"`` (Deshpande & Karypis 2004): every item the
        customer bought keeps its ``k_neighbors`` nearest items and only those get its vote.
        ``"candidate"`` (v1): every candidate keeps its ``k_neighbors`` nearest items, so a
        bought item only counts if it is among the candidate's nearest - popular items then
        crowd the neighbourhoods of everything.
    block_size : int, default 1000
        Items per block when computing similarities (bounds memory).

    Attributes
    ----------
    similarity_ : csr_matrix (n_items, n_items)
        Pruned similarities, rows = bought items, columns = candidates; ``scores = X @
        similarity_``. The diagonal is zero.
    popularity_ : ndarray
        Distinct buyers per item in the training matrix (the fallback order).

    References
    ----------
    M. Deshpande and G. Karypis (2004), Item-based top-N recommendation algorithms,
    ACM Transactions on Information Systems 22(1), 143-177.

    Examples
    --------
    >>> X = sp.csr_matrix(np.array([[1, 1, 0, 0], [1, 1, 1, 0], [0, 0, 1, 1], [1, 0, 0, 0]]))
    >>> model = ItemKNNRecommender(k_neighbors=1).fit(X, item_ids=["a", "b", "c", "d"])
    >>> model.recommend([3], k=1)["product_id"].tolist()  # bought a: its nearest item is b
    ['b']
    """

    def __init__(self, k_neighbors: int | None = DEFAULT_K_NEIGHBORS,
                 neighbourhood: str = "history", block_size: int = 1000) -> None:
        self.k_neighbors = k_neighbors
        self.neighbourhood = neighbourhood
        self.block_size = block_size

    def _validate_params(self) -> None:
        _check_neighbors(self.k_neighbors)
        check_option(self.neighbourhood, "neighbourhood", ["history", "candidate"])
        check_int(self.block_size, "block_size", low=1)

    def _fit(self, X: sp.csr_matrix) -> None:
        self.similarity_ = _item_similarity_blocks(_column_normalised(X), self.k_neighbors,
                                                   self.block_size, self.neighbourhood)


class UserKNNRecommender(_Recommender):
    """User-user collaborative filtering with cosine similarity.

    A customer's score for an item is the summed similarity of their ``k_neighbors`` most
    similar customers (by cosine of purchase rows) who bought it.

    Parameters
    ----------
    k_neighbors : int
        Neighbours per user.

    Examples
    --------
    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 0, 1]]))
    >>> UserKNNRecommender(k_neighbors=1).fit(X).recommend([0], k=1)["product_id"].tolist()
    [2]
    """

    def __init__(self, k_neighbors: int = 50) -> None:
        self.k_neighbors = k_neighbors

    def _validate_params(self) -> None:
        check_int(self.k_neighbors, "k_neighbors", low=1)

    def _fit(self, X: sp.csr_matrix) -> None:
        self.user_vectors_ = _row_normalised(X)
        self._user_vectors_t = sp.csr_matrix(self.user_vectors_.T)

    def _scores(self, rows: np.ndarray, seen: sp.csr_matrix | None = None) -> sp.csr_matrix:
        n_users = self.X_.shape[0]
        step = max(1, 4_000_000 // n_users)  # a users x users block of <= 4M similarities
        parts = []
        for lo in range(0, len(rows), step):
            sub = rows[lo:lo + step]
            sim = (self.user_vectors_[sub] @ self._user_vectors_t).toarray()
            sim[np.arange(len(sub)), sub] = 0.0  # a user is not their own neighbour
            keep = _top_k_mask(sim, self.k_neighbors)
            parts.append(sp.csr_matrix(np.where(keep, sim, 0.0)))
        return sp.csr_matrix(sp.vstack(parts) @ self.X_)


class ContentRecommender(_NeighbourhoodItemScorer):
    """Content-based recommendations: items whose descriptions resemble what the user bought.

    Descriptions become TF-IDF vectors (words shared by few products weigh more); the
    similarity of two items is the cosine of their vectors. Needs no purchase history for
    an item, so it can recommend a brand-new product (build ``X`` with
    ``items=products["product_id"]`` so the new product has a column).

    Parameters
    ----------
    products : DataFrame
        One row per item with ``item_col`` and ``text_col``; must cover every fitted item
        (required: ``fit`` refuses the default None).
    item_col, text_col : str
        Column names of the item id and its description.
    k_neighbors : int or None
        Neighbours kept per item (None: every item that shares a word).
    neighbourhood : {"history", "candidate"}
        Whose neighbours are kept, as in :class:`ItemKNNRecommender`.
    min_df : int
        Ignore words used by fewer products (passed to ``TfidfVectorizer``).

    Attributes
    ----------
    vectorizer_ : sklearn TfidfVectorizer
    item_vectors_ : csr_matrix (n_items, n_words)
    similarity_ : csr_matrix (n_items, n_items)

    Examples
    --------
    >>> products = pd.DataFrame({"product_id": ["mug", "cup", "rug"],
    ...                          "description": ["ceramic mug", "ceramic cup", "wool rug"]})
    >>> X = sp.csr_matrix(np.array([[1, 0, 0], [0, 0, 1]]))
    >>> model = ContentRecommender(products).fit(X, item_ids=products["product_id"])
    >>> model.recommend([0], k=1)["product_id"].tolist()  # bought the mug: the other ceramic item
    ['cup']
    """

    def __init__(self, products: pd.DataFrame | None = None, *, item_col: str = ITEM_COL,
                 text_col: str = "description", k_neighbors: int | None = 50,
                 neighbourhood: str = "history", min_df: int = 1) -> None:
        self.products = products
        self.item_col = item_col
        self.text_col = text_col
        self.k_neighbors = k_neighbors
        self.neighbourhood = neighbourhood
        self.min_df = min_df

    def _validate_params(self) -> None:
        check_str(self.item_col, "item_col")
        check_str(self.text_col, "text_col")
        check_frame(self.products, "products", [self.item_col, self.text_col],
                    keywords="item_col=/text_col=", ids=[self.item_col])
        _check_neighbors(self.k_neighbors)
        check_option(self.neighbourhood, "neighbourhood", ["history", "candidate"])
        check_int(self.min_df, "min_df", low=1)

    def _fit(self, X: sp.csr_matrix) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        table = self.products.drop_duplicates(self.item_col).set_index(self.item_col)
        missing = pd.Index(self.item_ids_).difference(table.index)
        if len(missing):
            raise ValueError(f"products lacks {len(missing)} fitted item(s) in {self.item_col!r} "
                             f"(e.g. {list(missing[:3])})")
        text = table.loc[self.item_ids_, self.text_col].fillna("").astype(str)
        self.vectorizer_ = TfidfVectorizer(min_df=self.min_df)
        self.item_vectors_ = sp.csr_matrix(self.vectorizer_.fit_transform(text.to_numpy()))
        self.similarity_ = _item_similarity_blocks(sp.csr_matrix(self.item_vectors_.T),
                                                   self.k_neighbors, 1000, self.neighbourhood)


class HybridRecommender(_Recommender):
    """A weighted blend of recommenders' scores.

    Each part's scores are divided by the user's largest score from that part among the
    candidate items (so every part speaks on a 0-1 scale for every user), then weighted
    and summed.

    Parameters
    ----------
    recommenders : sequence of recommenders
        Unfitted or fitted; ``fit`` fits clones (``recommenders_``), the originals are
        left untouched (required: ``fit`` refuses the default None).
    weights : sequence of float, optional
        One non-negative weight per recommender (default: equal).

    Examples
    --------
    >>> X = sp.csr_matrix(np.array([[1, 1, 0, 0], [1, 1, 1, 0], [0, 0, 1, 1]]))
    >>> hybrid = HybridRecommender([ItemKNNRecommender(), PopularityRecommender()], weights=[3, 1])
    >>> hybrid.fit(X).recommend([0], k=2)["product_id"].tolist()
    [2, 3]
    """

    def __init__(self, recommenders: Sequence[_Recommender] | None = None,
                 weights: Sequence[float] | None = None) -> None:
        self.recommenders = recommenders
        self.weights = weights

    def _validate_params(self) -> None:
        parts = self.recommenders
        if (isinstance(parts, (str, bytes, _Recommender)) or not isinstance(parts, Sequence)
                or not parts or not all(isinstance(p, _Recommender) for p in parts)):
            raise TypeError("recommenders must be a non-empty list of mkt_lessons recommenders, "
                            f"got {describe(parts)}")
        if self.weights is not None:
            w = check_1d(self.weights, "weights", length=len(parts), low=0)
            if w.sum() == 0:
                raise ValueError(f"weights must not all be zero, got {list(w)}")

    def _fit(self, X: sp.csr_matrix) -> None:
        parts = list(self.recommenders)
        w = (np.ones(len(parts)) if self.weights is None
             else check_1d(self.weights, "weights", length=len(parts), low=0))
        self.weights_ = w / w.sum()
        self.recommenders_ = [clone(p).fit(X, self.user_ids_, self.item_ids_) for p in parts]

    def _scores(self, rows: np.ndarray, seen: sp.csr_matrix | None = None) -> sp.csr_matrix:
        total = sp.csr_matrix((len(rows), self.X_.shape[1]))
        for w, part in zip(self.weights_, self.recommenders_, strict=True):
            s = part._scores(rows, seen)
            if s is None or w == 0:
                continue
            s = sp.csr_matrix(s) if seen is None else _drop_seen(s, seen)  # max over candidates
            top = np.asarray(s.max(axis=1).toarray()).ravel()
            inv = np.divide(w, top, out=np.zeros_like(top), where=top > 0)
            total = total + sp.diags(inv) @ s
        return sp.csr_matrix(total)


# --------------------------------------------------------------------------- metrics
def _check_recs_and_test(recommendations: Any, test: Any, k: Any, user_col: Any,
                         item_col: Any) -> tuple[int, str, str]:
    k = check_int(k, "k", low=1)
    user_col, item_col = check_str(user_col, "user_col"), check_str(item_col, "item_col")
    check_frame(recommendations, "recommendations", [user_col, item_col, "rank"],
                keywords="user_col=/item_col=", ids=[user_col, item_col], numeric=["rank"])
    check_frame(test, "test", [user_col, item_col], keywords="user_col=/item_col=",
                ids=[user_col, item_col])
    ranks = recommendations["rank"].to_numpy(dtype=float)
    if (ranks < 1).any() or (ranks != np.round(ranks)).any():
        raise ValueError("recommendations['rank'] must hold whole numbers >= 1 (1 = best), got "
                         f"{ranks[(ranks < 1) | (ranks != np.round(ranks))][0]:g}")
    return k, user_col, item_col


def _hits(recommendations: pd.DataFrame, test: pd.DataFrame, k: int, user_col: str,
          item_col: str) -> pd.DataFrame:
    """Per test user: number relevant, hits in the top-k, DCG of the top-k (inputs checked)."""
    relevant = test[[user_col, item_col]].drop_duplicates()
    n_rel = relevant.groupby(user_col, sort=True).size().rename("n_relevant")
    top = recommendations.loc[recommendations["rank"] <= k, [user_col, item_col, "rank"]]
    top = top.drop_duplicates([user_col, item_col])
    hit = top.merge(relevant, on=[user_col, item_col], how="inner")
    hit = hit.assign(gain=1.0 / np.log2(hit["rank"].to_numpy(dtype=float) + 1))
    per_user = hit.groupby(user_col, sort=True).agg(hits=("gain", "size"), dcg=("gain", "sum"))
    table = n_rel.to_frame().join(per_user, how="left").fillna({"hits": 0, "dcg": 0.0})
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    ideal = np.cumsum(discounts)[np.minimum(table["n_relevant"].to_numpy(), k) - 1]
    return table.assign(idcg=ideal)


def _metric(recommendations, test, k, user_col, item_col, per_user, name, compute):
    k, user_col, item_col = _check_recs_and_test(recommendations, test, k, user_col, item_col)
    per_user = check_bool(per_user, "per_user")
    res = compute(_hits(recommendations, test, k, user_col, item_col), k)
    return res.rename(f"{name}@{k}") if per_user else float(res.mean())


def precision_at_k(recommendations: pd.DataFrame, test: pd.DataFrame, k: int = 10, *,
                   user_col: str = USER_COL, item_col: str = ITEM_COL,
                   per_user: bool = False) -> float | pd.Series:
    """Share of the top-``k`` recommendations the user went on to buy, averaged over users.

    Users are the users in ``test``; a user without recommendations scores 0. The
    denominator is always ``k``. Ids must not be missing in either table (a NaN user would
    otherwise silently drop out of the average).

    Examples
    --------
    >>> recs = pd.DataFrame({"customer_id": ["a", "a"], "rank": [1, 2], "product_id": ["x", "y"]})
    >>> test = pd.DataFrame({"customer_id": ["a"], "product_id": ["y"]})
    >>> precision_at_k(recs, test, k=2)
    0.5
    """
    return _metric(recommendations, test, k, user_col, item_col, per_user, "precision",
                   lambda t, k: t["hits"] / k)


def recall_at_k(recommendations: pd.DataFrame, test: pd.DataFrame, k: int = 10, *,
                user_col: str = USER_COL, item_col: str = ITEM_COL,
                per_user: bool = False) -> float | pd.Series:
    """Share of the items each user bought in ``test`` that made their top-``k``, averaged.

    Examples
    --------
    >>> recs = pd.DataFrame({"customer_id": ["a", "a"], "rank": [1, 2], "product_id": ["x", "y"]})
    >>> test = pd.DataFrame({"customer_id": ["a", "a"], "product_id": ["y", "z"]})
    >>> recall_at_k(recs, test, k=2)
    0.5
    """
    return _metric(recommendations, test, k, user_col, item_col, per_user, "recall",
                   lambda t, k: t["hits"] / t["n_relevant"])


def ndcg_at_k(recommendations: pd.DataFrame, test: pd.DataFrame, k: int = 10, *,
              user_col: str = USER_COL, item_col: str = ITEM_COL,
              per_user: bool = False) -> float | pd.Series:
    """Normalised discounted cumulative gain at ``k`` with 0/1 relevance, averaged over users.

    DCG = sum over hits of 1 / log2(rank + 1); the ideal DCG puts all of the user's
    relevant items (at most ``k``) at the top. 1 means a perfect order.

    Examples
    --------
    >>> recs = pd.DataFrame({"customer_id": ["a", "a"], "rank": [1, 2], "product_id": ["x", "y"]})
    >>> test = pd.DataFrame({"customer_id": ["a"], "product_id": ["y"]})
    >>> round(ndcg_at_k(recs, test, k=2), 4)  # a hit at rank 2: 1 / log2(3)
    0.6309
    """
    return _metric(recommendations, test, k, user_col, item_col, per_user, "ndcg",
                   lambda t, k: t["dcg"] / t["idcg"])


def catalog_coverage(recommendations: pd.DataFrame, catalog: int | Sequence, k: int = 10, *,
                     item_col: str = ITEM_COL) -> float:
    """Share of the catalogue that appears in at least one user's top-``k``.

    Parameters
    ----------
    recommendations : DataFrame
        A :meth:`recommend` table (``item_col`` and ``rank``).
    catalog : int or sequence of ids
        The number of items in the catalogue, or the list of item ids. A number smaller than
        the distinct items recommended, or a list that lacks recommended items, is refused
        (a coverage above 1 would be meaningless).
    k : int
        Only ranks ``<= k`` count.
    item_col : str
        Item column of ``recommendations``.

    Examples
    --------
    >>> recs = pd.DataFrame({"customer_id": ["a", "b"], "rank": [1, 1], "product_id": ["x", "x"]})
    >>> catalog_coverage(recs, ["x", "y", "z", "w"], k=1)
    0.25
    """
    k = check_int(k, "k", low=1)
    item_col = check_str(item_col, "item_col")
    check_frame(recommendations, "recommendations", [item_col, "rank"], keywords="item_col=",
                ids=[item_col], numeric=["rank"])
    recommended = pd.Index(recommendations[item_col].unique())
    shown = recommendations.loc[recommendations["rank"] <= k, item_col].unique()
    if isinstance(catalog, (numbers.Integral, np.integer)) and not isinstance(catalog, bool):
        n = check_int(catalog, "catalog", low=1)
        if len(recommended) > n:
            raise ValueError(f"catalog={n} items, but recommendations name {len(recommended)} "
                             "distinct items: pass the catalogue size (or its list of ids), "
                             "e.g. catalog=len(item_ids)")
        return float(len(shown) / n)
    if isinstance(catalog, (float, np.floating, bool, np.bool_, str, bytes)):
        raise TypeError(f"catalog must be a number of items or a list of item ids, "
                        f"got {describe(catalog)}")
    ids = pd.Index(_check_ids(catalog, "catalog")).unique()
    unknown = recommended.difference(ids)
    if len(unknown):
        raise ValueError(f"catalog lacks {len(unknown)} recommended item(s) "
                         f"(e.g. {list(unknown[:3])}): pass the whole catalogue")
    return float(ids.isin(shown).sum() / len(ids))


@dataclasses.dataclass(frozen=True)
class RankingMetrics(Result):
    """The ranking metrics of one list of recommendations (returned by :func:`evaluate`).

    Fields
    ------
    k : int
        List length graded.
    precision, recall, ndcg : float
        precision@k, recall@k and NDCG@k averaged over the test users.
    coverage : float or None
        Catalogue coverage at ``k`` (None if no catalogue was given).
    users : int
        Number of test users graded.

    ``result["ndcg@10"]`` and :meth:`to_series` give the v1 labels (``precision@10`` ...).
    """

    k: int
    precision: float
    recall: float
    ndcg: float
    coverage: float | None
    users: int

    def to_series(self) -> pd.Series:
        """The v1 layout: ``precision@k``, ``recall@k``, ``ndcg@k``, ``coverage``, ``users``."""
        out = {f"precision@{self.k}": self.precision, f"recall@{self.k}": self.recall,
               f"ndcg@{self.k}": self.ndcg}
        if self.coverage is not None:
            out["coverage"] = self.coverage
        out["users"] = float(self.users)
        return pd.Series(out)

    def __getitem__(self, label: str) -> float:
        return float(self.to_series()[label])


def evaluate(recommendations: pd.DataFrame, test: pd.DataFrame, k: int = 10, *,
             catalog: int | Sequence | None = None, user_col: str = USER_COL,
             item_col: str = ITEM_COL) -> RankingMetrics:
    """All the ranking metrics at once: precision, recall, NDCG at ``k`` (and coverage).

    Returns
    -------
    RankingMetrics
        ``precision``, ``recall``, ``ndcg``, ``coverage`` (if ``catalog`` is given) and
        ``users`` (how many test users were graded); ``.to_series()`` gives the v1 table
        layout and ``result["precision@10"]`` still works.

    Examples
    --------
    >>> recs = pd.DataFrame({"customer_id": ["a", "a"], "rank": [1, 2], "product_id": ["x", "y"]})
    >>> test = pd.DataFrame({"customer_id": ["a"], "product_id": ["y"]})
    >>> m = evaluate(recs, test, k=2, catalog=["x", "y", "z", "w"])
    >>> m.precision, m.coverage, m["precision@2"]
    (0.5, 0.5, 0.5)
    """
    k, user_col, item_col = _check_recs_and_test(recommendations, test, k, user_col, item_col)
    t = _hits(recommendations, test, k, user_col, item_col)
    coverage = (None if catalog is None
                else catalog_coverage(recommendations, catalog, k, item_col=item_col))
    return RankingMetrics(k=k, precision=float((t["hits"] / k).mean()),
                          recall=float((t["hits"] / t["n_relevant"]).mean()),
                          ndcg=float((t["dcg"] / t["idcg"]).mean()), coverage=coverage,
                          users=len(t))
