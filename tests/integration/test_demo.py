"""`laget demo`, as `make demo` runs it: the same administrator password every run, and no noise."""
from __future__ import annotations

import sqlite3
import stat
import subprocess

import requests

from tests.processes import BIN, Service, app_env, free_port, wait_for_http


def admin_hash(database: str) -> str:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT password_hash FROM app_user WHERE role = 'admin'").fetchone()[0]


def password_in(output: str) -> str:
    line = next(line for line in output.splitlines() if line.strip().startswith("passord:"))
    return line.split()[1]


def test_the_demo_keeps_its_first_admin_password_and_prints_only_what_a_user_needs(tmp_path):
    database = tmp_path / "laget.sqlite"
    env = {k: v for k, v in app_env(f"sqlite:///{database}").items() if k != "BASE_URL"}
    port = free_port()

    # Given a first run that loads the demo …
    first = subprocess.run([str(BIN / "laget"), "demo", "--no-serve", "--port", str(port)], env=env,
                           cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert first.returncode == 0, first.stderr
    kept = tmp_path / "demo_admin_password"
    password = password_in(first.stdout)
    assert kept.read_text().strip() == password and stat.S_IMODE(kept.stat().st_mode) == 0o600
    stored = admin_hash(str(database))

    # When it runs again and serves …
    demo = Service("demo", [str(BIN / "laget"), "demo", "--port", str(port)], env).start()
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", demo)
        assert "Laget" in requests.get(f"http://127.0.0.1:{port}/", timeout=10).text
    finally:
        demo.stop()
    output = demo.output()

    # Then it prints the same password, has not reset it (a logged-in browser stays logged in), and says
    # only where it serves, the links and the login: no migration, import or server start-up notes
    assert password_in(output) == password and admin_hash(str(database)) == stored
    assert first.stderr == "" and "INFO" not in output and "alembic" not in output
    assert f"Laget kjører på http://127.0.0.1:{port}/" in output
    assert output.count(f"http://127.0.0.1:{port}/s/") == 3 and f"http://127.0.0.1:{port}/login" in output
    # … and the two other demo accounts
    assert len([line for line in output.splitlines() if line.strip()]) <= 12
    assert "leder@laget.example" in output and "tillitsvalgt@laget.example" in output
