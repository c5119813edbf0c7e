"""Multi-armed bandits: learn which banner is best while showing it (lesson 07).

Policies share one small interface, written for *many runs at once* so simulations are
vectorised with NumPy (every run advances one round at a time as arrays)::

    policy = ThompsonSampling().start(n_arms=4)       # one run: ints in, ints out
    arm = policy.select(rng)                          # which banner to show
    policy.update(arm, reward)                        # 1 = click, 0 = no click

``start(n_arms, n_runs=k)`` keeps ``k`` independent runs; ``select`` then returns an array
of ``k`` arms and ``update`` takes arrays. Settings are checked when the policy is created
(``EpsilonGreedy(1.5)`` raises at once, naming ``epsilon``). :func:`simulate_bandit` plays a
policy against known click rates and returns the regret of every round of every run.
:class:`ExploreThenCommit` is the A/B test written as a policy (split evenly, then ship the
winner), so the two approaches can be compared on the same footing.

This module was split out of :mod:`mkt_lessons.experiment` (which keeps the A/B tests);
``from mkt_lessons.experiment import UCB1`` still works.

Examples
--------
>>> policy = ThompsonSampling().start(n_arms=2)
>>> arm = policy.select(np.random.default_rng(0))
>>> policy.update(arm, 1).pulls_.sum()
np.float64(1.0)
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence

import numpy as np

from mkt_lessons._validation import check_1d, check_int, check_real, describe

__all__ = ["BanditPolicy", "EpsilonGreedy", "UCB1", "ThompsonSampling", "ExploreThenCommit",
           "simulate_bandit"]


class BanditPolicy:
    """Common interface of the bandit policies (rewards in [0, 1]: click = 1, no click = 0).

    Settings go in ``__init__``; :meth:`start` resets the state for ``n_arms`` arms and
    returns ``self``; :meth:`select` chooses an arm; :meth:`update` records its reward.
    State (after :meth:`start`): ``pulls_`` and ``successes_``, arrays of shape
    ``(n_runs, n_arms)``; ``means_``, the observed rates; ``t_``, rounds played.
    Subclasses implement ``_choose(rng)``. Ties between equally good arms are broken at
    random, so no banner is favoured by its position in the list.
    """

    def start(self, n_arms: int, n_runs: int | None = None) -> BanditPolicy:
        """Reset the policy for ``n_arms`` arms and ``n_runs`` independent runs.

        With ``n_runs=None`` (one run) :meth:`select` returns a plain ``int`` and
        :meth:`update` takes an ``int`` and a number. Returns ``self``.
        """
        n_arms = check_int(n_arms, "n_arms (a bandit chooses between arms)", low=2)
        self.n_arms_ = n_arms
        self._single = n_runs is None
        self.n_runs_ = 1 if n_runs is None else check_int(n_runs, "n_runs", low=1)
        self.pulls_ = np.zeros((self.n_runs_, n_arms))
        self.successes_ = np.zeros((self.n_runs_, n_arms))
        # observed rate, +inf for arms never played (so "best" until tried), and 1 / pulls
        self._est = np.full((self.n_runs_, n_arms), np.inf)
        self._inv_pulls = np.full((self.n_runs_, n_arms), np.inf)
        self._offsets = np.arange(self.n_runs_) * n_arms  # flat index of each run's row
        # flat views of the state: one fancy-indexing op per update, whatever n_runs
        self._pulls_flat = self.pulls_.reshape(-1)
        self._succ_flat = self.successes_.reshape(-1)
        self._est_flat = self._est.reshape(-1)
        self._inv_flat = self._inv_pulls.reshape(-1)
        self.t_ = 0
        return self

    def _check_started(self) -> None:
        if not hasattr(self, "pulls_"):
            raise RuntimeError(f"call {type(self).__name__}(...).start(n_arms) before "
                               "select() or update()")

    def select(self, rng: np.random.Generator):
        """Choose the arm to play in every run (an ``int`` for a single run)."""
        self._check_started()
        if not isinstance(rng, np.random.Generator):
            raise TypeError("rng must be a numpy Generator, e.g. np.random.default_rng(0), "
                            f"got {describe(rng)}")
        arms = self._choose(rng)
        return int(arms[0]) if self._single else arms

    def update(self, arm, reward) -> BanditPolicy:
        """Record the ``reward`` (1 = click, 0 = none; any value in [0, 1]) of ``arm``.

        One arm and one reward per run. Returns ``self``.
        """
        self._check_started()
        arm = np.asarray(arm).reshape(-1)
        reward = np.asarray(reward).reshape(-1)
        if arm.shape != (self.n_runs_,) or reward.shape != (self.n_runs_,):
            raise ValueError(f"arm and reward need one value per run ({self.n_runs_}), got "
                             f"{arm.size} and {reward.size}")
        if not np.issubdtype(arm.dtype, np.integer) or (arm < 0).any() \
                or (arm >= self.n_arms_).any():
            raise ValueError(f"arm must be whole numbers in 0..{self.n_arms_ - 1}, got {arm}")
        if not (np.issubdtype(reward.dtype, np.number) or reward.dtype == bool):
            raise TypeError(f"reward must be numbers in [0, 1], got dtype {reward.dtype}")
        reward = reward.astype(float)
        if np.isnan(reward).any() or (reward < 0).any() or (reward > 1).any():
            raise ValueError(f"reward must be in [0, 1] (1 = click), got {reward}")
        self._record(arm, reward)
        return self

    def _record(self, arm: np.ndarray, reward: np.ndarray) -> None:
        idx = self._offsets + arm
        self._pulls_flat[idx] += 1
        self._succ_flat[idx] += reward
        inv = 1.0 / self._pulls_flat[idx]
        self._inv_flat[idx] = inv
        self._est_flat[idx] = self._succ_flat[idx] * inv
        self.t_ += 1

    @property
    def means_(self) -> np.ndarray:
        """Observed reward rate per run and arm (NaN for arms never played)."""
        self._check_started()
        return np.where(self.pulls_ > 0, self._est, np.nan)

    def _choose(self, rng: np.random.Generator) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    @staticmethod
    def _argmax_random_ties(scores: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        best = scores == scores.max(axis=1, keepdims=True)
        return np.where(best, rng.random(scores.shape), -1.0).argmax(axis=1)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items()
                           if not k.endswith("_") and not k.startswith("_"))
        return f"{type(self).__name__}({params})"


class EpsilonGreedy(BanditPolicy):
    """ε-greedy: with probability ``epsilon`` show a random arm, otherwise the arm with the
    best observed rate (arms never shown count as best, so each is tried early).

    Parameters
    ----------
    epsilon : float
        Exploration probability in [0, 1]; it never decays, so a share ``epsilon`` of the
        traffic keeps going to random arms (regret grows linearly).
    """

    def __init__(self, epsilon: float = 0.1) -> None:
        self.epsilon = check_real(epsilon, "epsilon", low=0.0, high=1.0)

    def _choose(self, rng):
        greedy = self._argmax_random_ties(self._est, rng)  # unplayed arms score +inf
        explore = rng.random(self.n_runs_) < self.epsilon
        return np.where(explore, rng.integers(0, self.n_arms_, self.n_runs_), greedy)


class UCB1(BanditPolicy):
    """UCB1 (Auer, Cesa-Bianchi & Fischer 2002): play each arm once, then the arm with the
    highest upper confidence bound ``mean + c * sqrt(ln t / pulls)``, t = rounds so far.

    Parameters
    ----------
    c : float
        Exploration weight; ``sqrt(2)`` (default) is the classic UCB1. Its bonus assumes only
        that rewards lie in [0, 1], so with click rates of a few percent it is much wider
        than the real uncertainty and UCB1 explores for a long time.
    """

    def __init__(self, c: float = math.sqrt(2)) -> None:
        self.c = check_real(c, "c", low=0.0)

    def _choose(self, rng):
        # unplayed arms score +inf, so each arm is played once first; once an arm has been
        # scored against a played one t >= 2 (n_arms >= 2), so max(t, 2) only avoids 0 * inf.
        scores = self._est + np.sqrt(self.c**2 * math.log(max(self.t_, 2)) * self._inv_pulls)
        return self._argmax_random_ties(scores, rng)


class ThompsonSampling(BanditPolicy):
    """Thompson sampling (Beta-Bernoulli): draw a plausible rate for each arm from its
    posterior Beta(prior_a + clicks, prior_b + non-clicks) and play the highest draw.

    Parameters
    ----------
    prior_a, prior_b : float
        Beta prior, both > 0 (1, 1 = uniform: no opinion about the click rate).
    """

    def __init__(self, prior_a: float = 1.0, prior_b: float = 1.0) -> None:
        self.prior_a = check_real(prior_a, "prior_a", low=0.0, low_open=True)
        self.prior_b = check_real(prior_b, "prior_b", low=0.0, low_open=True)

    @property
    def posterior_(self) -> tuple[np.ndarray, np.ndarray]:
        """Beta posterior parameters ``(a, b)``, each of shape ``(n_runs, n_arms)``."""
        self._check_started()
        return (self.prior_a + self.successes_,
                self.prior_b + (self.pulls_ - self.successes_))

    def _choose(self, rng):
        a, b = self.posterior_
        return rng.beta(a, b).argmax(axis=1)  # continuous draws: ties have probability 0


class ExploreThenCommit(BanditPolicy):
    """An A/B/n test as a policy: rotate the arms evenly for ``n_explore`` rounds, then play
    the arm with the best observed rate for ever after (ties broken at random).

    Parameters
    ----------
    n_explore : int
        Length of the test in rounds (visitors), e.g. arms x the sample size per arm.
    """

    def __init__(self, n_explore: int = 1000) -> None:
        self.n_explore = check_int(n_explore, "n_explore", low=1)

    def start(self, n_arms: int, n_runs: int | None = None) -> ExploreThenCommit:
        super().start(n_arms, n_runs)
        self._winner = None
        return self

    def _choose(self, rng):
        if self.t_ < self.n_explore:
            return np.full(self.n_runs_, self.t_ % self.n_arms_)
        if self._winner is None:
            best = np.where(self.pulls_ > 0, self._est, -1.0)  # only arms actually tested
            self._winner = self._argmax_random_ties(best, rng)
        return self._winner


def simulate_bandit(policy: BanditPolicy, true_rates: Sequence[float], n_rounds: int,
                    n_runs: int = 200, seed: int = 0) -> np.ndarray:
    """Play ``policy`` against arms with known click rates; return the regret of each round.

    All runs advance together, one round at a time, as NumPy arrays. The regret of a round
    is the *expected* clicks lost by the arm chosen: ``max(true_rates) - true_rates[arm]``
    (pseudo-regret; it does not depend on the luck of the click draw).

    Parameters
    ----------
    policy : BanditPolicy
        A policy with its settings (e.g. ``UCB1()``); it is copied, never modified.
    true_rates : sequence of float
        Click rate of each arm, in [0, 1].
    n_rounds : int
        Visitors per run.
    n_runs : int
        Independent runs (average over them to see the policy, not the luck).
    seed : int
        Seed of the random generator.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_runs, n_rounds)``; ``regret.cumsum(axis=1).mean(axis=0)`` is the average
        cumulative regret curve.

    Examples
    --------
    >>> r = simulate_bandit(ThompsonSampling(), [0.04, 0.06], n_rounds=500, n_runs=20)
    >>> r.shape
    (20, 500)
    """
    if not isinstance(policy, BanditPolicy):
        raise TypeError("policy must be a bandit policy such as EpsilonGreedy(), UCB1() or "
                        f"ThompsonSampling(), got {describe(policy)}")
    rates = check_1d(true_rates, "true_rates (click rates; at least 2 arms)", min_len=2,
                     low=0.0, high=1.0)
    n_rounds = check_int(n_rounds, "n_rounds", low=1)
    n_runs = check_int(n_runs, "n_runs", low=1)
    seed = check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)
    pol = copy.deepcopy(policy).start(rates.size, n_runs)
    gaps = rates.max() - rates
    regret = np.empty((n_rounds, n_runs))
    for t in range(n_rounds):  # the loop runs over rounds; runs are vectorised
        arms = pol._choose(rng)
        clicks = rng.random(n_runs) < rates[arms]
        pol._record(arms, clicks)
        regret[t] = gaps[arms]
    return regret.T.copy()
