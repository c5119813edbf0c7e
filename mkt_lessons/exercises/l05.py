"""Lesson 05 (recommendation) exercises."""

from __future__ import annotations

from functools import lru_cache

from mkt_lessons import data
from mkt_lessons import recommend as rec
from mkt_lessons.exercises import (
    FunctionProblem,
    ThoughtProblem,
    ValueProblem,
    collect,
    solutions_printer,
)

CUTOFF = "2024-07-01"  # the notebook's temporal split


@lru_cache(maxsize=1)
def _setup():
    orders, products = data.load_orders(), data.load_products()
    train, test = rec.temporal_split(orders, CUTOFF)
    X, user_ids, item_ids = rec.interaction_matrix(train, items=products["product_id"])
    return orders, products, train, test, X, user_ids, item_ids


def namespace() -> dict:
    """The variables the recommendation notebook has when its exercises start."""
    import numpy as np
    import pandas as pd

    orders, products, train, test, X, user_ids, item_ids = _setup()
    return {"orders": orders, "products": products, "train": train, "test": test, "X": X,
            "user_ids": user_ids, "item_ids": item_ids,
            "test_users": test["customer_id"].unique(), "np": np, "pd": pd,
            "ItemKNNRecommender": rec.ItemKNNRecommender,
            "PopularityRecommender": rec.PopularityRecommender,
            "precision_at_k": rec.precision_at_k, "evaluate": rec.evaluate}


def _sparsity() -> float:
    X = _setup()[4]
    return 1 - X.nnz / (X.shape[0] * X.shape[1])


def _sparsity_all_orders() -> float:
    orders, products = _setup()[:2]
    X_all = rec.interaction_matrix(orders, items=products["product_id"])[0]
    return 1 - X_all.nnz / (X_all.shape[0] * X_all.shape[1])


q1 = ValueProblem(
    "sparsity", _sparsity, atol=5e-4,  # 0.969 (three decimals, as a table shows it) is right too
    mistakes=[(lambda: 1 - _sparsity(),
               "That is the *density*, the share of filled cells. Sparsity is the share of "
               "empty cells."),
              (_sparsity_all_orders,
               "That is the sparsity of `X_all`, the matrix of *all* orders (section 1). The "
               "question asks about the training matrix `X` (orders before the cut-off).")],
    hint="`X.nnz` is the number of stored (filled) cells and `X.shape` gives "
         "(customers, products). Which cells are empty?",
    solution="sparsity = 1 - X.nnz / (X.shape[0] * X.shape[1])",
    success="Almost every cell is empty: that is why we store only the filled ones.",
)


def _precision_for_one(recommended, bought, k):
    return len(set(list(recommended)[:k]) & set(bought)) / k


def _precision_cases():
    return [
        (["a", "b", "c"], ["b"], 3),
        (["a", "b", "c", "d"], ["a", "d", "z"], 2),
        (["a", "b"], ["a", "b"], 5),                      # a list shorter than k
        (["x", "y", "z"], [], 3),                         # bought nothing new
        (["p1", "p2", "p3", "p4", "p5"], ["p5", "p4", "p9"], 5),
        (["a", "b", "c", "d"], ["c"], 2),                 # the item just after the top k was bought
        (["a", "b", "c", "d", "e"], ["e"], 2),            # an item far down the list was bought
    ]


def _one_too_many(recommended, bought, k):
    return len(set(list(recommended)[:k + 1]) & set(bought)) / k


def _divides_by_bought(recommended, bought, k):
    return len(set(list(recommended)[:k]) & set(bought)) / max(len(bought), 1)


def _ignores_k(recommended, bought, k):
    return len(set(recommended) & set(bought)) / k


def _divides_by_list_length(recommended, bought, k):
    top = list(recommended)[:k]
    return len(set(top) & set(bought)) / len(top)


q2 = FunctionProblem(
    "precision_for_one", _precision_for_one, _precision_cases,
    mistakes=[
        (_one_too_many,
         "Your function counts k + 1 recommendations. A slice stops *before* its end index: "
         "`recommended[:k]` already holds the first k items."),
        (_divides_by_bought,
         "You divide by the number of products bought: that is recall@k. Precision@k divides "
         "by k, the number of tiles shown."),
        (_ignores_k,
         "Your function counts hits anywhere in the list; only the first k tiles are shown, "
         "so only they count."),
        (_divides_by_list_length,
         "When the list has fewer than k items you divide by its length; precision@k always "
         "divides by k (an empty tile is a miss - the package's `precision_at_k` does the same)."),
    ],
    hint="Only the first k recommendations are shown. How many of them did the customer buy, "
         "and out of how many tiles?",
    solution='''
        def precision_for_one(recommended, bought, k):
            hits = set(list(recommended)[:k]) & set(bought)
            return len(hits) / k
    ''',
    explanation="Dividing by the number bought would give recall@k instead.",
)


