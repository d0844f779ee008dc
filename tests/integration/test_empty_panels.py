"""A panel with too few answers to show offers no table and no downloads: there is nothing in them."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.integration.test_dashboards import PASSWORD, fill, log_in
from webapp.extensions import db
from webapp.models import School
from webapp.services.users import create_user

TOO_FEW = "for få svar til å kunne vises"


def test_a_panel_without_answers_offers_neither_table_nor_downloads(client, app, open_round):
    # Given a closed round where skip logic leaves a few questions at Breivika with too few answers
    round_id = fill(app, open_round, {"S1": 12, "S2": 30, "S3": 3}, 1)
    with app.app_context():
        create_user(db.session, "admin@example.org", PASSWORD, "admin")
        db.session.commit()
        school = db.session.scalar(select(School.id).filter_by(code="S1"))
    log_in(client, "admin@example.org")

    # When an administrator opens the school's page
    page = client.get(f"/resultater/{round_id}/skole/{school}").get_data(as_text=True)
    panels = dict(re.findall(r'<section class="panel" id="([^"]+)".*?>(.*?)</section>', page, re.DOTALL))

    # Then the panels that say «too few answers» offer no table nor file, and their files are not there
    empty = [key for key, body in panels.items() if TOO_FEW in body]
    assert empty and len(empty) < len(panels)
    for key, body in panels.items():
        offers = ["Vis som tabell" in body, "Last ned CSV" in body, "Last ned Excel" in body]
        assert offers == [key not in empty] * 3, key
    for key in empty:
        for fmt in ("csv", "xlsx"):
            assert client.get(f"/resultater/{round_id}/skole/{school}/{key}.{fmt}").status_code == 404
    assert client.get(f"/resultater/{round_id}/skole/{school}/{next(iter(set(panels) - set(empty)))}.csv"
                      ).status_code == 200
