"""Lesson 14's choice of learner, made on the randomised test alone (never on truth/).

Section 7 of the notebook says the capstone's plan (an X-learner of orders x shrunk order
value) was kept because two alternatives scored lower on the test: a T-learner in its place,
and an X-learner of the 60-day margin itself. This test re-runs that comparison with
:func:`mkt_lessons.campaign.plan_value_from_test`; it reads only the bundled order log and
the test table, so it cannot have been tuned to the truth."""

from __future__ import annotations

import pandas as pd
import pytest

from mkt_lessons import data
from mkt_lessons.campaign import (
    customer_value,
    orders_in_window,
    plan_value_from_test,
    uplift_scores,
    voucher_profits,
)
from mkt_lessons.features import customer_features
from mkt_lessons.targeting import campaign_list
from mkt_lessons.uplift import TLearner

MARGIN, CONTACT_COST, VOUCHER_SHARE, HORIZON, N_VOUCHERS = 0.5, 1.0, 0.15, 60, 500


@pytest.fixture(scope="module")
def inputs():
    orders = data.load_orders()
    test = data.load_retention_test().set_index("customer_id")
    send_day = pd.Timestamp("2024-04-02")
    as_of = send_day - pd.Timedelta(days=1)
    history = orders[orders["order_date"] <= as_of]
    value = customer_value(history, as_of, margin=MARGIN, horizon_days=HORIZON).loc[test.index]
    feats = customer_features(history, as_of).loc[test.index]
    feats = feats.fillna({"mean_interpurchase_days": feats["tenure_days"]})
    X = pd.concat([feats, value[["p_alive", "expected_orders"]],
                   test[["frequency_365d", "monetary_365d"]]], axis=1).astype(float)
    n_orders = orders_in_window(orders, test.index, send_day, HORIZON)
    window = orders[(orders["order_date"] >= send_day)
                    & (orders["order_date"] < send_day + pd.Timedelta(days=HORIZON))]
    line = window["revenue"] - (1 - MARGIN) * window["quantity"] * window["unit_price"]
    margin = line.groupby(window["customer_id"]).sum().reindex(test.index, fill_value=0.0)
    # the test's own revenue column agrees with the order log: the outcome is the test's
    rev = window.groupby("customer_id")["revenue"].sum().reindex(test.index, fill_value=0.0)
    pd.testing.assert_series_equal(rev, test["revenue_60d"].astype(float), check_names=False,
                                   atol=0.01)
    outcomes = pd.DataFrame({"treatment": test["treatment"], "margin_60d": margin})
    return dict(X=X, t=test["treatment"], n_orders=n_orders, value=value, margin=margin,
                outcomes=outcomes)


def _plan(expected: pd.Series) -> pd.Index:
    plan = campaign_list(expected.to_frame("voucher"), {"voucher": 1.0}, N_VOUCHERS)
    return plan.index[plan["action"] == "voucher"]


def _orders_times_value(inputs, learner):
    X, t, n = inputs["X"], inputs["t"], inputs["n_orders"]
    response = uplift_scores(X, t, n, learner=learner)
    p_buy = uplift_scores(X, t, (n > 0).astype(int), learner=learner)["treated"].clip(0, 1)
    return voucher_profits(response["uplift"], inputs["value"]["order_value"], p_buy, margin=MARGIN,
                           contact_cost=CONTACT_COST, voucher_share=VOUCHER_SHARE)["expected_profit"]


def test_the_capstone_learner_scores_highest_on_the_test(inputs):
    plans = {"capstone": _plan(_orders_times_value(inputs, None)),
             "t-learner": _plan(_orders_times_value(inputs, TLearner())),
             "margin x-learner": _plan(uplift_scores(inputs["X"], inputs["t"], inputs["margin"])
                                       ["uplift"] - CONTACT_COST)}

    def value(ids):
        return plan_value_from_test(ids, inputs["outcomes"], outcome_col="margin_60d", id_col=None,
                                    cost_per_contact=CONTACT_COST)

    est = {name: value(ids) for name, ids in plans.items()}
    assert max(est, key=lambda k: est[k].estimate) == "capstone"
    cap = plans["capstone"]
    for name in ("t-learner", "margin x-learner"):
        other = plans[name]
        # where the plans differ (shared customers cancel): the alternative is not better
        gain = value(other.difference(cap)).estimate - value(cap.difference(other)).estimate
        assert gain < 0, name
