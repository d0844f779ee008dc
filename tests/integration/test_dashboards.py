"""Dashboard pages through the test client: trends across rounds, free text for administrators only."""
from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token
from webapp.domain.simulate import simulate_answers
from webapp.extensions import db
from webapp.models import Kommune, School
from webapp.services import aggregates, answering, rounds
from webapp.services.users import create_user

PASSWORD = "correct horse battery"


def fill(app, round_name: str, per_school: dict[str, int], seed: int, text: str | None = None) -> int:
    """Answers at each school — at S1 the first five from school assistants, a block of one group —
    then the round is closed: its final figures are published."""
    rng = random.Random(seed)
    with app.app_context():
        found = rounds.get_round(db.session, round_name)
        for code, count in per_school.items():
            for n, token in enumerate(rounds.create_invitations(db.session, found, code, count)):
                link = answering.open_link(db.session, token)
                answers = simulate_answers(link.questionnaire, rng)
                if code == "S1" and n < 5:
                    answers["b_rolle"] = "skoleassistent"
                if text:
                    answers["fritekst"] = f"{text} {rng.randint(1, 999)}"
                answering.store_response(db.session, link.questionnaire, found.id, link.invitation.school_id,
                                         answers)
        aggregates.rebuild(db.session, found)
        rounds.set_status(db.session, round_name, "closed")
        aggregates.rebuild(db.session, found)
        db.session.commit()
        return found.id


