"""Bad input to mkt_lessons.data (the loaders); machinery in badinput.py (DESIGN §7).

The loaders take one argument, ``verify``; a missing or altered data file is not a bad
argument but a broken installation, and raises ``DataFileError`` (tests/test_data.py).
The v2 loaders (retention test, reviews) read a small version-2 data folder generated
once for this file (the bundled data are version 1).
"""

from __future__ import annotations

import functools
import os
import tempfile

import pandas as pd
import pytest
from badinput import Flag, Spec, make_tests

from mkt_lessons import data, synth

_V2: dict[str, tempfile.TemporaryDirectory] = {}


def _v2_folder() -> str:
    if "dir" not in _V2:
        _V2["dir"] = tempfile.TemporaryDirectory(prefix="mkt_v2_")
        synth.write(synth.generate(seed=2, n_customers=200, version=2), _V2["dir"].name)
    return _V2["dir"].name


def _on_v2(func):
    """Run a loader against the version-2 folder (restoring the environment afterwards)."""
    @functools.wraps(func)
    def run(**kwargs):
        old = os.environ.get(data.ENV_VAR)
        os.environ[data.ENV_VAR] = _v2_folder()
        try:
            return func(**kwargs)
        finally:
            if old is None:
                os.environ.pop(data.ENV_VAR, None)
            else:
                os.environ[data.ENV_VAR] = old
    return run


LOADERS = [data.load_customers, data.load_products, data.load_orders, data.load_raw_orders,
           data.load_marketing_spend, data.load_promotions, data.load_ab_test, data.load_truth]

SPECS = [Spec(f, lambda: dict(verify=True), {"verify": Flag()},
              extra=[("number:verify", lambda kw: {**kw, "verify": 1}, TypeError),
                     ("none:verify", lambda kw: {**kw, "verify": None}, TypeError)])
         for f in LOADERS]
SPECS += [Spec(_on_v2(f), lambda: dict(verify=True), {"verify": Flag()}, name=f"data.{f.__name__}",
               extra=[("number:verify", lambda kw: {**kw, "verify": 1}, TypeError)])
          for f in (data.load_retention_test, data.load_reviews)]
SPECS += [Spec(data.data_dir, dict), Spec(data.verify_all, dict)]
test_bad_input, test_valid_call = make_tests(SPECS)


@pytest.fixture(scope="module")
def truth():
    return data.load_truth()


def _with(products, **cols):
    return products.assign(**cols)


@pytest.mark.parametrize("mutate, exc, fragment", [
    (lambda p: p.to_dict("list"), TypeError, "products"),
    (lambda p: p.drop(columns="price"), ValueError, "price"),
    (lambda p: p.iloc[:0], ValueError, "empty"),
    (lambda p: p.assign(price=p["price"].astype(str)), TypeError, "price"),
    (lambda p: p.assign(price=0.0), ValueError, "price"),
    (lambda p: p.assign(product_id=p["product_id"].where(p.index > 0)), ValueError, "product_id"),
    (lambda p: p.assign(product_id="P9999"), ValueError, "product_id"),
])
def test_taste_scores_bad_products(truth, mutate, exc, fragment):
    products = data.load_products().head(5)
    before = products.copy()
    with pytest.raises(exc, match=fragment):
        truth.taste_scores(mutate(products))
    pd.testing.assert_frame_equal(products, before)


def test_truth_is_a_frozen_result(truth):
    from mkt_lessons._results import Result

    assert isinstance(truth, Result)
    with pytest.raises(AttributeError):
        truth.params = {}
    assert truth == truth and truth != data.load_truth()  # identity: the fields are tables
