"""Forecasting on monthly public data (issue 14): the airline passengers and a statsmodels series.

The airline passengers (Box & Jenkins 1976, Series G: monthly international airline
passengers in thousands, 1949-1960) are typed below from the published table (sum 40,363).
statsmodels does not bundle them; lesson 06 uses statsmodels' bundled monthly series
``elec_equip`` instead. The oracle for the airline model is the published fit of
``arima(log(AirPassengers), order=c(0,1,1), seasonal=c(0,1,1))`` in R: MA(1) -0.4018, seasonal
MA(1) -0.5569, innovation variance 0.001348.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd
import pytest

from mkt_lessons import forecast as fc

AIRLINE = [
    112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118,
    115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140,
    145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166,
    171, 180, 193, 181, 183, 218, 230, 242, 209, 191, 172, 194,
    196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201,
    204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203, 229,
    242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278,
    284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306,
    315, 301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336,
    340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337,
    360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405,
    417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432,
]
airline_model = functools.partial(fc.fit_sarimax, order=(0, 1, 1), seasonal_order=(0, 1, 1))


@pytest.fixture(scope="module")
def air() -> pd.Series:
    assert sum(AIRLINE) == 40363 and len(AIRLINE) == 144
    return pd.Series(AIRLINE, index=pd.period_range("1949-01", periods=144, freq="M"),
                     dtype=float, name="passengers")


def _no_warnings(func, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = func(*args, **kwargs)
    assert not caught, [f"{w.category.__name__}: {w.message}" for w in caught]
    return out


def test_airline_model_reproduces_the_published_fit_without_warnings(air):
    model = _no_warnings(airline_model, air)
    assert model.result_.model.seasonal_order == (0, 1, 1, 12)  # s inferred from freq "M"
    p = model.params_
    assert p["ma.L1"] == pytest.approx(-0.4018, abs=0.001)
    assert p["ma.S.L12"] == pytest.approx(-0.5569, abs=0.001)
    assert p["sigma2"] == pytest.approx(0.001348, abs=0.000005)
    state = fc.fit_sarimax(air, order=(0, 1, 1), seasonal_order=(0, 1, 1, 12), method="statespace")
    np.testing.assert_allclose(state.params_.to_numpy(), p.to_numpy(), atol=0.001)


def test_period_and_datetime_indexes_give_the_same_forecast(air):
    monthly = air.set_axis(air.index.to_timestamp())
    monthly.index.freq = "MS"
    for make in (fc.naive, fc.seasonal_naive, airline_model):
        a, b = make(air).forecast(6), make(monthly).forecast(6)
        np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-10)
        assert isinstance(a.index, pd.PeriodIndex) and str(a.index[0]) == "1961-01"
        assert isinstance(b.index, pd.DatetimeIndex) and b.index[0] == pd.Timestamp("1961-01-01")


def test_seasonal_naive_on_monthly_data_copies_last_year(air):
    out = _no_warnings(fc.seasonal_naive, air).forecast(18)["forecast"].to_numpy()
    last_year = np.array(AIRLINE[-12:], float)
    np.testing.assert_array_equal(out, np.r_[last_year, last_year[:6]])


@pytest.mark.parametrize(("index", "season"), [
    (pd.date_range("2024-01-01", periods=30, freq="D"), 7),
    (pd.period_range("2024-01-01", periods=30, freq="D"), 7),
    (pd.date_range("2024-01-07", periods=30, freq="7D"), 52),
    (pd.date_range("2024-01-07", periods=30, freq="W-SUN"), 52),
    (pd.period_range("2024-01", periods=30, freq="W"), 52),
    (pd.date_range("2020-01-01", periods=30, freq="MS"), 12),
    (pd.date_range("2020-01-31", periods=30, freq="ME"), 12),
    (pd.period_range("2020-01", periods=30, freq="M"), 12),
    (pd.period_range("2020Q1", periods=30, freq="Q"), 4),
    (pd.DatetimeIndex(pd.date_range("2020-01-01", periods=30, freq="MS").to_numpy()), 12),  # freq inferred
])
def test_infer_season(index, season):
    assert fc.infer_season(index) == season


def test_no_silent_season_for_other_frequencies():
    yearly = pd.Series(np.arange(1.0, 21.0), index=pd.period_range("2000", periods=20, freq="Y"))
    with pytest.raises(ValueError, match="pass season="):
        fc.seasonal_naive(yearly)
    with pytest.raises(ValueError, match="pass season="):
        fc.backtest(yearly, fc.naive, horizon=2, folds=2)
    assert fc.seasonal_naive(yearly, season=1).forecast(1)["forecast"].iloc[0] == 20.0
    with pytest.raises(ValueError, match="season is required"):
        fc.mase([1.0], [1.0], np.arange(30.0))


def test_backtest_on_airline_scales_mase_by_the_12_month_lag(air):
    res = _no_warnings(lambda: pd.concat([
        fc.backtest(air, fc.naive, horizon=12, folds=2),
        fc.backtest(air, fc.seasonal_naive, horizon=12, folds=2),
        fc.backtest(air, airline_model, horizon=12, folds=2, name="airline")]))
    y = np.array(AIRLINE, float)
    for fold, origin in ((0, 120), (1, 132)):  # last 24 months: 1959 and 1960
        scale = np.mean(np.abs(y[12:origin] - y[:origin - 12]))  # by hand, lag 12
        np.testing.assert_allclose(res.loc[res["fold"] == fold, "scale"], scale)
    table = fc.summarize(res)
    for name, g in res.groupby("model"):  # MASE = mean over folds of fold MAE / fold scale
        by_hand = np.mean([np.mean(np.abs(f["actual"] - f["forecast"])) / f["scale"].iloc[0]
                           for _, f in g.groupby("fold")])
        assert table.loc[name, "MASE"] == pytest.approx(by_hand)
    assert table.loc["airline", "MASE"] < 1 < table.loc["seasonal naive", "MASE"] \
        < table.loc["naive", "MASE"]


def test_statsmodels_bundled_monthly_series_runs_clean():
    from statsmodels.datasets import elec_equip

    raw = elec_equip.load().data.iloc[:, 0]
    assert raw.index.freq is None and len(raw) == 257  # monthly, freq not set: inferred
    res = _no_warnings(lambda: pd.concat([
        fc.backtest(raw, fc.seasonal_naive, horizon=12, folds=2),
        fc.backtest(raw, airline_model, horizon=12, folds=2, name="airline")]))
    x = raw.to_numpy()
    by_hand = sorted(np.mean(np.abs(x[12:n] - x[:n - 12])) for n in (233, 245))  # lag 12
    np.testing.assert_allclose(sorted(res["scale"].unique()), by_hand)


def test_ets_params_are_real_numbers_on_monthly_data(air):
    model = _no_warnings(fc.fit_ets, air)
    assert model.result_.model.seasonal_periods == 12
    assert model.params_.notna().all() and len(model.params_) == len(model.result_.param_names)
    np.testing.assert_array_equal(model.params_.to_numpy(), np.asarray(model.result_.params))
    assert 0 < model.params_["smoothing_level"] < 1


def test_regressors_with_differencing_show_no_warning(air):
    """With exog and d > 0 statsmodels announces the differencing before GLS - a UserWarning
    in 0.14.6 (our floor), a SpecificationWarning later: expected, explained, never shown."""
    rng = np.random.default_rng(0)  # a regressor that keeps varying after differencing
    exog = pd.DataFrame({"promo": rng.normal(size=len(air)).cumsum() * 0.01}, index=air.index)
    model = _no_warnings(fc.fit_sarimax, air, order=(0, 1, 1), seasonal_order=(0, 1, 1, 12),
                         exog=exog)
    assert set(exog.columns) <= set(model.params_.index)
