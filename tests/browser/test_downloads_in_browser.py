"""A download in Chromium from the real server (gunicorn), for a school whose name is not Latin-1."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_dashboards_in_browser import log_in
from tests.conftest import ARTIFACTS
from tests.integration.test_download_names import published  # noqa: F401  (the fixture)


def test_chromium_saves_a_download_under_the_schools_own_name(live_server, new_phone, published):  # noqa: F811
    round_id, schools, _kommune = published
    page = new_phone().new_page()
    log_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server}/resultater/{round_id}/skole/{schools['N1']}")

    panel = page.locator("section#sammenligning")
    with page.expect_download() as csv_download:
        panel.get_by_role("link", name="Last ned CSV").click()
    with page.expect_download() as xlsx_download:
        panel.get_by_role("link", name="Last ned Excel").click()

    today = date.today().isoformat()
    assert (csv_download.value.suggested_filename
            == f"laget-Høst_2026-Nesset_1–10-skole-sammenligning-{today}.csv")
    assert xlsx_download.value.suggested_filename.endswith(
        "Nesset_1–10-skole-sammenligning-" + today + ".xlsx")
    assert csv_download.value.failure() is None
    # the file as Excel set to Norwegian opens it: a byte order mark, semicolons, bokmål, decimal commas
    data = Path(csv_download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8")), delimiter=";"))
    assert rows[0][0] == "Indikator" and rows[0][1] == "Nesset 1–10-skole"
    assert any("," in cell for row in rows[1:] for cell in row[1:2])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    panel.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "download-nesset-360.png"))


def test_a_panel_with_too_few_answers_offers_nothing_to_open_or_download(
        live_server, browser, app, open_round):
    from sqlalchemy import select

    from tests.integration.test_dashboards import fill
    from webapp.extensions import db
    from webapp.models import School
    from webapp.services.users import create_user

    round_id = fill(app, open_round, {"S1": 12, "S2": 30, "S3": 3}, 1)  # as in test_empty_panels.py
    with app.app_context():
        create_user(db.session, "admin@example.org", "correct horse battery", "admin")
        db.session.commit()
        school = db.session.scalar(select(School.id).filter_by(code="S1"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((360, 740), (1280, 800)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="nb-NO")
        page = context.new_page()
        log_in(page, live_server, "admin@example.org")
        page.goto(f"{live_server}/resultater/{round_id}/skole/{school}#utnytte")
        panel = page.locator("section#utnytte")
        expect(panel.locator(".empty-figure")).to_be_visible()
        expect(panel.get_by_text("Vis som tabell")).to_have_count(0)
        expect(panel.get_by_role("link")).to_have_count(0)
        panel.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"empty-panel-{width}.png"))
        context.close()
