"""Exercise checkers of lesson 06: solutions pass, typical mistakes fail, blanks say so."""

from __future__ import annotations

import numpy as np
import pytest

from mkt_lessons import data
from mkt_lessons import forecast as fc
from mkt_lessons.exercises import l06


@pytest.fixture(scope="module")
def ns():
    return l06.namespace()


def test_there_are_three_to_six_problems():
    assert [p.name for p in l06.PROBLEMS] == ["q1", "q2", "q3", "q4", "q5", "q6"]


def test_references_agree_with_independent_computations(ns):
    train, test = ns["train"], ns["test"]
    # q1: the scale is what mase() divides by (MASE of a forecast with MAE = scale is 1)
    assert fc.mase(test, test + l06.q1.expected, train) == pytest.approx(1.0)
    # q2: the reference reproduces a pandas shift for one full season
    y = np.arange(1.0, 22.0)
    assert l06._snaive_ref(y, 7).tolist() == y[-7:].tolist()
    # q3: coverage() of the package
    f = ns["sarimax_fc"]
    assert l06.q3.expected == pytest.approx(fc.coverage(test, f["lower"], f["upper"]))
    # q4: oracle read from the truth file directly
    truth = data.load_truth().expected_daily_revenue
    oracle = truth.loc[truth["date"].isin(test.index), "expected_revenue"].to_numpy()
    want = np.mean(np.abs(test.to_numpy() - oracle)) / np.mean(np.abs(test.to_numpy() - f["forecast"].to_numpy()))
    assert l06.q4.expected == pytest.approx(want)
    assert 0 < l06.q4.expected < 1.5
    # q6: the first monthly backtest fold's MASE scale (season inferred from the index)
    folds = fc.backtest(ns["equip"], fc.naive, horizon=12, folds=2)
    assert l06.q6.expected == pytest.approx(folds.loc[folds["fold"] == 0, "scale"].iloc[0])


def _lag1_snaive(y, horizon, season=7):
    return np.repeat(np.asarray(y, dtype=float)[-1], horizon)


def _first_season(y, horizon, season=7):
    return np.asarray(y, dtype=float)[np.arange(horizon) % season]


WRONG = {
    "q1": ["lag1", 0.0, "text"],
    "q2": [_lag1_snaive, _first_season, "not a function"],
    "q3": [0.8, 80.0],
    "q4": [1.0, 0.0],
    "q6": ["lag7", 0.0],
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answers_grade_incorrect(name, ns):
    problem = next(p for p in l06.PROBLEMS if p.name == name)
    for wrong in WRONG[name]:
        if wrong == "lag1":
            y = ns["train"].to_numpy()
            wrong = float(np.mean(np.abs(np.diff(y))))
        if wrong == "lag7":
            y = ns["equip"].to_numpy()[:-24]
            wrong = float(np.mean(np.abs(y[7:] - y[:-7])))
            assert "12" in problem.grade(wrong).message
        result = problem.grade(wrong)
        assert result.status == "incorrect", (name, wrong)
    if name == "q1":
        y = ns["train"].to_numpy()
        assert "naive" in problem.grade(float(np.mean(np.abs(np.diff(y))))).message


def test_answers_rounded_as_displayed_are_accepted(ns):
    """Issue 21: a learner who copies 0.929 from a printed table is right."""
    assert l06.q1.grade(round(l06.q1.expected)).correct            # to the dollar
    for problem in (l06.q3, l06.q4, l06.q6):
        assert problem.grade(round(problem.expected, 3)).correct, problem.name
        assert not problem.grade(round(problem.expected, 1) + 0.05).correct, problem.name


def test_rounding_tolerance_does_not_swallow_the_known_mistakes(ns):
    for problem in (l06.q1, l06.q3, l06.q4, l06.q6):
        for fn, message in problem.mistakes:
            result = problem.grade(fn())
            assert result.status == "incorrect" and message in result.message, (problem.name, message)


def test_hints_nudge_without_giving_the_code():
    for problem in (l06.q1, l06.q2, l06.q3, l06.q4, l06.q6):
        for line in problem.solution_code.splitlines():
            code = line.split("#")[0].strip()
            if len(code) > 12 and not code.startswith("def "):
                assert code not in problem._hint, (problem.name, code)
    assert "y[7:] - y[:-7]" not in l06.q1._hint and "[:-24]" not in l06.q6._hint


def test_q2_names_the_typical_wrong_functions():
    def naive_instead(y, horizon, season=7):
        return np.full(horizon, float(np.asarray(y)[-1]))

    def from_the_start(y, horizon, season=7):
        y = np.asarray(y, dtype=float)
        return np.array([y[h % season] for h in range(horizon)])

    def always_weekly(y, horizon, season=7):
        y = np.asarray(y, dtype=float)
        return y[-7:][np.arange(horizon) % 7]

    assert "*naive* forecast" in l06.q2.grade(naive_instead).message
    assert "*first* season" in l06.q2.grade(from_the_start).message
    assert "`season` argument" in l06.q2.grade(always_weekly).message
    # by hand: y = 1..10, season 3 -> the last season is 8, 9, 10
    assert l06._snaive_ref(np.arange(1.0, 11.0), 5, 3).tolist() == [8, 9, 10, 8, 9]
