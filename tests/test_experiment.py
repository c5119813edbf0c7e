"""Tests for mkt_lessons.experiment: A/B tests against statsmodels/SciPy, bandits on
hand-made reward streams, A/A and peeking simulations, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    power_proportions_2indep,
    proportion_effectsize,
    proportions_ztest,
)

from mkt_lessons import experiment as ex

# The lesson's banners (notebook 07) and a "what if the gaps were big" set.
LESSON_ARMS = [0.04, 0.05, 0.06, 0.045]
BIG_GAP_ARMS = [0.05, 0.15, 0.35, 0.10]

CASES = [(300, 10_000, 345, 10_000), (617, 20_145, 693, 19_855), (12, 80, 25, 90),
         (50, 1000, 40, 1200), (0, 50, 3, 60)]


# --------------------------------------------------------------------------- z-test
@pytest.mark.parametrize("x1,n1,x2,n2", CASES)
@pytest.mark.parametrize("alternative", ["two-sided", "larger", "smaller"])
def test_ztest_matches_statsmodels(x1, n1, x2, n2, alternative):
    r = ex.two_proportion_ztest(x1, n1, x2, n2, alternative=alternative, ci_method="wald")
    # statsmodels tests count[0] - count[1]: put the treatment first to get p2 - p1
    z, p = proportions_ztest([x2, x1], [n2, n1], alternative=alternative)
    assert r.statistic == pytest.approx(z, abs=1e-10)
    assert r.pvalue == pytest.approx(p, abs=1e-10)
    lo, hi = confint_proportions_2indep(x2, n2, x1, n1, method="wald", compare="diff")
    assert r.ci == pytest.approx((lo, hi), abs=1e-10)
    assert r.diff == pytest.approx(x2 / n2 - x1 / n1, abs=1e-15)


@pytest.mark.parametrize("x1,n1,x2,n2", [c for c in CASES if c[0] > 0])
@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.01])
def test_ztest_intervals_match_statsmodels_at_any_alpha(x1, n1, x2, n2, alpha):
    r = ex.two_proportion_ztest(x1, n1, x2, n2, alpha=alpha, ci_method="wald")
    lo, hi = confint_proportions_2indep(x2, n2, x1, n1, method="wald", alpha=alpha)
    assert r.ci == pytest.approx((lo, hi), abs=1e-10)
    lo, hi = confint_proportions_2indep(x2, n2, x1, n1, method="log", compare="ratio",
                                        alpha=alpha)
    assert r.lift_ci == pytest.approx((lo - 1, hi - 1), abs=1e-10)
    assert r.relative_lift == pytest.approx((x2 / n2) / (x1 / n1) - 1, abs=1e-12)


def test_ztest_vectorised_equals_scalar_calls():
    x1, n1, x2, n2 = (np.array(v) for v in zip(*CASES, strict=True))
    r = ex.two_proportion_ztest(x1, n1, x2, n2)
    for i, case in enumerate(CASES):
        s = ex.two_proportion_ztest(*case)
        assert r.pvalue[i] == pytest.approx(s.pvalue, abs=1e-15)
        assert r.ci_low[i] == pytest.approx(s.ci_low, abs=1e-12)  # root finding to 1e-13


def test_ztest_scalar_results_are_floats_and_summary():
    r = ex.two_proportion_ztest(300, 10_000, 345, 10_000)
    assert type(r.pvalue) is float and type(r.ci_low) is float
    s = r.summary()
    assert s["p_control"] == 0.03 and s["p_treatment"] == 0.0345


def test_ztest_no_difference_when_nobody_converts():
    r = ex.two_proportion_ztest(0, 100, 0, 100)
    assert r.statistic == 0 and r.pvalue == 1


@pytest.mark.parametrize("args,match", [
    ((5, 0, 5, 10), "n1"), ((5, 10, 5, -3), "n2"), ((11, 10, 5, 10), "cannot exceed"),
    ((5, 10, 12, 10), "x2"), ((-1, 10, 5, 10), "x1"), (([1.5], 10, 5, 10), "whole numbers"),
    (([np.nan], 10, 5, 10), "x1 has 1 missing"),
])
def test_ztest_bad_counts(args, match):
    with pytest.raises(ValueError, match=match):
        ex.two_proportion_ztest(*args)


def test_ztest_bad_options():
    with pytest.raises(ValueError, match="alpha"):
        ex.two_proportion_ztest(1, 10, 2, 10, alpha=1.5)
    with pytest.raises(ValueError, match="alternative"):
        ex.two_proportion_ztest(1, 10, 2, 10, alternative="bigger")
    with pytest.raises(TypeError, match="x1"):
        ex.two_proportion_ztest("5", 10, 2, 10)
    with pytest.raises(TypeError, match="x1 must be an integer"):
        ex.two_proportion_ztest(1.5, 10, 2, 10)


# --------------------------------------------------------------------------- score interval
def _score_interval_oracle(x1, n1, x2, n2, alpha):
    """Independent oracle: restricted MLE by numerical maximisation of the likelihood
    (scipy.optimize), score statistic, and its inversion by brentq."""
    from scipy import optimize

    p1, p2 = x1 / n1, x2 / n2

    def z(delta):  # H: p2 - p1 = delta; parametrise by p1 in (max(0, -delta), min(1, 1 - delta))
        lo, hi = max(0.0, -delta) + 1e-12, min(1.0, 1.0 - delta) - 1e-12

        def nll(q1):
            q2 = q1 + delta
            return -(x1 * np.log(q1) + (n1 - x1) * np.log1p(-q1)
                     + x2 * np.log(q2) + (n2 - x2) * np.log1p(-q2))
        q1 = optimize.minimize_scalar(nll, bounds=(lo, hi), method="bounded",
                                      options={"xatol": 1e-13}).x
        q2 = q1 + delta
        return (p2 - p1 - delta) / math.sqrt(q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2)

    zc = stats.norm.isf(alpha / 2)
    d = p2 - p1
    low = optimize.brentq(lambda t: z(t) - zc, -1 + 1e-9, d, xtol=1e-12)
    high = optimize.brentq(lambda t: z(t) + zc, d, 1 - 1e-9, xtol=1e-12)
    return low, high


@pytest.mark.parametrize("x1,n1,x2,n2", [(300, 10_000, 345, 10_000), (20, 1000, 32, 3000),
                                         (12, 80, 25, 90), (50, 1000, 40, 1200), (1, 34, 7, 34)])
@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_score_interval_matches_an_independent_inversion(x1, n1, x2, n2, alpha):
    r = ex.two_proportion_ztest(x1, n1, x2, n2, alpha=alpha)
    assert r.ci == pytest.approx(_score_interval_oracle(x1, n1, x2, n2, alpha), abs=2e-7)


def test_score_interval_published_value_and_statsmodels():
    # Fagerland, Lydersen & Laake (2015), 7/34 vs 1/34: Miettinen-Nurminen without the
    # N/(N-1) factor, (0.028, 0.34).
    r = ex.two_proportion_ztest(1, 34, 7, 34)
    assert (round(r.ci_low, 3), round(r.ci_high, 2)) == (0.028, 0.34)
    # statsmodels' score interval (correction=False) is the same interval, up to its
    # restricted-MLE coefficient bug (statsmodels issue #10269: count0 where nobs0 belongs),
    # which moves it by ~1e-4 at most on these cases (and makes its root-finding fail on
    # small samples such as 12/80 vs 25/90, so those are checked by the oracle above only).
    for x1, n1, x2, n2 in [(300, 10_000, 345, 10_000), (20, 1000, 32, 3000), (50, 1000, 40, 1200)]:
        lo, hi = confint_proportions_2indep(x2, n2, x1, n1, method="score", compare="diff",
                                            correction=False)
        r = ex.two_proportion_ztest(x1, n1, x2, n2)
        assert r.ci == pytest.approx((lo, hi), abs=2e-4)


def test_score_interval_agrees_with_the_test_on_a_grid():
    """p < alpha exactly when the interval excludes 0 (the Wald interval of v1 disagrees)."""
    xs1, xs2 = np.meshgrid(np.arange(0, 61, 2), np.arange(0, 121, 3), indexing="ij")
    n1, n2 = 1000, 3000
    x1, x2 = xs1.ravel(), xs2.ravel()
    agree = {}
    for method in ("score", "wald"):
        for alpha in (0.05, 0.01):
            r = ex.two_proportion_ztest(x1, n1, x2, n2, alpha=alpha, ci_method=method)
            reject = r.pvalue < alpha
            excludes = (r.ci_low > 0) | (r.ci_high < 0)
            agree[method, alpha] = int((reject != excludes).sum())
    assert x1.size == 1271
    assert agree["score", 0.05] == 0 and agree["score", 0.01] == 0
    assert agree["wald", 0.05] > 0  # the v1 interval: the 20/1000 vs 32/3000 is one
    r = ex.two_proportion_ztest(20, 1000, 32, 3000)
    assert r.pvalue < 0.05 and r.ci_high < 0
    w = ex.two_proportion_ztest(20, 1000, 32, 3000, ci_method="wald")
    assert w.ci_low < 0 < w.ci_high


def test_score_interval_zero_counts_and_vectorised():
    # nobody converts: the score interval is +-d with n d / (1 - d) = z^2 (hand-solved)
    r = ex.two_proportion_ztest(0, 100, 0, 100)
    z2 = stats.norm.isf(0.025) ** 2
    assert r.ci == pytest.approx((-z2 / (100 + z2), z2 / (100 + z2)), abs=1e-10)
    assert r.pvalue == 1
    r = ex.two_proportion_ztest(100, 100, 0, 100)
    assert r.ci_low == pytest.approx(-1, abs=1e-9) and -0.97 < r.ci_high < -0.95
    r = ex.two_proportion_ztest(20, 1000, 32, 3000)
    many = ex.two_proportion_ztest(np.array([20, 300]), np.array([1000, 10_000]),
                                   np.array([32, 345]), np.array([3000, 10_000]))
    one = ex.two_proportion_ztest(300, 10_000, 345, 10_000)
    np.testing.assert_allclose(many.ci_low, [r.ci_low, one.ci_low], atol=1e-12)
    np.testing.assert_allclose(many.ci_high, [r.ci_high, one.ci_high], atol=1e-12)


# --------------------------------------------------------------------------- A/A
def test_aa_simulation_rejects_about_alpha():
    """4,000 A/A tests (both arms convert at 3%): about 5% must come out 'significant'."""
    rng = np.random.default_rng(2024)
    n = 5_000
    x = rng.binomial(n, 0.03, size=(4_000, 2))
    r = ex.two_proportion_ztest(x[:, 0], n, x[:, 1], n)
    rate = float((r.pvalue < 0.05).mean())
    assert 0.04 <= rate <= 0.06, rate
    # p-values of a valid test are uniform under H0 (KS test against U(0, 1))
    assert stats.kstest(r.pvalue, "uniform").pvalue > 0.001
    # and the 95% interval covers the true difference (0) about 95% of the time
    covered = float(((r.ci_low <= 0) & (r.ci_high >= 0)).mean())
    assert 0.94 <= covered <= 0.96


def test_simulate_peeking_inflates_false_positives():
    res = ex.simulate_peeking(0.03, visitors_per_day=1000, n_days=28, n_experiments=2000,
                              seed=7)
    assert 0.04 <= res.fpr_fixed <= 0.06
    assert res.fpr_peeking > 2 * res.fpr_fixed
    assert np.all(np.diff(res.rejected_by_day) >= 0)
    assert res.rejected_by_day[-1] == res.fpr_peeking
    assert res.pvalues.shape == (2000, 28)
    # the first day's rejection share is an ordinary one-look test as well
    assert 0.035 <= res.rejected_by_day[0] <= 0.065


def test_simulate_peeking_pvalues_are_cumulative_daily_tests():
    """Rebuild one experiment's daily p-values by hand from the same random draws."""
    res = ex.simulate_peeking(0.05, visitors_per_day=200, n_days=5, n_experiments=3, seed=3)
    rng = np.random.default_rng(3)
    daily = rng.binomial(200, [0.05, 0.05], size=(3, 5, 2))
    for day in range(5):
        xa, xb = daily[1, : day + 1, 0].sum(), daily[1, : day + 1, 1].sum()
        n = 200 * (day + 1)
        _, p = proportions_ztest([xb, xa], [n, n])
        assert res.pvalues[1, day] == pytest.approx(p, abs=1e-12)


