"""The top of a dashboard: a summary (n, the largest gaps, the ways on), the page's contents, the panels a
role does not need folded; and every count on the dashboards and the admin's round page says what it
counts (answers in the published figures or answers received; in the reader's units or in all)."""
from __future__ import annotations

import re

import pytest

from tests.integration.test_kommune_rate import planned  # noqa: F401  (the fixture)
from tests.integration.test_plan_pages import log_in
from webapp.domain.dashboard_config import DashboardConfigError, parse_dashboard_config


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def kpi(page: str, key: str) -> tuple[str, str]:
    """(value, label) of the key figure `key` at the top of a dashboard."""
    found = re.search(rf'id="kpi-{key}"><span class="kpi-value">([^<]*)</span>\s*'
                      rf'<span class="kpi-label">([^<]*)</span>', page)
    assert found, key
    return found.group(1).strip(), found.group(2).strip()


def panel_rows(page: str, key: str) -> list[list[str]]:
    """The rows of a panel's table, as the page shows them."""
    section = page.split(f'<section class="panel" id="{key}"')[1].split("</section>")[0]
    body = section.split("<tbody>")[1].split("</tbody>")[0]
    return [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in body.split("</tr>") if "<td" in row]


def folded(page: str, key: str) -> bool:
    section = page.split(f'<section class="panel" id="{key}"')[1]
    return not re.match(r'[^>]*>\s*<details class="fold" open>', section)


def test_a_school_dashboard_starts_with_its_summary_and_the_three_largest_gaps(client, planned):  # noqa: F811
    log_in(client, "leder@example.org")
    page = page_of(client, f"/resultater/{planned['round']}/skole/{planned['S1']}")
    summary = page.split('class="dash-summary"')[1].split("</section>")[0]
    # Then the summary comes first after the title, before any panel or table
    assert page.index('class="dash-summary"') < page.index('class="contents"') < page.index('class="panel"')
    # … with the answers in the school's published figures (40 sent; those who did not consent or do not
    # work with pupils are not in them)
    answers, label = kpi(page, "answers")
    assert label == "svar i de publiserte tallene" and 0 < int(answers) <= 40
    assert kpi(page, "rate")[1] == f"svarprosent i de publiserte tallene: {answers} av de 40 inviterte"
    # … and the three largest gaps, in the order and with the shares of the «Kompetansebehov» panel
    rows = panel_rows(page, "kompetansebehov")
    named = re.findall(r'<li>([^<:]*): ([\d,]+) % <span class="n">\(n = (\d+)\)</span></li>', summary)
    assert len(rows) >= 3 and [(area, share, n) for area, share, n in named] == \
        [(row[0], row[3], row[2]) for row in rows[:3]]
    # … and the ways to the needs, the course suggestions and the planner
    for href in ('href="#kompetansebehov"', 'href="#forslag"', '/ny">Lag en kursplan'):
        assert href in summary, href


def test_the_contents_list_every_part_and_each_entry_leads_to_it(client, planned):  # noqa: F811
    log_in(client, "leder@example.org")
    page = page_of(client, f"/resultater/{planned['round']}/skole/{planned['S1']}")
    contents = page.split('class="contents"')[1].split("</nav>")[0]
    anchors = re.findall(r'href="#([^"]+)"', contents)
    # Then every entry jumps to an element of the page, in page order
    assert anchors[:3] == ["kompetansebehov", "kompetansebehov_yrkesgruppe", "forslag"]
    positions = [page.index(f'id="{a}"') for a in anchors]
    assert positions == sorted(positions)
    # … and every panel is in the contents, itself or in its questionnaire section's group
    for key in re.findall(r'<section class="panel" id="([^"]+)"', page):
        group = page.split(f'<section class="panel" id="{key}"')[0].rsplit('<div class="panel-group" id="', 1)
        assert key in anchors or (len(group) == 2 and group[1].split('"')[0] in anchors), key


