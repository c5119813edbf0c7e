"""Lesson 15 (scaling out on Spark) exercises.

The answers are computed with Spark in the notebook; the reference answers are computed
with plain pandas on the same orders, independent of :mod:`mkt_lessons.scale`.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from mkt_lessons import constants as K
from mkt_lessons import data
from mkt_lessons.exercises import ThoughtProblem, ValueProblem, collect, solutions_printer

CUTOFF = K.TRAIN_CUTOFF


def namespace() -> dict:
    """The variables the lesson-15 notebook has when its exercises start (starts Spark)."""
    from pyspark.sql import functions as F

    from mkt_lessons import scale

    spark = scale.spark_session()
    orders_sdf = scale.to_spark(data.load_orders(), spark)
    feats = scale.customer_features(orders_sdf, CUTOFF)
    return {"spark": spark, "orders_sdf": orders_sdf, "feats_sdf": feats, "scale": scale,
            "F": F, "CUTOFF": CUTOFF, "pd": pd}


@lru_cache(maxsize=1)
def _orders() -> pd.DataFrame:
    return data.load_orders()


def _repeat_customers(whole_history: bool = False) -> int:
    o = _orders()
    if not whole_history:
        o = o[o["order_date"] <= CUTOFF]
    return int((o.groupby("customer_id")["order_id"].nunique() >= 2).sum())


def _monthly_revenue(by_month_number: bool = False) -> pd.Series:
    o = _orders()
    key = o["order_date"].dt.month if by_month_number else o["order_date"].dt.to_period("M").astype(str)
    out = o.groupby(key)["revenue"].sum().round(2)
    out.index = out.index.astype(str)
    return out.rename("revenue").rename_axis("month").sort_index()


q1 = ValueProblem(
    "repeat_customers", _repeat_customers, rtol=0, atol=0,
    mistakes=[(lambda: _repeat_customers(whole_history=True),
               "You counted orders over the whole table: use the features as of `CUTOFF` "
               "(`feats_sdf`), whose `frequency` counts only orders up to the cut-off.")],
    hint="Which column of `feats_sdf` counts a customer's orders up to the cut-off? A Spark "
         "DataFrame keeps the rows you ask for with `.where(...)` (a column expression built "
         "with `F.col`), and an *action* turns the plan into a number.",
    solution="repeat_customers = feats_sdf.where(F.col('frequency') >= 2).count()",
    success="`.count()` is an action: only now did Spark read, filter, shuffle and aggregate.",
)

q2 = ValueProblem(
    "monthly_revenue", _monthly_revenue, rtol=0, atol=0.005,
    mistakes=[(lambda: _monthly_revenue(by_month_number=True),
               "You grouped by the month number (1-12), which adds up January 2023 and January "
               "2024: group by year and month, e.g. `F.date_format('order_date', 'yyyy-MM')`.")],
    hint="A month is a year *and* a month. `F.date_format` writes a date as text in a pattern "
         "you choose (its pattern letters are Java's date-format letters); group "
         "`orders_sdf` by that, add up the revenue, and bring the small result back to pandas. "
         "The checker wants a Series indexed by month in order, in dollars to the cent.",
    solution='''
        monthly = (orders_sdf.groupBy(F.date_format("order_date", "yyyy-MM").alias("month"))
                   .agg(F.sum("revenue").alias("revenue")).toPandas())
        monthly_revenue = monthly.set_index("month")["revenue"].sort_index().round(2)
    ''',
    success="A small result (24 rows) is the right thing to bring back to pandas and plot.",
)

q3 = ThoughtProblem(
    "q3_answer",
    explanation="`customer_features` groups by customer, so every line of a customer must "
                "meet in one partition: Spark shuffles (the `Exchange hashpartitioning"
                "(customer_id, ...)` lines of `explain()`). Before each shuffle every "
                "partition aggregates what it has (`HashAggregate` with `partial_` functions), "
                "so only one row per key and partition crosses the network, not every order "
                "line. The features need several shuffles: per (customer, order) for the "
                "order-level sums, per customer, and per (customer, product) for the distinct "
                "products. The date filter runs before all of them (pushed into the Parquet "
                "scan as `PushedFilters`), which makes everything after it smaller.",
)

q4 = ThoughtProblem(
    "q4_answer",
    explanation="Keep pandas when the data fits comfortably in one machine's memory (a few "
                "GB of order lines is tens of millions of rows): one process has no JVM to "
                "start, no serialisation between Python and Java, no shuffle over a network, "
                "and is easier to debug. On this course's 2-core machine pandas was faster at "
                "every size the benchmark ran, up to 30 million lines (`make bench`), but "
                "needed about 20 times the Parquet size in memory at its peak (30 million "
                "lines: 0.4 GB on disk, about 8 GB in memory). So ask how much memory the "
                "laptop has and how fast the data grows; 40 million lines want a machine "
                "with 16 GB or more, or reading only the needed columns. Move to Spark when the data "
                "does not fit, when it already lives in a data lake that Spark reads where it "
                "lies, or when the team's pipelines and schedules run there - and then use a "
                "cluster, whose many machines are what make Spark fast.",
)

PROBLEMS = collect(globals())

show_all_solutions = solutions_printer(PROBLEMS)
