"""Project-wide collection rule (this file sits at the root so it covers notebooks/ and
mkt_lessons/ too; the shared fixtures live in tests/conftest.py)."""

from __future__ import annotations

import importlib.util


def pytest_ignore_collect(collection_path, config):
    """Lesson 15 needs a Spark runtime (the [spark] extra, about 410 MB): it runs in
    `make test-spark`, which CI runs; `make test` leaves it out rather than fail on purpose."""
    spark_only = {"15_scaling_out.ipynb", "scale.py"}  # the notebook and scale's doctests
    if collection_path.name in spark_only and collection_path.parent.name in ("notebooks", "mkt_lessons") \
            and importlib.util.find_spec("pyspark") is None:
        return True
    return None
