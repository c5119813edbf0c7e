"""mkt_lessons.campaign: assumptions, churn risk, value at stake, expected profit per action."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from mkt_lessons import campaign as C
from mkt_lessons import data
from mkt_lessons import features as F


@pytest.fixture(scope="module")
def orders():
    return data.load_orders()


def _lines(rows):
    df = pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "revenue"])
    df["order_date"] = pd.to_datetime(df["order_date"])
    return df


# --------------------------------------------------------------------------- assumptions
def test_assumptions_validate_and_replace():
    a = C.Assumptions()
    assert a.replace(retention_uplift=0.05).retention_uplift == 0.05
    assert a.retention_uplift == 0.10  # frozen: the original is unchanged
    assert a.costs() == {"retention_offer": a.retention_cost, "cross_sell_email": a.email_cost}
    with pytest.raises(ValueError, match="margin"):
        C.Assumptions(margin=1.5)
    with pytest.raises(ValueError, match="email_cost"):
        C.Assumptions(email_cost=-0.01)
    with pytest.raises(ValueError, match="horizon_days"):
        C.Assumptions(horizon_days=0)
    with pytest.raises(TypeError, match="unknown assumption"):
        a.replace(uplift=0.2)


# --------------------------------------------------------------------------- value at stake
def test_value_at_stake_hand_case():
    orders = _lines([
        ("A", "o1", "2024-01-10", 100.0),   # older than the 365-day lookback
        ("A", "o2", "2024-06-01", 50.0),
        ("A", "o3", "2024-09-01", 30.0),
        ("B", "o4", "2023-03-01", 80.0),    # lapsed: no recent order -> at least 1 order
        ("C", "o5", "2025-02-01", 999.0),   # after as_of: ignored, C does not appear
    ])
    v = C.value_at_stake(orders, "2024-12-31", margin=0.5, horizon_days=90, lookback_days=365)
    assert list(v.index) == ["A", "B"]
    # A: AOV (180 / 3) = 60; 2 orders in the last 365 days -> 2 * 90 / 365 < 1 -> 1 order
    assert v["A"] == pytest.approx(0.5 * 60 * 1)
    assert v["B"] == pytest.approx(0.5 * 80 * 1)
    busy = _lines([("D", f"o{i}", f"2024-{m:02d}-15", 20.0) for i, m in enumerate(range(1, 13))])
    v = C.value_at_stake(busy, "2024-12-31", margin=0.4, data_end="2024-12-31")
    assert v["D"] == pytest.approx(0.4 * 20 * 12 * 90 / 365)


def test_value_at_stake_does_not_modify_input_and_checks_margin(orders):
    before = orders.copy()
    C.value_at_stake(orders, "2024-12-31", margin=0.4)
    pd.testing.assert_frame_equal(orders, before)
    with pytest.raises(ValueError, match="margin"):
        C.value_at_stake(orders, "2024-12-31", margin=40)
    with pytest.raises(ValueError, match="lookback_days"):
        C.value_at_stake(orders, "2024-12-31", margin=0.4, lookback_days=0)


# --------------------------------------------------------------------------- profits
def _inputs():
    idx = pd.Index(["A", "B", "C"], name="customer_id")
    return (pd.Series([0.8, 0.2, 0.99], index=idx), pd.Series([100.0, 50.0, 40.0], index=idx),
            pd.Series([30.0, 60.0, 20.0], index=idx), pd.Series([30, 5, 500], index=idx))


def test_action_profits_hand_case():
    p, value, price, rec = _inputs()
    a = C.Assumptions(margin=0.5, retention_cost=2.0, retention_uplift=0.1, winback_uplift=0.01,
                      lapsed_days=365, email_cost=0.1, email_uplift=0.05)
    got = C.action_profits(p, value, price, rec, a)
    assert list(got.columns) == list(C.ACTIONS)
    assert got.loc["A", "retention_offer"] == pytest.approx(0.8 * 0.1 * 100 - 2)        # 6.0
    assert got.loc["B", "retention_offer"] == pytest.approx(0.2 * 0.1 * 50 - 2)         # -1.0
    assert got.loc["C", "retention_offer"] == pytest.approx(0.99 * 0.01 * 40 - 2)       # lapsed
    assert got.loc["B", "cross_sell_email"] == pytest.approx(0.8 * 0.05 * 0.5 * 60 - 0.1)
    # alignment is by customer id, not position
    shuffled = C.action_profits(p, value.iloc[::-1], price.sample(frac=1, random_state=1), rec, a)
    pd.testing.assert_frame_equal(shuffled, got)


def test_action_profits_errors_name_the_argument():
    p, value, price, rec = _inputs()
    with pytest.raises(ValueError, match="value must cover the same customers"):
        C.action_profits(p, value.iloc[:2], price, rec)
    with pytest.raises(ValueError, match=r"p_churn must hold values in \[0, 1\]"):
        C.action_profits(p * 2, value, price, rec)
    with pytest.raises(ValueError, match="offer_value has 1 missing"):
        C.action_profits(p, value, price.where(price > 25), rec)
    with pytest.raises(TypeError, match="recency_days must be a pandas Series"):
        C.action_profits(p, value, price, rec.to_numpy())
    with pytest.raises(TypeError, match="assumptions"):
        C.action_profits(p, value, price, rec, {"margin": 0.4})


# --------------------------------------------------------------------------- churn risk
def test_churn_risk_refuses_labels_from_the_future(orders):
    with pytest.raises(ValueError, match="not known yet"):
        C.churn_risk(orders, "2024-12-31", "2024-11-01")


def test_churn_risk_uses_no_orders_after_as_of(orders):
    as_of = pd.Timestamp("2024-10-02")
    risk = C.churn_risk(orders, as_of, "2023-10-02")
    later = orders[orders["order_date"] > as_of].copy()
    later["revenue"] *= 10                                  # change the future...
    changed = pd.concat([orders[orders["order_date"] <= as_of], later], ignore_index=True)
    pd.testing.assert_series_equal(C.churn_risk(changed, as_of, "2023-10-02"), risk)  # ...no effect
    assert risk.between(0, 1).all() and risk.name == "p_churn"
    assert risk.index.equals(F.rfm_table(orders, as_of).index)


def test_season_matched_training_is_calibrated_and_ranks_well(orders):
    # Independent oracle: the labels actually realised after the scoring date.
    as_of = pd.Timestamp("2024-10-02")
    y = F.churn_labels(orders, as_of, 90)
    same_season = C.churn_risk(orders, as_of, "2023-10-02").loc[y.index]
    assert roc_auc_score(y, same_season) > 0.8
    assert abs(same_season.mean() - y.mean()) < 0.03
    other_season = C.churn_risk(orders, as_of, "2024-04-01").loc[y.index]
    assert abs(other_season.mean() - y.mean()) > abs(same_season.mean() - y.mean())


def test_churn_risk_accepts_another_estimator(orders):
    from sklearn.tree import DecisionTreeClassifier

    tree = DecisionTreeClassifier(max_depth=3, random_state=0)
    risk, model = C.churn_risk(orders, "2024-10-02", "2023-10-02", estimator=tree,
                               return_model=True)
    assert model.named_steps["model"] is not tree  # cloned, the caller's object is untouched
    assert not hasattr(tree, "tree_")
    assert risk.nunique() <= 8  # a depth-3 tree has at most 8 leaves
