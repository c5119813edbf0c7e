"""mkt_lessons.campaign, version 2: value from CLV with shrinkage, cross-fitted response,
voucher profits, the budgeted choice and the comparison with the truth.

Oracles: hand-computed cases, the one-way ANOVA estimates of a balanced random-effects
design, simulation recovery (known log-normal order values, known uplift), brute force over
every subset for the budgeted choice, and a perturbation test for cross-fitting."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from mkt_lessons import campaign as C
from mkt_lessons import clv
from mkt_lessons.targeting import campaign_list
from mkt_lessons.uplift import TLearner, TransformedOutcome, simulate_uplift


def _orders(values_by_customer, start="2024-01-01", seed=0):
    """Order lines with the given order values; each customer buys on random days of a
    random active spell (some stop early), so BG/NBD has something to fit."""
    rng = np.random.default_rng(seed)
    rows = []
    for c, values in values_by_customer.items():
        first = int(rng.integers(0, 120))
        span = int(rng.integers(len(values) + 30, 360 - first))
        days = np.sort(rng.choice(np.arange(first, first + span), len(values), replace=False))
        for j, (d, v) in enumerate(zip(days, values, strict=True)):
            rows.append((c, f"{c}-{j}", pd.Timestamp(start) + pd.Timedelta(days=int(d)), v))
    return pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "revenue"])

def _bgnbd_orders(n_customers, seed, log_mean=4.0, tau=0.9, sd=0.6):
    """Purchase days from a BG/NBD process (clv.simulate_bgnbd, 52 weeks) and log-normal
    order values around each customer's own mean; returns (lines, true mean order value)."""
    rng = np.random.default_rng(seed)
    sim = clv.simulate_bgnbd(0.8, 6.0, 0.6, 2.5, T=np.full(n_customers, 52.0), random_state=seed)
    rows, true_mean = [], {}
    end = pd.Timestamp("2024-12-30")
    for i, (x, tx, T) in enumerate(sim[["frequency", "recency", "T"]].itertuples(index=False)):
        c = f"C{i:04d}"
        first = end - pd.Timedelta(days=int(round(7 * T)))
        weeks = [0.0] + sorted(rng.uniform(0, tx, max(int(x) - 1, 0)).tolist()) + ([tx] if x > 0 else [])
        m = rng.normal(log_mean, tau)
        true_mean[c] = float(np.exp(m + sd ** 2 / 2))
        for j, w in enumerate(weeks):
            rows.append((c, f"{c}-{j}", first + pd.Timedelta(days=int(round(7 * w))),
                         float(np.exp(rng.normal(m, sd)))))
    lines = pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "revenue"])
    return lines.drop_duplicates(["customer_id", "order_date"]), pd.Series(true_mean)


# --------------------------------------------------------------------------- customer_value
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_shrinkage_matches_the_anova_estimates_of_a_balanced_design():
    """(40 customers with 3 orders each do not identify BG/NBD: this test is about values.)"""
    rng = np.random.default_rng(1)
    n = 3
    values = {f"C{i:03d}": np.exp(rng.normal(4 + rng.normal(0, 0.8), 0.5, n)).round(2).tolist()
              for i in range(40)}
    lines = _orders(values)
    v = C.customer_value(lines, "2024-12-31", margin=0.5, data_end="2024-12-31")
    logs = np.log(np.array([values[c] for c in sorted(values)]))
    means = logs.mean(axis=1)
    msw = ((logs - means[:, None]) ** 2).sum() / (len(means) * (n - 1))   # one-way ANOVA
    msb = n * ((means - means.mean()) ** 2).sum() / (len(means) - 1)
    s2, tau2 = msw, (msb - msw) / n
    sh = v.attrs["shrinkage"]
    assert sh["s2"] == pytest.approx(s2) and sh["tau2"] == pytest.approx(tau2)
    w = n / (n + s2 / tau2)
    post = w * means + (1 - w) * means.mean()
    post_var = 1 / (n / s2 + 1 / tau2)
    expected = np.exp(post + (s2 + post_var) / 2)
    np.testing.assert_allclose(v["order_value"].to_numpy(), expected)


