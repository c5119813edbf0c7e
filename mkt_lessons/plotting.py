"""One house style for every figure, and small helpers the lessons repeat.

Every figure has a title, labelled axes with units, and one message: :func:`label` makes
the first two a single call.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

PALETTE = ["#2a6f97", "#e07a5f", "#81b29a", "#f2cc8f", "#6d597a", "#3d405b", "#b56576", "#99a1a6"]


def use_house_style() -> None:
    """Apply the course style: clean grid, readable sizes, a colour-blind-safe-ish palette."""
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", palette=PALETTE)
    mpl.rcParams.update({
        "figure.figsize": (8, 4),
        "figure.dpi": 100,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
    })


def label(ax, title: str, xlabel: str, ylabel: str):
    """Set title and axis labels (with units, please) in one call; return ``ax``."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def dollars(ax, axis: str = "y"):
    """Format an axis as US dollars with thousands separators; return ``ax``."""
    fmt = FuncFormatter(lambda v, _: f"${v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
    return ax


def percent(ax, axis: str = "y", decimals: int = 0):
    """Format an axis holding fractions (0.25) as percentages (25%); return ``ax``."""
    fmt = FuncFormatter(lambda v, _: f"{v:.{decimals}%}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
    return ax


def new_axes(nrows: int = 1, ncols: int = 1, **kw):
    """``plt.subplots`` with the course defaults and a tight layout."""
    fig, ax = plt.subplots(nrows, ncols, layout="constrained", **kw)
    return fig, ax
