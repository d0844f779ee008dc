"""Gaps from published figures equal an independent computation from the raw answers; a small school
shows none; a hidden group has no numbers (`laget gaps`, the contract of docs/gaps.md)."""
from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import select

from tests.conftest import publish_closed_round
from tests.gapref import need_flags
from webapp.domain.gaps import wilson
from webapp.domain.simulate import simulate_answers
from webapp.extensions import db
from webapp.models import Round, School
from webapp.services import aggregates, answering, org, rounds

ORG = ("kommune,fylke,school_code,school_name,skoleslag\n"
       "Indre,Vestland,S1,Stor skole,grunnskole\n"
       "Indre,Vestland,S2,Mellom skole,grunnskole\n"
       "Indre,Vestland,L1,Liten skole,grunnskole\n")
ANSWERS = {"S1": 60, "S2": 40, "L1": 3}
SEED = 11


@pytest.fixture()
def round_name(app, settings):
    """A closed round: 60 and 40 answers at two schools, all barne- og ungdomsarbeidere (one group, so
    that at the round every item and every need flag has all its answers out), and 3 at a small school.
    A second population is drawn the same way for test_a_small_school…"""
    with app.app_context():
        publish_closed_round(settings, ORG, "Vår 2027", ANSWERS, seed=SEED, fixed={"b_rolle": "bua"})
    return "Vår 2027"


def raw_answers(questionnaire) -> list[dict]:
    """The answers publish_closed_round gave, drawn again from the same seed in the same order."""
    rng = random.Random(SEED)
    return [{**simulate_answers(questionnaire, rng), "b_rolle": "bua"}
            for count in ANSWERS.values() for _ in range(count)]


def expected_gap(questionnaire, people: list[dict], area) -> tuple[int, int, float]:
    """n, need and score of an area over `people`, worked out from their raw answers (docs/gaps.md)."""
    flags = [need_flags(questionnaire, p).get(f"trenger_{area.code}") for p in people]
    n, need = sum(f is not None for f in flags), sum(f == "ja" for f in flags)
    behov = next((key for key, option in area.fed_by if key.startswith("behov_")), None)
    if behov is None:
        weight = 0.75
    else:
        asked = [int(p[behov]) for p in people if p.get(behov)]
        worked = [p[behov.replace("behov_", "arbeid_")] for p in people
                  if p.get(behov.replace("behov_", "arbeid_"))]
        strength = sum((v - 1) / 4 for v in asked) / len(asked) if asked else 0.5
        reach = sum(v in ("4", "5") for v in worked) / len(worked) if worked else 0.5
        weight = 0.5 + 0.25 * strength + 0.25 * reach
    return n, need, round(100 * need / n * weight, 1)


def test_the_rounds_gaps_equal_an_independent_count_of_the_raw_answers(laget, round_name, questionnaire,
                                                                      app):
    # The small school's 3 answers have nobody to be pooled with (one group): the close never shows them
    people = raw_answers(questionnaire)[:ANSWERS["S1"] + ANSWERS["S2"]]
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
        n, need, score = expected_gap(questionnaire, people, area)
        low, high = wilson(need, n)
        got = by_area[area.code]
        assert (got["n"], got["need"], got["score"]) == (n, need, score), area.code
        assert got["share"] == round(100 * need / n, 1)
        assert (got["low"], got["high"]) == (round(100 * low, 1), round(100 * high, 1))


def test_each_groups_gaps_are_its_own_people(app, settings, laget, questionnaire):
    # Given a school of 40 barne- og ungdomsarbeidere and 40 skoleassistenter, closed
    rng = random.Random(12)
    people = [{**simulate_answers(questionnaire, rng), "b_rolle": role}
              for role in ("bua", "skoleassistent") for _ in range(40)]
    with app.app_context():
        org.import_org(db.session, ORG)
        found = rounds.create_round(db.session, settings.surveys_dir, "kompetanse-og-anerkjennelse", "To")
        rounds.set_status(db.session, "To", "open")
        school = db.session.scalar(select(School.id).filter_by(code="S1"))
        for answers in people:
            answering.store_response(db.session, questionnaire, found.id, school, answers)
        rounds.set_status(db.session, "To", "closed")
        aggregates.rebuild(db.session, found)
        db.session.commit()
    shown = json.loads(laget("gaps", "--round", "To", "--school", "S1", "--by", "yrkesgruppe").output)
    # Then each group's gaps are worked out from that group's answers alone, its own strength and reach
    checked = 0
    for group, role in (("bua", "bua"), ("assistent", "skoleassistent")):
        mine = [p for p in people if p["b_rolle"] == role]
        for area in questionnaire.areas:
            got = next((a for a in shown["areas"] if a.get("group") == group and a.get("area") == area.code),
                       None)
            if got is None:
                continue  # an item feeding it had too few answers in the group: the flag waits with it
            assert (got["n"], got["need"], got["score"]) == expected_gap(questionnaire, mine, area), area.code
            checked += 1
    assert checked >= 20


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
