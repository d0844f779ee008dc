"""Imports of awkward files: every problem named by line and column, never a traceback, nothing
half-stored."""
from __future__ import annotations

import csv
import random
from pathlib import Path

from sqlalchemy import func, select

from webapp.domain.simulate import simulate_answers
from webapp.models import Answer, OutboxEvent, Response, School

HEADER = "kommune,fylke,school_code,school_name,skoleslag\n"
LIMIT = csv.field_size_limit()


def write(tmp_path: Path, content: str | bytes) -> str:
    path = tmp_path / "import.csv"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return str(path)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_import_org_names_nul_bytes_overlong_values_and_bad_bytes_by_line(laget, tmp_path, db_session):
    content = (HEADER + "Fjordvik,Vestland,A1,Alfa\x00skole,grunnskole\n"
               + f"{'K' * 101},Vestland,A2,{'B' * 201},grunnskole\n").encode() \
        + b"Elvdal,Vestland,A3,Gamma skole \xff,vgs\n"
    result = laget("import-org", write(tmp_path, content))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "linje 2, kolonne 4 (school_name): inneholder kontrolltegnet U+0000 (NUL), som ikke kan lagres" \
        in result.output
    assert "linje 3, kolonne 1 (kommune): høyst 100 tegn" in result.output
    assert "linje 3, kolonne 4 (school_name): høyst 200 tegn" in result.output
    assert "linje 4: filen er ikke UTF-8-tekst" in result.output
    assert count(db_session, School) == 0


def test_import_org_reports_a_field_over_the_csv_size_limit(laget, tmp_path, db_session):
    content = HEADER + "Fjordvik,Vestland,A1,Alfa skole,grunnskole\n" \
        + f'Fjordvik,Vestland,A2,"{"x" * (LIMIT + 1)}",grunnskole\n'
    result = laget("import-org", write(tmp_path, content))
    assert result.exit_code == 1
    assert f"linje 3, kolonne 4 (school_name): en verdi er lengre enn {LIMIT} tegn" in result.output
    assert count(db_session, School) == 0


def responses_file(questionnaire, rows: int) -> list[dict[str, str]]:
    rng = random.Random(5)
    return [{"school_code": "S1", **{key: "|".join(v) if isinstance(v, list) else str(v)
                                     for key, v in simulate_answers(questionnaire, rng).items()}}
            for _n in range(rows)]


def as_csv(questionnaire, rows: list[dict[str, str]]) -> str:
    header = ["school_code", *questionnaire.items]
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(f'"{row.get(key, "")}"' for key in header))
    return "\n".join(lines) + "\n"


def test_import_responses_keeps_nothing_when_the_last_of_many_chunks_has_a_nul_byte(
        laget, tmp_path, open_round, questionnaire, db_session):
    # Given 600 full responses (more than two chunks of answer rows), the last with a NUL in its free text
    rows = responses_file(questionnaire, 600)
    rows[-1]["fritekst"] = "mer kurs\x00"
    column = ["school_code", *questionnaire.items].index("fritekst") + 1
    # When it is imported
    result = laget("import-responses", "--round", open_round, write(tmp_path, as_csv(questionnaire, rows)))
    # Then the line and column are named, and not one of the earlier chunks was kept
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"linje 601, kolonne {column} (fritekst): inneholder kontrolltegnet U+0000 (NUL)" in result.output
    assert (count(db_session, Response), count(db_session, Answer),
            count(db_session, OutboxEvent)) == (0, 0, 0)


def test_import_responses_reports_a_field_over_the_csv_size_limit(laget, tmp_path, open_round, questionnaire,
                                                                  db_session):
    rows = responses_file(questionnaire, 3)
    rows[1]["fritekst"] = "x" * (LIMIT + 5)
    column = ["school_code", *questionnaire.items].index("fritekst") + 1
    result = laget("import-responses", "--round", open_round, write(tmp_path, as_csv(questionnaire, rows)))
    assert result.exit_code == 1
    assert f"linje 3, kolonne {column} (fritekst): en verdi er lengre enn {LIMIT} tegn" in result.output
    assert count(db_session, Response) == 0
