"""Unit tests for mkt_lessons.cleaning: hand cases, hypothesis properties, the full pipeline."""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkt_lessons import cleaning, data


# --------------------------------------------------------------------------- parse_money
@pytest.mark.parametrize("text, value", [
    ("$1,234.50", 1234.5), ("12.50", 12.5), ("  $3.00 ", 3.0), ("-12.50", -12.5),
    ("$-5.00", -5.0), ("-$5.00", -5.0), ("1234567", 1234567.0), ("$12,345,678.9", 12345678.9),
    ("0.01", 0.01),
])
def test_parse_money_hand_cases(text, value):
    assert cleaning.parse_money(text) == value


def test_parse_money_series_keeps_index_and_missing():
    s = pd.Series(["$1.00", None, "", "2"], index=[10, 11, 12, 13])
    out = cleaning.parse_money(s)
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out[10] == 1.0 and np.isnan(out[11]) and np.isnan(out[12]) and out[13] == 2.0
    assert out.dtype == "float64"


def test_parse_money_numbers_pass_through():
    assert cleaning.parse_money(pd.Series([1.5, 2])).tolist() == [1.5, 2.0]
    assert cleaning.parse_money(3) == 3.0


@pytest.mark.parametrize("bad", ["12,34", "EUR 5", "1.2.3", "abc", "$", "--5", "-$-5", "1,2345.00",
                                 "12.50$"])
def test_parse_money_rejects_with_the_name(bad):
    with pytest.raises(ValueError, match="unit_price"):
        cleaning.parse_money(pd.Series(["1.00", bad]), name="unit_price")


def test_parse_money_does_not_modify_input():
    s = pd.Series(["$1,000.00", "2.00"])
    before = s.copy()
    cleaning.parse_money(s)
    pd.testing.assert_series_equal(s, before)


cents = st.integers(min_value=-10**11, max_value=10**11)


@settings(max_examples=150, deadline=None)
@given(cents, st.booleans(), st.booleans())
def test_parse_money_round_trips_every_format_it_accepts(c, fancy, pad):
    x = c / 100
    text = f"${x:,.2f}" if fancy else f"{x:.2f}"
    if pad:
        text = f"  {text} "
    assert cleaning.parse_money(text) == float(f"{x:.2f}")


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_parse_money_thousands_commas_match_plain(n):
    assert cleaning.parse_money(f"{n:,}") == cleaning.parse_money(str(n)) == float(n)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcxyz€£ ,.;", min_size=1, max_size=8).filter(lambda t: t.strip() != ""))
def test_parse_money_rejects_text_without_digits(text):
    with pytest.raises(ValueError):
        cleaning.parse_money(text)


# --------------------------------------------------------------------------- other parsers
def test_parse_discount():
    out = cleaning.parse_discount(pd.Series(["15%", "0.15", "0.00", " 20 % ", None]))
    assert out.iloc[:4].tolist() == [0.15, 0.15, 0.0, 0.2] and np.isnan(out.iloc[4])
    assert cleaning.parse_discount("15%") == float("0.15")  # exact, not 0.15000000000000002
    with pytest.raises(ValueError, match="discount"):
        cleaning.parse_discount(pd.Series(["half"]))
    with pytest.raises(ValueError, match="between 0 and 1"):
        cleaning.parse_discount(pd.Series(["150%"]))


def test_parse_dates_all_formats_agree():
    out = cleaning.parse_dates(pd.Series(["2024-07-04", "04.07.2024", "07/04/2024", "04 Jul 2024", None]))
    assert (out.iloc[:4] == pd.Timestamp("2024-07-04")).all() and pd.isna(out.iloc[4])
    assert out.dtype == "datetime64[us]"


def test_parse_dates_rejects_unknown_shapes_and_impossible_dates():
    with pytest.raises(ValueError, match="order_date"):
        cleaning.parse_dates(pd.Series(["2024/07/04"]))
    with pytest.raises(ValueError, match="not a valid date"):
        cleaning.parse_dates(pd.Series(["31.02.2024"]))


def test_normalize_ids():
    out = cleaning.normalize_ids(pd.Series([" C00012", "c00012", "C00012  ", "", None]))
    assert out.iloc[:3].tolist() == ["C00012"] * 3 and out.iloc[3:].isna().all()


# --------------------------------------------------------------------------- outliers
def test_iqr_outliers_hand_case():
    x = pd.Series([1, 2, 3, 4, 100])  # Q1 = 2, Q3 = 4, IQR = 2, upper fence 7
    assert cleaning.iqr_outliers(x).tolist() == [False, False, False, False, True]


def test_robust_zscores_hand_case():
    x = pd.Series([1.0, 2.0, 3.0, 4.0, 100.0])  # median 3, MAD 1
    z = cleaning.robust_zscores(x)
    assert np.allclose(z, (x - 3) / 1.4826)


