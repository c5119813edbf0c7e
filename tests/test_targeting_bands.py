"""Tests for targeting.calibration_by_band and targeting.recalibrate_by_band.

Oracles: hand-computed cases, pandas groupby, statsmodels' logistic regression (the
intercept with an offset for ``method="shift"``, intercept and slope for ``"platt"``), and
simulation: a known shift per band is recovered, and a single global shift is shown to
miss every band when the mix changes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.special import expit, logit

from mkt_lessons import targeting as tg


def _sample(n, shifts, mix, seed):
    """Model scores, bands and labels drawn from expit(logit(score) + shift[band])."""
    rng = np.random.default_rng(seed)
    bands = rng.choice(list(shifts), size=n, p=mix)
    s = rng.uniform(0.05, 0.95, n)
    true_p = expit(logit(s) + np.array([shifts[b] for b in bands]))
    y = (rng.random(n) < true_p).astype(int)
    return s, bands, y, true_p


# --------------------------------------------------------------------------- calibration_by_band
def test_calibration_by_band_hand_case():
    y = [1, 0, 1, 1, 0, 0]
    s = [0.9, 0.3, 0.6, 0.8, 0.2, 0.1]
    b = ["b", "b", "a", "a", "c", "a"]
    t = tg.calibration_by_band(y, s, b)
    assert t.index.tolist() == ["a", "b", "c"] and t.index.name == "band"
    assert t["n"].tolist() == [3, 2, 1]
    assert t["predicted"].tolist() == pytest.approx([0.5, 0.6, 0.2])
    assert t["observed"].tolist() == pytest.approx([2 / 3, 0.5, 0.0])
    assert t["gap"].tolist() == pytest.approx([0.5 - 2 / 3, 0.1, 0.2])
    assert t["se"].tolist() == pytest.approx([np.sqrt(2 / 9 / 3), np.sqrt(0.25 / 2), 0.0])


def test_calibration_by_band_matches_groupby_and_keeps_category_order():
    s, bands, y, _ = _sample(500, {"x": 0.0, "y": 1.0, "z": -1.0}, [0.3, 0.3, 0.4], seed=1)
    cat = pd.Series(pd.Categorical(bands, categories=["z", "w", "y", "x"], ordered=True))
    t = tg.calibration_by_band(y, s, cat)
    assert t.index.tolist() == ["z", "y", "x"]  # category order, empty "w" dropped
    g = pd.DataFrame({"y": y, "s": s, "b": bands}).groupby("b")
    for band in ["x", "y", "z"]:
        assert t.loc[band, "n"] == g.size()[band]
        assert t.loc[band, "predicted"] == pytest.approx(g["s"].mean()[band])
        assert t.loc[band, "observed"] == pytest.approx(g["y"].mean()[band])


def test_calibration_by_band_does_not_modify_inputs():
    y, s, b = np.array([1, 0, 1]), np.array([0.2, 0.4, 0.9]), np.array(["a", "b", "a"], dtype=object)
    copies = y.copy(), s.copy(), b.copy()
    tg.calibration_by_band(y, s, b)
    for before, after in zip(copies, (y, s, b), strict=True):
        np.testing.assert_array_equal(before, after)


# --------------------------------------------------------------------------- recalibrate_by_band
def test_shift_hand_case_matches_band_rate():
    # constant scores: the shift makes every band's probability its observed rate
    out = tg.recalibrate_by_band([0.2] * 10, [1, 1, 0, 0, 0, 1, 1, 1, 1, 0], list("aaaaabbbbb"))
    assert out[:5] == pytest.approx([0.4] * 5) and out[5:] == pytest.approx([0.8] * 5)


@pytest.mark.parametrize("seed", [0, 1])
def test_shift_equals_statsmodels_intercept_with_offset(seed):
    s, bands, y, _ = _sample(1500, {"a": 0.8, "b": -0.6}, [0.5, 0.5], seed)
    out = tg.recalibrate_by_band(s, y, bands, method="shift")
    z = logit(s)
    for band in ["a", "b"]:
        m = bands == band
        fit = sm.GLM(y[m], np.ones((m.sum(), 1)), family=sm.families.Binomial(), offset=z[m]).fit()
        expected = expit(z[m] + fit.params[0])
        np.testing.assert_allclose(out[m], expected, rtol=1e-7, atol=1e-9)
        assert out[m].mean() == pytest.approx(y[m].mean(), abs=1e-9)  # the defining property
        # the ranking within a band is kept
        assert (np.argsort(out[m], kind="stable") == np.argsort(s[m], kind="stable")).all()


@pytest.mark.parametrize("seed", [0, 3])
def test_platt_equals_statsmodels_logit(seed):
    rng = np.random.default_rng(seed)
    n = 1200
    bands = rng.choice(["a", "b", "c"], n)
    s = rng.uniform(0.02, 0.98, n)
    coef = {"a": (0.5, 0.6), "b": (-0.4, 1.5), "c": (0.0, 1.0)}
    a = np.array([coef[b][0] for b in bands])
    c = np.array([coef[b][1] for b in bands])
    y = (rng.random(n) < expit(a + c * logit(s))).astype(int)
    new_s = rng.uniform(0.01, 0.99, 50)
    new_b = rng.choice(["a", "b", "c"], 50)
    out = tg.recalibrate_by_band(s, y, bands, new_scores=new_s, new_bands=new_b, method="platt")
    for band in ["a", "b", "c"]:
        m = bands == band
        res = sm.Logit(y[m], sm.add_constant(logit(s[m]))).fit(disp=0)
        k = new_b == band
        expected = expit(res.params[0] + res.params[1] * logit(new_s[k]))
        np.testing.assert_allclose(out[k], expected, rtol=1e-6, atol=1e-9)


def test_simulation_recovers_known_band_shifts():
    shifts = {"recent": -0.9, "lapsing": 0.4, "silent": 1.7}
    s, bands, y, _ = _sample(60_000, shifts, [0.5, 0.3, 0.2], seed=7)
    probe = tg.recalibrate_by_band(s, y, bands, new_scores=[0.5, 0.5, 0.5],
                                   new_bands=["recent", "lapsing", "silent"])
    recovered = logit(probe)  # logit(0.5) = 0, so what is left is the band's shift
    np.testing.assert_allclose(recovered, list(shifts.values()), atol=0.06)


def test_band_shift_stays_calibrated_when_the_mix_changes_and_a_global_shift_does_not():
    shifts = {"active": -1.0, "silent": 1.5}
    ref_s, ref_b, ref_y, _ = _sample(40_000, shifts, [0.9, 0.1], seed=11)     # last year's mix
    new_s, new_b, new_y, _ = _sample(40_000, shifts, [0.6, 0.4], seed=12)     # today's mix
    by_band = tg.recalibrate_by_band(ref_s, ref_y, ref_b, new_scores=new_s, new_bands=new_b)
    # the global shift: one intercept for everyone, learnt on the reference period
    d = sm.GLM(ref_y, np.ones((len(ref_y), 1)), family=sm.families.Binomial(),
               offset=logit(ref_s)).fit().params[0]
    glob = expit(logit(new_s) + d)
    t_band = tg.calibration_by_band(new_y, by_band, new_b)
    t_glob = tg.calibration_by_band(new_y, glob, new_b)
    assert (t_band["gap"].abs() < 3 * t_band["se"] + 0.005).all()
    assert t_glob.loc["active", "gap"] > 0.03 and t_glob.loc["silent", "gap"] < -0.1


def test_default_applies_to_the_reference_and_inputs_are_not_modified():
    s = np.array([0.1, 0.6, 0.3, 0.9, 0.5, 0.2])
    y = np.array([0, 1, 1, 1, 0, 0])
    b = np.array(["a", "a", "a", "b", "b", "b"], dtype=object)
    copies = s.copy(), y.copy(), b.copy()
    same = tg.recalibrate_by_band(s, y, b)
    explicit = tg.recalibrate_by_band(s, y, b, new_scores=s, new_bands=b)
    np.testing.assert_array_equal(same, explicit)
    for before, after in zip(copies, (s, y, b), strict=True):
        np.testing.assert_array_equal(before, after)


def test_refuses_what_it_cannot_learn():
    s, y, b = [0.2, 0.4, 0.6, 0.8], [1, 0, 1, 1], ["a", "a", "b", "b"]
    with pytest.raises(ValueError, match="band 'b'"):  # all churned: infinite shift
        tg.recalibrate_by_band(s, y, b)
    with pytest.raises(ValueError, match="never occur"):
        tg.recalibrate_by_band(s[:2], y[:2], b[:2], new_scores=[0.5], new_bands=["z"])
    with pytest.raises(ValueError, match="give both"):
        tg.recalibrate_by_band(s[:2], y[:2], b[:2], new_scores=[0.5])
    with pytest.raises(ValueError, match="slope"):  # all scores equal in a band
        tg.recalibrate_by_band([0.3, 0.3, 0.3], [1, 0, 0], ["a"] * 3, method="platt")
    with pytest.raises(ValueError, match="separate"):
        tg.recalibrate_by_band([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1], ["a"] * 4, method="platt")
