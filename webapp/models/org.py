"""The organisation: fylke → kommune → school."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db

SKOLESLAG = ("grunnskole", "vgs")


class Fylke(db.Model):
    __tablename__ = "fylke"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)

    kommuner: Mapped[list["Kommune"]] = relationship(back_populates="fylke")


class Kommune(db.Model):
    """A kommune; names repeat across fylker (Herøy), so its four-digit kommunenummer names it best."""

    __tablename__ = "kommune"
    __table_args__ = (
        UniqueConstraint("fylke_id", "name"),
        CheckConstraint("substitute_rate_nok IS NULL OR "
                        "(substitute_rate_nok > 0 AND substitute_rate_nok <= 2000)",
                        name="substitute_rate_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    number: Mapped[str | None] = mapped_column(String(4), unique=True)  # unknown until an import gives it
    fylke_id: Mapped[int] = mapped_column(ForeignKey("fylke.id"))
    # Whole kroner per hour an administrator set for the kommune's plans; NULL: the planner's default.
    substitute_rate_nok: Mapped[int | None] = mapped_column(Integer)

    fylke: Mapped[Fylke] = relationship(back_populates="kommuner")
    schools: Mapped[list["School"]] = relationship(back_populates="kommune")


class School(db.Model):
    __tablename__ = "school"
    __table_args__ = (CheckConstraint("skoleslag IN ('grunnskole', 'vgs')", name="skoleslag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    skoleslag: Mapped[str] = mapped_column(String(20))
    kommune_id: Mapped[int] = mapped_column(ForeignKey("kommune.id"), index=True)

    kommune: Mapped[Kommune] = relationship(back_populates="schools")
