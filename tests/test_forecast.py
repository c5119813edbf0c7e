"""Unit tests of mkt_lessons.forecast: series, baselines, statsmodels glue, backtest, metrics.

Oracles: hand-computed small cases, scikit-learn's metrics, statsmodels fitted directly,
the promotions calendar in datasets/ and the generator's expected revenue in truth/.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    root_mean_squared_error,
)

from mkt_lessons import data
from mkt_lessons import forecast as fc


def _series(values, start="2024-01-01", freq="D"):
    return pd.Series(np.asarray(values, dtype=float),
                     index=pd.date_range(start, periods=len(values), freq=freq))


@pytest.fixture(scope="module")
def revenue():
    return fc.daily_series(data.load_orders())


@pytest.fixture(scope="module")
def features(revenue):
    return fc.calendar_features(revenue.index, data.load_promotions())


# --------------------------------------------------------------------------- series
def test_daily_series_fills_days_without_orders_with_zero():
    orders = pd.DataFrame({"order_date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-04"]),
                           "revenue": [10.0, 2.5, 4.0]})
    y = fc.daily_series(orders)
    assert y.index.equals(pd.date_range("2024-01-01", "2024-01-04", freq="D"))
    assert y.tolist() == [12.5, 0.0, 0.0, 4.0]
    assert y.index.freq == "D"
    y2 = fc.daily_series(orders, start="2023-12-31", end="2024-01-05")
    assert y2.tolist() == [0.0, 12.5, 0.0, 0.0, 4.0, 0.0]


def test_daily_series_custom_columns_and_no_mutation():
    orders = pd.DataFrame({"day": pd.to_datetime(["2024-01-02 13:45", "2024-01-01 00:00"]), "amt": [1.0, 2.0]})
    before = orders.copy()
    assert fc.daily_series(orders, date_col="day", amount_col="amt").tolist() == [2.0, 1.0]
    pd.testing.assert_frame_equal(orders, before)


def test_daily_series_of_the_shop_matches_a_plain_groupby(revenue):
    orders = data.load_orders()
    by_day = orders.groupby("order_date")["revenue"].sum()
    assert len(revenue) == 731
    assert revenue.sum() == pytest.approx(orders["revenue"].sum())
    np.testing.assert_allclose(revenue.loc[by_day.index], by_day)


def test_daily_series_errors():
    with pytest.raises(ValueError, match="order_date"):
        fc.daily_series(pd.DataFrame({"revenue": [1.0]}))
    with pytest.raises(TypeError, match="datetime"):
        fc.daily_series(pd.DataFrame({"order_date": ["2024-01-01"], "revenue": [1.0]}))
    with pytest.raises(TypeError, match="DataFrame"):
        fc.daily_series([1, 2, 3])


def test_weekly_series_sums_sunday_weeks_and_drops_partial_ones():
    y = _series(np.arange(1, 18), start="2024-01-03")  # Wed 3 Jan .. Fri 19 Jan
    w = fc.weekly_series(y)
    # complete Sunday-to-Saturday weeks: 7-13 Jan (values 5..11), 14-20 Jan is partial
    assert w.index.tolist() == [pd.Timestamp("2024-01-07")]
    assert w.iloc[0] == sum(range(5, 12))
    w_all = fc.weekly_series(y, drop_partial=False)
    assert w_all.tolist() == [1 + 2 + 3 + 4, sum(range(5, 12)), sum(range(12, 18))]
    w_mon = fc.weekly_series(y, week_start="MON", drop_partial=False)
    assert w_mon.index[0] == pd.Timestamp("2024-01-01")
    assert w_mon.iloc[0] == sum(range(1, 6))  # Wed 3 .. Sun 7


def test_calendar_features_weekday_fourier_holidays_and_promotions():
    promos = data.load_promotions()
    days = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    X = fc.calendar_features(days, promos, fourier_order=2)
    assert list(X.columns[:6]) == ["mon", "tue", "wed", "thu", "fri", "sat"]
    assert X.loc["2024-01-01", "mon"] == 1 and X.loc["2024-01-07", ["mon", "sat"]].sum() == 0
    assert X.loc["2024-01-01", "sin1"] == pytest.approx(0.0)
    assert X.loc["2024-01-01", "cos2"] == pytest.approx(1.0)
    # Black Friday = start of the "Black Friday" promotion in the bundled calendar
    for bf in promos.loc[promos["name"] == "Black Friday", "start_date"]:
        d = pd.date_range(bf - pd.Timedelta(days=1), periods=6, freq="D")
        bfw = fc.holiday_windows(d)["black_friday_weekend"].tolist()
        assert bfw == [0, 1, 1, 1, 1, 0]
    assert X.loc["2024-12-25", "christmas"] == 1 and X.loc["2024-12-27", "christmas"] == 0
    assert X["gift_season"].sum() == 38  # Nov 15 .. Dec 22 inclusive
    n_promo_days = sum((e - s).days + 1 for s, e in zip(promos.start_date, promos.end_date, strict=True)
                       if s.year == 2024)
    assert X["promo"].sum() == n_promo_days
    assert X.loc["2024-06-24", "promo"] == 1 and X.loc["2024-06-23", "promo"] == 0


# --------------------------------------------------------------------------- metrics
def test_metrics_on_hand_cases():
    a, f = [100.0, 200.0, 50.0], [110.0, 180.0, 50.0]
    assert fc.mae(a, f) == pytest.approx(10.0)
    assert fc.rmse(a, f) == pytest.approx(np.sqrt((100 + 400 + 0) / 3))
    assert fc.mape(a, f) == pytest.approx((0.1 + 0.1 + 0.0) / 3)
    with pytest.raises(ValueError, match="1 value.s. equal to 0"):  # undefined: refused
        fc.mape([0.0, 1.0], [1.0, 1.0])
    assert fc.mape([0.01, 1.0], [1.0, 1.0]) == pytest.approx(49.5)  # one tiny day dominates
    assert fc.coverage([1, 5, 10], [0, 6, 9], [2, 8, 10]) == pytest.approx(2 / 3)


def test_metrics_agree_with_scikit_learn():
    rng = np.random.default_rng(0)
    a, f = rng.uniform(1, 100, 50), rng.uniform(1, 100, 50)
    assert fc.mae(a, f) == pytest.approx(mean_absolute_error(a, f))
    assert fc.rmse(a, f) == pytest.approx(root_mean_squared_error(a, f))
    assert fc.mape(a, f) == pytest.approx(mean_absolute_percentage_error(a, f))


def test_mase_uses_the_seasonal_lag_of_the_training_data():
    train = [1.0, 2.0, 3.0, 4.0, 5.0, 7.0]
    # season 2: |3-1|, |4-2|, |5-3|, |7-4| -> mean 2.25 ; season 1: mean of 1,1,1,1,2 = 1.2
    actual, forecast = [10.0, 12.0], [11.0, 10.0]  # MAE 1.5
    assert fc.mase(actual, forecast, train, season=2) == pytest.approx(1.5 / 2.25)
    assert fc.mase(actual, forecast, train, season=1) == pytest.approx(1.5 / 1.2)
    # the test data never enter the scale
    assert fc.mase(actual, forecast, train + [1000.0], season=2) != pytest.approx(1.5 / 2.25)


def test_metric_errors():
    with pytest.raises(ValueError, match="same length"):
        fc.mae([1, 2], [1])
    with pytest.raises(ValueError, match="missing"):
        fc.rmse([1, np.nan], [1, 2])
    with pytest.raises(ValueError, match="season"):
        fc.mase([1], [1], [1, 2, 3], season=7)
    with pytest.raises(ValueError, match="periodic"):
        fc.mase([1], [1], [1, 2, 1, 2], season=2)
    with pytest.raises(ValueError, match="lower"):
        fc.coverage([1], [2], [1])


# --------------------------------------------------------------------------- baselines
def test_seasonal_naive_on_a_toy_series():
    y = _series([1, 2, 3, 10, 20, 30, 11, 21, 31])
    model = fc.seasonal_naive(y, season=3)
    out = model.forecast(7, level=0.8)
    assert out["forecast"].tolist() == [11, 21, 31, 11, 21, 31, 11]
    assert out.index[0] == pd.Timestamp("2024-01-10") and out.index.freq == "D"
    pd.testing.assert_series_equal(model.fitted_, y.shift(3).rename("fitted"), check_freq=False)
    # residuals 9,18,27,1,1,1 -> sigma = RMS; spread grows by sqrt(k + 1) per full season
    sigma = np.sqrt(np.mean(np.array([9, 18, 27, 1, 1, 1]) ** 2))
    half = (out["upper"] - out["forecast"]).to_numpy()
    z = 1.2815515655446004  # 90th percentile of the standard normal
    np.testing.assert_allclose(half, z * sigma * np.sqrt([1, 1, 1, 2, 2, 2, 3]))


def test_naive_and_moving_average_on_toy_series():
    y = _series([4.0, 6.0, 5.0, 9.0])
    out = fc.naive(y).forecast(3)
    assert out["forecast"].tolist() == [9.0, 9.0, 9.0]
    widths = (out["upper"] - out["lower"]).to_numpy()
    np.testing.assert_allclose(widths / widths[0], np.sqrt([1, 2, 3]))
    ma = fc.moving_average(y, window=2).forecast(2)
    assert ma["forecast"].tolist() == [7.0, 7.0]


def test_wider_level_gives_wider_intervals_and_inputs_are_not_modified():
    y = _series(np.arange(30) % 7 + np.arange(30) * 0.1)
    before = y.copy()
    m = fc.seasonal_naive(y)
    w80 = (m.forecast(7, 0.8).pipe(lambda d: d.upper - d.lower)).to_numpy()
    w95 = (m.forecast(7, 0.95).pipe(lambda d: d.upper - d.lower)).to_numpy()
    assert (w95 > w80).all()
    pd.testing.assert_series_equal(y, before)


def test_series_validation_errors():
    good = _series(np.arange(30.0))
    with pytest.raises(TypeError, match="DatetimeIndex"):
        fc.seasonal_naive(pd.Series(np.arange(30.0)))
    with pytest.raises(ValueError, match="gaps"):
        fc.seasonal_naive(good.drop(good.index[[5, 9]]))
    with pytest.raises(ValueError, match="too short"):
        fc.seasonal_naive(good.iloc[:5], season=7)
    with pytest.raises(ValueError, match="missing"):
        fc.naive(good.where(good != 3))
    with pytest.raises(ValueError, match="horizon"):
        fc.naive(good).forecast(0)
    with pytest.raises(TypeError, match="horizon"):
        fc.naive(good).forecast(2.5)
    with pytest.raises(ValueError, match="level"):
        fc.naive(good).forecast(3, level=80)
    with pytest.raises(TypeError, match="Series"):
        fc.naive(good.to_numpy())
    with pytest.raises(ValueError, match="positive"):
        fc.fit_ets(good)  # contains a 0: log is undefined


# --------------------------------------------------------------------------- statsmodels glue
def test_fit_ets_matches_statsmodels_on_the_log_scale():
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    rng = np.random.default_rng(1)
    t = np.arange(120)
    y = _series(np.exp(3 + 0.01 * t + 0.2 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 0.1, 120)))
    ours = fc.fit_ets(y).forecast(14, level=0.9)
    res = ETSModel(np.log(y), error="add", trend="add", damped_trend=True, seasonal="add",
                   seasonal_periods=7).fit(disp=False)
    ref = res.get_prediction(start=120, end=133).summary_frame(alpha=0.1)
    np.testing.assert_allclose(ours["forecast"], np.exp(ref["mean"]), rtol=1e-6)
    np.testing.assert_allclose(ours["lower"], np.exp(ref["pi_lower"]), rtol=1e-6)


def test_fit_sarimax_fast_method_reaches_the_statespace_maximum():
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    rng = np.random.default_rng(2)
    n = 300
    idx = pd.date_range("2023-01-01", periods=n, freq="D")
    X = pd.DataFrame({"promo": (np.arange(n + 20) % 30 < 4).astype(float),
                      "sat": (pd.date_range("2023-01-01", periods=n + 20).day_of_week == 5).astype(float)},
                     index=pd.date_range("2023-01-01", periods=n + 20, freq="D"))
    level = np.cumsum(rng.normal(0, 0.05, n))
    z = 5 + level + 0.4 * X["promo"].to_numpy()[:n] + 0.2 * X["sat"].to_numpy()[:n] + rng.normal(0, 0.2, n)
    y = pd.Series(np.exp(z), index=idx)
    fast = fc.fit_sarimax(y, exog=X, order=(0, 1, 1))
    ref = SARIMAX(np.log(y), exog=X.loc[idx], order=(0, 1, 1)).fit(disp=False)
    assert fast.result_.llf == pytest.approx(ref.llf, abs=1e-2)
    np.testing.assert_allclose(fast.result_.params[["promo", "sat"]], ref.params[["promo", "sat"]], atol=1e-2)
    ours = fast.forecast(20)
    want = np.exp(ref.get_forecast(20, exog=X.iloc[n:]).summary_frame()["mean"].to_numpy())
    np.testing.assert_allclose(ours["forecast"], want, rtol=1e-2)
    slow = fc.fit_sarimax(y, exog=X, order=(0, 1, 1), method="statespace")
    assert slow.result_.llf == pytest.approx(ref.llf)
    with pytest.raises(ValueError, match="forecast date"):
        fc.fit_sarimax(y, exog=X.iloc[: n + 5], order=(0, 1, 1)).forecast(10)
    with pytest.raises(ValueError, match="training date"):
        fc.fit_sarimax(y, exog=X.iloc[10:], order=(0, 1, 1))


# --------------------------------------------------------------------------- backtest
class _Recorder:
    """A fit function that remembers every training window it was given."""

    def __init__(self):
        self.trains = []

    def __call__(self, train):
        self.trains.append(train.copy())
        return fc.seasonal_naive(train)


def test_backtest_folds_never_train_on_the_future():
    y = _series(np.arange(100.0) % 7 + 1 + np.arange(100) * 0.01)
    rec = _Recorder()
    bt = fc.backtest(y, rec, horizon=10, folds=3)
    assert len(bt) == 30 and bt["fold"].tolist() == sorted(bt["fold"].tolist())
    # test windows: the last 30 days, consecutive, without overlap
    assert bt["date"].tolist() == y.index[70:].tolist()
    for k, train in enumerate(rec.trains):
        fold = bt[bt["fold"] == k]
        assert train.index.max() < fold["date"].min()
        assert train.index.max() == fold["train_end"].iloc[0]
        assert train.index.max() + pd.Timedelta(days=1) == fold["date"].min()
        assert train.index[0] == y.index[0]  # expanding window
        assert fold["h"].tolist() == list(range(1, 11))
        np.testing.assert_allclose(fold["actual"], y.loc[fold["date"]])
        v = train.to_numpy()
        assert fold["scale"].iloc[0] == pytest.approx(np.mean(np.abs(v[7:] - v[:-7])))


def test_backtest_step_and_sliding_window():
    y = _series(np.arange(60.0) + 1)
    rec = _Recorder()
    bt = fc.backtest(y, rec, horizon=7, folds=4, step=3, window=20)
    origins = [t.index.max() for t in rec.trains]
    assert [(b - a).days for a, b in zip(origins, origins[1:], strict=False)] == [3, 3, 3]
    assert all(len(t) == 20 for t in rec.trains)
    assert bt.groupby("fold")["date"].max().iloc[-1] == y.index[-1]


def test_backtest_errors():
    y = _series(np.arange(60.0) + 1)
    with pytest.raises(ValueError, match="too short"):
        fc.backtest(y, fc.seasonal_naive, horizon=20, folds=3)
    with pytest.raises(ValueError, match="horizon"):
        fc.backtest(y, fc.seasonal_naive, horizon=0, folds=3)
    with pytest.raises(ValueError, match="gaps"):
        fc.backtest(y.drop(y.index[3]), fc.seasonal_naive, horizon=7, folds=2)
    with pytest.raises(TypeError, match="DatetimeIndex"):
        fc.backtest(y.reset_index(drop=True), fc.seasonal_naive, horizon=7, folds=2)
    with pytest.raises(TypeError, match="fit function"):
        fc.backtest(y, "seasonal_naive", horizon=7, folds=2)


def test_summarize_by_hand():
    bt = pd.DataFrame({
        "model": "m", "fold": [0, 0, 1, 1], "actual": [10.0, 20.0, 30.0, 40.0],
        "forecast": [12.0, 20.0, 20.0, 40.0], "lower": [9.0, 15.0, 25.0, 35.0],
        "upper": [11.0, 25.0, 35.0, 45.0], "scale": [2.0, 2.0, 5.0, 5.0]})
    s = fc.summarize(bt).loc["m"]
    assert s["MAE"] == pytest.approx(3.0)
    assert s["RMSE"] == pytest.approx(np.sqrt((4 + 0 + 100 + 0) / 4))
    assert s["MAPE"] == pytest.approx((0.2 + 0 + 1 / 3 + 0) / 4)
    assert s["MASE"] == pytest.approx(((2 / 2) / 2 + (10 / 2) / 5) / 2)
    assert s["coverage"] == pytest.approx(1.0)
    assert s["folds"] == 2


# --------------------------------------------------------------------------- quality on the shop
@pytest.mark.slow
def test_quality_targets_on_the_shop(revenue, features, truth):
    """8-week holdout: best model beats seasonal naive; 80% intervals cover 70-90% in backtest."""
    expected = truth.expected_daily_revenue.set_index("date")["expected_revenue"]
    sarimax = functools.partial(fc.fit_sarimax, exog=features)
    bt = pd.concat([
        fc.backtest(revenue, fc.seasonal_naive, 56, 4),
        fc.backtest(revenue, sarimax, 56, 4, window=400),
        fc.backtest(revenue, fc.known_values(expected), 56, 4, name="oracle"),
    ])
    holdout = fc.summarize(bt[bt["fold"] == 3])
    assert holdout.loc["SARIMAX", "MASE"] / holdout.loc["seasonal naive", "MASE"] < 1
    # the oracle is the conditional mean: no model beats it on RMSE over the backtest
    overall = fc.summarize(bt)
    assert overall.loc["oracle", "RMSE"] < overall.loc["SARIMAX", "RMSE"]
    assert 0.70 <= overall.loc["SARIMAX", "coverage"] <= 0.90


# --------------------------------------------------------------------------- issue 13/14
def test_daily_series_refuses_to_drop_orders_and_tz_dates():
    orders = pd.DataFrame({"order_date": pd.to_datetime(["2024-01-01", "2024-01-03"]),
                           "revenue": [10.0, 5.0]})
    with pytest.raises(ValueError, match="start .2024-01-02. is after the first order"):
        fc.daily_series(orders, start="2024-01-02")
    with pytest.raises(ValueError, match="end .2024-01-02. is before the last order"):
        fc.daily_series(orders, end="2024-01-02")
    assert fc.daily_series(orders, start="2023-12-31", end="2024-01-04").tolist() == [0, 10, 0, 5, 0]
    with pytest.raises(ValueError, match="time-zone"):
        fc.daily_series(orders.assign(order_date=orders["order_date"].dt.tz_localize("UTC")))
    with pytest.raises(ValueError, match="time-zone"):
        fc.naive(_series(np.arange(10.0)).tz_localize("UTC"))


def test_summarize_of_an_empty_table_is_a_clear_error():
    with pytest.raises(ValueError, match="results is empty"):
        fc.summarize(pd.DataFrame(columns=["model", "fold", "actual", "forecast", "lower",
                                           "upper", "scale"]))


def test_summarize_reports_no_mape_for_a_group_with_zero_actuals():
    y = _series(np.r_[np.arange(1.0, 30.0), 0.0, np.arange(1.0, 8.0)])
    table = fc.summarize(fc.backtest(y, fc.naive, horizon=7, folds=2, season=7))
    assert np.isnan(table.loc["naive", "MAPE"]) and np.isfinite(table.loc["naive", "MASE"])


def test_weekly_series_gets_season_52():
    weekly = fc.weekly_series(_series(np.arange(1.0, 400.0)))
    assert fc.infer_season(weekly.index) == 52
    assert len(fc.seasonal_naive(weekly).forecast(3)) == 3


def test_calendar_is_the_one_in_constants():
    from mkt_lessons import constants

    assert fc.holiday_windows is constants.holiday_windows
    assert fc.HOLIDAY_WINDOWS is constants.HOLIDAY_WINDOWS
    assert not hasattr(fc, "_black_friday")
