"""The shared vocabulary file (competence areas, yrkesgrupper, course formats), read once per process."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from webapp.domain.vocabulary import Vocabulary, VocabularyError, parse_vocabulary

DEFAULT = "competence-areas"


def path_of(surveys_dir: Path, name: str = DEFAULT) -> Path:
    return surveys_dir / "vocabulary" / f"{name}.yaml"


@lru_cache(maxsize=8)
def _load(path: Path, mtime: float) -> Vocabulary:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise VocabularyError(f"{path}: cannot be read: {exc}") from exc
    return parse_vocabulary(path.stem, data)


def load(surveys_dir: Path, name: str = DEFAULT) -> Vocabulary:
    """The vocabulary `name` under `surveys_dir/vocabulary/`; VocabularyError when missing or wrong."""
    path = path_of(surveys_dir, name)
    if not path.is_file():
        raise VocabularyError(f"{path}: no such vocabulary")
    return _load(path, path.stat().st_mtime)
