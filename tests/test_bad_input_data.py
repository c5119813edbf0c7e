"""Bad input to mkt_lessons.data (the loaders); machinery in badinput.py (DESIGN §7).

The loaders take one argument, ``verify``; a missing or altered data file is not a bad
argument but a broken installation, and raises ``DataFileError`` (tests/test_data.py).
"""

from __future__ import annotations

import pandas as pd
import pytest
from badinput import Flag, Spec, make_tests

from mkt_lessons import data

LOADERS = [data.load_customers, data.load_products, data.load_orders, data.load_raw_orders,
           data.load_marketing_spend, data.load_promotions, data.load_ab_test, data.load_truth]

SPECS = [Spec(f, lambda: dict(verify=True), {"verify": Flag()},
              extra=[("number:verify", lambda kw: {**kw, "verify": 1}, TypeError),
                     ("none:verify", lambda kw: {**kw, "verify": None}, TypeError)])
         for f in LOADERS]
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
