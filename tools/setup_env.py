"""Create or update a virtual environment for the project - only when it needs it.

Used by ``make setup`` (and so by ``make lab`` / ``make test``) and ``make test-min``.
Standard library only: it runs before anything is installed.

* The environment is (re)installed only when the **dependency list** changed: a hash of
  the dependencies, extras and install mode in ``pyproject.toml`` is kept in
  ``<venv>/.deps-hash``. Touching or editing other parts of ``pyproject.toml`` (or the
  code: the install is editable) installs nothing, so ``make test`` never needs the
  network once the environment exists.
* ``--wheelhouse DIR`` installs from a folder of wheels with the index switched off
  (``make wheelhouse`` fills it; a workshop room with no network).
* ``--lowest`` installs the lowest versions ``pyproject.toml`` allows for the direct
  dependencies (``make test-min``): the floors we declare are then tested.
* ``--download DIR`` fills a wheelhouse instead (``make wheelhouse``): every wheel the
  project and its extras need, *plus* pip, setuptools and wheel - an offline editable
  install builds the project with setuptools, and a room without the index cannot fetch it.
  The wheels are for the machine that downloads them (same OS, CPU and Python as the room's
  laptops); pass e.g. ``--pip-args "--platform win_amd64 --python-version 3.11
  --only-binary=:all:"`` to build a kit for other laptops.
* Where ``uv`` is on PATH it installs (same versions, several times faster); pip otherwise.

Usage: ``python tools/setup_env.py --venv .venv --extras dev [--wheelhouse DIR] [--lowest]``
       ``python tools/setup_env.py --download wheelhouse --extras dev``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def requirements(extras: list[str]) -> list[str]:
    """The project's direct requirements with the given extras (from pyproject.toml)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    optional = project.get("optional-dependencies", {})
    for extra in extras:
        if extra not in optional:
            sys.exit(f"setup_env: pyproject.toml has no extra [{extra}] (it has {sorted(optional)})")
        reqs += optional[extra]
    return reqs


def data_wheels(extras: list[str]) -> list[str]:
    """Data-only test packages (``[tool.mkt-lessons] dev-data-wheels``), installed with
    ``--no-deps`` alongside the [dev] extra: tests read files from them, never import them."""
    if "dev" not in extras:
        return []
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text()).get("tool", {})
    return list(tool.get("mkt-lessons", {}).get("dev-data-wheels", []))


def floors(reqs: list[str]) -> list[str]:
    """``name==lowest`` for every requirement with a ``>=`` lower bound."""
    out = []
    for r in reqs:
        m = re.match(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*([^;]*)", r)
        if not m:
            continue
        low = re.search(r">=\s*([0-9][^,\s;]*)", m.group(3))
        if low:
            out.append(f"{m.group(1)}=={low.group(1)}")
    return out


def build_requirements() -> list[str]:
    """What building the project needs (``[build-system] requires``)."""
    return list(tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"])


def download(house: Path, extras: list[str], pip_args: list[str]) -> int:
    """Fill ``house`` with every wheel an offline ``--wheelhouse`` install needs."""
    house.mkdir(parents=True, exist_ok=True)
    reqs = ["pip", "setuptools", "wheel", *build_requirements(), *requirements(extras)]
    run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:",
         "--dest", str(house), *pip_args, *reqs])
    if data_wheels(extras):
        run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--no-deps",
             "--dest", str(house), *pip_args, *data_wheels(extras)])
    wheels = sorted(house.glob("*.whl"))
    size = sum(w.stat().st_size for w in wheels) / 1e6
    print(f"wheelhouse {house}: {len(wheels)} wheels, {size:.0f} MB. In the room: "
          f"make setup WHEELHOUSE={house.name}", flush=True)
    return 0


def run(cmd: list[str], env: dict | None = None) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, env=env)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--venv", default=".venv")
    ap.add_argument("--extras", default="dev", help="comma-separated extras, e.g. dev,spark")
    ap.add_argument("--wheelhouse", default=os.environ.get("WHEELHOUSE") or None)
    ap.add_argument("--lowest", action="store_true", help="install the declared floors")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--download", metavar="DIR", help="fill a wheelhouse instead of installing")
    ap.add_argument("--pip-args", default="", help="extra `pip download` arguments (--download)")
    args = ap.parse_args(argv)
    if args.download:
        return download((ROOT / args.download).resolve(),
                        [e for e in args.extras.split(",") if e], args.pip_args.split())

    venv = (ROOT / args.venv).resolve()
    py = venv / "bin" / "python"
    extras = [e for e in args.extras.split(",") if e]
    reqs = requirements(extras)
    pins = floors(reqs) if args.lowest else []
    data = data_wheels(extras)
    state = json.dumps({"reqs": reqs, "pins": pins, "extras": extras, "data": data,
                        "wheelhouse": bool(args.wheelhouse)}, sort_keys=True)
    digest = hashlib.sha256(state.encode()).hexdigest()
    stamp = venv / ".deps-hash"
    if py.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return 0  # up to date: nothing to install, no network needed

    if not py.exists():
        run([args.python, "-m", "venv", str(venv)])
    target = f".[{','.join(extras)}]" if extras else "."
    uv = shutil.which("uv")
    env = dict(os.environ)
    constraints = []
    if pins:
        cfile = venv / "constraints-lowest.txt"
        cfile.write_text("\n".join(pins) + "\n")
        constraints = ["-c", str(cfile)]
        print("lowest allowed versions:", ", ".join(pins), flush=True)
    if args.wheelhouse:
        house = str(Path(args.wheelhouse).resolve())
        if not Path(house).is_dir():
            sys.exit(f"setup_env: wheelhouse {house} does not exist (run `make wheelhouse` first)")
        source = ["--no-index", "--find-links", house]
        env["PIP_NO_INDEX"] = "1"          # also for pip's isolated build of the project
        env["PIP_FIND_LINKS"] = house
    else:
        source = []
    if uv:
        run([uv, "pip", "install", "--python", str(py), "--quiet", *source, *constraints,
             "-e", target], env=env)
        if data:
            run([uv, "pip", "install", "--python", str(py), "--quiet", "--no-deps", *source, *data],
                env=env)
    else:
        if not args.wheelhouse:
            run([str(py), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], env=env)
        run([str(py), "-m", "pip", "install", "--quiet", *source, *constraints, "-e", target],
            env=env)
        if data:
            run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", *source, *data], env=env)
    stamp.write_text(digest + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
