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


def test_q3_table_is_scipys_welch_interval_and_the_reference_reads_it(ns):
    """The buyers columns agree with SciPy's Welch interval for the capstone's plan, and the
    reference answer is the plans whose whole interval lies below the capstone's."""
    from scipy import stats

    from mkt_lessons.campaign import orders_in_window

    plan = campaign_list(ns["options"], {"voucher": 1.0}, 500)
    chosen = plan.index[plan["action"] == "voucher"]
    bought = orders_in_window(ns["orders"], chosen, ns["SEND_DAY"], 60) > 0
    t = ns["test"].loc[chosen, "treatment"]
    ci = stats.ttest_ind(bought[t == 1].astype(float), bought[t == 0].astype(float),
                         equal_var=False).confidence_interval(0.95)
    row = ns["on_test"].loc[l14.CAPSTONE]
    assert row["buyers_low"] == pytest.approx(len(chosen) * ci.low)
    assert row["buyers_high"] == pytest.approx(len(chosen) * ci.high)
    table = ns["on_test"]
    below = {name for name in table.index
             if table.loc[name, "buyers_high"] < row["buyers_low"]}
    assert l14.q3.expected == below
    exec(l14.q3.solution_code, ns)
    assert l14.q3.grade(ns["worse_in_buyers"]).correct
    assert l14.q3.grade(list(below)).correct


def test_q3_mistakes_get_their_message(ns):
    table = ns["on_test"]
    cap = table.loc[l14.CAPSTONE]
    by_estimate = set(table.index[table["extra_buyers"] < cap["extra_buyers"]])
    assert by_estimate != l14.q3.expected
    assert "estimates" in l14.q3.grade(by_estimate).message
    in_dollars = set(table.index[table["test_high"] < cap["test_low"]])
    assert in_dollars != l14.q3.expected
    assert "dollar" in l14.q3.grade(in_dollars).message
    assert not l14.q3.grade(l14.q3.expected | {l14.CAPSTONE}).correct


def test_discussion_questions_reveal_an_answer(capsys):
    for q in (l14.q4, l14.q5):
        q.solution()
    out = capsys.readouterr().out
    assert "hold-out" in out and "persuadable" in out


def test_hints_nudge_without_giving_the_solution_code():
    for p in (l14.q1, l14.q2, l14.q3):
        for line in p.solution_code.splitlines():
            if len(line.strip()) > 12:
                assert line.strip() not in p._hint, p.name
        assert "campaign_list(" not in p._hint and "voucher_profits(" not in p._hint
