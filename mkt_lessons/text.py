"""Lesson 13: reviews and social listening - from text to numbers, sentiment, topics, aspects.

Tokenising (the rules, in order)
--------------------------------
:func:`tokenize` turns one text into a list of terms; every other function here uses it, so
a term means the same thing everywhere:

1. **Normalise**: Unicode NFKD, accents dropped (``café`` -> ``cafe``), curly and other
   apostrophes made ``'``; lower-cased unless ``lowercase=False``.
2. **Split** into words: runs of letters/digits, keeping an inner apostrophe (``don't``,
   ``isn't``, ``it's`` stay one token). Other punctuation is dropped, but ``. , ; : ! ?``
   end a clause (they stop a negation's scope, rule 3).
3. **Negation** (only with ``mark_negation=True``): after a negator (``not``, ``no``,
   ``never``, ``nothing``, ``without``, ``hardly``, any ``...n't`` and the typo forms
   ``dont``, ``didnt`` ...), the next ``negation_scope`` words of the same clause get the
   prefix ``not_`` (``"not good"`` -> ``not not_good``). The clause also ends at a
   contrast word (``but``, ``however``, ``although``, ``though``, ``yet``). ``not only`` /
   ``not just`` are not negations (``"not only good but great"`` is praise).
4. **Stop words** are removed (``stop_words="english"`` is :data:`STOP_WORDS`, a short
   list of function words that deliberately keeps ``not``, ``no``, ``never`` and the
   ``n't`` forms: scikit-learn's English list drops them, which turns "not good" into
   "good"). ``stop_words="content"`` (:data:`CONTENT_STOP_WORDS`, the default of the topic
   functions) also drops negators, degree words (``really``, ``incredibly``) and contrast
   words: they say *how* people feel, not *what* they write about.
5. **n-grams**: with ``ngram_range=(1, 2)`` the bigrams of the remaining tokens are added,
   joined by a space, in scikit-learn's order (all unigrams, then all bigrams).

TF-IDF
------
:func:`tfidf_matrix` builds the sparse document-term matrix from those tokens and weights it
as scikit-learn's ``TfidfVectorizer`` does (the tests check equality to 1e-12)::

    tf(t, d)  = count of t in d            (or 1 + ln count with sublinear_tf=True)
    idf(t)    = ln((1 + n) / (1 + df(t))) + 1   (smooth_idf=True; else ln(n / df(t)) + 1)
    x(t, d)   = tf(t, d) * idf(t), then each row scaled to unit length (norm="l2")

with ``n`` documents and ``df(t)`` the number of documents containing ``t``. The ``+ 1``
keeps terms found in every document (idf would be 0); the smoothing acts as if one extra
document contained every term once.

Sentiment, three ways
---------------------
* :func:`lexicon_score`: a small, transparent word list (:data:`SENTIMENT_LEXICON`, valence
  -3 .. +3) with negation and intensifier rules; :func:`explain_sentiment` shows each
  word's contribution. Rules: a lexicon word (or phrase, e.g. ``"well made"``) contributes
  ``valence x modifier x negation``; *modifier* is the factor of the word just before it
  (:data:`INTENSIFIERS` such as ``very`` 1.5, diminishers such as ``slightly`` 0.5; a
  ``of`` is skipped so ``kind of slow`` counts); *negation* is ``NEGATION_FACTOR`` (-0.5)
  when a negator stands within ``negation_scope`` (3) words before it in the same clause
  (rule 3 above): "not good" is mildly negative, "not bad" mildly positive, as people
  rate them. The score is the sum; its sign is the label.
* :func:`sentiment_pipeline`: a plain scikit-learn ``Pipeline`` (vectorizer + logistic
  regression or multinomial naive Bayes) for any labelled texts; :func:`top_terms` lists
  the most telling terms per class.

Topics and aspects
------------------
:func:`topics` fits NMF (on TF-IDF) or LDA (on counts) and returns topic-term tables and
document-topic weights. :func:`select_n_topics` compares numbers of topics by **stability**
(Greene, O'Callaghan & Cunningham 2014: refit on random 80% samples and measure how well
the top terms agree with the full-data topics, average Jaccard after matching) and by
**held-out coherence** (NPMI of the top terms' co-occurrence in documents the model did not
see), with held-out perplexity for LDA shown alongside: perplexity keeps improving with
more topics and is not, alone, a guide to topics people can read.
:func:`tag_aspects` tags texts with aspects (quality, delivery, value, design, service,
size_fit) by seed words (:data:`ASPECT_SEEDS`), for routing reviews to the teams that own
them; :func:`aspect_agreement` measures tags against true aspects (precision, recall, F1,
Cohen's kappa per aspect).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline

from mkt_lessons._results import Result
from mkt_lessons._validation import (
    check_bool,
    check_frame,
    check_int,
    check_option,
    check_real,
    describe,
)

__all__ = [
    "STOP_WORDS", "CONTENT_STOP_WORDS", "NEGATORS", "CONTRAST_WORDS", "INTENSIFIERS", "NEGATION_FACTOR",
    "SENTIMENT_LEXICON", "ASPECT_SEEDS",
    "tokenize", "tfidf_matrix", "TfidfResult",
    "lexicon_score", "explain_sentiment",
    "sentiment_pipeline", "top_terms",
    "topics", "TopicResult", "select_n_topics", "TopicSelection",
    "tag_aspects", "aspect_agreement", "AspectAgreement",
]

# --------------------------------------------------------------------------- word lists
#: English function words removed by ``stop_words="english"``. Negators are *not* in it.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
it's its itself just me more most my myself of off on once only or other our ours ourselves
out over own same she should so some such than that the their theirs them themselves then
there these they this those through to too under until up us very was we were what when
where which while who whom why will with would you your yours yourself yourselves i'm i've
i'd we've we're they're you're that's there's
""".split())

#: Words that negate what follows (any token ending in ``n't`` also does).
NEGATORS = frozenset("""
not no never nothing nobody none nor neither without hardly barely cannot
dont doesnt didnt isnt wasnt arent werent wont cant couldnt wouldnt shouldnt havent hasnt
""".split())

#: Words that end a clause (and so a negation's scope).
CONTRAST_WORDS = frozenset({"but", "however", "although", "though", "yet"})

_N_T = frozenset("""
isn't wasn't aren't weren't don't doesn't didn't won't can't couldn't wouldn't shouldn't
haven't hasn't hadn't
""".split())

#: Degree words and the factor they apply to the next lexicon word (> 1 strengthens).
INTENSIFIERS = MappingProxyType({
    "very": 1.5, "really": 1.5, "so": 1.3, "super": 1.5, "extremely": 2.0,
    "incredibly": 2.0, "absolutely": 1.7, "totally": 1.5, "highly": 1.5, "too": 1.5,
    "completely": 1.5, "truly": 1.5,
    "slightly": 0.5, "somewhat": 0.6, "fairly": 0.7, "rather": 0.7, "quite": 0.8,
    "bit": 0.6, "kind": 0.6, "sort": 0.6, "little": 0.6, "mildly": 0.6,
})

