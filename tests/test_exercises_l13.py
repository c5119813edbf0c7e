"""Lesson 13 exercises: every solution grades correct, typical wrong answers (a negation that
runs past punctuation, an unsmoothed idf, the wrong denominator or the reverse share) get their targeted message
naming `l13.qK.hint()`, the blank grades 'blank', and the expected answers agree with
independent computations (scikit-learn's TfidfVectorizer, hand-marked token lists, pandas)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from mkt_lessons import text
from mkt_lessons.exercises import ____, l13


def _run(code: str) -> dict:
    ns = l13.namespace()
    exec(code, ns)
    return ns


@pytest.mark.parametrize("problem", l13.PROBLEMS, ids=lambda p: p.name)
def test_solution_grades_correct(problem):
    ns = _run(problem.solution_code)
    result = problem.grade(ns[problem.var])
    assert result.status == "correct", result.message


@pytest.mark.parametrize("problem", l13.PROBLEMS, ids=lambda p: p.name)
def test_blank_grades_blank(problem):
    assert problem.grade(____).status == "blank"


def _blank_body(tokens):
    return ____


def test_unfinished_function_grades_blank():
    assert l13.q2.grade(_blank_body).status == "blank"


def _no_punctuation_stop(tokens):
    out, left = [], 0
    for tok in tokens:
        if tok in {"not", "no", "never"} or tok.endswith("n't"):
            out.append(tok)
            left = 3
        elif left > 0 and tok not in ".,;:!?":
            out.append("not_" + tok)
            left -= 1
        else:
            out.append(tok)
    return out


def _everything_after(tokens):
    out, on = [], False
    for tok in tokens:
        if tok in {"not", "no", "never"} or tok.endswith("n't"):
            on = True
            out.append(tok)
        elif tok in ".,;:!?":
            on = False
            out.append(tok)
        else:
            out.append("not_" + tok if on else tok)
    return out


def _only_next(tokens):
    return [("not_" + t if i and (tokens[i - 1] in {"not", "no", "never"} or tokens[i - 1].endswith("n't"))
             and t not in ".,;:!?" and not (t in {"not", "no", "never"} or t.endswith("n't")) else t)
            for i, t in enumerate(tokens)]


WRONG = {
    "q1": [(l13._idf("plain"), "unsmoothed"), (l13._idf("no_plus_one"), "final + 1"),
           (math.log10((1 + len(l13._reviews())) / (1 + l13._df())) + 1, "base-10"), (1.0, "")],
    "q2": [(_no_punctuation_stop, "across punctuation"), (_everything_after, "never ends"),
           (_only_next, "only the next word"), (lambda tokens: tokens, "")],
    "q3": [(l13._good_rating_share("all"), "divided by all reviews"),
           (l13._good_rating_share("reverse"), "reverse"),
           (l13._good_rating_share("five"), "5-star reviews only"),
           (l13._good_rating_share("not_positive"), "neutral"), (0.5, "")],
}


@pytest.mark.parametrize("name,wrong,fragment",
                         [(k, w, f) for k, items in WRONG.items() for w, f in items])
def test_wrong_answers_grade_incorrect(name, wrong, fragment):
    result = getattr(l13, name).grade(wrong)
    assert result.status == "incorrect"
    assert fragment in result.message, result.message
    assert f"l13.{name}.hint()" in result.message


def test_q1_matches_scikit_learn():
    """The expected idf equals TfidfVectorizer's idf_ for the same tokens."""
    docs = l13._reviews()["text"]
    vec = TfidfVectorizer(analyzer=text.tokenize).fit(docs)
    j = list(vec.get_feature_names_out()).index(l13.WORD)
    assert l13.q1.expected == pytest.approx(vec.idf_[j], rel=1e-12)
    unsmoothed = TfidfVectorizer(analyzer=text.tokenize, smooth_idf=False).fit(docs)
    assert l13._idf("plain") == pytest.approx(unsmoothed.idf_[j], rel=1e-12)


def test_q2_hand_cases():
    """Marked by hand: scope of three words, ended by punctuation, negator kept as it is."""
    ref = l13._mark_negation
    assert ref(["the", "delivery", "wasn't", "fast", ",", "but", "good"]) == \
        ["the", "delivery", "wasn't", "not_fast", ",", "but", "good"]
    assert ref(["not", "good", ".", "nice", "colour"]) == ["not", "not_good", ".", "nice", "colour"]
    assert ref(["not", "sturdy", "at", "all", "and", "flimsy"]) == \
        ["not", "not_sturdy", "not_at", "not_all", "and", "flimsy"]
    assert ref([]) == []


def test_q2_agrees_with_the_package_on_plain_sentences():
    """On sentences without 'but' or 'not only', the exercise's rule is text.tokenize's."""
    for s in ["the delivery wasn't fast. nice colour", "not sturdy at all and rather flimsy",
              "never again! great value", "it is no good at all"]:
        toks = text._raw_tokens(s)  # keeps the punctuation that ends a clause
        want = text.tokenize(s, mark_negation=True)
        got = [t for t in l13._mark_negation(toks) if t not in {".", ",", ";", ":", "!", "?"}]
        assert got == want, s


def test_q3_matches_a_direct_count():
    rv = l13._reviews()
    labels = text.lexicon_score(rv["text"])["label"].to_numpy()
    neg = labels == "negative"
    assert l13.q3.expected == pytest.approx(np.sum(neg & (rv["rating"].to_numpy() >= 4)) / np.sum(neg),
                                            abs=1e-12)
