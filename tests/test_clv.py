"""Tests of mkt_lessons.clv against published estimates, hand cases, integration and simulation.

Oracles
-------
* Published estimates on the CDNOW sample (tests/data/cdnow_sample.txt.gz, see its README):
  BG/NBD r=0.243, alpha=4.414, a=0.793, b=2.426, LL=-9582.4 and E[Y(39)]=1.226 for the
  customer with x=2, t_x=30.43, T=38.86 (Fader, Hardie & Lee 2005, Marketing Science 24(2),
  Table/section 4); Gamma-Gamma p=6.25, q=3.74, gamma=15.44 on the 946 repeat buyers (Fader &
  Hardie 2013, "The Gamma-Gamma model of monetary value").
* sBG: the survivor counts of Fader & Hardie (2007, "How to project customer retention",
  J. Interactive Marketing 21(1), Table 1 - data from Berry & Linoff 2004), hand-typed below,
  and the published maximum-likelihood estimates from the first 7 years (8 counts).
* Numerical integration (scipy.integrate) of the model's defining mixture, an independent
  event-by-event simulator written here, finite-difference gradients, hand cases.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, optimize, stats
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from mkt_lessons import clv
from mkt_lessons.clv import (
    BetaGeoModel,
    GammaGammaModel,
    ShiftedBetaGeoModel,
    customer_lifetime_value,
    simulate_bgnbd,
    summary_table,
)

DATA = Path(__file__).resolve().parent / "data" / "cdnow_sample.txt.gz"

# Fader & Hardie (2007), Table 1: customers still active after 0..12 years, of 1,000 each.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]


def sig3(v: float) -> float:
    return float(f"{v:.3g}")


# --------------------------------------------------------------------------- CDNOW data
@pytest.fixture(scope="module")
def cdnow_orders() -> pd.DataFrame:
    d = pd.read_csv(DATA, sep=r"\s+", header=None, dtype={"date": str},
                    names=["master_id", "customer_id", "date", "n_cds", "amount"])
    d["date"] = pd.to_datetime(d["date"], format="%Y%m%d")
    return d


@pytest.fixture(scope="module")
def cdnow(cdnow_orders) -> pd.DataFrame:
    return summary_table(cdnow_orders, "1998-06-30", calibration_end="1997-09-30", unit="weeks",
                         customer_col="customer_id", date_col="date", amount_col="amount")


@pytest.fixture(scope="module")
def cdnow_bg(cdnow) -> BetaGeoModel:
    return BetaGeoModel().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


def test_cdnow_summary_matches_the_papers_data(cdnow_orders, cdnow):
    assert len(cdnow_orders) == 6919 and len(cdnow) == 2357
    # Customer 1 is the paper's worked example (x=2, t_x=30.43, T=38.86) with mean repeat
    # spend 22.35 in the Gamma-Gamma note's data.
    row = cdnow.loc[1]
    assert row["frequency"] == 2
    assert round(row["recency"], 2) == 30.43 and round(row["T"], 2) == 38.86
    assert row["monetary_value"] == pytest.approx(22.35, abs=0.006)
    assert (cdnow["frequency"] > 0).sum() == 946  # the note's 946 repeat buyers
    assert (cdnow["duration_holdout"] == 39.0).all()
    # every first purchase is in the first 12 weeks (the cohort of 1997 Q1)
    assert cdnow["T"].between(39 - 13, 39).all()
    assert cdnow.attrs["n_new_in_holdout"] == 0


def test_bgnbd_reproduces_fhl_2005_on_cdnow(cdnow_bg):
    p = cdnow_bg.params_
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert {k: sig3(p[k]) for k in published} == {k: sig3(v) for k, v in published.items()}
    assert cdnow_bg.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)
    assert cdnow_bg.converged_ and cdnow_bg.n_customers_ == 2357


def test_bgnbd_example_customer_prediction(cdnow_bg):
    # FHL (2005): a customer with x=2, t_x=30.43, T=38.86 is expected to make 1.226
    # purchases in the next 39 weeks.
    e = cdnow_bg.expected_purchases(39.0, [2], [30.43], [38.86])
    assert round(float(e[0]), 3) == 1.226


def test_bgnbd_log_likelihood_sums_to_the_fit(cdnow, cdnow_bg):
    ll = cdnow_bg.log_likelihood(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert ll.shape == (2357,) and np.all(ll < 0)
    assert ll.sum() == pytest.approx(cdnow_bg.log_likelihood_, rel=1e-12)


def test_gamma_gamma_reproduces_the_note_on_cdnow(cdnow):
    gg = GammaGammaModel().fit(cdnow["frequency"], cdnow["monetary_value"])
    published = {"p": 6.25, "q": 3.74, "gamma": 15.44}
    assert {k: sig3(gg.params_[k]) for k in published} == {k: sig3(v) for k, v in published.items()}
    assert gg.n_customers_ == 946 and gg.converged_


def test_gamma_gamma_fit_ignores_nothing_but_zero_frequency(cdnow):
    """Customers with no repeat purchase carry no spend information: dropping them is exact."""
    rep = cdnow[cdnow["frequency"] > 0]
    a = GammaGammaModel().fit(cdnow["frequency"], cdnow["monetary_value"])
    b = GammaGammaModel().fit(rep["frequency"], rep["monetary_value"])
    assert a.params_ == pytest.approx(b.params_, rel=1e-9)


# --------------------------------------------------------------------------- sBG (published)
@pytest.mark.parametrize(("counts", "alpha", "beta"), [
    (REGULAR, 0.704, 1.182),
    (HIGH_END, 0.668, 3.806),
], ids=["regular", "high_end"])
def test_sbg_reproduces_fader_hardie_2007(counts, alpha, beta):
    """Fitted on years 0-7 (as in the paper). Note which segment gets which estimate: the
    regular segment loses 37% of its customers in year 1, so its mean churn probability
    alpha/(alpha+beta) must be near 0.37 (0.704/1.886 = 0.373), the high-end's near 0.13
    (0.668/4.474 = 0.149)."""
    sbg = ShiftedBetaGeoModel().fit(counts[:8])
    assert (sig3(sbg.params_["alpha"]), sig3(sbg.params_["beta"])) == (sig3(alpha), sig3(beta))
    assert 1 - counts[1] / counts[0] == pytest.approx(alpha / (alpha + beta), abs=0.02)


@pytest.mark.parametrize(("counts", "alpha", "beta"), [
    (REGULAR, 0.704, 1.182),
    (HIGH_END, 0.668, 3.806),
], ids=["regular", "high_end"])
def test_sbg_predictions_at_published_parameters(counts, alpha, beta):
    """The paper's projections: S(t) from the published parameters, computed by the
    recursion S(t) = S(t-1) (beta + t - 1)/(alpha + beta + t - 1), and the projection of
    years 8-12 against the counts held out of the fit."""
    sbg = ShiftedBetaGeoModel().fit(counts[:8])
    hand = [1.0]
    for t in range(1, 13):
        hand.append(hand[-1] * (beta + t - 1) / (alpha + beta + t - 1))
    sbg_pub = clone(sbg)
    sbg_pub.params_, sbg_pub.cohort_size_ = {"alpha": alpha, "beta": beta}, 1000
    np.testing.assert_allclose(sbg_pub.survival(np.arange(13)), hand, rtol=1e-12)
    np.testing.assert_allclose(sbg_pub.retention_rate([1, 5, 12]),
                               [(beta + t - 1) / (alpha + beta + t - 1) for t in (1, 5, 12)])
    # the fitted model's projections agree with the published-parameter ones to 3 digits ...
    np.testing.assert_allclose(sbg.expected_survivors(np.arange(8, 13)),
                               1000 * np.array(hand[8:]), rtol=2e-3)
    # ... and track the held-out years 8-12 within 5% (the paper's point: the sBG projects)
    np.testing.assert_allclose(sbg.expected_survivors(np.arange(8, 13)), counts[8:], rtol=0.05)


def test_sbg_likelihood_against_direct_probabilities():
    """LL at the optimum equals the multinomial log-likelihood built from P(T=t) by the
    paper's recursion P(1) = alpha/(alpha+beta), P(t) = P(t-1)(beta+t-2)/(alpha+beta+t-1)."""
    sbg = ShiftedBetaGeoModel().fit(REGULAR[:8])
    al, be = sbg.params_["alpha"], sbg.params_["beta"]
    probs = [al / (al + be)]
    for t in range(2, 8):
        probs.append(probs[-1] * (be + t - 2) / (al + be + t - 1))
    lost = -np.diff(REGULAR[:8])
    ll = np.dot(lost, np.log(probs)) + REGULAR[7] * np.log(1 - sum(probs))
    assert sbg.log_likelihood_ == pytest.approx(ll, rel=1e-10)
    np.testing.assert_allclose(sbg.churn_probability(np.arange(1, 8)), probs, rtol=1e-10)


