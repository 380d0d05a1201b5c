"""Staff, supervisors and administrators: who may do what.

A supervisor can do all staff can, and approve extensions; an administrator can do all a supervisor
can, and manage staff and holiday schedules. On a database with no administrator the first member
added becomes one, whatever role was asked; after that only an administrator adds, removes or
changes staff, and the last administrator cannot be removed or demoted (that would open the door again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import texts
from bot.errors import InvalidInput, PermissionDenied, RuleViolation
from bot.tickets.codes import Action, Role
from bot.tickets.history import record_event
from bot.tickets.models import Staff, Ticket

RANK = {Role.STAFF: 1, Role.SUPERVISOR: 2, Role.ADMIN: 3}


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


def _administrators(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Staff).where(Staff.role == Role.ADMIN.value)) or 0


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise InvalidInput(texts.INVALID_STAFF_NAME)
    return name


def _check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InvalidInput(texts.INVALID_CODE.format(what=texts.FIELD_ROLE, value=role)) from None


@dataclass(frozen=True)
class StaffSaved:
    name: str
    role: str
    first_admin: bool  # the database had no administrator: this member became the first one


def add_staff(session: Session, *, at: datetime, by: str, name: str, role: str) -> StaffSaved:
    """Add a member, or change the role of an existing one (an administrator's work).

    On a database without an administrator the member becomes the first administrator, whatever
    ``role`` asks (``first_admin`` says so, for the user to be told).
    """
    wanted = _check_role(role)
    first = _administrators(session) == 0
    if first:
        wanted = Role.ADMIN
    else:
        require_role(session, at=at, actor=by, action=Action.STAFF_ADDED, role=Role.ADMIN)
    name = _check_name(name)
    member = find_staff(session, name)
    if member is None:
        member = Staff(name=name, role=wanted.value, added_at=at)
        session.add(member)
    else:
        if member.role == Role.ADMIN and wanted is not Role.ADMIN and _administrators(session) == 1:
            raise RuleViolation(texts.LAST_ADMIN.format(name=name))
        member.role = wanted.value
    data: dict[str, object] = {"name": name, "role": wanted.value}
    if first:
        data["first_admin"] = True
    record_event(session, at=at, actor=by, action=Action.STAFF_ADDED, data=data)
    session.flush()
    return StaffSaved(member.name, member.role, first)


def remove_staff(session: Session, *, at: datetime, by: str, name: str) -> None:
    """Remove a member (an administrator's work); never the last administrator."""
    require_role(session, at=at, actor=by, action=Action.STAFF_REMOVED, role=Role.ADMIN)
    member = find_staff(session, name)
    if member is None:
        raise InvalidInput(texts.STAFF_NOT_FOUND.format(name=name))
    if member.role == Role.ADMIN and _administrators(session) == 1:
        raise RuleViolation(texts.LAST_ADMIN.format(name=name))
    session.delete(member)
    record_event(session, at=at, actor=by, action=Action.STAFF_REMOVED, data={"name": name})


def list_staff(session: Session) -> list[Staff]:
    """Administrators first, then supervisors, then staff; by name within a role."""
    members = session.scalars(select(Staff))
    return sorted(members, key=lambda m: (-RANK[Role(m.role)], m.name))
