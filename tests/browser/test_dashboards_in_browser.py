"""Dashboards in headless Chromium: every figure draws at phone size; scopes keep people to their units."""
from __future__ import annotations

import random

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.conftest import ARTIFACTS
from webapp.domain.simulate import simulate_answers
from webapp.extensions import db
from webapp.models import Kommune, School
from webapp.services import aggregates, answering
from webapp.services.rounds import get_round, set_status
from webapp.services.users import create_user

PASSWORD = "correct horse battery"


@pytest.fixture()
def results(app, open_round, invite):
    """12, 8 and 6 responses at S1, S2 (Fjordvik) and S3 (Elvdal); the round closed, its final figures
    published; three accounts."""
    rng = random.Random(21)
    for code, count in {"S1": 12, "S2": 8, "S3": 6}.items():
        for token in invite(code, count):
            with app.app_context():
                link = answering.open_link(db.session, token)
                answering.store_response(db.session, link.questionnaire, link.round.id,
                                         link.invitation.school_id, simulate_answers(link.questionnaire, rng))
                db.session.commit()
    with app.app_context():
        found = get_round(db.session, open_round)
        set_status(db.session, open_round, "closed")
        aggregates.rebuild(db.session, found)
        ids = {s.code: s.id for s in db.session.scalars(select(School))}
        fjordvik = db.session.scalar(select(Kommune.id).filter_by(name="Fjordvik"))
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        tv = create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt")
        tv.kommune_id = fjordvik
        leader = create_user(db.session, "leder@example.org", PASSWORD, "skoleleder")
        leader.school_id = ids["S1"]
        db.session.commit()
        return {"round": found.id, "schools": ids, "fjordvik": fjordvik}


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


