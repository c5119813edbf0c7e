"""The first cell of every notebook: ``from mkt_lessons import setup_notebook; setup_notebook()``."""

from __future__ import annotations

import os
import platform
import re
import sys
import warnings
from importlib import metadata

OUR_MODULES = r"(__main__|mkt_lessons(\..*)?)"


def _vtuple(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def _declared_minimums() -> dict[str, str]:
    """The lowest versions the installed package declares (pyproject.toml -> its metadata).

    One source of truth: the floors ``make test-min`` tests are the ones checked here.
    Extras (``[dev]`` ...) are left out: a learner's kernel does not need pytest.
    """
    try:
        reqs = metadata.requires("mkt-lessons") or []
    except metadata.PackageNotFoundError:  # running from a source tree without installing
        return {}
    out = {}
    for req in reqs:
        if "extra ==" in req:
            continue
        m = re.match(r"\s*([A-Za-z0-9_.\-]+)[^;]*?>=\s*([0-9][^,;\s]*)", req)
        if m:
            out[m.group(1)] = m.group(2)
    return out


#: The oldest versions the lessons are tested with (``make test-min``), from the metadata.
MIN_VERSIONS = _declared_minimums()


def check_environment() -> list[str]:
    """Return one message per required package that is missing or too old (empty if fine)."""
    problems = []
    if sys.version_info < (3, 11):  # noqa: UP036 - a kernel from another env may be older
        problems.append(f"Python {platform.python_version()} is older than the 3.11 the lessons need.")
    for pkg, minimum in MIN_VERSIONS.items():
        try:
            have = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            problems.append(f"{pkg} is not installed (need >= {minimum}).")
            continue
        if _vtuple(have) < _vtuple(minimum):
            problems.append(f"{pkg} {have} is older than the {minimum} the lessons need.")
    return problems


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def setup_notebook(*, strict: bool | None = None, offline: bool | None = None,
                   quiet: bool = False) -> None:
    """Prepare a lesson notebook: house plot style, pandas display, environment check.

    Parameters
    ----------
    strict : bool, optional
        Turn FutureWarning/DeprecationWarning raised by the notebook or by mkt_lessons into
        errors. Default: on when the environment variable ``MKT_LESSONS_STRICT`` is set (as
        ``make test`` does), off for learners.
    offline : bool, optional
        Refuse network connections (``MKT_LESSONS_OFFLINE``, set by ``make test``).
    quiet : bool
        Print nothing unless something is wrong.
    """
    import pandas as pd

    from mkt_lessons import __version__
    from mkt_lessons.plotting import use_house_style

    strict = _env_flag("MKT_LESSONS_STRICT") if strict is None else strict
    offline = _env_flag("MKT_LESSONS_OFFLINE") if offline is None else offline
    if strict:
        for cat in (FutureWarning, DeprecationWarning, PendingDeprecationWarning):
            warnings.filterwarnings("error", category=cat, module=OUR_MODULES)
    if offline:
        from mkt_lessons._offline import block_network

        block_network()
    use_house_style()
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.max_rows", 20)
    pd.set_option("display.width", 120)
    pd.set_option("display.precision", 3)

    problems = check_environment()
    data_msg = _data_status()
    if problems:
        print("Your environment needs attention:\n  - " + "\n  - ".join(problems)
              + "\nFix: run `make setup` in the project folder again "
                "(or `pip install -e .` in your environment), then restart the kernel.")
    if data_msg.startswith("PROBLEM"):
        print(data_msg)
    if not quiet and not problems:
        versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("pandas", "numpy", "scikit-learn"))
        mode = " | strict warnings" if strict else ""
        mode += " | offline" if offline else ""
        print(f"mkt-lessons {__version__} | Python {platform.python_version()} | {versions}"
              f" | {data_msg}{mode}")


def _data_status() -> str:
    from mkt_lessons import data

    try:
        data.verify_all()
    except data.DataFileError as exc:
        return f"PROBLEM with the data: {exc}"
    return "data OK"
