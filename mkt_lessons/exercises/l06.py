"""Exercises of lesson 06, forecasting.

The notebook's variables when the exercises start (see :func:`namespace`): ``revenue``
(daily revenue from the day after the last day without sales, as the notebook models it), ``train`` and ``test`` (everything before the 8-week holdout, and the
holdout), ``H`` (56), ``features`` (calendar regressors), ``sarimax_fc`` (the SARIMAX
forecast of the holdout: forecast, lower, upper), ``expected`` (the generator's expected
daily revenue, the oracle) and ``equip`` (statsmodels' monthly ``elec_equip`` series).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from mkt_lessons import data
from mkt_lessons import forecast as fc
from mkt_lessons.exercises import (
    FunctionProblem,
    ThoughtProblem,
    ValueProblem,
    collect,
    solutions_printer,
)

H = 56
WINDOW = 400


@functools.cache
def _state() -> dict:
    revenue = fc.daily_series(data.load_orders())
    zero_days = revenue.index[revenue == 0]  # as the notebook: model from the day after the last
    if len(zero_days):                        # day without sales (log(0) is minus infinity)
        revenue = revenue.loc[zero_days.max() + pd.Timedelta(days=1):]
    features = fc.calendar_features(revenue.index, data.load_promotions())
    train, test = revenue.iloc[:-H], revenue.iloc[-H:]
    sarimax_fc = fc.fit_sarimax(train.iloc[-WINDOW:], exog=features).forecast(H)
    expected = data.load_truth().expected_daily_revenue.set_index("date")["expected_revenue"]
    from statsmodels.datasets import elec_equip

    equip = elec_equip.load().data.iloc[:, 0].rename("orders index")
    return {"revenue": revenue, "features": features, "train": train, "test": test,
            "sarimax_fc": sarimax_fc, "expected": expected, "H": H, "equip": equip}


def namespace() -> dict:
    """The variables lesson 06 has when its exercises start."""
    return {**_state(), "pd": pd, "np": np, "forecast": fc}


# q1: the MASE denominator ------------------------------------------------------------------
def _scale(lag: int) -> float:
    y = _state()["train"].to_numpy()
    return float(np.mean(np.abs(y[lag:] - y[:-lag])))


q1 = ValueProblem(
    "mase_scale", lambda: _scale(7), rtol=1e-6, atol=0.5,  # rounded to the dollar is right too
    mistakes=[(lambda: _scale(1),
               "That is the in-sample MAE of the *naive* forecast (lag 1). MASE for daily data "
               "scales by the seasonal naive forecast: compare each day with the same weekday "
               "a week earlier (lag 7)."),
              (lambda: float(np.mean(np.abs(_state()["test"].to_numpy()[7:]
                                            - _state()["test"].to_numpy()[:-7]))),
               "You used the holdout: the scale comes from the training data only.")],
    hint="The seasonal naive forecast of day t is the value of day t - 7, so its error exists "
         "for every training day from the eighth on. Average the absolute errors; two slices of "
         "the same NumPy array can line each day up with the day a week earlier, without a loop.",
    solution='''
        y = train.to_numpy()
        mase_scale = np.mean(np.abs(y[7:] - y[:-7]))
    ''',
    success="Any forecast whose MAE is below this number beats last week's copy, in-sample.",
)


# q2: seasonal naive, by hand ----------------------------------------------------------------
def _snaive_ref(y: np.ndarray, horizon: int, season: int = 7) -> np.ndarray:
    s = pd.Series(np.asarray(y, dtype=float), index=pd.date_range("2024-01-01", periods=len(y)))
    return fc.seasonal_naive(s, season=season).forecast(horizon)["forecast"].to_numpy()


def _snaive_cases() -> list[tuple]:
    rng = np.random.default_rng(6)
    return [(np.arange(1.0, 15.0), 7), (np.arange(1.0, 15.0), 10),
            (rng.uniform(0, 100, 30).round(2), 21), (np.array([5.0, 1, 2, 3, 4, 5, 6, 7]), 3),
            (rng.uniform(0, 10, 9), 1)]


def _snaive_cases_with_season() -> list[tuple]:
    return [(*c, 7) for c in _snaive_cases()] + [(np.arange(1.0, 10.0), 5, 3)]


def _repeats_last_value(y, horizon, season=7):
    return np.repeat(np.asarray(y, dtype=float)[-1], horizon)


def _copies_first_season(y, horizon, season=7):
    return np.asarray(y, dtype=float)[np.arange(horizon) % season]


def _ignores_season(y, horizon, season=7):
    return _snaive_ref(y, horizon, 7)


q2 = FunctionProblem(
    "seasonal_naive_forecast", _snaive_ref, _snaive_cases_with_season,
    mistakes=[
        (_repeats_last_value,
         "Your function repeats the last value: that is the *naive* forecast. The seasonal naive "
         "forecast copies the value one season earlier, so Monday copies last Monday."),
        (_copies_first_season,
         "Your function copies the *first* season of `y`; a forecast copies the most recent one, "
         "at the end of the series."),
        (_ignores_season,
         "Your function always uses a season of 7 days: use the `season` argument (a test case "
         "passes another one)."),
    ],
    hint="Only the last `season` values of `y` matter. Step 1 copies the first of them, step "
         "`season + 1` copies it again: the steps cycle through the phases, and the remainder "
         "operator `%` cycles.",
    solution='''
        def seasonal_naive_forecast(y, horizon, season=7):
            y = np.asarray(y, dtype=float)
            last_season = y[-season:]
            return last_season[np.arange(horizon) % season]
    ''',
    success="That is the benchmark every daily model has to beat.",
)


# q3: interval coverage on the holdout ----------------------------------------------------------
def _coverage() -> float:
    s = _state()
    f, a = s["sarimax_fc"], s["test"].to_numpy()
    return float(np.mean((a >= f["lower"].to_numpy()) & (a <= f["upper"].to_numpy())))


q3 = ValueProblem(
    "holdout_coverage", _coverage, rtol=1e-9, atol=5e-4,  # 0.929 (three decimals) is right too
    mistakes=[(lambda: 100 * _coverage(), "Give the share as a fraction between 0 and 1, not a percentage."),
              (lambda: 1 - _coverage(), "That is the share *outside* the interval.")],
    hint="Compare `test` with the `lower` and `upper` columns of `sarimax_fc` (use `.to_numpy()` "
         "so the comparison is day by day); a day is covered if lower <= actual <= upper. "
         "The mean of True/False values is a share.",
    solution='''
        actual = test.to_numpy()
        inside = (actual >= sarimax_fc["lower"].to_numpy()) & (actual <= sarimax_fc["upper"].to_numpy())
        holdout_coverage = inside.mean()
    ''',
    success="An 80% interval should contain about 80% of the days; 56 days is a small sample, "
            "so judge coverage over the whole backtest.",
)


# q4: how much of the error is irreducible? -------------------------------------------------------
def _oracle_share() -> float:
    s = _state()
    oracle_mae = fc.mae(s["test"], s["expected"].loc[s["test"].index])
    return oracle_mae / fc.mae(s["test"], s["sarimax_fc"]["forecast"])


q4 = ValueProblem(
    "irreducible_share", _oracle_share, rtol=1e-6, atol=5e-4,  # three decimals are right too
    mistakes=[(lambda: 1 / _oracle_share(), "Upside down: divide the oracle's MAE by the model's MAE."),
              (lambda: 1 - _oracle_share(), "That is the share the model could still gain; the "
               "question asks for the share that no model can remove.")],
    hint="Two MAEs on the same 56 holdout days, with `forecast.mae(actual, predicted)`: the "
         "oracle predicts the generator's `expected` revenue of those dates; SARIMAX's point "
         "forecast is a column of `sarimax_fc`. Which goes on top?",
    solution='''
        oracle_mae = forecast.mae(test, expected.loc[test.index])
        irreducible_share = oracle_mae / forecast.mae(test, sarimax_fc["forecast"])
    ''',
    success="Most of the remaining error is noise that no forecast of daily revenue can remove.",
)


q5 = ThoughtProblem(
    "q5_answer",
    explanation="The oracle forecasts the *expected* (mean) revenue of each day. Daily revenue is "
                "skewed: many ordinary days and a few days with big baskets, so the median is below "
                "the mean. RMSE is minimised by the mean, MAE by the median, and MAPE - which divides "
                "each miss by the actual, so misses on low days weigh most - by a value lower still. "
                "A log-scale model such as our SARIMAX forecasts something close to the median, so "
                "over a few ordinary weeks it can beat the oracle on MAPE and come close on MAE, "
                "while on RMSE the oracle wins. Choose the metric "
                "for the decision: staffing or stock that costs the same per dollar missed wants "
                "MAE (the median); a budget that adds up days wants the mean (RMSE, or bias).",
)



# q6: the season of monthly data -----------------------------------------------------------------
def _monthly_scale(lag: int) -> float:
    y = _state()["equip"].to_numpy()[:-24]
    return float(np.mean(np.abs(y[lag:] - y[:-lag])))


q6 = ValueProblem(
    "monthly_scale", lambda: _monthly_scale(12), rtol=1e-6, atol=5e-4,  # three decimals are right too
    mistakes=[(lambda: _monthly_scale(7),
               "That is a lag of 7 - the weekly cycle of *daily* data. Monthly data repeats every "
               "12 months: compare each month with the same month a year earlier."),
              (lambda: _monthly_scale(1),
               "That is the naive forecast's error (lag 1). MASE scales by the *seasonal* naive "
               "forecast: for monthly data, the same month one year earlier."),
              (lambda: float(np.mean(np.abs(np.diff(_state()["equip"].to_numpy(), 12)))),
               "`np.diff(y, 12)` is the 12th difference, not the difference at lag 12; and use "
               "only the training part (everything but the last 24 months)."),
              (lambda: float(np.mean(np.abs(_state()["equip"].to_numpy()[12:]
                                            - _state()["equip"].to_numpy()[:-12]))),
               "You used the whole series: the scale comes from the training data only "
               "(everything before the last 24 months).")],
    hint="The recipe of exercise 1 with two changes: the season of monthly data (the package "
         "reads it from the index: `forecast.infer_season`), and only the training part of the "
         "series - everything but its last 24 months.",
    solution='''
        y = equip.to_numpy()[:-24]
        season = forecast.infer_season(equip.index)  # 12
        monthly_scale = np.mean(np.abs(y[season:] - y[:-season]))
    ''',
    success="That is the denominator of the first fold's MASE in the monthly backtest.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
