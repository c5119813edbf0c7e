"""Machinery of the bad-input suite (DESIGN §7; like scikit-learn's common tests).

Each public function declares **one valid call** and the **roles** of its arguments; the
suite derives the bad calls from them and checks every one:

1. it raises the exception the policy of ``mkt_lessons/_validation.py`` prescribes for
   that kind of mistake (TypeError for a wrong type, ValueError for a wrong value) - a
   returned result is a *silent result* and fails;
2. the exception is raised by our code (the innermost frame is in ``mkt_lessons/``), not
   from deep inside pandas/NumPy/SciPy - a *library traceback* fails;
3. its message names the argument or column;
4. no input was modified (nor by the valid call).

Usage, in ``tests/test_bad_input_<module>.py``::

    from badinput import Spec, Table, Size, Real, Date, Option, Array, Flag, make_tests

    SPECS = [
        Spec(features.rfm_table, lambda: dict(orders=tiny_orders(), snapshot_date="2024-01-10"),
             roles={"orders": Table(ids=["customer_id"], numeric=["revenue"],
                                    dates=["order_date"]),
                    "snapshot_date": Date(outside=["1999-01-01"])}),
    ]
    test_bad_input, test_valid_call = make_tests(SPECS)

A mutation that is legitimately accepted (an empty table where an empty result is the right
answer) is listed in ``Spec(accept={"empty:orders": "why"})`` with its reason; the reason is
shown in the test id's skip message, so nothing is hidden.
"""

from __future__ import annotations

import copy
import dataclasses
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import mkt_lessons

PACKAGE_DIR = Path(mkt_lessons.__file__).resolve().parent


# --------------------------------------------------------------------------- roles
@dataclasses.dataclass
class Table:
    """A DataFrame argument. Every listed column gets its own mutations."""

    required: Sequence[str] = ()   # must exist (dropped -> ValueError)
    ids: Sequence[str] = ()        # keys: a NaN -> ValueError
    numeric: Sequence[str] = ()    # numbers: stored as text -> TypeError; NaN -> ValueError
    dates: Sequence[str] = ()      # dates: as text -> TypeError; tz-aware, NaT -> ValueError
    nan_ok: Sequence[str] = ()     # numeric columns where a NaN is legitimately allowed
    empty: bool = True             # an empty table -> ValueError


@dataclasses.dataclass
class Size:
    """An integer argument within [low, high]."""

    low: int
    high: int | None = None


