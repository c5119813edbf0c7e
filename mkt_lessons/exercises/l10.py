"""Lesson 10 (customer lifetime value) exercises: P(alive) of the BG/NBD model by hand,
discounting a stream of margins, the naive baseline's error on the real 2025, and how CLV
feeds a retention decision."""

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

MONTHLY_MARGIN, MONTHLY_RATE, MONTHS = 10.0, 0.01, 12  # exercise 2's stream


# --------------------------------------------------------------------------- notebook state
@functools.lru_cache(maxsize=1)
def _orders_2024_2025() -> tuple[pd.Series, pd.Series]:
    """Orders per customer in 2024 (the naive forecast) and in 2025 (realised), all customers."""
    orders = data.load_orders()
    customers = pd.Index(sorted(orders["customer_id"].unique()), name="customer_id")
    last_year = (orders[orders["order_date"] >= "2024-01-01"].groupby("customer_id")["order_id"]
                 .nunique().reindex(customers, fill_value=0))
    future = data.load_truth().orders_2025
    realised = future.groupby("customer_id")["order_id"].nunique().reindex(customers, fill_value=0)
    return last_year, realised


def namespace() -> dict:
    """The variables notebook 10 has when its exercises start."""
    last_year, realised = _orders_2024_2025()
    return {"np": np, "pd": pd, "orders_2024": last_year.copy(), "orders_2025": realised.copy()}


# --------------------------------------------------------------------------- q1
def _p_alive(x, tx, T, r, alpha, a, b):
    if x == 0:
        return 1.0
    return 1.0 / (1.0 + a / (b + x - 1.0) * ((alpha + T) / (alpha + tx)) ** (r + x))


def _p_alive_no_zero_case(x, tx, T, r, alpha, a, b):
    return 1.0 / (1.0 + a / (b + x - 1.0) * ((alpha + T) / (alpha + tx)) ** (r + x))


def _p_alive_swapped(x, tx, T, r, alpha, a, b):
    if x == 0:
        return 1.0
    return 1.0 / (1.0 + a / (b + x - 1.0) * ((alpha + tx) / (alpha + T)) ** (r + x))


def _p_alive_cases() -> list[tuple]:
    params = (0.24, 4.41, 0.79, 2.43)  # FHL (2005)'s CDNOW estimates, weeks
    return [(2, 30.43, 38.86, *params), (0, 0.0, 38.86, *params), (7, 35.0, 38.0, *params),
            (1, 2.0, 50.0, 0.5, 16.0, 0.6, 48.0), (0, 0.0, 700.0, 0.5, 16.0, 0.6, 48.0)]


q1 = FunctionProblem(
    "p_alive", _p_alive, _p_alive_cases, rtol=1e-9, atol=1e-12,
    mistakes=[(_p_alive_no_zero_case,
               "A customer with no repeat purchase (x = 0) cannot have dropped out in the "
               "BG/NBD model (drop-out happens only right after a repeat purchase): P(alive) "
               "is 1 there. Handle x == 0 first."),
              (_p_alive_swapped,
               "Your ratio is upside down: the longer the silence since the last purchase "
               "(T much larger than t_x), the *lower* P(alive) must be.")],
    hint="Section 3 gives P(alive) as 1 / (1 + ratio). The ratio grows with the silence since "
         "the last purchase. One kind of customer cannot have dropped out at all: which?",
    solution="""
        def p_alive(x, tx, T, r, alpha, a, b):
            if x == 0:
                return 1.0
            return 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x))
    """,
    explanation="FHL (2005) eq. (13). Drop-out happens only after a repeat purchase, so x = 0 "
                "gives 1; otherwise the odds of having dropped out are a/(b+x-1) times "
                "((alpha+T)/(alpha+t_x))^(r+x), which grows with the silence T - t_x.",
)


