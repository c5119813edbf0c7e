"""Tests for mkt_lessons.targeting: hand cases, scikit-learn's ROC/PR computations and brute
force as oracles."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import precision_recall_curve, precision_score, recall_score, roc_curve

from mkt_lessons import targeting as tg


def _random_case(n=200, seed=0, distinct=True):
    rng = np.random.default_rng(seed)
    scores = rng.random(n) if distinct else rng.integers(0, 8, n) / 8
    y = (rng.random(n) < scores).astype(int)
    return y, scores


# --------------------------------------------------------------------------- gains_table
def test_gains_table_hand_case():
    # 10 customers, scores already sorted high to low; positives at ranks 1, 2, 4, 9
    # bins of 2: {1,2}, {3,4}, {5,6}, {7,8}, {9,10}
    scores = np.linspace(1.0, 0.1, 10)
    y = np.array([1, 1, 0, 1, 0, 0, 0, 0, 1, 0])
    g = tg.gains_table(y, scores, n_bins=5)
    assert list(g.index) == [1, 2, 3, 4, 5] and g.index.name == "bin"
    assert g["n"].tolist() == [2, 2, 2, 2, 2]
    assert g["positives"].tolist() == [2, 1, 0, 0, 1]
    assert g["cum_positives"].tolist() == [2, 3, 3, 3, 4]
    assert g["cum_pct_positives"].tolist() == pytest.approx([0.5, 0.75, 0.75, 0.75, 1.0])
    assert g["cum_pct_customers"].tolist() == pytest.approx([0.2, 0.4, 0.6, 0.8, 1.0])
    # base rate 0.4: bin 1 responds at 1.0 -> lift 2.5
    assert g["lift"].tolist() == pytest.approx([2.5, 1.25, 0.0, 0.0, 1.25])
    assert g["cum_lift"].tolist() == pytest.approx([2.5, 3 / 4 / 0.4, 3 / 6 / 0.4, 3 / 8 / 0.4, 1.0])
    assert g["max_score"].iloc[0] == 1.0 and g["min_score"].iloc[-1] == pytest.approx(0.1)


def test_gains_table_agrees_with_sklearn_precision_recall_and_roc():
    y, s = _random_case(n=237)
    g = tg.gains_table(y, s)
    fpr, tpr, roc_thr = roc_curve(y, s, drop_intermediate=False)
    prec, rec, pr_thr = precision_recall_curve(y, s)
    for _, row in g.iterrows():
        targeted = s >= row["min_score"]
        assert targeted.sum() == row["cum_n"]
        assert row["cum_response_rate"] == pytest.approx(precision_score(y, targeted))
        assert row["cum_pct_positives"] == pytest.approx(recall_score(y, targeted))
        # the same point on sklearn's curves (thresholds are the distinct scores)
        j = np.flatnonzero(pr_thr == row["min_score"])[0]
        assert (prec[j], rec[j]) == pytest.approx((row["cum_response_rate"], row["cum_pct_positives"]))
        i = np.flatnonzero(roc_thr == row["min_score"])[0]
        neg = (y == 0).sum()
        assert tpr[i] == pytest.approx(row["cum_pct_positives"])
        assert fpr[i] == pytest.approx((row["cum_n"] - row["cum_positives"]) / neg)


def test_gains_table_bin_sizes_and_totals():
    y, s = _random_case(n=1003, seed=3)
    g = tg.gains_table(y, s)
    assert g["n"].max() - g["n"].min() <= 1
    assert g["n"].sum() == 1003 and g["positives"].sum() == y.sum()
    assert g["cum_lift"].iloc[-1] == pytest.approx(1.0)
    assert g["cum_pct_positives"].iloc[-1] == pytest.approx(1.0)
    # a decent score ranks positives first: the gain curve lies above the diagonal
    assert (g["cum_pct_positives"] >= g["cum_pct_customers"] - 1e-12).all()


def test_gains_table_ties_are_order_independent_and_never_split():
    y, s = _random_case(n=300, seed=5, distinct=False)
    g = tg.gains_table(y, s)
    perm = np.random.default_rng(1).permutation(len(s))
    pd.testing.assert_frame_equal(g, tg.gains_table(y[perm], s[perm]))
    nonempty = g[g["n"] > 0]
    # no score value appears in two bins
    assert (nonempty["min_score"].to_numpy()[:-1] > nonempty["max_score"].to_numpy()[1:]).all()
    # all tied: one (middle) bin holds everyone; the others are empty with NaN rates
    g1 = tg.gains_table([1, 0, 0, 1], [0.5] * 4, n_bins=4)
    assert g1["n"].tolist() == [0, 4, 0, 0]
    assert np.isnan(g1.loc[1, "response_rate"]) and g1.loc[2, "lift"] == pytest.approx(1.0)
    assert g1["cum_n"].tolist() == [0, 4, 4, 4]


def test_gains_table_accepts_series_and_bools_and_does_not_modify_inputs():
    y, s = _random_case(n=50, seed=2)
    ys, ss = pd.Series(y.astype(bool)), pd.Series(s)
    ys_copy, ss_copy = ys.copy(), ss.copy()
    pd.testing.assert_frame_equal(tg.gains_table(ys, ss), tg.gains_table(y, s))
    pd.testing.assert_series_equal(ys, ys_copy)
    pd.testing.assert_series_equal(ss, ss_copy)


@pytest.mark.parametrize("y,s,kw,exc,fragment", [
    ([1, 0], [0.1], {}, ValueError, "y_true .*must have 1 values.*got 2"),
    ([1, 2], [0.1, 0.2], {}, ValueError, "only 0/1"),
    ([0, 0], [0.1, 0.2], {}, ValueError, "no positive"),
    ([1, 0], [0.1, np.nan], {}, ValueError, "scores has 1 missing"),
    ([1, 0], [0.1, 0.2], {"n_bins": 0}, ValueError, "n_bins"),
    ([1, 0], [0.1, 0.2], {"n_bins": 2.5}, TypeError, "n_bins"),
    ([1, 0], [[0.1, 0.2]], {}, ValueError, "one-dimensional"),
    ([1, 0], "ab", {}, TypeError, "scores"),
    ([], [], {}, ValueError, "at least 1 value"),
])
def test_gains_table_bad_input(y, s, kw, exc, fragment):
    with pytest.raises(exc, match=fragment):
        tg.gains_table(y, s, **kw)


# --------------------------------------------------------------------------- lift
def test_lift_equals_top_k_precision_over_base_rate():
    y, s = _random_case(n=400, seed=7)
    order = np.argsort(-s)
    for k in [1, 7, 40, 133, 400]:
        top = np.zeros(len(s), dtype=bool)
        top[order[:k]] = True
        want = precision_score(y, top) / y.mean()
        assert tg.lift(y, s, k / len(s)) == pytest.approx(want)


def test_lift_hand_cases_and_arrays():
    assert tg.lift([1, 0, 0, 0], [0.9, 0.5, 0.4, 0.1], 0.25) == pytest.approx(4.0)
    assert tg.lift([1, 0, 0, 0], [0.9, 0.5, 0.4, 0.1], 1.0) == pytest.approx(1.0)
    # 0.3 of 10 customers is 3 (not 4 by floating-point ceil)
    y = [1, 1, 0, 1, 0, 0, 0, 0, 0, 0]
    assert tg.lift(y, np.arange(10, 0, -1), 0.3) == pytest.approx((2 / 3) / 0.3)
    # ties: top half cuts through a group of 4 tied customers with 2 positives -> 1 expected
    out = tg.lift([1, 0, 1, 0, 0, 0], [0.5, 0.5, 0.5, 0.5, 0.1, 0.1], np.array([0.5, 1.0]))
    assert isinstance(out, np.ndarray) and out.shape == (2,)
    assert out == pytest.approx([(3 * 2 / 4 / 3) / (2 / 6), 1.0])  # 3 targeted, 1.5 expected hits


def test_lift_matches_gains_table_at_deciles_and_is_order_independent():
    y, s = _random_case(n=500, seed=11)
    g = tg.gains_table(y, s)
    assert tg.lift(y, s, np.arange(1, 11) / 10) == pytest.approx(g["cum_lift"].to_numpy())
    y2, s2 = _random_case(n=500, seed=12, distinct=False)
    perm = np.random.default_rng(0).permutation(500)
    fr = np.array([0.05, 0.1, 0.37, 0.5])
    assert tg.lift(y2, s2, fr) == pytest.approx(tg.lift(y2[perm], s2[perm], fr))


@pytest.mark.parametrize("fraction,exc", [(0, ValueError), (1.5, ValueError), (np.nan, ValueError),
                                          ("0.1", TypeError), (None, TypeError)])
def test_lift_bad_fraction(fraction, exc):
    with pytest.raises(exc, match="fraction"):
        tg.lift([1, 0], [0.2, 0.1], fraction)


# --------------------------------------------------------------------------- profit_curve
def test_profit_curve_hand_case():
    c = tg.profit_curve([0.2, 0.9, 0.5], value=100.0, cost=30.0, uplift=0.5,
                        y_true=[0, 1, 1])
    assert c["k"].tolist() == [0, 1, 2, 3]
    assert c["fraction"].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert c["threshold"].tolist() == [np.inf, 0.9, 0.5, 0.2]
    # per contact: 0.9*50-30 = 15, 0.5*50-30 = -5, 0.2*50-30 = -20
    assert c["expected_profit"].tolist() == pytest.approx([0, 15, 10, -10])
    # realised: 50-30, 50-30, 0-30
    assert c["realised_profit"].tolist() == pytest.approx([0, 20, 40, 10])


@pytest.mark.parametrize("rank_by", ["score", "expected_profit"])
def test_profit_curve_brute_force_with_per_customer_value_and_cost(rank_by):
    rng = np.random.default_rng(4)
    p, v, cst = rng.random(30), rng.uniform(50, 300, 30), rng.uniform(5, 20, 30)
    y = (rng.random(30) < p).astype(int)
    c = tg.profit_curve(p, value=v, cost=cst, uplift=0.3, y_true=y, rank_by=rank_by)
    order = np.argsort(-p) if rank_by == "score" else np.argsort(-(p * 0.3 * v - cst))
    for k in range(31):
        idx = order[:k]
        assert c.loc[k, "expected_profit"] == pytest.approx(np.sum(p[idx] * 0.3 * v[idx] - cst[idx]))
        assert c.loc[k, "realised_profit"] == pytest.approx(np.sum(y[idx] * 0.3 * v[idx] - cst[idx]))


def test_profit_curve_does_not_modify_inputs():
    p, v = np.array([0.3, 0.8]), pd.Series([10.0, 20.0])
    tg.profit_curve(p, value=v, cost=1.0)
    assert p.tolist() == [0.3, 0.8] and v.tolist() == [10.0, 20.0]
    assert "realised_profit" not in tg.profit_curve(p, value=v, cost=1.0)


@pytest.mark.parametrize("kw,exc,fragment", [
    ({"scores": [0.5, 1.2]}, ValueError, "probabilities"),
    ({"uplift": 1.5}, ValueError, "uplift"),
    ({"uplift": "high"}, TypeError, "uplift"),
    ({"cost": -1.0}, ValueError, "cost must be a number >= 0"),
    ({"value": [1.0, 2.0, 3.0]}, ValueError, "value .*got 3"),
    ({"value": None}, TypeError, "value"),
    ({"cost": np.inf}, ValueError, "cost .*finite"),
    ({"y_true": [1, 0, 1]}, ValueError, "y_true .*got 3"),
])
def test_profit_curve_bad_input(kw, exc, fragment):
    args = {"scores": [0.5, 0.2], "value": 100.0, "cost": 10.0} | kw
    with pytest.raises(exc, match=fragment):
        tg.profit_curve(args.pop("scores"), **args)


# --------------------------------------------------------------------------- best_threshold
@pytest.mark.parametrize("seed", range(5))
def test_best_threshold_is_the_break_even_rule(seed):
    rng = np.random.default_rng(seed)
    p = rng.random(500)
    value, cost, uplift = rng.uniform(50, 200), rng.uniform(2, 20), rng.uniform(0.1, 1)
    best = tg.best_threshold(p, value=value, cost=cost, uplift=uplift)
    worth = p * uplift * value > cost
    assert best.k == worth.sum()
    assert best.profit == pytest.approx(np.sum(p[worth] * uplift * value - cost))
    assert best.threshold == pytest.approx(p[worth].min())
    assert best.threshold > cost / (uplift * value)
    assert best.fraction == pytest.approx(worth.mean()) and best.use == "expected"


def test_best_threshold_hand_cases():
    b = tg.best_threshold([0.9, 0.5, 0.2], value=100.0, cost=30.0)
    assert (b.threshold, b.k, b.profit) == (0.5, 2, pytest.approx(80.0))
    nobody = tg.best_threshold([0.1, 0.2], value=100.0, cost=30.0)
    assert nobody.k == 0 and nobody.threshold == np.inf and nobody.profit == 0.0
    # break-even exactly (0.3 * 100 = 30): same profit, fewer contacts wins
    assert tg.best_threshold([0.9, 0.3], value=100.0, cost=30.0).k == 1


def test_best_threshold_never_splits_ties():
    # per-customer value makes the first of the tied pair profitable, the second not:
    # splitting the tie would earn more but "score >= threshold" cannot express it
    p = [0.8, 0.5, 0.5, 0.1]
    b = tg.best_threshold(p, value=[100.0, 100.0, 10.0, 100.0], cost=20.0, rank_by="score")
    # cuts: k=0: 0; k=1: 60; k=3: 60 + 30 - 15 = 75; k=4: 75 - 10 = 65
    assert (b.k, b.threshold, b.profit) == (3, 0.5, pytest.approx(75.0))
    assert sum(np.asarray(p) >= b.threshold) == b.k


def test_best_threshold_realised_brute_force():
    y, p = _random_case(n=60, seed=9)
    b = tg.best_threshold(p, value=80.0, cost=10.0, uplift=0.5, y_true=y, use="realised")
    best = max((np.sum((y * 0.5 * 80.0 - 10.0)[p >= t]), -t) for t in np.r_[np.inf, p])
    assert b.profit == pytest.approx(best[0]) and b.threshold == -best[1]


def test_best_threshold_bad_use():
    with pytest.raises(ValueError, match="use"):
        tg.best_threshold([0.5], value=1.0, cost=0.1, use="hindsight")
    with pytest.raises(ValueError, match="needs y_true"):
        tg.best_threshold([0.5], value=1.0, cost=0.1, use="realised")


# --------------------------------------------------------------------------- campaign_list
ACTIONS = ["retention_offer", "cross_sell_email"]


def _profit_table(n=40, seed=0, m=2):
    rng = np.random.default_rng(seed)
    cols = ACTIONS if m == 2 else [f"a{j}" for j in range(m)]
    return pd.DataFrame(rng.normal(3, 6, (n, m)), columns=cols,
                        index=pd.Index([f"C{i:03d}" for i in range(n)], name="customer_id"))


def test_campaign_list_without_budget_is_rowwise_best_positive_action():
    ep = _profit_table()
    out = tg.campaign_list(ep, {"retention_offer": 10.0, "cross_sell_email": 0.5})
    assert len(out) == len(ep) and set(out.index) == set(ep.index)
    assert out.index.name == "customer_id" and list(out.columns) == ["action", "expected_profit", "cost"]
    best = ep.max(axis=1)
    want = ep.idxmax(axis=1).where(best > 0, "no_action")
    pd.testing.assert_series_equal(out["action"].reindex(ep.index), want, check_names=False,
                                   check_dtype=False)
    assert out["expected_profit"].reindex(ep.index).to_numpy() == pytest.approx(best.clip(lower=0).to_numpy())
    assert (out.loc[out["action"] == "no_action", "cost"] == 0).all()
    assert (out.loc[out["action"] == "retention_offer", "cost"] == 10.0).all()
    assert out["expected_profit"].is_monotonic_decreasing


def _brute_force(profit, costs, budget):
    n, m = profit.shape
    best = 0.0
    for assign in itertools.product(range(-1, m), repeat=n):
        c = sum(costs[i, a] for i, a in enumerate(assign) if a >= 0)
        if c <= budget + 1e-9:
            best = max(best, sum(profit[i, a] for i, a in enumerate(assign) if a >= 0))
    return best


@pytest.mark.parametrize("seed", range(12))
def test_campaign_list_greedy_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, m = 6, 3
    profit = rng.normal(4, 5, (n, m))
    costs = rng.uniform(0.5, 5, (n, m)).round(1)
    ep = pd.DataFrame(profit, columns=list("abc"))
    cost = pd.DataFrame(costs, columns=list("abc"))
    budget = float(rng.uniform(2, 15))
    out = tg.campaign_list(ep, cost, budget)
    assert out["cost"].sum() <= budget + 1e-9
    assert (out.loc[out["action"] != "no_action", "expected_profit"] > 0).all()
    opt = _brute_force(profit, costs, budget)
    got = out["expected_profit"].sum()
    assert got <= opt + 1e-9
    assert got >= opt - profit.max() - 1e-9
    # the reported profit and cost are the table's own entries
    for cid, row in out.iterrows():
        if row["action"] != "no_action":
            assert row["expected_profit"] == ep.loc[cid, row["action"]]
            assert row["cost"] == cost.loc[cid, row["action"]]


@pytest.mark.parametrize("seed", range(6))
def test_campaign_list_exact_when_every_action_costs_the_same(seed):
    rng = np.random.default_rng(100 + seed)
    # one action type
    ep1 = pd.DataFrame({"offer": rng.normal(2, 4, 7)})
    out1 = tg.campaign_list(ep1, {"offer": 3.0}, budget=10.0)
    assert out1["expected_profit"].sum() == pytest.approx(
        _brute_force(ep1.to_numpy(), np.full((7, 1), 3.0), 10.0))
    # two actions with the same cost: the greedy picks each customer's best, top first
    ep2 = _profit_table(n=6, seed=seed)
    out2 = tg.campaign_list(ep2, {a: 2.0 for a in ACTIONS}, budget=7.0)
    assert out2["expected_profit"].sum() == pytest.approx(
        _brute_force(ep2.to_numpy(), np.full((6, 2), 2.0), 7.0))


def test_campaign_list_budget_hand_case_skips_hull_interior_option():
    # customer X: a (cost 1, profit 1), b (cost 2, profit 1.5), c (cost 3, profit 3.5).
    # Upper hull from (0, 0): c alone (slope 3.5/3 beats a's 1; b lies below), so X's only
    # upgrade is 0 -> c; Y's is 0 -> a (ratio 0.9).
    ep = pd.DataFrame({"a": [1.0, 0.9], "b": [1.5, -1.0], "c": [3.5, -1.0]}, index=["X", "Y"])
    cost = pd.DataFrame({"a": [1.0, 1.0], "b": [2.0, 1.0], "c": [3.0, 1.0]}, index=["X", "Y"])
    out = tg.campaign_list(ep, cost, budget=4.0)
    assert out.loc["X", "action"] == "c" and out.loc["Y", "action"] == "a"
    assert out["cost"].sum() == 4.0 and out["expected_profit"].sum() == pytest.approx(4.4)
    # budget 2: X -> c does not fit, Y -> a does; the fill pass then gives X its cheaper `a`
    out2 = tg.campaign_list(ep, cost, budget=2.0)
    assert out2["action"].tolist() == ["a", "a"] and out2["expected_profit"].sum() == pytest.approx(1.9)
    # a budget of 0 buys only free actions
    free = tg.campaign_list(ep, {"a": 0.0, "b": 1.0, "c": 1.0}, budget=0)
    assert (free["action"] == "a").all() and free["cost"].sum() == 0


def test_campaign_list_cost_dataframe_equals_dict_and_inputs_untouched():
    ep = _profit_table(n=25, seed=3)
    ep_copy = ep.copy()
    costs = {"retention_offer": 8.0, "cross_sell_email": 1.0}
    cdf = pd.DataFrame({a: np.full(len(ep), c) for a, c in costs.items()}, index=ep.index)
    cdf = cdf[ACTIONS[::-1]].iloc[::-1]  # different column and row order: aligned by label
    a = tg.campaign_list(ep, costs, budget=40.0)
    b = tg.campaign_list(ep, cdf, budget=40.0)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ep, ep_copy)
    assert a["cost"].sum() <= 40.0
    c = tg.campaign_list(ep, costs, budget=40.0, no_action="none")
    assert "none" in set(c["action"])


def test_campaign_list_large_budget_equals_no_budget():
    ep = _profit_table(n=50, seed=8)
    costs = {"retention_offer": 8.0, "cross_sell_email": 1.0}
    pd.testing.assert_frame_equal(tg.campaign_list(ep, costs, budget=1e9),
                                  tg.campaign_list(ep, costs))


@pytest.mark.parametrize("kw,exc,fragment", [
    ({"budget": -1.0}, ValueError, "budget"),
    ({"budget": "100"}, TypeError, "budget"),
    ({"cost": {"retention_offer": 1.0, "cross_sell_email": 1.0, "sms": 0.1}}, ValueError, "sms"),
    ({"cost": {"retention_offer": 1.0}}, ValueError, "lacks"),
    ({"cost": {"retention_offer": -1.0, "cross_sell_email": 1.0}}, ValueError, ">= 0"),
    ({"cost": [1.0, 2.0]}, TypeError, "dict"),
    ({"no_action": "retention_offer"}, ValueError, "no_action"),
])
def test_campaign_list_bad_arguments(kw, exc, fragment):
    args = {"cost": {"retention_offer": 1.0, "cross_sell_email": 1.0}, "budget": None} | kw
    with pytest.raises(exc, match=fragment):
        tg.campaign_list(_profit_table(n=5), args.pop("cost"), **args)


def test_campaign_list_bad_tables():
    costs = {"retention_offer": 1.0, "cross_sell_email": 1.0}
    nan = _profit_table(n=5)
    nan.iloc[2, 1] = np.nan
    with pytest.raises(ValueError, match="cross_sell_email"):
        tg.campaign_list(nan, costs)
    dup = _profit_table(n=5)
    dup.index = ["A", "B", "B", "C", "D"]
    with pytest.raises(ValueError, match="duplicate customer ids"):
        tg.campaign_list(dup, costs)
    with pytest.raises(TypeError, match="expected_profit .*must be a pandas DataFrame"):
        tg.campaign_list(_profit_table(n=5).to_numpy(), costs)
    text = _profit_table(n=5).astype({"retention_offer": "str"})
    with pytest.raises(TypeError, match="numeric"):
        tg.campaign_list(text, costs)
    with pytest.raises(ValueError, match="same customer ids"):
        tg.campaign_list(_profit_table(n=5), pd.DataFrame(1.0, index=list("vwxyz"), columns=ACTIONS))


# --------------------------------------------------------------------------- issue 14: exact knapsack
def _total(out):
    return float(out["expected_profit"].sum())


@pytest.mark.parametrize("seed", range(25))
def test_campaign_list_exact_equals_brute_force_and_greedy_keeps_its_bound(seed):
    rng = np.random.default_rng(1000 + seed)
    n, m = int(rng.integers(3, 7)), int(rng.integers(1, 4))
    profit = rng.normal(4, 6, (n, m)) * rng.choice([1, 10], (n, m))
    costs = rng.uniform(0, 6, (n, m)).round(1)
    ep = pd.DataFrame(profit, columns=[f"a{j}" for j in range(m)])
    cost = pd.DataFrame(costs, columns=ep.columns)
    budget = float(rng.uniform(1, 15))
    opt = _brute_force(profit, costs, budget)
    exact = tg.campaign_list(ep, cost, budget, method="exact")
    greedy = tg.campaign_list(ep, cost, budget)
    assert _total(exact) == pytest.approx(opt, abs=1e-9)
    assert exact.attrs["optimal"] and exact["cost"].sum() <= budget + 1e-9
    assert greedy["cost"].sum() <= budget + 1e-9
    assert opt / 2 - 1e-9 <= _total(greedy) <= opt + 1e-9
    assert greedy.attrs["upper_bound"] >= opt - 1e-9  # the stated bound is a true bound


@pytest.mark.parametrize("shape", ["two customers", "one customer, two actions"])
def test_campaign_list_adversarial_case_of_the_issue(shape):
    """Profits 1.01 and 100, costs 1 and 100, budget 100: the ratio greedy alone earns 1.01."""
    if shape == "two customers":
        ep = pd.DataFrame({"offer": [1.01, 100.0]}, index=["X", "Y"])
        cost = pd.DataFrame({"offer": [1.0, 100.0]}, index=["X", "Y"])
    else:
        ep = pd.DataFrame({"small": [1.01], "big": [100.0]}, index=["X"])
        cost = {"small": 1.0, "big": 100.0}
    assert _brute_force(ep.to_numpy(), pd.DataFrame(cost, index=ep.index).to_numpy()
                        if isinstance(cost, dict) else cost.to_numpy(), 100.0) == 100.0
    for method in ("exact", "greedy"):
        out = tg.campaign_list(ep, cost, 100.0, method=method)
        assert _total(out) == 100.0 and out["cost"].sum() == 100.0, method


def test_campaign_list_greedy_half_bound_is_tight_in_the_limit():
    # the classic worst case for "better of greedy and best single item": two items that
    # each fill half the budget and one that fills it all for slightly more
    ep = pd.DataFrame({"a": [1.0, 1.0, 1.0 + 1e-6]}, index=["X", "Y", "Z"])
    cost = pd.DataFrame({"a": [0.5, 0.5, 1.0 - 1e-9]}, index=["X", "Y", "Z"])
    exact = tg.campaign_list(ep, cost, 1.0, method="exact")
    assert _total(exact) == pytest.approx(2.0)
    greedy = tg.campaign_list(ep, cost, 1.0, method="greedy")
    assert 1.0 <= _total(greedy) <= 2.0


def test_campaign_list_bad_method():
    with pytest.raises(ValueError, match="method"):
        tg.campaign_list(_profit_table(n=3), {a: 1.0 for a in ACTIONS}, 5.0, method="lp")


# --------------------------------------------------------------------------- issue 14: ranking by expected profit
def test_best_threshold_with_varying_values_reaches_the_optimum():
    """500 customers, log-normal values: ranking by score leaves money on the table."""
    rng = np.random.default_rng(14)
    p = rng.uniform(0, 1, 500)
    value = rng.lognormal(4, 1, 500)
    cost, uplift = 10.0, 0.3
    unit = p * uplift * value - cost
    optimum = unit[unit > 0].sum()  # brute force: contact exactly the profitable ones
    auto = tg.best_threshold(p, value=value, cost=cost, uplift=uplift)
    by_score = tg.best_threshold(p, value=value, cost=cost, uplift=uplift, rank_by="score")
    assert auto.rank_by == "expected_profit" and auto.profit == pytest.approx(optimum)
    assert auto.k == (unit > 0).sum() and auto.threshold == pytest.approx(unit[unit > 0].min())
    assert by_score.profit < optimum - 100  # ranking by score alone is far from it
    # scalar value and cost: both rankings agree (v1 behaviour)
    same = tg.best_threshold(p, value=80.0, cost=cost, uplift=uplift)
    assert same.rank_by == "score"
    assert same.k == tg.best_threshold(p, value=80.0, cost=cost, uplift=uplift,
                                       rank_by="expected_profit").k


def test_best_threshold_result_unpacks_like_the_v1_named_tuple():
    b = tg.best_threshold([0.9, 0.5, 0.2], value=100.0, cost=30.0)
    threshold, k, fraction, profit, use = b
    assert (threshold, k, use) == (0.5, 2, "expected") and b[1] == 2 and len(b) == 5
    assert b.summary()["k"] == 2


@pytest.mark.parametrize("seed", range(4))
def test_campaign_list_exact_equals_a_plain_integer_programme_on_larger_cases(seed):
    """The reduced-cost fixing must not change the optimum: compare with milp on every option."""
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    rng = np.random.default_rng(77 + seed)
    n = 80
    p_churn, value = rng.uniform(0, 1, n), rng.lognormal(4, 1, n)
    ep = pd.DataFrame({"offer": p_churn * 0.1 * value - 4.0,
                       "email": (1 - p_churn) * 0.02 * 0.4 * rng.uniform(10, 80, n) - 0.05})
    cost = {"offer": 4.0, "email": 0.05}
    budget = float(rng.uniform(5, 60))
    P, C = ep.to_numpy(), np.tile([4.0, 0.05], (n, 1))
    ok = P > 0
    cust, act = np.nonzero(ok)
    k = len(cust)
    res = milp(-P[cust, act], integrality=np.ones(k), bounds=Bounds(0, 1),
               constraints=[LinearConstraint(sparse.csr_array((np.ones(k), (cust, np.arange(k))),
                                                              shape=(n, k)), -np.inf, 1),
                            LinearConstraint(C[cust, act].reshape(1, -1), -np.inf, budget)],
               options={"mip_rel_gap": 0})
    exact = tg.campaign_list(ep, cost, budget, method="exact")
    greedy = tg.campaign_list(ep, cost, budget)
    assert _total(exact) == pytest.approx(-res.fun, abs=1e-7)
    assert _total(greedy) <= _total(exact) + 1e-9 <= greedy.attrs["upper_bound"] + 2e-9
