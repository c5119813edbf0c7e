"""Defaults that every module, lesson and exercise shares, typed once (DESIGN §5).

* **Column names** of the bundled tables. Every function that takes a table takes
  ``*_col`` keywords that default to these, so the package works on anyone's data:
  pass your names (or build a mapping once, see :data:`COLUMNS`).
* **The data window and the lessons' cut-off dates** (the churn lesson trains as of
  :data:`TRAIN_CUTOFF` and is tested as of :data:`TEST_CUTOFF`, each with a
  :data:`CHURN_HORIZON_DAYS` window). Nothing in the package hard-codes these: they are
  defaults for the lessons, never limits.
* **The retail calendar**: Black Friday, the holiday windows and the shop's recurring
  promotions, used by the generator (``synth``), the regression and forecasting lessons and
  the exercises alike.

Examples
--------
>>> black_friday(2024)
Timestamp('2024-11-29 00:00:00')
>>> holiday_windows(pd.to_datetime(["2024-11-29", "2024-12-25"]))["christmas"].tolist()
[0.0, 1.0]
"""

from __future__ import annotations

from types import MappingProxyType

import pandas as pd

from mkt_lessons._validation import check_date, check_dates, check_int

# --------------------------------------------------------------------------- columns
CUSTOMER_COL = "customer_id"
ORDER_COL = "order_id"
PRODUCT_COL = "product_id"
DATE_COL = "order_date"
AMOUNT_COL = "revenue"
QUANTITY_COL = "quantity"
PRICE_COL = "unit_price"
DISCOUNT_COL = "discount"
CATEGORY_COL = "category"
SIGNUP_COL = "signup_date"
CHANNEL_COL = "acquisition_channel"
WEEK_COL = "week_start"
SPEND_COL = "spend"

#: The keyword arguments of the package and their defaults: a team with other column names
#: builds one dict ``{"date_col": "date", "amount_col": "amount", ...}`` in its loading cell
#: and passes ``**cols`` to every call.
COLUMNS = MappingProxyType({
    "customer_col": CUSTOMER_COL, "order_col": ORDER_COL, "product_col": PRODUCT_COL,
    "date_col": DATE_COL, "amount_col": AMOUNT_COL, "quantity_col": QUANTITY_COL,
    "price_col": PRICE_COL, "discount_col": DISCOUNT_COL, "category_col": CATEGORY_COL,
})

# --------------------------------------------------------------------------- dates
DATA_START = pd.Timestamp("2023-01-01")
DATA_END = pd.Timestamp("2024-12-31")
TRAIN_CUTOFF = pd.Timestamp("2024-07-04")   # churn lesson: fit as of this day ...
TEST_CUTOFF = pd.Timestamp("2024-10-02")    # ... evaluate as of this one (window ends on DATA_END)
CHURN_HORIZON_DAYS = 90

# --------------------------------------------------------------------------- channels
CHANNELS = ("paid_search", "social", "display", "affiliate")
ORGANIC = "organic"

# --------------------------------------------------------------------------- calendar
#: Recurring promotions: name, start (MM-DD), end (MM-DD, inclusive), site-wide discount.
#: "black_friday"/"cyber_monday" stand for the moving dates of :func:`black_friday`.
PROMOTIONS = (
    ("New Year Sale", "01-02", "01-10", 0.20),
    ("Spring Refresh", "03-15", "03-19", 0.15),
    ("Summer Sale", "06-24", "06-30", 0.20),
    ("Autumn Home Week", "09-20", "09-24", 0.10),
    ("Black Friday", "black_friday", "cyber_monday", 0.25),
    ("Boxing Day", "12-26", "12-31", 0.30),
)

#: The retail holiday windows (see :func:`holiday_windows`), in calendar order.
HOLIDAY_WINDOWS = ("november", "black_friday_weekend", "gift_season", "december_peak",
                   "christmas")

#: Weekly data: the holiday trading period as (MM-DD, MM-DD) for a week's midpoint.
HOLIDAY_SEASON = ("11-10", "12-22")


