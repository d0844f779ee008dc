"""What a second, red-team review of the block design found, each a test of its own (R1–R7 in its
report; the first design's close and release rule failed these).

- R5: the close held cells and protected their sums, not their differences: a school's total minus
  its kommune's assistants was one SFO leader minus one assistant, on every option of every item.
- R1/R4: an item was released on its own once k answers had come in, so the release followed what
  the last person answered (or whether they were asked), and an item could show more answers than
  its group had respondents.
- R3: a Send that began before the close landed after it, and the final figures moved by one.
- R2: a kommune's free texts minus a big school's were a small school's, verbatim.
- R6/R7: a response carried the day it was sent, which the days invitations were used (two reads of
  the database, a backup, the freed bytes of old row versions) tied to its invitation.
"""
from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select

from tests.conftest import csrf_token
from tests.integration.publishing import RESPONDENTS, ScriptedRound, small_differences
from webapp.extensions import db
from webapp.models import Kommune, Response, School
from webapp.services.users import create_user

K = 5
LUND = """kommune,fylke,school_code,school_name,skoleslag
Lund,Rogaland,L1,Lund skule,grunnskole
Lund,Rogaland,L2,Heskestad skule,grunnskole
"""
SFO, ASSISTANT = {"b_rolle": "sfo_leder"}, {"b_rolle": "skoleassistent"}
PASSWORD = "correct horse battery"


def test_r5_at_the_close_a_school_minus_its_kommunes_group_is_a_whole_block(app, settings):
    # Given blocks of assistants at Lund skule and SFO leaders at Heskestad, then — left at the close —
    # 4 assistants and 1 SFO leader (A) at Lund skule, 4 SFO leaders and 1 assistant (D) at Heskestad
    script = ScriptedRound(app, settings, LUND, threshold=K, seed=11)
    script.arrive("L1", 5, **ASSISTANT)
    script.arrive("L2", 5, **SFO)
    for _ in range(4):
        script.arrive("L1", 1, **ASSISTANT)
        script.arrive("L2", 1, **SFO)
    script.arrive("L1", 1, fornoyd_jobb="1", **SFO)
    script.arrive("L2", 1, fornoyd_jobb="4", **ASSISTANT)
    before = script.snapshots[-1][1]
    # When the round closes
    after = script.close()
    # Then Lund skule's gain minus the kommune's assistants' gain is nobody or a whole block of k (one
    # side or the other), never A − D
    school, kommune = ("school", script.school_ids["L1"]), ("kommune", script.kommune_ids["Lund"])

    def gain(key):
        return after[key] - before[key]
    assert gain((*school, "all", "all", RESPONDENTS)) in (0, 5, 10)
    assert gain((*kommune, "yrkesgruppe", "assistent", RESPONDENTS)) in (0, 5)
    for item in (RESPONDENTS, "fornoyd_jobb", "utnytte"):
        difference = gain((*school, "all", "all", item)) - gain((*kommune, "yrkesgruppe", "assistent", item))
        assert difference == 0 or abs(difference) >= K, (item, difference)
    # … and every figure ever published is a sum of blocks of at least k respondents
    assert script.check_blocks() == []


def test_r1_r4_an_item_moves_only_with_a_block_of_respondents(app, settings):
    # Given five SFO leaders released as a block, two of whom have worked with PPT
    script = ScriptedRound(app, settings, "kommune,fylke,school_code,school_name,skoleslag\n"
                                          "Lund,Rogaland,L1,Lund skule,grunnskole\n", threshold=K)
    for answer in ("3", "4", "na", "na", "na"):
        script.arrive("L1", 1, samarbeid_ppt=answer, **SFO)
    school = script.school_ids["L1"]
    assert script.snapshots[-1][1][("school", school, "yrkesgruppe", "sfo_leder", RESPONDENTS)] == 5
    # When four more come in who all have (six answers about PPT now wait, but only four people)
    script.answer("L1", 4, samarbeid_ppt="2", **SFO)
    last = script.deliver("L1")
    # Then nothing moves: an item goes out only with a block of respondents, so what makes a release
    # is a count of people, and no item ever shows more answers than its group has people
    assert last[("school", school, "yrkesgruppe", "sfo_leder", "samarbeid_ppt")] == 0
    assert last[("school", school, "yrkesgruppe", "sfo_leder", RESPONDENTS)] == 5
    # … and with the next person both go out together
    last = script.arrive("L1", 1, samarbeid_ppt="2", **SFO)
    assert last[("school", school, "yrkesgruppe", "sfo_leder", "samarbeid_ppt")] == 7
    assert last[("school", school, "yrkesgruppe", "sfo_leder", RESPONDENTS)] == 10
    for _label, snapshot in script.snapshots:
        for key, n in snapshot.items():
            if key[4] not in (RESPONDENTS,) and "=" not in key[4]:
                assert n <= snapshot[(*key[:4], RESPONDENTS)], key
    assert script.check_blocks() == []


