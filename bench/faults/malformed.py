"""Scenario g's malformed page POSTs: what a broken client, a fuzzer or a confused keyboard sends.

Each goes to the page its respondent is on, with a valid CSRF token, so that the app's own reading
and validation of the answers is what meets it; then the respondent sends the page properly and
goes on, and finally presses Send.
"""
from __future__ import annotations

import http.client
from collections import Counter
from urllib.parse import quote_plus, urlencode

from bench.faults.load import (FREE_TEXT_ITEM, Browser, Outcome, _sent, _start, marker, summary_form,
                               walk_pages)

PER_PAGE = 5
BATCH = 5  # respondents at least: one school's batch (the round's threshold), so the mover stores theirs too
OVERSIZED = 3 * 1024 * 1024  # above the app's 2 MB MAX_CONTENT_LENGTH
FOR_NUMBERS = [  # sent to every whole-number item met, on top of the mixed ones
    ("superscript digit", "²"), ("superscript digits", "¹⁰"), ("fullwidth digits", "３５"),
    ("Arabic-Indic digit", "٣"), ("NUL inside a number", "5\x000"), ("40-digit number", "9" * 40),
    ("negative number", "-7"), ("exponent", "2.5e3"),
]
FOR_TEXT = [  # sent to every free-text item met (each behind a marker), on top of the mixed ones
    ("NUL", "\x00"), ("control characters", "\x07\x1b[2J\x08\x7f"), ("5000 characters", "x" * 5000),
    ("markup", "<script>alert(1)</script>"), ("emoji", "🙂"),
]
MIXED = [
    ("NUL", "\x00"), ("superscript digit", "²"), ("control characters", "\x07\x1b[2J\x08\x7f"),
    ("SQL", "'; DROP TABLE response;--"), ("blanks", " \t "), ("unknown code", "zzz"),
    ("invalid UTF-8", b"\xff\xfe\xfd"), ("invalid UTF-8, percent-encoded", b"%FF%FE%C0%AF"),
    ("oversized body", OVERSIZED),
]


def _mixed():
    """Endless kinds of malformed value for any item, as (kind, text value or raw bytes)."""
    while True:
        yield from MIXED


class Sender:
    """Sends the malformed POSTs, `budget` in all, and tallies (kind, status)."""

    def __init__(self, run, budget: int):
        self.run, self.budget = run, budget
        self.answers: Counter = Counter()
        self.variants = _mixed()
        self.items = {s.key: [(i.key, i.type) for i in s.items] for s in run.fixture.questionnaire().sections}
        self.oversized_left = 2  # big bodies cost the shared machine; two show the point

    def body(self, csrf: str, page: list, item: tuple[str, str], value) -> tuple[str, bytes]:
        kind, value = value
        key, kind_of_item = item
        kind = f"{kind} in a {kind_of_item} item"
        rest = [(k, v) for k, v in page if k != key]
        head = urlencode([("csrf_token", csrf), ("nav", "next"), *rest]).encode()
        if value == OVERSIZED:
            return kind, head + b"&" + key.encode() + b"=" + b"x" * OVERSIZED
        if isinstance(value, bytes):
            return kind, head + b"&" + key.encode() + b"=" + value
        if kind_of_item == "text":  # a free text is a marker, so the log check would find it
            text, mail = marker()
            self.run.secrets.markers.add(text)
            self.run.secrets.mails.add(mail)
            value = f"{text} {value}"
        return kind, head + b"&" + key.encode() + b"=" + quote_plus(value).encode()

    def page(self, browser: Browser, token: str, csrf: str, pages: dict, key: str) -> None:
        """Send this page's share: the targeted values to its number and text items, then mixed ones."""
        items = self.items.get(key, [])
        posts = [(item, value) for item in items for value in
                 {"integer": FOR_NUMBERS, "text": FOR_TEXT}.get(item[1], [])]
        plain = [i for i in items if i[1] != "multi"] or items
        for n in range(PER_PAGE):
            value = next(self.variants)
            if value[1] == OVERSIZED:
                self.oversized_left -= 1
                if self.oversized_left < 0:
                    value = next(self.variants)
            posts.append((plain[n % len(plain)], value))
        for item, value in posts[:self.budget]:
            kind, body = self.body(csrf, pages[key], item, value)
            self.budget -= 1
            self.answers[(kind, self.post(browser, f"/s/{token}/side/{key}", body))] += 1

    def post(self, browser: Browser, path: str, body: bytes) -> int:
        """POST; the status, or 0 when the server hung up (a body over the limit may be refused that way)."""
        try:
            return browser.request("POST", path, body)[0]
        except (http.client.HTTPException, OSError):
            browser.conn.close()
            return 0


def _with_control_characters(job: dict) -> dict:
    """Let the free text the respondent finally sends carry a NUL and an escape: accepted, so kept."""
    for fields in job["pages"].values():
        fields[:] = [(k, f"{v}\x00\x1b[0m" if k == FREE_TEXT_ITEM else v) for k, v in fields]
    return job


def send_all(run, result) -> tuple[Counter, list[Outcome]]:
    """Send the run's malformed POSTs from as many respondents as it takes; each then finishes."""
    sender = Sender(run, run.knobs.malformed)
    outcomes = []
    while sender.budget > 0 or len(outcomes) < BATCH:
        job = _with_control_characters(run.jobs(1)[0])
        browser, outcome = Browser(run.stack.port), Outcome(job["token"])
        try:
            csrf = _start(browser, job["token"])
            walk_pages(browser, job["token"], csrf, job["pages"],
                       lambda key: sender.page(browser, job["token"], csrf, job["pages"], key))
            _sent(browser, outcome, summary_form(browser, job["token"]))
        except Exception as exc:  # noqa: BLE001 (recorded; the promise checks tell what it cost)
            outcome.errors.append(f"respondent after malformed POSTs: {type(exc).__name__}: {exc}"[:120])
        finally:
            browser.conn.close()
        outcomes.append(outcome)
    return sender.answers, outcomes
