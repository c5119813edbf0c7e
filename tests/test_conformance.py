"""Common tests: every public function has a bad-input spec, every estimator conforms.

The bad-input specs live in ``tests/test_bad_input_<module>.py`` (machinery:
``tests/badinput.py``); the estimator cases in the same files (``tests/conformance.py``).
Adding a public function or estimator without declaring it fails here, so new lessons get
the same checks for free.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import pkgutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from badinput import _snapshot, assert_not_mutated, raised_by_us
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError

import mkt_lessons

TESTS = Path(__file__).resolve().parent
SPEC_MODULES = [importlib.import_module(p.stem) for p in sorted(TESTS.glob("test_bad_input_*.py"))]
SPECS = [s for m in SPEC_MODULES for s in getattr(m, "SPECS", [])]
CASES = [c for m in SPEC_MODULES for c in getattr(m, "ESTIMATORS", [])]
CASE_IDS = [c.id for c in CASES]  # a list, not a callable: pytest 8.0 calls it on the empty-set placeholder
# Modules with no public callables of their own to check, or checked elsewhere.
NOT_CHECKED = {"exercises"}  # learner-facing checker: graded answers never raise (tests/test_exercises_*)
OPTIONAL = {"scale": "pyspark"}  # imported only where its optional extra is installed


def _public_modules():
    for info in pkgutil.iter_modules(mkt_lessons.__path__):
        if info.name.startswith("_") or info.name in NOT_CHECKED:
            continue
        if info.name in OPTIONAL and importlib.util.find_spec(OPTIONAL[info.name]) is None:
            continue
        yield importlib.import_module(f"mkt_lessons.{info.name}")


def _public_callables():
    funcs, estimators = [], []
    for mod in _public_modules():
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if getattr(obj, "__module__", None) != mod.__name__:
                continue  # re-exported from another module: checked there
            if inspect.isfunction(obj):
                funcs.append(f"{mod.__name__.replace('mkt_lessons.', '')}.{obj.__qualname__}")
            elif inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                estimators.append(obj)
    return funcs, estimators


FUNCS, ESTIMATOR_CLASSES = _public_callables()


@pytest.mark.parametrize("mod", list(_public_modules()), ids=lambda m: m.__name__)
def test_every_module_declares_its_public_names(mod):
    """``__all__`` lists every public function and class the module defines (and nothing else)."""
    assert hasattr(mod, "__all__"), f"{mod.__name__} has no __all__"
    defined = {n for n, o in vars(mod).items() if not n.startswith("_")
               and (inspect.isfunction(o) or inspect.isclass(o))
               and getattr(o, "__module__", None) == mod.__name__}
    missing = sorted(defined - set(mod.__all__))
    assert not missing, f"{mod.__name__}: public names missing from __all__: {missing}"
    unknown = [n for n in mod.__all__ if not hasattr(mod, n)]
    assert not unknown, f"{mod.__name__}.__all__ names what it does not have: {unknown}"


def test_every_public_function_has_a_bad_input_spec():
    declared = {s.id for s in SPECS}
    missing = [f for f in FUNCS if f not in declared]
    assert not missing, f"public functions without a bad-input spec: {missing}"


def test_every_estimator_has_a_conformance_case_and_a_fit_spec():
    declared = {c.cls for c in CASES}
    missing = [c.__name__ for c in ESTIMATOR_CLASSES if c not in declared]
    assert not missing, f"estimators without a conformance case: {missing}"
    spec_ids = {s.id for s in SPECS}
    no_fit = [c.__name__ for c in ESTIMATOR_CLASSES
              if not any(i.endswith(f".{c.__name__}.fit") for i in spec_ids)]
    assert not no_fit, f"estimators whose fit has no bad-input spec: {no_fit}"


def test_bad_input_suite_size():
    """The suite is big enough to mean something (its size is in the closing note)."""
    from badinput import mutations

    n = sum(1 for s in SPECS for _ in mutations(s))
    assert len(SPECS) >= len(FUNCS) and n >= 5 * len(SPECS)


# --------------------------------------------------------------------------- estimators
def _same(a, b) -> bool:
    if isinstance(a, pd.DataFrame | pd.Series):
        return a.equals(b)
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b, equal_nan=True)
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_clone_and_init_only_stores(case):
    est = case.cls(**case.params)
    params = est.get_params(deep=False)
    sig = inspect.signature(case.cls.__init__)
    assert set(params) == {p for p in sig.parameters if p != "self"}
    for k, v in case.params.items():
        assert params[k] is v, f"__init__ must store {k} unchanged"
    assert not [a for a in vars(est) if a.endswith("_") and not a.startswith("_")], \
        "__init__ must not set learned (*_) attributes"
    twin = clone(est)
    assert type(twin) is type(est) and twin.get_params(deep=False).keys() == params.keys()
    repr(est)  # sklearn's repr must not fail


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_unfitted_raises_not_fitted(case):
    est = case.cls(**case.params)
    args, kwargs = case.data()
    with pytest.raises(NotFittedError):
        case.output(est, args, kwargs)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_fit_returns_self_learns_and_leaves_inputs(case):
    est = case.cls(**case.params)
    args, kwargs = case.data()
    before = _snapshot({**{f"arg{i}": a for i, a in enumerate(args)}, **kwargs})
    assert est.fit(*args, **kwargs) is est
    assert_not_mutated(before, {**{f"arg{i}": a for i, a in enumerate(args)}, **kwargs},
                       f"{case.id}.fit")
    assert [a for a in vars(est) if a.endswith("_") and not a.startswith("_")], \
        "fit must leave its learned state in attributes ending in _"
    case.output(est, args, kwargs)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_deterministic_with_random_state(case):
    params = dict(case.params)
    if "random_state" in case.cls().get_params():
        params.setdefault("random_state", 0)
    args, kwargs = case.data()
    a = case.output(case.cls(**params).fit(*copy.deepcopy(args), **copy.deepcopy(kwargs)), args, kwargs)
    b = case.output(case.cls(**params).fit(*copy.deepcopy(args), **copy.deepcopy(kwargs)), args, kwargs)
    assert _same(a, b)


@pytest.mark.parametrize(("case", "bad"), [(c, b) for c in CASES for b in c.bad_params],
                         ids=lambda x: x.id if hasattr(x, "id") else str(x))
def test_bad_params_refused_at_fit(case, bad):
    est = case.cls(**{**case.params, **bad})  # __init__ only stores: no error yet
    args, kwargs = case.data()
    with pytest.raises((ValueError, TypeError)) as info:
        est.fit(*args, **kwargs)
    assert raised_by_us(info.value), f"{case.id}{bad}: the error came from inside a library"
    assert any(k in str(info.value) for k in bad), \
        f"{case.id}{bad}: the message does not name the parameter: {info.value}"
