"""The promises, checked against the database through the product's own services.

Figures are compared with a rebuild made inside a transaction that is rolled back, so checking
changes nothing; the counts an administrator sees come from rounds.round_status, the function behind
the admin round page, whatever table it reads them from.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from webapp.models import Aggregate, Invitation, PooledResponse, Response

TOKEN_RUN = re.compile(r"[A-Za-z0-9_-]{32,}")
MARKER = re.compile(r"chaosmarker-[0-9a-f]{12}")
MAIL = re.compile(r"chaos\.[0-9a-f]{8}(?:@|%40)example\.org")


@dataclass
class Secrets:
    """What the suite sent that no log may show: link tokens, e-mail addresses, free-text markers."""

    tokens: set[str] = field(default_factory=set)
    mails: set[str] = field(default_factory=set)
    markers: set[str] = field(default_factory=set)

    def leaks(self, text: str) -> Counter:
        """How many sent tokens, e-mail addresses and markers `text` holds, by kind."""
        found: Counter = Counter()
        for run in TOKEN_RUN.findall(text):
            found["link token"] += sum(run[i:i + 32] in self.tokens for i in range(len(run) - 31))
        found["free-text answer"] = len(MARKER.findall(text))
        found["e-mail address"] = len(MAIL.findall(text))
        return +found


def _count(session, model, round_id: int, by_school: bool = False):
    if by_school:
        return dict(session.execute(select(model.school_id, func.count()).where(model.round_id == round_id)
                                    .group_by(model.school_id)).all())
    return session.scalar(select(func.count()).select_from(model).where(model.round_id == round_id)) or 0


class Ledger:
    """The round of the chaos run, read through the product's services in the suite's process."""

    def __init__(self, fixture):
        from webapp.extensions import db

        self.fixture, self.db = fixture, db

    def stored(self) -> int:
        """Responses kept in the round: sealed in the pool or stored."""
        with self.fixture.app.app_context():
            session = self.db.session
            try:
                rid = self.fixture.round_id
                return _count(session, PooledResponse, rid) + _count(session, Response, rid)
            finally:
                session.remove()

    def responded(self, tokens: list[str]) -> set[str]:
        """The tokens among `tokens` whose invitation is used by a response."""
        from webapp.services.rounds import hash_token

        by_hash = {hash_token(t): t for t in tokens}
        with self.fixture.app.app_context():
            try:
                hashes = self.db.session.scalars(select(Invitation.token_hash).where(
                    Invitation.token_hash.in_(list(by_hash)), Invitation.state == "responded")).all()
            finally:
                self.db.session.remove()
        return {by_hash[h] for h in hashes}

    def unmet(self) -> list[str]:
        """The promises about figures and counts that do not hold right now (empty: converged)."""
        from webapp.services import pool
        from webapp.services.outbox import pending_count

        with self.fixture.app.app_context():
            session = self.db.session
            try:
                problems = []
                pending, due = pending_count(session), len(pool.due_units(session))
                if pending:
                    problems.append(f"{pending} outbox event(s) not relayed")
                if due:
                    problems.append(f"{due} school batch(es) due in the pool, not stored")
                problems += self._counts(session)
                problems += self._figures(session)
                return problems
            finally:
                session.rollback()
                session.remove()

    def _counts(self, session) -> list[str]:
        """Every per-school count of the admin round page against the rows it counts."""
        from webapp.services import rounds

        found = rounds.get_round(session, self.fixture.round_name)
        rid = found.id
        stored = _count(session, Response, rid, by_school=True)
        pooled = _count(session, PooledResponse, rid, by_school=True)
        shown, counted = 0, 0
        for row in rounds.round_status(session, found):
            kept = stored.get(row.school_id, 0) + pooled.get(row.school_id, 0)
            shown += row.responses != kept
            counted += row.stored != stored.get(row.school_id, 0)
        problems = []
        if shown:
            problems.append(f"admin round page: response count ≠ responses kept at {shown} school(s)")
        if counted:
            problems.append(f"admin round status: its stored count ≠ responses stored "
                            f"at {counted} school(s)")
        return problems

    def _figures(self, session) -> list[str]:
        """Live, released and published aggregates against a rebuild that is rolled back."""
        from webapp.services import aggregates, rounds
        from webapp.services.round_units import lock_round

        found = rounds.get_round(session, self.fixture.round_name)
        lock_round(session, found)  # no worker writes between the two snapshots
        before = _snapshot(session, found.id)
        aggregates.rebuild(session, found)
        after = _snapshot(session, found.id)
        session.rollback()
        differing = Counter(key[0] for key in set(before) | set(after) if before.get(key) != after.get(key))
        return [f"{kind} figures: {n} row(s) differ from a rebuild" for kind, n in sorted(differing.items())]


def _snapshot(session, round_id: int) -> dict:
    table = Aggregate.__table__
    rows = session.execute(select(table.c.kind, table.c.level, table.c.unit_id, table.c.grouping,
                                  table.c.respondents, table.c.group_respondents, table.c.counts)
                           .where(table.c.round_id == round_id, table.c.respondents > 0))
    return {(r.kind, r.level, r.unit_id, r.grouping):
            (r.respondents, list(r.group_respondents), bytes(r.counts)) for r in rows}
