"""Unit tests for mkt_lessons.features: plain-groupby oracles, hand cases, no leakage, labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mkt_lessons import data, features

CUT = pd.Timestamp("2024-07-04")


@pytest.fixture(scope="module")
def orders():
    return data.load_orders()


@pytest.fixture(scope="module")
def products():
    return data.load_products()


@pytest.fixture(scope="module")
def lesson_weekly():
    return features.weekly_acquisition(data.load_customers(), data.load_marketing_spend(),
                                       data.load_orders())


def _lines(rows):
    df = pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "product_id",
                                     "quantity", "discount", "revenue"])
    df["order_date"] = pd.to_datetime(df["order_date"])
    return df


HAND = _lines([
    # A: one order of two lines on 2024-01-01
    ("A", "o1", "2024-01-01", "P1", 1, 0.0, 10.0),
    ("A", "o1", "2024-01-01", "P2", 2, 0.0, 5.0),
    # B: two orders on the same day, one more later, one after the snapshot (ignored)
    ("B", "o2", "2024-01-05", "P1", 1, 0.2, 8.0),
    ("B", "o3", "2024-01-05", "P3", 1, 0.0, 20.0),
    ("B", "o4", "2024-01-10", "P1", 3, 0.0, 30.0),
    ("B", "o5", "2024-01-20", "P1", 1, 0.0, 1000.0),
    # C: only after the snapshot -> absent
    ("C", "o6", "2024-01-15", "P2", 1, 0.0, 7.0),
    # D: an order on the snapshot day itself -> included, recency 0
    ("D", "o7", "2024-01-10", "P3", 1, 0.5, 4.0),
])


# --------------------------------------------------------------------------- rfm_table
def test_rfm_hand_cases():
    rfm = features.rfm_table(HAND, "2024-01-10")
    assert rfm.index.tolist() == ["A", "B", "D"] and rfm.index.name == "customer_id"
    assert rfm.loc["A"].tolist() == [9, 1, 15.0]      # one order of two lines
    assert rfm.loc["B"].tolist() == [0, 3, 58.0]      # two orders on one day count twice
    assert rfm.loc["D"].tolist() == [0, 1, 4.0]       # the snapshot day is included
    assert rfm.dtypes.tolist() == ["int64", "int64", "float64"]


def test_rfm_matches_a_plain_groupby_oracle(orders):
    rfm = features.rfm_table(orders, CUT)
    hist = orders[orders["order_date"] <= CUT]
    g = hist.groupby("customer_id").agg(last=("order_date", "max"),
                                        frequency=("order_id", "nunique"),
                                        monetary=("revenue", "sum"))
    assert rfm.index.equals(g.index)
    assert (rfm["recency_days"] == (CUT - g["last"]).dt.days).all()
    assert (rfm["frequency"] == g["frequency"]).all()
    np.testing.assert_allclose(rfm["monetary"], g["monetary"], rtol=1e-12)


def test_rfm_ignores_orders_after_the_snapshot(orders):
    later = orders["order_date"] > CUT
    changed = orders.assign(revenue=orders["revenue"].where(~later, 1e6))
    pd.testing.assert_frame_equal(features.rfm_table(orders, CUT), features.rfm_table(changed, CUT))


def test_rfm_custom_column_names_and_input_untouched():
    renamed = HAND.rename(columns={"customer_id": "cust", "order_date": "day",
                                   "revenue": "amount", "order_id": "basket"})
    before = renamed.copy()
    rfm = features.rfm_table(renamed, "2024-01-10", customer_col="cust", date_col="day",
                             amount_col="amount", order_col="basket")
    pd.testing.assert_frame_equal(renamed, before)
    assert rfm.index.name == "cust" and rfm.loc["B", "frequency"] == 3


@pytest.mark.parametrize("mutate, err, match", [
    (lambda d: d.drop(columns="revenue"), ValueError, "revenue"),
    (lambda d: d.iloc[:0], ValueError, "empty"),
    (lambda d: d.astype({"order_date": "str"}), TypeError, "order_date"),
    (lambda d: d.astype({"revenue": "str"}), TypeError, "revenue"),
    (lambda d: d.assign(customer_id=d["customer_id"].where(d.index != 1)), ValueError, "customer_id"),
    (lambda d: d.assign(order_id=d["order_id"].where(d.index != 1)), ValueError, "order_id"),
])
def test_rfm_bad_input(mutate, err, match):
    with pytest.raises(err, match=match):
        features.rfm_table(mutate(HAND), "2024-01-10")


def test_rfm_bad_snapshot():
    with pytest.raises(TypeError, match="snapshot_date"):
        features.rfm_table(HAND, object())
    with pytest.raises(ValueError, match="no orders"):
        features.rfm_table(HAND, "2020-01-01")


# --------------------------------------------------------------------------- churn labels
def test_churn_labels_hand_cases():
    y = features.churn_labels(HAND, "2024-01-05", horizon_days=5)
    # history <= Jan 5: A, B. Window (Jan 5, Jan 10]: B buys (o4), A does not.
    assert y.to_dict() == {"A": 1, "B": 0} and y.name == "churned" and y.dtype == "int64"
    y = features.churn_labels(HAND, "2024-01-05", horizon_days=4)  # window ends Jan 9: B churns
    assert y.to_dict() == {"A": 1, "B": 1}
    y = features.churn_labels(HAND, "2024-01-10", horizon_days=10)  # Jan 20 is the last window day
    assert y.to_dict() == {"A": 1, "B": 0, "D": 1}


def test_churn_labels_agree_with_the_oracle_window(orders, truth):
    y = features.churn_labels(orders, CUT, 90)
    t = truth.customers.set_index("customer_id")
    p = t.loc[y.index, "p_buy_90d_train"]
    assert p.notna().all()  # everyone labelled had joined by the cut-off
    assert (y[p == 0] == 1).all()  # the oracle says "cannot buy" -> churned
    assert abs(y.mean() - (1 - p.mean())) < 0.03  # realised churn rate ~ the true expected rate


def test_churn_labels_bad_input():
    with pytest.raises(ValueError, match="horizon_days"):
        features.churn_labels(HAND, "2024-01-05", horizon_days=0)
    with pytest.raises(ValueError, match="data_end"):
        features.churn_labels(HAND, "2024-01-05", 90, data_end="2024-01-20")
    with pytest.raises(ValueError, match="customer_id"):
        features.churn_labels(HAND.drop(columns="customer_id"), "2024-01-05")


# --------------------------------------------------------------------------- customer_features
def test_customer_features_hand_case():
    products = pd.DataFrame({"product_id": ["P1", "P2", "P3"], "category": ["x", "y", "x"]})
    f = features.customer_features(HAND, "2024-01-10", products=products)
    b = f.loc["B"]
    assert b["tenure_days"] == 5 and b["frequency"] == 3
    assert b["avg_basket"] == pytest.approx(58 / 3)
    assert b["avg_lines_per_order"] == 1 and b["avg_items_per_order"] == pytest.approx(5 / 3)
    assert b["n_products"] == 2
    assert b["mean_interpurchase_days"] == pytest.approx(5 / 2)  # gaps 0 and 5 days
    assert b["discount_share"] == pytest.approx(8 / 58)
    assert b["share_x"] == 1.0 and b["share_y"] == 0.0
    a = f.loc["A"]
    assert np.isnan(a["mean_interpurchase_days"]) and a["n_products"] == 2
    assert a["share_x"] == pytest.approx(10 / 15) and a["avg_items_per_order"] == 3
    assert f.loc["D", "orders_last_90d"] == 1 and f.loc["D", "discount_share"] == 1.0


def test_customer_features_match_a_groupby_oracle(orders, products):
    f = features.customer_features(orders, CUT, products=products)
    h = orders[orders["order_date"] <= CUT].merge(products[["product_id", "category"]])
    g = h.groupby("customer_id")
    first, last = g["order_date"].min(), g["order_date"].max()
    n = g["order_id"].nunique()
    assert ((CUT - first).dt.days == f["tenure_days"]).all()
    np.testing.assert_allclose(f["avg_basket"], g["revenue"].sum() / n)
    np.testing.assert_allclose(f["avg_items_per_order"], g["quantity"].sum() / n)
    assert (g["product_id"].nunique() == f["n_products"]).all()
    gap = ((last - first).dt.days / (n - 1)).where(n > 1)
    np.testing.assert_allclose(f["mean_interpurchase_days"], gap)
    disc = h[h["discount"] > 0].groupby("customer_id")["revenue"].sum().reindex(n.index, fill_value=0)
    np.testing.assert_allclose(f["discount_share"], disc / g["revenue"].sum())
    recent = h[h["order_date"] > CUT - pd.Timedelta(days=90)].groupby("customer_id")["order_id"].nunique()
    assert (recent.reindex(n.index, fill_value=0) == f["orders_last_90d"]).all()
    shares = f.filter(regex="^share_")
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    furn = h[h["category"] == "furniture"].groupby("customer_id")["revenue"].sum()
    np.testing.assert_allclose(f["share_furniture"], furn.reindex(n.index, fill_value=0) / g["revenue"].sum())


def test_no_leakage_changing_the_future_changes_no_feature(orders, products):
    before = features.customer_features(orders, CUT, products=products)
    later = orders["order_date"] > CUT
    future = orders.copy()
    future.loc[later, "revenue"] *= 10
    future.loc[later, "discount"] = 0.5
    future.loc[later, "product_id"] = "P0001"
    extra = orders[~later].head(5).assign(order_date=CUT + pd.Timedelta(days=1), order_id="O999999")
    future = pd.concat([future[~later.to_numpy() | (future.index % 2 == 0)], extra])
    after = features.customer_features(future, CUT, products=products)
    pd.testing.assert_frame_equal(before, after)


def test_customer_features_bad_input(products):
    with pytest.raises(ValueError, match="quantity"):
        features.customer_features(HAND.drop(columns="quantity"), "2024-01-10")
    with pytest.raises(ValueError, match="product_id"):
        features.customer_features(HAND.assign(product_id=HAND["product_id"].where(HAND.index != 0)),
                                   "2024-01-10")
    with pytest.raises(ValueError, match="products"):
        features.customer_features(HAND, "2024-01-10", products=products)  # P1 is unknown
    with pytest.raises(ValueError, match="recent_days"):
        features.customer_features(HAND, "2024-01-10", recent_days=0)


# --------------------------------------------------------------------------- pipeline
def test_feature_pipeline_matches_a_hand_built_transform(orders):
    from sklearn.preprocessing import StandardScaler

    f = features.customer_features(orders, CUT)
    X = f.join(data.load_customers().set_index("customer_id")[["region"]])
    pipe = features.feature_pipeline(["frequency", "recency_days", "mean_interpurchase_days"],
                                     ["region"])
    Z = pipe.fit_transform(X)
    names = list(pipe.get_feature_names_out())
    assert names[:3] == ["frequency", "recency_days", "mean_interpurchase_days"]
    np.testing.assert_allclose(Z[:, 0], StandardScaler().fit_transform(np.log1p(X[["frequency"]]))[:, 0])
    gap = X["mean_interpurchase_days"].fillna(X["mean_interpurchase_days"].median())
    np.testing.assert_allclose(Z[:, 2], (gap - gap.mean()) / gap.std(ddof=0))
    onehot = Z[:, 3:]
    assert onehot.shape[1] == X["region"].nunique() and (onehot.sum(axis=1) == 1).all()
    assert not np.isnan(Z).any()


def test_feature_pipeline_with_estimator_and_bad_input():
    from sklearn.linear_model import LogisticRegression

    pipe = features.feature_pipeline(estimator=LogisticRegression())
    assert list(pipe.named_steps) == ["prep", "model"]
    with pytest.raises(ValueError, match="both"):
        features.feature_pipeline(["a"], ["a"])
    with pytest.raises(ValueError, match="log_columns"):
        features.feature_pipeline(["a"], log_columns=["b"])
    with pytest.raises(TypeError, match="numeric"):
        features.feature_pipeline("frequency")


# --------------------------------------------------------------------------- lesson 03 tables
def test_weekly_acquisition_hand_computed():
    customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
                              "signup_date": pd.to_datetime(["2024-01-07", "2024-01-13",
                                                             "2024-01-14", "2024-01-16"])})
    spend = pd.DataFrame({"week_start": pd.to_datetime(["2024-01-07"] * 2 + ["2024-01-14"] * 2),
                          "channel": ["search", "social"] * 2, "spend": [10.0, 20, 30, 40]})
    orders = pd.DataFrame({"order_id": ["o1", "o1", "o2", "o3", "o4", "o5"],
                           "customer_id": ["a", "a", "b", "a", "c", "d"],
                           "order_date": pd.to_datetime(["2024-01-07", "2024-01-07", "2024-01-13",
                                                         "2024-01-15", "2024-01-14", "2024-01-16"]),
                           "revenue": [5.0, 6.0, 7.0, 100.0, 8.0, 9.0]})
    w = features.weekly_acquisition(customers, spend, orders)
    assert list(w.columns) == ["week_start", "search", "social", "new_customers",
                               "first_order_revenue", "days_in_window"]
    assert w["new_customers"].tolist() == [2, 2]  # Sun 7th + Sat 13th; Sun 14th + Tue 16th
    assert w["first_order_revenue"].tolist() == [18.0, 17.0]  # a's repeat order not counted
    assert w["days_in_window"].tolist() == [7, 3]  # last signup Tue 16th: Sun-Tue
    assert w["search"].tolist() == [10.0, 30.0]
    with pytest.raises(ValueError, match="do not cover|does not cover"):
        features.weekly_acquisition(customers.assign(signup_date=pd.Timestamp("2025-01-01")), spend)
    with pytest.raises(ValueError, match="lacks the column"):
        features.weekly_acquisition(customers.drop(columns="signup_date"), spend)


def test_weekly_acquisition_on_bundled_data(lesson_weekly):
    w = lesson_weekly
    customers = data.load_customers()
    assert w["new_customers"].sum() == len(customers)
    assert w["week_start"].dt.day_of_week.eq(6).all()  # Sundays
    assert w["days_in_window"].iloc[-1] == 3 and (w["days_in_window"].iloc[:-1] == 7).all()
    # truth's weekly counts (summed over channels) are the same numbers
    truth = (data.load_truth().weekly_acquisition.groupby("week_start")["new_customers"].sum())
    np.testing.assert_array_equal(w.set_index("week_start")["new_customers"], truth)


def test_season_features():
    weeks = pd.to_datetime(["2023-11-05", "2023-11-12", "2023-12-17", "2023-12-24", "2024-06-30"])
    s = features.season_features(weeks)
    # midpoints Nov 8, Nov 15, Dec 20, Dec 27, Jul 3
    assert s["holiday"].tolist() == [0.0, 1.0, 1.0, 0.0, 0.0]
    np.testing.assert_allclose(s["yearly_cos"] ** 2 + s["yearly_sin"] ** 2, 1.0)
    wrap = features.season_features(weeks, holiday=("12-15", "01-10"))
    assert wrap["holiday"].tolist() == [0.0, 0.0, 1.0, 1.0, 0.0]
    with pytest.raises(ValueError, match="MM-DD"):
        features.season_features(weeks, holiday=("Nov 10", "Dec 22"))


def test_repurchase_table_hand_computed():
    orders = pd.DataFrame({
        "order_id": ["1", "1", "2", "3", "4", "5"],
        "customer_id": ["a", "a", "a", "b", "b", "c"],
        "order_date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-21", "2024-01-11",
                                      "2024-03-30", "2024-02-01"]),
        "revenue": [10.0, 5.0, 20.0, 7.0, 99.0, 3.0]})
    t = features.repurchase_table(orders, "2024-01-31", horizon_days=30)
    assert t["customer_id"].tolist() == ["a", "b"]  # c has no order by the cut-off
    assert t["recency_days"].tolist() == [10, 20]
    assert t["frequency"].tolist() == [2, 1]
    assert t["monetary"].tolist() == [35.0, 7.0]
    assert t["tenure_days"].tolist() == [30, 20]
    assert t["repurchased"].tolist() == [0, 0]  # b's next order is 59 days later
    t59 = features.repurchase_table(orders, "2024-01-31", horizon_days=59)  # window ends Mar 30
    assert t59["repurchased"].tolist() == [0, 1]
    # A window past the last order would count "no data" as "no order": refused ...
    with pytest.raises(ValueError, match="data_end 2024-03-30"):
        features.repurchase_table(orders, "2024-01-31", horizon_days=60)
    # ... unless the caller says the table covers that day.
    t60 = features.repurchase_table(orders, "2024-01-31", horizon_days=60, data_end="2024-03-31")
    assert t60["repurchased"].tolist() == [0, 1]


def test_repurchase_table_agrees_with_rfm_and_churn_labels(orders):
    t = features.repurchase_table(orders, CUT).set_index("customer_id")
    rfm = features.rfm_table(orders, CUT)
    pd.testing.assert_frame_equal(t[rfm.columns], rfm)
    y = features.churn_labels(orders, CUT, 90)
    assert (t["repurchased"] == 1 - y).all()


def test_repurchase_table_refuses_revenue_stored_as_text():
    orders = pd.DataFrame({"order_id": ["1", "2"], "customer_id": ["a", "a"],
                           "order_date": pd.to_datetime(["2024-01-01", "2024-01-20"]),
                           "revenue": ["10.0", "5.0"]})
    with pytest.raises(TypeError, match="revenue"):  # v1 returned '10.0' + ... as monetary
        features.repurchase_table(orders, "2024-01-05", horizon_days=10)


# --------------------------------------------------------------------------- conventions
@pytest.mark.parametrize("call", [
    lambda o: features.rfm_table(o, "2024-01-10"),
    lambda o: features.churn_labels(o, "2024-01-05", 5),
    lambda o: features.customer_features(o, "2024-01-10"),
    lambda o: features.repurchase_table(o, "2024-01-05", horizon_days=5),
])
def test_time_zone_aware_dates_are_refused_with_the_fix(call):
    aware = HAND.assign(order_date=HAND["order_date"].dt.tz_localize("UTC"))
    with pytest.raises(ValueError, match="tz_localize\\(None\\)"):
        call(aware)


def test_label_window_must_end_by_the_last_order_unless_told(orders):
    last = orders["order_date"].max()
    late = last - pd.Timedelta(days=30)
    with pytest.raises(ValueError, match="cutoff"):
        features.churn_labels(orders, late, 90)  # "no order" would mean "no data"
    y = features.churn_labels(orders, last - pd.Timedelta(days=90), 90)
    assert set(y.unique()) == {0, 1}
    told = features.churn_labels(orders, late, 90, data_end=last + pd.Timedelta(days=60))
    assert len(told) > 0  # the caller vouches for the quiet days


def test_constants_are_the_defaults():
    from mkt_lessons import constants

    assert features.season_features.__kwdefaults__["holiday"] == constants.HOLIDAY_SEASON
    assert features.churn_labels.__defaults__[0] == constants.CHURN_HORIZON_DAYS


def test_the_cut_off_day_is_history_whatever_the_time_of_day():
    timed = HAND.assign(order_date=HAND["order_date"] + pd.Timedelta(hours=15))
    rfm = features.rfm_table(timed, "2024-01-10")
    pd.testing.assert_frame_equal(rfm, features.rfm_table(HAND, "2024-01-10"))  # D's 15:00 order counts
    y_timed = features.churn_labels(timed, "2024-01-05", 5)
    pd.testing.assert_series_equal(y_timed, features.churn_labels(HAND, "2024-01-05", 5))
