"""Input checks shared by the lesson modules: one wording for the same mistake everywhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd


def check_int(value: Any, name: str, minimum: int) -> int:
    """``value`` as an int if it is a whole number >= ``minimum`` (bool is refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def check_frame(df: Any, name: str, columns: Sequence[str], *, keywords: str = "",
                allow_empty: bool = True) -> None:
    """``df`` must be a DataFrame with ``columns`` (and rows, unless ``allow_empty``).

    ``keywords`` names the arguments that rename columns, for the error message
    (e.g. ``"user_col=/item_col=/date_col="``).
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        how = f"with {keywords}" if keywords else "as keyword arguments"
        raise ValueError(f"{name} lacks the column(s) {missing}; it has {list(df.columns)}. "
                         f"Pass the right column names {how} if yours are called differently.")
    if not allow_empty and len(df) == 0:
        raise ValueError(f"{name} is empty: there is nothing to learn from or evaluate")
