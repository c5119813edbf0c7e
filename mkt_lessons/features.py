"""Lesson 02: customer-level features from order lines at a cut-off date, and churn labels.

Everything here is computed *as of* a date. The convention, used by every function:

* the cut-off (``snapshot_date`` / ``cutoff``) is the **end of that day**: orders dated on
  the cut-off are history, orders dated after it are ignored (they are the future);
* ``recency_days`` = cut-off - last order date, in whole days (0 = bought on the cut-off);
* churn labels look at the window (cutoff, cutoff + horizon_days], the same window as the
  generator's oracle ``p_buy_90d_*`` in ``truth/customers.csv``.

So a feature table at cut-off ``c`` never changes when orders after ``c`` change: no
leakage by construction (the tests check it).

Tables are indexed by customer id (index name = ``customer_col``), sorted, so features and
labels line up with ``X.join(y)``. :func:`feature_pipeline` builds the scikit-learn
``ColumnTransformer``/``Pipeline`` that lessons 03, 04 and 08 reuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

NUMERIC_FEATURES = ["recency_days", "frequency", "monetary", "tenure_days", "avg_basket",
                    "avg_lines_per_order", "avg_items_per_order", "n_products",
                    "mean_interpurchase_days", "discount_share", "orders_last_90d"]


# --------------------------------------------------------------------------- validation
def _timestamp(value: Any, name: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a date (e.g. '2024-07-04' or a Timestamp), got {value!r}") from None
    if ts is pd.NaT or pd.isna(ts):
        raise ValueError(f"{name} must be a date, got a missing value")
    if ts.tz is not None:
        raise ValueError(f"{name} must be a date without time zone, got {ts}")
    return ts.normalize() if ts != ts.normalize() else ts


def _check_orders(orders: Any, cols: dict[str, str], *, numeric: Sequence[str] = (),
                  allow_empty: bool = False, check_ids: bool = True) -> None:
    """Validate at the door: a DataFrame with the columns, dtypes and ids the function needs."""
    if not isinstance(orders, pd.DataFrame):
        raise TypeError(f"orders must be a pandas DataFrame, got {type(orders).__name__}")
    missing = [c for c in cols.values() if c not in orders.columns]
    if missing:
        raise ValueError(f"orders lacks the column(s) {missing}; pass the right column names "
                         f"with the *_col keywords (it has {list(orders.columns)})")
    if len(orders) == 0 and not allow_empty:
        raise ValueError("orders is empty: there are no order lines to compute features from")
    date_col = cols.get("date")
    if date_col is not None and not pd.api.types.is_datetime64_any_dtype(orders[date_col]):
        raise TypeError(f"orders[{date_col!r}] must be datetime64, got dtype {orders[date_col].dtype} "
                        "(convert with pd.to_datetime)")
    for key in numeric:
        c = cols[key]
        if not pd.api.types.is_numeric_dtype(orders[c]) or pd.api.types.is_bool_dtype(orders[c]):
            raise TypeError(f"orders[{c!r}] must be numeric, got dtype {orders[c].dtype}")
    for key in ("customer", "order") if check_ids else ():
        c = cols.get(key)
        if c is not None and orders[c].isna().any():
            raise ValueError(f"orders[{c!r}] has {int(orders[c].isna().sum())} missing id(s): "
                             "clean the table first (lesson 01)")
    if date_col is not None and orders[date_col].isna().any():
        raise ValueError(f"orders[{date_col!r}] has missing dates")


# --------------------------------------------------------------------------- RFM
def rfm_table(orders: pd.DataFrame, snapshot_date, *, customer_col: str = "customer_id",
              date_col: str = "order_date", amount_col: str = "revenue",
              order_col: str = "order_id") -> pd.DataFrame:
    """Recency, frequency and monetary value per customer, as of the end of ``snapshot_date``.

    Orders dated after ``snapshot_date`` are ignored; orders *on* it are included (recency 0).
    Customers with no order up to the snapshot do not appear.

    Parameters
    ----------
    orders : DataFrame
        Order lines (one row per order x product), e.g. ``data.load_orders()``.
    snapshot_date : date-like
        The as-of date ("today" for the analysis).
    customer_col, date_col, amount_col, order_col : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by customer id (sorted), columns ``recency_days`` (int: snapshot - last
        order date, days), ``frequency`` (int: distinct orders), ``monetary`` (float: total
        amount).

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
    cols = {"customer": customer_col, "date": date_col, "amount": amount_col, "order": order_col}
    _check_orders(orders, cols, numeric=["amount"], check_ids=False)  # ids: see _rfm_core
    snap = _timestamp(snapshot_date, "snapshot_date")
    return _rfm_core(orders, snap, cols)[0]


