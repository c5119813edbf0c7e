"""Exercise checkers of lesson 14 (capstone): typical mistakes get their targeted message.

tests/test_exercises_all.py already runs every solution through its checker, checks a
perturbed answer fails and the blank says "not attempted"."""

from __future__ import annotations

import pytest

from mkt_lessons.campaign import action_profits
from mkt_lessons.exercises import l14
from mkt_lessons.targeting import campaign_list


@pytest.fixture(scope="module")
def ns():
    return l14.namespace()


def test_references_agree_with_an_independent_recomputation(ns):
    # q3 by hand: profits of the offer at 5% uplift, without the package's Assumptions.replace
    a = ns["ASSUMPTIONS"]
    p, v, rec = ns["p_churn"], ns["value"], ns["rfm"]["recency_days"]
    uplift = (rec > a.lapsed_days).map({True: a.winback_uplift, False: 0.05})
    profits = ns["profits"].copy()
    profits["retention_offer"] = p * uplift * v - a.retention_cost
    plan = campaign_list(profits, a.costs(), ns["BUDGET"])
    assert l14.q3.expected == (plan["action"] == "retention_offer").sum()
    assert plan["cost"].sum() <= ns["BUDGET"]
    # a smaller budget never earns more, and earns more than a proportional share
    assert l14.q2.expected < campaign_list(ns["profits"], a.costs(), 3000)["expected_profit"].sum()
    assert l14.q2.expected > campaign_list(ns["profits"], a.costs(), 3000)["expected_profit"].sum() / 2


def test_q2_q3_mistakes_get_their_message(ns):
    a = ns["ASSUMPTIONS"]
    full = campaign_list(ns["profits"], a.costs(), 3000)["expected_profit"].sum()
    assert "$3,000 plan" in l14.q2.grade(full).message
    assert "without any budget" in l14.q2.grade(campaign_list(ns["profits"], a.costs())["expected_profit"].sum()).message
    base = (campaign_list(ns["profits"], a.costs(), 3000)["action"] == "retention_offer").sum()
    assert "10% uplift" in l14.q3.grade(int(base)).message
    assert l14.q3.grade(int(l14.q3.expected) + 1).status == "incorrect"


def test_q1_mistakes(ns):
    exec(l14.q1.solution_code, ns)
    assert l14.q1.grade(ns["email_profit"]).correct
    assert "1 - p" in l14.q1.grade(lambda p, v: p * 0.02 * 0.40 * v - 0.05).message
    assert "margin" in l14.q1.grade(lambda p, v: (1 - p) * 0.02 * v - 0.05).message
    assert "email_cost" in l14.q1.grade(lambda p, v: (1 - p) * 0.02 * 0.40 * v).message
    # the reference is the package's formula
    one = action_profits(ns["p_churn"].iloc[:5], ns["value"].iloc[:5],
                         ns["featured"]["offer_value"].iloc[:5], ns["rfm"]["recency_days"].iloc[:5])
    for c in one.index:
        assert one.loc[c, "cross_sell_email"] == pytest.approx(
            ns["email_profit"](ns["p_churn"][c], ns["featured"].loc[c, "offer_value"]))


def test_discussion_questions_reveal_an_answer(capsys):
    for q in (l14.q4, l14.q5):
        q.solution()
    out = capsys.readouterr().out
    assert "hold-out" in out and "persuadable" in out


def test_q3_success_message_matches_the_replanned_numbers(ns):
    """Halving the uplift: few offers leave the budgeted plan, but profit falls by over half."""
    a = ns["ASSUMPTIONS"]
    p, v, rec = ns["p_churn"], ns["value"], ns["rfm"]["recency_days"]
    plans = {}
    for uplift in (0.10, 0.05):
        u = (rec > a.lapsed_days).map({True: a.winback_uplift, False: uplift})
        profits = ns["profits"].copy()
        profits["retention_offer"] = p * u * v - a.retention_cost  # by hand, not Assumptions
        plans[uplift] = campaign_list(profits, a.costs(), ns["BUDGET"])
    offers = {k: (plan["action"] == "retention_offer").sum() for k, plan in plans.items()}
    profit = {k: plan["expected_profit"].sum() for k, plan in plans.items()}
    assert offers[0.05] < offers[0.10] and offers[0.05] > 0.9 * offers[0.10]  # "only a few"
    assert profit[0.05] < 0.5 * profit[0.10]                                   # "more than half"
    assert "Only a few offers" in l14.q3.success and "stop paying" not in l14.q3.success


def test_q2_accepts_the_profit_as_shown_in_dollars():
    assert l14.q2.grade(round(l14.q2.expected)).correct
    assert l14.q2.grade(round(l14.q2.expected, 2)).correct
    assert not l14.q2.grade(round(l14.q2.expected) + 2).correct


def test_hints_nudge_without_giving_the_solution_code():
    for p in (l14.q1, l14.q2, l14.q3):
        for line in p.solution_code.splitlines():
            if len(line.strip()) > 12:
                assert line.strip() not in p._hint, p.name
        assert "campaign_list(" not in p._hint and "action_profits(" not in p._hint