@dataclasses.dataclass
class Real:
    """A real-number argument within the interval (open ends as in check_real)."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False


@dataclasses.dataclass
class Date:
    """A single-date argument; ``outside`` lists dates that must be refused (outside the data)."""

    outside: Sequence[Any] = ()


@dataclasses.dataclass
class Option:
    """A string chosen from a fixed set (an unknown one -> ValueError)."""


@dataclasses.dataclass
class Flag:
    """A True/False argument (text or numbers -> TypeError)."""


@dataclasses.dataclass
class Array:
    """A one-dimensional array of numbers (or of labels with ``numeric=False``)."""

    numeric: bool = True
    empty: bool = True             # an empty array -> ValueError


@dataclasses.dataclass
class Spec:
    """One public callable, one valid call and the roles of its arguments."""

    func: Callable
    call: Callable[[], dict]       # keyword arguments of a valid call (built fresh each time)
    roles: dict[str, Any] = dataclasses.field(default_factory=dict)
    accept: dict[str, str] = dataclasses.field(default_factory=dict)
    name: str | None = None        # defaults to module.function
    extra: Sequence[tuple[str, Callable[[dict], dict], type]] = ()  # (id, mutate, exception)

    @property
    def id(self) -> str:
        if self.name:
            return self.name
        mod = getattr(self.func, "__module__", "?").replace("mkt_lessons.", "")
        return f"{mod}.{getattr(self.func, '__qualname__', repr(self.func))}"

    def run(self, kwargs: dict) -> Any:
        return self.func(**kwargs)


# --------------------------------------------------------------------------- mutations
Mutation = tuple[str, Callable[[dict], dict], type]


def _set(key: str, value: Any) -> Callable[[dict], dict]:
    def mutate(kw: dict) -> dict:
        kw[key] = value(kw[key]) if callable(value) else value
        return kw
    return mutate


def _first_nan(df: pd.DataFrame, col: str, value: Any = np.nan) -> pd.DataFrame:
    df = df.copy()
    df[col] = df[col].astype(object)
    df.iloc[0, df.columns.get_loc(col)] = value
    return df


def mutations(spec: Spec) -> Iterator[Mutation]:
    """Every bad call derived from ``spec``: (id, mutate(kwargs) -> kwargs, expected exception)."""
    for arg, role in spec.roles.items():
        if isinstance(role, Table):
            yield f"notframe:{arg}", _set(arg, lambda df: df.to_dict("list")), TypeError
            cols = list(dict.fromkeys([*role.required, *role.ids, *role.numeric, *role.dates]))
            for c in cols:
                yield f"missing:{arg}[{c}]", _set(arg, lambda df, c=c: df.drop(columns=c)), ValueError
            if role.empty:
                yield f"empty:{arg}", _set(arg, lambda df: df.iloc[:0]), ValueError
            for c in role.ids:
                yield f"nan_id:{arg}[{c}]", _set(arg, lambda df, c=c: _first_nan(df, c)), ValueError
            for c in role.numeric:
                yield (f"text:{arg}[{c}]",
                       _set(arg, lambda df, c=c: df.assign(**{c: df[c].astype(str)})), TypeError)
                if c not in role.nan_ok:
                    yield (f"nan:{arg}[{c}]",
                           _set(arg, lambda df, c=c: df.assign(**{c: df[c].astype(float)})
                                .pipe(_first_nan, c).astype({c: float})), ValueError)
            for c in role.dates:
                yield (f"textdate:{arg}[{c}]",
                       _set(arg, lambda df, c=c: df.assign(**{c: df[c].dt.strftime("%Y-%m-%d")})),
                       TypeError)
                yield (f"tz:{arg}[{c}]",
                       _set(arg, lambda df, c=c: df.assign(**{c: df[c].dt.tz_localize("UTC")})),
                       ValueError)
                yield (f"nat:{arg}[{c}]",
                       _set(arg, lambda df, c=c: _first_nan(df, c, pd.NaT).astype({c: df[c].dtype})),
                       ValueError)
        elif isinstance(role, Size):
            yield f"float:{arg}", _set(arg, 1.5), TypeError
            yield f"text:{arg}", _set(arg, "3"), TypeError
            yield f"bool:{arg}", _set(arg, True), TypeError
            yield f"below:{arg}", _set(arg, role.low - 1), ValueError
            if role.low > -1:
                yield f"negative:{arg}", _set(arg, -5), ValueError
            if role.high is not None:
                yield f"above:{arg}", _set(arg, role.high + 1), ValueError
        elif isinstance(role, Real):
            yield f"nan:{arg}", _set(arg, float("nan")), ValueError
            yield f"inf:{arg}", _set(arg, float("inf")), ValueError
            yield f"text:{arg}", _set(arg, "0.5"), TypeError
            if role.low is not None:
                yield f"below:{arg}", _set(arg, role.low - 1.0 if not role.low_open else role.low), ValueError
            if role.high is not None:
                yield f"above:{arg}", _set(arg, role.high + 1.0 if not role.high_open else role.high), ValueError
        elif isinstance(role, Date):
            yield f"baddate:{arg}", _set(arg, "not a date"), ValueError
            yield f"number:{arg}", _set(arg, 20240704), TypeError
            yield f"tz:{arg}", _set(arg, lambda d: pd.Timestamp(d).tz_localize("UTC")), ValueError
            for i, d in enumerate(role.outside):
                yield f"outside{i}:{arg}", _set(arg, d), ValueError
        elif isinstance(role, Option):
            yield f"unknown:{arg}", _set(arg, "no-such-option"), ValueError
        elif isinstance(role, Flag):
            yield f"text:{arg}", _set(arg, "yes"), TypeError
        elif isinstance(role, Array):
            yield f"scalar:{arg}", _set(arg, 3 if role.numeric else "x"), TypeError
            yield f"2d:{arg}", _set(arg, lambda a: np.asarray(a).reshape(-1, 1).repeat(2, 1)), ValueError
            if role.empty:
                yield f"empty:{arg}", _set(arg, lambda a: np.asarray(a)[:0]), ValueError
            if role.numeric:
                yield f"text:{arg}", _set(arg, lambda a: [str(v) for v in np.asarray(a)]), TypeError
                yield (f"nan:{arg}", _set(arg, lambda a: np.r_[np.nan, np.asarray(a, float)[1:]]),
                       ValueError)
            else:
                yield (f"nan:{arg}", _set(arg, lambda a: np.r_[np.array([None], dtype=object),
                                                              np.asarray(a, dtype=object)[1:]]),
                       ValueError)
        else:  # pragma: no cover - a spec error
            raise TypeError(f"unknown role {role!r} for {arg}")
    yield from spec.extra


# --------------------------------------------------------------------------- checks
def _snapshot(kwargs: dict) -> dict:
    return {k: copy.deepcopy(v) for k, v in kwargs.items()
            if isinstance(v, (pd.DataFrame, pd.Series, pd.Index, np.ndarray, list, dict))}


def _unchanged(before: Any, after: Any) -> bool:
    if isinstance(before, pd.DataFrame):
        return (isinstance(after, pd.DataFrame) and before.shape == after.shape
                and list(before.columns) == list(after.columns)
                and before.dtypes.astype(str).tolist() == after.dtypes.astype(str).tolist()
                and before.index.equals(after.index) and before.equals(after))
    if isinstance(before, (pd.Series, pd.Index)):
        return type(before) is type(after) and before.dtype == after.dtype and before.equals(after)
    if isinstance(before, np.ndarray):
        return before.dtype == after.dtype and np.array_equal(before, after, equal_nan=before.dtype.kind in "fc")
    try:
        return bool(before == after)
    except Exception:  # noqa: BLE001 - containers of arrays
        return repr(before) == repr(after)


def assert_not_mutated(before: dict, kwargs: dict, what: str) -> None:
    changed = [k for k, v in before.items() if not _unchanged(v, kwargs[k])]
    assert not changed, f"{what} modified its input(s) {changed}"


def raised_by_us(exc: BaseException) -> bool:
    """Whether the innermost frame of ``exc``'s traceback is in the mkt_lessons package."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and Path(frames[-1].filename).resolve().is_relative_to(PACKAGE_DIR)


