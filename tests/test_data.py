"""Data tests: the bundled tables are internally consistent and agree with their truth."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mkt_lessons import data

START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")


@pytest.fixture(scope="module")
def tables():
    return {name: getattr(data, f"load_{name}")() for name in
            ["customers", "products", "orders", "raw_orders", "marketing_spend", "promotions", "ab_test"]}


def test_checksums_match_files():
    root = data.data_dir()
    lines = (root / "SHA256SUMS").read_text().splitlines()
    assert len(lines) == 20  # data v2: 9 tables + 11 truth files
    for line in lines:
        digest, name = line.split()
        assert hashlib.sha256((root / name).read_bytes()).hexdigest() == digest, name


def test_total_size_budget():
    total = sum(p.stat().st_size for p in data.data_dir().rglob("*") if p.is_file())
    assert total < 15e6


def test_sizes_match_the_design(tables):
    assert len(tables["customers"]) == 5000
    assert len(tables["products"]) == 200
    assert tables["products"]["category"].nunique() == 8
    assert 40_000 <= len(tables["orders"]) <= 70_000


def test_dtypes(tables):
    o = tables["orders"]
    assert pd.api.types.is_datetime64_any_dtype(o["order_date"])
    assert pd.api.types.is_string_dtype(o["customer_id"])
    assert isinstance(tables["customers"]["acquisition_channel"].dtype, pd.CategoricalDtype)
    assert tables["ab_test"]["converted"].dtype == bool


def test_unique_keys(tables):
    assert tables["customers"]["customer_id"].is_unique
    assert tables["customers"]["email"].is_unique
    assert tables["products"]["product_id"].is_unique
    assert not tables["orders"].duplicated(["order_id", "product_id"]).any()
    assert tables["ab_test"]["visitor_id"].is_unique
    assert not tables["marketing_spend"].duplicated(["week_start", "channel"]).any()


def test_foreign_keys_resolve(tables, truth):
    o = tables["orders"]
    assert o["customer_id"].isin(tables["customers"]["customer_id"]).all()
    assert o["product_id"].isin(tables["products"]["product_id"]).all()
    assert (o.groupby("order_id")["customer_id"].nunique() == 1).all()
    assert (o.groupby("order_id")["order_date"].nunique() == 1).all()
    assert set(truth.customers["customer_id"]) == set(tables["customers"]["customer_id"])
    assert set(truth.product_factors["product_id"]) == set(tables["products"]["product_id"])


def test_revenue_formula_and_prices(tables):
    o = tables["orders"]
    expected = o["quantity"] * o["unit_price"] * (1 - o["discount"])
    assert np.allclose(o["revenue"], expected, atol=0.005 + 1e-9)
    assert (o["quantity"] >= 1).all() and o["discount"].between(0, 0.5).all()
    price = tables["products"].set_index("product_id")["price"]
    assert np.array_equal(o["unit_price"].to_numpy(), price.loc[o["product_id"]].to_numpy())


def test_dates_inside_the_window(tables):
    o, c = tables["orders"], tables["customers"]
    assert o["order_date"].between(START, END).all()
    assert c["signup_date"].between(START, END).all()
    first = o.groupby("customer_id")["order_date"].min()
    signup = c.set_index("customer_id")["signup_date"]
    # Every customer's first order is on the signup day.
    assert (first.reindex(signup.index) == signup).all()


def test_discounts_follow_the_promotions_calendar(tables):
    o, promos = tables["orders"], tables["promotions"]
    in_promo = pd.Series(False, index=o.index)
    for p in promos.itertuples():
        in_promo |= o["order_date"].between(p.start_date, p.end_date)
    assert (o.loc[in_promo, "discount"] > 0).all()
    # Outside promotions only the affiliate welcome discount (10%) and, in data v2, the
    # retention voucher (15%) exist.
    assert set(o.loc[~in_promo, "discount"].round(2).unique()) <= {0.0, 0.10, 0.15}
    # The voucher: treated customers only, inside its 60-day window, on one order each.
    rt = data.load_retention_test()
    voucher = o[~in_promo & (o["discount"].round(2) == 0.15)]
    assert set(voucher["customer_id"]) <= set(rt.loc[rt["treatment"] == 1, "customer_id"])
    assert voucher["order_date"].between("2024-04-02", "2024-05-31").all()
    assert voucher.groupby("customer_id")["order_id"].nunique().max() == 1


def test_experiment_rates_within_sampling_error(tables, truth):
    ab, p = tables["ab_test"], truth.params["experiment"]
    for arm in ["control", "treatment"]:
        x = ab.loc[ab["variant"] == arm, "converted"]
        rate = p[f"conversion_rate_{arm}"]
        se = np.sqrt(rate * (1 - rate) / len(x))
        assert abs(x.mean() - rate) < 4 * se, arm
    # 50/50 randomisation: no sample-ratio mismatch beyond 4 standard errors.
    n = len(ab)
    assert abs((ab["variant"] == "control").sum() - n / 2) < 4 * np.sqrt(n / 4)
    assert np.isclose(p["conversion_rate_control"], 0.03) and np.isclose(p["conversion_rate_treatment"], 0.0345)


def test_new_customers_per_channel_match_spend_over_cpa(tables, truth):
    spend = tables["marketing_spend"].groupby("channel", observed=True)["spend"].sum()
    counts = tables["customers"]["acquisition_channel"].value_counts()
    cpa = truth.params["acquisition"]["cost_per_acquisition"]
    for channel, cost in cpa.items():
        expected = spend[channel] / cost
        # Poisson sampling error (the multinomial conditioning only shrinks it).
        assert abs(counts[channel] - expected) < 4 * np.sqrt(expected), channel


def test_weekly_acquisition_truth_matches_customers(tables, truth):
    c = tables["customers"]
    week = c["signup_date"].dt.to_period("W-SAT").dt.start_time
    observed = c.groupby([week, "acquisition_channel"], observed=True).size()
    acq = truth.weekly_acquisition.set_index(["week_start", "channel"])["new_customers"]
    acq = acq[acq > 0]
    observed.index = observed.index.set_names(["week_start", "channel"])
    assert observed.sort_index().astype(int).equals(acq.sort_index().astype(int))


def test_expected_daily_revenue_is_an_unbiased_floor(tables, truth):
    o = tables["orders"]
    actual = o.groupby("order_date")["revenue"].sum().reindex(truth.expected_daily_revenue["date"], fill_value=0)
    expected = truth.expected_daily_revenue["expected_revenue"].to_numpy()
    assert abs(actual.sum() / expected.sum() - 1) < 0.03
    assert np.corrcoef(actual.to_numpy(), expected)[0, 1] > 0.85


def test_truth_customers(truth):
    t = truth.customers
    assert set(t["persona"].unique()) == set(truth.params["personas"])
    for col in ["p_buy_90d_train", "p_buy_90d_test"]:
        p = t[col].dropna()
        assert p.between(0, 1).all()
    counts = t["persona"].value_counts()
    assert counts.to_dict() == truth.params["persona_counts"]


def test_true_purchase_probabilities_are_calibrated(truth):
    """Customers' realised purchases in the test window agree with the oracle probabilities."""
    o = data.load_orders()
    cutoff = pd.Timestamp(truth.params["churn"]["test_cutoff"])
    window = o[(o["order_date"] > cutoff) & (o["order_date"] <= cutoff + pd.Timedelta(days=90))]
    t = truth.customers.dropna(subset=["p_buy_90d_test"])
    bought = t["customer_id"].isin(window["customer_id"])
    p = t["p_buy_90d_test"]
    assert abs(bought.sum() - p.sum()) < 4 * np.sqrt((p * (1 - p)).sum())


