"""Aggregation benchmark: full rebuilds, one school's refresh and the dashboards, on a round of 100,000.

Setup (not measured): drop, recreate and migrate `laget_bench`; import 200 schools in 20 kommuner in
4 fylker; open a round of kompetanse-og-anerkjennelse for all of them; make 2,000 distinct answer sets
with `simulate_answers` (seeded) and store responses that reuse them in turn, at schools of uneven size.
The response rows carry exactly what `store_response` stores (derived breakdowns, `b_trinn`, the
codebook vector) and the answer rows are `answering.answer_rows`; they are written with COPY and a
server-side INSERT … SELECT: batched SQLAlchemy Core `insert()`s took 38 s per 10,000 responses here
(some 6½ minutes for 100,000), `store_response` one by one longer still.

Measured, each repetition in its own transaction: `aggregates.rebuild` at 10,000 and at 100,000
responses against two baselines over the same answers (a bare SQL GROUP BY and a NumPy bincount of the
already-loaded matrix); `refresh_school` after new responses at one school; and the school and round
dashboards through gunicorn as a logged-in administrator.

Knobs (environment): BENCH_AGG_SIZES ("10000,100000"), BENCH_AGG_REPS (3), BENCH_AGG_SCHOOL_SAMPLE (20),
BENCH_DASHBOARD_REQUESTS (30), BENCH_AGG_SCHOOL_SECONDS (cap on each series of school refreshes, 30).
"""
from __future__ import annotations

import os
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import psycopg

from bench.common import (
    BENCH_DSN,
    DATABASE_URL,
    HOST,
    SECRET_KEY,
    Section,
    Stats,
    cpu_snapshot,
    fresh_database,
    ms,
    percentile,
    server_facts,
    table,
)
from tests.processes import free_port, wait_for_http

SURVEY = "kompetanse-og-anerkjennelse"
ROUND = "Benchmark aggregation"
FYLKER, KOMMUNER_PER_FYLKE, SCHOOLS_PER_KOMMUNE = 4, 5, 10  # 4 fylker, 20 kommuner, 200 schools
DISTINCT_ANSWER_SETS = 2_000
CHUNK = 5_000                 # responses per INSERT … SELECT of answer rows
LOADERS = 2                   # parallel loading connections (one per core)
ADMIN_EMAIL, ADMIN_PASSWORD = "bench-admin@example.org", "bench-admin-password"
TARGET_REBUILD = {10_000: 2.0, 100_000: 10.0}  # from the issue, seconds
TARGET_SCHOOL, TARGET_DASHBOARD = 0.050, 0.300
KPI_RE = re.compile(r'<span class="kpi-value">([^<]*)</span>\s*'
                    r'<span class="kpi-label">answers in the published figures')
BASELINE_SQL = ("SELECT a.item_key, a.value, count(*) FROM answer a JOIN response r ON r.id = a.response_id "
                "WHERE r.round_id = :round_id GROUP BY a.item_key, a.value")


