"""Validation at the door: every public function checks its inputs here, and only here.

One kind of mistake raises one kind of exception, with one wording, in every module
(after statsmodels' ``tools/validation`` and scikit-learn's ``utils/validation``):

* **TypeError** - the value has the wrong *type*: not a DataFrame, text where a number is
  needed (``"12.50"``), a number column stored as text, dates stored as text, a float where
  a count is needed, ``True`` where a size is needed.
* **ValueError** - the type is right but the *value* is not: a missing column, an empty
  table, a missing id or date (NaN/NaT), a number out of range (negative size, probability
  above 1, NaN, infinity), an unknown option, a date outside the data, time-zone-aware
  dates (see below).

Every message names the argument (or ``table['column']``), says what was expected and what
came, e.g. ``orders['revenue'] must be numeric, got dtype str (convert it with
pd.to_numeric)``.

Dates
-----
The package works with **naive** dates in the shop's local time. Time-zone-aware dates (a
column of ``datetime64[ns, UTC]`` or a ``Timestamp('2024-07-04', tz='UTC')``) are refused
with a ValueError that shows the one-line conversion, never silently shifted: which local
day an order at 23:30 UTC belongs to is a business decision, not ours to guess.

These helpers return the checked (and, where stated, converted) value and never modify
their input.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["check_frame", "check_int", "check_real", "check_option", "check_bool", "check_1d",
           "check_date", "check_dates", "check_same_length", "check_str", "describe",
           "check_columns_exist"]

_TZ_FIX = ("this package works with naive local dates: convert first, e.g. "
           "`{expr}.dt.tz_convert('America/New_York').dt.tz_localize(None)`")


def describe(value: Any) -> str:
    """A short description of ``value`` for error messages: its type and (briefly) what it is."""
    if value is None:
        return "None"
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame with {len(value):,} rows and columns {list(value.columns)[:8]}"
    if isinstance(value, (pd.Series, pd.Index)):
        return f"a {type(value).__name__} of dtype {value.dtype} with {len(value):,} values"
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype} and shape {value.shape}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


# --------------------------------------------------------------------------- scalars
def _is_bool(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_))


def check_int(value: Any, name: str, *, low: int | None = None, high: int | None = None,
              allow_none: bool = False) -> int | None:
    """``value`` as a Python int within ``[low, high]``.

    Whole-number floats (``5.0``), text (``"5"``) and booleans are refused with a TypeError:
    a count given as ``5.5`` or ``True`` is almost always a slip.

    Examples
    --------
    >>> check_int(3, "k", low=1)
    3
    >>> check_int(0, "k", low=1)
    Traceback (most recent call last):
    ...
    ValueError: k must be an integer >= 1, got 0
    """
    if value is None and allow_none:
        return None
    expected = _range_text("an integer", low, high)
    if _is_bool(value) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be {expected}, got {describe(value)}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be {expected}, got {value}")
    return value


def check_real(value: Any, name: str, *, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False,
               allow_none: bool = False) -> float | None:
    """``value`` as a finite float within the interval given by ``low``/``high``.

    ``low_open``/``high_open`` exclude the end points (``low=0, low_open=True`` means > 0).
    NaN and infinity are refused (ValueError); text and booleans are refused (TypeError).

    Examples
    --------
    >>> check_real(0.05, "alpha", low=0, high=1, low_open=True, high_open=True)
    0.05
    >>> check_real("0.05", "alpha")
    Traceback (most recent call last):
    ...
    TypeError: alpha must be a number, got str '0.05'
    """
    if value is None and allow_none:
        return None
    expected = _range_text("a number", low, high, low_open, high_open)
    if _is_bool(value) or not isinstance(value, (numbers.Real, np.integer, np.floating)):
        raise TypeError(f"{name} must be {expected}, got {describe(value)}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be {expected} (finite), got {value}")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        raise ValueError(f"{name} must be {expected}, got {value:g}")
    return value


def _range_text(kind: str, low, high, low_open: bool = False, high_open: bool = False) -> str:
    if low is not None and high is not None:
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        return f"{kind} in {lo}{low:g}, {high:g}{hi}"
    if low is not None:
        return f"{kind} {'>' if low_open else '>='} {low:g}"
    if high is not None:
        return f"{kind} {'<' if high_open else '<='} {high:g}"
    return kind


def check_option(value: Any, name: str, options: Iterable[Any]) -> Any:
    """``value`` if it is one of ``options``; else a ValueError listing them.

    Examples
    --------
    >>> check_option("qr", "method", ["qr", "normal", "gd"])
    'qr'
    """
    options = list(options)
    try:
        ok = value in options
    except TypeError:  # unhashable or incomparable
        ok = False
    if not ok:
        shown = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {shown}; got {describe(value)}")
    return value


def check_bool(value: Any, name: str) -> bool:
    """``value`` if it is True or False (0/1 and text are refused with a TypeError)."""
    if not _is_bool(value):
        raise TypeError(f"{name} must be True or False, got {describe(value)}")
    return bool(value)


def check_str(value: Any, name: str, *, allow_empty: bool = False) -> str:
    """``value`` if it is a string (non-empty unless ``allow_empty``)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {describe(value)}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


