"""One house style for every figure, and small helpers the lessons repeat.

Every figure has a title, labelled axes with units, and one message: :func:`label` makes
the first two a single call. Helpers take the ``ax`` to draw on and return it, so a cell
creates its own axes (``fig, ax = new_axes()``) and never draws into a figure left over
from an earlier cell: notebooks then run the same under Jupyter, as scripts and under
any matplotlib backend (``MPLBACKEND=Agg``).

Examples
--------
>>> fig, ax = new_axes()
>>> _ = ax.plot([0, 1, 2], [0.10, 0.25, 0.20])
>>> label(percent(ax), "Conversion by week", "week", "visitors who bought") is ax
True
>>> ax.get_title(), ax.yaxis.get_major_formatter()(0.25, 0)
('Conversion by week', '25%')
>>> plt.close(fig)
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from mkt_lessons._validation import check_int, check_option, check_str, describe

__all__ = ["PALETTE", "use_house_style", "label", "dollars", "percent", "new_axes"]

PALETTE = ["#2a6f97", "#e07a5f", "#81b29a", "#f2cc8f", "#6d597a", "#3d405b", "#b56576", "#99a1a6"]


def _check_ax(ax) -> Axes:
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be matplotlib Axes (e.g. from `fig, ax = new_axes()`), "
                        f"got {describe(ax)}")
    return ax


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
    """Set title and axis labels (with units, please) in one call; return ``ax``.

    Parameters
    ----------
    ax : matplotlib Axes
    title : str
        The figure's one message, e.g. "Revenue peaks on Black Friday".
    xlabel, ylabel : str
        What each axis shows and its unit, e.g. "revenue (USD per day)". May be empty
        (a bar chart of categories needs no x label).
    """
    _check_ax(ax)
    title = check_str(title, "title")
    xlabel = check_str(xlabel, "xlabel", allow_empty=True)
    ylabel = check_str(ylabel, "ylabel", allow_empty=True)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def dollars(ax, axis: str = "y"):
    """Format an axis as US dollars with thousands separators; return ``ax``.

    Examples
    --------
    >>> fig, ax = new_axes()
    >>> dollars(ax).yaxis.get_major_formatter()(12500, 0)
    '$12,500'
    >>> plt.close(fig)
    """
    _check_ax(ax)
    axis = check_option(axis, "axis", ["x", "y"])
    fmt = FuncFormatter(lambda v, _: f"${v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
    return ax


def percent(ax, axis: str = "y", decimals: int = 0):
    """Format an axis holding fractions (0.25) as percentages (25%); return ``ax``.

    ``decimals`` (0..6) is the number of decimals shown.
    """
    _check_ax(ax)
    axis = check_option(axis, "axis", ["x", "y"])
    decimals = check_int(decimals, "decimals", low=0, high=6)
    fmt = FuncFormatter(lambda v, _: f"{v:.{decimals}%}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
    return ax


def new_axes(nrows: int = 1, ncols: int = 1, **kw):
    """``plt.subplots`` with the course defaults and a tight layout: ``fig, ax`` (or an array of axes).

    Keyword arguments (``figsize=(9, 4)``, ``sharey=True`` ...) go to ``plt.subplots``.
    """
    nrows = check_int(nrows, "nrows", low=1, high=20)
    ncols = check_int(ncols, "ncols", low=1, high=20)
    if "layout" in kw:
        raise TypeError("new_axes sets layout='constrained' itself; do not pass layout=")
    fig, ax = plt.subplots(nrows, ncols, layout="constrained", **kw)
    return fig, ax