def test_sbg_derl_against_brute_force_sum():
    sbg = ShiftedBetaGeoModel().fit(HIGH_END[:8])
    d = 0.10
    s = sbg.survival(np.arange(0, 3000))
    for renewals in (0, 1, 4):
        n = renewals + 1
        brute = np.sum(s[n:] / s[n - 1] / (1 + d) ** np.arange(0, len(s) - n))
        got = sbg.discounted_expected_residual_lifetime(renewals, d)
        assert float(got[0]) == pytest.approx(brute, rel=1e-8)
    # more renewals -> the customer is revealed to be loyal -> longer residual lifetime
    derl = sbg.discounted_expected_residual_lifetime([0, 1, 2, 5], d)
    assert np.all(np.diff(derl) > 0)


def test_sbg_recovers_parameters_from_simulated_cohort():
    rng = np.random.default_rng(5)
    al, be, n0 = 0.9, 2.5, 20000
    theta = rng.beta(al, be, n0)
    life = rng.geometric(theta)  # period in which each customer churns
    counts = [n0] + [int((life > t).sum()) for t in range(1, 9)]
    sbg = ShiftedBetaGeoModel().fit(counts)
    assert sbg.params_["alpha"] == pytest.approx(al, rel=0.15)
    assert sbg.params_["beta"] == pytest.approx(be, rel=0.15)


