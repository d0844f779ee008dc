"""People who log in: administrators, tillitsvalgte and school leaders."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
    # What a tillitsvalgt or skoleleder may see: a kommune (and its schools), or one or more schools.
    kommune_id: Mapped[int | None] = mapped_column(ForeignKey("kommune.id"))
    school_links: Mapped[list[UserSchool]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                          order_by="UserSchool.school_id")
    # Part of every session's user id; raising it (log-out, new password) ends all the user's sessions.
    session_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    def get_id(self) -> str:
        """Return the id Flask-Login keeps in the session: the user's id and session version."""
        return f"{self.id}:{self.session_version}"

    @property
    def school_ids(self) -> list[int]:
        """The ids of the schools the account may see (none for an administrator or a kommune's)."""
        return [link.school_id for link in self.school_links]

    @school_ids.setter
    def school_ids(self, ids: list[int]) -> None:
        self.school_links = [UserSchool(school_id=i) for i in ids]

    @property
    def school_id(self) -> int | None:
        """The account's school when it has exactly one."""
        ids = self.school_ids
        return ids[0] if len(ids) == 1 else None

    @school_id.setter
    def school_id(self, school_id: int | None) -> None:
        self.school_ids = [] if school_id is None else [school_id]


class UserSchool(db.Model):
    """A school whose figures an account may see."""
    __tablename__ = "user_school"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), primary_key=True)
