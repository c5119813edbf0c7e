"""mkt_lessons: the tested companion package of the mkt-lessons curriculum.

Importing the package is cheap: submodules (and pandas, scikit-learn ...) load only when
used, e.g. ``from mkt_lessons import data`` or ``from mkt_lessons import setup_notebook``.
"""

from __future__ import annotations

import importlib
import importlib.util

__version__ = "0.1.0"



def __getattr__(name: str):
    if name == "setup_notebook":
        from mkt_lessons._setup import setup_notebook

        return setup_notebook
    if not name.startswith("_") and importlib.util.find_spec(f"mkt_lessons.{name}") is not None:
        return importlib.import_module(f"mkt_lessons.{name}")
    raise AttributeError(f"module 'mkt_lessons' has no attribute {name!r}")


__all__ = ["__version__", "setup_notebook"]