# --------------------------------------------------------------------------- summary_table
def _orders():
    return pd.DataFrame({
        "customer_id": ["A", "A", "A", "A", "B", "B", "C", "D"],
        "order_date": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 18:30", "2024-01-15 00:00",
                                      "2024-02-20 00:00", "2024-01-10 00:00", "2024-02-05 00:00",
                                      "2024-01-31 23:59", "2024-02-10 00:00"]),
        "revenue": [10.0, 5.0, 30.0, 12.0, 8.0, 4.0, 50.0, 7.0],
    })


def test_summary_table_hand_case():
    orders = _orders()
    before = orders.copy()
    s = summary_table(orders, "2024-02-29")
    pd.testing.assert_frame_equal(orders, before)
    # A: purchase days 1 Jan (10+5), 15 Jan (30), 20 Feb (12) -> 2 repeats, mean (30+12)/2
    assert s.loc["A"].tolist() == [2, 50.0, 59.0, 21.0]
    assert s.loc["B"].tolist() == [1, 26.0, 50.0, 4.0]
    assert s.loc["C"].tolist() == [0, 0.0, 29.0, 0.0]
    assert s.loc["D"].tolist() == [0, 0.0, 19.0, 0.0]
    assert s.index.name == "customer_id" and s["frequency"].dtype == np.int64


def test_summary_table_holdout_columns_and_weeks():
    s = summary_table(_orders(), "2024-02-29", calibration_end="2024-01-31", unit="weeks")
    # calibration to 31 Jan: A has days 1 and 15 Jan; B has 10 Jan; C has 31 Jan (included)
    assert list(s.index) == ["A", "B", "C"]          # D's first purchase is in the holdout
    assert s.attrs["n_new_in_holdout"] == 1
    assert s.loc["A", "frequency"] == 1 and s.loc["A", "recency"] == pytest.approx(14 / 7)
    assert s.loc["A", "T"] == pytest.approx(30 / 7)
    assert s.loc["A", "monetary_value"] == 30.0
    assert s.loc["A", "frequency_holdout"] == 1 and s.loc["A", "monetary_value_holdout"] == 12.0
    assert s.loc["B", "frequency_holdout"] == 1 and s.loc["B", "monetary_value_holdout"] == 4.0
    assert s.loc["C", "frequency_holdout"] == 0 and s.loc["C", "monetary_value_holdout"] == 0.0
    assert s.loc["C", "T"] == 0.0
    np.testing.assert_allclose(s["duration_holdout"], 29 / 7)


