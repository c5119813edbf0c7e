"""Bad input to mkt_lessons.constants (the calendar helpers); machinery in badinput.py."""

from __future__ import annotations

import pandas as pd
from badinput import Array, Date, Size, Spec, make_tests

from mkt_lessons import constants

SPECS = [
    Spec(constants.black_friday, lambda: dict(year=2024), {"year": Size(low=1678, high=2261)}),
    Spec(constants.holiday_window_dates, lambda: dict(year=2024), {"year": Size(low=1678, high=2261)}),
    Spec(constants.holiday_windows,
         lambda: dict(dates=pd.Series(pd.date_range("2024-11-20", periods=10))),
         {"dates": Array(numeric=False, empty=False)},
         extra=[("textdates:dates", lambda kw: {**kw, "dates": ["2024-11-29"]}, TypeError),
                ("tz:dates", lambda kw: {**kw, "dates": kw["dates"].dt.tz_localize("UTC")},
                 ValueError)]),
    Spec(constants.promotions_calendar, lambda: dict(start="2023-01-01", end="2024-12-31"),
         {"start": Date(), "end": Date(outside=["2022-06-01"])}),
]
test_bad_input, test_valid_call = make_tests(SPECS)
