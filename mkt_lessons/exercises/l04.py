"""Lesson 04 (segmentation) exercises: count the Champions, write the recency score,
choose k from a sweep, the ARI of another clustering, and what to do with "At Risk"."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from mkt_lessons import data, features
from mkt_lessons import segmentation as sg
from mkt_lessons.constants import DATA_END
from mkt_lessons.exercises import (
    FunctionProblem,
    ThoughtProblem,
    ValueProblem,
    collect,
    solutions_printer,
)

SNAPSHOT = DATA_END + pd.Timedelta(days=1)  # the lesson's "today": the day after the data end
SWEEP_KS = range(2, 9)


@functools.cache
def _rfm():
    return features.rfm_table(data.load_orders(), SNAPSHOT)


@functools.cache
def _personas():
    truth = data.load_truth().customers.set_index("customer_id")["persona"]
    return truth.reindex(_rfm().index)


def _matrix(log: bool = True, scale: bool = True) -> np.ndarray:
    from sklearn.preprocessing import StandardScaler

    values = _rfm()[["recency_days", "frequency", "monetary"]].to_numpy(dtype="float64")
    values = np.log1p(values) if log else values
    return StandardScaler().fit_transform(values) if scale else values


@functools.cache
def _sweep():
    return sg.kmeans_sweep(_matrix(), SWEEP_KS, random_state=0, n_init=10)


def namespace() -> dict:
    """The variables notebook 04 has when its exercises start."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score
    from sklearn.preprocessing import StandardScaler

    rfm = _rfm().copy()
    scores = sg.rfm_scores(rfm)
    return {"pd": pd, "np": np, "rfm": rfm, "scores": scores,
            "segments": sg.rfm_segments(scores), "X": _matrix(), "personas": _personas().copy(),
            "sweep": _sweep().copy(), "KMeans": KMeans, "StandardScaler": StandardScaler,
            "adjusted_rand_score": adjusted_rand_score, "rfm_scores": sg.rfm_scores,
            "rfm_segments": sg.rfm_segments, "kmeans_sweep": sg.kmeans_sweep,
            "profile": sg.profile}


# --------------------------------------------------------------------------- q1
def _n_champions(reverse_recency: bool = True, monetary: bool = True) -> int:
    scores = sg.rfm_scores(_rfm())
    if not reverse_recency:  # the typical slip: "more days = higher score"
        scores = scores.assign(R=6 - scores["R"])
    return int((sg.rfm_segments(scores, monetary=monetary) == "Champions").sum())


q1 = ValueProblem(
    "n_champions", _n_champions, rtol=0, atol=0,
    mistakes=[
        (lambda: _n_champions(reverse_recency=False),
         "That count treats *more* days since the last order as better: recency must be "
         "reversed (the most recent customers score R = 5)."),
        (lambda: _n_champions(monetary=False),
         "That uses the frequency-only grid (FM = F); the lesson's rules combine F and M."),
    ],
    hint="`segments` (from `rfm_segments(scores)`) holds one segment name per customer: "
         'compare it with "Champions" and add up the matches.',
    solution='n_champions = int((segments == "Champions").sum())',
    success="Champions are a few hundred customers who bought recently and buy often: the "
            "people to thank, not to discount.",
)


# --------------------------------------------------------------------------- q2
def _r_score_reference(recency_days):
    frame = pd.DataFrame({"recency_days": np.asarray(recency_days, dtype="float64"),
                          "frequency": 1, "monetary": 1.0})
    return sg.rfm_scores(frame)["R"].to_numpy()


def _r_score_cases():
    rng = np.random.default_rng(4)
    return [(np.array([3, 30, 300, 30, 90]),),
            (np.array([10, 10, 10, 10, 200, 5, 5, 400, 1, 60]),),
            (np.array([7, 7, 7, 21]),),                 # fewer distinct values than 5
            (rng.integers(0, 60, 137),)]                # many ties, n not a multiple of 5


