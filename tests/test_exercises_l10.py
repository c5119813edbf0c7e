"""Lesson 10 exercises: every solution grades correct, typical wrong answers get their targeted
message, the blank grades 'blank', and the expected answers agree with independent
computations (the clv module's P(alive), a hand sum, the raw 2025 order file)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mkt_lessons import clv, data
from mkt_lessons.exercises import ____, l10


def _run(code: str) -> dict:
    ns = l10.namespace()
    exec(code, ns)
    return ns


@pytest.mark.parametrize("problem", [p for p in l10.PROBLEMS if p.var != "q4_answer"],
                         ids=lambda p: p.name)
def test_solution_grades_correct(problem):
    ns = _run(problem.solution_code)
    result = problem.grade(ns[problem.var])
    assert result.status == "correct", result.message


@pytest.mark.parametrize("problem", l10.PROBLEMS, ids=lambda p: p.name)
def test_blank_grades_blank(problem):
    assert problem.grade(____).status == "blank"


def _blank_body(x, tx, T, r, alpha, a, b):
    return ____


def _exp_ratio(x, tx, T, r, alpha, a, b):  # a plausible-looking but wrong formula
    return float(np.exp(-(T - tx) * r / alpha))


WRONG = {
    "q1": [(l10._p_alive_no_zero_case, "x = 0"), (l10._p_alive_swapped, "upside down"),
           (_exp_ratio, "l10.q1.hint()")],
    "q2": [(l10._discounted(first_period=0), "month 0"), (120.0, "undiscounted"),
           (l10._discounted(rate=0.12), "12% a month"), (200.0, "l10.q2.hint()")],
    "q3": [(l10._naive_mae("realised"), "ordered in 2025"), (l10._naive_mae("last"), "ordered in 2024"),
           (float(np.abs(l10.namespace()["orders_2024"] - l10.namespace()["orders_2025"]).sum()),
            "total absolute error"),
           (0.0, "l10.q3.hint()")],
}


@pytest.mark.parametrize("name,wrong,fragment",
                         [(k, w, f) for k, items in WRONG.items() for w, f in items])
def test_wrong_answers_grade_incorrect(name, wrong, fragment):
    result = getattr(l10, name).grade(wrong)
    assert result.status == "incorrect"
    assert fragment in result.message, result.message


def test_wrong_answers_name_the_hint_call():
    for name, items in WRONG.items():
        for wrong, _ in items:
            assert f"l10.{name}.hint()" in getattr(l10, name).grade(wrong).message


def test_totals_instead_of_per_customer_errors_fail():
    ns = l10.namespace()
    cancelling = abs(ns["orders_2024"].sum() - ns["orders_2025"].sum()) / len(ns["orders_2024"])
    result = l10.q3.grade(cancelling)
    assert result.status == "incorrect" and "cancel" in result.message


def test_unfinished_function_grades_blank():
    assert l10.q1.grade(_blank_body).status == "blank"


def test_p_alive_reference_matches_the_clv_module():
    """q1's reference agrees with BetaGeoModel.prob_alive at the same parameters."""
    for x, tx, T, *params in l10._p_alive_cases():
        model = clv.BetaGeoModel()
        model.params_ = dict(zip(["r", "alpha", "a", "b"], params, strict=True))
        expected = float(model.prob_alive([x], [tx], [T])[0])
        assert l10._p_alive(x, tx, T, *params) == pytest.approx(expected, rel=1e-10)


def test_p_alive_published_value():
    """FHL (2005) CDNOW parameters; a customer with x=2, t_x=30.43, T=38.86 weeks: P(alive)
    from the closed form evaluated by hand with Python floats (independent of NumPy)."""
    r, alpha, a, b = 0.24, 4.41, 0.79, 2.43
    by_hand = 1 / (1 + (0.79 / (2.43 + 1)) * ((4.41 + 38.86) / (4.41 + 30.43)) ** 2.24)
    assert l10._p_alive(2, 30.43, 38.86, r, alpha, a, b) == pytest.approx(by_hand)
    assert 0.7 < by_hand < 0.8


def test_present_value_by_annuity_formula():
    annuity = 10 * (1 - 1.01 ** -12) / 0.01
    assert l10.q2.expected == pytest.approx(annuity, rel=1e-12)


def test_naive_mae_from_the_raw_truth_file():
    """Recount orders per customer straight from the truth tables, by order id."""
    orders, future = data.load_orders(), data.load_truth().orders_2025
    ids = sorted(set(orders["customer_id"]))
    y24 = orders[orders["order_date"].dt.year == 2024].drop_duplicates("order_id")["customer_id"]
    y25 = future.drop_duplicates("order_id")["customer_id"]
    c24 = pd.Series(0, index=ids).add(y24.value_counts(), fill_value=0)
    c25 = pd.Series(0, index=ids).add(y25.value_counts(), fill_value=0)
    assert l10.q3.expected == pytest.approx(float((c24 - c25).abs().mean()))
    assert len(l10.namespace()["orders_2025"]) == len(ids) == 5000


def test_namespace_returns_fresh_copies():
    a = l10.namespace()
    a["orders_2024"].iloc[0] += 100
    b = l10.namespace()
    assert b["orders_2024"].iloc[0] != a["orders_2024"].iloc[0]


def test_thought_problem_prints_discussion(capsys):
    l10.q4.check()
    l10.q4.solution()
    out = capsys.readouterr().out
    assert "think about" in out and "uplift" in out


def test_hints_nudge_rather_than_give_code():
    for problem in l10.PROBLEMS:
        for code in ("** (r + x)", "1.01 **", ".abs().mean()", "return 1.0"):
            assert code not in problem._hint, (problem.name, code)