# --------------------------------------------------------------------------- dates
def check_date(value: Any, name: str, *, low: Any = None, high: Any = None,
               normalize: bool = True, allow_none: bool = False) -> pd.Timestamp | None:
    """``value`` (a date string, ``datetime``, ``date`` or Timestamp) as a naive Timestamp.

    ``normalize`` drops the time of day (a cut-off means the end of that day elsewhere in
    the package). ``low``/``high`` bound the date, inclusive: use them to refuse a cut-off
    outside the data, and say so in ``name``'s docstring.

    Examples
    --------
    >>> check_date("2024-07-04", "cutoff")
    Timestamp('2024-07-04 00:00:00')
    >>> check_date("2024-13-45", "cutoff")
    Traceback (most recent call last):
    ...
    ValueError: cutoff must be a date such as '2024-07-04', got str '2024-13-45'
    """
    if value is None and allow_none:
        return None
    if _is_bool(value) or isinstance(value, (numbers.Number, np.number)) or value is None:
        raise TypeError(f"{name} must be a date such as '2024-07-04', got {describe(value)}")
    if isinstance(value, (pd.Series, pd.Index, np.ndarray, list, tuple, pd.DataFrame)):
        raise TypeError(f"{name} must be a single date such as '2024-07-04', got {describe(value)}")
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        if isinstance(value, str):
            raise ValueError(f"{name} must be a date such as '2024-07-04', "
                             f"got {describe(value)}") from None
        raise TypeError(f"{name} must be a date such as '2024-07-04', got {describe(value)}") from None
    if pd.isna(ts):
        raise ValueError(f"{name} must be a date, got a missing value ({describe(value)})")
    if ts.tz is not None:
        raise ValueError(f"{name} is time-zone aware ({ts}); "
                         "this package works with naive local dates: pass e.g. "
                         f"'{ts.tz_convert(None).date()}' or `ts.tz_localize(None)`")
    if normalize:
        ts = ts.normalize()
    lo = None if low is None else pd.Timestamp(low)
    hi = None if high is None else pd.Timestamp(high)
    if (lo is not None and ts < lo) or (hi is not None and ts > hi):
        span = f"between {_d(lo)} and {_d(hi)}" if lo is not None and hi is not None else (
            f"on or after {_d(lo)}" if lo is not None else f"on or before {_d(hi)}")
        raise ValueError(f"{name} must be a date {span}, got {_d(ts)}")
    return ts


def _d(ts: pd.Timestamp) -> str:
    return str(ts.date()) if ts == ts.normalize() else str(ts)


def check_dates(values: Any, name: str, *, allow_missing: bool = False) -> pd.Series:
    """A column or list of dates as a naive ``datetime64`` Series (a copy; input untouched).

    Text is refused with a TypeError (parse it first with ``pd.to_datetime``, deliberately,
    so that "03/04/2024" does not silently become 4 March or 3 April); time-zone-aware dates
    are refused with a ValueError; missing dates (NaT) are refused unless ``allow_missing``.
    """
    if isinstance(values, pd.DataFrame) or isinstance(values, (str, bytes)) or np.isscalar(values):
        raise TypeError(f"{name} must be a column of dates (a Series, DatetimeIndex or list), "
                        f"got {describe(values)}")
    if isinstance(values, pd.Series):
        s = values
    elif isinstance(values, pd.Index):
        s = pd.Series(values, name=values.name)
    else:
        try:
            arr = np.asarray(values)
        except Exception:  # noqa: BLE001 - ragged or odd objects
            raise TypeError(f"{name} must be a column of dates, got {describe(values)}") from None
        if arr.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
        if arr.dtype.kind == "M":
            s = pd.Series(arr)
        elif len(arr) and all(isinstance(v, pd.Timestamp) or v is pd.NaT for v in arr):
            s = pd.Series(pd.DatetimeIndex(list(arr)))
        else:
            s = pd.Series(arr)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        raise ValueError(f"{name} holds time-zone-aware dates ({s.dtype}); "
                         + _TZ_FIX.format(expr=name))
    if not pd.api.types.is_datetime64_dtype(s.dtype):
        raise TypeError(f"{name} must hold dates (datetime64), got dtype {s.dtype}; "
                        "parse text dates first with pd.to_datetime(..., format=...)")
    if not allow_missing and s.isna().any():
        raise ValueError(f"{name} has {int(s.isna().sum()):,} missing date(s) (NaT); "
                         "clean or drop them first (lesson 01)")
    return s.copy()


