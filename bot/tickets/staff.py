"""Staff and supervisors: who may do what (a supervisor can do all staff can, and approve extensions)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts
from bot.errors import InvalidInput, PermissionDenied
from bot.tickets.codes import Action, Role
from bot.tickets.history import record_event
from bot.tickets.models import Staff, Ticket

RANK = {Role.STAFF: 1, Role.SUPERVISOR: 2}


def find_staff(session: Session, name: str) -> Staff | None:
    return session.scalar(select(Staff).where(Staff.name == name))


def has_role(session: Session, actor: str, role: Role) -> bool:
    member = find_staff(session, actor)
    return member is not None and RANK[Role(member.role)] >= RANK[role]


def require_role(
    session: Session, *, at: datetime, actor: str, action: Action, role: Role, ticket: Ticket | None = None
) -> None:
    """Raise PermissionDenied unless ``actor`` holds ``role``; the refusal is itself an event."""
    if has_role(session, actor, role):
        return
    record_event(session, at=at, actor=actor, action=Action.DENIED, ticket=ticket,
                 data={"action": action.value, "role": role.value})
    raise PermissionDenied(actor, action.value, role.value)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise InvalidInput(texts.INVALID_STAFF_NAME)
    return name


def add_staff(session: Session, *, at: datetime, by: str, name: str, role: str) -> Staff:
    """Add a member, or change the role of an existing one."""
    name, role = _check_name(name), Role(role).value
    member = find_staff(session, name)
    if member is None:
        member = Staff(name=name, role=role, added_at=at)
        session.add(member)
    else:
        member.role = role
    record_event(session, at=at, actor=by, action=Action.STAFF_ADDED, data={"name": name, "role": role})
    return member


def remove_staff(session: Session, *, at: datetime, by: str, name: str) -> None:
    member = find_staff(session, name)
    if member is None:
        raise InvalidInput(texts.STAFF_NOT_FOUND.format(name=name))
    session.delete(member)
    record_event(session, at=at, actor=by, action=Action.STAFF_REMOVED, data={"name": name})


def list_staff(session: Session) -> list[Staff]:
    return list(session.scalars(select(Staff).order_by(Staff.role.desc(), Staff.name)))
