"""The generator at scale (issue 15, item 5): the fast paths give what the plain ones give.

The million-customer speed-ups must not move a single random draw or byte (the bundled data
are reproduced byte for byte in test_synth.py). Oracles here: the dense customer x day
Poisson draw, the dense products comparison, pandas' groupby/sort and ``to_csv``, Python's
string sort, list comprehensions; lesson 01's cleaning on a generated 30,000-customer shop.
Parquet: a round trip where pyarrow is installed (``make test-spark``'s environment), and
everywhere the clear error when it is not. Speed is measured by benchmarks/bench_synth.py.
"""

from __future__ import annotations

import builtins
import math

import numpy as np
import pandas as pd
import pytest

from mkt_lessons import synth


# --------------------------------------------------------------------------- the draws
def test_drawing_only_alive_cells_gives_the_dense_draws():
    """A Poisson draw with mean 0 uses no random numbers: the sparse draw is the dense one."""
    rng = np.random.default_rng(0)
    m, days = 300, 400
    first = rng.integers(0, days, m)
    stop = np.minimum(first + rng.integers(0, 300, m), days)
    lam_row = rng.random(m) * 0.2
    lam = lam_row[:, None] * (1 + np.sin(np.arange(days)))[None, :]
    alive = (np.arange(days)[None, :] >= first[:, None]) & (np.arange(days)[None, :] < stop[:, None])
    dense_rng, sparse_rng = np.random.default_rng(42), np.random.default_rng(42)
    dense = dense_rng.poisson(lam * alive)
    rows, cells = synth._alive_cells(first, stop)
    sparse = np.zeros_like(dense)
    sparse[rows, cells] = sparse_rng.poisson(lam[rows, cells])
    np.testing.assert_array_equal(sparse, dense)
    assert dense_rng.random() == sparse_rng.random()  # and the stream goes on in step
    r_nz, d_nz = np.nonzero(dense)
    hit = sparse[rows, cells] > 0
    np.testing.assert_array_equal(rows[hit], r_nz)  # row-major, as np.nonzero
    np.testing.assert_array_equal(cells[hit], d_nz)


def test_alive_cells_of_empty_ranges():
    rows, cells = synth._alive_cells(np.array([5, 3, 0]), np.array([5, 1, 2]))
    assert rows.tolist() == [2, 2] and cells.tolist() == [0, 1]


def test_product_choice_by_binary_search_equals_the_dense_comparison():
    rng = np.random.default_rng(1)
    probs = rng.dirichlet(np.full(200, 0.3), 50)
    probs[:, 10:20] = 0.0  # zero-probability products: ties in the cumulative sums
    cum = np.cumsum(probs, axis=1)
    rows = rng.integers(0, 50, 20_000)
    u = rng.random(20_000)
    u[:5] = [0.0, 1.0, cum[rows[2], 9], cum[rows[3], 199], 0.999999999]
    dense = (cum[rows] < u[:, None]).sum(1)
    np.testing.assert_array_equal(synth._count_below(cum, rows, u), dense)


def test_line_merge_and_sort_equals_pandas():
    rng = np.random.default_rng(2)
    n_orders = 3000
    o_cust = rng.integers(0, 400, n_orders)
    o_day = rng.integers(0, 700, n_orders)
    n_lines = 1 + rng.poisson(1.5, n_orders)
    tmp = np.repeat(np.arange(n_orders), n_lines)
    cust, day = np.repeat(o_cust, n_lines), np.repeat(o_day, n_lines)
    prod = rng.integers(0, 6, len(tmp))  # few products: many repeats inside a basket
    qty = 1 + rng.poisson(0.3, len(tmp))
    ref = pd.DataFrame({"tmp_order": tmp, "cust": cust, "day": day, "prod": prod, "quantity": qty})
    ref = ref.groupby(["tmp_order", "cust", "day", "prod"], as_index=False, sort=False)["quantity"].sum()
    ref = ref.sort_values(["day", "cust", "tmp_order", "prod"], kind="stable").reset_index(drop=True)
    got = pd.DataFrame(synth._merge_and_sort_lines(tmp, cust, day, prod, qty, 6, 400))
    pd.testing.assert_frame_equal(got.drop(columns="order_no"), ref)
    rank = ref["tmp_order"].ne(ref["tmp_order"].shift()).cumsum().to_numpy()
    np.testing.assert_array_equal(got["order_no"].to_numpy(), rank)


