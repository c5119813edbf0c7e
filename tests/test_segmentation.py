"""Tests for mkt_lessons.segmentation: hand-computed RFM scores, brute-force rule coverage,
scikit-learn as the oracle for the K-means sweep, a pandas groupby oracle for profiles."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score

from mkt_lessons import segmentation as sg


def _rfm(recency, frequency, monetary, index=None):
    return pd.DataFrame({"recency_days": recency, "frequency": frequency, "monetary": monetary},
                        index=index)


# --------------------------------------------------------------------------- rfm_scores
def test_scores_hand_case():
    # by hand: R from "how many have a strictly longer recency", F/M from "strictly lower"
    rfm = _rfm([3, 30, 300, 30, 90], [9, 1, 1, 2, 1], [900.0, 20.0, 35.0, 80.0, 50.0],
               index=pd.Index(list("abcde"), name="customer_id"))
    out = sg.rfm_scores(rfm)
    assert out["R"].tolist() == [5, 3, 1, 3, 2]   # 30 days: 2 of 5 are older -> 1 + 2 = 3
    assert out["F"].tolist() == [5, 1, 1, 4, 1]   # three tied at 1 order all score 1
    assert out["M"].tolist() == [5, 1, 2, 4, 3]
    assert out["RFM"].tolist() == ["555", "311", "112", "344", "213"]
    assert out.index.equals(rfm.index)
    assert all(out[c].dtype == np.int64 for c in "RFM")


def test_fewer_distinct_values_than_q():
    rfm = _rfm([5, 5, 5, 5, 5], [1, 1, 2, 2, 3], [10.0, 10.0, 10.0, 10.0, 10.0])
    out = sg.rfm_scores(rfm, q=5)
    assert out["F"].tolist() == [1, 1, 3, 3, 5]   # 0, 2 and 4 of 5 below -> 1, 3, 5
    assert out["R"].tolist() == [1] * 5 and out["M"].tolist() == [1] * 5  # all tied
    one = sg.rfm_scores(_rfm([0], [1], [1.0]))
    assert one[["R", "F", "M"]].to_numpy().tolist() == [[1, 1, 1]]


def test_scores_match_brute_force_and_scipy_ranks():
    rng = np.random.default_rng(0)
    n = 203
    rfm = _rfm(rng.integers(0, 40, n), rng.choice([1, 1, 1, 2, 3, 8], n),
               np.round(rng.lognormal(4, 1, n), 0))
    for q in (2, 3, 5, 7):
        out = sg.rfm_scores(rfm, q)
        for col, score, sign in [("recency_days", "R", -1), ("frequency", "F", 1),
                                 ("monetary", "M", 1)]:
            v = sign * rfm[col].to_numpy()
            worse = np.array([(v < x).sum() for x in v])          # brute force
            assert out[score].tolist() == [1 + (q * w) // n for w in worse]
            assert np.array_equal(worse, rankdata(v, method="min") - 1)
            assert out[score].between(1, q).all()


def test_ties_get_equal_scores_and_order_does_not_matter():
    rng = np.random.default_rng(1)
    rfm = _rfm(rng.integers(0, 10, 100), rng.integers(1, 4, 100), rng.integers(1, 5, 100) * 10.0)
    out = sg.rfm_scores(rfm)
    for col, score in [("recency_days", "R"), ("frequency", "F"), ("monetary", "M")]:
        assert (out.groupby(rfm[col])[score].nunique() == 1).all()
    perm = rng.permutation(100)
    shuffled = sg.rfm_scores(rfm.iloc[perm])
    pd.testing.assert_frame_equal(shuffled, out.iloc[perm])


def test_distinct_values_fill_levels_evenly_and_recency_is_reversed():
    rfm = _rfm(np.arange(100), np.arange(100) + 1, np.arange(100) * 2.0)
    out = sg.rfm_scores(rfm, q=5)
    assert (out["F"].value_counts() == 20).all() and (out["R"].value_counts() == 20).all()
    assert out.loc[0, "R"] == 5 and out.loc[99, "R"] == 1   # most recent = best
    assert out.loc[99, "F"] == 5 and out.loc[0, "M"] == 1


def test_heavy_ties_in_frequency():
    freq = [1] * 60 + list(range(2, 42))
    out = sg.rfm_scores(_rfm([1] * 100, freq, [1.0] * 100))
    assert (out["F"].iloc[:60] == 1).all()          # the 60% with one order all score 1
    assert out["F"].iloc[60:].min() == 4            # 60 of 100 below -> 1 + 3
    assert set(out["F"]) == {1, 4, 5}


def test_q_above_nine_separates_digits():
    out = sg.rfm_scores(_rfm(np.arange(20), np.arange(20), np.arange(20.0)), q=10)
    assert out.loc[0, "RFM"] == "10-1-1"


def test_scores_do_not_modify_input_and_custom_columns():
    rfm = pd.DataFrame({"rec": [1, 2, 3], "freq": [3, 2, 1], "money": [5.0, 1.0, 2.0]})
    before = rfm.copy()
    out = sg.rfm_scores(rfm, recency_col="rec", frequency_col="freq", monetary_col="money")
    pd.testing.assert_frame_equal(rfm, before)
    # n = 3: 2/3 of customers older -> 1 + floor(5 * 2/3) = 4; 1/3 -> 2; none -> 1
    assert out["R"].tolist() == [4, 2, 1]


@pytest.mark.parametrize("kwargs,exc,fragment", [
    ({"q": 1}, ValueError, "q"), ({"q": 2.5}, TypeError, "q"), ({"q": True}, TypeError, "q"),
    ({"recency_col": "days"}, ValueError, "'days'"),
])
def test_scores_bad_arguments(kwargs, exc, fragment):
    with pytest.raises(exc, match=fragment):
        sg.rfm_scores(_rfm([1, 2], [1, 2], [1.0, 2.0]), **kwargs)


def test_scores_bad_tables():
    with pytest.raises(TypeError, match="rfm must be"):
        sg.rfm_scores(np.ones((3, 3)))
    with pytest.raises(ValueError, match="'frequency'"):
        sg.rfm_scores(pd.DataFrame({"recency_days": [1], "monetary": [1.0]}))
    with pytest.raises(ValueError, match="'monetary'.*missing"):
        sg.rfm_scores(_rfm([1, 2], [1, 2], [1.0, np.nan]))
    with pytest.raises(ValueError, match="'recency_days'.*negative"):
        sg.rfm_scores(_rfm([-1, 2], [1, 2], [1.0, 2.0]))
    with pytest.raises(TypeError, match="'frequency'.*numeric"):
        sg.rfm_scores(_rfm([1, 2], ["1", "2"], [1.0, 2.0]))
    with pytest.raises(ValueError, match="empty"):
        sg.rfm_scores(_rfm([], [], []))


# --------------------------------------------------------------------------- segments
def _rule_matches(r, fm):
    rules = sg.SEGMENT_RULES
    hit = (rules.r_min <= r) & (r <= rules.r_max) & (rules.fm_min <= fm) & (fm <= rules.fm_max)
    return rules.loc[hit, "segment"].tolist()


def test_rule_table_covers_every_cell_exactly_once():
    for r, fm in itertools.product(range(1, 6), repeat=2):
        assert len(_rule_matches(r, fm)) == 1, (r, fm)
    assert sg.SEGMENTS == list(dict.fromkeys(sg.SEGMENTS))  # names unique
    assert set(sg.segment_grid().stack()) == set(sg.SEGMENTS)  # every segment reachable


def test_every_score_combination_maps_to_its_rule():
    combos = list(itertools.product(range(1, 6), repeat=3))
    scores = pd.DataFrame(combos, columns=["R", "F", "M"])
    seg = sg.rfm_segments(scores)
    assert seg.notna().all() and len(seg) == 125
    for (r, f, m), name in zip(combos, seg, strict=True):
        fm = int(np.floor((f + m) / 2 + 0.5))   # mean of F and M, halves rounded up
        assert [name] == _rule_matches(r, fm)
    only_f = sg.rfm_segments(scores, monetary=False)
    for (r, f, _), name in zip(combos, only_f, strict=True):
        assert [name] == _rule_matches(r, f)


def test_named_cases():
    scores = pd.DataFrame({"R": [5, 1, 5, 1, 2, 3], "F": [5, 1, 1, 5, 5, 3], "M": [4, 1, 1, 5, 4, 3]},
                          index=list("abcdef"))
    seg = sg.rfm_segments(scores)
    assert seg.tolist() == ["Champions", "Lost", "New Customers", "Can't Lose Them",
                            "Can't Lose Them", "Need Attention"]   # (5+4)/2 = 4.5 -> 5
    assert seg.index.equals(scores.index) and seg.name == "segment"
    assert list(seg.cat.categories) == sg.SEGMENTS


def test_segments_errors():
    with pytest.raises(ValueError, match="q=5"):
        sg.rfm_segments(pd.DataFrame({"R": [6], "F": [1], "M": [1]}))
    with pytest.raises(ValueError, match="'F'.*1..5"):
        sg.rfm_segments(pd.DataFrame({"R": [1], "F": [0], "M": [1]}))
    with pytest.raises(ValueError, match="'M'.*1..5"):
        sg.rfm_segments(pd.DataFrame({"R": [1], "F": [1], "M": [2.5]}))
    with pytest.raises(ValueError, match="'M'"):
        sg.rfm_segments(pd.DataFrame({"R": [1], "F": [1]}))
    assert sg.rfm_segments(pd.DataFrame({"R": [1], "F": [1]}), monetary=False).tolist() == ["Lost"]
    with pytest.raises(TypeError, match="scores must be"):
        sg.rfm_segments([[1, 1, 1]])


# --------------------------------------------------------------------------- k-means
@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(3)
    centres = np.array([[0, 0], [4, 0], [0, 4], [4, 4]])
    return np.vstack([c + rng.normal(0, 0.8, (150, 2)) for c in centres])


def test_kmeans_sweep_matches_sklearn(blobs):
    sweep = sg.kmeans_sweep(blobs, [2, 3, 4, 5], random_state=7, n_init=4, silhouette_sample=300)
    assert sweep.index.tolist() == [2, 3, 4, 5]
    for k in sweep.index:
        km = KMeans(n_clusters=k, n_init=4, random_state=7).fit(blobs)
        assert sweep.loc[k, "inertia"] == pytest.approx(km.inertia_, rel=1e-10)
        sil = silhouette_score(blobs, km.labels_, sample_size=300, random_state=7)
        assert sweep.loc[k, "silhouette"] == pytest.approx(sil, rel=1e-10)
        share = np.bincount(km.labels_).min() / len(blobs)
        assert sweep.loc[k, "smallest_cluster_share"] == pytest.approx(share)
    assert sweep["silhouette"].idxmax() == 4          # the four blobs
    assert sweep["inertia"].is_monotonic_decreasing


def test_kmeans_sweep_full_silhouette_and_dataframe_input(blobs):
    df = pd.DataFrame(blobs, columns=["a", "b"])
    full = sg.kmeans_sweep(df, [3], silhouette_sample=None)
    big = sg.kmeans_sweep(blobs, [3], silhouette_sample=10_000)  # >= n: all rows
    km = KMeans(n_clusters=3, n_init=10, random_state=0).fit(blobs)
    assert full.loc[3, "silhouette"] == pytest.approx(silhouette_score(blobs, km.labels_))
    assert big.loc[3, "silhouette"] == pytest.approx(full.loc[3, "silhouette"])


@pytest.mark.parametrize("X,ks,exc,fragment", [
    (np.ones(10), [2], ValueError, "2-D"),
    (np.array([[1.0, np.nan]] * 5), [2], ValueError, "NaN"),
    (np.ones((5, 2)), [1], ValueError, "k in ks"),
    (np.ones((5, 2)), [5], ValueError, "below the number of rows"),
    (np.ones((5, 2)), "3", TypeError, "ks must be"),
    (np.ones((5, 2)), [], ValueError, "empty"),
    (np.ones((5, 2)), [2, 2], ValueError, "duplicates"),
    (pd.DataFrame({"a": [1.0] * 5, "b": list("abcde")}), [2], TypeError, "'b'"),
    ("abc", [2], TypeError, "X must be"),
])
def test_kmeans_sweep_bad_input(X, ks, exc, fragment):
    with pytest.raises(exc, match=fragment):
        sg.kmeans_sweep(X, ks)


def test_seed_stability_matches_sklearn(blobs):
    seeds = [0, 1, 2]
    out = sg.seed_stability(blobs, 4, seeds, n_init=1)
    fits = [KMeans(n_clusters=4, n_init=1, random_state=s).fit(blobs) for s in seeds]
    inertia = [f.inertia_ for f in fits]
    best = int(np.argmin(inertia))
    assert out["inertia"].tolist() == pytest.approx(inertia)
    assert out["is_best"].tolist() == [i == best for i in range(3)]
    for s, f in zip(seeds, fits, strict=True):
        assert out.loc[s, "ari_vs_best"] == pytest.approx(
            adjusted_rand_score(fits[best].labels_, f.labels_))
    assert out.loc[seeds[best], "ari_vs_best"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="two distinct"):
        sg.seed_stability(blobs, 4, [1])
    with pytest.raises(TypeError, match="k must be"):
        sg.seed_stability(blobs, 2.0)


# --------------------------------------------------------------------------- profile
@pytest.fixture()
def customers():
    rng = np.random.default_rng(5)
    n = 60
    return pd.DataFrame({"recency_days": rng.integers(0, 300, n),
                         "frequency": rng.integers(1, 10, n),
                         "monetary": rng.gamma(2, 100, n),
                         "region": rng.choice(["north", "south"], n),
                         "vip": rng.random(n) < 0.2},
                        index=pd.Index([f"C{i:03d}" for i in range(n)], name="customer_id"))


def test_profile_matches_groupby_oracle(customers):
    labels = np.random.default_rng(6).choice(["b", "a", "c"], len(customers))
    before = customers.copy()
    out = sg.profile(customers, labels)
    pd.testing.assert_frame_equal(customers, before)
    g = customers.assign(lab=labels).groupby("lab")
    assert out.index.tolist() == ["a", "b", "c"]
    assert out["n_customers"].tolist() == g.size().tolist()
    assert out["customer_share"].sum() == pytest.approx(1.0)
    rev = g["monetary"].sum() / customers["monetary"].sum()
    assert out["revenue_share"].to_numpy() == pytest.approx(rev.to_numpy())
    for col in ["recency_days", "frequency", "monetary"]:
        assert out[f"{col}_mean"].to_numpy() == pytest.approx(g[col].mean().to_numpy())
        assert out[f"{col}_median"].to_numpy() == pytest.approx(g[col].median().to_numpy())
    assert "region_mean" not in out and "vip_mean" not in out  # text / boolean columns skipped


def test_profile_series_alignment_and_categorical_order(customers):
    lab = pd.Series(np.where(customers["frequency"] > 4, "high", "low"), index=customers.index)
    shuffled = lab.sample(frac=1.0, random_state=0)
    pd.testing.assert_frame_equal(sg.profile(customers, shuffled), sg.profile(customers, lab.to_numpy()))
    cat = pd.Series(pd.Categorical(lab, categories=["low", "none", "high"], ordered=True),
                    index=customers.index)
    out = sg.profile(customers, cat, columns=["monetary"], stats="median", revenue_col=None)
    assert out.index.tolist() == ["low", "high"]            # category order, empty dropped
    assert out.columns.tolist() == ["n_customers", "customer_share", "monetary_median"]


def test_profile_errors(customers):
    with pytest.raises(ValueError, match="one entry per row"):
        sg.profile(customers, [1, 2, 3])
    with pytest.raises(ValueError, match="missing"):
        sg.profile(customers, [np.nan] + [1.0] * (len(customers) - 1))
    with pytest.raises(ValueError, match="no entry"):
        sg.profile(customers, pd.Series(1, index=customers.index[:-1]))
    with pytest.raises(ValueError, match="stats"):
        sg.profile(customers, np.zeros(len(customers)), stats=["max"])
    with pytest.raises(TypeError, match="'region'.*numeric"):
        sg.profile(customers, np.zeros(len(customers)), columns=["region"])
    with pytest.raises(ValueError, match="'spend'"):
        sg.profile(customers, np.zeros(len(customers)), revenue_col="spend")
    with pytest.raises(TypeError, match="df must be"):
        sg.profile(customers.to_numpy(), np.zeros(len(customers)))
