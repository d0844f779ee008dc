"""The `laget` command line."""
from __future__ import annotations

import json
import logging
import secrets
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import gettext as _

from webapp.config import ConfigError, Settings, default_instance_path
from webapp.domain.breakdowns import GROUPINGS
from webapp.extensions import db
from webapp.services import rounds as round_service
from webapp.services import surveys
from webapp.services.csv_import import ImportFailed, open_csv
from webapp.services.kommuner import AmbiguousKommune, describe
from webapp.services.org import import_org
from webapp.services.rounds import RoundError
from webapp.services.users import UserError, create_user, list_users, set_password

if TYPE_CHECKING:
    from webapp.services.demo import Demo


def cli_settings() -> Settings:
    """Settings for command-line use; without SECRET_KEY a key kept under instance/ is used."""
    settings = Settings.from_env()
    if settings.secret_key:
        return settings
    key_file = default_instance_path() / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return replace(settings, secret_key=key_file.read_text().strip())


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


def settings() -> Settings:
    return current_app.config["LAGET"]


def fail(message: str) -> None:
    raise click.ClickException(message)


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
    result = _import_all_or_nothing(csv_file, lambda lines: import_org(db.session, lines))
    click.echo(f"Imported {result.created} new and updated {result.updated} existing school(s).")


def _import_all_or_nothing(csv_file: Path, run):  # noqa: ANN001, ANN202
    """Run an import on the file's lines and commit it, or roll back and list every problem by line and
    column."""
    try:
        with open_csv(csv_file) as lines:
            result = run(lines)
    except ImportFailed as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(f"{csv_file}: {problem}", err=True)
        fail(f"Nothing was imported ({len(exc.problems)} problem(s)).")
    db.session.commit()
    return result


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
    with _round_errors():
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
    with _round_errors():
        round_service.set_status(db.session, name, "open")
        db.session.commit()
    click.echo(f"Round «{name}» is open.")


@round_group.command("close")
@click.argument("name")
@with_appcontext
def close_round_command(name: str) -> None:
    """Close a round: its links stop accepting answers, and its final figures are published."""
    from webapp.services import aggregates, pool

    with _round_errors():
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
    with _round_errors():
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

    from webapp.services import aggregates

    with _round_errors():
        found = round_service.get_round(db.session, round_name)
    started = time.perf_counter()
    result = aggregates.rebuild(db.session, found)
    db.session.commit()
    click.echo(f"Rebuilt «{found.name}»: {result.responses} responses, {result.rows} aggregate rows, "
               f"{result.published_rows} published row(s) changed, in {time.perf_counter() - started:.2f} s.")


@cli.command("import-responses")
@click.option("--round", "round_name", required=True)
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_responses_command(round_name: str, csv_file: Path) -> None:
    """Import responses: school_code plus one column per item key (multi-select codes joined with |)."""
    from webapp.services.response_import import import_responses

    with _round_errors():
        found = round_service.get_round(db.session, round_name)
        count = _import_all_or_nothing(csv_file, lambda lines: import_responses(db.session, found, lines))
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

    chosen = [(lvl, key) for lvl, key in (("school", school), ("kommune", kommune), ("fylke", fylke)) if key]
    if len(chosen) > 1:
        fail("Choose at most one of --school, --kommune and --fylke.")
    level, key = chosen[0] if chosen else ("round", None)
    with _round_errors():
        found = round_service.get_round(db.session, round_name)
    try:
        unit_id, unit_name = results.find_unit(db.session, found, level, key)
    except (results.UnitNotFound, AmbiguousKommune) as exc:
        fail(str(exc))
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
    with _round_errors():
        found = round_service.get_round(db.session, round_name)
        tokens = round_service.create_invitations(db.session, found, school, count)
        db.session.commit()
    for token in tokens:
        click.echo(f"{settings().base_url}/s/{token}")


@cli.group("user")
def user_group() -> None:
    """Accounts for administrators, tillitsvalgte and school leaders."""


@user_group.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["admin", "tillitsvalgt", "skoleleder"]), required=True)
@click.option("--kommune", help="What a tillitsvalgt sees: kommunenummer or kommune name.")
@click.option("--school", metavar="CODE[,CODE…]",
              help="What a skoleleder (or a tillitsvalgt without --kommune) sees: school codes.")
@click.password_option()
@with_appcontext
def create_user_command(email: str, role: str, kommune: str | None, school: str | None,
                        password: str) -> None:
    """Create an account; a tillitsvalgt needs --kommune or --school, a skoleleder --school."""
    if (role == "tillitsvalgt" and not (kommune or school)) or (role == "skoleleder" and not school):
        fail(_("A tillitsvalgt needs --kommune (or --school) and a skoleleder --school: without it the "
               "account sees nothing."))
    try:
        create_user(db.session, email, password, role, kommune, school)
    except UserError as exc:
        fail(str(exc))
    db.session.commit()
    click.echo(f"Created {role} account.")


