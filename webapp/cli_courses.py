"""`laget import-courses` and `laget courses list`: the course catalogue from the command line."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from webapp.cli_common import import_all_or_nothing, settings
from webapp.extensions import db


@click.command("import-courses")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_courses_command(file: Path) -> None:
    """Import courses from CSV, or from .xlsx by the extension: code,title,provider,areas,yrkesgrupper,format,
    hours,credits,fee_nok,seats,substitute_hours,start,place,url (and optional funding_share,funder,
    description). A code already in the catalogue is updated."""
    from webapp.services import courses, vocabulary

    terms = vocabulary.load(settings().surveys_dir)
    result = import_all_or_nothing(
        file, lambda source: courses.import_courses(db.session, courses.read_course_file(source, file.name),
                                                    terms), opener=lambda path: path.open("rb"))
    click.echo(f"Imported {result.created} new and updated {result.updated} existing course(s).")


@click.group("courses")
def courses_group() -> None:
    """The course catalogue."""


@courses_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@with_appcontext
def list_courses_command(fmt: str) -> None:
    """Every course of the catalogue, retired ones too, by code."""
    from dataclasses import asdict

    from webapp.services import courses

    rows = courses.all_courses(db.session)
    if fmt == "json":
        listed = [{**asdict(courses.to_course(r)), "start": r.start.isoformat() if r.start else None,
                   "example": r.example} for r in rows]
        click.echo(json.dumps(listed, ensure_ascii=False, indent=1))
        return
    click.echo(f"{'code':<26} {'format':<11} {'title':<36} {'fee NOK':>8} {'hours':>6} {'start':<10} "
               f"{'place':<12} status")
    for r in rows:
        status = ("active" if r.active else "retired") + (", example" if r.example else "")
        start = r.start.isoformat() if r.start else "løpende"
        click.echo(f"{r.code:<26} {r.format:<11} {r.title[:36]:<36} {r.fee_nok:>8} {r.hours:>6g} "
                   f"{start:<10} {r.place[:12]:<12} {status}")
    click.echo(f"{len(rows)} course(s).")
