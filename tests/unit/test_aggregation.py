"""Aggregation maths on small inline data, checked against counting by hand."""
import random

import numpy as np

from webapp.domain.aggregation import distribution, roll_up, tally
from webapp.domain.codebook import Codebook
from webapp.domain.simulate import simulate_answers


def test_encoding_round_trips(questionnaire):
    codebook = Codebook.of(questionnaire)
    rng = random.Random(11)
    for _ in range(50):
        answers = simulate_answers(questionnaire, rng)
        answers.pop("fritekst", None)
        assert codebook.decode(codebook.encode(answers)) == answers


def test_tally_matches_counting_by_hand(questionnaire):
    codebook = Codebook.of(questionnaire)
    rng = random.Random(5)
    people = [simulate_answers(questionnaire, rng) for _ in range(300)]
    units = np.array([rng.randrange(3) for _ in people])
    groups = np.array([rng.randrange(-1, 2) for _ in people])  # -1: outside the breakdown
    cells = codebook.matrix([codebook.encode(p) for p in people])
    result = tally(codebook, cells, units, 3, groups, 2)

    for key in ("utnytte", "samarbeid_ppt", "utvikling_aktiviteter", "b_stillingsprosent", "behov_fravaer"):
        item = questionnaire.items[key]
        column = codebook.column(key)
        for u in range(3):
            for g in range(2):
                mine = [p for p, pu, pg in zip(people, units, groups) if pu == u and pg == g]
                d = distribution(item, int(result.respondents[u, g]), result.counts[u, g, column])
                answered = [p[key] for p in mine if key in p]
                if item.type == "multi":
                    assert d.n == len(answered)
                    assert d.counts == {c: sum(c in a for a in answered) for c in item.codes}
                elif item.type == "integer":
                    assert d.n == len(answered) and sum(d.counts.values()) == len(answered)
                    assert d.counts["1-20"] == sum(1 <= a <= 20 for a in answered)
                else:
                    na = {o.code for o in item.options if o.na}
                    assert d.n == len([a for a in answered if a not in na]) and d.na == len(answered) - d.n
                    assert {c: n for c, n in d.counts.items()} == {
                        c: answered.count(c) for c in item.codes if c not in na}


def test_roll_up_equals_tallying_the_parent_directly(questionnaire):
    codebook = Codebook.of(questionnaire)
    rng = random.Random(8)
    cells = codebook.matrix([codebook.encode(simulate_answers(questionnaire, rng)) for _ in range(120)])
    schools = np.array([rng.randrange(4) for _ in range(120)])
    kommune_of_school = np.array([0, 0, 1, 1])
    zeros = np.zeros(120, dtype=np.int64)
    by_school = tally(codebook, cells, schools, 4, zeros, 1)
    direct = tally(codebook, cells, kommune_of_school[schools], 2, zeros, 1)
    rolled = roll_up(by_school, kommune_of_school, 2)
    assert np.array_equal(rolled.counts, direct.counts)
    assert np.array_equal(rolled.respondents, direct.respondents)


def test_people_outside_a_breakdown_are_left_out():
    from webapp.domain.aggregation import Distribution
    d = Distribution("x", 4, {"1": 1, "2": 3})
    assert d.percent() == {"1": 25.0, "2": 75.0} and d.share(("2",)) == 0.75
    assert Distribution("x", 0, {"1": 0}).share(("1",)) is None
