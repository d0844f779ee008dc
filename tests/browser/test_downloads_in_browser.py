"""A download in Chromium from the real server (gunicorn), for a school whose name is not Latin-1."""
from __future__ import annotations

from datetime import date

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
    assert csv_download.value.suggested_filename == f"laget-Høst_2026-Nesset_1–10-skole-sammenligning-{today}.csv"
    assert xlsx_download.value.suggested_filename.endswith("Nesset_1–10-skole-sammenligning-" + today + ".xlsx")
    assert csv_download.value.failure() is None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    panel.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "download-nesset-360.png"))
