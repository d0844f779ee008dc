"""What people type or import: control characters and odd digits give a message or are dropped, never a 500.

PostgreSQL refuses NUL in text, so on it these tests also show that nothing refused reaches the database.
"""
from __future__ import annotations

import random

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.integration.test_answering import answer_all, location, post_page, submit
from tests.integration.test_import_robustness import as_csv, responses_file
from webapp.cli import cli
from webapp.domain import sealing
from webapp.domain.simulate import simulate_answers
from webapp.models import Answer, Invitation, PooledResponse, Response, Round, School, User
from webapp.services import answering
from webapp.services.rounds import hash_token, set_status
from webapp.services.users import create_user

PASSWORD = "correct horse battery"


@pytest.fixture()
def laget(app, monkeypatch, settings):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", settings.secret_key)
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


def stored_free_texts(db_session) -> list[str]:  # noqa: ANN001
    """Close the round (which stores every pooled response) and return the stored free texts."""
    set_status(db_session, "Høst 2026", "closed")
    db_session.commit()
    return sorted(db_session.scalars(select(Answer.value).where(Answer.item_key == "fritekst")))


def test_control_characters_typed_into_free_text_are_dropped_and_the_answers_can_be_sent(
        client, invite, db_session, questionnaire):
    token = invite("S1")[0]
    answers = simulate_answers(questionnaire, random.Random(3))
    answers["fritekst"] = "Mer kurs\x00, takk\x1b!\r\nOg veiledning\x7f\ri\tgrupper"
    answer_all(client, token, answers, questionnaire)
    cleaned = "Mer kurs, takk!\nOg veiledning\ni\tgrupper"
    assert answering.open_link(db_session, token).answers["fritekst"] == cleaned
    db_session.rollback()
    sent = submit(client, token)
    assert sent.status_code == 302 and location(sent).endswith("/takk")
    assert stored_free_texts(db_session) == [cleaned]


def test_a_draft_and_a_pooled_response_kept_with_nul_before_the_fix_are_sent_and_stored_clean(
        app, client, invite, db_session, questionnaire):
    # Given a draft sealed with a NUL in its free text, as the answering pages kept it before …
    token, _other = invite("S1", 2)
    answers = simulate_answers(questionnaire, random.Random(5))
    answer_all(client, token, answers, questionnaire)
    invitation = db_session.scalars(select(Invitation).filter_by(token_hash=hash_token(token))).one()
    draft = answering.open_link(db_session, token).answers
    invitation.sealed_draft = sealing.seal(sealing.draft_key(token), {**draft, "fritekst": "gammel\x00tekst"},
                                           sealing.DRAFT_CONTEXT)
    # … and a response that went into the pool with one
    pooled = {**draft, "fritekst": "i poolen\x00 fra før"}
    answering.pool_response(db_session, invitation.round_id, invitation.school_id, pooled)
    db_session.commit()

    # When the draft is sent, Then the respondent is thanked, and both are stored without the NUL
    sent = submit(client, token)
    assert sent.status_code == 302 and location(sent).endswith("/takk")
    assert db_session.scalar(select(func.count()).select_from(PooledResponse)) == 2
    assert stored_free_texts(db_session) == ["gammeltekst", "i poolen fra før"]


