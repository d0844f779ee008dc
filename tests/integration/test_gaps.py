"""Gaps from published figures equal an independent computation from the raw answers; a small school
shows none; a hidden group has no numbers (`laget gaps`, the contract of docs/gaps.md)."""
from __future__ import annotations

import json
import random

import pytest

from tests.conftest import publish_closed_round
from tests.gapref import need_flags
from webapp.domain.gaps import wilson
from webapp.domain.simulate import simulate_answers
from webapp.extensions import db
from webapp.models import Round

ORG = ("kommune,fylke,school_code,school_name,skoleslag\n"
       "Indre,Vestland,S1,Stor skole,grunnskole\n"
       "Indre,Vestland,S2,Mellom skole,grunnskole\n"
       "Indre,Vestland,L1,Liten skole,grunnskole\n")
ANSWERS = {"S1": 60, "S2": 40, "L1": 3}
SEED = 11


@pytest.fixture()
def round_name(app, settings):
    with app.app_context():
        publish_closed_round(settings, ORG, "Vår 2027", ANSWERS, seed=SEED)
    return "Vår 2027"


def raw_answers(questionnaire) -> list[dict]:
    """The answers publish_closed_round gave, drawn again from the same seed in the same order."""
    rng = random.Random(SEED)
    return [simulate_answers(questionnaire, rng) for count in ANSWERS.values() for _ in range(count)]


def test_the_rounds_gaps_equal_an_independent_count_of_the_raw_answers(laget, round_name, questionnaire,
                                                                      app):
    people = raw_answers(questionnaire)
    result = laget("gaps", "--round", round_name, "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    with app.app_context():
        assert db.session.query(Round).one().status == "closed"
    assert shown["unit"]["level"] == "round" and shown["by"] is None
    assert len(shown["published_on"]) == 10  # the day only: a time would say whose answers filled it
    by_area = {a["area"]: a for a in shown["areas"]}
    assert set(by_area) == {a.code for a in questionnaire.areas}
    for area in questionnaire.areas:
        flags = [need_flags(questionnaire, p).get(f"trenger_{area.code}") for p in people]
        n, need = sum(f is not None for f in flags), sum(f == "ja" for f in flags)
        low, high = wilson(need, n)
        got = by_area[area.code]
        assert (got["n"], got["need"]) == (n, need), area.code
        assert got["share"] == round(100 * need / n, 1)
        assert (got["low"], got["high"]) == (round(100 * low, 1), round(100 * high, 1))
        assert 0.5 * got["share"] - 0.05 <= got["score"] <= got["share"] + 0.05


def test_a_small_school_shows_no_gap_and_a_hidden_group_no_numbers(laget, round_name):
    small = json.loads(laget("gaps", "--round", round_name, "--school", "L1", "--format", "json").output)
    assert small["areas"] == [{"group": "all", "suppressed": True}]
    big = json.loads(laget("gaps", "--round", round_name, "--school", "S1", "--by", "yrkesgruppe",
                           "--format", "json").output)
    hidden = [a for a in big["areas"] if a.get("suppressed")]
    shown = [a for a in big["areas"] if not a.get("suppressed")]
    assert hidden and all(set(a) == {"group", "suppressed"} for a in hidden)
    assert {a["group"] for a in shown} >= {"all"}
    csv_rows = laget("gaps", "--round", round_name, "--school", "S1", "--format", "csv").output.splitlines()
    assert csv_rows[0] == "area,group,suppressed,n,need,share,low,high,score"
    assert len(csv_rows) == 1 + len([a for a in shown if a["group"] == "all"])


def test_an_unknown_unit_is_named(laget, round_name):
    result = laget("gaps", "--round", round_name, "--school", "X9", "--format", "json")
    assert result.exit_code == 1 and "X9" in result.output
