"""Lesson 07 (experimentation) exercises: sample size, a segment's z-test, CUPED by hand,
a greedy bandit that gets stuck, and when a bandit beats an A/B test."""

from __future__ import annotations

import numpy as np

from mkt_lessons import data
from mkt_lessons import experiment as ex
from mkt_lessons.exercises import (
    FunctionProblem,
    ThoughtProblem,
    ValueProblem,
    collect,
    solutions_printer,
)

BANNER_RATES = [0.04, 0.05, 0.06, 0.045]  # the lesson's banner click rates


def namespace() -> dict:
    """The variables notebook 07 has when its exercises start."""
    import pandas as pd

    return {"pd": pd, "np": np, "ab": data.load_ab_test(), "banner_rates": list(BANNER_RATES),
            "two_proportion_ztest": ex.two_proportion_ztest, "welch_ttest": ex.welch_ttest,
            "sample_size_two_proportions": ex.sample_size_two_proportions,
            "srm_check": ex.srm_check, "cuped": ex.cuped, "simulate_bandit": ex.simulate_bandit,
            "EpsilonGreedy": ex.EpsilonGreedy, "UCB1": ex.UCB1,
            "ThompsonSampling": ex.ThompsonSampling}


# --------------------------------------------------------------------------- q1
q1 = ValueProblem(
    "n_per_arm_10pct", lambda: ex.sample_size_two_proportions(0.03, 0.033), rtol=0, atol=0.5,
    mistakes=[
        (lambda: 2 * ex.sample_size_two_proportions(0.03, 0.033),
         "That is the total for both arms; the question asks for visitors *per arm*."),
        (lambda: ex.sample_size_two_proportions(0.03, 0.033, alternative="larger"),
         "That is the one-sided sample size: the plan is a two-sided test."),
        (lambda: ex.sample_size_two_proportions(0.03, 0.0345),
         "That is the sample size for the 15% lift of the lesson; this time the lift is 10%."),
    ],
    hint="Which two conversion rates does the test have to tell apart? Section 1 sized the "
         "test for 3.0% against 3.45%; a 10% relative lift moves only the second rate. The "
         "function's defaults are already α = 0.05 and power 0.8.",
    solution="n_per_arm_10pct = sample_size_two_proportions(0.03, 0.03 * 1.10)",
    success="Going from a 15% to a 10% lift needs about 2.2 times the traffic, (15 / 10)² "
            "= 2.25: the sample size grows with 1 / lift². Decide the smallest lift worth "
            "finding *before* launch.",
)


# --------------------------------------------------------------------------- q2
def _new_visitor_test(alternative: str = "two-sided", segment: bool = True) -> float:
    ab = data.load_ab_test()
    if segment:
        ab = ab[ab["pre_period_sessions"] == 0]
    g = ab.groupby("variant", observed=True)["converted"].agg(["sum", "size"])
    return ex.two_proportion_ztest(g.loc["control", "sum"], g.loc["control", "size"],
                                   g.loc["treatment", "sum"], g.loc["treatment", "size"],
                                   alternative=alternative).pvalue


q2 = ValueProblem(
    "p_new_visitors", _new_visitor_test, rtol=1e-6,
    mistakes=[
        (lambda: _new_visitor_test(segment=False),
         "That is the p-value for all visitors: keep only those with 0 pre-period sessions."),
        (lambda: _new_visitor_test("larger"),
         "That is a one-sided p-value; the lesson's tests are two-sided."),
    ],
    hint="Keep only the new visitors first; then do for them exactly what section 3 did for "
         "everyone: conversions and visitors per variant, and the same test.",
    solution='''
        new = ab[ab["pre_period_sessions"] == 0]
        g = new.groupby("variant", observed=True)["converted"].agg(["sum", "size"])
        p_new_visitors = two_proportion_ztest(g.loc["control", "sum"], g.loc["control", "size"],
                                              g.loc["treatment", "sum"],
                                              g.loc["treatment", "size"]).pvalue
    ''',
    success="New visitors are ~10% of the traffic and convert rarely: a handful of "
            "conversions cannot show a 15% lift. Slicing a test into segments after the fact "
            "mostly finds noise (and with many segments, false positives).",
)


