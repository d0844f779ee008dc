"""Drafts on the invitation row are sealed with the link's token: the database alone cannot read them."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from tests.conftest import TEST_DB, sqlite_files
from tests.integration.test_answering import answer_all, location, post_page
from webapp.domain.simulate import simulate_answers
from webapp.models import Invitation
from webapp.services import answering
from webapp.services.rounds import hash_token, set_status

SECRET_TEXT = "Rektor sier aldri hei til meg i gangen"


def stored_invitations(db_session) -> dict[str, bytes]:  # noqa: ANN001
    """Every stored invitation as the bytes of all its columns, by token hash (what a reader of the table
    sees)."""
    db_session.commit()
    rows = db_session.execute(text("SELECT * FROM invitation")).mappings().all()
    return {row["token_hash"]: b"|".join(bytes(v) if isinstance(v, (bytes, memoryview)) else str(v).encode()
                                         for v in row.values()) for row in rows}


def test_a_draft_is_stored_sealed_and_the_same_size_whatever_was_answered(client, invite, db_session,
                                                                          questionnaire):
    # Given one person who answered only the consent page and one who reached the summary with a long
    # free text
    short, full = invite("S1", 2)
    post_page(client, short, "samtykke", {"b_samtykke": "ja"})
    answers = simulate_answers(questionnaire, random.Random(4))
    answers.update({"b_stillingsprosent": "37", "fritekst": SECRET_TEXT + " ø" * 900})
    answer_all(client, full, answers, questionnaire)

    # Then no column of either invitation holds an answer, a question key or the free text …
    stored = stored_invitations(db_session)
    for row in stored.values():
        assert SECRET_TEXT.encode() not in row and b"b_samtykke" not in row and b"fritekst" not in row
    # … and the two sealed drafts have the same length, with the day they were saved
    drafts = {i.token_hash: i.sealed_draft for i in db_session.scalars(select(Invitation))}
    assert len(drafts[hash_token(short)]) == len(drafts[hash_token(full)])
    assert all(i.draft_saved_on == date.today() for i in db_session.scalars(select(Invitation)))

    # When the second person opens the link again in a new browser, Then they continue at the summary
    client.delete_cookie("session")
    assert location(client.get(f"/s/{full}")).endswith("/oppsummering")
    assert SECRET_TEXT in client.get(f"/s/{full}/oppsummering").get_data(as_text=True)


def test_only_the_token_opens_a_draft(client, invite, db_session):
    from webapp.domain import sealing  # (imported here so that the other tests run on code without it)

    token, other = invite("S1", 2)
    post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    post_page(client, token, "bakgrunn", {"b_elevrettet": "ja", "b_rolle": "bua", "b_heltid": "deltid",
                                          "b_stillingsprosent": "60"})
    invitation = db_session.scalars(select(Invitation).filter_by(token_hash=hash_token(token))).one()

    # The database's own knowledge (the token hash) and another link's token do not open it
    for wrong in (invitation.token_hash, hash_token(invitation.token_hash), other):
        with pytest.raises(sealing.SealError):
            sealing.unseal(sealing.draft_key(wrong), invitation.sealed_draft, sealing.DRAFT_CONTEXT)
    opened = sealing.unseal(sealing.draft_key(token), invitation.sealed_draft, sealing.DRAFT_CONTEXT)
    assert opened["b_stillingsprosent"] == 60 and opened["b_rolle"] == "bua"
    assert invitation.draft_page == 2  # the page marker is kept as it was


def test_drafts_nobody_continued_are_deleted_after_the_retention_period(app, client, invite, db_session):
    from workers.scheduler import delete_stale_drafts

    old, recent = invite("S1", 2)
    for token in (old, recent):
        post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    retention = app.config["LAGET"].draft_retention_days
    db_session.execute(text("UPDATE invitation SET draft_saved_on = :day WHERE token_hash = :hash"),
                       {"day": date.today() - timedelta(days=retention + 1), "hash": hash_token(old)})
    db_session.commit()

    # When the scheduler's daily job runs
    assert delete_stale_drafts(app) == 1

    # Then the forgotten draft is gone and its link starts from the beginning; the recent one is kept
    db_session.expire_all()
    assert answering.open_link(db_session, old).answers == {}
    assert location(client.get(f"/s/{old}")).endswith("/side/samtykke")
    assert answering.open_link(db_session, recent).answers == {"b_samtykke": "ja"}


def test_closing_a_round_deletes_every_draft_of_the_round(client, invite, db_session):
    tokens = invite("S1", 2) + invite("S2", 1)
    for token in tokens:
        post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    set_status(db_session, "Høst 2026", "closed")
    db_session.commit()
    left = db_session.execute(text("SELECT count(*) FROM invitation WHERE sealed_draft IS NOT NULL "
                                   "OR draft_saved_on IS NOT NULL OR draft_page <> 0")).scalar()
    assert left == 0


@pytest.mark.parametrize(("lang", "said"), [
    ("nb", "De slettes hvis du ikke har fortsatt på 14 dager, og når undersøkelsen stenger."),
    ("nn", "Dei blir sletta om du ikkje har halde fram på 14 dagar, og når undersøkinga blir stengd."),
    ("en", "They are deleted if you have not continued for 14 days, and when the survey closes."),
])
def test_the_welcome_page_says_how_long_unsent_answers_are_kept(client, invite, lang, said):
    page = client.get(f"/s/{invite('S1')[0]}/side/samtykke?lang={lang}").get_data(as_text=True)
    consent = page.split('class="consent"', 1)[1].split("</details>", 1)[0]
    assert said in consent


@pytest.mark.skipif(TEST_DB != "sqlite", reason="reads the SQLite database file")
def test_a_replaced_draft_leaves_no_copy_in_the_sqlite_file(client, invite, db_session, database_url):
    token = invite("S3")[0]
    post_page(client, token, "samtykke", {"b_samtykke": "ja"})
    first = db_session.scalars(select(Invitation)).one().sealed_draft
    db_session.commit()
    # When the person then says they do not work with pupils, the draft is deleted
    post_page(client, token, "bakgrunn", {"b_elevrettet": "admin", "b_rolle": "annet"})
    db_session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).all()
    db_session.commit()
    stored = sqlite_files(database_url)
    assert first is not None and first[:64] not in stored  # secure_delete overwrote it
