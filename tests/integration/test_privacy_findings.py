"""The seven ways an outside review read one respondent's answers, each a test of its own.

Findings 1–4 and 7 attack what a reader with a role sees; 5 and 6 (the database reader) are in
test_unlinkable_storage.py. Each scripted round keeps every published number after every step,
as a reader who saves every page would.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token
from tests.integration.attacker import Attacker
from tests.integration.publishing import (
    RESPONDENTS,
    ScriptedRound,
    derived_breakdowns,
    small_differences,
    small_parent_remainders,
)
from webapp.extensions import db
from webapp.models import Kommune, School
from webapp.services.rounds import now
from webapp.services.surveys import questionnaire_of
from webapp.services.users import create_user

K = 5
ORG = """kommune,fylke,school_code,school_name,skoleslag
Lund,Rogaland,L1,Lund skule,grunnskole
Lund,Rogaland,L2,Heskestad skule,grunnskole
Sola,Rogaland,S1,Sola skole,grunnskole
Bø,Nordland,N1,Bø skole,grunnskole
"""
ITEMS = [RESPONDENTS, "utnytte", "behov_fravaer", "fornoyd_jobb", "b_stillingsprosent",
         "utvikling_aktiviteter"]


@pytest.fixture()
def script(app, settings):
    return ScriptedRound(app, settings, ORG, threshold=K)


def test_finding_1_a_kommune_never_shows_more_than_its_schools_by_fewer_than_k(script):
    # Given Lund's schools published at 10 (L1) and 6 (L2) answers
    script.arrive("L1", 10)
    script.arrive("L2", 6)
    # When one more answer comes in at L2 (not enough for new figures there), then five at L1
    script.arrive("L2", 1)
    script.arrive("L1", 5)
    # Then no page ever shows Lund minus its two schools as a group of 1 … k−1 people
    for label, snapshot in script.snapshots:
        assert small_parent_remainders(snapshot, script.units, K) == [], label


def test_finding_2_one_answer_at_another_school_does_not_move_the_levels_above(script):
    # Given a round whose figures are published (Lund's schools with 10 and 6 answers)
    script.arrive("L1", 10)
    before = script.arrive("L2", 6)
    # When the first answer comes in at a school in another fylke
    after = script.arrive("N1", 1)
    # Then no figure at any level moved by that one respondent (nor by any 1 … k−1)
    assert small_differences(before, after, K) == []
    # … and neither does a school crossing the threshold move its parents by less than k
    script.arrive("N1", 4)
    assert Attacker(script.snapshots, script.units, K).differences() == []


def test_finding_3_a_derived_breakdown_never_gives_away_a_hidden_group_of_its_source(app, script):
    # Given one school where exactly one person works "uavhengig av trinn", next to groups of 5 and 6
    for trinn, count in (("barnetrinn", 6), ("ungdomstrinn", 6), ("vgs", 5), ("uavhengig", 1)):
        script.answer("S1", count, b_trinn=trinn)
    script.deliver("S1")
    # When the round closes and everything is published
    script.close()
    with app.app_context():
        questionnaire = questionnaire_of(db.session, script._round().survey_version_id)
    attacker = Attacker(script.snapshots, script.units, K, derived=derived_breakdowns(questionnaire))
    # Then every breakdown, its derived breakdowns and the grouping items' counts together pin nobody
    assert attacker.pinned(ITEMS + ["b_trinn"]) == []


def test_finding_4_neither_a_day_passing_nor_the_close_shows_the_last_answers(script):
    # Given a school whose figures were published at 10 answers
    script.arrive("S1", 10)
    # When one more answer comes in and a day passes, and then one more before the round closes
    script.arrive("S1", 1, at=now() + timedelta(days=1, minutes=1))
    script.arrive("S1", 1, at=now() + timedelta(days=2, minutes=2))
    script.close(at=now() + timedelta(days=3))
    # Then no two snapshots differ by 1 … k−1 people in any figure shown in both
    assert Attacker(script.snapshots, script.units, K).differences() == []


PASSWORD = "correct horse battery"


def _log_in(client, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert client.post("/login", data={"csrf_token": csrf_token(page), "email": email,
                                       "password": PASSWORD}).status_code == 302


def _pages(app, client, round_id: int, ids: dict) -> dict[str, str]:
    """Everything the three readers can open about Lund and L1 (CSRF tokens and nonces aside)."""
    out = {}
    for who in ("admin@example.org", "tv@example.org", "leder@example.org"):
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/login").get_data(as_text=True))})
        _log_in(client, who)
        for path in (f"/resultater/{round_id}/", f"/resultater/{round_id}/kommune/{ids['Lund']}",
                     f"/resultater/{round_id}/skole/{ids['L1']}",
                     f"/resultater/{round_id}/skole/{ids['L1']}/behov.csv",
                     f"/api/v1/rounds/{round_id}/aggregates?level=school&unit=L1",
                     f"/api/v1/rounds/{round_id}/aggregates?level=kommune&unit=Lund&by=yrkesgruppe"):
            response = client.get(path)
            body = re.sub(r'(csrf_token|nonce)[^>]*>', "", response.get_data(as_text=True))
            out[f"{who} {path}"] = f"{response.status_code} {body}"
    return out


def test_finding_7_nothing_a_reader_sees_changes_when_one_colleague_presses_send(app, client, script):
    # Given Lund with published figures (the school assistants at L1), free texts, and a tillitsvalgt,
    # a school leader and an admin
    script.arrive("L1", 12, b_rolle="skoleassistent", fritekst="Vi trenger mer kurs om psykisk helse")
    script.arrive("L2", 6)
    with app.app_context():
        ids = {**{s.code: s.id for s in db.session.scalars(select(School))},
               **{k.name: k.id for k in db.session.scalars(select(Kommune))}}
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt").kommune_id = ids["Lund"]
        create_user(db.session, "leder@example.org", PASSWORD, "skoleleder").school_id = ids["L1"]
        db.session.commit()
    before = _pages(app, client, script.round_id, ids)
    # When one colleague at L1 — the first SFO leader there — sends (with a free text) and the worker
    # has done its work
    script.arrive("L1", 1, b_rolle="sfo_leder", fritekst="Ingen på skolen spør oss noen gang")
    # Then no page, download or API answer of any reader changed: no count, no text, no time
    after = _pages(app, client, script.round_id, ids)
    changed = [page for page in before if before[page] != after[page]]
    assert changed == []
    assert not any("Ingen på skolen" in body for body in after.values())


def test_finding_7_the_live_count_says_under_k_for_a_small_school(app, client, script):
    # Given a school with 3 answers, and an administrator following the response rates
    script.arrive("N1", 3)
    with app.app_context():
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        db.session.commit()
    _log_in(client, "admin@example.org")
    page = client.get(f"/admin/runder/{script.round_id}").get_data(as_text=True)
    row = re.search(r'<tr data-school="N1">(.*?)</tr>', page, re.S).group(1)
    # Then the administrator's live view says "under 5", not 3
    assert "under 5" in row and not re.search(r">\s*3\s*<", row)
