"""Exercise checkers of lesson 02: solutions pass, typical mistakes fail, blanks say so."""

from __future__ import annotations

import pandas as pd
import pytest

from mkt_lessons import data, features
from mkt_lessons.exercises import l02


@pytest.fixture(scope="module")
def ns():
    return l02.namespace()


def test_there_are_three_to_five_problems():
    assert [p.name for p in l02.PROBLEMS] == ["q1", "q2", "q3", "q4", "q5"]


def test_references_agree_with_the_package():
    orders = data.load_orders()
    rfm = features.rfm_table(orders, l02.CUTOFF)
    assert l02.q1.expected == pytest.approx((rfm["frequency"] == 1).mean())
    assert l02.q3.expected == pytest.approx(features.churn_labels(orders, l02.TEST_CUTOFF).mean())
    for args in l02._recency_cases():
        want = features.rfm_table(*args)["recency_days"]
        assert l02._recency(*args).to_dict() == want.to_dict()
    assert l02.q4.expected == {"total_orders", "days_to_last_order"}


def _recency_strict(orders, snapshot):  # drops orders on the snapshot day
    snap = pd.Timestamp(snapshot)
    last = orders[orders["order_date"] < snap].groupby("customer_id")["order_date"].max()
    return (snap - last).dt.days


def _recency_unfiltered(orders, snapshot):  # ignores the snapshot: future orders leak in
    return (pd.Timestamp(snapshot) - orders.groupby("customer_id")["order_date"].max()).dt.days


WRONG = {
    "q1": [0.5, 37.96],
    "q2": [_recency_strict, _recency_unfiltered, 3],
    "q3": [1 - l02._churn_rate(), 0.0],
    "q4": [{"total_orders"}, set(l02.candidate_features()), {"orders_before_cutoff"}],
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answers_grade_incorrect(name):
    problem = next(p for p in l02.PROBLEMS if p.name == name)
    for wrong in WRONG[name]:
        assert problem.grade(wrong).status == "incorrect", wrong


def test_mistakes_get_their_targeted_message():
    assert "whole table" in l02.q1.grade(l02.q1.mistakes[0][0]()).message
    assert "on* the cut-off" in l02.q3.grade(l02._churn_rate(window_from_cut=True)).message


def test_recency_headline_mistakes_get_targeted_messages_with_the_input():
    keeps_future = l02.q2.grade(_recency_unfiltered).message
    assert "after* `snapshot`" in keeps_future and "The input it fails on" in keeps_future
    assert "2024-01-10" in keeps_future  # the small test table is shown, not described
    assert "snapshot day is history" in l02.q2.grade(_recency_strict).message


def test_set_answers_reveal_neither_size_nor_split_text():
    one_right = l02.q4.grade({"total_orders"}).message
    assert "missing" in one_right and "2 items" not in one_right and "Expected" not in one_right
    assert "does not belong" in l02.q4.grade(set(l02.candidate_features())).message
    assert "one piece of text" in l02.q4.grade("total_orders").message


def test_hints_nudge_rather_than_give_code():
    for problem in l02.PROBLEMS:
        text = problem._hint
        for code in ("features.rfm_table(", "churn_labels(", ".groupby(", ".equals", "candidates.items()"):
            assert code not in text, (problem.name, code)