def test_simulate_peeking_is_deterministic_and_has_power_mode():
    a = ex.simulate_peeking(n_experiments=300, seed=1)
    b = ex.simulate_peeking(n_experiments=300, seed=1)
    assert a.fpr_peeking == b.fpr_peeking and np.array_equal(a.pvalues, b.pvalues)
    power = ex.simulate_peeking(0.03, 1000, 28, 300, p_treatment=0.04, seed=1)
    assert power.fpr_fixed > 0.9  # a big lift is found nearly always
    with pytest.raises(ValueError, match="p_treatment"):
        ex.simulate_peeking(p_treatment=1.2)
    with pytest.raises(ValueError, match="n_days"):
        ex.simulate_peeking(n_days=0)


# --------------------------------------------------------------------------- Welch
@pytest.mark.parametrize("alternative,scipy_alt", [("two-sided", "two-sided"),
                                                    ("larger", "greater"), ("smaller", "less")])
def test_welch_matches_scipy(alternative, scipy_alt):
    rng = np.random.default_rng(0)
    a = rng.lognormal(3, 1, 300) * (rng.random(300) < 0.3)
    b = rng.lognormal(3.1, 1.2, 450) * (rng.random(450) < 0.3)
    r = ex.welch_ttest(a, b, alternative=alternative)
    ref = stats.ttest_ind(b, a, equal_var=False, alternative=scipy_alt)
    assert r.statistic == pytest.approx(ref.statistic, abs=1e-10)
    assert r.pvalue == pytest.approx(ref.pvalue, abs=1e-10)
    assert r.df == pytest.approx(ref.df, rel=1e-10)
    if alternative == "two-sided":
        ci = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
        assert r.ci == pytest.approx((ci.low, ci.high), abs=1e-10)


