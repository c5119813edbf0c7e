"""Lesson 12 exercises: every solution grades correct, typical wrong answers get their targeted
message (naming l12.qK.hint() where the lesson's headline mistake is), the blank grades
'blank', and the expected answers agree with independent computations (the generator's own
saturation column, the data card's table, the Hill formula written out)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mkt_lessons import data, mmm
from mkt_lessons.exercises import ____, l12


def _run(code: str) -> dict:
    ns = l12.namespace()
    exec(code, ns)
    return ns


@pytest.mark.parametrize("problem", [p for p in l12.PROBLEMS if p.var != "q5_answer"],
                         ids=lambda p: p.name)
def test_solution_grades_correct(problem):
    ns = _run(problem.solution_code)
    result = problem.grade(ns[problem.var])
    assert result.status == "correct", result.message


@pytest.mark.parametrize("problem", l12.PROBLEMS, ids=lambda p: p.name)
def test_blank_grades_blank(problem):
    assert problem.grade(____).status == "blank"


def _blank_split(table, n_test):
    return ____


WRONG = {
    "q1": [(l12._k_weekly("usd"), "l12.q1.hint()"), (l12._k_weekly("divided"), "wrong way round"),
           (l12._k_weekly("relative"), "multiple of the channel's mean adstock"),
           (l12._k_weekly("decay"), "NOT carry over"), (1000.0, "")],
    "q2": [("social", "l12.q2.hint()"), ("affiliate", "LEAST"), ("display", "")],
    "q3": [(l12._split_first, "l12.q3.hint()"), (l12._split_random, "l12.q3.hint()"),
           (l12._split_off_by_one, "Off by one")],
    "q4": [(l12._plan_revenue("shape1"), "l12.q4.hint()"), (l12._plan_revenue("linear"), "l12.q4.hint()"),
           (l12._plan_revenue("mean_hill"), "its own coefficient"), (0.0, "")],
}


@pytest.mark.parametrize("name,wrong,fragment",
                         [(k, w, f) for k, items in WRONG.items() for w, f in items])
def test_wrong_answers_grade_incorrect(name, wrong, fragment):
    result = getattr(l12, name).grade(wrong)
    assert result.status == "incorrect"
    assert fragment in result.message, result.message


def test_unfinished_function_grades_blank():
    assert l12.q3.grade(_blank_split).status == "blank"


def test_q1_converted_half_saturation_reproduces_the_generators_saturation():
    """Oracle: the generator's own weekly saturation of display (truth/media_response.csv)
    equals hill(normalised adstock; K converted as the answer says)."""
    resp = data.load_truth().media_response
    disp = resp[resp.channel == "display"].sort_values("week_start")
    decay = 0.75  # data card
    a = mmm.geometric_adstock(disp.spend.to_numpy(), decay)
    k, s = l12.q1.expected, 1.5
    with np.errstate(divide="ignore"):
        h = np.where(a > 0, a ** s / (a ** s + k ** s), 0.0)
    np.testing.assert_allclose(h, disp.saturation.to_numpy(), atol=1e-5)


def test_q2_matches_the_data_card():
    # data card: marginal ROAS paid_search 4.80, social 4.17, display 4.57, affiliate 2.11;
    # average ROAS is highest for social (8.02)
    assert l12.q2.expected == "paid_search"
    assert l12._truth_channels().roas.idxmax() == "social"


def test_q3_reference_is_time_ordered():
    table, n = l12._split_cases()[0]
    train, test = l12._split(table, n)
    assert len(test) == n and len(train) + len(test) == len(table)
    assert train.week_start.max() < test.week_start.min()


def test_q4_by_the_formula_written_out():
    curves, plan = l12.exercise_4_data()
    x = plan.reindex(curves.index).to_numpy()
    k, s, c = (curves[col].to_numpy() for col in ("half_saturation", "shape", "coef"))
    want = float(np.sum(c * x ** s / (x ** s + k ** s)))
    assert l12.q4.expected == pytest.approx(want, rel=1e-12)


def test_namespace_is_a_fresh_copy():
    ns = l12.namespace()
    ns["tj"].loc["display", "decay"] = 0.0
    assert l12.namespace()["tj"].loc["display", "decay"] == 0.75
    assert isinstance(ns["plan"], pd.Series)
