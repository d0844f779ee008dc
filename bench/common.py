"""Shared helpers of the benchmarks: the bench database, statistics, markdown (child processes are
the tests' own, tests/processes.py)."""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests import processes

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

def recreate_database(name: str = BENCH_DB) -> None:
    """Drop and create the bench database, or another of the benchmarks' own (and nothing else)."""
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_env(**extra: str) -> dict[str, str]:
    """Environment of a child process of the product, pointed at the bench database."""
    return processes.app_env(DATABASE_URL, SECRET_KEY=SECRET_KEY, **extra)


def fresh_database(label: str) -> float:
    """Measure what other processes use for two seconds, then drop, recreate and migrate the bench
    database; return the other processes' cores (reported with the figures)."""
    quiet = cpu_snapshot()
    time.sleep(2)
    background = cpu_usage(quiet, cpu_snapshot(), lambda *process: None)["other"]
    print(f"{label}: other processes use {background:.2f} cores; setting up {BENCH_DB} …", flush=True)
    recreate_database()
    migrate()
    return background


def migrate(env: dict[str, str] | None = None) -> None:
    """Bring the bench database (or the one `env` names) to the newest schema with the project's Alembic
    migrations."""
    done = subprocess.run([str(BIN / "laget"), "db", "upgrade"], env=env or app_env(), cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"`laget db upgrade` failed:\n{done.stdout}\n{done.stderr}")


def server_facts() -> dict[str, str]:
    with psycopg.connect(BENCH_DSN) as conn:
        return {name: conn.execute(f"SHOW {name}").fetchone()[0]
                for name in ("server_version", "synchronous_commit", "fsync", "shared_buffers",
                             "max_connections")}


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
                   sum(values) / len(values) if values else float("nan"),
                   values[-1] if values else float("nan"))

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
    # user … steal, without guest (already counted in user)
    busy = (sum(fields[:8]) - idle) / CLOCK_TICKS
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
        cpu_seconds = (int(rest[11]) + int(rest[12])) / CLOCK_TICKS
        processes[int(entry.name)] = (int(rest[1]), comm, cmdline, cpu_seconds)
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
