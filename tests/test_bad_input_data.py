"""Bad input to mkt_lessons.data (the loaders); machinery in badinput.py.

The loaders take one argument, ``verify``; the v2 loaders (retention test, reviews) read a
small version-2 data folder generated once for this file (the bundled data are version 1).
"""

from __future__ import annotations

import functools
import os
import tempfile

from badinput import Flag, Spec, make_tests

from mkt_lessons import data, synth

_V2: dict[str, tempfile.TemporaryDirectory] = {}


def _v2_folder() -> str:
    if "dir" not in _V2:
        _V2["dir"] = tempfile.TemporaryDirectory(prefix="mkt_v2_")
        synth.write(synth.generate(seed=2, n_customers=200, version=2), _V2["dir"].name)
    return _V2["dir"].name


def _on_v2(func):
    """Run a loader against the version-2 folder (restoring the environment afterwards)."""
    @functools.wraps(func)
    def run(**kwargs):
        old = os.environ.get(data.ENV_VAR)
        os.environ[data.ENV_VAR] = _v2_folder()
        try:
            return func(**kwargs)
        finally:
            if old is None:
                os.environ.pop(data.ENV_VAR, None)
            else:
                os.environ[data.ENV_VAR] = old
    return run


def _loader(func, v2=False):
    return Spec(_on_v2(func) if v2 else func, lambda: dict(verify=True), {"verify": Flag()},
                name=f"data.{func.__name__}")


SPECS = [
    *[_loader(getattr(data, f"load_{t}")) for t in
      ["customers", "products", "orders", "raw_orders", "marketing_spend", "promotions", "ab_test", "truth"]],
    _loader(data.load_retention_test, v2=True),
    _loader(data.load_reviews, v2=True),
    Spec(data.data_dir, lambda: {}, name="data.data_dir"),
    Spec(data.verify_all, lambda: {}, name="data.verify_all"),
]
test_bad_input, test_valid_call = make_tests(SPECS)
