"""Pipeline fixtures: a private Redis and the web and worker processes of production."""
from __future__ import annotations

import pytest

from tests.processes import RedisServer, dramatiq_worker, free_port, gunicorn, wait_for_http


@pytest.fixture()
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture()
def web(app, database_url):
    """gunicorn serving create_app() against the test database (the web never talks to Redis)."""
    port = free_port()
    service = gunicorn(database_url, port).start()
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", service)
        service.base_url = f"http://127.0.0.1:{port}"
        yield service
    finally:
        service.stop()


@pytest.fixture()
def worker(app, database_url, redis_server):
    """`dramatiq workers.main` on the private Redis: consumes messages and relays the outbox."""
    service = dramatiq_worker(database_url, redis_server.url).start()
    yield service
    service.stop()