def test_shrinkage_recovers_simulated_order_values_better_than_raw_means():
    tau, s = 0.9, 0.6
    lines, true_mean = _bgnbd_orders(2000, seed=7, tau=tau, sd=s)
    values = lines.groupby("customer_id")["revenue"].apply(list).to_dict()
    v = C.customer_value(lines, "2024-12-31", margin=0.5, data_end="2024-12-31")
    assert v.attrs["shrinkage"]["k"] == pytest.approx(s ** 2 / tau ** 2, rel=0.25)
    truth = true_mean.loc[v.index]
    raw = pd.Series({c: np.mean(x) for c, x in values.items()}).loc[v.index]
    log_err = lambda est: float(np.mean((np.log(est) - np.log(truth)) ** 2))  # noqa: E731
    assert log_err(v["order_value"]) < 0.8 * log_err(raw)
    # a one-time buyer with a huge order is pulled towards the population, not valued at it
    one = v.index[v["n_orders"] == 1]
    biggest = raw.loc[one].idxmax()
    assert v.loc[biggest, "order_value"] < raw[biggest]


def test_customer_value_uses_bgnbd_and_ignores_the_future():
    lines, _ = _bgnbd_orders(600, seed=3)
    as_of = pd.Timestamp("2024-12-30")
    later = pd.DataFrame({"customer_id": ["C0001"], "order_id": ["late"],
                          "order_date": [pd.Timestamp("2025-01-15")], "revenue": [1e6]})
    both = pd.concat([lines, later], ignore_index=True)
    before = both.copy()
    v = C.customer_value(both, as_of, margin=0.4, horizon_days=30)
    assert bool(v.attrs["bgnbd"])
    pd.testing.assert_frame_equal(both, before)
    hist = lines[lines["order_date"] <= as_of]
    s = clv.summary_table(hist, as_of)
    bg = clv.BetaGeoModel().fit(s["frequency"], s["recency"], s["T"])
    s = s.loc[v.index]
    np.testing.assert_allclose(v["p_alive"], bg.prob_alive(s["frequency"], s["recency"], s["T"]))
    np.testing.assert_allclose(v["expected_orders"],
                               bg.expected_purchases(30.0, s["frequency"], s["recency"], s["T"]))
    np.testing.assert_allclose(v["expected_margin"], 0.4 * v["order_value"] * v["expected_orders"])
    assert v["order_value"].max() < 1e5  # the late order is not seen


def test_customer_value_refuses_non_positive_orders():
    lines = _orders({"C001": [10.0, 20.0], "C002": [0.0, 5.0], "C003": [7.0, 9.0]})
    with pytest.raises(ValueError, match="> 0"):
        C.customer_value(lines, "2024-12-31", margin=0.5, data_end="2024-12-31")


# --------------------------------------------------------------------------- orders_in_window
def test_orders_in_window_counts_orders_not_lines_with_inclusive_start_exclusive_end():
    lines = pd.DataFrame({"customer_id": ["A", "A", "A", "A", "B"],
                          "order_id": ["o1", "o1", "o2", "o3", "o4"],
                          "order_date": pd.to_datetime(["2024-04-02", "2024-04-02", "2024-05-31",
                                                        "2024-06-01", "2024-04-01"])})
    n = C.orders_in_window(lines, ["B", "A", "Z"], "2024-04-02", 60)
    assert n.to_dict() == {"B": 0, "A": 2, "Z": 0}
    with pytest.raises(ValueError, match="duplicate"):
        C.orders_in_window(lines, ["A", "A"], "2024-04-02", 60)


# --------------------------------------------------------------------------- uplift_scores
def test_uplift_scores_are_out_of_fold():
    """A customer's own outcome never touches their score: change it, the score stays."""
    sim = simulate_uplift(600, kind="linear", treated_share=1 / 3, seed=2)
    X = sim.filter(like="x")
    learner = TLearner(LinearRegression())
    a = C.uplift_scores(X, sim["treatment"], sim["y"], learner=learner)
    y = sim["y"].to_numpy().copy()
    y[10] += 1000.0
    b = C.uplift_scores(X, sim["treatment"], y, learner=learner)
    assert a.loc[10].equals(b.loc[10])
    assert not np.allclose(a["uplift"], b["uplift"])   # other folds did see it
    np.testing.assert_allclose(a["uplift"], a["treated"] - a["control"])


def test_uplift_scores_without_outcome_predictions_fill_nan():
    sim = simulate_uplift(300, kind="linear", treated_share=0.5, seed=4)
    s = C.uplift_scores(sim.filter(like="x"), sim["treatment"], sim["y"],
                        learner=TransformedOutcome(LinearRegression()), n_folds=3)
    assert s["treated"].isna().all() and s["uplift"].notna().all()


