"""What the workers have made of the stored responses, read back for the outbox tests."""
from __future__ import annotations

import csv
import io
import random

from sqlalchemy import func, select

from webapp.domain.simulate import simulate_answers
from webapp.models import Aggregate, OutboxEvent, Response, Round, School
from webapp.services import response_import, rounds, surveys


def import_csv(questionnaire, per_school: dict[str, int], seed: int = 1, **fixed) -> str:  # noqa: ANN001
    """A file for `laget import-responses`: `per_school` simulated respondents per school code."""
    rng = random.Random(seed)
    keys = list(questionnaire.items)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["school_code", *keys])
    for code, count in per_school.items():
        for _ in range(count):
            answers = {**simulate_answers(questionnaire, rng), **fixed}
            writer.writerow([code, *("|".join(v) if isinstance(v, list) else ("" if v is None else v)
                                     for v in (answers.get(k) for k in keys))])
    return out.getvalue()


def import_responses(session, round_name: str, per_school: dict[str, int], **fixed) -> int:  # noqa: ANN001
    """Store responses as `laget import-responses` does, one outbox event each; commits."""
    found = rounds.get_round(session, round_name)
    questionnaire = surveys.questionnaire_of(session, found.survey_version_id)
    count = response_import.import_responses(session, found, import_csv(questionnaire, per_school, **fixed))
    session.commit()
    return count


def figures(session, kind: str, level: str = "school") -> dict[str, int]:  # noqa: ANN001
    """Respondents per school code (or per unit id above the school) in the `kind` figures."""
    session.expire_all()
    rows = session.execute(select(Aggregate.unit_id, Aggregate.respondents).where(
        Aggregate.kind == kind, Aggregate.level == level, Aggregate.grouping == "all",
        Aggregate.respondents > 0)).all()
    codes = dict(session.execute(select(School.id, School.code)).all()) if level == "school" else {}
    found = {codes.get(unit, unit): n for unit, n in rows}
    session.rollback()
    return found


def stored(session) -> dict[str, int]:  # noqa: ANN001
    """Responses per school code in `response` (the truth the figures must come to)."""
    session.expire_all()
    per_school = select(School.code, func.count()).join(Response, Response.school_id == School.id)
    found = dict(session.execute(per_school.group_by(School.code)).all())
    session.rollback()
    return found


def admin_counts(session) -> dict[str, int]:  # noqa: ANN001
    """Stored responses per school code as the administrator's round status reads them."""
    session.expire_all()
    found = session.scalars(select(Round)).one()
    counts = {r.code: r.stored for r in rounds.round_status(session, found) if r.stored}
    session.rollback()
    return counts


def outbox_rows(session) -> int:  # noqa: ANN001
    session.expire_all()
    found = session.scalar(select(func.count()).select_from(OutboxEvent))
    session.rollback()
    return found
