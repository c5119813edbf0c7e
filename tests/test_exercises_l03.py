"""Exercise checkers of lesson 03: solutions pass, typical mistakes fail, blanks say so."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from mkt_lessons.exercises import l03


@pytest.fixture(scope="module")
def ns():
    return l03.namespace()


def test_there_are_three_to_five_problems():
    assert 3 <= len(l03.PROBLEMS) <= 5
    assert [p.name for p in l03.PROBLEMS] == ["q1", "q2", "q3", "q4", "q5"]


def _wrong_normal_equations(X, y):
    return X.T @ y / np.diag(X.T @ X)  # one feature at a time, ignores the correlations


def _stray_sigmoid_grad(b, X, y):
    p = 1 / (1 + np.exp(-(X @ b)))
    return X.T @ ((p - y) * p * (1 - p)) / len(y)


def _sum_not_mean_grad(b, X, y):
    p = 1 / (1 + np.exp(-(X @ b)))
    return X.T @ (p - y)


WRONG = {
    "q1": [_wrong_normal_equations, "not a function"],
    "q2": ["customers per dollar", "naive", 45.0],
    "q3": ["reversed", "coefficient interval"],
    "q4": [_stray_sigmoid_grad, _sum_not_mean_grad],
    "q5": ["july", "count", "below only", 0.5],
}


def _resolve(name, wrong, ns):
    fit, naive = ns["fit_season"], ns["fit_naive"]
    oct_pred = ns["lpm"].predict(l03.repurchase_features(ns["repurchase_oct"]))
    table = {
        ("q2", "customers per dollar"): fit.params["paid_search"],
        ("q2", "naive"): 1 / naive.params["paid_search"],
        ("q3", "reversed"): l03.q3.expected[::-1],
        ("q3", "coefficient interval"): tuple(fit.conf_int().loc["social"]),
        ("q5", "july"): float(((ns["lpm"].fitted < 0) | (ns["lpm"].fitted > 1)).mean()),
        ("q5", "count"): int(((oct_pred < 0) | (oct_pred > 1)).sum()),
        ("q5", "below only"): float((oct_pred < 0).mean()),
    }
    return table.get((name, wrong), wrong) if isinstance(wrong, str) else wrong


@pytest.mark.parametrize("name,wrong", [(k, w) for k, ws in WRONG.items() for w in ws])
def test_wrong_answers_grade_incorrect(name, wrong, ns):
    problem = next(p for p in l03.PROBLEMS if p.name == name)
    result = problem.grade(_resolve(name, wrong, ns))
    assert result.status == "incorrect", result.message


def test_targeted_messages(ns):
    fit, naive = ns["fit_season"], ns["fit_naive"]
    assert "season" in l03.q2.grade(1 / naive.params["paid_search"]).message
    assert "upside down" in l03.q3.grade(l03.q3.expected[::-1]).message
    lpm = ns["lpm"]
    assert "July" in l03.q5.grade(float(((lpm.fitted < 0) | (lpm.fitted > 1)).mean())).message
    assert "per dollar" in l03.q2.grade(fit.params["paid_search"]).message


def test_references_agree_with_statsmodels(ns):
    # the expected answers, recomputed with an independent library
    ref = sm.OLS(ns["y"], sm.add_constant(ns["X_season"])).fit()
    assert l03.q2.expected == pytest.approx(1 / ref.params["paid_search"], rel=1e-8)
    low, high = ref.conf_int().loc["social"]
    assert l03.q3.expected == pytest.approx((1 / high, 1 / low), rel=1e-8)
    lpm = sm.OLS(ns["repurchase"]["repurchased"], sm.add_constant(ns["features"])).fit()
    oct_features = sm.add_constant(l03.repurchase_features(ns["repurchase_oct"]))
    pred = lpm.predict(oct_features).to_numpy()
    assert l03.q5.expected == pytest.approx(((pred < 0) | (pred > 1)).mean(), rel=1e-12)


def test_namespace_has_what_the_exercises_use(ns):
    for name in ("np", "pd", "rg", "weekly", "channels", "X_season", "y", "fit_naive",
                 "fit_season", "repurchase", "features", "repurchase_oct", "logit", "lpm",
                 "l03"):
        assert name in ns
    assert (ns["weekly"]["days_in_window"] == 7).all()
    assert ns["logit"].converged


def test_q4_headline_mistakes_are_named_and_the_input_shown():
    stray = l03.q4.grade(_stray_sigmoid_grad).message
    assert "p(1 − p)" in stray and "½·mean((p − y)²)" in stray
    assert "The input it fails on: b = [" in stray  # the small first case, in full
    assert "mean" in l03.q4.grade(_sum_not_mean_grad).message
    assert "sign" in l03.q4.grade(lambda b, X, y: -l03._grad_reference(b, X, y)).message


def test_q2_q3_accept_answers_rounded_as_displayed():
    # the lesson's table shows CPAs to cents: what a learner copies from it must pass
    assert l03.q2.grade(round(l03.q2.expected, 2)).correct
    assert l03.q3.grade(tuple(round(v, 2) for v in l03.q3.expected)).correct
    assert not l03.q2.grade(round(l03.q2.expected, 2) + 0.01).correct
    assert not l03.q2.grade(round(l03.q2.expected)).correct  # to whole dollars is too coarse


def test_hints_nudge_rather_than_give_code():
    for problem in l03.PROBLEMS:
        for code in ("X.T @", "np.linalg.solve", "fit_season.params[", "(p − y) divided",
                     "Xᵀ(p − y)"):
            assert code not in problem._hint, (problem.name, code)
