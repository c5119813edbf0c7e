"""Recommendations from implicit feedback: who bought what, and what to show them next.

The lesson (notebook 05) reads this module top to bottom:

1. :func:`interaction_matrix` turns order lines into a sparse customers x products matrix
   (a cell is 1 if the customer bought the product, or a count/quantity);
2. :func:`temporal_split` trains on the past and tests on what each customer bought *for the
   first time* after a cut-off date - the honest offline set-up;
3. recommenders, scikit-learn style (settings in ``__init__``, ``fit`` returns ``self``,
   learned attributes end in ``_``), each with ``recommend(user_ids, k)`` returning a tidy
   table: :class:`PopularityRecommender`, :class:`ItemKNNRecommender`,
   :class:`UserKNNRecommender`, :class:`ContentRecommender` (TF-IDF of product
   descriptions) and :class:`HybridRecommender`;
4. metrics on tidy tables: :func:`precision_at_k`, :func:`recall_at_k`, :func:`ndcg_at_k`,
   :func:`catalog_coverage` and :func:`evaluate`.

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
* **Neighbourhoods are per target item** (item-kNN): for every item we keep its
  ``k_neighbors`` most similar items, and a customer's score for an item is the sum of the
  similarities to the items they bought among those neighbours (Sarwar et al. 2001;
  Deshpande & Karypis 2004). Similarities are computed in blocks of items, so memory stays
  bounded on large catalogues.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from mkt_lessons._checks import check_frame

USER_COL = "customer_id"
ITEM_COL = "product_id"
DATE_COL = "order_date"

__all__ = [
    "interaction_matrix", "temporal_split", "PopularityRecommender", "ItemKNNRecommender",
    "UserKNNRecommender", "ContentRecommender", "HybridRecommender", "precision_at_k",
    "recall_at_k", "ndcg_at_k", "catalog_coverage", "evaluate", "top_k_per_row",
]


# --------------------------------------------------------------------------- validation
def _check_frame(df: Any, name: str, columns: Sequence[str]) -> None:
    check_frame(df, name, columns, keywords="user_col=/item_col=/date_col=", allow_empty=False)


def _check_k(k: Any, name: str = "k") -> int:
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"{name} must be a positive integer, got {k!r}")
    if k <= 0:
        raise ValueError(f"{name} must be a positive integer, got {k}")
    return int(k)


def _check_ids(values: Any, name: str) -> np.ndarray:
    if isinstance(values, (str, bytes)) or np.ndim(values) != 1:
        raise TypeError(f"{name} must be a one-dimensional list of ids, got {type(values).__name__}")
    arr = pd.Series(values).to_numpy()
    if len(arr) == 0:
        raise ValueError(f"{name} is empty")
    return arr


def _as_interactions(X: Any) -> sp.csr_matrix:
    if isinstance(X, pd.DataFrame):
        raise TypeError("X must be a sparse users x items matrix, not a DataFrame: build it with "
                        "`X, user_ids, item_ids = interaction_matrix(orders)`")
    if sp.issparse(X):
        X = sp.csr_matrix(X, dtype=np.float64)
    else:
        arr = np.asarray(X, dtype=np.float64)
        if arr.ndim != 2:
            raise ValueError(f"X must be two-dimensional (users x items), got shape {arr.shape}")
        X = sp.csr_matrix(arr)
    if X.shape[0] == 0 or X.shape[1] == 0 or X.nnz == 0:
        raise ValueError(f"X has no interactions (shape {X.shape}, {X.nnz} stored values)")
    X.sum_duplicates()
    if not np.all(np.isfinite(X.data)) or np.any(X.data < 0):
        raise ValueError("X must hold non-negative, finite interaction strengths")
    X.eliminate_zeros()
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
        One row per order line with a user and an item column.
    user_col, item_col : str
        Column names of the user (customer) and item (product) ids.
    weight_col : str, optional
        If ``binary=False``: sum this column per cell (e.g. ``"quantity"``); by default the
        cell counts order lines.
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
    cols = [user_col, item_col] + ([weight_col] if weight_col is not None else [])
    _check_frame(orders, "orders", cols)
    for col in (user_col, item_col):
        if orders[col].isna().any():
            raise ValueError(f"orders[{col!r}] has {int(orders[col].isna().sum())} missing ids")
    index = {}
    for col, given, name in ((user_col, users, "users"), (item_col, items, "items")):
        if given is None:
            labels = pd.Index(np.sort(orders[col].unique()))
        else:
            labels = pd.Index(_check_ids(given, name))
            if labels.has_duplicates:
                raise ValueError(f"{name} has duplicate ids")
        pos = labels.get_indexer(orders[col])
        if (pos < 0).any():
            unknown = pd.unique(orders[col][pos < 0])
            raise ValueError(f"{int((pos < 0).sum())} rows of orders have a {col} not in {name} "
                             f"(e.g. {list(unknown[:3])})")
        index[col] = (labels, pos)
    (user_labels, rows), (item_labels, cols_) = index[user_col], index[item_col]
    if binary:
        values = np.ones(len(orders))
    elif weight_col is not None:
        values = pd.to_numeric(orders[weight_col], errors="raise").to_numpy(dtype=np.float64)
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
        Order lines with a date, user and item column.
    cutoff : date-like
        First day of the test period.
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
    """
    _check_frame(orders, "orders", [date_col, user_col, item_col])
    dates = pd.to_datetime(orders[date_col])
    cutoff = pd.Timestamp(cutoff)
    train = orders.loc[dates < cutoff].copy()
    in_test = dates >= cutoff
    if end is not None:
        end = pd.Timestamp(end)
        if end <= cutoff:
            raise ValueError(f"end ({end.date()}) must come after cutoff ({cutoff.date()})")
        in_test &= dates < end
    test = orders.loc[in_test].copy()
    if len(train) == 0 or len(test) == 0:
        raise ValueError(f"cutoff {cutoff.date()} leaves {len(train)} train and {len(test)} test "
                         f"rows; choose a date inside the data ({dates.min().date()} to "
                         f"{dates.max().date()})")
    if exclude_seen:
        seen = pd.MultiIndex.from_frame(train[[user_col, item_col]])
        pairs = pd.MultiIndex.from_frame(test[[user_col, item_col]])
        test = test.loc[~pairs.isin(seen)]
    if warm_users_only:
        test = test.loc[test[user_col].isin(train[user_col])]
    return train, test.copy()


