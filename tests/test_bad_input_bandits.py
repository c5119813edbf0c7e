"""Bad input to mkt_lessons.bandits: policies validate in __init__; machinery in badinput.py."""

from __future__ import annotations

import numpy as np
import pytest
from badinput import Array, Real, Size, Spec, make_tests

from mkt_lessons import bandits

SPECS = [
    Spec(bandits.simulate_bandit,
         lambda: dict(policy=bandits.ThompsonSampling(), true_rates=np.array([0.04, 0.06]),
                      n_rounds=50, n_runs=3, seed=0),
         {"true_rates": Array(), "n_rounds": Size(low=1), "n_runs": Size(low=1),
          "seed": Size(low=0)},
         extra=[("notpolicy:policy", lambda kw: {**kw, "policy": "ucb"}, TypeError),
                ("class:policy", lambda kw: {**kw, "policy": bandits.UCB1}, TypeError),
                ("one:true_rates", lambda kw: {**kw, "true_rates": [0.1]}, ValueError),
                ("above:true_rates", lambda kw: {**kw, "true_rates": [0.1, 1.2]}, ValueError)]),
    # the policies validate their settings when created (DESIGN §5)
    Spec(bandits.EpsilonGreedy, lambda: dict(epsilon=0.1), {"epsilon": Real(low=0, high=1)},
         name="bandits.EpsilonGreedy"),
    Spec(bandits.UCB1, lambda: dict(c=1.0), {"c": Real(low=0)}, name="bandits.UCB1"),
    Spec(bandits.ThompsonSampling, lambda: dict(prior_a=1.0, prior_b=2.0),
         {"prior_a": Real(low=0, low_open=True), "prior_b": Real(low=0, low_open=True)},
         name="bandits.ThompsonSampling"),
    Spec(bandits.ExploreThenCommit, lambda: dict(n_explore=100), {"n_explore": Size(low=1)},
         name="bandits.ExploreThenCommit"),
    Spec(lambda n_arms, n_runs: bandits.UCB1().start(n_arms, n_runs), lambda: dict(n_arms=3, n_runs=2),
         {"n_arms": Size(low=2), "n_runs": Size(low=1)}, name="bandits.BanditPolicy.start"),
]
test_bad_input, test_valid_call = make_tests(SPECS)


def test_select_and_update_refuse_bad_calls():
    rng = np.random.default_rng(0)
    with pytest.raises(RuntimeError, match="start"):
        bandits.UCB1().select(rng)
    p = bandits.UCB1().start(2)
    for arm, reward, exc, text in [(2, 1, ValueError, "arm"), (0, 2, ValueError, "reward"),
                                   (0, "1", TypeError, "reward"), (0.5, 1, ValueError, "arm")]:
        with pytest.raises(exc, match=text):
            p.update(arm, reward)
    with pytest.raises(TypeError, match="rng"):
        p.select(42)
