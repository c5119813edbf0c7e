"""Lesson 08 exercises: every solution grades correct, typical wrong answers do not, and
the blank grades 'blank'."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from mkt_lessons import targeting
from mkt_lessons.exercises import ThoughtProblem, ____, l08


def _run(code: str) -> dict:
    ns = l08.namespace()
    exec(code, ns)
    return ns


@pytest.mark.parametrize("problem", [p for p in l08.PROBLEMS
                                     if not isinstance(p, ThoughtProblem)],
                         ids=lambda p: p.name)
def test_solution_grades_correct(problem):
    ns = _run(problem.solution_code)
    result = problem.grade(ns[problem.var])
    assert result.status == "correct", result.message


@pytest.mark.parametrize("problem", l08.PROBLEMS, ids=lambda p: p.name)
def test_blank_grades_blank(problem):
    assert problem.grade(____).status == "blank"


WRONG = {
    "q1": [(l08._recency_auc(-1.0), "1 - AUC"), (0.5, "too low"), ("0.85", "number"),
           (0.849, "Close")],  # a near miss (not the AUC rounded) is called close
    "q3": [(l08._oracle_gain(), "gain"), (l08._oracle_lift(0.1), "top 10%"),
           (1.0, "too low")],
    "q4": [(12 / 80, "uplift"), (0.25 * 80 / 12, "upside down"), (60.0, "factor of 100")],
    "q5": [(l08._oracle_k(use_p_buy=True), "buying"), (0, "too low"),
           (l08._oracle_k() + 1, "count must match exactly")],
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
    # q3 reference (hand sort) equals the package's lift
    assert l08.q3.expected == pytest.approx(targeting.lift(y, oracle, 0.4))
    assert 1 < l08.q3.expected <= 1 / y.mean() + 1e-9
    # q1 with scikit-learn directly
    assert l08.q1.expected == pytest.approx(roc_auc_score(y, X["recency_days"]))
    # q5 reference (break-even count) equals the package's profit-maximising cut
    best = targeting.best_threshold(oracle, value=l08.VALUE, cost=l08.COST, uplift=l08.UPLIFT)
    assert l08.q5.expected == best.k
    assert np.all(oracle[oracle >= best.threshold] * l08.UPLIFT * l08.VALUE > l08.COST)


def test_namespace_returns_fresh_copies():
    a = l08.namespace()
    a["y_te"].iloc[0] = 1 - a["y_te"].iloc[0]
    assert not a["y_te"].equals(l08.namespace()["y_te"])


def test_thought_problem_prints_discussion(capsys):
    l08.q2.check()
    l08.q2.solution()
    l08.q6.solution()
    l08.q4.check(____)
    out = capsys.readouterr().out
    assert "think about" in out and "calibrated" in out and "Not attempted" in out
    assert "hold-out" in out


def _by_hand_lifts(fraction=0.4):
    """Lifts a learner gets by sorting by hand: each breaks the oracle's ties its own way."""
    ns = l08.namespace()
    y, oracle = ns["y_te"], ns["oracle"]
    k = int(np.ceil(fraction * len(y)))
    tops = [oracle.sort_values(ascending=False).index[:k],        # quicksort: any order
            oracle.index[np.argsort(-oracle.to_numpy(), kind="stable")[:k]],  # row order
            oracle.nlargest(k).index,
            oracle.sort_values(ascending=False).index[:int(fraction * len(y))]]  # floor
    return [y.loc[idx].mean() / y.mean() for idx in tops]


def test_q3_accepts_every_natural_tie_break_and_the_rounded_display():
    for lift in _by_hand_lifts():
        assert l08.q3.grade(lift).correct, lift
        assert l08.q3.grade(round(lift, 3)).correct, lift
    assert l08.q3.grade(round(l08.q3.expected, 3)).correct


def test_q3_tolerance_is_three_sd_of_a_random_tie_break():
    from scipy.stats import hypergeom

    ns = l08.namespace()
    y, oracle = ns["y_te"], ns["oracle"]
    k = int(np.ceil(0.4 * len(y)))
    cut = oracle.sort_values(ascending=False).iloc[k - 1]
    tied = (oracle == cut).to_numpy()
    take = k - int((oracle > cut).sum())
    n_tied, n_tied_pos = int(tied.sum()), int(y[tied].sum())
    # a single customer at the cut (or ties that are all churners or all stayers) leaves
    # nothing to chance: the tolerance then only covers the rounding and ceil/floor of 0.4 n
    sd = (hypergeom(n_tied, n_tied_pos, take).std() / k / y.mean()
          if 0 < n_tied_pos < n_tied else 0.0)
    one_customer = l08.q3.expected / k  # ceil against floor of 0.4 n: one customer more or less
    assert 3 * sd + 0.0005 <= l08.TIE_TOLERANCE <= max(4 * sd, 0.0005 + 2 * one_customer)
    # the typical wrong answers stay far outside it
    assert abs(l08._oracle_lift(0.1) - l08.q3.expected) > 5 * l08.TIE_TOLERANCE


def test_q1_accepts_the_auc_as_shown_to_three_decimals():
    assert l08.q1.grade(round(l08.q1.expected, 3)).correct
    assert not l08.q1.grade(round(l08.q1.expected, 3) + 0.001).correct


def test_hints_nudge_without_giving_the_solution_code():
    for p in l08.PROBLEMS:
        if isinstance(p, ThoughtProblem):
            continue
        for line in p.solution_code.splitlines():
            assert line.strip() not in p._hint, p.name
        assert "=" not in p._hint.replace("==", ""), p.name  # no assignment to copy
