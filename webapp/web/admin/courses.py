"""The administrator's course catalogue: list, add, edit, retire or bring back, and import a file."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.domain.vocabulary import Vocabulary
from webapp.extensions import db
from webapp.models import Course
from webapp.services import courses, vocabulary
from webapp.services.csv_import import ImportFailed
from webapp.web.admin import admin_required
from webapp.web.admin.course_forms import CourseFileForm, CourseForm
from webapp.web.templating import current_language

bp = Blueprint("courses", __name__, url_prefix="/admin/kurs")


def _terms() -> Vocabulary:
    return vocabulary.load(current_app.config["LAGET"].surveys_dir)


@bp.get("/")
@admin_required
def list_courses():
    return render_template("admin/courses.html", courses=courses.all_courses(db.session), terms=_terms(),
                           examples=courses.example_count(db.session))


@bp.route("/ny", methods=["GET", "POST"])
@admin_required
def new_course():
    return _course_page(None)


@bp.route("/<int:course_id>", methods=["GET", "POST"])
@admin_required
def edit_course(course_id: int):
    return _course_page(db.session.get(Course, course_id) or abort(404))


def _course_page(course: Course | None):
    """Show the form; on a valid POST store the course and go back to the list."""
    terms = _terms()
    form = CourseForm()
    form.offer_choices(terms, current_language())
    if request.method == "GET" and course is not None:
        form.fill(courses.course_values(courses.to_course(course)))
    if form.validate_on_submit():
        try:
            saved = courses.save_course(db.session, form.values(), terms, course.id if course else None)
        except courses.CourseInvalid as exc:
            db.session.rollback()
            for column, messages in exc.problems.items():
                form[column].errors = [*form[column].errors, *messages]
        else:
            db.session.commit()
            flash(_("The course %(code)s is saved.", code=saved.code))
            return redirect(url_for("courses.list_courses"))
    status = 422 if form.errors else 200
    return render_template("admin/course_form.html", form=form, course=course), status


@bp.post("/<int:course_id>/aktiv")
@admin_required
def set_course_active(course_id: int):
    """Retire a course (matching skips it, it stays listed) or bring it back."""
    active = request.form.get("active") == "1"
    try:
        found = courses.set_active(db.session, course_id, active)
    except LookupError:
        abort(404)
    db.session.commit()
    flash(_("%(code)s is offered again.", code=found.code) if active
          else _("%(code)s is retired: it stays in the catalogue, and matching skips it.", code=found.code))
    if request.form.get("back") == "edit":
        return redirect(url_for("courses.edit_course", course_id=course_id))
    return redirect(url_for("courses.list_courses"))


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def import_courses():
    """Import a CSV or XLSX file, all or nothing; a refused file lists every problem by line and column."""
    form = CourseFileForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = courses.import_courses(
                db.session, courses.read_course_file(upload.stream, upload.filename or ""), _terms())
        except ImportFailed as exc:
            db.session.rollback()
            problems = [str(p) for p in exc.problems]
        else:
            db.session.commit()
            flash(_("Imported %(created)d new and updated %(updated)d existing courses.",
                    created=result.created, updated=result.updated))
            return redirect(url_for("courses.list_courses"))
    status = 422 if problems or form.errors else 200
    return render_template("admin/course_import.html", form=form, problems=problems,
                           columns=courses.COLUMNS), status
