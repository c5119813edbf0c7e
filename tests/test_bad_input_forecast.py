"""Bad input to mkt_lessons.forecast (machinery in badinput.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from badinput import Array, Date, Flag, Option, Real, Size, Spec, Table, make_tests, tiny_orders

from mkt_lessons import forecast as fc


def daily(n: int = 42, start: str = "2024-01-07") -> pd.Series:
    t = np.arange(n)
    values = 100 + 10 * np.sin(2 * np.pi * t / 7) + t + (t % 3)
    return pd.Series(values, index=pd.date_range(start, periods=n, freq="D"), name="revenue")


def series_extras(arg: str, short: int = 1) -> list:
    """Bad versions of a date-indexed series argument."""
    def m(f):
        return lambda kw: {**kw, arg: f(kw[arg])}

    def first_nan(s):
        s = s.copy()
        s.iloc[0] = np.nan
        return s

    def dup(s):
        return s.set_axis(s.index[:1].append(s.index[:-1]))

    return [
        (f"notseries:{arg}", m(lambda s: s.to_numpy()), TypeError),
        (f"noindex:{arg}", m(lambda s: s.reset_index(drop=True)), TypeError),
        (f"text:{arg}", m(lambda s: s.astype(str)), TypeError),
        (f"bool:{arg}", m(lambda s: s > s.median()), TypeError),
        (f"nan:{arg}", m(first_nan), ValueError),
        (f"inf:{arg}", m(lambda s: s.where(s.index != s.index[2], np.inf)), ValueError),
        (f"tz:{arg}", m(lambda s: s.tz_localize("UTC")), ValueError),
        (f"gaps:{arg}", m(lambda s: s.drop(s.index[[3, 8]])), ValueError),
        (f"unsorted:{arg}", m(lambda s: s.iloc[::-1]), ValueError),
        (f"duplicated:{arg}", m(dup), ValueError),
        (f"short:{arg}", m(lambda s: s.iloc[:short]), ValueError),
        (f"empty:{arg}", m(lambda s: s.iloc[:0]), ValueError),
    ]


def results_table() -> pd.DataFrame:
    return pd.concat([fc.backtest(daily(), fc.naive, horizon=7, folds=2),
                      fc.backtest(daily(), fc.seasonal_naive, horizon=7, folds=2)],
                     ignore_index=True)


def pair_spec(func, names=("actual", "forecast")):
    values = {"actual": [100.0, 120.0, 90.0], "forecast": [110.0, 115.0, 95.0],
              "lower": [90.0, 100.0, 80.0], "upper": [120.0, 130.0, 100.0]}
    return Spec(func, lambda: {n: list(values[n]) for n in names},
                {n: Array() for n in names},
                extra=[(f"length:{names[-1]}", lambda kw: {**kw, names[-1]: kw[names[-1]][:2]},
                        ValueError)])


def _nan_row(df: pd.DataFrame, i: int) -> pd.DataFrame:
    df = df.astype(float)
    df.iloc[i, 0] = np.nan
    return df


def _forecast(horizon, level):
    return fc.naive(daily()).forecast(horizon, level)


SPECS = [
    Spec(fc.daily_series, lambda: dict(orders=tiny_orders(), start="2023-12-25", end="2024-06-30"),
         {"orders": Table(numeric=["revenue"], dates=["order_date"]),
          "start": Date(outside=["2024-03-01"]), "end": Date(outside=["2024-02-01"])}),
    Spec(fc.weekly_series, lambda: dict(daily=daily(), week_start="SUN", drop_partial=True),
         {"week_start": Option(), "drop_partial": Flag()},
         extra=[*series_extras("daily"),
                ("monthly:daily", lambda kw: {**kw, "daily": daily().resample("MS").sum()},
                 ValueError),
                ("nocomplete:daily", lambda kw: {**kw, "daily": daily(5)}, ValueError)]),
    Spec(fc.calendar_features,
         lambda: dict(dates=pd.Series(pd.date_range("2024-11-20", periods=15)),
                      promotions=pd.DataFrame({"start_date": pd.to_datetime(["2024-11-29"]),
                                               "end_date": pd.to_datetime(["2024-12-02"])}),
                      fourier_order=2, weekday=True, holidays=True),
         {"dates": Array(numeric=False), "fourier_order": Size(low=0, high=50),
          "weekday": Flag(), "holidays": Flag(),
          "promotions": Table(dates=["start_date", "end_date"], empty=False)},
         extra=[("textdates:dates", lambda kw: {**kw, "dates": ["2024-11-29"]}, TypeError),
                ("tz:dates", lambda kw: {**kw, "dates": kw["dates"].dt.tz_localize("UTC")},
                 ValueError),
                ("periods:dates", lambda kw: {**kw, "dates": pd.period_range("2024-01", periods=3,
                                                                             freq="D")}, TypeError),
                ("nothing:fourier_order", lambda kw: {**kw, "fourier_order": 0, "weekday": False,
                                                      "holidays": False, "promotions": None},
                 ValueError)]),
    Spec(fc.naive, lambda: dict(series=daily()), extra=series_extras("series")),
    Spec(fc.seasonal_naive, lambda: dict(series=daily(), season=7), {"season": Size(low=1)},
         extra=[*series_extras("series"),
                ("tooshort:series", lambda kw: {**kw, "series": daily(7)}, ValueError)]),
    Spec(fc.moving_average, lambda: dict(series=daily(), window=7), {"window": Size(low=1)},
         extra=series_extras("series")),
    Spec(fc.fit_ets, lambda: dict(series=daily(), trend="add", seasonal="add", season=7, log=True,
                                  damped_trend=True),
         {"trend": Option(), "seasonal": Option(), "season": Size(low=2), "log": Flag(),
          "damped_trend": Flag()},
         extra=[*series_extras("series"),
                ("zero:log", lambda kw: {**kw, "series": kw["series"] * 0}, ValueError),
                ("tooshort:series", lambda kw: {**kw, "series": daily(12)}, ValueError)]),
    Spec(fc.fit_sarimax, lambda: dict(series=daily(), order=(1, 1, 0), seasonal_order=(0, 0, 0, 0),
                                      method="innovations_mle", log=True,
                                      exog=fc.calendar_features(daily(60).index, fourier_order=0,
                                                                holidays=False)),
         {"method": Option(), "log": Flag()},
         extra=[*series_extras("series"),
                ("list:order", lambda kw: {**kw, "order": 1}, TypeError),
                ("length:order", lambda kw: {**kw, "order": (1, 1)}, TypeError),
                ("negative:order", lambda kw: {**kw, "order": (1, -1, 0)}, ValueError),
                ("float:seasonal_order", lambda kw: {**kw, "seasonal_order": (0, 1, 1, 7.0)},
                 TypeError),
                ("period:seasonal_order", lambda kw: {**kw, "seasonal_order": (0, 1, 1, 1)},
                 ValueError),
                ("unknown:trend", lambda kw: {**kw, "trend": "quadratic"}, ValueError),
                ("notframe:exog", lambda kw: {**kw, "exog": kw["exog"].to_numpy()}, TypeError),
                ("short:exog", lambda kw: {**kw, "exog": kw["exog"].iloc[:20]}, ValueError),
                ("text:exog", lambda kw: {**kw, "exog": kw["exog"].astype(str)}, TypeError),
                ("nan:exog", lambda kw: {**kw, "exog": _nan_row(kw["exog"], 3)}, ValueError),
                ("periods:exog", lambda kw: {**kw, "exog": kw["exog"].to_period("D")}, TypeError)]),
    Spec(fc.known_values, lambda: dict(values=daily()), extra=series_extras("values")),
    Spec(fc.backtest, lambda: dict(series=daily(), model=fc.naive, horizon=7, folds=2, step=7,
                                   level=0.8, season=7, min_train=10, window=20, name="naive"),
         {"horizon": Size(low=1), "folds": Size(low=1), "step": Size(low=1),
          "level": Real(low=0, high=1, low_open=True, high_open=True), "season": Size(low=1),
          "min_train": Size(low=1), "window": Size(low=10)},
         extra=[*series_extras("series", short=10),
                ("notcallable:model", lambda kw: {**kw, "model": "naive"}, TypeError),
                ("toomany:folds", lambda kw: {**kw, "folds": 9}, ValueError),
                ("number:name", lambda kw: {**kw, "name": 3}, TypeError),
                ("badoutput:model", lambda kw: {**kw, "model": lambda train: None}, ValueError)]),
    Spec(fc.summarize, lambda: dict(results=results_table(), by="model"),
         {"results": Table(ids=["model", "fold"], numeric=["actual", "forecast", "scale"],
                           required=["lower", "upper"])},
         extra=[("missing:by", lambda kw: {**kw, "by": "no_such_column"}, ValueError),
                ("number:by", lambda kw: {**kw, "by": 3}, TypeError),
                ("zero:scale", lambda kw: {**kw, "results": kw["results"].assign(scale=0.0)},
                 ValueError)]),
    pair_spec(fc.mae),
    pair_spec(fc.rmse),
    Spec(fc.mape, lambda: dict(actual=[100.0, 120.0, 90.0], forecast=[110.0, 115.0, 95.0]),
         {"actual": Array(), "forecast": Array()},
         extra=[("zero:actual", lambda kw: {**kw, "actual": [0.0, 120.0, 90.0]}, ValueError),
                ("length:forecast", lambda kw: {**kw, "forecast": [1.0]}, ValueError)]),
    Spec(fc.mase, lambda: dict(actual=[100.0, 120.0], forecast=[110.0, 115.0],
                               train=[90.0, 95.0, 99.0, 104.0, 101.0], season=2),
         {"actual": Array(), "forecast": Array(), "train": Array(), "season": Size(low=1)},
         extra=[("periodic:train", lambda kw: {**kw, "train": [1.0, 2.0, 1.0, 2.0]}, ValueError),
                ("tooshort:train", lambda kw: {**kw, "train": [1.0, 2.0]}, ValueError),
                ("none:season", lambda kw: {**kw, "season": None}, ValueError)]),
    pair_spec(fc.coverage, names=("actual", "lower", "upper")),
    Spec(fc.infer_season, lambda: dict(index=pd.period_range("2020-01", periods=24, freq="M")),
         extra=[("notindex:index", lambda kw: {**kw, "index": [1, 2, 3]}, TypeError),
                ("nofreq:index", lambda kw: {**kw, "index": pd.DatetimeIndex(
                    ["2024-01-01", "2024-01-02", "2024-01-05"])}, ValueError),
                ("yearly:index", lambda kw: {**kw, "index": pd.period_range("2000", periods=5,
                                                                            freq="Y")}, ValueError)]),
    Spec(_forecast, lambda: dict(horizon=7, level=0.8),
         {"horizon": Size(low=1), "level": Real(low=0, high=1, low_open=True, high_open=True)},
         name="forecast.FittedForecaster.forecast"),
]
test_bad_input, test_valid_call = make_tests(SPECS)
