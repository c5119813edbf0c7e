"""Generator tests: determinism, the bundled data reproduce exactly, personas are findable."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from mkt_lessons import data, synth


def test_same_seed_gives_byte_identical_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    synth.write(synth.generate(seed=7, n_customers=400), a)
    synth.write(synth.generate(seed=7, n_customers=400), b)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert len(files) == 21  # data v2 (the default): 20 data files + SHA256SUMS
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f


def test_different_seeds_differ():
    a = synth.generate(seed=1, n_customers=300)
    b = synth.generate(seed=2, n_customers=300)
    assert not a.orders.equals(b.orders)


def test_bundled_data_is_reproduced_exactly(tmp_path):
    """`make data` must rebuild datasets/ byte for byte: compare the checksum files."""
    synth.main(["--out", str(tmp_path)])
    assert (tmp_path / "SHA256SUMS").read_text() == (data.DATA_DIR / "SHA256SUMS").read_text()


@pytest.mark.parametrize("kwargs, exc", [  # policy (_validation): wrong type -> TypeError, value -> ValueError
    (dict(seed=-1), ValueError), (dict(seed=1.5), TypeError),
    (dict(n_customers=10), ValueError), (dict(n_customers="5000"), TypeError),
    (dict(version=3), ValueError), (dict(version="2"), TypeError),
])
def test_bad_arguments(kwargs, exc):
    with pytest.raises(exc):
        synth.generate(**kwargs)


def test_small_store_is_consistent():
    s = synth.generate(seed=3, n_customers=300)
    assert len(s.customers) == 300
    assert s.orders["customer_id"].isin(s.customers["customer_id"]).all()
    assert s.truth.params["defects"]["raw_rows"] == len(s.orders_raw)
    assert np.allclose(s.orders["revenue"], synth.order_revenue(s.orders["quantity"], s.orders["unit_price"],
                                                                 s.orders["discount"]))


def test_black_friday_dates():
    assert synth.black_friday(2023) == pd.Timestamp("2023-11-24")  # constants' calendar
    assert synth.black_friday(2024) == pd.Timestamp("2024-11-29")


def test_personas_are_distinguishable_but_overlapping(truth):
    """A sensible K-means on log RFM agrees with the hidden personas clearly, not perfectly."""
    o = data.load_orders()
    snapshot = pd.Timestamp("2025-01-01")
    rfm = o.groupby("customer_id").agg(last=("order_date", "max"), frequency=("order_id", "nunique"),
                                       monetary=("revenue", "sum"))
    rfm["recency"] = (snapshot - rfm["last"]).dt.days
    x = StandardScaler().fit_transform(np.log1p(rfm[["recency", "frequency", "monetary"]]))
    labels = KMeans(5, n_init=10, random_state=0).fit_predict(x)
    persona = truth.customers.set_index("customer_id").loc[rfm.index, "persona"]
    ari = adjusted_rand_score(persona, labels)
    assert 0.35 <= ari <= 0.85, ari
