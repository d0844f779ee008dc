"""HTTP hardening through the test client: security headers, no caching of personal pages."""
from __future__ import annotations

import pytest

from tests.integration.test_dashboards import fill, log_in
from webapp.extensions import db
from webapp.services.users import create_user

PASSWORD = "correct horse battery"


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
                 "/resultater/plotly.min.js"):
        headers = client.get(path).headers
        policy = headers.get("Content-Security-Policy", "")
        assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        assert headers.get("X-Frame-Options") == "DENY", path
        assert headers.get("X-Content-Type-Options") == "nosniff", path
        assert headers.get("Referrer-Policy") == "no-referrer", path


def test_answering_pages_dashboards_downloads_and_the_api_are_never_stored(client, invite, published):
    # Given a personal link, and an administrator with published figures
    token = invite("S1")[0]
    log_in(client, "admin@example.org")
    private = (f"/s/{token}/side/samtykke", "/resultater/", f"/resultater/{published}/",
               f"/resultater/{published}/runde/0/d.csv", f"/resultater/{published}/runde/0/d.xlsx",
               f"/api/v1/rounds/{published}/aggregates?level=school&unit=S1", f"/resultater/{published}/skole/99999")
    for path in private:
        response = client.get(path)
        # Then no cache (the browser's or a proxy's) may keep them
        assert response.status_code in (200, 404), path
        assert response.headers.get("Cache-Control") == "no-store", path

    # … while the static files and plotly.js keep their cache lifetime
    for path in ("/static/css/laget.css", "/static/js/dashboard.js", "/resultater/plotly.min.js"):
        response = client.get(path)
        assert response.status_code == 200 and "max-age=" in response.headers["Cache-Control"], path
        assert "no-store" not in response.headers["Cache-Control"], path
        response.close()
