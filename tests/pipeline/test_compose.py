"""compose.yaml's services, run from their own commands against the local PostgreSQL/SQLite and Redis.

Docker cannot run here, so each service's `command` and the shared environment block are taken from
compose.yaml and started as local processes; host names and the public port are swapped for local ones.
"""
from __future__ import annotations

import random
import subprocess

import yaml
from sqlalchemy import select

from tests.processes import BIN, Service, app_env, free_port, wait_for_http, wait_until
from webapp.config import PROJECT_ROOT
from webapp.domain.simulate import simulate_answers
from webapp.extensions import db
from webapp.models import Aggregate, School
from webapp.services import answering

COMPOSE = yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text())


def service_command(name: str, port: int | None = None) -> list[str]:
    argv = list(COMPOSE["services"][name]["command"])
    argv[0] = str(BIN / argv[0])
    return [a.replace("0.0.0.0:8000", f"127.0.0.1:{port}") for a in argv]


def compose_env(database_url: str, redis_url: str) -> dict[str, str]:
    shared = dict(COMPOSE["x-environment"])
    assert set(shared) >= {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
    local = {k: str(v) for k, v in shared.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    return app_env(database_url, redis_url, **local)


def test_compose_defines_the_production_services():
    services = COMPOSE["services"]
    assert set(services) == {"migrate", "web", "worker", "postgres", "redis"}
    for name in ("migrate", "web", "worker"):
        assert services[name]["environment"] == COMPOSE["x-environment"]
    assert services["migrate"]["restart"] == "no"


def test_each_service_command_comes_up(app, database_url, redis_server, open_round, invite):
    env = compose_env(database_url, redis_server.url)

    # migrate: a one-shot that exits 0 (the schema is already current, so it must be idempotent)
    migrate = subprocess.run(service_command("migrate"), env=env, cwd=PROJECT_ROOT, capture_output=True,
                             text=True, timeout=120)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr

    # web: gunicorn answers /healthz
    port = free_port()
    web = Service("compose-web", service_command("web", port), env).start()
    worker = Service("compose-worker", service_command("worker"), env).start()
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", web)

        # worker: consumes the message that a stored response's outbox event becomes
        token = invite("S3")[0]
        with app.app_context():
            link = answering.open_link(db.session, token)
            answering.store_response(db.session, link.questionnaire, link.round.id, link.invitation.school_id,
                                     simulate_answers(link.questionnaire, random.Random(5)))
            db.session.commit()
            school_id = db.session.scalar(select(School.id).filter_by(code="S3"))
            round_id = link.round.id

        def counted() -> bool:
            with app.app_context():
                live = db.session.get(Aggregate, (round_id, "live", "school", school_id, "all"))
                return live is not None and live.respondents == 1
        wait_until(counted, timeout=30, what="the compose worker to consume the message")
        assert worker.alive(), worker.output()[-2000:]
    finally:
        web.stop()
        worker.stop()