# --------------------------------------------------------------------------- q3
def _cuped_reference(metric, covariate):
    return ex.cuped(metric, covariate).adjusted


def _cuped_cases():
    rng = np.random.default_rng(11)
    x = rng.poisson(4, 500).astype(float)
    y = 2.0 * x + rng.normal(0, 3, 500)
    return [(np.array([1.0, 2.0, 4.0, 7.0]), np.array([0.0, 1.0, 1.0, 3.0])),
            (np.array([5.0, 1.0, 0.0, 2.0, 9.0]), np.array([2.0, 0.0, 1.0, 1.0, 4.0])),
            (y, x)]


def _cuped_mixed_ddof(metric, covariate):  # np.cov divides by n - 1, np.var by n
    theta = np.cov(metric, covariate)[0, 1] / np.var(covariate)
    return metric - theta * (covariate - covariate.mean())


def _cuped_uncentred(metric, covariate):
    theta = np.cov(metric, covariate)[0, 1] / np.var(covariate, ddof=1)
    return metric - theta * covariate


q3 = FunctionProblem(
    "cuped_adjust", _cuped_reference, _cuped_cases,
    mistakes=[(_cuped_mixed_ddof,
               "Your θ mixes two divisors: `np.cov` divides by n − 1, `np.var` by n unless you "
               "pass `ddof=1`. The slope needs the same one above and below."),
              (_cuped_uncentred,
               "You subtract θ × the covariate itself: centre it first (subtract its mean), "
               "or every visitor's metric shifts and the arms' means change.")],
    hint="θ is the slope of a regression of the metric on the covariate: their covariance "
         "over the covariate's variance. Careful: `np.cov` and `np.var` divide by different "
         "numbers by default (`ddof`); make them agree.",
    solution='''
        def cuped_adjust(metric, covariate):
            theta = np.cov(metric, covariate)[0, 1] / np.var(covariate, ddof=1)
            return metric - theta * (covariate - covariate.mean())
    ''',
    explanation="Centring the covariate keeps the metric's mean, so the difference between "
                "the arms is unchanged in expectation; only the part of the metric the "
                "pre-period predicts is removed.",
)


# --------------------------------------------------------------------------- q4
def _stuck_share(epsilon: float = 0.0) -> float:
    regret = ex.simulate_bandit(ex.EpsilonGreedy(epsilon), BANNER_RATES, n_rounds=3_000,
                                n_runs=200, seed=0)
    return float((regret[:, -1] > 0).mean())


q4 = ValueProblem(
    "greedy_stuck_share", _stuck_share, rtol=1e-9,
    mistakes=[(lambda: _stuck_share(0.1),
               "That is ε-greedy with ε = 0.1; the question is about pure greedy (ε = 0)."),
              (lambda: 1 - _stuck_share(0.0),
               "That is the share of runs showing the *best* banner; the question asks for "
               "the runs still on a worse one.")],
    hint="`simulate_bandit` returns the regret with one row per run and one column per "
         "round. In a round where the best banner is shown, what is the regret? Look at the "
         "last column, and pass every setting the question gives (including the seed).",
    solution='''
        regret = simulate_bandit(EpsilonGreedy(0.0), banner_rates, n_rounds=3_000, n_runs=200,
                                 seed=0)
        greedy_stuck_share = (regret[:, -1] > 0).mean()
    ''',
    success="Pure greedy trusts its first lucky clicks and rarely looks again: most runs "
            "stay on a worse banner. Exploration is what buys the chance to correct it.",
)


# --------------------------------------------------------------------------- q5
q5 = ThoughtProblem(
    "q5_answer",
    explanation="A bandit wins when the *cost of showing the worse option during the test* "
                "matters and the decision is short-lived or repeated: a banner for a two-week "
                "sale, headlines, many variants, traffic that would be wasted on an even split. "
                "An A/B test wins when you need an unbiased estimate of the effect with a "
                "confidence interval (to decide a permanent change, to report a lift, to "
                "measure slow metrics such as revenue or retention that arrive after the "
                "decision), when the effect may change over time (bandits chase the early "
                "leader), or when several metrics must be weighed. Bandits also make the "
                "analysis harder: adaptively collected data bias naive estimates of each arm.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
