"""Gaps and course matching benchmark: one school after a publication, and a whole round of 200 schools.

Setup (not measured): the aggregation benchmark's fixture (200 schools in 20 kommuner, answers from
2,000 seeded `simulate_answers` sets) with BENCH_GAPS_RESPONSES responses (5,000), a rebuild that
publishes them, and a catalogue of BENCH_GAPS_COURSES (500) generated courses over the vocabulary's
areas, formats and yrkesgrupper.

Measured, each repetition rolled back:
- *one school*: k new answers of one group at a school, `refresh_school` and `publication.publish`
  (the aggregation the gaps build on), then `matching.recompute` — which finds the one school and its
  kommune whose published figures changed and stores their gaps and ranked matches;
- *whole round*: `matching.recompute(force=True)` for every school and kommune, next to
  `aggregates.rebuild` of the same round in the same run.

Knobs: BENCH_GAPS_RESPONSES (5000), BENCH_GAPS_COURSES (500), BENCH_GAPS_REPS (5).
"""
from __future__ import annotations

import os
import random
import statistics
import time
from dataclasses import dataclass

from bench.aggregation import Fixture
from bench.common import Section, fresh_database, ms, table

TARGET_SCHOOL, TARGET_ROUND = 0.050, 5.0  # seconds, from issue 10
FORMATS = ("kurs", "nettkurs", "studiepoeng", "fagbrev", "veiledning", "nettverk")


@dataclass(frozen=True)
class BenchCourse:
    code: str
    areas: tuple[str, ...]
    yrkesgrupper: tuple[str, ...]
    format: str
    fee_nok: int
    funding_share: float
    active: bool = True


def catalogue(count: int, areas: tuple[str, ...], groups: tuple[str, ...]) -> list[BenchCourse]:
    rng = random.Random(500)
    return [BenchCourse(f"B{n:04d}", tuple(rng.sample(areas, rng.choice((1, 1, 2, 3)))),
                        tuple(rng.sample(groups, rng.choice((0, 0, 1, 2)))), rng.choice(FORMATS),
                        rng.choice((0, 900, 2500, 8000, 18500)), rng.choice((0.0, 0.0, 0.5)))
            for n in range(count)]


def _timed(function):
    began = time.perf_counter()
    result = function()
    return time.perf_counter() - began, result


def run() -> Section:
    responses = int(os.environ.get("BENCH_GAPS_RESPONSES", "5000"))
    count = int(os.environ.get("BENCH_GAPS_COURSES", "500"))
    reps = int(os.environ.get("BENCH_GAPS_REPS", "5"))
    fresh_database("gaps")
    fixture = Fixture()
    try:
        fixture.add_responses(responses)
        return _measure(fixture, count, reps, responses)
    finally:
        fixture.close()


def _measure(fixture: Fixture, count: int, reps: int, responses: int) -> Section:
    from webapp.models import CourseMatch, Round
    from webapp.services import aggregates, matching, publication, vocabulary
    from webapp.services.answering import store_response

    with fixture.app.app_context():
        session, settings = fixture.db.session, fixture.app.config["LAGET"]
        words = vocabulary.load(settings.surveys_dir)
        courses = catalogue(count, words.area_codes, words.yrkesgruppe_codes)
        found = session.get(Round, fixture.round_id)
        aggregates.rebuild(session, found)
        matching.recompute(session, found, courses, settings.surveys_dir)
        session.commit()
        k = found.privacy_threshold
        rebuild, whole, school, base = [], [], [], []
        schools = random.Random(3).sample(fixture.schools, reps)
        for rep in range(reps):
            found = session.get(Round, fixture.round_id)
            elapsed, _r = _timed(lambda: aggregates.rebuild(session, found))
            rebuild.append(elapsed)
            elapsed, done = _timed(lambda: matching.recompute(session, found, courses, settings.surveys_dir,
                                                              force=True))
            whole.append(elapsed)
            whole_units, whole_matches = done.units, done.matches
            session.rollback()
            found = session.get(Round, fixture.round_id)
            group_sets = fixture.group_sets
            for n in range(k):  # k answers of one group: a block the publication releases
                answers = fixture.answer_sets[group_sets[(rep * k + n) % len(group_sets)]]
                store_response(session, fixture.questionnaire, found.id, schools[rep], answers)
            session.flush()
            began = time.perf_counter()
            aggregates.refresh_school(session, found, schools[rep])
            publication.publish(session, found)
            base.append(time.perf_counter() - began)
            elapsed, done = _timed(lambda: matching.recompute(session, found, courses, settings.surveys_dir))
            school.append(elapsed)
            school_units = done.units
            stored = session.query(CourseMatch).filter_by(round_id=found.id, level="school",
                                                          unit_id=schools[rep]).count()
            session.rollback()
    med = statistics.median
    rows = [
        ["One school after a publication: `matching.recompute`", f"{ms(med(school))} ms",
         f"≤ {ms(TARGET_SCHOOL)} ms", "yes" if med(school) <= TARGET_SCHOOL else "**no**",
         f"{school_units} units recomputed (the school and its kommune), {stored} matches stored"],
        ["… the aggregation it builds on: `refresh_school` + `publication.publish`", f"{ms(med(base))} ms",
         "", "", f"ratio gaps ÷ aggregation {med(school) / med(base):.2f}"],
        ["Whole round: `matching.recompute(force=True)`", f"{med(whole):.2f} s", f"≤ {TARGET_ROUND:.0f} s",
         "yes" if med(whole) <= TARGET_ROUND else "**no**",
         f"{whole_units} units, {whole_matches} matches stored"],
        ["… the aggregation it builds on: `aggregates.rebuild`", f"{med(rebuild):.2f} s", "", "",
         f"ratio gaps ÷ rebuild {med(whole) / med(rebuild):.2f}"],
    ]
    body = "\n".join([
        f"{responses:,} responses at 200 schools in 20 kommuner; a catalogue of {count} generated courses; "
        f"median of {reps} repetitions, each rolled back. Command: `python -m bench.gaps` (part of "
        "`make bench`).",
        "",
        table(["Measured", "Median", "Target", "Met", "Notes"], rows),
        "",
        "Gaps and matches are computed from the published figures only (docs/gaps.md); the worker runs "
        "`matching.recompute` on its own `matching` queue after each publication.",
    ])
    return Section("Gaps and course matching", body,
                   {"school_ms": ms(med(school)), "round_s": f"{med(whole):.2f}"})


if __name__ == "__main__":
    section = run()
    print(f"## {section.title}\n\n{section.body}")
