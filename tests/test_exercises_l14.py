"""Exercise checkers of lesson 14 (capstone): typical mistakes get their targeted message.

tests/test_exercises_all.py already runs every solution through its checker, checks a
perturbed answer fails and the blank says "not attempted"."""

from __future__ import annotations

import numpy as np
import pytest

from mkt_lessons.exercises import l14
from mkt_lessons.targeting import campaign_list


@pytest.fixture(scope="module")
def ns():
    return l14.namespace()


def test_q1_reference_is_the_cost_column_of_the_plan(ns):
    exec(l14.q1.solution_code, ns)
    assert l14.q1.grade(ns["voucher_cost"]).correct
    profits, value, p1 = ns["profits"], ns["value"], ns["p_buy_voucher"]
    for c in profits.index[:5]:
        assert ns["voucher_cost"](value.loc[c, "order_value"], p1[c]) == pytest.approx(profits.loc[c, "cost"])


def test_q1_mistakes_get_their_message():
    assert "CONTACT_COST" in l14.q1.grade(lambda v, p: 0.15 * v * p).message
    assert "probability" in l14.q1.grade(lambda v, p: 1.0 + 0.15 * v).message
    assert "margin" in l14.q1.grade(lambda v, p: 1.0 + 0.15 * 0.5 * v * p).message


def test_q2_reference_agrees_with_a_sort(ns):
    # independent of campaign_list: with equal costs the best 250 are the 250 largest positive profits
    p = np.sort(ns["profits"]["expected_profit"].to_numpy())[::-1]
    assert l14.q2.expected == pytest.approx(p[:250][p[:250] > 0].sum())
    full = p[:500][p[:500] > 0].sum()
    assert full / 2 < l14.q2.expected < full  # the success message: more than half of the profit


def test_q2_mistakes_get_their_message(ns):
    options = ns["options"]
    full = campaign_list(options, {"voucher": 1.0}, 500)["expected_profit"].sum()
    assert "500-voucher plan" in l14.q2.grade(full).message
    assert "without any budget" in l14.q2.grade(campaign_list(options, {"voucher": 1.0})["expected_profit"].sum()).message
    assert "does not halve" in l14.q2.grade(full / 2).message


def test_q2_accepts_the_profit_as_shown_in_dollars():
    assert l14.q2.grade(round(l14.q2.expected)).correct
    assert l14.q2.grade(round(l14.q2.expected, 2)).correct
    assert not l14.q2.grade(round(l14.q2.expected) + 2).correct


def test_discussion_questions_reveal_an_answer(capsys):
    for q in (l14.q3, l14.q4):
        q.solution()
    out = capsys.readouterr().out
    assert "hold-out" in out and "persuadable" in out


def test_hints_nudge_without_giving_the_solution_code():
    for p in (l14.q1, l14.q2):
        for line in p.solution_code.splitlines():
            if len(line.strip()) > 12:
                assert line.strip() not in p._hint, p.name
        assert "campaign_list(" not in p._hint and "voucher_profits(" not in p._hint