def test_order_ids_sort_as_numbers_like_the_strings():
    """Past 999,999 orders the ids grow a digit: "O1000000" sorts before "O999999" as text."""
    num = np.array([5, 999_999, 1_000_000, 900_001, 12_345_678, 100_000, 1_000_001, 99, 10_000_000, 999_999])
    text = np.array([f"O{k:06d}" for k in num], dtype=object)
    np.testing.assert_array_equal(np.argsort(synth._id_sort_key(num), kind="stable"),
                                  np.argsort(text, kind="stable"))
    np.testing.assert_array_equal(synth._order_ids(np.array([3, 1_234_567])), ["O000003", "O1234567"])


@pytest.mark.parametrize("groups", [50, 5000])
def test_shuffle_within_equals_the_lexsort(groups, monkeypatch):
    """One int64 sort (code + the noise's leading bits) = lexsort((noise, codes)), ties included."""
    rng = np.random.default_rng(groups)
    keys = np.sort(rng.integers(0, groups, 20_000))
    noise = np.random.default_rng(7).random(len(keys))
    expected = np.lexsort((noise, pd.factorize(keys, sort=True)[0]))
    np.testing.assert_array_equal(synth._shuffle_within(keys, np.random.default_rng(7)), expected)
    text = np.array([f"k{k:05d}" for k in keys], dtype=object)  # strings: codes by factorize
    np.testing.assert_array_equal(synth._shuffle_within(text, np.random.default_rng(7)), expected)


def test_shuffle_within_falls_back_when_leading_bits_tie():
    class Tied:  # every draw the same: the leading bits cannot separate rows of one group
        def random(self, n):
            return np.full(n, 0.5)

    keys = np.array([1, 1, 2, 2, 2, 3])
    np.testing.assert_array_equal(synth._shuffle_within(keys, Tied()), np.arange(6))


def test_raw_export_with_numeric_ids_equals_the_string_path():
    """Defects injected with the ids as numbers: the same raw table as comparing strings."""
    rng = np.random.default_rng(3)
    n_orders = 2500
    num = np.sort(rng.choice(np.arange(995_000, 1_005_000), n_orders, replace=False))
    size = 1 + rng.poisson(0.8, n_orders)
    order_num = np.repeat(num, size)
    n = len(order_num)
    price = np.round(rng.choice([4.99, 19.99, 24.5, 1260.0], n), 2)
    disc = rng.choice([0.0, 0.1, 0.15], n)
    qty = 1 + rng.poisson(0.3, n)
    orders = pd.DataFrame({
        "order_id": [f"O{k:06d}" for k in order_num],
        "order_date": pd.Timestamp("2023-01-01") + pd.to_timedelta(np.sort(rng.integers(0, 700, n)), unit="D"),
        "customer_id": [f"C{k:05d}" for k in rng.integers(1, 900, n)],
        "product_id": [f"P{k:04d}" for k in rng.integers(1, 201, n)],
        "quantity": qty, "unit_price": price, "discount": disc,
        "revenue": synth.order_revenue(qty, price, disc)})
    slow, d_slow = synth._inject_defects(np.random.default_rng(9), orders)
    fast, d_fast = synth._inject_defects(np.random.default_rng(9), orders, order_num)
    pd.testing.assert_frame_equal(fast, slow)
    assert d_fast == d_slow
    assert (slow["unit_price"] == "$1,260.00").any()  # the fancy money text is there


# --------------------------------------------------------------------------- CSV text
def _tricky_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "id": pd.array(["a", "b,c", 'say "hi"', "", None, "line\nbreak", "x"], dtype="str"),
        "obj": np.array(["1", "2", "3", "4", "5", "6", "7"], dtype=object),
        "f": [0.0, -0.0, np.nan, 1.005, -2.5e-7, 12345.678901, 0.125],
        "i": np.arange(7) - 3,
        "b": [True, False, True, True, False, False, True],
        "d": pd.to_datetime(["2024-01-01", None, "2023-12-31", "2024-02-29", "2024-01-01", "2025-06-30",
                             "2024-01-01"]),
    })


