"""Forecasting daily revenue: series, baselines, statsmodels models, backtests and metrics.

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

Design choice: one protocol (fit function -> ``.forecast``) for baselines and statsmodels
models alike, so :func:`backtest` takes any of them, including ``functools.partial(fit_sarimax,
exog=X)`` and a learner's own function. Models fitted with ``log=True`` model the logarithm
of revenue: their ``forecast`` column is then the back-transformed *median*, which is what
minimises the MAE, and their intervals are exact quantiles of the log-scale model.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mkt_lessons._checks import check_frame

DEFAULT_LEVEL = 0.8
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
HOLIDAY_WINDOWS = ("november", "black_friday_weekend", "gift_season", "december_peak",
                   "christmas")
FORECAST_COLUMNS = ["forecast", "lower", "upper"]


# --------------------------------------------------------------------------- validation
def _check_series(series: Any, name: str = "series", min_length: int = 2) -> pd.Series:
    """Return a float copy of ``series`` with a regular DatetimeIndex and its ``freq`` set."""
    if not isinstance(series, pd.Series):
        raise TypeError(f"{name} must be a pandas Series indexed by date, got {type(series).__name__}.")
    if not isinstance(series.index, pd.DatetimeIndex):
        raise TypeError(f"{name} must have a DatetimeIndex (dates as the index), got "
                        f"{type(series.index).__name__}; use series.set_index or daily_series().")
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        raise TypeError(f"{name} must hold numbers, got dtype {series.dtype}.")
    if len(series) < min_length:
        raise ValueError(f"{name} is too short: {len(series)} observations, need at least {min_length}.")
    if series.isna().any():
        raise ValueError(f"{name} has {int(series.isna().sum())} missing values; a day without "
                         "sales is 0, not missing: fill or drop them explicitly first.")
    if not series.index.is_monotonic_increasing or series.index.has_duplicates:
        raise ValueError(f"{name} must have sorted, unique dates.")
    freq = series.index.freq
    if freq is None and len(series) >= 3:
        freq = pd.DatetimeIndex(series.index, freq="infer").freq
    if freq is None:
        steps = np.diff(series.index.asi8)
        if len(set(steps.tolist())) > 1:
            raise ValueError(f"{name} has gaps (uneven spacing between dates): every period must "
                             "be present; use daily_series() to fill days without orders with 0.")
        freq = pd.tseries.frequencies.to_offset(pd.Timedelta(int(steps[0]), "ns"))
    out = series.astype("float64").copy()
    out.index = pd.DatetimeIndex(out.index, freq=freq)
    return out


def _check_positive_int(value: Any, name: str, minimum: int = 1) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}.")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}.")
    return int(value)


def _check_level(level: Any) -> float:
    if not isinstance(level, (int, float, np.floating)) or not 0 < float(level) < 1:
        raise ValueError(f"level must be a probability strictly between 0 and 1 (0.8 for an "
                         f"80% interval), got {level!r}.")
    return float(level)


def _future_index(series: pd.Series, horizon: int) -> pd.DatetimeIndex:
    freq = series.index.freq
    return pd.date_range(series.index[-1] + freq, periods=horizon, freq=freq, name=series.index.name)


def _check_columns(df: pd.DataFrame, name: str, columns: Sequence[str]) -> None:
    check_frame(df, name, columns)


# --------------------------------------------------------------------------- series
def daily_series(orders: pd.DataFrame, *, date_col: str = "order_date", amount_col: str = "revenue",
                 start: str | pd.Timestamp | None = None,
                 end: str | pd.Timestamp | None = None) -> pd.Series:
    """Total ``amount_col`` per calendar day, with days without orders as 0.

    Parameters
    ----------
    orders : DataFrame
        One row per order line with a date and an amount.
    date_col, amount_col : str
        Column names of the date (datetime; times are floored to the day) and the amount.
    start, end : date-like, optional
        First and last day of the series (default: first and last order date). Use them to
        include leading or trailing days without sales.

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
    _check_columns(orders, "orders", [date_col, amount_col])
    if not pd.api.types.is_datetime64_any_dtype(orders[date_col]):
        raise TypeError(f"orders[{date_col!r}] must be datetime, got {orders[date_col].dtype}; "
                        "parse it with pd.to_datetime first.")
    if not pd.api.types.is_numeric_dtype(orders[amount_col]):
        raise TypeError(f"orders[{amount_col!r}] must be numeric, got {orders[amount_col].dtype}.")
    if orders[date_col].isna().any() or orders[amount_col].isna().any():
        raise ValueError(f"orders has missing values in {date_col!r} or {amount_col!r}: clean them first.")
    if len(orders) == 0 and (start is None or end is None):
        raise ValueError("orders is empty: pass start and end to build an all-zero series.")
    days = orders[date_col].dt.floor("D")
    totals = orders[amount_col].astype("float64").groupby(days).sum()
    first = pd.Timestamp(start) if start is not None else totals.index.min()
    last = pd.Timestamp(end) if end is not None else totals.index.max()
    if last < first:
        raise ValueError(f"end ({last.date()}) is before start ({first.date()}).")
    index = pd.date_range(first, last, freq="D", name="date")
    return totals.reindex(index, fill_value=0.0).rename(amount_col)


