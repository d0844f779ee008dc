"""`laget gaps` and `laget match`: a unit's gaps and its ranked courses, from published figures only."""
from __future__ import annotations

import csv
import io
import json

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from webapp.cli_common import chosen_unit, fail, find_unit
from webapp.extensions import db


@click.command("gaps")
@click.option("--round", "round_name", required=True)
@click.option("--school", help="School code.")
@click.option("--kommune", help="Kommunenummer or kommune name.")
@click.option("--fylke", help="Fylke name.")
@click.option("--by", type=click.Choice(["all", "yrkesgruppe"]), default="all", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@with_appcontext
def gaps_command(round_name: str, school: str | None, kommune: str | None, fylke: str | None, by: str,
                 fmt: str) -> None:
    """Print a unit's gap per competence area (docs/gaps.md); a hidden group has no numbers."""
    from webapp.services import gaps

    level, key = chosen_unit(school, kommune, fylke)
    found, unit_id, unit_name = find_unit(round_name, level, key)
    result = gaps.contract(found, gaps.unit_gaps(db.session, found, level, unit_id, unit_name, by), by)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    out = io.StringIO()
    columns = ["area", "group", "suppressed", "n", "need", "share", "low", "high", "score"]
    writer = csv.DictWriter(out, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in result["areas"]:
        writer.writerow({**row, "suppressed": "true" if row.get("suppressed") else "false"})
    click.echo(out.getvalue(), nl=False)


@click.command("match")
@click.option("--round", "round_name", required=True)
@click.option("--school", help="School code.")
@click.option("--kommune", help="Kommunenummer or kommune name.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--lang", type=click.Choice(["nb", "nn", "en"]), default="nb", show_default=True)
@with_appcontext
def match_command(round_name: str, school: str | None, kommune: str | None, limit: int, fmt: str,
                  lang: str) -> None:
    """Print the courses that address a school's or kommune's gaps, best first, each with its reason."""
    from webapp.domain import matching as ranking
    from webapp.services import gaps, matching, vocabulary
    from webapp.services.courses import active_courses
    from webapp.services.reasons import reason_text

    if not school and not kommune:
        fail("Choose --school or --kommune.")
    level, key = chosen_unit(school, kommune)
    found, unit_id, unit_name = find_unit(round_name, level, key)
    surveys_dir = current_app.config["LAGET"].surveys_dir
    result = gaps.unit_gaps(db.session, found, level, unit_id, unit_name, gaps.BY)
    ranked = ranking.rank(active_courses(db.session), matching.unit_needs(result),
                          matching.wishes(surveys_dir), limit)
    words = vocabulary.load(surveys_dir)
    with force_locale(lang):
        courses = [{"course": m.course, "areas": list(m.areas), "score": m.score,
                    "reason": reason_text(m.as_json(), words, lang)} for m in ranked]
    click.echo(json.dumps({"round": found.name, "unit": {"level": level, "name": unit_name},
                           "courses": courses}, ensure_ascii=False, indent=1))
