"""Shared helpers of the benchmarks: the bench database, child processes, statistics, markdown."""
from __future__ import annotations

import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # the benchmarks never send traffic anywhere else
ADMIN_DSN = os.environ.get("BENCH_POSTGRES_ADMIN_DSN", f"host={HOST} port=5432 user=postgres dbname=postgres")
BENCH_DB = "laget_bench"
BENCH_DSN = f"host={HOST} port=5432 user=postgres dbname={BENCH_DB}"
DATABASE_URL = f"postgresql+psycopg://postgres@{HOST}:5432/{BENCH_DB}"
SECRET_KEY = "bench-secret-key-0123456789abcdef"


@dataclass
class Section:
    """One benchmark's part of docs/benchmarks.md."""

    title: str
    body: str
    facts: dict[str, str] = field(default_factory=dict)  # one-line summary for the console


# --- the bench database -------------------------------------------------------------------------

def recreate_database() -> None:
    """Drop and create the bench database (and nothing else)."""
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def app_env(**extra: str) -> dict[str, str]:
    """Environment of a child process of the product, pointed at the bench database."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update({"DATABASE_URL": DATABASE_URL, "SECRET_KEY": SECRET_KEY, "PYTHONUNBUFFERED": "1", **extra})
    return env


def migrate() -> None:
    """Bring the bench database to the newest schema with the project's Alembic migrations."""
    done = subprocess.run([str(BIN / "laget"), "db", "upgrade"], env=app_env(), cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"`laget db upgrade` failed:\n{done.stdout}\n{done.stderr}")


def server_facts() -> dict[str, str]:
    with psycopg.connect(BENCH_DSN) as conn:
        return {name: conn.execute(f"SHOW {name}").fetchone()[0]
                for name in ("server_version", "synchronous_commit", "fsync", "shared_buffers",
                             "max_connections")}


# --- child processes ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM if the benchmark dies without cleaning up (Linux only)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Service:
    """A child process in a session of its own, output kept in a log file; stop() ends it and its children."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]):
        self.name, self.argv, self.env = name, argv, env
        fd, path = tempfile.mkstemp(prefix=f"laget-bench-{name}-", suffix=".log")
        os.close(fd)
        self.log = Path(path)
        self.process: subprocess.Popen | None = None

    def start(self) -> Service:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.argv, env=self.env, cwd=PROJECT_ROOT, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            preexec_fn=_die_with_parent)  # noqa: PLW1509 (no threads yet)
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM the process (gunicorn stops its workers), then SIGKILL its process group if needed."""
        if self.process is None:
            return
        pid = self.process.pid
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        try:  # the group has the id of the process we started; catches orphaned workers
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process = None


def wait_for_http(url: str, service: Service, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not service.alive():
            raise RuntimeError(f"{service.name} exited:\n{service.output()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{service.name} did not answer {url} within {timeout:.0f} s:\n{service.output()[-3000:]}")


# --- statistics and markdown --------------------------------------------------------------------

def percentile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolated percentile (0..100) of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = (len(sorted_values) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


@dataclass(frozen=True)
class Stats:
    """Throughput and latency of one measured phase (latencies in seconds)."""

    operations: int
    wall: float
    p50: float
    p95: float
    p99: float
    mean: float
    max: float

    @classmethod
    def of(cls, latencies: list[float], wall: float) -> Stats:
        values = sorted(latencies)
        return cls(len(values), wall, percentile(values, 50), percentile(values, 95), percentile(values, 99),
                   sum(values) / len(values) if values else float("nan"), values[-1] if values else float("nan"))

    @property
    def rate(self) -> float:
        return self.operations / self.wall if self.wall > 0 else 0.0


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def machine_facts() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"os.cpu_count()": str(os.cpu_count()), "CPU": cpu, "Python": platform.python_version(),
            "Platform": platform.platform()}


# --- CPU accounting -----------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuSnapshot:
    at: float
    busy: float                          # CPU seconds all CPUs spent not idle, since boot
    processes: dict[int, tuple[int, str, str, float]]  # pid -> (ppid, comm, cmdline, CPU seconds)


def cpu_snapshot() -> CpuSnapshot:
    """System-wide busy time and the CPU time of every process, from /proc (Linux)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = (sum(fields[:8]) - idle) / CLOCK_TICKS               # user … steal, without guest (already in user)
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        rest = stat[stat.rindex(")") + 2:].split()
        processes[int(entry.name)] = (int(rest[1]), comm, cmdline, (int(rest[11]) + int(rest[12])) / CLOCK_TICKS)
    return CpuSnapshot(time.monotonic(), busy, processes)


def cpu_usage(before: CpuSnapshot, after: CpuSnapshot, classify,
              extra: dict[str, float] | None = None) -> dict[str, float]:
    """Average cores used between two snapshots, per class.

    `classify(pid, ppid, comm, cmdline)` names a process's class, or returns None (not claimed) or ""
    (claimed through `extra`, CPU seconds measured by the processes themselves). `total` is everything
    busy on the machine and `other` what no class claimed.
    """
    seconds = after.at - before.at
    used: dict[str, float] = dict(extra or {})
    for pid, (ppid, comm, cmdline, cpu) in after.processes.items():
        name = classify(pid, ppid, comm, cmdline)
        if not name:
            continue
        start = before.processes.get(pid)
        spent = cpu - (start[3] if start and start[1] == comm else 0.0)
        used[name] = used.get(name, 0.0) + max(spent, 0.0)
    cores = {name: value / seconds for name, value in used.items()}
    cores["total"] = (after.busy - before.busy) / seconds
    cores["other"] = max(cores["total"] - sum(v for k, v in cores.items() if k != "total"), 0.0)
    cores["idle"] = max((os.cpu_count() or 1) - cores["total"], 0.0)
    return cores
