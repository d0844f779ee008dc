"""Submit → figures: how soon a submitted response is in the school's figures, through the whole pipeline.

Setup: drop, recreate and migrate `laget_bench`; the three schools of bench.submission, one open round
and an administrator. Started here and stopped at the end, also on failure: a redis-server of our own
on a free port (tests.processes.RedisServer), `dramatiq workers.main --processes 1 --threads 2` (REDIS_URL
and dramatiq_worker_timeout set as in compose.yaml; it also runs the outbox relay and the pool mover)
and gunicorn (no REDIS_URL: the web only writes the pool). Respondents answer one at a time through the
real pages (bench.loadgen), all of one occupational group (simulated answers drawn until they are).

A submitted response waits sealed in the pool until its school has a block of k (the privacy
threshold) of them; only then is the block stored, aggregated and released. So the response that
completes a block is the one timed: after its summary POST the benchmark polls the database every POLL
seconds until the school's live aggregate counts the whole block, then the school dashboard, as the
administrator, until its «responses in the figures» shows the new count. After every other response
it checks that the live figures did not move (a response alone never reaches the figures).

Warm-up: the first block of every school (k responses per school, round-robin); timed but reported apart.

Knobs (environment): BENCH_LATENCY_RESPONSES (measured responses, 90: 18 blocks of 5),
BENCH_LATENCY_TIMEOUT (seconds to wait for one block's figures, 30), BENCH_LATENCY_SECONDS (cap on the
measured phase, 150).
"""
from __future__ import annotations

import http.client
import os
import random
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

import psycopg

from bench.aggregation import ADMIN_EMAIL, ADMIN_PASSWORD, kpi_respondents, login, other_cores
from bench.common import (
    BENCH_DSN,
    app_env,
    DATABASE_URL,
    HOST,
    SECRET_KEY,
    Section,
    cpu_snapshot,
    fresh_database,
    ms,
    percentile,
    table,
)
from bench.submission import ORG_CSV, SCHOOLS, SURVEY, THREADS, WORKERS, gunicorn
from tests.processes import BIN, RedisServer, Service, free_port, wait_for_http
from workers import IDLE_POLL_MS

ROUND = "Benchmark latency"
POLL = 0.020              # seconds between two looks at the database or the dashboard
TARGET_P95 = 5.0          # from the issue: a submitted response is in the figures within 5 s (p95)


