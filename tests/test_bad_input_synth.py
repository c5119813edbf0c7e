"""Bad input to mkt_lessons.synth (the generator); machinery in badinput.py."""

from __future__ import annotations

import tempfile

import numpy as np
from badinput import Array, Size, Spec, make_tests

from mkt_lessons import synth

_STORE: dict[str, synth.Store] = {}


def _store() -> synth.Store:
    if "s" not in _STORE:
        _STORE["s"] = synth.generate(seed=1, n_customers=100)
    return _STORE["s"]


SPECS = [
    Spec(synth.generate, lambda: dict(seed=1, n_customers=100, version=2),
         {"seed": Size(low=0), "n_customers": Size(low=100), "version": Size(low=1, high=2)}),
    Spec(synth.write, lambda: dict(store=_store(), path=tempfile.mkdtemp(prefix="mkt_w_")),
         extra=[("notstore:store", lambda kw: {**kw, "store": {"orders": None}}, TypeError),
                ("number:path", lambda kw: {**kw, "path": 3}, TypeError),
                ("blank:path", lambda kw: {**kw, "path": " "}, ValueError),
                ("unknown:format", lambda kw: {**kw, "format": "xlsx"}, ValueError),
                ("number:format", lambda kw: {**kw, "format": 1}, TypeError)]),
    Spec(synth.order_revenue,
         lambda: dict(quantity=np.array([1, 2, 3]), unit_price=np.array([10.0, 19.99, 5.0]),
                      discount=np.array([0.0, 0.15, 0.3])),
         {"quantity": Array(), "unit_price": Array(), "discount": Array()},
         accept={"scalar:quantity": "a single line (three numbers) is a valid call",
                 "empty:quantity": "no lines in, no revenues out"},
         extra=[("above:discount", lambda kw: {**kw, "discount": np.array([0.0, 1.5, 0.3])}, ValueError),
                ("length:unit_price", lambda kw: {**kw, "unit_price": np.array([10.0])}, ValueError),
                ("scalartext:discount", lambda kw: {**kw, "quantity": 1, "unit_price": 2.0, "discount": "0.1"},
                 TypeError)]),
    Spec(synth.promotions_calendar, lambda: {}),
    Spec(synth.main, lambda: dict(argv=["--out", tempfile.mkdtemp(prefix="mkt_m_"), "--n-customers", "100"]),
         extra=[("string:argv", lambda kw: {**kw, "argv": "--out x"}, TypeError),
                ("numbers:argv", lambda kw: {**kw, "argv": ["--n-customers", 100]}, TypeError)]),
]
test_bad_input, test_valid_call = make_tests(SPECS)
