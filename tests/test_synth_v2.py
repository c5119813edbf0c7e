"""Data v2 (issue 15): the generator's new parts recover their own truth.

Built at small size (3,000 customers, a few seconds) behind ``generate(version=2)``; the
bundled ``datasets/`` stay version 1 until the lessons move (tests/test_synth.py checks that
they are reproduced byte for byte). Oracles: hand formulas (adstock, Hill), scikit-learn and
statsmodels (bag-of-words, regression), and simulation recovery within sampling error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from mkt_lessons import constants, data, synth

SEED, N = 11, 3000
START = pd.Timestamp("2023-01-01")


@pytest.fixture(scope="module")
def store():
    return synth.generate(seed=SEED, n_customers=N, version=2)


@pytest.fixture(scope="module")
def v2_dir(store, tmp_path_factory):
    root = tmp_path_factory.mktemp("v2")
    synth.write(store, root)
    return root


@pytest.fixture
def v2_env(v2_dir, monkeypatch):
    monkeypatch.setenv(data.ENV_VAR, str(v2_dir))
    return v2_dir


# --------------------------------------------------------------------------- determinism
def test_version_2_reruns_are_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    synth.write(synth.generate(seed=5, n_customers=400, version=2), a)
    synth.write(synth.generate(seed=5, n_customers=400, version=2), b)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert len(files) == 21
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f


def test_default_is_version_2_and_version_1_still_builds():
    v2 = synth.generate(seed=5, n_customers=200)
    assert v2.version == 2 and v2.retention_test is not None and v2.reviews is not None
    assert v2.orders.equals(synth.generate(seed=5, n_customers=200, version=2).orders)
    v1 = synth.generate(seed=5, n_customers=200, version=1)
    assert v1.version == 1 and v1.retention_test is None and v1.reviews is None
    assert v1.truth.orders_2025 is None


def test_command_line_writes_version_2(tmp_path, capsys):
    synth.main(["--out", str(tmp_path), "--n-customers", "200", "--seed", "3", "--version", "2"])
    for name in ["retention_test.csv", "reviews.csv", "truth/orders_2025.csv", "truth/customers_2025.csv",
                 "truth/retention_uplift.csv", "truth/media_response.csv", "truth/reviews.csv"]:
        assert (tmp_path / name).exists(), name
        assert name in (tmp_path / "SHA256SUMS").read_text()
    assert "generated 200 customers" in capsys.readouterr().out


def test_products_have_descriptions_and_customers_emails(store):
    assert store.products["description"].str.len().gt(0).all()
    assert store.customers["email"].str.endswith("@example.com").all()
    assert store.customers["email"].is_unique


# --------------------------------------------------------------------------- retention test
def test_retention_design(store):
    rt = store.retention_test
    p = store.truth.params["retention"]
    assigned = pd.Timestamp(p["assigned_at"])
    window_end = assigned + pd.Timedelta(days=p["window_days"] - 1)
    assert (rt["assigned_at"] == assigned).all()
    assert assigned.month in (3, 4, 5) and window_end < constants.TRAIN_CUTOFF
    # Realised treatment share: 1/3 within 4 binomial standard errors, far from 1/2.
    n, share = len(rt), rt["treatment"].mean()
    assert abs(share - 1 / 3) < 4 * np.sqrt(1 / 3 * 2 / 3 / n)
    assert share < 0.45


def test_eligible_customers_are_exactly_the_recent_buyers(store):
    """Oracle: orders.csv itself - an order in the 365 days before the assignment day."""
    a = pd.Timestamp(store.truth.params["retention"]["assigned_at"])
    o = store.orders
    recent = o.loc[(o["order_date"] < a) & (o["order_date"] >= a - pd.Timedelta(days=365)), "customer_id"]
    assert set(store.retention_test["customer_id"]) == set(recent)


def test_randomisation_balances_pre_treatment_features(store):
    rt = store.retention_test
    t = rt["treatment"] == 1
    for col in ["tenure_days", "recency_days", "frequency_365d", "monetary_365d", "age"]:
        x = rt[col].astype(float)
        smd = (x[t].mean() - x[~t].mean()) / x.std()
        assert abs(smd) < 0.2, (col, smd)  # se of an SMD here is about 0.05


def test_pre_treatment_features_match_the_orders(store):
    rt = store.retention_test.set_index("customer_id")
    a = pd.Timestamp(store.truth.params["retention"]["assigned_at"])
    o = store.orders
    before = o[(o["order_date"] < a) & (o["order_date"] >= a - pd.Timedelta(days=365))]
    freq = before.groupby("customer_id")["order_id"].nunique()
    money = before.groupby("customer_id")["revenue"].sum()
    last = o[o["order_date"] < a].groupby("customer_id")["order_date"].max()
    assert (rt["frequency_365d"] == freq.reindex(rt.index)).all()
    assert np.allclose(rt["monetary_365d"], money.reindex(rt.index), atol=0.011)
    assert (rt["recency_days"] == (a - last.reindex(rt.index)).dt.days).all()


def test_observed_ate_agrees_with_the_mean_true_uplift(store):
    rt, tr = store.retention_test, store.truth.retention_uplift
    assert (rt["customer_id"].to_numpy() == tr["customer_id"].to_numpy()).all()
    t = rt["treatment"].to_numpy() == 1
    y = rt["purchased_60d"].to_numpy()
    ate = y[t].mean() - y[~t].mean()
    se = np.sqrt(y[t].var(ddof=1) / t.sum() + y[~t].var(ddof=1) / (~t).sum())
    true = tr["uplift_purchase"].mean()
    assert abs(ate - true) < 4 * se, (ate, true, se)
    assert true > 0.03  # the offer works on average ...
    # ... and each arm's purchase rate matches the truth's potential outcome for that arm.
    for arm, col in [(t, "p_purchase_treated"), (~t, "p_purchase_control")]:
        p = tr.loc[arm, col].to_numpy()
        assert abs(y[arm].mean() - p.mean()) < 4 * np.sqrt((p * (1 - p)).sum()) / arm.sum()


def test_realised_margin_agrees_with_the_true_expected_margin(store):
    rt, tr = store.retention_test, store.truth.retention_uplift
    p = store.truth.params
    a = pd.Timestamp(p["retention"]["assigned_at"])
    o = store.orders
    w = o[(o["order_date"] >= a) & (o["order_date"] < a + pd.Timedelta(days=60))]
    cogs = p["margin"]["cogs_share_of_list_price"]
    margin = (w["revenue"] - cogs * w["quantity"] * w["unit_price"]).groupby(w["customer_id"]).sum()
    m = margin.reindex(rt["customer_id"], fill_value=0.0).to_numpy()
    t = rt["treatment"].to_numpy() == 1
    for arm, col in [(t, "margin_60d_treated"), (~t, "margin_60d_control")]:
        resid = m[arm] - tr.loc[arm, col].to_numpy()
        assert abs(resid.mean()) < 4 * resid.std(ddof=1) / np.sqrt(arm.sum()), col


def test_heterogeneous_effects_by_segment(store):
    tr, rt = store.truth.retention_uplift, store.retention_test
    seg = tr.groupby("segment", observed=True)
    counts = seg.size()
    assert set(counts.index) == {"persuadable", "sure_thing", "lost_cause", "sleeping_dog"}
    assert counts.min() >= 10
    lost = tr["segment"] == "lost_cause"
    assert (tr.loc[lost, "uplift_purchase"] == 0).all()
    assert (rt.loc[lost, "purchased_60d"] == 0).all()  # churned customers cannot buy
    assert (tr.loc[tr["segment"] == "sleeping_dog", "uplift_purchase"] < 0).all()
    sure = tr["segment"] == "sure_thing"
    assert (tr.loc[sure, "p_purchase_control"] >= 0.8).all()
    assert tr.loc[sure, "uplift_margin"].mean() < 0  # the voucher mostly costs margin
    per = seg["uplift_purchase"].mean()
    assert per["persuadable"] > per["sure_thing"] > per["lost_cause"] > per["sleeping_dog"]


def test_the_voucher_shows_in_orders(store):
    p = store.truth.params["retention"]
    a = pd.Timestamp(p["assigned_at"])
    rt = store.retention_test
    o = store.orders
    w = o[(o["order_date"] >= a) & (o["order_date"] < a + pd.Timedelta(days=60))]
    treated = set(rt.loc[rt["treatment"] == 1, "customer_id"])
    vouchers = w.loc[w["discount"] == p["voucher_discount"]]
    assert set(vouchers["customer_id"]) == treated & set(w["customer_id"])
    assert vouchers.groupby("customer_id")["order_id"].nunique().eq(1).all()  # first order only
    first = w["order_date"] == w["customer_id"].map(o.groupby("customer_id")["order_date"].min())
    others = w[~w["customer_id"].isin(treated) & ~first]  # no promotion runs in the window
    assert (others["discount"] == 0).all()


# --------------------------------------------------------------------------- media
def test_media_truth_is_the_stated_adstock_and_hill(store):
    """Oracle: the formulas of the data card, recomputed by hand from marketing_spend."""
    mr = store.truth.media_response
    spend = store.marketing_spend.pivot(index="week_start", columns="channel", values="spend")
    for c, par in store.truth.params["media"]["channels"].items():
        x = spend[c].to_numpy()
        ad = np.zeros(len(x))
        for t in range(len(x)):
            ad[t] = x[t] + (par["decay"] * ad[t - 1] if t else 0.0)
        hill = ad ** par["shape"] / (ad ** par["shape"] + par["half_saturation_usd"] ** par["shape"])
        got = mr[mr["channel"] == c]
        assert np.allclose(got["adstock"], ad) and np.allclose(got["saturation"], hill)
        assert np.allclose(got["lift"], par["max_lift"] * hill)
        assert np.isclose(got["incremental_revenue"].sum(), par["incremental_revenue"])


def test_media_counterfactuals_are_consistent(store):
    ch = store.truth.params["media"]["channels"]
    for c, par in ch.items():
        assert par["incremental_revenue"] > 0  # removing a channel never adds revenue
        assert par["roas"] == pytest.approx(par["incremental_revenue"] / par["spend_total"])
        assert 0 < par["marginal_roas"] < par["roas"], c  # saturation bites at current spend


def test_spend_has_flights_dark_weeks_and_shifts(store):
    spend = store.marketing_spend.pivot(index="week_start", columns="channel", values="spend")
    for c in ["paid_search", "social", "display"]:
        assert (spend[c] == 0).sum() >= 2, c  # dark weeks
    aff = spend["affiliate"]
    assert aff[aff.index >= "2024-04-01"].mean() > 1.3 * aff[aff.index < "2024-04-01"].mean()


def test_media_lift_shows_in_repeat_orders(store):
    """Weekly repeat orders / the no-media expectation - 1 regresses on the true lift with slope ~1."""
    o = store.orders.drop_duplicates("order_id")
    first = o.groupby("customer_id")["order_date"].transform("min") == o["order_date"]
    day = (o.loc[~first, "order_date"] - START).dt.days.to_numpy()
    edr = store.truth.expected_daily_revenue
    week = np.arange(len(edr)) // 7
    n_rep = np.bincount(day // 7, minlength=week.max() + 1)
    base = np.bincount(week, weights=edr["expected_repeat_orders_no_media"])
    lift = store.truth.media_response.groupby("week_start")["lift"].sum().to_numpy()
    k = slice(8, len(base) - 1)  # skip the thin first weeks and the 3-day last week
    fit = sm.WLS(n_rep[k] / base[k] - 1, sm.add_constant(lift[k]), weights=base[k]).fit()
    slope, se = fit.params[1], fit.bse[1]
    assert slope > 2 * se and abs(slope - 1) < 4 * se, (slope, se)
    # A marketer's regression on adstocked spend (no truth) finds a positive total effect.
    ad = store.truth.media_response.pivot(index="week_start", columns="channel", values="adstock")
    x = ad.to_numpy() / ad.to_numpy().mean(0)
    fit2 = sm.WLS(n_rep[k] / base[k], sm.add_constant(x[k]), weights=base[k]).fit()
    assert fit2.params[1:].sum() > 0


def test_acquisition_stays_linear_in_spend(store):
    acq = store.truth.weekly_acquisition
    spend = store.marketing_spend
    for c, cpa in store.truth.params["acquisition"]["cost_per_acquisition"].items():
        e = acq.loc[acq["channel"] == c, "expected_new_customers"].to_numpy()
        assert np.allclose(e, spend.loc[spend["channel"] == c, "spend"].to_numpy() / cpa)


# --------------------------------------------------------------------------- reviews
def test_reviews_reference_real_order_lines(store):
    rv, tr = store.reviews, store.truth.reviews
    assert rv["review_id"].is_unique and (rv["review_id"] == tr["review_id"]).all()
    lines = store.orders.set_index(["order_id", "product_id"])
    key = pd.MultiIndex.from_arrays([tr["order_id"], rv["product_id"]])
    assert key.isin(lines.index).all()
    got = lines.loc[key]
    assert (got["customer_id"].to_numpy() == rv["customer_id"].to_numpy()).all()
    lag = (rv["review_date"].to_numpy() - got["order_date"].to_numpy()).astype("timedelta64[D]").astype(int)
    assert lag.min() >= 3 and rv["review_date"].max() <= pd.Timestamp("2024-12-31")
    assert rv["rating"].between(1, 5).all()
    share = len(rv) / len(store.orders)
    assert 0.03 < share < 0.12


def test_ratings_follow_sentiment_with_noise(store):
    rv, tr = store.reviews, store.truth.reviews
    r = np.corrcoef(rv["rating"], tr["sentiment"])[0, 1]
    assert 0.7 < r < 0.92, r
    five = rv["rating"] == 5
    complains = (tr.loc[five, list(synth.ASPECTS)] < 0).any(axis=1).mean()
    assert 0.02 < complains < 0.4  # some 5-star reviews complain about something


def test_bag_of_words_is_good_not_perfect(store):
    """scikit-learn's CountVectorizer + LogisticRegression, 5-fold CV, on sign(true sentiment)."""
    y = (store.truth.reviews["sentiment"] > 0).astype(int)
    model = make_pipeline(CountVectorizer(ngram_range=(1, 2), min_df=2), LogisticRegression(max_iter=2000))
    acc = cross_val_score(model, store.reviews["text"], y, cv=5).mean()
    assert 0.78 <= acc <= 0.93, acc


