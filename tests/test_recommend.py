"""Unit tests for mkt_lessons.recommend: hand-computed tiny cases and brute-force references."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from mkt_lessons import recommend as R

# --------------------------------------------------------------------------- helpers


def random_interactions(seed: int, n_users: int = 30, n_items: int = 12, density: float = 0.25):
    rng = np.random.default_rng(seed)
    dense = (rng.random((n_users, n_items)) < density).astype(float)
    dense[np.arange(n_users), rng.integers(n_items, size=n_users)] = 1.0  # nobody empty
    return sp.csr_matrix(dense), dense


def brute_force_top_k(scores: np.ndarray, seen: np.ndarray, k: int) -> list[list[int]]:
    """Reference ranking: positive scores first (desc; ties by popularity, then index),
    then the most popular unseen items; items already seen never appear."""
    popularity = (seen > 0).sum(axis=0)
    out = []
    for u in range(scores.shape[0]):
        unseen = [j for j in range(scores.shape[1]) if seen[u, j] == 0]
        scored = sorted((j for j in unseen if scores[u, j] > 1e-12),
                        key=lambda j: (-round(scores[u, j], 9), -popularity[j], j))
        rest = sorted((j for j in unseen if j not in scored), key=lambda j: (-popularity[j], j))
        out.append((scored + rest)[:k])
    return out


def rec_lists(recs: pd.DataFrame, n_users: int) -> list[list[int]]:
    return [recs.loc[recs["customer_id"] == u].sort_values("rank")["product_id"].tolist()
            for u in range(n_users)]


def pruned_item_similarity(sim: np.ndarray, k: int | None, rule: str = "history") -> np.ndarray:
    """Dense reference, loops only: zero diagonal, then keep (ties: lower index)

    * ``history``: row i's k largest (the k nearest items of the bought item i);
    * ``candidate``: column j's k largest (the k nearest items of the candidate j).
    """
    sim = sim.copy()
    np.fill_diagonal(sim, 0.0)
    if k is None:
        return np.where(sim > 0, sim, 0.0)
    if rule == "history":
        return pruned_item_similarity(sim.T, k, "candidate").T
    out = np.zeros_like(sim)
    for j in range(sim.shape[1]):
        order = sorted((i for i in range(sim.shape[0]) if sim[i, j] > 0),
                       key=lambda i: (-round(sim[i, j], 12), i))[:k]
        out[order, j] = sim[order, j]
    return out


# --------------------------------------------------------------------------- matrix + split


@pytest.fixture
def tiny_orders():
    return pd.DataFrame({
        "customer_id": ["a", "a", "b", "b", "b", "c"],
        "product_id": ["x", "x", "x", "y", "z", "z"],
        "quantity": [1, 2, 1, 1, 3, 1],
        "order_date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-05", "2024-03-01",
                                      "2024-03-02", "2024-02-10"]),
    })


def test_interaction_matrix_binary_counts_quantity(tiny_orders):
    before = tiny_orders.copy()
    X, users, items = R.interaction_matrix(tiny_orders)
    assert sp.isspmatrix_csr(X) or isinstance(X, sp.csr_matrix)
    assert list(users) == ["a", "b", "c"] and list(items) == ["x", "y", "z"]
    np.testing.assert_array_equal(X.toarray(), [[1, 0, 0], [1, 1, 1], [0, 0, 1]])
    Xc, _, _ = R.interaction_matrix(tiny_orders, binary=False)
    np.testing.assert_array_equal(Xc.toarray(), [[2, 0, 0], [1, 1, 1], [0, 0, 1]])
    Xq, _, _ = R.interaction_matrix(tiny_orders, binary=False, weight_col="quantity")
    np.testing.assert_array_equal(Xq.toarray(), [[3, 0, 0], [1, 1, 3], [0, 0, 1]])
    pd.testing.assert_frame_equal(tiny_orders, before)


def test_interaction_matrix_fixed_items_gives_empty_column(tiny_orders):
    X, _, items = R.interaction_matrix(tiny_orders, items=["w", "x", "y", "z"])
    assert list(items) == ["w", "x", "y", "z"]
    assert X.shape == (3, 4) and X[:, 0].nnz == 0


def test_interaction_matrix_errors(tiny_orders):
    with pytest.raises(ValueError, match="customer"):
        R.interaction_matrix(tiny_orders.drop(columns="customer_id"))
    with pytest.raises(ValueError, match="empty"):
        R.interaction_matrix(tiny_orders.iloc[:0])
    with pytest.raises(ValueError, match="not in items"):
        R.interaction_matrix(tiny_orders, items=["x", "y"])
    with pytest.raises(TypeError, match="DataFrame"):
        R.interaction_matrix(tiny_orders.to_numpy())
    bad = tiny_orders.assign(product_id=["x", None, "x", "y", "z", "z"])
    with pytest.raises(ValueError, match="missing"):
        R.interaction_matrix(bad)


def test_temporal_split_excludes_seen_and_cold_users(tiny_orders):
    extra = pd.DataFrame({"customer_id": ["a", "a", "d"], "product_id": ["x", "y", "x"],
                          "quantity": [1, 1, 1],
                          "order_date": pd.to_datetime(["2024-03-05"] * 3)})
    orders = pd.concat([tiny_orders, extra], ignore_index=True)
    train, test = R.temporal_split(orders, "2024-03-01")
    assert (train["order_date"] < "2024-03-01").all()
    # b's y and z are new for b; a's x was bought before (dropped); d is a new customer.
    got = set(zip(test["customer_id"], test["product_id"], strict=True))
    assert got == {("b", "y"), ("b", "z"), ("a", "y")}
    _, test_all = R.temporal_split(orders, "2024-03-01", exclude_seen=False, warm_users_only=False)
    assert len(test_all) == 5
    with pytest.raises(ValueError, match="cutoff"):
        R.temporal_split(orders, "2030-01-01")
    with pytest.raises(ValueError, match="end"):
        R.temporal_split(orders, "2024-03-01", end="2024-02-01")


# --------------------------------------------------------------------------- top-k


def test_top_k_per_row_matches_brute_force():
    rng = np.random.default_rng(3)
    dense = np.round(rng.random((40, 15)), 1) * (rng.random((40, 15)) < 0.5)  # many ties
    tiebreak = rng.permutation(15)
    r, c, v, rank = R.top_k_per_row(sp.csr_matrix(dense), 4, tiebreak)
    for i in range(40):
        want = sorted((j for j in range(15) if dense[i, j] > 0),
                      key=lambda j: (-dense[i, j], tiebreak[j], j))[:4]
        assert c[r == i].tolist() == want
        assert rank[r == i].tolist() == list(range(len(want)))
        np.testing.assert_allclose(v[r == i], dense[i, want])


# --------------------------------------------------------------------------- recommenders


def test_item_knn_similarity_hand_case():
    X = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 1], [1, 1, 1]], dtype=float))
    rec = R.ItemKNNRecommender(k_neighbors=None).fit(X)
    s = 2 / math.sqrt(6)  # items 0 and 1: 2 co-buyers, 3 and 2 buyers
    want = np.array([[0, s, s], [s, 0, 0.5], [s, 0.5, 0]])
    np.testing.assert_allclose(rec.similarity_.toarray(), want)
    one = R.ItemKNNRecommender(k_neighbors=1).fit(X)
    # history rule (default): each bought item (row) keeps only its best neighbour
    # (item 0: a tie between 1 and 2 -> the lower index)
    np.testing.assert_allclose(one.similarity_.toarray(),
                               [[0, s, 0], [s, 0, 0], [s, 0, 0]])
    cand = R.ItemKNNRecommender(k_neighbors=1, neighbourhood="candidate").fit(X)
    # candidate rule (v1): each candidate item (column) keeps only its best neighbour
    np.testing.assert_allclose(cand.similarity_.toarray(),
                               [[0, s, s], [s, 0, 0], [0, 0, 0]])


@pytest.mark.parametrize("rule", ["history", "candidate"])
@pytest.mark.parametrize("k_neighbors", [None, 1, 3])
def test_item_knn_recommendations_match_brute_force(k_neighbors, rule):
    X, dense = random_interactions(1)
    rec = R.ItemKNNRecommender(k_neighbors=k_neighbors, neighbourhood=rule, block_size=5).fit(X)
    sim = pruned_item_similarity(cosine_similarity(dense.T), k_neighbors, rule)
    np.testing.assert_allclose(rec.similarity_.toarray(), sim, atol=1e-12)
    recs = rec.recommend(np.arange(30), k=5)
    assert rec_lists(recs, 30) == brute_force_top_k(dense @ sim, dense, 5)


def test_user_knn_matches_brute_force():
    X, dense = random_interactions(2)
    k = 4
    sim = cosine_similarity(dense)
    np.fill_diagonal(sim, 0.0)
    weights = np.zeros_like(sim)
    for u in range(sim.shape[0]):
        best = sorted(range(sim.shape[1]), key=lambda v: (-round(sim[u, v], 12), v))[:k]
        best = [v for v in best if sim[u, v] > 0]
        weights[u, best] = sim[u, best]
    recs = R.UserKNNRecommender(k_neighbors=k).fit(X).recommend(np.arange(30), k=6)
    assert rec_lists(recs, 30) == brute_force_top_k(weights @ dense, dense, 6)


def test_content_recommender_matches_tfidf_and_handles_new_product():
    products = pd.DataFrame({
        "product_id": ["p0", "p1", "p2", "p3", "p4"],
        "description": ["oak table modern", "oak chair modern", "linen sheet soft",
                        "linen pillow soft", "oak shelf modern"],  # p4: new, nobody bought it
    })
    X = sp.csr_matrix(np.array([[1, 0, 0, 0, 0], [0, 0, 1, 0, 0], [1, 1, 1, 1, 0]], float))
    rec = R.ContentRecommender(products, k_neighbors=None).fit(X, ["u0", "u1", "u2"],
                                                               products["product_id"])
    tfidf = TfidfVectorizer().fit_transform(products["description"])
    sim = pruned_item_similarity(cosine_similarity(tfidf), None)
    np.testing.assert_allclose(rec.similarity_.toarray(), sim, atol=1e-12)
    recs = rec.recommend(["u0"], k=2)
    # u0 bought an oak table: the oak chair and the new oak shelf come first
    assert set(recs["product_id"]) == {"p1", "p4"} and (recs["source"] == "model").all()
    cf = R.ItemKNNRecommender().fit(X, ["u0", "u1", "u2"], products["product_id"])
    assert "p4" not in set(cf.recommend(["u0"], k=2)["product_id"])  # CF cannot see p4
    with pytest.raises(ValueError, match="products lacks"):
        R.ContentRecommender(products.iloc[:3]).fit(X, None, products["product_id"])


def test_popularity_excludes_seen_and_falls_back_for_unknown_users():
    X = sp.csr_matrix(np.array([[1, 1, 0, 0], [0, 1, 0, 0], [0, 1, 1, 0], [1, 1, 0, 1]], float))
    rec = R.PopularityRecommender().fit(X, ["a", "b", "c", "d"], ["w", "x", "y", "z"])
    np.testing.assert_array_equal(rec.popularity_, [2, 4, 1, 1])
    recs = rec.recommend(["a", "new"], k=2)
    assert recs.loc[recs.customer_id == "a", "product_id"].tolist() == ["y", "z"]
    assert recs.loc[recs.customer_id == "new", "product_id"].tolist() == ["x", "w"]
    assert (recs["source"] == "popularity").all()
    assert list(recs.columns) == ["customer_id", "rank", "product_id", "score", "source"]
    # with exclude_seen=False the best sellers come back
    assert rec.recommend(["a"], k=1, exclude_seen=False)["product_id"].tolist() == ["x"]


def test_recommend_short_list_when_almost_everything_bought():
    X = sp.csr_matrix(np.array([[1, 1, 1, 0], [1, 0, 0, 0]], float))
    recs = R.ItemKNNRecommender().fit(X).recommend([0], k=3)
    assert recs["product_id"].tolist() == [3]


def test_fallback_fills_every_list_to_k_without_duplicates():
    X, dense = random_interactions(5, n_users=50, n_items=40, density=0.05)
    recs = R.ItemKNNRecommender(k_neighbors=2).fit(X).recommend(np.arange(50), k=15)
    counts = recs.groupby("customer_id").size()
    assert (counts == 15).all()
    assert not recs.duplicated(["customer_id", "product_id"]).any()
    bought = set(zip(*dense.nonzero(), strict=True))
    assert not any((u, i) in bought for u, i in zip(recs.customer_id, recs.product_id, strict=True))
    assert (recs["source"] == "popularity").any()
    assert rec_lists(recs, 50) == brute_force_top_k(
        dense @ pruned_item_similarity(cosine_similarity(dense.T), 2), dense, 15)


def test_hybrid_weights():
    X, dense = random_interactions(4)
    item = R.ItemKNNRecommender(k_neighbors=None)
    user = R.UserKNNRecommender(k_neighbors=5)
    users = np.arange(30)
    alone = item.fit(X).recommend(users, k=5)
    only_item = R.HybridRecommender([item, user], weights=[1, 0]).fit(X).recommend(users, k=5)
    pd.testing.assert_frame_equal(alone.drop(columns="score"), only_item.drop(columns="score"))
    # equal weights: brute force of the row-max-normalised blend
    s_item = dense @ pruned_item_similarity(cosine_similarity(dense.T), None)
    usim = cosine_similarity(dense)
    np.fill_diagonal(usim, 0)
    w = np.zeros_like(usim)
    for u in range(30):
        best = sorted(range(30), key=lambda v: (-round(usim[u, v], 12), v))[:5]
        w[u, best] = usim[u, best]
    s_user = w @ dense
    for s in (s_item, s_user):
        s[dense > 0] = 0.0
    blend = (s_item / s_item.max(axis=1, keepdims=True)
             + s_user / s_user.max(axis=1, keepdims=True))
    got = R.HybridRecommender([item, user]).fit(X).recommend(users, k=5)
    assert rec_lists(got, 30) == brute_force_top_k(blend, dense, 5)
    with pytest.raises(ValueError, match="weights"):
        R.HybridRecommender([item, user], weights=[1, -1]).fit(X)
    with pytest.raises(TypeError, match="recommenders"):
        R.HybridRecommender(["not a recommender"]).fit(X)


def test_recommender_input_errors_and_no_mutation():
    X, _ = random_interactions(6)
    X_before = X.copy()
    rec = R.ItemKNNRecommender().fit(X)
    assert (X != X_before).nnz == 0
    with pytest.raises(NotFittedError, match="not fitted"):
        R.ItemKNNRecommender().recommend([0])
    with pytest.raises(ValueError, match="k must be an integer >= 1"):
        rec.recommend([0], k=0)
    with pytest.raises(TypeError, match="k must be"):
        rec.recommend([0], k=2.5)
    with pytest.raises(ValueError, match="larger than the number of items"):
        rec.recommend([0], k=13)
    with pytest.raises(ValueError, match="user_ids must have at least 1"):
        rec.recommend([])
    with pytest.raises(TypeError, match="interaction_matrix"):
        R.ItemKNNRecommender().fit(pd.DataFrame({"a": [1]}))
    with pytest.raises(ValueError, match="no interactions"):
        R.ItemKNNRecommender().fit(sp.csr_matrix((3, 3)))
    with pytest.raises(ValueError, match="item_ids has 2 labels"):
        R.ItemKNNRecommender().fit(X, item_ids=["a", "b"])
    with pytest.raises(ValueError, match="k_neighbors"):
        R.ItemKNNRecommender(k_neighbors=0).fit(X)


def test_determinism():
    X, _ = random_interactions(7, n_users=80, n_items=30)
    users = np.arange(80)
    for make in (lambda: R.ItemKNNRecommender(k_neighbors=5),
                 lambda: R.UserKNNRecommender(k_neighbors=5),
                 lambda: R.PopularityRecommender()):
        a = make().fit(X).recommend(users, k=7)
        b = make().fit(X.copy()).recommend(users, k=7, batch_size=7)  # other batching
        pd.testing.assert_frame_equal(a, b)


# --------------------------------------------------------------------------- metrics


@pytest.fixture
def hand_case():
    recs = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b", "b"],
                         "rank": [1, 2, 3, 1, 2, 3],
                         "product_id": ["x", "y", "z", "x", "y", "z"]})
    test = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
                         "product_id": ["y", "w", "q", "x"]})
    return recs, test


def test_metrics_hand_case(hand_case):
    recs, test = hand_case
    # a: 1 hit (y at rank 2) of 2 relevant; b: 0 hits; c: no recommendations -> 0.
    assert R.precision_at_k(recs, test, k=3) == pytest.approx((1 / 3) / 3)
    assert R.recall_at_k(recs, test, k=3) == pytest.approx((1 / 2) / 3)
    ndcg_a = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    assert R.ndcg_at_k(recs, test, k=3) == pytest.approx(ndcg_a / 3)
    assert R.precision_at_k(recs, test, k=1) == 0.0
    per_user = R.precision_at_k(recs, test, k=3, per_user=True)
    assert per_user.to_dict() == pytest.approx({"a": 1 / 3, "b": 0.0, "c": 0.0})
    assert R.catalog_coverage(recs, ["w", "x", "y", "z"], k=3) == pytest.approx(0.75)
    assert R.catalog_coverage(recs, 6, k=1) == pytest.approx(1 / 6)
    ev = R.evaluate(recs, test, k=3, catalog=4)
    assert ev["precision@3"] == pytest.approx(1 / 9) and ev["users"] == 3
    assert ev["coverage"] == pytest.approx(0.75)


def test_metrics_match_brute_force_on_random_data():
    rng = np.random.default_rng(11)
    items = [f"i{j}" for j in range(20)]
    rec_rows, test_rows = [], []
    lists, relevant = {}, {}
    for u in range(40):
        lists[u] = list(rng.choice(items, size=int(rng.integers(1, 12)), replace=False))
        relevant[u] = set(rng.choice(items, size=int(rng.integers(1, 6)), replace=False))
        rec_rows += [(u, r + 1, it) for r, it in enumerate(lists[u])]
        test_rows += [(u, it) for it in relevant[u]]
    recs = pd.DataFrame(rec_rows, columns=["customer_id", "rank", "product_id"])
    test = pd.DataFrame(test_rows, columns=["customer_id", "product_id"])
    for k in (1, 5, 10):
        p = np.mean([len(set(lists[u][:k]) & relevant[u]) / k for u in lists])
        r = np.mean([len(set(lists[u][:k]) & relevant[u]) / len(relevant[u]) for u in lists])
        nd = []
        for u in lists:
            dcg = sum(1 / math.log2(i + 2) for i, it in enumerate(lists[u][:k]) if it in relevant[u])
            idcg = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant[u]))))
            nd.append(dcg / idcg)
        shown = {it for u in lists for it in lists[u][:k]}
        assert R.precision_at_k(recs, test, k) == pytest.approx(p)
        assert R.recall_at_k(recs, test, k) == pytest.approx(r)
        assert R.ndcg_at_k(recs, test, k) == pytest.approx(np.mean(nd))
        assert R.catalog_coverage(recs, items, k) == pytest.approx(len(shown) / 20)


def test_metric_errors(hand_case):
    recs, test = hand_case
    with pytest.raises(ValueError, match="rank"):
        R.precision_at_k(recs.drop(columns="rank"), test)
    with pytest.raises(ValueError, match="empty"):
        R.recall_at_k(recs, test.iloc[:0])
    with pytest.raises(ValueError, match="k must be"):
        R.ndcg_at_k(recs, test, k=-1)
    with pytest.raises(ValueError, match="catalog"):
        R.catalog_coverage(recs, 0)


# --------------------------------------------------------------------------- lesson data


def test_quality_on_lesson_data():
    """Item-kNN beats popularity by >= 20% on precision@10; the hybrid matches its best part."""
    from mkt_lessons import data

    orders, products = data.load_orders(), data.load_products()
    train, test = R.temporal_split(orders, "2024-07-01")
    X, users, items = R.interaction_matrix(train, items=products["product_id"])
    test_users = test["customer_id"].unique()

    def p10(rec):
        return R.precision_at_k(rec.fit(X, users, items).recommend(test_users, 10), test, 10)

    pop = p10(R.PopularityRecommender())
    item = p10(R.ItemKNNRecommender(k_neighbors=50))
    user = p10(R.UserKNNRecommender(k_neighbors=200))
    hybrid = p10(R.HybridRecommender([R.ItemKNNRecommender(k_neighbors=50),
                                      R.UserKNNRecommender(k_neighbors=200)]))
    assert item >= 1.2 * pop
    assert hybrid >= max(item, user)


# --------------------------------------------------------------------------- issue 13/14


def test_recommenders_are_sklearn_estimators():
    X, _ = random_interactions(8)
    model = R.ItemKNNRecommender(k_neighbors=3, neighbourhood="candidate")
    twin = clone(model)
    assert twin.get_params() == model.get_params()
    fitted = model.fit(X)
    assert not hasattr(clone(fitted), "similarity_")  # clone drops learned state
    with pytest.raises(NotFittedError):
        R.UserKNNRecommender().recommend([0])
    with pytest.raises(ValueError, match="neighbourhood"):
        R.ItemKNNRecommender(neighbourhood="target").fit(X)
    parts = [R.ItemKNNRecommender(k_neighbors=2), R.PopularityRecommender()]
    R.HybridRecommender(parts).fit(X)
    assert not hasattr(parts[0], "similarity_")  # the given parts stay unfitted


def test_default_neighbourhood_is_the_history_rule():
    assert R.ItemKNNRecommender().get_params()["neighbourhood"] == "history"
    assert R.ItemKNNRecommender().get_params()["k_neighbors"] == R.DEFAULT_K_NEIGHBORS == 20


def test_missing_user_ids_are_refused_not_dropped(hand_case):
    recs, test = hand_case
    bad = test.assign(customer_id=test["customer_id"].astype(object))
    bad.loc[0, "customer_id"] = None
    for f in (R.precision_at_k, R.recall_at_k, R.ndcg_at_k, R.evaluate):
        with pytest.raises(ValueError, match="customer_id"):
            f(recs, bad, 3)


def test_catalog_smaller_than_the_recommended_items_is_refused(hand_case):
    recs, _ = hand_case
    with pytest.raises(ValueError, match="catalog=2"):
        R.catalog_coverage(recs, 2)
    with pytest.raises(ValueError, match="lacks 1"):
        R.catalog_coverage(recs, ["x", "y"])
    assert R.catalog_coverage(recs, 3, k=1) == pytest.approx(1 / 3)  # only "x" at rank 1


def test_temporal_split_refuses_missing_dates_and_dates_outside(tiny_orders):
    nat = tiny_orders.copy()
    nat.loc[0, "order_date"] = pd.NaT
    with pytest.raises(ValueError, match="missing date"):
        R.temporal_split(nat, "2024-02-01")
    with pytest.raises(ValueError, match="cutoff must be a date between"):
        R.temporal_split(tiny_orders, "2025-01-01")
    with pytest.raises(ValueError, match="time-zone"):
        R.temporal_split(tiny_orders.assign(order_date=tiny_orders["order_date"].dt.tz_localize("UTC")),
                         "2024-02-01")


def test_evaluate_returns_a_frozen_result_with_the_v1_labels(hand_case):
    import dataclasses

    recs, test = hand_case
    m = R.evaluate(recs, test, k=2, catalog=["x", "y", "z", "w", "q"])
    assert m.precision == pytest.approx(R.precision_at_k(recs, test, 2))
    assert m.users == 3 and m.coverage == pytest.approx(2 / 5)
    assert m["ndcg@2"] == m.ndcg and list(m.to_series().index) == [
        "precision@2", "recall@2", "ndcg@2", "coverage", "users"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.precision = 1.0


@pytest.mark.parametrize("rule", ["history", "candidate"])
def test_item_knn_sparse_similarity_blocks_match_brute_force(rule):
    """Many small disjoint item groups: the similarity is sparse (< 5% filled), which takes
    the sorting path of the pruning instead of the dense partial sort."""
    rng = np.random.default_rng(3)
    n_users, n_items = 200, 60
    dense = np.zeros((n_users, n_items))
    for u in range(n_users):
        group = rng.integers(0, 20) * 3  # 20 groups of 3 items
        dense[u, group + rng.choice(3, size=2, replace=False)] = 1.0
    X = sp.csr_matrix(dense)
    sim = cosine_similarity(dense.T)
    assert (sim > 0).mean() < 0.06
    rec = R.ItemKNNRecommender(k_neighbors=1, neighbourhood=rule, block_size=7).fit(X)
    np.testing.assert_allclose(rec.similarity_.toarray(), pruned_item_similarity(sim, 1, rule),
                               atol=1e-12)
    recs = rec.recommend(np.arange(n_users), k=4)
    assert rec_lists(recs, n_users) == brute_force_top_k(dense @ pruned_item_similarity(sim, 1, rule),
                                                         dense, 4)