def weekly_series(daily: pd.Series, *, week_start: str = "SUN", drop_partial: bool = True) -> pd.Series:
    """Sum a daily series into weeks labelled by their first day.

    Parameters
    ----------
    daily : Series
        A daily series as returned by :func:`daily_series`.
    week_start : str
        The weekday weeks start on: "MON" ... "SUN" (Lumen Home's reporting weeks start on Sunday).
    drop_partial : bool
        Drop weeks at either end with fewer than 7 days (a 3-day week is not a low week).

    Returns
    -------
    Series
        Weekly totals indexed by week start, ``freq="7D"``.
    """
    daily = _check_series(daily, "daily")
    if daily.index.freq != pd.offsets.Day():
        raise ValueError(f"daily must have one value per day (freq 'D'), got freq {daily.index.freqstr}.")
    names = [d.upper() for d in WEEKDAYS]
    if not isinstance(week_start, str) or week_start.upper()[:3] not in names:
        raise ValueError(f"week_start must be one of {names}, got {week_start!r}.")
    start_dow = names.index(week_start.upper()[:3])
    offset = (daily.index.day_of_week - start_dow) % 7
    week = daily.index - pd.to_timedelta(offset, unit="D")
    grouped = daily.groupby(week)
    totals, counts = grouped.sum(), grouped.size()
    if drop_partial:
        totals = totals[counts == 7]
    index = pd.date_range(totals.index[0], periods=len(totals), freq="7D", name="week_start")
    return pd.Series(totals.to_numpy(), index=index, name=daily.name)


def _black_friday(year: int) -> pd.Timestamp:
    """Black Friday: the day after US Thanksgiving (the fourth Thursday of November)."""
    nov1 = pd.Timestamp(year=year, month=11, day=1)
    first_thursday = nov1 + pd.Timedelta(days=(3 - nov1.day_of_week) % 7)
    return first_thursday + pd.Timedelta(weeks=3, days=1)


def holiday_windows(dates: pd.DatetimeIndex) -> pd.DataFrame:
    """0/1 indicators of the US retail calendar's windows for each date.

    Columns: ``november`` (Nov 1 to the day before Black Friday), ``black_friday_weekend``
    (Black Friday to Cyber Monday), ``gift_season`` (Nov 15 to Dec 22, when gifts are
    bought), ``december_peak`` (Dec 1-20) and ``christmas`` (Dec 24-26, the shop is quiet).
    """
    dates = pd.DatetimeIndex(dates)
    out = pd.DataFrame(0.0, index=dates, columns=list(HOLIDAY_WINDOWS))
    for year in sorted(set(dates.year)):
        bf = _black_friday(year)
        windows = {
            "november": (pd.Timestamp(year, 11, 1), bf - pd.Timedelta(days=1)),
            "black_friday_weekend": (bf, bf + pd.Timedelta(days=3)),
            "gift_season": (pd.Timestamp(year, 11, 15), pd.Timestamp(year, 12, 22)),
            "december_peak": (pd.Timestamp(year, 12, 1), pd.Timestamp(year, 12, 20)),
            "christmas": (pd.Timestamp(year, 12, 24), pd.Timestamp(year, 12, 26)),
        }
        for col, (a, b) in windows.items():
            out.loc[(dates >= a) & (dates <= b), col] = 1.0
    return out


