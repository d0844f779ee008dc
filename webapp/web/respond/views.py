"""Views for /s/<token>: welcome, one page per section, summary, submit, end pages."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Invitation, Round
from webapp.services import answering
from webapp.services.answering import SUMMARY, Link, LinkProblem
from webapp.services.messages import answer_error_message
from webapp.services.rounds import hash_token
from webapp.web.respond import bp
from webapp.web.respond.forms import page_answers
from webapp.web.respond.presenter import answer_text, page_context, problems_of, summary_rows

# A page opened with «Change» from the summary carries ?til=oppsummering, and leads back there.
RETURN_ARG = "til"
# The summary form's random id of one Send (answering.submit keeps its hash on the used invitation).
SEND_ID = "send_id"
LINK_STATUS = {"unknown": 404, "not_open": 404, "used": 410, "closed": 410, "screened_out": 410}


@bp.errorhandler(LinkProblem)
def show_link_problem(problem: LinkProblem):
    db.session.rollback()
    return render_template("respond/link_problem.html", reason=problem.reason), LINK_STATUS[problem.reason]


@bp.get("/<token>")
def start_survey(token: str):
    """Continue where the respondent left off (the welcome page the first time)."""
    return redirect(_resume_url(token, answering.open_link(db.session, token)))


@bp.route("/<token>/side/<key>", methods=["GET", "POST"])
def show_page(token: str, key: str):
    link = answering.open_link(db.session, token)
    section = link.questionnaire.section(key)
    if section is None:
        abort(404)
    if not link.may_open(key):
        return redirect(_resume_url(token, link))
    values = _draft_for(link, section)
    errors: dict[str, list[str]] = {}
    to_summary = request.args.get(RETURN_ARG) == SUMMARY
    if request.method == "POST":
        going_back = request.form.get("nav") == "back"
        values = page_answers(section, request.form)
        result = answering.save_page(db.session, link, key, values, going_back, to_summary)
        db.session.commit()
        if result.ends_survey:
            return redirect(url_for(".confirm_end", token=token))
        if going_back:
            return redirect(_page_url(token, result.next_page or key))
        for problem in result.errors:
            errors[problem.key] = [answer_error_message(problem, link.questionnaire.items.get(problem.key))]
        if not errors and result.next_page:
            return redirect(_page_url(token, result.next_page, to_summary))
    status = 422 if errors else 200
    return render_template("respond/page.html", values=values, errors=errors,
                           **page_context(link, section, token, to_summary)), status


@bp.route("/<token>/oppsummering", methods=["GET", "POST"])
def show_summary(token: str):
    """Show the answers with a Send button; the form's send id makes a repeated Send end at «thanks»."""
    send_id = request.form.get(SEND_ID) if request.method == "POST" else None
    try:
        link = answering.open_link(db.session, token)
    except LinkProblem as problem:  # read after the link was used: by this same Send, repeated?
        if problem.reason == "used" and answering.sent_with(db.session, token, send_id):
            return redirect(url_for(".show_thanks", token=token))
        raise
    if not link.may_open(SUMMARY):
        return redirect(_resume_url(token, link))
    if link.end_reason():
        return redirect(url_for(".confirm_end", token=token))
    problems = []
    if request.method == "POST":
        result = answering.submit(db.session, link, send_id)
        db.session.commit()
        if result.stored or result.sent_before:
            return redirect(url_for(".show_thanks", token=token))
        problems = result.errors
    return render_template(
        "respond/summary.html", link=link, token=token, send_id=send_id or answering.new_send_id(),
        rows=summary_rows(link), problems=problems_of(link, problems),
        back_key=link.page_before(SUMMARY)), 422 if problems else 200


@bp.route("/<token>/takk", methods=["GET", "POST"])
def show_thanks(token: str):
    """Thank the respondent; also where a double-clicked submit ends up."""
    invitation = _invitation(token)
    if invitation.state != "responded":
        return redirect(url_for(".start_survey", token=token))
    return render_template("respond/thanks.html", round=db.session.get(Round, invitation.round_id))


@bp.route("/<token>/avslutt", methods=["GET", "POST"])
def confirm_end(token: str):
    """Ask before an answer that ends the survey uses up the link; going back keeps it open."""
    link = answering.open_link(db.session, token)
    if link.end_reason() is None:
        return redirect(_resume_url(token, link))
    if request.method == "POST":
        answering.end_survey(db.session, link)
        db.session.commit()
        return redirect(url_for(".show_end", token=token))
    item = link.ending_item()
    return render_template("respond/confirm_end.html", token=token, reason=link.end_reason(),
                           item=item, answer=answer_text(item, link.answers.get(item.key)) if item else None,
                           questionnaire=link.questionnaire)


@bp.get("/<token>/slutt")
def show_end(token: str):
    """End page after a screening answer (declined consent, or not working with pupils)."""
    invitation = _invitation(token)
    if invitation.state not in ("refused", "out_of_scope"):
        return redirect(url_for(".start_survey", token=token))
    return render_template("respond/screened_out.html", reason=invitation.state)


def _invitation(token: str) -> Invitation:
    invitation = db.session.scalar(select(Invitation).filter_by(token_hash=hash_token(token)))
    if invitation is None:
        raise LinkProblem("unknown")
    return invitation


def _draft_for(link: Link, section) -> dict:
    answers = link.answers
    return {item.key: answers[item.key] for item in section.items if item.key in answers}


def _resume_url(token: str, link: Link) -> str:
    """Return where the link continues: the first page not yet reached, or the summary (which is no
    page: it has its own address, so every way back in goes through `_page_url`)."""
    return _page_url(token, link.resume_page())


def _page_url(token: str, key: str, to_summary: bool = False) -> str:
    if key == SUMMARY:
        return url_for(".show_summary", token=token)
    if to_summary:
        return url_for(".show_page", token=token, key=key, **{RETURN_ARG: SUMMARY})
    return url_for(".show_page", token=token, key=key)
