"""Notebook hygiene: valid nbformat v4, committed without outputs, the lesson structure.

Execution itself is nbval's job (pytest collects notebooks/*.ipynb with --nbval-lax).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb"))
REQUIRED_SECTIONS = ["learning objectives", "prerequisites", "## exercises", "## key points",
                     "## further reading"]


def test_notebooks_exist_and_are_numbered_uniquely():
    assert NOTEBOOKS, "no notebooks found"
    numbers = [p.name[:2] for p in NOTEBOOKS]
    assert all(re.fullmatch(r"\d\d", n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert NOTEBOOKS[0].name == "00_tour.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_valid_and_stripped(path):
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert nb.nbformat == 4
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a code cell has outputs; strip them"
            assert cell.execution_count is None, f"{path.name}: execution counts present"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_lesson_structure(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    for section in REQUIRED_SECTIONS:
        assert section in text, f"{path.name} lacks '{section}'"
    assert re.search(r"teaching[^\n]*?\d+\s*min", text), f"{path.name} states no teaching minutes"
    assert re.search(r"exercises[^\n]*?\d+\s*min", text), f"{path.name} states no exercise minutes"
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert "setup_notebook()" in first_code.source, f"{path.name}: first code cell must call setup_notebook()"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_network_or_hidden_downloads(path):
    src = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    for bad in ("load_dataset(", "urlopen", "requests.", "http://", "https://", "pip install"):
        assert bad not in src, f"{path.name} uses {bad!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_cells_are_short(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        n = len([line for line in cell.source.splitlines() if line.strip()])
        assert n <= 20, f"{path.name} code cell {i} has {n} lines: move logic into the package"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_money_is_not_typeset_as_maths(path):
    """JupyterLab and the book read `$...$` as a formula: "$1,300 ... $2" becomes maths.
    Money in prose is written `\\$1,300`; a "formula" that is only a number is money."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"`[^`]*`", "", cell.source)          # code spans are not rendered as maths
        # "$10^{-6}$" is a formula; "$1,300," or "$60,000 customer" is money
        bad = [m.group(0) for m in re.finditer(r"(?<![\\$])\$\d[\d,]*(?:\.\d+)?(?=[\s,.;:)!?%]|$)", text)]
        assert not bad, f"{path.name} markdown cell {i}: write {bad[0]!r} as '\\{bad[0]}'"
