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

Returns (negative quantities) are *removed* from the sales table rather than netted
against the sale: the sale happened, the return is a separate event with its own date and
belongs in a returns table (the report keeps those rows in ``report.dropped``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

ORDER_COLUMNS = ["order_id", "order_date", "customer_id", "product_id", "quantity",
                 "unit_price", "discount", "revenue"]
DATE_FORMATS = {  # format -> a regex that recognises it (the separators tell them apart)
    "%Y-%m-%d": r"^\d{4}-\d{1,2}-\d{1,2}$",
    "%d.%m.%Y": r"^\d{1,2}\.\d{1,2}\.\d{4}$",
    "%m/%d/%Y": r"^\d{1,2}/\d{1,2}/\d{4}$",
    "%d %b %Y": r"^\d{1,2} [A-Za-z]{3} \d{4}$",
}
ID_PATTERNS = {"order_id": r"^O\d{6}$", "customer_id": r"^C\d{5}$", "product_id": r"^P\d{4}$"}
TEST_CUSTOMER_PATTERN = r"^TEST\d+$"
# optional sign, optional "$", digits with correct thousands commas (or none), optional cents
_MONEY_RE = re.compile(r"^(?P<s1>-?)\$?(?P<s2>-?)(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d+)?$")


# --------------------------------------------------------------------------- helpers
def _require_frame(df: object, name: str, columns: Iterable[str]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing}; it has {list(df.columns)}")


def _examples(values: pd.Series, n: int = 5) -> str:
    return ", ".join(repr(v) for v in values.drop_duplicates().head(n).tolist())


def _as_text(values, name: str) -> tuple[pd.Series, bool]:
    """Values as a text Series (numbers formatted plainly); True if a scalar came in."""
    scalar = np.ndim(values) == 0 and not isinstance(values, pd.Series)
    s = pd.Series([values]) if scalar else pd.Series(values, copy=True)
    if s.dtype == bool:
        raise TypeError(f"{name} must hold text or numbers, got booleans")
    return s, scalar


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
        e.g. "12,34" (misplaced comma), "EUR 5", "1.2.3".

    Examples
    --------
    >>> parse_money("$1,234.50")
    1234.5
    >>> parse_money(pd.Series(["12.50", "$3.00", None])).tolist()
    [12.5, 3.0, nan]
    """
    s, scalar = _as_text(values, name)
    if pd.api.types.is_numeric_dtype(s.dtype):
        out = s.astype("float64")
    else:
        out = pd.Series(np.nan, index=s.index, dtype="float64")
        is_num = s.map(lambda v: isinstance(v, (int, float, np.integer, np.floating))
                       and not isinstance(v, bool))
        out[is_num] = s[is_num].astype("float64")
        text = s[~is_num & s.notna()].astype("str").str.strip()
        text = text[text != ""]
        parts = text.str.extract(_MONEY_RE)
        bad = parts["num"].isna() | ((parts["s1"] == "-") & (parts["s2"] == "-"))
        if bad.any():
            raise ValueError(f"{name}: {int(bad.sum())} value(s) are not money amounts like "
                             f"'$1,234.50' or '12.50': {_examples(text[bad])}")
        number = parts["num"].str.replace(",", "", regex=False) + parts["dec"].fillna("")
        sign = np.where((parts["s1"] + parts["s2"]) == "-", -1.0, 1.0)
        out[text.index] = number.astype("float64").to_numpy() * sign
    return float(out.iloc[0]) if scalar else out


def parse_discount(values, *, name: str = "discount"):
    """Parse discounts given as fractions ("0.15") or percentages ("15%") into fractions.

    Returns a float for a scalar, else a float64 Series; missing stays NaN. Raises
    ``ValueError`` for text that is neither, or for a result outside [0, 1].

    Examples
    --------
    >>> parse_discount(pd.Series(["15%", "0.15", "0.00"])).tolist()
    [0.15, 0.15, 0.0]
    """
    s, scalar = _as_text(values, name)
    text = s.astype("str").str.strip()
    known = s.notna() & (text != "")
    pct = known & text.str.endswith("%")
    out = pd.Series(np.nan, index=s.index, dtype="float64")
    try:
        out[pct] = text[pct].str[:-1].str.strip().astype("float64") / 100
        out[known & ~pct] = text[known & ~pct].astype("float64")
    except ValueError:
        bad = known & ~text.str.fullmatch(r"-?\d+(\.\d+)?%?")
        raise ValueError(f"{name}: value(s) are neither fractions like '0.15' nor percentages "
                         f"like '15%': {_examples(text[bad])}") from None
    outside = (out < 0) | (out > 1)
    if outside.any():
        raise ValueError(f"{name}: discounts must lie between 0 and 1 (0% and 100%): "
                         f"{_examples(text[outside])}")
    return float(out.iloc[0]) if scalar else out


def parse_dates(values, formats: Sequence[str] | None = None, *, name: str = "order_date"):
    """Parse dates written in several formats into ``datetime64``.

    Each value is matched to exactly one format by its shape (the separators ``-``, ``.``,
    ``/`` and space tell the default formats apart), then parsed with that explicit format:
    never with guessing, which would read "04/07/2024" as 7 April in one row and 4 July in
    the next. Missing values stay NaT.

    Parameters
    ----------
    values : array-like or Series of str
    formats : sequence of str, optional
        strftime formats to accept; default the four in :data:`DATE_FORMATS`.
    name : str
        Name used in error messages.

    Raises
    ------
    ValueError
        If a value matches none of the formats, or is not a valid date in its format.
    """
    s, scalar = _as_text(values, name)
    formats = list(DATE_FORMATS) if formats is None else list(formats)
    unknown = [f for f in formats if f not in DATE_FORMATS]
    if unknown:
        raise ValueError(f"formats: no pattern known for {unknown}; known: {list(DATE_FORMATS)}")
    text = s.astype("str").str.strip()
    known = s.notna() & (text != "")
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    matched = pd.Series(False, index=s.index)
    for fmt in formats:
        hit = known & ~matched & text.str.fullmatch(DATE_FORMATS[fmt])
        if hit.any():
            try:
                out[hit] = pd.to_datetime(text[hit], format=fmt).astype("datetime64[us]")
            except ValueError as exc:
                raise ValueError(f"{name}: a value shaped like {fmt!r} is not a valid date ({exc})") from None
            matched |= hit
    bad = known & ~matched
    if bad.any():
        raise ValueError(f"{name}: {int(bad.sum())} value(s) match none of the date formats "
                         f"{formats}: {_examples(text[bad])}")
    return out.iloc[0] if scalar else out


def normalize_ids(values, *, name: str = "id") -> pd.Series:
    """Strip surrounding whitespace and upper-case ids (" c00012 " -> "C00012"); blanks -> NaN."""
    s, _ = _as_text(values, name)
    text = s.astype("str").str.strip().str.upper()
    return text.where(s.notna() & (text != ""))


# --------------------------------------------------------------------------- outliers
def iqr_outliers(values, k: float = 1.5) -> pd.Series:
    """Flag values outside [Q1 - k*IQR, Q3 + k*IQR] (Tukey's fences); returns a bool Series."""
    s = pd.Series(values, dtype="float64")
    if k <= 0:
        raise ValueError(f"k must be positive, got {k}")
    q1, q3 = s.quantile([0.25, 0.75])
    iqr = q3 - q1
    return (s < q1 - k * iqr) | (s > q3 + k * iqr)


def robust_zscores(values) -> pd.Series:
    """Robust z-scores: (x - median) / (1.4826 * MAD). Unlike mean/sd, one typo cannot hide itself.

    The factor 1.4826 makes the MAD estimate the standard deviation for normal data. If the
    MAD is 0 (more than half the values equal), values equal to the median score 0 and all
    others +/-inf.
    """
    s = pd.Series(values, dtype="float64")
    med = s.median()
    mad = 1.4826 * (s - med).abs().median()
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s - med) / mad
    return z.where(s != med, 0.0)


def price_typo_mask(unit_price: pd.Series, product_id: pd.Series, factor: float = 100.0) -> pd.Series:
    """Flag prices about ``factor`` times their product's median price (a lost decimal point).

    "About" means within a factor of 2 of ``factor`` (50x-200x for the default), which a
    genuine price change or discount never reaches.
    """
    med = unit_price.groupby(product_id.to_numpy()).transform("median")
    ratio = unit_price / med.to_numpy()
    return (ratio >= factor / 2) & (ratio <= factor * 2)


# --------------------------------------------------------------------------- validation
def validate_orders(orders: pd.DataFrame, *, raise_errors: bool = False,
                    tolerance: float = 0.005) -> pd.DataFrame:
    """Check the rules a clean order-line table must satisfy.

    Rules: ids present and in canonical form (``O000123``, ``C00012``, ``P0042``); dates
    present; quantity a whole number >= 1; unit_price > 0; 0 <= discount < 1; revenue =
    quantity x unit_price x (1 - discount) within ``tolerance``; one line per
    (order_id, product_id); one customer and one date per order.

    Parameters
    ----------
    orders : DataFrame
        With the columns of ``orders.csv``.
    raise_errors : bool
        If True, raise ``ValueError`` listing every failed rule instead of returning.
    tolerance : float
        Allowed absolute revenue difference (half a cent: revenue is rounded to cents;
        a micro-cent of float slack is added).

    Returns
    -------
    DataFrame
        One row per rule: ``rule``, ``failures`` (rows breaking it), ``passed`` (bool).
    """
    _require_frame(orders, "orders", ORDER_COLUMNS)
    if len(orders) == 0:
        raise ValueError("orders is empty: nothing to validate")
    o = orders
    num = {}
    for col in ["quantity", "unit_price", "discount", "revenue"]:
        if not pd.api.types.is_numeric_dtype(o[col]) or pd.api.types.is_bool_dtype(o[col]):
            raise TypeError(f"orders[{col!r}] must be numeric, got dtype {o[col].dtype} "
                            "(parse it first, e.g. with parse_money)")
        num[col] = o[col].astype("float64")
    if not pd.api.types.is_datetime64_any_dtype(o["order_date"]):
        raise TypeError(f"orders['order_date'] must be datetime64, got {o['order_date'].dtype}")
    checks: dict[str, pd.Series] = {}
    for col, pat in ID_PATTERNS.items():
        checks[f"{col} present and canonical"] = ~o[col].astype("str").str.fullmatch(pat) | o[col].isna()
    checks["order_date present"] = o["order_date"].isna()
    q = num["quantity"]
    checks["quantity is a whole number >= 1"] = ~((q >= 1) & (q == np.floor(q)))
    checks["unit_price > 0"] = ~(num["unit_price"] > 0)
    checks["0 <= discount < 1"] = ~((num["discount"] >= 0) & (num["discount"] < 1))
    expect = q * num["unit_price"] * (1 - num["discount"])
    checks["revenue = quantity x unit_price x (1 - discount)"] = ~((num["revenue"] - expect).abs() <= tolerance + 1e-6)
    checks["one line per (order_id, product_id)"] = o.duplicated(["order_id", "product_id"], keep=False)
    per_order = o.groupby("order_id", sort=False)[["customer_id", "order_date"]].transform("nunique")
    checks["one customer per order"] = per_order["customer_id"].to_numpy() > 1
    checks["one date per order"] = per_order["order_date"].to_numpy() > 1
    table = pd.DataFrame({"rule": list(checks),
                          "failures": [int(np.asarray(v).sum()) for v in checks.values()]})
    table["passed"] = table["failures"] == 0
    if raise_errors and not table["passed"].all():
        failed = table[~table["passed"]]
        lines = "; ".join(f"{r.rule}: {r.failures} row(s)" for r in failed.itertuples())
        raise ValueError(f"orders failed {len(failed)} validation rule(s): {lines}")
    return table


# --------------------------------------------------------------------------- the pipeline
@dataclass
class CleaningReport:
    """What :func:`clean_orders` removed, repaired and reformatted, and the rows themselves.

    Attributes
    ----------
    removed, repaired : dict[str, int]
        Rows per reason; the keys are those of ``truth.json["defects"]``.
    reformatted : dict[str, int]
        Raw rows (before any removal) written in a non-canonical format.
    raw_rows, clean_rows : int
    dropped : DataFrame
        Every removed raw row (original text) with its ``reason``.
    changed : DataFrame
        Every repaired row of the clean table (``order_id``, ``product_id``, ``reason``,
        ``before``, ``after``).
    """

    removed: dict[str, int] = field(default_factory=dict)
    repaired: dict[str, int] = field(default_factory=dict)
    reformatted: dict[str, int] = field(default_factory=dict)
    raw_rows: int = 0
    clean_rows: int = 0
    dropped: pd.DataFrame = field(default_factory=pd.DataFrame)
    changed: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_frame(self) -> pd.DataFrame:
        """One row per reason: ``action`` (removed/repaired), ``reason``, ``rows``."""
        rows = [("removed", k, v) for k, v in self.removed.items()]
        rows += [("repaired", k, v) for k, v in self.repaired.items()]
        return pd.DataFrame(rows, columns=["action", "reason", "rows"])

    def __str__(self) -> str:
        lines = [f"raw rows {self.raw_rows:,} -> clean rows {self.clean_rows:,}"]
        lines += [f"  {a:8s} {r:28s} {n:6,d}" for a, r, n in self.to_frame().itertuples(index=False)]
        return "\n".join(lines)


def clean_orders(raw: pd.DataFrame, *, test_customer_pattern: str = TEST_CUSTOMER_PATTERN,
                 price_typo_factor: float = 100.0) -> tuple[pd.DataFrame, CleaningReport]:
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

    Parameters
    ----------
    raw : DataFrame
        All-text export with the columns of ``orders.csv`` (``data.load_raw_orders()``).
    test_customer_pattern : str
        Regex for customer ids of staff test orders.
    price_typo_factor : float
        The factor a price typo multiplies the price by (a lost decimal point: 100).

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
    """
    _require_frame(raw, "raw", ORDER_COLUMNS)
    if len(raw) == 0:
        raise ValueError("raw is empty: there are no order lines to clean")
    raw = raw[ORDER_COLUMNS]
    dropped: list[pd.DataFrame] = []
    removed: dict[str, int] = {}

    def drop(mask: pd.Series, reason: str, frame: pd.DataFrame) -> pd.DataFrame:
        mask = mask.to_numpy(dtype=bool)
        removed[reason] = int(mask.sum())
        dropped.append(raw.loc[frame.index[mask]].assign(reason=reason))
        return frame[~mask]

    # 1. exact duplicates, on the raw text
    text = raw.astype("str")  # NaN -> "nan" so that blank cells compare equal
    kept = drop(text.duplicated(keep="first"), "exact_duplicate_rows", raw)

    # 2. parse and normalise
    def col(name: str) -> pd.Series:
        return kept[name]

    fancy = col("unit_price").str.contains("$", regex=False) | col("revenue").str.contains("$", regex=False)
    df = pd.DataFrame({
        "order_id": normalize_ids(col("order_id"), name="order_id"),
        "order_date": parse_dates(col("order_date"), name="order_date"),
        "customer_id": normalize_ids(col("customer_id"), name="customer_id"),
        "product_id": normalize_ids(col("product_id"), name="product_id"),
        "quantity": pd.to_numeric(col("quantity").str.strip(), errors="coerce"),
        "unit_price": parse_money(col("unit_price"), name="unit_price"),
        "discount": parse_discount(col("discount"), name="discount"),
        "revenue": parse_money(col("revenue"), name="revenue"),
    }, index=kept.index)
    for name in ["order_id", "order_date", "quantity", "unit_price", "discount", "revenue"]:
        if df[name].isna().any():
            bad = kept.loc[df[name].isna(), name]
            raise ValueError(f"raw[{name!r}] has {len(bad)} missing or unparseable value(s): "
                             f"{_examples(bad.fillna('<blank>'))}")
    q = df["quantity"]
    if (q != np.round(q)).any():
        raise ValueError(f"raw['quantity'] must hold whole numbers: {_examples(kept.loc[q != np.round(q), 'quantity'])}")
    df["quantity"] = q.astype("int64")
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
    is_test_line = df["customer_id"].str.fullmatch(test_customer_pattern).fillna(False).astype(bool)
    test_ids = set(df.loc[is_test_line, "order_id"])
    df = drop(df["order_id"].isin(test_ids), "test_order_lines", df)
    # 4. returns
    df = drop(df["quantity"] < 0, "return_lines", df)
    if (df["quantity"] == 0).any():
        raise ValueError("raw['quantity'] has lines with quantity 0: neither a sale nor a return")
    # 5. lines without a product id
    df = drop(df["product_id"].isna(), "missing_product_id_lines", df)

    changes = []
    # 6. fill missing customer ids from the same order
    missing_c = df["customer_id"].isna()
    fill = df.groupby("order_id", sort=False)["customer_id"].transform("first")
    if fill[missing_c].isna().any():
        bad = df.loc[missing_c & fill.isna(), "order_id"]
        raise ValueError(f"raw['customer_id'] is missing on every line of order(s) {_examples(bad)}: "
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
    validate_orders(df, raise_errors=True)
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
        dropped=pd.concat(dropped), changed=changed)
    if report.raw_rows - sum(report.removed.values()) != report.clean_rows:  # no silent row loss
        raise RuntimeError("clean_orders lost rows without reporting them; please report this bug")
    return clean, report


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
    """
    if isinstance(salt, str):
        key = salt.encode()
    elif isinstance(salt, bytes):
        key = salt
    else:
        raise TypeError(f"salt must be str or bytes, got {type(salt).__name__}")
    if len(key) < 8:
        raise ValueError("salt must be at least 8 characters long: a short key can be guessed")
    if isinstance(length, bool) or not isinstance(length, int) or not 8 <= length <= 64:
        raise ValueError(f"length must be an integer between 8 and 64, got {length!r}")
    s = pd.Series(values, copy=True)
    if s.isna().any():
        raise ValueError(f"{name} has {int(s.isna().sum())} missing value(s): cannot pseudonymise them")
    if not all(isinstance(v, str) for v in s):
        raise TypeError(f"{name} must hold strings")
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
    """
    if isinstance(quasi_identifiers, str):
        quasi_identifiers = [quasi_identifiers]
    quasi_identifiers = list(quasi_identifiers)
    if not quasi_identifiers:
        raise ValueError("quasi_identifiers must name at least one column")
    _require_frame(df, "df", quasi_identifiers)
    if len(df) == 0:
        raise ValueError("df is empty: k-anonymity is undefined")
    sizes = df.groupby(quasi_identifiers, observed=True, dropna=False).size()
    return int(sizes.min())


__all__ = ["clean_orders", "CleaningReport", "parse_money", "parse_discount", "parse_dates",
           "normalize_ids", "iqr_outliers", "robust_zscores", "price_typo_mask",
           "validate_orders", "pseudonymize", "k_anonymity"]
