"""Lesson 14 (capstone) exercises, in the order of the lesson's sections: the voucher's
expected cost per customer, re-plan with a smaller budget, and two open questions (whom to
target, how to measure the campaign)."""

from __future__ import annotations

import functools

from mkt_lessons.exercises import (
    FunctionProblem,
    ThoughtProblem,
    ValueProblem,
    collect,
    solutions_printer,
)

N_VOUCHERS = 500
MARGIN, CONTACT_COST, VOUCHER_SHARE = 0.50, 1.00, 0.15
HORIZON = 60


@functools.lru_cache(maxsize=1)
def _plan_inputs() -> dict:
    """The notebook's variables up to the exercises (sections 1-5; computed once, a few seconds)."""
    import pandas as pd

    from mkt_lessons import data
    from mkt_lessons.campaign import (
        customer_value,
        orders_in_window,
        uplift_scores,
        voucher_profits,
    )
    from mkt_lessons.features import customer_features

    orders = data.load_orders()
    test = data.load_retention_test().set_index("customer_id")
    send_day = pd.Timestamp("2024-04-02")
    as_of = send_day - pd.Timedelta(days=1)
    history = orders[orders["order_date"] <= as_of]
    eligible = test.index
    value = customer_value(history, as_of, margin=MARGIN, horizon_days=HORIZON).loc[eligible]
    feats = customer_features(history, as_of).loc[eligible]
    feats = feats.fillna({"mean_interpurchase_days": feats["tenure_days"]})
    X = pd.concat([feats, value[["p_alive", "expected_orders"]],
                   test[["frequency_365d", "monetary_365d"]]], axis=1).astype(float)
    n_orders = orders_in_window(orders, eligible, send_day, HORIZON)
    t = test["treatment"]
    response = uplift_scores(X, t, n_orders)
    p_buy_voucher = uplift_scores(X, t, (n_orders > 0).astype(int))["treated"].clip(0, 1)
    profits = voucher_profits(response["uplift"], value["order_value"], p_buy_voucher,
                              margin=MARGIN, contact_cost=CONTACT_COST,
                              voucher_share=VOUCHER_SHARE)
    options = profits[["expected_profit"]].rename(columns={"expected_profit": "voucher"})
    return {"orders": orders, "test": test, "SEND_DAY": send_day, "AS_OF": as_of,
            "HORIZON": HORIZON, "N_VOUCHERS": N_VOUCHERS, "MARGIN": MARGIN,
            "CONTACT_COST": CONTACT_COST, "VOUCHER_SHARE": VOUCHER_SHARE,
            "history": history, "eligible": eligible, "value": value, "X": X,
            "response": response, "p_buy_voucher": p_buy_voucher, "profits": profits,
            "options": options}


def namespace() -> dict:
    """The variables notebook 14 has when its exercises start."""
    import numpy as np
    import pandas as pd

    from mkt_lessons.campaign import voucher_profits
    from mkt_lessons.targeting import campaign_list

    ns = dict(_plan_inputs())
    ns.update(pd=pd, np=np, campaign_list=campaign_list, voucher_profits=voucher_profits)
    return ns


def _total(n: int | None) -> float:
    from mkt_lessons.targeting import campaign_list

    plan = campaign_list(_plan_inputs()["options"], {"voucher": 1.0}, n)
    return float(plan["expected_profit"].sum())


# --------------------------------------------------------------------------- q1
def _voucher_cost(order_value, p_buy, contact_cost=CONTACT_COST, share=VOUCHER_SHARE):
    return contact_cost + share * order_value * p_buy