def test_plan_from_estimated_uplift_approaches_the_oracle_plan_when_the_model_is_right():
    """Simulation recovery: a correctly specified learner's plan earns nearly the oracle's."""
    sim = simulate_uplift(4000, kind="linear", treated_share=1 / 3, seed=5)
    X = sim.filter(like="x").set_axis([f"C{i}" for i in range(len(sim))])
    s = C.uplift_scores(X, sim["treatment"].to_numpy(), sim["y"].to_numpy(),
                        learner=TLearner(LinearRegression()))
    true = pd.Series(sim["true_uplift"].to_numpy(), index=X.index)
    cost = 1.2
    est = (s["uplift"] - cost).to_frame("offer")
    k = 800
    plan = campaign_list(est, {"offer": 1.0}, k)
    chosen = plan.index[plan["action"] == "offer"]
    oracle = (true - cost).nlargest(k).index
    got = C.compare_plans({"model": est.loc[chosen, "offer"], "oracle": true[oracle] - cost},
                          true, contact_cost=cost, reference="oracle")
    assert got.loc["model", "share_of_reference"] > 0.9
    assert got.loc["model", "expected_profit"] == pytest.approx(got.loc["model", "true_profit"], rel=0.15)


# --------------------------------------------------------------------------- profits
def test_voucher_profits_hand_case_and_alignment_by_customer():
    ids = ["A", "B", "C"]
    u = pd.Series([0.5, 0.0, -0.2], ids)
    v = pd.Series([80.0, 200.0, 50.0], ids)
    p1 = pd.Series([0.4, 0.95, 0.3], ids)
    got = C.voucher_profits(u, v.iloc[::-1], p1.iloc[[1, 2, 0]], margin=0.5, contact_cost=1.0,
                            voucher_share=0.15)
    # A: 0.5*0.5*80 = 20 gain; cost 1 + 0.15*80*0.4 = 5.8 -> 14.2
    # B: a sure thing: no gain; cost 1 + 0.15*200*0.95 = 29.5 -> -29.5
    # C: a sleeping dog: gain -5; cost 1 + 2.25 = 3.25 -> -8.25
    assert got.loc[ids, "expected_profit"].tolist() == pytest.approx([14.2, -29.5, -8.25])
    assert got.loc[ids, "cost"].tolist() == pytest.approx([5.8, 29.5, 3.25])
    with pytest.raises(ValueError, match="lacks"):
        C.voucher_profits(u, v.iloc[:2], p1, margin=0.5, contact_cost=1.0, voucher_share=0.15)


def test_assumed_response_saves_only_the_living():
    v = pd.DataFrame({"p_alive": [1.0, 0.5, 0.0], "expected_orders": [2.0, 0.2, 0.0]},
                     index=["A", "B", "C"])
    r = C.assumed_response(v, 0.3)
    assert r["uplift"].tolist() == pytest.approx([0.3, 0.15, 0.0])
    assert r["treated"].tolist() == pytest.approx([1 - np.exp(-2.3), 1 - np.exp(-0.35), 0.0])
    assert (r["treated"] >= r["control"]).all()


def test_budgeted_choice_is_the_brute_force_optimum():
    rng = np.random.default_rng(11)
    for _ in range(20):
        n, k = 8, int(rng.integers(1, 5))
        profit = pd.Series(rng.normal(0, 10, n), index=[f"C{i}" for i in range(n)])
        plan = campaign_list(profit.to_frame("voucher"), {"voucher": 1.0}, k)
        best = max(sum(profit.iloc[list(s)]) for r in range(k + 1)
                   for s in itertools.combinations(range(n), r))
        assert plan["expected_profit"].sum() == pytest.approx(best)


# --------------------------------------------------------------------------- compare_plans
def test_compare_plans_hand_case():
    truth = pd.Series([10.0, -5.0, 2.0, 0.0], index=["A", "B", "C", "D"])
    plans = {"x": pd.Series([6.0, 3.0], index=["A", "B"]), "none": pd.Series([], dtype=float),
             "best": pd.Series([9.0, 1.0], index=["A", "C"])}
    got = C.compare_plans(plans, truth, contact_cost=0.5, reference="best")
    assert got["contacted"].tolist() == [2, 0, 2]
    assert got["true_profit"].tolist() == pytest.approx([4.0, 0.0, 11.0])
    assert got["share_of_reference"].tolist() == pytest.approx([4 / 11, 0.0, 1.0])
    assert "true_profit" not in C.compare_plans(plans).columns
    with pytest.raises(ValueError, match="lacks"):
        C.compare_plans({"y": pd.Series([1.0], index=["Q"])}, truth)
