"""Exercise checking for the notebooks.

In a notebook an exercise looks like this::

    from mkt_lessons.exercises import ____, l00
    n_paid_search = ____          # replace ____ with your answer
    l00.q1.check()                # says "not attempted yet" until you do

``check()`` finds the variable named by the problem in the notebook and prints one line:
correct, not attempted, or what is wrong (without giving the answer away).
``hint()`` and ``solution()`` print help. A trainer can reveal every solution at once with
``lNN.show_all_solutions()``.

Three small classes cover every exercise (after Kaggle's learntools):

* :class:`ValueProblem` - the answer is a value (number, text, list, set, Series, DataFrame)
  compared with a reference value that is computed, not typed in;
* :class:`FunctionProblem` - the answer is a function, run on test inputs against a
  reference function;
* :class:`ThoughtProblem` - a question to think about: no checker, a discussion to reveal.

Each lesson module (``l00``, ``l01`` ...) lists its problems in ``PROBLEMS`` and provides
``namespace()``, the variables the notebook has when the exercises start, so the tests can
run every solution through its checker.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


class _Blank:
    """The blank ``____``: a placeholder the checker recognises as "not attempted yet"."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def __call__(self, *args, **kwargs):  # `____(x)` in a blank function body also runs
        return self


____ = _Blank()
_MISSING = object()


@dataclass(frozen=True)
class Result:
    """Outcome of grading one answer: ``status`` is "correct", "incorrect" or "blank"."""

    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return self.message


class Problem:
    """One exercise. Subclasses implement :meth:`_grade`.

    Parameters
    ----------
    var : str
        Name of the notebook variable that holds the learner's answer.
    hint : str
        A nudge that does not give the answer away.
    solution : str
        Python code that produces the answer in ``var``; tests run it through the checker.
    explanation : str, optional
        Why the solution is right; printed with it.
    success : str, optional
        Extra line printed after a correct answer (the business meaning of the result).
    """

    def __init__(self, var: str, *, hint: str, solution: str, explanation: str = "",
                 success: str = "") -> None:
        if not var.isidentifier():
            raise ValueError(f"var must be a Python variable name, got {var!r}")
        self.var = var
        self._hint = hint.strip()
        self.solution_code = inspect.cleandoc(solution)
        self.explanation = explanation.strip()
        self.success = success.strip()
        self.name = var  # replaced by the lesson module's `qN` name in `collect()`
        self.lesson = ""  # the lesson module's name (`l05`), set by `collect()`

    @property
    def call_name(self) -> str:
        """How the notebook reaches this problem: ``l05.q1`` (notebooks import the lesson module)."""
        return f"{self.lesson}.{self.name}" if self.lesson else self.name

    # -- what a learner calls ------------------------------------------------------------
    def check(self, value: Any = _MISSING) -> None:
        """Check your answer: the notebook variable named ``var``, or ``value`` if given."""
        if value is _MISSING:
            frame = inspect.currentframe()
            caller = frame.f_back.f_globals if frame and frame.f_back else {}
            if self.var not in caller:
                print(f"[{self.call_name}] I can't find a variable named `{self.var}` yet: "
                      f"run the cell that sets `{self.var} = ...` first.")
                return
            value = caller[self.var]
        print(f"[{self.call_name}] {self.grade(value).message}")

    def hint(self) -> None:
        """Print a hint."""
        print(f"[{self.call_name}] Hint: {self._hint}")

    def solution(self) -> None:
        """Print the reference solution (try the hint first!)."""
        text = f"[{self.call_name}] Solution:\n\n{_indent(self.solution_code)}\n"
        if self.explanation:
            text += f"\n{self.explanation}\n"
        print(text)

    # -- grading -------------------------------------------------------------------------
    def grade(self, value: Any) -> Result:
        """Grade ``value`` and return a :class:`Result` (never raises for a learner's answer)."""
        if _is_blank(value):
            return Result("blank", f"Not attempted yet: replace ____ in `{self.var} = ____` "
                                   "with your answer, run the cell, then check again.")
        try:
            problem = self._grade(value)
        except Exception as exc:  # a learner's odd answer must give feedback, not a traceback
            problem = f"I could not check this answer ({type(exc).__name__}: {exc})."
        if problem is None:
            extra = f" {self.success}" if self.success else ""
            return Result("correct", f"Correct!{extra}")
        return Result("incorrect", f"Not quite. {problem} (Call `{self.call_name}.hint()` for a hint.)")

    def _grade(self, value: Any) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}: answer in `{self.var}`>"


