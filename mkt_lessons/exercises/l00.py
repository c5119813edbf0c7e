"""Lesson 00 (tour) warm-up exercises."""

from __future__ import annotations

from mkt_lessons import data
from mkt_lessons.constants import AMOUNT_COL, CATEGORY_COL, CHANNEL_COL, ORDER_COL, PRODUCT_COL
from mkt_lessons.exercises import ThoughtProblem, ValueProblem, collect, solutions_printer


def namespace() -> dict:
    """The variables the tour notebook has when its exercises start."""
    return {"customers": data.load_customers(), "products": data.load_products(),
            "orders": data.load_orders(), "pd": __import__("pandas")}


def _n_orders():
    return data.load_orders()[ORDER_COL].nunique()


def _top_category():
    o = data.load_orders().merge(data.load_products()[[PRODUCT_COL, CATEGORY_COL]], on=PRODUCT_COL)
    return o.groupby(CATEGORY_COL, observed=True)[AMOUNT_COL].sum().idxmax()


def _paid_search_share():
    return float((data.load_customers()[CHANNEL_COL] == "paid_search").mean())


q1 = ValueProblem(
    "n_orders", _n_orders,
    mistakes=[(lambda: len(data.load_orders()),
               "That is the number of order *lines* (rows). One order can have several lines: "
               "count distinct `order_id` values instead.")],
    hint="Each row of `orders` is one line of an order. Which column identifies an order? "
         "`Series.nunique()` counts distinct values.",
    solution='n_orders = orders["order_id"].nunique()',
    success="Orders, not rows: the grain of a table decides what a count means.",
)

q2 = ValueProblem(
    "top_category", _top_category,
    hint="Revenue lives in `orders`, the category in `products`: join them on the key they "
         "share (section 2), total the revenue per category, and take the label of the largest.",
    solution='''
        lines = orders.merge(products[["product_id", "category"]], on="product_id")
        top_category = lines.groupby("category", observed=True)["revenue"].sum().idxmax()
    ''',
    mistakes=[(lambda: data.load_orders().merge(data.load_products()[[PRODUCT_COL, CATEGORY_COL]],
                                                on=PRODUCT_COL)[CATEGORY_COL].value_counts().idxmax(),
               "That is the category with the most order lines, not the most revenue: sum `revenue`.")],
)

q3 = ValueProblem(
    "paid_search_share", _paid_search_share, rtol=1e-3,
    hint="Compare the `acquisition_channel` column with \"paid_search\" to get True/False per "
         "customer; the mean of True/False values is a share.",
    solution='paid_search_share = (customers["acquisition_channel"] == "paid_search").mean()',
    mistakes=[(lambda: 100 * _paid_search_share(),
               "That looks like a percentage: give the share as a fraction between 0 and 1.")],
)

q4 = ThoughtProblem(
    "q4_answer",
    explanation="`datasets/truth/` holds the generator's answers: personas, true costs per "
                "acquisition, purchase probabilities. Look only *after* you have built and "
                "evaluated your own model, to grade it: a model tuned while looking at the "
                "answers is graded on its own homework. In real work there is no truth/ folder, "
                "so practise working without it.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
