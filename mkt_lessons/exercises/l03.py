"""Lesson 03 (regression, derived) exercises."""

from __future__ import annotations

import sys
from functools import cache

import numpy as np

from mkt_lessons import constants, data
from mkt_lessons.exercises import FunctionProblem, ValueProblem, collect, solutions_printer

# The lesson's channels and cut-offs: one source for the package, the notebook and these checks.
CHANNELS = list(constants.CHANNELS)
TRAIN_CUTOFF = constants.TRAIN_CUTOFF
TEST_CUTOFF = constants.TEST_CUTOFF


def repurchase_features(repurchase):
    """The notebook's logistic-model features (log scales tame the long right tails)."""
    import pandas as pd

    return pd.DataFrame({"log_recency": np.log1p(repurchase["recency_days"]),
                         "log_frequency": np.log(repurchase["frequency"]),
                         "log_monetary": np.log1p(repurchase["monetary"]),
                         "tenure_years": repurchase["tenure_days"] / 365.25})


@cache
def _state() -> dict:
    import pandas as pd

    from mkt_lessons import features as F
    from mkt_lessons import regression as rg

    customers, spend, orders = data.load_customers(), data.load_marketing_spend(), data.load_orders()
    weekly_all = F.weekly_acquisition(customers, spend, orders)
    weekly = weekly_all[weekly_all["days_in_window"] == 7].reset_index(drop=True)
    season = F.season_features(weekly["week_start"])
    X_season = pd.concat([weekly[CHANNELS], season], axis=1)
    y = weekly["new_customers"]
    repurchase = F.repurchase_table(orders, TRAIN_CUTOFF)
    features = repurchase_features(repurchase)
    repurchase_oct = F.repurchase_table(orders, TEST_CUTOFF)
    return {"customers": customers, "spend": spend, "orders": orders, "weekly": weekly,
            "channels": list(CHANNELS), "season": season, "X_season": X_season, "y": y,
            "fit_naive": rg.ols(weekly[CHANNELS], y), "fit_season": rg.ols(X_season, y),
            "repurchase": repurchase, "features": features, "repurchase_oct": repurchase_oct,
            "logit": rg.fit_logistic(features, repurchase["repurchased"]),
            "lpm": rg.ols(features, repurchase["repurchased"])}


def namespace() -> dict:
    """The variables the lesson 03 notebook has when its exercises start."""
    import pandas as pd

    from mkt_lessons import regression as rg

    state = _state()
    out = {k: (v.copy() if hasattr(v, "copy") and not isinstance(v, list) else v)
           for k, v in state.items()}
    out.update(np=np, pd=pd, rg=rg, data=data, channels=list(CHANNELS),
               l03=sys.modules[__name__])
    return out


# --------------------------------------------------------------------------- q1
def _normal_cases() -> list[tuple]:
    rng = np.random.default_rng(303)
    cases = []
    for n, p in ((6, 2), (20, 3), (50, 5)):
        X = np.column_stack([np.ones(n), rng.normal(size=(n, p - 1))])
        cases.append((X, X @ rng.normal(size=p) + rng.normal(0, 0.1, n)))
    return cases


def _lstsq(X, y):
    return np.linalg.lstsq(X, y, rcond=None)[0]


q1 = FunctionProblem(
    "normal_equations", _lstsq, _normal_cases, rtol=1e-8, atol=1e-10,
    hint="The normal equations are a linear system A b = c: what are A and c in terms of X "
         "and y? NumPy's `linalg` module can solve a system without inverting anything.",
    solution='''
        def normal_equations(X, y):
            return np.linalg.solve(X.T @ X, X.T @ y)
    ''',
    explanation="Setting the gradient −2Xᵀ(y − Xb) of the squared error to zero gives "
                "XᵀX b = Xᵀy. Solving the system is cheaper and more accurate than forming "
                "(XᵀX)⁻¹; the QR route is more accurate still when X is badly conditioned.",
)


# --------------------------------------------------------------------------- q2
def _coef(fit_key: str, channel: str) -> float:
    return float(_state()[fit_key].params[channel])


# The lesson shows CPAs to cents (40.14): an answer copied as displayed is right.
SHOWN_TO_CENTS = 0.005 + 1e-9

q2 = ValueProblem(
    "cpa_paid_search", lambda: 1.0 / _coef("fit_season", "paid_search"), rtol=0,
    atol=SHOWN_TO_CENTS,
    mistakes=[(lambda: _coef("fit_season", "paid_search"),
               "That is new customers per dollar (the coefficient). Cost per acquisition is "
               "dollars per new customer."),
              (lambda: 1.0 / _coef("fit_naive", "paid_search"),
               "That comes from the model without season controls (`fit_naive`): paid search "
               "spend rises with the season, so that model credits it with seasonal demand.")],
    hint="The coefficient of a channel's spend is new customers per extra dollar. Take it "
         "from `fit_season.params` and turn it into dollars per new customer.",
    solution='cpa_paid_search = 1 / fit_season.params["paid_search"]',
    success="One more dollar of paid search buys about 1/CPA customers, once the season is "
            "held fixed.",
)


