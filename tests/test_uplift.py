"""Tests of mkt_lessons.uplift against independent oracles.

* ATE: statsmodels' score interval (``confint_proportions_2indep``, no small-sample
  correction) and SciPy's Welch interval; coverage of the interval by simulation with a
  treated share of 1/3.
* Learners: simulation recovery with the generator's truth (PEHE well below the no-model
  baseline that predicts the average effect for everyone; a T-learner with linear base
  models recovers the generator's coefficients; the S-learner with OLS equals statsmodels'
  treatment coefficient); the transformed outcome is unbiased at a treated share of 1/3
  (simulation), while the 50/50 recipe is not.
* Curves: hand-computed tiny cases, a brute-force loop implementation written from the
  definitions, invariance to the row order of ties, the end points ``N_T * ATE`` and
  ``n * ATE`` with unequal groups, and "the perfect ranking has the largest Qini area"
  checked over every permutation of small samples.
* Targeting profit: hand-computed values and a brute force over all subsets.

HistGradientBoosting runs one thread here (``threadpool_limits``): on a busy 2-core machine
OpenMP oversubscription makes it 50x slower, not different.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.base import clone
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from threadpoolctl import threadpool_limits

from mkt_lessons import uplift as U
from mkt_lessons.experiment import two_proportion_ztest
from mkt_lessons.uplift import SLearner, TLearner, TransformedOutcome, XLearner


@pytest.fixture(autouse=True)
def _one_thread():
    with threadpool_limits(limits=1):
        yield


def _xs(df):
    return df[["x1", "x2", "x3", "x4"]]


# --------------------------------------------------------------------------- ATE
def test_ate_binary_is_lesson_07s_score_interval_with_the_groups_in_order():
    y = np.r_[np.ones(30), np.zeros(170), np.ones(90), np.zeros(310)]  # 200 treated, 400 control
    t = np.r_[np.ones(200), np.zeros(400)].astype(int)
    r = U.average_treatment_effect(y, t, alpha=0.1)
    assert r.method == "proportions" and (r.n_treated, r.n_control) == (200, 400)
    assert r.estimate == pytest.approx(30 / 200 - 90 / 400)
    assert r.treated_share == pytest.approx(1 / 3)
    # control first, treatment second (lesson 07's convention); the score interval there is
    # tested against an independent inversion and published values (tests/test_experiment.py)
    ref = two_proportion_ztest(90, 400, 30, 200, alpha=0.1)
    assert (r.ci_low, r.ci_high, r.pvalue) == (ref.ci_low, ref.ci_high, ref.pvalue)
    # and it is close to the unpooled Wald interval, whose width uses each group's own size
    half = stats.norm.isf(0.05) * np.sqrt(0.15 * 0.85 / 200 + 0.225 * 0.775 / 400)
    assert (r.ci_low, r.ci_high) == pytest.approx((-0.075 - half, -0.075 + half), abs=3e-3)


def test_ate_amounts_match_scipy_welch():
    rng = np.random.default_rng(3)
    y = rng.lognormal(1.0, 1.0, 300)
    t = (np.arange(300) % 3 == 0).astype(int)
    r = U.average_treatment_effect(y, t)
    ref = stats.ttest_ind(y[t == 1], y[t == 0], equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert r.method == "welch"
    assert r.estimate == pytest.approx(y[t == 1].mean() - y[t == 0].mean())
    assert (r.statistic, r.pvalue) == pytest.approx((ref.statistic, ref.pvalue))
    assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high))


@pytest.mark.parametrize("kind", ["binary", "amounts"])
def test_ate_interval_covers_the_true_effect_95_percent_of_the_time(kind):
    """1,000 randomised tests with a treated share of 1/3: coverage within binomial noise."""
    rng = np.random.default_rng(11)
    n, reps, hits = 600, 1000, 0
    for _ in range(reps):
        t = (rng.random(n) < 1 / 3).astype(int)
        if kind == "binary":
            y = (rng.random(n) < np.where(t == 1, 0.16, 0.10)).astype(float)
            true = 0.06
        else:  # skewed revenue: log-normal, treated x1.2 (mean exp(mu + s^2/2))
            y = rng.lognormal(np.where(t == 1, np.log(1.2), 0.0), 1.0)
            true = 0.2 * np.exp(0.5)
        r = U.average_treatment_effect(y, t)
        hits += r.ci_low <= true <= r.ci_high
    se = np.sqrt(0.95 * 0.05 / reps)
    assert abs(hits / reps - 0.95) < 3.5 * se, hits / reps


def test_ate_refuses_proportions_for_amounts_and_one_group():
    with pytest.raises(ValueError, match="method='welch'"):
        U.average_treatment_effect([0.5, 1, 0, 1], [1, 1, 0, 0], method="proportions")
    with pytest.raises(ValueError, match="treatment"):
        U.average_treatment_effect([1, 0, 1, 0], [1, 1, 1, 0])


# --------------------------------------------------------------------------- learners
@pytest.fixture(scope="module")
def binary_sims():
    train = U.simulate_uplift(8000, treated_share=1 / 3, seed=1)
    test = U.simulate_uplift(10_000, treated_share=1 / 3, seed=2)
    return train, test


LEARNERS = {
    "S-boosting": lambda: SLearner(HistGradientBoostingClassifier(max_iter=100), random_state=0),
    "T-logistic": lambda: TLearner(LogisticRegression()),
    "X-logistic": lambda: XLearner(LogisticRegression(), effect_estimator=LinearRegression(),
                                   propensity=1 / 3),
    "X-boosting": lambda: XLearner(random_state=0),
    "TO-linear": lambda: TransformedOutcome(LinearRegression(), propensity=1 / 3),
}


@pytest.mark.parametrize("name", list(LEARNERS))
def test_learners_recover_a_heterogeneous_effect(binary_sims, name):
    """PEHE on fresh customers well below the no-model baseline (the ATE for everyone)."""
    train, test = binary_sims
    ate = U.average_treatment_effect(train["y"], train["treatment"]).estimate
    baseline = U.pehe(test["true_uplift"], np.full(len(test), ate))
    model = LEARNERS[name]().fit(_xs(train), train["treatment"], train["y"])
    tau_hat = model.predict(_xs(test))
    assert U.pehe(test["true_uplift"], tau_hat) < 0.6 * baseline
    assert stats.spearmanr(tau_hat, test["true_uplift"]).statistic > 0.8
    q_model = U.qini_auc(test["y"], tau_hat, test["treatment"])
    q_oracle = U.qini_auc(test["y"], test["true_uplift"], test["treatment"])
    assert 0.05 < q_model <= q_oracle + 0.02  # no model beats the truth (up to noise)


def test_t_learner_with_linear_truth_recovers_the_generators_coefficients():
    sim = U.simulate_uplift(20_000, kind="linear", treated_share=1 / 3, seed=5)
    X = _xs(sim)
    model = TLearner(LinearRegression()).fit(X, sim["treatment"], sim["y"])
    design = np.column_stack([np.ones(len(X)), X])
    for fitted, truth in [(model.model_control_, "mu_control"),
                          (model.model_treated_, "mu_treated")]:
        # the truth is noise-free and linear: least squares on it returns its coefficients
        beta = np.linalg.lstsq(design, sim[truth].to_numpy(), rcond=None)[0]
        assert fitted.intercept_ == pytest.approx(beta[0], abs=0.05)
        np.testing.assert_allclose(fitted.coef_, beta[1:], atol=0.05)
    # expected PEHE of two OLS fits with 5 coefficients, unit noise and unit-variance x:
    # sqrt(5 (1/n_T + 1/n_C)); allow twice that
    n_t = sim["treatment"].sum()
    expected = np.sqrt(5 * (1 / n_t + 1 / (len(sim) - n_t)))
    assert U.pehe(sim["true_uplift"], model.predict(X)) < 2 * expected


def test_s_learner_with_ols_is_the_treatment_coefficient_of_statsmodels():
    import statsmodels.api as sm

    sim = U.simulate_uplift(500, kind="linear", seed=6)
    X = _xs(sim)
    u = SLearner(LinearRegression()).fit(X, sim["treatment"], sim["y"]).predict(X)
    ols = sm.OLS(sim["y"], sm.add_constant(X.assign(treatment=sim["treatment"]))).fit()
    np.testing.assert_allclose(u, ols.params["treatment"], rtol=1e-9)


def test_x_learner_combines_its_effect_models_with_the_propensity():
    sim = U.simulate_uplift(3000, kind="linear", treated_share=1 / 3, seed=7)
    X = _xs(sim)
    x = XLearner(LinearRegression(), effect_estimator=LinearRegression(), propensity=0.25)
    x.fit(X, sim["treatment"], sim["y"])
    tau0, tau1 = x.effect_control_.predict(X.to_numpy()), x.effect_treated_.predict(X.to_numpy())
    np.testing.assert_allclose(x.predict(X), 0.25 * tau0 + 0.75 * tau1)
    # stage 2 fits the imputed effects: D1 = y - mu0(x) on the treated
    t = sim["treatment"].to_numpy() == 1
    d1 = sim["y"].to_numpy()[t] - x.model_control_.predict(X.to_numpy()[t])
    ref = LinearRegression().fit(X.to_numpy()[t], d1)
    np.testing.assert_allclose(x.effect_treated_.coef_, ref.coef_)


def test_x_learner_default_and_estimated_propensity_are_close_to_the_share():
    sim = U.simulate_uplift(3000, kind="linear", treated_share=1 / 3, seed=8)
    X, t, y = _xs(sim), sim["treatment"], sim["y"]
    base = dict(estimator=LinearRegression(), effect_estimator=LinearRegression())
    observed = XLearner(**base).fit(X, t, y)
    assert observed.propensity_ == pytest.approx(t.mean())
    estimated = XLearner(**base, propensity=LogisticRegression()).fit(X, t, y)
    e = estimated.propensity_.predict_proba(X.to_numpy())[:, 1]
    assert abs(e.mean() - t.mean()) < 0.01 and e.std() < 0.03  # randomised: flat in x
    np.testing.assert_allclose(estimated.predict(X), observed.predict(X), atol=0.05)


def test_transformed_outcome_is_unbiased_at_a_share_of_one_third():
    """Mean of Z = y (T - e) / (e (1 - e)) over 400 tests vs the true ATE; the 50/50 recipe
    ``2 y (2T - 1)`` is biased at e = 1/3 (it estimates 2 (e mu1 - (1 - e) mu0))."""
    est, naive, truth = [], [], []
    for seed in range(400):
        sim = U.simulate_uplift(2000, treated_share=1 / 3, seed=seed)
        X, t, y = _xs(sim), sim["treatment"].to_numpy(), sim["y"].to_numpy()
        m = TransformedOutcome(DummyRegressor(), propensity=1 / 3).fit(X, t, y)
        est.append(m.predict(X.iloc[:1])[0])
        naive.append(np.mean(2 * y * (2 * t - 1)))
        truth.append(sim["true_uplift"].mean())
    est, naive, truth = map(np.asarray, (est, naive, truth))
    err = est - truth
    assert abs(err.mean()) < 3 * err.std(ddof=1) / np.sqrt(len(err))
    assert abs((naive - truth).mean()) > 20 * err.std(ddof=1) / np.sqrt(len(err))


def test_transformed_outcome_with_linear_truth_recovers_the_effect_coefficients():
    sim = U.simulate_uplift(40_000, kind="linear", treated_share=1 / 3, seed=9)
    m = TransformedOutcome(LinearRegression()).fit(_xs(sim), sim["treatment"], sim["y"])
    assert m.propensity_ == pytest.approx(sim["treatment"].mean())
    np.testing.assert_allclose(m.model_.coef_, [0.5, 0.0, -0.3, 0.0], atol=0.1)
    assert m.model_.intercept_ == pytest.approx(1.0, abs=0.1)


def test_classifier_bases_give_probabilities_and_need_binary_outcomes():
    sim = U.simulate_uplift(600, seed=10)
    X = _xs(sim)
    t = TLearner(LogisticRegression()).fit(X, sim["treatment"], sim["y"])
    mu0, mu1 = t.predict_outcomes(X)
    assert ((mu0 >= 0) & (mu0 <= 1) & (mu1 >= 0) & (mu1 <= 1)).all()
    np.testing.assert_allclose(t.predict(X), mu1 - mu0)
    with pytest.raises(ValueError, match="0/1"):
        TLearner(LogisticRegression()).fit(X, sim["treatment"], sim["y"] * 2.5)
    with pytest.raises(TypeError, match="effect_estimator"):
        XLearner(effect_estimator=LogisticRegression()).fit(X, sim["treatment"], sim["y"])


def test_base_estimators_are_cloned_not_modified():
    sim = U.simulate_uplift(300, seed=12)
    base = HistGradientBoostingRegressor(max_iter=5)
    before = base.get_params()
    m = SLearner(base, random_state=3).fit(_xs(sim), sim["treatment"], sim["y"])
    assert not hasattr(base, "n_features_in_") and base.get_params() == before
    assert m.model_ is not base and m.model_.random_state == 3
    twin = clone(m)
    assert twin.estimator is not base and not hasattr(twin, "model_")


def test_predict_refuses_a_different_number_of_columns():
    sim = U.simulate_uplift(300, seed=13)
    m = TLearner(LinearRegression()).fit(_xs(sim), sim["treatment"], sim["y"])
    with pytest.raises(ValueError, match="4"):
        m.predict(_xs(sim).iloc[:, :3])
    # the same columns in another order would swap features silently: refused
    with pytest.raises(ValueError, match="same order"):
        m.predict(_xs(sim)[["x2", "x1", "x3", "x4"]])
    np.testing.assert_allclose(m.predict(_xs(sim).to_numpy()), m.predict(_xs(sim)))


# --------------------------------------------------------------------------- curves
# Hand-computed (see the comments): rows already in score order; 4 treated, 2 control, so the
# rescaling r = N_T / N_C = 2 matters. ATE = 3/4 - 1/2 = 1/4.
Y = [1, 0, 1, 0, 1, 1]
T = [1, 1, 0, 0, 1, 1]
S = [6, 5, 4, 3, 2, 1]


def test_qini_curve_by_hand():
    c = U.qini_curve(Y, S, T)
    # scale="total": g = Y_T - 2 Y_C: 1, 1, 1 - 2, -1, 2 - 2, 3 - 2 = N_T * ATE = 4/4
    np.testing.assert_allclose(c["incremental"], [0, 1, 1, -1, -1, 0, 1])
    np.testing.assert_allclose(c["random"], np.arange(7) / 6)
    assert c["n_treated"].tolist() == [0, 1, 2, 2, 2, 3, 4]
    assert c["n_control"].tolist() == [0, 0, 0, 1, 2, 2, 2]
    # scale="prefix": g = Y_T while N_C = 0; then 1 - 1*2/1, 1 - 1*2/2, 2 - 1*3/2, 3 - 1*4/2
    c = U.qini_curve(Y, S, T, scale="prefix")
    np.testing.assert_allclose(c["incremental"], [0, 1, 1, -1, 0, 0.5, 1])


def test_uplift_curve_by_hand():
    c = U.uplift_curve(Y, S, T)
    # 0 while a group is empty; t=3: (1/2 - 1) * 3; t=4: 0; t=5: (2/3 - 1/2) * 5;
    # t=6: (3/4 - 1/2) * 6 = n * ATE
    np.testing.assert_allclose(c["incremental"], [0, 0, 0, -1.5, 0, 5 / 6, 1.5])
    np.testing.assert_allclose(c["random"], np.arange(7) / 6 * 1.5)


def test_qini_auc_by_hand():
    # total: gaps to the line x: 5/6, 2/3, -3/2, -5/3, -5/6 (ends 0); trapezoids of width 1/6
    assert U.qini_auc(Y, S, T, normalize=False) == pytest.approx(-5 / 12)
    # perfect: treated responders {0, 4, 5}, then {1, 3}, then the control responder 2:
    # points (0, 0), (1/2, 3), (5/6, 3), (1, 1); area above x = 5/8 + 7/9 + 13/72 = 19/12
    assert U.qini_auc(Y, S, T) == pytest.approx((-5 / 12) / (19 / 12))
    assert U.qini_auc(Y, [1, 0, -1, 0, 1, 1], T) == pytest.approx(1.0)
    # prefix: gaps 5/6, 2/3, -3/2, -2/3, -1/3 -> -1/6; uplift: gaps to 1.5x -> -53/72
    assert U.qini_auc(Y, S, T, scale="prefix", normalize=False) == pytest.approx(-1 / 6)
    assert U.qini_auc(Y, S, T, curve="uplift", normalize=False) == pytest.approx(-53 / 72)
    for kw in ({"curve": "uplift"}, {"scale": "prefix"}):
        with pytest.raises(ValueError, match="normalize=False"):
            U.qini_auc(Y, S, T, **kw)


def _brute_curve(y, s, t, kind):
    """The definitions, customer by customer (no ties in ``s``)."""
    n_t_all = sum(t)
    r_total = n_t_all / (len(t) - n_t_all)
    order = sorted(range(len(s)), key=lambda i: -s[i])
    out = [0.0]
    for k in range(1, len(s) + 1):
        top = order[:k]
        nt = sum(t[i] for i in top)
        nc = k - nt
        yt = sum(y[i] for i in top if t[i] == 1)
        yc = sum(y[i] for i in top if t[i] == 0)
        if kind == "total":
            out.append(yt - yc * r_total)
        elif kind == "prefix":
            out.append(yt - yc * nt / nc if nc else float(yt))
        else:
            out.append((yt / nt - yc / nc) * k if nt and nc else 0.0)
    return np.array(out)


@pytest.mark.parametrize("kind", ["total", "prefix", "uplift"])
def test_curves_equal_a_brute_force_loop_with_unequal_groups(kind):
    rng = np.random.default_rng(20)
    n = 60
    y = rng.lognormal(size=n) * (rng.random(n) < 0.4)  # amounts, many zeros
    t = (rng.random(n) < 1 / 3).astype(int)
    s = rng.normal(size=n)
    c = U.uplift_curve(y, s, t) if kind == "uplift" else U.qini_curve(y, s, t, scale=kind)
    np.testing.assert_allclose(c["incremental"], _brute_curve(y, s, t, kind))
    ate = y[t == 1].mean() - y[t == 0].mean()
    end = n * ate if kind == "uplift" else t.sum() * ate
    assert c["incremental"].iloc[-1] == pytest.approx(end)
    assert c["random"].iloc[-1] == pytest.approx(end)


def test_ties_are_entered_together_and_row_order_does_not_matter():
    rng = np.random.default_rng(21)
    n = 40
    y = (rng.random(n) < 0.3).astype(float)
    t = (rng.random(n) < 0.5).astype(int)
    s = rng.integers(0, 4, n).astype(float)  # 4 tied groups
    c = U.qini_curve(y, s, t)
    assert len(c) == 5 and c["n_targeted"].tolist() == [0, *np.cumsum(
        [np.sum(s == v) for v in (3, 2, 1, 0)])]
    perm = rng.permutation(n)
    c2 = U.qini_curve(y[perm], s[perm], t[perm])
    pd.testing.assert_frame_equal(c, c2)
    for k in (0.1, 0.33, 0.5):
        assert U.uplift_at_k(y, s, t, k) == pytest.approx(U.uplift_at_k(y[perm], s[perm],
                                                                        t[perm], k))


@pytest.mark.parametrize("seed", range(4))
def test_the_perfect_ranking_has_the_largest_qini_area(seed):
    """Over all 720 orders of 6 customers (unequal groups, 0/1 and amount outcomes) no
    ranking beats the perfect one for the Qini curve with scale="total": treated responders
    first, control responders last; its normalised area is 1."""
    rng = np.random.default_rng(seed)
    while True:
        t = (rng.random(6) < 0.4).astype(int)
        y = (rng.random(6) < 0.5) * (1.0 if seed % 2 == 0 else rng.lognormal(size=6))
        if 0 < t.sum() < 6 and (y * t).sum() > 0 and (y * (1 - t)).sum() > 0:
            break
    areas = {p: U.qini_auc(y, np.argsort(p), t, normalize=False)
             for p in itertools.permutations(range(6))}
    perfect = np.where(t == 1, y, -y)  # any order with the same sorting of contributions
    assert U.qini_auc(y, perfect, t, normalize=False) == pytest.approx(max(areas.values()))
    assert U.qini_auc(y, perfect, t) == pytest.approx(1.0)
    assert U.qini_auc(y, -perfect, t, normalize=False) == pytest.approx(min(areas.values()))


def test_with_the_prefix_scale_responders_first_is_not_the_best_order():
    """Why normalize=True refuses scale="prefix": a brute force beats the usual "perfect"."""
    y = np.array([1.0, 1, 0, 0, 1, 1])
    t = np.array([0, 1, 1, 1, 0, 0])
    usual = np.where(y == 1, np.where(t == 1, 1.0, -1.0), 0.0) + np.linspace(0.1, 0, 6)
    best = max(U.qini_auc(y, np.argsort(p), t, scale="prefix", normalize=False)
               for p in itertools.permutations(range(6)))
    assert U.qini_auc(y, usual, t, scale="prefix", normalize=False) < best - 0.01


def test_random_rankings_average_zero_and_the_oracle_beats_a_model(binary_sims):
    _, test = binary_sims
    y, t = test["y"].to_numpy(), test["treatment"].to_numpy()
    rng = np.random.default_rng(22)
    q_random = [U.qini_auc(y, rng.random(len(y)), t) for _ in range(100)]
    assert abs(np.mean(q_random)) < 3 * np.std(q_random) / 10 + 1e-3
    assert U.qini_auc(y, test["true_uplift"], t) > 10 * np.std(q_random)
    assert U.qini_auc(y, -test["true_uplift"], t) < -10 * np.std(q_random)


def test_uplift_at_k_by_hand_and_with_a_tie_at_the_cut():
    # top 3: treated 1, 0 -> 1/2; control 1 -> 1
    assert U.uplift_at_k(Y, S, T, 0.5) == pytest.approx(-0.5)
    # k = 1: the ATE, 3/4 - 1/2
    assert U.uplift_at_k(Y, S, T, 1.0) == pytest.approx(0.25)
    # top 3 of scores [5, 4, 4, 4, 1, 1]: row 0 and 2/3 of the tied rows 1-3
    y, t, s = [1, 1, 0, 1, 0, 0], [1, 1, 0, 0, 1, 0], [5, 4, 4, 4, 1, 1]
    w_t = 1 + 2 / 3
    expected = (1 + 2 / 3 * 1) / w_t - (2 / 3 * (0 + 1)) / (2 / 3 * 2)
    assert U.uplift_at_k(y, s, t, 0.5) == pytest.approx(expected)


def test_pehe_by_hand():
    assert U.pehe([0.0, 0.0, 0.0, 0.0], [1.0, -1.0, 1.0, -1.0]) == 1.0
    assert U.pehe([0.1, 0.2], [0.1, 0.2]) == 0.0


# --------------------------------------------------------------------------- decision
def test_targeting_profit_by_hand_with_redemption_cost():
    u = np.array([0.30, 0.10, 0.02, -0.05])
    red = np.array([0.9, 0.3, 0.8, 0.1])  # sure thing in row 2: buys anyway, redeems
    r = U.targeting_profit(u, value=50.0, cost=1.0, offer_cost=5.0, redemption=red)
    per = u * 50 - 1 - 5 * red          # 9.5, 2.5, -4.0, -4.0
    assert r.n_targeted == 2 and r.expected_profit == pytest.approx(per[0] + per[1])
    assert r.selected.tolist() == [True, True, False, False]
    np.testing.assert_allclose(r.curve["expected_profit"], [0, 9.5, 12.0, 8.0, 4.0])
    with pytest.raises(ValueError, match="redemption"):
        U.targeting_profit(u, value=50.0, cost=1.0, offer_cost=5.0)


def test_targeting_profit_reports_the_true_profit_of_the_same_plan():
    u, tau = np.array([0.3, 0.2, 0.1]), np.array([0.0, 0.25, 0.1])
    r = U.targeting_profit(u, value=10.0, cost=0.5, k=2, true_uplift=tau)
    assert r.n_targeted == 2
    assert r.expected_profit == pytest.approx(0.3 * 10 + 0.2 * 10 - 1.0)
    assert r.true_profit == pytest.approx(0.0 + 2.5 - 1.0)


def test_targeting_by_profit_is_the_best_subset_by_brute_force():
    rng = np.random.default_rng(30)
    n = 9
    u = rng.normal(0.05, 0.1, n)
    value = rng.uniform(10, 100, n)
    cost = rng.uniform(0.5, 3, n)
    per = u * value - cost
    best = max(sum(per[list(c)]) for k in range(n + 1) for c in itertools.combinations(range(n), k))
    r = U.targeting_profit(u, value=value, cost=cost)
    assert r.expected_profit == pytest.approx(best)
    by_uplift = U.targeting_profit(u, value=value, cost=cost, rank_by="uplift")
    assert by_uplift.expected_profit <= r.expected_profit + 1e-12


# --------------------------------------------------------------------------- simulator
def test_simulator_is_randomised_seeded_and_its_truth_matches_its_outcomes():
    a = U.simulate_uplift(50_000, treated_share=1 / 3, seed=40)
    pd.testing.assert_frame_equal(a, U.simulate_uplift(50_000, treated_share=1 / 3, seed=40))
    t = a["treatment"] == 1
    assert abs(t.mean() - 1 / 3) < 3 * np.sqrt(2 / 9 / len(a))
    # the simulated outcomes follow the stated probabilities (within 4 standard errors)
    for mask, col in [(t, "mu_treated"), (~t, "mu_control")]:
        p = a.loc[mask, col]
        se = np.sqrt((p * (1 - p)).sum()) / mask.sum()
        assert abs(a.loc[mask, "y"].mean() - p.mean()) < 4 * se
    np.testing.assert_allclose(a["true_uplift"], a["mu_treated"] - a["mu_control"])
    # all four kinds of customer exist: persuadables, sleeping dogs, sure things, lost causes
    tau = a["true_uplift"]
    assert (tau > 0.2).any() and (tau < -0.05).any()
    assert ((a["mu_control"] > 0.9) & (tau.abs() < 0.05)).any()
    assert ((a["mu_treated"] < 0.05) & (a["mu_control"] < 0.05)).any()


# --------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def rand_hie():
    """The RAND Health Insurance Experiment as shipped inside statsmodels' wheel (no download).

    The only real randomised experiment among the installed packages' data (no package here
    ships a marketing uplift data set: scikit-uplift's Hillstrom/Criteo/X5 loaders download).
    Families were assigned to insurance plans at random (with unequal shares and Morris's
    finite-selection balancing); rows are person-years, so a person's years are correlated
    and intervals here are too narrow. Treatment: free care (coinsurance 0) vs 95%
    coinsurance, plans without an individual deductible; outcome: outpatient MD visits.
    Only pre-assignment health features enter X (``lpi``/``fmde`` depend on the plan).
    """
    import statsmodels.api as sm

    d = sm.datasets.randhie.load_pandas().data
    coins = np.round(np.exp(d["lncoins"]) - 1)
    d = d[(d["idp"] == 0) & coins.isin([0, 95])].reset_index(drop=True)
    t = (np.round(np.exp(d["lncoins"]) - 1) == 0).astype(int).to_numpy()
    return d[["physlm", "disea", "hlthg", "hlthf", "hlthp"]].to_numpy(), t, d["mdvis"].to_numpy()


def test_real_experiment_free_care_raises_visits_as_published(rand_hie):
    """Manning et al. (1987, AER 77(3), Table 2): 4.55 visits a year on the free plan vs 2.73
    on the 95% plan, a ratio of 1.67. statsmodels' extract counts MD visits only, so the
    levels differ; the ratio should not."""
    _, t, y = rand_hie
    r = U.average_treatment_effect(y, t)
    assert r.method == "welch" and r.ci_low > 0
    assert 0.6 < r.treated_share < 0.8  # the free plan was over-sampled: unequal groups
    assert r.mean_treated / r.mean_control == pytest.approx(4.55 / 2.73, rel=0.1)


@pytest.mark.parametrize("model", [TLearner(random_state=0),
                                   TransformedOutcome(LinearRegression())],
                         ids=["T-boosting", "TO-linear"])
def test_real_experiment_uplift_models_beat_random_rankings_out_of_sample(rand_hie, model):
    """Fitted on a random half, scored on the other (person-years of one person can fall in
    both halves, which flatters every model alike): the Qini coefficient is above the 97.5th
    percentile of 200 random rankings."""
    X, t, y = rand_hie
    rng = np.random.default_rng(0)
    half = rng.random(len(y)) < 0.5
    u = clone(model).fit(X[half], t[half], y[half]).predict(X[~half])
    q = U.qini_auc(y[~half], u, t[~half])
    q_random = [U.qini_auc(y[~half], rng.random(int((~half).sum())), t[~half])
                for _ in range(200)]
    assert q > np.percentile(q_random, 97.5)
