"""Log-in limits in production shape: gunicorn's processes share their counts in Redis, under keys that
carry no e-mail or address; X-Forwarded-For counts only when TRUSTED_PROXY_COUNT says so; and logging
in goes on, still limited, while Redis is away."""
from __future__ import annotations

import re

import redis
import requests

from tests.processes import free_port, gunicorn, wait_for_http
from webapp.extensions import db
from webapp.services.users import create_user

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PASSWORD = "correct horse battery"
# Documentation addresses (RFC 5737), only ever sent as X-Forwarded-For header values to 127.0.0.1.
CLIENT, OTHER_CLIENT = "203.0.113.7", "203.0.113.8"
# What Flask-Limiter keeps in Redis: an HMAC where the address or the e-mail would be.
LIMITER_KEY = re.compile(
    r"LIMITS:LIMITER/(address|account):[0-9a-f]{32}/password-guesses-per-\1/\d+/\d+/minute")


def attempt(base_url: str, email: str, password: str, forwarded_for: str) -> int:
    http = requests.Session()
    csrf = CSRF.search(http.get(f"{base_url}/login").text).group(1)
    posted = http.post(f"{base_url}/login", data={"csrf_token": csrf, "email": email, "password": password},
                       headers={"X-Forwarded-For": forwarded_for}, allow_redirects=False, timeout=10)
    return posted.status_code


def test_gunicorn_behind_a_proxy_limits_log_ins_in_redis_without_storing_who(app, database_url, redis_server):
    with app.app_context():
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        db.session.commit()
    port = free_port()
    web = gunicorn(database_url, port, redis_server.url, TRUSTED_PROXY_COUNT="1").start()
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base_url}/healthz", web)

        # Given ten attempts from one client behind the proxy, spread over gunicorn's two processes …
        for number in range(10):
            assert attempt(base_url, f"nobody{number}@example.org", "wrong password", CLIENT) == 422

        # Then its eleventh is refused, while another client behind the same proxy logs in
        assert attempt(base_url, "admin@example.org", PASSWORD, CLIENT) == 429
        assert attempt(base_url, "admin@example.org", PASSWORD, OTHER_CLIENT) == 302

        # … and what Redis holds names neither the e-mails nor the addresses
        keys = [key.decode() for key in redis.Redis.from_url(redis_server.url).scan_iter()]
        shapes = [LIMITER_KEY.fullmatch(key) for key in keys]
        assert all(shapes), keys
        assert {shape.group(1) for shape in shapes} == {"address", "account"}

        # When Redis goes away, logging in still works, counted in each process's memory
        redis_server.stop()
        assert attempt(base_url, "admin@example.org", PASSWORD, "203.0.113.9") == 302
        assert web.alive()
    finally:
        web.stop()
    assert "admin@example.org" not in web.output() and "203.0.113" not in web.output()


def test_successful_log_ins_count_nothing_in_redis_while_wrong_guesses_do(app, database_url, redis_server):
    emails = ["admin@example.org", "tv@example.org", "leder@example.org"]
    with app.app_context():
        for email in emails:
            create_user(db.session, email, PASSWORD, "admin")
        db.session.commit()
    port = free_port()
    web = gunicorn(database_url, port, redis_server.url, TRUSTED_PROXY_COUNT="1").start()
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base_url}/healthz", web, timeout=90)  # a loaded machine

        # Given three accounts logging in in turn from one client, six times each, over both processes …
        codes = [attempt(base_url, email, PASSWORD, CLIENT) for _round in range(6) for email in emails]

        # Then none is refused
        assert codes == [302] * 18

        # … while ten wrong guesses from that client still leave its eleventh attempt refused
        for number in range(10):
            assert attempt(base_url, f"nobody{number}@example.org", "wrong password", CLIENT) == 422
        assert attempt(base_url, "admin@example.org", PASSWORD, CLIENT) == 429
    finally:
        web.stop()
