"""Build the offline HTML book: ``make book`` -> ``book/_build/html``.

Stages a jupyter-book source folder in ``book/_build/src`` — the configuration in
``book/``, every lesson in ``notebooks/`` (executed during the build, so the book shows
results and figures), the trainer guides in ``trainers/`` and the data card
``datasets/README.md`` — writes the table of contents from what is there (a new lesson
appears without editing anything), copies MathJax from the ``jupyter-server-mathjax`` wheel
so formulas are typeset with no network, and runs ``jupyter-book build``.

Usage: ``python tools/build_book.py`` (inside the environment that has the ``[book]`` extra).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
BUILD = BOOK / "_build"
SRC = BUILD / "src"


def _title(md: Path) -> str:
    for line in md.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return md.stem


def stage() -> Path:
    if SRC.exists():
        shutil.rmtree(SRC)
    SRC.mkdir(parents=True)
    for name in ("_config.yml", "intro.md"):
        shutil.copy2(BOOK / name, SRC / name)
    shutil.copytree(BOOK / "_ext", SRC / "_ext")
    lessons = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    (SRC / "notebooks").mkdir()
    for nb in lessons:
        shutil.copy2(nb, SRC / "notebooks" / nb.name)
    guides = sorted((ROOT / "trainers").glob("*.md")) if (ROOT / "trainers").is_dir() else []
    if guides:
        shutil.copytree(ROOT / "trainers", SRC / "trainers")
    shutil.copy2(ROOT / "datasets" / "README.md", SRC / "data_card.md")
    if importlib.util.find_spec("pyspark") is None:
        # The Spark appendix needs the [spark] extra (about 410 MB); without it the book shows
        # lesson 15's code and prose without outputs rather than failing.
        cfg = SRC / "_config.yml"
        cfg.write_text(cfg.read_text(encoding="utf-8").replace(
            "  execute_notebooks: force\n",
            "  execute_notebooks: force\n  exclude_patterns: [\"*15_scaling_out*\"]\n"), encoding="utf-8")
        print("book: no pyspark here - lesson 15 is shown without outputs")

    import jupyter_server_mathjax  # the [book] extra; MathJax 2.7 as static files

    mathjax = Path(jupyter_server_mathjax.__file__).parent / "static"
    shutil.copytree(mathjax, SRC / "_mathjax" / "mathjax")

    toc = ["format: jb-book", "root: intro", "parts:", "- caption: Lessons", "  chapters:"]
    toc += [f"  - file: notebooks/{nb.stem}" for nb in lessons]
    if guides:
        toc += ["- caption: Trainer guides", "  chapters:"]
        toc += [f"  - file: trainers/{g.stem}" for g in guides]
    toc += ["- caption: Data", "  chapters:", "  - file: data_card"]
    (SRC / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")
    return SRC


def build() -> int:
    src = stage()
    env = dict(os.environ, PYTHONHASHSEED="0", MKT_LESSONS_OFFLINE="1")
    env.pop("MPLBACKEND", None)  # the kernel's inline backend is what puts figures in the book
    # The notebooks find the bundled data through the installed package; run them from a
    # scratch copy so what they write (the capstone's campaign list) stays in the build.
    out = BUILD / "jb"
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    jb = Path(sys.executable).parent / "jupyter-book"   # the [book] extra's console script
    cmd = [str(jb), "build", str(src), "--path-output", str(out), "--warningiserror", "--keep-going"]
    code = subprocess.run(cmd, env=env, cwd=src).returncode
    html = BUILD / "html"
    if html.exists():
        shutil.rmtree(html)
    if (out / "_build" / "html").is_dir():
        shutil.move(str(out / "_build" / "html"), str(html))
    seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in html.rglob("*") if p.is_file()) / 1e6 if html.exists() else 0
    print(f"book: {html} ({size:.0f} MB) built in {seconds:.0f} s; exit code {code}")
    return code


if __name__ == "__main__":
    raise SystemExit(build())