class ValueProblem(Problem):
    """The answer is a value compared with a computed reference.

    Parameters
    ----------
    expected : callable
        No-argument function returning the reference answer (computed lazily, once).
    rtol, atol : float
        Tolerances for numbers and numeric arrays.
    ordered : bool
        For sequences: whether order matters (default True).
    mistakes : list of (callable, str)
        Known wrong answers: ``(fn, message)`` where ``fn()`` returns the value a typical
        mistake produces; a matching answer gets that targeted message.
    """

    def __init__(self, var: str, expected: Callable[[], Any], *, rtol: float = 1e-6,
                 atol: float = 1e-9, ordered: bool = True,
                 mistakes: Sequence[tuple[Callable[[], Any], str]] = (), **kw) -> None:
        super().__init__(var, **kw)
        self._expected_fn = expected
        self._expected = _MISSING
        self.rtol, self.atol, self.ordered = rtol, atol, ordered
        self.mistakes = list(mistakes)

    @property
    def expected(self) -> Any:
        if self._expected is _MISSING:
            self._expected = self._expected_fn()
        return self._expected

    def _grade(self, value: Any) -> str | None:
        verdict = compare(value, self.expected, self.rtol, self.atol, self.ordered)
        if verdict is None:  # right, even if a "mistake" happens to give the same value here
            return None
        for fn, message in self.mistakes:
            if compare(value, fn(), self.rtol, self.atol, self.ordered) is None:
                return message
        return verdict


class FunctionProblem(Problem):
    """The answer is a function; it must agree with ``reference`` on every test case.

    ``cases`` is a no-argument callable returning a list of argument tuples (so test data
    can be built lazily). Inputs are deep-copied so a function that modifies its input is
    caught by the comparison. ``mistakes`` lists known wrong functions ``(fn, message)``: a
    function that fails and agrees with ``fn`` on every case gets that targeted message.
    """

    def __init__(self, var: str, reference: Callable, cases: Callable[[], list[tuple]], *,
                 rtol: float = 1e-6, atol: float = 1e-9,
                 mistakes: Sequence[tuple[Callable, str]] = (), **kw) -> None:
        super().__init__(var, **kw)
        self.reference = reference
        self.cases = cases
        self.rtol, self.atol = rtol, atol
        self.mistakes = list(mistakes)

    def grade(self, value: Any) -> Result:
        """As :meth:`Problem.grade`; a function whose body still returns ``____`` is "blank"."""
        if callable(value) and not _is_blank(value):
            try:
                import copy

                first = self.cases()[0]
                untouched = _is_blank(value(*copy.deepcopy(first)))
            except Exception:  # graded (and explained) by _grade below
                untouched = False
            if untouched:
                return Result("blank", f"Not attempted yet: replace ____ in the body of "
                                       f"`{self.var}` with your code, run the cell, then check again.")
        return super().grade(value)

    def _grade(self, value: Any) -> str | None:
        import copy

        if not callable(value):
            return f"`{self.var}` should be a function (defined with `def`), got {_kind(value)}."
        cases = self.cases()
        for i, args in enumerate(cases, start=1):
            want = self.reference(*copy.deepcopy(args))
            try:
                got = value(*copy.deepcopy(args))
            except Exception as exc:
                return f"Your function raised {type(exc).__name__}: {exc} on test case {i}."
            if _is_blank(got):
                return "Your function still returns ____: finish its body."
            problem = compare(got, want, self.rtol, self.atol, True)
            if problem is not None:
                shown = self._show_case(args)
                mistake = self._mistake(value, cases)
                return f"{mistake} {shown}" if mistake else f"On test case {i}: {problem} {shown}"
        return None

    def _show_case(self, args: tuple) -> str:
        """The failing input, small enough to read (the learner can rerun it)."""
        try:
            names = list(inspect.signature(self.reference).parameters)[:len(args)]
        except (TypeError, ValueError):
            names = []
        names += [f"arg{k}" for k in range(len(names), len(args))]
        parts = [f"{n} = {_describe_input(a)}" for n, a in zip(names, args, strict=True)]
        if any("\n" in part for part in parts):  # a small table: one argument per line
            return "The input it fails on:\n" + "\n".join(parts)
        return "The input it fails on: " + "; ".join(parts) + "."

    def _mistake(self, value: Callable, cases: list[tuple]) -> str | None:
        import copy

        for fn, message in self.mistakes:
            try:
                if all(compare(value(*copy.deepcopy(a)), fn(*copy.deepcopy(a)),
                               self.rtol, self.atol, True) is None for a in cases):
                    return message
            except Exception:  # the learner's function failed on a case: no match
                continue
        return None


