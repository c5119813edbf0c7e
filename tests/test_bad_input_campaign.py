"""Bad input to mkt_lessons.campaign; machinery in badinput.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
from badinput import Array, Date, Flag, Real, Size, Spec, Table, make_tests, tiny_products

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

# --------------------------------------------------------------------------- version 2
def _value_orders() -> pd.DataFrame:
    """Two years of orders from 60 customers, most with repeat orders (shrinkage and BG/NBD fit)."""
    rng = np.random.default_rng(5)
    rows = []
    for c in range(60):
        days = np.sort(rng.choice(700, 1 + c % 5, replace=False))
        m = rng.normal(4, 0.7)
        rows += [(f"C{c:03d}", f"O{c:03d}-{j}", pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(d)),
                  float(np.exp(rng.normal(m, 0.5)))) for j, d in enumerate(days)]
    return pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "revenue"])


VALUE_ORDERS = _value_orders()
VALUE_END = VALUE_ORDERS["order_date"].max()


def _uplift_args():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(40, 2)), columns=["a", "b"],
                     index=pd.Index([f"C{i:02d}" for i in range(40)], name="customer_id"))
    t = np.tile([0, 1], 20)
    return dict(X=X, treatment=t, y=X["a"].to_numpy() + t * 0.5, n_folds=2,
                learner=__import__("mkt_lessons.uplift", fromlist=["TLearner"]).TLearner(
                    __import__("sklearn.linear_model", fromlist=["LinearRegression"]).LinearRegression()))


def _voucher_args():
    return dict(uplift=_series([0.3, 0.0]), order_value=_series([100.0, 50.0]),
                p_buy_treated=_series([0.5, 0.9]), margin=0.5, contact_cost=1.0, voucher_share=0.15)


def _plans_args():
    return dict(plans={"a": _series([1.0, 2.0])}, true_profit=_series([3.0, -1.0]),
                contact_cost=1.0, reference="a")


SPECS += [
    Spec(campaign.customer_value, lambda: dict(orders=VALUE_ORDERS.copy(), as_of=VALUE_END, margin=0.5),
         {"orders": Table(ids=["customer_id", "order_id"], numeric=["revenue"], dates=["order_date"]),
          "as_of": Date(outside=[VALUE_END + pd.Timedelta(days=1), "2020-01-01"]),
          "margin": Real(low=0, high=1, low_open=True), "horizon_days": Size(low=1)},
         extra=[("unknown:product_colx", lambda kw: {**kw, "product_colx": "p"}, TypeError),
                ("negative:orders[revenue]", lambda kw: {**kw, "orders": kw["orders"].assign(
                    revenue=-kw["orders"]["revenue"])}, ValueError),
                ("norepeat:orders", lambda kw: {**kw, "orders": kw["orders"].drop_duplicates(
                    "customer_id")}, ValueError)]),
    Spec(campaign.orders_in_window,
         lambda: dict(orders=ORDERS.copy(), customers=["C000", "C001"], start=AS_OF, days=30),
         {"orders": Table(ids=["customer_id", "order_id"], dates=["order_date"]),
          "customers": Array(numeric=False), "start": Date(), "days": Size(low=1)},
         extra=[("dup:customers", lambda kw: {**kw, "customers": ["C000", "C000"]}, ValueError)]),
    Spec(campaign.uplift_scores, _uplift_args,
         {"treatment": Array(), "y": Array(), "n_folds": Size(low=2, high=20), "random_state": Size(low=0)},
         extra=[("notframe:X", lambda kw: {**kw, "X": kw["X"].to_numpy()}, TypeError),
                ("nan:X", lambda kw: {**kw, "X": kw["X"].assign(a=[np.nan] + [0.0] * 39)}, ValueError),
                ("text:X", lambda kw: {**kw, "X": kw["X"].assign(a="1")}, TypeError),
                ("dupindex:X", lambda kw: {**kw, "X": kw["X"].set_axis(["C0"] * 40)}, ValueError),
                ("nonbinary:treatment", lambda kw: {**kw, "treatment": np.tile([0, 2], 20)}, ValueError),
                ("short:y", lambda kw: {**kw, "y": kw["y"][:-1]}, ValueError),
                ("misaligned:y", lambda kw: {**kw, "y": pd.Series(kw["y"], index=kw["X"].index[::-1])},
                 ValueError),
                ("notlearner:learner", lambda kw: {**kw, "learner": "xlearner"}, TypeError)]),
    Spec(campaign.assumed_response,
         lambda: dict(value=pd.DataFrame({"p_alive": [1.0, 0.2], "expected_orders": [0.5, 0.1]},
                                         index=["C1", "C2"]), uplift=0.1),
         {"value": Table(numeric=["p_alive", "expected_orders"]), "uplift": Real(low=0)},
         extra=[("negative:value[p_alive]", lambda kw: {**kw, "value": kw["value"].assign(p_alive=-1.0)},
                 ValueError)]),
    Spec(campaign.voucher_profits, _voucher_args,
         {"margin": Real(low=0, high=1), "contact_cost": Real(low=0), "voucher_share": Real(low=0, high=1)},
         extra=[("notseries:uplift", lambda kw: {**kw, "uplift": [0.3, 0.0]}, TypeError),
                ("empty:uplift", lambda kw: {**kw, "uplift": kw["uplift"].iloc[:0]}, ValueError),
                ("nan:uplift", lambda kw: {**kw, "uplift": _series([np.nan, 0.0])}, ValueError),
                ("dup:uplift", lambda kw: {**kw, "uplift": kw["uplift"].set_axis(["C1", "C1"])}, ValueError),
                ("notseries:order_value", lambda kw: {**kw, "order_value": [1.0, 2.0]}, TypeError),
                ("negative:order_value", lambda kw: {**kw, "order_value": _series([-1.0, 2.0])}, ValueError),
                ("text:order_value", lambda kw: {**kw, "order_value": _series(["1", "2"])}, TypeError),
                ("other:order_value", lambda kw: {**kw, "order_value": kw["order_value"].set_axis(["C1", "C9"])},
                 ValueError),
                ("above:p_buy_treated", lambda kw: {**kw, "p_buy_treated": _series([1.5, 0.2])}, ValueError)]),
    Spec(campaign.compare_plans, _plans_args, {"contact_cost": Real(low=0)},
         extra=[("notdict:plans", lambda kw: {**kw, "plans": [1.0, 2.0]}, TypeError),
                ("empty:plans", lambda kw: {**kw, "plans": {}}, ValueError),
                ("notseries:plans", lambda kw: {**kw, "plans": {"a": [1.0]}}, TypeError),
                ("notstr:plans", lambda kw: {**kw, "plans": {3: _series([1.0, 2.0])}}, TypeError),
                ("nan:plans", lambda kw: {**kw, "plans": {"a": _series([np.nan, 1.0])}}, ValueError),
                ("notseries:true_profit", lambda kw: {**kw, "true_profit": [3.0, -1.0]}, TypeError),
                ("nan:true_profit", lambda kw: {**kw, "true_profit": _series([np.nan, 1.0])}, ValueError),
                ("missing:true_profit", lambda kw: {**kw, "true_profit": _series([3.0, -1.0]).iloc[:1]},
                 ValueError),
                ("unknown:reference", lambda kw: {**kw, "reference": "zzz"}, ValueError),
                ("notruth:reference", lambda kw: {**kw, "true_profit": None}, ValueError)]),
]


def _plan_value_args():
    test = pd.DataFrame({"customer_id": [f"C{i}" for i in range(8)],
                         "treatment": [1, 0, 0, 1, 0, 0, 1, 0],
                         "margin": [20.0, 4.0, 0.0, 10.0, 8.0, 0.0, 0.0, 9.0]})
    return dict(selected=["C0", "C1", "C2", "C3", "C4"], test=test, outcome_col="margin",
                cost_per_contact=1.0)


SPECS += [
    Spec(campaign.plan_value_from_test, _plan_value_args,
         {"selected": Array(numeric=False),
          "test": Table(ids=["customer_id"], numeric=["margin"], required=["treatment"]),
          "cost_per_contact": Real(low=0), "alpha": Real(low=0, high=1, low_open=True, high_open=True)},
         extra=[("dup:selected", lambda kw: {**kw, "selected": ["C0", "C0", "C1", "C3"]}, ValueError),
                ("absent:selected", lambda kw: {**kw, "selected": kw["selected"] + ["C99"]}, ValueError),
                ("onearm:selected", lambda kw: {**kw, "selected": ["C0", "C3", "C6", "C1"]}, ValueError),
                ("nonbinary:test[treatment]", lambda kw: {**kw, "test": kw["test"].assign(treatment=2)},
                 ValueError),
                ("text:test[treatment]", lambda kw: {**kw, "test": kw["test"].assign(
                    treatment=kw["test"]["treatment"].astype(str))}, TypeError),
                ("dup:test[customer_id]", lambda kw: {**kw, "test": kw["test"].assign(customer_id="C0")},
                 ValueError),
                ("unknown:outcome_col", lambda kw: {**kw, "outcome_col": "revenue"}, ValueError),
                ("notstr:outcome_col", lambda kw: {**kw, "outcome_col": 3}, TypeError),
                ("notstr:id_col", lambda kw: {**kw, "id_col": 3}, TypeError)]),
]

test_bad_input, test_valid_call = make_tests(SPECS)