#: Stop words for topics (``stop_words="content"``): function words, negators, degree and
#: contrast words.
CONTENT_STOP_WORDS = STOP_WORDS | NEGATORS | _N_T | CONTRAST_WORDS | frozenset(INTENSIFIERS)

#: Factor applied to a negated lexicon word ("not good" = -0.5 x good).
NEGATION_FACTOR = -0.5

#: A small hand-written valence list (-3 .. +3) for product reviews and everyday praise or
#: complaint; phrases are matched before single words.
SENTIMENT_LEXICON = MappingProxyType({
    # praise
    "love": 3, "loved": 3, "loves": 3, "excellent": 3, "perfect": 3, "amazing": 3,
    "fantastic": 3, "gorgeous": 3, "delighted": 3, "outstanding": 3, "superb": 3,
    "brilliant": 3, "wonderful": 3, "best": 3, "great": 2, "good": 2, "lovely": 2,
    "beautiful": 2, "beautifully": 2, "happy": 2, "pleased": 2, "recommend": 2,
    "recommended": 2, "helpful": 2, "friendly": 2, "elegant": 2, "stylish": 2,
    "comfortable": 2, "durable": 2, "sturdy": 2, "bargain": 2, "enjoy": 2, "enjoyed": 2,
    "enjoyable": 2, "fun": 2, "solid": 1.5, "quick": 1.5, "fast": 1.5, "nice": 1.5,
    "responsive": 1.5, "worth": 1.5, "funny": 1.5, "charming": 2, "fine": 1, "decent": 1,
    "okay": 0.5, "ok": 0.5,
    "well made": 2, "worth it": 2, "on time": 1.5, "just right": 2, "spot on": 2,
    "as described": 1, "fairly priced": 1.5, "well packed": 1.5,
    # complaint
    "terrible": -3, "awful": -3, "horrible": -3, "worst": -3, "useless": -3, "hate": -3,
    "rubbish": -2.5, "broken": -2.5, "defective": -2.5, "faulty": -2.5, "rude": -2.5,
    "worse": -2.5, "disappointed": -2, "disappointing": -2, "letdown": -2, "poor": -2,
    "bad": -2, "flimsy": -2, "ugly": -2, "unhelpful": -2, "damaged": -2, "overpriced": -2,
    "waste": -2, "annoying": -2, "mess": -2, "stupid": -2, "dumb": -2, "tedious": -2,
    "pointless": -2, "fails": -2, "failed": -2, "fragile": -1.5, "dull": -1.5,
    "boring": -1.5, "slow": -1.5, "late": -1.5, "delayed": -1.5, "scratched": -1.5,
    "wrong": -1.5, "bland": -1.5, "predictable": -1.5, "lacks": -1.5, "expensive": -1,
    "refund": -1, "returned": -1, "mediocre": -1, "meh": -1, "flat": -1,
    "cheaply made": -2, "rip off": -3, "let down": -2, "too small": -1.5, "too big": -1.5,
    "too large": -1.5, "badly packed": -1.5, "cheap looking": -1.5,
})

#: Seed words per aspect (a trailing ``*`` matches any ending: ``deliver*`` matches
#: delivery, delivered). Keys follow the data's truth columns. Written for home-goods
#: reviews; the bundled reviews' phrase grammar uses much of the same everyday vocabulary,
#: so agreement on them is an optimistic upper bound: real customers paraphrase.
ASPECT_SEEDS = MappingProxyType({
    "quality": ("quality", "build", "built", "material*", "sturdy", "solid", "durable",
                "flimsy", "fragile", "well made", "cheaply made", "broke*", "scratch*",
                "defect*", "faulty", "craftsmanship", "fell apart", "lasts"),
    "delivery": ("deliver*", "shipping", "shipped", "parcel*", "packag*", "packed",
                 "courier", "arriv*", "dispatch*", "late", "delayed", "on time", "postage"),
    "value": ("price*", "priced", "value", "money", "worth", "expensive", "overpriced",
              "bargain", "cost*", "afford*", "rip off", "pricey"),
    "design": ("design*", "colour*", "color*", "look", "looks", "looking", "style",
               "stylish", "beautiful", "elegant", "gorgeous", "ugly", "dull", "boring",
               "pretty", "modern"),
    "service": ("service", "support", "staff", "helpful", "unhelpful", "friendly", "rude",
                "responsive", "reply", "replied", "refund*", "agent*"),
    "size_fit": ("size*", "sized", "fit", "fits", "fitted", "dimension*", "small",
                 "smaller", "big", "bigger", "large", "larger", "tight", "loose", "narrow",
                 "just right", "spot on", "measurement*"),
})

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'",
                              "\u00b4": "'", "\u2032": "'"})
_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[.,;:!?]")
_BREAKS = frozenset(".,;:!?")
_NOT_NEGATION_AFTER = frozenset({"only", "just"})


# --------------------------------------------------------------------------- validation
def _check_text(text: Any, name: str = "text") -> str:
    if isinstance(text, str):
        return text
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        raise TypeError(f"{name} must be a string, got a missing value ({describe(text)}); "
                        "drop or fill missing texts first")
    raise TypeError(f"{name} must be a string, got {describe(text)}")


def _check_texts(texts: Any, name: str = "texts", *, min_len: int = 1) -> list[str]:
    """A corpus (list, tuple, array or Series of strings) as a list; clear errors otherwise."""
    if isinstance(texts, str | bytes):
        raise TypeError(f"{name} must be a list or Series of texts, got a single string "
                        f"({describe(texts)}); wrap one text in a list: [text]")
    if isinstance(texts, pd.DataFrame):
        raise TypeError(f"{name} must be a list or Series of texts, got {describe(texts)}; "
                        "pass one column, e.g. reviews['text']")
    if texts is None or np.isscalar(texts) or isinstance(texts, dict | set | Mapping):
        raise TypeError(f"{name} must be a list or Series of texts, got {describe(texts)}")
    if isinstance(texts, pd.Series | pd.Index):
        values = texts.tolist()
    elif isinstance(texts, np.ndarray):
        if texts.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {texts.shape}")
        values = texts.tolist()
    else:
        try:
            values = list(texts)
        except TypeError:
            raise TypeError(f"{name} must be a list or Series of texts, "
                            f"got {describe(texts)}") from None
    if any(isinstance(v, list | tuple | np.ndarray) for v in values):
        raise ValueError(f"{name} must be one-dimensional (one text per element), "
                         "got nested lists")
    if len(values) < min_len:
        raise ValueError(f"{name} is empty: there is no text to work with" if not values
                         else f"{name} must have at least {min_len} texts, got {len(values)}")
    missing = [i for i, v in enumerate(values)
               if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))]
    if missing:
        raise ValueError(f"{name} has {len(missing):,} missing value(s) (None/NaN), first at "
                         f"position {missing[0]}; drop or fill them first (e.g. "
                         "texts.dropna() or texts.fillna(''))")
    bad = [i for i, v in enumerate(values) if not isinstance(v, str)]
    if bad:
        raise TypeError(f"{name} must hold strings, got {describe(values[bad[0]])} at "
                        f"position {bad[0]} ({len(bad):,} non-text value(s))")
    return values