def test_summary_table_refuses_orders_after_the_end():
    with pytest.raises(ValueError, match="after observation_end"):
        summary_table(_orders(), "2024-02-01")
    with pytest.raises(ValueError, match="calibration_end"):
        summary_table(_orders(), "2024-02-29", calibration_end="2024-02-29")


# --------------------------------------------------------------------------- BG/NBD vs integration
PARAMS = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def _bg(params=PARAMS) -> BetaGeoModel:
    m = BetaGeoModel()
    m.params_ = dict(params)
    return m


def _over_p(h, a, b, hi=1.0, epsrel=1e-10):
    """int_0^hi h(p) Beta(p; a, b) dp by QUADPACK with the algebraic weight p^(a-1)
    (the singularity at 0 when a < 1 is handled by the weight, not by the integrand)."""
    val, _ = integrate.quad(lambda p: h(p) * math.exp((b - 1) * math.log1p(-p)), 0, hi,
                            weight="alg", wvar=(a - 1, 0), limit=200, epsabs=0, epsrel=epsrel)
    return val / math.exp(math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))


def _gamma_poisson(x, s, r, alpha):
    """int lam^x e^(-lam s) Gamma(lam; r, rate alpha) dlam (the gamma-Poisson mixture)."""
    return math.exp(math.lgamma(r + x) - math.lgamma(r) + r * math.log(alpha)
                    - (r + x) * math.log(alpha + s))


CUSTOMERS = [(0, 0.0, 38.86), (2, 30.43, 38.86), (1, 1.71, 38.86), (5, 20.0, 35.0), (7, 37.0, 38.0),
             (30, 25.0, 30.0)]


@pytest.mark.parametrize(("x", "tx", "T"), CUSTOMERS)
def test_bgnbd_likelihood_prob_alive_and_expectation_by_integration(x, tx, T):
    """Each closed form against its definition: the mixture over lambda is done with the
    gamma-Poisson identity, the mixture over p by numerical integration - so the beta
    functions and the hypergeometric function of the closed forms are checked by quadrature.
    """
    r, alpha, a, b = (PARAMS[k] for k in ("r", "alpha", "a", "b"))
    m = _bg()
    g_T, g_tx = _gamma_poisson(x, T, r, alpha), _gamma_poisson(x, tx, r, alpha)
    alive = _over_p(lambda p: (1 - p) ** x * g_T, a, b)
    total = alive + (_over_p(lambda p: p * (1 - p) ** (x - 1) * g_tx, a, b) if x else 0.0)
    assert m.log_likelihood([x], [tx], [T])[0] == pytest.approx(math.log(total), rel=1e-8)
    assert m.prob_alive([x], [tx], [T])[0] == pytest.approx(alive / total, rel=1e-8)
    t = 39.0

    # E[purchases in (T, T+t] | lam, p, alive at T] = (1 - e^(-lam p t)) / p, mixed over lam:
    def future(p):
        if p == 0.0:  # the limit p -> 0 (QUADPACK evaluates the end points)
            return g_T * (r + x) * t / (alpha + T)
        return (1 - p) ** x * (g_T - _gamma_poisson(x, T + p * t, r, alpha)) / p
    expected = _over_p(future, a, b) / total
    assert m.expected_purchases(t, [x], [tx], [T])[0] == pytest.approx(expected, rel=1e-7)


def test_bgnbd_unconditional_expectation_by_integration():
    r, alpha, a, b = (PARAMS[k] for k in ("r", "alpha", "a", "b"))
    m = _bg()
    for t in (1.0, 39.0, 78.0):
        want = _over_p(lambda p, t=t: (1 - _gamma_poisson(0, p * t, r, alpha)) / p if p else
                       r * t / alpha, a, b)
        assert m.expected_purchases_new(t)[0] == pytest.approx(want, rel=1e-7)


