"""Lesson 04 exercises: lesson-specific wrong answers get their targeted message, and the
expected answers agree with independent recomputations (test_exercises_all.py runs every
solution and blank generically)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata

from mkt_lessons.exercises import ____, l04


def _unreversed_r(recency_days):  # forgot that recent is good
    s = pd.Series(recency_days)
    return (1 + np.floor(5 * (s.rank(method="min") - 1) / len(s))).astype(int).to_numpy()


def _first_rank_r(recency_days):  # breaks ties by row order
    s = pd.Series(recency_days)
    worse = s.rank(method="first", ascending=False) - 1
    return (1 + np.floor(5 * worse / len(s))).astype(int).to_numpy()


def _qcut_r(recency_days):  # quantile cut points: duplicate edges with many ties
    return (6 - pd.qcut(recency_days, 5, labels=False, duplicates="drop") - 1).to_numpy()


WRONG = {
    "q1": [(l04._n_champions(reverse_recency=False), "reversed"),
           (l04._n_champions(monetary=False), "frequency-only"), (0, "too low")],
    "q2": [(_unreversed_r, "test case 1"), (_first_rank_r, "test case 1"),
           (_qcut_r, "test case"), (5, "function")],
    "q3": [(8, "lowest inertia"), (2, "k >= 3"), ("5", "number")],
    "q4": [(l04._ari_k4(scale=False), "not standardised"), (l04._ari_k4(log=False), "log1p"),
           (l04._ari_k4(log=False, scale=False), "unscaled"), (1.0, "too high")],
}


@pytest.mark.parametrize("name,wrong,fragment",
                         [(k, w, f) for k, items in WRONG.items() for w, f in items])
def test_wrong_answers_grade_incorrect(name, wrong, fragment):
    result = getattr(l04, name).grade(wrong)
    assert result.status == "incorrect"
    assert fragment in result.message


def test_mistakes_differ_from_the_answer():
    for p in l04.PROBLEMS:
        for fn, _ in getattr(p, "mistakes", []):
            assert fn() != p.expected, p.name


def test_expected_answers_recomputed_independently():
    ns = l04.namespace()
    rfm = ns["rfm"]
    # q1 from scratch: brute-force quintile scores and the grid rule written out
    n = len(rfm)

    def score(v):
        return 1 + (5 * (rankdata(v, method="min") - 1)) // n

    r, f, m = score(-rfm["recency_days"]), score(rfm["frequency"]), score(rfm["monetary"])
    fm = (f + m + 1) // 2
    assert l04.q1.expected == int(((r == 5) & (fm >= 4)).sum())
    # q3: silhouette picks a k in 3..8, not the always-lowest inertia
    assert 3 <= l04.q3.expected <= 8
    # q4: the ARI is that of sklearn on the lesson's matrix; scaling and logs matter
    assert 0 < l04.q4.expected < 1
    assert l04.q4.expected > l04._ari_k4(log=False, scale=False)
    assert ns["X"].shape == (n, 3)
    assert ns["X"].mean(axis=0) == pytest.approx(0, abs=1e-9)


def test_blank_function_body_is_not_attempted():
    assert l04.q2.grade(lambda recency_days: ____).status == "blank"


def test_thought_problem_reveals_discussion(capsys):
    l04.q5.check()
    l04.q5.solution()
    out = capsys.readouterr().out
    assert "think about" in out and "control group" in out


def test_hints_nudge_rather_than_give_code():
    from mkt_lessons.exercises import l04

    for problem in l04.PROBLEMS:
        for code in ('rank(method=', 'sweep.loc[3:]', 'KMeans(n_clusters=4', 'idxmax()'):
            assert code not in problem._hint, (problem.name, code)
