"""`laget serve` and `laget demo`: the embedded mode, and the demo with its links and log-in."""
from __future__ import annotations

import logging
import secrets
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from webapp.cli_common import cli_settings, settings, shown_path
from webapp.config import Settings, default_instance_path
from webapp.extensions import db

if TYPE_CHECKING:
    from webapp.services.demo import Demo


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve_command(host: str, port: int) -> None:
    """Serve the web app with an in-process worker (the embedded mode)."""
    from webapp.serve import EmbeddedServer

    click.echo(f"Laget is running on http://{host}:{port}/ (Ctrl+C stops it)")
    EmbeddedServer(cli_settings(), host, port).run()


@click.command("demo")
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
                        file=shown_path(password_file)))
    click.echo("  " + _("then the rounds are at %(admin)s and the dashboards at %(results)s",
                        admin=f"{base_url}/admin/", results=f"{base_url}/resultater/"))
    click.echo("  " + _("with the same password, %(email)s is the school leader of %(school)s (the course "
                        "budget planner, the leader questions)", email=demo.leader_email,
                        school=demo.link_school))
    click.echo("  " + _("and %(email)s the tillitsvalgt of %(kommune)s (saved plans, the dashboards)",
                        email=demo.tillitsvalgt_email, kommune=demo.kommune) + "\n")
