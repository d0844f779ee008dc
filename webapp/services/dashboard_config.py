"""A questionnaire's dashboard file (`surveys/<slug>/dashboard.yaml`), read once per process."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from webapp.domain.dashboard_config import DashboardConfig, DashboardConfigError, parse_dashboard_config

FILE_NAME = "dashboard.yaml"


def path_of(surveys_dir: Path, slug: str) -> Path:
    return surveys_dir / slug / FILE_NAME


@lru_cache(maxsize=8)
def _load(path: Path, mtime: float) -> DashboardConfig:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DashboardConfigError([f"{path}: cannot be read: {exc}"]) from exc
    try:
        return parse_dashboard_config(data)
    except DashboardConfigError as exc:
        raise DashboardConfigError([f"{path}: {e}" for e in exc.errors]) from None


def load(surveys_dir: Path, slug: str) -> DashboardConfig:
    """The dashboard file of questionnaire `slug`; DashboardConfigError, naming the file, when it is wrong.

    A questionnaire without one gets the plain dashboard: every block drawn as its answers' distribution,
    and none of the panels that need the file (pupil groups, areas, trend, comparison)."""
    path = path_of(surveys_dir, slug)
    if not path.is_file():
        return DashboardConfig()
    return _load(path, path.stat().st_mtime)
