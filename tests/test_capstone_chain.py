"""Version 1 of the capstone's chain (its functions stay public; lesson 14 still reproduces the
v1 plan) on someone else's data (issue 14): renamed columns, dates a year
later, a product category missing. Only the loading cell (the column mapping) changes, and
the plan is the same as on the original data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mkt_lessons import data
from mkt_lessons.campaign import (
    Assumptions,
    action_profits,
    churn_risk,
    columns_for,
    value_at_stake,
)
from mkt_lessons.constants import COLUMNS
from mkt_lessons.features import churn_labels, rfm_table
from mkt_lessons.recommend import ItemKNNRecommender, interaction_matrix
from mkt_lessons.segmentation import rfm_scores, rfm_segments
from mkt_lessons.targeting import campaign_list


def capstone_chain(orders: pd.DataFrame, products: pd.DataFrame, cols: dict, *,
                   budget: float = 1_000.0) -> dict:
    """Version 1 of notebook 14's cells, in order, with every call forwarding the column mapping.
    (The v2 chain is tested in tests/test_campaign_chain.py.)"""
    date, customer, product = cols["date_col"], cols["customer_col"], cols["product_col"]
    as_of = orders[date].max()
    a = Assumptions()
    horizon = a.horizon_days
    train_cutoff = as_of - pd.Timedelta(days=365)
    rfm = rfm_table(orders, as_of, **columns_for(rfm_table, cols))
    segment = rfm_segments(rfm_scores(rfm))
    test_cut = as_of - pd.Timedelta(days=horizon)
    y_test = churn_labels(orders, test_cut, horizon, **columns_for(churn_labels, cols))
    p_back = churn_risk(orders, test_cut, test_cut - pd.Timedelta(days=365), products=products,
                        horizon_days=horizon, **columns_for(churn_risk, cols)).loc[y_test.index]
    p_churn = churn_risk(orders, as_of, train_cutoff, products=products, horizon_days=horizon,
                         **columns_for(churn_risk, cols))
    X, users, items = interaction_matrix(orders, items=products[product],
                                         **columns_for(interaction_matrix, cols,
                                                       user_col="customer_col",
                                                       item_col="product_col"))
    recs = (ItemKNNRecommender(k_neighbors=20).fit(X, users, items)
            .recommend(rfm.index, k=3, user_col=customer, item_col=product)
            .merge(products[[product, "price"]], on=product))
    featured = recs.groupby(customer).agg(offer_value=("price", "mean"))
    value = value_at_stake(orders, as_of, margin=a.margin, horizon_days=horizon,
                           **columns_for(value_at_stake, cols))
    profits = action_profits(p_churn, value, featured["offer_value"], rfm["recency_days"], a)
    plan = campaign_list(profits, a.costs(), budget)
    return {"segment": segment, "y_test": y_test, "p_back": p_back, "p_churn": p_churn,
            "value": value, "profits": profits, "plan": plan}


@pytest.fixture(scope="module")
def tables():
    orders, products = data.load_orders(), data.load_products()
    keep = orders["customer_id"].isin(orders["customer_id"].drop_duplicates().iloc[:1500])
    dropped = products["category"].value_counts().index[-1]  # the smallest category goes
    products = products[products["category"] != dropped].reset_index(drop=True)
    orders = orders[keep & orders["product_id"].isin(products["product_id"])]
    return orders.reset_index(drop=True), products


def test_capstone_chain_on_renamed_shifted_data_gives_the_same_plan(tables):
    orders, products = tables
    base = capstone_chain(orders, products, dict(COLUMNS))
    theirs = (orders.rename(columns={"order_date": "date", "revenue": "amount"})
              .assign(date=lambda d: d["date"] + pd.Timedelta(days=365)))
    before = theirs.copy()
    cols = {**COLUMNS, "date_col": "date", "amount_col": "amount"}
    other = capstone_chain(theirs, products, cols)
    pd.testing.assert_frame_equal(theirs, before)  # nothing modified
    pd.testing.assert_series_equal(other["segment"], base["segment"])
    pd.testing.assert_series_equal(other["y_test"], base["y_test"])
    np.testing.assert_allclose(other["p_churn"].to_numpy(), base["p_churn"].to_numpy(), atol=1e-10)
    np.testing.assert_allclose(other["p_back"].to_numpy(), base["p_back"].to_numpy(), atol=1e-10)
    pd.testing.assert_frame_equal(other["profits"], base["profits"], atol=1e-8)
    pd.testing.assert_frame_equal(other["plan"], base["plan"], atol=1e-8)
    assert (other["plan"]["action"] != "no_action").sum() > 0


def test_capstone_chain_with_optional_columns_missing(tables):
    """A team without quantity/discount columns passes None; the chain still runs."""
    orders, products = tables
    slim = orders.drop(columns=["quantity", "discount", "unit_price"])
    cols = {**COLUMNS, "quantity_col": None, "discount_col": None}
    out = capstone_chain(slim, products, cols)
    assert out["p_churn"].between(0, 1).all() and len(out["plan"]) == len(out["p_churn"])


def test_churn_risk_refuses_a_date_after_the_data_and_tz_aware_dates(tables):
    orders, _ = tables
    end = orders["order_date"].max()
    with pytest.raises(ValueError, match="as_of"):  # v1 scored everyone 0.9998 here
        churn_risk(orders, end + pd.Timedelta(days=200), end - pd.Timedelta(days=200))
    tz = orders.assign(order_date=orders["order_date"].dt.tz_localize("UTC"))
    with pytest.raises(ValueError, match="time-zone"):
        churn_risk(tz, end, end - pd.Timedelta(days=200))
    with pytest.raises(ValueError, match="quantity_col=None"):
        churn_risk(orders.drop(columns="quantity"), end, end - pd.Timedelta(days=200))
