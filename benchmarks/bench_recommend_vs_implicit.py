"""Item-kNN fit + top-10 for every user: mkt_lessons vs ``implicit.CosineRecommender`` (issue 14).

``implicit`` is not a dependency: install it in a throwaway environment to run this
(``pip install implicit``); without it the benchmark says so and stops. Both use 20
neighbours, one BLAS thread, exclude already-bought items; best of three runs. Matrices:
MovieLens 100k (ratings >= 4; read from the RecBole wheel if installed, see
tests/test_recommend_real_data.py) and the 50k x 5k synthetic matrix of bench_recommend.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import numpy as np


def _best(f, reps: int = 3) -> float:
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def _matrices():
    import pandas as pd

    from mkt_lessons import recommend as R

    spec = importlib.util.find_spec("recbole")
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / "dataset_example" / "ml-100k" / "ml-100k.inter"
        if path.exists():
            raw = pd.read_csv(path, sep="\t")
            raw.columns = ["customer_id", "product_id", "rating", "timestamp"]
            yield "MovieLens 100k, ratings >= 4", R.interaction_matrix(raw[raw["rating"] >= 4])[0]
    spec = importlib.util.spec_from_file_location(
        "bench_recommend", Path(__file__).resolve().parent / "bench_recommend.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    yield "synthetic 50k x 5k", bench.synthetic_interactions()


def main() -> int:
    if importlib.util.find_spec("implicit") is None:
        print("implicit is not installed: nothing to compare (pip install implicit in a scratch venv)")
        return 0
    from implicit.nearest_neighbours import CosineRecommender
    from threadpoolctl import threadpool_limits

    from mkt_lessons import recommend as R

    for name, X in _matrices():
        users = np.arange(X.shape[0])

        def ours(X=X, users=users):
            R.ItemKNNRecommender(k_neighbors=20).fit(X).recommend(users, k=10)

        def theirs(X=X, users=users):
            model = CosineRecommender(K=20)
            model.fit(X, show_progress=False)
            model.recommend(users, X[users], N=10, filter_already_liked_items=True)

        with threadpool_limits(1):
            a, b = _best(ours), _best(theirs)
        print(f"{name}: {X.shape[0]:,} x {X.shape[1]:,}, {X.nnz:,} interactions: "
              f"mkt_lessons {a:.2f} s, implicit {b:.2f} s, ratio {a / b:.2f} (target <= 2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
