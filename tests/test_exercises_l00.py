"""Exercise checkers of lesson 00 (the tour): solutions pass, each typical mistake gets its
targeted message, and every message names the call a notebook can make (``l00.q1.hint()``)."""

from __future__ import annotations

import pandas as pd
import pytest

from mkt_lessons import data
from mkt_lessons.exercises import ____, l00


@pytest.fixture(scope="module")
def tables():
    return data.load_orders(), data.load_products(), data.load_customers()


def test_references_are_computed_independently(tables):
    orders, products, customers = tables
    # brute force: distinct order ids by a set, revenue per category by a dict
    assert l00.q1.expected == len(set(orders["order_id"]))
    category = dict(zip(products["product_id"], products["category"].astype(str), strict=True))
    totals: dict[str, float] = {}
    for pid, rev in zip(orders["product_id"], orders["revenue"], strict=True):
        totals[category[pid]] = totals.get(category[pid], 0.0) + rev
    assert l00.q2.expected == max(totals, key=totals.get)
    channels = customers["acquisition_channel"].astype(str).tolist()
    assert l00.q3.expected == pytest.approx(channels.count("paid_search") / len(channels))


@pytest.mark.parametrize("problem, wrong, fragment", [
    ("q1", lambda o, p, c: len(o), "order *lines*"),
    ("q2", lambda o, p, c: o.merge(p[["product_id", "category"]], on="product_id")["category"]
     .value_counts().idxmax(), "most order lines"),
    ("q3", lambda o, p, c: 100 * (c["acquisition_channel"] == "paid_search").mean(), "percentage"),
])
def test_typical_mistakes_get_their_message(tables, problem, wrong, fragment):
    p = getattr(l00, problem)
    result = p.grade(wrong(*tables))
    assert result.status == "incorrect" and fragment in result.message
    assert f"l00.{problem}.hint()" in result.message  # the call that works in the notebook


def test_blank_and_printed_help_name_the_lesson(capsys):
    assert l00.q1.grade(____).status == "blank"
    l00.q1.hint()
    l00.q4.check()
    out = capsys.readouterr().out
    assert "[l00.q1] Hint:" in out and "l00.q4.solution()" in out


def test_a_wrong_type_is_explained_not_raised():
    assert "number" in l00.q1.grade("many").message
    assert l00.q3.grade(pd.Series([0.1, 0.2])).status == "incorrect"


def test_hints_nudge_rather_than_give_code():
    from mkt_lessons.exercises import l00

    for problem in l00.PROBLEMS:
        for code in ('idxmax()', '.merge('):
            assert code not in problem._hint, (problem.name, code)