def test_welch_hand_computed_small_case():
    r = ex.welch_ttest([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0])
    va, vb = (5 / 3) / 4, (20 / 3) / 4  # sample variances / n
    assert r.diff == 2.5
    assert r.statistic == pytest.approx(2.5 / math.sqrt(va + vb))
    assert r.df == pytest.approx((va + vb) ** 2 / (va**2 / 3 + vb**2 / 3))


def test_welch_bad_input_and_no_mutation():
    a = pd.Series([1.0, 2.0, 3.0])
    before = a.copy()
    ex.welch_ttest(a, [2.0, 5.0, 7.0])
    pd.testing.assert_series_equal(a, before)
    with pytest.raises(ValueError, match="control must have at least 2"):
        ex.welch_ttest([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="NaN"):
        ex.welch_ttest([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="zero variance"):
        ex.welch_ttest([1.0, 1.0], [2.0, 2.0])


# --------------------------------------------------------------------------- design
@pytest.mark.parametrize("p1,p2", [(0.03, 0.0345), (0.10, 0.12), (0.5, 0.45), (0.02, 0.025)])
def test_sample_size_is_smallest_n_with_enough_power(p1, p2):
    n = ex.sample_size_two_proportions(p1, p2)
    # statsmodels' power of the z-test (pooled SE under H0, unpooled under H1)
    power = lambda m: power_proportions_2indep(p2 - p1, p1, m).power  # noqa: E731
    assert power(n) >= 0.8 > power(n - 1)
    # Cohen's arcsine effect size gives nearly the same answer (a different approximation)
    n_h = NormalIndPower().solve_power(proportion_effectsize(p2, p1), power=0.8, alpha=0.05)
    assert n == pytest.approx(n_h, rel=0.02)


def test_sample_size_one_sided_matches_statsmodels_exactly():
    for p1, p2 in [(0.03, 0.0345), (0.2, 0.25)]:
        n = ex.sample_size_two_proportions(p1, p2, alternative="larger")
        sm = power_proportions_2indep(p2 - p1, p1, n, alternative="larger").power
        assert ex.power_two_proportions(p1, p2, n, alternative="larger") == pytest.approx(
            sm, abs=1e-10)
        assert sm >= 0.8 > power_proportions_2indep(p2 - p1, p1, n - 1,
                                                    alternative="larger").power


def test_power_curve_vectorised_and_matches_statsmodels():
    ns = np.array([1000, 5000, 20000, 60000])
    got = ex.power_two_proportions(0.03, 0.0345, ns)
    want = [power_proportions_2indep(0.0045, 0.03, n).power for n in ns]
    assert got == pytest.approx(want, abs=1e-10)
    assert np.all(np.diff(got) > 0)
    smaller = ex.power_two_proportions(0.03, 0.0345, ns, alternative="smaller")
    assert np.all(smaller < 0.05)  # the wrong direction: below alpha


@pytest.mark.parametrize("kw,match", [
    (dict(p1=0, p2=0.1), "p1"), (dict(p1=0.1, p2=1.0), "p2"), (dict(p1=0.1, p2=-0.2), "p2"),
    (dict(p1=0.1, p2=0.1), "differ"), (dict(p1=0.1, p2=0.2, power=1.0), "power"),
    (dict(p1=0.1, p2=0.2, alpha=0), "alpha"),
])
def test_sample_size_bad_input(kw, match):
    with pytest.raises(ValueError, match=match):
        ex.sample_size_two_proportions(**kw)


def test_power_bad_n():
    with pytest.raises(ValueError, match="n "):
        ex.power_two_proportions(0.1, 0.2, 0)


# --------------------------------------------------------------------------- SRM
def test_srm_matches_scipy_chisquare():
    counts = pd.Series({"control": 5_210, "treatment": 4_790})
    r = ex.srm_check(counts)
    ref = stats.chisquare([5_210, 4_790])
    assert r.statistic == pytest.approx(ref.statistic, abs=1e-10)
    assert r.pvalue == pytest.approx(ref.pvalue, abs=1e-12)
    assert r.mismatch  # p ~ 3e-5 < 0.001
    assert list(r.table["arm"]) == ["control", "treatment"]


def test_srm_uneven_design_and_three_arms():
    r = ex.srm_check({"a": 2_050, "b": 980, "c": 1_010}, {"a": 2, "b": 1, "c": 1})
    ref = stats.chisquare([2_050, 980, 1_010], f_exp=np.array([0.5, 0.25, 0.25]) * 4_040)
    assert r.pvalue == pytest.approx(ref.pvalue, abs=1e-12)
    assert not r.mismatch


def test_srm_bad_input():
    with pytest.raises(ValueError, match="at least 2"):
        ex.srm_check([10])
    with pytest.raises(ValueError, match="whole numbers"):
        ex.srm_check([10, -1])
    with pytest.raises(ValueError, match="lacks"):
        ex.srm_check({"a": 10, "b": 12}, {"a": 1})
    with pytest.raises(ValueError, match="entries"):
        ex.srm_check([10, 12], [0.5, 0.3, 0.2])


# --------------------------------------------------------------------------- CUPED
def test_cuped_theta_is_the_ols_slope_and_variance_drops_by_r2():
    import statsmodels.api as sm

    rng = np.random.default_rng(5)
    x = rng.poisson(4, 2_000).astype(float)
    y = 3 * x + rng.normal(0, 4, 2_000)
    x_before, y_before = x.copy(), y.copy()
    r = ex.cuped(y, x)
    ols = sm.OLS(y, sm.add_constant(x)).fit()
    assert r.theta == pytest.approx(ols.params[1], rel=1e-10)
    assert r.variance_reduction == pytest.approx(ols.rsquared, rel=1e-10)
    assert r.adjusted.mean() == pytest.approx(y.mean(), abs=1e-10)
    np.testing.assert_allclose(r.adjusted, y - ols.params[1] * (x - x.mean()), atol=1e-10)
    assert np.array_equal(x, x_before) and np.array_equal(y, y_before)


def test_cuped_given_theta_and_bad_input():
    r = ex.cuped([1.0, 2.0, 3.0], [0.0, 1.0, 2.0], theta=0.5)
    np.testing.assert_allclose(r.adjusted, [1.5, 2.0, 2.5])
    with pytest.raises(ValueError, match="same length"):
        ex.cuped([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="constant"):
        ex.cuped([1.0, 2.0, 3.0], [1.0, 1.0, 1.0])


def test_cuped_on_lesson_data_keeps_effect_and_reduces_variance():
    from mkt_lessons import data

    ab = data.load_ab_test()
    r = ex.cuped(ab["revenue"], ab["pre_period_sessions"])
    rho = np.corrcoef(ab["revenue"], ab["pre_period_sessions"])[0, 1]
    assert r.variance_reduction == pytest.approx(rho**2, rel=1e-9)
    assert r.variance_reduction > 0
    treat = (ab["variant"] == "treatment").to_numpy()
    raw = ex.welch_ttest(ab.loc[~treat, "revenue"], ab.loc[treat, "revenue"])
    adj = ex.welch_ttest(r.adjusted[~treat], r.adjusted[treat])
    assert adj.ci_high - adj.ci_low < raw.ci_high - raw.ci_low


# --------------------------------------------------------------------------- bandits
def _feed(policy, stream):
    for arm, reward in stream:
        policy.update(arm, reward)
    return policy


def test_policies_start_and_record_counts():
    p = _feed(ex.EpsilonGreedy(0.1).start(3), [(0, 1), (0, 0), (2, 1), (0, 1)])
    np.testing.assert_array_equal(p.pulls_, [[3, 0, 1]])
    np.testing.assert_array_equal(p.successes_, [[2, 0, 1]])
    np.testing.assert_allclose(p.means_, [[2 / 3, np.nan, 1.0]])
    assert p.t_ == 4


def test_ucb1_plays_each_arm_once_then_follows_the_bound():
    rng = np.random.default_rng(0)
    p = ex.UCB1().start(3)
    seen = set()
    for _ in range(3):  # unplayed arms first
        arm = p.select(rng)
        assert arm not in seen
        seen.add(arm)
        p.update(arm, 0)
    # hand-made stream: arm 0 shown 10 times (6 clicks), arm 1 twice (1 click), arm 2 3x (0)
    p = _feed(ex.UCB1().start(3), [(0, 1)] * 6 + [(0, 0)] * 4 + [(1, 1), (1, 0)]
              + [(2, 0)] * 3)
    t = 15
    ucb = [0.6 + math.sqrt(2 * math.log(t) / 10), 0.5 + math.sqrt(2 * math.log(t) / 2),
           0 + math.sqrt(2 * math.log(t) / 3)]
    assert p.select(rng) == int(np.argmax(ucb)) == 1  # the less-known arm wins on its bonus
    # with c = 0 UCB1 is greedy: arm 0 has the best mean
    p0 = _feed(ex.UCB1(c=0).start(3), [(0, 1)] * 6 + [(0, 0)] * 4 + [(1, 1), (1, 0)]
               + [(2, 0)] * 3)
    assert p0.select(rng) == 0


def test_epsilon_greedy_extremes():
    rng = np.random.default_rng(1)
    stream = [(0, 1), (0, 0), (1, 1), (1, 1), (1, 0), (2, 0)]  # means 0.5, 0.667, 0
    greedy = _feed(ex.EpsilonGreedy(0.0).start(3), stream)
    assert {greedy.select(rng) for _ in range(50)} == {1}
    # epsilon = 1: uniformly random; 6,000 parallel runs, chi-square goodness of fit
    p = ex.EpsilonGreedy(1.0).start(3, n_runs=6_000)
    arms = p.select(rng)
    assert stats.chisquare(np.bincount(arms, minlength=3)).pvalue > 0.001
    # epsilon = 0.3 on a fed state: greedy arm with prob 0.7 + 0.3/3
    p = ex.EpsilonGreedy(0.3).start(3, n_runs=20_000)
    for arm, reward in stream:
        p.update(np.full(20_000, arm), np.full(20_000, reward))
    share = float((p.select(rng) == 1).mean())
    assert share == pytest.approx(0.7 + 0.1, abs=4 * math.sqrt(0.8 * 0.2 / 20_000))


def test_ties_are_broken_at_random():
    rng = np.random.default_rng(2)
    p = ex.EpsilonGreedy(0.0).start(2, n_runs=10_000)
    p.update(np.zeros(10_000, dtype=int), np.ones(10_000))
    p.update(np.ones(10_000, dtype=int), np.ones(10_000))  # both arms: 1 click in 1 view
    assert stats.binomtest(int(p.select(rng).sum()), 10_000).pvalue > 0.001
    fresh = ex.UCB1().start(4, n_runs=8_000)  # nothing played yet: any arm
    assert stats.chisquare(np.bincount(fresh.select(rng), minlength=4)).pvalue > 0.001


def test_thompson_posterior_and_choice_probability():
    stream = [(0, 1)] * 3 + [(0, 0)] * 7 + [(1, 1)] * 2 + [(1, 0)] * 3
    p = _feed(ex.ThompsonSampling().start(2), stream)
    a, b = p.posterior_
    np.testing.assert_array_equal(a, [[4, 3]])
    np.testing.assert_array_equal(b, [[8, 4]])
    # P(choose arm 1) = P(Beta(3, 4) > Beta(4, 8)), by numerical integration
    want, _ = integrate.quad(lambda x: stats.beta.pdf(x, 3, 4) * stats.beta.cdf(x, 4, 8), 0, 1)
    n = 40_000
    many = ex.ThompsonSampling().start(2, n_runs=n)
    for arm, reward in stream:
        many.update(np.full(n, arm), np.full(n, reward))
    got = float((many.select(np.random.default_rng(3)) == 1).mean())
    assert got == pytest.approx(want, abs=4 * math.sqrt(want * (1 - want) / n))
    # an informative prior moves the posterior
    q = _feed(ex.ThompsonSampling(prior_a=2, prior_b=50).start(2), stream)
    np.testing.assert_array_equal(q.posterior_[0], [[5, 4]])


def test_explore_then_commit_rotates_then_commits():
    rng = np.random.default_rng(0)
    p = ex.ExploreThenCommit(n_explore=6).start(3)
    rewards = {0: 0, 1: 1, 2: 0}
    shown = []
    for _ in range(10):
        arm = p.select(rng)
        shown.append(arm)
        p.update(arm, rewards[arm])
    assert shown == [0, 1, 2, 0, 1, 2, 1, 1, 1, 1]


def test_policy_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(RuntimeError, match="start"):
        ex.UCB1().select(rng)
    p = ex.UCB1().start(2)
    with pytest.raises(ValueError, match="arm must be"):
        p.update(2, 1)
    with pytest.raises(ValueError, match="reward must be in"):
        p.update(0, 2)
    with pytest.raises(TypeError, match="rng"):
        p.select(42)
    with pytest.raises(ValueError, match="one value per run"):
        ex.UCB1().start(2, n_runs=3).update([0, 1], [1, 1, 1])
    with pytest.raises(ValueError, match="n_arms"):
        ex.UCB1().start(1)
    with pytest.raises(ValueError, match="epsilon"):
        ex.EpsilonGreedy(1.5)
    with pytest.raises(ValueError, match="prior"):
        ex.ThompsonSampling(prior_a=0)
    with pytest.raises(ValueError, match="c must"):
        ex.UCB1(c=-1)
    with pytest.raises(ValueError, match="n_explore"):
        ex.ExploreThenCommit(0)


# --------------------------------------------------------------------------- simulation
def test_simulate_bandit_shape_determinism_and_no_mutation():
    pol = ex.ThompsonSampling()
    r1 = ex.simulate_bandit(pol, [0.1, 0.2, 0.3], n_rounds=300, n_runs=7, seed=4)
    r2 = ex.simulate_bandit(pol, [0.1, 0.2, 0.3], n_rounds=300, n_runs=7, seed=4)
    assert r1.shape == (7, 300) and np.array_equal(r1, r2)
    assert not hasattr(pol, "pulls_")  # the policy passed in was copied, not started
    gaps = 0.3 - np.array([0.1, 0.2, 0.3])
    assert np.isin(r1, gaps).all()  # every round's regret is one arm's gap
    assert np.all(ex.simulate_bandit(ex.UCB1(), [0.2, 0.2], 100, 3) == 0)


def test_simulate_bandit_explore_phase_regret_is_the_mean_gap():
    """Rotating 4 arms for 400 rounds costs exactly 100 x the sum of the gaps."""
    rates = np.array(LESSON_ARMS)
    r = ex.simulate_bandit(ex.ExploreThenCommit(400), rates, n_rounds=400, n_runs=5)
    np.testing.assert_allclose(r.sum(axis=1), 100 * (rates.max() - rates).sum())


def test_simulate_bandit_bad_input():
    with pytest.raises(TypeError, match="policy"):
        ex.simulate_bandit("ucb", [0.1, 0.2], 10)
    with pytest.raises(ValueError, match="true_rates"):
        ex.simulate_bandit(ex.UCB1(), [0.1, 1.2], 10)
    with pytest.raises(ValueError, match="at least 2"):
        ex.simulate_bandit(ex.UCB1(), [0.1], 10)
    with pytest.raises(ValueError, match="n_rounds"):
        ex.simulate_bandit(ex.UCB1(), [0.1, 0.2], 0)


def _total_regret(policy, arms, seed=7):
    return float(ex.simulate_bandit(policy, arms, n_rounds=10_000, n_runs=200,
                                    seed=seed).sum(axis=1).mean())


@pytest.mark.slow
def test_regret_quality_on_the_lesson_arms():
    """10,000 rounds x 200 runs, the notebook's settings. Thompson sampling beats both;
    with click rates of a few percent the classic UCB1 bonus (rewards anywhere in [0, 1])
    is far wider than the gaps, so UCB1 still splits traffic almost evenly: worst of three.
    Even splitting forever would cost 10,000 x the mean gap."""
    ts = _total_regret(ex.ThompsonSampling(), LESSON_ARMS)
    ucb = _total_regret(ex.UCB1(), LESSON_ARMS)
    eps = _total_regret(ex.EpsilonGreedy(0.1), LESSON_ARMS)
    uniform = 10_000 * float(np.mean(np.max(LESSON_ARMS) - np.array(LESSON_ARMS)))
    assert ts < eps < ucb < uniform


@pytest.mark.slow
def test_regret_quality_with_big_gaps():
    """When the gaps are large, the textbook order holds: Thompson < UCB1 < eps-greedy."""
    ts = _total_regret(ex.ThompsonSampling(), BIG_GAP_ARMS)
    ucb = _total_regret(ex.UCB1(), BIG_GAP_ARMS)
    eps = _total_regret(ex.EpsilonGreedy(0.1), BIG_GAP_ARMS)
    assert ts < ucb < eps