q2 = FunctionProblem(
    "r_score", _r_score_reference, _r_score_cases,
    hint="For each customer you need the number of customers with a strictly longer "
         "recency. pandas' `rank` can count that if you pick its `method` (ties must share a "
         "rank) and its direction; then apply the lesson's formula.",
    solution='''
        def r_score(recency_days):
            s = pd.Series(recency_days)
            longer = s.rank(method="min", ascending=False) - 1  # strictly longer recency
            return (1 + np.floor(5 * longer / len(s))).astype(int).to_numpy()
    ''',
    explanation="Ranking with method='min' gives tied customers the same rank, so the same "
                "score; ascending=False reverses recency so that recent = high. The 'average' "
                "rank would also keep ties together, but moves the tied block's score up.",
)


# --------------------------------------------------------------------------- q3
q3 = ValueProblem(
    "best_k", lambda: int(_sweep().loc[3:, "silhouette"].idxmax()), rtol=0, atol=0,
    mistakes=[
        (lambda: int(_sweep()["inertia"].idxmin()),
         "That is the k with the lowest inertia, which is always the largest k tried: "
         "inertia can only fall as clusters are added."),
        (lambda: int(_sweep()["silhouette"].idxmax()),
         "That k is below 3: the question asks for k >= 3 (two segments are too coarse "
         "to plan campaigns with)."),
    ],
    hint="`sweep` is indexed by k. Look only at k of 3 or more; pandas can give you the "
         "index label of a column's largest value.",
    solution='best_k = int(sweep.loc[3:, "silhouette"].idxmax())',
    success="Check it against the elbow of the inertia curve and, above all, against whether "
            "the clusters make sense to the business: the silhouette differences between "
            "neighbouring k are small here.",
)


# --------------------------------------------------------------------------- q4
def _ari_k4(log: bool = True, scale: bool = True) -> float:
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):  # faster on small data, same result
        labels = KMeans(n_clusters=4, n_init=10, random_state=0).fit_predict(_matrix(log, scale))
    return float(adjusted_rand_score(_personas(), labels))


q4 = ValueProblem(
    "ari_k4", _ari_k4, rtol=0, atol=1e-6,
    mistakes=[
        (lambda: _ari_k4(scale=False),
         "Those clusters were fitted on log features that were not standardised: scale "
         "them first (use `X`)."),
        (lambda: _ari_k4(log=False),
         "Those clusters used raw recency, frequency and money (only standardised): the "
         "lesson takes log1p first, so a few big spenders do not dominate."),
        (lambda: _ari_k4(log=False, scale=False),
         "Those clusters used the raw, unscaled table: money in dollars dwarfs everything else."),
    ],
    hint="Section 7's K-means call with a different number of clusters gives the labels; "
         "section 8 shows how to compare labels with the personas.",
    solution='''
        labels_k4 = KMeans(n_clusters=4, n_init=10, random_state=0).fit_predict(X)
        ari_k4 = adjusted_rand_score(personas, labels_k4)
    ''',
    success="Here four clusters agree less with the five personas than five do: with fewer "
            "clusters than personas, some personas must share a cluster, and the ARI counts "
            "every such pair against you.",
)


# --------------------------------------------------------------------------- q5
q5 = ThoughtProblem(
    "q5_answer",
    explanation="Not a blanket discount. 'At Risk' and 'Can't Lose Them' customers used to buy "
                "often and spend well but have not ordered for a long time. (1) Some are "
                "already gone and some would come back anyway: a discount to everyone pays "
                "the second group for nothing and trains customers to wait for coupons. "
                "(2) Start with a reason to return that costs little: a personal "
                "'we miss you' message about the categories they bought, new arrivals, a "
                "service call for the highest spenders. (3) If an incentive is used, test it: "
                "hold out a random control group, so the campaign's lift (not the segment's "
                "baseline return rate) is what you measure (lesson 07). (4) Rank by value at "
                "stake and by churn risk (lesson 08) and spend more on the few 'Can't Lose "
                "Them' than on the many low-value 'Hibernating' customers.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