def calendar_features(dates: pd.DatetimeIndex | pd.Series, promotions: pd.DataFrame | None = None, *,
                      weekday: bool = True, fourier_order: int = 2, holidays: bool = True,
                      start_col: str = "start_date", end_col: str = "end_date") -> pd.DataFrame:
    """Regressors known in advance for each date: weekday, yearly cycle, holidays, promotions.

    Parameters
    ----------
    dates : DatetimeIndex or Series of datetimes
        The days to describe (training and forecast days alike).
    promotions : DataFrame, optional
        The promotions calendar, one row per promotion with inclusive ``start_col`` and
        ``end_col`` dates; adds a 0/1 column ``promo``.
    weekday : bool
        Add six 0/1 columns ``mon`` ... ``sat`` (Sunday is the baseline).
    fourier_order : int
        Number K of sine/cosine pairs ``sin1, cos1 ... sinK, cosK`` of the yearly cycle
        (period 365.25 days); 0 for none. A few smooth terms replace 365 daily dummies.
    holidays : bool
        Add the retail holiday windows of :func:`holiday_windows`.

    Returns
    -------
    DataFrame
        One row per date (index = the dates), float columns.
    """
    if isinstance(dates, pd.Series):
        if not pd.api.types.is_datetime64_any_dtype(dates):
            raise TypeError(f"dates must hold datetimes, got dtype {dates.dtype}.")
        dates = pd.DatetimeIndex(dates)
    if not isinstance(dates, pd.DatetimeIndex):
        raise TypeError(f"dates must be a DatetimeIndex or a Series of datetimes, got {type(dates).__name__}.")
    fourier_order = _check_positive_int(fourier_order, "fourier_order", minimum=0)
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
        _check_columns(promotions, "promotions", [start_col, end_col])
        promo = np.zeros(len(dates))
        for a, b in zip(promotions[start_col], promotions[end_col], strict=True):
            promo[(dates >= pd.Timestamp(a)) & (dates <= pd.Timestamp(b))] = 1.0
        out["promo"] = promo
    if out.shape[1] == 0:
        raise ValueError("calendar_features: every feature group is switched off.")
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
        horizon = _check_positive_int(horizon, "horizon")
        level = _check_level(level)
        point, lower, upper = self._forecast(horizon, level)
        return pd.DataFrame({"forecast": point, "lower": lower, "upper": upper},
                            index=_future_index(self.train_, horizon))

    def _forecast(self, horizon: int, level: float):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        t = self.train_.index
        return f"<{self.name} fitted on {len(t)} periods, {t[0].date()} to {t[-1].date()}>"


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


def seasonal_naive(series: pd.Series, season: int = 7) -> FittedForecaster:
    """The seasonal naive forecast: each future value equals the value one season earlier.

    For daily data with ``season=7``, next Monday is forecast as last Monday. The benchmark
    every daily model must beat, and the scale of :func:`mase`.

    Examples
    --------
    >>> y = pd.Series([1.0, 2.0, 3.0, 4.0], index=pd.date_range("2024-01-01", periods=4))
    >>> seasonal_naive(y, season=2).forecast(3)["forecast"].tolist()
    [3.0, 4.0, 3.0]
    """
    season = _check_positive_int(season, "season")
    return _SeasonalNaive(_check_series(series, min_length=season + 1), season)


def moving_average(series: pd.Series, window: int = 28) -> FittedForecaster:
    """Forecast every future value as the mean of the last ``window`` observations."""
    window = _check_positive_int(window, "window")
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

    def _future_exog(self, horizon: int) -> pd.DataFrame | None:
        if self.exog_ is None:
            return None
        future = _future_index(self.train_, horizon)
        missing = future.difference(self.exog_.index)
        if len(missing):
            raise ValueError(f"exog has no rows for {len(missing)} forecast date(s) from "
                             f"{missing[0].date()}: regressors must be known for the whole horizon.")
        return self.exog_.loc[future]

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