# --------------------------------------------------------------------------- q2
def _discounted(first_period: int = 1, rate: float = MONTHLY_RATE) -> float:
    k = np.arange(first_period, first_period + MONTHS)
    return float(np.sum(MONTHLY_MARGIN / (1.0 + rate) ** k))


q2 = ValueProblem(
    "present_value", _discounted, rtol=1e-6, atol=1e-6,
    mistakes=[(lambda: _discounted(first_period=0),
               "You discounted from month 0: the first month's margin arrives at the *end* of "
               "month 1, as in `customer_lifetime_value`, so it is divided by 1.01 once."),
              (lambda: MONTHLY_MARGIN * MONTHS,
               "That is the undiscounted sum: a dollar next year is worth less than a dollar "
               "today. Divide month k's margin by 1.01 to the power k."),
              (lambda: _discounted(rate=0.12),
               "You used 12% a month: 1% is the monthly rate (about 12.7% a year).")],
    hint="Twelve monthly margins of 10 dollars; month k's margin is worth 10 / 1.01**k today. "
         "Which k does the first month get?",
    solution="""
        present_value = sum(10 / 1.01 ** k for k in range(1, 13))
    """,
    success="About 5.5% less than the undiscounted 120 dollars: over one year discounting is a "
            "small correction; over a lifetime of many years it dominates.",
)


# --------------------------------------------------------------------------- q3
def _naive_mae(drop_zero: str | None = None) -> float:
    last_year, realised = _orders_2024_2025()
    if drop_zero == "realised":
        keep = realised > 0
        return float(np.mean(np.abs(last_year[keep] - realised[keep])))
    if drop_zero == "last":
        keep = last_year > 0
        return float(np.mean(np.abs(last_year[keep] - realised[keep])))
    return float(np.mean(np.abs(last_year - realised)))


q3 = ValueProblem(
    "naive_mae", _naive_mae, rtol=1e-6, atol=1e-9,
    mistakes=[(lambda: _naive_mae("realised"),
               "You kept only customers who ordered in 2025: the forecaster does not know who "
               "they are in advance. Score every customer, zeros included."),
              (lambda: _naive_mae("last"),
               "You kept only customers who ordered in 2024: the customers silent in 2024 are "
               "predicted 0 and some of them come back. Score every customer."),
              (lambda: float(np.abs(_orders_2024_2025()[0] - _orders_2024_2025()[1]).sum()),
               "That is the total absolute error; the question asks for the mean per customer."),
              (lambda: float(abs(_orders_2024_2025()[0].sum() - _orders_2024_2025()[1].sum())
                             / len(_orders_2024_2025()[0])),
               "You compared the totals first and then divided: errors of opposite sign cancel. "
               "Take each customer's absolute error, then the mean.")],
    hint="`orders_2024` and `orders_2025` are Series on the same customers (zeros included). "
         "The error of one customer is the absolute difference; average it over all of them.",
    solution="""
        naive_mae = (orders_2024 - orders_2025).abs().mean()
    """,
    success="Compare it with the BG/NBD row of the table in section 6: a baseline this simple "
            "is the bar every CLV model must clear.",
)


# --------------------------------------------------------------------------- q4
q4 = ThoughtProblem(
    "q4_answer",
    explanation="In BG/NBD a customer can drop out only right after a repeat purchase, so a "
                "one-time buyer is alive for sure however long ago they bought; in our shop "
                "customers leave as time passes, and only a small share of the one-time buyers "
                "were still alive at the end of 2024. The model overpredicts most there (the "
                "Pareto/NBD model, with drop-out in continuous time, is the classic fix). "
                "It also assumes each customer's rate is stationary. CLV feeds decisions as value at stake: a retention offer is worth at "
                "most the margin it saves, i.e. the uplift in P(buy) (lesson 11) times the "
                "customer's expected margin, minus the offer's cost; the capstone ranks "
                "customers by that. Use the interval, not only the point, when the decision is "
                "close, and recalibrate the model on the latest period before it is used.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
