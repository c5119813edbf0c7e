"""Lesson 11 (uplift modelling) exercises: the average effect on revenue, the transformed
outcome at a treatment share of 1/3, uplift at the top 20% by hand, how many lost causes a
churn-risk list holds, and why churn risk is not response."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from mkt_lessons import constants, data
from mkt_lessons.exercises import ThoughtProblem, ValueProblem, collect, solutions_printer

FEATURES = ["tenure_days", "recency_days", "frequency_365d", "monetary_365d", "age"]
N_FOLDS = 5
BUDGET = 500


# --------------------------------------------------------------------------- notebook state
@functools.lru_cache(maxsize=1)
def _state():
    """The retention test, its truth, the X-learner's cross-fitted uplift and the churn-risk
    score, computed as in notebook 11 (sections 1, 3 and 6)."""
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from threadpoolctl import threadpool_limits

    from mkt_lessons import features, uplift

    test = data.load_retention_test()
    truth = data.load_truth().retention_uplift.set_index("customer_id").loc[test["customer_id"]]
    t, y = test["treatment"].to_numpy(), test["purchased_60d"].to_numpy()
    X = pd.concat([test[FEATURES].astype(float),
                   pd.get_dummies(test["acquisition_channel"], prefix="channel", dtype=float)],
                  axis=1)
    tau = np.zeros(len(X))
    with threadpool_limits(1):
        for fit_rows, rows in StratifiedKFold(N_FOLDS, shuffle=True, random_state=0).split(X, t):
            m = clone(uplift.XLearner(random_state=0)).fit(X.iloc[fit_rows], t[fit_rows],
                                                          y[fit_rows])
            tau[rows] = m.predict(X.iloc[rows])
    scores = pd.DataFrame({"X-learner": tau}, index=test["customer_id"])

    orders = data.load_orders()
    day_before = test["assigned_at"].iloc[0] - pd.Timedelta(days=1)
    risk_cut = day_before - pd.Timedelta(days=constants.CHURN_HORIZON_DAYS)
    X_hist = features.customer_features(orders, risk_cut).astype(float)
    y_hist = features.churn_labels(orders, risk_cut, constants.CHURN_HORIZON_DAYS).loc[X_hist.index]
    model = features.feature_pipeline(list(X_hist.columns),
                                      estimator=LogisticRegression(max_iter=1000))
    model.fit(X_hist, y_hist)
    X_now = features.customer_features(orders, day_before).astype(float).loc[test["customer_id"]]
    risk = pd.Series(model.predict_proba(X_now)[:, 1], index=test["customer_id"],
                     name="churn risk")
    return test, truth, scores, risk


def namespace() -> dict:
    """The variables notebook 11 has when its exercises start (fresh copies)."""
    from mkt_lessons import uplift

    test, truth, scores, risk = _state()
    return {"np": np, "pd": pd, "uplift": uplift, "test": test.copy(), "truth": truth.copy(),
            "t": test["treatment"].to_numpy().copy(), "y": test["purchased_60d"].to_numpy().copy(),
            "scores": scores.copy(), "risk": risk.copy(), "BUDGET": BUDGET}


def _arrays():
    test, truth, scores, risk = _state()
    return (test["treatment"].to_numpy(), test["purchased_60d"].to_numpy().astype(float),
            test["revenue_60d"].to_numpy())


# --------------------------------------------------------------------------- q1
def _ate_revenue(kind: str = "right") -> float:
    t, _, rev = _arrays()
    if kind == "pooled":
        return float(rev[t == 1].mean() - rev.mean())
    if kind == "sign":
        return float(rev[t == 0].mean() - rev[t == 1].mean())
    if kind == "totals":
        return float(rev[t == 1].sum() - rev[t == 0].sum())
    return float(rev[t == 1].mean() - rev[t == 0].mean())


q1 = ValueProblem(
    "ate_revenue", _ate_revenue, rtol=0, atol=0.01,
    mistakes=[(lambda: _ate_revenue("pooled"),
               "You compared the treated with *everyone*: the overall mean contains the "
               "treated customers too (a third of them), which shrinks the difference. Compare "
               "treated with control. See l11.q1.hint()."),
              (lambda: _ate_revenue("sign"),
               "Right size, wrong sign: the effect is treated minus control."),
              (lambda: _ate_revenue("totals"),
               "You subtracted total revenues: the control group is twice as large as the "
               "treated group (1/3 share), so totals are not comparable. Use means per "
               "customer. See l11.q1.hint().")],
    hint="The difference in means does not care that the groups are 1:2, as long as each "
         "group's mean is its own. `uplift.average_treatment_effect(...)` does it with a "
         "confidence interval (Welch's, for amounts).",
    solution="""
        ate_revenue = uplift.average_treatment_effect(test["revenue_60d"], t).estimate
    """,
    success="Look at its interval too (`.ci`): revenue is far noisier than a 0/1 purchase, "
            "and the revenue counts the voucher's discount as lost revenue on orders that "
            "would have happened anyway.",
)


# --------------------------------------------------------------------------- q2
def _z(kind: str = "right") -> np.ndarray:
    t, y, _ = _arrays()
    e = t.mean()
    if kind == "5050":
        return 2 * y * (2 * t - 1)
    if kind == "no_y":
        return (t - e) / (e * (1 - e))
    if kind == "one_minus":
        return y * (t - e) / (1 - e)
    return y * (t - e) / (e * (1 - e))


q2 = ValueProblem(
    "Z", _z, rtol=0.05, atol=1e-9,  # the design share 1/3 and the observed share both pass
    mistakes=[(lambda: _z("5050"),
               "That is the 50/50 recipe 2y(2T - 1): it assumes a treatment share of 1/2, "
               "but here a third were treated, so its mean is not the ATE (it is negative!). "
               "Divide by e(1 - e) with the real share e. See l11.q2.hint()."),
              (lambda: _z("no_y"),
               "Your Z does not depend on the outcome y: multiply by y, so that only buyers "
               "count. See l11.q2.hint()."),
              (lambda: _z("one_minus"),
               "Close: the denominator is e(1 - e), not (1 - e) alone. See l11.q2.hint().")],
    hint="Z = y (T - e) / (e (1 - e)) with e the share of treated customers. A treated buyer "
         "then counts 1/e, a control buyer -1/(1 - e), non-buyers 0. Check: `Z.mean()` should "
         "equal the ATE of section 1.",
    solution="""
        e = t.mean()
        Z = y * (t - e) / (e * (1 - e))
    """,
    success="Its mean is the ATE: each treated buyer counts 1/e, each control buyer -1/(1-e), "
            "re-weighting the two groups to the same size. Any regression of Z on x then "
            "estimates the uplift (section 3's transformed outcome).",
)


# --------------------------------------------------------------------------- q3
def _uplift_top(kind: str = "right", k: float = 0.2) -> float:
    test, truth, scores, risk = _state()
    t, y, _ = _arrays()
    order = np.argsort(-scores["X-learner"].to_numpy(), kind="stable")
    if kind == "bottom":
        order = order[::-1]
    top = order[:int(round(k * len(y)))]
    tt, yy = t[top], y[top]
    if kind == "treated_only":
        return float(yy[tt == 1].mean())
    return float(yy[tt == 1].mean() - yy[tt == 0].mean())


q3 = ValueProblem(
    "uplift_top20", _uplift_top, rtol=0, atol=1e-6,
    mistakes=[(lambda: _uplift_top("bottom"),
               "That is the uplift of the 20% with the *lowest* predicted uplift: sort the "
               "scores in descending order. See l11.q3.hint()."),
              (lambda: _uplift_top("treated_only"),
               "That is the purchase rate of the treated customers in the top 20%: an uplift "
               "subtracts the control customers' rate in the same top 20%."),
              (lambda: _ate_revenue_free_ate(),
               "That is the ATE over all customers; restrict both groups to the top 20% by "
               "`scores['X-learner']`. See l11.q3.hint().")],
    hint="Take the 557 customers (20% of 2,786) with the highest score, e.g. with "
         "`np.argsort(-score)[:557]`; within them, the mean of y for t == 1 minus the mean "
         "for t == 0. `uplift.uplift_at_k` checks your work.",
    solution="""
        top = np.argsort(-scores["X-learner"].to_numpy())[:round(0.2 * len(y))]
        uplift_top20 = y[top][t[top] == 1].mean() - y[top][t[top] == 0].mean()
    """,
    success="Compare it with the ATE: the top fifth of the ranking responds far more than "
            "average - that is what a useful uplift ranking buys.",
)


def _ate_revenue_free_ate() -> float:
    t, y, _ = _arrays()
    return float(y[t == 1].mean() - y[t == 0].mean())


# --------------------------------------------------------------------------- q4
def _n_lost(kind: str = "right") -> int:
    test, truth, scores, risk = _state()
    score = -risk.to_numpy() if kind == "lowest" else risk.to_numpy()
    if kind == "uplift":
        score = scores["X-learner"].to_numpy()
    top = np.argsort(-score, kind="stable")[:BUDGET]
    return int((truth["segment"].to_numpy()[top] == "lost_cause").sum())


q4 = ValueProblem(
    "n_lost_in_risk_list", _n_lost, rtol=0, atol=0.5,
    mistakes=[(lambda: _n_lost("lowest"),
               "You took the 500 *lowest* churn risks: the CRM plan sends the voucher to the "
               "highest. See l11.q4.hint()."),
              (lambda: _n_lost("uplift"),
               "That list is ranked by the X-learner's uplift, not by churn `risk`.")],
    hint="Sort `risk` from highest to lowest (e.g. `risk.nlargest(500)`), take the customers, "
         "and count how many of them `truth['segment']` calls 'lost_cause'.",
    solution="""
        riskiest = risk.nlargest(BUDGET).index
        n_lost_in_risk_list = int((truth.loc[riskiest, "segment"] == "lost_cause").sum())
    """,
    success="Every one of them gets a voucher that cannot work: they have already left. The "
            "churn score is right that they will not buy - and that is exactly why the voucher "
            "is wasted on them.",
)


# --------------------------------------------------------------------------- q5
q5 = ThoughtProblem(
    "q5_answer",
    explanation="An accurate churn model predicts who will not buy *without* the voucher. The "
                "campaign needs who buys *because of* it: the difference between the purchase "
                "probability with and without the offer. The riskiest customers are mostly lost "
                "causes (already gone: the voucher cannot bring them back), the safest mostly "
                "sure things (they buy anyway: the voucher only gives away margin). The "
                "persuadables sit in between. On the same 500 vouchers the churn-risk list "
                "earned less true incremental margin than a random list, the uplift list more. "
                "(For large campaigns the risk ranking catches up: its bottom holds the loyal "
                "sure things and sleeping dogs, whom the voucher loses money on - churn risk is "
                "useful for whom *not* to contact, not for whom to contact first.) "
                "Use the randomised test to estimate uplift per customer (and keep a random "
                "control group in every campaign so the next model can be learnt and checked).",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
