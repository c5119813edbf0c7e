"""Bad input to mkt_lessons.features (lessons 02 and 03's tables); machinery in badinput.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
from badinput import Array, Date, Real, Size, Spec, Table, make_tests, tiny_orders, tiny_products

from mkt_lessons import features

ORDERS = Table(ids=["customer_id", "order_id"], numeric=["revenue"], dates=["order_date"])
PRODUCTS = Table(ids=["product_id", "category"])


def _customers() -> pd.DataFrame:
    """The six customers of tiny_orders, signed up in January 2024."""
    return pd.DataFrame({"customer_id": [f"C{c:03d}" for c in range(6)],
                         "signup_date": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-08",
                                                        "2024-01-12", "2024-01-16", "2024-01-20"])})


def _spend() -> pd.DataFrame:
    weeks = pd.date_range("2023-12-31", periods=4, freq="7D")  # Sundays
    return pd.DataFrame({"week_start": weeks.repeat(2), "channel": ["social", "display"] * 4,
                         "spend": [100.0, 50.0, 120.0, 40.0, 90.0, 60.0, 80.0, 70.0]})


def _set(key, fn):
    return lambda kw: {**kw, key: fn(kw[key])}


def _first_to(col, value):
    def fn(df):
        df = df.copy()
        df.loc[df.index[0], col] = value
        return df
    return fn


SPECS = [
    Spec(features.rfm_table, lambda: dict(orders=tiny_orders(), snapshot_date="2024-03-01"),
         {"orders": ORDERS, "snapshot_date": Date(outside=["1999-01-01"])}),
    Spec(features.churn_labels,
         lambda: dict(orders=tiny_orders(), cutoff="2024-02-01", horizon_days=30,
                      data_end="2024-04-30"),
         {"orders": Table(ids=["customer_id"], dates=["order_date"]),
          "cutoff": Date(outside=["1999-01-01", "2024-04-15"]), "horizon_days": Size(low=1),
          "data_end": Date(outside=["2024-02-10"])},
         extra=[("past_end:horizon_days", lambda kw: {**kw, "horizon_days": 400}, ValueError),
                ("default_end:cutoff",  # no data_end: the window must end by the last order
                 lambda kw: {k: v for k, v in kw.items() if k != "data_end"} | {"cutoff": "2024-04-20"},
                 ValueError)]),
    Spec(features.customer_features,
         lambda: dict(orders=tiny_orders(), cutoff="2024-03-01", products=tiny_products(),
                      recent_days=30),
         {"orders": Table(ids=["customer_id", "order_id", "product_id"],
                          numeric=["revenue", "quantity", "discount"], dates=["order_date"]),
          "cutoff": Date(outside=["1999-01-01"]), "recent_days": Size(low=1),
          "products": PRODUCTS},
         extra=[("dup:products[product_id]",
                 _set("products", lambda p: pd.concat([p, p.iloc[:1]], ignore_index=True)), ValueError),
                ("unknown:products[product_id]", _set("products", lambda p: p.iloc[1:]), ValueError)]),
    Spec(features.category_shares,
         lambda: dict(orders=tiny_orders(), products=tiny_products()),
         {"orders": Table(ids=["customer_id", "product_id"], numeric=["revenue"]),
          "products": PRODUCTS},
         extra=[("unknown:products[product_id]", _set("products", lambda p: p.iloc[1:]), ValueError)]),
    Spec(features.feature_pipeline,
         lambda: dict(numeric=["frequency", "monetary"], categorical=["region"],
                      log_columns=["monetary"], estimator=None),
         extra=[("str:numeric", lambda kw: {**kw, "numeric": "frequency"}, TypeError),
                ("int:numeric", lambda kw: {**kw, "numeric": [1, 2]}, TypeError),
                ("dup:numeric", lambda kw: {**kw, "numeric": ["frequency", "frequency"]}, ValueError),
                ("str:categorical", lambda kw: {**kw, "categorical": "region"}, TypeError),
                ("both:categorical", lambda kw: {**kw, "categorical": ["frequency"]}, ValueError),
                ("none:numeric", lambda kw: {**kw, "numeric": [], "categorical": [],
                                             "log_columns": []}, ValueError),
                ("stray:log_columns", lambda kw: {**kw, "log_columns": ["region"]}, ValueError),
                ("str:log_columns", lambda kw: {**kw, "log_columns": "monetary"}, TypeError),
                ("nofit:estimator", lambda kw: {**kw, "estimator": 5}, TypeError)]),
    Spec(features.repurchase_table,
         lambda: dict(orders=tiny_orders(), cutoff="2024-02-01", horizon_days=30,
                      data_end="2024-04-30"),
         {"orders": ORDERS, "cutoff": Date(outside=["1999-01-01", "2024-04-15"]),
          "horizon_days": Size(low=1), "data_end": Date(outside=["2024-02-10"])},
         extra=[("default_end:cutoff",
                 lambda kw: {k: v for k, v in kw.items() if k != "data_end"} | {"cutoff": "2024-04-20"},
                 ValueError)]),
    Spec(features.weekly_acquisition,
         lambda: dict(customers=_customers(), spend=_spend(), orders=tiny_orders(), end="2024-01-20"),
         {"customers": Table(ids=["customer_id"], dates=["signup_date"]),
          "spend": Table(ids=["channel"], numeric=["spend"], dates=["week_start"]),
          "orders": ORDERS, "end": Date(outside=["2023-06-01"])},
         extra=[("dup:customers[customer_id]",
                 _set("customers", lambda c: pd.concat([c, c.iloc[:1]], ignore_index=True)), ValueError),
                ("dup:spend[week_start]",
                 _set("spend", lambda s: pd.concat([s, s.iloc[:1]], ignore_index=True)), ValueError),
                ("monday:spend[week_start]",
                 _set("spend", lambda s: s.assign(week_start=s["week_start"] + pd.Timedelta(days=1))),
                 ValueError),
                ("negative:spend[spend]", _set("spend", _first_to("spend", -10.0)), ValueError),
                ("uncovered:customers[signup_date]",
                 _set("customers", _first_to("signup_date", pd.Timestamp("2025-06-01"))), ValueError),
                ("stranger:orders[customer_id]",
                 _set("orders", _first_to("customer_id", "C999")), ValueError)]),
    Spec(features.season_features,
         lambda: dict(week_start=pd.Series(pd.date_range("2024-11-03", periods=6, freq="7D")),
                      holiday=("11-10", "12-22"), period_days=365.25),
         {"week_start": Array(numeric=False), "period_days": Real(low=0, low_open=True)},
         extra=[("textdates:week_start", lambda kw: {**kw, "week_start": ["2024-11-03"]}, TypeError),
                ("tz:week_start", _set("week_start", lambda w: w.dt.tz_localize("UTC")), ValueError),
                ("str:holiday", lambda kw: {**kw, "holiday": "11-10"}, TypeError),
                ("format:holiday", lambda kw: {**kw, "holiday": ("Nov 10", "Dec 22")}, ValueError),
                ("day:holiday", lambda kw: {**kw, "holiday": ("11-31", "12-22")}, ValueError),
                ("number:holiday", lambda kw: {**kw, "holiday": (1110, 1222)}, TypeError)]),
]
test_bad_input, test_valid_call = make_tests(SPECS)


def test_empty_week_start_is_refused_not_an_empty_table():
    """Spelled out because an empty result would look like "no season"."""
    import pytest

    with pytest.raises(ValueError, match="week_start"):
        features.season_features(np.array([], dtype="datetime64[ns]"))
