"""How many figures the demo round shows and hides: the round, a kommune and a school page.

    python -m bench.hidden_cells            # prints a Markdown table

Loads the demo (`laget demo`'s data: six schools in two kommuner, simulated answers) into a fresh
SQLite database, reads every figure the three pages draw from — the `all` breakdown and the
`yrkesgruppe` breakdown, every item — as the pages read them, while the round is open and after it
is closed, and counts the cells with numbers and without numbers (and, for versions of the code that
had them, held cells: numbers from before the close). Written for issue 7's "usefulness is part of
the job": run it on two versions of the code to compare (PYTHONPATH=<other checkout> python
bench/hidden_cells.py).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import select

PAGES = (("round", None), ("kommune", "Fjordvik"), ("school", "FJV-BRE"))


def _count(session, found, level: str, key: str | None) -> dict[str, int]:
    from webapp.models import Kommune, School
    from webapp.services import results

    if level == "round":
        unit_id, name = 0, found.name
    else:
        model, column = (School, School.code) if level == "school" else (Kommune, Kommune.name)
        unit = session.scalar(select(model).where(column == key))
        unit_id, name = unit.id, unit.name
    counts = {"cells": 0, "shown": 0, "without numbers": 0, "held": 0}
    for grouping in ("all", "yrkesgruppe"):
        figures = results.unit_figures(session, found, level, unit_id, name, grouping)
        for (_item, group), figure in figures.figures.items():
            if grouping != "all" and group == "all":
                continue
            counts["cells"] += 1
            if figure.n is None:
                counts["without numbers"] += 1
            elif getattr(figure, "held", False):
                counts["held"] += 1
            else:
                counts["shown"] += 1
    return counts


def measure() -> list[tuple[str, str, dict[str, int]]]:
    from webapp import create_app
    from webapp.config import Settings
    from webapp.extensions import db
    from webapp.models import Round
    from webapp.services import aggregates, rounds
    from webapp.services.demo import DEMO_ROUND, load_demo

    folder = Path(tempfile.mkdtemp(prefix="laget-hidden-"))
    settings = Settings(secret_key="hidden-cells-0123456789abcdef",
                        database_url=f"sqlite:///{folder / 'db.sqlite'}")
    app = create_app(settings)
    out = []
    with app.app_context():
        from flask_migrate import upgrade

        from webapp.config import PROJECT_ROOT
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        load_demo(db.session, settings, admin_password="hidden-cells-admin")
        db.session.commit()
        found = db.session.scalar(select(Round).filter_by(name=DEMO_ROUND))
        for level, key in PAGES:
            out.append(("open", level, _count(db.session, found, level, key)))
        rounds.set_status(db.session, DEMO_ROUND, "closed")
        db.session.commit()
        aggregates.rebuild(db.session, found)
        db.session.commit()
        for level, key in PAGES:
            out.append(("closed", level, _count(db.session, found, level, key)))
    return out


def main() -> None:
    print("| round | page | cells | with numbers | without numbers | held |")
    print("|---|---|---:|---:|---:|---:|")
    for status, level, c in measure():
        print(f"| {status} | {level} | {c['cells']} | {c['shown']} | {c['without numbers']} | {c['held']} |")


if __name__ == "__main__":
    main()
