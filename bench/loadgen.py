"""Virtual respondents and bare-insert clients; run in child processes (no webapp import here).

A respondent GETs the first page once (session cookie + CSRF token), POSTs every page the server
sends it to with `nav=next`, never following redirects, and finally POSTs the summary. A 302 is a
completed POST; anything else is an error and ends that respondent.
"""
from __future__ import annotations

import http.client
import queue
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
FIRST_PAGE = "samtykke"
SUMMARY = "oppsummering"


@dataclass
class WorkerResult:
    page_latencies: list[float] = field(default_factory=list)     # completed page POSTs (302)
    summary_latencies: list[float] = field(default_factory=list)  # completed summary POSTs (302)
    get_latencies: list[float] = field(default_factory=list)      # the first GET of each respondent
    errors: list[str] = field(default_factory=list)
    respondents: int = 0          # respondents started
    submitted: int = 0            # respondents whose summary POST was answered with 302 to /takk
    first_start: float | None = None
    last_end: float | None = None
    cpu_seconds: float = 0.0      # CPU time this load-generator process used while measuring


class Browser:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1 and the cookies of the current respondent."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str,
                body: str | None = None) -> tuple[int, dict[str, str], bytes, float]:
        """Send one request; return status, headers (lower-case names), body and seconds taken."""
        headers = {"Accept-Language": "nb"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            answer = self.conn.getresponse()
            data = answer.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # next request reconnects
            raise
        elapsed = time.perf_counter() - started
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _sep, val = cookie.partition("=")
                self.cookies[key.strip()] = val.strip()
        if answer.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, data, elapsed


def run_respondent(browser: Browser, job: dict[str, Any], result: WorkerResult) -> None:
    token, pages = job["token"], job["pages"]
    browser.cookies = {}
    result.respondents += 1
    status, _headers, body, elapsed = browser.request("GET", f"/s/{token}/side/{FIRST_PAGE}")
    if status != 200:
        result.errors.append(f"GET {FIRST_PAGE}: HTTP {status}")
        return
    result.get_latencies.append(elapsed)
    match = CSRF_RE.search(body.decode("utf-8", "replace"))
    if not match:
        result.errors.append(f"GET {FIRST_PAGE}: no CSRF token")
        return
    csrf = match.group(1) or match.group(2)
    key = FIRST_PAGE
    for _step in range(50):
        if key == SUMMARY:
            break
        if key not in pages:
            result.errors.append(f"server sent the respondent to unknown page {key!r}")
            return
        form = [("csrf_token", csrf), ("nav", "next"), *pages[key]]
        status, headers, body, elapsed = browser.request("POST", f"/s/{token}/side/{key}", urlencode(form))
        if status != 302:
            result.errors.append(f"POST {key}: HTTP {status}")
            return
        location = urlsplit(headers.get("location", "")).path
        if "/side/" not in location and not location.endswith(f"/{SUMMARY}"):
            result.errors.append(f"POST {key}: redirected to {location!r}")
            return
        result.page_latencies.append(elapsed)
        key = location.rstrip("/").rsplit("/", 1)[-1]
    status, headers, body, elapsed = browser.request("POST", f"/s/{token}/{SUMMARY}",
                                                     urlencode([("csrf_token", csrf)]))
    if status != 302 or not urlsplit(headers.get("location", "")).path.endswith("/takk"):
        result.errors.append(f"POST {SUMMARY}: HTTP {status} {headers.get('location', '')}")
        return
    result.summary_latencies.append(elapsed)
    result.submitted += 1


def respondent_worker(port: int, jobs, results, ready, start, cap: float) -> None:
    """Answer questionnaires from the `jobs` queue until its sentinel, or until `cap` seconds have passed."""
    browser = Browser(port)
    result = WorkerResult()
    ready.put(True)
    start.wait()
    result.first_start = time.perf_counter()
    cpu_start = time.process_time()
    deadline = result.first_start + cap
    while time.perf_counter() < deadline:
        try:
            job = jobs.get(timeout=10)
        except queue.Empty:
            break
        if job is None:  # one sentinel per worker ends the phase
            break
        try:
            run_respondent(browser, job, result)
        except (http.client.HTTPException, OSError) as exc:
            result.errors.append(f"connection: {exc.__class__.__name__}: {exc}")
    result.last_end = time.perf_counter()
    result.cpu_seconds = time.process_time() - cpu_start
    browser.conn.close()
    results.put(result)


def insert_worker(dsn: str, count: int, payload: str, results, ready, start, done) -> None:
    """Bare baseline: `count` single-row INSERTs, each its own committed transaction."""
    import psycopg

    latencies: list[float] = []
    errors: list[str] = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT 1")
        ready.put(True)
        start.wait()
        first = time.perf_counter()
        cpu_start = time.process_time()
        for _n in range(count):
            started = time.perf_counter()
            try:
                conn.execute("INSERT INTO bench_baseline (payload) VALUES (%s)", (payload,))
            except psycopg.Error as exc:
                errors.append(str(exc))
                continue
            latencies.append(time.perf_counter() - started)
        last = time.perf_counter()
        cpu = time.process_time() - cpu_start
        # report, then stay connected until measured: the backend's CPU time is only in /proc while it lives
        results.put({"latencies": latencies, "errors": errors, "first_start": first, "last_end": last,
                     "cpu_seconds": cpu})
        done.wait(timeout=60)
