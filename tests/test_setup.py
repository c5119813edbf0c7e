"""The notebook setup call, the offline guard and the package's import cost."""

from __future__ import annotations

import socket
import subprocess
import sys
import warnings

import pytest

from mkt_lessons import _setup
from mkt_lessons._offline import NetworkBlockedError


def test_import_is_light():
    code = "import sys, mkt_lessons; print(sorted(m for m in ('pandas', 'sklearn', 'scipy', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_network_is_blocked_for_other_hosts():
    with pytest.raises(NetworkBlockedError):
        socket.create_connection(("203.0.113.7", 80), timeout=1)  # TEST-NET-3, never routed
    with pytest.raises(NetworkBlockedError):
        socket.getaddrinfo("example.com", 443)


def test_loopback_still_works():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()


def test_strict_mode_turns_our_future_warnings_into_errors():
    with warnings.catch_warnings():
        _setup.setup_notebook(strict=True, offline=False, quiet=True)
        with pytest.raises(FutureWarning):
            warnings.warn_explicit("old API", FutureWarning, "cell.py", 1, module="__main__")
        with pytest.raises(DeprecationWarning):
            warnings.warn_explicit("old API", DeprecationWarning, "x.py", 1, module="mkt_lessons.data")
        # A third-party library's own deprecation is not ours to fix: it stays a warning.
        warnings.simplefilter("default")
        _setup.setup_notebook(strict=True, offline=False, quiet=True)
        with warnings.catch_warnings(record=True):
            warnings.warn_explicit("their API", DeprecationWarning, "y.py", 1, module="somelib.core")


def test_setup_prints_versions_and_data_status(capsys):
    with warnings.catch_warnings():
        _setup.setup_notebook(strict=False, offline=False)
    out = capsys.readouterr().out
    assert "pandas" in out and "data OK" in out


def test_environment_check_flags_old_and_missing_packages(monkeypatch):
    from importlib import metadata

    real = metadata.version

    def fake(name):
        if name == "pandas":
            return "2.1.4"
        if name == "seaborn":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(_setup.metadata, "version", fake)
    problems = _setup.check_environment()
    assert any("pandas 2.1.4 is older" in p for p in problems)
    assert any("seaborn is not installed" in p for p in problems)


def test_environment_check_passes_here():
    assert _setup.check_environment() == []


def test_min_versions_match_pyproject():
    """The notebook check reads the floors from the installed metadata: the same as pyproject."""
    import re
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]
    declared = {}
    for req in project["dependencies"]:
        m = re.match(r"([A-Za-z0-9_.\-]+)\s*>=\s*([0-9][^,]*)", req)
        if m:
            declared[m.group(1)] = m.group(2)
    assert _setup.MIN_VERSIONS == declared
    assert {"pandas", "numpy", "statsmodels", "matplotlib"} <= set(declared)


def test_setup_env_reads_the_same_floors():
    """tools/setup_env.py (make test-min) pins exactly the declared floors."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[1] / "tools" / "setup_env.py"
    spec = importlib.util.spec_from_file_location("setup_env", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    pins = dict(p.split("==") for p in mod.floors(mod.requirements([])))
    assert pins == _setup.MIN_VERSIONS
