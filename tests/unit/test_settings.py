"""Settings read from the environment: the log-in limits and the trusted proxies."""
from __future__ import annotations

import pytest
import yaml

from webapp.config import PROJECT_ROOT, ConfigError, Settings

SECRET = "a-secret-key-of-32-characters-00"


def test_log_in_limits_and_trusted_proxies_have_safe_defaults():
    settings = Settings.from_env({})
    assert settings.login_limit_per_address == "10 per 15 minutes"
    assert settings.login_limit_per_account == "5 per 15 minutes"
    assert settings.trusted_proxy_count == 0


def test_log_in_limits_and_trusted_proxies_come_from_the_environment():
    settings = Settings.from_env({"SECRET_KEY": SECRET, "LOGIN_LIMIT_PER_ADDRESS": "30 per hour",
                                  "LOGIN_LIMIT_PER_ACCOUNT": "3/10 minutes", "TRUSTED_PROXY_COUNT": "1"})
    settings.validate()
    assert settings.login_limit_per_address == "30 per hour"
    assert settings.login_limit_per_account == "3/10 minutes"
    assert settings.trusted_proxy_count == 1


@pytest.mark.parametrize(("env", "message"), [
    ({"LOGIN_LIMIT_PER_ACCOUNT": "five a quarter"}, "LOGIN_LIMIT_PER_ACCOUNT must be a rate such as"),
    ({"LOGIN_LIMIT_PER_ADDRESS": "lots"}, "LOGIN_LIMIT_PER_ADDRESS must be a rate such as"),
])
def test_a_malformed_log_in_limit_is_a_clear_error(env, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({"SECRET_KEY": SECRET, **env}).validate()


@pytest.mark.parametrize("raw", ["-1", "one", "1.5"])
def test_a_malformed_proxy_count_is_a_clear_error(raw):
    with pytest.raises(ConfigError, match="TRUSTED_PROXY_COUNT must be 0 or a positive whole number"):
        Settings.from_env({"TRUSTED_PROXY_COUNT": raw})


def test_the_production_description_sends_cookies_over_https_only():
    environment = yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text())["x-environment"]
    assert Settings.from_env({k: str(v) for k, v in environment.items()}).session_cookie_secure
