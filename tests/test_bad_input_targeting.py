"""Bad input to mkt_lessons.targeting; machinery in badinput.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
from badinput import Array, Option, Real, Size, Spec, make_tests

from mkt_lessons import targeting

Y = np.array([1, 0, 1, 0, 0, 1])
S = np.array([0.9, 0.8, 0.3, 0.1, 0.4, 0.7])
B = np.array(["a", "b", "a", "b", "a", "b"], dtype=object)


def _profits():
    return pd.DataFrame({"offer": [5.0, 2.0, -1.0], "email": [0.5, 0.8, 0.1]},
                        index=pd.Index(["C1", "C2", "C3"], name="customer_id"))


SPECS = [
    Spec(targeting.gains_table, lambda: dict(y_true=Y.copy(), scores=S.copy(), n_bins=3),
         {"y_true": Array(), "scores": Array(), "n_bins": Size(low=1)},
         extra=[("notbinary:y_true", lambda kw: {**kw, "y_true": [2, 0, 1, 0, 0, 1]}, ValueError),
                ("length:y_true", lambda kw: {**kw, "y_true": [1, 0]}, ValueError),
                ("nopositive:y_true", lambda kw: {**kw, "y_true": [0] * 6}, ValueError)]),
    Spec(targeting.lift, lambda: dict(y_true=Y.copy(), scores=S.copy(), fraction=0.5),
         {"y_true": Array(), "scores": Array(), "fraction": Real(low=0, high=1, low_open=True)},
         extra=[("zero:fraction", lambda kw: {**kw, "fraction": 0.0}, ValueError),
                ("arrayabove:fraction", lambda kw: {**kw, "fraction": [0.5, 1.5]}, ValueError),
                ("arraytext:fraction", lambda kw: {**kw, "fraction": ["0.5"]}, TypeError)]),
    Spec(targeting.profit_curve, lambda: dict(scores=S.copy(), value=100.0, cost=10.0, uplift=0.3),
         {"scores": Array(), "value": Real(low=0), "cost": Real(low=0),
          "uplift": Real(low=0, high=1), "rank_by": Option()},
         extra=[("above:scores", lambda kw: {**kw, "scores": S + 1}, ValueError),
                ("length:value", lambda kw: {**kw, "value": [1.0, 2.0]}, ValueError),
                ("negative:value", lambda kw: {**kw, "value": -S}, ValueError),
                ("text:value", lambda kw: {**kw, "value": [str(v) for v in S]}, TypeError),
                ("none:cost", lambda kw: {**kw, "cost": None}, TypeError),
                ("length:y_true", lambda kw: {**kw, "y_true": [1, 0]}, ValueError)]),
    Spec(targeting.best_threshold, lambda: dict(scores=S.copy(), value=100.0, cost=10.0, uplift=0.3),
         {"scores": Array(), "value": Real(low=0), "cost": Real(low=0),
          "uplift": Real(low=0, high=1), "use": Option(), "rank_by": Option()},
         extra=[("noy:use", lambda kw: {**kw, "use": "realised"}, ValueError),
                ("nan:value", lambda kw: {**kw, "value": np.r_[np.nan, S[1:]]}, ValueError)]),
    Spec(targeting.calibration_by_band, lambda: dict(y_true=Y.copy(), scores=S.copy(), bands=B.copy()),
         {"y_true": Array(), "scores": Array(), "bands": Array(numeric=False)},
         extra=[("above:scores", lambda kw: {**kw, "scores": S + 1}, ValueError),
                ("length:bands", lambda kw: {**kw, "bands": B[:2]}, ValueError),
                ("notbinary:y_true", lambda kw: {**kw, "y_true": [2, 0, 1, 0, 0, 1]}, ValueError)]),
    Spec(targeting.recalibrate_by_band,
         lambda: dict(scores=S.copy(), y_true=Y.copy(), bands=B.copy(), new_scores=S[:2].copy(),
                      new_bands=B[:2].copy()),
         {"scores": Array(), "y_true": Array(), "bands": Array(numeric=False),
          "new_scores": Array(), "new_bands": Array(numeric=False), "method": Option()},
         extra=[("above:scores", lambda kw: {**kw, "scores": S + 1}, ValueError),
                ("below:new_scores", lambda kw: {**kw, "new_scores": [-0.1, 0.5]}, ValueError),
                ("length:new_bands", lambda kw: {**kw, "new_bands": B[:1]}, ValueError),
                ("unseen:new_bands", lambda kw: {**kw, "new_bands": np.array(["z", "a"], dtype=object)},
                 ValueError),
                ("alone:new_scores", lambda kw: {**kw, "new_bands": None}, ValueError),
                ("allsame:y_true", lambda kw: {**kw, "y_true": [1, 0, 1, 0, 1, 0]}, ValueError)]),
    Spec(targeting.campaign_list,
         lambda: dict(expected_profit=_profits(), cost={"offer": 4.0, "email": 0.1}, budget=5.0),
         {"expected_profit": __import__("badinput").Table(numeric=["offer", "email"]),
          "budget": Real(low=0), "method": Option()},
         extra=[("notmapping:cost", lambda kw: {**kw, "cost": 4.0}, TypeError),
                ("unknown:cost", lambda kw: {**kw, "cost": {"offer": 1.0, "email": 1.0, "call": 1.0}},
                 ValueError),
                ("missing:cost", lambda kw: {**kw, "cost": {"offer": 1.0}}, ValueError),
                ("negative:cost", lambda kw: {**kw, "cost": {"offer": -1.0, "email": 0.1}}, ValueError),
                ("text:cost", lambda kw: {**kw, "cost": {"offer": "4", "email": 0.1}}, TypeError),
                ("dupids:expected_profit",
                 lambda kw: {**kw, "expected_profit": _profits().set_axis(["C1", "C1", "C3"])}, ValueError),
                ("nanid:expected_profit",
                 lambda kw: {**kw, "expected_profit": _profits().set_axis(["C1", None, "C3"])}, ValueError),
                ("clash:no_action", lambda kw: {**kw, "no_action": "offer"}, ValueError),
                ("notstr:no_action", lambda kw: {**kw, "no_action": 0}, TypeError),
                ("bool:budget", lambda kw: {**kw, "budget": True}, TypeError)]),
]
test_bad_input, test_valid_call = make_tests(SPECS)