def log_in(client, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert client.post("/login", data={"csrf_token": csrf_token(page), "email": email,
                                       "password": PASSWORD}).status_code == 302


@pytest.fixture()
def two_rounds(app, settings, open_round):
    first = fill(app, open_round, {"S1": 12, "S2": 7}, 1, text="Mer kurs")
    with app.app_context():
        rounds.create_round(db.session, settings.surveys_dir, "kompetanse-og-anerkjennelse", "Vår 2027")
        rounds.set_status(db.session, "Vår 2027", "open")
        db.session.commit()
    second = fill(app, "Vår 2027", {"S1": 10, "S2": 6}, 2)
    with app.app_context():
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        leader = create_user(db.session, "leder@example.org", PASSWORD, "skoleleder")
        leader.school_id = db.session.scalar(select(School.id).filter_by(code="S1"))
        db.session.commit()
        return first, second, leader.school_id


def test_the_round_page_shows_the_trend_across_rounds(client, two_rounds):
    _first, second, _school = two_rounds
    log_in(client, "admin@example.org")
    page = client.get(f"/resultater/{second}/").get_data(as_text=True)
    assert 'id="utvikling_over_tid"' in page
    areas = page.split('id="kompetanseomrader"')[1].split("</section>")[0]
    assert "Fagbrev i barne- og ungdomsarbeiderfaget" in areas and "<td class=\"num\">" in areas
    assert "Høst 2026" in page.split('id="utvikling_over_tid"')[1].split("</section>")[0]


def test_free_text_is_for_administrators_and_groups_of_ten(client, two_rounds, app):
    first, _second, school_id = two_rounds
    log_in(client, "admin@example.org")
    school_page = client.get(f"/resultater/{first}/skole/{school_id}").get_data(as_text=True)
    assert 'id="fritekst"' in school_page and "Mer kurs" in school_page
    with app.app_context():
        small = db.session.scalar(select(School.id).filter_by(code="S2"))
    small_page = client.get(f"/resultater/{first}/skole/{small}").get_data(as_text=True)
    assert "Mer kurs" not in small_page  # 7 answers: below 10

    client.post("/logout", data={"csrf_token": csrf_token(small_page)})
    log_in(client, "leder@example.org")
    leader_page = client.get(f"/resultater/{first}/skole/{school_id}").get_data(as_text=True)
    assert 'id="utnytte"' in leader_page and "Mer kurs" not in leader_page


def test_free_text_is_shown_in_a_fresh_random_order_never_the_order_sent(client, two_rounds):
    import re

    first, _second, school_id = two_rounds
    log_in(client, "admin@example.org")

    def texts() -> list[str]:
        page = client.get(f"/resultater/{first}/skole/{school_id}").get_data(as_text=True)
        section = page.split('id="fritekst"', 1)[1].split("</section>", 1)[0]
        return re.findall(r"<li>(Mer kurs \d+)</li>", section)

    # Given the 12 texts of S1 (sent in this order, stored in the order the mover chose) …
    views = [texts() for _ in range(6)]
    assert all(sorted(view) == sorted(views[0]) and len(view) == 12 for view in views)
    # … Then page views show them in different orders, so no order can hint at who wrote what
    assert len({tuple(view) for view in views}) > 1


def test_panel_tables_download_as_csv_and_excel_with_the_page_numbers(client, two_rounds):
    import io

    from openpyxl import load_workbook

    first, _second, school_id = two_rounds
    log_in(client, "admin@example.org")
    csv_text = client.get(f"/resultater/{first}/skole/{school_id}/d.csv").get_data().decode("utf-8-sig")
    book = load_workbook(io.BytesIO(client.get(f"/resultater/{first}/skole/{school_id}/d.xlsx").get_data()))
    def same(cell) -> object:  # Excel keeps numbers as numbers: compare 23.5 and "23,5" as equal
        text = "" if cell is None else str(cell)
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return text
    rows = [[same(c) for c in row] for row in book.active.iter_rows(values_only=True)]
    csv_rows = [[same(c) for c in line.split(";")] for line in csv_text.splitlines()]  # semicolons: Excel nb
    assert rows[9:] == csv_rows and len(csv_rows) == 4


def test_a_breakdown_with_every_group_hidden_says_so_instead_of_an_empty_chart(client, two_rounds):
    first, _second, _school = two_rounds
    log_in(client, "admin@example.org")
    with client.application.app_context():
        small = db.session.scalar(select(School.id).filter_by(code="S2"))
    page = client.get(f"/resultater/{first}/skole/{small}").get_data(as_text=True)
    heatmap = page.split('id="behov_yrkesgruppe"')[1].split("</section>")[0]
    # 7 answers spread over six yrkesgrupper: none of them reaches 5
    assert "data-figure" not in heatmap
    assert "Hver gruppe her har for få svar til å kunne vises" in heatmap
    # … and offers no empty table nor empty downloads
    assert "Vis som tabell" not in heatmap
    assert "Last ned CSV" not in heatmap and "Last ned Excel" not in heatmap
    # The round (19 answers, a block of five school assistants among them) shows the panel as a chart
    round_page = client.get(f"/resultater/{first}/").get_data(as_text=True)
    assert "data-figure" in round_page.split('id="behov_yrkesgruppe"')[1].split("</section>")[0]


def test_numbers_on_the_pages_follow_the_language(client, two_rounds):
    """Tables on the pages use the locale's decimal comma in bokmål and nynorsk, a point in English;
    the CSV download keeps the point for machines."""
    first, _second, _school = two_rounds
    log_in(client, "admin@example.org")
    cells = {}
    for language in ("nb", "nn", "en"):
        page = client.get(f"/resultater/{first}/?lang={language}").get_data(as_text=True)
        cells[language] = re.findall(r'<td class="num">([^<]*)</td>', page)
    decimals = [c for c in cells["en"] if re.fullmatch(r"\d+\.\d", c)]
    assert decimals, "no decimal number in the English tables"
    for language in ("nb", "nn"):
        assert not [c for c in cells[language] if re.fullmatch(r"\d+\.\d", c)]
        assert [c for c in cells[language] if re.fullmatch(r"\d+,\d", c)]
    page = client.get(f"/resultater/{first}/?lang=nb").get_data(as_text=True)
    links = re.findall(r'href="([^"]+\.csv)"', page)
    csv_text = "\n".join(client.get(link).get_data(as_text=True) for link in links)
    assert re.search(r"\d\.\d", csv_text) and not re.search(r'"\d+,\d"', csv_text)


def test_each_dashboard_lists_its_units_with_their_response_rates_and_finds_schools(client, two_rounds, app):
    first, _second, _school = two_rounds
    with app.app_context():
        fjordvik = db.session.scalar(select(Kommune.id).filter_by(name="Fjordvik"))
        tv = create_user(db.session, "tv@example.org", PASSWORD, "tillitsvalgt")
        tv.kommune_id = fjordvik
        db.session.commit()
    log_in(client, "admin@example.org")
    # Given the round page, Then its fylker are listed with their published n and response rate
    page = client.get(f"/resultater/{first}/").get_data(as_text=True)
    children = page.split('id="children"')[1].split("</table>")[0]
    assert "Vestland" in children
    assert re.search(r'data-label="Svarprosent i de publiserte tallene">\d+ %</td>', children)
    # … and every school of the round is in the list the search box filters, each a link
    schools = page.split('id="schools"')[1].split("</table>")[0]
    assert all(name in schools for name in ("Breivika skole", "Haugen skole", "Elvdal vgs"))
    assert 'for="school-search"' in page and "/resultater/" in schools
    # Given the kommune page, Then its schools are its list
    kommune = client.get(f"/resultater/{first}/kommune/{fjordvik}").get_data(as_text=True)
    listed = kommune.split('id="children"')[1].split("</table>")[0]
    assert "Breivika skole" in listed and "Haugen skole" in listed and "Elvdal vgs" not in listed
    # Given a tillitsvalgt for Fjordvik on the round page, Then only the schools they may open are listed
    other = app.test_client()
    log_in(other, "tv@example.org")
    page = other.get(f"/resultater/{first}/").get_data(as_text=True)
    schools = page.split('id="schools"')[1].split("</table>")[0]
    assert "Breivika skole" in schools and "Elvdal vgs" not in schools


def test_the_national_figures_name_their_place_in_the_report_in_the_pages_language(client, two_rounds):
    first, _second, _school = two_rounds
    log_in(client, "admin@example.org")
    english = client.get(f"/resultater/{first}/?lang=en").get_data(as_text=True)
    notes = re.findall(r"National figure: ([^<]*)</p>", english)
    assert notes and all(note.startswith(("Figure", "Summary")) for note in notes)
    assert not [n for n in notes if re.search(r"\bs\. \d|tall i teksten|tallet står|Figur ", n)]
    nynorsk = client.get(f"/resultater/{first}/?lang=nn").get_data(as_text=True)
    assert "tall i teksten" not in nynorsk and "tallet står" not in nynorsk


def test_chart_titles_and_group_names_speak_the_users_language(client, two_rounds):
    """No part letters the survey never shows, an agreement chart says what is agreed with, and the
    occupational groups are written out — in bokmål, nynorsk and English."""
    _first, second, _school = two_rounds
    log_in(client, "admin@example.org")
    expected = {
        "nb": ("Hvor enige de er i at dette hindrer dem i faglig utvikling (%)",
               "Miljøterapeut, vernepleier, sosionom, barnevernspedagog eller spesialpedagog"),
        "nn": ("Kor einige dei er i at dette hindrar dei i fagleg utvikling (%)",
               "Miljøterapeut, vernepleiar, sosionom, barnevernspedagog eller spesialpedagog"),
        "en": ("How far they agree that these hinder their professional development (%)",
               "Milieu therapist, social educator, social worker, child welfare worker "
               "or special needs educator"),
    }
    for lang, (agreement, group) in expected.items():
        page = client.get(f"/resultater/{second}/?lang={lang}").get_data(as_text=True)
        assert "(del A)" not in page and "(del H)" not in page and "(section A)" not in page
        assert "spesped" not in page and "BSV" not in page
        titles = [t.split("</h2>")[0] for t in page.split('-title">')[1:]]
        assert agreement in titles and "Enighet" not in titles and "Agreement" not in titles
        assert group in page.split('id="behov_yrkesgruppe"')[1].split("</section>")[0]
