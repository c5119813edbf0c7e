"""Lesson 08 exercises: every solution grades correct, typical wrong answers do not, and
the blank grades 'blank'."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from mkt_lessons import targeting
from mkt_lessons.exercises import ____, l08


def _run(code: str) -> dict:
    ns = l08.namespace()
    exec(code, ns)
    return ns


@pytest.mark.parametrize("problem", [p for p in l08.PROBLEMS if p.var != "q5_answer"],
                         ids=lambda p: p.name)
def test_solution_grades_correct(problem):
    ns = _run(problem.solution_code)
    result = problem.grade(ns[problem.var])
    assert result.status == "correct", result.message


@pytest.mark.parametrize("problem", l08.PROBLEMS, ids=lambda p: p.name)
def test_blank_grades_blank(problem):
    assert problem.grade(____).status == "blank"


WRONG = {
    "q1": [(l08._oracle_gain(), "gain"), (l08._oracle_lift(0.1), "top 10%"),
           (1.0, "too low")],
    "q2": [(12 / 80, "uplift"), (0.25 * 80 / 12, "upside down"), (60.0, "factor of 100")],
    "q3": [(l08._recency_auc(-1.0), "1 - AUC"), (0.5, "too low"), ("0.85", "number")],
    "q4": [(l08._oracle_k(use_p_buy=True), "buying"), (0, "too low")],
}


@pytest.mark.parametrize("name,wrong,fragment",
                         [(k, w, f) for k, items in WRONG.items() for w, f in items])
def test_wrong_answers_grade_incorrect(name, wrong, fragment):
    result = getattr(l08, name).grade(wrong)
    assert result.status == "incorrect"
    assert fragment in result.message


def test_expected_answers_agree_with_independent_computations():
    ns = l08.namespace()
    y, oracle, X = ns["y_te"], ns["oracle"], ns["X_te"]
    # q1 reference (hand sort) equals the package's lift
    assert l08.q1.expected == pytest.approx(targeting.lift(y, oracle, 0.4))
    assert 1 < l08.q1.expected <= 1 / y.mean() + 1e-9
    # q3 with scikit-learn directly
    assert l08.q3.expected == pytest.approx(roc_auc_score(y, X["recency_days"]))
    # q4 reference (break-even count) equals the package's profit-maximising cut
    best = targeting.best_threshold(oracle, value=l08.VALUE, cost=l08.COST, uplift=l08.UPLIFT)
    assert l08.q4.expected == best.k
    assert np.all(oracle[oracle >= best.threshold] * l08.UPLIFT * l08.VALUE > l08.COST)


def test_namespace_returns_fresh_copies():
    a = l08.namespace()
    a["y_te"].iloc[0] = 1 - a["y_te"].iloc[0]
    assert not a["y_te"].equals(l08.namespace()["y_te"])


def test_thought_problem_prints_discussion(capsys):
    l08.q5.check()
    l08.q5.solution()
    l08.q2.check(____)
    out = capsys.readouterr().out
    assert "think about" in out and "calibrated" in out and "Not attempted" in out