def _rfm_core(orders: pd.DataFrame, snap: pd.Timestamp, cols: dict[str, str]):
    """RFM on integer codes; also returns what customer_features reuses.

    Returns (rfm, keep mask, customer codes, order codes, day numbers) for the kept rows.
    """
    dates = orders[cols["date"]].to_numpy()
    keep = dates <= np.datetime64(snap)
    if not keep.any():
        raise ValueError(f"no orders on or before {snap.date()}")
    # Vectorised on integer codes: factorize once, then bincount / ufunc.at reductions.
    cust_codes, cust_uniques = _factorize_sorted(orders[cols["customer"]].to_numpy()[keep])
    order_codes, _ = pd.factorize(orders[cols["order"]].to_numpy()[keep])
    for key, c in [("customer", cust_codes), ("order", order_codes)]:
        if (c < 0).any():  # factorize codes missing values as -1
            raise ValueError(f"orders[{cols[key]!r}] has {int((c < 0).sum())} missing id(s): "
                             "clean the table first (lesson 01)")
    n_cust = len(cust_uniques)
    amount = orders[cols["amount"]].to_numpy(dtype="float64")[keep]
    if np.isnan(amount).any():
        raise ValueError(f"orders[{cols['amount']!r}] has missing values")
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
    order = np.argsort(keys, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return np.where(codes >= 0, rank[codes], -1), uniques[order]  # keep -1 = missing


# --------------------------------------------------------------------------- labels
def churn_labels(orders: pd.DataFrame, cutoff, horizon_days: int = 90, *,
                 customer_col: str = "customer_id", date_col: str = "order_date",
                 data_end=None) -> pd.Series:
    """Churn label per customer: 1 if active up to ``cutoff`` but no order in the next window.

    History is ``order_date <= cutoff``; the window is ``cutoff < order_date <= cutoff +
    horizon_days`` (the generator's oracle ``p_buy_90d_*`` is the probability of at least
    one order in exactly this window, so ``1 - p_buy`` is the true churn probability).
    Only customers with at least one order up to the cut-off get a label. The window must
    lie inside the data, or "no order" would mean "no data": pass ``data_end`` (the last
    day the table covers) to have this checked.

    Parameters
    ----------
    orders : DataFrame
    cutoff : date-like
    horizon_days : int
        Window length in days (> 0).
    customer_col, date_col : str
    data_end : date-like, optional
        Last day covered by ``orders``; if given, a window ending after it raises.

    Returns
    -------
    Series of int64
        Named ``churned``, indexed by customer id (sorted): 1 = churned, 0 = bought again.

    Raises
    ------
    ValueError
        If no order is dated up to the cut-off, or the window ends after ``data_end``.
    """
    if isinstance(horizon_days, bool) or not isinstance(horizon_days, (int, np.integer)) or horizon_days <= 0:
        raise ValueError(f"horizon_days must be a positive integer, got {horizon_days!r}")
    cols = {"customer": customer_col, "date": date_col}
    _check_orders(orders, cols)
    cut = _timestamp(cutoff, "cutoff")
    end = cut + pd.Timedelta(days=int(horizon_days))
    dates = orders[date_col]
    if data_end is not None and end > _timestamp(data_end, "data_end"):
        raise ValueError(f"the label window ends on {end.date()}, after data_end "
                         f"{_timestamp(data_end, 'data_end').date()}: missing data would count as churn")
    hist = orders.loc[dates <= cut, customer_col]
    if len(hist) == 0:
        raise ValueError(f"no orders on or before cutoff {cut.date()}")
    active = pd.Index(pd.unique(hist.to_numpy())).sort_values()
    bought = pd.unique(orders.loc[(dates > cut) & (dates <= end), customer_col].to_numpy())
    churned = (~active.isin(bought)).astype("int64")
    return pd.Series(churned, index=active.rename(customer_col), name="churned")


# --------------------------------------------------------------------------- features
def customer_features(orders: pd.DataFrame, cutoff, *, products: pd.DataFrame | None = None,
                      customer_col: str = "customer_id", date_col: str = "order_date",
                      amount_col: str = "revenue", order_col: str = "order_id",
                      product_col: str = "product_id", quantity_col: str = "quantity",
                      discount_col: str = "discount", category_col: str = "category",
                      recent_days: int = 90) -> pd.DataFrame:
    """Behavioural features per customer from the order lines up to the end of ``cutoff``.

    Only rows with ``order_date <= cutoff`` are read, so nothing after the cut-off can leak
    into a feature.

    Columns
    -------
    recency_days, frequency, monetary
        As in :func:`rfm_table`.
    tenure_days
        cutoff - first order date (days).
    avg_basket
        monetary / frequency (average order value).
    avg_lines_per_order, avg_items_per_order
        Order lines and units (sum of quantity) per order.
    n_products
        Distinct products bought.
    mean_interpurchase_days
        (last - first order date) / (frequency - 1): the mean gap between orders; NaN for a
        customer with a single order (there is no gap: impute it in the pipeline).
    discount_share
        Share of the customer's revenue bought at a discount (discount > 0).
    orders_last_90d
        Distinct orders in the last ``recent_days`` days up to the cut-off.
    share_<category>
        Share of revenue per product category (only when ``products`` is given).

    Parameters
    ----------
    orders : DataFrame
    cutoff : date-like
    products : DataFrame, optional
        With ``product_col`` and ``category_col``: adds the category shares.
    customer_col, date_col, amount_col, order_col, product_col, quantity_col,
    discount_col, category_col : str
        Column names.
    recent_days : int
        Window of ``orders_last_90d`` (the column keeps its name).

    Returns
    -------
    DataFrame
        Indexed by customer id (sorted); one row per customer with an order by the cut-off.
    """
    cols = {"customer": customer_col, "date": date_col, "amount": amount_col, "order": order_col,
            "product": product_col, "quantity": quantity_col, "discount": discount_col}
    _check_orders(orders, cols, numeric=["amount", "quantity", "discount"], check_ids=False)
    if isinstance(recent_days, bool) or not isinstance(recent_days, (int, np.integer)) or recent_days <= 0:
        raise ValueError(f"recent_days must be a positive integer, got {recent_days!r}")
    cut = _timestamp(cutoff, "cutoff")
    rfm, keep, codes, ord_codes, day = _rfm_core(orders, cut, cols)
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
    if (prod_codes < 0).any():
        raise ValueError(f"orders[{product_col!r}] has missing ids: clean the table first (lesson 01)")
    n_products = _distinct_per_group(codes, prod_codes, n)
    recent = day > cut_day - int(recent_days)
    orders_recent = _distinct_per_group(codes[recent], ord_codes[recent], n)
    with np.errstate(divide="ignore", invalid="ignore"):
        feats = pd.DataFrame({
            "recency_days": rfm["recency_days"].to_numpy(),
            "frequency": freq,
            "monetary": rfm["monetary"].to_numpy(),
            "tenure_days": (cut_day - first).astype("int64"),
            "avg_basket": rfm["monetary"].to_numpy() / freq,
            "avg_lines_per_order": lines / freq,
            "avg_items_per_order": units / freq,
            "n_products": n_products,
            "mean_interpurchase_days": np.where(freq > 1, (last_day - first) / (freq - 1), np.nan),
            "discount_share": np.where(rfm["monetary"].to_numpy() > 0,
                                       discounted / rfm["monetary"].to_numpy(), 0.0),
            "orders_last_90d": orders_recent,
        }, index=rfm.index)
    if products is not None:
        hist = orders.loc[keep, [customer_col, product_col, amount_col]]
        feats = feats.join(category_shares(hist, products, customer_col=customer_col,
                                           amount_col=amount_col, product_col=product_col,
                                           category_col=category_col))
    return feats


def _distinct_per_group(group_codes: np.ndarray, value_codes: np.ndarray, n_groups: int) -> np.ndarray:
    if len(group_codes) == 0:
        return np.zeros(n_groups, dtype=np.int64)
    base = int(value_codes.max()) + 1
    pair = np.sort(group_codes.astype(np.int64) * base + value_codes)
    # sort + "differs from the previous" is much faster than np.unique's hash table here
    pair = pair[np.r_[True, pair[1:] != pair[:-1]]]
    return np.bincount(pair // base, minlength=n_groups).astype(np.int64)


def category_shares(orders: pd.DataFrame, products: pd.DataFrame, *,
                    customer_col: str = "customer_id", amount_col: str = "revenue",
                    product_col: str = "product_id", category_col: str = "category") -> pd.DataFrame:
    """Share of each customer's revenue per product category (rows sum to 1).

    Columns are ``share_<category>`` for every category in ``products`` (also those a
    customer never bought), so train and test tables have the same columns. Filter the
    orders to the history first (``customer_features`` does).
    """
    if not isinstance(products, pd.DataFrame):
        raise TypeError(f"products must be a pandas DataFrame, got {type(products).__name__}")
    missing = [c for c in (product_col, category_col) if c not in products.columns]
    if missing:
        raise ValueError(f"products lacks the column(s) {missing}")
    if products[product_col].duplicated().any():
        raise ValueError(f"products[{product_col!r}] must be unique")
    for c in (customer_col, product_col, amount_col):
        if c not in orders.columns:
            raise ValueError(f"orders lacks the column {c!r}")
    all_cats = sorted(pd.unique(products[category_col].dropna().astype("str")))
    cat_index = pd.Index(all_cats)
    cat_of = pd.Series(cat_index.get_indexer(products[category_col].astype("str")),
                       index=products[product_col].to_numpy())
    cat_of = cat_of[products[category_col].notna().to_numpy()]
    prod_codes, prod_uniques = pd.factorize(orders[product_col].to_numpy())
    cat_of_unique = cat_of.reindex(np.asarray(prod_uniques)).to_numpy()
    if (prod_codes < 0).any() or np.isnan(cat_of_unique).any():
        unknown = [u for u, c in zip(prod_uniques, cat_of_unique, strict=True) if np.isnan(c)][:5]
        raise ValueError(f"orders[{product_col!r}] has missing ids or ids not in products "
                         f"(or without a category): {unknown}")
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
                     *, log_columns: Sequence[str] | None = None, estimator: Any = None):
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
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    for name, cols in [("numeric", numeric), ("categorical", categorical)]:
        if isinstance(cols, str) or not all(isinstance(c, str) for c in (cols or [])):
            raise TypeError(f"{name} must be a list of column names, got {cols!r}")
    numeric = list(NUMERIC_FEATURES if numeric is None else numeric)
    categorical = list(categorical)
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


__all__ = ["rfm_table", "churn_labels", "customer_features", "category_shares",
           "feature_pipeline", "NUMERIC_FEATURES"]