# --------------------------------------------------------------------------- arrays
def check_1d(values: Any, name: str, *, kind: str = "numeric", min_len: int = 1,
             length: int | None = None, finite: bool = True, low: float | None = None,
             high: float | None = None) -> np.ndarray:
    """A one-dimensional list/array/Series as a NumPy array (a copy).

    ``kind``: ``"numeric"`` (float array; text such as "12.5" is a TypeError),
    ``"binary"`` (0/1 or True/False, returned as int), ``"any"`` (labels/ids: no NaN).
    ``finite`` refuses NaN and infinity; ``low``/``high`` bound every value (inclusive);
    ``length`` requires an exact length (to line up with another argument).
    """
    check_option(kind, "kind", ["numeric", "binary", "any"])
    if isinstance(values, (str, bytes, dict, set)) or values is None or np.isscalar(values):
        raise TypeError(f"{name} must be a list, array or Series of values, got {describe(values)}")
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise ValueError(f"{name} must be one-dimensional, got {describe(values)}")
        values = values.iloc[:, 0]
    if isinstance(values, (pd.Series, pd.Index)):
        if isinstance(values.dtype, pd.CategoricalDtype) and kind != "any":
            raise TypeError(f"{name} must be numeric, got a categorical {describe(values)}")
        arr = values.to_numpy(dtype=object if kind == "any" else None)
    else:
        try:
            arr = np.asarray(values)
        except Exception:  # noqa: BLE001
            raise TypeError(f"{name} must be one-dimensional values, got {describe(values)}") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if len(arr) < min_len:
        raise ValueError(f"{name} must have at least {min_len} value(s), got {len(arr)}")
    if length is not None and len(arr) != length:
        raise ValueError(f"{name} must have {length:,} values (one per row of the other input), "
                         f"got {len(arr):,}")
    if kind == "any":
        missing = pd.isna(arr)
        if missing.any():
            raise ValueError(f"{name} has {int(missing.sum()):,} missing value(s)")
        return arr.copy()
    if arr.dtype.kind in "OUS":
        # Pandas' nullable/object columns of numbers are fine; text is not.
        try:
            numeric = np.array([_number_or_raise(v) for v in arr], dtype=float)
        except TypeError:
            bad = next(v for v in arr if not _is_number(v))
            raise TypeError(f"{name} must be numeric, got {describe(bad)} among its values "
                            "(convert text with pd.to_numeric)") from None
        arr = numeric
    elif arr.dtype.kind == "b":
        arr = arr.astype(float)
    elif arr.dtype.kind in "mM":
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    elif arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    arr = arr.astype(float, copy=True)
    if finite and not np.isfinite(arr).all():
        n_bad = int((~np.isfinite(arr)).sum())
        raise ValueError(f"{name} has {n_bad:,} missing or infinite value(s) (NaN/inf)")
    if kind == "binary":
        ok = np.isin(arr[np.isfinite(arr)], (0.0, 1.0))
        if not ok.all():
            bad = arr[np.isfinite(arr)][~ok][0]
            raise ValueError(f"{name} must hold only 0/1 (or False/True), got {bad:g}")
        return arr.astype(int)
    lo_bad = low is not None and (arr < low).any()
    hi_bad = high is not None and (arr > high).any()
    if lo_bad or hi_bad:
        bad = arr[(arr < low) if lo_bad else (arr > high)][0]
        raise ValueError(f"{name} must hold values {_range_text('', low, high).strip()}, "
                         f"got {bad:g}")
    return arr


def _is_number(v: Any) -> bool:
    return (v is None or isinstance(v, (numbers.Real, np.number))) and not _is_bool(v) or v is pd.NA


def _number_or_raise(v: Any) -> float:
    if v is None or v is pd.NA:
        return math.nan
    if _is_bool(v) or not isinstance(v, (numbers.Real, np.number)):
        raise TypeError
    return float(v)


