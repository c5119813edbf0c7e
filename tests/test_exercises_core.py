"""The exercise checker core: blanks, right and wrong answers, messages that do not leak."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mkt_lessons.exercises import (
    FunctionProblem,
    ThoughtProblem,
    ValueProblem,
    ____,
    collect,
    compare,
)


def make_value(expected, **kw):
    return ValueProblem("answer", lambda: expected, hint="think", solution="answer = 42", **kw)


def test_blank_is_not_attempted():
    r = make_value(42).grade(____)
    assert r.status == "blank" and "Not attempted yet" in r.message


def test_right_and_wrong_number():
    p = make_value(42.0)
    assert p.grade(42).correct
    assert p.grade(42.0 + 1e-12).correct
    wrong = p.grade(30)
    assert wrong.status == "incorrect" and "too low" in wrong.message
    assert "42" not in wrong.message  # never gives the answer away
    assert "too high" in p.grade(50).message
    assert "Close" in p.grade(42.5).message


def test_percentage_instead_of_fraction_gets_a_targeted_message():
    assert "factor of 100" in make_value(0.25).grade(25.0).message


def test_known_mistake_gets_its_own_message():
    p = make_value(10, mistakes=[(lambda: 12, "You counted lines, not orders.")])
    assert "counted lines" in p.grade(12).message
    assert p.grade(10).correct


def test_type_errors_are_explained_not_raised():
    p = make_value(3)
    assert "Expected a number" in p.grade("3").message
    assert "Expected a number" in p.grade(True).message
    assert "NaN" in p.grade(float("nan")).message


def test_strings_sets_lists_dicts():
    assert make_value("Kitchen").grade(" kitchen ").correct
    assert not make_value("kitchen").grade("bath").correct
    s = make_value({"a", "b", "c"})
    assert s.grade(["c", "b", "a"]).correct
    wrong_item = s.grade({"a", "b", "z"}).message
    assert "does not belong" in wrong_item and "3" not in wrong_item  # never the answer's size
    assert "some are missing" in s.grade({"a"}).message
    assert "one piece of text" in s.grade("abc").message  # not split into letters
    assert make_value([1, 2, 3]).grade(np.array([1, 2, 3])).correct
    assert "Expected 3 values" in make_value([1, 2, 3]).grade([1, 2]).message
    assert make_value([3, 1, 2], ordered=False).grade([1, 2, 3]).correct
    assert "Entry 'x'" in make_value({"x": 1.0}).grade({"x": 2.0}).message


def test_dataframes_and_series():
    want = pd.DataFrame({"customer_id": ["C1", "C2"], "frequency": [3, 1]})
    p = make_value(want)
    assert p.grade(want.copy()).correct
    assert "lacks the column(s) ['frequency']" in p.grade(want[["customer_id"]]).message
    assert "rows" in p.grade(want.iloc[:1]).message
    assert "Column `frequency` differs" in p.grade(want.assign(frequency=[3, 2])).message
    ser = make_value(pd.Series([1.0, 2.0], index=["a", "b"]))
    assert ser.grade(pd.Series([2.0, 1.0], index=["b", "a"])).correct
    assert not ser.grade(pd.Series([1.0, 2.0], index=["x", "y"])).correct


def test_check_reads_the_callers_variable(capsys):
    p = make_value(7)
    globals()["answer"] = 7  # check() reads the caller's module globals, as in a notebook
    try:
        p.check()
        assert "Correct!" in capsys.readouterr().out
        globals()["answer"] = ____
        p.check()
        assert "Not attempted yet" in capsys.readouterr().out
    finally:
        del globals()["answer"]
    p.check()
    assert "can't find a variable named `answer`" in capsys.readouterr().out


def test_hint_and_solution_print(capsys):
    p = ValueProblem("x", lambda: 1, hint="Use nunique.", solution="x = 1", explanation="Because.")
    p.hint()
    p.solution()
    out = capsys.readouterr().out
    assert "Use nunique." in out and "x = 1" in out and "Because." in out


def test_function_problem():
    def ref(values):
        return sum(values) / len(values)

    p = FunctionProblem("mean_of", ref, lambda: [([1, 2, 3],), ([5.0],)], hint="h", solution="")
    assert p.grade(lambda v: sum(v) / len(v)).correct
    assert "test case 1" in p.grade(lambda v: max(v)).message
    assert "raised ZeroDivisionError" in p.grade(lambda v: 1 / 0).message
    assert "should be a function" in p.grade(3).message
    assert p.grade(lambda v: ____).status == "blank"  # the body is not written yet


def test_a_mistake_that_equals_the_answer_does_not_mark_it_wrong():
    p = ValueProblem("x", lambda: 4, hint="h", solution="x = 4",
                     mistakes=[(lambda: 2 + 2, "You added instead of multiplying.")])
    assert p.grade(4).correct  # 2 + 2 == 2 * 2: the data cannot tell the mistake apart
    p = ValueProblem("x", lambda: 6, hint="h", solution="x = 6",
                     mistakes=[(lambda: 5, "You added instead of multiplying.")])
    assert "added" in p.grade(5).message


def test_function_problem_recognises_a_known_mistake():
    def ref(values):
        return sum(values) / len(values)

    def median_ish(values):
        return sorted(values)[len(values) // 2]

    p = FunctionProblem("mean_of", ref, lambda: [([1, 2, 9],), ([4.0],)], hint="h", solution="",
                        mistakes=[(median_ish, "That is the middle value, not the mean.")])
    assert p.grade(median_ish).message.startswith("Not quite. That is the middle value")
    assert "test case 1" in p.grade(lambda v: max(v)).message  # no mistake matches: generic
    assert p.grade(lambda v: 1 / 0).status == "incorrect"      # a crash never matches a mistake
    assert p.grade(ref).correct


def test_function_problem_catches_input_mutation_safely():
    def ref(df):
        return df["a"].sum()

    def mutating(df):
        df["a"] = 0
        return 6

    case = pd.DataFrame({"a": [1, 2, 3]})
    p = FunctionProblem("f", ref, lambda: [(case,)], hint="h", solution="")
    p.grade(mutating)
    assert case["a"].tolist() == [1, 2, 3]  # the checker hands out copies


def test_thought_problem(capsys):
    t = ThoughtProblem("t", explanation="Peek only to grade.")
    assert t.grade().status == "blank"
    t.solution()
    assert "Peek only to grade." in capsys.readouterr().out


def test_a_crashing_comparison_gives_feedback_not_a_traceback():
    p = make_value(pd.DataFrame({"a": [1]}))

    class Weird:
        shape = (1,)

    assert p.grade(Weird()).status == "incorrect"


def test_collect_names_problems():
    ns = {"q1": make_value(1), "q2": make_value(2), "other": 3}
    probs = collect(ns)
    assert [p.name for p in probs] == ["q1", "q2"]


def test_compare_plain():
    assert compare(1, 1) is None
    assert compare(np.float64(0.1 + 0.2), 0.3) is None


def test_var_must_be_an_identifier():
    with pytest.raises(ValueError, match="var must be a Python variable name"):
        ValueProblem("not a name", lambda: 1, hint="", solution="")


def test_near_misses_get_a_message_that_fits_the_kind_of_error():
    count = make_value(42)
    off_by_one = count.grade(41).message
    assert "count must match exactly" in off_by_one and "rounding" not in off_by_one
    assert "42" not in off_by_one
    share = make_value(0.68)
    other_seed = share.grade(0.69).message  # the same simulation with another seed
    assert "random seed" in other_seed and "rounding" not in other_seed
    assert "0.68" not in other_seed
    precise = make_value(2.718281828)
    assert "decimal(s)" in precise.grade(2.718).message  # a rounded copy of the right number
    assert "decimal(s)" not in precise.grade(2.71).message  # 2.71 is not 2.718... rounded
