"""The administrator's course pages: list, add, edit, retire and bring back, import; nobody else gets in."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests.conftest import ADMIN_PASSWORD, csrf_token
from webapp.extensions import db
from webapp.models import Course
from webapp.services import courses
from webapp.services.users import create_user

HEADER = ("code,title,provider,areas,yrkesgrupper,format,hours,credits,fee_nok,seats,substitute_hours,start,"
          "place,url")
PALS = "PALS,PALS,NUBU,atferd|klassemiljo,,veiledning,40,0,0,,20,2027-08-01,på skolen,https://nubu.no/"
FORM = {"code": "ART-2027", "title": "ART-trenerutdanning", "provider": "ART-senteret", "description": "",
        "areas": ["atferd", "relasjon"], "yrkesgrupper": ["miljoterapeut_bsv"], "format": "kurs",
        "hours": "60", "credits": "", "fee_nok": "18 000", "seats": "16", "substitute_hours": "60",
        "start": "2027-02-08", "place": "Sandnes", "url": "https://example.org/art", "funding_percent": "",
        "funder": ""}


def log_in(client, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert client.post("/login", data={"csrf_token": csrf_token(page), "email": email,
                                       "password": ADMIN_PASSWORD}).status_code == 302


@pytest.fixture()
def admin(app, client):
    with app.app_context():
        create_user(db.session, "admin@example.org", ADMIN_PASSWORD, "admin")
        create_user(db.session, "leder@example.org", ADMIN_PASSWORD, "skoleleder")
        db.session.commit()
    log_in(client, "admin@example.org")
    return client


def post_form(client, path: str, **changes):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={**FORM, **changes, "csrf_token": token})


def stored(app, code: str) -> Course | None:
    with app.app_context():
        found = db.session.scalar(select(Course).filter_by(code=code))
        return None if found is None else courses.to_course(found)


def test_only_administrators_reach_the_course_pages(app, client, admin):
    for path in ("/admin/kurs/", "/admin/kurs/ny", "/admin/kurs/import"):
        assert admin.get(path).status_code == 200
    admin.post("/logout", data={"csrf_token": csrf_token(admin.get("/admin/kurs/").get_data(as_text=True))})
    assert client.get("/admin/kurs/").status_code == 302  # to the log-in page
    log_in(client, "leder@example.org")
    for path in ("/admin/kurs/", "/admin/kurs/ny", "/admin/kurs/import"):
        assert client.get(path).status_code == 403
    page = client.get("/resultater/").get_data(as_text=True)
    assert client.post("/admin/kurs/ny", data={**FORM, "csrf_token": csrf_token(page)}).status_code == 403
    assert stored(app, "ART-2027") is None


def test_the_admin_navigation_leads_to_the_catalogue(admin):
    page = admin.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/kurs/"' in page and "Kurskatalog" in page


def test_an_administrator_adds_a_course_and_it_is_listed(app, admin):
    response = post_form(admin, "/admin/kurs/ny")
    assert response.status_code == 302
    course = stored(app, "ART-2027")
    assert course.fee_nok == 18000 and course.areas == ("atferd", "relasjon") and course.credits == 0
    assert course.active and course.yrkesgrupper == ("miljoterapeut_bsv",)
    page = admin.get("/admin/kurs/").get_data(as_text=True)
    assert "Kurset ART-2027 er lagret." in page and "ART-trenerutdanning" in page and "Sandnes" in page


def test_bad_values_come_back_as_errors_on_their_fields_and_store_nothing(app, admin):
    response = post_form(admin, "/admin/kurs/ny", areas=[], fee_nok="-5", url="javascript:alert(1)",
                         funding_percent="50", start="neste uke", hours="sju")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="areas-error">kan ikke være tom' in page
    assert 'id="fee_nok-error">kan ikke være negativ' in page
    assert 'id="url-error">«javascript:alert(1)» er ikke en nettadresse' in page
    assert 'id="funder-error">en andel trenger navnet på den som betaler' in page
    assert 'id="start-error">«neste uke» er ikke en dato' in page
    assert 'id="hours-error">«sju» er ikke et tall' in page
    assert "Noen felt må sjekkes" in page and 'value="ART-trenerutdanning"' in page  # the typed values stay
    assert stored(app, "ART-2027") is None


@pytest.mark.parametrize("typed, share", [("50", 0.5), ("50 %", 0.5), ("50,5", 0.505), ("7.5%", 0.075),
                                          ("100", 1.0)])
def test_the_funded_share_is_typed_as_a_percent_and_stored_as_a_fraction(app, admin, typed, share):
    response = post_form(admin, "/admin/kurs/ny", funding_percent=typed, funder="Fagforbundet")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert stored(app, "ART-2027").funding_share == pytest.approx(share)
    with app.app_context():
        course_id = db.session.scalar(select(Course.id).filter_by(code="ART-2027"))
    form = admin.get(f"/admin/kurs/{course_id}").get_data(as_text=True)
    assert f'name="funding_percent" type="text" value="{round(100 * share, 4):g}"' in form


@pytest.mark.parametrize("lang, typed, message", [
    ("nb", "150", "«150» er mer enn 100 %; skriv den delen av prisen som andre betaler, fra 0 til 100"),
    ("nn", "halvparten", "«halvparten» er ikkje ein prosent; skriv eit tal frå 0 til 100, til dømes 50 for "
                         "halvparten"),
    ("en", "-5", "must not be negative"),
])
def test_a_bad_percent_says_what_is_wrong_in_the_readers_language(app, admin, lang, typed, message):
    response = post_form(admin, f"/admin/kurs/ny?lang={lang}", funding_percent=typed, funder="KS")
    assert response.status_code == 422
    assert f'id="funding_percent-error">{message}<' in response.get_data(as_text=True)
    assert stored(app, "ART-2027") is None


def test_an_online_course_needs_no_place_and_a_course_elsewhere_does(app, admin):
    form = admin.get("/admin/kurs/ny").get_data(as_text=True)
    assert 'Sted <span class="required">(må fylles ut hvis kurset ikke er på nett)</span>' in form
    assert 'Tittel <span class="required">(må fylles ut)</span>' in form
    response = post_form(admin, "/admin/kurs/ny", place="")
    assert response.status_code == 422
    assert 'id="place-error">kan ikke være tom' in response.get_data(as_text=True)
    assert post_form(admin, "/admin/kurs/ny", place="", online="y").status_code == 302
    course = stored(app, "ART-2027")
    assert course.online and course.place == "nett"
    with app.app_context():
        course_id = db.session.scalar(select(Course.id).filter_by(code="ART-2027"))
    form = admin.get(f"/admin/kurs/{course_id}").get_data(as_text=True)
    assert 'name="online" value="y" checked' in form and 'name="place" type="text" value=""' in form
    # unticked again, it needs its town
    assert post_form(admin, f"/admin/kurs/{course_id}", place="Bergen").status_code == 302
    assert stored(app, "ART-2027").place == "Bergen" and not stored(app, "ART-2027").online


def test_a_new_course_may_not_take_a_code_the_catalogue_has(app, admin):
    post_form(admin, "/admin/kurs/ny")
    response = post_form(admin, "/admin/kurs/ny", title="Et annet kurs")
    assert response.status_code == 422
    assert "katalogen har allerede et kurs med koden ART-2027" in response.get_data(as_text=True)
    assert stored(app, "ART-2027").title == "ART-trenerutdanning"


def test_an_administrator_edits_a_course_but_not_its_code(app, admin):
    post_form(admin, "/admin/kurs/ny")
    with app.app_context():
        course_id = db.session.scalar(select(Course.id).filter_by(code="ART-2027"))
    path = f"/admin/kurs/{course_id}"
    form = admin.get(path).get_data(as_text=True)
    assert 'value="18000"' in form and 'value="2027-02-08"' in form and "checked" in form
    response = post_form(admin, path, code="ANNEN", fee_nok="20000", start="", place="nett",
                         funding_percent="50", funder="Fagforbundet")
    assert response.status_code == 302
    course = stored(app, "ART-2027")
    assert course.fee_nok == 20000 and course.start is None and course.online
    assert (course.funding_share, course.funder) == (0.5, "Fagforbundet") and stored(app, "ANNEN") is None
    assert admin.get("/admin/kurs/99999").status_code == 404


def test_a_retired_course_is_kept_shown_as_retired_and_left_out_of_matching_until_it_is_back(app, admin):
    post_form(admin, "/admin/kurs/ny")
    with app.app_context():
        course_id = db.session.scalar(select(Course.id).filter_by(code="ART-2027"))
    token = csrf_token(admin.get("/admin/kurs/").get_data(as_text=True))
    admin.post(f"/admin/kurs/{course_id}/aktiv", data={"csrf_token": token, "active": "0"})
    page = admin.get("/admin/kurs/").get_data(as_text=True)
    assert "ART-2027 er tatt ut" in page and 'class="retired"' in page and "Tilby igjen" in page
    with app.app_context():
        assert courses.active_courses(db.session) == []
        assert [c.code for c in courses.all_courses(db.session)] == ["ART-2027"]
    admin.post(f"/admin/kurs/{course_id}/aktiv", data={"csrf_token": token, "active": "1", "back": "edit"})
    with app.app_context():
        assert [c.code for c in courses.active_courses(db.session)] == ["ART-2027"]
    assert admin.post(f"/admin/kurs/{course_id}/aktiv", data={"active": "0"}).status_code == 400  # no CSRF


def upload(client, content: bytes, name: str):
    token = csrf_token(client.get("/admin/kurs/import").get_data(as_text=True))
    return client.post("/admin/kurs/import", data={"csrf_token": token, "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_an_uploaded_file_imports_and_a_bad_one_lists_its_problems_and_stores_nothing(app, admin):
    response = upload(admin, f"{HEADER}\n{PALS}\n".encode(), "kurs.csv")
    assert response.status_code == 302
    assert stored(app, "PALS").hours == 40
    bad = f"{HEADER}\n{PALS.replace(',40,', ',41,')}\nX,Y,Z,tull,,kurs,1,0,0,,1,lopende,nett,\n"
    response = upload(admin, bad.encode(), "kurs.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Ingenting ble importert" in page
    assert "linje 3, kolonne 4 (areas): «tull» er ikke et kompetanseområde" in page
    assert stored(app, "PALS").hours == 40 and stored(app, "X") is None
    response = admin.post("/admin/kurs/import", data={
        "csrf_token": csrf_token(admin.get("/admin/kurs/import").get_data(as_text=True))})
    assert response.status_code == 422
    assert "Velg en fil som skal importeres." in response.get_data(as_text=True)


def test_the_list_says_when_the_demo_catalogue_is_loaded(app, admin, settings):
    from webapp.services.demo import load_demo_courses

    with app.app_context():
        count = load_demo_courses(db.session, settings)
        db.session.commit()
    page = admin.get("/admin/kurs/").get_data(as_text=True)
    assert f"Demokatalogen er lastet inn: {count} kurs merket «eksempel»" in page
    assert page.count('class="badge badge-example"') == count
