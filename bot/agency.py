"""The agency's own details named in replies (name, address, phone, e-mail, 复议机关, court).

They start from the environment (``AGENCY_*``, bot/settings.py) and are copied into the database when
the staff console first starts; from then on the database holds them, an administrator edits them in
the console, and every process reads them from the database when it writes a reply, so a change is
seen everywhere at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot import texts
from bot.errors import InvalidInput
from bot.settings import Settings
from bot.tickets.codes import Action, Role
from bot.tickets.history import record_event
from bot.tickets.staff import require_role
from knowledge.orm import Base

# The Settings fields staff edit, in the order the form shows them.
AGENCY_FIELDS = ("agency_name", "agency_address", "agency_phone", "agency_email", "review_body", "court")
MAX_LENGTH = 300


class AgencySetting(Base):
    """One of the agency's details as staff last saved it."""

    __tablename__ = "agency_settings"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)  # a Settings field name
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(64))


def stored(session: Session) -> dict[str, str]:
    return {row.key: row.value for row in session.scalars(select(AgencySetting))
            if row.key in AGENCY_FIELDS}


def effective_settings(session: Session | None, settings: Settings) -> Settings:
    """``settings`` with the agency's details as stored in the database (the environment's until then)."""
    if session is None:
        return settings
    values = stored(session)
    return settings.with_(**values) if values else settings


def seed(session: Session, settings: Settings, *, at: datetime) -> bool:
    """Copy the environment's details into an empty table (the console's first start); True if it did."""
    if session.scalar(select(AgencySetting.key).limit(1)) is not None:
        return False
    session.add_all(AgencySetting(key=k, value=str(getattr(settings, k)), updated_at=at, updated_by="system")
                    for k in AGENCY_FIELDS)
    session.flush()
    return True


def save(session: Session, settings: Settings, *, at: datetime, by: str, values: dict[str, str]) -> list[str]:
    """An administrator saves the details; returns the keys that changed (each change is an event)."""
    require_role(session, at=at, actor=by, action=Action.SETTINGS_CHANGED, role=Role.ADMIN)
    clean = {}
    for key in AGENCY_FIELDS:
        value = (values.get(key) or "").strip()
        if not value or len(value) > MAX_LENGTH:
            raise InvalidInput(texts.WEB_AGENCY_FIELD_RULE.format(label=texts.WEB_AGENCY_LABELS[key], max=MAX_LENGTH))
        clean[key] = value
    current = {k: str(getattr(effective_settings(session, settings), k)) for k in AGENCY_FIELDS}
    changed = [k for k in AGENCY_FIELDS if clean[k] != current[k]]
    for key in AGENCY_FIELDS:
        row = session.get(AgencySetting, key)
        if row is None:
            session.add(AgencySetting(key=key, value=clean[key], updated_at=at, updated_by=by))
        elif row.value != clean[key]:
            row.value, row.updated_at, row.updated_by = clean[key], at, by
    if changed:
        record_event(session, at=at, actor=by, action=Action.SETTINGS_CHANGED, data={"keys": changed})
    session.flush()
    return changed