def test_taste_scores_rank_what_customers_buy(truth):
    scores = truth.taste_scores()
    assert scores.shape == (5000, 200)
    o = data.load_orders()
    bought = scores.to_numpy()[scores.index.get_indexer(o["customer_id"]), scores.columns.get_indexer(o["product_id"])]
    # Bought products score well above a random product for the same customer.
    assert bought.mean() > scores.to_numpy().mean() + 1.0


def test_raw_orders_carry_the_counted_defects(tables, truth):
    raw, d = tables["raw_orders"], truth.params["defects"]
    assert len(raw) == d["raw_rows"]
    assert len(raw) == len(tables["orders"]) + sum(d["removed"].values())
    # + identical lines inside one test order (its products are drawn with replacement)
    twins = raw[raw["customer_id"].str.startswith("TEST", na=False)].duplicated().sum()
    assert raw.duplicated().sum() == d["removed"]["exact_duplicate_rows"] + twins
    assert raw["customer_id"].str.startswith("TEST").sum() == d["removed"]["test_order_lines"]
    assert raw["quantity"].astype(int).lt(0).sum() == d["removed"]["return_lines"]
    assert raw["product_id"].isna().sum() == d["removed"]["missing_product_id_lines"]
    assert raw["customer_id"].isna().sum() == d["repaired"]["missing_customer_id_filled"]
    assert raw["unit_price"].str.startswith("$").sum() >= d["reformatted"]["money_as_string_rows"]


# --------------------------------------------------------------------------- loader errors
@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    dest = tmp_path / "datasets"
    shutil.copytree(data.DATA_DIR, dest)
    monkeypatch.setenv(data.ENV_VAR, str(dest))
    return dest


def test_missing_file_names_the_file_and_the_fix(data_copy):
    (data_copy / "orders.csv").unlink()
    with pytest.raises(data.DataFileError, match=r"'orders.csv' is missing.*make data"):
        data.load_orders()


def test_altered_file_is_refused(data_copy):
    path = data_copy / "customers.csv"
    path.write_text(path.read_text().replace("C00001,", "C99999,", 1))
    with pytest.raises(data.DataFileError, match=r"'customers.csv'.*checksum.*make data"):
        data.load_customers()


def test_own_data_without_checksums_loads(data_copy):
    (data_copy / "SHA256SUMS").unlink()
    assert len(data.load_products()) == 200


def test_loaders_return_fresh_copies():
    a = data.load_products()
    a.loc[0, "price"] = -1
    assert data.load_products().loc[0, "price"] > 0


def test_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    assert data.data_dir() == Path(tmp_path)
    with pytest.raises(data.DataFileError, match="missing"):
        data.load_ab_test()
