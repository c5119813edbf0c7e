"""Run every benchmarks/bench_*.py (each has a `main()` that prints its measurements).

Budgets live in ../shared/DESIGN.md §7; benchmarks report, they do not assert.
Usage: python benchmarks/run.py [name ...]   e.g. python benchmarks/run.py synth
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> None:
    wanted = set(argv)
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"== {path.name}")
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