def test_r3_a_send_racing_the_close_is_refused_and_the_final_figures_never_move(app, settings):
    from webapp.domain.simulate import simulate_answers
    from webapp.services import aggregates, answering, pool, rounds
    from webapp.services.answering import LinkProblem

    script = ScriptedRound(app, settings, LUND, threshold=K)
    script.arrive("L1", 11, **ASSISTANT)
    script.arrive("L2", 14, **ASSISTANT)
    # Given a colleague on the summary page while the round is open …
    with app.app_context():
        token = rounds.create_invitations(db.session, script._round(), "L2", 1)[0]
        link = answering.open_link(db.session, token)
        answers = {**simulate_answers(link.questionnaire, random.Random(1)), **ASSISTANT}
        for section in link.questionnaire.sections:
            answering.save_page(db.session, link, section.key, answers)
        db.session.commit()
        link = answering.open_link(db.session, token)
    # … When the administrator closes the round, and then the colleague's Send arrives
    final = script.close()
    with app.app_context():
        link.invitation = db.session.merge(link.invitation)
        with pytest.raises(LinkProblem) as refused:
            answering.submit(db.session, link)
        db.session.rollback()
        assert refused.value.reason == "closed"
        assert sum(pool.move_unit(db.session, r, s) for r, s in pool.due_units(db.session)) == 0
        aggregates.rebuild(db.session, script._round())  # `laget rebuild`, or any later publication
        db.session.commit()
    # Then the send is refused, and the final figures stay exactly as they were
    assert script.keep("rebuilt after the close") == final
    assert small_differences(final, script.snapshots[-1][1], K) == []


def _free_texts(html: str) -> list[str]:
    section = html.split('id="fritekst"', 1)[1].split("</section>", 1)[0] if 'id="fritekst"' in html else ""
    return re.findall(r"<li>(.*?)</li>", section)


def test_r2_no_list_of_free_texts_minus_another_leaves_fewer_than_ten(app, settings, client):
    # Given 15 texts at Lund skule and 5 at Heskestad, and the round closed
    script = ScriptedRound(app, settings, LUND, threshold=K)
    for n in range(15):
        script.arrive("L1", 1, fritekst=f"Lund skule, tekst {n}", **ASSISTANT)
    for n in range(5):
        script.arrive("L2", 1, fritekst=f"Heskestad: rektor tar aldri tak i mobbing ({n})", **ASSISTANT)
    script.close()
    with app.app_context():
        ids = {s.code: s.id for s in db.session.scalars(select(School))}
        lund = db.session.scalar(select(Kommune.id).where(Kommune.name == "Lund"))
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        db.session.commit()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": csrf_token(page), "email": "admin@example.org",
                                "password": PASSWORD})
    base = f"/resultater/{script.round_id}"
    kommune = set(_free_texts(client.get(f"{base}/kommune/{lund}").get_data(as_text=True)))
    big = set(_free_texts(client.get(f"{base}/skole/{ids['L1']}").get_data(as_text=True)))
    small = _free_texts(client.get(f"{base}/skole/{ids['L2']}").get_data(as_text=True))
    round_page = set(_free_texts(client.get(f"{base}/").get_data(as_text=True)))
    # Then Lund skule shows its 15, Heskestad's 5 are shown nowhere, so no difference gives them away
    assert len(big) == 15 and small == []
    assert kommune - big == set() and round_page - kommune == set()


def test_r6_r7_a_response_carries_the_day_it_was_stored_never_the_day_it_was_sent(app):
    # The pool row keeps no date at all, and a response gets the day its batch was stored
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("response_pool")}
        assert not {"submitted_on", "created_on", "created_at"} & columns
        assert "stored_on" in {c["name"] for c in inspect(db.engine).get_columns("response")}
        assert "submitted_on" not in Response.__table__.columns


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(st.tuples(st.sampled_from(["A1", "A2", "B1", "C1"]),
                               st.sampled_from(["skoleassistent", "bua", "sfo_leder", None]),
                               st.integers(1, 4)), min_size=3, max_size=14), seed=st.integers(0, 99))
def test_any_arrival_order_publishes_only_blocks(app, settings, plan, seed):
    """Random schools, groups and batch sizes arriving in any order, then the close: every figure at
    every step is a sum of blocks, and no class of respondents is smaller than k."""
    from webapp.extensions import db as database

    with app.app_context():  # hypothesis runs many examples in one test: start each from nothing
        for table in reversed(database.metadata.sorted_tables):
            database.session.execute(table.delete())
        database.session.commit()
    script = ScriptedRound(app, settings, "kommune,fylke,school_code,school_name,skoleslag\n"
                                          "Alfa,Nord,A1,A1 skole,grunnskole\n"
                                          "Alfa,Nord,A2,A2 skole,grunnskole\n"
                                          "Beta,Nord,B1,B1 skole,grunnskole\n"
                                          "Gamma,Sør,C1,C1 skole,grunnskole\n",
                           threshold=K, seed=seed)
    for code, rolle, count in plan:
        script.answer(code, count, b_rolle=rolle)  # None: they leave out their role (the rest group)
        script.deliver(code)
    script.close()
    assert script.check_blocks() == []
