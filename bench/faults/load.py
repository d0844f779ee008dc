"""Virtual respondents in threads of the suite, each one's outcome kept per link.

A respondent walks the questionnaire like bench.loadgen's, over its Browser, but behaves like a
person when the server fails: after a refused connection or a 5xx it waits a second and tries again
(from the first page, or by pressing Send again when the summary POST is the one that failed), until
its deadline. Every free-text answer is a marker with an e-mail address in it, so the log check can
look for what was sent.
"""
from __future__ import annotations

import http.client
import queue
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench.loadgen import CSRF_RE, FIRST_PAGE, SUMMARY, Browser

FREE_TEXT_ITEM = "fritekst"
RETRY_PAUSE = 1.0
SEND_FIELDS = ("csrf_token", "send_id")  # what the summary's Send form carries (templates/respond)
HIDDEN_RE = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def marker() -> tuple[str, str]:
    """A free-text answer nobody else would write, and the e-mail address inside it."""
    mail = f"chaos.{secrets.token_hex(4)}@example.org"
    return f"chaosmarker-{secrets.token_hex(6)} skriv til {mail}", mail


@dataclass
class Outcome:
    """What one link's respondent saw."""

    token: str
    receipt: bool = False                               # the Send was answered 302 → /takk
    errors: list[str] = field(default_factory=list)     # kinds, never the token


class Transient(Exception):
    """The server was away or failed; a person would try again."""


def _status(kind: str, status: int) -> None:
    if status >= 500 or status in (408, 429):
        raise Transient(f"{kind}: HTTP {status}")


def _start(browser: Browser, token: str) -> str | None:
    """Open the first page with fresh cookies; return the CSRF token, or None when the link is used up."""
    browser.cookies = {}
    status, _headers, body, _elapsed = browser.request("GET", f"/s/{token}/side/{FIRST_PAGE}")
    _status("GET first page", status)
    if status == 410:
        return None
    match = CSRF_RE.search(body.decode("utf-8", "replace")) if status == 200 else None
    if not match:
        raise RuntimeError(f"GET first page: HTTP {status}")
    return match.group(1) or match.group(2)


def walk_pages(browser: Browser, token: str, csrf: str, pages: dict[str, list], before_post=None) -> None:
    """POST every page the server leads to, until the summary; `before_post(key)` may send more first."""
    key = FIRST_PAGE
    for _step in range(60):
        if key == SUMMARY:
            return
        if before_post is not None:
            before_post(key)
        body = urlencode([("csrf_token", csrf), ("nav", "next"), *pages[key]])
        status, headers, _body, _elapsed = browser.request("POST", f"/s/{token}/side/{key}", body)
        _status(f"POST page {key}", status)
        if status != 302:
            raise RuntimeError(f"POST page {key}: HTTP {status}")
        key = urlsplit(headers.get("location", "")).path.rstrip("/").rsplit("/", 1)[-1]
    raise RuntimeError("the pages never reached the summary")


def summary_form(browser: Browser, token: str) -> list[tuple[str, str]]:
    """Open the summary, as a person does before pressing Send; return its form's hidden fields."""
    status, _headers, body, _elapsed = browser.request("GET", f"/s/{token}/{SUMMARY}")
    _status("GET summary", status)
    if status != 200:
        raise RuntimeError(f"GET summary: HTTP {status}")
    fields: dict[str, str] = {}
    for name, value in HIDDEN_RE.findall(body.decode("utf-8", "replace")):
        if name in SEND_FIELDS:
            fields.setdefault(name, value)  # the Send form's, not another form's on the page
    return list(fields.items())


def send(browser: Browser, token: str, form: list[tuple[str, str]]) -> tuple[int, str]:
    """Press Send once with the summary's form; return the status and where it leads."""
    status, headers, _body, _elapsed = browser.request("POST", f"/s/{token}/{SUMMARY}", urlencode(form))
    return status, urlsplit(headers.get("location", "")).path


def _sent(browser: Browser, outcome: Outcome, form: list[tuple[str, str]]) -> bool:
    status, location = send(browser, outcome.token, form)
    _status("POST summary", status)
    if status == 302 and location.endswith("/takk"):
        outcome.receipt = True
        return True
    outcome.errors.append(f"POST summary: HTTP {status}" + (" (link used)" if status == 410 else ""))
    return True  # a definite answer: pressing again would not change it


def answer(port: int, job: dict[str, Any], deadline: Callable[[], float]) -> Outcome:
    """Answer one questionnaire, trying again after failures until `deadline()` (time.monotonic)."""
    outcome, browser = Outcome(job["token"]), Browser(port)
    form: list[tuple[str, str]] = []
    try:
        while time.monotonic() < deadline():
            try:
                if form and _sent(browser, outcome, form):  # pressed again: the same form
                    return outcome
                csrf = _start(browser, outcome.token)
                if csrf is None:
                    outcome.errors.append("GET first page: HTTP 410 (link used)")
                    return outcome
                walk_pages(browser, outcome.token, csrf, job["pages"])
                form = summary_form(browser, outcome.token)
            except (Transient, http.client.HTTPException, OSError) as exc:
                outcome.errors.append(_kind(exc))
                time.sleep(RETRY_PAUSE)
            except RuntimeError as exc:
                outcome.errors.append(str(exc))
                return outcome
        outcome.errors.append("gave up at the deadline")
        return outcome
    finally:
        browser.conn.close()


def _kind(exc: Exception) -> str:
    return str(exc) if isinstance(exc, Transient) else f"connection: {type(exc).__name__}"


class Crowd:
    """`concurrency` respondent threads taking jobs until told to stop taking new ones."""

    def __init__(self, port: int, jobs: list[dict[str, Any]], concurrency: int, pause: float):
        self.port, self.pause = port, pause
        self.jobs: queue.Queue = queue.Queue()
        for job in jobs:
            self.jobs.put(job)
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()
        self._no_more = threading.Event()
        self.deadline = time.monotonic() + 900  # moved closer by finish()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _n in range(concurrency)]

    def start(self) -> Crowd:
        for thread in self._threads:
            thread.start()
        return self

    def _run(self) -> None:
        while not self._no_more.is_set():
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                return
            outcome = answer(self.port, job, lambda: self.deadline)
            with self._lock:
                self.outcomes.append(outcome)
            self._no_more.wait(self.pause)

    def stop_new(self) -> None:
        """Start no new respondents; those under way go on."""
        self._no_more.set()

    def finish(self, grace: float) -> list[Outcome]:
        """Take no new respondents; let those under way try for up to `grace` more seconds."""
        self.deadline = time.monotonic() + grace
        self._no_more.set()
        for thread in self._threads:
            thread.join(timeout=grace + 35)
        return self.outcomes
