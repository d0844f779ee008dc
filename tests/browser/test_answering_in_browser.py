"""A staff member answers the questionnaire on a phone (360×740) in headless Chromium against laget serve."""
from __future__ import annotations

import random
import re

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from tests.conftest import ARTIFACTS
from tests.processes import wait_until
from webapp.domain.simulate import simulate_answers
from webapp.models import Invitation, PooledResponse, Response, School, SchoolStats
from webapp.services import answering

PHONE_WIDTH = 360
GRAD5 = ["Ikke i det hele tatt", "I liten grad", "I noen grad", "I stor grad", "I svært stor grad"]
STILLINGSPROSENT = "Hvor stor er stillingen din (prosent)?"

# Every radio and checkbox has a label with text; every matrix row is a fieldset led by a non-empty legend.
UNLABELLED_CONTROLS = """() => [...document.querySelectorAll('input[type=radio], input[type=checkbox]')]
    .filter(i => i.labels.length !== 1 || !i.labels[0].textContent.trim()).map(i => i.id)"""
MATRIX_ROWS_WITHOUT_LEGEND = """() => [...document.querySelectorAll('.matrix-row')].filter(row => {
    const fieldset = row.querySelector(':scope > fieldset');
    const legend = fieldset && fieldset.firstElementChild;
    return !(legend && legend.tagName === 'LEGEND' && legend.textContent.trim());
  }).map(row => row.id)"""


def check_page(page: Page, shot: str | None = None) -> None:
    """The page fits a 360 px phone without sideways scrolling and its controls are labelled."""
    page.wait_for_load_state("load")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"{page.url} scrolls sideways: {scroll_width} px wide"
    assert page.evaluate(UNLABELLED_CONTROLS) == [], f"unlabelled controls on {page.url}"
    assert page.evaluate(MATRIX_ROWS_WITHOUT_LEGEND) == [], f"matrix rows without a legend on {page.url}"
    if shot:
        page.screenshot(path=str(ARTIFACTS / shot), full_page=True)


def check_matrix_rows_by_role(page: Page, stem: str, labels: list[str]) -> None:
    """Each visible row of the matrix is a group named by its legend, with one radio named by each label."""
    matrix = page.get_by_role("region", name=stem)
    expect(matrix).to_have_count(1)
    legends = matrix.locator(".matrix-row:visible legend")
    assert legends.count() > 0
    for legend in legends.all_inner_texts():
        group = matrix.get_by_role("group", name=legend.strip(), exact=True)
        expect(group).to_have_count(1)
        for label in labels:
            expect(group.get_by_role("radio", name=label, exact=True)).to_have_count(1)


def choose(page: Page, question: str, option: str) -> None:
    """Tap the label of `option` in the question (fieldset) whose legend contains `question`."""
    group = page.get_by_role("group", name=question)
    group.locator("label.option").filter(has=page.get_by_text(option, exact=True)).click()
    expect(group.get_by_label(option, exact=True)).to_be_checked()


def go_next(page: Page, key: str) -> None:
    """Press «Neste» and land on page `key` (or the summary)."""
    page.get_by_role("button", name="Neste").click()
    path = "/oppsummering" if key == "oppsummering" else f"/side/{key}"
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    check_page(page)


def go_back(page: Page, key: str) -> None:
    page.get_by_role("button", name="Tilbake").click()
    expect(page).to_have_url(re.compile(f"/side/{key}$"))
    check_page(page)


