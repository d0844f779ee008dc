"""The leader questionnaire: who may answer, what a save keeps, and the perception-gap panel's figures."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token
from webapp.domain.simulate import simulate_answers
from webapp.extensions import db
from webapp.models import LeaderAnswer, School
from webapp.services import aggregates, answering, leader, org, rounds
from webapp.services.users import create_user

PASSWORD = "correct horse battery"
GROUPS = ("bua", "assistent", "laerer_ug", "sfo_leder", "miljoterapeut_bsv", "annet")


def log_in(client, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert client.post("/login", data={"csrf_token": csrf_token(page), "email": email,
                                       "password": PASSWORD}).status_code == 302


def school_id(code: str) -> int:
    return db.session.scalar(select(School.id).filter_by(code=code))


def answer_as(role: str, path: str, client, data: dict[str, str]):
    page = client.get(path)
    return page, client.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True)), **data})


@pytest.fixture()
def accounts(app, open_round):
    with app.app_context():
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        create_user(db.session, "leder@example.org", PASSWORD, "skoleleder").school_id = school_id("S1")
        create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt").school_ids = [school_id("S1"),
                                                                                        school_id("S2")]
        found = rounds.get_round(db.session, open_round)
        db.session.commit()
        return found.id, school_id("S1"), school_id("S2")


def test_a_leader_of_the_school_saves_answers_and_the_last_save_wins_with_who_and_when(client, app, accounts):
    round_id, s1, _s2 = accounts
    log_in(client, "leder@example.org")
    path = f"/leder/{round_id}/skole/{s1}"
    # Given the school's dashboard links to the questionnaire
    assert path in client.get(f"/resultater/{round_id}/skole/{s1}").get_data(as_text=True)
    # When the leader answers for two groups and marks one as not at the school
    page, saved = answer_as("skoleleder", path, client, {
        "bua-leder_plan": "ja", "bua-leder_roller": "nei", "bua-leder_felles": "ja",
        "assistent-leder_plan": "nei", "assistent-leder_roller": "nei", "assistent-leder_felles": "nei",
        "laerer_ug-absent": "y"})
    assert "signed statement" in page.get_data(as_text=True) or "underskrevne" in page.get_data(as_text=True)
    assert saved.status_code == 302
    with app.app_context():
        rows = {r.yrkesgruppe: r for r in db.session.scalars(select(LeaderAnswer))}
        assert set(rows) == {"bua", "assistent", "laerer_ug"}
        bua = rows["bua"]
        assert (bua.leder_plan, bua.leder_roller, bua.leder_felles) == (True, False, True)
        assert not rows["laerer_ug"].present and rows["laerer_ug"].leder_plan is None
        assert rows["bua"].answered_by_id is not None and rows["bua"].answered_at is not None
    # When they save again with one group only, Then that is the school's whole set
    _page, saved = answer_as("skoleleder", path, client, {
        "sfo_leder-leder_plan": "ja", "sfo_leder-leder_roller": "ja", "sfo_leder-leder_felles": "ja"})
    assert saved.status_code == 302
    with app.app_context():
        assert [r.yrkesgruppe for r in db.session.scalars(select(LeaderAnswer))] == ["sfo_leder"]
        assert leader.saved_answers(db.session, round_id, s1).answered_by == "leder@example.org"
    assert 'value="ja" checked' in client.get(path).get_data(as_text=True)


def test_half_answers_and_contradictions_get_a_clear_message_and_nothing_is_saved(client, app, accounts):
    round_id, s1, _s2 = accounts
    log_in(client, "leder@example.org")
    path = f"/leder/{round_id}/skole/{s1}"
    _page, refused = answer_as("skoleleder", path, client, {
        "bua-leder_plan": "ja", "annet-absent": "y", "annet-leder_felles": "nei",
        "assistent-leder_roller": "kanskje"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Svar på alle tre utsagnene for Barne- og ungdomsarbeider" in body
    assert "Du har krysset av for at Annet ikke finnes ved skolen" in body
    assert "Velg ja eller nei." in body
    _page, empty = answer_as("skoleleder", path, client, {})
    assert "Svar for minst én gruppe" in empty.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(LeaderAnswer)).all() == []


def test_only_a_leader_of_that_school_may_answer(client, app, accounts):
    round_id, s1, s2 = accounts
    log_in(client, "leder@example.org")
    assert client.get(f"/leder/{round_id}/skole/{s2}").status_code == 404  # another school: as if missing
    client.post("/logout", data={"csrf_token": csrf_token(client.get(f"/resultater/{round_id}/skole/{s1}")
                                                          .get_data(as_text=True))})
    for email in ("tv@example.org", "admin@example.org"):
        log_in(client, email)
        school_page = client.get(f"/resultater/{round_id}/skole/{s1}").get_data(as_text=True)
        assert f"/leder/{round_id}/skole/{s1}" not in school_page
        assert client.get(f"/leder/{round_id}/skole/{s1}").status_code == 403
        assert client.post(f"/leder/{round_id}/skole/{s1}", data={
            "csrf_token": csrf_token(school_page), "bua-absent": "y"}).status_code == 403
        client.post("/logout", data={"csrf_token": csrf_token(school_page)})
    with app.app_context():
        assert db.session.scalars(select(LeaderAnswer)).all() == []
        # and the service says the same to any caller
        found = rounds.get_round(db.session, "Høst 2026")
        admin = db.session.scalar(select(leader.User).filter_by(email="admin@example.org"))
        with pytest.raises(leader.LeaderRefused):
            leader.save_answers(db.session, admin, found, s1, {"bua": leader.GroupAnswer(False)})


def test_a_closed_round_refuses_changes_and_shows_the_answers(client, app, accounts):
    round_id, s1, _s2 = accounts
    log_in(client, "leder@example.org")
    path = f"/leder/{round_id}/skole/{s1}"
    page = client.get(path).get_data(as_text=True)
    with app.app_context():
        leader.save_answers(db.session, None, rounds.get_round(db.session, "Høst 2026"), s1,
                            {"bua": leader.GroupAnswer(True, {"leder_plan": True, "leder_roller": True,
                                                              "leder_felles": False})})
        rounds.set_status(db.session, "Høst 2026", "closed")
        db.session.commit()
    refused = client.post(path, data={"csrf_token": csrf_token(page), "bua-absent": "y"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Runden er stengt" in body and "disabled" in body
    with app.app_context():
        assert db.session.scalar(select(LeaderAnswer.present)) is True
        with pytest.raises(leader.LeaderRefused):
            leader.save_answers(db.session, None, rounds.get_round(db.session, "Høst 2026"), s1, {})


# --- The panel's figures ------------------------------------------------------------------------------

ORG = "kommune,fylke,school_code,school_name,skoleslag\n" + "".join(
    f"{kommune},Vestland,{code},Skole {code},grunnskole\n"
    for kommune, codes in (("Fjordvik", ["A1", "A2", "A3", "A4", "A5"]), ("Elvdal", ["B1", "B2"]))
    for code in codes)


def staffed_round(app, settings, close: bool, leaders: dict[str, dict[str, tuple[bool, bool, bool]]]) -> int:
    """Seven schools in two kommuner; at each, six assistants answer (their group is published) and two
    barne- og ungdomsarbeidere (never published at the school); the leaders answer `leaders`."""
    rng = random.Random(7)
    with app.app_context():
        org.import_org(db.session, ORG)
        found = rounds.create_round(db.session, settings.surveys_dir, "kompetanse-og-anerkjennelse", "Runde")
        rounds.set_status(db.session, "Runde", "open")
        for code in ("A1", "A2", "A3", "A4", "A5", "B1", "B2"):
            for n, token in enumerate(rounds.create_invitations(db.session, found, code, 8)):
                link = answering.open_link(db.session, token)
                answers = {**simulate_answers(link.questionnaire, rng), "b_rolle": "skoleassistent" if n < 6
                           else "bua", "plan_kompetanse": "5" if n % 2 else "2", "roller_avklart": "4",
                           "felles_kompetanseheving": "1"}
                answering.store_response(db.session, link.questionnaire, found.id, link.invitation.school_id,
                                         answers)
        for code, groups in leaders.items():
            leader.save_answers(db.session, None, found, school_id(code), {
                g: leader.GroupAnswer(True, dict(zip(("leder_plan", "leder_roller", "leder_felles"), said)))
                for g, said in groups.items()})
        aggregates.rebuild(db.session, found)
        if close:
            rounds.set_status(db.session, "Runde", "closed")
            aggregates.rebuild(db.session, found)
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        db.session.commit()
        return found.id


def panel_page(client, round_id: int, path: str) -> str:
    page = client.get(f"/resultater/{round_id}/{path}").get_data(as_text=True)
    if 'id="leder_og_ansatte"' not in page:
        return ""
    # Table cells may break after a slash (<wbr>); the checks read the text.
    return page.split('id="leder_og_ansatte"')[1].split("</section>")[0].replace("<wbr>", "")


def test_a_school_shows_the_leader_beside_published_staff_groups_only(client, app, settings):
    round_id = staffed_round(app, settings, False, {"A1": {"assistent": (True, True, True),
                                                           "bua": (False, False, False)}})
    log_in(client, "admin@example.org")
    with app.app_context():
        a1 = school_id("A1")
    panel = panel_page(client, round_id, f"skole/{a1}")
    assert "Skoleassistent/miljøarbeider" in panel and "50" in panel  # half the assistants said 4-5
    # the barne- og ungdomsarbeidere are not published at A1: not named, not even with the leader's answer
    assert "Barne- og ungdomsarbeider" not in panel
    with app.app_context():
        a2 = school_id("A2")
    assert panel_page(client, round_id, f"skole/{a2}") == ""  # no leader answers: no panel


def panel_rows(app, settings, level: str, unit: str | None) -> dict[tuple[str, str], list]:
    """The perception-gap panel's rows of a unit, as an administrator's page has them: (statement, group)."""
    from webapp.models import Kommune, User
    from webapp.services import dashboard

    with app.app_context():
        found = rounds.get_round(db.session, "Runde")
        admin = db.session.scalar(select(User).filter_by(email="admin@example.org"))
        unit_id = db.session.scalar(select(Kommune.id).filter_by(name=unit)) if unit else 0
        panel = dashboard.dashboard_page(db.session, found, level, unit_id, "nb", admin,
                                         settings.surveys_dir).panel("leder_og_ansatte")
        return {(row[0], row[1]): row for row in panel.rows}


PLAN, ASSISTANTS, ALL_GROUPS = ("Plan for å utnytte kompetansen", "Skoleassistent/miljøarbeider",
                                "Alle grupper")
SAID = {"A1": (True, True, True), "A2": (True, False, True), "A3": (False, True, True),
        "A4": (False, True, True), "A5": (True, True, False), "B1": (True, True, True),
        "B2": (False, False, False)}


def test_above_the_school_leader_shares_wait_for_the_close(app, settings):
    staffed_round(app, settings, False, {code: {"assistent": said} for code, said in SAID.items()})
    rows = panel_rows(app, settings, "kommune", "Fjordvik")
    assert rows[(PLAN, ASSISTANTS)][2:4] == ["når runden er stengt", "–"]
    assert rows[(PLAN, ASSISTANTS)][4:] == [50.0, 30]  # the staff side is published as it is


def test_a_kommune_shows_the_leader_share_from_k_leaders_and_hides_it_below(app, settings):
    # Given five leaders in Fjordvik (k = 5) and two in Elvdal, about the assistants (published at every
    # school) and the barne- og ungdomsarbeidere (two at each school: never published at a school)
    leaders = {code: {"assistent": said, "bua": (True, True, True)} for code, said in SAID.items()}
    staffed_round(app, settings, True, leaders)
    fjordvik = panel_rows(app, settings, "kommune", "Fjordvik")
    # Then Fjordvik's five are shown: 3 of 5 said yes to a plan for the assistants
    assert fjordvik[(PLAN, ASSISTANTS)][2:4] == [60.0, 5]
    assert fjordvik[(PLAN, ALL_GROUPS)][2:4] == [60.0, 5]
    # the bua statements sit beside no published staff figure at their school: counted nowhere
    assert not any(group.startswith("Barne") and row[3] != "–" for (_s, group), row in fjordvik.items())
    # Elvdal's two leaders are hidden; the fylke and the round add up Fjordvik's block only
    elvdal = panel_rows(app, settings, "kommune", "Elvdal")
    assert elvdal[(PLAN, ASSISTANTS)][2] == "skjult (færre enn 5 ledere)"
    assert panel_rows(app, settings, "round", None)[(PLAN, ASSISTANTS)][2:4] == [60.0, 5]


def test_the_close_window_shows_no_leader_share_and_says_it_waits_for_the_final_figures(app, settings):
    # Given a round closed, whose final publication has not run yet (it failed, or is still to come)
    staffed_round(app, settings, False, {code: {"assistent": said} for code, said in SAID.items()})
    with app.app_context():
        rounds.set_status(db.session, "Runde", "closed")
        db.session.commit()
    rows = panel_rows(app, settings, "kommune", "Fjordvik")
    assert rows[(PLAN, ASSISTANTS)][2:4] == ["med de endelige tallene", "–"]
    # When it runs, Then the shares are counted and stored, once
    with app.app_context():
        aggregates.rebuild(db.session, rounds.get_round(db.session, "Runde"))
        db.session.commit()
    assert panel_rows(app, settings, "kommune", "Fjordvik")[(PLAN, ASSISTANTS)][2:4] == [60.0, 5]


def test_a_round_published_before_leader_shares_were_stored_gets_them_at_its_next_rebuild(app, settings):
    from webapp.models import LeaderShareRow

    leaders = {code: {"assistent": said} for code, said in SAID.items()}
    round_id = staffed_round(app, settings, True, leaders)
    with app.app_context():  # as the migration leaves a round finally published before it
        db.session.execute(LeaderShareRow.__table__.delete())
        found = rounds.get_round(db.session, "Runde")
        final_at, found.leaders_counted_at = found.final_published_at, None
        db.session.commit()
    waiting = panel_rows(app, settings, "kommune", "Fjordvik")[(PLAN, ASSISTANTS)]
    assert waiting[2] == "med de endelige tallene"
    # When the scheduled reconciliation runs (or `laget rebuild`: the same publication), it counts them once
    from workers import actors
    from workers.scheduler import enqueue_reconciliations

    assert enqueue_reconciliations(app) == 1
    with app.app_context():
        actors.reconcile_round.fn(round_id)
        found = db.session.get(type(found), round_id)
        assert found.final_published_at == final_at and found.leaders_counted_at is not None
    assert enqueue_reconciliations(app) == 0
    assert panel_rows(app, settings, "kommune", "Fjordvik")[(PLAN, ASSISTANTS)][2:4] == [60.0, 5]
    assert panel_rows(app, settings, "round", None)[(PLAN, ASSISTANTS)][2:4] == [60.0, 5]