def test_price_typo_mask_flags_only_the_x100_prices():
    price = pd.Series([10.0, 10.0, 1000.0, 500.0, 500.0, 20.0])
    pid = pd.Series(["A", "A", "A", "B", "B", "A"])
    assert cleaning.price_typo_mask(price, pid).tolist() == [False, False, True, False, False, False]


# --------------------------------------------------------------------------- validation
def _small_orders():
    return pd.DataFrame({
        "order_id": ["O000001", "O000001", "O000002"],
        "order_date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-02"]),
        "customer_id": ["C00001", "C00001", "C00002"],
        "product_id": ["P0001", "P0002", "P0001"],
        "quantity": [1, 2, 1], "unit_price": [10.0, 5.0, 10.0], "discount": [0.0, 0.1, 0.0],
        "revenue": [10.0, 9.0, 10.0]})


def test_validate_orders_passes_a_good_table_and_the_bundled_one():
    assert cleaning.validate_orders(_small_orders())["passed"].all()
    assert cleaning.validate_orders(data.load_orders())["passed"].all()


def test_validate_orders_counts_each_broken_rule():
    bad = _small_orders()
    bad.loc[0, "quantity"] = -1
    bad.loc[1, "customer_id"] = "c00009"
    bad.loc[2, "revenue"] = 99.0
    table = cleaning.validate_orders(bad).set_index("rule")["failures"]
    assert table["quantity is a whole number >= 1"] == 1
    assert table["customer_id present and canonical"] == 1
    assert table["one customer per order"] == 2
    assert table["revenue = quantity x unit_price x (1 - discount)"] == 2  # row 0 and 2
    with pytest.raises(ValueError, match="validation rule"):
        cleaning.validate_orders(bad, raise_errors=True)


def test_validate_orders_bad_input():
    with pytest.raises(ValueError, match="revenue"):
        cleaning.validate_orders(_small_orders().drop(columns="revenue"))
    with pytest.raises(TypeError, match="unit_price"):
        cleaning.validate_orders(_small_orders().astype({"unit_price": "str"}))
    with pytest.raises(ValueError, match="empty"):
        cleaning.validate_orders(_small_orders().iloc[:0])


# --------------------------------------------------------------------------- the pipeline
@pytest.fixture(scope="module")
def cleaned():
    raw = data.load_raw_orders()
    before = raw.copy()
    clean, report = cleaning.clean_orders(raw)
    pd.testing.assert_frame_equal(raw, before)  # the input is not modified
    return raw, clean, report


def test_clean_orders_reproduces_orders_csv(cleaned):
    _, clean, _ = cleaned
    pd.testing.assert_frame_equal(clean, data.load_orders())


def test_report_counts_equal_the_injected_defects(cleaned, truth):
    raw, clean, report = cleaned
    defects = truth.params["defects"]
    # The generator draws a test order's products with replacement: when one lists the same
    # product twice, the two lines are identical text, and the cleaner's first step removes
    # the copy as an exact duplicate before the test-order step sees it (one in data v2).
    is_test = raw["customer_id"].str.strip().str.upper().str.startswith("TEST", na=False)
    twins = int(raw[is_test].duplicated().sum())
    expected = dict(defects["removed"])
    expected["exact_duplicate_rows"] += twins
    expected["test_order_lines"] -= twins
    assert report.removed == expected
    assert report.repaired == defects["repaired"]
    assert report.raw_rows == defects["raw_rows"] == len(raw)
    assert report.clean_rows == defects["clean_rows"] == len(clean)
    assert len(report.dropped) == sum(defects["removed"].values())
    assert report.dropped["reason"].value_counts().to_dict() == {
        k: v for k, v in expected.items() if v}


def test_dropped_rows_are_what_they_claim(cleaned):
    _, _, report = cleaned
    d = report.dropped
    returns = d[d["reason"] == "return_lines"]
    assert (returns["quantity"].astype(int) < 0).all()
    assert d.loc[d["reason"] == "missing_product_id_lines", "product_id"].isna().all()
    assert d.loc[d["reason"] == "test_order_lines", "customer_id"].str.startswith("TEST").all()


