"""Bad input to mkt_lessons.plotting; machinery in badinput.py (DESIGN §7)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from badinput import Option, Size, Spec, make_tests

from mkt_lessons import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def axes():
    return plt.subplots()[1]


def _set(key, value):
    return lambda kw: {**kw, key: value}


NOT_AXES = [("none:ax", _set("ax", None), TypeError), ("text:ax", _set("ax", "ax"), TypeError),
            ("figure:ax", lambda kw: {**kw, "ax": kw["ax"].figure}, TypeError)]

SPECS = [
    Spec(plotting.use_house_style, dict),
    Spec(plotting.label, lambda: dict(ax=axes(), title="Revenue per day", xlabel="date",
                                      ylabel="revenue (USD per day)"),
         extra=[*NOT_AXES, ("number:title", _set("title", 3), TypeError),
                ("blank:title", _set("title", " "), ValueError),
                ("number:xlabel", _set("xlabel", 3), TypeError),
                ("none:ylabel", _set("ylabel", None), TypeError)]),
    Spec(plotting.dollars, lambda: dict(ax=axes(), axis="y"), {"axis": Option()}, extra=NOT_AXES),
    Spec(plotting.percent, lambda: dict(ax=axes(), axis="x", decimals=1),
         {"axis": Option(), "decimals": Size(low=0, high=6)}, extra=NOT_AXES),
    Spec(plotting.new_axes, lambda: dict(nrows=1, ncols=2),
         {"nrows": Size(low=1, high=20), "ncols": Size(low=1, high=20)},
         extra=[("layout:layout", _set("layout", "tight"), TypeError)]),
]
test_bad_input, test_valid_call = make_tests(SPECS)


def test_helpers_return_the_axes_they_were_given():
    fig, ax = plotting.new_axes()
    assert plotting.label(ax, "t", "x (unit)", "y (unit)") is ax
    assert plotting.dollars(ax) is ax and plotting.percent(ax, "x") is ax
    assert ax.get_xlabel() == "x (unit)" and ax.get_ylabel() == "y (unit)"
    # hand-computed tick texts
    assert ax.yaxis.get_major_formatter()(1234.4, 0) == "$1,234"
    assert ax.xaxis.get_major_formatter()(0.125, 0) == "12%"
    assert plotting.percent(ax, decimals=1).yaxis.get_major_formatter()(0.125, 0) == "12.5%"
