"""Questionnaire files: load, check, publish as immutable versions."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.questionnaire import DefinitionError, Questionnaire, content_hash, parse_definition
from webapp.domain.vocabulary import VocabularyError, compose_areas
from webapp.models import SurveyVersion
from webapp.services import vocabulary

log = logging.getLogger(__name__)
FILE_RE = re.compile(r"^v(\d+)\.ya?ml$")


class PublishError(RuntimeError):
    """A definition cannot be published (invalid, or a published version would change)."""


@dataclass(frozen=True)
class SurveyFile:
    path: Path
    data: Any
    errors: tuple[str, ...]


def read_file(path: Path) -> SurveyFile:
    """Read and validate one definition file; errors carry the file's path."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        return SurveyFile(path, None, (f"{path}: YAML syntax error at {where}: {exc}",))
    try:
        data = compose(path.parent.parent, data)
    except VocabularyError as exc:
        return SurveyFile(path, None, (f"{path}: {exc}",))
    errors = []
    try:
        questionnaire = parse_definition(data)
    except DefinitionError as exc:
        errors = [f"{path}: {e}" for e in exc.errors]
    else:
        match = FILE_RE.match(path.name)
        if match and int(match.group(1)) != questionnaire.version:
            errors.append(f"{path}: version: is {questionnaire.version} but the file is named {path.name}")
        if questionnaire.slug != path.parent.name:
            errors.append(f"{path}: slug: is {questionnaire.slug!r} but the folder is {path.parent.name!r}")
    return SurveyFile(path, data, tuple(errors))


def compose(surveys_dir: Path, data: Any) -> Any:
    """A definition file as it is published: `areas` that refer to the shared vocabulary become the
    self-contained list of areas (the stored definition, and so its content hash, does not depend on
    where the areas were written)."""
    if not isinstance(data, dict) or not isinstance(data.get("areas"), dict):
        return data
    reference = data["areas"]
    name = reference.get("vocabulary")
    if not isinstance(name, str):
        raise VocabularyError("areas.vocabulary: name the vocabulary file under surveys/vocabulary/")
    return {**data, "areas": compose_areas(reference, vocabulary.load(surveys_dir, name))}


def definition_files(surveys_dir: Path) -> list[Path]:
    """Return every questionnaire definition under surveys/ (v<N>.yaml in a survey folder)."""
    return sorted(p for p in surveys_dir.glob("*/v*.y*ml") if FILE_RE.match(p.name))


def check_all(surveys_dir: Path) -> list[str]:
    """Validate every definition; return all errors, each with its file and path."""
    errors: list[str] = []
    for path in definition_files(surveys_dir):
        errors.extend(read_file(path).errors)
    return errors


def find_file(surveys_dir: Path, slug: str, version: int | None = None) -> Path:
    """Return the definition file of `slug`, the newest version unless one is named."""
    candidates = [p for p in definition_files(surveys_dir) if p.parent.name == slug]
    if version is not None:
        candidates = [p for p in candidates if int(FILE_RE.match(p.name).group(1)) == version]
    if not candidates:
        raise PublishError(f"No questionnaire {slug!r} under {surveys_dir}.")
    return max(candidates, key=lambda p: int(FILE_RE.match(p.name).group(1)))


def publish(session: Session, path: Path) -> SurveyVersion:
    """Store a definition as a published version, or return the identical one already stored."""
    survey_file = read_file(path)
    if survey_file.errors:
        raise PublishError("\n".join(survey_file.errors))
    data = survey_file.data
    digest = content_hash(data)
    existing = session.scalar(select(SurveyVersion).filter_by(slug=data["slug"], version=data["version"]))
    if existing is not None:
        if existing.content_hash != digest:
            raise PublishError(
                f"{path}: version {data['version']} of {data['slug']!r} is already published with "
                f"different content. A published questionnaire never changes: save your change as "
                f"v{data['version'] + 1}.yaml with 'version: {data['version'] + 1}'.")
        return existing
    version = SurveyVersion(slug=data["slug"], version=data["version"], content_hash=digest,
                            definition=data, published_at=datetime.now(timezone.utc).replace(tzinfo=None))
    session.add(version)
    session.flush()
    log.info("published questionnaire %s v%s", version.slug, version.version)
    return version


def questionnaire_of(session: Session, version_id: int) -> Questionnaire:
    """Return the parsed questionnaire of a stored version (loaded and parsed once per process)."""
    cached = _PARSED.get(version_id)
    if cached is None or cached[0] != session.get_bind().url.render_as_string():
        version = session.get(SurveyVersion, version_id)
        if version is None:
            raise LookupError(f"survey version {version_id} does not exist")
        cached = (session.get_bind().url.render_as_string(), parse_definition(version.definition))
        _PARSED[version_id] = cached
    return cached[1]


# Published versions never change, so one parse per database and process is enough.
_PARSED: dict[int, tuple[str, Questionnaire]] = {}
