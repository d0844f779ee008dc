"""The production processes as compose.yaml runs them, started locally so that faults can hit them.

gunicorn and the Dramatiq worker run compose.yaml's own commands (read through the compose test's
helpers, so a changed command is picked up), with its environment block; Redis and PostgreSQL are the
suite's own: a redis-server on a free port and a database of its own on the local server.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
import time
from pathlib import Path

import psycopg
import requests

from bench.common import ADMIN_DSN, HOST, PROJECT_ROOT, SECRET_KEY, drop_database, migrate, recreate_database
from tests.pipeline.test_compose import compose_env, service_command
from tests.processes import RedisServer, Service, free_port, wait_until

DEFAULT_RE = re.compile(r"\$\{(\w+):-([^}]*)\}")  # compose's ${NAME:-default}


def children(pid: int) -> list[int]:
    """Direct child processes of `pid` (Linux)."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class ChaosRedis(RedisServer):
    """The suite's Redis: with or without an append-only file, its output kept, killable with -9."""

    def __init__(self, port: int, appendonly: bool):
        super().__init__(port)
        self.appendonly = appendonly
        self.service: Service | None = None

    def start(self) -> ChaosRedis:
        argv = [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", HOST,
                "--save", "", "--appendonly", "yes" if self.appendonly else "no", "--dir", self.dir]
        self.service = Service("redis", argv, dict(os.environ)).start()
        self.process = self.service.process
        wait_until(self._answers, what=f"redis on port {self.port}")
        return self

    def messages(self, waiting: bool) -> int:
        """Messages of the aggregation queues in Redis: waiting for a worker to fetch them, or else all
        that no worker has acknowledged yet (fetched ones included). Key names are Dramatiq's."""
        import redis

        try:
            client = redis.Redis(host=HOST, port=self.port, socket_timeout=0.5)
            queues = ("dramatiq:aggregation", "dramatiq:aggregation.DQ")
            if waiting:
                return sum(client.llen(queue) for queue in queues)
            return sum(client.hlen(f"{queue}.msgs") for queue in queues)
        except redis.RedisError:
            return 0

    def kill(self) -> None:
        """SIGKILL: no shutdown save, no goodbye to the clients."""
        if self.service is not None and self.service.alive():
            self.process.kill()
            self.process.wait()
        self.process = None

    def wipe(self) -> None:
        """Forget everything on disk, as a new container without a volume would."""
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = tempfile.mkdtemp(prefix="laget-redis-")


class Stack:
    """PostgreSQL database, Redis, gunicorn and the Dramatiq worker of one chaos run."""

    def __init__(self, database: str, extra_env: dict[str, str] | None = None):
        self.database = database
        self.extra_env = extra_env or {}
        self.database_url = f"postgresql+psycopg://postgres@{HOST}:5432/{database}"
        self.dsn = f"host={HOST} port=5432 user=postgres dbname={database}"
        self.port = free_port()
        self.redis = ChaosRedis(free_port(), appendonly=True)
        self.env = self._env()
        self.web = Service("web", self._web_command(), self.env)
        self.worker = Service("worker", service_command("worker"), self.env)
        self.groups: set[int] = set()  # every process group started, for the final clean-up
        self.logs: list[Path] = []

    def _env(self) -> dict[str, str]:
        env = compose_env(self.database_url, self.redis.url)
        env = {k: DEFAULT_RE.sub(lambda m: os.environ.get(m.group(1), m.group(2)), v) for k, v in env.items()}
        env["SECRET_KEY"] = SECRET_KEY
        env.update(self.extra_env)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH")) if p)
        return env

    def _web_command(self) -> list[str]:
        argv = service_command("web", self.port)
        if not any(a == "--bind" or a.startswith(("--bind=", "-b")) for a in argv):
            argv[1:1] = ["--bind", f"{HOST}:{self.port}"]
        return argv

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        recreate_database(self.database)
        migrate(self.env)
        self.redis.start()
        self.start_web()
        self.start_worker()

    def _started(self, service: Service) -> None:
        service.start()
        self.groups.add(service.process.pid)
        if service.log not in self.logs:
            self.logs.append(service.log)

    def start_web(self, timeout: float = 60.0) -> bool:
        """Start gunicorn; return whether it answers /healthz within `timeout` seconds."""
        self._started(self.web)
        return self.wait_web(timeout)

    def wait_web(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.web.alive():
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.2)
        return False

    def start_worker(self) -> None:
        self._started(self.worker)

    def start_redis(self, appendonly: bool, wipe: bool) -> None:
        self.redis.appendonly = appendonly
        if wipe:
            self.redis.wipe()
        self.redis.start()
        if self.redis.service.log not in self.logs:
            self.logs.append(self.redis.service.log)

    def terminate_connections(self) -> int:
        """pg_terminate_backend every connection to the chaos database but this one; return how many."""
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            return len(conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid()", (self.database,)).fetchall())

    def log_texts(self) -> dict[str, str]:
        return {path.name: path.read_text(errors="replace") for path in self.logs if path.exists()}

    def stop(self) -> None:
        """Stop every process this run started, whatever state the faults left them in."""
        for service in (self.web, self.worker):
            service.stop()
        self.redis.kill()
        for group in self.groups:
            kill_group(group)
        shutil.rmtree(self.redis.dir, ignore_errors=True)

    def drop(self) -> None:
        drop_database(self.database)
        for path in self.logs:
            path.unlink(missing_ok=True)
