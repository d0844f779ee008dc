"""Static files: content-hashed URLs from url_for, a year's immutable caching, gzip, and the small plotly."""
from __future__ import annotations

import gzip
import hashlib
import re

import pytest

from tests.integration.test_dashboards import fill, log_in
from webapp.config import PROJECT_ROOT
from webapp.extensions import db
from webapp.services.users import create_user

STATIC = PROJECT_ROOT / "webapp" / "static"
ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')


def digest(relative: str) -> str:
    return hashlib.sha256((STATIC / relative).read_bytes()).hexdigest()[:12]


@pytest.fixture()
def dashboard_html(app, client, open_round) -> str:
    """A school dashboard with published figures, as its administrator gets it."""
    round_id = fill(app, open_round, {"S1": 12}, 5)
    with app.app_context():
        create_user(db.session, "admin@example.org", "correct horse battery", "admin")
        db.session.commit()
    log_in(client, "admin@example.org")
    return client.get(f"/resultater/{round_id}/").get_data(as_text=True)


def test_pages_link_static_files_by_their_content_hash_and_plotly_by_its_cartesian_bundle(dashboard_html):
    assets = ASSET.findall(dashboard_html)

    # Then the stylesheet and every script carry their file's content hash in the name …
    assert f"/static/css/laget.{digest('css/laget.css')}.css" in assets
    assert f"/static/js/dashboard.{digest('js/dashboard.js')}.js" in assets
    plotly = "vendor/plotly/plotly-cartesian.min.js"
    assert f"/static/vendor/plotly/plotly-cartesian.min.{digest(plotly)}.js" in assets
    # … and the 4.8 MB full bundle is not loaded any more
    assert "plotly.min.js" not in dashboard_html


def test_a_hashed_static_file_is_sent_gzipped_and_immutable(client, dashboard_html):
    plotly = next(url for url in ASSET.findall(dashboard_html) if "plotly" in url)

    response = client.get(plotly, headers={"Accept-Encoding": "gzip, deflate, br"})

    raw = (STATIC / "vendor/plotly/plotly-cartesian.min.js").read_bytes()
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.mimetype in ("text/javascript", "application/javascript")
    assert len(response.data) < len(raw) / 2 and gzip.decompress(response.data) == raw


def test_a_browser_without_gzip_gets_the_file_itself(client, dashboard_html):
    stylesheet = next(url for url in ASSET.findall(dashboard_html) if url.endswith(".css"))

    response = client.get(stylesheet, headers={"Accept-Encoding": "identity"})

    assert "Content-Encoding" not in response.headers
    assert response.data == (STATIC / "css/laget.css").read_bytes()


def test_an_unhashed_or_outdated_name_gets_the_current_file_but_no_lasting_cache(client):
    current = (STATIC / "js/dashboard.js").read_bytes()
    unhashed = client.get("/static/js/dashboard.js")
    outdated = client.get("/static/js/dashboard.0123456789ab.js")

    assert unhashed.data == outdated.data == current
    assert unhashed.headers["Cache-Control"] == "public, max-age=3600"
    assert outdated.headers["Cache-Control"] == "no-cache"
    # … which a browser asks for again with the ETag, and gets no body
    again = client.get("/static/js/dashboard.0123456789ab.js",
                       headers={"If-None-Match": outdated.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize("path", ["/static/js/missing.js", "/static/../config.py", "/static/js/"])
def test_no_file_outside_the_static_folder_is_served(client, path):
    assert client.get(path).status_code == 404
