"""Lesson 14 (capstone) exercises, in the order of the lesson's sections: the voucher's
expected cost per customer, re-plan with a smaller budget, read the test-based intervals of
the plans, and two open questions (whom to target, how to measure the campaign)."""

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
    ns.update(pd=pd, np=np, campaign_list=campaign_list, voucher_profits=voucher_profits,
              on_test=_on_test())
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
CAPSTONE = "capstone: value x response"


@functools.lru_cache(maxsize=1)
def _on_test():
    """The notebook's section 7: each plan's value estimated from the randomised test."""
    import numpy as np
    import pandas as pd

    from mkt_lessons import data
    from mkt_lessons.campaign import (
        Assumptions,
        action_profits,
        assumed_response,
        churn_risk,
        orders_in_window,
        plan_value_from_test,
        value_at_stake,
        voucher_profits,
    )
    from mkt_lessons.targeting import campaign_list

    ns = _plan_inputs()
    orders, history, eligible, as_of = ns["orders"], ns["history"], ns["eligible"], ns["AS_OF"]
    v1 = Assumptions()
    p_churn = churn_risk(history, as_of, as_of - pd.DateOffset(years=1),
                         products=data.load_products(), horizon_days=v1.horizon_days)
    v1_value = value_at_stake(history, as_of, margin=v1.margin, horizon_days=v1.horizon_days)
    recency = (as_of - history.groupby("customer_id")["order_date"].max()).dt.days
    v1_profit = action_profits(p_churn, v1_value, pd.Series(0.0, index=p_churn.index),
                               recency.loc[p_churn.index], v1)
    v1_options = v1_profit.loc[eligible, ["retention_offer"]]
    v1_plan = campaign_list(v1_options, {"retention_offer": 1.0}, N_VOUCHERS)
    plan = campaign_list(ns["options"], {"voucher": 1.0}, N_VOUCHERS)
    assumed = assumed_response(ns["value"], 0.10)
    no_test = voucher_profits(assumed["uplift"], ns["value"]["order_value"], assumed["treated"],
                              margin=MARGIN, contact_cost=CONTACT_COST,
                              voucher_share=VOUCHER_SHARE)["expected_profit"]
    ids = {"v1: churn risk": v1_plan.index[v1_plan["action"] == "retention_offer"],
           CAPSTONE: plan.index[plan["action"] == "voucher"],
           "random": pd.Index(np.random.default_rng(14).choice(eligible, N_VOUCHERS, replace=False)),
           "churn risk alone": p_churn[eligible].nlargest(N_VOUCHERS).index,
           "assumed uplift (no test)": no_test.nlargest(N_VOUCHERS)[lambda s: s > 0].index}
    window = orders[(orders["order_date"] >= ns["SEND_DAY"])
                    & (orders["order_date"] < ns["SEND_DAY"] + pd.Timedelta(days=HORIZON))]
    line_margin = window["revenue"] - (1 - MARGIN) * window["quantity"] * window["unit_price"]
    n_orders = orders_in_window(orders, eligible, ns["SEND_DAY"], HORIZON)
    outcomes = pd.DataFrame({"treatment": ns["test"]["treatment"],
                             "margin_60d": line_margin.groupby(window["customer_id"]).sum()
                             .reindex(eligible, fill_value=0.0),
                             "buyer": (n_orders > 0).astype(int)})
    rows = {}
    for name, chosen in ids.items():
        money = plan_value_from_test(chosen, outcomes, outcome_col="margin_60d", id_col=None,
                                     cost_per_contact=CONTACT_COST)
        buyers = plan_value_from_test(chosen, outcomes, outcome_col="buyer", id_col=None)
        rows[name] = {"test_profit": money.estimate, "test_low": money.ci_low,
                      "test_high": money.ci_high, "extra_buyers": buyers.estimate,
                      "buyers_low": buyers.ci_low, "buyers_high": buyers.ci_high}
    return pd.DataFrame(rows).T


def _below(low: str, high: str) -> set:
    """Plans (other than the capstone) whose ``high`` end lies below the capstone's ``low`` end."""
    t = _on_test()
    return set(t.index[t[high] < t.loc[CAPSTONE, low]]) - {CAPSTONE}


def _below_by_estimate() -> set:
    t = _on_test()
    return set(t.index[t["extra_buyers"] < t.loc[CAPSTONE, "extra_buyers"]]) - {CAPSTONE}


q3 = ValueProblem(
    "worse_in_buyers", lambda: _below("buyers_low", "buyers_high"),
    mistakes=[
        (_below_by_estimate,
         "You compared the estimates. A plan whose interval overlaps the capstone's cannot be "
         "told apart from it by this test: compare the top of each plan's interval "
         "(buyers_high) with the bottom of the capstone's (buyers_low)."),
        (lambda: _below("test_low", "test_high"),
         "Those are the dollar columns (test_low, test_high). The question is about extra "
         "buyers: use buyers_low and buyers_high."),
    ],
    hint="Two intervals can be told apart when they do not overlap: the other plan's highest "
         "plausible value (buyers_high) is below the capstone's lowest (buyers_low). Look "
         "them up in on_test, row by row, or filter the table.",
    solution='worse_in_buyers = set(on_test.index[on_test["buyers_high"] < '
             'on_test.loc["capstone: value x response", "buyers_low"]])',
    success="The test tells the capstone's list from the churn-risk list and from the plan "
            "without a test, in buyers. In dollars it tells nothing apart at 500 vouchers: a "
            "few big orders make every interval wider than the gaps between the plans.",
)


# --------------------------------------------------------------------------- q4
q4 = ThoughtProblem(
    "whom_to_target",
    hint="Which customers change their behaviour because of the voucher, and what is each "
         "of them worth?",
    solution="",
    explanation=(
        "The highest churn risk is not the highest response. The riskiest customers are "
        "mostly lost causes who have already left (sections 7 and 8: the 500 riskiest gain "
        "clearly fewer buyers on the test and truly earn a small fraction of what a plan by "
        "value x response earns), and a voucher sent to someone "
        "who would have bought anyway only pays away its discount. Profit comes from the "
        "*persuadable*, weighted by what their orders are worth: rank by expected incremental "
        "profit = extra orders x margin x order value - (contact + discount x P(buy with the "
        "voucher)), with the response estimated from a randomised test (uplift modelling, "
        "cross-fitted) and the value shrunk so one big order does not decide. Version 1's plan "
        "earned as much only because its value factor picked big spenders; it promised half "
        "of what it earned, so it could not say how many vouchers to send."),
)


# --------------------------------------------------------------------------- q5
q5 = ThoughtProblem(
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
        "from. Decide the metric and the hold-out's size before sending: section 7 shows "
        "that a few hundred customers measure extra buyers well but margin only to within "
        "tens of thousands of dollars, so hold out enough (or repeat the campaign) to answer "
        "in dollars."),
)


PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