def test_clean_orders_hand_case():
    raw = pd.DataFrame({
        "order_id": ["O000001", "O000001", "O000001", "O000002", "O000002", "O000003", "O900001",
                     "O000002", "O000001"],
        "order_date": ["2024-01-01", "01.01.2024", "2024-01-01", "01/02/2024", "02 Jan 2024",
                       "2024-01-03", "2024-01-03", "2024-01-10", "2024-01-01"],
        "customer_id": ["C00001", "C00001", " c00001", None, "C00002", "C00003", "TEST01",
                        "C00002", " c00001"],
        "product_id": ["P0001", "P0001", "P0002", "P0001", "P0003", "P0001", "P0001", "P0003",
                       "P0002"],
        "quantity": ["1", "1", "2", "1", "1", "1", "1", "-1", "2"],
        "unit_price": ["10.00", "$10.00", "500.00", "1,000.00", "5.00", "10.00", "0.01", "5.00",
                       "500.00"],
        "discount": ["0.00", "0.00", "10%", "0.00", "0.00", "0.10", "0.00", "0.00", "10%"],
        "revenue": ["10.00", "$10.00", "900.00", "1000.00", "5.00", "9.00", "0.01", "-5.00", "900.00"],
    })
    clean, report = cleaning.clean_orders(raw)
    assert report.removed == {"exact_duplicate_rows": 1, "duplicate_order_lines": 1,
                              "return_lines": 1, "missing_product_id_lines": 0,
                              "test_order_lines": 1}
    assert report.repaired == {"missing_customer_id_filled": 1, "price_typos_x100": 1}
    assert clean["order_id"].tolist() == ["O000001", "O000001", "O000002", "O000002", "O000003"]
    row = clean[(clean["order_id"] == "O000002") & (clean["product_id"] == "P0001")].iloc[0]
    assert row["customer_id"] == "C00002" and row["unit_price"] == 10.0 and row["revenue"] == 10.0
    assert clean.loc[1, "revenue"] == 900.0 and clean.loc[1, "discount"] == 0.1


def test_clean_orders_bad_input():
    raw = data.load_raw_orders().head(50)
    with pytest.raises(ValueError, match="revenue"):
        cleaning.clean_orders(raw.drop(columns="revenue"))
    with pytest.raises(ValueError, match="empty"):
        cleaning.clean_orders(raw.iloc[:0])
    with pytest.raises(TypeError, match="DataFrame"):
        cleaning.clean_orders(raw.to_numpy())
    broken = raw.copy()
    broken.loc[3, "unit_price"] = "12,34"
    with pytest.raises(ValueError, match="unit_price"):
        cleaning.clean_orders(broken)
    broken = raw.copy()
    broken.loc[3, "order_date"] = "yesterday"
    with pytest.raises(ValueError, match="order_date"):
        cleaning.clean_orders(broken)
    broken = raw.copy()
    broken.loc[3, "order_id"] = None
    with pytest.raises(ValueError, match="order_id"):
        cleaning.clean_orders(broken)


# --------------------------------------------------------------------------- privacy
def test_pseudonymize_is_hmac_sha256_of_the_normalised_value():
    out = cleaning.pseudonymize(pd.Series(["Ann@Example.com ", "ann@example.com", "bob@example.com"]),
                                salt="s3cret-salt", length=64)
    want = hmac.new(b"s3cret-salt", b"ann@example.com", hashlib.sha256).hexdigest()
    assert out.iloc[0] == out.iloc[1] == want
    assert out.iloc[2] != want


def test_pseudonymize_depends_on_the_salt_and_is_deterministic():
    emails = data.load_customers()["email"].head(200)
    a = cleaning.pseudonymize(emails, "salt-one-123")
    assert a.equals(cleaning.pseudonymize(emails, "salt-one-123"))
    b = cleaning.pseudonymize(emails, "salt-two-456")
    assert (a != b).all()
    assert a.str.len().eq(16).all() and a.is_unique
    plain = emails.map(lambda e: hashlib.sha256(e.encode()).hexdigest()[:16])
    assert not a.isin(plain).any()  # an unsalted dictionary attack finds nothing


def test_pseudonymize_bad_input():
    with pytest.raises(ValueError, match="salt"):
        cleaning.pseudonymize(["a@x.com"], "short")
    with pytest.raises(TypeError, match="salt"):
        cleaning.pseudonymize(["a@x.com"], 12345678)
    with pytest.raises(ValueError, match="missing"):
        cleaning.pseudonymize(pd.Series(["a@x.com", None]), "long-enough-salt")
    with pytest.raises(ValueError, match="length"):
        cleaning.pseudonymize(["a@x.com"], "long-enough-salt", length=4)


def test_k_anonymity_hand_case_and_brute_force():
    df = pd.DataFrame({"band": ["20-29", "20-29", "30-39", "30-39", "30-39"],
                       "region": ["N", "N", "S", "S", "N"]})
    assert cleaning.k_anonymity(df, ["band", "region"]) == 1
    assert cleaning.k_anonymity(df, ["band"]) == 2
    customers = data.load_customers()
    qi = ["region", "acquisition_channel"]
    counts = Counter(zip(*(customers[c].astype(str) for c in qi), strict=True))
    brute = min(counts.values())
    assert cleaning.k_anonymity(customers, qi) == brute


def test_k_anonymity_bad_input():
    df = pd.DataFrame({"a": [1]})
    with pytest.raises(ValueError, match="'b'"):
        cleaning.k_anonymity(df, ["b"])
    with pytest.raises(ValueError, match="at least one"):
        cleaning.k_anonymity(df, [])
    with pytest.raises(ValueError, match="empty"):
        cleaning.k_anonymity(df.iloc[:0], ["a"])
