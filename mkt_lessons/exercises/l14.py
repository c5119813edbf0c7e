"""Lesson 14 (capstone) exercises, in the order of the lesson's sections: the e-mail profit
formula, re-plan with a smaller budget, re-plan with a weaker offer, and two open questions
(whom to target, measurement)."""

from __future__ import annotations

import functools

from mkt_lessons.exercises import (
    FunctionProblem,
    ThoughtProblem,
    ValueProblem,
    collect,
    solutions_printer,
)

BUDGET = 3_000


@functools.lru_cache(maxsize=1)
def _plan_inputs() -> dict:
    """The notebook's variables up to the exercises (computed once, ~3 s)."""
    import pandas as pd

    from mkt_lessons import data
    from mkt_lessons.campaign import Assumptions, action_profits, churn_risk, value_at_stake
    from mkt_lessons.features import rfm_table
    from mkt_lessons.recommend import ItemKNNRecommender, interaction_matrix
    from mkt_lessons.segmentation import rfm_scores, rfm_segments

    orders, products = data.load_orders(), data.load_products()
    as_of = orders["order_date"].max()
    a = Assumptions()
    rfm = rfm_table(orders, as_of)
    p_churn = churn_risk(orders, as_of, as_of - pd.DateOffset(years=1), products=products)
    X, users, items = interaction_matrix(orders, items=products["product_id"])
    recs = (ItemKNNRecommender(k_neighbors=20).fit(X, users, items).recommend(rfm.index, k=3)
            .merge(products[["product_id", "price"]], on="product_id"))
    featured = recs.groupby("customer_id").agg(products=("product_id", ", ".join),
                                               offer_value=("price", "mean"))
    value = value_at_stake(orders, as_of, margin=a.margin)
    profits = action_profits(p_churn, value, featured["offer_value"], rfm["recency_days"], a)
    return {"orders": orders, "products": products, "AS_OF": as_of, "BUDGET": BUDGET,
            "ASSUMPTIONS": a, "rfm": rfm, "segment": rfm_segments(rfm_scores(rfm)),
            "p_churn": p_churn, "featured": featured, "value": value, "profits": profits}


def namespace() -> dict:
    """The variables notebook 14 has when its exercises start."""
    import numpy as np
    import pandas as pd

    from mkt_lessons.campaign import Assumptions, action_profits, churn_risk, value_at_stake
    from mkt_lessons.targeting import campaign_list

    ns = dict(_plan_inputs())
    ns.update(pd=pd, np=np, Assumptions=Assumptions, action_profits=action_profits,
              churn_risk=churn_risk, value_at_stake=value_at_stake, campaign_list=campaign_list,
              costs=ns["ASSUMPTIONS"].costs())
    return ns


def _total(budget: float | None, profits=None) -> float:
    from mkt_lessons.targeting import campaign_list

    v = _plan_inputs()
    profits = v["profits"] if profits is None else profits
    return float(campaign_list(profits, v["ASSUMPTIONS"].costs(), budget)["expected_profit"].sum())


# --------------------------------------------------------------------------- q1
def _email_profit(p, offer_value, margin=0.40, uplift=0.02, cost=0.05):
    return (1 - p) * uplift * margin * offer_value - cost


q1 = FunctionProblem(
    "email_profit", _email_profit,
    cases=lambda: [(0.0, 100.0), (0.3, 50.0), (0.9, 200.0), (1.0, 80.0), (0.5, 0.0)],
    mistakes=[
        (lambda p, v: p * 0.02 * 0.40 * v - 0.05,
         "A churner does not buy: multiply by the probability of staying active, 1 - p."),
        (lambda p, v: (1 - p) * 0.02 * v - 0.05,
         "Profit is margin, not revenue: multiply by ASSUMPTIONS.margin."),
        (lambda p, v: (1 - p) * 0.02 * 0.40 * v,
         "The e-mail costs ASSUMPTIONS.email_cost whether or not the customer buys: subtract it."),
    ],
    hint="Which customers can an e-mail earn from, how many more of them buy because of it, "
         "and how much of the price is profit? Then subtract what every e-mail costs. The "
         "numbers are in ASSUMPTIONS.",
    solution='''
        def email_profit(p, offer_value):
            a = ASSUMPTIONS
            return (1 - p) * a.email_uplift * a.margin * offer_value - a.email_cost
    ''',
    success="That is the formula behind profits['cross_sell_email']: with a 2% response, an "
            "e-mail pays only when 0.008 x (1 - p) x price exceeds 5 cents.",
)


# --------------------------------------------------------------------------- q2
# The lesson shows plan totals to whole dollars: an answer copied as displayed is right.
SHOWN_TO_DOLLARS = 0.5 + 1e-9