def _fit_quietly(model, **kw):
    """Fit a statsmodels model; return (result, converged) instead of printing warnings."""
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    with warnings.catch_warnings(record=True) as caught, _one_blas_thread():
        warnings.simplefilter("always", ConvergenceWarning)
        result = model.fit(**kw) if "method" in kw else model.fit(disp=False, **kw)
    for w in caught:  # re-issue anything that is not about convergence
        if not issubclass(w.category, ConvergenceWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return result, converged


def fit_ets(series: pd.Series, *, trend: str | None = "add", damped_trend: bool = True,
            seasonal: str | None = "add", season: int = 7, log: bool = True) -> FittedForecaster:
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
    season : int
        Seasonal period (7 for the weekly cycle of daily data).
    log : bool
        Model ``log(series)``; forecasts are back-transformed medians and intervals.

    Returns
    -------
    FittedForecaster
        With ``result_`` (the statsmodels results) and ``converged_``.
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    if trend not in ("add", None) or seasonal not in ("add", None):
        raise ValueError(f"trend and seasonal must be 'add' or None, got {trend!r} and {seasonal!r} "
                         "(with log=True an additive model is multiplicative in revenue).")
    season = _check_positive_int(season, "season", minimum=2)
    y, z = _prepare(series, log, min_length=2 * season + 2)
    model = ETSModel(z, error="add", trend=trend, damped_trend=damped_trend and trend is not None,
                     seasonal=seasonal, seasonal_periods=season if seasonal else None)
    result, converged = _fit_quietly(model)
    return _StatsmodelsForecaster(y, result, "ETS", log, converged=converged)


def fit_sarimax(series: pd.Series, *, order: tuple[int, int, int] = (1, 1, 1),
                seasonal_order: tuple[int, int, int, int] = (0, 0, 0, 0),
                exog: pd.DataFrame | None = None, trend: str | None = None,
                log: bool = True, method: str = "innovations_mle") -> FittedForecaster:
    """Fit a regression with (seasonal) ARIMA errors: statsmodels' SARIMAX family.

    Parameters
    ----------
    series : Series
        Regular, gap-free series (e.g. from :func:`daily_series`).
    order, seasonal_order : tuple
        ``(p, d, q)`` and ``(P, D, Q, s)`` as in statsmodels. Daily seasonal ARIMA with
        ``s=365`` is far too slow: model the yearly cycle with Fourier regressors instead.
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
        ``"statespace"`` is plain ``SARIMAX(...).fit()``.

    Returns
    -------
    FittedForecaster
        With ``result_`` (statsmodels ``SARIMAXResults``), ``exog_`` and ``converged_``.
    """
    from statsmodels.tools.sm_exceptions import SpecificationWarning
    from statsmodels.tsa.arima.model import ARIMA
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    if method not in ("innovations_mle", "statespace"):
        raise ValueError(f"method must be 'innovations_mle' or 'statespace', got {method!r}.")
    y, z = _prepare(series, log, min_length=10)
    x_train = None
    if exog is not None:
        if not isinstance(exog, pd.DataFrame):
            raise TypeError(f"exog must be a DataFrame indexed by date, got {type(exog).__name__}.")
        if not isinstance(exog.index, pd.DatetimeIndex):
            raise TypeError("exog must have a DatetimeIndex (the dates the regressors describe).")
        missing = y.index.difference(exog.index)
        if len(missing):
            raise ValueError(f"exog has no rows for {len(missing)} training date(s), e.g. {missing[0].date()}.")
        if exog.isna().to_numpy().any():
            raise ValueError("exog has missing values.")
        x_train = exog.loc[y.index].astype("float64")
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
            raise ValueError(f"values has no entry for {len(missing)} forecast date(s) from {missing[0].date()}.")
        point = self.values.loc[future].to_numpy(dtype="float64")
        nan = np.full(horizon, np.nan)
        return point, nan, nan


def known_values(values: pd.Series) -> Callable[[pd.Series], FittedForecaster]:
    """A "model" that forecasts given values, e.g. the generator's expected revenue (the oracle).

    Returns a fit function for :func:`backtest`; its intervals are NaN (not scored).
    """
    values = _check_series(values, "values", min_length=1)

    def fit(series: pd.Series) -> FittedForecaster:
        return _Known(_check_series(series), values)

    fit.__name__ = "known_values"
    return fit


# --------------------------------------------------------------------------- backtest
def backtest(series: pd.Series, model: Callable[[pd.Series], Any], horizon: int, folds: int, *,
             step: int | None = None, level: float = DEFAULT_LEVEL, season: int = 7,
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
    season : int
        Seasonal lag of the MASE scale (7 for daily data).
    min_train : int, optional
        Minimum training length of the first fold (default ``2 * season + 2``).
    window : int, optional
        Train each fold on only its last ``window`` periods (a sliding window); default
        None trains on everything before the origin (an expanding window).
    name : str, optional
        Model label for the ``model`` column (default: the fitted model's ``name``).

    Returns
    -------
    DataFrame
        One row per fold and forecast date: ``model``, ``fold``, ``train_end`` (last
        training date), ``date``, ``h`` (steps ahead), ``actual``, ``forecast``, ``lower``,
        ``upper`` and ``scale`` (the fold's MASE denominator: the seasonal naive in-sample MAE
        on everything before the origin, the same for every model whatever its ``window``).
    """
    y = _check_series(series)
    horizon = _check_positive_int(horizon, "horizon")
    folds = _check_positive_int(folds, "folds")
    step = horizon if step is None else _check_positive_int(step, "step")
    season = _check_positive_int(season, "season")
    level = _check_level(level)
    min_train = 2 * season + 2 if min_train is None else _check_positive_int(min_train, "min_train")
    if window is not None:
        window = _check_positive_int(window, "window", minimum=max(min_train, season + 1))
    if not callable(model):
        raise TypeError(f"model must be a fit function train -> fitted model, got {type(model).__name__}.")
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
    inside their interval (NaN for models without intervals).
    """
    needed = ["model", "fold", "actual", "forecast", "lower", "upper", "scale"]
    _check_columns(results, "results", needed)
    by = [by] if isinstance(by, str) else list(by)
    _check_columns(results, "results", by)

    def score(g: pd.DataFrame) -> pd.Series:
        folds = g.groupby("fold")
        fold_mase = folds.apply(lambda f: mae(f["actual"], f["forecast"]) / f["scale"].iloc[0])
        has_pi = g[["lower", "upper"]].notna().all(axis=None)
        return pd.Series({
            "MAE": mae(g["actual"], g["forecast"]),
            "RMSE": rmse(g["actual"], g["forecast"]),
            "MAPE": mape(g["actual"], g["forecast"]),
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
def _pair(actual: Any, forecast: Any) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(actual, dtype="float64").ravel()
    f = np.asarray(forecast, dtype="float64").ravel()
    if a.shape != f.shape:
        raise ValueError(f"actual and forecast must have the same length, got {a.size} and {f.size}.")
    if a.size == 0:
        raise ValueError("actual and forecast are empty.")
    if np.isnan(a).any() or np.isnan(f).any():
        raise ValueError("actual and forecast must not contain missing values (NaN).")
    return a, f


def mae(actual: Any, forecast: Any) -> float:
    """Mean absolute error, in the units of the series (e.g. USD per day)."""
    a, f = _pair(actual, forecast)
    return float(np.mean(np.abs(a - f)))


def rmse(actual: Any, forecast: Any) -> float:
    """Root mean squared error: like MAE but large misses weigh more."""
    a, f = _pair(actual, forecast)
    return float(np.sqrt(np.mean((a - f) ** 2)))


def mape(actual: Any, forecast: Any) -> float:
    """Mean absolute percentage error as a fraction (0.12 = 12%), like scikit-learn's.

    Misbehaves near zero: a day with actual revenue of $5 and a forecast of $500 adds 99
    (9,900%). Returns ``inf`` if any actual value is exactly 0.
    """
    a, f = _pair(actual, forecast)
    if (a == 0).any():
        return math.inf
    return float(np.mean(np.abs((a - f) / a)))


def _mase_scale(train: np.ndarray, season: int) -> float:
    if train.size <= season:
        raise ValueError(f"train needs more than season={season} values for the MASE scale, got {train.size}.")
    scale = float(np.mean(np.abs(train[season:] - train[:-season])))
    if scale == 0:
        raise ValueError("MASE is undefined: the training series is exactly periodic with this season "
                         "(the seasonal naive forecast has zero in-sample error).")
    return scale


def mase(actual: Any, forecast: Any, train: Any, season: int = 7) -> float:
    """Mean absolute scaled error: MAE divided by the in-sample MAE of the seasonal naive forecast.

    ``scale = mean(|train[t] - train[t - season]|)`` over the training data only. MASE < 1
    means better than the seasonal naive method was in-sample; it has no trouble with zeros
    and compares series of different sizes.
    """
    season = _check_positive_int(season, "season")
    t = np.asarray(train, dtype="float64").ravel()
    if np.isnan(t).any():
        raise ValueError("train must not contain missing values (NaN).")
    return mae(actual, forecast) / _mase_scale(t, season)


def coverage(actual: Any, lower: Any, upper: Any) -> float:
    """Share of actual values inside their interval ``[lower, upper]`` (should be near its level)."""
    a, lo = _pair(actual, lower)
    _, hi = _pair(actual, upper)
    if (lo > hi).any():
        raise ValueError("lower must not exceed upper.")
    return float(np.mean((a >= lo) & (a <= hi)))


__all__ = ["daily_series", "weekly_series", "holiday_windows", "calendar_features",
           "FittedForecaster", "naive", "seasonal_naive", "moving_average", "fit_ets",
           "fit_sarimax", "known_values", "backtest", "summarize", "mae", "rmse", "mape",
           "mase", "coverage", "DEFAULT_LEVEL"]
