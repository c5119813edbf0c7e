"""Declarations for the estimator conformance test (``tests/test_conformance.py``).

Every scikit-learn estimator of the package is listed once, in the bad-input file of its
module (``tests/test_bad_input_<module>.py``), as::

    ESTIMATORS = [
        EstimatorCase(ItemKNNRecommender, data=lambda: ((matrix,), {}),
                      output=lambda est, args, kw: est.recommend(["U1"], k=3),
                      bad_params=[{"k_neighbors": -1}, {"k_neighbors": 2.5}]),
    ]

``test_conformance.py`` then checks each one like scikit-learn's common tests: ``clone``
works, ``__init__`` only stores, ``fit`` returns self and leaves learned state in ``*_``
attributes, an unfitted model raises ``NotFittedError``, refitting with the same
``random_state`` gives the same output, bad parameters are refused at ``fit`` with a
ValueError/TypeError naming the parameter, and ``fit`` does not modify its inputs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any


@dataclasses.dataclass
class EstimatorCase:
    cls: type
    data: Callable[[], tuple[tuple, dict]]          # fit(*args, **kwargs) of a small valid fit
    output: Callable[[Any, tuple, dict], Any]       # what a fitted model produces (predict ...)
    bad_params: Sequence[dict] = ()                 # each must make fit raise
    params: dict = dataclasses.field(default_factory=dict)  # constructor arguments for the case

    @property
    def id(self) -> str:
        return f"{self.cls.__module__.replace('mkt_lessons.', '')}.{self.cls.__name__}"
