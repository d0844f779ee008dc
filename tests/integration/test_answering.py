"""Answering through the real web stack (test client, CSRF on) against the session's database."""
import random

from sqlalchemy import func, select

from tests.conftest import csrf_token
from webapp.domain.simulate import simulate_answers
from webapp.models import Answer, Invitation, OutboxEvent, PooledResponse, Response, ScreenOutCount
from webapp.services import answering
from webapp.services.rounds import set_status


def post_page(client, token, key, answers, nav="next"):
    page = client.get(f"/s/{token}/side/{key}")
    assert page.status_code == 200, page.status_code
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "nav": nav, **answers}
    return client.post(f"/s/{token}/side/{key}", data=data)


def location(response) -> str:
    return response.headers.get("Location", "")


def answer_all(client, token, answers, questionnaire):
    """Walk the pages the way the browser does, following the server's redirects."""
    key = location(client.get(f"/s/{token}")).rsplit("/", 1)[-1]
    visited = []
    while key != "oppsummering":
        section = questionnaire.section(key)
        response = post_page(client, token, key,
                             {i.key: answers[i.key] for i in section.items if i.key in answers})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        visited.append(key)
        key = location(response).rsplit("/", 1)[-1]
    return visited


def submit(client, token):
    summary = client.get(f"/s/{token}/oppsummering")
    assert summary.status_code == 200
    return client.post(f"/s/{token}/oppsummering",
                       data={"csrf_token": csrf_token(summary.get_data(as_text=True))})


def test_whole_questionnaire_is_stored_once_and_anonymously(client, invite, db_session, questionnaire):
    token = invite("S1")[0]
    answers = simulate_answers(questionnaire, random.Random(3))
    answers.update({"arbeid_fravaer": "1", "utvikling_aktiviteter": ["kurs", "veiledning"],
                    "fritekst": "Bra!"})
    visited = answer_all(client, token, answers, questionnaire)
    assert "elevgrupper_behov" in visited or all(int(answers[f"arbeid_{g}"]) < 3 for g in ("fravaer",))

    # When the summary is sent twice (a double click or a replayed POST) …
    summary = client.get(f"/s/{token}/oppsummering").get_data(as_text=True)
    form = {"csrf_token": csrf_token(summary)}
    first = client.post(f"/s/{token}/oppsummering", data=form)
    second = client.post(f"/s/{token}/oppsummering", data=form)
    assert first.status_code == 302 and location(first).endswith("/takk")
    assert second.status_code == 410 and "Du har allerede svart" in second.get_data(as_text=True)
    assert client.get(f"/s/{token}/takk").status_code == 200

    # … then exactly one response waits in the pool and the draft is gone; once the pool is emptied
    # (here by closing the round) exactly one response holds the answers and one event waits in the outbox.
    assert db_session.scalar(select(func.count()).select_from(PooledResponse)) == 1
    assert db_session.scalars(select(Invitation)).one().sealed_draft is None
    set_status(db_session, "Høst 2026", "closed")
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(Response)) == 1
    response = db_session.scalars(select(Response)).one()
    stored = {}
    for row in db_session.scalars(select(Answer).where(Answer.response_id == response.id)):
        stored.setdefault(row.item_key, []).append(row.value)
    assert stored["utvikling_aktiviteter"] == ["kurs", "veiledning"]
    assert stored["fritekst"] == ["Bra!"] and "behov_fravaer" not in stored
    assert stored["b_rolle"] == [answers["b_rolle"]]
    invitation = db_session.scalars(select(Invitation)).one()
    assert invitation.state == "responded" and invitation.sealed_draft is None
    assert db_session.scalar(select(func.count()).select_from(PooledResponse)) == 0
    assert db_session.scalar(select(func.count()).select_from(OutboxEvent)) == 1
    assert len(response.id) == 32 and response.id != str(invitation.id)


def test_leaving_after_page_three_resumes_at_page_four(client, invite, questionnaire):
    token = invite("S2")[0]
    post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    post_page(client, token, "bakgrunn", {"b_elevrettet": "ja", "b_rolle": "bua", "b_heltid": "deltid",
                                          "b_stillingsprosent": "60"})
    third = post_page(client, token, "elevgrupper_arbeid",
                      {"arbeid_saerskilte_behov": "4", "arbeid_fravaer": "2"})
    assert location(third).endswith("/side/elevgrupper_behov")

    # Given a new browser (no cookies) opening the same link later
    client.delete_cookie("session")
    resumed = client.get(f"/s/{token}")
    assert location(resumed).endswith("/side/elevgrupper_behov")
    page = client.get(location(resumed)).get_data(as_text=True)
    assert 'name="behov_saerskilte_behov"' in page and 'name="behov_fravaer"' not in page
    background = client.get(f"/s/{token}/side/bakgrunn").get_data(as_text=True)
    assert 'value="60"' in background and 'value="bua" checked' in background


def test_a_later_page_cannot_be_skipped_to(client, invite):
    token = invite("S1")[0]
    response = client.get(f"/s/{token}/side/anerkjennelse")
    assert response.status_code == 302 and location(response).endswith("/side/samtykke")
    assert location(client.get(f"/s/{token}/oppsummering")).endswith("/side/samtykke")


