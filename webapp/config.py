"""Settings: the one place that reads the environment."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from limits import parse_many

from webapp.domain.inputs import whole_number

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message says which and how to fix it."""


def default_instance_path() -> Path:
    """Return the folder for the embedded SQLite database and demo secrets."""
    return PROJECT_ROOT / "instance"


def default_database_url() -> str:
    """Return the embedded-mode database: a SQLite file under instance/."""
    return f"sqlite:///{default_instance_path() / 'laget.sqlite'}"


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; defaults give the embedded mode."""

    secret_key: str = ""
    database_url: str = field(default_factory=default_database_url)
    redis_url: str | None = None
    base_url: str = "http://127.0.0.1:5000"
    surveys_dir: Path = PROJECT_ROOT / "surveys"
    privacy_threshold: int = 5
    draft_retention_days: int = 14
    default_locale: str = "nb"
    testing: bool = False
    session_cookie_secure: bool = False
    # Log-in attempts allowed per client address and per account (the e-mail tried); `limits` syntax.
    login_limit_per_address: str = "10 per 15 minutes"
    login_limit_per_account: str = "5 per 15 minutes"
    # Proxies in front that append to X-Forwarded-For; 0 trusts no header and uses the peer address.
    trusted_proxy_count: int = 0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        """Build settings from LAGET_*/standard variables; unset ones keep their defaults."""
        env = dict(os.environ if env is None else env)
        kwargs: dict[str, object] = {}
        if "SECRET_KEY" in env:
            kwargs["secret_key"] = env["SECRET_KEY"]
        if env.get("DATABASE_URL"):
            kwargs["database_url"] = normalise_database_url(env["DATABASE_URL"])
        if env.get("REDIS_URL"):
            kwargs["redis_url"] = env["REDIS_URL"]
        if env.get("BASE_URL"):
            kwargs["base_url"] = env["BASE_URL"].rstrip("/")
        if env.get("LAGET_SURVEYS_DIR"):
            kwargs["surveys_dir"] = Path(env["LAGET_SURVEYS_DIR"])
        if env.get("PRIVACY_THRESHOLD"):
            kwargs["privacy_threshold"] = _positive_int("PRIVACY_THRESHOLD", env["PRIVACY_THRESHOLD"])
        if env.get("DRAFT_RETENTION_DAYS"):
            kwargs["draft_retention_days"] = _positive_int("DRAFT_RETENTION_DAYS",
                                                           env["DRAFT_RETENTION_DAYS"])
        if env.get("SESSION_COOKIE_SECURE"):
            kwargs["session_cookie_secure"] = env["SESSION_COOKIE_SECURE"].lower() in ("1", "true", "yes")
        kwargs.update(_login_settings(env))
        return cls(**kwargs)  # type: ignore[arg-type]

    def validate(self) -> None:
        """Raise ConfigError with a clear message when the settings cannot work."""
        if not self.secret_key:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random string, e.g. "
                "SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))'); "
                "`laget demo` creates one for the embedded mode."
            )
        if len(self.secret_key) < 16:
            raise ConfigError("SECRET_KEY is too short: use at least 16 random characters.")
        if not self.database_url.startswith(("sqlite:", "postgresql")):
            raise ConfigError("DATABASE_URL must be a sqlite:/// or postgresql:// URL.")
        if self.redis_url is not None and not self.redis_url.startswith(("redis://", "rediss://")):
            raise ConfigError("REDIS_URL must start with redis:// or rediss://.")
        if not self.surveys_dir.is_dir():
            raise ConfigError(f"LAGET_SURVEYS_DIR {self.surveys_dir} is not a folder.")
        for name, value in (("LOGIN_LIMIT_PER_ADDRESS", self.login_limit_per_address),
                            ("LOGIN_LIMIT_PER_ACCOUNT", self.login_limit_per_account)):
            _check_rate_limit(name, value)


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _login_settings(env: dict[str, str]) -> dict[str, object]:
    """Read the log-in limits and the trusted proxy count."""
    kwargs: dict[str, object] = {}
    if env.get("LOGIN_LIMIT_PER_ADDRESS"):
        kwargs["login_limit_per_address"] = env["LOGIN_LIMIT_PER_ADDRESS"]
    if env.get("LOGIN_LIMIT_PER_ACCOUNT"):
        kwargs["login_limit_per_account"] = env["LOGIN_LIMIT_PER_ACCOUNT"]
    if env.get("TRUSTED_PROXY_COUNT"):
        kwargs["trusted_proxy_count"] = _whole_number("TRUSTED_PROXY_COUNT", env["TRUSTED_PROXY_COUNT"])
    return kwargs


def _positive_int(name: str, raw: str) -> int:
    value = whole_number(raw)
    if value is None:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}.")
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, got {value}.")
    return value


def _whole_number(name: str, raw: str) -> int:
    number = whole_number(raw)  # ASCII digits: "²".isdigit() is true, and int("²") raises
    if number is None:
        raise ConfigError(f"{name} must be 0 or a positive whole number, got {raw!r}.")
    return number


def _check_rate_limit(name: str, value: str) -> None:
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name} must be a rate such as \"10 per 15 minutes\", got {value!r}.") from None
