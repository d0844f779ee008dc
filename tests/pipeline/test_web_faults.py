"""Faults of the web process as production runs it: gunicorn with webapp/gunicorn_conf.py, on PostgreSQL.

A database connection cut inside a request, a database whose connections all went away, and a master
killed with SIGKILL. Each test looks at what the reader or a new master gets, and at gunicorn's output.
"""
from __future__ import annotations

import os
import signal
import socket
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import requests

from tests.conftest import TEST_DB
from tests.processes import Service, free_port, gunicorn, wait_for_http, wait_until

postgresql_only = pytest.mark.skipif(TEST_DB != "postgresql", reason="terminates PostgreSQL backends")
APP_NAME = "laget-web-under-test"  # libpq's PGAPPNAME: tells the web's backends from the test's own
EMAIL = "ola.nordmann@example.org"


@contextmanager
def one_worker_web(database_url: str, *options: str):
    """gunicorn with one worker (so that a page finds its questionnaire parsed by the request before)."""
    port = free_port()
    web = gunicorn(database_url, port, options=("--workers", "1", *options), PGAPPNAME=APP_NAME).start()
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", web)
        web.base_url = f"http://127.0.0.1:{port}"
        yield web
    finally:
        web.stop()


def web_backends(admin: psycopg.Connection, condition: str = "true") -> list[int]:
    return [pid for (pid,) in admin.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s "
        f"AND {condition}", (APP_NAME,)).fetchall()]


def terminate_web_backends(admin: psycopg.Connection) -> None:
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                  "AND pid <> pg_backend_pid() AND application_name = %s", (APP_NAME,))


def worker_pids(master: Service) -> list[int]:
    pid = master.process.pid
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@contextmanager
def frozen(pids: list[int]):
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


def dsn(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://")


@postgresql_only
def test_a_connection_cut_inside_an_answering_request_shows_our_page_and_logs_no_token(
        app, database_url, invite):
    token = invite("S1")[0]
    # The access log is switched on here to show that its lines are scrubbed too
    with one_worker_web(database_url, "--access-logfile", "-") as web:
        page = f"{web.base_url}/s/{token}/side/samtykke?e={EMAIL}"
        headers = {"Referer": f"https://laget.example/s/{token}/oppsummering"}
        assert requests.get(page, headers=headers, timeout=10).status_code == 200
        with psycopg.connect(dsn(database_url), autocommit=True) as admin, \
                psycopg.connect(dsn(database_url)) as locker, ThreadPoolExecutor(1) as pool:
            # Given a request for the page whose query waits for a lock on the invitations …
            locker.execute("LOCK TABLE invitation IN ACCESS EXCLUSIVE MODE")
            pending = pool.submit(requests.get, page, headers=headers, timeout=30)
            wait_until(lambda: web_backends(admin, "wait_event_type = 'Lock'"), what="the request to wait")
            with frozen(worker_pids(web)):
                # … when its query has its answer but the frozen worker has not read it, so that the
                # request holds an open transaction after its last query, the connection is cut
                locker.rollback()
                wait_until(lambda: web_backends(admin, "state = 'idle in transaction'"), what="the answer")
                terminate_web_backends(admin)
            response = pending.result()
        # Then the reader gets the page, or our error page in bokmål: never gunicorn's bare one
        assert response.status_code in (200, 500) and '<html lang="nb">' in response.text, response.text
        # And the next request works
        assert requests.get(page, headers=headers, timeout=10).status_code == 200
    output = web.output()
    assert "OperationalError" in output  # the cut was logged, by the type of its error …
    assert token not in output and EMAIL not in output  # … and nothing holds the token or the address
    assert "GET /s/…/side/samtykke?e=…@… " in output  # the access log's lines are there, scrubbed


@postgresql_only
def test_after_every_database_connection_was_cut_the_next_request_works(app, database_url, invite):
    token = invite("S1")[0]
    with one_worker_web(database_url) as web, psycopg.connect(dsn(database_url), autocommit=True) as admin:
        page = f"{web.base_url}/s/{token}/side/samtykke"
        assert requests.get(page, timeout=10).status_code == 200
        # Given the worker's pooled connection dies while idle (a database restart, a network cut)
        assert web_backends(admin)
        terminate_web_backends(admin)
        wait_until(lambda: not web_backends(admin), what="the backends to end")
        # Then the next reader is not the one who finds out
        assert requests.get(page, timeout=10).status_code == 200


def held_by_a_worker(master: Service, client: socket.socket) -> bool:
    """Whether a worker of `master` has accepted `client`'s connection (Linux: /proc/net/tcp, fds)."""
    server, peer = (f"0100007F:{port:04X}" for port in (client.getpeername()[1], client.getsockname()[1]))
    rows = map(str.split, Path("/proc/net/tcp").read_text().splitlines())
    inodes = {f"socket:[{fields[9]}]" for fields in rows if fields[1:3] == [server, peer]}
    return any(inodes & open_files(pid) for pid in worker_pids(master))


def open_files(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            found.add(os.readlink(fd))
        except FileNotFoundError:  # closed meanwhile
            pass
    return found


def test_a_restart_right_after_the_master_is_killed_serves(database_url):
    port = free_port()
    first = gunicorn(database_url, port).start()
    second = None
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", first)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as slow:
            # Given a request in flight: a client that has sent half its headers, taken by a worker …
            slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: laget.test\r\n")
            wait_until(lambda: held_by_a_worker(first, slow), what="a worker to take the connection")
            # … when the master is killed hard, and a new one is started on the same port as soon as
            # the workers have noticed (gunicorn's own check looks once a second)
            orphans = worker_pids(first)
            os.kill(first.process.pid, signal.SIGKILL)
            first.process.wait()
            wait_until(lambda: all(noticed(first, pid) for pid in orphans), timeout=5, what="the workers")
            second = gunicorn(database_url, port).start()
            # Then the new one serves within seconds (it tries to bind 5 times, 1 s apart, then gives up) …
            wait_for_http(f"http://127.0.0.1:{port}/healthz", second, timeout=10)
        # … and the old workers are gone
        wait_until(lambda: not any(map(running, orphans)), timeout=5, what="the orphaned workers to exit")
    finally:
        if second is not None:
            second.stop()
        try:  # the group has the first master's id and holds any worker left behind
            os.killpg(first.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def noticed(master: Service, pid: int) -> bool:
    """Whether worker `pid` has seen that its master is gone (by gunicorn's check, or has ended)."""
    return not running(pid) or f"Parent changed, shutting down: <Worker {pid}>" in master.output()


def running(pid: int) -> bool:
    """Whether `pid` is a process that has not ended (a zombie waiting to be reaped has)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
