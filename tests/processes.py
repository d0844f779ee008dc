"""Real processes for pipeline and browser tests: a private Redis, gunicorn, dramatiq, `laget serve`."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from webapp.config import PROJECT_ROOT
from workers import IDLE_POLL_MS

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float = 20.0, interval: float = 0.1, what: str = "condition"):
    """Poll `predicate` until it returns a truthy value; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class RedisServer:
    """A redis-server of the test's own, on a free port, that the test may stop and start."""

    def __init__(self, port: int | None = None):
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is not installed (Debian package redis-server)")
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="laget-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._answers, what=f"redis on port {self.port}")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def app_env(database_url: str, redis_url: str | None = None, **extra: str) -> dict[str, str]:
    """Environment for a child process of the product."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key-0123456789abcdef",
                "PYTHONUNBUFFERED": "1", **extra})
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM if our process dies without cleaning up (Linux only)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Service:
    """A child process in a session of its own, output kept in a log file; stop() ends it and its
    children. Shared by the tests and the benchmarks (bench/)."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]):
        self.name, self.argv, self.env = name, argv, env
        fd, path = tempfile.mkstemp(prefix=f"laget-{name}-", suffix=".log")
        os.close(fd)
        self.log = Path(path)
        self.process: subprocess.Popen | None = None

    def start(self) -> Service:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.argv, env=self.env, cwd=PROJECT_ROOT, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            preexec_fn=_die_with_parent)  # noqa: PLW1509 (no threads yet)
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM the process (gunicorn stops its workers), then SIGKILL its process group if needed."""
        if not self.alive():
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        try:  # the group has the id of the process we started; catches orphaned workers
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def wait_for_http(url: str, service: Service, timeout: float = 30.0) -> None:
    def answers() -> bool:
        assert service.alive(), f"{service.name} exited:\n{service.output()[-3000:]}"
        try:
            return requests.get(url, timeout=1).status_code == 200
        except requests.RequestException:
            return False
    wait_until(answers, timeout=timeout, what=f"{service.name} at {url}")


def gunicorn(database_url: str, port: int, redis_url: str | None = None, options: tuple[str, ...] = (),
             **extra: str) -> Service:
    """gunicorn as production runs it, with its configuration module; `options` override it."""
    return Service("web", [str(BIN / "gunicorn"), "-c", "python:webapp.gunicorn_conf",
                           "--bind", f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "gthread",
                           "--threads", "4", *options, "webapp:create_app()"],
                   app_env(database_url, redis_url, **extra))


def dramatiq_worker(database_url: str, redis_url: str) -> Service:
    return Service("worker", [str(BIN / "dramatiq"), "workers.main", "--processes", "1", "--threads", "2"],
                   app_env(database_url, redis_url, dramatiq_worker_timeout=str(IDLE_POLL_MS)))


def embedded_server(database_url: str, port: int) -> Service:
    return Service("serve", [str(BIN / "laget"), "serve", "--port", str(port)], app_env(database_url))
