"""Lesson 14 (capstone): the steps of a campaign plan as small, reusable functions.

The capstone ties the course together: segment (lesson 04), churn risk (08), products to
feature (05), expected profit per action, a budget (:func:`mkt_lessons.targeting.campaign_list`).
This module holds the parts that are specific to the plan, so that a team can run the same
plan on its own tables by changing only the loading cell of the notebook:

* :class:`Assumptions` — every business number the plan rests on, in one place, validated;
* :func:`churn_risk` — fit a churn model on a *past* cut-off whose label window is fully
  observed, and score every customer as of today;
* :func:`value_at_stake` — the gross margin a customer is expected to bring in the next
  window if they stay active;
* :func:`action_profits` — expected profit of each action per customer, net of its cost.

The profit model (documented again in :func:`action_profits`) is deliberately simple and
every piece of it is an assumption to be tested with a hold-out group, not a fact.

Why a seasonal training cut-off? Churn labels depend on the season of their window: a
window over the holidays brings many customers back, a window in spring does not. A model
trained on a window from another season ranks customers well but predicts the wrong
*level* of risk, and expected profit needs the level. Lesson 14 shows the backtest: trained
on the same season a year earlier, the predicted mean churn matched the realised rate
(0.46 vs 0.45), while models trained on the two previous quarters predicted 0.61–0.64.

Anyone's data: every function takes the column names as keywords (defaults in
:data:`mkt_lessons.constants.COLUMNS`), so a team builds one mapping in its loading cell and
passes ``**cols`` everywhere. Columns a feature needs but a team may not have (``quantity``,
``discount``, the products table) are optional: pass ``quantity_col=None`` etc.

Examples
--------
>>> a = Assumptions(retention_uplift=0.05)
>>> a.costs()
{'retention_offer': 4.0, 'cross_sell_email': 0.05}
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mkt_lessons import features as F
from mkt_lessons._validation import (
    check_1d,
    check_bool,
    check_date,
    check_frame,
    check_int,
    check_real,
    check_str,
    describe,
)
from mkt_lessons.constants import (
    AMOUNT_COL,
    CATEGORY_COL,
    CHURN_HORIZON_DAYS,
    CUSTOMER_COL,
    DATE_COL,
    DISCOUNT_COL,
    ORDER_COL,
    PRODUCT_COL,
    QUANTITY_COL,
)

__all__ = ["ACTIONS", "Assumptions", "churn_risk", "value_at_stake", "action_profits",
           "columns_for"]

ACTIONS = ("retention_offer", "cross_sell_email")

_KEYWORDS = "customer_col=/order_col=/date_col=/amount_col=/product_col=/quantity_col=/discount_col="


@dataclass(frozen=True)
class Assumptions:
    """The business numbers behind a campaign plan (defaults: the capstone's story).

    Attributes
    ----------
    margin : float
        Gross margin as a share of revenue (0.40 = 40 cents of profit per dollar sold).
    retention_cost : float
        Cost per customer offered a retention voucher, in dollars: the contact plus the
        expected cost of redeemed vouchers (also by customers who would have stayed anyway).
    retention_uplift : float
        Share of would-be churners whom the offer keeps active in the window.
    winback_uplift : float
        The same share for *lapsed* customers (no order for more than ``lapsed_days``):
        winning someone back is much harder than keeping them.
    lapsed_days : int
        Days since the last order after which a customer counts as lapsed.
    email_cost : float
        Cost per cross-sell e-mail, in dollars.
    email_uplift : float
        Extra probability that an *active* customer buys a featured product because of the
        e-mail.
    horizon_days : int
        The window the plan looks ahead, in days: the churn labels' window of
        :func:`churn_risk` and the value window of :func:`value_at_stake` (pass
        ``horizon_days=assumptions.horizon_days`` to both, as the capstone does).

    Examples
    --------
    >>> Assumptions(margin=1.5)
    Traceback (most recent call last):
    ...
    ValueError: Assumptions.margin must be a number in [0, 1], got 1.5
    """

    margin: float = 0.40
    retention_cost: float = 4.00
    retention_uplift: float = 0.10
    winback_uplift: float = 0.02
    lapsed_days: int = 365
    email_cost: float = 0.05
    email_uplift: float = 0.02
    horizon_days: int = CHURN_HORIZON_DAYS

    def __post_init__(self) -> None:
        for name in ("margin", "retention_uplift", "winback_uplift", "email_uplift"):
            check_real(getattr(self, name), f"Assumptions.{name}", low=0.0, high=1.0)
        for name in ("retention_cost", "email_cost"):
            check_real(getattr(self, name), f"Assumptions.{name}", low=0.0)
        for name in ("lapsed_days", "horizon_days"):
            check_int(getattr(self, name), f"Assumptions.{name}", low=1)

    def replace(self, **changes: Any) -> Assumptions:
        """A copy with some numbers changed, e.g. ``a.replace(retention_uplift=0.05)``."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise TypeError(f"unknown assumption(s) {sorted(unknown)}; "
                            f"known: {[f.name for f in dataclasses.fields(self)]}")
        return dataclasses.replace(self, **changes)

    def costs(self) -> dict[str, float]:
        """Cost per contact of each action (the ``cost`` argument of ``campaign_list``)."""
        return {"retention_offer": float(self.retention_cost),
                "cross_sell_email": float(self.email_cost)}


