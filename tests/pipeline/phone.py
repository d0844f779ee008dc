"""A respondent's phone over HTTP: answer every page up to the summary, then the summary's Send form."""
from __future__ import annotations

import re
from typing import Any

import requests

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SEND_ID = re.compile(r'name="send_id" value="([^"]*)"')


def reach_summary(base_url: str, token: str, questionnaire, answers: dict[str, Any]) -> requests.Session:  # noqa: ANN001
    """Answer every page with `nav=next`, never following redirects; returns the phone's session."""
    http = requests.Session()
    key = http.get(f"{base_url}/s/{token}", allow_redirects=False).headers["Location"].rsplit("/", 1)[-1]
    while key != "oppsummering":
        url = f"{base_url}/s/{token}/side/{key}"
        data = {"csrf_token": CSRF.search(http.get(url).text).group(1), "nav": "next"}
        data.update({i.key: answers[i.key] for i in questionnaire.section(key).items if i.key in answers})
        posted = http.post(url, data=data, allow_redirects=False)
        assert posted.status_code == 302, posted.text[:500]
        key = posted.headers["Location"].rsplit("/", 1)[-1]
    return http


def send_form(http: requests.Session, base_url: str, token: str) -> dict[str, str]:
    """The summary's Send form as this showing of the page fills it (a fresh send id each time)."""
    summary = http.get(f"{base_url}/s/{token}/oppsummering").text
    return {"csrf_token": CSRF.search(summary).group(1), "send_id": SEND_ID.search(summary).group(1)}
