"""No table scrolls sideways at 1280 px: every page with a table, as each role sees it, at 1280×800.

The planner's pages (/planlegging/…) are checked with the planner's own tests."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from tests.browser.test_plans_in_browser import log_in
from tests.conftest import ARTIFACTS, publish_closed_round
from webapp.extensions import db
from webapp.models import Fylke, Kommune, OutboxEvent, Round, School
from webapp.services import matching
from webapp.services.demo import load_demo_courses
from webapp.services.users import create_user

PASSWORD = "correct horse battery"  # the planner tests' log_in uses it; conftest's ADMIN_PASSWORD is the same
# Names as long as real ones, so that the tables meet them
ORG = ("kommune,fylke,school_code,school_name,skoleslag\n"
       "Nord-Aurdal,Innlandet,S1,Leira barne- og ungdomsskole og spesialpedagogisk senter,grunnskole\n"
       "Nord-Aurdal,Innlandet,S2,Aurdal barne- og ungdomsskole,grunnskole\n"
       "Nord-Aurdal,Innlandet,S3,Bagn skule,grunnskole\n"
       "Sør-Aurdal,Innlandet,S4,Valdres vidaregåande skule avdeling Hippodromen,vgs\n")

# Every shown table (each «Vis som tabell» opened) that is wider than itself or than its scroll container
# (the nearest ancestor whose overflow-x is not visible), and the page if it is wider than the window.
OVERFLOWING = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const out = [];
  for (const table of document.querySelectorAll('table')) {
    if (!table.getClientRects().length) continue;  // not shown (a hidden tab or print-only)
    const name = (table.closest('section[id]') || {}).id || table.id || table.className || 'table';
    if (table.scrollWidth > table.clientWidth + 1)
      out.push(`${name}: table ${table.scrollWidth} > ${table.clientWidth}`);
    for (let el = table.parentElement; el && el !== document.body; el = el.parentElement) {
      if (getComputedStyle(el).overflowX === 'visible') continue;
      if (el.scrollWidth > el.clientWidth + 1)
        out.push(`${name}: ${el.tagName}.${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
      break;
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth)
    out.push(`page ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
  return out;
}"""


@pytest.fixture()
def everyone(app, settings):
    with app.app_context():
        round_id = publish_closed_round(settings, ORG, "Høst 2026", {"S1": 30, "S2": 20, "S3": 12, "S4": 15},
                                       seed=11)
        load_demo_courses(db.session, settings)
        matching.recompute_round(db.session, db.session.get(Round, round_id), settings.surveys_dir)
        db.session.execute(delete(OutboxEvent))
        create_user(db.session, "leder@example.org", PASSWORD, "skoleleder", school="S1")
        create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt", kommune="Nord-Aurdal")
        db.session.commit()
        school = {code: db.session.scalar(select(School.id).filter_by(code=code)) for code in ("S1", "S2")}
        kommune = db.session.scalar(select(Kommune.id).filter_by(name="Nord-Aurdal"))
        fylke = db.session.scalar(select(Fylke.id))
        kommune_ids = list(db.session.scalars(select(Kommune.id)))
    r = f"/resultater/{round_id}"
    dashboards = [f"{r}/skole/{school['S1']}", f"{r}/kommune/{kommune}"]
    pages = {
        "admin@example.org": ["/admin/", f"/admin/runder/{round_id}", "/admin/kurs/", "/admin/kommuner/",
                              f"/admin/kommuner/{kommune_ids[0]}", f"{r}/", f"{r}/fylke/{fylke}",
                              *dashboards, f"{r}/skole/{school['S2']}"],
        "leder@example.org": ["/resultater/", f"{r}/skole/{school['S1']}"],
        "tv@example.org": ["/resultater/", *dashboards, f"{r}/skole/{school['S2']}",
                           f"{r}/kommune/{kommune}?lang=en", f"{r}/skole/{school['S1']}?lang=nn"],
    }
    return pages, f"{r}/skole/{school['S1']}"


def test_no_table_scrolls_sideways_at_1280_px_for_any_role(live_server, browser, everyone):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[str]] = {}
    tables = 0
    pages, leaders_school = everyone
    for email, paths in pages.items():
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nb-NO")
        context.set_default_timeout(30_000)
        page = context.new_page()
        log_in(page, live_server, email)  # the administrator has the same password (conftest)
        page.wait_for_url(lambda url: "/login" not in url)
        for path in paths:
            answer = page.goto(f"{live_server}{path}")
            assert answer is not None and answer.status == 200, (email, path)
            tables += page.locator("table").count()
            problems = page.evaluate(OVERFLOWING)
            if path == leaders_school:
                page.locator("section#behov_yrkesgruppe table").screenshot(
                    path=str(ARTIFACTS / f"wide-table-behov_yrkesgruppe-{email.split('@')[0]}-1280.png"))
            if problems:
                found[f"{email} {path}"] = problems
                name = path.strip("/").replace("/", "-") or "home"
                page.screenshot(path=str(ARTIFACTS / f"wide-{name}-1280.png"))
        context.close()
    assert tables >= 15
    assert found == {}, "\n".join(f"{where}: {'; '.join(what)}" for where, what in found.items())