def test_the_panels_a_role_does_not_need_start_folded(client, app, planned):  # noqa: F811
    url = f"/resultater/{planned['round']}/skole/{planned['S1']}"
    log_in(client, "leder@example.org")
    leader = page_of(client, url)
    # Then a skoleleder finds the needs and the courses open, and the question panels folded
    assert not folded(leader, "kompetansebehov") and not folded(leader, "kompetansebehov_yrkesgruppe")
    assert '<section class="panel suggestions-panel" id="forslag"' in leader  # never folded
    assert folded(leader, "anerkjennelse") and folded(leader, "behov")
    # … while a tillitsvalgt has what a meeting with the employer turns on open
    other = app.test_client()
    log_in(other, "tv@example.org")
    tv = page_of(other, f"/resultater/{planned['round']}/kommune/{planned['Fjordvik']}")
    assert not folded(tv, "anerkjennelse") and not folded(tv, "kompetansebehov") and folded(tv, "behov")


def test_the_dashboard_file_names_only_roles_that_exist():
    base = {"format": 1}
    assert parse_dashboard_config({**base, "open_panels": {"skoleleder": ["kompetansebehov"]}}).opens(
        "skoleleder") == frozenset({"kompetansebehov"})
    assert parse_dashboard_config(base).opens("skoleleder") is None  # not named: every panel open
    with pytest.raises(DashboardConfigError, match="open_panels.rektor"):
        parse_dashboard_config({**base, "open_panels": {"rektor": ["kompetansebehov"]}})


def test_a_fylke_page_says_its_counts_cover_every_school_and_the_table_only_the_readers(
        client, app, planned):  # noqa: F811
    from webapp.extensions import db
    from webapp.models import Kommune

    with app.app_context():
        fylke = db.session.get(Kommune, planned["Fjordvik"]).fylke_id
    url = f"/resultater/{planned['round']}/fylke/{fylke}"
    other = app.test_client()
    log_in(other, "tv@example.org")
    page = page_of(other, url)
    # Given a tillitsvalgt for Fjordvik on Vestland's page, Then the key figures say they count all of
    # Vestland, also the schools they cannot open
    assert kpi(page, "answers")[1] == "svar i de publiserte tallene"
    scope = page.split('id="kpi-scope">')[1].split("</p>")[0]
    assert "alle skolene i fylket" in scope and "også skoler du ikke har tilgang til" in scope
    # … and the list of kommuner says it is theirs: one of the fylke's two
    children = page.split('id="children"')[1].split("</table>")[0]
    assert "<caption>Kommunene i fylket som du har tilgang til (1 av 2)</caption>" in children
    assert "Fjordvik" in children and "Elvdal" not in children
    assert re.search(r'data-label="Svar i de publiserte tallene">\d+</td>', children)
    # Given an administrator, Then nothing is outside their scope and the page does not say so
    log_in(client, "admin@example.org")
    admin = page_of(client, url)
    assert "du ikke har tilgang til" not in admin and "<caption>Kommunene i fylket</caption>" in admin


def test_the_admin_round_page_tells_received_answers_from_those_in_the_figures(client, planned):  # noqa: F811
    log_in(client, "admin@example.org")
    page = page_of(client, f"/admin/runder/{planned['round']}")
    dashboard = page_of(client, f"/resultater/{planned['round']}/")
    # Then the received count says it is received, and where it is counted
    received = page.split('id="count-received">')[1].split("</li>")[0]
    assert received.startswith("Svar mottatt: ")
    assert "ved skolene med minst 5 mottatte svar" in received or "ved alle skolene i runden" in received
    # … and the round's published n is the round dashboard's, said to be that
    published = page.split('id="count-published">')[1].split("</li>")[0]
    round_n = kpi(dashboard, "answers")[0]
    assert published.startswith(f"Svar i de publiserte tallene for hele runden: {round_n}")
    # … and each school's column says its answers are received ones
    assert '<th class="num">Svar mottatt</th>' in page
    assert 'data-label="Svar">' not in page
