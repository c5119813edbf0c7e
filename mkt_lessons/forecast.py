"""Forecasting revenue: series, baselines, statsmodels models, backtests and metrics.

The lesson (``notebooks/06_forecasting.ipynb``) reads top to bottom as this module does:

1. **Series.** :func:`daily_series` turns order lines into one revenue number per calendar
   day (days without orders are 0, not missing); :func:`weekly_series` sums it by week.
   :func:`calendar_features` builds the regressors known in advance: weekday, a yearly
   Fourier cycle, the retail holiday windows and the promotions calendar.
2. **Models.** Every model is a *fit function*: ``fit(train) -> fitted model`` whose
   ``.forecast(horizon, level=0.8)`` returns a table indexed by the future dates with the
   columns ``forecast``, ``lower`` and ``upper`` (the central ``level`` prediction interval).
   Baselines: :func:`naive`, :func:`seasonal_naive`, :func:`moving_average`. Models:
   :func:`fit_ets` (statsmodels ``ETSModel``, i.e. Holt-Winters with a likelihood and
   prediction intervals) and :func:`fit_sarimax` (statsmodels ``SARIMAX`` with regressors).
   Our code is only the glue: statsmodels does the fitting.
3. **Evaluation.** :func:`backtest` runs a rolling-origin evaluation (each fold trains only
   on the data before its origin); :func:`summarize` scores it with :func:`mae`,
   :func:`rmse`, :func:`mape`, :func:`mase` and :func:`coverage`.

Any regular series works, not only daily revenue: a ``pd.Series`` with a ``DatetimeIndex``
whose frequency is set or can be inferred, or with a ``PeriodIndex`` (daily, weekly,
monthly, quarterly ...); forecasts come back indexed the same way. The **season** (the lag
of the seasonal naive forecast and of the MASE scale, the period of ETS and seasonal ARIMA)
is read from the frequency by :func:`infer_season` - 7 for daily, 52 for weekly, 12 for
monthly, 4 for quarterly data - or must be given: never a silent 7 on monthly data.
Warnings statsmodels raises for expected situations are handled, not shown: convergence
problems become ``converged_ = False``; the "endog has been differenced" note of integrated
models is explained in :func:`fit_sarimax`; anything else is passed on.

Design choice: one protocol (fit function -> ``.forecast``) for baselines and statsmodels
models alike, so :func:`backtest` takes any of them, including ``functools.partial(fit_sarimax,
exog=X)`` and a learner's own function. Models fitted with ``log=True`` model the logarithm
of revenue: their ``forecast`` column is then the back-transformed *median*, which is what
minimises the MAE, and their intervals are exact quantiles of the log-scale model.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mkt_lessons._validation import (
    check_1d,
    check_bool,
    check_date,
    check_dates,
    check_frame,
    check_int,
    check_option,
    check_real,
    check_same_length,
    check_str,
    describe,
)
from mkt_lessons.constants import AMOUNT_COL, DATE_COL, HOLIDAY_WINDOWS, holiday_windows

DEFAULT_LEVEL = 0.8
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
FORECAST_COLUMNS = ["forecast", "lower", "upper"]
_BACKTEST_COLUMNS = ["model", "fold", "actual", "forecast", "lower", "upper", "scale"]


# --------------------------------------------------------------------------- validation
def _check_series(series: Any, name: str = "series", min_length: int = 2) -> pd.Series:
    """A float copy of ``series`` with a regular index whose frequency is known.

    Accepted indexes: a ``DatetimeIndex`` (naive; its ``freq`` set or inferable from the
    dates) or a ``PeriodIndex`` (daily, weekly, monthly, quarterly ...). The index type is
    kept, so forecasts come back indexed like the input.
    """
    if not isinstance(series, pd.Series):
        raise TypeError(f"{name} must be a pandas Series indexed by date, got {describe(series)}")
    idx = series.index
    if not isinstance(idx, (pd.DatetimeIndex, pd.PeriodIndex)):
        raise TypeError(f"{name} must have a DatetimeIndex or PeriodIndex (dates as the index), "
                        f"got {type(idx).__name__}; use series.set_index or daily_series().")
    if isinstance(idx, pd.DatetimeIndex) and idx.tz is not None:
        raise ValueError(f"{name} has time-zone-aware dates ({idx.dtype}); this package works "
                         "with naive local dates: convert first, e.g. "
                         f"`{name}.tz_convert('America/New_York').tz_localize(None)`")
    if (not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
            or isinstance(series.dtype, pd.CategoricalDtype)):
        raise TypeError(f"{name} must hold numbers, got dtype {series.dtype} "
                        "(convert text with pd.to_numeric)")
    if len(series) < min_length:
        raise ValueError(f"{name} is too short: {len(series)} observations, need at least {min_length}.")
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    if not np.isfinite(values).all():
        raise ValueError(f"{name} has {int((~np.isfinite(values)).sum())} missing or infinite "
                         "value(s); a day without sales is 0, not missing: fill or drop them "
                         "explicitly first.")
    if idx.hasnans:
        raise ValueError(f"{name} has {int(idx.isna().sum())} missing date(s) (NaT) in its index")
    if not idx.is_monotonic_increasing or idx.has_duplicates:
        raise ValueError(f"{name} must have sorted, unique dates.")
    if isinstance(idx, pd.PeriodIndex):
        expected = pd.period_range(idx[0], periods=len(idx), freq=idx.freq)
        if not idx.equals(expected):
            raise ValueError(f"{name} has gaps (missing periods): every period must be present.")
        out = pd.Series(values, index=idx.copy(), name=series.name)
        return out
    freq = idx.freq
    if freq is None and len(series) >= 3:
        freq = pd.DatetimeIndex(idx, freq="infer").freq
    if freq is None:
        steps = np.diff(idx.asi8)
        if len(steps) == 0:
            raise ValueError(f"{name} has a single date and no frequency: set one, e.g. "
                             f"`{name}.index.freq = 'D'`, or pass a longer series")
        if len(set(steps.tolist())) > 1:
            raise ValueError(f"{name} has gaps (uneven spacing between dates): every period must "
                             "be present; use daily_series() to fill days without orders with 0.")
        freq = pd.tseries.frequencies.to_offset(pd.Timedelta(int(steps[0]), idx.unit))
    return pd.Series(values, index=pd.DatetimeIndex(idx, freq=freq), name=series.name)


#: Seasonal period by frequency: the cycle a seasonal naive forecast copies.
_SEASONS = ((pd.offsets.Week, 52, "weekly data: a yearly cycle of 52 weeks"),
            (pd.offsets.MonthBegin, 12, "monthly data: a yearly cycle"),
            (pd.offsets.MonthEnd, 12, "monthly data: a yearly cycle"),
            (pd.offsets.QuarterBegin, 4, "quarterly data: a yearly cycle"),
            (pd.offsets.QuarterEnd, 4, "quarterly data: a yearly cycle"),
            (pd.offsets.BusinessDay, 5, "business days: a weekly cycle"),
            (pd.offsets.Hour, 24, "hourly data: a daily cycle"))


def infer_season(index: Any) -> int:
    """The seasonal period of a regular date index, from its frequency.

    Daily data: 7 (the week); weekly (or every 7 days): 52; monthly: 12; quarterly: 4;
    business days: 5; hourly: 24. Any other frequency (yearly, every 2 days ...) has no
    obvious season: a ValueError asks for ``season=`` explicitly - never a silent 7.

    Examples
    --------
    >>> infer_season(pd.period_range("1949-01", periods=24, freq="M"))
    12
    >>> infer_season(pd.date_range("2024-01-01", periods=10, freq="D"))
    7
    """
    if isinstance(index, pd.Series):
        index = index.index
    if not isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)):
        raise TypeError(f"index must be a DatetimeIndex or PeriodIndex, got {describe(index)}")
    freq = index.freq
    if freq is None and isinstance(index, pd.DatetimeIndex) and len(index) >= 3:
        freq = pd.DatetimeIndex(index, freq="infer").freq
    if freq is None:
        raise ValueError("index has no frequency to infer the season from: pass season= "
                         "(7 for daily data, 12 for monthly ...)")
    if isinstance(freq, pd.offsets.Day):
        if freq.n == 1:
            return 7
        if freq.n == 7:
            return 52
    else:
        for kind, season, _ in _SEASONS:
            if isinstance(freq, kind) and freq.n == 1:
                return season
    raise ValueError(f"cannot infer the seasonal period of an index with frequency {freq.freqstr!r}: "
                     "pass season= explicitly (e.g. season=1 for no seasonality)")


def _season(season: Any, index: Any, name: str = "season", minimum: int = 1) -> int:
    """``season`` if given (an int >= ``minimum``), else inferred from the index."""
    if season is None:
        return infer_season(index)
    return check_int(season, name, low=minimum)


def _check_level(level: Any) -> float:
    return check_real(level, "level", low=0, high=1, low_open=True, high_open=True)


def _future_index(series: pd.Series, horizon: int) -> pd.Index:
    idx = series.index
    if isinstance(idx, pd.PeriodIndex):
        return pd.period_range(idx[-1] + 1, periods=horizon, freq=idx.freq, name=idx.name)
    freq = idx.freq
    return pd.date_range(idx[-1] + freq, periods=horizon, freq=freq, name=idx.name)


def _label(t: Any) -> str:
    return str(t.date()) if isinstance(t, pd.Timestamp) and t == t.normalize() else str(t)


# --------------------------------------------------------------------------- series
def daily_series(orders: pd.DataFrame, *, date_col: str = DATE_COL, amount_col: str = AMOUNT_COL,
                 start: str | pd.Timestamp | None = None,
                 end: str | pd.Timestamp | None = None) -> pd.Series:
    """Total ``amount_col`` per calendar day, with days without orders as 0.

    Parameters
    ----------
    orders : DataFrame
        One row per order line with a date (naive ``datetime64``, no missing dates; times
        are floored to the day) and a numeric amount (no missing values).
    date_col, amount_col : str
        Column names of the date and the amount.
    start, end : date-like, optional
        First and last day of the series (default: first and last order date). Use them to
        include leading or trailing days without sales; orders outside ``[start, end]`` are
        refused (never silently dropped).

    Returns
    -------
    Series
        Float values indexed by a daily ``DatetimeIndex`` named ``"date"`` with ``freq="D"``.

    Examples
    --------
    >>> orders = pd.DataFrame({"order_date": pd.to_datetime(["2024-01-01", "2024-01-03"]),
    ...                        "revenue": [10.0, 5.0]})
    >>> daily_series(orders).tolist()
    [10.0, 0.0, 5.0]
    """
    date_col, amount_col = check_str(date_col, "date_col"), check_str(amount_col, "amount_col")
    check_frame(orders, "orders", [date_col, amount_col], keywords="date_col=/amount_col=",
                dates=[date_col], numeric=[amount_col])
    days = orders[date_col].dt.floor("D")
    totals = orders[amount_col].astype("float64").groupby(days).sum()
    first = check_date(start, "start", allow_none=True)
    last = check_date(end, "end", allow_none=True)
    if first is not None and first > totals.index.min():
        raise ValueError(f"start ({first.date()}) is after the first order "
                         f"({totals.index.min().date()}): those orders would be dropped")
    if last is not None and last < totals.index.max():
        raise ValueError(f"end ({last.date()}) is before the last order "
                         f"({totals.index.max().date()}): those orders would be dropped")
    first = totals.index.min() if first is None else first
    last = totals.index.max() if last is None else last
    index = pd.date_range(first, last, freq="D", name="date")
    return totals.reindex(index, fill_value=0.0).rename(amount_col)


def weekly_series(daily: pd.Series, *, week_start: str = "SUN", drop_partial: bool = True) -> pd.Series:
    """Sum a daily series into weeks labelled by their first day.

    Parameters
    ----------
    daily : Series
        A daily series as returned by :func:`daily_series` (a daily ``PeriodIndex`` works
        too).
    week_start : str
        The weekday weeks start on: "MON" ... "SUN" (Lumen Home's reporting weeks start on Sunday).
    drop_partial : bool
        Drop weeks at either end with fewer than 7 days (a 3-day week is not a low week).

    Returns
    -------
    Series
        Weekly totals indexed by week start, ``freq="7D"`` (its season is 52).

    Examples
    --------
    >>> daily = pd.Series(1.0, index=pd.date_range("2024-01-06", periods=16, freq="D"))
    >>> weekly_series(daily).tolist()  # 6 Jan is a Saturday: weeks of 7-13 and 14-20 Jan
    [7.0, 7.0]
    """
    daily = _check_series(daily, "daily")
    if isinstance(daily.index, pd.PeriodIndex):
        if daily.index.freqstr != "D":
            raise ValueError(f"daily must have one value per day (freq 'D'), got freq "
                             f"{daily.index.freqstr}.")
        daily = daily.set_axis(daily.index.to_timestamp())
        daily.index.freq = "D"
    if daily.index.freq != pd.offsets.Day():
        raise ValueError(f"daily must have one value per day (freq 'D'), got freq {daily.index.freqstr}.")
    names = [d.upper() for d in WEEKDAYS]
    week_start = check_str(week_start, "week_start")
    check_option(week_start.upper()[:3], "week_start", names)
    drop_partial = check_bool(drop_partial, "drop_partial")
    start_dow = names.index(week_start.upper()[:3])
    offset = (daily.index.day_of_week - start_dow) % 7
    week = daily.index - pd.to_timedelta(offset, unit="D")
    grouped = daily.groupby(week)
    totals, counts = grouped.sum(), grouped.size()
    if drop_partial:
        totals = totals[counts == 7]
    if len(totals) == 0:
        raise ValueError("daily holds no complete week: pass drop_partial=False or a longer series")
    index = pd.date_range(totals.index[0], periods=len(totals), freq="7D", name="week_start")
    return pd.Series(totals.to_numpy(), index=index, name=daily.name)


def calendar_features(dates: pd.DatetimeIndex | pd.Series, promotions: pd.DataFrame | None = None, *,
                      weekday: bool = True, fourier_order: int = 2, holidays: bool = True,
                      start_col: str = "start_date", end_col: str = "end_date") -> pd.DataFrame:
    """Regressors known in advance for each date: weekday, yearly cycle, holidays, promotions.

    Parameters
    ----------
    dates : DatetimeIndex or Series of datetimes
        The days to describe (training and forecast days alike); naive, no missing dates.
    promotions : DataFrame, optional
        The promotions calendar, one row per promotion with inclusive ``start_col`` and
        ``end_col`` dates; adds a 0/1 column ``promo``.
    weekday : bool
        Add six 0/1 columns ``mon`` ... ``sat`` (Sunday is the baseline).
    fourier_order : int
        Number K of sine/cosine pairs ``sin1, cos1 ... sinK, cosK`` of the yearly cycle
        (period 365.25 days); 0 for none. A few smooth terms replace 365 daily dummies.
    holidays : bool
        Add the retail holiday windows of :func:`mkt_lessons.constants.holiday_windows`
        (the package's one calendar).

    Returns
    -------
    DataFrame
        One row per date (index = the dates), float columns.

    Examples
    --------
    >>> days = pd.date_range("2024-11-28", periods=3, freq="D")
    >>> calendar_features(days, fourier_order=0, weekday=False)["black_friday_weekend"].tolist()
    [0.0, 1.0, 1.0]
    """
    if isinstance(dates, pd.PeriodIndex):
        raise TypeError("dates must be a DatetimeIndex or a Series of datetimes, got a "
                        "PeriodIndex: convert it with dates.to_timestamp()")
    dates = pd.DatetimeIndex(_check_dates_arg(dates, "dates"))
    weekday, holidays = check_bool(weekday, "weekday"), check_bool(holidays, "holidays")
    fourier_order = check_int(fourier_order, "fourier_order", low=0, high=50)
    cols: dict[str, np.ndarray] = {}
    if weekday:
        for i, day in enumerate(WEEKDAYS[:-1]):
            cols[day] = (dates.day_of_week == i).astype("float64")
    t = 2 * np.pi * (dates.day_of_year.to_numpy() - 1) / 365.25
    for k in range(1, fourier_order + 1):
        cols[f"sin{k}"] = np.sin(k * t)
        cols[f"cos{k}"] = np.cos(k * t)
    out = pd.DataFrame(cols, index=dates)
    if holidays:
        out = out.join(holiday_windows(dates).set_axis(dates))
    if promotions is not None:
        start_col, end_col = check_str(start_col, "start_col"), check_str(end_col, "end_col")
        check_frame(promotions, "promotions", [start_col, end_col], keywords="start_col=/end_col=",
                    dates=[start_col, end_col], min_rows=0)
        promo = np.zeros(len(dates))
        for a, b in zip(promotions[start_col], promotions[end_col], strict=True):
            promo[(dates >= a) & (dates <= b)] = 1.0
        out["promo"] = promo
    if out.shape[1] == 0:
        raise ValueError("calendar_features: every feature group is switched off (weekday, "
                         "fourier_order, holidays, promotions).")
    return out


def _check_dates_arg(dates: Any, name: str) -> pd.Series:
    if isinstance(dates, pd.DatetimeIndex) and dates.tz is not None:
        raise ValueError(f"{name} holds time-zone-aware dates ({dates.dtype}); this package "
                         "works with naive local dates: convert first with "
                         "`.tz_convert(...).tz_localize(None)`")
    out = check_dates(dates, name)
    if len(out) == 0:
        raise ValueError(f"{name} is empty: there are no days to describe")
    return out


# --------------------------------------------------------------------------- models
class FittedForecaster:
    """A fitted forecasting model: ``forecast(horizon, level)`` gives point and interval.

    Attributes (learned, ending in ``_``): ``train_`` (the training series), ``fitted_``
    (in-sample one-step predictions, NaN where undefined), ``resid_`` (train - fitted).
    """

    name = "model"

    def __init__(self, train: pd.Series) -> None:
        self.train_ = train

    @property
    def resid_(self) -> pd.Series:
        return (self.train_ - self.fitted_).rename("resid")

    def forecast(self, horizon: int, level: float = DEFAULT_LEVEL) -> pd.DataFrame:
        """Forecast the next ``horizon`` periods with a central ``level`` prediction interval.

        Returns
        -------
        DataFrame
            Indexed by the future dates, columns ``forecast``, ``lower``, ``upper``.
        """
        horizon = check_int(horizon, "horizon", low=1)
        level = _check_level(level)
        point, lower, upper = self._forecast(horizon, level)
        return pd.DataFrame({"forecast": point, "lower": lower, "upper": upper},
                            index=_future_index(self.train_, horizon))

    def _forecast(self, horizon: int, level: float):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        t = self.train_.index
        return f"<{self.name} fitted on {len(t)} periods, {_label(t[0])} to {_label(t[-1])}>"


def _normal_bounds(point: np.ndarray, sd: np.ndarray, level: float):
    from scipy.stats import norm

    z = norm.ppf(0.5 + level / 2)
    return point - z * sd, point + z * sd


class _Naive(FittedForecaster):
    name = "naive"

    def __init__(self, train: pd.Series) -> None:
        super().__init__(train)
        self.fitted_ = train.shift(1).rename("fitted")
        self.sigma_ = float(np.sqrt(np.nanmean(self.resid_.to_numpy() ** 2)))

    def _forecast(self, horizon, level):
        point = np.full(horizon, self.train_.iloc[-1])
        sd = self.sigma_ * np.sqrt(np.arange(1, horizon + 1))  # a random walk's spread grows
        return (point, *_normal_bounds(point, sd, level))


class _SeasonalNaive(FittedForecaster):
    name = "seasonal naive"

    def __init__(self, train: pd.Series, season: int) -> None:
        super().__init__(train)
        self.season = season
        self.fitted_ = train.shift(season).rename("fitted")
        self.sigma_ = float(np.sqrt(np.nanmean(self.resid_.to_numpy() ** 2)))

    def _forecast(self, horizon, level):
        m = self.season
        h = np.arange(1, horizon + 1)
        last_season = self.train_.to_numpy()[-m:]
        point = last_season[(h - 1) % m]
        sd = self.sigma_ * np.sqrt((h - 1) // m + 1)  # one more season back per full cycle
        return (point, *_normal_bounds(point, sd, level))


class _MovingAverage(FittedForecaster):
    name = "moving average"

    def __init__(self, train: pd.Series, window: int) -> None:
        super().__init__(train)
        self.window = window
        self.fitted_ = train.rolling(window).mean().shift(1).rename("fitted")
        self.sigma_ = float(np.sqrt(np.nanmean(self.resid_.to_numpy() ** 2)))

    def _forecast(self, horizon, level):
        point = np.full(horizon, self.train_.iloc[-self.window:].mean())
        sd = np.full(horizon, self.sigma_)
        return (point, *_normal_bounds(point, sd, level))


def naive(series: pd.Series) -> FittedForecaster:
    """The naive forecast: every future value equals the last observed one.

    Intervals assume a random walk: the one-step residual spread grows with ``sqrt(h)``.

    Examples
    --------
    >>> y = pd.Series([1.0, 2.0, 4.0], index=pd.date_range("2024-01-01", periods=3))
    >>> naive(y).forecast(2)["forecast"].tolist()
    [4.0, 4.0]
    """
    return _Naive(_check_series(series, min_length=2))


def seasonal_naive(series: pd.Series, season: int | None = None) -> FittedForecaster:
    """The seasonal naive forecast: each future value equals the value one season earlier.

    For daily data (season 7), next Monday is forecast as last Monday; for monthly data
    (season 12), next March as last March. The benchmark every model must beat, and the
    scale of :func:`mase`.

    Parameters
    ----------
    series : Series
        Regular series with a ``DatetimeIndex`` (frequency set or inferable) or a
        ``PeriodIndex``.
    season : int, optional
        The seasonal period; default: inferred from the frequency (:func:`infer_season`:
        daily 7, weekly 52, monthly 12, quarterly 4). Other frequencies must pass it.

    Examples
    --------
    >>> y = pd.Series([1.0, 2.0, 3.0, 4.0], index=pd.date_range("2024-01-01", periods=4))
    >>> seasonal_naive(y, season=2).forecast(3)["forecast"].tolist()
    [3.0, 4.0, 3.0]
    """
    y = _check_series(series, min_length=2)
    season = _season(season, y.index)
    if len(y) < season + 1:
        raise ValueError(f"series is too short: {len(y)} observations, need at least "
                         f"{season + 1} for season={season}.")
    return _SeasonalNaive(y, season)


def moving_average(series: pd.Series, window: int = 28) -> FittedForecaster:
    """Forecast every future value as the mean of the last ``window`` observations.

    Examples
    --------
    >>> y = pd.Series([1.0, 2.0, 4.0, 6.0], index=pd.period_range("2024-01", periods=4, freq="M"))
    >>> moving_average(y, window=2).forecast(1)
             forecast  lower  upper
    2024-05       5.0    ...    ...
    """
    window = check_int(window, "window", low=1)
    return _MovingAverage(_check_series(series, min_length=window + 1), window)


class _StatsmodelsForecaster(FittedForecaster):
    """Glue around a fitted statsmodels results object (``result_``)."""

    def __init__(self, train: pd.Series, result, name: str, log: bool,
                 exog: pd.DataFrame | None = None, converged: bool = True) -> None:
        super().__init__(train)
        self.result_ = result
        self.name = name
        self.log = log
        self.exog_ = exog
        self.converged_ = converged
        fitted = pd.Series(np.asarray(result.fittedvalues), index=train.index)
        self.fitted_ = (np.exp(fitted) if log else fitted).rename("fitted")

    @property
    def params_(self) -> pd.Series:
        """The estimated parameters by name (on the log scale if ``log=True``).

        statsmodels' ETS results hold ``params`` as a labelled Series whose labels differ
        from ``param_names``: ``pd.Series(result.params, index=result.param_names)``
        re-indexes it to all-NaN. This takes the values by position.
        """
        return pd.Series(np.asarray(self.result_.params, dtype=float),
                         index=list(self.result_.param_names), name="estimate")

    def _future_exog(self, horizon: int) -> pd.DataFrame | None:
        if self.exog_ is None:
            return None
        future = _future_index(self.train_, horizon)
        missing = future.difference(self.exog_.index)
        if len(missing):
            raise ValueError(f"exog has no rows for {len(missing)} forecast date(s) from "
                             f"{_label(missing[0])}: regressors must be known for the whole horizon.")
        x = self.exog_.loc[future]
        check_frame(x, "exog", numeric=list(x.columns))
        return x.astype("float64").set_axis(future)

    def _forecast(self, horizon, level):
        alpha = 1 - level
        with _one_blas_thread():
            point, lower, upper = self._raw_forecast(horizon, alpha)
        if self.log:
            point, lower, upper = np.exp(point), np.exp(lower), np.exp(upper)
        return point, lower, upper

    def _raw_forecast(self, horizon, alpha):
        if hasattr(self.result_, "get_forecast"):  # SARIMAX
            frame = self.result_.get_forecast(horizon, exog=self._future_exog(horizon)).summary_frame(alpha=alpha)
            point, lower, upper = (frame[c].to_numpy() for c in ("mean", "mean_ci_lower", "mean_ci_upper"))
        else:  # ETSModel
            n = len(self.train_)
            frame = self.result_.get_prediction(start=n, end=n + horizon - 1).summary_frame(alpha=alpha)
            point, lower, upper = (frame[c].to_numpy() for c in ("mean", "pi_lower", "pi_upper"))
        return point, lower, upper


def _prepare(series: pd.Series, log: bool, min_length: int) -> tuple[pd.Series, pd.Series]:
    y = _check_series(series, min_length=min_length)
    if log:
        if (y <= 0).any():
            raise ValueError("log=True needs strictly positive values; the series has "
                             f"{int((y <= 0).sum())} value(s) <= 0 (use log=False).")
        return y, np.log(y)
    return y, y


def _one_blas_thread():
    """Context: one BLAS thread. State-space filters multiply tiny matrices, where threads
    only add overhead (fits ran 5-10x slower on a busy 2-core machine without this)."""
    try:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


#: statsmodels' notes that are expected and explained in our docstrings, never shown:
#: with d > 0 or D > 0 the fast "innovations_mle" method estimates the ARMA part on the
#: differenced series - which is what an integrated model means (see :func:`fit_sarimax`).
_EXPECTED_WARNINGS = (r"Provided `endog` series has been differenced",
                      # with regressors (GLS); a UserWarning in statsmodels 0.14.6, a
                      # SpecificationWarning (silenced in fit_sarimax) in later releases
                      r"Provided `endog` and `exog` series have been differenced")


def _fit_quietly(model, **kw):
    """Fit a statsmodels model; return (result, converged) instead of printing warnings.

    Convergence problems become ``converged_ = False``; the expected notes of
    :data:`_EXPECTED_WARNINGS` are silenced; anything else is re-issued (so it is seen).
    """
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    with warnings.catch_warnings(record=True) as caught, _one_blas_thread():
        warnings.simplefilter("always", ConvergenceWarning)
        for pattern in _EXPECTED_WARNINGS:
            warnings.filterwarnings("ignore", message=pattern)
        result = model.fit(**kw) if "method" in kw else model.fit(disp=False, **kw)
    for w in caught:  # re-issue anything that is not about convergence
        if not issubclass(w.category, ConvergenceWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return result, converged


def fit_ets(series: pd.Series, *, trend: str | None = "add", damped_trend: bool = True,
            seasonal: str | None = "add", season: int | None = None,
            log: bool = True) -> FittedForecaster:
    """Fit an exponential smoothing (ETS / Holt-Winters) model with statsmodels ``ETSModel``.

    Parameters
    ----------
    series : Series
        Regular, gap-free series (e.g. from :func:`daily_series`).
    trend : {"add", None}
        Additive trend (on the log scale: a growth rate) or none.
    damped_trend : bool
        Damp the trend so long-horizon forecasts flatten instead of growing for ever.
    seasonal : {"add", None}
        Additive seasonal component with period ``season`` (on the log scale: multiplicative).
    season : int, optional
        Seasonal period; default: inferred from the frequency (:func:`infer_season`: 7 for
        daily data, 12 for monthly). Ignored when ``seasonal=None``.
    log : bool
        Model ``log(series)``; forecasts are back-transformed medians and intervals.

    Returns
    -------
    FittedForecaster
        With ``result_`` (the statsmodels results), ``params_`` (the estimated
        parameters by name: ``smoothing_level``, ``smoothing_trend``, ...) and
        ``converged_``.

    Examples
    --------
    >>> t = np.arange(48)
    >>> y = pd.Series(100 * np.exp(0.01 * t + 0.2 * np.sin(2 * np.pi * t / 12)),
    ...               index=pd.period_range("2020-01", periods=48, freq="M"))
    >>> model = fit_ets(y)  # monthly: season 12 inferred
    >>> model.result_.model.seasonal_periods, list(model.params_.index[:2])
    (12, ['smoothing_level', 'smoothing_trend'])
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    check_option(trend, "trend", ["add", None])
    check_option(seasonal, "seasonal", ["add", None])
    damped_trend, log = check_bool(damped_trend, "damped_trend"), check_bool(log, "log")
    y0 = _check_series(series, min_length=2)
    season = _season(season, y0.index, minimum=2) if seasonal else 1
    y, z = _prepare(series, log, min_length=2 * season + 2)
    model = ETSModel(z, error="add", trend=trend, damped_trend=damped_trend and trend is not None,
                     seasonal=seasonal, seasonal_periods=season if seasonal else None)
    result, converged = _fit_quietly(model)
    return _StatsmodelsForecaster(y, result, "ETS", log, converged=converged)


def fit_sarimax(series: pd.Series, *, order: tuple[int, int, int] = (1, 1, 1),
                seasonal_order: tuple[int, ...] = (0, 0, 0, 0),
                exog: pd.DataFrame | None = None, trend: str | None = None,
                log: bool = True, method: str = "innovations_mle") -> FittedForecaster:
    """Fit a regression with (seasonal) ARIMA errors: statsmodels' SARIMAX family.

    Parameters
    ----------
    series : Series
        Regular, gap-free series (e.g. from :func:`daily_series`).
    order, seasonal_order : tuple
        ``(p, d, q)`` and ``(P, D, Q, s)`` as in statsmodels; ``(P, D, Q)`` alone takes
        ``s`` from the frequency (:func:`infer_season`: 12 for monthly data). The airline
        model of Box & Jenkins is ``order=(0, 1, 1), seasonal_order=(0, 1, 1)`` on monthly
        data with ``log=True``. Daily seasonal ARIMA with ``s=365`` is far too slow: model
        the yearly cycle with Fourier regressors instead.
    exog : DataFrame, optional
        Regressors indexed by date, covering the training dates *and* every date you will
        forecast (e.g. :func:`calendar_features`): only use what is known in advance.
    trend : str, optional
        statsmodels trend term ("c", "t", "ct"); None for none (with ``d=1`` the level
        already wanders, so no constant is needed).
    log : bool
        Model ``log(series)``; forecasts are back-transformed medians and intervals.
    method : {"innovations_mle", "statespace"}
        How statsmodels maximises the likelihood. ``"innovations_mle"`` (with feasible GLS
        for the regression coefficients) reaches the same maximum as the state-space
        optimiser of ``SARIMAX`` in a fraction of the time when there are many regressors;
        ``"statespace"`` is plain ``SARIMAX(...).fit()``. With ``d > 0`` or ``D > 0`` the
        fast method estimates the ARMA part on the differenced series - exactly what an
        integrated model means; statsmodels announces this with a UserWarning ("Provided
        `endog` series has been differenced ...") that we do not show, as it asks nothing
        of you. Forecasts and intervals are for the original (undifferenced) series.

    Returns
    -------
    FittedForecaster
        With ``result_`` (statsmodels ``SARIMAXResults``), ``params_``, ``exog_`` and
        ``converged_``.

    Examples
    --------
    >>> t = np.arange(72)
    >>> y = pd.Series(100 * np.exp(0.01 * t + 0.2 * np.sin(2 * np.pi * t / 12)),
    ...               index=pd.period_range("2018-01", periods=72, freq="M"))
    >>> airline = fit_sarimax(y, order=(0, 1, 1), seasonal_order=(0, 1, 1))  # s = 12
    >>> airline.forecast(3).index.astype(str).tolist()
    ['2024-01', '2024-02', '2024-03']
    """
    from statsmodels.tools.sm_exceptions import SpecificationWarning
    from statsmodels.tsa.arima.model import ARIMA
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    check_option(method, "method", ["innovations_mle", "statespace"])
    check_option(trend, "trend", [None, "n", "c", "t", "ct"])
    log = check_bool(log, "log")
    order = _check_order(order, "order", 3)
    y0 = _check_series(series, min_length=2)
    seasonal_order = _check_order(seasonal_order, "seasonal_order", (3, 4))
    if len(seasonal_order) == 3:
        seasonal_order = (*seasonal_order, infer_season(y0.index))
    if any(seasonal_order[:3]) and seasonal_order[3] < 2:
        raise ValueError(f"seasonal_order's period s must be >= 2, got {seasonal_order[3]}")
    if not any(seasonal_order[:3]):
        seasonal_order = (0, 0, 0, 0)
    min_length = max(10, order[1] + seasonal_order[1] * seasonal_order[3] + 3)
    y, z = _prepare(series, log, min_length=min_length)
    x_train = None
    if exog is not None:
        check_frame(exog, "exog")
        if type(exog.index) is not type(y.index):
            raise TypeError(f"exog must be indexed like series (a {type(y.index).__name__}), "
                            f"got a {type(exog.index).__name__}")
        missing = y.index.difference(exog.index)
        if len(missing):
            raise ValueError(f"exog has no rows for {len(missing)} training date(s), e.g. "
                             f"{_label(missing[0])}.")
        x_train = exog.loc[y.index]
        check_frame(x_train, "exog", numeric=list(x_train.columns))
        x_train = x_train.astype("float64").set_axis(y.index)  # y's index carries the freq
    with warnings.catch_warnings():
        # "endog and exog have been differenced before GLS": expected with d > 0
        warnings.simplefilter("ignore", SpecificationWarning)
        if method == "statespace":
            model = SARIMAX(z, exog=x_train, order=tuple(order),
                            seasonal_order=tuple(seasonal_order), trend=trend)
            result, converged = _fit_quietly(model)
        else:
            model = ARIMA(z, exog=x_train, order=tuple(order), seasonal_order=tuple(seasonal_order),
                          trend=trend or "n")
            result, converged = _fit_quietly(model, method="innovations_mle",
                                             gls=x_train is not None)
    return _StatsmodelsForecaster(y, result, "SARIMAX", log, exog=exog, converged=converged)


def _check_order(value: Any, name: str, lengths: int | tuple[int, ...]) -> tuple[int, ...]:
    lengths = (lengths,) if isinstance(lengths, int) else lengths
    if not isinstance(value, (tuple, list)) or len(value) not in lengths:
        shown = " or ".join(str(n) for n in lengths)
        raise TypeError(f"{name} must be a tuple of {shown} integers, got {describe(value)}")
    return tuple(check_int(v, f"{name}[{i}]", low=0) for i, v in enumerate(value))


class _Known(FittedForecaster):
    name = "known values"

    def __init__(self, train: pd.Series, values: pd.Series) -> None:
        super().__init__(train)
        self.values = values
        self.fitted_ = values.reindex(train.index).rename("fitted")

    def _forecast(self, horizon, level):
        future = _future_index(self.train_, horizon)
        missing = future.difference(self.values.index)
        if len(missing):
            raise ValueError(f"values has no entry for {len(missing)} forecast date(s) from "
                             f"{_label(missing[0])}.")
        point = self.values.loc[future].to_numpy(dtype="float64")
        nan = np.full(horizon, np.nan)
        return point, nan, nan


def known_values(values: pd.Series) -> Callable[[pd.Series], FittedForecaster]:
    """A "model" that forecasts given values, e.g. the generator's expected revenue (the oracle).

    Returns a fit function for :func:`backtest`; its intervals are NaN (not scored).

    Examples
    --------
    >>> truth = pd.Series([1.0, 2.0, 3.0, 4.0], index=pd.date_range("2024-01-01", periods=4))
    >>> known_values(truth)(truth.iloc[:2]).forecast(2)["forecast"].tolist()
    [3.0, 4.0]
    """
    values = _check_series(values, "values", min_length=2)

    def fit(series: pd.Series) -> FittedForecaster:
        return _Known(_check_series(series), values)

    fit.__name__ = "known_values"
    return fit


# --------------------------------------------------------------------------- backtest
def backtest(series: pd.Series, model: Callable[[pd.Series], Any], horizon: int, folds: int, *,
             step: int | None = None, level: float = DEFAULT_LEVEL, season: int | None = None,
             min_train: int | None = None, window: int | None = None,
             name: str | None = None) -> pd.DataFrame:
    """Rolling-origin evaluation: refit on the past, forecast the next ``horizon`` periods.

    The last fold's test window ends on the last date of ``series``; each earlier fold's
    origin is ``step`` periods earlier. Fold ``k`` trains on every observation *before* its
    test window and nothing after it.

    Parameters
    ----------
    series : Series
        Regular, gap-free series.
    model : callable
        A fit function ``model(train) -> fitted`` whose ``fitted.forecast(horizon, level)``
        returns a table with the column ``forecast`` (and ``lower``, ``upper``), such as
        :func:`seasonal_naive`, :func:`fit_ets` or ``functools.partial(fit_sarimax, exog=X)``.
    horizon : int
        Periods forecast from each origin (56 days = 8 weeks).
    folds : int
        Number of origins.
    step : int, optional
        Periods between origins (default ``horizon``: test windows do not overlap).
    level : float
        Prediction-interval level.
    season : int, optional
        Seasonal lag of the MASE scale; default: inferred from the frequency
        (:func:`infer_season`: 7 for daily data, 12 for monthly). Pass the same season you
        give the seasonal models.
    min_train : int, optional
        Minimum training length of the first fold (default ``2 * season + 2``).
    window : int, optional
        Train each fold on only its last ``window`` periods (a sliding window); default
        None trains on everything before the origin (an expanding window).
    name : str, optional
        Model label for the ``model`` column (default: the fitted model's ``name``).

    Examples
    --------
    >>> y = pd.Series(np.tile([1.0, 3.0, 2.0, 5.0], 6) + np.arange(24),
    ...               index=pd.period_range("2020Q1", periods=24, freq="Q"))
    >>> bt = backtest(y, seasonal_naive, horizon=4, folds=2)  # quarterly: season 4 inferred
    >>> (bt["actual"] - bt["forecast"]).tolist()  # same quarter last year + 4 quarters of trend
    [4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0]

    Returns
    -------
    DataFrame
        One row per fold and forecast date: ``model``, ``fold``, ``train_end`` (last
        training date), ``date``, ``h`` (steps ahead), ``actual``, ``forecast``, ``lower``,
        ``upper`` and ``scale`` (the fold's MASE denominator: the seasonal naive in-sample MAE
        on everything before the origin, the same for every model whatever its ``window``).
    """
    y = _check_series(series)
    if not callable(model):
        raise TypeError(f"model must be a fit function train -> fitted model, got {describe(model)}.")
    horizon = check_int(horizon, "horizon", low=1)
    folds = check_int(folds, "folds", low=1)
    step = horizon if step is None else check_int(step, "step", low=1)
    season = _season(season, y.index)
    level = _check_level(level)
    min_train = 2 * season + 2 if min_train is None else check_int(min_train, "min_train", low=1)
    if window is not None:
        window = check_int(window, "window", low=max(min_train, season + 1))
    if name is not None:
        name = check_str(name, "name")
    first_origin = len(y) - horizon - (folds - 1) * step
    if first_origin < max(min_train, season + 1):
        raise ValueError(f"series is too short for {folds} folds of horizon {horizon} with step {step}: "
                         f"the first fold would train on {first_origin} periods, need at least "
                         f"{max(min_train, season + 1)}. Use fewer folds or a shorter horizon.")
    pieces = []
    for k in range(folds):
        origin = first_origin + k * step
        start = 0 if window is None else max(0, origin - window)
        train, test = y.iloc[start:origin], y.iloc[origin:origin + horizon]
        fitted = model(train)
        fc = fitted.forecast(horizon, level=level) if hasattr(fitted, "forecast") else fitted
        if not isinstance(fc, pd.DataFrame) or "forecast" not in fc.columns or len(fc) != horizon:
            raise ValueError("model must return a fitted model whose .forecast(horizon, level) gives a "
                             f"DataFrame with a 'forecast' column and {horizon} rows.")
        label = name or getattr(fitted, "name", None) or getattr(model, "__name__", "model")
        pieces.append(pd.DataFrame({
            "model": label, "fold": k, "train_end": train.index[-1], "date": test.index,
            "h": np.arange(1, horizon + 1), "actual": test.to_numpy(),
            "forecast": fc["forecast"].to_numpy(dtype="float64"),
            "lower": fc["lower"].to_numpy(dtype="float64") if "lower" in fc else np.nan,
            "upper": fc["upper"].to_numpy(dtype="float64") if "upper" in fc else np.nan,
            "scale": _mase_scale(y.iloc[:origin].to_numpy(), season),
        }))
    return pd.concat(pieces, ignore_index=True)


def summarize(results: pd.DataFrame, by: str | Sequence[str] = "model") -> pd.DataFrame:
    """Score a :func:`backtest` table: MAE, RMSE, MAPE, MASE and interval coverage per group.

    MAE, RMSE and MAPE pool all forecast days of a group; MASE is each fold's MAE divided by
    that fold's own scale, averaged over folds; ``coverage`` is the share of actual values
    inside their interval (NaN for models without intervals). MAPE is NaN for a group with
    an actual value of 0 (a percentage of nothing; :func:`mape` refuses such data) - use
    MASE there.

    Examples
    --------
    >>> y = pd.Series(np.tile([1.0, 3.0, 2.0, 5.0], 6) + np.arange(24),
    ...               index=pd.period_range("2020Q1", periods=24, freq="Q"))
    >>> summarize(backtest(y, naive, horizon=4, folds=2))[["MAE", "folds"]]
            MAE  folds
    model
    naive  1.75      2
    """
    check_frame(results, "results", _BACKTEST_COLUMNS, numeric=["actual", "forecast", "scale"],
                ids=["model", "fold"])
    by = [check_str(by, "by")] if not isinstance(by, (list, tuple)) else [
        check_str(b, "by") for b in by]
    if not by:
        raise ValueError("by must name at least one column, got an empty list")
    unknown = [b for b in by if b not in results.columns]
    if unknown:
        raise ValueError(f"by names column(s) {unknown} that results lacks; it has "
                         f"{list(results.columns)}")
    check_frame(results, "results", by, ids=by)
    if (results["scale"] <= 0).any():
        raise ValueError("results['scale'] must be > 0 (the MASE denominator of each fold)")

    def score(g: pd.DataFrame) -> pd.Series:
        folds = g.groupby("fold")
        fold_mase = folds.apply(lambda f: mae(f["actual"], f["forecast"]) / f["scale"].iloc[0])
        has_pi = g[["lower", "upper"]].notna().all(axis=None)
        zero = (g["actual"] == 0).any()
        return pd.Series({
            "MAE": mae(g["actual"], g["forecast"]),
            "RMSE": rmse(g["actual"], g["forecast"]),
            "MAPE": np.nan if zero else mape(g["actual"], g["forecast"]),
            "MASE": float(fold_mase.mean()),
            "coverage": coverage(g["actual"], g["lower"], g["upper"]) if has_pi else np.nan,
            "folds": float(g["fold"].nunique()),
        })

    keys, rows = [], []
    for key, g in results.groupby(by, sort=False):
        keys.append(key[0] if len(by) == 1 else key)
        rows.append(score(g))
    index = pd.Index(keys, name=by[0]) if len(by) == 1 else pd.MultiIndex.from_tuples(keys, names=by)
    out = pd.DataFrame(rows, index=index)
    out["folds"] = out["folds"].astype("int64")
    return out


# --------------------------------------------------------------------------- metrics
def _pair(actual: Any, forecast: Any, forecast_name: str = "forecast"
          ) -> tuple[np.ndarray, np.ndarray]:
    a = check_1d(actual, "actual")
    f = check_1d(forecast, forecast_name)
    check_same_length(actual=a, **{forecast_name: f})
    return a, f


def mae(actual: Any, forecast: Any) -> float:
    """Mean absolute error, in the units of the series (e.g. USD per day).

    Examples
    --------
    >>> mae([10.0, 20.0], [12.0, 17.0])
    2.5
    """
    a, f = _pair(actual, forecast)
    return float(np.mean(np.abs(a - f)))


def rmse(actual: Any, forecast: Any) -> float:
    """Root mean squared error: like MAE but large misses weigh more.

    Examples
    --------
    >>> rmse([10.0, 20.0], [13.0, 16.0])
    3.5355...
    """
    a, f = _pair(actual, forecast)
    return float(np.sqrt(np.mean((a - f) ** 2)))


def mape(actual: Any, forecast: Any) -> float:
    """Mean absolute percentage error as a fraction (0.12 = 12%), like scikit-learn's.

    Misbehaves near zero: a day with actual revenue of $5 and a forecast of $500 adds 99
    (9,900%). An actual value of exactly 0 makes it undefined (scikit-learn returns a
    huge number instead): it is refused with a ValueError that names the zero days - use
    :func:`mase` or MAE for series with zeros.

    Examples
    --------
    >>> mape([100.0, 200.0], [110.0, 150.0])
    0.175
    """
    a, f = _pair(actual, forecast)
    zero = a == 0
    if zero.any():
        raise ValueError(f"actual has {int(zero.sum())} value(s) equal to 0 (first at position "
                         f"{int(np.flatnonzero(zero)[0])}): MAPE divides by the actual value and "
                         "is undefined there. Use mase() or mae(), or leave those periods out "
                         "deliberately.")
    return float(np.mean(np.abs((a - f) / a)))


def _mase_scale(train: np.ndarray, season: int) -> float:
    if train.size <= season:
        raise ValueError(f"train needs more than season={season} values for the MASE scale, got {train.size}.")
    scale = float(np.mean(np.abs(train[season:] - train[:-season])))
    if scale == 0:
        raise ValueError("MASE is undefined: the training series is exactly periodic with this season "
                         "(the seasonal naive forecast has zero in-sample error).")
    return scale


def mase(actual: Any, forecast: Any, train: Any, season: int | None = None) -> float:
    """Mean absolute scaled error: MAE divided by the in-sample MAE of the seasonal naive forecast.

    ``scale = mean(|train[t] - train[t - season]|)`` over the training data only. MASE < 1
    means better than the seasonal naive method was in-sample; it has no trouble with zeros
    and compares series of different sizes.

    Parameters
    ----------
    actual, forecast : array-like
        The test values and their forecasts.
    train : Series or array-like
        The training data (the scale is computed on it alone).
    season : int, optional
        Seasonal lag of the scale. Default: inferred from ``train``'s date index
        (:func:`infer_season`: 7 for daily, 12 for monthly data); required when ``train``
        is a plain array (a ValueError, never a silent 7).

    Examples
    --------
    >>> mase([10.0, 12.0], [11.0, 10.0], [1.0, 2.0, 3.0, 4.0, 5.0, 7.0], season=2)
    0.6666...
    """
    if season is None:
        if not (isinstance(train, pd.Series)
                and isinstance(train.index, (pd.DatetimeIndex, pd.PeriodIndex))):
            raise ValueError("season is required when train has no date index "
                             "(7 for daily data, 12 for monthly ...)")
        season = infer_season(_check_series(train, "train").index)
    season = check_int(season, "season", low=1)
    a, f = _pair(actual, forecast)
    t = check_1d(train, "train")
    return float(np.mean(np.abs(a - f))) / _mase_scale(t, season)


def coverage(actual: Any, lower: Any, upper: Any) -> float:
    """Share of actual values inside their interval ``[lower, upper]`` (should be near its level).

    Examples
    --------
    >>> coverage([1.0, 5.0, 3.0], [0.0, 0.0, 3.5], [2.0, 4.0, 6.0])
    0.3333...
    """
    a, lo = _pair(actual, lower, "lower")
    _, hi = _pair(actual, upper, "upper")
    if (lo > hi).any():
        raise ValueError(f"lower must not exceed upper, got lower > upper in {int((lo > hi).sum())} "
                         "position(s)")
    return float(np.mean((a >= lo) & (a <= hi)))


__all__ = ["daily_series", "weekly_series", "holiday_windows", "calendar_features",
           "FittedForecaster", "naive", "seasonal_naive", "moving_average", "fit_ets",
           "fit_sarimax", "known_values", "backtest", "summarize", "mae", "rmse", "mape",
           "mase", "coverage", "infer_season", "DEFAULT_LEVEL", "HOLIDAY_WINDOWS"]
