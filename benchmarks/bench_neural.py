"""Benchmark: lesson 09's MLP and linear SVM on the churn table (issue 16 budget: MLP <= 5 s).

Builds lesson 08's training table (features and churn labels at the training cut-off, lesson
02's pipeline), then times the fit of ``neural.MLPClassifier`` with the lesson's chosen
settings (one hidden layer of 16 ReLU units, Adam, batch 128, L2 alpha 1, 78 epochs),
scikit-learn's MLP with the same settings for reference, and ``neural.LinearSVM`` (C = 0.01,
2,000 subgradient steps). Prints wall and CPU time, best of 3.
Run with `python benchmarks/bench_neural.py` or `make bench`.
"""

from __future__ import annotations

import time
import warnings

from mkt_lessons import constants, data, features, neural

MLP_SETTINGS = dict(hidden=(16,), alpha=1.0, learning_rate=2e-3, batch_size=128, max_epochs=78,
                    random_state=0)


def _churn_matrix():
    orders, products = data.load_orders(), data.load_products()
    attrs = data.load_customers().set_index("customer_id")[["region", "acquisition_channel"]]
    X = (features.customer_features(orders, constants.TRAIN_CUTOFF, products=products)
         .astype("float64").join(attrs))
    y = features.churn_labels(orders, constants.TRAIN_CUTOFF, constants.CHURN_HORIZON_DAYS)
    numeric = [c for c in X.columns if c not in attrs.columns]
    return features.feature_pipeline(numeric, list(attrs.columns)).fit_transform(X), y


def _measure(fn, repeats: int = 3) -> tuple[float, float]:
    best_wall = best_cpu = float("inf")
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        best_wall = min(best_wall, time.perf_counter() - w)
        best_cpu = min(best_cpu, time.process_time() - c)
    return best_wall, best_cpu


def main() -> dict[str, tuple[float, float]]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier as SklearnMLP
    from threadpoolctl import threadpool_limits

    Z, y = _churn_matrix()
    print(f"bench_neural: churn table {Z.shape[0]:,} customers x {Z.shape[1]} inputs")
    s = MLP_SETTINGS

    def sklearn_fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            SklearnMLP(hidden_layer_sizes=s["hidden"], alpha=s["alpha"],
                       learning_rate_init=s["learning_rate"], batch_size=s["batch_size"],
                       max_iter=s["max_epochs"], random_state=0).fit(Z, y)

    with threadpool_limits(1):
        results = {
            "MLPClassifier (ours)": _measure(lambda: neural.MLPClassifier(**s).fit(Z, y)),
            "MLPClassifier (scikit-learn)": _measure(sklearn_fit),
            "LinearSVM (ours, 2000 steps)": _measure(
                lambda: neural.LinearSVM(C=0.01, max_epochs=2000).fit(Z, y)),
        }
    for name, (wall, cpu) in results.items():
        print(f"  {name:30s} {wall:6.3f} s wall, {cpu:6.3f} s CPU (best of 3)")
    wall = results["MLPClassifier (ours)"][0]
    print(f"  MLP on the churn table budget 5.0 s: {'met' if wall <= 5.0 else 'NOT MET'}")
    return results


if __name__ == "__main__":
    main()
