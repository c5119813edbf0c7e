"""Lesson 01 (data cleaning) exercises."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mkt_lessons import data
from mkt_lessons.constants import AMOUNT_COL, QUANTITY_COL
from mkt_lessons.exercises import (
    FunctionProblem,
    ThoughtProblem,
    ValueProblem,
    collect,
    solutions_printer,
)


def namespace() -> dict:
    """The variables the lesson-01 notebook has when its exercises start."""
    from mkt_lessons import cleaning

    return {"raw": data.load_raw_orders(), "orders": data.load_orders(),
            "customers": data.load_customers(), "products": data.load_products(),
            "cleaning": cleaning, "pd": pd, "np": np}


# Reference answers are computed independently of mkt_lessons.cleaning where possible.
def _n_exact_duplicates():
    return int(data.load_raw_orders().duplicated().sum())


def _plain_money(text: str) -> float:
    t = text.strip().replace("$", "").replace(",", "")
    return float(t)


def _money_cases():
    return [("12.50",), ("$1,234.50",), (" $9.99 ",), ("$12,345,678.00",), ("-3.20",), ("7",)]


def _return_revenue():
    raw = data.load_raw_orders()
    ret = raw[raw[QUANTITY_COL].astype(int) < 0]
    return -float(ret[AMOUNT_COL].map(_plain_money).sum())


def _age_band_k(top_code: bool = True):
    c = data.load_customers()
    age = c["age"].where(c["age"] < 60, 60) if top_code else c["age"]
    band = (age // 10) * 10
    return int(pd.DataFrame({"r": c["region"].astype(str), "b": band}).value_counts().min())


def _raw_age_k():
    c = data.load_customers()
    return int(pd.DataFrame({"r": c["region"].astype(str), "a": c["age"]}).value_counts().min())


q1 = ValueProblem(
    "n_exact_duplicates", _n_exact_duplicates,
    mistakes=[(lambda: int(data.load_raw_orders().duplicated(keep=False).sum()),
               "That counts every copy, the originals too. How many rows would you *remove*?")],
    hint="`DataFrame.duplicated()` marks each row that repeats an earlier identical row.",
    solution="n_exact_duplicates = raw.duplicated().sum()",
    success="Exact duplicates are the easy case: identical text, safe to drop.",
)

q2 = FunctionProblem(
    "parse_price", _plain_money, _money_cases,
    hint="`float()` reads \"1234.50\" but not \"$1,234.50\". Which three kinds of characters "
         "must go first?",
    solution='''
        def parse_price(text):
            return float(text.strip().replace("$", "").replace(",", ""))
    ''',
    success="`cleaning.parse_money` does the same for a whole column and rejects malformed text.",
)

q3 = ValueProblem(
    "return_revenue", _return_revenue, rtol=1e-9, atol=0.005,
    mistakes=[(lambda: -_return_revenue(), "Your total is negative: report the returned revenue "
                                           "as a positive amount of money.")],
    hint="Which raw rows are returns (section 4 counted them)? In `raw` every column is text, "
         "so turn quantity and revenue into numbers first (section 2's parsers help). The "
         "answer is a positive amount.",
    solution='''
        returns = raw[raw["quantity"].astype(int) < 0]
        return_revenue = -cleaning.parse_money(returns["revenue"]).sum()
    ''',
    success="Dropping returns from the sales table is not ignoring them: they are worth a report of their own.",
)

q4 = ValueProblem(
    "k_region_age_band", _age_band_k,
    mistakes=[(lambda: _age_band_k(top_code=False),
               "Without top-coding, a few old customers sit alone in their band: put everyone "
               "aged 60 or more into the band 60."),
              (_raw_age_k, "That is k with the exact age: generalise age to 10-year bands first.")],
    hint="Integer division by 10 turns an age into its decade; cap the ages first so everyone "
         "aged 60 or more lands in one band. Section 7 measures k over a list of columns.",
    solution='''
        generalised = customers.assign(age_band=customers["age"].clip(upper=60) // 10 * 10)
        k_region_age_band = cleaning.k_anonymity(generalised, ["region", "age_band"])
    ''',
    success="Coarser bands raise k: the trade-off between privacy and detail in one number.",
)

q5 = ThoughtProblem(
    "q5_answer",
    explanation="A global IQR rule on `unit_price` flags every expensive product - furniture and "
                "bedding above all - because prices differ by category, not because they are wrong. "
                "Dropping those rows would delete real, valuable sales. A typo is a price that "
                "is wrong *for its product*: compare each price with that product's own median "
                "(a ratio of ~100 is a lost decimal point). Use generic outlier rules to find "
                "rows to *look at*; repair or drop only with a rule you can explain and test.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
