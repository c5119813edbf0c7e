"""The v2 capstone's chain (notebook 14, sections 1-5) on someone else's data: renamed
columns and dates a year later give the same plan; without a randomised test the chain still
runs on the assumed response. Only the loading cell (the column mapping) changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mkt_lessons import data
from mkt_lessons.campaign import (
    assumed_response,
    columns_for,
    customer_value,
    orders_in_window,
    uplift_scores,
    voucher_profits,
)
from mkt_lessons.constants import COLUMNS
from mkt_lessons.features import customer_features
from mkt_lessons.targeting import campaign_list

TEST_FEATURES = ["frequency_365d", "monetary_365d"]


def voucher_chain(orders: pd.DataFrame, test: pd.DataFrame | None, cols: dict,
                  send_day: pd.Timestamp, *, n_vouchers: int = 300) -> dict:
    """Notebook 14's cells of sections 1-5, in order, every call forwarding the mapping."""
    date, customer = cols["date_col"], cols["customer_col"]
    as_of, horizon = send_day - pd.Timedelta(days=1), 60
    history = orders[orders[date] <= as_of]
    if test is not None:
        eligible = test.index
    else:
        last_order = history.groupby(customer)[date].max()
        eligible = last_order.index[last_order > as_of - pd.Timedelta(days=365)]
    value = customer_value(history, as_of, margin=0.5, horizon_days=horizon,
                           **columns_for(customer_value, cols)).loc[eligible]
    if test is not None:
        feats = customer_features(history, as_of, **columns_for(customer_features, cols)).loc[eligible]
        feats = feats.fillna({"mean_interpurchase_days": feats["tenure_days"]})
        X = pd.concat([feats, value[["p_alive", "expected_orders"]], test[TEST_FEATURES]],
                      axis=1).astype(float)
        n_orders = orders_in_window(orders, eligible, send_day, horizon,
                                    **columns_for(orders_in_window, cols))
        t = test["treatment"]
        response = uplift_scores(X, t, n_orders)
        p_buy = uplift_scores(X, t, (n_orders > 0).astype(int))["treated"].clip(0, 1)
    else:
        response = assumed_response(value, 0.10)
        p_buy = response["treated"]
    profits = voucher_profits(response["uplift"], value["order_value"], p_buy, margin=0.5,
                              contact_cost=1.0, voucher_share=0.15)
    options = profits[["expected_profit"]].rename(columns={"expected_profit": "voucher"})
    plan = campaign_list(options, {"voucher": 1.0}, n_vouchers)
    return {"value": value, "response": response, "profits": profits, "plan": plan}


@pytest.fixture(scope="module")
def tables():
    orders = data.load_orders()
    test = data.load_retention_test().set_index("customer_id")
    keep = test.index[:1200]  # a smaller test: faster, still ~400 treated
    return orders[orders["customer_id"].isin(set(keep) | set(orders["customer_id"].iloc[::7]))], test.loc[keep]


def test_voucher_chain_on_renamed_shifted_data_gives_the_same_plan(tables):
    orders, test = tables
    day = pd.Timestamp("2024-04-02")
    base = voucher_chain(orders, test, dict(COLUMNS), day)
    theirs = (orders.rename(columns={"order_date": "date", "revenue": "amount", "customer_id": "client"})
              .assign(date=lambda d: d["date"] + pd.Timedelta(days=365)))
    before = theirs.copy()
    cols = {**COLUMNS, "date_col": "date", "amount_col": "amount", "customer_col": "client"}
    other = voucher_chain(theirs, test, cols, day + pd.Timedelta(days=365))
    pd.testing.assert_frame_equal(theirs, before)  # nothing modified
    np.testing.assert_allclose(other["value"].to_numpy(), base["value"].to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(other["profits"].to_numpy(), base["profits"].to_numpy(), rtol=1e-6, atol=1e-6)
    assert list(other["plan"].index) == list(base["plan"].index)
    assert (base["plan"]["action"] == "voucher").sum() == 300


def test_voucher_chain_without_a_test_runs_on_the_assumed_response(tables):
    orders, _ = tables
    out = voucher_chain(orders, None, dict(COLUMNS), pd.Timestamp("2024-04-02"))
    chosen = out["plan"].index[out["plan"]["action"] == "voucher"]
    assert 0 < len(chosen) <= 300 and (out["profits"].loc[chosen, "expected_profit"] > 0).all()
    assert (out["response"]["uplift"] <= 0.10 + 1e-12).all()