def check_dashboard(page, name: str) -> int:
    """Every figure drew, the page fits a phone, and each panel has its question, n, table and CSV
    (or says it has too few answers, and offers neither)."""
    # the panels that start folded draw their charts when opened
    page.evaluate("document.querySelectorAll('details.fold').forEach(d => { d.open = true; })")
    figures = page.locator("[data-figure]")
    count = figures.count()
    assert count >= 12
    expect(page.locator("[data-drawn='true']")).to_have_count(count, timeout=20_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    panels = page.locator("section.panel:not(#fritekst):not(#forslag)")  # figures; the course list is not one
    with_n = 0
    for k in range(panels.count()):
        panel = panels.nth(k)
        question = panel.locator(".panel-question").inner_text()
        assert "n = " in question or "for få svar til å kunne vises" in question, question
        with_n += "n = " in question
        if panel.locator(".empty-figure").count():  # nothing to show: nor any table or file to offer
            expect(panel.get_by_role("link", name="Last ned CSV")).to_have_count(0)
        else:
            expect(panel.get_by_role("link", name="Last ned CSV")).to_be_visible()
    assert with_n >= panels.count() // 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}-360.png"), full_page=True)
    return count


def test_dashboards_draw_on_a_phone_and_respect_scopes(live_server, new_phone, results):
    rid, ids = results["round"], results["schools"]

    # Given an administrator on a phone
    page = new_phone().new_page()
    log_in(page, live_server, "admin@example.org")

    # When they open the round, the kommune and a school, Then every figure draws and reads at 360 px
    page.goto(f"{live_server}/resultater/{rid}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Høst 2026")
    check_dashboard(page, "round")
    page.goto(f"{live_server}/resultater/{rid}/kommune/{results['fjordvik']}")
    check_dashboard(page, "kommune")
    page.goto(f"{live_server}/resultater/{rid}/skole/{ids['S1']}")
    check_dashboard(page, "school")

    # … the table view opens, and the CSV has the same rows
    panel = page.locator("section#d")  # Section D: plan, roles, joint development
    panel.get_by_text("Vis som tabell").click()
    expect(panel.locator("table tbody tr")).to_have_count(3)
    with page.expect_download() as download:
        panel.get_by_role("link", name="Last ned CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read().splitlines()
    assert len(text) == 4 and text[0].startswith("Utsagn;")  # semicolons: the dialect for Excel in Norwegian

    # … and a school with 6 answers but yrkesgrupper under 5 says so, with no numbers, no empty table
    # and no downloads of nothing
    page.goto(f"{live_server}/resultater/{rid}/skole/{ids['S3']}")
    heat = page.locator("section#behov_yrkesgruppe")
    heat.locator("summary h2").click()  # a panel the administrator does not need first starts folded
    expect(heat.locator(".empty-figure")).to_be_visible()
    assert heat.locator("td.num").count() == 0 and heat.locator("a.download").count() == 0
    assert heat.get_by_text("Vis som tabell").count() == 0
    heat.screenshot(path=str(ARTIFACTS / "empty-panel-360.png"))

    # Given a tillitsvalgt for Fjordvik, Then Elvdal's school is not theirs to see
    other = new_phone().new_page()
    log_in(other, live_server, "tv@example.org")
    assert other.goto(f"{live_server}/resultater/{rid}/skole/{ids['S3']}").status == 404
    assert other.goto(f"{live_server}/resultater/{rid}/skole/{ids['S2']}").status == 200

    # Given a school leader of S1, Then only S1 (and the levels above it) are open to them
    leader = new_phone().new_page()
    log_in(leader, live_server, "leder@example.org")
    assert leader.goto(f"{live_server}/resultater/{rid}/skole/{ids['S2']}").status == 404
    assert leader.goto(f"{live_server}/resultater/{rid}/skole/{ids['S1']}").status == 200
    api = leader.request.get(f"{live_server}/api/v1/rounds/{rid}/aggregates?level=school&unit=S2")
    assert api.status == 404
    own = leader.request.get(
        f"{live_server}/api/v1/rounds/{rid}/aggregates?level=school&unit=S1&by=yrkesgruppe")
    body = own.json()
    assert own.status == 200 and body["by"] == "yrkesgruppe"
    # empty groups are not small groups
    assert all(e.get("suppressed") or e["n"] == 0 or e["n"] >= 5 for e in body["items"])


WORDS_SPLIT = """() => {
  // Every table cell's words, each drawn on one line: a word split over lines has more than one box.
  const split = [];
  for (const cell of document.querySelectorAll('#response-rates th, #response-rates td')) {
    const text = cell.firstChild && cell.firstChild.nodeType === 3 ? cell : cell.querySelector('a') || cell;
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /\\S+/g; let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) split.push(m[0]);
      }
    }
  }
  return split;
}"""


def test_the_administrators_round_table_keeps_words_whole_on_a_phone_and_a_desktop(
        live_server, new_phone, results):
    context = new_phone()
    page = context.new_page()
    log_in(page, live_server, "admin@example.org")
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/admin/runder/{results['round']}")
        expect(page.locator("#response-rates")).to_be_visible()
        # Then no header or cell is split inside a word («Komm une», «Fjo rdv ik»)
        assert page.evaluate(WORDS_SPLIT) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"admin-round-{width}.png"))
    # On the phone each school is a card whose cells say what they are
    row = page.locator("#response-rates tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    assert "Invitasjoner" in row.evaluate("r => getComputedStyle(r.children[2], '::before').content")
    # … and the school's name leads to its dashboard
    name = row.locator("a").first.inner_text()
    row.locator("a").first.click()
    expect(page.locator("h1")).to_have_text(name)


def test_a_school_is_found_by_typing_part_of_its_name(live_server, new_phone, results):
    page = new_phone().new_page()
    log_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server}/resultater/{results['round']}/")
    rows = page.locator("#schools tbody tr")
    expect(rows).to_have_count(3)
    # When they type part of a name, Then only the schools whose name holds it stay
    page.get_by_role("searchbox", name="Finn en skole").fill("brei")
    expect(page.locator("#schools tbody tr:visible")).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "school-search-360.png"))
    # … and the one left leads to its dashboard
    page.locator("#schools tbody tr:visible a").click()
    expect(page.locator("h1")).to_have_text("Breivika skole")
    # The round's fylker are listed with their response rate
    page.go_back()
    expect(page.locator("#children tbody tr")).to_have_count(1)
