"""Template globals: translated definition texts and the current language."""
from __future__ import annotations

from flask import Flask, request, url_for
from flask_babel import get_locale

from webapp.domain.texts import pick


def current_language() -> str:
    return str(get_locale() or "nb")


def definition_text(texts: dict[str, str] | None) -> str:
    """Return a questionnaire text in the current language."""
    return pick(texts, current_language())


def language_url(code: str) -> str:
    """Return the current page's address in another language."""
    args = dict(request.view_args or {})
    args.update({k: v for k, v in request.args.items() if k != "lang"})
    return url_for(request.endpoint or "health.healthz", **args, lang=code)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(tr=definition_text, current_language=current_language,
                                 language_url=language_url)
    app.jinja_env.add_extension("jinja2.ext.do")
