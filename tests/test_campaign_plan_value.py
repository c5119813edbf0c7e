"""mkt_lessons.campaign.plan_value_from_test: a plan's value estimated from the randomised test.

Oracles: a hand-computed case, SciPy's Welch t-test (``ttest_ind(equal_var=False)`` and its
``confidence_interval``), simulation with a known truth (coverage of the interval over many
simulated tests, :func:`mkt_lessons.uplift.simulate_uplift`), and a simulation showing that a
selection made in-sample is optimistic while a cross-fitted one is on target."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.tree import DecisionTreeRegressor

from mkt_lessons import campaign as C
from mkt_lessons.uplift import TLearner, simulate_uplift


def _test_table(sim: pd.DataFrame) -> pd.DataFrame:
    ids = [f"C{i:05d}" for i in range(len(sim))]
    return pd.DataFrame({"customer_id": ids, "treatment": sim["treatment"].to_numpy(),
                         "y": sim["y"].to_numpy()})


def test_hand_case_with_unequal_arms():
    test = pd.DataFrame({"id": list("ABCDEFGHIJ"),
                         "treatment": [1, 0, 0, 1, 0, 0, 1, 0, 0, 0],
                         "m": [20.0, 4.0, 0.0, 10.0, 8.0, 0.0, 0.0, 100.0, 0.0, 0.0]})
    # plan: A..F -> treated A, D (20, 10: mean 15); control B, C, E, F (4, 0, 8, 0: mean 3)
    r = C.plan_value_from_test(list("FEDCBA"), test, outcome_col="m", id_col="id",
                               cost_per_contact=1.5)
    assert (r.n, r.n_treated, r.n_control) == (6, 2, 4)
    assert r.mean_treated == pytest.approx(15.0) and r.mean_control == pytest.approx(3.0)
    assert r.per_customer == pytest.approx(12.0)
    assert r.estimate == pytest.approx(6 * 12.0 - 6 * 1.5)           # 63
    # s_t^2 = 50, s_c^2 = (1 + 9 + 25 + 9) / 3 = 44/3
    se = 6 * np.sqrt(50 / 2 + (44 / 3) / 4)
    assert r.se == pytest.approx(se)
    assert r.ci_high - r.estimate == pytest.approx(r.estimate - r.ci_low)
    # customers outside the plan (G..J) do not matter, whatever their outcome
    other = test.assign(m=np.where(test["id"].isin(list("GHIJ")), 1e6, test["m"]))
    r2 = C.plan_value_from_test(list("ABCDEF"), other, outcome_col="m", id_col="id",
                                cost_per_contact=1.5)
    assert r2.estimate == pytest.approx(r.estimate) and r2.se == pytest.approx(r.se)


def test_interval_is_scipys_welch_interval_scaled_to_the_plan():
    rng = np.random.default_rng(3)
    n = 900
    t = (rng.random(n) < 1 / 3).astype(int)
    y = rng.lognormal(2.0, 1.0, n) * (rng.random(n) < 0.4) + 4.0 * t
    test = pd.DataFrame({"treatment": t, "margin": y}, index=pd.Index([f"C{i}" for i in range(n)]))
    chosen = test.index[rng.permutation(n)[:400]]
    r = C.plan_value_from_test(chosen, test, outcome_col="margin", id_col=None,
                               cost_per_contact=1.0, alpha=0.1)
    sub = test.loc[chosen]
    yt, yc = sub.loc[sub["treatment"] == 1, "margin"], sub.loc[sub["treatment"] == 0, "margin"]
    ref = stats.ttest_ind(yt, yc, equal_var=False)
    ci = ref.confidence_interval(confidence_level=0.9)
    assert r.df == pytest.approx(ref.df)
    assert r.per_customer == pytest.approx(yt.mean() - yc.mean())
    assert r.ci_low == pytest.approx(400 * ci.low - 400 * 1.0)
    assert r.ci_high == pytest.approx(400 * ci.high - 400 * 1.0)
    assert r.estimate / r.se == pytest.approx(ref.statistic - 400 * 1.0 / r.se)


def test_ids_from_a_column_or_the_index_give_the_same_answer_and_inputs_are_untouched():
    sim = simulate_uplift(300, kind="linear", treated_share=1 / 3, seed=8)
    test = _test_table(sim)
    before = test.copy()
    chosen = test["customer_id"].iloc[::3].tolist()
    a = C.plan_value_from_test(chosen, test, outcome_col="y")
    b = C.plan_value_from_test(np.array(chosen[::-1]), test.set_index("customer_id"),
                               outcome_col="y", id_col=None)
    assert a.to_dict() == pytest.approx(b.to_dict())
    pd.testing.assert_frame_equal(test, before)
    with pytest.raises(ValueError, match="not in test"):
        C.plan_value_from_test(chosen + ["nobody"], test, outcome_col="y")
    with pytest.raises(ValueError, match="at least 2"):
        C.plan_value_from_test(test.loc[test["treatment"] == 0, "customer_id"], test, outcome_col="y")


@pytest.mark.parametrize("kind", ["linear", "binary"])
def test_interval_covers_the_true_plan_value_95_percent_of_the_time(kind):
    """Generator truth: the plan's true value is the sum of its customers' true uplift minus
    the contacts. The selection (top 400 by x1, a pre-treatment feature) never sees outcomes."""
    hits, errors = 0, []
    reps, k, cost = 400, 400, 0.05
    for seed in range(reps):
        sim = simulate_uplift(1200, kind=kind, treated_share=1 / 3, seed=seed)
        test = _test_table(sim)
        chosen = sim["x1"].nlargest(k).index
        truth = float(sim.loc[chosen, "true_uplift"].sum() - k * cost)
        r = C.plan_value_from_test(test["customer_id"].iloc[chosen], test, outcome_col="y",
                                   cost_per_contact=cost)
        hits += r.ci_low <= truth <= r.ci_high
        errors.append(r.estimate - truth)
    coverage = hits / reps
    assert 0.92 <= coverage <= 0.99, coverage        # 95% +- about 2 Monte-Carlo s.e.
    errors = np.asarray(errors)
    assert abs(errors.mean()) < 3 * errors.std(ddof=1) / np.sqrt(reps)  # unbiased


def test_selection_must_be_out_of_fold_in_sample_scores_make_the_estimate_optimistic():
    """Same learner, same data: pick the top 300 by in-sample uplift scores (the model saw
    each customer's outcome) or by cross-fitted ones (C.uplift_scores). Only the in-sample
    plan's test-based estimate runs far above its true value."""
    k, reps = 300, 12
    learner = TLearner(DecisionTreeRegressor(min_samples_leaf=10, random_state=0))
    bias_in, bias_oof = [], []
    for seed in range(reps):
        sim = simulate_uplift(1500, kind="linear", treated_share=1 / 3, seed=100 + seed)
        test = _test_table(sim)
        X = sim.filter(like="x").set_axis(test["customer_id"])
        t, y = sim["treatment"].to_numpy(), sim["y"].to_numpy()
        in_sample = pd.Series(learner.fit(X, t, y).predict(X), index=X.index)
        oof = C.uplift_scores(X, t, y, learner=learner)["uplift"]
        true = pd.Series(sim["true_uplift"].to_numpy(), index=X.index)
        for scores, out in ((in_sample, bias_in), (oof, bias_oof)):
            chosen = scores.nlargest(k).index
            r = C.plan_value_from_test(chosen, test, outcome_col="y")
            out.append((r.estimate - true[chosen].sum()) / r.se)
    bias_in, bias_oof = np.mean(bias_in), np.mean(bias_oof)
    assert bias_in > 2.0                       # optimistic by more than two standard errors
    assert abs(bias_oof) < 3 / np.sqrt(reps)   # on target: mean of ~N(0, 1) errors
