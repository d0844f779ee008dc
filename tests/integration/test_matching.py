"""Stored gaps and matches: recomputed where published figures changed, idempotent, every reason built
from published numbers, no hidden group named."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import func, select

from tests.conftest import publish_closed_round
from webapp.extensions import db
from webapp.models import CourseMatch, Round, School, UnitGap
from webapp.services import matching
from webapp.services.gaps import BY
from webapp.services.results import unit_figures

ORG = ("kommune,fylke,school_code,school_name,skoleslag\n"
       "Indre,Vestland,S1,Stor skole,grunnskole\n"
       "Indre,Vestland,S2,Mellom skole,grunnskole\n"
       "Indre,Vestland,L1,Liten skole,grunnskole\n")


@dataclass(frozen=True)
class Course:
    code: str
    areas: tuple
    yrkesgrupper: tuple = ()
    format: str = "kurs"
    fee_nok: int = 1000
    funding_share: float = 0.0
    active: bool = True


COURSES = [Course("PALS", ("atferd", "klassemiljo"), format="veiledning"),
           Course("PSYK", ("psykisk_helse",), ("bua", "assistent"), "studiepoeng", 800),
           Course("SFO", ("relasjon",), ("sfo_leder",), "nettkurs"),
           Course("FAG", ("fagbrev_bua",), ("bua", "assistent"), "fagbrev", 12000, 0.5),
           Course("OLD", ("atferd",), active=False)]


@pytest.fixture()
def found(app, settings):
    with app.app_context():
        round_id = publish_closed_round(settings, ORG, "Vår 2027", {"S1": 60, "S2": 40, "L1": 3}, seed=11)
        yield db.session.get(Round, round_id)


def test_recompute_stores_the_changed_units_once_and_again_when_the_catalogue_changes(found, settings):
    first = matching.recompute(db.session, found, COURSES, settings.surveys_dir)
    assert first.units == 4  # three schools and their kommune have published figures
    assert matching.recompute(db.session, found, COURSES, settings.surveys_dir).units == 0
    cheaper = [replace(c, fee_nok=0) if c.code == "PSYK" else c for c in COURSES]
    assert matching.recompute(db.session, found, cheaper, settings.surveys_dir).units == 4
    small = db.session.scalar(select(School.id).where(School.code == "L1"))
    assert matching.stored_gaps(db.session, found, "school", small) == []
    assert matching.stored_matches(db.session, found, "school", small) == []


def test_every_reason_quotes_published_numbers_and_never_a_hidden_group(found, settings):
    matching.recompute(db.session, found, COURSES, settings.surveys_dir)
    rows = db.session.scalars(select(CourseMatch)).all()
    assert rows and "OLD" not in {r.course_code for r in rows}
    for row in rows:
        figures = unit_figures(db.session, found, row.level, row.unit_id, "", BY)
        for part in row.detail["reasons"]:
            flag = figures.figure(f"trenger_{part['area']}")
            assert (part["need"], part["n"]) == (flag.counts["ja"], flag.n)
            for group in part["groups"]:
                shown = figures.figure(f"trenger_{part['area']}", group["group"])
                assert not shown.suppressed  # a hidden group is never named
                assert (group["need"], group["n"]) == (shown.counts["ja"], shown.n)
        if row.detail["format_yes"] is not None:
            wish = figures.figure("onsket_format")
            assert row.detail["format_n"] == wish.n
    # The stored gaps are the published flag figures of the unit, group by group.
    for gap in db.session.scalars(select(UnitGap)):
        figures = unit_figures(db.session, found, gap.level, gap.unit_id, "", BY)
        flag = figures.figure(f"trenger_{gap.area}", gap.grp)
        assert (gap.need, gap.n) == (flag.counts["ja"], flag.n)


def test_laget_match_ranks_the_catalogue_with_reasons_in_plain_words(laget, found, settings):
    from webapp.config import PROJECT_ROOT
    from webapp.services import courses, vocabulary

    courses.import_course_file(db.session, PROJECT_ROOT / "webapp" / "demo" / "courses.csv",
                               vocabulary.load(settings.surveys_dir), example=True)
    db.session.commit()
    result = laget("match", "--round", found.name, "--school", "S1", "--limit", "5", "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["unit"] == {"level": "school", "name": "Stor skole"}
    assert 0 < len(shown["courses"]) <= 5
    scores = [c["score"] for c in shown["courses"]]
    assert scores == sorted(scores, reverse=True)
    for course in shown["courses"]:
        assert set(course) == {"course", "areas", "score", "reason"}
        assert course["reason"].startswith("Dekker ") and " av " in course["reason"]
    english = json.loads(laget("match", "--round", found.name, "--kommune", "Indre", "--lang", "en").output)
    assert english["courses"][0]["reason"].startswith("Covers ")
    assert laget("match", "--round", found.name).exit_code == 1  # a unit is needed


def test_the_kommune_dashboard_lists_suggestions_and_the_fylke_dashboard_does_not(client, found, settings):
    from tests.conftest import ADMIN_PASSWORD, csrf_token
    from webapp.config import PROJECT_ROOT
    from webapp.models import Fylke, Kommune
    from webapp.services import courses, vocabulary

    courses.import_course_file(db.session, PROJECT_ROOT / "webapp" / "demo" / "courses.csv",
                               vocabulary.load(settings.surveys_dir), example=True)
    matching.recompute_round(db.session, found, settings.surveys_dir)
    db.session.commit()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": csrf_token(page), "email": "admin@example.org",
                                "password": ADMIN_PASSWORD})
    kommune = db.session.scalar(select(Kommune.id))
    html = client.get(f"/resultater/{found.id}/kommune/{kommune}").get_data(as_text=True)
    assert 'id="forslag"' in html and html.count('class="suggestion"') == 5
    assert 'id="kompetansebehov"' in html
    filtered = client.get(f"/resultater/{found.id}/kommune/{kommune}?format=nettkurs&area=zzz&alle=1")
    body = filtered.get_data(as_text=True)
    items = [item.split("</li>")[0] for item in body.split('class="suggestion"')[1:]]
    assert filtered.status_code == 200 and items  # an unknown area is no filter
    assert all("· Nettkurs" in item for item in items)  # every suggestion left is an online course
    fylke = db.session.scalar(select(Fylke.id))
    html = client.get(f"/resultater/{found.id}/fylke/{fylke}").get_data(as_text=True)
    assert 'id="kompetansebehov"' in html and 'id="forslag"' not in html


def test_a_unit_whose_figures_go_loses_its_gaps_and_suggestions(found, settings):
    from webapp.models import Aggregate

    matching.recompute(db.session, found, COURSES, settings.surveys_dir)
    big = db.session.scalar(select(School.id).where(School.code == "S1"))
    assert matching.stored_matches(db.session, found, "school", big)
    db.session.execute(Aggregate.__table__.delete().where(
        Aggregate.kind == "published", Aggregate.level == "school", Aggregate.unit_id == big))
    matching.recompute(db.session, found, COURSES, settings.surveys_dir)
    assert matching.stored_matches(db.session, found, "school", big) == []
    assert matching.stored_gaps(db.session, found, "school", big) == []


def test_suggestions_made_from_older_figures_are_not_shown(found, settings):
    from webapp.config import PROJECT_ROOT
    from webapp.models import Aggregate
    from webapp.services import courses, vocabulary
    from webapp.services.suggestions import suggestions

    courses.import_course_file(db.session, PROJECT_ROOT / "webapp" / "demo" / "courses.csv",
                               vocabulary.load(settings.surveys_dir), example=True)
    matching.recompute_round(db.session, found, settings.surveys_dir)
    big = db.session.scalar(select(School.id).where(School.code == "S1"))
    fresh = suggestions(db.session, found, "school", big, "nb", settings.surveys_dir)
    assert not fresh.pending and fresh.items
    rows = select(Aggregate).where(Aggregate.kind == "published", Aggregate.level == "school",
                                   Aggregate.unit_id == big)
    for row in db.session.scalars(rows):
        row.computed_at = row.computed_at.replace(year=row.computed_at.year + 1)  # newer figures
    db.session.flush()
    behind = suggestions(db.session, found, "school", big, "nb", settings.surveys_dir)
    assert behind.pending and behind.items == []


def test_two_recomputes_at_once_both_finish(app, found, settings):
    """The worker and `laget rebuild` may rank a round at the same moment: each waits for the other."""
    import threading

    round_id, errors = found.id, []
    db.session.commit()

    def run() -> None:
        try:
            with app.app_context():
                matching.recompute(db.session, db.session.get(Round, round_id), COURSES, settings.surveys_dir,
                                   force=True)
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(CourseMatch)) > 0
