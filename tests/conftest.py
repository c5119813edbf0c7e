"""Shared test setup: the suite runs offline (sockets to other hosts are refused).

Tests are sorted by name: test_data / test_synth (data), test_<module> (unit),
test_exercises_* (exercise checkers), test_notebooks (notebook hygiene); nbval executes
the notebooks themselves (collected from notebooks/ by the pytest configuration).
"""

from __future__ import annotations

import pytest

from mkt_lessons._offline import block_network


def pytest_configure(config):
    block_network()


@pytest.fixture(scope="session")
def truth():
    from mkt_lessons import data

    return data.load_truth()
