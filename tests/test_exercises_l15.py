"""Exercise checkers of lesson 15: solutions (run on Spark) pass, typical mistakes fail."""

from __future__ import annotations

import importlib.util

import pandas as pd
import pytest

from mkt_lessons import data, features
from mkt_lessons.exercises import ____, l15

pytestmark = pytest.mark.skipif(importlib.util.find_spec("pyspark") is None,
                                reason="the optional [spark] extra is not installed "
                                       "here: `make test-spark` runs these (CI does)")


@pytest.fixture(scope="module")
def ns(request):
    namespace = l15.namespace()
    request.config.add_cleanup(namespace["spark"].stop)
    return namespace


def test_hints_nudge_without_giving_the_code():
    assert "frequency') >= 2" not in l15.q1._hint and ".count()" not in l15.q1._hint
    assert "yyyy-MM" not in l15.q2._hint and "F.sum" not in l15.q2._hint


def test_there_are_four_problems():
    assert [p.name for p in l15.PROBLEMS] == ["q1", "q2", "q3", "q4"]


def test_references_agree_with_the_package():
    orders = data.load_orders()
    rfm = features.rfm_table(orders, l15.CUTOFF)
    assert l15.q1.expected == int((rfm["frequency"] >= 2).sum())
    by_month = orders.set_index("order_date")["revenue"].resample("MS").sum()
    assert l15.q2.expected.round(2).tolist() == by_month.round(2).tolist()
    assert len(l15.q2.expected) == 24


@pytest.mark.parametrize("q", ["q1", "q2"])
def test_solutions_pass_on_spark(ns, q):
    problem = getattr(l15, q)
    scope = dict(ns)
    exec(problem.solution_code, scope)
    assert problem.grade(scope[problem.var]).correct
    assert problem.grade(____).status == "blank"


def test_wrong_answers_and_targeted_messages():
    assert "whole table" in l15.q1.grade(l15._repeat_customers(whole_history=True)).message
    assert l15.q1.grade(l15.q1.expected + 1).status == "incorrect"
    assert "month number" in l15.q2.grade(l15._monthly_revenue(by_month_number=True)).message
    shifted = l15.q2.expected.copy()
    shifted.iloc[0] += 1.0
    assert l15.q2.grade(shifted).status == "incorrect"
    assert l15.q2.grade(l15.q2.expected.iloc[:-1]).status == "incorrect"
    assert l15.q2.grade(pd.Series([1.0])).status == "incorrect"
