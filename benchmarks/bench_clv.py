"""Benchmark: fitting the BG/NBD model on 500,000 simulated customers.

The customers are simulated with :func:`mkt_lessons.clv.simulate_bgnbd` from the CDNOW
estimates (r=0.243, alpha=4.414, a=0.793, b=2.426) with T uniform on 13-52 weeks. Prints
the wall time of ``BetaGeoModel().fit`` (best of 3), the iterations and the estimates.
Budget (DESIGN §7): at least 2x faster than ``lifetimes.BetaGeoFitter`` on the same table.

``lifetimes`` is not a dependency (it is archived and does not install with current pandas).
To compare, install it into a throwaway environment and point ``LIFETIMES_PYTHON`` at its
interpreter, e.g.::

    python3 -m venv /tmp/ltvenv
    /tmp/ltvenv/bin/pip install lifetimes "pandas<2" "numpy<2" "scipy<1.14" setuptools
    LIFETIMES_PYTHON=/tmp/ltvenv/bin/python python benchmarks/bench_clv.py

The same table is then written to a temporary .npz file and fitted there (best of 3).
Run with `python benchmarks/bench_clv.py` or `python benchmarks/run.py clv`.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from mkt_lessons.clv import BetaGeoModel, simulate_bgnbd

N_CUSTOMERS = 500_000
PARAMS = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}

_LIFETIMES_SCRIPT = """
import sys, time, numpy as np
from lifetimes import BetaGeoFitter
d = np.load(sys.argv[1])
best = float("inf")
for _ in range(int(sys.argv[2])):
    t0 = time.perf_counter()
    m = BetaGeoFitter().fit(d["frequency"], d["recency"], d["T"])
    best = min(best, time.perf_counter() - t0)
p = m.params_
print(best, p["r"], p["alpha"], p["a"], p["b"])
"""


def make_table(n: int = N_CUSTOMERS, seed: int = 0):
    T = np.round(np.random.default_rng(seed).uniform(13.0, 52.0, n), 2)
    return simulate_bgnbd(*PARAMS.values(), T=T, random_state=seed + 1)


def time_ours(data, repeat: int = 3) -> tuple[float, BetaGeoModel]:
    best, model = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        model = BetaGeoModel().fit(data["frequency"], data["recency"], data["T"])
        best = min(best, time.perf_counter() - t0)
    return best, model


def time_lifetimes(data, python: str, repeat: int = 3) -> tuple[float, list[float]] | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rfm.npz"
        np.savez(path, frequency=data["frequency"].to_numpy(), recency=data["recency"].to_numpy(),
                 T=data["T"].to_numpy())
        out = subprocess.run([python, "-c", _LIFETIMES_SCRIPT, str(path), str(repeat)],
                             capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print(f"lifetimes run failed:\n{out.stderr[-2000:]}")
        return None
    values = [float(v) for v in out.stdout.split()[-5:]]
    return values[0], values[1:]


def main() -> None:
    t0 = time.perf_counter()
    data = make_table()
    print(f"simulated {len(data):,} customers in {time.perf_counter() - t0:.2f} s "
          f"({(data['frequency'] > 0).mean():.0%} with repeat purchases, "
          f"max frequency {data['frequency'].max()})")
    seconds, model = time_ours(data)
    est = ", ".join(f"{k}={v:.4f}" for k, v in model.params_.items())
    print(f"mkt_lessons BetaGeoModel.fit: {seconds:.2f} s (best of 3), {model.n_iter_} iterations, "
          f"converged={model.converged_}; {est}; LL={model.log_likelihood_:.1f}")
    python = os.environ.get("LIFETIMES_PYTHON")
    if not python:
        print("lifetimes: not compared (set LIFETIMES_PYTHON to an interpreter that has it)")
        return
    result = time_lifetimes(data, python)
    if result is not None:
        lt_seconds, lt_params = result
        lt_est = ", ".join(f"{k}={v:.4f}" for k, v in zip(PARAMS, lt_params, strict=True))
        print(f"lifetimes BetaGeoFitter.fit: {lt_seconds:.2f} s (best of 3); {lt_est}")
        print(f"speed ratio lifetimes / mkt_lessons: {lt_seconds / seconds:.1f}x (budget >= 2x)")


if __name__ == "__main__":
    main()
