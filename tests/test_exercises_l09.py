"""Lesson 09 exercises: every solution grades correct, typical wrong answers get their targeted
message, the blank grades 'blank', and the expected answers agree with independent
computations (a hand count, scikit-learn's layout, finite differences, SVC)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier as SkMLP

from mkt_lessons import neural
from mkt_lessons.exercises import ____, l09


def _run(code: str) -> dict:
    ns = l09.namespace()
    exec(code, ns)
    return ns


@pytest.mark.parametrize("problem", [p for p in l09.PROBLEMS if p.var != "q5_answer"],
                         ids=lambda p: p.name)
def test_solution_grades_correct(problem):
    ns = _run(problem.solution_code)
    result = problem.grade(ns[problem.var])
    assert result.status == "correct", result.message


@pytest.mark.parametrize("problem", l09.PROBLEMS, ids=lambda p: p.name)
def test_blank_grades_blank(problem):
    assert problem.grade(____).status == "blank"


def _blank_body(delta_out, W2, H):
    return ____


WRONG = {
    "q1": [(664, "weights only"), (698, "one output unit"), (689.0 * 2, "too high")],
    "q2": [({"A"}, "not the only one"), ({"C"}, "not the only one"), ({"B"}, "passes"),
           ({"A", "B"}, "does not belong")],
    "q3": [(lambda d, W2, H: d @ W2.T, "derivative"),
           (lambda d, W2, H: (d @ W2.T) * H, "activation H itself"),
           (lambda d, W2, H: d @ W2.T @ H.T, "Expected shape"),
           (lambda d, W2, H: d @ W2 * (H > 0), "raised")],
    "q4": [(l09._support_share("misclassified"), "misclassified"),
           (l09._support_share("zero_one"), "2y - 1"), (1.0, "too high")],
}


@pytest.mark.parametrize("name,wrong,fragment",
                         [(k, w, f) for k, items in WRONG.items() for w, f in items])
def test_wrong_answers_grade_incorrect(name, wrong, fragment):
    result = getattr(l09, name).grade(wrong)
    assert result.status == "incorrect"
    assert fragment in result.message, result.message


def test_unfinished_function_grades_blank():
    assert l09.q3.grade(_blank_body).status == "blank"


def test_parameter_count_equals_sklearn_layout():
    """q1's count equals the size of scikit-learn's coefs_/intercepts_ for the same layers."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, l09.N_INPUTS)), np.arange(40) % 2
    with pytest.warns(Warning):  # one iteration only: scikit-learn warns it did not converge
        sk = SkMLP(hidden_layer_sizes=l09.HIDDEN, max_iter=1, random_state=0).fit(X, y)
    count = sum(w.size for w in sk.coefs_) + sum(b.size for b in sk.intercepts_)
    assert l09.q1.expected == count == 689  # 33*16+16 + 16*8+8 + 8+1, by hand


def test_wrong_gradients_are_the_seeded_mistakes():
    """q2's answer, recomputed here with our own finite differences on another sample."""
    ns = l09.namespace()
    X, y = ns["Z_tr"][-150:], ns["y"][-150:]
    W, b = [ns["W1"], ns["W2"]], [ns["b1"], ns["b2"]]
    theta = np.concatenate([w.ravel() for w in W] + [c for c in b])

    def loss(th):
        W1 = th[:W[0].size].reshape(W[0].shape)
        W2 = th[W[0].size:W[0].size + W[1].size].reshape(W[1].shape)
        b1, b2 = th[-17:-1], th[-1:]
        p = 1 / (1 + np.exp(-(np.maximum(X @ W1 + b1, 0) @ W2 + b2)))[:, 0]
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    eps = 1e-6
    numeric = np.array([(loss(theta + eps * e) - loss(theta - eps * e)) / (2 * eps)
                        for e in np.eye(len(theta))])
    wrong = set()
    for label, g in ns["candidates"].items():
        gW, gb = g(X, y, W, b)
        analytic = np.concatenate([a.ravel() for a in [*gW, *gb]])
        if np.abs(analytic - numeric).max() > 1e-6:
            wrong.add(label)
    assert wrong == l09.q2.expected == {"A", "C"}


def test_support_share_against_the_definition():
    ns = l09.namespace()
    svm, Z, y = ns["svm"], ns["Z_tr"], ns["y"]
    margins = np.where(y == 1, 1.0, -1.0) * (Z @ svm.coef_[0] + svm.intercept_[0])
    assert l09.q4.expected == pytest.approx(np.mean(margins <= 1))
    assert 0 < l09._support_share("misclassified") < l09.q4.expected < 1
    # the namespace's SVM is the lesson's: same objective as an exact solver would reach
    assert isinstance(svm, neural.LinearSVM) and svm.C == l09.SVM_C


def test_namespace_returns_fresh_copies():
    a = l09.namespace()
    a["Z_tr"][0, 0] += 1.0
    a["y"][0] = 1 - a["y"][0]
    b = l09.namespace()
    assert b["Z_tr"][0, 0] != a["Z_tr"][0, 0] and b["y"][0] != a["y"][0]


def test_thought_problem_prints_discussion(capsys):
    l09.q5.check()
    l09.q5.solution()
    out = capsys.readouterr().out
    assert "think about" in out and "images" in out


def test_q4_accepts_a_share_rounded_to_three_decimals():
    assert l09.q4.grade(round(l09.q4.expected, 3)).correct
    assert not l09.q4.grade(round(l09.q4.expected, 3) + 0.002).correct


def test_hints_nudge_rather_than_give_code():
    for problem in l09.PROBLEMS:
        for code in ("check_gradient(", "@ W2.T", "decision_function(", "2 * y - 1", "H > 0`"):
            assert code not in problem._hint, (problem.name, code)
