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
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mkt_lessons import features as F

ACTIONS = ("retention_offer", "cross_sell_email")


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
        The window the plan looks ahead (and the churn labels' window), in days.
    """

    margin: float = 0.40
    retention_cost: float = 4.00
    retention_uplift: float = 0.10
    winback_uplift: float = 0.02
    lapsed_days: int = 365
    email_cost: float = 0.05
    email_uplift: float = 0.02
    horizon_days: int = 90

    def __post_init__(self) -> None:
        for name in ("margin", "retention_uplift", "winback_uplift", "email_uplift"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
                raise ValueError(f"Assumptions.{name} must be a share between 0 and 1, got {v!r}")
        for name in ("retention_cost", "email_cost"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v) or v < 0:
                raise ValueError(f"Assumptions.{name} must be a cost in dollars >= 0, got {v!r}")
        for name in ("lapsed_days", "horizon_days"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v <= 0:
                raise ValueError(f"Assumptions.{name} must be a positive whole number of days, got {v!r}")

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


# --------------------------------------------------------------------------- churn risk
def churn_risk(orders: pd.DataFrame, as_of: Any, train_cutoff: Any, *,
               products: pd.DataFrame | None = None, estimator: Any = None,
               horizon_days: int = 90, customer_col: str = "customer_id",
               date_col: str = "order_date", return_model: bool = False):
    """Probability of churning in the next ``horizon_days`` for every customer as of ``as_of``.

    A model is fitted on the features at ``train_cutoff`` and the churn labels of the
    window (train_cutoff, train_cutoff + horizon_days] — which must be over by ``as_of``, or
    the labels would be the future — then applied to the features at ``as_of``.

    Parameters
    ----------
    orders : DataFrame
        Clean order lines (see :func:`mkt_lessons.features.customer_features` for columns).
    as_of : date-like
        Today: the last day of history used for scoring.
    train_cutoff : date-like
        The cut-off of the training labels; pick one whose window has the same season as
        the window you predict (see the module docstring).
    products : DataFrame, optional
        Adds category shares to the features.
    estimator : scikit-learn classifier, optional
        Default: ``LogisticRegression(max_iter=2000)`` (its probabilities are close to
        calibrated, which expected profit needs). Wrapped in
        :func:`mkt_lessons.features.feature_pipeline`.
    horizon_days : int
    customer_col, date_col : str
    return_model : bool
        Also return the fitted pipeline.

    Returns
    -------
    Series (or (Series, Pipeline))
        ``p_churn`` indexed by customer id: every customer with an order up to ``as_of``.
    """
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression

    now = F._timestamp(as_of, "as_of")
    cut = F._timestamp(train_cutoff, "train_cutoff")
    if isinstance(horizon_days, bool) or not isinstance(horizon_days, (int, np.integer)) or horizon_days <= 0:
        raise ValueError(f"horizon_days must be a positive integer, got {horizon_days!r}")
    if cut + pd.Timedelta(days=int(horizon_days)) > now:
        raise ValueError(f"train_cutoff {cut.date()} + {horizon_days} days ends after as_of "
                         f"{now.date()}: those labels are not known yet; pick an earlier train_cutoff")
    kw = {"customer_col": customer_col, "date_col": date_col}
    X_train = F.customer_features(orders, cut, products=products, **kw)
    y_train = F.churn_labels(orders, cut, int(horizon_days), data_end=now, **kw).loc[X_train.index]
    if y_train.nunique() < 2:
        raise ValueError(f"every customer at train_cutoff {cut.date()} has the same churn label: "
                         "there is nothing to learn; pick another cut-off")
    est = LogisticRegression(max_iter=2000) if estimator is None else clone(estimator)
    model = F.feature_pipeline(list(X_train.columns), estimator=est).fit(X_train, y_train)
    X_now = F.customer_features(orders, now, products=products, **kw)
    risk = pd.Series(model.predict_proba(X_now)[:, 1], index=X_now.index, name="p_churn")
    return (risk, model) if return_model else risk


# --------------------------------------------------------------------------- value
def value_at_stake(orders: pd.DataFrame, as_of: Any, *, margin: float, horizon_days: int = 90,
                   lookback_days: int = 365, customer_col: str = "customer_id",
                   date_col: str = "order_date", amount_col: str = "revenue",
                   order_col: str = "order_id") -> pd.Series:
    """Gross margin a customer is expected to bring in the next window if they stay active.

    ``margin x average order value x expected orders in the window``, where the expected
    orders are the customer's order rate over the last ``lookback_days`` scaled to
    ``horizon_days``, and at least 1 — an active customer buys at least once in the window
    by definition (that is what "not churned" means).

    Parameters
    ----------
    orders : DataFrame
    as_of : date-like
    margin : float
        Gross margin share in [0, 1].
    horizon_days, lookback_days : int
    customer_col, date_col, amount_col, order_col : str

    Returns
    -------
    Series
        ``value_at_stake`` in dollars, indexed by customer id (every customer with an order
        up to ``as_of``).
    """
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not 0 <= margin <= 1:
        raise ValueError(f"margin must be a share between 0 and 1, got {margin!r}")
    for name, v in (("horizon_days", horizon_days), ("lookback_days", lookback_days)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v <= 0:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    now = F._timestamp(as_of, "as_of")
    rfm = F.rfm_table(orders, now, customer_col=customer_col, date_col=date_col,
                      amount_col=amount_col, order_col=order_col)
    recent = orders.loc[(orders[date_col] <= now)
                        & (orders[date_col] > now - pd.Timedelta(days=int(lookback_days)))]
    n_recent = (recent.groupby(customer_col, observed=True)[order_col].nunique()
                .reindex(rfm.index, fill_value=0).to_numpy())
    expected_orders = np.maximum(1.0, n_recent * horizon_days / lookback_days)
    aov = rfm["monetary"].to_numpy() / rfm["frequency"].to_numpy()
    return pd.Series(margin * aov * expected_orders, index=rfm.index, name="value_at_stake")


# --------------------------------------------------------------------------- profits
def _aligned(name: str, s: Any, index: pd.Index, *, share: bool = False) -> np.ndarray:
    if not isinstance(s, pd.Series):
        raise TypeError(f"{name} must be a pandas Series indexed by customer id, got {type(s).__name__}")
    if s.index.has_duplicates:
        raise ValueError(f"{name} has duplicate customer ids")
    if not s.index.sort_values().equals(index.sort_values()):
        missing = index.difference(s.index)
        extra = s.index.difference(index)
        raise ValueError(f"{name} must cover the same customers as p_churn: "
                         f"{len(missing)} missing (e.g. {list(missing[:3])}), "
                         f"{len(extra)} extra (e.g. {list(extra[:3])})")
    v = pd.to_numeric(s.reindex(index), errors="coerce").to_numpy(dtype="float64")
    if np.isnan(v).any():
        raise ValueError(f"{name} has {int(np.isnan(v).sum())} missing or non-numeric value(s)")
    if share and ((v < 0) | (v > 1)).any():
        raise ValueError(f"{name} must hold probabilities in [0, 1]")
    if not share and (v < 0).any():
        raise ValueError(f"{name} must be >= 0 (dollars or days)")
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
    """
    a = Assumptions() if assumptions is None else assumptions
    if not isinstance(a, Assumptions):
        raise TypeError(f"assumptions must be an Assumptions, got {type(a).__name__}")
    if not isinstance(p_churn, pd.Series):
        raise TypeError(f"p_churn must be a pandas Series indexed by customer id, got {type(p_churn).__name__}")
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
