"""«Forslag til kurs»: the courses the worker ranked for a school or kommune, with their reasons in the
reader's language, filtered by format and area (docs/gaps.md)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.courses import Course
from webapp.models import Aggregate, MatchState, Round
from webapp.services import matching, vocabulary
from webapp.services.courses import active_courses
from webapp.services.reasons import reason_text

LEVELS = matching.LEVELS
SHOWN = 5  # the best few first: a phone shows one or two at a time


@dataclass(frozen=True)
class Suggestion:
    course: Course
    format_label: str
    area_labels: tuple[str, ...]
    reason: str
    score: float


@dataclass(frozen=True)
class Suggestions:
    items: list[Suggestion]
    ranked: int                              # courses ranked for the unit, before the filters
    formats: list[tuple[str, str]]           # (code, label) of the formats among them
    areas: list[tuple[str, str]]             # (code, label) of the areas they cover
    chosen_format: str | None
    chosen_area: str | None
    pending: bool                            # figures are published, the worker has not ranked yet
    more: int = 0                            # further suggestions behind «show all»


def suggestions(session: Session, found: Round, level: str, unit_id: int, locale: str, surveys_dir: Path,
                chosen_format: str | None = None, chosen_area: str | None = None,
                show_all: bool = False) -> Suggestions | None:
    """The unit's ranked courses (None for a level matching does not rank)."""
    if level not in LEVELS:
        return None
    words = vocabulary.load(surveys_dir)
    stored = matching.stored_matches(session, found, level, unit_id)
    # The ranking is behind when the unit's figures were published after it was made (or never made):
    # its reasons would quote other numbers than the page's, so the page says it is being updated.
    ranked_from = session.scalar(select(MatchState.figures_at).where(
        MatchState.round_id == found.id, MatchState.level == level, MatchState.unit_id == unit_id))
    published = session.scalar(select(Aggregate.computed_at).where(
        Aggregate.round_id == found.id, Aggregate.kind == "published", Aggregate.level == level,
        Aggregate.unit_id == unit_id, Aggregate.grouping == "all"))
    pending = ranked_from is None or ranked_from != published
    if pending:
        stored = []
    courses = {c.code: c for c in active_courses(session)}
    ranked = [(row, courses[row.course_code]) for row in stored if row.course_code in courses]
    formats = sorted({c.format for _r, c in ranked}, key=words.format_codes.index)
    areas = sorted({a for r, _c in ranked for a in r.detail["areas"]}, key=words.area_codes.index)
    chosen_format = chosen_format if chosen_format in formats else None
    chosen_area = chosen_area if chosen_area in areas else None
    items = [Suggestion(course, words.format(course.format).text(locale),
                        tuple(words.area(a).text(locale) for a in row.detail["areas"]),
                        reason_text(row.detail, words, locale), row.score)
             for row, course in ranked
             if (chosen_format is None or course.format == chosen_format)
             and (chosen_area is None or chosen_area in row.detail["areas"])]
    shown = items if show_all else items[:SHOWN]
    return Suggestions(shown, len(ranked), [(f, words.format(f).text(locale)) for f in formats],
                       [(a, words.area(a).text(locale)) for a in areas], chosen_format, chosen_area, pending,
                       len(items) - len(shown))