def test_text_carries_negation_aspects_and_typos(store):
    rv, tr = store.reviews, store.truth.reviews
    text = rv["text"].str.lower()
    negated = text.str.contains(r"\bnot\b|n't")
    assert 0.15 < tr["negated"].mean() < 0.45
    assert negated[tr["negated"]].all()
    assert text.str.contains("not sturdy|isn't sturdy|wasn't sturdy").any()
    assert (tr[list(synth.ASPECTS)] != 0).any(axis=1).all()  # every review talks about something
    assert (tr[list(synth.ASPECTS)] != 0).sum(axis=1).max() >= 2  # mixed aspects exist
    mixed = ((tr[list(synth.ASPECTS)] > 0).any(axis=1) & (tr[list(synth.ASPECTS)] < 0).any(axis=1))
    assert 0.05 < mixed.mean() < 0.6
    # Aspect truth matches the lexicon: a review tagged with delivery names a delivery subject.
    subjects = "|".join(synth.ASPECTS["delivery"][0])
    tagged = tr["delivery"] != 0
    assert text[tagged].str.contains(subjects).mean() > 0.9
    # Typos: some words are outside the grammar's vocabulary.
    vocab = set(" ".join(w for a in synth.ASPECTS.values() for part in a for w in part).split())
    vocab |= set(" ".join([*synth.INTENSIFIERS, *synth.HEDGES, *synth.SENTENCE_HEDGES,
                           *sum(synth.OPENERS.values(), []), *sum(synth.CLOSERS.values(), [])]).lower().split())
    vocab |= {"is", "was", "are", "were", "not", "isn't", "wasn't", "aren't", "weren't", "at", "all",
              "and", "but", "the"}
    words = set(text.str.replace(r"[.,!]", "", regex=True).str.split().explode())
    assert len(words - vocab) > 5


