"""Bad input to mkt_lessons.experiment (A/B tests); machinery in badinput.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
from badinput import Array, Option, Real, Size, Spec, make_tests

from mkt_lessons import bandits, experiment

ALPHA = Real(low=0, high=1, low_open=True, high_open=True)
RATE = Real(low=0, high=1, low_open=True, high_open=True)

SPECS = [
    Spec(experiment.two_proportion_ztest, lambda: dict(x1=300, n1=10_000, x2=345, n2=10_000),
         {"x1": Size(low=0), "n1": Size(low=1), "x2": Size(low=0), "n2": Size(low=1),
          "alpha": ALPHA, "alternative": Option(), "ci_method": Option()},
         extra=[("exceeds:x1", lambda kw: {**kw, "x1": 20_000}, ValueError),
                ("notwhole:x1", lambda kw: {**kw, "x1": np.array([1.5, 2.0])}, ValueError),
                ("nan:x1", lambda kw: {**kw, "x1": np.array([np.nan, 2.0])}, ValueError),
                ("text:x1", lambda kw: {**kw, "x1": np.array(["3", "4"])}, TypeError),
                ("empty:x1", lambda kw: {**kw, "x1": np.array([], dtype=int)}, ValueError),
                ("shapes:x1", lambda kw: {**kw, "x1": np.array([1, 2]), "n1": np.array([10, 20, 30])},
                 ValueError)]),
    Spec(experiment.welch_ttest,
         lambda: dict(control=np.array([1.0, 2.0, 3.0, 4.0]), treatment=[2.0, 4.0, 6.0, 8.0]),
         {"control": Array(), "treatment": Array(), "alpha": ALPHA, "alternative": Option()},
         extra=[("one:control", lambda kw: {**kw, "control": [1.0]}, ValueError),
                ("constant:control", lambda kw: {**kw, "control": [1.0, 1.0],
                                                 "treatment": [2.0, 2.0]}, ValueError)]),
    Spec(experiment.sample_size_two_proportions, lambda: dict(p1=0.03, p2=0.0345),
         {"p1": RATE, "p2": RATE, "alpha": ALPHA, "power": ALPHA, "alternative": Option()},
         extra=[("equal:p2", lambda kw: {**kw, "p2": 0.03}, ValueError)]),
    Spec(experiment.power_two_proportions, lambda: dict(p1=0.03, p2=0.0345, n=np.array([1000, 20_000])),
         {"p1": RATE, "p2": RATE, "alpha": ALPHA, "alternative": Option()},
         # n is a number or an array of numbers (a power curve)
         extra=[("zero:n", lambda kw: {**kw, "n": 0}, ValueError),
                ("text:n", lambda kw: {**kw, "n": "1000"}, TypeError),
                ("textarray:n", lambda kw: {**kw, "n": ["1000", "2000"]}, TypeError),
                ("nan:n", lambda kw: {**kw, "n": np.array([np.nan, 10.0])}, ValueError),
                ("empty:n", lambda kw: {**kw, "n": np.array([])}, ValueError),
                ("bool:n", lambda kw: {**kw, "n": True}, TypeError)]),
    Spec(experiment.srm_check, lambda: dict(counts=pd.Series({"control": 10_000, "treatment": 10_400})),
         {"counts": Array(), "threshold": ALPHA},
         extra=[("one:counts", lambda kw: {**kw, "counts": [5]}, ValueError),
                ("negative:counts", lambda kw: {**kw, "counts": [5, -1]}, ValueError),
                ("zero:counts", lambda kw: {**kw, "counts": [0, 0]}, ValueError),
                ("length:expected_shares", lambda kw: {**kw, "expected_shares": [0.5, 0.3, 0.2]},
                 ValueError),
                ("negative:expected_shares", lambda kw: {**kw, "expected_shares": [1.0, -1.0]},
                 ValueError),
                ("missing:expected_shares", lambda kw: {**kw, "expected_shares": {"control": 0.5}},
                 ValueError)]),
    Spec(experiment.cuped, lambda: dict(metric=np.array([1.0, 2.0, 3.0, 5.0]),
                                        covariate=pd.Series([0.0, 1.0, 2.0, 3.0])),
         {"metric": Array(), "covariate": Array(), "theta": Real()},
         extra=[("length:covariate", lambda kw: {**kw, "covariate": [0.0, 1.0, 2.0]}, ValueError),
                ("constant:covariate", lambda kw: {**kw, "covariate": [1.0] * 4}, ValueError)]),
    Spec(experiment.simulate_peeking, lambda: dict(p=0.03, visitors_per_day=100, n_days=5,
                                                   n_experiments=20, seed=0),
         {"p": RATE, "visitors_per_day": Size(low=1), "n_days": Size(low=1),
          "n_experiments": Size(low=1), "alpha": ALPHA, "p_treatment": RATE, "seed": Size(low=0)}),
]
test_bad_input, test_valid_call = make_tests(SPECS)


def test_bandit_names_are_re_exported_unchanged():
    """v1 imported the bandits from experiment: the same objects, not copies."""
    for name in bandits.__all__:
        assert getattr(experiment, name) is getattr(bandits, name)