class ThoughtProblem(Problem):
    """A question to think about or discuss; there is nothing to check automatically."""

    def __init__(self, var: str = "thought", *, hint: str = "", solution: str = "",
                 explanation: str = "", **kw) -> None:
        super().__init__(var, hint=hint or "Discuss with a neighbour, then reveal.",
                         solution=solution or "# (discussion question)", explanation=explanation, **kw)

    def grade(self, value: Any = None) -> Result:
        return Result("blank", "This is a question to think about: write your answer down, "
                               f"then call `{self.call_name}.solution()` to compare.")

    def check(self, value: Any = _MISSING) -> None:
        print(f"[{self.call_name}] {self.grade().message}")

    def solution(self) -> None:
        print(f"[{self.call_name}] Discussion:\n\n{self.explanation}\n")


# --------------------------------------------------------------------------- comparison
def compare(got: Any, want: Any, rtol: float = 1e-6, atol: float = 1e-9,
            ordered: bool = True) -> str | None:
    """Return None if ``got`` matches ``want``, else a message saying what differs.

    The message describes the kind of difference (type, length, columns, too high or too
    low) without printing the expected value.
    """
    import pandas as pd

    if _is_blank(got):
        return "The answer still contains ____."
    if isinstance(want, pd.DataFrame):
        if not isinstance(got, pd.DataFrame):
            return f"Expected a DataFrame, got {_kind(got)}."
        missing = [c for c in want.columns if c not in got.columns]
        if missing:
            return f"Your table lacks the column(s) {missing}."
        extra = [c for c in got.columns if c not in want.columns]
        if extra:
            return f"Your table has column(s) that are not asked for: {extra}."
        if len(got) != len(want):
            return f"Your table has {len(got):,} rows; the answer has {len(want):,}."
        for col in want.columns:
            msg = compare(got[col].reset_index(drop=True), want[col].reset_index(drop=True),
                          rtol, atol, True)
            if msg is not None:
                return f"Column `{col}` differs: {msg}"
        return None
    if isinstance(want, pd.Series):
        if not isinstance(got, pd.Series):
            if isinstance(got, (list, tuple, np.ndarray)):
                got = pd.Series(got)
            else:
                return f"Expected a Series (one column of values), got {_kind(got)}."
        if len(got) != len(want):
            return f"Expected {len(want):,} values, got {len(got):,}."
        if not want.index.equals(pd.RangeIndex(len(want))) and not got.index.equals(want.index):
            if set(got.index) != set(want.index):
                return "The index (row labels) is not the one asked for."
            got = got.reindex(want.index)
        return compare(got.to_numpy(), want.to_numpy(), rtol, atol, True)
    if isinstance(want, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            return f"Expected True or False, got {_kind(got)}."
        return None if bool(got) == bool(want) else "That is the opposite of the right answer."
    if isinstance(want, (int, float, np.integer, np.floating)):
        if isinstance(got, (np.ndarray, pd.Series)) and np.size(got) == 1:
            got = np.asarray(got).item()
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
            return f"Expected a number, got {_kind(got)}."
        g, w = float(got), float(want)
        if math.isnan(w):
            return None if math.isnan(g) else "Expected a missing value (NaN)."
        if math.isnan(g):
            return "Your answer is NaN (a missing value): check for missing data in the inputs."
        if math.isclose(g, w, rel_tol=rtol, abs_tol=atol):
            return None
        if w != 0 and math.isclose(g, w, rel_tol=0.05):
            return _close_message(g, w, is_count=isinstance(want, (int, np.integer)))
        if w != 0 and g != 0 and math.isclose(abs(g / w), 100, rel_tol=0.01):
            return "Off by a factor of 100: percentage versus fraction?"
        return "Your number is too high." if g > w else "Your number is too low."
    if isinstance(want, str):
        if not isinstance(got, str):
            return f"Expected text (a string), got {_kind(got)}."
        return None if got.strip().lower() == want.strip().lower() else "That is not the right text."
    if isinstance(want, (set, frozenset)):
        if isinstance(got, (str, bytes)):  # set("abc") would split the text into letters
            return (f"Expected a collection of items, got one piece of text {got!r}: "
                    "put the names in a set, e.g. {'a', 'b'}.")
        try:
            got_set = set(got)
        except TypeError:
            return f"Expected a collection of items, got {_kind(got)}."
        if got_set == want:
            return None
        # say what kind of error, never how many items the answer has
        if got_set - want:
            return "At least one of your items does not belong."
        return "Every item you gave is right, but some are missing."
    if isinstance(want, Mapping):
        if not isinstance(got, Mapping):
            return f"Expected a dict, got {_kind(got)}."
        if set(got) != set(want):
            return "The keys are not the ones asked for."
        for k in want:
            msg = compare(got[k], want[k], rtol, atol, ordered)
            if msg is not None:
                return f"Entry {k!r}: {msg}"
        return None
    if isinstance(want, (list, tuple, np.ndarray)):
        if isinstance(got, (str, bytes)) or not isinstance(got, (Iterable, np.ndarray)):
            return f"Expected a list of values, got {_kind(got)}."
        g_arr, w_arr = np.asarray(list(got), dtype=object), np.asarray(list(want), dtype=object)
        if isinstance(got, np.ndarray):
            g_arr = np.asarray(got, dtype=object).ravel() if got.ndim else g_arr
        if isinstance(want, np.ndarray) and want.ndim > 1:
            if np.shape(got) != want.shape:
                return f"Expected shape {want.shape}, got {np.shape(got)}."
            g_arr, w_arr = np.asarray(got, dtype=object).ravel(), want.astype(object).ravel()
        if len(g_arr) != len(w_arr):
            return f"Expected {len(w_arr)} values, got {len(g_arr)}."
        if not ordered:
            try:
                g_arr, w_arr = np.sort(g_arr), np.sort(w_arr)
            except TypeError:
                g_arr = np.asarray(sorted(g_arr, key=str), dtype=object)
                w_arr = np.asarray(sorted(w_arr, key=str), dtype=object)
        for i, (g, w) in enumerate(zip(g_arr, w_arr, strict=True)):
            msg = compare(g.item() if isinstance(g, np.generic) else g,
                          w.item() if isinstance(w, np.generic) else w, rtol, atol, True)
            if msg is not None:
                return f"Item {i} ({'in sorted order' if not ordered else 'in your order'}) differs: {msg}"
        return None
    return None if got == want else "That is not the expected answer."


def _close_message(g: float, w: float, is_count: bool) -> str:
    """A near miss, described by its kind: a count off by a few, a rounded copy, or a
    slightly different computation (rows, a parameter, a random seed). Never the answer."""
    side = "a little too high" if g > w else "a little too low"
    if is_count:
        return (f"Close, but {side}: a count must match exactly. Check the edges of your "
                "filter (< versus <=, the first and last day) and rows counted twice or missed.")
    decimals = next((d for d in range(7) if round(g, d) == g), None)
    if decimals is not None and abs(g - w) <= 0.5 * 10.0 ** -decimals * (1 + 1e-9):
        return (f"Close: your number agrees with the answer to the {decimals} decimal(s) you "
                "typed, but the checker needs more digits: use the value your code computes, "
                "not a rounded copy.")
    return (f"Close, but {side}: the same method with slightly different rows, another "
            "parameter or another random seed gives a near number like this. Compare each "
            "of them with the question.")


def _is_blank(value: Any) -> bool:
    if isinstance(value, _Blank):
        return True
    if isinstance(value, (list, tuple, set)):
        return any(isinstance(v, _Blank) for v in value)
    return False


def _describe_input(value: Any) -> str:
    """A short, readable description of one test input (small inputs in full)."""
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        if len(value) <= 6:
            return f"the table\n{value.to_string()}"
        return f"a table of {len(value):,} rows (columns {list(value.columns)})"
    if isinstance(value, np.ndarray):
        if value.size <= 12:
            return np.array2string(np.round(value, 3), separator=", ").replace("\n", "")
        return f"an array of shape {value.shape}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"[:80] if not hasattr(value, "shape") else (
        f"{type(value).__name__} of shape {getattr(value, 'shape', '?')}")


def _indent(code: str) -> str:
    return "\n".join("    " + line for line in code.splitlines())


def collect(module_globals: dict) -> list[Problem]:
    """Name each problem after its variable in a lesson module (q1, q2 ...); return them in order."""
    problems = []
    lesson = str(module_globals.get("__name__", "")).rsplit(".", 1)[-1]
    for name, obj in module_globals.items():
        if isinstance(obj, Problem) and name.startswith("q"):
            obj.name = name
            obj.lesson = lesson if lesson[:1] == "l" and lesson[1:].isdigit() else ""
            problems.append(obj)
    return problems


def show_all_solutions(problems: Sequence[Problem]) -> None:
    """Print every solution (for trainers)."""
    for p in problems:
        p.solution()


def solutions_printer(problems: Sequence[Problem]) -> Callable[[], None]:
    """A lesson module's ``show_all_solutions()``: ``show_all_solutions = solutions_printer(PROBLEMS)``."""
    def show_all_solutions_of_lesson() -> None:
        """Print every solution of this lesson (for trainers)."""
        show_all_solutions(problems)

    return show_all_solutions_of_lesson


__all__ = ["____", "Problem", "ValueProblem", "FunctionProblem", "ThoughtProblem", "Result",
           "compare", "collect", "show_all_solutions", "solutions_printer"]
