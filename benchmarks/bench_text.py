"""Benchmark: lesson 13's text functions on a review-sized corpus (budget: notebook <= 20 s).

Builds 20,000 short review-like texts from a seeded phrase list (about five times the
bundled reviews), then times ``tokenize`` (all texts), ``tfidf_matrix`` (unigrams+bigrams),
``lexicon_score``, ``tag_aspects``, a 5-fold naive Bayes ``sentiment_pipeline``, NMF
``topics`` (6 topics) and ``select_n_topics`` (NMF, 3..8 topics, 3 runs) on the first 4,000
texts. Prints wall and CPU time, best of 3 (1 for the slow ones).
Run with `python benchmarks/bench_text.py` or `make bench`.
"""

from __future__ import annotations

import time

import numpy as np
from sklearn.model_selection import cross_val_score

from mkt_lessons import text

SUBJECTS = ["the delivery", "the quality", "the price", "the colour", "the staff", "the size",
            "the parcel", "the material", "the design", "customer service"]
VERBS = ["was", "is", "wasn't", "isn't", "was really", "is a bit", "was not"]
WORDS = ["great", "late", "sturdy", "flimsy", "good value", "overpriced", "lovely", "ugly",
         "helpful", "rude", "too small", "just right", "fast", "slow", "well made", "broken"]


def corpus(n: int = 20_000, seed: int = 0) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(seed)
    docs = []
    for _ in range(n):
        k = int(rng.integers(1, 4))
        parts = [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(WORDS)}" for _ in range(k)]
        docs.append(", but ".join(parts).capitalize() + ".")
    labels = np.where(text.lexicon_score(docs)["score"] > 0, "positive", "negative")
    return docs, labels


def _measure(fn, repeats: int = 3) -> tuple[float, float]:
    best_wall = best_cpu = float("inf")
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        best_wall = min(best_wall, time.perf_counter() - w)
        best_cpu = min(best_cpu, time.process_time() - c)
    return best_wall, best_cpu


def main() -> None:
    docs, labels = corpus()
    small = docs[:4000]
    cases = [
        ("tokenize, 20k texts", lambda: [text.tokenize(d) for d in docs], 3),
        ("tfidf_matrix (1, 2)-grams, 20k", lambda: text.tfidf_matrix(docs, ngram_range=(1, 2)), 3),
        ("lexicon_score, 20k", lambda: text.lexicon_score(docs), 3),
        ("tag_aspects, 20k", lambda: text.tag_aspects(docs), 3),
        ("5-fold NB pipeline, 20k", lambda: cross_val_score(text.sentiment_pipeline("nb"), docs,
                                                           labels, cv=5), 1),
        ("topics NMF k=6, 4k", lambda: text.topics(small, 6), 3),
        ("select_n_topics NMF 3..8 x 3 runs, 4k",
         lambda: text.select_n_topics(small, range(3, 9), n_runs=3), 1),
    ]
    for name, fn, repeats in cases:
        wall, cpu = _measure(fn, repeats)
        print(f"{name:<42} wall {wall:6.2f} s   cpu {cpu:6.2f} s")


if __name__ == "__main__":
    main()