def test_validation_messages_are_norwegian_and_next_to_the_field(client, invite):
    token = invite("S1")[0]
    post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    response = post_page(client, token, "bakgrunn", {"b_elevrettet": "ja", "b_heltid": "deltid",
                                                     "b_stillingsprosent": "150"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="b_stillingsprosent-error"' in html and "Skriv et tall fra 1 til 100" in html
    letters = post_page(client, token, "bakgrunn", {"b_elevrettet": "ja", "b_heltid": "deltid",
                                                    "b_stillingsprosent": "seksti"})
    assert "Skriv et helt tall" in letters.get_data(as_text=True)
    missing = post_page(client, token, "samtykke", {})
    assert missing.status_code == 422 and "Svar på dette spørsmålet" in missing.get_data(as_text=True)


def test_exclusive_option_error_names_the_option(client, invite, db_session):
    token = invite("S1")[0]
    post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    for key in ("bakgrunn", "elevgrupper_arbeid", "tema", "utdanning", "kompetanse", "kontakt", "samarbeid"):
        post_page(client, token, key, {"b_elevrettet": "ja"} if key == "bakgrunn" else {})
    response = post_page(client, token, "utvikling", {"utvikling_aktiviteter": ["kurs", "ingen"]})
    assert response.status_code == 422
    assert "«Har ikke deltatt på noen av disse» kan ikke kombineres" in response.get_data(as_text=True)


def confirm_end(client, token):
    """Press «Ja, avslutt undersøkelsen» on the page that asks before a screening answer ends the survey."""
    page = client.get(f"/s/{token}/avslutt")
    assert page.status_code == 200
    return client.post(f"/s/{token}/avslutt", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def test_declining_consent_stores_nothing_but_a_count(client, invite, db_session):
    token = invite("S3")[0]
    response = post_page(client, token, "samtykke", {"b_samtykke": "nei"})
    assert location(response).endswith("/avslutt")
    response = confirm_end(client, token)
    assert location(response).endswith("/slutt")
    assert "valgt å ikke være med" in client.get(location(response)).get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(Response)) == 0
    assert db_session.scalars(select(ScreenOutCount)).one().count == 1
    assert db_session.scalars(select(Invitation)).one().sealed_draft is None
    assert client.get(f"/s/{token}").status_code == 410


def test_not_working_with_pupils_ends_politely(client, invite, db_session):
    token = invite("S3")[0]
    post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    response = post_page(client, token, "bakgrunn", {"b_elevrettet": "admin", "b_rolle": "annet"})
    assert location(response).endswith("/avslutt")
    assert location(confirm_end(client, token)).endswith("/slutt")
    assert db_session.scalars(select(ScreenOutCount)).one().reason == "out_of_scope"


def test_unknown_used_and_closed_links_get_clear_pages(client, invite, app, questionnaire):
    assert client.get("/s/this-is-not-a-token").status_code == 404
    unknown = client.get("/s/this-is-not-a-token/side/samtykke")
    assert "Vi fant ikke denne lenken" in unknown.get_data(as_text=True)

    token = invite("S1")[0]
    answer_all(client, token, simulate_answers(questionnaire, random.Random(1)), questionnaire)
    submit(client, token)
    used = client.get(f"/s/{token}/side/samtykke")
    assert used.status_code == 410 and "Du har allerede svart" in used.get_data(as_text=True)

    open_token = invite("S1")[0]
    from webapp.extensions import db
    with app.app_context():
        set_status(db.session, "Høst 2026", "closed")
        db.session.commit()
    closed = client.get(f"/s/{open_token}")
    assert closed.status_code == 410 and "Undersøkelsen er stengt" in closed.get_data(as_text=True)


def test_a_post_without_csrf_token_is_refused_and_saves_nothing(client, invite, db_session):
    token = invite("S1")[0]
    response = client.post(f"/s/{token}/side/samtykke", data={"b_samtykke": "ja"})
    assert response.status_code == 400 and "Siden hadde gått ut på tid" in response.get_data(as_text=True)
    assert db_session.scalars(select(Invitation)).one().sealed_draft is None


def test_back_keeps_the_answers_of_the_page(client, invite, db_session):
    token = invite("S1")[0]
    post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    back = post_page(client, token, "bakgrunn", {"b_elevrettet": "ja", "b_fast": "fast"}, nav="back")
    assert location(back).endswith("/side/samtykke")
    assert answering.open_link(db_session, token).answers["b_fast"] == "fast"


def test_the_page_is_offered_in_nynorsk_and_english(client, invite):
    token = invite("S1")[0]
    nynorsk = client.get(f"/s/{token}/side/samtykke?lang=nn").get_data(as_text=True)
    assert 'lang="nn"' in nynorsk and "Neste" in nynorsk
    english = client.get(f"/s/{token}/side/samtykke?lang=en").get_data(as_text=True)
    assert "I have read the information" in english and ">Next<" in english