def _check_ngram_range(value: Any, name: str = "ngram_range") -> tuple[int, int]:
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise TypeError(f"{name} must be a pair (min_n, max_n) such as (1, 2), "
                        f"got {describe(value)}")
    lo = check_int(value[0], f"{name}[0]", low=1, high=5)
    hi = check_int(value[1], f"{name}[1]", low=1, high=5)
    if lo > hi:
        raise ValueError(f"{name} must have min_n <= max_n, got {tuple(value)}")
    return lo, hi


def _check_stop_words(value: Any, name: str = "stop_words") -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        check_option(value, name, ["english", "content"])
        return STOP_WORDS if value == "english" else CONTENT_STOP_WORDS
    if isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        words = list(value)
        bad = [w for w in words if not isinstance(w, str)]
        if bad:
            raise TypeError(f"{name} must be None, 'english', 'content' or a list of words, "
                            f"got {describe(bad[0])} among them")
        return frozenset(_normalise(w, True) for w in words)
    raise TypeError(f"{name} must be None, 'english', 'content' or a list of words, "
                    f"got {describe(value)}")


# --------------------------------------------------------------------------- tokenising
def _normalise(text: str, lowercase: bool) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower() if lowercase else text


def _is_negator(token: str) -> bool:
    t = token.lower()
    return t in NEGATORS or t.endswith("n't")


def _raw_tokens(text: str, lowercase: bool = True) -> list[str]:
    """Word tokens and clause-break punctuation, normalised (rules 1-2)."""
    return _TOKEN_RE.findall(_normalise(text, lowercase))


def _negated_flags(tokens: Sequence[str], scope: int) -> list[bool]:
    """For each token, whether a negator governs it (rule 3); punctuation gets False."""
    flags = [False] * len(tokens)
    left = 0
    for i, tok in enumerate(tokens):
        low = tok.lower()
        if low in _BREAKS or low in CONTRAST_WORDS:
            left = 0
            continue
        if _is_negator(tok):
            nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
            left = 0 if nxt in _NOT_NEGATION_AFTER else scope
            continue
        if left > 0:
            flags[i] = True
            left -= 1
    return flags


def _ngrams(tokens: list[str], lo: int, hi: int) -> list[str]:
    if lo == hi == 1:
        return tokens
    out = list(tokens) if lo == 1 else []
    for n in range(max(lo, 2), hi + 1):
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out


def _tokenize(text: str, lowercase: bool = True, stop: frozenset = frozenset(),
              lo: int = 1, hi: int = 1, mark_negation: bool = False,
              negation_scope: int = 3) -> list[str]:
    """Rules 1-5 without argument checks (the vectorizers call it once per document)."""
    if not isinstance(text, str):
        _check_text(text, "each text")
    raw = _raw_tokens(text, lowercase)
    if mark_negation:
        flags = _negated_flags(raw, negation_scope)
        words = [("not_" + t if f else t) for t, f in zip(raw, flags, strict=True)
                 if t not in _BREAKS]
    else:
        words = [t for t in raw if t not in _BREAKS]
    if stop:
        words = [w for w in words if (w[4:] if w.startswith("not_") else w).lower() not in stop]
    return _ngrams(words, lo, hi)


def tokenize(text: str, *, lowercase: bool = True, stop_words: Any = None,
             ngram_range: tuple[int, int] = (1, 1), mark_negation: bool = False,
             negation_scope: int = 3) -> list[str]:
    """Split one text into terms by the documented rules (module docstring, rules 1-5).

    Parameters
    ----------
    text : str
        One text. An empty string gives ``[]``; None, NaN and non-strings raise TypeError.
    lowercase : bool
        Lower-case before splitting.
    stop_words : None, "english", "content" or list of str
        Words to drop (``"english"`` is :data:`STOP_WORDS`, which keeps the negators;
        ``"content"`` is :data:`CONTENT_STOP_WORDS`, which drops them too).
    ngram_range : (int, int)
        Smallest and largest n-gram, 1 to 5; n-grams are joined by a space.
    mark_negation : bool
        Prefix ``not_`` to the ``negation_scope`` words after a negator (same clause).
    negation_scope : int
        How many words a negator governs (1 to 10).

    Returns
    -------
    list of str

    Examples
    --------
    >>> tokenize("The delivery wasn't fast, but the quality is GREAT!")
    ['the', 'delivery', "wasn't", 'fast', 'but', 'the', 'quality', 'is', 'great']
    >>> tokenize("Not good. Nice colour", mark_negation=True, stop_words="english")
    ['not', 'not_good', 'nice', 'colour']
    >>> tokenize("very good value", ngram_range=(2, 2))
    ['very good', 'good value']
    """
    text = _check_text(text)
    lowercase = check_bool(lowercase, "lowercase")
    stop = _check_stop_words(stop_words)
    lo, hi = _check_ngram_range(ngram_range)
    mark_negation = check_bool(mark_negation, "mark_negation")
    scope = check_int(negation_scope, "negation_scope", low=1, high=10)
    return _tokenize(text, lowercase, stop, lo, hi, mark_negation, scope)


# --------------------------------------------------------------------------- TF-IDF
@dataclasses.dataclass(frozen=True)
class TfidfResult(Result):
    """A document-term matrix and its weights.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        Documents x terms, weighted as asked (counts with ``use_idf=False, norm=None``).
    terms : ndarray of str
        The column names, sorted (as scikit-learn's ``get_feature_names_out``).
    idf : ndarray
        Each term's inverse document frequency (ones when ``use_idf=False``).
    document_frequency : ndarray of int
        In how many documents each term occurs.
    n_documents, n_terms : int
    """

    matrix: Any = dataclasses.field(repr=False)
    terms: np.ndarray = dataclasses.field(repr=False)
    idf: np.ndarray = dataclasses.field(repr=False)
    document_frequency: np.ndarray = dataclasses.field(repr=False)
    n_documents: int = 0
    n_terms: int = 0


def _count_matrix(token_lists: Sequence[list[str]], vocabulary: Mapping[str, int] | None = None
                  ) -> tuple[sp.csr_matrix, np.ndarray]:
    """Sparse counts; with ``vocabulary`` given, unknown terms are ignored (as ``transform``)."""
    if vocabulary is None:
        terms = np.array(sorted({t for toks in token_lists for t in toks}), dtype=object)
        vocabulary = {t: j for j, t in enumerate(terms)}
    else:
        terms = np.array(sorted(vocabulary, key=vocabulary.get), dtype=object)
    indptr, indices, data = [0], [], []
    for toks in token_lists:
        counts = Counter(t for t in toks if t in vocabulary)
        cols = sorted(vocabulary[t] for t in counts)
        indices.extend(cols)
        inv = {vocabulary[t]: c for t, c in counts.items()}
        data.extend(inv[c] for c in cols)
        indptr.append(len(indices))
    X = sp.csr_matrix((np.asarray(data, dtype=float), np.asarray(indices, dtype=np.int64),
                       np.asarray(indptr, dtype=np.int64)),
                      shape=(len(token_lists), len(terms)))
    return X, terms


