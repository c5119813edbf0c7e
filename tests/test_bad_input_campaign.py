"""Bad input to mkt_lessons.campaign; machinery in badinput.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
from badinput import Date, Flag, Real, Size, Spec, Table, make_tests, tiny_products

from mkt_lessons import campaign
from mkt_lessons.features import churn_labels


def small_orders(n_customers: int = 40, seed: int = 3) -> pd.DataFrame:
    """A year of orders: some customers buy often, some stop (both churn labels occur)."""
    rng = np.random.default_rng(seed)
    rows, oid = [], 0
    for c in range(n_customers):
        start = int(rng.integers(0, 150))
        stop = start + int(rng.integers(20, 365 - start))
        for day in sorted(set(rng.integers(start, stop + 1, 1 + c % 6).tolist())):
            oid += 1
            q, price, disc = int(rng.integers(1, 3)), float(rng.choice([12.5, 30.0])), float(rng.choice([0.0, 0.1]))
            rows.append((f"O{oid:04d}", pd.Timestamp("2024-01-01") + pd.Timedelta(days=day),
                         f"C{c:03d}", f"P{int(rng.integers(0, 5)):02d}", q, price, disc,
                         round(q * price * (1 - disc), 2)))
    return pd.DataFrame(rows, columns=["order_id", "order_date", "customer_id", "product_id",
                                       "quantity", "unit_price", "discount", "revenue"])


ORDERS = small_orders()
AS_OF = ORDERS["order_date"].max()
ORDER_TABLE = Table(ids=["customer_id", "order_id"], numeric=["revenue", "quantity", "discount"],
                    dates=["order_date"], required=["product_id"])


def _series(values, name=None):
    return pd.Series(values, index=pd.Index(["C1", "C2"], name="customer_id"), name=name)


def _profit_args():
    return dict(p_churn=_series([0.5, 0.2]), value=_series([100.0, 40.0]),
                offer_value=_series([20.0, 30.0]), recency_days=_series([10, 400]))


SPECS = [
    Spec(campaign.churn_risk,
         lambda: dict(orders=ORDERS.copy(), as_of=AS_OF, train_cutoff=AS_OF - pd.Timedelta(days=200),
                      horizon_days=60, products=tiny_products()),
         {"orders": ORDER_TABLE, "as_of": Date(outside=[AS_OF + pd.Timedelta(days=30), "2020-01-01"]),
          "train_cutoff": Date(outside=["2020-01-01"]), "horizon_days": Size(low=1),
          "products": Table(ids=["product_id", "category"]), "return_model": Flag()},
         extra=[("future:train_cutoff", lambda kw: {**kw, "train_cutoff": AS_OF - pd.Timedelta(days=10)},
                 ValueError),
                ("notstr:amount_col", lambda kw: {**kw, "amount_col": 3}, TypeError),
                ("unknown:amount_col", lambda kw: {**kw, "amount_col": "amount"}, ValueError),
                ("missing:quantity", lambda kw: {**kw, "orders": kw["orders"].drop(columns="quantity"),
                                                  "quantity_col": "quantity"}, ValueError)]),
    Spec(campaign.value_at_stake, lambda: dict(orders=ORDERS.copy(), as_of=AS_OF, margin=0.4),
         {"orders": Table(ids=["customer_id", "order_id"], numeric=["revenue"], dates=["order_date"]),
          "as_of": Date(outside=[AS_OF + pd.Timedelta(days=1), "2020-01-01"]),
          "margin": Real(low=0, high=1), "horizon_days": Size(low=1), "lookback_days": Size(low=1)},
         extra=[("unknown:product_colx", lambda kw: {**kw, "product_colx": "p"}, TypeError),
                ("early:data_end", lambda kw: {**kw, "data_end": "2024-01-01"}, ValueError)]),
    Spec(campaign.action_profits, _profit_args, {},
         extra=[("notseries:p_churn", lambda kw: {**kw, "p_churn": [0.5, 0.2]}, TypeError),
                ("above:p_churn", lambda kw: {**kw, "p_churn": _series([1.5, 0.2])}, ValueError),
                ("nan:value", lambda kw: {**kw, "value": _series([np.nan, 1.0])}, ValueError),
                ("text:value", lambda kw: {**kw, "value": _series(["1", "2"])}, TypeError),
                ("negative:offer_value", lambda kw: {**kw, "offer_value": _series([-1.0, 1.0])}, ValueError),
                ("other:recency_days", lambda kw: {**kw, "recency_days": kw["recency_days"].set_axis(["C1", "C9"])},
                 ValueError),
                ("dup:value", lambda kw: {**kw, "value": kw["value"].set_axis(["C1", "C1"])}, ValueError),
                ("empty:p_churn", lambda kw: {k: v.iloc[:0] for k, v in kw.items()}, ValueError),
                ("notassumptions:assumptions", lambda kw: {**kw, "assumptions": {"margin": 0.4}}, TypeError)]),
    Spec(campaign.Assumptions, lambda: dict(margin=0.4, retention_cost=4.0, lapsed_days=365),
         {"margin": Real(low=0, high=1), "retention_cost": Real(low=0), "lapsed_days": Size(low=1)},
         name="campaign.Assumptions"),
    Spec(campaign.columns_for, lambda: dict(func=churn_labels, columns={"customer_col": "id", "date_col": "date"}),
         {},
         extra=[("notcallable:func", lambda kw: {**kw, "func": "churn_labels"}, TypeError),
                ("notmapping:columns", lambda kw: {**kw, "columns": ["customer_col"]}, TypeError),
                ("notstr:columns", lambda kw: {**kw, "columns": {"customer_col": 3}}, TypeError),
                ("badrename:date_col", lambda kw: {**kw, "date_col": "nope"}, ValueError),
                ("nokeyword:amount_col", lambda kw: {**kw, "amount_col": "customer_col"}, ValueError)]),
]
test_bad_input, test_valid_call = make_tests(SPECS)