@pytest.mark.parametrize("typed", ["²", "①", "⁵", "٦٠", "６０", "-60"])
def test_a_number_that_is_not_ascii_digits_gets_the_page_again_with_a_norwegian_message(
        client, invite, db_session, typed):
    token = invite("S1")[0]
    post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    response = post_page(client, token, "bakgrunn", {"b_elevrettet": "ja", "b_heltid": "deltid",
                                                     "b_stillingsprosent": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 422, response.status_code
    assert 'id="b_stillingsprosent-error"' in html and "Skriv et helt tall" in html
    assert "b_stillingsprosent" not in answering.open_link(db_session, token).answers


def test_a_number_with_spaces_between_digit_groups_is_still_a_number(client, invite, db_session):
    token = invite("S1")[0]
    post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    response = post_page(client, token, "bakgrunn", {"b_elevrettet": "ja", "b_heltid": "deltid",
                                                     "b_stillingsprosent": " 6\u00a00 "})
    assert response.status_code == 302
    assert answering.open_link(db_session, token).answers["b_stillingsprosent"] == 60


def test_a_log_in_e_mail_with_nul_is_refused_with_a_message(app, client, db_session):
    create_user(db_session, "admin@example.org", PASSWORD, "admin")
    db_session.commit()
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": csrf_token(page), "email": "admin@example.org\x00",
                                           "password": PASSWORD})
    assert response.status_code == 422
    said = response.get_data(as_text=True)
    assert "E-postadressen inneholder kontrolltegnet U+0000 (NUL); fjern det." in said


def test_an_api_unit_with_nul_is_not_found(client, open_round, db_session):
    create_user(db_session, "admin@example.org", PASSWORD, "admin")
    db_session.commit()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": csrf_token(page), "email": "admin@example.org",
                                "password": PASSWORD})
    round_id = db_session.scalar(select(Round.id))
    for level in ("school", "kommune", "fylke"):
        found = client.get(f"/api/v1/rounds/{round_id}/aggregates?level={level}&unit=S1%00")
        assert found.status_code == 404, (level, found.status_code)


def test_imported_numbers_take_ascii_digits_only(laget, tmp_path, open_round, questionnaire, db_session):
    rows = responses_file(questionnaire, 3)
    rows[1]["b_stillingsprosent"], rows[2]["b_stillingsprosent"] = "٦٠", "²"
    column = ["school_code", *questionnaire.items].index("b_stillingsprosent") + 1
    path = tmp_path / "svar.csv"
    path.write_text(as_csv(questionnaire, rows), encoding="utf-8")
    result = laget("import-responses", "--round", open_round, str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"linje 3, kolonne {column} (b_stillingsprosent): «٦٠» er ikke et helt tall" in result.output
    assert f"linje 4, kolonne {column} (b_stillingsprosent): «²» er ikke et helt tall" in result.output
    assert db_session.scalar(select(func.count()).select_from(Response)) == 0


def test_imported_names_are_one_line_and_kommunenummer_ascii_digits(laget, tmp_path, db_session):
    path = tmp_path / "skoler.csv"
    path.write_text("kommune,fylke,school_code,school_name,skoleslag,kommunenummer\n"
                    'Fjordvik,Vestland,A1,"Alfa\nskole",grunnskole,4601\n'
                    "Elvdal,Vestland,A2,Beta\tskole,grunnskole,١٨١٨\n", encoding="utf-8")
    result = laget("import-org", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "linje 3, kolonne 4 (school_name): inneholder kontrolltegnet U+000A" in result.output
    assert "linje 4, kolonne 4 (school_name): inneholder kontrolltegnet U+0009" in result.output
    assert "linje 4, kolonne 6 (kommunenummer): «١٨١٨» er ikke et kommunenummer" in result.output
    assert db_session.scalar(select(func.count()).select_from(School)) == 0


def test_the_command_line_refuses_control_characters_in_names_and_e_mail(laget, open_round, db_session):
    made = laget("user", "create", "--email", "admin\x01@example.org", "--role", "admin",
                 "--password", PASSWORD)
    assert made.exit_code != 0
    assert "E-postadressen inneholder kontrolltegnet U+0001; fjern det." in made.output
    named = laget("round", "create", "--survey", "kompetanse-og-anerkjennelse", "--name", "Vår\x1b 2027")
    assert named.exit_code != 0
    assert "Navnet på runden inneholder kontrolltegnet U+001B; fjern det." in named.output
    assert db_session.scalar(select(func.count()).select_from(User)) == 0
    assert db_session.scalar(select(func.count()).select_from(Round)) == 1