def test_satisfaction_lengthens_lifetimes(store):
    """Latent satisfaction shifts the churn hazard: within personas, happier customers live longer."""
    tc = store.truth.customers
    life = (tc["churn_date"] - store.customers["signup_date"]).dt.days
    z = np.log1p(life) - np.log1p(life).groupby(tc["persona"], observed=True).transform("mean")
    r = np.corrcoef(tc["satisfaction"], z)[0, 1]
    assert r > 0.05, r


def test_review_ratings_carry_churn_signal(store):
    """Customers whose reviews are low churn earlier (the churn hazard follows satisfaction)."""
    rv = store.reviews.merge(store.truth.customers[["customer_id", "satisfaction"]], on="customer_id")
    mean_rating = rv.groupby("customer_id")["rating"].mean()
    sat = store.truth.customers.set_index("customer_id").loc[mean_rating.index, "satisfaction"]
    assert np.corrcoef(mean_rating, sat)[0, 1] > 0.3


# --------------------------------------------------------------------------- 2025
def test_future_continues_the_same_customers(store):
    f = store.truth.orders_2025
    assert f["order_date"].min() >= pd.Timestamp("2025-01-01")
    assert f["order_date"].max() <= pd.Timestamp("2025-12-31")
    assert f["customer_id"].isin(store.customers["customer_id"]).all()
    c25 = store.truth.customers_2025.set_index("customer_id")
    assert c25.loc[f["customer_id"].unique(), "alive_at_end"].all()  # no orders from the churned
    assert not set(f["order_id"]) & set(store.orders["order_id"])
    assert (c25.loc[~c25["alive_at_end"], "expected_orders_2025"] == 0).all()
    assert np.allclose(f["revenue"], synth.order_revenue(f["quantity"], f["unit_price"], f["discount"]))