# --------------------------------------------------------------------------- columns
def columns_for(func: Any, columns: Any = None, **renames: str) -> dict[str, str]:
    """The column keywords of ``columns`` that ``func`` accepts, ready for ``**``.

    The capstone sets its column names once, in the loading cell, as one mapping (the keys
    of :data:`mkt_lessons.constants.COLUMNS`), and forwards them to every function with
    ``rfm_table(orders, as_of, **columns_for(rfm_table, COLS))``. ``renames`` maps a
    keyword of ``func`` to a key of ``columns`` when the function names it differently
    (the recommender's ``user_col=`` is our ``customer_col``).

    Examples
    --------
    >>> from mkt_lessons.features import churn_labels
    >>> columns_for(churn_labels, {"customer_col": "id", "date_col": "date", "amount_col": "amount"})
    {'customer_col': 'id', 'date_col': 'date'}
    >>> columns_for(churn_labels, {"customer_col": "id"}, date_col="customer_col")
    {'customer_col': 'id', 'date_col': 'id'}
    """
    import inspect

    from mkt_lessons.constants import COLUMNS

    if not callable(func):
        raise TypeError(f"func must be a function, got {describe(func)}")
    columns = dict(COLUMNS) if columns is None else columns
    if not hasattr(columns, "items") or not hasattr(columns, "keys"):
        raise TypeError(f"columns must be a mapping such as {{'date_col': 'date'}}, got {describe(columns)}")
    for k, v in columns.items():
        check_str(k, "a key of columns")
        if v is not None:
            check_str(v, f"columns[{k!r}]")
    params = inspect.signature(func).parameters
    out = {k: v for k, v in columns.items() if k in params}
    for keyword, key in renames.items():
        check_str(key, keyword)
        if keyword not in params:
            raise ValueError(f"{getattr(func, '__name__', func)} has no keyword {keyword!r}")
        if key not in columns:
            raise ValueError(f"{keyword}={key!r}: columns has no key {key!r}; it has {list(columns)}")
        out[keyword] = columns[key]
    return out


# --------------------------------------------------------------------------- checks
def _check_orders(orders: Any, cols: dict[str, str | None], numeric: list[str]) -> pd.DataFrame:
    for key, c in cols.items():
        if c is not None:
            check_str(c, key)
    present = {k: c for k, c in cols.items() if c is not None}
    if isinstance(orders, pd.DataFrame):
        absent = [k for k in ("quantity_col", "discount_col")
                  if k in present and present[k] not in orders.columns]
        if absent:
            raise ValueError(f"orders lacks the column(s) {[present[k] for k in absent]}; it has "
                             f"{list(orders.columns)}. Name yours with {'/'.join(absent)}=, or pass "
                             f"{'=None, '.join(absent)}=None if your data has none (optional).")
    return check_frame(orders, "orders", list(present.values()), keywords=_KEYWORDS,
                       ids=[c for k, c in present.items() if k in ("customer_col", "order_col")],
                       dates=[present["date_col"]],
                       numeric=[present[k] for k in numeric if k in present])


