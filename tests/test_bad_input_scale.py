"""Bad input to mkt_lessons.scale; machinery in badinput.py.

The mutations are made on pandas tables (as for every module) and each mutated table is
turned into a Spark DataFrame by ``scale.to_spark`` before the call, which is how a
learner's pandas mistakes reach Spark: text amounts become STRING columns, NaN ids and NaT
dates become nulls, time-zone-aware dates become TIMESTAMP (instant) columns.
"""

from __future__ import annotations

import dataclasses
import importlib.util

import pytest
from badinput import Date, Flag, Option, Size, Spec, Table, make_tests, tiny_orders

from mkt_lessons import features, scale

# Imported by test_conformance.py too, so no module-level skip: without the extra there are
# no specs (conformance skips the module as OPTIONAL) and these tests are skipped.
HAVE_SPARK = importlib.util.find_spec("pyspark") is not None
pytestmark = [pytest.mark.skipif(not HAVE_SPARK, reason="the optional [spark] extra is not "
                                 "installed: `make test-spark` runs these (CI does)"),
              # to_spark takes PySpark's Arrow path: its fallback warning would be an error
              pytest.mark.filterwarnings("error::UserWarning")]

SPARK_ARGS = ("orders", "table")


@dataclasses.dataclass
class SparkSpec(Spec):
    """A Spec whose pandas table arguments are handed to the function as Spark DataFrames."""

    def run(self, kwargs: dict):
        import pandas as pd

        spark = scale.spark_session()
        call = dict(kwargs)
        for key in SPARK_ARGS:
            df = call.get(key)
            if isinstance(df, pd.DataFrame):
                if len(df) == 0:  # Spark cannot infer a schema from no rows: use the valid one's
                    schema = scale.to_spark(self.call()[key], spark).select(*df.columns).schema
                    call[key] = spark.createDataFrame([], schema)
                else:
                    call[key] = scale.to_spark(df, spark)
        return self.func(**call)


@pytest.fixture(scope="module", autouse=True)
def spark(request):
    session = scale.spark_session(cores=2)
    request.config.add_cleanup(session.stop)
    return session


ORDERS = Table(ids=["customer_id", "order_id"], numeric=["revenue"], dates=["order_date"])
ORDERS_FULL = Table(ids=["customer_id", "order_id", "product_id"],
                    numeric=["revenue", "quantity", "discount"], dates=["order_date"])
TOO_EARLY = ["2023-06-01"]  # before tiny_orders' first order (2024-01-01 onwards)

_FEATURE_COLS = ["recency_days", "frequency", "monetary"]


def _features_table():
    return features.customer_features(tiny_orders(), "2024-05-01").reset_index()


def _model():
    from sklearn.linear_model import LogisticRegression

    X = _features_table()
    y = (X["frequency"] > 1).astype(int)
    return LogisticRegression().fit(X[_FEATURE_COLS], y)


def _unfitted(kw):
    from sklearn.linear_model import LogisticRegression

    return {**kw, "model": LogisticRegression()}


SPECS = [] if not HAVE_SPARK else [
    Spec(scale.spark_status, lambda: {}),
    Spec(scale.require_spark, lambda: {}),
    Spec(scale.spark_session, lambda: dict(cores=2, memory="2g", ui=False),
         {"cores": Size(low=1), "ui": Flag(), "shuffle_partitions": Size(low=1),
          "fast_start": Flag()},
         extra=[("text:memory", lambda kw: {**kw, "memory": "lots"}, ValueError),
                ("number:memory", lambda kw: {**kw, "memory": 2}, TypeError)]),
    SparkSpec(scale.rfm_table, lambda: dict(orders=tiny_orders(), snapshot_date="2024-05-01"),
              {"orders": ORDERS, "snapshot_date": Date(outside=TOO_EARLY)},
              extra=[("number:customer_col", lambda kw: {**kw, "customer_col": 1}, TypeError)]),
    SparkSpec(scale.customer_features, lambda: dict(orders=tiny_orders(), cutoff="2024-05-01"),
              {"orders": ORDERS_FULL, "cutoff": Date(outside=TOO_EARLY),
               "recent_days": Size(low=1)}),
    SparkSpec(scale.churn_labels,
              lambda: dict(orders=tiny_orders(), cutoff="2024-02-01", horizon_days=30),
              {"orders": Table(ids=["customer_id"], dates=["order_date"]),
               # the window (2024-06-01, +30 days] would end after the data's last day
               "cutoff": Date(outside=[*TOO_EARLY, "2024-06-01"]),
               "horizon_days": Size(low=1)},
              extra=[("long:horizon_days", lambda kw: {**kw, "horizon_days": 1000}, ValueError),
                     ("baddate:data_end", lambda kw: {**kw, "data_end": "nope"}, ValueError)]),
    SparkSpec(scale.score,
              lambda: dict(table=_features_table(), model=_model(), feature_cols=_FEATURE_COLS),
              {"table": Table(ids=["customer_id"], numeric=_FEATURE_COLS, nan_ok=_FEATURE_COLS),
               "method": Option()},
              extra=[("notfitted:model", _unfitted, ValueError),
                     ("notmodel:model", lambda kw: {**kw, "model": "a model"}, TypeError),
                     ("missing:feature_cols", lambda kw: {**kw, "feature_cols": ["nope"]}, ValueError),
                     ("text:feature_cols", lambda kw: {**kw, "feature_cols": "recency_days"}, TypeError),
                     ("same:output_col", lambda kw: {**kw, "output_col": "customer_id"}, ValueError)]),
    Spec(scale.to_spark, lambda: dict(frame=tiny_orders()), {"frame": Table()},
         extra=[("number:spark", lambda kw: {**kw, "spark": 3}, TypeError),
                ("numbercols:frame", lambda kw: {**kw, "frame": kw["frame"].set_axis(
                    range(kw["frame"].shape[1]), axis=1)}, TypeError),
                ("dupcols:frame", lambda kw: {**kw, "frame": kw["frame"].set_axis(
                    ["a"] * kw["frame"].shape[1], axis=1)}, ValueError)]),
    SparkSpec(scale.to_pandas, lambda: dict(table=_features_table()),
              {"table": Table(ids=["customer_id"])},
              accept={"empty:table": "an empty result collects to an empty table, as in pandas"},
              extra=[("number:index", lambda kw: {**kw, "index": 3}, TypeError)]),
]
test_bad_input, test_valid_call = make_tests(SPECS)
