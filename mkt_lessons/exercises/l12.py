"""Lesson 12 (marketing mix and budget) exercises: the truth's half-saturation in the model's
units, where the next dollar goes (marginal, not average, ROAS), a time-ordered holdout, what
a budget plan really earns on the true curves, and the linear CPA model vs the mix model."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from mkt_lessons import data
from mkt_lessons.exercises import (
    FunctionProblem,
    ThoughtProblem,
    ValueProblem,
    collect,
    solutions_printer,
)

CHANNELS = ["paid_search", "social", "display", "affiliate"]


# --------------------------------------------------------------------------- notebook state
@functools.lru_cache(maxsize=1)
def _truth_channels() -> pd.DataFrame:
    """truth.json -> media.channels as a table (one row per channel), as `tj` in notebook 12."""
    return (pd.DataFrame(data.load_truth().params["media"]["channels"]).T
            .loc[CHANNELS].astype(float))


def _sim_truth() -> pd.DataFrame:
    """A small table of true curves (weekly-spend units), like `sim.truth` in notebook 12."""
    return pd.DataFrame({"half_saturation": [640.0, 420.0, 620.0, 190.0],
                         "shape": [1.8, 1.0, 1.5, 1.2],
                         "coef": [8600.0, 6600.0, 8300.0, 2200.0]},
                        index=pd.Index(CHANNELS, name="channel"))


def _plan() -> pd.Series:
    """A weekly allocation to judge (USD per channel), like `plans["±20%"].allocation`."""
    return pd.Series([626.0, 232.0, 409.0, 223.0], index=pd.Index(CHANNELS, name="channel"),
                     name="spend")


def _weekly_table(n: int = 12, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    weeks = pd.date_range("2023-01-01", periods=n, freq="7D", name="week_start")
    return pd.DataFrame({"week_start": weeks, "paid_search": rng.uniform(0, 900, n).round(2),
                         "revenue": rng.uniform(2e4, 4e4, n).round(2)})


def exercise_4_data() -> tuple[pd.DataFrame, pd.Series]:
    """(curves, plan) for exercise 4: true curves in weekly-spend units (``half_saturation``,
    ``shape``, ``coef`` per channel, like ``sim.truth``) and a weekly allocation to judge
    (USD per channel, like ``plans["±20%"].allocation``)."""
    return _sim_truth(), _plan()


def namespace() -> dict:
    """The variables notebook 12 has when its exercises start."""
    from mkt_lessons import mmm

    curves, plan = exercise_4_data()
    return {"np": np, "pd": pd, "mmm": mmm, "tj": _truth_channels().copy(),
            "curves": curves, "plan": plan}


# --------------------------------------------------------------------------- q1
def _k_weekly(which: str = "right") -> float:
    d = _truth_channels().loc["display"]
    if which == "usd":
        return float(d.half_saturation_usd)
    if which == "divided":
        return float(d.half_saturation_usd / (1 - d.decay))
    if which == "relative":
        return float(d.half_saturation)
    if which == "decay":
        return float(d.half_saturation_usd * d.decay)
    return float(d.half_saturation_usd * (1 - d.decay))


q1 = ValueProblem(
    "k_display_weekly", _k_weekly, rtol=1e-3,
    mistakes=[(lambda: _k_weekly("usd"),
               "That is the truth's half-saturation in *unnormalised* adstock dollars. Our model's "
               "adstock is normalised: convert it (see l12.q1.hint())."),
              (lambda: _k_weekly("divided"),
               "You converted the wrong way round: normalised adstock is smaller than the "
               "unnormalised one, not larger."),
              (lambda: _k_weekly("relative"),
               "`half_saturation` is a multiple of the channel's mean adstock, not dollars: start "
               "from `half_saturation_usd`."),
              (lambda: _k_weekly("decay"),
               "Normalised adstock multiplies by (1 - decay), the share that does NOT carry over "
               "to next week, not by the decay itself.")],
    hint="Normalised adstock = (1 - decay) x unnormalised adstock, and the Hill curve depends "
         "only on adstock / K. Use display's `half_saturation_usd` and `decay` in `tj`.",
    solution='k_display_weekly = tj.loc["display", "half_saturation_usd"] * (1 - tj.loc["display", "decay"])',
    success="A steady spend of this many dollars a week earns half of display's maximum effect. "
            "Always check which adstock a half-saturation refers to before comparing models.",
)


# --------------------------------------------------------------------------- q2
q2 = ValueProblem(
    "next_dollar_channel", lambda: str(_truth_channels().marginal_roas.idxmax()),
    mistakes=[(lambda: str(_truth_channels().roas.idxmax()),
               "That channel has the highest *average* ROAS: all its dollars together earn most "
               "per dollar. The next dollar earns its *marginal* ROAS (l12.q2.hint())."),
              (lambda: str(_truth_channels().marginal_roas.idxmin()),
               "That is the channel where the next dollar earns LEAST.")],
    hint="Average ROAS = incremental revenue / spend, over all dollars; marginal ROAS = the "
         "revenue of one more dollar. On a saturating curve they differ. Which column of `tj` "
         "answers 'one more dollar'? `.idxmax()` returns its channel.",
    solution='next_dollar_channel = tj.marginal_roas.idxmax()',
    success="Average ROAS ranks past spending; marginal ROAS ranks the next move. Here the "
            "channel with the best average return is not the best place for more money.",
)


# --------------------------------------------------------------------------- q3
def _split(table, n_test):
    return table.iloc[:-n_test], table.iloc[-n_test:]


def _split_first(table, n_test):
    return table.iloc[n_test:], table.iloc[:n_test]


def _split_random(table, n_test):
    test = table.sample(n=n_test, random_state=0)
    return table.drop(test.index), test


def _split_off_by_one(table, n_test):
    return table.iloc[:-n_test - 1], table.iloc[-n_test - 1:]


def _split_cases() -> list[tuple]:
    return [(_weekly_table(12, 0), 4), (_weekly_table(20, 1), 6), (_weekly_table(9, 2), 1)]


q3 = FunctionProblem(
    "time_split", _split, _split_cases,
    mistakes=[(_split_first, "Your test set is the FIRST weeks: the model would learn from the "
                             "future to predict the past. Hold out the last weeks (l12.q3.hint())."),
              (_split_random, "A random split lets trend and carry-over leak the future into "
                              "training; hold out the last weeks instead (l12.q3.hint())."),
              (_split_off_by_one, "Off by one: the test set must have exactly n_test weeks.")],
    hint="The table is sorted by week. Positions: `table.iloc[:-n_test]` are all but the last "
         "n_test rows.",
    solution="""
        def time_split(table, n_test):
            return table.iloc[:-n_test], table.iloc[-n_test:]
    """,
    success="The model is judged on weeks after everything it learnt from, as it will be used.",
)


# --------------------------------------------------------------------------- q4
def _plan_revenue(which: str = "right") -> float:
    from mkt_lessons import mmm

    t, x = _sim_truth(), _plan().reindex(_sim_truth().index)
    if which == "mean_hill":
        return float(t.coef.mean() * sum(mmm.hill(v, k, s) for v, k, s in
                                         zip(x, t.half_saturation, t["shape"], strict=True)))
    if which == "linear":
        return float(np.sum(t.coef * x / t.half_saturation))
    if which == "shape1":
        return float(sum(c * mmm.hill(v, k, 1.0) for v, k, c in
                         zip(x, t.half_saturation, t.coef, strict=True)))
    return float(sum(c * mmm.hill(v, k, s) for v, k, s, c in
                     zip(x, t.half_saturation, t["shape"], t.coef, strict=True)))


q4 = ValueProblem(
    "plan_true_revenue", _plan_revenue, rtol=1e-4,
    mistakes=[(lambda: _plan_revenue("shape1"),
               "You dropped the shapes (shape 1 for every channel): use each channel's own "
               "`shape` (l12.q4.hint())."),
              (lambda: _plan_revenue("linear"),
               "That treats the response as a straight line: the true curves saturate. Use "
               "`mmm.hill` (l12.q4.hint())."),
              (lambda: _plan_revenue("mean_hill"),
               "Each channel has its own maximum (`coef`): multiply each channel's Hill value "
               "by its own coefficient, not by their average.")],
    hint="For each channel: coef x hill(spend, half_saturation, shape); then add the four. "
         "`plan` is a Series indexed by channel, like `curves`: align them with `.reindex`.",
    solution="""
        x = plan.reindex(curves.index)
        plan_true_revenue = sum(c * mmm.hill(v, k, s) for v, k, s, c in
                                zip(x, curves.half_saturation, curves["shape"], curves.coef))
    """,
    success="Compare with the same sum for the current plan: the difference is the plan's TRUE "
            "gain, which is what counts, not the gain the fitted model promises.",
)


# --------------------------------------------------------------------------- q5
q5 = ThoughtProblem(
    "q5_answer",
    explanation="Lesson 03's linear model estimates how many NEW customers a dollar buys (cost "
                "per acquisition); the generator does acquire customers linearly in spend, so "
                "there a line is right and its slope is easy to estimate. The mix model "
                "estimates how much revenue (here from existing customers) a dollar adds, with "
                "carry-over and saturation, so its marginal return falls as spend rises. They "
                "disagree because they measure different outcomes and because a line forces "
                "marginal = average. Use CPA (valued with lifetime value, lesson 10) to judge "
                "acquisition; use the mix model's marginal ROAS to move budget between channels; "
                "a full decision adds both, and checks the curves with a lift test.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