def _names_in(mid: str) -> list[str]:
    """The argument and column named by a mutation id (``text:orders[revenue]``)."""
    target = mid.split(":", 1)[1] if ":" in mid else mid
    if "[" in target:
        arg, col = target[:-1].split("[", 1)
        return [col]
    return [target]


def check_bad_call(spec: Spec, mid: str, mutate: Callable[[dict], dict], expected: type) -> None:
    kwargs = mutate(spec.call())
    before = _snapshot(kwargs)
    try:
        result = spec.run(kwargs)
    except (TypeError, ValueError) as exc:
        assert raised_by_us(exc), (
            f"{spec.id} [{mid}]: {type(exc).__name__} came from inside a library, not from our "
            f"validation:\n{''.join(traceback.format_exception(exc)[-3:])}")
        assert isinstance(exc, expected), (
            f"{spec.id} [{mid}]: expected {expected.__name__} (the policy for this kind of "
            f"mistake), got {type(exc).__name__}: {exc}")
        msg = str(exc)
        names = _names_in(mid)
        assert any(n in msg for n in names), (
            f"{spec.id} [{mid}]: the message does not name {names}: {msg!r}")
    except Exception as exc:  # noqa: BLE001 - anything else is a traceback a learner did not cause
        pytest.fail(f"{spec.id} [{mid}]: raised {type(exc).__name__} instead of a clear "
                    f"{expected.__name__}:\n{''.join(traceback.format_exception(exc)[-3:])}")
    else:
        pytest.fail(f"{spec.id} [{mid}]: silent result - returned {type(result).__name__} "
                    f"instead of raising {expected.__name__}")
    assert_not_mutated(before, kwargs, f"{spec.id} [{mid}]")


def make_tests(specs: Sequence[Spec]):
    """Two parametrized tests over ``specs``: every bad call, and the valid call (no mutation)."""
    cases = []
    for spec in specs:
        for mid, mutate, expected in mutations(spec):
            marks = ()
            if mid in spec.accept:
                marks = (pytest.mark.skip(reason=f"accepted by design: {spec.accept[mid]}"),)
            cases.append(pytest.param(spec, mid, mutate, expected, id=f"{spec.id}-{mid}", marks=marks))
    unknown = [(s.id, m) for s in specs for m in s.accept
               if m not in {mid for mid, _, _ in mutations(s)}]
    if unknown:
        raise ValueError(f"accept= names mutations that do not exist: {unknown}")

    @pytest.mark.parametrize(("spec", "mid", "mutate", "expected"), cases)
    def test_bad_input(spec, mid, mutate, expected):
        check_bad_call(spec, mid, mutate, expected)

    @pytest.mark.parametrize("spec", specs, ids=[s.id for s in specs])
    def test_valid_call(spec):
        kwargs = spec.call()
        before = _snapshot(kwargs)
        spec.run(kwargs)
        assert_not_mutated(before, kwargs, f"{spec.id} (valid call)")

    return test_bad_input, test_valid_call


# --------------------------------------------------------------------------- small tables
def tiny_orders(n_customers: int = 6, seed: int = 0) -> pd.DataFrame:
    """A small clean order-line table in the bundled layout (fast to build, every column typed)."""
    rng = np.random.default_rng(seed)
    rows = []
    oid = 0
    for c in range(n_customers):
        for _ in range(1 + c % 3):
            oid += 1
            day = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 120)))
            for _ in range(1 + oid % 2):
                q = int(rng.integers(1, 3))
                price = float(rng.choice([12.5, 30.0, 80.0]))
                disc = float(rng.choice([0.0, 0.1]))
                rows.append((f"O{oid:04d}", day, f"C{c:03d}", f"P{int(rng.integers(0, 5)):02d}", q,
                             price, disc, round(q * price * (1 - disc), 2)))
    return pd.DataFrame(rows, columns=["order_id", "order_date", "customer_id", "product_id",
                                       "quantity", "unit_price", "discount", "revenue"])


def tiny_products(n: int = 5) -> pd.DataFrame:
    cats = ["kitchen", "bedding", "bath", "decor", "garden"]
    return pd.DataFrame({"product_id": [f"P{i:02d}" for i in range(n)],
                         "name": [f"Thing {i}" for i in range(n)],
                         "category": [cats[i % len(cats)] for i in range(n)],
                         "brand": ["B"] * n, "price": [12.5, 30.0, 80.0, 20.0, 45.0][:n],
                         "description": ["soft cotton"] * n})
