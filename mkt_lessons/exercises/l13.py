"""Lesson 13 (reviews and social listening) exercises: the idf of one word, marking the scope
of a negation, and the share of 5-star reviews whose text complains."""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

from mkt_lessons import data
from mkt_lessons.exercises import FunctionProblem, ValueProblem, collect, solutions_printer

WORD = "late"               # the term of exercise 1
NEGATION_SCOPE = 3          # words a negator governs in exercise 2
PUNCTUATION = frozenset(".,;:!?")


# --------------------------------------------------------------------------- notebook state
@functools.lru_cache(maxsize=1)
def _reviews() -> pd.DataFrame:
    """The reviews with their lexicon label (as notebook 13 builds `rv`)."""
    from mkt_lessons import text

    rv = data.load_reviews()
    rv["lexicon"] = text.lexicon_score(rv["text"])["label"]
    return rv


def namespace() -> dict:
    """The variables notebook 13 has when its exercises start."""
    from mkt_lessons import text

    return {"np": np, "pd": pd, "math": math, "text": text, "rv": _reviews().copy()}


# --------------------------------------------------------------------------- q1
def _n_reviews() -> int:
    return len(_reviews())


@functools.lru_cache(maxsize=1)
def _df() -> int:
    """In how many reviews the word occurs (at least once)."""
    from mkt_lessons import text

    return int(sum(WORD in set(text.tokenize(d)) for d in _reviews()["text"]))


def _idf(kind: str = "smooth") -> float:
    n, df = _n_reviews(), _df()
    if kind == "plain":
        return math.log(n / df) + 1
    if kind == "no_plus_one":
        return math.log((1 + n) / (1 + df))
    return math.log((1 + n) / (1 + df)) + 1


q1 = ValueProblem(
    "idf_late", _idf, rtol=1e-4, atol=1e-6,
    mistakes=[(lambda: _idf("plain"),
               "That is the unsmoothed idf, ln(n / df) + 1. The lesson's formula adds 1 to both "
               "n and df (as if one extra review contained every term)."),
              (lambda: _idf("no_plus_one"),
               "Almost: you left out the final + 1 (it keeps a term found in every review from "
               "getting weight 0)."),
              (lambda: math.log10((1 + _n_reviews()) / (1 + _df())) + 1,
               "You used the base-10 logarithm; the formula (and scikit-learn) use the natural "
               "logarithm, ln (`math.log` or `np.log`).")],
    hint="Count the reviews whose tokens (text.tokenize) contain the word: that is df(t). "
         "Then apply the formula of section 2 with n = the number of reviews. You can check "
         "against `tf.idf` of text.tfidf_matrix.",
    solution="""
        n = len(rv)
        df_late = sum("late" in set(text.tokenize(t)) for t in rv["text"])
        idf_late = math.log((1 + n) / (1 + df_late)) + 1
    """,
    success="A word in few reviews gets a high idf: 'late' is specific enough to weigh more "
            "than 'the' or 'is' in every review that uses it.",
)


# --------------------------------------------------------------------------- q2
def _is_negator(token: str) -> bool:
    return token in {"not", "no", "never"} or token.endswith("n't")


def _mark_negation(tokens, *, stop_at_punctuation=True, mark_negator=False, scope=NEGATION_SCOPE):
    out, left = [], 0
    for tok in tokens:
        if tok in PUNCTUATION:
            if stop_at_punctuation:
                left = 0
            out.append(tok)
        elif _is_negator(tok):
            out.append("not_" + tok if mark_negator and left > 0 else tok)
            left = scope
        elif left > 0:
            out.append("not_" + tok)
            left -= 1
        else:
            out.append(tok)
    return out


def _negation_cases() -> list[tuple]:
    return [(["the", "delivery", "wasn't", "fast", ",", "but", "good"],),
            (["not", "good", ".", "nice", "colour"],),
            (["it", "is", "not", "sturdy", "at", "all", "and", "rather", "flimsy"],),
            (["never", "again", "!"],),
            (["great", "value"],),
            (["no", "no", "way", "this", "is", "good", "."],),
            ([],)]


q2 = FunctionProblem(
    "mark_negation", _mark_negation, _negation_cases,
    mistakes=[(functools.partial(_mark_negation, stop_at_punctuation=False),
               "Your negation runs across punctuation: in 'not good. nice colour' the word "
               "'nice' is not negated. A punctuation mark ends the scope."),
              (functools.partial(_mark_negation, scope=10**9),
               "Your negation never ends: it should govern only the next 3 words (or fewer, "
               "up to the next punctuation mark)."),
              (functools.partial(_mark_negation, scope=1),
               "Your negation governs only the next word: 'not sturdy at all' should give "
               "not_sturdy, not_at, not_all (the next 3 words).")],
    hint="Walk through the tokens keeping a counter of how many words are still negated. A "
         "negator ('not', 'no', 'never' or a word ending in \"n't\") sets it to 3 and is kept "
         "as it is; a punctuation mark sets it to 0 and is kept; any other word gets 'not_' "
         "while the counter is above 0 (and the counter goes down by one).",
    solution="""
        def mark_negation(tokens):
            out, left = [], 0
            for tok in tokens:
                if tok in {".", ",", ";", ":", "!", "?"}:
                    left = 0
                    out.append(tok)
                elif tok in {"not", "no", "never"} or tok.endswith("n't"):
                    left = 3
                    out.append(tok)
                elif left > 0:
                    out.append("not_" + tok)
                    left -= 1
                else:
                    out.append(tok)
            return out
    """,
    success="With this, 'not_fast' becomes its own term, and a model can learn it is a "
            "complaint while 'fast' is praise (text.tokenize(..., mark_negation=True) also "
            "ends the scope at 'but').",
)


# --------------------------------------------------------------------------- q3
def _good_rating_share(kind: str = "share") -> float:
    rv = _reviews()
    good = rv["rating"] >= 4
    neg = rv["lexicon"] == "negative"
    if kind == "all":
        return float((good & neg).mean())
    if kind == "reverse":
        return float(neg[good].mean())
    if kind == "five":
        return float((rv["rating"] == 5)[neg].mean())
    if kind == "not_positive":
        npos = rv["lexicon"] != "positive"
        return float(good[npos].mean())
    return float(good[neg].mean())


q3 = ValueProblem(
    "good_rating_share", _good_rating_share, rtol=0, atol=5e-4 + 1e-12,
    mistakes=[(lambda: _good_rating_share("all"),
               "You divided by all reviews. The question is a share *of the reviews whose text "
               "is negative*: divide by their number."),
              (lambda: _good_rating_share("reverse"),
               "That is the share of 4-5 star reviews whose text is negative; the question asks "
               "the reverse: of the negative texts, how many carry 4 or 5 stars?"),
              (lambda: _good_rating_share("five"),
               "You counted 5-star reviews only; 'a good rating' here means 4 or 5 stars."),
              (lambda: _good_rating_share("not_positive"),
               "You counted the neutral texts (score exactly 0) as negative too: keep only the "
               "label 'negative'.")],
    hint="Keep the rows of `rv` whose lexicon label is 'negative', then take the mean of "
         "(rating >= 4) over them.",
    solution="""
        good_rating_share = (rv.loc[rv["lexicon"] == "negative", "rating"] >= 4).mean()
    """,
    success="A star-rating dashboard never shows these complaints: a team reading only "
            "1-3 star reviews misses them.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
