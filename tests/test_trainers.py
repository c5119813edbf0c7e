"""Trainer guides (DESIGN §8, issue 21): one per lesson, with the sections a trainer needs.

A guide is `trainers/<notebook stem>.md` (e.g. `trainers/03_regression_derived.md`). It has
these level-2 sections, found by a keyword in their heading (case-insensitive):

- **Timing** — a Markdown table, one row per section or exercise block, with a minutes
  column (its header says "min"; cells like "12", "12 min", "12 (optional)"). A row whose
  text says "optional" is off the core path; the other rows are the core path, which must
  total at most 90 minutes, equal a "Core path" total row if there is one, and equal the
  "core path N min" the notebook states if it states one.
- **Live-code** — what to type in front of the room.
- **Mistakes** — the likely learner mistakes, each citing the exercise problem whose checker
  catches it, written `lNN.qK`; every cited problem must exist.
- **Short of time** — what to skip.
- **Discussion** — answers to the discussion questions.

Guides that other people are still writing are listed in PENDING; a test makes sure the
list cannot hide a guide that already exists.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from mkt_lessons.exercises import Problem

ROOT = Path(__file__).resolve().parents[1]
NB_DIR, GUIDE_DIR = ROOT / "notebooks", ROOT / "trainers"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))

# Lessons whose guides are being written by others this session (issue 21). Remove a number
# when its guide lands: test_pending_lessons_really_lack_a_guide fails until you do.
PENDING: set[str] = set()

REQUIRED = {  # section -> keywords, any of which may name its heading
    "timing": ("timing",),
    "live-code": ("live-code", "live code", "live-coding"),
    "mistakes": ("mistake",),
    "short of time": ("short of time", "skip"),
    "discussion": ("discussion",),
}
CORE_LIMIT = 90
PROBLEM_REF = re.compile(r"\bl(\d\d)\.(q\d+)\b")


def _guides_for(number: str) -> list[Path]:
    return sorted(GUIDE_DIR.glob(f"{number}_*.md"))


GUIDED = [nb for nb in NOTEBOOKS if _guides_for(nb.name[:2])]


def _sections(text: str) -> dict[str, str]:
    """Level-2 headings (lower case) -> their body."""
    parts = re.split(r"^## +(.+?)\s*$", text, flags=re.MULTILINE)
    return {parts[i].strip().lower(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _section(text: str, key: str) -> str:
    hits = [body for head, body in _sections(text).items()
            if any(word in head for word in REQUIRED[key])]
    assert len(hits) == 1, f"expected one '## ...' section for {key!r}, found {len(hits)}"
    return hits[0]


MINUTES = re.compile(r"\**\s*(\d+)\s*(?:min(?:utes)?)?\s*\**\s*(?:\(optional[^)]*\))?", re.IGNORECASE)
TOTAL_ROW = re.compile(r"^\W*(core path|total)\b", re.IGNORECASE)


def timing_table(text: str) -> tuple[list[tuple[str, int, bool]], int | None]:
    """The Timing table: ([(row text, minutes, on the core path)], stated core total or None).

    The minutes column is the one whose header says "min"; its cells hold a whole number
    ("12", "12 min", "**12**", "12 (optional)"). A row whose first cell starts with "Core
    path" or "Total" states the total instead of adding to it.
    """
    lines = [ln for ln in _section(text, "timing").splitlines() if ln.lstrip().startswith("|")]
    table = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines]
    assert table, "the timing section has no table"
    col = next((i for i, c in enumerate(table[0]) if "min" in c.lower()), None)
    assert col is not None, f"the timing table's header names no minutes column: {lines[0]!r}"
    rows, stated = [], None
    for line, cells in zip(lines[1:], table[1:], strict=True):
        if all(set(c) <= set("-: ") for c in cells):
            continue  # the |---| rule
        m = MINUTES.fullmatch(cells[col]) if col < len(cells) else None
        assert m, f"a timing row without whole minutes in column {col}: {line!r}"
        if TOTAL_ROW.match(cells[0]):
            stated = int(m.group(1))
        else:
            rows.append((line, int(m.group(1)), "optional" not in line.lower()))
    return rows, stated


def timing_rows(text: str) -> list[tuple[str, int, bool]]:
    return timing_table(text)[0]


def _guide(nb: Path) -> str:
    (path,) = _guides_for(nb.name[:2])
    return path.read_text(encoding="utf-8")


def test_every_lesson_has_a_guide_unless_pending():
    missing = [nb.name for nb in NOTEBOOKS
               if nb.name[:2] not in PENDING and not _guides_for(nb.name[:2])]
    assert not missing, f"lessons without a trainer guide: {missing}"


def test_pending_lessons_really_lack_a_guide():
    finished = sorted(n for n in PENDING if _guides_for(n))
    assert not finished, f"remove {finished} from PENDING: their guides exist"


def test_the_timing_parser_on_a_small_table():
    text = ("# t\n\n## Timing\n\n| § | section | minutes | path |\n|---|---|---|---|\n"
            "| 1 | intro | 5 | core |\n| 2 | deep | 12 min | optional deep dive |\n"
            "| Ex 1 | `l03.q1` | 6 | core |\n\n## Next\n\n| a | 99 |\n")
    assert [(m, core) for _, m, core in timing_rows(text)] == [(5, True), (12, False), (6, True)]


def test_the_timing_parser_on_a_table_with_a_total_row():
    text = ("# t\n\n## Timing\n\n| Section | Minutes | What happens |\n|---|---|---|\n"
            "| 1. Design | 9 | plan |\n| Exercise 1 (`l07.q1`) | 5 | sizes |\n"
            "| 3 · optional deep dive: Wald | 5 (optional) | example |\n"
            "| **Core path** | **14** | teaching 9 + exercises 5 |\n| Optional deep dives | 5 | |\n")
    rows, stated = timing_table(text)
    assert [(m, core) for _, m, core in rows] == [(9, True), (5, True), (5, False), (5, False)]
    assert stated == 14


def test_the_section_finder_refuses_a_missing_or_doubled_section():
    with pytest.raises(AssertionError):
        _section("# t\n\n## Timing\nx\n", "discussion")
    with pytest.raises(AssertionError):
        _section("# t\n\n## Timing\nx\n## Timing again\ny\n", "timing")


@pytest.mark.parametrize("nb", GUIDED, ids=lambda p: p.name)
def test_one_guide_named_after_its_notebook(nb):
    assert [p.name for p in _guides_for(nb.name[:2])] == [nb.stem + ".md"]


@pytest.mark.parametrize("nb", GUIDED, ids=lambda p: p.name)
def test_guide_has_the_required_sections(nb):
    text = _guide(nb)
    assert text.startswith("# "), "a guide starts with a title"
    for key in REQUIRED:
        assert _section(text, key).strip(), f"{nb.stem}.md: section {key!r} is empty"


@pytest.mark.parametrize("nb", GUIDED, ids=lambda p: p.name)
def test_core_path_fits_90_minutes_and_matches_the_notebook(nb):
    rows, total_row = timing_table(_guide(nb))
    core = sum(m for _, m, on_core in rows if on_core)
    assert len(rows) >= 3, f"{nb.stem}.md: the timing table needs a row per section"
    assert 0 < core <= CORE_LIMIT, f"{nb.stem}.md: core path {core} min"
    if total_row is not None:
        assert core == total_row, f"{nb.stem}.md: its rows add up to {core} min, its total row says {total_row}"
    stated = re.search(r"core path (\d+) min", nb.read_text(encoding="utf-8"), re.IGNORECASE)
    if stated:
        assert core == int(stated.group(1)), (
            f"{nb.stem}.md: its timing rows give a {core}-min core path, the notebook says "
            f"{stated.group(1)}")


@pytest.mark.parametrize("nb", GUIDED, ids=lambda p: p.name)
def test_cited_mistakes_refer_to_existing_exercise_problems(nb):
    text = _guide(nb)
    own = [ref for ref in PROBLEM_REF.findall(_section(text, "mistakes")) if ref[0] == nb.name[:2]]
    assert own, f"{nb.stem}.md: its mistakes section cites no l{nb.name[:2]}.qK problem"
    for lesson, q in PROBLEM_REF.findall(text):
        module = importlib.import_module(f"mkt_lessons.exercises.l{lesson}")
        assert isinstance(getattr(module, q, None), Problem), (
            f"{nb.stem}.md cites l{lesson}.{q}: there is no such exercise problem")
