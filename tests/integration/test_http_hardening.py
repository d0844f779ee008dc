"""HTTP hardening through the test client: security headers, no caching of personal pages, safe links."""
from __future__ import annotations

import logging
import re
from html import unescape

import pytest

from tests.integration.test_dashboards import fill, log_in
from webapp.extensions import db
from webapp.services import rounds
from webapp.services.users import create_user

PASSWORD = "correct horse battery"
LANGUAGE_LINK = re.compile(r'<a href="([^"]*)" lang="(?:nb|nn|en)"')


def language_links(html: str) -> list[str]:
    links = [unescape(link) for link in LANGUAGE_LINK.findall(html)]
    assert len(links) == 2, "a page links to the two other languages"
    return links


@pytest.fixture()
def published(app, open_round) -> int:
    """Published figures for the round (12 and 7 answers at S1 and S2) and an administrator."""
    round_id = fill(app, open_round, {"S1": 12, "S2": 7}, 3)
    with app.app_context():
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        db.session.commit()
    return round_id


def test_every_response_carries_the_security_headers(client, invite):
    token = invite("S1")[0]
    for path in (f"/s/{token}/side/samtykke", "/login", "/healthz", "/no-such-page", "/static/css/laget.css",
                 "/static/vendor/plotly/plotly-cartesian.min.js"):
        headers = client.get(path).headers
        policy = headers.get("Content-Security-Policy", "")
        assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        assert headers.get("X-Frame-Options") == "DENY", path
        assert headers.get("X-Content-Type-Options") == "nosniff", path
        assert headers.get("Referrer-Policy") == "no-referrer", path


def test_answering_pages_dashboards_downloads_and_the_api_are_never_stored(
        app, client, settings, invite, published):
    # Given a personal link to an open round, and an administrator with published figures of another
    with app.app_context():
        rounds.create_round(db.session, settings.surveys_dir, "kompetanse-og-anerkjennelse", "Vår 2027")
        rounds.set_status(db.session, "Vår 2027", "open")
        token = rounds.create_invitations(db.session, rounds.get_round(db.session, "Vår 2027"), "S1", 1)[0]
        db.session.commit()
    log_in(client, "admin@example.org")
    private = (f"/s/{token}/side/samtykke", "/resultater/", f"/resultater/{published}/",
               f"/resultater/{published}/runde/0/d.csv", f"/resultater/{published}/runde/0/d.xlsx",
               f"/api/v1/rounds/{published}/aggregates?level=school&unit=S1",
               f"/resultater/{published}/skole/99999")
    for path in private:
        response = client.get(path)
        # Then no cache (the browser's or a proxy's) may keep them
        assert response.status_code in (200, 404), path
        assert response.headers.get("Cache-Control") == "no-store", path

    # … while the static files, plotly.js among them, keep their cache lifetime
    for path in ("/static/css/laget.css", "/static/js/dashboard.js",
                 "/static/vendor/plotly/plotly-cartesian.min.js"):
        response = client.get(path)
        assert response.status_code == 200 and "max-age=" in response.headers["Cache-Control"], path
        assert "no-store" not in response.headers["Cache-Control"], path
        response.close()


def test_a_method_argument_neither_breaks_an_answering_page_nor_puts_its_token_in_the_log(
        app, client, invite, caplog, monkeypatch):
    # Given the error handling of production (errors become pages instead of reaching the test)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    token = invite("S1")[0]
    caplog.set_level(logging.DEBUG)

    # When a personal page is asked for with `_method` in its query
    response = client.get(f"/s/{token}/side/samtykke?_method=x")

    # Then it answers as usual, its language links ignore the argument, and nothing logged holds the token
    assert response.status_code == 200
    assert language_links(response.get_data(as_text=True)) == [f"/s/{token}/side/samtykke?lang=nn",
                                                               f"/s/{token}/side/samtykke?lang=en"]
    assert token not in caplog.text
    assert all(token not in str(record.args) for record in caplog.records)


def test_an_external_argument_with_a_forged_host_makes_no_link_to_that_host(client, invite):
    token = invite("S1")[0]
    response = client.get(f"/s/{token}/side/samtykke?_external=1&_scheme=https",
                          headers={"Host": "evil.example"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "evil.example" not in html
    assert all(link.startswith(f"/s/{token}/side/samtykke?") for link in language_links(html))


def test_language_links_keep_only_the_path_and_known_arguments(client):
    # The login page keeps its return address and drops anything else
    html = client.get("/login?next=/resultater/&colour=red&lang=nb").get_data(as_text=True)
    assert language_links(html) == ["/login?next=%2Fresultater%2F&lang=nn",
                                    "/login?next=%2Fresultater%2F&lang=en"]

    # A missing page links to itself in the other languages, encoded so that it cannot lead to another host
    response = client.get("/\\evil.example/x")
    assert response.status_code == 404
    assert language_links(response.get_data(as_text=True)) == ["/%5Cevil.example/x?lang=nn",
                                                                "/%5Cevil.example/x?lang=en"]


def test_an_error_after_the_response_was_made_gives_our_error_page_in_the_readers_language(app, monkeypatch):
    from werkzeug.test import create_environ, run_wsgi_app

    from webapp.app_setup import LANGUAGES, select_locale
    from webapp.web.errors import LastResortErrorPage

    # Given the error handling of production, and an app that fails once its response is made
    # (as when the database connection dies before the session's rollback in the teardown)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def made_then_failed(environ, start_response):  # noqa: ANN001
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        raise RuntimeError("the connection is gone")

    wrapped = LastResortErrorPage(app, LANGUAGES, select_locale)
    wrapped.wsgi_app = made_then_failed

    # When a nynorsk reader's request fails so
    body, status, headers = run_wsgi_app(wrapped, create_environ(
        "/s/personal-token/side/samtykke", headers={"Accept-Language": "nn"}))

    # Then the reader gets our 500 page in nynorsk, with its own headers only, and no link to the path
    page = b"".join(body)
    assert status == "500 INTERNAL SERVER ERROR"
    assert "Noko gjekk gale hos oss" in page.decode() and b'<html lang="nn">' in page
    assert headers.getlist("Content-Length") == [str(len(page))] and headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert b"personal-token" not in page
