"""Every figure is drawn into axes its cell creates (DESIGN §7, issue 13).

Under Jupyter's inline backend each cell starts a fresh figure, so ``df.plot()`` without
``ax=`` looks fine there; as a script or under ``MPLBACKEND=Agg`` it draws into whatever
figure an earlier cell left open (00_tour cell 8 failed that way: pandas put dates on a
seaborn box plot's axis). ``make test`` runs the notebooks under Agg, which catches the
crashes; this static check also catches the silent cases (a plot drawn over another).

Checked: pandas ``.plot(...)`` / ``.plot.<kind>(...)`` and seaborn ``sns.*plot(...)`` need
``ax=``; pyplot's state API (``plt.plot``, ``plt.title`` ...) is not used at all.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
CHECKED = sorted(p.stem for p in NB_DIR.glob("[0-9][0-9]_*.ipynb"))  # every lesson
AXES_NAME = re.compile(r"^(ax\d*|axes|ax_\w+|\w+_ax)$")
SEABORN = {"boxplot", "barplot", "histplot", "lineplot", "scatterplot", "heatmap", "kdeplot",
           "violinplot", "countplot", "pointplot", "stripplot", "regplot", "ecdfplot"}
PYPLOT_DRAW = {"plot", "bar", "barh", "hist", "scatter", "fill_between", "imshow", "axhline",
               "axvline", "title", "xlabel", "ylabel", "legend", "text", "errorbar", "step"}


def _is_axes(node: ast.AST) -> bool:
    if isinstance(node, ast.Subscript):
        node = node.value
    return isinstance(node, ast.Name) and bool(AXES_NAME.match(node.id))


def figure_problems(source: str) -> list[str]:
    """Calls in ``source`` that draw without naming the axes they draw into."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    out = []
    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        f, keywords = node.func, {k.arg for k in node.keywords}
        pyplot = isinstance(f.value, ast.Name) and f.value.id == "plt"
        pandas_plot = f.attr == "plot" and not _is_axes(f.value) and not pyplot
        pandas_kind = isinstance(f.value, ast.Attribute) and f.value.attr == "plot"
        seaborn = isinstance(f.value, ast.Name) and f.value.id == "sns" and f.attr in SEABORN
        if (pandas_plot or pandas_kind or seaborn) and "ax" not in keywords:
            out.append(f"{ast.unparse(f)}(...) without ax=")
        if pyplot and f.attr in PYPLOT_DRAW:
            out.append(f"{ast.unparse(f)}(...) draws on pyplot's current axes")
    return out


@pytest.mark.parametrize("source, n_problems", [
    ('daily.plot(alpha=0.35, figsize=(9, 4))', 1),                      # 00_tour cell 8, v1
    ('rates["mean"].plot.bar(yerr=ci, rot=0)', 1),
    ('sns.boxplot(data=products, x="category", y="price")', 1),
    ('plt.plot(x, y)\nplt.title("t")', 2),
    ('fig, ax = new_axes()\ndaily.plot(ax=ax)\nax.plot(x, y)\naxes[0].plot(x)', 0),
    ('sns.boxplot(data=products, x="category", y="price", ax=ax)', 0),
])
def test_the_check_finds_what_it_should(source, n_problems):
    assert len(figure_problems(source)) == n_problems


@pytest.mark.parametrize("name", CHECKED)
def test_plot_cells_draw_into_their_own_axes(name):
    nb = nbformat.read(NB_DIR / f"{name}.ipynb", as_version=4)
    found = [f"code cell {i}: {p}" for i, c in enumerate(c for c in nb.cells if c.cell_type == "code")
             for p in figure_problems(c.source)]
    assert not found, f"{name}: " + "; ".join(found)
