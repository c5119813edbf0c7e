"""Lesson 02: customer-level features from order lines at a cut-off date, and churn labels.

Everything here is computed *as of* a date. The convention, used by every function:

* the cut-off (``snapshot_date`` / ``cutoff``) is the **end of that day**: orders dated on
  the cut-off are history, orders dated after it are ignored (they are the future);
* ``recency_days`` = cut-off - last order date, in whole days (0 = bought on the cut-off);
* churn labels look at the window (cutoff, cutoff + horizon_days], the same window as the
  generator's oracle ``p_buy_90d_*`` in ``truth/customers.csv``. A window that runs past the
  data's last day is refused: "no order" would then mean "no data".

So a feature table at cut-off ``c`` never changes when orders after ``c`` change: no
leakage by construction (the tests check it).

Tables are indexed by customer id (index name = ``customer_col``), sorted, so features and
labels line up with ``X.join(y)``. :func:`feature_pipeline` builds the scikit-learn
``ColumnTransformer``/``Pipeline`` that lessons 03, 04 and 08 reuse.

The lesson-03 tables are features too and live here: :func:`repurchase_table` (RFM and
tenure at a cut-off with a "bought again" label), :func:`weekly_acquisition` (spend per
channel and new customers per week) and :func:`season_features` (season controls for
weekly data, from the calendar in :mod:`mkt_lessons.constants`).
``mkt_lessons.regression`` re-exports them under their v1 names.

Inputs are checked at the door by :mod:`mkt_lessons._validation` (TypeError for a wrong
type, ValueError for a wrong value) and never modified.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mkt_lessons import constants as K
from mkt_lessons._validation import (
    check_date,
    check_dates,
    check_frame,
    check_int,
    check_real,
    describe,
)

__all__ = ["rfm_table", "churn_labels", "customer_features", "category_shares",
           "feature_pipeline", "repurchase_table", "weekly_acquisition", "season_features",
           "NUMERIC_FEATURES"]

NUMERIC_FEATURES = ["recency_days", "frequency", "monetary", "tenure_days", "avg_basket",
                    "avg_lines_per_order", "avg_items_per_order", "n_products",
                    "mean_interpurchase_days", "discount_share", "orders_last_90d"]

_KW = "customer_col=/order_col=/date_col=/amount_col="


# --------------------------------------------------------------------------- validation
def _timestamp(value: Any, name: str) -> pd.Timestamp:
    """A checked, naive, day-normalised date (kept for modules that imported it in v1)."""
    return check_date(value, name)


def _check_orders(orders: Any, *, customer_col: str, date_col: str, order_col: str | None = None,
                  amount_col: str | None = None, more_ids: Sequence[str] = (),
                  more_numeric: Sequence[str] = (), keywords: str = _KW) -> pd.DataFrame:
    """Order lines at the door: the columns exist, ids and dates are complete, money is numeric."""
    ids = [c for c in (customer_col, order_col, *more_ids) if c is not None]
    numeric = [c for c in (amount_col, *more_numeric) if c is not None]
    return check_frame(orders, "orders", [*ids, date_col, *numeric], keywords=keywords,
                       ids=ids, dates=[date_col], numeric=numeric)


def _history_or_raise(dates: np.ndarray, cut: pd.Timestamp, name: str) -> np.ndarray:
    keep = dates < _end_of_day(cut)  # an order at 15:00 on the cut-off day is history
    if not keep.any():
        raise ValueError(f"{name} {cut.date()} is before the first order "
                         f"({pd.Timestamp(dates.min()).date()}): there are no orders up to it")
    return keep


def _end_of_day(day: pd.Timestamp) -> np.datetime64:
    """The first instant after ``day``: dates with a time of day compare correctly against it."""
    return np.datetime64(day + pd.Timedelta(days=1))


def _data_end(orders: pd.DataFrame, date_col: str, data_end: Any) -> pd.Timestamp:
    """The last day the table covers: ``data_end`` if given, else the last order date."""
    if data_end is None:
        return pd.Timestamp(orders[date_col].max()).normalize()
    return check_date(data_end, "data_end")


def _check_window(cut: pd.Timestamp, horizon: int, end: pd.Timestamp) -> pd.Timestamp:
    stop = cut + pd.Timedelta(days=horizon)
    if stop > end:
        raise ValueError(
            f"the label window (cutoff {cut.date()}, {stop.date()}] (horizon_days={horizon}) "
            f"ends after the data's last day, data_end {end.date()}: customers would count as "
            "not buying for lack of data. Use an earlier cutoff or a shorter horizon_days "
            "(or pass data_end= if the table covers more days than its last order).")
    return stop


# --------------------------------------------------------------------------- RFM
def rfm_table(orders: pd.DataFrame, snapshot_date: Any, *, customer_col: str = K.CUSTOMER_COL,
              date_col: str = K.DATE_COL, amount_col: str = K.AMOUNT_COL,
              order_col: str = K.ORDER_COL) -> pd.DataFrame:
    """Recency, frequency and monetary value per customer, as of the end of ``snapshot_date``.

    Orders dated after ``snapshot_date`` are ignored; orders *on* it are included (recency 0).
    Customers with no order up to the snapshot do not appear.

    Parameters
    ----------
    orders : DataFrame
        Order lines (one row per order x product), e.g. ``data.load_orders()``: complete
        ids and dates (naive ``datetime64``), numeric amounts.
    snapshot_date : date-like
        The as-of date ("today" for the analysis); on or after the first order.
    customer_col, date_col, amount_col, order_col : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by customer id (sorted), columns ``recency_days`` (int: snapshot - last
        order date, days), ``frequency`` (int: distinct orders), ``monetary`` (float: total
        amount).

    Raises
    ------
    TypeError
        ``orders`` not a DataFrame, amounts stored as text, dates stored as text.
    ValueError
        Missing columns, an empty table, missing ids or dates, time-zone-aware dates, a
        snapshot before the first order.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["A", "A", "B"], "order_id": ["o1", "o1", "o2"],
    ...                       "order_date": pd.to_datetime(["2024-01-01"] * 2 + ["2024-01-05"]),
    ...                       "revenue": [10.0, 5.0, 7.0]})
    >>> rfm_table(lines, "2024-01-10")
                 recency_days  frequency  monetary
    customer_id
    A                       9          1      15.0
    B                       5          1       7.0
    """
    _check_orders(orders, customer_col=customer_col, date_col=date_col, order_col=order_col,
                  amount_col=amount_col)
    snap = check_date(snapshot_date, "snapshot_date")
    cols = {"customer": customer_col, "date": date_col, "amount": amount_col, "order": order_col}
    return _rfm_core(orders, snap, cols, "snapshot_date")[0]


def _rfm_core(orders: pd.DataFrame, snap: pd.Timestamp, cols: dict[str, str], name: str):
    """RFM on integer codes; also returns what customer_features reuses.

    Returns (rfm, keep mask, customer codes, order codes, day numbers) for the kept rows.
    The table has been validated (complete ids and dates, finite amounts).
    """
    dates = orders[cols["date"]].to_numpy()
    keep = _history_or_raise(dates, snap, name)
    # Vectorised on integer codes: factorize once, then bincount / ufunc.at reductions.
    cust_codes, cust_uniques = _factorize_sorted(orders[cols["customer"]].to_numpy()[keep])
    order_codes, _ = pd.factorize(orders[cols["order"]].to_numpy()[keep])
    n_cust = len(cust_uniques)
    amount = orders[cols["amount"]].to_numpy(dtype="float64")[keep]
    monetary = np.bincount(cust_codes, weights=amount, minlength=n_cust)
    frequency = _distinct_per_group(cust_codes, order_codes, n_cust)
    day = dates[keep].astype("datetime64[D]").astype(np.int64)
    last = np.full(n_cust, np.iinfo(np.int64).min)
    np.maximum.at(last, cust_codes, day)
    snap_day = np.datetime64(snap, "D").astype(np.int64)
    rfm = pd.DataFrame({"recency_days": (snap_day - last).astype("int64"),
                        "frequency": frequency.astype("int64"), "monetary": monetary},
                       index=pd.Index(cust_uniques, name=cols["customer"]))
    return rfm, keep, cust_codes, order_codes, day


def _factorize_sorted(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Like ``pd.factorize(values, sort=True)``, but sorts only the uniques (much faster)."""
    codes, uniques = pd.factorize(values)
    uniques = np.asarray(uniques)
    try:  # fixed-width text sorts several times faster than Python string objects
        keys = uniques.astype("U") if uniques.dtype == object else uniques
    except (TypeError, ValueError):
        keys = uniques
    try:
        order = np.argsort(keys, kind="stable")
    except TypeError:  # ids of mixed types (1 and "1"): sort by their text
        order = np.argsort(keys.astype(str), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[codes], uniques[order]


# --------------------------------------------------------------------------- labels
def churn_labels(orders: pd.DataFrame, cutoff: Any, horizon_days: int = K.CHURN_HORIZON_DAYS, *,
                 customer_col: str = K.CUSTOMER_COL, date_col: str = K.DATE_COL,
                 data_end: Any = None) -> pd.Series:
    """Churn label per customer: 1 if active up to ``cutoff`` but no order in the next window.

    History is ``order_date <= cutoff``; the window is ``cutoff < order_date <= cutoff +
    horizon_days`` (the generator's oracle ``p_buy_90d_*`` is the probability of at least
    one order in exactly this window, so ``1 - p_buy`` is the true churn probability).
    Only customers with at least one order up to the cut-off get a label. The window must
    lie inside the data, or "no order" would mean "no data": it must end on or before
    ``data_end`` (default: the last order date in ``orders``).

    Parameters
    ----------
    orders : DataFrame
        Order lines with complete customer ids and naive dates.
    cutoff : date-like
        End of the history (inclusive).
    horizon_days : int
        Window length in days (>= 1).
    customer_col, date_col : str
        Column names.
    data_end : date-like, optional
        Last day covered by ``orders``; default its last order date.

    Returns
    -------
    Series of int64
        Named ``churned``, indexed by customer id (sorted): 1 = churned, 0 = bought again.

    Raises
    ------
    ValueError
        If no order is dated up to the cut-off, or the window ends after ``data_end``
        (and for the table problems of :func:`rfm_table`).

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["A", "B", "B"],
    ...                       "order_date": pd.to_datetime(["2024-01-01", "2024-01-02",
    ...                                                     "2024-01-20"])})
    >>> churn_labels(lines, "2024-01-05", horizon_days=15).to_dict()
    {'A': 1, 'B': 0}
    >>> churn_labels(lines, "2024-01-10", horizon_days=30)
    Traceback (most recent call last):
    ...
    ValueError: the label window (cutoff 2024-01-10, 2024-02-09] (horizon_days=30) ends after the data's last day, data_end 2024-01-20: ...
    """
    _check_orders(orders, customer_col=customer_col, date_col=date_col,
                  keywords="customer_col=/date_col=")
    horizon = check_int(horizon_days, "horizon_days", low=1)
    cut = check_date(cutoff, "cutoff")
    end = _check_window(cut, horizon, _data_end(orders, date_col, data_end))
    dates = orders[date_col].to_numpy()
    keep = _history_or_raise(dates, cut, "cutoff")
    cust = orders[customer_col].to_numpy()
    active = pd.Index(pd.unique(cust[keep]))
    try:
        active = active.sort_values()
    except TypeError:  # mixed id types: keep first-seen order rather than fail
        pass
    window = (dates >= _end_of_day(cut)) & (dates < _end_of_day(end))
    churned = (~active.isin(pd.unique(cust[window]))).astype("int64")
    return pd.Series(churned, index=active.rename(customer_col), name="churned")


# --------------------------------------------------------------------------- features
def customer_features(orders: pd.DataFrame, cutoff: Any, *, products: pd.DataFrame | None = None,
                      customer_col: str = K.CUSTOMER_COL, date_col: str = K.DATE_COL,
                      amount_col: str = K.AMOUNT_COL, order_col: str = K.ORDER_COL,
                      product_col: str = K.PRODUCT_COL, quantity_col: str = K.QUANTITY_COL,
                      discount_col: str = K.DISCOUNT_COL, category_col: str = K.CATEGORY_COL,
                      recent_days: int = 90) -> pd.DataFrame:
    """Behavioural features per customer from the order lines up to the end of ``cutoff``.

    Only rows with ``order_date <= cutoff`` are read, so nothing after the cut-off can leak
    into a feature.

    Parameters
    ----------
    orders : DataFrame
        Order lines with complete ids and dates and numeric amount, quantity and discount.
    cutoff : date-like
        End of the history (inclusive); on or after the first order.
    products : DataFrame, optional
        With ``product_col`` (unique) and ``category_col``: adds the category shares.
    customer_col, date_col, amount_col, order_col, product_col, quantity_col, discount_col, category_col : str
        Column names.
    recent_days : int
        Window of ``orders_last_90d`` in days (>= 1; the column keeps its name).

    Returns
    -------
    DataFrame
        Indexed by customer id (sorted); one row per customer with an order by the cut-off.
        Columns: ``recency_days``, ``frequency``, ``monetary`` (as in :func:`rfm_table`);
        ``tenure_days`` (cutoff - first order date); ``avg_basket`` (monetary /
        frequency); ``avg_lines_per_order`` and ``avg_items_per_order`` (lines and units
        per order); ``n_products`` (distinct products); ``mean_interpurchase_days``
        ((last - first order date) / (frequency - 1), NaN for a one-order customer: there
        is no gap, the pipeline imputes it); ``discount_share`` (share of revenue bought at
        a discount); ``orders_last_90d`` (distinct orders in the last ``recent_days``
        days); ``share_<category>`` per category when ``products`` is given.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["A", "A", "B"], "order_id": ["o1", "o2", "o3"],
    ...                       "order_date": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-07"]),
    ...                       "product_id": ["P1", "P2", "P1"], "quantity": [1, 3, 2],
    ...                       "discount": [0.0, 0.1, 0.0], "revenue": [10.0, 30.0, 20.0]})
    >>> f = customer_features(lines, "2024-01-10")
    >>> f[["tenure_days", "avg_basket", "mean_interpurchase_days", "discount_share"]]
                 tenure_days  avg_basket  mean_interpurchase_days  discount_share
    customer_id
    A                      9        20.0                      4.0            0.75
    B                      3        20.0                      NaN            0.00
    """
    _check_orders(orders, customer_col=customer_col, date_col=date_col, order_col=order_col,
                  amount_col=amount_col, more_ids=[product_col],
                  more_numeric=[quantity_col, discount_col],
                  keywords=_KW + "product_col=/quantity_col=/discount_col=")
    recent_days = check_int(recent_days, "recent_days", low=1)
    cut = check_date(cutoff, "cutoff")
    if products is not None:
        _check_products(products, product_col, category_col)
    cols = {"customer": customer_col, "date": date_col, "amount": amount_col, "order": order_col}
    rfm, keep, codes, ord_codes, day = _rfm_core(orders, cut, cols, "cutoff")
    n = len(rfm)
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, codes, day)
    cut_day = np.datetime64(cut, "D").astype(np.int64)
    last_day = cut_day - rfm["recency_days"].to_numpy()
    freq = rfm["frequency"].to_numpy()
    amount = orders[amount_col].to_numpy(dtype="float64")[keep]
    discount = orders[discount_col].to_numpy(dtype="float64")[keep]
    discounted = np.bincount(codes, weights=amount * (discount > 0), minlength=n)
    units = np.bincount(codes, weights=orders[quantity_col].to_numpy(dtype="float64")[keep], minlength=n)
    lines = np.bincount(codes, minlength=n)
    prod_codes, _ = pd.factorize(orders[product_col].to_numpy()[keep])
    n_products = _distinct_per_group(codes, prod_codes, n)
    recent = day > cut_day - recent_days
    orders_recent = _distinct_per_group(codes[recent], ord_codes[recent], n)
    monetary = rfm["monetary"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        feats = pd.DataFrame({
            "recency_days": rfm["recency_days"].to_numpy(),
            "frequency": freq,
            "monetary": monetary,
            "tenure_days": (cut_day - first).astype("int64"),
            "avg_basket": monetary / freq,
            "avg_lines_per_order": lines / freq,
            "avg_items_per_order": units / freq,
            "n_products": n_products,
            "mean_interpurchase_days": np.where(freq > 1, (last_day - first) / (freq - 1), np.nan),
            "discount_share": np.where(monetary > 0, discounted / monetary, 0.0),
            "orders_last_90d": orders_recent,
        }, index=rfm.index)
    if products is not None:
        hist = orders.loc[keep, [customer_col, product_col, amount_col]]
        feats = feats.join(_category_shares(hist, products, customer_col, amount_col,
                                            product_col, category_col))
    return feats


def _distinct_per_group(group_codes: np.ndarray, value_codes: np.ndarray, n_groups: int) -> np.ndarray:
    if len(group_codes) == 0:
        return np.zeros(n_groups, dtype=np.int64)
    base = int(value_codes.max()) + 1
    pair = np.sort(group_codes.astype(np.int64) * base + value_codes)
    # sort + "differs from the previous" is much faster than np.unique's hash table here
    pair = pair[np.r_[True, pair[1:] != pair[:-1]]]
    return np.bincount(pair // base, minlength=n_groups).astype(np.int64)


def _check_products(products: Any, product_col: str, category_col: str) -> None:
    check_frame(products, "products", [product_col, category_col],
                keywords="product_col=/category_col=", ids=[product_col, category_col])
    dup = products[product_col].duplicated()
    if dup.any():
        raise ValueError(f"products[{product_col!r}] must be unique, got {int(dup.sum()):,} "
                         f"repeated id(s), e.g. {products.loc[dup, product_col].iloc[0]!r}")


def category_shares(orders: pd.DataFrame, products: pd.DataFrame, *,
                    customer_col: str = K.CUSTOMER_COL, amount_col: str = K.AMOUNT_COL,
                    product_col: str = K.PRODUCT_COL,
                    category_col: str = K.CATEGORY_COL) -> pd.DataFrame:
    """Share of each customer's revenue per product category (rows sum to 1).

    Columns are ``share_<category>`` for every category in ``products`` (also those a
    customer never bought), so train and test tables have the same columns. Filter the
    orders to the history first (``customer_features`` does). A customer whose revenue sums
    to 0 gets shares of 0.

    Parameters
    ----------
    orders : DataFrame
        Order lines with complete customer and product ids and numeric amounts.
    products : DataFrame
        One row per product (unique ``product_col``) with its ``category_col``; every
        product in ``orders`` must be there.
    customer_col, amount_col, product_col, category_col : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by customer id (sorted), one ``share_<category>`` column per category.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["A", "A", "B"], "product_id": ["P1", "P2", "P2"],
    ...                       "revenue": [30.0, 10.0, 5.0]})
    >>> products = pd.DataFrame({"product_id": ["P1", "P2", "P3"],
    ...                          "category": ["bath", "decor", "garden"]})
    >>> category_shares(lines, products)
                 share_bath  share_decor  share_garden
    customer_id
    A                  0.75         0.25           0.0
    B                  0.00         1.00           0.0
    """
    check_frame(orders, "orders", [customer_col, product_col, amount_col],
                keywords="customer_col=/product_col=/amount_col=",
                ids=[customer_col, product_col], numeric=[amount_col])
    _check_products(products, product_col, category_col)
    return _category_shares(orders, products, customer_col, amount_col, product_col, category_col)


def _category_shares(orders, products, customer_col, amount_col, product_col, category_col):
    all_cats = sorted(pd.unique(products[category_col].astype("str")))
    cat_index = pd.Index(all_cats)
    cat_of = pd.Series(cat_index.get_indexer(products[category_col].astype("str")),
                       index=products[product_col].to_numpy())
    prod_codes, prod_uniques = pd.factorize(orders[product_col].to_numpy())
    cat_of_unique = cat_of.reindex(np.asarray(prod_uniques)).to_numpy()
    if np.isnan(cat_of_unique).any():
        unknown = [u for u, c in zip(prod_uniques, cat_of_unique, strict=True) if np.isnan(c)]
        raise ValueError(f"orders[{product_col!r}] has {len(unknown):,} id(s) that are not in "
                         f"products[{product_col!r}], e.g. {unknown[:5]}: pass the full "
                         "product table")
    cats = cat_of_unique.astype(np.int64)[prod_codes]
    cust_codes, cust_uniques = _factorize_sorted(orders[customer_col].to_numpy())
    k = len(all_cats)
    amount = orders[amount_col].to_numpy(dtype="float64")
    table = np.bincount(cust_codes * k + cats, weights=amount,
                        minlength=len(cust_uniques) * k).reshape(-1, k)
    total = table.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(total != 0, table / total, 0.0)
    return pd.DataFrame(shares, columns=[f"share_{c}" for c in all_cats],
                        index=pd.Index(cust_uniques, name=customer_col))


# --------------------------------------------------------------------------- sklearn
def feature_pipeline(numeric: Sequence[str] | None = None, categorical: Sequence[str] = (),
                     *, log_columns: Sequence[str] | None = None, estimator: Any = None) -> Any:
    """A scikit-learn preprocessing pipeline for customer features (lessons 03, 04, 08).

    Numeric columns: median imputation (e.g. ``mean_interpurchase_days`` of one-order
    customers) -> ``log1p`` for skewed counts and money (``log_columns``) -> standard
    scaling. Categorical columns: one-hot encoding that ignores categories unseen in fit.
    Everything is learned in ``fit`` on the training rows only, so the test rows cannot
    leak into the medians, means or categories.

    Parameters
    ----------
    numeric : sequence of str, optional
        Numeric columns; default :data:`NUMERIC_FEATURES`.
    categorical : sequence of str
        Categorical columns (e.g. ``region``, ``acquisition_channel``).
    log_columns : sequence of str, optional
        Numeric columns to transform with ``log1p`` before scaling (must be >= 0); default:
        those of ``frequency, monetary, avg_basket, orders_last_90d, n_products`` present.
    estimator : sklearn estimator, optional
        Appended as the last step ``"model"``; without it the pipeline only transforms.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Steps ``"prep"`` (a ``ColumnTransformer``) and, if given, ``"model"``.

    Examples
    --------
    >>> X = pd.DataFrame({"frequency": [1, 3, 8], "recency_days": [40, 5, 2],
    ...                   "region": ["north", "south", "north"]})
    >>> pipe = feature_pipeline(["frequency", "recency_days"], ["region"])
    >>> pipe.fit_transform(X).shape
    (3, 4)
    >>> list(pipe.get_feature_names_out())
    ['frequency', 'recency_days', 'region_north', 'region_south']
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    numeric = _column_list(NUMERIC_FEATURES if numeric is None else numeric, "numeric")
    categorical = _column_list(categorical, "categorical")
    if log_columns is not None:
        log_columns = _column_list(log_columns, "log_columns")
    if estimator is not None and not callable(getattr(estimator, "fit", None)):
        raise TypeError(f"estimator must be a scikit-learn estimator (with a fit method), "
                        f"got {describe(estimator)}")
    both = set(numeric) & set(categorical)
    if both:
        raise ValueError(f"columns {sorted(both)} are listed as both numeric and categorical")
    if not numeric and not categorical:
        raise ValueError("give at least one numeric or categorical column")
    if log_columns is None:
        log_columns = [c for c in ["frequency", "monetary", "avg_basket", "orders_last_90d",
                                   "n_products"] if c in numeric]
    log_columns = list(log_columns)
    stray = [c for c in log_columns if c not in numeric]
    if stray:
        raise ValueError(f"log_columns {stray} are not among the numeric columns")
    plain = [c for c in numeric if c not in log_columns]
    parts = []
    if log_columns:
        parts.append(("log", Pipeline([
            ("impute", SimpleImputer(strategy="median")),
            ("log1p", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
            ("scale", StandardScaler())]), log_columns))
    if plain:
        parts.append(("num", Pipeline([("impute", SimpleImputer(strategy="median")),
                                       ("scale", StandardScaler())]), plain))
    if categorical:
        parts.append(("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical))
    steps = [("prep", ColumnTransformer(parts, remainder="drop", verbose_feature_names_out=False))]
    if estimator is not None:
        steps.append(("model", estimator))
    return Pipeline(steps)


def _column_list(value: Any, name: str) -> list[str]:
    """A list of distinct column names (a bare string is a TypeError: wrap it in a list)."""
    if isinstance(value, str) or not isinstance(value, (Sequence, pd.Index, np.ndarray)):
        raise TypeError(f"{name} must be a list of column names, got {describe(value)}")
    names = list(value)
    bad = [c for c in names if not isinstance(c, str)]
    if bad:
        raise TypeError(f"{name} must be a list of column names (strings), got {bad[0]!r}")
    dup = sorted({c for c in names if names.count(c) > 1})
    if dup:
        raise ValueError(f"{name} lists column(s) {dup} more than once")
    return names


# --------------------------------------------------------------------------- lesson 03 tables
def repurchase_table(orders: pd.DataFrame, cutoff: Any, *, horizon_days: int = K.CHURN_HORIZON_DAYS,
                     customer_col: str = K.CUSTOMER_COL, order_col: str = K.ORDER_COL,
                     date_col: str = K.DATE_COL, amount_col: str = K.AMOUNT_COL,
                     data_end: Any = None) -> pd.DataFrame:
    """RFM and tenure at ``cutoff``, and whether each customer buys again within the horizon.

    Uses only orders on or before ``cutoff`` for the features (no leakage) and orders in
    (cutoff, cutoff + horizon_days] for the label, which is ``1 -`` :func:`churn_labels`;
    customers with no order by the cut-off are not in the table. The window must end on or
    before ``data_end`` (default: the last order date), or a customer would count as not
    buying again for lack of data.

    Parameters
    ----------
    orders : DataFrame
        Order lines with complete ids and dates and numeric amounts.
    cutoff : date-like
        End of the history (inclusive).
    horizon_days : int
        Length of the label window in days (>= 1).
    customer_col, order_col, date_col, amount_col : str
        Column names.
    data_end : date-like, optional
        Last day covered by ``orders``; default its last order date.

    Returns
    -------
    DataFrame
        One row per customer (sorted by id): ``customer_id``, ``recency_days`` (cutoff −
        last order), ``frequency`` (distinct orders), ``monetary`` (total revenue),
        ``tenure_days`` (cutoff − first order), ``repurchased`` (0/1).

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["A", "A", "B", "B"],
    ...                       "order_id": ["o1", "o2", "o3", "o4"],
    ...                       "order_date": pd.to_datetime(["2024-01-01", "2024-01-08",
    ...                                                     "2024-01-03", "2024-01-25"]),
    ...                       "revenue": [10.0, 15.0, 40.0, 5.0]})
    >>> repurchase_table(lines, "2024-01-10", horizon_days=15)
      customer_id  recency_days  frequency  monetary  tenure_days  repurchased
    0           A             2          2      25.0            9            0
    1           B             7          1      40.0            7            1
    """
    _check_orders(orders, customer_col=customer_col, date_col=date_col, order_col=order_col,
                  amount_col=amount_col)
    horizon = check_int(horizon_days, "horizon_days", low=1)
    cut = check_date(cutoff, "cutoff")
    _check_window(cut, horizon, _data_end(orders, date_col, data_end))
    cols = {"customer": customer_col, "date": date_col, "amount": amount_col, "order": order_col}
    rfm, _, codes, _, day = _rfm_core(orders, cut, cols, "cutoff")
    first = np.full(len(rfm), np.iinfo(np.int64).max)
    np.minimum.at(first, codes, day)
    table = rfm.assign(tenure_days=(np.datetime64(cut, "D").astype(np.int64) - first).astype("int64"))
    churned = churn_labels(orders, cut, horizon, customer_col=customer_col, date_col=date_col,
                           data_end=data_end)
    table["repurchased"] = (1 - churned.reindex(table.index)).astype("int64")
    return table.reset_index()


def weekly_acquisition(customers: pd.DataFrame, spend: pd.DataFrame,
                       orders: pd.DataFrame | None = None, *, end: Any = None,
                       signup_col: str = K.SIGNUP_COL, customer_col: str = K.CUSTOMER_COL,
                       week_col: str = K.WEEK_COL, channel_col: str = "channel",
                       spend_col: str = K.SPEND_COL, order_col: str = K.ORDER_COL,
                       date_col: str = K.DATE_COL, amount_col: str = K.AMOUNT_COL) -> pd.DataFrame:
    """One row per spend week: spend per channel, new customers and first-order revenue.

    Weeks run Sunday to Saturday and are labelled by their Sunday (``week_col`` of
    ``spend``). New customers are counted by signup week; ``first_order_revenue`` (only
    when ``orders`` is given) is the revenue of each new customer's first order.
    ``days_in_window`` counts the week's days up to ``end`` (default: the last signup
    date) so a partial final week can be seen and dropped; nothing is dropped here.

    Parameters
    ----------
    customers : DataFrame
        One row per customer (unique ids) with a complete naive ``signup_col``; every
        signup must fall in a week that ``spend`` covers.
    spend : DataFrame
        One row per (week, channel) with the Sunday ``week_col``, ``channel_col`` and a
        non-negative numeric ``spend_col``.
    orders : DataFrame, optional
        Order lines of these customers (every customer id must be in ``customers``).
    end : date-like, optional
        Last day of the data window, on or after the first week's Sunday.
    signup_col, customer_col, week_col, channel_col, spend_col, order_col, date_col, amount_col : str
        Column names.

    Returns
    -------
    DataFrame
        ``week_start``, one spend column per channel (in the order they first appear),
        ``new_customers``, [``first_order_revenue``], ``days_in_window``.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["A", "B", "C"],
    ...     "signup_date": pd.to_datetime(["2024-01-07", "2024-01-09", "2024-01-15"])})
    >>> spend = pd.DataFrame({"week_start": pd.to_datetime(["2024-01-07"] * 2 + ["2024-01-14"] * 2),
    ...                       "channel": ["social", "display"] * 2,
    ...                       "spend": [100.0, 50.0, 120.0, 40.0]})
    >>> weekly_acquisition(customers, spend)
      week_start  social  display  new_customers  days_in_window
    0 2024-01-07   100.0     50.0              2               7
    1 2024-01-14   120.0     40.0              1               2
    """
    check_frame(customers, "customers", [customer_col, signup_col],
                keywords="customer_col=/signup_col=", ids=[customer_col], dates=[signup_col])
    check_frame(spend, "spend", [week_col, channel_col, spend_col],
                keywords="week_col=/channel_col=/spend_col=", ids=[channel_col],
                dates=[week_col], numeric=[spend_col], non_negative=[spend_col])
    if customers[customer_col].duplicated().any():
        raise ValueError(f"customers[{customer_col!r}] must be unique (one row per customer)")
    if spend.duplicated([week_col, channel_col]).any():
        raise ValueError(f"spend has more than one row for some ({week_col}, {channel_col}): "
                         "add them up first")
    weeks = spend[week_col]
    not_sunday = weeks.dt.normalize().ne(weeks) | weeks.dt.day_of_week.ne(6)
    if not_sunday.any():
        raise ValueError(f"spend[{week_col!r}] must hold the Sunday that starts each week, got "
                         f"{weeks[not_sunday].iloc[0]:%Y-%m-%d (%A)}")
    channels = list(dict.fromkeys(spend[channel_col].astype(str)))
    wide = (spend.assign(**{channel_col: spend[channel_col].astype(str)})
            .pivot(index=week_col, columns=channel_col, values=spend_col)
            .reindex(columns=channels).fillna(0.0))
    wide.columns.name = None
    signup = customers[signup_col]
    signup_week = signup.dt.to_period("W-SAT").dt.start_time
    outside = ~signup_week.isin(wide.index)
    if outside.any():
        raise ValueError(f"customers[{signup_col!r}]: {int(outside.sum()):,} customer(s) signed "
                         f"up in weeks that spend[{week_col!r}] does not cover (e.g. "
                         f"{signup.loc[outside].iloc[0]:%Y-%m-%d}): pass matching tables or "
                         "filter customers first")
    out = wide.assign(new_customers=signup_week.value_counts().reindex(wide.index, fill_value=0)
                      .astype("int64"))
    if orders is not None:
        _check_orders(orders, customer_col=customer_col, date_col=date_col, order_col=order_col,
                      amount_col=amount_col)
        unknown = ~orders[customer_col].isin(customers[customer_col])
        if unknown.any():
            raise ValueError(f"orders[{customer_col!r}] has {int(unknown.sum()):,} line(s) of "
                             f"customers not in customers (e.g. "
                             f"{orders.loc[unknown, customer_col].iloc[0]!r}): their first "
                             "orders would be lost; pass matching tables")
        first = (orders.sort_values([date_col, order_col])
                 .drop_duplicates(customer_col)[[customer_col, order_col]])
        rev = (orders.merge(first, on=[customer_col, order_col])
               .groupby(customer_col)[amount_col].sum())
        week_of = pd.Series(signup_week.to_numpy(), index=customers[customer_col].to_numpy())
        by_week = rev.groupby(week_of.reindex(rev.index).to_numpy()).sum()
        out["first_order_revenue"] = by_week.reindex(out.index, fill_value=0.0).to_numpy()
    end = (signup.max().normalize() if end is None
           else check_date(end, "end", low=wide.index.min()))
    out["days_in_window"] = np.clip((end - out.index).days + 1, 0, 7).astype("int64")
    return out.reset_index(names=week_col)


def season_features(week_start: Any, *, holiday: tuple[str, str] = K.HOLIDAY_SEASON,
                    period_days: float = 365.25) -> pd.DataFrame:
    """Season controls for weekly data, evaluated at each week's midpoint (start + 3 days).

    ``yearly_cos`` / ``yearly_sin`` are cos and sin of 2π·day-of-year/period: together
    they fit a yearly wave of any phase. ``holiday`` is 1 for weeks whose midpoint falls in
    the holiday trading period (``"MM-DD"`` start and end, inclusive; default the shop's
    :data:`mkt_lessons.constants.HOLIDAY_SEASON`), else 0.

    Parameters
    ----------
    week_start : Series, DatetimeIndex or list of Timestamps
        The first day of each week (naive dates, none missing).
    holiday : (str, str)
        First and last ``"MM-DD"`` of the holiday period (may wrap around New Year).
    period_days : float
        Length of the yearly cycle in days (> 0).

    Returns
    -------
    DataFrame
        ``yearly_cos``, ``yearly_sin``, ``holiday`` (0.0/1.0), one row per week, in order.

    Examples
    --------
    >>> weeks = pd.Series(pd.to_datetime(["2024-06-30", "2024-11-24"]))
    >>> season_features(weeks).round(3)
       yearly_cos  yearly_sin  holiday
    0      -0.999      -0.041      0.0
    1       0.841      -0.541      1.0
    """
    ws = pd.DatetimeIndex(check_dates(week_start, "week_start"))
    if len(ws) == 0:
        raise ValueError("week_start is empty: there are no weeks to describe")
    lo, hi = _month_day(holiday)
    period_days = check_real(period_days, "period_days", low=0, low_open=True)
    mid = ws + pd.Timedelta(days=3)
    angle = 2 * np.pi * np.asarray(mid.day_of_year, dtype=float) / period_days
    md = np.asarray(mid.strftime("%m-%d"))
    flag = ((md >= lo) & (md <= hi)) if lo <= hi else ((md >= lo) | (md <= hi))
    return pd.DataFrame({"yearly_cos": np.cos(angle), "yearly_sin": np.sin(angle),
                         "holiday": flag.astype(float)})


def _month_day(holiday: Any) -> tuple[str, str]:
    if not isinstance(holiday, tuple | list) or len(holiday) != 2:
        raise TypeError(f"holiday must be a pair ('MM-DD', 'MM-DD'), got {describe(holiday)}")
    for md in holiday:
        if not isinstance(md, str):
            raise TypeError(f"holiday must be a pair ('MM-DD', 'MM-DD'), got {describe(md)} in it")
        try:
            ok = len(md) == 5 and md[2] == "-" and pd.Timestamp(f"2024-{md}") is not None
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(f"holiday must be a pair ('MM-DD', 'MM-DD'), got {md!r} in it")
    return holiday[0], holiday[1]