@pytest.mark.parametrize("float_format", [None, "%.2f", "%.6f"])
def test_csv_writer_equals_pandas_to_csv(tmp_path, float_format):
    df = _tricky_frame()
    ref = df.copy()
    ref["d"] = ref["d"].dt.strftime("%Y-%m-%d")
    ref.to_csv(tmp_path / "ref.csv", index=False, lineterminator="\n", float_format=float_format)
    synth._to_csv(df, tmp_path / "got.csv", float_format)
    assert (tmp_path / "got.csv").read_bytes() == (tmp_path / "ref.csv").read_bytes()


def test_csv_writer_in_chunks_equals_pandas(tmp_path, monkeypatch):
    """Chunks of 3 rows; the text columns without missing values take the joined-rows path."""
    monkeypatch.setattr(synth, "_CSV_CHUNK", 3)
    rng = np.random.default_rng(4)
    n = 20
    df = pd.DataFrame({"text": np.array([f"w{k}" + ("," if k % 7 == 0 else "") for k in range(n)], dtype=object),
                       "q": rng.integers(0, 5, n), "money": np.round(rng.random(n) * 3000, 2),
                       "fancy": np.array(["$1,234.50", "12.00", 'a "b"'], dtype=object)[rng.integers(0, 3, n)],
                       "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 3, n), unit="D"),
                       "x": rng.choice([0.0, -0.0, 1.5, np.nan], n)})
    ref = df.assign(when=df["when"].dt.strftime("%Y-%m-%d"))
    ref.to_csv(tmp_path / "ref.csv", index=False, lineterminator="\n", float_format="%.2f")
    synth._to_csv(df, tmp_path / "got.csv", "%.2f")
    assert (tmp_path / "got.csv").read_bytes() == (tmp_path / "ref.csv").read_bytes()
    monkeypatch.setattr(synth, "_CSV_CHUNK", 200_000)  # one chunk: the few-distinct-texts quoting
    big = pd.concat([df] * 40, ignore_index=True)
    big.assign(when=big["when"].dt.strftime("%Y-%m-%d")).to_csv(tmp_path / "ref2.csv", index=False,
                                                                lineterminator="\n", float_format="%.2f")
    synth._to_csv(big, tmp_path / "got2.csv", "%.2f")
    assert (tmp_path / "got2.csv").read_bytes() == (tmp_path / "ref2.csv").read_bytes()
    one = pd.DataFrame({"only": np.array(["", "a"], dtype=object)})  # a lone empty cell is quoted
    one.to_csv(tmp_path / "ref1.csv", index=False, lineterminator="\n")
    synth._to_csv(one, tmp_path / "got1.csv")
    assert (tmp_path / "got1.csv").read_bytes() == (tmp_path / "ref1.csv").read_bytes()


def test_format_each_equals_a_comprehension():
    x = np.array([0.0, -0.0, 1.5, np.nan, 1.5, -0.0, 2e-9])
    np.testing.assert_array_equal(synth._format_each(x, lambda v: f"{v:.2f}"), [f"{v:.2f}" for v in x])


# --------------------------------------------------------------------------- a bigger shop
@pytest.fixture(scope="module")
def shop30k():
    return synth.generate(seed=11, n_customers=30_000)


def test_generated_30k_shop_cleans_back_to_its_orders(shop30k):
    """The raw export of a generated shop cleans to exactly its orders, with the counted defects."""
    from mkt_lessons import cleaning

    clean, report = cleaning.clean_orders(shop30k.orders_raw)
    orders = shop30k.orders
    pd.testing.assert_frame_equal(clean, orders, check_dtype=False)
    defects = shop30k.truth.params["defects"]
    assert report.removed == defects["removed"] and report.repaired == defects["repaired"]


def test_generated_30k_shop_truth_is_consistent(shop30k):
    s, p = shop30k, shop30k.truth.params
    assert p["sizes"]["orders"] == s.orders["order_id"].nunique()
    assert p["sizes"]["order_lines"] == len(s.orders) and p["sizes"]["orders_raw_rows"] == len(s.orders_raw)
    assert s.orders["order_id"].is_monotonic_increasing  # O000001, O000002, ... by day
    assert not s.orders.duplicated(["order_id", "product_id"]).any()  # one line per product and order
    assert s.orders.groupby("order_id")["order_date"].nunique().max() == 1
    assert set(s.orders["customer_id"]) <= set(s.customers["customer_id"])
    first = s.orders.groupby("customer_id")["order_date"].min()
    signup = s.customers.set_index("customer_id")["signup_date"]
    assert (first == signup[first.index]).all()  # the first order is on the signup day
    np.testing.assert_allclose(s.orders["revenue"], synth.order_revenue(
        s.orders["quantity"], s.orders["unit_price"], s.orders["discount"]))
    # Expected orders per day (the oracle) against the realised ones: within 3% in total.
    edr = s.truth.expected_daily_revenue
    realised = s.orders["order_id"].nunique()
    assert abs(edr["expected_orders"].sum() / realised - 1) < 0.03
    f = p["future"]
    assert abs(f["realised_orders_2025"] - f["expected_orders_2025"]) < 4 * math.sqrt(f["expected_orders_2025"]) + 0.03 * f["expected_orders_2025"]


