"""One result convention for the whole package (after statsmodels' ``stats/base.py``).

Every function that returns more than one number returns a **frozen dataclass** that
subclasses :class:`Result`: fields are documented in the class docstring, cannot be changed
after the fact, and use one spelling across modules:

=============  ==========================================================
``statistic``  the test statistic (z, t, chi-square ...)
``pvalue``     its p-value (never ``p_value``)
``ci_low``     lower end of the confidence interval
``ci_high``    upper end of the confidence interval
``alpha``      the significance level the interval and decision use (never ``level``;
               a 95% interval has ``alpha=0.05``)
``estimate``   the point estimate the interval is for
=============  ==========================================================

:meth:`Result.summary` shows the scalar fields as a one-column table, the same for every
result; ``str(result)`` prints it.
"""

from __future__ import annotations

import dataclasses
import numbers

import numpy as np
import pandas as pd

__all__ = ["Result", "TestResult"]


@dataclasses.dataclass(frozen=True)
class Result:
    """Base class of the package's results: frozen, documented fields, a shared ``summary()``."""

    def _scalar_fields(self) -> dict:
        out = {}
        for f in dataclasses.fields(self):
            if not f.repr:
                continue
            v = getattr(self, f.name)
            if isinstance(v, (numbers.Number, np.number, str, bool, np.bool_)) or v is None:
                out[f.name] = v
        return out

    def summary(self) -> pd.Series:
        """The scalar fields as a Series named after the result type (arrays and tables are left out)."""
        return pd.Series(self._scalar_fields(), name=type(self).__name__, dtype=object)

    def to_dict(self) -> dict:
        """All fields as a dict (arrays and tables included, not copied)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def __str__(self) -> str:
        lines = [type(self).__name__]
        for k, v in self._scalar_fields().items():
            shown = f"{v:.6g}" if isinstance(v, (float, np.floating)) else str(v)
            lines.append(f"  {k:<22} {shown}")
        return "\n".join(lines)


@dataclasses.dataclass(frozen=True)
class TestResult(Result):
    """A hypothesis test: ``statistic``, ``pvalue`` and the ``alpha`` its decision uses.

    ``significant`` is ``pvalue < alpha``. Unpacks as ``statistic, pvalue = result``,
    like SciPy's and statsmodels' test results.
    """

    __test__ = False  # not a pytest test class

    statistic: float
    pvalue: float
    alpha: float

    @property
    def significant(self) -> bool:
        """Whether the test rejects at level ``alpha`` (``pvalue < alpha``)."""
        return bool(self.pvalue < self.alpha)

    def __iter__(self):
        yield self.statistic
        yield self.pvalue