def check_same_length(**arrays: Any) -> int:
    """All keyword arguments have the same length; return it (ValueError naming them if not)."""
    lengths = {k: len(v) for k, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{k} has {n:,}" for k, n in lengths.items())
        raise ValueError(f"the inputs must have the same length: {shown}")
    return next(iter(lengths.values()), 0)


# --------------------------------------------------------------------------- tables
def check_columns_exist(df: pd.DataFrame, name: str, columns: Sequence[str],
                        keywords: str | None = None) -> None:
    """ValueError naming the missing columns and the keyword arguments that rename them."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        how = (f"pass yours with {keywords}" if keywords
               else "pass the right column names as keyword arguments")
        raise ValueError(f"{name} lacks the column(s) {missing}; it has {list(df.columns)}. "
                         f"If your columns are called differently, {how}.")


def check_frame(df: Any, name: str, columns: Sequence[str] = (), *, keywords: str | None = None,
                min_rows: int = 1, numeric: Sequence[str] = (), dates: Sequence[str] = (),
                ids: Sequence[str] = (), non_negative: Sequence[str] = (),
                finite: Sequence[str] | None = None) -> pd.DataFrame:
    """Check a table at the door; return it unchanged (no copy, never modified).

    Parameters
    ----------
    df : object
        Must be a pandas DataFrame (TypeError otherwise).
    name : str
        The argument's name, used in every message (``orders['revenue'] ...``).
    columns : sequence of str
        Columns that must exist (ValueError naming the missing ones and ``keywords``).
    keywords : str, optional
        The keyword arguments that rename columns, e.g. ``"customer_col=/date_col="``.
    min_rows : int
        Fewer rows is a ValueError ("empty: nothing to ..."); 0 allows empty tables.
    numeric : columns that must be numeric (bool and text refused, TypeError) and, unless
        listed otherwise in ``finite``, free of NaN/inf (ValueError).
    dates : columns that must be naive datetime64 without NaT (see :func:`check_dates`).
    ids : key columns that must have no missing values (ValueError with the count).
    non_negative : numeric columns whose values must be >= 0 (ValueError).
    finite : numeric columns that must be free of NaN/inf (default: all of ``numeric``).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["C1", None], "revenue": [10.0, 5.0]})
    >>> check_frame(orders, "orders", ["customer_id", "revenue"], ids=["customer_id"])
    Traceback (most recent call last):
    ...
    ValueError: orders['customer_id'] has 1 missing value(s) (NaN); every row needs one: clean the table first (lesson 01)
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {describe(df)}")
    needed = list(dict.fromkeys([*columns, *numeric, *dates, *ids, *non_negative]))
    check_columns_exist(df, name, needed, keywords)
    if len(df) < min_rows:
        if len(df) == 0:
            raise ValueError(f"{name} is empty (0 rows): there is nothing to compute from")
        raise ValueError(f"{name} must have at least {min_rows:,} rows, got {len(df):,}")
    dup = df.columns[df.columns.duplicated()].tolist()
    if any(c in dup for c in needed):
        raise ValueError(f"{name} has duplicated column name(s) {dup}")
    for c in ids:
        n = int(df[c].isna().sum())
        if n:
            raise ValueError(f"{name}[{c!r}] has {n:,} missing value(s) (NaN); every row needs "
                             "one: clean the table first (lesson 01)")
    for c in dates:
        check_dates(df[c], f"{name}[{c!r}]")
    finite = list(numeric) if finite is None else list(finite)
    for c in numeric:
        col = df[c]
        if (pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col)
                or isinstance(col.dtype, pd.CategoricalDtype)):
            raise TypeError(f"{name}[{c!r}] must be numeric, got dtype {col.dtype} "
                            "(convert it with pd.to_numeric; lesson 01 shows how)")
        if c in finite:
            values = col.to_numpy(dtype=float, na_value=np.nan)
            bad = ~np.isfinite(values)
            if bad.any():
                raise ValueError(f"{name}[{c!r}] has {int(bad.sum()):,} missing or infinite "
                                 "value(s) (NaN/inf): clean or fill them first")
    for c in non_negative:
        values = df[c].to_numpy(dtype=float, na_value=np.nan)
        if (values < 0).any():
            raise ValueError(f"{name}[{c!r}] must be >= 0, got {np.nanmin(values):g} "
                             f"in {int((values < 0).sum()):,} row(s)")
    return df