@pytest.mark.parametrize("what", ["orders", "revenue"])
def test_realised_2025_agrees_with_the_expected(store, what):
    """Sum of (realised - expected) per customer, over its own standard error: |z| < 4."""
    f = store.truth.orders_2025
    c25 = store.truth.customers_2025
    if what == "orders":
        real = f.groupby("customer_id")["order_id"].nunique()
    else:
        real = f.groupby("customer_id")["revenue"].sum()
    resid = real.reindex(c25["customer_id"], fill_value=0).to_numpy() - c25[f"expected_{what}_2025"].to_numpy()
    z = resid.sum() / np.sqrt((resid ** 2).sum())
    assert abs(z) < 4, z
    tot = store.truth.params["future"]
    assert tot[f"realised_{what}_2025"] == pytest.approx(real.sum())


def test_true_purchase_probabilities_are_calibrated(store):
    tc = store.truth.customers
    o = store.orders
    for col, cut in [("p_buy_90d_train", constants.TRAIN_CUTOFF), ("p_buy_90d_test", constants.TEST_CUTOFF)]:
        win = o[(o["order_date"] > cut) & (o["order_date"] <= cut + pd.Timedelta(days=90))]
        has = tc["signup_date"] if "signup_date" in tc else store.customers["signup_date"]
        m = (has <= cut).to_numpy()
        y = tc.loc[m, "customer_id"].isin(win["customer_id"]).to_numpy()
        p = tc.loc[m, col].to_numpy()
        assert abs(y.mean() - p.mean()) < 4 * np.sqrt((p * (1 - p)).sum()) / m.sum(), col