def _weight(counts: sp.csr_matrix, n_docs: int, df: np.ndarray, *, use_idf: bool,
            smooth_idf: bool, sublinear_tf: bool, norm: str | None) -> tuple[sp.csr_matrix, np.ndarray]:
    X = counts.astype(float, copy=True)
    if sublinear_tf:
        X.data = 1.0 + np.log(X.data)
    if use_idf:
        n, d = (n_docs + 1, df + 1) if smooth_idf else (n_docs, df)
        idf = np.log(n / d) + 1.0
        X = X @ sp.diags(idf)
    else:
        idf = np.ones(X.shape[1])
    X = sp.csr_matrix(X)
    if norm is not None:
        if norm == "l2":
            lengths = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        else:
            lengths = np.asarray(abs(X).sum(axis=1)).ravel()
        lengths[lengths == 0] = 1.0  # an empty document stays a row of zeros
        X = sp.csr_matrix(sp.diags(1.0 / lengths) @ X)
    return X, idf


def tfidf_matrix(texts: Sequence[str], *, ngram_range: tuple[int, int] = (1, 1),
                 stop_words: Any = None, min_df: int = 1, max_df: float = 1.0,
                 use_idf: bool = True, smooth_idf: bool = True, sublinear_tf: bool = False,
                 norm: str | None = "l2", mark_negation: bool = False) -> TfidfResult:
    """The TF-IDF document-term matrix, computed here with NumPy/SciPy (formulas above).

    Parameters
    ----------
    texts : list, array or Series of str
        The corpus (one text per document; no missing values).
    ngram_range, stop_words, mark_negation
        Passed to :func:`tokenize`.
    min_df : int
        Keep terms found in at least this many documents.
    max_df : float in (0, 1]
        Drop terms found in more than this share of the documents.
    use_idf, smooth_idf, sublinear_tf : bool
        As in scikit-learn's ``TfidfVectorizer``.
    norm : "l2", "l1" or None
        Scale each document's row to unit length (``None`` keeps the raw weights).

    Returns
    -------
    TfidfResult

    Examples
    --------
    >>> r = tfidf_matrix(["fast delivery", "slow delivery", "fast fast"])
    >>> list(r.terms)
    ['delivery', 'fast', 'slow']
    >>> r.idf.round(3).tolist()
    [1.288, 1.288, 1.693]
    >>> tfidf_matrix(["a b", "b"], use_idf=False, norm=None).matrix.toarray().tolist()
    [[1.0, 1.0], [0.0, 1.0]]
    """
    docs = _check_texts(texts)
    lo, hi = _check_ngram_range(ngram_range)
    stop = _check_stop_words(stop_words)
    min_df = check_int(min_df, "min_df", low=1)
    max_df = check_real(max_df, "max_df", low=0, high=1, low_open=True)
    use_idf = check_bool(use_idf, "use_idf")
    smooth_idf = check_bool(smooth_idf, "smooth_idf")
    sublinear_tf = check_bool(sublinear_tf, "sublinear_tf")
    check_option(norm, "norm", ["l2", "l1", None])
    mark_negation = check_bool(mark_negation, "mark_negation")
    tokens = [_tokenize(d, True, stop, lo, hi, mark_negation) for d in docs]
    return _tfidf_from_tokens(tokens, min_df=min_df, max_df=max_df, use_idf=use_idf,
                              smooth_idf=smooth_idf, sublinear_tf=sublinear_tf, norm=norm)


def _tfidf_from_tokens(tokens, *, min_df=1, max_df=1.0, use_idf=True, smooth_idf=True,
                       sublinear_tf=False, norm="l2") -> TfidfResult:
    counts, terms = _count_matrix(tokens)
    n = counts.shape[0]
    df = np.diff(sp.csc_matrix(counts).indptr)
    keep = (df >= min_df) & (df <= max_df * n)
    if not keep.any():
        raise ValueError(f"no term is left: the corpus has {len(terms):,} distinct term(s) but "
                         f"none occurs in at least min_df={min_df} and at most "
                         f"max_df={max_df:g} of the {n:,} documents; lower min_df or check "
                         "the texts (all empty or all stop words?)")
    counts, terms, df = counts[:, keep], terms[keep], df[keep]
    X, idf = _weight(counts, n, df, use_idf=use_idf, smooth_idf=smooth_idf,
                     sublinear_tf=sublinear_tf, norm=norm)
    X.sort_indices()
    return TfidfResult(matrix=X, terms=np.array([str(t) for t in terms], dtype=object), idf=idf, document_frequency=df,
                       n_documents=n, n_terms=len(terms))


# --------------------------------------------------------------------------- lexicon
def _check_lexicon(lexicon: Any) -> dict[str, float]:
    if lexicon is None:
        return dict(SENTIMENT_LEXICON)
    if not isinstance(lexicon, Mapping):
        raise TypeError(f"lexicon must be a dict of word -> valence, got {describe(lexicon)}")
    if not lexicon:
        raise ValueError("lexicon is empty: give at least one word and its valence")
    out = {}
    for w, v in lexicon.items():
        if not isinstance(w, str):
            raise TypeError(f"lexicon keys must be words (str), got {describe(w)}")
        out[" ".join(_raw_tokens(w))] = check_real(v, f"lexicon[{w!r}]")
    return out


def _score_tokens(raw: list[str], lexicon: Mapping[str, float], scope: int) -> list[dict]:
    """Each lexicon match with its valence, modifier and negation (the rules above)."""
    flags = _negated_flags(raw, scope)
    max_n = max(len(k.split(" ")) for k in lexicon)
    rows, i = [], 0
    while i < len(raw):
        match = None
        for n in range(min(max_n, len(raw) - i), 0, -1):
            phrase = " ".join(raw[i:i + n])
            if phrase in lexicon:
                match = (phrase, n)
                break
        if match is None:
            i += 1
            continue
        phrase, n = match
        j = i - 1
        if j >= 0 and raw[j] == "of":
            j -= 1
        modifier = raw[j] if j >= 0 and raw[j] in INTENSIFIERS else ""
        factor = INTENSIFIERS[modifier] if modifier else 1.0
        negated = flags[i] and not (modifier and _is_negator(modifier))
        valence = float(lexicon[phrase])
        contribution = valence * factor * (NEGATION_FACTOR if negated else 1.0)
        rows.append(dict(term=phrase, valence=valence, modifier=modifier,
                         modifier_factor=factor, negated=negated, contribution=contribution))
        i += n
    return rows