@user_group.command("password")
@click.option("--email", required=True)
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of stdin.")
@with_appcontext
def set_password_command(email: str, password_stdin: bool) -> None:
    """Give an account a new password; every session of the account ends."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        set_password(db.session, email, password)
    except UserError as exc:
        db.session.rollback()
        fail(str(exc))
    db.session.commit()
    click.echo("Changed the password; every session of the account has ended.")


@user_group.command("list")
@with_appcontext
def list_users_command() -> None:
    """Every account with its role and what it may see."""
    for user, kommune, schools in list_users(db.session):
        listed = ", ".join(f"{s.code} {s.name}" for s in schools)
        if user.role == "admin":
            scope = _("everything")
        elif kommune is not None:
            scope = _("kommune %(kommune)s", kommune=describe(kommune))
        elif len(schools) == 1:
            scope = _("school %(schools)s", schools=listed)
        elif schools:
            scope = _("schools %(schools)s", schools=listed)
        else:
            scope = _("nothing (no kommune or school set)")
        click.echo(f"{user.email:<40} {user.role:<13} {scope}")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve_command(host: str, port: int) -> None:
    """Serve the web app with an in-process worker (the embedded mode)."""
    from webapp.serve import EmbeddedServer

    click.echo(f"Laget is running on http://{host}:{port}/ (Ctrl+C stops it)")
    EmbeddedServer(cli_settings(), host, port).run()


@cli.command("demo")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--serve/--no-serve", default=True, help="Start the server after loading the demo data.")
@with_appcontext
def demo_command(port: int, serve: bool) -> None:
    """Migrate, load demo data (idempotent), print links and the admin login, then serve."""
    from flask_migrate import upgrade

    from webapp.services.demo import load_demo

    # The demo shows a user only what they need: where it serves, the links, the login. Migration,
    # import and server start-up notes are INFO; warnings and errors still show.
    logging.disable(logging.INFO)
    try:
        upgrade(directory=str(Path(current_app.root_path).parent / "migrations"))
        base_url = _demo_base_url(port)
        password_file = _demo_password_file()
        demo = load_demo(db.session, replace(settings(), base_url=base_url), _kept_secret(password_file))
        db.session.commit()
        _print_demo(demo, base_url, password_file)
        if serve:
            from webapp.serve import EmbeddedServer

            db.session.remove()
            db.engine.dispose()
            click.echo(_("Laget is running on %(url)s/ (Ctrl+C stops it)", url=base_url))
            EmbeddedServer(replace(settings(), base_url=base_url), "127.0.0.1", port).run()
    finally:
        logging.disable(logging.NOTSET)


def _demo_base_url(port: int) -> str:
    """The links' start: BASE_URL when it is set, else the address the demo serves on."""
    configured = settings().base_url
    return f"http://127.0.0.1:{port}" if configured == Settings.base_url else configured


def _demo_password_file() -> Path:
    """Where the demo keeps its administrator password: next to the SQLite database, else in instance/."""
    url = settings().database_url
    folder = (Path(url.removeprefix("sqlite:///")).parent if url.startswith("sqlite:///")
              else default_instance_path())
    return folder / "demo_admin_password"


def _kept_secret(path: Path) -> str:
    """Return the secret kept in `path`, making one (readable by the owner only) the first time."""
    kept = path.read_text().strip() if path.exists() else ""
    if not kept:
        kept = secrets.token_urlsafe(12)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text(kept + "\n")
    return kept


def _print_demo(demo: Demo, base_url: str, password_file: Path) -> None:
    click.echo(_("Laget demo: the round «%(round)s» with %(count)d schools and simulated answers.",
                 round=demo.round_name, count=demo.schools))
    click.echo("\n" + _("Answer the questionnaire as staff at %(school)s (each link works once):",
                         school=demo.link_school))
    for link in demo.links:
        click.echo(f"  {link}")
    click.echo("\n" + _("Log in at %(url)s", url=f"{base_url}/login"))
    click.echo("  " + _("e-mail:   %(email)s", email=demo.admin_email))
    click.echo("  " + _("password: %(password)s (kept in %(file)s)", password=demo.admin_password,
                        file=_shown_path(password_file)))
    click.echo("  " + _("then the rounds are at %(admin)s and the dashboards at %(results)s",
                        admin=f"{base_url}/admin/", results=f"{base_url}/resultater/") + "\n")


def _shown_path(path: Path) -> str:
    """A path relative to the working folder when it is under it, else as it is."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _round_errors:
    """Turn a RoundError into a clean CLI error after rolling back."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:  # noqa: ANN001
        if isinstance(exc, RoundError):
            db.session.rollback()
            fail(str(exc))
        return False


def _register_more() -> None:
    from webapp.cli_gaps import gaps_command, match_command

    cli.add_command(gaps_command)
    cli.add_command(match_command)


_register_more()
