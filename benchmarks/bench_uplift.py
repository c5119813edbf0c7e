"""Benchmark and recovery study: lesson 11's uplift learners on a simulated retention test.

A randomised test of 5,000 customers with a treated share of 1/3 (``uplift.simulate_uplift``,
0/1 outcome, heterogeneous true uplift), scored on 20,000 fresh customers. For each learner:
fit + predict time (one thread, best of 3), PEHE against the generator's truth next to the
no-model baseline (the estimated ATE for everyone), and the Qini coefficient on the fresh
customers next to the oracle's (the true uplift as the score). Also: the time of the
curves and of ``qini_auc`` on 1,000,000 customers.

The notebook budget (DESIGN §7: <= 20 s per notebook) is the reason for the timings.
Run with `python benchmarks/bench_uplift.py` or `make bench`.
"""

from __future__ import annotations

import time

import numpy as np

from mkt_lessons import uplift


def _measure(fn, repeats: int = 3):
    best_wall = best_cpu = float("inf")
    out = None
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        best_wall = min(best_wall, time.perf_counter() - w)
        best_cpu = min(best_cpu, time.process_time() - c)
    return best_wall, best_cpu, out


def main() -> dict:
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from threadpoolctl import threadpool_limits

    train = uplift.simulate_uplift(5000, treated_share=1 / 3, seed=1)
    test = uplift.simulate_uplift(20_000, treated_share=1 / 3, seed=2)
    cols = ["x1", "x2", "x3", "x4"]
    X, Xt = train[cols], test[cols]
    ate = uplift.average_treatment_effect(train["y"], train["treatment"])
    base = uplift.pehe(test["true_uplift"], np.full(len(test), ate.estimate))
    q_oracle = uplift.qini_auc(test["y"], test["true_uplift"], test["treatment"])
    print(f"bench_uplift: 5,000 training customers (1/3 treated), 20,000 fresh ones; "
          f"ATE {ate.estimate:.4f} [{ate.ci_low:.4f}, {ate.ci_high:.4f}], "
          f"true {test['true_uplift'].mean():.4f}")
    print(f"  no-model PEHE {base:.4f}; oracle Qini coefficient {q_oracle:.3f}")
    learners = {
        "S-learner (boosting)": uplift.SLearner(random_state=0),
        "T-learner (boosting)": uplift.TLearner(random_state=0),
        "X-learner (boosting)": uplift.XLearner(random_state=0),
        "transformed outcome (boosting)": uplift.TransformedOutcome(random_state=0),
        "T-learner (logistic)": uplift.TLearner(LogisticRegression()),
        "X-learner (logistic + OLS)": uplift.XLearner(LogisticRegression(),
                                                      effect_estimator=LinearRegression()),
        "transformed outcome (OLS)": uplift.TransformedOutcome(LinearRegression()),
    }
    results = {}
    with threadpool_limits(1):
        for name, model in learners.items():
            wall, cpu, tau = _measure(
                lambda m=model: m.fit(X, train["treatment"], train["y"]).predict(Xt))
            results[name] = dict(wall=wall, cpu=cpu,
                                 pehe=uplift.pehe(test["true_uplift"], tau),
                                 qini=uplift.qini_auc(test["y"], tau, test["treatment"]))
            r = results[name]
            print(f"  {name:32s} PEHE {r['pehe']:.4f}  Qini {r['qini']:.3f}  "
                  f"{wall:6.3f} s wall, {cpu:6.3f} s CPU (best of 3)")
        big = uplift.simulate_uplift(1_000_000, treated_share=1 / 3, seed=3)
        wall, cpu, _ = _measure(lambda: uplift.qini_auc(big["y"], big["true_uplift"],
                                                        big["treatment"]))
        print(f"  qini_auc (normalised) on 1,000,000 customers: {wall:.3f} s wall")
        results["qini_auc 1e6"] = dict(wall=wall, cpu=cpu)
    return results


if __name__ == "__main__":
    main()
