"""Exercise checkers of lesson 01: solutions pass, typical mistakes fail, blanks say so."""

from __future__ import annotations

import pytest

from mkt_lessons import cleaning, data
from mkt_lessons.exercises import l01


@pytest.fixture(scope="module")
def ns():
    return l01.namespace()


def test_there_are_three_to_five_problems():
    assert [p.name for p in l01.PROBLEMS] == ["q1", "q2", "q3", "q4", "q5"]


def test_references_agree_with_the_package(truth):
    # independent reference vs. the tested package / the generator's counts
    # the injected exact duplicates, plus identical lines inside one test order (the generator
    # draws a test order's products with replacement; data v2 has one such pair)
    raw = data.load_raw_orders()
    rows = [tuple(r) for r in raw[raw["customer_id"].str.startswith("TEST", na=False)].itertuples(index=False)]
    twins = len(rows) - len(set(rows))
    assert l01.q1.expected == truth.params["defects"]["removed"]["exact_duplicate_rows"] + twins
    _, report = cleaning.clean_orders(data.load_raw_orders())
    returns = report.dropped[report.dropped["reason"] == "return_lines"]
    assert l01.q3.expected == pytest.approx(-cleaning.parse_money(returns["revenue"]).sum())
    for (text,) in l01._money_cases():
        assert l01._plain_money(text) == cleaning.parse_money(text)


def _bad_parse(text):
    return float(text.replace("$", "").replace(",", "."))  # commas as decimal points


WRONG = {
    "q1": [290, 0, 145.5],
    "q2": [_bad_parse, lambda text: text, "not a function"],
    "q3": [-1.0, 0.0],
    "q4": [1, 5000],
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answers_grade_incorrect(name):
    problem = next(p for p in l01.PROBLEMS if p.name == name)
    expected = getattr(problem, "expected", None)
    for wrong in WRONG[name]:
        if expected is not None and not callable(wrong) and wrong == expected:
            continue  # a listed wrong value must really be wrong for this data
        assert problem.grade(wrong).status == "incorrect", wrong


def test_mistakes_get_their_targeted_message():
    dup_all = data.load_raw_orders().duplicated(keep=False).sum()
    assert "every copy" in l01.q1.grade(int(dup_all)).message
    assert "negative" in l01.q3.grade(-l01.q3.expected).message
    assert "top-coding" in l01.q4.grade(l01._age_band_k(top_code=False)).message


def test_hints_nudge_rather_than_give_code():
    from mkt_lessons.exercises import l01

    for problem in l01.PROBLEMS:
        for code in ('.replace(', 'clip(', 'k_anonymity(', '.astype(int)'):
            assert code not in problem._hint, (problem.name, code)