def _p10_knn20() -> float:
    _, _, _, test, X, user_ids, item_ids = _setup()
    model = rec.ItemKNNRecommender(k_neighbors=20).fit(X, user_ids, item_ids)
    recs = model.recommend(test["customer_id"].unique(), k=10)
    return rec.precision_at_k(recs, test, k=10)


def _p10_knn20_with_seen() -> float:
    _, _, _, test, X, user_ids, item_ids = _setup()
    model = rec.ItemKNNRecommender(k_neighbors=20).fit(X, user_ids, item_ids)
    recs = model.recommend(test["customer_id"].unique(), k=10, exclude_seen=False)
    return rec.precision_at_k(recs, test, k=10)


q3 = ValueProblem(
    "p10_knn20", _p10_knn20, atol=5e-4,  # 0.160, rounded as the tables show it, is right too
    mistakes=[(_p10_knn20_with_seen,
               "Your lists still contain products the customers already bought (which the test "
               "set never counts as hits): keep the default `exclude_seen=True`.")],
    hint="Three steps you have seen: fit the recommender on the training matrix (section 4 "
         "shows how, and what its default number of neighbours is), ask it for ten products per "
         "test customer, then grade those lists against `test` with `precision_at_k`.",
    solution='''
        knn20 = ItemKNNRecommender(k_neighbors=20).fit(X, user_ids, item_ids)
        p10_knn20 = precision_at_k(knn20.recommend(test_users, k=10), test, k=10)
    ''',
    success="Compare it with popularity's precision@10 in section 3. How many neighbours to keep "
            "is a setting to tune on a validation period, never on the test set (the optional "
            "deep dive below does that).",
)


def _cosine(u, v):
    import numpy as np

    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))


def _cosine_cases():
    import numpy as np

    return [
        (np.array([1.0, 0.0, 0.0]), np.array([1.0, 0.0, 0.0])),
        (np.array([1.0, 2.0, 0.0]), np.array([2.0, 4.0, 0.0])),   # same direction, twice as long
        (np.array([1.0, 0.0]), np.array([0.0, 1.0])),             # no word in common
        (np.array([3.0, 4.0]), np.array([4.0, 3.0])),             # 24 / 25 by hand
        (np.array([1.0, 1.0, 0.0, 2.0]), np.array([0.0, 3.0, 1.0, 1.0])),
        (np.array([0.2, 0.0, 0.5, 0.1, 0.0]), np.array([0.0, 0.3, 0.4, 0.0, 0.9])),
    ]


def _dot_only(u, v):
    import numpy as np

    return float(np.asarray(u, dtype=float) @ np.asarray(v, dtype=float))


def _cosine_distance(u, v):
    return 1.0 - _cosine(u, v)


def _one_norm(u, v):
    import numpy as np

    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    return float(u @ v / np.linalg.norm(u))


def _euclidean(u, v):
    import numpy as np

    return float(np.linalg.norm(np.asarray(u, dtype=float) - np.asarray(v, dtype=float)))


q4 = FunctionProblem(
    "cosine", _cosine, _cosine_cases,
    mistakes=[
        (_dot_only,
         "Your function returns the plain dot product. It equals the cosine only when both "
         "vectors have length 1 (TF-IDF rows do, by default); for other vectors divide by the "
         "two lengths, so that a long description does not look more similar just for being long."),
        (_cosine_distance,
         "Your function returns 1 - cosine, the cosine *distance* (what "
         "`scipy.spatial.distance.cosine` computes). A similarity is 1 for the same direction."),
        (_one_norm,
         "You divide by the length of only one vector; the cosine divides by both lengths."),
        (_euclidean,
         "That is the Euclidean distance between the vectors, not the cosine of the angle "
         "between them: it grows with length and is 0, not 1, for identical vectors."),
    ],
    hint="The cosine of the angle between two vectors is their dot product divided by the "
         "product of their lengths. `u @ v` is a dot product; `np.linalg.norm(u)` is a length. "
         "Section 4 did the same for two products' buyer sets.",
    solution='''
        def cosine(u, v):
            return u @ v / (np.linalg.norm(u) * np.linalg.norm(v))
    ''',
    success="The content recommender ranks products by exactly this number between their "
            "TF-IDF rows: try `cosine(row, content.item_vectors_[1].toarray().ravel())`.",
)

q5 = ThoughtProblem(
    "q5_answer",
    explanation="Popularity shows the same two dozen best sellers to everyone (tiny coverage) and "
                "finds far fewer of the products customers go on to buy. Item-kNN more than "
                "doubles precision@10 and covers most of the catalogue, so it is the better "
                "default for a personalised e-mail; popularity stays as the fallback for new "
                "customers. The oracle, built from the true taste scores, shows the ceiling: "
                "even knowing every customer's taste, precision@10 stays well below 1 because "
                "customers buy only a few products in six months and choice is random. The gap "
                "between item-kNN and the oracle is what better models (or more data per "
                "customer) could still win; the gap between the oracle and 1 is noise no model "
                "can remove.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