def _knob(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass
class Config:
    sizes: tuple[int, ...] = field(default_factory=lambda: tuple(
        int(x) for x in _knob("BENCH_AGG_SIZES", "10000,100000").split(",")))
    reps: int = field(default_factory=lambda: int(_knob("BENCH_AGG_REPS", "3")))
    school_sample: int = field(default_factory=lambda: int(_knob("BENCH_AGG_SCHOOL_SAMPLE", "20")))
    requests: int = field(default_factory=lambda: int(_knob("BENCH_DASHBOARD_REQUESTS", "30")))
    school_seconds: float = field(default_factory=lambda: float(_knob("BENCH_AGG_SCHOOL_SECONDS", "30")))


def org_csv() -> str:
    lines = ["kommune,fylke,school_code,school_name,skoleslag"]
    number = 0
    for f in range(1, FYLKER + 1):
        for k in range(1, KOMMUNER_PER_FYLKE + 1):
            kommune = f"Kommune {f}-{k}"
            for _s in range(SCHOOLS_PER_KOMMUNE):
                number += 1
                kind = "vgs" if number % 5 == 0 else "grunnskole"
                lines.append(f"{kommune},Fylke {f},A{number:03d},Skole {number:03d},{kind}")
    return "\n".join(lines) + "\n"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def seconds(value: float) -> str:
    return f"{value:.2f}" if value >= 1 else f"{value:.3f}"


def other_cores(before, after, ours: set[int]) -> float:
    """Average cores used between two snapshots by long-running processes that are not this benchmark,
    its services (`ours` and their children) or PostgreSQL serving `laget_bench`.

    Counted from the processes alive at the second snapshot, so short-lived ones (PostgreSQL's parallel
    query workers among them) are left out rather than blamed on others.
    """
    from bench.phases import classifier

    known = classifier(-1, set())
    spent = 0.0
    for pid, (ppid, comm, cmdline, cpu) in after.processes.items():
        if pid in ours or ppid in ours or known(pid, ppid, comm, cmdline) is not None:
            continue
        start = before.processes.get(pid)
        spent += max(cpu - (start[3] if start and start[1] == comm else 0.0), 0.0)
    return spent / (after.at - before.at)


# --- the data -----------------------------------------------------------------------------------

class Fixture:
    """The bench database and the round, seen through the product's services in this process."""

    def __init__(self):
        from webapp import create_app
        from webapp.config import Settings
        from webapp.domain import answers as domain
        from webapp.domain.codebook import Codebook
        from webapp.domain.simulate import simulate_answers
        from webapp.extensions import db
        from webapp.models import School
        from webapp.services import org, rounds, surveys, users
        from webapp.services.answering import answer_rows

        self.db = db
        self.app = create_app(Settings(secret_key=SECRET_KEY, database_url=DATABASE_URL))
        self.rng = random.Random(20261122)
        with self.app.app_context():
            org.import_org(db.session, org_csv())
            found = rounds.create_round(db.session, self.app.config["LAGET"].surveys_dir, SURVEY, ROUND)
            rounds.set_status(db.session, ROUND, "open")
            users.create_user(db.session, ADMIN_EMAIL, ADMIN_PASSWORD, "admin")
            db.session.commit()
            self.round_id = found.id
            self.questionnaire = surveys.questionnaire_of(db.session, found.survey_version_id)
            self.schools = list(db.session.scalars(db.select(School.id).order_by(School.id)))
        codebook = Codebook.of(self.questionnaire)
        self.answer_sets = [simulate_answers(self.questionnaire, self.rng)
                            for _n in range(DISTINCT_ANSWER_SETS)]
        # What store_response stores for each answer set, computed once per set.
        self.response_columns = []
        for answers in self.answer_sets:
            derived = domain.derive(self.questionnaire, answers)
            self.response_columns.append((derived.get("yrkesgruppe"), derived.get("skoleslag"),
                                          derived.get("ufaglaert"), answers.get("b_trinn"),
                                          codebook.encode(answers)))
        self.answer_counts = [len(answer_rows("", answers)) for answers in self.answer_sets]
        # The answer sets of the commonest occupational group: k of them at a school make a block.
        groups = [columns[0] for columns in self.response_columns]
        self.group = max((g for g in set(groups) if g), key=groups.count)
        self.group_sets = [n for n, g in enumerate(groups) if g == self.group]
        # Schools of uneven size, as in life: weights between 0.2 and 1.8.
        self.weights = [self.rng.uniform(0.2, 1.8) for _s in self.schools]
        self.responses = 0
        self.answers = 0
        self.per_school = dict.fromkeys(self.schools, 0)
        self.chunks = 0  # chunks of bench_response_set used so far
        with psycopg.connect(BENCH_DSN, autocommit=True) as conn:
            conn.execute("CREATE TABLE bench_answer_set (set_no integer NOT NULL, item_key text NOT NULL, "
                         "position integer NOT NULL, value text NOT NULL)")
            conn.execute("CREATE TABLE bench_response_set (response_id text NOT NULL, "
                         "set_no integer NOT NULL, chunk integer NOT NULL)")
            with conn.cursor() as cur, cur.copy("COPY bench_answer_set FROM STDIN") as copy:
                for number, answers in enumerate(self.answer_sets):
                    for row in answer_rows("", answers):
                        copy.write_row((number, row["item_key"], row["position"], row["value"]))

    def add_responses(self, count: int) -> float:
        """Store `count` more responses with their answer rows; return the seconds it took."""
        began = time.monotonic()
        first = self.responses
        schools = self.rng.choices(self.schools, weights=self.weights, k=count)
        today = date.today()
        chunks = set()
        with psycopg.connect(BENCH_DSN) as conn, conn.cursor() as cur:
            ids = [f"{self.rng.getrandbits(128):032x}" for _n in range(count)]
            with cur.copy("COPY response (id, round_id, school_id, stored_on, yrkesgruppe, skoleslag, "
                          "ufaglaert, b_trinn, vector) FROM STDIN") as copy:
                for n in range(count):
                    set_no = (first + n) % DISTINCT_ANSWER_SETS
                    copy.write_row((ids[n], self.round_id, schools[n], today, *self.response_columns[set_no]))
            with cur.copy("COPY bench_response_set (response_id, set_no, chunk) FROM STDIN") as copy:
                for n in range(count):
                    chunk = self.chunks + n // CHUNK
                    chunks.add(chunk)
                    copy.write_row((ids[n], (first + n) % DISTINCT_ANSWER_SETS, chunk))
            conn.commit()
        self._insert_answers(sorted(chunks))
        self.responses += count
        self.chunks += (count + CHUNK - 1) // CHUNK
        for school in schools:
            self.per_school[school] += 1
        self.answers += sum(self.answer_counts[(first + n) % DISTINCT_ANSWER_SETS] for n in range(count))
        with psycopg.connect(BENCH_DSN, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE) response")
            conn.execute("VACUUM (ANALYZE) answer")
            stored = conn.execute("SELECT count(*) FROM response WHERE round_id = %s",
                                  (self.round_id,)).fetchone()[0]
            answers = conn.execute("SELECT count(*) FROM answer").fetchone()[0]
        if stored != self.responses or answers != self.answers:
            raise RuntimeError(f"bulk load: {stored} responses and {answers} answer rows stored, expected "
                               f"{self.responses} and {self.answers}")
        return time.monotonic() - began

    def _insert_answers(self, chunks: list[int]) -> None:
        """The answer rows of the new responses, chunk by chunk, on one connection per core.

        Foreign-key triggers are skipped (session_replication_role = replica): every response row is
        already committed, and they would double the load time.
        """
        pending = list(chunks)
        lock = threading.Lock()
        failures: list[BaseException] = []

        def load() -> None:
            try:
                with psycopg.connect(BENCH_DSN) as conn:
                    conn.execute("SET session_replication_role = replica")
                    while True:
                        with lock:
                            if not pending or failures:
                                return
                            chunk = pending.pop(0)
                        conn.execute("INSERT INTO answer (response_id, item_key, position, value) "
                                     "SELECT rs.response_id, s.item_key, s.position, s.value "
                                     "FROM bench_response_set rs JOIN bench_answer_set s USING (set_no) "
                                     "WHERE rs.chunk = %s", (chunk,))
                        conn.commit()
            except BaseException as exc:  # noqa: BLE001 (reported by the caller)
                failures.append(exc)

        threads = [threading.Thread(target=load, name=f"bench-loader-{n}") for n in range(LOADERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]

    def close(self) -> None:
        with self.app.app_context():
            self.db.session.remove()
            self.db.engine.dispose()


# --- measurements in this process ---------------------------------------------------------------

@dataclass
class SizeResult:
    responses: int
    answers: int
    load_seconds: float
    rebuild: list[float]               # full rebuilds, everything published anew (rolled back but the last)
    rebuild_steady: list[float]        # full rebuilds when nothing has changed since (nothing to publish)
    aggregate_rows: int
    published_rows: int                # released and published rows written by the first rebuild
    sql: list[float]                   # bare SQL GROUP BY over the answer rows
    sql_groups: int
    load_matrix: list[float]           # SELECT the vectors and stack them
    bincount: list[float]              # NumPy bincount over the loaded matrix
    round_respondents: int | None      # the round's live figure after the committed rebuild


def _timed(function) -> tuple[float, Any]:
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def bincount_baseline(matrix: np.ndarray) -> np.ndarray:
    """Count every (item, encoded value) pair of a responses × items matrix, one bin per value of an item."""
    cells = matrix.astype(np.int64)
    top = cells.max(axis=0, initial=0) + 1
    offsets = np.concatenate(([0], np.cumsum(top)[:-1]))
    return np.bincount((cells + offsets).ravel(), minlength=int(top.sum()))


def measure_size(fixture: Fixture, config: Config, load_seconds: float) -> SizeResult:
    from sqlalchemy import select, text

    from webapp.domain.codebook import Codebook
    from webapp.models import Aggregate, Response, Round
    from webapp.services import aggregates

    db, round_id = fixture.db, fixture.round_id
    codebook = Codebook.of(fixture.questionnaire)
    rebuild, steady, sql, loads, counts = [], [], [], [], []
    with fixture.app.app_context():
        session = db.session
        for rep in range(config.reps):  # the last one is committed: the state the next steps start from
            session.execute(text("DELETE FROM aggregate WHERE round_id = :r"), {"r": round_id})
            found = session.get(Round, round_id)
            elapsed, result = _timed(lambda: (aggregates.rebuild(session, found), session.flush())[0])
            rebuild.append(elapsed)
            if rep == config.reps - 1:
                session.commit()
            else:
                session.rollback()
        for _rep in range(config.reps):
            found = session.get(Round, round_id)
            elapsed, _result = _timed(lambda: (aggregates.rebuild(session, found), session.flush())[0])
            steady.append(elapsed)
            session.rollback()
        round_respondents = session.scalar(select(Aggregate.respondents).where(
            Aggregate.round_id == round_id, Aggregate.kind == "live", Aggregate.level == "round",
            Aggregate.grouping == "all"))
        session.rollback()
        for _rep in range(config.reps):
            elapsed, groups = _timed(
                lambda: session.execute(text(BASELINE_SQL), {"round_id": round_id}).all())
            sql.append(elapsed)
            session.rollback()
        for _rep in range(config.reps):
            elapsed, matrix = _timed(lambda: codebook.matrix(list(session.scalars(
                select(Response.vector).where(Response.round_id == round_id)))))
            loads.append(elapsed)
            session.rollback()
    bincount_baseline(matrix)  # once untimed: the first call pays for fresh memory pages
    for _rep in range(config.reps):
        elapsed, _counts = _timed(lambda: bincount_baseline(matrix))
        counts.append(elapsed)
    return SizeResult(fixture.responses, fixture.answers, load_seconds, rebuild, steady, result.rows,
                      result.published_rows, sql, len(groups), loads, counts, round_respondents)


@dataclass
class SchoolResult:
    new_responses: int     # stored at the school (store_response) before its refresh, in the same transaction
    times: list[float]     # refresh_school: the school's recompute (the aggregate_school message)
    due: int               # refreshes after which a publication was due
    publish_times: list[float] = field(default_factory=list)  # publish() when due (the publish_round message)
    published: int = 0     # publications after which the school's published figure had moved


def measure_schools(fixture: Fixture, config: Config) -> list[SchoolResult]:
    """refresh_school after 1 new response and after 5, and the publication the second makes due."""
    from webapp.models import Round
    from webapp.services import aggregates, publication
    from webapp.services.answering import store_response

    db, round_id = fixture.db, fixture.round_id
    sample = random.Random(7).sample(fixture.schools, min(config.school_sample, len(fixture.schools)))
    results = []
    with fixture.app.app_context():
        session = db.session
        threshold = session.get(Round, round_id).privacy_threshold
        session.rollback()
        for new in (1, threshold):
            result = SchoolResult(new, [], 0)
            began = time.monotonic()
            for number, school_id in enumerate(sample):
                if number >= 3 and time.monotonic() - began > config.school_seconds:
                    break  # keep the benchmark bounded when refreshes are slow
                found = session.get(Round, round_id)
                before = _published_respondents(session, round_id, school_id)
                for k in range(new):  # k at a time: of one group, so that they make a block to release
                    sets = fixture.group_sets if new == threshold else range(len(fixture.answer_sets))
                    store_response(session, fixture.questionnaire, round_id, school_id,
                                   fixture.answer_sets[sets[(number * threshold + k) % len(sets)]])
                session.flush()
                elapsed, due = _timed(lambda: aggregates.refresh_school(session, found, school_id))
                result.times.append(elapsed)
                if due:
                    result.due += 1
                    elapsed, _count = _timed(lambda: publication.publish(session, found))
                    result.publish_times.append(elapsed)
                    if _published_respondents(session, round_id, school_id) != before:
                        result.published += 1
                session.rollback()
            results.append(result)
    return results


def _published_respondents(session, round_id: int, school_id: int) -> int | None:
    from sqlalchemy import select

    from webapp.models import Aggregate

    return session.scalar(select(Aggregate.respondents).where(
        Aggregate.round_id == round_id, Aggregate.kind == "published", Aggregate.level == "school",
        Aggregate.unit_id == school_id, Aggregate.grouping == "all"))


@dataclass
class CloseResult:
    label: str
    times: list[float]   # publication.publish of the closed round (its one final publication)
    rows: int            # published rows written
    shown: int           # respondents in the round's final figure
    left: int            # respondents in groups too small to be shown anywhere


def measure_close(fixture: Fixture, config: Config) -> list[CloseResult]:
    """The close: `publication.publish` of the round once closed, after blocks were released while it
    was open, and when nothing had been released (all answers arrived by import); each rolled back."""
    from sqlalchemy import text

    from webapp.models import Round
    from webapp.services import publication

    db, round_id = fixture.db, fixture.round_id
    results = []
    with fixture.app.app_context():
        session = db.session
        for label, released in (("after the blocks released while open", True),
                                ("nothing released while open", False)):
            times, rows, shown = [], 0, 0
            for _rep in range(config.reps):
                if not released:
                    session.execute(text("DELETE FROM aggregate WHERE round_id = :r AND kind IN "
                                         "('released', 'published')"), {"r": round_id})
                found = session.get(Round, round_id)
                found.status, found.final_published_at = "closed", None
                session.flush()
                elapsed, rows = _timed(lambda: (publication.publish(session, found), session.flush())[0])
                times.append(elapsed)
                shown = session.execute(text(
                    "SELECT respondents FROM aggregate WHERE round_id = :r AND kind = 'published' "
                    "AND level = 'round' AND grouping = 'all'"), {"r": round_id}).scalar() or 0
                session.rollback()
            results.append(CloseResult(label, times, rows, shown, fixture.responses - shown))
    return results


# --- the dashboards through gunicorn ------------------------------------------------------------

@dataclass
class PageResult:
    label: str
    path: str
    stats: Stats
    size: int                  # bytes of HTML
    respondents_shown: str     # the "responses in the figures" KPI
    errors: list[str]


def login(browser, email: str, password: str) -> None:
    """Log in through the real form (CSRF token from the login page); raise on failure."""
    from urllib.parse import urlencode

    from bench.loadgen import CSRF_RE

    status, _headers, body, _elapsed = browser.request("GET", "/login?lang=en")
    match = CSRF_RE.search(body.decode("utf-8", "replace"))
    if status != 200 or not match:
        raise RuntimeError(f"GET /login: HTTP {status}, CSRF token {'found' if match else 'missing'}")
    form = [("csrf_token", match.group(1) or match.group(2)), ("email", email), ("password", password)]
    status, headers, _body, _elapsed = browser.request("POST", "/login", urlencode(form))
    if status != 302:
        raise RuntimeError(f"POST /login: HTTP {status} (expected 302), location {headers.get('location')!r}")


def kpi_respondents(html: bytes) -> str | None:
    """The «responses in the figures» KPI without its thousands separators ("100,000" → "100000")."""
    match = KPI_RE.search(html.decode("utf-8", "replace"))
    return re.sub(r"[,\s\u00a0\u202f]", "", match.group(1)) if match else None


def measure_page(browser, label: str, path: str, requests: int, warmup: int = 3) -> PageResult:
    """GET one page `warmup` + `requests` times over the same keep-alive connection."""
    latencies, errors, size, shown = [], [], 0, ""
    began = time.perf_counter()
    for number in range(warmup + requests):
        status, _headers, body, elapsed = browser.request("GET", path)
        if status != 200:
            errors.append(f"GET {path}: HTTP {status}")
            continue
        if number >= warmup:
            latencies.append(elapsed)
        size, shown = len(body), kpi_respondents(body) or "(not found)"
    return PageResult(label, path, Stats.of(latencies, time.perf_counter() - began), size, shown, errors)


def measure_dashboards(fixture: Fixture, config: Config,
                       school_id: int) -> tuple[list[PageResult], str, float]:
    from bench.loadgen import Browser
    from bench.submission import gunicorn

    port = free_port()
    web = gunicorn(port)
    try:
        web.start()
        wait_for_http(f"http://{HOST}:{port}/healthz", web)
        browser = Browser(port)
        before = cpu_snapshot()
        try:
            login(browser, ADMIN_EMAIL, ADMIN_PASSWORD)
            school_path = f"/resultater/{fixture.round_id}/skole/{school_id}"
            pages = [measure_page(browser, "School dashboard", school_path, config.requests),
                     measure_page(browser, "Round dashboard", f"/resultater/{fixture.round_id}/",
                                  config.requests)]
        finally:
            browser.conn.close()
        others = other_cores(before, cpu_snapshot(), {web.process.pid})
        log = web.output()
    finally:
        web.stop()
    return pages, log, others


# --- the benchmark ------------------------------------------------------------------------------

def run() -> Section:
    config = Config()
    began = time.monotonic()
    background = fresh_database("aggregation")
    facts = server_facts()
    fixture = Fixture()
    others: list[float] = []  # cores used by other processes, per measured phase
    try:
        sizes = []
        for size in sorted(config.sizes):
            load = fixture.add_responses(size - fixture.responses)
            print(f"aggregation: {fixture.responses} responses, {fixture.answers} answer rows stored in "
                  f"{load:.0f} s; measuring rebuilds", flush=True)
            before = cpu_snapshot()
            result = measure_size(fixture, config, load)
            others.append(other_cores(before, cpu_snapshot(), set()))
            sizes.append(result)
            print(f"aggregation: {size} responses: rebuild {median(result.rebuild):.2f} s "
                  f"(nothing to publish {median(result.rebuild_steady):.2f} s), "
                  f"SQL {median(result.sql):.2f} s, "
                  f"bincount {median(result.bincount):.3f} s", flush=True)
        before = cpu_snapshot()
        schools = measure_schools(fixture, config)
        closes = measure_close(fixture, config)
        others.append(other_cores(before, cpu_snapshot(), set()))
        print("aggregation: close " + ", ".join(f"{c.label}: {median(c.times):.2f} s" for c in closes),
              flush=True)
        print("aggregation: refresh_school " + ", ".join(
            f"after {r.new_responses} new: {ms(median(r.times))} ms" for r in schools)
            + "".join(f", publication {ms(median(r.publish_times))} ms" for r in schools if r.publish_times),
            flush=True)
        by_size = sorted(fixture.schools, key=lambda s: (fixture.per_school[s], s))
        school_id = by_size[len(by_size) // 2]  # a school of median size
        pages, web_log, web_others = measure_dashboards(fixture, config, school_id)
        others.append(web_others)
        print("aggregation: " + ", ".join(f"{p.label} p50 {ms(p.stats.p50)} ms p95 {ms(p.stats.p95)} ms"
                                         for p in pages), flush=True)
        with fixture.app.app_context():
            from webapp.domain.codebook import Codebook

            width = Codebook.of(fixture.questionnaire).width
    finally:
        fixture.close()
    checks = {
        "figures": all(r.round_respondents == r.responses for r in sizes),
        "tracebacks": web_log.count("Traceback"),
        "school": (school_id, fixture.per_school[school_id]),
        "sizes_of_schools": (min(fixture.per_school.values()), max(fixture.per_school.values())),
        "elapsed": time.monotonic() - began,
        "background": background,
        "others": max(others),
        "width": width,
        "items": len(fixture.questionnaire.items),
        "group": fixture.group,
        "threshold": schools[-1].new_responses if schools else 5,
    }
    return report(config, facts, sizes, schools, closes, pages, checks)


# --- the section of docs/benchmarks.md ----------------------------------------------------------

def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _spread(values: list[float], unit=seconds) -> str:
    return f"{unit(median(values))} ({unit(min(values))}–{unit(max(values))})" if values else "–"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b else "–"


def report(config: Config, facts: dict[str, str], sizes: list[SizeResult], schools: list[SchoolResult],
           closes: list[CloseResult], pages: list[PageResult], checks: dict[str, Any]) -> Section:
    from importlib.metadata import version as package_version

    from bench.submission import THREADS, WORKERS

    header = [""] + [f"{r.responses:,} responses" for r in sizes]
    rows = [
        ["Answer rows (`answer`)"] + [f"{r.answers:,}" for r in sizes],
        ["Data setup, not measured (COPY, INSERT … SELECT, VACUUM ANALYZE), s"]
        + [f"{r.load_seconds:.0f}" for r in sizes],
        ["**`aggregates.rebuild`**, every unit published anew, s"]
        + [f"**{_spread(r.rebuild)}**" for r in sizes],
        ["`aggregates.rebuild`, nothing new to publish, s"] + [_spread(r.rebuild_steady) for r in sizes],
        ["Aggregate rows written (live) / released and published rows written"]
        + [f"{r.aggregate_rows} / {r.published_rows}" for r in sizes],
        ["Baseline 1: SQL `GROUP BY item_key, value` over the answer rows, s"]
        + [_spread(r.sql) for r in sizes],
        ["… groups returned"] + [str(r.sql_groups) for r in sizes],
        ["Baseline 2: NumPy `bincount` over the loaded matrix, s"] + [_spread(r.bincount) for r in sizes],
        ["(Loading that matrix: `SELECT vector` and stacking, s)"] + [_spread(r.load_matrix) for r in sizes],
        ["**Ratio** rebuild ÷ SQL baseline"]
        + [f"**{_ratio(median(r.rebuild), median(r.sql))}**" for r in sizes],
        ["**Ratio** rebuild ÷ bincount baseline"] + [f"**{_ratio(median(r.rebuild), median(r.bincount))}**"
                                                    for r in sizes],
        ["Ratio rebuild (nothing to publish) ÷ SQL baseline"]
        + [_ratio(median(r.rebuild_steady), median(r.sql)) for r in sizes],
        ["Target (issue)"]
        + [f"≤ {TARGET_REBUILD[r.responses]:.0f} s" if r.responses in TARGET_REBUILD else "–" for r in sizes],
        ["Target met"]
        + [_yes(median(r.rebuild) <= TARGET_REBUILD[r.responses]) if r.responses in TARGET_REBUILD else "–"
           for r in sizes],
    ]
    school_rows = []
    for r in schools:
        values = sorted(r.times)
        answers = "1 new response" if r.new_responses == 1 else f"{r.new_responses} new responses"
        school_rows.append([f"{answers}: recompute (`refresh_school`, the `aggregate_school` message)",
                            str(len(values)), ms(median(values)), ms(percentile(values, 95)), ms(values[-1]),
                            f"{r.due}/{len(values)}", "≤ 50", _yes(median(values) <= TARGET_SCHOOL)])
        if r.publish_times:
            values = sorted(r.publish_times)
            school_rows.append([f"… then the release it made due (`publication.publish`, the `publish_round` "
                                f"message; the school's figure moved {r.published}/{len(values)} times)",
                                str(len(values)), ms(median(values)), ms(percentile(values, 95)),
                                ms(values[-1]), "–", "none in the issue", "–"])
    close_rows = [[f"Close, {c.label}", str(len(c.times)), _spread(c.times), str(c.rows),
                   f"{c.shown:,} / {c.shown + c.left:,}"] for c in closes]
    page_rows = [[p.label, f"`{p.path}`", str(p.stats.operations), ms(p.stats.p50), ms(p.stats.p95),
                  ms(p.stats.max), f"{p.size / 1024:.0f}", p.respondents_shown, str(len(p.errors)), "≤ 300",
                  _yes(p.stats.p95 <= TARGET_DASHBOARD and not p.errors)] for p in pages]
    largest = sizes[-1].responses if sizes else 0
    lines = [
        ("How long the workers take to aggregate and the dashboards to show the figures: full rebuilds of "
         "a round (every item, every breakdown, school, kommune, fylke and round), one school's refresh, and "
         "the dashboards served by gunicorn, against two baselines over the same answers."),
        "",
        "**Setup.**",
        "",
        (f"- Database `laget_bench`, dropped, recreated and migrated with Alembic; PostgreSQL "
         f"{facts['server_version']}, shared_buffers={facts['shared_buffers']}."),
        (f"- {FYLKER} fylker, {FYLKER * KOMMUNER_PER_FYLKE} kommuner, "
         f"{FYLKER * KOMMUNER_PER_FYLKE * SCHOOLS_PER_KOMMUNE} schools (`org.import_org`), one open round of "
         f"{SURVEY} for all of them (`rounds.create_round`); {checks['items']} items, "
         f"{checks['width']} of them aggregated; privacy threshold 5."),
        (f"- {DISTINCT_ANSWER_SETS:,} distinct answer sets from `simulate_answers` (seeded), reused in turn; "
         "responses spread over the schools with uneven weights (from "
         f"{checks['sizes_of_schools'][0]} to {checks['sizes_of_schools'][1]} responses per school at "
         f"{largest:,}). Each response row holds what `store_response` stores (derived breakdowns, "
         "`b_trinn`, `Codebook.encode` vector), its answer rows are `answering.answer_rows`. They are "
         "written with COPY and a server-side `INSERT … SELECT` (foreign-key triggers off while loading) — "
         "batched SQLAlchemy Core `insert()`s took 38 s per 10,000 responses on this machine — then "
         "`VACUUM (ANALYZE)`. The smaller size is measured first, then responses are added up to the larger "
         "one."),
        (f"- Every measurement is repeated {config.reps} times, each in its own transaction (rolled back; "
         "the last full rebuild is committed as the state for the next steps); the median is reported with "
         "the range in brackets. Times are wall-clock in this process, database round trips included, "
         "commit excluded."),
        "- The benchmark, PostgreSQL and gunicorn share the machine.",
        "",
        "**What is measured.**",
        "",
        ("- *Rebuild*: `aggregates.rebuild(session, round)` — read every response's vector, tally all items "
         "× options × breakdowns (all, yrkesgruppe) per school, sum kommuner, fylker and the round, replace "
         "the live rows, then release every due block (`publication.publish`: per school and yrkesgruppe, "
         "blocks of at least k new respondents; every level summed from the released blocks). *Every unit "
         "published anew* starts from a round without aggregate rows (as after a load); *nothing new to "
         "publish* repeats it right after, when no block is due."),
        (f"- *Close*: in the round of {largest:,}, the round is marked closed and `publication.publish` "
         "is timed: its one final publication, which releases what is left level by level (school, "
         "kommune, fylke, round) in blocks of at least k and writes every level's figures. Once after the "
         "blocks the rebuild released, once with nothing released before (as when every answer came by "
         "import). Rolled back each time."),
        ("- *Baseline 1*: `SELECT item_key, value, count(*) FROM answer JOIN response … WHERE round_id = … "
         "GROUP BY item_key, value` — one level, no breakdowns, the database alone."),
        ("- *Baseline 2*: `numpy.bincount` of (item, encoded value) over the responses × items matrix "
         "already in memory — one level, no breakdowns, the arithmetic alone."),
        (f"- *One school*: in the round of {largest:,}, `store_response` stores new responses at a school "
         f"(not timed; the {checks['threshold']} at a time are all of one occupational group, "
         f"{checks['group']}, so that they make a block to release), then "
         "`aggregates.refresh_school(session, round, school)` is timed — recompute the school from its "
         "responses, move its kommune, fylke and the round by the difference, and tell whether "
         "a block is due. When it is, `publication.publish(session, round)` is timed apart: release the due "
         "blocks of every school and write every level's published figures anew from them (the worker runs "
         "it as a message of its own, so a burst of answers costs one such run). Schools drawn at "
         f"random (seeded), up to {config.school_sample} per row, each row capped at "
         f"{config.school_seconds:.0f} s (at least 3 schools)."),
        (f"- *Dashboards*: gunicorn {package_version('gunicorn')} "
         f"(`--workers {WORKERS} --worker-class gthread --threads {THREADS}`, no REDIS_URL) on 127.0.0.1; "
         "an administrator made with `users.create_user` "
         "logs in through the form, then GETs the school dashboard (a school of median size, "
         f"{checks['school'][1]} responses) and the round dashboard {config.requests} times each over one "
         "keep-alive connection, after 3 warm-up requests each; time is measured by the client around each "
         "request."),
        "",
        "### Full rebuild",
        "",
        table(header, rows),
        "",
        "### One school",
        "",
        table(["After …", "Schools", "Median ms", "p95 ms", "Max ms", "Publication due", "Target ms", "Met"],
              school_rows),
        "",
        "### Closing the round",
        "",
        table(["Publication", "Runs", "Median s (range)", "Published rows written",
               "Respondents in the final round figure / all"], close_rows),
        "",
        "### Dashboards",
        "",
        table(["Page", "Path", "Requests", "Median ms", "p95 ms", "Max ms", "HTML KiB",
               "«responses in the figures»", "Errors", "Target ms (p95)", "Met"], page_rows),
        "",
        "### Checks",
        "",
        (f"- The round's live figure counts every response after each committed rebuild: "
         f"{_yes(checks['figures'])}."),
        f"- Tracebacks in the gunicorn log: {checks['tracebacks']}.",
        (f"- Other processes on the machine (not this benchmark, gunicorn or `laget_bench`) used "
         f"{checks['background']:.2f} cores just before the start and up to {checks['others']:.2f} "
         "on average during a measured step."),
        f"- Time taken by this benchmark: {checks['elapsed']:.0f} s.",
    ]
    busy = max(checks["background"], checks["others"])
    if busy > 0.25:
        lines += ["", (f"**Caution:** other work on the machine used up to {busy:.2f} of {os.cpu_count()} "
                       "cores, so these figures may be pessimistic. Rerun `make bench` on a quiet machine to "
                       "compare.")]
    met = [median(r.rebuild) <= TARGET_REBUILD[r.responses] for r in sizes if r.responses in TARGET_REBUILD]
    met += [median(r.times) <= TARGET_SCHOOL for r in schools]
    met += [p.stats.p95 <= TARGET_DASHBOARD and not p.errors for p in pages]
    summary = {f"rebuild {r.responses // 1000}k s": f"{median(r.rebuild):.2f}" for r in sizes}
    summary.update({f"school +{r.new_responses} ms": ms(median(r.times)) for r in schools})
    publications = [t for r in schools for t in r.publish_times]
    if publications:
        summary["publication ms"] = ms(median(publications))
    summary.update({f"close ({'released' if 'after' in c.label else 'nothing released'}) s":
                    f"{median(c.times):.2f}" for c in closes})
    summary.update({f"{p.label.split()[0].lower()} dashboard p95 ms": ms(p.stats.p95) for p in pages})
    summary["targets met"] = "yes" if all(met) else "no"
    return Section("Aggregation: rebuilds, one school, dashboards", "\n".join(lines), summary)
