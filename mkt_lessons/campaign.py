"""Lesson 14 (capstone): the steps of a campaign plan as small, reusable functions.

The capstone (version 2) plans a retention-voucher campaign from *estimated* value and
*estimated* response, and - because the bundled shop is simulated - grades the plan
against the truth. Its steps:

* :func:`customer_value` - what a customer is worth over the planning horizon (lesson 10):
  BG/NBD expected orders and probability of being alive, times an expected order value
  that is **shrunk** towards the population (empirical Bayes on the log scale), so no single
  outlier order drives a decision;
* :func:`orders_in_window` - the outcome of a randomised test counted from the order log;
* :func:`uplift_scores` - the response per customer (lesson 11): an uplift learner fitted on
  the randomised test with **cross-fitting**, so no customer is scored by a model that saw
  their own outcome;
* :func:`assumed_response` - what to assume when a team has no randomised test (one uplift
  for everyone alive; the plan is then "expected under the assumed uplift");
* :func:`voucher_profits` - expected incremental profit = extra orders x margin x order
  value - (contact cost + voucher cost x expected redemptions, including the customers who
  would have bought anyway);
* :func:`plan_value_from_test` - what a plan would earn, estimated **from the randomised
  test itself** (no truth needed): among the plan's customers, the treated minus the control
  customers' mean outcome, times the plan's size, minus the contacts, with Welch's interval;
* :func:`compare_plans` - what each plan expected and, where the truth is known, what it
  truly earns.

The budgeted choice is :func:`mkt_lessons.targeting.campaign_list`.

Version 1 of the capstone (kept, still public): :class:`Assumptions`, :func:`churn_risk`,
:func:`value_at_stake` and :func:`action_profits` rank by churn risk x one assumed uplift x a
value at stake. Lesson 14 reproduces that plan to show what it truly earns.

Why shrink the order value, and why not Gamma-Gamma? On the bundled shop the Gamma-Gamma
model's fitted ``q`` is close to 1 (heavy-tailed spend): its population mean order is several
times the median, and every one-time buyer would be valued at it. Order values are close to
log-normal, so :func:`customer_value` shrinks each customer's mean *log* order value towards
the population mean with the weight a random-effects model estimates from the data
(between- and within-customer variance), and returns the log-normal mean of the next order.

Why a seasonal training cut-off (v1 :func:`churn_risk`)? Churn labels depend on the season
of their window. A model trained on a window from another season ranks customers well but
predicts the wrong *level* of risk, and expected profit needs the level.

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
from mkt_lessons._results import Result
from mkt_lessons._validation import (
    check_1d,
    check_bool,
    check_date,
    check_frame,
    check_int,
    check_option,
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
           "columns_for", "customer_value", "orders_in_window", "uplift_scores",
           "assumed_response", "voucher_profits", "compare_plans", "PlanValue",
           "plan_value_from_test"]

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


# =========================================================================== version 2
# --------------------------------------------------------------------------- value (CLV)
def _shrunk_log_means(log_values: pd.Series, groups: pd.Series) -> tuple[pd.DataFrame, dict]:
    """Empirical-Bayes (random-effects) means of ``log_values`` per group.

    Model: ``log order value = mu + u_customer + e``, ``u ~ N(0, tau2)``, ``e ~ N(0, s2)``.
    ``s2`` is the pooled within-customer variance (customers with 2+ orders), ``tau2`` the
    variance of the customers' means minus the part the within-noise explains
    (method of moments, floored at 1% of ``s2``), ``mu`` the mean of the customers' means.
    """
    g = log_values.groupby(groups, sort=True, observed=True)
    n, mean = g.size(), g.mean()
    multi = n > 1
    if int(multi.sum()) < 2:
        raise ValueError(f"only {int(multi.sum())} customer(s) have 2 or more orders: the "
                         "spread of order values within a customer cannot be estimated, so "
                         "there is nothing to shrink with; use more history")
    dev = (log_values - g.transform("mean")) ** 2
    s2 = float(dev.groupby(groups, observed=True).sum()[multi].sum() / (n[multi] - 1).sum())
    s2 = max(s2, 1e-12)
    mu = float(mean.mean())
    tau2 = max(float(mean.var(ddof=1)) - s2 * float(np.mean(1.0 / n)), 0.01 * s2) \
        if len(mean) > 1 else 0.01 * s2
    precision = n / s2 + 1.0 / tau2
    post = (n * mean / s2 + mu / tau2) / precision
    out = pd.DataFrame({"n_orders": n.astype(np.int64), "log_mean": mean, "post_mean": post,
                        "post_var": 1.0 / precision})
    return out, {"mu": mu, "tau2": tau2, "s2": s2, "k": s2 / tau2}


def customer_value(orders: pd.DataFrame, as_of: Any, *, margin: float,
                   horizon_days: int = 60, customer_col: str = CUSTOMER_COL,
                   date_col: str = DATE_COL, amount_col: str = AMOUNT_COL,
                   order_col: str = ORDER_COL, data_end: Any = None,
                   **other_cols: str | None) -> pd.DataFrame:
    """Expected margin of every customer over the planning horizon, from history up to ``as_of``.

    * ``order_value``: the expected value of the customer's next order. Each order's value
      (sum of its lines) is taken on the log scale; the customer's mean log value is shrunk
      towards the population mean with weight ``n / (n + k)``, ``k = s2 / tau2`` estimated
      from the data (within- and between-customer variance of log order values, a
      random-effects model); the result is the log-normal mean
      ``exp(shrunk mean + (s2 + posterior variance) / 2)``. A single large order moves a
      one-time buyer only part of the way: the data decide how far.
    * ``p_alive`` and ``expected_orders`` (in ``horizon_days``): the BG/NBD model of lesson 10
      (:class:`mkt_lessons.clv.BetaGeoModel`) fitted on every customer's purchase days up to
      ``as_of``.
    * ``expected_margin = margin x order_value x expected_orders``: the customer's value over
      the horizon if we do nothing.

    Parameters
    ----------
    orders : DataFrame
        Order lines (customer, order, date, amount). Lines after ``as_of`` are ignored (the
        plan is made on ``as_of``).
    as_of : date-like
        The planning day; within the orders' dates.
    margin : float
        Gross margin share of an order's value, in (0, 1].
    horizon_days : int
        The planning horizon.
    customer_col, date_col, amount_col, order_col : str
        Column names.
    data_end : date-like, optional
        As in :func:`churn_risk`.
    **other_cols
        Other column keywords are accepted and ignored (one mapping for every function).

    Returns
    -------
    DataFrame
        Indexed by customer id (every customer with an order up to ``as_of``): ``n_orders``,
        ``order_value``, ``p_alive``, ``expected_orders``, ``expected_margin``.
        ``attrs["shrinkage"]`` holds ``mu``, ``tau2``, ``s2`` and ``k``; ``attrs["bgnbd"]`` the
        BG/NBD parameters.

    Raises
    ------
    ValueError
        Bad columns or dates, a non-positive order value, ``as_of`` outside the data, or fewer
        than two customers with repeat orders (nothing to estimate the shrinkage from).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> rows = [(f"C{c}", f"O{c}-{j}", pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(d)),
    ...          float(np.exp(rng.normal(4, 0.5))))
    ...         for c in range(60) for j, d in enumerate(sorted(rng.choice(300, 1 + c % 4, replace=False)))]
    >>> lines = pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "revenue"])
    >>> v = customer_value(lines, "2024-12-31", margin=0.5, data_end="2024-12-31")
    >>> list(v.columns)
    ['n_orders', 'order_value', 'p_alive', 'expected_orders', 'expected_margin']
    >>> bool(v["p_alive"].between(0, 1).all() and (v["order_value"] > 0).all())
    True
    """
    from mkt_lessons import clv

    _check_other_cols(other_cols)
    margin = check_real(margin, "margin", low=0.0, high=1.0, low_open=True)
    horizon_days = check_int(horizon_days, "horizon_days", low=1)
    cols = {"customer_col": customer_col, "date_col": date_col, "amount_col": amount_col,
            "order_col": order_col}
    _check_orders(orders, cols, ["amount_col"])
    now = _as_of(orders, as_of, date_col, data_end)
    hist = orders.loc[orders[date_col] <= now + pd.Timedelta(days=1) - pd.Timedelta(1, "ns"),
                      [customer_col, order_col, date_col, amount_col]]
    totals = hist.groupby([customer_col, order_col], observed=True, sort=True)[amount_col].sum()
    if (totals <= 0).any():
        bad = totals[totals <= 0].index[0]
        raise ValueError(f"orders[{amount_col!r}]: order {bad[1]!r} of customer {bad[0]!r} has a "
                         f"total of {totals[bad]:g}; order values must be > 0 (drop returns and "
                         "free orders first, lesson 01)")
    table, shrink = _shrunk_log_means(np.log(totals), totals.index.get_level_values(0).to_series(
        index=totals.index))
    order_value = np.exp(table["post_mean"] + (shrink["s2"] + table["post_var"]) / 2.0)
    summary = clv.summary_table(hist, now, customer_col=customer_col, date_col=date_col,
                                amount_col=amount_col).reindex(table.index)
    bg = clv.BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])
    args = (summary["frequency"], summary["recency"], summary["T"])
    p_alive = bg.prob_alive(*args)
    expected = bg.expected_purchases(float(horizon_days), *args)
    out = pd.DataFrame({"n_orders": table["n_orders"], "order_value": order_value.to_numpy(),
                        "p_alive": np.asarray(p_alive, dtype=float),
                        "expected_orders": np.asarray(expected, dtype=float)},
                       index=pd.Index(table.index, name=customer_col))
    out["expected_margin"] = margin * out["order_value"] * out["expected_orders"]
    out.attrs["shrinkage"] = shrink
    out.attrs["bgnbd"] = dict(bg.params_)
    return out


# --------------------------------------------------------------------------- outcomes
def orders_in_window(orders: pd.DataFrame, customers: Any, start: Any, days: int, *,
                     customer_col: str = CUSTOMER_COL, date_col: str = DATE_COL,
                     order_col: str = ORDER_COL, **other_cols: str | None) -> pd.Series:
    """Number of orders each customer placed in ``[start, start + days)``.

    The outcome of a randomised test (e.g. the 60 days after a voucher e-mail), counted from
    the order log. Every customer in ``customers`` appears (0 if they did not order).

    Parameters
    ----------
    orders : DataFrame
    customers : array-like of ids
        The customers to count for (e.g. everyone in the test), unique.
    start : date-like
        The first day of the window (inclusive).
    days : int
        The window's length in days.
    customer_col, date_col, order_col : str
    **other_cols
        Other column keywords are accepted and ignored.

    Returns
    -------
    Series
        ``n_orders`` indexed by customer id, in the order of ``customers``.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["A", "A", "A", "B"], "order_id": ["o1", "o1", "o2", "o3"],
    ...                       "order_date": pd.to_datetime(["2024-04-02", "2024-04-02", "2024-06-01",
    ...                                                     "2024-03-01"])})
    >>> orders_in_window(lines, ["A", "B", "C"], "2024-04-02", 60).tolist()
    [1, 0, 0]
    """
    _check_other_cols({k: v for k, v in other_cols.items() if k != "amount_col"})
    for key, c in (("customer_col", customer_col), ("date_col", date_col), ("order_col", order_col)):
        check_str(c, key)
    check_frame(orders, "orders", [customer_col, order_col, date_col],
                keywords="customer_col=/order_col=/date_col=", ids=[customer_col, order_col],
                dates=[date_col])
    ids = check_1d(customers, "customers", kind="any")
    if pd.Index(ids).has_duplicates:
        raise ValueError("customers has duplicate ids")
    begin = check_date(start, "start")
    days = check_int(days, "days", low=1)
    end = begin + pd.Timedelta(days=days)
    inside = orders.loc[(orders[date_col] >= begin) & (orders[date_col] < end)]
    counts = inside.groupby(customer_col, observed=True)[order_col].nunique()
    return counts.reindex(pd.Index(ids, name=customer_col), fill_value=0).astype(np.int64) \
        .rename("n_orders")


# --------------------------------------------------------------------------- response
def _check_features(X: Any) -> pd.DataFrame:
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a DataFrame of features indexed by customer id, got {describe(X)}")
    check_frame(X, "X", numeric=list(X.columns))
    if X.shape[1] == 0:
        raise ValueError("X has no columns: give the learner at least one feature")
    if X.index.has_duplicates:
        raise ValueError("X has duplicate customer ids in its index")
    return X


def uplift_scores(X: pd.DataFrame, treatment: Any, y: Any, *, learner: Any = None,
                  n_folds: int = 5, random_state: int = 0) -> pd.DataFrame:
    """Cross-fitted (out-of-fold) uplift and outcomes per customer of a randomised test.

    The customers are split into ``n_folds`` folds, stratified by treatment (so each fold
    keeps the test's treated share); a clone of ``learner`` is fitted on the other folds and
    predicts the customers of the held-out fold. So **no customer is scored by a model that
    saw their own outcome**: an in-sample score partly memorises who happened to buy, which
    flatters the ranking (lesson 11's Qini curve beat the oracle's) and makes a plan chase
    luck.

    Parameters
    ----------
    X : DataFrame
        Pre-treatment features, one row per customer (index = customer id), numbers only.
    treatment : array-like of 0/1
        In the rows' order (a Series must have ``X``'s index).
    y : array-like of float
        The outcome (e.g. orders in the test's window, or 0/1 purchase); as ``treatment``.
    learner : uplift estimator, optional
        Anything with ``fit(X, treatment, y)`` and ``predict(X)`` (uplift) from
        :mod:`mkt_lessons.uplift`; default ``XLearner(random_state=random_state)``. With
        ``predict_outcomes`` (T-, X- and S-learners) the predicted outcome with and without
        the offer are returned too.
    n_folds : int
        At least 2, at most the size of the smaller group.
    random_state : int
        Seed of the folds (and of the default learner).

    Returns
    -------
    DataFrame
        Indexed like ``X``: ``uplift``, ``treated`` (predicted outcome with the offer) and
        ``control`` (without); the last two are NaN for a learner without
        ``predict_outcomes``.

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> from mkt_lessons.uplift import TLearner, simulate_uplift
    >>> sim = simulate_uplift(1500, kind="linear", treated_share=1/3, seed=1)
    >>> s = uplift_scores(sim.filter(like="x"), sim["treatment"], sim["y"],
    ...                   learner=TLearner(LinearRegression()))
    >>> list(s.columns), bool(abs(s["uplift"].mean() - sim["true_uplift"].mean()) < 0.1)
    (['uplift', 'treated', 'control'], True)
    """
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold
    from threadpoolctl import threadpool_limits

    from mkt_lessons.uplift import XLearner

    X = _check_features(X)
    n = len(X)
    for name, v in (("treatment", treatment), ("y", y)):
        if isinstance(v, pd.Series) and len(v) == n and not v.index.equals(X.index):
            raise ValueError(f"{name} is a Series whose index is not X's: align it first "
                             f"(e.g. {name}.loc[X.index]) so each row is the same customer")
    t = check_1d(treatment, "treatment", kind="binary", length=n)
    yy = check_1d(y, "y", length=n)
    random_state = check_int(random_state, "random_state", low=0)
    smaller = int(min(t.sum(), n - t.sum()))
    n_folds = check_int(n_folds, "n_folds", low=2, high=max(2, smaller))
    if smaller < n_folds:
        raise ValueError(f"treatment has {smaller} customer(s) in its smaller group: fewer than "
                         f"n_folds={n_folds}; every fold needs treated and control customers")
    model = XLearner(random_state=random_state) if learner is None else learner
    if not (hasattr(model, "fit") and hasattr(model, "predict") and hasattr(model, "get_params")):
        raise TypeError(f"learner must be an uplift estimator with fit(X, treatment, y) and "
                        f"predict(X), got {describe(model)}")
    out = np.full((n, 3), np.nan)
    folds = StratifiedKFold(n_folds, shuffle=True, random_state=random_state).split(X, t)
    with threadpool_limits(1):  # small tables: threads fighting over cores are slower
        for fit_rows, rows in folds:
            m = clone(model).fit(X.iloc[fit_rows], t[fit_rows], yy[fit_rows])
            out[rows, 0] = m.predict(X.iloc[rows])
            if hasattr(m, "predict_outcomes"):
                mu0, mu1 = m.predict_outcomes(X.iloc[rows])
                out[rows, 1], out[rows, 2] = mu1, mu0
    return pd.DataFrame(out, index=X.index.copy(), columns=["uplift", "treated", "control"])


def assumed_response(value: pd.DataFrame, uplift: float) -> pd.DataFrame:
    """The response to assume without a randomised test: ``uplift`` extra orders per *living* customer.

    ``uplift = assumed extra orders x p_alive`` (the gone cannot be persuaded), and the
    chance of buying with the voucher ``treated = 1 - exp(-(expected_orders + uplift))`` (a
    Poisson count of orders in the horizon). Every number derived from it is **expected
    under the assumed uplift**, not estimated: run a randomised test (a random hold-out of
    the contacted) to replace the assumption.

    Parameters
    ----------
    value : DataFrame
        From :func:`customer_value` (needs ``p_alive`` and ``expected_orders``).
    uplift : float
        Assumed extra orders in the horizon for a customer who is alive, >= 0.

    Returns
    -------
    DataFrame
        Indexed like ``value``: ``uplift``, ``treated``, ``control`` (as :func:`uplift_scores`).

    Examples
    --------
    >>> v = pd.DataFrame({"p_alive": [1.0, 0.0], "expected_orders": [0.5, 0.0]}, index=["A", "B"])
    >>> assumed_response(v, 0.2).round(3)
       uplift  treated  control
    A     0.2    0.503    0.393
    B     0.0    0.000    0.000
    """
    check_frame(value, "value", ["p_alive", "expected_orders"], numeric=["p_alive", "expected_orders"],
                non_negative=["p_alive", "expected_orders"])
    u = check_real(uplift, "uplift", low=0.0)
    lift = u * value["p_alive"].to_numpy(dtype=float)
    base = value["expected_orders"].to_numpy(dtype=float)
    return pd.DataFrame({"uplift": lift, "treated": 1 - np.exp(-(base + lift)),
                         "control": 1 - np.exp(-base)}, index=value.index.copy())


# --------------------------------------------------------------------------- profit
def _aligned_to(name: str, s: Any, index: pd.Index, *, low: float | None = None,
                high: float | None = None) -> np.ndarray:
    if not isinstance(s, pd.Series):
        raise TypeError(f"{name} must be a pandas Series indexed by customer id, got {describe(s)}")
    if s.index.has_duplicates:
        raise ValueError(f"{name} has duplicate customer ids")
    missing = index.difference(s.index)
    if len(missing):
        raise ValueError(f"{name} lacks {len(missing)} customer(s) of uplift "
                         f"(e.g. {list(missing[:3])})")
    return check_1d(s.reindex(index), name, low=low, high=high)


def voucher_profits(uplift: pd.Series, order_value: pd.Series, p_buy_treated: pd.Series, *,
                    margin: float, contact_cost: float, voucher_share: float) -> pd.DataFrame:
    """Expected incremental profit of sending the voucher to each customer (dollars).

    ``incremental_margin = uplift x margin x order_value``: the extra orders the voucher
    brings, each worth its margin. ``cost = contact_cost + voucher_share x order_value x
    p_buy_treated``: every contact costs ``contact_cost``, and the voucher's discount is paid
    on every redeemed order - by the persuaded *and* by the customers who would have bought
    anyway (the redemption chance is the probability of buying **with** the voucher, not the
    uplift). ``expected_profit = incremental_margin - cost``; doing nothing is worth 0.

    Parameters
    ----------
    uplift : Series
        Estimated extra orders per customer in the horizon (may be negative: sleeping dogs).
    order_value : Series
        Expected value of an order (e.g. ``customer_value(...)["order_value"]``), >= 0.
    p_buy_treated : Series
        Probability of buying (redeeming) with the voucher, in [0, 1].
    margin : float
        Gross margin share, in [0, 1].
    contact_cost : float
        Cost of one contact, >= 0.
    voucher_share : float
        The voucher's discount as a share of the order, in [0, 1].

    Returns
    -------
    DataFrame
        Indexed like ``uplift``: ``incremental_margin``, ``cost``, ``expected_profit``.

    Examples
    --------
    >>> ids = ["A", "B"]
    >>> voucher_profits(pd.Series([0.3, 0.0], ids), pd.Series([100.0, 100.0], ids),
    ...                 pd.Series([0.5, 0.9], ids), margin=0.5, contact_cost=1.0,
    ...                 voucher_share=0.15)
       incremental_margin  cost  expected_profit
    A                15.0   8.5              6.5
    B                 0.0  14.5            -14.5
    """
    if not isinstance(uplift, pd.Series):
        raise TypeError(f"uplift must be a pandas Series indexed by customer id, got {describe(uplift)}")
    if len(uplift) == 0:
        raise ValueError("uplift is empty: there are no customers to plan for")
    if uplift.index.has_duplicates or uplift.index.hasnans:
        raise ValueError("uplift's index must hold unique customer ids without NaN")
    index = uplift.index
    u = check_1d(uplift, "uplift")
    v = _aligned_to("order_value", order_value, index, low=0.0)
    p1 = _aligned_to("p_buy_treated", p_buy_treated, index, low=0.0, high=1.0)
    margin = check_real(margin, "margin", low=0.0, high=1.0)
    contact_cost = check_real(contact_cost, "contact_cost", low=0.0)
    voucher_share = check_real(voucher_share, "voucher_share", low=0.0, high=1.0)
    gain = u * margin * v
    cost = contact_cost + voucher_share * v * p1
    return pd.DataFrame({"incremental_margin": gain, "cost": cost, "expected_profit": gain - cost},
                        index=index.copy())


def compare_plans(plans: Any, true_profit: pd.Series | None = None, *,
                  contact_cost: float = 0.0, reference: str | None = None) -> pd.DataFrame:
    """What each plan expected to earn and, with the truth, what it truly earns.

    Parameters
    ----------
    plans : dict of str -> Series
        For each plan, the contacted customers (index) and the incremental profit the planner
        expected from each (values, net of all costs as the planner saw them).
    true_profit : Series, optional
        The true incremental margin of contacting each customer (net of the offer's cost,
        e.g. ``truth/retention_uplift.csv``'s ``uplift_margin``), indexed by customer id and
        covering every contacted customer.
    contact_cost : float
        Subtracted once per contacted customer from the true margin.
    reference : str, optional
        A plan's name (e.g. the oracle's): adds ``share_of_reference``, each plan's true
        profit divided by the reference plan's.

    Returns
    -------
    DataFrame
        One row per plan: ``contacted``, ``expected_profit`` and, with the truth,
        ``true_profit`` (and ``share_of_reference``).

    Examples
    --------
    >>> truth = pd.Series([10.0, -5.0, 2.0], index=["A", "B", "C"])
    >>> plans = {"model": pd.Series([6.0, 3.0], index=["A", "B"]),
    ...          "oracle": pd.Series([9.0, 1.0], index=["A", "C"])}
    >>> compare_plans(plans, truth, contact_cost=1.0, reference="oracle")
            contacted  expected_profit  true_profit  share_of_reference
    model           2              9.0          3.0                 0.3
    oracle          2             10.0         10.0                 1.0
    """
    if not hasattr(plans, "items") or isinstance(plans, pd.Series | pd.DataFrame):
        raise TypeError(f"plans must be a dict of plan name -> Series, got {describe(plans)}")
    if not plans:
        raise ValueError("plans is empty: give at least one plan")
    contact_cost = check_real(contact_cost, "contact_cost", low=0.0)
    truth = None
    if true_profit is not None:
        if not isinstance(true_profit, pd.Series):
            raise TypeError(f"true_profit must be a pandas Series indexed by customer id, got "
                            f"{describe(true_profit)}")
        if true_profit.index.has_duplicates:
            raise ValueError("true_profit has duplicate customer ids")
        truth = pd.Series(check_1d(true_profit, "true_profit", min_len=1), index=true_profit.index)
    rows = {}
    for name, plan in plans.items():
        check_str(name, "a plan name (a key of plans)")
        if not isinstance(plan, pd.Series):
            raise TypeError(f"plans[{name!r}] must be a Series of expected profit indexed by the "
                            f"contacted customers, got {describe(plan)}")
        if plan.index.has_duplicates:
            raise ValueError(f"plans[{name!r}] contacts a customer twice")
        expected = check_1d(plan, f"plans[{name!r}]", min_len=0)
        row = {"contacted": len(plan), "expected_profit": float(expected.sum())}
        if truth is not None:
            missing = plan.index.difference(truth.index)
            if len(missing):
                raise ValueError(f"true_profit lacks {len(missing)} customer(s) of plans[{name!r}] "
                                 f"(e.g. {list(missing[:3])})")
            row["true_profit"] = float(truth.loc[plan.index].sum() - contact_cost * len(plan))
        rows[name] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    if reference is not None:
        if truth is None:
            raise ValueError("reference needs true_profit: the share is of the true profit")
        check_option(reference, "reference", list(out.index))
        out["share_of_reference"] = out["true_profit"] / out.loc[reference, "true_profit"]
    return out


# --------------------------------------------------------------------------- test-based value
@dataclass(frozen=True)
class PlanValue(Result):
    """Result of :func:`plan_value_from_test`: what contacting a set of customers earns.

    Attributes
    ----------
    estimate : float
        ``n x (mean_treated - mean_control) - n x cost_per_contact``: the plan's incremental
        outcome (e.g. 60-day margin, dollars), net of the contacts.
    ci_low, ci_high : float
        Welch's two-sided ``1 - alpha`` interval of ``estimate``.
    alpha : float
        1 - confidence level.
    n : int
        Customers in the plan (all of them in the test).
    n_treated, n_control : int
        How many of them the test treated and held out.
    mean_treated, mean_control : float
        Their mean outcomes.
    per_customer : float
        ``mean_treated - mean_control``: the incremental outcome per contacted customer,
        before the contact cost.
    se : float
        Standard error of ``estimate``: ``n x sqrt(s_t^2 / n_treated + s_c^2 / n_control)``.
    df : float
        Welch-Satterthwaite degrees of freedom.
    """

    estimate: float
    ci_low: float
    ci_high: float
    alpha: float
    n: int
    n_treated: int
    n_control: int
    mean_treated: float
    mean_control: float
    per_customer: float
    se: float
    df: float

    @property
    def ci(self) -> tuple[float, float]:
        """The confidence interval ``(ci_low, ci_high)``."""
        return (self.ci_low, self.ci_high)


def plan_value_from_test(selected: Any, test: pd.DataFrame, *, outcome_col: str,
                         treatment_col: str = "treatment", id_col: str | None = CUSTOMER_COL,
                         cost_per_contact: float = 0.0, alpha: float = 0.05) -> PlanValue:
    """Estimate what contacting ``selected`` earns, from a randomised test alone (no truth).

    If the plan's customers were all in a randomised test, the test already ran the plan on
    a random part of them: the treated among them got the offer, the control customers
    among them did not, and nothing but chance decided which. So

    ``estimate = n x (mean outcome of the plan's treated - that of the plan's control)
    - n x cost_per_contact``,

    the incremental outcome of contacting all ``n`` of them. Each arm's mean is taken over
    that arm's *own* customers, so a test that treated 1 in 3 is handled as it is (no 50/50
    assumption), and the interval is Welch's: standard error ``n x sqrt(s_t^2 / n_t +
    s_c^2 / n_c)`` with each arm's own variance and size, Welch-Satterthwaite degrees of
    freedom. This is how to compare plans before (or without) any truth: a plan whose
    interval lies above another's earns more, overlapping intervals cannot be told apart
    with this test.

    **The selection must not have seen the customers' outcomes.** Choose the plan from scores
    fitted on the same customers' outcomes (in-sample), and it picks the treated customers
    who happened to buy and the control customers who happened not to: the difference of
    means is then inflated and the estimate **optimistic**, however honest the arithmetic.
    Select with out-of-fold scores (:func:`uplift_scores`: each customer scored by a model
    that never saw them) or with pre-treatment data only. (With a top-k selection from
    cross-fitted scores a customer's outcome still enters the *other* folds' models, hence
    their scores and so the cut-off; that effect is small and the tests show the estimate
    stays on target.)

    Parameters
    ----------
    selected : array-like of ids
        The customers the plan contacts, unique; every one must be in ``test``.
    test : DataFrame
        One row per customer of a randomised test: id, treatment (0/1) and outcome.
    outcome_col : str
        The outcome per customer in the test's window, e.g. 60-day margin net of the
        discounts paid (dollars), so the estimate is in the same unit as the plan's profit.
    treatment_col : str
        0/1 column: 1 = got the offer in the test.
    id_col : str or None
        Column with the customer ids; ``None``: the index holds them.
    cost_per_contact : float
        Subtracted once per selected customer (e.g. the e-mail), >= 0. Costs that depend on
        the outcome (the voucher's discount) belong in the outcome itself.
    alpha : float
        1 - confidence level, in (0, 1).

    Returns
    -------
    PlanValue
        ``estimate``, ``ci_low``, ``ci_high``, ``n`` and the arms' sizes and means.

    Raises
    ------
    ValueError
        Ids missing from the test or duplicated, a treatment other than 0/1, an outcome with
        NaN, or fewer than two treated or two control customers among ``selected``.

    Examples
    --------
    >>> test = pd.DataFrame({"customer_id": list("ABCDEFGH"),
    ...                      "treatment": [1, 1, 0, 0, 0, 1, 0, 0],
    ...                      "margin": [30.0, 10.0, 5.0, 15.0, 0.0, 50.0, 0.0, 8.0]})
    >>> r = plan_value_from_test(["A", "B", "C", "D", "E"], test, outcome_col="margin",
    ...                          cost_per_contact=1.0)
    >>> r.n, r.n_treated, round(r.per_customer, 2), round(r.estimate, 2)
    (5, 2, 13.33, 61.67)
    >>> bool(r.ci_low < r.estimate < r.ci_high)
    True
    """
    from scipy import stats

    check_str(outcome_col, "outcome_col")
    check_str(treatment_col, "treatment_col")
    if id_col is not None:
        check_str(id_col, "id_col")
    cols = [outcome_col, treatment_col] + ([id_col] if id_col is not None else [])
    check_frame(test, "test", cols, keywords="outcome_col=/treatment_col=/id_col=",
                numeric=[outcome_col], ids=[id_col] if id_col is not None else [])
    ids = pd.Index(test[id_col] if id_col is not None else test.index)
    if ids.hasnans:
        raise ValueError("test's index has missing customer ids (NaN); pass id_col= or clean it")
    if ids.has_duplicates:
        where = f"test[{id_col!r}]" if id_col is not None else "test's index"
        raise ValueError(f"{where} has duplicate customer ids (e.g. "
                         f"{list(ids[ids.duplicated()].unique()[:3])}): one row per customer")
    t_all = check_1d(test[treatment_col], f"test[{treatment_col!r}]", kind="binary")
    y_all = check_1d(test[outcome_col], f"test[{outcome_col!r}]")
    chosen = pd.Index(check_1d(selected, "selected", kind="any"))
    if chosen.has_duplicates:
        raise ValueError(f"selected has duplicate ids (e.g. {list(chosen[chosen.duplicated()][:3])})")
    missing = chosen.difference(ids)
    if len(missing):
        raise ValueError(f"selected has {len(missing)} customer(s) that are not in test "
                         f"(e.g. {list(missing[:3])}): the test can only value its own customers")
    cost = check_real(cost_per_contact, "cost_per_contact", low=0.0)
    alpha = check_real(alpha, "alpha", low=0, high=1, low_open=True, high_open=True)
    rows = ids.get_indexer(chosen)
    t, y = t_all[rows], y_all[rows]
    yt, yc = y[t == 1], y[t == 0]
    if min(len(yt), len(yc)) < 2:
        raise ValueError(f"selected has {len(yt)} treated and {len(yc)} control customer(s) in "
                         "test: each arm needs at least 2 to estimate a difference and its spread")
    n = len(chosen)
    vt, vc = yt.var(ddof=1) / len(yt), yc.var(ddof=1) / len(yc)
    diff = float(yt.mean() - yc.mean())
    se = float(n * np.sqrt(vt + vc))
    df = float((vt + vc) ** 2 / (vt ** 2 / (len(yt) - 1) + vc ** 2 / (len(yc) - 1))) \
        if vt + vc > 0 else float("inf")
    estimate = n * diff - n * cost
    half = float(stats.t.isf(alpha / 2, df)) * se if se > 0 else 0.0
    return PlanValue(estimate=float(estimate), ci_low=float(estimate - half),
                     ci_high=float(estimate + half), alpha=alpha, n=n, n_treated=len(yt),
                     n_control=len(yc), mean_treated=float(yt.mean()),
                     mean_control=float(yc.mean()), per_customer=diff, se=se, df=df)
