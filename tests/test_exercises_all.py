"""Every lesson's exercises: the shown solution passes its checker, a wrong answer fails,
and the blank says "not attempted". Runs over every mkt_lessons/exercises/lNN.py."""

from __future__ import annotations

import copy
import importlib
import pkgutil

import numpy as np
import pandas as pd
import pytest

import mkt_lessons.exercises as ex

MODULES = sorted(m.name for m in pkgutil.iter_modules(ex.__path__) if m.name[0] == "l" and m.name[1:].isdigit())
CASES = [(m, p.name) for m in MODULES for p in importlib.import_module(f"mkt_lessons.exercises.{m}").PROBLEMS]
_NS: dict[str, dict] = {}


def _namespace(module):
    if module.__name__.endswith(".l15"):  # lesson 15 runs in `make test-spark` (CI runs it)
        pytest.importorskip("pyspark", reason="lesson 15 needs the [spark] extra: make test-spark")
    if module.__name__ not in _NS:
        _NS[module.__name__] = module.namespace()
    return dict(_NS[module.__name__])  # fresh dict (objects shared; solutions must not mutate)


def _problem(mod_name, q):
    module = importlib.import_module(f"mkt_lessons.exercises.{mod_name}")
    return module, next(p for p in module.PROBLEMS if p.name == q)


def test_every_lesson_has_three_to_five_checked_exercises():
    for m in MODULES:
        module = importlib.import_module(f"mkt_lessons.exercises.{m}")
        assert 3 <= len(module.PROBLEMS) <= 6, m
        checked = [p for p in module.PROBLEMS if not isinstance(p, ex.ThoughtProblem)]
        assert len(checked) >= 2, m


@pytest.mark.parametrize("mod_name, q", CASES)
def test_solution_passes_and_blank_is_not_attempted(mod_name, q):
    module, p = _problem(mod_name, q)
    if isinstance(p, ex.ThoughtProblem):
        assert p.explanation, "a thought problem needs a discussion to reveal"
        return
    ns = _namespace(module)
    exec(compile(p.solution_code, f"<{mod_name}.{q} solution>", "exec"), ns)
    assert p.var in ns, f"solution does not set `{p.var}`"
    result = p.grade(ns[p.var])
    assert result.correct, result.message
    assert p.grade(ex.____).status == "blank"


def _perturb(value):
    if isinstance(value, (bool, np.bool_)):
        return not value
    if isinstance(value, (int, float, np.integer, np.floating)):
        return value * 1.5 + 1
    if isinstance(value, str):
        return value + " (wrong)"
    if isinstance(value, pd.DataFrame):
        return value.iloc[:-1] if len(value) > 1 else value.assign(**{value.columns[0]: 0})
    if isinstance(value, pd.Series):
        return value.iloc[:-1]
    if isinstance(value, (set, frozenset)):
        return set(list(value)[:-1]) | {"__not_an_item__"}
    if isinstance(value, dict):
        k = next(iter(value))
        return {**value, k: _perturb(value[k])}
    if isinstance(value, (list, tuple, np.ndarray)):
        return list(value)[:-1]
    return None


@pytest.mark.parametrize("mod_name, q", CASES)
def test_wrong_answers_fail(mod_name, q):
    module, p = _problem(mod_name, q)
    if isinstance(p, ex.ThoughtProblem):
        return
    if isinstance(p, ex.ValueProblem):
        for fn, _ in p.mistakes:
            assert p.grade(fn()).status == "incorrect"
        assert p.grade(_perturb(copy.deepcopy(p.expected))).status == "incorrect"
    elif isinstance(p, ex.FunctionProblem):
        assert p.grade(lambda *a, **k: None).status == "incorrect"