def black_friday(year: int) -> pd.Timestamp:
    """Black Friday: the day after US Thanksgiving (the fourth Thursday of November).

    Examples
    --------
    >>> [str(black_friday(y).date()) for y in (2023, 2024, 2025)]
    ['2023-11-24', '2024-11-29', '2025-11-28']
    """
    year = check_int(year, "year", low=1678, high=2261)  # pandas' Timestamp range
    nov1 = pd.Timestamp(year=year, month=11, day=1)
    first_thursday = nov1 + pd.Timedelta(days=(3 - nov1.day_of_week) % 7)
    return first_thursday + pd.Timedelta(weeks=3, days=1)


def holiday_window_dates(year: int) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """The inclusive (first, last) day of each of :data:`HOLIDAY_WINDOWS` in ``year``.

    ``november``: Nov 1 to the day before Black Friday; ``black_friday_weekend``: Black
    Friday to Cyber Monday; ``gift_season``: Nov 15 to Dec 22 (gifts are bought);
    ``december_peak``: Dec 1-20; ``christmas``: Dec 24-26 (the shop is quiet).
    """
    year = check_int(year, "year", low=1678, high=2261)
    bf = black_friday(year)
    return {
        "november": (pd.Timestamp(year, 11, 1), bf - pd.Timedelta(days=1)),
        "black_friday_weekend": (bf, bf + pd.Timedelta(days=3)),
        "gift_season": (pd.Timestamp(year, 11, 15), pd.Timestamp(year, 12, 22)),
        "december_peak": (pd.Timestamp(year, 12, 1), pd.Timestamp(year, 12, 20)),
        "christmas": (pd.Timestamp(year, 12, 24), pd.Timestamp(year, 12, 26)),
    }


def holiday_windows(dates) -> pd.DataFrame:
    """0/1 indicators of :data:`HOLIDAY_WINDOWS` for each date (index = the dates)."""
    dates = pd.DatetimeIndex(check_dates(dates, "dates"))
    out = pd.DataFrame(0.0, index=dates, columns=list(HOLIDAY_WINDOWS))
    for year in sorted(set(dates.year)):
        for col, (a, b) in holiday_window_dates(year).items():
            out.loc[(dates >= a) & (dates <= b), col] = 1.0
    return out


def promotions_calendar(start=DATA_START, end=DATA_END) -> pd.DataFrame:
    """The recurring :data:`PROMOTIONS` in every year from ``start`` to ``end``.

    One row per promotion: ``promo_id`` (PR01 ...), ``name``, inclusive ``start_date`` and
    ``end_date``, site-wide ``discount`` (a fraction).
    """
    start, end = check_date(start, "start"), check_date(end, "end")
    if end < start:
        raise ValueError(f"end must be on or after start, got start={start.date()}, end={end.date()}")
    rows = []
    for year in range(start.year, end.year + 1):
        bf = black_friday(year)
        for name, first, last, discount in PROMOTIONS:
            s = bf if first == "black_friday" else pd.Timestamp(f"{year}-{first}")
            e = bf + pd.Timedelta(days=3) if last == "cyber_monday" else pd.Timestamp(f"{year}-{last}")
            rows.append((f"PR{len(rows) + 1:02d}", name, s, e, discount))
    return pd.DataFrame(rows, columns=["promo_id", "name", "start_date", "end_date", "discount"])


__all__ = ["AMOUNT_COL", "CATEGORY_COL", "CHANNELS", "CHANNEL_COL", "CHURN_HORIZON_DAYS",
           "COLUMNS", "CUSTOMER_COL", "DATA_END", "DATA_START", "DATE_COL", "DISCOUNT_COL",
           "HOLIDAY_SEASON", "HOLIDAY_WINDOWS", "ORDER_COL", "ORGANIC", "PRICE_COL",
           "PRODUCT_COL", "PROMOTIONS", "QUANTITY_COL", "SIGNUP_COL", "SPEND_COL",
           "TEST_CUTOFF", "TRAIN_CUTOFF", "WEEK_COL", "black_friday", "holiday_window_dates",
           "holiday_windows", "promotions_calendar"]
