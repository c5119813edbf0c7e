"""Bad input to mkt_lessons.recommend (machinery in badinput.py, conformance.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from badinput import Array, Date, Flag, Size, Spec, Table, make_tests, tiny_orders, tiny_products
from conformance import EstimatorCase

from mkt_lessons import recommend as R

ORDER_ROLE = Table(ids=["customer_id", "product_id"])
SPLIT_ROLE = Table(ids=["customer_id", "product_id"], dates=["order_date"])
RECS_ROLE = Table(ids=["customer_id", "product_id"], numeric=["rank"])
TEST_ROLE = Table(ids=["customer_id", "product_id"])


def matrix():
    dense = np.array([[1, 1, 0, 0, 1], [1, 0, 1, 0, 0], [0, 1, 1, 1, 0], [1, 0, 0, 1, 1]], float)
    return sp.csr_matrix(dense)


USERS = ["U1", "U2", "U3", "U4"]
ITEMS = ["P00", "P01", "P02", "P03", "P04"]


def recs_and_test():
    recs = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b", "b"],
                         "rank": [1, 2, 3, 1, 2, 3],
                         "product_id": ["x", "y", "z", "x", "y", "z"]})
    test = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "product_id": ["y", "w", "q", "x"]})
    return recs, test


def metric_spec(func):
    return Spec(func, lambda: dict(zip(("recommendations", "test"), recs_and_test(), strict=True),
                                   k=2, per_user=False),
                {"recommendations": RECS_ROLE, "test": TEST_ROLE, "k": Size(low=1),
                 "per_user": Flag()},
                extra=[("rank0:recommendations",
                        lambda kw: {**kw, "recommendations": kw["recommendations"].assign(rank=0)},
                        ValueError)])


def fit_spec(cls, **params):
    def fit(X, user_ids, item_ids):
        return cls(**params).fit(X, user_ids, item_ids)

    return Spec(fit, lambda: dict(X=matrix(), user_ids=list(USERS), item_ids=list(ITEMS)),
                {"user_ids": Array(numeric=False), "item_ids": Array(numeric=False)},
                name=f"recommend.{cls.__name__}.fit",
                extra=[("frame:X", lambda kw: {**kw, "X": pd.DataFrame(kw["X"].toarray())},
                        TypeError),
                       ("text:X", lambda kw: {**kw, "X": kw["X"].toarray().astype(str)}, TypeError),
                       ("1d:X", lambda kw: {**kw, "X": kw["X"].toarray()[0]}, ValueError),
                       ("negative:X", lambda kw: {**kw, "X": -kw["X"]}, ValueError),
                       ("nan:X", lambda kw: {**kw, "X": np.where(kw["X"].toarray() > 0, np.nan, 0)},
                        ValueError),
                       ("empty:X", lambda kw: {**kw, "X": sp.csr_matrix((4, 5))}, ValueError),
                       ("length:user_ids", lambda kw: {**kw, "user_ids": kw["user_ids"][:3]},
                        ValueError),
                       ("duplicate:item_ids",
                        lambda kw: {**kw, "item_ids": ["P00"] * 5}, ValueError)])


def recommend_spec():
    def recommend(user_ids, k, exclude_seen, batch_size):
        model = R.ItemKNNRecommender(k_neighbors=2).fit(matrix(), USERS, ITEMS)
        return model.recommend(user_ids, k, exclude_seen=exclude_seen, batch_size=batch_size)

    return Spec(recommend, lambda: dict(user_ids=["U1", "U2", "NEW"], k=2, exclude_seen=True,
                                        batch_size=2),
                {"user_ids": Array(numeric=False), "k": Size(low=1, high=5),
                 "exclude_seen": Flag(), "batch_size": Size(low=1)},
                name="recommend.ItemKNNRecommender.recommend")


def split_call():
    return dict(orders=tiny_orders(12), cutoff="2024-03-01", end="2024-04-15")


SPECS = [
    Spec(R.interaction_matrix, lambda: dict(orders=tiny_orders(), binary=True),
         {"orders": ORDER_ROLE, "binary": Flag()},
         extra=[("unknown:items", lambda kw: {**kw, "items": ["P00"]}, ValueError),
                ("duplicate:items", lambda kw: {**kw, "items": ["P00", "P00"]}, ValueError),
                ("text:quantity",
                 lambda kw: {**kw, "binary": False, "weight_col": "quantity",
                             "orders": kw["orders"].astype({"quantity": str})}, TypeError),
                ("nan:quantity",
                 lambda kw: {**kw, "binary": False, "weight_col": "quantity",
                             "orders": kw["orders"].astype({"quantity": float})
                             .assign(quantity=lambda d: d["quantity"].where(d.index > 0))},
                 ValueError)]),
    Spec(R.temporal_split, split_call,
         {"orders": SPLIT_ROLE, "cutoff": Date(outside=["2023-01-01", "2025-06-01"]),
          "end": Date(outside=["2024-02-01"])},
         extra=[("text:exclude_seen", lambda kw: {**kw, "exclude_seen": "yes"}, TypeError),
                ("int:warm_users_only", lambda kw: {**kw, "warm_users_only": 1}, TypeError),
                ("first_day:cutoff", lambda kw: {**kw, "cutoff": kw["orders"]["order_date"].min()},
                 ValueError)]),
    Spec(R.top_k_per_row, lambda: dict(M=matrix(), k=2, tiebreak=np.arange(5.0)),
         {"k": Size(low=1), "tiebreak": Array()},
         extra=[("text:M", lambda kw: {**kw, "M": "matrix"}, TypeError),
                ("1d:M", lambda kw: {**kw, "M": np.ones(3)}, ValueError),
                ("nan:M", lambda kw: {**kw, "M": np.full((2, 5), np.nan)}, ValueError),
                ("length:tiebreak", lambda kw: {**kw, "tiebreak": np.arange(3.0)}, ValueError)]),
    metric_spec(R.precision_at_k),
    metric_spec(R.recall_at_k),
    metric_spec(R.ndcg_at_k),
    Spec(R.catalog_coverage, lambda: dict(recommendations=recs_and_test()[0], catalog=10, k=2),
         {"recommendations": Table(ids=["product_id"], numeric=["rank"]),
          "catalog": Size(low=3), "k": Size(low=1)},
         extra=[("small:catalog", lambda kw: {**kw, "catalog": 2}, ValueError),
                ("lacks:catalog", lambda kw: {**kw, "catalog": ["x", "y"]}, ValueError),
                ("nan:catalog", lambda kw: {**kw, "catalog": ["x", "y", "z", None]}, ValueError),
                ("float:catalog", lambda kw: {**kw, "catalog": 5.0}, TypeError)]),
    Spec(R.evaluate, lambda: dict(zip(("recommendations", "test"), recs_and_test(), strict=True),
                                  k=2, catalog=["x", "y", "z", "w", "q"]),
         {"recommendations": RECS_ROLE, "test": TEST_ROLE, "k": Size(low=1),
          "catalog": Array(numeric=False)},
         extra=[("small:catalog", lambda kw: {**kw, "catalog": 2}, ValueError)]),
    fit_spec(R.PopularityRecommender),
    fit_spec(R.ItemKNNRecommender, k_neighbors=2),
    fit_spec(R.UserKNNRecommender, k_neighbors=2),
    fit_spec(R.ContentRecommender, products=tiny_products(5), k_neighbors=2),
    fit_spec(R.HybridRecommender, recommenders=[R.ItemKNNRecommender(k_neighbors=2),
                                                R.PopularityRecommender()]),
    recommend_spec(),
    Spec(lambda n, item_id="P00": R.ItemKNNRecommender(k_neighbors=2).fit(matrix(), USERS, ITEMS)
         .similar_items(item_id, n), lambda: dict(n=2), {"n": Size(low=1)},
         name="recommend.ItemKNNRecommender.similar_items",
         extra=[("unknown:item_id", lambda kw: {**kw, "item_id": "nope"}, ValueError)]),
]

test_bad_input, test_valid_call = make_tests(SPECS)


def _fit_args():
    return (matrix(), list(USERS), list(ITEMS)), {}


def _output(est, args, kw):
    return est.recommend(["U1", "U3", "NEW"], k=3)


ESTIMATORS = [
    EstimatorCase(R.PopularityRecommender, _fit_args, _output),
    EstimatorCase(R.ItemKNNRecommender, _fit_args, _output,
                  bad_params=[{"k_neighbors": -1}, {"k_neighbors": 2.5}, {"k_neighbors": 0},
                              {"neighbourhood": "target"}, {"block_size": 0}]),
    EstimatorCase(R.UserKNNRecommender, _fit_args, _output,
                  bad_params=[{"k_neighbors": -1}, {"k_neighbors": None}, {"k_neighbors": "5"}]),
    EstimatorCase(R.ContentRecommender, _fit_args, _output,
                  params={"products": tiny_products(5)},
                  bad_params=[{"k_neighbors": 0}, {"min_df": 0}, {"neighbourhood": "x"},
                              {"products": "a table"}, {"text_col": "no_such_column"}]),
    EstimatorCase(R.HybridRecommender, _fit_args, _output,
                  params={"recommenders": [R.ItemKNNRecommender(k_neighbors=2),
                                           R.PopularityRecommender()]},
                  bad_params=[{"weights": [1, -1]}, {"weights": [1]}, {"weights": [0, 0]},
                              {"recommenders": ["not a recommender"]}]),
]
