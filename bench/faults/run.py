"""One chaos run: the stack, the round, the secrets sent, and the settling of each scenario's promises."""
from __future__ import annotations

import re
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.common import BIN, PROJECT_ROOT
from bench.faults.checks import Ledger, Secrets
from bench.faults.load import FREE_TEXT_ITEM, Crowd, Outcome, marker
from bench.faults.stack import Stack

NOT_STORED = re.compile(r"not stored \((\w+)")  # the pool mover's warning, workers/mover.py


@dataclass(frozen=True)
class Knobs:
    respondents: int       # concurrent virtual respondents
    outage: float          # seconds Redis stays away
    lead: float            # seconds of load before a fault
    converge: float        # seconds after a fault ends within which every figure must equal a rebuild
    replays: int           # Sends replayed ten times each (scenario f)
    malformed: int         # malformed page POSTs (scenario g)
    # RESEND_AFTER of the stack: None keeps the product's default (60 s), under which a message the broker
    # lost is sent again within the full run's 90 s; the quick run's 45 s need a shorter one
    resend_after: int | None = None

    @classmethod
    def of(cls, quick: bool) -> Knobs:
        if quick:
            return cls(respondents=3, outage=10, lead=3, converge=45, replays=1, malformed=200,
                       resend_after=20)
        return cls(respondents=4, outage=60, lead=5, converge=90, replays=3, malformed=200)


@dataclass
class Result:
    """One scenario's row of docs/faults.md, and the promises it broke."""

    scenario: str
    receipts: int = 0
    stored: int = 0
    lost: int = 0
    duplicates: int = 0
    converged: float | None = None       # seconds after the fault ended; None: not within the limit
    errors: Counter = field(default_factory=Counter)
    broken: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.broken


class Run:
    def __init__(self, stack: Stack, fixture, knobs: Knobs):
        self.stack, self.fixture, self.knobs = stack, fixture, knobs
        self.ledger = Ledger(fixture)
        self.secrets = Secrets()
        self._free_text_page = self._page_of(FREE_TEXT_ITEM)
        self.last_traffic = lambda: None  # a scenario's way to start no new respondents from the strike on

    def _page_of(self, item_key: str) -> str | None:
        for section in self.fixture.questionnaire().sections:
            if any(item.key == item_key for item in section.items):
                return section.key
        return None

    def jobs(self, count: int) -> list[dict]:
        """Fresh invitations with simulated answers, each with a marker free text (remembered as secret)."""
        jobs = self.fixture.jobs(count)
        for job in jobs:
            self.secrets.tokens.add(job["token"])
            if self._free_text_page in job["pages"]:
                text, mail = marker()
                self.secrets.markers.add(text)
                self.secrets.mails.add(mail)
                job["pages"][self._free_text_page].append((FREE_TEXT_ITEM, text))
        return jobs

    def crowd(self) -> Crowd:
        """Respondents answering fresh links, enough of them to last through the fault."""
        k = self.knobs
        count = k.respondents * int(k.lead + k.outage + 20)
        return Crowd(self.stack.port, self.jobs(count), k.respondents, pause=0.5).start()

    def log_marks(self) -> dict[str, int]:
        return {name: len(text) for name, text in self.stack.log_texts().items()}

    def settle(self, result: Result, outcomes: list[Outcome], since: tuple[int, dict],
               fault_end: float) -> Result:
        """Count receipts against what was kept, wait for the figures, read the logs written meanwhile."""
        stored_before, marks = since
        tokens = [o.token for o in outcomes]
        responded = self.ledger.responded(tokens)
        result.receipts = sum(o.receipt for o in outcomes)
        result.stored = self.ledger.stored() - stored_before
        result.lost = sum(o.receipt and o.token not in responded for o in outcomes) + max(
            len(responded) - result.stored, 0)
        result.duplicates = max(result.stored - len(responded), 0)
        unreceipted = sum(o.token in responded and not o.receipt for o in outcomes)
        for outcome in outcomes:
            result.errors.update(outcome.errors)
        if result.lost:
            result.broken.append(f"{result.lost} response(s) answered with a receipt were not kept")
        if result.duplicates:
            result.broken.append(f"{result.duplicates} response(s) kept more than once")
        if unreceipted:
            result.broken.append(f"{unreceipted} response(s) kept, but the respondent never got a thank-you")
        self._converge(result, fault_end)
        self._read_logs(result, marks)
        return result

    def reset(self) -> list[str]:
        """After a scenario that did not converge: restart the worker (its pool mover waits minutes before
        it retries a failed batch) and run `laget rebuild`, so the next scenario starts clean; return what
        still does not hold."""
        self.stack.worker.stop()
        self.stack.start_worker()
        done = subprocess.run([str(BIN / "laget"), "rebuild", "--round", self.fixture.round_name],
                              env=self.stack.env, cwd=PROJECT_ROOT, capture_output=True, text=True,
                              timeout=300, check=False)
        problems = [] if done.returncode == 0 else [f"`laget rebuild` exited with {done.returncode}"]
        deadline = time.monotonic() + self.knobs.converge
        while time.monotonic() < deadline:
            unmet = self.ledger.unmet()
            if not unmet:
                return problems
            time.sleep(1)
        return problems + unmet

    def _converge(self, result: Result, fault_end: float) -> None:
        deadline = fault_end + self.knobs.converge
        while True:
            unmet = self.ledger.unmet()
            if not unmet:
                result.converged = max(time.monotonic() - fault_end, 0.0)
                return
            if time.monotonic() > deadline:
                result.broken += [f"not within {self.knobs.converge:.0f} s: {p}" for p in unmet]
                return
            time.sleep(1)

    def _read_logs(self, result: Result, marks: dict[str, int]) -> None:
        for name, text in self.stack.log_texts().items():
            fresh = text[marks.get(name, 0):]
            service = name.split("-")[1]  # laget-<service>-xxxx.log
            for kind, n in self.secrets.leaks(fresh).items():
                result.broken.append(f"{n} {kind}(s) in the {service} log")
            for reason in NOT_STORED.findall(fresh):
                result.errors[f"pool mover: a batch not stored ({reason})"] += 1
            tracebacks = fresh.count("Traceback")
            if tracebacks:
                result.errors[f"tracebacks in the {service} log"] += tracebacks