def lexicon_score(texts: Sequence[str], *, lexicon: Mapping[str, float] | None = None,
                  negation_scope: int = 3) -> pd.DataFrame:
    """Score texts with the transparent lexicon rules (module docstring).

    Parameters
    ----------
    texts : list, array or Series of str
    lexicon : dict, optional
        Word or phrase -> valence; default :data:`SENTIMENT_LEXICON`.
    negation_scope : int
        How many words after a negator it flips (1 to 10).

    Returns
    -------
    DataFrame
        One row per text (the Series' index if ``texts`` is one): ``score`` (sum of the
        contributions), ``n_matches`` (lexicon words found) and ``label`` ("positive" if
        the score is > 0, "negative" if < 0, else "neutral").

    Examples
    --------
    >>> lexicon_score(["Not good.", "Not bad at all", "Not only good but great",
    ...                "very slow delivery"])
       score  n_matches     label
    0  -1.00          1  negative
    1   1.00          1  positive
    2   4.00          2  positive
    3  -2.25          1  negative
    """
    docs = _check_texts(texts)
    lex = _check_lexicon(lexicon)
    scope = check_int(negation_scope, "negation_scope", low=1, high=10)
    scores, n = np.zeros(len(docs)), np.zeros(len(docs), dtype=int)
    for k, d in enumerate(docs):
        rows = _score_tokens(_raw_tokens(d), lex, scope)
        scores[k] = sum(r["contribution"] for r in rows)
        n[k] = len(rows)
    label = np.where(scores > 0, "positive", np.where(scores < 0, "negative", "neutral"))
    index = texts.index if isinstance(texts, pd.Series) else None
    return pd.DataFrame({"score": scores, "n_matches": n, "label": label}, index=index)


def explain_sentiment(text: str, *, lexicon: Mapping[str, float] | None = None,
                      negation_scope: int = 3) -> pd.DataFrame:
    """Each lexicon word of one text with its valence, modifier, negation and contribution.

    The contributions add up to :func:`lexicon_score`'s score for that text.

    Examples
    --------
    >>> explain_sentiment("Not only good but really great. Delivery wasn't slow")
        term  valence modifier  modifier_factor  negated  contribution
    0   good      2.0                       1.0    False          2.00
    1  great      2.0   really              1.5    False          3.00
    2   slow     -1.5                       1.0     True          0.75
    """
    text = _check_text(text)
    lex = _check_lexicon(lexicon)
    scope = check_int(negation_scope, "negation_scope", low=1, high=10)
    rows = _score_tokens(_raw_tokens(text), lex, scope)
    cols = ["term", "valence", "modifier", "modifier_factor", "negated",
            "contribution"]
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------- learned
def sentiment_pipeline(model: str = "logistic", *, ngram_range: tuple[int, int] = (1, 2),
                       min_df: int = 1, stop_words: Any = None, mark_negation: bool = False,
                       C: float = 1.0, alpha: float = 1.0, random_state: int = 0) -> Pipeline:
    """A plain scikit-learn ``Pipeline`` for labelled texts: vectorizer + classifier.

    ``model="logistic"``: TF-IDF (sublinear tf) + ``LogisticRegression(C)``;
    ``model="nb"``: counts + ``MultinomialNB(alpha)``. Both tokenise with :func:`tokenize`
    (so ``mark_negation=True`` gives ``not_good`` features). Use it like any estimator:
    ``fit(texts, labels)``, ``predict``, ``predict_proba``, ``cross_val_score``.

    Parameters
    ----------
    model : "logistic" or "nb"
    ngram_range, stop_words, mark_negation
        Passed to :func:`tokenize`.
    min_df : int
        Ignore terms found in fewer documents.
    C : float > 0
        Inverse regularisation strength of the logistic regression.
    alpha : float > 0
        Additive (Laplace/Lidstone) smoothing of naive Bayes.
    random_state : int

    Returns
    -------
    sklearn.pipeline.Pipeline
        Steps ``"vectorizer"`` and ``"model"``.

    Examples
    --------
    >>> pipe = sentiment_pipeline("nb", ngram_range=(1, 1))
    >>> pipe.fit(["great value", "love it", "awful delivery", "broken and awful"],
    ...          ["pos", "pos", "neg", "neg"]).predict(["awful", "great"]).tolist()
    ['neg', 'pos']
    """
    check_option(model, "model", ["logistic", "nb"])
    lo, hi = _check_ngram_range(ngram_range)
    min_df = check_int(min_df, "min_df", low=1)
    stop = _check_stop_words(stop_words)
    mark_negation = check_bool(mark_negation, "mark_negation")
    C = check_real(C, "C", low=0, low_open=True)
    alpha = check_real(alpha, "alpha", low=0, low_open=True)
    random_state = check_int(random_state, "random_state", low=0)
    analyzer = functools.partial(_tokenize, lowercase=True, stop=stop, lo=lo, hi=hi,
                                 mark_negation=mark_negation)
    if model == "logistic":
        vec = TfidfVectorizer(analyzer=analyzer, min_df=min_df, sublinear_tf=True,
                              token_pattern=None)
        clf = LogisticRegression(C=C, max_iter=2000, random_state=random_state)
    else:
        vec = CountVectorizer(analyzer=analyzer, min_df=min_df, token_pattern=None)
        clf = MultinomialNB(alpha=alpha)
    return Pipeline([("vectorizer", vec), ("model", clf)])


def top_terms(pipeline: Any, n: int = 10) -> pd.DataFrame:
    """The most telling terms per class of a fitted :func:`sentiment_pipeline`.

    For logistic regression the weight is the coefficient (binary: large positive -> the
    second class, large negative -> the first). For naive Bayes it is the log-ratio
    ``log P(term | class) - mean over the other classes of log P(term | other)``.

    Parameters
    ----------
    pipeline : fitted Pipeline
        Its first step has ``get_feature_names_out``; its last is ``LogisticRegression``
        or ``MultinomialNB`` (or any model with ``coef_`` / ``feature_log_prob_``).
    n : int
        Terms per class.

    Returns
    -------
    DataFrame
        Columns ``class``, ``rank`` (1 = most telling), ``term``, ``weight``.

    Examples
    --------
    >>> pipe = sentiment_pipeline("nb", ngram_range=(1, 1)).fit(
    ...     ["great value", "love it", "awful delivery", "broken and awful"],
    ...     ["neg", "neg", "pos", "pos"][::-1])
    >>> top_terms(pipe, n=1)[["class", "term"]].values.tolist()
    [['neg', 'awful'], ['pos', 'great']]
    """
    if not isinstance(pipeline, Pipeline):
        raise TypeError(f"pipeline must be a fitted scikit-learn Pipeline (e.g. from "
                        f"sentiment_pipeline()), got {describe(pipeline)}")
    n = check_int(n, "n", low=1)
    vec, clf = pipeline.steps[0][1], pipeline.steps[-1][1]
    if not hasattr(vec, "get_feature_names_out") or not hasattr(clf, "predict"):
        raise TypeError("pipeline must start with a text vectorizer and end with a classifier, "
                        f"got steps {[name for name, _ in pipeline.steps]}")
    if not hasattr(clf, "classes_"):
        raise NotFittedError("pipeline is not fitted yet: call pipeline.fit(texts, labels) first")
    terms = vec.get_feature_names_out()
    classes = np.asarray(clf.classes_).tolist()
    if hasattr(clf, "coef_"):
        coef = np.asarray(clf.coef_, dtype=float)
        weights = np.vstack([-coef[0], coef[0]]) if coef.shape[0] == 1 else coef
    elif hasattr(clf, "feature_log_prob_"):
        lp = np.asarray(clf.feature_log_prob_, dtype=float)
        k = lp.shape[0]
        others = (lp.sum(axis=0, keepdims=True) - lp) / max(k - 1, 1)
        weights = lp - others
    else:
        raise TypeError(f"pipeline's last step {type(clf).__name__} has neither coef_ nor "
                        "feature_log_prob_: top_terms needs a linear model or naive Bayes")
    rows = []
    for c, w in zip(classes, weights, strict=True):
        order = np.lexsort((terms, -w))[:n]  # ties broken alphabetically: stable output
        rows.extend((c, r + 1, str(terms[j]), float(w[j])) for r, j in enumerate(order))
    return pd.DataFrame(rows, columns=["class", "rank", "term", "weight"])


