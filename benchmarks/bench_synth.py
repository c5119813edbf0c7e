"""Generator speed: the default data (budget <= 10 s) and 100,000 customers (reported)."""

from __future__ import annotations

import resource
import tempfile
import time

from mkt_lessons import synth


def _run(n_customers: int) -> None:
    t0 = time.perf_counter()
    store = synth.generate(n_customers=n_customers)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        files = synth.write(store, tmp)
        size = sum(f.stat().st_size for f in files)
    t2 = time.perf_counter()
    s = store.truth.params["sizes"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"n_customers={n_customers:>7,}: generate {t1 - t0:5.1f} s + write {t2 - t1:5.1f} s; "
          f"{s['order_lines']:,} order lines, {size / 1e6:.1f} MB; peak RSS so far {peak_mb:,.0f} MB")


def main() -> None:
    _run(synth.DEFAULT_N_CUSTOMERS)
    _run(100_000)


if __name__ == "__main__":
    main()
