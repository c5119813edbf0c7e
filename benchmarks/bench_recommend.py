"""Benchmark: recommenders on 50,000 users x 5,000 items with ~1,000,000 interactions.

Budget (DESIGN §7, issue 6): fit + top-10 for every user in <= 30 s and <= 2 GB peak.
The synthetic matrix is built with NumPy only (not the lesson generator): users belong to
one of 100 taste groups, each with a preferred block of items, and buy a mix of
group items and globally popular (Zipf) items.

Run: ``.venv/bin/python benchmarks/bench_recommend.py``
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc

import numpy as np
import scipy.sparse as sp

N_USERS, N_ITEMS, N_INTERACTIONS, SEED = 50_000, 5_000, 1_000_000, 0


def synthetic_interactions(n_users: int = N_USERS, n_items: int = N_ITEMS,
                           n_interactions: int = N_INTERACTIONS, seed: int = SEED) -> sp.csr_matrix:
    """A 0/1 users x items CSR matrix with about ``n_interactions`` stored ones."""
    rng = np.random.default_rng(seed)
    n_groups = 100
    draws = int(n_interactions * 1.25)  # a few draws repeat a (user, item) pair
    activity = rng.lognormal(0.0, 0.8, n_users)
    users = rng.choice(n_users, size=draws, p=activity / activity.sum())
    group = users % n_groups
    popular = rng.zipf(1.3, size=draws) % n_items
    block = n_items // n_groups
    in_group = (group * block + rng.integers(0, 3 * block, size=draws)) % n_items
    items = np.where(rng.random(draws) < 0.5, in_group, popular)
    X = sp.csr_matrix((np.ones(draws), (users, items)), shape=(n_users, n_items))
    X.sum_duplicates()
    X.data[:] = 1.0
    return X


def _run(name: str, make, X: sp.csr_matrix, users: np.ndarray) -> dict:
    tracemalloc.start()
    t0 = time.perf_counter()
    rec = make().fit(X)
    t_fit = time.perf_counter() - t0
    recs = rec.recommend(users, k=10)
    total = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(recs) == 10 * len(users), "every user gets 10 recommendations"
    return dict(name=name, fit_s=t_fit, total_s=total, peak_mb=peak / 2**20, rows=len(recs))


def main() -> int:
    from mkt_lessons import recommend as R

    t0 = time.perf_counter()
    X = synthetic_interactions()
    print(f"synthetic matrix: {X.shape[0]:,} users x {X.shape[1]:,} items, "
          f"{X.nnz:,} interactions (density {X.nnz / (X.shape[0] * X.shape[1]):.2%}), "
          f"built in {time.perf_counter() - t0:.1f} s")
    users = np.arange(X.shape[0])
    results = [
        _run("PopularityRecommender", R.PopularityRecommender, X, users),
        _run("ItemKNNRecommender(k_neighbors=50)", lambda: R.ItemKNNRecommender(50), X, users),
    ]
    print(f"{'recommender':38s} {'fit s':>7s} {'fit+top-10 s':>13s} {'peak MB (tracemalloc)':>22s}")
    for r in results:
        print(f"{r['name']:38s} {r['fit_s']:7.2f} {r['total_s']:13.2f} {r['peak_mb']:22.0f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mb = rss / 2**20 if sys.platform == "darwin" else rss / 2**10  # bytes on macOS, KiB on Linux
    print(f"process peak RSS (ru_maxrss, whole run): {rss_mb:,.0f} MB")
    ok = all(r["total_s"] <= 30 for r in results) and rss_mb <= 2048
    print("budget (<= 30 s, <= 2 GB):", "met" if ok else "NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
