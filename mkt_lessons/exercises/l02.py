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
    hint="Which table of this lesson already counts each customer's distinct orders up to "
         "`CUTOFF`? The mean of a True/False column is a share.",
    solution="share_one_order = (features.rfm_table(orders, CUTOFF)['frequency'] == 1).mean()",
    success="Many one-time buyers: their inter-purchase time is undefined, so the pipeline imputes it.",
)

def _recency_keeps_future(orders: pd.DataFrame, snapshot) -> pd.Series:
    """The lesson's headline mistake: orders after the snapshot are not removed."""
    return (pd.Timestamp(snapshot) - orders.groupby("customer_id")["order_date"].max()).dt.days


def _recency_drops_snapshot_day(orders: pd.DataFrame, snapshot) -> pd.Series:
    snap = pd.Timestamp(snapshot)
    last = orders[orders["order_date"] < snap].groupby("customer_id")["order_date"].max()
    return (snap - last).dt.days


q2 = FunctionProblem(
    "recency", _recency, _recency_cases,
    mistakes=[(_recency_keeps_future,
               "Your function looks at orders placed *after* `snapshot`: a customer who bought "
               "later gets a later last date (even a negative recency), and customers with no "
               "order yet appear at all. On the snapshot day the future is not in the table."),
              (_recency_drops_snapshot_day,
               "You dropped the orders placed on the snapshot day itself. The lesson's "
               "convention: the snapshot day is history, so an order that day gives recency 0.")],
    hint="Ask three questions in order: which orders could you see on the snapshot day? "
         "Among those, what is each customer's last order date? How many whole days lie "
         "between that date and the snapshot?",
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
    hint="Section 4 built churn labels at the training cut-off: do the same at `TEST_CUTOFF`. "
         "A churn label is 1 or 0, so what does its mean measure?",
    solution="churn_rate_test = features.churn_labels(orders, TEST_CUTOFF).mean()",
)

q4 = ValueProblem(
    "leaky_features", _leaky,
    hint="Section 5's guard: a feature leaks if it moves when the orders after `CUTOFF` are "
         "deleted. Compute each candidate on all orders and on the past only, for the same "
         "customers, and see which ones differ. Answer with a set of names, like {'a', 'b'}.",
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
