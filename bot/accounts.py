"""Staff console accounts: passwords (Argon2id), signing in with a lockout, sessions kept in the database.

Every process of the console shares the database, so a session opened by one worker is known to all,
and signing out ends it everywhere. The lockout is derived from the sign-in events (five failures in a
row lock the name for 15 minutes), never stored beside them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import DateTime, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot import texts
from bot.errors import InvalidInput
from bot.tickets.codes import Action, Role
from bot.tickets.history import record_event
from bot.tickets.models import Staff, TicketEvent
from bot.tickets.staff import find_staff, require_role
from knowledge.orm import Base

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 200
LOCK_AFTER = 5  # failed sign-ins in a row
LOCK_FOR = timedelta(minutes=15)
TOUCH_EVERY = timedelta(minutes=1)  # a session's last use is written at most once a minute

_HASHER = PasswordHasher()  # Argon2id with the library's recommended parameters
# Verified against when the name has no password, so a missing account takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))


class WebSession(Base):
    """A signed-in staff member's session; the cookie holds the token, the table only its SHA-256."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie's token
    staff_name: Mapped[str] = mapped_column(String(64), index=True)
    csrf: Mapped[str] = mapped_column(String(64))  # every form of the session carries it
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite returns naive UTC


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password_rules(password: str) -> str:
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        raise InvalidInput(texts.WEB_PASSWORD_RULE.format(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH))
    if password.strip() != password or len(set(password)) < 4:
        raise InvalidInput(texts.WEB_PASSWORD_RULE.format(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH))
    return password


def set_password(session: Session, *, at: datetime, by: str, name: str, password: str) -> Staff:
    """Set a member's console password: one's own, or anyone's by an administrator.

    The member's other sessions end (a changed password locks out whoever held the old one).
    """
    if by != name:
        require_role(session, at=at, actor=by, action=Action.PASSWORD_SET, role=Role.ADMIN)
    member = find_staff(session, name)
    if member is None:
        raise InvalidInput(texts.STAFF_NOT_FOUND.format(name=name))
    check_password_rules(password)
    member.password_hash = _HASHER.hash(password)
    member.password_set_at = at
    session.execute(delete(WebSession).where(WebSession.staff_name == name))
    record_event(session, at=at, actor=by, action=Action.PASSWORD_SET, data={"for": name})
    session.flush()
    return member


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: ``ok``, or refused (``locked_until`` when the name is locked)."""

    ok: bool
    name: str
    locked_until: datetime | None = None


def _attempts(session: Session, name: str) -> list[TicketEvent]:
    """The latest sign-in events of a name, newest first (enough to decide on the lockout)."""
    actions = [Action.SIGNED_IN.value, Action.SIGN_IN_FAILED.value, Action.SIGN_IN_LOCKED.value]
    return list(session.scalars(
        select(TicketEvent).where(TicketEvent.actor == name, TicketEvent.action.in_(actions))
        .order_by(TicketEvent.id.desc()).limit(LOCK_AFTER + 1)))


def locked_until(session: Session, name: str, now: datetime) -> datetime | None:
    """When the name's lock ends, if it is locked now."""
    for event in _attempts(session, name):
        if event.action == Action.SIGN_IN_LOCKED:
            until = _utc(event.at) + LOCK_FOR
            return until if until > now else None
        if event.action == Action.SIGNED_IN:
            return None
    return None


def _failures_in_a_row(session: Session, name: str, now: datetime) -> int:
    """Failures since the last success or the end of the last lock, within the lock period."""
    count = 0
    for event in _attempts(session, name):
        at = _utc(event.at)
        if event.action != Action.SIGN_IN_FAILED or at <= now - LOCK_FOR:
            break
        if (event.data or {}).get("locked"):  # tried while locked: not a guess at the password
            break
        count += 1
    return count


def sign_in(session: Session, *, at: datetime, name: str, password: str) -> SignIn:
    """Check a name and password; every attempt is an event, the fifth failure in a row locks the name."""
    name = name.strip()[:64]
    until = locked_until(session, name, at)
    if until is not None:
        record_event(session, at=at, actor=name, action=Action.SIGN_IN_FAILED, data={"locked": True})
        return SignIn(False, name, until)
    member = find_staff(session, name) if name else None
    stored = member.password_hash if member is not None else None
    if stored is not None and _verify(stored, password):
        if _HASHER.check_needs_rehash(stored):
            member.password_hash = _HASHER.hash(password)  # type: ignore[union-attr]
        record_event(session, at=at, actor=name, action=Action.SIGNED_IN)
        return SignIn(True, name)
    if stored is None:
        _verify(_DUMMY_HASH, password)  # the same time as a wrong password
    failures = _failures_in_a_row(session, name, at) + 1
    record_event(session, at=at, actor=name, action=Action.SIGN_IN_FAILED)
    if failures >= LOCK_AFTER:
        record_event(session, at=at, actor=name, action=Action.SIGN_IN_LOCKED,
                     data={"until": (at + LOCK_FOR).isoformat(timespec="minutes")})
        return SignIn(False, name, at + LOCK_FOR)
    return SignIn(False, name)


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# --- sessions -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    token: str  # for the cookie; the database keeps only its digest
    csrf: str


def open_session(session: Session, *, at: datetime, name: str) -> Opened:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(WebSession(id=_digest(token), staff_name=name, csrf=csrf, created_at=at, last_seen_at=at))
    session.flush()
    return Opened(token, csrf)


def current_session(session: Session, token: str, *, at: datetime, idle: timedelta) -> WebSession | None:
    """The live session of a cookie's token, touched; None when unknown, idle too long, or its member gone."""
    if not token:
        return None
    row = session.get(WebSession, _digest(token))
    if row is None:
        return None
    if _utc(row.last_seen_at) + idle <= at or find_staff(session, row.staff_name) is None:
        session.delete(row)
        return None
    if at - _utc(row.last_seen_at) >= TOUCH_EVERY:
        row.last_seen_at = at
    return row


def end_session(session: Session, token: str, *, at: datetime) -> None:
    """Sign out: the session ends in every process at once."""
    row = session.get(WebSession, _digest(token)) if token else None
    if row is not None:
        record_event(session, at=at, actor=row.staff_name, action=Action.SIGNED_OUT)
        session.delete(row)


def purge_sessions(session: Session, *, at: datetime, idle: timedelta) -> None:
    """Forget sessions idle for longer than ``idle``."""
    session.execute(delete(WebSession).where(WebSession.last_seen_at <= at - idle))


def same_token(expected: str, given: str) -> bool:
    """Compare secrets in constant time (CSRF tokens)."""
    return bool(expected) and hmac.compare_digest(expected.encode(), given.encode())
