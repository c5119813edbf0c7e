"""Lesson 08 (churn and targeting) exercises: lift of the top decile, the break-even
probability, a one-feature baseline's AUC, how many customers the oracle would contact, and
why the highest AUC need not make the most money."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from mkt_lessons import data
from mkt_lessons.constants import CHURN_HORIZON_DAYS, TEST_CUTOFF, TRAIN_CUTOFF  # noqa: F401
from mkt_lessons.exercises import ThoughtProblem, ValueProblem, collect, solutions_printer

VALUE, COST, UPLIFT = 120.0, 10.0, 0.3  # the lesson's retention-offer assumptions


def _test_set():
    """Test-cut-off features, labels and the oracle churn probability (fresh copies)."""
    X_te, y_te, oracle = _test_set_cached()
    return X_te.copy(), y_te.copy(), oracle.copy()


@functools.lru_cache(maxsize=1)
def _test_set_cached():
    from mkt_lessons import features

    orders = data.load_orders()
    X_te = features.customer_features(orders, TEST_CUTOFF, products=data.load_products())
    y_te = features.churn_labels(orders, TEST_CUTOFF, CHURN_HORIZON_DAYS,
                                 data_end=orders["order_date"].max())
    truth = data.load_truth().customers.set_index("customer_id")
    oracle = (1 - truth.loc[y_te.index, "p_buy_90d_test"]).rename("oracle_churn")
    return X_te.astype("float64"), y_te, oracle


def namespace() -> dict:
    """The variables notebook 08 has when its exercises start (the models' scores aside)."""
    from sklearn.metrics import roc_auc_score

    from mkt_lessons import targeting

    X_te, y_te, oracle = _test_set()
    return {"np": np, "pd": pd, "X_te": X_te, "y_te": y_te, "oracle": oracle,
            "targeting": targeting, "roc_auc_score": roc_auc_score,
            "VALUE": VALUE, "COST": COST, "UPLIFT": UPLIFT}


# --------------------------------------------------------------------------- q1
def _top_positives(fraction: float) -> tuple[float, float]:
    """Expected churners among the top ``fraction`` by the oracle, and all churners.

    Many customers share an oracle probability (e.g. 1.0 for those already gone), so a cut
    can fall inside a group of ties: that group counts its average churn rate (the
    expected value of a random tie-break), computed here with a groupby, independently of
    ``targeting.lift``.
    """
    _, y, p = _test_set()
    k = int(np.ceil(fraction * len(p)))
    groups = (pd.DataFrame({"p": p.to_numpy(), "y": y.to_numpy()}).groupby("p")["y"]
              .agg(["size", "sum"]).sort_index(ascending=False))
    before = groups["size"].cumsum() - groups["size"]  # customers ranked above each group
    take = np.clip(k - before, 0, groups["size"])
    return float((take * groups["sum"] / groups["size"]).sum()), float(y.sum())


def _oracle_lift(fraction: float = 0.4) -> float:
    hits, total = _top_positives(fraction)
    _, y, _ = _test_set()
    k = int(np.ceil(fraction * len(y)))
    return (hits / k) / (total / len(y))


def _oracle_gain(fraction: float = 0.4) -> float:
    hits, total = _top_positives(fraction)
    return hits / total


q1 = ValueProblem(
    "oracle_lift_40", _oracle_lift, rtol=1e-3,
    mistakes=[(_oracle_gain,
               "That is the *gain* of the top 40% (the share of all churners it holds); "
               "lift divides their churn rate by the overall churn rate."),
              (lambda: _oracle_lift(0.1),
               "That is the lift of the top 10%; the team calls the top 40%.")],
    hint="`targeting.lift(y_te, oracle, 0.4)`: the churn rate of the top 40% by `oracle` "
         "divided by `y_te.mean()`. Careful by hand: many customers share the same oracle "
         "probability, and the cut must not depend on their row order.",
    solution="oracle_lift_40 = targeting.lift(y_te, oracle, 0.4)",
    success="No ranking can beat a lift of 1 / base rate (everyone targeted churns): with a "
            "churn rate near 45% the ceiling is about 2.2, and the oracle is close to it "
            "until the true churners run out.",
)


# --------------------------------------------------------------------------- q2
def _break_even(value=80.0, cost=12.0, uplift=0.25) -> float:
    return cost / (uplift * value)


q2 = ValueProblem(
    "p_break_even", _break_even, rtol=1e-9,
    mistakes=[(lambda: 12.0 / 80.0,
               "You left out the uplift: the offer saves only a quarter of the churners "
               "it reaches."),
              (lambda: 0.25 * 80.0 / 12.0, "That is upside down: divide the cost by the "
                                             "expected saving per churner.")],
    hint="Contacting a customer with churn probability p earns p x uplift x value and costs "
         "`cost`. Set the two equal and solve for p.",
    solution="p_break_even = 12 / (0.25 * 80)",
    success="Contact a customer only when their (calibrated!) churn probability is above "
            "this; a cheaper offer or a better one (higher uplift) lowers the bar.",
)


# --------------------------------------------------------------------------- q3
def _recency_auc(sign: float = 1.0) -> float:
    from sklearn.metrics import roc_auc_score

    X_te, y_te, _ = _test_set()
    return float(roc_auc_score(y_te, sign * X_te["recency_days"]))


q3 = ValueProblem(
    "recency_auc", _recency_auc, rtol=1e-6,
    mistakes=[(lambda: _recency_auc(-1.0),
               "That is 1 - AUC: you ranked the *most recent* buyers as most likely to churn. "
               "A long time since the last order should mean a high churn score.")],
    hint="Use `recency_days` itself as the score: `roc_auc_score(y_te, X_te['recency_days'])`.",
    solution='recency_auc = roc_auc_score(y_te, X_te["recency_days"])',
    success="One column gets most of the way: a model must beat this baseline to earn its "
            "complexity.",
)


# --------------------------------------------------------------------------- q4
def _oracle_k(use_p_buy: bool = False) -> int:
    _, _, churn = _test_set()
    p = (1 - churn).to_numpy() if use_p_buy else churn.to_numpy()
    # independent of targeting.best_threshold: the break-even rule, counted directly
    return int(np.sum(p * UPLIFT * VALUE > COST))


q4 = ValueProblem(
    "n_contact_oracle", _oracle_k, rtol=0, atol=0.5,
    mistakes=[(lambda: _oracle_k(use_p_buy=True),
               "You used the probability of *buying*: the churn probability is 1 - p_buy "
               "(`oracle` already is the churn probability).")],
    hint="`targeting.best_threshold(oracle, value=VALUE, cost=COST, uplift=UPLIFT)` returns "
         "the profit-maximising cut; its `.k` is the number of customers to contact.",
    solution="n_contact_oracle = targeting.best_threshold(oracle, value=VALUE, cost=COST, "
             "uplift=UPLIFT).k",
    success="With true probabilities the campaign contacts exactly the customers above the "
            "break-even probability; compare it with the number your model picks.",
)


# --------------------------------------------------------------------------- q5
q5 = ThoughtProblem(
    "q5_answer",
    explanation="AUC scores the whole ranking, from the safest to the riskiest customer, and "
                "ignores the money. The campaign only uses one cut: a model that ranks the "
                "top few hundred customers better can earn more even with a lower AUC. "
                "Expected profit also needs *calibrated* probabilities: a model with a higher "
                "AUC but probabilities that are too high (e.g. trained in a season with more "
                "churn) picks too many customers and promises profit it will not deliver. "
                "Value differs too: a high-AUC model that is good at spotting low-value "
                "churners saves little margin. Compare models on the decision you will make: "
                "profit (or precision) at the budget, on a later cut-off, with calibrated "
                "probabilities.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
