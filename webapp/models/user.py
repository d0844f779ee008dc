"""People who log in: administrators, tillitsvalgte and school leaders."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db

ROLES = ("admin", "tillitsvalgt", "skoleleder")


class User(UserMixin, db.Model):
    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint("role IN ('admin', 'tillitsvalgt', 'skoleleder')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # What a tillitsvalgt or skoleleder may see: a kommune (and its schools) or one school.
    kommune_id: Mapped[int | None] = mapped_column(ForeignKey("kommune.id"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    # Part of every session's user id; raising it (log-out, new password) ends all the user's sessions.
    session_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    def get_id(self) -> str:
        """Return the id Flask-Login keeps in the session: the user's id and session version."""
        return f"{self.id}:{self.session_version}"
