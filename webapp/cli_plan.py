"""`laget plan`: the course budget plan for a school or a kommune (docs/planning.md), as JSON."""
from __future__ import annotations

import json

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from webapp.cli_common import chosen_unit, fail, find_unit
from webapp.domain.planning import TIME_LIMIT
from webapp.extensions import db


def _codes(value: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.strip() for c in (value or "").split(",") if c.strip()))


@click.command("plan")
@click.option("--round", "round_name", required=True)
@click.option("--school", help="School code.")
@click.option("--kommune", help="Kommunenummer or kommune name: one budget for all its schools.")
@click.option("--budget", type=int, required=True, help="The budget in whole kroner.")
@click.option("--substitute-rate", type=float, default=None,
              help="Substitute cost per hour in kroner (default: the kommune's, from `laget kommune rate`, "
                   "else 300; docs/planning.md names the source).")
@click.option("--hours", type=float, default=None, help="Substitute hours available (default: no limit).")
@click.option("--pin", default=None, help="Course codes that must be in the plan, comma-separated.")
@click.option("--exclude", default=None, help="Course codes the plan must not use, comma-separated.")
@click.option("--max-runs", type=click.IntRange(min=1), default=None,
              help="Runs a course with limited seats may be booked (default: one per school planned for).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=TIME_LIMIT, show_default=True,
              help="Seconds the solver may take; then the best plan found, with its proven gap.")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--lang", type=click.Choice(["nb", "nn", "en"]), default="nb", show_default=True,
              help="The language of a refusal.")
@with_appcontext
def plan_command(round_name: str, school: str | None, kommune: str | None, budget: int,
                 substitute_rate: float | None, hours: float | None, pin: str | None, exclude: str | None,
                 max_runs: int | None, time_limit: float, fmt: str, lang: str) -> None:
    """Print the plan that closes the most weighted gap for the budget; a refused input exits 1."""
    from webapp.domain.planning import PlanRefused, plan
    from webapp.services import planning

    if not school and not kommune:
        fail("Choose --school or --kommune.")
    level, key = chosen_unit(school, kommune)
    found, unit_id, _ = find_unit(round_name, level, key)
    request = planning.PlanRequest(found.id, level, unit_id, budget, substitute_rate, hours, _codes(pin),
                                   _codes(exclude), max_runs)
    try:
        problem, _context = planning.problem_for(db.session, request)
        result = plan(problem, time_limit=time_limit)
    except PlanRefused as exc:
        with force_locale(lang):
            fail(planning.refusal_message(exc))
        return
    click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