def _as_of(orders: pd.DataFrame, as_of: Any, date_col: str, data_end: Any) -> pd.Timestamp:
    """``as_of`` inside the data: after its last day every customer would look churned."""
    first = orders[date_col].min().normalize()
    if data_end is None:
        last, what = orders[date_col].max().normalize(), f"the last date in orders[{date_col!r}]"
    else:
        last = check_date(data_end, "data_end", low=orders[date_col].max().normalize())
        what = "data_end"
    return check_date(as_of, f"as_of (today: at most {what}, {last.date()}; pass data_end= "
                             "if your orders cover later days without orders)",
                      low=first, high=last)


# --------------------------------------------------------------------------- churn risk
def churn_risk(orders: pd.DataFrame, as_of: Any, train_cutoff: Any, *,
               products: pd.DataFrame | None = None, estimator: Any = None,
               horizon_days: int = CHURN_HORIZON_DAYS, customer_col: str = CUSTOMER_COL,
               date_col: str = DATE_COL, amount_col: str = AMOUNT_COL,
               order_col: str = ORDER_COL, product_col: str = PRODUCT_COL,
               quantity_col: str | None = QUANTITY_COL,
               discount_col: str | None = DISCOUNT_COL, category_col: str = CATEGORY_COL,
               data_end: Any = None, return_model: bool = False):
    """Probability of churning in the next ``horizon_days`` for every customer as of ``as_of``.

    A model is fitted on the features at ``train_cutoff`` and the churn labels of the
    window (train_cutoff, train_cutoff + horizon_days] — which must be over by ``as_of``, or
    the labels would be the future — then applied to the features at ``as_of``.

    Parameters
    ----------
    orders : DataFrame
        Clean order lines (see :func:`mkt_lessons.features.customer_features` for columns).
    as_of : date-like
        Today: the last day of history used for scoring. It must lie within the orders'
        dates: after their last day every customer would look silent, and the model would
        score (almost) everyone as churned.
    train_cutoff : date-like
        The cut-off of the training labels; pick one whose window has the same season as
        the window you predict (see the module docstring).
    products : DataFrame, optional
        Adds category shares to the features (needs ``product_col`` and ``category_col``).
    estimator : scikit-learn classifier, optional
        Default: ``LogisticRegression(max_iter=2000)`` (its probabilities are close to
        calibrated, which expected profit needs). Wrapped in
        :func:`mkt_lessons.features.feature_pipeline`.
    horizon_days : int
        The label window, in days.
    customer_col, date_col, amount_col, order_col, product_col, category_col : str
        Column names (defaults: :data:`mkt_lessons.constants.COLUMNS`).
    quantity_col, discount_col : str or None
        Optional columns: ``None`` leaves out the features built from them
        (``avg_items_per_order``, ``discount_share``).
    data_end : date-like, optional
        The last day the orders cover (default: the last order date); ``as_of`` may not be
        later.
    return_model : bool
        Also return the fitted pipeline.

    Returns
    -------
    Series (or (Series, Pipeline))
        ``p_churn`` indexed by customer id: every customer with an order up to ``as_of``.

    Raises
    ------
    ValueError
        If ``as_of`` is outside the data, the training window is not over by ``as_of``,
        a column is missing, or dates are time-zone aware.

    Examples
    --------
    >>> from mkt_lessons import data
    >>> orders = data.load_orders()
    >>> p = churn_risk(orders, "2024-12-31", "2024-01-02")
    >>> bool(p.between(0, 1).all()), p.name
    (True, 'p_churn')
    """
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression

    cols = {"customer_col": customer_col, "date_col": date_col, "amount_col": amount_col,
            "order_col": order_col, "product_col": product_col,
            "quantity_col": quantity_col, "discount_col": discount_col}
    _check_orders(orders, cols, ["amount_col", "quantity_col", "discount_col"])
    horizon_days = check_int(horizon_days, "horizon_days", low=1)
    return_model = check_bool(return_model, "return_model")
    now = _as_of(orders, as_of, date_col, data_end)
    cut = check_date(train_cutoff, "train_cutoff", low=orders[date_col].min().normalize())
    if cut + pd.Timedelta(days=horizon_days) > now:
        raise ValueError(f"train_cutoff {cut.date()} + {horizon_days} days ends after as_of "
                         f"{now.date()}: those labels are not known yet; pick an earlier train_cutoff")
    if products is not None:
        check_str(category_col, "category_col")
        check_frame(products, "products", [product_col, category_col],
                    keywords="product_col=/category_col=", ids=[product_col, category_col])
    # optional columns: a neutral stand-in, and the features built from it are dropped
    dropped, extra = [], {}
    if quantity_col is None:
        quantity_col, extra["__quantity"] = "__quantity", 1.0
        dropped.append("avg_items_per_order")
    if discount_col is None:
        discount_col, extra["__discount"] = "__discount", 0.0
        dropped.append("discount_share")
    data = orders.assign(**extra) if extra else orders
    kw = {"customer_col": customer_col, "date_col": date_col, "amount_col": amount_col,
          "order_col": order_col, "product_col": product_col, "quantity_col": quantity_col,
          "discount_col": discount_col, "category_col": category_col}

    def table(cutoff):
        return F.customer_features(data, cutoff, products=products, **kw).drop(columns=dropped)

    X_train = table(cut)
    y_train = F.churn_labels(data, cut, horizon_days, data_end=now, customer_col=customer_col,
                             date_col=date_col).loc[X_train.index]
    if y_train.nunique() < 2:
        raise ValueError(f"every customer at train_cutoff {cut.date()} has the same churn label: "
                         "there is nothing to learn; pick another cut-off")
    est = LogisticRegression(max_iter=2000) if estimator is None else clone(estimator)
    model = F.feature_pipeline(list(X_train.columns), estimator=est).fit(X_train, y_train)
    X_now = table(now)
    risk = pd.Series(model.predict_proba(X_now)[:, 1], index=X_now.index, name="p_churn")
    return (risk, model) if return_model else risk


