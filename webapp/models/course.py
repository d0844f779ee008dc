"""The course catalogue: offers that matching ranks against a school's competence gaps."""
from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class Course(db.Model):
    """One offer; the codes in `areas`, `yrkesgrupper` and `format` are the shared vocabulary's."""

    __tablename__ = "course"
    __table_args__ = (
        CheckConstraint("hours >= 0 AND credits >= 0 AND substitute_hours >= 0", name="hours_not_negative"),
        CheckConstraint("fee_nok >= 0", name="fee_not_negative"),
        CheckConstraint("seats IS NULL OR seats > 0", name="seats_positive"),
        CheckConstraint("funding_share >= 0 AND funding_share <= 1", name="funding_share_fraction"),
        CheckConstraint("funding_share = 0 OR funder IS NOT NULL", name="funding_has_funder"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    areas: Mapped[list[str]] = mapped_column(JSON)
    yrkesgrupper: Mapped[list[str]] = mapped_column(JSON)  # empty: every yrkesgruppe
    format: Mapped[str] = mapped_column(String(20))
    hours: Mapped[float] = mapped_column(Float)
    credits: Mapped[float] = mapped_column(Float)
    fee_nok: Mapped[int] = mapped_column(Integer)
    seats: Mapped[int | None] = mapped_column(Integer)
    substitute_hours: Mapped[float] = mapped_column(Float)
    start: Mapped[date | None] = mapped_column(Date)  # NULL: løpende
    place: Mapped[str] = mapped_column(String(100))  # "nett": online
    url: Mapped[str] = mapped_column(String(500), default="")
    funding_share: Mapped[float] = mapped_column(Float, default=0.0)
    funder: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Loaded from the demo catalogue: an example with an estimated price, and labelled so on the admin pages.
    example: Mapped[bool] = mapped_column(Boolean, default=False)