# --------------------------------------------------------------------------- topics
@dataclasses.dataclass(frozen=True)
class TopicResult(Result):
    """Topics found in a corpus.

    Attributes
    ----------
    terms : DataFrame
        Long table: ``topic`` (0 ..), ``rank`` (1 = heaviest), ``term``, ``weight``.
    doc_topics : ndarray, shape (n_documents, n_topics)
        Each document's topic weights, rows summing to 1 (0 for a document with no term).
    components : ndarray, shape (n_topics, n_terms)
        The fitted topic-term matrix (NMF ``H`` or LDA's topic-word pseudo-counts).
    vocabulary : ndarray of str
    method : str
    n_topics : int
    """

    terms: pd.DataFrame = dataclasses.field(repr=False)
    doc_topics: np.ndarray = dataclasses.field(repr=False)
    components: np.ndarray = dataclasses.field(repr=False)
    vocabulary: np.ndarray = dataclasses.field(repr=False)
    method: str = "nmf"
    n_topics: int = 0

    def top_terms(self) -> pd.DataFrame:
        """One row per topic, its top terms joined by commas (for reading)."""
        return (self.terms.groupby("topic")["term"].apply(", ".join)
                .rename("top terms").to_frame())


def _fit_topics(X: sp.csr_matrix, k: int, method: str, random_state: int) -> np.ndarray:
    """Topic-term components of one fit (and the fitted model)."""
    if method == "nmf":
        model = NMF(n_components=k, init="nndsvda", max_iter=500, random_state=random_state)
    else:
        model = LatentDirichletAllocation(n_components=k, learning_method="batch",
                                          max_iter=10, random_state=random_state)
    model.fit(X)
    return model


def _doc_topics(model, X) -> np.ndarray:
    W = np.asarray(model.transform(X), dtype=float)
    s = W.sum(axis=1, keepdims=True)
    return np.divide(W, s, out=np.zeros_like(W), where=s > 0)


def _top_indices(components: np.ndarray, n: int) -> np.ndarray:
    return np.argsort(-components, axis=1, kind="stable")[:, :n]


def _matrix_for(tokens, method, min_df, max_df):
    if method == "nmf":
        return _tfidf_from_tokens(tokens, min_df=min_df, max_df=max_df)
    return _tfidf_from_tokens(tokens, min_df=min_df, max_df=max_df, use_idf=False, norm=None)


def _check_topic_args(texts, method, n_terms, min_df, max_df, stop_words, ngram_range,
                      random_state):
    docs = _check_texts(texts)
    check_option(method, "method", ["nmf", "lda"])
    n_terms = check_int(n_terms, "n_terms", low=1)
    min_df = check_int(min_df, "min_df", low=1)
    max_df = check_real(max_df, "max_df", low=0, high=1, low_open=True)
    stop = _check_stop_words(stop_words)
    lo, hi = _check_ngram_range(ngram_range)
    random_state = check_int(random_state, "random_state", low=0)
    tokens = [_tokenize(d, True, stop, lo, hi) for d in docs]
    return docs, tokens, n_terms, min_df, max_df, random_state


def topics(texts: Sequence[str], n_topics: int, *, method: str = "nmf", n_terms: int = 10,
           min_df: int = 2, max_df: float = 0.95, stop_words: Any = "content",
           ngram_range: tuple[int, int] = (1, 1), random_state: int = 0) -> TopicResult:
    """Topics of a corpus by NMF (on TF-IDF, :func:`tfidf_matrix`) or LDA (on counts).

    Parameters
    ----------
    texts : list, array or Series of str
    n_topics : int
        Number of topics (at least 1, at most the number of documents and of terms).
    method : "nmf" or "lda"
        NMF (scikit-learn, ``init="nndsvda"``, up to 500 iterations) or LDA (scikit-learn's
        batch variational Bayes, its default 10 passes; LDA is much slower than NMF).
    n_terms : int
        Top terms per topic in ``terms``.
    min_df, max_df, stop_words, ngram_range
        As in :func:`tfidf_matrix`; by default :data:`CONTENT_STOP_WORDS` are removed.
    random_state : int

    Returns
    -------
    TopicResult

    Examples
    --------
    >>> docs = ["late delivery parcel", "parcel delivery late again", "lovely colour design",
    ...         "design colour lovely", "late parcel", "lovely design"]
    >>> r = topics(docs, 2, n_terms=3, min_df=1)
    >>> r.top_terms()["top terms"].tolist()
    ['design, lovely, colour', 'late, parcel, delivery']
    """
    docs, tokens, n_terms, min_df, max_df, random_state = _check_topic_args(
        texts, method, n_terms, min_df, max_df, stop_words, ngram_range, random_state)
    n_topics = check_int(n_topics, "n_topics", low=1)
    if n_topics > len(docs):
        raise ValueError(f"n_topics must be at most the number of documents ({len(docs):,}), "
                         f"got {n_topics}")
    tf = _matrix_for(tokens, method, min_df, max_df)
    if n_topics > tf.n_terms:
        raise ValueError(f"n_topics must be at most the number of terms kept ({tf.n_terms:,}), "
                         f"got {n_topics}; lower min_df or use fewer topics")
    model = _fit_topics(tf.matrix, n_topics, method, random_state)
    comp = np.asarray(model.components_, dtype=float)
    top = _top_indices(comp, min(n_terms, tf.n_terms))
    rows = [(t, r + 1, tf.terms[j], comp[t, j]) for t in range(n_topics)
            for r, j in enumerate(top[t])]
    table = pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])
    return TopicResult(terms=table, doc_topics=_doc_topics(model, tf.matrix), components=comp,
                       vocabulary=tf.terms, method=method, n_topics=n_topics)


@dataclasses.dataclass(frozen=True)
class TopicSelection(Result):
    """Numbers of topics compared.

    Attributes
    ----------
    table : DataFrame
        Indexed by ``n_topics``: ``stability`` (mean average-Jaccard agreement of the top
        terms between the full-data fit and fits on random subsamples, 0..1),
        ``coherence`` (mean NPMI of the top terms in held-out documents, -1..1) and
        ``perplexity`` (held-out, LDA only; NaN for NMF).
    best_by_stability, best_by_coherence : int
        The number of topics with the highest stability / coherence (smallest on ties).
    method : str
    """

    table: pd.DataFrame = dataclasses.field(repr=False)
    best_by_stability: int = 0
    best_by_coherence: int = 0
    method: str = "nmf"