# --------------------------------------------------------------------------- Parquet
def _hide_pyarrow(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


def test_parquet_without_pyarrow_says_how_to_install(tmp_path, monkeypatch):
    store = synth.generate(seed=1, n_customers=100)
    _hide_pyarrow(monkeypatch)
    with pytest.raises(ImportError, match=r"pyarrow.*mkt-lessons\[parquet\]") as info:
        synth.write(store, tmp_path / "out", format="parquet")
    assert info.value.__cause__ is None and info.value.__suppress_context__  # no library traceback
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_command_line_parquet_without_pyarrow_stops_before_generating(tmp_path, monkeypatch, capsys):
    _hide_pyarrow(monkeypatch)
    with pytest.raises(SystemExit) as info:
        synth.main(["--out", str(tmp_path / "out"), "--n-customers", "100", "--format", "parquet"])
    assert info.value.code == 2
    assert "mkt-lessons[parquet]" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_write_refuses_an_unknown_format(tmp_path):
    store = synth.generate(seed=1, n_customers=100)
    with pytest.raises(ValueError, match="format"):
        synth.write(store, tmp_path, format="xlsx")
    with pytest.raises(TypeError, match="format"):
        synth.write(store, tmp_path, format=None)


def test_parquet_round_trip_keeps_values_and_types(tmp_path):
    pytest.importorskip("pyarrow")
    store = synth.generate(seed=5, n_customers=1500)
    files = synth.write(store, tmp_path, format="parquet")
    names = {f.relative_to(tmp_path).as_posix() for f in files}
    assert {"orders.parquet", "orders_raw.parquet", "truth/orders_2025.parquet", "truth/truth.json"} <= names
    assert len(files) == 20
    for name, df in [("customers", store.customers), ("orders", store.orders), ("orders_raw", store.orders_raw),
                     ("reviews", store.reviews), ("truth/customers", store.truth.customers),
                     ("truth/retention_uplift", store.truth.retention_uplift)]:
        back = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert list(back.columns) == list(df.columns)
        for col in df.columns:
            if pd.api.types.is_datetime64_any_dtype(df[col]):  # dates are stored as dates
                assert back[col].map(type).isin([type(pd.Timestamp(0).date()), type(None), float]).all()
                pd.testing.assert_series_equal(pd.to_datetime(back[col]).astype(df[col].dtype), df[col],
                                               check_names=False)
            elif pd.api.types.is_string_dtype(df[col]) or df[col].dtype == object:
                assert pd.api.types.is_string_dtype(back[col]), (name, col)
                assert back[col].fillna("<NA>").tolist() == df[col].fillna("<NA>").tolist()
            else:
                assert back[col].dtype == df[col].dtype, (name, col)
                np.testing.assert_array_equal(back[col].to_numpy(), df[col].to_numpy())
    import pyarrow.parquet as pq

    assert str(pq.read_schema(tmp_path / "orders.parquet").field("order_date").type) == "date32[day]"
    sums = (tmp_path / "SHA256SUMS").read_text()
    again = synth.write(store, tmp_path / "again", format="parquet")
    assert len(again) == 20 and (tmp_path / "again" / "SHA256SUMS").read_text() == sums  # deterministic


def test_first_occurrences_from_a_prefix_equal_the_full_unique():
    rng = np.random.default_rng(12)
    codes = rng.integers(0, 3000, 50_000)
    full = np.sort(np.unique(codes, return_index=True)[1])
    for k in [1, 10, 2000, 2999, 3000, 5000]:
        np.testing.assert_array_equal(synth._first_of_each(codes, k), full[:k])