# --------------------------------------------------------------------------- value
def value_at_stake(orders: pd.DataFrame, as_of: Any, *, margin: float,
                   horizon_days: int = CHURN_HORIZON_DAYS, lookback_days: int = 365,
                   customer_col: str = CUSTOMER_COL, date_col: str = DATE_COL,
                   amount_col: str = AMOUNT_COL, order_col: str = ORDER_COL,
                   data_end: Any = None, **other_cols: str | None) -> pd.Series:
    """Gross margin a customer is expected to bring in the next window if they stay active.

    ``margin x average order value x expected orders in the window``, where the expected
    orders are the customer's order rate over the last ``lookback_days`` scaled to
    ``horizon_days``, and at least 1 — an active customer buys at least once in the window
    by definition (that is what "not churned" means).

    Parameters
    ----------
    orders : DataFrame
    as_of : date-like
        Today; within the orders' dates (see :func:`churn_risk`).
    margin : float
        Gross margin share in [0, 1].
    horizon_days, lookback_days : int
    customer_col, date_col, amount_col, order_col : str
    data_end : date-like, optional
        As in :func:`churn_risk`.
    **other_cols
        Other column keywords (``product_col``, ``quantity_col`` ...) are accepted and
        ignored, so one mapping of column names can be passed to every capstone function.

    Returns
    -------
    Series
        ``value_at_stake`` in dollars, indexed by customer id (every customer with an order
        up to ``as_of``).

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["A", "A"], "order_id": ["o1", "o2"],
    ...                       "order_date": pd.to_datetime(["2024-03-01", "2024-09-01"]),
    ...                       "revenue": [100.0, 60.0]})
    >>> value_at_stake(lines, "2024-09-01", margin=0.5).round(2).tolist()
    [40.0]
    """
    _check_other_cols(other_cols)
    margin = check_real(margin, "margin", low=0.0, high=1.0)
    horizon_days = check_int(horizon_days, "horizon_days", low=1)
    lookback_days = check_int(lookback_days, "lookback_days", low=1)
    cols = {"customer_col": customer_col, "date_col": date_col, "amount_col": amount_col,
            "order_col": order_col}
    _check_orders(orders, cols, ["amount_col"])
    now = _as_of(orders, as_of, date_col, data_end)
    rfm = F.rfm_table(orders, now, customer_col=customer_col, date_col=date_col,
                      amount_col=amount_col, order_col=order_col)
    recent = orders.loc[(orders[date_col] <= now)
                        & (orders[date_col] > now - pd.Timedelta(days=lookback_days))]
    n_recent = (recent.groupby(customer_col, observed=True)[order_col].nunique()
                .reindex(rfm.index, fill_value=0).to_numpy())
    expected_orders = np.maximum(1.0, n_recent * horizon_days / lookback_days)
    aov = rfm["monetary"].to_numpy() / rfm["frequency"].to_numpy()
    return pd.Series(margin * aov * expected_orders, index=rfm.index, name="value_at_stake")


