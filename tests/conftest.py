"""Shared test setup: the suite runs offline (sockets to other hosts are refused).

Tests are sorted by name: test_data / test_synth (data), test_<module> (unit),
test_exercises_* (exercise checkers), test_notebooks (notebook hygiene); nbval executes
the notebooks themselves (collected from notebooks/ by the pytest configuration).
"""

from __future__ import annotations

import os

import pytest

from mkt_lessons._offline import block_network


def pytest_configure(config):
    block_network()
    # The notebook kernels nbval starts inherit this: with a non-inline backend figures stay
    # open across cells, so a cell that draws without creating its own axes fails here
    # instead of on a learner's server or in a script (DESIGN §7). ipykernel only picks its
    # inline backend when MPLBACKEND is unset.
    os.environ["MPLBACKEND"] = "Agg"


@pytest.fixture(scope="session")
def truth():
    from mkt_lessons import data

    return data.load_truth()


def pytest_terminal_summary(terminalreporter):
    """Report each notebook's execution time (DESIGN §7 budget: <= 20 s each, <= 150 s total).

    A report, not an assertion: a busy machine must not fail the suite. The sum covers the
    cells' execution; kernel start-up (about 2 s) comes on top.
    """
    totals: dict[str, float] = {}
    for key in ("passed", "failed", "error"):
        for rep in terminalreporter.stats.get(key, []):
            nodeid = getattr(rep, "nodeid", "")
            if ".ipynb::" in nodeid:
                nb = nodeid.split("::")[0]
                totals[nb] = totals.get(nb, 0.0) + getattr(rep, "duration", 0.0)
    if not totals:
        return
    terminalreporter.section("notebook execution time (budget 20 s each, 150 s total)")
    for nb, secs in sorted(totals.items()):
        flag = "  OVER BUDGET" if secs > 20 else ""
        terminalreporter.write_line(f"{secs:6.1f} s  {nb}{flag}")
    terminalreporter.write_line(f"{sum(totals.values()):6.1f} s  total")
