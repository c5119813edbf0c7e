"""Lesson 01: turn the exported order lines into a clean, validated table, and protect PII.

The module reads top to bottom as the lesson does:

1. **Parsing** - :func:`parse_money`, :func:`parse_discount`, :func:`parse_dates`,
   :func:`normalize_ids`: text as exported -> typed values, with a clear error for anything
   that is not in a format we claim to accept (never a silent NaN).
2. **Outliers** - :func:`iqr_outliers`, :func:`robust_zscores`: the generic detectors the
   lesson compares with the domain rule used for price typos (a price ~100x the product's
   own median price).
3. **The pipeline** - :func:`clean_orders`: exact duplicates, parsing, test orders, returns,
   missing product ids, missing customer ids, price typos, key duplicates, validation. It
   returns the clean table and a :class:`CleaningReport` that counts (and keeps) every row
   removed or changed and why: no silent row loss.
4. **Validation** - :func:`validate_orders`: rules a pipeline can assert.
5. **Privacy** - :func:`pseudonymize` (salted keyed hash, HMAC-SHA256) and
   :func:`k_anonymity` of quasi-identifiers.

Every argument is checked at the door (``mkt_lessons._validation``): a table that is not
text where text is expected, a time-zone-aware date column, ``price_typo_factor=0``
(which would keep the x100 typos while the report said 0 repaired) or ``tolerance=-1``
is refused with a TypeError/ValueError naming the argument or column. The table functions
(:func:`clean_orders`, :func:`validate_orders`) take ``*_col`` keywords, defaulting to
:mod:`mkt_lessons.constants`, for other column names.

Returns (negative quantities) are *removed* from the sales table rather than netted
against the sale: the sale happened, the return is a separate event with its own date and
belongs in a returns table (the report keeps those rows in ``report.dropped``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mkt_lessons._results import Result
from mkt_lessons._validation import (
    check_1d,
    check_bool,
    check_columns_exist,
    check_dates,
    check_frame,
    check_int,
    check_real,
    check_same_length,
    check_str,
    describe,
)
from mkt_lessons.constants import (
    AMOUNT_COL,
    CUSTOMER_COL,
    DATE_COL,
    DISCOUNT_COL,
    ORDER_COL,
    PRICE_COL,
    PRODUCT_COL,
    QUANTITY_COL,
)

__all__ = ["clean_orders", "CleaningReport", "parse_money", "parse_discount", "parse_dates",
           "normalize_ids", "iqr_outliers", "robust_zscores", "price_typo_mask",
           "validate_orders", "pseudonymize", "k_anonymity", "ORDER_COLUMNS", "DATE_FORMATS",
           "ID_PATTERNS", "TEST_CUSTOMER_PATTERN"]

#: The columns of an order-line table, in the bundled order (names from ``constants``).
ORDER_COLUMNS = [ORDER_COL, DATE_COL, CUSTOMER_COL, PRODUCT_COL, QUANTITY_COL, PRICE_COL,
                 DISCOUNT_COL, AMOUNT_COL]
#: The keyword arguments that rename them, in the same order.
_KEYWORDS = ("order_col", "date_col", "customer_col", "product_col", "quantity_col", "price_col",
             "discount_col", "amount_col")
_KEYWORDS_TEXT = "order_col=/date_col=/customer_col=/product_col=/quantity_col=/price_col=/discount_col=/amount_col="
DATE_FORMATS = {  # format -> a regex that recognises it (the separators tell them apart)
    "%Y-%m-%d": r"^\d{4}-\d{1,2}-\d{1,2}$",
    "%d.%m.%Y": r"^\d{1,2}\.\d{1,2}\.\d{4}$",
    "%m/%d/%Y": r"^\d{1,2}/\d{1,2}/\d{4}$",
    "%d %b %Y": r"^\d{1,2} [A-Za-z]{3} \d{4}$",
}
#: Canonical id formats of the shop, keyed by the bundled column names.
ID_PATTERNS = {ORDER_COL: r"^O\d{6}$", CUSTOMER_COL: r"^C\d{5}$", PRODUCT_COL: r"^P\d{4}$"}
TEST_CUSTOMER_PATTERN = r"^TEST\d+$"
# optional sign, optional "$", digits with correct thousands commas (or none), optional cents
_MONEY_RE = re.compile(r"^(?P<s1>-?)\$?(?P<s2>-?)(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d+)?$")


# --------------------------------------------------------------------------- helpers
def _column_names(names: Sequence[str]) -> dict[str, str]:
    """{bundled name: the caller's name} from the eight ``*_col`` keywords (checked)."""
    cols = {canon: check_str(given, kw) for canon, given, kw in zip(ORDER_COLUMNS, names, _KEYWORDS, strict=True)}
    if len(set(cols.values())) < len(cols):
        raise ValueError(f"the column keywords {_KEYWORDS_TEXT} must name eight different "
                         f"columns, got {list(cols.values())}")
    return cols


def _check_id_patterns(id_patterns: Mapping[str, str] | None) -> dict[str, re.Pattern]:
    if id_patterns is None:
        return {}
    if not isinstance(id_patterns, Mapping):
        raise TypeError(f"id_patterns must be a dict {{column: regex}} or None, got {describe(id_patterns)}")
    out = {}
    for key, pattern in id_patterns.items():
        if key not in ID_PATTERNS:
            raise ValueError(f"id_patterns keys must be among {list(ID_PATTERNS)} (the bundled "
                             f"names, whatever your columns are called), got {key!r}")
        out[key] = _compile(pattern, f"id_patterns[{key!r}]")
    return out


def _compile(pattern: object, name: str) -> re.Pattern:
    check_str(pattern, name)
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{name} is not a valid regular expression ({exc}): {pattern!r}") from None


def _examples(values: pd.Series, n: int = 5) -> str:
    return ", ".join(repr(v) for v in values.drop_duplicates().head(n).tolist())


def _as_series(values, name: str) -> tuple[pd.Series, bool]:
    """``values`` as a Series (a copy; a scalar becomes one value); True if a scalar came in.

    Refuses tables, mappings and sets (TypeError), 2-D arrays (ValueError), booleans
    (TypeError) and time-zone-aware dates (ValueError).
    """
    check_str(name, "name")
    if isinstance(values, pd.DataFrame):
        raise TypeError(f"{name} must be one column (a Series, list or array) or one value, "
                        f"got {describe(values)}")
    if isinstance(values, (dict, set, frozenset, bytes)):
        raise TypeError(f"{name} must be a Series, list or array of values, got {describe(values)}")
    scalar = np.ndim(values) == 0 and not isinstance(values, (pd.Series, pd.Index))
    if scalar:
        s = pd.Series([values], dtype=object)
    else:
        arr_ndim = np.ndim(values) if not isinstance(values, (pd.Series, pd.Index)) else 1
        if arr_ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got {np.ndim(values)} dimensions")
        s = pd.Series(values, copy=True)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        check_dates(s, name)  # raises the package's ValueError for tz-aware dates
    if pd.api.types.is_bool_dtype(s.dtype) or (s.dtype == object and _has_bools(s)):
        raise TypeError(f"{name} must hold text or numbers, got True/False values")
    return s, scalar


def _has_bools(s: pd.Series) -> bool:
    kind = pd.api.types.infer_dtype(s, skipna=True)  # C-level: no Python loop for plain text
    if kind in ("string", "empty", "integer", "floating", "decimal"):
        return False
    return any(isinstance(v, (bool, np.bool_)) for v in s)


def _kinds(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Masks of numbers, text and anything else (missing values are none of them)."""
    if (pd.api.types.is_string_dtype(s.dtype) and s.dtype != object) or \
            pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty"):
        no = pd.Series(False, index=s.index)
        return no, s.notna(), no
    is_num = s.map(lambda v: isinstance(v, (int, float, np.integer, np.floating))
                   and not isinstance(v, (bool, np.bool_)))
    is_text = s.map(lambda v: isinstance(v, str))
    return is_num, is_text, ~is_num & ~is_text & s.notna()


def _text_only(s: pd.Series, name: str, what: str) -> None:
    """TypeError unless every non-missing value of ``s`` is a string."""
    if pd.api.types.is_string_dtype(s.dtype) and not s.dtype == object:
        return
    if pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty"):
        return
    bad = s[s.notna() & ~s.map(lambda v: isinstance(v, str))]
    if len(bad):
        raise TypeError(f"{name} must hold {what} as text, got {describe(bad.iloc[0])} "
                        f"(dtype {s.dtype}); convert it with .astype(str) first")


# --------------------------------------------------------------------------- parsing
def parse_money(values, *, name: str = "values"):
    """Parse money written as text ("$1,234.50", "12.50", "-3.99") into floats.

    Accepted: an optional minus sign (before or after ``$``), an optional ``$``, digits
    either with no separators or with correctly placed thousands commas, and an optional
    decimal part; surrounding whitespace is ignored. Numbers pass through. Missing values
    (NaN/None/blank) stay NaN.

    Parameters
    ----------
    values : str, number, or array-like / Series of them
        The money amounts.
    name : str
        Name used in error messages (e.g. the column name).

    Returns
    -------
    float or Series of float64
        A float for a scalar input, else a Series with the input's index.

    Raises
    ------
    ValueError
        If any non-missing value is not in an accepted format (the message shows examples),
        e.g. "12,34" (misplaced comma), "EUR 5", "1.2.3"; or for time-zone-aware dates.
    TypeError
        For a table, booleans or dates.

    Examples
    --------
    >>> parse_money("$1,234.50")
    1234.5
    >>> parse_money(pd.Series(["12.50", "$3.00", None])).tolist()
    [12.5, 3.0, nan]
    >>> parse_money(pd.Series(["12,34"]), name="unit_price")
    Traceback (most recent call last):
    ...
    ValueError: unit_price: 1 value(s) are not money amounts like '$1,234.50' or '12.50': '12,34'
    """
    s, scalar = _as_series(values, name)
    if pd.api.types.is_datetime64_any_dtype(s.dtype) or pd.api.types.is_timedelta64_dtype(s.dtype):
        raise TypeError(f"{name} must hold money as text or numbers, got dtype {s.dtype}")
    if pd.api.types.is_numeric_dtype(s.dtype):
        out = s.astype("float64")
    else:
        out = pd.Series(np.nan, index=s.index, dtype="float64")
        is_num, is_text, other = _kinds(s)
        if other.any():
            raise TypeError(f"{name} must hold money as text or numbers, got "
                            f"{describe(s[other].iloc[0])}")
        out[is_num] = s[is_num].astype("float64")
        text = s[is_text].astype("str").str.strip()
        text = text[text != ""]
        parts = text.str.extract(_MONEY_RE)
        bad = parts["num"].isna() | ((parts["s1"] == "-") & (parts["s2"] == "-"))
        if bad.any():
            raise ValueError(f"{name}: {int(bad.sum())} value(s) are not money amounts like "
                             f"'$1,234.50' or '12.50': {_examples(text[bad])}")
        number = parts["num"].str.replace(",", "", regex=False) + parts["dec"].fillna("")
        sign = np.where((parts["s1"] + parts["s2"]) == "-", -1.0, 1.0)
        out[text.index] = number.astype("float64").to_numpy() * sign
    if np.isinf(out).any():
        raise ValueError(f"{name} has infinite values: not an amount of money")
    return float(out.iloc[0]) if scalar else out


def parse_discount(values, *, name: str = "discount"):
    """Parse discounts given as fractions ("0.15") or percentages ("15%") into fractions.

    Returns a float for a scalar, else a float64 Series; missing stays NaN. Raises
    ``ValueError`` for text that is neither, or for a result outside [0, 1]; ``TypeError``
    for booleans, dates or a table.

    Examples
    --------
    >>> parse_discount(pd.Series(["15%", "0.15", "0.00"])).tolist()
    [0.15, 0.15, 0.0]
    >>> parse_discount("20%")
    0.2
    """
    s, scalar = _as_series(values, name)
    if pd.api.types.is_datetime64_any_dtype(s.dtype) or pd.api.types.is_timedelta64_dtype(s.dtype):
        raise TypeError(f"{name} must hold discounts as text or numbers, got dtype {s.dtype}")
    other = _kinds(s)[2]
    if other.any():
        raise TypeError(f"{name} must hold discounts as text or numbers, got {describe(s[other].iloc[0])}")
    text = s.astype("str").str.strip()
    known = s.notna() & (text != "")
    pct = known & text.str.endswith("%")
    out = pd.Series(np.nan, index=s.index, dtype="float64")
    number = r"-?\d+(\.\d*)?|-?\.\d+"
    bad = known & ~(text.str.fullmatch(number) | (pct & text.str[:-1].str.strip().str.fullmatch(number)))
    if bad.any():
        raise ValueError(f"{name}: value(s) are neither fractions like '0.15' nor percentages "
                         f"like '15%': {_examples(text[bad])}")
    out[pct] = text[pct].str[:-1].str.strip().astype("float64") / 100
    out[known & ~pct] = text[known & ~pct].astype("float64")
    outside = (out < 0) | (out > 1)
    if outside.any():
        raise ValueError(f"{name}: discounts must lie between 0 and 1 (0% and 100%): "
                         f"{_examples(text[outside])}")
    return float(out.iloc[0]) if scalar else out


def parse_dates(values, formats: Sequence[str] | None = None, *, name: str = DATE_COL):
    """Parse dates written in several formats into ``datetime64``.

    Each value is matched to exactly one format by its shape (the separators ``-``, ``.``,
    ``/`` and space tell the default formats apart), then parsed with that explicit format:
    never with guessing, which would read "04/07/2024" as 7 April in one row and 4 July in
    the next. Missing values stay NaT. Dates that are already ``datetime64`` pass through
    (time-zone-aware ones are refused, as everywhere in the package).

    Parameters
    ----------
    values : array-like or Series of str
    formats : sequence of str, optional
        strftime formats to accept, among the keys of :data:`DATE_FORMATS` (default: all four).
    name : str
        Name used in error messages.

    Returns
    -------
    Timestamp or Series of datetime64
        A Timestamp (or NaT) for a scalar input, else a Series with the input's index.

    Raises
    ------
    ValueError
        If a value matches none of the formats, or is not a valid date in its format.
    TypeError
        For numbers (20240704 is not a date format we accept), booleans or a table.

    Examples
    --------
    >>> parse_dates(pd.Series(["2024-07-04", "04.07.2024", "07/04/2024"])).dt.day.tolist()
    [4, 4, 4]
    >>> parse_dates("04 Jul 2024")
    Timestamp('2024-07-04 00:00:00')
    """
    s, scalar = _as_series(values, name)
    if formats is None:
        formats = list(DATE_FORMATS)
    else:
        if isinstance(formats, str) or not isinstance(formats, Sequence):
            raise TypeError(f"formats must be a list of date formats such as ['%Y-%m-%d'], "
                            f"got {describe(formats)}")
        formats = list(formats)
        if not formats:
            raise ValueError("formats must name at least one date format")
        unknown = [f for f in formats if f not in DATE_FORMATS]
        if unknown:
            raise ValueError(f"formats: no pattern known for {unknown}; known: {list(DATE_FORMATS)}")
    if pd.api.types.is_datetime64_dtype(s.dtype):
        out = s.astype("datetime64[us]")
        return out.iloc[0] if scalar else out
    _text_only(s, name, "dates")
    text = s.astype("str").str.strip()
    known = s.notna() & (text != "")
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    matched = pd.Series(False, index=s.index)
    for fmt in formats:
        hit = known & ~matched & text.str.fullmatch(DATE_FORMATS[fmt])
        if hit.any():
            try:
                out[hit] = pd.to_datetime(text[hit], format=fmt).astype("datetime64[us]")
            except (ValueError, OverflowError) as exc:
                reason = str(exc).split(". You might")[0]  # pandas' advice does not apply here
                raise ValueError(f"{name}: a value shaped like {fmt!r} is not a valid date ({reason})") from None
            matched |= hit
    bad = known & ~matched
    if bad.any():
        raise ValueError(f"{name}: {int(bad.sum())} value(s) match none of the date formats "
                         f"{formats}: {_examples(text[bad])}")
    return out.iloc[0] if scalar else out


def normalize_ids(values, *, name: str = "id") -> pd.Series:
    """Strip surrounding whitespace and upper-case ids (" c00012 " -> "C00012"); blanks -> NaN.

    Ids must be text (numbers are refused with a TypeError: ``12.0`` would become "12.0").

    Examples
    --------
    >>> normalize_ids([" c00012", "C00012  ", ""]).tolist()
    ['C00012', 'C00012', nan]
    """
    s, _ = _as_series(values, name)
    _text_only(s, name, "ids")
    text = s.astype("str").str.strip().str.upper()
    return text.where(s.notna() & (text != ""))


# --------------------------------------------------------------------------- outliers
def _values_series(values, name: str) -> pd.Series:
    """Numeric values as a float Series keeping a Series' index (NaN/inf and text refused)."""
    arr = check_1d(values, name)
    index = values.index if isinstance(values, pd.Series) else None
    return pd.Series(arr, index=index, dtype="float64")


def iqr_outliers(values, k: float = 1.5) -> pd.Series:
    """Flag values outside [Q1 - k*IQR, Q3 + k*IQR] (Tukey's fences); returns a bool Series.

    Parameters
    ----------
    values : array-like or Series of numbers
        No missing values (a NaN is neither an outlier nor not one: clean it first).
    k : float
        Width of the fences in IQRs (> 0); 1.5 is Tukey's "outside", 3 "far out".

    Examples
    --------
    >>> iqr_outliers([1, 2, 3, 4, 100]).tolist()
    [False, False, False, False, True]
    """
    s = _values_series(values, "values")
    k = check_real(k, "k", low=0, low_open=True)
    q1, q3 = s.quantile([0.25, 0.75])
    iqr = q3 - q1
    return (s < q1 - k * iqr) | (s > q3 + k * iqr)


def robust_zscores(values) -> pd.Series:
    """Robust z-scores: (x - median) / (1.4826 * MAD). Unlike mean/sd, one typo cannot hide itself.

    The factor 1.4826 makes the MAD estimate the standard deviation for normal data. If the
    MAD is 0 (more than half the values equal), values equal to the median score 0 and all
    others +/-inf.

    Examples
    --------
    >>> robust_zscores([1.0, 2.0, 3.0, 4.0, 100.0]).round(2).tolist()  # median 3, MAD 1: 97 / 1.4826
    [-1.35, -0.67, 0.0, 0.67, 65.43]
    """
    s = _values_series(values, "values")
    med = s.median()
    mad = 1.4826 * (s - med).abs().median()
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s - med) / mad
    return z.where(s != med, 0.0)


def price_typo_mask(unit_price, product_id, factor: float = 100.0) -> pd.Series:
    """Flag prices about ``factor`` times their product's median price (a lost decimal point).

    "About" means within a factor of 2 of ``factor`` (50x-200x for the default), which a
    genuine price change or discount never reaches.

    Parameters
    ----------
    unit_price : array-like or Series of float
        Prices (> 0, no missing values).
    product_id : array-like or Series
        The product of each price (same length, no missing ids).
    factor : float
        What a typo multiplies the price by (> 2, so that the flagged band [factor/2,
        2 x factor] excludes the product's normal price).

    Returns
    -------
    Series of bool
        With ``unit_price``'s index if it is a Series.

    Examples
    --------
    >>> price_typo_mask([10.0, 10.0, 1000.0, 500.0, 500.0], ["A", "A", "A", "B", "B"]).tolist()
    [False, False, True, False, False]
    """
    price = _values_series(unit_price, "unit_price")
    if (price <= 0).any():
        raise ValueError(f"unit_price must be > 0, got {price[price <= 0].iloc[0]:g}")
    ids = check_1d(product_id, "product_id", kind="any")
    check_same_length(unit_price=price, product_id=ids)
    factor = check_real(factor, "factor", low=2, low_open=True)
    med = price.groupby(ids).transform("median")
    ratio = price / med.to_numpy()
    return (ratio >= factor / 2) & (ratio <= factor * 2)


# --------------------------------------------------------------------------- validation
def validate_orders(orders: pd.DataFrame, *, raise_errors: bool = False, tolerance: float = 0.005,
                    id_patterns: Mapping[str, str] | None = ID_PATTERNS,
                    order_col: str = ORDER_COL, date_col: str = DATE_COL,
                    customer_col: str = CUSTOMER_COL, product_col: str = PRODUCT_COL,
                    quantity_col: str = QUANTITY_COL, price_col: str = PRICE_COL,
                    discount_col: str = DISCOUNT_COL, amount_col: str = AMOUNT_COL) -> pd.DataFrame:
    """Check the rules a clean order-line table must satisfy.

    Rules: ids present and in canonical form (``O000123``, ``C00012``, ``P0042``); dates
    present; quantity a whole number >= 1; unit_price > 0; 0 <= discount < 1; revenue =
    quantity x unit_price x (1 - discount) within ``tolerance``; one line per
    (order_id, product_id); one customer and one date per order.

    Missing values (NaN ids, NaT dates, NaN numbers) are what a validator is for: they are
    counted as failures of the rule they break, not raised.

    Parameters
    ----------
    orders : DataFrame
        With the columns of ``orders.csv`` (typed: numbers numeric, dates ``datetime64``).
    raise_errors : bool
        If True, raise ``ValueError`` listing every failed rule instead of returning.
    tolerance : float
        Allowed absolute revenue difference (>= 0; half a cent: revenue is rounded to cents;
        a micro-cent of float slack is added).
    id_patterns : dict or None
        Regex per id column, keyed by the bundled names (``order_id``, ``customer_id``,
        ``product_id``) whatever yours are called; ``None`` (or leaving a key out) only
        checks that the id is present.
    order_col, date_col, customer_col, product_col, quantity_col, price_col, discount_col, amount_col : str
        Your column names, if they differ from the bundled ones.

    Returns
    -------
    DataFrame
        One row per rule: ``rule``, ``failures`` (rows breaking it), ``passed`` (bool).

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": ["O000001"], "order_date": pd.to_datetime(["2024-01-01"]),
    ...     "customer_id": ["C00001"], "product_id": ["P0001"], "quantity": [2],
    ...     "unit_price": [10.0], "discount": [0.1], "revenue": [18.0]})
    >>> bool(validate_orders(orders)["passed"].all())
    True
    >>> validate_orders(orders, tolerance=-1)
    Traceback (most recent call last):
    ...
    ValueError: tolerance must be a number >= 0, got -1
    """
    cols = _column_names([order_col, date_col, customer_col, product_col, quantity_col,
                          price_col, discount_col, amount_col])
    raise_errors = check_bool(raise_errors, "raise_errors")
    tolerance = check_real(tolerance, "tolerance", low=0)
    patterns = _check_id_patterns(id_patterns)
    user = list(cols.values())
    numeric = [cols[c] for c in (QUANTITY_COL, PRICE_COL, DISCOUNT_COL, AMOUNT_COL)]
    check_frame(orders, "orders", user, keywords=_KEYWORDS_TEXT, numeric=numeric, finite=[])
    check_dates(orders[date_col], f"orders[{date_col!r}]", allow_missing=True)
    o = orders[user].set_axis(ORDER_COLUMNS, axis=1).reset_index(drop=True)
    num = {c: o[c].to_numpy(dtype="float64", na_value=np.nan)
           for c in (QUANTITY_COL, PRICE_COL, DISCOUNT_COL, AMOUNT_COL)}
    checks: dict[str, np.ndarray] = {}
    for col in (ORDER_COL, CUSTOMER_COL, PRODUCT_COL):
        missing = o[col].isna().to_numpy()
        if col in patterns:
            ok = o[col].astype("str").str.fullmatch(patterns[col].pattern)
            ok = ok.to_numpy(dtype=bool, na_value=False) & ~missing
            checks[f"{cols[col]} present and canonical"] = missing | ~ok
        else:
            checks[f"{cols[col]} present"] = missing
    checks[f"{cols[DATE_COL]} present"] = o[DATE_COL].isna().to_numpy()
    q, price, disc, rev = (num[c] for c in (QUANTITY_COL, PRICE_COL, DISCOUNT_COL, AMOUNT_COL))
    with np.errstate(invalid="ignore"):
        checks[f"{cols[QUANTITY_COL]} is a whole number >= 1"] = ~((q >= 1) & (q == np.floor(q)))
        checks[f"{cols[PRICE_COL]} > 0"] = ~(price > 0)
        checks[f"0 <= {cols[DISCOUNT_COL]} < 1"] = ~((disc >= 0) & (disc < 1))
        expect = q * price * (1 - disc)
        checks[f"{cols[AMOUNT_COL]} = {cols[QUANTITY_COL]} x {cols[PRICE_COL]} x (1 - {cols[DISCOUNT_COL]})"] = \
            ~(np.abs(rev - expect) <= tolerance + 1e-6)
    checks[f"one line per ({cols[ORDER_COL]}, {cols[PRODUCT_COL]})"] = \
        o.duplicated([ORDER_COL, PRODUCT_COL], keep=False).to_numpy()
    per_order = o.groupby(ORDER_COL, sort=False, dropna=False)[[CUSTOMER_COL, DATE_COL]].transform("nunique")
    checks["one customer per order"] = per_order[CUSTOMER_COL].to_numpy() > 1
    checks["one date per order"] = per_order[DATE_COL].to_numpy() > 1
    table = pd.DataFrame({"rule": list(checks),
                          "failures": [int(np.asarray(v).sum()) for v in checks.values()]})
    table["passed"] = table["failures"] == 0
    if raise_errors and not table["passed"].all():
        failed = table[~table["passed"]]
        lines = "; ".join(f"{r.rule}: {r.failures} row(s)" for r in failed.itertuples())
        raise ValueError(f"orders failed {len(failed)} validation rule(s): {lines}")
    return table


# --------------------------------------------------------------------------- the pipeline
@dataclass(frozen=True, eq=False)
class CleaningReport(Result):
    """What :func:`clean_orders` removed, repaired and reformatted, and the rows themselves.

    Attributes
    ----------
    removed, repaired : dict[str, int]
        Rows per reason; the keys are those of ``truth.json["defects"]``.
    reformatted : dict[str, int]
        Raw rows (before any removal) written in a non-canonical format.
    raw_rows, clean_rows : int
        ``raw_rows == clean_rows + sum(removed.values())``: no row is lost unreported.
    dropped : DataFrame
        Every removed raw row (original text and index) with its ``reason``.
    changed : DataFrame
        Every repaired row of the clean table (``order_id``, ``product_id``, ``reason``,
        ``before``, ``after``).
    """

    # identity, not field-by-field equality: the fields hold tables
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    removed: dict[str, int] = field(default_factory=dict)
    repaired: dict[str, int] = field(default_factory=dict)
    reformatted: dict[str, int] = field(default_factory=dict)
    raw_rows: int = 0
    clean_rows: int = 0
    dropped: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    changed: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per reason: ``action`` (removed/repaired), ``reason``, ``rows``."""
        rows = [("removed", k, v) for k, v in self.removed.items()]
        rows += [("repaired", k, v) for k, v in self.repaired.items()]
        return pd.DataFrame(rows, columns=["action", "reason", "rows"])

    def __str__(self) -> str:
        lines = [f"raw rows {self.raw_rows:,} -> clean rows {self.clean_rows:,}"]
        lines += [f"  {a:8s} {r:28s} {n:6,d}" for a, r, n in self.to_frame().itertuples(index=False)]
        return "\n".join(lines)


def _check_raw_text(raw: pd.DataFrame, col: str) -> None:
    s = raw[col]
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        check_dates(s, f"raw[{col!r}]")  # the package's ValueError for tz-aware dates
    if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
        raise TypeError(f"raw[{col!r}] must be text as exported (data.load_raw_orders reads every "
                        f"column as str), got dtype {s.dtype}; a typed table is already parsed: "
                        "check it with validate_orders instead")
    _text_only(s, f"raw[{col!r}]", "values")


def clean_orders(raw: pd.DataFrame, *, test_customer_pattern: str = TEST_CUSTOMER_PATTERN,
                 price_typo_factor: float = 100.0,
                 id_patterns: Mapping[str, str] | None = ID_PATTERNS,
                 order_col: str = ORDER_COL, date_col: str = DATE_COL,
                 customer_col: str = CUSTOMER_COL, product_col: str = PRODUCT_COL,
                 quantity_col: str = QUANTITY_COL, price_col: str = PRICE_COL,
                 discount_col: str = DISCOUNT_COL,
                 amount_col: str = AMOUNT_COL) -> tuple[pd.DataFrame, CleaningReport]:
    """Clean exported order lines: the whole lesson-01 pipeline in one tested function.

    Steps, in this order (each counted in the report):

    1. drop exact duplicate rows (identical raw text: the export repeated a row);
    2. parse: ids stripped and upper-cased, dates from four formats, money from "$1,234.50"
       or "12.50", discounts from "0.15" or "15%", quantities as integers;
    3. drop test orders (every line of an order placed by a customer id like ``TEST01``);
    4. drop returns (negative quantity; they belong in a returns table, not in sales);
    5. drop lines without a product id (nothing to attribute the revenue to);
    6. fill a missing customer id from the other lines of the same order;
    7. repair price typos (unit price ~``price_typo_factor`` x the product's median price:
       divide, then recompute revenue = round(quantity x unit_price x (1 - discount), 2));
    8. drop key duplicates (the same order_id + product_id exported twice, e.g. with a
       different date format), keeping the first;
    9. validate (:func:`validate_orders`, raising on failure), sort by
       (order_date, order_id, product_id).

    No row disappears unreported: ``report.raw_rows == report.clean_rows +
    sum(report.removed.values())`` and every removed row is in ``report.dropped``.

    Parameters
    ----------
    raw : DataFrame
        All-text export with the columns of ``orders.csv`` (``data.load_raw_orders()``).
    test_customer_pattern : str
        Regex for customer ids of staff test orders.
    price_typo_factor : float
        The factor a price typo multiplies the price by (a lost decimal point: 100); > 2.
    id_patterns : dict or None
        Passed to :func:`validate_orders` for the final check.
    order_col, date_col, customer_col, product_col, quantity_col, price_col, discount_col, amount_col : str
        Your column names, if they differ from the bundled ones (the clean table keeps them).

    Returns
    -------
    clean : DataFrame
        Typed order lines (same dtypes as ``data.load_orders()``), index 0..n-1.
    report : CleaningReport
        Rows removed and repaired per reason, and the rows themselves.

    Raises
    ------
    ValueError
        If a column is missing, ``raw`` is empty, a value cannot be parsed (the message names
        the column), a missing customer id cannot be filled, or the result breaks a rule.
    TypeError
        If ``raw`` is not a DataFrame or a column is not text.

    Examples
    --------
    >>> raw = pd.DataFrame({"order_id": ["O000001", "O000001", "O000002"],
    ...     "order_date": ["2024-01-01", "2024-01-01", "02.01.2024"],
    ...     "customer_id": ["C00001", "C00001", " c00002"], "product_id": ["P0001"] * 3,
    ...     "quantity": ["1", "1", "2"], "unit_price": ["$10.00", "$10.00", "10.00"],
    ...     "discount": ["0", "0", "10%"], "revenue": ["10.00", "10.00", "18.00"]})
    >>> clean, report = clean_orders(raw)
    >>> report.removed["exact_duplicate_rows"], report.clean_rows
    (1, 2)
    >>> clean_orders(raw, price_typo_factor=0)
    Traceback (most recent call last):
    ...
    ValueError: price_typo_factor must be a number > 2, got 0
    """
    cols = _column_names([order_col, date_col, customer_col, product_col, quantity_col,
                          price_col, discount_col, amount_col])
    test_re = _compile(test_customer_pattern, "test_customer_pattern")
    price_typo_factor = check_real(price_typo_factor, "price_typo_factor", low=2, low_open=True)
    _check_id_patterns(id_patterns)
    user = list(cols.values())
    check_frame(raw, "raw", user, keywords=_KEYWORDS_TEXT)
    for c in user:
        _check_raw_text(raw, c)
    original = raw[user]                      # the rows as exported, with the caller's index
    raw = original.set_axis(ORDER_COLUMNS, axis=1).reset_index(drop=True)
    dropped: list[pd.DataFrame] = []
    removed: dict[str, int] = {}

    def drop(mask: pd.Series, reason: str, frame: pd.DataFrame) -> pd.DataFrame:
        mask = mask.to_numpy(dtype=bool)
        removed[reason] = int(mask.sum())
        dropped.append(original.iloc[frame.index[mask]].assign(reason=reason))
        return frame[~mask]

    # 1. exact duplicates, on the raw text
    text = raw.astype("str")  # NaN -> "nan" so that blank cells compare equal
    kept = drop(text.duplicated(keep="first"), "exact_duplicate_rows", raw)

    def raw_name(canon: str) -> str:
        return f"raw[{cols[canon]!r}]"

    # 2. parse and normalise
    def col(name: str) -> pd.Series:
        return kept[name]

    fancy = col("unit_price").str.contains("$", regex=False) | col("revenue").str.contains("$", regex=False)
    df = pd.DataFrame({
        "order_id": normalize_ids(col("order_id"), name=raw_name(ORDER_COL)),
        "order_date": parse_dates(col("order_date"), name=raw_name(DATE_COL)),
        "customer_id": normalize_ids(col("customer_id"), name=raw_name(CUSTOMER_COL)),
        "product_id": normalize_ids(col("product_id"), name=raw_name(PRODUCT_COL)),
        "quantity": pd.to_numeric(col("quantity").str.strip(), errors="coerce"),
        "unit_price": parse_money(col("unit_price"), name=raw_name(PRICE_COL)),
        "discount": parse_discount(col("discount"), name=raw_name(DISCOUNT_COL)),
        "revenue": parse_money(col("revenue"), name=raw_name(AMOUNT_COL)),
    }, index=kept.index)
    for name in ["order_id", "order_date", "quantity", "unit_price", "discount", "revenue"]:
        if df[name].isna().any():
            bad = kept.loc[df[name].isna(), name]
            raise ValueError(f"{raw_name(name)} has {len(bad)} missing or unparseable value(s): "
                             f"{_examples(bad.fillna('<blank>'))}")
    q = df["quantity"]
    if (~np.isfinite(q) | (q != np.round(q))).any():
        bad = kept.loc[~np.isfinite(q) | (q != np.round(q)), "quantity"]
        raise ValueError(f"{raw_name(QUANTITY_COL)} must hold whole numbers: {_examples(bad)}")
    df["quantity"] = q.astype("int64")
    if (df["unit_price"] <= 0).any():
        bad = kept.loc[df["unit_price"] <= 0, "unit_price"]
        raise ValueError(f"{raw_name(PRICE_COL)} must be > 0 (a price), got {_examples(bad)}")
    reformatted = {
        "money_as_string_rows": int(fancy.sum()),
        "discount_as_percent_rows": int(col("discount").str.contains("%", regex=False).sum()),
        "non_iso_date_rows": int((~col("order_date").str.strip().str.fullmatch(DATE_FORMATS["%Y-%m-%d"])).sum()),
        "messy_customer_id_rows": int((col("customer_id").notna()
                                       & (col("customer_id") != df["customer_id"])).sum()),
        "messy_product_id_rows": int((col("product_id").notna()
                                      & (col("product_id") != df["product_id"])).sum()),
    }

    # 3. test orders: every line of an order that has a test customer
    is_test_line = df["customer_id"].map(lambda v: isinstance(v, str) and bool(test_re.fullmatch(v)))
    test_ids = set(df.loc[is_test_line, "order_id"])
    df = drop(df["order_id"].isin(test_ids), "test_order_lines", df)
    # 4. returns
    df = drop(df["quantity"] < 0, "return_lines", df)
    if (df["quantity"] == 0).any():
        raise ValueError(f"{raw_name(QUANTITY_COL)} has lines with quantity 0: neither a sale nor a return")
    # 5. lines without a product id
    df = drop(df["product_id"].isna(), "missing_product_id_lines", df)

    changes = []
    # 6. fill missing customer ids from the same order
    missing_c = df["customer_id"].isna()
    fill = df.groupby("order_id", sort=False)["customer_id"].transform("first")
    if fill[missing_c].isna().any():
        bad = df.loc[missing_c & fill.isna(), "order_id"]
        raise ValueError(f"{raw_name(CUSTOMER_COL)} is missing on every line of order(s) {_examples(bad)}: "
                         "cannot fill it from the order")
    df = df.assign(customer_id=df["customer_id"].fillna(fill))
    changes.append(df.loc[missing_c, ["order_id", "product_id"]].assign(
        reason="missing_customer_id_filled", before="<blank>", after=df.loc[missing_c, "customer_id"]))
    # 7. price typos
    typo = price_typo_mask(df["unit_price"], df["product_id"], price_typo_factor)
    before = df.loc[typo, "unit_price"]
    price = df["unit_price"].where(~typo, df["unit_price"] / price_typo_factor)
    revenue = np.round(df["quantity"].to_numpy(dtype=float) * price.to_numpy()
                       * (1 - df["discount"].to_numpy()), 2)
    df = df.assign(unit_price=price, revenue=np.where(typo, revenue, df["revenue"].to_numpy()))
    changes.append(df.loc[typo, ["order_id", "product_id"]].assign(
        reason="price_typos_x100", before=before.astype("str"),
        after=df.loc[typo, "unit_price"].astype("str")))
    # 8. key duplicates
    df = drop(df.duplicated(["order_id", "product_id"], keep="first"), "duplicate_order_lines", df)

    # 9. validate, sort, type
    validate_orders(df, raise_errors=True, id_patterns=id_patterns)
    clean = df.sort_values(["order_date", "order_id", "product_id"], kind="stable").reset_index(drop=True)
    clean = clean.astype({"order_id": "str", "customer_id": "str", "product_id": "str",
                          "order_date": "datetime64[us]", "quantity": "int64",
                          "unit_price": "float64", "discount": "float64", "revenue": "float64"})
    order = ["exact_duplicate_rows", "duplicate_order_lines", "return_lines",
             "missing_product_id_lines", "test_order_lines"]
    changed = pd.concat(changes, ignore_index=True)
    report = CleaningReport(
        removed={k: removed[k] for k in order},
        repaired={r: int((changed["reason"] == r).sum())
                  for r in ["missing_customer_id_filled", "price_typos_x100"]},
        reformatted=reformatted, raw_rows=len(raw), clean_rows=len(clean),
        dropped=pd.concat(dropped),
        changed=changed.rename(columns={ORDER_COL: order_col, PRODUCT_COL: product_col}))
    if report.raw_rows - sum(report.removed.values()) != report.clean_rows:  # no silent row loss
        raise RuntimeError("clean_orders lost rows without reporting them; please report this bug")
    return clean.set_axis(user, axis=1), report


# --------------------------------------------------------------------------- privacy
def pseudonymize(values, salt: str | bytes, *, length: int = 16, name: str = "values") -> pd.Series:
    """Replace identifiers (e.g. e-mails) by a keyed hash: HMAC-SHA256(salt, value), in hex.

    The same value and salt always give the same pseudonym, so tables still join; without
    the salt (a secret key kept apart from the data) nobody can recompute the mapping by
    hashing a list of known e-mails, which defeats a plain unsalted hash. Values are
    normalised first (stripped, lower-cased) so "Ann@x.com " and "ann@x.com" match.

    Parameters
    ----------
    values : array-like or Series of str
        The identifiers; missing values are not allowed.
    salt : str or bytes
        The secret key, at least 8 characters/bytes.
    length : int
        Number of hex characters kept (8..64). 16 hex characters = 64 bits: collisions are
        negligible for millions of people.
    name : str
        Name used in error messages.

    Returns
    -------
    Series of str
        With the input's index if it is a Series.

    Examples
    --------
    >>> p = pseudonymize(["Ann@x.com ", "ann@x.com"], "a-long-secret")
    >>> p[0] == p[1] == hmac.new(b"a-long-secret", b"ann@x.com", hashlib.sha256).hexdigest()[:16]
    True
    """
    if isinstance(salt, str):
        key = salt.encode()
    elif isinstance(salt, bytes):
        key = salt
    else:
        raise TypeError(f"salt must be str or bytes, got {describe(salt)}")
    if len(key) < 8:
        raise ValueError("salt must be at least 8 characters long: a short key can be guessed")
    length = check_int(length, "length", low=8, high=64)
    s, scalar = _as_series(values, name)
    if scalar:
        raise TypeError(f"{name} must be a Series, list or array of identifiers, got {describe(values)}")
    if s.isna().any():
        raise ValueError(f"{name} has {int(s.isna().sum())} missing value(s): cannot pseudonymise them")
    _text_only(s, name, "identifiers")
    norm = s.str.strip().str.lower()
    return norm.map(lambda v: hmac.new(key, v.encode(), hashlib.sha256).hexdigest()[:length]).astype("str")


def k_anonymity(df: pd.DataFrame, quasi_identifiers: Sequence[str]) -> int:
    """The k of k-anonymity: the size of the smallest group of rows sharing all quasi-identifiers.

    A table is k-anonymous if every combination of quasi-identifier values (age band,
    region, ...) is shared by at least k rows, so no one can be singled out by them.

    Parameters
    ----------
    df : DataFrame
    quasi_identifiers : sequence of str
        Column names; missing values count as a value of their own.

    Returns
    -------
    int

    Examples
    --------
    >>> people = pd.DataFrame({"band": ["20s", "20s", "30s", "30s", "30s"],
    ...                        "region": ["N", "N", "S", "S", "N"]})
    >>> k_anonymity(people, ["band"]), k_anonymity(people, ["band", "region"])
    (2, 1)
    """
    if isinstance(quasi_identifiers, str):
        quasi_identifiers = [quasi_identifiers]
    if not isinstance(quasi_identifiers, Sequence):
        raise TypeError(f"quasi_identifiers must be a list of column names, got {describe(quasi_identifiers)}")
    quasi_identifiers = [check_str(c, "each of quasi_identifiers") for c in quasi_identifiers]
    if not quasi_identifiers:
        raise ValueError("quasi_identifiers must name at least one column")
    if len(set(quasi_identifiers)) < len(quasi_identifiers):
        raise ValueError(f"quasi_identifiers names a column twice: {quasi_identifiers}")
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {describe(df)}")
    check_columns_exist(df, "df", quasi_identifiers, keywords="quasi_identifiers=")
    if len(df) == 0:
        raise ValueError("df is empty (0 rows): k-anonymity is undefined")
    sizes = df.groupby(quasi_identifiers, observed=True, dropna=False).size()
    return int(sizes.min())