def test_a_staff_member_answers_everything_on_a_phone(live_server, invite, new_phone, db_session):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    token = invite("S1")[0]
    link = f"{live_server}/s/{token}"

    # Given a staff member who opens their personal link on a phone
    page = new_phone().new_page()
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/side/samtykke$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kompetanse og anerkjennelse i laget rundt eleven")
    expect(page.get_by_text("0 % ferdig")).to_be_visible()
    check_page(page, "01-samtykke-360.png")

    # When they consent and say they work with pupils
    choose(page, "Jeg har lest informasjonen om undersøkelsen og samtykker til å delta.", "Ja")
    go_next(page, "bakgrunn")
    choose(page, "Arbeider du med elevrettet arbeid i skolen?", "Ja")
    choose(page, "Har du lærerutdanning?", "Nei")
    choose(page, "Hva er din høyeste fullførte utdanning?", "Fag-/svennebrev")
    choose(page, "Hva er din yrkesbakgrunn eller rolle på skolen?", "Barne- og ungdomsarbeider")
    choose(page, "På hvilket trinn arbeider du hovedsakelig?", "Barnetrinn")
    choose(page, "Er du fast eller midlertidig ansatt?", "Fast")

    # Then the position size is asked only once they choose part-time (skip logic in the page)
    percent = page.get_by_label(STILLINGSPROSENT)
    expect(percent).to_be_hidden()
    choose(page, "Arbeider du heltid eller deltid?", "Heltid")
    expect(percent).to_be_hidden()
    choose(page, "Arbeider du heltid eller deltid?", "Deltid")
    expect(percent).to_be_visible()
    percent.fill("60")
    choose(page, "Arbeider du også i SFO/AKS?", "Ja")
    choose(page, "Hvor lenge har du arbeidet i skolen?", "6–10 år")
    choose(page, "Er du tillitsvalgt?", "Nei")
    check_page(page, "02-bakgrunn-360.png")
    go_next(page, "elevgrupper_arbeid")

    # When they answer every row of the first matrix
    arbeid = {"… elever med særskilte behov": "I stor grad",
              "… elever med utagerende og truende oppførsel": "I noen grad",
              "… elever med psykiske vansker": "I liten grad",
              "… elever som har det vanskelig hjemme": "I svært stor grad",
              "… elever som har blitt utsatt for mobbing": "Ikke i det hele tatt",
              "… elever med mye fravær": "I liten grad",
              "… nyankomne elever til Norge": "I noen grad"}
    for row, answer in arbeid.items():
        choose(page, row, answer)
    # Then each row is a fieldset with a legend and every radio is reachable by its label
    check_matrix_rows_by_role(page, "I løpet av dette semesteret, i hvilken grad opplever du", GRAD5)
    check_page(page, "matrix-360.png")
    go_next(page, "elevgrupper_behov")
    expect(page.get_by_role("heading", level=1)).to_have_text("Behov for mer kompetanse")

    # Given they close the browser after page 3 and open the same link later in a new browser (no cookies)
    page.context.close()
    page = new_phone().new_page()
    page.goto(link)

    # Then they continue at page 4, asked only about the groups they worked with at least «i noen grad»
    expect(page).to_have_url(re.compile(r"/side/elevgrupper_behov$"))
    expect(page.get_by_text("25 % ferdig")).to_be_visible()
    expect(page.get_by_role("group", name="… elever med særskilte behov")).to_be_visible()
    expect(page.get_by_role("group", name="… elever med mye fravær")).to_have_count(0)
    expect(page.get_by_role("group", name="… elever med psykiske vansker")).to_have_count(0)
    check_page(page)

    # And going back shows the earlier answers still chosen
    go_back(page, "elevgrupper_arbeid")
    expect(page.get_by_role("group", name="… elever med særskilte behov")
           .get_by_role("radio", name="I stor grad", exact=True)).to_be_checked()
    expect(page.get_by_role("group", name="… elever med mye fravær")
           .get_by_role("radio", name="I liten grad", exact=True)).to_be_checked()
    go_back(page, "bakgrunn")
    expect(page.get_by_role("group", name="Arbeider du heltid eller deltid?")
           .get_by_role("radio", name="Deltid", exact=True)).to_be_checked()
    expect(page.get_by_label(STILLINGSPROSENT)).to_have_value("60")
    go_next(page, "elevgrupper_arbeid")
    go_next(page, "elevgrupper_behov")

    # When they answer the rest of the questionnaire
    for row, answer in {"… elever med særskilte behov": "I svært stor grad",
                        "… elever med utagerende og truende oppførsel": "I stor grad",
                        "… elever som har det vanskelig hjemme": "I noen grad",
                        "… nyankomne elever til Norge": "I liten grad"}.items():
        choose(page, row, answer)
    check_matrix_rows_by_role(page, "I hvilken grad har du behov for mer kompetanse", GRAD5)
    go_next(page, "tema")

    for row, answer in {"Å stimulere til fysisk aktivitet": "I noen grad",
                        "Å forebygge mobbing": "I stor grad", "Skolevegring": "I liten grad"}.items():
        choose(page, row, answer)
    go_next(page, "utdanning")

    choose(page, "Hvordan synes du innholdet i utdanningen din passer", "Godt")
    choose(page, "I hvilken grad får du utnyttet dine kunnskaper", "I stor grad")
    choose(page, "I hvilken grad krever denne jobben mer kunnskap", "I liten grad")
    choose(page, "Hvordan vil du karakterisere arbeidsoppgavene", "Krever ikke utdanning på et bestemt nivå")
    check_page(page, "06-utdanning-360.png")
    go_next(page, "kompetanse")

    choose(page, "Skolen har formulert en plan", "I liten grad")
    choose(page, "Rollene og oppgavene mine er avklarte", "I noen grad")
    choose(page, "Jeg deltar jevnlig i felles kompetanseheving med lærere", "Ikke i det hele tatt")
    go_next(page, "kontakt")

    choose(page, "… hvor ofte hadde du kontakt med skoleledelsen?", "2–3 ganger i måneden")
    choose(page, "… hvor ofte hadde du møter med lærere?", "1 gang i uken eller mer")
    choose(page, "Planleggingsdager", "Deltok")
    choose(page, "Foreldremøter", "Ble ikke invitert")
    choose(page, "Ansvarsgruppemøter om elever jeg følger opp", "Ble invitert, men deltok ikke")
    check_matrix_rows_by_role(page, "Deltok du eller ble du invitert",
                              ["Deltok", "Ble invitert, men deltok ikke", "Ble ikke invitert"])
    check_page(page, "08-kontakt-360.png")
    go_next(page, "samarbeid")

    choose(page, "Kontaktlærer", "Svært godt")
    choose(page, "Rektor/skoleledelsen", "Godt")
    choose(page, "Politiet", "Har ikke samarbeidet")
    check_page(page, "09-samarbeid-360.png")
    go_next(page, "utvikling")

    # Then «Har ikke deltatt på noen av disse» clears the other activities, and choosing one clears it again
    activities = page.get_by_role("group", name="Har du deltatt i noen av følgende aktiviteter")
    effect = page.get_by_role("group", name="I hvilken grad virket disse aktivitetene positivt")
    choose(page, "Har du deltatt i noen av følgende aktiviteter", "Kurs/seminarer")
    choose(page, "Har du deltatt i noen av følgende aktiviteter", "Veiledning/mentorordning")
    expect(effect).to_be_visible()
    choose(page, "Har du deltatt i noen av følgende aktiviteter", "Har ikke deltatt på noen av disse")
    expect(activities.get_by_label("Kurs/seminarer", exact=True)).not_to_be_checked()
    expect(activities.get_by_label("Veiledning/mentorordning", exact=True)).not_to_be_checked()
    expect(effect).to_be_hidden()
    choose(page, "Har du deltatt i noen av følgende aktiviteter", "Kurs/seminarer")
    expect(activities.get_by_label("Har ikke deltatt på noen av disse", exact=True)).not_to_be_checked()
    choose(page, "Har du deltatt i noen av følgende aktiviteter", "Veiledning/mentorordning")
    expect(effect).to_be_visible()
    choose(page, "I hvilken grad virket disse aktivitetene positivt", "I stor grad")
    choose(page, "Transportmuligheter", "Uenig")
    choose(page, "Jeg får ikke fri med full lønn", "Svært enig")
    check_page(page, "10-utvikling-360.png")
    go_next(page, "anerkjennelse")

    for row, answer in {"Elevene verdsetter meg": "Svært enig", "Lærerne verdsetter rollen min": "Enig",
                        "Jeg er fornøyd med lønnen min": "Svært uenig",
                        "Alt i alt er jeg fornøyd med jobben min": "Enig"}.items():
        choose(page, row, answer)
    check_matrix_rows_by_role(page, "Vi ønsker å vite hva du tenker om jobben din",
                              ["Svært uenig", "Uenig", "Enig", "Svært enig"])
    check_page(page, "11-anerkjennelse-360.png")
    go_next(page, "onsker")

    for area in ("Psykisk helse hos barn og unge", "Autisme, ADHD og andre diagnoser",
                 "Fravær og skolevegring"):
        choose(page, "Hvilke områder ønsker du mest kompetanseheving innenfor?", area)
    choose(page, "Hvilke former for kompetanseheving passer for deg?", "Kurs i arbeidstiden")
    choose(page, "Hvilke former for kompetanseheving passer for deg?", "Nettkurs")
    page.get_by_label("Er det noe mer du vil si om kompetanse og anerkjennelse").fill("Fint å bli spurt.")
    check_page(page, "12-onsker-360.png")
    go_next(page, "oppsummering")

    # Then the summary shows their answers in words
    expect(page.get_by_role("heading", level=1)).to_have_text("Se over svarene dine")
    summary = page.locator("main")
    expect(summary).to_contain_text("Deltid")
    activities = (page.locator(".summary-row").filter(has_text="aktiviteter for faglig utvikling")
                  .locator("li"))
    expect(activities).to_have_text(["Kurs/seminarer", "Veiledning/mentorordning"])
    expect(summary).to_contain_text("Fint å bli spurt.")
    expect(page.locator(".summary-row").filter(has_text=STILLINGSPROSENT).locator("dd")).to_have_text("60")
    check_page(page, "summary-360.png")

    # When they send the answers
    page.get_by_role("button", name="Send svarene").click()

    # Then they are thanked …
    expect(page).to_have_url(re.compile(r"/takk$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Takk for svarene dine!")
    check_page(page, "thanks-360.png")

    # … the invitation is used and exactly one response waits, sealed, for more from the school
    assert db_session.scalars(select(Invitation)).one().state == "responded"
    assert db_session.scalar(select(func.count()).select_from(PooledResponse)) == 1
    assert db_session.scalar(select(func.count()).select_from(Response)) == 0

    # … and once four colleagues have answered too, the server's in-process mover stores the five
    # together and its worker counts them for the school
    for seed, other in enumerate(invite("S1", 4)):
        colleague = answering.open_link(db_session, other)
        for section in colleague.questionnaire.sections:
            answering.save_page(db_session, colleague, section.key,
                                simulate_answers(colleague.questionnaire, random.Random(seed)))
        assert answering.submit(db_session, colleague).stored
        db_session.commit()
    school_id = db_session.scalar(select(School.id).filter_by(code="S1"))

    def counted() -> bool:
        db_session.rollback()  # see what the server committed since the last look
        return db_session.scalar(select(SchoolStats.responses).filter_by(school_id=school_id)) == 5

    wait_until(counted, timeout=20, what="the embedded mover and worker to count 5 responses in SchoolStats")
    assert db_session.scalar(select(func.count()).select_from(PooledResponse)) == 0
