"""Benchmark: rfm_table and customer_features on 1,000,000 synthetic order lines.

The lines are generated here with NumPy (not with mkt_lessons.synth): 100,000 customers,
~400,000 orders of 1-5 lines over two years, 2,000 products in 8 categories. Prints wall
time (best of 3) and peak traced memory (tracemalloc) of each call. Budget (DESIGN §7):
rfm_table <= 1 s. Run with `python benchmarks/bench_features.py` or `make bench`.
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pandas as pd

from mkt_lessons.features import customer_features, rfm_table

N_LINES = 1_000_000
N_CUSTOMERS = 100_000
N_PRODUCTS = 2_000
SNAPSHOT = "2024-07-04"


def make_lines(n_lines: int = N_LINES, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic order lines (orders.csv schema) and a products table, deterministic."""
    rng = np.random.default_rng(seed)
    n_orders = n_lines * 2 // 5
    lines_per_order = 1 + rng.poisson(1.5, n_orders)
    lines_per_order = lines_per_order[np.cumsum(lines_per_order) <= n_lines]
    lines_per_order = np.r_[lines_per_order, n_lines - lines_per_order.sum()]
    lines_per_order = lines_per_order[lines_per_order > 0]
    n_orders = len(lines_per_order)
    order_cust = rng.integers(0, N_CUSTOMERS, n_orders)
    order_day = rng.integers(0, 731, n_orders)
    idx = np.repeat(np.arange(n_orders), lines_per_order)
    prod = rng.integers(0, N_PRODUCTS, n_lines)
    price = np.round(rng.lognormal(3.5, 0.8, N_PRODUCTS), 2)
    qty = 1 + rng.poisson(0.3, n_lines)
    disc = rng.choice([0.0, 0.1, 0.2], n_lines, p=[0.7, 0.2, 0.1])
    orders = pd.DataFrame({
        "order_id": pd.Series([f"O{k:07d}" for k in range(n_orders)], dtype="str").to_numpy()[idx],
        "order_date": (np.datetime64("2023-01-01") + order_day[idx]).astype("datetime64[us]"),
        "customer_id": pd.Series([f"C{k:06d}" for k in range(N_CUSTOMERS)], dtype="str").to_numpy()[order_cust[idx]],
        "product_id": pd.Series([f"P{k:05d}" for k in range(N_PRODUCTS)], dtype="str").to_numpy()[prod],
        "quantity": qty,
        "unit_price": price[prod],
        "discount": disc,
        "revenue": np.round(qty * price[prod] * (1 - disc), 2),
    })
    cats = np.array(["kitchen", "bedding", "bath", "lighting", "decor", "furniture", "garden", "storage"])
    products = pd.DataFrame({"product_id": [f"P{k:05d}" for k in range(N_PRODUCTS)],
                             "category": cats[rng.integers(0, len(cats), N_PRODUCTS)]})
    return orders, products


def _measure(fn, repeat: int = 3) -> tuple[float, float]:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 2**20


def main() -> dict[str, tuple[float, float]]:
    orders, products = make_lines()
    print(f"bench_features: {len(orders):,} order lines, {orders['customer_id'].nunique():,} "
          f"customers, {orders['order_id'].nunique():,} orders")
    results = {
        "rfm_table": _measure(lambda: rfm_table(orders, SNAPSHOT)),
        "customer_features": _measure(lambda: customer_features(orders, SNAPSHOT)),
        "customer_features+categories": _measure(
            lambda: customer_features(orders, SNAPSHOT, products=products)),
    }
    for name, (secs, mib) in results.items():
        print(f"  {name:30s} {secs:6.3f} s (best of 3)   peak traced memory {mib:7.1f} MiB")
    secs = results["rfm_table"][0]
    print(f"  rfm_table budget 1.0 s: {'met' if secs <= 1.0 else 'NOT MET'}")
    return results


if __name__ == "__main__":
    main()
