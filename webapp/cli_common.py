"""What the `laget` commands share: settings, clean failures, all-or-nothing imports."""
from __future__ import annotations

import secrets
from dataclasses import replace
from pathlib import Path

import click
from flask import current_app

from webapp.config import Settings, default_instance_path
from webapp.extensions import db
from webapp.services.csv_import import ImportFailed, open_csv
from webapp.services.rounds import RoundError


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


def settings() -> Settings:
    return current_app.config["LAGET"]


def fail(message: str) -> None:
    raise click.ClickException(message)


def import_all_or_nothing(csv_file: Path, run, opener=open_csv):  # noqa: ANN001, ANN202
    """Run an import on the file's lines (or what `opener` gives) and commit it, or roll back and list every
    problem by line and column."""
    try:
        with opener(csv_file) as lines:
            result = run(lines)
    except ImportFailed as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(f"{csv_file}: {problem}", err=True)
        fail(f"Nothing was imported ({len(exc.problems)} problem(s)).")
    db.session.commit()
    return result


def shown_path(path: Path) -> str:
    """A path relative to the working folder when it is under it, else as it is."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class round_errors:
    """Turn a RoundError into a clean CLI error after rolling back."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:  # noqa: ANN001
        if isinstance(exc, RoundError):
            db.session.rollback()
            fail(str(exc))
        return False


def chosen_unit(school: str | None, kommune: str | None, fylke: str | None = None) -> tuple[str, str | None]:
    """The level and key the options name (at most one of them); none: the whole round."""
    chosen = [(lvl, key) for lvl, key in (("school", school), ("kommune", kommune), ("fylke", fylke)) if key]
    if len(chosen) > 1:
        fail("Choose at most one of --school, --kommune and --fylke.")
    return chosen[0] if chosen else ("round", None)


def find_unit(round_name: str, level: str, key: str | None):  # noqa: ANN201
    """The round and the unit's id and name, or a clean failure naming what is not there."""
    from webapp.services import results
    from webapp.services import rounds as round_service
    from webapp.services.kommuner import AmbiguousKommune

    with round_errors():
        found = round_service.get_round(db.session, round_name)
    try:
        unit_id, unit_name = results.find_unit(db.session, found, level, key)
    except (results.UnitNotFound, AmbiguousKommune) as exc:
        fail(str(exc))
    return found, unit_id, unit_name
