"""Lesson 11 exercises: every solution grades correct, typical wrong answers get their targeted
message (naming `l11.qK.hint()` where a hint helps), the blank grades 'blank', and the expected
answers agree with independent computations (OLS, the transformed outcome's mean identity,
uplift_at_k, pandas' nlargest)."""

from __future__ import annotations

import pytest
import statsmodels.api as sm

from mkt_lessons import uplift
from mkt_lessons.exercises import ____, l11


def _run(code: str) -> dict:
    ns = l11.namespace()
    exec(code, ns)
    return ns


@pytest.mark.parametrize("problem", [p for p in l11.PROBLEMS if p.var != "q5_answer"],
                         ids=lambda p: p.name)
def test_solution_grades_correct(problem):
    ns = _run(problem.solution_code)
    result = problem.grade(ns[problem.var])
    assert result.status == "correct", result.message


@pytest.mark.parametrize("problem", l11.PROBLEMS, ids=lambda p: p.name)
def test_blank_grades_blank(problem):
    assert problem.grade(____).status == "blank"


def _wrong():
    return {
        "q1": [(l11._ate_revenue("pooled"), "l11.q1.hint()"), (l11._ate_revenue("sign"), "wrong sign"),
               (l11._ate_revenue("totals"), "twice as large"), (0.0, "too low")],
        "q2": [(l11._z("5050"), "l11.q2.hint()"), (l11._z("5050"), "50/50"),
               (l11._z("no_y"), "multiply by y"), (l11._z("one_minus"), "e(1 - e)")],
        "q3": [(l11._uplift_top("bottom"), "l11.q3.hint()"),
               (l11._uplift_top("treated_only"), "subtracts the control"),
               (l11._ate_revenue_free_ate(), "ATE over all customers")],
        "q4": [(l11._n_lost("lowest"), "l11.q4.hint()"), (l11._n_lost("uplift"), "X-learner"),
               (l11.BUDGET, "too high")],
    }


@pytest.mark.parametrize("name,index", [(k, i) for k, n in
                                        [("q1", 4), ("q2", 4), ("q3", 3), ("q4", 3)]
                                        for i in range(n)])
def test_wrong_answers_grade_incorrect(name, index):
    wrong, fragment = _wrong()[name][index]
    result = getattr(l11, name).grade(wrong)
    assert result.status == "incorrect"
    assert fragment in result.message, result.message


def test_q2_accepts_the_design_share_as_well():
    ns = l11.namespace()
    t, y = ns["t"], ns["y"]
    assert l11.q2.grade(y * (t - 1 / 3) / (1 / 3 * 2 / 3)).status == "correct"


def test_ate_revenue_equals_the_ols_coefficient():
    ns = l11.namespace()
    fit = sm.OLS(ns["test"]["revenue_60d"].to_numpy(), sm.add_constant(ns["t"].astype(float))).fit()
    assert l11.q1.expected == pytest.approx(fit.params[1], rel=1e-10)


def test_transformed_outcome_identities():
    """mean(Z) with the observed share is exactly the difference in means; the 50/50 recipe
    averages to 2 (e mu1 - (1 - e) mu0), negative here."""
    ns = l11.namespace()
    t, y = ns["t"], ns["y"].astype(float)
    e, mu1, mu0 = t.mean(), y[t == 1].mean(), y[t == 0].mean()
    assert l11.q2.expected.mean() == pytest.approx(mu1 - mu0, rel=1e-10)
    assert l11._z("5050").mean() == pytest.approx(2 * (e * mu1 - (1 - e) * mu0), rel=1e-10)
    assert l11._z("5050").mean() < 0 < l11.q2.expected.mean()


def test_uplift_top20_equals_uplift_at_k():
    ns = l11.namespace()
    assert l11.q3.expected == pytest.approx(
        uplift.uplift_at_k(ns["y"], ns["scores"]["X-learner"], ns["t"], 0.2), abs=1e-12)
    assert l11.q3.expected > uplift.average_treatment_effect(ns["y"], ns["t"]).estimate


def test_lost_causes_in_the_risk_list_by_pandas():
    ns = l11.namespace()
    top = ns["risk"].sort_values(ascending=False).index[:l11.BUDGET]
    count = int((ns["truth"].loc[top, "segment"] == "lost_cause").sum())
    assert l11.q4.expected == count
    assert count > l11.BUDGET / 2 > l11._n_lost("uplift")  # the risk list is mostly lost causes


def test_namespace_returns_fresh_copies():
    a = l11.namespace()
    a["t"][0] = 1 - a["t"][0]
    a["risk"].iloc[0] = -1.0
    b = l11.namespace()
    assert b["t"][0] != a["t"][0] and b["risk"].iloc[0] != -1.0


def test_thought_problem_prints_discussion(capsys):
    l11.q5.check()
    l11.q5.solution()
    out = capsys.readouterr().out
    assert "lost causes" in out and "sure things" in out
