"""The `laget` command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

from webapp import cli_courses, cli_demo, cli_gaps, cli_kommune, cli_plan, cli_users
from webapp.cli_common import (chosen_unit, cli_settings, fail, find_unit, import_all_or_nothing,
                               round_errors, settings)
from webapp.config import ConfigError, Settings
from webapp.domain.breakdowns import GROUPINGS
from webapp.extensions import db
from webapp.services import rounds as round_service
from webapp.services import surveys
from webapp.services.org import import_org


def _create_app():
    from webapp import create_app

    settings = cli_settings()
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    try:
        return create_app(settings)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


cli = FlaskGroup(create_app=_create_app, add_default_commands=True, load_dotenv=False,
                 help="Laget: survey non-teaching school staff on competence and recognition.")


def main() -> None:
    cli.main(prog_name="laget")


@cli.group("surveys")
def surveys_group() -> None:
    """Questionnaire definitions under surveys/."""


@surveys_group.command("check")
def check_surveys() -> None:
    """Validate every definition; exit 1 listing every error with its path."""
    directory = Settings.from_env().surveys_dir
    files = surveys.definition_files(directory)
    errors = surveys.check_all(directory)
    for error in errors:
        click.echo(error, err=True)
    if errors:
        click.echo(f"{len(errors)} error(s) in {len(files)} definition(s).", err=True)
        sys.exit(1)
    click.echo(f"{len(files)} definition(s) OK.")


@surveys_group.command("publish")
@with_appcontext
def publish_surveys() -> None:
    """Store every definition as a published version; a changed published version is refused."""
    problems = []
    for path in surveys.definition_files(settings().surveys_dir):
        try:
            version = surveys.publish(db.session, path)
        except surveys.PublishError as exc:
            problems.append(str(exc))
            continue
        click.echo(f"{version.slug} v{version.version}: published ({version.content_hash[:12]})")
    if problems:
        db.session.rollback()
        for problem in problems:
            click.echo(problem, err=True)
        sys.exit(1)
    db.session.commit()


@cli.command("import-org")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_org_command(csv_file: Path) -> None:
    """Import fylker, kommuner and schools: kommune,fylke,school_code,school_name,skoleslag (and an optional
    kommunenummer)."""
    result = import_all_or_nothing(csv_file, lambda lines: import_org(db.session, lines))
    click.echo(f"Imported {result.created} new and updated {result.updated} existing school(s).")


@cli.group("round")
def round_group() -> None:
    """Survey rounds."""


@round_group.command("create")
@click.option("--survey", required=True, help="Questionnaire slug, e.g. kompetanse-og-anerkjennelse.")
@click.option("--name", required=True)
@click.option("--schools", help="Comma-separated school codes.")
@click.option("--kommune", help="All schools of this kommune (kommunenummer or name).")
@click.option("--threshold", type=click.IntRange(min=1), default=None, help="Privacy threshold (default 5).")
@with_appcontext
def create_round_command(survey: str, name: str, schools: str | None, kommune: str | None,
                         threshold: int | None) -> None:
    """Create a round (draft) of the newest version of a questionnaire."""
    if schools and kommune:
        fail("Use either --schools or --kommune, not both.")
    codes = [c.strip() for c in schools.split(",") if c.strip()] if schools else None
    with round_errors():
        created = round_service.create_round(
            db.session, settings().surveys_dir, survey, name, codes, kommune,
            threshold or settings().privacy_threshold)
        db.session.commit()
    click.echo(f"Created round «{created.name}» (draft). Open it with: laget round open \"{created.name}\"")


@round_group.command("open")
@click.argument("name")
@with_appcontext
def open_round_command(name: str) -> None:
    """Open a round for answers."""
    with round_errors():
        round_service.set_status(db.session, name, "open")
        db.session.commit()
    click.echo(f"Round «{name}» is open.")


@round_group.command("close")
@click.argument("name")
@with_appcontext
def close_round_command(name: str) -> None:
    """Close a round: its links stop accepting answers, and its final figures are published."""
    from webapp.services import aggregates, pool

    with round_errors():
        found = round_service.set_status(db.session, name, "closed")
        db.session.commit()
    pool.vacuum(db.engine)  # the responses just stored leave dead pool rows and invitation versions
    # A closed round shows all it safely can: rebuild from the answers (messages may still be queued)
    # and publish the final figures (services/publication.py).
    try:
        result = aggregates.rebuild(db.session, found)
        db.session.commit()
    except Exception:
        db.session.rollback()
        click.echo(f"Round «{name}» is closed, but its final figures could not be published; "
                   f"run `laget rebuild --round \"{name}\"` to publish them.", err=True)
        raise
    click.echo(f"Round «{name}» is closed; final figures published ({result.published_rows} row(s) changed) "
               f"from {result.responses} responses.")


@round_group.command("status")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@with_appcontext
def round_status_command(name: str, fmt: str) -> None:
    """Invitations, responses and response rate per school."""
    with round_errors():
        found = round_service.get_round(db.session, name)
    rows = round_service.round_status(db.session, found)
    k = found.privacy_threshold

    def shown(r) -> bool:  # below the threshold a live count says only "under k" (docs/privacy.md)
        return r.responses >= k
    if fmt == "json":
        click.echo(json.dumps({"round": found.name, "status": found.status, "threshold": k, "schools": [
            {"school_code": r.code, "school_name": r.name, "kommune": r.kommune, "invitations": r.invitations,
             "responses": r.responses if shown(r) else None, "under_threshold": not shown(r),
             "response_rate": r.response_rate if shown(r) else None} for r in rows]}, ensure_ascii=False,
            indent=2))
        return
    click.echo(f"{'school':<12} {'name':<36} {'invited':>8} {'answered':>9} {'rate':>7}")
    for r in rows:
        rate = f"{r.response_rate:.1f} %" if r.response_rate is not None and shown(r) else "–"
        answered = str(r.responses) if shown(r) else f"<{k}"
        click.echo(f"{r.code:<12} {r.name[:36]:<36} {r.invitations:>8} {answered:>9} {rate:>7}")


@cli.command("rebuild")
@click.option("--round", "round_name", required=True)
@with_appcontext
def rebuild_command(round_name: str) -> None:
    """Recompute every figure of a round from the stored answers."""
    import time

    from webapp.services import aggregates, matching

    with round_errors():
        found = round_service.get_round(db.session, round_name)
    started = time.perf_counter()
    result = aggregates.rebuild(db.session, found)
    matched = matching.recompute_round(db.session, found, settings().surveys_dir, force=True)
    db.session.commit()
    click.echo(f"Rebuilt «{found.name}»: {result.responses} responses, {result.rows} aggregate rows, "
               f"{result.published_rows} published row(s) changed, gaps and course matches of "
               f"{matched.units} unit(s), in {time.perf_counter() - started:.2f} s.")


@cli.command("import-responses")
@click.option("--round", "round_name", required=True)
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_responses_command(round_name: str, csv_file: Path) -> None:
    """Import responses: school_code plus one column per item key (multi-select codes joined with |)."""
    from webapp.services.response_import import import_responses

    with round_errors():
        found = round_service.get_round(db.session, round_name)
        count = import_all_or_nothing(csv_file, lambda lines: import_responses(db.session, found, lines))
    click.echo(f"Imported {count} response(s); the figures follow as the worker counts them.")


@cli.command("export-aggregates")
@click.option("--round", "round_name", required=True)
@click.option("--school", help="School code.")
@click.option("--kommune", help="Kommunenummer or kommune name.")
@click.option("--fylke", help="Fylke name.")
@click.option("--by", "grouping", type=click.Choice(list(GROUPINGS)),
              default="all", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@with_appcontext
def export_aggregates_command(round_name: str, school: str | None, kommune: str | None, fylke: str | None,
                              grouping: str, fmt: str) -> None:
    """Print a unit's published figures per item and group; small groups are suppressed."""
    from webapp.services import exports, results

    level, key = chosen_unit(school, kommune, fylke)
    found, unit_id, unit_name = find_unit(round_name, level, key)
    figures = results.unit_figures(db.session, found, level, unit_id, unit_name, grouping)
    if fmt == "csv":
        click.echo(exports.as_csv(figures), nl=False)
    else:
        click.echo(json.dumps(exports.as_json(figures, key), ensure_ascii=False, indent=1))


@cli.command("invite")
@click.option("--round", "round_name", required=True)
@click.option("--school", required=True, help="School code.")
@click.option("--count", type=click.IntRange(1, 10_000), required=True)
@with_appcontext
def invite_command(round_name: str, school: str, count: int) -> None:
    """Print N personal invitation links (each can answer once)."""
    with round_errors():
        found = round_service.get_round(db.session, round_name)
        tokens = round_service.create_invitations(db.session, found, school, count)
        db.session.commit()
    for token in tokens:
        click.echo(f"{settings().base_url}/s/{token}")


for command in (cli_courses.import_courses_command, cli_courses.courses_group, cli_users.user_group,
                cli_demo.serve_command, cli_demo.demo_command, cli_gaps.gaps_command, cli_gaps.match_command,
                cli_plan.plan_command, cli_kommune.kommune_group):
    cli.add_command(command)
