"""Lesson 07 exercises: every solution grades correct, typical wrong answers do not, and
the blank grades 'blank'."""

from __future__ import annotations

import numpy as np
import pytest

from mkt_lessons.exercises import ____, l07


def _wrong_cuped(metric, covariate):  # np.var defaults to ddof=0, np.cov to ddof=1
    theta = np.cov(metric, covariate)[0, 1] / np.var(covariate)
    return metric - theta * (covariate - covariate.mean())


def _uncentred_cuped(metric, covariate):
    theta = np.cov(metric, covariate)[0, 1] / np.var(covariate, ddof=1)
    return metric - theta * covariate


WRONG = {
    "q1": [(2 * l07.ex.sample_size_two_proportions(0.03, 0.033), "per arm"),
           (l07.ex.sample_size_two_proportions(0.03, 0.033, alternative="larger"), "one-sided"),
           (1_000, "too low")],
    "q2": [(l07._new_visitor_test(segment=False), "all visitors"),
           (l07._new_visitor_test("larger"), "one-sided"), ("0.67", "number")],
    "q3": [(_wrong_cuped, "divisors"), (_uncentred_cuped, "centre it"),
           (lambda m, c: m - c, "test case 1"), (3, "function")],
    "q4": [(l07._stuck_share(0.1), "ε = 0.1"), (1 - l07._stuck_share(0.0), "best"),
           (0.0, "too low")],
}


@pytest.mark.parametrize("name,wrong,fragment",
                         [(k, w, f) for k, items in WRONG.items() for w, f in items])
def test_wrong_answers_grade_incorrect(name, wrong, fragment):
    problem = getattr(l07, name)
    result = problem.grade(wrong)
    assert result.status == "incorrect"
    assert fragment in result.message


def test_checks_print_and_thought_problem(capsys):
    l07.q1.check(____)
    l07.q5.check()
    l07.q5.solution()
    l07.q3.hint()
    out = capsys.readouterr().out
    assert "Not attempted" in out and "think about" in out and "A/B test wins" in out


def test_expected_answers_are_computed_from_the_data():
    # independent recomputation of q2 with statsmodels
    from statsmodels.stats.proportion import proportions_ztest

    ab = l07.namespace()["ab"]
    new = ab[ab["pre_period_sessions"] == 0]
    g = new.groupby("variant", observed=True)["converted"].agg(["sum", "size"])
    _, p = proportions_ztest(g["sum"].to_numpy(), g["size"].to_numpy())
    assert l07.q2.expected == pytest.approx(p, abs=1e-12)
    assert 0 < l07.q4.expected < 1


def test_an_unwritten_function_body_is_not_attempted():
    assert l07.q3.grade(lambda m, c: ____).status == "blank"


def test_q1_success_message_states_the_traffic_ratio_of_15_to_10_percent():
    ratio = (l07.ex.sample_size_two_proportions(0.03, 0.033)
             / l07.ex.sample_size_two_proportions(0.03, 0.0345))
    assert ratio == pytest.approx((15 / 10) ** 2, rel=0.05)  # n grows with 1 / lift²
    assert f"{ratio:.1f} times" in l07.q1.success and "Halving" not in l07.q1.success


def test_hints_nudge_without_giving_the_solution_code():
    for p in l07.PROBLEMS:
        if p.solution_code and not p.solution_code.startswith("#"):
            code_lines = [ln.strip() for ln in p.solution_code.splitlines() if ln.strip()]
            assert not any(ln in p._hint for ln in code_lines if len(ln) > 20), p.name
    assert "seed=0" not in l07.q4._hint and "regret[:, -1]" not in l07.q4._hint


def test_another_seed_is_not_called_a_rounding_problem():
    other_seed = float((l07.ex.simulate_bandit(l07.ex.EpsilonGreedy(0.0), l07.BANNER_RATES,
                                               n_rounds=3_000, n_runs=200, seed=1)[:, -1] > 0).mean())
    message = l07.q4.grade(other_seed).message
    assert "rounding" not in message and "decimal" not in message
