"""Lesson 02 (feature engineering) exercises."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mkt_lessons import constants, data
from mkt_lessons.exercises import (
    FunctionProblem,
    ThoughtProblem,
    ValueProblem,
    collect,
    solutions_printer,
)

# The lesson's cut-offs: one source for the package, the notebook and these checks.
CUTOFF = constants.TRAIN_CUTOFF
TEST_CUTOFF = constants.TEST_CUTOFF
HORIZON_DAYS = constants.CHURN_HORIZON_DAYS


def candidate_features() -> dict:
    """Four candidate features, each a function orders -> Series per customer (lesson 02, q4)."""
    cut = CUTOFF
    return {
        "orders_before_cutoff": lambda o: o[o["order_date"] <= cut].groupby("customer_id")["order_id"].nunique(),
        "total_orders": lambda o: o.groupby("customer_id")["order_id"].nunique(),
        "first_order_date": lambda o: o.groupby("customer_id")["order_date"].min(),
        "days_to_last_order": lambda o: (o.groupby("customer_id")["order_date"].max() - cut).dt.days,
    }


def namespace() -> dict:
    """The variables the lesson-02 notebook has when its exercises start."""
    from mkt_lessons import features

    orders = data.load_orders()
    return {"orders": orders, "products": data.load_products(), "customers": data.load_customers(),
            "features": features, "CUTOFF": CUTOFF, "TEST_CUTOFF": TEST_CUTOFF,
            "candidates": candidate_features(), "pd": pd, "np": np}


# Reference answers use plain pandas, independent of mkt_lessons.features.
def _share_one_order():
    o = data.load_orders()
    n = o[o["order_date"] <= CUTOFF].groupby("customer_id")["order_id"].nunique()
    return float((n == 1).mean())


def _recency(orders: pd.DataFrame, snapshot) -> pd.Series:
    snap = pd.Timestamp(snapshot)
    last = orders[orders["order_date"] <= snap].groupby("customer_id")["order_date"].max()
    return (snap - last).dt.days.rename("recency_days")


def _recency_cases():
    o = data.load_orders()
    small = pd.DataFrame({"customer_id": ["A", "A", "B", "C"], "order_id": ["1", "2", "3", "4"],
                          "order_date": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-05",
                                                        "2024-02-01"]),
                          "revenue": [1.0, 2.0, 3.0, 4.0]})
    return [(small, "2024-01-10"), (small, "2024-01-08"), (o.head(3000), "2023-03-01")]


def _churn_rate(cut=TEST_CUTOFF, horizon=HORIZON_DAYS, window_from_cut=False):
    o = data.load_orders()
    d = o["order_date"]
    hist = set(o.loc[d <= cut, "customer_id"]) if not window_from_cut else set(o.loc[d < cut, "customer_id"])
    lo = (d >= cut) if window_from_cut else (d > cut)
    buyers = set(o.loc[lo & (d <= cut + pd.Timedelta(days=horizon)), "customer_id"])
    return float(np.mean([c not in buyers for c in hist]))


def _leaky():
    o = data.load_orders()
    past = o[o["order_date"] <= CUTOFF]
    out = set()
    for name, fn in candidate_features().items():
        full, hist = fn(o), fn(past)
        if not full.reindex(hist.index).equals(hist):
            out.add(name)
    return out


q1 = ValueProblem(
    "share_one_order", _share_one_order, rtol=1e-9,
    mistakes=[(lambda: float((data.load_orders().groupby("customer_id")["order_id"].nunique() == 1).mean()),
               "You counted orders over the whole table: count only orders up to `CUTOFF`.")],
    hint="`features.rfm_table(orders, CUTOFF)` has a `frequency` column; the mean of "
         "`frequency == 1` is a share.",
    solution="share_one_order = (features.rfm_table(orders, CUTOFF)['frequency'] == 1).mean()",
    success="Many one-time buyers: their inter-purchase time is undefined, so the pipeline imputes it.",
)

q2 = FunctionProblem(
    "recency", _recency, _recency_cases,
    hint="Keep the rows with `order_date <= snapshot`, take the last date per customer with "
         "`groupby(...).max()`, subtract it from `pd.Timestamp(snapshot)` and use `.dt.days`.",
    solution='''
        def recency(orders, snapshot):
            snap = pd.Timestamp(snapshot)
            last = orders[orders["order_date"] <= snap].groupby("customer_id")["order_date"].max()
            return (snap - last).dt.days
    ''',
    success="Same as `rfm_table(...)['recency_days']`: the snapshot day itself counts as history.",
)

q3 = ValueProblem(
    "churn_rate_test", _churn_rate, rtol=1e-9,
    mistakes=[(lambda: _churn_rate(window_from_cut=True),
               "Your window starts *on* the cut-off day. The cut-off day is history; the window "
               "is the 90 days after it.")],
    hint="`features.churn_labels(orders, TEST_CUTOFF)` gives 1 for churned customers; its mean "
         "is the churn rate.",
    solution="churn_rate_test = features.churn_labels(orders, TEST_CUTOFF).mean()",
)

q4 = ValueProblem(
    "leaky_features", _leaky,
    hint="A feature leaks if it changes when you delete the orders after `CUTOFF`. For each "
         "`name, fn in candidates.items()`, compare `fn(orders)` with `fn(past)` where "
         "`past = orders[orders['order_date'] <= CUTOFF]` (use `.reindex(...)` and `.equals`).",
    solution='''
        past = orders[orders["order_date"] <= CUTOFF]
        leaky_features = set()
        for name, fn in candidates.items():
            full, hist = fn(orders), fn(past)
            if not full.reindex(hist.index).equals(hist):
                leaky_features.add(name)
    ''',
    success="This 'change the future, nothing may move' check is exactly the no-leakage test of the package.",
)

q5 = ThoughtProblem(
    "q5_answer",
    explanation="Fitting the scaler (or the imputer's median) on all customers lets the test "
                "rows shape the training features: a mild leak that flatters the score. Keep "
                "every learned step inside the Pipeline, so that `fit` sees only training rows "
                "- cross-validation then refits it in each fold.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
