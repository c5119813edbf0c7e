"""Generator speed: the default data (budget <= 10 s) and 100,000 customers (reported).

Version 2 (issue 15: retention test, media response, reviews, 2025) is measured at the
default size too. Larger runs: ``python benchmarks/bench_synth.py 200000 2`` (n_customers,
version); peak RSS is the process's maximum so far.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time

from mkt_lessons import synth


def _run(n_customers: int, version: int = 1) -> None:
    t0 = time.perf_counter()
    store = synth.generate(n_customers=n_customers, version=version)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        files = synth.write(store, tmp)
        size = sum(f.stat().st_size for f in files)
    t2 = time.perf_counter()
    s = store.truth.params["sizes"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"v{version} n_customers={n_customers:>9,}: generate {t1 - t0:6.1f} s + write {t2 - t1:5.1f} s; "
          f"{s['order_lines']:,} order lines, {len(files)} files, {size / 1e6:.1f} MB; "
          f"peak RSS so far {peak_mb:,.0f} MB")


def main() -> None:
    _run(synth.DEFAULT_N_CUSTOMERS)
    _run(synth.DEFAULT_N_CUSTOMERS, version=2)
    _run(100_000)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        _run(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    else:
        main()