@pytest.mark.parametrize("x", [50, 1_000, 10_000, 100_000])
def test_bgnbd_large_frequencies_are_finite_and_right(x):
    """Given alive, lambda ~ Gamma(r+x, alpha+T) and p ~ Beta(a, b+x) independently, so
    E[Y(t) | alive] = int (1 - ((alpha+T)/(alpha+T+p t))^(r+x)) / p Beta(p; a, b+x) dp,
    integrated numerically; the textbook hypergeometric form overflows here."""
    m = _bg()
    r, alpha, a, b = (PARAMS[k] for k in ("r", "alpha", "a", "b"))
    T, tx, t = 52.0, 51.9995, 26.0  # a frequent buyer seen just before T (else P(alive) ~ 0)
    assert np.isfinite(m.log_likelihood([x], [tx], [T])).all()
    hi = float(stats.beta(a, b + x).isf(1e-16))
    given_alive = _over_p(
        lambda p: (-math.expm1((r + x) * (math.log(alpha + T) - math.log(alpha + T + p * t))) / p
                   if p else (r + x) * t / (alpha + T)),
        a, b + x, hi, epsrel=1e-8)
    got = m.expected_purchases(t, [x], [tx], [T])[0]
    alive = m.prob_alive([x], [tx], [T])[0]
    assert np.isfinite(got) and 0 < alive <= 1
    assert got == pytest.approx(alive * given_alive, rel=1e-6)


def test_bgnbd_fit_survives_huge_frequencies():
    data = simulate_bgnbd(2.0, 0.01, 2.0, 20_000.0, T=np.full(500, 100.0), random_state=3)
    assert data["frequency"].max() > 5_000
    m = BetaGeoModel().fit(data["frequency"], data["recency"], data["T"])
    assert m.converged_ and np.isfinite(m.log_likelihood_)
    assert np.isfinite(m.expected_purchases(100.0, data["frequency"], data["recency"],
                                            data["T"])).all()


def test_bgnbd_gradient_matches_finite_differences(cdnow):
    x, tx, T = (cdnow[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    xu, xinv = np.unique(x, return_inverse=True)
    w = np.ones(len(x))
    theta = np.array([0.3, 5.0, 0.9, 2.0])
    _, g = clv._bgnbd_loglik(theta, xu, xinv, tx, T, w)
    num = optimize.approx_fprime(theta, lambda th: clv._bgnbd_loglik(th, xu, xinv, tx, T, w)[0],
                                 1e-7)
    np.testing.assert_allclose(g, num, rtol=1e-4)


def test_gamma_gamma_gradient_matches_finite_differences(cdnow):
    rep = cdnow[cdnow["frequency"] > 0]
    x, m = rep["frequency"].to_numpy(float), rep["monetary_value"].to_numpy(float)
    theta = np.array([5.0, 3.0, 12.0])
    _, g = clv._gg_loglik(theta, x, m)
    num = optimize.approx_fprime(theta, lambda th: clv._gg_loglik(th, x, m)[0], 1e-6)
    np.testing.assert_allclose(g, num, rtol=1e-4)


# --------------------------------------------------------------------------- simulation
def _simulate_events(params, T, horizon, rng):
    """Event-by-event BG/NBD: exponential gaps, a coin with probability p after each repeat
    purchase; returns (x, t_x) in [0, T] and the purchases in (T, T + horizon]."""
    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))
    n = len(T)
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    x = np.zeros(n, int)
    tx = np.zeros(n)
    future = np.zeros(n, int)
    now = np.zeros(n)
    active = np.ones(n, bool)
    while active.any():
        idx = np.flatnonzero(active)
        now[idx] += rng.exponential(1 / lam[idx])
        in_cal = now[idx] <= T[idx]
        in_hold = ~in_cal & (now[idx] <= T[idx] + horizon)
        x[idx[in_cal]] += 1
        tx[idx[in_cal]] = now[idx[in_cal]]
        future[idx[in_hold]] += 1
        dies = rng.random(len(idx)) < p[idx]
        active[idx[~(in_cal | in_hold) | dies]] = False
    return x, tx, future


