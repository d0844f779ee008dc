"""The `laget` command line: names and behaviour are a contract."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import func, select

from webapp.config import PROJECT_ROOT
from webapp.models import Invitation, School, SurveyVersion
from webapp.services.rounds import hash_token


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


ORG = "kommune,fylke,school_code,school_name,skoleslag\n" \
      "Fjordvik,Vestland,A1,Alfa skole,grunnskole\nFjordvik,Vestland,A2,Beta skole,vgs\n" \
      "Elvdal,Vestland,B1,Gamma skole,grunnskole\n"


def test_surveys_check_passes_on_the_shipped_definitions(laget):
    result = laget("surveys", "check")
    assert result.exit_code == 0 and "1 definition(s) OK" in result.output


def test_surveys_check_lists_every_error_with_its_path(laget, tmp_path, monkeypatch):
    broken = tmp_path / "kompetanse-og-anerkjennelse"
    broken.mkdir()
    text = (PROJECT_ROOT / "surveys/kompetanse-og-anerkjennelse/v1.yaml").read_text(encoding="utf-8")
    text = text.replace("scale: grad5s", "scale: grad7", 1).replace("item: b_heltid", "item: b_deltid", 1)
    (broken / "v1.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(PROJECT_ROOT / "surveys" / "vocabulary", tmp_path / "vocabulary")
    monkeypatch.setenv("LAGET_SURVEYS_DIR", str(tmp_path))
    result = laget("surveys", "check")
    assert result.exit_code == 1
    assert "unknown scale 'grad7'" in result.output and "unknown item 'b_deltid'" in result.output
    assert "v1.yaml: sections[" in result.output and "2 error(s) in 1 definition(s)" in result.output


def test_import_org_is_all_or_nothing_with_line_and_column(laget, tmp_path, db_session):
    bad = ORG + "Elvdal,Vestland,A1,Dobbel skole,grunnskole\nElvdal,Vestland,B2,Delta skole,ungdomsskole\n"
    result = laget("import-org", write(tmp_path, "org.csv", bad))
    assert result.exit_code == 1
    assert "linje 5, kolonne 3 (school_code): skolekoden A1 står også på linje 2" in result.output
    assert "linje 6, kolonne 5 (skoleslag): «ungdomsskole» er ikke en skoletype" in result.output
    assert db_session.scalar(select(func.count()).select_from(School)) == 0

    good = laget("import-org", write(tmp_path, "org.csv", ORG))
    assert good.exit_code == 0 and "3 new" in good.output
    assert db_session.scalar(select(func.count()).select_from(School)) == 3


def test_import_org_reports_missing_columns(laget, tmp_path):
    result = laget("import-org", write(tmp_path, "org.csv", "kommune,fylke,school_code\nX,Y,Z\n"))
    assert result.exit_code == 1
    assert "linje 1: kolonnen «school_name» mangler" in result.output


def test_round_lifecycle_invite_and_status(laget, tmp_path, db_session):
    laget("import-org", write(tmp_path, "org.csv", ORG))
    created = laget("round", "create", "--survey", "kompetanse-og-anerkjennelse", "--name", "Vår 2027",
                  "--kommune", "Fjordvik")
    assert created.exit_code == 0, created.output
    assert laget("round", "open", "Vår 2027").exit_code == 0

    links = laget("invite", "--round", "Vår 2027", "--school", "A2", "--count", "3").output.split()
    assert len(links) == 3 and all(link.startswith("http://laget.test/s/") for link in links)
    tokens = [link.rsplit("/", 1)[1] for link in links]
    assert all(len(t) >= 32 for t in tokens)  # 24 random bytes, url-safe: 192 bits
    stored = set(db_session.scalars(select(Invitation.token_hash)))
    assert stored == {hash_token(t) for t in tokens} and not stored & set(tokens)

    not_in_round = laget("invite", "--round", "Vår 2027", "--school", "B1", "--count", "1")
    assert not_in_round.exit_code == 1 and "er ikke med i runden" in not_in_round.output

    status = json.loads(laget("round", "status", "Vår 2027", "--format", "json").output)
    assert status["status"] == "open"
    assert {s["school_code"]: (s["invitations"], s["responses"], s["under_threshold"])
            for s in status["schools"]} == {"A1": (0, None, True), "A2": (3, None, True)}
    assert laget("round", "close", "Vår 2027").exit_code == 0
    again = laget("round", "close", "Vår 2027")
    assert again.exit_code == 1 and "har status closed" in again.output
    reopened = laget("round", "open", "Vår 2027")  # final: answers after the close could be read off
    assert reopened.exit_code == 1 and "har status closed" in reopened.output


def test_a_changed_published_version_must_be_bumped(laget, tmp_path, monkeypatch, app):
    # No app context is held here, so each command builds its app from the environment (LAGET_SURVEYS_DIR).
    laget("import-org", write(tmp_path, "org.csv", ORG))
    surveys = tmp_path / "surveys"
    shutil.copytree(PROJECT_ROOT / "surveys", surveys)
    monkeypatch.setenv("LAGET_SURVEYS_DIR", str(surveys))
    assert laget("round", "create", "--survey", "kompetanse-og-anerkjennelse", "--name", "R1").exit_code == 0

    definition = surveys / "kompetanse-og-anerkjennelse" / "v1.yaml"
    definition.write_text(definition.read_text(encoding="utf-8").replace(
        "Elevene verdsetter meg", "Elevene setter pris på meg"), encoding="utf-8")
    result = laget("round", "create", "--survey", "kompetanse-og-anerkjennelse", "--name", "R2")
    assert result.exit_code == 1 and "save your change as v2.yaml" in result.output
    published = laget("surveys", "publish")
    assert published.exit_code == 1 and "is already published with different content" in published.output
    with app.app_context():
        from webapp.extensions import db
        assert db.session.scalar(select(func.count()).select_from(SurveyVersion)) == 1


def test_unknown_round_is_a_clear_error(laget):
    result = laget("round", "open", "Finnes ikke")
    assert result.exit_code == 1 and "Det finnes ingen runde som heter «Finnes ikke»" in result.output


def test_closing_a_round_releases_what_is_left_where_it_makes_a_block(laget, app, open_round, invite):
    import random

    from webapp.domain.simulate import simulate_answers
    from webapp.extensions import db
    from webapp.models import Aggregate, Kommune, Round
    from webapp.services import aggregates, answering

    def answer(code: str, count: int, seed: int, rolle: str) -> None:
        rng = random.Random(seed)
        with app.app_context():
            for token in invite(code, count):
                link = answering.open_link(db.session, token)
                answers = {**simulate_answers(link.questionnaire, rng), "b_rolle": rolle}
                answering.store_response(db.session, link.questionnaire, link.round.id,
                                         link.invitation.school_id, answers)
            found = db.session.scalar(select(Round).filter_by(name=open_round))
            school = db.session.scalar(select(School.id).filter_by(code=code))
            aggregates.refresh_school(db.session, found, school)  # live only: no publication here
            db.session.commit()

    def shown(level: str, name: str) -> int:
        with app.app_context():
            model = School if level == "school" else Kommune
            key = model.code if level == "school" else model.name
            unit = db.session.scalar(select(model.id).where(key == name))
            return db.session.scalar(select(Aggregate.respondents).filter_by(
                kind="published", level=level, unit_id=unit, grouping="all"))

    # Given 7 school assistants at S1 in the figures, then 2 more at S1 and 3 at S2 not yet
    answer("S1", 7, 1, "skoleassistent")
    with app.app_context():
        aggregates.rebuild(db.session, db.session.scalar(select(Round).filter_by(name=open_round)))
        db.session.commit()
    answer("S1", 2, 2, "skoleassistent")
    answer("S2", 3, 3, "bua")
    assert (shown("school", "S1"), shown("kommune", "Fjordvik")) == (7, 7)
    # When the round closes
    closed = laget("round", "close", open_round)
    assert closed.exit_code == 0 and "final figures published" in closed.output
    # Then the 2 + 3 left make a block in Fjordvik, which shows all 12; S1 keeps its 7
    assert (shown("school", "S1"), shown("kommune", "Fjordvik")) == (7, 12)