# --------------------------------------------------------------------------- top-k
def top_k_per_row(M: sp.spmatrix, k: int, tiebreak: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` largest positive stored values of each row of a sparse matrix.

    Only stored values greater than zero compete (an empty cell is "no evidence").
    Values equal in single precision are ties, broken by ``tiebreak[column]`` (smaller
    first), then by column index.

    Returns
    -------
    rows, cols, values, rank : ndarray
        One entry per kept value, grouped by row, best first; ``rank`` starts at 0.
    """
    k = _check_k(k)
    M = sp.csr_matrix(M)
    M.sum_duplicates()
    n_per_row = np.diff(M.indptr)
    rows = np.repeat(np.arange(M.shape[0]), n_per_row)
    positive = M.data > 0
    rows, cols, vals = rows[positive], M.indices[positive], M.data[positive]
    n_rows, n_cols = M.shape
    tb = np.zeros(n_cols) if tiebreak is None else np.asarray(tiebreak)
    if tb.shape != (n_cols,):
        raise ValueError(f"tiebreak must have one value per column ({n_cols}), got {tb.shape}")
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
    r, c, v, _ = top_k_per_row(sim, k)
    return sp.csr_matrix((v, (r, c)), shape=sim.shape)


def _column_normalised(X: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=0)).ravel())
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(X @ sp.diags(inv))


def _row_normalised(X: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(sp.diags(inv) @ X)


def _check_neighbors(k_neighbors: Any) -> int | None:
    return None if k_neighbors is None else _check_k(k_neighbors, "k_neighbors")


def _drop_seen(scores: sp.spmatrix, seen: sp.csr_matrix) -> sp.csr_matrix:
    """Remove the scores of bought items (x - x * 1 is exactly 0, then dropped)."""
    scores = sp.csr_matrix(scores)
    scores = sp.csr_matrix(scores - scores.multiply(seen > 0))
    scores.eliminate_zeros()
    return scores


# --------------------------------------------------------------------------- recommenders
class _Recommender:
    """Shared machinery: validation, batching, exclusion of bought items, top-k, fallback."""

    def get_params(self) -> dict:
        return {name: getattr(self, name) for name in self._param_names}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items()
                         if not isinstance(v, pd.DataFrame))
        return f"{type(self).__name__}({args})"

    _param_names: tuple[str, ...] = ()

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
        X = _as_interactions(X)
        n_users, n_items = X.shape
        self.user_ids_ = (np.arange(n_users) if user_ids is None
                          else _check_ids(user_ids, "user_ids"))
        self.item_ids_ = (np.arange(n_items) if item_ids is None
                          else _check_ids(item_ids, "item_ids"))
        for name, ids, n in (("user_ids", self.user_ids_, n_users),
                             ("item_ids", self.item_ids_, n_items)):
            if len(ids) != n:
                raise ValueError(f"{name} has {len(ids)} labels but X has {n} "
                                 f"{'rows' if name == 'user_ids' else 'columns'}")
        self._user_index = pd.Index(self.user_ids_)
        if self._user_index.has_duplicates:
            raise ValueError("user_ids has duplicate ids")
        if pd.Index(self.item_ids_).has_duplicates:
            raise ValueError("item_ids has duplicate ids")
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
            raise RuntimeError(f"This {type(self).__name__} is not fitted yet: call fit(X, ...) first")

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
        k = _check_k(k)
        batch_size = _check_k(batch_size, "batch_size")
        n_items = self.X_.shape[1]
        if k > n_items:
            raise ValueError(f"k={k} is larger than the number of items ({n_items})")
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
            r, c, v, _ = top_k_per_row(scores, k, self._pop_rank)
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
        n = _check_k(n, "n")
        j = pd.Index(self.item_ids_).get_indexer([item_id])[0]
        if j < 0:
            raise ValueError(f"item_id {item_id!r} is not one of the fitted items")
        neighbours = sp.csr_matrix(self.similarity_[:, [j]].T)  # column j: j's neighbours
        _, idx, v, _ = top_k_per_row(neighbours, n, self._pop_rank)
        return pd.DataFrame({item_col: self.item_ids_[idx], "similarity": v})


def _item_similarity_blocks(F: sp.csr_matrix, k: int | None, block_size: int) -> sp.csr_matrix:
    """Pruned item-item similarity from unit-length item columns ``F`` (any x n_items).

    Returns ``S`` (sources x targets): ``S[i, j]`` is kept if ``i`` is among the
    ``k`` most similar items of target ``j``.
    """
    n_items = F.shape[1]
    Fc = sp.csc_matrix(F)
    blocks = []
    for lo in range(0, n_items, block_size):
        hi = min(n_items, lo + block_size)
        sim = sp.csr_matrix(Fc[:, lo:hi].T @ F)  # targets lo..hi x all items
        blocks.append(_prune(sim, k, offset=lo))
    return sp.csr_matrix(sp.vstack(blocks).T)


class ItemKNNRecommender(_NeighbourhoodItemScorer):
    """Item-item collaborative filtering with cosine similarity.

    Two items are similar if the same customers bought them: with 0/1 data the cosine of
    two item columns is ``n_both / sqrt(n_i * n_j)`` - co-buyers, discounted for items
    everybody buys. Empty cells count as "not bought" (they add nothing to the dot product).

    Parameters
    ----------
    k_neighbors : int or None
        Neighbours kept per item (None: all items with a co-buyer).
    block_size : int
        Items per block when computing similarities (bounds memory).

    Attributes
    ----------
    similarity_ : csr_matrix (n_items, n_items)
        Pruned similarities: ``similarity_[i, j] > 0`` if item ``i`` is one of the
        ``k_neighbors`` nearest neighbours of item ``j``. The diagonal is zero.
    """

    _param_names = ("k_neighbors", "block_size")

    def __init__(self, k_neighbors: int | None = 50, block_size: int = 1000) -> None:
        self.k_neighbors = k_neighbors
        self.block_size = block_size

    def _fit(self, X: sp.csr_matrix) -> None:
        k = _check_neighbors(self.k_neighbors)
        self.similarity_ = _item_similarity_blocks(_column_normalised(X), k,
                                                   _check_k(self.block_size, "block_size"))


class UserKNNRecommender(_Recommender):
    """User-user collaborative filtering with cosine similarity.

    A customer's score for an item is the summed similarity of their ``k_neighbors`` most
    similar customers (by cosine of purchase rows) who bought it.

    Parameters
    ----------
    k_neighbors : int
        Neighbours per user.
    """

    _param_names = ("k_neighbors",)

    def __init__(self, k_neighbors: int = 50) -> None:
        self.k_neighbors = k_neighbors

    def _fit(self, X: sp.csr_matrix) -> None:
        _check_k(self.k_neighbors, "k_neighbors")
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
        One row per item with ``item_col`` and ``text_col``; must cover every fitted item.
    item_col, text_col : str
        Column names of the item id and its description.
    k_neighbors : int or None
        Neighbours kept per item (None: every item that shares a word).
    min_df : int
        Ignore words used by fewer products (passed to ``TfidfVectorizer``).

    Attributes
    ----------
    vectorizer_ : sklearn TfidfVectorizer
    item_vectors_ : csr_matrix (n_items, n_words)
    similarity_ : csr_matrix (n_items, n_items)
    """

    _param_names = ("products", "item_col", "text_col", "k_neighbors", "min_df")

    def __init__(self, products: pd.DataFrame, *, item_col: str = ITEM_COL,
                 text_col: str = "description", k_neighbors: int | None = 50,
                 min_df: int = 1) -> None:
        self.products = products
        self.item_col = item_col
        self.text_col = text_col
        self.k_neighbors = k_neighbors
        self.min_df = min_df

    def _fit(self, X: sp.csr_matrix) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        _check_frame(self.products, "products", [self.item_col, self.text_col])
        k = _check_neighbors(self.k_neighbors)
        table = self.products.drop_duplicates(self.item_col).set_index(self.item_col)
        missing = pd.Index(self.item_ids_).difference(table.index)
        if len(missing):
            raise ValueError(f"products lacks {len(missing)} fitted item(s) in {self.item_col!r} "
                             f"(e.g. {list(missing[:3])})")
        text = table.loc[self.item_ids_, self.text_col].fillna("").astype(str)
        self.vectorizer_ = TfidfVectorizer(min_df=self.min_df)
        self.item_vectors_ = sp.csr_matrix(self.vectorizer_.fit_transform(text.to_numpy()))
        self.similarity_ = _item_similarity_blocks(sp.csr_matrix(self.item_vectors_.T), k, 1000)


class HybridRecommender(_Recommender):
    """A weighted blend of recommenders' scores.

    Each part's scores are divided by the user's largest score from that part among the
    candidate items (so every part speaks on a 0-1 scale for every user), then weighted
    and summed.

    Parameters
    ----------
    recommenders : sequence of recommenders
        Unfitted or fitted; ``fit`` fits copies (``recommenders_``), the originals are
        left untouched.
    weights : sequence of float, optional
        One non-negative weight per recommender (default: equal).
    """

    _param_names = ("recommenders", "weights")

    def __init__(self, recommenders: Sequence[_Recommender],
                 weights: Sequence[float] | None = None) -> None:
        self.recommenders = recommenders
        self.weights = weights

    def _fit(self, X: sp.csr_matrix) -> None:
        import copy

        parts = list(self.recommenders)
        if not parts or not all(isinstance(p, _Recommender) for p in parts):
            raise TypeError("recommenders must be a non-empty list of mkt_lessons recommenders")
        w = np.ones(len(parts)) if self.weights is None else np.asarray(self.weights, float)
        if w.shape != (len(parts),) or np.any(w < 0) or not np.all(np.isfinite(w)) or w.sum() == 0:
            raise ValueError(f"weights must be {len(parts)} non-negative numbers, not all zero; "
                             f"got {self.weights!r}")
        self.weights_ = w / w.sum()
        self.recommenders_ = [copy.deepcopy(p).fit(X, self.user_ids_, self.item_ids_)
                              for p in parts]

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
def _hits(recommendations: pd.DataFrame, test: pd.DataFrame, k: int, user_col: str,
          item_col: str) -> pd.DataFrame:
    """Per test user: number relevant, hits in the top-k, DCG of the top-k."""
    k = _check_k(k)
    _check_frame(recommendations, "recommendations", [user_col, item_col, "rank"])
    _check_frame(test, "test", [user_col, item_col])
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


def precision_at_k(recommendations: pd.DataFrame, test: pd.DataFrame, k: int = 10, *,
                   user_col: str = USER_COL, item_col: str = ITEM_COL,
                   per_user: bool = False) -> float | pd.Series:
    """Share of the top-``k`` recommendations the user went on to buy, averaged over users.

    Users are the users in ``test``; a user without recommendations scores 0. The
    denominator is always ``k``.
    """
    t = _hits(recommendations, test, k, user_col, item_col)
    res = t["hits"] / k
    return res.rename(f"precision@{k}") if per_user else float(res.mean())


def recall_at_k(recommendations: pd.DataFrame, test: pd.DataFrame, k: int = 10, *,
                user_col: str = USER_COL, item_col: str = ITEM_COL,
                per_user: bool = False) -> float | pd.Series:
    """Share of the items each user bought in ``test`` that made their top-``k``, averaged."""
    t = _hits(recommendations, test, k, user_col, item_col)
    res = t["hits"] / t["n_relevant"]
    return res.rename(f"recall@{k}") if per_user else float(res.mean())


def ndcg_at_k(recommendations: pd.DataFrame, test: pd.DataFrame, k: int = 10, *,
              user_col: str = USER_COL, item_col: str = ITEM_COL,
              per_user: bool = False) -> float | pd.Series:
    """Normalised discounted cumulative gain at ``k`` with 0/1 relevance, averaged over users.

    DCG = sum over hits of 1 / log2(rank + 1); the ideal DCG puts all of the user's
    relevant items (at most ``k``) at the top. 1 means a perfect order.
    """
    t = _hits(recommendations, test, k, user_col, item_col)
    res = t["dcg"] / t["idcg"]
    return res.rename(f"ndcg@{k}") if per_user else float(res.mean())


def catalog_coverage(recommendations: pd.DataFrame, catalog: int | Sequence, k: int = 10, *,
                     item_col: str = ITEM_COL) -> float:
    """Share of the catalogue that appears in at least one user's top-``k``.

    ``catalog`` is the number of items or the list of item ids.
    """
    k = _check_k(k)
    _check_frame(recommendations, "recommendations", [item_col, "rank"])
    if isinstance(catalog, (int, np.integer)) and not isinstance(catalog, bool):
        n = int(catalog)
        if n <= 0:
            raise ValueError(f"catalog must be a positive number of items, got {catalog}")
        shown = recommendations.loc[recommendations["rank"] <= k, item_col].nunique()
    else:
        ids = pd.Index(_check_ids(catalog, "catalog")).unique()
        n = len(ids)
        shown = ids.isin(recommendations.loc[recommendations["rank"] <= k, item_col]).sum()
    return float(shown / n)


def evaluate(recommendations: pd.DataFrame, test: pd.DataFrame, k: int = 10, *,
             catalog: int | Sequence | None = None, user_col: str = USER_COL,
             item_col: str = ITEM_COL) -> pd.Series:
    """All the ranking metrics at once: precision, recall, NDCG at ``k`` (and coverage).

    Returns
    -------
    Series
        ``precision@k``, ``recall@k``, ``ndcg@k``, ``coverage`` (if ``catalog`` is given)
        and ``users`` (how many test users were graded).
    """
    t = _hits(recommendations, test, k, user_col, item_col)
    out = {f"precision@{k}": float((t["hits"] / k).mean()),
           f"recall@{k}": float((t["hits"] / t["n_relevant"]).mean()),
           f"ndcg@{k}": float((t["dcg"] / t["idcg"]).mean())}
    if catalog is not None:
        out["coverage"] = catalog_coverage(recommendations, catalog, k, item_col=item_col)
    out["users"] = float(len(t))
    return pd.Series(out)
