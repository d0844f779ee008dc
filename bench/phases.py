"""Measured phases, parent side: start load-generator processes, start them together, gather results.

The child side is bench.loadgen. Processes are started with the `spawn` method (no copy of this
process's database connections), wait until every one is ready, then start on one event; the
wall clock runs from that event to the end of the last worker.
"""
from __future__ import annotations

import os
import queue
import time
from dataclasses import dataclass
from typing import Any

from bench import loadgen
from bench.common import BENCH_DB, BENCH_DSN, Stats, cpu_snapshot, cpu_usage

BASELINE_PAYLOAD = "x" * 200


@dataclass
class RespondentPhase:
    wall: float                           # seconds from the start event to the last worker's end
    results: list[loadgen.WorkerResult]
    cut: bool                             # the time cap stopped it before every job was done
    cpu: dict[str, float]                 # average cores used, per class of process


@dataclass
class InsertPhase:
    inserts: Stats
    errors: list[str]
    cpu: dict[str, float]


def classifier(gunicorn_pid: int, load_pids: set[int]):
    """Class of a process for the CPU table: gunicorn, postgres, load generator, or None (not ours)."""
    me = os.getpid()

    def classify(pid: int, ppid: int, comm: str, cmdline: str) -> str | None:
        if pid == gunicorn_pid or ppid == gunicorn_pid:
            return "gunicorn"
        if pid == me:
            return "load generator"
        if pid in load_pids:
            return ""  # they report their own CPU time
        if comm == "postgres":
            parts = cmdline.split()  # a backend is "postgres: user database host(port) state"
            is_backend = cmdline.startswith("postgres: ") and len(parts) >= 4 and "(" in parts[3]
            return "postgres" if not is_backend or parts[2] == BENCH_DB else None
        return None
    return classify


def _collect(results, processes, expected: int, timeout: float) -> list[Any]:
    """Gather one result per worker; fail when a worker died or the phase overran."""
    out: list[Any] = []
    deadline = time.monotonic() + timeout
    while len(out) < expected:
        try:
            out.append(results.get(timeout=1))
        except queue.Empty:
            dead = [p for p in processes if p.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(
                    f"{len(dead)} load-generator process(es) died (exit code {dead[0].exitcode})") from None
            if time.monotonic() > deadline:
                raise RuntimeError("a load-generator phase overran its time limit") from None
    return out


def _start(processes, ready) -> None:
    for process in processes:
        process.start()
    for _process in processes:
        ready.get(timeout=60)


def _stop(processes, grace: float) -> None:
    """Let the phase's processes exit for up to `grace` seconds in all, then terminate and kill the rest."""
    started = [p for p in processes if p.pid is not None]
    deadline = time.monotonic() + grace
    for process in started:
        process.join(timeout=max(deadline - time.monotonic(), 0))
    for process in started:
        if process.is_alive():
            process.terminate()
    for process in started:
        process.join(timeout=2)
        if process.is_alive():
            process.kill()
            process.join(timeout=2)


class _Stopping:
    """`with _Stopping(processes):` waits briefly for a normal end, or stops everything at once on error."""

    def __init__(self, processes):
        self.processes = processes

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> None:
        _stop(self.processes, grace=10 if exc_type is None else 0)


def respondents(ctx, port: int, jobs: list[dict[str, Any]], concurrency: int, cap: float,
                gunicorn_pid: int) -> RespondentPhase:
    """Answer `jobs` with `concurrency` virtual respondents, for at most `cap` seconds."""
    jobs_queue, results, ready, start = ctx.Queue(), ctx.Queue(), ctx.Queue(), ctx.Event()
    for job in jobs:
        jobs_queue.put(job)
    for _n in range(concurrency):
        jobs_queue.put(None)
    jobs_queue.cancel_join_thread()  # on an early stop, do not wait to hand over the jobs nobody will take
    processes = [ctx.Process(target=loadgen.respondent_worker, daemon=True,
                             args=(port, jobs_queue, results, ready, start, cap))
                 for _n in range(concurrency)]
    with _Stopping(processes):
        _start(processes, ready)
        started = time.perf_counter()
        start.set()
        before = cpu_snapshot()
        out: list[loadgen.WorkerResult] = _collect(results, processes, concurrency, timeout=cap + 120)
        after = cpu_snapshot()
    cpu = cpu_usage(before, after, classifier(gunicorn_pid, {p.pid for p in processes}),
                    {"load generator": sum(r.cpu_seconds for r in out)})
    return RespondentPhase(wall=max(r.last_end for r in out) - started, results=out,
                           cut=sum(r.respondents for r in out) < len(jobs), cpu=cpu)


def inserts(ctx, total: int, concurrency: int) -> InsertPhase:
    """`total` bare single-row INSERT + COMMITs into bench_baseline from `concurrency` psycopg clients."""
    results, ready, start, done = ctx.Queue(), ctx.Queue(), ctx.Event(), ctx.Event()
    shares = [total // concurrency + (1 if i < total % concurrency else 0) for i in range(concurrency)]
    processes = [ctx.Process(target=loadgen.insert_worker, daemon=True,
                             args=(BENCH_DSN, share, BASELINE_PAYLOAD, results, ready, start, done))
                 for share in shares]
    with _Stopping(processes):
        _start(processes, ready)
        started = time.perf_counter()
        start.set()
        before = cpu_snapshot()
        out = _collect(results, processes, concurrency, timeout=120)
        after = cpu_snapshot()
        done.set()  # the clients disconnect only now, so their backends' CPU time was still in /proc
    cpu = cpu_usage(before, after, classifier(-1, {p.pid for p in processes}),
                    {"load generator": sum(r["cpu_seconds"] for r in out)})
    wall = max(r["last_end"] for r in out) - started
    return InsertPhase(Stats.of([x for r in out for x in r["latencies"]], wall),
                       [e for r in out for e in r["errors"]], cpu)