q2 = ValueProblem(
    "profit_1500", lambda: _total(1500), rtol=0, atol=SHOWN_TO_DOLLARS,
    mistakes=[
        (lambda: _total(BUDGET), "That is the profit of the $3,000 plan: pass the new budget."),
        (lambda: _total(None), "That is the plan without any budget: pass budget=1500."),
        (lambda: _total(BUDGET) / 2,
         "Halving the budget does not halve the profit: the first dollars earn the most. "
         "Re-plan with campaign_list."),
    ],
    hint="The planner of section 6 takes the budget as an argument. Plan again with the "
         "smaller one, then add up what the new plan expects to earn.",
    solution='profit_1500 = campaign_list(profits, ASSUMPTIONS.costs(), 1500)["expected_profit"].sum()',
    success="Compare it with the $3,000 plan: half the budget keeps far more than half the "
            "profit, because the first dollars fund the best offers (the budget curve in "
            "section 8 flattens).",
)


# --------------------------------------------------------------------------- q3
def _n_offers(uplift: float, budget: float | None = BUDGET) -> int:
    from mkt_lessons.campaign import action_profits
    from mkt_lessons.targeting import campaign_list

    v = _plan_inputs()
    a = v["ASSUMPTIONS"].replace(retention_uplift=uplift)
    p = action_profits(v["p_churn"], v["value"], v["featured"]["offer_value"],
                       v["rfm"]["recency_days"], a)
    plan = campaign_list(p, a.costs(), budget)
    return int((plan["action"] == "retention_offer").sum())


q3 = ValueProblem(
    "n_offers_at_5pct", lambda: _n_offers(0.05), rtol=0, atol=0,
    mistakes=[
        (lambda: _n_offers(0.10), "That is the number of offers at 10% uplift: change "
                                  "retention_uplift to 0.05 and re-plan."),
        (lambda: _n_offers(0.5), "0.5 is 50%: 5% is 0.05."),
    ],
    hint="Change one assumption and follow it downstream: which table of section 5 depends on "
         "the uplift? Recompute it, plan again with the same budget, and count the customers "
         "whose action is the offer. (`ASSUMPTIONS` is frozen; its `replace` method makes a "
         "changed copy.)",
    solution='''
        a = ASSUMPTIONS.replace(retention_uplift=0.05)
        p = action_profits(p_churn, value, featured["offer_value"], rfm["recency_days"], a)
        plan_5 = campaign_list(p, a.costs(), BUDGET)
        n_offers_at_5pct = int((plan_5["action"] == "retention_offer").sum())
    ''',
    success="Only a few offers leave the plan: the budget had already limited it to the best "
            "offers, and most of them still pay at 5%. But each offer's gross value halves "
            "while its cost does not, so the expected profit falls by more than half. The "
            "list is robust to the uplift; the promise is not. That is why the uplift "
            "deserves a test before the campaign.",
)


# --------------------------------------------------------------------------- q4
q4 = ThoughtProblem(
    "whom_to_target",
    hint="Which customers change their behaviour because of the voucher?",
    solution="",
    explanation=(
        "The highest churn risk is not the highest uplift. Many top-ranked customers are "
        "already lost (lapsed for a year; a voucher rarely brings them back), and a voucher "
        "sent to someone who would have bought anyway is pure cost. Profit comes from the "
        "*persuadable*: customers whose probability of buying rises because of the offer, "
        "times what they are worth. So rank by expected incremental profit (risk x uplift x "
        "value - cost, as in this plan), not by risk alone, and learn who is persuadable from "
        "a randomised campaign with a hold-out (uplift modelling: two models, or a model of "
        "the treatment-control difference). Value matters too: saving a big spender is worth "
        "more than saving a one-time buyer of a $10 item."),
)


# --------------------------------------------------------------------------- q5
q5 = ThoughtProblem(
    "measurement",
    hint="What would have happened to the same customers without the campaign?",
    solution="",
    explanation=(
        "Expected profit is a forecast; what was earned is the difference between what the "
        "contacted customers did and what they *would have done without the campaign* — "
        "which nobody observes. Comparing buyers with non-contacted customers, or with last "
        "year, mixes the campaign with who was chosen and with the season. In January you "
        "should have kept a random hold-out: e.g. 10-20% of the customers chosen for each "
        "action, drawn by a seeded random number, get nothing. In April compare purchase "
        "rates and margin between contacted and held-out customers within each action (and "
        "segment): that difference, with a confidence interval (lesson 07), is the real "
        "uplift, and it replaces the guessed 10% and 2% in next quarter's plan. Decide the "
        "metric (90-day margin per customer, net of voucher cost) and the sample size "
        "before sending."),
)


PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