def test_simulate_bgnbd_matches_event_simulation():
    params = {"r": 0.5, "alpha": 6.0, "a": 0.9, "b": 2.0}
    T = np.random.default_rng(0).uniform(20, 60, 40_000)
    x1, tx1, _ = _simulate_events(params, T, 0.0, np.random.default_rng(1))
    fast = simulate_bgnbd(*params.values(), T=T, random_state=2)
    x2, tx2 = fast["frequency"].to_numpy(), fast["recency"].to_numpy()
    se = np.sqrt(x1.var() / len(T) + x2.var() / len(T))
    assert abs(x1.mean() - x2.mean()) < 4 * se
    assert abs((x1 == 0).mean() - (x2 == 0).mean()) < 4 * np.sqrt(0.5 / len(T))
    se_t = np.sqrt(tx1.var() / len(T) + tx2.var() / len(T))
    assert abs(tx1.mean() - tx2.mean()) < 4 * se_t
    assert stats.ks_2samp(tx1[x1 > 0] / T[x1 > 0], tx2[x2 > 0] / T[x2 > 0]).pvalue > 1e-3


def _standard_errors(model, x, tx, T):
    """Standard errors from the observed information (finite differences of the gradient)."""
    xu, xinv = np.unique(x, return_inverse=True)
    w = np.ones(len(x))
    theta = np.array([model.params_[k] for k in ("r", "alpha", "a", "b")])

    def grad(th):
        return clv._bgnbd_loglik(th, xu, xinv, tx, T, w)[1]
    h = 1e-5 * theta
    hess = np.column_stack([(grad(theta + e) - grad(theta - e)) / (2 * e.sum())
                            for e in np.diag(h)])
    return theta, np.sqrt(np.diag(np.linalg.inv(-(hess + hess.T) / 2)))


def test_bgnbd_recovers_known_parameters():
    """Simulate 20,000 customers event by event from known parameters; the fit lands within
    4 standard errors of the truth for each parameter."""
    truth = {"r": 0.4, "alpha": 5.0, "a": 0.8, "b": 2.5}
    rng = np.random.default_rng(11)
    T = rng.uniform(26, 52, 20_000)
    x, tx, _ = _simulate_events(truth, T, 0.0, rng)
    m = BetaGeoModel().fit(x, tx, T)
    theta, se = _standard_errors(m, x.astype(float), tx, T)
    z = (theta - np.array(list(truth.values()))) / se
    assert np.all(np.abs(z) < 4), dict(zip(truth, z, strict=True))


def test_bgnbd_expected_purchases_match_simulated_future():
    """With the true parameters, predicted holdout purchases match simulated ones: in total
    and for each calibration frequency group (the calibration/holdout table)."""
    params = {"r": 0.4, "alpha": 5.0, "a": 0.8, "b": 2.5}
    rng = np.random.default_rng(12)
    T = rng.uniform(26, 52, 60_000)
    x, tx, future = _simulate_events(params, T, 39.0, rng)
    pred = _bg(params).expected_purchases(39.0, x, tx, T)
    assert abs(pred.sum() - future.sum()) < 4 * np.sqrt(future.var() * len(T))
    for k in (0, 1, 2, 3):
        g = x == k
        se = future[g].std() / np.sqrt(g.sum())
        assert abs(pred[g].mean() - future[g].mean()) < 4 * se, k


def test_gamma_gamma_recovers_known_parameters():
    rng = np.random.default_rng(3)
    p, q, g = 6.0, 4.0, 15.0
    x = rng.integers(1, 10, 30_000)
    nu = rng.gamma(q, 1 / g, len(x))
    means = np.array([rng.gamma(p, 1 / v, k).mean() for v, k in zip(nu, x, strict=True)])
    gg = GammaGammaModel().fit(x, means)
    assert gg.params_["p"] == pytest.approx(p, rel=0.1)
    assert gg.params_["q"] == pytest.approx(q, rel=0.1)
    assert gg.params_["gamma"] == pytest.approx(g, rel=0.15)


