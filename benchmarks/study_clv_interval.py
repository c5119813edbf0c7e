"""Study: does the parametric-bootstrap interval of customer_lifetime_value cover the truth?

Simulates ``N_REP`` customer bases of ``N`` customers from known BG/NBD and Gamma-Gamma
parameters, fits both models, computes the bootstrap interval of the total expected CLV and
checks whether it contains the total computed with the *true* parameters for the same
customers (the quantity the interval is for). Prints the coverage of the percentile and the
basic bootstrap intervals. Slow (about 10 s per replicate on a busy 2-core machine); not run
by ``benchmarks/run.py``. Usage: ``python benchmarks/study_clv_interval.py [n_rep n_boot n]``.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np

from mkt_lessons import clv

TRUE_BG = {"r": 0.3, "alpha": 4.0, "a": 0.8, "b": 2.5}
TRUE_GG = {"p": 6.0, "q": 4.0, "gamma": 15.0}
SETTINGS = dict(horizon=6, period=8.0, discount_rate=0.02, margin=0.3)


def main(n_rep: int = 60, n_boot: int = 100, n: int = 1500) -> None:
    hits_pct = hits_basic = 0
    for rep in range(n_rep):
        rng = np.random.default_rng(1000 + rep)
        d = clv.simulate_bgnbd(*TRUE_BG.values(), T=rng.uniform(13, 52, n), random_state=rng)
        x = d["frequency"].to_numpy()
        m = clv._simulate_spend(*TRUE_GG.values(), x, rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bg = clv.BetaGeoModel().fit(x, d["recency"], d["T"])
            gg = clv.GammaGammaModel().fit(x, m)
            res = clv.customer_lifetime_value(bg, gg, x, d["recency"], d["T"], m, n_boot=n_boot,
                                              random_state=rep, **SETTINGS)
        true_bg, true_gg = clv.BetaGeoModel(), clv.GammaGammaModel()
        true_bg.params_, true_gg.params_ = dict(TRUE_BG), dict(TRUE_GG)
        truth = clv.customer_lifetime_value(true_bg, true_gg, x, d["recency"], d["T"], m,
                                            **SETTINGS).estimate
        lo, hi = np.quantile(res.boot_estimates, [0.025, 0.975])
        hits_pct += lo <= truth <= hi
        hits_basic += 2 * res.estimate - hi <= truth <= 2 * res.estimate - lo
    print(f"coverage of the nominal 95% interval over {n_rep} replicates (n_boot={n_boot}, "
          f"{n:,} customers): percentile {hits_pct / n_rep:.3f}, basic {hits_basic / n_rep:.3f}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
