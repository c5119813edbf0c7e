"""Bad input to mkt_lessons.text (machinery in badinput.py).

A corpus (``texts``) is a one-dimensional list of strings: the shared ``Array`` role gives
its mistakes (a single string, a 2-D array, no texts, a missing text); non-string elements,
a single text's None/NaN/number, ``ngram_range`` pairs, lexicons, seed lists and fitted
pipelines are listed as ``extra`` mutations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from badinput import Array, Flag, Option, Real, Size, Spec, Table, make_tests

from mkt_lessons import text

DOCS = ["Delivery was late and the parcel was damaged", "Lovely colour, very good value",
        "Not good: flimsy and overpriced", "The staff were helpful and friendly",
        "Too small but sturdy", "Great quality, fast delivery"]


def _set(key, value):
    def mutate(kw):
        kw[key] = value(kw[key]) if callable(value) else value
        return kw
    return mutate


def text_mistakes(key="text"):
    return [(f"none:{key}", _set(key, None), TypeError),
            (f"nan:{key}", _set(key, float("nan")), TypeError),
            (f"number:{key}", _set(key, 5), TypeError),
            (f"list:{key}", _set(key, ["a text"]), TypeError)]


def corpus_mistakes(key="texts"):
    return [(f"number_in:{key}", _set(key, lambda t: [3, *list(t)[1:]]), TypeError),
            (f"nan_in:{key}", _set(key, lambda t: pd.Series([*list(t)[:-1], np.nan])), ValueError),
            (f"frame:{key}", _set(key, lambda t: pd.DataFrame({"text": list(t)})), TypeError),
            (f"none:{key}", _set(key, None), TypeError)]


def ngram_mistakes(key="ngram_range"):
    return [(f"scalar:{key}", _set(key, 2), TypeError),
            (f"text:{key}", _set(key, (1, "2")), TypeError),
            (f"order:{key}", _set(key, (2, 1)), ValueError),
            (f"zero:{key}", _set(key, (0, 1)), ValueError)]


def lexicon_mistakes(key="lexicon"):
    return [(f"notdict:{key}", _set(key, ["good"]), TypeError),
            (f"empty:{key}", _set(key, {}), ValueError),
            (f"text:{key}", _set(key, {"good": "2"}), TypeError),
            (f"nan:{key}", _set(key, {"good": float("nan")}), ValueError)]


def seed_mistakes(key="seeds"):
    return [(f"notdict:{key}", _set(key, ["late"]), TypeError),
            (f"empty:{key}", _set(key, {}), ValueError),
            (f"string:{key}", _set(key, {"delivery": "late"}), TypeError),
            (f"emptylist:{key}", _set(key, {"delivery": []}), ValueError)]


def _fitted_pipeline():
    return text.sentiment_pipeline("nb").fit(DOCS, ["neg", "pos", "neg", "pos", "neg", "pos"])


def _aspect_frames():
    pred = pd.DataFrame({"delivery": [True, False, True, False], "design": [False, True, False, False]})
    truth = pd.DataFrame({"delivery": [1, 0, -1, 0], "design": [0, 1, 0, 1], "value": [0, 0, 1, 0]})
    return dict(predicted=pred, truth=truth)


_CORPUS = Array(numeric=False)

SPECS = [
    Spec(text.tokenize, lambda: dict(text=DOCS[0], ngram_range=(1, 2), stop_words="english"),
         {"lowercase": Flag(), "mark_negation": Flag(), "negation_scope": Size(low=1, high=10),
          "stop_words": Option()},
         extra=[*text_mistakes(), *ngram_mistakes(),
                ("list_of_numbers:stop_words", _set("stop_words", [1, 2]), TypeError)]),
    Spec(text.tfidf_matrix, lambda: dict(texts=list(DOCS), min_df=1, max_df=1.0),
         {"texts": _CORPUS, "min_df": Size(low=1), "max_df": Real(low=0, high=1, low_open=True),
          "use_idf": Flag(), "smooth_idf": Flag(), "sublinear_tf": Flag(),
          "mark_negation": Flag(), "norm": Option(), "stop_words": Option()},
         extra=[*corpus_mistakes(), *ngram_mistakes()]),
    Spec(text.lexicon_score, lambda: dict(texts=pd.Series(DOCS), lexicon={"good": 2, "late": -1}),
         {"texts": _CORPUS, "negation_scope": Size(low=1, high=10)},
         extra=[*corpus_mistakes(), *lexicon_mistakes()]),
    Spec(text.explain_sentiment, lambda: dict(text=DOCS[2], lexicon={"good": 2}),
         {"negation_scope": Size(low=1, high=10)},
         extra=[*text_mistakes(), *lexicon_mistakes()]),
    Spec(text.sentiment_pipeline, lambda: dict(model="logistic", min_df=1, C=1.0, alpha=1.0),
         {"model": Option(), "min_df": Size(low=1), "C": Real(low=0, low_open=True),
          "alpha": Real(low=0, low_open=True), "mark_negation": Flag(),
          "random_state": Size(low=0), "stop_words": Option()},
         extra=ngram_mistakes()),
    Spec(text.top_terms, lambda: dict(pipeline=_fitted_pipeline(), n=3),
         {"n": Size(low=1)},
         extra=[("notpipeline:pipeline", _set("pipeline", "nb"), TypeError),
                ("unfitted:pipeline", _set("pipeline", lambda p: text.sentiment_pipeline()),
                 ValueError)]),
    Spec(text.topics, lambda: dict(texts=list(DOCS), n_topics=2, min_df=1),
         {"texts": _CORPUS, "n_topics": Size(low=1), "method": Option(), "n_terms": Size(low=1),
          "min_df": Size(low=1), "max_df": Real(low=0, high=1, low_open=True),
          "random_state": Size(low=0), "stop_words": Option()},
         extra=[*corpus_mistakes(), *ngram_mistakes(),
                ("toomany:n_topics", _set("n_topics", 50), ValueError)]),
    Spec(text.select_n_topics,
         lambda: dict(texts=list(DOCS) * 3, candidates=[2, 3], n_runs=1, min_df=1),
         {"texts": _CORPUS, "method": Option(), "n_runs": Size(low=1),
          "sample_fraction": Real(low=0, high=1, low_open=True, high_open=True),
          "held_out": Real(low=0, high=1, low_open=True, high_open=True),
          "n_terms": Size(low=1), "min_df": Size(low=1),
          "max_df": Real(low=0, high=1, low_open=True), "random_state": Size(low=0)},
         extra=[*corpus_mistakes(), *ngram_mistakes(),
                ("text:candidates", _set("candidates", "2,3"), TypeError),
                ("one:candidates", _set("candidates", [1, 2]), ValueError),
                ("float:candidates", _set("candidates", [2.5]), TypeError),
                ("empty:candidates", _set("candidates", []), ValueError),
                ("repeated:candidates", _set("candidates", [2, 2]), ValueError),
                ("toomany:candidates", _set("candidates", [2, 17]), ValueError)]),
    Spec(text.tag_aspects, lambda: dict(texts=pd.Series(DOCS), seeds={"delivery": ["late"]}),
         {"texts": _CORPUS}, extra=[*corpus_mistakes(), *seed_mistakes()]),
    Spec(text.aspect_agreement, _aspect_frames,
         {"predicted": Table(numeric=["delivery", "design"]),
          "truth": Table(numeric=["delivery", "design"])},
         accept={"missing:predicted[delivery]": "predicted's columns are the aspects compared: "
                 "without one, fewer aspects are compared",
                 "missing:predicted[design]": "predicted's columns are the aspects compared: "
                 "without one, fewer aspects are compared"},
         extra=[("rows:truth", _set("truth", lambda t: t.iloc[:3]), ValueError),
                ("nocolumns:predicted", _set("predicted", lambda p: p[[]]), ValueError)]),
]
test_bad_input, test_valid_call = make_tests(SPECS)
