"""Benchmark: the feature pipeline in pandas vs Spark (local[2]) at 1M, 10M and 30M order lines.

The pipeline is what lesson 15 runs: read the order lines from Parquet, compute the core
customer features and the churn labels at a cut-off, and materialise both (pandas: in
memory; Spark: ``write.format("noop")``, which runs every stage and writes nothing).
Each engine and size runs in its own process, so its peak memory is its own: the peak
resident memory of that process and its children (Spark's JVM), sampled every 0.1 s.
Wall time includes reading the Parquet file and, for Spark, starting the session (reported
separately too: it is a fixed cost).

The order lines are generated with NumPy (as in bench_features.py; the shop generator is
too slow at tens of millions of lines): one customer per 10 lines, orders of 1-5 lines
over 2023-2024, 2,000 products. They are cached as Parquet under the temp directory.

A second part checks equality at scale: the shop of ``synth.generate(n_customers=100_000)``
(about 1.1 million lines), Spark vs pandas for rfm_table, customer_features and
churn_labels (ids, counts and days exact, money to the cent).

Spark runs with the JVM's optimising compiler (``spark_session(fast_start=False)``); add
``--engines pandas,spark,spark-fast`` to compare with the session's short-job default.

Needs the [spark] extra. Run: python benchmarks/bench_scale.py [--sizes 1e6,1e7,3e7]
[--engines pandas,spark] [--no-equality]   or   make bench.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

CUTOFF = "2024-07-04"
HORIZON = 90
DATA_DIR = Path(tempfile.gettempdir()) / "mkt-lessons-bench"


# --------------------------------------------------------------------------- data
def make_lines(n_lines: int, seed: int = 0) -> pd.DataFrame:
    """Deterministic order lines in the orders.csv layout."""
    rng = np.random.default_rng(seed)
    n_customers = max(n_lines // 10, 100)
    n_products = 2_000
    n_orders = n_lines * 2 // 5
    per_order = 1 + rng.poisson(1.5, n_orders)
    per_order = per_order[np.cumsum(per_order) <= n_lines]
    per_order = np.r_[per_order, n_lines - per_order.sum()]
    per_order = per_order[per_order > 0]
    n_orders = len(per_order)
    idx = np.repeat(np.arange(n_orders), per_order)
    cust = rng.integers(0, n_customers, n_orders)[idx]
    day = rng.integers(0, 731, n_orders)[idx]
    prod = rng.integers(0, n_products, n_lines)
    price = np.round(rng.lognormal(3.5, 0.8, n_products), 2)
    qty = 1 + rng.poisson(0.3, n_lines)
    disc = rng.choice([0.0, 0.1, 0.2], n_lines, p=[0.7, 0.2, 0.1])

    def ids(prefix: str, codes: np.ndarray, width: int) -> np.ndarray:
        return np.char.add(prefix, np.char.zfill(codes.astype(str), width)).astype(object)

    return pd.DataFrame({
        "order_id": ids("O", idx, 9),
        "order_date": (np.datetime64("2023-01-01") + day).astype("datetime64[us]"),
        "customer_id": ids("C", cust, 8),
        "product_id": ids("P", prod, 5),
        "quantity": qty,
        "unit_price": price[prod],
        "discount": disc,
        "revenue": np.round(qty * price[prod] * (1 - disc), 2),
    })


def parquet_for(n_lines: int) -> Path:
    path = DATA_DIR / f"lines_{n_lines}.parquet"
    if not path.exists():
        DATA_DIR.mkdir(exist_ok=True)
        tmp = path.with_suffix(".tmp")
        make_lines(n_lines).to_parquet(tmp, index=False, row_group_size=1_000_000)
        tmp.rename(path)
    return path


# --------------------------------------------------------------------------- measuring
class PeakRSS:
    """Peak resident memory (MiB) of this process and all its children, sampled."""

    def __init__(self, every: float = 0.1):
        import psutil

        self.proc, self.every, self.peak, self._stop = psutil.Process(), every, 0, False

    def _sample(self):
        import psutil

        while not self._stop:
            total = 0
            for p in [self.proc, *self.proc.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(self.every)

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop = True
        self._thread.join()


def run_one(engine: str, n_lines: int) -> dict:
    """One engine, one size, in this process: seconds and peak MiB."""
    from mkt_lessons import features, scale

    path = parquet_for(n_lines)
    out: dict = {"engine": engine, "lines": n_lines}
    with PeakRSS() as mem:
        t0 = time.perf_counter()
        if engine == "pandas":
            orders = pd.read_parquet(path)
            feats = features.customer_features(orders, CUTOFF)
            labels = features.churn_labels(orders, CUTOFF, HORIZON)
            out["customers"] = len(feats)
            assert len(labels) == len(feats)
        else:
            memory = "2g" if n_lines <= 2_000_000 else "8g"
            # "spark": the JVM's optimising compiler and 4 shuffle partitions (as the numbers
            # in the lesson were measured); "spark-fast": spark_session's defaults for short
            # jobs (quick compiler only, one shuffle partition per core)
            opts = {} if engine == "spark-fast" else {"fast_start": False, "shuffle_partitions": 4}
            spark = scale.spark_session(cores=2, memory=memory, **opts)
            out["startup_s"] = time.perf_counter() - t0
            orders = spark.read.parquet(str(path))
            feats = scale.customer_features(orders, CUTOFF)
            labels = scale.churn_labels(orders, CUTOFF, HORIZON)
            feats.join(labels, "customer_id").write.format("noop").mode("overwrite").save()
            spark.stop()
        out["seconds"] = time.perf_counter() - t0
    out["peak_mib"] = mem.peak / 2**20
    return out


def _child(engine: str, n_lines: int) -> dict:
    cmd = [sys.executable, __file__, "--one", engine, str(n_lines)]
    res = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ})
    if res.returncode != 0:
        return {"engine": engine, "lines": n_lines, "error": res.stderr.strip().splitlines()[-1:]}
    return json.loads(res.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- equality
def equality_at_100k() -> None:
    from mkt_lessons import constants as K
    from mkt_lessons import features, scale, synth

    t0 = time.perf_counter()
    orders = synth.generate(seed=2024, n_customers=100_000).orders
    print(f"equality: generated {len(orders):,} lines for 100,000 customers in "
          f"{time.perf_counter() - t0:.0f} s")
    spark = scale.spark_session(cores=2, memory="4g")
    sdf = scale.to_spark(orders, spark)
    checks = {
        "rfm_table": (scale.rfm_table(sdf, K.TRAIN_CUTOFF), features.rfm_table(orders, K.TRAIN_CUTOFF)),
        "customer_features": (scale.customer_features(sdf, K.TRAIN_CUTOFF),
                              features.customer_features(orders, K.TRAIN_CUTOFF)),
        "churn_labels": (scale.churn_labels(sdf, K.TRAIN_CUTOFF),
                         features.churn_labels(orders, K.TRAIN_CUTOFF).to_frame()),
    }
    for name, (s, p) in checks.items():
        got = scale.to_pandas(s)
        ok = got.index.equals(p.index) and list(got.columns) == list(p.columns) \
            and got.dtypes.equals(p.dtypes)
        worst = {}
        for c in p.columns:
            g, w = got[c].to_numpy(), p[c].to_numpy()
            if np.issubdtype(w.dtype, np.integer):
                ok &= bool(np.array_equal(g, w))
            elif c == "monetary":
                ok &= bool(np.array_equal(np.round(g, 2), np.round(w, 2)))
            else:
                ok &= bool(np.array_equal(np.isnan(g), np.isnan(w)))
                diff = np.nanmax(np.abs(g - w) / np.maximum(np.abs(w), 1e-300)) if len(w) else 0
                worst[c] = float(diff)
                ok &= diff <= 1e-12
        rel = max(worst.values(), default=0.0)
        print(f"  {name:<18} {len(p):>7,} customers  equal: {ok}  (max relative diff of ratios {rel:.1e})")
    spark.stop()


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1e6,1e7,3e7")
    ap.add_argument("--no-equality", action="store_true")
    ap.add_argument("--engines", default="pandas,spark",
                    help="any of pandas, spark, spark-fast (spark_session's short-job JVM)")
    ap.add_argument("--one", nargs=2, metavar=("ENGINE", "LINES"))
    args = ap.parse_args(argv if argv is not None else [])
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]))))
        return []
    from mkt_lessons import scale

    if scale.spark_status() is not None:
        print("bench_scale: skipped -", scale.spark_status().splitlines()[0])
        return []
    rows = []
    print("bench_scale: pandas vs Spark local[2], read Parquet + customer_features + churn_labels")
    print(f"{'lines':>12} {'engine':>10} {'seconds':>8} {'peak MiB':>9} {'startup s':>9}")
    for size in (int(float(s)) for s in args.sizes.split(",")):
        parquet_for(size)
        for engine in args.engines.split(","):
            r = _child(engine, size)
            rows.append(r)
            if "error" in r:
                print(f"{size:>12,} {engine:>10} failed: {r['error']}")
                continue
            start = f"{r['startup_s']:9.1f}" if "startup_s" in r else f"{'':>9}"
            print(f"{size:>12,} {engine:>10} {r['seconds']:8.1f} {r['peak_mib']:9.0f} {start}",
                  flush=True)
    ok = [r for r in rows if "error" not in r]
    faster = sorted({r["lines"] for r in ok if r["engine"] == "spark" and any(
        p["lines"] == r["lines"] and p["engine"] == "pandas" and p["seconds"] > r["seconds"]
        for p in ok)})
    print("crossover:", f"Spark faster from {faster[0]:,} lines" if faster
          else "none in the sizes run (pandas faster at every size on this machine)")
    if not args.no_equality:
        equality_at_100k()
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