# --------------------------------------------------------------------------- loaders
def test_loaders_read_the_v2_tables_with_dtypes(v2_env, store):
    rt = data.load_retention_test()
    assert rt["assigned_at"].dtype.kind == "M" and rt["treatment"].dtype == np.int64
    assert isinstance(rt["region"].dtype, pd.CategoricalDtype)
    assert len(rt) == len(store.retention_test)
    rv = data.load_reviews()
    assert rv["review_date"].dtype.kind == "M" and rv["rating"].dtype == np.int64
    assert (rv["text"] == store.reviews["text"]).all()  # text with commas and quotes survives
    t = data.load_truth()
    assert t.params["version"] == 2
    assert t.retention_uplift["segment"].dtype == "category"
    assert t.retention_uplift["alive_at_assignment"].dtype == bool
    assert t.orders_2025["order_date"].dtype.kind == "M"
    assert t.customers_2025["alive_at_end"].dtype == bool
    assert t.reviews["negated"].dtype == bool and t.reviews["quality"].dtype == np.int64
    assert t.media_response["week_start"].dtype.kind == "M"
    assert data.verify_all() == dict.fromkeys(data._expected_sums(v2_env), "ok")


def test_version_1_data_has_no_v2_tables(tmp_path, monkeypatch):
    synth.write(synth.generate(seed=5, n_customers=200, version=1), tmp_path)
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    t = data.load_truth()
    assert t.retention_uplift is None and t.orders_2025 is None
    with pytest.raises(data.DataFileError, match="retention_test.csv"):
        data.load_retention_test()


def test_lesson_01_cleaning_recovers_the_v2_orders(v2_env):
    """The raw export of v2 still cleans to exactly orders.csv, with the counted defects."""
    from mkt_lessons import cleaning

    clean, report = cleaning.clean_orders(data.load_raw_orders())
    pd.testing.assert_frame_equal(clean, data.load_orders())
    defects = data.load_truth().params["defects"]
    assert report.removed == defects["removed"] and report.repaired == defects["repaired"]