def test_gamma_gamma_expected_spend_hand_case():
    gg = GammaGammaModel()
    gg.params_ = {"p": 6.25, "q": 3.74, "gamma": 15.44}
    pop = 6.25 * 15.44 / 2.74
    # no repeat purchase -> the population mean p gamma / (q - 1)
    assert gg.expected_spend([0], [0.0])[0] == pytest.approx(pop)
    # x = 2, m = 22.35: weight on own mean = p x / (p x + q - 1) = 12.5 / 15.24
    w = 12.5 / 15.24
    assert gg.expected_spend([2], [22.35])[0] == pytest.approx(w * 22.35 + (1 - w) * pop)
    gg.params_ = {"p": 2.0, "q": 0.9, "gamma": 10.0}
    with pytest.raises(ValueError, match="q is 0.9"):
        gg.expected_spend([1], [10.0])


# --------------------------------------------------------------------------- CLV
def _fitted(n=2000, seed=0):
    data = simulate_bgnbd(0.3, 4.0, 0.8, 2.5, T=np.full(n, 39.0), random_state=seed)
    rng = np.random.default_rng(seed)
    spend = clv._simulate_spend(6.0, 4.0, 15.0, data["frequency"].to_numpy(), rng)
    bg = BetaGeoModel().fit(data["frequency"], data["recency"], data["T"])
    gg = GammaGammaModel().fit(data["frequency"], spend)
    return data, spend, bg, gg


def test_clv_hand_computation():
    data, spend, bg, gg = _fitted()
    f, r, T = data["frequency"], data["recency"], data["T"]
    res = customer_lifetime_value(bg, gg, f, r, T, spend, horizon=3, period=4.0,
                                  discount_rate=0.1, margin=0.25)
    cum = [np.zeros(len(f))] + [bg.expected_purchases(4.0 * k, f, r, T) for k in (1, 2, 3)]
    want = 0.25 * gg.expected_spend(f, spend) * sum(
        (cum[k] - cum[k - 1]) / 1.1 ** k for k in (1, 2, 3))
    np.testing.assert_allclose(res.per_customer["clv"], want, rtol=1e-10)
    assert res.estimate == pytest.approx(want.sum())
    assert math.isnan(res.ci_low) and res.n_boot == 0
    # no discounting, margin 1: spend x expected purchases over the whole horizon
    res0 = customer_lifetime_value(bg, gg, f, r, T, spend, horizon=1, period=12.0)
    np.testing.assert_allclose(res0.per_customer["clv"],
                               gg.expected_spend(f, spend) * bg.expected_purchases(12.0, f, r, T))
    assert res0.per_customer.index.equals(data.index)


def test_clv_bootstrap_interval():
    data, spend, bg, gg = _fitted(n=1000)
    args = (bg, gg, data["frequency"], data["recency"], data["T"], spend)
    kw = dict(horizon=6, period=8.0, discount_rate=0.02, margin=0.3, n_boot=20, random_state=4)
    res = customer_lifetime_value(*args, **kw)
    again = customer_lifetime_value(*args, **kw)
    assert res.ci_low < res.estimate < res.ci_high
    assert (res.ci_low, res.ci_high) == (again.ci_low, again.ci_high)
    pc = res.per_customer
    assert (pc["clv_low"] <= pc["clv"] * 1.0000001).mean() > 0.95
    assert (pc["clv_high"] >= pc["clv"] * 0.9999999).mean() > 0.95
    # the interval shrinks with more data (parameter uncertainty ~ 1/sqrt(n))
    data4, spend4, bg4, gg4 = _fitted(n=4000, seed=1)
    big = customer_lifetime_value(bg4, gg4, data4["frequency"], data4["recency"], data4["T"],
                                  spend4, **kw)
    assert (big.ci_high - big.ci_low) / big.estimate < (res.ci_high - res.ci_low) / res.estimate
    assert "estimate" in res.summary().index and "boot_estimates" not in res.summary().index
    assert len(res.boot_estimates) == 20 - res.n_boot_failed
    assert res.ci_low == pytest.approx(np.quantile(res.boot_estimates, 0.025))