_OTHER_COLS = {"product_col", "quantity_col", "discount_col", "category_col", "price_col"}


def _check_other_cols(other: dict) -> None:
    unknown = sorted(set(other) - _OTHER_COLS)
    if unknown:
        raise TypeError(f"unexpected keyword argument(s) {unknown}; the column keywords are "
                        f"customer_col, date_col, amount_col, order_col, {sorted(_OTHER_COLS)}")


# --------------------------------------------------------------------------- profits
def _aligned(name: str, s: Any, index: pd.Index, *, share: bool = False) -> np.ndarray:
    if not isinstance(s, pd.Series):
        raise TypeError(f"{name} must be a pandas Series indexed by customer id, got {describe(s)}")
    if s.index.has_duplicates:
        raise ValueError(f"{name} has duplicate customer ids")
    if s.index.hasnans:
        raise ValueError(f"{name} has missing customer ids (NaN) in its index")
    if not s.index.sort_values().equals(index.sort_values()):
        missing = index.difference(s.index)
        extra = s.index.difference(index)
        raise ValueError(f"{name} must cover the same customers as p_churn: "
                         f"{len(missing)} missing (e.g. {list(missing[:3])}), "
                         f"{len(extra)} extra (e.g. {list(extra[:3])})")
    v = check_1d(s.reindex(index), name, low=0.0, high=1.0 if share else None)
    return v


def action_profits(p_churn: pd.Series, value: pd.Series, offer_value: pd.Series,
                   recency_days: pd.Series, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Expected profit of each action per customer, net of its cost (dollars).

    ``retention_offer = p_churn x uplift x value - retention_cost``: only a customer who
    would churn can be saved, the offer saves a share ``uplift`` of them (``winback_uplift``
    if the customer is lapsed, i.e. ``recency_days > lapsed_days``), and a saved customer is
    worth ``value`` (see :func:`value_at_stake`). The cost is paid for everyone offered.

    ``cross_sell_email = (1 - p_churn) x email_uplift x margin x offer_value - email_cost``:
    an active customer buys a featured product (average price ``offer_value``) with extra
    probability ``email_uplift``; a churner does not read it.

    "No action" is worth 0 by definition: every profit is *incremental* to doing nothing.

    Parameters
    ----------
    p_churn, value, offer_value, recency_days : Series
        Indexed by customer id, covering the same customers.
    assumptions : Assumptions, optional
        Default ``Assumptions()``.

    Returns
    -------
    DataFrame
        Columns ``retention_offer`` and ``cross_sell_email``, indexed like ``p_churn``.

    Examples
    --------
    >>> ids = pd.Index(["A"], name="customer_id")
    >>> one = lambda v: pd.Series([v], index=ids)
    >>> action_profits(one(0.5), one(100.0), one(20.0), one(30)).round(3)
                 retention_offer  cross_sell_email
    customer_id
    A                        1.0              0.03
    """
    a = Assumptions() if assumptions is None else assumptions
    if not isinstance(a, Assumptions):
        raise TypeError(f"assumptions must be an Assumptions, got {describe(a)}")
    if not isinstance(p_churn, pd.Series):
        raise TypeError(f"p_churn must be a pandas Series indexed by customer id, got {describe(p_churn)}")
    if len(p_churn) == 0:
        raise ValueError("p_churn is empty: there are no customers to plan for")
    index = p_churn.index
    p = _aligned("p_churn", p_churn, index, share=True)
    v = _aligned("value", value, index)
    price = _aligned("offer_value", offer_value, index)
    rec = _aligned("recency_days", recency_days, index)
    uplift = np.where(rec > a.lapsed_days, a.winback_uplift, a.retention_uplift)
    return pd.DataFrame({
        "retention_offer": p * uplift * v - a.retention_cost,
        "cross_sell_email": (1 - p) * a.email_uplift * a.margin * price - a.email_cost,
    }, index=index)