q1 = FunctionProblem(
    "voucher_cost", _voucher_cost,
    cases=lambda: [(100.0, 0.5), (40.0, 0.9), (250.0, 0.0), (0.0, 0.7), (1000.0, 1.0)],
    mistakes=[
        (lambda v, p: 0.15 * v * p,
         "Every e-mail costs CONTACT_COST, whether or not the voucher is used: add it."),
        (lambda v, p: 1.0 + 0.15 * v,
         "Not every customer redeems the voucher: multiply the discount by the probability "
         "of buying with it."),
        (lambda v, p: 1.0 + 0.15 * 0.5 * v * p,
         "The discount is taken off the order's price, not off its margin: leave MARGIN out "
         "of the cost."),
    ],
    hint="Two costs: one paid for every e-mail, one paid only when an order uses the voucher. "
         "How likely is an order with the voucher, and how much does the discount take off it? "
         "The numbers are CONTACT_COST and VOUCHER_SHARE.",
    solution='''
        def voucher_cost(order_value, p_buy):
            return CONTACT_COST + VOUCHER_SHARE * order_value * p_buy
    ''',
    success="That is the cost column of voucher_profits. The probability is of buying *with* "
            "the voucher, not the uplift: sure things, who would have bought anyway, redeem "
            "it too, and for them the discount is pure cost.",
)


# --------------------------------------------------------------------------- q2
# The lesson shows plan totals to whole dollars: an answer copied as displayed is right.
SHOWN_TO_DOLLARS = 0.5 + 1e-9

q2 = ValueProblem(
    "profit_250", lambda: _total(250), rtol=0, atol=SHOWN_TO_DOLLARS,
    mistakes=[
        (lambda: _total(N_VOUCHERS), "That is the profit of the 500-voucher plan: pass the "
                                     "new budget, 250."),
        (lambda: _total(None), "That is the plan without any budget: pass 250 as the budget."),
        (lambda: _total(N_VOUCHERS) / 2,
         "Halving the budget does not halve the profit: the first vouchers go to the best "
         "customers. Re-plan with campaign_list."),
    ],
    hint="The planner of section 5 takes the budget as an argument. Plan again with the "
         "smaller one, then add up what the new plan expects to earn.",
    solution='profit_250 = campaign_list(options, {"voucher": 1.0}, 250)["expected_profit"].sum()',
    success="Half the vouchers keep far more than half the expected profit: the first ones go "
            "to the customers with the most to gain.",
)


# --------------------------------------------------------------------------- q3
q3 = ThoughtProblem(
    "whom_to_target",
    hint="Which customers change their behaviour because of the voucher, and what is each "
         "of them worth?",
    solution="",
    explanation=(
        "The highest churn risk is not the highest response. The riskiest customers are "
        "mostly lost causes who have already left (section 7: the 500 riskiest earn a small "
        "fraction of what a plan by value x response earns), and a voucher sent to someone "
        "who would have bought anyway only pays away its discount. Profit comes from the "
        "*persuadable*, weighted by what their orders are worth: rank by expected incremental "
        "profit = extra orders x margin x order value - (contact + discount x P(buy with the "
        "voucher)), with the response estimated from a randomised test (uplift modelling, "
        "cross-fitted) and the value shrunk so one big order does not decide. Version 1's plan "
        "earned as much only because its value factor picked big spenders; it promised half "
        "of what it earned, so it could not say how many vouchers to send."),
)


# --------------------------------------------------------------------------- q4
q4 = ThoughtProblem(
    "measurement",
    hint="What would have happened to the same customers without the voucher?",
    solution="",
    explanation=(
        "Expected profit is a forecast; what was earned is the difference between what the "
        "contacted customers did and what they *would have done without the voucher* - "
        "which nobody observes. Comparing buyers with non-contacted customers, or with last "
        "year, mixes the voucher with who was chosen and with the season. On 1 April you "
        "should have kept a random hold-out: e.g. 10-20% of the 500 chosen customers, drawn "
        "with a seeded random number, get nothing. After the 60 days compare orders and "
        "margin (net of the discounts paid) per customer between the e-mailed and the "
        "held-out, with a confidence interval (lessons 07 and 11): that is the campaign's "
        "real incremental profit, and a new randomised test to learn the next response "
        "from. Decide the metric and the hold-out's size before sending."),
)


PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
