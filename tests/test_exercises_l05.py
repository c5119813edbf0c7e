"""Every lesson-05 solution grades correct; wrong answers and blanks do not."""

from __future__ import annotations

import pytest

from mkt_lessons.exercises import l05


@pytest.fixture(scope="module")
def ns():
    return l05.namespace()


def test_problem_list():
    assert [p.name for p in l05.PROBLEMS] == ["q1", "q2", "q3", "q4"]


def test_q1_wrong_answers(ns):
    X = ns["X"]
    density = X.nnz / (X.shape[0] * X.shape[1])
    result = l05.q1.grade(density)
    assert result.status == "incorrect" and "density" in result.message
    assert l05.q1.grade(0.5).status == "incorrect"


def test_q2_wrong_answers():
    def divides_by_bought(recommended, bought, k):
        hits = set(list(recommended)[:k]) & set(bought)
        return len(hits) / max(len(bought), 1)

    def ignores_k(recommended, bought, k):
        return len(set(recommended) & set(bought)) / k

    assert l05.q2.grade(divides_by_bought).status == "incorrect"
    assert l05.q2.grade(ignores_k).status == "incorrect"
    assert l05.q2.grade(0.3).status == "incorrect"  # not a function


def test_q3_wrong_answers(ns):
    from mkt_lessons import recommend as R

    recs = R.ItemKNNRecommender(k_neighbors=20).fit(ns["X"], ns["user_ids"], ns["item_ids"])
    with_seen = R.precision_at_k(recs.recommend(ns["test_users"], k=10, exclude_seen=False),
                                 ns["test"], k=10)
    result = l05.q3.grade(with_seen)
    assert result.status == "incorrect" and "exclude_seen" in result.message
    pop = R.PopularityRecommender().fit(ns["X"], ns["user_ids"], ns["item_ids"])
    assert l05.q3.grade(R.precision_at_k(pop.recommend(ns["test_users"]), ns["test"])).status \
        == "incorrect"


def test_q4_is_a_thought_problem(capsys):
    assert l05.q4.grade(None).status == "blank"
    l05.q4.solution()
    assert "oracle" in capsys.readouterr().out