def _average_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Average Jaccard of the top-1 .. top-t prefixes of two ranked term lists."""
    total = 0.0
    for d in range(1, len(a) + 1):
        sa, sb = set(a[:d].tolist()), set(b[:d].tolist())
        total += len(sa & sb) / len(sa | sb)
    return total / len(a)


def _agreement(top_a: np.ndarray, top_b: np.ndarray) -> float:
    """Mean average-Jaccard of topics matched one to one (Hungarian algorithm)."""
    sim = np.array([[_average_jaccard(x, y) for y in top_b] for x in top_a])
    r, c = linear_sum_assignment(-sim)
    return float(sim[r, c].mean())


def _npmi_coherence(top: np.ndarray, presence: sp.csc_matrix) -> float:
    """Mean over topics of the mean pairwise NPMI of their top terms (document co-occurrence)."""
    n = presence.shape[0]
    out = []
    for idx in top:
        sub = presence[:, idx].astype(float)
        co = np.asarray((sub.T @ sub).todense())
        p = np.diag(co) / n
        vals = []
        for i in range(len(idx)):
            for j in range(i + 1, len(idx)):
                pij = co[i, j] / n
                if pij == 0:
                    vals.append(-1.0)
                elif pij == 1:
                    vals.append(1.0)
                else:
                    vals.append(math.log(pij / (p[i] * p[j])) / -math.log(pij))
        out.append(np.mean(vals) if vals else 0.0)
    return float(np.mean(out))


def select_n_topics(texts: Sequence[str], candidates: Sequence[int] = (2, 3, 4, 5, 6, 7, 8), *,
                    method: str = "nmf", n_runs: int = 5, sample_fraction: float = 0.8,
                    held_out: float = 0.3, n_terms: int = 10, min_df: int = 2,
                    max_df: float = 0.95, stop_words: Any = "content",
                    ngram_range: tuple[int, int] = (1, 1), random_state: int = 0
                    ) -> TopicSelection:
    """Compare numbers of topics by stability and by held-out coherence (not perplexity alone).

    **Stability** (Greene, O'Callaghan & Cunningham 2014): fit on all documents; refit
    ``n_runs`` times on random ``sample_fraction`` subsets (same vocabulary); match each
    refit's topics one to one with the full fit's (Hungarian algorithm) by the average
    Jaccard of their top ``n_terms`` terms; average. A number of topics the data really
    holds is found again on every subsample.

    **Held-out coherence**: fit on ``1 - held_out`` of the documents, take each topic's top
    terms, and measure how often those terms occur together in the *held-out* documents
    (normalised pointwise mutual information, NPMI: 1 = always together, 0 = independent,
    -1 = never together).

    For LDA the held-out perplexity is reported too, to compare (it usually keeps falling
    as topics are added, so it alone picks too many).

    Parameters
    ----------
    texts : list, array or Series of str
    candidates : sequence of int
        Numbers of topics to compare (each at least 2).
    method : "nmf" or "lda"
    n_runs : int
        Subsample refits per candidate.
    sample_fraction : float in (0, 1)
        Share of documents in each subsample.
    held_out : float in (0, 1)
        Share of documents held out for coherence (and perplexity).
    n_terms, min_df, max_df, stop_words, ngram_range, random_state
        As in :func:`topics`.

    Returns
    -------
    TopicSelection

    Examples
    --------
    >>> docs = ["late delivery parcel", "parcel delivery late again", "lovely colour design",
    ...         "design colour lovely", "late parcel", "lovely design"] * 5
    >>> sel = select_n_topics(docs, [2, 3], n_runs=2, n_terms=3, min_df=1)
    >>> sel.best_by_stability
    2
    """
    docs, tokens, n_terms, min_df, max_df, random_state = _check_topic_args(
        texts, method, n_terms, min_df, max_df, stop_words, ngram_range, random_state)
    if isinstance(candidates, str | bytes) or not isinstance(candidates, Iterable):
        raise TypeError(f"candidates must be a list of numbers of topics, got {describe(candidates)}")
    cands = [check_int(k, "candidates", low=2) for k in candidates]
    if not cands:
        raise ValueError("candidates is empty: give at least one number of topics")
    if len(set(cands)) != len(cands):
        raise ValueError(f"candidates has repeated values: {cands}")
    n_runs = check_int(n_runs, "n_runs", low=1)
    sample_fraction = check_real(sample_fraction, "sample_fraction", low=0, high=1,
                                 low_open=True, high_open=True)
    held_out = check_real(held_out, "held_out", low=0, high=1, low_open=True, high_open=True)
    n = len(docs)
    n_hold = int(round(held_out * n))
    if n_hold < 1 or n - n_hold < max(cands):
        raise ValueError(f"held_out={held_out:g} leaves {n_hold} held-out and {n - n_hold} "
                         f"fitting documents of {n}: both must be large enough "
                         f"(fitting >= the largest of candidates, {max(cands)})")
    rng = np.random.default_rng(random_state)
    full = _matrix_for(tokens, method, min_df, max_df)
    if max(cands) > full.n_terms:
        raise ValueError(f"candidates go up to {max(cands)} topics but only {full.n_terms:,} "
                         "terms are kept; lower min_df or the candidates")
    n_sub = max(int(round(sample_fraction * n)), max(cands))
    samples = [np.sort(rng.choice(n, size=n_sub, replace=False)) for _ in range(n_runs)]
    perm = rng.permutation(n)
    hold, fit_idx = np.sort(perm[:n_hold]), np.sort(perm[n_hold:])
    fit_tf = _matrix_for([tokens[i] for i in fit_idx], method, min(min_df, len(fit_idx)), max_df)
    vocab = {t: j for j, t in enumerate(fit_tf.terms)}
    hold_counts, _ = _count_matrix([tokens[i] for i in hold], vocab)
    presence = sp.csc_matrix((hold_counts > 0).astype(float))
    rows = []
    t = min(n_terms, full.n_terms)
    for k in cands:
        ref = _top_indices(_fit_topics(full.matrix, k, method, random_state).components_, t)
        stab = np.mean([_agreement(ref, _top_indices(
            _fit_topics(full.matrix[s], k, method, random_state).components_, t))
            for s in samples])
        model = _fit_topics(fit_tf.matrix, k, method, random_state)
        coh = _npmi_coherence(_top_indices(model.components_, min(t, fit_tf.n_terms)), presence)
        perp = float(model.perplexity(hold_counts)) if method == "lda" else np.nan
        rows.append((k, float(stab), coh, perp))
    table = pd.DataFrame(rows, columns=["n_topics", "stability", "coherence", "perplexity"]
                         ).set_index("n_topics")
    return TopicSelection(table=table, best_by_stability=int(table["stability"].idxmax()),
                          best_by_coherence=int(table["coherence"].idxmax()), method=method)


# --------------------------------------------------------------------------- aspects
def _check_seeds(seeds: Any) -> dict[str, tuple[str, ...]]:
    if seeds is None:
        return {k: tuple(v) for k, v in ASPECT_SEEDS.items()}
    if not isinstance(seeds, Mapping):
        raise TypeError(f"seeds must be a dict of aspect -> list of seed words, got {describe(seeds)}")
    if not seeds:
        raise ValueError("seeds is empty: give at least one aspect and its seed words")
    out = {}
    for aspect, words in seeds.items():
        if not isinstance(aspect, str):
            raise TypeError(f"seeds keys must be aspect names (str), got {describe(aspect)}")
        if isinstance(words, str) or not isinstance(words, Iterable):
            raise TypeError(f"seeds[{aspect!r}] must be a list of seed words, got {describe(words)}")
        words = tuple(words)
        if not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise ValueError(f"seeds[{aspect!r}] must be a non-empty list of non-empty words")
        out[aspect] = words
    return out


def _seed_matcher(words: Sequence[str]):
    """Compile seeds: exact single words, prefixes (``word*``) and phrases."""
    exact, prefixes, phrases = set(), [], []
    for w in words:
        toks = _raw_tokens(w.rstrip("*"))
        if w.endswith("*") and len(toks) == 1:
            prefixes.append(toks[0])
        elif len(toks) == 1:
            exact.add(toks[0])
        elif toks:
            phrases.append(" ".join(toks))
    return exact, tuple(prefixes), phrases


def tag_aspects(texts: Sequence[str], *, seeds: Mapping[str, Sequence[str]] | None = None
                ) -> pd.DataFrame:
    """Tag each text with the aspects it mentions, by seed words.

    A text mentions an aspect when one of its words equals a seed word, starts with a
    ``prefix*`` seed, or when a seed phrase (``"on time"``) occurs in it. Simple and
    transparent: good for routing reviews to the team that owns the aspect, blind to
    paraphrase ("it took three weeks") and to typos.

    Parameters
    ----------
    texts : list, array or Series of str
    seeds : dict, optional
        Aspect -> seed words; default :data:`ASPECT_SEEDS`.

    Returns
    -------
    DataFrame of bool
        One row per text (the Series' index if given), one column per aspect.

    Examples
    --------
    >>> tag_aspects(["Delivery was late", "Lovely colour but too small"]).astype(int)
       quality  delivery  value  design  service  size_fit
    0        0         1      0       0        0         0
    1        0         0      0       1        0         1
    """
    docs = _check_texts(texts)
    seeds = _check_seeds(seeds)
    matchers = {a: _seed_matcher(w) for a, w in seeds.items()}
    out = np.zeros((len(docs), len(seeds)), dtype=bool)
    for i, d in enumerate(docs):
        toks = [t for t in _raw_tokens(d) if t not in _BREAKS]
        token_set = set(toks)
        joined = " " + " ".join(toks) + " "
        for j, (exact, prefixes, phrases) in enumerate(matchers.values()):
            out[i, j] = (bool(exact & token_set)
                         or (bool(prefixes) and any(t.startswith(prefixes) for t in toks))
                         or any(f" {p} " in joined for p in phrases))
    index = texts.index if isinstance(texts, pd.Series) else None
    return pd.DataFrame(out, columns=list(seeds), index=index)


@dataclasses.dataclass(frozen=True)
class AspectAgreement(Result):
    """Agreement of aspect tags with the true aspects.

    Attributes
    ----------
    table : DataFrame
        Per aspect: ``n_true``, ``n_predicted``, ``precision``, ``recall``, ``f1``,
        ``kappa`` (Cohen's, chance-corrected agreement), ``accuracy``.
    micro_f1 : float
        F1 over all (text, aspect) pairs.
    macro_f1 : float
        Mean of the aspects' F1.
    exact_match : float
        Share of texts whose whole set of aspects is right.
    n_texts : int
    """

    table: pd.DataFrame = dataclasses.field(repr=False)
    micro_f1: float = float("nan")
    macro_f1: float = float("nan")
    exact_match: float = float("nan")
    n_texts: int = 0


def _as_mentions(df: pd.DataFrame, name: str, aspects: list[str]) -> np.ndarray:
    for a in aspects:
        col = df[a]
        if pd.api.types.is_bool_dtype(col):
            continue
        if not pd.api.types.is_numeric_dtype(col) or isinstance(col.dtype, pd.CategoricalDtype):
            raise TypeError(f"{name}[{a!r}] must be True/False or numbers (non-zero = "
                            f"mentioned), got dtype {col.dtype}")
        if col.isna().any():
            raise ValueError(f"{name}[{a!r}] has {int(col.isna().sum()):,} missing value(s) "
                             "(NaN): fill them first (0 = not mentioned)")
    return np.column_stack([df[a].to_numpy(dtype=float) != 0 for a in aspects])


def _f1(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def aspect_agreement(predicted: pd.DataFrame, truth: pd.DataFrame) -> AspectAgreement:
    """How well aspect tags agree with the true aspects, per aspect and overall.

    Parameters
    ----------
    predicted : DataFrame
        One column per aspect, True/False or numbers (non-zero = mentioned), e.g. from
        :func:`tag_aspects`. Its columns are the aspects compared.
    truth : DataFrame
        Same rows in the same order (compared by position), with at least the same aspect
        columns; polarity columns (-1/0/+1) work: non-zero means mentioned.

    Returns
    -------
    AspectAgreement

    Examples
    --------
    >>> pred = pd.DataFrame({"delivery": [True, False, True], "design": [False, True, False]})
    >>> true = pd.DataFrame({"delivery": [1, 0, 0], "design": [0, -1, 0]})
    >>> a = aspect_agreement(pred, true)
    >>> a.table[["precision", "recall", "f1"]].round(3)
              precision  recall     f1
    delivery        0.5     1.0  0.667
    design          1.0     1.0  1.000
    >>> round(a.micro_f1, 3), a.exact_match
    (0.8, 0.6666666666666666)
    """
    check_frame(predicted, "predicted")
    aspects = [str(c) for c in predicted.columns]
    if not aspects:
        raise ValueError("predicted has no columns: give one True/False column per aspect")
    check_frame(truth, "truth", aspects, keywords="the same aspect column names in both")
    if len(predicted) != len(truth):
        raise ValueError(f"predicted and truth must have the same rows (compared by position): "
                         f"predicted has {len(predicted):,}, truth has {len(truth):,}")
    P = _as_mentions(predicted, "predicted", aspects)
    T = _as_mentions(truth, "truth", aspects)
    rows = []
    for j, a in enumerate(aspects):
        p, t = P[:, j], T[:, j]
        tp, fp, fn = float(np.sum(p & t)), float(np.sum(p & ~t)), float(np.sum(~p & t))
        prec, rec, f = _f1(tp, fp, fn)
        po = float(np.mean(p == t))
        pe = float(p.mean() * t.mean() + (1 - p.mean()) * (1 - t.mean()))
        kappa = (po - pe) / (1 - pe) if pe < 1 else float("nan")
        rows.append((a, int(t.sum()), int(p.sum()), prec, rec, f, kappa, po))
    table = pd.DataFrame(rows, columns=["aspect", "n_true", "n_predicted", "precision",
                                        "recall", "f1", "kappa", "accuracy"]).set_index("aspect")
    table.index.name = None
    tp, fp, fn = float(np.sum(P & T)), float(np.sum(P & ~T)), float(np.sum(~P & T))
    return AspectAgreement(table=table, micro_f1=_f1(tp, fp, fn)[2],
                           macro_f1=float(table["f1"].mean()),
                           exact_match=float(np.mean((P == T).all(axis=1))),
                           n_texts=len(predicted))