# --------------------------------------------------------------------------- estimator API, errors
def test_unfitted_and_clone():
    for est in (BetaGeoModel(), GammaGammaModel(), ShiftedBetaGeoModel()):
        assert clone(est).get_params() == est.get_params()
    with pytest.raises(NotFittedError):
        BetaGeoModel().prob_alive([1], [1.0], [2.0])
    with pytest.raises(NotFittedError):
        ShiftedBetaGeoModel().survival([1])


def test_failed_convergence_is_reported():
    data = simulate_bgnbd(0.3, 4.0, 0.8, 2.5, T=np.full(300, 39.0), random_state=0)
    with pytest.warns(ConvergenceWarning, match="BetaGeoModel did not converge"):
        m = BetaGeoModel(max_iter=2).fit(data["frequency"], data["recency"], data["T"])
    assert m.converged_ is False
    with pytest.warns(ConvergenceWarning, match="ShiftedBetaGeoModel did not converge"):
        ShiftedBetaGeoModel(max_iter=1).fit(REGULAR[:8])


def test_no_warning_when_converged(cdnow):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        BetaGeoModel().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
        GammaGammaModel().fit(cdnow["frequency"], cdnow["monetary_value"])


@pytest.mark.parametrize(("f", "r", "T", "match"), [
    ([1, 2], [-1.0, 3.0], [5.0, 5.0], "recency must hold values >= 0"),
    ([1, 2], [6.0, 3.0], [5.0, 5.0], "recency must be <= T"),
    ([1.5, 2], [1.0, 3.0], [5.0, 5.0], "whole numbers"),
    ([0, 2], [1.0, 3.0], [5.0, 5.0], "recency must be 0 when frequency is 0"),
    ([], [], [], "at least 1"),
    ([0, 0, 0], [0.0, 0.0, 0.0], [5.0, 6.0, 7.0], "all one-time buyers"),
])
def test_bgnbd_bad_data_is_refused_clearly(f, r, T, match):
    with pytest.raises(ValueError, match=match):
        BetaGeoModel().fit(f, r, T)


def test_sbg_bad_counts_are_refused_clearly():
    with pytest.raises(ValueError, match="never increase"):
        ShiftedBetaGeoModel().fit([100, 80, 90])
    with pytest.raises(ValueError, match="nobody churned"):
        ShiftedBetaGeoModel().fit([100, 100, 100])
    with pytest.raises(ValueError, match="whole numbers"):
        ShiftedBetaGeoModel().fit([100, 80.5])
    with pytest.raises(ValueError, match="everyone churned"):
        ShiftedBetaGeoModel().fit([100, 0, 0])


def test_bgnbd_fit_on_repeated_rows_is_consistent(cdnow, cdnow_bg):
    """Identical customers are fitted once with a weight: doubling the table doubles the
    log-likelihood and leaves the estimates unchanged."""
    twice = pd.concat([cdnow, cdnow])
    m = BetaGeoModel().fit(twice["frequency"], twice["recency"], twice["T"])
    assert m.params_ == pytest.approx(cdnow_bg.params_, rel=1e-5)
    assert m.log_likelihood_ == pytest.approx(2 * cdnow_bg.log_likelihood_, rel=1e-9)
    assert m.n_customers_ == 2 * 2357


def test_holdout_by_frequency_on_cdnow(cdnow, cdnow_bg):
    table = clv.holdout_by_frequency(cdnow_bg, cdnow, max_frequency=7)
    assert list(table.index) == list(range(8))
    assert table["customers"].sum() == 2357 and table.loc[0, "customers"] == 2357 - 946
    g = cdnow[cdnow["frequency"] == 2]
    assert table.loc[2, "actual"] == pytest.approx(g["frequency_holdout"].mean())
    want = cdnow_bg.expected_purchases(39.0, g["frequency"], g["recency"], g["T"]).mean()
    assert table.loc[2, "predicted"] == pytest.approx(want)
    top = cdnow[cdnow["frequency"] >= 7]
    assert table.loc[7, "customers"] == len(top)
    assert table.loc[7, "actual"] == pytest.approx(top["frequency_holdout"].mean())
    # more calibration purchases -> more predicted holdout purchases, as in the data
    assert table["predicted"].is_monotonic_increasing and table["actual"].iloc[-1] > table["actual"].iloc[0]