def _knob(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass
class Config:
    responses: int = field(default_factory=lambda: int(_knob("BENCH_LATENCY_RESPONSES", "90")))
    timeout: float = field(default_factory=lambda: float(_knob("BENCH_LATENCY_TIMEOUT", "30")))
    cap: float = field(default_factory=lambda: float(_knob("BENCH_LATENCY_SECONDS", "150")))


@dataclass
class Sample:
    number: int               # 1… in submission order (warm-up included)
    school: str
    count: int                # the school's responses after this one (a multiple of k: it completed a block)
    warmup: bool
    live: float | None        # seconds from the summary POST's answer to the live aggregate counting
                              # the block
    page: float | None = None  # … to the dashboard showing it
    page_requests: int = 0
    page_request: float | None = None  # seconds the dashboard request that showed it took


class Fixture:
    def __init__(self, invitations_per_school: int):
        from webapp import create_app
        from webapp.config import Settings
        from webapp.extensions import db
        from webapp.models import School
        from webapp.services import org, rounds, surveys, users

        self.db = db
        self.app = create_app(Settings(secret_key=SECRET_KEY, database_url=DATABASE_URL))
        self.rng = random.Random(20261123)
        with self.app.app_context():
            org.import_org(db.session, ORG_CSV)
            found = rounds.create_round(db.session, self.app.config["LAGET"].surveys_dir, SURVEY, ROUND)
            rounds.set_status(db.session, ROUND, "open")
            users.create_user(db.session, ADMIN_EMAIL, ADMIN_PASSWORD, "admin")
            self.tokens = {code: rounds.create_invitations(db.session, found, code, invitations_per_school)
                           for code in SCHOOLS}
            db.session.commit()
            self.round_id, self.threshold = found.id, found.privacy_threshold
            self.questionnaire = surveys.questionnaire_of(db.session, found.survey_version_id)
            self.school_ids = {s.code: s.id for s in db.session.scalars(db.select(School))}
        self.group = self._commonest_group()

    def _commonest_group(self) -> str:
        from collections import Counter

        from webapp.domain import answers as domain
        from webapp.domain.simulate import simulate_answers

        rng = random.Random(1)
        seen = Counter(
            domain.derive(self.questionnaire, simulate_answers(self.questionnaire, rng)).get("yrkesgruppe")
            for _n in range(300))
        return next(group for group, _count in seen.most_common() if group)

    def job(self, code: str) -> dict[str, Any]:
        """A fresh invitation of the school and, per page, the form fields of simulated answers of one
        occupational group (so that each block of k at a school is a block of its group: released)."""
        from webapp.domain import answers as domain
        from webapp.domain.simulate import simulate_answers

        while True:
            answers = simulate_answers(self.questionnaire, self.rng)
            if domain.derive(self.questionnaire, answers).get("yrkesgruppe") == self.group:
                break
        pages = {}
        for section in self.questionnaire.sections:
            fields: list[tuple[str, str]] = []
            for item in section.items:
                value = answers.get(item.key)
                if value is None:
                    continue
                fields += [(item.key, str(v)) for v in (value if isinstance(value, list) else [value])]
            pages[section.key] = fields
        return {"token": self.tokens[code].pop(), "pages": pages}

    def close(self) -> None:
        with self.app.app_context():
            self.db.session.remove()
            self.db.engine.dispose()


# --- processes ----------------------------------------------------------------------------------

def redis_version() -> str:
    try:
        done = subprocess.run([shutil.which("redis-server") or "redis-server", "--version"],
                              capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return "version unknown"
    words = done.stdout.split()
    return next((w for w in words if w.startswith("v=")), "version unknown").replace("v=", "v")


def wait_for_log(service: Service, text: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in service.output():
            return
        if not service.alive():
            raise RuntimeError(f"{service.name} exited:\n{service.output()[-3000:]}")
        time.sleep(0.1)
    raise RuntimeError(f"{service.name} did not log {text!r} within {timeout:.0f} s:\n"
                       f"{service.output()[-3000:]}")


# --- the measurement ----------------------------------------------------------------------------

LIVE_SQL = ("SELECT respondents FROM aggregate WHERE round_id = %s AND kind = 'live' AND level = 'school' "
            "AND unit_id = %s AND grouping = 'all'")


def wait_live(conn, round_id: int, school_id: int, count: int, since: float, timeout: float) -> float | None:
    """Seconds from `since` until the school's live aggregate counts `count` respondents (None: timed out)."""
    while True:
        row = conn.execute(LIVE_SQL, (round_id, school_id)).fetchone()
        now = time.perf_counter()
        if row is not None and row[0] >= count:
            return now - since
        if now - since > timeout:
            return None
        time.sleep(POLL)


def wait_page(browser, path: str, count: int, since: float,
              timeout: float) -> tuple[float | None, int, float]:
    """Seconds from `since` until the page's KPI shows `count` (answer received), requests made, and the
    seconds the last request took."""
    requests = 0
    while True:
        try:
            status, _headers, body, elapsed = browser.request("GET", path)
        except (http.client.HTTPException, OSError):  # gunicorn closed the idle keep-alive connection
            status, _headers, body, elapsed = browser.request("GET", path)
        now = time.perf_counter()
        requests += 1
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        shown = kpi_respondents(body)
        if shown is None:
            raise RuntimeError(f"GET {path}: no «responses in the figures» figure in the page")
        if shown == str(count):
            return now - since, requests, elapsed
        if now - since > timeout:
            return None, requests, elapsed
        time.sleep(POLL)


@dataclass
class Progress:
    """What the respondents have done so far, and what was seen after each of them."""
    counts: dict[str, int]    # responses submitted per school
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pooled: int = 0           # responses that did not complete a block
    partial: list[str] = field(default_factory=list)  # live figures that moved before a block was complete
    cut: bool = False         # the measured phase reached its cap


def _respond(web_port: int, fixture: Fixture, code: str, number: int, progress: Progress) -> float | None:
    """One new person answers at a school; when their summary POST was answered, or None (an error)."""
    from bench.loadgen import Browser, WorkerResult, run_respondent

    job, result = fixture.job(code), WorkerResult()
    respondent = Browser(web_port)  # a new person: a new connection
    try:
        run_respondent(respondent, job, result)
        answered = time.perf_counter()  # the summary POST was the last request
    finally:
        respondent.conn.close()
    if result.submitted != 1:
        progress.errors.extend(result.errors or [f"response {number}: not submitted"])
        return None
    progress.counts[code] += 1
    return answered


def _check_pooled(conn, fixture: Fixture, code: str, number: int, progress: Progress) -> None:
    """After a response that did not complete a block: the live figures must not have moved."""
    progress.pooled += 1
    count = progress.counts[code]
    row = conn.execute(LIVE_SQL, (fixture.round_id, fixture.school_ids[code])).fetchone()
    shown = row[0] if row else 0
    if shown != count - count % fixture.threshold:
        progress.partial.append(f"response {number} ({code}): live figure {shown} with {count} submitted")


def _measure_block(conn, admin, worker: Service, fixture: Fixture, config: Config, code: str, number: int,
                   answered: float, warmup: int, progress: Progress) -> None:
    """After a response that completed a block: time the live figures, then the dashboard, showing it."""
    count, school_id = progress.counts[code], fixture.school_ids[code]
    live = wait_live(conn, fixture.round_id, school_id, count, answered, config.timeout)
    sample = Sample(number, code, count, number <= warmup, live)
    if live is None:
        progress.errors.append(f"response {number} ({code}, n={count}): live figure not seen "
                               f"within {config.timeout:.0f} s")
        if sample.warmup:  # the pipeline does not work: say why rather than wait out the cap
            raise RuntimeError(f"{progress.errors[-1]}; worker log:\n{worker.output()[-3000:]}")
    elif not sample.warmup:
        path = f"/resultater/{fixture.round_id}/skole/{school_id}"
        sample.page, sample.page_requests, sample.page_request = wait_page(
            admin, path, count, answered, config.timeout)
        if sample.page is None:
            progress.errors.append(f"response {number} ({code}, n={count}): dashboard did not show "
                                   f"{count} within {config.timeout:.0f} s")
    progress.samples.append(sample)


def _respond_all(conn, admin, worker: Service, web_port: int, fixture: Fixture, config: Config,
                 order: list[str], warmup: int) -> Progress:
    """Respondents one at a time in `order`, each followed by its check; stops at the first failure."""
    progress = Progress(dict.fromkeys(SCHOOLS, 0))
    measured_from = None
    for number, code in enumerate(order, start=1):
        if number == warmup + 1:
            measured_from = time.monotonic()
        if measured_from is not None and time.monotonic() - measured_from > config.cap:
            progress.cut = True
            break
        answered = _respond(web_port, fixture, code, number, progress)
        if answered is None:
            break
        if progress.counts[code] % fixture.threshold:  # pooled: the figures must not move
            _check_pooled(conn, fixture, code, number, progress)
        else:
            _measure_block(conn, admin, worker, fixture, config, code, number, answered, warmup, progress)
    return progress


def run() -> Section:
    from bench.loadgen import Browser

    config = Config()
    began = time.monotonic()
    background = fresh_database("latency")
    per_school = -(-config.responses // len(SCHOOLS))
    fixture = Fixture(per_school + 10)  # room for the warm-up (threshold per school, 5 by default)
    warmup = fixture.threshold * len(SCHOOLS)
    order = [SCHOOLS[n % len(SCHOOLS)] for n in range(warmup + config.responses)]
    redis, web_port = RedisServer(), free_port()
    # The worker opens the pool's seals with the web's SECRET_KEY: the bench's, not the tests' default.
    worker = Service("worker", [str(BIN / "dramatiq"), "workers.main", "--processes", "1", "--threads", "2"],
                     app_env(REDIS_URL=redis.url, dramatiq_worker_timeout=str(IDLE_POLL_MS)))
    web = gunicorn(web_port)
    try:
        redis.start()
        worker.start()
        web.start()
        wait_for_log(worker, "Worker process is ready for action.")
        wait_for_http(f"http://{HOST}:{web_port}/healthz", web)
        print(f"latency: redis on {redis.port}, dramatiq worker and gunicorn on {web_port}; "
              f"{warmup} warm-up and {config.responses} measured responses", flush=True)
        admin = Browser(web_port)
        login(admin, ADMIN_EMAIL, ADMIN_PASSWORD)
        before = cpu_snapshot()
        with psycopg.connect(BENCH_DSN, autocommit=True) as conn:
            progress = _respond_all(conn, admin, worker, web_port, fixture, config, order, warmup)
            outbox = conn.execute("SELECT count(*) FROM outbox_event").fetchone()[0]
        others = other_cores(before, cpu_snapshot(), {s.process.pid for s in (redis, worker, web)})
        admin.conn.close()
        worker_log, web_log = worker.output(), web.output()
    finally:
        web.stop()
        worker.stop()
        redis.stop()
        fixture.close()
        shutil.rmtree(redis.dir, ignore_errors=True)
    samples, errors = progress.samples, progress.errors
    measured = [s for s in samples if not s.warmup]
    print(f"latency: {len(measured)} measured responses, live p95 "
          f"{_p(sorted(s.live for s in measured if s.live is not None), 95)}, {len(errors)} errors",
          flush=True)
    checks = {"outbox": outbox, "worker_tracebacks": worker_log.count("Traceback"),
              "web_tracebacks": web_log.count("Traceback"), "elapsed": time.monotonic() - began,
              "background": background, "others": others, "cut": progress.cut, "warmup": warmup,
              "threshold": fixture.threshold, "redis_version": redis_version(), "pooled": progress.pooled,
              "group": fixture.group, "partial": progress.partial}
    return report(config, samples, errors, checks)


# --- the section of docs/benchmarks.md ----------------------------------------------------------

def _p(values: list[float], q: float) -> str:
    return ms(percentile(values, q)) if values else "–"


def _row(label: str, values: list[float | None], target: bool) -> list[str]:
    seen = sorted(v for v in values if v is not None)
    met = "–"
    if target:
        met = "yes" if seen and len(seen) == len(values) and percentile(seen, 95) <= TARGET_P95 else "**no**"
    return [label, str(len(values)), str(len(values) - len(seen)), _p(seen, 50), _p(seen, 95),
            ms(seen[-1]) if seen else "–", f"≤ {TARGET_P95 * 1000:.0f}" if target else "", met]


def report(config: Config, samples: list[Sample], errors: list[str], checks: dict[str, Any]) -> Section:
    from importlib.metadata import version as package_version

    measured = [s for s in samples if not s.warmup]
    warm = [s for s in samples if s.warmup]
    paged = measured
    rows = [
        _row("Live aggregate (school, all) counts the block", [s.live for s in measured], True),
        _row("School dashboard shows the new «responses in the figures»", [s.page for s in paged], True),
        _row("… of which the dashboard request that showed it", [s.page_request for s in paged], False),
        _row("Warm-up blocks, live aggregate (not measured above)", [s.live for s in warm], False),
    ]
    first = warm[0].live if warm and warm[0].live is not None else None
    page_requests = [s.page_requests for s in paged if s.page is not None]
    lines = [
        ("How soon submitted responses reach the figures: respondents answer one at a time through "
         "gunicorn; the summary POST claims the invitation and seals the response into the pool in one "
         "transaction. The pool mover in the worker process stores a school's pooled responses once there "
         f"are {checks['threshold']} (k) of them, in random order with one outbox event each; the outbox "
         "relay sends them through Redis to the `aggregate_school` actor, which recomputes the school's live "
         "figures and commits; when the school has a block of k new answers it sends `publish_round`, "
         "which releases the block and commits. A response alone never reaches the figures (privacy: "
         "docs/privacy.md), so what is timed is the response that completes a block of k."),
        "",
        "**Setup.**",
        "",
        (f"- Database `laget_bench`, dropped, recreated and migrated; three schools (two kommuner, one "
         f"fylke), one open round of {SURVEY}, privacy threshold {checks['threshold']}. Every respondent "
         f"is of one occupational group ({checks['group']}; simulated answers are drawn until they are), "
         "so each block of k at a school is a block of its group, which the release takes at once; with "
         "mixed groups a group's block fills more slowly, but its way through the pipeline is the same."),
        (f"- Our own `redis-server` ({checks['redis_version']}) on a free port of 127.0.0.1, no persistence; "
         "`dramatiq workers.main --processes 1 --threads 2` (dramatiq "
         f"{package_version('dramatiq')}, REDIS_URL set, dramatiq_worker_timeout={IDLE_POLL_MS} ms as in "
         "compose.yaml, outbox relay polling every 0.2 s when idle); "
         f"gunicorn `--workers {WORKERS} --worker-class gthread --threads {THREADS}` without REDIS_URL."),
        (f"- {checks['warmup']} warm-up responses (the first block of {checks['threshold']} per school, "
         f"round-robin), then {config.responses} measured responses, round-robin over the schools, one at a "
         "time (the next respondent starts once the previous block is in the live figures and the "
         "dashboard)."),
        (f"- *Live*: from the answer to the summary POST that completes a school's block (client side) until "
         "`aggregate` has the school's live `all` row counting it, polled every "
         f"{POLL * 1000:.0f} ms over one psycopg connection. Includes the mover's wait (it looks every "
         "second)."),
        ("- *Dashboard*: from the same instant until `/resultater/<round>/skole/<school>` (as an "
         "administrator, logged in through the form) shows the new count in «responses in the figures»; "
         f"polled every {POLL * 1000:.0f} ms after the live figure was seen; the time includes the page "
         "request that showed it."),
        "",
        "### Result",
        "",
        table(["Time from the summary POST's answer until …", "Responses", "Timed out", "p50 ms", "p95 ms",
               "Max ms", "Target ms (p95)", "Met"], rows),
        "",
        "### Checks",
        "",
        (f"- The very first block (cold worker): {ms(first)} ms to the live figure." if first is not None
         else "- The very first block never reached the live figure."),
        (f"- Dashboard requests per measured publication: {min(page_requests)}–{max(page_requests)}."
         if page_requests else "- No dashboard measurement completed."),
        f"- Events left in the outbox at the end: {checks['outbox']}.",
        (f"- Responses that did not complete a block: {checks['pooled']}; the live figures moved before "
         f"their block was complete: {len(checks['partial'])} times"
         + (f" ({'; '.join(checks['partial'][:3])})" if checks['partial'] else "") + "."),
        (f"- Tracebacks in the logs: worker {checks['worker_tracebacks']}, "
         f"gunicorn {checks['web_tracebacks']}."),
        f"- Errors: {len(errors)}" + (f" ({'; '.join(errors[:3])})" if errors else "") + ".",
        (f"- Other processes on the machine (not this benchmark, its services or `laget_bench`) used "
         f"{checks['background']:.2f} cores just before the start and {checks['others']:.2f} on average "
         "while responses were submitted."),
        f"- Time taken by this benchmark: {checks['elapsed']:.0f} s.",
    ]
    if checks["cut"]:
        lines.append(f"- The measured phase was cut at {config.cap:.0f} s (BENCH_LATENCY_SECONDS).")
    busy = max(checks["background"], checks["others"])
    if busy > 0.25:
        lines += ["", (f"**Caution:** other work on the machine used up to {busy:.2f} of {os.cpu_count()} "
                       "cores, so these figures may be pessimistic. Rerun `make bench` on a quiet machine to "
                       "compare.")]
    live = sorted(s.live for s in measured if s.live is not None)
    pages = sorted(s.page for s in paged if s.page is not None)
    met = (bool(live) and len(live) == len(measured) and percentile(live, 95) <= TARGET_P95
           and len(pages) == len(paged) and (not pages or percentile(pages, 95) <= TARGET_P95) and not errors
           and not checks["partial"])
    summary = {"live p50 ms": _p(live, 50), "live p95 ms": _p(live, 95), "dashboard p95 ms": _p(pages, 95),
               "errors": str(len(errors)), "target met": "yes" if met else "no"}
    return Section("Submit → figures: latency through the pipeline", "\n".join(lines), summary)