# --------------------------------------------------------------------------- q3
def _social_interval() -> tuple[float, float]:
    ci = _state()["fit_season"].conf_int().loc["social"]
    return (float(1.0 / ci["high"]), float(1.0 / ci["low"]))


q3 = ValueProblem(
    "cpa_interval_social", _social_interval, rtol=0, atol=SHOWN_TO_CENTS,
    mistakes=[(lambda: _social_interval()[::-1],
               "Your interval is upside down: 1/x falls as x rises, so inverting swaps the "
               "ends. Put the smaller number first."),
              (lambda: tuple(float(v) for v in
                             _state()["fit_season"].conf_int().loc["social"]),
               "That is the interval of the coefficient (customers per dollar); invert it to "
               "get dollars per customer.")],
    hint="`fit_season.conf_int()` gives a 95% interval (low, high) for each coefficient. "
         "CPA = 1 / coefficient, and 1/x is decreasing: which end of the coefficient "
         "interval becomes the low end of the CPA interval?",
    solution='''
        ci = fit_season.conf_int().loc["social"]
        cpa_interval_social = (1 / ci["high"], 1 / ci["low"])
    ''',
    explanation="Because 1/x is monotone, the interval for the coefficient maps to an "
                "interval for the CPA with the ends swapped. It is not symmetric around the "
                "point estimate: a small coefficient near its lower end means a very large CPA.",
)


# --------------------------------------------------------------------------- q4
def _grad_reference(b, X, y):
    from mkt_lessons.regression import logistic_grad

    return logistic_grad(b, X, y)


def _grad_cases() -> list[tuple]:
    rng = np.random.default_rng(304)
    cases = []
    for n, p in ((5, 2), (40, 3), (200, 4)):
        X = np.column_stack([np.ones(n), rng.normal(size=(n, p - 1))])
        cases.append((rng.normal(size=p), X, (rng.random(n) < 0.4).astype(float)))
    return cases


def _grad_stray_factor(b, X, y):
    """The lesson's headline mistake: the sigmoid's derivative multiplied in again."""
    p = 1 / (1 + np.exp(-(X @ b)))
    return X.T @ ((p - y) * p * (1 - p)) / len(y)


def _grad_sum(b, X, y):
    p = 1 / (1 + np.exp(-(X @ b)))
    return X.T @ (p - y)


def _grad_sign_flipped(b, X, y):
    p = 1 / (1 + np.exp(-(X @ b)))
    return X.T @ (y - p) / len(y)


q4 = FunctionProblem(
    "cross_entropy_grad", _grad_reference, _grad_cases, rtol=1e-8, atol=1e-12,
    mistakes=[(_grad_stray_factor,
               "Your gradient has the stray p(1 − p) factor: that is the gradient of the "
               "squared error ½·mean((p − y)²), not of the cross-entropy. Go back to step 2 of "
               "the derivation: the factor cancels."),
              (_grad_sum,
               "Your gradient is n times too large: the loss is the *mean* cross-entropy, so "
               "its gradient is divided by the number of rows."),
              (_grad_sign_flipped,
               "Your gradient points the wrong way (its sign is flipped): it is the gradient of "
               "the log-likelihood, not of the loss we minimise.")],
    hint="Compute the predicted probabilities first. Then re-read step 2 of the derivation: "
         "which factor from the sigmoid's derivative cancels? And is the loss a sum or a mean "
         "over rows?",
    solution='''
        def cross_entropy_grad(b, X, y):
            p = 1 / (1 + np.exp(-(X @ b)))
            return X.T @ (p - y) / len(y)
    ''',
    explanation="d/dz of −[y log σ(z) + (1 − y) log(1 − σ(z))] is σ(z) − y: the σ'(z) = "
                "p(1 − p) from the chain rule cancels against 1/p and 1/(1 − p). Summing "
                "over rows with the chain rule through z = Xb gives Xᵀ(p − y)/n.",
)


# --------------------------------------------------------------------------- q5
def _outside(pred: np.ndarray) -> np.ndarray:
    return (pred < 0) | (pred > 1)


def _october_predictions() -> np.ndarray:
    state = _state()
    return state["lpm"].predict(repurchase_features(state["repurchase_oct"]))


q5 = ValueProblem(
    "share_outside_october", lambda: float(_outside(_october_predictions()).mean()), rtol=1e-9,
    mistakes=[(lambda: float(_outside(_state()["lpm"].fitted).mean()),
               "That is the share among the July customers the model was fitted on "
               "(`lpm.fitted`); score the October table instead."),
              (lambda: int(_outside(_october_predictions()).sum()),
               "That is a count of customers; give the share (a fraction between 0 and 1)."),
              (lambda: float((_october_predictions() < 0).mean()),
               "You counted only predictions below 0; predictions above 1 are impossible too.")],
    hint="Score the October table with the July model (the exercise text names the two "
         "helpers). Which predictions are impossible probabilities: look at both ends. The "
         "mean of a True/False array is a share.",
    solution='''
        pred = lpm.predict(l03.repurchase_features(repurchase_oct))
        share_outside_october = ((pred < 0) | (pred > 1)).mean()
    ''',
    success="A model that predicts impossible probabilities for new customers cannot be used "
            "to price a campaign; the logistic model cannot do that.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
